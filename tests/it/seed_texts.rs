//! Fidelity of the shipped book's texts to the report, continued from
//! `seed_fidelity`: every area's purpose and introduction and every
//! category's text compared word for word (whitespace normalised, as `norm`
//! says), the paragraphs where the report breaks them.

use crate::seed_fidelity::{
    LABELS, SEED, area_heading, demojibake, is_page_furniture, list, norm, str_field, strip_tags,
};
use crate::seed_rules::{corrections, ws};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The book in this repository, built by the binary under test into `name`,
/// and its model.json; `None` (with a SKIP line) where the seed is absent.
pub(crate) fn built_model(name: &str) -> Option<(PathBuf, Value, String)> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(text) = std::fs::read_to_string(manifest.join(SEED)) else {
        eprintln!("SKIP {name}: {SEED} is absent");
        return None;
    };
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_refbook"))
        .arg("build")
        .arg(manifest)
        .arg("-d")
        .arg(&out)
        .output()
        .expect("run refbook");
    assert!(
        run.status.success(),
        "refbook build failed ({}):\n{}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let json = std::fs::read_to_string(out.join("model.json")).expect("model.json");
    Some((
        out,
        serde_json::from_str(&json).expect("model.json parses"),
        text,
    ))
}

/// Each area's purpose and introduction as printed in appendices A-D, by
/// code: their lines, page furniture left out.
fn seed_area_texts(text: &str) -> Vec<(String, String, String)> {
    let lines: Vec<String> = text.lines().map(demojibake).collect();
    let from = lines
        .iter()
        .position(|l| l.trim().starts_with("Appendix A CERT Resiliency"))
        .expect("Appendix A");
    let mut out: Vec<(String, String, String)> = Vec::new();
    let mut part = 0; // 1: purpose, 2: introduction
    for (i, line) in lines.iter().enumerate().skip(from) {
        let t = line.trim();
        let next = lines[i + 1..]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty());
        if let Some((code, _)) = area_heading(t)
            && next.is_some_and(|n| LABELS.contains(&n))
        {
            out.push((code, String::new(), String::new()));
            part = 0;
            continue;
        }
        match t {
            "Purpose" => part = 1,
            "Introduction" => part = 2,
            "Related Competencies" | "Competency Objectives and Practices" => part = 0,
            _ if t.starts_with("Appendix E") => break,
            _ if is_page_furniture(line) || part == 0 => {}
            _ => {
                let Some(last) = out.last_mut() else { continue };
                let s = if part == 1 { &mut last.1 } else { &mut last.2 };
                s.push_str(line);
                s.push('\n');
            }
        }
    }
    out
}

/// A category's text as printed: its section (5.5-5.8) from after the
/// heading to the next section, section numbers taken off the headings.
fn seed_category_text(text: &str, number: usize, name: &str) -> Option<String> {
    let lines: Vec<String> = text.lines().map(demojibake).collect();
    let head = format!("5.{number} {}", name.to_uppercase());
    let next = format!("5.{} ", number + 1);
    let start = lines.iter().position(|l| l.trim() == head)?;
    let mut out = String::new();
    for l in &lines[start + 1..] {
        let t = l.trim();
        if t.starts_with(&next) || t.starts_with("6 Beginning") {
            break;
        }
        if is_page_furniture(l) {
            continue;
        }
        let numbered = t.split_once(' ').filter(|(n, _)| {
            n.starts_with(&format!("5.{number}."))
                && n.chars().all(|c| c.is_ascii_digit() || c == '.')
        });
        // (the indent stays: it is where a bullet was lost)
        out.push_str(&l[..l.len() - l.trim_start().len()]);
        out.push_str(numbered.map_or(t, |(_, rest)| rest));
        out.push('\n');
    }
    Some(out)
}

/// A text of the book as the report prints it: Markdown marks taken off
/// (headings, bullets, emphasis, `[[ID]]` links become their text), a table
/// its cells in order, footnote references dropped and their texts returned
/// apart. With the byte offset, in that plain text, where each block starts.
struct Plain {
    text: String,
    starts: Vec<usize>,
    footnotes: Vec<(String, String)>,
}

fn plain(md: &str, drop_in_tables: &[&str]) -> Plain {
    let mut p = Plain {
        text: String::new(),
        starts: Vec::new(),
        footnotes: Vec::new(),
    };
    let mut prev = "";
    for line in md.lines() {
        let t = line.trim();
        if let Some((n, rest)) = t.strip_prefix("[^").and_then(|r| r.split_once("]: ")) {
            p.footnotes.push((n.to_string(), rest.to_string()));
            continue;
        }
        if t.starts_with("| ---") || t.starts_with("|---") {
            continue;
        }
        let t = t.trim_start_matches(['#', '>']).trim_start();
        let t = t.strip_prefix("- ").unwrap_or(t);
        let block = prev.trim().is_empty()
            || line.starts_with(['-', '#'])
            || (line.starts_with('|') && !prev.starts_with('|'));
        if block && !t.is_empty() {
            p.starts.push(norm(&p.text).len());
        }
        let mut s = inline(t);
        if line.starts_with('|') {
            s = s
                .split(['|', ' '])
                .filter(|w| !w.is_empty() && *w != "/" && !drop_in_tables.contains(w))
                .collect::<Vec<_>>()
                .join(" ");
        }
        p.text.push_str(&s);
        p.text.push('\n');
        prev = line;
    }
    p
}

