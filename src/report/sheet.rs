//! The report as CSV: one row per area of each assessment.

use super::Report;

const HEADER: [&str; 13] = [
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
    "performed",
    "applicable",
    "not_applicable",
];

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

/// The whole sheet. An area's `not_applicable` cell lists its N/A answers,
/// one `ID: reason` a line.
pub(super) fn csv(report: &Report) -> String {
    let mut out = String::new();
    let mut row = |cells: &[Cell]| {
        let fields: Vec<String> = cells.iter().map(field).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    };
    row(&HEADER.map(Cell::Text));
    for a in &report.assessments {
        let who = a.respondent.fields().map(|(_, v)| v.unwrap_or(""));
        for area in &a.areas {
            let na: Vec<String> = a
                .not_applicable
                .iter()
                .filter(|n| n.area == area.id)
                .map(|n| format!("{}: {}", n.id, n.reason))
                .collect();
            let na = na.join("\n");
            let n = |x: usize| Cell::Number(i64::try_from(x).ok());
            row(&[
                Cell::Text(&a.file),
                Cell::Text(who[0]),
                Cell::Text(who[1]),
                Cell::Text(who[2]),
                Cell::Text(who[3]),
                Cell::Text(&area.id),
                Cell::Text(&area.name),
                Cell::Text(area.status.as_str()),
                Cell::Number(area.level),
                Cell::Number(area.target),
                n(area.performed),
                n(area.applicable),
                Cell::Text(&na),
            ]);
        }
    }
    out
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
