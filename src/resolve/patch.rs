//! One area file edited in place: what `serve` does to show an edit at
//! once. The area takes its old place in the resolved book when the book
//! then is what resolving every file again would make: the same elements
//! with the same ids in the same places, and no problem in its texts. What
//! other places show of it follows it there: a new title is rendered again
//! in every text that links to it, and a link added or dropped joins or
//! leaves the target's backrefs in its place. Anything else (an element
//! added, an id changed, a related area) is left to the caller, which
//! resolves the whole book.

use super::links::{Targets, TextOutcome, render};
use super::texts::{Text, area_texts_of, texts};
use super::{Backref, Book, Elem, Owner};
use crate::diag::Diagnostic;
use crate::model::{Area, Md, Objective, Practice, Str};
use rayon::prelude::*;
use std::collections::HashSet;

/// Puts `area`, freshly loaded, in the place of area `a` of `b` with its
/// texts rendered, and what refers to it or from it brought up to date;
/// returns the warnings resolving would give of it. Gives it back, `b`
/// untouched, if the book's frame would change or a text has a problem.
pub fn replace_area(b: &mut Book, a: usize, mut area: Area) -> Result<Vec<Diagnostic>, Box<Area>> {
    let Some(old) = b.model.areas.get(a) else {
        return Err(Box::new(area));
    };
    // A previous version's diff lists texts: it is made from the whole book.
    if b.changes.is_some() || frame(old) != frame(&area) {
        return Err(Box::new(area));
    }
    let retitled = retitled(a, old, &area);
    // The area's own links to what it retitles show the new titles.
    let targets = Targets::reading(&b.model, &b.ids, &b.urls).retitled(&retitled);
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
        refs.extend(
            found
                .into_iter()
                .filter(|(from, to)| *from != Owner::Elem(*to))
                .map(|(from, to)| (to, from)),
        );
    }
    drop(targets);
    relink(b, a, &refs);
    b.model.areas[a] = area;
    if !retitled.is_empty() {
        rerender_links_to(b, a, &retitled);
    }
    let mut warnings = Vec::new();
    super::checks::same_questions_in(&b.model, a, &mut warnings);
    Ok(warnings)
}

/// The elements of area `a` whose title `new` changes, with the new title.
fn retitled(a: usize, old: &Area, new: &Area) -> Vec<(Elem, String)> {
    let mut out = Vec::new();
    if old.name != new.name {
        out.push((Elem::Area(a), new.name.clone()));
    }
    for (oi, (o, n)) in old.objectives.iter().zip(&new.objectives).enumerate() {
        if o.title != n.title {
            out.push((Elem::Objective(a, oi), n.title.clone()));
        }
        for (pi, (p, q)) in o.practices.iter().zip(&n.practices).enumerate() {
            if p.title != q.title {
                out.push((Elem::Practice(a, oi, pi), q.title.clone()));
            }
        }
    }
    out
}

fn in_area(a: usize, o: &Owner) -> bool {
    match o {
        Owner::Elem(Elem::Area(x) | Elem::Objective(x, _) | Elem::Practice(x, _, _)) => *x == a,
        _ => false,
    }
}

