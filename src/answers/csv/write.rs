//! An answer file written as CSV, byte for byte as survey-csv.js's
//! `format` writes it in the browser: what `refbook report` reads back, and
//! what a spreadsheet opens without running a cell.

use super::COLUMNS;
use crate::answers::{AnswerFile, FORMAT};
use crate::scoring::AnswerValue;
use std::collections::HashSet;

/// What the CSV shows beside the answers, from the survey data
/// (`assets/survey-data.js`): the questions in model order with their area
/// and title, the areas, and the scale's words.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub questions: Vec<Row>,
    /// Every area, code and name: one without questions gets a row of its
    /// own, which holds its `in_scope` and `target`.
    pub areas: Vec<(String, String)>,
    /// The scale: value and label.
    pub labels: Vec<(i64, String)>,
}

/// A question: its area, id and title.
#[derive(Debug, Clone, Default)]
pub struct Row {
    pub area: String,
    pub id: String,
    pub title: String,
}

impl Layout {
    /// The layout of the survey data (the JSON `assets/survey-data.js`
    /// holds); parts it lacks are left empty.
    pub fn from_survey(data: &serde_json::Value) -> Layout {
        let text = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        let list = |v: &serde_json::Value, k: &str| v[k].as_array().cloned().unwrap_or_default();
        let mut out = Layout::default();
        for area in list(data, "areas") {
            let code = text(&area, "code");
            let practices = list(&area, "objectives")
                .into_iter()
                .flat_map(|o| list(&o, "practices"));
            let generic = list(&area, "goals")
                .into_iter()
                .flat_map(|g| list(&g, "questions"));
            for q in practices.chain(generic) {
                out.questions.push(Row {
                    area: code.clone(),
                    id: text(&q, "id"),
                    title: text(&q, "title"),
                });
            }
            out.areas.push((code, text(&area, "name")));
        }
        for s in list(data, "scale") {
            if let Some(v) = s["value"].as_i64() {
                out.labels.push((v, text(&s, "label")));
            }
        }
        out
    }

    /// The words of an answer, as the survey shows them.
    fn label(&self, v: &AnswerValue) -> String {
        match v {
            AnswerValue::NotApplicable => "Not applicable".into(),
            AnswerValue::Number(n) => self
                .labels
                .iter()
                .find(|(v, _)| *v as f64 == *n)
                .map_or_else(|| "not on the scale".into(), |(_, l)| l.clone()),
            AnswerValue::Other(_) => "not on the scale".into(),
        }
    }
}

/// One cell: numbers stay as they are (even negative ones); text that a
/// spreadsheet would run (it starts with = + - @ tab or CR, after any
/// quotes) gets a leading '; RFC 4180 quoting.
fn cell(out: &mut String, text: &str) {
    let formula = text
        .trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = text.contains([',', '"', '\r', '\n']);
    if quote {
        out.push('"');
    }
    if formula {
        out.push('\'');
    }
    if quote {
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// A number as JavaScript's `String(n)` writes it for the numbers of a
/// scale (whole numbers without a fraction).
fn number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The answer file as CSV: a row per question of the layout, one per area
/// without questions, then one per answer to a question the layout does
/// not have (sorted by id, as the survey exports them).
pub fn write(file: &AnswerFile, layout: &Layout) -> String {
    let width = file
        .evidence
        .values()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(1);
    let mut out = String::new();
    let mut header: Vec<String> = COLUMNS.iter().map(|c| c.to_string()).collect();
    for k in 1..=width {
        header.push(format!("evidence_{k}_href"));
        header.push(format!("evidence_{k}_description"));
    }
    out.push_str(&header.join(","));
    out.push_str("\r\n");
    let asked: HashSet<&str> = layout.questions.iter().map(|q| q.id.as_str()).collect();
    let with_questions: HashSet<&str> = layout.questions.iter().map(|q| q.area.as_str()).collect();
    for q in &layout.questions {
        row(&mut out, file, layout, width, (&q.area, &q.id, &q.title));
    }
    for (code, name) in &layout.areas {
        if !with_questions.contains(code.as_str()) {
            row(&mut out, file, layout, width, (code, "", name));
        }
    }
    let mut others: Vec<&String> = file
        .answers
        .keys()
        .filter(|id| !asked.contains(id.as_str()))
        .collect();
    others.sort();
    for id in others {
        row(
            &mut out,
            file,
            layout,
            width,
            ("", id, "(not in this model)"),
        );
    }
    out
}

fn row(
    out: &mut String,
    file: &AnswerFile,
    layout: &Layout,
    width: usize,
    (area, id, title): (&str, &str, &str),
) {
    let entry = file.answers.get(id).filter(|_| !id.is_empty());
    let value = entry.and_then(|e| e.value.as_ref());
    let text = |s: &str| {
        let mut c = String::new();
        cell(&mut c, s);
        c
    };
    let mut cells = vec![text(area), text(id), text(title)];
    // Numbers the tool writes go out as they are: the answer, the target
    // and the format version; anything else is text.
    match value {
        Some(AnswerValue::Number(n)) => cells.push(number(*n)),
        Some(AnswerValue::NotApplicable) => cells.push("na".into()),
        Some(AnswerValue::Other(o)) => cells.push(text(o.as_str().unwrap_or(&o.to_string()))),
        None => cells.push(String::new()),
    }
    cells.push(text(&value.map(|v| layout.label(v)).unwrap_or_default()));
    cells.push(text(
        entry.and_then(|e| e.note.as_deref()).unwrap_or_default(),
    ));
    cells.push(text(
        entry.and_then(|e| e.reason.as_deref()).unwrap_or_default(),
    ));
    let scope = &file.scope;
    let listed = scope.areas_in_scope.as_ref().filter(|_| !area.is_empty());
    cells.push(match listed {
        Some(l) if l.iter().any(|a| a == area) => "yes".into(),
        Some(_) => "no".into(),
        None => String::new(),
    });
    let target = scope.targets.get(area).filter(|_| !area.is_empty());
    cells.push(target.map(i64::to_string).unwrap_or_default());
    for (_, v) in file.respondent.fields() {
        cells.push(text(v.unwrap_or_default()));
    }
    cells.push(text(&file.model));
    cells.push(text(file.model_version.as_deref().unwrap_or_default()));
    cells.push(text(FORMAT));
    cells.push(file.version.to_string());
    let evidence = file.evidence.get(id).filter(|_| entry.is_some());
    for k in 0..width {
        let e = evidence.and_then(|list| list.get(k));
        cells.push(text(e.map_or("", |e| e.href.as_str())));
        cells.push(text(
            e.and_then(|e| e.description.as_deref()).unwrap_or_default(),
        ));
    }
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}
