//! Themes: the built-in default, overridden file by file by a book's own.

use crate::diag::{Diagnostic, Loc};
use crate::fence::{Fence, rel_path};
use crate::model::BookConfig;
use std::path::Path;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $name)))),*]
    };
}

/// The default theme, compiled into the tool so that it needs no install.
pub const DEFAULT: &[(&str, &str)] = embed![
    "templates/base.html",
    "templates/index.html",
    "templates/category.html",
    "templates/area.html",
    "templates/objective.html",
    "templates/practice.html",
    "templates/goal.html",
    "templates/generic_practice.html",
    "templates/glossary.html",
    "templates/page.html",
    "templates/print.html",
    "templates/print_area.html",
    "templates/survey.html",
    "templates/survey_area.html",
    "templates/results.html",
    "templates/worksheets.html",
    "templates/worksheet.html",
    "templates/worksheet_body.html",
    "templates/question.html",
    "templates/keyboard_help.html",
    "templates/survey_questions.html",
    "templates/backrefs.html",
    "templates/macros.html",
    "templates/404.html",
    "templates/changes.html",
    "templates/redirect.html",
    "templates/notices.html",
    "static/refbook.css",
    "static/refbook.js",
    "static/search.js",
    "static/scoring.js",
    "static/survey-base.js",
    "static/survey-store.js",
    "static/survey-migrate.js",
    "static/survey-form.js",
    "static/survey-evidence.js",
    "static/survey-nav.js",
    "static/survey-keys.js",
    "static/survey-results.js",
    "static/survey-csv.js",
    "static/survey-oscal.js",
    "static/survey-targets.js",
    "static/survey-roadmap.js",
    "static/survey-compare.js",
    "static/survey-history.js",
    "static/team.js",
    "static/survey-team.js",
    "static/survey-io.js",
    "static/survey-print.js",
    "static/whole-parts.js",
    "static/survey.css",
];

pub const BUILTIN_PREFIX: &str = "builtin:default/";

pub struct Theme {
    pub tera: tera::Tera,
    /// Static files: output name -> bytes.
    pub statics: Vec<(String, Vec<u8>)>,
}

/// Loads templates and static files; problems go to `diags`. Files that
/// symbolic links lead to outside the book are refused.
pub fn load(root: &Path, name: Option<&str>, diags: &mut Vec<Diagnostic>) -> Option<Theme> {
    load_fenced(root, name, &Fence::new(root, false), diags)
}

/// The theme a book's settings name, with its `allow-outside-links`.
pub fn load_for(root: &Path, cfg: &BookConfig, diags: &mut Vec<Diagnostic>) -> Option<Theme> {
    let fence = Fence::new(root, cfg.allow_outside_links);
    load_fenced(root, cfg.theme.as_deref(), &fence, diags)
}

fn load_fenced(
    root: &Path,
    name: Option<&str>,
    fence: &Fence,
    diags: &mut Vec<Diagnostic>,
) -> Option<Theme> {
    let name = name.unwrap_or("default");
    if !crate::config::is_theme_name(name) {
        // Not a folder name: book.toml's check has said so.
        return None;
    }
    let dir = root.join("themes").join(name);
    let book_dir = if dir.is_dir() { Some(dir) } else { None };
    if book_dir.is_none() && name != "default" {
        let mut available = vec!["default".to_string()];
        if let Ok(rd) = std::fs::read_dir(root.join("themes")) {
            available.extend(
                rd.flatten()
                    .filter(|e| e.path().is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned()),
            );
        }
        diags.push(
            Diagnostic::error(
                Loc {
                    file: "book.toml".into(),
                    line: 0,
                    col: 0,
                },
                format!("theme `{name}` not found: there is no folder themes/{name}"),
            )
            .help(format!("themes available: {}", available.join(", "))),
        );
        return None;
    }
    let user_prefix = format!("themes/{name}/templates/");
    let mut tera = tera::Tera::new();
    tera.set_fallback_prefixes([user_prefix.clone(), BUILTIN_PREFIX.to_string()])
        .expect("no templates added yet");
    let mut templates: Vec<(String, String)> = Vec::new();
    let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
    for (path, text) in DEFAULT {
        if let Some(t) = path.strip_prefix("templates/") {
            templates.push((format!("{BUILTIN_PREFIX}{t}"), (*text).to_string()));
        } else if let Some(s) = path.strip_prefix("static/") {
            statics.push((s.to_string(), text.as_bytes().to_vec()));
        }
    }
    if let Some(dir) = &book_dir {
        let files = (&mut templates, &mut statics);
        read_book_theme(root, dir, &user_prefix, fence, files, diags);
    }
    // Tera finds a loop of includes only when a page renders through it,
    // and then names templates by their internal names: found here, `check`
    // reports it too, at the include that closes the loop.
    let loops = include_loops(&templates, &[user_prefix.as_str(), BUILTIN_PREFIX]);
    if !loops.is_empty() {
        diags.extend(loops);
        return None;
    }
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.push(template_error(&e));
        return None;
    }
    Some(Theme { tera, statics })
}

