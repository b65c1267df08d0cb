//! The survey's scoring rules, outside the browser.
//!
//! The rules are specified in the README ("The survey of practice"); the
//! browser applies them with `themes/default/static/scoring.js`. Both are
//! held to the same hand-written golden vectors (`tests/scoring/golden.json`),
//! so a rule changed in one and not the other fails the tests. Where the two
//! could disagree on odd input (numbers, duplicate ids), this follows what
//! the script does with the same JSON.
//!
//! Input is what the site already emits: the survey data of
//! `assets/survey-data.js` ([`Survey`]) and the `answers` object of an
//! exported answer file ([`Answers`]). Nothing here panics on odd input: an
//! answer the model cannot use counts as unanswered, as in the browser.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// The survey data of a model, as `assets/survey-data.js` holds it. Fields
/// the scoring does not read (titles, urls, categories) are ignored.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Survey {
    #[serde(default)]
    pub scale: Vec<ScalePoint>,
    pub performed_at: i64,
    #[serde(default)]
    pub not_applicable: bool,
    #[serde(default)]
    pub levels: Vec<Level>,
    /// Goals decided by an area's objectives rather than by questions (GG1).
    #[serde(default)]
    pub specific_goals: Vec<String>,
    #[serde(default)]
    pub areas: Vec<Area>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScalePoint {
    pub value: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Level {
    pub level: i64,
    #[serde(default)]
    pub requires: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Area {
    pub code: String,
    #[serde(default)]
    pub objectives: Vec<Objective>,
    /// The generic goals asked for this area, with their questions.
    #[serde(default)]
    pub goals: Vec<Goal>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Objective {
    pub id: String,
    #[serde(default)]
    pub practices: Vec<Question>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Goal {
    pub id: String,
    #[serde(default)]
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Question {
    pub id: String,
}

/// Answers by question id: the `answers` object of an answer file.
pub type Answers = HashMap<String, Answer>;

/// An answer file as survey-io.js exports it; only the answers matter for
/// scoring (the format, model and respondent are the loader's business).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnswerFile {
    pub answers: Answers,
}

/// One entry of the answers object. Any JSON reads as an entry: what the
/// browser would not count (a bare value, a list, a note that is not text)
/// becomes an entry without it, so one odd entry cannot make a whole file
/// unreadable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answer {
    pub value: Option<AnswerValue>,
    pub note: Option<String>,
}

/// An answer's `value`. Whether a number is on the scale depends on the
/// survey, so it is decided when scoring, not when reading.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    /// Kept as the float JSON gives, as in the browser: 2.0 is the scale value 2.
    Number(f64),
    NotApplicable,
    /// Anything else (`"2"`, `true`, ...): never an answer.
    Other(serde_json::Value),
}

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Answer::from_json(serde_json::Value::deserialize(d)?))
    }
}

impl Answer {
    pub fn from_json(v: serde_json::Value) -> Answer {
        let serde_json::Value::Object(mut entry) = v else {
            return Answer::default();
        };
        let value = match entry.remove("value") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Number(n)) => Some(match n.as_f64() {
                Some(f) => AnswerValue::Number(f),
                None => AnswerValue::Other(serde_json::Value::Number(n)),
            }),
            Some(serde_json::Value::String(s)) if s == "na" => Some(AnswerValue::NotApplicable),
            Some(other) => Some(AnswerValue::Other(other)),
        };
        let note = match entry.remove("note") {
            Some(serde_json::Value::String(s)) => Some(s),
            _ => None,
        };
        Answer { value, note }
    }
}

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
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Achieved => "achieved",
            State::Partial => "partial",
            State::NotAchieved => "not-achieved",
            State::Unanswered => "unanswered",
            State::NotAssessable => "not-assessable",
        }
    }
}

/// Counts over a set of questions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: usize,
    /// With a scale value or `na`.
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
    /// False for an area without objectives: no capability level means
    /// anything there, whatever the number says.
    pub assessable: bool,
    pub level: i64,
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
}

impl AreaScore {
    pub fn objective(&self, id: &str) -> Option<&ObjectiveScore> {
        self.objectives.iter().find(|o| o.id == id)
    }
    pub fn goal(&self, id: &str) -> Option<&GoalScore> {
        self.goals.iter().find(|g| g.id == id)
    }
}

/// What an answer counts as, once checked against the survey.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Counted {
    NotApplicable,
    Value(f64),
}

/// Scores every area of the survey, in model order (an area code given
/// twice is scored once, with the later area, as the browser keys scores
/// by code).
pub fn score(survey: &Survey, answers: &Answers) -> Vec<AreaScore> {
    let scorer = Scorer::new(survey);
    let mut out: Vec<AreaScore> = Vec::with_capacity(survey.areas.len());
    for area in &survey.areas {
        let s = scorer.area(area, answers);
        upsert(&mut out, s, |a| &a.code);
    }
    out
}

