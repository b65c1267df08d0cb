//! A YAML document as a tree of positioned nodes.
//!
//! Typed serde structs stop at the first problem in a file; authors want every
//! unknown field, wrong type and missing field of a file at once. So YAML is
//! read by serde-saphyr into this position-carrying tree, and the loader
//! walks it against the model's shape, collecting every problem.
//!
//! Here: the tree and the parse. `errors` words a parser's error and puts it
//! where the problem began; `runs` finds where each part of a scalar stands.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::ops::Range;

mod errors;
mod runs;

pub use errors::SyntaxError;
pub use runs::{Run, as_written, counted_from, pos_in, runs};

/// 1-based line and column inside the YAML text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub pos: Pos,
    /// Bytes of the YAML text the node was written as, from `pos` (for a
    /// scalar: its quotes, escapes and folded lines, for [`runs`]).
    pub span: Span,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
    pub span: Span,
}

impl Value {
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Int(_) => "an integer",
            Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

fn pos_of(loc: &serde_saphyr::Location) -> Pos {
    Pos {
        line: loc.line().min(u32::MAX as u64) as u32,
        col: loc.column().min(u32::MAX as u64) as u32,
    }
}

/// A byte range of the YAML text, in half the room of a `Range<usize>`:
/// every node of a large book keeps one (serde-saphyr itself counts bytes
/// in 32 bits).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn span_of(loc: &serde_saphyr::Location) -> Span {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = u32::try_from(start).unwrap_or(u32::MAX);
            Span {
                start,
                end: start.saturating_add(u32::try_from(len).unwrap_or(0)),
            }
        }
        _ => Span::default(),
    }
}

struct RawValue(Value);

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Spanned::<RawValue>::deserialize(d)?;
        Ok(Node {
            pos: pos_of(&s.referenced),
            span: span_of(&s.referenced),
            value: s.value.0,
        })
    }
}

struct KeyStr(String);

impl<'de> Deserialize<'de> for KeyStr {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = RawValue::deserialize(d)?;
        Ok(KeyStr(match v.0 {
            Value::Str(s) => s,
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Null => "null".into(),
            Value::Seq(_) | Value::Map(_) => {
                return Err(de::Error::custom("a mapping key must be a plain value"));
            }
        }))
    }
}

impl<'de> Deserialize<'de> for RawValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_unit<E>(self) -> Result<RawValue, E> {
                Ok(RawValue(Value::Null))
            }
            fn visit_none<E>(self) -> Result<RawValue, E> {
                Ok(RawValue(Value::Null))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawValue, D::Error> {
                RawValue::deserialize(d)
            }
            fn visit_bool<E>(self, v: bool) -> Result<RawValue, E> {
                Ok(RawValue(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<RawValue, E> {
                Ok(RawValue(Value::Int(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<RawValue, E> {
                Ok(RawValue(match i64::try_from(v) {
                    Ok(i) => Value::Int(i),
                    Err(_) => Value::Float(v as f64),
                }))
            }
            fn visit_i128<E>(self, v: i128) -> Result<RawValue, E> {
                Ok(RawValue(Value::Float(v as f64)))
            }
            fn visit_u128<E>(self, v: u128) -> Result<RawValue, E> {
                Ok(RawValue(Value::Float(v as f64)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<RawValue, E> {
                Ok(RawValue(Value::Float(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<RawValue, E> {
                Ok(RawValue(Value::Str(v.to_owned())))
            }
            fn visit_string<E>(self, v: String) -> Result<RawValue, E> {
                Ok(RawValue(Value::Str(v)))
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<RawValue, E> {
                Err(E::custom("binary values are not supported"))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(n) = a.next_element::<Node>()? {
                    items.push(n);
                }
                Ok(RawValue(Value::Seq(items)))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<RawValue, A::Error> {
                let mut items = Vec::new();
                while let Some(k) = a.next_key::<Spanned<KeyStr>>()? {
                    let v = a.next_value::<Node>()?;
                    items.push((
                        Key {
                            name: k.value.0,
                            pos: pos_of(&k.referenced),
                            span: span_of(&k.referenced),
                        },
                        v,
                    ));
                }
                Ok(RawValue(Value::Map(items)))
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses one YAML document into a tree. Empty input is `Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Node {
            pos: Pos { line: 1, col: 1 },
            span: Span::default(),
            value: Value::Null,
        });
    }
    // serde-saphyr refuses duplicate keys by default, which keeps a second
    // `statement:` from silently replacing the first. Strict booleans: a
    // scale label `No` is the word No, not YAML 1.1's false.
    let opts = serde_saphyr::options! { strict_booleans: true, budget: Some(budget()) };
    serde_saphyr::from_str_with_options::<Node>(text, opts)
        .map_err(|e| errors::syntax_error(text, &e))
}

/// How deep lists and mappings may nest. A model nests about eight deep;
/// each level costs the parser tens of kilobytes of stack in a debug build,
/// and files are parsed on threads of 2 MiB, which serde-saphyr's default
/// of 64 overflowed (an abort, not an error).
const MAX_DEPTH: usize = 32;

fn budget() -> serde_saphyr::Budget {
    let mut b = serde_saphyr::Budget::default();
    b.max_depth = MAX_DEPTH;
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_positions_of_keys_and_values() {
        let n = parse("a: 1\nb:\n  - x\n  - |\n    text\nc: {d: true}\n").unwrap();
        let Value::Map(m) = n.value else { panic!() };
        assert_eq!(m[0].0.name, "a");
        assert_eq!(m[0].0.pos, Pos { line: 1, col: 1 });
        assert_eq!(m[0].1.pos, Pos { line: 1, col: 4 });
        let Value::Seq(s) = &m[1].1.value else {
            panic!()
        };
        assert_eq!(s[0].pos, Pos { line: 3, col: 5 });
        assert_eq!(s[1].pos, Pos { line: 5, col: 5 });
        assert!(matches!(&s[1].value, Value::Str(t) if t == "text\n"));
        assert_eq!(m[2].0.pos, Pos { line: 6, col: 1 });
    }
}
