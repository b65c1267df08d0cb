//! Rendering: the resolved model becomes pages (through Tera), the search
//! index, the survey data, the navigation and model.json.

use crate::diag::Diagnostic;
use crate::model::*;
use crate::resolve::{Book, Elem, Owner};
use crate::theme::{Theme, template_error};
use crate::urls::{self, print_anchor};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

mod data;
mod diagram;
pub(crate) mod model_json;
mod pages;
mod print_css;
mod search;
mod shared;
mod sink;
mod sources;
mod versions;
mod views;
mod whole;

use data::*;
use model_json::*;
use pages::*;
use shared::*;
pub use shared::{Spent, Views};
pub use sink::*;
use views::*;
use whole::*;

fn html(md: &Option<Md>) -> Option<&str> {
    md.as_ref()
        .map(|m| m.html.as_str())
        .filter(|h| !h.trim().is_empty())
}

/// A view as a Tera value, converted once and then shared by reference count.
fn tv<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// GG1 is decided by the area's own objectives, not by questions.
fn is_specific_goal(id: &str) -> bool {
    id == "GG1"
}

pub struct Site<'b> {
    b: &'b Book,
    /// Areas in which each generic goal is asked: the goals a level requires,
    /// but not GG1, which the objectives decide.
    asked_goals: Vec<usize>,
    /// Each cluster's figure, drawn once (`None` where it is not drawn).
    figures: Vec<Option<String>>,
}

impl<'b> Site<'b> {
    pub fn new(b: &'b Book) -> Self {
        let m = &b.model;
        let mut asked_goals = Vec::new();
        for l in &m.capability_levels {
            for r in &l.requires {
                if let Some(Elem::Goal(g)) = b.ids.get(&r.text)
                    && !is_specific_goal(&m.generic_goals[*g].id.text)
                    && !asked_goals.contains(g)
                {
                    asked_goals.push(*g);
                }
            }
        }
        asked_goals.sort();
        let mut site = Site {
            b,
            asked_goals,
            figures: Vec::new(),
        };
        site.figures = site.draw_figures();
        site
    }

    /// The generic goals asked in every area (those a capability level
    /// requires), in model order.
    pub fn asked_goals(&self) -> &[usize] {
        &self.asked_goals
    }

    fn link(&self, e: Elem) -> Link {
        let url = self.b.url(e).to_string();
        Link {
            id: self.b.id(e).to_string(),
            title: self.b.title(e).to_string(),
            anchor: print_anchor(&url),
            url,
        }
    }

    /// A breadcrumb: categories are known by their names (their ids are
    /// for authors), everything else by id and title.
    fn crumb(&self, e: Elem) -> Crumb {
        let Link { id, title, url, .. } = self.link(e);
        let title = if matches!(e, Elem::Category(_)) || id.is_empty() || id == title {
            title
        } else {
            format!("{id} {title}")
        };
        Crumb { title, url }
    }

    /// The breadcrumb of an area's category (empty when the category is unknown).
    fn category_crumb(&self, a: usize) -> Crumb {
        match self.b.ids.get(&self.b.model.areas[a].category.text) {
            Some(&e) => self.crumb(e),
            None => Crumb {
                title: String::new(),
                url: String::new(),
            },
        }
    }

    fn backrefs(&self, e: Elem) -> Vec<BackrefView<'_>> {
        let Some(refs) = self.b.backrefs.get(&e) else {
            return Vec::new();
        };
        refs.iter()
            .map(|r| {
                let (id, title) = self.b.owner_title(r.from);
                let url = self.b.owner_url(r.from);
                let kind = match r.from {
                    Owner::Elem(e) => self.b.kind(e),
                    Owner::Term(_) => "Glossary",
                    Owner::Page(_) => "Page",
                    Owner::Site => "",
                };
                BackrefView {
                    id,
                    title,
                    anchor: print_anchor(&url),
                    url,
                    kind,
                    how: r.how,
                }
            })
            .collect()
    }
}

