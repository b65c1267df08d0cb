//! What the model must satisfy across its files: each reference from one
//! element to another names one of the right kind, capability levels and
//! the survey scale go up, the glossary defines each term once.
//!
//! After a file failed to load, references into it are not reported: the
//! file's own error says why (see [`crate::model::Lost`]).

use super::{Book, Elem, Map, err_at};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::{Figure, Model, Str};

/// The categories areas name and the areas categories list. Made before
/// the areas are put in category order, so these come in file order.
pub(super) fn categories(m: &Model, diags: &mut Vec<Diagnostic>) {
    let cat_ids: Vec<&str> = m.categories.iter().map(|c| c.id.text.as_str()).collect();
    for a in &m.areas {
        if !cat_ids.contains(&a.category.text.as_str())
            && !a.category.text.is_empty()
            && !m.lost.categories
            && !m.lost.may_define(&a.category.text)
        {
            diags.push(
                err_at(
                    &a.category,
                    format!("unknown category `{}`", a.category.text),
                )
                .maybe_help(
                    did_you_mean(&a.category.text, cat_ids.iter().copied()).or_else(|| {
                        Some(format!("categories in model.yaml: {}", cat_ids.join(", ")))
                    }),
                ),
            );
        }
    }
    for c in &m.categories {
        for code in c.area_order.iter().flatten() {
            match m.areas.iter().find(|a| a.code.text == code.text) {
                None if m.lost.may_define(&code.text) => {}
                None => diags.push(
                    err_at(
                        code,
                        format!(
                            "no area `{}` to list under category `{}`",
                            code.text, c.id.text
                        ),
                    )
                    .maybe_help(did_you_mean(
                        &code.text,
                        m.areas.iter().map(|a| a.code.text.as_str()),
                    )),
                ),
                Some(a) if a.category.text != c.id.text => diags.push(err_at(
                    code,
                    format!(
                        "area `{}` belongs to category `{}`, not `{}`",
                        code.text, a.category.text, c.id.text
                    ),
                )),
                _ => {}
            }
        }
    }
}

/// Every check that needs the ids known, in the order their problems are told.
pub(super) fn structure(b: &Book, diags: &mut Vec<Diagnostic>) {
    area_refs(b, diags);
    model_parts(b, diags);
    same_questions(&b.model, diags);
    glossary(&b.model, diags);
}

/// The checks of what model.yaml alone says beyond its categories: its
/// clusters, capability levels, survey scale and sources (`serve` puts
/// them in place when they pass, so that they are the whole check's own).
pub(super) fn model_parts(b: &Book, diags: &mut Vec<Diagnostic>) {
    clusters(b, diags);
    levels(b, diags);
    survey(&b.model, diags);
    sources(&b.model, diags);
}

/// Each `source` and page `sources` naming a document of model.yaml's
/// `sources`.
fn sources(m: &Model, diags: &mut Vec<Diagnostic>) {
    let ids: Vec<&str> = m.sources.iter().map(|s| s.id.text.as_str()).collect();
    let named = m
        .areas
        .iter()
        .filter_map(|a| a.source.as_ref())
        .chain(m.generic_goals.iter().filter_map(|g| g.source.as_ref()))
        .map(|r| &r.document)
        .chain(m.pages.iter().flat_map(|p| p.sources.iter().flatten()));
    for d in named {
        if !ids.contains(&d.text.as_str()) {
            diags.push(
                err_at(
                    d,
                    format!("no source `{}` in model.yaml's `sources`", d.text),
                )
                .maybe_help(did_you_mean(&d.text, ids.iter().copied())),
            );
        }
    }
}

/// Whether `r` names an element that `kind` accepts, or one a file that
/// could not be read may define.
fn names(b: &Book, r: &Str, kind: fn(Elem) -> bool) -> bool {
    b.ids.get(&r.text).is_some_and(|&e| kind(e)) || b.model.lost.may_define(&r.text)
}

fn is_area(e: Elem) -> bool {
    matches!(e, Elem::Area(_))
}

fn area_codes(m: &Model) -> impl Iterator<Item = &str> {
    m.areas.iter().map(|a| a.code.text.as_str())
}

