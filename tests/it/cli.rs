//! What the command line says: one message per mistake, and only what is true.

use crate::common::{ROOT, refbook, starter, tmp};
use std::path::Path;
use std::process::{Command, Output};

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn in_dir(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refbook"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run refbook")
}

fn errors(stderr: &str) -> usize {
    stderr.lines().filter(|l| l.starts_with("error")).count()
}

#[test]
fn check_of_a_clean_book_says_ok_once() {
    let book = starter(&tmp("cli-ok"));
    let out = refbook(&["check", book.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stdout, "ok: no errors\n");
}

#[test]
fn a_failed_first_build_does_not_claim_a_previous_site() {
    let book = starter(&tmp("cli-first"));
    let area = book.join("content/areas/EF.md");
    let src = std::fs::read_to_string(&area).unwrap();
    std::fs::write(&area, src.replacen("[[EF-1.1]]", "[[EF-9.9]]", 1)).unwrap();
    let (_, stderr) = text(&refbook(&["build", book.to_str().unwrap()]));
    assert!(
        stderr.contains("build failed: 1 error; nothing was written"),
        "{stderr}"
    );
    assert!(!book.join("book").exists());

    std::fs::write(&area, &src).unwrap();
    assert!(refbook(&["build", book.to_str().unwrap()]).status.success());
    std::fs::write(&area, src.replacen("[[EF-1.1]]", "[[EF-9.9]]", 1)).unwrap();
    let (_, stderr) = text(&refbook(&["build", book.to_str().unwrap()]));
    assert!(
        stderr.contains("build failed: 1 error; the previous site is untouched"),
        "{stderr}"
    );
}

#[test]
fn a_missing_book_folder_is_one_error() {
    let dir = tmp("cli-missing");
    for cmd in ["build", "check"] {
        let out = in_dir(&dir, &[cmd, "nowhere"]);
        let (_, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(errors(&stderr), 1, "{stderr}");
        assert!(stderr.contains("there is no folder nowhere"), "{stderr}");
        assert!(stderr.contains("refbook init nowhere"), "{stderr}");
    }
    // A folder without book.toml: also one error, not one per missing part.
    let (_, stderr) = text(&in_dir(&dir, &["check", "."]));
    assert_eq!(errors(&stderr), 1, "{stderr}");
    assert!(stderr.contains("no book.toml in ."), "{stderr}");
}

#[test]
fn a_misspelt_required_field_is_one_error_with_the_suggestion() {
    let book = starter(&tmp("cli-misspelt"));
    let area = book.join("content/areas/EF.md");
    let src = std::fs::read_to_string(&area).unwrap();
    let src = src.replacen("    statement:", "    statment:", 1);
    std::fs::write(&area, src).unwrap();
    let (_, stderr) = text(&refbook(&["check", book.to_str().unwrap()]));
    assert_eq!(errors(&stderr), 1, "{stderr}");
    assert!(stderr.contains("unknown field `statment`"), "{stderr}");
    assert!(stderr.contains("did you mean `statement`?"), "{stderr}");
}

#[test]
fn a_required_field_left_out_is_still_missing() {
    // Only a look-alike unknown field stands in for a missing one.
    let book = starter(&tmp("cli-missing-field"));
    let area = book.join("content/areas/EF.md");
    let src = std::fs::read_to_string(&area).unwrap();
    let mut lines: Vec<&str> = src.lines().collect();
    let i = lines
        .iter()
        .position(|l| l.trim_start().starts_with("statement:") && l.starts_with("        "))
        .unwrap();
    lines.remove(i);
    std::fs::write(&area, lines.join("\n") + "\n").unwrap();
    let (_, stderr) = text(&refbook(&["check", book.to_str().unwrap()]));
    assert!(
        stderr.contains("missing field `statement` in a practice"),
        "{stderr}"
    );
}

#[test]
fn dest_dir_is_relative_to_the_current_folder_and_sources_are_refused() {
    let book = starter(&tmp("cli-dest"));
    let out = in_dir(&book, &["build", "-d", "content"]);
    let (_, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr.contains("it is one of the book's source folders"),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    // From elsewhere, `-d site` is a folder of the current folder, not of the book.
    let parent = book.parent().unwrap();
    let out = in_dir(parent, &["build", "book", "-d", "site"]);
    assert!(out.status.success(), "{:?}", text(&out));
    assert!(parent.join("site/index.html").is_file());
    assert!(!book.join("site").exists());
}

#[test]
fn init_writes_a_gitignore_and_says_how_to_serve() {
    let dir = tmp("cli-init");
    let out = in_dir(&dir, &["init", "mybook"]);
    let (stdout, _) = text(&out);
    assert!(out.status.success());
    assert!(stdout.contains("refbook serve mybook --open"), "{stdout}");
    assert!(stdout.contains("refbook build mybook"), "{stdout}");
    let ignore = std::fs::read_to_string(dir.join("mybook/.gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l == "/book/"), "{ignore}");

    // The user's own .gitignore is kept, byte for byte.
    let mine = dir.join("theirs");
    std::fs::create_dir_all(&mine).unwrap();
    std::fs::write(mine.join(".gitignore"), "target\n").unwrap();
    let (stdout, _) = text(&in_dir(&dir, &["init", "theirs"]));
    assert_eq!(
        std::fs::read_to_string(mine.join(".gitignore")).unwrap(),
        "target\n"
    );
    assert!(stdout.contains("add `/book/`"), "{stdout}");
}

/// A pipe whose reader is already gone: what is written to it fails with a
/// broken pipe, as under `refbook build | head` once head has exited.
fn closed_pipe() -> std::io::PipeWriter {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    writer
}

/// `refbook args` run in `dir` with its standard output closed: how it
/// ended and what it said on standard error.
fn with_stdout_closed<S: AsRef<std::ffi::OsStr>>(
    args: &[S],
    dir: &Path,
) -> (std::process::ExitStatus, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_refbook"))
        .args(args)
        .current_dir(dir)
        .stdout(closed_pipe())
        .output()
        .expect("run refbook");
    let (_, stderr) = text(&out);
    (out.status, stderr)
}

/// Output closed under a one-shot command is no panic (Rust's `println!`
/// panics on a broken pipe): the command does its work and ends with the
/// code it would have ended with.
#[test]
fn a_closed_output_is_no_panic() {
    let book = starter(&tmp("cli-closed"));
    let dir = book.to_str().unwrap();
    for args in [vec!["build", dir], vec!["check", dir], vec!["init", "more"]] {
        let (status, stderr) = with_stdout_closed(&args, &book);
        assert!(status.success(), "{args:?}: {status:?} {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(book.join("book/index.html").is_file());

    // Commands whose output is the point end quietly when their reader
    // stops early (`| head`): the rest was not wanted.
    let v = |name: &str| format!("{ROOT}/tests/fixtures/versions/{name}");
    let team = format!("{ROOT}/tests/fixtures/team/agreeing");
    let wanted = [
        vec!["diff".to_string(), v("v1"), v("v2")],
        vec![
            "diff".into(),
            v("v1"),
            v("v2"),
            "--format".into(),
            "json".into(),
        ],
        vec!["report".into(), "--book".into(), ROOT.into(), team],
    ];
    for args in wanted {
        let (status, stderr) = with_stdout_closed(&args, &book);
        assert!(status.success(), "{args:?}: {status:?} {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }

    let area = book.join("content/areas/EF.md");
    let src = std::fs::read_to_string(&area).unwrap();
    std::fs::write(&area, src.replacen("[[EF-1.1]]", "[[EF-9.9]]", 1)).unwrap();
    for args in [["build", dir], ["check", dir]] {
        let out = Command::new(env!("CARGO_BIN_EXE_refbook"))
            .args(args)
            .stdout(closed_pipe())
            .stderr(closed_pipe())
            .status()
            .expect("run refbook");
        // A panic ends with 101; a failed build or check with 1.
        assert_eq!(out.code(), Some(1), "{args:?}");
    }
}
