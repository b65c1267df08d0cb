//! `refbook serve`: builds the book into a private folder, serves it over
//! HTTP, watches the book, rebuilds on change and reloads the open pages.
//!
//! - The site is written under the system temp folder (never the book's build
//!   directory, so `serve` cannot clobber what `build` wrote), and removed on exit.
//! - A rebuild loads, checks and renders the whole book in memory (fast: the
//!   model is small and rendering is parallel), compares every file with what
//!   the previous good build wrote, and writes only the files whose bytes
//!   differ, each through a temporary file and a rename; files that are gone
//!   are removed. A reader never sees a half-written file, and requests are
//!   never blocked by a rebuild: they read the folder while it is updated.
//! - A build with errors changes nothing on disk: the last good site stays,
//!   and the errors go to the open pages (over server-sent events, drawn as an
//!   overlay by `reload.js`) and to `/__refbook/status`.
//! - Only files inside the site are served: the path is decoded, any `..`,
//!   `.`, hidden or backslashed part is refused, and the file's canonical path
//!   must lie in the site's canonical folder (so symlinks cannot lead out).

use crate::diag::{self, Diagnostic, Severity};
use crate::{BuildOptions, render, theme};
use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// What `refbook serve` was asked for.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub hostname: String,
    pub port: u16,
    pub open: bool,
    /// Poll the files instead of native change events.
    pub poll: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            root: ".".into(),
            hostname: "127.0.0.1".into(),
            port: 3000,
            open: false,
            poll: false,
        }
    }
}

/// Why `serve` could not start.
#[derive(Debug)]
pub enum ServeError {
    PortInUse(u16),
    Listen(String, std::io::Error),
    Hostname(String),
    NoBook(PathBuf),
    Io(String),
}

impl std::fmt::Display for ServeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ServeError::PortInUse(p) => {
                write!(f, "port {p} is in use; pick another with --port")
            }
            ServeError::Listen(a, e) => write!(f, "cannot listen on {a}: {e}"),
            ServeError::Hostname(h) => write!(f, "cannot resolve the hostname `{h}`"),
            ServeError::NoBook(p) => write!(
                f,
                "{} holds no book (no book.toml); `refbook init` writes one",
                p.display()
            ),
            ServeError::Io(m) => write!(f, "{m}"),
        }
    }
}

/// The path of the reload script; `render` adds it to served pages.
pub const RELOAD_JS_PATH: &str = "/__refbook/reload.js";
const EVENTS_PATH: &str = "/__refbook/events";
const STATUS_PATH: &str = "/__refbook/status";

