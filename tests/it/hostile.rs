//! Hostile input: nothing panics, every problem is reported, exit code 1.

use crate::common::*;
use std::path::Path;

fn book(name: &str) -> std::path::PathBuf {
    starter(&tmp(name))
}

fn check_fails_cleanly(dir: &Path, needle: &str) {
    let out = refbook(&["build", dir.to_str().unwrap()]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.contains(needle), "expected `{needle}` in:\n{e}");
    assert!(!dir.join("book").exists(), "a failed build wrote a site");
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_crash() {
    let dir = book("nested");
    let deep = format!(
        "---\ncode: EF\nname: {}{}\n---\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    std::fs::write(dir.join("content/areas/EF.md"), deep).unwrap();
    check_fails_cleanly(&dir, "content/areas/EF.md:3:");
}

#[test]
fn very_long_lines_and_a_50_mb_file_are_handled() {
    let dir = book("big");
    // A 50 MB statement on one line: built, not choked on.
    let big = "word ".repeat(10 * 1024 * 1024);
    let area = std::fs::read_to_string(dir.join("content/areas/EF.md")).unwrap();
    let area = area.replace(
        "statement: Strategic objectives are identified and documented.",
        &format!("statement: Strategic objectives are identified. {big}"),
    );
    std::fs::write(dir.join("content/areas/EF.md"), &area).unwrap();
    let out = refbook(&["build", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // And an error on such a line shows a cut source line, not 50 MB.
    let broken = area.replace("code: EF", "code: EF\nbogus: x");
    std::fs::write(dir.join("content/areas/EF.md"), broken).unwrap();
    let out = refbook(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stderr.len() < 100_000,
        "{} bytes of diagnostics",
        out.stderr.len()
    );
}

#[test]
fn a_symlink_loop_under_content_is_reported() {
    let dir = book("loop");
    std::os::unix::fs::symlink(dir.join("content"), dir.join("content/areas/loop")).unwrap();
    let out = refbook(&["check", dir.to_str().unwrap()]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.contains("content/areas/loop"), "{e}");
}

#[test]
fn ids_cannot_write_outside_the_build_directory() {
    let t = BookTest::starter("escape")
        .edit(
            "content/areas/EF.md",
            "code: EF",
            "code: \"../../../escape\"",
        )
        .edit("content/areas/EF.md", "[[EF-1]]", "it")
        .file("content/categories/enterprise.md", "Enterprise.\n");
    let site = t.build();
    site.has("areas/escape/index.html", &["../../../escape"]);
    assert!(!t.site.parent().unwrap().join("escape").exists());
    assert!(!t.root.parent().unwrap().join("escape").exists());
}

#[test]
fn bom_and_crlf_simply_work() {
    let dir = book("crlf");
    for f in [
        "content/areas/EF.md",
        "content/model.yaml",
        "content/glossary.yaml",
        "book.toml",
    ] {
        let t = std::fs::read_to_string(dir.join(f)).unwrap();
        std::fs::write(dir.join(f), format!("\u{feff}{}", t.replace('\n', "\r\n"))).unwrap();
    }
    let out = refbook(&["build", dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let html = std::fs::read_to_string(dir.join("book/areas/ef/ef-1-1/index.html")).unwrap();
    assert!(html.contains("Strategic objectives are identified"));
}

#[test]
fn two_builds_at_once_leave_one_whole_site() {
    let dir = book("race");
    let d = dir.to_str().unwrap().to_string();
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let d = d.clone();
            std::thread::spawn(move || refbook(&["build", &d]))
        })
        .collect();
    for h in handles {
        let out = h.join().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert!(broken_links(&dir.join("book")).is_empty());
    let left = staging_left(&dir);
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_failed_write_ends_the_build_as_the_machines_error() {
    let dir = book("write-fail");
    let (b, mut diags) = refbook::check(&dir);
    let b = b.expect("the starter book checks");
    let mut theme = refbook::theme::load(&dir, None, &mut diags).unwrap();
    let site = refbook::render::Site::new(&b);
    // A disk that fills up after ten files.
    struct FillingDisk(std::sync::atomic::AtomicUsize);
    impl refbook::render::Sink for FillingDisk {
        type File = Vec<u8>;
        fn create(&self, rel: &str) -> Result<Vec<u8>, refbook::render::WriteError> {
            if self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst) >= 10 {
                let full = std::io::Error::other("No space left on device");
                Err(self.write_error(rel, full))
            } else {
                Ok(Vec::new())
            }
        }
        fn close(&self, _: &str, _: Vec<u8>) -> Result<(), refbook::render::WriteError> {
            Ok(())
        }
    }
    let r = refbook::render::render_site(
        &site,
        &mut theme,
        &mut diags,
        &Default::default(),
        &FillingDisk(Default::default()),
    );
    let msg = r.expect_err("the failed write is reported").to_string();
    assert!(msg.contains("No space left on device"), "{msg}");
    assert!(diags.is_empty(), "not a content problem: {diags:?}");
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_old_site_or_the_new() {
    // The shipped book: big enough that a build takes a while to write.
    let dir = tmp("killed");
    copy_dir(&Path::new(ROOT).join("content"), &dir.join("content"));
    std::fs::copy(Path::new(ROOT).join("book.toml"), dir.join("book.toml")).unwrap();
    let site = dir.join("book");
    assert!(refbook(&["build", dir.to_str().unwrap()]).status.success());
    let old = tree(&site);
    let model = dir.join("content/model.yaml");
    let text = std::fs::read_to_string(&model).unwrap();
    let edited = text.replacen(
        "title: CERT Resiliency Engineering Framework",
        "title: Killed Build Edition",
        1,
    );
    assert_ne!(
        edited, text,
        "the model's title line is where the test expects it"
    );
    std::fs::write(&model, &edited).unwrap();
    let mut new = None;
    let mut outcomes = [0usize; 2];
    // Kill at spread-out moments: from before the first write to after the swap.
    for i in 0..16u64 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_refbook"))
            .args(["build", dir.to_str().unwrap()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(i * 25));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = tree(&site);
        if now == old {
            outcomes[0] += 1;
        } else {
            // Not the old site: it must be the whole new one, the same each time.
            let title_changed = String::from_utf8_lossy(
                now[Path::new("index.html")].as_deref().unwrap_or_default(),
            )
            .contains("Killed Build Edition");
            assert!(
                title_changed,
                "attempt {i}: neither the old site nor the new"
            );
            match &new {
                None => new = Some(now),
                Some(n) => assert!(*n == now, "attempt {i}: a different new site"),
            }
            outcomes[1] += 1;
            // Put the old site back, to kill the next build over it.
            std::fs::write(&model, &text).unwrap();
            assert!(refbook(&["build", dir.to_str().unwrap()]).status.success());
            assert!(tree(&site) == old);
            std::fs::write(&model, &edited).unwrap();
        }
    }
    // A complete new build, to compare with any new site a killed one left.
    assert!(refbook(&["build", dir.to_str().unwrap()]).status.success());
    let complete = tree(&site);
    if let Some(n) = new {
        assert!(n == complete, "a killed build left a partial new site");
    }
    // Staging folders of killed builds are cleaned by the next build.
    assert!(staging_left(&dir).is_empty(), "{:?}", staging_left(&dir));
    // Some kills must have landed before the swap (else this tested nothing).
    assert!(outcomes[0] > 0, "old/new outcomes: {outcomes:?}");
    eprintln!(
        "killed builds left the old site {} times, the new one {} times",
        outcomes[0], outcomes[1]
    );
}

#[test]
fn an_unreadable_file_is_reported_with_its_path() {
    // Root reads any file whatever its mode: a link to nothing cannot be read by anyone.
    let dir = book("unreadable");
    std::os::unix::fs::symlink(dir.join("nowhere.md"), dir.join("content/areas/GONE.md")).unwrap();
    let out = refbook(&["check", dir.to_str().unwrap()]);
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{e}");
    assert!(
        e.contains("content/areas/GONE.md") && e.contains("cannot read"),
        "{e}"
    );
    assert!(!e.contains("panicked"), "{e}");
}
