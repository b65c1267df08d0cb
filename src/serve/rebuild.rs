//! Building the book into the private folder that is served, and telling
//! the terminal how it went.

mod in_place;
mod writing;

use in_place::area_at;

use super::files::{self, Files, Fresh, Held, MemSink, Stage};
use crate::diag::{self, Diagnostic};
use crate::render::{self, BuildOptions, Sink};
use crate::resolve::Book;
use crate::theme;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// Builds the book into the site folder, writing only what changed.
pub(super) struct Builder {
    root: PathBuf,
    pub(super) site: PathBuf,
    pub(super) opts: BuildOptions,
    /// What the site folder holds: path relative to it -> bytes. Shared
    /// with the render of the rest of the site, which compares with it
    /// without holding the builder.
    pub(super) files: Arc<RwLock<Files>>,
    /// Files a quick rebuild made, served from memory until `flush` writes
    /// them (shared with the server).
    pub(super) held: Arc<Held>,
    /// Those of `held` still to write, in the order they were made.
    unwritten: Vec<(String, Arc<[u8]>)>,
    theme: Option<theme::Theme>,
    /// The book as the sources are now, when it has no error: an edit to
    /// one area file is put into it in place (see `quick`).
    book: Option<Book>,
    /// Only some pages of `book` are served yet (a quick rebuild, or a full
    /// one stopped for a newer edit): `rest` renders the rest.
    pub(super) behind: bool,
    /// Counts the rebuilds: a book checked while another rebuild ran is
    /// not the sources' any more.
    pub(super) generation: u64,
    /// Batches of changes the watcher has sent and the loop not yet taken:
    /// while any wait, a full render stops early (its files are dropped).
    pub(super) pending: Arc<AtomicUsize>,
    /// The server is stopping: the site folder is gone, write nothing.
    pub(super) stopped: bool,
    /// How the last rebuild after a change came to its book.
    pub(super) way: Way,
    /// The views the last render shared, for the next partial render:
    /// of the kept book, or marked edited (the next render makes them
    /// again, taking each category's view where it shows the same).
    views: Option<render::Views>,
    /// The book an edit could not be put into: no longer the sources',
    /// but its areas whose files did not change are, for the check that
    /// follows to take instead of reading them again.
    spent: Option<Book>,
    /// The pages open in a browser (paths in the site), as the watcher saw
    /// them when the change came: a change that is not put in place renders
    /// them first.
    pub(super) open: HashSet<String>,
}

/// What a large model holds (a book, the views of its pages) takes a
/// while to free (at S=100, tens of milliseconds for the views): it is
/// freed on a thread of its own, not on the way to the page.
pub(super) struct Aside<T: Send + 'static>(pub(super) Option<T>);

impl<T: Send + 'static> Drop for Aside<T> {
    fn drop(&mut self) {
        if let Some(t) = self.0.take() {
            std::thread::spawn(move || drop(t));
        }
    }
}

/// How a rebuild after a change came to the book it renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Way {
    /// The whole book was checked again.
    Checked,
    /// The edited files (areas, the glossary, free pages, category
    /// descriptions) were put into the kept book in place.
    InPlace,
    /// The kept book stands as it was (the theme, or book.toml's rendered
    /// settings, changed).
    Kept,
}

/// The result of one rebuild.
pub(super) enum Outcome {
    Good {
        pages: usize,
        /// Files written or removed, relative to the site.
        changed: Vec<String>,
        elapsed: Duration,
        warnings: Vec<Diagnostic>,
    },
    Bad {
        diags: Vec<Diagnostic>,
        elapsed: Duration,
    },
    /// A full render stopped for a newer change: nothing was written.
    Stopped,
}

/// A check with nothing to take from a book before, recording what each
/// area's texts name for the next.
pub(super) const KEEP_LINKS: crate::resolve::Again = crate::resolve::Again {
    before: None,
    keep_links: true,
};

impl Builder {
    pub(super) fn new(root: &Path, site: &Path) -> Builder {
        Builder {
            root: root.to_path_buf(),
            site: site.to_path_buf(),
            opts: BuildOptions {
                live_reload: true,
                ..Default::default()
            },
            files: Arc::default(),
            held: Arc::default(),
            unwritten: Vec::new(),
            theme: None,
            book: None,
            behind: false,
            generation: 0,
            pending: Arc::new(AtomicUsize::new(0)),
            stopped: false,
            way: Way::Checked,
            views: None,
            spent: None,
            open: HashSet::new(),
        }
    }

