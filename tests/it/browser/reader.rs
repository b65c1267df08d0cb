//! A reader never fights the site: every page kind opens at its top, fits a
//! wide screen and a phone without sideways scrolling, keeps its header small
//! on a phone, and aligns table columns without inline styles.

use super::*;

/// One page of each kind (and the pages that used to open scrolled down).
const PAGES: &[&str] = &[
    "index.html",
    "categories/enterprise/index.html",
    "areas/ef/index.html",
    "areas/pm/index.html",
    "areas/mon/index.html",
    "areas/rrd/index.html",
    "areas/ef/ef-1/index.html",
    "areas/ef/ef-1-1/index.html",
    "generic/gg1/index.html",
    "generic/gg3/index.html",
    "generic/gg2/gg2-gp1/index.html",
    "glossary/index.html",
    "pages/errata/index.html",
    "survey/index.html",
    "survey/results/index.html",
    "worksheets/index.html",
    "worksheets/ef/index.html",
    "print/index.html",
];

/// Where the window stands once the page's scripts have run, how wide the
/// page is against the window, and the header's height.
async fn geometry(c: &Client, rel: &str) -> R<Value> {
    c.goto(&file_url(rel)).await?;
    js(
        c,
        "return { y: window.scrollY, sidebar: !!document.querySelector('#sidebar ul'),
                  wide: document.documentElement.scrollWidth, inner: window.innerWidth,
                  header: document.querySelector('.topbar').getBoundingClientRect().height,
                  // The innermost element sticking out, to name it in a failure.
                  culprit: [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1
                      && !(e.parentElement && e.parentElement.closest('.table-wrap, [class*=scroll]')))
                    .map(e => e.tagName + '.' + e.className + ' ' + (e.textContent || '').slice(0, 40)).pop() || null };",
    )
    .await
}

