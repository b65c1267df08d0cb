//! `refbook init`: a small working book to start from.

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

/// Writes the starter book into `dir`; refuses to overwrite any file.
pub fn write(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.join("book.toml").exists() {
        return Err(format!(
            "{} already holds a book (book.toml exists)",
            dir.display()
        ));
    }
    for (rel, _) in FILES {
        if dir.join(rel).exists() {
            return Err(format!(
                "{} exists; refusing to overwrite it",
                dir.join(rel).display()
            ));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in FILES {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))?;
        written.push(p);
    }
    // The built site is output, not source. An existing .gitignore is the
    // user's: it is left alone, and the caller says what to add.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        std::fs::write(&ignore, GITIGNORE)
            .map_err(|e| format!("cannot write {}: {e}", ignore.display()))?;
        written.push(ignore);
    }
    Ok(written)
}

/// What `init` puts in a new book's .gitignore: the build folder of its book.toml.
pub const GITIGNORE: &str = "# the site refbook builds (build-dir in book.toml)\n/book/\n";
