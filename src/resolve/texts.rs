//! Every Markdown text of the model, with who owns it and how it renders,
//! and where an offset into one stands in its file.

use super::{Elem, Owner};
use crate::diag::Loc;
use crate::model::{Area, Md, Model, Subpractice};

/// One text to render.
pub(super) struct Text<'m> {
    pub md: &'m mut Md,
    /// Whose page it is on, for the backrefs of what it links to.
    pub owner: Owner,
    /// One paragraph's content, without the paragraph (a statement, a title).
    pub inline: bool,
    /// How many levels its headings go down, to sit under the page's own.
    pub shift: u8,
}

/// Texts gathered in order.
struct Texts<'m>(Vec<Text<'m>>);

impl<'m> Texts<'m> {
    fn push(&mut self, md: &'m mut Md, owner: Owner, inline: bool, shift: u8) {
        self.0.push(Text {
            md,
            owner,
            inline,
            shift,
        });
    }
}

/// Every text of the model, in model order.
pub(super) fn texts(m: &mut Model) -> Vec<Text<'_>> {
    texts_in(m, &|_| true)
}

/// The texts of the model in model order, leaving out the areas for which
/// `area` is false (a large model's areas hold nearly all its texts).
pub(super) fn texts_in<'m>(m: &'m mut Model, area: &dyn Fn(usize) -> bool) -> Vec<Text<'m>> {
    let mut t = Texts(Vec::new());
    if let Some(n) = &mut m.notice {
        t.push(n, Owner::Site, false, 2);
    }
    if let Some(i) = m.survey.as_mut().and_then(|s| s.introduction.as_mut()) {
        t.push(i, Owner::Site, false, 1);
    }
    for src in &mut m.sources {
        if let Some(c) = &mut src.citation {
            t.push(c, Owner::Site, true, 0);
        }
        if let Some(n) = &mut src.notice {
            t.push(n, Owner::Site, false, 2);
        }
    }
    for (c, cat) in m.categories.iter_mut().enumerate() {
        if let Some(d) = &mut cat.description {
            t.push(d, Owner::Elem(Elem::Category(c)), false, 1);
        }
    }
    for cl in &mut m.clusters {
        if let Some(d) = &mut cl.description {
            t.push(d, Owner::Site, false, 2);
        }
    }
    for l in &mut m.capability_levels {
        if let Some(d) = &mut l.description {
            t.push(d, Owner::Site, false, 2);
        }
    }
    for (a, ar) in m.areas.iter_mut().enumerate() {
        if area(a) {
            area_texts(&mut t, a, ar);
        }
    }
    for (g, goal) in m.generic_goals.iter_mut().enumerate() {
        let o = Owner::Elem(Elem::Goal(g));
        t.push(&mut goal.statement, o, true, 0);
        t.push(&mut goal.body, o, false, 1);
        for (pi, p) in goal.practices.iter_mut().enumerate() {
            let pw = Owner::Elem(Elem::GenericPractice(g, pi));
            practice(
                &mut t,
                pw,
                &mut p.statement,
                &mut p.notes,
                &mut p.subpractices,
            );
        }
    }
    for (i, term) in m.glossary.iter_mut().enumerate() {
        t.push(&mut term.definition, Owner::Term(i), false, 2);
    }
    for (p, page) in m.pages.iter_mut().enumerate() {
        t.push(&mut page.body, Owner::Page(p), false, 1);
    }
    t.0
}

/// Area `area` of a resolved book as loading its file gives it: its texts
/// not rendered. Resolving changes nothing else of an area, so a book's
/// unchanged areas need not be read again (`serve`).
#[cfg(test)]
pub fn as_loaded(area: &Area) -> Area {
    let mut a = area.clone();
    a.links = None;
    for t in area_texts_of(0, &mut a) {
        t.md.html = String::new();
    }
    a
}

/// Area `area` as it is, its texts moved out of it and left empty: a
/// check again in `serve` takes the unchanged areas of a book that is done
/// with (its titles and ids still read), rather than copy their texts.
pub fn taking_texts(area: &mut Area) -> Area {
    let texts: Vec<Md> = (area_texts_of(0, area).into_iter())
        .map(|t| std::mem::take(t.md))
        .collect();
    let mut a = area.clone();
    for (t, md) in area_texts_of(0, &mut a).into_iter().zip(texts) {
        *t.md = md;
    }
    a
}

