//! The action plan of an answer file (version 2): `plan` gives questions
//! of the roadmap an owner, a due date and a note, by question id.

use super::{Reader, width};
use crate::diag::did_you_mean;
use crate::yaml::{Node, Value};
use serde::Serialize;
use std::collections::BTreeMap;

const PLAN_FIELDS: [&str; 3] = ["owner", "due", "note"];

/// Who makes a question performed, by when, and how. Empty text reads as
/// absent, as the survey saves a cleared field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PlanEntry {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A date `YYYY-MM-DD`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Reader<'_> {
    /// The `plan` object. An entry for a question the model does not have
    /// is a warning, as an answer to one is: the survey keeps it, and it
    /// counts for nothing.
    pub(super) fn plan(&mut self, v: &Node) -> BTreeMap<String, PlanEntry> {
        let mut out = BTreeMap::new();
        let Value::Map(entries) = &v.value else {
            let message = format!(
                "`plan` is an object of plan entries by question id, such as {{\"EF-1.1\": {{\"owner\": \"Ann\", \"due\": \"2026-06-30\"}}}}, not {}",
                v.value.kind()
            );
            self.error(v.pos, width(&v.value), message, None);
            return out;
        };
        for (key, node) in entries {
            let id = key.name.as_str();
            if !self.questions.contains_key(id) && !self.moves_on(id) {
                let help = did_you_mean(id, self.order.iter().copied());
                let message =
                    format!("no question `{id}` in this model: the plan entry counts for nothing");
                self.warning(key.pos, id.chars().count() + 2, message, help);
            }
            let Value::Map(fields) = &node.value else {
                let message = format!(
                    "a plan entry is an object of owner, due and note, not {}",
                    node.value.kind()
                );
                self.error(node.pos, width(&node.value), message, None);
                continue;
            };
            self.fields(fields, &PLAN_FIELDS, &[], "a plan entry");
            let mut entry = PlanEntry::default();
            for (key, value) in fields {
                let slot = match key.name.as_str() {
                    "owner" => &mut entry.owner,
                    "due" => &mut entry.due,
                    "note" => &mut entry.note,
                    _ => continue,
                };
                match &value.value {
                    Value::Str(s) if s.is_empty() => {}
                    Value::Str(s) if key.name == "due" && !is_date(s) => {
                        let message = format!("the due date \"{s}\" is not a date YYYY-MM-DD");
                        let help = Some("write it as 2026-06-30".into());
                        self.error(value.pos, width(&value.value), message, help);
                    }
                    Value::Str(s) => *slot = Some(s.clone()),
                    Value::Null => {}
                    other => {
                        let message = format!("`{}` is text, not {}", key.name, other.kind());
                        self.error(value.pos, width(other), message, None);
                    }
                }
            }
            out.insert(id.to_string(), entry);
        }
        out
    }
}

/// A calendar date written `YYYY-MM-DD` (what an HTML date field gives).
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) {
        return false;
    }
    if !digits(5..7) || !digits(8..10) {
        return false;
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(0);
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::is_date;

    #[test]
    fn dates_are_calendar_dates() {
        for good in ["2026-06-30", "2024-02-29", "2000-02-29", "0001-01-01"] {
            assert!(is_date(good), "{good}");
        }
        for bad in [
            "2026-6-30",
            "2026-13-01",
            "2026-00-10",
            "2026-04-31",
            "2023-02-29",
            "1900-02-29",
            "2026-06-30T00:00",
            "30/06/2026",
            "２０２６-06-30",
            "",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
