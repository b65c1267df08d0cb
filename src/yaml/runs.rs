//! Where each part of a scalar's value stands in the YAML text, so that a
//! problem found inside a text (a link to nothing) is reported at its own
//! line and column.

use super::Pos;

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
    use crate::yaml::{Value, parse};

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
}
