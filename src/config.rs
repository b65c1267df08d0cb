//! book.toml: site settings.

use crate::diag::{Diagnostic, Loc, did_you_mean, line_col};
use crate::model::BookConfig;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookToml {
    book: BookSection,
    #[serde(default)]
    build: BuildSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BookSection {
    title: String,
    description: Option<String>,
    language: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BuildSection {
    content_dir: Option<toml::Spanned<String>>,
    build_dir: Option<toml::Spanned<String>>,
    theme: Option<String>,
    site_url: Option<String>,
    #[serde(default)]
    allow_html: bool,
    #[serde(default)]
    allow_outside_links: bool,
    previous_model: Option<toml::Spanned<String>>,
    whole_pages_split_above: Option<usize>,
}

const KNOWN: &[&str] = &[
    "title",
    "description",
    "language",
    "authors",
    "content-dir",
    "build-dir",
    "theme",
    "site-url",
    "allow-html",
    "allow-outside-links",
    "previous-model",
    "whole-pages-split-above",
    "book",
    "build",
];

pub fn load(root: &Path, diags: &mut Vec<Diagnostic>) -> BookConfig {
    let path = root.join("book.toml");
    let mut cfg = BookConfig {
        title: String::new(),
        language: "en".into(),
        content_dir: "content".into(),
        build_dir: "book".into(),
        site_url: "/".into(),
        build_dir_loc: loc0(0, 0),
        content_dir_loc: loc0(0, 0),
        ..BookConfig::default()
    };
    let Some(text) = read_text(root, &path, diags) else {
        cfg.unreadable = true;
        return cfg;
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match toml::from_str::<BookToml>(text) {
        Ok(b) => apply(&mut cfg, b, text, diags),
        Err(e) => diags.push(toml_error(&e, text)),
    }
    cfg
}

fn loc0(line: u32, col: u32) -> Loc {
    Loc {
        file: "book.toml".into(),
        line,
        col,
    }
}

/// book.toml's text; a missing, unreadable or non-UTF-8 file is an error.
fn read_text(root: &Path, path: &Path, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let d = match std::fs::read(path) {
        Ok(b) => match String::from_utf8(b) {
            Ok(t) => return Some(t),
            Err(_) => Diagnostic::error(loc0(0, 0), "book.toml is not valid UTF-8"),
        },
        Err(_) if !root.is_dir() => Diagnostic::error(
            loc0(0, 0),
            format!("there is no folder {}", root.display()),
        )
        .help(format!(
            "point at the book's folder (the one holding book.toml), or run `refbook init {}` to start a book there",
            root.display()
        )),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Diagnostic::error(loc0(0, 0), format!("no book.toml in {}", root.display()))
                .help("run `refbook init` to start a book, or point at the book's folder")
        }
        Err(e) => Diagnostic::error(loc0(0, 0), format!("cannot read book.toml: {e}")),
    };
    diags.push(d);
    None
}

/// The settings of a well-formed book.toml, checked.
fn apply(cfg: &mut BookConfig, b: BookToml, text: &str, diags: &mut Vec<Diagnostic>) {
    cfg.title = b.book.title;
    cfg.description = b.book.description;
    if let Some(l) = b.book.language {
        cfg.language = l;
    }
    cfg.authors = b.book.authors;
    let at = |s: &toml::Spanned<String>| {
        let (line, col) = line_col(text, s.span().start);
        loc0(line, col)
    };
    if let Some(c) = b.build.content_dir {
        cfg.content_dir_loc = at(&c);
        cfg.content_dir = c.into_inner();
    }
    if let Some(c) = b.build.build_dir {
        cfg.build_dir_loc = at(&c);
        cfg.build_dir = c.into_inner();
    }
    cfg.allow_outside_links = b.build.allow_outside_links;
    cfg.previous_model = b.build.previous_model.map(|p| crate::model::Str {
        loc: at(&p),
        text: p.into_inner(),
    });
    cfg.theme = b.build.theme;
    if let Some(u) = b.build.site_url {
        cfg.site_url = u;
    }
    cfg.allow_html = b.build.allow_html;
    cfg.split_above = b.build.whole_pages_split_above;
    for (name, v, loc) in [
        ("content-dir", &cfg.content_dir, &cfg.content_dir_loc),
        ("build-dir", &cfg.build_dir, &cfg.build_dir_loc),
    ] {
        if v.trim().is_empty() {
            diags.push(Diagnostic::error(
                loc.clone(),
                format!("`{name}` must not be empty"),
            ));
        }
    }
    if let Some(t) = &cfg.theme
        && !is_theme_name(t)
    {
        let (line, col) = find(text, t);
        diags.push(Diagnostic::error(
            loc0(line, col),
            format!("`theme` must be a folder name under themes/, not `{t}`"),
        ));
    }
}

/// A TOML syntax or type error at its place, with a suggestion for a
/// misspelt field.
fn toml_error(e: &toml::de::Error, text: &str) -> Diagnostic {
    let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
    let msg = e.message().trim().to_string();
    let d = Diagnostic::error(loc0(line, col), format!("in book.toml: {msg}"));
    match msg
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        Some(field) => d
            .len(field.len())
            .maybe_help(did_you_mean(field, KNOWN.iter().copied())),
        None => d,
    }
}

/// Whether a book checked under the settings `a` is the book that checking
/// under `b` would make: the two agree on every setting that loading and
/// checking read (which files, how Markdown renders, the previous version
/// compared with). The others (title, description, language, authors, site
/// address, theme, split) only change what is rendered.
pub fn same_sources(a: &BookConfig, b: &BookConfig) -> bool {
    let previous = |c: &BookConfig| c.previous_model.as_ref().map(|p| p.text.clone());
    a.content_dir == b.content_dir
        && a.build_dir == b.build_dir
        && a.allow_html == b.allow_html
        && a.allow_outside_links == b.allow_outside_links
        && previous(a) == previous(b)
        && !a.unreadable
        && !b.unreadable
}

/// A theme is named by a folder directly under themes/: no path, nothing
/// hidden.
pub fn is_theme_name(name: &str) -> bool {
    !(name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.'))
}

fn find(text: &str, needle: &str) -> (u32, u32) {
    text.find(needle)
        .map(|i| line_col(text, i))
        .unwrap_or((0, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loaded(text: &str) -> BookConfig {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("refbook-config-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("book.toml"), text).unwrap();
        let mut diags = Vec::new();
        let cfg = load(&dir, &mut diags);
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(diags.is_empty(), "{diags:?}");
        cfg
    }

    #[test]
    fn only_what_is_rendered_may_differ_for_the_same_sources() {
        let base = "[book]\ntitle = \"M\"\n[build]\n";
        let a = loaded(base);
        for shown in [
            "[book]\ntitle = \"Other\"\ndescription = \"D\"\nlanguage = \"fr\"\nauthors = [\"X\"]\n[build]\n",
            "[book]\ntitle = \"M\"\n\n[build]\ntheme = \"mine\"\nsite-url = \"/m/\"\nwhole-pages-split-above = 1\n",
        ] {
            assert!(same_sources(&a, &loaded(shown)), "{shown}");
        }
        for read in [
            "content-dir = \"src\"",
            "build-dir = \"out\"",
            "allow-html = true",
            "allow-outside-links = true",
            "previous-model = \"v1.json\"",
        ] {
            let b = loaded(&format!("{base}{read}\n"));
            assert!(!same_sources(&a, &b), "{read}");
        }
    }
}
