//! The served site after any sequence of edits is the site a fresh build of
//! the same sources makes, byte for byte: whatever a rebuild skips (files it
//! keeps, parts it reuses), it must never leave a file stale or behind.

use super::rebuild::{Builder, Outcome, Way};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small seeded generator (xorshift): the same seed, the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.below(of.len())]
    }
}

/// book.toml's [build] settings the edits set, one at a time.
const ALLOW_HTML: &str = "allow-html = true\n";
const SETTINGS: &[&str] = &[
    "",
    ALLOW_HTML,
    "whole-pages-split-above = 1\n",
    "site-url = \"/m/\"\n",
];

const WORDS: &[&str] = &["budget", "board", "risk", "vendor", "audit", "plan"];
const TARGETS: &[&str] = &[
    "EF-1.2", "EF-1.1", "EF-1", "OP-1.1", "GG2.GP1", "OP", "about",
];

/// What the edits change in the fixture's two area files.
#[derive(Clone, Debug)]
struct Sources {
    statement: String,
    title: String,
    /// Where EF-1.1's notes link to.
    target: &'static str,
    /// EF-1.3 exists (added and removed by the edits).
    extra: bool,
    /// EF-1.2 replaces an old id (which only a whole check follows).
    renamed: bool,
    /// EF is related to OP and elaborates GG2.GP1.
    related: bool,
    op_body: String,
    /// The definition of the glossary's term "Strategic objective", and
    /// where it links.
    definition: String,
    term_target: &'static str,
    /// A term comes before it (its backrefs, and theirs, change places).
    term_first: bool,
    /// The category's description.
    category: String,
    /// The free page's body, and its title.
    page_body: String,
    page_title: &'static str,
    /// book.toml's description (every page's head shows it).
    description: String,
    /// model.yaml's title (every page shows it).
    model_title: &'static str,
    /// A line of book.toml's [build] section, or none: one that is only
    /// rendered, or `allow-html`, which changes what the texts are.
    setting: &'static str,
    /// The class the theme's own link component, practice page and style
    /// sheet give (`None`: no theme files, the built-in theme).
    theme: Option<&'static str>,
}

impl Sources {
    fn ef(&self) -> String {
        let extra = if self.extra {
            "      - id: EF-1.3\n        title: Review Objectives\n        statement: Objectives are reviewed against [[OP-1.1]].\n"
        } else {
            ""
        };
        let renamed = if self.renamed {
            "        replaces: [EF-1.9]\n"
        } else {
            ""
        };
        let related = match self.related {
            true => "related:\n  - OP\nelaborations:\n  GG2.GP1: For EF, the plan of [[OP-1.1]].\n",
            false => "",
        };
        format!(
            "---\ncode: EF\nname: Enterprise Focus\ncategory: enterprise\n{related}\
             purpose: The purpose of Enterprise Focus is to direct the work.\n\
             objectives:\n  - id: EF-1\n    title: Establish Strategic Drivers\n\
             \x20   statement: The strategic drivers are established.\n    practices:\n\
             \x20     - id: EF-1.1\n        title: Establish Strategic Objectives\n\
             \x20       statement: {}\n        notes: |\n          See [[{}]].\n\
             \x20     - id: EF-1.2\n        title: {}\n\
             \x20       statement: Factors come from the [[EF-1.1]] objectives.\n{renamed}{extra}\
             ---\nEnterprise Focus is where the <em>work</em> starts.\n",
            self.statement, self.target, self.title
        )
    }

    fn glossary(&self) -> String {
        let first = match self.term_first {
            true => "- term: Audit plan\n  definition: The plan of audits of [[OP-1.1]].\n",
            false => "",
        };
        format!(
            "{first}- term: Strategic objective\n  definition: {} [[{}]].\n\
             \x20 see_also: [Critical success factor]\n- term: Critical success factor\n\
             \x20 definition: What must go right for the organization to reach its objectives.\n",
            self.definition, self.term_target
        )
    }

    fn op(&self) -> String {
        format!(
            "---\ncode: OP\nname: Operations\ncategory: enterprise\n\
             purpose: The purpose of Operations is to run the work.\n\
             objectives:\n  - id: OP-1\n    title: Run the Work\n\
             \x20   statement: The work is run.\n    practices:\n\
             \x20     - id: OP-1.1\n        title: Follow the Plan\n\
             \x20       statement: The plan of [[EF-1.2]] is followed.\n\
             ---\n{}\n",
            self.op_body
        )
    }

