//! No page kind, and no survey script loaded alone, logs an error.

use super::*;

/// The console entries of level SEVERE since the last call: errors logged,
/// uncaught exceptions, scripts that failed to load, CSP refusals.
pub(super) async fn console_errors(c: &Client) -> R<Vec<String>> {
    let session = c.session_id().await?.expect("a session");
    let port = DRIVER_PORT.with(|p| p.get());
    Ok(browser_log(port, &session)
        .into_iter()
        .filter(|e| e["level"] == "SEVERE")
        .map(|e| e["message"].as_str().unwrap_or_default().to_string())
        .collect())
}

/// Opens `rel` and returns what it logged as errors once it has loaded.
async fn open_logging(c: &Client, rel: &str) -> R<Vec<String>> {
    console_errors(c).await?; // what earlier pages left
    c.goto(&file_url(rel)).await?;
    js(c, "return document.readyState").await?;
    console_errors(c).await
}

/// `page` of the built site with its survey scripts replaced by `scripts`
/// (names under assets/), written beside it as `name`; its address.
fn page_with_scripts(page: &str, scripts: &[&str], name: &str) -> String {
    let html = std::fs::read_to_string(site().join(page)).unwrap();
    let root = html
        .split("data-root=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let mut out = html.clone();
    for (s, _) in crate::common::scripts::page_scripts(&html) {
        if s.starts_with("survey-") || s == "scoring.js" || s == "team.js" {
            out = out.replace(&format!("<script src=\"{root}assets/{s}\"></script>"), "");
        }
    }
    assert!(
        !out.contains("assets/survey-"),
        "{page}: a survey script tag left"
    );
    let tags: String = scripts
        .iter()
        .map(|s| format!("<script src=\"{root}assets/{s}\"></script>"))
        .collect();
    let out = out.replacen("</body>", &format!("{tags}</body>"), 1);
    let rel = Path::new(page).with_file_name(name);
    std::fs::write(site().join(&rel), out).unwrap();
    rel.to_string_lossy().into_owned()
}

/// Each kind of page as built, then each survey script loaded alone with the
/// scripts it declares it loads after, on each kind of page: nothing logs an
/// error in the console, and each script did its part. A script loaded without
/// its prerequisites says so in the console (which shows that the console is
/// read at all).
#[tokio::test]
async fn each_page_kind_and_each_script_alone_log_no_errors() {
    with_browser("scripts", |c, _| async move {
        const KINDS: &[&str] = &["areas/ef/index.html", "survey/index.html", "survey/results/index.html",
            "worksheets/index.html", "worksheets/ef/index.html", "index.html"];
        let store = ["key", "model", "answers", "respondent", "plan", "score", "orphans", "savedElsewhere", "clear"];
        let io = ["exportJSON", "exportCSV", "exportOSCAL", "importJSON", "importCSV"];
        let api = |extra: &[&str]| -> Value {
            let mut v: Vec<&str> = store.iter().chain(io.iter()).chain(extra).copied().collect();
            v.sort();
            json!(v)
        };
        let want_api = [api(&["nextUnanswered"]), api(&["nextUnanswered", "area"]), api(&["compareJSON", "compareSnapshot", "comparisons", "setTarget", "roadmap", "roadmapCSV", "roadmapJSON",
            "saveSnapshot", "snapshots", "deleteSnapshot", "exportSnapshots", "importSnapshots", "trend", "teamFiles", "teamView"]), json!([]), json!([]), Value::Null];
        let keys = "return Object.prototype.hasOwnProperty.call(window, 'refbookSurvey') ? Object.keys(window.refbookSurvey).sort() : null";
        // ---- the pages as built: no answers; only another model id's (offered); answers and an orphan ----
        for round in ["empty", "elsewhere", "answered"] {
            let seed = match round {
                "elsewhere" => "localStorage.setItem('refbook:cert-ref-old:answers', '{\"answers\": {\"EF-1.1\": {\"value\": 1}}}');",
                "answered" => "localStorage.setItem('refbook:cert-ref:answers', JSON.stringify({format: 'refbook-survey', version: 1,
                    model: 'cert-ref', respondent: {organization: 'Acme'}, answers: {'EF-1.1': {value: 3, note: 'n'},
                    'EF-1.2': {value: 'na'}, 'EF:GG2.GP1': {value: 1}, 'ZZ-9': {value: 2}}}));",
                _ => "",
            };
            c.execute(seed, vec![]).await?;
            for (page, want) in KINDS.iter().zip(&want_api) {
                assert_eq!(open_logging(&c, page).await?, Vec::<String>::new(), "console errors on {page} ({round})");
                assert_eq!(&js(&c, keys).await?, want, "refbookSurvey on {page}");
                let offers = js(&c, "return document.querySelectorAll('.msg-migrate').length").await?;
                let offered = round == "elsewhere" && matches!(*page, "areas/ef/index.html" | "survey/index.html");
                assert_eq!(offers, json!(if offered { 1 } else { 0 }), "offers on {page} ({round})");
            }
        }
        c.goto(&file_url("survey/results/index.html")).await?;
        assert!(text(&c, "#results").await?.contains("Acme"), "the answered round had answers");

        // ---- each script alone with what it loads after, on each kind of page ----
        let declared = crate::common::scripts::declared_prerequisites();
        let alone: Vec<(&String, &Vec<String>)> = declared.iter().filter(|(s, _)| s.starts_with("survey-")).collect();
        assert_eq!(alone.len(), 17, "{alone:?}");
        for (script, after) in alone {
            let part = script.trim_start_matches("survey-").trim_end_matches(".js");
            let mut load: Vec<&str> = after.iter().map(String::as_str).collect();
            load.push(script);
            for page in KINDS {
                let rel = page_with_scripts(page, &load, &format!("alone-{part}.html"));
                assert_eq!(open_logging(&c, &rel).await?, Vec::<String>::new(), "console errors with {load:?} on {page}");
                // (survey-csv.js and survey-oscal.js are pure, like scoring.js: their part is their global)
                let did = js_with(&c, "if (arguments[0] === 'csv') return typeof window.refbookSurveyCsv.parse === 'function';
                    if (arguments[0] === 'oscal') return typeof window.refbookSurveyOscal.assessmentResults === 'function';
                    const s = window.refbookSurvey; return !!(s && s.lib && (arguments[0] === 'base' || s.lib.part(arguments[0])))",
                    vec![json!(part)]).await?;
                assert_eq!(did, json!(true), "{script} did its part on {page}");
            }
        }

        // ---- without what they load after, the scripts say so ----
        let rel = page_with_scripts("areas/ef/index.html", &["survey-data.js", "survey-base.js", "survey-store.js", "survey-form.js"], "no-scoring.html");
        let errors = open_logging(&c, &rel).await?;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("load assets/scoring.js before assets/survey-store.js; the survey is off."), "{errors:?}");
        let rel = page_with_scripts("survey/index.html", &["survey-data.js", "scoring.js", "survey-base.js", "survey-form.js"], "no-store.html");
        let errors = open_logging(&c, &rel).await?;
        assert!(errors.len() == 1 && errors[0].contains("load assets/survey-store.js before assets/survey-form.js"), "{errors:?}");
        let rel = page_with_scripts("worksheets/ef/index.html", &["survey-print.js"], "no-base.html");
        let errors = open_logging(&c, &rel).await?;
        assert!(errors.len() == 1 && errors[0].contains("load assets/survey-base.js before assets/survey-print.js"), "{errors:?}");
        let rel = page_with_scripts("survey/index.html", &["survey-data.js", "scoring.js", "survey-base.js", "survey-store.js", "survey-io.js"], "no-csv.html");
        let errors = open_logging(&c, &rel).await?;
        assert!(errors.len() == 1 && errors[0].contains("load assets/survey-csv.js before assets/survey-io.js"), "{errors:?}");
        Ok(())
    })
    .await;
}
