//! Watching the files a build reads (native events, else polling) and
//! rebuilding when they change.

use super::ServeError;
use super::burst::next_changes;
use super::rebuild::{Builder, When, report};
use super::status::Shared;
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Which files a build reads: book.toml, the content folder, themes/.
pub(super) struct Watched {
    root: PathBuf,
    content: PathBuf,
    themes: PathBuf,
}

impl Watched {
    pub(super) fn of(root: &Path) -> Watched {
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

/// Passes the debouncer's batches that change something to the loop, and
/// counts them: a full render in progress stops when one waits. Batches of
/// reads only (the build itself reads every file) are dropped here.
#[derive(Clone)]
struct Handler {
    tx: mpsc::Sender<DebounceEventResult>,
    pending: Arc<AtomicUsize>,
}

impl notify_debouncer_full::DebounceEventHandler for Handler {
    fn handle_event(&mut self, r: DebounceEventResult) {
        if let Ok(evs) = &r
            && !evs.iter().any(|e| is_change(&e.event.kind))
        {
            return;
        }
        self.pending.fetch_add(1, Ordering::SeqCst);
        if self.tx.send(r).is_err() {
            self.pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

pub(super) struct Watcher {
    deb: Deb,
    tx: Handler,
    watching: Vec<(PathBuf, RecursiveMode)>,
    /// Batches sent and not yet taken by `next_changes`.
    pub(super) pending: Arc<AtomicUsize>,
}

// Editors save in bursts; the burst is then gathered by `next_changes`,
// which waits for quiet (little once the files are whole), so the debouncer
// only pairs renames and drops repeats.
const DEBOUNCE: Duration = Duration::from_millis(8);
const POLL_EVERY: Duration = Duration::from_millis(500);

fn poll_debouncer(tx: Handler) -> notify::Result<Deb> {
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
    pub(super) fn start(
        poll: bool,
        tx: mpsc::Sender<DebounceEventResult>,
    ) -> Result<Watcher, ServeError> {
        let pending = Arc::new(AtomicUsize::new(0));
        let tx = Handler {
            tx,
            pending: pending.clone(),
        };
        let deb = if poll {
            poll_debouncer(tx.clone())
        } else {
            match notify_debouncer_full::new_debouncer(DEBOUNCE, None, tx.clone()) {
                Ok(d) => Ok(Deb::Native(d)),
                Err(e) => {
                    say_err!(
                        "note: native file watching is unavailable ({e}); polling every {} ms",
                        POLL_EVERY.as_millis()
                    );
                    poll_debouncer(tx.clone())
                }
            }
        }
        .map_err(ServeError::Watch)?;
        Ok(Watcher {
            deb,
            tx,
            watching: Vec::new(),
            pending,
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
    pub(super) fn sync(&mut self, w: &Watched, again: bool) {
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
                    say_err!(
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
                        Err(e) => say_err!("warning: cannot watch {}: {e}", p.display()),
                    }
                }
                Err(e) => say_err!("warning: cannot watch {}: {e}", p.display()),
            }
        }
    }
}

/// Reading a file is not changing it (the build itself opens every file).
pub(super) fn is_change(k: &EventKind) -> bool {
    match k {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Rebuilds on every burst of relevant changes, tells the terminal and the
/// pages, and follows the folders the book reads; until watching ends.
pub(super) fn watch_loop(
    root: PathBuf,
    builder: Arc<Mutex<Builder>>,
    shared: Arc<Shared>,
    rx: mpsc::Receiver<DebounceEventResult>,
    mut watcher: Watcher,
) {
    let mut watched = Watched::of(&root);
    let pending = watcher.pending.clone();
    let (kick, kicked) = mpsc::channel();
    {
        let (root, builder, shared) = (root.clone(), builder.clone(), shared.clone());
        let started = std::thread::Builder::new()
            .name("refbook-rest".into())
            .spawn(move || super::rest::rest_loop(root, builder, shared, kicked));
        if let Err(e) = started {
            say_err!(
                "warning: cannot start rendering in the background ({e}): every change rebuilds everything"
            );
        }
    }
    loop {
        let read = |p: &Path| watched.relevant(p);
        let Some((paths, unknown)) = next_changes(&rx, &pending, &read) else {
            break;
        };
        let relevant: Vec<PathBuf> = paths.into_iter().filter(|p| watched.relevant(p)).collect();
        if relevant.is_empty() && !unknown {
            let _ = kick.send(());
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
                say!("changed: {} and {more} more", shown.display());
            } else {
                say!("changed: {}", shown.display());
            }
        }
        let outcome = {
            let mut b = builder.lock().unwrap_or_else(|e| e.into_inner());
            // Changes may have been missed: nothing is shown first.
            b.open = if unknown {
                Default::default()
            } else {
                shared.open_pages()
            };
            b.rebuild_changed(theme_dirty, &relevant)
        };
        report(&root, &outcome, When::Edit);
        shared.publish(&outcome);
        // Served from memory until now: written after the pages are shown.
        let failed = builder.lock().unwrap_or_else(|e| e.into_inner()).flush();
        crate::diag::eprint(&root, &failed);
        // book.toml may name another content folder; folders may come and go.
        watched = Watched::of(&root);
        watcher.sync(&watched, again);
        let _ = kick.send(());
    }
}
