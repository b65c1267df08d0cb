//! `refbook report` over a team's files (tests/fixtures/team/): files keyed
//! by respondent, duplicates refused naming both, assessors compared with
//! their disputes, consensus files read back by the same reader, the scope x
//! area matrix, the dates of a scope, and every output format.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn team(name: &str) -> String {
    Path::new(ROOT)
        .join("tests/fixtures/team")
        .join(name)
        .display()
        .to_string()
}

fn question<'a>(t: &'a Value, id: &str) -> &'a Value {
    t["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == id)
        .unwrap_or_else(|| panic!("no question {id}"))
}

fn cell<'a>(row: &'a Value, area: &str) -> &'a Value {
    row["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["area"] == area)
        .unwrap()
}

fn values(q: &Value) -> Vec<Value> {
    q["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["value"].clone())
        .collect()
}

#[test]
fn agreeing_assessors_are_side_by_side_and_undisputed() {
    let r = json_of(&report(&[&team("agreeing")]));
    // The existing fields keep their place and meaning.
    assert_eq!(r["format"], "refbook-report");
    assert_eq!(r["assessments"].as_array().unwrap().len(), 2);
    let teams = r["teams"].as_array().unwrap();
    assert_eq!(teams.len(), 1);
    let t = &teams[0];
    assert_eq!(
        (&t["organization"], &t["scope"], &t["date"]),
        (&"Acme".into(), &"Billing".into(), &"2026-03-01".into())
    );
    let who: Vec<&str> = t["assessors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["assessor"].as_str().unwrap())
        .collect();
    assert_eq!(who, ["Ann", "Bob"]);
    assert_eq!(t["disputed"], serde_json::json!([]));
    let q = question(t, "EF-1.1");
    assert_eq!(values(q), [3, 2]);
    assert_eq!(
        q["spread"],
        serde_json::json!({"low": 2, "high": 3, "steps": 1})
    );
    assert_eq!(q["answers"][1]["note"], "Approved, not yet communicated.");
    assert_eq!(
        q["answers"][0]["evidence"][0]["href"],
        "https://intranet.example/strategy.pdf"
    );
    let ef = t["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "EF")
        .unwrap();
    assert_eq!(ef["levels"], serde_json::json!([2, 2]));
    // One row in the matrix: two files at level 2, never an average.
    let row = &r["matrix"]["rows"][0];
    assert_eq!(
        cell(row, "EF")["levels"],
        serde_json::json!([{"value": 2, "files": 2}])
    );
}

#[test]
fn disputes_straddle_the_threshold_or_set_na_against_a_value() {
    let r = json_of(&report(&[&team("disputed")]));
    let t = &r["teams"][0];
    assert_eq!(t["disputed"], serde_json::json!(["EF-1.1", "EF-1.2"]));
    let q = question(t, "EF-1.1");
    assert_eq!(values(q), [3, 1, 3]);
    assert_eq!(q["disputed"], "straddles-performed");
    let q = question(t, "EF-1.2");
    assert_eq!(values(q)[1], "na");
    assert_eq!(
        q["answers"][1]["reason"],
        "No such function in <b>this</b> unit."
    );
    assert_eq!(q["disputed"], "na-and-value");
    // Unanswered by one: shown, not disputed.
    let q = question(t, "EF-1.3");
    assert_eq!(values(q), [Value::from(3), Value::Null, Value::from(3)]);
    assert_eq!(
        (&q["disputed"], &q["unanswered"]),
        (&Value::Null, &1.into())
    );
    // One step apart, both performed: not disputed.
    assert_eq!(question(t, "EF-2.1")["disputed"], Value::Null);
}

/// The consensus file of each rule, read back by the same reader the
/// report uses (as the site's import reads it), and its scores.
#[test]
fn consensus_files_are_answer_files_with_disputes_in_their_notes() {
    for (rule, ef_1_1, level) in [("min", 1, 0), ("mode", 3, 2)] {
        let dir = tmp(&format!("team-consensus-{rule}"));
        let out = dir.join("report.json");
        let o = report(&[
            &team("disputed"),
            "--consensus",
            rule,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        let folder = dir.join("report.json.consensus");
        let file = folder.join("consensus-acme--billing--2026-03-01.json");
        let c: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(c["version"], 2);
        assert_eq!(
            c["respondent"]["assessor"],
            format!("consensus ({rule}) of Ann, Bob, =HYPERLINK(\"http://evil.example\")")
        );
        assert_eq!(c["answers"]["EF-1.1"]["value"], ef_1_1);
        let note = c["answers"]["EF-1.1"]["note"].as_str().unwrap();
        assert!(
            note.starts_with("DISPUTED (performed by one answer, not by another): Ann: 3, Bob: 1"),
            "{note}"
        );
        assert!(note.contains("Bob: =cmd|' /C calc'!A0"), "{note}");
        // A value wins over N/A (min: the lowest value; mode: 2 of 3).
        assert_eq!(c["answers"]["EF-1.2"]["value"], 3);
        assert_eq!(c["answers"]["EF-1.1"]["evidence"][0]["href"], "DOC-7");
        let r: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        assert_eq!(r["consensus"][0]["path"], file.display().to_string());
        assert_eq!(r["consensus"][0]["disputed"], 2);
        // Read back: no diagnostic at all, and scored.
        let back = report(&[file.to_str().unwrap()]);
        assert!(back.stderr.is_empty(), "{}", stderr(&back));
        let back = json_of(&back);
        let ef = back["assessments"][0]["areas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == "EF")
            .unwrap()
            .clone();
        assert_eq!(ef["level"], level, "{rule}");
        // Again into the folder refbook made: replaced.
        let o = report(&[
            &team("disputed"),
            "--consensus",
            rule,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
}

#[test]
fn consensus_never_overwrites_a_folder_refbook_did_not_make() {
    let dir = tmp("team-consensus-safety");
    let mine = dir.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(
        mine.join("consensus-acme--billing--2026-03-01.json"),
        "my own",
    )
    .unwrap();
    let before = tree(&dir);
    let o = report(&[
        &team("disputed"),
        "--consensus",
        "min",
        "--consensus-out",
        mine.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("holds files refbook did not write"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&dir), before);
    // A file given as the folder: refused too.
    let file = mine.join("consensus-acme--billing--2026-03-01.json");
    let o = report(&[
        &team("disputed"),
        "--consensus",
        "min",
        "--consensus-out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(tree(&dir), before);
    // Nowhere to write: a usage error.
    let o = report(&[&team("disputed"), "--consensus", "mode"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn scopes_make_a_matrix_of_distributions_targets_and_shares() {
    let r = json_of(&report(&[&team("scopes")]));
    let rows = r["matrix"]["rows"].as_array().unwrap();
    let scopes: Vec<&str> = rows.iter().map(|x| x["scope"].as_str().unwrap()).collect();
    assert_eq!(scopes, ["Billing", "Payroll"]);
    let billing = cell(&rows[0], "EF");
    assert_eq!(
        billing["levels"],
        serde_json::json!([{"value": 0, "files": 1}, {"value": 2, "files": 1}])
    );
    assert_eq!(
        (&billing["target"], &billing["below_target"]),
        (&3.into(), &2.into())
    );
    assert_eq!(
        (&billing["performed"], &billing["applicable"]),
        (&25.into(), &26.into())
    );
    // Not assessed and out of scope are states of their own, never level 0.
    let risk = cell(&rows[1], "RISK");
    assert_eq!(risk["levels"], serde_json::json!([]));
    assert_eq!(
        risk["states"],
        serde_json::json!([{"value": "not-assessed", "files": 1}])
    );
    assert_eq!(
        cell(&rows[0], "RISK")["states"],
        serde_json::json!([{"value": "out-of-scope", "files": 2}])
    );
    assert_eq!(cell(&rows[0], "RISK")["applicable"], 0);
    let total = r["matrix"]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "EF")
        .unwrap();
    assert_eq!(
        total["total"]["levels"],
        serde_json::json!([{"value": 0, "files": 1}, {"value": 2, "files": 1}, {"value": 3, "files": 1}])
    );
}

#[test]
fn dates_show_levels_and_what_became_or_stopped_being_performed() {
    let r = json_of(&report(&[&team("dates")]));
    let h = &r["history"][0];
    let dates: Vec<&str> = h["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2025-03-01", "2026-03-01"]);
    assert_eq!(h["dates"][0]["became_performed"], serde_json::json!([]));
    assert_eq!(
        h["dates"][1]["became_performed"],
        serde_json::json!(["EF-1.1"])
    );
    assert_eq!(
        h["dates"][1]["stopped_performed"],
        serde_json::json!(["EF-1.2"])
    );
    let ef = h["dates"][1]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "EF")
        .unwrap();
    assert_eq!(
        (&ef["status"], &ef["level"]),
        (&"assessed".into(), &0.into())
    );
    // The matrix shows the latest date only.
    assert_eq!(r["matrix"]["rows"][0]["date"], "2026-03-01");
}

#[test]
fn two_files_of_one_respondent_are_an_error_naming_both() {
    let o = report(&[&team("duplicates")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    let one = format!("{}/one.json:6:3", team("duplicates"));
    let two = format!("{}/two.json:6:3", team("duplicates"));
    assert!(err.contains(&format!("the first is {one}")), "{err}");
    assert!(err.contains(&format!("--> {two}")), "{err}");
}

#[test]
fn broken_files_get_every_problem_at_once() {
    let o = report(&[&team("broken")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
    let err = stderr(&o);
    for at in ["bad-values.json:", "trailing-comma.json:21:5"] {
        assert!(err.contains(at), "{at}: {err}");
    }
    assert!(err.contains("report failed: 3 errors"), "{err}");
}

#[test]
fn several_files_without_respondent_details_are_grouped_with_a_warning() {
    let dir = tmp("team-anonymous");
    let v1 = Path::new(ROOT).join("tests/fixtures/answers/v1.json");
    std::fs::copy(&v1, dir.join("a.json")).unwrap();
    let o = report(&[
        dir.to_str().unwrap(),
        &format!("{}/ann.json", team("agreeing")),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("a.json:84:3"), "{err}");
    assert!(
        err.contains("the respondent gives no scope: the file is grouped with the files that give none either"),
        "{err}"
    );
    let r: Value = serde_json::from_slice(&o.stdout).unwrap();
    let t = &r["teams"][0];
    assert_eq!(
        (&t["organization"], &t["scope"]),
        (&"Acme".into(), &"".into())
    );
}

#[test]
fn csv_has_a_row_per_file_area_and_question_and_no_formula() {
    let o = report(&[&team("disputed"), "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&String::from_utf8_lossy(&o.stdout));
    assert_eq!(
        &rows[0][13..],
        ["question", "title", "value", "note", "disputed"]
    );
    let q = |file: &str, id: &str| {
        rows.iter()
            .find(|r| r[0].ends_with(file) && r[13] == id)
            .unwrap_or_else(|| panic!("{file} {id}"))
            .clone()
    };
    let bob = q("bob.json", "EF-1.1");
    assert_eq!(&bob[5..6], ["EF"]);
    assert_eq!(
        &bob[15..],
        ["1", "'=cmd|' /C calc'!A0", "straddles-performed"]
    );
    assert_eq!(&q("bob.json", "EF-1.3")[15..], ["", "", ""]);
    assert_eq!(&q("cy.json", "EF-1.2")[15..], ["3", "", "na-and-value"]);
    // Per file: 24 area rows, and a row per question of EF (13 + 12).
    assert_eq!(rows.len(), 1 + 3 * (24 + 25));
    for r in &rows {
        for c in r {
            assert!(!c.starts_with(['=', '+', '-', '@', '\t', '\r']), "{c:?}");
        }
    }
}

#[test]
fn html_shows_the_matrix_the_disputes_and_the_dates_escaped() {
    let dir = tmp("team-html");
    let out = dir.join("report.html");
    // Ann of 2026-03-01 in the dates folder is the one in the disputed one.
    let earlier = format!("{}/2025.json", team("dates"));
    let o = report(&[
        &team("disputed"),
        &earlier,
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("style-src 'sha256-"));
    for never in ["<script", " style=", "unsafe-inline", "<link", "url("] {
        assert!(!html.contains(never), "{never}");
    }
    assert!(html.contains("<table class=\"heatmap matrix\">"));
    assert!(html.contains("class=\"hm hm-not-achieved\" data-area=\"EF\" data-levels=\"0:1 2:2\""));
    assert!(html.contains("<tr data-question=\"EF-1.1\" class=\"disputed\">"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("=HYPERLINK(&quot;http://evil.example&quot;)"));
    assert!(html.contains("Acme \u{b7} Billing over time"));
    // 2025: EF-1.1 at 1; 2026: Bob's 1 is the min consensus.
    assert!(html.contains("became performed: none; stopped being performed: none."));
}
