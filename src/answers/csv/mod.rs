//! Answer files as CSV, the layout survey-csv.js writes and reads (the
//! README's "Answer files as CSV"): one row per question; the file's fields
//! (respondent, model, format, version) repeat on every row and an area's
//! (`in_scope`, `target`) on every row of the area; evidence in column pairs
//! `evidence_N_href`, `evidence_N_description`.
//!
//! The records are split by csv-core (RFC 4180, the quoting spreadsheets
//! write); csv-core takes any bytes, so the quote mistakes it lets through
//! (a quote left open, text after a closing quote, a quote inside an
//! unquoted cell) are errors here, as they are in the browser. The table
//! becomes the tree a JSON file gives, each value at its cell's line and
//! column, and the JSON reader's checks run over it: a CSV file gets the
//! same diagnostics as the same answers in JSON, at the cells that hold them.

mod write;

pub use write::{Layout, Row, write};

use super::{RESPONDENT_FIELDS, Reader};
use crate::diag::{advance, did_you_mean};
use crate::yaml::{Key, Node, Pos, Span, Value};
use csv_core::ReadFieldResult;
use std::collections::HashMap;

/// The columns besides the evidence pairs, in the order export writes them.
pub const COLUMNS: [&str; 17] = [
    "area",
    "id",
    "title",
    "answer",
    "label",
    "note",
    "reason",
    "in_scope",
    "target",
    "respondent_organization",
    "respondent_scope",
    "respondent_assessor",
    "respondent_date",
    "model",
    "model_version",
    "format",
    "version",
];
/// The file's own fields, the same on every row.
const FILE_COLUMNS: [&str; 8] = [
    "respondent_organization",
    "respondent_scope",
    "respondent_assessor",
    "respondent_date",
    "model",
    "model_version",
    "format",
    "version",
];
const REQUIRED: [&str; 5] = ["id", "answer", "model", "format", "version"];

/// A cell: its text as the file holds it (unquoted), and where it starts.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    pos: Pos,
}

impl Cell {
    /// The text without the ' that export puts before a formula-like cell.
    fn value(&self) -> String {
        unquote(&self.text).to_string()
    }

    fn node(&self, value: Value) -> Node {
        Node {
            pos: self.pos,
            span: Span::default(),
            value,
        }
    }

    fn key(&self, name: &str) -> Key {
        Key {
            name: name.to_string(),
            pos: self.pos,
            span: Span::default(),
        }
    }
}

/// Takes off the ' export puts before text starting with = + - @ tab or CR
/// (and before quotes followed by one), and nothing else: export, import,
/// export gives the same bytes.
pub fn unquote(s: &str) -> &str {
    let rest = s.trim_start_matches('\'');
    if rest.len() < s.len() && rest.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        &s[1..]
    } else {
        s
    }
}

