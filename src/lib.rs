//! refbook: a process-improvement model written in Markdown and YAML becomes
//! a cross-linked reference site with a self-assessment survey built in.
//!
//! The pipeline: [`load`] reads files into the typed [`model`], [`resolve`]
//! validates and cross-links it, [`render`] turns it into pages through the
//! [`theme`], and [`output`] swaps the finished site in. [`serve`] watches
//! and rebuilds. [`scoring`] applies the survey's rules to answers outside
//! the browser.

/// Prints a line on standard output, as `println!` does, except that an
/// output closed under it (`refbook build | head`, a reader gone away) is
/// no reason to end in a panic: what is left to say is dropped.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// [`say!`] on standard error.
#[macro_export]
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod answers;
pub mod config;
pub mod diag;
pub mod diff;
pub mod fence;
pub mod load;
pub mod markdown;
pub mod model;
pub mod oscal;
pub mod output;
pub mod render;
pub mod report;
pub mod resolve;
pub mod scoring;
pub mod serve;
pub mod theme;
pub mod urls;
pub mod yaml;

use diag::{Diagnostic, has_errors};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub use render::{BuildOptions, MODEL_SCHEMA};

/// JSON Schema of answer files (versions 2 and 1), published as
/// `answers.schema.json`.
pub const ANSWERS_SCHEMA: &str = include_str!("answers.schema.json");

/// The outcome of a build or check that found no errors.
pub struct Report {
    pub pages: usize,
    pub elapsed: Duration,
    pub dest: PathBuf,
    /// Warnings (errors stop the build and come back as `Err`).
    pub warnings: Vec<Diagnostic>,
    /// How long each phase took, in order (`refbook build --timings`).
    pub phases: Vec<Phase>,
}

/// One phase of a build: its wall time, and the processor time the whole
/// process spent meanwhile (all threads; where the system tells it).
#[derive(Debug, Clone)]
pub struct Phase {
    pub name: &'static str,
    pub wall: Duration,
    pub cpu: Option<Duration>,
    /// The most memory the process had resident by the phase's end, bytes.
    pub peak_rss: Option<u64>,
}

/// Processor time used by this process so far (user and system) and its
/// peak resident memory in bytes.
fn usage() -> (Option<Duration>, Option<u64>) {
    #[cfg(unix)]
    {
        let mut u = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage fills the struct it is given and nothing else.
        let u = unsafe {
            if libc::getrusage(libc::RUSAGE_SELF, u.as_mut_ptr()) != 0 {
                return (None, None);
            }
            u.assume_init()
        };
        let tv = |t: libc::timeval| {
            Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
        };
        // Linux counts ru_maxrss in KiB.
        let rss = cfg!(target_os = "linux").then_some(u.ru_maxrss as u64 * 1024);
        (Some(tv(u.ru_utime) + tv(u.ru_stime)), rss)
    }
    #[cfg(not(unix))]
    (None, None)
}

/// Why a build did not produce a site.
pub enum Failure {
    /// The content has errors: all of them.
    Content(Vec<Diagnostic>),
    /// The output could not be written (the previous site is untouched).
    Output(output::OutputError),
}

/// Loads, validates and cross-links a book without writing anything.
pub fn check(root: &Path) -> (Option<resolve::Book>, Vec<Diagnostic>) {
    check_reusing(root, &|_| None, resolve::Again::default())
}

/// [`check`], taking the area files that `reuse` gives as they are (`serve`:
/// those that did not change since its kept book was read), and what
/// `again` says of the book checked before.
pub fn check_reusing(
    root: &Path,
    reuse: load::Reuse,
    again: resolve::Again,
) -> (Option<resolve::Book>, Vec<Diagnostic>) {
    let (book, diags) = checked(root, &mut |_| {}, reuse, again);
    (if has_errors(&diags) { None } else { Some(book) }, diags)
}

