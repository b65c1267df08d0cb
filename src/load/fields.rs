//! Decoding the fields of a YAML mapping: each one taken once, converted to
//! its type with every problem collected, what is left over an unknown
//! field; positions in the YAML text become file lines.

use crate::diag::{Diagnostic, Loc, did_you_mean};
use crate::model::{Md, Str};
use crate::yaml::{self, Key, Node, Pos, Value};
use std::sync::Arc;

/// Where a YAML text sits in its file, so that positions map to file lines.
pub(super) struct Cx<'a> {
    pub(super) file: Arc<str>,
    /// File line of YAML line 1, minus one.
    pub(super) line_offset: u32,
    /// The YAML text, for where the parts of a scalar stand.
    pub(super) yaml: &'a str,
    pub(super) diags: &'a mut Vec<Diagnostic>,
}

impl Cx<'_> {
    pub(super) fn loc(&self, pos: Pos) -> Loc {
        Loc {
            file: self.file.clone(),
            line: pos.line + self.line_offset,
            col: pos.col,
        }
    }
    /// The YAML text of a node, as written.
    pub(super) fn raw(&self, span: yaml::Span) -> &str {
        self.yaml.get(span.range()).unwrap_or("")
    }
    /// Where a scalar's value starts: inside its quotes, if it has them.
    pub(super) fn start(&self, pos: Pos, span: yaml::Span) -> Loc {
        let quoted = self.raw(span).starts_with(['"', '\'']);
        self.loc(Pos {
            col: pos.col + u32::from(quoted),
            ..pos
        })
    }
    /// Where the parts of `value`, the value of scalar `n`, stand in the file
    /// (positions in the YAML text become file lines).
    pub(super) fn runs(&self, n: &Node, value: &str) -> Vec<yaml::Run> {
        let mut runs = yaml::runs(self.raw(n.span), n.pos, value);
        for r in &mut runs {
            r.pos.line += self.line_offset;
        }
        runs
    }
    pub(super) fn err(&mut self, pos: Pos, msg: impl Into<String>) {
        let d = Diagnostic::error(self.loc(pos), msg);
        self.diags.push(d);
    }
}

/// The fields of a YAML mapping, consumed one by one; what is left over is
/// an unknown field.
pub(super) struct Fields<'n> {
    pos: Pos,
    entries: &'n [(Key, Node)],
    used: Vec<bool>,
    asked: Vec<&'static str>,
    /// Required fields found missing while an unknown entry looks like their
    /// misspelling: one mistake, so `finish` reports it once, as the unknown
    /// field with the suggestion, unless that entry turns out to be a field.
    misspelt: Vec<(&'static str, String, usize)>,
}

impl<'n> Fields<'n> {
    pub(super) fn of(cx: &mut Cx, node: &'n Node, what: &str) -> Option<Fields<'n>> {
        match &node.value {
            Value::Map(m) => Some(Fields {
                pos: node.pos,
                entries: m,
                used: vec![false; m.len()],
                asked: Vec::new(),
                misspelt: Vec::new(),
            }),
            Value::Null => Some(Fields {
                pos: node.pos,
                entries: &[],
                used: Vec::new(),
                asked: Vec::new(),
                misspelt: Vec::new(),
            }),
            other => {
                cx.err(
                    node.pos,
                    format!("{what} must be a mapping of fields, found {}", other.kind()),
                );
                None
            }
        }
    }

    pub(super) fn take(&mut self, name: &'static str) -> Option<&'n Node> {
        self.asked.push(name);
        let i = self.entries.iter().position(|(k, _)| k.name == name)?;
        self.used[i] = true;
        let n = &self.entries[i].1;
        // `field:` with nothing after it is the same as leaving it out.
        if matches!(n.value, Value::Null) {
            None
        } else {
            Some(n)
        }
    }

    /// Where the value of `name` is written, for errors found later.
    pub(super) fn pos_of(&self, name: &str) -> Option<Pos> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == name)
            .map(|(_, n)| n.pos)
    }

