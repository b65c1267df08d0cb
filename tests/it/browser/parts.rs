//! The pages of the whole model of a large model load their areas on demand
//! (`whole-parts.js`): here the shipped book built with
//! `whole-pages-split-above = 0`, so that every area is a part of its own.
//! The survey loads the area it shows, counts and exports the answers of
//! areas it has not loaded, goes to a question of an area not loaded, and
//! prints everything from its print button; the print page and the
//! worksheets load the areas near the screen, the area a link names, and
//! every area to print.

use super::*;
use fantoccini::wd::PrintConfiguration;

fn split_site() -> PathBuf {
    let out = Path::new(TMP).join(format!("parts-site-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let to = "build-dir = \"book\"\nwhole-pages-split-above = 0".to_string();
    build_edited_book(&out, "parts", &[("book.toml", "build-dir = \"book\"", to)]);
    out
}

/// Waits (up to 10 s) until `cond`, a JS expression, is true.
async fn until(c: &Client, cond: &str) -> R {
    let script = format!(
        "const done = arguments[arguments.length - 1], t0 = Date.now();
         const poll = () => {{ if ({cond}) return done(true); if (Date.now() - t0 > 10000) return done(false); setTimeout(poll, 20); }};
         poll();"
    );
    assert_eq!(
        c.execute_async(&script, vec![]).await?,
        json!(true),
        "waited in vain for {cond}"
    );
    Ok(())
}

/// How many of the page's areas are loaded, of how many.
async fn loaded(c: &Client) -> R<(u64, u64)> {
    let v = js(c, "const p = window.refbookParts; return [p.slots().filter(p.loaded).length, p.slots().length]").await?;
    Ok((v[0].as_u64().unwrap(), v[1].as_u64().unwrap()))
}

/// The print button is clicked with window.print stood in for; returns once
/// it has been called.
async fn print_button(c: &Client, css: &str) -> R {
    js(
        c,
        "window.printed = 0; window.print = () => { window.printed++; };",
    )
    .await?;
    click(c, css).await?;
    until(c, "window.printed === 1").await
}

#[tokio::test]
async fn whole_model_pages_load_their_areas_on_demand() {
    let site = split_site();
    with_browser("parts", move |c, _| async move {
        let url = |rel: &str| format!("file://{}/{rel}", site.display());
        assert!(!std::fs::read_to_string(site.join("survey/index.html"))?.contains("COMM-1.1"), "the survey page holds no area's questions");
        assert!(site.join("survey/parts/comm.js").is_file());
        // the survey: answers of an area not loaded count, and are exported
        c.goto(&url("survey/index.html")).await?;
        js(&c, "localStorage.setItem('refbook:cert-ref:answers', JSON.stringify({format: 'refbook-survey', version: 2, model: 'cert-ref',
                  respondent: {organization: 'Acme'}, answers: {'COMM-1.1': {value: 3, note: 'kept'}}}));").await?;
        c.refresh().await?;
        let first = js(&c, "return window.refbookSurvey.area()").await?;
        let first = first.as_str().unwrap().to_string();
        until(&c, &format!("window.refbookParts.loaded('{first}')")).await?;
        assert_eq!(loaded(&c).await?, (1, 24), "only the area shown");
        let progress = js(&c, "return document.querySelector(\"#survey-area-list [data-nav-area='COMM'] .progress\").textContent").await?;
        assert!(progress.as_str().unwrap().starts_with("1/"), "COMM's progress, not loaded: {progress}");
        assert!(js(&c, "return window.refbookSurvey.exportJSON()").await?.to_string().contains("kept"));
        // an area shown is loaded, with its saved answer in place and answerable
        c.goto(&url("survey/index.html#survey-comm")).await?;
        until(&c, "window.refbookParts.loaded('COMM')").await?;
        until(&c, "document.querySelector('fieldset[data-question=\"COMM-1.1\"] input[value=\"3\"]').checked").await?;
        assert_eq!(js(&c, "return document.querySelector('fieldset[data-question=\"COMM-1.1\"] textarea').value").await?, json!("kept"));
        answer(&c, &[("COMM-1.2", "2")]).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.answers()['COMM-1.2'].value").await?, json!(2));
        assert_eq!(js(&c, "return document.querySelector('#survey-comm').classList.contains('nav-away')").await?, json!(false));
        // next area: loaded as it is shown; next unanswered reaches into areas not loaded
        click(&c, "#survey-nav [data-area-step='1']").await?;
        let next = js(&c, "return window.refbookSurvey.area()").await?;
        until(&c, &format!("window.refbookParts.loaded({next})")).await?;
        // a question of an area not loaded, named by the fragment
        c.goto(&url("survey/index.html#q-tm-1-1")).await?;
        until(&c, "document.getElementById('q-tm-1-1') && window.refbookSurvey.area() === 'TM'").await?;
        // print: every area loaded first, then printed with the answers
        print_button(&c, "button[data-action='print']").await?;
        assert_eq!(loaded(&c).await?, (24, 24));
        assert!(js(&c, "return document.querySelector('fieldset[data-question=\"COMM-1.1\"] input[value=\"3\"]').checked").await?.as_bool().unwrap());
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        if let Some(t) = super::print::pdf_text(&pdf, "parts-survey") {
            assert!(t.contains("COMM-1.1") && t.contains("TM-1.1") && t.contains("Acme"), "every area printed");
        }
        // the print page: the areas near the screen, the area a link names, every area to print
        c.goto(&url("print/index.html")).await?;
        let (some, all) = loaded(&c).await?;
        assert!(some < all, "{some} of {all} loaded at first");
        c.goto(&url("print/index.html#areas-tm-tm-1")).await?;
        until(&c, "window.refbookParts.loaded('TM') && document.getElementById('areas-tm-tm-1')").await?;
        print_button(&c, "[data-print]").await?;
        assert_eq!(loaded(&c).await?, (all, all));
        // the worksheets likewise
        c.goto(&url("worksheets/index.html")).await?;
        print_button(&c, "[data-print]").await?;
        assert_eq!(loaded(&c).await?.0, 24);
        assert_eq!(js(&c, "return document.querySelectorAll('[data-worksheet] fieldset[data-question]').length > 100").await?, json!(true));
        assert_eq!(super::console::console_errors(&c).await?, Vec::<String>::new());
        Ok(())
    })
    .await;
}
