//! Small books built in memory, for the tests beside each part of resolve:
//! areas loaded from their file's text (so that positions are real), the
//! rest of the model written out.

use super::{Book, resolve};
use crate::diag::{Loc, short};
use crate::model::*;

/// `text` as written at `file:line:col`.
pub fn at(text: &str, file: &str, line: u32, col: u32) -> Str {
    Str {
        text: text.into(),
        loc: Loc {
            file: file.into(),
            line,
            col,
        },
    }
}

/// Markdown `src` starting at `file:line:col`.
pub fn md(src: &str, file: &str, line: u32, col: u32) -> Md {
    Md {
        src: src.into(),
        loc: at("", file, line, col).loc,
        ..Md::default()
    }
}

/// The file of area `code` in category `core`: objective `{code}-1` with
/// practice `{code}-1.1`, then `yaml` (from line 14), then `body`.
///
/// Positions: the code is at 2:7, the category at 4:11, the objective's id
/// at 7:9, the practice's at 11:13.
pub fn area_file(code: &str, yaml: &str, body: &str) -> String {
    format!(
        "---
code: {code}
name: Area {code}
category: core
purpose: Purpose of {code}.
objectives:
  - id: {code}-1
    title: Objective {code}-1
    statement: Statement of {code}-1.
    practices:
      - id: {code}-1.1
        title: Practice {code}-1.1
        statement: Statement of {code}-1.1.
{yaml}---
{body}
"
    )
}

/// An area loaded from `text` as `content/areas/{file}.md`; it must load
/// without problems.
pub fn area_from(file: &str, text: &str) -> Area {
    let (area, diags) = crate::load::area_from_str(&format!("content/areas/{file}.md"), text);
    assert!(
        diags.is_empty(),
        "{:?}",
        diags.iter().map(short).collect::<Vec<_>>()
    );
    area.expect("an area")
}

/// `area_file(code, yaml, body)`, loaded.
pub fn area(code: &str, yaml: &str, body: &str) -> Area {
    area_from(code, &area_file(code, yaml, body))
}

/// Category `id`, listed in model.yaml at `line`.
pub fn category(id: &str, line: u32) -> Category {
    Category {
        id: at(id, "content/model.yaml", line, 9),
        name: format!("Category {id}"),
        summary: None,
        description: None,
        area_order: None,
    }
}

/// Generic goal `id` with a practice for each of `gps`, one a line of its
/// file from line 5.
pub fn goal(id: &str, gps: &[&str]) -> GenericGoal {
    let file = format!("content/generic/{id}.md");
    let practices = gps
        .iter()
        .zip(5..)
        .map(|(gp, line)| GenericPractice {
            id: at(gp, &file, line, 9),
            title: format!("Practice {gp}"),
            statement: md(&format!("Statement of {gp}."), &file, line, 40),
            notes: None,
            subpractices: Vec::new(),
            question: None,
        })
        .collect();
    GenericGoal {
        source: None,
        id: at(id, &file, 2, 5),
        title: format!("Goal {id}"),
        statement: md(&format!("Statement of {id}."), &file, 4, 12),
        practices,
        body: md("", &file, 20, 1),
    }
}

/// A model of `areas`, category `core` and generic goal `GG2` with
/// `GG2.GP1` and `GG2.GP2`.
pub fn model(areas: Vec<Area>) -> Model {
    Model {
        title: "Sample".into(),
        terms: Terms::defaults(),
        terms_plural: Terms::defaults().plurals(),
        categories: vec![category("core", 3)],
        areas,
        generic_goals: vec![goal("GG2", &["GG2.GP1", "GG2.GP2"])],
        ..Model::default()
    }
}

/// A free page with no text, from `content/pages/<slug>.md`.
pub fn page(slug: &str, title: &str) -> Page {
    Page {
        slug: slug.into(),
        title: title.into(),
        order: 0,
        body: md("", &format!("content/pages/{slug}.md"), 3, 1),
        sources: None,
    }
}

/// A glossary term and its definition, from `content/glossary.yaml`.
pub fn term(text: &str, definition: &str) -> Term {
    Term {
        term: at(text, "content/glossary.yaml", 1, 9),
        definition: md(definition, "content/glossary.yaml", 2, 17),
        source: None,
        see_also: Vec::new(),
    }
}

/// The model resolved, with its problems in their one-line form.
pub fn resolved(m: Model) -> (Book, Vec<String>) {
    let mut diags = Vec::new();
    let book = resolve(m, &mut diags);
    (book, diags.iter().map(short).collect())
}

/// The book's areas by code, in their order.
pub fn area_codes(b: &Book) -> Vec<&str> {
    b.model.areas.iter().map(|a| a.code.text.as_str()).collect()
}

/// What a link to `url` starts with in rendered Markdown.
pub fn href(url: &str) -> String {
    format!("href=\"{ROOT_MARK}{url}\"")
}

/// Every text's html, in model order.
pub fn every_html(b: &Book) -> Vec<String> {
    let mut m = b.model.clone();
    super::texts::texts(&mut m)
        .iter()
        .map(|t| t.md.html.clone())
        .collect()
}

/// That `b`, patched, is the book `fresh` resolving every file gives:
/// the areas' order, every text's html, the ids, addresses and backrefs.
pub fn assert_same_book(b: &Book, fresh: &Book, step: &str) {
    assert_eq!(area_codes(b), area_codes(fresh), "{step}: area order");
    assert!(every_html(b) == every_html(fresh), "{step}: texts differ");
    assert_eq!(b.ids, fresh.ids, "{step}: ids differ");
    assert_eq!(b.urls, fresh.urls, "{step}: addresses differ");
    assert_eq!(b.backrefs, fresh.backrefs, "{step}: backrefs differ");
}

/// Areas EF and XY with `edit` made to the model, resolved without a
/// problem.
pub fn book_with(edit: impl FnOnce(&mut Model)) -> Book {
    let mut m = model(vec![area("EF", "", ""), area("XY", "", "")]);
    edit(&mut m);
    let (b, diags) = resolved(m);
    assert_eq!(diags, Vec::<String>::new());
    b
}
