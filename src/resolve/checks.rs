//! What the model must satisfy across its files: each reference from one
//! element to another names one of the right kind, capability levels and
//! the survey scale go up, the glossary defines each term once.
//!
//! After a file failed to load, references into it are not reported: the
//! file's own error says why (see [`crate::model::Lost`]).

use super::{Book, Elem, Map, err_at};
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::{Model, Str};

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
    clusters(b, diags);
    levels(b, diags);
    survey(&b.model, diags);
    glossary(&b.model, diags);
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
    let m = &b.model;
    for a in &m.areas {
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

/// Each term defined once, and each `see_also` naming a defined one.
fn glossary(m: &Model, diags: &mut Vec<Diagnostic>) {
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
