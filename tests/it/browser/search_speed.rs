//! The search of a model a hundred times the shipped one (`tools/scale.py
//! 100`: 33,516 element pages, 2,400 areas), timed in headless Chromium from
//! file://. Ignored (building the site takes a while); run by hand:
//!
//! ```text
//! python3 tools/scale.py 100 /tmp/s100 && refbook build /tmp/s100/refbook -d /tmp/s100/site
//! SEARCH_SITE=/tmp/s100/site cargo test --test it browser::search_speed -- --ignored --nocapture
//! ```
//!
//! Prints, as medians of 15: the first keystroke on a fresh page (the index
//! loaded, then the first results shown), each further keystroke until its
//! results are in the page and until they are painted, a word that no text
//! holds and the index's trigrams rule out at once, and one that no text
//! holds but every shard has the trigrams of (every shard loaded and looked
//! into). It asserts only that
//! results appear, never a time: README ("Speed") quotes a run.

use super::*;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    v[v.len() / 2]
}

/// From the query typed to the first option in the list (`[script, painted]`
/// in ms); the index must be loaded already for the script time to mean one
/// keystroke.
const KEYSTROKE: &str = "const done = arguments[arguments.length - 1], q = arguments[0];
    const i = document.getElementById('search-input'), list = document.getElementById('search-list');
    const t0 = performance.now();
    i.value = q; i.dispatchEvent(new Event('input'));
    const first = () => {
      if (!list.querySelector('[role=option]')) return requestAnimationFrame(first);
      const t1 = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => done([t1 - t0, performance.now() - t0])));
    };
    first();";

#[tokio::test]
#[ignore]
async fn search_at_s100_answers_a_keystroke_quickly() {
    let Some(dir) = std::env::var_os("SEARCH_SITE") else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIP search_speed: set SEARCH_SITE to a built site"
        );
        return;
    };
    let site = PathBuf::from(dir);
    let Some((driver_bin, chrome)) = browser_bins("search-speed") else {
        return;
    };
    let index = std::fs::metadata(site.join("assets/search-index.js"))
        .unwrap()
        .len();
    let shards = std::fs::read_dir(site.join("assets/search"))
        .unwrap()
        .count();
    println!("index {:.1} MB, {shards} text shards", index as f64 / 1e6);
    let driver = Driver::start(&driver_bin);
    let scratch = Path::new(TMP).join(format!("browser-search-speed-{}", std::process::id()));
    let client = session(&chrome, &driver, &scratch).await;
    let page = format!("file://{}/glossary/index.html", site.display());
    run_closing(client.clone(), async move {
        let c = client;
        let mut cold = Vec::new();
        for _ in 0..5 {
            c.goto(&page).await?;
            let t = c.execute_async(KEYSTROKE, vec![json!("r")]).await?;
            cold.push(t[1].as_f64().unwrap());
        }
        println!("first keystroke, index loaded on the way: {:.0} ms (painted)", median(cold));
        c.goto(&page).await?;
        for q in ["r", "ri", "ris", "risk", "risk c", "abi-1.1", "gg2.gp1", "bkb:gg3.gp1"] {
            let (mut script, mut paint) = (Vec::new(), Vec::new());
            for _ in 0..15 {
                let t = c.execute_async(KEYSTROKE, vec![json!(q)]).await?;
                script.push(t[0].as_f64().unwrap());
                paint.push(t[1].as_f64().unwrap());
            }
            println!("keystroke {q:?}: results {:.1} ms, painted {:.1} ms", median(script), median(paint));
        }
        // Texts looked into (polled: it can take longer than a script may
        // wait): words no text holds.
        for (when, q) in [
            ("a word no text holds", "qqzzxxyy"),
            ("a word no text holds whose trigrams every shard has: every shard loaded and scanned", "reliance"),
            ("the same again, shards already loaded", "reliance"),
        ] {
            js(&c, &format!("window.speed = null; const t0 = performance.now();
                window.refbookSearch({}, r => {{ window.speed = [performance.now() - t0, r.length]; }});", json!(q))).await?;
            let mut t = Value::Null;
            for _ in 0..3000 {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                t = js(&c, "return window.speed").await?;
                if !t.is_null() {
                    break;
                }
            }
            println!("{when}: {:.0} ms ({} results)", t[0].as_f64().unwrap_or(f64::NAN), t[1]);
        }
        Ok(())
    })
    .await;
    drop(driver);
    let _ = std::fs::remove_dir_all(&scratch);
}
