//! What an edit puts into the kept book in place, without checking the
//! whole book again: area files, the glossary, free pages and category
//! descriptions (resolved apart), and book.toml's rendered settings; and
//! when the book must be checked again, its areas that did not change.

use super::{Book, Builder};
use crate::diag::Diagnostic;
use crate::resolve::{Again, Elem, Replaced};
use crate::urls;
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

impl Builder {
    /// Whether the kept book stands after the changes `paths`: each is the
    /// theme's or book.toml, and book.toml (read again, without a problem)
    /// changed only settings that are rendered, which the kept book then
    /// takes. Otherwise the book must be checked again.
    pub(super) fn settings_in_place(&mut self, paths: &[PathBuf]) -> bool {
        let (themes, toml) = (self.root.join("themes"), self.root.join("book.toml"));
        let Some(book) = &mut self.book else {
            return false;
        };
        if paths.is_empty() || !paths.iter().all(|p| p.starts_with(&themes) || *p == toml) {
            return false;
        }
        if paths.contains(&toml) {
            let mut diags = Vec::new();
            let cfg = crate::config::load(&self.root, &mut diags);
            if !diags.is_empty() || !crate::config::same_sources(&cfg, &book.model.book) {
                return false;
            }
            book.model.book = cfg;
        }
        true
    }

    /// Puts the area files, the glossary, the free pages, the categories'
    /// descriptions and model.yaml's title and notice `paths` into the book
    /// in place; what shows them and their warnings, or `None` when the
    /// book must be resolved again (then the book is spent: it may hold
    /// some of the files, each put in place whole).
    pub(super) fn patch(&mut self, paths: &[PathBuf]) -> Option<Patched> {
        // The views are of the book as it was; model.yaml's title and
        // notice are in none of them.
        let mut views_hold = true;
        let book = self.book.as_mut()?;
        let (mut areas, mut pages, mut warnings) = (Vec::new(), HashSet::new(), Vec::new());
        for p in paths {
            match free_text(&self.root, book, p) {
                Put::NotText => {}
                Put::Refused => return self.spend_book(),
                Put::Everywhere => {
                    // The open pages first, and the home page, which shows
                    // the model whole.
                    pages.extend(self.open.iter().cloned());
                    pages.insert(urls::HOME.to_string());
                    continue;
                }
                Put::Done(done) => {
                    views_hold = false;
                    if let Some(new_of) = &done.moved {
                        // model.yaml's lists of areas moved them.
                        follow_moves(&mut areas, new_of, book.model.areas.len());
                    }
                    if done.everywhere {
                        pages.extend(self.open.iter().cloned());
                    }
                    pages.extend(done.page);
                    for e in done.changed {
                        showing(book, e, &mut areas, &mut pages);
                    }
                    warnings.extend(done.warnings);
                    continue;
                }
            }
            views_hold = false;
            let Some((now, r)) = put_area(&self.root, book, p) else {
                return self.spend_book();
            };
            if let Some(new_of) = &r.moved {
                // The areas before it in this change may have moved too.
                follow_moves(&mut areas, new_of, book.model.areas.len());
            }
            // The open pages may show it too: lists of areas its titles,
            // category and group, the neighbours' previous and next its
            // place, a target its links among the backrefs. They are shown
            // first with its own (the rest follows).
            pages.extend(self.open.iter().cloned());
            if let Some(a) = now
                && !areas.contains(&a)
            {
                areas.push(a);
            }
            warnings.extend(r.warnings);
        }
        if book.changes.is_some() && pages.contains(urls::CHANGES) {
            // A previous version's diff is made from the whole book: again
            // when its page is shown first (the rest makes it anyway).
            let mut diags = Vec::new();
            let kept = book.previous.take();
            crate::diff::since_previous(&self.root, book, kept, &mut diags);
            if crate::diag::has_errors(&diags) {
                return self.spend_book();
            }
        }
        if !views_hold {
            self.views_edited();
        }
        // Every file is in the book. With nothing to show first (no page
        // open shows the change), the rest of the site follows as after any
        // edit put in place: the book needs no check.
        (!paths.is_empty()).then_some(Patched {
            areas,
            pages,
            warnings,
        })
    }

    /// The kept book is not the sources' any more (an edit could not be
    /// put into it); it is kept aside for the check that follows.
    pub(super) fn spend_book(&mut self) -> Option<Patched> {
        self.spent = self.book.take();
        self.views_edited();
        None
    }

