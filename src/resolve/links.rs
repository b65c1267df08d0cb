//! `[[ID]]` links: what they can name, every text rendered once with them
//! resolved, and what refers to what recorded the other way round.

use super::again::{self, Again, Named};
use super::texts::{Locator, Text, texts};
use super::{Backref, Book, Elem, Map, Owner, title_of};
use crate::diag::{Diagnostic, suggest};
use crate::markdown::{self, MdOptions, Target};
use crate::model::{Lost, Model, TextLinks, asked_id};
use crate::urls;
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::OnceLock;

/// What a link can name, looked up while texts are rendered in parallel.
pub(super) struct Targets<'b> {
    /// Ids, page slugs and `glossary` -> address and title. Ids and
    /// addresses are borrowed from the book's maps; titles live in the
    /// model, which the texts borrow while they render, so they are copied
    /// (ids are left out when `read` is given).
    named: Map<Cow<'b, str>, (Cow<'b, str>, String)>,
    ids: &'b Map<String, Elem>,
    /// The model and the addresses, when no text of the model is rendered
    /// meanwhile (an area loaded apart from it): ids are looked up there,
    /// and nothing is copied.
    read: Option<(&'b Model, &'b Map<Elem, String>)>,
    /// Generic practice id -> title, for `AREA:GP`.
    gps: Map<String, String>,
    /// Every name a link could use, for suggestions: made only if a link
    /// does not resolve.
    all: OnceLock<Vec<String>>,
}

impl<'b> Targets<'b> {
    pub(super) fn new(
        model: &Model,
        ids: &'b Map<String, Elem>,
        urls: &'b Map<Elem, String>,
    ) -> Self {
        let mut t = Targets::others(model, ids);
        t.named.reserve(ids.len());
        for (id, &e) in ids {
            let title = title_of(model, e).to_string();
            t.named
                .insert(Cow::Borrowed(id), (Cow::Borrowed(&urls[&e]), title));
        }
        t
    }

    /// Targets that read ids from `model`, which must not change while
    /// they are used.
    pub(super) fn reading(
        model: &'b Model,
        ids: &'b Map<String, Elem>,
        urls: &'b Map<Elem, String>,
    ) -> Self {
        Targets {
            read: Some((model, urls)),
            ..Targets::others(model, ids)
        }
    }

    /// Targets as if what `name` names at `url` (a free page, the
    /// glossary) were gone.
    pub(super) fn forget(&mut self, name: &str, url: &str) {
        if self.named.get(name).is_some_and(|(u, _)| **u == *url) {
            self.named.remove(name);
            self.all = OnceLock::new();
        }
    }

    /// The targets that are not elements: free pages by their slug and the
    /// glossary by `glossary` (where no element has that id: ids are looked
    /// up first), and generic practices for `AREA:GP`.
    fn others(model: &Model, ids: &'b Map<String, Elem>) -> Self {
        let mut named: Map<Cow<str>, (Cow<str>, String)> = Map::default();
        if !model.glossary.is_empty() && !ids.contains_key("glossary") {
            named.insert(
                "glossary".into(),
                (urls::GLOSSARY.into(), "Glossary".into()),
            );
        }
        for p in &model.pages {
            if !ids.contains_key(&p.slug) {
                named
                    .entry(p.slug.clone().into())
                    .or_insert_with(|| (urls::page(&p.slug).into(), p.title.clone()));
            }
        }
        let gps = model
            .generic_goals
            .iter()
            .flat_map(|g| &g.practices)
            .map(|gp| (gp.id.text.clone(), gp.title.clone()))
            .collect();
        Targets {
            named,
            ids,
            read: None,
            gps,
            all: OnceLock::new(),
        }
    }

    /// The address and title `id` names, if it is an element, a page or
    /// the glossary.
    fn named(&self, id: &str) -> Option<(&str, &str)> {
        if let Some((m, urls)) = self.read
            && let Some(&e) = self.ids.get(id)
        {
            return Some((urls[&e].as_str(), title_of(m, e)));
        }
        self.named.get(id).map(|(u, t)| (&**u, t.as_str()))
    }

