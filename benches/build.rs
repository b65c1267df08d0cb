//! Criterion benchmarks of the build's phases on a generated book of the
//! shipped model's size (tools/scale.py 1), so that regressions show:
//!
//!     cargo bench --bench build
//!
//! Falls back to the shipped book when python3 is not available.
//! Wall-clock comparisons with mdBook and Hugo live in bench/run.sh.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use refbook::{load, render, resolve, theme};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;

fn book_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale-1");
    let generated = Command::new("python3")
        .arg(manifest.join("tools/scale.py"))
        .arg("1")
        .arg(&out)
        .status()
        .is_ok_and(|s| s.success());
    if generated {
        out.join("refbook")
    } else {
        eprintln!("python3 tools/scale.py failed: benchmarking the shipped book instead");
        manifest.to_path_buf()
    }
}

fn phases(c: &mut Criterion) {
    let root = book_root();
    let mut diags = Vec::new();
    let model = load::load_book(&root, &mut diags);
    let book = resolve::resolve(model.clone(), &mut diags);
    assert!(
        diags
            .iter()
            .all(|d| d.severity != refbook::diag::Severity::Error),
        "the benchmark book has errors: {:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    // On a tmpfs where there is one: on an ext4 without a journal, deleting
    // the site at every iteration slows the next one's file creation (see
    // bench/RESULTS.md), which would measure the file system, not refbook.
    let shm = Path::new("/dev/shm");
    let out = if shm.is_dir() {
        shm.join(format!("refbook-criterion-{}", std::process::id()))
    } else {
        Path::new(env!("CARGO_TARGET_TMPDIR")).join("scale-1-site")
    };

    let mut g = c.benchmark_group("s1");
    g.sample_size(20);
    g.bench_function("load", |b| {
        b.iter(|| {
            let mut d = Vec::new();
            black_box(load::load_book(&root, &mut d))
        })
    });
    g.bench_function("resolve", |b| {
        b.iter_batched(
            || model.clone(),
            |m| {
                let mut d = Vec::new();
                black_box(resolve::resolve(m, &mut d))
            },
            BatchSize::LargeInput,
        )
    });
    // Rendering alone: every page and data file into memory, no file system.
    g.bench_function("render", |b| {
        struct Discard;
        impl render::Sink for Discard {
            type File = std::io::Sink;
            fn create(&self, _: &str) -> Result<std::io::Sink, render::WriteError> {
                Ok(std::io::sink())
            }
            fn close(&self, _: &str, _: std::io::Sink) -> Result<(), render::WriteError> {
                Ok(())
            }
        }
        let mut d = Vec::new();
        let mut theme = theme::load(&root, None, &mut d).expect("the default theme loads");
        b.iter(|| {
            let site = render::Site::new(&book);
            let mut d = Vec::new();
            black_box(render::render_site(
                &site,
                &mut theme,
                &mut d,
                &refbook::BuildOptions::default(),
                &Discard,
            ))
        })
    });
    g.bench_function("render_and_write", |b| {
        let mut d = Vec::new();
        let mut theme = theme::load(&root, None, &mut d).expect("the default theme loads");
        b.iter(|| {
            let _ = std::fs::remove_dir_all(&out);
            let site = render::Site::new(&book);
            let mut d = Vec::new();
            black_box(render::write_site(
                &site,
                &mut theme,
                &out,
                None,
                &mut d,
                &refbook::BuildOptions::default(),
            ))
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, phases);
criterion_main!(benches);
