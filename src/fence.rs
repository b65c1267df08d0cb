//! What belongs to a book: the files under its folder. A symbolic link inside
//! the book that leads outside it is not followed unless book.toml says
//! `allow-outside-links = true`, so that a build never publishes, say,
//! `/etc/passwd` because a link named it.

use crate::diag::{Diagnostic, Loc};
use std::path::{Path, PathBuf};

/// `path` as it is named inside `root` (with `/` between folders), or as
/// given when it is not inside it.
pub fn rel_path(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

pub struct Fence {
    /// The book's folder, resolved; `None` lets everything through.
    root: Option<PathBuf>,
}

impl Fence {
    pub fn new(root: &Path, allow_outside: bool) -> Fence {
        let root = (!allow_outside).then(|| root.canonicalize().unwrap_or_else(|_| root.into()));
        Fence { root }
    }

    /// An error at `rel` when `path` leads outside the book (a path that
    /// cannot be resolved is left to whoever reads it, to report).
    pub fn check(&self, path: &Path, rel: &str) -> Result<(), Diagnostic> {
        let Some(root) = &self.root else {
            return Ok(());
        };
        match path.canonicalize() {
            Ok(real) if !real.starts_with(root) => Err(Diagnostic::error(
                Loc {
                    file: rel.into(),
                    line: 0,
                    col: 0,
                },
                format!("links outside the book to {}", real.display()),
            )
            .help(
                "copy the file into the book, or set `allow-outside-links = true` under [build] in book.toml to publish it",
            )),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_out_are_refused_unless_allowed_and_links_within_pass() {
        let t = crate::output::test_dir("fence");
        std::fs::create_dir_all(t.join("book/content")).unwrap();
        std::fs::write(t.join("secret"), "x").unwrap();
        std::fs::write(t.join("book/content/a.md"), "x").unwrap();
        std::os::unix::fs::symlink(t.join("secret"), t.join("book/content/out.md")).unwrap();
        std::os::unix::fs::symlink(t.join("book/content/a.md"), t.join("book/content/in.md"))
            .unwrap();
        let fence = Fence::new(&t.join("book"), false);
        let e = fence
            .check(&t.join("book/content/out.md"), "content/out.md")
            .unwrap_err();
        assert!(
            e.message.starts_with("links outside the book to "),
            "{}",
            e.message
        );
        assert!(fence.check(&t.join("book/content/in.md"), "in").is_ok());
        assert!(fence.check(&t.join("book/content/a.md"), "a").is_ok());
        let open = Fence::new(&t.join("book"), true);
        assert!(open.check(&t.join("book/content/out.md"), "out").is_ok());
        let _ = std::fs::remove_dir_all(&t);
    }
}
