//! Survey answers stay data: CSV cells, prototype-like ids, another model id.

use super::*;
use crate::common::csv_rows;

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
            assert_eq!(r.len(), 19, "{r:?}");
            for (i, cell) in r.iter().enumerate() {
                let formula = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                // answer, target and version are numbers the tool writes
                assert!(
                    !formula || ([3, 8, 16].contains(&i) && cell.parse::<f64>().is_ok()),
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
                "",
                "'=Org",
                "",
                "",
                "",
                "cert-ref",
                "2007",
                "refbook-survey",
                "2",
                "",
                ""
            ]
        );
        assert_eq!(row("-EF-9")[1], "'-EF-9", "ids from storage too");
        assert!(
            csv.contains(
                ",EF-2.1,Establish Strategic Resiliency Plan,0,Not performed,\"'\r=1+1\",,,,'=Org,,,,cert-ref,2007,refbook-survey,2,,\r\n"
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
        assert!(csv.as_str().unwrap().contains("\r\n,__proto__,(not in this model),2,Largely performed,proto note,,,,"), "{csv}");
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
