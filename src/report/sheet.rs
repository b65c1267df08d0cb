//! The report as CSV: per file, a row per area (its `question` cell
//! empty), each followed by a row per question of the area when the area
//! is in the file's scope: its answer, note, and why it is disputed among
//! the assessors of the file's scope and date.

use super::Report;
use super::summary::Given;
use crate::scoring::Status;
use std::collections::HashMap;

/// The columns every sheet starts with: who answered, and the area.
pub(super) const AREA_COLUMNS: [&str; 10] = [
    "file",
    "organization",
    "scope",
    "assessor",
    "date",
    "area",
    "name",
    "status",
    "level",
    "target",
];

const COLUMNS: [&str; 8] = [
    "performed",
    "applicable",
    "not_applicable",
    "question",
    "title",
    "value",
    "note",
    "disputed",
];

/// The header row of a sheet: [`AREA_COLUMNS`], then its own `columns`.
pub(super) fn header(out: &mut String, columns: &[&str]) {
    let all: Vec<Cell> = AREA_COLUMNS
        .iter()
        .chain(columns)
        .map(|c| Cell::Text(c))
        .collect();
    row(out, &all);
}

/// A cell of the sheet: text (neutralised) or a number the tool writes.
#[derive(Clone, Copy)]
pub(super) enum Cell<'a> {
    Text(&'a str),
    Number(Option<i64>),
}

/// RFC 4180 with CRLF rows; text that a spreadsheet would run as a formula
/// (it starts with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a
/// leading `'`, as in the survey's CSV export: every text cell may come from
/// a user, an answer file or the content. Numbers stay as they are.
pub(super) fn field(cell: &Cell) -> String {
    let text = match cell {
        Cell::Number(n) => return n.map(|n| n.to_string()).unwrap_or_default(),
        Cell::Text(t) => *t,
    };
    let mut s = String::with_capacity(text.len() + 3);
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.push('\'');
    }
    s.push_str(text);
    if s.contains(['"', ',', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Why each question of a file is disputed, by file name.
fn disputes(report: &Report) -> HashMap<&str, HashMap<&str, &'static str>> {
    let mut out: HashMap<&str, HashMap<&str, &'static str>> = HashMap::new();
    for t in &report.teams {
        for q in &t.questions {
            let Some(why) = q.disputed else { continue };
            let why = match why {
                super::team::Why::StraddlesPerformed => "straddles-performed",
                super::team::Why::TwoStepsApart => "two-steps-apart",
                super::team::Why::NaAndValue => "na-and-value",
            };
            for m in &t.assessors {
                out.entry(m.file.as_str()).or_default().insert(&*q.id, why);
            }
        }
    }
    out
}

/// The whole sheet. An area's `not_applicable` cell lists its N/A answers,
/// one `ID: reason` a line.
/// Written file by file: the text of one file's rows at a time.
pub(super) fn csv(report: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut out = String::new();
    header(&mut out, &COLUMNS);
    let disputed = disputes(report);
    let none = HashMap::new();
    for a in &report.assessments {
        let who = a.respondent.fields().map(|(_, v)| v.unwrap_or(""));
        let disputed = disputed.get(a.file.as_str()).unwrap_or(&none);
        let mut kept = a.kept.iter().peekable();
        for area in &a.areas {
            let na: Vec<String> = a
                .not_applicable
                .iter()
                .filter(|n| n.area == area.id)
                .map(|n| format!("{}: {}", n.id, n.reason))
                .collect();
            let na = na.join("\n");
            let n = |x: usize| Cell::Number(i64::try_from(x).ok());
            let head = [
                Cell::Text(&a.file),
                Cell::Text(who[0]),
                Cell::Text(who[1]),
                Cell::Text(who[2]),
                Cell::Text(who[3]),
                Cell::Text(&area.id),
            ];
            let mut cells: Vec<Cell> = head.to_vec();
            cells.extend([
                Cell::Text(&area.name),
                Cell::Text(area.status.as_str()),
                Cell::Number(area.level),
                Cell::Number(area.target),
                n(area.performed),
                n(area.applicable),
                Cell::Text(&na),
            ]);
            cells.extend([Cell::Text(""); 5]);
            row(&mut out, &cells);
            if area.status == Status::OutOfScope {
                continue;
            }
            question_rows(report, &area.id, &head, &mut kept, disputed, &mut out);
        }
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    w.write_all(out.as_bytes())
}

pub(super) fn row(out: &mut String, cells: &[Cell]) {
    let fields: Vec<String> = cells.iter().map(field).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

/// A row per question of `area` (model order), with the file's answer.
fn question_rows<'a>(
    report: &'a Report,
    area: &str,
    head: &[Cell<'a>; 6],
    kept: &mut std::iter::Peekable<std::slice::Iter<'a, super::Kept>>,
    disputed: &HashMap<&str, &'static str>,
    out: &mut String,
) {
    for (i, q) in report.questions.iter().enumerate() {
        if &*q.area != area {
            continue;
        }
        while kept.peek().is_some_and(|k| (k.question as usize) < i) {
            kept.next();
        }
        let k = kept.peek().filter(|k| k.question as usize == i);
        let value = match k.and_then(|k| k.given.as_ref()) {
            Some(Given::Value(v)) => v.to_string(),
            Some(Given::NotApplicable(_)) => "na".to_string(),
            None => String::new(),
        };
        // An N/A's reason is in the area row's `not_applicable` cell.
        let note = k.and_then(|k| k.note.as_deref()).unwrap_or("");
        let mut cells: Vec<Cell> = head.to_vec();
        cells.extend([Cell::Text(""); 7]);
        cells.extend([
            Cell::Text(&q.id),
            Cell::Text(&q.title),
            Cell::Text(&value),
            Cell::Text(note),
            Cell::Text(disputed.get(&*q.id).copied().unwrap_or("")),
        ]);
        row(out, &cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_never_formulas() {
        let t = |s| field(&Cell::Text(s));
        assert_eq!(t("plain"), "plain");
        assert_eq!(t("=1+1"), "'=1+1");
        assert_eq!(t("+1"), "'+1");
        assert_eq!(t("-2"), "'-2");
        assert_eq!(t("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(t("\tx"), "'\tx");
        assert_eq!(t("\rx"), "\"'\rx\"");
        assert_eq!(t("a,\"b\"\nc"), "\"a,\"\"b\"\"\nc\"");
        assert_eq!(t("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(field(&Cell::Number(Some(-1))), "-1");
        assert_eq!(field(&Cell::Number(None)), "");
    }
}
