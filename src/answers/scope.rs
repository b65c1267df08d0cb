//! The assessment's details: the respondent, the areas in scope and the
//! targets.

use super::{RESPONDENT_FIELDS, Reader, Respondent, shown, width};
use crate::diag::did_you_mean;
use crate::yaml::{Node, Pos, Value};
use std::collections::BTreeMap;

impl Reader<'_> {
    pub(super) fn respondent(&mut self, v: &Node) -> Respondent {
        let mut out = Respondent::default();
        let fields = match &v.value {
            Value::Map(m) => m,
            Value::Null => return out,
            other => {
                let message = format!(
                    "`respondent` is an object of {}, not {}",
                    RESPONDENT_FIELDS.join(", "),
                    other.kind()
                );
                self.error(v.pos, width(other), message, None);
                return out;
            }
        };
        self.fields(fields, &RESPONDENT_FIELDS, &[], "`respondent`");
        for (key, value) in fields {
            let slot = match key.name.as_str() {
                "organization" => &mut out.organization,
                "scope" => &mut out.scope,
                "assessor" => &mut out.assessor,
                "date" => &mut out.date,
                _ => continue,
            };
            match &value.value {
                Value::Str(s) if !s.is_empty() => *slot = Some(s.clone()),
                Value::Str(_) | Value::Null => {}
                other => {
                    let message = format!("`{}` is text, not {}", key.name, other.kind());
                    self.error(value.pos, width(other), message, None);
                }
            }
        }
        out
    }

    pub(super) fn areas_in_scope(&mut self, v: &Node) -> Option<Vec<String>> {
        let Value::Seq(items) = &v.value else {
            let message = format!(
                "`areas_in_scope` is a list of area codes, not {}",
                v.value.kind()
            );
            let help = Some("leave it out to assess every area".into());
            self.error(v.pos, width(&v.value), message, help);
            return None;
        };
        let mut out: Vec<String> = Vec::with_capacity(items.len());
        for item in items {
            let Value::Str(code) = &item.value else {
                let message = format!("an area code is text, not {}", item.value.kind());
                self.error(item.pos, width(&item.value), message, None);
                continue;
            };
            let len = code.chars().count() + 2;
            if !self.survey.areas.iter().any(|a| &a.code == code) {
                self.unknown_area(item.pos, code);
            } else if out.contains(code) {
                self.warning(item.pos, len, format!("`{code}` is listed twice"), None);
            } else {
                out.push(code.clone());
            }
        }
        Some(out)
    }

    fn unknown_area(&mut self, pos: Pos, code: &str) {
        let codes = self.survey.areas.iter().map(|a| a.code.as_str());
        let help = did_you_mean(code, codes);
        let len = code.chars().count() + 2;
        self.error(pos, len, format!("no area `{code}` in this model"), help);
    }

    pub(super) fn targets(&mut self, v: &Node) -> BTreeMap<String, i64> {
        let mut out = BTreeMap::new();
        let Value::Map(entries) = &v.value else {
            let message = format!(
                "`targets` is an object of capability levels by area code, such as {{\"EF\": 2}}, not {}",
                v.value.kind()
            );
            self.error(v.pos, width(&v.value), message, None);
            return out;
        };
        let levels: Vec<i64> = self.survey.levels.iter().map(|l| l.level).collect();
        let list = levels
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        for (key, value) in entries {
            if !self.survey.areas.iter().any(|a| a.code == key.name) {
                self.unknown_area(key.pos, &key.name);
            }
            let level = match &value.value {
                Value::Int(n) => Some(*n),
                Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
                _ => None,
            };
            match level {
                Some(n) if levels.contains(&n) => {
                    out.insert(key.name.clone(), n);
                }
                _ => {
                    let message = format!(
                        "the target {} is not a capability level of this model",
                        shown(&value.value)
                    );
                    let help = Some(format!("the levels are {list}"));
                    self.error(value.pos, width(&value.value), message, help);
                }
            }
        }
        out
    }
}
