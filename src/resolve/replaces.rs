//! `replaces`: the ids of an earlier version of the model that an area,
//! objective or practice takes the place of. Each old id is replaced once,
//! by one element, and is no id of this version; the old addresses they
//! make are listed for redirect pages.

use super::{Book, Elem, Map, err_at};
use crate::diag::Diagnostic;
use crate::model::{Str, slug};
use crate::urls;

/// The `replaces` of every area, objective and practice, in model order.
fn written(book: &Book) -> Vec<(&Str, Elem)> {
    let mut out = Vec::new();
    for (a, area) in book.model.areas.iter().enumerate() {
        out.extend(area.replaces.iter().map(|r| (r, Elem::Area(a))));
        for (o, obj) in area.objectives.iter().enumerate() {
            out.extend(obj.replaces.iter().map(|r| (r, Elem::Objective(a, o))));
            for (p, pr) in obj.practices.iter().enumerate() {
                out.extend(pr.replaces.iter().map(|r| (r, Elem::Practice(a, o, p))));
            }
        }
    }
    out
}

/// Checks every `replaces` and fills `book.renames` with those that hold.
pub(super) fn index(book: &mut Book, diags: &mut Vec<Diagnostic>) {
    let slugs: Map<String, &str> = book.ids.keys().map(|id| (slug(id), id.as_str())).collect();
    let mut seen: Map<&str, &Str> = Map::default();
    let mut renames = Vec::new();
    for (old, e) in written(book) {
        let by = book.id(e);
        if let Some(&now) = book.ids.get(&old.text) {
            let d = err_at(
                old,
                format!(
                    "`{by}` replaces `{}`, which is still an id of this model",
                    old.text
                ),
            )
            .note(
                super::id_loc(&book.model, now).loc.clone(),
                format!("`{}` is defined here", old.text),
            );
            diags.push(d.help("an id that stays is not replaced: take it out of `replaces`"));
            continue;
        }
        let sl = slug(&old.text);
        if sl.is_empty() || sl.len() > super::MAX_SLUG {
            diags.push(err_at(
                old,
                format!("`{}` cannot be an old id: it makes no address", old.text),
            ));
            continue;
        }
        if let Some(other) = slugs.get(&sl) {
            diags.push(
                err_at(
                    old,
                    format!(
                        "the old id `{}` has the same address (`{sl}`) as `{other}`",
                        old.text
                    ),
                )
                .help("ids must differ in more than case and punctuation"),
            );
            continue;
        }
        if let Some(first) = seen.get(old.text.as_str()) {
            diags.push(
                err_at(old, format!("`{}` is replaced twice", old.text))
                    .note(first.loc.clone(), "first replaced here")
                    .help("an old id moves to one element only"),
            );
            continue;
        }
        seen.insert(&old.text, old);
        renames.push((old.text.clone(), e));
    }
    book.renames = renames;
}

impl Book {
    /// Old id -> the element that replaces it, in model order: what search,
    /// redirect pages, the survey's answers and `refbook diff` follow.
    pub fn renames(&self) -> impl Iterator<Item = (&str, Elem)> + '_ {
        self.renames.iter().map(|(old, e)| (old.as_str(), *e))
    }

    /// The addresses an earlier version gave what this one renamed, each
    /// with the element now in its place: the old id where the element
    /// stands now, and every element of a renamed area at its area's old
    /// address (under its old or its present id). None is an address of
    /// this version.
    pub fn old_addresses(&self) -> Vec<OldAddress> {
        let m = &self.model;
        let mut out: Vec<OldAddress> = Vec::new();
        let olds = |e: Elem| -> Vec<&str> {
            self.renames
                .iter()
                .filter(|(_, r)| *r == e)
                .map(|(o, _)| o.as_str())
                .collect()
        };
        for (a, area) in m.areas.iter().enumerate() {
            let mut codes = vec![area.code.text.as_str()];
            codes.extend(olds(Elem::Area(a)));
            for old in &codes[1..] {
                out.push(OldAddress::new(urls::area(old), old, Elem::Area(a)));
            }
            for (o, obj) in area.objectives.iter().enumerate() {
                let mut elems = vec![(Elem::Objective(a, o), &obj.id.text)];
                elems.extend(
                    (0..obj.practices.len())
                        .map(|p| (Elem::Practice(a, o, p), &obj.practices[p].id.text)),
                );
                for (e, id) in elems {
                    let mut ids = vec![id.as_str()];
                    ids.extend(olds(e));
                    for (i, code) in codes.iter().enumerate() {
                        // Under the present code, only old ids moved.
                        for id in &ids[usize::from(i == 0)..] {
                            out.push(OldAddress::new(urls::practice(code, id), id, e));
                        }
                    }
                }
            }
        }
        let taken: std::collections::HashSet<&str> =
            self.urls.values().map(String::as_str).collect();
        let mut seen = std::collections::HashSet::new();
        out.retain(|o| !taken.contains(o.url.as_str()) && seen.insert(o.url.clone()));
        out
    }
}

