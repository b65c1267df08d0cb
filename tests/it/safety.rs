//! No build touches what refbook did not make: every spelling of a folder
//! it does not own is refused, and the user's files stay byte-identical.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(cwd: &Path, args: &[&str], home: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_refbook"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("HOME", home)
        .output()
        .expect("run refbook")
}

fn refused(out: &Output, what: &str) -> String {
    let e = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{what}: {e}");
    assert!(
        e.contains("refusing") || e.contains("symbolic link"),
        "{what}: {e}"
    );
    assert!(!e.contains("panicked"), "{what}: {e}");
    e
}

/// A book at `dir/book`, a user's folder at `dir/danger/precious`, a link
/// `dir/lnk` to `dir/real`, and a home folder `dir/home` with a file.
fn world(name: &str) -> PathBuf {
    let dir = tmp(name).canonicalize().unwrap();
    starter(&dir);
    std::fs::create_dir_all(dir.join("danger/precious/sub")).unwrap();
    std::fs::write(dir.join("danger/precious/thesis.txt"), "years of work").unwrap();
    std::fs::write(dir.join("danger/precious/sub/data.csv"), "1,2,3").unwrap();
    std::fs::create_dir_all(dir.join("real")).unwrap();
    std::os::unix::fs::symlink(dir.join("real"), dir.join("lnk")).unwrap();
    std::fs::create_dir_all(dir.join("home")).unwrap();
    std::fs::write(dir.join("home/.profile"), "mine").unwrap();
    dir
}

#[test]
fn no_spelling_of_a_foreign_folder_is_replaced() {
    let dir = world("spell");
    let before = tree(&dir);
    let abs = dir.join("danger/precious");
    let spellings = [
        "danger/precious",
        "danger/nothere/../precious",
        "danger/a/b/../../precious",
        "danger/./precious",
        "danger/precious/",
        "danger/precious/.",
        "danger//precious",
        "lnk/../danger/precious",
        "book/../danger/precious",
        abs.to_str().unwrap(),
    ];
    for s in spellings {
        let out = run(&dir, &["build", "book", "-d", s], &dir.join("home"));
        refused(&out, s);
        assert!(tree(&dir) == before, "{s}: files changed");
    }
    // The same through book.toml, for build and check, with the position.
    let toml = std::fs::read_to_string(dir.join("book/book.toml")).unwrap();
    for s in [
        "x/../../danger/precious",
        "../lnk/../danger/precious/",
        "./../danger/./precious",
    ] {
        let edited = replace_build_dir(&toml, s);
        std::fs::write(dir.join("book/book.toml"), &edited).unwrap();
        let before = tree(&dir);
        for cmd in ["build", "check"] {
            let e = refused(&run(&dir, &[cmd, "book"], &dir.join("home")), s);
            assert!(e.contains("book.toml:"), "{cmd} {s}: {e}");
            assert!(tree(&dir) == before, "{cmd} {s}: files changed");
        }
    }
}

fn replace_build_dir(toml: &str, to: &str) -> String {
    let line = toml
        .lines()
        .find(|l| l.starts_with("build-dir"))
        .expect("the starter book names its build-dir");
    toml.replace(line, &format!("build-dir = \"{to}\""))
}

#[test]
fn the_book_its_sources_root_and_home_are_refused() {
    let dir = world("protected");
    let book = dir.join("book");
    std::fs::create_dir_all(book.join("themes/mine/static")).unwrap();
    std::fs::write(book.join("themes/mine/static/x.css"), "a{}").unwrap();
    let before = tree(&dir);
    let home = dir.join("home");
    let targets = [
        ".",
        "book",
        "book/",
        "book/.",
        "book/content",
        "book/content/areas",
        "book/nothere/../content",
        "book/themes",
        "book/themes/mine",
        "book/themes/mine/static/out",
        "home",
        "lnk/..",
        "/",
    ];
    for t in targets {
        refused(&run(&dir, &["build", "book", "-d", t], &home), t);
        assert!(tree(&dir) == before, "{t}: files changed");
    }
    // `build-dir` that climbs back into the book's own folder.
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        replace_build_dir(&toml, "out/../../book"),
    )
    .unwrap();
    let before = tree(&dir);
    for cmd in ["build", "check"] {
        let e = refused(&run(&dir, &[cmd, "book"], &home), cmd);
        assert!(e.contains("the book itself"), "{e}");
        assert!(tree(&dir) == before, "{cmd}: files changed");
    }
}