/// The client side: reloads a page when its file (or any asset) changed,
/// and shows build errors as an overlay. Text only goes in through
/// `textContent`; styles through the CSSOM (allowed by the pages' CSP).
pub const RELOAD_JS: &str = r##"// refbook serve: live reload and build errors. Not part of a built site.
(function () {
  "use strict";
  if (!window.EventSource) { return; }
  var instance = null;
  var overlay = null;
  function fileOf(pathname) {
    var p = pathname;
    try { p = decodeURIComponent(p); } catch (e) { /* keep it raw */ }
    if (p.charAt(p.length - 1) === "/") { p += "index.html"; }
    return p.replace(/^\/+/, "");
  }
  var here = fileOf(location.pathname);
  function hide() {
    if (overlay) { overlay.remove(); overlay = null; }
  }
  function el(tag, text, style) {
    var e = document.createElement(tag);
    if (text) { e.textContent = text; }
    if (style) { Object.assign(e.style, style); }
    return e;
  }
  function show(data) {
    hide();
    var errors = data.errors || [];
    overlay = el("div", "", {
      position: "fixed", top: "0", left: "0", right: "0", maxHeight: "70vh", overflow: "auto",
      zIndex: "2147483647", background: "#2b0b0b", color: "#ffe9e9", padding: "1em 1.25em",
      font: "14px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      borderBottom: "4px solid #e5484d", boxShadow: "0 4px 16px rgba(0,0,0,.5)"
    });
    overlay.id = "refbook-error-overlay";
    overlay.setAttribute("role", "alert");
    var close = el("button", "Close", { float: "right", font: "inherit", cursor: "pointer" });
    close.type = "button";
    close.addEventListener("click", hide);
    overlay.appendChild(close);
    var n = errors.length;
    overlay.appendChild(el("strong", "The book has " + n + " error" + (n === 1 ? "" : "s") +
      "; showing the last good build. Fix and save to rebuild.", { display: "block", marginBottom: ".75em" }));
    var list = el("ol", "", { margin: "0", paddingLeft: "1.5em" });
    errors.forEach(function (d) {
      var li = el("li", "", { marginBottom: ".6em" });
      var where = d.file + (d.line ? ":" + d.line + ":" + d.col : "");
      li.appendChild(el("span", where, { color: "#ffb4b4", fontWeight: "bold" }));
      li.appendChild(el("div", d.message, { whiteSpace: "pre-wrap" }));
      if (d.help) { li.appendChild(el("div", "help: " + d.help, { whiteSpace: "pre-wrap", opacity: ".85" })); }
      if (d.note) {
        var nw = d.note.file + (d.note.line ? ":" + d.note.line + ":" + d.note.col : "");
        li.appendChild(el("div", "note: " + nw + ": " + d.note.message, { whiteSpace: "pre-wrap", opacity: ".85" }));
      }
      list.appendChild(li);
    });
    overlay.appendChild(list);
    (document.body || document.documentElement).appendChild(overlay);
  }
  var es = new EventSource("/__refbook/events");
  es.addEventListener("hello", function (e) {
    var d = JSON.parse(e.data);
    // A new server (restarted): this page may be stale.
    if (instance !== null && d.instance !== instance) { location.reload(); return; }
    instance = d.instance;
    hide();
  });
  es.addEventListener("errors", function (e) { show(JSON.parse(e.data)); });
  es.addEventListener("reload", function (e) {
    var d = JSON.parse(e.data);
    hide();
    var mine = d.all || (d.changed || []).some(function (f) {
      return f === here || !/\.html$/.test(f);
    });
    if (mine) { location.reload(); }
  });
})();
"##;

/// Shown while the book has never built.
const NO_SITE: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>refbook serve: no site yet</title></head><body><h1>The book does not build yet</h1><p>Its errors are listed in the terminal and above. The site appears here as soon as it builds.</p><script src=\"/__refbook/reload.js\"></script></body></html>";

// ---------------------------------------------------------------------------
// Building

/// Builds the book into the site folder, writing only what changed.
pub struct Builder {
    root: PathBuf,
    site: PathBuf,
    opts: BuildOptions,
    /// What the site folder holds: path relative to it -> bytes.
    files: HashMap<String, Vec<u8>>,
    theme: Option<theme::Theme>,
    /// The server is stopping: the site folder is gone, write nothing.
    stopped: bool,
}

/// The result of one rebuild.
pub enum Outcome {
    Good {
        pages: usize,
        /// Files written or removed, relative to the site.
        changed: Vec<String>,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    Bad {
        diags: Vec<Diagnostic>,
        elapsed: Duration,
    },
}

impl Builder {
    pub fn new(root: &Path, site: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            site: site.to_path_buf(),
            opts: BuildOptions {
                live_reload: true,
                ..Default::default()
            },
            files: HashMap::new(),
            theme: None,
            stopped: false,
        }
    }

