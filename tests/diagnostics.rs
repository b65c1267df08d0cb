//! How problems are reported: how many are shown, and what a report says
//! about the rest.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// The starter book with `n` broken links in its area's introduction.
fn book_with_broken_links(tag: &str, n: usize) -> PathBuf {
    let dir = starter(&tmp(tag));
    let area = dir.join("content/areas/EF.md");
    let mut text = std::fs::read_to_string(&area).unwrap();
    for i in 0..n {
        text.push_str(&format!("\nSee [[MISSING-{i}]].\n"));
    }
    std::fs::write(&area, text).unwrap();
    dir
}

fn stderr_of(args: &[&str]) -> (Option<i32>, String) {
    let out = refbook(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn reports_show_the_first_errors_and_count_them_all() {
    let dir = book_with_broken_links("max-errors", 60);
    let d = dir.to_str().unwrap();
    let shown = |e: &str| e.matches("\nerror: ").count() + usize::from(e.starts_with("error: "));

    let (code, e) = stderr_of(&["check", d]);
    assert_eq!(code, Some(1));
    assert_eq!(shown(&e), 50, "{e}");
    assert!(e.contains("error: no element [[MISSING-49]]"), "{e}");
    assert!(!e.contains("[[MISSING-50]]"), "{e}");
    assert!(
        e.contains("check failed: 60 errors (10 not shown: `--max-errors 0` shows all)"),
        "{e}"
    );

    let (code, e) = stderr_of(&["check", "--max-errors", "5", d]);
    assert_eq!((code, shown(&e)), (Some(1), 5), "{e}");
    assert!(e.contains("60 errors (55 not shown"), "{e}");

    let (code, e) = stderr_of(&["check", "--max-errors", "0", d]);
    assert_eq!((code, shown(&e)), (Some(1), 60), "{e}");
    assert!(e.contains("check failed: 60 errors\n"), "{e}");

    let (code, e) = stderr_of(&["build", "--max-errors", "3", d]);
    assert_eq!((code, shown(&e)), (Some(1), 3), "{e}");
    assert!(
        e.contains("build failed: 60 errors (57 not shown: `--max-errors 0` shows all); the previous site is untouched"),
        "{e}"
    );
    assert!(!Path::new(d).join("book").exists());

    assert_eq!(
        refbook(&["check", "--max-errors", "x", d]).status.code(),
        Some(2)
    );
}
