//! The whole-model survey of a model ten times the shipped one (about 5,000
//! questions, `tools/scale.py 10`), timed in headless Chromium: loading the
//! page until its scripts have run and it has painted, answering a question
//! until the progress shows it and the page has painted, and switching area.
//! Ignored (a minute of building and loading); run by hand:
//!
//! ```text
//! cargo test --release --test it browser::scale -- --ignored --nocapture
//! ```
//!
//! The numbers are printed; the test fails only when the survey is far from
//! responsive (load over 5 s, an answer or a switch over 500 ms), so that a
//! loaded machine does not fail it. README ("Speed") quotes a run.

use super::*;

/// Builds the S=10 book once per run (SCALE_SITE reuses a built one).
fn scaled_site() -> PathBuf {
    if let Some(dir) = std::env::var_os("SCALE_SITE") {
        return PathBuf::from(dir);
    }
    let dir = Path::new(TMP).join(format!("scale-s10-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = Command::new("python3")
        .args(["tools/scale.py", "10", dir.join("src").to_str().unwrap()])
        .current_dir(ROOT)
        .output()
        .expect("python3");
    assert!(o.status.success(), "{o:?}");
    let site = dir.join("site");
    let o = crate::common::refbook(&[
        "build",
        dir.join("src/refbook").to_str().unwrap(),
        "-d",
        site.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    site
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// Load: navigation start to the end of the load event (the survey scripts
/// run before it) and to the first paint after it; where the page loads its
/// areas on demand, after the survey's area shown is loaded.
async fn load(c: &Client, url: &str) -> R<(f64, f64)> {
    c.goto(url).await?;
    let t = c
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const P = window.refbookParts, S = window.refbookSurvey;
             const shown = f => (P && S && S.area && S.area()) ? P.load(S.area(), () => f()) : f();
             shown(() => requestAnimationFrame(() => requestAnimationFrame(() => {
               const n = performance.getEntriesByType('navigation')[0];
               done([n.loadEventEnd, performance.now()]);
             })));",
            vec![],
        )
        .await?;
    Ok((t[0].as_f64().unwrap(), t[1].as_f64().unwrap()))
}

/// Answers `n` questions of the area on screen, each timed from the click to
/// the progress showing it (script) and to the next paint.
async fn answer_times(c: &Client, n: usize) -> R<(f64, f64)> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1], n = arguments[0];
             const qs = [...document.querySelectorAll('section.survey-area:not(.nav-away) fieldset[data-question]')].slice(0, n);
             const script = [], paint = [];
             const one = i => {
               if (i >= qs.length) return done([script, paint]);
               const before = document.querySelector('[data-overall]').textContent;
               const t0 = performance.now();
               qs[i].querySelector('input[value=\"3\"]').click();
               const after = document.querySelector('[data-overall]').textContent;
               const t1 = performance.now();
               if (after === before && window.refbookSurvey.answers()[qs[i].dataset.question].value !== 3)
                 return done(['progress not updated', before]);
               script.push(t1 - t0);
               requestAnimationFrame(() => requestAnimationFrame(() => { paint.push(performance.now() - t0); one(i + 1); }));
             };
             one(0);",
            vec![json!(n)],
        )
        .await?;
    assert!(v[0].is_array(), "{v}");
    let f = |x: &Value| {
        x.as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    Ok((median(f(&v[0])), median(f(&v[1]))))
}

/// Switches to the next area `n` times, each timed to the next paint.
async fn switch_times(c: &Client, n: usize) -> R<(f64, f64)> {
    let v = c
        .execute_async(
            "const done = arguments[arguments.length - 1], n = arguments[0], out = [];
             const sync = [];
             const one = i => {
               if (i >= n) return done([out, sync]);
               const t0 = performance.now();
               document.querySelector('#survey-nav [data-area-step=\"1\"]').click();
               sync.push(performance.now() - t0);
               const P = window.refbookParts, painted = () => requestAnimationFrame(() => requestAnimationFrame(() => { out.push(performance.now() - t0); one(i + 1); }));
               if (P) P.load(window.refbookSurvey.area(), painted); else painted();
             };
             one(0);",
            vec![json!(n)],
        )
        .await?;
    let f = |x: &Value| {
        x.as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_f64().unwrap())
            .collect::<Vec<_>>()
    };
    Ok((median(f(&v[0])), median(f(&v[1]))))
}

#[tokio::test]
#[ignore = "builds and times a model ten times the shipped one; run by hand"]
async fn whole_model_survey_at_ten_times_the_model() {
    let site = scaled_site();
    with_browser("scale", move |c, _| async move {
        c.set_window_size(1400, 900).await?;
        let url = format!("file://{}/survey/index.html", site.display());
        c.goto(&url).await?;
        js(&c, "localStorage.clear()").await?;
        let bytes = std::fs::metadata(site.join("survey/index.html"))?.len();
        let (cold, cold_paint) = load(&c, &url).await?;
        let (warm, warm_paint) = load(&c, &url).await?;
        let q = js(&c, "return document.querySelectorAll('fieldset[data-question]').length").await?;
        let (ans, ans_paint) = answer_times(&c, 15).await?;
        let (sw, sw_script) = switch_times(&c, 15).await?;
        // every question answered (saved), then loaded again: the page draws them all
        js(&c, "const s = window.refbook$data.survey, a = {};
                s.areas.forEach(ar => { ar.objectives.forEach(o => o.practices.forEach(p => a[p.id] = {value: 2}));
                                        ar.goals.forEach(g => g.questions.forEach(q => a[q.id] = {value: 1})); });
                localStorage.setItem(window.refbookSurvey.key, JSON.stringify({format: 'refbook-survey', version: 2, model: window.refbookSurvey.model, answers: a}));").await?;
        let (full, full_paint) = load(&c, &url).await?;
        let (full_ans, full_ans_paint) = answer_times(&c, 15).await?;
        let res_url = format!("file://{}/survey/results/index.html", site.display());
        let (res, res_paint) = load(&c, &res_url).await?;
        println!("S=10 survey page: {q} questions, {:.1} MB", bytes as f64 / 1e6);
        println!("load (no answers): cold {cold:.0} ms (painted {cold_paint:.0} ms), again {warm:.0} ms (painted {warm_paint:.0} ms)");
        println!("answer -> progress: {ans:.1} ms (painted {ans_paint:.1} ms), median of 15");
        println!("switch area -> painted: {sw:.1} ms (script {sw_script:.1} ms), median of 15");
        println!("load with every question answered: {full:.0} ms (painted {full_paint:.0} ms); answer then: {full_ans:.1} ms (painted {full_ans_paint:.1} ms)");
        println!("results page with every question answered: {res:.0} ms (painted {res_paint:.0} ms)");
        for page in ["print/index.html", "worksheets/index.html"] {
            let url = format!("file://{}/{page}", site.display());
            let bytes = std::fs::metadata(site.join(page))?.len();
            let (t, paint) = load(&c, &url).await?;
            let (t2, paint2) = load(&c, &url).await?;
            println!("{page} ({:.1} MB): load {t:.0} ms (painted {paint:.0} ms), again {t2:.0} ms (painted {paint2:.0} ms)", bytes as f64 / 1e6);
            // Print all: every area loaded (where they load on demand), window.print stood in for.
            let all = c
                .execute_async(
                    "const done = arguments[arguments.length - 1], t0 = performance.now();
                     window.print = () => requestAnimationFrame(() => done(performance.now() - t0));
                     document.querySelector('[data-print]').click();",
                    vec![],
                )
                .await?;
            println!("{page}: print all, until print is called: {:.0} ms", all.as_f64().unwrap());
        }
        assert!(warm_paint < 5000.0 && ans_paint < 500.0 && sw < 500.0, "far from responsive");
        Ok(())
    })
    .await;
}
