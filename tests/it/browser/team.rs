//! The team report (`refbook report --format html`) in Chromium from
//! file://: its one style element passes its own Content-Security-Policy
//! (the theme's colours apply), nothing is logged as an error, and axe
//! finds no violation.

use super::console::console_errors;
use super::*;

#[tokio::test]
async fn team_report_opens_from_file_with_its_style_and_no_violation() {
    let axe = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    }
    let dir = Path::new(TMP).join(format!("team-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("report.html");
    let fixture = |p: &str| format!("{ROOT}/tests/fixtures/team/{p}");
    let o = crate::common::refbook(&[
        "report",
        "--book",
        ROOT,
        &fixture("disputed"),
        &fixture("dates/2025.json"),
        &fixture("scopes/payroll-dan.json"),
        "--format",
        "html",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    let url = format!("file://{}", out.display());
    with_browser("team", move |c, _| async move {
        console_errors(&c).await?;
        c.goto(&url).await?;
        assert_eq!(js(&c, "return document.readyState").await?, json!("complete"));
        assert_eq!(console_errors(&c).await?, Vec::<String>::new(), "console errors (CSP refusals among them)");
        // The style element ran: the theme's heat-map colour and the page's layout apply.
        let styled = js(&c, "const td = document.querySelector('td.hm-not-achieved');
            const bg = getComputedStyle(td).backgroundColor;
            return [bg, getComputedStyle(document.querySelector('main')).maxWidth, document.styleSheets.length]").await?;
        assert_ne!(styled[0], json!("rgba(0, 0, 0, 0)"), "heat-map colour: {styled}");
        assert_eq!(styled[1], json!("1024px"), "{styled}");
        // No script ran from the answer files' text; it is shown as text.
        let shown = js(&c, "return [document.scripts.length, document.body.textContent.includes('<script>alert(1)</script>')]").await?;
        assert_eq!(shown, json!([0, true]));
        let rows = js(&c, "return document.querySelectorAll('tr.disputed').length").await?;
        assert_eq!(rows, json!(2));
        let Some(axe) = axe else { return Ok(()) };
        let v = axe_violations(&c, &axe).await?;
        assert_eq!(v, json!([]), "axe violations on the team report");
        Ok(())
    })
    .await;
}
