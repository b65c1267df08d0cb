//! Validation and cross-linking: ids indexed, every reference checked and
//! resolved, Markdown rendered once, and what refers to what recorded both ways.

mod checks;
mod ids;

pub use ids::MAX_SLUG;

use crate::diag::{Diagnostic, Loc, suggest};
use crate::markdown::{self, MdOptions, Target};
use crate::model::*;
use crate::urls;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Maps over ids and elements: tens of thousands of entries at scale, all
/// filled on one thread, where SipHash was a tenth of resolving. The seed is
/// still random per process.
pub type Map<K, V> = HashMap<K, V, ahash::RandomState>;

/// An element of the model that has a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Elem {
    Category(usize),
    Area(usize),
    Objective(usize, usize),
    Practice(usize, usize, usize),
    Goal(usize),
    GenericPractice(usize, usize),
}

/// Where a reference was written: an element, a glossary term or a free page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Elem(Elem),
    Term(usize),
    Page(usize),
    /// Texts that belong to the site as a whole (notice, levels, clusters).
    Site,
}

/// A reference from somewhere to an element, for "referred to by" lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backref {
    pub from: Owner,
    /// "related", "elaboration" or "text".
    pub how: &'static str,
}

pub struct Book {
    pub model: Model,
    pub ids: Map<String, Elem>,
    pub urls: Map<Elem, String>,
    /// Target element -> the places that refer to it, in model order, no repeats.
    pub backrefs: Map<Elem, Vec<Backref>>,
}

impl Book {
    pub fn id(&self, e: Elem) -> &str {
        &id_loc(&self.model, e).text
    }
    pub fn title(&self, e: Elem) -> &str {
        title_of(&self.model, e)
    }
    pub fn kind(&self, e: Elem) -> &str {
        let t = &self.model.terms;
        match e {
            Elem::Category(_) => &t.category,
            Elem::Area(_) => &t.area,
            Elem::Objective(..) => &t.objective,
            Elem::Practice(..) => &t.practice,
            Elem::Goal(_) => &t.generic_goal,
            Elem::GenericPractice(..) => &t.generic_practice,
        }
    }
    pub fn url(&self, e: Elem) -> &str {
        &self.urls[&e]
    }
    pub fn owner_url(&self, o: Owner) -> String {
        match o {
            Owner::Elem(e) => self.url(e).to_string(),
            Owner::Term(t) => urls::term(&self.model.glossary[t].term.text),
            Owner::Page(p) => urls::page(&self.model.pages[p].slug),
            Owner::Site => urls::HOME.into(),
        }
    }
    pub fn owner_title(&self, o: Owner) -> (String, String) {
        match o {
            Owner::Elem(e) => (self.id(e).to_string(), self.title(e).to_string()),
            Owner::Term(t) => ("Glossary".into(), self.model.glossary[t].term.text.clone()),
            Owner::Page(p) => ("Page".into(), self.model.pages[p].title.clone()),
            Owner::Site => ("Site".into(), self.model.title.clone()),
        }
    }
}

fn title_of(m: &Model, e: Elem) -> &str {
    match e {
        Elem::Category(c) => &m.categories[c].name,
        Elem::Area(a) => &m.areas[a].name,
        Elem::Objective(a, o) => &m.areas[a].objectives[o].title,
        Elem::Practice(a, o, p) => &m.areas[a].objectives[o].practices[p].title,
        Elem::Goal(g) => &m.generic_goals[g].title,
        Elem::GenericPractice(g, p) => &m.generic_goals[g].practices[p].title,
    }
}

fn elements(m: &Model) -> Vec<Elem> {
    let mut out = Vec::new();
    out.extend((0..m.categories.len()).map(Elem::Category));
    for (a, area) in m.areas.iter().enumerate() {
        push_area(&mut out, a, area);
    }
    push_goals(&mut out, m);
    out
}

/// An area, then each objective followed by its practices.
pub fn push_area(out: &mut Vec<Elem>, a: usize, area: &Area) {
    out.push(Elem::Area(a));
    for (o, obj) in area.objectives.iter().enumerate() {
        out.push(Elem::Objective(a, o));
        out.extend((0..obj.practices.len()).map(|p| Elem::Practice(a, o, p)));
    }
}

