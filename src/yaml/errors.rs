//! A YAML parser's error as an author can use it: in words (resource
//! limits included), and where the problem began rather than where the
//! parser gave up (a tab in the indentation, an unclosed bracket or quote).

use super::{Pos, budget, pos_of};

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

/// A parser's error in words, placed where an author would look for it.
pub(super) fn syntax_error(text: &str, e: &serde_saphyr::Error) -> SyntaxError {
    let pos = e
        .location()
        .map(|l| pos_of(&l))
        .filter(|p| p.line > 0)
        .unwrap_or(Pos { line: 1, col: 1 });
    // The error itself, under what serde-saphyr wraps it in.
    let mut inner = e;
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

#[cfg(test)]
mod tests {
    use crate::yaml::{Pos, parse};

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
