//! Files of one team: each file keyed by its respondent (organization,
//! scope, assessor, date), two files of one key refused, and the assessors
//! of one (organization, scope, date) compared question by question.
//!
//! A question is *disputed* when its answers straddle the scale's
//! `performed_at` (one says performed, another not), when they lie two
//! steps of the scale apart or more, or when one assessor answers N/A and
//! another gives a value (N/A takes the practice out of the area's count,
//! so it moves the level as much as a value does). A question that some
//! leave unanswered is shown with the others' answers and is not disputed
//! for that: an unanswered question is no claim. Answers are never averaged.

use super::summary::{Given, Index, Kept};
use super::{Assessment, EvidenceRef};
use crate::answers::Respondent;
use crate::diag::{Diagnostic, Loc};
use crate::scoring::Status;
use crate::yaml::Pos;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The respondent detail the per-file results are ordered by (`--by`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum By {
    Organization,
    Scope,
    Assessor,
    Date,
}

/// A file's key: its respondent's details, empty where not given.
pub(super) fn key(r: &Respondent) -> [&str; 4] {
    r.fields().map(|(_, v)| v.unwrap_or(""))
}

/// Where a file gives its respondent: known when the file was read with
/// positions, else found again in its text when a message needs it.
pub(super) struct Place<'a> {
    pub label: &'a str,
    pub path: &'a Path,
    pub known: Option<Pos>,
}

impl Place<'_> {
    /// The place; the file's start when it gives no respondent.
    fn loc(&self) -> Loc {
        let pos = self.known.or_else(|| {
            let text = std::fs::read_to_string(self.path).ok()?;
            crate::answers::respondent_position(&text)
        });
        Loc {
            file: self.label.into(),
            line: pos.map_or(1, |p| p.line),
            col: pos.map_or(1, |p| p.col),
        }
    }
}

/// The keys met so far, with where each was given (found only when a
/// second file of a key needs it).
#[derive(Default)]
pub(super) struct Keys(HashMap<[String; 4], (String, PathBuf, Option<Pos>)>);

impl Keys {
    /// Adds a file's key: a key met before is an error at this file naming
    /// the other; with several files, details left out are a warning (the
    /// file is grouped with the others that leave them out).
    pub fn add(
        &mut self,
        r: &Respondent,
        place: Place,
        several: bool,
        diags: &mut Vec<Diagnostic>,
    ) {
        let missing: Vec<&str> = r
            .fields()
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| *k)
            .collect();
        if several && !missing.is_empty() {
            let d = Diagnostic::warning(
                place.loc(),
                format!(
                    "the respondent gives no {}: the file is grouped with the files that give none either",
                    missing.join(", ")
                ),
            );
            diags.push(
                d.help("fill in the respondent details on the survey page, then export again"),
            );
        }
        let k = key(r).map(str::to_string);
        if let Some((label, path, known)) = self.0.get(&k) {
            let first = Place {
                label,
                path,
                known: *known,
            }
            .loc();
            let who: Vec<String> = r
                .fields()
                .iter()
                .map(|(n, v)| format!("{n} {}", v.map_or("(none)".into(), |v| format!("{v:?}"))))
                .collect();
            let d = Diagnostic::error(
                place.loc(),
                format!(
                    "a second answer file of one respondent ({}): the first is {}:{}:{}",
                    who.join(", "),
                    first.file,
                    first.line,
                    first.col
                ),
            );
            diags.push(d.help(
                "two files of one organization, scope, assessor and date cannot both count: remove one, or set the assessor or date that tells them apart",
            ));
        } else {
            let first = (
                place.label.to_string(),
                place.path.to_path_buf(),
                place.known,
            );
            self.0.insert(k, first);
        }
    }
}

/// Orders the files by one respondent detail, then by the others in the
/// survey's order, then by file name; without `by` they stay as given.
pub(super) fn order(list: &mut [Assessment], by: Option<By>) {
    let Some(by) = by else { return };
    let first = by as usize;
    list.sort_by(|a, b| {
        let (ka, kb) = (key(&a.respondent), key(&b.respondent));
        ka[first]
            .cmp(kb[first])
            .then_with(|| ka.cmp(&kb))
            .then_with(|| a.file.cmp(&b.file))
    });
}

