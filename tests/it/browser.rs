//! End-to-end tests of the survey in the generated site, in headless Chromium
//! through chromedriver (fantoccini, no TLS). The shipped book is built once per
//! test (each its own copy) into CARGO_TARGET_TMPDIR and opened from file:// (and once over http).
//!
//! Skips with a visible `SKIP` line when chromedriver/chromium (or axe-core for
//! the accessibility check) are missing, unless REQUIRE_BROWSER=1, which turns
//! that into a failure. Recipe: /work/shared/notes/browser-testing.md.
use crate::common::ROOT;
use crate::common::browser::{
    Driver, R, browser_bins, browser_log, run_closing, session, skip_or_fail,
};
use fantoccini::{Client, Locator, wd::PrintConfiguration};
use serde_json::{Value, json};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

const TMP: &str = env!("CARGO_TARGET_TMPDIR");

thread_local! {
    /// The site of the test running on this thread (tokio::test runs each
    /// test on its own thread). Each test has its own copy, because the
    /// survey test rebuilds its site while the print test reads its own.
    static SITE: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
    /// The port of this test's chromedriver, for its console log.
    static DRIVER_PORT: std::cell::Cell<u16> = const { std::cell::Cell::new(0) };
}
/// Builds the shipped book for `test` (rebuilt on every run).
fn build_site_for(test: &str) {
    let out = Path::new(TMP).join(format!("browser-site-{test}"));
    build_site(&out);
    SITE.with(|s| *s.borrow_mut() = Some(out));
}
fn site() -> PathBuf {
    SITE.with(|s| s.borrow().clone())
        .expect("with_browser builds the site first")
}
fn build_site(out: &Path) {
    let o = crate::common::refbook(&["build", ROOT, "-d", out.to_str().unwrap()]);
    assert!(o.status.success(), "refbook build failed: {o:?}");
}
fn file_url(rel: &str) -> String {
    format!("file://{}/{rel}", site().display())
}

/// Serves the site on 127.0.0.1:<free port> (GET only, thread per connection).
fn serve_site() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", l.local_addr().unwrap());
    let dir = site();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                let n = s.read(&mut buf).unwrap_or(0);
                let req = String::from_utf8_lossy(&buf[..n]).into_owned();
                let path = req.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("/");
                let mut rel = path.trim_start_matches('/').to_string();
                if rel.is_empty() || rel.ends_with('/') {
                    rel.push_str("index.html");
                }
                let ct = match rel.rsplit('.').next() {
                    Some("html") => "text/html; charset=utf-8",
                    Some("js") => "text/javascript",
                    Some("css") => "text/css",
                    Some("json") => "application/json",
                    _ => "application/octet-stream",
                };
                let resp = match std::fs::read(dir.join(&rel)) {
                    Ok(body) if !rel.contains("..") => [
                        format!("HTTP/1.1 200 OK\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len()).into_bytes(),
                        body,
                    ]
                    .concat(),
                    _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
                };
                let _ = s.write_all(&resp);
            });
        }
    });
    base
}

