//! The command line: a thin layer over the library.

// mimalloc: the build allocates and frees millions of small strings and
// maps on two threads; with glibc's allocator that was a fifth of the
// processor time of a large build (S=100: 6.3 -> 5.0 s of CPU, 3.4 -> 2.6 s).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc 2's `mi_option_t` (mimalloc.h); the
/// bindings do not name it. A test checks it still reads as its default.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after 1 ms instead of 10: the same
/// speed, and a peak 20 MiB lower on the largest benchmark book (S=100:
/// 288 -> 266 MiB; the target is under 300 MB). No transparent huge pages:
/// mimalloc asks for them on its arenas, and a 2 MiB page is resident
/// whole however little of it is used (S=100: about 10 MiB less, at the
/// same speed). mimalloc's own option for it is read before `main` runs.
fn tune_allocator() {
    // SAFETY: sets one option of the allocator; takes no pointers.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 1) };
    // SAFETY: prctl with integer arguments only; it fails harmlessly on a
    // kernel without it.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Gives back to the system the memory every thread's heap freed and still
/// holds (the build calls it between reading the book and rendering it).
/// The rayon workers did most of the reading, so each collects its own.
/// At S=100 this lowered the build's peak from 278-301 to 273-279 MiB, and
/// made it steadier.
fn give_back_freed() {
    // SAFETY: mi_collect takes no pointers; it frees nothing in use.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    // SAFETY: as above, for this thread's own heap.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

use clap::{Parser, Subcommand};
use refbook::{diag, say, say_err};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "refbook",
    version,
    about = "Publish a process-improvement model (Markdown + YAML) as a cross-linked reference site with a self-assessment survey.",
    long_about = "Publish a process-improvement model (Markdown + YAML) as a cross-linked reference site with a self-assessment survey.\n\nA book is a folder with book.toml and content/ (model.yaml, areas/, generic/, categories/, pages/, glossary.yaml). `refbook init` writes one to start from.\n\nExit codes: 0 success, 1 the content (or an answer file) has errors, 2 wrong usage."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the book into its build directory (book/ unless book.toml says otherwise)
    Build {
        /// The book's folder (holding book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the site here instead of the book's build directory
        #[arg(short, long, value_name = "OUT")]
        dest_dir: Option<PathBuf>,
        /// Also print how long each phase of the build took
        #[arg(long)]
        timings: bool,
        /// Show at most N errors (and N warnings); all are counted (0: show all)
        #[arg(long, value_name = "N", default_value_t = diag::DEFAULT_MAX_SHOWN)]
        max_errors: usize,
    },
    /// Build, serve on http://127.0.0.1:3000, rebuild on change and reload the browser
    Serve {
        /// The book's folder (holding book.toml)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The port to listen on (0: any free port)
        #[arg(short, long, default_value_t = 3000)]
        port: u16,
        /// The address to listen on; other than loopback, other machines can read the site
        #[arg(short = 'n', long, default_value = "127.0.0.1")]
        hostname: String,
        /// Open the site in a web browser
        #[arg(long)]
        open: bool,
        /// Poll the files for changes instead of native change events
        #[arg(long)]
        poll: bool,
    },
    /// Validate everything a build would, and write nothing
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Show at most N errors (and N warnings); all are counted (0: show all)
        #[arg(long, value_name = "N", default_value_t = diag::DEFAULT_MAX_SHOWN)]
        max_errors: usize,
    },
    /// Write a small working book to start from
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Compare two versions of a model: what was added, removed, renamed and changed
    ///
    /// Each version is a book's folder (its content checked as a build checks it) or a
    /// model.json file that a build wrote. An element is renamed when one of the new
    /// version's elements names its id in `replaces`. Exit codes: 0 compared (whether or
    /// not they differ), 1 a version cannot be read or has errors, 2 wrong usage.
    Diff {
        /// The earlier version: a book's folder or a model.json file
        old: PathBuf,
        /// The later version: a book's folder or a model.json file
        new: PathBuf,
        /// Text for people, or JSON (format `refbook-diff`, version 1) for programs
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
    },
    /// Score answer files exported from the survey against the book, and compare them
    ///
    /// Each file is scored with the survey's scoring rules (scoring.js's `assess`). A bad
    /// file gets diagnostics like content errors (exit 1) and no report is
    /// written. Files are keyed by their respondent (organization, scope,
    /// assessor, date); the assessors of one scope and date are compared
    /// question by question, scopes side by side, and dates one after another.
    Report {
        /// Answer files (JSON or CSV), or folders whose *.json and *.csv files are read
        #[arg(required = true, value_name = "FILES-OR-FOLDERS")]
        inputs: Vec<PathBuf>,
        /// The book's folder (holding book.toml)
        #[arg(long, default_value = ".", value_name = "DIR")]
        book: PathBuf,
        /// What to write: the refbook-report JSON, a CSV sheet (a row per area), a self-contained HTML page, or OSCAL assessment results
        #[arg(long, value_enum, default_value_t = ReportFormat::Json)]
        format: ReportFormat,
        /// Write the report to this file instead of standard output
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// A target capability level for every area (LEVEL) or for one (AREA=LEVEL), over the
        /// answer files' targets; repeatable, an area's own beats the one for every area
        #[arg(long = "target", value_name = "LEVEL|AREA=LEVEL")]
        targets: Vec<refbook::report::Target>,
        /// Which CSV sheet: a row per area, or the roadmap (a row per item to make performed)
        #[arg(long, value_enum, default_value_t = Sheet::Areas)]
        sheet: Sheet,
        /// Order the per-file results by this respondent detail (default: as given)
        #[arg(long, value_enum)]
        by: Option<ReportBy>,
        /// Write a consensus answer file per scope and date with two assessors or more: `min`
        /// takes the lowest answer, `mode` the most frequent (a tie: the lower)
        #[arg(long, value_enum, default_value_t = ReportConsensus::None)]
        consensus: ReportConsensus,
        /// The folder for the consensus files (default: OUT.consensus beside -o OUT); a folder
        /// refbook did not make is used only when empty
        #[arg(long, value_name = "DIR")]
        consensus_out: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Sheet {
    Areas,
    Roadmap,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportBy {
    Organization,
    Scope,
    Assessor,
    Date,
}

#[derive(Clone, Copy, PartialEq, clap::ValueEnum)]
enum ReportConsensus {
    Min,
    Mode,
    None,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum DiffFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Json,
    Csv,
    Html,
    Oscal,
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest_dir,
            timings,
            max_errors,
        } => build(&dir, dest_dir.as_deref(), timings, max_errors),
        Command::Serve {
            dir,
            port,
            hostname,
            open,
            poll,
        } => serve(refbook::serve::Options {
            root: dir,
            hostname,
            port,
            open,
            poll,
        }),
        Command::Check { dir, max_errors } => check(&dir, max_errors),
        Command::Init { dir } => init(&dir),
        Command::Diff { old, new, format } => diff(&old, &new, format),
        Command::Report {
            inputs,
            book,
            format,
            output,
            targets,
            sheet,
            by,
            consensus,
            consensus_out,
        } => {
            use refbook::report::{By, Options, Rule};
            let opts = Options {
                by: by.map(|b| match b {
                    ReportBy::Organization => By::Organization,
                    ReportBy::Scope => By::Scope,
                    ReportBy::Assessor => By::Assessor,
                    ReportBy::Date => By::Date,
                }),
                consensus: match consensus {
                    ReportConsensus::Min => Some(Rule::Min),
                    ReportConsensus::Mode => Some(Rule::Mode),
                    ReportConsensus::None => None,
                },
                targets,
                oscal: matches!(format, ReportFormat::Oscal),
            };
            // The consensus folder: named, or beside the report.
            let folder = consensus_out.or_else(|| {
                output.as_ref().map(|o| {
                    let mut name = o.as_os_str().to_owned();
                    name.push(".consensus");
                    PathBuf::from(name)
                })
            });
            if opts.consensus.is_some() && folder.is_none() {
                say_err!(
                    "error: --consensus writes files: give the report a file (-o OUT) or the consensus a folder (--consensus-out DIR)"
                );
                return ExitCode::from(2);
            }
            report(
                &book,
                &inputs,
                (format, sheet),
                output.as_deref(),
                &opts,
                folder.as_deref(),
            )
        }
    }
}

fn build(dir: &Path, dest: Option<&Path>, timings: bool, max_errors: usize) -> ExitCode {
    let opts = refbook::BuildOptions {
        skip_teardown: true,
        give_back_freed: Some(give_back_freed),
        ..Default::default()
    };
    // Asked before building: a successful build makes it true.
    let kept = if refbook::has_previous_site(dir, dest) {
        "the previous site is untouched"
    } else {
        "nothing was written"
    };
    match refbook::build_with(dir, dest, &opts) {
        Ok(r) => {
            diag::eprint_max(dir, &r.warnings, max_errors);
            let shown = r
                .dest
                .strip_prefix(std::env::current_dir().unwrap_or_default())
                .map(|p| p.to_path_buf())
                .unwrap_or(r.dest.clone());
            say!(
                "built {} pages in {} ms -> {}/",
                r.pages,
                r.elapsed.as_millis(),
                shown.display()
            );
            if timings {
                for p in &r.phases {
                    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
                    let mut line = format!("{:>9.1} ms", ms(p.wall));
                    if let Some(cpu) = p.cpu.filter(|_| p.wall.as_micros() > 0) {
                        // How many cores the phase kept busy on average.
                        let cores = cpu.as_secs_f64() / p.wall.as_secs_f64();
                        line += &format!("  {:>9.1} ms cpu ({cores:.1} cores)", ms(cpu));
                    }
                    if let Some(rss) = p.peak_rss {
                        line += &format!("  peak {:>4} MiB", rss >> 20);
                    }
                    say_err!("{line}  {}", p.name);
                }
            }
            ExitCode::SUCCESS
        }
        Err(refbook::Failure::Content(d)) => {
            let hidden = diag::eprint_max(dir, &d, max_errors);
            say_err!(
                "build failed: {}{}; {kept}",
                diag::summary(&d),
                diag::not_shown(hidden)
            );
            ExitCode::from(1)
        }
        Err(refbook::Failure::Output(e)) => {
            say_err!("error: {e}");
            say_err!("build failed; {kept}");
            ExitCode::from(1)
        }
    }
}

fn serve(opts: refbook::serve::Options) -> ExitCode {
    match refbook::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_err!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(dir: &Path, max_errors: usize) -> ExitCode {
    let (_, diags) = refbook::check_all(dir, None);
    let hidden = diag::eprint_max(dir, &diags, max_errors);
    if diag::has_errors(&diags) {
        say_err!(
            "check failed: {}{}",
            diag::summary(&diags),
            diag::not_shown(hidden)
        );
        ExitCode::from(1)
    } else {
        let warnings = diags.len();
        if warnings == 0 {
            say!("ok: no errors");
        } else {
            say!(
                "ok: no errors, {}{}",
                diag::plural(warnings, "warning"),
                diag::not_shown(hidden)
            );
        }
        ExitCode::SUCCESS
    }
}

fn diff(old: &Path, new: &Path, format: DiffFormat) -> ExitCode {
    let load = |path: &Path| {
        refbook::diff::load(path).map_err(|d| {
            // A book's problems are named inside it; a file's by the name given.
            let base = if path.is_dir() { path } else { Path::new("") };
            diag::eprint(base, &d);
            say_err!("diff failed: {} in {}", diag::summary(&d), path.display());
        })
    };
    let (Ok(o), Ok(n)) = (load(old), load(new)) else {
        return ExitCode::from(1);
    };
    let d = refbook::diff::compare(&o, &n);
    let out = match format {
        DiffFormat::Text => refbook::diff::text(&d),
        DiffFormat::Json => refbook::diff::json(&d),
    };
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    match read_to_its_end(
        stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush()),
    ) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say_err!("error: cannot write to standard output: {e}");
            ExitCode::from(1)
        }
    }
}

