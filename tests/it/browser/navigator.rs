//! Getting through the survey: evidence per answer, the area-by-area navigator
//! of the whole-model page, keyboard answering, guidance in place; and (ignored,
//! run by hand) the timings of a model ten times the shipped one.

use super::*;
use fantoccini::key::Key;

/// The pieces of evidence saved for a question.
async fn evidence_of(c: &Client, id: &str) -> R<Value> {
    js_with(c, "const e = window.refbookSurvey.answers()[arguments[0]]; return e && e.evidence ? e.evidence : null;", vec![json!(id)]).await
}
/// Types `text` into the `n`th (0-based) evidence row's field `field` of a question (as a person would).
async fn type_in_row(c: &Client, id: &str, n: usize, field: &str, text: &str) -> R {
    let css = format!(
        "fieldset[data-question=\"{id}\"] .evidence-row:nth-child({}) [data-ev=\"{field}\"]",
        n + 1
    );
    let e = c.find(Locator::Css(&css)).await?;
    e.clear().await?;
    e.send_keys(text).await?;
    Ok(())
}
/// Keys typed where the focus is.
async fn press(c: &Client, keys: &str) -> R {
    c.active_element().await?.send_keys(keys).await?;
    Ok(())
}
/// An element's text, shown or not (the navigator's list may be folded).
async fn tc(c: &Client, css: &str) -> R<String> {
    Ok(js_with(
        c,
        "return document.querySelector(arguments[0]).textContent",
        vec![json!(css)],
    )
    .await?
    .as_str()
    .unwrap_or("")
    .to_string())
}
/// The sections of the survey page that are on screen.
async fn areas_on_screen(c: &Client) -> R<Value> {
    js(c, "return [...document.querySelectorAll('section.survey-area')].filter(s => getComputedStyle(s).display !== 'none').map(s => s.dataset.surveyArea)").await
}

