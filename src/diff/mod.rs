//! `refbook diff OLD NEW` and the site's page of changes: what changed
//! between two versions of a model, element by element: added, removed,
//! renamed (an element whose `replaces` names an id of the old version) and
//! changed (which field, with the old and the new text).

mod output;
pub mod view;

pub use output::{json, text};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
pub use view::{Element, View};

/// One field that differs: its text in each version (`None`: empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub field: &'static str,
    pub old: Option<String>,
    pub new: Option<String>,
}

/// An element of one version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    pub id: String,
    pub kind: &'static str,
    pub title: String,
    pub url: Option<String>,
}

/// An element whose id changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Renamed {
    pub from: String,
    pub to: String,
    pub kind: &'static str,
    pub title: String,
    pub url: Option<String>,
    /// Its fields that differ from the old element's.
    pub changes: Vec<Change>,
}

/// An element of both versions whose texts differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Changed {
    #[serde(flatten)]
    pub element: Entry,
    pub changes: Vec<Change>,
}

/// A version of a model, as the diff names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Head {
    pub id: String,
    pub version: String,
    pub title: String,
}

/// Everything that differs, each list in model order (the new model's;
/// the old one's for what was removed).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diff {
    pub old: Head,
    pub new: Head,
    pub added: Vec<Entry>,
    pub removed: Vec<Entry>,
    pub renamed: Vec<Renamed>,
    pub changed: Vec<Changed>,
}

impl Diff {
    /// Whether the versions differ at all.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.changed.is_empty()
    }
}

fn entry(e: &Element) -> Entry {
    Entry {
        id: e.id.to_string(),
        kind: e.kind,
        title: e.title.to_string(),
        url: e.url.as_deref().map(str::to_string),
    }
}

fn head(v: &View) -> Head {
    Head {
        id: v.id.clone(),
        version: v.version.clone(),
        title: v.title.clone(),
    }
}

/// Fields that name another element: a parent renamed with its child is no
/// change of the child's.
const PARENTS: [&str; 4] = ["area", "objective", "goal", "category"];

/// The fields of `new` that differ from `old`'s (the kind first, when it
/// does); `moved` maps old ids to those that replace them.
fn changes(old: &Element, new: &Element, moved: &HashMap<&str, &str>) -> Vec<Change> {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let mut out = Vec::new();
    if old.kind != new.kind {
        out.push(Change {
            field: "kind",
            old: some(old.kind),
            new: some(new.kind),
        });
    }
    // A handful of fields, mostly in the same order: a look along them is
    // cheaper than a map made for each of the model's elements.
    let was = |field: &str| -> &str {
        old.fields
            .iter()
            .find(|(k, _)| *k == field)
            .map(|(_, v)| v.as_ref())
            .unwrap_or_default()
    };
    for (field, now) in &new.fields {
        let now: &str = now;
        let mut before = was(field);
        if PARENTS.contains(field) {
            before = moved.get(before).copied().unwrap_or(before);
        }
        if before != now {
            out.push(Change {
                field,
                old: some(before),
                new: some(now),
            });
        }
    }
    out
}

/// What an element of the new version is to the old one: the old
/// elements it renames (with their places), and changed or added.
struct Found {
    renames: Vec<(usize, Renamed)>,
    is: Option<Is>,
}

enum Is {
    Changed(Changed),
    Added(Entry),
}

/// What changed from `old` to `new`.
pub fn compare(old: &View, new: &View) -> Diff {
    let at: HashMap<&str, usize> = old
        .elements
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_ref(), i))
        .collect();
    compare_by(old, &|id| at.get(id).copied(), new)
}

/// A previous version's view with its elements found by id: serve diffs
/// each edit against the same one (at S=100, finding 30,000 ids anew took
/// a third of each diff).
#[derive(Debug)]
pub struct Old {
    view: View<'static>,
    at: HashMap<String, usize>,
}

impl Old {
    pub fn new(view: View<'static>) -> Old {
        let at = view
            .elements
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.to_string(), i))
            .collect();
        Old { view, at }
    }

    /// What changed from this version to `new`, as [`compare`] tells.
    pub fn compare(&self, new: &View) -> Diff {
        compare_by(&self.view, &|id| self.at.get(id).copied(), new)
    }
}

