//! The words of Markdown, for the search index and for descriptions:
//! parsed, or, for text that is only sentences and wiki links (most of a
//! model's texts), read as it is.

use super::options;
use pulldown_cmark::{Event, Parser, TagEnd};

/// The text of some Markdown, for search and for descriptions: its words
/// with one space between each, at most `max_chars` characters (then `…`).
pub fn plain_text(src: &str, max_chars: usize) -> String {
    plain_text_with(src, max_chars, true)
}

/// [`plain_text`]; with `prose`, text that is only sentences and wiki links
/// is not parsed (see [`prose_text`]): most texts of a model are such, and
/// the search index of a large model reads hundreds of thousands of them.
fn plain_text_with(src: &str, max_chars: usize, prose: bool) -> String {
    let mut out = Words::default();
    if let Some(text) = prose.then(|| prose_text(src)).flatten() {
        out.push(&text);
    } else {
        for ev in Parser::new_ext(src, options()) {
            match ev {
                Event::Text(t) | Event::Code(t) => out.push(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    out.gap = true
                }
                _ => {}
            }
            if out.chars > max_chars {
                break;
            }
        }
    }
    if out.chars > max_chars {
        let end = out
            .s
            .char_indices()
            .nth(max_chars)
            .map_or(out.s.len(), |(i, _)| i);
        out.s.truncate(end);
        out.s.push('…');
    }
    out.s
}

/// The text of Markdown that is only sentences and wiki links (`[[ID]]`,
/// `[[ID|words]]`), as the parser would give it, or `None` for anything
/// else: no byte the parser treats as markup outside a link (nor `#`, `>`,
/// `+`, `=`, `{`, `}`, `$`, `^`, tabs or carriage returns), and every line
/// that is not blank starting, after at most three spaces, with a letter
/// (so no list, heading, quote, code block, definition or underline).
fn prose_text(src: &str) -> Option<std::borrow::Cow<'_, str>> {
    /// The bytes prose may hold outside a link.
    const PROSE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_alphanumeric()
                || c >= 0x80
                || matches!(
                    c,
                    b' ' | b'.'
                        | b','
                        | b';'
                        | b':'
                        | b'\''
                        | b'"'
                        | b'?'
                        | b'('
                        | b')'
                        | b'/'
                        | b'%'
                        | b'-'
                );
            b += 1;
        }
        t
    };
    let plain = |b: u8| PROSE[b as usize];
    let id = |t: &str| !t.is_empty() && t.bytes().all(|b| plain(b) && b != b' ');
    let words =
        |l: &str| !l.is_empty() && !l.starts_with(' ') && !l.ends_with(' ') && l.bytes().all(plain);
    // With links, the text with each link's words in its place: src up to
    // `copied` is in it.
    let mut linked: Option<String> = None;
    let mut copied = 0;
    let mut next_line = 0;
    for line in src.split('\n') {
        let start = next_line;
        next_line += line.len() + 1;
        let text = line.trim_start_matches(' ');
        if text.is_empty() {
            continue;
        }
        if line.len() - text.len() > 3 || !text.as_bytes()[0].is_ascii_alphabetic() {
            return None;
        }
        let mut at = 0;
        while at < line.len() {
            if plain(line.as_bytes()[at]) {
                at += 1;
                continue;
            }
            if !line[at..].starts_with("[[") {
                return None;
            }
            let end = at + 2 + line[at + 2..].find("]]")?;
            let inner = &line[at + 2..end];
            let (target, label) = match inner.split_once('|') {
                Some((t, l)) => (t, Some(l)),
                None => (inner, None),
            };
            if !id(target) || !label.is_none_or(words) {
                return None;
            }
            let out = linked.get_or_insert_with(String::new);
            out.push_str(&src[copied..start + at]);
            out.push_str(label.unwrap_or(target));
            at = end + 2;
            copied = start + at;
        }
    }
    Some(match linked {
        Some(mut out) => {
            out.push_str(&src[copied..]);
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(src),
    })
}

