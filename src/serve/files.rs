//! What the served folder holds and how a render reaches it: a digest of
//! each file written, a sink that keeps in memory only the files whose
//! digest changed (or, for the first build, writes them as they come), and
//! writes through a temporary file and a rename.

use crate::render::{self, Sink};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

/// What the site folder holds: path relative to it -> a digest of its
/// bytes. Digests, not bytes: at S=100 the bytes were 1.1 GB held for the
/// whole session.
pub(super) type Files = HashMap<String, Digest>;

/// 128 bits of two fixed-seed ahashes of a file's bytes, and its length: a
/// changed file that kept its digest is not a risk worth a byte's memory.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) struct Digest(u64, u64, usize);

pub(super) fn digest(bytes: &[u8]) -> Digest {
    // The blocks a Digester would hash, hashed where they lie: every page
    // of a rebuild is digested, and copying it into a block is not needed.
    let mut d = Digester::new();
    for block in bytes.chunks(BLOCK) {
        Digester::hash(&mut d.hashers, block);
    }
    d.len = bytes.len();
    d.finish()
}

/// A [`Digest`] made as the bytes come: they are hashed in blocks of the
/// same size however they arrive, so a file digested as it is written has
/// the digest of its bytes digested at once.
pub(super) struct Digester {
    hashers: [ahash::AHasher; 2],
    block: Vec<u8>,
    len: usize,
}

const BLOCK: usize = 1 << 16;

impl Digester {
    pub(super) fn new() -> Digester {
        let seeded =
            |k: u64| ahash::RandomState::with_seeds(k, k ^ 0x9E37, k << 7, !k).build_hasher();
        Digester {
            hashers: [seeded(0x5EED_0001), seeded(0x5EED_0002)],
            block: Vec::new(),
            len: 0,
        }
    }

    fn hash(hashers: &mut [ahash::AHasher; 2], block: &[u8]) {
        for h in hashers {
            h.write(block);
        }
    }

    pub(super) fn update(&mut self, mut bytes: &[u8]) {
        self.len += bytes.len();
        while !bytes.is_empty() {
            if self.block.is_empty() && bytes.len() >= BLOCK {
                // A whole block in place, not copied.
                Self::hash(&mut self.hashers, &bytes[..BLOCK]);
                bytes = &bytes[BLOCK..];
                continue;
            }
            let take = (BLOCK - self.block.len()).min(bytes.len());
            self.block.extend_from_slice(&bytes[..take]);
            bytes = &bytes[take..];
            if self.block.len() == BLOCK {
                Self::hash(&mut self.hashers, &self.block);
                self.block.clear();
            }
        }
    }

    pub(super) fn finish(mut self) -> Digest {
        if !self.block.is_empty() {
            Self::hash(&mut self.hashers, &self.block);
        }
        let [a, b] = self.hashers;
        Digest(a.finish(), b.finish(), self.len)
    }
}

/// The digest of the file at `path`, read a block at a time.
fn digest_file(path: &Path) -> std::io::Result<Digest> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut d = Digester::new();
    let mut buf = vec![0u8; BLOCK];
    loop {
        match f.read(&mut buf)? {
            0 => return Ok(d.finish()),
            n => d.update(&buf[..n]),
        }
    }
}

pub(super) fn write_lock(f: &RwLock<Files>) -> std::sync::RwLockWriteGuard<'_, Files> {
    f.write().unwrap_or_else(|e| e.into_inner())
}

/// The files a rebuild made and has not yet written (path relative to the
/// site -> bytes): served from memory, so that a browser reloading the
/// changed page waits for no file system. Writing a page anew takes a new
/// file and frees one, and on ext4 without a journal a new file can wait
/// hundreds of milliseconds for a free one (see bench/RESULTS.md).
#[derive(Default)]
pub(super) struct Held(RwLock<HashMap<String, Arc<[u8]>>>);

impl Held {
    /// The bytes held for the site's file `rel`, if any.
    pub(super) fn get(&self, rel: &str) -> Option<Arc<[u8]>> {
        let held = self.0.read().unwrap_or_else(|e| e.into_inner());
        held.get(rel).cloned()
    }

    pub(super) fn put(&self, rel: &str, bytes: Arc<[u8]>) {
        let mut held = self.0.write().unwrap_or_else(|e| e.into_inner());
        held.insert(rel.to_string(), bytes);
    }

