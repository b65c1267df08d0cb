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
//!
//! `rebuild` builds into the served folder, `watch` rebuilds on change,
//! `status` carries each outcome to the pages, `http` serves them.

mod guard;
mod http;
mod rebuild;
mod status;
mod watch;

pub use http::{RELOAD_JS, RELOAD_JS_PATH, content_type, site_path};
pub use rebuild::{Builder, Outcome};

use rebuild::{SiteDir, report};
use status::Shared;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use watch::{Watched, Watcher, watch_loop};

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
    if let Err(e) = opener::open_browser(url) {
        // opener keeps the system's reason in the source.
        let why = match std::error::Error::source(&e) {
            Some(s) => format!("{e}: {s}"),
            None => e.to_string(),
        };
        eprintln!("note: cannot open a browser ({why}); open {url} yourself");
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
    let shared = Arc::new(Shared::new(site.path.clone()));
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

    let hosts = guard::Hosts::new(&opts.hostname, addr);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    let served: Result<(), ServeError> = rt.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| ServeError::Io(format!("cannot listen: {e}")))?;
        tokio::select! {
            () = guard::serve(listener, http::router(shared.clone(), hosts)) => {}
            () = stop_signal() => {}
        }
        Ok(())
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
