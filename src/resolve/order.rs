//! The order of the areas, and an area moved in place (`serve`): one that
//! changed its category or group takes the place resolving every file
//! again would give it, and every index that names an area by its place
//! (ids, addresses, backrefs) follows.

use super::{Book, Elem, Map, Owner};
use crate::model::{Area, Model};
use rayon::prelude::*;

/// The areas in category order; inside a category as model.yaml lists
/// them, else in file order; a group's areas brought together where its
/// first area stands. `order[i]` is the place now of the area that comes
/// i-th. `by_file`: the areas are not in file order now, so their file
/// names break ties (else their places do, as a freshly loaded model's
/// are in file order).
pub(super) fn area_order(m: &Model, by_file: bool) -> Vec<usize> {
    let cats: Map<&str, usize> = (m.categories.iter().enumerate())
        .rev()
        .map(|(i, c)| (c.id.text.as_str(), i))
        .collect();
    let key = |a: &Area| -> (usize, usize) {
        let ci = cats
            .get(a.category.text.as_str())
            .copied()
            .unwrap_or(usize::MAX);
        let within = m
            .categories
            .get(ci)
            .and_then(|c| c.area_order.as_ref())
            .and_then(|o| o.iter().position(|s| s.text == a.code.text))
            .unwrap_or(usize::MAX);
        (ci, within)
    };
    let keys: Vec<(usize, usize)> = m.areas.iter().map(key).collect();
    let mut order: Vec<usize> = (0..m.areas.len()).collect();
    // Stable: areas a category does not list keep their file order.
    if by_file {
        order.sort_by(|&x, &y| {
            (keys[x].cmp(&keys[y])).then_with(|| m.areas[x].file.cmp(&m.areas[y].file))
        });
    } else {
        order.sort_by_key(|&x| keys[x]);
    }
    // Lists of areas show them by group, each group where its first area
    // stands; the flat order (previous/next, survey, model.json) must be
    // the order those lists show, so a group's areas are brought together.
    let mut first: Map<(usize, Option<&str>), usize> = Map::default();
    let mut ranked: Vec<(usize, usize, usize)> = order
        .iter()
        .enumerate()
        .map(|(at, &x)| {
            let ci = keys[x].0;
            let g = *first.entry((ci, m.areas[x].group.as_deref())).or_insert(at);
            (ci, g, x)
        })
        .collect();
    ranked.sort_by_key(|(c, g, _)| (*c, *g));
    ranked.into_iter().map(|(_, _, x)| x).collect()
}

/// Puts the model's areas in [`area_order`] (a freshly loaded model's).
pub(super) fn order_areas(m: &mut Model) {
    let order = area_order(m, false);
    permute(&mut m.areas, &order, 0);
}

/// Whether resolving would find nothing wrong with what `area` names as a
/// whole: its category is one of model.yaml's and lists it if any lists
/// it, and its source is one of model.yaml's documents.
pub(super) fn placed(m: &Model, area: &Area) -> bool {
    let category = &area.category.text;
    let known = m.categories.iter().any(|c| c.id.text == *category);
    let listed_elsewhere = m.categories.iter().any(|c| {
        c.id.text != *category
            && (c.area_order.iter().flatten()).any(|code| code.text == area.code.text)
    });
    let source_known = area
        .source
        .as_ref()
        .is_none_or(|s| m.has_source(&s.document.text));
    known && !listed_elsewhere && source_known
}

/// Puts the book's areas where resolving every file again would (an area
/// changed its category or group); the new place of each area. Only the
/// areas between the first and the last that move change places, and only
/// their elements' entries move. The book holds no old ids (their order is
/// the model's).
pub(super) fn reorder(b: &mut Book) -> Vec<usize> {
    let order = area_order(&b.model, true);
    rearrange(b, &order)
}

