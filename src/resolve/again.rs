//! Checking a book again (`serve`): the texts of the areas taken unchanged
//! from the book checked before keep their html when every id they name
//! leads where it led, under the same title. Rendering the model's Markdown
//! is most of a check of a large book, and an edit of model.yaml, the
//! glossary's terms or an area's category changes what few texts name.

use super::links::{Targets, TextOutcome};
use super::texts::Text;
use super::{Elem, Map, Owner};
use crate::model::{Area, TextLinks};

/// What a check knows from the book checked before it.
#[derive(Clone, Copy, Default)]
pub struct Again<'b> {
    /// The book before, whose areas taken unchanged (cloned with their
    /// html and [`Area::links`]) are this check's. Its html must be what a
    /// fresh check of it renders.
    pub before: Option<&'b super::Book>,
    /// Whether to record [`Area::links`], and keep the previous version's
    /// view ([`super::Book::previous`]), for the next check.
    pub keep_links: bool,
}

/// The ids one text named, as recorded: the same as before, or new.
pub(super) enum Named {
    /// Not recorded.
    Not,
    /// Its html was kept: the ids are those recorded before.
    Same,
    New(Box<[Box<str>]>),
}

/// Each text's area and place among that area's texts (an area's texts
/// stand together, in the order [`super::texts::area_texts_of`] gives).
pub(super) fn places(texts: &[Text]) -> Vec<Option<(usize, usize)>> {
    let mut last: Option<(usize, usize)> = None;
    texts
        .iter()
        .map(|t| {
            let a = super::patch::area_of(&t.owner)?;
            let i = match last {
                Some((b, i)) if b == a => i + 1,
                _ => 0,
            };
            last = Some((a, i));
            last
        })
        .collect()
}

/// Whether a text that named `named` renders as it did: each id names
/// something now and named the same address and title before.
pub(super) fn unchanged(named: &[Box<str>], now: &Targets, before: &Targets) -> bool {
    named.iter().all(|id| match (now.get(id), before.get(id)) {
        (Some(n), Some(b)) => n.url == b.url && n.title == b.title,
        _ => false,
    })
}

/// The outcome of a text kept as it was: the elements its ids name now.
pub(super) fn kept(owner: Owner, named: &[Box<str>], ids: &Map<String, Elem>) -> TextOutcome {
    let refs = named
        .iter()
        .filter_map(|id| super::links::element(ids, id).map(|e| (owner, e)))
        .collect();
    (refs, Vec::new())
}