/// Makes the backrefs that area `a`'s texts record those of `refs`
/// (target, place): a link dropped leaves its target's list, a link added
/// joins it where resolving the whole book puts it.
fn relink(b: &mut Book, a: usize, refs: &HashSet<(Elem, Owner)>) {
    let mut emptied = Vec::new();
    for (to, list) in b.backrefs.iter_mut() {
        list.retain(|r| r.how != "text" || !in_area(a, &r.from) || refs.contains(&(*to, r.from)));
        if list.is_empty() {
            emptied.push(*to);
        }
    }
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
fn place(o: Owner) -> (u8, usize, usize, usize) {
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

/// Renders again, with the titles area `a` now has, every text outside it
/// that links to an element of `retitled`: a link shows its target's title.
/// The site's texts are not in backrefs, and are few: all of them. The
/// texts are rendered as copies, as the targets read the model.
fn rerender_links_to(b: &mut Book, a: usize, retitled: &[(Elem, String)]) {
    let mut owners: HashSet<Owner> = retitled
        .iter()
        .filter_map(|(e, _)| b.backrefs.get(e))
        .flatten()
        .filter(|r| r.how == "text" && !in_area(a, &r.from))
        .map(|r| r.from)
        .collect();
    owners.insert(Owner::Site);
    let mut again: Vec<(usize, Md, Owner, bool, u8)> = texts(&mut b.model)
        .into_iter()
        .enumerate()
        .filter(|(_, t)| owners.contains(&t.owner))
        .map(|(i, t)| (i, t.md.clone(), t.owner, t.inline, t.shift))
        .collect();
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let (lost, allow_html) = (&b.model.lost, b.model.book.allow_html);
    // Titles decide no link's target: these texts rendered before without
    // a problem, and render so again.
    again
        .par_iter_mut()
        .for_each(|(_, md, owner, inline, shift)| {
            let mut t = Text {
                md,
                owner: *owner,
                inline: *inline,
                shift: *shift,
            };
            drop(render(&mut t, &targets, lost, allow_html));
        });
    drop(targets);
    let mut all = texts(&mut b.model);
    for (i, md, ..) in again {
        all[i].md.html = md.html;
    }
}

/// What the book's indexes know of an area: its elements' ids and places,
/// what it names and replaces. Texts and titles are left out: `retitled`.
fn frame(a: &Area) -> String {
    let strs = |v: &[Str]| v.iter().map(|s| s.text.clone()).collect::<Vec<_>>();
    let practice = |p: &Practice| (p.id.text.clone(), strs(&p.replaces));
    let objective = |o: &Objective| {
        (
            o.id.text.clone(),
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
            (&a.code.text, &a.category.text, &a.group),
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

    /// Every text's html and the backrefs, as a book of areas AA, EF, ZZ
    /// and XY resolved whole: AA, ZZ and the glossary link to XY-1.1 and
    /// EF-1.1 (so that a link EF adds has its place between others).
    fn four(ef: super::Area) -> super::Book {
        let mut m = model(vec![
            area("AA", "", "[[XY-1.1]] [[EF-1.1]] [[EF]]"),
            ef,
            area("ZZ", "", "[[EF:GG2.GP1]] then [[XY-1.1]]"),
            area("XY", "", "[[XY-1]] [[EF-1]]"),
        ]);
        m.glossary.push(term("asset", "[[XY-1.1]] and [[EF-1.1]]."));
        m.notice = Some(md("Site notice on [[EF-1]].", "content/model.yaml", 9, 1));
        let (b, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    fn every_html(b: &super::Book) -> Vec<String> {
        let mut m = b.model.clone();
        super::texts(&mut m)
            .iter()
            .map(|t| t.md.html.clone())
            .collect()
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
        }
        // A new title is in the texts that link to it.
        assert!(
            every_html(&b)
                .iter()
                .any(|h| h.contains("EF-1 Objective EF-1"))
        );
    }

    #[test]
    fn place_orders_owners_as_the_model_lists_its_texts() {
        let mut m = model(vec![area("AA", "", "a"), area("EF", "", "b")]);
        m.categories[0].description = Some(md("Core.", "content/model.yaml", 4, 1));
        m.glossary.push(term("asset", "An asset."));
        m.pages.push(page("about", "About"));
        let places: Vec<_> = super::texts(&mut m)
            .iter()
            .filter(|t| t.owner != super::Owner::Site)
            .map(|t| super::place(t.owner))
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
            // A related area.
            area("EF", "related:\n  - XY\n", before),
            // A practice added.
            area(
                "EF",
                "      - id: EF-1.2\n        title: More\n        statement: More.\n",
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
