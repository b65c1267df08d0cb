//! The glossary, the free pages and the categories' descriptions edited
//! in place, as `serve` shows an edit to them at once: terms added,
//! removed, renamed or reordered, or given other definitions; a page at the
//! same address with another body, title, order or sources; a category's
//! description from the same file. The texts are rendered (again, where
//! they show a title that changed), and the elements they link to have
//! their backrefs brought up to date. Otherwise the caller resolves the
//! whole book. model.yaml is `model_text`'s.

use super::links::{Targets, TextOutcome, render};
use super::relink::relink;
use super::texts::Text;
use super::{Book, Elem, Owner};
use crate::diag::{Diagnostic, has_errors};
use crate::model::{Md, Page, Term};
use std::collections::HashSet;

/// Puts `terms`, freshly loaded, in the place of the book's glossary, with
/// terms added, removed, renamed or reordered: a term is a place texts are
/// referred to from (its backrefs move with its place), and no link names
/// one. Returns the elements whose backrefs changed or name a term, the
/// warnings, and whether the glossary came or went (every page's menu
/// links to it, and `[[glossary]]` names it). Gives the terms back, `b`
/// untouched, when the book cannot take them so: the glossary goes while
/// a text names it; a definition or a check of the glossary has a
/// problem. A previous version's diff (made from the whole book) is left
/// for the caller to make again.
pub fn replace_glossary(
    b: &mut Book,
    mut terms: Vec<Term>,
) -> Result<(Vec<Elem>, Vec<Diagnostic>, bool), Vec<Term>> {
    let comes_or_goes = terms.is_empty() != b.model.glossary.is_empty();
    if terms.is_empty() && comes_or_goes && glossary_named(b) {
        return Err(terms);
    }
    let texts = (terms.iter_mut().enumerate())
        .map(|(i, t)| Text {
            md: &mut t.definition,
            owner: Owner::Term(i),
            inline: false,
            shift: 2,
        })
        .collect();
    let Some(refs) = rendered_apart(b, texts) else {
        return Err(terms);
    };
    let mut diags: Vec<Diagnostic> = Vec::new();
    let old = std::mem::replace(&mut b.model.glossary, terms);
    super::checks::glossary(&b.model, &mut diags);
    if has_errors(&diags) {
        return Err(std::mem::replace(&mut b.model.glossary, old));
    }
    let changed = moved(b, &|o| matches!(o, Owner::Term(_)), refs);
    Ok((changed, diags, comes_or_goes))
}

/// Whether a text other than the glossary's names `[[glossary]]`.
fn glossary_named(b: &mut Book) -> bool {
    let mut owners = super::patch::naming(b, "glossary");
    owners.retain(|o| !matches!(o, Owner::Term(_)));
    !super::patch::render_without(b, &owners, "glossary", crate::urls::GLOSSARY)
}

/// Puts `page`, freshly loaded, in the place of the book's page at its
/// address; returns the elements whose backrefs changed, and whether every
/// page shows the change (their menus list the pages' titles in order):
/// each text that may name a page retitled is rendered again, and the
/// pages take the order loading gives them. Gives the page back, `b`
/// untouched, when the book cannot take it so: no page has its address,
/// or its sources are not all model.yaml's, or its body has a problem.
pub fn replace_page(b: &mut Book, mut page: Page) -> Result<(Vec<Elem>, bool), Box<Page>> {
    // Another file of the same address is another page (which resolving
    // reports).
    let file = &page.body.loc.file;
    let at = (b.model.pages.iter()).position(|p| p.slug == page.slug && p.body.loc.file == *file);
    let Some(p) = at.filter(|_| page.sources_known(&b.model)) else {
        return Err(Box::new(page));
    };
    // The body may name its own page: under the new title.
    let title = std::mem::replace(&mut b.model.pages[p].title, page.title.clone());
    let Some(refs) = rendered_apart(b, vec![page_body(&mut page.body, p)]) else {
        b.model.pages[p].title = title;
        return Err(Box::new(page));
    };
    let retitled = title != page.title;
    let reordered = b.model.pages[p].order != page.order;
    let slug = page.slug.clone();
    b.model.pages[p] = page;
    let changed = moved(b, &|o| *o == Owner::Page(p), refs);
    if retitled {
        super::patch::rerender_naming(b, &slug);
    }
    if reordered {
        reorder_pages(b);
    }
    Ok((changed, retitled || reordered))
}

