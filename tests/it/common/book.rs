//! `BookTest`: a book with these files, built (or checked), then assertions
//! on its pages and diagnostics. The starter book of `refbook init` is the
//! usual base; a test lays its own files over it.

use super::{refbook, starter, tmp};
use std::path::{Path, PathBuf};
use std::process::Output;

pub struct BookTest {
    /// The book's folder (holding book.toml).
    pub root: PathBuf,
    /// Where `build` writes the site.
    pub site: PathBuf,
}

impl BookTest {
    /// The starter book, in a fresh folder named after the test.
    pub fn starter(name: &str) -> BookTest {
        let dir = tmp(name);
        let root = starter(&dir);
        BookTest {
            site: dir.join("site"),
            root,
        }
    }

    /// A copy of a book of the repository (`.`, `examples/rmm-opf`, a fixture).
    pub fn copy_of(name: &str, book: &str) -> BookTest {
        let dir = tmp(name);
        let root = dir.join("book");
        let from = Path::new(super::ROOT).join(book);
        for sub in ["book.toml", "content", "themes"] {
            let p = from.join(sub);
            if p.is_file() {
                std::fs::create_dir_all(&root).unwrap();
                std::fs::copy(&p, root.join(sub)).unwrap();
            } else if p.is_dir() {
                super::copy_dir(&p, &root.join(sub));
            }
        }
        BookTest {
            site: dir.join("site"),
            root,
        }
    }

    /// Writes `text` at `rel` in the book (folders made as needed).
    pub fn file(self, rel: &str, text: &str) -> BookTest {
        let p = self.root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Replaces `from` by `to` in the book's file `rel`; the text must be there.
    pub fn edit(self, rel: &str, from: &str, to: &str) -> BookTest {
        let p = self.root.join(rel);
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.contains(from), "{rel} has no `{from}`");
        std::fs::write(p, text.replacen(from, to, 1)).unwrap();
        self
    }

    pub fn remove(self, rel: &str) -> BookTest {
        let p = self.root.join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
        self
    }

    fn run(&self, cmd: &str) -> Output {
        let root = self.root.to_str().unwrap();
        match cmd {
            "build" => refbook(&["build", root, "-d", self.site.to_str().unwrap()]),
            _ => refbook(&[cmd, root]),
        }
    }

    /// Builds the book; it must succeed. The site, to look at.
    pub fn build(&self) -> Built {
        let out = self.run("build");
        assert!(
            out.status.success(),
            "build failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Built {
            site: self.site.clone(),
        }
    }

    /// Builds the book, which must fail with exit code 1 and no panic,
    /// leaving no site; returns the diagnostics as printed.
    pub fn build_fails(&self) -> String {
        let had_site = self.site.exists();
        let out = self.run("build");
        let e = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{e}");
        assert!(!e.contains("panicked"), "{e}");
        assert_eq!(
            self.site.exists(),
            had_site,
            "a failed build changed the site: {e}"
        );
        e
    }

    /// `refbook check`: its exit code and diagnostics as printed.
    pub fn check(&self) -> (Option<i32>, String) {
        let out = self.run("check");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }
}

/// A built site.
pub struct Built {
    pub site: PathBuf,
}

impl Built {
    /// The text of the file at `rel` in the site; it must exist.
    pub fn page(&self, rel: &str) -> String {
        std::fs::read_to_string(self.site.join(rel))
            .unwrap_or_else(|e| panic!("no page {rel} in the site: {e}"))
    }

    /// Asserts that the page at `rel` holds each of `needles`.
    pub fn has(&self, rel: &str, needles: &[&str]) -> &Built {
        let page = self.page(rel);
        for n in needles {
            assert!(page.contains(n), "{rel} has no `{n}`:\n{page}");
        }
        self
    }

    /// Asserts that the page at `rel` holds none of `needles`.
    pub fn lacks(&self, rel: &str, needles: &[&str]) -> &Built {
        let page = self.page(rel);
        for n in needles {
            assert!(!page.contains(n), "{rel} has `{n}`");
        }
        self
    }
}

/// Compares `actual` with the snapshot `tests/snapshots/<name>`; with
/// `UPDATE_SNAPSHOTS=1` in the environment it writes it instead. Returns the
/// difference as a message, so that a test can report every snapshot at once.
pub fn snapshot(name: &str, actual: &str) -> Result<(), String> {
    let path = Path::new(super::ROOT).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return Ok(());
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if want == actual {
        return Ok(());
    }
    let line = want
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(want.lines().count().min(actual.lines().count()));
    Err(format!(
        "{} differs from line {} on (UPDATE_SNAPSHOTS=1 to accept):\n{actual}",
        path.display(),
        line + 1
    ))
}