/// `[[ID]]` -> `ID`, `[[ID|text]]` -> `text`, `[^n]` and `*` dropped.
fn inline(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find("[[").or_else(|| rest.find("[^")) {
        out.push_str(&rest[..at]);
        let close = if rest[at..].starts_with("[[") {
            "]]"
        } else {
            "]"
        };
        let Some(len) = rest[at..].find(close) else {
            rest = &rest[at..];
            break;
        };
        let inner = &rest[at + 2..at + len];
        if close == "]]" {
            out.push_str(inner.rsplit('|').next().unwrap_or(inner));
        }
        rest = &rest[at + len + close.len()..];
    }
    out.push_str(rest);
    out.replace('*', "")
}

/// The byte offsets, in `norm` of the text, where a printed text's blocks
/// start: all of them (after a blank line, or at a line indented where a
/// bullet was lost), and those that must be a paragraph of the book too (a
/// sentence ended before the blank line and the next begins a new one).
fn seed_starts(text: &str) -> (Vec<usize>, Vec<usize>) {
    let (mut all, mut required) = (Vec::new(), Vec::new());
    let mut done = String::new();
    let (mut blank, mut ended) = (true, false);
    for line in text.lines() {
        let t = line.trim();
        if t.is_empty() {
            blank = true;
            continue;
        }
        if blank || line.starts_with(' ') {
            let at = norm(&done).len();
            all.push(at);
            if blank && ended && t.chars().next().is_some_and(char::is_uppercase) {
                required.push(at);
            }
        }
        ended = t.ends_with(['.', ':', '?', '!', '”', '"']);
        blank = false;
        done.push_str(line);
        done.push('\n');
    }
    (all, required)
}

/// A printed text and the book's compared: word for word, then paragraph
/// by paragraph. The printed text's footnotes that the book has are taken
/// out of it (with their markers, glued to the word before them).
fn compare(what: &str, printed: &str, book: &Plain, report: &str, failures: &mut Vec<String>) {
    let mut want = norm(printed);
    // Paragraphs are compared by where they start in the text; a footnote
    // printed inside the text would move them.
    let mut inside = false;
    for (n, note) in &book.footnotes {
        let note = format!("{n} {}", norm(note));
        // A footnote may be printed at the foot of a page after the text's end.
        if !want.contains(&note) && !norm(report).contains(&note) {
            failures.push(format!("{what}: footnote {n} is not printed: {note}"));
        }
        inside |= want.contains(&note);
        want = unglue(&want.replacen(&note, "", 1), n);
    }
    let (want, got) = (ws(&want), norm(&book.text));
    if want != got {
        let at = want
            .chars()
            .zip(got.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let show = |s: &str| {
            s.chars()
                .skip(at.saturating_sub(40))
                .take(120)
                .collect::<String>()
        };
        failures.push(format!(
            "{what}:\n   book:    …{}\n   printed: …{}",
            show(&got),
            show(&want)
        ));
        return;
    }
    let (all, required) = seed_starts(printed);
    if !inside {
        for at in book.starts.iter().filter(|at| !all.contains(at)) {
            failures.push(format!(
                "{what}: a paragraph starts at “{}”, not so printed",
                &got[*at..].chars().take(40).collect::<String>()
            ));
        }
        for at in required.iter().filter(|at| !book.starts.contains(at)) {
            failures.push(format!(
                "{what}: the report starts a paragraph at “{}”",
                &got[*at..].chars().take(40).collect::<String>()
            ));
        }
    }
}

/// `Figure 12.17 ` -> `Figure 12. `: a footnote's marker, which the
/// conversion glued to the word before it, taken off.
fn unglue(s: &str, n: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(at) = rest.find(n) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + n.len()..].chars().next();
        let glued = before.is_some_and(|c| !c.is_whitespace() && !c.is_ascii_digit())
            && after.is_none_or(char::is_whitespace);
        out.push_str(&rest[..at]);
        if !glued {
            out.push_str(n);
        }
        rest = &rest[at + n.len()..];
    }
    out.push_str(rest);
    out
}

