//! Edits rebuild and reload; errors show until fixed; polling; a book that never built.

use super::*;

#[test]
fn edits_rebuild_reload_and_errors_show_until_fixed() {
    let dir = tmp("servetest-edit");
    let book = starter(&dir);
    let srv = Server::start(&book, &[]);
    let events = Events::open(srv.port);
    let hello = events.wait("hello", CHANGE, |_| true).expect("hello");
    assert!(json(&hello)["instance"].is_string());

    let ef = book.join("content/areas/EF.md");
    let original = std::fs::read_to_string(&ef).unwrap();
    let renamed = original.replace("name: Enterprise Focus", "name: Enterprise Focus Renamed");
    assert_ne!(renamed, original);

    // An editor's save (temp file + rename): the page changes, a reload is sent.
    let t = Instant::now();
    save_by_rename(&ef, &renamed);
    let d = events
        .wait("reload", CHANGE, |d| {
            changed(d).contains(&"areas/ef/index.html".to_string())
        })
        .expect("a reload event for the renamed area");
    eprintln!("reload after {:?}: {d}", t.elapsed());
    assert!(
        srv.get("/areas/ef/")
            .text()
            .contains("Enterprise Focus Renamed")
    );
    let line = srv
        .wait_stdout(|l| l.starts_with("rebuilt in ") && l.contains("changed)"))
        .expect("the rebuild time in the terminal");
    assert!(line.contains(" ms ("), "{line}");

    // A change to the introduction only: only the pages that show it.
    let practice_before = srv.get("/areas/ef/ef-1-1/").body;
    std::fs::write(
        &ef,
        format!("{renamed}\nA closing line for the introduction.\n"),
    )
    .unwrap();
    let d = events
        .wait("reload", CHANGE, |d| {
            changed(d).contains(&"areas/ef/index.html".to_string())
        })
        .expect("a reload event for the new introduction");
    let c = changed(&d);
    assert!(
        !c.contains(&"areas/ef/ef-1-1/index.html".to_string()),
        "{c:?}"
    );
    // The area page, the print edition, model.json, the OSCAL catalog, the
    // search text and the index (whose trigrams the new words add to).
    assert!(c.len() <= 6, "only what shows the introduction: {c:?}");
    assert_eq!(srv.get("/areas/ef/ef-1-1/").body, practice_before);
    assert!(srv.get("/areas/ef/").text().contains("A closing line"));

    // A broken edit: the last good page stays, the error is told.
    let good = srv.get("/areas/ef/").body;
    let broken = renamed.replacen(
        "category: enterprise\n",
        "category: enterprise\nbogus: 1\n",
        1,
    );
    let bogus_line = broken.lines().position(|l| l == "bogus: 1").unwrap() + 1;
    save_by_rename(&ef, &broken);
    let d = events
        .wait("errors", CHANGE, |_| true)
        .expect("an errors event");
    let e = &json(&d)["errors"][0];
    assert_eq!(e["file"], "content/areas/EF.md", "{d}");
    assert_eq!(e["line"], bogus_line as u64, "{d}");
    assert_eq!(e["col"], 1, "{d}");
    assert!(e["message"].as_str().unwrap().contains("bogus"), "{d}");
    let st = json(&srv.status());
    assert_eq!(st["ok"], false);
    assert_eq!(st["errors"][0]["file"], "content/areas/EF.md");
    assert_eq!(srv.get("/areas/ef/").body, good, "the last good page stays");
    assert!(srv.wait_stderr(&format!("content/areas/EF.md:{bogus_line}:1")));
    // A page opened now learns of the errors at once.
    let late = Events::open(srv.port);
    assert!(late.wait("hello", CHANGE, |_| true).is_some());
    assert!(
        late.wait("errors", CHANGE, |d| d.contains("bogus"))
            .is_some()
    );

    // The next good edit clears it.
    save_by_rename(&ef, &original);
    let d = events
        .wait("reload", CHANGE, |_| true)
        .expect("a reload event after the fix");
    assert!(
        changed(&d).contains(&"areas/ef/index.html".to_string()),
        "{d}"
    );
    let st = json(&srv.status());
    assert_eq!(st["ok"], true, "{st}");
    assert_eq!(st["errors"], serde_json::json!([]));
    assert!(!srv.get("/areas/ef/").text().contains("Renamed"));
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn polling_sees_edits_too() {
    let dir = tmp("servetest-poll");
    let book = starter(&dir);
    let srv = Server::start(&book, &["--poll"]);
    let events = Events::open(srv.port);
    events.wait("hello", CHANGE, |_| true).expect("hello");
    let about = book.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nPolled paragraph.\n")).unwrap();
    let d = events
        .wait("reload", CHANGE, |d| {
            changed(d).iter().any(|f| f.starts_with("pages/about/"))
        })
        .expect("a reload event from the polling watcher");
    assert!(
        srv.get("/pages/about/")
            .text()
            .contains("Polled paragraph."),
        "{d}"
    );
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_book_that_never_built_is_served_once_fixed() {
    let dir = tmp("servetest-first");
    let book = starter(&dir);
    let ef = book.join("content/areas/EF.md");
    let original = std::fs::read_to_string(&ef).unwrap();
    std::fs::write(
        &ef,
        original.replace("category: enterprise", "category: nowhere"),
    )
    .unwrap();
    let srv = Server::start(&book, &[]);
    let r = srv.get("/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("/__refbook/reload.js"));
    let st = json(&srv.status());
    assert_eq!(st["ok"], false);
    assert_eq!(st["has_site"], false);
    assert_eq!(st["errors"][0]["file"], "content/areas/EF.md", "{st}");
    let events = Events::open(srv.port);
    assert!(
        events
            .wait("errors", CHANGE, |d| d.contains("nowhere"))
            .is_some()
    );
    save_by_rename(&ef, &original);
    events
        .wait("reload", CHANGE, |d| {
            changed(d).contains(&"index.html".to_string())
        })
        .expect("a reload event once it builds");
    assert_eq!(srv.get("/").status, 200);
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Serve's report goes to standard output; a reader that goes away (a pipe
/// closed, `refbook serve | head`) does not stop the rebuilds, and the stop
/// is still clean, with no panic.
#[test]
fn a_closed_output_neither_stops_serving_nor_panics() {
    let dir = tmp("servetest-closed");
    let book = starter(&dir);
    let mut child = spawn(&book, &[]);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines
        .find_map(|l| l.ok().filter(|l| l.starts_with("serving ")))
        .expect("serve starts");
    let port = port_of(&line);
    drop(lines);
    let ef = book.join("content/areas/EF.md");
    let original = std::fs::read_to_string(&ef).unwrap();
    for (i, name) in ["Enterprise Focus Once", "Enterprise Focus Twice"]
        .iter()
        .enumerate()
    {
        save_by_rename(
            &ef,
            &original.replace("name: Enterprise Focus", &format!("name: {name}")),
        );
        let deadline = Instant::now() + CHANGE;
        while !request(port, "GET", "/areas/ef/").text().contains(name) {
            assert!(
                Instant::now() < deadline,
                "edit {i} not served with the output closed"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    // SAFETY: a plain kill(2) on our own child.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{:?}: {err}", out.status);
    assert!(!err.contains("panicked"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