/// Fresh headless session -> run `body` -> always close the session.
async fn with_browser<F, Fut>(test: &str, body: F)
where
    F: FnOnce(Client, PathBuf) -> Fut,
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let Some((driver_bin, chrome)) = browser_bins(test) else {
        return;
    };
    build_site_for(test); // before the browser starts
    let driver = Driver::start(&driver_bin);
    DRIVER_PORT.with(|p| p.set(driver.port));
    let scratch = Path::new(TMP).join(format!("browser-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let client = session(&chrome, &driver, &scratch).await;
    run_closing(client.clone(), body(client, scratch.clone())).await;
    drop(driver);
    let _ = std::fs::remove_dir_all(&scratch);
}

async fn js(c: &Client, script: &str) -> R<Value> {
    Ok(c.execute(script, vec![]).await?)
}
async fn js_with(c: &Client, script: &str, args: Vec<Value>) -> R<Value> {
    Ok(c.execute(script, args).await?)
}
async fn attr(c: &Client, css: &str, name: &str) -> R<String> {
    Ok(c.find(Locator::Css(css))
        .await?
        .attr(name)
        .await?
        .unwrap_or_default())
}
async fn text(c: &Client, css: &str) -> R<String> {
    Ok(c.find(Locator::Css(css)).await?.text().await?)
}
async fn obj_state(c: &Client, id: &str) -> R<String> {
    attr(c, &format!("[data-objective=\"{id}\"]"), "data-state").await
}
async fn level(c: &Client, area: &str) -> R<String> {
    attr(c, &format!("strong[data-area=\"{area}\"]"), "data-level").await
}
/// An area's status on the page (`data-status` beside `data-level`).
async fn status(c: &Client, area: &str) -> R<String> {
    attr(c, &format!("strong[data-area=\"{area}\"]"), "data-status").await
}
/// Sets the reason of saved N/A answers in storage and reloads the page.
async fn give_reasons(c: &Client, ids: &[String], reason: &str) -> R {
    js_with(
        c,
        "const k = 'refbook:cert-ref:answers'; const s = JSON.parse(localStorage.getItem(k));
         for (const id of arguments[0]) s.answers[id].reason = arguments[1];
         localStorage.setItem(k, JSON.stringify(s));",
        vec![json!(ids), json!(reason)],
    )
    .await?;
    c.refresh().await?;
    Ok(())
}

/// A real WebDriver click, after scrolling the element to the middle of the
/// window (the site's sticky top bar would otherwise take clicks at the top).
async fn click(c: &Client, css: &str) -> R {
    let e = c.find(Locator::Css(css)).await?;
    c.execute(
        "arguments[0].scrollIntoView({block: 'center'})",
        vec![serde_json::to_value(&e)?],
    )
    .await?;
    e.click().await?;
    Ok(())
}

/// Answers questions through the page (a click on the radio, as a person would,
/// dispatched from script so that sticky headers cannot intercept it).
async fn answer(c: &Client, ids_values: &[(&str, &str)]) -> R {
    let pairs: Vec<Value> = ids_values.iter().map(|(i, v)| json!([i, v])).collect();
    let missing = js_with(
        c,
        "const miss = [];
         for (const [id, v] of arguments[0]) {
           const r = document.querySelector(`fieldset[data-question=\"${id}\"] input[type=radio][value=\"${v}\"]`);
           if (r) r.click(); else miss.push(id + '=' + v);
         }
         return miss;",
        vec![Value::Array(pairs)],
    )
    .await?;
    assert_eq!(missing, json!([]), "radios not found");
    Ok(())
}
/// Every question id on the page that matches a prefix, in page order.
async fn question_ids(c: &Client, selector: &str) -> R<Vec<String>> {
    let v = js_with(
        c,
        "return [...document.querySelectorAll(arguments[0])].map(f => f.dataset.question);",
        vec![json!(selector)],
    )
    .await?;
    Ok(serde_json::from_value(v)?)
}
async fn no_alert(c: &Client, when: &str) {
    if let Ok(t) = c.get_alert_text().await {
        let _ = c.dismiss_alert().await;
        panic!("unexpected alert {t:?} {when}");
    }
}

/// The page's own scores (what the survey scripts show, `refbookSurvey.score()`,
/// from scoring.js `assess` with the page's survey data, answers and scope)
/// are those of src/scoring.rs: every area's status, level, states, counts and
/// lists.
async fn same_scores_as_rust(c: &Client) -> R {
    use refbook::scoring;
    assert_eq!(
        js(c, "return typeof window.refbookScoring").await?,
        json!("object")
    );
    let page = js(c, "return window.refbookSurvey.score()").await?;
    let survey: scoring::Survey =
        serde_json::from_value(js(c, "return window.refbook$data.survey").await?)?;
    let answers: scoring::Answers =
        serde_json::from_value(js(c, "return window.refbookSurvey.answers()").await?)?;
    let rust = scoring::assess(&survey, &answers, &scoring::Scope::default());
    assert_eq!(rust.len(), page.as_object().map_or(0, |o| o.len()));
    for a in &rust {
        let p = &page[&a.code];
        assert_eq!(
            (&p["status"], &p["level"], &p["assessable"]),
            (&json!(a.status), &json!(a.level), &json!(a.assessable)),
            "{}",
            a.code
        );
        assert_eq!(p["not_applicable"], json!(a.not_applicable), "{}", a.code);
        assert_eq!(p["flagged"], json!(a.flagged), "{}", a.code);
        for o in &a.objectives {
            assert_eq!(
                p["objectives"][&o.id]["state"],
                o.state.as_str(),
                "{} {}",
                a.code,
                o.id
            );
        }
        for g in &a.goals {
            assert_eq!(
                p["goals"][&g.id]["state"],
                g.state.as_str(),
                "{} {}",
                a.code,
                g.id
            );
        }
        for (k, n) in [("practices", &a.practices), ("generic", &a.generic)] {
            let want = json!([n.total, n.answered, n.na, n.applicable, n.performed]);
            let got = json!([
                p[k]["total"],
                p[k]["answered"],
                p[k]["na"],
                p[k]["applicable"],
                p[k]["performed"]
            ]);
            assert_eq!(got, want, "{} {k}", a.code);
        }
    }
    Ok(())
}

/// N/A on a practice opens a required reason field; without a reason the
/// question is flagged and counts as unanswered; generic practices offer no
/// N/A; "Clear answer" shows on answered questions only. Answer files of
/// version 2 (scope, targets, reasons, evidence) and 1 import; the scope is
/// chosen on the survey page, saved, exported and shown.
#[tokio::test]
async fn na_needs_a_reason_and_generic_practices_offer_none() {
    with_browser("na-reason", |c, _| async move {
        c.goto(&file_url("areas/ef/index.html")).await?;
        let gp = question_ids(&c, "fieldset[data-question^=\"EF:GG2.\"]").await?;
        let na_on_gp = js(&c, "return document.querySelectorAll('fieldset[data-question*=\":\"] input[value=na]').length").await?;
        assert_eq!(na_on_gp, json!(0), "no N/A on generic practices ({gp:?})");
        let fs = "fieldset[data-question=\"EF-1.1\"]";
        assert_eq!(js(&c, &format!("return document.querySelectorAll('{fs} input[value=na]').length")).await?, json!(1));
        let hidden = format!("const f = document.querySelector('{fs}'); return [f.querySelector('label.reason').hidden, f.querySelector('.flag').hidden]");
        assert_eq!(js(&c, &hidden).await?, json!([true, true]), "no reason field before N/A");
        let shown = "return [...document.querySelectorAll('.clear-answer')].filter(b => getComputedStyle(b).display !== 'none').length";
        assert_eq!(js(&c, shown).await?, json!(0), "no Clear answer on unanswered questions");

        // N/A without a reason: flagged, unanswered, the reason field open and focused
        click(&c, &format!("{fs} input[value=na]")).await?;
        assert_eq!(js(&c, &hidden).await?, json!([false, false]));
        assert_eq!(js(&c, "return document.activeElement.hasAttribute('data-reason')").await?, json!(true));
        assert_eq!(attr(&c, fs, "data-flag").await?, "na-without-reason");
        assert!(text(&c, &format!("{fs} .flag")).await?.contains("needs a reason"));
        assert_eq!(js(&c, &format!("return document.querySelector('{fs}').classList.contains('answered')")).await?, json!(false));
        assert_eq!(obj_state(&c, "EF-1").await?, "unanswered");
        assert_eq!(status(&c, "EF").await?, "not-assessed");
        assert_eq!(js(&c, shown).await?, json!(1), "Clear answer on the answered question only");

        // with a reason it counts, and is saved with the answer
        c.find(Locator::Css(&format!("{fs} textarea[data-reason]"))).await?.send_keys("Run by the parent company").await?;
        assert_eq!(attr(&c, fs, "data-flag").await?, "");
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");
        assert_eq!(status(&c, "EF").await?, "assessed");
        let saved = js(&c, "return window.refbookSurvey.answers()['EF-1.1']").await?;
        assert_eq!(saved, json!({"value": "na", "reason": "Run by the parent company"}));
        c.refresh().await?;
        assert_eq!(c.find(Locator::Css(&format!("{fs} textarea[data-reason]"))).await?.prop("value").await?.as_deref(),
            Some("Run by the parent company"), "reason survives reload");
        assert_eq!(js(&c, &hidden).await?, json!([false, true]));
        // a scale answer drops the reason and closes the field
        answer(&c, &[("EF-1.1", "2")]).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.1']").await?, json!({"value": 2}));
        assert_eq!(js(&c, &hidden).await?, json!([true, true]));

        // answer files of version 2: scope, targets, reasons and evidence import and export
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        let ev = json!([{"href": "https://intranet.example/policy.pdf", "description": "Policy"}]);
        let v2 = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref",
            "areas_in_scope": ["EF", "RISK", "NOPE"], "targets": {"EF": 2},
            "answers": {"EF-1.1": {"value": "na", "reason": "Parent", "evidence": ev}, "EF-1.2": {"value": 2}}});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(v2.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert!(r["problems"].to_string().contains("NOPE"), "{r}");
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.1']").await?,
            json!({"value": "na", "reason": "Parent", "evidence": ev}));
        let sc = js(&c, "const s = window.refbookSurvey.score(); return [s.COMM.status, s.EF.status, s.EF.target, s.RISK.status]").await?;
        assert_eq!(sc, json!(["out-of-scope", "assessed", 2, "not-assessed"]));
        assert_eq!(status(&c, "COMM").await?, "out-of-scope");
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!((&out["version"], &out["areas_in_scope"], &out["targets"]), (&json!(2), &json!(["EF", "RISK"]), &json!({"EF": 2})));
        assert_eq!(out["answers"]["EF-1.1"], json!({"value": "na", "reason": "Parent", "evidence": ev}));
        let csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        assert!(csv.as_str().unwrap().contains("\r\nCOMM,COMM-1.1,"), "{csv}");
        assert!(csv.as_str().unwrap().contains(",,,no,,,,\r\n"), "out-of-scope rows say so");
        // version 1 still imports, with every area in scope
        let v1 = json!({"format": "refbook-survey", "version": 1, "model": "cert-ref", "answers": {"EF-1.2": {"value": 3}}});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(v1.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(status(&c, "COMM").await?, "not-assessed");
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert!(out.get("areas_in_scope").is_none() && out.get("targets").is_none(), "{out}");

        // ---- scope: chosen on the survey page, by area or whole category ----
        let boxes = js(&c, "const b = [...document.querySelectorAll('#survey-scope [data-scope-area]')]; return [b.length, b.every(x => x.checked), window.refbook$data.survey.areas.length]").await?;
        assert_eq!(boxes[0], boxes[2], "one box per area");
        assert_eq!(boxes[1], json!(true), "every area in scope by default");
        click(&c, "#survey-scope [data-scope-area=\"COMM\"]").await?;
        assert_eq!(status(&c, "COMM").await?, "out-of-scope");
        assert_eq!(js(&c, "return document.querySelector('section[data-survey-area=\"COMM\"]').hidden").await?, json!(true), "not asked");
        assert_eq!(js(&c, "return document.querySelector('section[data-survey-area=\"EF\"]').hidden").await?, json!(false));
        // (a category with an area out is partly checked: a click takes it all in, the next all out)
        let cat_click = "const f = document.querySelector('[data-scope-area=RISK]').closest('fieldset');
            f.querySelector('[data-scope-category]').click(); return [...f.querySelectorAll('[data-scope-area]')].map(b => b.checked)";
        let mut cat = js(&c, cat_click).await?;
        if cat[0] == json!(true) {
            assert!(cat.as_array().unwrap().iter().all(|b| b == &json!(true)), "{cat}");
            cat = js(&c, cat_click).await?;
        }
        assert!(cat.as_array().unwrap().iter().all(|b| b == &json!(false)), "the category's areas go together: {cat}");
        assert_eq!(status(&c, "RISK").await?, "out-of-scope");
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        let list = out["areas_in_scope"].as_array().unwrap();
        assert!(list.contains(&json!("ADM")) && !list.contains(&json!("COMM")) && !list.contains(&json!("RISK")), "{list:?}");
        // skipped by "next unanswered", kept after a reload
        let next = js(&c, "return window.refbookSurvey.nextUnanswered()").await?;
        assert!(!next.as_str().unwrap().starts_with("COMM") && !next.as_str().unwrap().starts_with("RISK"), "{next}");
        c.refresh().await?;
        assert_eq!(js(&c, "return document.querySelector('[data-scope-area=COMM]').checked").await?, json!(false), "scope saved");
        // marked on the area page, "out of scope" in the results
        c.goto(&file_url("areas/comm/index.html")).await?;
        assert!(text(&c, "section[data-survey-area=\"COMM\"] .scope-note").await?.contains("out of the scope"));
        c.goto(&file_url("survey/results/index.html")).await?;
        assert!(text(&c, "#results svg.level-chart g[data-area=\"COMM\"]").await?.contains("out of scope"));
        assert_eq!(attr(&c, "#results td.lvl[data-area=\"COMM\"]", "data-status").await?, "out-of-scope");
        // every area again: the scope is absent from the file
        c.goto(&file_url("survey/index.html")).await?;
        js(&c, "document.querySelectorAll('[data-scope-area]').forEach(b => { if (!b.checked) b.click(); })").await?;
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert!(out.get("areas_in_scope").is_none(), "{out}");
        assert_eq!(status(&c, "COMM").await?, "not-assessed");

        // ---- worksheets on screen take no clicks and no typing (paper forms) ----
        c.goto(&file_url("worksheets/ef/index.html")).await?;
        assert_eq!(js(&c, "return [...document.querySelectorAll('[data-worksheet] input, [data-worksheet] textarea')].every(e => e.closest('[inert]'))").await?, json!(true));
        let radio = c.find(Locator::Css("[data-worksheet] fieldset[data-question=\"EF-1.1\"] input[value=\"2\"]")).await?;
        let _ = radio.click().await; // refused or without effect
        let ta = c.find(Locator::Css("[data-worksheet] fieldset[data-question=\"EF-1.1\"] textarea")).await?;
        let _ = ta.send_keys("typed").await;
        let got = js(&c, "const f = document.querySelector('[data-worksheet] fieldset[data-question=\"EF-1.1\"]'); return [f.querySelectorAll('input:checked').length, f.querySelector('textarea').value]").await?;
        assert_eq!(got, json!([0, ""]), "worksheet controls are inert");

        // ---- the results link to questions and orphans through the survey data's urls and anchors ----
        c.goto(&file_url("survey/results/index.html")).await?;
        let links = js(&c, "const D = window.refbook$data.survey; const q = D.areas[0].objectives[0].practices[0];
            const a = document.querySelector(`#results a[href$=\"#${q.anchor}\"]`);
            return [D.urls.survey, D.urls.orphans, !!a && a.textContent === q.id, !!a && a.getAttribute('href').endsWith(D.urls.survey + '#' + q.anchor)]").await?;
        assert_eq!((&links[2], &links[3]), (&json!(true), &json!(true)), "{links}");
        let orphan_link = js(&c, "return [...document.querySelectorAll('#results a')].map(a => a.getAttribute('href'))").await?;
        assert!(orphan_link.as_array().unwrap().iter().all(|h| !h.as_str().unwrap().contains("#q-") || h.as_str().unwrap().contains(links[0].as_str().unwrap())), "{orphan_link}");
        // ---- the scale in view: each question, the worksheets, the results ----
        c.goto(&file_url("survey/index.html")).await?;
        let scale = js(&c, "return window.refbook$data.survey.scale.map(s => [s.label, s.description])").await?;
        let scale: Vec<(String, String)> = serde_json::from_value(scale)?;
        assert!(scale.len() >= 3 && scale.iter().all(|(_, d)| !d.is_empty()), "{scale:?}");
        let help = js(&c, "const d = document.querySelector('fieldset[data-question=\"EF-1.1\"] details.scale-help');
            return [d.open, d.textContent, document.querySelectorAll('fieldset[data-question] details.scale-help').length === document.querySelectorAll('fieldset[data-question]').length]").await?;
        assert_eq!((&help[0], &help[2]), (&json!(false), &json!(true)), "compact: closed, on every question");
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        for (label, desc) in &scale {
            let t = norm(help[1].as_str().unwrap());
            assert!(t.contains(label.as_str()) && t.contains(&norm(desc)), "{label} in {t}");
        }
        for (page, css) in [("worksheets/ef/index.html", "[data-worksheet] .ws-legend"), ("survey/results/index.html", ".scale-explained")] {
            c.goto(&file_url(page)).await?;
            let t = norm(&text(&c, css).await?);
            for (label, desc) in &scale {
                assert!(t.contains(label.as_str()) && t.contains(&norm(desc)), "{label} on {page}: {t}");
            }
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn survey_saves_scores_exports_and_imports() {
    with_browser("survey", |c, scratch| async move {
        // ---- area page: answer, note, reload ----
        c.goto(&file_url("areas/ef/index.html")).await?;
        let key = js(&c, "return window.refbookSurvey && window.refbookSurvey.key").await?;
        assert_eq!(key, json!("refbook:cert-ref:answers"));
        assert_eq!(js(&c, "return localStorage.getItem('refbook:cert-ref:answers')").await?, Value::Null);
        assert_eq!(obj_state(&c, "EF-1").await?, "unanswered");
        assert_eq!(level(&c, "EF").await?, "", "nothing answered: no level, never level 0");
        assert_eq!(status(&c, "EF").await?, "not-assessed");
        assert!(text(&c, "strong[data-area=\"EF\"]").await?.contains("not assessed"));

        // one real click through WebDriver, the rest from script
        let radio = c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"3\"]")).await?;
        c.execute("arguments[0].scrollIntoView({block:'center'})", vec![serde_json::to_value(&radio)?]).await?;
        radio.click().await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "partial", "one of several practices performed");
        let ta = c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] textarea")).await?;
        ta.send_keys("Board minutes, 2024; \"strategy\", v2").await?;
        c.refresh().await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"3\"]")).await?.is_selected().await?,
            "answer survives reload");
        let note = c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] textarea")).await?.prop("value").await?;
        assert_eq!(note.as_deref(), Some("Board minutes, 2024; \"strategy\", v2"), "note survives reload");
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");

        // ---- scoring ----
        let practices = question_ids(&c, "fieldset[data-question^=\"EF-\"]").await?;
        assert!(practices.len() >= 8, "{practices:?}");
        let all3: Vec<(&str, &str)> = practices.iter().map(|p| (p.as_str(), "3")).collect();
        answer(&c, &all3).await?;
        for o in ["EF-1", "EF-2", "EF-3", "EF-4"] {
            assert_eq!(obj_state(&c, o).await?, "achieved", "{o}");
        }
        assert_eq!(level(&c, "EF").await?, "1", "all EF practices performed -> level 1");
        assert_eq!(attr(&c, "[data-goal=\"EF:GG2\"]", "data-state").await?, "unanswered");
        let gg2 = question_ids(&c, "fieldset[data-question^=\"EF:GG2.\"]").await?;
        let gg3 = question_ids(&c, "fieldset[data-question^=\"EF:GG3.\"]").await?;
        assert!(!gg2.is_empty() && !gg3.is_empty());
        let (first, rest) = gg2.split_first().unwrap();
        answer(&c, &[(first.as_str(), "1")]).await?;
        let rest2: Vec<(&str, &str)> = rest.iter().map(|p| (p.as_str(), "2")).collect();
        answer(&c, &rest2).await?;
        assert_eq!(attr(&c, "[data-goal=\"EF:GG2\"]", "data-state").await?, "partial");
        assert_eq!(level(&c, "EF").await?, "1", "one GG2 practice below performed_at");
        answer(&c, &[(first.as_str(), "2")]).await?;
        assert_eq!(attr(&c, "[data-goal=\"EF:GG2\"]", "data-state").await?, "achieved");
        assert_eq!(level(&c, "EF").await?, "2");
        let g3: Vec<(&str, &str)> = gg3.iter().map(|p| (p.as_str(), "2")).collect();
        answer(&c, &g3).await?;
        assert_eq!(level(&c, "EF").await?, "3");
        assert!(text(&c, "strong[data-area=\"EF\"]").await?.contains("Defined"));
        // a failing lower level stops the climb, whatever is above
        answer(&c, &[("EF-1.1", "1")]).await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");
        assert_eq!(level(&c, "EF").await?, "0", "GG1 fails -> level 0 although GG2, GG3 hold");
        // N/A without a reason counts as unanswered; with reasons an objective answered
        // entirely "na" is not applicable and leaves GG1; one answered all 0 is not-achieved
        let ef2 = question_ids(&c, "fieldset[data-question^=\"EF-2.\"]").await?;
        answer(&c, &ef2.iter().map(|p| (p.as_str(), "na")).collect::<Vec<_>>()).await?;
        assert_eq!(obj_state(&c, "EF-2").await?, "unanswered", "N/A without a reason");
        give_reasons(&c, &ef2, "No such function in this unit.").await?;
        assert_eq!(obj_state(&c, "EF-2").await?, "not-applicable");
        let ef3 = question_ids(&c, "fieldset[data-question^=\"EF-3.\"]").await?;
        answer(&c, &ef3.iter().map(|p| (p.as_str(), "0")).collect::<Vec<_>>()).await?;
        assert_eq!(obj_state(&c, "EF-3").await?, "not-achieved");
        answer(&c, &ef3.iter().map(|p| (p.as_str(), "3")).collect::<Vec<_>>()).await?;
        answer(&c, &[("EF-1.1", "3")]).await?;
        assert_eq!(level(&c, "EF").await?, "3");
        same_scores_as_rust(&c).await?;

        // ---- survives a rebuild of the site; an id the model lost is kept as orphan ----
        build_site(&site());
        c.execute("const k = 'refbook:cert-ref:answers'; const s = JSON.parse(localStorage.getItem(k));
                   s.answers['EF-9.9'] = {value: 2, note: 'from an older model'};
                   localStorage.setItem(k, JSON.stringify(s));", vec![]).await?;
        c.goto(&file_url("survey/index.html")).await?;
        assert_eq!(level(&c, "EF").await?, "3", "after rebuild and on the survey page");
        assert_eq!(level(&c, "SOM").await?, "");
        assert_eq!(status(&c, "SOM").await?, "not-assessable");
        assert_eq!(status(&c, "COMM").await?, "not-assessed");
        assert!(text(&c, "strong[data-area=\"SOM\"]").await?.contains("not assessable"), "area without objectives");
        assert!(c.find(Locator::Css("#orphans")).await?.attr("hidden").await?.is_none(), "orphans shown");
        assert!(text(&c, "#orphans").await?.contains("EF-9.9"));
        assert!(text(&c, "#survey-progress").await?.contains("questions answered"));
        assert!(text(&c, "[data-progress=\"EF\"]").await?.contains('/'));
        let org = c.find(Locator::Css("[data-respondent=\"organization\"]")).await?;
        org.send_keys("Acme, \"Ops\" & Co").await?;
        c.refresh().await?;
        assert_eq!(c.find(Locator::Css("[data-respondent=\"organization\"]")).await?.prop("value").await?.as_deref(),
            Some("Acme, \"Ops\" & Co"));
        assert!(text(&c, "#orphans").await?.contains("EF-9.9"), "orphan kept after reload");

        // ---- next unanswered ----
        let next = js(&c, "return window.refbookSurvey.nextUnanswered()").await?;
        assert_eq!(next, json!("COMM-1.1"));
        let focused = js(&c, "return document.activeElement.closest('fieldset').dataset.question").await?;
        assert_eq!(focused, json!("COMM-1.1"));

        // ---- export JSON and CSV ----
        let exported: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(exported["format"], "refbook-survey");
        assert_eq!(exported["version"], 2);
        assert_eq!(exported["model"], "cert-ref");
        assert_eq!(exported["model_version"], "2007");
        assert_eq!(exported["answers"]["EF-1.1"], json!({"value": 3, "note": "Board minutes, 2024; \"strategy\", v2"}));
        assert_eq!(exported["answers"][first.as_str()], json!({"value": 2}));
        assert_eq!(exported["answers"][ef2[0].as_str()], json!({"value": "na", "reason": "No such function in this unit."}));
        assert!(exported.get("areas_in_scope").is_none(), "every area in scope");
        assert_eq!(exported["answers"]["EF-9.9"]["value"], 2, "orphans are exported too");
        assert_eq!(exported["respondent"]["organization"], "Acme, \"Ops\" & Co");
        let csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        let csv = csv.as_str().unwrap();
        assert!(csv.starts_with("area,id,title,answer,label,note,reason,in_scope,respondent_organization,respondent_scope,respondent_assessor,respondent_date\r\n"), "{}", &csv[..80]);
        assert!(csv.contains("\r\nEF,EF-1.1,Establish Strategic Objectives,3,Fully performed,\"Board minutes, 2024; \"\"strategy\"\", v2\",,yes,\"Acme, \"\"Ops\"\" & Co\",,,\r\n"), "RFC 4180 quoting, respondent on every row");
        assert!(csv.contains(",na,Not applicable,,No such function in this unit.,yes,"), "N/A reasons in the CSV");
        assert!(csv.contains(&format!("\r\nEF,{first},")), "generic practices listed");
        // the buttons download through a Blob link (works from file://)
        click(&c, "button[data-action=\"export-json\"]").await?;
        click(&c, "button[data-action=\"export-csv\"]").await?;
        let dl = scratch.join("downloads");
        let mut names = Vec::new();
        for _ in 0..50 {
            names = std::fs::read_dir(&dl)?.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect::<Vec<_>>();
            if names.iter().filter(|n| n.ends_with(".json") || n.ends_with(".csv")).count() == 2 { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let json_file = names.iter().find(|n| n.ends_with(".json")).unwrap_or_else(|| panic!("no JSON download: {names:?}"));
        assert!(json_file.starts_with("cert-ref-survey-acme-ops-co-"), "{json_file}");
        let downloaded: Value = serde_json::from_slice(&std::fs::read(dl.join(json_file))?)?;
        assert_eq!(downloaded, exported);
        assert!(names.iter().any(|n| n.ends_with(".csv")), "{names:?}");

        // ---- import: refusals leave everything as it was ----
        let before = js(&c, "return window.refbookSurvey.answers()").await?;
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; };", vec![]).await?;
        let refusals = [
            ("not json {", "not JSON"),
            (r#"{"format":"something-else","version":1,"model":"cert-ref","answers":{}}"#, "not a refbook survey file"),
            (r#"{"format":"refbook-survey","version":3,"model":"cert-ref","answers":{}}"#, "version 3"),
            (r#"{"format":"refbook-survey","version":1,"model":"cmmi-dev","answers":{"EF-1.1":{"value":0}}}"#, "cmmi-dev"),
        ];
        for (file, expect) in refusals {
            let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(file)]).await?;
            assert_eq!(r["ok"], false, "{file}");
            assert!(r["errors"].to_string().contains(expect), "{file}: {r}");
            assert!(text(&c, "#survey-messages").await?.contains(expect.trim_matches('"')), "message shown for {file}");
        }
        assert!(text(&c, "#survey-messages").await?.contains("another model") || text(&c, "#survey-messages").await?.contains("cannot be imported"));
        assert_eq!(js(&c, "return window.refbookSurvey.answers()").await?, before, "refused imports change nothing");
        assert_eq!(js(&c, "return window.__asked || 0").await?, json!(0), "refusals ask nothing");

        // ---- import: declined confirmation changes nothing ----
        let good = json!({"format": "refbook-survey", "version": 1, "model": "cert-ref", "model_version": "2007",
            "respondent": {"organization": "<b>Imported</b> Org", "assessor": "Q"},
            "answers": {
                "EF-1.1": {"value": 2, "note": "<script>alert(1)</script>"},
                "EF-1.2": {"value": 7},
                "EF-1.3": {"value": "2"},
                "COMM-1.1": {"value": 1, "note": "<img src=x onerror=alert(2)>"},
                "ZZ-1.1": {"value": 3, "note": "<script>alert(3)</script>"},
                "EF:GG2.GP1": {"value": "na"}
            }}).to_string();
        c.execute("window.confirm = () => false;", vec![]).await?;
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(good)]).await?;
        assert_eq!(r["ok"], false);
        assert_eq!(js(&c, "return window.refbookSurvey.answers()").await?, before, "declined import changes nothing");

        // ---- import through the file input, confirmed ----
        let path = scratch.join("assessment.json");
        std::fs::write(&path, &good)?;
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; };", vec![]).await?;
        let input = c.find(Locator::Css("input[type=file][data-action=\"import\"]")).await?;
        input.send_keys(path.to_str().unwrap()).await?;
        let mut got = Value::Null;
        for _ in 0..50 {
            got = js(&c, "return window.refbookSurvey.answers()").await?;
            if got.get("ZZ-1.1").is_some() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(js(&c, "return window.__asked || 0").await?, json!(1), "asked before overwriting");
        assert_eq!(got["EF-1.1"], json!({"value": 2, "note": "<script>alert(1)</script>"}));
        assert!(got["EF-1.2"].get("value").is_none(), "out-of-scale value left out: {got}");
        assert!(got["EF-1.3"].get("value").is_none(), "a string is not a scale value: {got}");
        assert_eq!(got["ZZ-1.1"]["value"], 3, "unknown id kept");
        assert!(got.get("EF-9.9").is_none(), "import replaces the previous answers");
        let msgs = text(&c, "#survey-messages").await?;
        assert!(msgs.contains("Imported") && msgs.contains("EF-1.2") && msgs.contains("not on the scale") && msgs.contains("ZZ-1.1"), "{msgs}");
        no_alert(&c, "after import").await;
        let ta = c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] textarea")).await?.prop("value").await?;
        assert_eq!(ta.as_deref(), Some("<script>alert(1)</script>"), "note shown as text");
        assert!(text(&c, "#orphans").await?.contains("<script>alert(3)</script>"), "orphan note shown as text");
        let injected = js(&c, "return document.querySelectorAll('main script, main img, #orphans b, #survey-messages script').length").await?;
        assert_eq!(injected, json!(0), "imported text created no elements");
        assert_eq!(js(&c, "return document.querySelector('[data-respondent=organization]').value").await?, json!("<b>Imported</b> Org"));
        assert_eq!(level(&c, "EF").await?, "0", "level 0 where the answers show it");
        assert_eq!(status(&c, "EF").await?, "assessed");

        // ---- results page: charts, heat map, gap list ----
        let all: Vec<(String, String)> = {
            let ids = question_ids(&c, "fieldset[data-question^=\"EF\"]").await?;
            ids.into_iter().map(|i| (i, "3".to_string())).collect()
        };
        answer(&c, &all.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect::<Vec<_>>()).await?;
        c.goto(&file_url("survey/results/index.html")).await?;
        no_alert(&c, "on the results page").await;
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"EF\"]", "data-level").await?, "3");
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"COMM\"]", "data-level").await?, "0");
        // areas nobody answered are not assessed, never level 0, and counted apart from levels
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"RISK\"]", "data-level").await?, "");
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"RISK\"]", "data-status").await?, "not-assessed");
        assert!(text(&c, "#results svg.level-chart g[data-area=\"RISK\"]").await?.contains("not assessed"));
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"SOM\"]", "data-status").await?, "not-assessable");
        assert_eq!(attr(&c, "#results td.lvl[data-area=\"RISK\"]", "data-status").await?, "not-assessed");
        let counts = js(&c, "const s = window.refbookSurvey.score(); const n = st => Object.values(s).filter(a => a.status === st).length;
            const cell = st => +document.querySelector(`#results table.distribution tfoot td[data-count-status=\"${st}\"]`).textContent;
            const l0 = +document.querySelector('#results table.distribution tfoot td.n').textContent;
            return [cell('not-assessed') === n('not-assessed'), n('not-assessed') > 15, cell('not-assessable'), l0];").await?;
        assert_eq!(counts, json!([true, true, 2, 1]), "COMM at level 0; the rest apart from levels");
        assert!(text(&c, "#results .results-na").await?.contains("No practice is answered N/A"));
        let svg_text = js(&c, "const s = document.querySelector('#results svg'); return [s.querySelector('title').textContent, s.querySelectorAll('text').length, s.querySelectorAll('rect').length]").await?;
        assert_eq!(svg_text[0], "Capability level by area");
        assert!(svg_text[1].as_u64().unwrap() > 24 && svg_text[2] == json!(2), "a bar for each assessed area (EF, COMM) only: {svg_text}");
        let hm = text(&c, "#results table.heatmap").await?;
        assert!(hm.contains("EF-1") && hm.contains("COMM-1"), "heat map lists objectives");
        assert_eq!(js(&c, "return document.querySelectorAll('#results .heatmap td.hm-achieved').length >= 4").await?, json!(true));
        let dist = text(&c, "#results table.distribution").await?;
        assert!(dist.contains("Whole model") && dist.contains("Enterprise Management"), "{dist}");
        let gaps = text(&c, "#results .gaps [data-gap-area=\"COMM\"]").await?;
        assert!(gaps.contains("COMM-1.1") && gaps.contains("unanswered"), "{gaps}");
        let gaps_ef = text(&c, "#results .gaps [data-gap-area=\"EF\"]").await?;
        assert!(gaps_ef.contains("No gaps"), "{gaps_ef}");
        assert!(text(&c, "#results").await?.contains("Acme") || text(&c, "#results").await?.contains("Imported"), "respondent shown");
        // the results list every N/A with its reason, and the answers that do not count
        js_with(&c, "const k = 'refbook:cert-ref:answers'; const s = JSON.parse(localStorage.getItem(k));
            s.answers[arguments[0]] = {value: 'na', reason: '<b>Outsourced</b> to the parent'};
            s.answers[arguments[1]] = {value: 'na'};
            localStorage.setItem(k, JSON.stringify(s));", vec![json!(ef2[0]), json!(first)]).await?;
        c.refresh().await?;
        let na = text(&c, &format!("#results .na-list li[data-na=\"{}\"]", ef2[0])).await?;
        assert!(na.contains("<b>Outsourced</b> to the parent"), "{na}");
        let flagged = text(&c, &format!("#results .flagged-list li[data-flagged=\"{first}\"]")).await?;
        assert!(flagged.contains("generic practice"), "{flagged}");
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"EF\"]", "data-level").await?, "1", "GG2 not achieved");

        // ---- side-by-side comparison with the earlier export (read only) ----
        let before_answers = js(&c, "return window.refbookSurvey.answers()").await?;
        let cmp = js_with(&c, "return window.refbookSurvey.compareJSON(arguments[0], 'earlier.json')", vec![json!(exported.to_string())]).await?;
        assert_eq!(cmp["ok"], true, "{cmp}");
        let row = text(&c, "#results table.comparison tr[data-compare-area=\"EF\"]").await?;
        assert!(row.contains("Enterprise Focus"), "{row}");
        assert_eq!(js(&c, "return window.refbookSurvey.answers()").await?, before_answers, "comparing imports nothing");
        let bad = js_with(&c, "return window.refbookSurvey.compareJSON(arguments[0], 'x.json')", vec![json!("{\"format\":\"refbook-survey\",\"version\":1,\"model\":\"other\",\"answers\":{}}")]).await?;
        assert_eq!(bad["ok"], false);

        // ---- clearing asks first ----
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => false;", vec![]).await?;
        click(&c, "button[data-action=\"clear\"]").await?;
        assert_ne!(js(&c, "return Object.keys(window.refbookSurvey.answers()).length").await?, json!(0), "declined: kept");
        c.execute("window.confirm = () => true;", vec![]).await?;
        click(&c, "button[data-action=\"clear\"]").await?;
        assert_eq!(js(&c, "return Object.keys(window.refbookSurvey.answers()).length").await?, json!(0));
        c.refresh().await?;
        assert_eq!(js(&c, "return Object.keys(window.refbookSurvey.answers()).length").await?, json!(0), "cleared for good");
        assert_eq!(obj_state(&c, "EF-1").await?, "unanswered");
        Ok(())
    })
    .await;
}

