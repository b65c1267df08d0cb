//! Answer files: the survey's answers as the browser exports them (JSON,
//! format `refbook-survey`, versions 1 and 2 of the format page), read with
//! positions so that a bad file gets diagnostics like content errors:
//! file:line:col, every problem of the file at once, a suggestion where one
//! is likely.
//!
//! The text is checked as JSON by serde_json first (the browser reads files
//! with `JSON.parse`, so what is not JSON, such as a trailing comma, is
//! refused here too), then read again by the YAML reader (YAML 1.2 reads
//! JSON) for the position of every key and value. What the scoring rules
//! would refuse (a value off the scale, `na` without a reason or on a
//! generic practice, a file of another model) is an error; an answer or a
//! plan entry for a question the model does not have is a warning (the
//! browser keeps such answers, and they count for nothing).

pub mod csv;
mod entries;
mod fast;
mod plan;
pub mod renames;
mod scope;

pub use plan::{PlanEntry, is_date};

use crate::diag::{Diagnostic, Loc, did_you_mean, has_errors, summary};
use crate::scoring::{Answers, Scope, Survey};
use crate::yaml::{self, Key, Node, Pos, Value};
use serde::Serialize;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::sync::Arc;

/// The `format` of an answer file.
pub const FORMAT: &str = "refbook-survey";
/// The versions of the format this reads.
pub const VERSIONS: [i64; 2] = [1, 2];
/// The respondent's details, in the order the survey shows them.
pub const RESPONDENT_FIELDS: [&str; 4] = ["organization", "scope", "assessor", "date"];

const FILE_FIELDS: [&str; 9] = [
    "format",
    "version",
    "model",
    "model_version",
    "respondent",
    "areas_in_scope",
    "targets",
    "plan",
    "answers",
];
/// Fields that version 1 does not have.
const V2_FILE_FIELDS: [&str; 3] = ["areas_in_scope", "targets", "plan"];

/// An answer file that can be scored.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AnswerFile {
    pub version: i64,
    pub model: String,
    pub model_version: Option<String>,
    pub respondent: Respondent,
    pub scope: Scope,
    pub answers: Answers,
    /// Evidence by question id, in the file's order.
    pub evidence: BTreeMap<String, Vec<Evidence>>,
    /// Where the file gives its respondent (the `respondent` key), for
    /// messages that name two files of one respondent; `None` without one,
    /// or when the file was read without positions (see
    /// [`respondent_position`]).
    pub respondent_at: Option<Pos>,
    /// The action plan by question id (version 2), in id order.
    pub plan: BTreeMap<String, PlanEntry>,
}

/// Who answered, for what.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Respondent {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl Respondent {
    /// The details given, in [`RESPONDENT_FIELDS`] order.
    pub fn fields(&self) -> [(&'static str, Option<&str>); 4] {
        [
            ("organization", self.organization.as_deref()),
            ("scope", self.scope.as_deref()),
            ("assessor", self.assessor.as_deref()),
            ("date", self.date.as_deref()),
        ]
    }
}

/// A reference to what supports an answer: a link or a document reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Evidence {
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A file read without errors, and its warnings.
#[derive(Debug, Clone)]
pub struct Read {
    pub file: AnswerFile,
    pub warnings: Vec<Diagnostic>,
}

/// A file that cannot be scored: every problem found in it (its errors, and
/// any warnings beside them).
#[derive(Debug, Clone)]
pub struct Invalid(pub Vec<Diagnostic>);

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.first() {
            Some(d) => write!(f, "{} in {}", summary(&self.0), d.loc.file),
            None => f.write_str("the answer file cannot be read"),
        }
    }
}

impl std::error::Error for Invalid {}

/// Reads the answer file at `path`, named `label` in diagnostics (as the
/// user gave it), against the survey of the book.
pub fn read_path(path: &Path, label: &str, survey: &Survey) -> Result<Read, Invalid> {
    let loc = Loc {
        file: label.into(),
        ..Loc::default()
    };
    let bytes = std::fs::read(path).map_err(|e| {
        Invalid(vec![Diagnostic::error(
            loc.clone(),
            format!("cannot read: {e}"),
        )])
    })?;
    let csv = is_csv(path);
    let text = String::from_utf8(bytes).map_err(|e| {
        let what = if csv {
            "not UTF-8 text: a CSV answer file is UTF-8"
        } else {
            "not UTF-8 text: an answer file is JSON"
        };
        let d = Diagnostic::error(loc, what).help(format!(
            "the first bad byte is at offset {}",
            e.utf8_error().valid_up_to()
        ));
        Invalid(vec![d])
    })?;
    if csv {
        read_csv(&text, label, survey)
    } else {
        read(&text, label, survey)
    }
}