    /// Loads, checks and renders the whole book; writes the files whose bytes
    /// changed. `theme_dirty` is false only when every change lies in the
    /// content folder: then the compiled templates are kept.
    pub(super) fn rebuild(&mut self, theme_dirty: bool) -> Outcome {
        let start = Instant::now();
        self.generation += 1;
        let checked = if self.stopped {
            (None, Vec::new())
        } else {
            crate::check_reusing(&self.root, &|_| None, KEEP_LINKS)
        };
        self.finish(checked, theme_dirty, start)
    }

    /// Renders a book checked since `start` and writes what changed.
    pub(super) fn finish(
        &mut self,
        (book, mut diags): (Option<Book>, Vec<Diagnostic>),
        theme_dirty: bool,
        start: Instant,
    ) -> Outcome {
        let bad = |diags: Vec<Diagnostic>| Outcome::Bad {
            diags,
            elapsed: start.elapsed(),
        };
        // Whatever comes of it, the book it replaces is not the sources'.
        self.set_book(None);
        self.behind = false;
        if self.stopped {
            // The server is stopping: nothing failed, nothing is written.
            return Outcome::Stopped;
        }
        let Some(book) = book else {
            return bad(diags);
        };
        let theme = match self.theme.take() {
            Some(t) if !theme_dirty => t,
            // A theme that fails to load is not kept: the next build tries again.
            _ => match theme::load_for(&self.root, &book.model.book, &mut diags) {
                Some(t) if !diag::has_errors(&diags) => t,
                _ => return bad(diags),
            },
        };
        let theme = self.theme.insert(theme);
        let site = render::Site::new(&book);
        let fresh: Mutex<Vec<Fresh>> = Mutex::new(Vec::new());
        let direct = (self.files.read().unwrap_or_else(|e| e.into_inner())).is_empty();
        let stage = match direct {
            true => None,
            false => match Stage::new(&self.site) {
                Ok(s) => Some(s),
                Err(e) => return bad(vec![files::unwritable(&self.site, &e)]),
            },
        };
        let sink = MemSink {
            prev: &self.files,
            fresh: &fresh,
            pending: Some(&self.pending),
            direct: direct.then_some(self.site.as_path()),
            stage: stage.as_ref(),
        };
        let (pages, views) =
            render::render_site_keeping(&site, theme, &mut diags, &self.opts, &sink);
        drop(site);
        if sink.stopped() {
            // The book is the sources' as they were read; the site is behind it.
            self.book = Some(book);
            self.views = Some(views);
            self.behind = true;
            return Outcome::Stopped;
        }
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        match rendered(book, (fresh, stage), pages, diags, views) {
            Ok(r) => self.commit(r, start),
            Err(diags) => {
                if direct {
                    files::unwrite(&self.site, &self.files);
                }
                bad(diags)
            }
        }
    }

    /// Writes a whole site rendered since `start`, and keeps its book.
    pub(super) fn commit(&mut self, r: Rendered, start: Instant) -> Outcome {
        let Rendered {
            book,
            fresh,
            pages,
            mut diags,
            views,
            stage,
        } = r;
        self.set_book(Some(book));
        self.views = Some(views);
        self.behind = false;
        let mut changed = self.write(fresh, true, &mut diags);
        drop(stage);
        if diag::has_errors(&diags) {
            self.set_book(None);
            return Outcome::Bad {
                diags,
                elapsed: start.elapsed(),
            };
        }
        changed.sort();
        Outcome::Good {
            pages,
            changed,
            elapsed: start.elapsed(),
            warnings: diags,
        }
    }

    /// Rebuilds after the files `paths` changed: an edit to area files that
    /// leaves the rest of the book as it was shows at once on the areas'
    /// pages, a change of the theme or of book.toml's rendered settings on
    /// the open pages (with none open, the kept book is rendered whole), and
    /// any other change on the edited areas' and the open pages once the
    /// book is checked again (the rest follows from `rest`). With no page
    /// open and no area edited, or changes that may have been missed, the
    /// site is checked and rebuilt whole.
    pub(super) fn rebuild_changed(&mut self, theme_dirty: bool, paths: &[PathBuf]) -> Outcome {
        self.generation += 1;
        self.way = Way::Checked;
        if self.stopped {
            return self.rebuild(theme_dirty);
        }
        let start = Instant::now();
        if !theme_dirty {
            if let Some(p) = self.patch(paths) {
                self.way = Way::InPlace;
                return self.quick(&p.areas, Pages::These(p.pages), start, p.warnings);
            }
            if self.theme.is_some() {
                return self.checked_quick(paths, false, start);
            }
        } else if self.settings_in_place(paths) {
            self.way = Way::Kept;
            if self.open.is_empty() {
                // Nobody is waiting for a page: the kept book is rendered
                // whole, without checking it again.
                let book = self.book.take();
                return self.finish((book, Vec::new()), true, start);
            }
            return self.theme_first(start);
        } else if !paths.is_empty() && !self.open.is_empty() {
            // book.toml, or the theme with the content: the open pages first.
            return self.checked_quick(paths, true, start);
        }
        self.rebuild(theme_dirty)
    }

