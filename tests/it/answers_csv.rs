//! CSV answer files: the vectors of tests/answers-csv/ (cases.json), which
//! tests/js/csv.test.js runs against the browser's survey-csv.js, against
//! src/answers/csv; and `refbook report` over CSV files gives the report the
//! same answers give in JSON.

use crate::common::*;
use refbook::answers::{self, csv};
use refbook::scoring::Survey;
use serde_json::Value;
use std::path::Path;
use std::sync::OnceLock;

fn dir() -> &'static Path {
    static DIR: OnceLock<std::path::PathBuf> = OnceLock::new();
    DIR.get_or_init(|| Path::new(ROOT).join("tests/answers-csv"))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap()
}

fn cases() -> Value {
    serde_json::from_str(&read("cases.json")).unwrap()
}

/// The shipped book's survey data, as scoring reads it and as the CSV
/// layout (titles, the scale's words) needs it.
fn shipped() -> &'static (Survey, csv::Layout) {
    static SURVEY: OnceLock<(Survey, csv::Layout)> = OnceLock::new();
    SURVEY.get_or_init(|| {
        let (book, diags) = refbook::check(Path::new(ROOT));
        let book = book.unwrap_or_else(|| panic!("{diags:?}"));
        let data = refbook::render::Site::new(&book)
            .survey_json()
            .unwrap()
            .unwrap();
        (
            serde_json::from_value(data.clone()).unwrap(),
            csv::Layout::from_survey(&data),
        )
    })
}

fn names(list: &Value) -> Vec<(String, &Value)> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| (c["csv"].as_str().unwrap().to_string(), c))
        .collect()
}

#[test]
fn each_good_csv_holds_the_answer_file_of_its_json() {
    let (survey, _) = shipped();
    let cases = cases();
    for (name, c) in names(&cases["good"]) {
        let got = answers::read_csv(&read(&name), &name, survey)
            .unwrap_or_else(|e| panic!("{name}: {:?}", e.0));
        let json = c["json"].as_str().unwrap();
        let mut want = answers::read(&read(json), json, survey).unwrap();
        // Where each file gives its respondent is not part of what it holds.
        want.file.respondent_at = None;
        let mut got = got;
        got.file.respondent_at = None;
        assert_eq!(got.file, want.file, "{name}");
        // the same warnings (answers to questions the model does not have)
        assert_eq!(got.warnings.len(), want.warnings.len(), "{name}");
    }
}

#[test]
fn canonical_csv_is_written_again_byte_for_byte() {
    let (survey, layout) = shipped();
    let cases = cases();
    let mut checked = 0;
    for (name, c) in names(&cases["good"]) {
        if c["canonical"] != true {
            continue;
        }
        let text = read(&name);
        let file = answers::read_csv(&text, &name, survey).unwrap().file;
        assert_eq!(
            csv::write(&file, layout),
            text,
            "{name}: read and written again"
        );
        // and the JSON of the same answers is written as the browser writes it
        let json = c["json"].as_str().unwrap();
        let from_json = answers::read(&read(json), json, survey).unwrap().file;
        assert_eq!(
            csv::write(&from_json, layout),
            text,
            "{json} written as CSV"
        );
        checked += 1;
    }
    assert!(checked >= 2, "{checked}");
}

