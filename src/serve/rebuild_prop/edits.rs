//! The edits of the property test (`super`): what an author changes in
//! a starter book, drawn from a seeded generator.

use std::path::{Path, PathBuf};

/// A small seeded generator (xorshift): the same seed, the same edits.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    pub(super) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub(super) fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.below(of.len())]
    }
}

/// book.toml's [build] settings the edits set, one at a time.
pub(super) const ALLOW_HTML: &str = "allow-html = true\n";
pub(super) const SETTINGS: &[&str] = &[
    "",
    ALLOW_HTML,
    "whole-pages-split-above = 1\n",
    "site-url = \"/m/\"\n",
];

pub(super) const WORDS: &[&str] = &["budget", "board", "risk", "vendor", "audit", "plan"];
pub(super) const TARGETS: &[&str] = &[
    "EF-1.2",
    "EF-1.1",
    "EF-1",
    "OP-1.1",
    "GG2.GP1",
    "OP",
    "about",
    "enterprise",
];

/// What the edits change in the fixture's two area files.
#[derive(Clone, Debug)]
pub(super) struct Sources {
    pub(super) statement: String,
    pub(super) title: String,
    /// Where EF-1.1's notes link to.
    pub(super) target: &'static str,
    /// EF-1.3 exists (added and removed by the edits).
    pub(super) extra: bool,
    /// EF-1.2 replaces an old id (which only a whole check follows).
    pub(super) renamed: bool,
    /// EF is related to OP and elaborates GG2.GP1.
    pub(super) related: bool,
    /// EF's category and group: 0 the first category, 1 the second (EF
    /// then comes after OP), 2 the first in a group of its own.
    pub(super) ef_place: u8,
    pub(super) op_body: String,
    /// The definition of the glossary's term "Strategic objective", and
    /// where it links.
    pub(super) definition: String,
    pub(super) term_target: &'static str,
    /// A term comes before it (its backrefs, and theirs, change places).
    pub(super) term_first: bool,
    /// The category's description.
    pub(super) category: String,
    /// The free page's body, and its title.
    pub(super) page_body: String,
    pub(super) page_title: &'static str,
    /// Its order: before or after the second page (help, order 2).
    pub(super) page_order: i64,
    /// book.toml's description (every page's head shows it).
    pub(super) description: String,
    /// model.yaml's title (every page shows it).
    pub(super) model_title: &'static str,
    /// The first category's name (its links show it).
    pub(super) category_name: &'static str,
    /// model.yaml's first scale label and first level's description (with
    /// a link) changed, areas called Domain, and `performed_at` 3.
    pub(super) model_texts: bool,
    /// model.yaml lists the first category's areas: OP first (before EF
    /// and NW, which come in file order after it).
    pub(super) listed: bool,
    /// Area NW exists (its file added and removed by the edits): between
    /// EF and OP by file name, related to OP and linking to EF-1.1.
    pub(super) new_area: bool,
    /// Its code (and its elements' ids): NW, or NV.
    pub(super) new_code: &'static str,
    /// The glossary's file is gone (removed and added back by the edits).
    pub(super) no_glossary: bool,
    /// A third free page exists (its file added and removed by the edits).
    pub(super) extra_page: bool,
    /// A line of book.toml's [build] section, or none: one that is only
    /// rendered, or `allow-html`, which changes what the texts are.
    pub(super) setting: &'static str,
    /// The class the theme's own link component, practice page and style
    /// sheet give (`None`: no theme files, the built-in theme).
    pub(super) theme: Option<&'static str>,
}