#[test]
fn a_refused_target_creates_no_folder() {
    let dir = world("nocreate");
    let before = tree(&dir);
    // The target passes only after its parents are made: none is made.
    let out = run(
        &dir,
        &["build", "book", "-d", "new/deeper/../../danger/precious"],
        &dir.join("home"),
    );
    refused(&out, "new/deeper");
    assert!(!dir.join("new").exists());
    assert!(tree(&dir) == before);
    // A dangling link on the way is refused, and its target not created.
    std::os::unix::fs::symlink(dir.join("gone"), dir.join("dangling")).unwrap();
    let out = run(
        &dir,
        &["build", "book", "-d", "dangling/site"],
        &dir.join("home"),
    );
    refused(&out, "dangling");
    assert!(!dir.join("gone").exists());
}

#[test]
fn good_targets_still_build_and_rebuild() {
    let dir = world("good");
    for t in ["out/site", "lnk/site", "danger/new/../fresh", "book/book"] {
        for round in 0..2 {
            let out = run(&dir, &["build", "book", "-d", t], &dir.join("home"));
            assert!(
                out.status.success(),
                "{t} {round}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    assert!(dir.join("real/site/index.html").is_file());
    assert!(dir.join("danger/fresh/index.html").is_file());
    assert!(
        !dir.join("danger/new").exists(),
        "a folder only named on the way was made"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("danger/precious/thesis.txt")).unwrap(),
        "years of work"
    );
    assert!(staging_left(&dir.join("out")).is_empty());
}

/// A secret outside the book, and links to it from each kind of source.
fn links_out(name: &str) -> (PathBuf, PathBuf) {
    let dir = tmp(name).canonicalize().unwrap();
    let book = starter(&dir);
    let secret = dir.join("secret.md");
    std::fs::write(&secret, "---\ntitle: Secret\n---\nSECRET-TEXT-42\n").unwrap();
    let plain = dir.join("secret.txt");
    std::fs::write(&plain, "SECRET-TEXT-42\n").unwrap();
    let link = |to: &Path, at: &str| {
        let at = book.join(at);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let _ = std::fs::remove_file(&at);
        std::os::unix::fs::symlink(to, at).unwrap();
    };
    link(&plain, "content/categories/enterprise.md");
    link(&secret, "content/pages/about.md");
    link(&plain, "themes/default/static/leak.txt");
    link(&plain, "themes/default/templates/leak.html");
    (dir, book)
}

#[test]
fn nothing_from_outside_the_book_is_published() {
    let (dir, book) = links_out("links-out");
    for cmd in ["build", "check"] {
        let out = run(&dir, &[cmd, "book"], &dir.join("home"));
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{cmd}: {e}");
        for at in [
            "content/categories/enterprise.md",
            "content/pages/about.md",
            "themes/default/static/leak.txt",
            "themes/default/templates/leak.html",
        ] {
            assert!(
                e.contains(&format!("{at}\n")) || e.contains(&format!("{at}:")),
                "{cmd} {at}: {e}"
            );
        }
        assert!(e.contains("links outside the book to"), "{e}");
        assert!(!e.contains("SECRET-TEXT-42"), "{e}");
    }
    assert!(!book.join("book").exists());
    // Opting in publishes them; links within the book always work.
    let toml = std::fs::read_to_string(book.join("book.toml")).unwrap();
    std::fs::write(
        book.join("book.toml"),
        toml.replace("[build]\n", "[build]\nallow-outside-links = true\n"),
    )
    .unwrap();
    let out = run(&dir, &["build", "book"], &dir.join("home"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let leak = std::fs::read_to_string(book.join("book/assets/leak.txt")).unwrap();
    assert!(leak.contains("SECRET-TEXT-42"));
}

#[test]
fn links_within_the_book_are_followed() {
    let t = BookTest::starter("links-in");
    let shared = t.root.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::rename(
        t.root.join("content/pages/about.md"),
        shared.join("about.md"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        "../../shared/about.md",
        t.root.join("content/pages/about.md"),
    )
    .unwrap();
    t.build()
        .has("pages/about/index.html", &["About This Model"]);
}

/// A small tmpfs at `at` (root only), unmounted when dropped.
struct Mount(PathBuf);

impl Mount {
    fn tmpfs(at: &Path, opts: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", opts, "tmpfs"])
            .arg(at)
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here (needs root)");
        }
        ok.then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn a_full_disk_or_read_only_parent_leaves_nothing_behind() {
    let dir = world("full");
    // 64 KiB: the starter site is about 330 KiB.
    let Some(_small) = Mount::tmpfs(&dir.join("small"), "size=64k") else {
        return;
    };
    std::fs::write(dir.join("small/keep.txt"), "mine").unwrap();
    let out = run(
        &dir,
        &["build", "book", "-d", "small/site"],
        &dir.join("home"),
    );
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(e.contains("No space left"), "{e}");
    assert_eq!(names(&dir.join("small")), ["keep.txt"], "{e}");
    // Full to the last byte: the staging folder is made (folders take no
    // blocks on tmpfs) but its marker cannot be written.
    let filler = vec![0u8; 64 << 10];
    let mut f = std::fs::File::create(dir.join("small/filler")).unwrap();
    let _ = std::io::Write::write_all(&mut f, &filler);
    drop(f);
    let out = run(
        &dir,
        &["build", "book", "-d", "small/site"],
        &dir.join("home"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(names(&dir.join("small")), ["filler", "keep.txt"]);

    let Some(_ro) = Mount::tmpfs(&dir.join("ro"), "ro,size=64k") else {
        return;
    };
    let out = run(&dir, &["build", "book", "-d", "ro/site"], &dir.join("home"));
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(e.contains("Read-only"), "{e}");
    assert!(names(&dir.join("ro")).is_empty());
}

#[test]
fn the_next_build_removes_what_a_killed_one_left() {
    let dir = world("leftovers");
    let out = dir.join("out");
    let build = || {
        run(
            &dir,
            &["build", "book", "-d", "out/site"],
            &dir.join("home"),
        )
    };
    assert!(build().status.success());
    // What a run killed mid-build (staging) or mid-removal (old site, its
    // marker still there; or emptied) leaves, by a process that is gone.
    let dead = u32::MAX / 2 - 7;
    for (name, marked) in [
        (format!(".site.refbook-{dead}-1"), true),
        (format!(".site.refbook-{dead}-2.old"), true),
        (format!(".site.refbook-{dead}-3"), false),
    ] {
        std::fs::create_dir_all(out.join(&name).join("areas")).unwrap();
        if marked {
            std::fs::write(out.join(&name).join(refbook::output::MARKER), "").unwrap();
            std::fs::write(out.join(&name).join("areas/x.html"), "").unwrap();
        } else {
            std::fs::remove_dir(out.join(&name).join("areas")).unwrap();
        }
    }
    // Named like a leftover, but the user's: not marked, not empty.
    let users = out.join(format!(".site.refbook-{dead}-4"));
    std::fs::create_dir_all(&users).unwrap();
    std::fs::write(users.join("notes.txt"), "mine").unwrap();
    assert!(build().status.success());
    assert_eq!(
        names(&out),
        [format!(".site.refbook-{dead}-4"), "site".into()]
    );
    assert_eq!(
        std::fs::read_to_string(users.join("notes.txt")).unwrap(),
        "mine"
    );
}
