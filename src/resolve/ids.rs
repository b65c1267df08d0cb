//! Element ids, each known once, with the address it makes: ids that make
//! no address, too long a one, the address of another, or repeat one are
//! reported where they stand.

use super::{Book, Elem, Map, err_at, id_loc};
use crate::diag::Diagnostic;
use crate::model::{Model, slug};
use crate::urls;
use rayon::prelude::*;

/// The longest address segment an id may make, in bytes: under the 255 that
/// file systems allow a folder name, with room to spare.
pub const MAX_SLUG: usize = 200;

/// An element's address (see [`urls`]).
pub(super) fn url_of(m: &Model, e: Elem) -> String {
    let code = |a: usize| &m.areas[a].code.text;
    let goal = |g: usize| &m.generic_goals[g].id.text;
    match e {
        Elem::Category(c) => urls::category(&m.categories[c].id.text),
        Elem::Area(a) => urls::area(code(a)),
        Elem::Objective(a, o) => urls::objective(code(a), &m.areas[a].objectives[o].id.text),
        Elem::Practice(a, o, p) => {
            urls::practice(code(a), &m.areas[a].objectives[o].practices[p].id.text)
        }
        Elem::Goal(g) => urls::goal(goal(g)),
        Elem::GenericPractice(g, p) => {
            urls::generic_practice(goal(g), &m.generic_goals[g].practices[p].id.text)
        }
    }
}

