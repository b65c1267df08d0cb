//! The rules the fidelity tests (`seed_fidelity`, `seed_texts`) hold the book
//! to, read from the book and the report rather than written into the tests:
//! the errata page's corrections (applied to the printed side, so that
//! nothing is excused that the errata do not list), the Title Case practice
//! titles are written in, the pages the report's text lets one know, and the
//! notices a page may carry.

use crate::seed_fidelity::{
    SEED, SeedArea, SeedElem, area_heading, is_page_furniture, list, norm, str_field,
};
use serde_json::Value;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::Path;

/// A row of the errata page's "Corrections" table.
pub(crate) struct Erratum {
    /// The element cell as written: `[[ID]]`, or `[[ID]] introduction`, ...
    pub(crate) elem: String,
    pub(crate) printed: String,
    pub(crate) published: String,
    used: Cell<bool>,
}

impl Erratum {
    /// The id of the element the row corrects, when the cell names one alone.
    fn id(&self) -> Option<&str> {
        let inner = self.elem.strip_prefix("[[")?.strip_suffix("]]")?;
        (!inner.contains(['[', ']', '|'])).then_some(inner)
    }
}

/// The corrections the errata page lists.
pub(crate) fn corrections(manifest: &Path) -> Vec<Erratum> {
    let page = std::fs::read_to_string(manifest.join("content/pages/errata.md"))
        .expect("content/pages/errata.md");
    let table = page
        .split("\n## ")
        .find(|s| s.starts_with("Corrections"))
        .expect("a Corrections section on the errata page");
    table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| element") && !l.starts_with("| ---"))
        .map(|l| {
            let cells: Vec<&str> = l.split('|').map(str::trim).collect();
            Erratum {
                elem: cells[1].to_string(),
                printed: cells[2].to_string(),
                published: cells[3].to_string(),
                used: Cell::new(false),
            }
        })
        .collect()
}

/// `Practice COMP-1.3` -> `COMP-1.3`: a correction of an id as printed.
fn printed_id(s: &str) -> Option<&str> {
    s.strip_prefix("Practice ")
        .or_else(|| s.strip_prefix("Objective "))
        .filter(|id| !id.contains(' '))
}

pub(crate) fn ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The errata's corrections applied to the printed side: ids, titles and
/// statements of objectives and practices, and area names. Returns the
/// corrections of an objective or practice that found nothing printed to
/// correct (an erratum that no longer matches the report).
pub(crate) fn apply_errata(seed: &mut [SeedArea], errata: &[Erratum]) -> Vec<String> {
    for area in seed.iter_mut() {
        for e in errata.iter().filter(|e| e.id() == Some(area.code.as_str())) {
            if let Some((code, name)) = area_heading(&e.printed)
                && code == area.code
                && ws(&area.name) == ws(&name)
                && let Some((_, published)) = area_heading(&e.published)
            {
                area.name = published;
                e.used.set(true);
            }
        }
        let code = area.code.clone();
        for o in &mut area.objectives {
            fix(&code, o, errata);
            for p in &mut o.practices {
                fix(&code, p, errata);
            }
        }
    }
    let ids: Vec<&str> = seed
        .iter()
        .flat_map(|a| &a.objectives)
        .flat_map(|o| std::iter::once(o).chain(&o.practices))
        .map(|e| e.id.as_str())
        .collect();
    errata
        .iter()
        .filter(|e| !e.used.get() && e.id().is_some_and(|id| ids.contains(&id)))
        .map(|e| {
            format!(
                "errata: {} corrects {:?}, which is not printed there",
                e.elem, e.printed
            )
        })
        .collect()
}

