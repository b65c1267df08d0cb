//! Versions of a model: `refbook diff` over two fixture versions with every
//! kind of change (tests/fixtures/versions/v1 and v2: a practice renamed
//! with a new title, an area renamed with its objective and practice, a
//! statement changed, an objective removed, a practice added), the page of
//! changes and the redirect pages of v2's site, and `refbook report` over
//! answers given to v1's ids.

use crate::common::*;
use serde_json::{Value, json};
use std::path::Path;

fn v(name: &str) -> String {
    format!("{ROOT}/tests/fixtures/versions/{name}")
}

const TEXT: &str = r#"old: My Capability Model 1.0 (my-model)
new: My Capability Model 2.0 (my-model)

added (1):
  + practice EF-1.5  Review the Strategic Drivers

removed (2):
  - objective EF-2  Plan Strategically
  - practice EF-2.1  Write the Strategic Plan

renamed (4):
  > practice EF-1.1 -> EF-1.4  Set Strategic Objectives
      title: "Establish Strategic Objectives" -> "Set Strategic Objectives"
  > area OLD -> GOV  Governance
      name: "Old Governance" -> "Governance"
  > objective OLD-1 -> GOV-1  Govern
  > practice OLD-1.1 -> GOV-1.1  Set Up a Board

changed (1):
  ~ practice EF-1.2  Establish Critical Success Factors
      statement: "Critical success factors are identified from the objectives." -> "Critical success factors are identified from [[EF-1.4]]."

1 added, 2 removed, 4 renamed, 1 changed
"#;

#[test]
fn diff_as_text_lists_every_kind_of_change() {
    let out = refbook(&["diff", &v("v1"), &v("v2")]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), TEXT);
}

#[test]
fn diff_as_json_has_the_same_changes_with_addresses() {
    let d = json_of(&refbook(&["diff", &v("v1"), &v("v2"), "--format", "json"]));
    assert_eq!(d["format"], "refbook-diff");
    assert_eq!(d["version"], 1);
    assert_eq!(
        d["old"],
        json!({"id": "my-model", "title": "My Capability Model", "version": "1.0"})
    );
    assert_eq!(d["new"]["version"], "2.0");
    let ids = |k: &str, f: &str| -> Vec<Value> {
        d[k].as_array()
            .unwrap()
            .iter()
            .map(|e| e[f].clone())
            .collect()
    };
    assert_eq!(ids("added", "id"), [json!("EF-1.5")]);
    assert_eq!(ids("removed", "id"), [json!("EF-2"), json!("EF-2.1")]);
    assert_eq!(
        ids("renamed", "from"),
        [
            json!("EF-1.1"),
            json!("OLD"),
            json!("OLD-1"),
            json!("OLD-1.1")
        ]
    );
    assert_eq!(
        ids("renamed", "to"),
        [
            json!("EF-1.4"),
            json!("GOV"),
            json!("GOV-1"),
            json!("GOV-1.1")
        ]
    );
    assert_eq!(d["renamed"][0]["url"], "areas/ef/ef-1-4/index.html");
    assert_eq!(
        d["renamed"][0]["changes"],
        json!([{"field": "title", "old": "Establish Strategic Objectives", "new": "Set Strategic Objectives"}])
    );
    // A parent renamed with its child is no change of the child's.
    assert_eq!(d["renamed"][3]["changes"], json!([]));
    assert_eq!(
        d["changed"],
        json!([{"id": "EF-1.2", "kind": "practice", "title": "Establish Critical Success Factors",
            "url": "areas/ef/ef-1-2/index.html",
            "changes": [{"field": "statement",
                "old": "Critical success factors are identified from the objectives.",
                "new": "Critical success factors are identified from [[EF-1.4]]."}]}])
    );
}

#[test]
fn a_model_json_and_its_book_compare_alike() {
    // v2/previous/model.json is what building v1 wrote: the same diff as v1's folder.
    let json = v("v2/previous/model.json");
    let from_file = refbook(&["diff", &json, &v("v2")]);
    assert_eq!(stdout(&from_file), TEXT, "{}", stderr(&from_file));
    let same = refbook(&["diff", &json, &v("v1")]);
    assert_eq!(stdout(&same).lines().nth(2), Some("no differences"));
}