#[tokio::test]
async fn every_page_kind_opens_at_its_top_and_fits_both_widths() {
    with_browser("reader-geometry", |c, _| async move {
        let mut problems = Vec::new();
        for (w, h) in [(1366u32, 900u32), (390, 844)] {
            c.set_window_size(w, h).await?;
            for rel in PAGES {
                let g = geometry(&c, rel).await?;
                if g["y"] != json!(0) {
                    problems.push(format!("{w}px {rel}: opened {} px down", g["y"]));
                }
                if !g["sidebar"].as_bool().unwrap_or(false) {
                    problems.push(format!("{w}px {rel}: the sidebar was not built"));
                }
                if g["wide"].as_f64() > g["inner"].as_f64() {
                    problems.push(format!(
                        "{w}px {rel}: {} px wide in {} px ({})",
                        g["wide"], g["inner"], g["culprit"]
                    ));
                }
                if w == 390 && g["header"].as_f64().unwrap_or(999.0) > 56.0 {
                    problems.push(format!("{w}px {rel}: header {} px high", g["header"]));
                }
            }
        }
        assert!(problems.is_empty(), "{}", problems.join("\n"));

        // A fragment is where the page opens.
        c.set_window_size(1366, 900).await?;
        c.goto(&file_url("areas/ef/index.html#areas-ef-ef-2")).await?;
        let top = js(
            &c,
            "return Math.round(document.getElementById('areas-ef-ef-2').getBoundingClientRect().top)",
        )
        .await?;
        assert!(
            top.as_f64().is_some_and(|t| (0.0..120.0).contains(&t)),
            "EF-2 at {top}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_the_contents_search_and_tools_open_from_the_header() {
    with_browser("reader-phone", |c, _| async move {
        c.set_window_size(390, 844).await?;
        c.goto(&file_url("areas/ef/ef-1-1/index.html")).await?;
        let shown = "return ['sidebar', 'search', 'tools'].map(id => {
            const r = document.getElementById(id).getBoundingClientRect();
            return getComputedStyle(document.getElementById(id)).visibility !== 'hidden'
              && r.width > 0 && r.right > 0 && r.left < innerWidth; });";
        assert_eq!(js(&c, shown).await?, json!([false, false, false]));

        click(&c, "#nav-toggle").await?;
        // The drawer slides in: wait for its transition to end.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(js(&c, shown).await?, json!([true, false, false]));
        assert_eq!(attr(&c, "#nav-toggle", "aria-expanded").await?, "true");
        let current = js(
            &c,
            "const a = document.querySelector('#sidebar [aria-current]');
            const r = a.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight;",
        )
        .await?;
        assert_eq!(
            current,
            json!(true),
            "the current page is in view in the drawer"
        );

        click(&c, "#search-toggle").await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(
            js(&c, shown).await?,
            json!([false, true, false]),
            "one panel at a time"
        );
        assert_eq!(
            js(&c, "return document.activeElement.id").await?,
            json!("search-input")
        );
        c.active_element().await?.send_keys("EF-1.1").await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        let first = js(
            &c,
            "const a = document.querySelector('#search-results a'); return a && a.textContent;",
        )
        .await?;
        assert!(
            first.as_str().is_some_and(|t| t.starts_with("EF-1.1")),
            "{first}"
        );

        c.active_element().await?.send_keys("\u{e00c}").await?; // Escape
        click(&c, "#tools-toggle").await?;
        assert_eq!(js(&c, shown).await?, json!([false, false, true]));
        c.active_element().await?.send_keys("\u{e00c}").await?;
        assert_eq!(js(&c, shown).await?, json!([false, false, false]));
        assert_eq!(
            js(&c, "return document.activeElement.id").await?,
            json!("tools-toggle")
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_sidebar_moves_only_itself_and_keeps_its_place() {
    with_browser("reader-sidebar", |c, _| async move {
        c.set_window_size(1366, 700).await?;
        // Far down the contents: the sidebar scrolls to it, the window does not.
        c.goto(&file_url("generic/gg3/index.html")).await?;
        let g = js(&c, "const n = document.getElementById('sidebar');
            const a = n.querySelector('[aria-current=page]').getBoundingClientRect();
            const r = n.getBoundingClientRect();
            return { y: scrollY, nav: n.scrollTop, inside: a.top >= r.top && a.bottom <= r.bottom };").await?;
        assert_eq!(g["y"], json!(0), "{g}");
        assert!(g["nav"].as_f64().unwrap_or(0.0) > 0.0, "{g}");
        assert_eq!(g["inside"], json!(true), "{g}");

        // Scrolled by the reader, it reopens there on the next page when that
        // page's entry is already in view.
        js(&c, "document.getElementById('sidebar').scrollTop = 40;").await?;
        c.goto(&file_url("index.html")).await?;
        js(&c, "document.getElementById('sidebar').scrollTop = 40;").await?;
        // (COMP, the second area in the report's order, is near the top of the contents)
        c.goto(&file_url("areas/comp/index.html")).await?;
        let nav = js(&c, "return document.getElementById('sidebar').scrollTop").await?;
        assert_eq!(nav, json!(40), "the sidebar's own place is kept");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn table_columns_are_aligned_by_class_under_the_csp() {
    with_browser("reader-tables", |c, _| async move {
        c.goto(&file_url("areas/rrd/index.html")).await?;
        let cells = js(
            &c,
            "return [...document.querySelectorAll('main table tr:nth-child(1) td')]
            .map(td => getComputedStyle(td).textAlign);",
        )
        .await?;
        let cells: Vec<String> = serde_json::from_value(cells)?;
        assert!(cells.len() >= 5, "{cells:?}");
        assert_eq!(cells[0], "left", "{cells:?}");
        assert!(cells[1..].iter().all(|a| a == "center"), "{cells:?}");
        let styled = js(
            &c,
            "return document.querySelectorAll('main [style]').length",
        )
        .await?;
        assert_eq!(styled, json!(0));
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn printed_pages_are_numbered_under_a_running_header() {
    with_browser("reader-print", |c, _| async move {
        use super::print::{pdf_pages, pdf_text};
        let print = || c.print(PrintConfiguration::builder().build().unwrap());
        c.goto(&file_url("print/index.html")).await?;
        let pdf = print().await?;
        let pages = pdf_pages(&pdf);
        assert!(pages > 50, "{pages} pages");
        let Some(t) = pdf_text(&pdf, "print-edition") else {
            return Ok(()); // no poppler: the page count above is what can be checked
        };
        // pdftotext ends each page with a form feed.
        let sheets: Vec<&str> = t.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
        assert_eq!(sheets.len(), pages, "every page has text");
        for (i, p) in sheets.iter().enumerate() {
            let n = format!("Page {} of {pages}", i + 1);
            assert!(p.contains(&n), "page {} lacks {n:?}:\n{p}", i + 1);
            assert!(
                p.contains("CERT Resiliency Engineering Framework"),
                "page {}: no running header",
                i + 1
            );
        }
        assert!(
            sheets[0].contains("Contents"),
            "the edition opens with its contents"
        );
        let ef = sheets
            .iter()
            .filter(|p| p.contains("EF Enterprise Focus"))
            .count();
        assert!(ef >= 2, "the EF pages name their area in the header: {ef}");

        c.goto(&file_url("areas/ef/ef-1-1/index.html")).await?;
        let pdf = print().await?;
        if let Some(t) = pdf_text(&pdf, "practice") {
            assert!(t.contains("Page 1 of"), "{t}");
            assert!(t.contains("EF Enterprise Focus"), "{t}");
        }
        Ok(())
    })
    .await;
}
