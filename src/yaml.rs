//! A YAML document as a tree of positioned nodes.
//!
//! Typed serde structs stop at the first problem in a file; authors want every
//! unknown field, wrong type and missing field of a file at once. So YAML is
//! read by serde-saphyr into this position-carrying tree, and `decode` walks
//! it against the model's shape, collecting every problem.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;
use std::ops::Range;

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
    pub span: Range<usize>,
    pub value: Value,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
    pub span: Range<usize>,
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

fn span_of(loc: &serde_saphyr::Location) -> Range<usize> {
    let span = loc.span();
    match (span.byte_offset(), span.byte_len()) {
        (Some(start), Some(len)) => {
            let start = usize::try_from(start).unwrap_or(usize::MAX);
            start..start.saturating_add(usize::try_from(len).unwrap_or(0))
        }
        _ => 0..0,
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

/// A YAML syntax (or structure) error with its position in the YAML text.
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
}

/// Parses one YAML document into a tree. Empty input is `Null`.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    if text.trim().is_empty() {
        return Ok(Node {
            pos: Pos { line: 1, col: 1 },
            span: 0..0,
            value: Value::Null,
        });
    }
    // serde-saphyr refuses duplicate keys by default, which keeps a second
    // `statement:` from silently replacing the first. Strict booleans: a
    // scale label `No` is the word No, not YAML 1.1's false.
    let opts = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<Node>(text, opts).map_err(|e| {
        let pos = e
            .location()
            .map(|l| pos_of(&l))
            .unwrap_or(Pos { line: 1, col: 1 });
        SyntaxError {
            pos,
            message: clean_message(&e.without_snippet().to_string()),
        }
    })
}

/// serde-saphyr's messages end with its own location; ours carries it separately.
fn clean_message(m: &str) -> String {
    let first = m.lines().next().unwrap_or(m).trim();
    let first = match first.rfind(" at line ") {
        Some(i) => &first[..i],
        None => first,
    };
    first.trim_end_matches(['.', ',']).to_string()
}

/// A stretch of a scalar's value that stands in the YAML text as it is,
/// character for character on one line: from byte `at` of the value, at
/// `pos` in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    pub at: usize,
    pub pos: Pos,
}

/// How far past an escape (`\U0001F600` is ten characters) or a quote a
/// character of the value is looked for in the text before it is taken
/// for one that the text does not spell out.
const SKIP: usize = 10;

/// Where each part of `value` stands in `raw`, the scalar as written from
/// `start`. Quotes, escapes, folded lines and block indentation make the
/// value differ from its text, so an offset into the value says nothing
/// about a column without this. Characters are matched in order: spaces
/// and line breaks of the text are passed over freely (folding turns them
/// into one space, or removes them as indentation), a few other
/// characters (quotes, escape sequences) at most [`SKIP`]; a character
/// not found near enough (the result of an escape) is left out.
pub fn runs(raw: &str, start: Pos, value: &str) -> Vec<Run> {
    let raw = raw.as_bytes();
    let mut out: Vec<Run> = Vec::new();
    // Where the next character would stand to continue the last run.
    let mut next: Option<(usize, Pos)> = None;
    let (mut ri, mut pos) = (0usize, start);
    let step = |ri: &mut usize, pos: &mut Pos| {
        let b = raw[*ri];
        *ri += utf8_len(b);
        if b == b'\n' {
            pos.line += 1;
            pos.col = 1;
        } else {
            pos.col += 1;
        }
    };
    for (vi, c) in value.char_indices() {
        let mut buf = [0u8; 4];
        let want = c.encode_utf8(&mut buf).as_bytes();
        let found = if c.is_whitespace() {
            raw[ri.min(raw.len())..].starts_with(want)
        } else {
            let (mut j, mut p, mut others) = (ri, pos, 0);
            loop {
                if j >= raw.len() {
                    break false;
                }
                if raw[j..].starts_with(want) {
                    (ri, pos) = (j, p);
                    break true;
                }
                if !matches!(raw[j], b' ' | b'\t' | b'\n' | b'\r') {
                    others += 1;
                    if others > SKIP {
                        break false;
                    }
                }
                step(&mut j, &mut p);
            }
        };
        if !found {
            continue;
        }
        if next != Some((vi, pos)) {
            out.push(Run { at: vi, pos });
        }
        step(&mut ri, &mut pos);
        next = Some((vi + c.len_utf8(), pos));
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xf0.. => 4,
        0xe0.. => 3,
        0xc0.. => 2,
        _ => 1,
    }
}

/// The position of byte `at` of a value, from its [`runs`]: `None` before
/// the first run.
pub fn pos_in(runs: &[Run], value: &str, at: usize) -> Option<Pos> {
    let i = runs.partition_point(|r| r.at <= at).checked_sub(1)?;
    let r = runs[i];
    let between = value.get(r.at..at)?;
    Some(Pos {
        line: r.pos.line,
        col: r.pos.col + between.chars().count() as u32,
    })
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

    #[test]
    fn syntax_error_has_position() {
        let e = parse("a: 1\nb: [x, y\nc: 2\n").unwrap_err();
        assert!(e.pos.line >= 2, "{e:?}");
        let e = parse("a: 1\n  b: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2, "{e:?}");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let e = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!(e.pos.line, 2, "{e:?}");
    }

    /// Where each `[[` of every scalar of `text` stands, by [`runs`].
    fn link_positions(text: &str) -> Vec<(u32, u32)> {
        let n = parse(text).unwrap();
        let Value::Map(m) = n.value else { panic!() };
        let mut out = Vec::new();
        for (_, v) in &m {
            let Value::Str(s) = &v.value else { panic!() };
            let runs = runs(&text[v.span.clone()], v.pos, s);
            for (i, _) in s.match_indices("[[") {
                let p = pos_in(&runs, s, i).unwrap();
                out.push((p.line, p.col));
            }
        }
        out
    }

    /// Where each `[[` of `text` stands, read off the text itself.
    fn written_at(text: &str) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        for (l, line) in text.lines().enumerate() {
            for (i, _) in line.match_indices("[[") {
                out.push((l as u32 + 1, line[..i].chars().count() as u32 + 1));
            }
        }
        out
    }

    #[test]
    fn links_are_found_in_every_style_of_scalar() {
        let text = concat!(
            "plain: see [[A]] and\n  over [[B]] two lines\n",
            "dq: \"x \\\"q\\\" \\u00e9 [[C]] \\\n  next [[D]]\"\n",
            "sq: 'it''s [[E]]\n  more [[F]]'\n",
            "lit: |\n\n  line [[G]]\n    more é [[H]]\n",
            "fold: >-\n  one [[I]]\n  two [[J]]\n\n  three [[K]]\n",
            "fold2: >\n    deep [[L]]\n    again [[M]]\n",
            "lit2: |2\n    indicator [[N]]\n",
        );
        let want = written_at(text);
        assert_eq!(want.len(), 14);
        assert_eq!(link_positions(text), want);
    }
}
