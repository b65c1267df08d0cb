//! An area the model sets aside (`assessable: false`): not asked on any
//! page, its reason carried to the survey data, and answers to it counting
//! for nothing in `refbook report` as in the browser (the golden vectors pin
//! the rule; these tests pin what the build and the report make of it).

use crate::common::book::BookTest;
use crate::common::{json_of, refbook};
use serde_json::Value;

const GAMMA: &str = "content/areas/gamma.md";

fn set_aside(name: &str) -> BookTest {
    BookTest::copy_of(name, "tests/fixtures/full").edit(
        GAMMA,
        "status: Under review; no more objectives yet.",
        "status: Under review; no more objectives yet.\nassessable: false",
    )
}

fn survey_data(site: &std::path::Path) -> Value {
    let js = std::fs::read_to_string(site.join("assets/survey-data.js")).unwrap();
    let start = js.find(".survey=").unwrap() + ".survey=".len();
    let end = js.rfind('}').unwrap();
    serde_json::from_str(&js[start..=end]).unwrap()
}

fn area<'a>(data: &'a Value, code: &str) -> &'a Value {
    data["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .unwrap_or_else(|| panic!("no area {code}"))
}

#[test]
fn a_set_aside_area_is_not_asked_and_says_why() {
    let book = set_aside("assessable-not-asked");
    let built = book.build();
    built
        .has(
            "survey/index.html",
            &["data-status=\"not-assessable\"", "the model sets this"],
        )
        .lacks("survey/index.html", &["data-question=\"GAMMA-1.1\""])
        .lacks("survey/index.html", &["data-question=\"GAMMA:GG2"])
        .has(
            "areas/gamma/index.html",
            &["Under review; no more objectives yet."],
        )
        .lacks("areas/gamma/index.html", &["data-question=\"GAMMA-1.1\""])
        // The element pages are still there: only the survey leaves it out.
        .has("areas/gamma/gamma-1-1/index.html", &["Gamma practice."]);
    let data = survey_data(&built.site);
    let gamma = area(&data, "GAMMA");
    assert_eq!(gamma["assessable"], false);
    assert_eq!(gamma["reason"], "Under review; no more objectives yet.");
    assert_eq!(gamma["goals"], serde_json::json!([]));
    assert!(
        gamma["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["practices"] == serde_json::json!([]))
    );
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(built.site.join("model.json")).unwrap())
            .unwrap();
    let in_model = model["areas"].as_array().unwrap().iter();
    let flags: Vec<_> = in_model
        .map(|a| (a["code"].clone(), a.get("assessable").cloned()))
        .collect();
    assert!(
        flags.contains(&(Value::from("GAMMA"), Some(Value::Bool(false)))),
        "{flags:?}"
    );
    assert!(flags.contains(&(Value::from("ALPHA"), None)), "{flags:?}");
    // An area that is asked carries neither field.
    let alpha = area(&data, "ALPHA");
    assert!(alpha.get("assessable").is_none() && alpha.get("reason").is_none());
}

#[test]
fn the_same_book_without_the_field_asks_the_area() {
    let book = BookTest::copy_of("assessable-default", "tests/fixtures/full");
    let built = book.build();
    built.has("survey/index.html", &["data-question=\"GAMMA-1.1\""]);
    assert!(
        area(&survey_data(&built.site), "GAMMA")
            .get("assessable")
            .is_none()
    );
}

#[test]
fn answers_to_a_set_aside_area_count_for_nothing_in_the_report() {
    let book = set_aside("assessable-report");
    let file = book.root.join("answers.json");
    let answers = serde_json::json!({
        "format": "refbook-survey", "version": 2, "model": "full-fixture",
        "answers": {"GAMMA-1.1": {"value": 3}, "ALPHA-1.1": {"value": 3}}
    });
    std::fs::write(&file, answers.to_string()).unwrap();
    let o = refbook(&[
        "report",
        "--book",
        book.root.to_str().unwrap(),
        file.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let r = json_of(&o);
    let areas = r["assessments"][0]["areas"].as_array().unwrap();
    let gamma = areas.iter().find(|a| a["id"] == "GAMMA").unwrap();
    assert_eq!(gamma["status"], "not-assessable", "{gamma}");
    assert_eq!(gamma["level"], Value::Null);
    assert_eq!(gamma["applicable"], 0, "{gamma}");
}

#[test]
fn set_aside_without_a_reason_or_with_a_bad_value_is_an_error_at_its_place() {
    let e = BookTest::copy_of("assessable-no-reason", "tests/fixtures/full")
        .edit(
            GAMMA,
            "status: Under review; no more objectives yet.\n",
            "assessable: false\n",
        )
        .build_fails();
    assert!(
        e.contains("gamma.md:5:") && e.contains("needs a `status`"),
        "{e}"
    );
    let e = set_aside("assessable-bad-value")
        .edit(GAMMA, "assessable: false", "assessable: maybe")
        .build_fails();
    assert!(e.contains("gamma.md:6:"), "{e}");
}
