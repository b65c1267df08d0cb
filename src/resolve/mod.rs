//! Validation and cross-linking: ids indexed, every reference checked and
//! resolved, Markdown rendered once, and what refers to what recorded both ways.

mod added;
mod again;
mod checks;
mod free_texts;
mod ids;
mod links;
mod model_text;
mod order;
mod pages;
mod patch;
mod related;
mod relink;
mod replaces;
mod restructure;
#[cfg(test)]
mod sample;
mod texts;

pub use added::{add_area, remove_area};
pub use again::Again;
pub use free_texts::{replace_category_text, replace_glossary, replace_page};
pub use ids::MAX_SLUG;
pub use model_text::{ModelText, replace_model_text};
pub use pages::{add_page, remove_page};
pub use patch::{Replaced, replace_area};
pub use replaces::OldAddress;
#[cfg(test)]
pub use texts::as_loaded;
pub use texts::taking_texts;

use crate::diag::Diagnostic;
use crate::model::{Area, Model, Str};
use crate::urls;
use std::collections::HashMap;

/// Maps over ids and elements: tens of thousands of entries at scale, all
/// filled on one thread, where SipHash was a tenth of resolving. The seed is
/// still random per process.
pub type Map<K, V> = HashMap<K, V, ahash::RandomState>;

/// An element of the model that has a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Elem {
    Category(usize),
    Area(usize),
    Objective(usize, usize),
    Practice(usize, usize, usize),
    Goal(usize),
    GenericPractice(usize, usize),
}

/// Where a reference was written: an element, a glossary term or a free page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Elem(Elem),
    Term(usize),
    Page(usize),
    /// Texts that belong to the site as a whole (notice, levels, clusters).
    Site,
}

/// A reference from somewhere to an element, for "referred to by" lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backref {
    pub from: Owner,
    /// "related", "elaboration" or "text".
    pub how: &'static str,
}

pub struct Book {
    pub model: Model,
    pub ids: Map<String, Elem>,
    pub urls: Map<Elem, String>,
    /// Target element -> the places that refer to it, in model order, no repeats.
    pub backrefs: Map<Elem, Vec<Backref>>,
    /// Old ids (`replaces`) -> the element that replaces each, in model
    /// order; see [`Book::renames`].
    pub renames: Vec<(String, Elem)>,
    /// What changed since the version book.toml's `previous-model` names.
    pub changes: Option<crate::diff::Diff>,
    /// The previous version `changes` was made from, kept for the next
    /// diff while its file stays the same (`serve`).
    pub previous: Option<crate::diff::Previous>,
}

impl Book {
    pub fn id(&self, e: Elem) -> &str {
        &id_loc(&self.model, e).text
    }
    pub fn title(&self, e: Elem) -> &str {
        title_of(&self.model, e)
    }
    pub fn kind(&self, e: Elem) -> &str {
        let t = &self.model.terms;
        match e {
            Elem::Category(_) => &t.category,
            Elem::Area(_) => &t.area,
            Elem::Objective(..) => &t.objective,
            Elem::Practice(..) => &t.practice,
            Elem::Goal(_) => &t.generic_goal,
            Elem::GenericPractice(..) => &t.generic_practice,
        }
    }
    pub fn url(&self, e: Elem) -> &str {
        &self.urls[&e]
    }
    pub fn owner_url(&self, o: Owner) -> String {
        match o {
            Owner::Elem(e) => self.url(e).to_string(),
            Owner::Term(t) => urls::term(&self.model.glossary[t].term.text),
            Owner::Page(p) => urls::page(&self.model.pages[p].slug),
            Owner::Site => urls::HOME.into(),
        }
    }
    pub fn owner_title(&self, o: Owner) -> (String, String) {
        match o {
            Owner::Elem(e) => (self.id(e).to_string(), self.title(e).to_string()),
            Owner::Term(t) => ("Glossary".into(), self.model.glossary[t].term.text.clone()),
            Owner::Page(p) => ("Page".into(), self.model.pages[p].title.clone()),
            Owner::Site => ("Site".into(), self.model.title.clone()),
        }
    }
}

fn title_of(m: &Model, e: Elem) -> &str {
    match e {
        Elem::Category(c) => &m.categories[c].name,
        Elem::Area(a) => &m.areas[a].name,
        Elem::Objective(a, o) => &m.areas[a].objectives[o].title,
        Elem::Practice(a, o, p) => &m.areas[a].objectives[o].practices[p].title,
        Elem::Goal(g) => &m.generic_goals[g].title,
        Elem::GenericPractice(g, p) => &m.generic_goals[g].practices[p].title,
    }
}

fn elements(m: &Model) -> Vec<Elem> {
    let mut out = Vec::new();
    out.extend((0..m.categories.len()).map(Elem::Category));
    for (a, area) in m.areas.iter().enumerate() {
        push_area(&mut out, a, area);
    }
    push_goals(&mut out, m);
    out
}

/// An area, then each objective followed by its practices.
pub fn push_area(out: &mut Vec<Elem>, a: usize, area: &Area) {
    out.push(Elem::Area(a));
    for (o, obj) in area.objectives.iter().enumerate() {
        out.push(Elem::Objective(a, o));
        out.extend((0..obj.practices.len()).map(|p| Elem::Practice(a, o, p)));
    }
}

/// Each generic goal followed by its practices.
pub fn push_goals(out: &mut Vec<Elem>, m: &Model) {
    for (g, goal) in m.generic_goals.iter().enumerate() {
        out.push(Elem::Goal(g));
        out.extend((0..goal.practices.len()).map(|p| Elem::GenericPractice(g, p)));
    }
}

