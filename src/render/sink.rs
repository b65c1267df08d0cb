//! Where a site's files go: a folder on disk, or nowhere (check).

use super::*;

/// Renders every page and writes it under `out`, linking the files that
/// come out the same from `previous` (the site this one replaces). Returns
/// the page count.
pub fn write_site(
    site: &Site,
    theme: &mut Theme,
    out: &Path,
    previous: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
    opts: &BuildOptions,
) -> Result<usize, WriteError> {
    let sink = DirSink { dir: out, previous };
    render_site(site, theme, diags, opts, &sink)
}

/// A file of the site that could not be written. A failure of the machine
/// (disk full, read-only), not of the content: it comes back apart from the
/// diagnostics, and ends the build.
#[derive(Debug)]
pub struct WriteError {
    /// The file, as its sink names it (on disk: under the site's folder).
    pub path: std::path::PathBuf,
    pub source: std::io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot write {}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {}

/// Where the parts of the whole-model pages are kept while the areas render.
#[derive(Clone, Copy)]
pub enum Scratch<'a> {
    /// Files in this folder (removed before the end): a large model's parts
    /// need not fit in memory.
    Dir(&'a Path),
    Memory,
    /// Nowhere: the pages are thrown away, so their parts need not be kept.
    Discard,
}

/// A file being written whose earlier bytes can be overwritten: the OSCAL
/// catalog is written as it is made, and its UUID, which hashes all of it,
/// goes back near its start.
pub trait Patch {
    /// Overwrites the bytes at `at` (already written) with `bytes`.
    fn patch(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()>;
}

impl Patch for Vec<u8> {
    fn patch(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        let place = usize::try_from(at)
            .ok()
            .and_then(|at| self.get_mut(at..at.checked_add(bytes.len())?));
        match place {
            Some(place) => {
                place.copy_from_slice(bytes);
                Ok(())
            }
            None => Err(std::io::Error::other("patch beyond the end of the file")),
        }
    }
}

impl Patch for std::fs::File {
    fn patch(&mut self, at: u64, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::SeekFrom;
        let end = self.seek(SeekFrom::End(0))?;
        if at
            .checked_add(bytes.len() as u64)
            .is_none_or(|stop| stop > end)
        {
            return Err(std::io::Error::other("patch beyond the end of the file"));
        }
        self.seek(SeekFrom::Start(at))?;
        self.write_all(bytes)?;
        self.seek(SeekFrom::End(0)).map(|_| ())
    }
}

impl Patch for std::io::Sink {
    fn patch(&mut self, _at: u64, _bytes: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// Where the files of a site go. Called from several threads at once.
pub trait Sink: Sync {
    type File: Write + Patch;
    /// Opens the file at `rel`, a path relative to the site root.
    fn create(&self, rel: &str) -> Result<Self::File, WriteError>;
    /// The file is complete.
    fn close(&self, rel: &str, file: Self::File) -> Result<(), WriteError>;
    /// A failed write to `rel`, named as this sink names its files.
    fn write_error(&self, rel: &str, source: std::io::Error) -> WriteError {
        WriteError {
            path: rel.into(),
            source,
        }
    }
    /// Where the parts of the whole-model pages wait for their frame.
    fn scratch(&self) -> Scratch<'_> {
        Scratch::Memory
    }
    /// The files are no longer wanted (`serve` has a newer edit to show):
    /// the rendering tasks not yet begun are skipped.
    fn stopped(&self) -> bool {
        false
    }
    /// A whole file at once.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        let mut file = self.create(rel)?;
        file.write_all(bytes)
            .map_err(|e| self.write_error(rel, e))?;
        self.close(rel, file)
    }
}

/// Files under a directory on disk.
pub struct DirSink<'a> {
    pub dir: &'a Path,
    /// The site this one replaces: a file that comes out the same is linked
    /// from it rather than written again. Creating a file costs the file
    /// system far more than reading one, and the old site's files then
    /// outlive its removal instead of being freed.
    pub previous: Option<&'a Path>,
}

impl DirSink<'_> {
    /// Links `rel` from the previous site if that file has these bytes.
    #[cfg(unix)]
    pub(super) fn link_same(&self, rel: &str, bytes: &[u8]) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Some(prev) = self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let Ok(mut f) = std::fs::File::open(&old) else {
            return false;
        };
        let Ok(meta) = f.metadata() else { return false };
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return false;
        }
        let mut have = Vec::with_capacity(bytes.len());
        if f.read_to_end(&mut have).is_err() || have != bytes {
            return false;
        }
        let new = self.dir.join(rel);
        if let Some(parent) = new.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            return false;
        }
        if std::fs::hard_link(&old, &new).is_err() {
            return false;
        }
        // Another build may have replaced the previous site meanwhile: keep
        // the link only if it is the file that was read.
        match std::fs::symlink_metadata(&new) {
            Ok(m) if m.ino() == meta.ino() && m.dev() == meta.dev() => true,
            _ => {
                let _ = std::fs::remove_file(&new);
                false
            }
        }
    }

    #[cfg(not(unix))]
    pub(super) fn link_same(&self, _rel: &str, _bytes: &[u8]) -> bool {
        false
    }
}

