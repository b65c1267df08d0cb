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

mod page;
mod roadmap;
mod sheet;

pub use roadmap::{Target, check_targets};

use crate::answers::{self, Respondent};
use crate::diag::{Diagnostic, Loc, has_errors};
use crate::scoring::{self, AreaRoadmap, Status, Survey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    /// The areas sheet: a row per area.
    Csv,
    /// The roadmap sheet: a row per item to make performed.
    CsvRoadmap,
    Html,
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
    /// The capability levels (for the HTML page's legend).
    #[serde(skip)]
    pub levels: Vec<LevelName>,
    /// Question titles by id (for the roadmap's sheet and page).
    #[serde(skip)]
    pub titles: HashMap<String, String>,
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
    /// Per area with a target: what each level up to it needs
    /// ([`scoring::roadmap`]), with the file's plan in its items.
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

/// What the report shows beside the scores, from the same survey data.
#[derive(Debug, Default, Deserialize)]
struct Names {
    #[serde(default)]
    title: String,
    #[serde(default)]
    levels: Vec<LevelName>,
    #[serde(default)]
    areas: Vec<NamedArea>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedArea {
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    objectives: Vec<NamedSet<NamedQuestion>>,
    #[serde(default)]
    goals: Vec<NamedSet<NamedQuestion>>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedSet<Q> {
    #[serde(default, alias = "questions")]
    practices: Vec<Q>,
}

#[derive(Debug, Default, Deserialize)]
struct NamedQuestion {
    id: String,
    #[serde(default)]
    title: String,
}

/// Scores every answer file of `inputs` (files, or folders whose `*.json`
/// and `*.csv` files are read) against the book at `book`, with `targets` over each
/// file's own.
pub fn run(book: &Path, inputs: &[PathBuf], targets: &[Target]) -> Result<Scored, ReportError> {
    let (survey_json, book_warnings) = survey_of(book)?;
    let survey: Survey = serde_json::from_value(survey_json.clone())
        .map_err(|e| ReportError::Book(vec![no_survey(book, &e.to_string())]))?;
    let names: Names = serde_json::from_value(survey_json)
        .map_err(|e| ReportError::Book(vec![no_survey(book, &e.to_string())]))?;
    let usage = check_targets(&survey, targets);
    if !usage.is_empty() {
        return Err(ReportError::Usage(usage));
    }
    let mut diags = Vec::new();
    let files = answer_files(inputs, &mut diags);
    let mut read = Vec::with_capacity(files.len());
    for (path, label) in &files {
        match answers::read_path(path, label, &survey) {
            Ok(mut r) => {
                diags.extend(r.warnings);
                roadmap::apply_targets(&mut r.file.scope, &survey, targets);
                read.push((label.clone(), r.file));
            }
            Err(answers::Invalid(d)) => diags.extend(d),
        }
    }
    if has_errors(&diags) {
        return Err(ReportError::Answers(diags));
    }
    let titles = titles(&names);
    let assessments = read
        .into_iter()
        .map(|(file, f)| assessment(&survey, &names, &titles, file, f))
        .collect();
    let owned_titles = titles
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let report = Report {
        format: "refbook-report",
        version: 1,
        model: survey.model.clone(),
        model_version: survey.model_version.clone(),
        title: names.title,
        assessments,
        levels: names.levels,
        titles: owned_titles,
    };
    Ok(Scored {
        report,
        book_warnings,
        warnings: diags,
    })
}

/// Writes the report in `format`.
pub fn render(report: &Report, format: Format) -> String {
    match format {
        Format::Json => {
            let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Csv => sheet::csv(report),
        Format::CsvRoadmap => roadmap::csv(report),
        Format::Html => page::html(report),
    }
}

/// The book, checked as `check` checks it, and its survey data.
fn survey_of(book: &Path) -> Result<(serde_json::Value, Vec<Diagnostic>), ReportError> {
    let (resolved, diags) = crate::check(book);
    let Some(resolved) = resolved else {
        return Err(ReportError::Book(diags));
    };
    let site = crate::render::Site::new(&resolved);
    match site.survey_json() {
        Some(Ok(v)) => Ok((v, diags)),
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

/// Question titles by id.
fn titles(names: &Names) -> HashMap<&str, &str> {
    let mut out = HashMap::new();
    for a in &names.areas {
        let sets = a.objectives.iter().chain(&a.goals);
        for q in sets.flat_map(|s| &s.practices) {
            out.entry(q.id.as_str()).or_insert(q.title.as_str());
        }
    }
    out
}

/// One file scored: every area, with the N/A answers and the evidence of
/// the areas in scope.
fn assessment(
    survey: &Survey,
    names: &Names,
    titles: &HashMap<&str, &str>,
    file: String,
    f: answers::AnswerFile,
) -> Assessment {
    let scores = scoring::assess(survey, &f.answers, &f.scope);
    let roadmap = roadmap::planned(survey, &f.answers, &f.scope, &f.plan);
    let level_name = |l: i64| {
        names
            .levels
            .iter()
            .find(|n| n.level == l)
            .map(|n| n.name.clone())
    };
    let mut areas = Vec::with_capacity(scores.len());
    let mut not_applicable = Vec::new();
    for s in &scores {
        // The later area of a code given twice, as scoring keeps it.
        let named = names.areas.iter().rev().find(|a| a.code == s.code);
        areas.push(AreaResult {
            id: s.code.clone(),
            status: s.status,
            level: s.level,
            target: s.target,
            performed: s.practices.performed,
            applicable: s.practices.applicable,
            name: named.map(|a| a.name.clone()).unwrap_or_default(),
            category: named.map(|a| a.category.clone()).unwrap_or_default(),
            level_name: s.level.and_then(level_name),
            practices: s.practices.total,
            answered: s.practices.answered,
            na: s.practices.na,
        });
        if s.status != Status::OutOfScope {
            not_applicable.extend(s.not_applicable.iter().map(|n| {
                NotApplicable {
                    id: n.id.clone(),
                    reason: n.reason.clone(),
                    area: s.code.clone(),
                    title: titles
                        .get(n.id.as_str())
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                }
            }));
        }
    }
    let in_scope = |area: &str| {
        scores
            .iter()
            .any(|s| s.code == area && s.status != Status::OutOfScope)
    };
    // In model order.
    let mut evidence = Vec::new();
    for a in names.areas.iter().filter(|a| in_scope(&a.code)) {
        let questions = a
            .objectives
            .iter()
            .chain(&a.goals)
            .flat_map(|s| &s.practices);
        for q in questions {
            let refs = f.evidence.get(&q.id).into_iter().flatten();
            evidence.extend(refs.map(|e| EvidenceRef {
                id: q.id.clone(),
                area: a.code.clone(),
                href: e.href.clone(),
                description: e.description.clone(),
            }));
        }
    }
    Assessment {
        file,
        respondent: f.respondent,
        answers_version: f.version,
        areas_in_scope: f.scope.areas_in_scope,
        areas,
        not_applicable,
        evidence,
        roadmap,
    }
}