/// How a site is rendered.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Add the live-reload script of `serve` to every page (never in `build`).
    pub live_reload: bool,
    /// The process ends right after the build: leave the model and views to
    /// the system, which takes the whole heap back at once, instead of
    /// freeing them piece by piece (about 3% of a large build).
    pub skip_teardown: bool,
    /// Called once the book is read and checked, before rendering: what
    /// reading it freed (the files, the parsed YAML, the Markdown's
    /// temporaries) is then given back, so that rendering starts from the
    /// book's own size. The binary's allocator says how; the library does
    /// not know which allocator it runs on.
    pub give_back_freed: Option<fn()>,
}

/// JSON Schema of model.json.
pub const MODEL_SCHEMA: &str = include_str!("../model.schema.json");

/// The script that `serve` adds to the pages it serves (never to a build).
pub const RELOAD_SCRIPT: &str = "<script src=\"/__refbook/reload.js\"></script>";

/// Renders every file of the site and hands it to `sink`. Returns the page
/// count; template errors go to `diags`; a failed write ends it with `Err`.
pub fn render_site<S: Sink>(
    site: &Site,
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
    opts: &BuildOptions,
    sink: &S,
) -> Result<usize, WriteError> {
    let views = site.views(None, Lists::ALL, false);
    render_all(site, theme, diags, opts, sink, &views.sh)
}

/// [`render_site`], giving back the views its pages shared: a partial
/// render of the same book reuses them ([`render_first`]).
pub fn render_site_keeping<S: Sink>(
    site: &Site,
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
    opts: &BuildOptions,
    sink: &S,
) -> (Result<usize, WriteError>, Views) {
    let views = site.views(None, Lists::ALL, true);
    let done = render_all(site, theme, diags, opts, sink, &views.sh);
    (done, views)
}

fn render_all<S: Sink>(
    site: &Site,
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
    opts: &BuildOptions,
    sink: &S,
    sh: &Shared,
) -> Result<usize, WriteError> {
    let globals = site.site_globals();
    theme.tera.global_context().insert("site", &globals);
    let tera = &theme.tera;
    let statics = &theme.statics;
    // The data files need no page and the pages no data file: both go at once.
    let (pages, (data, oscal)) = rayon::join(
        || render_pages(site, tera, opts, sink, sh, site.tasks(sh), true),
        || {
            rayon::join(
                || write_data(site, statics, sink),
                || write_oscal(site, sink),
            )
        },
    );
    let (page_count, results) = pages;
    let mut first_errors = std::collections::HashSet::new();
    for r in results {
        match r {
            PageOutcome::Written => {}
            // One broken template fails every page it renders: say it once.
            PageOutcome::Template(d) if first_errors.insert(d.message.clone()) => diags.push(d),
            PageOutcome::Template(_) => {}
            PageOutcome::Write(e) => return Err(e),
        }
    }
    data?;
    diags.extend(oscal?);
    Ok(page_count)
}

/// Renders the pages of `first` as [`render_site`] renders them, and
/// nothing else: no part of a whole-model page, no data file. `serve`
/// shows an edit with these first (the rest follows). `kept`: the views of
/// an earlier render of this same book, if any, reused and given back with
/// what these pages added. Returns the page count.
pub fn render_first<S: Sink>(
    site: &Site,
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
    opts: &BuildOptions,
    sink: &S,
    first: First,
    kept: &mut Option<Views>,
) -> Result<usize, WriteError> {
    if !first.pages.is_empty() {
        // A change of the theme may be its style sheet or scripts.
        for (name, bytes) in &theme.statics {
            sink.put(&urls::asset(name), bytes)?;
        }
    }
    let globals = site.site_globals();
    theme.tera.global_context().insert("site", &globals);
    let views = site.views(kept.take(), Lists::default(), true);
    let mut tasks = site.tasks(&views.sh);
    tasks.retain(|&t| first.wants(site, &views.sh, t));
    // The lists of the model (long at scale) only as these pages show them.
    let views = site.views(Some(views), Lists::of(&tasks), true);
    let (count, results) = render_pages(site, &theme.tera, opts, sink, &views.sh, tasks, false);
    *kept = Some(views);
    for r in results {
        match r {
            PageOutcome::Written => {}
            PageOutcome::Template(d) => diags.push(d),
            PageOutcome::Write(e) => return Err(e),
        }
    }
    Ok(count)
}

