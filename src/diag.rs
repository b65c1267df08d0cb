//! Diagnostics: every problem of a run, each with file:line:column, the
//! source line, and a suggestion where one is likely.

use annotate_snippets::{AnnotationKind, Element, Group, Level, Renderer, Snippet};
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// A position in a source file of the book (path relative to the book root).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Loc {
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Loc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.line, self.col)
        }
    }
}

/// Line and column (from 1, the column in characters) of byte `byte` of
/// `text`.
pub fn line_col(text: &str, byte: usize) -> (u32, u32) {
    advance((1, 1), 1, &text[..byte.min(text.len())])
}

/// Where the end of `text` stands when its start stands at `from` (line,
/// column) and every line after its first starts at column `margin`: 1 in
/// a whole file, further in for a text indented inside one (a literal
/// block). Byte offsets become lines and columns here, in one place, so
/// that every file and every kind of text counts them alike.
pub fn advance(from: (u32, u32), margin: u32, text: &str) -> (u32, u32) {
    let bytes = text.as_bytes();
    match memchr::memrchr(b'\n', bytes) {
        Some(last) => (
            from.0 + memchr::memchr_iter(b'\n', bytes).count() as u32,
            margin + text[last + 1..].chars().count() as u32,
        ),
        None => (from.0, from.1 + text.chars().count() as u32),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub severity: Severity,
    pub loc: Loc,
    pub message: String,
    /// How many characters from `loc.col` the problem spans (at least one).
    pub len: u32,
    pub help: Option<String>,
    /// A second place that belongs to the problem (the first of two duplicates).
    /// Boxed: it is rare, and it keeps every `Result<_, Diagnostic>` small.
    pub note: Option<Box<(Loc, String)>>,
}

impl Diagnostic {
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            len: 1,
            help: None,
            note: None,
        }
    }
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(loc, message)
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn maybe_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
    pub fn len(mut self, len: usize) -> Self {
        self.len = len.clamp(1, u32::MAX as usize) as u32;
        self
    }
    pub fn note(mut self, loc: Loc, text: impl Into<String>) -> Self {
        self.note = Some(Box::new((loc, text.into())));
        self
    }
}

/// Looks up the text of source lines, so that a report can show them.
pub trait SourceLines {
    /// Line `line` of `file`, as [`excerpt`] cuts it for column `col`.
    fn line(&self, file: &str, line: u32, col: u32) -> Option<String>;
}

/// How much of a long line a report takes past the column it points at:
/// the renderer shows a window of it around the column.
const PAST_COL: usize = 200;

/// Past this column the line is not shown at all, only the position: each
/// report of a problem there would copy and lay out that much of it, and a
/// 50 MB single-line file with thousands of problems must stay quick.
const MAX_COL: u32 = 20_000;

/// The start of `line` up to a little past column `col`, or nothing when
/// the column is too far along the line to show.
pub fn excerpt(line: &str, col: u32) -> Option<String> {
    if col > MAX_COL {
        return None;
    }
    let keep = col as usize + PAST_COL;
    // Most lines are short: no character count of the whole line.
    if line.len() <= keep {
        return Some(line.to_string());
    }
    let end = line.char_indices().nth(keep).map_or(line.len(), |(i, _)| i);
    Some(line[..end].to_string())
}

/// Reads lines from the files on disk under `root`. Each file is read and
/// indexed once per report, however many diagnostics point into it: a report
/// of thousands of problems in a file of megabytes must not read it thousands
/// of times.
pub struct DiskSources<'a> {
    root: &'a std::path::Path,
    files: RefCell<HashMap<Arc<str>, Option<Indexed>>>,
}

/// A file's text and where each of its lines starts.
struct Indexed {
    text: String,
    starts: Vec<usize>,
}

impl Indexed {
    fn new(bytes: &[u8]) -> Indexed {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Indexed { text, starts }
    }

