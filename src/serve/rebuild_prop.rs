//! The served site after any sequence of edits is the site a fresh build of
//! the same sources makes, byte for byte: whatever a rebuild skips (files it
//! keeps, parts it reuses), it must never leave a file stale or behind.

use super::rebuild::{Builder, Outcome};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A small seeded generator (xorshift): the same seed, the same edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, of: &[&'a str]) -> &'a str {
        of[self.below(of.len())]
    }
}

const WORDS: &[&str] = &["budget", "board", "risk", "vendor", "audit", "plan"];
const TARGETS: &[&str] = &["EF-1.2", "EF-1.1", "EF-1", "OP-1.1", "GG2.GP1", "OP"];

/// What the edits change in the fixture's two area files.
#[derive(Clone, Debug)]
struct Sources {
    statement: String,
    title: String,
    /// Where EF-1.1's notes link to.
    target: &'static str,
    /// EF-1.3 exists (added and removed by the edits).
    extra: bool,
    op_body: String,
}

impl Sources {
    fn ef(&self) -> String {
        let extra = if self.extra {
            "      - id: EF-1.3\n        title: Review Objectives\n        statement: Objectives are reviewed against [[OP-1.1]].\n"
        } else {
            ""
        };
        format!(
            "---\ncode: EF\nname: Enterprise Focus\ncategory: enterprise\n\
             purpose: The purpose of Enterprise Focus is to direct the work.\n\
             objectives:\n  - id: EF-1\n    title: Establish Strategic Drivers\n\
             \x20   statement: The strategic drivers are established.\n    practices:\n\
             \x20     - id: EF-1.1\n        title: Establish Strategic Objectives\n\
             \x20       statement: {}\n        notes: |\n          See [[{}]].\n\
             \x20     - id: EF-1.2\n        title: {}\n\
             \x20       statement: Factors come from the [[EF-1.1]] objectives.\n{extra}\
             ---\nEnterprise Focus is where the work starts.\n",
            self.statement, self.target, self.title
        )
    }

    fn op(&self) -> String {
        format!(
            "---\ncode: OP\nname: Operations\ncategory: enterprise\n\
             purpose: The purpose of Operations is to run the work.\n\
             objectives:\n  - id: OP-1\n    title: Run the Work\n\
             \x20   statement: The work is run.\n    practices:\n\
             \x20     - id: OP-1.1\n        title: Follow the Plan\n\
             \x20       statement: The plan of [[EF-1.2]] is followed.\n\
             ---\n{}\n",
            self.op_body
        )
    }

    fn write(&self, book: &Path) {
        let areas = book.join("content/areas");
        std::fs::write(areas.join("EF.md"), self.ef()).unwrap();
        std::fs::write(areas.join("OP.md"), self.op()).unwrap();
    }

    /// One random edit, as an author would make it.
    fn edit(&mut self, rng: &mut Rng) -> &'static str {
        match rng.below(5) {
            0 => {
                self.statement =
                    format!("The {} is set by the {}.", rng.pick(WORDS), rng.pick(WORDS));
                "statement"
            }
            1 => {
                self.title = format!("Identify the {}", rng.pick(WORDS));
                "title"
            }
            2 => {
                self.target = rng.pick(TARGETS);
                "link target"
            }
            3 => {
                self.extra = !self.extra;
                if self.extra {
                    "practice added"
                } else {
                    "practice removed"
                }
            }
            _ => {
                self.op_body = format!("Operations refers to [[{}]].", rng.pick(TARGETS));
                "area text"
            }
        }
    }
}

/// Every file under `dir`: path relative to it -> bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            (
                rel.to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

fn fresh_dir(base: &Path, name: &str) -> PathBuf {
    let d = base.join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn built(b: &mut Builder, theme_dirty: bool, step: &str) {
    match b.rebuild(theme_dirty) {
        Outcome::Good { .. } => {}
        Outcome::Bad { diags, .. } => panic!("{step}: the fixture does not build: {diags:?}"),
    }
}

#[test]
fn after_any_edits_the_served_site_is_a_fresh_build_byte_for_byte() {
    let base = std::env::temp_dir().join(format!("refbook-serve-prop-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let book = base.join("book");
    crate::init::write(&book).unwrap();
    let mut src = Sources {
        statement: "Strategic objectives are documented.".into(),
        title: "Establish Critical Success Factors".into(),
        target: "EF-1.2",
        extra: false,
        op_body: "Operations follows [[EF-1]].".into(),
    };
    src.write(&book);
    let served = fresh_dir(&base, "served");
    let mut server = Builder::new(&book, &served);
    built(&mut server, true, "first build");
    for seed in [1u64, 7, 42, 2026] {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        for step in 0..12 {
            let what = src.edit(&mut rng);
            src.write(&book);
            let step = format!("seed {seed}, edit {step} ({what}): {src:?}");
            built(&mut server, false, &step);
            let fresh = fresh_dir(&base, "fresh");
            built(&mut Builder::new(&book, &fresh), true, &step);
            let (got, want) = (tree(&served), tree(&fresh));
            let names = |t: &BTreeMap<String, Vec<u8>>| t.keys().cloned().collect::<Vec<_>>();
            assert_eq!(names(&got), names(&want), "{step}: files differ");
            for (rel, bytes) in &want {
                assert!(got[rel] == *bytes, "{step}: {rel} is stale");
            }
        }
    }
    std::fs::remove_dir_all(&base).unwrap();
}