/// The texts of area `a` (its place in the model), in model order.
pub(super) fn area_texts_of(a: usize, area: &mut Area) -> Vec<Text<'_>> {
    let mut t = Texts(Vec::new());
    area_texts(&mut t, a, area);
    t.0
}

fn area_texts<'m>(t: &mut Texts<'m>, a: usize, area: &'m mut Area) {
    let o = Owner::Elem(Elem::Area(a));
    t.push(&mut area.purpose, o, true, 0);
    if let Some(s) = &mut area.status {
        t.push(s, o, false, 2);
    }
    t.push(&mut area.introduction, o, false, 1);
    for r in &mut area.related {
        if let Some(n) = &mut r.note {
            t.push(n, o, true, 0);
        }
    }
    for (_, e) in &mut area.elaborations {
        t.push(e, o, false, 3);
    }
    for (oi, obj) in area.objectives.iter_mut().enumerate() {
        let ow = Owner::Elem(Elem::Objective(a, oi));
        t.push(&mut obj.statement, ow, true, 0);
        if let Some(n) = &mut obj.notes {
            t.push(n, ow, false, 2);
        }
        for (pi, p) in obj.practices.iter_mut().enumerate() {
            let pw = Owner::Elem(Elem::Practice(a, oi, pi));
            practice(t, pw, &mut p.statement, &mut p.notes, &mut p.subpractices);
        }
    }
}

/// The texts of a practice, specific or generic: both have the same parts,
/// rendered the same way.
fn practice<'m>(
    t: &mut Texts<'m>,
    owner: Owner,
    statement: &'m mut Md,
    notes: &'m mut Option<Md>,
    subpractices: &'m mut [Subpractice],
) {
    t.push(statement, owner, true, 0);
    if let Some(n) = notes {
        t.push(n, owner, false, 2);
    }
    for s in subpractices {
        t.push(&mut s.title, owner, true, 0);
        if let Some(n) = &mut s.notes {
            t.push(n, owner, false, 3);
        }
    }
}

/// File positions of offsets into one text, asked for in increasing order:
/// each step counts only from the offset before, so that thousands of
/// broken links in a text of megabytes take one pass over it, not one
/// pass each.
pub(super) struct Locator<'m> {
    md: &'m Md,
    at: usize,
    line: u32,
    col: u32,
}

impl<'m> Locator<'m> {
    pub(super) fn new(md: &'m Md) -> Self {
        Locator {
            md,
            at: 0,
            line: md.loc.line,
            col: md.loc.col,
        }
    }

    pub(super) fn loc(&mut self, offset: usize) -> Loc {
        let md = self.md;
        let file = md.loc.file.clone();
        if md.loc.line == 0 {
            return md.loc.clone();
        }
        if !md.runs.is_empty()
            && let Some(p) = crate::yaml::pos_in(&md.runs, &md.src, offset)
        {
            return Loc {
                file,
                line: p.line,
                col: p.col,
            };
        }
        let offset = offset.min(md.src.len());
        if offset < self.at || !md.src.is_char_boundary(offset) {
            *self = Locator::new(md);
        }
        if let Some(between) = md.src.get(self.at..offset) {
            (self.line, self.col) =
                crate::diag::advance((self.line, self.col), md.loc.col, between);
            self.at = offset;
        }
        Loc {
            file,
            line: self.line,
            col: self.col,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Elem, Owner};
    use super::{Locator, texts};
    use crate::model::Subpractice;

    /// Every area of the shipped book and of `examples/rmm-opf`, resolved
    /// and then given back `as_loaded`, is the area its file loads as.
    #[test]
    fn a_resolved_area_as_loaded_is_the_area_its_file_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for book in [root.to_path_buf(), root.join("examples/rmm-opf")] {
            let mut diags = Vec::new();
            let loaded = crate::load::load_book(&book, &mut diags);
            let (resolved, d) = crate::check(&book);
            let resolved = resolved.unwrap_or_else(|| panic!("{d:?}"));
            assert_eq!(loaded.areas.len(), resolved.model.areas.len());
            for a in &resolved.model.areas {
                let want = loaded.areas.iter().find(|l| l.file == a.file).unwrap();
                assert!(
                    format!("{:?}", super::as_loaded(a)) == format!("{want:?}"),
                    "{}: resolving changed more than its texts' html",
                    a.file
                );
                assert!(!a.purpose.html.is_empty());
            }
        }
    }

