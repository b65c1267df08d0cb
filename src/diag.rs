//! Diagnostics: every problem of a run, each with file:line:column, the
//! source line, and a suggestion where one is likely.

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
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
    fn line(&self, file: &str, line: u32) -> Option<String>;
}

/// Reads lines from the files on disk under `root`.
pub struct DiskSources<'a>(pub &'a std::path::Path);
impl SourceLines for DiskSources<'_> {
    fn line(&self, file: &str, line: u32) -> Option<String> {
        if line == 0 {
            return None;
        }
        let bytes = std::fs::read(self.0.join(file)).ok()?;
        let text = String::from_utf8_lossy(&bytes);
        let l = text.split('\n').nth(line as usize - 1)?;
        let l = l.trim_end_matches('\r').trim_start_matches('\u{feff}');
        // A 50 MB single-line file must not end up in a terminal.
        Some(l.chars().take(400).collect())
    }
}

/// Renders diagnostics in the rustc style; `color` for a terminal.
pub fn render(diags: &[Diagnostic], sources: &dyn SourceLines, color: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for d in diags {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path: &str = &d.loc.file;
        let line_text = sources.line(&d.loc.file, d.loc.line);
        let mut groups = Vec::new();
        let title = level.primary_title(d.message.as_str());
        let main = match &line_text {
            Some(text) => {
                let (start, end) = char_span(text, d.loc.col, d.len);
                title.element(
                    Snippet::source(text.as_str())
                        .line_start(d.loc.line as usize)
                        .path(path)
                        .annotation(AnnotationKind::Primary.span(start..end)),
                )
            }
            None => title.element(origin(&d.loc)),
        };
        groups.push(main);
        let note_text;
        let note_line;
        if let Some(note) = &d.note {
            let (nloc, ntext) = &**note;
            note_text = nloc.file.to_string();
            note_line = sources.line(&nloc.file, nloc.line);
            let g = Level::NOTE.secondary_title(ntext.as_str());
            groups.push(match &note_line {
                Some(text) => {
                    let (start, end) = char_span(text, nloc.col, 1);
                    g.element(
                        Snippet::source(text.as_str())
                            .line_start(nloc.line as usize)
                            .path(note_text.as_str())
                            .annotation(AnnotationKind::Context.span(start..end)),
                    )
                }
                None => g.element(origin(nloc)),
            });
        }
        if let Some(h) = &d.help {
            groups.push(Group::with_title(Level::HELP.secondary_title(h.as_str())));
        }
        out.push_str(&renderer.render(&groups));
        out.push_str("\n\n");
    }
    out
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

/// Prints diagnostics to stderr, in colour on a terminal unless NO_COLOR.
pub fn eprint(root: &std::path::Path, diags: &[Diagnostic]) {
    use std::io::IsTerminal;
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render(diags, &DiskSources(root), color));
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
            fn line(&self, _: &str, _: u32) -> Option<String> {
                Some("    statment: x".into())
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
}