/// Which pages a partial render makes: those of some areas, and those at
/// some addresses (the pages open in a browser; with the theme's static
/// files).
#[derive(Clone, Copy)]
pub struct First<'a> {
    /// Areas by their place in the model: all their pages.
    pub areas: &'a [usize],
    /// Pages by their path in the site; for one of an area's, all that
    /// area's pages. A page of the whole model is not made.
    pub pages: &'a HashSet<String>,
}

impl First<'_> {
    fn wants(self, site: &Site, sh: &Shared, task: Task) -> bool {
        match task {
            Task::Area(a) if self.areas.contains(&a) => true,
            Task::Area(_) if self.pages.is_empty() => false,
            Task::Area(a) => {
                let code = &site.b.model.areas[a].code.text;
                let home = urls::area(code);
                let folder = home.strip_suffix(urls::HOME).unwrap_or(&home);
                self.pages.contains(&urls::worksheet(code))
                    || self.pages.iter().any(|p| p.starts_with(folder))
            }
            t => site
                .task_path(sh, t)
                .is_some_and(|p| self.pages.contains(&p)),
        }
    }
}

/// What became of one page, or of one area's part of a whole-model page.
enum PageOutcome {
    Written,
    /// Its template failed (the content's problem: a diagnostic).
    Template(Diagnostic),
    /// It could not be written (the machine's: it ends the build).
    Write(WriteError),
}

impl From<Result<(), WriteError>> for PageOutcome {
    fn from(r: Result<(), WriteError>) -> Self {
        match r {
            Ok(()) => PageOutcome::Written,
            Err(e) => PageOutcome::Write(e),
        }
    }
}

/// The pages of `tasks`; with `whole` (every task of the site) the
/// whole-model pages too, assembled from the areas' parts and counted.
fn render_pages<S: Sink>(
    site: &Site,
    tera: &tera::Tera,
    opts: &BuildOptions,
    sink: &S,
    sh: &Shared,
    tasks: Vec<Task>,
    whole: bool,
) -> (usize, Vec<PageOutcome>) {
    let wholes = site.whole_model(sh, whole);
    let stores = wholes
        .iter()
        .enumerate()
        .map(|(i, _)| PartStore::new(sink.scratch(), i).map(Mutex::new))
        .collect::<std::io::Result<Vec<_>>>();
    let stores = match stores {
        Ok(s) => s,
        Err(e) => {
            let e = sink.write_error(".refbook-parts", e);
            return (0, vec![PageOutcome::Write(e)]);
        }
    };
    let r = Renderer {
        site,
        tera,
        opts,
        sink,
        count: AtomicUsize::new(if whole { wholes.len() } else { 0 }),
        sh,
        wholes,
        stores,
        parts: whole,
    };
    let mut results: Vec<PageOutcome> = tasks
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|task| match task {
            // Stopped: what is left would be thrown away.
            _ if sink.stopped() => Vec::new(),
            Task::Area(a) => r.area(a).unwrap_or_else(|d| vec![PageOutcome::Template(d)]),
            t => site
                .page(sh, t)
                .map(|job| r.page(&job))
                .into_iter()
                .collect(),
        })
        // A written page needs nothing more: keeping one outcome per file
        // held megabytes through the render at scale.
        .filter(|o| !matches!(o, PageOutcome::Written))
        .collect();
    if !r.parts || sink.stopped() {
        return (r.count.into_inner(), results);
    }
    results.extend(
        r.wholes
            .par_iter()
            .zip(&r.stores)
            .map(|(w, store)| assemble(w, &mut lock(store), tera, opts, sink))
            .collect::<Vec<_>>(),
    );
    (r.count.into_inner(), results)
}

/// What the rendering tasks share: the views many pages show, the pages of
/// the whole model with the parts kept for each, and the page count.
struct Renderer<'r, 'b, S> {
    site: &'r Site<'b>,
    tera: &'r tera::Tera,
    opts: &'r BuildOptions,
    sink: &'r S,
    sh: &'r Shared,
    wholes: Vec<Whole>,
    stores: Vec<Mutex<PartStore>>,
    count: AtomicUsize,
    /// The areas' parts of the whole-model pages are made (not when only
    /// some areas' pages are).
    parts: bool,
}

