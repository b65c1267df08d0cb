//! The team rules, pinned twice: the golden vectors of
//! `tests/team/vectors.json` (answer files in; duplicates, or the teams with
//! their disputes, the scope x area matrix, the dates and the consensus
//! files out) against `src/report/` here, and against
//! `themes/default/static/team.js` by `tests/js/team.test.js`, which
//! `scoring::node_suite_passes` runs with the other node suites.
//!
//! `REFBOOK_WRITE_TEAM_VECTORS=1` writes what the Rust code gives into the
//! vectors' `expect` instead of comparing (for a new case; read the diff).

use crate::common::*;
use refbook::report::{Options, ReportError, Rule, run_texts};
use serde_json::{Map, Value, json};
use std::path::Path;

fn path() -> std::path::PathBuf {
    Path::new(ROOT).join("tests/team/vectors.json")
}

/// A case's answer files as texts: the vector's fields in a version 2 file.
fn texts(model: &Value, case: &Value) -> Vec<(String, String)> {
    let files = case["files"].as_array().expect("files");
    files
        .iter()
        .map(|f| {
            let mut file = Map::new();
            file.insert("format".into(), json!("refbook-survey"));
            file.insert("version".into(), json!(2));
            file.insert("model".into(), model["model"].clone());
            for k in ["respondent", "areas_in_scope", "targets", "answers"] {
                if let Some(v) = f.get(k) {
                    file.insert(k.into(), v.clone());
                }
            }
            let name = f["name"].as_str().expect("name").to_string();
            (name, Value::Object(file).to_string())
        })
        .collect()
}

/// The first file named by a duplicate's message, and the file it is at.
fn duplicates(d: &[refbook::diag::Diagnostic]) -> Value {
    let pairs: Vec<Value> = d
        .iter()
        .filter(|d| d.message.starts_with("a second answer file"))
        .map(|d| {
            let first = d.message.rsplit("the first is ").next().unwrap_or("");
            let first = first.split(':').next().unwrap_or("");
            json!([first, d.loc.file.to_string()])
        })
        .collect();
    json!({ "duplicates": pairs })
}

/// What the case gives, in the vectors' shape.
fn outcome(model: &Value, case: &Value) -> Value {
    let rule = match case["consensus"].as_str() {
        Some("min") => Some(Rule::Min),
        Some("mode") => Some(Rule::Mode),
        None => None,
        Some(other) => panic!("{}: no rule {other}", case["name"]),
    };
    let opts = Options {
        consensus: rule,
        ..Options::default()
    };
    let scored = match run_texts(model, &texts(model, case), &opts) {
        Ok(s) => s,
        Err(ReportError::Answers(d)) => {
            let other = d.iter().find(|d| {
                d.severity == refbook::diag::Severity::Error
                    && !d.message.starts_with("a second answer file")
            });
            assert!(other.is_none(), "{}: {other:?}", case["name"]);
            return duplicates(&d);
        }
        Err(e) => panic!("{}: {e}", case["name"]),
    };
    let r = serde_json::to_value(&scored.report).unwrap();
    let consensus: Vec<Value> = scored
        .report
        .consensus
        .iter()
        .map(|c| {
            let mut v = serde_json::to_value(c).unwrap();
            let m = v.as_object_mut().unwrap();
            m.remove("path");
            m.insert("file".into(), serde_json::from_str(&c.text).unwrap());
            v
        })
        .collect();
    json!({
        "teams": r["teams"],
        "matrix": r["matrix"],
        "history": r["history"],
        "consensus": consensus,
    })
}

#[test]
fn team_vectors_hold_for_the_rust_report() {
    let text = std::fs::read_to_string(path()).unwrap();
    let mut vectors: Value = serde_json::from_str(&text).unwrap();
    let model = vectors["model"].clone();
    let write = std::env::var_os("REFBOOK_WRITE_TEAM_VECTORS").is_some();
    let cases = vectors["cases"].as_array_mut().unwrap();
    assert!(cases.len() >= 12, "{} cases", cases.len());
    let mut failures = Vec::new();
    for case in cases.iter_mut() {
        let got = outcome(&model, case);
        if write {
            case["expect"] = got;
        } else if got != case["expect"] {
            failures.push(format!(
                "{}\n  expected {}\n  got      {got}",
                case["name"], case["expect"]
            ));
        }
    }
    if write {
        let out = serde_json::to_string_pretty(&vectors).unwrap() + "\n";
        std::fs::write(path(), out).unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Each vector must be able to fail: every case expects something, and the
/// rule's outcomes all occur (each reason for a dispute, a duplicate, a
/// change between dates, a consensus file).
#[test]
fn team_vectors_cover_the_rules() {
    let text = std::fs::read_to_string(path()).unwrap();
    for want in [
        "\"straddles-performed\"",
        "\"two-steps-apart\"",
        "\"na-and-value\"",
        "\"duplicates\": [\n",
        "\"became_performed\": [\n",
        "\"stopped_performed\": [\n",
        "DISPUTED",
        "\"below_target\": 1",
    ] {
        assert!(text.contains(want), "no case gives {want}");
    }
}