/// Puts the book's areas in `order` (their places now, in their new
/// order), every index that names an area by its place following; the
/// new place of each area. The book holds no old ids.
pub(super) fn rearrange(b: &mut Book, order: &[usize]) -> Vec<usize> {
    let new_of = places(order);
    let stays = |(i, x): (usize, &usize)| i == *x;
    let Some(lo) = order.iter().enumerate().position(|p| !stays(p)) else {
        return new_of;
    };
    let hi = 1 + order
        .iter()
        .enumerate()
        .rposition(|p| !stays(p))
        .unwrap_or(lo);
    // The entries of the areas that move; none listed when most move, as
    // the maps are then made again whole.
    let size = |a: &Area| {
        1 + a
            .objectives
            .iter()
            .map(|o| 1 + o.practices.len())
            .sum::<usize>()
    };
    let count: usize = b.model.areas[lo..hi].iter().map(size).sum();
    let mut elems = Vec::new();
    if count * 4 <= b.urls.len() {
        for x in lo..hi {
            super::push_area(&mut elems, x, &b.model.areas[x]);
        }
    }
    permute(&mut b.model.areas[lo..hi], &order[lo..hi], lo);
    let moved = |e: Elem| match e {
        Elem::Area(a) => Elem::Area(new_of[a]),
        Elem::Objective(a, o) => Elem::Objective(new_of[a], o),
        Elem::Practice(a, o, p) => Elem::Practice(new_of[a], o, p),
        other => other,
    };
    for e in b.ids.values_mut() {
        *e = moved(*e);
    }
    rayon::join(
        || rekey(&mut b.urls, &elems, &moved),
        || rekey(&mut b.backrefs, &elems, &moved),
    );
    let shifts =
        |e: Elem| super::patch::area_of(&Owner::Elem(e)).is_some_and(|x| x >= lo && x < hi);
    b.backrefs.par_iter_mut().for_each(|(_, list)| {
        let mut any = false;
        for r in list.iter_mut() {
            if let Owner::Elem(e) = r.from
                && shifts(e)
            {
                r.from = Owner::Elem(moved(e));
                any = true;
            }
        }
        // Areas that shift together keep their order among themselves.
        if any {
            super::relink::in_model_order(list);
        }
    });
    new_of
}

/// Where each item goes in `order` (which lists the items' places now in
/// their new order).
pub(super) fn places(order: &[usize]) -> Vec<usize> {
    let mut new_of = vec![0; order.len()];
    for (i, &x) in order.iter().enumerate() {
        new_of[x] = i;
    }
    new_of
}

/// Puts `items` (the model's areas from `lo`, or its pages) in `order` (of
/// their places in the model). One item moved is a rotation, done in place.
pub(super) fn permute<T>(items: &mut [T], order: &[usize], lo: usize) {
    let n = order.len();
    if n < 2 {
        // Nothing to move (and no rotation of an empty slice).
        return;
    }
    let shifted = |by: usize| (0..n).all(|i| order[i] - lo == (i + by) % n);
    if shifted(1) {
        items.rotate_left(1);
    } else if shifted(n - 1) {
        items.rotate_right(1);
    } else {
        // Cycle by cycle: each swap puts the area that belongs at `j` there
        // and carries the cycle's first area on, to where it belongs.
        let mut done = vec![false; n];
        for i in 0..n {
            let mut j = i;
            while !done[j] {
                done[j] = true;
                let k = order[j] - lo;
                if k == i {
                    break;
                }
                items.swap(j, k);
                j = k;
            }
        }
    }
}

