//! `refbook serve` end to end: a real server on a free port, plain HTTP/1.1
//! over std's TcpStream, the event stream read as server-sent events.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::browser::{Driver, browser_bins, run_closing, session};
use crate::common::{starter, tmp, walk};

const BIN: &str = env!("CARGO_BIN_EXE_refbook");
/// How long a change may take to show (debounce, rebuild, event).
const CHANGE: Duration = Duration::from_secs(5);

struct Server {
    child: Child,
    port: u16,
    site: PathBuf,
    stdout: Arc<Mutex<Vec<String>>>,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(book: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .arg("serve")
            .arg(book)
            .args(["--port", "0"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = Arc::new(Mutex::new(Vec::new()));
        let stderr = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = mpsc::channel();
        {
            let out = child.stdout.take().unwrap();
            let lines = stdout.clone();
            std::thread::spawn(move || {
                for l in BufReader::new(out).lines().map_while(Result::ok) {
                    lines.lock().unwrap().push(l.clone());
                    let _ = tx.send(l);
                }
            });
            let mut err = child.stderr.take().unwrap();
            let text = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n) = err.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    text.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let line = loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(l) if l.starts_with("serving ") => break l,
                Ok(_) => {}
                Err(_) => {
                    let _ = child.kill();
                    panic!("serve did not start: {}", stderr.lock().unwrap());
                }
            }
        };
        let port = line
            .split("http://127.0.0.1:")
            .nth(1)
            .and_then(|r| r.split('/').next())
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        let site = line
            .split("(site in ")
            .nth(1)
            .and_then(|r| r.split("; Ctrl-C").next())
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("no site folder in {line:?}"));
        Server {
            child,
            port,
            site,
            stdout,
            stderr,
        }
    }

    fn get(&self, path: &str) -> Resp {
        request(self.port, "GET", path)
    }

    fn status(&self) -> String {
        String::from_utf8(self.get("/__refbook/status").body).unwrap()
    }

    /// Sends a signal and waits for the exit.
    fn stop(&mut self, signal: i32) -> Option<ExitStatus> {
        // SAFETY: a plain kill(2) on our own child.
        unsafe { libc::kill(self.child.id() as i32, signal) };
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(s)) = self.child.try_wait() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    /// The terminal output is read by another thread: give it a moment.
    fn wait_stderr(&self, text: &str) -> bool {
        let deadline = Instant::now() + CHANGE;
        while Instant::now() < deadline {
            if self.stderr.lock().unwrap().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    fn wait_stdout(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + CHANGE;
        while Instant::now() < deadline {
            if let Some(l) = self.stdout.lock().unwrap().iter().find(|l| pred(l)) {
                return Some(l.clone());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait()
            && self.stop(libc::SIGTERM).is_none()
        {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection; the target is sent exactly as given.
fn request(port: u16, method: &str, target: &str) -> Resp {
    request_as(port, method, target, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// One request whose `Host` line (or lack of one) is `host_line`.
fn request_as(port: u16, method: &str, target: &str, host_line: &str) -> Resp {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "{method} {target} HTTP/1.1\r\n{host_line}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(i) = b.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(String::from_utf8_lossy(&b[..i]).trim(), 16).unwrap_or(0);
        if size == 0 || b.len() < i + 2 + size {
            return out;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + size]);
        b = &b[(i + 4 + size).min(b.len())..];
    }
}

/// The event stream: (event, data) pairs as they come.
struct Events {
    rx: mpsc::Receiver<(String, String)>,
    _conn: TcpStream,
}

impl Events {
    fn open(port: u16) -> Events {
        Events::open_as(port, &format!("127.0.0.1:{port}"))
    }

    /// The stream asked for with `Host: host`.
    fn open_as(port: u16, host: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET /__refbook/events HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        let read = s.try_clone().unwrap();
        std::thread::spawn(move || {
            let mut r = BufReader::new(read);
            let mut line = String::new();
            let mut chunked = false;
            // The head.
            loop {
                line.clear();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let l = line.trim_end().to_ascii_lowercase();
                if l.starts_with("transfer-encoding:") && l.contains("chunked") {
                    chunked = true;
                }
                if l.is_empty() {
                    break;
                }
            }
            // The body, de-chunked, parsed as server-sent events.
            let mut text = String::new();
            let (mut event, mut data) = (String::new(), String::new());
            loop {
                let mut bytes = Vec::new();
                if chunked {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let Ok(size) = usize::from_str_radix(line.trim(), 16) else {
                        return;
                    };
                    if size == 0 {
                        return;
                    }
                    bytes.resize(size + 2, 0);
                    if r.read_exact(&mut bytes).is_err() {
                        return;
                    }
                    bytes.truncate(size);
                } else {
                    line.clear();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    bytes = line.as_bytes().to_vec();
                }
                text.push_str(&String::from_utf8_lossy(&bytes));
                while let Some(i) = text.find('\n') {
                    let l: String = text.drain(..=i).collect();
                    let l = l.trim_end_matches(['\n', '\r']);
                    if l.is_empty() {
                        if !event.is_empty() || !data.is_empty() {
                            let ev = if event.is_empty() { "message" } else { &event };
                            if tx.send((ev.to_string(), data.clone())).is_err() {
                                return;
                            }
                        }
                        event.clear();
                        data.clear();
                    } else if let Some(v) = l.strip_prefix("event:") {
                        event = v.trim_start().to_string();
                    } else if let Some(v) = l.strip_prefix("data:") {
                        if !data.is_empty() {
                            data.push('\n');
                        }
                        data.push_str(v.strip_prefix(' ').unwrap_or(v));
                    }
                }
            }
        });
        Events { rx, _conn: s }
    }

    /// The data of the first event named `name` that satisfies `pred`.
    fn wait(&self, name: &str, within: Duration, pred: impl Fn(&str) -> bool) -> Option<String> {
        let deadline = Instant::now() + within;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((e, d)) if e == name && pred(&d) => return Some(d),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
}

/// Saves the way many editors do: a temporary file renamed over the old one.
fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

fn changed(data: &str) -> Vec<String> {
    json(data)["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

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
    assert!(c.len() < 6, "only what shows the introduction: {c:?}");
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
// tests/it/browser.rs): the page's CSP lets the reload script and its event
// stream in, errors show as an overlay built from text, and a fix reloads.
// Skips with a SKIP line when chromedriver/chromium are missing, unless
// REQUIRE_BROWSER=1.

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