    /// Loads, checks and renders the whole book; writes the files whose bytes
    /// changed. `theme_dirty` is false only when every change lies in the
    /// content folder: then the compiled templates are kept.
    pub fn rebuild(&mut self, theme_dirty: bool) -> Outcome {
        let start = Instant::now();
        if self.stopped {
            return Outcome::Bad {
                diags: Vec::new(),
                elapsed: start.elapsed(),
            };
        }
        let bad = |diags: Vec<Diagnostic>| Outcome::Bad {
            diags,
            elapsed: start.elapsed(),
        };
        let (book, mut diags) = crate::check(&self.root);
        let Some(book) = book else {
            return bad(diags);
        };
        if theme_dirty || self.theme.is_none() {
            self.theme = None;
            match theme::load(&self.root, book.model.book.theme.as_deref(), &mut diags) {
                Some(t) if !diag::has_errors(&diags) => self.theme = Some(t),
                _ => return bad(diags),
            }
        }
        let theme = self.theme.as_mut().expect("loaded above");
        let site = render::Site::new(&book);
        let fresh: Mutex<Vec<Fresh>> = Mutex::new(Vec::new());
        let sink = MemSink {
            prev: &self.files,
            fresh: &fresh,
        };
        let pages = render::render_site(&site, theme, &mut diags, &self.opts, &sink);
        // This sink keeps files in memory and cannot fail; say so if it ever does.
        let pages = match pages {
            Ok(n) => n,
            Err(msg) => return bad(vec![Diagnostic::error(diag::Loc::default(), msg)]),
        };
        if diag::has_errors(&diags) {
            return bad(diags);
        }
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut keep = HashSet::new();
        let mut changed = Vec::new();
        for (rel, bytes) in fresh {
            keep.insert(rel.clone());
            let Some(bytes) = bytes else { continue };
            if let Err(e) = write_atomic(&self.site, &rel, &bytes) {
                diags.push(Diagnostic::error(
                    diag::Loc {
                        file: self.site.join(&rel).display().to_string().into(),
                        line: 0,
                        col: 0,
                    },
                    format!("cannot write the served site: {e}"),
                ));
                continue;
            }
            changed.push(rel.clone());
            self.files.insert(rel, bytes);
        }
        let gone: Vec<String> = self
            .files
            .keys()
            .filter(|k| !keep.contains(*k))
            .cloned()
            .collect();
        for rel in gone {
            let _ = std::fs::remove_file(self.site.join(&rel));
            self.files.remove(&rel);
            changed.push(rel);
        }
        if diag::has_errors(&diags) {
            return bad(diags);
        }
        changed.sort();
        Outcome::Good {
            pages,
            changed,
            elapsed: start.elapsed(),
            warnings: diags,
        }
    }
}

/// A rendered file: its path, and its bytes when they differ from the site's.
type Fresh = (String, Option<Vec<u8>>);

/// Rendered files kept in memory, each with its bytes only when they differ
/// from what the site holds.
struct MemSink<'a> {
    prev: &'a HashMap<String, Vec<u8>>,
    fresh: &'a Mutex<Vec<Fresh>>,
}

impl render::Sink for MemSink<'_> {
    type File = Vec<u8>;
    fn create(&self, _rel: &str) -> Result<Vec<u8>, String> {
        Ok(Vec::new())
    }
    fn close(&self, rel: &str, bytes: Vec<u8>) -> Result<(), String> {
        let differs = self.prev.get(rel).is_none_or(|old| *old != bytes);
        let entry = (rel.to_string(), differs.then_some(bytes));
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }
}

/// Writes `rel` under `dir` through a temporary file and a rename.
fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
    let path = dir.join(rel);
    let parent = path.parent().unwrap_or(dir);
    std::fs::create_dir_all(parent)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Hidden: the server never serves names starting with a dot.
    let tmp = parent.join(format!(".{name}.refbook-tmp"));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, &path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn diag_json(d: &Diagnostic) -> Value {
    json!({
        "severity": if d.severity == Severity::Error { "error" } else { "warning" },
        "file": &*d.loc.file,
        "line": d.loc.line,
        "col": d.loc.col,
        "message": d.message,
        "help": d.help,
        "note": d.note.as_deref().map(|(l, m)| json!({
            "file": &*l.file, "line": l.line, "col": l.col, "message": m
        })),
    })
}

// ---------------------------------------------------------------------------
// State shared by the builder and the server

#[derive(Clone, Debug)]
struct Msg {
    event: &'static str,
    data: String,
}

struct Status {
    build: u64,
    ok: bool,
    /// A good build has written the site.
    has_site: bool,
    errors: Vec<Value>,
}

