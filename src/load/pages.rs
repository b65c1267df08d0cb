//! The book's other files: category descriptions, free pages and the
//! glossary.

use super::fields::*;
use super::sources::{SourceFile, body_md, front_matter};
use crate::diag::{Diagnostic, Loc, did_you_mean};
use crate::model::*;
use crate::yaml::{Node, Pos, Value};
use std::path::Path;

pub(super) fn category_file(
    file: &SourceFile,
    path: &Path,
    m: &mut Model,
    diags: &mut Vec<Diagnostic>,
) {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Front matter is optional here: a category file may be Markdown alone.
    let (id, body, id_loc) = if file.text.starts_with("---") {
        let Some((yaml, body)) = front_matter(file, diags) else {
            return;
        };
        let cx = &mut yaml.cx(diags);
        let w = "a category file";
        let Some(mut f) = Fields::of(cx, &yaml.node, w) else {
            return;
        };
        let id = opt(cx, &mut f, "id", s);
        f.finish(cx, w);
        let loc = id.as_ref().map(|i| i.loc.clone());
        (id.map(|i| i.text).unwrap_or(stem), body, loc)
    } else {
        (stem, body_md(file, &file.text, 1), None)
    };
    match m.categories.iter_mut().find(|c| c.id.text == id) {
        Some(c) => {
            let here = id_loc.unwrap_or_else(|| whole_file(file));
            if let Some(first) = &c.description {
                // Two files would write one category page: neither wins silently.
                diags.push(
                    Diagnostic::error(here, format!("a second description of the category `{id}`"))
                        .note(whole_file_of(&first.loc), "the first description is here")
                        .help("keep one description file per category"),
                );
                return;
            }
            c.description = Some(body)
        }
        // model.yaml's own error says why its categories are not known.
        None if m.lost.categories || m.lost.may_define(&id) => {}
        None => {
            let known: Vec<&str> = m.categories.iter().map(|c| c.id.text.as_str()).collect();
            let loc = id_loc.unwrap_or_else(|| whole_file(file));
            diags.push(
                Diagnostic::error(
                    loc,
                    format!("no category `{id}` in model.yaml for this description"),
                )
                .maybe_help(did_you_mean(&id, known)),
            );
        }
    }
}

/// The whole of a file, as a place to point at.
fn whole_file(file: &SourceFile) -> Loc {
    Loc {
        file: file.rel.clone(),
        line: 0,
        col: 0,
    }
}

fn whole_file_of(loc: &Loc) -> Loc {
    Loc {
        file: loc.file.clone(),
        line: 0,
        col: 0,
    }
}

/// Two pages whose file names make one address (`About.md`, `about.md`).
pub(super) fn duplicate_pages(pages: &mut Vec<Page>, diags: &mut Vec<Diagnostic>) {
    let mut seen: std::collections::HashMap<String, Loc> = std::collections::HashMap::new();
    pages.retain(|p| match seen.get(&p.slug) {
        Some(first) => {
            diags.push(
                Diagnostic::error(
                    whole_file_of(&p.body.loc),
                    format!("this page has the same address (`pages/{}/`) as another", p.slug),
                )
                .note(first.clone(), "the other page is here")
                .help("page addresses come from file names, whatever their case and punctuation: rename one"),
            );
            false
        }
        None => {
            seen.insert(p.slug.clone(), whole_file_of(&p.body.loc));
            true
        }
    });
}

pub(super) fn page_file(
    file: &SourceFile,
    path: &Path,
    diags: &mut Vec<Diagnostic>,
) -> Option<Page> {
    let (yaml, body) = front_matter(file, diags)?;
    let cx = &mut yaml.cx(diags);
    let w = "a page";
    let mut f = Fields::of(cx, &yaml.node, w)?;
    let title = req(cx, &mut f, "title", w, text);
    let order = opt(cx, &mut f, "order", int).unwrap_or(50);
    let sources = f
        .take("sources")
        .map(|n| str_list(cx, Some(n), "`sources`"));
    f.finish(cx, w);
    let stem = path.file_stem()?.to_string_lossy();
    let slug = slug(&stem);
    if slug.is_empty() {
        cx.err(
            Pos { line: 0, col: 0 },
            "this file name gives an empty page address",
        );
        return None;
    }
    Some(Page {
        slug,
        title: title?,
        order,
        body,
        sources,
    })
}

pub(super) fn glossary_fields(cx: &mut Cx, n: &Node) -> Vec<Term> {
    let mut out = Vec::new();
    let items = match &n.value {
        Value::Seq(items) => items.as_slice(),
        Value::Null => &[],
        other => {
            cx.err(
                n.pos,
                format!(
                    "the glossary must be a list of terms, found {}",
                    other.kind()
                ),
            );
            &[]
        }
    };
    for t in items {
        let w = "a glossary entry";
        let Some(mut f) = Fields::of(cx, t, w) else {
            continue;
        };
        let term = req(cx, &mut f, "term", w, s);
        let definition = req(cx, &mut f, "definition", w, md);
        let source = opt(cx, &mut f, "source", text);
        let see_also = str_list(cx, f.take("see_also"), "`see_also`");
        f.finish(cx, w);
        if let (Some(term), Some(definition)) = (term, definition) {
            out.push(Term {
                term,
                definition,
                source,
                see_also,
            });
        }
    }
    out
}