    pub(super) fn get(&self, id: &str) -> Option<Target<'_>> {
        self.named(id)
            .map(|(url, title)| Target {
                url: Cow::Borrowed(url),
                title: Cow::Borrowed(title),
            })
            .or_else(|| self.area_gp(id))
    }

    /// `AREA:GG2.GP1`, a generic practice as asked for one area, is made
    /// when it is named rather than listed for every area and practice.
    fn area_gp(&self, id: &str) -> Option<Target<'_>> {
        let (code, gp) = id.split_once(':')?;
        let gp_title = self.gps.get(gp)?;
        let Elem::Area(_) = *self.ids.get(code)? else {
            return None;
        };
        let (url, area_name) = self.named(code)?;
        Some(Target {
            url: urls::question(url, id).into(),
            title: format!("{gp_title} for {area_name}").into(),
        })
    }

    /// Sorted, so that of two equally near suggestions the same one is
    /// made every run.
    fn all(&self) -> &[String] {
        self.all.get_or_init(|| {
            let mut v: Vec<String> = self.named.keys().map(|k| k.to_string()).collect();
            if self.read.is_some() {
                v.extend(self.ids.keys().cloned());
            }
            for (code, &e) in self.ids {
                if matches!(e, Elem::Area(_)) {
                    v.extend(self.gps.keys().map(|gp| asked_id(code, gp)));
                }
            }
            v.sort_unstable();
            v.dedup();
            v
        })
    }
}

/// What rendering one text found: its references, and its problems.
pub(super) type TextOutcome = (Vec<(Owner, Elem)>, Vec<Diagnostic>);

/// Renders every text of the model into its `html`, reports the links that
/// name nothing, and fills the book's backrefs. A text of an area taken
/// from the book before keeps its html when what it names did not change
/// (see [`Again`]).
pub(super) fn render_texts(b: &mut Book, diags: &mut Vec<Diagnostic>, again: Again) {
    let Book {
        model,
        ids,
        urls,
        backrefs: back,
        ..
    } = b;
    let (ids, urls) = (&*ids, &*urls);
    let targets = Targets::new(model, ids, urls);
    let results = match again.before.is_some() || again.keep_links {
        true => rendered_again(model, ids, &targets, again),
        // A build: every text rendered, nothing recorded.
        false => {
            // Texts borrow the model mutably while they render; what was
            // lost is small.
            let lost = &model.lost.clone();
            let allow_html = model.book.allow_html;
            (texts(model).par_iter_mut())
                .map(|t| render(t, &targets, lost, allow_html))
                .collect()
        }
    };
    *back = backrefs(model, ids, results, diags);
}

/// The texts of `model` rendered as [`render_texts`] does, those of areas
/// taken from the book before kept where what they name did not change,
/// and what each area's texts name recorded when asked.
fn rendered_again(
    model: &mut Model,
    ids: &Map<String, Elem>,
    targets: &Targets,
    again: Again,
) -> Vec<TextOutcome> {
    let before = (again.before).map(|o| Targets::reading(&o.model, &o.ids, &o.urls));
    let logs: Vec<Option<TextLinks>> = (model.areas.iter_mut()).map(|a| a.links.take()).collect();
    let lost = &model.lost.clone();
    let allow_html = model.book.allow_html;
    let mut texts = texts(model);
    let places = again::places(&texts);
    let (results, named): (Vec<TextOutcome>, Vec<Named>) = (texts.par_iter_mut())
        .zip(places.par_iter())
        .map(|(t, place)| {
            let log = place.and_then(|(a, i)| logs[a].as_ref()?.get(i));
            if let (Some(log), Some(before)) = (log, &before)
                && again::unchanged(log, targets, before)
            {
                return (again::kept(t.owner, log, ids), Named::Same);
            }
            let keep = again.keep_links;
            let (outcome, named) = render_naming(t, targets, lost, allow_html, keep);
            (outcome, named.map_or(Named::Not, Named::New))
        })
        .unzip();
    drop(texts);
    if again.keep_links {
        again::record(&mut model.areas, &places, named, &logs);
    }
    results
}

pub(super) fn render(
    t: &mut Text,
    targets: &Targets,
    lost: &Lost,
    allow_html: bool,
) -> TextOutcome {
    render_naming(t, targets, lost, allow_html, false).0
}