/// An area's related areas and the generic practices it elaborates, area
/// by area.
fn area_refs(b: &Book, diags: &mut Vec<Diagnostic>) {
    for a in &b.model.areas {
        area_refs_of(b, a, diags);
    }
}

/// [`area_refs`] of one area.
pub(super) fn area_refs_of(b: &Book, a: &crate::model::Area, diags: &mut Vec<Diagnostic>) {
    let m = &b.model;
    for r in a.related.iter().filter(|r| !names(b, &r.area, is_area)) {
        diags.push(
            err_at(
                &r.area,
                format!("no area `{}` for a related area", r.area.text),
            )
            .maybe_help(did_you_mean(&r.area.text, area_codes(m))),
        );
    }
    let is_gp = |e| matches!(e, Elem::GenericPractice(..));
    for (gp, _) in a.elaborations.iter().filter(|(gp, _)| !names(b, gp, is_gp)) {
        let gp_ids = m
            .generic_goals
            .iter()
            .flat_map(|g| g.practices.iter().map(|p| p.id.text.as_str()));
        diags.push(
            err_at(
                gp,
                format!("no generic practice `{}` to elaborate", gp.text),
            )
            .maybe_help(did_you_mean(&gp.text, gp_ids)),
        );
    }
}

fn clusters(b: &Book, diags: &mut Vec<Diagnostic>) {
    for c in &b.model.clusters {
        for code in c.areas.iter().filter(|code| !names(b, code, is_area)) {
            diags.push(
                err_at(
                    code,
                    format!("no area `{}` for cluster `{}`", code.text, c.id.text),
                )
                .maybe_help(did_you_mean(&code.text, area_codes(&b.model))),
            );
        }
    }
    // Two diagrams under one number would leave a reader of the text unsure
    // which one it cites.
    let figures: Vec<&Figure> = b
        .model
        .clusters
        .iter()
        .filter_map(|c| c.figure.as_ref())
        .collect();
    for (i, f) in figures.iter().enumerate() {
        if let Some(first) = figures[..i].iter().find(|g| g.number == f.number) {
            diags.push(
                Diagnostic::error(
                    f.loc.clone(),
                    format!("two clusters are Figure {}", f.number),
                )
                .note(first.loc.clone(), "the first is here"),
            );
        }
        // A figure takes the place of its caption in a category's text; without one
        // it is shown on its areas' pages only, which is worth knowing.
        let caption = format!("*Figure {}:", f.number);
        let mut texts = b
            .model
            .categories
            .iter()
            .filter_map(|c| c.description.as_ref());
        if !texts.any(|d| d.src.lines().any(|l| l.trim_start().starts_with(&caption))) {
            diags.push(
                Diagnostic::warning(
                    f.loc.clone(),
                    format!("no category text has the caption of Figure {}", f.number),
                )
                .help(format!(
                    "a paragraph `{caption} {}*` in a category's text is where the figure is drawn; \
                     without one it is shown on its areas' pages only",
                    f.caption
                )),
            );
        }
    }
}

/// Capability levels: each requires generic goals, and each is above the one before.
fn levels(b: &Book, diags: &mut Vec<Diagnostic>) {
    let m = &b.model;
    let is_goal = |e| matches!(e, Elem::Goal(_));
    let mut prev: Option<i64> = None;
    for l in &m.capability_levels {
        for r in l.requires.iter().filter(|r| !names(b, r, is_goal)) {
            diags.push(
                err_at(
                    r,
                    format!(
                        "capability level {} requires `{}`, which is no generic goal",
                        l.level, r.text
                    ),
                )
                .maybe_help(did_you_mean(
                    &r.text,
                    m.generic_goals.iter().map(|g| g.id.text.as_str()),
                )),
            );
        }
        if prev.is_some_and(|p| l.level <= p) {
            diags.push(Diagnostic::error(
                l.loc.clone(),
                format!(
                    "capability levels must be listed in increasing order ({} after {})",
                    l.level,
                    prev.unwrap_or(0)
                ),
            ));
        }
        prev = Some(l.level);
    }
}

