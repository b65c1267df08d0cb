//! The results page's OSCAL export: the saved answers as assessment results,
//! the very document `src/oscal/results.rs` makes of the same survey data and
//! answer file, valid against NIST's schema, downloaded from file://.

use super::*;

#[tokio::test]
async fn the_results_page_exports_oscal_assessment_results() {
    with_browser("oscal", |c, scratch| async move {
        c.goto(&file_url("survey/results/index.html")).await?;
        c.execute("localStorage.setItem('refbook:cert-ref:answers', JSON.stringify({format: 'refbook-survey', version: 2,
            model: 'cert-ref', respondent: {organization: 'Acme', date: '2026-03-15'}, answers: {
              'EF-1.1': {value: 3, note: 'Board minutes', evidence: [{href: 'https://intranet.example/min.pdf', description: 'Minutes'}]},
              'EF-1.2': {value: 'na', reason: 'No such function here.'}, 'EF-1.3': {value: 1}, 'EF:GG2.GP1': {value: 2}}}));", vec![]).await?;
        c.refresh().await?;
        let text = js(&c, "return window.refbookSurvey.exportOSCAL()").await?;
        let doc: Value = serde_json::from_str(text.as_str().unwrap())?;
        // The same rule in Rust, on what the page read: the survey data and the answer file.
        let survey = js(&c, "return window.refbook$data.survey").await?;
        let file: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        let now = doc["assessment-results"]["metadata"]["last-modified"].as_str().unwrap().to_string();
        let files = [file];
        let want = refbook::oscal::results::assessment_results(&refbook::oscal::results::Input {
            survey: &survey,
            files: &files,
            now: &now,
        });
        assert_eq!(doc, want, "the browser and refbook report make the same document");
        let r = &doc["assessment-results"]["results"][0];
        assert_eq!(r["findings"].as_array().unwrap().len(), 4);
        assert_eq!(r["start"], "2026-03-15T00:00:00Z");
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(
            Path::new(ROOT).join("tests/oscal/schema/oscal_assessment-results_schema.json"))?)?;
        let v = jsonschema::draft7::new(&schema).unwrap();
        let errors: Vec<String> = v.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        // The button downloads it through a Blob link.
        click(&c, "button[data-action=\"export-oscal\"]").await?;
        let dl = scratch.join("downloads");
        let mut found = None;
        for _ in 0..50 {
            found = std::fs::read_dir(&dl).ok().into_iter().flatten().flatten()
                .map(|e| e.path()).find(|p| p.to_string_lossy().ends_with("-oscal.json"));
            if found.is_some() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let path = found.unwrap_or_else(|| panic!("no OSCAL download in {}", dl.display()));
        assert!(path.file_name().unwrap().to_string_lossy().starts_with("cert-ref-survey-acme-"), "{}", path.display());
        let mut got: Value = serde_json::from_slice(&std::fs::read(&path)?)?;
        // (a second may have passed between the two)
        got["assessment-results"]["metadata"]["last-modified"] = json!(now);
        assert_eq!(got, doc);
        Ok(())
    })
    .await;
}
