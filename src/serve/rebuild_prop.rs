//! The served site after any sequence of edits is the site a fresh build of
//! the same sources makes, byte for byte: whatever a rebuild skips (files it
//! keeps, parts it reuses), it must never leave a file stale or behind.

mod edits;

use super::rebuild::{Builder, Outcome, Way};
use edits::{Rng, Sources, WORDS};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every file under `dir`: path relative to it -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A starter book in a fresh folder of its own with the edits' sources
/// written, and a server that has built it: the folder, the book, the
/// sources, the served site and the server.
fn start(name: &str) -> (PathBuf, PathBuf, Sources, PathBuf, Builder) {
    let base = crate::output::test_dir(&format!("serve-{name}"));
    let book = base.join("book");
    crate::init::write(&book).unwrap();
    let src = Sources {
        statement: "Strategic objectives are documented.".into(),
        title: "Establish Critical Success Factors".into(),
        target: "EF-1.2",
        extra: false,
        renamed: false,
        related: false,
        ef_place: 0,
        op_body: "Operations follows [[EF-1]].".into(),
        definition: "A goal that the organization sets itself, as in".into(),
        term_target: "EF-1.1",
        term_first: false,
        page_body: "This model was started with `refbook init`.".into(),
        page_title: "About This Model",
        page_order: 1,
        category:
            "The Enterprise Management category holds the areas that direct the work: see [[EF]]."
                .into(),
        description: "A process-improvement model published with refbook.".into(),
        model_title: "My Capability Model",
        listed: false,
        category_name: "Enterprise Management",
        model_texts: false,
        new_area: false,
        new_code: "NW",
        extra_page: false,
        no_glossary: false,
        setting: "",
        theme: None,
    };
    src.write(&book);
    let served = fresh_dir(&base, "served");
    let mut server = Builder::new(&book, &served);
    built(&mut server, true, "first build");
    // As if a browser showed these: a change of the theme renders them first.
    server.open = OPEN.iter().map(|p| p.to_string()).collect();
    (base, book, src, served, server)
}

/// The pages open in a browser: a practice's (its area's pages are shown
/// with it), the home page (which lists the model), a generic practice's
/// and the glossary.
const OPEN: [&str; 4] = [
    "areas/ef/ef-1-1/index.html",
    "index.html",
    "generic/gg2/gg2-gp1/index.html",
    "glossary/index.html",
];

fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let d = base.join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn built(b: &mut Builder, theme_dirty: bool, step: &str) {
    match b.rebuild(theme_dirty) {
        Outcome::Good { .. } => {}
        Outcome::Bad { diags, .. } => panic!("{step}: the fixture does not build: {diags:?}"),
        Outcome::Stopped => panic!("{step}: stopped with no change waiting"),
    }
}

/// Rebuilds after `paths` changed, as the watcher asks, then writes what
/// it held; the files changed. What a partial rebuild made is served from
/// memory until then, and written as it was served.
fn edited(b: &mut Builder, paths: &[PathBuf], theme: bool, step: &str) -> Vec<String> {
    let changed = match b.rebuild_changed(theme, paths) {
        Outcome::Good { changed, .. } => changed,
        Outcome::Bad { diags, .. } => panic!("{step}: the fixture does not build: {diags:?}"),
        Outcome::Stopped => panic!("{step}: stopped with no change waiting"),
    };
    let held: Vec<_> = (changed.iter()).map(|rel| (rel, b.held.get(rel))).collect();
    if b.behind {
        // Partial: nothing is written before the pages are served.
        for (rel, bytes) in &held {
            assert!(bytes.is_some(), "{step}: {rel} written, not held");
        }
    }
    assert!(b.flush().is_empty(), "{step}: a held file was not written");
    for (rel, bytes) in held {
        assert!(
            b.held.get(rel).is_none(),
            "{step}: {rel} still held once written"
        );
        if let Some(bytes) = bytes {
            let on_disk = std::fs::read(b.site.join(rel)).unwrap();
            assert!(
                on_disk == *bytes,
                "{step}: {rel} written otherwise than served"
            );
        }
    }
    changed
}

fn assert_same(served: &Path, fresh: &Path, step: &str) {
    let (got, want) = (tree(served), tree(fresh));
    let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "{step}: files differ");
    for (rel, bytes) in &want {
        assert!(got[rel] == *bytes, "{step}: {rel} is stale");
    }
}

