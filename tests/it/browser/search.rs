//! The search box and the page's outline, in Chromium from file://: every
//! kind of id a page shows, words that only notes, subpractices or the
//! glossary hold, snippets with the words marked, the keyboard (combobox and
//! listbox), shards loaded only when needed; "On this page" beside the text
//! on a wide screen and not on a phone.

use super::*;

/// Types `q` into the search box (cleared first) and waits until the texts
/// have been looked into; returns the results as `[id, kind, href, snippet,
/// marked words]`.
async fn type_query(c: &Client, q: &str) -> R<Value> {
    js(
        c,
        "const i = document.getElementById('search-input'); i.value = ''; i.focus();",
    )
    .await?;
    c.find(Locator::Css("#search-input"))
        .await?
        .send_keys(q)
        .await?;
    settled(c, q).await
}

/// Puts `q` into the search box at once, so that no shorter query loads
/// shards on the way, and waits for its results as [`type_query`] does.
async fn paste_query(c: &Client, q: &str) -> R<Value> {
    let paste = format!(
        "const i = document.getElementById('search-input'); i.value = {};
         i.dispatchEvent(new Event('input'));",
        json!(q)
    );
    js(c, &paste).await?;
    settled(c, q).await
}

/// The results once the search of `q` is done and each has its snippet.
async fn settled(c: &Client, q: &str) -> R<Value> {
    for _ in 0..100 {
        let v = js(
            c,
            "const note = document.getElementById('search-note');
             if (note.textContent.startsWith('Searching')) return null;
             const opts = [...document.querySelectorAll('#search-list [role=option]')];
             if (!opts.length && note.textContent !== 'No match') return null;
             // Snippets arrive with their shard.
             if (opts.some(o => !o.querySelector('.snippet'))) return null;
             return opts.map(o => [(o.querySelector('.id') || {}).textContent || '', o.querySelector('.kind').textContent,
               o.getAttribute('href'), o.querySelector('.snippet').textContent,
               [...o.querySelectorAll('.snippet mark')].map(m => m.textContent.toLowerCase())]);",
        )
        .await?;
        if !v.is_null() {
            return Ok(v);
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("no results for {q:?}");
}

fn ids(results: &Value) -> Vec<&str> {
    results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[0].as_str().unwrap())
        .collect()
}

/// The search data the page holds: the index, and which shards are loaded.
async fn loaded_shards(c: &Client) -> R<Value> {
    js(
        c,
        "return Object.keys(window.refbook$data || {}).filter(k => k.startsWith('search_text_')).sort()",
    )
    .await
}

#[tokio::test]
async fn search_finds_ids_notes_and_terms_with_snippets() {
    with_browser("search-find", |c, _| async move {
        c.set_window_size(1366, 900).await?;
        c.goto(&file_url("areas/ef/ef-1-1/index.html")).await?;
        assert_eq!(loaded_shards(&c).await?, json!([]), "nothing before the box is used");

        // Every kind of id a page shows, the exact one first.
        for (id, kind, href) in [
            ("EF", "Competency area", "../../../areas/ef/index.html"),
            ("EF-1", "Competency objective", "../../../areas/ef/ef-1/index.html"),
            ("EF-1.1", "Practice", "../../../areas/ef/ef-1-1/index.html"),
            ("GG2", "Generic goal", "../../../generic/gg2/index.html"),
            ("GG2.GP1", "Generic practice", "../../../generic/gg2/gg2-gp1/index.html"),
            // The generic practice as asked for one area: that question.
            ("EF:GG2.GP1", "Generic practice for EF Enterprise Focus", "../../../areas/ef/index.html#q-ef-gg2-gp1"),
        ] {
            let r = type_query(&c, id).await?;
            assert_eq!(r[0][0], json!(id), "{id}: {r}");
            assert_eq!(r[0][1], json!(kind), "{id}");
            assert_eq!(r[0][2], json!(href), "{id}");
            assert!(!r[0][3].as_str().unwrap().is_empty(), "{id}: a snippet is shown");
        }
        // Lower case, and the id as the survey asks it leads to the question.
        let r = type_query(&c, "ef:gg2.gp1").await?;
        assert_eq!(r[0][0], json!("EF:GG2.GP1"));

        // A generic practice's title finds the practice, not every area
        // that asks it.
        let r = type_query(&c, "establish process governance").await?;
        assert_eq!(r[0][0], json!("GG2.GP1"), "{r}");
        assert!(ids(&r).iter().all(|id| !id.contains(':')), "{r}");

        // Words only the notes hold, then only a subpractice's notes.
        for q in ["perceived", "activity is expanded"] {
            let r = type_query(&c, q).await?;
            assert!(ids(&r).contains(&"GG2.GP1"), "{q}: {r}");
            let hit = r.as_array().unwrap().iter().find(|x| x[0] == json!("GG2.GP1")).unwrap();
            for w in q.split(' ') {
                assert!(hit[4].as_array().unwrap().contains(&json!(w)), "{q}: {w} marked in {hit}");
                assert!(hit[3].as_str().unwrap().to_lowercase().contains(w), "{hit}");
            }
        }
        // A glossary term by its name, and by a word of its definition only.
        for q in ["adequate operational resiliency", "fingerprint"] {
            let r = type_query(&c, q).await?;
            let term = r.as_array().unwrap().iter().find(|x| x[1] == json!("Glossary"));
            let term = term.unwrap_or_else(|| panic!("{q}: no glossary term in {r}"));
            assert_eq!(term[2], json!("../../../glossary/index.html#term-adequate-operational-resiliency"));
        }
        // Nothing found is said.
        let r = type_query(&c, "qqzzxxyy").await?;
        assert_eq!(r, json!([]));
        assert_eq!(text(&c, "#search-note").await?, "No match");

        // On a phone the results fit the screen.
        c.set_window_size(390, 844).await?;
        c.goto(&file_url("areas/ef/ef-1-1/index.html")).await?;
        click(&c, "#search-toggle").await?;
        let r = type_query(&c, "perceived").await?;
        assert!(!r.as_array().unwrap().is_empty());
        let fits = js(&c, "return document.documentElement.scrollWidth <= innerWidth
            && document.getElementById('search-results').getBoundingClientRect().right <= innerWidth").await?;
        assert_eq!(fits, json!(true), "results wider than a phone");

        // Snippets are text, never markup, whatever the content holds.
        let html = js(&c, "return [...document.querySelectorAll('#search-list .snippet *')].every(e => e.tagName === 'MARK' && e.children.length === 0)").await?;
        assert_eq!(html, json!(true));

        // The shards came from file:// as scripts: the texts are loaded now.
        let shards = loaded_shards(&c).await?;
        assert!(!shards.as_array().unwrap().is_empty(), "{shards}");
        let scripts = js(&c, "return [...document.querySelectorAll('script[src*=\"assets/search/\"]')].map(s => s.src)").await?;
        assert!(scripts.as_array().unwrap().iter().all(|s| s.as_str().unwrap().starts_with("file://")), "{scripts}");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_id_query_loads_only_the_shards_its_results_need() {
    with_browser("search-shards", |c, _| async move {
        c.goto(&file_url("index.html")).await?;
        let first = &paste_query(&c, "EF-1.1").await?[0][0];
        assert_eq!(*first, json!("EF-1.1"));
        let total = js(&c, "return window.refbook$data.search.text.length").await?;
        assert!(
            total.as_u64().unwrap() >= 2,
            "the shipped book has several shards: {total}"
        );
        let shards = loaded_shards(&c).await?;
        assert!(
            (shards.as_array().unwrap().len() as u64) < total.as_u64().unwrap(),
            "an id found in the index loads only its results' shards: {shards} of {total}"
        );
        // The script entry point finds words in every shard.
        let found = c
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 window.refbookSearch('fingerprint', r => done(r.map(e => e.kind)))",
                vec![],
            )
            .await?;
        assert!(
            found.as_array().unwrap().contains(&json!("Glossary")),
            "{found}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_word_the_texts_lack_loads_no_shard_and_a_rare_one_only_its_own() {
    with_browser("search-grams", |c, _| async move {
        c.goto(&file_url("index.html")).await?;
        // "qqz" is in no text: the index's trigrams say so before any shard.
        assert_eq!(paste_query(&c, "qqzzxxyy").await?, json!([]));
        assert_eq!(text(&c, "#search-note").await?, "No match");
        assert_eq!(
            loaded_shards(&c).await?,
            json!([]),
            "no shard for a word no text has"
        );
        // A word whose trigrams only the first shard has: found there,
        // without loading the others.
        let found = paste_query(&c, "legislation").await?;
        assert!(!found.as_array().unwrap().is_empty(), "{found}");
        let total = js(&c, "return window.refbook$data.search.text.length").await?;
        let loaded = loaded_shards(&c).await?;
        assert!(
            (loaded.as_array().unwrap().len() as u64) < total.as_u64().unwrap(),
            "only the shards that can hold it: {loaded} of {total}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn search_results_answer_the_keyboard_and_pass_axe() {
    let Ok(axe) = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js"))
    else {
        return skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    };
    with_browser("search-keys", |c, _| async move {
        c.set_window_size(1366, 900).await?;
        c.goto(&file_url("index.html")).await?;
        let r = type_query(&c, "EF-1").await?;
        assert!(r.as_array().unwrap().len() >= 3, "{r}");
        assert_eq!(attr(&c, "#search-input", "aria-expanded").await?, "true");
        assert_eq!(attr(&c, "#search-input", "role").await?, "combobox");
        assert_eq!(attr(&c, "#search-list", "role").await?, "listbox");
        assert_eq!(
            js(&c, "return getComputedStyle(document.getElementById('search-results')).display !== 'none'").await?,
            json!(true)
        );
        assert_eq!(axe_violations(&c, &axe).await?, json!([]), "results open");

        let input = c.find(Locator::Css("#search-input")).await?;
        let active = "const id = document.getElementById('search-input').getAttribute('aria-activedescendant');
            const o = id && document.getElementById(id);
            return o ? [o.getAttribute('aria-selected'), o.getAttribute('href'), document.querySelectorAll('#search-list [aria-selected=true]').length,
              document.activeElement.id] : null;";
        input.send_keys("\u{e015}").await?; // ArrowDown
        input.send_keys("\u{e015}").await?;
        let second = js(&c, active).await?;
        assert_eq!(second[0], json!("true"), "{second}");
        assert_eq!(second[1], r[1][2], "the second result is active: {second}");
        assert_eq!(second[2], json!(1), "one option selected");
        assert_eq!(second[3], json!("search-input"), "focus stays in the box");
        input.send_keys("\u{e013}").await?; // ArrowUp
        assert_eq!(js(&c, active).await?[1], r[0][2], "back to the first");
        input.send_keys("\u{e013}").await?; // ArrowUp wraps to the last
        let n = r.as_array().unwrap().len();
        assert_eq!(js(&c, active).await?[1], r[n - 1][2], "wraps to the last");

        // Escape closes the list and keeps the focus in the box.
        input.send_keys("\u{e00c}").await?;
        assert_eq!(attr(&c, "#search-input", "aria-expanded").await?, "false");
        assert_eq!(js(&c, "return document.getElementById('search-results').hidden").await?, json!(true));
        assert_eq!(js(&c, "return document.activeElement.id").await?, json!("search-input"));

        // Down opens it again; Enter opens the active result.
        input.send_keys("\u{e015}").await?;
        input.send_keys("\u{e015}").await?;
        assert_eq!(attr(&c, "#search-input", "aria-expanded").await?, "true");
        let want = js(&c, active).await?[1].as_str().unwrap().to_string();
        let before = c.current_url().await?;
        input.send_keys("\u{e007}").await?; // Enter
        for _ in 0..50 {
            if c.current_url().await? != before {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let url = c.current_url().await?;
        assert!(url.as_str().ends_with(want.trim_start_matches("./")), "{url} is not {want}");
        Ok(())
    })
    .await;
}

/// Where the outline stands and what it marks, on the page as it is.
const OUTLINE: &str = "const n = document.querySelector('nav.outline');
    if (!n) return null;
    const r = n.getBoundingClientRect(), m = document.getElementById('main').getBoundingClientRect();
    return { shown: getComputedStyle(n).display !== 'none' && r.width > 0, left: r.left, mainRight: m.right,
      links: [...n.querySelectorAll('a')].map(a => a.getAttribute('href')),
      current: [...n.querySelectorAll('a[aria-current]')].map(a => a.getAttribute('href')),
      wide: document.documentElement.scrollWidth, inner: innerWidth,
      styled: document.querySelectorAll('[style]').length };";

#[tokio::test]
async fn long_pages_have_an_outline_beside_the_text_on_wide_screens_only() {
    let Ok(axe) = std::fs::read_to_string(format!("{ROOT}/node_modules/axe-core/axe.min.js"))
    else {
        return skip_or_fail("axe: node_modules/axe-core/axe.min.js not found (npm ci)".into());
    };
    with_browser("search-outline", |c, _| async move {
        c.set_window_size(1366, 900).await?;
        c.goto(&file_url("areas/ef/index.html")).await?;
        let o = js(&c, OUTLINE).await?;
        assert_eq!(o["shown"], json!(true), "{o}");
        assert!(
            o["left"].as_f64() >= o["mainRight"].as_f64(),
            "beside the text: {o}"
        );
        let links: Vec<String> = serde_json::from_value(o["links"].clone())?;
        for want in ["#intro-h", "#obj-h", "#areas-ef-ef-2", "#survey-h"] {
            assert!(links.iter().any(|l| l == want), "{want} in {links:?}");
        }
        assert_eq!(
            o["current"],
            json!([links[0]]),
            "the first section at the top"
        );
        assert!(o["wide"].as_f64() <= o["inner"].as_f64(), "{o}");
        assert_eq!(o["styled"], json!(0), "no inline styles");
        assert_eq!(axe_violations(&c, &axe).await?, json!([]));

        // Scrolled to a section, the outline marks it.
        js(
            &c,
            "document.getElementById('areas-ef-ef-3').scrollIntoView()",
        )
        .await?;
        let mut current = Value::Null;
        for _ in 0..20 {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            current = js(&c, OUTLINE).await?["current"].clone();
            if current == json!(["#areas-ef-ef-3"]) {
                break;
            }
        }
        assert_eq!(current, json!(["#areas-ef-ef-3"]));

        // Not on paper.
        let pdf = c
            .print(PrintConfiguration::builder().build().unwrap())
            .await?;
        if let Some(t) = super::print::pdf_text(&pdf, "outline") {
            assert!(
                t.contains("Enterprise Focus") && !t.contains("On this page"),
                "{t}"
            );
        }

        // A short page has none.
        c.goto(&file_url("areas/ef/ef-1-1/index.html")).await?;
        assert_eq!(
            js(&c, OUTLINE).await?,
            Value::Null,
            "a practice's page is short"
        );

        // On a phone it is not shown, and nothing is wider than the screen.
        c.set_window_size(390, 844).await?;
        c.goto(&file_url("areas/ef/index.html")).await?;
        let o = js(&c, OUTLINE).await?;
        assert_eq!(o["shown"], json!(false), "{o}");
        assert!(o["wide"].as_f64() <= o["inner"].as_f64(), "{o}");
        Ok(())
    })
    .await;
}