    fn line(&self, line: u32) -> Option<&str> {
        let i = (line as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some(&self.text[start..end])
    }
}

impl<'a> DiskSources<'a> {
    pub fn new(root: &'a std::path::Path) -> Self {
        DiskSources {
            root,
            files: RefCell::new(HashMap::new()),
        }
    }
}

/// The file name of diagnostics about the command's own options: its one
/// line is the command as typed ([`command_line`]).
pub const COMMAND_LINE: &str = "command line";

/// The arguments of this process, the program named `refbook`.
fn args() -> Vec<String> {
    let mut args: Vec<String> = std::env::args_os()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    if let Some(program) = args.first_mut() {
        *program = "refbook".to_string();
    }
    args
}

/// The command as typed, its arguments joined by spaces.
pub fn command_line() -> String {
    args().join(" ")
}

/// Where the value of the `nth` (from 0) `flag` option is on
/// [`command_line`], given as `--flag VALUE` or `--flag=VALUE`, and its
/// length in characters: so that a bad option is pointed at like a bad field.
pub fn option_loc(flag: &str, nth: usize) -> (Loc, usize) {
    let args = args();
    let (mut col, mut seen) = (1usize, 0usize);
    let mut i = 0;
    while i < args.len() {
        let arg = &args[i];
        let width = arg.chars().count() + 1;
        let value = if arg == flag {
            args.get(i + 1).map(|v| (col + width, v.chars().count()))
        } else {
            (arg.strip_prefix(flag).and_then(|r| r.strip_prefix('=')))
                .map(|v| (col + flag.chars().count() + 1, v.chars().count()))
        };
        if let Some((at, len)) = value {
            if seen == nth {
                let loc = Loc {
                    file: COMMAND_LINE.into(),
                    line: 1,
                    col: at as u32,
                };
                return (loc, len.max(1));
            }
            seen += 1;
        }
        col += width;
        i += 1;
    }
    let loc = Loc {
        file: COMMAND_LINE.into(),
        ..Loc::default()
    };
    (loc, 1)
}

impl SourceLines for DiskSources<'_> {
    fn line(&self, file: &str, line: u32, col: u32) -> Option<String> {
        if line == 0 {
            return None;
        }
        if file == COMMAND_LINE {
            return (line == 1).then(|| excerpt(&command_line(), col)).flatten();
        }
        let mut files = self.files.borrow_mut();
        if !files.contains_key(file) {
            let read = std::fs::read(self.root.join(file)).ok();
            files.insert(file.into(), read.map(|b| Indexed::new(&b)));
        }
        let l = files.get(file)?.as_ref()?.line(line)?;
        let l = l.trim_end_matches('\r');
        let l = if line == 1 {
            l.trim_start_matches('\u{feff}')
        } else {
            l
        };
        excerpt(l, col)
    }
}

/// How many errors, and how many warnings, a report shows unless told
/// otherwise: past the first screenfuls, more of them only bury the first,
/// which are the ones to fix first.
pub const DEFAULT_MAX_SHOWN: usize = 50;

/// Renders diagnostics in the rustc style; `color` for a terminal.
pub fn render(diags: &[Diagnostic], sources: &dyn SourceLines, color: bool) -> String {
    render_max(diags, sources, color, 0).0
}

/// Renders the first `max` errors and the first `max` warnings (0: all),
/// and tells how many it left out.
pub fn render_max(
    diags: &[Diagnostic],
    sources: &dyn SourceLines,
    color: bool,
    max: usize,
) -> (String, usize) {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let (mut errors, mut warnings, mut hidden) = (0usize, 0usize, 0usize);
    let shown = diags.iter().filter(|d| {
        let n = match d.severity {
            Severity::Error => &mut errors,
            Severity::Warning => &mut warnings,
        };
        *n += 1;
        let show = max == 0 || *n <= max;
        hidden += usize::from(!show);
        show
    });
    let mut out = String::new();
    for d in shown {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut groups = Vec::new();
        let title = level.primary_title(d.message.as_str());
        let excerpt = sources.line(&d.loc.file, d.loc.line, d.loc.col);
        groups.push(title.element(snippet(
            &d.loc,
            excerpt.as_ref(),
            d.len,
            AnnotationKind::Primary,
        )));
        let note_excerpt;
        if let Some(note) = &d.note {
            let (nloc, ntext) = &**note;
            note_excerpt = sources.line(&nloc.file, nloc.line, nloc.col);
            let g = Level::NOTE.secondary_title(ntext.as_str());
            groups.push(g.element(snippet(
                nloc,
                note_excerpt.as_ref(),
                1,
                AnnotationKind::Context,
            )));
        }
        if let Some(h) = &d.help {
            groups.push(Group::with_title(Level::HELP.secondary_title(h.as_str())));
        }
        out.push_str(&renderer.render(&groups));
        out.push_str("\n\n");
    }
    (out, hidden)
}

