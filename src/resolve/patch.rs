//! One area file edited in place: what `serve` does to show an edit at
//! once. The area takes its old place in the resolved book when the book
//! then is what resolving every file again would make: the area is what it
//! was (code, file, old ids), its category, source, related areas and
//! elaborations name what they may, its texts render without a problem,
//! and elements added, removed or given another id are ones the book can
//! take (`restructure`). What other places show of it follows it there: a
//! new title is rendered again in every text that links to it, a link, a
//! related area or an elaboration added or dropped joins or leaves the
//! target's backrefs in its place (`related`), and an area given another
//! category or group moves to its place among the areas (`order`).
//! Otherwise the caller resolves the whole book.

use super::links::{Targets, TextOutcome, render, render_naming};
use super::relink::relink;
use super::restructure::{self, elements};
use super::texts::{Text, area_texts_of, texts_in};
use super::{Book, Elem, Owner};
use crate::diag::Diagnostic;
use crate::model::{Area, Md, Model, Str};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};

/// What putting an area in place gave.
#[derive(Debug)]
pub struct Replaced {
    /// The warnings resolving would give of the area.
    pub warnings: Vec<Diagnostic>,
    /// When the area's category or group changed (lists of areas show
    /// it): the new place of each area, the same if none moved.
    pub moved: Option<Vec<usize>>,
}