/// A statement with a link to nothing: the build fails and the site stays.
fn broken_then_fixed(src: &mut Sources, book: &Path, served: &Path, server: &mut Builder) {
    let before = tree(served);
    let good = std::mem::replace(&mut src.statement, "Set by [[NO-SUCH-9]].".into());
    let (paths, _) = src.write(book);
    match server.rebuild_changed(false, &paths) {
        Outcome::Bad { diags, .. } => {
            assert!(format!("{diags:?}").contains("NO-SUCH-9"), "{diags:?}")
        }
        _ => panic!("a link to nothing builds"),
    }
    assert!(tree(served) == before, "a failed build changed the site");
    src.statement = good;
    let (paths, _) = src.write(book);
    edited(server, &paths, false, "the broken link fixed");
}

#[test]
fn after_any_edits_the_served_site_is_a_fresh_build_byte_for_byte() {
    let (base, book, mut src, served, mut server) = start("prop");
    let mut quick = 0;
    let mut patched = 0;
    let mut themed = 0;
    let mut kept = 0;
    for seed in [1u64, 7, 42, 2026] {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for step in 0..24 {
            let what = if step == 6 {
                broken_then_fixed(&mut src, &book, &served, &mut server);
                "broken link, then fixed"
            } else if step == 11 {
                // Drawn too rarely to count on.
                src.edit_category_name()
            } else if step == 12 {
                src.edit_model_title()
            } else if step == 13 {
                src.edit_model_texts()
            } else if step == 14 {
                src.edit_listed()
            } else if step == 15 || step == 16 {
                // An area's file added and removed (or the other way).
                src.edit_new_area()
            } else if step == 17 || step == 18 {
                src.edit_extra_page()
            } else if step == 19 {
                src.edit_new_code()
            } else if step == 20 || step == 21 {
                src.edit_glossary_file()
            } else if step == 23 {
                src.edit_listed_and_statement()
            } else if step == 22 {
                // Drawn less often since the kinds above were added.
                src.edit_theme()
            } else {
                src.edit(&mut rng)
            };
            let (paths, theme) = src.write(&book);
            let step = format!("seed {seed}, edit {step} ({what}): {src:?}");
            let changed = edited(&mut server, &paths, theme, &step);
            // Every edit to the areas' texts, titles, links and elements is
            // put in place.
            let in_place = [
                "statement",
                "title",
                "link target",
                "area text",
                "area text, no link",
                "practice added",
                "practice removed",
                "related areas",
                "area moved",
                "area added",
                "area removed",
                "area code",
            ];
            if in_place.contains(&what) && !paths.is_empty() {
                assert_eq!(server.way, Way::InPlace, "{step}: not put in place");
                patched += 1;
            }
            let free_text = ["glossary", "glossary terms", "page", "category"].contains(&what);
            if theme || what.starts_with("glossary") {
                assert!(server.behind, "{step}: the open pages were not shown first");
                themed += 1;
            }
            // book.toml's rendered settings and the theme leave the kept
            // book as it is; anything else that is not put in place has
            // the book checked again.
            if (what == "theme" || what == "book.toml") && !paths.is_empty() {
                assert_eq!(server.way, Way::Kept, "{step}");
                kept += 1;
            }
            if what == "book.toml, allow-html" {
                assert_eq!(server.way, Way::Checked, "{step}");
            }
            let glossary_file = ["glossary file added", "glossary file removed"].contains(&what);
            if glossary_file && !paths.is_empty() {
                assert_eq!(server.way, Way::InPlace, "{step}");
            }
            let pages_listed = ["page title", "page order", "page added", "page removed"];
            if pages_listed.contains(&what) && !paths.is_empty() {
                assert_eq!(server.way, Way::InPlace, "{step}");
            }
            let model_yaml = [
                "model title",
                "category name",
                "model.yaml texts",
                "area list",
                "area list and statement",
            ];
            let model_yaml = model_yaml.contains(&what);
            if (free_text || model_yaml) && !paths.is_empty() {
                assert_eq!(server.way, Way::InPlace, "{step}");
            }
            let fresh = fresh_dir(&base, "fresh");
            built(&mut Builder::new(&book, &fresh), true, &step);
            if server.behind {
                // Shown at once: the edited areas' pages are already the
                // fresh ones, every one of them (a page left stale is not
                // among those written).
                quick += 1;
                let (got, want) = (tree(&served), tree(&fresh));
                if server.way != Way::InPlace {
                    // The open pages, each page of the open practice's
                    // area and the theme's style sheet (gone with the
                    // theme: then it is still served until the rest).
                    let first: Vec<&String> = want
                        .keys()
                        .filter(|k| {
                            OPEN.contains(&k.as_str())
                                || k.starts_with("areas/ef/")
                                || k.as_str() == "assets/extra.css"
                        })
                        .collect();
                    // (The glossary page is one of them when there is a glossary.)
                    assert!(first.len() > OPEN.len() + 1, "{step}: {first:?}");
                    for rel in first {
                        assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                    }
                }
                for p in paths
                    .iter()
                    .filter(|p| p.starts_with(book.join("content/areas")) && p.exists())
                {
                    // The file's code (NW.md may hold area NV).
                    let text = std::fs::read_to_string(p).unwrap();
                    let code = text.lines().find_map(|l| l.strip_prefix("code: ")).unwrap();
                    let code = code.to_lowercase();
                    let dir = format!("areas/{code}/");
                    let sheet = format!("worksheets/{code}/");
                    let pages: Vec<&String> = want
                        .keys()
                        .filter(|k| k.starts_with(&dir) || k.starts_with(&sheet))
                        .collect();
                    assert!(!pages.is_empty(), "{step}: no page in {dir}");
                    for rel in pages {
                        assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                    }
                }
                for rel in &changed {
                    assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                }
                if pages_listed.contains(&what) {
                    // Every page's menu shows it: the open ones first, and
                    // the page (none when removed).
                    let page = match what {
                        "page added" => "pages/extra/index.html",
                        "page removed" => "index.html",
                        _ => "pages/about/index.html",
                    };
                    for rel in OPEN.iter().chain(&[page]) {
                        assert!(got.get(*rel) == want.get(*rel), "{step}: {rel} differs");
                    }
                }
                if glossary_file {
                    // Every page's menu links to it: the open ones first
                    // (the glossary's own page goes with the rest).
                    for rel in OPEN.iter().filter(|p| !p.starts_with("glossary/")) {
                        assert!(got.get(*rel) == want.get(*rel), "{step}: {rel} differs");
                    }
                }
                if model_yaml || in_place.contains(&what) {
                    // Every page shows it, or the area's titles and place
                    // among the others, or its links among a target's
                    // backrefs: the open ones (the home page among them)
                    // first.
                    for rel in OPEN {
                        assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                    }
                }
                if free_text {
                    // The glossary or the page, and every page that may
                    // list a link of theirs among the backrefs.
                    let shown = want.keys().filter(|k| {
                        k.as_str() == "glossary/index.html"
                            || k.as_str() == "pages/about/index.html"
                            || k.starts_with("categories/")
                            || k.starts_with("areas/")
                            || k.starts_with("generic/")
                    });
                    for rel in shown {
                        assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                    }
                }
                match super::rest::rest_now(&mut server, &book) {
                    Outcome::Good { .. } => assert!(!server.behind, "{step}: still behind"),
                    _ => panic!("{step}: the rest of the site did not follow"),
                }
            }
            assert_same(&served, &fresh, &step);
        }
    }
    // The edits that keep every id take the quick way.
    assert!(quick >= 8, "only {quick} edits were shown the quick way");
    assert!(patched >= 16, "only {patched} edits were put in place");
    assert!(
        themed >= 6,
        "only {themed} changes of the theme, glossary or book.toml"
    );
    assert!(kept >= 4, "only {kept} changes kept the book");
    std::fs::remove_dir_all(&base).unwrap();
}