impl Reader<'_> {
    /// The CSV text as the tree of an answer file, or `None` when its
    /// table cannot be read (then its errors are in `self.diags`).
    pub(super) fn csv_document(&mut self, text: &str) -> Option<Node> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let before = self.diags.len();
        let records = self.records(text);
        let Some((head, rows)) = records.split_first() else {
            let help =
                Some("a CSV answer file starts with a header row: area,id,title,answer,...".into());
            self.error(Pos { line: 1, col: 1 }, 1, "the file is empty".into(), help);
            return None;
        };
        let columns = self.header(head)?;
        if rows.is_empty() {
            let message = "the file has a header and no rows: it says nothing of the model, the respondent or the answers";
            self.error(head[0].pos, 1, message.into(), None);
            return None;
        }
        let mut table = Table {
            columns,
            first: HashMap::new(),
            answers: Vec::new(),
            lines: HashMap::new(),
            areas: Vec::new(),
        };
        for row in rows {
            self.row(&mut table, head.len(), row);
        }
        let (areas_in_scope, targets) = self.area_fields(&table);
        let file = table.file_fields(areas_in_scope, targets, &rows[0][0]);
        (self.diags.len() == before).then_some(file)
    }

    /// Every record with its cells' positions.
    fn records(&mut self, text: &str) -> Vec<Vec<Cell>> {
        let bytes = text.as_bytes();
        let mut rdr = csv_core::Reader::new();
        let (mut records, mut record) = (Vec::new(), Vec::new());
        let mut buf = vec![0u8; 1024];
        let (mut at, mut start, mut len) = (0, 0, 0);
        let mut position = (1, 1);
        loop {
            let (res, nin, nout) = rdr.read_field(&bytes[at..], &mut buf[len..]);
            at += nin;
            len += nout;
            let end = match res {
                // All the text is given at once: empty input then says it ends.
                ReadFieldResult::InputEmpty => continue,
                ReadFieldResult::OutputFull => {
                    buf.resize(buf.len() * 2, 0);
                    continue;
                }
                ReadFieldResult::End => break,
                ReadFieldResult::Field { record_end } => record_end,
            };
            // A record's first field: csv-core has read the line breaks
            // before it (a CRLF's LF, blank lines) as part of it.
            let raw = &text[start..at];
            let body = if record.is_empty() {
                raw.trim_start_matches(['\r', '\n'])
            } else {
                raw
            };
            position = advance(position, 1, &raw[..raw.len() - body.len()]);
            let pos = Pos {
                line: position.0,
                col: position.1,
            };
            position = advance(position, 1, body);
            let cell = if end {
                body.strip_suffix(['\r', '\n']).unwrap_or(body)
            } else {
                body.strip_suffix(',').unwrap_or(body)
            };
            if !self.check_quotes(cell, pos) {
                break; // a quote left open runs to the end: no record there
            }
            record.push(Cell {
                text: String::from_utf8_lossy(&buf[..len]).into_owned(),
                pos,
            });
            (start, len) = (at, 0);
            if end {
                let blank = record.len() == 1 && cell.is_empty();
                if !blank {
                    records.push(std::mem::take(&mut record));
                }
                record.clear();
            }
        }
        records
    }

    /// A misplaced quote at byte `at` of the cell `raw`, which starts at `pos`.
    fn quote_error(&mut self, raw: &str, pos: Pos, at: usize, message: &str) {
        let (line, col) = advance((pos.line, pos.col), 1, &raw[..at]);
        let help = Some("quote the whole cell and double the quotes inside".into());
        self.error(Pos { line, col }, 1, message.to_string(), help);
    }

    /// What csv-core reads without a word: a quote left open, text after
    /// a closing quote, a quote inside an unquoted cell. False when the
    /// cell's quote is left open.
    fn check_quotes(&mut self, raw: &str, pos: Pos) -> bool {
        let Some(inner) = raw.strip_prefix('"') else {
            if let Some(i) = raw.find('"') {
                self.quote_error(raw, pos, i, "a quote inside an unquoted cell");
            }
            return true;
        };
        let mut chars = inner.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            if c != '"' {
                continue;
            }
            if chars.peek().is_some_and(|&(_, c)| c == '"') {
                chars.next();
                continue;
            }
            if i + 1 < inner.len() {
                self.quote_error(raw, pos, i + 2, "text after a quoted cell's closing quote");
            }
            return true;
        }
        let help = Some("a quoted cell ends with a quote; a quote inside one is doubled".into());
        self.error(
            pos,
            1,
            "a quoted cell is not closed: a \" is missing".into(),
            help,
        );
        false
    }

    /// The columns by name; `None` when one is unknown, twice, or missing.
    fn header(&mut self, head: &[Cell]) -> Option<Columns> {
        let before = self.diags.len();
        let mut columns = Columns::default();
        for (i, cell) in head.iter().enumerate() {
            let name = cell.text.as_str();
            let len = name.chars().count().max(1);
            if columns.at.contains_key(name) {
                self.error(
                    cell.pos,
                    len,
                    format!("the column `{name}` is there twice"),
                    None,
                );
            } else if let Some(k) = evidence_column(name) {
                columns.evidence.push(k);
            } else if !COLUMNS.contains(&name) {
                let help = did_you_mean(name, COLUMNS).or_else(|| {
                    Some(format!(
                        "the columns are {}, evidence_1_href, evidence_1_description, ...",
                        COLUMNS.join(", ")
                    ))
                });
                self.error(cell.pos, len, format!("unknown column `{name}`"), help);
            }
            columns.at.insert(name.to_string(), i);
        }
        for name in REQUIRED {
            if !columns.at.contains_key(name) {
                let message = format!("the column `{name}` is missing");
                self.error(head[0].pos, 1, message, None);
            }
        }
        columns.evidence.sort_unstable();
        columns.evidence.dedup();
        (self.diags.len() == before).then_some(columns)
    }

    /// A cell every row (`area` None) or every row of an area gives alike.
    fn same(&mut self, first: &mut Firsts, area: Option<&str>, column: &str, cell: &Cell) {
        let key = (area.unwrap_or_default().to_string(), column.to_string());
        let Some(first) = first.get(&key) else {
            first.insert(key, cell.clone());
            return;
        };
        if first.text == cell.text {
            return;
        }
        let (what, help) = match area {
            Some(a) => (
                format!("`{column}` of {a}"),
                "every row of an area gives the same",
            ),
            None => (
                format!("`{column}`"),
                "every row of the file gives the same: one file is one assessment",
            ),
        };
        let message = format!(
            "{what} is {:?} here and {:?} on line {}",
            cell.value(),
            first.value(),
            first.pos.line
        );
        self.error(
            cell.pos,
            cell.text.chars().count().max(1),
            message,
            Some(help.into()),
        );
    }

    fn row(&mut self, table: &mut Table, width: usize, row: &[Cell]) {
        if row.iter().all(|c| c.text.is_empty()) {
            return; // a spreadsheet's empty row says nothing
        }
        if row.len() != width {
            let at = row.get(width).or(row.last()).map_or(row[0].pos, |c| c.pos);
            let message = format!("this row has {} cells and the header {width}", row.len());
            self.error(at, 1, message, None);
            return;
        }
        let get = |name: &str| table.columns.at.get(name).map(|&i| &row[i]);
        for column in FILE_COLUMNS {
            if let Some(cell) = get(column).cloned() {
                self.same(&mut table.first, None, column, &cell);
            }
        }
        let area = get("area").map(Cell::value).unwrap_or_default();
        for column in ["in_scope", "target"] {
            let Some(cell) = get(column).cloned().filter(|c| !c.text.is_empty()) else {
                continue;
            };
            if area.is_empty() {
                let message = format!("`{column}` is given on a row without an area");
                self.error(cell.pos, cell.text.chars().count(), message, None);
            } else {
                self.same(&mut table.first, Some(&area), column, &cell);
            }
        }
        if !area.is_empty() && !table.areas.iter().any(|(a, _)| a == &area) {
            let cell = get("in_scope")
                .or(get("area"))
                .cloned()
                .unwrap_or_else(|| row[0].clone());
            table.areas.push((area, cell));
        }
        let id = get("id").cloned().unwrap_or_else(|| row[0].clone());
        let fields = self.entry_fields(&table.columns, row);
        let name = id.value();
        if name.is_empty() {
            if !fields.is_empty() {
                let message = "a row without an id holds an answer".to_string();
                self.error(id.pos, 1, message, Some("give the question's id".into()));
            }
            return;
        }
        if let Some(line) = table.lines.get(&name) {
            let message = format!("the question `{name}` is also on line {line}");
            self.error(id.pos, name.chars().count(), message, None);
            return;
        }
        table.lines.insert(name.clone(), id.pos.line);
        if !fields.is_empty() {
            let entry = id.node(Value::Map(fields));
            table.answers.push((id.key(&name), entry));
        }
    }

    /// A row's answer: `value`, `note`, `reason`, `evidence`, as given.
    fn entry_fields(&mut self, columns: &Columns, row: &[Cell]) -> Vec<(Key, Node)> {
        let get = |name: &str| columns.at.get(name).map(|&i| &row[i]);
        let mut fields = Vec::new();
        if let Some(cell) = get("answer").filter(|c| !c.text.is_empty()) {
            let value = match cell.text.as_str() {
                "na" => Value::Str("na".into()),
                s => number(s).unwrap_or_else(|| Value::Str(cell.value())),
            };
            fields.push((cell.key("value"), cell.node(value)));
        }
        for name in ["note", "reason"] {
            if let Some(cell) = get(name).filter(|c| !c.text.is_empty()) {
                fields.push((cell.key(name), cell.node(Value::Str(cell.value()))));
            }
        }
        let mut items = Vec::new();
        for k in &columns.evidence {
            let href = get(&format!("evidence_{k}_href")).filter(|c| !c.text.is_empty());
            let description =
                get(&format!("evidence_{k}_description")).filter(|c| !c.text.is_empty());
            match (href, description) {
                (Some(h), d) => {
                    let mut item = vec![(h.key("href"), h.node(Value::Str(h.value())))];
                    if let Some(d) = d {
                        item.push((d.key("description"), d.node(Value::Str(d.value()))));
                    }
                    items.push(h.node(Value::Map(item)));
                }
                (None, Some(d)) => {
                    let message = format!("evidence_{k}_description without evidence_{k}_href");
                    let help = Some("evidence needs a link or a document reference".into());
                    self.error(d.pos, d.text.chars().count(), message, help);
                }
                (None, None) => {}
            }
        }
        if let Some(first) = items.first() {
            let pos = first.pos;
            let key = Key {
                name: "evidence".into(),
                pos,
                span: Span::default(),
            };
            fields.push((
                key,
                Node {
                    pos,
                    span: Span::default(),
                    value: Value::Seq(items),
                },
            ));
        }
        fields
    }

    /// `areas_in_scope` (yes or no for every area, or no list when every
    /// row leaves it empty) and `targets`, from the rows of each area.
    fn area_fields(&mut self, table: &Table) -> (Option<Node>, Option<Node>) {
        let mut in_scope: Vec<Node> = Vec::new();
        let mut listed = false;
        let mut targets = Vec::new();
        for (area, _) in &table.areas {
            let Some(cell) = table.first.get(&(area.clone(), "in_scope".into())) else {
                continue;
            };
            listed = true;
            match cell.text.to_lowercase().as_str() {
                "yes" => in_scope.push(cell.node(Value::Str(area.clone()))),
                "no" => {}
                _ => {
                    let message = format!("in_scope is yes or no, not {:?}", cell.value());
                    self.error(cell.pos, cell.text.chars().count(), message, None);
                }
            }
        }
        for (area, cell) in &table.areas {
            let key = (area.clone(), "in_scope".to_string());
            if listed && !table.first.contains_key(&key) {
                let message = format!("in_scope of {area} is empty and other areas say yes or no");
                let help = Some("say it for every area, or for none to assess every area".into());
                self.error(cell.pos, 1, message, help);
            }
            if let Some(t) = table.first.get(&(area.clone(), "target".into())) {
                let value = number(&t.text).unwrap_or_else(|| Value::Str(t.value()));
                targets.push((t.key(area), t.node(value)));
            }
        }
        let at = |list: &[(Key, Node)]| list.first().map(|(k, _)| k.pos);
        let targets = at(&targets).map(|pos| Node {
            pos,
            span: Span::default(),
            value: Value::Map(targets),
        });
        let first = table.areas.first().map(|(_, c)| c.pos).unwrap_or_default();
        let scope = listed.then(|| Node {
            pos: in_scope.first().map_or(first, |n| n.pos),
            span: Span::default(),
            value: Value::Seq(in_scope),
        });
        (scope, targets)
    }
}

