//! Atomic output: a site is written into a fresh folder beside the target
//! and swapped in whole, so a reader (or a crash) sees the old site or the
//! new one, never a mix.

use std::path::{Path, PathBuf};

/// Written into every built site, so that refbook only ever replaces
/// folders it made itself.
pub const MARKER: &str = ".refbook-site";

#[derive(Debug)]
pub enum OutputError {
    /// The target is the book itself or holds it.
    ContainsBook(PathBuf),
    /// The target is a folder with files refbook did not write.
    Foreign(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::ContainsBook(p) => write!(
                f,
                "refusing to build into {}: it is the book itself or a folder holding it",
                p.display()
            ),
            OutputError::Foreign(p) => write!(
                f,
                "refusing to build into {}: it is a folder with files refbook did not write (empty it, or pick another with --dest-dir)",
                p.display()
            ),
            OutputError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

fn absolute(p: &Path) -> PathBuf {
    let p = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Resolve what exists, so that `..` and symlinks cannot disguise the book.
    let mut existing = p.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for r in rest.into_iter().rev() {
        if r == ".." {
            out.pop();
        } else if r != "." {
            out.push(r);
        }
    }
    out
}

/// Checks that `target` may be (re)written by a build of the book at `book`.
pub fn check_target(book: &Path, content: &Path, target: &Path) -> Result<PathBuf, OutputError> {
    let t = absolute(target);
    let b = absolute(book);
    if b.starts_with(&t) || t.starts_with(absolute(content)) {
        return Err(OutputError::ContainsBook(t));
    }
    if t.is_dir() && !t.join(MARKER).exists() {
        let empty = std::fs::read_dir(&t)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(OutputError::Foreign(t));
        }
    }
    if t.exists() && !t.is_dir() {
        return Err(OutputError::Foreign(t));
    }
    Ok(t)
}

/// A staging folder beside the target, removed unless committed.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staging {
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        let parent = target.parent().unwrap_or(Path::new(".")).to_path_buf();
        std::fs::create_dir_all(&parent).map_err(|e| OutputError::Io(parent.clone(), e))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "book".into());
        let prefix = format!(".{name}.refbook-");
        remove_stale(&parent, &prefix);
        let dir = parent.join(unique_name(&prefix));
        std::fs::create_dir(&dir).map_err(|e| OutputError::Io(dir.clone(), e))?;
        std::fs::write(
            dir.join(MARKER),
            "built by refbook; this folder is replaced at every build\n",
        )
        .map_err(|e| OutputError::Io(dir.clone(), e))?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            done: false,
        })
    }

    /// Puts the staged site in place of the target in one step.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        if self.target.exists() {
            exchange(&self.dir, &self.target).map_err(|e| io(&self.target, e))?;
            // The staging path now holds the previous site.
            remove_tree(&self.dir);
        } else {
            std::fs::rename(&self.dir, &self.target).map_err(|e| io(&self.target, e))?;
        }
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let ca = CString::new(a.as_os_str().as_bytes())?;
    let cb = CString::new(b.as_os_str().as_bytes())?;
    // SAFETY: both are valid NUL-terminated paths; renameat2 only reads them.
    let r = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            ca.as_ptr(),
            libc::AT_FDCWD,
            cb.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if r == 0 {
        return Ok(());
    }
    let err = std::io::Error::last_os_error();
    // Some file systems cannot exchange; fall back to two renames.
    match err.raw_os_error() {
        Some(libc::EINVAL) | Some(libc::ENOSYS) => swap_by_rename(a, b),
        _ => Err(err),
    }
}

#[cfg(not(target_os = "linux"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    swap_by_rename(a, b)
}

fn swap_by_rename(staged: &Path, target: &Path) -> std::io::Result<()> {
    let old = staged.with_extension("old");
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    std::fs::rename(&old, staged)
}

/// Removes a site's folder, its files on every core: after the swap this
/// is what a rebuild spends most on besides writing.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for e in walkdir::WalkDir::new(dir)
        .contents_first(true)
        .into_iter()
        .flatten()
    {
        if e.file_type().is_dir() {
            dirs.push(e.into_path());
        } else {
            files.push(e.into_path());
        }
    }
    files.par_iter().for_each(|f| {
        let _ = std::fs::remove_file(f);
    });
    // Contents first: every folder comes after what it holds.
    for d in dirs {
        let _ = std::fs::remove_dir(d);
    }
    // Whatever resisted (a file added meanwhile) goes the slow way.
    let _ = std::fs::remove_dir_all(dir);
}

/// `<prefix><pid>-<nanoseconds>`: a folder name no other run picks, whose
/// process [`remove_stale`] can tell is gone.
pub fn unique_name(prefix: &str) -> String {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    format!("{prefix}{}-{stamp}", std::process::id())
}

/// Removes the folders under `dir` named by [`unique_name`] with `prefix`
/// (or that name plus `.old`) whose process is gone: runs that were killed.
/// The name alone identifies them; a killed run may have left one with its
/// marker already deleted (killed while removing the previous site).
pub fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(prefix) else {
            continue;
        };
        let rest = rest.strip_suffix(".old").unwrap_or(rest);
        let Some((pid, stamp)) = rest.split_once('-') else {
            continue;
        };
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(pid) || !digits(stamp) || !e.path().is_dir() {
            continue;
        }
        if pid.parse::<u32>().is_ok_and(|p| !process_alive(p)) {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    if pid == 0 || pid > i32::MAX as u32 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid as i32, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_the_book_its_parents_and_foreign_folders() {
        let tmp = std::env::temp_dir().join(format!("refbook-out-{}", std::process::id()));
        let book = tmp.join("book-src");
        std::fs::create_dir_all(book.join("content")).unwrap();
        assert!(matches!(
            check_target(&book, &book.join("content"), &book),
            Err(OutputError::ContainsBook(_))
        ));
        assert!(matches!(
            check_target(&book, &book.join("content"), &tmp),
            Err(OutputError::ContainsBook(_))
        ));
        assert!(matches!(
            check_target(&book, &book.join("content"), &book.join("content/x")),
            Err(OutputError::ContainsBook(_))
        ));
        let foreign = tmp.join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("precious.txt"), "x").unwrap();
        assert!(matches!(
            check_target(&book, &book.join("content"), &foreign),
            Err(OutputError::Foreign(_))
        ));
        assert!(check_target(&book, &book.join("content"), &book.join("book")).is_ok());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn commit_swaps_whole_sites() {
        let tmp = std::env::temp_dir().join(format!("refbook-swap-{}", std::process::id()));
        let target = tmp.join("site");
        for round in 0..2 {
            let s = Staging::new(&target).unwrap();
            std::fs::write(s.dir.join("index.html"), format!("round {round}")).unwrap();
            s.commit().unwrap();
            assert_eq!(
                std::fs::read_to_string(target.join("index.html")).unwrap(),
                format!("round {round}")
            );
        }
        // Only the site is left: no staging folders.
        let names: Vec<_> = std::fs::read_dir(&tmp)
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
