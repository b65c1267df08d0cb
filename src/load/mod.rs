//! Loading: the files of a book become the typed model, with every problem
//! of every file collected rather than stopping at the first.

mod areas;
mod fields;
mod figures;
mod model_yaml;
mod pages;
mod sources;

pub use sources::SourceFile;

use areas::{area_file, goal_file};
use model_yaml::model_yaml_fields;
use pages::{category_file, duplicate_pages, glossary_fields, page_file};
use sources::{Src, list_dir, not_a_folder, read_file, yaml_file};

use crate::diag::{Diagnostic, Loc};
use crate::fence::rel_path;
use crate::model::*;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Decodes one area file's text, as a build would: for tests and fuzzing.
pub fn area_from_str(rel: &str, text: &str) -> (Option<Area>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let area = area_file(&SourceFile::new(rel.into(), text), &mut diags);
    (area, diags)
}

/// Reads and decodes the area file at `path` as [`load_book`] does, for a
/// book whose configuration is `book`: `serve` re-reads only the file that
/// changed.
pub fn area_file_at(
    root: &Path,
    book: &BookConfig,
    path: &Path,
) -> (Option<Area>, Vec<Diagnostic>) {
    let src = Src::of(root, book);
    let mut diags = Vec::new();
    let area = read_file(&src, path, &mut diags).and_then(|f| area_file(&f, &mut diags));
    (area, diags)
}

/// The glossary at `path` read on its own, as [`load_book`] reads it for
/// a book whose configuration is `book` (`None`: it could not be read).
pub fn glossary_at(
    root: &Path,
    book: &BookConfig,
    path: &Path,
) -> (Option<Vec<crate::model::Term>>, Vec<Diagnostic>) {
    let src = Src::of(root, book);
    let mut diags = Vec::new();
    let mut model = Model::default();
    glossary(&src, path, &mut model, &mut diags);
    let read = path.is_file() && !model.lost.ids.contains("glossary");
    (read.then_some(model.glossary), diags)
}

/// model.yaml at `path` read on its own into a model that holds nothing
/// else, as [`load_book`] reads it for a book whose configuration is
/// `book` (`None`: it could not be read).
pub fn model_yaml_at(
    root: &Path,
    book: &BookConfig,
    path: &Path,
) -> (Option<Model>, Vec<Diagnostic>) {
    let src = Src::of(root, book);
    let mut diags = Vec::new();
    let mut model = Model {
        terms: Terms::defaults(),
        terms_plural: Terms::defaults().plurals(),
        ..Model::default()
    };
    model_yaml(&src, path, &mut model, &mut diags);
    let read = path.is_file() && !model.lost.categories;
    (read.then_some(model), diags)
}

/// The free page at `path` read on its own, as [`load_book`] reads it for
/// a book whose configuration is `book`.
pub fn page_at(
    root: &Path,
    book: &BookConfig,
    path: &Path,
) -> (Option<crate::model::Page>, Vec<Diagnostic>) {
    let src = Src::of(root, book);
    let mut diags = Vec::new();
    let page = read_file(&src, path, &mut diags).and_then(|f| page_file(&f, path, &mut diags));
    (page, diags)
}

/// The category description at `path` read on its own for a book of the
/// categories `categories`: the category's id and the text.
pub fn category_text_at(
    root: &Path,
    book: &BookConfig,
    categories: &[crate::model::Category],
    path: &Path,
) -> (Option<(String, crate::model::Md)>, Vec<Diagnostic>) {
    let src = Src::of(root, book);
    let mut diags = Vec::new();
    let mut model = Model {
        categories: categories.to_vec(),
        ..Model::default()
    };
    for c in &mut model.categories {
        c.description = None;
    }
    if let Some(f) = read_file(&src, path, &mut diags) {
        category_file(&f, path, &mut model, &mut diags);
    }
    let text = (model.categories.into_iter()).find_map(|c| Some((c.id.text, c.description?)));
    (text, diags)
}

/// A file of elements read on its own: what it defines, its problems, and
/// when it failed, the ids it seems to define (`None`: unknown).
type Loaded<T> = (Option<T>, Vec<Diagnostic>, Option<Vec<String>>);

