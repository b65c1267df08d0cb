//! Renamed ids (`replaces`): which answers move (the vectors of
//! tests/renames/cases.json, which tests/js/renames.test.js runs against
//! scoring.js), and `refbook report` over a file answering old ids.

use crate::common::*;
use refbook::answers::renames;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};

#[test]
fn the_vectors_hold_for_the_rust_rule() {
    let text = std::fs::read_to_string(format!("{ROOT}/tests/renames/cases.json")).unwrap();
    let cases: Value = serde_json::from_str(&text).unwrap();
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 5);
    for c in cases {
        let map: BTreeMap<String, String> = serde_json::from_value(c["renames"].clone()).unwrap();
        let asked: HashSet<&str> = c["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q.as_str().unwrap())
            .collect();
        let answered = c["answers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a.as_str().unwrap());
        let got = renames::plan(&map, |id| asked.contains(id), answered);
        let moved: Vec<(String, String)> = serde_json::from_value(c["moved"].clone()).unwrap();
        let kept: Vec<(String, String, String)> =
            serde_json::from_value(c["kept"].clone()).unwrap();
        let got_kept: Vec<(String, String, String)> = got
            .kept
            .iter()
            .map(|(o, n, w)| (o.clone(), n.clone(), w.to_string()))
            .collect();
        assert_eq!((got.moved, got_kept), (moved, kept), "{}", c["name"]);
    }
}
