//! Across dates: for each (organization, scope), each date's area levels
//! and what practices became performed, or stopped being, since the date
//! before.
//!
//! With several assessors at one date, the date counts with their `min`
//! consensus (the conservative answer per question, see [`super::consensus`]),
//! scored by the survey's rules: one level per area and date, never an
//! average. A file without a date is the earliest of its scope.

use super::Assessment;
use super::consensus::{self, Rule};
use super::summary::{Given, Index};
use super::team::key;
use crate::scoring::{self, Status, Survey};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub organization: String,
    pub scope: String,
    pub dates: Vec<DatePoint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatePoint {
    pub date: String,
    pub files: usize,
    pub areas: Vec<DateArea>,
    /// Practices performed at this date and not at the date before.
    pub became_performed: Vec<String>,
    /// Practices performed at the date before and not at this one.
    pub stopped_performed: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DateArea {
    pub id: String,
    pub status: Status,
    pub level: Option<i64>,
}

pub(super) fn history(survey: &Survey, index: &Index, list: &[Assessment]) -> Vec<History> {
    let mut scopes: BTreeMap<[&str; 2], BTreeMap<&str, Vec<&Assessment>>> = BTreeMap::new();
    for a in list {
        let [o, s, _, d] = key(&a.respondent);
        scopes
            .entry([o, s])
            .or_default()
            .entry(d)
            .or_default()
            .push(a);
    }
    scopes
        .into_iter()
        .map(|([o, s], dates)| {
            let mut points: Vec<DatePoint> = Vec::with_capacity(dates.len());
            let mut before: Option<BTreeSet<u32>> = None;
            for (d, files) in dates {
                let (point, performed) = point(survey, index, d, &files, before.as_ref());
                points.push(point);
                before = Some(performed);
            }
            History {
                organization: o.to_string(),
                scope: s.to_string(),
                dates: points,
            }
        })
        .collect()
}

fn point(
    survey: &Survey,
    index: &Index,
    date: &str,
    files: &[&Assessment],
    before: Option<&BTreeSet<u32>>,
) -> (DatePoint, BTreeSet<u32>) {
    let agreed = consensus::agree(index, files, Rule::Min);
    let scope = consensus::scope(files);
    let scores = scoring::assess(survey, &consensus::answers(index, &agreed), &scope);
    // Practices only (not generic practices), in the areas in scope.
    let performed: BTreeSet<u32> = agreed
        .iter()
        .filter(|a| {
            let q = &index.questions[a.question as usize];
            !q.generic
                && scope.in_scope(&q.area)
                && matches!(a.given, Some(Given::Value(v)) if v >= index.performed_at)
        })
        .map(|a| a.question)
        .collect();
    let ids = |set: Vec<&u32>| -> Vec<String> {
        set.into_iter()
            .map(|&q| index.questions[q as usize].id.to_string())
            .collect()
    };
    let (became, stopped) = match before {
        Some(b) => (
            ids(performed.difference(b).collect()),
            ids(b.difference(&performed).collect()),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let point = DatePoint {
        date: date.to_string(),
        files: files.len(),
        areas: scores
            .iter()
            .map(|s| DateArea {
                id: s.code.clone(),
                status: s.status,
                level: s.level,
            })
            .collect(),
        became_performed: became,
        stopped_performed: stopped,
    };
    (point, performed)
}