/// The body of page `p` as a text to render, as `texts` lists it.
pub(super) fn page_body(md: &mut Md, p: usize) -> Text<'_> {
    Text {
        md,
        owner: Owner::Page(p),
        inline: false,
        shift: 1,
    }
}

/// Puts the pages in the order loading gives them (by `order`, then by
/// address), the backrefs their texts make following them.
pub(super) fn reorder_pages(b: &mut Book) {
    let pages = &b.model.pages;
    let mut order: Vec<usize> = (0..pages.len()).collect();
    order.sort_by(|&x, &y| pages[x].rank().cmp(&pages[y].rank()));
    let new_of = super::order::places(&order);
    super::order::permute(&mut b.model.pages, &order, 0);
    for list in b.backrefs.values_mut() {
        for r in list.iter_mut() {
            if let Owner::Page(p) = r.from {
                r.from = Owner::Page(new_of[p]);
            }
        }
        super::relink::in_model_order(list);
    }
}

/// Puts `description`, freshly loaded from its file, in the place of the
/// description of the category `id`; returns the elements whose backrefs
/// changed. Gives it back, `b` untouched, when the book cannot take it so:
/// the category had no description, or one from another file; or the text
/// has a problem.
pub fn replace_category_text(b: &mut Book, id: &str, description: Md) -> Result<Vec<Elem>, Md> {
    let at = b.model.categories.iter().position(|c| {
        c.id.text == id
            && (c.description.as_ref()).is_some_and(|d| d.loc.file == description.loc.file)
    });
    let Some(c) = at else {
        return Err(description);
    };
    let mut description = description;
    let owner = Owner::Elem(Elem::Category(c));
    let text = Text {
        md: &mut description,
        owner,
        inline: false,
        shift: 1,
    };
    let Some(refs) = rendered_apart(b, vec![text]) else {
        return Err(description);
    };
    b.model.categories[c].description = Some(description);
    let mut changed = moved(b, &|o| *o == owner, refs);
    changed.push(Elem::Category(c));
    Ok(changed)
}

/// Renders `texts`, which are not in the model, as the book's own: the
/// links they make (target, place), or `None` if one has a problem.
pub(super) fn rendered_apart(b: &Book, mut texts: Vec<Text>) -> Option<HashSet<(Elem, Owner)>> {
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let (lost, allow_html) = (&b.model.lost, b.model.book.allow_html);
    let results: Vec<TextOutcome> = (texts.iter_mut())
        .map(|t| render(t, &targets, lost, allow_html))
        .collect();
    if results.iter().any(|(_, d)| !d.is_empty()) {
        return None;
    }
    // A place is not among its own backrefs (a category naming itself).
    let refs = results
        .into_iter()
        .flat_map(|(found, _)| found)
        .filter(|(from, to)| *from != Owner::Elem(*to))
        .map(|(from, to)| (to, from))
        .collect();
    Some(refs)
}