/// An address of an earlier version, the id it was made from, and the
/// element now in its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OldAddress {
    pub url: String,
    pub id: String,
    pub to: Elem,
}

impl OldAddress {
    fn new(url: String, id: &str, to: Elem) -> Self {
        OldAddress {
            url,
            id: id.to_string(),
            to,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::Elem;
    use super::super::sample::*;
    use crate::urls;

    fn with(code: &str, extra: &str, replaces: &str) -> String {
        area_file(code, "", "")
            .replace(
                &format!("        statement: Statement of {code}-1.1.\n"),
                &format!("        statement: Statement of {code}-1.1.\n{replaces}"),
            )
            .replace("category: core\n", &format!("category: core\n{extra}"))
    }

    #[test]
    fn old_ids_move_to_their_element_with_old_addresses() {
        let text = with(
            "EF",
            "replaces: [OLD]\n",
            "        replaces: [EF-0.9, X-1]\n",
        );
        let (book, diags) = resolved(model(vec![area_from("EF", &text)]));
        assert_eq!(diags, Vec::<String>::new());
        let p = Elem::Practice(0, 0, 0);
        let renames: Vec<_> = book.renames().collect();
        assert_eq!(renames, [("OLD", Elem::Area(0)), ("EF-0.9", p), ("X-1", p)]);
        let olds: Vec<(String, Elem)> = book
            .old_addresses()
            .into_iter()
            .map(|o| (o.url, o.to))
            .collect();
        for (url, e) in [
            (urls::area("OLD"), Elem::Area(0)),
            (urls::practice("EF", "EF-0.9"), p),
            (urls::practice("OLD", "EF-1.1"), p),
            (urls::practice("OLD", "X-1"), p),
            (urls::objective("OLD", "EF-1"), Elem::Objective(0, 0)),
        ] {
            assert!(olds.contains(&(url.clone(), e)), "{url} in {olds:?}");
        }
        // The present address is no old one.
        assert!(
            !olds
                .iter()
                .any(|(u, _)| *u == urls::practice("EF", "EF-1.1"))
        );
    }

    #[test]
    fn an_old_id_still_in_use_or_replaced_twice_is_an_error() {
        let ef = with("EF", "", "        replaces: [XY-1.1, GONE]\n");
        let xy = with("XY", "", "        replaces: GONE\n");
        let (book, diags) = resolved(model(vec![area_from("EF", &ef), area_from("XY", &xy)]));
        assert_eq!(
            diags,
            [
                "content/areas/EF.md:14:20: `EF-1.1` replaces `XY-1.1`, which is still an id of this model \
                 | an id that stays is not replaced: take it out of `replaces` | note content/areas/XY.md:11:13",
                "content/areas/XY.md:14:19: `GONE` is replaced twice | an old id moves to one element only \
                 | note content/areas/EF.md:14:28"
            ]
        );
        assert_eq!(book.renames().count(), 1);
    }
}
