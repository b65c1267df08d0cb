//! An area file whose elements changed (one added, removed, moved or given
//! another id) put into a resolved book in place, for `serve`: the book's
//! ids and addresses follow the area's new elements, the backrefs follow
//! them by id, and the area's texts render against them. Only when the
//! whole book resolved again would give the same: every new id free and
//! making an address of its own, no text elsewhere naming an element that
//! is gone, and no element that replaces an old id (those follow their
//! element through the whole book's renames). Otherwise the caller
//! resolves the whole book.

use super::ids::url_of;
use super::links::{Targets, TextOutcome, render};
use super::patch::{
    copies, in_area, relink, render_copies, rerender_links_to, retitled, warnings_of,
};
use super::texts::area_texts_of;
use super::{Backref, Book, Elem, MAX_SLUG, Owner};
use crate::diag::Diagnostic;
use crate::model::{Area, slug, slug_is};
use rayon::prelude::*;
use std::collections::HashSet;

/// [`super::replace_area`] for an area whose elements changed.
pub(super) fn replace(b: &mut Book, a: usize, area: Area) -> Result<Vec<Diagnostic>, Box<Area>> {
    let old = &b.model.areas[a];
    let was = elements(a, old);
    let now = elements(a, &area);
    if replaces(old)
        || replaces(&area)
        || !ids_free(b, &was, &now)
        || !unreferenced(b, a, &was, &now)
    {
        return Err(Box::new(area));
    }
    // The book's ids and addresses take the new elements now; the old ones
    // go back if a text cannot be rendered with them.
    let mut old_ids = Vec::new();
    let mut old_urls = Vec::new();
    for (e, id) in &was {
        old_ids.extend(b.ids.remove_entry(id));
        old_urls.extend(b.urls.remove(e).map(|u| (*e, u)));
    }
    let old_area = std::mem::replace(&mut b.model.areas[a], area);
    for (e, id) in &now {
        b.ids.insert(id.clone(), *e);
        b.urls.insert(*e, url_of(&b.model, *e));
    }
    let mut work = b.model.areas[a].clone();
    // The site's texts are in no backrefs: they may name an element gone.
    let mut site = copies(&mut b.model, &HashSet::from([Owner::Site]));
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let (lost, allow_html) = (&b.model.lost, b.model.book.allow_html);
    let results: Vec<TextOutcome> = area_texts_of(a, &mut work)
        .par_iter_mut()
        .map(|t| render(t, &targets, lost, allow_html))
        .collect();
    let site_ok = render_copies(&mut site, &targets, &b.model);
    drop(targets);
    let ok = site_ok && results.iter().all(|(_, d)| d.is_empty());
    if !ok {
        for (e, id) in &now {
            b.ids.remove(id);
            b.urls.remove(e);
        }
        b.ids.extend(old_ids);
        b.urls.extend(old_urls);
        let new = std::mem::replace(&mut b.model.areas[a], old_area);
        return Err(Box::new(new));
    }
    let refs: HashSet<(Elem, Owner)> = results
        .into_iter()
        .flat_map(|(found, _)| found)
        .filter(|(from, to)| *from != Owner::Elem(*to))
        .map(|(from, to)| (to, from))
        .collect();
    b.model.areas[a] = work;
    rekey(b, a, &was);
    relink(b, a, &refs);
    let retitled = retitled(a, &old_area, &b.model.areas[a]);
    if !retitled.is_empty() {
        rerender_links_to(b, a, &retitled);
    }
    Ok(warnings_of(b, a))
}

/// The objectives and practices of area `a`, in order, with their ids.
fn elements(a: usize, area: &Area) -> Vec<(Elem, String)> {
    let mut out = Vec::new();
    for (oi, o) in area.objectives.iter().enumerate() {
        out.push((Elem::Objective(a, oi), o.id.text.clone()));
        for (pi, p) in o.practices.iter().enumerate() {
            out.push((Elem::Practice(a, oi, pi), p.id.text.clone()));
        }
    }
    out
}

fn replaces(area: &Area) -> bool {
    area.objectives
        .iter()
        .any(|o| !o.replaces.is_empty() || o.practices.iter().any(|p| !p.replaces.is_empty()))
}

/// Every id of `now` makes an address (`ids::index`'s checks), and each one
/// the area did not have is free: no element has it or an address like
/// it, and no element replaces it.
fn ids_free(b: &Book, was: &[(Elem, String)], now: &[(Elem, String)]) -> bool {
    let gone: HashSet<&str> = was.iter().map(|(_, id)| id.as_str()).collect();
    let mut mine = HashSet::new();
    for (_, id) in now {
        let sl = slug(id);
        if sl.is_empty() || sl.len() > MAX_SLUG || !mine.insert(sl.clone()) {
            return false;
        }
        if gone.contains(id.as_str()) {
            continue;
        }
        if b.ids.contains_key(id) || b.renames.iter().any(|(old, _)| old == id) {
            return false;
        }
        if b.ids
            .keys()
            .any(|k| !gone.contains(k.as_str()) && slug_is(k, &sl))
        {
            return false;
        }
    }
    true
}

/// No place outside area `a` refers to an element of it that is gone.
fn unreferenced(b: &Book, a: usize, was: &[(Elem, String)], now: &[(Elem, String)]) -> bool {
    let kept: HashSet<&str> = now.iter().map(|(_, id)| id.as_str()).collect();
    was.iter()
        .filter(|(_, id)| !kept.contains(id.as_str()))
        .all(|(e, _)| {
            b.backrefs
                .get(e)
                .is_none_or(|l| l.iter().all(|r| in_area(a, &r.from)))
        })
}

/// Moves the backrefs of the area's elements to where their ids now stand
/// (`b.ids` is the new one); the area's own text references are left out,
/// for `relink` to put back.
fn rekey(b: &mut Book, a: usize, was: &[(Elem, String)]) {
    let mut moved = Vec::new();
    for (e, id) in was {
        let Some(list) = b.backrefs.remove(e) else {
            continue;
        };
        let list: Vec<Backref> = list
            .into_iter()
            .filter(|r| r.how != "text" || !in_area(a, &r.from))
            .collect();
        if let Some(&now) = b.ids.get(id)
            && !list.is_empty()
        {
            moved.push((now, list));
        }
    }
    b.backrefs.extend(moved);
}