/// Whether `path` names a CSV answer file (`*.csv`); others are read as JSON.
pub fn is_csv(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case("csv"))
}

/// Reads an answer file's text; `file` names it in diagnostics.
///
/// A file without any problem is read once, as JSON, without positions
/// ([`fast`]); only a file with something to say is read again with the
/// position of every key and value, which costs ten times as much.
pub fn read(text: &str, file: &str, survey: &Survey) -> Result<Read, Invalid> {
    if let Some(read) = fast::read(text, file, survey) {
        return Ok(read);
    }
    let mut r = Reader::new(file, survey);
    let out = r.document(text);
    r.finish(out)
}

/// Reads a CSV answer file's text (the layout of [`csv`]) into the same
/// [`AnswerFile`] as its JSON would give, with the same checks.
pub fn read_csv(text: &str, file: &str, survey: &Survey) -> Result<Read, Invalid> {
    let mut r = Reader::new(file, survey);
    let out = r.csv_document(text).and_then(|node| r.file(&node));
    r.finish(out)
}

impl Reader<'_> {
    /// The file read, or every problem found.
    fn finish(mut self, out: Option<AnswerFile>) -> Result<Read, Invalid> {
        // In the order of the file, whatever order the checks ran in.
        self.diags.sort_by_key(|d| (d.loc.line, d.loc.col));
        match out {
            Some(file) if !has_errors(&self.diags) => Ok(Read {
                file,
                warnings: self.diags,
            }),
            _ => Err(Invalid(self.diags)),
        }
    }
}

/// Where an answer file's text gives its `respondent` (the file was read
/// without positions, and a message needs the place).
pub fn respondent_position(text: &str) -> Option<Pos> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let node = yaml::parse(text).ok()?;
    match node.value {
        Value::Map(fields) => fields
            .into_iter()
            .find(|(k, _)| k.name == "respondent")
            .map(|(k, _)| k.pos),
        _ => None,
    }
}

/// A question of the survey: its area, and whether it is a generic practice.
#[derive(Debug, Clone, Copy)]
struct Question<'s> {
    area: &'s str,
    generic: bool,
}

/// One file being read: its problems as they are found.
struct Reader<'s> {
    file: Arc<str>,
    survey: &'s Survey,
    questions: HashMap<&'s str, Question<'s>>,
    /// The question ids in model order (suggestions are then the same on
    /// every run).
    order: Vec<&'s str>,
    version: i64,
    diags: Vec<Diagnostic>,
}

impl<'s> Reader<'s> {
    /// Whether an answer to `id` moves to a question of this model (it
    /// names an id the model renamed): not an unknown id, then.
    fn moves_on(&self, id: &str) -> bool {
        renames::target(&self.survey.renames, id)
            .is_some_and(|new| self.questions.contains_key(new.as_str()))
    }

    fn new(file: &str, survey: &'s Survey) -> Self {
        let mut questions = HashMap::new();
        let mut order = Vec::new();
        for a in &survey.areas {
            let practices = a.objectives.iter().flat_map(|o| &o.practices);
            for (q, generic) in practices
                .map(|p| (p, false))
                .chain(a.goals.iter().flat_map(|g| &g.questions).map(|q| (q, true)))
            {
                let question = Question {
                    area: &a.code,
                    generic,
                };
                if let Entry::Vacant(e) = questions.entry(q.id.as_str()) {
                    e.insert(question);
                    order.push(q.id.as_str());
                }
            }
        }
        Reader {
            file: file.into(),
            survey,
            questions,
            order,
            version: 0,
            diags: Vec::new(),
        }
    }

    fn loc(&self, pos: Pos) -> Loc {
        Loc {
            file: self.file.clone(),
            line: pos.line,
            col: pos.col,
        }
    }

    /// Adds an error at `pos`, `len` characters long.
    fn error(&mut self, pos: Pos, len: usize, message: String, help: Option<String>) {
        let d = Diagnostic::error(self.loc(pos), message);
        self.diags.push(d.len(len).maybe_help(help));
    }

