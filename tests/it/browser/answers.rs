//! Answering: N/A with reasons, scope, versions of answer files, scores as the Rust scoring gives them.

use super::*;

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
        assert!(csv.as_str().unwrap().contains("\r\nCOMM,COMM-1.1,Identify Relevant Stakeholders,,,,,no,,"), "out-of-scope rows say so");
        assert!(csv.as_str().unwrap().contains(",na,Not applicable,,Parent,yes,2,,,,,cert-ref,2007,refbook-survey,2,https://intranet.example/policy.pdf,Policy\r\n"),
            "reasons, scope, targets and evidence in the CSV: {csv}");
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
        // (one area at a time on screen: read what the others show from the page)
        let shown = |css: &str| format!("return document.querySelector('{css}').textContent");
        assert!(js(&c, &shown("strong[data-area=\"SOM\"]")).await?.as_str().unwrap().contains("not assessable"), "area without objectives");
        // not asked: no question of SOM on the page, and its generic practices count for nothing
        let som = js(&c, "return [document.querySelectorAll('[data-survey-area=\"SOM\"] fieldset.question').length,
                                  window.refbookSurvey.score().SOM.total]").await?;
        assert_eq!(som, serde_json::json!([0, 0]), "an area the model cannot assess is not asked");
        assert!(c.find(Locator::Css("#orphans")).await?.attr("hidden").await?.is_none(), "orphans shown");
        assert!(text(&c, "#orphans").await?.contains("EF-9.9"));
        assert!(text(&c, "#survey-progress").await?.contains("questions answered"));
        assert!(js(&c, &shown("[data-progress=\"EF\"]")).await?.as_str().unwrap().contains('/'));
        let org = c.find(Locator::Css("[data-respondent=\"organization\"]")).await?;
        org.send_keys("Acme, \"Ops\" & Co").await?;
        c.refresh().await?;
        assert_eq!(c.find(Locator::Css("[data-respondent=\"organization\"]")).await?.prop("value").await?.as_deref(),
            Some("Acme, \"Ops\" & Co"));
        assert!(text(&c, "#orphans").await?.contains("EF-9.9"), "orphan kept after reload");

        // ---- next unanswered ----
        let next = js(&c, "return window.refbookSurvey.nextUnanswered()").await?;
        // (EF is answered; COMP follows it in the report's order)
        assert_eq!(next, json!("COMP-1.1"));
        let focused = js(&c, "return document.activeElement.closest('fieldset').dataset.question").await?;
        assert_eq!(focused, json!("COMP-1.1"));

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
        assert!(csv.starts_with("area,id,title,answer,label,note,reason,in_scope,target,respondent_organization,respondent_scope,respondent_assessor,respondent_date,model,model_version,format,version,evidence_1_href,evidence_1_description\r\n"), "{}", &csv[..80]);
        assert!(csv.contains("\r\nEF,EF-1.1,Establish Strategic Objectives,3,Fully performed,\"Board minutes, 2024; \"\"strategy\"\", v2\",,,,\"Acme, \"\"Ops\"\" & Co\",,,,cert-ref,2007,refbook-survey,2,,\r\n"), "RFC 4180 quoting, respondent on every row");
        assert!(csv.contains(",na,Not applicable,,No such function in this unit.,,,"), "N/A reasons in the CSV");
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
        assert!(text(&c, "section.gap-area[data-gap-area=\"SOM\"] .not-assessable-reason").await?.contains("currently under review"), "its reason");
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
        let row = text(&c, "#results-compare table.comparison tr[data-compare-area=\"EF\"]").await?;
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
