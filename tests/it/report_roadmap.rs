//! `refbook report`'s roadmap: targets from the file and from `--target`,
//! the roadmap in the JSON, the CSV roadmap sheet and the HTML page, the
//! answer file's plan in its items, and the usage errors of `--target`.

use crate::common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Output;

/// An answer file of the shipped model: EF at level 0 (EF-1.1 performed,
/// EF-1.2 below, the rest unanswered) aiming at 2, RISK in scope and not
/// assessed, with a plan for two questions.
fn answer_file(dir: &Path) -> PathBuf {
    let file = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref",
        "respondent": {"organization": "Acme"},
        "areas_in_scope": ["EF", "RISK"], "targets": {"EF": 2},
        "plan": {"EF-1.2": {"owner": "=Ann", "due": "2026-06-30", "note": "<b>draft</b>, then board"},
                 "EF:GG2.GP1": {"owner": "Bo"}},
        "answers": {"EF-1.1": {"value": 3}, "EF-1.2": {"value": 1}, "EF:GG2.GP2": {"value": 2}}});
    let path = dir.join("acme.json");
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap()).unwrap();
    path
}

fn report(file: &Path, args: &[&str]) -> Output {
    let mut all = vec!["report", "--book", ROOT, file.to_str().unwrap()];
    all.extend_from_slice(args);
    refbook(&all)
}

fn roadmap_of(o: &Output) -> Value {
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    v["assessments"][0]["roadmap"].clone()
}