fn pdf_pages(pdf: &[u8]) -> usize {
    // pdfinfo (poppler, installed with the browser) reads any PDF; counting
    // uncompressed page objects is the fallback where it is missing.
    let out = Path::new(TMP).join(format!(
        "pages-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&out, pdf).is_ok()
        && let Ok(o) = Command::new("pdfinfo").arg(&out).output()
    {
        let _ = std::fs::remove_file(&out);
        let info = String::from_utf8_lossy(&o.stdout);
        if let Some(n) = info.lines().find_map(|l| l.strip_prefix("Pages:")) {
            return n.trim().parse().unwrap_or(0);
        }
    }
    let _ = std::fs::remove_file(&out);
    let s = String::from_utf8_lossy(pdf);
    s.matches("/Type /Page")
        .count()
        .saturating_sub(s.matches("/Type /Pages").count())
}
fn pdf_text(pdf: &[u8], name: &str) -> Option<String> {
    let out = Path::new(TMP).join(format!("{name}-{}.pdf", std::process::id()));
    std::fs::write(&out, pdf).ok()?;
    let o = Command::new("pdftotext").arg(&out).arg("-").output();
    if std::env::var_os("REFBOOK_KEEP_PDF").is_none() {
        let _ = std::fs::remove_file(&out); // REFBOOK_KEEP_PDF=1 keeps them to look at
    }
    Some(String::from_utf8_lossy(&o.ok()?.stdout).into_owned())
}

#[tokio::test]
async fn print_http_and_accessibility() {
    let axe = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    }
    with_browser("print", |c, _| async move {
        // ---- over http: the same storage behaviour ----
        let base = serve_site();
        c.goto(&format!("{base}/areas/ef/index.html")).await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "unanswered");
        answer(&c, &[("EF-1.1", "2")]).await?;
        c.refresh().await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"2\"]")).await?.is_selected().await?);
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");

        // ---- worksheets print: several pages, practice titles, boxes ----
        c.goto(&file_url("worksheets/index.html")).await?;
        let sheets = js(&c, "return [document.querySelectorAll('[data-worksheet]').length,
                                     document.querySelectorAll('.worksheet-list li').length, location.href]").await?;
        assert!(sheets[0].as_u64() >= Some(24) && sheets[0] == sheets[1], "a worksheet per area listed: {sheets}");
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        assert!(pdf.starts_with(b"%PDF"));
        let pages = pdf_pages(&pdf);
        assert!(pages > 24, "one worksheet or more per area: {pages} pages ({sheets})");
        if let Some(t) = pdf_text(&pdf, "worksheets") {
            assert!(t.contains("Establish Strategic Objectives"), "practice title printed");
            assert!(!t.contains("Print all worksheets"), "buttons are not printed");
        }
        c.goto(&file_url("worksheets/ef/index.html")).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        assert!(pdf_pages(&pdf) > 1, "EF worksheet");
        if let Some(t) = pdf_text(&pdf, "worksheet-ef") {
            assert!(t.contains("Establish Strategic Objectives") && t.contains("Notes and evidence"), "{t}");
        }

        // ---- the survey prints as a filled worksheet ----
        c.goto(&file_url("survey/index.html")).await?;
        answer(&c, &[("EF-1.1", "2")]).await?;
        c.execute("const t = document.querySelector('fieldset[data-question=\"EF-1.1\"] textarea');
                   t.value = 'Evidence: minutes of the board, a long note that must print in full';
                   t.dispatchEvent(new Event('input', {bubbles: true}));", vec![]).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        if let Some(t) = pdf_text(&pdf, "survey") {
            assert!(t.contains("must print in full"), "notes print as text");
            assert!(!t.contains("Next unanswered question") && !t.contains("Export JSON"), "toolbar not printed");
        }

        // ---- results print with the chart (a mixed assessment first) ----
        c.execute(
            "const vals = ['3', '2', '1', 'na', '0'];
             document.querySelectorAll('fieldset[data-question]').forEach((f, i) => {
               const a = f.dataset.question.split(/[-:]/)[0];
               const v = a === 'EF' ? '3' : a === 'RISK' ? '0' : a === 'COMM' || a === 'ADM' ? vals[i % 5] : a === 'CM' ? '2' : null;
               const r = v && f.querySelector(`input[value=\"${v}\"]`);
               if (r) r.click(); // generic practices offer no N/A
             });",
            vec![],
        )
        .await?;
        c.goto(&file_url("survey/results/index.html")).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        if let Some(t) = pdf_text(&pdf, "results") {
            assert!(t.contains("Capability level by area") && t.contains("Whole model"), "results print");
        }

        // ---- axe-core: no violations ----
        let Some(axe) = axe else { return Ok(()) };
        for page in ["areas/ef/index.html", "survey/index.html", "survey/results/index.html", "worksheets/ef/index.html"] {
            c.goto(&file_url(page)).await?;
            c.execute(&axe, vec![]).await?; // defines window.axe
            let v = c.execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, {resultTypes: ['violations']})
                    .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))),
                          e => done(['axe error: ' + e]));",
                vec![],
            ).await?;
            assert_eq!(v, json!([]), "axe violations on {page}");
        }
        Ok(())
    })
    .await;
}

