//! The action plan of an answer file: imported, saved, exported; and the
//! roadmap scoring.js gives on the page, against Rust's.

use super::*;

/// A version 2 file's `plan` imports (entries for unknown ids kept with a
/// warning, a bad due date left out as a problem), survives a reload,
/// exports in question order, and version 1 files clear it. The page's
/// roadmap for the file's targets is the Rust one.
#[tokio::test]
async fn a_plan_imports_saves_and_exports() {
    with_browser("plan", |c, _| async move {
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        let targets = json!({"EF": 2, "RISK": 1});
        let file = json!({"format": "refbook-survey", "version": 2, "model": "cert-ref", "targets": targets,
            "plan": {"EF:GG2.GP1": {"owner": "Bo", "due": "2026-09-01"},
                     "EF-1.2": {"owner": "=cmd()", "due": "2026-06-30", "note": "<b>draft</b>"},
                     "GONE-1.1": {"owner": "Cy"}, "EF-1.3": {"due": "2026-02-30"}},
            "answers": {"EF-1.1": {"value": 3}, "EF-1.2": {"value": 1}, "EF:GG2.GP1": {"value": 0}}});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(file.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert!(r["problems"].to_string().contains("EF-1.3"), "bad date left out: {r}");
        assert!(r["warnings"].to_string().contains("1 plan entry"), "unknown id kept: {r}");
        let want = json!({"EF-1.2": {"owner": "=cmd()", "due": "2026-06-30", "note": "<b>draft</b>"},
            "EF:GG2.GP1": {"owner": "Bo", "due": "2026-09-01"}, "GONE-1.1": {"owner": "Cy"}});
        assert_eq!(js(&c, "return window.refbookSurvey.plan()").await?, want);
        c.refresh().await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.plan()").await?, want, "saved");
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(out["plan"], want);
        let order: Vec<&String> = out["plan"].as_object().unwrap().keys().collect();
        assert_eq!(order, ["EF-1.2", "EF:GG2.GP1", "GONE-1.1"], "question order, unknown ids last");
        // the store's setter, for the results page: a bad date is refused
        let set = "const C = window.refbookSurvey.lib.part('store');
            return [C.setPlan('EF-1.1', {owner: 'Di', due: '2026-13-01'}), C.setPlan('EF-1.1', {owner: 'Di'}), C.setPlan('EF-1.2', {})]";
        assert_eq!(js(&c, set).await?, json!([false, true, true]));
        let plan = js(&c, "return window.refbookSurvey.plan()").await?;
        assert_eq!((&plan["EF-1.1"], plan.get("EF-1.2")), (&json!({"owner": "Di"}), None));

        let roadmap = same_roadmap_as_rust(&c, &json!({"targets": targets})).await?;
        let ef = &roadmap[0];
        assert_eq!((&ef["area"], &ef["level"], &ef["target"]), (&json!("EF"), &json!(0), &json!(2)), "{ef}");
        assert_eq!(ef["steps"][0]["goals"][0]["items"][0]["id"], "EF-1.2", "{ef}");
        assert_eq!(roadmap[1]["assess_first"], true, "RISK is not assessed: {roadmap}");

        // version 1 has no plan: importing one leaves none
        let v1 = json!({"format": "refbook-survey", "version": 1, "model": "cert-ref", "answers": {"EF-1.2": {"value": 3}}});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(v1.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(js(&c, "return window.refbookSurvey.plan()").await?, json!({}));
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert!(out.get("plan").is_none(), "{out}");
        Ok(())
    })
    .await;
}