/// Puts `area`, freshly loaded, in the place of area `a` of `b` with its
/// texts rendered, and what refers to it or from it brought up to date;
/// the areas then moved to where resolving puts them. Gives it back, `b`
/// untouched, if the book could not take it so. A previous version's diff
/// (made from the whole book) is left for the caller to make again.
pub fn replace_area(b: &mut Book, a: usize, area: Area) -> Result<Replaced, Box<Area>> {
    let Some(old) = b.model.areas.get(a) else {
        return Err(Box::new(area));
    };
    let moves = (&old.category.text, &old.group) != (&area.category.text, &area.group);
    let mut refs_named = Vec::new();
    super::checks::area_refs_of(b, &area, &mut refs_named);
    if frame(old) != frame(&area)
        || !refs_named.is_empty()
        || !super::order::placed(&b.model, &area)
        // Old ids are listed in model order.
        || (moves && !b.renames.is_empty())
    {
        return Err(Box::new(area));
    }
    let (was, now) = (elements(a, old), elements(a, &area));
    let reshaped = shape(old) != shape(&area);
    if reshaped && !restructure::may_take(b, a, old, &area, &was, &now) {
        return Err(Box::new(area));
    }
    let old_area = std::mem::replace(&mut b.model.areas[a], area);
    let undo = reshaped.then(|| restructure::reindex(b, &was, &now));
    // Rendered apart from the model, which the targets read for the
    // area's new titles and elements. The site's texts are in no backrefs:
    // they may name an element gone, or show a new title.
    let mut work = b.model.areas[a].clone();
    let mut site = Copies::of(&mut b.model, &HashSet::from([Owner::Site]));
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let (lost, allow_html) = (&b.model.lost, b.model.book.allow_html);
    // What each text names is recorded, as a check records it: the next
    // edit's links are then looked for where they are, and a check again
    // keeps the html of texts whose targets did not change.
    let (results, named): (Vec<TextOutcome>, Vec<_>) = area_texts_of(a, &mut work)
        .par_iter_mut()
        .map(|t| render_naming(t, &targets, lost, allow_html, true))
        .unzip();
    work.links = named
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .map(Into::into);
    let site_ok = site.render(&targets, &b.model);
    drop(targets);
    if !site_ok || results.iter().any(|(_, diags)| !diags.is_empty()) {
        if let Some(undo) = undo {
            restructure::unindex(b, &now, undo);
        }
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
    site.write_back(&mut b.model);
    if reshaped {
        restructure::rekey(b, a, &was);
    }
    super::related::rerelate(b, a, &old_area);
    // With the area's own elements, whatever ids they changed to.
    let own = [Elem::Area(a)]
        .into_iter()
        .chain(was.iter().chain(&now).map(|(e, _)| *e));
    let linked_before = old_area.links.as_ref().and_then(|texts| {
        (texts.iter().flatten())
            .map(|id| super::links::element(&b.ids, id))
            .chain(own.map(Some))
            .collect::<Option<Vec<Elem>>>()
    });
    relink(b, &|o| in_area(a, o), &refs, linked_before.as_deref());
    rerender_links_to(b, a, &retitled(a, &old_area, &b.model.areas[a]));
    let mut warnings = Vec::new();
    super::checks::same_questions_in(&b.model, a, &mut warnings);
    let moved = moves.then(|| super::order::reorder(b));
    Ok(Replaced { warnings, moved })
}

/// The elements of area `a` (as `new` places them) that `old` had under the
/// same id with another title.
fn retitled(a: usize, old: &Area, new: &Area) -> Vec<Elem> {
    let mut was: HashMap<&str, &str> = HashMap::new();
    for o in &old.objectives {
        was.insert(&o.id.text, &o.title);
        for p in &o.practices {
            was.insert(&p.id.text, &p.title);
        }
    }
    let mut out = Vec::new();
    if old.name != new.name {
        out.push(Elem::Area(a));
    }
    let mut changed = |e: Elem, id: &str, title: &str| {
        if was.get(id).is_some_and(|t| *t != title) {
            out.push(e);
        }
    };
    for (oi, o) in new.objectives.iter().enumerate() {
        changed(Elem::Objective(a, oi), &o.id.text, &o.title);
        for (pi, p) in o.practices.iter().enumerate() {
            changed(Elem::Practice(a, oi, pi), &p.id.text, &p.title);
        }
    }
    out
}

/// The area whose element a place is, if it is one.
pub(super) fn area_of(o: &Owner) -> Option<usize> {
    match o {
        Owner::Elem(Elem::Area(x) | Elem::Objective(x, _) | Elem::Practice(x, _, _)) => Some(*x),
        _ => None,
    }
}

pub(super) fn in_area(a: usize, o: &Owner) -> bool {
    area_of(o) == Some(a)
}

/// Renders again, with the titles area `a` now has, every text outside it
/// and the site's that links to an element of `retitled`: a link shows
/// its target's title.
fn rerender_links_to(b: &mut Book, a: usize, retitled: &[Elem]) {
    let owners: HashSet<Owner> = retitled
        .iter()
        .filter_map(|e| b.backrefs.get(e))
        .flatten()
        .filter(|r| r.how == "text" && !in_area(a, &r.from))
        .map(|r| r.from)
        .collect();
    if !owners.is_empty() {
        render_again(b, &owners);
    }
}

/// Renders again every text that may name `name` (a free page retitled):
/// the site's, the glossary's, the pages', the categories' and the generic
/// goals', and those of each area whose recorded links ([`Area::links`])
/// name it or were not recorded.
pub(super) fn rerender_naming(b: &mut Book, name: &str) {
    let owners = naming(b, name);
    render_again(b, &owners);
}

/// The places whose texts may name `name` (see [`rerender_naming`]).
pub(super) fn naming(b: &Book, name: &str) -> HashSet<Owner> {
    let m = &b.model;
    let mut owners: HashSet<Owner> = HashSet::from([Owner::Site]);
    owners.extend((0..m.glossary.len()).map(Owner::Term));
    owners.extend((0..m.pages.len()).map(Owner::Page));
    let mut elems: Vec<Elem> = (0..m.categories.len()).map(Elem::Category).collect();
    super::push_goals(&mut elems, m);
    for (a, area) in m.areas.iter().enumerate() {
        let names = |l: &crate::model::TextLinks| l.iter().flatten().any(|id| &**id == name);
        if area.links.as_ref().is_none_or(names) {
            super::push_area(&mut elems, a, area);
        }
    }
    owners.extend(elems.into_iter().map(Owner::Elem));
    owners
}

/// Whether the texts of `owners` render without a problem when what
/// `name` names at `url` (a free page, the glossary) is gone: none of them
/// names it. Nothing is kept of them.
pub(super) fn render_without(b: &mut Book, owners: &HashSet<Owner>, name: &str, url: &str) -> bool {
    let mut copies = Copies::of(&mut b.model, owners);
    let mut targets = Targets::reading(&b.model, &b.ids, &b.urls);
    targets.forget(name, url);
    copies.render(&targets, &b.model)
}

/// Renders the texts of `owners` again against the book as it is now, for
/// a title that changed. A title decides no link's target: these texts
/// rendered before without a problem, and render so again.
pub(super) fn render_again(b: &mut Book, owners: &HashSet<Owner>) {
    let mut again = Copies::of(&mut b.model, owners);
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    again.render(&targets, &b.model);
    drop(targets);
    again.write_back(&mut b.model);
}

/// Copies of the texts of some places, rendered while the targets read
/// the model, then written back: each with its index among the texts
/// `texts_in` gives of the places' areas.
struct Copies {
    areas: HashSet<usize>,
    texts: Vec<(usize, Md, Owner, bool, u8)>,
}

impl Copies {
    fn of(m: &mut Model, owners: &HashSet<Owner>) -> Copies {
        let areas: HashSet<usize> = owners.iter().filter_map(area_of).collect();
        let texts = texts_in(m, &|a| areas.contains(&a))
            .into_iter()
            .enumerate()
            .filter(|(_, t)| owners.contains(&t.owner))
            .map(|(i, t)| (i, t.md.clone(), t.owner, t.inline, t.shift))
            .collect();
        Copies { areas, texts }
    }

    /// Renders every copy; whether none of them has a problem.
    fn render(&mut self, targets: &Targets, m: &Model) -> bool {
        let (lost, allow_html) = (&m.lost, m.book.allow_html);
        self.texts
            .par_iter_mut()
            .map(|(_, md, owner, inline, shift)| {
                let mut t = Text {
                    md,
                    owner: *owner,
                    inline: *inline,
                    shift: *shift,
                };
                render(&mut t, targets, lost, allow_html).1.is_empty()
            })
            .reduce(|| true, |x, y| x && y)
    }

    fn write_back(self, m: &mut Model) {
        let mut all = texts_in(m, &|a| self.areas.contains(&a));
        for (i, md, ..) in self.texts {
            all[i].md.html = md.html;
        }
    }
}

/// What the book's indexes know of an area as a whole: what it is and
/// replaces. Its elements are `shape`; texts and titles `retitled`; its
/// category, group and source are checked apart (`order::placed`), and
/// its place follows them (`order::reorder`).
fn frame(a: &Area) -> (&str, &str, Vec<String>) {
    (&a.code.text, &a.file, strs(&a.replaces))
}

fn strs(v: &[Str]) -> Vec<String> {
    v.iter().map(|s| s.text.clone()).collect()
}

/// An element's id, and the old ids it replaces.
type Named = (String, Vec<String>);

/// The area's elements: each objective with its practices, in their places.
fn shape(a: &Area) -> Vec<(Named, Vec<Named>)> {
    let named = |id: &Str, replaces: &[Str]| (id.text.clone(), strs(replaces));
    a.objectives
        .iter()
        .map(|o| {
            let practices = o.practices.iter().map(|p| named(&p.id, &p.replaces));
            (named(&o.id, &o.replaces), practices.collect())
        })
        .collect()
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

    /// Every text's html and the backrefs, as a book of areas AA, EF, ZZ
    /// and XY resolved whole: AA, ZZ and the glossary link to XY-1.1 and
    /// EF-1.1 (so that a link EF adds has its place between others).
    fn four(ef: super::Area) -> super::Book {
        four_noting(ef, "[[EF-1]]")
    }

    /// `four`, the site's notice linking to `noted`.
    fn four_noting(ef: super::Area, noted: &str) -> super::Book {
        let mut m = model(vec![
            area("AA", "", "[[XY-1.1]] [[EF-1.1]] [[EF]]"),
            ef,
            area("ZZ", "", "[[EF:GG2.GP1]] then [[XY-1.1]]"),
            area("XY", "", "[[XY-1]] [[EF-1]]"),
        ]);
        m.glossary.push(term("asset", "[[XY-1.1]] and [[EF-1.1]]."));
        let notice = format!("Site notice on {noted}.");
        m.notice = Some(md(&notice, "content/model.yaml", 9, 1));
        let (b, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    #[test]
    fn titles_and_links_changed_come_out_as_resolving_all_again() {
        let ef = |yaml: &str, body: &str, titles: [&str; 3]| {
            let file = area_file("EF", yaml, body)
                .replace("name: Area EF", &format!("name: {}", titles[0]))
                .replace("title: Objective EF-1", &format!("title: {}", titles[1]))
                .replace("title: Practice EF-1.1", &format!("title: {}", titles[2]));
            area_from("EF", &file)
        };
        let plain = ["Area EF", "Objective EF-1", "Practice EF-1.1"];
        let steps = [
            // Each title, then all three.
            ef(
                "",
                "See [[XY-1.1]].",
                ["Enterprise Focus", plain[1], plain[2]],
            ),
            ef("", "See [[XY-1.1]].", [plain[0], "Drivers", plain[2]]),
            ef("", "See [[XY-1.1]].", ["A", "B", "C & <D>"]),
            // A link added (between AA's and ZZ's in XY-1.1's list), one
            // dropped, one to itself, the area asked a generic practice.
            ef("", "See [[XY-1.1]], [[XY]] and [[EF-1.1]].", plain),
            ef("", "See [[XY]] and [[XY:GG2.GP1]].", ["E", "O", "P"]),
            ef("", "No links.", plain),
            ef("", "See [[XY-1]], [[XY-1.1]].", plain),
        ];
        let mut b = four(area("EF", "", "See [[XY-1.1]]."));
        for (n, new) in steps.into_iter().enumerate() {
            let fresh = four(new.clone());
            replace_area(&mut b, 1, new).unwrap_or_else(|_| panic!("step {n} refused"));
            assert!(
                every_html(&b) == every_html(&fresh),
                "step {n}: texts differ"
            );
            assert_eq!(b.backrefs, fresh.backrefs, "step {n}: backrefs differ");
            // What EF's texts name, as a check recording it gives it.
            let mut m = fresh.model.clone();
            m.areas = m.areas.iter().map(super::super::as_loaded).collect();
            let again = super::super::Again {
                before: None,
                keep_links: true,
            };
            let checked = super::super::resolve_again(m, &mut Vec::new(), again);
            assert!(checked.model.areas[1].links.is_some());
            assert_eq!(
                b.model.areas[1].links, checked.model.areas[1].links,
                "step {n}: names recorded"
            );
        }
        // A new title is in the texts that link to it.
        assert!(
            every_html(&b)
                .iter()
                .any(|h| h.contains("EF-1 Objective EF-1"))
        );
    }

    /// EF with `extra` after its practice EF-1.1 (more practices of EF-1,
    /// then objectives), its body linking to XY-1.1.
    fn ef(extra: &str) -> super::Area {
        area("EF", extra, "See [[XY-1.1]].")
    }

    fn practice(id: &str, statement: &str) -> String {
        format!("      - id: {id}\n        title: Practice {id}\n        statement: {statement}\n")
    }

    fn objective(id: &str, practices: &str) -> String {
        format!(
            "  - id: {id}\n    title: Objective {id}\n    statement: So.\n    practices:\n{practices}"
        )
    }

    #[test]
    fn elements_added_moved_or_renamed_come_out_as_resolving_all_again() {
        let same = |b: &super::Book, fresh: &super::Book, step: &str| {
            assert!(every_html(b) == every_html(fresh), "{step}: texts differ");
            assert_eq!(b.backrefs, fresh.backrefs, "{step}: backrefs");
            assert_eq!(b.ids, fresh.ids, "{step}: ids");
            assert_eq!(b.urls, fresh.urls, "{step}: urls");
        };
        let two = objective(
            "EF-2",
            &practice("EF-2.1", "After [[EF-1.2]] and [[XY-1]]."),
        );
        let steps = [
            (
                "a practice added",
                ef(&practice("EF-1.2", "Uses [[XY-1]].")),
            ),
            (
                "an objective added",
                ef(&(practice("EF-1.2", "Uses [[XY-1]].") + &two)),
            ),
            (
                "a practice renamed, its link too",
                ef(&(practice("EF-1.5", "Uses [[ZZ]].")
                    + &objective("EF-2", &practice("EF-2.1", "After [[EF-1.5]].")))),
            ),
            (
                "a practice removed",
                ef(&objective("EF-2", &practice("EF-2.1", "After [[XY-1]]."))),
            ),
        ];
        let mut b = four(ef(""));
        for (step, new) in steps {
            let fresh = four(new.clone());
            replace_area(&mut b, 1, new).unwrap_or_else(|_| panic!("{step}: refused"));
            same(&b, &fresh, step);
        }
        // A practice put first: every index after it moves, EF-1.1's
        // backrefs (from AA and the glossary) with it.
        let first = area_file("EF", "", "See [[XY-1.1]].").replace(
            "      - id: EF-1.1",
            &format!(
                "{}      - id: EF-1.1",
                practice("EF-1.0", "Before [[AA-1.1]].")
            ),
        );
        let new = area_from("EF", &first);
        let fresh = four(new.clone());
        replace_area(&mut b, 1, new).unwrap_or_else(|_| panic!("put first: refused"));
        same(&b, &fresh, "put first");
        assert_eq!(b.ids["EF-1.1"], super::Elem::Practice(1, 0, 1));
    }

    #[test]
    fn an_element_that_others_name_or_a_taken_id_is_refused() {
        let cases = [
            // AA and the glossary link to EF-1.1.
            (
                "EF-1.1 renamed",
                four(ef("")),
                area_from("EF", &area_file("EF", "", "").replace("EF-1.1", "EF-1.9")),
            ),
            (
                "an id taken",
                four(ef("")),
                ef(&practice("XY-1.1", "Taken.")),
            ),
            (
                "an address taken",
                four(ef("")),
                ef(&practice("xy_1.1", "Like XY-1.1.")),
            ),
            ("no address", four(ef("")), ef(&practice("'--'", "None."))),
            (
                "named by the site's notice only",
                four_noting(ef(&practice("EF-1.2", "Here.")), "[[EF-1.2]]"),
                ef(""),
            ),
            (
                "a link to the gone",
                four(ef(&practice("EF-1.2", "Here."))),
                ef(&practice("EF-1.3", "See [[EF-1.2]].")),
            ),
        ];
        for (what, mut b, new) in cases {
            let (html, back) = (every_html(&b), b.backrefs.clone());
            let (ids, urls) = (b.ids.clone(), b.urls.clone());
            assert!(replace_area(&mut b, 1, new).is_err(), "{what}: accepted");
            assert!(
                every_html(&b) == html && b.backrefs == back,
                "{what}: touched"
            );
            assert!(b.ids == ids && b.urls == urls, "{what}: ids touched");
        }
    }

    #[test]
    fn place_orders_owners_as_the_model_lists_its_texts() {
        let mut m = model(vec![area("AA", "", "a"), area("EF", "", "b")]);
        m.categories[0].description = Some(md("Core.", "content/model.yaml", 4, 1));
        m.glossary.push(term("asset", "An asset."));
        m.pages.push(page("about", "About"));
        let places: Vec<_> = super::super::texts::texts(&mut m)
            .iter()
            .filter(|t| t.owner != super::Owner::Site)
            .map(|t| super::super::relink::place(t.owner))
            .collect();
        assert!(places.len() > 8, "{places:?}");
        assert!(places.is_sorted(), "{places:?}");
    }

    #[test]
    fn what_changes_the_frame_is_refused() {
        let before = "See [[XY-1.1]].";
        let cases = [
            // A link to nothing: an error to report.
            area("EF", "", "See [[NO-SUCH]]."),
            // A related area that names no area: an error to report.
            area("EF", "related:\n  - NOPE\n", before),
            // A practice added that replaces an old id (renames are the
            // whole book's).
            area(
                "EF",
                "      - id: EF-1.2\n        title: More\n        statement: More.\n        replaces: [OLD-1]\n",
                before,
            ),
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