/// Words gathered with whitespace collapsed as they come (a search index
/// of a large model makes hundreds of thousands of these).
#[derive(Default)]
struct Words {
    s: String,
    chars: usize,
    /// Whitespace came since the last word: a space goes before the next.
    gap: bool,
}

impl Words {
    fn push(&mut self, t: &str) {
        if !t.is_ascii() {
            self.gap |= t.starts_with(char::is_whitespace);
            for (i, w) in t.split_whitespace().enumerate() {
                self.gap |= i > 0;
                self.word(w, w.chars().count());
            }
            self.gap |= t.ends_with(char::is_whitespace);
            return;
        }
        // The same, a byte at a time: in ASCII, `char::is_whitespace` is
        // tab to carriage return, and space.
        let ws = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
        let bytes = t.as_bytes();
        self.gap |= bytes.first().is_some_and(|&b| ws(b));
        let (mut at, mut first) = (0, true);
        while at < bytes.len() {
            while at < bytes.len() && ws(bytes[at]) {
                at += 1;
            }
            let start = at;
            while at < bytes.len() && !ws(bytes[at]) {
                at += 1;
            }
            if start < at {
                self.gap |= !first;
                self.word(&t[start..at], at - start);
                first = false;
            }
        }
        self.gap |= bytes.last().is_some_and(|&b| ws(b));
    }

    /// A word of `chars` characters, after a space if whitespace came
    /// before it.
    fn word(&mut self, w: &str, chars: usize) {
        if self.gap && !self.s.is_empty() {
            self.s.push(' ');
            self.chars += 1;
        }
        self.s.push_str(w);
        self.chars += chars;
        self.gap = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What plain_text made before it collapsed whitespace as it went.
    fn plain_text_whole(src: &str, max_chars: usize) -> String {
        let mut out = String::new();
        for ev in Parser::new_ext(src, options()) {
            match ev {
                Event::Text(t) | Event::Code(t) => out.push_str(&t),
                Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                    out.push(' ')
                }
                _ => {}
            }
        }
        let collapsed = out.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.chars().count() > max_chars {
            collapsed.chars().take(max_chars).chain(['…']).collect()
        } else {
            collapsed
        }
    }

