//! Answers given to ids a later version of the model renamed (`replaces`)
//! move to the new ids. The rule is also scoring.js's `renames`, and both are
//! held to the vectors of `tests/renames/cases.json`:
//!
//! - an answer moves when its id is no question of the model and the survey
//!   data's `renames` maps it (or, for `AREA:GP`, its area) to a question;
//! - it stays where it is when the new id has its own answer (`answered`),
//!   or when another answer of the file moves to the same new id (`shared`:
//!   two practices merged into one; neither answer is preferred).

use std::collections::{BTreeMap, HashMap};

/// What moves, and what stays where it is and why, each in old-id order.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Moves {
    pub moved: Vec<(String, String)>,
    pub kept: Vec<(String, String, &'static str)>,
}

/// The id an answer to `id` moves to under `renames`, before any check.
pub fn target(renames: &BTreeMap<String, String>, id: &str) -> Option<String> {
    if let Some(new) = renames.get(id) {
        return Some(new.clone());
    }
    let (area, gp) = id.split_once(':')?;
    renames.get(area).map(|a| crate::model::asked_id(a, gp))
}

/// Which of `answered` move where, for a model asking `is_question`.
pub fn plan<'a>(
    renames: &BTreeMap<String, String>,
    is_question: impl Fn(&str) -> bool,
    answered: impl IntoIterator<Item = &'a str>,
) -> Moves {
    let answered: Vec<&str> = answered.into_iter().collect();
    let mut wanted: BTreeMap<&str, String> = BTreeMap::new();
    for id in &answered {
        if is_question(id) {
            continue;
        }
        if let Some(new) = target(renames, id).filter(|n| is_question(n)) {
            wanted.insert(id, new);
        }
    }
    let mut claims: HashMap<&str, usize> = HashMap::new();
    for new in wanted.values() {
        *claims.entry(new.as_str()).or_default() += 1;
    }
    let mut out = Moves::default();
    for (old, new) in &wanted {
        let why = if answered.contains(&new.as_str()) {
            Some("answered")
        } else if claims[new.as_str()] > 1 {
            Some("shared")
        } else {
            None
        };
        match why {
            Some(why) => out.kept.push((old.to_string(), new.clone(), why)),
            None => out.moved.push((old.to_string(), new.clone())),
        }
    }
    out
}

/// Moves the answers and evidence of `file` as [`plan`] says, and its plan
/// entries by the same rule over the plan's own ids; returns what moved
/// and what stayed of the answers.
pub fn apply(
    renames: &BTreeMap<String, String>,
    is_question: impl Fn(&str) -> bool,
    file: &mut super::AnswerFile,
) -> Moves {
    let moves = plan(
        renames,
        &is_question,
        file.answers.keys().map(String::as_str),
    );
    for (old, new) in &moves.moved {
        if let Some(a) = file.answers.remove(old) {
            file.answers.insert(new.clone(), a);
        }
        if let Some(e) = file.evidence.remove(old) {
            file.evidence.insert(new.clone(), e);
        }
    }
    let entries = plan(renames, &is_question, file.plan.keys().map(String::as_str));
    for (old, new) in entries.moved {
        if let Some(p) = file.plan.remove(&old) {
            file.plan.insert(new, p);
        }
    }
    moves
}

/// What a report says about the answers of `file` (its name) that moved
/// (warnings: the file holds ids of an earlier version) and those that stayed.
pub fn diagnostics(file: &str, moves: &Moves) -> Vec<crate::diag::Diagnostic> {
    use crate::diag::{Diagnostic, Loc, plural};
    let loc = Loc {
        file: file.into(),
        ..Loc::default()
    };
    let mut out = Vec::new();
    if !moves.moved.is_empty() {
        let list: Vec<String> = moves
            .moved
            .iter()
            .map(|(o, n)| format!("{o} -> {n}"))
            .collect();
        out.push(Diagnostic::warning(
            loc.clone(),
            format!(
                "{} to ids this version of the model renamed moved to the new ids: {}",
                plural(moves.moved.len(), "answer"),
                list.join(", ")
            ),
        ));
    }
    for (old, new, why) in &moves.kept {
        let because = match *why {
            "answered" => format!("`{new}` has its own answer"),
            _ => format!("another answer of the file moves to `{new}` too"),
        };
        out.push(Diagnostic::warning(
            loc.clone(),
            format!("the answer to `{old}` (now `{new}`) was not moved: {because}; it counts for nothing"),
        ));
    }
    out
}
