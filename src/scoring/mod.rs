//! The survey's scoring rules, outside the browser.
//!
//! The rules are specified in the README ("The survey of practice"); the
//! browser applies them with `themes/default/static/scoring.js` (its
//! `assess`). Both are held to the same hand-written golden vectors
//! (`tests/scoring/golden.json`), so a rule changed in one and not the other
//! fails the tests. Where the two could disagree on odd input (numbers,
//! duplicate ids), this follows what the script does with the same JSON.
//!
//! The roadmap ([`roadmap`]) is read off those scores: per area with a
//! target, the goals and questions each level up to it needs (scoring.js's
//! `roadmap`, held to `tests/scoring/roadmap.json`).
//!
//! Input is what the site already emits: the survey data of
//! `assets/survey-data.js` ([`Survey`]), the `answers` object of an answer
//! file ([`Answers`]) and its `areas_in_scope` and `targets` ([`Scope`]).
//! Nothing here panics on odd input: an answer the rules cannot use counts
//! as unanswered, as in the browser. Reading a file with diagnostics is
//! [`crate::answers`]' job.

mod input;
mod output;
mod roadmap;

pub use input::*;
pub use output::*;
pub use roadmap::*;

use std::collections::HashSet;

/// Scores every area of the survey, in model order (an area code given
/// twice is scored once, with the later area, as the browser keys scores
/// by code).
pub fn assess(survey: &Survey, answers: &Answers, scope: &Scope) -> Vec<AreaScore> {
    let scorer = Scorer::new(survey);
    let mut out: Vec<AreaScore> = Vec::with_capacity(survey.areas.len());
    for area in &survey.areas {
        let s = scorer.area(area, answers, scope);
        upsert(&mut out, s, |a| &a.code);
    }
    out
}

/// Scores one area.
pub fn assess_area(survey: &Survey, area: &Area, answers: &Answers, scope: &Scope) -> AreaScore {
    Scorer::new(survey).area(area, answers, scope)
}

/// A set of questions scored: its state and counts, and the answers it
/// listed.
struct Tally {
    state: State,
    counts: Counts,
    not_applicable: Vec<NotApplicable>,
    flagged: Vec<Flagged>,
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