/// The templates (by name) and static files (by their name under `static/`)
/// of a theme, as they are read.
type Files<'a> = (
    &'a mut Vec<(String, String)>,
    &'a mut Vec<(String, Vec<u8>)>,
);

/// Reads the book's own theme folder `dir` over the built-in files: its
/// templates are added under `user_prefix`, its static files replace those
/// of the same name.
fn read_book_theme(
    root: &Path,
    dir: &Path,
    user_prefix: &str,
    fence: &Fence,
    (templates, statics): Files,
    diags: &mut Vec<Diagnostic>,
) {
    for (sub, is_tpl) in [("templates", true), ("static", false)] {
        let base = dir.join(sub);
        if !base.is_dir() {
            continue;
        }
        for e in walkdir::WalkDir::new(&base)
            .follow_links(true)
            .sort_by_file_name()
        {
            let e = match e {
                Ok(e) => e,
                Err(err) => {
                    diags.push(Diagnostic::error(
                        Loc {
                            file: rel_path(root, err.path().unwrap_or(&base)).into(),
                            line: 0,
                            col: 0,
                        },
                        format!("cannot read the theme: {err}"),
                    ));
                    continue;
                }
            };
            if !e.file_type().is_file() {
                continue;
            }
            let rel = rel_path(&base, e.path());
            if let Err(d) = fence.check(e.path(), &rel_path(root, e.path())) {
                diags.push(d);
                continue;
            }
            match std::fs::read(e.path()) {
                Ok(bytes) if is_tpl => match String::from_utf8(bytes) {
                    Ok(t) => templates.push((format!("{user_prefix}{rel}"), t)),
                    Err(_) => diags.push(Diagnostic::error(
                        Loc {
                            file: rel_path(root, e.path()).into(),
                            line: 0,
                            col: 0,
                        },
                        "template is not valid UTF-8",
                    )),
                },
                Ok(bytes) => {
                    statics.retain(|(n, _)| *n != rel);
                    statics.push((rel, bytes));
                }
                Err(err) => diags.push(Diagnostic::error(
                    Loc {
                        file: rel_path(root, e.path()).into(),
                        line: 0,
                        col: 0,
                    },
                    format!("cannot read: {err}"),
                )),
            }
        }
    }
}

/// A template's name as the author knows it: its path in the book, or the
/// built-in theme's file.
fn shown_name(name: &str) -> String {
    match name.strip_prefix(BUILTIN_PREFIX) {
        Some(t) => format!("(built-in theme) {t}"),
        None => name.to_string(),
    }
}