impl Sink for DirSink<'_> {
    type File = std::fs::File;
    fn create(&self, rel: &str) -> Result<std::fs::File, WriteError> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.write_error(rel, e))?;
        }
        std::fs::File::create(&path).map_err(|e| self.write_error(rel, e))
    }
    fn close(&self, _rel: &str, _file: std::fs::File) -> Result<(), WriteError> {
        Ok(())
    }
    fn write_error(&self, rel: &str, source: std::io::Error) -> WriteError {
        WriteError {
            path: self.dir.join(rel),
            source,
        }
    }
    fn scratch(&self) -> Scratch<'_> {
        Scratch::Dir(self.dir)
    }
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), WriteError> {
        if self.link_same(rel, bytes) {
            return Ok(());
        }
        let mut file = self.create(rel)?;
        file.write_all(bytes).map_err(|e| self.write_error(rel, e))
    }
}

/// A site rendered and thrown away: what `check` writes to, so that it
/// meets every error a build would without touching the disk.
pub struct NullSink;

impl Sink for NullSink {
    type File = std::io::Sink;
    fn create(&self, _rel: &str) -> Result<std::io::Sink, WriteError> {
        Ok(std::io::sink())
    }
    fn close(&self, _rel: &str, _file: std::io::Sink) -> Result<(), WriteError> {
        Ok(())
    }
    fn scratch(&self) -> Scratch<'_> {
        Scratch::Discard
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_patch_overwrites_written_bytes_in_place_and_never_beyond_the_end() {
        let mut v = b"id=0000;rest".to_vec();
        v.patch(3, b"abcd").unwrap();
        assert_eq!(v, b"id=abcd;rest");
        assert!(v.patch(10, b"xyz").is_err());
        assert_eq!(v, b"id=abcd;rest");
        let path = std::env::temp_dir().join(format!("refbook-patch-{}", std::process::id()));
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(b"id=0000;rest").unwrap();
        f.patch(3, b"abcd").unwrap();
        // Writing goes on at the end, as before the patch.
        f.write_all(b"!").unwrap();
        assert!(f.patch(11, b"xyz").is_err());
        drop(f);
        assert_eq!(std::fs::read(&path).unwrap(), b"id=abcd;rest!");
        std::fs::remove_file(&path).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_site_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let root = crate::output::test_dir("link");
        let (prev, next) = (root.join("prev"), root.join("next"));
        std::fs::create_dir_all(prev.join("a")).unwrap();
        std::fs::write(prev.join("a/same.html"), "same").unwrap();
        std::fs::write(prev.join("a/changed.html"), "old").unwrap();
        std::fs::create_dir_all(&next).unwrap();
        let sink = DirSink {
            dir: &next,
            previous: Some(&prev),
        };
        for (rel, text) in [
            ("a/same.html", "same"),
            ("a/changed.html", "new"),
            ("b/fresh.html", "x"),
        ] {
            sink.put(rel, text.as_bytes()).unwrap();
            assert_eq!(std::fs::read_to_string(next.join(rel)).unwrap(), text);
        }
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(
            ino(&prev.join("a/same.html")),
            ino(&next.join("a/same.html"))
        );
        assert_ne!(
            ino(&prev.join("a/changed.html")),
            ino(&next.join("a/changed.html"))
        );
        // The previous site is left as it was.
        assert_eq!(
            std::fs::read_to_string(prev.join("a/changed.html")).unwrap(),
            "old"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }
}
