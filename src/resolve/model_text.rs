//! model.yaml edited in place (`serve`): what it says that is only shown
//! changes (the model's title, version, source and notice; the names,
//! summaries and texts of categories, clusters, capability levels and
//! sources; the survey's introduction and the scale's labels and
//! descriptions; the words for the kinds of elements), while all that the
//! checks and the indexes read stays, but for what model.yaml's own checks
//! alone read (its clusters' areas and figures, the levels' requirements,
//! the scale's values, the sources' ids), taken when those checks pass.
//! Positions may move (a text that gains a line moves all after it): the
//! book takes the new ones, as nothing but model.yaml's own fields holds
//! them. Its texts are the site's, in no backrefs; a category's name is
//! the title its links show.

use super::free_texts::rendered_apart;
use super::{Book, Elem, Owner};
use crate::model::{Category, Model};
use std::collections::{HashMap, HashSet};

/// What model.yaml put in place changed.
#[derive(Debug)]
pub struct ModelText {
    /// The categories whose name, summary or list of areas changed: their
    /// pages show it.
    pub categories: Vec<Elem>,
    /// Whether anything but the title, version, source and notice changed
    /// (the lists of the model that pages share show it).
    pub more: bool,
    /// The new place of each area, when a category's list of areas moved
    /// them.
    pub moved: Option<Vec<usize>>,
    /// The warnings model.yaml's own checks give, when what they read
    /// changed.
    pub warnings: Vec<crate::diag::Diagnostic>,
}

/// Puts what model.yaml, freshly loaded into `new` (which holds nothing
/// else), shows into the book; the texts that link to a category renamed
/// are rendered again (its own and the site's are in no backrefs), and
/// the areas take the order new lists of a category's areas give them.
/// Gives `new` back, `b` untouched, when the book cannot take it so:
/// anything else the checks or indexes read differs from the book's
/// (compared with its positions left out: those are taken); a list names
/// an area that is not the category's, or lists change while old ids are
/// in use; or a text has a problem. A previous version's diff (made from
/// the whole book) is left for the caller to make again.
pub fn replace_model_text(b: &mut Book, mut new: Model) -> Result<ModelText, Box<Model>> {
    if read(&b.model, false) != read(&new, false) {
        return Err(Box::new(new));
    }
    let relisted = lists(&b.model) != lists(&new);
    if relisted && !(b.renames.is_empty() && lists_hold(&b.model, &new)) {
        return Err(Box::new(new));
    }
    let texts = super::texts::texts_in(&mut new, &|_| false);
    if rendered_apart(b, texts).is_none() {
        return Err(Box::new(new));
    }
    let mut warnings = Vec::new();
    if parts(&b.model) != parts(&new) {
        // Checked in the book's place, then given back for the taking.
        swap_parts(&mut b.model, &mut new);
        super::checks::model_parts(b, &mut warnings);
        swap_parts(&mut b.model, &mut new);
        if crate::diag::has_errors(&warnings) {
            return Err(Box::new(new));
        }
    }
    let more = read(&b.model, true) != read(&new, true);
    let m = &mut b.model;
    m.id = new.id;
    (m.title, m.version, m.source, m.notice) = (new.title, new.version, new.source, new.notice);
    (m.sources, m.clusters) = (new.sources, new.clusters);
    (m.terms, m.terms_plural) = (new.terms, new.terms_plural);
    (m.survey, m.capability_levels) = (new.survey, new.capability_levels);
    let (mut categories, mut naming) = (Vec::new(), HashSet::new());
    for (c, (cat, now)) in m.categories.iter_mut().zip(new.categories).enumerate() {
        let e = Elem::Category(c);
        if cat.name != now.name {
            naming.insert(Owner::Elem(e));
            let linking = b.backrefs.get(&e).into_iter().flatten();
            naming.extend(linking.filter(|r| r.how == "text").map(|r| r.from));
        }
        if (&cat.name, &cat.summary, list(cat)) != (&now.name, &now.summary, list(&now)) {
            categories.push(e);
        }
        // The description is its own file's.
        let description = cat.description.take();
        *cat = Category { description, ..now };
    }
    if !naming.is_empty() {
        naming.insert(Owner::Site);
        super::patch::render_again(b, &naming);
    }
    let moved = relisted.then(|| super::order::reorder(b));
    Ok(ModelText {
        categories,
        more,
        moved,
        warnings,
    })
}

