//! What scoring reads: the survey data of a model, the answers of a file,
//! and its scope.

use serde::Deserialize;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};

/// The survey data of a model, as `assets/survey-data.js` holds it. Fields
/// the scoring does not read (titles, urls, categories) are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Survey {
    /// The model's id and version (for answer files, not for scoring).
    #[serde(default)]
    pub model: String,
    #[serde(default)]
    pub model_version: Option<String>,
    #[serde(default)]
    pub scale: Vec<ScalePoint>,
    pub performed_at: i64,
    #[serde(default)]
    pub not_applicable: bool,
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Goals decided by an area's objectives rather than by questions (GG1).
    #[serde(default)]
    pub specific_goals: Vec<String>,
    #[serde(default)]
    pub areas: Vec<Area>,
    /// Old ids (practices, area codes) -> the ids now in their place: the
    /// survey data's `renames` (see `answers::renames`).
    #[serde(default)]
    pub renames: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScalePoint {
    pub value: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Level {
    pub level: i64,
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Area {
    pub code: String,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// The generic goals asked for this area, with their questions.
    #[serde(default)]
    pub goals: Vec<Goal>,
    /// `false` where the model says the area cannot be assessed (the site
    /// writes it only then, with the reason).
    #[serde(default = "yes")]
    pub assessable: bool,
    #[serde(default)]
    pub reason: Option<String>,
}

impl Default for Area {
    fn default() -> Self {
        Area {
            code: String::new(),
            objectives: Vec::new(),
            goals: Vec::new(),
            assessable: true,
            reason: None,
        }
    }
}

fn yes() -> bool {
    true
}

impl Area {
    /// Asked at all: not ruled out by the model, and with a practice.
    pub fn can_assess(&self) -> bool {
        self.assessable && self.objectives.iter().any(|o| !o.practices.is_empty())
    }

    /// The area with its questions taken away: what is scored where it
    /// cannot be assessed, so that no answer to it counts.
    pub(super) fn hollow(&self) -> Area {
        Area {
            code: self.code.clone(),
            objectives: (self.objectives.iter())
                .map(|o| Objective {
                    id: o.id.clone(),
                    practices: Vec::new(),
                })
                .collect(),
            goals: (self.goals.iter())
                .map(|g| Goal {
                    id: g.id.clone(),
                    questions: Vec::new(),
                })
                .collect(),
            assessable: false,
            reason: self.reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Objective {
    pub id: String,
    #[serde(default)]
    pub practices: Vec<Question>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Goal {
    pub id: String,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Question {
    pub id: String,
}

/// Answers by question id: the `answers` object of an answer file.
pub type Answers = HashMap<String, Answer>;

/// One entry of the answers object (`{value, note?, reason?, evidence?}`).
/// Any JSON reads as an entry: what the browser would not count (a bare
/// value, a list, a reason that is not text) becomes an entry without it, so
/// one odd entry cannot make a whole file unreadable. Evidence plays no part
/// in scoring.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub value: Option<AnswerValue>,
    pub note: Option<String>,
    /// Why the question is not applicable (required with `na`).
    pub reason: Option<String>,
}

/// An answer's `value`. Whether a number is on the scale depends on the
/// survey, so it is decided when scoring, not when reading.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    /// Kept as the float JSON gives, as in the browser: 2.0 is the scale value 2.
    Number(f64),
    NotApplicable,
    /// Anything else (`"2"`, `true`, ...): never an answer.
    Other(Value),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Answer::from_json(Value::deserialize(d)?))
    }
}

impl Answer {
    pub fn from_json(v: Value) -> Answer {
        let Value::Object(mut entry) = v else {
            return Answer::default();
        };
        let value = match entry.remove("value") {
            None | Some(Value::Null) => None,
            Some(Value::Number(n)) => Some(match n.as_f64() {
                Some(f) => AnswerValue::Number(f),
                None => AnswerValue::Other(Value::Number(n)),
            }),
            Some(Value::String(s)) if s == "na" => Some(AnswerValue::NotApplicable),
            Some(other) => Some(AnswerValue::Other(other)),
        };
        let mut text = |k: &str| match entry.remove(k) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        };
        Answer {
            value,
            note: text("note"),
            reason: text("reason"),
        }
    }
}

/// A reason is text with something in it other than spaces, tabs and line
/// breaks (scoring.js tests the same four characters).
pub fn is_reason(text: &str) -> bool {
    text.chars().any(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
}

/// Which areas an assessment covers and the level it aims at in each: an
/// answer file's `areas_in_scope` and `targets`. The default is every area,
/// without targets.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scope {
    /// `None`: every area.
    pub areas_in_scope: Option<Vec<String>>,
    pub targets: BTreeMap<String, i64>,
}

impl<'de> Deserialize<'de> for Scope {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Scope::from_json(&Value::deserialize(d)?))
    }
}

impl Scope {
    /// Read as scoring.js reads it: `areas_in_scope` counts when it is a
    /// list (its strings), a target when it is a safe integer; anything else
    /// is as if absent.
    pub fn from_json(v: &Value) -> Scope {
        let areas_in_scope = match v.get("areas_in_scope") {
            Some(Value::Array(list)) => Some(
                list.iter()
                    .filter_map(|a| a.as_str().map(str::to_string))
                    .collect(),
            ),
            _ => None,
        };
        let targets = match v.get("targets") {
            Some(Value::Object(t)) => t
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), safe_integer(v)?)))
                .collect(),
            _ => BTreeMap::new(),
        };
        Scope {
            areas_in_scope,
            targets,
        }
    }

    pub fn in_scope(&self, code: &str) -> bool {
        self.areas_in_scope
            .as_ref()
            .is_none_or(|list| list.iter().any(|a| a == code))
    }
}

/// A JSON number that JavaScript's `Number.isSafeInteger` accepts.
pub fn safe_integer(v: &Value) -> Option<i64> {
    const MAX: f64 = 9_007_199_254_740_991.0;
    let f = v.as_f64()?;
    (f.fract() == 0.0 && f.abs() <= MAX).then_some(f as i64)
}
