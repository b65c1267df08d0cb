//! The scoring rules, pinned twice: the golden vectors of
//! `tests/scoring/golden.json` against `src/scoring/` here, and against
//! `themes/default/static/scoring.js` by the node suite in `tests/js/`,
//! which this file runs too, so that `cargo test` fails when either
//! implementation drifts from the vectors.

use crate::common::*;
use refbook::scoring::{self, Answers, AreaScore, Counts, Scope, Status, Survey};
use serde_json::{Map, Value, json};
use std::io::Write;
use std::path::Path;
use std::process::Command;

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
        "status": a.status.as_str(),
        "assessable": a.assessable,
        "level": a.level,
        "target": a.target,
        "objectives": states(a.objectives.iter().map(|o| (&o.id, o.state)).collect()),
        "goals": states(a.goals.iter().map(|g| (&g.id, g.state)).collect()),
        "practices": counts(&a.practices),
        "generic": counts(&a.generic),
        "share": a.share,
        "not_applicable": a.not_applicable.iter()
            .map(|n| json!({"id": n.id, "reason": n.reason})).collect::<Vec<_>>(),
        "flagged": a.flagged.iter()
            .map(|f| json!({"id": f.id, "problem": f.problem.as_str()})).collect::<Vec<_>>(),
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
        (Value::Array(g), Value::Array(w)) => {
            g.len() == w.len() && g.iter().zip(w).all(|(g, w)| same(g, w))
        }
        _ => got == want,
    }
}

#[test]
fn golden_vectors_hold_for_the_rust_scoring() {
    let golden = golden();
    let cases = golden["cases"].as_array().unwrap();
    assert!(cases.len() >= 80, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let survey: Survey = serde_json::from_value(case_survey(&golden, case).clone())
            .unwrap_or_else(|e| panic!("{name}: survey: {e}"));
        let answers: Answers = serde_json::from_value(case["answers"].clone())
            .unwrap_or_else(|e| panic!("{name}: answers: {e}"));
        // The case holds areas_in_scope and targets as a file does.
        let scope = Scope::from_json(case);
        let got = Value::Object(
            scoring::assess(&survey, &answers, &scope)
                .iter()
                .map(|a| (a.code.clone(), shape(a)))
                .collect(),
        );
        if !same(&got, &case["expect"]) {
            failures.push(differs(name, &case["expect"], &got));
        }
    }
    all_hold(&failures, cases.len());
}

/// The roadmap vectors of `tests/scoring/roadmap.json` against
/// `scoring::roadmap`, compared as the JSON both implementations give.
#[test]
fn roadmap_vectors_hold_for_the_rust_scoring() {
    let path = Path::new(ROOT).join("tests/scoring/roadmap.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let cases = vectors["cases"].as_array().unwrap();
    assert!(cases.len() >= 15, "{} cases", cases.len());
    let mut failures = Vec::new();
    let mut names: Vec<&str> = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        names.push(name);
        let survey: Survey = serde_json::from_value(case_survey(&vectors, case).clone())
            .unwrap_or_else(|e| panic!("{name}: survey: {e}"));
        let answers: Answers = serde_json::from_value(case["answers"].clone())
            .unwrap_or_else(|e| panic!("{name}: answers: {e}"));
        let got =
            serde_json::to_value(scoring::roadmap(&survey, &answers, &Scope::from_json(case)))
                .unwrap();
        if got != case["expect"] {
            failures.push(differs(name, &case["expect"], &got));
        }
    }
    all_hold(&failures, cases.len());
    let n = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), n, "roadmap case names are unique");
}

