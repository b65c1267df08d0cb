//! How problems are reported: how many are shown, and what a report says
//! about the rest.

use crate::common::*;
use std::path::{Path, PathBuf};

/// The starter book with `n` broken links in its area's introduction.
fn book_with_broken_links(tag: &str, n: usize) -> PathBuf {
    let dir = starter(&tmp(tag));
    let area = dir.join("content/areas/EF.md");
    let mut text = std::fs::read_to_string(&area).unwrap();
    for i in 0..n {
        text.push_str(&format!("\nSee [[MISSING-{i}]].\n"));
    }
    std::fs::write(&area, text).unwrap();
    dir
}

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = refbook(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn reports_show_the_first_errors_and_count_them_all() {
    let dir = book_with_broken_links("max-errors", 60);
    let d = dir.to_str().unwrap();
    let shown = |e: &str| e.matches("\nerror: ").count() + usize::from(e.starts_with("error: "));

    let (code, e) = stderr_of(&["check", d]);
    assert_eq!(code, Some(1));
    assert_eq!(shown(&e), 50, "{e}");
    assert!(e.contains("error: no element [[MISSING-49]]"), "{e}");
    assert!(!e.contains("[[MISSING-50]]"), "{e}");
    assert!(
        e.contains("check failed: 60 errors (10 not shown: `--max-errors 0` shows all)"),
        "{e}"
    );

    let (code, e) = stderr_of(&["check", "--max-errors", "5", d]);
    assert_eq!((code, shown(&e)), (Some(1), 5), "{e}");
    assert!(e.contains("60 errors (55 not shown"), "{e}");

    let (code, e) = stderr_of(&["check", "--max-errors", "0", d]);
    assert_eq!((code, shown(&e)), (Some(1), 60), "{e}");
    assert!(e.contains("check failed: 60 errors\n"), "{e}");

    let (code, e) = stderr_of(&["build", "--max-errors", "3", d]);
    assert_eq!((code, shown(&e)), (Some(1), 3), "{e}");
    assert!(
        e.contains("build failed: 60 errors (57 not shown: `--max-errors 0` shows all); nothing was written"),
        "{e}"
    );
    assert!(!Path::new(d).join("book").exists());

    assert_eq!(
        refbook(&["check", "--max-errors", "x", d]).status.code(),
        Some(2)
    );
}

mod positions {
    use proptest::prelude::*;
    use refbook::yaml::{self, Value};

    /// Words of a text: links, escapes, quotes, letters of more than a byte.
    fn words() -> impl Strategy<Value = Vec<&'static str>> {
        let word = prop_oneof![
            Just("[[A-1]]"),
            Just("[[B|the b]]"),
            Just("see"),
            Just("é"),
            Just("it's"),
            Just("a:b"),
            Just("say \"hi\""),
            Just("back\\slash"),
            Just("x"),
        ];
        prop::collection::vec(word, 1..12)
    }

    /// The words as a YAML scalar of one of five styles, over lines where
    /// `breaks` says.
    fn scalar(words: &[&str], style: u8, breaks: &[bool]) -> String {
        let mut out = String::new();
        for (i, w) in words.iter().enumerate() {
            if i > 0 {
                out.push_str(if breaks[i % breaks.len()] {
                    "\n    "
                } else {
                    " "
                });
            }
            out.push_str(w);
        }
        match style {
            0 => format!(
                "\"{}\"",
                out.replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('é', "\\u00e9")
            ),
            1 => format!("'{}'", out.replace('\'', "''")),
            2 => format!("|\n    {out}"),
            3 => format!(">-\n    {out}"),
            _ => format!(">\n\n    {out}"),
        }
    }

    proptest! {
        /// However a text is written, each `[[` of its value is found at a
        /// `[[` of the YAML.
        #[test]
        fn every_link_is_found_where_it_is_written(
            ws in words(),
            style in 0u8..5,
            breaks in prop::collection::vec(any::<bool>(), 1..4),
        ) {
            let text = format!("k: {}\n", scalar(&ws, style, &breaks));
            let n = yaml::parse(&text).unwrap();
            let Value::Map(m) = n.value else { panic!() };
            let v = &m[0].1;
            let Value::Str(s) = &v.value else { panic!() };
            let raw = &text[v.span.range()];
            let runs = yaml::runs(raw, v.pos, s);
            let lines: Vec<&str> = text.split('\n').collect();
            let written = yaml::as_written(raw, s, v.pos.col);
            prop_assert!(!written || yaml::counted_from(&runs, s, v.pos), "{:?}", text);
            for (at, _) in s.match_indices("[[") {
                let mut found = vec![yaml::pos_in(&runs, s, at).unwrap()];
                if written {
                    // Counted from the start, as a text without runs is.
                    let before = &s[..at];
                    let line = v.pos.line + before.matches('\n').count() as u32;
                    let col = match before.rfind('\n') {
                        Some(nl) => v.pos.col + before[nl + 1..].chars().count() as u32,
                        None => v.pos.col + before.chars().count() as u32,
                    };
                    found.push(yaml::Pos { line, col });
                }
                for p in found {
                    let line = lines[p.line as usize - 1];
                    let rest: String = line.chars().skip(p.col as usize - 1).collect();
                    prop_assert!(rest.starts_with("[["), "{text:?} {s:?} at {at}: {p:?} {rest:?}");
                }
            }
        }
    }
}
