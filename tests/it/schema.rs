//! model.json keeps the promise of model.schema.json: every book in the
//! repository is validated against the schema the site ships.

use crate::common::*;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(refbook::MODEL_SCHEMA).unwrap();
    jsonschema::draft202012::new(&schema).expect("model.schema.json is a valid schema")
}

fn model_json(book: &Path, name: &str) -> serde_json::Value {
    let out = tmp(name).join("site");
    let r = refbook(&["build", book.to_str().unwrap(), "-d", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // The schemas the site ships are the ones in the source.
    assert_eq!(
        std::fs::read_to_string(out.join("model.schema.json")).unwrap(),
        refbook::MODEL_SCHEMA
    );
    assert_eq!(
        std::fs::read_to_string(out.join("answers.schema.json")).unwrap(),
        refbook::ANSWERS_SCHEMA
    );
    serde_json::from_str(&std::fs::read_to_string(out.join("model.json")).unwrap()).unwrap()
}

fn problems(v: &jsonschema::Validator, json: &serde_json::Value) -> Vec<String> {
    v.iter_errors(json)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn every_book_s_model_json_matches_the_schema() {
    let v = validator();
    for (book, name) in [
        (Path::new(ROOT).to_path_buf(), "schema-shipped"),
        (Path::new(ROOT).join("examples/rmm-opf"), "schema-opf"),
        (Path::new(ROOT).join("tests/fixtures/full"), "schema-full"),
        // With `replaces` on an area, an objective and practices.
        (
            Path::new(ROOT).join("tests/fixtures/versions/v2"),
            "schema-versions",
        ),
        (starter(&tmp("schema-starter")), "schema-starter-site"),
    ] {
        let json = model_json(&book, name);
        let p = problems(&v, &json);
        assert!(p.is_empty(), "{}:\n{}", book.display(), p.join("\n"));
    }
}

#[test]
fn the_schema_rejects_what_model_json_must_not_be() {
    let v = validator();
    let good = model_json(&Path::new(ROOT).join("tests/fixtures/full"), "schema-neg");
    type Mutation = fn(&mut serde_json::Value);
    let mutations: [(&str, Mutation); 4] = [
        ("format", |j| j["format"] = "other".into()),
        ("areas", |j| j["areas"] = serde_json::json!({})),
        ("unknown field", |j| j["areas"][0]["bogus"] = 1.into()),
        ("missing id", |j| {
            j["areas"][0].as_object_mut().unwrap().remove("code");
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !problems(&v, &bad).is_empty(),
            "the schema let `{what}` through"
        );
    }
}

fn answers_validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(refbook::ANSWERS_SCHEMA).unwrap();
    jsonschema::draft202012::new(&schema).expect("answers.schema.json is a valid schema")
}

/// The answer file of the format page (version 2), as it is written there.
fn format_page_example() -> serde_json::Value {
    serde_json::json!({ "format": "refbook-survey", "version": 2,
      "model": "cert-ref", "model_version": "2007",
      "respondent": { "organization": "...", "scope": "Critical service: billing",
                      "assessor": "...", "date": "2026-03-15" },
      "areas_in_scope": ["EF", "RISK"],
      "targets": { "EF": 2, "RISK": 3 },
      "plan": { "EF-1.1": { "owner": "Ann", "due": "2026-06-30", "note": "..." } },
      "answers": {
        "EF-1.1": { "value": 2, "note": "...",
                    "evidence": [ { "href": "https://intranet/policy.pdf", "description": "Policy" } ] },
        "EF-1.2": { "value": "na", "reason": "No such function in this unit." },
        "EF:GG2.GP1": { "value": 1 } } })
}

/// Answer files of both versions pass the schema: the format page's
/// example, and the files `refbook report` reads in its tests (a version 1
/// file as the survey exports it today, and a version 2 file).
#[test]
fn answer_files_of_both_versions_match_the_schema() {
    let v = answers_validator();
    let dir = Path::new(ROOT).join("tests/fixtures/answers");
    let mut files = vec![("format page".to_string(), format_page_example())];
    for name in ["v1.json", "v2.json"] {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        files.push((name.to_string(), serde_json::from_str(&text).unwrap()));
    }
    assert_eq!(files[1].1["version"], 1);
    for (name, json) in &files {
        let p = problems(&v, json);
        assert!(p.is_empty(), "{name}:\n{}", p.join("\n"));
    }
}

#[test]
fn the_answers_schema_rejects_what_an_answer_file_must_not_be() {
    let v = answers_validator();
    let good = format_page_example();
    type Mutation = fn(&mut serde_json::Value);
    let mutations: [(&str, Mutation); 17] = [
        ("format", |j| j["format"] = "refbook-model".into()),
        ("version 3", |j| j["version"] = 3.into()),
        ("missing model", |j| {
            j.as_object_mut().unwrap().remove("model");
        }),
        ("unknown field", |j| j["scope"] = "EF".into()),
        ("targets in version 1", |j| {
            j["version"] = 1.into();
            let o = j.as_object_mut().unwrap();
            o.remove("areas_in_scope");
            o.remove("plan");
        }),
        // Nothing else of version 2 left: the plan alone must fail it.
        ("a plan in version 1", |j| {
            j["version"] = 1.into();
            let o = j.as_object_mut().unwrap();
            o.remove("areas_in_scope");
            o.remove("targets");
            o["answers"] = serde_json::json!({"EF-1.1": {"value": 2}});
        }),
        ("a due date that is not YYYY-MM-DD", |j| {
            j["plan"]["EF-1.1"]["due"] = "30/06/2026".into()
        }),
        ("unknown field in a plan entry", |j| {
            j["plan"]["EF-1.1"]["who"] = "x".into()
        }),
        ("a reason in version 1", |j| {
            j["version"] = 1.into();
            let o = j.as_object_mut().unwrap();
            o.remove("areas_in_scope");
            o.remove("targets");
            o.remove("plan");
            o["answers"]["EF-1.1"]
                .as_object_mut()
                .unwrap()
                .remove("evidence");
        }),
        ("na without a reason", |j| {
            j["answers"]["EF-1.2"]
                .as_object_mut()
                .unwrap()
                .remove("reason");
        }),
        ("na with a blank reason", |j| {
            j["answers"]["EF-1.2"]["reason"] = " \t".into()
        }),
        ("a value in quotes", |j| {
            j["answers"]["EF-1.1"]["value"] = "2".into()
        }),
        ("a bare value", |j| j["answers"]["EF-1.1"] = 2.into()),
        ("unknown field in an answer", |j| {
            j["answers"]["EF-1.1"]["notes"] = "x".into()
        }),
        ("evidence without href", |j| {
            j["answers"]["EF-1.1"]["evidence"][0]
                .as_object_mut()
                .unwrap()
                .remove("href");
        }),
        ("a target that is not a whole number", |j| {
            j["targets"]["EF"] = 2.5.into()
        }),
        ("an area listed twice", |j| {
            j["areas_in_scope"] = serde_json::json!(["EF", "EF"])
        }),
    ];
    for (what, mutate) in mutations {
        let mut bad = good.clone();
        mutate(&mut bad);
        assert!(
            !problems(&v, &bad).is_empty(),
            "the answers schema let `{what}` through"
        );
    }
}
