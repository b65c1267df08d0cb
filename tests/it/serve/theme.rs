//! A change of the theme alone (or of book.toml's rendered settings, or of
//! the glossary's definitions): the open pages are rendered first, and a
//! page hears only the reloads that concern it.

use super::*;

const PRACTICE: &str = "areas/ef/ef-1-1/index.html";
const HOME: &str = "index.html";

/// The open practice page is told to reload, and then shows `mark`; the
/// reload's data.
fn shown(srv: &Server, practice: &Events, mark: &str) -> String {
    let d = practice
        .wait("reload", CHANGE, |d| {
            changed(d).contains(&PRACTICE.to_string())
        })
        .unwrap_or_else(|| panic!("no reload of the open practice page for {mark}"));
    let page = srv.get(&format!("/{PRACTICE}")).text();
    assert!(page.contains(mark), "{mark} is not on the page");
    d
}

#[test]
fn a_change_of_the_theme_shows_on_the_open_pages_first() {
    let dir = tmp("servetest-theme");
    let book = starter(&dir);
    // A second area, whose pages are not open.
    std::fs::write(
        book.join("content/areas/OP.md"),
        "---\ncode: OP\nname: Operations\ncategory: enterprise\npurpose: Operations runs the work.\nobjectives:\n  - id: OP-1\n    title: Run\n    statement: The work is run.\n    practices:\n      - id: OP-1.1\n        title: Run It\n        statement: It is run.\n---\nOperations.\n",
    )
    .unwrap();
    let srv = Server::start(&book, &[]);
    let practice = Events::open_page(srv.port, PRACTICE);
    let home = Events::open_page(srv.port, HOME);
    let any = Events::open(srv.port);
    for e in [&practice, &home, &any] {
        e.wait("hello", CHANGE, |_| true).expect("hello");
    }

    // The practice template with a mark: every practice page changes, the
    // home page does not.
    let templates = book.join("themes/default/templates");
    std::fs::create_dir_all(&templates).unwrap();
    let template = include_str!("../../../themes/default/templates/practice.html").replace(
        "<h2>Statement</h2>",
        "<h2 class=\"theme-mark\">Statement</h2>",
    );
    save_by_rename(&templates.join("practice.html"), &template);
    let d = shown(&srv, &practice, "theme-mark");
    // Shown first: the open page's area, not every practice of the model.
    let first = changed(&d);
    assert!(
        first.iter().all(|f| f.starts_with("areas/ef/")),
        "only the open page's area is rendered first: {first:?}"
    );
    srv.wait_stdout(|l| l.starts_with("rebuilt in "))
        .expect("the first pages reported");
    let rest = srv
        .wait_stdout(|l| l.starts_with("rest of the site rebuilt"))
        .expect("the rest of the site follows");
    assert!(rest.contains("changed"), "{rest}");
    let other = "areas/op/op-1-1/index.html";
    assert!(!first.contains(&other.to_string()), "{first:?}");
    assert!(srv.get(&format!("/{other}")).text().contains("theme-mark"));

    // The stream that named no page hears both reloads; the home page's
    // hears neither: nothing it shows changed.
    assert!(any.wait("reload", CHANGE, |_| true).is_some());
    assert!(any.wait("reload", CHANGE, |_| true).is_some());
    assert!(
        home.wait("reload", Duration::from_millis(500), |_| true)
            .is_none(),
        "the home page is told to reload though it did not change"
    );

    // A style sheet: every open page hears of it.
    let statics = book.join("themes/default/static");
    std::fs::create_dir_all(&statics).unwrap();
    save_by_rename(&statics.join("extra.css"), ".theme-mark { color: teal }\n");
    for e in [&practice, &home] {
        let d = e
            .wait("reload", CHANGE, |d| {
                changed(d).contains(&"assets/extra.css".to_string())
            })
            .expect("a reload for the new style sheet");
        assert!(changed(&d).iter().all(|f| !f.ends_with(".html")), "{d}");
    }
    assert_eq!(
        srv.get("/assets/extra.css").text(),
        ".theme-mark { color: teal }\n"
    );

    // A template that does not compile: said at once, the site stays.
    let good = srv.get(&format!("/{PRACTICE}")).body;
    save_by_rename(&templates.join("practice.html"), "{% if %}");
    let d = practice
        .wait("errors", CHANGE, |_| true)
        .expect("the theme's error");
    assert!(d.contains("practice.html"), "{d}");
    assert_eq!(srv.get(&format!("/{PRACTICE}")).body, good);
    // Fixed: shown again.
    save_by_rename(
        &templates.join("practice.html"),
        &template.replace("theme-mark", "theme-fixed"),
    );
    shown(&srv, &practice, "theme-fixed");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

/// book.toml's rendered settings and the glossary's definitions keep the
/// checked book: the open page (and the glossary, and the pages whose
/// "referred to by" lists change) are shown first, the rest follows.
#[test]
fn book_toml_s_settings_and_the_glossary_show_first() {
    let dir = tmp("servetest-settings");
    let book = starter(&dir);
    let srv = Server::start(&book, &[]);
    let practice = Events::open_page(srv.port, PRACTICE);
    practice.wait("hello", CHANGE, |_| true).expect("hello");
    let term = "#term-strategic-objective";
    assert!(srv.get(&format!("/{PRACTICE}")).text().contains(term));

    // Every page's head shows the description: the open page first.
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    let at = toml.find("description = ").unwrap();
    let end = at + toml[at..].find('\n').unwrap();
    let edited = format!(
        "{}description = \"A model of settings-mark.\"{}",
        &toml[..at],
        &toml[end..]
    );
    save_by_rename(&book.join("book.toml"), &edited);
    let d = shown(&srv, &practice, "settings-mark");
    let first = changed(&d);
    assert!(
        first.iter().all(|f| {
            f.starts_with("areas/ef/")
                || f.starts_with("worksheets/ef/")
                || f.starts_with("assets/")
        }),
        "only the open page's area is rendered first: {first:?}"
    );
    srv.wait_stdout(|l| l.starts_with("rest of the site rebuilt"))
        .expect("the rest of the site follows");
    assert!(
        srv.get("/glossary/index.html")
            .text()
            .contains("settings-mark")
    );

    // A definition that links to EF-1.1 no longer: the glossary and the
    // practice that lost the term from its backrefs come first.
    let glossary = book.join("content/glossary.yaml");
    let text = std::fs::read_to_string(&glossary).unwrap();
    save_by_rename(
        &glossary,
        &text.replace("as in [[EF-1.1]].", "as in glossary-mark."),
    );
    let d = practice
        .wait("reload", CHANGE, |d| {
            changed(d).contains(&PRACTICE.to_string())
        })
        .expect("the practice's backrefs changed");
    let first = changed(&d);
    assert!(
        first.contains(&"glossary/index.html".to_string()),
        "{first:?}"
    );
    assert!(
        !first.iter().any(|f| f.starts_with("areas/op/")),
        "{first:?}"
    );
    assert!(
        srv.get("/glossary/index.html")
            .text()
            .contains("glossary-mark")
    );
    assert!(
        !srv.get(&format!("/{PRACTICE}")).text().contains(term),
        "the practice still lists the term"
    );
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
