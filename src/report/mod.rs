//! `refbook report`: answer files scored against a book with the survey's
//! rules ([`crate::scoring`], which the golden vectors hold to what
//! scoring.js's `assess` computes in the browser), written as the format page's
//! `refbook-report` JSON, as CSV or as a self-contained HTML page.
//!
//! The book is loaded and resolved as `check` does; the survey data is the
//! very data the site's `assets/survey-data.js` holds (made by the same
//! code), so the report scores what the browser scores. Answer files are read
//! by [`crate::answers`]: a bad file stops the report with every problem of
//! every file, like content errors.

mod consensus;
mod csp;
mod history;
mod matrix;
mod oscal;
mod page;
mod page_team;
mod roadmap;
mod sheet;
mod summary;
mod team;

pub use consensus::{ConsensusError, ConsensusFile, ConsensusRefusal, Rule, write_consensus};
pub use history::{DatePoint, History};
pub use matrix::{Matrix, MatrixRow};
pub use summary::{Given, Kept};
pub use team::{By, Compared, Team};

pub use roadmap::{BadTarget, Target, check_targets};

use crate::answers::{self, Respondent};
use crate::diag::{Diagnostic, Loc, has_errors};
use crate::scoring::{AreaRoadmap, Status, Survey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use summary::{Index, Names};

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// The areas sheet: a row per area.
    Csv,
    /// The roadmap sheet: a row per item to make performed.
    CsvRoadmap,
    Html,
    /// OSCAL assessment results: a result per answer file.
    Oscal,
}

/// Why there is no report.
#[derive(Debug)]
pub enum ReportError {
    /// The book has errors, or no survey: its diagnostics (paths relative
    /// to the book).
    Book(Vec<Diagnostic>),
    /// Answer files that cannot be scored, or none to score: every problem
    /// of every file, warnings included (paths as given).
    Answers(Vec<Diagnostic>),
    /// A `--target` the model has no area or level for (a usage error).
    Usage(Vec<Diagnostic>),
}

impl std::fmt::Display for ReportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (what, d) = match self {
            ReportError::Book(d) => ("the book", d),
            ReportError::Answers(d) => ("the answer files", d),
            ReportError::Usage(d) => ("the command line", d),
        };
        write!(f, "{} in {what}", crate::diag::summary(d))
    }
}

impl std::error::Error for ReportError {}

/// A report made, with the warnings met on the way.
pub struct Scored {
    pub report: Report,
    /// The book's warnings (paths relative to the book).
    pub book_warnings: Vec<Diagnostic>,
    /// The answer files' warnings (paths as given).
    pub warnings: Vec<Diagnostic>,
}

/// The `refbook-report` JSON of the format page. Fields may be added; those
/// there keep their names and meaning.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub format: &'static str,
    pub version: u32,
    pub model: String,
    pub model_version: Option<String>,
    pub title: String,
    pub assessments: Vec<Assessment>,
    /// The respondent detail the assessments are ordered by (null: as given).
    pub by: Option<By>,
    /// Every (organization, scope, date), its assessors side by side.
    pub teams: Vec<Team>,
    /// Scope x area at each scope's latest date.
    pub matrix: Matrix,
    /// Per (organization, scope), its dates.
    pub history: Vec<History>,
    /// The consensus answer files, with `--consensus min|mode`.
    pub consensus: Vec<ConsensusFile>,
    /// The capability levels (for the HTML page's legend).
    pub levels: Vec<LevelName>,
    /// The survey's scale and threshold, for the team views.
    pub scale: Vec<i64>,
    pub performed_at: i64,
    /// The book theme's stylesheets (refbook.css, survey.css), which the
    /// HTML page holds.
    #[serde(skip)]
    pub theme_css: String,
    /// The survey's questions in model order (for the CSV's question rows).
    #[serde(skip)]
    questions: Vec<summary::QuestionInfo>,
    /// Question titles by id (for the roadmap's sheet and page).
    #[serde(skip)]
    pub titles: HashMap<String, String>,
    /// The survey data and each file's answers as JSON, for OSCAL
    /// ([`Options::oscal`]; else empty).
    #[serde(skip)]
    oscal: oscal::Kept,
}