    pub(super) fn require(
        &mut self,
        cx: &mut Cx,
        name: &'static str,
        what: &str,
    ) -> Option<&'n Node> {
        let n = self.take(name);
        if n.is_none() {
            let near = self.entries.iter().position(|(k, _)| {
                k.name != name && crate::diag::suggest(&k.name, [name]).is_some()
            });
            match near {
                Some(i) => self.misspelt.push((name, what.to_owned(), i)),
                None => cx.err(self.pos, format!("missing field `{name}` in {what}")),
            }
        }
        n
    }

    pub(super) fn finish(self, cx: &mut Cx, what: &str) {
        for (name, of, i) in &self.misspelt {
            if self.used[*i] {
                cx.err(self.pos, format!("missing field `{name}` in {of}"));
            }
        }
        for (i, (k, _)) in self.entries.iter().enumerate() {
            if !self.used[i] {
                let help = did_you_mean(&k.name, self.asked.iter().copied())
                    .unwrap_or_else(|| format!("{what} takes: {}", self.asked.join(", ")));
                let len = k.name.chars().count();
                let d = Diagnostic::error(
                    cx.loc(k.pos),
                    format!("unknown field `{}` in {what}", k.name),
                );
                cx.diags.push(d.help(help).len(len));
            }
        }
    }
}

pub(super) fn string(cx: &mut Cx, n: &Node, what: &str) -> Option<String> {
    match &n.value {
        Value::Str(s) => Some(clean(s)),
        // `version: 2007` means the text 2007.
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be text, found {}", other.kind()),
            );
            None
        }
    }
}

/// Control characters have no place in a page, and U+0001 marks links.
pub(super) fn clean(s: &str) -> String {
    // Control characters are C0, DEL (single bytes) and C1 (0xC2 0x80-0x9F):
    // a byte scan rules them out for nearly every text without decoding it.
    // Whole chunks without an early exit, so that the compiler vectorises it.
    let suspect = |chunk: &[u8]| {
        chunk.iter().fold(false, |seen, &b| {
            seen | ((b < 0x20) & (b != b'\n') & (b != b'\t')) | (b == 0x7f) | (b == 0xc2)
        })
    };
    if s.as_bytes().chunks(64).any(suspect)
        && s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        s.chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect()
    } else {
        s.to_owned()
    }
}

/// Text shown as it is written: titles, names, questions, summaries,
/// labels. `[[...]]` is no link there (it would show with its brackets, and
/// go unchecked), so it is an error, at the brackets.
pub(super) fn text(cx: &mut Cx, n: &Node, what: &str) -> Option<String> {
    let t = string(cx, n, what)?;
    if let Some(at) = t.find("[[") {
        let link = match t[at..].find("]]") {
            Some(end) => &t[at..at + end + 2],
            None => "[[",
        };
        let runs = cx.runs(n, &t);
        let loc = match yaml::pos_in(&runs, &t, at) {
            Some(p) => Loc {
                file: cx.file.clone(),
                line: p.line,
                col: p.col,
            },
            None => cx.loc(n.pos),
        };
        let d = Diagnostic::error(
            loc,
            format!("`{link}` in {what}, which is plain text: links work only in Markdown fields"),
        )
        .len(link.chars().count())
        .help("name the element in words here, and link to it from a statement, notes or the body");
        cx.diags.push(d);
    }
    Some(t)
}

pub(super) fn s(cx: &mut Cx, n: &Node, what: &str) -> Option<Str> {
    let text = string(cx, n, what)?;
    Some(Str {
        text,
        loc: cx.start(n.pos, n.span),
    })
}

