//! Atomic output: a site is written into a fresh folder beside the target
//! and swapped in whole, so a reader (or a crash) sees the old site or the
//! new one, never a mix. A folder refbook did not mark as its own is never
//! exchanged or removed, however its path is spelled.

use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Written into every built site, so that refbook only ever replaces
/// folders it made itself.
pub const MARKER: &str = ".refbook-site";

#[derive(Debug)]
pub enum OutputError {
    /// The target is a folder no build may write: the book, a folder above
    /// it, its sources, `/` or the home folder. The string says which.
    Protected(PathBuf, &'static str),
    /// The target is a folder with files refbook did not write.
    Foreign(PathBuf),
    Io(PathBuf, std::io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Protected(p, what) => {
                write!(f, "refusing to build into {}: it is {what}", p.display())
            }
            OutputError::Foreign(p) => write!(
                f,
                "refusing to build into {}: it is not a folder refbook made, and it holds files (empty it, or pick another with --dest-dir)",
                p.display()
            ),
            OutputError::Io(p, e) => write!(f, "cannot write {}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

/// What the system refused at a path: what was being done (read, create,
/// write), where, and why. The errors of commands that write a few files
/// of their own (`init`, `report --consensus-out`) hold one.
#[derive(Debug)]
pub struct IoAt {
    pub doing: &'static str,
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl IoAt {
    /// Makes the error for `doing` at `path` from the system's, for `map_err`.
    pub fn at<'p>(doing: &'static str, path: &'p Path) -> impl FnOnce(std::io::Error) -> IoAt + 'p {
        move |source| IoAt {
            doing,
            path: path.into(),
            source,
        }
    }
}

impl std::fmt::Display for IoAt {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot {} {}: {}",
            self.doing,
            self.path.display(),
            self.source
        )
    }
}

impl std::error::Error for IoAt {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// What stopped a command that writes a few files of its own (`init`, the
/// consensus files): its refusal `R`, which leaves the user's files as they
/// are, or what the system refused.
#[derive(Debug)]
pub enum WriteStop<R> {
    Refused(R),
    Io(IoAt),
}

impl<R: std::fmt::Display> std::fmt::Display for WriteStop<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteStop::Refused(r) => r.fmt(f),
            WriteStop::Io(e) => e.fmt(f),
        }
    }
}

impl<R> From<IoAt> for WriteStop<R> {
    fn from(e: IoAt) -> Self {
        WriteStop::Io(e)
    }
}

impl<R: std::fmt::Debug + std::fmt::Display> std::error::Error for WriteStop<R> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WriteStop::Refused(_) => None,
            WriteStop::Io(e) => Some(e),
        }
    }
}

/// An empty folder of a test's own under the system's temp folder.
#[cfg(test)]
pub(crate) fn test_dir(name: &str) -> PathBuf {
    let t = std::env::temp_dir().join(format!("refbook-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&t);
    std::fs::create_dir_all(&t).unwrap();
    t.canonicalize().unwrap()
}

/// The folder the system would reach by `p`: absolute, `.` dropped, every
/// existing ancestor resolved (symlinks followed) before the `..` after it
/// applies, as the system does. A `..` after a folder that does not exist yet
/// takes that folder back off (the system would fail there, and
/// `create_dir_all` would make it); nothing is created here.
pub fn resolve(p: &Path) -> Result<PathBuf, OutputError> {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map_err(|e| OutputError::Io(p.to_path_buf(), e))?
            .join(p)
    };
    let mut out = PathBuf::new();
    // How many components at the end of `out` do not exist.
    let mut missing = 0usize;
    for c in abs.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => out.push(c.as_os_str()),
            Component::CurDir => {}
            Component::ParentDir => {
                // `out` is resolved up to its missing tail, so its parent is
                // the real parent.
                out.pop();
                missing = missing.saturating_sub(1);
            }
            Component::Normal(name) => {
                out.push(name);
                if missing > 0 {
                    missing += 1;
                    continue;
                }
                match out.canonicalize() {
                    Ok(real) => out = real,
                    Err(_) if std::fs::symlink_metadata(&out).is_ok() => {
                        // A symbolic link to nothing: writing through it would
                        // create its target, wherever that is.
                        return Err(OutputError::Io(
                            out,
                            std::io::Error::other("a symbolic link to a missing path"),
                        ));
                    }
                    Err(_) => missing = 1,
                }
            }
        }
    }
    Ok(out)
}

fn home() -> Option<PathBuf> {
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .and_then(|h| PathBuf::from(h).canonicalize().ok())
}

/// Checks that `target` may be (re)written by a build of the book at `book`
/// whose sources are `sources` (its content and themes folders), and returns
/// the resolved path that every later step must use.
pub fn check_target(book: &Path, sources: &[&Path], target: &Path) -> Result<PathBuf, OutputError> {
    let t = resolve(target)?;
    let b = resolve(book)?;
    let protected = |what| Err(OutputError::Protected(t.clone(), what));
    if t.parent().is_none() {
        return protected("the root folder");
    }
    if b.starts_with(&t) {
        return protected("the book itself or a folder holding it");
    }
    if home().is_some_and(|h| h.starts_with(&t)) {
        return protected("the home folder or a folder holding it");
    }
    for s in sources {
        let s = resolve(s)?;
        if t.starts_with(&s) || s.starts_with(&t) {
            return protected("one of the book's source folders (content or themes)");
        }
    }
    match std::fs::symlink_metadata(&t) {
        Ok(m) if !m.is_dir() => return Err(OutputError::Foreign(t)),
        Ok(_) if !is_ours(&t) && !is_empty_dir(&t) => return Err(OutputError::Foreign(t)),
        _ => {}
    }
    Ok(t)
}

