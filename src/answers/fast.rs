//! The quick read of an answer file with nothing wrong in it: parsed by
//! serde_json straight into the reader's tree, every position left at 0:0,
//! and checked by the same [`Reader`]. If the reader finds anything to say,
//! or the JSON holds what the positioned parse would treat otherwise (a key
//! given twice, an integer beyond i64), the caller reads the file again with
//! positions, so every diagnostic still has its file:line:col.

use super::{AnswerFile, Read, Reader};
use crate::scoring::Survey;
use crate::yaml::{Key, Node, Pos, Span, Value};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;
use std::fmt;

/// The file, when it reads without a single diagnostic.
pub(super) fn read(text: &str, file: &str, survey: &Survey) -> Option<Read> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Tree(node) = serde_json::from_str(text).ok()?;
    let mut r = Reader::new(file, survey);
    let out: AnswerFile = r.file(&node)?;
    r.diags.is_empty().then_some(Read {
        file: AnswerFile {
            // No position was read: the report finds it if it needs it.
            respondent_at: None,
            ..out
        },
        warnings: Vec::new(),
    })
}

struct Tree(Node);

fn node(value: Value) -> Node {
    Node {
        pos: Pos::default(),
        span: Span::default(),
        value,
    }
}

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(V).map(Tree)
    }
}

struct V;

impl<'de> Visitor<'de> for V {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(node(Value::Null))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(node(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(node(Value::Int(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        i64::try_from(v)
            .map(|v| node(Value::Int(v)))
            .map_err(|_| E::custom("beyond i64"))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(node(Value::Float(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(node(Value::Str(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(node(Value::Str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        while let Some(Tree(n)) = seq.next_element()? {
            out.push(n);
        }
        Ok(node(Value::Seq(out)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        while let Some(name) = map.next_key::<String>()? {
            if !seen.insert(name.clone()) {
                return Err(de::Error::custom("a key given twice"));
            }
            let Tree(value) = map.next_value()?;
            let key = Key {
                name,
                pos: Pos::default(),
                span: Span::default(),
            };
            out.push((key, value));
        }
        Ok(node(Value::Map(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the quick read refuses to decide goes to the positioned read.
    #[test]
    fn odd_json_is_left_to_the_positioned_read() {
        let twice = r#"{"a": 1, "a": 2}"#;
        assert!(serde_json::from_str::<Tree>(twice).is_err());
        assert!(serde_json::from_str::<Tree>("18446744073709551615").is_err());
        let Tree(n) = serde_json::from_str(r#"{"x": [2.0, null, "na"]}"#).unwrap();
        let Value::Map(m) = n.value else { panic!() };
        let Value::Seq(s) = &m[0].1.value else {
            panic!()
        };
        assert!(matches!(s[0].value, Value::Float(f) if f == 2.0));
    }
}
