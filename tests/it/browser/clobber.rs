//! Content that names elements like the scripts' globals changes nothing.

use super::*;

/// Every global name the theme's scripts read or write, and the namespace the
/// data scripts fill. Content with `allow-html` may give an element any of
/// these as its id, and the window then shows that element under the name.
const SCRIPT_GLOBALS: &[&str] = &[
    "REFBOOK_SURVEY",
    "REFBOOK_NAV",
    "REFBOOK_SEARCH",
    "refbook$data",
    "refbookSurvey",
    "refbookSearch",
];

/// Members of `document` the scripts use. A document shows an `<img>`,
/// `<form>`, `<embed>` or `<object>` by its name even over its own members,
/// which only the sanitizer stops (it keeps no `name` attribute): the test
/// checks it goes on doing so.
const DOCUMENT_MEMBERS: &[&str] = &[
    "querySelector",
    "querySelectorAll",
    "getElementById",
    "createElement",
    "createElementNS",
    "createTextNode",
    "documentElement",
    "body",
    "head",
    "readyState",
    "activeElement",
    "adoptedStyleSheets",
    "addEventListener",
];

/// The shipped book with `allow-html = true`, whose model-wide notice (on every page)
/// and one practice statement hold elements named like the scripts' globals.
fn build_clobbered_site(out: &Path) {
    let ids: String = SCRIPT_GLOBALS
        .iter()
        .map(|g| format!("<a id=\"{g}\"></a><a name=\"{g}\"></a>"))
        .chain(
            DOCUMENT_MEMBERS
                .iter()
                .map(|m| format!("<img name=\"{m}\" alt=\"\">")),
        )
        .collect();
    let statement = "Strategic objectives that support drivers";
    build_edited_book(
        out,
        "clobber",
        &[
            (
                "book.toml",
                "[build]\n",
                "[build]\nallow-html = true\n".into(),
            ),
            (
                // (the shipped model's notices are its sources'; a model-wide
                // notice stands on every page)
                "content/model.yaml",
                "terms:\n",
                format!("notice: |-\n  {ids}\nterms:\n"),
            ),
            (
                "content/areas/EF.md",
                statement,
                format!("<span id=\"REFBOOK_SURVEY\">see</span> {statement}"),
            ),
        ],
    );
}

#[tokio::test]
async fn scripts_ignore_elements_named_like_their_globals() {
    with_browser("clobber", |c, _| async move {
        build_clobbered_site(&site());
        let globals = json!(SCRIPT_GLOBALS);
        // The content's elements are on the page and shadow the names that no
        // script assigns (otherwise this test would prove nothing).
        for page in ["index.html", "worksheets/ef/index.html", "worksheets/index.html", "survey/index.html", "areas/ef/index.html"] {
            c.goto(&file_url(page)).await?;
            let named = js_with(&c, "return arguments[0].filter(m => Object.prototype.hasOwnProperty.call(document, m) ||
                document[m] instanceof HTMLImageElement || document[m] instanceof HTMLCollection)", vec![json!(DOCUMENT_MEMBERS)]).await?;
            assert_eq!(named, json!([]), "the document's own members stay its own on {page}");
            let present = js_with(&c, "return arguments[0].filter(g => !document.getElementById(g))", vec![globals.clone()]).await?;
            assert_eq!(present, json!([]), "elements named like the globals on {page}");
            let images = js(&c, "return document.querySelectorAll('footer img').length").await?;
            assert_eq!(images, json!(DOCUMENT_MEMBERS.len()), "images in the notice on {page}");
            if !page.starts_with("survey/") && !page.starts_with("areas/") {
                // No survey data on these pages: nothing but the content sets the name.
                let shadowed = js(&c, "return window.REFBOOK_SURVEY instanceof Element || window.REFBOOK_SURVEY instanceof HTMLCollection").await?;
                assert_eq!(shadowed, json!(true), "content shadows window.REFBOOK_SURVEY on {page}");
            }
            // The sidebar is drawn from nav.js.
            let nav = js(&c, "return document.querySelectorAll('#sidebar a[href$=\"areas/ef/index.html\"]').length").await?;
            assert_eq!(nav, json!(1), "sidebar on {page}");
        }

        // ---- worksheets: blank forms, prepared for print ----
        for page in ["worksheets/ef/index.html", "worksheets/index.html"] {
            c.goto(&file_url(page)).await?;
            let named = js(&c, "return [...document.querySelectorAll('[data-worksheet]')].every(w => /^refbook-area-\\d+$/.test(w.getAttribute('data-page-name') || ''))").await?;
            assert_eq!(named, json!(true), "survey-print.js named each worksheet's print page on {page}");
            assert_eq!(js(&c, "return document.querySelectorAll('[data-worksheet] input:checked').length").await?, json!(0));
        }

        // ---- the survey on an area page and on the whole-model page ----
        c.goto(&file_url("areas/ef/index.html")).await?;
        assert_eq!(js(&c, "return window.refbookSurvey.key").await?, json!("refbook:cert-ref:answers"));
        answer(&c, &[("EF-1.1", "3")]).await?;
        assert_eq!(obj_state(&c, "EF-1").await?, "partial");
        c.goto(&file_url("survey/index.html")).await?;
        assert!(c.find(Locator::Css("fieldset[data-question=\"EF-1.1\"] input[value=\"3\"]")).await?.is_selected().await?);
        assert!(text(&c, "#survey-progress").await?.starts_with("1 of "), "progress counted");
        c.goto(&file_url("survey/results/index.html")).await?;
        assert_eq!(attr(&c, "#results svg.level-chart g[data-area=\"EF\"]", "data-level").await?, "0");

        // ---- search, through the page's box and the script's entry point ----
        c.goto(&file_url("index.html")).await?;
        let input = c.find(Locator::Css("#search-input")).await?;
        input.send_keys("EF-1.1").await?;
        let mut first = String::new();
        for _ in 0..50 {
            first = js(&c, "const a = document.querySelector('#search-results a .id'); return a ? a.textContent : ''").await?
                .as_str().unwrap_or_default().to_string();
            if !first.is_empty() { break; }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(first, "EF-1.1", "search box finds the practice");
        let found = c.execute_async("const done = arguments[arguments.length - 1];
            window.refbookSearch('risk', r => done(r.length))", vec![]).await?;
        assert!(found.as_u64().unwrap_or(0) > 0, "search by words: {found}");
        Ok(())
    })
    .await;
}
