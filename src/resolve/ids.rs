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
fn url_of(m: &Model, e: Elem) -> String {
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