fn init(dir: &Path) -> ExitCode {
    match refbook::init::write(dir) {
        Ok(files) => {
            for f in &files {
                say!("  wrote {}", f.display());
            }
            let d = dir.display();
            say!("a new book is in {d}:");
            say!(
                "  refbook serve {d} --open   to preview it while you write (it rebuilds on save)"
            );
            say!("  refbook build {d}          to build the site into {d}/book/");
            if !files.iter().any(|f| f.ends_with(".gitignore")) {
                say!(
                    "{d}/.gitignore exists and was left as it was: add `/book/` to it to keep the built site out of git"
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            say_err!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn report(
    book: &Path,
    inputs: &[PathBuf],
    (format, sheet): (ReportFormat, Sheet),
    out: Option<&Path>,
    opts: &refbook::report::Options,
    consensus_out: Option<&Path>,
) -> ExitCode {
    use refbook::report::{Format, ReportError};
    if sheet == Sheet::Roadmap && !matches!(format, ReportFormat::Csv) {
        say_err!("error: --sheet chooses the CSV sheet: use it with --format csv");
        return ExitCode::from(2);
    }
    // Answer files are named as given, relative to the current folder.
    let here = Path::new("");
    let mut scored = match refbook::report::run(book, inputs, opts) {
        Ok(s) => s,
        Err(e) => {
            let (hidden, code) = match &e {
                ReportError::Book(d) => (diag::eprint(book, d), 1),
                ReportError::Answers(d) => (diag::eprint(here, d), 1),
                ReportError::Usage(d) => (diag::eprint(here, d), 2),
            };
            say_err!(
                "report failed: {e}{}; no report written",
                diag::not_shown(hidden)
            );
            return ExitCode::from(code);
        }
    };
    diag::eprint(book, &scored.book_warnings);
    diag::eprint(here, &scored.warnings);
    if let (Some(_), Some(dir)) = (opts.consensus, consensus_out) {
        if scored.report.consensus.is_empty() {
            say_err!("note: no scope and date has two assessors: no consensus file written");
        } else if let Err(e) = refbook::report::write_consensus(&mut scored.report.consensus, dir) {
            say_err!("error: {e}");
            say_err!("report failed: the consensus files were not written; no report written");
            return ExitCode::from(1);
        } else {
            say_err!(
                "wrote {} to {}",
                diag::plural(scored.report.consensus.len(), "consensus file"),
                dir.display()
            );
        }
    }
    let format = match format {
        ReportFormat::Json => Format::Json,
        ReportFormat::Csv if sheet == Sheet::Roadmap => Format::CsvRoadmap,
        ReportFormat::Csv => Format::Csv,
        ReportFormat::Html => Format::Html,
        ReportFormat::Oscal => Format::Oscal,
    };
    // Written as it is made: a report over many files is never whole in memory.
    let report = &scored.report;
    let written = match out {
        Some(path) => std::fs::File::create(path)
            .and_then(|f| {
                let mut w = std::io::BufWriter::new(f);
                refbook::report::render_to(report, format, &mut w)?;
                std::io::Write::flush(&mut w)
            })
            .map_err(|e| (path.display().to_string(), e)),
        None => {
            let mut w = std::io::BufWriter::new(std::io::stdout().lock());
            let written = refbook::report::render_to(report, format, &mut w)
                .and_then(|()| std::io::Write::flush(&mut w));
            read_to_its_end(written).map_err(|e| ("standard output".to_string(), e))
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err((to, e)) => {
            say_err!("error: cannot write the report to {to}: {e}");
            ExitCode::from(1)
        }
    }
}

/// Standard output closed before all was written is the reader's choice
/// (`refbook diff A B | head`), not a failure: the command ends quietly and
/// successfully, as coreutils' do. Any other failure (a full disk under a
/// redirection) is still one.
fn read_to_its_end(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn allocator_options_are_the_ones_we_mean() {
        // mimalloc 2's default purge delay is 10 ms, and no option next to
        // it defaults to 10: another layout of the enum would show here
        // (tests do not run main, so nothing has set it).
        // SAFETY: reads one option.
        let v = unsafe { libmimalloc_sys::mi_option_get(super::MI_OPTION_PURGE_DELAY) };
        assert_eq!(v, 10, "option 15 is not the purge delay");
    }
}