/// Each generic goal followed by its practices.
pub fn push_goals(out: &mut Vec<Elem>, m: &Model) {
    for (g, goal) in m.generic_goals.iter().enumerate() {
        out.push(Elem::Goal(g));
        out.extend((0..goal.practices.len()).map(|p| Elem::GenericPractice(g, p)));
    }
}

fn id_loc(m: &Model, e: Elem) -> &Str {
    match e {
        Elem::Category(c) => &m.categories[c].id,
        Elem::Area(a) => &m.areas[a].code,
        Elem::Objective(a, o) => &m.areas[a].objectives[o].id,
        Elem::Practice(a, o, p) => &m.areas[a].objectives[o].practices[p].id,
        Elem::Goal(g) => &m.generic_goals[g].id,
        Elem::GenericPractice(g, p) => &m.generic_goals[g].practices[p].id,
    }
}

fn err_at(s: &Str, msg: String) -> Diagnostic {
    Diagnostic::error(s.loc.clone(), msg).len(s.text.chars().count())
}

/// Indexes, checks and cross-links a loaded model. Problems go to `diags`.
pub fn resolve(mut model: Model, diags: &mut Vec<Diagnostic>) -> Book {
    checks::categories(&model, diags);
    order_areas(&mut model);
    let elems = elements(&model);
    let mut book = Book {
        ids: Map::with_capacity_and_hasher(elems.len(), Default::default()),
        urls: Map::with_capacity_and_hasher(elems.len(), Default::default()),
        backrefs: Map::default(),
        model,
    };
    ids::index(&mut book, &elems, diags);
    checks::structure(&book, diags);
    render_texts(&mut book, diags);
    book
}

/// Areas in category order; inside a category as model.yaml lists them,
/// else in file order.
fn order_areas(m: &mut Model) {
    let key = |a: &Area| -> (usize, usize) {
        let ci = m
            .categories
            .iter()
            .position(|c| c.id.text == a.category.text)
            .unwrap_or(usize::MAX);
        let within = m
            .categories
            .get(ci)
            .and_then(|c| c.area_order.as_ref())
            .and_then(|o| o.iter().position(|s| s.text == a.code.text))
            .unwrap_or(usize::MAX);
        (ci, within)
    };
    let mut keyed: Vec<((usize, usize), Area)> = std::mem::take(&mut m.areas)
        .into_iter()
        .map(|a| (key(&a), a))
        .collect();
    // Stable: areas a category does not list keep their file order.
    keyed.sort_by_key(|(k, _)| *k);
    m.areas = keyed.into_iter().map(|(_, a)| a).collect();
}