/// The header: where each column is, and the evidence pairs' numbers.
#[derive(Debug, Default)]
struct Columns {
    at: HashMap<String, usize>,
    evidence: Vec<u32>,
}

/// The first cell of each file column (area ""), and of each area's.
type Firsts = HashMap<(String, String), Cell>;

/// The table as read so far.
struct Table {
    columns: Columns,
    first: Firsts,
    answers: Vec<(Key, Node)>,
    /// The line of each question's row.
    lines: HashMap<String, u32>,
    /// The areas in the order of their rows, each with a cell to point at.
    areas: Vec<(String, Cell)>,
}

impl Table {
    /// The answer file's tree, its fields in the order a JSON export has them.
    fn file_fields(
        self,
        areas_in_scope: Option<Node>,
        targets: Option<Node>,
        start: &Cell,
    ) -> Node {
        let get = |c: &str| self.first.get(&(String::new(), c.to_string()));
        let mut fields = Vec::new();
        for column in ["format", "version", "model", "model_version"] {
            let Some(cell) =
                get(column).filter(|c| !c.text.is_empty() || column != "model_version")
            else {
                continue;
            };
            let value = match column {
                "version" => number(&cell.text).unwrap_or_else(|| Value::Str(cell.value())),
                _ => Value::Str(cell.value()),
            };
            fields.push((cell.key(column), cell.node(value)));
        }
        let mut respondent = Vec::new();
        for name in RESPONDENT_FIELDS {
            if let Some(cell) = get(&format!("respondent_{name}")).filter(|c| !c.text.is_empty()) {
                respondent.push((cell.key(name), cell.node(Value::Str(cell.value()))));
            }
        }
        fields.push((start.key("respondent"), start.node(Value::Map(respondent))));
        if let Some(scope) = areas_in_scope {
            fields.push((
                Key {
                    name: "areas_in_scope".into(),
                    pos: scope.pos,
                    span: Span::default(),
                },
                scope,
            ));
        }
        if let Some(targets) = targets {
            fields.push((
                Key {
                    name: "targets".into(),
                    pos: targets.pos,
                    span: Span::default(),
                },
                targets,
            ));
        }
        fields.push((start.key("answers"), start.node(Value::Map(self.answers))));
        start.node(Value::Map(fields))
    }
}

/// `evidence_N_href` or `evidence_N_description`: N, from 1.
fn evidence_column(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("evidence_")?;
    let (n, field) = rest.split_once('_')?;
    let ok = matches!(field, "href" | "description")
        && !n.starts_with('0')
        && (1..=3).contains(&n.len())
        && n.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| n.parse().ok()).flatten()
}

/// A number as JSON writes it (what the browser reads as one), or `None`.
fn number(s: &str) -> Option<Value> {
    if !s.starts_with(|c: char| c == '-' || c.is_ascii_digit()) || s.trim() != s {
        return None;
    }
    match serde_json::from_str::<serde_json::Number>(s).ok()? {
        n if n.is_i64() => n.as_i64().map(Value::Int),
        n => n.as_f64().map(Value::Float),
    }
}

#[cfg(test)]
mod tests;
