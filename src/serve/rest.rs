//! The rest of the site after a quick rebuild (the pages that list the
//! edited texts, the whole-model pages, the data files): a full check and
//! render on a thread and workers of its own, so that a newer edit is
//! shown without waiting for it. It starts once the book is quiet, runs at
//! a lower priority, holds the builder only to write, and is dropped when a
//! change waits or a rebuild ran meanwhile; the next quick rebuild starts
//! it again.

use super::files::{self, Files, Fresh, MemSink, Stage};
use super::rebuild::{Builder, Outcome, Rendered, When, rendered, report};
use super::status::Shared;
use crate::diag::{self, Diagnostic};
use crate::render::{self, BuildOptions, Sink};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

/// How long the book must be quiet before the rest of the site is rendered.
const REST_AFTER: Duration = Duration::from_millis(300);

/// Renders the rest of the site each time a message on `kick` says a
/// rebuild ended and left the site behind its book.
pub(super) fn rest_loop(
    root: PathBuf,
    builder: Arc<Mutex<Builder>>,
    shared: Arc<Shared>,
    kick: mpsc::Receiver<()>,
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("refbook-rest-{i}"))
        .start_handler(|_| lower_priority())
        .build();
    let install = |f: &mut (dyn FnMut() + Send)| match &pool {
        Ok(p) => p.install(f),
        Err(_) => f(),
    };
    let lock = || builder.lock().unwrap_or_else(|e| e.into_inner());
    while kick.recv().is_ok() {
        while kick.try_recv().is_ok() {}
        let (generation, served, files, pending, opts) = {
            let b = lock();
            if !b.behind || b.stopped {
                continue;
            }
            (
                b.generation,
                b.site.clone(),
                b.files.clone(),
                b.pending.clone(),
                b.opts.clone(),
            )
        };
        // Authors save again soon after a save: wait for a quiet moment
        // rather than compete with the next quick rebuild for the cores.
        let quiet = Instant::now() + REST_AFTER;
        while Instant::now() < quiet && pending.load(Ordering::SeqCst) == 0 {
            std::thread::sleep(Duration::from_millis(10));
        }
        if pending.load(Ordering::SeqCst) > 0 {
            continue;
        }
        let start = Instant::now();
        let mut done = None;
        install(&mut || done = Some(render_rest(&root, &served, &files, &pending, &opts)));
        let outcome = {
            let mut b = lock();
            match done {
                // A rebuild ran meanwhile: this site is older than the one served.
                _ if b.generation != generation || b.stopped => Outcome::Stopped,
                Some(Ok(r)) => b.commit(r, start),
                Some(Err(Some(diags))) => {
                    b.forget();
                    Outcome::Bad {
                        diags,
                        elapsed: start.elapsed(),
                    }
                }
                Some(Err(None)) | None => Outcome::Stopped,
            }
        };
        report(&root, &outcome, When::Rest);
        shared.publish(&outcome);
    }
}

/// The rest of the site rendered at once, on this thread: what the loop
/// does once the book is quiet, for tests.
#[cfg(test)]
pub(super) fn rest_now(b: &mut Builder, root: &Path) -> Outcome {
    let start = Instant::now();
    let (files, pending, opts) = (b.files.clone(), b.pending.clone(), b.opts.clone());
    match render_rest(root, &b.site.clone(), &files, &pending, &opts) {
        Ok(r) => b.commit(r, start),
        Err(Some(diags)) => {
            b.forget();
            Outcome::Bad {
                diags,
                elapsed: start.elapsed(),
            }
        }
        Err(None) => Outcome::Stopped,
    }
}

/// Checks and renders the whole book, comparing each file with `files`;
/// `Err(None)` when a change came meanwhile, `Err(Some(problems))` when the
/// book has errors.
fn render_rest(
    root: &Path,
    served: &Path,
    files: &RwLock<Files>,
    pending: &AtomicUsize,
    opts: &BuildOptions,
) -> Result<Rendered, Option<Vec<Diagnostic>>> {
    let (book, mut diags) = crate::check_reusing(root, &|_| None, super::rebuild::KEEP_LINKS);
    if pending.load(Ordering::SeqCst) > 0 {
        return Err(None);
    }
    let book = book.ok_or_else(|| Some(std::mem::take(&mut diags)))?;
    // Its own theme, as a fresh build loads it: the builder's serves the
    // quick rebuilds meanwhile.
    let mut theme = match crate::theme::load_for(root, &book.model.book, &mut diags) {
        Some(t) if !diag::has_errors(&diags) => t,
        _ => return Err(Some(diags)),
    };
    let stage = Stage::new(served).map_err(|e| Some(vec![files::unwritable(served, &e)]))?;
    let site = render::Site::new(&book);
    let fresh: Mutex<Vec<Fresh>> = Mutex::new(Vec::new());
    let sink = MemSink {
        prev: files,
        fresh: &fresh,
        pending: Some(pending),
        direct: None,
        stage: Some(&stage),
    };
    let (pages, views) = render::render_site_keeping(&site, &mut theme, &mut diags, opts, &sink);
    drop(site);
    if sink.stopped() {
        return Err(None);
    }
    let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
    rendered(book, (fresh, Some(stage)), pages, diags, views).map_err(Some)
}

/// The rest of the site is rendered at a lower priority: a newer edit's
/// quick rebuild gets the cores first.
fn lower_priority() {
    // Linux gives each thread its own nice value; 0 is the calling thread.
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority takes plain integers and touches no memory.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, 10);
    }
}