/// Every Markdown text of the model with who owns it and how it renders.
fn texts(m: &mut Model) -> Vec<(&mut Md, Owner, bool, u8)> {
    // (text, owner, inline, heading shift)
    let mut v: Vec<(&mut Md, Owner, bool, u8)> = Vec::new();
    if let Some(n) = &mut m.notice {
        v.push((n, Owner::Site, false, 2));
    }
    for (c, cat) in m.categories.iter_mut().enumerate() {
        if let Some(d) = &mut cat.description {
            v.push((d, Owner::Elem(Elem::Category(c)), false, 1));
        }
    }
    for cl in &mut m.clusters {
        if let Some(d) = &mut cl.description {
            v.push((d, Owner::Site, false, 2));
        }
    }
    for l in &mut m.capability_levels {
        if let Some(d) = &mut l.description {
            v.push((d, Owner::Site, false, 2));
        }
    }
    for (a, area) in m.areas.iter_mut().enumerate() {
        let o = Owner::Elem(Elem::Area(a));
        v.push((&mut area.purpose, o, true, 0));
        if let Some(s) = &mut area.status {
            v.push((s, o, false, 2));
        }
        v.push((&mut area.introduction, o, false, 1));
        for r in &mut area.related {
            if let Some(n) = &mut r.note {
                v.push((n, o, true, 0));
            }
        }
        for (_, e) in &mut area.elaborations {
            v.push((e, o, false, 3));
        }
        for (oi, obj) in area.objectives.iter_mut().enumerate() {
            let ow = Owner::Elem(Elem::Objective(a, oi));
            v.push((&mut obj.statement, ow, true, 0));
            if let Some(n) = &mut obj.notes {
                v.push((n, ow, false, 2));
            }
            for (pi, p) in obj.practices.iter_mut().enumerate() {
                let pw = Owner::Elem(Elem::Practice(a, oi, pi));
                v.push((&mut p.statement, pw, true, 0));
                if let Some(n) = &mut p.notes {
                    v.push((n, pw, false, 2));
                }
                for s in &mut p.subpractices {
                    v.push((&mut s.title, pw, true, 0));
                    if let Some(n) = &mut s.notes {
                        v.push((n, pw, false, 3));
                    }
                }
            }
        }
    }
    for (g, goal) in m.generic_goals.iter_mut().enumerate() {
        let o = Owner::Elem(Elem::Goal(g));
        v.push((&mut goal.statement, o, true, 0));
        v.push((&mut goal.body, o, false, 1));
        for (pi, p) in goal.practices.iter_mut().enumerate() {
            let pw = Owner::Elem(Elem::GenericPractice(g, pi));
            v.push((&mut p.statement, pw, true, 0));
            if let Some(n) = &mut p.notes {
                v.push((n, pw, false, 2));
            }
            for s in &mut p.subpractices {
                v.push((&mut s.title, pw, true, 0));
                if let Some(n) = &mut s.notes {
                    v.push((n, pw, false, 3));
                }
            }
        }
    }
    for (t, term) in m.glossary.iter_mut().enumerate() {
        v.push((&mut term.definition, Owner::Term(t), false, 2));
    }
    for (p, page) in m.pages.iter_mut().enumerate() {
        v.push((&mut page.body, Owner::Page(p), false, 1));
    }
    v
}

/// File positions of offsets into one text, asked for in increasing order:
/// each step counts only from the offset before, so that thousands of
/// broken links in a text of megabytes take one pass over it, not one
/// pass each.
struct Locator<'m> {
    md: &'m Md,
    at: usize,
    line: u32,
    col: u32,
}

impl<'m> Locator<'m> {
    fn new(md: &'m Md) -> Self {
        Locator {
            md,
            at: 0,
            line: md.loc.line,
            col: md.loc.col,
        }
    }

