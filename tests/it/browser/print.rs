//! Printing (PDF checked with poppler), serving over HTTP, and accessibility.

use super::*;

pub(super) fn pdf_pages(pdf: &[u8]) -> usize {
    // pdfinfo (poppler, installed with the browser) reads any PDF; counting
    // uncompressed page objects is the fallback where it is missing.
    let out = Path::new(TMP).join(format!(
        "pages-{}-{:?}.pdf",
        std::process::id(),
        std::thread::current().id()
    ));
    if std::fs::write(&out, pdf).is_ok()
        && let Ok(o) = Command::new("pdfinfo").arg(&out).output()
    {
        let _ = std::fs::remove_file(&out);
        let info = String::from_utf8_lossy(&o.stdout);
        if let Some(n) = info.lines().find_map(|l| l.strip_prefix("Pages:")) {
            return n.trim().parse().unwrap_or(0);
        }
    }
    let _ = std::fs::remove_file(&out);
    let s = String::from_utf8_lossy(pdf);
    s.matches("/Type /Page")
        .count()
        .saturating_sub(s.matches("/Type /Pages").count())
}
pub(super) fn pdf_text(pdf: &[u8], name: &str) -> Option<String> {
    let out = Path::new(TMP).join(format!("{name}-{}.pdf", std::process::id()));
    std::fs::write(&out, pdf).ok()?;
    let o = Command::new("pdftotext").arg(&out).arg("-").output();
    if std::env::var_os("REFBOOK_KEEP_PDF").is_none() {
        let _ = std::fs::remove_file(&out); // REFBOOK_KEEP_PDF=1 keeps them to look at
    }
    Some(String::from_utf8_lossy(&o.ok()?.stdout).into_owned())
}

#[tokio::test]
async fn print_http_and_accessibility() {
    let axe = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    }
    with_browser("print", |c, _| async move {
        // ---- over http: the same storage behaviour ----
        let base = serve_site();
        c.goto(&format!("{base}/areas/ef/index.html")).await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "unanswered");
        answer(&c, &[("EF-1.1", "2")]).await?;
        c.refresh().await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"2\"]")).await?.is_selected().await?);
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");

        // ---- worksheets print: several pages, practice titles, boxes ----
        c.goto(&file_url("worksheets/index.html")).await?;
        let sheets = js(&c, "return [document.querySelectorAll('[data-worksheet]').length,
                                     document.querySelectorAll('.worksheet-list li').length, location.href]").await?;
        assert!(sheets[0].as_u64() >= Some(24) && sheets[0] == sheets[1], "a worksheet per area listed: {sheets}");
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        assert!(pdf.starts_with(b"%PDF"));
        let pages = pdf_pages(&pdf);
        assert!(pages > 24, "one worksheet or more per area: {pages} pages ({sheets})");
        if let Some(t) = pdf_text(&pdf, "worksheets") {
            assert!(t.contains("Establish Strategic Objectives"), "practice title printed");
            assert!(!t.contains("Print all worksheets"), "buttons are not printed");
        }
        c.goto(&file_url("worksheets/ef/index.html")).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        assert!(pdf_pages(&pdf) > 1, "EF worksheet");
        if let Some(t) = pdf_text(&pdf, "worksheet-ef") {
            assert!(t.contains("Establish Strategic Objectives") && t.contains("Notes and evidence"), "{t}");
        }

        // ---- the survey prints as a filled worksheet ----
        c.goto(&file_url("survey/index.html")).await?;
        answer(&c, &[("EF-1.1", "2")]).await?;
        c.execute("const t = document.querySelector('fieldset[data-question=\"EF-1.1\"] textarea');
                   t.value = 'Evidence: minutes of the board, a long note that must print in full';
                   t.dispatchEvent(new Event('input', {bubbles: true}));", vec![]).await?;
        // evidence prints as a list; the navigator shows one area on screen, the print has them all
        js(&c, "document.querySelector('li[data-nav-area=\"EF\"] a').click()").await?; // (the list is folded at this width)
        c.execute("const f = document.querySelector('fieldset[data-question=\"EF-1.1\"]'); f.querySelector('[data-ev-add]').click();
                   const i = f.querySelector('[data-ev=href]'); i.value = 'DOC-42'; i.dispatchEvent(new Event('input', {bubbles: true}));
                   const d = f.querySelector('[data-ev=description]'); d.value = 'Board minutes of March'; d.dispatchEvent(new Event('input', {bubbles: true}));", vec![]).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        if let Some(t) = pdf_text(&pdf, "survey") {
            assert!(t.contains("DOC-42: Board minutes of March"), "evidence printed");
            assert!(t.contains("Establish Strategic Objectives") && t.contains("Risk Management"), "every area printed");
            assert!(t.contains("must print in full"), "notes print as text");
            assert!(!t.contains("Next unanswered question") && !t.contains("Export JSON"), "toolbar not printed");
        }

        // ---- results print with the chart (a mixed assessment first) ----
        c.execute(
            "const vals = ['3', '2', '1', 'na', '0'];
             document.querySelectorAll('fieldset[data-question]').forEach((f, i) => {
               const a = f.dataset.question.split(/[-:]/)[0];
               const v = a === 'EF' ? '3' : a === 'RISK' ? '0' : a === 'COMM' || a === 'ADM' ? vals[i % 5] : a === 'CM' ? '2' : null;
               const r = v && f.querySelector(`input[value=\"${v}\"]`);
               if (r) r.click(); // generic practices offer no N/A
             });",
            vec![],
        )
        .await?;
        c.goto(&file_url("survey/results/index.html")).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        if let Some(t) = pdf_text(&pdf, "results") {
            assert!(t.contains("Capability level by area") && t.contains("Whole model"), "results print");
        }

        // ---- axe-core: no violations ----
        let Some(axe) = axe else { return Ok(()) };
        // the results with everything shown: targets, a roadmap with its plan, a comparison, snapshots
        c.goto(&file_url("survey/results/index.html")).await?;
        let file = js(&c, "window.refbookSurvey.setTarget(['EF', 'COMM', 'CM'], 3); return window.refbookSurvey.exportJSON()").await?;
        js_with(&c, "window.refbookSurvey.compareJSON(arguments[0], 'earlier.json'); window.refbookSurvey.saveSnapshot('Baseline', '2026-01-01');
                     window.refbookSurvey.saveSnapshot('Later', '2026-02-01');", vec![file]).await?;
        assert!(js(&c, "return document.querySelectorAll('tr[data-roadmap-item] input[data-plan]').length").await?.as_u64() > Some(0));
        for page in ["areas/ef/index.html", "survey/index.html", "survey/results/index.html", "worksheets/ef/index.html", "worksheets/index.html"] {
            c.goto(&file_url(page)).await?;
            let v = axe_violations(&c, &axe).await?;
            assert_eq!(v, json!([]), "axe violations on {page}");
        }
        // the survey's compact navigator on a phone, its list open
        c.set_window_size(390, 844).await?;
        c.goto(&file_url("survey/index.html")).await?;
        click(&c, ".nav-toggle").await?;
        let v = axe_violations(&c, &axe).await?;
        assert_eq!(v, json!([]), "axe violations on the survey at 390 px");
        Ok(())
    })
    .await;
}

