//! `refbook serve`: builds the book into a private folder, serves it over
//! HTTP, watches the book, rebuilds on change and reloads the open pages.
//!
//! - The site is written under the system temp folder (never the book's build
//!   directory, so `serve` cannot clobber what `build` wrote), and removed on exit.
//! - A rebuild renders in memory, compares every file with what the previous
//!   good build wrote, and writes only the files whose bytes differ, each
//!   through a temporary file and a rename; files that are gone are removed.
//!   A reader never sees a half-written file, and requests are never blocked
//!   by a rebuild: they read the folder while it is updated.
//! - An edit to area files (their texts, titles, links, elements, related
//!   areas, category, group or source) is shown first: the files are
//!   loaded again, put into the resolved book in place
//!   (`resolve::replace_area`, which renders a new title again where texts
//!   link to it, moves links in the backrefs, takes new, moved or removed
//!   elements into the book's ids and moves an area to its place among
//!   the others) and their areas' pages rendered (`render::render_first`)
//!   with the open pages, which may show it (lists its titles, targets its
//!   links), in tens of milliseconds at any size; an area file added or
//!   removed (its code changed: both) too (`resolve::add_area`,
//!   `remove_area`). An edit to the glossary (which may come or go), to a
//!   free page (which may be added or removed), to a category's
//!   description, or to what model.yaml only shows (titles, names, texts,
//!   labels, words for the kinds of elements; its positions may move), its
//!   categories' lists of areas and what its own checks alone read
//!   (clusters, levels, the scale, sources; when they pass) is put in place
//!   the same way (`resolve::replace_glossary`, `replace_page`,
//!   `add_page`, `remove_page`, `replace_category_text`,
//!   `replace_model_text`), shown on its page and the pages whose
//!   backrefs it changed.
//!   The rest (other pages that show the texts, the whole-model pages, the
//!   data files) follows from a full check and render on a thread of its
//!   own (`rest`), once the book is quiet, at a lower priority, holding the
//!   builder only to write, dropped as soon as another change waits; so the
//!   served site becomes the fresh build.
//! - The pages open in a browser (each page's event stream names it) are
//!   shown first after any other change: a change of the theme, or of
//!   book.toml's rendered settings (title, description...), renders them
//!   from the kept book with the theme loaded again (with no page open, the
//!   kept book whole); anything else checks the book again first. The rest
//!   follows the same way. With no page open, such a change is a full
//!   rebuild.
//! - A build with errors changes nothing on disk: the last good site stays,
//!   and the errors go to the open pages (over server-sent events, drawn as an
//!   overlay by `reload.js`) and to `/__refbook/status`.
//! - Only files inside the site are served: the path is decoded, any `..`,
//!   `.`, hidden or backslashed part is refused, and the file's canonical path
//!   must lie in the site's canonical folder (so symlinks cannot lead out).
//!
//! `rebuild` builds into the served folder (`files` keeps what it holds), `watch` rebuilds on change
//! (`burst` gathers a save's events: once its files are whole, it waits little),
//! `rest` renders the rest of the site after a quick rebuild,
//! `status` carries each outcome to the pages, `http` serves them.

mod burst;
mod files;
mod guard;
mod http;
mod rebuild;
#[cfg(test)]
mod rebuild_prop;
mod rest;
mod status;
mod watch;

use files::SiteDir;
use rebuild::{Builder, When, report};
use status::Shared;
use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
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

/// Why `serve` could not start. The message names the cause too, so that
/// one line tells it all; `source()` hands the cause to a caller that wants
/// its kind.
#[derive(Debug)]
pub enum ServeError {
    /// The folder does not exist or has no `book.toml`.
    NoBook(PathBuf),
    Hostname(String),
    PortInUse(u16),
    Listen(SocketAddr, io::Error),
    /// The bound socket could not be set up for the server.
    Socket(io::Error),
    /// The private site folder could not be made in this temp folder.
    SiteFolder(PathBuf, io::Error),
    Watch(notify::Error),
    WatchThread(io::Error),
    Runtime(io::Error),
}

impl fmt::Display for ServeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ServeError::NoBook(p) => write!(
                f,
                "{} holds no book (no book.toml); `refbook init` writes one",
                p.display()
            ),
            ServeError::Hostname(h) => write!(f, "cannot resolve the hostname `{h}`"),
            ServeError::PortInUse(p) => {
                write!(f, "port {p} is in use; pick another with --port")
            }
            ServeError::Listen(a, e) => write!(f, "cannot listen on {a}: {e}"),
            ServeError::Socket(e) => write!(f, "cannot listen: {e}"),
            ServeError::SiteFolder(d, e) => {
                write!(f, "cannot make the site folder in {}: {e}", d.display())
            }
            ServeError::Watch(e) => write!(f, "cannot watch the book: {e}"),
            ServeError::WatchThread(e) => write!(f, "cannot start watching: {e}"),
            ServeError::Runtime(e) => write!(f, "cannot start the server: {e}"),
        }
    }
}