/// The element an id in `[[...]]` refers to: `AREA:GP` refers to the area
/// it is asked for.
pub(super) fn element(ids: &Map<String, Elem>, id: &str) -> Option<Elem> {
    (ids.get(id))
        .or_else(|| ids.get(id.split(':').next().unwrap_or("")))
        .copied()
}

/// [`render`], with every id the text names (those that resolved first)
/// when `naming`: what [`crate::model::Area::links`] records.
pub(super) fn render_naming(
    t: &mut Text,
    targets: &Targets,
    lost: &Lost,
    allow_html: bool,
    naming: bool,
) -> (TextOutcome, Option<Box<[Box<str>]>>) {
    let md = &mut *t.md;
    let opts = MdOptions {
        allow_html,
        heading_shift: t.shift,
        inline: t.inline,
        footnote_prefix: urls::footnote_prefix(&md.loc.file, md.loc.line),
    };
    let r = markdown::render(&md.src, &opts, |id| targets.get(id));
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
                    suggest(id, targets.all().iter().map(String::as_str))
                        .map(|s| format!("did you mean {s}?")),
                ),
        );
    }
    let refs = (r.refs.iter())
        .filter_map(|(id, _)| Some((t.owner, element(targets.ids, id)?)))
        .collect();
    md.html = r.html;
    let named = naming.then(|| {
        (r.refs.into_iter().chain(r.unresolved))
            .map(|(id, _)| id.into_boxed_str())
            .collect()
    });
    ((refs, d), named)
}