    /// `rel` is on disk as it should be: no longer held, unless newer bytes
    /// than `written` were held since (`None`: whatever is held).
    pub(super) fn release(&self, rel: &str, written: Option<&Arc<[u8]>>) {
        let mut held = self.0.write().unwrap_or_else(|e| e.into_inner());
        if let Some(now) = held.get(rel)
            && written.is_none_or(|w| Arc::ptr_eq(w, now))
        {
            held.remove(rel);
        }
    }
}

/// A rendered file (its path) and what is left to do with it.
#[derive(Debug, PartialEq)]
pub(super) enum Fresh {
    /// The site holds these bytes already.
    Same(String),
    /// The site holds other bytes, or none: these are to be written (with
    /// their digest).
    Changed(String, Vec<u8>, Digest),
    /// As `Changed`, the bytes waiting in a [`Stage`] (where, and their
    /// digest).
    Staged(String, PathBuf, Digest),
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
    /// Where the files that changed wait, rather than in memory (a render
    /// of the whole site).
    pub(super) stage: Option<&'a Stage>,
}

/// A hidden folder in the served one (the server never serves a name
/// starting with a dot) where a render of the whole site puts the files
/// that changed until all are made and none failed: an edit that every
/// page shows (the model's title) changed a gigabyte of pages at S=100,
/// which were held in memory until then. Removed with what is left in it.
pub(super) struct Stage {
    path: PathBuf,
}

impl Stage {
    pub(super) fn new(site: &Path) -> std::io::Result<Stage> {
        // A whole render in serve and one of the rest may overlap.
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = site.join(format!(".refbook-stage-{n}"));
        std::fs::create_dir(&path)?;
        Ok(Stage { path })
    }

    /// Puts `bytes` as `rel` in the stage; where they are.
    fn put(&self, rel: &str, bytes: &[u8]) -> std::io::Result<PathBuf> {
        let path = self.path.join(rel);
        std::fs::create_dir_all(path.parent().unwrap_or(&self.path))?;
        std::fs::write(&path, bytes)?;
        Ok(path)
    }
}

impl Drop for Stage {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Moves a staged file into place as `rel` under `site` (a rename: the
/// stage is in the same folder).
pub(super) fn move_in(site: &Path, rel: &str, from: &Path) -> std::io::Result<()> {
    let to = site.join(rel);
    std::fs::create_dir_all(to.parent().unwrap_or(site))?;
    std::fs::rename(from, to)
}

/// The served site could not be written at `path`.
pub(super) fn unwritable(path: &Path, e: &std::io::Error) -> crate::diag::Diagnostic {
    let loc = crate::diag::Loc {
        file: path.display().to_string().into(),
        line: 0,
        col: 0,
    };
    crate::diag::Diagnostic::error(loc, format!("cannot write the served site: {e}"))
}

/// A file in memory, or in the first build the file itself in the served
/// folder, written and digested as it is made (at scale the OSCAL catalog
/// and model.json are most of a gigabyte). It refuses more bytes once the
/// render is stopped, so that the large data files stop too.
pub(super) struct Buf<'a> {
    bytes: Vec<u8>,
    disk: Option<OnDisk>,
    pending: Option<&'a AtomicUsize>,
}

pub(super) struct OnDisk {
    path: PathBuf,
    file: std::io::BufWriter<std::fs::File>,
    digest: Digester,
    /// Bytes already written were overwritten: the digest is made from
    /// the file as it ends up.
    patched: bool,
}

impl std::io::Write for Buf<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if self.pending.is_some_and(|p| p.load(Ordering::Relaxed) > 0) {
            return Err(std::io::Error::other("stopped for a newer change"));
        }
        match &mut self.disk {
            Some(d) => {
                d.file.write_all(b)?;
                d.digest.update(b);
            }
            None => self.bytes.extend_from_slice(b),
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.disk {
            Some(d) => d.file.flush(),
            None => Ok(()),
        }
    }
}

impl render::Patch for Buf<'_> {
    fn patch(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.disk {
            Some(d) => {
                d.file.flush()?;
                d.patched = true;
                d.file.get_mut().patch(at, bytes)
            }
            None => self.bytes.patch(at, bytes),
        }
    }
}