struct Shared {
    site: PathBuf,
    instance: String,
    status: RwLock<Status>,
    tx: broadcast::Sender<Msg>,
}

impl Shared {
    fn status(&self) -> std::sync::RwLockReadGuard<'_, Status> {
        self.status.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Records an outcome and tells the open pages.
    fn publish(&self, outcome: &Outcome) {
        let msg = {
            let mut s = self.status.write().unwrap_or_else(|e| e.into_inner());
            s.build += 1;
            match outcome {
                Outcome::Good { changed, .. } => {
                    s.ok = true;
                    s.has_site = true;
                    s.errors.clear();
                    // A long list is not worth sending: every page reloads.
                    let all = changed.len() > 200;
                    let list: &[String] = if all { &[] } else { changed };
                    Msg {
                        event: "reload",
                        data: json!({"build": s.build, "all": all, "changed": list}).to_string(),
                    }
                }
                Outcome::Bad { diags, .. } => {
                    s.ok = false;
                    s.errors = diags
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .map(diag_json)
                        .collect();
                    Msg {
                        event: "errors",
                        data: json!({"build": s.build, "errors": s.errors}).to_string(),
                    }
                }
            }
        };
        // No open page is not an error.
        let _ = self.tx.send(msg);
    }
}

// ---------------------------------------------------------------------------
// The terminal