#[test]
fn purposes_introductions_and_category_texts_match_the_seed() {
    let Some((_, model, text)) = built_model("seed_texts_book") else {
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let errata = corrections(manifest);
    let mut failures = Vec::new();
    let printed = seed_area_texts(&text);
    assert_eq!(printed.len(), 24, "areas with a purpose in the seed");
    for a in list(&model, "areas") {
        let code = str_field(a, "code");
        let Some((_, purpose, intro)) = printed.iter().find(|(c, _, _)| c == code) else {
            failures.push(format!("{code}: not printed"));
            continue;
        };
        let p = plain(str_field(a, "purpose"), &[]);
        compare(
            &format!("{code} purpose"),
            purpose,
            &p,
            &text,
            &mut failures,
        );
        // Check marks the conversion lost are restored only where the errata say so.
        let restored: Vec<&str> = errata
            .iter()
            .filter(|e| e.elem == format!("[[{code}]] introduction") && e.published.contains('✓'))
            .map(|_| "✓")
            .collect();
        let book = match str_field(a, "introduction").trim() {
            // An area whose scope is under review shows the report's words as its status.
            "" => a.get("status").and_then(Value::as_str).unwrap_or(""),
            i => i,
        };
        compare(
            &format!("{code} introduction"),
            intro,
            &plain(book, &restored),
            &text,
            &mut failures,
        );
    }
    let cats = list(&model, "categories");
    let listed: Vec<String> = text
        .lines()
        .skip_while(|l| l.trim() != "5.4 FRAMEWORK ARCHITECTURE")
        .filter_map(|l| {
            l.trim()
                .split_once(". ")
                .filter(|(n, _)| n.len() == 1 && n.chars().all(|c| c.is_ascii_digit()))
        })
        .take(4)
        .map(|(_, name)| name.trim().to_string())
        .collect();
    let names: Vec<&str> = cats.iter().map(|c| str_field(c, "name")).collect();
    assert_eq!(
        names, listed,
        "the categories as §5.4 lists them, in its order"
    );
    for (i, c) in cats.iter().enumerate() {
        let name = str_field(c, "name");
        let printed =
            seed_category_text(&text, 5 + i, name).unwrap_or_else(|| panic!("§5.{} {name}", 5 + i));
        let md = c.get("description").and_then(Value::as_str).unwrap_or("");
        compare(
            &format!("category {name}"),
            &printed,
            &plain(md, &[]),
            &text,
            &mut failures,
        );
    }
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn plain_text_and_paragraphs_are_read_narrowly() {
    let p = plain(
        "A [[EF]] and [[X|the x]]*.*[^3]\n\n- one\n- two\n\n[^3]: Note.\n",
        &[],
    );
    assert_eq!(p.text, "A EF and the x.\n\none\ntwo\n\n");
    assert_eq!(p.footnotes, [("3".to_string(), "Note.".to_string())]);
    assert_eq!(p.starts, [0, 15, 19]);
    let (all, required) = seed_starts("One.\n\nTwo and\n\nthree.\n Four\n");
    assert_eq!(all, [0, 4, 12, 19]);
    assert_eq!(required, [4]);
    assert_eq!(
        unglue("in Figure 12.17 and 17 more", "17"),
        "in Figure 12. and 17 more"
    );
    let mut f = Vec::new();
    compare(
        "t",
        "One.\n\nTwo.\n",
        &plain("One. Two.\n", &[]),
        "",
        &mut f,
    );
    assert_eq!(f.len(), 1, "{f:?}");
}

/// Appendix E, the report's collaborators: every line it prints there, in
/// its order, on the Collaborators page, organizations as headings.
#[test]
fn the_collaborators_page_is_appendix_e_as_printed() {
    let Some((out, _, text)) = built_model("seed-collaborators") else {
        return;
    };
    let mut lines = text
        .lines()
        .skip_while(|l| l.trim() != "Appendix E Collaborators");
    assert!(lines.next().is_some(), "the seed has Appendix E");
    let mut printed = Vec::new();
    let mut orgs = Vec::new();
    let mut after_blank = true;
    for l in lines.filter(|l| !is_page_furniture(l)) {
        if l.trim().is_empty() {
            after_blank = true;
            continue;
        }
        if after_blank {
            orgs.push(norm(l));
        }
        after_blank = false;
        printed.push(norm(l));
    }
    assert!(printed.len() > 40 && orgs.len() > 15, "{printed:?}");
    let html = std::fs::read_to_string(out.join("pages/collaborators/index.html")).unwrap();
    let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
    let shown = norm(&strip_tags(main).replace("&amp;", "&"));
    assert!(
        shown.contains(&printed.join(" ")),
        "the page holds Appendix E as printed:\n{shown}"
    );
    for org in &orgs {
        let org = org.replace('&', "&amp;");
        let heading = (2..=4).any(|n| html.contains(&format!("<h{n}>{org}</h{n}>")));
        assert!(heading, "{org} is a heading");
    }
}
