//! The `answers` object of an answer file: one entry per question,
//! `{value, note?, reason?, evidence?}`, checked against the survey's rules.

use super::{Evidence, Question, Reader, shown, width};
use crate::diag::did_you_mean;
use crate::scoring::{Answer, AnswerValue, Answers, is_reason};
use crate::yaml::{Key, Node, Pos, Value};
use std::collections::BTreeMap;

const ENTRY_FIELDS: [&str; 4] = ["value", "note", "reason", "evidence"];
/// Fields of an entry that version 1 does not have.
const V2_ENTRY_FIELDS: [&str; 2] = ["reason", "evidence"];
const EVIDENCE_FIELDS: [&str; 2] = ["href", "description"];

impl Reader<'_> {
    pub(super) fn answers(&mut self, v: &Node) -> (Answers, BTreeMap<String, Vec<Evidence>>) {
        let (mut answers, mut evidence) = (Answers::new(), BTreeMap::new());
        let Value::Map(entries) = &v.value else {
            let message = format!(
                "`answers` is an object of answers by question id, such as {{\"EF-1.1\": {{\"value\": 2}}}}, not {}",
                v.value.kind()
            );
            self.error(v.pos, width(&v.value), message, None);
            return (answers, evidence);
        };
        for (key, node) in entries {
            let Some((answer, refs)) = self.entry(key, node) else {
                continue;
            };
            if !refs.is_empty() {
                evidence.insert(key.name.clone(), refs);
            }
            answers.insert(key.name.clone(), answer);
        }
        (answers, evidence)
    }

    /// One entry; `None` when it is not an object.
    fn entry(&mut self, key: &Key, node: &Node) -> Option<(Answer, Vec<Evidence>)> {
        let id = key.name.as_str();
        let question = self.questions.get(id).copied();
        if question.is_none() && !self.moves_on(id) {
            let help = did_you_mean(id, self.order.iter().copied()).or_else(|| {
                Some(
                    "the survey keeps such answers, and lists them as not used by this model"
                        .into(),
                )
            });
            let message =
                format!("no question `{id}` in this model: the answer counts for nothing");
            self.warning(key.pos, id.chars().count() + 2, message, help);
        }
        let Value::Map(fields) = &node.value else {
            let message = format!(
                "an answer is an object such as {{\"value\": 2}}, not {}",
                node.value.kind()
            );
            let help = match &node.value {
                Value::Int(_) | Value::Float(_) | Value::Str(_) => {
                    Some(format!("write {{\"value\": {}}}", shown(&node.value)))
                }
                _ => None,
            };
            self.error(node.pos, width(&node.value), message, help);
            return None;
        };
        self.fields(fields, &ENTRY_FIELDS, &V2_ENTRY_FIELDS, "an answer");
        let get = |name: &str| fields.iter().find(|(k, _)| k.name == name);
        let mut answer = Answer {
            note: self.text(get("note")),
            reason: self.text(get("reason")),
            ..Answer::default()
        };
        let evidence = match get("evidence") {
            Some((_, v)) if self.version >= 2 => self.evidence(v),
            _ => Vec::new(),
        };
        if let Some((_, v)) = get("value") {
            answer.value = self.value(id, question, v, answer.reason.as_deref());
        }
        if let Some((k, _)) = get("reason")
            && answer.reason.is_some()
            && answer.value != Some(AnswerValue::NotApplicable)
        {
            let message = "a reason is read only with \"value\": \"na\"".to_string();
            let help = Some("the reason counts for nothing here; say it in the note".into());
            self.warning(k.pos, 8, message, help);
        }
        Some((answer, evidence))
    }

    /// A text field of an entry (`note`, `reason`): text or null.
    fn text(&mut self, field: Option<&(Key, Node)>) -> Option<String> {
        let (key, v) = field?;
        match &v.value {
            Value::Str(s) => Some(s.clone()),
            Value::Null => None,
            other => {
                let message = format!("`{}` is text, not {}", key.name, other.kind());
                self.error(v.pos, width(other), message, None);
                None
            }
        }
    }

    /// The scale, as a message says it.
    fn scale_text(&self) -> String {
        let mut s: Vec<String> = self
            .survey
            .scale
            .iter()
            .map(|s| s.value.to_string())
            .collect();
        if self.survey.not_applicable {
            s.push("\"na\"".into());
        }
        s.join(", ")
    }

    /// An entry's value, checked against the scale and the rules of `na`
    /// (for a question of the model; another's is only checked for its type).
    fn value(
        &mut self,
        id: &str,
        q: Option<Question>,
        v: &Node,
        reason: Option<&str>,
    ) -> Option<AnswerValue> {
        let on_scale = |x: f64| self.survey.scale.iter().any(|s| s.value as f64 == x);
        let number = match &v.value {
            Value::Null => return None,
            Value::Int(n) => *n as f64,
            Value::Float(f) => *f,
            Value::Str(s) if s == "na" => {
                if let Some(q) = q {
                    self.na(id, q, v.pos, reason);
                }
                return Some(AnswerValue::NotApplicable);
            }
            Value::Str(s) => {
                let help = if s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("n/a") {
                    Some("not applicable is written \"na\"".into())
                } else if s.trim().parse::<f64>().is_ok_and(on_scale) {
                    Some(format!("write the number without quotes: {}", s.trim()))
                } else {
                    Some(format!("the answers are {}", self.scale_text()))
                };
                self.error(
                    v.pos,
                    width(&v.value),
                    format!("{} is not an answer", shown(&v.value)),
                    help,
                );
                return Some(AnswerValue::Other(serde_json::Value::String(s.clone())));
            }
            other => {
                let message = format!(
                    "a value is a number of the scale or \"na\", not {}",
                    other.kind()
                );
                self.error(v.pos, width(other), message, None);
                return Some(AnswerValue::Other(serde_json::Value::Null));
            }
        };
        if q.is_some() && !on_scale(number) {
            let message = format!("{} is not on the scale", shown(&v.value));
            let help = Some(format!("the answers are {}", self.scale_text()));
            self.error(v.pos, width(&v.value), message, help);
        }
        Some(AnswerValue::Number(number))
    }

    /// `na` to a question of the model: offered, not on a generic practice,
    /// with a reason.
    fn na(&mut self, id: &str, q: Question, pos: Pos, reason: Option<&str>) {
        let scale = self
            .survey
            .scale
            .iter()
            .map(|s| s.value.to_string())
            .collect::<Vec<_>>();
        if !self.survey.not_applicable {
            let help = Some(format!("answer on the scale: {}", scale.join(", ")));
            self.error(
                pos,
                4,
                "this model offers no not-applicable answer".into(),
                help,
            );
        } else if q.generic {
            let message = format!(
                "`{id}` is a generic practice of {}, which cannot be not applicable",
                q.area
            );
            let help = Some(
                "an area in scope has a process to institutionalise: rate the practice on the scale, or leave the area out of `areas_in_scope`".into(),
            );
            self.error(pos, 4, message, help);
        } else if !reason.is_some_and(is_reason) {
            let help = if self.version < 2 {
                "version 1 holds no reasons: write \"version\": 2 and add \"reason\": \"why the practice does not apply\""
            } else {
                "add \"reason\": \"why the practice does not apply\""
            };
            let message =
                "\"na\" needs a reason: without one the question counts as unanswered".to_string();
            self.error(pos, 4, message, Some(help.into()));
        }
    }

    /// An entry's evidence: a list of `{href, description?}`.
    fn evidence(&mut self, v: &Node) -> Vec<Evidence> {
        let Value::Seq(items) = &v.value else {
            let message = format!(
                "`evidence` is a list such as [{{\"href\": \"https://...\", \"description\": \"...\"}}], not {}",
                v.value.kind()
            );
            self.error(v.pos, width(&v.value), message, None);
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            let Value::Map(fields) = &item.value else {
                let message = format!(
                    "a piece of evidence is an object {{\"href\": ..., \"description\": ...}}, not {}",
                    item.value.kind()
                );
                self.error(item.pos, width(&item.value), message, None);
                continue;
            };
            self.fields(fields, &EVIDENCE_FIELDS, &[], "a piece of evidence");
            let get = |name: &str| fields.iter().find(|(k, _)| k.name == name);
            let description = self.text(get("description"));
            match get("href").map(|(_, v)| v) {
                Some(Node {
                    value: Value::Str(h),
                    ..
                }) if !h.trim().is_empty() => out.push(Evidence {
                    href: h.clone(),
                    description,
                }),
                Some(v) => {
                    let message = format!(
                        "`href` is a link or a document reference, not {}",
                        shown(&v.value)
                    );
                    self.error(v.pos, width(&v.value), message, None);
                }
                None => {
                    let help = Some("give the link or the document's reference as \"href\"".into());
                    self.error(item.pos, 1, "a piece of evidence needs `href`".into(), help);
                }
            }
        }
        out
    }
}