/// Scores one area.
pub fn score_area(survey: &Survey, area: &Area, answers: &Answers) -> AreaScore {
    Scorer::new(survey).area(area, answers)
}

/// The survey indexed once for scoring any number of areas.
struct Scorer<'s> {
    survey: &'s Survey,
    levels: Vec<&'s Level>,
    specific: Vec<&'s str>,
}

impl<'s> Scorer<'s> {
    fn new(survey: &'s Survey) -> Self {
        let mut levels: Vec<&Level> = survey.levels.iter().collect();
        // Stable, so levels with one number keep the model's order.
        levels.sort_by_key(|l| l.level);
        let mut seen = HashSet::new();
        let specific = survey
            .specific_goals
            .iter()
            .map(String::as_str)
            .filter(|g| seen.insert(*g))
            .collect();
        Scorer {
            survey,
            levels,
            specific,
        }
    }

    /// The value that counts for scoring, or `None` when the question is
    /// unanswered: a number must equal a scale value, `na` must be offered.
    fn counted(&self, answer: Option<&Answer>) -> Option<Counted> {
        match answer?.value.as_ref()? {
            AnswerValue::NotApplicable => {
                self.survey.not_applicable.then_some(Counted::NotApplicable)
            }
            // Compared as the browser's numbers (f64) compare.
            AnswerValue::Number(v) => self
                .survey
                .scale
                .iter()
                .any(|s| s.value as f64 == *v)
                .then_some(Counted::Value(*v)),
            AnswerValue::Other(_) => None,
        }
    }

    fn set<'q>(
        &self,
        ids: impl IntoIterator<Item = &'q str>,
        answers: &Answers,
    ) -> (State, Counts) {
        let mut c = Counts::default();
        for id in ids {
            c.total += 1;
            match self.counted(answers.get(id)) {
                None => {}
                Some(Counted::NotApplicable) => {
                    c.answered += 1;
                    c.na += 1;
                }
                Some(Counted::Value(v)) => {
                    c.answered += 1;
                    if v >= self.survey.performed_at as f64 {
                        c.performed += 1;
                    }
                }
            }
        }
        c.unanswered = c.total - c.answered;
        c.applicable = c.total - c.na;
        let state = if c.total == 0 {
            State::NotAssessable
        } else if c.answered == 0 {
            State::Unanswered
        } else if c.answered == c.total && c.performed == c.applicable {
            State::Achieved
        } else if c.answered == c.total && c.performed == 0 {
            State::NotAchieved
        } else {
            State::Partial
        };
        (state, c)
    }

    fn area(&self, area: &Area, answers: &Answers) -> AreaScore {
        let mut objectives: Vec<ObjectiveScore> = Vec::with_capacity(area.objectives.len());
        for o in &area.objectives {
            let (state, counts) = self.set(o.practices.iter().map(|p| p.id.as_str()), answers);
            upsert(
                &mut objectives,
                ObjectiveScore {
                    id: o.id.clone(),
                    state,
                    counts,
                },
                |o| &o.id,
            );
        }
        // One state per objective of the model, read back by id so that a
        // repeated id counts with its later practices, as in the browser.
        let objective_states: Vec<State> = area
            .objectives
            .iter()
            .filter_map(|o| objectives.iter().find(|s| s.id == o.id).map(|s| s.state))
            .collect();
        let specific_state = combine(&objective_states);
        let mut goals: Vec<GoalScore> = Vec::with_capacity(self.specific.len() + area.goals.len());
        for g in &self.specific {
            upsert(
                &mut goals,
                GoalScore {
                    id: (*g).to_string(),
                    state: specific_state,
                    counts: None,
                },
                |g| &g.id,
            );
        }
        for g in &area.goals {
            let (state, counts) = self.set(g.questions.iter().map(|q| q.id.as_str()), answers);
            upsert(
                &mut goals,
                GoalScore {
                    id: g.id.clone(),
                    state,
                    counts: Some(counts),
                },
                |g| &g.id,
            );
        }
        let achieved = |id: &str| {
            goals
                .iter()
                .any(|g| g.id == id && g.state == State::Achieved)
        };
        let mut level = 0;
        for l in &self.levels {
            if !l.requires.iter().all(|g| achieved(g)) {
                break;
            }
            level = l.level;
        }
        let practice_ids = area
            .objectives
            .iter()
            .flat_map(|o| &o.practices)
            .map(|p| p.id.as_str());
        let generic_ids = area
            .goals
            .iter()
            .flat_map(|g| &g.questions)
            .map(|q| q.id.as_str());
        let (_, practices) = self.set(practice_ids, answers);
        let (_, generic) = self.set(generic_ids, answers);
        AreaScore {
            code: area.code.clone(),
            assessable: !area.objectives.is_empty(),
            level,
            objectives,
            goals,
            practices,
            generic,
            share: practices.share(),
        }
    }
}

