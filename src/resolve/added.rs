//! An area file added or removed in place (`serve`). An area added stands
//! first as a frame of itself (its code, name and place, nothing in it) at
//! the end of the areas, and is then put in place like an edited area
//! (`replace_area`): its elements are new ids, its texts render against the
//! book, and it then moves to its place among the areas (`order`). An area
//! removed is put in place as its frame, which nothing outside it may name,
//! and the frame then leaves from the end of the areas. Otherwise the
//! caller resolves the whole book.

use super::patch::{Replaced, in_area, replace_area};
use super::restructure::addresses_free;
use super::{Book, Elem, MAX_SLUG, ids::url_of, order};
use crate::model::{Area, Md, slug};
use std::collections::HashSet;

/// Adds `area`, freshly loaded from a file the book does not have, where
/// resolving every file again would put it; the new place of each area
/// (the added one was last). Gives it back, `b` untouched, if the book
/// could not take it so. A previous version's diff (made from the whole
/// book) is left for the caller to make again.
pub fn add_area(b: &mut Book, area: Area) -> Result<Replaced, Box<Area>> {
    let code = area.code.text.clone();
    let sl = slug(&code);
    // Old ids are followed in model order.
    let named = b.ids.contains_key(&code) || b.renames.iter().any(|(old, _)| *old == code);
    if !b.renames.is_empty()
        || !area.replaces.is_empty()
        || named
        || sl.is_empty()
        || sl.len() > MAX_SLUG
        || !addresses_free(b, &HashSet::new(), &[(sl, true)])
    {
        return Err(Box::new(area));
    }
    let n = b.model.areas.len();
    b.model.areas.push(frame_of(&area));
    b.ids.insert(code.clone(), Elem::Area(n));
    b.urls
        .insert(Elem::Area(n), url_of(&b.model, Elem::Area(n)));
    match replace_area(b, n, area) {
        Ok(r) => Ok(Replaced {
            warnings: r.warnings,
            moved: Some(order::reorder(b)),
        }),
        Err(area) => {
            b.model.areas.pop();
            b.ids.remove(&code);
            b.urls.remove(&Elem::Area(n));
            Err(area)
        }
    }
}

/// Removes area `a`, whose file is gone; the new place of each area (the
/// removed one's is the number of areas left). `None`, `b` untouched, when
/// something outside the area names it or one of its elements, or
/// model.yaml lists it.
pub fn remove_area(b: &mut Book, a: usize) -> Option<Vec<usize>> {
    let old = b.model.areas.get(a)?;
    let code = old.code.text.clone();
    let m = &b.model;
    let listed = (m
        .categories
        .iter()
        .flat_map(|c| c.area_order.iter().flatten()))
    .chain(m.clusters.iter().flat_map(|c| &c.areas))
    .any(|s| s.text == code);
    // Its elements' own backrefs are checked as they go (`restructure`).
    let named_outside =
        (b.backrefs.get(&Elem::Area(a))).is_some_and(|l| l.iter().any(|r| !in_area(a, &r.from)));
    if !b.renames.is_empty() || listed || named_outside {
        return None;
    }
    // Out of the ids, so that a site text naming it does not render.
    let e = b.ids.remove(&code)?;
    let frame = frame_of(old);
    if replace_area(b, a, frame).is_err() {
        b.ids.insert(code, e);
        return None;
    }
    // The frame holds nothing that anything names: it goes from the end.
    let n = b.model.areas.len();
    let to_end: Vec<usize> = (0..n).filter(|&x| x != a).chain([a]).collect();
    let new_of = order::rearrange(b, &to_end);
    b.model.areas.pop();
    b.urls.remove(&Elem::Area(n - 1));
    Some(new_of)
}