/// Reads a whole book. Problems go to `diags`; the model holds what could be read.
pub fn load_book(root: &Path, diags: &mut Vec<Diagnostic>) -> Model {
    let book = crate::config::load(root, diags);
    load_book_reusing(root, book, diags, &|_| None)
}

/// An area file's area as loaded, when it is known not to have changed
/// (by its path relative to the book): `serve` gives those of its kept book.
pub type Reuse<'r> = &'r (dyn Fn(&str) -> Option<Area> + Sync);

/// [`load_book`], with book.toml already read (`book`, its problems told),
/// taking the area files that `reuse` gives as they are instead of reading
/// them again.
pub fn load_book_reusing(
    root: &Path,
    book: crate::model::BookConfig,
    diags: &mut Vec<Diagnostic>,
    reuse: Reuse,
) -> Model {
    let mut model = Model {
        book,
        terms: Terms::defaults(),
        terms_plural: Terms::defaults().plurals(),
        ..Model::default()
    };
    if model.book.unreadable {
        return model;
    }
    let src = Src::of(root, &model.book);
    let src = &src;
    let content = root.join(&model.book.content_dir);
    if !content.is_dir() {
        diags.push(
            Diagnostic::error(
                Loc {
                    file: rel_path(root, &content).into(),
                    line: 0,
                    col: 0,
                },
                "the content directory does not exist",
            )
            .help("create it, or set `content-dir` under [build] in book.toml"),
        );
        return model;
    }
    model_yaml(src, &content.join("model.yaml"), &mut model, diags);

    let mut folder = |name: &str, holds: &str| {
        let dir = content.join(name);
        let ok = not_a_folder(root, &dir, holds, diags);
        let (files, d) = list_dir(root, &dir);
        diags.extend(d);
        (files, ok)
    };
    let (area_files, areas_ok) = folder("areas", "area files (`<CODE>.md`)");
    let (goal_files, goals_ok) = folder("generic", "generic goal files (`<GOAL>.md`)");
    let (cat_files, _) = folder("categories", "category descriptions (`<id>.md`)");
    let (page_files, _) = folder("pages", "free pages (`<slug>.md`)");
    // Any id may have been in a folder that could not be read.
    model.lost.all |= !areas_ok || !goals_ok;

    for (a, d, lost) in each_file(src, &area_files, area_file, reuse) {
        diags.extend(d);
        model.areas.extend(a);
        model.lost.record(lost);
    }
    for (g, d, lost) in each_file(src, &goal_files, goal_file, &|_| None) {
        diags.extend(d);
        model.generic_goals.extend(g);
        model.lost.record(lost);
    }
    for p in &cat_files {
        if let Some(f) = read_file(src, p, diags) {
            category_file(&f, p, &mut model, diags);
        }
    }
    for p in &page_files {
        match read_file(src, p, diags).and_then(|f| page_file(&f, p, diags)) {
            Some(page) => model.pages.push(page),
            None => {
                let stem = p.file_stem().unwrap_or_default().to_string_lossy();
                model.lost.ids.insert(slug(&stem));
            }
        }
    }
    duplicate_pages(&mut model.pages, diags);
    model.pages.sort_by(|a, b| a.rank().cmp(&b.rank()));
    glossary(src, &content.join("glossary.yaml"), &mut model, diags);
    model
        .generic_goals
        .sort_by(|a, b| natural_cmp(&a.id.text, &b.id.text));
    model
}

/// Reads model.yaml at `path` into `model`. When it cannot be read, which
/// categories there are is unknown, and the ids it seems to define are kept.
fn model_yaml(src: &Src, path: &Path, model: &mut Model, diags: &mut Vec<Diagnostic>) {
    if path.is_file() {
        if let Some(f) = read_file(src, path, diags)
            && let Some(yaml) = yaml_file(&f, diags)
        {
            model_yaml_fields(&mut yaml.cx(diags), &yaml.node, model);
        } else {
            model.lost.categories = true;
            model.lost.ids.extend(salvage(path).unwrap_or_default());
        }
        return;
    }
    model.lost.categories = true;
    let problem = if path.exists() {
        "model.yaml is a folder: the model's identity, categories and survey scale live in a file of that name"
    } else {
        "missing model.yaml: the model's identity, categories and survey scale live there"
    };
    diags.push(Diagnostic::error(
        Loc {
            file: rel_path(src.root, path).into(),
            line: 0,
            col: 0,
        },
        problem,
    ));
}

