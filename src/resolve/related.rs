//! An area's related areas and elaborated generic practices changed in
//! place (`serve`). Each is a backref of its target, listed before the
//! texts' and in area order, and stands for the area's own text links to
//! that target: a place is listed once, as it first refers.

use super::{Backref, Book, Elem, Owner};
use crate::model::Area;

/// What `area` refers to as area `a`, each target once, as the backrefs
/// record it: related areas, then elaborated generic practices.
fn refers(b: &Book, a: usize, area: &Area) -> Vec<(Elem, &'static str)> {
    let related = (area.related.iter()).map(|r| (&r.area.text, "related"));
    let elaborated = (area.elaborations.iter()).map(|(gp, _)| (&gp.text, "elaboration"));
    let mut out: Vec<(Elem, &'static str)> = Vec::new();
    for (id, how) in related.chain(elaborated) {
        let Some(&t) = b.ids.get(id) else { continue };
        if t != Elem::Area(a) && !out.iter().any(|(seen, _)| *seen == t) {
            out.push((t, how));
        }
    }
    out
}

/// Brings area `a`'s related and elaboration backrefs from what `old`
/// referred to to what the book's area `a` refers to now. A reference gone
/// leaves its target's list; a new one joins it among the areas'
/// references, in area order, in the place of a text link of the area's
/// own (which [`super::patch::relink`] lists again where a reference
/// went).
pub(super) fn rerelate(b: &mut Book, a: usize, old: &Area) {
    let from = Owner::Elem(Elem::Area(a));
    let was = refers(b, a, old);
    let now = refers(b, a, &b.model.areas[a]);
    for (t, how) in was.iter().filter(|r| !now.contains(r)) {
        if let Some(list) = b.backrefs.get_mut(t) {
            list.retain(|r| !(r.from == from && r.how == *how));
            if list.is_empty() {
                b.backrefs.remove(t);
            }
        }
    }
    for &(t, how) in now.iter().filter(|r| !was.contains(r)) {
        let list = b.backrefs.entry(t).or_default();
        list.retain(|r| r.from != from);
        let later = |r: &Backref| match r.from {
            Owner::Elem(Elem::Area(x)) if r.how != "text" => x > a,
            _ => true,
        };
        let at = list.iter().position(later).unwrap_or(list.len());
        list.insert(at, Backref { from, how });
    }
}
