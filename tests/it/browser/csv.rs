//! CSV answer files in the survey: export, import into a fresh survey and
//! export again gives the same bytes (those of tests/answers-csv/full.csv,
//! which src/answers/csv reads and writes too); a broken CSV is refused with
//! the line and column of every problem, and nothing is imported.

use super::*;

fn vector(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("tests/answers-csv").join(name)).unwrap()
}

#[tokio::test]
async fn csv_export_import_export_gives_the_same_bytes() {
    with_browser("csv", |c, scratch| async move {
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(vector("full.json"))]).await?;
        assert_eq!(r["ok"], true, "{r}");
        let csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        let csv = csv.as_str().unwrap().to_string();
        assert_eq!(csv, vector("full.csv"), "the survey writes the vector's bytes");
        let json = js(&c, "return window.refbookSurvey.exportJSON()").await?;

        // a fresh survey: nothing saved
        c.execute("localStorage.clear();", vec![]).await?;
        c.refresh().await?;
        assert_eq!(js(&c, "return Object.keys(window.refbookSurvey.answers()).length").await?, json!(0));
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; };", vec![]).await?;
        let r = js_with(&c, "return window.refbookSurvey.importCSV(arguments[0])", vec![json!(csv)]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(js(&c, "return window.__asked || 0").await?, json!(0), "nothing to replace, nothing asked");
        assert_eq!(js(&c, "return window.refbookSurvey.exportCSV()").await?, json!(csv), "export, import, export: the same bytes");
        let parse = |v: Value| serde_json::from_str::<Value>(v.as_str().unwrap()).unwrap();
        // (the same file; targets come in the order of the CSV's areas)
        assert_eq!(parse(js(&c, "return window.refbookSurvey.exportJSON()").await?), parse(json), "and the same answer file");
        c.refresh().await?;
        assert_eq!(js(&c, "return window.refbookSurvey.exportCSV()").await?, json!(csv), "saved as imported");
        let sc = js(&c, "const s = window.refbookSurvey.score(); return [s.COMM.status, s.EF.status, s.EF.target, s.RISK.target]").await?;
        assert_eq!(sc, json!(["out-of-scope", "assessed", 3, 1]), "scope and targets came with the CSV");
        // (a textarea shows a CRLF as LF; the answer keeps it)
        let note = js(&c, "return [window.refbookSurvey.answers()['EF-1.1'].note, document.querySelector('fieldset[data-question=\"EF-1.1\"] textarea').value]").await?;
        assert_eq!(note, json!(["Board minutes, 2024; \"strategy\", v2\r\nsecond line", "Board minutes, 2024; \"strategy\", v2\nsecond line"]));

        // ---- a broken CSV: every problem with its line and column, nothing imported ----
        let before = js(&c, "return window.refbookSurvey.exportJSON()").await?;
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; }; window.__asked = 0;", vec![]).await?;
        let r = js_with(&c, "return window.refbookSurvey.importCSV(arguments[0])", vec![json!(vector("broken-rows.csv"))]).await?;
        assert_eq!(r["ok"], false, "{r}");
        let errors = r["errors"].to_string();
        for at in ["Line 3, column 14", "Line 4, column 18", "Line 5, column 23", "Line 6, column 50", "Line 7, column 4",
            "Line 8, column 2", "Line 9, column 12", "Line 10, column 44", "Line 11, column 16"] {
            assert!(errors.contains(at), "{at} in {errors}");
        }
        assert_eq!(js(&c, "return window.__asked").await?, json!(0), "refused before asking");
        assert_eq!(js(&c, "return window.refbookSurvey.exportJSON()").await?, before, "nothing imported");
        assert!(text(&c, "#survey-messages").await?.contains("Line 3, column 14"));

        // through the file input: a .csv file is read as CSV
        let path = scratch.join("answers.csv");
        std::fs::write(&path, vector("broken-quotes.csv"))?;
        let input = c.find(Locator::Css("input[type=file][data-action=\"import\"]")).await?;
        input.send_keys(path.to_str().unwrap()).await?;
        let mut msgs = String::new();
        for _ in 0..50 {
            msgs = text(&c, "#survey-messages").await?;
            if msgs.contains("answers.csv") { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(msgs.contains("Line 2, column 18") && msgs.contains("Line 4, column 10"), "{msgs}");
        assert_eq!(js(&c, "return window.refbookSurvey.exportJSON()").await?, before, "nothing imported");
        let path = scratch.join("good.csv");
        std::fs::write(&path, vector("spreadsheet.csv"))?;
        c.execute("window.__asked = 0;", vec![]).await?;
        let input = c.find(Locator::Css("input[type=file][data-action=\"import\"]")).await?;
        input.send_keys(path.to_str().unwrap()).await?;
        let mut got = Value::Null;
        for _ in 0..50 {
            got = js(&c, "return window.refbookSurvey.answers()").await?;
            if got.get("EF-1.3").is_none() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(js(&c, "return window.__asked").await?, json!(1), "asked before replacing");
        assert_eq!(got["EF-1.2"], json!({"value": "na", "reason": "Outsourced"}), "{got}");
        assert_eq!(got["EF-1.1"]["evidence"], json!([{"href": "https://x.example/a", "description": "Minutes"}]));
        no_alert(&c, "after CSV import").await;
        Ok(())
    })
    .await;
}
