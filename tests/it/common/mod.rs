//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod book;
pub mod browser;
pub mod scripts;

pub use book::{BookTest, snapshot};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

pub fn refbook(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refbook"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run refbook")
}

/// `refbook report --book <shipped book> args...`.
pub fn report(args: &[&str]) -> Output {
    let mut all = vec!["report", "--book", ROOT];
    all.extend_from_slice(args);
    refbook(&all)
}
pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
/// The JSON a successful command printed.
pub fn json_of(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{e}: {}", stdout(o)))
}

/// A fresh folder under the test target dir.
pub fn tmp(name: &str) -> PathBuf {
    let p = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&p);
    std::fs::create_dir_all(&p).unwrap();
    p
}

/// The starter book of `refbook init`, written into `dir/book`.
pub fn starter(dir: &Path) -> PathBuf {
    let book = dir.join("book");
    let out = refbook(&["init", book.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    book
}

/// Staging folders a build left beside `dir/book` (there should be none).
pub fn staging_left(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .filter(|n| n.contains("refbook-"))
        .collect()
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walk(from) {
        let rel = e.strip_prefix(from).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&e, &dest).unwrap();
    }
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn attr_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let pat = format!(" {attr}=\"");
    let mut rest = html;
    while let Some(i) = rest.find(&pat) {
        let after = &rest[i + pat.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push(&after[..end]);
        rest = &after[end..];
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&amp;", "&")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

/// Every relative link and anchor of every page under `site` must resolve.
/// Returns the problems found, one line each.
pub fn broken_links(site: &Path) -> Vec<String> {
    let pages: Vec<PathBuf> = walk(site)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    let mut ids: HashMap<PathBuf, HashSet<String>> = HashMap::new();
    let mut texts = Vec::new();
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let set: HashSet<String> = attr_values(&html, "id").into_iter().map(unescape).collect();
        ids.insert(p.canonicalize().unwrap(), set);
        texts.push((p.clone(), html));
    }
    let mut problems = Vec::new();
    for (p, html) in &texts {
        let mut dups = HashSet::new();
        for id in attr_values(html, "id") {
            if !dups.insert(id) {
                problems.push(format!("{}: duplicate id `{id}`", p.display()));
            }
        }
        for attr in ["href", "src"] {
            for raw in attr_values(html, attr) {
                let link = unescape(raw);
                if link.contains("://")
                    || link.starts_with("mailto:")
                    || link.starts_with("data:")
                    || link.starts_with("/__refbook/")
                {
                    continue;
                }
                let (path, frag) = match link.split_once('#') {
                    Some((a, b)) => (a, Some(b)),
                    None => (link.as_str(), None),
                };
                let target = if path.is_empty() {
                    p.clone()
                } else if let Some(from_root) = path.strip_prefix('/') {
                    // Root-relative (the 404 page, with the default site-url `/`).
                    site.join(from_root)
                } else {
                    p.parent().unwrap().join(path)
                };
                let Ok(canon) = target.canonicalize() else {
                    problems.push(format!("{}: broken link `{link}`", p.display()));
                    continue;
                };
                if !canon.starts_with(site.canonicalize().unwrap()) {
                    problems.push(format!("{}: link leaves the site `{link}`", p.display()));
                }
                if canon.is_dir() {
                    problems.push(format!(
                        "{}: link to a folder (breaks from file://) `{link}`",
                        p.display()
                    ));
                }
                if let Some(f) = frag.filter(|f| !f.is_empty())
                    && canon.extension().is_some_and(|x| x == "html")
                    && !ids.get(&canon).is_some_and(|s| s.contains(f))
                {
                    problems.push(format!(
                        "{}: no anchor `#{f}` in {}",
                        p.display(),
                        canon.display()
                    ));
                }
            }
        }
    }
    problems
}

/// The `<main>` of a page, for snapshots that ignore the chrome around it.
pub fn main_of(html: &str) -> &str {
    let start = html.find("<main").expect("a <main>");
    let end = html.rfind("</main>").expect("a </main>") + "</main>".len();
    &html[start..end]
}

/// The cells of an RFC 4180 text (quoted fields, doubled quotes, CRLF rows).
pub fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, _) => cell.push(ch),
            (false, '"') if cell.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, _) => cell.push(ch),
        }
    }
    assert!(
        cell.is_empty() && row.is_empty() && !quoted,
        "the text ends with CRLF"
    );
    rows
}

/// Every file and folder under `dir` (paths relative to it) with the bytes
/// of each file; links are not followed, so a swapped link shows as a
/// change. Two trees compare equal only when nothing in them changed.
pub fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Option<Vec<u8>>> {
    walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .flatten()
        .map(|e| {
            let data = e
                .file_type()
                .is_file()
                .then(|| std::fs::read(e.path()).unwrap());
            (e.path().strip_prefix(dir).unwrap().to_path_buf(), data)
        })
        .collect()
}
