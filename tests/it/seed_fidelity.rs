//! Fidelity of the shipped book to its source.
//!
//! Builds the book in this repository, reads the `model.json` the build writes, and
//! compares every competency objective and practice with an independent reading of the
//! plain-text conversion of CMU/SEI-2007-TR-009 (`../shared/seeds/001_*.txt`,
//! appendices A-D). Skipped when the seed is not there.
//!
//! The reading of the seed is deliberately simple: lines starting `Objective X-n` or
//! `Practice X-n.m` are headings, the statement is every line up to the next heading.
//! Before comparing, both sides are normalised in three explainable ways only:
//!
//! 1. whitespace: all runs of whitespace become one space (the seed wraps lines and has
//!    blank lines inside sentences);
//! 2. hyphens inside words are dropped, so that `estab-` + `lish` (a word split at a
//!    line end) and `service-` + `critical` (a compound split at its hyphen) compare
//!    equal to `establish` and `service-critical`;
//! 3. quotation marks: the conversion printed “ ” as U+2015/U+2016; all double quotes
//!    are compared as `"` and single quotes as `'`;
//!
//! and, as part of 1, a line break after an em dash is no space (`activities—` +
//! `because` is `activities—because`).
//!
//! Letters, digits and other punctuation are compared exactly, so a changed, added or
//! removed word fails. Titles are compared word for word (whitespace normalised): as
//! printed where the report prints them in Title Case, and, where it prints them in
//! capitals (practice titles), in the report's own Title Case (`seed_rules::title_case`).
//! The corrections the errata page lists are read from it and applied to the seed side
//! (`seed_rules::apply_errata`), so that no difference is excused that the errata do not
//! list; an erratum that finds nothing printed to correct fails too. Purposes,
//! introductions and category texts are compared in `seed_texts`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

use crate::seed_rules::{apply_errata, corrections, known_pages, published_title, wrong_notices};
use crate::seed_texts::built_model;

pub(crate) const SEED: &str = "../shared/seeds/001_bf8e1acf2f44f8ea.txt";

pub(crate) const LABELS: [&str; 4] = [
    "ENTERPRISE",
    "ENGINEERING",
    "OPERATIONS",
    "PROCESS MANAGEMENT",
];

/// (area, objectives, practices) as printed in appendices A-D.
const PER_AREA: [(&str, usize, usize); 24] = [
    ("EF", 4, 13),
    ("COMP", 4, 11),
    ("FRM", 5, 13),
    ("RISK", 6, 13),
    ("COMM", 4, 11),
    ("OTA", 3, 9),
    ("RRD", 3, 6),
    ("RRM", 1, 5),
    ("ADM", 3, 7),
    ("SM", 7, 22),
    ("CM", 4, 8),
    ("SAM", 3, 7),
    ("SRM", 3, 5),
    ("VM", 4, 10),
    ("IMC", 5, 15),
    ("AMC", 2, 7),
    ("ECFM", 4, 10),
    ("HRM", 4, 13),
    ("KIM", 4, 10),
    ("SOM", 0, 0),
    ("TM", 5, 15),
    ("PM", 0, 0),
    ("MA", 2, 8),
    ("MON", 2, 7),
];

#[derive(Debug, Default)]
pub(crate) struct SeedArea {
    pub(crate) code: String,
    pub(crate) name: String,
    pub(crate) appendix: char,
    /// The line of its heading.
    pub(crate) line: usize,
    pub(crate) objectives: Vec<SeedElem>,
}

#[derive(Debug, Default)]
pub(crate) struct SeedElem {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) statement: String,
    pub(crate) line: usize,
    pub(crate) practices: Vec<SeedElem>,
}

pub(crate) fn demojibake(s: &str) -> String {
    s.replace('\u{2015}', "\u{201c}")
        .replace('\u{2016}', "\u{201d}")
}

/// `CODE – Name` (the dash may be an en dash or a hyphen, spaces optional).
pub(crate) fn area_heading(line: &str) -> Option<(String, String)> {
    let t = line.trim();
    let code: String = t.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    if !(2..=4).contains(&code.len()) {
        return None;
    }
    let rest = t[code.len()..].trim_start();
    let rest = rest.strip_prefix('–').or_else(|| rest.strip_prefix('-'))?;
    let name = rest.trim();
    if name.is_empty() {
        return None;
    }
    Some((code, name.to_string()))
}