    /// What an answer counts as: a number must equal a scale value; `na`
    /// must be offered, needs a reason, and is refused on a generic practice.
    fn counted(&self, answer: Option<&Answer>, generic: bool) -> Option<Counted> {
        let answer = answer?;
        match answer.value.as_ref()? {
            AnswerValue::NotApplicable if !self.survey.not_applicable => None,
            AnswerValue::NotApplicable if generic => {
                Some(Counted::Refused(Problem::NaOnGenericPractice))
            }
            AnswerValue::NotApplicable => Some(match &answer.reason {
                Some(r) if is_reason(r) => Counted::NotApplicable(r.clone()),
                _ => Counted::Refused(Problem::NaWithoutReason),
            }),
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
        generic: bool,
    ) -> Tally {
        let mut c = Counts::default();
        let (mut not_applicable, mut flagged) = (Vec::new(), Vec::new());
        for id in ids {
            c.total += 1;
            match self.counted(answers.get(id), generic) {
                None => {}
                Some(Counted::Refused(problem)) => flagged.push(Flagged {
                    id: id.to_string(),
                    problem,
                }),
                Some(Counted::NotApplicable(reason)) => {
                    c.answered += 1;
                    c.na += 1;
                    not_applicable.push(NotApplicable {
                        id: id.to_string(),
                        reason,
                    });
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
        Tally {
            state: set_state(&c),
            counts: c,
            not_applicable,
            flagged,
        }
    }

    fn area(&self, area: &Area, answers: &Answers, scope: &Scope) -> AreaScore {
        let assessable = area.can_assess();
        let hollow;
        let area = if assessable {
            area
        } else {
            hollow = area.hollow();
            &hollow
        };
        let mut objectives: Vec<ObjectiveScore> = Vec::with_capacity(area.objectives.len());
        for o in &area.objectives {
            let t = self.set(o.practices.iter().map(|p| p.id.as_str()), answers, false);
            let score = ObjectiveScore {
                id: o.id.clone(),
                state: t.state,
                counts: t.counts,
            };
            upsert(&mut objectives, score, |o| &o.id);
        }
        // One state per objective of the model, read back by id so that a
        // repeated id counts with its later practices, as in the browser.
        let objective_states: Vec<State> = area
            .objectives
            .iter()
            .filter_map(|o| objectives.iter().find(|s| s.id == o.id).map(|s| s.state))
            .collect();
        let specific = match assessable {
            true => combine(&objective_states),
            false => State::NotAssessable,
        };
        let goals = self.goals(area, specific, answers);
        let practice_ids = area.objectives.iter().flat_map(|o| &o.practices);
        let practices = self.set(practice_ids.map(|p| p.id.as_str()), answers, false);
        let generic_ids = area.goals.iter().flat_map(|g| &g.questions);
        let generic = self.set(generic_ids.map(|q| q.id.as_str()), answers, true);
        let (p, g) = (practices.counts, generic.counts);
        let status = if !scope.in_scope(&area.code) {
            Status::OutOfScope
        } else if !assessable {
            Status::NotAssessable
        } else if p.answered + g.answered == 0 {
            Status::NotAssessed
        } else if p.na == p.total {
            Status::NotApplicable
        } else {
            Status::Assessed
        };
        let level = (status == Status::Assessed).then(|| self.level(&goals));
        let mut flagged = practices.flagged;
        flagged.extend(generic.flagged);
        AreaScore {
            code: area.code.clone(),
            status,
            assessable,
            level,
            target: scope.targets.get(&area.code).copied(),
            objectives,
            goals,
            practices: p,
            generic: g,
            share: p.share(),
            not_applicable: practices.not_applicable,
            flagged,
        }
    }

    /// The specific goals (in the state of the objectives), then the goals
    /// asked for the area; a goal asked by questions replaces a specific
    /// goal of its id, in its place.
    fn goals(&self, area: &Area, specific_state: State, answers: &Answers) -> Vec<GoalScore> {
        let mut goals: Vec<GoalScore> = Vec::with_capacity(self.specific.len() + area.goals.len());
        for g in &self.specific {
            let score = GoalScore {
                id: (*g).to_string(),
                state: specific_state,
                counts: None,
            };
            upsert(&mut goals, score, |g| &g.id);
        }
        for g in &area.goals {
            let t = self.set(g.questions.iter().map(|q| q.id.as_str()), answers, true);
            let score = GoalScore {
                id: g.id.clone(),
                state: t.state,
                counts: Some(t.counts),
            };
            upsert(&mut goals, score, |g| &g.id);
        }
        goals
    }

    /// The highest level whose required goals are all achieved, climbing
    /// from the lowest and stopping at the first that fails (0 when none
    /// holds).
    fn level(&self, goals: &[GoalScore]) -> i64 {
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
        level
    }
}

/// The state of a set of questions from its counts.
fn set_state(c: &Counts) -> State {
    if c.total == 0 {
        State::NotAssessable
    } else if c.answered == 0 {
        State::Unanswered
    } else if c.na == c.total {
        State::NotApplicable
    } else if c.answered == c.total && c.performed == c.applicable {
        State::Achieved
    } else if c.answered == c.total && c.performed == 0 {
        State::NotAchieved
    } else {
        State::Partial
    }
}

/// A specific goal from its area's objective states, over the applicable
/// objectives: achieved, unanswered or not-achieved when every one is,
/// partial when they differ; not-applicable when every objective is;
/// not-assessable without objectives.
pub fn combine(states: &[State]) -> State {
    let applicable: Vec<State> = states
        .iter()
        .copied()
        .filter(|&s| s != State::NotApplicable)
        .collect();
    let all = |s: State| applicable.iter().all(|&x| x == s);
    if states.is_empty() {
        State::NotAssessable
    } else if applicable.is_empty() {
        State::NotApplicable
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
    use serde_json::json;

    fn survey() -> Survey {
        serde_json::from_value(json!({
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
        let a = answers(json!({
            "D-1.1": {"value": 0}, "D-1.2": {"value": 3}, "D-2.1": {"value": 3},
            "D:GG1.GP1": {"value": 3}, "D:GG2.GP1": {"value": 3}
        }));
        let all = Scope::default();
        let d = assess_area(&s, &s.areas[0], &a, &all);
        let ids: Vec<&str> = d.objectives.iter().map(|o| o.id.as_str()).collect();
        assert_eq!(ids, ["D-1", "D-2"]);
        assert_eq!(d.objective("D-1").unwrap().state, State::Achieved);
        // GG1 asked as questions replaces the specific GG1, in its place.
        let goals: Vec<&str> = d.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(goals, ["GG1", "GG2"]);
        assert!(d.goal("GG1").unwrap().counts.is_some());
        assert_eq!(d.level, Some(2));
        assert_eq!(d.practices.total, 3);
        // The later area D replaces the first.
        let scored = assess(&s, &a, &all);
        assert_eq!(scored.len(), 1);
        assert!(!scored[0].assessable);
        assert_eq!(scored[0].status, Status::NotAssessable);
    }

    #[test]
    fn odd_entries_read_as_no_answer() {
        let a = answers(json!({
            "a": 3, "b": [1], "c": {"value": "na", "note": 5, "reason": ["x"]}, "d": {"value": {"x": 1}},
            "e": {"value": 1e300}, "f": {"value": -0.0}, "g": {"value": 18446744073709551615u64},
            "h": {"value": "na", "reason": "none here"}
        }));
        assert_eq!(a["a"], Answer::default());
        assert_eq!(a["b"], Answer::default());
        assert_eq!(a["c"].value, Some(AnswerValue::NotApplicable));
        assert_eq!((&a["c"].note, &a["c"].reason), (&None, &None));
        assert!(matches!(a["d"].value, Some(AnswerValue::Other(_))));
        let s = Survey {
            scale: vec![ScalePoint { value: 0 }],
            performed_at: 0,
            ..Survey::default()
        };
        let sc = Scorer::new(&s);
        assert_eq!(sc.counted(a.get("e"), false), None);
        assert_eq!(sc.counted(a.get("f"), false), Some(Counted::Value(-0.0)));
        assert_eq!(sc.counted(a.get("g"), false), None);
        assert_eq!(sc.counted(a.get("h"), false), None, "na not offered");
        assert_eq!(sc.counted(a.get("missing"), false), None);
        let offered = Survey {
            not_applicable: true,
            ..s
        };
        let sc = Scorer::new(&offered);
        let refused = |p| Some(Counted::Refused(p));
        assert_eq!(
            sc.counted(a.get("c"), false),
            refused(Problem::NaWithoutReason)
        );
        assert_eq!(
            sc.counted(a.get("h"), true),
            refused(Problem::NaOnGenericPractice)
        );
        let na = Some(Counted::NotApplicable("none here".into()));
        assert_eq!(sc.counted(a.get("h"), false), na);
    }

    #[test]
    fn reasons_and_scopes_read_as_the_script_reads_them() {
        assert!(is_reason("x") && is_reason(" \u{a0} ") && !is_reason(" \t\r\n"));
        let s = Scope::from_json(&json!({"areas_in_scope": ["A", 3, null], "targets": {
            "A": 2, "B": 2.0, "C": 2.5, "D": "2", "E": 1e300, "F": -1}}));
        assert_eq!(s.areas_in_scope.as_deref(), Some(&["A".to_string()][..]));
        let t: Vec<(&str, i64)> = s.targets.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        assert_eq!(t, [("A", 2), ("B", 2), ("F", -1)]);
        assert!(s.in_scope("A") && !s.in_scope("a"));
        let every = Scope::from_json(&json!({"areas_in_scope": "A", "targets": []}));
        assert_eq!(every, Scope::default());
        assert!(every.in_scope("anything"));
    }

    #[test]
    fn objectives_combine_over_the_applicable_ones() {
        use State::*;
        assert_eq!(combine(&[]), NotAssessable);
        assert_eq!(combine(&[NotApplicable, NotApplicable]), NotApplicable);
        assert_eq!(combine(&[NotApplicable, Achieved]), Achieved);
        assert_eq!(combine(&[NotApplicable, Unanswered]), Unanswered);
        assert_eq!(combine(&[NotAchieved, NotApplicable]), NotAchieved);
        assert_eq!(combine(&[NotAssessable, NotApplicable]), Partial);
    }

    #[test]
    fn empty_survey_scores_nothing() {
        let s: Survey = serde_json::from_str(r#"{"performed_at": 1}"#).unwrap();
        assert!(assess(&s, &Answers::new(), &Scope::default()).is_empty());
        assert!(serde_json::from_str::<Survey>("{}").is_err());
    }
}