    /// The theme changed and the book did not: the kept book is rendered
    /// with the theme as it is now, the open pages and the theme's static
    /// files first; the rest follows as after a quick rebuild. A theme that
    /// does not load is said at once, and the book is kept for its fix.
    fn theme_first(&mut self, start: Instant) -> Outcome {
        let mut diags = Vec::new();
        if !self.load_theme(&mut diags) {
            return Outcome::Bad {
                diags,
                elapsed: start.elapsed(),
            };
        }
        self.quick(&[], Pages::Open, start, diags)
    }

    /// Loads the theme again, as the kept book names it; when it does not
    /// load (its problems added to `diags`), none is kept, so that the next
    /// rebuild tries again.
    fn load_theme(&mut self, diags: &mut Vec<Diagnostic>) -> bool {
        let Some(book) = &self.book else {
            return false;
        };
        self.theme = theme::load_for(&self.root, &book.model.book, diags)
            .filter(|_| !diag::has_errors(diags));
        self.theme.is_some()
    }

    /// An edit that the kept book cannot take in place (an area's category,
    /// related areas or an old id replaced; the glossary, the model file,
    /// other content): the whole book is checked again, then the pages of
    /// the edited areas and the pages open in a browser are rendered from
    /// it and shown first, the rest following as after a quick rebuild.
    /// With neither, the checked book is rendered whole. `theme_dirty`: the
    /// theme is loaded again (book.toml may name another).
    fn checked_quick(&mut self, paths: &[PathBuf], theme_dirty: bool, start: Instant) -> Outcome {
        let (book, mut diags) = self.check_reusing(paths);
        let Some(book) = book.filter(|_| !self.stopped) else {
            return self.finish((None, diags), false, start);
        };
        let areas: Vec<usize> = paths
            .iter()
            .filter_map(|p| area_at(&self.root, &book, p))
            .collect();
        if self.pending.load(Ordering::SeqCst) > 0 {
            // A newer change waits: keep the book, render nothing yet.
            self.set_book(Some(book));
            self.behind = true;
            return Outcome::Stopped;
        }
        if areas.is_empty() && self.open.is_empty() {
            return self.finish((Some(book), diags), theme_dirty, start);
        }
        self.set_book(Some(book));
        if theme_dirty && !self.load_theme(&mut diags) {
            return Outcome::Bad {
                diags,
                elapsed: start.elapsed(),
            };
        }
        self.quick(&areas, Pages::Open, start, diags)
    }

    /// Keeps `book` (or none) as the sources' book. Freeing a large model
    /// takes a while: the one it replaces goes on a thread of its own, not
    /// on the way to the page.
    fn set_book(&mut self, book: Option<Book>) {
        let views = self.views.as_mut().and_then(render::Views::edited);
        let spent = self.spent.take();
        let old = std::mem::replace(&mut self.book, book);
        if old.is_some() || spent.is_some() || views.is_some() {
            drop(Aside(Some((old, views, spent))));
        }
    }

    /// The kept views are not the book's any more: the next render makes
    /// them again, taking what still shows the same.
    pub(super) fn views_edited(&mut self) {
        drop(Aside(self.views.as_mut().and_then(render::Views::edited)));
    }

    /// The book is not known to be the sources' any more: the next change
    /// is a full rebuild, and nothing is left to catch up with.
    pub(super) fn forget(&mut self) {
        self.set_book(None);
        self.behind = false;
    }