/// `Objective X-n Title` / `Practice X-n.m TITLE`.
fn element_heading(line: &str, keyword: &str) -> Option<(String, String)> {
    let t = line.trim();
    let rest = t.strip_prefix(keyword)?.strip_prefix(' ')?;
    let id: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
    let (prefix, number) = id.split_once('-')?;
    if prefix.is_empty() || !prefix.chars().all(|c| c.is_ascii_uppercase()) {
        return None;
    }
    let parts: Vec<&str> = number.split('.').collect();
    let want = if keyword == "Practice" { 2 } else { 1 };
    if parts.len() != want
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    Some((id.clone(), rest[id.len()..].trim().to_string()))
}

pub(crate) fn is_page_furniture(line: &str) -> bool {
    let t = line.trim();
    t.ends_with("| CMU/SEI-2007-TR-009") || t.starts_with("SOFTWARE ENGINEERING INSTITUTE |")
}

pub(crate) fn parse_seed(text: &str) -> Vec<SeedArea> {
    let lines: Vec<String> = text.lines().map(demojibake).collect();
    let start = lines
        .iter()
        .position(|l| {
            l.trim()
                .starts_with("Appendix A CERT Resiliency Engineering Framework")
        })
        .expect("Appendix A not found in the seed");
    let end = lines
        .iter()
        .position(|l| l.trim().starts_with("Appendix E Collaborators"))
        .expect("Appendix E not found in the seed");
    let next_nonblank = |i: usize| -> String {
        lines[i + 1..end]
            .iter()
            .map(|l| l.trim())
            .find(|l| !l.is_empty())
            .unwrap_or("")
            .to_string()
    };

    let mut areas: Vec<SeedArea> = Vec::new();
    let mut appendix = 'A';
    // Where statement lines go: (objective index, practice index) of the current area.
    let mut target: Option<(usize, Option<usize>)> = None;
    let mut i = start;
    while i < end {
        let line = &lines[i];
        let t = line.trim();
        if let Some(rest) = t.strip_prefix("Appendix ") {
            appendix = rest.chars().next().unwrap();
            target = None;
        } else if let (Some((code, name)), true) =
            (area_heading(t), LABELS.contains(&next_nonblank(i).as_str()))
        {
            areas.push(SeedArea {
                code,
                name,
                appendix,
                line: i + 1,
                ..Default::default()
            });
            target = None;
        } else if let Some((id, title)) = element_heading(t, "Objective") {
            let area = areas.last_mut().expect("objective before any area");
            area.objectives.push(SeedElem {
                id,
                title,
                line: i + 1,
                ..Default::default()
            });
            target = Some((area.objectives.len() - 1, None));
        } else if let Some((id, mut title)) = element_heading(t, "Practice") {
            // A title printed in capitals may wrap onto the next non-blank line.
            let mut j = i + 1;
            while j < end {
                let u = lines[j].trim();
                if u.is_empty() {
                    j += 1;
                    continue;
                }
                let is_caps = u.chars().any(|c| c.is_ascii_uppercase())
                    && !u.chars().any(|c| c.is_lowercase());
                if is_caps && element_heading(u, "Practice").is_none() && area_heading(u).is_none()
                {
                    title.push(' ');
                    title.push_str(u);
                    j += 1;
                    continue;
                }
                break;
            }
            let area = areas.last_mut().expect("practice before any area");
            let oi = area
                .objectives
                .len()
                .checked_sub(1)
                .expect("practice before any objective");
            let obj = &mut area.objectives[oi];
            obj.practices.push(SeedElem {
                id,
                title,
                line: i + 1,
                ..Default::default()
            });
            target = Some((oi, Some(obj.practices.len() - 1)));
            i = j;
            continue;
        } else if t == "Competency Objectives and Practices" || is_page_furniture(line) {
            // headings and page furniture are not statement text
        } else if let Some((o, p)) = target {
            let area = areas.last_mut().unwrap();
            let elem = match p {
                Some(p) => &mut area.objectives[o].practices[p],
                None => &mut area.objectives[o],
            };
            elem.statement.push_str(line);
            elem.statement.push('\n');
        }
        i += 1;
    }
    areas
}

