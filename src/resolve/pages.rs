//! A free page's file added or removed in place (`serve`). A page added
//! renders against the book with its address known, its links join their
//! targets' backrefs, and the pages take the order loading gives them. A
//! page removed must be named by no text: the texts that may name it
//! (`patch::naming`) render without it first. Every page's menu lists the
//! pages. Otherwise the caller resolves the whole book.

use super::free_texts::{moved, page_body, rendered_apart, reorder_pages};
use super::{Book, Elem, Owner};
use crate::model::{Md, Page};
use std::collections::HashSet;

/// Adds `page`, freshly loaded from a file the book does not have; the
/// elements whose backrefs changed. Gives it back, `b` untouched, when
/// another page has its address, its sources are not all model.yaml's,
/// or its body has a problem.
pub fn add_page(b: &mut Book, mut page: Page) -> Result<Vec<Elem>, Box<Page>> {
    let taken = b.model.pages.iter().any(|p| p.slug == page.slug);
    if taken || !page.sources_known(&b.model) {
        return Err(Box::new(page));
    }
    // Known, with its title, while its body renders: the body may name
    // its own page.
    let n = b.model.pages.len();
    b.model.pages.push(Page {
        slug: page.slug.clone(),
        title: page.title.clone(),
        order: page.order,
        body: Md::empty_at(&page.body.loc),
        sources: page.sources.clone(),
    });
    let Some(refs) = rendered_apart(b, vec![page_body(&mut page.body, n)]) else {
        b.model.pages.pop();
        return Err(Box::new(page));
    };
    b.model.pages[n] = page;
    let changed = moved(b, &|o| *o == Owner::Page(n), refs);
    reorder_pages(b);
    Ok(changed)
}

/// Removes the free page read from `file` (its file is gone); the
/// elements whose backrefs changed. `None`, `b` untouched, when a text
/// names the page.
pub fn remove_page(b: &mut Book, file: &str) -> Option<Vec<Elem>> {
    let p = (b.model.pages.iter()).position(|pg| &*pg.body.loc.file == file)?;
    let slug = b.model.pages[p].slug.clone();
    let mut owners = super::patch::naming(b, &slug);
    owners.remove(&Owner::Page(p));
    if !super::patch::render_without(b, &owners, &slug, &crate::urls::page(&slug)) {
        return None;
    }
    let changed = moved(b, &|o| *o == Owner::Page(p), HashSet::new());
    b.model.pages.remove(p);
    // The pages after it come one place earlier, in the same order.
    for list in b.backrefs.values_mut() {
        for r in list.iter_mut() {
            if let Owner::Page(x) = r.from
                && x > p
            {
                r.from = Owner::Page(x - 1);
            }
        }
    }
    Some(changed)
}

#[cfg(test)]
mod tests {
    use super::super::Book;
    use super::super::sample::*;
    use super::{add_page, remove_page};
    use crate::model::{Model, Page};

    /// Page `slug` with `order` and `body`, from `content/pages/<slug>.md`.
    fn page_of(slug: &str, order: i64, body: &str) -> Page {
        let mut p = page(slug, &format!("Page {slug}"));
        p.order = order;
        p.body = md(body, &format!("content/pages/{slug}.md"), 4, 1);
        p
    }

    /// Areas EF (linking to `ef_links`) and XY, the pages `pages` (in the
    /// order loading gives them) and a glossary term.
    fn model_of(pages: &[Page], ef_links: &str) -> Model {
        let mut m = model(vec![
            area("EF", "", ef_links),
            area("XY", "", "See [[EF-1]]."),
        ]);
        let mut pages = pages.to_vec();
        pages.sort_by(|x, y| x.rank().cmp(&y.rank()));
        m.pages = pages;
        m.glossary.push(term("plan", "A plan, as in [[XY-1.1]]."));
        m
    }

    fn book_of(pages: &[Page], ef_links: &str) -> Book {
        let (b, diags) = resolved(model_of(pages, ef_links));
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    /// Pages added before, between and after others, linking to elements,
    /// to another page and to themselves, then removed: the book equals a
    /// fresh resolve each time, and the elements whose backrefs changed
    /// are told.
    #[test]
    fn pages_added_and_removed_come_out_as_resolving_all_again() {
        let first = page_of("about", 5, "About [[EF-1.1]].");
        let added = [
            page_of(
                "guide",
                7,
                "A guide to [[XY-1.1]], [[about]] and [[guide]].",
            ),
            page_of("aaa", 1, "First, on [[EF]]."),
            page_of("mid", 6, "No links."),
        ];
        let mut now = vec![first];
        let mut b = book_of(&now, "");
        for p in &added {
            let changed =
                add_page(&mut b, p.clone()).unwrap_or_else(|_| panic!("{} refused", p.slug));
            now.push(p.clone());
            assert_same_book(&b, &book_of(&now, ""), &format!("add {}", p.slug));
            let links = p.body.src.contains("[[EF]]") || p.body.src.contains("[[XY-1.1]]");
            assert_eq!(!changed.is_empty(), links, "{}", p.slug);
        }
        let xy = b.ids["XY-1.1"];
        for slug in ["aaa", "guide", "about", "mid"] {
            let file = format!("content/pages/{slug}.md");
            let changed = remove_page(&mut b, &file).unwrap_or_else(|| panic!("{slug} kept"));
            now.retain(|p| p.slug != slug);
            assert_same_book(&b, &book_of(&now, ""), &format!("remove {slug}"));
            if slug == "guide" {
                assert!(changed.contains(&xy), "{changed:?}");
            }
        }
        assert!(b.model.pages.is_empty());
        assert!(
            !b.backrefs
                .values()
                .flatten()
                .any(|r| matches!(r.from, super::Owner::Page(_)))
        );
    }

    /// What resolving would report is refused, the book left as it was:
    /// a page added at another page's address or with an unknown source or
    /// a link to nothing; a page removed that an area's text, the site's
    /// notice or another page names.
    #[test]
    fn a_page_added_or_removed_that_resolving_would_report_is_refused() {
        let pages = [
            page_of("about", 5, "About."),
            page_of("guide", 6, "See [[about]]."),
        ];
        let was = book_of(&pages, "");
        let mut b = book_of(&pages, "");
        let mut other_file = page_of("about", 1, "Another about.");
        other_file.body.loc.file = "content/pages/About.md".into();
        let mut sourced = page_of("new", 1, "");
        sourced.sources = Some(vec![at("nope", "content/pages/new.md", 3, 10)]);
        for p in [other_file, sourced, page_of("new", 1, "See [[NOPE]].")] {
            assert!(add_page(&mut b, p).is_err());
            assert_same_book(&b, &was, "add refused");
        }
        // "about" is named by "guide".
        assert!(remove_page(&mut b, "content/pages/about.md").is_none());
        assert_same_book(&b, &was, "named by a page");
        // ...by an area's text, and by the site's notice.
        let one = [page_of("about", 5, "About.")];
        let was = book_of(&one, "See [[about]].");
        let mut b = book_of(&one, "See [[about]].");
        assert!(remove_page(&mut b, "content/pages/about.md").is_none());
        assert_same_book(&b, &was, "named by an area");
        let mut m = model_of(&one, "");
        m.notice = Some(md("Read [[about]].", "content/model.yaml", 9, 1));
        let (mut b, diags) = resolved(m.clone());
        assert_eq!(diags, Vec::<String>::new());
        assert!(remove_page(&mut b, "content/pages/about.md").is_none());
        assert_same_book(&b, &resolved(m).0, "named by the notice");
        // A file that is no page's.
        assert!(remove_page(&mut b, "content/pages/none.md").is_none());
    }
}