/// One answer file, scored.
#[derive(Debug, Clone, Serialize)]
pub struct Assessment {
    pub file: String,
    pub respondent: Respondent,
    /// The format version of the answer file.
    pub answers_version: i64,
    /// `None`: every area.
    pub areas_in_scope: Option<Vec<String>>,
    pub areas: Vec<AreaResult>,
    /// The practices answered N/A in the areas in scope, with their reasons.
    pub not_applicable: Vec<NotApplicable>,
    /// The evidence given for questions of the areas in scope.
    pub evidence: Vec<EvidenceRef>,
    /// The answers scoring counts and the notes, in model order.
    #[serde(skip)]
    pub kept: Vec<Kept>,
    /// Per area with a target: what each level up to it needs
    /// ([`crate::scoring::roadmap`]), with the file's plan in its items.
    pub roadmap: Vec<AreaRoadmap>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaResult {
    pub id: String,
    pub status: Status,
    pub level: Option<i64>,
    pub target: Option<i64>,
    /// Practices performed, of the applicable ones (unanswered ones count
    /// as not performed).
    pub performed: usize,
    pub applicable: usize,
    pub name: String,
    pub category: String,
    pub level_name: Option<String>,
    /// The area's practices, those answered and those answered N/A.
    pub practices: usize,
    pub answered: usize,
    pub na: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NotApplicable {
    pub id: String,
    pub reason: String,
    pub area: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRef {
    pub id: String,
    pub area: String,
    pub href: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LevelName {
    pub level: i64,
    #[serde(default)]
    pub name: String,
}

/// What to make beside the scores.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The respondent detail the assessments are ordered by; `None`: as given.
    pub by: Option<By>,
    /// How a consensus of several assessors is made; `None`: none is.
    pub consensus: Option<Rule>,
    /// Targets from the command line, over each file's own.
    pub targets: Vec<Target>,
    /// Keep what OSCAL assessment results need (each file's answers).
    pub oscal: bool,
}

/// Scores every answer file of `inputs` (files, or folders whose answer
/// files are read) against the book at `book`, and compares them: teams of
/// assessors, the scope x area matrix and the dates of each scope.
///
/// Files are read and summarised one at a time: only the summaries
/// ([`Assessment`]) stay, so memory grows with them, not with the texts.
pub fn run(book: &Path, inputs: &[PathBuf], opts: &Options) -> Result<Scored, ReportError> {
    let (survey_json, theme_css, book_warnings) = survey_of(book)?;
    let mut diags = Vec::new();
    let files = answer_files(inputs, &mut diags)
        .into_iter()
        .map(|(path, label)| Source::Path(path, label))
        .collect();
    let mut scored = score(&survey_json, book, files, diags, opts)?;
    scored.report.theme_css = theme_css;
    scored.book_warnings = book_warnings;
    Ok(scored)
}

/// As [`run`], over answer files' texts (`(name, text)`; a name ending in
/// `.csv` is read as CSV) against survey data as the site emits it: the
/// golden vectors of `tests/team/` run the team rules through here.
pub fn run_texts(
    survey_json: &serde_json::Value,
    texts: &[(String, String)],
    opts: &Options,
) -> Result<Scored, ReportError> {
    let files = texts
        .iter()
        .map(|(name, text)| Source::Text(name, text))
        .collect();
    score(survey_json, Path::new(""), files, Vec::new(), opts)
}

/// An answer file to read: on disk, or its text.
enum Source<'a> {
    Path(PathBuf, String),
    Text(&'a str, &'a str),
}

impl Source<'_> {
    fn label(&self) -> &str {
        match self {
            Source::Path(_, label) => label,
            Source::Text(name, _) => name,
        }
    }

    fn read(&self, survey: &Survey) -> Result<answers::Read, answers::Invalid> {
        match self {
            Source::Path(path, label) => answers::read_path(path, label, survey),
            Source::Text(name, text) if answers::is_csv(Path::new(name)) => {
                answers::read_csv(text, name, survey)
            }
            Source::Text(name, text) => answers::read(text, name, survey),
        }
    }
}

/// Reads and summarises `files` one at a time against the survey data of
/// the book at `book` (named in its diagnostics), then compares them.
fn score(
    survey_json: &serde_json::Value,
    book: &Path,
    files: Vec<Source>,
    mut diags: Vec<Diagnostic>,
    opts: &Options,
) -> Result<Scored, ReportError> {
    let survey: Survey = serde_json::from_value(survey_json.clone())
        .map_err(|e| ReportError::Book(vec![no_survey(book, &e.to_string())]))?;
    let names: Names = serde_json::from_value(survey_json.clone())
        .map_err(|e| ReportError::Book(vec![no_survey(book, &e.to_string())]))?;
    let usage = check_targets(&survey, &opts.targets);
    if !usage.is_empty() {
        return Err(ReportError::Usage(usage));
    }
    let index = Index::new(&survey, &names);
    let several = files.len() > 1;
    let mut assessments = Vec::with_capacity(files.len());
    let mut keys = team::Keys::default();
    let mut kept_oscal = oscal::Kept::default();
    for source in &files {
        let label = source.label();
        match source.read(&survey) {
            Ok(mut r) => {
                diags.extend(r.warnings);
                let asked = |id: &str| index.has_question(id);
                let moves = answers::renames::apply(&survey.renames, asked, &mut r.file);
                diags.extend(answers::renames::diagnostics(label, &moves));
                roadmap::apply_targets(&mut r.file.scope, &survey, &opts.targets);
                let path = match source {
                    Source::Path(path, _) => path.as_path(),
                    Source::Text(..) => Path::new(""),
                };
                let at = team::Place {
                    label,
                    path,
                    known: r.file.respondent_at,
                };
                keys.add(&r.file.respondent, at, several, &mut diags);
                if opts.oscal {
                    kept_oscal.files.push(oscal::file_json(&r.file));
                }
                let a = summary::assessment(&survey, &names, &index, label.to_string(), r.file);
                assessments.push(a);
            }
            Err(answers::Invalid(d)) => diags.extend(d),
        }
    }
    drop(files);
    if has_errors(&diags) {
        return Err(ReportError::Answers(diags));
    }
    if opts.oscal {
        kept_oscal.survey = survey_json.clone();
    }
    team::order(&mut assessments, opts.by);
    let teams = team::teams(&assessments, &index);
    let matrix = matrix::matrix(&assessments, &names);
    let history = history::history(&survey, &index, &assessments);
    let consensus = match opts.consensus {
        Some(rule) => consensus::files(&survey, &index, &assessments, &teams, rule),
        None => Vec::new(),
    };
    let report = Report {
        format: "refbook-report",
        version: 1,
        model: survey.model.clone(),
        model_version: survey.model_version.clone(),
        title: names.title,
        assessments,
        by: opts.by,
        teams,
        matrix,
        history,
        consensus,
        levels: names.levels,
        scale: index.scale.clone(),
        performed_at: survey.performed_at,
        theme_css: String::new(),
        titles: index
            .questions
            .iter()
            .map(|q| (q.id.to_string(), q.title.to_string()))
            .collect(),
        questions: index.questions.clone(),
        oscal: kept_oscal,
    };
    Ok(Scored {
        report,
        book_warnings: Vec::new(),
        warnings: diags,
    })
}

/// The report in `format`, as text.
pub fn render(report: &Report, format: Format) -> String {
    let mut out = Vec::new();
    // Writing to memory fails only with the memory.
    let _ = render_to(report, format, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes the report in `format` to `w` as it is made, so that the output
/// is never whole in memory (give a buffered writer).
pub fn render_to(
    report: &Report,
    format: Format,
    w: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *w, report)?;
            w.write_all(b"\n")
        }
        Format::Csv => sheet::csv(report, w),
        Format::CsvRoadmap => w.write_all(roadmap::csv(report).as_bytes()),
        Format::Html => page::html(report, w),
        Format::Oscal => w.write_all(oscal::render(&report.oscal).as_bytes()),
    }
}