fn report(root: &Path, outcome: &Outcome, first: bool) {
    match outcome {
        Outcome::Good {
            pages,
            changed,
            elapsed,
            warnings,
        } => {
            diag::eprint(root, warnings);
            let ms = elapsed.as_millis();
            if first {
                println!("built {pages} pages in {ms} ms");
                return;
            }
            let html = changed.iter().filter(|f| f.ends_with(".html")).count();
            let other = changed.len() - html;
            let what = match (html, other) {
                (0, 0) => "nothing changed".to_string(),
                (h, 0) => format!("{} changed", diag::plural(h, "page")),
                (0, o) => format!("{} changed", diag::plural(o, "file")),
                (h, o) => format!(
                    "{}, {} changed",
                    diag::plural(h, "page"),
                    diag::plural(o, "other file")
                ),
            };
            println!("rebuilt in {ms} ms ({what})");
        }
        Outcome::Bad { diags, elapsed } => {
            diag::eprint(root, diags);
            eprintln!(
                "build failed in {} ms: {}; {}",
                elapsed.as_millis(),
                diag::summary(diags),
                if first {
                    "the site will appear when the book builds"
                } else {
                    "still serving the last good build"
                }
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Watching

/// Which files a build reads: book.toml, the content folder, themes/.
struct Watched {
    root: PathBuf,
    content: PathBuf,
    themes: PathBuf,
}

impl Watched {
    fn of(root: &Path) -> Watched {
        let cfg = crate::config::load(root, &mut Vec::new());
        let content = root.join(if cfg.content_dir.is_empty() {
            "content"
        } else {
            &cfg.content_dir
        });
        Watched {
            root: root.to_path_buf(),
            content,
            themes: root.join("themes"),
        }
    }

    fn wanted(&self) -> Vec<(PathBuf, RecursiveMode)> {
        let mut w = vec![(self.root.clone(), RecursiveMode::NonRecursive)];
        for d in [&self.content, &self.themes] {
            if d.is_dir() {
                w.push((d.clone(), RecursiveMode::Recursive));
            }
        }
        w
    }

    fn relevant(&self, p: &Path) -> bool {
        if p == self.root.join("book.toml") {
            return true;
        }
        if !(p.starts_with(&self.content) || p.starts_with(&self.themes)) {
            return false;
        }
        // Editors' scratch files: swap, backup and lock files. The file
        // they save to gets its own event (write, or rename onto it).
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        !(name.starts_with('.')
            || name.starts_with('#')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".swx")
            || name.ends_with(".tmp")
            || name.contains("___jb_")
            || name == "4913")
    }
}

enum Deb {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, RecommendedCache>),
}

struct Watcher {
    deb: Deb,
    tx: mpsc::Sender<DebounceEventResult>,
    watching: Vec<(PathBuf, RecursiveMode)>,
}

const DEBOUNCE: Duration = Duration::from_millis(150);
const POLL_EVERY: Duration = Duration::from_millis(500);

fn poll_debouncer(tx: mpsc::Sender<DebounceEventResult>) -> notify::Result<Deb> {
    notify_debouncer_full::new_debouncer_opt::<_, PollWatcher, _>(
        DEBOUNCE,
        None,
        tx,
        RecommendedCache::new(),
        // Poll times are in whole seconds: compare contents too, or two
        // saves within a second look like one.
        notify::Config::default()
            .with_poll_interval(POLL_EVERY)
            .with_compare_contents(true),
    )
    .map(Deb::Poll)
}

impl Watcher {
    fn start(poll: bool, tx: mpsc::Sender<DebounceEventResult>) -> Result<Watcher, ServeError> {
        let deb = if poll {
            poll_debouncer(tx.clone())
        } else {
            match notify_debouncer_full::new_debouncer(DEBOUNCE, None, tx.clone()) {
                Ok(d) => Ok(Deb::Native(d)),
                Err(e) => {
                    eprintln!(
                        "note: native file watching is unavailable ({e}); polling every {} ms",
                        POLL_EVERY.as_millis()
                    );
                    poll_debouncer(tx.clone())
                }
            }
        }
        .map_err(|e| ServeError::Io(format!("cannot watch the book: {e}")))?;
        Ok(Watcher {
            deb,
            tx,
            watching: Vec::new(),
        })
    }

    fn watch(&mut self, p: &Path, m: RecursiveMode) -> notify::Result<()> {
        match &mut self.deb {
            Deb::Native(d) => d.watch(p, m),
            Deb::Poll(d) => d.watch(p, m),
        }
    }

    fn unwatch(&mut self, p: &Path) {
        let _ = match &mut self.deb {
            Deb::Native(d) => d.unwatch(p),
            Deb::Poll(d) => d.unwatch(p),
        };
    }

    /// Watches what the book reads now; `again` re-adds every watch (a
    /// watched folder was removed and made anew).
    fn sync(&mut self, w: &Watched, again: bool) {
        let want = w.wanted();
        let old = std::mem::take(&mut self.watching);
        for (p, m) in &old {
            if again || !want.contains(&(p.clone(), *m)) {
                self.unwatch(p);
            } else {
                self.watching.push((p.clone(), *m));
            }
        }
        for (p, m) in want {
            if self.watching.contains(&(p.clone(), m)) {
                continue;
            }
            match self.watch(&p, m) {
                Ok(()) => self.watching.push((p, m)),
                Err(e) if matches!(self.deb, Deb::Native(_)) => {
                    // Out of inotify watches, a network file system...: poll.
                    eprintln!(
                        "note: native file watching failed on {} ({e}); polling every {} ms",
                        p.display(),
                        POLL_EVERY.as_millis()
                    );
                    match poll_debouncer(self.tx.clone()) {
                        Ok(d) => {
                            self.deb = d;
                            self.watching.clear();
                            return self.sync(w, false);
                        }
                        Err(e) => eprintln!("warning: cannot watch {}: {e}", p.display()),
                    }
                }
                Err(e) => eprintln!("warning: cannot watch {}: {e}", p.display()),
            }
        }
    }
}

/// Reading a file is not changing it (the build itself opens every file).
fn is_change(k: &EventKind) -> bool {
    match k {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn watch_loop(
    root: PathBuf,
    builder: Arc<Mutex<Builder>>,
    shared: Arc<Shared>,
    rx: mpsc::Receiver<DebounceEventResult>,
    mut watcher: Watcher,
) {
    let mut watched = Watched::of(&root);
    loop {
        let Ok(first) = rx.recv() else { return };
        let mut batch = vec![first];
        // Saves come in bursts (temp file, rename, attributes): take them together.
        let until = Instant::now() + Duration::from_millis(500);
        while let Ok(r) = rx.recv_timeout(Duration::from_millis(30)) {
            batch.push(r);
            if Instant::now() > until {
                break;
            }
        }
        let mut paths = Vec::new();
        let mut unknown = false;
        for r in batch {
            match r {
                Ok(evs) => paths.extend(
                    evs.into_iter()
                        .filter(|e| is_change(&e.event.kind))
                        .flat_map(|e| e.event.paths),
                ),
                Err(errs) => {
                    for e in errs {
                        eprintln!("warning: file watching: {e}");
                    }
                    unknown = true;
                }
            }
        }
        paths.sort();
        paths.dedup();
        let relevant: Vec<&PathBuf> = paths.iter().filter(|p| watched.relevant(p)).collect();
        if relevant.is_empty() && !unknown {
            continue;
        }
        let theme_dirty = unknown || relevant.iter().any(|p| !p.starts_with(&watched.content));
        let again = relevant
            .iter()
            .any(|p| **p == watched.content || **p == watched.themes);
        if let Some(p) = relevant.first() {
            let shown = p.strip_prefix(&root).unwrap_or(p);
            let more = relevant.len() - 1;
            if more > 0 {
                println!("changed: {} and {more} more", shown.display());
            } else {
                println!("changed: {}", shown.display());
            }
        }
        let outcome = {
            let mut b = builder.lock().unwrap_or_else(|e| e.into_inner());
            b.rebuild(theme_dirty)
        };
        report(&root, &outcome, false);
        shared.publish(&outcome);
        // book.toml may name another content folder; folders may come and go.
        watched = Watched::of(&root);
        watcher.sync(&watched, again);
    }
}

// ---------------------------------------------------------------------------
// The site folder

/// Marks a site folder made by `serve`, so that a stale one may be removed.
const SERVE_PREFIX: &str = "refbook-serve-";

struct SiteDir {
    path: PathBuf,
}

impl SiteDir {
    fn create() -> std::io::Result<SiteDir> {
        let base = std::env::temp_dir();
        crate::output::remove_stale(&base, SERVE_PREFIX);
        let path = base.join(crate::output::unique_name(SERVE_PREFIX));
        let mut b = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
        // Fails if the name exists: never reuse a folder someone else made.
        b.create(&path)?;
        std::fs::write(
            path.join(crate::output::MARKER),
            "made by refbook serve; removed when it stops\n",
        )?;
        let path = path.canonicalize()?;
        Ok(SiteDir { path })
    }
}

impl Drop for SiteDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

// ---------------------------------------------------------------------------
// HTTP

/// The file a request path names inside `site`, without touching the disk:
/// `None` when any part is `..`, `.`, hidden, or holds a backslash or NUL
/// (after percent-decoding, so `%2e%2e` and `%2f` cannot hide them).
pub fn site_path(site: &Path, raw_path: &str) -> Option<(PathBuf, Vec<String>)> {
    let decoded = percent_encoding::percent_decode_str(raw_path)
        .decode_utf8()
        .ok()?;
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        if part.is_empty() {
            continue;
        }
        if part.starts_with('.') || part.contains(['\\', '\0']) {
            return None;
        }
        // One plain name, nothing a platform could read as a root or prefix.
        let mut c = Path::new(part).components();
        match (c.next(), c.next()) {
            (Some(Component::Normal(_)), None) => {}
            _ => return None,
        }
        parts.push(part.to_string());
    }
    let mut p = site.to_path_buf();
    for part in &parts {
        p.push(part);
    }
    Some((p, parts))
}

/// The content type of a served file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "txt" | "md" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn respond(status: StatusCode, ctype: &str, body: Vec<u8>, head: bool) -> Response {
    let len = body.len();
    let mut r = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(ctype)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    // Always the latest build.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

async fn not_found(s: &Shared, head: bool) -> Response {
    let page = if s.status().has_site {
        tokio::fs::read(s.site.join("404.html")).await.ok()
    } else {
        None
    };
    let body = page.unwrap_or_else(|| NO_SITE.as_bytes().to_vec());
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        body,
        head,
    )
}

async fn serve_file(State(s): State<Arc<Shared>>, method: Method, uri: Uri) -> Response {
    let head = method == Method::HEAD;
    if method != Method::GET && !head {
        let mut r = respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"only GET and HEAD\n".to_vec(),
            false,
        );
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let raw = uri.path();
    let Some((mut path, parts)) = site_path(&s.site, raw) else {
        return not_found(&s, head).await;
    };
    match tokio::fs::metadata(&path).await {
        Ok(m) if m.is_dir() => {
            if !raw.ends_with('/') {
                // Relative links need the slash. Built from the checked
                // parts, so `//host` cannot become an open redirect.
                let mut loc = String::from("/");
                for p in &parts {
                    loc.push_str(&percent_encoding::utf8_percent_encode(p, PATH_SET).to_string());
                    loc.push('/');
                }
                if let Some(q) = uri.query() {
                    loc.push('?');
                    loc.push_str(q);
                }
                let mut r = respond(
                    StatusCode::MOVED_PERMANENTLY,
                    "text/plain; charset=utf-8",
                    Vec::new(),
                    head,
                );
                if let Ok(v) = HeaderValue::from_str(&loc) {
                    r.headers_mut().insert(header::LOCATION, v);
                }
                return r;
            }
            path.push("index.html");
        }
        Ok(_) => {}
        Err(_) => return not_found(&s, head).await,
    }
    // Symlinks and anything else the lexical check cannot see.
    match tokio::fs::canonicalize(&path).await {
        Ok(real) if real.starts_with(&s.site) => match tokio::fs::read(&real).await {
            Ok(bytes) => respond(StatusCode::OK, content_type(&real), bytes, head),
            Err(_) => not_found(&s, head).await,
        },
        _ => not_found(&s, head).await,
    }
}

/// Characters escaped in a redirect's path parts.
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'\\');

async fn reload_js() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        RELOAD_JS.as_bytes().to_vec(),
        false,
    )
}