/// [`compare`], `find` giving the place of an id among `old`'s elements.
fn compare_by(old: &View, find: &(dyn Fn(&str) -> Option<usize> + Sync), new: &View) -> Diff {
    // On both cores, as serve makes a book's whole diff again after each
    // edit it puts in place. First each new element's namesake.
    let same: Vec<Option<usize>> = new.elements.par_iter().map(|e| find(&e.id)).collect();
    let mut kept = vec![false; old.elements.len()];
    for &i in same.iter().flatten() {
        kept[i] = true;
    }
    // An old id that no element of the new version has: it may have gone to
    // one under another id.
    let gone = |r: &str| find(r).filter(|&i| !kept[i]);
    let moved: HashMap<&str, &str> = new
        .elements
        .iter()
        .flat_map(|e| e.replaces.iter().map(move |r| (r.as_ref(), e.id.as_ref())))
        .filter(|(r, _)| gone(r).is_some())
        .collect();
    let each: Vec<Found> = new
        .elements
        .par_iter()
        .zip(&same)
        .map(|(e, same)| {
            let renames: Vec<(usize, Renamed)> = e
                .replaces
                .iter()
                .filter_map(|r| {
                    let i = gone(r)?;
                    let renamed = Renamed {
                        from: r.to_string(),
                        to: e.id.to_string(),
                        kind: e.kind,
                        title: e.title.to_string(),
                        url: e.url.as_deref().map(str::to_string),
                        changes: changes(&old.elements[i], e, &moved),
                    };
                    Some((i, renamed))
                })
                .collect();
            let found = match same {
                Some(i) => {
                    let c = changes(&old.elements[*i], e, &moved);
                    (!c.is_empty()).then(|| {
                        Is::Changed(Changed {
                            element: entry(e),
                            changes: c,
                        })
                    })
                }
                None if renames.is_empty() => Some(Is::Added(entry(e))),
                None => None,
            };
            Found { renames, is: found }
        })
        .collect();
    let mut d = Diff {
        old: head(old),
        new: head(new),
        added: Vec::new(),
        removed: Vec::new(),
        renamed: Vec::new(),
        changed: Vec::new(),
    };
    // Old elements that went to one of the new version under another id.
    let mut gone_to = vec![false; old.elements.len()];
    for found in each {
        for (i, r) in found.renames {
            gone_to[i] = true;
            d.renamed.push(r);
        }
        match found.is {
            Some(Is::Changed(c)) => d.changed.push(c),
            Some(Is::Added(e)) => d.added.push(e),
            None => {}
        }
    }
    for (i, e) in old.elements.iter().enumerate() {
        if !kept[i] && !gone_to[i] {
            d.removed.push(entry(e));
        }
    }
    d
}

/// The view of a version named on the command line: a book's folder (its
/// content checked, as a build checks it) or a model.json file. `Err` holds
/// the diagnostics that say why there is none, relative to `path` for a
/// book (so printed against it).
pub fn load(path: &Path) -> Result<View<'static>, Vec<crate::diag::Diagnostic>> {
    if path.is_dir() {
        let (book, diags) = crate::check(path);
        return match book {
            Some(book) => Ok(view::from_book(&book).into_owned()),
            None => Err(diags),
        };
    }
    model_json(path, &path.display().to_string())
}

/// The view of the model.json at `path`, named `label` in diagnostics.
pub fn model_json(path: &Path, label: &str) -> Result<View<'static>, Vec<crate::diag::Diagnostic>> {
    use crate::diag::{Diagnostic, Loc};
    let at = |line, col| Loc {
        file: label.into(),
        line,
        col,
    };
    let bytes = std::fs::read(path).map_err(|e| {
        vec![Diagnostic::error(
            at(0, 0),
            format!("cannot read {label}: {e}"),
        )]
    })?;
    view::from_slice(&bytes).map_err(|e| {
        vec![match e {
            view::ReadError::Json(e) => {
                let what = match e.classify() {
                    serde_json::error::Category::Data => "is not a refbook model.json",
                    _ => "is not JSON",
                };
                Diagnostic::error(
                    at(e.line() as u32, e.column().max(1) as u32),
                    format!("{label} {what}: {e}"),
                )
            }
            view::ReadError::NotRefbook => Diagnostic::error(at(1, 1), e.to_string()),
        }]
    })
}

/// A previous version as read: its model.json's view, and what says
/// whether the file is still the one read.
#[derive(Clone, Debug)]
pub struct Previous {
    path: PathBuf,
    /// Its length and time of change (none where the system tells neither:
    /// then it is read again).
    stamp: Option<(u64, SystemTime)>,
    view: Arc<Old>,
}

fn stamp(path: &Path) -> Option<(u64, SystemTime)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.len(), m.modified().ok()?))
}

