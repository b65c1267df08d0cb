//! model.json keeps the promise of model.schema.json: every book in the
//! repository is validated against the schema the site ships.

mod common;
use common::*;
use std::path::Path;

fn validator() -> jsonschema::Validator {
    let schema: serde_json::Value = serde_json::from_str(refbook::MODEL_SCHEMA).unwrap();
    jsonschema::draft202012::new(&schema).expect("model.schema.json is a valid schema")
}

fn model_json(book: &Path, name: &str) -> serde_json::Value {
    let out = tmp(name).join("site");
    let r = refbook(&["build", book.to_str().unwrap(), "-d", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    // The schema the site ships is the one in the source.
    assert_eq!(
        std::fs::read_to_string(out.join("model.schema.json")).unwrap(),
        refbook::MODEL_SCHEMA
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
