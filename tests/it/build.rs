//! The generator end to end: fixture books build, every link resolves, and
//! each kind of bad input gets its diagnostic at its line and column.

use crate::common::*;
use std::path::Path;

fn build_ok(book: &Path, dest: &Path) {
    let out = refbook(&[
        "build",
        book.to_str().unwrap(),
        "-d",
        dest.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "build of {} failed:\n{}{}",
        book.display(),
        stdout,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.starts_with("built ") && stdout.contains(" pages in ") && stdout.contains(" ms -> "),
        "{stdout}"
    );
}

fn assert_links(site: &Path) {
    let problems = broken_links(site);
    assert!(
        problems.is_empty(),
        "{} link problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn shipped_book_builds_with_every_link_resolving() {
    let dest = tmp("shipped");
    build_ok(Path::new(ROOT), &dest.join("site"));
    let site = dest.join("site");
    assert_links(&site);
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    // Every element has its page at the address the format page gives.
    for area in model["areas"].as_array().unwrap() {
        let code = area["code"].as_str().unwrap();
        assert!(site.join(area["url"].as_str().unwrap()).is_file(), "{code}");
        assert!(
            site.join(format!("worksheets/{}/index.html", code.to_lowercase()))
                .is_file(),
            "{code}"
        );
        for o in area["objectives"].as_array().unwrap() {
            assert!(site.join(o["url"].as_str().unwrap()).is_file());
            for p in o["practices"].as_array().unwrap() {
                assert!(site.join(p["url"].as_str().unwrap()).is_file());
            }
        }
    }
    for f in [
        "index.html",
        "glossary/index.html",
        "print/index.html",
        "survey/index.html",
        "worksheets/index.html",
        "model.schema.json",
        "assets/search-index.js",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
}

/// The whole-model pages are written as a frame with each area's part put
/// in: every area is there once, in the frame's order, and nothing of the
/// assembly (marks, scratch files) is left.
#[test]
fn whole_model_pages_hold_every_area_once() {
    let dest = tmp("whole");
    let site = dest.join("site");
    build_ok(Path::new(ROOT), &site);
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("model.json")).unwrap()).unwrap();
    let codes: Vec<String> = model["areas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_lowercase())
        .collect();
    let page = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    let (print, survey, sheets) = (
        page("print/index.html"),
        page("survey/index.html"),
        page("worksheets/index.html"),
    );
    for code in &codes {
        for (html, mark) in [
            (
                &print,
                format!("<article class=\"print-area area-{code}\" id=\"areas-{code}\">"),
            ),
            (
                &survey,
                format!("<section class=\"survey survey-area\" id=\"survey-{code}\""),
            ),
            (&sheets, format!("id=\"ws-{code}\">")),
        ] {
            assert_eq!(html.matches(&mark).count(), 1, "{mark}");
        }
    }
    // The survey lists its areas in the order of its own list.
    let order: Vec<usize> = codes
        .iter()
        .map(|c| survey.find(&format!("id=\"survey-{c}\"")).unwrap())
        .collect();
    let nav: Vec<usize> = codes
        .iter()
        .map(|c| survey.find(&format!("href=\"#survey-{c}\"")).unwrap())
        .collect();
    let rank = |v: &[usize]| {
        let mut idx: Vec<usize> = (0..v.len()).collect();
        idx.sort_by_key(|&i| v[i]);
        idx
    };
    assert_eq!(rank(&order), rank(&nav));
    for f in walk(&site) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        assert!(!name.starts_with(".refbook-parts"), "{}", f.display());
        let bytes = std::fs::read(&f).unwrap();
        assert!(!bytes.contains(&2u8), "part mark left in {}", f.display());
    }
}

#[test]
fn example_book_builds_with_every_link_resolving() {
    let dest = tmp("example");
    build_ok(
        &Path::new(ROOT).join("examples/rmm-opf"),
        &dest.join("site"),
    );
    assert_links(&dest.join("site"));
    assert!(dest.join("site/areas/opf/opf-sg1-sp1/index.html").is_file());
}

#[test]
fn full_fixture_uses_every_feature() {
    let dest = tmp("full");
    let site = dest.join("site");
    build_ok(&Path::new(ROOT).join("tests/fixtures/full"), &site);
    assert_links(&site);
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    // Addresses of the format page.
    for p in [
        "index.html",
        "categories/first/index.html",
        "areas/alpha/index.html",
        "areas/alpha/alpha-1/index.html",
        "areas/alpha/alpha-1-1/index.html",
        "generic/gg2/index.html",
        "generic/gg2/gg2-gp1/index.html",
        "glossary/index.html",
        "pages/about/index.html",
        "survey/index.html",
        "worksheets/index.html",
        "worksheets/alpha/index.html",
        "model.json",
    ] {
        assert!(site.join(p).is_file(), "{p}");
    }
    let practice = read("areas/alpha/alpha-1-1/index.html");
    // [[ID|text]] becomes a relative link with the given words.
    assert!(
        practice.contains("href=\"../../../areas/gamma/gamma-1-1/index.html\""),
        "{practice}"
    );
    assert!(
        practice.contains(">gamma&#39;s practice</a>")
            || practice.contains(">gamma's practice</a>")
    );
    // Raw HTML is shown as text, script links are neutralised.
    assert!(!practice.contains("<b onclick"));
    assert!(!practice.to_lowercase().contains("javascript:"));
    // The model's own vocabulary.
    assert!(practice.contains("Specific goal"));
    // Backlinks: ALPHA-1 is referred to by BETA-1.1 and the glossary.
    let obj = read("areas/alpha/alpha-1/index.html");
    let refs = &obj[obj.find("Referred to by").expect("a backlinks section")..];
    assert!(
        refs.contains("BETA-1.1") && refs.contains("Resilience"),
        "{refs}"
    );
    // The area lists what refers to it, the related areas relate both ways.
    let beta = read("areas/beta/index.html");
    assert!(beta.contains("as a related area"), "{beta}");
    // Areas in the order model.yaml gives: BETA before ALPHA.
    let home = read("index.html");
    assert!(home.find("Beta Area").unwrap() < home.find("Alpha Area").unwrap());
    // BOM + CRLF file read like any other.
    assert!(beta.contains("Beta, after"));
    // Theme override, file by file.
    assert!(read("pages/about/index.html").contains("class=\"overridden\""));
    assert!(read("areas/alpha/index.html").contains("kind-label"));
    // Print page: links become in-page anchors.
    let print = read("print/index.html");
    assert!(
        print.contains("href=\"#areas-gamma-gamma-1-1\""),
        "print links"
    );
    assert!(print.contains("id=\"areas-gamma-gamma-1-1\""));
    // Survey hooks of the format page.
    let area = read("areas/alpha/index.html");
    assert!(area.contains("data-question=\"ALPHA-1.1\""));
    assert!(area.contains("data-question=\"ALPHA:GG2.GP1\""));
    assert!(
        !area.contains("data-question=\"ALPHA:GG1.GP1\""),
        "GG1 is decided by the objectives"
    );
    assert!(area.contains("data-objective=\"ALPHA-1\" data-state=\"unanswered\""));
    assert!(area.contains("data-area=\"ALPHA\" data-status=\"not-assessed\" data-level=\"\""));
    assert!(area.contains("value=\"na\""));
    // The notice in every footer.
    assert!(read("glossary/index.html").contains("Copyright <strong>Test</strong>"));
    // Every page allows only the site's own scripts and styles, and has no inline script.
    for p in walk(&site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
    {
        let html = std::fs::read_to_string(&p).unwrap();
        assert!(
            html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self' file:;"),
            "{}",
            p.display()
        );
        assert!(!html.contains("<script>"), "{}", p.display());
        let handler = html.split('<').skip(1).find(|t| {
            t.starts_with(|c: char| c.is_ascii_alphabetic())
                && t.split('>')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .any(|a| a.starts_with("on"))
        });
        assert!(
            handler.is_none(),
            "{}: <{}",
            p.display(),
            handler.unwrap_or("")
        );
    }
    // Search index as a script, exact ids inside.
    assert!(
        read("assets/search-index.js")
            .starts_with("var refbook$data;(refbook$data=refbook$data||{}).search={\"kinds\":[\"")
    );
}

/// A theme overrides one component of macros.html by defining it again in a
/// template of its own: every link made by that component shows the theme's
/// markup, and the components it does not define (the lists, which write
/// their links themselves) stay the built-in ones.
#[test]
fn a_theme_overrides_one_component_and_keeps_the_others() {
    let dir = tmp("component-override");
    let book = dir.join("book");
    copy_dir(&Path::new(ROOT).join("tests/fixtures/full"), &book);
    std::fs::write(
        book.join("themes/default/templates/macros.html"),
        r#"{% component elem_link(to, @root) %}<a class="mine" href="{{ root }}{{ to.url }}">{{ to.title }}</a>{% endcomponent elem_link %}"#,
    )
    .unwrap();
    let site = dir.join("site");
    build_ok(&book, &site);
    assert_links(&site);
    let read = |p: &str| std::fs::read_to_string(site.join(p)).unwrap();
    // The generic practice page calls elem_link (the practice pages write
    // the markup in place, for speed: themes/README.md).
    let gp = read("generic/gg2/gg2-gp1/index.html");
    assert!(
        gp.contains(
            r#"<a class="mine" href="../../../generic/gg2/index.html">Institutionalize a Managed Process</a>"#
        ),
        "{gp}"
    );
    assert!(read("areas/alpha/alpha-1-1/index.html").contains(r#"<ol class="subpractices">"#));
    let objective = read("areas/alpha/alpha-1/index.html");
    assert!(
        objective.contains(
            r#"<li><a href="../../../areas/alpha/alpha-1-1/index.html"><span class="id">"#
        ),
        "{objective}"
    );
}

#[test]
fn pages_main_content_matches_snapshots() {
    let dest = tmp("snap");
    let site = dest.join("site");
    build_ok(&Path::new(ROOT).join("tests/fixtures/full"), &site);
    let mut failures = Vec::new();
    for (page, name) in [
        ("areas/alpha/alpha-1-1/index.html", "practice"),
        ("areas/gamma/index.html", "area"),
        ("generic/gg2/gg2-gp1/index.html", "generic_practice"),
        ("glossary/index.html", "glossary"),
    ] {
        let html = std::fs::read_to_string(site.join(page)).unwrap();
        if let Err(e) = snapshot(&format!("{name}.html"), main_of(&html)) {
            failures.push(format!("{page}: {e}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// A broken book: the starter book without the files the case's
/// `remove.txt` lists (one path a line), with the case's files laid over it.
fn broken_book(case: &str, tag: &str) -> std::path::PathBuf {
    // Tests run in parallel: each gets its own copy.
    let dir = starter(&tmp(&format!("broken-{case}-{tag}")));
    let case_dir = Path::new(ROOT).join("tests/broken").join(case);
    let remove = std::fs::read_to_string(case_dir.join("remove.txt")).unwrap_or_default();
    for p in remove.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let p = dir.join(p);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        } else {
            std::fs::remove_file(&p).unwrap();
        }
    }
    copy_dir(&case_dir, &dir);
    for f in ["expected.txt", "remove.txt"] {
        let _ = std::fs::remove_file(dir.join(f));
    }
    dir
}

fn diagnostics(book: &Path) -> Vec<String> {
    // `check` meets every error a build does, template errors included.
    let (_, diags) = refbook::check_all(book, None);
    diags.iter().map(refbook::diag::short).collect()
}

/// A diagnostic as expected: `{any}` in `want` stands for any text (a
/// folder's absolute path, which differs from run to run).
fn same(want: &str, got: &str) -> bool {
    let mut pieces = want.split("{any}");
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = got.strip_prefix(first) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (i, p) in pieces.iter().enumerate() {
        if i + 1 == pieces.len() {
            return rest.ends_with(p);
        }
        match rest.find(p) {
            Some(at) => rest = &rest[at + p.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

#[test]
fn each_kind_of_bad_input_gets_its_diagnostic() {
    let cases_dir = Path::new(ROOT).join("tests/broken");
    let mut cases: Vec<_> = std::fs::read_dir(&cases_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    cases.sort();
    assert!(cases.len() >= 12, "{cases:?}");
    let mut failures = Vec::new();
    for case in &cases {
        let expected = std::fs::read_to_string(cases_dir.join(case).join("expected.txt")).unwrap();
        let book = broken_book(case, "each");
        let site = book.join("book");
        // A previous good site must survive the failed build.
        std::fs::create_dir_all(&site).unwrap();
        std::fs::write(site.join(refbook::output::MARKER), "").unwrap();
        std::fs::write(site.join("index.html"), "previous site").unwrap();
        let got = diagnostics(&book);
        let want: Vec<&str> = expected.lines().filter(|l| !l.trim().is_empty()).collect();
        let matches = if want.len() == 1 && want[0].ends_with(':') {
            got.len() == 1 && got[0].starts_with(want[0])
        } else {
            got.len() == want.len()
                && want.iter().zip(&got).all(|(w, g)| {
                    same(w, g) || (g.starts_with(w) && w.ends_with("YAML syntax error"))
                })
        };
        if !matches {
            failures.push(format!("{case}:\n  want: {want:#?}\n  got:  {got:#?}"));
        }
        let out = refbook(&["build", book.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        if out.status.code() != Some(1) || stderr.contains("panicked") || !stderr.contains("error")
        {
            failures.push(format!(
                "{case}: exit {:?}, stderr:\n{stderr}",
                out.status.code()
            ));
        }
        if std::fs::read_to_string(site.join("index.html"))
            .ok()
            .as_deref()
            != Some("previous site")
        {
            failures.push(format!("{case}: the previous site was touched"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn human_diagnostics_show_position_source_line_and_help() {
    let book = broken_book("unknown-field", "human");
    let out = refbook(&["check", book.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(
        e.contains("error: unknown field `statment` in an objective"),
        "{e}"
    );
    assert!(e.contains("--> content/areas/EF.md:9:5"), "{e}");
    assert!(e.contains("9 |     statment: S"), "{e}");
    assert!(e.contains("help: did you mean `statement`?"), "{e}");
    assert!(e.contains("check failed: 2 errors"), "{e}");
    assert!(
        !e.contains("missing field `statement`"),
        "one mistake, one error: {e}"
    );
}

#[test]
fn refuses_to_build_over_the_book_or_a_foreign_folder() {
    let dir = starter(&tmp("refuse"));
    for dest in [
        dir.clone(),
        dir.parent().unwrap().to_path_buf(),
        dir.join("content"),
    ] {
        let out = refbook(&["build", dir.to_str().unwrap(), "-d", dest.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{}", dest.display());
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("refusing"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let foreign = dir.join("foreign");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let out = refbook(&[
        "build",
        dir.to_str().unwrap(),
        "-d",
        foreign.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(foreign.join("notes.txt")).unwrap(),
        "mine"
    );
    assert!(dir.join("content/model.yaml").is_file());
}

#[test]
fn rebuild_replaces_the_site_whole_and_check_writes_nothing() {
    let dir = starter(&tmp("rebuild"));
    assert!(refbook(&["check", dir.to_str().unwrap()]).status.success());
    assert!(!dir.join("book").exists(), "check wrote something");
    assert!(refbook(&["build", dir.to_str().unwrap()]).status.success());
    std::fs::write(dir.join("book/stale.html"), "old").unwrap();
    let o = refbook(&["build", dir.to_str().unwrap(), "--timings"]);
    assert!(o.status.success());
    // --timings adds one line per phase to stderr, in the order they ran.
    let err = String::from_utf8_lossy(&o.stderr);
    let phases: Vec<&str> = err
        .lines()
        .filter(|l| l.contains(" ms "))
        .filter_map(|l| l.rsplit_once("  ").map(|(_, p)| p))
        .collect();
    assert_eq!(phases.len(), 5, "{err}");
    assert!(
        phases[0].starts_with("load") && phases[3].starts_with("render"),
        "{err}"
    );
    assert!(
        !dir.join("book/stale.html").exists(),
        "a rebuild is a whole new site"
    );
    let left = staging_left(&dir);
    assert!(left.is_empty(), "staging folders left: {left:?}");
}

#[test]
fn usage_errors_exit_2_and_help_explains() {
    assert_eq!(refbook(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(refbook(&["build", "--bogus"]).status.code(), Some(2));
    let help = refbook(&["--help"]);
    assert!(help.status.success());
    let h = String::from_utf8_lossy(&help.stdout);
    for w in ["build", "check", "init", "Exit codes"] {
        assert!(h.contains(w), "{h}");
    }
}

/// The binary's allocator is asked to give back what reading the book freed
/// once the book is read and checked, and only then: a book with errors is
/// never rendered, so there is nothing to make room for.
#[test]
fn the_freed_memory_is_given_back_once_between_reading_and_rendering() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    fn give_back() {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }
    let opts = refbook::BuildOptions {
        give_back_freed: Some(give_back),
        ..Default::default()
    };
    let dir = starter(&tmp("give-back"));
    let built = refbook::build_with(&dir, None, &opts);
    assert!(built.is_ok(), "the starter book builds");
    assert_eq!(CALLS.load(Ordering::SeqCst), 1);
    std::fs::write(dir.join("content/model.yaml"), "id: [").unwrap();
    assert!(refbook::build_with(&dir, None, &opts).is_err());
    assert_eq!(
        CALLS.load(Ordering::SeqCst),
        1,
        "called for a book with errors"
    );
}