    fn warning(&mut self, pos: Pos, len: usize, message: String, help: Option<String>) {
        let d = Diagnostic::warning(self.loc(pos), message);
        self.diags.push(d.len(len).maybe_help(help));
    }

    /// The whole file; `None` when it is not an answer file of this model
    /// at all (then only that is said).
    fn document(&mut self, text: &str) -> Option<AnswerFile> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let start = Pos { line: 1, col: 1 };
        if text.trim().is_empty() {
            let help =
                Some(r#"an answer file is a JSON object {"format": "refbook-survey", ...}"#.into());
            self.error(start, 1, "the file is empty".into(), help);
            return None;
        }
        if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
            let pos = Pos {
                line: e.line().max(1) as u32,
                col: e.column().max(1) as u32,
            };
            let help = trailing_comma(text, pos)
                .then(|| "JSON has no comma before a closing } or ]".into());
            self.error(pos, 1, format!("not JSON: {}", json_message(&e)), help);
            return None;
        }
        let node = match yaml::parse(text) {
            Ok(n) => n,
            Err(e) => {
                let message = match e.message.strip_prefix("duplicate mapping key: ") {
                    Some(rest) => format!(
                        "`{}` is given twice",
                        rest.split(',').next().unwrap_or(rest)
                    ),
                    None => e.message,
                };
                self.error(e.pos, 1, message, None);
                return None;
            }
        };
        self.file(&node)
    }

    /// An answer file's tree (from JSON, or from a CSV table).
    fn file(&mut self, node: &Node) -> Option<AnswerFile> {
        let Value::Map(fields) = &node.value else {
            let help =
                Some(r#"an answer file is a JSON object {"format": "refbook-survey", ...}"#.into());
            let message = format!("an answer file is a JSON object, not {}", node.value.kind());
            self.error(node.pos, 1, message, help);
            return None;
        };
        let (version, model) = self.head(node.pos, fields)?;
        self.version = version;
        self.fields(fields, &FILE_FIELDS, &V2_FILE_FIELDS, "an answer file");
        let mut out = AnswerFile {
            version,
            model,
            ..AnswerFile::default()
        };
        for (key, value) in fields {
            match key.name.as_str() {
                "model_version" => out.model_version = self.model_version(value),
                "respondent" => {
                    out.respondent = self.respondent(value);
                    out.respondent_at = Some(key.pos);
                }
                "areas_in_scope" if version >= 2 => {
                    out.scope.areas_in_scope = self.areas_in_scope(value)
                }
                "targets" if version >= 2 => out.scope.targets = self.targets(value),
                "plan" if version >= 2 => out.plan = self.plan(value),
                "answers" => (out.answers, out.evidence) = self.answers(value),
                _ => {}
            }
        }
        if !fields.iter().any(|(k, _)| k.name == "answers") {
            let help = Some(r#"add "answers": {} with an entry per question answered"#.into());
            self.error(node.pos, 1, "missing field `answers`".into(), help);
        }
        Some(out)
    }

    /// `format`, `version` and `model`: without the right ones nothing else
    /// of the file is read.
    fn head(&mut self, at: Pos, fields: &[(Key, Node)]) -> Option<(i64, String)> {
        let get = |name: &str| fields.iter().find(|(k, _)| k.name == name).map(|(_, v)| v);
        let errors = self.diags.len();
        match get("format").map(|v| (v, &v.value)) {
            Some((_, Value::Str(f))) if f == FORMAT => {}
            Some((v, other)) => {
                let help = match other {
                    Value::Str(s) => did_you_mean(s, [FORMAT]),
                    _ => None,
                }
                .or_else(|| {
                    Some(format!(
                        "a refbook answer file says \"format\": \"{FORMAT}\""
                    ))
                });
                let message = format!(
                    "this is not a refbook answer file: its format is {}",
                    shown(other)
                );
                self.error(v.pos, width(other), message, help);
            }
            None => {
                let help = Some(format!(
                    "a refbook answer file says \"format\": \"{FORMAT}\""
                ));
                self.error(
                    at,
                    1,
                    "missing field `format`: this is not a refbook answer file".into(),
                    help,
                );
            }
        }
        let version = match get("version").map(|v| (v, &v.value)) {
            Some((_, Value::Int(n))) if VERSIONS.contains(n) => *n,
            Some((v, other)) => {
                let message = format!(
                    "version {} of the answer file format is not one refbook reads",
                    shown(other)
                );
                self.error(
                    v.pos,
                    width(other),
                    message,
                    Some("refbook reads versions 1 and 2".into()),
                );
                0
            }
            None => {
                self.error(
                    at,
                    1,
                    "missing field `version`".into(),
                    Some(r#"add "version": 2"#.into()),
                );
                0
            }
        };
        let model = self.survey.model.as_str();
        let id = match get("model").map(|v| (v, &v.value)) {
            Some((_, Value::Str(m))) if m == model => m.clone(),
            Some((v, other)) => {
                let message = format!(
                    "the answers are for the model {}, and this book is the model `{model}`",
                    shown(other)
                );
                let help = match other {
                    Value::Str(s) => did_you_mean(s, [model]),
                    _ => None,
                }
                .or_else(|| Some("score them against that model's book (--book DIR)".into()));
                self.error(v.pos, width(other), message, help);
                String::new()
            }
            None => {
                let help = Some(format!("add \"model\": \"{model}\""));
                self.error(at, 1, "missing field `model`".into(), help);
                String::new()
            }
        };
        (self.diags.len() == errors).then_some((version, id))
    }

    /// Reports the keys of `fields` that `allowed` does not hold; those of
    /// `v2_only` are named as such in a file of version 1.
    fn fields(&mut self, fields: &[(Key, Node)], allowed: &[&str], v2_only: &[&str], what: &str) {
        for (key, _) in fields {
            let name = key.name.as_str();
            let len = name.chars().count() + 2;
            if self.version < 2 && v2_only.contains(&name) {
                let help = Some(format!(r#"write "version": 2 to use `{name}`"#));
                self.error(
                    key.pos,
                    len,
                    format!("version 1 of the format has no `{name}`"),
                    help,
                );
            } else if !allowed.contains(&name) {
                let fields = allowed
                    .iter()
                    .filter(|f| self.version >= 2 || !v2_only.contains(f));
                let help = did_you_mean(name, allowed.iter().copied()).or_else(|| {
                    let known: Vec<String> = fields.map(|f| format!("`{f}`")).collect();
                    Some(format!("{what} has {}", known.join(", ")))
                });
                self.error(
                    key.pos,
                    len,
                    format!("unknown field `{name}` in {what}"),
                    help,
                );
            }
        }
    }

    fn model_version(&mut self, v: &Node) -> Option<String> {
        let ours = self.survey.model_version.as_deref();
        match &v.value {
            Value::Str(s) => {
                if ours.is_some_and(|o| o != s) {
                    let message = format!(
                        "the answers were given to version \"{s}\" of the model; this book is version \"{}\"",
                        ours.unwrap_or_default()
                    );
                    let help = Some("questions the versions do not share count for nothing".into());
                    self.warning(v.pos, s.chars().count() + 2, message, help);
                }
                Some(s.clone())
            }
            Value::Null => None,
            other => {
                self.error(
                    v.pos,
                    width(other),
                    format!("`model_version` is text, not {}", other.kind()),
                    None,
                );
                None
            }
        }
    }
}

/// serde_json's message without its position (the diagnostic carries it).
fn json_message(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

/// Whether the text before `pos` ends with a comma and `pos` is a closing
/// bracket: a trailing comma, which JSON does not allow.
fn trailing_comma(text: &str, pos: Pos) -> bool {
    let mut start = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        if n + 1 == pos.line as usize {
            let Some((i, _)) = line.char_indices().nth(pos.col as usize - 1) else {
                return false;
            };
            let i = start + i;
            return text[i..].starts_with(['}', ']']) && text[..i].trim_end().ends_with(',');
        }
        start += line.len();
    }
    false
}

/// A value as the file writes it, shortened for a message.
fn shown(v: &Value) -> String {
    let s = match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Float(f) => f.to_string(),
        Value::Str(s) => serde_json::to_string(s).unwrap_or_default(),
        Value::Seq(_) => "a list".into(),
        Value::Map(_) => "an object".into(),
    };
    if s.chars().count() > 60 {
        s.chars().take(57).collect::<String>() + "..."
    } else {
        s
    }
}

/// How many characters to underline for a value.
fn width(v: &Value) -> usize {
    match v {
        Value::Str(s) => s.chars().count() + 2,
        Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::Null => shown(v).chars().count(),
        Value::Seq(_) | Value::Map(_) => 1,
    }
}

#[cfg(test)]
mod tests;
