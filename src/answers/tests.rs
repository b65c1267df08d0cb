use super::*;
use crate::diag::short;
use crate::scoring::AnswerValue;

fn survey() -> Survey {
    serde_json::from_value(serde_json::json!({
        "model": "cert-ref", "model_version": "1",
        "scale": [{"value": 0}, {"value": 1}, {"value": 2}, {"value": 3}],
        "performed_at": 2, "not_applicable": true,
        "levels": [{"level": 0}, {"level": 1, "requires": ["GG1"]}, {"level": 2, "requires": ["GG1", "GG2"]}],
        "specific_goals": ["GG1"],
        "areas": [
            {"code": "EF", "objectives": [{"id": "EF-1", "practices": [{"id": "EF-1.1"}, {"id": "EF-1.2"}]}],
             "goals": [{"id": "GG2", "questions": [{"id": "EF:GG2.GP1"}]}]},
            {"code": "RISK", "objectives": [{"id": "RISK-1", "practices": [{"id": "RISK-1.1"}]}], "goals": []}
        ]
    }))
    .unwrap()
}

/// The problems of a file, one line each (`file:line:col: message | help`).
fn problems(text: &str) -> Vec<String> {
    match read(text, "a.json", &survey()) {
        Ok(r) => r.warnings.iter().map(short).collect(),
        Err(Invalid(d)) => d.iter().map(short).collect(),
    }
}

#[test]
fn reads_version_2_with_scope_targets_reasons_and_evidence() {
    let text = r#"{ "format": "refbook-survey", "version": 2, "model": "cert-ref", "model_version": "1",
  "respondent": {"organization": "Acme", "date": "2026-03-15"},
  "areas_in_scope": ["EF"], "targets": {"EF": 2, "RISK": 1.0},
  "answers": {
    "EF-1.1": {"value": 2, "note": "seen", "evidence": [{"href": "https://intranet/p.pdf", "description": "Policy"}, {"href": "DOC-7"}]},
    "EF-1.2": {"value": "na", "reason": "No such function."},
    "EF:GG2.GP1": {"value": 1}, "RISK-1.1": {"note": "later"} } }"#;
    let r = read(text, "a.json", &survey()).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let f = r.file;
    assert_eq!((f.version, f.model.as_str()), (2, "cert-ref"));
    assert_eq!(f.respondent.organization.as_deref(), Some("Acme"));
    assert_eq!(f.scope.areas_in_scope, Some(vec!["EF".to_string()]));
    assert_eq!(f.scope.targets.get("RISK"), Some(&1));
    assert_eq!(f.answers["EF-1.1"].value, Some(AnswerValue::Number(2.0)));
    assert_eq!(
        f.answers["EF-1.2"].reason.as_deref(),
        Some("No such function.")
    );
    assert_eq!(f.answers["RISK-1.1"].value, None);
    assert_eq!(f.evidence["EF-1.1"].len(), 2);
    assert_eq!(f.evidence["EF-1.1"][1].description, None);
}

#[test]
fn reads_version_1_as_the_survey_exports_it() {
    let text = "\u{feff}{\n  \"format\": \"refbook-survey\",\n  \"version\": 1,\n  \"model\": \"cert-ref\",\n  \"model_version\": \"1\",\n  \"answers\": {\n    \"EF-1.1\": {\n      \"value\": 3\n    },\n    \"EF-1.2\": {\n      \"note\": \"ask\"\n    }\n  },\n  \"respondent\": {}\n}\n";
    let r = read(text, "a.json", &survey()).unwrap();
    assert_eq!(r.file.version, 1);
    assert_eq!(r.file.scope, Scope::default());
    assert_eq!(r.file.answers.len(), 2);
}