/// Target element -> the places that refer to it: an area's related areas
/// and elaborations, then the links of each text, in model order, each
/// place once. The problems the texts found join `diags` in the same order.
fn backrefs(
    model: &Model,
    ids: &Map<String, Elem>,
    results: Vec<TextOutcome>,
    diags: &mut Vec<Diagnostic>,
) -> Map<Elem, Vec<Backref>> {
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
    back
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use super::super::{Backref, Elem, Owner};
    use crate::urls;

    #[test]
    fn links_resolve_to_each_kind_of_element() {
        let body = "[[core]] [[EF]] [[EF-1]] [[EF-1.1]] [[GG2]] [[GG2.GP1]]";
        let (book, diags) = resolved(model(vec![area("XY", "", ""), area("EF", "", body)]));
        assert_eq!(diags, Vec::<String>::new());
        let html = &book.model.areas[1].introduction.html;
        for url in [
            urls::category("core"),
            urls::area("EF"),
            urls::objective("EF", "EF-1"),
            urls::practice("EF", "EF-1.1"),
            urls::goal("GG2"),
            urls::generic_practice("GG2", "GG2.GP1"),
        ] {
            assert!(html.contains(&href(&url)), "{url} in {html}");
        }
        // The title says what the link leads to.
        assert!(html.contains("title=\"EF-1.1 Practice EF-1.1\""), "{html}");
    }

    #[test]
    fn area_gp_links_to_the_question_on_the_area_page() {
        let body = "[[EF:GG2.GP1]] [[EF:GG2.GP9]] [[EF-1:GG2.GP1]]";
        let (book, diags) = resolved(model(vec![area("EF", "", ""), area("XY", "", body)]));
        let html = &book.model.areas[1].introduction.html;
        let url = urls::question(&urls::area("EF"), "EF:GG2.GP1");
        assert!(html.contains(&href(&url)), "{html}");
        assert!(
            html.contains("title=\"EF:GG2.GP1 Practice GG2.GP1 for Area EF\""),
            "{html}"
        );
        // Only a generic practice that exists, asked for an area.
        assert_eq!(
            diags,
            [
                "content/areas/XY.md:15:16: no element [[EF:GG2.GP9]] to link to | did you mean EF:GG2.GP1?",
                "content/areas/XY.md:15:31: no element [[EF-1:GG2.GP1]] to link to | did you mean EF:GG2.GP1?",
            ]
        );
        // It refers to the area it is asked for.
        assert_eq!(
            book.backrefs[&Elem::Area(0)],
            [Backref {
                from: Owner::Elem(Elem::Area(1)),
                how: "text"
            }]
        );
    }

    #[test]
    fn links_resolve_to_pages_and_to_the_glossary_if_there_is_one() {
        let body = "[[about]] [[glossary]]";
        let mut m = model(vec![area("EF", "", body)]);
        m.pages.push(page("about", "Page about"));
        m.glossary.push(term("plan", "A plan."));
        let (book, diags) = resolved(m.clone());
        assert_eq!(diags, Vec::<String>::new());
        let html = &book.model.areas[0].introduction.html;
        assert!(html.contains(&href(&urls::page("about"))), "{html}");
        assert!(html.contains(&href(urls::GLOSSARY)), "{html}");
        assert!(html.contains("title=\"about Page about\""), "{html}");

        m.glossary.clear();
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            ["content/areas/EF.md:15:11: no element [[glossary]] to link to"]
        );
    }

    #[test]
    fn an_element_named_like_a_page_wins() {
        let mut m = model(vec![area("EF", "", "[[core]]")]);
        m.pages.push(page("core", "Page core"));
        let (book, _) = resolved(m);
        let html = &book.model.areas[0].introduction.html;
        assert!(html.contains(&href(&urls::category("core"))), "{html}");
    }

    #[test]
    fn a_link_to_nothing_is_reported_where_it_stands_with_the_nearest_id() {
        let body = "Intro.\n\nSee [[EF-1.2]], [[ ]] and [[EF-1.1|the practice]].";
        let mut diags = Vec::new();
        let book = super::super::resolve(model(vec![area("EF", "", body)]), &mut diags);
        let short: Vec<String> = diags.iter().map(crate::diag::short).collect();
        assert_eq!(
            short[0],
            "content/areas/EF.md:17:5: no element [[EF-1.2]] to link to | did you mean EF-1.1?"
        );
        assert_eq!(short.len(), 2, "{short:?}");
        assert_eq!(diags[1].loc.to_string(), "content/areas/EF.md:17:17");
        assert_eq!(diags[1].message, "no element [[]] to link to");
        assert_eq!(diags[0].len, "[[EF-1.2]]".len() as u32);
        // What did not resolve shows as text; the rest still links.
        let html = &book.model.areas[0].introduction.html;
        assert!(html.contains("See EF-1.2, "), "{html}");
        assert!(
            html.contains(&href(&urls::practice("EF", "EF-1.1"))),
            "{html}"
        );
    }

    #[test]
    fn links_into_a_file_that_could_not_be_read_are_not_reported() {
        let mut m = model(vec![area(
            "EF",
            "",
            "[[EG]] [[EG-1.1]] [[EG:GG2.GP1]] [[GG3.GP1]]",
        )]);
        m.lost.ids.extend(["EG".to_string(), "GG3".to_string()]);
        assert_eq!(resolved(m).1, Vec::<String>::new());
    }

    #[test]
    fn backrefs_come_in_model_order_each_place_once() {
        let ef = area("EF", "related:\n  - XY\n", "[[EF]] refers to itself.");
        let xy = area(
            "XY",
            "elaborations:\n  GG2.GP1: For XY.\n",
            "[[EF]], [[EF]] again, and [[EF-1.1]].",
        );
        let ab = area("AB", "related:\n  - EF\n", "[[EF]], already related.");
        let mut m = model(vec![ef, xy, ab]);
        m.notice = Some(md("See [[EF]].", "content/model.yaml", 2, 9));
        m.glossary.push(term("plan", "As in [[EF]]."));
        m.pages.push(page("about", "Page about"));
        m.pages[0].body.src = "[[EF]] and [[EF-1.1]]".into();
        let (book, diags) = resolved(m);
        assert_eq!(diags, Vec::<String>::new());
        let (ef, xy, ab) = (Elem::Area(0), Elem::Area(1), Elem::Area(2));
        let from = |from, how| Backref { from, how };
        assert_eq!(
            book.backrefs[&ef],
            [
                from(Owner::Elem(ab), "related"),
                from(Owner::Elem(xy), "text"),
                from(Owner::Term(0), "text"),
                from(Owner::Page(0), "text"),
            ]
        );
        assert_eq!(
            book.backrefs[&Elem::Practice(0, 0, 0)],
            [from(Owner::Elem(xy), "text"), from(Owner::Page(0), "text")]
        );
        assert_eq!(book.backrefs[&xy], [from(Owner::Elem(ef), "related")]);
        assert_eq!(
            book.backrefs[&Elem::GenericPractice(0, 0)],
            [from(Owner::Elem(xy), "elaboration")]
        );
        assert!(!book.backrefs.contains_key(&ab));
    }
}
