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

/// A YAML syntax (or structure) error with its position in the YAML text.
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Pos,
    pub message: String,
    /// How many characters from `pos` the problem spans.
    pub len: u32,
    pub help: Option<String>,
    /// A second place: where the parser stopped, when the error is given
    /// where the problem began.
    pub note: Option<(Pos, String)>,
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
    serde_saphyr::from_str_with_options::<Node>(text, opts).map_err(|e| {
        let pos = e
            .location()
            .map(|l| pos_of(&l))
            .filter(|p| p.line > 0)
            .unwrap_or(Pos { line: 1, col: 1 });
        // The error itself, under what serde-saphyr wraps it in.
        let mut inner = &e;
        let mut through_alias = false;
        loop {
            match inner {
                serde_saphyr::Error::WithSnippet { error, .. } => inner = error,
                serde_saphyr::Error::AliasError { error, .. } => {
                    through_alias = true;
                    inner = error;
                }
                _ => break,
            }
        }
        let message = match inner {
            serde_saphyr::Error::Budget { breach, .. } if through_alias => format!(
                "{}, counting a value again each time an alias (`*name`) repeats it",
                budget_message(breach)
            ),
            serde_saphyr::Error::Budget { breach, .. } => budget_message(breach),
            _ => clean_message(&e.without_snippet().to_string()),
        };
        explain(
            text,
            SyntaxError {
                pos,
                message,
                len: 1,
                help: None,
                note: None,
            },
        )
    })
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