#[test]
fn not_json_is_refused_at_its_position() {
    assert_eq!(
        problems(""),
        [
            "a.json:1:1: the file is empty | an answer file is a JSON object {\"format\": \"refbook-survey\", ...}"
        ]
    );
    let p = problems("{\"format\": \"refbook-survey\",\n \"answers\": {},}");
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0],
        "a.json:2:16: not JSON: key must be a string | JSON has no comma before a closing } or ]"
    );
    let p = problems("{\"a\": [1, 2,\n ]}");
    assert_eq!(
        p,
        ["a.json:2:2: not JSON: expected value | JSON has no comma before a closing } or ]"]
    );
    assert_eq!(
        problems("{\"a\": 1 \"b\"}"),
        ["a.json:1:9: not JSON: expected `,` or `}`"]
    );
    assert_eq!(
        problems("[1]"),
        [
            "a.json:1:1: an answer file is a JSON object, not a list | an answer file is a JSON object {\"format\": \"refbook-survey\", ...}"
        ]
    );
    let p = problems("{\"format\": \"refbook-survey\", \"format\": \"x\"}");
    assert_eq!(p, ["a.json:1:30: `format` is given twice"]);
}

#[test]
fn wrong_format_version_or_model_stop_the_file() {
    let p = problems(
        r#"{"format": "refbook-survy", "version": 3, "model": "n", "answers": {"zz": 1}}"#,
    );
    assert_eq!(
        p,
        [
            "a.json:1:12: this is not a refbook answer file: its format is \"refbook-survy\" | did you mean `refbook-survey`?",
            "a.json:1:40: version 3 of the answer file format is not one refbook reads | refbook reads versions 1 and 2",
            "a.json:1:52: the answers are for the model \"n\", and this book is the model `cert-ref` | score them against that model's book (--book DIR)",
        ]
    );
    let p = problems(
        r#"{"format": "refbook-survey", "version": 2, "model": "cert-rf", "answers": {}}"#,
    );
    assert_eq!(
        p,
        [
            "a.json:1:53: the answers are for the model \"cert-rf\", and this book is the model `cert-ref` | did you mean `cert-ref`?"
        ]
    );
    let p = problems(r#"{"answers": {}}"#);
    assert_eq!(p.len(), 3, "{p:?}");
    assert!(
        p.iter().all(|l| l.starts_with("a.json:1:1: missing field")),
        "{p:?}"
    );
}

#[test]
fn every_problem_of_the_answers_at_once() {
    let text = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref",
"answers": {
 "EF-1.11": {"value": 2},
 "EF-1.1": {"value": 7},
 "EF-1.2": {"value": "na"},
 "EF:GG2.GP1": {"value": "na", "reason": "not here"},
 "RISK-1.1": {"value": "2", "notes": "x"}
}}"#;
    assert_eq!(
        problems(text),
        [
            "a.json:3:2: no question `EF-1.11` in this model: the answer counts for nothing | did you mean `EF-1.1`?",
            "a.json:4:22: 7 is not on the scale | the answers are 0, 1, 2, 3, \"na\"",
            "a.json:5:22: \"na\" needs a reason: without one the question counts as unanswered | add \"reason\": \"why the practice does not apply\"",
            "a.json:6:26: `EF:GG2.GP1` is a generic practice of EF, which cannot be not applicable | an area in scope has a process to institutionalise: rate the practice on the scale, or leave the area out of `areas_in_scope`",
            "a.json:7:24: \"2\" is not an answer | write the number without quotes: 2",
            "a.json:7:29: unknown field `notes` in an answer | did you mean `note`?",
        ]
    );
}

#[test]
fn version_1_has_no_reasons_scope_or_targets() {
    let text = r#"{"format": "refbook-survey", "version": 1, "model": "cert-ref", "targets": {"EF": 2},
"answers": {"EF-1.2": {"value": "na", "reason": "x"}, "EF-1.1": {"value": "na"}}}"#;
    assert_eq!(
        problems(text),
        [
            "a.json:1:65: version 1 of the format has no `targets` | write \"version\": 2 to use `targets`",
            "a.json:2:39: version 1 of the format has no `reason` | write \"version\": 2 to use `reason`",
            "a.json:2:75: \"na\" needs a reason: without one the question counts as unanswered | version 1 holds no reasons: write \"version\": 2 and add \"reason\": \"why the practice does not apply\"",
        ]
    );
}

