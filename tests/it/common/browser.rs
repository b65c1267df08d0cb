//! Headless Chromium through chromedriver (fantoccini, no TLS), shared by the
//! survey tests and the serve tests. Recipe: ../shared/notes/browser-testing.md.

use fantoccini::{Client, ClientBuilder};
use serde_json::json;
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub type R<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

fn which(name: &str, env: &str) -> Option<PathBuf> {
    std::env::var_os(env)
        .map(PathBuf::from)
        .or_else(|| {
            std::env::split_paths(&std::env::var_os("PATH")?)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .filter(|p| p.is_file())
}

/// A missing prerequisite: a visible SKIP line, or a failure under REQUIRE_BROWSER=1.
pub fn skip_or_fail(msg: String) {
    if std::env::var("REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{msg}, and REQUIRE_BROWSER=1")
    }
    // Not captured by libtest, unlike eprintln!.
    let _ = writeln!(std::io::stderr(), "SKIP {msg}");
}

/// chromedriver and chromium, or None after `skip_or_fail`.
pub fn browser_bins(test: &str) -> Option<(PathBuf, PathBuf)> {
    match (
        which("chromedriver", "CHROMEDRIVER"),
        which("chromium", "CHROMIUM"),
    ) {
        (Some(d), Some(c)) => Some((d, c)),
        _ => {
            skip_or_fail(format!(
                "{test}: chromedriver/chromium not found (apt-get install chromium chromium-driver)"
            ));
            None
        }
    }
}

/// chromedriver on a port it picks itself (--port=0), in its own process group.
pub struct Driver {
    child: Child,
    pub port: u16,
}

impl Driver {
    /// chromedriver with `--port=0` takes a free IPv4 port, then binds the
    /// same number on IPv6, where a server of another test running at the
    /// same time may hold it: it then logs "bind() failed: Address already
    /// in use" and exits without a port (seen in CI). A new start picks
    /// another port.
    pub fn start(bin: &Path) -> Driver {
        const TRIES: usize = 3;
        for _ in 0..TRIES {
            if let Some(d) = Self::try_start(bin) {
                return d;
            }
        }
        panic!("chromedriver exited before it had a port, {TRIES} times");
    }

    /// One start: `None` if chromedriver exited without saying its port.
    fn try_start(bin: &Path) -> Option<Driver> {
        let mut child = Command::new(bin)
            .arg("--port=0")
            .process_group(0)
            .stdout(Stdio::piped())
            .spawn()
            .expect("spawn chromedriver");
        let (tx, rx) = std::sync::mpsc::channel();
        let out = BufReader::new(child.stdout.take().unwrap());
        std::thread::spawn(move || {
            for line in out.lines().map_while(Result::ok) {
                // The first line says "... on port 0"; wait for "started successfully on port N."
                if let Some(p) = line.split("started successfully on port ").nth(1) {
                    let _ = tx.send(p.trim_end_matches('.').parse::<u16>().unwrap());
                }
            }
        });
        match rx.recv_timeout(std::time::Duration::from_secs(20)) {
            Ok(port) => Some(Driver { child, port }),
            // Its output ended: it exited.
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                drop(Driver { child, port: 0 });
                None
            }
            Err(e) => panic!("chromedriver port: {e}"),
        }
    }
}

impl Drop for Driver {
    // chromedriver *and* any Chromium it left behind: the whole process group.
    fn drop(&mut self) {
        // SAFETY: a plain kill(2) on the group of our own child.
        unsafe { libc::kill(-(self.child.id() as i32), libc::SIGKILL) };
        let _ = self.child.wait();
    }
}

/// A fresh headless session with its profile in `scratch/profile` and
/// downloads in `scratch/downloads`.
pub async fn session(chrome: &Path, driver: &Driver, scratch: &Path) -> Client {
    std::fs::create_dir_all(scratch.join("downloads")).unwrap();
    let caps = json!({ "goog:chromeOptions": {
        "binary": chrome,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=1100,900",
            format!("--user-data-dir={}", scratch.join("profile").display()) ],
        "prefs": {
            "download.default_directory": scratch.join("downloads"),
            "download.prompt_for_download": false
        } },
        // The console, for browser_log.
        "goog:loggingPrefs": { "browser": "ALL" } });
    let http = hyper_util::client::legacy::connect::HttpConnector::new(); // plain http, no TLS stack
    ClientBuilder::new(http)
        .capabilities(caps.as_object().unwrap().clone())
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("WebDriver session")
}

/// The browser's console entries since the last call (chromedriver's log
/// endpoint, which the session enables with `goog:loggingPrefs`): each an
/// object with `level` (`SEVERE` for console.error, uncaught exceptions,
/// scripts that failed to load and CSP refusals), `message` and `source`.
pub fn browser_log(driver: u16, session: &str) -> Vec<serde_json::Value> {
    use std::io::Read;
    let mut s = std::net::TcpStream::connect(("127.0.0.1", driver)).expect("chromedriver");
    let body = r#"{"type":"browser"}"#;
    // HTTP/1.1 (chromedriver drops 1.0), the answer read by its Content-Length.
    write!(
        s,
        "POST /session/{session}/se/log HTTP/1.1\r\nHost: 127.0.0.1:{driver}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = s.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "log endpoint closed: {}",
            String::from_utf8_lossy(&resp)
        );
        resp.extend_from_slice(&buf[..n]);
        let Some(end) = resp.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&resp[..end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or_else(|| panic!("no Content-Length: {head}"));
        let body = &resp[end + 4..];
        if body.len() < len {
            continue;
        }
        let v: serde_json::Value = serde_json::from_slice(&body[..len])
            .unwrap_or_else(|e| panic!("log endpoint: {e}: {}", String::from_utf8_lossy(body)));
        return v["value"].as_array().cloned().unwrap_or_default();
    }
}

/// Runs `body` in its own task, so that a failing assert still reaches
/// `close()` (which ends Chromium), then re-raises it.
pub async fn run_closing<Fut>(client: Client, body: Fut)
where
    Fut: std::future::Future<Output = R> + Send + 'static,
{
    let res = tokio::spawn(body).await;
    let _ = client.close().await;
    match res {
        Ok(r) => r.unwrap(),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