/// A folder refbook made: it holds the marker, as a plain file.
pub(crate) fn is_ours(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(MARKER)).is_ok_and(|m| m.is_file())
}

fn is_empty_dir(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// A staging folder beside the target, removed unless committed.
pub struct Staging {
    pub dir: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Staging {
    /// `target` must have passed [`check_target`] (and be the path it gave
    /// back): its parent is only created now.
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
        let staging = Staging {
            dir,
            target: target.to_path_buf(),
            done: false,
        };
        // From here on, Drop removes the folder if anything fails.
        std::fs::write(
            staging.dir.join(MARKER),
            "built by refbook; this folder is replaced at every build\n",
        )
        .map_err(|e| OutputError::Io(staging.dir.clone(), e))?;
        Ok(staging)
    }

    /// Puts the staged site in place of the target in one step. Only a
    /// folder with the marker is exchanged; an empty one is replaced; anything
    /// else is refused, even if it appeared after [`check_target`].
    pub fn commit(mut self) -> Result<(), OutputError> {
        let io = |p: &Path, e| OutputError::Io(p.to_path_buf(), e);
        match std::fs::symlink_metadata(&self.target) {
            Err(_) => std::fs::rename(&self.dir, &self.target).map_err(|e| io(&self.target, e))?,
            Ok(m) if m.is_dir() && is_ours(&self.target) => {
                exchange(&self.dir, &self.target).map_err(|e| io(&self.target, e))?;
                // The staging path now holds the previous site; if the
                // marker vanished meanwhile, it is not ours to delete.
                if is_ours(&self.dir) {
                    remove_tree(&self.dir);
                } else {
                    let _ = exchange(&self.dir, &self.target);
                    return Err(OutputError::Foreign(self.target.clone()));
                }
            }
            // remove_dir only ever removes an empty folder.
            Ok(m) if m.is_dir() && std::fs::remove_dir(&self.target).is_ok() => {
                std::fs::rename(&self.dir, &self.target).map_err(|e| io(&self.target, e))?
            }
            Ok(_) => return Err(OutputError::Foreign(self.target.clone())),
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
    // `<staging name>.old`, which remove_stale recognises (with_extension
    // would replace the pid and stamp that it goes by).
    let mut old = OsString::from(staged.as_os_str());
    old.push(".old");
    let old = PathBuf::from(old);
    std::fs::rename(target, &old)?;
    if let Err(e) = std::fs::rename(staged, target) {
        let _ = std::fs::rename(&old, target);
        return Err(e);
    }
    std::fs::rename(&old, staged)
}

/// Removes a site's folder, on every core: after the swap this is what a
/// rebuild spends most on besides writing. The work is shared out by what
/// the folder holds two levels down (each area's folder, say), not by file:
/// a list of every file (44,000 paths at S=100) was 8 MiB at the end of the
/// build, its peak. The marker goes last, so a run killed meanwhile leaves
/// a folder that still says it is refbook's (or, after the marker, an
/// empty one), which the next build removes.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let marker = dir.join(MARKER);
    let within = |d: &Path| -> Vec<(PathBuf, bool)> {
        let Ok(entries) = std::fs::read_dir(d) else {
            return Vec::new();
        };
        // A link is removed, never followed: file_type does not follow it.
        (entries.flatten())
            .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
            .collect()
    };
    let (mut units, mut folders) = (Vec::new(), Vec::new());
    for (path, is_dir) in within(dir) {
        if path == marker {
            continue;
        }
        if is_dir {
            units.extend(within(&path));
            folders.push(path);
        } else {
            units.push((path, false));
        }
    }
    units.par_iter().for_each(|(path, is_dir)| {
        let _ = if *is_dir {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    });
    for d in folders {
        let _ = std::fs::remove_dir(d);
    }
    // Whatever resisted (a file added meanwhile) goes the slow way.
    if is_ours(dir) {
        let _ = std::fs::remove_dir_all(dir);
    }
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
            // Only what carries the marker, or is empty (killed before the
            // marker was written or after it was removed), is refbook's.
            let path = e.path();
            if is_ours(&path) {
                remove_tree(&path);
            } else {
                let _ = std::fs::remove_dir(&path);
            }
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

    /// A site's folder goes whole, files at every depth, and a link in it
    /// is removed, never followed: what it leads to is the user's.
    #[test]
    fn an_old_site_is_removed_whole_without_following_its_links() {
        let t = test_dir("remove-tree");
        let (site, theirs) = (t.join("site"), t.join("theirs"));
        std::fs::create_dir_all(site.join("areas/ef/ef-1/deeper")).unwrap();
        std::fs::create_dir_all(theirs.join("inner")).unwrap();
        std::fs::write(theirs.join("inner/keep.txt"), "mine").unwrap();
        std::fs::write(site.join(MARKER), "").unwrap();
        for (i, rel) in [
            "index.html",
            "areas/a.js",
            "areas/ef/index.html",
            "areas/ef/ef-1/deeper/x",
        ]
        .iter()
        .enumerate()
        {
            std::fs::write(site.join(rel), format!("{i}")).unwrap();
        }
        for at in ["link", "areas/link", "areas/ef/link"] {
            std::os::unix::fs::symlink(&theirs, site.join(at)).unwrap();
        }
        remove_tree(&site);
        assert!(!site.exists(), "the site's folder is left");
        assert_eq!(
            std::fs::read_to_string(theirs.join("inner/keep.txt")).unwrap(),
            "mine"
        );
        let _ = std::fs::remove_dir_all(&t);
    }

    #[test]
    fn resolve_follows_the_system_through_missing_folders_and_links() {
        let t = test_dir("resolve");
        std::fs::create_dir_all(t.join("real/inner")).unwrap();
        std::os::unix::fs::symlink(t.join("real/inner"), t.join("link")).unwrap();
        let r = |p: &str| resolve(&t.join(p)).unwrap();
        assert_eq!(r("nothere/../real"), t.join("real"));
        assert_eq!(r("a/b/../../real/./inner/"), t.join("real/inner"));
        // `..` after a link goes to the parent of where it leads.
        assert_eq!(r("link/../x"), t.join("real/x"));
        assert_eq!(r("link/new/site"), t.join("real/inner/new/site"));
        assert_eq!(r("."), t.clone());
        std::os::unix::fs::symlink(t.join("gone"), t.join("dangling")).unwrap();
        assert!(matches!(
            resolve(&t.join("dangling/site")),
            Err(OutputError::Io(..))
        ));
        let _ = std::fs::remove_dir_all(&t);
    }

    #[test]
    fn refuses_the_book_its_parents_sources_and_foreign_folders() {
        let tmp = test_dir("out");
        let book = tmp.join("book-src");
        let content = book.join("content");
        let themes = book.join("themes");
        std::fs::create_dir_all(&content).unwrap();
        let src = [content.as_path(), themes.as_path()];
        let protected = |t: &Path| {
            matches!(
                check_target(&book, &src, t),
                Err(OutputError::Protected(..))
            )
        };
        assert!(protected(&book));
        assert!(protected(&tmp));
        assert!(protected(Path::new("/")));
        assert!(protected(&content.join("x")));
        assert!(protected(&themes.join("x")));
        assert!(protected(&book.join("out/../../book-src")));
        assert!(protected(&book.join("nothere/../content/")));
        let foreign = tmp.join("foreign");
        std::fs::create_dir_all(&foreign).unwrap();
        std::fs::write(foreign.join("precious.txt"), "x").unwrap();
        for spelling in [
            "foreign",
            "foreign/",
            "./foreign",
            "nothere/../foreign",
            "book-src/../foreign",
        ] {
            assert!(
                matches!(
                    check_target(&book, &src, &tmp.join(spelling)),
                    Err(OutputError::Foreign(_))
                ),
                "{spelling}"
            );
        }
        assert!(check_target(&book, &src, &book.join("book")).is_ok());
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn commit_swaps_whole_sites() {
        let tmp = test_dir("swap");
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

    #[test]
    fn commit_never_exchanges_a_folder_that_is_not_ours() {
        let tmp = test_dir("notours");
        let target = tmp.join("site");
        // Passed the check while empty, then filled before the swap.
        let s = Staging::new(&target).unwrap();
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("precious.txt"), "mine").unwrap();
        assert!(matches!(s.commit(), Err(OutputError::Foreign(_))));
        assert_eq!(
            std::fs::read_to_string(target.join("precious.txt")).unwrap(),
            "mine"
        );
        // The refused staging folder is gone too.
        assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 1);
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[test]
    fn stale_folders_are_removed_only_when_marked_or_empty() {
        let tmp = test_dir("stale");
        let prefix = ".site.refbook-";
        // Above any pid_max Linux allows (2^22): a run that is gone.
        let dead = format!("{prefix}{}-1", i32::MAX as u32 - 1);
        let marked = tmp.join(&dead);
        std::fs::create_dir_all(marked.join("sub")).unwrap();
        std::fs::write(marked.join(MARKER), "").unwrap();
        std::fs::write(marked.join("sub/page.html"), "").unwrap();
        let empty = tmp.join(format!("{dead}.old"));
        std::fs::create_dir(&empty).unwrap();
        let users = tmp.join(format!("{prefix}{}-2", i32::MAX as u32 - 1));
        std::fs::create_dir(&users).unwrap();
        std::fs::write(users.join("notes.txt"), "mine").unwrap();
        remove_stale(&tmp, prefix);
        assert!(!marked.exists() && !empty.exists());
        assert_eq!(
            std::fs::read_to_string(users.join("notes.txt")).unwrap(),
            "mine"
        );
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
