//! `refbook report`: answer files scored against a book, as JSON, CSV and
//! HTML; bad files get every diagnostic with file:line:col; and the numbers
//! are those of the golden vectors (tests/scoring/golden.json) that hold
//! scoring.js, so the command line and the browser agree.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Output;

fn fixture(name: &str) -> String {
    Path::new(ROOT)
        .join("tests/fixtures/answers")
        .join(name)
        .display()
        .to_string()
}

/// An area of an assessment, by code.
fn area<'a>(assessment: &'a Value, code: &str) -> &'a Value {
    assessment["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == code)
        .unwrap_or_else(|| panic!("no area {code}"))
}

/// The fields the format page names, of one area.
fn named(a: &Value) -> Value {
    json!([
        a["status"],
        a["level"],
        a["target"],
        a["performed"],
        a["applicable"]
    ])
}

#[test]
fn a_version_1_file_as_the_survey_exports_it() {
    let r = json_of(&report(&[&fixture("v1.json")]));
    assert_eq!(
        (
            &r["format"],
            &r["version"],
            &r["model"],
            &r["model_version"]
        ),
        (
            &json!("refbook-report"),
            &json!(1),
            &json!("cert-ref"),
            &json!("2007")
        )
    );
    let a = &r["assessments"][0];
    assert_eq!(r["assessments"].as_array().unwrap().len(), 1);
    assert_eq!(a["file"], fixture("v1.json"));
    assert_eq!(a["answers_version"], 1);
    assert_eq!(
        a["respondent"],
        json!({"organization": "Acme", "assessor": "J. Doe", "date": "2026-03-15"})
    );
    assert_eq!(a["areas_in_scope"], Value::Null);
    assert_eq!(a["areas"].as_array().unwrap().len(), 24);
    // Every EF practice at 3, every GG2 practice at 2, GG3 unanswered.
    assert_eq!(named(area(a, "EF")), json!(["assessed", 2, null, 13, 13]));
    assert_eq!(area(a, "EF")["level_name"], "Managed");
    // One practice answered 0, one with a note alone: level 0, which answers show.
    assert_eq!(named(area(a, "RISK")), json!(["assessed", 0, null, 0, 13]));
    assert_eq!(area(a, "RISK")["answered"], 1);
    // Nothing answered: not assessed, never level 0.
    assert_eq!(
        named(area(a, "COMM")),
        json!(["not-assessed", null, null, 0, 11])
    );
    assert_eq!(
        named(area(a, "SOM")),
        json!(["not-assessable", null, null, 0, 0])
    );
    assert_eq!(a["not_applicable"], json!([]));
}

#[test]
fn a_version_2_file_with_scope_targets_reasons_and_evidence() {
    let r = json_of(&report(&[&fixture("v2.json")]));
    let a = &r["assessments"][0];
    assert_eq!(a["answers_version"], 2);
    assert_eq!(a["areas_in_scope"], json!(["EF", "RISK", "SOM"]));
    assert_eq!(a["respondent"]["scope"], "Critical service: billing");
    // EF-1.2 is not applicable, every other question at 3: the top level, its target.
    assert_eq!(named(area(a, "EF")), json!(["assessed", 3, 3, 12, 12]));
    assert_eq!(area(a, "EF")["na"], 1);
    // Every RISK practice N/A: not applicable, no level, its target kept.
    assert_eq!(
        named(area(a, "RISK")),
        json!(["not-applicable", null, 1, 0, 0])
    );
    assert_eq!(
        named(area(a, "SOM")),
        json!(["not-assessable", null, null, 0, 0])
    );
    // Answered, but outside the scope.
    assert_eq!(
        named(area(a, "COMM")),
        json!(["out-of-scope", null, null, 1, 11])
    );
    assert_eq!(area(a, "ADM")["status"], "out-of-scope");
    let na = a["not_applicable"].as_array().unwrap();
    assert_eq!(na.len(), 14);
    assert_eq!(
        na[0],
        json!({"id": "EF-1.2", "reason": "No such function in this unit.", "area": "EF",
               "title": na[0]["title"]})
    );
    assert!(!na[0]["title"].as_str().unwrap().is_empty());
    assert!(na[1..].iter().all(|n| n["area"] == "RISK"
        && n["reason"] == "Risk is managed by the parent company."));
    assert_eq!(
        a["evidence"],
        json!([
            {"id": "EF-1.1", "area": "EF", "href": "https://intranet.example/policy.pdf", "description": "Policy"},
            {"id": "EF-1.1", "area": "EF", "href": "DOC-42", "description": null}
        ])
    );
}