#[test]
fn each_broken_csv_is_refused_with_every_error_where_the_vectors_say() {
    let (survey, _) = shipped();
    let cases = cases();
    for (name, c) in names(&cases["broken"]) {
        let Err(answers::Invalid(diags)) = answers::read_csv(&read(&name), &name, survey) else {
            panic!("{name} was read");
        };
        let mut at: Vec<(u32, u32)> = diags
            .iter()
            .filter(|d| d.severity == refbook::diag::Severity::Error)
            .map(|d| (d.loc.line, d.loc.col))
            .collect();
        at.sort_unstable();
        let want: Vec<(u32, u32)> = c["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_u64().unwrap() as u32, p[1].as_u64().unwrap() as u32))
            .collect();
        assert_eq!(at, want, "{name}: {diags:#?}");
    }
}

#[test]
fn what_the_model_refuses_in_a_csv_is_reported_at_its_cell() {
    let (survey, _) = shipped();
    let text = "area,id,answer,reason,target,model,format,version\r\n\
        EF,EF-1.1,7,,9,cert-ref,refbook-survey,2\r\n\
        EF,EF-1.2,na,,9,cert-ref,refbook-survey,2\r\n\
        EF,EF:GG2.GP1,na,Because,9,cert-ref,refbook-survey,2\r\n";
    let Err(answers::Invalid(diags)) = answers::read_csv(text, "t.csv", survey) else {
        panic!("read");
    };
    let got: Vec<String> = diags
        .iter()
        .map(|d| format!("{}: {}", d.loc, d.message))
        .collect();
    let want = [
        "t.csv:2:11: 7 is not on the scale",
        "t.csv:2:14: the target 9 is not a capability level of this model",
        "t.csv:3:11: \"na\" needs a reason: without one the question counts as unanswered",
        "t.csv:4:15: `EF:GG2.GP1` is a generic practice of EF, which cannot be not applicable",
    ];
    assert_eq!(got, want);
    // another model's file
    let other = "id,answer,model,format,version\nEF-1.1,2,cert-rmm,refbook-survey,2\n";
    let Err(answers::Invalid(d)) = answers::read_csv(other, "o.csv", survey) else {
        panic!("read");
    };
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!((d[0].loc.line, d[0].loc.col), (2, 10), "{d:?}");
}

/// The report of `file`, without the file's name.
fn report_of(file: &Path) -> Value {
    let o = refbook(&["report", "--book", ROOT, &file.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let mut v: Value = serde_json::from_slice(&o.stdout).unwrap();
    // Every place the report names the file it read (the assessments, and
    // the assessors of each team) differs by its extension only.
    fn unname(v: &mut Value) {
        match v {
            Value::Object(m) => {
                if m.contains_key("file") {
                    m.insert("file".into(), Value::Null);
                }
                m.values_mut().for_each(unname);
            }
            Value::Array(a) => a.iter_mut().for_each(unname),
            _ => {}
        }
    }
    unname(&mut v);
    v
}

#[test]
fn report_over_a_csv_is_the_report_over_the_same_answers_in_json() {
    for (csv_name, json_name) in [
        ("full.csv", "full.json"),
        ("spreadsheet.csv", "spreadsheet.json"),
    ] {
        let a = report_of(&dir().join(csv_name));
        let b = report_of(&dir().join(json_name));
        assert_eq!(a, b, "{csv_name}");
        assert!(
            !a["assessments"][0]["evidence"]
                .as_array()
                .unwrap()
                .is_empty()
                || csv_name != "full.csv"
        );
    }
    // a folder's *.csv files are read beside its *.json files
    let scratch = tmp("answers-csv-folder");
    std::fs::copy(dir().join("full.csv"), scratch.join("a.csv")).unwrap();
    std::fs::copy(dir().join("every-area.json"), scratch.join("b.json")).unwrap();
    std::fs::write(scratch.join("notes.txt"), "not an answer file").unwrap();
    let o = refbook(&["report", "--book", ROOT, &scratch.display().to_string()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let files: Vec<&str> = v["assessments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files[0].ends_with("a.csv") && files[1].ends_with("b.json"),
        "{files:?}"
    );
}

#[test]
fn report_over_broken_csv_files_gives_every_diagnostic_with_line_and_column() {
    let rows = dir().join("broken-rows.csv");
    let quotes = dir().join("broken-quotes.csv");
    let o = refbook(&[
        "report",
        "--book",
        ROOT,
        &rows.display().to_string(),
        &quotes.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for at in [
        "broken-rows.csv:3:14",
        "broken-rows.csv:11:16",
        "broken-quotes.csv:2:18",
        "broken-quotes.csv:4:10",
    ] {
        assert!(err.contains(at), "{at} in {err}");
    }
    assert!(
        err.contains("every row of the file gives the same"),
        "{err}"
    );
}