/// `text` with its comments and raw blocks blanked (their line breaks
/// kept): what stands there is no statement.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    loop {
        let comment = rest.find("{#");
        let raw = rest.match_indices("{%").map(|(i, _)| i).find(|&i| {
            rest[i + 2..]
                .trim_start_matches('-')
                .trim_start()
                .starts_with("raw")
        });
        let (start, end) = match (comment, raw) {
            (Some(c), r) if r.is_none_or(|r| c < r) => (c, rest[c..].find("#}").map(|e| c + e + 2)),
            (_, Some(r)) => (
                r,
                rest[r..]
                    .find("endraw")
                    .and_then(|e| rest[r + e..].find("%}").map(|f| r + e + f + 2)),
            ),
            _ => break,
        };
        let end = end.unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        // Blanks keep every column and line of the text after them.
        out.extend(
            rest[start..end]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `{% include "name" %}` statements of a template: the name, and the
/// line, column and length of the statement.
fn includes(text: &str) -> Vec<(String, u32, u32, usize)> {
    let mut out = Vec::new();
    let text = &code_of(text);
    for (at, _) in text.match_indices("{%") {
        let rest = text[at + 2..].trim_start_matches('-').trim_start();
        let Some(rest) = rest.strip_prefix("include") else {
            continue;
        };
        let rest = rest.trim_start();
        let Some(q) = rest
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\'' | '`'))
        else {
            continue;
        };
        let Some(end) = rest[1..].find(q) else {
            continue;
        };
        let len = text[at..].find("%}").map_or(2, |e| e + 2);
        let (line, col) = crate::diag::line_col(text, at);
        out.push((rest[1..1 + end].to_string(), line, col, len));
    }
    out
}

/// Every loop of `{% include %}` among `templates`, resolving names the
/// way Tera does (the name as it is, then behind each prefix in turn).
fn include_loops(templates: &[(String, String)], prefixes: &[&str]) -> Vec<Diagnostic> {
    let index: std::collections::HashMap<&str, usize> = templates
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    let resolve = |name: &str| -> Option<usize> {
        index.get(name).copied().or_else(|| {
            prefixes
                .iter()
                .find_map(|p| index.get(format!("{p}{name}").as_str()).copied())
        })
    };
    // Edges: template -> (included template, line, col, len).
    let edges: Vec<Vec<(usize, u32, u32, usize)>> = templates
        .iter()
        .map(|(_, text)| {
            includes(text)
                .into_iter()
                .filter_map(|(n, l, c, len)| Some((resolve(&n)?, l, c, len)))
                .collect()
        })
        .collect();
    let mut diags = Vec::new();
    let mut seen_loops: std::collections::HashSet<Vec<usize>> = Default::default();
    // 0: not visited, 1: on the current path, 2: done.
    let mut state = vec![0u8; templates.len()];
    let mut path: Vec<(usize, usize)> = Vec::new();
    for start in 0..templates.len() {
        if state[start] != 0 {
            continue;
        }
        // Depth first without recursion: (template, next edge to follow).
        state[start] = 1;
        path.push((start, 0));
        while let Some(&mut (t, ref mut next)) = path.last_mut() {
            let Some(&(to, ..)) = edges[t].get(*next) else {
                state[t] = 2;
                path.pop();
                continue;
            };
            *next += 1;
            match state[to] {
                0 => {
                    state[to] = 1;
                    path.push((to, 0));
                }
                1 => {
                    let from = path.iter().position(|&(p, _)| p == to).unwrap_or(0);
                    let cycle: Vec<usize> = path[from..].iter().map(|&(p, _)| p).collect();
                    let mut key = cycle.clone();
                    key.sort_unstable();
                    if seen_loops.insert(key) {
                        diags.push(loop_error(templates, &edges, &path[from..]));
                    }
                }
                _ => {}
            }
        }
    }
    diags
}

/// The error for one loop, `path` the templates in it in include order
/// (each with one past the index of its edge to the next).
fn loop_error(
    templates: &[(String, String)],
    edges: &[Vec<(usize, u32, u32, usize)>],
    path: &[(usize, usize)],
) -> Diagnostic {
    let names: Vec<String> = path
        .iter()
        .chain(path.first())
        .map(|&(t, _)| format!("`{}`", shown_name(&templates[t].0)))
        .collect();
    // The include that closes the loop, in the last template of the path.
    let &(last, next) = path.last().expect("a loop has a template");
    let (_, line, col, len) = edges[last][next - 1];
    let message = if path.len() == 1 {
        format!("template {} includes itself", names[0])
    } else {
        format!(
            "templates include each other in a loop: {} includes {}",
            names[0],
            names[1..].join(", which includes ")
        )
    };
    Diagnostic::error(
        Loc {
            file: shown_name(&templates[last].0).into(),
            line,
            col,
        },
        message,
    )
    .len(len)
    .help("a template cannot include itself, directly or through others")
}

