//! Every Markdown text of the model, with who owns it and how it renders,
//! and where an offset into one stands in its file.

use super::{Elem, Owner};
use crate::diag::Loc;
use crate::model::{Md, Model, Subpractice};

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

/// Every text of the model, in model order.
pub(super) fn texts(m: &mut Model) -> Vec<Text<'_>> {
    let mut v: Vec<Text<'_>> = Vec::new();
    let mut push = |md, owner, inline, shift| {
        v.push(Text {
            md,
            owner,
            inline,
            shift,
        })
    };
    if let Some(n) = &mut m.notice {
        push(n, Owner::Site, false, 2);
    }
    for (c, cat) in m.categories.iter_mut().enumerate() {
        if let Some(d) = &mut cat.description {
            push(d, Owner::Elem(Elem::Category(c)), false, 1);
        }
    }
    for cl in &mut m.clusters {
        if let Some(d) = &mut cl.description {
            push(d, Owner::Site, false, 2);
        }
    }
    for l in &mut m.capability_levels {
        if let Some(d) = &mut l.description {
            push(d, Owner::Site, false, 2);
        }
    }
    for (a, area) in m.areas.iter_mut().enumerate() {
        let o = Owner::Elem(Elem::Area(a));
        push(&mut area.purpose, o, true, 0);
        if let Some(s) = &mut area.status {
            push(s, o, false, 2);
        }
        push(&mut area.introduction, o, false, 1);
        for r in &mut area.related {
            if let Some(n) = &mut r.note {
                push(n, o, true, 0);
            }
        }
        for (_, e) in &mut area.elaborations {
            push(e, o, false, 3);
        }
        for (oi, obj) in area.objectives.iter_mut().enumerate() {
            let ow = Owner::Elem(Elem::Objective(a, oi));
            push(&mut obj.statement, ow, true, 0);
            if let Some(n) = &mut obj.notes {
                push(n, ow, false, 2);
            }
            for (pi, p) in obj.practices.iter_mut().enumerate() {
                let pw = Owner::Elem(Elem::Practice(a, oi, pi));
                practice(
                    &mut push,
                    pw,
                    &mut p.statement,
                    &mut p.notes,
                    &mut p.subpractices,
                );
            }
        }
    }
    for (g, goal) in m.generic_goals.iter_mut().enumerate() {
        let o = Owner::Elem(Elem::Goal(g));
        push(&mut goal.statement, o, true, 0);
        push(&mut goal.body, o, false, 1);
        for (pi, p) in goal.practices.iter_mut().enumerate() {
            let pw = Owner::Elem(Elem::GenericPractice(g, pi));
            practice(
                &mut push,
                pw,
                &mut p.statement,
                &mut p.notes,
                &mut p.subpractices,
            );
        }
    }
    for (t, term) in m.glossary.iter_mut().enumerate() {
        push(&mut term.definition, Owner::Term(t), false, 2);
    }
    for (p, page) in m.pages.iter_mut().enumerate() {
        push(&mut page.body, Owner::Page(p), false, 1);
    }
    v
}

/// The texts of a practice, specific or generic: both have the same parts,
/// rendered the same way.
fn practice<'m>(
    push: &mut impl FnMut(&'m mut Md, Owner, bool, u8),
    owner: Owner,
    statement: &'m mut Md,
    notes: &'m mut Option<Md>,
    subpractices: &'m mut [Subpractice],
) {
    push(statement, owner, true, 0);
    if let Some(n) = notes {
        push(n, owner, false, 2);
    }
    for s in subpractices {
        push(&mut s.title, owner, true, 0);
        if let Some(n) = &mut s.notes {
            push(n, owner, false, 3);
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
            match memchr::memrchr(b'\n', between.as_bytes()) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', between.as_bytes()).count() as u32;
                    self.col = md.loc.col + between[last + 1..].chars().count() as u32;
                }
                None => self.col += between.chars().count() as u32,
            }
            self.at = offset;
        }
        Loc {
            file,
            line: self.line,
            col: self.col,
        }
    }
}
