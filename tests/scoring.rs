//! The scoring rules, pinned: the golden vectors of
//! `tests/scoring/golden.json` against `src/scoring.rs`.

mod common;
use common::*;
use refbook::scoring::{self, Answers, AreaScore, Counts, Survey};
use serde_json::{Map, Value, json};
use std::path::Path;

fn golden() -> Value {
    let path = Path::new(ROOT).join("tests/scoring/golden.json");
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// A case's survey: its own, or the named one of `models`.
fn case_survey<'g>(golden: &'g Value, case: &'g Value) -> &'g Value {
    match (&case["survey"], case["model"].as_str()) {
        (Value::Null, Some(name)) => golden["models"]
            .get(name)
            .unwrap_or_else(|| panic!("{}: no model {name:?}", case["name"])),
        (survey, None) if survey.is_object() => survey,
        _ => panic!("{}: give either model or survey", case["name"]),
    }
}

fn counts(c: &Counts) -> Value {
    json!({"total": c.total, "answered": c.answered, "unanswered": c.unanswered,
           "na": c.na, "applicable": c.applicable, "performed": c.performed})
}

/// An area's score in the shape of the vectors' `expect`.
fn shape(a: &AreaScore) -> Value {
    let states = |pairs: Vec<(&String, scoring::State)>| {
        Value::Object(
            pairs
                .into_iter()
                .map(|(id, s)| (id.clone(), json!(s.as_str())))
                .collect::<Map<_, _>>(),
        )
    };
    json!({
        "assessable": a.assessable,
        "level": a.level,
        "objectives": states(a.objectives.iter().map(|o| (&o.id, o.state)).collect()),
        "goals": states(a.goals.iter().map(|g| (&g.id, g.state)).collect()),
        "practices": counts(&a.practices),
        "generic": counts(&a.generic),
        "share": a.share,
    })
}

/// Equal, with shares compared as floats (the vectors write 2/3 in
/// decimal; both implementations divide in binary).
fn same(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Number(g), Value::Number(w)) => {
            (g.as_f64().unwrap() - w.as_f64().unwrap()).abs() < 1e-12
        }
        (Value::Object(g), Value::Object(w)) => {
            g.len() == w.len() && g.iter().all(|(k, v)| w.get(k).is_some_and(|x| same(v, x)))
        }
        _ => got == want,
    }
}

#[test]
fn golden_vectors_hold_for_the_rust_scoring() {
    let golden = golden();
    let cases = golden["cases"].as_array().unwrap();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let survey: Survey = serde_json::from_value(case_survey(&golden, case).clone())
            .unwrap_or_else(|e| panic!("{name}: survey: {e}"));
        let answers: Answers = serde_json::from_value(case["answers"].clone())
            .unwrap_or_else(|e| panic!("{name}: answers: {e}"));
        let got = Value::Object(
            scoring::score(&survey, &answers)
                .iter()
                .map(|a| (a.code.clone(), shape(a)))
                .collect(),
        );
        if !same(&got, &case["expect"]) {
            failures.push(format!(
                "{name}\n  expected {}\n  got      {got}",
                case["expect"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The vectors' names are unique, so that a failure names one case.
#[test]
fn golden_case_names_are_unique() {
    let golden = golden();
    let mut names: Vec<&str> = golden["cases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n);
}

/// The survey data a build emits reads as `Survey`, and scores as the
/// shipped model's rules say: everything fully performed reaches the top
/// level, except where an area has no objectives.
#[test]
fn survey_data_of_the_shipped_book_scores() {
    let dest = tmp("scoring-site");
    let out = refbook(&["build", ROOT, "-d", dest.join("site").to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let js = std::fs::read_to_string(dest.join("site/assets/survey-data.js")).unwrap();
    let data = js
        .strip_prefix("window.REFBOOK_SURVEY=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("survey-data.js is one assignment");
    let survey: Survey = serde_json::from_str(data).unwrap();
    assert!(survey.areas.len() >= 20, "{}", survey.areas.len());

    let none = scoring::score(&survey, &Answers::new());
    assert!(none.iter().all(|a| a.level == 0), "nothing answered");

    let top = survey.levels.iter().map(|l| l.level).max().unwrap();
    let all: Answers = survey
        .areas
        .iter()
        .flat_map(|a| {
            let practices = a.objectives.iter().flat_map(|o| &o.practices);
            let generic = a.goals.iter().flat_map(|g| &g.questions);
            practices.chain(generic).map(|q| q.id.clone())
        })
        .map(|id| (id, serde_json::from_value(json!({"value": 3})).unwrap()))
        .collect();
    let scores = scoring::score(&survey, &all);
    assert_eq!(scores.len(), survey.areas.len());
    for a in &scores {
        if a.assessable {
            assert_eq!(a.level, top, "{}", a.code);
            assert_eq!(a.share, Some(1.0), "{}", a.code);
        } else {
            assert_eq!(a.level, 0, "{} has no objectives", a.code);
        }
    }
    assert!(
        scores.iter().any(|a| !a.assessable),
        "SOM and PM have no objectives"
    );
    let _ = std::fs::remove_dir_all(&dest);
}