impl<S: Sink> Renderer<'_, '_, S> {
    /// A page is small: it is made whole in memory, then handed over at once.
    fn page(&self, job: &PageJob) -> PageOutcome {
        self.count.fetch_add(1, Ordering::Relaxed);
        let mut bytes = Vec::with_capacity(16 << 10);
        if let Err(e) = self.tera.render_to(job.template, &job.ctx, &mut bytes) {
            return PageOutcome::Template(template_error(&e));
        }
        let mut bytes = with_root(bytes, &job.root);
        if self.opts.live_reload {
            inject_reload(&mut bytes);
        }
        self.sink.put(&job.path, &bytes).into()
    }

    /// An area's part of a page (its survey, its worksheet): tens of
    /// kilobytes, which a buffer grown from the template's size would copy
    /// several times over on the way.
    fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        let mut out = Vec::with_capacity(64 << 10);
        self.tera
            .render_to(template, ctx, &mut out)
            .map_err(|e| template_error(&e))?;
        // Tera writes text only; were it ever not UTF-8, keep what it wrote.
        Ok(String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
    }

    /// One task per area: its view is built, shown on its pages and parts,
    /// and dropped, so that the whole model's views are never in memory at
    /// once. What two pages show alike (the live survey on the area page and
    /// the survey page, the worksheet on its page and the page of all
    /// worksheets) is rendered once, without a root: each page puts in its own.
    fn area(&self, a: usize) -> Result<Vec<PageOutcome>, Diagnostic> {
        let area = tv(&self.site.area_view(a, true));
        let rootless = |mut ctx: tera::Context| {
            ctx.insert_value("area", area.clone());
            ctx.insert("root", &ROOT_MARK.to_string());
            ctx
        };
        // Tera values of the two, made once: a large string value is shared
        // by its clones, where each `safe_string` copied tens of kilobytes.
        let survey_html = match self.site.b.model.survey {
            Some(_) => {
                let mut ctx = tera::Context::new();
                ctx.insert("live", &true);
                let html = self.render("survey_questions.html", &rootless(ctx))?;
                Some(tera::Value::safe_string(&html))
            }
            None => None,
        };
        let mut sheet = self
            .wholes
            .iter()
            .find(|w| w.kind == WholeKind::Worksheets)
            .map(|w| self.render(w.kind.part(), &rootless(w.frame.ctx.clone())))
            .transpose()?;
        let sheet_value = sheet.as_deref().map(tera::Value::safe_string);
        let jobs = self.site.area_pages(
            self.sh,
            a,
            &area,
            survey_html.as_ref(),
            sheet_value.as_ref(),
        );
        let mut out: Vec<PageOutcome> = jobs.iter().map(|job| self.page(job)).collect();
        drop(jobs);
        if !self.parts {
            return Ok(out);
        }
        for (w, store) in self.wholes.iter().zip(&self.stores) {
            // The one worksheets whole: its part is the sheet its page shows.
            let part = match sheet.take_if(|_| w.kind == WholeKind::Worksheets) {
                Some(sheet) => sheet,
                None => {
                    let mut ctx = w.frame.ctx.clone();
                    ctx.insert_value("area", area.clone());
                    if let Some(html) = &survey_html {
                        ctx.insert_value("survey_html", html.clone());
                    }
                    self.render(w.kind.part(), &ctx)?
                }
            };
            let part = fix(part.into_bytes(), w);
            if w.split {
                let code = &self.site.b.model.areas[a].code.text;
                let (path, _) = urls::whole_part(&w.frame.path, code);
                out.push(self.sink.put(&path, &part_script(code, &part)).into());
                continue;
            }
            let kept = lock(store).append(a, &part);
            out.push(
                kept.map_err(|e| self.sink.write_error(&w.frame.path, e))
                    .into(),
            );
        }
        Ok(out)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}