#[test]
fn scope_targets_respondent_and_evidence_are_checked() {
    let text = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref", "model_version": "0",
"respondent": {"organisation": "Acme", "date": 2026},
"areas_in_scope": ["EF", "RSK", "EF", 3],
"targets": {"Ef": 2, "RISK": 5},
"answers": {"EF-1.1": {"value": 2, "reason": "r", "evidence": [{"href": ""}, {"description": "d"}, "x", {"href": "a", "link": "b"}]}, "RISK-1.1": 2}}"#;
    assert_eq!(
        problems(text),
        [
            "a.json:1:82: the answers were given to version \"0\" of the model; this book is version \"1\" | questions the versions do not share count for nothing",
            "a.json:2:16: unknown field `organisation` in `respondent` | did you mean `organization`?",
            "a.json:2:48: `date` is text, not an integer",
            "a.json:3:26: no area `RSK` in this model | did you mean `RISK`?",
            "a.json:3:33: `EF` is listed twice",
            "a.json:3:39: an area code is text, not an integer",
            "a.json:4:13: no area `Ef` in this model | did you mean `EF`?",
            "a.json:4:30: the target 5 is not a capability level of this model | the levels are 0, 1, 2",
            "a.json:5:36: a reason is read only with \"value\": \"na\" | the reason counts for nothing here; say it in the note",
            "a.json:5:73: `href` is a link or a document reference, not \"\"",
            "a.json:5:78: a piece of evidence needs `href` | give the link or the document's reference as \"href\"",
            "a.json:5:100: a piece of evidence is an object {\"href\": ..., \"description\": ...}, not a string",
            "a.json:5:119: unknown field `link` in a piece of evidence | a piece of evidence has `href`, `description`",
            "a.json:5:147: an answer is an object such as {\"value\": 2}, not an integer | write {\"value\": 2}",
        ]
    );
}

#[test]
fn a_model_without_na_refuses_it() {
    let mut s = survey();
    s.not_applicable = false;
    let text = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref", "answers": {"EF-1.1": {"value": "na", "reason": "r"}}}"#;
    let Err(Invalid(d)) = read(text, "a.json", &s) else {
        panic!("na accepted")
    };
    let d: Vec<String> = d.iter().map(short).collect();
    assert_eq!(
        d,
        [
            "a.json:1:97: this model offers no not-applicable answer | answer on the scale: 0, 1, 2, 3"
        ]
    );
}

#[test]
fn a_plan_is_read_by_question_id() {
    let text = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref",
"plan": {"EF-1.1": {"owner": "Ann", "due": "2026-06-30", "note": "draft first"},
  "EF:GG2.GP1": {"owner": "", "due": null}},
"answers": {}}"#;
    let r = read(text, "a.json", &survey()).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let plan = &r.file.plan;
    assert_eq!(plan["EF-1.1"].owner.as_deref(), Some("Ann"));
    assert_eq!(plan["EF-1.1"].due.as_deref(), Some("2026-06-30"));
    assert_eq!(plan["EF-1.1"].note.as_deref(), Some("draft first"));
    assert_eq!(plan["EF:GG2.GP1"], PlanEntry::default());
}

#[test]
fn a_plan_is_checked() {
    let text = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref",
"plan": {"EF-1.3": {"owner": "Ann"}, "EF-1.1": {"due": "2026-02-30", "owner": 3, "who": "x"},
  "EF-1.2": "Bo"},
"answers": {}}"#;
    assert_eq!(
        problems(text),
        [
            "a.json:2:10: no question `EF-1.3` in this model: the plan entry counts for nothing | did you mean `EF-1.1`?",
            "a.json:2:56: the due date \"2026-02-30\" is not a date YYYY-MM-DD | write it as 2026-06-30",
            "a.json:2:79: `owner` is text, not an integer",
            "a.json:2:82: unknown field `who` in a plan entry | a plan entry has `owner`, `due`, `note`",
            "a.json:3:13: a plan entry is an object of owner, due and note, not a string",
        ]
    );
    let v1 = r#"{"format": "refbook-survey", "version": 1, "model": "cert-ref", "plan": {}, "answers": {}}"#;
    assert_eq!(
        problems(v1),
        ["a.json:1:65: version 1 of the format has no `plan` | write \"version\": 2 to use `plan`"]
    );
    let not_object = r#"{"format": "refbook-survey", "version": 2, "model": "cert-ref", "plan": [], "answers": {}}"#;
    assert!(problems(not_object)[0].starts_with("a.json:1:73: `plan` is an object"));
}
