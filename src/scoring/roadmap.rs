//! The roadmap rule: for each area with a target, what must become
//! performed to reach it, level by level.
//!
//! The rule is specified in the README ("The roadmap") and in scoring.js's
//! header (ROADMAP RULE); scoring.js's `roadmap` gives the same JSON, and
//! both are held to `tests/scoring/roadmap.json`. It is read off the area's
//! score ([`super::assess`]), so the roadmap never disagrees with the level.

use super::{Answers, Area, AreaScore, Counted, Scope, Scorer, State, Status, Survey};
use serde::Serialize;

/// One area's entry of the roadmap.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaRoadmap {
    pub area: String,
    /// Assessed or not-assessed: no other area is listed.
    pub status: Status,
    pub level: Option<i64>,
    pub target: i64,
    /// Assessed at the target or above it.
    pub met: bool,
    /// Not assessed: no plan is made for an area nobody assessed.
    pub assess_first: bool,
    pub steps: Vec<Step>,
}

/// One level above the area's, up to its target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub level: i64,
    /// The first goal of this step that nothing answered can achieve (it
    /// has no question in the area).
    pub blocked: Option<String>,
    /// This step, or one below it, is blocked.
    pub unreachable: bool,
    /// The goals this level is the first to need, not achieved.
    pub goals: Vec<GoalPlan>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalPlan {
    pub id: String,
    /// The goal's questions not performed, in model order.
    pub items: Vec<Item>,
}

/// A practice or generic practice to make performed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    pub id: String,
    pub kind: ItemKind,
    /// The practice's objective; `None` for a generic practice.
    pub objective: Option<String>,
    pub value: ItemValue,
    /// Who does it, by when, and how: the answer file's `plan`, filled in
    /// by the report (scoring leaves them out, as the browser's script does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Practice,
    Generic,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Practice => "practice",
            ItemKind::Generic => "generic",
        }
    }
}

/// An item's answer: a scale value below `performed_at`, a refused `na`,
/// or none.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ItemValue {
    Value(i64),
    RefusedNa,
    Unanswered,
}

/// As scoring.js writes it: the number, `"na"`, or `null`.
impl Serialize for ItemValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ItemValue::Value(v) => s.serialize_i64(*v),
            ItemValue::RefusedNa => s.serialize_str("na"),
            ItemValue::Unanswered => s.serialize_none(),
        }
    }
}

impl ItemValue {
    /// As a sheet or a page shows it: the value, `na`, or nothing.
    pub fn text(self) -> String {
        match self {
            ItemValue::Value(v) => v.to_string(),
            ItemValue::RefusedNa => "na".into(),
            ItemValue::Unanswered => String::new(),
        }
    }
}

/// The roadmap of every area with a target, in area order (an area code
/// given twice is listed once, with the later area, as [`super::assess`]
/// scores it).
pub fn roadmap(survey: &Survey, answers: &Answers, scope: &Scope) -> Vec<AreaRoadmap> {
    let scorer = Scorer::new(survey);
    let mut codes: Vec<&str> = Vec::new();
    for a in &survey.areas {
        if !codes.contains(&a.code.as_str()) {
            codes.push(&a.code);
        }
    }
    codes
        .into_iter()
        .filter_map(|code| {
            let area = survey.areas.iter().rev().find(|a| a.code == code)?;
            let score = scorer.area(area, answers, scope);
            scorer.roadmap_area(area, &score, answers)
        })
        .collect()
}

impl Scorer<'_> {
    fn roadmap_area(&self, area: &Area, s: &AreaScore, answers: &Answers) -> Option<AreaRoadmap> {
        let target = s.target?;
        if !matches!(s.status, Status::Assessed | Status::NotAssessed) {
            return None;
        }
        let mut out = AreaRoadmap {
            area: s.code.clone(),
            status: s.status,
            level: s.level,
            target,
            met: false,
            assess_first: s.status == Status::NotAssessed,
            steps: Vec::new(),
        };
        let Some(level) = s.level else {
            return Some(out);
        };
        out.met = level >= target;
        if out.met {
            return Some(out);
        }
        let order = self.goal_order(s);
        let mut listed: Vec<&str> = Vec::new();
        let mut blocked = false;
        for l in self
            .levels
            .iter()
            .filter(|l| l.level > level && l.level <= target)
        {
            let mut step = Step {
                level: l.level,
                blocked: None,
                unreachable: blocked,
                goals: Vec::new(),
            };
            for &g in &order {
                let achieved = s.goal(g).is_some_and(|x| x.state == State::Achieved);
                if !l.requires.iter().any(|r| r == g) || listed.contains(&g) || achieved {
                    continue;
                }
                listed.push(g);
                let items = self.goal_items(area, s, g, answers);
                if items.is_empty() && step.blocked.is_none() {
                    step.blocked = Some(g.to_string());
                }
                step.goals.push(GoalPlan {
                    id: g.to_string(),
                    items,
                });
            }
            if step.blocked.is_some() {
                blocked = true;
                step.unreachable = true;
            }
            out.steps.push(step);
        }
        Some(out)
    }

    /// The area's goals as scored (specific goals, then those asked for the
    /// area), then the goals only levels name, in level order.
    fn goal_order<'a>(&'a self, s: &'a AreaScore) -> Vec<&'a str> {
        let mut order: Vec<&str> = s.goals.iter().map(|g| g.id.as_str()).collect();
        for g in self.levels.iter().flat_map(|l| &l.requires) {
            if !order.contains(&g.as_str()) {
                order.push(g);
            }
        }
        order
    }

    /// The goal's questions not performed: the goal's questions for the
    /// area when it is asked (the later of a repeated id, as scored), else
    /// for a specific goal the practices of the applicable objectives.
    fn goal_items(&self, area: &Area, s: &AreaScore, goal: &str, answers: &Answers) -> Vec<Item> {
        let mut items: Vec<Item> = Vec::new();
        let mut add = |id: &str, objective: Option<&str>| {
            if items.iter().any(|i| i.id == id) {
                return;
            }
            let value = match self.counted(answers.get(id), objective.is_none()) {
                None => ItemValue::Unanswered,
                Some(Counted::NotApplicable(_)) => return,
                Some(Counted::Refused(_)) => ItemValue::RefusedNa,
                Some(Counted::Value(v)) if v >= self.survey.performed_at as f64 => return,
                // On the scale, so an integer (-0.0 reads as 0).
                Some(Counted::Value(v)) => ItemValue::Value(v as i64),
            };
            items.push(Item {
                id: id.to_string(),
                kind: if objective.is_some() {
                    ItemKind::Practice
                } else {
                    ItemKind::Generic
                },
                objective: objective.map(str::to_string),
                value,
                owner: None,
                due: None,
                note: None,
            });
        };
        if let Some(asked) = area.goals.iter().rev().find(|g| g.id == goal) {
            asked.questions.iter().for_each(|q| add(&q.id, None));
        } else if self.specific.contains(&goal) {
            for o in &area.objectives {
                let state = s.objective(&o.id).map(|x| x.state);
                if state != Some(State::NotApplicable) {
                    o.practices.iter().for_each(|p| add(&p.id, Some(&o.id)));
                }
            }
        }
        items
    }
}
