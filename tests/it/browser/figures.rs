//! The clusters' figures drawn from the model, and the Notices page: axe-clean,
//! drawn (the SVG has a size and its text), and on paper with their words.

use super::print::pdf_text;
use super::*;

#[tokio::test]
async fn figures_and_notices_are_accessible_and_print() {
    let axe = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    }
    with_browser("figures", |c, _| async move {
        // ---- drawn where the text cites it: a box per area, an edge per relation ----
        c.goto(&file_url("categories/engineering/index.html")).await?;
        let drawn = js(
            &c,
            "const f = document.getElementById('figure-asset'), svg = f.querySelector('svg'), b = svg.getBoundingClientRect();
             return [Math.round(b.width), Math.round(b.height), svg.querySelectorAll('rect.diagram-node').length,
                     svg.querySelectorAll('line').length, f.querySelectorAll('figcaption li').length,
                     svg.querySelector('g').getAttribute('role'), getComputedStyle(svg.querySelector('.diagram-edge')).stroke !== 'none']",
        )
        .await?;
        assert!(drawn[0].as_u64() > Some(300) && drawn[1].as_u64() > Some(100), "drawn: {drawn}");
        assert_eq!(drawn.as_array().unwrap()[2..], [json!(6), json!(5), json!(5), json!("img"), json!(true)], "{drawn}");
        // A box leads to its area's page.
        let href = attr(&c, "#figure-asset svg a", "href").await?;
        assert!(href.ends_with("areas/adm/index.html"), "{href}");

        // ---- on paper: the figure's words are in the PDF ----
        let pdf = c.print(PrintConfiguration::builder().build().unwrap()).await?;
        assert!(pdf.starts_with(b"%PDF"));
        if let Some(t) = pdf_text(&pdf, "figure") {
            let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
            for words in ["Figure 10: Asset Resiliency Management Cluster", "ADM", "ECFM", "facilities", "Figure 11: Protect and Sustain Cluster", "coordination"] {
                assert!(t.contains(words), "the printed category page has {words:?}:\n{t}");
            }
        }

        // ---- axe-core: no violations ----
        let Some(axe) = axe else { return Ok(()) };
        for page in ["notices/index.html", "categories/engineering/index.html", "categories/operations/index.html", "areas/mon/index.html"] {
            c.goto(&file_url(page)).await?;
            let v = axe_violations(&c, &axe).await?;
            assert_eq!(v, json!([]), "axe violations on {page}");
        }
        Ok(())
    })
    .await;
}