/// The area as a whole, with nothing in it: no elements, no texts, no
/// references.
fn frame_of(area: &Area) -> Area {
    let empty = |md: &Md| Md::empty_at(&md.loc);
    Area {
        code: area.code.clone(),
        name: area.name.clone(),
        category: area.category.clone(),
        group: area.group.clone(),
        status: None,
        assessable: area.assessable,
        purpose: empty(&area.purpose),
        related: Vec::new(),
        objectives: Vec::new(),
        elaborations: Vec::new(),
        introduction: empty(&area.introduction),
        file: area.file.clone(),
        replaces: Vec::new(),
        source: area.source.clone(),
        links: None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Book, Elem};
    use super::{add_area, remove_area};
    use crate::model::{Area, Model};

    /// Area `code` in category `cat` (and `group`), with `yaml` and `body`.
    fn placed(code: &str, cat: &str, group: Option<&str>, yaml: &str, body: &str) -> Area {
        let place = match group {
            Some(g) => format!("category: {cat}\ngroup: {g}"),
            None => format!("category: {cat}"),
        };
        area_from(
            code,
            &area_file(code, yaml, body).replace("category: core", &place),
        )
    }

    /// The model of `areas` (given in file order, as loading reads them),
    /// categories `core` and `other`, a page and a site notice that link
    /// to EF-1.
    fn model_of(mut areas: Vec<Area>) -> Model {
        areas.sort_by(|x, y| x.file.cmp(&y.file));
        let mut m = model(areas);
        m.categories.push(category("other", 4));
        m.pages.push(page("about", "About"));
        m.notice = Some(md("Notice on [[EF-1]].", "content/model.yaml", 9, 1));
        m
    }

    fn book_of(areas: &[Area]) -> Book {
        let (b, diags) = resolved(model_of(areas.to_vec()));
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    fn base() -> Vec<Area> {
        vec![
            placed("AB", "core", None, "", "AB links [[EF-1.1]]."),
            placed("EF", "core", None, "", "EF is the focus."),
            placed("ZZ", "other", None, "", "ZZ links [[AB]]."),
        ]
    }

    /// Areas added in each place (between others of a category by file,
    /// first of another, into a group, linking, related and elaborating,
    /// linked to by nothing yet), then removed: the book equals a fresh
    /// resolve of the same files each time, and the place given is the
    /// area's.
    #[test]
    fn areas_added_and_removed_come_out_as_resolving_all_again() {
        let added = [
            placed(
                "CD",
                "core",
                None,
                "",
                "CD links [[EF-1.1]], [[ZZ]] and [[GG2.GP1]].",
            ),
            placed(
                "AA",
                "other",
                None,
                "related:\n  - EF\n",
                "AA asks [[EF:GG2.GP1]].",
            ),
            placed(
                "MM",
                "core",
                Some("g"),
                "elaborations:\n  GG2.GP1: For MM, [[AB-1]].\n",
                "MM.",
            ),
            placed("CORE", "other", None, "", "Its address is its category's."),
        ];
        let mut now = base();
        let mut b = book_of(&now);
        for (n, area) in added.iter().enumerate() {
            let r = add_area(&mut b, area.clone()).unwrap_or_else(|_| panic!("add {n} refused"));
            now.push(area.clone());
            let fresh = book_of(&now);
            assert_same_book(&b, &fresh, &format!("add {n}"));
            let new_of = r.moved.expect("the new places");
            let at = area_codes(&fresh).iter().position(|c| *c == area.code.text);
            assert_eq!(Some(new_of[b.model.areas.len() - 1]), at, "add {n}");
        }
        for code in ["MM", "CD", "CORE", "AA"] {
            let a = area_codes(&b).iter().position(|c| *c == code).unwrap();
            let new_of = remove_area(&mut b, a).unwrap_or_else(|| panic!("remove {code} refused"));
            now.retain(|x| x.code.text != code);
            let fresh = book_of(&now);
            assert_same_book(&b, &fresh, &format!("remove {code}"));
            assert_eq!(new_of[a], b.model.areas.len(), "remove {code}");
        }
    }

    /// What resolving would report of an area added is refused, the book
    /// left as it was: a code or id another element has, a code with
    /// another's address, a link to nothing, an unknown related area or
    /// category, an old id replaced.
    #[test]
    fn an_area_added_that_resolving_would_report_is_refused() {
        let mut taken = placed("NW", "core", None, "", "");
        taken.objectives[0].practices[0].id.text = "EF-1.1".into();
        let mut like = placed("NW", "core", None, "", "");
        like.objectives[0].id.text = "ab_1".into();
        // Codes that another element has, or whose address another has
        // (the elements' own ids are free).
        let coded = |code: &str| {
            let mut a = placed("NW", "other", None, "", "");
            a.code.text = code.into();
            a
        };
        let refused = [
            coded("EF"),
            coded("ef"),
            coded("ab_1"),
            coded("ZZ-1.1"),
            placed("NW", "core", None, "", "See [[NOPE-1]]."),
            placed("NW", "core", None, "related:\n  - NOPE\n", ""),
            placed("NW", "nowhere", None, "", ""),
            placed("NW", "core", None, "replaces: [OLD]\n", ""),
            taken,
            like,
        ];
        let was = book_of(&base());
        let mut b = book_of(&base());
        for (n, area) in refused.into_iter().enumerate() {
            assert!(add_area(&mut b, area).is_err(), "case {n} taken");
            assert_same_book(&b, &was, &format!("case {n}"));
        }
        // The same area without what was wrong is taken.
        assert!(add_area(&mut b, placed("NW", "core", None, "", "")).is_ok());
    }

    /// An area removed that something else names is refused, the book left
    /// as it was: a link from another area, a site text's link to one of
    /// its elements, a related area, a link to a generic practice as asked
    /// of it, model.yaml's lists.
    #[test]
    fn an_area_removed_that_is_named_elsewhere_is_refused() {
        let place = |b: &Book, code: &str| area_codes(b).iter().position(|c| *c == code).unwrap();
        let mut b = book_of(&base());
        let was = book_of(&base());
        // AB is linked from ZZ, EF-1 from the notice.
        for code in ["AB", "EF"] {
            let a = place(&b, code);
            assert!(remove_area(&mut b, a).is_none(), "{code} removed");
            assert_same_book(&b, &was, code);
        }
        let mut areas = base();
        areas.push(placed(
            "NW",
            "other",
            None,
            "related:\n  - ZZ\n",
            "Asks [[ZZ:GG2.GP1]].",
        ));
        areas.push(placed("QQ", "other", None, "related:\n  - NW\n", ""));
        let mut b = book_of(&areas);
        let was = book_of(&areas);
        let a = place(&b, "NW");
        assert!(remove_area(&mut b, a).is_none(), "related from QQ");
        assert_same_book(&b, &was, "NW");
        // ZZ only asked of by NW's link, and related by NW: removing ZZ
        // is refused, NW first is refused too (QQ relates it).
        let a = place(&b, "ZZ");
        assert!(remove_area(&mut b, a).is_none(), "ZZ named by NW");
        assert_same_book(&b, &was, "ZZ");
        // The site's notice names ZZ itself (the site's texts are in no
        // backrefs).
        let mut m = model_of(base());
        m.notice = Some(md("Notice on [[ZZ]].", "content/model.yaml", 9, 1));
        let (mut b, diags) = resolved(m.clone());
        assert_eq!(diags, Vec::<String>::new());
        let a = place(&b, "ZZ");
        assert!(remove_area(&mut b, a).is_none(), "ZZ named by the notice");
        assert_same_book(&b, &resolved(m).0, "ZZ in the notice");
        // Listed by a category or a cluster.
        for list in [0, 1] {
            let mut m = model_of(base());
            let code = at("ZZ", "content/model.yaml", 5, 13);
            if list == 0 {
                m.categories[1].area_order = Some(vec![code]);
            } else {
                m.clusters.push(crate::model::Cluster {
                    id: at("c", "content/model.yaml", 6, 9),
                    name: "C".into(),
                    description: None,
                    areas: vec![code],
                    figure: None,
                    nodes: Vec::new(),
                    relations: Vec::new(),
                });
            }
            let (mut b, diags) = resolved(m.clone());
            assert_eq!(diags, Vec::<String>::new());
            let before = resolved(m).0;
            let z = b.ids["ZZ"];
            let Elem::Area(z) = z else { panic!() };
            // Nothing links to ZZ but its listing.
            assert!(remove_area(&mut b, z).is_none(), "listed {list}");
            assert_same_book(&b, &before, "listed");
        }
    }
}
