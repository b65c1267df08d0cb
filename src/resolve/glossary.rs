//! The glossary edited in place, as `serve` shows an edit to it at once:
//! the same terms in the same order, with other definitions (or sources,
//! or `see_also`). The definitions are rendered, and the elements they
//! link to have their backrefs brought up to date. Otherwise the caller
//! resolves the whole book.

use super::links::{Targets, TextOutcome, render};
use super::patch::relink;
use super::texts::Text;
use super::{Book, Elem, Owner};
use crate::diag::{Diagnostic, has_errors};
use crate::model::Term;
use std::collections::HashSet;

/// Puts `terms`, freshly loaded, in the place of the book's glossary;
/// returns the elements whose backrefs changed, and the warnings. Gives
/// the terms back, `b` untouched, when the book cannot take them so: the
/// terms named are not the glossary's, in its order; a definition or a
/// check of the glossary has a problem; or the book is compared with a
/// previous version (made from the whole book).
pub fn replace_glossary(
    b: &mut Book,
    terms: Vec<Term>,
) -> Result<(Vec<Elem>, Vec<Diagnostic>), Vec<Term>> {
    let same_terms = terms.len() == b.model.glossary.len()
        && (terms.iter().zip(&b.model.glossary)).all(|(n, o)| n.term.text == o.term.text);
    if b.changes.is_some() || !same_terms {
        return Err(terms);
    }
    let mut work = terms;
    let targets = Targets::reading(&b.model, &b.ids, &b.urls);
    let (lost, allow_html) = (&b.model.lost, b.model.book.allow_html);
    let results: Vec<TextOutcome> = (work.iter_mut().enumerate())
        .map(|(i, t)| {
            let mut text = Text {
                md: &mut t.definition,
                owner: Owner::Term(i),
                inline: false,
                shift: 2,
            };
            render(&mut text, &targets, lost, allow_html)
        })
        .collect();
    drop(targets);
    let mut diags: Vec<Diagnostic> = Vec::new();
    let old = std::mem::replace(&mut b.model.glossary, work);
    super::checks::glossary(&b.model, &mut diags);
    if has_errors(&diags) || results.iter().any(|(_, d)| !d.is_empty()) {
        return Err(std::mem::replace(&mut b.model.glossary, old));
    }
    let is_term = |o: &Owner| matches!(o, Owner::Term(_));
    let refs: HashSet<(Elem, Owner)> = results
        .into_iter()
        .flat_map(|(found, _)| found)
        .map(|(from, to)| (to, from))
        .collect();
    let mut changed: HashSet<Elem> = refs.iter().map(|(to, _)| *to).collect();
    for (to, list) in &b.backrefs {
        if list.iter().any(|r| r.how == "text" && is_term(&r.from)) {
            changed.insert(*to);
        }
    }
    relink(b, &is_term, &refs);
    Ok((changed.into_iter().collect(), diags))
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::replace_glossary;
    use crate::model::Term;

    const BEFORE: [(&str, &str); 2] = [("plan", "As in [[EF-1.1]]."), ("risk", "A risk.")];

    /// A book of areas EF and XY with these terms, resolved whole.
    fn book(terms: &[(&str, &str)]) -> super::Book {
        let mut m = model(vec![area("EF", "", ""), area("XY", "", "")]);
        m.glossary = terms_of(terms);
        let (b, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        b
    }

    fn terms_of(terms: &[(&str, &str)]) -> Vec<Term> {
        terms.iter().map(|(t, d)| term(t, d)).collect()
    }

    #[test]
    fn a_glossary_is_put_in_place_as_resolving_all_again_renders_it() {
        let after = [
            ("plan", "As in [[XY-1.1]] and [[EF]]."),
            ("risk", "See [[XY-1.1]]."),
        ];
        let mut b = book(&BEFORE);
        let (changed, warnings) = replace_glossary(&mut b, terms_of(&after)).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let fresh = book(&after);
        assert_eq!(b.backrefs, fresh.backrefs);
        for (got, want) in b.model.glossary.iter().zip(&fresh.model.glossary) {
            assert_eq!(got.definition.html, want.definition.html);
        }
        // The link dropped and the two added.
        for id in ["EF-1.1", "XY-1.1", "EF"] {
            assert!(changed.contains(&b.ids[id]), "{id}: {changed:?}");
        }
        assert_eq!(changed.len(), 3, "{changed:?}");
    }

    #[test]
    fn other_terms_or_a_problem_leave_the_book_as_it_was() {
        let mut see_nothing = terms_of(&BEFORE);
        see_nothing[1].see_also = vec![at("plam", "content/glossary.yaml", 3, 15)];
        for (why, terms) in [
            (
                "a term added",
                terms_of(&[BEFORE[0], BEFORE[1], ("audit", "An audit.")]),
            ),
            ("the terms reordered", terms_of(&[BEFORE[1], BEFORE[0]])),
            (
                "a term renamed",
                terms_of(&[BEFORE[0], ("risks", "A risk.")]),
            ),
            (
                "a link to nothing",
                terms_of(&[("plan", "[[NO-9]]"), BEFORE[1]]),
            ),
            ("see_also naming nothing", see_nothing),
        ] {
            let mut b = book(&BEFORE);
            let backrefs = b.backrefs.clone();
            let given = replace_glossary(&mut b, terms);
            assert!(given.is_err(), "{why}: taken");
            assert_eq!(b.backrefs, backrefs, "{why}");
            assert_eq!(b.model.glossary[0].definition.src, BEFORE[0].1, "{why}");
            assert!(
                b.model.glossary[0].definition.html.contains("EF-1.1"),
                "{why}"
            );
        }
    }
}