/// The text of some HTML, its tags taken out.
pub(crate) fn strip_tags(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// The normalisation described at the top of this file.
pub(crate) fn norm(s: &str) -> String {
    let s = demojibake(s)
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace(['\u{2018}', '\u{2019}'], "'");
    let mut out = String::new();
    for word in s.split_whitespace() {
        let chars: Vec<char> = word.chars().collect();
        // a word ending in "letter-" was split at a line end: it continues with the next word
        let split = chars.len() > 1
            && chars[chars.len() - 1] == '-'
            && chars[chars.len() - 2].is_alphabetic();
        for (k, &c) in chars.iter().enumerate() {
            let after_letter = k > 0 && chars[k - 1].is_alphabetic();
            let before_letter = chars.get(k + 1).is_some_and(|n| n.is_alphabetic());
            if c == '-' && after_letter && (before_letter || k + 1 == chars.len()) {
                continue; // a hyphen inside a word, or the one of a line-end split
            }
            out.push(c);
        }
        if !split {
            out.push(' ');
        }
    }
    // a line may also end after an em dash, which the book joins without a space
    out.trim_end()
        .replace(" \u{2014}", "\u{2014}")
        .replace("\u{2014} ", "\u{2014}")
}

pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("model.json: missing string {key:?} in {v}"))
}

pub(crate) fn list<'a>(v: &'a Value, key: &str) -> &'a Vec<Value> {
    v.get(key)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("model.json: missing list {key:?}"))
}