/// The items of a step, by id.
fn items(step: &Value) -> Vec<Value> {
    step["goals"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn the_json_has_the_roadmap_with_the_plan_in_its_items() {
    let dir = tmp("roadmap-json");
    let file = answer_file(&dir);
    let r = roadmap_of(&report(&file, &[]));
    assert_eq!(r.as_array().unwrap().len(), 1, "only EF has a target: {r}");
    let ef = &r[0];
    assert_eq!(
        json!([
            ef["area"],
            ef["status"],
            ef["level"],
            ef["target"],
            ef["met"],
            ef["assess_first"]
        ]),
        json!(["EF", "assessed", 0, 2, false, false])
    );
    let steps: Vec<&Value> = ef["steps"].as_array().unwrap().iter().collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["goals"][0]["id"], "GG1");
    let one = items(steps[0]);
    assert!(
        !one.iter().any(|i| i["id"] == "EF-1.1"),
        "performed: not an item"
    );
    let planned = one.iter().find(|i| i["id"] == "EF-1.2").unwrap();
    assert_eq!(
        planned,
        &json!({"id": "EF-1.2", "kind": "practice", "objective": "EF-1", "value": 1,
                "owner": "=Ann", "due": "2026-06-30", "note": "<b>draft</b>, then board"})
    );
    let unanswered = one.iter().find(|i| i["id"] == "EF-1.3").unwrap();
    assert_eq!(
        unanswered,
        &json!({"id": "EF-1.3", "kind": "practice", "objective": "EF-1", "value": null})
    );
    // GG1 is not repeated at level 2, which needs GG2: its generic practices
    // not performed (GP2 is), the planned GP1 with its owner.
    let two = items(steps[1]);
    assert_eq!(steps[1]["goals"].as_array().unwrap().len(), 1);
    assert_eq!(steps[1]["goals"][0]["id"], "GG2");
    assert!(
        two.iter()
            .all(|i| i["kind"] == "generic" && i["objective"].is_null())
    );
    assert!(!two.iter().any(|i| i["id"] == "EF:GG2.GP2"));
    assert_eq!(two[0]["id"], "EF:GG2.GP1");
    assert_eq!(two[0]["owner"], "Bo");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn target_options_replace_and_add_to_the_file_s_targets() {
    let dir = tmp("roadmap-target");
    let file = answer_file(&dir);
    // an area's own target replaces the file's
    let r = roadmap_of(&report(&file, &["--target", "EF=1"]));
    assert_eq!(r[0]["target"], 1);
    assert_eq!(r[0]["steps"].as_array().unwrap().len(), 1);
    let out = report(&file, &["--target", "EF=1"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ef = v["assessments"][0]["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == "EF")
        .unwrap()
        .clone();
    assert_eq!(ef["target"], 1, "the areas show the target used");
    // a level for every area: RISK (in scope, nothing answered) is to assess
    // first; out-of-scope areas are not listed; EF=0 beats the level for all
    let r = roadmap_of(&report(&file, &["--target", "EF=0", "--target", "3"]));
    let listed: Vec<&Value> = r.as_array().unwrap().iter().map(|a| &a["area"]).collect();
    assert_eq!(listed, [&json!("EF"), &json!("RISK")]);
    assert_eq!(json!([r[0]["met"], r[0]["target"]]), json!([true, 0]));
    assert_eq!(
        r[1],
        json!({"area": "RISK", "status": "not-assessed", "level": null, "target": 3, "met": false,
               "assess_first": true, "steps": []})
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_targets_and_sheets_are_usage_errors() {
    let dir = tmp("roadmap-usage");
    let file = answer_file(&dir);
    for (args, says) in [
        (&["--target", "EFF=2"][..], "no area `EFF` in this model"),
        (&["--target", "EFF=2"][..], "did you mean `EF`?"),
        (
            &["--target", "9"][..],
            "the target 9 is not a capability level of this model",
        ),
        (&["--target", "EF=two"][..], "is not LEVEL or AREA=LEVEL"),
        (&["--target", "=2"][..], "is not LEVEL or AREA=LEVEL"),
        (&["--sheet", "roadmap"][..], "use it with --format csv"),
        (&["--format", "csv", "--sheet", "plan"][..], "invalid value"),
    ] {
        let o = report(&file, args);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}: no report");
    }
    // Pointed at on the command as typed, each under its own value, all at once.
    let o = report(
        &file,
        &["--target", "9", "--target=EFF=2", "--target", "EF=7"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    // What each diagnostic underlines on the command it shows (a long command
    // is shown as a window around the value, so read each block by itself).
    let underlined: Vec<String> = err
        .split("error: ")
        .skip(1)
        .filter_map(|block| {
            let lines: Vec<&str> = block.lines().collect();
            let source = lines.iter().find(|l| l.starts_with("1 | "))?;
            let carets = lines
                .iter()
                .find(|l| l.starts_with("  |") && l.contains('^'))?;
            let (from, to) = (carets.find('^')?, carets.rfind('^')? + 1);
            source.get(from..to).map(str::to_string)
        })
        .collect();
    assert_eq!(underlined, ["9", "EFF", "7"], "{err}");
    assert!(err.contains("--> command line:1:"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_bad_plan_gets_diagnostics_at_their_place() {
    let dir = tmp("roadmap-plan");
    let path = dir.join("plan.json");
    std::fs::write(
        &path,
        "{\"format\": \"refbook-survey\", \"version\": 2, \"model\": \"cert-ref\",\n\
         \"plan\": {\"EF-1.2\": {\"due\": \"2026-02-30\"}, \"EF-9.9\": {\"owner\": \"x\"}},\n\
         \"answers\": {}}\n",
    )
    .unwrap();
    let o = refbook(&["report", "--book", ROOT, path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(o.stdout.is_empty());
    let at = format!("{}:2:28", path.display());
    assert!(
        err.contains(&at) && err.contains("the due date \"2026-02-30\" is not a date YYYY-MM-DD"),
        "{err}"
    );
    assert!(err.contains("no question `EF-9.9` in this model"), "{err}");
    // an unknown id alone is a warning: the report is written
    std::fs::write(
        &path,
        r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref", "plan": {"EF-9.9": {"owner": "x"}}, "answers": {}}"#,
    )
    .unwrap();
    let o = refbook(&["report", "--book", ROOT, path.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("warning: no question `EF-9.9`"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_roadmap_sheet_is_an_action_list_without_formulas() {
    let dir = tmp("roadmap-csv");
    let file = answer_file(&dir);
    let o = report(
        &file,
        &[
            "--format", "csv", "--sheet", "roadmap", "--target", "RISK=1",
        ],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    let rows = csv_rows(&text);
    assert_eq!(
        rows[0].join(","),
        "file,organization,scope,assessor,date,area,name,status,level,target,step,goal,item,kind,objective,title,answer,owner,due,note"
    );
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("item")] == "EF-1.2")
        .expect("EF-1.2 row");
    assert_eq!(
        [
            &row[col("step")],
            &row[col("goal")],
            &row[col("kind")],
            &row[col("objective")],
            &row[col("answer")]
        ],
        ["1", "GG1", "practice", "EF-1", "1"]
    );
    assert_eq!(row[col("owner")], "'=Ann", "never a formula");
    assert_eq!(row[col("note")], "<b>draft</b>, then board");
    assert!(!row[col("title")].is_empty(), "the practice's title");
    let risk = rows
        .iter()
        .find(|r| r[col("area")] == "RISK")
        .expect("RISK row");
    assert_eq!(risk[col("note")], "not assessed: assess the area first");
    assert_eq!(risk[col("item")], "");
    // every row has the header's width
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_html_page_has_a_roadmap_section_escaped() {
    let dir = tmp("roadmap-html");
    let file = answer_file(&dir);
    let o = report(&file, &["--format", "html", "--target", "RISK=1"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("<h3>Roadmap</h3>"));
    assert!(html.contains("<section class=\"roadmap\" data-area=\"EF\" data-target=\"2\">"));
    let row = html
        .lines()
        .find(|l| l.contains("data-question=\"EF-1.2\"") && l.contains("data-level=\"1\""))
        .expect("EF-1.2's row");
    assert!(
        row.contains("&lt;b&gt;draft&lt;/b&gt;, then board")
            && row.contains("=Ann")
            && row.contains("2026-06-30"),
        "{row}"
    );
    assert!(
        !html.contains("<b>draft"),
        "nothing from the file unescaped"
    );
    assert!(html.contains("<section class=\"roadmap\" data-area=\"RISK\" data-target=\"1\">"));
    assert!(html.contains("assess the area first"));
    // a target met is said so
    let o = report(&file, &["--format", "html", "--target", "EF=0"]);
    let html = String::from_utf8(o.stdout).unwrap();
    assert!(html.contains("Target met."), "EF at level 0 meets 0");
    let _ = std::fs::remove_dir_all(&dir);
}