/// Records on each area the ids its texts named (`named`, in the order of
/// `places`); an area none of whose texts was rendered keeps the record it
/// came with (`before`).
pub(super) fn record(
    areas: &mut [Area],
    places: &[Option<(usize, usize)>],
    named: Vec<Named>,
    before: &[Option<TextLinks>],
) {
    let mut per_area: Vec<Vec<Named>> = areas.iter().map(|_| Vec::new()).collect();
    for (place, n) in places.iter().zip(named) {
        if let Some((a, _)) = place {
            per_area[*a].push(n);
        }
    }
    for ((area, texts), was) in areas.iter_mut().zip(per_area).zip(before) {
        area.links = match was {
            Some(was) if texts.iter().all(|n| matches!(n, Named::Same)) => Some(was.clone()),
            _ => texts
                .into_iter()
                .enumerate()
                .map(|(i, n)| match n {
                    Named::New(ids) => Some(ids),
                    Named::Same => was.as_ref().and_then(|w| w.get(i)).cloned(),
                    Named::Not => None,
                })
                .collect::<Option<Vec<_>>>()
                .map(Into::into),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Book, as_loaded, resolve_again};
    use super::Again;
    use crate::diag::short;
    use crate::model::{Area, Model};

    /// `m` checked knowing `before`, recording links, with its problems.
    fn again(m: Model, before: Option<&Book>) -> (Book, Vec<String>) {
        let mut diags = Vec::new();
        let again = Again {
            before,
            keep_links: true,
        };
        let book = resolve_again(m, &mut diags, again);
        (book, diags.iter().map(short).collect())
    }

    /// `m` checked knowing `before` is `m` checked afresh: the same html,
    /// backrefs and problems.
    fn same_as_fresh(m: &Model, before: &Book) -> Book {
        let mut bare = m.clone();
        bare.areas = m.areas.iter().map(as_loaded).collect();
        let (fresh, fresh_diags) = again(bare, None);
        let (got, diags) = again(m.clone(), Some(before));
        assert_eq!(diags, fresh_diags);
        assert_eq!(every_html(&got), every_html(&fresh));
        assert_eq!(got.backrefs, fresh.backrefs);
        got
    }

    fn kept(before: &Book, code: &str) -> Area {
        let a = before.model.areas.iter().find(|a| a.code.text == code);
        a.expect("the area").clone()
    }

    fn sample() -> Model {
        let mut m = model(vec![
            area("EF", "", "Intro of EF, see [[XY-1.1]]."),
            area("XY", "", "See [[about]], [[EF-1.1]] and [[EF:GG2.GP1]]."),
            area("AB", "", "Plain [[AB-1]]."),
        ]);
        m.pages.push(page("about", "About"));
        m
    }

    #[test]
    fn a_text_is_rendered_again_only_where_what_it_names_changed() {
        let (mut before, diags) = again(sample(), None);
        assert_eq!(diags, Vec::<String>::new());
        // Marks on the html before: what keeps its mark was not rendered.
        let at = |b: &Book, code| b.model.areas.iter().position(|a| a.code.text == code);
        let (ef, xy) = (at(&before, "EF").unwrap(), at(&before, "XY").unwrap());
        before.model.areas[ef].introduction.html = "KEPT".into();
        before.model.areas[xy].introduction.html = "STALE".into();
        let mut m = sample();
        m.areas = ["EF", "XY", "AB"].map(|c| kept(&before, c)).into();
        m.pages[0].title = "About the model".into();
        let (got, _) = again(m, Some(&before));
        assert_eq!(got.model.areas[ef].introduction.html, "KEPT");
        let xy_html = &got.model.areas[xy].introduction.html;
        assert!(xy_html.contains("About the model"), "{xy_html}");
        // A practice retitled in an area read again: XY names it.
        let mut m = sample();
        let retitled = area_file("EF", "", "Intro of EF, see [[XY-1.1]].")
            .replace("title: Practice EF-1.1", "title: Practice renamed");
        m.areas = vec![
            area_from("EF", &retitled),
            kept(&before, "XY"),
            kept(&before, "AB"),
        ];
        let (got, _) = again(m, Some(&before));
        let xy_html = &got.model.areas[xy].introduction.html;
        assert!(xy_html.contains("Practice renamed"), "{xy_html}");
    }

    #[test]
    fn kept_texts_are_what_a_fresh_check_renders() {
        let (before, _) = again(sample(), None);
        // The page retitled; the areas as they were.
        let mut m = sample();
        m.areas = ["EF", "XY", "AB"].map(|c| kept(&before, c)).into();
        m.pages[0].title = "About the model".into();
        same_as_fresh(&m, &before);
        // AB moved to another category: the kept areas' places change, and
        // the backrefs follow them.
        let mut m = sample();
        m.categories.insert(0, category("first", 2));
        let moved =
            area_file("AB", "", "Plain [[AB-1]].").replace("category: core", "category: first");
        m.areas = vec![
            kept(&before, "EF"),
            kept(&before, "XY"),
            area_from("AB", &moved),
        ];
        let got = same_as_fresh(&m, &before);
        assert_eq!(area_codes(&got), ["AB", "EF", "XY"]);
        // EF-1.1 gone: XY's link to it is reported, as afresh.
        let mut m = sample();
        let gone = area_file("EF", "", "").replace("- id: EF-1.1", "- id: EF-1.2");
        m.areas = vec![
            area_from("EF", &gone),
            kept(&before, "XY"),
            kept(&before, "AB"),
        ];
        let mut bare = m.clone();
        bare.areas = m.areas.iter().map(as_loaded).collect();
        let (_, diags) = again(m, Some(&before));
        assert_eq!(diags, again(bare, None).1);
        assert!(diags.iter().any(|d| d.contains("[[EF-1.1]]")), "{diags:?}");
        // The links recorded again are those a fresh check records.
        let (fresh, _) = again(sample(), None);
        let links =
            |b: &Book| -> Vec<_> { b.model.areas.iter().map(|a| a.links.clone()).collect() };
        let mut m = sample();
        m.areas = ["EF", "XY", "AB"].map(|c| kept(&before, c)).into();
        assert_eq!(links(&again(m, Some(&before)).0), links(&fresh));
    }
}