fn status_json(s: &Shared) -> Value {
    let st = s.status();
    json!({
        "instance": s.instance,
        "build": st.build,
        "ok": st.ok,
        "has_site": st.has_site,
        "errors": st.errors,
    })
}

async fn status(State(s): State<Arc<Shared>>) -> Response {
    respond(
        StatusCode::OK,
        "application/json",
        status_json(&s).to_string().into_bytes(),
        false,
    )
}

fn to_event(m: Msg) -> Event {
    Event::default().event(m.event).data(m.data)
}

async fn events(
    State(s): State<Arc<Shared>>,
) -> Sse<impl futures_util::Stream<Item = Result<Event, Infallible>>> {
    // Subscribe first: a build that ends meanwhile is sent, not lost.
    let rx = s.tx.subscribe();
    let mut first = VecDeque::new();
    {
        let st = s.status();
        first.push_back(Msg {
            event: "hello",
            data: json!({"instance": s.instance, "build": st.build}).to_string(),
        });
        if !st.ok {
            first.push_back(Msg {
                event: "errors",
                data: json!({"build": st.build, "errors": st.errors}).to_string(),
            });
        }
    }
    let stream =
        futures_util::stream::unfold((first, rx, true), |(mut q, mut rx, start)| async move {
            if let Some(m) = q.pop_front() {
                let mut ev = to_event(m);
                if start {
                    // Reconnect soon after a restart.
                    ev = ev.retry(Duration::from_millis(1000));
                }
                return Some((Ok(ev), (q, rx, false)));
            }
            let ev = match rx.recv().await {
                Ok(m) => to_event(m),
                Err(broadcast::error::RecvError::Lagged(_)) => Event::default()
                    .event("reload")
                    .data(json!({"all": true, "changed": []}).to_string()),
                Err(broadcast::error::RecvError::Closed) => return None,
            };
            Some((Ok(ev), (q, rx, false)))
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(RELOAD_JS_PATH, get(reload_js))
        .route(EVENTS_PATH, get(events))
        .route(STATUS_PATH, get(status))
        .fallback(serve_file)
        .with_state(shared)
}

fn listen(host: &str, port: u16) -> Result<std::net::TcpListener, ServeError> {
    use std::net::ToSocketAddrs;
    let addrs: Vec<_> = (host, port)
        .to_socket_addrs()
        .map_err(|_| ServeError::Hostname(host.to_string()))?
        .collect();
    let mut last = None;
    for a in &addrs {
        match std::net::TcpListener::bind(a) {
            Ok(l) => return Ok(l),
            Err(e) => last = Some((a, e)),
        }
    }
    match last {
        Some((_, e)) if e.kind() == std::io::ErrorKind::AddrInUse => {
            Err(ServeError::PortInUse(port))
        }
        Some((a, e)) => Err(ServeError::Listen(a.to_string(), e)),
        None => Err(ServeError::Hostname(host.to_string())),
    }
}

fn open_browser(url: &str) {
    #[cfg(target_os = "macos")]
    let mut cmd = std::process::Command::new("open");
    #[cfg(windows)]
    let mut cmd = {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    };
    #[cfg(not(any(target_os = "macos", windows)))]
    let mut cmd = std::process::Command::new("xdg-open");
    let r = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = r {
        eprintln!("note: cannot open a browser ({e}); open {url} yourself");
    }
}

async fn stop_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {}
        _ = term => {}
    }
}