/// The place of a problem: its source line with the problem marked (which
/// gives `--> file:line:col`), or the position alone.
fn snippet<'a>(
    loc: &'a Loc,
    line: Option<&'a String>,
    len: u32,
    kind: AnnotationKind,
) -> Element<'a> {
    match line {
        Some(text) => {
            let (start, end) = char_span(text, loc.col, len);
            Snippet::source(text.as_str())
                .line_start(loc.line as usize)
                .path(&*loc.file)
                .annotation(kind.span(start..end))
                .into()
        }
        None => origin(loc).into(),
    }
}

fn origin(loc: &Loc) -> annotate_snippets::Origin<'_> {
    let o = annotate_snippets::Origin::path(&*loc.file);
    if loc.line == 0 {
        o
    } else {
        o.line(loc.line as usize).char_column(loc.col as usize)
    }
}

/// Byte range in `text` of `len` characters from 1-based column `col`.
fn char_span(text: &str, col: u32, len: u32) -> (usize, usize) {
    let mut idx = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let start = idx
        .nth(col.saturating_sub(1) as usize)
        .unwrap_or(text.len());
    let end = text[start..]
        .char_indices()
        .map(|(i, _)| start + i)
        .chain([text.len()])
        .nth(len.max(1) as usize)
        .unwrap_or(text.len());
    (start, end.max(start))
}

/// The best match for `wanted` among `candidates`, when one is close enough
/// to be a likely typo.
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    let lower = wanted.to_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        if c == wanted {
            continue;
        }
        // A different case is the likeliest slip of all.
        let d = if c.to_lowercase() == lower {
            0
        } else {
            strsim::levenshtein(wanted, c)
        };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether any of `diags` is an error (warnings do not stop a build).
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let mut s = plural(errors, "error");
    if warnings > 0 {
        s.push_str(&format!(", {}", plural(warnings, "warning")));
    }
    s
}

pub fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// Prints diagnostics to stderr, in colour on a terminal unless NO_COLOR,
/// at most [`DEFAULT_MAX_SHOWN`] of each severity. Returns how many it left out.
pub fn eprint(root: &std::path::Path, diags: &[Diagnostic]) -> usize {
    eprint_max(root, diags, DEFAULT_MAX_SHOWN)
}

/// [`eprint`], showing at most `max` errors and `max` warnings (0: all).
pub fn eprint_max(root: &std::path::Path, diags: &[Diagnostic], max: usize) -> usize {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return 0;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let (text, hidden) = render_max(diags, &DiskSources::new(root), color, max);
    {
        use std::io::Write as _;
        let _ = std::io::stderr().lock().write_all(text.as_bytes());
    }
    hidden
}

/// What a summary adds when a report left diagnostics out.
pub fn not_shown(hidden: usize) -> String {
    if hidden == 0 {
        String::new()
    } else {
        format!(" ({hidden} not shown: `--max-errors 0` shows all)")
    }
}

/// One line per problem, `file:line:col: message | help | note file:line:col`,
/// for tests and for tools that read diagnostics.
pub fn short(d: &Diagnostic) -> String {
    let mut s = format!("{}: {}", d.loc, d.message);
    if let Some(h) = &d.help {
        s.push_str(" | ");
        s.push_str(h);
    }
    if let Some(note) = &d.note {
        s.push_str(&format!(" | note {}", note.0));
    }
    s
}

