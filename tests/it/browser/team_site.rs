//! A team's answer files on the site's results page (survey-team.js over
//! team.js): opened through the file input (JSON and CSV), held in the page only (the saved
//! answers in localStorage stay as they were), shown as `refbook report`
//! shows them (the same teams, disputes, matrix and dates as its JSON for the
//! same files), the consensus download byte for byte the file `--consensus`
//! writes and imported back, two files of one respondent refused naming
//! both; no console error, axe clean.

use super::console::console_errors;
use super::*;

fn fixture(p: &str) -> String {
    format!("{ROOT}/tests/fixtures/team/{p}")
}

/// The report's JSON for `files`, its consensus files written in `dir`.
fn report_of(files: &[String], dir: &Path) -> Value {
    let out = dir.join("report.json");
    let cons = dir.join("consensus");
    let mut args = vec![
        "report",
        "--book",
        ROOT,
        "--format",
        "json",
        "--consensus",
        "min",
    ];
    args.extend(files.iter().map(String::as_str));
    args.extend([
        "--consensus-out",
        cons.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let o = crate::common::refbook(&args);
    assert!(o.status.success(), "{o:?}");
    serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap()
}

/// Teams without the files' names (the report names a file by its path, the
/// page by its name).
fn unnamed(teams: &Value) -> Value {
    let mut t = teams.clone();
    for team in t.as_array_mut().unwrap() {
        for a in team["assessors"].as_array_mut().unwrap() {
            a.as_object_mut().unwrap().remove("file");
        }
    }
    t
}

async fn open_files(c: &Client, files: &[String]) -> R {
    let input = c.find(Locator::Css("#team-files")).await?;
    input.send_keys(&files.join("\n")).await?;
    for _ in 0..50 {
        if js(c, "return document.querySelector('#team-files') !== null && (document.querySelector('.team-matrix, #team-messages .msg-error') !== null)").await? == json!(true) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    Ok(())
}

#[tokio::test]
async fn team_files_on_the_results_page_agree_with_the_report() {
    let axe = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    }
    let mut files: Vec<String> = [
        "disputed/ann.json",
        "disputed/bob.json",
        "disputed/cy.json",
        "dates/2025.json",
        "scopes/payroll-dan.json",
    ]
    .iter()
    .map(|p| fixture(p))
    .collect();
    // A CSV answer file too, of another organization.
    files.push(format!("{ROOT}/tests/answers-csv/full.csv"));
    let work = Path::new(TMP).join(format!("team-site-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).unwrap();
    let report = report_of(&files, &work);
    let consensus = work.join("consensus/consensus-acme--billing--2026-03-01.json");
    let written = std::fs::read(&consensus).unwrap();
    with_browser("team-site", move |c, scratch| async move {
        c.goto(&file_url("survey/results/index.html")).await?;
        c.execute("localStorage.setItem('refbook:cert-ref:answers', JSON.stringify({format: 'refbook-survey', version: 2,
            model: 'cert-ref', respondent: {organization: 'Mine'}, answers: {'EF-1.1': {value: 2, note: 'mine'}}}));", vec![]).await?;
        c.refresh().await?;
        console_errors(&c).await?;
        let saved = "return JSON.stringify(Object.keys(localStorage).sort().map(k => [k, localStorage.getItem(k)]))";
        let before = js(&c, saved).await?;
        open_files(&c, &files).await?;

        // ---- what the page shows is what the report computes ----
        let view = js(&c, "return window.refbookSurvey.teamView()").await?;
        assert_eq!(unnamed(&view["teams"]), unnamed(&report["teams"]), "teams");
        assert_eq!(view["matrix"], report["matrix"], "matrix");
        assert_eq!(view["history"], report["history"], "history");
        let disputed = js(&c, "return [...document.querySelectorAll('.results-team tr.disputed')].map(r => [r.dataset.question, r.dataset.disputed])").await?;
        let want: Vec<Value> = report["teams"].as_array().unwrap().iter()
            .flat_map(|t| t["questions"].as_array().unwrap().iter().filter(|q| !q["disputed"].is_null()).map(|q| json!([q["id"], q["disputed"]])))
            .collect();
        assert!(!want.is_empty());
        assert_eq!(disputed, json!(want), "disputed rows");
        let cells = js(&c, "return [...document.querySelectorAll('.team-matrix tr[data-scope]')].map(r => r.dataset.scope)").await?;
        assert_eq!(cells, json!(["Billing", "Payroll", "Critical service: billing"]));
        let ef = js(&c, "const td = document.querySelector('.team-matrix tr[data-scope=Billing] td[data-area=EF]');
            return [td.dataset.levels, td.className, getComputedStyle(td).backgroundColor]").await?;
        assert!(ef[1].as_str().unwrap().starts_with("hm hm-"), "{ef}");
        assert_ne!(ef[2], json!("rgba(0, 0, 0, 0)"), "the heat map's colours: {ef}");
        let dates = text(&c, ".team-dates").await?;
        assert!(dates.contains("2025-03-01") && dates.contains("2026-03-01"), "{dates}");
        let note = text(&c, ".results-team").await?;
        assert!(note.contains("=HYPERLINK(\"http://evil.example\")"), "an assessor's name is text");
        assert_eq!(js(&c, saved).await?, before, "the saved answers are unchanged");
        assert_eq!(console_errors(&c).await?, Vec::<String>::new());
        if let Some(axe) = &axe {
            assert_eq!(axe_violations(&c, axe).await?, json!([]), "axe on the team view");
            // (axe reads the stylesheets, which file:// refuses it: not the page's errors)
            console_errors(&c).await?;
        }

        // ---- the consensus download is the file --consensus writes, and imports ----
        click(&c, "button[data-action=team-consensus]").await?;
        let dl = scratch.join("downloads").join("consensus-acme--billing--2026-03-01.json");
        for _ in 0..50 {
            if dl.is_file() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let got = std::fs::read(&dl)?;
        assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&written), "the downloaded consensus file");
        c.execute("window.confirm = () => true;", vec![]).await?;
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(String::from_utf8_lossy(&got))]).await?;
        assert_eq!(r["ok"], true, "{r}");
        let file: Value = serde_json::from_slice(&got)?;
        let answers = js(&c, "return window.refbookSurvey.answers()").await?;
        assert_eq!(answers.as_object().unwrap().len(), file["answers"].as_object().unwrap().len());
        assert!(answers["EF-1.1"]["note"].as_str().unwrap_or("").starts_with("DISPUTED") || file["answers"]["EF-1.1"]["note"].is_null());

        // ---- two files of one respondent: refused, both named ----
        click(&c, "button[data-action=team-clear]").await?;
        open_files(&c, &[fixture("duplicates/one.json"), fixture("duplicates/two.json")]).await?;
        let msg = text(&c, "#team-messages").await?;
        assert!(msg.contains("two.json repeats one.json"), "{msg}");
        assert_eq!(js(&c, "return document.querySelectorAll('.team-matrix').length").await?, json!(0));
        assert_eq!(console_errors(&c).await?, Vec::<String>::new());
        Ok(())
    })
    .await;
}
