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

mod answers;
mod clobber;
mod console;
mod csv;
mod data;
mod figures;
mod history;
mod navigator;
mod oscal;
mod parts;
mod plan;
mod print;
mod reader;
mod results;
mod scale;
mod search;
mod search_speed;
mod team;
mod team_site;
mod versions;

pub(super) const TMP: &str = env!("CARGO_TARGET_TMPDIR");

thread_local! {
    /// The site of the test running on this thread (tokio::test runs each
    /// test on its own thread). Each test has its own copy, because the
    /// survey test rebuilds its site while the print test reads its own.
    static SITE: std::cell::RefCell<Option<PathBuf>> = const { std::cell::RefCell::new(None) };
    /// The port of this test's chromedriver, for its console log.
    static DRIVER_PORT: std::cell::Cell<u16> = const { std::cell::Cell::new(0) };
}
/// Builds the shipped book for `test` (rebuilt on every run).
pub(super) fn build_site_for(test: &str) {
    let out = Path::new(TMP).join(format!("browser-site-{test}"));
    build_site(&out);
    SITE.with(|s| *s.borrow_mut() = Some(out));
}
pub(super) fn site() -> PathBuf {
    SITE.with(|s| s.borrow().clone())
        .expect("with_browser builds the site first")
}
pub(super) fn build_site(out: &Path) {
    let o = crate::common::refbook(&["build", ROOT, "-d", out.to_str().unwrap()]);
    assert!(o.status.success(), "refbook build failed: {o:?}");
}
pub(super) fn file_url(rel: &str) -> String {
    format!("file://{}/{rel}", site().display())
}

/// Serves the site on 127.0.0.1:<free port> (GET only, thread per connection).
pub(super) fn serve_site() -> String {
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
pub(super) async fn with_browser<F, Fut>(test: &str, body: F)
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

/// The axe-core violations on the page as it stands (`axe`: axe.min.js).
pub(super) async fn axe_violations(c: &Client, axe: &str) -> R<Value> {
    c.execute(axe, vec![]).await?; // defines window.axe
    Ok(c.execute_async(
        "const done = arguments[arguments.length - 1];
         axe.run(document, {resultTypes: ['violations']})
            .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))),
                  e => done(['axe error: ' + e]));",
        vec![],
    )
    .await?)
}

pub(super) async fn js(c: &Client, script: &str) -> R<Value> {
    Ok(c.execute(script, vec![]).await?)
}
pub(super) async fn js_with(c: &Client, script: &str, args: Vec<Value>) -> R<Value> {
    Ok(c.execute(script, args).await?)
}
pub(super) async fn attr(c: &Client, css: &str, name: &str) -> R<String> {
    Ok(c.find(Locator::Css(css))
        .await?
        .attr(name)
        .await?
        .unwrap_or_default())
}
pub(super) async fn text(c: &Client, css: &str) -> R<String> {
    Ok(c.find(Locator::Css(css)).await?.text().await?)
}
pub(super) async fn obj_state(c: &Client, id: &str) -> R<String> {
    attr(c, &format!("[data-objective=\"{id}\"]"), "data-state").await
}
pub(super) async fn level(c: &Client, area: &str) -> R<String> {
    attr(c, &format!("strong[data-area=\"{area}\"]"), "data-level").await
}
/// An area's status on the page (`data-status` beside `data-level`).
pub(super) async fn status(c: &Client, area: &str) -> R<String> {
    attr(c, &format!("strong[data-area=\"{area}\"]"), "data-status").await
}
/// Sets the reason of saved N/A answers in storage and reloads the page.
pub(super) async fn give_reasons(c: &Client, ids: &[String], reason: &str) -> R {
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
pub(super) async fn click(c: &Client, css: &str) -> R {
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
pub(super) async fn answer(c: &Client, ids_values: &[(&str, &str)]) -> R {
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
pub(super) async fn question_ids(c: &Client, selector: &str) -> R<Vec<String>> {
    let v = js_with(
        c,
        "return [...document.querySelectorAll(arguments[0])].map(f => f.dataset.question);",
        vec![json!(selector)],
    )
    .await?;
    Ok(serde_json::from_value(v)?)
}
pub(super) async fn no_alert(c: &Client, when: &str) {
    if let Ok(t) = c.get_alert_text().await {
        let _ = c.dismiss_alert().await;
        panic!("unexpected alert {t:?} {when}");
    }
}

/// The page's own scores (what the survey scripts show, `refbookSurvey.score()`,
/// from scoring.js `assess` with the page's survey data, answers and scope)
/// are those of src/scoring.rs: every area's status, level, states, counts and
/// lists.
pub(super) async fn same_scores_as_rust(c: &Client) -> R {
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

/// The roadmap scoring.js gives on the page (its survey data and saved
/// answers, with `scope`: {areas_in_scope?, targets?}) is, as JSON, the one
/// src/scoring/roadmap.rs gives; returns it.
pub(super) async fn same_roadmap_as_rust(c: &Client, scope: &Value) -> R<Value> {
    use refbook::scoring;
    let page = js_with(
        c,
        "return window.refbookScoring.prepare(window.refbook$data.survey).roadmap(window.refbookSurvey.answers(), arguments[0])",
        vec![scope.clone()],
    )
    .await?;
    let survey: scoring::Survey =
        serde_json::from_value(js(c, "return window.refbook$data.survey").await?)?;
    let answers: scoring::Answers =
        serde_json::from_value(js(c, "return window.refbookSurvey.answers()").await?)?;
    let rust = scoring::roadmap(&survey, &answers, &scoring::Scope::from_json(scope));
    assert_eq!(
        page,
        serde_json::to_value(&rust)?,
        "the page's roadmap is Rust's"
    );
    Ok(page)
}

/// Builds into `out` a copy of the shipped book with `edits` made, each a
/// file of the book, a text found in it and what replaces its first match.
pub(super) fn build_edited_book(out: &Path, name: &str, edits: &[(&str, &str, String)]) {
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