    /// Renders and writes the pages of `areas` from the book (patched, or
    /// checked again with the warnings `diags`), and the pages `pages`
    /// names (those open in a browser, or those an edit put in place shows
    /// on); leaves the rest of the site behind it.
    fn quick(
        &mut self,
        areas: &[usize],
        pages: Pages,
        start: Instant,
        mut diags: Vec<Diagnostic>,
    ) -> Outcome {
        let (Some(book), Some(theme)) = (&self.book, &mut self.theme) else {
            return self.rebuild(false);
        };
        let site = render::Site::new(book);
        let fresh: Mutex<Vec<Fresh>> = Mutex::new(Vec::new());
        let sink = MemSink {
            prev: &self.files,
            fresh: &fresh,
            pending: None,
            direct: None,
            stage: None,
        };
        let these;
        let first = render::First {
            areas,
            pages: match pages {
                Pages::Open => &self.open,
                Pages::These(p) => {
                    these = p;
                    &these
                }
            },
        };
        let pages = render::render_first(
            &site,
            theme,
            &mut diags,
            &self.opts,
            &sink,
            first,
            &mut self.views,
        );
        drop(site);
        if pages.is_err() || diag::has_errors(&diags) {
            self.set_book(None);
            return self.rebuild(false);
        }
        let fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut changed = self.hold(fresh, &mut diags);
        if diag::has_errors(&diags) {
            return Outcome::Bad {
                diags,
                elapsed: start.elapsed(),
            };
        }
        self.behind = true;
        changed.sort();
        Outcome::Good {
            pages: pages.unwrap_or(0),
            changed,
            elapsed: start.elapsed(),
            warnings: diags,
        }
    }
}

/// A whole site rendered, not yet written.
pub(super) struct Rendered {
    book: Book,
    fresh: Vec<Fresh>,
    pages: usize,
    diags: Vec<Diagnostic>,
    views: render::Views,
    /// Where its changed files wait (removed with what is left in it).
    stage: Option<Stage>,
}

/// What a render of the whole site came to: the site to write, or the
/// problems that keep it from being written.
pub(super) fn rendered(
    book: Book,
    (fresh, stage): (Vec<Fresh>, Option<Stage>),
    pages: Result<usize, render::WriteError>,
    diags: Vec<Diagnostic>,
    views: render::Views,
) -> Result<Rendered, Vec<Diagnostic>> {
    // This sink keeps files in memory and cannot fail; say so if it ever does.
    let pages = pages.map_err(|e| vec![Diagnostic::error(diag::Loc::default(), e.to_string())])?;
    if diag::has_errors(&diags) {
        return Err(diags);
    }
    Ok(Rendered {
        book,
        fresh,
        pages,
        diags,
        views,
        stage,
    })
}

/// Which pages a quick rebuild renders besides the areas'.
pub(super) enum Pages {
    /// Those open in a browser.
    Open,
    These(HashSet<String>),
}

/// Which build a report is of.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum When {
    First,
    /// After a change: the pages it shows on, or all.
    Edit,
    /// The rest of the site, after a quick rebuild.
    Rest,
}

/// Tells the terminal how a build went: the first in full, later ones as
/// what changed.
pub(super) fn report(root: &Path, outcome: &Outcome, when: When) {
    let first = when == When::First;
    match outcome {
        Outcome::Stopped => {}
        Outcome::Good {
            pages,
            changed,
            elapsed,
            warnings,
        } => {
            diag::eprint(root, warnings);
            let ms = elapsed.as_millis();
            if first {
                say!("built {pages} pages in {ms} ms");
                return;
            }
            let html = changed.iter().filter(|f| f.ends_with(".html")).count();
            let other = changed.len() - html;
            let what = match (html, other) {
                // Put in place with no page to show first.
                (0, 0) if *pages == 0 && when == When::Edit => {
                    "no open page shows it; the rest follows".to_string()
                }
                (0, 0) => "nothing changed".to_string(),
                (h, 0) => format!("{} changed", diag::plural(h, "page")),
                (0, o) => format!("{} changed", diag::plural(o, "file")),
                (h, o) => format!(
                    "{}, {} changed",
                    diag::plural(h, "page"),
                    diag::plural(o, "other file")
                ),
            };
            // "rebuilt" is said once per change (tools/serve_bench.py counts it).
            let done = if when == When::Rest {
                "rest of the site rebuilt"
            } else {
                "rebuilt"
            };
            say!("{done} in {ms} ms ({what})");
        }
        Outcome::Bad { diags, elapsed } => {
            diag::eprint(root, diags);
            say_err!(
                "build failed in {} ms: {}; {}",
                elapsed.as_millis(),
                diag::summary(diags),
                if first {
                    "the site will appear when the book builds"
                } else {
                    "still serving the last good build"
                }
            );
        }
    }
}