/// Makes `book.changes`: what changed since the version book.toml's
/// `previous-model` names (a model.json, relative to the book), taking the
/// view of `kept` where it is of that file as it still is (at S=100,
/// reading and parsing the 71 MB file took about half of each diff); a
/// file that cannot be read or is no model.json is an error at that
/// setting.
pub fn since_previous(
    root: &Path,
    book: &mut crate::resolve::Book,
    kept: Option<Previous>,
    diags: &mut Vec<crate::diag::Diagnostic>,
) {
    let read =
        (book.model.book.previous_model.clone()).map(|named| read_previous(root, &named, kept));
    since_read(book, read, diags);
}

/// The previous version book.toml names as `named` (its `previous-model`),
/// read, or the view of `kept` where it is of that file as it still is. A
/// build reads it while it loads the book: the file's bytes are then gone
/// before the book's texts are rendered, where the peak was (at S=100 it
/// went from 371 to about 330 MiB), and the parse overlaps the loading.
pub fn read_previous(
    root: &Path,
    named: &crate::model::Str,
    kept: Option<Previous>,
) -> Result<Previous, Vec<crate::diag::Diagnostic>> {
    let path = root.join(&named.text);
    let now = stamp(&path);
    let view = match kept {
        Some(k) if k.path == path && k.stamp.is_some() && k.stamp == now => k.view,
        _ => Arc::new(Old::new(model_json(&path, &named.text).map_err(|problems| {
            (problems.into_iter())
                .map(|p| {
                    let at = match p.loc.line {
                        0 => String::new(),
                        l => format!(" (line {l}, column {})", p.loc.col),
                    };
                    crate::diag::Diagnostic::error(
                        named.loc.clone(),
                        format!("`previous-model`: {}{at}", p.message),
                    )
                    .len(named.text.chars().count() + 2)
                    .help("name the model.json that the previous version's build wrote, relative to the book")
                })
                .collect::<Vec<_>>()
        })?)),
    };
    Ok(Previous {
        path,
        stamp: now,
        view,
    })
}

