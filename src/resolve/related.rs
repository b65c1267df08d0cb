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
/// own (which [`super::relink::relink`] lists again where a reference
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

#[cfg(test)]
mod tests {
    use super::super::patch::replace_area;
    use super::super::sample::*;

    /// Related areas and elaborations added and dropped: each joins or
    /// leaves its target's backrefs in area order, before the texts', and
    /// stands for EF's own text link to the same target.
    #[test]
    fn related_areas_and_elaborations_changed_come_out_as_resolving_all_again() {
        let related = |codes: &[&str], gp: bool| {
            let mut yaml = String::new();
            if !codes.is_empty() {
                yaml += "related:\n";
                for c in codes {
                    yaml += &format!("  - {c}\n");
                }
            }
            if gp {
                yaml += "elaborations:\n  GG2.GP1: For EF, [[XY]].\n";
            }
            area("EF", &yaml, "EF works with [[XY]] and [[ZZ-1]].")
        };
        let book = |ef: super::Area| {
            let m = model(vec![
                area("AA", "related:\n  - XY\n", "[[EF]]"),
                ef,
                area(
                    "ZZ",
                    "related:\n  - XY\nelaborations:\n  GG2.GP1: For ZZ.\n",
                    "[[XY]]",
                ),
                area("XY", "", "[[EF-1]] [[GG2.GP1]]"),
            ]);
            let (b, diags) = resolved(m);
            assert_eq!(diags, Vec::<String>::new());
            b
        };
        let steps = [
            related(&["XY"], false),
            related(&["XY", "ZZ"], true),
            related(&[], true),
            related(&["ZZ", "EF"], false),
            related(&["XY", "XY", "AA"], true),
            related(&[], false),
        ];
        let mut b = book(related(&[], false));
        for (n, new) in steps.into_iter().enumerate() {
            let fresh = book(new.clone());
            replace_area(&mut b, 1, new).unwrap_or_else(|_| panic!("step {n} refused"));
            assert!(
                every_html(&b) == every_html(&fresh),
                "step {n}: texts differ"
            );
            assert_eq!(b.backrefs, fresh.backrefs, "step {n}: backrefs differ");
        }
        // Naming no area or no generic practice: given back.
        for yaml in ["related:\n  - NOPE\n", "elaborations:\n  GG2.GP9: No.\n"] {
            let was = b.backrefs.clone();
            assert!(
                replace_area(&mut b, 1, area("EF", yaml, "")).is_err(),
                "{yaml}"
            );
            assert_eq!(b.backrefs, was);
        }
    }
}