/// Evidence: rows added, edited and removed per question from the mouse and
/// the keyboard, saved with the answer, kept over a reload, exported and
/// imported, listed in the results and printed; a `<script>` description stays
/// text and a `javascript:` reference never becomes a link.
#[tokio::test]
async fn evidence_is_kept_exported_shown_and_escaped() {
    with_browser("evidence", |c, _| async move {
        c.goto(&file_url("areas/ef/index.html")).await?;
        let fs = "fieldset[data-question=\"EF-1.1\"]";
        assert_eq!(js(&c, &format!("return document.querySelectorAll('{fs} .evidence-row').length")).await?, json!(0));
        assert_eq!(attr(&c, &format!("{fs} .evidence"), "aria-label").await?, "Evidence for EF-1.1");
        // add from the mouse, then from the keyboard (Enter on the focused button)
        click(&c, &format!("{fs} [data-ev-add]")).await?;
        assert_eq!(js(&c, "return document.activeElement.dataset.ev").await?, json!("href"), "the new row's reference has the focus");
        type_in_row(&c, "EF-1.1", 0, "href", "https://intranet.example/policy.pdf").await?;
        type_in_row(&c, "EF-1.1", 0, "description", "Policy <script>window.pwned = 1</script>").await?;
        js(&c, &format!("document.querySelector('{fs} [data-ev-add]').focus()")).await?;
        c.active_element().await?.send_keys(&Key::Enter.to_string()).await?;
        assert_eq!(js(&c, &format!("return document.querySelectorAll('{fs} .evidence-row').length")).await?, json!(2));
        c.active_element().await?.send_keys("javascript:window.pwned=2").await?;
        click(&c, &format!("{fs} [data-ev-add]")).await?;
        type_in_row(&c, "EF-1.1", 2, "href", "DOC-7").await?;
        type_in_row(&c, "EF-1.1", 2, "description", "Risk register").await?;
        let labels = js(&c, &format!("return [...document.querySelectorAll('{fs} .evidence-row')].map(r => [r.querySelector('[data-ev=href]').labels[0].textContent, r.querySelector('[data-ev-remove]').getAttribute('aria-label')])")).await?;
        assert_eq!(labels[2], json!(["Link or document reference", "Remove evidence 3 of EF-1.1"]));
        assert_eq!(evidence_of(&c, "EF-1.1").await?, json!([
            {"href": "https://intranet.example/policy.pdf", "description": "Policy <script>window.pwned = 1</script>"},
            {"href": "javascript:window.pwned=2"},
            {"href": "DOC-7", "description": "Risk register"}]));
        // edit, remove (the focus goes back to Add), and a value alongside
        type_in_row(&c, "EF-1.1", 2, "description", "Risk register 2026").await?;
        click(&c, &format!("{fs} .evidence-row:nth-child(2) [data-ev-remove]")).await?;
        assert_eq!(js(&c, "return document.activeElement.hasAttribute('data-ev-add')").await?, json!(true));
        assert_eq!(attr(&c, &format!("{fs} .evidence-row:nth-child(2) [data-ev-remove]"), "aria-label").await?, "Remove evidence 2 of EF-1.1");
        answer(&c, &[("EF-1.1", "2")]).await?;
        let want = json!([
            {"href": "https://intranet.example/policy.pdf", "description": "Policy <script>window.pwned = 1</script>"},
            {"href": "DOC-7", "description": "Risk register 2026"}]);
        assert_eq!(evidence_of(&c, "EF-1.1").await?, want);
        // evidence alone is kept (no value, no note), and removing the last piece drops the entry
        click(&c, "fieldset[data-question=\"EF-1.2\"] [data-ev-add]").await?;
        type_in_row(&c, "EF-1.2", 0, "href", "DOC-9").await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.2']").await?, json!({"evidence": [{"href": "DOC-9"}]}));
        click(&c, "fieldset[data-question=\"EF-1.2\"] [data-ev-remove]").await?;
        assert_eq!(js(&c, "return 'EF-1.2' in window.refbookSurvey.answers()").await?, json!(false));

        // over a reload: the rows again, and the printed list (links only for http(s) and paths)
        c.refresh().await?;
        let rows = js(&c, &format!("return [...document.querySelectorAll('{fs} .evidence-row')].map(r => [r.querySelector('[data-ev=href]').value, r.querySelector('[data-ev=description]').value])")).await?;
        assert_eq!(rows, json!([["https://intranet.example/policy.pdf", "Policy <script>window.pwned = 1</script>"], ["DOC-7", "Risk register 2026"]]));
        let printed = js(&c, &format!("const p = document.querySelector('{fs} .evidence-print'); return [p.querySelectorAll('a').length, p.querySelector('a').getAttribute('href'), p.textContent, p.querySelectorAll('script').length, document.querySelector('{fs}').classList.contains('has-evidence')]")).await?;
        assert_eq!(printed[0], json!(1), "{printed}");
        assert_eq!(printed[1], json!("https://intranet.example/policy.pdf"));
        assert!(printed[2].as_str().unwrap().contains("Policy <script>window.pwned = 1</script>") && printed[2].as_str().unwrap().contains("DOC-7: Risk register 2026"), "{printed}");
        assert_eq!((&printed[3], &printed[4]), (&json!(0), &json!(true)));

        // export, clear, import: the same evidence
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        let out: Value = serde_json::from_str(js(&c, "return window.refbookSurvey.exportJSON()").await?.as_str().unwrap())?;
        assert_eq!(out["answers"]["EF-1.1"], json!({"value": 2, "evidence": want}));
        js(&c, "window.refbookSurvey.clear(() => true)").await?;
        assert_eq!(js(&c, "return document.querySelectorAll('.evidence-row').length").await?, json!(0));
        let mut file = out.clone();
        file["answers"]["EF-1.3"] = json!({"value": 1, "evidence": [{"href": "javascript:alert(1)", "description": "<img src=x>"}, {"href": "../minutes.html"}]});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(file.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(evidence_of(&c, "EF-1.1").await?, want);
        assert_eq!(js(&c, "return document.querySelectorAll('fieldset[data-question=\"EF-1.3\"] .evidence-row').length").await?, json!(2), "rows drawn after an import");

        // the results: per area, each question with its evidence, as text
        c.goto(&file_url("survey/results/index.html")).await?;
        let res = js(&c, "const s = document.querySelector('.results-evidence'); return [
            [...s.querySelectorAll('[data-evidence-area]')].map(d => d.dataset.evidenceArea),
            [...s.querySelectorAll('li[data-evidence]')].map(l => l.dataset.evidence),
            [...s.querySelectorAll('a.evidence-link')].map(a => a.getAttribute('href')),
            s.querySelectorAll('script, img').length, s.textContent, window.pwned === undefined]").await?;
        assert_eq!(res[0], json!(["EF"]));
        assert_eq!(res[1], json!(["EF-1.1", "EF-1.3"]));
        assert_eq!(res[2], json!(["https://intranet.example/policy.pdf", "../minutes.html"]), "javascript: is no link");
        assert_eq!(res[3], json!(0), "no element from a description");
        let t = res[4].as_str().unwrap();
        assert!(t.contains("<script>window.pwned = 1</script>") && t.contains("javascript:alert(1): <img src=x>") && t.contains("DOC-7: Risk register 2026"), "{t}");
        assert_eq!(res[5], json!(true), "nothing ran");
        Ok(())
    })
    .await;
}

/// The whole-model survey shows one area at a time with a sticky navigator:
/// the areas in scope with their progress and status, previous and next, the
/// area in the address's fragment (reload and Back keep it), a compact list
/// on a phone's width.
#[tokio::test]
async fn navigator_shows_one_area_at_a_time() {
    with_browser("navigator", |c, _| async move {
        c.set_window_size(1400, 900).await?; // wide: the list is a sidebar
        c.goto(&file_url("survey/index.html")).await?;
        let codes: Vec<String> = serde_json::from_value(js(&c, "return window.refbook$data.survey.areas.map(a => a.code)").await?)?;
        let first = codes[0].clone();
        assert_eq!(areas_on_screen(&c).await?, json!([first]), "only the first area on screen");
        assert_eq!(js(&c, "return window.refbookSurvey.area()").await?, json!(first));
        assert_eq!(js(&c, "return document.querySelectorAll('#survey-area-list li[data-nav-area]').length").await?, json!(codes.len()));
        assert_eq!(js(&c, "return getComputedStyle(document.querySelector('#survey-nav')).position").await?, json!("sticky"));
        let total = js(&c, "return document.querySelectorAll('fieldset[data-question]').length").await?;
        let overall = text(&c, "#survey-nav [data-overall]").await?;
        assert_eq!(overall, format!("0 of {total} questions answered in {} areas in scope", codes.len()));
        // answering: the area's progress and the overall line follow
        let q = js(&c, "return document.querySelector('section.survey-area:not(.nav-away) fieldset[data-question]').dataset.question").await?;
        let q = q.as_str().unwrap().to_string();
        click(&c, &format!("fieldset[data-question=\"{q}\"] input[value=\"3\"]")).await?;
        let prog = tc(&c, &format!("#survey-area-list li[data-nav-area=\"{first}\"] .progress")).await?;
        assert!(prog.starts_with("1/"), "{prog}");
        assert!(text(&c, "#survey-nav [data-overall]").await?.starts_with("1 of "));
        assert!(text(&c, "#survey-nav [data-nav-current]").await?.starts_with(&format!("{first} ")));
        assert_eq!(tc(&c, &format!("#survey-area-list li[data-nav-area=\"{first}\"] .nav-status")).await?, "● assessed");

        // next area: the fragment is the area's anchor (from the page), one area on screen
        let second = codes[1].clone();
        let anchor = attr(&c, &format!("section[data-survey-area=\"{second}\"]"), "id").await?;
        assert_eq!(attr(&c, &format!("li[data-nav-area=\"{second}\"] a"), "href").await?, format!("#{anchor}"));
        click(&c, "#survey-nav [data-area-step=\"1\"]").await?;
        assert_eq!(areas_on_screen(&c).await?, json!([second]));
        assert_eq!(js(&c, "return location.hash").await?, json!(format!("#{anchor}")));
        assert_eq!(attr(&c, &format!("li[data-nav-area=\"{second}\"] a"), "aria-current").await?, "location");
        c.refresh().await?;
        assert_eq!(areas_on_screen(&c).await?, json!([second]), "a reload keeps the area");
        c.back().await?;
        assert_eq!(areas_on_screen(&c).await?, json!([first]), "Back returns to the area before");
        // a link in the list, a question's address, and an unknown fragment
        click(&c, "li[data-nav-area=\"RISK\"] a").await?;
        assert_eq!(areas_on_screen(&c).await?, json!(["RISK"]));
        c.goto(&file_url("survey/index.html#q-ef-1-2")).await?;
        c.refresh().await?;
        assert_eq!(areas_on_screen(&c).await?, json!(["EF"]), "a question's address opens its area");
        c.goto(&file_url("survey/index.html#orphans")).await?;
        c.refresh().await?;
        assert_eq!(areas_on_screen(&c).await?, json!([first]));
        assert_eq!(js(&c, "return location.hash").await?, json!("#orphans"), "a fragment of no area is left alone");

        // an area the model cannot assess shows its reason; next unanswered brings its area
        let som = tc(&c, "li[data-nav-area=\"SOM\"] .nav-status").await?;
        assert!(som.contains("not assessable"), "{som}");
        click(&c, "li[data-nav-area=\"SOM\"] a").await?;
        assert!(!text(&c, "section[data-survey-area=\"SOM\"] .status-note").await?.is_empty());
        let next = js(&c, "return window.refbookSurvey.nextUnanswered()").await?;
        let on = areas_on_screen(&c).await?;
        assert!(next.as_str().unwrap().starts_with(on[0].as_str().unwrap()), "{next} in {on}");
        assert_eq!(js(&c, "return document.activeElement.closest('fieldset').dataset.question").await?, next);

        // scope: an area left out is not listed; when it was on screen another comes
        click(&c, "li[data-nav-area=\"EF\"] a").await?;
        click(&c, "#survey-scope [data-scope-area=\"EF\"]").await?;
        assert_eq!(js(&c, "return document.querySelector('li[data-nav-area=\"EF\"]').hidden").await?, json!(true));
        let on = areas_on_screen(&c).await?;
        assert_eq!(on.as_array().unwrap().len(), 1);
        assert_ne!(on[0], json!("EF"));
        assert!(text(&c, "#survey-nav [data-overall]").await?.contains(&format!("in {} areas in scope", codes.len() - 1)));

        // on a phone: a compact control, the list behind a button
        c.set_window_size(390, 844).await?;
        let shown = "return getComputedStyle(document.querySelector('#survey-area-list')).display";
        assert_eq!(js(&c, shown).await?, json!("none"));
        assert_eq!(attr(&c, ".nav-toggle", "aria-expanded").await?, "false");
        click(&c, ".nav-toggle").await?;
        assert_ne!(js(&c, shown).await?, json!("none"));
        click(&c, "li[data-nav-area=\"RISK\"] a").await?;
        assert_eq!(areas_on_screen(&c).await?, json!(["RISK"]));
        assert_eq!(js(&c, shown).await?, json!("none"), "choosing closes the list");
        assert_eq!(js(&c, "const r = document.querySelector('#survey-nav').getBoundingClientRect(); return r.height < 200").await?, json!(true));
        Ok(())
    })
    .await;
}

/// Keyboard answering: a digit chooses that value, n gives N/A and puts the
/// focus in the reason, j / k move between questions, ] / [ between areas;
/// nothing happens while typing in a text field; the radios' own arrow keys work.
#[tokio::test]
async fn keyboard_answers_without_stealing_keys() {
    with_browser("keys", |c, _| async move {
        c.goto(&file_url("survey/index.html#survey-ef")).await?;
        c.refresh().await?;
        let help = js(&c, "const d = document.querySelector('details.keyboard-help'); return [d.open, d.querySelector('summary').textContent, d.textContent.includes('next / previous question')]").await?;
        assert_eq!(help, json!([false, "Keyboard", true]));
        js(&c, "document.querySelector('fieldset[data-question=\"EF-1.1\"] input[type=radio]').focus()").await?;
        let focused = "const f = document.activeElement.closest('fieldset'); return f ? f.dataset.question : document.activeElement.tagName";
        press(&c, "2").await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.1']").await?, json!({"value": 2}));
        assert_eq!(js(&c, focused).await?, json!("EF-1.1"));
        assert_eq!(js(&c, "return getComputedStyle(document.querySelector('fieldset[data-question=\"EF-1.1\"]')).boxShadow !== 'none'").await?, json!(true), "the question with the focus shows it");
        press(&c, "j").await?;
        assert_eq!(js(&c, focused).await?, json!("EF-1.2"));
        press(&c, "n").await?;
        assert_eq!(js(&c, "return [document.activeElement.hasAttribute('data-reason'), window.refbookSurvey.answers()['EF-1.2'].value]").await?, json!([true, "na"]));
        // typing in the reason: letters and digits are text, not commands
        press(&c, "n 1 j k ] ?").await?;
        assert_eq!(js(&c, "return [window.refbookSurvey.answers()['EF-1.2'], location.hash, document.querySelector('details.keyboard-help').open]").await?,
            json!([{"value": "na", "reason": "n 1 j k ] ?"}, "#survey-ef", false]));
        // the note too
        js(&c, "document.querySelector('fieldset[data-question=\"EF-1.3\"] .note textarea').focus()").await?;
        press(&c, "3").await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.3']").await?, json!({"note": "3"}));
        // k goes back; the radios' arrow keys are the browser's own
        js(&c, "document.querySelector('fieldset[data-question=\"EF-1.2\"] input:checked').focus()").await?;
        press(&c, "k").await?;
        assert_eq!(js(&c, focused).await?, json!("EF-1.1"));
        assert_eq!(js(&c, "return document.activeElement.value").await?, json!("2"), "the chosen answer has the focus");
        press(&c, &Key::Right.to_string()).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF-1.1'].value").await?, json!(3));
        // a generic practice offers no N/A: n does nothing there
        js(&c, "document.querySelector('fieldset[data-question=\"EF:GG2.GP1\"] input[type=radio]').focus()").await?;
        press(&c, "n").await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['EF:GG2.GP1'] === undefined").await?, json!(true));
        // ] and [ change the area and focus its first question
        press(&c, "]").await?;
        let next = js(&c, "return window.refbookSurvey.area()").await?;
        assert_ne!(next, json!("EF"));
        assert_eq!(areas_on_screen(&c).await?, json!([next.clone()]));
        assert!(js(&c, focused).await?.as_str().unwrap().starts_with(next.as_str().unwrap()));
        press(&c, "[").await?;
        assert_eq!(js(&c, "return window.refbookSurvey.area()").await?, json!("EF"));
        press(&c, "?").await?;
        assert_eq!(js(&c, "return document.querySelector('details.keyboard-help').open").await?, json!(true));
        // on an area page too
        c.goto(&file_url("areas/risk/index.html")).await?;
        js(&c, "document.querySelector('fieldset[data-question=\"RISK-1.1\"] input[type=radio]').focus()").await?;
        press(&c, "1").await?;
        press(&c, "j").await?;
        assert_eq!(js(&c, "return [window.refbookSurvey.answers()['RISK-1.1'].value, document.activeElement.closest('fieldset').dataset.question]").await?, json!([1, "RISK-1.2"]));
        Ok(())
    })
    .await;
}

/// A practice's notes and subpractices and a generic practice's elaboration
/// for the area open in place, closed at first, sanitised like every page.
#[tokio::test]
async fn guidance_opens_in_place() {
    with_browser("guidance", |c, _| async move {
        let edits = [
            ("content/areas/EF.md", "        statement: >-\n          Strategic objectives", "        notes: |\n          Notes for the assessor <script>window.pwned = 1</script> with *emphasis*.\n        subpractices:\n          - title: Gather the plans of the organization\n            notes: Look at the last two years.\n        statement: >-\n          Strategic objectives".to_string()),
            ("content/areas/EF.md", "\n---", "\nelaborations:\n  GG2.GP1: |\n    For EF, the governance of the strategic planning process.\n---".to_string()),
        ];
        build_edited_book(&site(), "guidance", &edits);
        c.goto(&file_url("survey/index.html#survey-ef")).await?;
        c.refresh().await?;
        let g = "fieldset[data-question=\"EF-1.1\"] details.guidance";
        let got = js(&c, &format!("const d = document.querySelector('{g}'); return [d.open, d.querySelector('summary').textContent, d.querySelectorAll('script').length, d.querySelectorAll('em').length, d.querySelectorAll('ol.subpractices li').length]")).await?;
        assert_eq!(got, json!([false, "Guidance: notes and subpractices", 0, 1, 1]));
        click(&c, &format!("{g} summary")).await?;
        assert_eq!(js(&c, &format!("return document.querySelector('{g}').open")).await?, json!(true));
        let t = text(&c, g).await?;
        assert!(t.contains("Notes for the assessor") && t.contains("Gather the plans of the organization") && t.contains("Look at the last two years"), "{t}");
        assert_eq!(js(&c, "return window.pwned === undefined").await?, json!(true));
        let e = "fieldset[data-question=\"EF:GG2.GP1\"] details.guidance";
        assert_eq!(js(&c, &format!("return document.querySelector('{e}').open")).await?, json!(false));
        click(&c, &format!("{e} summary")).await?;
        assert!(text(&c, e).await?.contains("governance of the strategic planning process"));
        assert_eq!(js(&c, "return document.querySelectorAll('fieldset[data-question=\"EF-1.2\"] details.guidance').length").await?, json!(0), "no guidance, no details");
        Ok(())
    })
    .await;
}