    /// Writes the files whose text differs from what the book holds; the
    /// paths written, and whether one is the theme's.
    fn write(&self, book: &Path) -> (Vec<PathBuf>, bool) {
        let areas = book.join("content/areas");
        let themes = book.join("themes/default");
        let macros = themes.join("templates/macros.html");
        let practice = themes.join("templates/practice.html");
        let css = themes.join("static/extra.css");
        let theme = |f: &dyn Fn(&str) -> String| self.theme.map(f);
        let glossary = book.join("content/glossary.yaml");
        let toml = book.join("book.toml");
        let about = book.join("content/pages/about.md");
        let category = book.join("content/categories/enterprise.md");
        let model_yaml = book.join("content/model.yaml");
        let model_text = std::fs::read_to_string(&model_yaml).ok().map(|t| {
            let at = t.find("\ntitle: ").unwrap() + 1;
            let end = at + t[at..].find('\n').unwrap();
            format!("{}title: {}{}", &t[..at], self.model_title, &t[end..])
        });
        let mut written = Vec::new();
        for (path, text) in [
            (model_yaml.clone(), model_text),
            (glossary.clone(), Some(self.glossary())),
            (
                toml.clone(),
                Some(format!(
                    "[book]\ntitle = \"My Capability Model\"\ndescription = \"{}\"\n\
                     language = \"en\"\n\n[build]\ncontent-dir = \"content\"\n\
                     build-dir = \"book\"\n{}",
                    self.description, self.setting
                )),
            ),
            (
                about.clone(),
                Some(format!(
                    "---\ntitle: {}\norder: 1\n---\n{}\n",
                    self.page_title, self.page_body
                )),
            ),
            (category.clone(), Some(format!("{}\n", self.category))),
            (areas.join("EF.md"), Some(self.ef())),
            (areas.join("OP.md"), Some(self.op())),
            (
                macros.clone(),
                theme(&|class| {
                    format!(
                        r#"{{% component elem_link(to, @root) %}}<a class="{class}" href="{{{{ root }}}}{{{{ to.url }}}}">{{{{ to.title }}}}</a>{{% endcomponent elem_link %}}"#
                    )
                }),
            ),
            (
                practice.clone(),
                theme(&|class| {
                    include_str!("../../themes/default/templates/practice.html").replace(
                        "<h2>Statement</h2>",
                        &format!("<h2 class=\"{class}\">Statement</h2>"),
                    )
                }),
            ),
            (
                css.clone(),
                theme(&|class| format!(".{class} {{ color: teal }}\n")),
            ),
        ] {
            let now = std::fs::read_to_string(&path).ok();
            if now == text {
                continue;
            }
            match text {
                Some(t) => {
                    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                    std::fs::write(&path, t).unwrap();
                }
                None => std::fs::remove_file(&path).unwrap(),
            }
            written.push(path);
        }
        // As the watcher tells it: anything outside the content folder may
        // change the theme (book.toml may name another).
        let content = book.join("content");
        let theme = written.iter().any(|p| !p.starts_with(&content));
        (written, theme)
    }