#[test]
fn a_folder_is_read_for_its_json_files_in_name_order() {
    let dir = tmp("report-folder");
    for name in ["v2.json", "v1.json"] {
        std::fs::copy(fixture(name), dir.join(name)).unwrap();
    }
    std::fs::write(dir.join("notes.txt"), "not an answer file").unwrap();
    std::fs::create_dir(dir.join("sub.json")).unwrap();
    let folder = dir.display().to_string();
    // v1.json twice is one respondent twice (none at all): refused, naming both.
    let o = report(&[&folder, &fixture("v1.json")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("a second answer file of one respondent"),
        "{}",
        stderr(&o)
    );
    let r = json_of(&report(&[&folder]));
    let files: Vec<&str> = r["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    let inside = |n: &str| dir.join(n).display().to_string();
    assert_eq!(files, [inside("v1.json"), inside("v2.json")]);
    // An empty folder is an error, not an empty report.
    let empty = tmp("report-empty");
    let o = report(&[empty.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("no answer files (*.json, *.csv) in this folder"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

#[test]
fn csv_has_a_row_per_area_and_no_formula() {
    let o = report(&[&fixture("v1.json"), &fixture("v2.json"), "--format", "csv"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = csv_rows(&stdout(&o));
    assert_eq!(
        rows[0],
        [
            "file",
            "organization",
            "scope",
            "assessor",
            "date",
            "area",
            "name",
            "status",
            "level",
            "target",
            "performed",
            "applicable",
            "not_applicable",
            "question",
            "title",
            "value",
            "note",
            "disputed"
        ]
    );
    // 13 columns, then the question rows' 5; an area row leaves those empty.
    assert_eq!(
        rows[0][13..],
        ["question", "title", "value", "note", "disputed"]
    );
    let areas: Vec<&Vec<String>> = rows[1..].iter().filter(|r| r[13].is_empty()).collect();
    assert_eq!(areas.len(), 2 * 24);
    let row = |file: &str, code: &str| {
        rows.iter()
            .find(|r| r[0] == fixture(file) && r[5] == code && r[13].is_empty())
            .unwrap_or_else(|| panic!("{file} {code}"))
            .clone()
    };
    let ef = row("v2.json", "EF");
    assert_eq!(ef[1], "Acme, \"Ops\" & Co");
    // The assessor `=HYPERLINK(...)` opens as text.
    assert_eq!(ef[3], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(
        &ef[6..12],
        ["Enterprise Focus", "assessed", "3", "3", "12", "12"]
    );
    assert_eq!(ef[12], "EF-1.2: No such function in this unit.");
    let risk = row("v2.json", "RISK");
    assert_eq!(&risk[7..12], ["not-applicable", "", "1", "0", "0"]);
    assert_eq!(risk[12].lines().count(), 13);
    assert_eq!(
        &row("v1.json", "COMM")[7..12],
        ["not-assessed", "", "", "0", "11"]
    );
    // No cell of text starts like a formula.
    for r in &rows {
        for c in r {
            assert!(!c.starts_with(['=', '+', '@', '\t', '\r']), "{c:?}");
        }
    }
}

#[test]
fn html_is_one_self_contained_escaped_page() {
    let dir = tmp("report-html");
    let out = dir.join("report.html");
    let o = report(&[
        &fixture("v2.json"),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "with -o nothing goes to standard output"
    );
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    // One style element, allowed by its hash: no 'unsafe-inline'.
    assert!(html.contains("content=\"default-src 'none'; style-src 'sha256-"));
    assert!(!html.contains("unsafe-inline"));
    for never in ["<script", " src=", "<link", "@import", "url("] {
        assert!(!html.contains(never), "{never}");
    }
    assert!(html.contains("<dd>Acme, &quot;Ops&quot; &amp; Co</dd>"));
    assert!(html.contains("=HYPERLINK(&quot;http://evil.example&quot;)"));
    // The page hooks of the format page: data-status, and data-level empty unless assessed.
    assert!(html.contains("<tr data-area=\"EF\" data-status=\"assessed\" data-level=\"3\">"));
    assert!(
        html.contains("<tr data-area=\"RISK\" data-status=\"not-applicable\" data-level=\"\">")
    );
    assert!(html.contains("<tr data-area=\"COMM\" data-status=\"out-of-scope\" data-level=\"\">"));
    assert!(html.contains("No such function in this unit."));
    // Web links are links; a document reference is text.
    assert!(html.contains("<a href=\"https://intranet.example/policy.pdf\" rel=\"noreferrer\">"));
    assert!(html.contains("<td>DOC-42</td>"));
}

/// Each diagnostic of stderr as `location: message` (the rustc-style report
/// names the message on one line and the location on the next).
fn diagnostics(o: &Output) -> Vec<String> {
    let err = stderr(o);
    let mut out = Vec::new();
    let mut lines = err.lines().peekable();
    while let Some(l) = lines.next() {
        let Some((kind, message)) = l.split_once(": ") else {
            continue;
        };
        if !matches!(kind, "error" | "warning") {
            continue;
        }
        let loc = lines
            .peek()
            .and_then(|n| n.trim_start().strip_prefix("--> "));
        if let Some(loc) = loc {
            out.push(format!("{loc}: {kind}: {message}"));
        }
    }
    out
}

/// Files with problems of every kind: every problem of every file is told at
/// once, at its place, and nothing is written.
#[test]
fn broken_files_get_every_diagnostic_with_its_position() {
    let dir = tmp("report-broken");
    let files: [(&str, &str); 5] = [
        (
            "a-syntax.json",
            "{\n  \"format\": \"refbook-survey\",\n  \"answers\": {},\n}\n",
        ),
        (
            "b-head.json",
            "{\"format\": \"refbook-survy\",\n \"version\": 3,\n \"model\": \"cert-rf\", \"answers\": {}}\n",
        ),
        (
            "c-answers.json",
            r#"{
  "format": "refbook-survey", "version": 2, "model": "cert-ref",
  "areas_in_scope": ["EF", "RIKS"],
  "targets": {"EF": 4},
  "answers": {
    "EF-1.1": {"value": 4},
    "EF-1.2": {"value": "na"},
    "EF-1.3": {"value": "na", "reason": "  "},
    "EF:GG2.GP1": {"value": "na", "reason": "Governance is elsewhere."},
    "EF-2.1": {"value": "3", "notes": "x"},
    "EF-2.2": 2,
    "EF-9.9": {"value": 2}
  }
}
"#,
        ),
        (
            "d-version1.json",
            "{\"format\": \"refbook-survey\", \"version\": 1, \"model\": \"cert-ref\",\n \"areas_in_scope\": [\"EF\"],\n \"answers\": {\"EF-1.2\": {\"value\": \"na\", \"reason\": \"r\"}}}\n",
        ),
        ("e-empty.json", ""),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let o = report(&[dir.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(o.stdout.is_empty(), "no report is written");
    let at = |name: &str| dir.join(name).display().to_string();
    let want = [
        format!(
            "{}:4:1: error: not JSON: key must be a string",
            at("a-syntax.json")
        ),
        format!(
            "{}:1:12: error: this is not a refbook answer file: its format is \"refbook-survy\"",
            at("b-head.json")
        ),
        format!(
            "{}:2:13: error: version 3 of the answer file format is not one refbook reads",
            at("b-head.json")
        ),
        format!(
            "{}:3:11: error: the answers are for the model \"cert-rf\", and this book is the model `cert-ref`",
            at("b-head.json")
        ),
        format!(
            "{}:3:28: error: no area `RIKS` in this model",
            at("c-answers.json")
        ),
        format!(
            "{}:4:21: error: the target 4 is not a capability level of this model",
            at("c-answers.json")
        ),
        format!(
            "{}:6:25: error: 4 is not on the scale",
            at("c-answers.json")
        ),
        format!(
            "{}:7:25: error: \"na\" needs a reason: without one the question counts as unanswered",
            at("c-answers.json")
        ),
        format!(
            "{}:8:25: error: \"na\" needs a reason: without one the question counts as unanswered",
            at("c-answers.json")
        ),
        format!(
            "{}:9:29: error: `EF:GG2.GP1` is a generic practice of EF, which cannot be not applicable",
            at("c-answers.json")
        ),
        format!(
            "{}:10:25: error: \"3\" is not an answer",
            at("c-answers.json")
        ),
        format!(
            "{}:10:30: error: unknown field `notes` in an answer",
            at("c-answers.json")
        ),
        format!(
            "{}:11:15: error: an answer is an object such as {{\"value\": 2}}, not an integer",
            at("c-answers.json")
        ),
        format!(
            "{}:12:5: warning: no question `EF-9.9` in this model: the answer counts for nothing",
            at("c-answers.json")
        ),
        format!(
            "{}:2:2: error: version 1 of the format has no `areas_in_scope`",
            at("d-version1.json")
        ),
        format!(
            "{}:3:40: error: version 1 of the format has no `reason`",
            at("d-version1.json")
        ),
        format!("{}:1:1: error: the file is empty", at("e-empty.json")),
    ];
    let got = diagnostics(&o);
    let missing: Vec<&String> = want.iter().filter(|w| !got.contains(w)).collect();
    assert!(missing.is_empty(), "missing:\n{missing:#?}\ngot:\n{got:#?}");
    assert_eq!(got.len(), want.len(), "{got:#?}");
    let err = stderr(&o);
    // Suggestions where likely.
    for help in [
        "help: did you mean `refbook-survey`?",
        "help: did you mean `cert-ref`?",
        "help: did you mean `RISK`?",
        "help: the levels are 0, 1, 2, 3",
        "help: the answers are 0, 1, 2, 3, \"na\"",
        "help: write the number without quotes: 3",
        "help: did you mean `note`?",
        "help: write {\"value\": 2}",
        "help: write \"version\": 2 to use `areas_in_scope`",
        "help: JSON has no comma before a closing } or ]",
    ] {
        assert!(err.contains(help), "{help}\n{err}");
    }
    assert!(
        err.contains("report failed: 16 errors, 1 warning in the answer files; no report written"),
        "{err}"
    );
}

#[test]
fn warnings_alone_do_not_stop_the_report() {
    let dir = tmp("report-warnings");
    let file = dir.join("a.json");
    std::fs::write(
        &file,
        r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref", "model_version": "2006",
"answers": {"EF-1.1": {"value": 3}, "EF-1.11": {"value": 2}, "EF-1.2": {"value": 2, "reason": "why"}}}"#,
    )
    .unwrap();
    let o = report(&[file.to_str().unwrap()]);
    let r = json_of(&o);
    assert_eq!(area(&r["assessments"][0], "EF")["answered"], 2);
    let f = file.display().to_string();
    assert_eq!(
        diagnostics(&o),
        [
            format!(
                "{f}:1:82: warning: the answers were given to version \"2006\" of the model; this book is version \"2007\""
            ),
            format!(
                "{f}:2:37: warning: no question `EF-1.11` in this model: the answer counts for nothing"
            ),
            format!("{f}:2:85: warning: a reason is read only with \"value\": \"na\""),
        ]
    );
}

#[test]
fn usage_errors_exit_2_and_a_bad_book_exits_1() {
    for args in [
        vec!["report"],
        vec!["report", "a.json", "--format", "pdf"],
        vec!["report", "a.json", "--consensus", "min"],
    ] {
        let o = refbook(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
    }
    let help = stdout(&refbook(&["report", "--help"]));
    assert!(
        help.contains("--format <FORMAT>")
            && help.contains("[possible values: json, csv, html, oscal]"),
        "{help}"
    );
    let nobook = tmp("report-nobook");
    let o = refbook(&[
        "report",
        "--book",
        nobook.to_str().unwrap(),
        &fixture("v1.json"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("book.toml"), "{}", stderr(&o));
    let o = report(&["does-not-exist.json"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does-not-exist.json"), "{}", stderr(&o));
}

#[path = "report_golden.rs"]
mod golden;
