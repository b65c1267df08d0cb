//! The advisory check that CI runs: against the committed snapshot of the
//! RustSec database, this project's Cargo.lock passes and a lock with a
//! known-vulnerable version fails. Skips with a message where `tar` or
//! `python3` (3.11+, for tomllib) is missing.

use crate::common::*;
use std::path::Path;
use std::process::Command;

fn have(cmd: &str, arg: &str) -> bool {
    Command::new(cmd)
        .arg(arg)
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn the_advisory_check_passes_this_lock_and_fails_a_vulnerable_one() {
    if !have("tar", "--version")
        || !Command::new("python3")
            .args(["-c", "import tomllib"])
            .output()
            .is_ok_and(|o| o.status.success())
    {
        eprintln!("skipped: the advisory check needs tar and python3 (3.11+)");
        return;
    }
    let dir = tmp("audit");
    let db = dir.join("db");
    std::fs::create_dir_all(&db).unwrap();
    let root = Path::new(ROOT);
    let untar = Command::new("tar")
        .arg("-xzf")
        .arg(root.join("tools/advisory-db.tar.gz"))
        .arg("-C")
        .arg(&db)
        .status()
        .unwrap();
    assert!(untar.success());
    assert!(
        db.join("crates/ammonia").is_dir(),
        "the snapshot holds advisories"
    );
    let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
    // ammonia 4.1.1 has RUSTSEC-2025-0071 (mutation XSS), fixed in 4.1.2.
    let start = lock.find("name = \"ammonia\"\nversion = \"").unwrap();
    let vstart = start + "name = \"ammonia\"\nversion = \"".len();
    let vend = vstart + lock[vstart..].find('"').unwrap();
    let bad = format!("{}4.1.1{}", &lock[..vstart], &lock[vend..]);
    let bad_lock = dir.join("Cargo.lock");
    std::fs::write(&bad_lock, bad).unwrap();
    let check = |lock: &Path| {
        Command::new("python3")
            .arg(root.join("tools/audit.py"))
            .arg(&db)
            .arg(lock)
            .output()
            .unwrap()
    };
    let good = check(&root.join("Cargo.lock"));
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stdout)
    );
    let found = check(&bad_lock);
    let out = String::from_utf8_lossy(&found.stdout);
    assert_eq!(found.status.code(), Some(1), "{out}");
    assert!(out.contains("RUSTSEC-2025-0071"), "{out}");
    // cargo-audit, where CI installed it, agrees.
    if have("cargo-audit", "--version") {
        let audit = |lock: &Path| {
            Command::new("cargo-audit")
                .args([
                    "audit",
                    "--deny",
                    "warnings",
                    "--no-fetch",
                    "--stale",
                    "--db",
                ])
                .arg(&db)
                .arg("--file")
                .arg(lock)
                .output()
                .unwrap()
        };
        assert!(audit(&root.join("Cargo.lock")).status.success());
        let bad = audit(&bad_lock);
        assert_eq!(bad.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&bad.stdout).contains("RUSTSEC-2025-0071"));
    }
}