/// The book, checked as `check` checks it: its survey data, and its
/// theme's stylesheets.
fn survey_of(book: &Path) -> Result<(serde_json::Value, String, Vec<Diagnostic>), ReportError> {
    let (resolved, mut diags) = crate::check(book);
    let Some(resolved) = resolved else {
        return Err(ReportError::Book(diags));
    };
    let Some(theme) = crate::theme::load_for(book, &resolved.model.book, &mut diags) else {
        return Err(ReportError::Book(diags));
    };
    let mut css = String::new();
    for name in ["refbook.css", "survey.css"] {
        if let Some((_, bytes)) = theme.statics.iter().find(|(n, _)| n == name) {
            css.push_str(&String::from_utf8_lossy(bytes));
            css.push('\n');
        }
    }
    let site = crate::render::Site::new(&resolved);
    match site.survey_json() {
        Some(Ok(v)) => Ok((v, css, diags)),
        Some(Err(e)) => Err(ReportError::Book(vec![no_survey(book, &e.to_string())])),
        None => Err(ReportError::Book(vec![no_survey(
            book,
            "its model.yaml has no `survey`",
        )])),
    }
}

fn no_survey(book: &Path, why: &str) -> Diagnostic {
    let loc = Loc {
        file: book.display().to_string().into(),
        ..Loc::default()
    };
    Diagnostic::error(
        loc,
        format!("the book has no survey to score answers against: {why}"),
    )
}

/// The files named, and the `*.json` and `*.csv` files of the folders named (sorted by
/// name), each with the name diagnostics give it.
fn answer_files(inputs: &[PathBuf], diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    for input in inputs {
        let label = input.display().to_string();
        if !input.is_dir() {
            out.push((input.clone(), label));
            continue;
        }
        let loc = Loc {
            file: label.clone().into(),
            ..Loc::default()
        };
        let mut found: Vec<PathBuf> = match std::fs::read_dir(input) {
            Ok(entries) => entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && (answers::is_csv(p)
                            || p.extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("json")))
                })
                .collect(),
            Err(e) => {
                diags.push(Diagnostic::error(
                    loc,
                    format!("cannot read the folder: {e}"),
                ));
                continue;
            }
        };
        if found.is_empty() {
            let d = Diagnostic::error(loc, "no answer files (*.json, *.csv) in this folder");
            diags.push(d.help("export answers from the survey page as JSON or CSV"));
        }
        found.sort();
        out.extend(found.into_iter().map(|p| {
            let label = p.display().to_string();
            (p, label)
        }));
    }
    out
}
