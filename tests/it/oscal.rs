//! The OSCAL files refbook writes are valid: against NIST's published JSON
//! Schemas (tests/oscal/schema, v1.0.4) and refbook's own checks of what the
//! schemas cannot say; the same content gives the same bytes; the golden
//! vectors of tests/oscal/results.json hold for src/oscal/results.rs (and,
//! through tests/js/oscal.test.js, for oscal.js).

use crate::common::*;
use refbook::oscal::{checks, results};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn schema(name: &str) -> jsonschema::Validator {
    let path = Path::new(ROOT).join(format!("tests/oscal/schema/oscal_{name}_schema.json"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::draft7::new(&schema).expect("NIST's schema compiles")
}

fn problems(v: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    v.iter_errors(doc)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

fn read(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The site of `book`, built into a fresh folder.
fn built(book: &Path, name: &str) -> PathBuf {
    let out = tmp(name).join("site");
    let r = refbook(&["build", book.to_str().unwrap(), "-d", out.to_str().unwrap()]);
    assert!(r.status.success(), "{}", stderr(&r));
    out
}

/// The catalog and the profiles of a site, by name.
fn oscal_files(site: &Path) -> Vec<(String, Value)> {
    let mut names: Vec<String> = std::fs::read_dir(site.join("oscal"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let v = read(&site.join("oscal").join(&n));
            (n, v)
        })
        .collect()
}

#[test]
fn every_book_s_oscal_files_are_valid() {
    let (catalog, profile) = (schema("catalog"), schema("profile"));
    for (book, name) in [
        (Path::new(ROOT).to_path_buf(), "oscal-shipped"),
        (Path::new(ROOT).join("examples/rmm-opf"), "oscal-opf"),
        (Path::new(ROOT).join("tests/fixtures/full"), "oscal-full"),
        (starter(&tmp("oscal-starter")), "oscal-starter-site"),
        // A version that renames: its old ids are withdrawn controls.
        (
            Path::new(ROOT).join("tests/fixtures/versions/v2"),
            "oscal-renames",
        ),
    ] {
        let site = built(&book, name);
        let files = oscal_files(&site);
        let cat = &files.iter().find(|(n, _)| n == "catalog.json").unwrap().1;
        let mut all = problems(&catalog, cat);
        all.extend(checks::catalog(cat));
        let mut profiles = 0;
        for (n, doc) in files
            .iter()
            .filter(|(n, _)| n.starts_with("profile-level-"))
        {
            profiles += 1;
            all.extend(
                problems(&profile, doc)
                    .into_iter()
                    .map(|p| format!("{n}: {p}")),
            );
            all.extend(
                checks::profile(doc, cat)
                    .into_iter()
                    .map(|p| format!("{n}: {p}")),
            );
        }
        assert!(all.is_empty(), "{}:\n{}", book.display(), all.join("\n"));
        assert!(profiles > 0, "{}: no profile", book.display());
    }
}

#[test]
fn renamed_ids_are_withdrawn_controls_moved_to_their_successor() {
    let site = built(
        &Path::new(ROOT).join("tests/fixtures/versions/v2"),
        "oscal-moved",
    );
    let cat = read(&site.join("oscal/catalog.json"));
    let mut all = Vec::new();
    controls(&cat["catalog"], &mut all);
    let moved: Vec<(String, String)> = all
        .iter()
        .filter(|c| c["class"] == "withdrawn")
        .map(|c| {
            assert!(
                c["props"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|p| p["name"] == "status" && p["value"] == "withdrawn"),
                "{c}"
            );
            assert_eq!(c["links"][0]["rel"], "moved-to", "{c}");
            (
                c["id"].as_str().unwrap().to_string(),
                c["links"][0]["href"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (old, new) in [
        ("EF-1.1", "#EF-1.4"),
        ("OLD", "#GOV"),
        ("OLD-1", "#GOV-1"),
        ("OLD-1.1", "#GOV-1.1"),
    ] {
        assert!(
            moved.contains(&(old.to_string(), new.to_string())),
            "{old}: {moved:?}"
        );
    }
}

/// Every control of a catalog, at any depth.
fn controls(v: &Value, out: &mut Vec<Value>) {
    for key in ["groups", "controls"] {
        for x in v[key].as_array().into_iter().flatten() {
            if key == "controls" {
                out.push(x.clone());
            }
            controls(x, out);
        }
    }
}

#[test]
fn the_shipped_catalog_maps_the_model() {
    let site = built(Path::new(ROOT), "oscal-map");
    let cat = read(&site.join("oscal/catalog.json"));
    let c = &cat["catalog"];
    assert_eq!(c["metadata"]["oscal-version"], "1.0.4");
    assert_eq!(c["metadata"]["version"], "2007");
    assert_eq!(c["metadata"]["last-modified"], "2007-01-01T00:00:00Z");
    assert!(
        c["metadata"]["remarks"]
            .as_str()
            .unwrap()
            .contains("Carnegie Mellon")
    );
    // Categories hold areas; areas hold controls.
    let enterprise = &c["groups"][0];
    assert_eq!(enterprise["class"], "category");
    let ef = enterprise["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["id"] == "EF")
        .unwrap();
    assert!(ef.get("groups").is_none());
    let mut all = Vec::new();
    controls(&cat["catalog"], &mut all);
    let by_id = |id: &str| all.iter().find(|c| c["id"] == id).cloned().unwrap();
    let gp = by_id("EF.GG2.GP1");
    assert_eq!(
        gp["props"][0],
        json!({"name": "alt-identifier", "value": "EF:GG2.GP1"})
    );
    assert_eq!(gp["links"][0]["href"], "#GG2.GP1");
    let practice = by_id("EF-1.1");
    assert_eq!(practice["parts"][0]["id"], "EF-1.1_smt");
    assert_eq!(practice["parts"][0]["name"], "statement");
    assert!(by_id("EF-1")["controls"].as_array().unwrap().len() > 1);
    assert_eq!(by_id("GG2.GP1")["class"], "generic-practice");
    // Areas without objectives have no empty lists (the checks say so too).
    assert!(
        !std::fs::read_to_string(site.join("oscal/catalog.json"))
            .unwrap()
            .contains("[]")
    );
    let level2 = read(&site.join("oscal/profile-level-2.json"));
    let ids = &level2["profile"]["imports"][0]["include-controls"][0]["with-ids"];
    let ids: Vec<&str> = ids
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        ids.contains(&"EF-1") && ids.contains(&"EF.GG2.GP1"),
        "{ids:?}"
    );
    assert!(!ids.contains(&"EF.GG3.GP1"), "level 2 asks no GG3");
}

#[test]
fn the_same_content_gives_the_same_bytes() {
    let book = BookTest::copy_of("oscal-bytes", "tests/fixtures/full");
    let oscal = |b: &BookTest| {
        b.build();
        tree(&b.site.join("oscal"))
    };
    let first = oscal(&book);
    assert_eq!(first, oscal(&book));
    let uuid = |t: &std::collections::BTreeMap<PathBuf, Option<Vec<u8>>>| {
        let (_, bytes) = t.iter().find(|(p, _)| p.ends_with("catalog.json")).unwrap();
        let doc: Value = serde_json::from_slice(bytes.as_ref().unwrap()).unwrap();
        doc["catalog"]["uuid"].clone()
    };
    let area = walk(&book.root.join("content/areas"))
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "md"))
        .unwrap();
    let rel = area
        .strip_prefix(&book.root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let text = std::fs::read_to_string(&area).unwrap();
    let book = book.file(&rel, &format!("{text}\nOne more sentence.\n"));
    assert_ne!(uuid(&first), uuid(&oscal(&book)));
}

#[test]
fn a_broken_mapping_fails_the_checks() {
    let site = built(&Path::new(ROOT).join("tests/fixtures/full"), "oscal-broken");
    let good = read(&site.join("oscal/catalog.json"));
    assert!(checks::catalog(&good).is_empty());
    type Break = fn(&mut Value);
    let breaks: [(&str, Break, &str); 4] = [
        (
            "no statement",
            |c| assert!(strip_statement(&mut c["catalog"])),
            "has no statement part",
        ),
        (
            "a duplicate id",
            |c| {
                let first = c["catalog"]["groups"][0].clone();
                c["catalog"]["groups"].as_array_mut().unwrap().push(first);
            },
            "is used twice",
        ),
        (
            "a dangling link",
            |c| {
                c["catalog"]["groups"][0]["links"] =
                    json!([{"href": "#nowhere", "rel": "related"}]);
            },
            "leads to no id",
        ),
        (
            "groups beside controls",
            |c| {
                c["catalog"]["groups"][0]["controls"] =
                    json!([{"id": "x", "title": "x", "parts": [{"name": "statement"}]}]);
            },
            "holds both groups and controls",
        ),
    ];
    for (what, f, says) in breaks {
        let mut bad = good.clone();
        f(&mut bad);
        let p = checks::catalog(&bad).join("\n");
        assert!(p.contains(says), "{what}: {p}");
    }
    // The schema, too, refuses what it can see: an id with a colon.
    let mut bad = good.clone();
    bad["catalog"]["groups"][0]["id"] = json!("EF:GG2.GP1");
    assert!(!problems(&schema("catalog"), &bad).is_empty());
}

/// Takes the statement of the first control found (depth first).
fn strip_statement(v: &mut Value) -> bool {
    let is_control = v.get("id").is_some()
        && v["parts"]
            .as_array()
            .is_some_and(|p| p.iter().any(|p| p["name"] == "statement"));
    if is_control {
        let parts = v["parts"].as_array_mut().unwrap();
        parts.retain(|p| p["name"] != "statement");
        return true;
    }
    for key in ["groups", "controls"] {
        for x in v
            .get_mut(key)
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if strip_statement(x) {
                return true;
            }
        }
    }
    false
}

#[test]
fn golden_vectors_hold_for_the_results() {
    let golden = read(&Path::new(ROOT).join("tests/oscal/results.json"));
    let ar = schema("assessment-results");
    for case in golden["cases"].as_array().unwrap() {
        let files = case["files"].as_array().unwrap();
        let got = results::assessment_results(&results::Input {
            survey: &case["survey"],
            files,
            now: case["now"].as_str().unwrap(),
        });
        let name = case["name"].as_str().unwrap();
        assert_eq!(
            got,
            case["expected"],
            "{name}:\n{}",
            serde_json::to_string_pretty(&got).unwrap()
        );
        let p = problems(&ar, &got);
        assert!(p.is_empty(), "{name}:\n{}", p.join("\n"));
    }
}

/// `refbook report --format oscal FILE` at the time `epoch` (SOURCE_DATE_EPOCH).
fn oscal_report(file: &Path, epoch: &str) -> Vec<u8> {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_refbook"))
        .args(["report", "--book", ROOT, "--format", "oscal"])
        .arg(file)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    o.stdout
}

#[test]
fn report_writes_valid_assessment_results() {
    let ar = schema("assessment-results");
    let answers = Path::new(ROOT).join("tests/fixtures/answers");
    let team = Path::new(ROOT).join("tests/fixtures/team/scopes");
    for input in [answers.join("v2.json"), answers.join("v1.json"), team] {
        let run = || oscal_report(&input, "1796094245");
        let bytes = run();
        assert_eq!(
            bytes,
            run(),
            "{}: not the same bytes twice",
            input.display()
        );
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let p = problems(&ar, &doc);
        assert!(p.is_empty(), "{}:\n{}", input.display(), p.join("\n"));
        assert_eq!(
            doc["assessment-results"]["metadata"]["last-modified"],
            "2026-12-01T03:04:05Z"
        );
    }
    // A CSV answer file gives the document its JSON twin gives.
    let csv = Path::new(ROOT).join("tests/answers-csv");
    assert_eq!(
        oscal_report(&csv.join("full.csv"), "0"),
        oscal_report(&csv.join("full.json"), "0")
    );
    let doc = json_of(&report(&[
        "--format",
        "oscal",
        answers.join("v2.json").to_str().unwrap(),
    ]));
    let r = &doc["assessment-results"]["results"][0];
    let f = r["findings"].as_array().unwrap();
    let na = f
        .iter()
        .find(|f| f["target"]["target-id"] == "EF-1.2_smt")
        .unwrap();
    assert_eq!(
        na["target"]["implementation-status"]["state"],
        "not-applicable"
    );
    let first = f
        .iter()
        .find(|f| f["target"]["target-id"] == "EF-1.1_smt")
        .unwrap();
    assert_eq!(first["target"]["status"]["state"], "satisfied");
    let obs = &r["observations"][0];
    assert_eq!(
        first["related-observations"][0]["observation-uuid"],
        obs["uuid"]
    );
    assert_eq!(
        obs["relevant-evidence"][0]["href"],
        "https://intranet.example/policy.pdf"
    );
    assert_eq!(r["start"], "2026-03-15T00:00:00Z");
}

/// A book whose ids meet in the catalog (a practice named like its
/// objective's statement part) is not published with an invalid catalog: the
/// build fails with refbook's internal error, naming the id. A category named
/// like the group of generic goals does not meet it: that id is refbook's.
#[test]
fn a_build_whose_catalog_would_be_invalid_fails() {
    let ef = std::fs::read_to_string(Path::new(ROOT).join("src/init/content/areas/EF.md")).unwrap();
    let book = BookTest::starter("oscal-clash")
        .file("content/areas/EF.md", &ef.replace("EF-1.2", "EF-1_smt"));
    let e = book.build_fails();
    assert!(
        e.contains("internal error: the OSCAL files would be invalid")
            && e.contains("`EF-1_smt` is used twice"),
        "{e}"
    );
    let book = BookTest::starter("oscal-generic")
        .edit(
            "content/model.yaml",
            "  - id: enterprise",
            "  - id: generic-goals",
        )
        .edit(
            "content/areas/EF.md",
            "category: enterprise",
            "category: generic-goals",
        )
        .remove("content/categories/enterprise.md");
    book.build();
    let cat = read(&book.site.join("oscal/catalog.json"));
    assert!(checks::catalog(&cat).is_empty());
    assert_eq!(cat["catalog"]["groups"][1]["id"], "generic-goals_");
}