impl std::error::Error for ServeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ServeError::NoBook(_) | ServeError::Hostname(_) | ServeError::PortInUse(_) => None,
            ServeError::Listen(_, e)
            | ServeError::Socket(e)
            | ServeError::SiteFolder(_, e)
            | ServeError::WatchThread(e)
            | ServeError::Runtime(e) => Some(e),
            ServeError::Watch(e) => Some(e),
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
        Some((a, e)) => Err(ServeError::Listen(*a, e)),
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
        say_err!("note: cannot open a browser ({why}); open {url} yourself");
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

/// Says where the site is served, and opens it if asked.
fn announce(opts: &Options, addr: SocketAddr, site: &Path) {
    let host = match addr.ip() {
        std::net::IpAddr::V6(ip) => format!("[{ip}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    if !addr.ip().is_loopback() {
        say_err!(
            "warning: listening on {}: other machines can read the site",
            addr.ip()
        );
    }
    say!(
        "serving {} at {url} (site in {}; Ctrl-C to stop)",
        opts.root.display(),
        site.display()
    );
    if opts.open {
        let open_url = if addr.ip().is_unspecified() {
            format!("http://localhost:{}/", addr.port())
        } else {
            url
        };
        open_browser(&open_url);
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
    let addr = listener.local_addr().map_err(ServeError::Socket)?;
    listener.set_nonblocking(true).map_err(ServeError::Socket)?;
    let site = SiteDir::create().map_err(|e| ServeError::SiteFolder(std::env::temp_dir(), e))?;
    // Watch before the first build: a change made meanwhile is not lost.
    let (etx, erx) = mpsc::channel();
    let mut watcher = Watcher::start(opts.poll, etx)?;
    watcher.sync(&Watched::of(&root), false);
    let builder = Builder::new(&root, &site.path);
    let shared = Arc::new(Shared::new(site.path.clone(), builder.held.clone()));
    let builder = Arc::new(Mutex::new(builder));
    let pending = watcher.pending.clone();
    let first = {
        let mut b = builder.lock().unwrap_or_else(|e| e.into_inner());
        // The first build is whole: a change made meanwhile follows it.
        let first = b.rebuild(true);
        b.pending = pending.clone();
        first
    };
    report(&root, &first, When::First);
    shared.publish(&first);
    {
        let (root, builder, shared) = (root.clone(), builder.clone(), shared.clone());
        std::thread::Builder::new()
            .name("refbook-watch".into())
            .spawn(move || watch_loop(root, builder, shared, erx, watcher))
            .map_err(ServeError::WatchThread)?;
    }

    announce(opts, addr, &site.path);

    let hosts = guard::Hosts::new(&opts.hostname, addr);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let served: Result<(), ServeError> = rt.block_on(async {
        let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Socket)?;
        tokio::select! {
            () = guard::serve(listener, http::router(shared.clone(), hosts)) => {}
            () = stop_signal() => {}
        }
        Ok(())
    });
    // Open event streams never end by themselves: drop them.
    rt.shutdown_timeout(Duration::from_secs(1));
    // Let a rebuild in progress finish (a full render stops early, as for a
    // change), and start no other, before the site folder goes.
    pending.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    builder.lock().unwrap_or_else(|e| e.into_inner()).stopped = true;
    drop(site);
    say!("stopped");
    served
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn an_error_says_its_cause_and_keeps_it() {
        let e = ServeError::SiteFolder(
            "/tmp".into(),
            io::Error::from(io::ErrorKind::PermissionDenied),
        );
        assert_eq!(
            e.to_string(),
            "cannot make the site folder in /tmp: permission denied"
        );
        let cause = e.source().and_then(|s| s.downcast_ref::<io::Error>());
        assert_eq!(
            cause.map(io::Error::kind),
            Some(io::ErrorKind::PermissionDenied)
        );
        let taken = ServeError::PortInUse(3000);
        assert_eq!(
            taken.to_string(),
            "port 3000 is in use; pick another with --port"
        );
        assert!(taken.source().is_none());
    }

    #[test]
    fn a_taken_port_is_told_as_such() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        assert!(matches!(
            listen("127.0.0.1", port),
            Err(ServeError::PortInUse(p)) if p == port
        ));
    }
}
