//! A new version of a model that renamed ids: answers saved under the old
//! ids move to the new ones, with a notice naming each; an imported file's
//! too; an old address opened from disk leads to the new page; the page of
//! changes passes axe.

use super::*;

const KEY: &str = "refbook:my-model:answers";

#[tokio::test]
async fn answers_saved_under_old_ids_move_after_a_rename() {
    let Ok(axe) = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js"))
    else {
        return skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    };
    with_browser("versions", |c, _| async move {
        // The shipped book's site gives way to version 2 of the fixture.
        let v2 = format!("{ROOT}/tests/fixtures/versions/v2");
        let o = crate::common::refbook(&["build", &v2, "-d", site().to_str().unwrap()]);
        assert!(o.status.success(), "{o:?}");

        c.goto(&file_url("areas/ef/index.html")).await?;
        let saved = json!({"format": "refbook-survey", "version": 2, "model": "my-model", "respondent": {},
            "answers": {"EF-1.1": {"value": 3, "note": "Board minutes"}, "OLD-1.1": {"value": 2},
                "OLD:GG2.GP1": {"value": 3}, "EF-2.1": {"value": 1}}});
        js_with(&c, "localStorage.setItem(arguments[0], arguments[1])", vec![json!(KEY), json!(saved.to_string())]).await?;
        c.refresh().await?;

        let answers = js(&c, "return window.refbookSurvey.answers()").await?;
        assert_eq!(
            answers,
            json!({"EF-1.4": {"value": 3, "note": "Board minutes"}, "GOV-1.1": {"value": 2},
                "GOV:GG2.GP1": {"value": 3}, "EF-2.1": {"value": 1}})
        );
        let msgs = text(&c, "#survey-messages").await?;
        assert!(msgs.contains("3 saved answers named ids that this version of the model renamed; they moved to the new ids:"), "{msgs}");
        for moved in ["EF-1.1 \u{2192} EF-1.4", "OLD-1.1 \u{2192} GOV-1.1", "OLD:GG2.GP1 \u{2192} GOV:GG2.GP1"] {
            assert!(msgs.contains(moved), "{moved} not in {msgs}");
        }
        // The question shows its moved answer; the removed practice's stays an orphan.
        let checked = "return document.querySelector('fieldset[data-question=\"EF-1.4\"] input[value=\"3\"]').checked";
        assert_eq!(js(&c, checked).await?, json!(true));
        assert_eq!(js(&c, "return window.refbookSurvey.orphans()").await?, json!(["EF-2.1"]));
        // The move is saved: told once.
        let stored = js_with(&c, "return JSON.parse(localStorage.getItem(arguments[0])).answers", vec![json!(KEY)]).await?;
        assert!(stored.get("EF-1.4").is_some() && stored.get("EF-1.1").is_none(), "{stored}");
        c.refresh().await?;
        assert!(!text(&c, "#survey-messages").await.unwrap_or_default().contains("renamed"));

        // An imported file of version 1 moves the same way.
        c.goto(&file_url("survey/index.html")).await?;
        c.execute("window.confirm = () => true;", vec![]).await?;
        let file = json!({"format": "refbook-survey", "version": 2, "model": "my-model", "model_version": "1.0",
            "answers": {"EF-1.1": {"value": 1}, "EF-1.2": {"value": 2}},
            "plan": {"EF-1.1": {"owner": "Ann"}}});
        let r = js_with(&c, "return window.refbookSurvey.importJSON(arguments[0])", vec![json!(file.to_string())]).await?;
        assert_eq!(r["ok"], true, "{r}");
        assert_eq!(r["moved"], json!(["EF-1.1 \u{2192} EF-1.4"]), "{r}");
        assert_eq!(r["unknown"], json!([]), "{r}");
        assert_eq!(js(&c, "return window.refbookSurvey.answers()").await?, json!({"EF-1.4": {"value": 1}, "EF-1.2": {"value": 2}}));
        assert_eq!(js(&c, "return window.refbookSurvey.plan()").await?, json!({"EF-1.4": {"owner": "Ann"}}));
        assert!(text(&c, "#survey-messages").await?.contains("1 answer of the file named ids that this version of the model renamed"));

        // An old address, opened from disk, leads to the new page.
        c.goto(&file_url("areas/old/old-1-1/index.html")).await?;
        let mut url = String::new();
        for _ in 0..50 {
            url = c.current_url().await?.to_string();
            if url.ends_with("areas/gov/gov-1-1/index.html") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(url.ends_with("areas/gov/gov-1-1/index.html"), "still at {url}");

        c.goto(&file_url("changes/index.html")).await?;
        let v = axe_violations(&c, &axe).await?;
        assert_eq!(v, json!([]), "axe on the page of changes");
        let nav = js(&c, "return [...document.querySelectorAll('#sidebar a')].some(a => a.textContent === 'Changes in this version' && a.getAttribute('aria-current') === 'page')").await?;
        assert_eq!(nav, json!(true), "the sidebar links to the page of changes");
        Ok(())
    })
    .await;
}