fn id_loc(m: &Model, e: Elem) -> &Str {
    match e {
        Elem::Category(c) => &m.categories[c].id,
        Elem::Area(a) => &m.areas[a].code,
        Elem::Objective(a, o) => &m.areas[a].objectives[o].id,
        Elem::Practice(a, o, p) => &m.areas[a].objectives[o].practices[p].id,
        Elem::Goal(g) => &m.generic_goals[g].id,
        Elem::GenericPractice(g, p) => &m.generic_goals[g].practices[p].id,
    }
}

fn err_at(s: &Str, msg: String) -> Diagnostic {
    Diagnostic::error(s.loc.clone(), msg).len(s.text.chars().count())
}

/// Indexes, checks and cross-links a loaded model. Problems go to `diags`.
pub fn resolve(model: Model, diags: &mut Vec<Diagnostic>) -> Book {
    resolve_again(model, diags, Again::default())
}

/// [`resolve`], knowing the book checked before (see [`Again`]).
pub fn resolve_again(model: Model, diags: &mut Vec<Diagnostic>, again: Again) -> Book {
    let mut book = index(model, diags);
    render_texts(&mut book, diags, again);
    book
}

/// The first half of [`resolve`]: the model in order, its ids, addresses
/// and earlier ids indexed and its structure checked, its texts not yet
/// rendered. What model.json gives (and so a comparison with a previous
/// version) is known from here on.
pub fn index(mut model: Model, diags: &mut Vec<Diagnostic>) -> Book {
    // Before the areas move into category order, so that their problems
    // are told in file order.
    checks::categories(&model, diags);
    order::order_areas(&mut model);
    let elems = elements(&model);
    let mut book = Book {
        ids: Map::with_capacity_and_hasher(elems.len(), Default::default()),
        urls: Map::with_capacity_and_hasher(elems.len(), Default::default()),
        backrefs: Map::default(),
        renames: Vec::new(),
        changes: None,
        previous: None,
        model,
    };
    ids::index(&mut book, &elems, diags);
    replaces::index(&mut book, diags);
    checks::structure(&book, diags);
    book
}

/// The second half of [`resolve`], on a book from [`index`]: its texts
/// rendered, their links checked, and the backrefs they make.
pub fn render_texts(book: &mut Book, diags: &mut Vec<Diagnostic>, again: Again) {
    links::render_texts(book, diags, again);
}

#[cfg(test)]
mod tests {
    use super::sample::*;
    use super::{Elem, Owner};
    use crate::urls;

    #[test]
    fn areas_follow_their_categories_then_the_listed_order_then_file_order() {
        let in_other = |code| {
            let text = area_file(code, "", "").replace("category: core", "category: other");
            area_from(code, &text)
        };
        let areas = vec![
            in_other("GA"),
            area("ZZ", "", ""),
            area("AB", "", ""),
            area("EF", "", ""),
            area("YY", "", ""),
        ];
        let mut m = model(areas);
        m.categories.push(category("other", 4));
        m.categories[0].area_order = Some(vec![
            at("EF", "content/model.yaml", 5, 13),
            at("AB", "content/model.yaml", 5, 17),
        ]);
        let (book, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        let order = area_codes(&book);
        assert_eq!(order, ["EF", "AB", "ZZ", "YY", "GA"]);
        // Indexes follow the new order.
        assert_eq!(book.ids["EF"], Elem::Area(0));
        assert_eq!(book.ids["GA-1.1"], Elem::Practice(4, 0, 0));
    }

    #[test]
    fn a_groups_areas_stand_together_where_its_first_area_stands() {
        let in_group = |code, group| {
            let text = area_file(code, "", "")
                .replace("category: core", &format!("category: core\ngroup: {group}"));
            area_from(code, &text)
        };
        // Listed A1 B1 A2 B2 C1: shown A1 A2 | B1 B2 | C1, in lists and in
        // the flat order alike.
        let mut m = model(vec![
            in_group("A1", "A"),
            in_group("A2", "A"),
            in_group("B1", "B"),
            in_group("B2", "B"),
            in_group("C1", "C"),
        ]);
        m.categories[0].area_order = ["A1", "B1", "A2", "B2", "C1"]
            .iter()
            .map(|c| Some(at(c, "content/model.yaml", 5, 13)))
            .collect();
        let (book, _) = resolved(m);
        let order = area_codes(&book);
        assert_eq!(order, ["A1", "A2", "B1", "B2", "C1"]);
    }

    #[test]
    fn every_owner_has_an_address_and_a_title() {
        let mut m = model(vec![area("EF", "", "")]);
        m.glossary.push(term("work product", "A result."));
        m.pages.push(page("about", "About"));
        let (book, _) = resolved(m);
        let practice = Owner::Elem(Elem::Practice(0, 0, 0));
        assert_eq!(book.owner_url(practice), urls::practice("EF", "EF-1.1"));
        assert_eq!(
            book.owner_title(practice),
            ("EF-1.1".into(), "Practice EF-1.1".into())
        );
        assert_eq!(book.kind(Elem::Practice(0, 0, 0)), "Practice");
        assert_eq!(book.owner_url(Owner::Term(0)), urls::term("work product"));
        assert_eq!(
            book.owner_title(Owner::Term(0)),
            ("Glossary".into(), "work product".into())
        );
        assert_eq!(book.owner_url(Owner::Page(0)), urls::page("about"));
        assert_eq!(
            book.owner_title(Owner::Page(0)),
            ("Page".into(), "About".into())
        );
        assert_eq!(book.owner_url(Owner::Site), urls::HOME);
        assert_eq!(
            book.owner_title(Owner::Site),
            ("Site".into(), "Sample".into())
        );
    }
}