/// A Tera error as a diagnostic at the template's file, line and column.
pub fn template_error(e: &tera::Error) -> Diagnostic {
    // Loops name the templates in them by Tera's names, in Debug notation.
    let chain = |what: &str, names: &[String]| {
        let names: Vec<String> = names
            .iter()
            .map(|n| format!("`{}`", shown_name(n)))
            .collect();
        let file = names.first().map_or("(templates)".to_string(), |n| {
            n.trim_matches('`').to_string()
        });
        Diagnostic::error(
            Loc {
                file: file.into(),
                line: 0,
                col: 0,
            },
            format!(
                "template error: templates {what} each other in a loop: {}",
                names.join(" -> ")
            ),
        )
    };
    match e.kind() {
        tera::ErrorKind::CircularInclude { include_chain, .. } => {
            return chain("include", include_chain);
        }
        tera::ErrorKind::CircularExtend {
            inheritance_chain, ..
        } => return chain("extend", inheritance_chain),
        _ => {}
    }
    let report = e.to_string();
    // Tera 2 reports `--> name:line:col`; name is the template's path.
    let mut loc = Loc {
        file: "(templates)".into(),
        line: 0,
        col: 0,
    };
    let mut message = report
        .lines()
        .next()
        .unwrap_or("template error")
        .trim()
        .to_string();
    for l in report.lines() {
        if let Some(rest) = l.trim().strip_prefix("--> ") {
            let mut parts = rest.rsplitn(3, ':');
            let col = parts.next().and_then(|c| c.trim().parse().ok());
            let line = parts.next().and_then(|c| c.trim().parse().ok());
            if let (Some(col), Some(line), Some(file)) = (col, line, parts.next()) {
                loc = Loc {
                    file: file.replace(BUILTIN_PREFIX, "(built-in theme) ").into(),
                    line,
                    col,
                };
                break;
            }
        }
    }
    if let Some(src) = std::error::Error::source(e) {
        message.push_str(&format!(": {src}"));
    }
    if message.starts_with("error: ") {
        message = message["error: ".len()..].to_string();
    }
    Diagnostic::error(loc, format!("template error: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tpl(name: &str, text: &str) -> (String, String) {
        (format!("themes/t/templates/{name}"), text.to_string())
    }

    #[test]
    fn include_loops_are_found_and_named_at_the_include_that_closes_them() {
        let templates = vec![
            tpl("a.html", "<p>\n  {% include \"b.html\" %}"),
            tpl("b.html", "{%- include 'a.html' -%}"),
            tpl(
                "c.html",
                "{% include \"a.html\" %}{% include \"missing.html\" %}",
            ),
            (
                format!("{BUILTIN_PREFIX}d.html"),
                "{% include \"d.html\" %}".into(),
            ),
        ];
        let d = include_loops(&templates, &["themes/t/templates/", BUILTIN_PREFIX]);
        let msgs: Vec<String> = d.iter().map(crate::diag::short).collect();
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            msgs[0].starts_with(
                "themes/t/templates/b.html:1:1: templates include each other in a loop: `themes/t/templates/a.html` includes `themes/t/templates/b.html`, which includes `themes/t/templates/a.html`"
            ),
            "{msgs:#?}"
        );
        assert!(
            msgs[1].contains("`(built-in theme) d.html` includes itself"),
            "{msgs:#?}"
        );
    }

    #[test]
    fn includes_in_comments_and_raw_blocks_are_text() {
        let text = "{# {% include \"x\" %} #}\n{% raw %}{% include \"y\" %}{% endraw %}\n  {% include \"z\" %}";
        let found: Vec<_> = includes(text)
            .into_iter()
            .map(|(n, l, c, _)| (n, l, c))
            .collect();
        assert_eq!(found, vec![("z".to_string(), 3, 3)]);
    }
}
