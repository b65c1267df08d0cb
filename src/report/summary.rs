//! One answer file summarised: its scores ([`Assessment`]) and the few
//! facts of each answer that the team views compare ([`Kept`]). The parsed
//! file is dropped once summarised, so a report over many files holds only
//! these.

use super::{AreaResult, Assessment, EvidenceRef, NotApplicable};
use crate::answers::AnswerFile;
use crate::scoring::{self, AnswerValue, Status, Survey, is_reason};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;

/// What the report shows beside the scores, from the same survey data.
#[derive(Debug, Default, Deserialize)]
pub(super) struct Names {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub levels: Vec<super::LevelName>,
    #[serde(default)]
    pub areas: Vec<NamedArea>,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct NamedArea {
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    objectives: Vec<NamedSet<NamedQuestion>>,
    #[serde(default)]
    goals: Vec<NamedSet<NamedQuestion>>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedSet<Q> {
    #[serde(default, alias = "questions")]
    practices: Vec<Q>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedQuestion {
    id: String,
    #[serde(default)]
    title: String,
}

/// A question of the survey, in model order.
#[derive(Debug, Clone)]
pub(super) struct QuestionInfo {
    // Shared by every team's comparison of the question, never copied.
    pub id: Arc<str>,
    pub area: Arc<str>,
    pub title: Arc<str>,
    pub generic: bool,
}

/// The survey indexed once for every file: questions in model order (a
/// question id given twice counts once, at its first place, as the answer
/// reader keeps it), their titles, and the scale.
pub(super) struct Index {
    pub questions: Vec<QuestionInfo>,
    by_id: HashMap<String, u32>,
    /// The scale's values, lowest first: a value's step is its place here.
    pub scale: Vec<i64>,
    pub performed_at: i64,
    pub not_applicable: bool,
}

impl Index {
    /// Whether the model asks question `id`.
    pub fn has_question(&self, id: &str) -> bool {
        self.by_id.contains_key(id)
    }

    pub fn new(survey: &Survey, names: &Names) -> Index {
        let mut titles: HashMap<&str, &str> = HashMap::new();
        for a in &names.areas {
            for q in a
                .objectives
                .iter()
                .chain(&a.goals)
                .flat_map(|s| &s.practices)
            {
                titles.entry(q.id.as_str()).or_insert(q.title.as_str());
            }
        }
        let mut questions = Vec::new();
        let mut by_id = HashMap::new();
        for a in &survey.areas {
            let practices = a.objectives.iter().flat_map(|o| &o.practices);
            let generic = a.goals.iter().flat_map(|g| &g.questions);
            for (q, generic) in practices
                .map(|q| (q, false))
                .chain(generic.map(|q| (q, true)))
            {
                if by_id.contains_key(&q.id) {
                    continue;
                }
                by_id.insert(q.id.clone(), questions.len() as u32);
                questions.push(QuestionInfo {
                    id: q.id.as_str().into(),
                    area: a.code.as_str().into(),
                    title: titles.get(q.id.as_str()).copied().unwrap_or("").into(),
                    generic,
                });
            }
        }
        let mut scale: Vec<i64> = survey.scale.iter().map(|s| s.value).collect();
        scale.sort_unstable();
        scale.dedup();
        Index {
            questions,
            by_id,
            scale,
            performed_at: survey.performed_at,
            not_applicable: survey.not_applicable,
        }
    }

    pub fn position(&self, id: &str) -> Option<u32> {
        self.by_id.get(id).copied()
    }

    /// The place of a value on the scale.
    pub fn step(&self, value: i64) -> usize {
        self.scale.partition_point(|&v| v < value)
    }

    pub fn title(&self, id: &str) -> &str {
        self.position(id)
            .map(|i| &*self.questions[i as usize].title)
            .unwrap_or("")
    }
}

/// An answer as the team views use it: one that scoring counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Given {
    Value(i64),
    /// N/A, with its reason.
    NotApplicable(Arc<str>),
}

/// One question of one file: what it counts as, and its note.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The question's place in model order.
    pub question: u32,
    /// `None`: unanswered (or an answer scoring does not count), with a note.
    pub given: Option<Given>,
    pub note: Option<Arc<str>>,
}

/// Summarises a file: every area scored, the N/A answers and evidence of
/// the areas in scope, and its counted answers and notes.
pub(super) fn assessment(
    survey: &Survey,
    names: &Names,
    index: &Index,
    file: String,
    f: AnswerFile,
) -> Assessment {
    let scores = scoring::assess(survey, &f.answers, &f.scope);
    let roadmap = super::roadmap::planned(survey, &f.answers, &f.scope, &f.plan);
    let level_name = |l: i64| {
        names
            .levels
            .iter()
            .find(|n| n.level == l)
            .map(|n| n.name.clone())
    };
    let mut areas = Vec::with_capacity(scores.len());
    let mut not_applicable = Vec::new();
    for s in &scores {
        // The later area of a code given twice, as scoring keeps it.
        let named = names.areas.iter().rev().find(|a| a.code == s.code);
        areas.push(AreaResult {
            id: s.code.clone(),
            status: s.status,
            level: s.level,
            target: s.target,
            performed: s.practices.performed,
            applicable: s.practices.applicable,
            name: named.map(|a| a.name.clone()).unwrap_or_default(),
            category: named.map(|a| a.category.clone()).unwrap_or_default(),
            level_name: s.level.and_then(level_name),
            practices: s.practices.total,
            answered: s.practices.answered,
            na: s.practices.na,
        });
        if s.status != Status::OutOfScope {
            not_applicable.extend(s.not_applicable.iter().map(|n| NotApplicable {
                id: n.id.clone(),
                reason: n.reason.clone(),
                area: s.code.clone(),
                title: index.title(&n.id).to_string(),
            }));
        }
    }
    let in_scope = |area: &str| {
        scores
            .iter()
            .any(|s| s.code == area && s.status != Status::OutOfScope)
    };
    // In model order.
    let mut evidence = Vec::new();
    for a in names.areas.iter().filter(|a| in_scope(&a.code)) {
        let questions = a
            .objectives
            .iter()
            .chain(&a.goals)
            .flat_map(|s| &s.practices);
        for q in questions {
            let refs = f.evidence.get(&q.id).into_iter().flatten();
            evidence.extend(refs.map(|e| EvidenceRef {
                id: q.id.clone(),
                area: a.code.clone(),
                href: e.href.clone(),
                description: e.description.clone(),
            }));
        }
    }
    let kept = kept(index, &f);
    Assessment {
        file,
        respondent: f.respondent,
        answers_version: f.version,
        areas_in_scope: f.scope.areas_in_scope,
        areas,
        not_applicable,
        evidence,
        kept,
        roadmap,
    }
}

/// The answers scoring counts, by the same rules (a value on the scale; N/A
/// offered, with a reason, on a practice that is not generic), and every
/// note, in model order.
fn kept(index: &Index, f: &AnswerFile) -> Vec<Kept> {
    let mut out: Vec<Kept> = f
        .answers
        .iter()
        .filter_map(|(id, a)| {
            let question = index.position(id)?;
            let generic = index.questions[question as usize].generic;
            let given = match &a.value {
                Some(AnswerValue::Number(v)) => index
                    .scale
                    .iter()
                    .find(|&&s| s as f64 == *v)
                    .map(|&s| Given::Value(s)),
                Some(AnswerValue::NotApplicable) if index.not_applicable && !generic => a
                    .reason
                    .as_deref()
                    .filter(|r| is_reason(r))
                    .map(|r| Given::NotApplicable(r.into())),
                _ => None,
            };
            let note = a.note.as_deref().filter(|n| !n.is_empty()).map(Arc::from);
            (given.is_some() || note.is_some()).then_some(Kept {
                question,
                given,
                note,
            })
        })
        .collect();
    out.sort_by_key(|k| k.question);
    out
}