/// Makes `refs` the backrefs of the places `mine` picks; the elements
/// whose backrefs this changes (those the places linked to, or now link to).
pub(super) fn moved(
    b: &mut Book,
    mine: &(dyn Fn(&Owner) -> bool + Sync),
    refs: HashSet<(Elem, Owner)>,
) -> Vec<Elem> {
    let mut changed: HashSet<Elem> = refs.iter().map(|(to, _)| *to).collect();
    for (to, list) in &b.backrefs {
        if list.iter().any(|r| r.how == "text" && mine(&r.from)) {
            changed.insert(*to);
        }
    }
    relink(b, mine, &refs, None);
    changed.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::{replace_category_text, replace_glossary, replace_page};
    use crate::model::Term;

    const BEFORE: [(&str, &str); 2] = [("plan", "As in [[EF-1.1]]."), ("risk", "A risk.")];

    /// The book with these terms.
    fn book(terms: &[(&str, &str)]) -> super::Book {
        book_with(|m| m.glossary = terms_of(terms))
    }

    fn terms_of(terms: &[(&str, &str)]) -> Vec<Term> {
        terms.iter().map(|(t, d)| term(t, d)).collect()
    }

    #[test]
    fn a_glossary_is_put_in_place_as_resolving_all_again_renders_it() {
        let after = [
            ("plan", "As in [[XY-1.1]] and [[EF]]."),
            ("risk", "See [[XY-1.1]]."),
        ];
        let mut b = book(&BEFORE);
        let (changed, warnings, _) = replace_glossary(&mut b, terms_of(&after)).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let fresh = book(&after);
        assert_eq!(b.backrefs, fresh.backrefs);
        for (got, want) in b.model.glossary.iter().zip(&fresh.model.glossary) {
            assert_eq!(got.definition.html, want.definition.html);
        }
        // The link dropped and the two added.
        for id in ["EF-1.1", "XY-1.1", "EF"] {
            assert!(changed.contains(&b.ids[id]), "{id}: {changed:?}");
        }
        assert_eq!(changed.len(), 3, "{changed:?}");
    }

    /// Terms added, removed, renamed or reordered: each term's backrefs
    /// go with its place, as a whole resolve gives them.
    #[test]
    fn terms_added_removed_or_moved_are_put_in_place_as_resolving_all_again() {
        let linked = [("plan", "As in [[EF-1.1]]."), ("risk", "See [[XY-1.1]].")];
        for (why, after) in [
            (
                "a term added first",
                vec![("audit", "An [[EF-1.1]] audit."), linked[0], linked[1]],
            ),
            ("the terms reordered", vec![linked[1], linked[0]]),
            (
                "a term renamed",
                vec![linked[0], ("risks", "See [[XY-1.1]].")],
            ),
            ("a term removed", vec![linked[1]]),
        ] {
            let mut b = book(&linked);
            let (changed, ..) = replace_glossary(&mut b, terms_of(&after)).expect(why);
            let fresh = book(&after);
            assert_eq!(b.backrefs, fresh.backrefs, "{why}");
            let html = |b: &super::Book| -> Vec<String> {
                (b.model.glossary.iter())
                    .map(|t| t.definition.html.clone())
                    .collect()
            };
            assert_eq!(html(&b), html(&fresh), "{why}");
            // Every element a term refers to shows the terms again.
            for id in ["EF-1.1", "XY-1.1"] {
                let named = after.iter().any(|(_, d)| d.contains(id));
                assert!(!named || changed.contains(&b.ids[id]), "{why}: {id}");
            }
        }
    }

    #[test]
    fn a_glossary_with_a_problem_leaves_the_book_as_it_was() {
        let mut see_nothing = terms_of(&BEFORE);
        see_nothing[1].see_also = vec![at("plam", "content/glossary.yaml", 3, 15)];
        for (why, terms) in [
            (
                "a term twice",
                terms_of(&[BEFORE[0], BEFORE[1], ("plan", "Again.")]),
            ),
            (
                "a link to nothing",
                terms_of(&[("plan", "[[NO-9]]"), BEFORE[1]]),
            ),
            ("see_also naming nothing", see_nothing),
        ] {
            let mut b = book(&BEFORE);
            let backrefs = b.backrefs.clone();
            let given = replace_glossary(&mut b, terms);
            assert!(given.is_err(), "{why}: taken");
            assert_eq!(b.backrefs, backrefs, "{why}");
            assert_eq!(b.model.glossary[0].definition.src, BEFORE[0].1, "{why}");
            assert!(
                b.model.glossary[0].definition.html.contains("EF-1.1"),
                "{why}"
            );
        }
    }

    /// A glossary that goes, then comes back: the book is a fresh
    /// resolve's each time, and the change shows on every page. One that
    /// a text names does not go.
    #[test]
    fn a_glossary_comes_and_goes_as_resolving_all_again() {
        let mut b = book(&BEFORE);
        let (changed, _, everywhere) = replace_glossary(&mut b, Vec::new()).unwrap();
        assert!(everywhere && changed.contains(&b.ids["EF-1.1"]));
        assert_same_book(&b, &book(&[]), "gone");
        let (_, _, everywhere) = replace_glossary(&mut b, terms_of(&BEFORE)).unwrap();
        assert!(everywhere);
        assert_same_book(&b, &book(&BEFORE), "back");
        // A page names it.
        let named = || {
            book_with(|m| {
                m.glossary = terms_of(&BEFORE);
                let mut p = page("about", "About");
                p.body = md("See the [[glossary]].", "content/pages/about.md", 4, 1);
                m.pages.push(p);
            })
        };
        let (mut b, was) = (named(), named());
        assert!(replace_glossary(&mut b, Vec::new()).is_err());
        assert_same_book(&b, &was, "named");
    }

    /// The book with a page of this body.
    fn with_page(body: &str) -> super::Book {
        book_with(|m| {
            let mut p = page("about", "About");
            p.body = md(body, "content/pages/about.md", 4, 1);
            m.pages.push(p);
        })
    }

    #[test]
    fn a_page_is_put_in_place_as_resolving_all_again_renders_it() {
        let mut b = with_page("See [[EF-1.1]].");
        let fresh = with_page("See [[XY-1.1]] and [[EF]].");
        let (changed, retitled) = replace_page(&mut b, fresh.model.pages[0].clone()).unwrap();
        assert!(!retitled);
        assert_eq!(b.backrefs, fresh.backrefs);
        assert_eq!(b.model.pages[0].body.html, fresh.model.pages[0].body.html);
        for id in ["EF-1.1", "XY-1.1", "EF"] {
            assert!(changed.contains(&b.ids[id]), "{id}: {changed:?}");
        }
    }

    /// A page retitled: every text that names it shows the new title, as a
    /// whole resolve renders it.
    #[test]
    fn a_page_retitled_is_put_in_place_with_every_text_that_names_it() {
        let with = |title: &str| {
            book_with(|m| {
                let mut p = page("about", title);
                p.body = md("This [[about]] page.", "content/pages/about.md", 4, 1);
                m.pages.push(p);
                m.areas[1].introduction.src = "See [[about]].".into();
                m.glossary = terms_of(&[("plan", "As in [[about]].")]);
            })
        };
        // As serve holds it: what each area's texts name recorded.
        let mut b = with("About");
        let m = b.model.clone();
        let again = super::super::Again {
            before: None,
            keep_links: true,
        };
        b = super::super::resolve_again(m, &mut Vec::new(), again);
        assert!(b.model.areas.iter().all(|a| a.links.is_some()));
        let fresh = with("About Us");
        let (_, retitled) = replace_page(&mut b, fresh.model.pages[0].clone()).unwrap();
        assert!(retitled);
        assert_eq!(every_html(&b), every_html(&fresh));
        assert!(
            every_html(&b)
                .iter()
                .filter(|h| h.contains("About Us"))
                .count()
                >= 3
        );
        assert_eq!(b.backrefs, fresh.backrefs);
    }

    /// Three pages linking to EF-1.1, the first moved last and back: the
    /// pages' order, their texts' backrefs and their sources as a whole
    /// resolve gives them.
    #[test]
    fn a_page_reordered_or_given_sources_is_put_in_place() {
        let with = |orders: [i64; 3], sources: Option<&str>| {
            book_with(|m| {
                m.sources.push(crate::model::Source {
                    id: at("TR", "content/model.yaml", 9, 9),
                    short: "TR".into(),
                    citation: None,
                    year: None,
                    notice: None,
                });
                for (slug, order) in ["about", "help", "intro"].into_iter().zip(orders) {
                    let mut p = page(slug, slug);
                    p.order = order;
                    let file = format!("content/pages/{slug}.md");
                    p.body = md("See [[EF-1.1]] and [[about]].", &file, 4, 1);
                    if slug == "about" {
                        p.sources = sources.map(|d| vec![at(d, &file, 3, 10)]);
                    }
                    m.pages.push(p);
                }
                m.pages.sort_by(|a, b| a.rank().cmp(&b.rank()));
            })
        };
        let mut b = with([1, 2, 3], None);
        let steps = [
            ([9, 2, 3], None, true),
            ([9, 2, 3], Some("TR"), false),
            ([0, 2, 3], None, true),
        ];
        for (orders, sources, menus) in steps {
            let fresh = with(orders, sources);
            let about = fresh
                .model
                .pages
                .iter()
                .find(|p| p.slug == "about")
                .unwrap();
            let (_, everywhere) = replace_page(&mut b, about.clone()).unwrap();
            assert_eq!(everywhere, menus, "{orders:?}");
            let slugs = |b: &super::Book| {
                b.model
                    .pages
                    .iter()
                    .map(|p| p.slug.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(slugs(&b), slugs(&fresh), "{orders:?}");
            assert_eq!(b.backrefs, fresh.backrefs, "{orders:?}");
            assert_eq!(every_html(&b), every_html(&fresh), "{orders:?}");
        }
    }

    #[test]
    fn a_page_with_another_address_unknown_sources_or_a_problem_is_given_back() {
        let new = || with_page("[[XY-1.1]]").model.pages[0].clone();
        let mut moved = new();
        moved.slug = "about-us".into();
        let mut cited = new();
        cited.sources = Some(vec![at("NO-DOC", "content/pages/about.md", 3, 10)]);
        let mut broken = new();
        broken.body = md("[[NO-9]]", "content/pages/about.md", 4, 1);
        for (why, p) in [
            ("another address", moved),
            ("a source model.yaml lacks", cited),
            ("a link to nothing", broken),
        ] {
            let mut b = with_page("See [[EF-1.1]].");
            let backrefs = b.backrefs.clone();
            assert!(replace_page(&mut b, p).is_err(), "{why}: taken");
            assert_eq!(b.backrefs, backrefs, "{why}");
            assert_eq!(b.model.pages[0].body.src, "See [[EF-1.1]].", "{why}");
        }
    }

    /// The book with its category described so.
    fn with_category(text: &str) -> super::Book {
        book_with(|m| {
            m.categories[0].description = Some(md(text, "content/categories/core.md", 1, 1))
        })
    }

    #[test]
    fn a_category_s_description_is_put_in_place_from_its_file_only() {
        let mut b = with_category("See [[EF-1.1]].");
        let fresh = with_category("See [[XY-1.1]] in [[core]].");
        let text = fresh.model.categories[0].description.clone().unwrap();
        let changed = replace_category_text(&mut b, "core", text.clone()).unwrap();
        assert_eq!(b.backrefs, fresh.backrefs);
        let html = |b: &super::Book| {
            b.model.categories[0]
                .description
                .as_ref()
                .unwrap()
                .html
                .clone()
        };
        assert_eq!(html(&b), html(&fresh));
        for id in ["EF-1.1", "XY-1.1", "core"] {
            assert!(changed.contains(&b.ids[id]), "{id}: {changed:?}");
        }
        // From another file, of another category, or with a link to nothing.
        let mut other = text.clone();
        other.loc.file = "content/categories/other.md".into();
        let broken = md("[[NO-9]]", "content/categories/core.md", 1, 1);
        for (why, id, text) in [
            ("another file", "core", other),
            ("no such category", "none", text),
            ("a link to nothing", "core", broken),
        ] {
            let mut b = with_category("See [[EF-1.1]].");
            let backrefs = b.backrefs.clone();
            assert!(
                replace_category_text(&mut b, id, text).is_err(),
                "{why}: taken"
            );
            assert_eq!(b.backrefs, backrefs, "{why}");
        }
    }
}
