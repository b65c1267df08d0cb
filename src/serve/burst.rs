//! Gathering the events of one save into one rebuild. A save comes as a
//! burst (a temporary file written and renamed onto the file, or the file
//! written and closed; a backup renamed away first): rebuilding in the
//! middle of one shows a file half written or gone. The gathering waits
//! for quiet, and waits little once every file the build reads that the
//! burst touched is whole again: closed after writing, or renamed into
//! place. Those events are the native watchers' (inotify's close, every
//! backend's rename); where there are none (polling, FSEvents), the burst
//! waits the longer quiet as before.

use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{Event, EventKind};
use notify_debouncer_full::DebounceEventResult;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long the gathering waits for another batch once every file read
/// that the burst touched is whole: only for a batch the debouncer split.
const WHOLE_QUIET: Duration = Duration::from_millis(2);
/// How long it waits while a file is still being written or is gone (an
/// editor may put it back).
const QUIET: Duration = Duration::from_millis(25);
/// At most this long from the first batch: a file written without end
/// still rebuilds.
const LONGEST: Duration = Duration::from_millis(500);

/// Whether each path the burst touched is whole after its last event.
#[derive(Default)]
struct Burst {
    whole: HashMap<PathBuf, bool>,
}

impl Burst {
    fn take(&mut self, e: &Event) {
        for (i, p) in e.paths.iter().enumerate() {
            // A rename's first path is the one renamed away.
            let whole = match e.kind {
                EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
                EventKind::Modify(ModifyKind::Name(RenameMode::To)) => true,
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)) => i == 1,
                EventKind::Modify(ModifyKind::Metadata(_)) => true,
                EventKind::Create(notify::event::CreateKind::Folder) => true,
                _ => false,
            };
            self.whole.insert(p.clone(), whole);
        }
    }

    /// Whether every path that `read` says the build reads is whole.
    fn is_whole(&self, read: &dyn Fn(&Path) -> bool) -> bool {
        self.whole.iter().all(|(p, w)| *w || !read(p))
    }
}

/// The paths of the next burst of changes, and whether the watcher lost
/// track (then anything may have changed); `None` once watching has ended.
/// `read`: whether the build reads a path (only those must be whole).
pub(super) fn next_changes(
    rx: &mpsc::Receiver<DebounceEventResult>,
    pending: &AtomicUsize,
    read: &dyn Fn(&Path) -> bool,
) -> Option<(Vec<PathBuf>, bool)> {
    let first = rx.recv().ok()?;
    pending.fetch_sub(1, Ordering::SeqCst);
    let until = Instant::now() + LONGEST;
    let (mut burst, mut paths, mut unknown) = (Burst::default(), Vec::new(), false);
    let mut next = Some(first);
    while let Some(r) = next.take() {
        match r {
            Ok(evs) => {
                for e in evs
                    .into_iter()
                    .filter(|e| super::watch::is_change(&e.event.kind))
                {
                    burst.take(&e.event);
                    paths.extend(e.event.paths);
                }
            }
            Err(errs) => {
                for e in errs {
                    say_err!("warning: file watching: {e}");
                }
                unknown = true;
            }
        }
        if Instant::now() > until {
            break;
        }
        let quiet = match !unknown && burst.is_whole(read) {
            true => WHOLE_QUIET,
            false => QUIET,
        };
        next = rx.recv_timeout(quiet).ok();
        if next.is_some() {
            pending.fetch_sub(1, Ordering::SeqCst);
        }
    }
    paths.sort();
    paths.dedup();
    Some((paths, unknown))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, DataChange, RemoveKind};
    use notify_debouncer_full::DebouncedEvent;

    fn ev(kind: EventKind, paths: &[&str]) -> DebouncedEvent {
        let mut e = Event::new(kind);
        for p in paths {
            e = e.add_path(PathBuf::from(p));
        }
        DebouncedEvent::new(e, Instant::now())
    }

    const WRITE: EventKind = EventKind::Modify(ModifyKind::Data(DataChange::Content));
    const CLOSED: EventKind = EventKind::Access(AccessKind::Close(AccessMode::Write));
    const RENAMED: EventKind = EventKind::Modify(ModifyKind::Name(RenameMode::Both));

    fn whole(events: &[DebouncedEvent]) -> bool {
        let mut b = Burst::default();
        for e in events {
            b.take(&e.event);
        }
        b.is_whole(&|p| !p.to_string_lossy().ends_with('~'))
    }

    #[test]
    fn a_file_is_whole_once_closed_after_writing_or_renamed_into_place() {
        let a = "/b/content/areas/ef.md";
        assert!(!whole(&[ev(WRITE, &[a])]), "written, not closed");
        assert!(whole(&[ev(WRITE, &[a]), ev(CLOSED, &[a])]));
        let created = EventKind::Create(CreateKind::File);
        assert!(!whole(&[ev(created, &[a])]));
        assert!(whole(&[ev(created, &[a]), ev(CLOSED, &[a])]));
        // A temporary file renamed onto it.
        let tmp = "/b/content/areas/ef.md.tmp1";
        assert!(!whole(&[ev(CLOSED, &[tmp]), ev(RENAMED, &[tmp, a])]));
        // The backup renamed away (the build does not read it), the file
        // written again and closed.
        let backup = "/b/content/areas/ef.md~";
        assert!(!whole(&[ev(RENAMED, &[a, backup])]), "gone");
        assert!(whole(&[
            ev(RENAMED, &[a, backup]),
            ev(created, &[a]),
            ev(CLOSED, &[a])
        ]));
        let removed = EventKind::Remove(RemoveKind::File);
        assert!(!whole(&[ev(removed, &[a])]), "gone: may come back");
        assert!(whole(&[ev(removed, &[backup])]), "not read");
    }

    #[test]
    fn a_burst_split_across_batches_is_taken_whole() {
        let (tx, rx) = mpsc::channel();
        let pending = AtomicUsize::new(3);
        let a = "/b/content/areas/ef.md";
        tx.send(Ok(vec![ev(WRITE, &[a])])).unwrap();
        tx.send(Ok(vec![ev(CLOSED, &[a])])).unwrap();
        tx.send(Ok(vec![ev(CLOSED, &["/b/book.toml"])])).unwrap();
        let (paths, unknown) = next_changes(&rx, &pending, &|_| true).unwrap();
        assert_eq!(paths, [PathBuf::from("/b/book.toml"), PathBuf::from(a)]);
        assert!(!unknown);
        assert_eq!(pending.load(Ordering::SeqCst), 0);
        tx.send(Err(vec![notify::Error::generic("lost")])).unwrap();
        pending.store(1, Ordering::SeqCst);
        assert_eq!(next_changes(&rx, &pending, &|_| true), Some((vec![], true)));
        drop(tx);
        assert_eq!(next_changes(&rx, &pending, &|_| true), None);
    }
}
