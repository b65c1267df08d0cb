//! What the book needs of an area file whose elements changed (one added,
//! removed, moved or given another id) to take it in place (see
//! `replace_area`): the new ids checked as resolving the whole book checks
//! them, the book's ids and addresses moved to the new elements, and the
//! backrefs moved with their element's id.

use super::ids::url_of;
use super::patch::in_area;
use super::{Backref, Book, Elem, MAX_SLUG};
use crate::model::{Area, slug, slug_start};
use std::collections::{HashMap, HashSet};

/// Whether the book can take the area's new elements without resolving
/// again: every new id free and making an address of its own, nothing
/// outside the area naming an element that is gone (the site's texts are
/// checked as they render), and no element replacing an old id (those
/// follow their element through the whole book's renames).
pub(super) fn may_take(
    b: &Book,
    a: usize,
    old: &Area,
    new: &Area,
    was: &[(Elem, String)],
    now: &[(Elem, String)],
) -> bool {
    !replaces(old) && !replaces(new) && ids_free(b, was, now) && unreferenced(b, a, was, now)
}

/// The ids and addresses `reindex` took away.
pub(super) type Unindex = (Vec<(String, Elem)>, Vec<(Elem, String)>);

/// The book's ids and addresses for the area's elements `now` (the area is
/// in the model) instead of `was`; what they were, for `unindex`.
pub(super) fn reindex(b: &mut Book, was: &[(Elem, String)], now: &[(Elem, String)]) -> Unindex {
    let (mut ids, mut urls) = (Vec::new(), Vec::new());
    for (e, id) in was {
        ids.extend(b.ids.remove_entry(id));
        urls.extend(b.urls.remove(e).map(|u| (*e, u)));
    }
    for (e, id) in now {
        b.ids.insert(id.clone(), *e);
        b.urls.insert(*e, url_of(&b.model, *e));
    }
    (ids, urls)
}

/// Puts back the ids and addresses `reindex` took away.
pub(super) fn unindex(b: &mut Book, now: &[(Elem, String)], (ids, urls): Unindex) {
    for (e, id) in now {
        b.ids.remove(id);
        b.urls.remove(e);
    }
    b.ids.extend(ids);
    b.urls.extend(urls);
}

/// The objectives and practices of area `a`, in order, with their ids.
pub(super) fn elements(a: usize, area: &Area) -> Vec<(Elem, String)> {
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
    let mut fresh = Vec::new();
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
        fresh.push((sl, false));
    }
    addresses_free(b, &gone, &fresh)
}

/// Whether none of the book's ids but those `gone` makes one of the
/// addresses `fresh`; one marked `true` is an area's code, which may make
/// the address of a category (their pages stand apart). One pass over the
/// ids, whatever the number of addresses: an area added brings dozens.
pub(super) fn addresses_free(b: &Book, gone: &HashSet<&str>, fresh: &[(String, bool)]) -> bool {
    if fresh.is_empty() {
        return true;
    }
    let wanted: HashMap<&str, bool> = fresh.iter().map(|(s, code)| (s.as_str(), *code)).collect();
    // Most ids start otherwise: their addresses are not made.
    let mut starts = [false; 256];
    for c in fresh.iter().filter_map(|(s, _)| s.bytes().next()) {
        starts[usize::from(c)] = true;
    }
    b.ids.iter().all(|(id, &e)| {
        if !slug_start(id).is_some_and(|c| starts[usize::from(c)]) || gone.contains(id.as_str()) {
            return true;
        }
        match wanted.get(slug(id).as_str()) {
            None => true,
            Some(&code) => code && matches!(e, Elem::Category(_)),
        }
    })
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
pub(super) fn rekey(b: &mut Book, a: usize, was: &[(Elem, String)]) {
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