/// Fills the book's ids and addresses from `elems`, in model order: of two
/// elements that clash, the later one is reported and left out.
pub(super) fn index(book: &mut Book, elems: &[Elem], diags: &mut Vec<Diagnostic>) {
    // Addresses are made on both cores; the checks below need model order.
    let made: Vec<(String, String)> = elems
        .par_iter()
        .map(|&e| (slug(&id_loc(&book.model, e).text), url_of(&book.model, e)))
        .collect();
    let mut slugs: Map<String, Elem> =
        Map::with_capacity_and_hasher(elems.len(), Default::default());
    for (&e, (sl, url)) in elems.iter().zip(made) {
        let id = id_loc(&book.model, e);
        if sl.is_empty() {
            diags.push(err_at(
                id,
                format!(
                    "the id `{}` has no letter or digit to make an address from",
                    id.text
                ),
            ));
            continue;
        }
        if sl.len() > MAX_SLUG {
            // Each address is a folder name: file systems stop at 255 bytes.
            diags.push(
                err_at(
                    id,
                    format!(
                        "the id `{}…` is too long to make an address from ({} bytes; at most {MAX_SLUG})",
                        id.text.chars().take(40).collect::<String>(),
                        sl.len()
                    ),
                )
                .help("shorten the id; a long name belongs in `name` or `title`"),
            );
            // Still known, so that links to it do not add errors of their
            // own; the build stops on the error above before any address is used.
            book.ids.insert(id.text.clone(), e);
            book.urls.insert(e, url);
            continue;
        }
        if let Some(&first) = book.ids.get(&id.text) {
            let f = id_loc(&book.model, first);
            diags.push(
                err_at(id, format!("duplicate id `{}`", id.text))
                    .note(f.loc.clone(), format!("`{}` is first defined here", f.text)),
            );
            continue;
        }
        if let Some(&first) = slugs.get(&sl)
            && !matches!(
                (first, e),
                (Elem::Category(_), Elem::Area(_)) | (Elem::Area(_), Elem::Category(_))
            )
        {
            let f = id_loc(&book.model, first);
            diags.push(
                err_at(
                    id,
                    format!(
                        "the id `{}` has the same address (`{sl}`) as `{}`",
                        id.text, f.text
                    ),
                )
                .note(f.loc.clone(), format!("`{}` is defined here", f.text))
                .help("ids must differ in more than case and punctuation"),
            );
            continue;
        }
        slugs.insert(sl, e);
        book.ids.insert(id.text.clone(), e);
        book.urls.insert(e, url);
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Elem, resolve};
    use super::MAX_SLUG;
    use crate::urls;

    #[test]
    fn a_duplicate_id_is_reported_at_the_second_with_a_note_at_the_first() {
        let second = area_file("XY", "", "").replace("XY-1.1", "EF-1.1");
        let m = model(vec![area("EF", "", ""), area_from("XY", &second)]);
        let mut diags = Vec::new();
        let book = resolve(m, &mut diags);
        assert_eq!(diags.len(), 1);
        let d = &diags[0];
        assert_eq!(d.loc.to_string(), "content/areas/XY.md:11:13");
        assert_eq!(d.message, "duplicate id `EF-1.1`");
        assert_eq!(d.len, 6);
        let (at, note) = &**d.note.as_ref().unwrap();
        assert_eq!(at.to_string(), "content/areas/EF.md:11:13");
        assert_eq!(note, "`EF-1.1` is first defined here");
        // The first keeps the id; the second has no address.
        assert_eq!(book.ids["EF-1.1"], Elem::Practice(0, 0, 0));
        assert!(!book.urls.contains_key(&Elem::Practice(1, 0, 0)));
    }

    #[test]
    fn ids_that_differ_only_in_case_and_punctuation_clash() {
        let second = area_file("XY", "", "").replace("XY-1.1", "ef_1.1");
        let (book, diags) = resolved(model(vec![area("EF", "", ""), area_from("XY", &second)]));
        assert_eq!(
            diags,
            [
                "content/areas/XY.md:11:13: the id `ef_1.1` has the same address (`ef-1-1`) as `EF-1.1` \
              | ids must differ in more than case and punctuation | note content/areas/EF.md:11:13"
            ]
        );
        assert!(!book.ids.contains_key("ef_1.1"));
    }

    #[test]
    fn a_category_and_an_area_may_make_the_same_address() {
        let mut m = model(vec![area("EF", "", "")]);
        m.categories.push(category("ef", 4));
        let (book, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        assert_eq!(book.url(Elem::Category(1)), urls::category("ef"));
        assert_eq!(book.url(Elem::Area(0)), urls::area("EF"));
    }

    #[test]
    fn an_id_too_long_for_an_address_is_reported_and_still_known() {
        let long = format!("EF-{}", "x".repeat(MAX_SLUG));
        let text = area_file("EF", "", &format!("See [[{long}]]."));
        let (book, diags) = resolved(model(vec![area_from("EF", &text.replace("EF-1.1", &long))]));
        assert_eq!(
            diags,
            [format!(
                "content/areas/EF.md:11:13: the id `EF-{}…` is too long to make an address from \
                 ({} bytes; at most {MAX_SLUG}) | shorten the id; a long name belongs in `name` or `title`",
                "x".repeat(37),
                MAX_SLUG + 3
            )]
        );
        // Known, so the link to it adds no error of its own.
        assert_eq!(book.ids[&long], Elem::Practice(0, 0, 0));
    }

    #[test]
    fn an_id_without_a_letter_or_digit_makes_no_address() {
        let mut m = model(vec![area("EF", "", "")]);
        m.areas[0].objectives[0].practices[0].id.text = "--".into();
        let (book, diags) = resolved(m);
        assert_eq!(
            diags,
            [
                "content/areas/EF.md:11:13: the id `--` has no letter or digit to make an address from"
            ]
        );
        assert!(!book.ids.contains_key("--"));
    }

    #[test]
    fn every_element_gets_its_address_from_urls() {
        let (book, diags) = resolved(model(vec![area("EF", "", "")]));
        assert!(diags.is_empty(), "{diags:?}");
        let want = [
            (Elem::Category(0), urls::category("core")),
            (Elem::Area(0), urls::area("EF")),
            (Elem::Objective(0, 0), urls::objective("EF", "EF-1")),
            (Elem::Practice(0, 0, 0), urls::practice("EF", "EF-1.1")),
            (Elem::Goal(0), urls::goal("GG2")),
            (
                Elem::GenericPractice(0, 1),
                urls::generic_practice("GG2", "GG2.GP2"),
            ),
        ];
        for (e, url) in want {
            assert_eq!(book.url(e), url, "{e:?}");
            assert_eq!(book.ids[book.id(e)], e);
        }
        assert_eq!(book.ids.len(), 7);
    }
}
