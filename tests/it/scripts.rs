//! Which of the theme's scripts each page loads: every kind of page loads
//! exactly the survey scripts it uses, each after the scripts it declares it
//! loads after (the `Loads after:` line of its header). The browser test
//! (`tests/browser.rs`) loads each script alone with those scripts and checks
//! that nothing logs an error.

use crate::common::scripts::{declared_prerequisites, ordered_scripts};
use crate::common::*;
use std::path::Path;

/// The survey's scripts and the scripts they stand on.
fn is_survey_script(name: &str) -> bool {
    name.starts_with("survey-") || name == "scoring.js" || name == "team.js"
}

/// The shipped book's pages, by kind, with the survey scripts each loads in order.
const PAGE_KINDS: &[(&str, &[&str])] = &[
    (
        "areas/ef/index.html",
        &[
            "survey-data.js",
            "scoring.js",
            "survey-base.js",
            "survey-store.js",
            "survey-migrate.js",
            "survey-form.js",
            "survey-evidence.js",
            "survey-keys.js",
            "survey-csv.js",
            "survey-io.js",
        ],
    ),
    (
        "survey/index.html",
        &[
            "survey-data.js",
            "scoring.js",
            "survey-base.js",
            "survey-store.js",
            "survey-migrate.js",
            "survey-form.js",
            "survey-evidence.js",
            "survey-nav.js",
            "survey-keys.js",
            "survey-csv.js",
            "survey-io.js",
            "survey-print.js",
        ],
    ),
    (
        "survey/results/index.html",
        &[
            "survey-data.js",
            "scoring.js",
            "survey-base.js",
            "survey-store.js",
            "survey-migrate.js",
            "survey-csv.js",
            "survey-oscal.js",
            "survey-io.js",
            "survey-results.js",
            "survey-targets.js",
            "survey-roadmap.js",
            "survey-compare.js",
            "survey-history.js",
            "team.js",
            "survey-team.js",
            "survey-print.js",
        ],
    ),
    (
        "worksheets/index.html",
        &["survey-base.js", "survey-print.js"],
    ),
    (
        "worksheets/ef/index.html",
        &["survey-base.js", "survey-print.js"],
    ),
];

fn built_site(name: &str) -> std::path::PathBuf {
    let dest = tmp(name);
    let site = dest.join("site");
    let out = refbook(&["build", ROOT, "-d", site.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    site
}

fn survey_scripts_of(site: &Path, page: &str) -> Vec<String> {
    let html = std::fs::read_to_string(site.join(page)).unwrap();
    ordered_scripts(&html)
        .into_iter()
        .filter(|s| is_survey_script(s))
        .collect()
}

/// Each kind of page loads the survey scripts it uses and no other: the
/// worksheets print blank forms (no answers, no form, no scoring), the area
/// pages have no print headers and no results, the results page no form.
/// Every other page loads none of them.
#[test]
fn each_page_kind_loads_only_the_survey_scripts_it_uses() {
    let site = built_site("scripts-kinds");
    for (page, want) in PAGE_KINDS {
        assert_eq!(survey_scripts_of(&site, page), *want, "{page}");
    }
    let kinds: Vec<&str> = PAGE_KINDS.iter().map(|(p, _)| *p).collect();
    let mut others = 0;
    for page in walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let rel = page.strip_prefix(&site).unwrap().to_string_lossy();
        let scripts = survey_scripts_of(&site, &rel);
        let like = if rel.starts_with("areas/") && rel.matches('/').count() == 2 {
            Some("areas/ef/index.html")
        } else if rel.starts_with("worksheets/") && rel != "worksheets/index.html" {
            Some("worksheets/ef/index.html")
        } else {
            kinds.iter().copied().find(|k| *k == rel)
        };
        match like {
            Some(kind) => {
                let want = PAGE_KINDS.iter().find(|(p, _)| *p == kind).unwrap().1;
                assert_eq!(scripts, want, "{rel} (a page like {kind})");
            }
            None => {
                assert_eq!(scripts, Vec::<String>::new(), "{rel}");
                others += 1;
            }
        }
    }
    assert!(others > 300, "{others} pages without the survey");
}

/// On every page of the site, each script comes after every script it
/// declares it loads after.
#[test]
fn every_page_loads_each_script_after_its_prerequisites() {
    let declared = declared_prerequisites();
    let site = built_site("scripts-order");
    let mut checked = 0;
    for page in walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(page).unwrap();
        let order = ordered_scripts(&html);
        for (i, script) in order.iter().enumerate() {
            for need in declared.get(script).into_iter().flatten() {
                assert!(
                    order[..i].contains(need),
                    "{}: {script} without {need} before it ({order:?})",
                    page.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "{checked} prerequisites checked");
}

/// Every survey script of the default theme declares what it loads after;
/// each list names only the survey data and theme scripts, in an order a page
/// can load them (each named script's own list comes before it), so that a
/// script loaded with its list alone has all it needs.
#[test]
fn survey_scripts_declare_what_they_load_after() {
    let declared = declared_prerequisites();
    let theme: Vec<&str> = refbook::theme::DEFAULT
        .iter()
        .filter_map(|(p, _)| p.strip_prefix("static/"))
        .filter(|n| n.ends_with(".js"))
        .collect();
    let survey: Vec<&&str> = theme.iter().filter(|n| n.starts_with("survey-")).collect();
    assert!(survey.len() >= 6, "{survey:?}");
    for name in survey {
        let list = declared
            .get(*name)
            .unwrap_or_else(|| panic!("{name} has no `Loads after:` line"));
        for (i, need) in list.iter().enumerate() {
            assert!(
                need == "survey-data.js" || theme.contains(&need.as_str()),
                "{name} loads after {need}, which is no theme script"
            );
            for before in declared.get(need).into_iter().flatten() {
                assert!(
                    list[..i].contains(before),
                    "{name}: {need} needs {before} before it in the list {list:?}"
                );
            }
        }
    }
    assert_eq!(declared["survey-base.js"], Vec::<String>::new());
    assert_eq!(declared["survey-print.js"], ["survey-base.js"]);
}

/// The survey scripts build no address of their own: the survey data carries
/// `urls` (survey, results, orphans) and each question's `anchor`, and every
/// link to the survey page is made from those.
#[test]
fn survey_scripts_take_addresses_from_the_survey_data() {
    for (path, bytes) in refbook::theme::DEFAULT {
        let Some(name) = path.strip_prefix("static/") else {
            continue;
        };
        if !(name.starts_with("survey-") && name.ends_with(".js")) {
            continue;
        }
        let text: &str = bytes;
        for built in [
            "survey/index.html",
            "results/index.html",
            "\"#q-\"",
            "ROOT + \"",
        ] {
            assert!(
                !text.contains(built),
                "{name} builds an address itself ({built})"
            );
        }
    }
}
