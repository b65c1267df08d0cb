//! What serve answers: the site, and nothing outside it; a taken port.

use super::*;

#[test]
fn serves_the_site_and_nothing_else() {
    let dir = tmp("servetest-safe");
    let book = starter(&dir);
    let mut srv = Server::start(&book, &[]);
    let site = srv.site.clone();
    assert!(site.starts_with(std::env::temp_dir().canonicalize().unwrap()));
    assert!(site.join("index.html").is_file());

    let home = srv.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text()
            .contains("<script src=\"/__refbook/reload.js\"></script></body>")
    );
    for (path, ctype) in [
        ("/assets/refbook.css", "text/css; charset=utf-8"),
        ("/assets/refbook.js", "text/javascript; charset=utf-8"),
        ("/model.json", "application/json"),
        ("/__refbook/reload.js", "text/javascript; charset=utf-8"),
        ("/__refbook/status", "application/json"),
    ] {
        let r = srv.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ctype), "{path}");
    }
    assert!(
        srv.get("/__refbook/reload.js")
            .text()
            .contains("EventSource")
    );
    assert!(!srv.get("/__refbook/reload.js").text().contains("innerHTML"));
    assert_eq!(json(&srv.status())["ok"], true);

    // A folder without its slash: redirected, so that relative links work.
    let r = srv.get("/areas/ef?x=1");
    assert_eq!(r.status, 301);
    assert_eq!(r.header("location"), Some("/areas/ef/?x=1"));
    assert_eq!(srv.get("/areas/ef/").status, 200);
    // ... and `//host` does not become a redirect elsewhere.
    let r = srv.get("//areas");
    assert_eq!(r.header("location"), Some("/areas/"));

    // HEAD and other methods.
    let r = request(srv.port, "HEAD", "/");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    assert_eq!(request(srv.port, "POST", "/").status, 405);

    // The 404 page of the site, with links from the root.
    let r = srv.get("/no/such/page/");
    assert_eq!(r.status, 404);
    assert_eq!(r.body, std::fs::read(site.join("404.html")).unwrap());
    assert!(r.text().contains("href=\"/assets/"), "{}", r.text());

    // Nothing outside the site: a secret beside it, where `..` would lead.
    let secret_name = format!("refbook-servetest-secret-{}.txt", std::process::id());
    let secret = site.parent().unwrap().join(&secret_name);
    std::fs::write(&secret, "TOP SECRET").unwrap();
    std::os::unix::fs::symlink(&secret, site.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&dir, site.join("leakdir")).unwrap();
    std::os::unix::fs::symlink(site.join("index.html"), site.join("alias.html")).unwrap();
    let attempts = [
        "/../book.toml".to_string(),
        "/%2e%2e/book.toml".into(),
        "/assets/%2e%2e%2f%2e%2e%2fbook.toml".into(),
        "/assets/..%2f..%2fbook.toml".into(),
        "/%2E%2E/%2E%2E/book.toml".into(),
        "/..%5c..%5cbook.toml".into(),
        format!("/../{secret_name}"),
        format!("/%2e%2e/{secret_name}"),
        format!("/assets/%2e%2e%2f%2e%2e%2f{secret_name}"),
        format!("/assets/..%2f..%2f{secret_name}"),
        format!("/%2e%2e%2f{secret_name}"),
        format!("/./../{secret_name}"),
        format!("%2e%2e/{secret_name}"),
        "/leak.txt".into(),
        "/leakdir/book/book.toml".into(),
        "/leakdir/book/".into(),
        "/.refbook-site".into(),
        "/index.html%00.txt".into(),
        "//etc/passwd".into(),
        "/%2fetc%2fpasswd".into(),
    ];
    for a in &attempts {
        let r = srv.get(a);
        assert!(
            r.status == 404 || r.status == 400,
            "{a}: {} {}",
            r.status,
            r.text()
        );
        let t = r.text();
        assert!(
            !t.contains("TOP SECRET") && !t.contains("[book]") && !t.contains("root:"),
            "{a} leaked"
        );
    }
    // A link that stays inside the site is fine.
    assert_eq!(srv.get("/alias.html").body, home.body);
    std::fs::remove_file(&secret).unwrap();

    // `build` output never holds the reload script, and serve left the
    // book's own build directory alone.
    assert!(!book.join("book").exists());
    let out = dir.join("out");
    let b = Command::new(BIN)
        .arg("build")
        .arg(&book)
        .arg("-d")
        .arg(&out)
        .output()
        .unwrap();
    assert!(b.status.success(), "{b:?}");
    for e in walk(&out) {
        let bytes = std::fs::read(&e).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__refbook"),
            "{}",
            e.display()
        );
    }

    // Ctrl-C: a clean stop, the site folder gone.
    let s = srv.stop(libc::SIGINT).expect("serve stops on Ctrl-C");
    assert!(s.success(), "{s:?} {}", srv.stderr.lock().unwrap());
    assert!(!site.exists(), "the site folder is removed");
    assert!(srv.wait_stdout(|l| l == "stopped").is_some());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = tmp("servetest-port");
    let book = starter(&dir);
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let out = Command::new(BIN)
        .arg("serve")
        .arg(&book)
        .args(["--port", &port.to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(&format!("port {port} is in use; pick another with --port")),
        "{err}"
    );
    // Wrong usage is 2.
    let out = Command::new(BIN)
        .arg("serve")
        .arg(&book)
        .args(["--port", "http"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