/// Moves the entries of `elems` in `map` to their elements' new places,
/// one at a time; with none listed, the map made again (faster when most
/// entries move).
fn rekey<V: Send>(map: &mut Map<Elem, V>, elems: &[Elem], moved: &(dyn Fn(Elem) -> Elem + Sync)) {
    if elems.is_empty() {
        *map = std::mem::take(map)
            .into_iter()
            .map(|(e, v)| (moved(e), v))
            .collect();
    } else {
        let taken: Vec<(Elem, V)> = elems.iter().filter_map(|e| map.remove_entry(e)).collect();
        map.extend(taken.into_iter().map(|(e, v)| (moved(e), v)));
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Elem, patch::replace_area};

    /// Areas moved to another category, to another group, to a category
    /// that lists them, and back: the book equals a fresh resolve of the
    /// same files each time.
    #[test]
    fn an_area_moved_comes_out_as_resolving_all_again() {
        let text = |code: &str, cat: &str, group: Option<&str>, body: &str| {
            let mut t =
                area_file(code, "", body).replace("category: core", &format!("category: {cat}"));
            if let Some(g) = group {
                t = t.replace(
                    &format!("category: {cat}"),
                    &format!("category: {cat}\ngroup: {g}"),
                );
            }
            t
        };
        let files = [
            ("AB", "core", Some("x"), "Links [[EF-1.1]] and [[YY]]."),
            ("EF", "core", None, "See [[AB]] and [[YY-1.1]]."),
            ("GA", "other", None, "See [[EF]]."),
            ("YY", "core", Some("x"), "See [[AB-1.1]]."),
            ("ZZ", "other", None, "See [[YY]] and [[EF]]."),
        ];
        let make = |files: &[(&str, &str, Option<&str>, &str)]| {
            let mut m = model(
                files
                    .iter()
                    .map(|(c, cat, g, body)| area_from(c, &text(c, cat, *g, body)))
                    .collect(),
            );
            m.categories.push(category("other", 4));
            m.categories[1].area_order = Some(vec![at("ZZ", "content/model.yaml", 5, 13)]);
            m
        };
        let (mut b, diags) = resolved(make(&files));
        assert_eq!(diags, Vec::<String>::new());
        let steps: [(&str, &str, Option<&str>); 5] = [
            ("EF", "other", None),
            ("AB", "other", None),
            ("YY", "other", Some("x")),
            ("EF", "core", Some("y")),
            ("AB", "core", Some("x")),
        ];
        let mut now = files;
        for (n, (code, cat, group)) in steps.into_iter().enumerate() {
            let i = now.iter().position(|f| f.0 == code).unwrap();
            now[i].1 = cat;
            now[i].2 = group;
            let body = now[i].3;
            let at = b.ids[code];
            let Elem::Area(at) = at else { panic!() };
            let new = area_from(code, &text(code, cat, group, body));
            let got = replace_area(&mut b, at, new).unwrap_or_else(|_| panic!("step {n}: refused"));
            let (fresh, diags) = resolved(make(&now));
            assert_eq!(diags, Vec::<String>::new(), "step {n}");
            assert_same_book(&b, &fresh, &format!("step {n}"));
            let Elem::Area(placed) = fresh.ids[code] else {
                panic!()
            };
            assert_eq!(got.moved.map_or(at, |m| m[at]), placed, "step {n}");
        }
    }

    /// Rotations either way, and permutations of several cycles, from a
    /// place other than the first.
    #[test]
    fn areas_are_permuted_in_place_as_ordered() {
        let codes = ["AA", "BB", "CC", "DD", "EE"];
        for order in [
            [3, 4, 5, 6, 2],
            [6, 2, 3, 4, 5],
            [3, 2, 5, 6, 4],
            [6, 5, 4, 3, 2],
            [4, 2, 3, 6, 5],
        ] {
            let mut areas: Vec<_> = codes.iter().map(|c| area(c, "", "")).collect();
            super::permute(&mut areas, &order, 2);
            let got: Vec<&str> = areas.iter().map(|a| a.code.text.as_str()).collect();
            let want: Vec<&str> = order.iter().map(|&x| codes[x - 2]).collect();
            assert_eq!(got, want, "{order:?}");
        }
        // A model with no area, or one.
        super::permute::<crate::model::Area>(&mut [], &[], 0);
        let mut one = vec![area("AA", "", "")];
        super::permute(&mut one, &[0], 0);
        assert_eq!(one[0].code.text, "AA");
    }

    /// Entries moved one at a time or with the map made again: the same
    /// map.
    #[test]
    fn entries_move_alike_either_way() {
        let map = || -> super::Map<Elem, String> {
            (0..4)
                .flat_map(|a| {
                    [
                        Elem::Area(a),
                        Elem::Objective(a, 0),
                        Elem::Practice(a, 0, 1),
                    ]
                })
                .chain([Elem::Goal(0)])
                .map(|e| (e, format!("{e:?}")))
                .collect()
        };
        // Areas 1 and 2 swap places.
        let moved = |e: Elem| match e {
            Elem::Area(1) => Elem::Area(2),
            Elem::Area(2) => Elem::Area(1),
            Elem::Objective(a @ 1..=2, o) => Elem::Objective(3 - a, o),
            Elem::Practice(a @ 1..=2, o, p) => Elem::Practice(3 - a, o, p),
            other => other,
        };
        let elems: Vec<Elem> = map().into_keys().filter(|e| moved(*e) != *e).collect();
        let (mut one_by_one, mut again) = (map(), map());
        super::rekey(&mut one_by_one, &elems, &moved);
        super::rekey(&mut again, &[], &moved);
        assert_eq!(one_by_one, again);
        assert_eq!(again[&Elem::Practice(2, 0, 1)], "Practice(1, 0, 1)");
        assert_eq!(again[&Elem::Goal(0)], "Goal(0)");
    }

    /// A category that lists the area under another one, or none known:
    /// resolving reports it, so the area is not taken in place.
    #[test]
    fn a_move_resolving_would_report_is_refused() {
        let mut m = model(vec![area("AB", "", ""), area("EF", "", "")]);
        m.categories.push(category("other", 4));
        m.categories[0].area_order = Some(vec![at("EF", "content/model.yaml", 5, 13)]);
        let (mut b, _) = resolved(m);
        let moved = |cat: &str| {
            area_from(
                "EF",
                &area_file("EF", "", "").replace("category: core", &format!("category: {cat}")),
            )
        };
        assert!(
            replace_area(&mut b, 0, moved("other")).is_err(),
            "listed elsewhere"
        );
        assert!(
            replace_area(&mut b, 0, moved("nowhere")).is_err(),
            "no such category"
        );
        // A source is checked as a category is.
        b.model.sources.push(crate::model::Source {
            id: at("TR", "content/model.yaml", 9, 9),
            short: "TR".into(),
            citation: None,
            year: None,
            notice: None,
        });
        let cited = |doc: &str| area("AB", &format!("source:\n  document: {doc}\n"), "");
        assert!(
            replace_area(&mut b, 1, cited("TX")).is_err(),
            "no such source"
        );
        let r = replace_area(&mut b, 1, cited("TR")).expect("a source of the model");
        assert!(r.moved.is_none());
    }
}
