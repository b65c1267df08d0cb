//! What the served folder holds and how a render reaches it: a digest of
//! each file written, a sink that keeps in memory only the files whose
//! digest changed (or, for the first build, writes them as they come), and
//! writes through a temporary file and a rename.

use crate::render::{self, Sink};
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, RwLock};

/// What the site folder holds: path relative to it -> a digest of its
/// bytes. Digests, not bytes: at S=100 the bytes were 1.1 GB held for the
/// whole session.
pub(super) type Files = HashMap<String, Digest>;

/// 128 bits of two fixed-seed ahashes of a file's bytes, and its length: a
/// changed file that kept its digest is not a risk worth a byte's memory.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Digest(u64, u64, usize);

pub(super) fn digest(bytes: &[u8]) -> Digest {
    let seeded = |k: u64| ahash::RandomState::with_seeds(k, k ^ 0x9E37, k << 7, !k);
    Digest(
        seeded(0x5EED_0001).hash_one(bytes),
        seeded(0x5EED_0002).hash_one(bytes),
        bytes.len(),
    )
}

pub(super) fn write_lock(f: &RwLock<Files>) -> std::sync::RwLockWriteGuard<'_, Files> {
    f.write().unwrap_or_else(|e| e.into_inner())
}

/// A rendered file (its path) and what is left to do with it.
#[derive(Debug, PartialEq)]
pub(super) enum Fresh {
    /// The site holds these bytes already.
    Same(String),
    /// The site holds other bytes, or none: these are to be written.
    Changed(String, Vec<u8>),
    /// Written into the empty served folder as it was made (the first
    /// build), its digest recorded.
    Written(String),
}

/// Rendered files kept in memory, each with its bytes only when they differ
/// from what the site holds.
pub(super) struct MemSink<'a> {
    pub(super) prev: &'a RwLock<Files>,
    pub(super) fresh: &'a Mutex<Vec<Fresh>>,
    /// Changes waiting: when more than none, the render stops.
    pub(super) pending: Option<&'a AtomicUsize>,
    /// The served folder, when it holds nothing yet (the first build, before
    /// anything is served): each file is written there as it is made and
    /// its digest recorded, rather than the whole site held in memory.
    pub(super) direct: Option<&'a Path>,
}

/// A file in memory that refuses more bytes once the render is stopped,
/// so that the large data files stop too.
pub(super) struct Buf<'a> {
    bytes: Vec<u8>,
    pending: Option<&'a AtomicUsize>,
}

impl std::io::Write for Buf<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.pending.is_some_and(|p| p.load(Ordering::Relaxed) > 0) {
            return Err(std::io::Error::other("stopped for a newer change"));
        }
        self.bytes.extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl render::Patch for Buf<'_> {
    fn patch(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        self.bytes.patch(at, bytes)
    }
}

impl<'a> Sink for MemSink<'a> {
    type File = Buf<'a>;
    fn create(&self, _rel: &str) -> Result<Buf<'a>, render::WriteError> {
        Ok(Buf {
            bytes: Vec::new(),
            pending: self.pending,
        })
    }
    fn stopped(&self) -> bool {
        self.pending.is_some_and(|p| p.load(Ordering::Relaxed) > 0)
    }
    fn close(&self, rel: &str, file: Buf<'a>) -> Result<(), render::WriteError> {
        let bytes = file.bytes;
        if self.stopped() {
            return Err(render::WriteError {
                path: rel.into(),
                source: std::io::Error::other("stopped for a newer change"),
            });
        }
        let now = digest(&bytes);
        if let Some(dir) = self.direct {
            let path = dir.join(rel);
            std::fs::create_dir_all(path.parent().unwrap_or(dir))
                .and_then(|()| std::fs::write(&path, &bytes))
                .map_err(|source| render::WriteError {
                    path: rel.into(),
                    source,
                })?;
            write_lock(self.prev).insert(rel.to_string(), now);
            self.fresh
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Fresh::Written(rel.to_string()));
            return Ok(());
        }
        let differs = (self.prev.read().unwrap_or_else(|e| e.into_inner()))
            .get(rel)
            .is_none_or(|old| *old != now);
        let entry = match differs {
            true => Fresh::Changed(rel.to_string(), bytes),
            false => Fresh::Same(rel.to_string()),
        };
        self.fresh
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(entry);
        Ok(())
    }
}

/// Writes `rel` under `dir` through a temporary file and a rename.
pub(super) fn write_atomic(dir: &Path, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
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

/// Removes what a first build wrote straight into `dir` (it failed): a
/// build with errors leaves the served folder as it was.
pub(super) fn unwrite(dir: &Path, files: &RwLock<Files>) {
    let mut files = write_lock(files);
    for rel in files.keys() {
        let _ = std::fs::remove_file(dir.join(rel));
    }
    files.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn put(sink: &MemSink, rel: &str, bytes: &[u8]) {
        let mut f = sink.create(rel).unwrap();
        f.write_all(bytes).unwrap();
        sink.close(rel, f).unwrap();
    }

    #[test]
    fn the_first_build_writes_straight_and_later_ones_keep_what_changed() {
        let dir = std::env::temp_dir().join(format!("refbook-files-{}", std::process::id()));
        let files = RwLock::new(Files::new());
        let fresh = Mutex::new(Vec::new());
        let first = MemSink {
            prev: &files,
            fresh: &fresh,
            pending: None,
            direct: Some(&dir),
        };
        put(&first, "a/b.html", b"one");
        put(&first, "c.html", b"two");
        assert_eq!(std::fs::read(dir.join("a/b.html")).unwrap(), b"one");
        assert_eq!(files.read().unwrap()["a/b.html"], digest(b"one"));
        assert!(
            fresh
                .lock()
                .unwrap()
                .iter()
                .all(|f| matches!(f, Fresh::Written(_)))
        );
        fresh.lock().unwrap().clear();
        let later = MemSink {
            direct: None,
            ..first
        };
        put(&later, "a/b.html", b"one");
        put(&later, "c.html", b"twO");
        let got = std::mem::take(&mut *fresh.lock().unwrap());
        assert_eq!(
            got,
            vec![
                Fresh::Same("a/b.html".into()),
                Fresh::Changed("c.html".into(), b"twO".to_vec())
            ]
        );
        assert_ne!(digest(b"ab"), digest(b"ba"));
        unwrite(&dir, &files);
        assert!(!dir.join("a/b.html").exists() && files.read().unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