impl Sources {
    pub(super) fn ef(&self) -> String {
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
        let place = match self.ef_place {
            0 => "category: enterprise\n",
            1 => "category: operations\n",
            _ => "category: enterprise\ngroup: Direction\n",
        };
        format!(
            "---\ncode: EF\nname: Enterprise Focus\n{place}{related}\
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

    pub(super) fn glossary(&self) -> String {
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

    pub(super) fn op(&self) -> String {
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

    pub(super) fn nw(&self) -> Option<String> {
        self.new_area.then(|| {
            format!(
                "---\ncode: {c}\nname: New Work\ncategory: enterprise\nrelated:\n  - OP\n\
                 purpose: The purpose of New Work is to start it.\n\
                 objectives:\n  - id: {c}-1\n    title: Start the Work\n\
                 \x20   statement: The work starts from [[EF-1.1]].\n    practices:\n\
                 \x20     - id: {c}-1.1\n        title: Plan the Start\n\
                 \x20       statement: The start is planned, see [[{c}-1]].\n\
                 ---\nNew Work asks [[OP:GG2.GP1]].\n",
                c = self.new_code
            )
        })
    }

    /// Writes the files whose text differs from what the book holds; the
    /// paths written, and whether one is the theme's.
    pub(super) fn write(&self, book: &Path) -> (Vec<PathBuf>, bool) {
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
            // With the lines that go on with it (indented).
            let mut end = at + t[at..].find('\n').unwrap();
            while t[end + 1..].starts_with(' ') {
                end += 1 + t[end + 1..].find('\n').unwrap();
            }
            let t = format!("{}title: {}{}", &t[..at], self.model_title, &t[end..]);
            let at = t.find("\n    name: ").unwrap() + 11;
            let end = at + t[at..].find('\n').unwrap();
            let t = format!("{}{}{}", &t[..at], self.category_name, &t[end..]);
            let (label, level) = match self.model_texts {
                true => ("Not done,", "\"Nothing of [[EF-1.1]] is done.\" }"),
                false => (
                    "Not performed,",
                    "The process is not performed or only partly. }",
                ),
            };
            let t = after_first(&t, "label: ", ',', label);
            let t = after_first(&t, "name: Incomplete, description: ", '}', level);
            // Every page names the kinds of elements; the survey scores
            // with the value a practice counts as performed at.
            let (words, performed) = (
                ["\n  area: Competency area\n", "\n  area: Domain\n"],
                ["\n  performed_at: 2\n", "\n  performed_at: 3\n"],
            );
            let (from, to) = match self.model_texts {
                true => (0, 1),
                false => (1, 0),
            };
            let t = t.replacen(words[from], words[to], 1);
            let t = t.replacen(performed[from], performed[to], 1);
            let (unlisted, listed) = (
                "  - id: enterprise\n",
                "  - id: enterprise\n    areas: [OP]\n",
            );
            let t = t.replacen(listed, unlisted, 1);
            let t = match self.listed {
                true => t.replacen(unlisted, listed, 1),
                false => t,
            };
            // A second category, for EF to move to.
            let survey = t.find("\nsurvey:").unwrap() + 1;
            let second = "  - id: operations\n    name: Operations Management\n";
            match t.contains(second) {
                true => t,
                false => format!("{}{second}{}", &t[..survey], &t[survey..]),
            }
        });
        let mut written = Vec::new();
        for (path, text) in [
            (model_yaml.clone(), model_text),
            (
                glossary.clone(),
                (!self.no_glossary).then(|| self.glossary()),
            ),
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
                    "---\ntitle: {}\norder: {}\n---\n{}\n",
                    self.page_title, self.page_order, self.page_body
                )),
            ),
            (
                book.join("content/pages/help.md"),
                Some("---\ntitle: Help\norder: 2\n---\nHelp with [[EF-1.1]].\n".into()),
            ),
            (
                book.join("content/pages/extra.md"),
                self.extra_page.then(|| {
                    "---\ntitle: Extra\norder: 3\n---\nExtra on [[OP-1.1]] and [[about]].\n".into()
                }),
            ),
            (category.clone(), Some(format!("{}\n", self.category))),
            (areas.join("EF.md"), Some(self.ef())),
            (areas.join("OP.md"), Some(self.op())),
            (areas.join("NW.md"), self.nw()),
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
                    include_str!("../../../themes/default/templates/practice.html").replace(
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
    pub(super) fn edit_theme(&mut self) -> &'static str {
        self.theme = match self.theme {
            None => Some("mine"),
            Some("mine") => Some("theirs"),
            Some(_) => None,
        };
        "theme"
    }

    /// book.toml's next setting of [`SETTINGS`].
    pub(super) fn edit_setting(&mut self) -> &'static str {
        let was = self.setting;
        let at = SETTINGS.iter().position(|s| *s == was).unwrap_or(0);
        self.setting = SETTINGS[(at + 1) % SETTINGS.len()];
        if (was == ALLOW_HTML) != (self.setting == ALLOW_HTML) {
            "book.toml, allow-html"
        } else {
            "book.toml"
        }
    }

