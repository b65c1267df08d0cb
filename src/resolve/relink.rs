//! The backrefs of texts put in place (`serve`): a text's links dropped
//! leave their targets' lists, its links added join them where resolving
//! the whole book puts them.

use super::{Backref, Book, Elem, Owner};
use rayon::prelude::*;
use std::collections::HashSet;

/// Makes the backrefs that the texts of the places `mine` picks (an
/// area's, the glossary's) record those of `refs` (target, place): a link
/// dropped leaves its target's list, a link added joins it where resolving
/// the whole book puts it. `before`: every element the places' texts linked
/// to (and maybe more), whose lists alone can hold their links; without
/// it, every list is looked at.
pub(super) fn relink(
    b: &mut Book,
    mine: &(dyn Fn(&Owner) -> bool + Sync),
    refs: &HashSet<(Elem, Owner)>,
    before: Option<&[Elem]>,
) {
    let drop_gone = |to: &Elem, list: &mut Vec<Backref>| {
        list.retain(|r| r.how != "text" || !mine(&r.from) || refs.contains(&(*to, r.from)));
        list.is_empty().then_some(*to)
    };
    let emptied: Vec<Elem> = match before {
        Some(before) => {
            let lists: HashSet<Elem> = before.iter().copied().collect();
            (lists.iter())
                .filter_map(|to| drop_gone(to, b.backrefs.get_mut(to)?))
                .collect()
        }
        // At S=100 looking at every list took about 10 ms: on both cores.
        None => (b.backrefs.par_iter_mut())
            .filter_map(|(to, list)| drop_gone(to, list))
            .collect(),
    };
    for e in emptied {
        b.backrefs.remove(&e);
    }
    for &(to, from) in refs {
        let list = b.backrefs.entry(to).or_default();
        // A place is listed once, as it first refers (a related area before
        // its texts).
        if list.iter().any(|r| r.from == from) {
            continue;
        }
        let at = list
            .iter()
            .position(|r| r.how == "text" && place(r.from) > place(from))
            .unwrap_or(list.len());
        list.insert(at, Backref { from, how: "text" });
    }
}

/// Where the texts of a place come in the model's order of texts
/// (`texts::texts`), which orders each target's list of text backrefs.
/// The site's own texts refer to nothing in those lists.
pub(super) fn place(o: Owner) -> (u8, usize, usize, usize) {
    match o {
        Owner::Site => (0, 0, 0, 0),
        Owner::Elem(Elem::Category(c)) => (1, c, 0, 0),
        Owner::Elem(Elem::Area(x)) => (2, x, 0, 0),
        Owner::Elem(Elem::Objective(x, o)) => (2, x, o + 1, 0),
        Owner::Elem(Elem::Practice(x, o, p)) => (2, x, o + 1, p + 1),
        Owner::Elem(Elem::Goal(g)) => (3, g, 0, 0),
        Owner::Elem(Elem::GenericPractice(g, p)) => (3, g, p + 1, 0),
        Owner::Term(t) => (4, t, 0, 0),
        Owner::Page(p) => (5, p, 0, 0),
    }
}

/// Sorts a target's backrefs as resolving lists them (the areas' related
/// areas and elaborations in area order, then the texts in model order),
/// after the places they come from moved; most lists are still in order.
pub(super) fn in_model_order(list: &mut [Backref]) {
    let key = |r: &Backref| (r.how == "text", place(r.from));
    if !list.is_sorted_by_key(key) {
        list.sort_by_key(key);
    }
}