/// The assessors of one organization, scope and date.
#[derive(Debug, Clone, Serialize)]
pub struct Team {
    pub organization: String,
    pub scope: String,
    pub date: String,
    pub assessors: Vec<Member>,
    /// Each area's level and status per assessor, in the assessors' order.
    pub areas: Vec<TeamArea>,
    /// With two assessors or more: every question whose answers differ,
    /// that someone left unanswered while another answered, or that has a
    /// note or evidence, in model order, with every assessor's answer.
    pub questions: Vec<Compared>,
    /// The other questions answered: every assessor gave this one answer,
    /// without note or evidence.
    pub alike: Vec<Alike>,
    /// The ids of the disputed questions.
    pub disputed: Vec<Arc<str>>,
    /// The places of the team's files in the report's `assessments`.
    #[serde(skip)]
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Alike {
    pub id: Arc<str>,
    /// A number on the scale, or `"na"`.
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    pub assessor: String,
    pub file: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamArea {
    pub id: String,
    pub levels: Vec<Option<i64>>,
    pub statuses: Vec<Status>,
}

/// One question, every assessor's answer side by side.
#[derive(Debug, Clone, Serialize)]
pub struct Compared {
    // The survey's own strings, shared (a team of many files compares
    // every question: copies would grow with the teams).
    pub id: Arc<str>,
    pub area: Arc<str>,
    pub title: Arc<str>,
    pub answers: Vec<Side>,
    /// The lowest and highest value given, and how many scale steps apart.
    pub spread: Option<Spread>,
    /// Why the question is disputed; `None` when it is not.
    pub disputed: Option<Why>,
    /// How many assessors left it unanswered.
    pub unanswered: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Side {
    /// A number on the scale, `"na"`, or null when unanswered.
    pub value: serde_json::Value,
    /// The file's own note and N/A reason, shared with its summary.
    pub note: Option<Arc<str>>,
    pub reason: Option<Arc<str>>,
    pub evidence: Vec<EvidenceLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceLink {
    pub href: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Spread {
    pub low: i64,
    pub high: i64,
    pub steps: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Why {
    /// One answer is performed (at or over `performed_at`), another not.
    StraddlesPerformed,
    /// Two scale steps apart or more.
    TwoStepsApart,
    /// One says N/A, another gives a value.
    NaAndValue,
}

impl Why {
    pub fn text(self) -> &'static str {
        match self {
            Why::StraddlesPerformed => "performed by one answer, not by another",
            Why::TwoStepsApart => "answers two steps of the scale apart or more",
            Why::NaAndValue => "N/A in one answer, a value in another",
        }
    }
}

/// Every (organization, scope, date) of the files, sorted, each with its
/// assessors in the report's order.
pub(super) fn teams(list: &[Assessment], index: &Index) -> Vec<Team> {
    let mut groups: BTreeMap<[&str; 3], Vec<usize>> = BTreeMap::new();
    for (i, a) in list.iter().enumerate() {
        let [o, s, _, d] = key(&a.respondent);
        groups.entry([o, s, d]).or_default().push(i);
    }
    groups
        .into_iter()
        .map(|([o, s, d], members)| team(list, index, o, s, d, members))
        .collect()
}

fn team(
    list: &[Assessment],
    index: &Index,
    o: &str,
    s: &str,
    d: &str,
    members: Vec<usize>,
) -> Team {
    let files: Vec<&Assessment> = members.iter().map(|&i| &list[i]).collect();
    let assessors = files
        .iter()
        .map(|a| Member {
            assessor: key(&a.respondent)[2].to_string(),
            file: a.file.clone(),
        })
        .collect();
    let areas = files[0]
        .areas
        .iter()
        .enumerate()
        .map(|(n, x)| TeamArea {
            id: x.id.clone(),
            levels: files
                .iter()
                .map(|a| a.areas.get(n).and_then(|y| y.level))
                .collect(),
            statuses: files
                .iter()
                .map(|a| a.areas.get(n).map_or(Status::NotAssessed, |y| y.status))
                .collect(),
        })
        .collect();
    let (questions, alike) = if files.len() > 1 {
        compare(index, &files)
    } else {
        (Vec::new(), Vec::new())
    };
    let disputed = questions
        .iter()
        .filter(|q| q.disputed.is_some())
        .map(|q| q.id.clone())
        .collect();
    Team {
        organization: o.to_string(),
        scope: s.to_string(),
        date: d.to_string(),
        assessors,
        areas,
        questions,
        alike,
        disputed,
        members,
    }
}

/// The answers of each question, side by side; those all alike apart.
fn compare(index: &Index, files: &[&Assessment]) -> (Vec<Compared>, Vec<Alike>) {
    let mut by_question: BTreeMap<u32, Vec<Option<&Kept>>> = BTreeMap::new();
    for (n, a) in files.iter().enumerate() {
        for k in &a.kept {
            by_question
                .entry(k.question)
                .or_insert_with(|| vec![None; files.len()])[n] = Some(k);
        }
    }
    let evidence: Vec<HashMap<&str, Vec<&EvidenceRef>>> = files
        .iter()
        .map(|a| {
            let mut m: HashMap<&str, Vec<&EvidenceRef>> = HashMap::new();
            for e in &a.evidence {
                m.entry(e.id.as_str()).or_default().push(e);
            }
            m
        })
        .collect();
    let (mut questions, mut alike) = (Vec::new(), Vec::new());
    for (q, sides) in by_question {
        let info = &index.questions[q as usize];
        let ev = |n: usize| evidence[n].get(&*info.id);
        let same = sides.iter().enumerate().all(|(n, k)| {
            k.is_some_and(|k| {
                k.note.is_none()
                    && matches!(k.given, Some(Given::Value(_)))
                    && k.given == sides[0].and_then(|f| f.given.clone())
            }) && ev(n).is_none()
        });
        if same {
            let value = match sides[0].and_then(|k| k.given.as_ref()) {
                Some(Given::Value(v)) => (*v).into(),
                _ => "na".into(),
            };
            alike.push(Alike {
                id: info.id.clone(),
                value,
            });
            continue;
        }
        questions.push({
            let given: Vec<Option<&Given>> = sides
                .iter()
                .map(|k| k.and_then(|k| k.given.as_ref()))
                .collect();
            let (spread, disputed) = dispute(index, &given);
            let answers = sides
                .iter()
                .zip(&evidence)
                .map(|(k, ev)| side(*k, ev.get(&*info.id)))
                .collect();
            Compared {
                id: info.id.clone(),
                area: info.area.clone(),
                title: info.title.clone(),
                answers,
                spread,
                disputed,
                unanswered: given.iter().filter(|g| g.is_none()).count(),
            }
        });
    }
    (questions, alike)
}

fn side(k: Option<&Kept>, evidence: Option<&Vec<&EvidenceRef>>) -> Side {
    let (value, reason) = match k.and_then(|k| k.given.as_ref()) {
        Some(Given::Value(v)) => ((*v).into(), None),
        Some(Given::NotApplicable(r)) => ("na".into(), Some(r.clone())),
        None => (serde_json::Value::Null, None),
    };
    Side {
        value,
        note: k.and_then(|k| k.note.clone()),
        reason,
        evidence: evidence
            .into_iter()
            .flatten()
            .map(|e| EvidenceLink {
                href: e.href.clone(),
                description: e.description.clone(),
            })
            .collect(),
    }
}

/// The scale values among the answers given (not N/A, not unanswered).
pub(super) fn values(given: &[Option<&Given>]) -> Vec<i64> {
    given
        .iter()
        .filter_map(|g| match g {
            Some(Given::Value(v)) => Some(*v),
            _ => None,
        })
        .collect()
}

/// The spread of the values given, and why the answers are disputed.
pub(super) fn dispute(index: &Index, given: &[Option<&Given>]) -> (Option<Spread>, Option<Why>) {
    let values = values(given);
    let na = given
        .iter()
        .any(|g| matches!(g, Some(Given::NotApplicable(_))));
    let spread = match (values.iter().min(), values.iter().max()) {
        (Some(&low), Some(&high)) => Some(Spread {
            low,
            high,
            steps: index.step(high) - index.step(low),
        }),
        _ => None,
    };
    let why = match spread {
        Some(s) if s.low < index.performed_at && s.high >= index.performed_at => {
            Some(Why::StraddlesPerformed)
        }
        Some(s) if s.steps >= 2 => Some(Why::TwoStepsApart),
        Some(_) if na => Some(Why::NaAndValue),
        _ => None,
    };
    (spread, why)
}