/// The survey's scale: some values, going up, `performed_at` one of them.
fn survey(m: &Model, diags: &mut Vec<Diagnostic>) {
    let Some(s) = &m.survey else {
        return;
    };
    if s.scale.is_empty() {
        diags.push(Diagnostic::error(
            s.loc.clone(),
            "the survey scale has no values",
        ));
    }
    if let Some(w) = s.scale.windows(2).find(|w| w[1].value <= w[0].value) {
        diags.push(Diagnostic::error(
            w[1].loc.clone(),
            format!(
                "survey scale values must increase from least to most competent ({} after {})",
                w[1].value, w[0].value
            ),
        ));
    }
    if !s.scale.iter().any(|v| v.value == s.performed_at) && !s.scale.is_empty() {
        diags.push(
            Diagnostic::error(
                s.performed_at_loc.clone(),
                format!(
                    "`performed_at: {}` is not a value of the scale",
                    s.performed_at
                ),
            )
            .help(format!(
                "the scale has: {}",
                s.scale
                    .iter()
                    .map(|v| v.value.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        );
    }
}

/// A warning for each survey question worded as an earlier one of its
/// area (or of the generic practices): a respondent cannot tell them apart
/// (a statement copied from a neighbour is the usual cause; a `question` of
/// its own tells them apart). Across areas the same words are the model's
/// design (the asset areas share their structure) and the area tells them
/// apart.
fn same_questions(m: &Model, diags: &mut Vec<Diagnostic>) {
    if m.survey.is_none() {
        return;
    }
    for a in &m.areas {
        same_words(asked_in(a), diags);
    }
    let generic = m
        .generic_goals
        .iter()
        .flat_map(|g| &g.practices)
        .map(|p| asked(&p.id, &p.question, &p.statement));
    same_words(generic, diags);
}

/// The same warnings for one area alone (what `serve` checks of an area
/// file it puts in place).
pub(super) fn same_questions_in(m: &Model, a: usize, diags: &mut Vec<Diagnostic>) {
    if let (Some(_), Some(area)) = (&m.survey, m.areas.get(a)) {
        same_words(asked_in(area), diags);
    }
}

/// What the survey asks for a practice: its question, else its statement.
fn asked<'m>(id: &'m Str, q: &Option<String>, s: &crate::model::Md) -> (&'m Str, String) {
    (id, q.clone().unwrap_or_else(|| s.src.clone()))
}

fn asked_in(a: &crate::model::Area) -> impl Iterator<Item = (&Str, String)> {
    a.objectives
        .iter()
        .flat_map(|o| &o.practices)
        .map(|p| asked(&p.id, &p.question, &p.statement))
}

/// A warning for each question of `group` in the words of an earlier one.
fn same_words<'m>(group: impl Iterator<Item = (&'m Str, String)>, diags: &mut Vec<Diagnostic>) {
    let mut seen: Map<String, &Str> = Map::default();
    for (id, text) in group {
        let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if words.is_empty() {
            continue;
        }
        match seen.get(&words) {
            Some(first) => diags.push(
                Diagnostic::warning(
                    id.loc.clone(),
                    format!(
                        "the survey asks `{}` in the same words as `{}`",
                        id.text, first.text
                    ),
                )
                .len(id.text.chars().count())
                .help("give one of them a `question` of its own"),
            ),
            None => {
                seen.insert(words, id);
            }
        }
    }
}