    /// Checks the whole book, taking the areas of the kept (or spent) book
    /// whose files are not among `paths` as they are, when book.toml still
    /// reads the same files the same way. Their texts keep their html where
    /// what they name did not change: a spent book is as consistent as a
    /// kept one, as each file is put in place whole or not at all. Whatever
    /// the check finds, the kept book is not the sources' any more: the
    /// texts it takes are moved out of it, not copied.
    pub(super) fn check_reusing(&mut self, paths: &[PathBuf]) -> (Option<Book>, Vec<Diagnostic>) {
        let mut cfg_diags = Vec::new();
        let cfg = crate::config::load(&self.root, &mut cfg_diags);
        let same =
            |b: &Book| cfg_diags.is_empty() && crate::config::same_sources(&cfg, &b.model.book);
        let kept = self.book.take().or_else(|| self.spent.take());
        let mut kept = match kept {
            Some(b) if same(&b) => b,
            other => {
                drop(super::Aside(other));
                return crate::check_reusing(&self.root, &|_| None, super::KEEP_LINKS);
            }
        };
        // A folder changed: none of the files under it is taken as it was.
        let changed: Vec<String> = (paths.iter())
            .map(|p| crate::fence::rel_path(&self.root, p))
            .collect();
        let under = |file: &str| {
            changed.iter().any(|c| {
                file.strip_prefix(c.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            })
        };
        let taken: HashMap<String, crate::model::Area> = (kept.model.areas.par_iter_mut())
            .filter(|a| !under(&a.file))
            .map(|a| (a.file.clone(), crate::resolve::taking_texts(a)))
            .collect();
        let taken = Mutex::new(taken);
        let reuse = |rel: &str| taken.lock().unwrap_or_else(|e| e.into_inner()).remove(rel);
        let again = Again {
            before: Some(&kept),
            keep_links: true,
        };
        let checked = crate::check_reusing(&self.root, &reuse, again);
        drop(super::Aside(Some((kept, taken))));
        checked
    }
}

/// What became of a file put into the book in place as a free text.
enum Put {
    /// Not the glossary, a free page, a category description or model.yaml.
    NotText,
    /// The book cannot take it so: it must be checked again.
    Refused,
    /// Taken.
    Done(Done),
    /// model.yaml's title, version, source or notice taken, and nothing
    /// else: every page shows it, and none of the shared views.
    Everywhere,
}

/// `areas` (places in the book) where `new_of` put them, those no longer
/// among the `left` areas (one removed) left out.
fn follow_moves(areas: &mut Vec<usize>, new_of: &[usize], left: usize) {
    *areas = areas
        .iter()
        .map(|&x| new_of[x])
        .filter(|&x| x < left)
        .collect();
}

/// What a free text taken shows on.
#[derive(Default)]
struct Done {
    /// The page that shows it (a category's is among the elements).
    page: Option<String>,
    /// The elements whose backrefs (or a category's list) changed.
    changed: Vec<Elem>,
    warnings: Vec<Diagnostic>,
    /// Every page shows it too (a free page's title or order, in their
    /// menus; model.yaml's lists of the model).
    everywhere: bool,
    /// The new place of each area, when they moved.
    moved: Option<Vec<usize>>,
}

/// Puts the file at `p`, when it is the glossary, a free page, a category
/// description or model.yaml, into `book` in place.
fn free_text(root: &Path, book: &mut Book, p: &Path) -> Put {
    let content = root.join(&book.model.book.content_dir);
    let cfg = &book.model.book;
    let md = p.extension().is_some_and(|e| e == "md");
    let done = if *p == content.join("model.yaml") {
        let (model, diags) = crate::load::model_yaml_at(root, cfg, p);
        (model.filter(|_| diags.is_empty()))
            .and_then(|m| crate::resolve::replace_model_text(book, m).ok())
            .map(|changed| match changed.more {
                false => Put::Everywhere,
                // The shared views show the rest.
                true => Put::Done(Done {
                    changed: changed.categories,
                    everywhere: true,
                    moved: changed.moved,
                    warnings: changed.warnings,
                    ..Done::default()
                }),
            })
    } else if *p == content.join("glossary.yaml") {
        // A glossary removed has no terms.
        let (terms, diags) = match gone(p) {
            true => (Some(Vec::new()), Vec::new()),
            false => crate::load::glossary_at(root, cfg, p),
        };
        (terms.filter(|_| diags.is_empty()))
            .and_then(|t| crate::resolve::replace_glossary(book, t).ok())
            .map(|(changed, warnings, everywhere)| {
                let page = (!book.model.glossary.is_empty()).then(|| urls::GLOSSARY.into());
                Put::Done(Done {
                    page,
                    changed,
                    warnings,
                    everywhere,
                    ..Done::default()
                })
            })
    } else if p.parent() == Some(&content.join("pages")) && md {
        put_page(root, book, p)
    } else if p.parent() == Some(&content.join("categories")) && md {
        let cats = &book.model.categories;
        let (text, diags) = crate::load::category_text_at(root, cfg, cats, p);
        (text.filter(|_| diags.is_empty()))
            .and_then(|(id, text)| crate::resolve::replace_category_text(book, &id, text).ok())
            .map(|changed| {
                Put::Done(Done {
                    changed,
                    ..Done::default()
                })
            })
    } else {
        return Put::NotText;
    };
    done.unwrap_or(Put::Refused)
}

/// Puts the free page file at `p` into `book` in place, edited, added or
/// removed. Every page's menu lists the pages: one added or removed shows
/// on every page.
fn put_page(root: &Path, book: &mut Book, p: &Path) -> Option<Put> {
    if gone(p) {
        let rel = crate::fence::rel_path(root, p);
        let changed = crate::resolve::remove_page(book, &rel)?;
        return Some(Put::Done(Done {
            changed,
            everywhere: true,
            ..Done::default()
        }));
    }
    let (page, diags) = crate::load::page_at(root, &book.model.book, p);
    let page = page.filter(|_| diags.is_empty())?;
    let url = urls::page(&page.slug);
    let file = &page.body.loc.file;
    let (changed, everywhere) = match book.model.pages.iter().any(|q| q.body.loc.file == *file) {
        true => crate::resolve::replace_page(book, page).ok()?,
        false => (crate::resolve::add_page(book, page).ok()?, true),
    };
    Some(Put::Done(Done {
        page: Some(url),
        changed,
        everywhere,
        ..Done::default()
    }))
}

/// What an edit put in place shows on: the pages of some areas, and some
/// other pages by their path.
pub(super) struct Patched {
    pub(super) areas: Vec<usize>,
    pub(super) pages: HashSet<String>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// Adds where element `e`'s backrefs show to `areas` (an element of an
/// area: all its pages) or `pages` (a generic practice's shows on its
/// goal's page too).
fn showing(book: &Book, e: Elem, areas: &mut Vec<usize>, pages: &mut HashSet<String>) {
    match e {
        Elem::Area(a) | Elem::Objective(a, _) | Elem::Practice(a, ..) => {
            if !areas.contains(&a) {
                areas.push(a);
            }
        }
        Elem::GenericPractice(g, _) => {
            pages.extend(
                [Elem::Goal(g), e]
                    .iter()
                    .filter_map(|e| book.urls.get(e).cloned()),
            );
        }
        Elem::Category(_) | Elem::Goal(_) => pages.extend(book.urls.get(&e).cloned()),
    }
}

/// Puts the area file at `p` into `book` in place, edited (its code
/// too), added or removed: the area's place then (none when it was
/// removed), and what putting it there gave; `None` when the book must be
/// checked again.
fn put_area(root: &Path, book: &mut Book, p: &Path) -> Option<(Option<usize>, Replaced)> {
    let at = area_at(root, book, p);
    if let Some(a) = at
        && gone(p)
    {
        let new_of = crate::resolve::remove_area(book, a)?;
        let r = Replaced {
            warnings: Vec::new(),
            moved: Some(new_of),
        };
        return Some((None, r));
    }
    let (area, diags) = crate::load::area_file_at(root, &book.model.book, p);
    let area = area.filter(|_| diags.is_empty())?;
    let (a, r) = match at {
        Some(a) if book.model.areas[a].code.text != area.code.text => {
            // Another code: the area as it was removed, then the file's
            // added (the book, if left without it, is still consistent:
            // it is spent for the check that follows).
            let removed = crate::resolve::remove_area(book, a)?;
            let mut r = crate::resolve::add_area(book, area).ok()?;
            let added = r.moved.take()?;
            r.moved = Some(removed.iter().map(|&x| added[x]).collect());
            (a, r)
        }
        Some(a) => (a, crate::resolve::replace_area(book, a, area).ok()?),
        None if loaded_as_area(root, book, p) => {
            // Added last, then moved to its place.
            let last = book.model.areas.len();
            (last, crate::resolve::add_area(book, area).ok()?)
        }
        None => return None,
    };
    let now = r.moved.as_ref().map_or(a, |new_of| new_of[a]);
    Some((Some(now), r))
}

/// Whether loading the book reads the file at `p` as an area's: a
/// Markdown file right in the areas folder.
fn loaded_as_area(root: &Path, book: &Book, p: &Path) -> bool {
    let folder = root.join(&book.model.book.content_dir).join("areas");
    p.parent() == Some(folder.as_path()) && p.extension().is_some_and(|e| e == "md") && p.is_file()
}

/// Whether nothing is at `p` any more (its file was removed).
fn gone(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound)
}

/// The place in `book` of the area read from the file at `path`.
pub(super) fn area_at(root: &Path, book: &Book, path: &Path) -> Option<usize> {
    let rel = crate::fence::rel_path(root, path);
    book.model.areas.iter().position(|a| a.file == rel)
}
