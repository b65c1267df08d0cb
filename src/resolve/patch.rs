//! One area file edited in place: what `serve` does to show an edit at
//! once. The area takes its old place in the resolved book only when the
//! book then is what resolving every file again would make: the same
//! elements with the same ids and titles in the same places, the same
//! references between them, and no problem in its texts. Otherwise the
//! caller resolves the whole book.

use super::links::{Targets, TextOutcome, render};
use super::texts::area_texts_of;
use super::{Book, Elem, Owner};
use crate::model::{Area, Objective, Practice, Str};
use rayon::prelude::*;
use std::collections::HashSet;

/// Puts `area`, freshly loaded, in the place of area `a` of `b` with its
/// texts rendered; gives it back, `b` untouched, if anything outside the
/// area's own texts would change.
pub fn replace_area(b: &mut Book, a: usize, mut area: Area) -> Result<(), Box<Area>> {
    let Some(old) = b.model.areas.get(a) else {
        return Err(Box::new(area));
    };
    // A previous version's diff lists texts: it is made from the whole book.
    if b.changes.is_some() || frame(old) != frame(&area) {
        return Err(Box::new(area));
    }
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let lost = &b.model.lost;
    let allow_html = b.model.book.allow_html;
    let results: Vec<TextOutcome> = area_texts_of(a, &mut area)
        .par_iter_mut()
        .map(|t| render(t, &targets, lost, allow_html))
        .collect();
    let mut refs = HashSet::new();
    for (found, diags) in results {
        if !diags.is_empty() {
            return Err(Box::new(area));
        }
        refs.extend(found.into_iter().map(|(from, to)| (to, from)));
    }
    // The area's related areas and elaborations are part of its frame:
    // they refer as they did.
    let old_refs = refs_from(b, a);
    refs.retain(|(to, from)| *from != Owner::Elem(*to));
    for (to, from, _) in old_refs.iter().filter(|(_, _, how)| *how != "text") {
        refs.insert((*to, *from));
    }
    let old_refs: HashSet<(Elem, Owner)> = old_refs.iter().map(|(t, f, _)| (*t, *f)).collect();
    // A backref list is ordered by the places' order in the model, which the
    // frame keeps: the same places, the same lists.
    if refs != old_refs {
        return Err(Box::new(area));
    }
    drop(targets);
    b.model.areas[a] = area;
    Ok(())
}

/// What the book records as referring from area `a`'s elements.
fn refs_from(b: &Book, a: usize) -> Vec<(Elem, Owner, &'static str)> {
    let in_area = |o: &Owner| match o {
        Owner::Elem(Elem::Area(x) | Elem::Objective(x, _) | Elem::Practice(x, _, _)) => *x == a,
        _ => false,
    };
    b.backrefs
        .iter()
        .flat_map(|(to, list)| {
            list.iter()
                .filter(|r| in_area(&r.from))
                .map(|r| (*to, r.from, r.how))
        })
        .collect()
}

/// What other pages and the book's indexes know of an area: its elements'
/// ids, titles and places, what it names and replaces. Texts are left out.
fn frame(a: &Area) -> String {
    let strs = |v: &[Str]| v.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
    let practice = |p: &Practice| (p.id.text.clone(), p.title.clone(), strs(&p.replaces));
    let objective = |o: &Objective| {
        (
            o.id.text.clone(),
            o.title.clone(),
            strs(&o.replaces),
            o.practices.iter().map(practice).collect::<Vec<_>>(),
        )
    };
    let related: Vec<&str> = a.related.iter().map(|r| r.area.text.as_str()).collect();
    let elaborated: Vec<&str> = a
        .elaborations
        .iter()
        .map(|(g, _)| g.text.as_str())
        .collect();
    format!(
        "{:?}",
        (
            (&a.code.text, &a.name, &a.category.text, &a.group),
            (
                a.assessable,
                &a.file,
                strs(&a.replaces),
                related,
                elaborated
            ),
            a.objectives.iter().map(objective).collect::<Vec<_>>(),
            a.source
                .as_ref()
                .map(|s| (&s.document.text, &s.section, &s.page)),
        )
    )
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::replace_area;

    /// A book of areas EF (its body `ef`) and XY (linking to EF-1.1 and a page).
    fn book(ef: &str) -> super::Book {
        let mut m = model(vec![
            area("EF", "", ef),
            area("XY", "", "[[EF-1.1]] and [[about]]."),
        ]);
        m.pages.push(page("about", "About"));
        let (b, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    #[test]
    fn an_area_is_put_in_place_as_resolving_all_again_renders_it() {
        // The same references, written otherwise.
        let text = "*New*: [[XY:GG2.GP1]], [[about]], then [[XY-1.1]] twice: [[XY-1.1]].";
        let mut patched = book("See [[XY-1.1]], [[XY:GG2.GP1]] and [[about]].");
        let at = area_codes(&patched)
            .iter()
            .position(|c| *c == "EF")
            .unwrap();
        replace_area(&mut patched, at, area("EF", "", text)).unwrap();
        let fresh = book(text);
        let html = |b: &super::Book| b.model.areas[at].introduction.html.clone();
        assert_eq!(html(&patched), html(&fresh));
        assert!(
            html(&patched).contains("<em>New</em>"),
            "{}",
            html(&patched)
        );
        assert_eq!(patched.backrefs, fresh.backrefs);
    }

    #[test]
    fn what_other_pages_show_of_it_changing_is_refused() {
        let before = "See [[XY-1.1]].";
        let cases = [
            // A link to another element: backrefs change.
            area("EF", "", "See [[XY-1]]."),
            // A link to nothing: an error to report.
            area("EF", "", "See [[NO-SUCH]]."),
            // A title.
            area_from(
                "EF",
                &area_file("EF", "", before).replace("title: Practice EF-1.1", "title: Other"),
            ),
            // A related area.
            area("EF", "related:\n  - XY\n", before),
        ];
        for new in cases {
            let mut b = book(before);
            let at = area_codes(&b).iter().position(|c| *c == "EF").unwrap();
            let old = b.model.areas[at].introduction.html.clone();
            assert!(replace_area(&mut b, at, new).is_err());
            assert_eq!(b.model.areas[at].introduction.html, old, "left as it was");
        }
    }
}