/// One objective's or practice's corrections: its id, then its title or statement.
fn fix(code: &str, el: &mut SeedElem, errata: &[Erratum]) {
    for e in errata {
        let (Some(from), Some(to)) = (printed_id(&e.printed), printed_id(&e.published)) else {
            continue;
        };
        if el.id == from && to.starts_with(&format!("{code}-")) {
            el.id = to.to_string();
            e.used.set(true);
        }
    }
    for e in errata.iter().filter(|e| e.id() == Some(el.id.as_str())) {
        if ws(&el.title) == ws(&e.printed) {
            el.title = e.published.clone();
            e.used.set(true);
        } else if norm(&el.statement).contains(&norm(&e.printed)) {
            el.statement = norm(&el.statement).replace(&norm(&e.printed), &norm(&e.published));
            e.used.set(true);
        }
    }
}

/// Words a title keeps in lower case unless it starts with them: articles,
/// coordinating conjunctions and prepositions. `title_rule_is_the_reports`
/// holds the report's own Title Case (objective titles, area names) to it.
const MINOR: [&str; 19] = [
    "a", "an", "the", "and", "or", "but", "nor", "as", "at", "by", "for", "from", "in", "into",
    "of", "on", "to", "vs.", "with",
];

/// A title printed in capitals, in the report's Title Case (each part of a
/// hyphenated word alike: "Return-to-Work").
pub(crate) fn title_case(printed: &str) -> String {
    let word = |w: &str, first: bool| {
        let lower = w.to_lowercase();
        if !first && MINOR.contains(&lower.as_str()) {
            return lower;
        }
        let mut c = lower.chars();
        c.next()
            .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
    };
    printed
        .split_whitespace()
        .enumerate()
        .map(|(i, w)| {
            w.split('-')
                .enumerate()
                .map(|(k, part)| word(part, i == 0 && k == 0))
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The title a book shows for one printed as `printed`: as printed, or in
/// Title Case when printed in capitals (the errata's corrections applied).
pub(crate) fn published_title(printed: &str) -> String {
    if printed.chars().any(char::is_lowercase) {
        ws(printed)
    } else {
        title_case(printed)
    }
}

/// Where a title's words break the rule: for text printed in Title Case.
fn title_case_slips(title: &str) -> Vec<String> {
    title
        .split_whitespace()
        .skip(1)
        .flat_map(|w| w.split('-'))
        .filter(|w| w.chars().next().is_some_and(char::is_alphabetic))
        .filter(|w| {
            let minor = MINOR.contains(&w.to_lowercase().as_str());
            minor != w.chars().next().is_some_and(char::is_lowercase)
        })
        .map(|w| format!("{title:?}: {w}"))
        .collect()
}

/// The page of each line (numbered from 1) that the report's text lets one
/// know: seven page footers survive, and where the other pages break is not
/// marked reliably, so only the last text before a footer (its page) and
/// the first text after it (the next page) have a known page.
pub(crate) fn known_pages(text: &str) -> BTreeMap<usize, u32> {
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| (i + 1, l))
        .collect();
    let mut out = BTreeMap::new();
    for (k, (_, l)) in lines.iter().enumerate() {
        let Some(page) = is_page_furniture(l)
            .then(|| {
                l.trim()
                    .split(" | ")
                    .find_map(|s| s.trim().parse::<u32>().ok())
            })
            .flatten()
        else {
            continue;
        };
        if let Some((before, _)) = k.checked_sub(1).map(|b| lines[b]) {
            out.insert(before, page);
        }
        if let Some((after, _)) = lines.get(k + 1) {
            out.insert(*after, page + 1);
        }
    }
    out
}

/// Every HTML page of the site at `out`, by its address in the site.
fn pages(out: &Path) -> Vec<(String, String)> {
    let mut pages = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let rel = p
                    .strip_prefix(out)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                pages.push((rel, std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    pages
}

/// The pages that carry a source's notice without showing its text, or show
/// its text without its notice, for each source of model.json that prints
/// a notice. A page shows a source's text when it names one of the
/// elements transcribed from it (`>ID<`) or loads the survey data, which
/// holds them all; the Notices page holds every notice.
pub(crate) fn wrong_notices(out: &Path, model: &Value) -> Vec<String> {
    let from = |e: &Value, doc: &str| {
        e.get("source")
            .and_then(|s| s.get("document"))
            .and_then(Value::as_str)
            == Some(doc)
    };
    let mut wrong = Vec::new();
    let pages = pages(out);
    for src in list(model, "sources") {
        let Some(notice) = src.get("notice").and_then(Value::as_str) else {
            continue;
        };
        let (doc, short) = (str_field(src, "id"), str_field(src, "short"));
        let lines: Vec<&str> = notice
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let (first, last) = (lines[0], lines[lines.len() - 1]);
        let mut ids: Vec<String> = Vec::new();
        for a in list(model, "areas").iter().filter(|a| from(a, doc)) {
            ids.push(str_field(a, "code").to_string());
            for o in list(a, "objectives") {
                ids.push(str_field(o, "id").to_string());
                ids.extend(
                    list(o, "practices")
                        .iter()
                        .map(|p| str_field(p, "id").to_string()),
                );
            }
        }
        for g in list(model, "generic_goals").iter().filter(|g| from(g, doc)) {
            ids.push(str_field(g, "id").to_string());
            ids.extend(
                list(g, "practices")
                    .iter()
                    .map(|p| str_field(p, "id").to_string()),
            );
        }
        for (rel, html) in &pages {
            let carries = html.contains(first) || html.contains(last);
            let shows = (!ids.is_empty() && html.contains("survey-data.js"))
                || ids.iter().any(|id| html.contains(&format!(">{id}<")));
            if carries && !shows && rel != "notices/index.html" {
                wrong.push(format!(
                    "{rel}: carries {short}'s notice but shows none of its text"
                ));
            }
            // (an area that is not asked shows none of the generic practices' text)
            if shows && !carries && !rel.starts_with("areas/") {
                wrong.push(format!("{rel}: shows {short}'s text without its notice"));
            }
        }
    }
    wrong
}

#[test]
fn title_rule_is_the_reports() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(text) = std::fs::read_to_string(manifest.join(SEED)) else {
        return;
    };
    // The report's own Title Case: objective titles and area names as printed.
    let seed = crate::seed_fidelity::parse_seed(&text);
    let mut slips: Vec<String> = Vec::new();
    for a in &seed {
        slips.extend(title_case_slips(&a.name));
        for o in a
            .objectives
            .iter()
            .filter(|o| o.title.chars().any(char::is_lowercase))
        {
            slips.extend(title_case_slips(&o.title));
        }
    }
    assert!(slips.is_empty(), "{slips:?}");
    assert_eq!(
        title_case("TRANSLATE KNOWLEDGE INTO ACTION"),
        "Translate Knowledge into Action"
    );
    assert_eq!(
        title_case("PLAN FOR RETURN-TO-WORK CONSIDERATIONS"),
        "Plan for Return-to-Work Considerations"
    );
    assert_eq!(title_case("A PLAN"), "A Plan");
    assert_eq!(
        published_title("Establish  Sponsorship"),
        "Establish Sponsorship"
    );
}

#[test]
fn pages_are_known_only_next_to_a_footer() {
    let text = "a\n b\nc\n\n11 | CMU/SEI-2007-TR-009\n\n \nd\ne\n";
    let want: BTreeMap<usize, u32> = [(3, 11), (8, 12)].into();
    assert_eq!(known_pages(text), want);
    // Why no more: in the report a page's first line does not always start with a space.
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(seed) = std::fs::read_to_string(manifest.join(SEED)) else {
        return;
    };
    let lines: Vec<&str> = seed.lines().collect();
    let footers: Vec<usize> = (0..lines.len())
        .filter(|&i| is_page_furniture(lines[i]))
        .collect();
    assert_eq!(footers.len(), 7, "page footers in the seed");
    let unmarked = footers.iter().filter(|&&i| {
        let next = lines[i + 1..].iter().find(|l| !l.is_empty()).unwrap();
        !next.starts_with(' ')
    });
    assert!(unmarked.count() > 0);
}