/// What model.yaml's own checks alone read (`checks::model_parts`), as
/// text without positions: the survey's presence is left to the whole
/// check, as every area's questions are checked with it.
fn parts(m: &Model) -> String {
    let mut m = Model {
        clusters: m.clusters.clone(),
        capability_levels: m.capability_levels.clone(),
        survey: m.survey.clone(),
        sources: m.sources.clone(),
        ..Model::default()
    };
    for t in super::texts::texts(&mut m) {
        *t.md = Default::default();
    }
    without_positions(&format!(
        "{:?}",
        (&m.clusters, &m.capability_levels, &m.survey, &m.sources)
    ))
}

fn swap_parts(a: &mut Model, b: &mut Model) {
    std::mem::swap(&mut a.clusters, &mut b.clusters);
    std::mem::swap(&mut a.capability_levels, &mut b.capability_levels);
    std::mem::swap(&mut a.survey, &mut b.survey);
    std::mem::swap(&mut a.sources, &mut b.sources);
}

/// A category's list of areas, by code.
fn list(c: &Category) -> Option<Vec<&str>> {
    (c.area_order.as_ref()).map(|l| l.iter().map(|s| s.text.as_str()).collect())
}

/// Each category's list of areas.
fn lists(m: &Model) -> Vec<Option<Vec<&str>>> {
    m.categories.iter().map(list).collect()
}

/// Whether resolving would find nothing wrong with the lists of areas of
/// `new`'s categories, the areas being `m`'s: each lists only areas of its
/// own.
fn lists_hold(m: &Model, new: &Model) -> bool {
    let category: HashMap<&str, &str> = (m.areas.iter())
        .map(|a| (a.code.text.as_str(), a.category.text.as_str()))
        .collect();
    new.categories.iter().all(|c| {
        (c.area_order.iter().flatten())
            .all(|code| category.get(code.text.as_str()) == Some(&c.id.text.as_str()))
    })
}

/// What model.yaml gives a model but its title, version, source and
/// notice, as text, with the texts' html and every position left out;
/// `shown`: with what is only shown too (names, summaries, labels, the
/// texts themselves), else without, and so only what the whole check and
/// the indexes read (not `parts`, nor the categories' lists).
fn read(m: &Model, shown: bool) -> String {
    let mut rest = Model {
        id: m.id.clone(),
        terms: m.terms.clone(),
        terms_plural: m.terms_plural.clone(),
        sources: m.sources.clone(),
        categories: (m.categories.iter())
            .map(|c| Category {
                description: None,
                ..c.clone()
            })
            .collect(),
        clusters: m.clusters.clone(),
        survey: m.survey.clone(),
        capability_levels: m.capability_levels.clone(),
        ..Model::default()
    };
    for t in super::texts::texts(&mut rest) {
        t.md.html = String::new();
        if !shown {
            (t.md.src, t.md.runs) = (String::new(), Box::default());
        }
    }
    let survey = m.survey.is_some();
    if !shown {
        // Only pages show them (kinds of elements, lists' headings).
        (rest.terms, rest.terms_plural) = Default::default();
        // Compared apart (`parts`), but whether there is a survey.
        (rest.clusters, rest.capability_levels, rest.sources) = Default::default();
        rest.survey = None;
        for c in &mut rest.categories {
            // The lists of areas are compared apart (`lists`).
            (c.name, c.summary, c.area_order) = (String::new(), None, None);
        }
    }
    without_positions(&format!("{rest:?}, survey: {survey}"))
}