/// Reads and decodes each of `files` on its own, on every core: files are
/// independent. Of a file that fails, what it seems to define is kept, so
/// that references to it do not add errors of their own. A file that
/// `reuse` gives (by its path relative to the book) is not read.
fn each_file<T: Send>(
    src: &Src,
    files: &[PathBuf],
    decode: impl Fn(&SourceFile, &mut Vec<Diagnostic>) -> Option<T> + Sync,
    reuse: &(dyn Fn(&str) -> Option<T> + Sync),
) -> Vec<Loaded<T>> {
    files
        .par_iter()
        .map(|p| {
            if let Some(t) = reuse(&rel_path(src.root, p)) {
                return (Some(t), Vec::new(), Some(Vec::new()));
            }
            let mut d = Vec::new();
            let t = read_file(src, p, &mut d).and_then(|f| decode(&f, &mut d));
            let lost = if t.is_none() {
                salvage(p)
            } else {
                Some(Vec::new())
            };
            (t, d, lost)
        })
        .collect()
}

/// Reads the glossary at `path`, which a book may leave out.
fn glossary(src: &Src, path: &Path, model: &mut Model, diags: &mut Vec<Diagnostic>) {
    if path.is_dir() {
        diags.push(Diagnostic::error(
            Loc {
                file: rel_path(src.root, path).into(),
                line: 0,
                col: 0,
            },
            "glossary.yaml is a folder: the glossary is a file of that name",
        ));
    }
    if path.is_file() {
        if let Some(f) = read_file(src, path, diags)
            && let Some(yaml) = yaml_file(&f, diags)
        {
            model.glossary = glossary_fields(&mut yaml.cx(diags), &yaml.node);
        } else {
            // `[[glossary]]` names the glossary page, which a glossary
            // that could not be read would have had.
            model.lost.ids.insert("glossary".into());
        }
    }
}

/// `GG2` before `GG10`.
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn key(s: &str) -> Vec<(String, u64)> {
        let mut out = Vec::new();
        let mut text = String::new();
        let mut num = String::new();
        for c in s.chars() {
            if c.is_ascii_digit() {
                num.push(c);
            } else {
                if !num.is_empty() || !text.is_empty() && c == '.' {
                    out.push((std::mem::take(&mut text), num.parse().unwrap_or(0)));
                    num.clear();
                }
                text.push(c);
            }
        }
        out.push((text, num.parse().unwrap_or(0)));
        out
    }
    key(a).cmp(&key(b))
}

/// Ids that a file which could not be read seems to define: the values of
/// its `id:` and `code:` fields, read line by line without YAML, and its
/// name (area and goal files are usually named by their id). `None` when
/// the file cannot be read at all.
fn salvage(path: &Path) -> Option<Vec<String>> {
    let bytes = std::fs::read(path).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut ids: Vec<String> = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .into_iter()
        .collect();
    for line in text.lines() {
        // `- id: X`, `  code: X`, `{ id: X, title: T }`.
        for field in ["id:", "code:"] {
            for (at, _) in line.match_indices(field) {
                let before = line[..at].trim_end_matches(' ');
                if !(before.is_empty() || before.ends_with(['-', '{', ',', '['])) {
                    continue;
                }
                let value = line[at + field.len()..]
                    .split(" #")
                    .next()
                    .unwrap_or("")
                    .split([',', '}'])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches(['"', '\'']);
                if !value.is_empty() {
                    ids.push(value.to_string());
                }
            }
        }
    }
    Some(ids)
}

impl Lost {
    /// What a file that failed seems to have defined (`None`: anything).
    fn record(&mut self, lost: Option<Vec<String>>) {
        match lost {
            Some(ids) => self.ids.extend(ids),
            None => self.all = true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_naturally() {
        let mut v = vec!["GG10", "GG2", "GG1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["GG1", "GG2", "GG10"]);
    }
}