/// With no page open, a change of the theme or of book.toml's rendered
/// settings renders the kept book whole, unchecked, and the site is a fresh
/// build's; a change of what the texts are has the book checked.
#[test]
fn with_no_page_open_the_kept_book_is_rendered_whole() {
    let (base, book, mut src, served, mut server) = start("closed");
    server.open.clear();
    let mut rng = Rng(5);
    for step in 0..10 {
        let what = match step % 3 {
            0 => src.edit_setting(),
            1 => {
                src.description = format!("A model of the {}, {step}.", rng.pick(WORDS));
                "book.toml"
            }
            _ => src.edit_theme(),
        };
        let (paths, theme) = src.write(&book);
        let step = format!("edit {step} ({what}): {src:?}");
        edited(&mut server, &paths, theme, &step);
        let way = match what {
            "book.toml, allow-html" => Way::Checked,
            _ => Way::Kept,
        };
        assert_eq!(server.way, way, "{step}");
        assert!(!server.behind, "{step}: rendered in part");
        let fresh = fresh_dir(&base, "fresh");
        built(&mut Builder::new(&book, &fresh), true, &step);
        assert_same(&served, &fresh, &step);
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// With no page open, an edit put in place that no page shows first (a
/// scale label, a page's order) renders nothing at once: the rest of the
/// site follows from the patched book, unchecked, and is a fresh build's.
#[test]
fn with_no_page_open_an_edit_put_in_place_leaves_all_to_the_rest() {
    let (base, book, mut src, served, mut server) = start("closed-in-place");
    server.open.clear();
    for step in 0..4 {
        let what = match step % 2 {
            0 => src.edit_model_texts(),
            _ => src.edit_page_order(),
        };
        let (paths, theme) = src.write(&book);
        let step = format!("edit {step} ({what}): {src:?}");
        edited(&mut server, &paths, theme, &step);
        assert_eq!(server.way, Way::InPlace, "{step}");
        assert!(server.behind, "{step}: not left to the rest");
        match super::rest::rest_now(&mut server, &book) {
            Outcome::Good { .. } => assert!(!server.behind, "{step}: still behind"),
            _ => panic!("{step}: the rest of the site did not follow"),
        }
        let fresh = fresh_dir(&base, "fresh");
        built(&mut Builder::new(&book, &fresh), true, &step);
        assert_same(&served, &fresh, &step);
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// A full render stopped for a newer change writes nothing, and the rest
/// of the site then follows from the book it checked.
#[test]
fn a_stopped_rebuild_writes_nothing_and_the_rest_follows() {
    use std::sync::atomic::Ordering;
    let (base, book, mut src, served, mut server) = start("stop");
    let before = tree(&served);
    // An old id replaced: the book checked again, which a waiting change
    // stops before anything is rendered.
    src.renamed = true;
    let (paths, _) = src.write(&book);
    server.pending.fetch_add(1, Ordering::SeqCst);
    assert!(matches!(
        server.rebuild_changed(false, &paths),
        Outcome::Stopped
    ));
    assert!(tree(&served) == before, "a stopped rebuild wrote");
    assert!(server.behind);
    assert!(matches!(
        super::rest::rest_now(&mut server, &book),
        Outcome::Stopped
    ));
    server.pending.fetch_sub(1, Ordering::SeqCst);
    // The change that waited: a statement, shown the quick way.
    src.statement = "The plan is set by the board.".into();
    let (paths, _) = src.write(&book);
    edited(&mut server, &paths, false, "statement after a stop");
    assert!(server.behind, "not the quick way");
    assert!(matches!(
        super::rest::rest_now(&mut server, &book),
        Outcome::Good { .. }
    ));
    let fresh = fresh_dir(&base, "fresh");
    built(&mut Builder::new(&book, &fresh), true, "fresh");
    assert_same(&served, &fresh, "after a stop");
    std::fs::remove_dir_all(&base).unwrap();
}

/// A book compared with its previous version (book.toml's
/// `previous-model`): an edit is put in place, and the changes page, open,
/// is shown first with the diff made again.
#[test]
fn with_a_previous_version_an_edit_is_put_in_place_and_its_changes_shown() {
    let base = crate::output::test_dir("serve-versions");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions/v2");
    let book = base.join("book");
    for e in walkdir::WalkDir::new(&fixture)
        .into_iter()
        .map(Result::unwrap)
    {
        let to = book.join(e.path().strip_prefix(&fixture).unwrap());
        match e.file_type().is_dir() {
            true => std::fs::create_dir_all(&to).unwrap(),
            false => drop(std::fs::copy(e.path(), &to).unwrap()),
        }
    }
    let served = fresh_dir(&base, "served");
    let mut server = Builder::new(&book, &served);
    built(&mut server, true, "first build");
    let open = [crate::urls::CHANGES, "index.html", "areas/gov/index.html"];
    server.open = open.iter().map(|p| p.to_string()).collect();
    let ef = book.join("content/areas/EF.md");
    let text = std::fs::read_to_string(&ef).unwrap();
    let (was, now) = ("are identified from", "are named from");
    assert!(text.contains(was));
    for (step, text) in [("edited", text.replace(was, now)), ("edited back", text)] {
        std::fs::write(&ef, text).unwrap();
        edited(&mut server, std::slice::from_ref(&ef), false, step);
        assert_eq!(server.way, Way::InPlace, "{step}");
        let fresh = fresh_dir(&base, "fresh");
        built(&mut Builder::new(&book, &fresh), true, step);
        let (got, want) = (tree(&served), tree(&fresh));
        for rel in open.iter().chain(&["areas/ef/ef-1-2/index.html"]) {
            assert!(got.get(*rel) == want.get(*rel), "{step}: {rel} differs");
        }
        assert!(matches!(
            super::rest::rest_now(&mut server, &book),
            Outcome::Good { .. }
        ));
        assert_same(&served, &fresh, step);
    }
    std::fs::remove_dir_all(&base).unwrap();
}

/// A change that comes while the server stops is not a failed build (the
/// terminal said "build failed in 0 ms: 0 errors").
#[test]
fn a_rebuild_while_stopping_is_no_failure() {
    let (base, book, mut src, _served, mut server) = start("stopping");
    server.stopped = true;
    assert!(matches!(server.rebuild(false), Outcome::Stopped));
    src.statement = "The plan is set by the board.".into();
    let (paths, _) = src.write(&book);
    assert!(matches!(
        server.rebuild_changed(false, &paths),
        Outcome::Stopped
    ));
    std::fs::remove_dir_all(&base).unwrap();
}
