//! The report's roadmap: targets from the command line (`--target`), the
//! roadmap of each assessment ([`crate::scoring::roadmap`], the rule the
//! results page applies) with the answer file's plan merged into its items,
//! and the roadmap as a CSV sheet and as a section of the HTML page.

use super::page::esc;
use super::sheet::{self, Cell};
use super::{Assessment, Report};
use crate::answers::PlanEntry;
use crate::diag::{Diagnostic, did_you_mean};
use crate::scoring::{self, Answers, AreaRoadmap, Scope, Step, Survey};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::str::FromStr;

/// A `--target`: a level for every area, or for one area (`EF=2`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub area: Option<String>,
    pub level: i64,
}

/// A `--target` that is neither LEVEL nor AREA=LEVEL (as given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadTarget(pub String);

impl std::fmt::Display for BadTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not LEVEL or AREA=LEVEL (such as 2, or EF=3)",
            self.0
        )
    }
}

impl std::error::Error for BadTarget {}

impl FromStr for Target {
    type Err = BadTarget;

    /// Only the shape is checked here (a usage error); whether the area and
    /// the level are the model's is [`check_targets`]'s job.
    fn from_str(s: &str) -> Result<Self, BadTarget> {
        let (area, level) = match s.split_once('=') {
            Some((a, l)) => (Some(a.trim()), l.trim()),
            None => (None, s.trim()),
        };
        let bad = || BadTarget(s.into());
        let level = level.parse::<i64>().map_err(|_| bad())?;
        match area {
            Some("") => Err(bad()),
            a => Ok(Target {
                area: a.map(str::to_string),
                level,
            }),
        }
    }
}

/// Every `--target` that names an area or a level the model lacks, as a
/// diagnostic (all of them at once).
pub fn check_targets(survey: &Survey, targets: &[Target]) -> Vec<Diagnostic> {
    let levels: Vec<String> = survey.levels.iter().map(|l| l.level.to_string()).collect();
    let mut out = Vec::new();
    for (i, t) in targets.iter().enumerate() {
        let (loc, len) = crate::diag::option_loc("--target", i);
        if let Some(code) = &t.area
            && !survey.areas.iter().any(|a| &a.code == code)
        {
            let codes = survey.areas.iter().map(|a| a.code.as_str());
            let d = Diagnostic::error(loc.clone(), format!("no area `{code}` in this model"));
            let d = d.len(code.chars().count());
            out.push(d.maybe_help(did_you_mean(code, codes)));
        }
        if !survey.levels.iter().any(|l| l.level == t.level) {
            let message = format!(
                "the target {} is not a capability level of this model",
                t.level
            );
            // Under the level, after `AREA=` where an area is named.
            let skip = t.area.as_ref().map_or(0, |a| a.chars().count() + 1);
            let mut loc = loc;
            if loc.line > 0 {
                loc.col += skip as u32;
            }
            let d = Diagnostic::error(loc, message).len(len.saturating_sub(skip).max(1));
            out.push(d.help(format!("the levels are {}", levels.join(", "))));
        }
    }
    out
}

/// The targets of the command line over the file's: a level for every area
/// replaces the file's targets, and an area's own level (the last given)
/// replaces that.
pub(super) fn apply_targets(scope: &mut Scope, survey: &Survey, targets: &[Target]) {
    if let Some(all) = targets.iter().rev().find(|t| t.area.is_none()) {
        for a in &survey.areas {
            scope.targets.insert(a.code.clone(), all.level);
        }
    }
    for t in targets {
        if let Some(code) = &t.area {
            scope.targets.insert(code.clone(), t.level);
        }
    }
}

/// The roadmap of one answer file, its items with their plan entries.
pub(super) fn planned(
    survey: &Survey,
    answers: &Answers,
    scope: &Scope,
    plan: &BTreeMap<String, PlanEntry>,
) -> Vec<AreaRoadmap> {
    let mut roadmap = scoring::roadmap(survey, answers, scope);
    let items = roadmap
        .iter_mut()
        .flat_map(|a| &mut a.steps)
        .flat_map(|s| &mut s.goals)
        .flat_map(|g| &mut g.items);
    for item in items {
        if let Some(p) = plan.get(&item.id) {
            item.owner = p.owner.clone();
            item.due = p.due.clone();
            item.note = p.note.clone();
        }
    }
    roadmap
}