    /// model.yaml's title changed, or put back.
    pub(super) fn edit_model_title(&mut self) -> &'static str {
        self.model_title = match self.model_title {
            // Over two lines (one title): every position after it in
            // model.yaml moves.
            "My Capability Model" => "Our\n  Capability Model",
            _ => "My Capability Model",
        };
        "model title"
    }

    /// The first category renamed in model.yaml, or its name put back.
    pub(super) fn edit_category_name(&mut self) -> &'static str {
        self.category_name = match self.category_name {
            "Enterprise Management" => "Enterprise Direction",
            _ => "Enterprise Management",
        };
        "category name"
    }

    /// The first category's list of areas in model.yaml given, or taken
    /// away.
    pub(super) fn edit_listed(&mut self) -> &'static str {
        self.listed = !self.listed;
        "area list"
    }

    /// The first category's list of areas and EF's statement changed at
    /// once (one rebuild): EF is put in place first, then moves with the
    /// list when it is in that category. (EF's pages are open, so they are
    /// shown first whatever place the change gives it.)
    pub(super) fn edit_listed_and_statement(&mut self) -> &'static str {
        self.edit_listed();
        // Another statement each time (the seeds go on from one another).
        self.statement = match self.statement.strip_suffix(" Listed.") {
            Some(was) => was.to_string(),
            None => format!("{} Listed.", self.statement),
        };
        "area list and statement"
    }

    /// model.yaml's first scale label, first level's description, word for
    /// areas and `performed_at` changed, or put back.
    pub(super) fn edit_model_texts(&mut self) -> &'static str {
        self.model_texts = !self.model_texts;
        "model.yaml texts"
    }

    /// The free page moved after the second page, or back before it.
    pub(super) fn edit_page_order(&mut self) -> &'static str {
        self.page_order = 4 - self.page_order;
        "page order"
    }

    /// Area NW's file added, or removed.
    pub(super) fn edit_new_area(&mut self) -> &'static str {
        toggle(&mut self.new_area, "area added", "area removed")
    }

    /// Area NW's code changed (NW and NV), its file added first if it
    /// has none.
    pub(super) fn edit_new_code(&mut self) -> &'static str {
        if !self.new_area {
            return self.edit_new_area();
        }
        self.new_code = match self.new_code {
            "NW" => "NV",
            _ => "NW",
        };
        "area code"
    }

    /// The glossary's file removed, or added back.
    pub(super) fn edit_glossary_file(&mut self) -> &'static str {
        toggle(
            &mut self.no_glossary,
            "glossary file removed",
            "glossary file added",
        )
    }

    /// The third free page's file added, or removed.
    pub(super) fn edit_extra_page(&mut self) -> &'static str {
        toggle(&mut self.extra_page, "page added", "page removed")
    }

    /// One random edit, as an author would make it.
    pub(super) fn edit(&mut self, rng: &mut Rng) -> &'static str {
        let glossary_edit = |n| n == 8 || n == 14;
        match rng.below(25) {
            // Its terms edited: the file first back.
            n if glossary_edit(n) && self.no_glossary => self.edit_glossary_file(),
            24 => self.edit_glossary_file(),
            23 => self.edit_new_code(),
            22 => self.edit_extra_page(),
            21 => self.edit_new_area(),
            20 => self.edit_page_order(),
            19 => self.edit_model_texts(),
            18 => self.edit_category_name(),
            17 => {
                self.ef_place = (self.ef_place + 1) % 3;
                "area moved"
            }
            16 => {
                self.related = !self.related;
                "related areas"
            }
            15 => self.edit_model_title(),
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
            3 => toggle(&mut self.extra, "practice added", "practice removed"),
            _ => {
                self.op_body = format!("Operations refers to [[{}]].", rng.pick(TARGETS));
                "area text"
            }
        }
    }
}

/// Turns `flag` over; the edit's name, `on` when it is now set.
fn toggle(flag: &mut bool, on: &'static str, off: &'static str) -> &'static str {
    *flag = !*flag;
    if *flag { on } else { off }
}

/// `text` with what follows the first `anchor`, up to the first `to`
/// included, replaced by `by`.
fn after_first(text: &str, anchor: &str, to: char, by: &str) -> String {
    let at = text.find(anchor).unwrap() + anchor.len();
    let end = at + text[at..].find(to).unwrap() + 1;
    format!("{}{by}{}", &text[..at], &text[end..])
}