    /// An area taken with its texts moved out is the area as it was; the
    /// one it came from keeps its titles and ids, its texts left empty.
    #[test]
    fn an_area_taken_with_its_texts_is_the_area_as_it_was() {
        let (mut b, _) = resolved(model(vec![area(
            "EF",
            "related:\n  - EF\nelaborations:\n  GG2.GP1: For EF.\n",
            "See [[EF-1.1]].",
        )]));
        let was = format!("{:?}", b.model.areas[0]);
        let taken = super::taking_texts(&mut b.model.areas[0]);
        assert_eq!(format!("{taken:?}"), was);
        let left = &mut b.model.areas[0];
        assert_eq!(left.objectives[0].practices[0].title, "Practice EF-1.1");
        assert_eq!(left.code.text, "EF");
        let texts = super::area_texts_of(0, left);
        assert!(
            texts.len() >= 5
                && texts
                    .iter()
                    .all(|t| t.md.src.is_empty() && t.md.html.is_empty())
        );
    }

    #[test]
    fn offsets_are_placed_by_line_and_column_from_where_the_text_starts() {
        // As a literal block indented by four: each line starts at column 5.
        let text = md("ab\ncdé\nfg", "content/areas/EF.md", 10, 5);
        let mut at = Locator::new(&text);
        let place = |at: &mut Locator, offset| at.loc(offset).to_string();
        assert_eq!(place(&mut at, 0), "content/areas/EF.md:10:5");
        assert_eq!(place(&mut at, 1), "content/areas/EF.md:10:6");
        assert_eq!(place(&mut at, 4), "content/areas/EF.md:11:6");
        // Characters, not bytes: `é` is two.
        assert_eq!(place(&mut at, 7), "content/areas/EF.md:11:8");
        assert_eq!(place(&mut at, 8), "content/areas/EF.md:12:5");
        // Asked for an earlier offset, it counts again from the start.
        assert_eq!(place(&mut at, 3), "content/areas/EF.md:11:5");
        // A text with no place in a file (line 0) has only the file.
        let nowhere = md("ab\ncd", "book.toml", 0, 0);
        assert_eq!(Locator::new(&nowhere).loc(4), nowhere.loc);
    }

    #[test]
    fn specific_and_generic_practices_give_their_texts_alike() {
        let mut m = model(vec![area("EF", "", "")]);
        let sub = || Subpractice {
            title: md("Step.", "f", 1, 1),
            notes: Some(md("Step notes.", "f", 2, 1)),
        };
        let p = &mut m.areas[0].objectives[0].practices[0];
        p.notes = Some(md("Notes.", "f", 3, 1));
        p.subpractices = vec![sub(), sub()];
        let gp = &mut m.generic_goals[0].practices[0];
        gp.notes = Some(md("Notes.", "f", 3, 1));
        gp.subpractices = vec![sub(), sub()];
        let all = texts(&mut m);
        let of = |e: Elem| -> Vec<(String, bool, u8)> {
            all.iter()
                .filter(|t| t.owner == Owner::Elem(e))
                .map(|t| (t.md.src.clone(), t.inline, t.shift))
                .collect()
        };
        let practice = of(Elem::Practice(0, 0, 0));
        let generic = of(Elem::GenericPractice(0, 0));
        assert_eq!(practice.len(), 6);
        assert_eq!(practice[1..], generic[1..]);
        assert_eq!((practice[0].1, practice[0].2), (true, 0));
        assert_eq!((generic[0].1, generic[0].2), (true, 0));
    }

    #[test]
    fn every_text_is_listed_once_in_model_order() {
        let mut m = model(vec![area("EF", "related:\n  - EF\n", "Intro.")]);
        m.notice = Some(md("Notice.", "content/model.yaml", 2, 9));
        let owners: Vec<Owner> = texts(&mut m).iter().map(|t| t.owner).collect();
        let area = Owner::Elem(Elem::Area(0));
        let goal = Owner::Elem(Elem::Goal(0));
        let gp = |p| Owner::Elem(Elem::GenericPractice(0, p));
        assert_eq!(
            owners,
            [
                Owner::Site,
                area, // purpose
                area, // introduction
                Owner::Elem(Elem::Objective(0, 0)),
                Owner::Elem(Elem::Practice(0, 0, 0)),
                goal, // statement
                goal, // body
                gp(0),
                gp(1),
            ]
        );
    }
}
