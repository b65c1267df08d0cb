//! `refbook init`: a small working book to start from.

use crate::output::{IoAt, WriteStop};
use std::path::{Path, PathBuf};

const FILES: &[(&str, &str)] = &[
    ("book.toml", include_str!("init/book.toml")),
    (
        "content/model.yaml",
        include_str!("init/content/model.yaml"),
    ),
    (
        "content/areas/EF.md",
        include_str!("init/content/areas/EF.md"),
    ),
    (
        "content/generic/GG1.md",
        include_str!("init/content/generic/GG1.md"),
    ),
    (
        "content/generic/GG2.md",
        include_str!("init/content/generic/GG2.md"),
    ),
    (
        "content/categories/enterprise.md",
        include_str!("init/content/categories/enterprise.md"),
    ),
    (
        "content/glossary.yaml",
        include_str!("init/content/glossary.yaml"),
    ),
    (
        "content/pages/about.md",
        include_str!("init/content/pages/about.md"),
    ),
];

/// Why the starter book was not written: a refusal, or what the system
/// refused.
pub type InitError = WriteStop<InitRefusal>;

/// The starter book would overwrite a file of the user's.
#[derive(Debug)]
pub enum InitRefusal {
    /// The folder already holds a book (its book.toml).
    HasBook(PathBuf),
    /// A file the starter book would write exists.
    Exists(PathBuf),
}

impl std::fmt::Display for InitRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            InitRefusal::HasBook(dir) => write!(
                f,
                "{} already holds a book (book.toml exists)",
                dir.display()
            ),
            InitRefusal::Exists(p) => write!(f, "{} exists; refusing to overwrite it", p.display()),
        }
    }
}

/// Writes the starter book into `dir`; refuses to overwrite any file.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    if dir.join("book.toml").exists() {
        return Err(WriteStop::Refused(InitRefusal::HasBook(dir.into())));
    }
    if let Some((rel, _)) = FILES.iter().find(|(rel, _)| dir.join(rel).exists()) {
        return Err(WriteStop::Refused(InitRefusal::Exists(dir.join(rel))));
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(IoAt::at("create", parent))?;
        }
        std::fs::write(&p, text).map_err(IoAt::at("write", &p))?;
        written.push(p);
    }
    // The built site is output, not source. An existing .gitignore is the
    // user's: it is left alone, and the caller says what to add.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, GITIGNORE).map_err(IoAt::at("write", &ignore))?;
        written.push(ignore);
    }
    Ok(written)
}

/// What `init` puts in a new book's .gitignore: the build folder of its book.toml.
pub const GITIGNORE: &str = "# the site refbook builds (build-dir in book.toml)\n/book/\n";

#[cfg(test)]
mod tests {
    use super::*;

    /// The starter book is written once; a folder with a book, or with any
    /// file the starter book would write, is refused and left as it was.
    #[test]
    fn the_starter_book_never_overwrites_a_file() {
        let dir = crate::output::test_dir("init");
        let written = write(&dir).unwrap();
        assert_eq!(written.len(), FILES.len() + 1);
        let again = write(&dir).unwrap_err();
        assert!(
            matches!(&again, WriteStop::Refused(InitRefusal::HasBook(p)) if *p == dir),
            "{again:?}"
        );
        assert!(
            again
                .to_string()
                .ends_with("already holds a book (book.toml exists)")
        );
        std::fs::remove_file(dir.join("book.toml")).unwrap();
        std::fs::write(dir.join("content/glossary.yaml"), "mine").unwrap();
        let exists = write(&dir).unwrap_err();
        assert!(
            matches!(&exists, WriteStop::Refused(InitRefusal::Exists(p)) if *p == dir.join("content/model.yaml")),
            "{exists:?}"
        );
        assert!(
            exists
                .to_string()
                .ends_with("exists; refusing to overwrite it")
        );
        assert!(!dir.join("book.toml").exists());
        assert_eq!(
            std::fs::read_to_string(dir.join("content/glossary.yaml")).unwrap(),
            "mine"
        );
        // A folder where one must be made is what the system refuses.
        let blocked = dir.join("blocked");
        std::fs::write(&blocked, "").unwrap();
        let io = write(&blocked).unwrap_err();
        assert!(
            matches!(&io, WriteStop::Io(e) if e.doing == "create"),
            "{io:?}"
        );
        assert!(std::error::Error::source(&io).is_some());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