/// "did you mean `x`?" when a candidate is near enough to be the intended one.
pub fn did_you_mean<'a>(
    wanted: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    suggest(wanted, candidates).map(|s| format!("did you mean `{s}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_offsets_become_lines_and_columns_in_characters() {
        let text = "ab\ncé\nx";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 2), (1, 3));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.len()), (3, 2));
        assert_eq!(line_col(text, 99), (3, 2));
        // Inside an indented block, lines after the first start at its margin.
        assert_eq!(advance((4, 7), 3, "one [[A]]"), (4, 16));
        assert_eq!(advance((4, 7), 3, "one\ntwo é "), (5, 9));
    }

    #[test]
    fn suggests_near_names() {
        assert_eq!(
            suggest("statment", ["title", "statement", "notes"]),
            Some("statement")
        );
        assert_eq!(
            suggest("EF-9.1", ["EF-1", "EF-1.1", "COMP-1.1"]),
            Some("EF-1.1")
        );
        assert_eq!(suggest("ef-1.1", ["EF-1.1"]), Some("EF-1.1"));
        assert_eq!(suggest("zzzzzz", ["title", "statement"]), None);
    }

    #[test]
    fn renders_position_source_and_help() {
        struct One;
        impl SourceLines for One {
            fn line(&self, _: &str, _: u32, col: u32) -> Option<String> {
                excerpt("    statment: x", col)
            }
        }
        let d = Diagnostic::error(
            Loc {
                file: "content/areas/EF.md".into(),
                line: 12,
                col: 5,
            },
            "unknown field `statment`",
        )
        .len(8)
        .help("did you mean `statement`?");
        let out = render(&[d], &One, false);
        assert!(out.contains("error: unknown field `statment`"), "{out}");
        assert!(out.contains("content/areas/EF.md:12:5"), "{out}");
        assert!(out.contains("12 |     statment: x"), "{out}");
        assert!(out.contains("^^^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `statement`?"), "{out}");
    }

    fn error_at(file: &str, line: u32, col: u32) -> Diagnostic {
        Diagnostic::error(
            Loc {
                file: file.into(),
                line,
                col,
            },
            format!("problem at {line}:{col}"),
        )
    }

    #[test]
    fn reads_each_file_once_per_report() {
        let dir = crate::output::test_dir("diag");
        std::fs::write(dir.join("a.md"), "\u{feff}one\r\ntwo\nthree").unwrap();
        let sources = DiskSources::new(&dir);
        assert_eq!(sources.line("a.md", 1, 1).as_deref(), Some("one"));
        // What the report showed first, it keeps showing: the file is not read again.
        std::fs::write(dir.join("a.md"), "changed").unwrap();
        assert_eq!(sources.line("a.md", 2, 1).as_deref(), Some("two"));
        assert_eq!(sources.line("a.md", 3, 1).as_deref(), Some("three"));
        assert_eq!(sources.line("a.md", 4, 1), None);
        assert_eq!(sources.line("a.md", 0, 1), None);
        assert_eq!(sources.line("missing.md", 1, 1), None);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn long_lines_are_cut_past_the_column_and_far_columns_not_shown() {
        let line = "x".repeat(100_000);
        assert_eq!(excerpt(&line, 10).unwrap().len(), 10 + PAST_COL);
        assert_eq!(excerpt(&line, MAX_COL + 1), None);
        assert_eq!(excerpt("short", 3).as_deref(), Some("short"));
        struct Long;
        impl SourceLines for Long {
            fn line(&self, _: &str, _: u32, col: u32) -> Option<String> {
                excerpt(
                    &format!("{}[[X]]{}", "a ".repeat(3000), "b".repeat(5000)),
                    col,
                )
            }
        }
        let out = render(&[error_at("f.md", 7, 6001).len(5)], &Long, false);
        assert!(out.contains("--> f.md:7:6001"), "{out}");
        assert!(out.contains("[[X]]"), "{out}");
        let out = render(&[error_at("f.md", 7, MAX_COL + 5)], &Long, false);
        assert!(
            out.contains(&format!("--> f.md:7:{}", MAX_COL + 5)),
            "{out}"
        );
    }

    #[test]
    fn shows_the_first_errors_and_counts_the_rest() {
        struct None_;
        impl SourceLines for None_ {
            fn line(&self, _: &str, _: u32, _: u32) -> Option<String> {
                None
            }
        }
        let mut diags: Vec<Diagnostic> = (1..=5).map(|i| error_at("f.md", i, 1)).collect();
        diags.insert(1, Diagnostic::warning(Loc::default(), "a warning"));
        let (out, hidden) = render_max(&diags, &None_, false, 2);
        assert_eq!(hidden, 3);
        assert_eq!(out.matches("error: ").count(), 2, "{out}");
        assert!(out.contains("problem at 1:1") && out.contains("problem at 2:1"));
        assert!(out.contains("warning: a warning"), "{out}");
        let (out, hidden) = render_max(&diags, &None_, false, 0);
        assert_eq!((hidden, out.matches("error: ").count()), (0, 5));
        assert_eq!(not_shown(0), "");
        assert!(not_shown(3).contains("3 not shown"));
    }
}