#[test]
fn shipped_book_matches_the_seed() {
    // --- the book, built by the binary under test, and the seed
    let Some((out, model, text)) = built_model("seed_fidelity_book") else {
        return;
    };
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));

    // --- the seed, read independently
    let mut seed = parse_seed(&text);
    let stale = apply_errata(&mut seed, &corrections(manifest));
    assert!(stale.is_empty(), "{}", stale.join("\n"));
    assert_eq!(seed.len(), 24, "areas in the seed");
    let seed_obj: usize = seed.iter().map(|a| a.objectives.len()).sum();
    let seed_prac: usize = seed
        .iter()
        .flat_map(|a| &a.objectives)
        .map(|o| o.practices.len())
        .sum();
    assert_eq!(
        (seed_obj, seed_prac),
        (82, 225),
        "objectives and practices in the seed"
    );
    for (a, (code, n_obj, n_prac)) in seed.iter().zip(PER_AREA) {
        assert_eq!(a.code, code, "order of the areas in the seed");
        let p: usize = a.objectives.iter().map(|o| o.practices.len()).sum();
        assert_eq!(
            (a.objectives.len(), p),
            (n_obj, n_prac),
            "counts of {code} in the seed"
        );
    }
    let mut ids = BTreeSet::new();
    for a in &seed {
        for o in &a.objectives {
            for e in std::iter::once(o).chain(&o.practices) {
                assert!(
                    ids.insert(e.id.clone()),
                    "seed id {} twice after corrections",
                    e.id
                );
                assert!(
                    e.id.starts_with(&format!("{}-", a.code)),
                    "seed id {} outside {}",
                    e.id,
                    a.code
                );
                assert!(
                    !e.statement.trim().is_empty(),
                    "seed statement of {} (line {}) empty",
                    e.id,
                    e.line
                );
            }
        }
    }
    assert_eq!(ids.len(), 82 + 225);

    assert_eq!(str_field(&model, "format"), "refbook-model");

    let areas = list(&model, "areas");
    assert_eq!(areas.len(), 24, "areas in the book");
    let mut book: BTreeMap<String, &Value> = BTreeMap::new();
    for a in areas {
        book.insert(str_field(a, "code").to_string(), a);
    }
    let book_obj: usize = areas.iter().map(|a| list(a, "objectives").len()).sum();
    let book_prac: usize = areas
        .iter()
        .flat_map(|a| list(a, "objectives"))
        .map(|o| list(o, "practices").len())
        .sum();
    assert_eq!(
        (book_obj, book_prac),
        (82, 225),
        "objectives and practices in the book"
    );

    // --- the order of the areas: as the appendices print them, each sub-group where its
    // first area stands (the site lists areas by group; Appendix C prints SOM between
    // KIM and TM of another group), in model.json and in each category's list.
    let group_of = |code: &str| book[code].get("group").and_then(Value::as_str);
    let mut want_order: Vec<&str> = Vec::new();
    for app in ['A', 'B', 'C', 'D'] {
        let printed: Vec<&str> = seed
            .iter()
            .filter(|a| a.appendix == app)
            .map(|a| a.code.as_str())
            .collect();
        let first = |g| printed.iter().position(|c| group_of(c) == g).unwrap();
        let mut regrouped = printed.clone();
        regrouped.sort_by_key(|c| first(group_of(c)));
        want_order.extend(regrouped);
    }
    let got_order: Vec<&str> = areas.iter().map(|a| str_field(a, "code")).collect();
    assert_eq!(got_order, want_order, "order of the areas in model.json");
    assert_eq!(
        &want_order[..2],
        ["EF", "COMP"],
        "Appendix A starts with EF"
    );
    let listed: Vec<&str> = list(&model, "categories")
        .iter()
        .flat_map(|c| list(c, "areas"))
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(
        listed, want_order,
        "order of the categories' areas in model.json"
    );
    let nav = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    let shown: Vec<&str> = want_order
        .iter()
        .map(|c| {
            (
                nav.find(&format!(">{c}<"))
                    .unwrap_or_else(|| panic!("{c} on the home page")),
                *c,
            )
        })
        .collect::<BTreeMap<_, _>>()
        .into_values()
        .collect();
    assert_eq!(shown, want_order, "order of the areas on the home page");

    // --- notices: a page carries the notice of a source only when it shows that source's
    // text, and a page that shows it carries its notice (`seed_rules::wrong_notices`).
    let wrong = wrong_notices(&out, &model);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let full = std::fs::read_to_string(out.join("notices/index.html")).expect("a Notices page");
    assert!(
        full.contains("DM-0003234") && full.contains("NO WARRANTY"),
        "the Notices page holds 003's notice in full"
    );

    // --- the survey page opens with 001's definition of a survey of practice (§8.3.1)
    let def_at = text
        .find("A survey of practice is a basic tool")
        .expect("§8.3.1 in the seed");
    let def_end =
        def_at + text[def_at..].find("perform processes.").unwrap() + "perform processes.".len();
    let survey = std::fs::read_to_string(out.join("survey/index.html")).unwrap();
    let main = &survey[survey.find("<h1>").unwrap()..survey.find("id=\"resp-h\"").unwrap()];
    let shown = main.replace("&#x27;", "'").replace("&quot;", "\"");
    assert!(
        norm(&strip_tags(&shown)).contains(&norm(&text[def_at..def_end])),
        "the survey page opens with 001 §8.3.1's definition, word for word"
    );

    // --- the notional maturity page shows all of 000 §4.3, down to §4.3.5
    let note = std::fs::read_to_string(manifest.join("../shared/seeds/000_7fe0dc63e2709ed5.txt"))
        .expect("seed 000");
    let page = strip_tags(
        &std::fs::read_to_string(out.join("pages/notional-process-maturity/index.html")).unwrap(),
    );
    for (from, to) in [
        ("While our notional description", "(see Figure 8)."),
        (
            "From a security perspective, we have concluded",
            "security process, it moves away",
        ),
        ("focus that sustains and improves", "(see Figure 9)."),
    ] {
        let at = note.find(from).unwrap();
        let end = at + note[at..].find(to).unwrap() + to.len();
        assert!(
            norm(&page.replace("&#x27;", "'")).contains(&norm(&note[at..end])),
            "000 §4.3.5 from {from:?}"
        );
    }

    let category_of = |appendix: char| match appendix {
        'A' => "enterprise",
        'B' => "engineering",
        'C' => "operations",
        'D' => "process-management",
        other => panic!("appendix {other}"),
    };

    // --- pages: an element's is where its heading is, given only where a page footer next to
    // the heading makes it known (`seed_rules::known_pages`): CM starts page 85
    let pages = known_pages(&text);
    assert_eq!(
        book["CM"]["source"]["page"], "85",
        "CM, the first text after the footer of page 84"
    );
    let mut failures = Vec::new();
    for sa in &seed {
        let Some(ba) = book.get(&sa.code) else {
            failures.push(format!("{}: area missing from the book", sa.code));
            continue;
        };
        // (the errata correct a name as printed: MA ... Analysis22)
        let printed_name = &sa.name;
        if str_field(ba, "name") != printed_name {
            failures.push(format!(
                "{}: name {:?}, printed {:?}",
                sa.code,
                str_field(ba, "name"),
                printed_name
            ));
        }
        let page = pages.get(&sa.line).map(|p| p.to_string());
        let shown = ba
            .get("source")
            .and_then(|s| s.get("page"))
            .and_then(Value::as_str);
        if shown != page.as_deref() {
            failures.push(format!(
                "{}: starts on page {shown:?}, known {page:?}",
                sa.code
            ));
        }
        if str_field(ba, "category") != category_of(sa.appendix) {
            failures.push(format!(
                "{}: category {:?}, appendix {}",
                sa.code,
                str_field(ba, "category"),
                sa.appendix
            ));
        }
        let bobjs = list(ba, "objectives");
        let n_bprac: usize = bobjs.iter().map(|o| list(o, "practices").len()).sum();
        let n_sprac: usize = sa.objectives.iter().map(|o| o.practices.len()).sum();
        if (bobjs.len(), n_bprac) != (sa.objectives.len(), n_sprac) {
            failures.push(format!(
                "{}: {} objectives / {} practices in the book, {} / {} printed",
                sa.code,
                bobjs.len(),
                n_bprac,
                sa.objectives.len(),
                n_sprac
            ));
        }
        let mut belems: BTreeMap<&str, &Value> = BTreeMap::new();
        for o in bobjs {
            belems.insert(str_field(o, "id"), o);
            for p in list(o, "practices") {
                belems.insert(str_field(p, "id"), p);
            }
        }
        for so in &sa.objectives {
            for se in std::iter::once(so).chain(&so.practices) {
                let Some(be) = belems.get(se.id.as_str()) else {
                    failures.push(format!(
                        "{} (seed line {}): missing from the book",
                        se.id, se.line
                    ));
                    continue;
                };
                let title = str_field(be, "title")
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ");
                if title != published_title(&se.title) {
                    failures.push(format!(
                        "{}: title {:?}, printed {:?} (line {})",
                        se.id,
                        str_field(be, "title"),
                        se.title.trim(),
                        se.line
                    ));
                }
                let page = pages.get(&se.line);
                let shown = be.get("page").and_then(Value::as_str);
                if shown != page.map(|p| p.to_string()).as_deref() {
                    failures.push(format!("{}: page {shown:?}, known {page:?}", se.id));
                }
                let (got, want) = (norm(str_field(be, "statement")), norm(&se.statement));
                if got != want {
                    failures.push(format!(
                        "{}: statement\n   book:    {got}\n   printed: {want} (line {})",
                        se.id, se.line
                    ));
                }
            }
        }
        // practices sit under the objective they are numbered for
        for o in bobjs {
            let oid = str_field(o, "id");
            for p in list(o, "practices") {
                let pid = str_field(p, "id");
                if !pid.starts_with(&format!("{oid}.")) {
                    failures.push(format!("{pid} is listed under {oid}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} differences from the seed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn normalisation_is_narrow() {
    // the three normalisations
    assert_eq!(norm("estab-\nlish the  plan"), norm("establish the plan"));
    assert_eq!(
        norm("service-\ncritical assets"),
        norm("service-critical assets")
    );
    assert_eq!(
        norm("the \u{2015}critical few.\u{2016}"),
        norm("the \u{201c}critical few.\u{201d}")
    );
    // and nothing else: a changed word, a dropped word or a changed mark still differ
    assert_ne!(
        norm("Assets are identified."),
        norm("Assets are inventoried.")
    );
    assert_ne!(norm("Assets are identified."), norm("Assets identified."));
    assert_ne!(
        norm("Assets are identified."),
        norm("Assets are identified")
    );
    assert_ne!(norm("risk vs. reward"), norm("risk v. reward"));
}
