//! Themes: the built-in default, overridden file by file by a book's own.

use crate::diag::{Diagnostic, Loc};
use crate::fence::Fence;
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
    "templates/survey_questions.html",
    "templates/backrefs.html",
    "templates/404.html",
    "static/refbook.css",
    "static/refbook.js",
    "static/scoring.js",
    "static/survey-base.js",
    "static/survey-store.js",
    "static/survey-form.js",
    "static/survey-results.js",
    "static/survey-io.js",
    "static/survey-print.js",
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
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
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
                                file: crate::load::rel_path(root, err.path().unwrap_or(&base))
                                    .into(),
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
                let rel = crate::load::rel_path(&base, e.path());
                if let Err(d) = fence.check(e.path(), &crate::load::rel_path(root, e.path())) {
                    diags.push(d);
                    continue;
                }
                match std::fs::read(e.path()) {
                    Ok(bytes) if is_tpl => match String::from_utf8(bytes) {
                        Ok(t) => templates.push((format!("{user_prefix}{rel}"), t)),
                        Err(_) => diags.push(Diagnostic::error(
                            Loc {
                                file: crate::load::rel_path(root, e.path()).into(),
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
                            file: crate::load::rel_path(root, e.path()).into(),
                            line: 0,
                            col: 0,
                        },
                        format!("cannot read: {err}"),
                    )),
                }
            }
        }
    }
    if let Err(e) = tera.add_raw_templates(templates) {
        diags.push(template_error(&e));
        return None;
    }
    Some(Theme { tera, statics })
}

/// A Tera error as a diagnostic at the template's file, line and column.
pub fn template_error(e: &tera::Error) -> Diagnostic {
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