/// A specific goal from its area's objective states: achieved, unanswered
/// or not-achieved when every objective is, partial when they differ;
/// not-assessable without objectives.
fn combine(states: &[State]) -> State {
    let all = |s: State| states.iter().all(|&x| x == s);
    if states.is_empty() {
        State::NotAssessable
    } else if all(State::Achieved) {
        State::Achieved
    } else if all(State::Unanswered) {
        State::Unanswered
    } else if all(State::NotAchieved) {
        State::NotAchieved
    } else {
        State::Partial
    }
}

/// Adds `item`, or replaces the one with its key in place: the browser keeps
/// scores in objects keyed by id, where a repeated key keeps its first place
/// and takes the later value.
fn upsert<T>(list: &mut Vec<T>, item: T, key: impl Fn(&T) -> &String) {
    match list.iter().position(|x| key(x) == key(&item)) {
        Some(i) => list[i] = item,
        None => list.push(item),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn survey() -> Survey {
        serde_json::from_value(serde_json::json!({
            "scale": [{"value": 0}, {"value": 1}, {"value": 2}, {"value": 3}],
            "performed_at": 2, "not_applicable": true,
            "levels": [{"level": 0}, {"level": 1, "requires": ["GG1"]}, {"level": 2, "requires": ["GG1", "GG2"]}],
            "specific_goals": ["GG1"],
            "areas": [
                {"code": "D", "objectives": [
                    {"id": "D-1", "practices": [{"id": "D-1.1"}]},
                    {"id": "D-2", "practices": [{"id": "D-2.1"}]},
                    {"id": "D-1", "practices": [{"id": "D-1.2"}]}
                ], "goals": [
                    {"id": "GG2", "questions": [{"id": "D:GG2.GP1"}]},
                    {"id": "GG1", "questions": [{"id": "D:GG1.GP1"}]}
                ]},
                {"code": "D", "objectives": []}
            ]
        }))
        .unwrap()
    }

    fn answers(v: serde_json::Value) -> Answers {
        serde_json::from_value(v).unwrap()
    }

    /// Ids the resolver rejects are still scored the way the browser keys
    /// them (later wins, first place kept), so the two never disagree.
    #[test]
    fn repeated_ids_score_as_the_browser_keys_them() {
        let s = survey();
        let a = answers(serde_json::json!({
            "D-1.1": {"value": 0}, "D-1.2": {"value": 3}, "D-2.1": {"value": 3},
            "D:GG1.GP1": {"value": 3}, "D:GG2.GP1": {"value": 3}
        }));
        let d = score_area(&s, &s.areas[0], &a);
        let ids: Vec<&str> = d.objectives.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["D-1", "D-2"]);
        assert_eq!(d.objective("D-1").unwrap().state, State::Achieved);
        // GG1 asked as questions replaces the specific GG1, in its place.
        let goals: Vec<&str> = d.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(goals, ["GG1", "GG2"]);
        assert!(d.goal("GG1").unwrap().counts.is_some());
        assert_eq!(d.level, 2);
        assert_eq!(d.practices.total, 3);
        // The later area D replaces the first.
        let all = score(&s, &a);
        assert_eq!(all.len(), 1);
        assert!(!all[0].assessable);
    }

    #[test]
    fn odd_entries_read_as_no_answer() {
        let a = answers(serde_json::json!({
            "a": 3, "b": [1], "c": {"value": "na", "note": 5}, "d": {"value": {"x": 1}},
            "e": {"value": 1e300}, "f": {"value": -0.0}, "g": {"value": 18446744073709551615u64}
        }));
        assert_eq!(a["a"], Answer::default());
        assert_eq!(a["b"], Answer::default());
        assert_eq!(a["c"].value, Some(AnswerValue::NotApplicable));
        assert_eq!(a["c"].note, None);
        assert!(matches!(a["d"].value, Some(AnswerValue::Other(_))));
        let s = Survey {
            scale: vec![ScalePoint { value: 0 }],
            performed_at: 0,
            ..Survey::default()
        };
        let sc = Scorer::new(&s);
        assert_eq!(sc.counted(a.get("e")), None);
        assert_eq!(sc.counted(a.get("f")), Some(Counted::Value(-0.0)));
        assert_eq!(sc.counted(a.get("g")), None);
        assert_eq!(sc.counted(a.get("c")), None, "na not offered");
        assert_eq!(sc.counted(a.get("missing")), None);
    }

    #[test]
    fn empty_survey_scores_nothing() {
        let s: Survey = serde_json::from_str(r#"{"performed_at": 1}"#).unwrap();
        assert!(score(&s, &Answers::new()).is_empty());
        assert!(serde_json::from_str::<Survey>("{}").is_err());
        assert!(serde_json::from_str::<AnswerFile>(r#"{"answers": []}"#).is_err());
    }
}