pub(super) fn md(cx: &mut Cx, n: &Node, what: &str) -> Option<Md> {
    let src = string(cx, n, what)?;
    let loc = cx.loc(n.pos);
    // Only links are pointed at inside a text, and most texts stand in the
    // file as they are (plain scalars, literal blocks): those keep no runs.
    let runs = if src.contains("[[") && !yaml::as_written(cx.raw(n.span), &src, n.pos.col) {
        let runs = cx.runs(n, &src);
        if yaml::counted_from(
            &runs,
            &src,
            yaml::Pos {
                line: loc.line,
                col: loc.col,
            },
        ) {
            Box::default()
        } else {
            runs.into_boxed_slice()
        }
    } else {
        Box::default()
    };
    Some(Md {
        src,
        loc,
        runs,
        html: String::new(),
    })
}

pub(super) fn int(cx: &mut Cx, n: &Node, what: &str) -> Option<i64> {
    match &n.value {
        Value::Int(i) => Some(*i),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be a whole number, found {}", other.kind()),
            );
            None
        }
    }
}

pub(super) fn boolean(cx: &mut Cx, n: &Node, what: &str) -> Option<bool> {
    match &n.value {
        Value::Bool(b) => Some(*b),
        other => {
            cx.err(
                n.pos,
                format!("{what} must be true or false, found {}", other.kind()),
            );
            None
        }
    }
}

pub(super) fn list<'n>(cx: &mut Cx, n: Option<&'n Node>, what: &str) -> &'n [Node] {
    match n.map(|n| (n, &n.value)) {
        None => &[],
        Some((_, Value::Seq(items))) => items,
        Some((n, other)) => {
            cx.err(
                n.pos,
                format!("{what} must be a list, found {}", other.kind()),
            );
            &[]
        }
    }
}

pub(super) fn str_list(cx: &mut Cx, n: Option<&Node>, what: &str) -> Vec<Str> {
    list(cx, n, what)
        .iter()
        .filter_map(|i| s(cx, i, &format!("each entry of {what}")))
        .collect()
}

pub(super) fn opt<T>(
    cx: &mut Cx,
    f: &mut Fields,
    name: &'static str,
    conv: impl FnOnce(&mut Cx, &Node, &str) -> Option<T>,
) -> Option<T> {
    let n = f.take(name)?;
    conv(cx, n, &format!("`{name}`"))
}

pub(super) fn req<T>(
    cx: &mut Cx,
    f: &mut Fields,
    name: &'static str,
    what: &str,
    conv: impl FnOnce(&mut Cx, &Node, &str) -> Option<T>,
) -> Option<T> {
    let n = f.require(cx, name, what)?;
    conv(cx, n, &format!("`{name}`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_dropped_and_nothing_else() {
        assert_eq!(clean("a\u{1}b\u{7f}c\u{85}d\u{2}"), "abcd");
        // 0xC2 starts both C1 controls and ordinary letters and signs.
        assert_eq!(clean("© ¼ é\n\tx"), "© ¼ é\n\tx");
        assert_eq!(clean("plain text"), "plain text");
    }

    /// The messages of `fields` decoded as `require title`, then `take titles`.
    fn title_then_titles(yaml: &str) -> Vec<String> {
        let node = crate::yaml::parse(yaml).unwrap();
        let mut diags = Vec::new();
        let mut cx = Cx {
            file: "x.yaml".into(),
            line_offset: 0,
            yaml,
            diags: &mut diags,
        };
        let mut f = Fields::of(&mut cx, &node, "a thing").unwrap();
        f.require(&mut cx, "title", "a thing");
        f.take("titles");
        f.finish(&mut cx, "a thing");
        diags.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn a_look_alike_stands_in_for_a_missing_field_only_when_it_is_unknown() {
        assert_eq!(
            title_then_titles("titel: x\n"),
            ["unknown field `titel` in a thing"]
        );
        // `titles` is near `title` but is a field of its own: `title` is missing.
        assert_eq!(
            title_then_titles("titles: x\n"),
            ["missing field `title` in a thing"]
        );
    }
}
