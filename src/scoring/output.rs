//! What scoring gives: the states, statuses and counts of each area.

use serde::Serialize;

/// The state of a set of questions, of an objective or of a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum State {
    Achieved,
    Partial,
    NotAchieved,
    Unanswered,
    /// The set has no question (or the area no objective): nothing to assess.
    NotAssessable,
    /// Every question of the set is answered N/A with a reason.
    NotApplicable,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Achieved => "achieved",
            State::Partial => "partial",
            State::NotAchieved => "not-achieved",
            State::Unanswered => "unanswered",
            State::NotAssessable => "not-assessable",
            State::NotApplicable => "not-applicable",
        }
    }
}

/// What an area's results are, before any level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// The assessment leaves the area out.
    OutOfScope,
    /// The model gives the area no practice (no objectives, or none with practices).
    NotAssessable,
    /// In scope, and nothing answered: not level 0, which only answers show.
    NotAssessed,
    /// Every practice answered N/A with a reason.
    NotApplicable,
    /// The area has a level.
    Assessed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::OutOfScope => "out-of-scope",
            Status::NotAssessable => "not-assessable",
            Status::NotAssessed => "not-assessed",
            Status::NotApplicable => "not-applicable",
            Status::Assessed => "assessed",
        }
    }
}

/// Why an answer was refused: it counts as unanswered, and is listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Problem {
    /// `na` without a reason.
    NaWithoutReason,
    /// `na` to a generic practice, which cannot be not applicable.
    NaOnGenericPractice,
}

impl Problem {
    pub fn as_str(self) -> &'static str {
        match self {
            Problem::NaWithoutReason => "na-without-reason",
            Problem::NaOnGenericPractice => "na-on-generic-practice",
        }
    }
}

/// A question answered N/A, with its reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotApplicable {
    pub id: String,
    pub reason: String,
}

/// A refused answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Flagged {
    pub id: String,
    pub problem: Problem,
}

/// Counts over a set of questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    /// With a scale value or `na` that counts.
    pub answered: usize,
    pub unanswered: usize,
    pub na: usize,
    /// Every question but those answered `na` (unanswered ones stay in).
    pub applicable: usize,
    pub performed: usize,
}

impl Counts {
    /// Performed share of the applicable questions; `None` when none is
    /// applicable (everything `na`, or no question at all).
    pub fn share(&self) -> Option<f64> {
        (self.applicable > 0).then(|| self.performed as f64 / self.applicable as f64)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectiveScore {
    pub id: String,
    pub state: State,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalScore {
    pub id: String,
    pub state: State,
    /// `None` for a specific goal: it is decided by the objectives, not by
    /// questions of its own.
    pub counts: Option<Counts>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaScore {
    pub code: String,
    pub status: Status,
    /// Whether the model gives the area a practice to answer.
    pub assessable: bool,
    /// The capability level reached; `None` unless the status is assessed.
    pub level: Option<i64>,
    /// The level the assessment aims at, from its `targets`.
    pub target: Option<i64>,
    /// In model order, one per id.
    pub objectives: Vec<ObjectiveScore>,
    /// The specific goals first, then the goals asked for the area.
    pub goals: Vec<GoalScore>,
    /// Over all the area's practices.
    pub practices: Counts,
    /// Over all the generic practices asked for the area.
    pub generic: Counts,
    /// `practices.share()`: the "practices performed" of the results page.
    pub share: Option<f64>,
    /// The practices answered N/A with a reason, in model order.
    pub not_applicable: Vec<NotApplicable>,
    /// Refused answers (counted as unanswered), in model order.
    pub flagged: Vec<Flagged>,
}

impl AreaScore {
    pub fn objective(&self, id: &str) -> Option<&ObjectiveScore> {
        self.objectives.iter().find(|o| o.id == id)
    }
    pub fn goal(&self, id: &str) -> Option<&GoalScore> {
        self.goals.iter().find(|g| g.id == id)
    }
}

/// What an answer counts as, once checked against the survey; `None` is
/// unanswered.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Counted {
    Value(f64),
    NotApplicable(String),
    Refused(Problem),
}