/// Builds, serves and watches until Ctrl-C (or SIGTERM).
pub fn run(opts: &Options) -> Result<(), ServeError> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|_| ServeError::NoBook(opts.root.clone()))?;
    if !root.join("book.toml").is_file() {
        return Err(ServeError::NoBook(opts.root.clone()));
    }
    // Listen first: a taken port is said before any work.
    let listener = listen(&opts.hostname, opts.port)?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Io(format!("cannot listen: {e}")))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| ServeError::Io(format!("cannot listen: {e}")))?;
    let site = SiteDir::create().map_err(|e| {
        ServeError::Io(format!(
            "cannot make the site folder in {}: {e}",
            std::env::temp_dir().display()
        ))
    })?;
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let (tx, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: site.path.clone(),
        instance: format!("{}-{stamp}", std::process::id()),
        status: RwLock::new(Status {
            build: 0,
            ok: true,
            has_site: false,
            errors: Vec::new(),
        }),
        tx,
    });
    // Watch before the first build: a change made meanwhile is not lost.
    let (etx, erx) = mpsc::channel();
    let mut watcher = Watcher::start(opts.poll, etx)?;
    watcher.sync(&Watched::of(&root), false);
    let builder = Arc::new(Mutex::new(Builder::new(&root, &site.path)));
    let first = builder
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .rebuild(true);
    report(&root, &first, true);
    shared.publish(&first);
    {
        let (root, builder, shared) = (root.clone(), builder.clone(), shared.clone());
        std::thread::Builder::new()
            .name("refbook-watch".into())
            .spawn(move || watch_loop(root, builder, shared, erx, watcher))
            .map_err(|e| ServeError::Io(format!("cannot start watching: {e}")))?;
    }

    let host = match addr.ip() {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines can read the site",
            addr.ip()
        );
    }
    println!(
        "serving {} at {url} (site in {}; Ctrl-C to stop)",
        opts.root.display(),
        site.path.display()
    );
    if opts.open {
        let open_url = if addr.ip().is_unspecified() {
            format!("http://localhost:{}/", addr.port())
        } else {
            url.clone()
        };
        open_browser(&open_url);
    }

    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    let served: Result<(), ServeError> = rt.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| ServeError::Io(format!("cannot listen: {e}")))?;
        tokio::select! {
            r = axum::serve(listener, router(shared.clone())) => {
                r.map_err(|e| ServeError::Io(format!("the server stopped: {e}")))
            }
            _ = stop_signal() => Ok(()),
        }
    });
    // Open event streams never end by themselves: drop them.
    rt.shutdown_timeout(Duration::from_secs(1));
    // Let a rebuild in progress finish, and start no other, before the
    // site folder goes.
    builder.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
    drop(site);
    println!("stopped");
    served
}