/// Worksheets on paper: the blank ones and the filled survey (areas in scope
/// only) have no page holding only the notice, nothing past the page's edge,
/// the rating scale on each sheet; on screen they say they are print-only.
#[tokio::test]
async fn worksheets_print_right() {
    with_browser("worksheets-pdf", |c, _| async move {
        c.goto(&file_url("worksheets/ef/index.html")).await?;
        assert!(text(&c, "main").await?.contains("Paper form"), "print-only on screen, said so");
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        let pages = pdf_pages(&pdf);
        assert_eq!(super::results::pages_fit_and_are_not_only_the_notice(&c, &pdf, "worksheet-ef").await?, pages);
        c.goto(&file_url("worksheets/index.html")).await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        let pages = pdf_pages(&pdf);
        assert_eq!(super::results::pages_fit_and_are_not_only_the_notice(&c, &pdf, "worksheets").await?, pages);
        if let Some(t) = pdf_text(&pdf, "worksheets-legend") {
            let sheets = js(&c, "return document.querySelectorAll('[data-worksheet]').length").await?.as_u64().unwrap() as usize;
            assert_eq!(t.matches("Rating scale").count(), sheets, "the scale on each sheet");
        }
        // the survey prints the areas in scope only
        c.goto(&file_url("survey/index.html")).await?;
        js(&c, "localStorage.setItem('refbook:cert-ref:answers', JSON.stringify({format: 'refbook-survey', version: 2, model: 'cert-ref',
                  areas_in_scope: ['EF'], respondent: {organization: 'Acme'}, answers: {'EF-1.1': {value: 3}}}));").await?;
        c.refresh().await?;
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        let pages = pdf_pages(&pdf);
        assert_eq!(super::results::pages_fit_and_are_not_only_the_notice(&c, &pdf, "survey-scope").await?, pages);
        if let Some(t) = pdf_text(&pdf, "survey-scope") {
            assert!(t.contains("Establish Strategic Objectives"), "EF printed");
            assert!(!t.contains("COMM-1.1"), "out-of-scope areas are not printed");
            assert!(t.contains("Rating scale"), "the scale with the filled sheet");
        }
        Ok(())
    })
    .await;
}
