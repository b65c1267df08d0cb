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
