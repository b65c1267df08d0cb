//! Reporting many problems at once: a book of 20 MB whose one large area
//! file has 10,000 links to nothing, checked and reported.
//!
//!     cargo bench --bench diagnostics
//!
//! A report used to read the whole file again for each problem it showed
//! (and to count lines from the top of the text for each broken link), so
//! that its time grew with problems times size.

use criterion::{Criterion, criterion_group, criterion_main};
use refbook::diag::{self, DiskSources};
use std::hint::black_box;
use std::path::{Path, PathBuf};

const ERRORS: usize = 10_000;
const SIZE: usize = 20 << 20;

/// The starter book with its area's introduction grown to [`SIZE`] bytes,
/// one broken link in each of [`ERRORS`] paragraphs.
fn book() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diagnostics-bench");
    let _ = std::fs::remove_dir_all(&dir);
    refbook::init::write(&dir).expect("the starter book is written");
    let area = dir.join("content/areas/EF.md");
    let mut text = std::fs::read_to_string(&area).expect("the starter area");
    let filler = "The organization establishes and maintains the practice, \
                  reviews it with its stakeholders and improves it over time. ";
    let per = SIZE / ERRORS;
    for i in 0..ERRORS {
        let start = text.len();
        text.push('\n');
        while text.len() - start < per / 2 {
            text.push_str(filler);
        }
        text.push_str(&format!("See [[MISSING-{i}]] for more. "));
        while text.len() - start < per {
            text.push_str(filler);
        }
        text.push('\n');
    }
    std::fs::write(&area, text).expect("the large area is written");
    dir
}

fn report(c: &mut Criterion) {
    let root = book();
    let (_, diags) = refbook::check(&root);
    assert_eq!(diags.len(), ERRORS, "one error per broken link");
    let mut g = c.benchmark_group("20MB-10k-errors");
    g.sample_size(10);
    g.bench_function("check", |b| b.iter(|| black_box(refbook::check(&root))));
    g.bench_function("report-all", |b| {
        b.iter(|| black_box(diag::render(&diags, &DiskSources::new(&root), false)))
    });
    g.bench_function("report-first-50", |b| {
        b.iter(|| {
            black_box(diag::render_max(
                &diags,
                &DiskSources::new(&root),
                false,
                diag::DEFAULT_MAX_SHOWN,
            ))
        })
    });
    g.finish();
}

criterion_group!(benches, report);
criterion_main!(benches);
