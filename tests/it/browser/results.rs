//! The results page: targets, the roadmap with its plan, comparison per
//! question, the printed report, and its fit on a laptop and a phone.

use super::*;

/// Answers EF on the survey page (EF-1.1 performed, everything else of EF at 1)
/// with the assessment details, then opens the results page.
async fn answer_ef(c: &Client) -> R {
    c.goto(&file_url("survey/index.html")).await?;
    js(c, "document.querySelectorAll('fieldset[data-question^=\"EF\"]').forEach(f => {
             const r = f.querySelector(`input[value=\"${f.dataset.question === 'EF-1.1' ? 3 : 1}\"]`); if (r) r.click(); });
           for (const [k, v] of [['organization', 'Acme =Corp'], ['scope', 'Billing'], ['assessor', 'Ann'], ['date', '2026-03-15']]) {
             const i = document.querySelector(`[data-respondent=\"${k}\"]`); i.value = v; i.dispatchEvent(new Event('input', {bubbles: true})); }").await?;
    c.goto(&file_url("survey/results/index.html")).await?;
    Ok(())
}
/// Each area's target as the page scores it.
async fn targets(c: &Client) -> R<Value> {
    js(c, "const s = window.refbookSurvey.score(); const o = {}; for (const k in s) o[k] = s[k].target; return o").await
}
/// Chooses `level` in a target select and applies it (a bulk select's button, or the area's own change).
async fn choose(c: &Client, select: &str, level: &str) -> R {
    js_with(c, "const s = document.querySelector(arguments[0]); s.value = arguments[1]; s.dispatchEvent(new Event('change', {bubbles: true}));
                const b = document.querySelector(`button[data-target-set=\"${s.id}\"]`); if (b) b.click();",
        vec![json!(select), json!(level)]).await?;
    Ok(())
}

/// Targets set for all, per category and per area; kept across a reload and
/// through export and import; shown against the current level with the gap.
#[tokio::test]
async fn targets_per_area_category_and_all() {
    with_browser("targets", |c, _| async move {
        answer_ef(&c).await?;
        assert_eq!(targets(&c).await?["EF"], Value::Null);
        choose(&c, "#target-all", "2").await?;
        let t = targets(&c).await?;
        assert!(t.as_object().unwrap().values().all(|v| v == &json!(2)), "every area at 2: {t}");
        // a category: the areas of EF's category only
        let cat = js(&c, "const d = window.refbook$data.survey; const ef = d.areas.find(a => a.code === 'EF');
                          return [ef.category.toLowerCase().replace(/[^a-z0-9]+/g, '-'), d.areas.filter(a => a.category === ef.category).map(a => a.code)]").await?;
        choose(&c, &format!("#target-cat-{}", cat[0].as_str().unwrap()), "3").await?;
        let t = targets(&c).await?;
        for (code, v) in t.as_object().unwrap() {
            let in_cat = cat[1].as_array().unwrap().contains(&json!(code));
            assert_eq!(v, &json!(if in_cat { 3 } else { 2 }), "{code}: {t}");
        }
        choose(&c, "select[data-target=\"EF\"]", "1").await?;
        choose(&c, "select[data-target=\"RISK\"]", "").await?;
        let want = targets(&c).await?;
        assert_eq!((&want["EF"], &want["RISK"]), (&json!(1), &Value::Null));
        c.refresh().await?;
        assert_eq!(targets(&c).await?, want, "kept across a reload");
        // the table: current against target, the gap; not assessed is never level 0
        let ef = text(&c, "table.targets tr[data-target-area=\"EF\"]").await?;
        let comm = text(&c, "table.targets tr[data-target-area=\"COMM\"]").await?;
        assert!(ef.contains("target met") || ef.contains("to go"), "{ef}");
        assert!(comm.contains("not assessed") && !comm.contains("0 "), "{comm}");
        assert_eq!(js(&c, "return document.querySelectorAll('svg.level-chart .target-mark').length").await?.as_u64(),
            Some(want.as_object().unwrap().values().filter(|v| !v.is_null()).count() as u64), "a mark per target in the chart");
        // export and import
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(out["targets"]["EF"], 1);
        c.execute("window.confirm = () => true;", vec![]).await?;
        let empty = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref", "answers": {"EF-1.1": {"value": 1}}});
        js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(empty.to_string())]).await?;
        assert_eq!(targets(&c).await?["EF"], Value::Null, "the import replaced them");
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(out.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(targets(&c).await?, want, "back with the file");
        Ok(())
    })
    .await;
}

/// The results page fits a laptop (1,366 px) and a phone (390 px) with no
/// horizontal scroll, with targets, a roadmap, a comparison and snapshots shown;
/// and it logs no error.
#[tokio::test]
async fn results_fit_laptop_and_phone() {
    with_browser("results-fit", |c, _| async move {
        answer_ef(&c).await?;
        choose(&c, "#target-all", "3").await?;
        let file = js(&c, "return window.refbookSurvey.exportJSON()").await?;
        js_with(&c, "window.refbookSurvey.compareJSON(arguments[0], 'a-file-with-a-long-name-that-must-wrap-somewhere.json');
                     window.refbookSurvey.saveSnapshot('Baseline', '2026-01-01');", vec![file]).await?;
        assert_eq!(super::console::console_errors(&c).await?, Vec::<String>::new());
        for (w, h) in [(1366u32, 900u32), (390, 844)] {
            c.set_window_size(w, h).await?;
            c.refresh().await?;
            let fit = js(&c, "return [document.documentElement.scrollWidth, window.innerWidth,
                [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                  && !e.closest('.table-scroll, .results-heat, .results-dist')).slice(0, 5).map(e => e.tagName + '.' + e.className)]").await?;
            assert!(fit[0].as_u64() <= fit[1].as_u64(), "no horizontal scroll at {w} px: {fit}");
        }
        Ok(())
    })
    .await;
}
