//! In Chromium: the page reloads on an edit and shows errors.

use super::*;

async fn until(c: &fantoccini::Client, script: &str, what: &str) -> serde_json::Value {
    let deadline = Instant::now() + CHANGE;
    loop {
        let v = c.execute(script, vec![]).await.unwrap_or_default();
        if v.as_bool() != Some(false) && !v.is_null() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_browser_reloads_and_shows_errors() {
    let Some((driver_bin, chrome)) = browser_bins("the_browser_reloads_and_shows_errors") else {
        return;
    };
    let dir = tmp("servetest-browser");
    let book = starter(&dir);
    let srv = Server::start(&book, &[]);
    let driver = Driver::start(&driver_bin);
    let c = session(&chrome, &driver, &dir).await;
    let port = srv.port;
    let ef = book.join("content/areas/EF.md");
    let original = std::fs::read_to_string(&ef).unwrap();
    let c2 = c.clone();
    let body = async move {
        let c = c2;
        c.goto(&format!("http://127.0.0.1:{port}/areas/ef/"))
            .await
            .unwrap();
        // The stream is open once the server has said hello to this page.
        until(
            &c,
            "return !!document.querySelector('script[src=\"/__refbook/reload.js\"]')",
            "the script",
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        c.execute("window.__before = 1; return true", vec![])
            .await
            .unwrap();

        // An error whose text looks like markup: shown as text, never parsed.
        let broken = original.replacen(
            "category: enterprise\n",
            "category: enterprise\n\"<img src=x id=injected>\": 1\n",
            1,
        );
        save_by_rename(&ef, &broken);
        let text = until(
            &c,
            "var o = document.getElementById('refbook-error-overlay'); return o && o.textContent",
            "the error overlay",
        )
        .await;
        let text = text.as_str().unwrap().to_string();
        assert!(text.contains("content/areas/EF.md:5:"), "{text}");
        assert!(text.contains("<img src=x id=injected>"), "{text}");
        let injected = c
            .execute(
                "return document.getElementById('injected') === null && window.__before === 1",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            injected,
            serde_json::json!(true),
            "no markup from errors, no reload"
        );

        // The fix: the page reloads (the marker goes) and the overlay is gone.
        save_by_rename(
            &ef,
            &original.replace("name: Enterprise Focus", "name: Enterprise Focus Live"),
        );
        until(
            &c,
            "return window.__before === undefined && document.readyState === 'complete'",
            "the reload",
        )
        .await;
        let v = c
            .execute(
                "return [document.getElementById('refbook-error-overlay') === null, document.body.textContent.includes('Enterprise Focus Live')]",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(v, serde_json::json!([true, true]));
    };
    run_closing(c, async move {
        body.await;
        Ok(())
    })
    .await;
    drop(driver);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}