    /// Text taken as prose without parsing gives what parsing gives: over
    /// lines of words, spaces and the punctuation prose may hold, and of the
    /// bytes that make Markdown (which must then be parsed).
    #[test]
    fn prose_is_what_the_parser_makes_of_it() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        // Lines of words and of the pieces that make Markdown, so that the
        // cases where a byte or a line start matters come up often.
        const WORDS: &[&str] = &[
            "The",
            "plan",
            "set",
            "a",
            "1.",
            "2)",
            "10",
            "-",
            "--",
            "Hi",
            ",",
            ".",
            "...",
            "(a)",
            "'q'",
            "\"q\"",
            "50%",
            "a/b",
            ":",
            ";",
            "?",
            "caf\u{e9}",
            "\u{a0}",
            "[[EF-1]]",
            "[[EF:GG2.GP1|the plan]]",
            "[[a|b]]",
        ];
        const MARKUP: &[&str] = &[
            "*",
            "**",
            "*plan*",
            "**set**",
            "_x_",
            "!",
            "[[EF-1|]]",
            "[[ a]]",
            "[[|b]]",
            "[[a|b|c]]",
            "[[a b]]",
            "[[a| b]]",
            "[[",
            "]]",
            "[a](b)",
            "#",
            ">",
            "`c`",
            "&amp;",
            "|",
            "~~a~~",
            "=",
            "+",
            "<b>",
            "\\",
            "\t",
            "\r",
            "x^2",
            "$",
            "{y}",
        ];
        let piece = prop_oneof![
            6 => proptest::sample::select(WORDS),
            1 => proptest::sample::select(MARKUP),
        ];
        let line = (
            0usize..6,
            proptest::collection::vec((piece, proptest::bool::ANY), 0..7),
        )
            .prop_map(|(lead, pieces)| {
                let mut l = " ".repeat(lead);
                for (p, space) in pieces {
                    l.push_str(p);
                    if space {
                        l.push(' ');
                    }
                }
                l
            });
        let text = proptest::collection::vec(line, 0..5).prop_map(|l| l.join("\n"));
        let prose = std::cell::Cell::new(0);
        let mut runner = TestRunner::new(Config::with_cases(3000));
        runner
            .run(&(text, 0usize..60), |(t, max)| {
                prose.set(prose.get() + usize::from(prose_text(&t).is_some()));
                prop_assert_eq!(
                    plain_text_with(&t, max, true),
                    plain_text_with(&t, max, false),
                    "{:?}",
                    t
                );
                Ok(())
            })
            .unwrap();
        // Most cases must have taken the prose way, or nothing is tested.
        assert!(prose.get() > 200, "only {} texts were prose", prose.get());
    }

    /// Words pushed byte by byte (ASCII) are the words `split_whitespace`
    /// finds, with the same spaces between pushes.
    #[test]
    fn ascii_words_are_the_words_of_any_text() {
        use proptest::prelude::*;
        use proptest::test_runner::{Config, TestRunner};
        fn unicode(pieces: &[String]) -> String {
            let mut out = Words::default();
            for t in pieces {
                out.gap |= t.starts_with(char::is_whitespace);
                for (i, w) in t.split_whitespace().enumerate() {
                    out.gap |= i > 0;
                    out.word(w, w.chars().count());
                }
                out.gap |= t.ends_with(char::is_whitespace);
            }
            format!("{}|{}", out.s, out.chars)
        }
        let piece = "[ab \t\n\u{0b}\u{0c}\r]{0,8}";
        let mut runner = TestRunner::new(Config::with_cases(2000));
        runner
            .run(&proptest::collection::vec(piece, 0..5), |pieces| {
                let mut out = Words::default();
                for t in &pieces {
                    out.push(t);
                }
                prop_assert_eq!(format!("{}|{}", out.s, out.chars), unicode(&pieces));
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn prose_is_told_from_markdown() {
        for t in [
            "The plan is set.",
            "Two\nlines, (one) 50% \"quoted\".",
            "",
            "  Lead",
            "a - b",
        ] {
            assert!(prose_text(t).is_some(), "{t:?}");
        }
        assert_eq!(
            prose_text("See [[EF-1.1]] and\n\nthen [[EF:GG2.GP1|the board's plan]], x[[A]]y.")
                .as_deref(),
            Some("See EF-1.1 and\n\nthen the board's plan, xAy.")
        );
        for t in [
            "- item",
            "1. first",
            "# Head",
            "> quote",
            "    code",
            "a *b*",
            "[[EF-1]] first",
            "a [[EF-1|]]",
            "a [[ EF-1]]",
            "a [[|x]]",
            "a [[EF-1|x|y]]",
            "a [EF-1]",
            "a [[EF-1]",
            "a | b",
            "x\n---",
            "x\n===",
            "\tTab",
            "a & b",
            "a\\",
            "Hi!",
            "100 units",
        ] {
            assert!(prose_text(t).is_none(), "{t:?}");
        }
    }

    #[test]
    fn plain_text_is_the_words_one_space_apart_cut_with_an_ellipsis() {
        let texts = [
            "",
            "   ",
            "One  two\nthree.\n\nFour *fi*ve `six`  **seven**.",
            "a*b*c d",
            "  Lead and trail  \n",
            "Line one  \nhard break\n- item\n- item two\n\n> quote",
            "Ünïcödé wörds ½ — “quoted” [[EF-1.1]] [link](x.html)",
            "# Heading\n\nText after.\n\n| a | b |\n|---|---|\n| c | d |",
        ];
        for t in texts {
            for max in [0, 1, 3, 5, 10, 11, 12, 40, 300] {
                assert_eq!(
                    plain_text(t, max),
                    plain_text_whole(t, max),
                    "{t:?} at {max}"
                );
            }
        }
        assert_eq!(plain_text("One  two\nthree.", 7), "One two…");
        assert_eq!(plain_text("One two", 7), "One two");
    }
}
