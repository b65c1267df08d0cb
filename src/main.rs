//! The command line: a thin layer over the library.

use clap::{Parser, Subcommand};
use refbook::diag;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "refbook",
    version,
    about = "Publish a process-improvement model (Markdown + YAML) as a cross-linked reference site with a self-assessment survey.",
    long_about = "Publish a process-improvement model (Markdown + YAML) as a cross-linked reference site with a self-assessment survey.\n\nA book is a folder with book.toml and content/ (model.yaml, areas/, generic/, categories/, pages/, glossary.yaml). `refbook init` writes one to start from.\n\nExit codes: 0 success, 1 the content has errors, 2 wrong usage."
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
    },
    /// Write a small working book to start from
    Init {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            dir,
            dest_dir,
            timings,
        } => build(&dir, dest_dir.as_deref(), timings),
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
        Command::Check { dir } => check(&dir),
        Command::Init { dir } => init(&dir),
    }
}

fn build(dir: &Path, dest: Option<&Path>, timings: bool) -> ExitCode {
    let opts = refbook::BuildOptions {
        skip_teardown: true,
        ..Default::default()
    };
    match refbook::build_with(dir, dest, &opts) {
        Ok(r) => {
            diag::eprint(dir, &r.warnings);
            let shown = r
                .dest
                .strip_prefix(std::env::current_dir().unwrap_or_default())
                .map(|p| p.to_path_buf())
                .unwrap_or(r.dest.clone());
            println!(
                "built {} pages in {} ms -> {}/",
                r.pages,
                r.elapsed.as_millis(),
                shown.display()
            );
            if timings {
                for p in &r.phases {
                    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
                    match p.cpu {
                        // How many cores the phase kept busy on average.
                        Some(cpu) if p.wall.as_micros() > 0 => eprintln!(
                            "{:>9.1} ms  {:>9.1} ms cpu ({:.1} cores)  {}",
                            ms(p.wall),
                            ms(cpu),
                            cpu.as_secs_f64() / p.wall.as_secs_f64(),
                            p.name
                        ),
                        _ => eprintln!("{:>9.1} ms  {}", ms(p.wall), p.name),
                    }
                }
            }
            ExitCode::SUCCESS
        }
        Err(refbook::Failure::Content(d)) => {
            diag::eprint(dir, &d);
            eprintln!(
                "build failed: {}; the previous site is untouched",
                diag::summary(&d)
            );
            ExitCode::from(1)
        }
        Err(refbook::Failure::Output(msg)) => {
            eprintln!("error: {msg}");
            eprintln!("build failed; the previous site is untouched");
            ExitCode::from(1)
        }
    }
}

fn serve(opts: refbook::serve::Options) -> ExitCode {
    match refbook::serve::run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn check(dir: &Path) -> ExitCode {
    let (book, mut diags) = refbook::check(dir);
    if let Some(b) = &book {
        // Templates are part of what a build needs.
        let _ = refbook::theme::load(dir, b.model.book.theme.as_deref(), &mut diags);
    }
    diag::eprint(dir, &diags);
    if diag::has_errors(&diags) {
        eprintln!("check failed: {}", diag::summary(&diags));
        ExitCode::from(1)
    } else {
        println!("ok: no errors ({})", diag::summary(&diags));
        ExitCode::SUCCESS
    }
}

fn init(dir: &Path) -> ExitCode {
    match refbook::init::write(dir) {
        Ok(files) => {
            for f in &files {
                println!("  wrote {}", f.display());
            }
            println!(
                "a new book is in {}: run `refbook build {}`",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}