const COLUMNS: [&str; 10] = [
    "step",
    "goal",
    "item",
    "kind",
    "objective",
    "title",
    "answer",
    "owner",
    "due",
    "note",
];

/// The roadmap sheet: a row per item of each assessment (an action list),
/// and a row saying so for an area met, one to assess first, a blocked goal
/// and a step with nothing left to do (its `item` empty, its `note` the
/// remark). Cells are neutralised as the areas sheet's are.
pub(super) fn csv(report: &Report) -> String {
    let mut out = String::new();
    sheet::header(&mut out, &COLUMNS);
    let mut row = |cells: &[Cell]| sheet::row(&mut out, cells);
    for a in &report.assessments {
        let who = a.respondent.fields().map(|(_, v)| v.unwrap_or(""));
        for r in &a.roadmap {
            let name = area_name(a, &r.area);
            let head = [
                Cell::Text(&a.file),
                Cell::Text(who[0]),
                Cell::Text(who[1]),
                Cell::Text(who[2]),
                Cell::Text(who[3]),
                Cell::Text(&r.area),
                Cell::Text(name),
                Cell::Text(r.status.as_str()),
                Cell::Number(r.level),
                Cell::Number(Some(r.target)),
            ];
            let remark =
                |row: &mut dyn FnMut(&[Cell]), step: Option<i64>, goal: &str, text: &str| {
                    let mut cells: Vec<Cell> = head.to_vec();
                    cells.extend([Cell::Number(step), Cell::Text(goal)]);
                    cells.extend((0..7).map(|_| Cell::Text("")));
                    cells.push(Cell::Text(text));
                    row(&cells);
                };
            if r.assess_first {
                remark(&mut row, None, "", "not assessed: assess the area first");
            } else if r.met {
                remark(&mut row, None, "", "target met");
            }
            for s in &r.steps {
                if s.goals.is_empty() {
                    remark(&mut row, Some(s.level), "", "no goal left at this level");
                }
                for g in &s.goals {
                    if g.items.is_empty() {
                        let text = "blocked: the goal has no question in this area; this level and those above cannot be reached";
                        remark(&mut row, Some(s.level), &g.id, text);
                    }
                    for i in &g.items {
                        let value = i.value.text();
                        let mut cells: Vec<Cell> = head.to_vec();
                        cells.extend([
                            Cell::Number(Some(s.level)),
                            Cell::Text(&g.id),
                            Cell::Text(&i.id),
                            Cell::Text(i.kind.as_str()),
                            Cell::Text(i.objective.as_deref().unwrap_or("")),
                            Cell::Text(report.titles.get(&i.id).map_or("", String::as_str)),
                            Cell::Text(&value),
                            Cell::Text(i.owner.as_deref().unwrap_or("")),
                            Cell::Text(i.due.as_deref().unwrap_or("")),
                            Cell::Text(i.note.as_deref().unwrap_or("")),
                        ]);
                        row(&cells);
                    }
                }
            }
        }
    }
    out
}

fn area_name<'a>(a: &'a Assessment, code: &str) -> &'a str {
    a.areas
        .iter()
        .find(|x| x.id == code)
        .map_or("", |x| x.name.as_str())
}

/// The roadmap section of an assessment on the HTML page: per area listed,
/// its target and a table of what each level needs, with owners and dates.
pub(super) fn html(o: &mut String, r: &Report, a: &Assessment) {
    o.push_str("<h3>Roadmap</h3>\n");
    if a.roadmap.is_empty() {
        o.push_str(
            "<p class=\"muted\">No area in scope has a target: give <code>targets</code> in the \
             answer file, or <code>--target</code>.</p>\n",
        );
        return;
    }
    for x in &a.roadmap {
        let level = x
            .level
            .map_or("not assessed".into(), |l| format!("level {l}"));
        let _ = writeln!(
            o,
            "<section class=\"roadmap\" data-area=\"{}\" data-target=\"{}\">\n<h4>{} {}: {level}, target {}</h4>",
            esc(&x.area),
            x.target,
            esc(&x.area),
            esc(area_name(a, &x.area)),
            x.target
        );
        if x.assess_first {
            o.push_str("<p>Not assessed: assess the area first; no plan is made without answers.</p>\n</section>\n");
            continue;
        }
        if x.met {
            o.push_str("<p>Target met.</p>\n</section>\n");
            continue;
        }
        o.push_str(
            "<table class=\"roadmap\">\n<thead><tr><th scope=\"col\">Level</th><th scope=\"col\">Goal</th>\
             <th scope=\"col\">Question</th><th scope=\"col\">Title</th><th scope=\"col\">Answer</th>\
             <th scope=\"col\">Owner</th><th scope=\"col\">Due</th><th scope=\"col\">Note</th></tr></thead>\n<tbody>\n",
        );
        for s in &x.steps {
            step_rows(o, r, s);
        }
        o.push_str("</tbody>\n</table>\n</section>\n");
    }
}

