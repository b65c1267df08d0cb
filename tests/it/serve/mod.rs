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

mod browser;
mod guard;
mod rebuild;
mod site;
mod theme;

pub(super) const BIN: &str = env!("CARGO_BIN_EXE_refbook");
/// How long a change may take to show (debounce, rebuild, event).
pub(super) const CHANGE: Duration = Duration::from_secs(5);

pub(super) struct Server {
    pub(super) child: Child,
    pub(super) port: u16,
    pub(super) site: PathBuf,
    pub(super) stdout: Arc<Mutex<Vec<String>>>,
    pub(super) stderr: Arc<Mutex<String>>,
}

impl Server {
    pub(super) fn start(book: &Path, extra: &[&str]) -> Server {
        let mut child = spawn(book, extra);
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
        let port = port_of(&line);
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

    pub(super) fn get(&self, path: &str) -> Resp {
        request(self.port, "GET", path)
    }

    pub(super) fn status(&self) -> String {
        String::from_utf8(self.get("/__refbook/status").body).unwrap()
    }

    /// Sends a signal and waits for the exit.
    pub(super) fn stop(&mut self, signal: i32) -> Option<ExitStatus> {
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
    pub(super) fn wait_stderr(&self, text: &str) -> bool {
        let deadline = Instant::now() + CHANGE;
        while Instant::now() < deadline {
            if self.stderr.lock().unwrap().contains(text) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    pub(super) fn wait_stdout(&self, pred: impl Fn(&str) -> bool) -> Option<String> {
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

/// The port serve's "serving ... at" line names.
pub(super) fn port_of(line: &str) -> u16 {
    line.split("http://127.0.0.1:")
        .nth(1)
        .and_then(|r| r.split('/').next())
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("no port in {line:?}"))
}

/// `refbook serve` on `book` at a free port, its output piped.
pub(super) fn spawn(book: &Path, extra: &[&str]) -> Child {
    Command::new(BIN)
        .arg("serve")
        .arg(book)
        .args(["--port", "0"])
        .args(extra)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
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

pub(super) struct Resp {
    pub(super) status: u16,
    pub(super) headers: Vec<(String, String)>,
    pub(super) body: Vec<u8>,
}

impl Resp {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection; the target is sent exactly as given.
pub(super) fn request(port: u16, method: &str, target: &str) -> Resp {
    request_as(port, method, target, &format!("Host: 127.0.0.1:{port}\r\n"))
}

/// One request whose `Host` line (or lack of one) is `host_line`.
pub(super) fn request_as(port: u16, method: &str, target: &str, host_line: &str) -> Resp {
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

pub(super) fn dechunk(mut b: &[u8]) -> Vec<u8> {
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
pub(super) struct Events {
    pub(super) rx: mpsc::Receiver<(String, String)>,
    pub(super) _conn: TcpStream,
}

impl Events {
    pub(super) fn open(port: u16) -> Events {
        Events::open_as(port, &format!("127.0.0.1:{port}"))
    }

    /// The stream asked for with `Host: host`.
    pub(super) fn open_as(port: u16, host: &str) -> Events {
        Events::open_target(port, host, "/__refbook/events")
    }

    /// The stream of the page at `page` (its path in the site), as the
    /// reload script asks for it.
    pub(super) fn open_page(port: u16, page: &str) -> Events {
        let page = page.replace('/', "%2F");
        Events::open_target(
            port,
            &format!("127.0.0.1:{port}"),
            &format!("/__refbook/events?page={page}"),
        )
    }

    fn open_target(port: u16, host: &str, target: &str) -> Events {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(
            s,
            "GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
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
    pub(super) fn wait(
        &self,
        name: &str,
        within: Duration,
        pred: impl Fn(&str) -> bool,
    ) -> Option<String> {
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
pub(super) fn save_by_rename(path: &Path, text: &str) {
    let tmp = path.with_file_name(format!(
        ".{}.tmp",
        path.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

pub(super) fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("{e}: {s}"))
}

pub(super) fn changed(data: &str) -> Vec<String> {
    json(data)["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}