#[test]
fn diff_of_what_cannot_be_read_fails_with_where() {
    let dir = tmp("diff-bad");
    let bad = dir.join("model.json");
    std::fs::write(&bad, "{\n  \"format\": \"refbook-model\",\n  oops\n}").unwrap();
    let out = refbook(&["diff", bad.to_str().unwrap(), &v("v2")]);
    assert_eq!(out.status.code(), Some(1));
    let e = stderr(&out);
    assert!(e.contains("model.json:3:3"), "{e}");
    assert!(e.contains("is not JSON"), "{e}");
    let other = dir.join("other.json");
    std::fs::write(&other, "{\"format\": \"refbook-survey\"}").unwrap();
    let e = stderr(&refbook(&["diff", other.to_str().unwrap(), &v("v2")]));
    assert!(e.contains("not a refbook model.json"), "{e}");
    let missing = refbook(&["diff", &v("nowhere.json"), &v("v2")]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("cannot read"),
        "{}",
        stderr(&missing)
    );
    assert_eq!(refbook(&["diff", &v("v1")]).status.code(), Some(2));
}

fn built_v2(name: &str) -> std::path::PathBuf {
    let site = tmp(name).join("site");
    let out = refbook(&["build", &v("v2"), "-d", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    site
}

fn read(site: &Path, rel: &str) -> String {
    std::fs::read_to_string(site.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn the_site_has_a_page_of_changes_linked_from_home_and_the_sidebar() {
    let site = built_v2("versions-changes");
    let page = read(&site, "changes/index.html");
    let main = main_of(&page);
    for want in [
        "<h1>Changes in this version</h1>",
        "<span class=\"id\">EF-1.1</span> is now <a href=\"../areas/ef/ef-1-4/index.html\"><span class=\"id\">EF-1.4</span> Set Strategic Objectives</a>",
        "<span class=\"id\">OLD</span> is now <a href=\"../areas/gov/index.html\">",
        "<a href=\"../areas/ef/ef-1-5/index.html\"><span class=\"id\">EF-1.5</span> Review the Strategic Drivers</a>",
        "<dt>statement</dt>",
        "identified from [[EF-1.4]].</ins>",
        "<span class=\"id\">EF-2.1</span> Write the Strategic Plan</li>",
        "1 added, 2 removed, 4 renamed, 1 changed.",
    ] {
        assert!(main.contains(want), "{want} not in {main}");
    }
    assert!(
        read(&site, "index.html")
            .contains("href=\"changes/index.html\">Changes in this version</a>")
    );
    assert!(read(&site, "assets/nav.js").contains("\"changes\":\"changes/index.html\""));
    assert_eq!(broken_links(&site), Vec::<String>::new());
}

#[test]
fn old_addresses_redirect_to_the_new_pages_without_a_script() {
    let site = built_v2("versions-redirects");
    for (old, new) in [
        ("areas/ef/ef-1-1/index.html", "areas/ef/ef-1-4/index.html"),
        ("areas/old/index.html", "areas/gov/index.html"),
        ("areas/old/old-1/index.html", "areas/gov/gov-1/index.html"),
        (
            "areas/old/old-1-1/index.html",
            "areas/gov/gov-1-1/index.html",
        ),
        (
            "areas/gov/old-1-1/index.html",
            "areas/gov/gov-1-1/index.html",
        ),
        (
            "areas/old/gov-1-1/index.html",
            "areas/gov/gov-1-1/index.html",
        ),
    ] {
        let html = read(&site, old);
        let depth = old.matches('/').count();
        let to = format!("{}{new}", "../".repeat(depth));
        assert!(
            html.contains(&format!(
                "<meta http-equiv=\"refresh\" content=\"0; url={to}\">"
            )),
            "{old}: {html}"
        );
        assert!(
            html.contains(&format!("<a href=\"{to}\">")),
            "{old}: no visible link"
        );
        assert!(html.contains("Content-Security-Policy"), "{old}");
        assert!(!html.contains("<script"), "{old}");
        let target = site.join(old).parent().unwrap().join(&to);
        assert!(target.is_file(), "{old} -> {to}: no such page");
    }
    // The present addresses are pages, not redirects.
    assert!(!read(&site, "areas/gov/gov-1-1/index.html").contains("http-equiv=\"refresh\""));
}

#[test]
fn search_and_the_survey_data_know_the_old_ids() {
    let site = built_v2("versions-search");
    let index = read(&site, "assets/search-index.js");
    assert!(
        index.contains(r#"["OLD-1.1","Set Up a Board",3,"areas/gov/gov-1-1/index.html"]"#),
        "{index}"
    );
    let text = read(&site, "assets/search/text-0.js");
    assert!(text.contains("OLD-1.1 is now GOV-1.1"), "{text}");
    let data = read(&site, "assets/survey-data.js");
    assert!(
        data.contains(r#""renames":{"EF-1.1":"EF-1.4","OLD":"GOV","OLD-1.1":"GOV-1.1"}"#),
        "{data}"
    );
    let model: Value = serde_json::from_str(&read(&site, "model.json")).unwrap();
    let gov = model["areas"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == "GOV")
        .unwrap();
    assert_eq!(gov["replaces"], json!(["OLD"]));
    assert_eq!(gov["objectives"][0]["replaces"], json!(["OLD-1"]));
    assert_eq!(
        gov["objectives"][0]["practices"][0]["replaces"],
        json!(["OLD-1.1"])
    );
}

#[test]
fn a_previous_model_that_cannot_be_read_is_an_error_at_its_setting() {
    let b = BookTest::copy_of("versions-bad-previous", "tests/fixtures/versions/v2");
    let e = b.build_fails();
    assert!(e.contains("book.toml:9:18"), "{e}");
    assert!(
        e.contains("`previous-model`: cannot read previous/model.json"),
        "{e}"
    );
}

/// What is wrong with `previous-model` is told beside the book's own
/// errors, whether they are found before its texts are read (an id twice)
/// or in them (a broken link): every problem at once.
#[test]
fn a_previous_model_that_cannot_be_read_is_told_beside_the_books_errors() {
    // (test folder, the edit to EF.md, what its error names)
    let cases = [
        (
            "versions-bad-previous-and-link",
            ("identified from [[EF-1.4]]", "identified from [[EF-9.9]]"),
            "[[EF-9.9]]",
        ),
        (
            "versions-bad-previous-and-id",
            ("id: EF-1.2", "id: EF-1.4"),
            "EF-1.4",
        ),
    ];
    for (name, (from, to), named) in cases {
        let e = BookTest::copy_of(name, "tests/fixtures/versions/v2")
            .edit("content/areas/EF.md", from, to)
            .build_fails();
        assert!(e.contains("`previous-model`: cannot read"), "{name}: {e}");
        assert!(e.contains(named), "{name}: {e}");
    }
}

#[test]
fn report_moves_answers_given_to_old_ids_and_says_so() {
    let answers = v("answers/v1-answers.json");
    let out = refbook(&["report", "--book", &v("v2"), &answers]);
    let e = stderr(&out);
    let r = json_of(&out);
    assert!(
        e.contains("3 answers to ids this version of the model renamed moved to the new ids: EF-1.1 -> EF-1.4, OLD-1.1 -> GOV-1.1, OLD:GG2.GP1 -> GOV:GG2.GP1"),
        "{e}"
    );
    // Moved answers are no unknown ids; the removed practice's still is.
    assert!(!e.contains("no question `EF-1.1`"), "{e}");
    assert!(e.contains("no question `EF-2.1`"), "{e}");
    let areas = r["assessments"][0]["areas"].as_array().unwrap();
    let ef = areas.iter().find(|a| a["id"] == "EF").unwrap();
    let gov = areas.iter().find(|a| a["id"] == "GOV").unwrap();
    assert_eq!(ef["answered"], 2, "{ef}");
    assert_eq!(gov["answered"], 1, "{gov}");
    assert_eq!(gov["level"], 1, "{gov}");
    // A plan entry under an old id moves too (the rule over the plan's own ids).
    let item = &r["assessments"][0]["roadmap"][0]["steps"][0]["goals"][0]["items"][0];
    assert_eq!(
        (&item["id"], &item["owner"]),
        (&json!("GOV:GG2.GP2"), &json!("Ann"))
    );
    assert!(!e.contains("the plan entry counts for nothing"), "{e}");
}