/// The rows of one step: an item a row, a blocked goal or an empty step
/// said in a row of its own.
fn step_rows(o: &mut String, r: &Report, s: &Step) {
    let step = level_label(r, s.level);
    let reach = if s.unreachable {
        " data-unreachable=\"true\""
    } else {
        ""
    };
    if s.goals.is_empty() {
        let _ = writeln!(
            o,
            "<tr data-level=\"{}\"{reach}><td>{step}</td><td colspan=\"7\" class=\"muted\">No goal left at this level.</td></tr>",
            s.level
        );
    }
    for g in &s.goals {
        if g.items.is_empty() {
            let _ = writeln!(
                o,
                "<tr data-level=\"{}\"{reach} data-blocked=\"{}\"><td>{step}</td><td>{}</td><td colspan=\"6\" class=\"below\">\
                         No question of this area asks it: nothing answered can achieve it, so level {} and above cannot be reached.</td></tr>",
                s.level,
                esc(&g.id),
                esc(&g.id),
                s.level
            );
        }
        for i in &g.items {
            let answer = match i.value.text() {
                t if t.is_empty() => "unanswered".to_string(),
                t if t == "na" => "N/A, not accepted".to_string(),
                t => t,
            };
            let text = |v: &Option<String>| v.as_deref().map(esc).unwrap_or_default();
            let _ = writeln!(
                o,
                "<tr data-level=\"{}\"{reach} data-question=\"{}\"><td>{step}</td><td>{}</td><th scope=\"row\">{}</th>\
                         <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                s.level,
                esc(&i.id),
                esc(&g.id),
                esc(&i.id),
                esc(r.titles.get(&i.id).map_or("", String::as_str)),
                esc(&answer),
                text(&i.owner),
                text(&i.due),
                text(&i.note)
            );
        }
    }
}

/// "2 Managed": a level with its name, escaped.
fn level_label(r: &Report, level: i64) -> String {
    match r.levels.iter().find(|l| l.level == level) {
        Some(l) if !l.name.is_empty() => format!("{level} {}", esc(&l.name)),
        _ => level.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_as_level_or_area_and_level() {
        let t = |s: &str| s.parse::<Target>();
        assert_eq!(
            t("2"),
            Ok(Target {
                area: None,
                level: 2
            })
        );
        assert_eq!(
            t("EF=3"),
            Ok(Target {
                area: Some("EF".into()),
                level: 3
            })
        );
        for bad in ["", "x", "EF", "=2", "EF=", "EF=2.5", "EF=two"] {
            assert!(t(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn command_line_targets_replace_the_file_s() {
        let survey: Survey = serde_json::from_value(serde_json::json!({
            "performed_at": 2, "levels": [{"level": 0}, {"level": 1}, {"level": 2}],
            "areas": [{"code": "A"}, {"code": "B"}, {"code": "C"}]
        }))
        .unwrap();
        let mut scope = Scope::default();
        scope.targets.insert("A".into(), 2);
        let targets: Vec<Target> = ["C=2", "1", "B=0", "C=0"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        apply_targets(&mut scope, &survey, &targets);
        let got: Vec<(&str, i64)> = scope
            .targets
            .iter()
            .map(|(k, v)| (k.as_str(), *v))
            .collect();
        assert_eq!(got, [("A", 1), ("B", 0), ("C", 0)]);
        let bad: Vec<Target> = ["D=1", "5"].iter().map(|s| s.parse().unwrap()).collect();
        let d: Vec<String> = check_targets(&survey, &bad)
            .iter()
            .map(|d| d.message.clone())
            .collect();
        assert_eq!(
            d,
            [
                "no area `D` in this model",
                "the target 5 is not a capability level of this model"
            ]
        );
        assert!(check_targets(&survey, &targets).is_empty());
    }
}