/// [`check`], telling `phase` as each of its steps ends; the book comes back
/// even when it has errors, for the checks that do not depend on them.
fn checked(
    root: &Path,
    phase: &mut dyn FnMut(&'static str),
    reuse: load::Reuse,
    again: resolve::Again,
) -> (resolve::Book, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // book.toml first: it names the previous version, read beside the book.
    let config = config::load(root, &mut diags);
    let named = config.previous_model.clone();
    let kept = again.before.and_then(|b| b.previous.clone());
    let (model, previous) = rayon::join(
        || load::load_book_reusing(root, config, &mut diags, reuse),
        || named.map(|n| diff::read_previous(root, &n, kept)),
    );
    phase("load (read files, parse YAML)");
    let mut book = resolve::index(model, &mut diags);
    // Compared before the texts are rendered: a build then lets the previous
    // version go before the rendered texts take their memory (at S=100 the
    // two together made the build's peak, 330 MiB). Serve keeps it for the
    // next check's comparison.
    diff::since_read(&mut book, previous, &mut diags);
    if !again.keep_links {
        book.previous = None;
    }
    resolve::render_texts(&mut book, &mut diags, again);
    phase("resolve (ids, Markdown, links, backrefs)");
    (book, diags)
}

/// What a build needs before it writes: the book, its theme and the folder
/// the site goes to, each checked; otherwise every problem of all three.
fn prepare(
    root: &Path,
    dest: Option<&Path>,
    phase: &mut dyn FnMut(&'static str),
) -> Result<(resolve::Book, theme::Theme, PathBuf, Vec<Diagnostic>), Vec<Diagnostic>> {
    let (book, mut diags) = checked(root, phase, &|_| None, resolve::Again::default());
    // The theme and the target do not depend on the content: their problems
    // are told together with the content's.
    let theme = theme::load_for(root, &book.model.book, &mut diags);
    let target = target(root, &book.model.book, dest, &mut diags);
    match (theme, target) {
        (Some(theme), Some(target)) if !has_errors(&diags) => Ok((book, theme, target, diags)),
        _ => Err(diags),
    }
}

/// The build directory a book names, or `dest` when given.
pub fn build_dir(root: &Path, book: &model::BookConfig, dest: Option<&Path>) -> PathBuf {
    match dest {
        Some(d) => d.to_path_buf(),
        None => root.join(&book.build_dir),
    }
}

/// Whether a site refbook built stands where a build of `root` would go, so
/// that a failed build can say what it left as it was.
pub fn has_previous_site(root: &Path, dest: Option<&Path>) -> bool {
    let book = config::load(root, &mut Vec::new());
    output::is_ours(&build_dir(root, &book, dest))
}

/// Where the site of the book at `root` may go, resolved and checked (see
/// [`output::check_target`]); a refusal is a diagnostic at book.toml's
/// `build-dir`, or at the command line's `--dest-dir`.
pub fn target(
    root: &Path,
    book: &model::BookConfig,
    dest: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
) -> Option<PathBuf> {
    if dest.is_none() && book.build_dir.trim().is_empty() {
        // book.toml's own check has said so; "the book itself" would only repeat it.
        return None;
    }
    let content = root.join(&book.content_dir);
    let themes = root.join("themes");
    let wanted = build_dir(root, book, dest);
    match output::check_target(root, &[&content, &themes], &wanted) {
        Ok(t) => Some(t),
        Err(e) => {
            let loc = match dest {
                Some(_) => diag::Loc {
                    file: "--dest-dir".into(),
                    ..Default::default()
                },
                None => book.build_dir_loc.clone(),
            };
            let d = diag::Diagnostic::error(loc, e.to_string());
            diags.push(match e {
                output::OutputError::Foreign(_) => d.help(
                    "refbook only replaces folders it built (they hold a `.refbook-site` file) or empty ones",
                ),
                output::OutputError::Protected(..) => {
                    d.help("build into a folder of its own, such as `book` inside the book")
                }
                output::OutputError::Io(..) => d,
            });
            None
        }
    }
}

/// Everything a build checks, short of writing: the content, the theme, the
/// target folder, and every page rendered in memory (template errors).
pub fn check_all(root: &Path, dest: Option<&Path>) -> (Option<resolve::Book>, Vec<Diagnostic>) {
    let (book, mut theme, _, mut diags) = match prepare(root, dest, &mut |_| {}) {
        Ok(p) => p,
        Err(diags) => return (None, diags),
    };
    let site = render::Site::new(&book);
    if let Err(e) = render::render_site(
        &site,
        &mut theme,
        &mut diags,
        &BuildOptions::default(),
        &render::NullSink,
    ) {
        // Writing to nowhere cannot fail; say so rather than drop it.
        diags.push(diag::Diagnostic::error(diag::Loc::default(), e.to_string()));
    }
    drop(site);
    let ok = !has_errors(&diags);
    (ok.then_some(book), diags)
}

/// Builds the book at `root` into its build directory (or `dest`).
pub fn build(root: &Path, dest: Option<&Path>) -> Result<Report, Failure> {
    build_with(root, dest, &BuildOptions::default())
}

/// [`build`], with options.
pub fn build_with(
    root: &Path,
    dest: Option<&Path>,
    opts: &BuildOptions,
) -> Result<Report, Failure> {
    let start = Instant::now();
    let mut phases = Vec::new();
    let mut lap = (start, usage().0);
    let mut phase = |name| {
        let (cpu, peak_rss) = usage();
        let now = (Instant::now(), cpu);
        phases.push(Phase {
            name,
            wall: now.0 - lap.0,
            cpu: now.1.zip(lap.1).map(|(n, l)| n.saturating_sub(l)),
            peak_rss,
        });
        lap = now;
    };
    let (book, mut theme, target, mut diags) =
        prepare(root, dest, &mut phase).map_err(Failure::Content)?;
    if let Some(give_back) = opts.give_back_freed {
        give_back();
    }
    let staging = output::Staging::new(&target).map_err(Failure::Output)?;
    let site = render::Site::new(&book);
    phase("theme and site data");
    let previous = target.is_dir().then_some(target.as_path());
    let pages = render::write_site(&site, &mut theme, &staging.dir, previous, &mut diags, opts)
        .map_err(|e| Failure::Output(output::OutputError::Io(e.path, e.source)))?;
    phase("render and write");
    if has_errors(&diags) {
        return Err(Failure::Content(diags));
    }
    staging.commit().map_err(Failure::Output)?;
    phase("swap in, old site removed");
    if opts.skip_teardown {
        std::mem::forget(site);
        std::mem::forget(theme);
        std::mem::forget(book);
    }
    Ok(Report {
        pages,
        elapsed: start.elapsed(),
        dest: target,
        warnings: diags,
        phases,
    })
}
pub mod init;