/// [`since_previous`], with the previous version already read: `read` is
/// what [`read_previous`] gave for the book's own `previous-model` (none
/// where it names none). `diags` holds the book's problems so far: a file
/// that cannot be read is told whatever they are, and a book with errors
/// is compared with nothing.
pub fn since_read(
    book: &mut crate::resolve::Book,
    read: Option<Result<Previous, Vec<crate::diag::Diagnostic>>>,
    diags: &mut Vec<crate::diag::Diagnostic>,
) {
    book.changes = None;
    book.previous = None;
    match read {
        Some(Ok(previous)) if !crate::diag::has_errors(diags) => {
            book.changes = Some(previous.view.compare(&view::from_book(book)));
            book.previous = Some(previous);
        }
        Some(Err(problems)) => diags.extend(problems),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The view of a previous version read before is taken again while its
    /// file is what was read (length and time of change), else read again.
    #[test]
    fn a_previous_version_is_read_again_only_when_its_file_changed() {
        let (root, mut book) = v2();
        let diff_with = |book: &mut crate::resolve::Book, kept: Option<Previous>| {
            let mut diags = Vec::new();
            since_previous(&root, book, kept, &mut diags);
            assert!(diags.is_empty(), "{diags:?}");
            book.changes.clone().expect("a diff")
        };
        let read = diff_with(&mut book, None);
        assert!(!read.is_empty());
        let was = book.previous.clone().expect("the previous version kept");
        // Another view under the file's own stamp: it is the one taken.
        let other = Previous {
            view: Arc::new(Old::new(View::default())),
            ..was.clone()
        };
        let taken = diff_with(&mut book, Some(other.clone()));
        assert_ne!(taken, read);
        assert_eq!(taken.removed, Vec::new());
        // Another file, or a stamp the system did not tell: read again.
        for stale in [
            Previous {
                path: root.join("previous/other.json"),
                ..other.clone()
            },
            Previous {
                stamp: None,
                ..other.clone()
            },
            Previous {
                stamp: was.stamp.map(|(len, at)| (len + 1, at)),
                ..other
            },
        ] {
            assert_eq!(diff_with(&mut book, Some(stale)), read);
        }
    }

    /// A previous version read beside the book is the one compared with;
    /// a problem of its file is the book's.
    #[test]
    fn a_previous_version_read_beside_the_book_is_the_one_compared() {
        let (root, mut book) = v2();
        let named = book
            .model
            .book
            .previous_model
            .clone()
            .expect("v2 names one");
        let mut diags = Vec::new();
        since_previous(&root, &mut book, None, &mut diags);
        let read = book.changes.clone().expect("a diff");
        let empty = || Previous {
            path: root.join(&named.text),
            stamp: None,
            view: Arc::new(Old::new(View::default())),
        };
        since_read(&mut book, Some(Ok(empty())), &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let changes = book.changes.clone().expect("a diff");
        assert_ne!(changes, read, "the view given is not the one compared");
        assert!(changes.removed.is_empty() && !changes.added.is_empty());
        let problem = crate::diag::Diagnostic::error(named.loc.clone(), "unreadable");
        since_read(&mut book, Some(Err(vec![problem])), &mut diags);
        assert_eq!(diags.len(), 1);
        assert!(book.changes.is_none() && book.previous.is_none());
        // A book with errors (that one now) is compared with nothing.
        since_read(&mut book, Some(Ok(empty())), &mut diags);
        assert!(book.changes.is_none() && book.previous.is_none());
    }

    /// The versions/v2 fixture (it names a previous version), checked.
    fn v2() -> (std::path::PathBuf, crate::resolve::Book) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/versions/v2");
        let (book, diags) = crate::check(&root);
        (root, book.unwrap_or_else(|| panic!("{diags:?}")))
    }

    /// Serve's checks keep the previous version's view for the next one's
    /// comparison; any other check lets it go once compared (a build: before
    /// its texts are rendered).
    #[test]
    fn only_a_check_made_again_keeps_the_previous_version() {
        let (root, book) = v2();
        assert!(book.changes.is_some() && book.previous.is_none());
        let again = crate::resolve::Again {
            before: None,
            keep_links: true,
        };
        let (kept, _) = crate::check_reusing(&root, &|_| None, again);
        assert!(kept.expect("no errors").previous.is_some());
    }

    fn el(
        id: &str,
        kind: &'static str,
        fields: &[(&'static str, &str)],
        replaces: &[&str],
    ) -> Element<'static> {
        Element {
            id: id.to_string().into(),
            kind,
            title: format!("Title {id}").into(),
            url: None,
            fields: fields
                .iter()
                .map(|(k, v)| (*k, v.to_string().into()))
                .collect(),
            replaces: replaces.iter().map(|r| r.to_string().into()).collect(),
        }
    }

    fn view(elements: Vec<Element<'static>>) -> View<'static> {
        View {
            elements,
            ..View::default()
        }
    }

    #[test]
    fn two_old_ids_merged_into_one_are_two_renames_and_nothing_removed() {
        let old = view(vec![
            el("A", "practice", &[("statement", "a")], &[]),
            el("B", "practice", &[("statement", "b")], &[]),
        ]);
        let new = view(vec![el(
            "C",
            "practice",
            &[("statement", "a")],
            &["A", "B"],
        )]);
        let d = compare(&old, &new);
        let pairs: Vec<_> = d
            .renamed
            .iter()
            .map(|r| (r.from.as_str(), r.to.as_str()))
            .collect();
        assert_eq!(pairs, [("A", "C"), ("B", "C")]);
        assert!(d.renamed[0].changes.is_empty());
        assert_eq!(d.renamed[1].changes[0].old.as_deref(), Some("b"));
        assert!(d.added.is_empty() && d.removed.is_empty() && d.changed.is_empty());
    }

    #[test]
    fn a_replaced_id_still_in_use_or_unknown_is_no_rename() {
        let old = view(vec![el("A", "practice", &[], &[])]);
        let new = view(vec![
            el("A", "objective", &[], &[]),
            el("C", "practice", &[], &["A", "ZZ"]),
        ]);
        let d = compare(&old, &new);
        assert!(d.renamed.is_empty());
        assert_eq!(d.added.len(), 1);
        // A kind that changes is a change of its own.
        assert_eq!(d.changed[0].changes[0].field, "kind");
        assert_eq!(d.changed[0].changes[0].new.as_deref(), Some("objective"));
    }

    #[test]
    fn a_child_moved_with_its_renamed_parent_has_no_change() {
        let old = view(vec![
            el("OLD", "area", &[], &[]),
            el("OLD-1", "objective", &[("area", "OLD")], &[]),
            el("X-1", "objective", &[("area", "OLD")], &[]),
        ]);
        let new = view(vec![
            el("NEW", "area", &[], &["OLD"]),
            el("NEW-1", "objective", &[("area", "NEW")], &["OLD-1"]),
            el("X-1", "objective", &[("area", "NEW")], &[]),
        ]);
        let d = compare(&old, &new);
        assert_eq!(d.renamed.len(), 2);
        assert!(d.renamed.iter().all(|r| r.changes.is_empty()));
        assert!(d.changed.is_empty(), "{:?}", d.changed);
        assert!(!d.is_empty());
    }
}
