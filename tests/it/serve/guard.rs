//! Slow request heads are dropped; requests for another host are refused.

use super::*;

/// How long serve waits for a request head, with room for a busy machine.
const HEAD_BOUND: Duration = Duration::from_secs(15);

/// Reads until the server closes `s`; panics if it is still open after
/// `HEAD_BOUND`. Returns what the server sent.
fn closed_within_bound(mut s: TcpStream, what: &str) -> String {
    s.set_read_timeout(Some(HEAD_BOUND)).unwrap();
    let t = Instant::now();
    let mut got = Vec::new();
    let mut buf = [0u8; 1024];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got.extend_from_slice(&buf[..n]),
            // Closed with unread bytes in the server's buffer.
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("{what}: still open after {:?} ({e})", t.elapsed()),
        }
        assert!(t.elapsed() < HEAD_BOUND, "{what}: still open");
    }
    eprintln!("{what}: closed after {:?}", t.elapsed());
    String::from_utf8_lossy(&got).into_owned()
}

#[test]
fn a_request_head_that_never_ends_is_dropped() {
    let dir = tmp("servetest-slow");
    let book = starter(&dir);
    let srv = Server::start(&book, &[]);
    let port = srv.port;
    // An open event stream has sent its head long ago: it must outlive
    // the slow connections.
    let events = Events::open(port);
    events.wait("hello", CHANGE, |_| true).expect("hello");

    // Half a request head, then nothing.
    let mut half = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(half, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Slow: ").unwrap();
    // Nothing at all.
    let silent = TcpStream::connect(("127.0.0.1", port)).unwrap();
    // A header line every half second: never idle, never done.
    let mut drip = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(drip, "GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n").unwrap();
    let dripper = drip.try_clone().unwrap();
    let writer = std::thread::spawn(move || {
        let mut d = dripper;
        for i in 0..(HEAD_BOUND.as_millis() / 500) {
            if write!(d, "X-Drip-{i}: x\r\n").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
    });
    let (a, b, c) = (
        std::thread::spawn(move || closed_within_bound(half, "half a head")),
        std::thread::spawn(move || closed_within_bound(silent, "a silent connection")),
        std::thread::spawn(move || closed_within_bound(drip, "a dripped head")),
    );
    for (t, what) in [(a, "half"), (b, "silent"), (c, "drip")] {
        let got = t.join().unwrap_or_else(|_| panic!("{what}"));
        assert!(!got.contains(" 200 "), "{what} was answered: {got}");
    }
    writer.join().unwrap();

    // The server still answers, and the old event stream still hears.
    assert_eq!(srv.get("/").status, 200);
    let about = book.join("content/pages/about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nAfter the slow ones.\n")).unwrap();
    events
        .wait("reload", CHANGE, |d| {
            changed(d).iter().any(|f| f.starts_with("pages/about/"))
        })
        .expect("the event stream survives the head timeout");
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn requests_for_another_host_are_refused() {
    let dir = tmp("servetest-host");
    let book = starter(&dir);
    let srv = Server::start(&book, &[]);
    let p = srv.port;
    let paths = [
        "/",
        "/index.html",
        "/areas/ef/",
        "/model.json",
        "/no/such/page/",
        "/__refbook/status",
        "/__refbook/events",
        "/__refbook/reload.js",
    ];
    // What a page on another site sees after DNS rebinding, and near misses.
    let wrong = [
        "Host: evil.example\r\n".to_string(),
        format!("Host: evil.example:{p}\r\n"),
        format!("Host: localhost.evil.example:{p}\r\n"),
        format!("Host: 127.0.0.1.evil.example:{p}\r\n"),
        format!("Host: 127.0.0.1:{}\r\n", p.wrapping_add(1)),
        "Host: 127.0.0.1\r\n".into(),
        "Host: localhost\r\n".into(),
        "Host: \r\n".into(),
        format!("Host: 127.0.0.1:{p}@evil.example\r\n"),
        // None at all.
        String::new(),
    ];
    for host in &wrong {
        for path in paths {
            let r = request_as(p, "GET", path, host);
            assert!(
                r.status == 421 || r.status == 403,
                "{host:?} {path}: {} {}",
                r.status,
                r.text()
            );
            let t = r.text();
            assert!(
                !t.contains("instance") && !t.contains("<html") && !t.contains("EventSource"),
                "{host:?} {path} leaked: {t}"
            );
        }
    }
    // Absolute-form names the host in the target, which wins over `Host`.
    let r = request(p, "GET", "http://evil.example/__refbook/status");
    assert!(r.status == 421 || r.status == 403, "{}", r.status);

    // The addresses serve listens on, in every spelling of the loopback.
    for host in [
        format!("127.0.0.1:{p}"),
        format!("localhost:{p}"),
        format!("LocalHost:{p}"),
        format!("[::1]:{p}"),
    ] {
        let line = format!("Host: {host}\r\n");
        for path in paths {
            if path == "/__refbook/events" {
                continue;
            }
            let r = request_as(p, "GET", path, &line);
            let want = if path == "/no/such/page/" { 404 } else { 200 };
            assert_eq!(r.status, want, "{host} {path}: {}", r.text());
        }
        let ev = Events::open_as(p, &host);
        assert!(ev.wait("hello", CHANGE, |_| true).is_some(), "{host}");
        let st = request_as(p, "GET", "/__refbook/status", &line);
        assert_eq!(json(&st.text())["ok"], true, "{host}");
    }
    // A refused page's event stream never opens.
    let ev = Events::open_as(p, "evil.example");
    assert!(ev.wait("hello", Duration::from_secs(1), |_| true).is_none());
    drop(srv);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---------------------------------------------------------------------------
// In a real browser (headless Chromium through chromedriver, as in
// tests/it/browser/): the page's CSP lets the reload script and its event
// stream in, errors show as an overlay built from text, and a fix reloads.
// Skips with a SKIP line when chromedriver/chromium are missing, unless
// REQUIRE_BROWSER=1.