impl<'a> Sink for MemSink<'a> {
    type File = Buf<'a>;
    fn create(&self, rel: &str) -> Result<Buf<'a>, render::WriteError> {
        let disk = match self.direct {
            Some(dir) => {
                let path = dir.join(rel);
                let file = std::fs::create_dir_all(path.parent().unwrap_or(dir))
                    .and_then(|()| std::fs::File::create(&path))
                    .map_err(|source| render::WriteError {
                        path: rel.into(),
                        source,
                    })?;
                // Counted as the site's from now on: a build that fails
                // removes it with the rest (`unwrite`).
                write_lock(self.prev).insert(rel.to_string(), Digest(0, 0, usize::MAX));
                Some(OnDisk {
                    path,
                    file: std::io::BufWriter::with_capacity(BLOCK, file),
                    digest: Digester::new(),
                    patched: false,
                })
            }
            None => None,
        };
        Ok(Buf {
            bytes: Vec::new(),
            disk,
            pending: self.pending,
        })
    }
    fn stopped(&self) -> bool {
        self.pending.is_some_and(|p| p.load(Ordering::Relaxed) > 0)
    }
    fn close(&self, rel: &str, file: Buf<'a>) -> Result<(), render::WriteError> {
        let failed = |source| render::WriteError {
            path: rel.into(),
            source,
        };
        if self.stopped() {
            return Err(failed(std::io::Error::other("stopped for a newer change")));
        }
        if let Some(mut d) = file.disk {
            d.file.flush().map_err(failed)?;
            let now = match d.patched {
                true => digest_file(&d.path).map_err(failed)?,
                false => d.digest.finish(),
            };
            write_lock(self.prev).insert(rel.to_string(), now);
            self.fresh
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(Fresh::Written(rel.to_string()));
            return Ok(());
        }
        let bytes = file.bytes;
        let now = digest(&bytes);
        let differs = (self.prev.read().unwrap_or_else(|e| e.into_inner()))
            .get(rel)
            .is_none_or(|old| *old != now);
        let entry = match (differs, self.stage) {
            (false, _) => Fresh::Same(rel.to_string()),
            (true, None) => Fresh::Changed(rel.to_string(), bytes, now),
            (true, Some(stage)) => {
                let at = stage.put(rel, &bytes).map_err(failed)?;
                Fresh::Staged(rel.to_string(), at, now)
            }
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

/// Marks a site folder made by `serve`, so that a stale one may be removed.
const SERVE_PREFIX: &str = "refbook-serve-";

pub(super) struct SiteDir {
    pub(super) path: PathBuf,
}

impl SiteDir {
    pub(super) fn create() -> std::io::Result<SiteDir> {
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

    #[test]
    fn a_file_written_is_no_longer_held_unless_held_anew_meanwhile() {
        let held = Held::default();
        let (old, new): (Arc<[u8]>, Arc<[u8]>) = (Arc::from(&b"old"[..]), Arc::from(&b"new"[..]));
        held.put("index.html", old.clone());
        held.put("index.html", new.clone());
        // The older bytes written: the newer are still to be.
        held.release("index.html", Some(&old));
        assert_eq!(held.get("index.html").as_deref(), Some(&b"new"[..]));
        held.release("index.html", Some(&new));
        assert!(held.get("index.html").is_none());
        // Written by a whole render, whatever was held.
        held.put("a.html", old);
        held.release("a.html", None);
        held.release("b.html", None);
        assert!(held.get("a.html").is_none());
    }

    /// A sink of the first build, writing into `dir`.
    fn first_build<'a>(
        dir: &'a Path,
        files: &'a RwLock<Files>,
        fresh: &'a Mutex<Vec<Fresh>>,
    ) -> MemSink<'a> {
        MemSink {
            prev: files,
            fresh,
            pending: None,
            direct: Some(dir),
            stage: None,
        }
    }

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
        let first = first_build(&dir, &files, &fresh);
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
                Fresh::Changed("c.html".into(), b"twO".to_vec(), digest(b"twO"))
            ]
        );
        assert_ne!(digest(b"ab"), digest(b"ba"));
        // A file begun and never closed (a build that failed midway) is the
        // site's too, with a digest no bytes have: removed with the rest.
        let begun = first.create("d/begun.json").unwrap();
        drop(begun);
        assert!(dir.join("d/begun.json").exists());
        assert!(files.read().unwrap()["d/begun.json"] != digest(b""));
        unwrite(&dir, &files);
        assert!(!dir.join("d/begun.json").exists());
        assert!(!dir.join("a/b.html").exists() && files.read().unwrap().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// However the bytes arrive, and however many blocks they make, the
    /// digest is the one of the bytes at once.
    #[test]
    fn a_digest_made_as_bytes_come_is_the_digest_of_them_all() {
        let bytes: Vec<u8> = (0..(3 * BLOCK + 777))
            .map(|i| (i * 31 % 251) as u8)
            .collect();
        let whole = digest(&bytes);
        for cut in [1, 7, 4096, BLOCK - 1, BLOCK, BLOCK + 1, 2 * BLOCK + 5] {
            let mut d = Digester::new();
            for chunk in bytes.chunks(cut) {
                d.update(chunk);
            }
            assert_eq!(d.finish(), whole, "chunks of {cut}");
        }
        assert_ne!(digest(&bytes[1..]), whole);
        assert_eq!(digest(b""), Digester::new().finish());
    }

    /// The first build writes a file as it is made; one whose bytes were
    /// overwritten (the catalog's UUID) is digested as it ends up.
    #[test]
    fn a_file_patched_in_the_first_build_has_the_digest_of_its_last_bytes() {
        use crate::render::Patch;
        let dir = std::env::temp_dir().join(format!("refbook-files-patch-{}", std::process::id()));
        let files = RwLock::new(Files::new());
        let fresh = Mutex::new(Vec::new());
        let sink = first_build(&dir, &files, &fresh);
        let mut f = sink.create("oscal/catalog.json").unwrap();
        let big = vec![b'x'; BLOCK * 2 + 10];
        f.write_all(b"{\"uuid\": \"0000\"}").unwrap();
        f.write_all(&big).unwrap();
        f.patch(10, b"abcd").unwrap();
        f.write_all(b"end").unwrap();
        sink.close("oscal/catalog.json", f).unwrap();
        let mut want = b"{\"uuid\": \"abcd\"}".to_vec();
        want.extend_from_slice(&big);
        want.extend_from_slice(b"end");
        assert_eq!(std::fs::read(dir.join("oscal/catalog.json")).unwrap(), want);
        assert_eq!(files.read().unwrap()["oscal/catalog.json"], digest(&want));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A render of the whole site puts what changed in a stage of the
    /// served folder, not in memory; moved in, each file is the site's with
    /// its digest, and the stage goes when dropped, with what is left.
    #[test]
    fn changed_files_wait_in_a_stage_and_move_in() {
        let dir = std::env::temp_dir().join(format!("refbook-files-stage-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let files = RwLock::new(Files::from([("same.html".to_string(), digest(b"same"))]));
        let fresh = Mutex::new(Vec::new());
        let stage = Stage::new(&dir).unwrap();
        let sink = MemSink {
            prev: &files,
            fresh: &fresh,
            pending: None,
            direct: None,
            stage: Some(&stage),
        };
        put(&sink, "same.html", b"same");
        put(&sink, "a/new.html", b"new");
        put(&sink, "left.html", b"left");
        let got = std::mem::take(&mut *fresh.lock().unwrap());
        assert_eq!(got[0], Fresh::Same("same.html".into()));
        let Fresh::Staged(rel, from, d) = &got[1] else {
            panic!("{got:?}");
        };
        assert_eq!((rel.as_str(), *d), ("a/new.html", digest(b"new")));
        assert!(from.starts_with(&dir) && from.exists());
        // Hidden in the served folder: never served.
        let name = from
            .strip_prefix(&dir)
            .unwrap()
            .components()
            .next()
            .unwrap();
        assert!(name.as_os_str().to_string_lossy().starts_with('.'));
        assert!(!dir.join("a/new.html").exists());
        move_in(&dir, rel, from).unwrap();
        assert_eq!(std::fs::read(dir.join("a/new.html")).unwrap(), b"new");
        let Fresh::Staged(_, left, _) = &got[2] else {
            panic!("{got:?}");
        };
        assert!(left.exists());
        drop(stage);
        assert!(!left.exists() && !left.parent().unwrap().exists());
        assert!(dir.join("a/new.html").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