/// Every global name the theme's scripts read or write, and the namespace the
/// data scripts fill. Content with `allow-html` may give an element any of
/// these as its id, and the window then shows that element under the name.
const SCRIPT_GLOBALS: &[&str] = &[
    "REFBOOK_SURVEY",
    "REFBOOK_NAV",
    "REFBOOK_SEARCH",
    "refbook$data",
    "refbookSurvey",
    "refbookSearch",
];

/// Members of `document` the scripts use. A document shows an `<img>`,
/// `<form>`, `<embed>` or `<object>` by its name even over its own members,
/// which only the sanitizer stops (it keeps no `name` attribute): the test
/// checks it goes on doing so.
const DOCUMENT_MEMBERS: &[&str] = &[
    "querySelector",
    "querySelectorAll",
    "getElementById",
    "createElement",
    "createElementNS",
    "createTextNode",
    "documentElement",
    "body",
    "head",
    "readyState",
    "activeElement",
    "adoptedStyleSheets",
    "addEventListener",
];

/// Builds into `out` a copy of the shipped book with `edits` made, each a
/// file of the book, a text found in it and what replaces its first match.
fn build_edited_book(out: &Path, name: &str, edits: &[(&str, &str, String)]) {
    let book = Path::new(TMP).join(format!("{name}-book-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&book);
    crate::common::copy_dir(&Path::new(ROOT).join("content"), &book.join("content"));
    std::fs::copy(Path::new(ROOT).join("book.toml"), book.join("book.toml")).unwrap();
    for (file, from, to) in edits {
        let p = book.join(file);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{file} has no {from:?}");
        std::fs::write(&p, text.replacen(from, to, 1)).unwrap();
    }
    let o = crate::common::refbook(&["build", book.to_str().unwrap(), "-d", out.to_str().unwrap()]);
    assert!(o.status.success(), "refbook build failed: {o:?}");
    let _ = std::fs::remove_dir_all(&book);
}

/// The shipped book with `allow-html = true`, whose notice (on every page)
/// and one practice statement hold elements named like the scripts' globals.
fn build_clobbered_site(out: &Path) {
    let ids: String = SCRIPT_GLOBALS
        .iter()
        .map(|g| format!("<a id=\"{g}\"></a><a name=\"{g}\"></a>"))
        .chain(
            DOCUMENT_MEMBERS
                .iter()
                .map(|m| format!("<img name=\"{m}\" alt=\"\">")),
        )
        .collect();
    let statement = "Strategic objectives that support drivers";
    build_edited_book(
        out,
        "clobber",
        &[
            (
                "book.toml",
                "[build]\n",
                "[build]\nallow-html = true\n".into(),
            ),
            (
                "content/model.yaml",
                "notice: |-\n",
                format!("notice: |-\n  {ids}\n\n"),
            ),
            (
                "content/areas/EF.md",
                statement,
                format!("<span id=\"REFBOOK_SURVEY\">see</span> {statement}"),
            ),
        ],
    );
}

#[tokio::test]
async fn scripts_ignore_elements_named_like_their_globals() {
    with_browser("clobber", |c, _| async move {
        build_clobbered_site(&site());
        let globals = json!(SCRIPT_GLOBALS);
        // The content's elements are on the page and shadow the names that no
        // script assigns (otherwise this test would prove nothing).
        for page in ["index.html", "worksheets/ef/index.html", "worksheets/index.html", "survey/index.html", "areas/ef/index.html"] {
            c.goto(&file_url(page)).await?;
            let named = js_with(&c, "return arguments[0].filter(m => Object.prototype.hasOwnProperty.call(document, m) ||
                document[m] instanceof HTMLImageElement || document[m] instanceof HTMLCollection)", vec![json!(DOCUMENT_MEMBERS)]).await?;
            assert_eq!(named, json!([]), "the document's own members stay its own on {page}");
            let present = js_with(&c, "return arguments[0].filter(g => !document.getElementById(g))", vec![globals.clone()]).await?;
            assert_eq!(present, json!([]), "elements named like the globals on {page}");
            let images = js(&c, "return document.querySelectorAll('footer img').length").await?;
            assert_eq!(images, json!(DOCUMENT_MEMBERS.len()), "images in the notice on {page}");
            if !page.starts_with("survey/") && !page.starts_with("areas/") {
                // No survey data on these pages: nothing but the content sets the name.
                let shadowed = js(&c, "return window.REFBOOK_SURVEY instanceof Element || window.REFBOOK_SURVEY instanceof HTMLCollection").await?;
                assert_eq!(shadowed, json!(true), "content shadows window.REFBOOK_SURVEY on {page}");
            }
            // The sidebar is drawn from nav.js.
            let nav = js(&c, "return document.querySelectorAll('#sidebar a[href$=\"areas/ef/index.html\"]').length").await?;
            assert_eq!(nav, json!(1), "sidebar on {page}");
        }

        // ---- worksheets: blank forms, prepared for print ----
        for page in ["worksheets/ef/index.html", "worksheets/index.html"] {
            c.goto(&file_url(page)).await?;
            let named = js(&c, "return [...document.querySelectorAll('[data-worksheet]')].every(w => /^refbook-area-\\d+$/.test(w.getAttribute('data-page-name') || ''))").await?;
            assert_eq!(named, json!(true), "survey-print.js named each worksheet's print page on {page}");
            assert_eq!(js(&c, "return document.querySelectorAll('[data-worksheet] input:checked').length").await?, json!(0));
        }

        // ---- the survey on an area page and on the whole-model page ----
        c.goto(&file_url("areas/ef/index.html")).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.key").await?, json!("refbook:cert-ref:answers"));
        answer(&c, &[("EF-1.1", "3")]).await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");
        c.goto(&file_url("survey/index.html")).await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"3\"]")).await?.is_selected().await?);
        assert!(text(&c, "#survey-progress").await?.starts_with("1 of "), "progress counted");
        c.goto(&file_url("survey/results/index.html")).await?;
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"EF\"]", "data-level").await?, "0");

        // ---- search, through the page's box and the script's entry point ----
        c.goto(&file_url("index.html")).await?;
        let input = c.find(Locator::Css("#search-input")).await?;
        input.send_keys("EF-1.1").await?;
        let mut first = String::new();
        for _ in 0..50 {
            first = js(&c, "const a = document.querySelector('#search-results a .id'); return a ? a.textContent : ''").await?
                .as_str().unwrap_or_default().to_string();
            if !first.is_empty() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(first, "EF-1.1", "search box finds the practice");
        let found = c.execute_async("const done = arguments[arguments.length - 1];
            window.refbookSearch('risk', r => done(r.length))", vec![]).await?;
        assert!(found.as_u64().unwrap_or(0) > 0, "search by words: {found}");
        Ok(())
    })
    .await;
}