    /// The theme's own files: none, then one class, then another.
    fn edit_theme(&mut self) -> &'static str {
        self.theme = match self.theme {
            None => Some("mine"),
            Some("mine") => Some("theirs"),
            Some(_) => None,
        };
        "theme"
    }

    /// book.toml's next setting of [`SETTINGS`].
    fn edit_setting(&mut self) -> &'static str {
        let was = self.setting;
        let at = SETTINGS.iter().position(|s| *s == was).unwrap_or(0);
        self.setting = SETTINGS[(at + 1) % SETTINGS.len()];
        if (was == ALLOW_HTML) != (self.setting == ALLOW_HTML) {
            "book.toml, allow-html"
        } else {
            "book.toml"
        }
    }

    /// One random edit, as an author would make it.
    fn edit(&mut self, rng: &mut Rng) -> &'static str {
        match rng.below(17) {
            16 => {
                self.related = !self.related;
                "related areas"
            }
            15 => {
                self.model_title = match self.model_title {
                    "My Capability Model" => "Our Capability Model",
                    _ => "My Capability Model",
                };
                "model title"
            }
            14 => {
                self.term_first = !self.term_first;
                "glossary terms"
            }
            13 => {
                self.page_title = match self.page_title {
                    "About This Model" => "About the Model",
                    _ => "About This Model",
                };
                "page title"
            }
            12 => {
                self.category = format!("The {} holds [[{}]].", rng.pick(WORDS), rng.pick(TARGETS));
                "category"
            }
            11 => {
                self.page_body =
                    format!("The {} follows [[{}]].", rng.pick(WORDS), rng.pick(TARGETS));
                "page"
            }
            8 => {
                self.definition = format!("A goal of the {}, as in", rng.pick(WORDS));
                self.term_target = rng.pick(TARGETS);
                "glossary"
            }
            9 => {
                self.description = format!("A model of the {}.", rng.pick(WORDS));
                "book.toml"
            }
            10 => self.edit_setting(),
            0 | 5 => {
                self.statement =
                    format!("The {} is set by the {}.", rng.pick(WORDS), rng.pick(WORDS));
                "statement"
            }
            6 => {
                self.op_body = format!("Operations runs the {}.", rng.pick(WORDS));
                "area text, no link"
            }
            7 => self.edit_theme(),
            1 => {
                self.title = format!("Identify the {}", rng.pick(WORDS));
                "title"
            }
            2 => {
                self.target = rng.pick(TARGETS);
                "link target"
            }
            3 => {
                self.extra = !self.extra;
                if self.extra {
                    "practice added"
                } else {
                    "practice removed"
                }
            }
            _ => {
                self.op_body = format!("Operations refers to [[{}]].", rng.pick(TARGETS));
                "area text"
            }
        }
    }
}

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
    let base = std::env::temp_dir().join(format!("refbook-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let book = base.join("book");
    crate::init::write(&book).unwrap();
    let src = Sources {
        statement: "Strategic objectives are documented.".into(),
        title: "Establish Critical Success Factors".into(),
        target: "EF-1.2",
        extra: false,
        renamed: false,
        related: false,
        op_body: "Operations follows [[EF-1]].".into(),
        definition: "A goal that the organization sets itself, as in".into(),
        term_target: "EF-1.1",
        term_first: false,
        page_body: "This model was started with `refbook init`.".into(),
        page_title: "About This Model",
        category:
            "The Enterprise Management category holds the areas that direct the work: see [[EF]]."
                .into(),
        description: "A process-improvement model published with refbook.".into(),
        model_title: "My Capability Model",
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

/// Rebuilds after `paths` changed, as the watcher asks; the files written.
fn edited(b: &mut Builder, paths: &[PathBuf], theme: bool, step: &str) -> Vec<String> {
    match b.rebuild_changed(theme, paths) {
        Outcome::Good { changed, .. } => changed,
        Outcome::Bad { diags, .. } => panic!("{step}: the fixture does not build: {diags:?}"),
        Outcome::Stopped => panic!("{step}: stopped with no change waiting"),
    }
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
        for step in 0..16 {
            let what = if step == 6 {
                broken_then_fixed(&mut src, &book, &served, &mut server);
                "broken link, then fixed"
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
            if what == "page title" && !paths.is_empty() {
                assert_eq!(server.way, Way::InPlace, "{step}");
            }
            if (free_text || what == "model title") && !paths.is_empty() {
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
                    assert!(first.len() > OPEN.len() + 2, "{step}: {first:?}");
                    for rel in first {
                        assert!(got.get(rel) == want.get(rel), "{step}: {rel} differs");
                    }
                }
                for p in paths
                    .iter()
                    .filter(|p| p.starts_with(book.join("content/areas")))
                {
                    let code = p.file_stem().unwrap().to_string_lossy().to_lowercase();
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
                if what == "page title" {
                    // Every page's menu shows it: the open ones first, and
                    // the page.
                    for rel in OPEN.iter().chain(&["pages/about/index.html"]) {
                        assert!(got.get(*rel) == want.get(*rel), "{step}: {rel} differs");
                    }
                }
                if what == "model title" {
                    // Every page shows it: the open ones and the home page first.
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
