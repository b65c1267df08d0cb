//! History on the results page: snapshots saved and imported, the trend per
//! area and per category, what changed since the last snapshot, and the
//! snapshots file.

use super::*;

/// Sets the EF practices to `v` (and its generic practices to 3) on the survey page.
async fn ef_at(c: &Client, v: &str) -> R {
    c.goto(&file_url("survey/index.html")).await?;
    js_with(c, "document.querySelectorAll('fieldset[data-question^=\"EF\"]').forEach(f => {
                  const r = f.querySelector(`input[value=\"${f.dataset.question.includes(':') ? 3 : arguments[0]}\"]`); if (r) r.click(); })",
        vec![json!(v)]).await?;
    c.goto(&file_url("survey/results/index.html")).await?;
    Ok(())
}

#[tokio::test]
async fn snapshots_trend_and_changes() {
    with_browser("history", |c, _| async move {
        c.goto(&file_url("survey/results/index.html")).await?;
        assert!(text(&c, "#results-history").await?.contains("No snapshot yet"));
        // a past assessment imported from its answer file: dated by its respondent date
        let past = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref",
            "respondent": {"date": "2025-01-10"}, "answers": {"EF-1.1": {"value": 1}}});
        let r = js_with(&c, "return window.refbookSurvey.importSnapshots(arguments[0], 'audit-2025.json')", vec![json!(past.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        // two saved through the page: EF at level 0, then EF at level 1 or more
        ef_at(&c, "1").await?;
        js(&c, "const n = document.querySelector('#snapshot-name'); n.value = 'Spring'; document.querySelector('#snapshot-date').value = '2026-03-01';").await?;
        click(&c, "button[data-action=snapshot-save]").await?;
        ef_at(&c, "3").await?;
        js(&c, "window.refbookSurvey.saveSnapshot('Summer', '2026-06-01')").await?;
        c.refresh().await?; // they survive a reload
        let snaps = js(&c, "return window.refbookSurvey.snapshots().map(s => [s.name, s.date])").await?;
        assert_eq!(snaps, json!([["audit-2025", "2025-01-10"], ["Spring", "2026-03-01"], ["Summer", "2026-06-01"]]));
        // the trend: EF by date, COMM never assessed (not level 0)
        let trend = js(&c, "return window.refbookSurvey.trend().map(t => [t.name, t.levels.EF, t.levels.COMM])").await?;
        let ef_now = js(&c, "return window.refbookSurvey.score().EF.level").await?;
        assert!(ef_now.as_u64() >= Some(1), "{ef_now}");
        assert_eq!(trend, json!([["audit-2025", 0, "not-assessed"], ["Spring", 0, "not-assessed"], ["Summer", ef_now, "not-assessed"],
            ["Now", ef_now, "not-assessed"]]));
        let row = js(&c, "return [...document.querySelectorAll('tr[data-trend-area=\"EF\"] td[data-level]')].map(t => t.textContent)").await?;
        assert_eq!(row, json!(["0", "0", ef_now.to_string(), ef_now.to_string()]));
        assert!(text(&c, "tr[data-trend-area=\"COMM\"]").await?.contains("not assessed"));
        assert!(js(&c, "return document.querySelectorAll('tr[data-trend-area=\"EF\"] svg.spark circle').length").await?.as_u64() == Some(4));
        let cat = js(&c, "const d = window.refbook$data.survey; return d.areas.find(a => a.code === 'EF').category").await?;
        let cat_row = text(&c, &format!("tr[data-trend-category=\"{}\"]", cat.as_str().unwrap())).await?;
        assert!(cat_row.contains(&format!("1 at {ef_now}")), "{cat_row}");
        // changed from the previous snapshot, and since the last one
        let changes = text(&c, "table.snapshots tbody tr:nth-child(3)").await?;
        assert!(changes.contains("answers") && changes.contains("1 level"), "Spring -> Summer: {changes}");
        assert!(text(&c, ".history-since").await?.contains("No answer changed"), "nothing since Summer");
        ef_at(&c, "2").await?;
        let since = js(&c, "return document.querySelectorAll('.history-since tr[data-changed]').length").await?;
        assert!(since.as_u64() >= Some(2), "the EF practices changed since Summer: {since}");
        // the snapshots file: exported, imported elsewhere (ids kept, none twice), refused for another model
        let file = js(&c, "return window.refbookSurvey.exportSnapshots()").await?;
        let parsed: Value = serde_json::from_str(file.as_str().unwrap())?;
        assert_eq!((&parsed["format"], &parsed["version"], parsed["snapshots"].as_array().map(Vec::len)), (&json!("refbook-snapshots"), &json!(1), Some(3)));
        assert_eq!(parsed["snapshots"][1]["file"]["format"], "refbook-survey");
        c.execute("window.confirm = () => true;", vec![]).await?;
        for _ in 0..3 {
            click(&c, "button[data-action=snapshot-delete]").await?;
        }
        assert_eq!(js(&c, "return window.refbookSurvey.snapshots().length").await?, json!(0));
        let r = js_with(&c, "return window.refbookSurvey.importSnapshots(arguments[0], 'snaps.json')", vec![file.clone()]).await?;
        assert_eq!(r["added"], 3, "{r}");
        let r = js_with(&c, "return window.refbookSurvey.importSnapshots(arguments[0], 'snaps.json')", vec![file]).await?;
        assert_eq!(r["added"], 0, "the same ids are not added twice: {r}");
        let other = json!({"format": "refbook-snapshots", "version": 1, "model": "other", "snapshots": []});
        let r = js_with(&c, "return window.refbookSurvey.importSnapshots(arguments[0], 'o.json')", vec![json!(other.to_string())]).await?;
        assert_eq!(r["ok"], false);
        c.refresh().await?;
        assert_eq!(js(&c, "return window.refbookSurvey.snapshots().length").await?, json!(3), "imported ones are saved");
        Ok(())
    })
    .await;
}