/// The cells of an RFC 4180 text (quoted fields, doubled quotes, CRLF rows).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => cell.push(ch),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => cell.push(ch),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "CSV ends with CRLF"
    );
    rows
}

/// Saves `answers` (JSON text, so that `__proto__` stays a plain key) as the
/// survey of `model` in this browser, with `respondent`.
async fn save_raw(c: &Client, model: &str, answers: &str, respondent: Value) -> R {
    js_with(
        c,
        "localStorage.setItem('refbook:' + arguments[0] + ':answers',
           '{\"format\":\"refbook-survey\",\"version\":1,\"model\":' + JSON.stringify(arguments[0]) +
           ',\"respondent\":' + JSON.stringify(arguments[2]) + ',\"answers\":' + arguments[1] + '}')",
        vec![json!(model), json!(answers), respondent],
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn survey_answers_stay_data() {
    with_browser("data", |c, _| async move {
        // A practice title a spreadsheet would take for a formula.
        build_edited_book(
            &site(),
            "data",
            &[(
                "content/areas/EF.md",
                "title: Establish Critical Success Factors",
                "title: \"@SUM(1+1) Establish Critical Success Factors\"".into(),
            )],
        );

        // ---- CSV: no cell from the user or the content starts a formula ----
        c.goto(&file_url("survey/index.html")).await?;
        save_raw(
            &c,
            "cert-ref",
            r#"{
            "EF-1.1": {"value": 3, "note": "=HYPERLINK(\"http://evil.example/\",\"click\")"},
            "EF-1.2": {"value": 2, "note": "@SUM(A1)"},
            "EF-1.3": {"note": "\t=1+1"},
            "EF-2.1": {"value": 0, "note": "\r=1+1"},
            "EF-2.2": {"value": "na", "note": "+1+1"},
            "=cmd|' /C calc'!A0": {"value": "=1+1", "note": "-2+3"},
            "-EF-9": {"value": 1}
        }"#,
            json!({"organization": "=Org"}),
        )
        .await?;
        c.refresh().await?;
        let csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        let csv = csv.as_str().unwrap();
        let rows = csv_rows(csv);
        assert_eq!(rows[0][..8], ["area", "id", "title", "answer", "label", "note", "reason", "in_scope"]);
        for r in &rows {
            assert_eq!(r.len(), 12, "{r:?}");
            for (i, cell) in r.iter().enumerate() {
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                assert!(
                    !formula || (i == 3 && cell.parse::<f64>().is_ok()),
                    "cell {i} of {r:?} starts a formula"
                );
            }
        }
        let row = |id: &str| {
            rows.iter()
                .find(|r| r[1] == id || r[1] == format!("'{id}"))
                .cloned()
                .unwrap_or_else(|| panic!("no row {id} in {csv}"))
        };
        assert_eq!(
            row("EF-1.1")[5],
            "'=HYPERLINK(\"http://evil.example/\",\"click\")"
        );
        assert_eq!(row("EF-1.1")[3], "3", "numbers stay numbers");
        assert_eq!(
            row("EF-1.2")[2],
            "'@SUM(1+1) Establish Critical Success Factors",
            "titles come from content"
        );
        assert_eq!(row("EF-1.2")[5], "'@SUM(A1)");
        assert_eq!(row("EF-1.3")[5], "'\t=1+1");
        assert_eq!(row("EF-2.1")[5], "'\r=1+1");
        assert_eq!(row("EF-2.2")[5], "'+1+1");
        assert_eq!(row("EF-2.2")[3], "na");
        assert_eq!(
            row("=cmd|' /C calc'!A0"),
            [
                "",
                "'=cmd|' /C calc'!A0",
                "(not in this model)",
                "'=1+1",
                "not on the scale",
                "'-2+3",
                "",
                "",
                "'=Org",
                "",
                "",
                ""
            ]
        );
        assert_eq!(row("-EF-9")[1], "'-EF-9", "ids from storage too");
        assert!(
            csv.contains(
                ",EF-2.1,Establish Strategic Resiliency Plan,0,Not performed,\"'\r=1+1\",,yes,'=Org,,,\r\n"
            ),
            "a CR is quoted: {csv}"
        );

        // ---- ids named like Object's own properties are plain keys ----
        let odd = ["__proto__", "constructor", "prototype", "hasOwnProperty", "toString", "valueOf"];
        save_raw(&c, "cert-ref", r#"{
            "__proto__": {"value": 2, "note": "proto note"},
            "constructor": {"value": 1},
            "prototype": {"note": "p"},
            "hasOwnProperty": {"value": 3},
            "toString": {"value": 0},
            "valueOf": {"value": "na", "note": "v"},
            "EF-1.1": {"value": 3}
        }"#, json!({})).await?;
        c.refresh().await?;
        let unpolluted = "return [({}).value, ({}).note, 'value' in Object.prototype, typeof ({}).toString, typeof ({}).hasOwnProperty]";
        let clean = json!([null, null, false, "function", "function"]);
        assert_eq!(js(&c, unpolluted).await?, clean, "loaded from storage");
        let answers = |v: Value| -> R<Value> { Ok(serde_json::from_str(v.as_str().unwrap_or("null"))?) };
        let got = answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?;
        for id in odd {
            assert!(got.get(id).is_some(), "{id} loaded: {got}");
        }
        assert_eq!(got["__proto__"], json!({"value": 2, "note": "proto note"}));
        let orphans = js(&c, "return window.refbookSurvey.orphans()").await?;
        for id in odd {
            assert!(orphans.as_array().unwrap().contains(&json!(id)), "{id} listed as orphan: {orphans}");
        }
        assert!(text(&c, "#orphans").await?.contains("proto note"));
        // exported, in JSON and CSV
        let exported = js(&c, "return window.refbookSurvey.exportJSON()").await?;
        let file: Value = serde_json::from_str(exported.as_str().unwrap())?;
        for id in odd {
            assert_eq!(file["answers"][id], got[id], "{id} exported");
        }
        let csv = js(&c, "return window.refbookSurvey.exportCSV()").await?;
        assert!(csv.as_str().unwrap().contains("\r\n,__proto__,(not in this model),2,Largely performed,proto note,,,"), "{csv}");
        // saved again after a change
        answer(&c, &[("EF-1.2", "1")]).await?;
        let saved = answers(js(&c, "return localStorage.getItem('refbook:cert-ref:answers')").await?)?;
        assert_eq!(saved["answers"]["__proto__"], got["__proto__"], "saved: {saved}");
        assert_eq!(saved["answers"]["EF-1.2"], json!({"value": 1}));
        // imported: the export back, over cleared answers (a round trip)
        c.execute("window.confirm = () => true;", vec![]).await?;
        click(&c, "button[data-action=\"clear\"]").await?;
        let rep = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![exported.clone()]).await?;
        assert_eq!(rep["ok"], true, "{rep}");
        assert_eq!(rep["imported"], json!(7), "{rep}");
        let back = answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?;
        assert_eq!(back, file["answers"], "round trip");
        assert_eq!(js(&c, "return window.refbookSurvey.exportJSON()").await?, exported, "export after import");
        assert_eq!(js(&c, unpolluted).await?, clean, "after import");
        c.refresh().await?;
        let reloaded = answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?;
        assert_eq!(reloaded, back, "after reload");

        // ---- answers saved under another model id are offered, never shown as markup ----
        let hostile = "<img src=x onerror=alert(1)>";
        c.execute("localStorage.clear(); localStorage.setItem('refbook:cert-ref:answers:unreadable:1', '{');", vec![]).await?;
        save_raw(&c, "cert-ref-2006", r#"{
            "EF-1.1": {"value": 3, "note": "<b>kept</b>"},
            "EF-1.2": {"value": 1},
            "ZZ-1.1": {"value": 2},
            "__proto__": {"value": 1}
        }"#, json!({"organization": "Old <i>Org</i>"})).await?;
        save_raw(&c, hostile, r#"{"EF-2.1": {"value": 0}}"#, json!({})).await?;
        save_raw(&c, "other-book", r#"{"OB-1": {"value": 1}}"#, json!({})).await?;
        c.refresh().await?;
        no_alert(&c, "with a hostile model id saved").await;
        assert_eq!(js(&c, "return Object.keys(window.refbookSurvey.answers()).length").await?, json!(0));
        let notices = js(&c, "return [...document.querySelectorAll('#survey-messages .msg-migrate')].map(m => [m.dataset.model, m.textContent])").await?;
        let notices = notices.as_array().unwrap().clone();
        assert_eq!(notices.len(), 3, "one notice per other model id: {notices:?}");
        let notice = |model: &str| notices.iter().find(|n| n[0] == model).map(|n| n[1].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("no notice for {model}: {notices:?}"));
        let old = notice("cert-ref-2006");
        assert!(old.contains("4 answers") && old.contains("\u{201C}cert-ref-2006\u{201D}") && old.contains("2 of them answer")
            && old.contains("Bring over 2 answers"), "{old}");
        assert!(notice(hostile).contains(&format!("\u{201C}{hostile}\u{201D}")), "the model id shown as text");
        assert!(notice("other-book").contains("None of them"), "{}", notice("other-book"));
        assert_eq!(js(&c, "return document.querySelectorAll('.msg-migrate[data-model=\"other-book\"] button.bring-over').length").await?, json!(0));
        assert_eq!(js(&c, "return document.querySelectorAll('#survey-messages img, #survey-messages b, #survey-messages i').length").await?, json!(0));
        let listed = js(&c, "return window.refbookSurvey.savedElsewhere()").await?;
        assert!(listed.as_array().unwrap().contains(&json!({"model": "cert-ref-2006", "answers": 4, "matching": 2})), "{listed}");
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; };", vec![]).await?;
        click(&c, ".msg-migrate[data-model=\"cert-ref-2006\"] button.bring-over").await?;
        let got = answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?;
        assert_eq!(got, json!({"EF-1.1": {"value": 3, "note": "<b>kept</b>"}, "EF-1.2": {"value": 1}}), "only questions of this model");
        assert_eq!(js(&c, "return window.__asked || 0").await?, json!(0), "nothing to replace, nothing asked");
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"3\"]")).await?.is_selected().await?);
        assert_eq!(js(&c, "return window.refbookSurvey.respondent().organization").await?, json!("Old <i>Org</i>"));
        let msgs = text(&c, "#survey-messages").await?;
        assert!(msgs.contains("Brought over 2 answers") && msgs.contains("ZZ-1.1") && msgs.contains("__proto__"), "left ones reported: {msgs}");
        assert_eq!(js(&c, "return document.querySelectorAll('.msg-migrate[data-model=\"cert-ref-2006\"]').length").await?, json!(0));
        assert_eq!(js(&c, "return document.querySelectorAll('#survey-messages img, #survey-messages b, #survey-messages i').length").await?, json!(0));
        assert!(js(&c, "return localStorage.getItem('refbook:cert-ref-2006:answers')").await?.is_string(), "the old answers stay");
        c.refresh().await?;
        assert_eq!(js(&c, "return document.querySelectorAll('.msg-migrate').length").await?, json!(0), "no offer once this model has answers");
        assert_eq!(answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?, got, "saved");

        // ---- an imported file of another model: refused as it is, offered ----
        c.execute("window.confirm = () => { window.__asked = (window.__asked||0) + 1; return true; };", vec![]).await?;
        let file = json!({"format": "refbook-survey", "version": 1, "model": "cert-ref-old",
            "answers": {"EF-1.1": {"value": 0}, "X-1": {"value": 1}, "EF-1.3": {"value": 9}}}).to_string();
        let rep = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0], {name: 'old.json'})", vec![json!(file)]).await?;
        assert_eq!(rep["ok"], false, "{rep}");
        assert_eq!(rep["otherModel"], "cert-ref-old", "{rep}");
        assert_eq!(rep["matching"], 1, "{rep}");
        assert_eq!(answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?, got, "nothing imported yet");
        let offer = text(&c, ".msg-migrate[data-model=\"cert-ref-old\"]").await?;
        assert!(offer.contains("file old.json holds 3 answers") && offer.contains("1 of them answers"), "{offer}");
        click(&c, ".msg-migrate[data-model=\"cert-ref-old\"] button.bring-over").await?;
        assert_eq!(js(&c, "return window.__asked || 0").await?, json!(1), "asked before replacing");
        let got = answers(js(&c, "return JSON.stringify(window.refbookSurvey.answers())").await?)?;
        assert_eq!(got, json!({"EF-1.1": {"value": 0}}));
        let msgs = text(&c, "#survey-messages").await?;
        assert!(msgs.contains("X-1") && msgs.contains("EF-1.3: the value 9 is not on the scale"), "{msgs}");

        // ---- an area page offers them too ----
        c.execute("localStorage.clear();", vec![]).await?;
        save_raw(&c, "cert-ref-2006", r#"{"EF-1.1": {"value": 2}}"#, json!({})).await?;
        c.goto(&file_url("areas/ef/index.html")).await?;
        assert!(text(&c, "section.survey #survey-messages .msg-migrate").await?.contains("cert-ref-2006"));
        click(&c, ".msg-migrate button.bring-over").await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"2\"]")).await?.is_selected().await?);
        no_alert(&c, "after bringing answers over").await;
        Ok(())
    })
    .await;
}