    fn loc(&mut self, offset: usize) -> Loc {
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

/// What rendering one text found: its references, and its problems.
type TextOutcome = (Vec<(Owner, Elem)>, Vec<Diagnostic>);

fn render_texts(b: &mut Book, diags: &mut Vec<Diagnostic>) {
    // Targets are looked up by id while texts are rendered in parallel. Ids
    // and addresses are borrowed from the book's maps; titles live in the
    // model, which the texts borrow, so they are copied.
    let Book {
        model, ids, urls, ..
    } = b;
    let (ids, urls) = (&*ids, &*urls);
    let mut targets: Map<Cow<str>, (Cow<str>, String)> =
        Map::with_capacity_and_hasher(ids.len() + model.pages.len() + 1, Default::default());
    for (id, &e) in ids {
        let title = title_of(model, e).to_string();
        targets.insert(Cow::Borrowed(id), (Cow::Borrowed(&urls[&e]), title));
    }
    // Free pages can be named by their slug, and the glossary by
    // `glossary`, where no element has that id.
    if !model.glossary.is_empty() {
        targets
            .entry("glossary".into())
            .or_insert_with(|| (urls::GLOSSARY.into(), "Glossary".into()));
    }
    for p in &model.pages {
        targets
            .entry(p.slug.clone().into())
            .or_insert_with(|| (urls::page(&p.slug).into(), p.title.clone()));
    }
    // `AREA:GG2.GP1`, a generic practice as asked for one area, is made when
    // it is named rather than listed for every area and practice.
    let gps: Map<String, String> = model
        .generic_goals
        .iter()
        .flat_map(|g| &g.practices)
        .map(|gp| (gp.id.text.clone(), gp.title.clone()))
        .collect();
    let area_gp = |id: &str| -> Option<Target<'_>> {
        let (code, gp) = id.split_once(':')?;
        let gp_title = gps.get(gp)?;
        let Elem::Area(_) = *ids.get(code)? else {
            return None;
        };
        let (url, area_name) = targets.get(code)?;
        Some(Target {
            url: urls::question(url, id).into(),
            title: format!("{gp_title} for {area_name}").into(),
        })
    };
    // Every id a link could name, for suggestions: made only if a link
    // does not resolve, and sorted, so that of two equally near
    // suggestions the same one is made every run.
    let all_ids = std::sync::OnceLock::new();
    let all_ids = || -> &Vec<String> {
        all_ids.get_or_init(|| {
            let mut v: Vec<String> = targets.keys().map(|k| k.to_string()).collect();
            for (code, &e) in ids {
                if matches!(e, Elem::Area(_)) {
                    v.extend(gps.keys().map(|gp| asked_id(code, gp)));
                }
            }
            v.sort_unstable();
            v.dedup();
            v
        })
    };
    // Texts borrow the model mutably while they render; what was lost is small.
    let lost = &model.lost.clone();
    let allow_html = model.book.allow_html;
    let mut items = texts(model);
    let results: Vec<TextOutcome> = items
        .par_iter_mut()
        .map(|(md, owner, inline, shift)| {
            let opts = MdOptions {
                allow_html,
                heading_shift: *shift,
                inline: *inline,
                footnote_prefix: urls::footnote_prefix(&md.loc.file, md.loc.line),
            };
            let r = markdown::render(&md.src, &opts, |id| {
                targets
                    .get(id)
                    .map(|(url, title)| Target {
                        url: Cow::Borrowed(url),
                        title: Cow::Borrowed(title),
                    })
                    .or_else(|| area_gp(id))
            });
            let mut d = Vec::new();
            let mut at = Locator::new(md);
            for (id, range) in r.unresolved.iter().filter(|(id, _)| !lost.may_resolve(id)) {
                let loc = at.loc(range.start);
                let what = if id.is_empty() {
                    "[[]]".to_string()
                } else {
                    format!("[[{id}]]")
                };
                d.push(
                    Diagnostic::error(loc, format!("no element {what} to link to"))
                        .len(range.len())
                        .maybe_help(
                            suggest(id, all_ids().iter().map(String::as_str))
                                .map(|s| format!("did you mean {s}?")),
                        ),
                );
            }
            let refs = r
                .refs
                .iter()
                .filter_map(|(id, _)| {
                    // `AREA:GP` refers to the area it is asked for.
                    let e = ids
                        .get(id.as_str())
                        .or_else(|| ids.get(id.split(':').next().unwrap_or("")))?;
                    Some((*owner, *e))
                })
                .collect();
            md.html = r.html;
            (refs, d)
        })
        .collect();
    drop(items);
    let mut back: Map<Elem, Vec<Backref>> = Map::default();
    // An element referred to from thousands of places must not be searched
    // linearly for each one.
    let mut seen: HashSet<(Elem, Owner), ahash::RandomState> = HashSet::default();
    let mut push = |target: Elem, from: Owner, how: &'static str| {
        if from != Owner::Elem(target) && seen.insert((target, from)) {
            back.entry(target).or_default().push(Backref { from, how });
        }
    };
    for (a, area) in model.areas.iter().enumerate() {
        for r in &area.related {
            if let Some(&t) = ids.get(&r.area.text) {
                push(t, Owner::Elem(Elem::Area(a)), "related");
            }
        }
        for (gp, _) in &area.elaborations {
            if let Some(&t) = ids.get(&gp.text) {
                push(t, Owner::Elem(Elem::Area(a)), "elaboration");
            }
        }
    }
    for (refs, d) in results {
        diags.extend(d);
        for (from, to) in refs {
            if from != Owner::Site {
                push(to, from, "text");
            }
        }
    }
    b.backrefs = back;
}