/// Beyond the vectors: random answers, scopes and targets over the models
/// of both vector files give the same roadmap from scoring.js (through node) as
/// from `scoring::roadmap`. Skipped without node, as the vectors' run is.
#[test]
fn roadmap_agrees_with_scoring_js_on_random_answers() {
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    if Command::new(&node).arg("--version").output().is_err() {
        let _ = writeln!(
            std::io::stderr(),
            "SKIP node not found: roadmap agreement not tested"
        );
        return;
    }
    let path = Path::new(ROOT).join("tests/scoring/roadmap.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    // A fixed linear congruential sequence: the same cases on every run.
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((seed >> 33) as usize) % n
    };
    let mut cases = Vec::new();
    let golden = golden();
    let models = vectors["models"].as_object().unwrap().values();
    for model in models.chain(golden["models"].as_object().unwrap().values()) {
        let areas = model["areas"].as_array().unwrap();
        let ids: Vec<&str> = areas
            .iter()
            .flat_map(|a| {
                let p = a["objectives"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|o| o["practices"].as_array().unwrap());
                let g = a["goals"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|g| g["questions"].as_array().unwrap());
                p.chain(g)
                    .map(|q| q["id"].as_str().unwrap())
                    .collect::<Vec<_>>()
            })
            .collect();
        for _ in 0..150 {
            let choices = [
                json!(null),
                json!({"value": 0}),
                json!({"value": 1}),
                json!({"value": 2}),
                json!({"value": 3}),
                json!({"value": 4}),
                json!({"value": 5}),
                json!({"value": 7}),
                json!({"value": "na", "reason": "r"}),
                json!({"value": "na"}),
                json!({"note": "n"}),
            ];
            let mut answers = Map::new();
            for id in &ids {
                let c = &choices[next(choices.len())];
                if !c.is_null() {
                    answers.insert(id.to_string(), c.clone());
                }
            }
            let mut case = json!({"survey": model, "answers": answers});
            let mut targets = Map::new();
            for a in areas {
                if next(4) > 0 {
                    targets.insert(a["code"].as_str().unwrap().into(), json!(next(5)));
                }
            }
            case["targets"] = Value::Object(targets);
            if next(3) == 0 {
                let list: Vec<&Value> = areas
                    .iter()
                    .map(|a| &a["code"])
                    .filter(|_| next(2) == 0)
                    .collect();
                case["areas_in_scope"] = json!(list);
            }
            cases.push(case);
        }
    }
    let dir = tmp("roadmap-agreement");
    std::fs::write(
        dir.join("cases.json"),
        Value::Array(cases.clone()).to_string(),
    )
    .unwrap();
    let script = "const s = require(process.argv[1]); const cases = require(process.argv[2]);
        process.stdout.write(JSON.stringify(cases.map(c => s.prepare(c.survey).roadmap(c.answers, c))));";
    let out = Command::new(&node)
        .args(["-e", script])
        .arg(Path::new(ROOT).join("themes/default/static/scoring.js"))
        .arg(dir.join("cases.json"))
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(js.len(), cases.len());
    let mut steps = 0;
    for (case, js) in cases.iter().zip(&js) {
        let survey: Survey = serde_json::from_value(case["survey"].clone()).unwrap();
        let answers: Answers = serde_json::from_value(case["answers"].clone()).unwrap();
        let rust =
            serde_json::to_value(scoring::roadmap(&survey, &answers, &Scope::from_json(case)))
                .unwrap();
        assert_eq!(&rust, js, "{case}");
        steps += js
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["steps"].as_array().unwrap().len())
            .sum::<usize>();
    }
    assert!(
        2 * steps > cases.len(),
        "the cases make plans ({steps} steps, {} cases)",
        cases.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
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

/// The shipped book's site: every page that loads a survey script that scores
/// (one that declares it loads after scoring.js: survey-store.js and those
/// built on it) loads scoring.js before it, and the survey data it emits reads
/// as `Survey` and scores as the model's rules say (everything fully performed
/// reaches the top level, except where an area has no objectives).
#[test]
fn shipped_site_loads_scoring_and_its_survey_data_scores() {
    let dest = tmp("scoring-site");
    let out = refbook(&["build", ROOT, "-d", dest.join("site").to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let site = dest.join("site");
    assert!(site.join("assets/scoring.js").is_file());
    let scoring_first: Vec<String> = scripts::declared_prerequisites()
        .into_iter()
        .filter(|(_, after)| after.iter().any(|s| s == "scoring.js"))
        .map(|(name, _)| name)
        .collect();
    assert!(
        scoring_first.iter().any(|s| s == "survey-store.js"),
        "{scoring_first:?}"
    );
    let mut pages = 0;
    for page in walk(&site)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "html"))
    {
        let html = std::fs::read_to_string(page).unwrap();
        let order = scripts::ordered_scripts(&html);
        let at = |name: &str| order.iter().position(|s| s == name);
        for script in &scoring_first {
            if let Some(i) = at(script) {
                assert!(
                    at("scoring.js").is_some_and(|s| s < i),
                    "{}: {script} without scoring.js before it",
                    page.display()
                );
            }
        }
        if at("survey-store.js").is_some() {
            pages += 1;
        }
    }
    let js = std::fs::read_to_string(dest.join("site/assets/survey-data.js")).unwrap();
    let data = js
        .strip_prefix("var refbook$data;(refbook$data=refbook$data||{}).survey=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("survey-data.js is one assignment");
    let survey: Survey = serde_json::from_str(data).unwrap();
    assert!(survey.areas.len() >= 20, "{}", survey.areas.len());
    assert_eq!(
        pages,
        survey.areas.len() + 2,
        "every area page, the survey and the results load survey-store.js"
    );

    let every = Scope::default();
    let none = scoring::assess(&survey, &Answers::new(), &every);
    assert!(
        none.iter().all(|a| a.level.is_none()
            && [Status::NotAssessed, Status::NotAssessable].contains(&a.status)),
        "nothing answered: not assessed, never level 0"
    );

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
    let scores = scoring::assess(&survey, &all, &every);
    assert_eq!(scores.len(), survey.areas.len());
    for a in &scores {
        if a.assessable {
            assert_eq!(a.status, Status::Assessed, "{}", a.code);
            assert_eq!(a.level, Some(top), "{}", a.code);
            assert_eq!(a.share, Some(1.0), "{}", a.code);
        } else {
            assert_eq!(a.status, Status::NotAssessable, "{}", a.code);
            assert_eq!(a.level, None, "{} has no objectives", a.code);
        }
    }
    assert!(
        scores.iter().any(|a| !a.assessable),
        "SOM and PM have no objectives"
    );
    let _ = std::fs::remove_dir_all(&dest);
}

/// The same vectors against scoring.js: `node --test` over every
/// `tests/js/*.test.js`. The files are named rather than the folder because
/// node 21 and later take a folder argument for a test file and fail. Without
/// node the test is skipped with a message, unless REQUIRE_NODE=1 (CI).
#[test]
fn golden_vectors_hold_for_scoring_js() {
    let node = std::env::var_os("NODE").unwrap_or_else(|| "node".into());
    if Command::new(&node).arg("--version").output().is_err() {
        let msg = format!(
            "node ({}) not found: scoring.js not tested",
            node.to_string_lossy()
        );
        if std::env::var("REQUIRE_NODE").as_deref() == Ok("1") {
            panic!("{msg}, and REQUIRE_NODE=1");
        }
        // Not captured by libtest, unlike eprintln!.
        let _ = writeln!(std::io::stderr(), "SKIP {msg}");
        return;
    }
    let mut files: Vec<String> = std::fs::read_dir(Path::new(ROOT).join("tests/js"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".test.js"))
        .map(|n| format!("tests/js/{n}"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no tests/js/*.test.js");
    let out = Command::new(&node)
        .arg("--test")
        .args(&files)
        .current_dir(ROOT)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "node --test {} failed:\n{stdout}{}",
        files.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    // A suite that loaded nothing passes too; make sure the vectors ran.
    assert!(
        stdout
            .lines()
            .any(|l| l.starts_with("# pass ") && l != "# pass 0"),
        "{stdout}"
    );
}

/// A case whose result is not the one expected, as the failure says it.
fn differs(name: &str, expected: &Value, got: &Value) -> String {
    format!("{name}\n  expected {expected}\n  got      {got}")
}

/// Every case held, or the failure lists those that did not.
fn all_hold(failures: &[String], cases: usize) {
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases,
        failures.join("\n")
    );
}