/// The console entries of level SEVERE since the last call: errors logged,
/// uncaught exceptions, scripts that failed to load, CSP refusals.
async fn console_errors(c: &Client) -> R<Vec<String>> {
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
        if s.starts_with("survey-") || s == "scoring.js" {
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
        let store = ["key", "model", "answers", "respondent", "score", "orphans", "savedElsewhere", "clear"];
        let io = ["exportJSON", "exportCSV", "importJSON"];
        let api = |extra: &[&str]| -> Value {
            let mut v: Vec<&str> = store.iter().chain(io.iter()).chain(extra).copied().collect();
            v.sort();
            json!(v)
        };
        let want_api = [api(&["nextUnanswered"]), api(&["nextUnanswered"]), api(&["compareJSON"]), json!([]), json!([]), Value::Null];
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
        assert_eq!(alone.len(), 7, "{alone:?}");
        for (script, after) in alone {
            let part = script.trim_start_matches("survey-").trim_end_matches(".js");
            let mut load: Vec<&str> = after.iter().map(String::as_str).collect();
            load.push(script);
            for page in KINDS {
                let rel = page_with_scripts(page, &load, &format!("alone-{part}.html"));
                assert_eq!(open_logging(&c, &rel).await?, Vec::<String>::new(), "console errors with {load:?} on {page}");
                let did = js_with(&c, "const s = window.refbookSurvey; return !!(s && s.lib && (arguments[0] === 'base' || s.lib.part(arguments[0])))",
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
        Ok(())
    })
    .await;
}