/// A resource limit of the YAML reader in words: what it counts, and how
/// much it allows.
fn budget_message(breach: &serde_saphyr::budget::BudgetBreach) -> String {
    use serde_saphyr::budget::BudgetBreach as B;
    let d = budget();
    let n = |v: usize| {
        let s = v.to_string();
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    match breach {
        B::Depth { .. } => format!(
            "lists and mappings are nested more than {} deep, the most a file may nest",
            n(d.max_depth)
        ),
        B::Nodes { .. } => format!(
            "the file holds more than {} values (lists, mappings and texts), the most one file may hold",
            n(d.max_nodes)
        ),
        B::Events { .. } => format!(
            "the file is too large to read as YAML: more than {} parser steps",
            n(d.max_events)
        ),
        B::ScalarBytes { .. } => format!(
            "the texts of the file add up to more than {} MiB, the most one file may hold",
            d.max_total_scalar_bytes >> 20
        ),
        B::Aliases { .. } => format!(
            "the file uses more than {} aliases (`*name`)",
            n(d.max_aliases)
        ),
        B::Anchors { .. } => format!(
            "the file defines more than {} anchors (`&name`)",
            n(d.max_anchors)
        ),
        B::Documents { .. } => format!(
            "the file holds more than {} YAML documents",
            n(d.max_documents)
        ),
        B::MergeKeys { .. } => format!(
            "the file uses more than {} merge keys (`<<`)",
            n(d.max_merge_keys)
        ),
        B::AliasAnchorRatio { aliases, anchors } => format!(
            "the file repeats its anchors through {} aliases to only {} anchors: aliases that \
             expand this much are refused",
            n(*aliases),
            n(*anchors)
        ),
        B::RecordedAnchorEvents { .. } | B::RecordedAnchorBytes { .. } => {
            "anchors (`&name`) hold more than the YAML reader keeps to repeat them".to_string()
        }
        B::SequenceUnbalanced => "lists and mappings do not close as they open".to_string(),
        _ => "the file goes beyond what the YAML reader allows".to_string(),
    }
}

/// Puts a parser's error where an author would look: a tab in the
/// indentation on its own line, an unclosed `[`, `{` or quote where it
/// opened (the parser only notices lines later, where it cannot read on).
fn explain(text: &str, e: SyntaxError) -> SyntaxError {
    // A tab where indentation is read stops the parser on that line or
    // the one before (a plain scalar that would run on to it).
    // Further back, only when the parser speaks of a tab: a tab may
    // legitimately stand before a line that continues a flow list.
    let tabs = tab_indents(text, e.pos.line.saturating_add(1));
    if let Some(&tab) = tabs
        .iter()
        .find(|t| t.line + 1 >= e.pos.line)
        .or_else(|| tabs.first().filter(|_| e.message.contains("tab")))
    {
        return SyntaxError {
            pos: tab,
            message: "tabs cannot indent YAML".into(),
            len: 1,
            help: Some("indent with spaces".into()),
            note: (tab.line != e.pos.line).then(|| (e.pos, parser_gave_up(&e.message))),
        };
    }
    let state = lex(text, e.pos);
    if let Some(&(c, open)) = state.flow.last()
        && open.line < e.pos.line
        && moved_on(text, open.line, e.pos.line)
    {
        let close = if c == '[' { ']' } else { '}' };
        return SyntaxError {
            pos: open,
            message: format!("`{c}` opened here is never closed"),
            len: 1,
            help: Some(format!("close it with `{close}` where it ends")),
            note: Some((e.pos, parser_gave_up(&e.message))),
        };
    }
    if let Some((q, open, close)) = state.quoted
        && open.line < close.line
        && e.message.contains("quoted scalar")
    {
        return SyntaxError {
            pos: open,
            message: format!("the quote `{q}` opened here is not closed on its line"),
            len: 1,
            help: Some(format!(
                "close it with `{q}` where the text ends: quoted text runs on over lines to the next `{q}`"
            )),
            note: Some((e.pos, parser_gave_up(&e.message))),
        };
    }
    e
}

fn parser_gave_up(message: &str) -> String {
    format!("the YAML parser gave up here: {message}")
}

/// The lines up to `last` indented with a tab (outside block scalars,
/// whose text may hold tabs), and where the tab is.
fn tab_indents(text: &str, last: u32) -> Vec<Pos> {
    let mut out = Vec::new();
    // The indentation of the line that opened a block scalar.
    let mut block: Option<usize> = None;
    for (i, line) in text.split('\n').enumerate() {
        let ln = i as u32 + 1;
        if ln > last {
            break;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        let body = line.trim_start_matches([' ', '\t']);
        if let Some(parent) = block {
            if body.is_empty() || spaces > parent {
                continue;
            }
            block = None;
        }
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let lead = &line[..line.len() - body.len()];
        if let Some(t) = lead.find('\t') {
            out.push(Pos {
                line: ln,
                col: t as u32 + 1,
            });
        }
        if opens_block_scalar(body) {
            block = Some(spaces);
        }
    }
    out
}

/// Whether a line ends with a block scalar's indicator (`key: |`, `- >-`).
fn opens_block_scalar(body: &str) -> bool {
    let body = match body.find(" #") {
        Some(i) => &body[..i],
        None => body,
    }
    .trim_end();
    let Some(i) = body.rfind(['|', '>']) else {
        return false;
    };
    let (before, after) = (&body[..i], &body[i + 1..]);
    after
        .chars()
        .all(|c| c == '+' || c == '-' || c.is_ascii_digit())
        && (before.is_empty() || before.ends_with(": ") || before.ends_with("- "))
}

/// Whether some line after `from` up to `to` goes back to the indentation
/// of line `from` or less: the author went on to the next field, and what
/// was open on line `from` was meant to close there.
fn moved_on(text: &str, from: u32, to: u32) -> bool {
    let indent = |l: &str| l.len() - l.trim_start().len();
    let mut lines = text.split('\n').skip(from as usize - 1);
    let Some(first) = lines.next() else {
        return false;
    };
    let base = indent(first);
    lines
        .take((to - from) as usize)
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#') && indent(l) <= base)
}

/// What is open where the parser stopped: flow collections, and the last
/// quoted scalar read before it (its quote, start and end).
#[derive(Debug, Default)]
struct Lexed {
    flow: Vec<(char, Pos)>,
    quoted: Option<(char, Pos, Pos)>,
}

/// Reads `text` up to `stop` as far as brackets and quotes go: enough of
/// YAML to tell where an unclosed one opened, not a parser.
fn lex(text: &str, stop: Pos) -> Lexed {
    let mut out = Lexed::default();
    let mut quote: Option<(char, Pos)> = None;
    let mut block: Option<usize> = None;
    for (i, line) in text.split('\n').enumerate() {
        let ln = i as u32 + 1;
        if ln > stop.line {
            break;
        }
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if quote.is_none()
            && out.flow.is_empty()
            && let Some(parent) = block
        {
            if line.trim().is_empty() || spaces > parent {
                continue;
            }
            block = None;
        }
        // Whether a node may start here: the start of a line, or after
        // `- `, `: `, `? `, or in brackets after `[`, `{` and `,`.
        let mut node = true;
        let mut prev = ' ';
        let mut chars = line.chars().enumerate().peekable();
        while let Some((ci, c)) = chars.next() {
            let pos = Pos {
                line: ln,
                col: ci as u32 + 1,
            };
            if ln == stop.line && pos.col >= stop.col {
                return out;
            }
            let next = chars.peek().map_or(' ', |&(_, n)| n);
            if let Some((q, open)) = quote {
                // An escape, or `''` in single quotes, is no closing quote.
                if (q == '"' && c == '\\') || (q == '\'' && c == '\'' && next == '\'') {
                    chars.next();
                } else if c == q {
                    quote = None;
                    out.quoted = Some((q, open, pos));
                    node = false;
                }
                prev = c;
                continue;
            }
            let in_flow = !out.flow.is_empty();
            match c {
                ' ' | '\t' => {}
                '#' if prev == ' ' || prev == '\t' => break,
                '"' | '\'' if node => quote = Some((c, pos)),
                '[' | '{' if node => out.flow.push((c, pos)),
                ']' | '}' if in_flow => {
                    out.flow.pop();
                    node = false;
                }
                ',' if in_flow => node = true,
                '-' | '?' | ':' if next == ' ' || next == '\t' => node = true,
                ':' if in_flow => node = true,
                '|' | '>' if node && !in_flow => {
                    block = Some(spaces);
                    break;
                }
                '&' | '!' if node => {
                    // An anchor or tag stands before the node it names.
                    while chars.peek().is_some_and(|&(_, n)| n != ' ') {
                        chars.next();
                    }
                }
                _ => node = false,
            }
            prev = c;
        }
    }
    out
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
    let mut missed = 0;
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
    let mut vi = 0;
    while vi < value.len() {
        // Most of a value stands in its text as it is: a stretch that does,
        // up to the end of a line, is taken at once.
        let same = value.as_bytes()[vi..]
            .iter()
            .zip(raw.get(ri..).unwrap_or(&[]))
            .take_while(|&(a, b)| a == b && *a != b'\n')
            .count();
        let mut same = same;
        while !value.is_char_boundary(vi + same) {
            same -= 1;
        }
        if same > 0 {
            if next != Some((vi, pos)) {
                out.push(Run { at: vi, pos });
            }
            let chunk = &value[vi..vi + same];
            pos.col += chunk.chars().count() as u32;
            (vi, ri) = (vi + same, ri + same);
            next = Some((vi, pos));
            missed = 0;
            continue;
        }
        let Some(c) = value[vi..].chars().next() else {
            break;
        };
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
                    // Each character left out stands for an escape still
                    // ahead in the text: look that much further.
                    if others > SKIP * (missed + 1) {
                        break false;
                    }
                }
                step(&mut j, &mut p);
            }
        };
        if found {
            if next != Some((vi, pos)) {
                out.push(Run { at: vi, pos });
            }
            step(&mut ri, &mut pos);
            next = Some((vi + c.len_utf8(), pos));
            missed = 0;
        } else if !c.is_whitespace() {
            missed += 1;
        }
        vi += c.len_utf8();
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

/// Whether `value` stands in `raw` (its scalar as written, from its first
/// character at column `col`) as it is, line for line, each line after the
/// first indented to `col`: a plain scalar on one line, or a literal block.
/// Then counting from the scalar's start finds every character, and
/// [`runs`] need not be made: most texts of a model are such.
pub fn as_written(raw: &str, value: &str, col: u32) -> bool {
    let indent = col.saturating_sub(1) as usize;
    let mut raw_lines = raw.split('\n');
    value.split('\n').enumerate().all(|(i, v)| {
        let Some(r) = raw_lines.next() else {
            return false;
        };
        if i == 0 {
            return r == v;
        }
        if v.is_empty() {
            return r.bytes().all(|b| b == b' ');
        }
        r.len() == indent + v.len()
            && r.as_bytes()[..indent].iter().all(|&b| b == b' ')
            && &r[indent..] == v
    })
}

/// Whether every run of `value` stands where counting from `start` puts
/// it: lines down from `start`, characters along from `start`'s column on
/// every line (as in a plain scalar on one line, or a literal block).
pub fn counted_from(runs: &[Run], value: &str, start: Pos) -> bool {
    let (mut at, mut pos) = (0, start);
    runs.iter().all(|r| {
        let Some(between) = value.get(at..r.at) else {
            return false;
        };
        (pos.line, pos.col) = crate::diag::advance((pos.line, pos.col), start.col, between);
        at = r.at;
        pos == r.pos
    })
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
            let runs = runs(&text[v.span.range()], v.pos, s);
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

    #[test]
    fn plain_lines_and_literal_blocks_stand_as_written() {
        let text = "a: see [[A]]\nb: |\n  one [[B]]\n\n    two\nc: >\n  x\n  y\nd: \"q\"\ne: |\n\n  late\n";
        let n = parse(text).unwrap();
        let Value::Map(m) = n.value else { panic!() };
        let written: Vec<bool> = m
            .iter()
            .map(|(_, v)| {
                let Value::Str(s) = &v.value else { panic!() };
                as_written(&text[v.span.range()], s, v.pos.col)
            })
            .collect();
        assert_eq!(written, [true, true, false, false, false]);
    }

    #[test]
    fn a_tab_in_the_indentation_is_reported_on_its_line() {
        let e = parse("a:\n  - id: x\n\ttitle: t\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos { line: 3, col: 1 }, "tabs cannot indent YAML")
        );
        let e = parse("a:\n  b: 1\n  \tc: 2\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 3, col: 3 }, "{e:?}");
        // The tab near the error, not one further back before a flow list's line.
        let e = parse("a: [1,\n\t2]\nb:\n  c: 1\n\td: 2\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 5, col: 1 }, "{e:?}");
        // Tabs inside a block scalar's text, and after a colon, are text and space.
        assert!(parse("a:\tb\nc: |\n  x\n  \ty\n").is_ok());
    }

    #[test]
    fn an_unclosed_bracket_or_quote_is_reported_where_it_opened() {
        let e = parse("a: [x, y\nb: 2\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, col: 4 }, "{e:?}");
        assert_eq!(e.message, "`[` opened here is never closed");
        assert_eq!(e.note.as_ref().map(|n| n.0.line), Some(2), "{e:?}");
        let e = parse("a: {x: 1\nb: 2\n").unwrap_err();
        assert_eq!(
            (e.pos, e.message.as_str()),
            (Pos { line: 1, col: 4 }, "`{` opened here is never closed")
        );
        let e = parse("a: \"x\nb: 2\nc: \"y\"\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, col: 4 }, "{e:?}");
        assert!(
            e.message
                .contains("quote `\"` opened here is not closed on its line"),
            "{e:?}"
        );
        let e = parse("a: 'it''s\nb: 'y'\n").unwrap_err();
        assert_eq!(e.pos, Pos { line: 1, col: 4 }, "{e:?}");
        // Brackets and quotes inside plain text are text; a flow list over
        // lines that stays indented is not taken for an unclosed one.
        let e = parse("a: see [x and \"y\nb: [1,\n  2, c: d: e]\n").unwrap_err();
        assert!(!e.message.contains("opened here"), "{e:?}");
    }

    #[test]
    fn resource_limits_are_said_in_words() {
        // Far deeper than allowed, on a test thread's small stack.
        let deep = format!("a: {}{}\n", "[".repeat(200), "]".repeat(200));
        let e = parse(&deep).unwrap_err();
        assert_eq!(
            e.message,
            "lists and mappings are nested more than 32 deep, the most a file may nest"
        );
        assert!(!e.message.contains('{'), "{e:?}");
    }
}