/// Each term defined once, and each `see_also` naming a defined one.
pub(super) fn glossary(m: &Model, diags: &mut Vec<Diagnostic>) {
    let mut terms: Map<&str, &Str> = Map::default();
    for t in &m.glossary {
        if let Some(first) = terms.insert(t.term.text.as_str(), &t.term) {
            diags.push(
                err_at(
                    &t.term,
                    format!("the glossary defines `{}` twice", t.term.text),
                )
                .note(first.loc.clone(), "first defined here"),
            );
        }
    }
    for t in &m.glossary {
        for sa in &t.see_also {
            if !terms.contains_key(sa.text.as_str()) {
                diags.push(
                    err_at(
                        sa,
                        format!(
                            "`see_also` names `{}`, which the glossary does not define",
                            sa.text
                        ),
                    )
                    .maybe_help(did_you_mean(&sa.text, terms.keys().copied())),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::sample::*;
    use crate::model::*;

    #[test]
    fn an_unknown_category_gets_the_nearest_or_the_list() {
        let near = area_file("EF", "", "").replace("category: core", "category: cre");
        let far = area_file("XY", "", "").replace("category: core", "category: zzzzzz");
        let (_, diags) = resolved(model(vec![area_from("EF", &near), area_from("XY", &far)]));
        assert_eq!(
            diags,
            [
                "content/areas/EF.md:4:11: unknown category `cre` | did you mean `core`?",
                "content/areas/XY.md:4:11: unknown category `zzzzzz` | categories in model.yaml: core",
            ]
        );
    }

    #[test]
    fn two_questions_in_the_same_words_are_a_warning() {
        let mut m = model(vec![area("EF", "", ""), area("XY", "", "")]);
        m.survey = Some(survey(&[0, 1], 1));
        let mut copy = m.areas[0].objectives[0].practices[0].clone();
        copy.id = at("EF-1.2", "content/areas/EF.md", 14, 13);
        copy.statement.src = "Statement of  EF-1.1.".into();
        m.areas[0].objectives[0].practices.push(copy);
        // The same words in another area are not told (the area tells them apart).
        m.areas[1].objectives[0].practices[0].statement.src = "Statement of EF-1.1.".into();
        let (_, diags) = resolved(m.clone());
        assert_eq!(
            diags,
            [
                "content/areas/EF.md:14:13: the survey asks `EF-1.2` in the same words as `EF-1.1` | give one of them a `question` of its own"
            ]
        );
        // One area alone (serve, an area put in place) is told the same.
        let alone = |a| {
            let mut d = Vec::new();
            super::same_questions_in(&m, a, &mut d);
            d.iter().map(crate::diag::short).collect::<Vec<_>>()
        };
        assert_eq!(alone(0), diags);
        assert_eq!(alone(1), Vec::<String>::new());
        // A question of its own tells them apart.
        m.areas[0].objectives[0].practices[1].question = Some("Is EF-1.2 done?".into());
        assert_eq!(resolved(m).1, Vec::<String>::new());
    }

    #[test]
    fn a_category_lists_only_its_own_areas() {
        let other = area_file("GA", "", "").replace("category: core", "category: other");
        let mut m = model(vec![area("EF", "", ""), area_from("GA", &other)]);
        m.categories.push(category("other", 4));
        m.categories[0].area_order = Some(vec![
            at("EF", "content/model.yaml", 5, 13),
            at("EG", "content/model.yaml", 5, 17),
            at("GA", "content/model.yaml", 5, 21),
        ]);
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            [
                "content/model.yaml:5:17: no area `EG` to list under category `core` | did you mean `EF`?",
                "content/model.yaml:5:21: area `GA` belongs to category `other`, not `core`",
            ]
        );
    }

    #[test]
    fn related_areas_and_elaborations_name_elements_of_their_kind() {
        let yaml = "related:\n  - EG\n  - XY\nelaborations:\n  GG2.GP11: For EF.\n  EF-1: Not a generic practice.\n  GG2.GP1: Fine.\n";
        let m = model(vec![area("EF", yaml, ""), area("XY", "", "")]);
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            [
                "content/areas/EF.md:15:5: no area `EG` for a related area | did you mean `EF`?",
                "content/areas/EF.md:18:3: no generic practice `GG2.GP11` to elaborate | did you mean `GG2.GP1`?",
                "content/areas/EF.md:19:3: no generic practice `EF-1` to elaborate",
            ]
        );
    }

    #[test]
    fn a_cluster_names_areas() {
        let mut m = model(vec![area("EF", "", "")]);
        m.clusters.push(Cluster {
            id: at("pair", "content/model.yaml", 8, 9),
            name: "Pair".into(),
            description: None,
            areas: vec![
                at("EF", "content/model.yaml", 10, 13),
                at("EF-1", "content/model.yaml", 10, 17),
            ],
            ..Cluster::default()
        });
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            ["content/model.yaml:10:17: no area `EF-1` for cluster `pair` | did you mean `EF`?"]
        );
    }

    fn level(level: i64, line: u32, requires: &[&str]) -> CapabilityLevel {
        CapabilityLevel {
            level,
            loc: at("", "content/model.yaml", line, 14).loc,
            name: format!("Level {level}"),
            requires: requires
                .iter()
                .map(|r| at(r, "content/model.yaml", line, 40))
                .collect(),
            description: None,
        }
    }

    #[test]
    fn capability_levels_go_up_and_require_generic_goals() {
        let mut m = model(vec![area("EF", "", "")]);
        m.capability_levels = vec![
            level(0, 20, &[]),
            level(2, 21, &["GG2"]),
            level(1, 22, &["GG3"]),
            level(1, 23, &["GG2.GP1"]),
        ];
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            [
                "content/model.yaml:22:40: capability level 1 requires `GG3`, which is no generic goal | did you mean `GG2`?",
                "content/model.yaml:22:14: capability levels must be listed in increasing order (1 after 2)",
                "content/model.yaml:23:40: capability level 1 requires `GG2.GP1`, which is no generic goal",
                "content/model.yaml:23:14: capability levels must be listed in increasing order (1 after 1)",
            ]
        );
    }

    fn survey(values: &[i64], performed_at: i64) -> Survey {
        let loc = |line| at("", "content/model.yaml", line, 7).loc;
        Survey {
            scale: (values.iter().zip(31..))
                .map(|(&value, line)| ScaleValue {
                    value,
                    label: format!("{value}"),
                    description: None,
                    loc: loc(line),
                })
                .collect(),
            performed_at,
            performed_at_loc: loc(40),
            not_applicable: false,
            loc: loc(30),
            introduction: None,
        }
    }

    fn survey_problems(values: &[i64], performed_at: i64) -> Vec<String> {
        let mut m = model(vec![area("EF", "", "")]);
        m.survey = Some(survey(values, performed_at));
        resolved(m).1
    }

    #[test]
    fn performed_at_is_a_value_of_a_scale_that_goes_up() {
        assert_eq!(survey_problems(&[0, 1, 2], 1), Vec::<String>::new());
        assert_eq!(
            survey_problems(&[0, 1, 2], 5),
            [
                "content/model.yaml:40:7: `performed_at: 5` is not a value of the scale | the scale has: 0, 1, 2"
            ]
        );
        assert_eq!(
            survey_problems(&[0, 2, 1], 1),
            [
                "content/model.yaml:33:7: survey scale values must increase from least to most competent (1 after 2)"
            ]
        );
        // An empty scale is told once, not once more for `performed_at`.
        assert_eq!(
            survey_problems(&[], 1),
            ["content/model.yaml:30:7: the survey scale has no values"]
        );
    }

    fn term(text: &str, line: u32, see_also: &[&str]) -> Term {
        Term {
            term: at(text, "content/glossary.yaml", line, 9),
            definition: md("A word.", "content/glossary.yaml", line + 1, 17),
            source: None,
            see_also: see_also
                .iter()
                .map(|s| at(s, "content/glossary.yaml", line + 2, 15))
                .collect(),
        }
    }

    #[test]
    fn the_glossary_defines_each_term_once_and_see_also_names_one() {
        let mut m = model(vec![area("EF", "", "")]);
        m.glossary = vec![term("plan", 1, &["plam"]), term("plan", 5, &[])];
        let (_, diags) = resolved(m);
        assert_eq!(
            diags,
            [
                "content/glossary.yaml:5:9: the glossary defines `plan` twice | note content/glossary.yaml:1:9",
                "content/glossary.yaml:3:15: `see_also` names `plam`, which the glossary does not define | did you mean `plan`?",
            ]
        );
    }

    #[test]
    fn references_into_a_file_that_could_not_be_read_are_not_reported() {
        let yaml = "related:\n  - EG\nelaborations:\n  GG3.GP1: For EF.\n";
        let mut m = model(vec![area("EF", yaml, "")]);
        m.capability_levels = vec![level(1, 20, &["GG3"])];
        m.lost.ids.extend(["EG".to_string(), "GG3".to_string()]);
        assert_eq!(resolved(m).1, Vec::<String>::new());
    }
}