/// `debug`, a value's `{:?}`, without the numbers of its positions' (and
/// YAML runs') `line` and `col` fields, which are the only fields of those
/// names. Quoted strings (the content's words) are left as they are.
fn without_positions(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let (mut quoted, mut escaped, mut skip_digits) = (false, false, false);
    for (i, c) in debug.char_indices() {
        if quoted {
            (quoted, escaped) = (escaped || c != '"', !escaped && c == '\\');
        } else if skip_digits && c.is_ascii_digit() {
            continue;
        } else {
            skip_digits = [" line: ", " col: "]
                .iter()
                .any(|k| debug[..i + c.len_utf8()].ends_with(k));
            quoted = c == '"';
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;

    /// What loading model.yaml gives for the book's model: its fields, no
    /// html.
    fn yaml_of(m: &crate::model::Model) -> crate::model::Model {
        let mut y = crate::model::Model {
            id: m.id.clone(),
            title: m.title.clone(),
            version: m.version.clone(),
            notice: m.notice.clone(),
            terms: m.terms.clone(),
            terms_plural: m.terms_plural.clone(),
            categories: m.categories.clone(),
            clusters: m.clusters.clone(),
            capability_levels: m.capability_levels.clone(),
            survey: m.survey.clone(),
            sources: m.sources.clone(),
            ..Default::default()
        };
        for c in &mut y.categories {
            c.description = None;
        }
        for t in crate::resolve::texts::texts(&mut y) {
            t.md.html.clear();
        }
        y
    }

    fn with_notice(notice: &str) -> super::Book {
        book_with(|m| m.notice = Some(md(notice, "content/model.yaml", 4, 3)))
    }

    /// A category renamed (and given a summary): the notice, the
    /// category's own description and an area's text link to it, and show
    /// its new name as a fresh resolve does.
    #[test]
    fn a_category_renamed_in_model_yaml_is_shown_where_it_is_linked() {
        let edit = |name: &'static str| {
            move |m: &mut crate::model::Model| {
                m.notice = Some(md("See [[core]].", "content/model.yaml", 4, 3));
                m.categories[0].name = name.into();
                let desc = md("This is [[core]].", "content/categories/core.md", 1, 1);
                m.categories[0].description = Some(desc);
                let text = area_file("XY", "", "Part of [[core]].");
                m.areas[1] = area_from("XY", &text);
            }
        };
        let mut b = book_with(edit("Core things"));
        let mut new = yaml_of(&b.model);
        new.categories[0].name = "Essentials".into();
        new.categories[0].summary = Some("What matters.".into());
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert_eq!(changed.categories, [super::Elem::Category(0)]);
        assert!(changed.more);
        let fresh = book_with(|m| {
            edit("Essentials")(m);
            m.categories[0].summary = Some("What matters.".into());
        });
        assert!(every_html(&b) == every_html(&fresh), "texts differ");
        assert_eq!(b.backrefs, fresh.backrefs);
        let shown = every_html(&b)
            .iter()
            .filter(|h| h.contains("Essentials"))
            .count();
        assert_eq!(shown, 3, "{:?}", every_html(&b));
    }

    #[test]
    fn model_yaml_s_title_and_notice_are_put_in_place_and_nothing_else() {
        let mut b = with_notice("See [[EF-1.1]].");
        let backrefs = b.backrefs.clone();
        let mut new = yaml_of(&b.model);
        new.title = "Another title".into();
        new.version = "2".into();
        new.notice = Some(md("Now [[XY-1.1]].", "content/model.yaml", 4, 3));
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert!(changed.categories.is_empty() && !changed.more);
        let fresh = book_with(|m| {
            m.title = "Another title".into();
            m.version = "2".into();
            m.notice = Some(md("Now [[XY-1.1]].", "content/model.yaml", 4, 3));
        });
        assert_eq!(
            (b.model.title.as_str(), b.model.version.as_str()),
            ("Another title", "2")
        );
        let html = |b: &super::Book| b.model.notice.as_ref().unwrap().html.clone();
        assert_eq!(html(&b), html(&fresh));
        // The site's texts are in no backrefs.
        assert_eq!(b.backrefs, backrefs);
        // A link to nothing is refused.
        let mut broken = yaml_of(&with_notice("See [[EF-1.1]].").model);
        broken.notice = Some(md("[[NO-9]]", "content/model.yaml", 4, 3));
        let mut b = with_notice("See [[EF-1.1]].");
        assert!(super::replace_model_text(&mut b, broken).is_err(), "taken");
        let notice = &b.model.notice.as_ref().unwrap().src;
        assert_eq!(notice, "See [[EF-1.1]].");
    }

    /// The words for the kinds of elements are only shown: taken, with
    /// nothing else of the book changed.
    #[test]
    fn model_yaml_s_words_for_elements_are_put_in_place() {
        let mut b = with_notice("See [[EF-1.1]].");
        let (backrefs, html) = (b.backrefs.clone(), every_html(&b));
        let mut new = yaml_of(&b.model);
        new.terms.area = "Domain".into();
        new.terms_plural.area = "Domains".into();
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert!(changed.categories.is_empty() && changed.more);
        assert_eq!(
            (
                b.model.terms.area.as_str(),
                b.model.terms_plural.area.as_str()
            ),
            ("Domain", "Domains")
        );
        assert_eq!(b.kind(super::Elem::Area(0)), "Domain");
        assert_eq!(b.backrefs, backrefs);
        assert!(every_html(&b) == html, "texts changed");
    }

    /// `codes` as model.yaml's line `areas: [..]` lists them.
    fn listing(codes: &[&str]) -> Vec<crate::model::Str> {
        let at_col = |(i, c): (usize, &&str)| at(c, "content/model.yaml", 4, 12 + 4 * i as u32);
        codes.iter().enumerate().map(at_col).collect()
    }

    /// A category's list of areas changed in model.yaml: the areas take
    /// its order, as a fresh resolve gives it (their links' "referred to
    /// by" lists too); a list naming an unknown area, or another
    /// category's, is refused.
    #[test]
    fn a_category_s_list_of_areas_is_put_in_place() {
        let listed = |codes: &'static [&'static str]| {
            move |m: &mut crate::model::Model| {
                m.areas[0] = area("EF", "", "See [[GG2.GP1]] and [[XY-1]].");
                m.areas[1] = area("XY", "", "See [[GG2.GP1]].");
                m.areas
                    .push(area("AB", "", "See [[GG2.GP1]] and [[EF-1.1]]."));
                m.categories.push(category("other", 9));
                m.areas[2].category.text = "other".into();
                m.categories[0].area_order = Some(listing(codes));
            }
        };
        let mut b = book_with(listed(&["EF", "XY"]));
        let new = yaml_of(&book_with(listed(&["XY", "EF"])).model);
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert_eq!(changed.categories, [super::Elem::Category(0)]);
        assert!(changed.more);
        assert_eq!(changed.moved, Some(vec![1, 0, 2]));
        assert_same_book(&b, &book_with(listed(&["XY", "EF"])), "listed again");
        for (why, codes) in [
            ("an unknown area", &["XY", "EF", "NO"][..]),
            ("another category's", &["XY", "EF", "AB"][..]),
        ] {
            let mut new = yaml_of(&b.model);
            new.categories[0].area_order = Some(listing(codes));
            assert!(
                super::replace_model_text(&mut b, new).is_err(),
                "{why}: taken"
            );
            assert_eq!(area_codes(&b), ["XY", "EF", "AB"], "{why}");
        }
    }

    /// A text that gains a line moves every position after it: the book
    /// takes model.yaml's new positions, and what a fresh resolve gives.
    #[test]
    fn model_yaml_s_positions_moved_are_taken() {
        let edit = |line: u32| {
            move |m: &mut crate::model::Model| {
                m.notice = Some(md("See [[core]].", "content/model.yaml", 4, 3));
                let order = vec![at("EF", "content/model.yaml", line + 3, 9)];
                m.categories[0].area_order = Some(order);
                m.categories[0].id.loc.line = line;
                m.id.loc.line = line - 4;
            }
        };
        let mut b = book_with(edit(7));
        let new = yaml_of(&book_with(edit(9)).model);
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert!(changed.categories.is_empty() && !changed.more);
        let fresh = book_with(edit(9));
        let read = |b: &super::Book| format!("{:?}", (&b.model.id, &b.model.categories));
        assert_eq!(read(&b), read(&fresh));
        assert!(every_html(&b) == every_html(&fresh), "texts differ");
    }

    #[test]
    fn positions_are_left_out_and_words_are_not() {
        let debug = r#"Str { text: "line: 4, \" col: 7", loc: Loc { file: "a", line: 12, col: 3 } }, baseline: 5"#;
        assert_eq!(
            super::without_positions(debug),
            r#"Str { text: "line: 4, \" col: 7", loc: Loc { file: "a", line: , col:  } }, baseline: 5"#
        );
    }

    /// A cluster's and a capability level's names and descriptions: taken,
    /// their texts rendered as a fresh resolve renders them. A cluster's
    /// areas and a level's requirements: taken when model.yaml's own checks
    /// pass, refused (the book as it was) when they do not; and a survey
    /// added is left to the whole check.
    #[test]
    fn model_yaml_s_site_texts_and_parts_are_put_in_place_as_checked() {
        let edit = |name: &'static str, text: &'static str| {
            move |m: &mut crate::model::Model| {
                m.clusters.push(crate::model::Cluster {
                    id: at("pair", "content/model.yaml", 8, 9),
                    name: name.into(),
                    description: Some(md(text, "content/model.yaml", 9, 18)),
                    areas: vec![at("EF", "content/model.yaml", 10, 13)],
                    ..Default::default()
                });
                m.capability_levels.push(crate::model::CapabilityLevel {
                    level: 1,
                    loc: at("", "content/model.yaml", 12, 12).loc,
                    name: name.into(),
                    requires: vec![at("GG2", "content/model.yaml", 13, 16)],
                    description: Some(md(text, "content/model.yaml", 14, 18)),
                });
            }
        };
        let mut b = book_with(edit("Pair", "See [[EF-1.1]]."));
        let new = yaml_of(&book_with(edit("Twins", "Now [[XY]].")).model);
        let changed = super::replace_model_text(&mut b, new).unwrap();
        assert!(changed.categories.is_empty() && changed.more);
        let fresh = book_with(edit("Twins", "Now [[XY]]."));
        assert!(every_html(&b) == every_html(&fresh), "texts differ");
        assert_eq!(b.model.clusters[0].name, "Twins");
        assert_eq!(b.model.capability_levels[0].name, "Twins");
        let mut other_areas = yaml_of(&b.model);
        other_areas.clusters[0]
            .areas
            .push(at("XY", "content/model.yaml", 10, 17));
        let changed = super::replace_model_text(&mut b, other_areas).unwrap();
        assert!(changed.more && changed.warnings.is_empty());
        let codes = |b: &super::Book| {
            let c = &b.model.clusters[0].areas;
            c.iter().map(|s| s.text.clone()).collect::<Vec<_>>()
        };
        assert_eq!(codes(&b), ["EF", "XY"]);
        // A source added, then cited: it may not go.
        let mut sourced = yaml_of(&b.model);
        sourced.sources.push(crate::model::Source {
            id: at("TR", "content/model.yaml", 16, 9),
            short: "TR".into(),
            citation: None,
            year: None,
            notice: None,
        });
        super::replace_model_text(&mut b, sourced).unwrap();
        assert_eq!(b.model.sources.len(), 1);
        b.model.areas[0].source = Some(crate::model::SourceRef {
            document: at("TR", "content/areas/EF.md", 3, 13),
            section: None,
            page: None,
        });
        let mut unsourced = yaml_of(&b.model);
        unsourced.sources.clear();
        let mut unknown_area = yaml_of(&b.model);
        unknown_area.clusters[0].areas[0].text = "NO".into();
        let mut unknown_goal = yaml_of(&b.model);
        unknown_goal.capability_levels[0].requires[0].text = "GG9".into();
        let mut broken = yaml_of(&b.model);
        broken.clusters[0].description = Some(md("[[NO-9]]", "content/model.yaml", 9, 18));
        let mut surveyed = yaml_of(&b.model);
        surveyed.survey = Some(crate::model::Survey {
            scale: Vec::new(),
            performed_at: 0,
            performed_at_loc: Default::default(),
            not_applicable: true,
            loc: Default::default(),
            introduction: None,
        });
        for (why, new) in [
            ("a cluster's unknown area", unknown_area),
            ("a level requiring no generic goal", unknown_goal),
            ("a link to nothing", broken),
            ("a survey added", surveyed),
            ("a cited source removed", unsourced),
        ] {
            assert!(
                super::replace_model_text(&mut b, new).is_err(),
                "{why}: taken"
            );
            assert_eq!(codes(&b), ["EF", "XY"], "{why}");
            let requires = &b.model.capability_levels[0].requires[0].text;
            assert_eq!(requires, "GG2", "{why}");
            assert!(b.model.survey.is_none(), "{why}");
            assert_eq!(b.model.sources.len(), 1, "{why}");
        }
    }
}
