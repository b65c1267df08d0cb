//! Rendering: the resolved model becomes pages (through Tera), the search
//! index, the survey data, the navigation and model.json.

use crate::diag::Diagnostic;
use crate::model::*;
use crate::resolve::{Book, Elem, Owner, page_url, term_anchor};
use crate::theme::{Theme, template_error};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

#[derive(Serialize, Clone)]
struct Link {
    id: String,
    title: String,
    url: String,
    anchor: String,
}

// The views the templates get, serialised straight into Tera values.
// Lists of areas leave out what only an area's own pages show (`detail`,
// flattened into the view when present).

#[derive(Serialize)]
struct BackrefView<'a> {
    id: String,
    title: String,
    anchor: String,
    url: String,
    kind: &'a str,
    how: &'static str,
}

#[derive(Serialize)]
struct SubView<'a> {
    title_html: &'a str,
    notes_html: Option<&'a str>,
}

#[derive(Serialize)]
struct PracticeView<'a> {
    #[serde(flatten)]
    link: Link,
    statement_html: &'a str,
    q_anchor: String,
    notes_html: Option<&'a str>,
    work_products: &'a [String],
    subpractices: Vec<SubView<'a>>,
    backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
struct ObjectiveView<'a> {
    #[serde(flatten)]
    link: Link,
    #[serde(flatten)]
    full: Option<ObjectiveDetail<'a>>,
}

#[derive(Serialize)]
struct ObjectiveDetail<'a> {
    statement_html: &'a str,
    notes_html: Option<&'a str>,
    practices: Vec<PracticeView<'a>>,
    backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
struct LinkWith<'a> {
    #[serde(flatten)]
    link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    note_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    html: Option<&'a str>,
}

#[derive(Serialize)]
struct ClusterRef<'a> {
    id: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct AreaView<'a> {
    #[serde(flatten)]
    link: Link,
    code: &'a str,
    slug: String,
    name: &'a str,
    category: Option<Link>,
    group: Option<&'a str>,
    status_html: Option<&'a str>,
    purpose_html: &'a str,
    objectives: Vec<ObjectiveView<'a>>,
    practice_count: usize,
    #[serde(flatten)]
    detail: Option<AreaDetail<'a>>,
}

#[derive(Serialize)]
struct AreaDetail<'a> {
    introduction_html: &'a str,
    related: Vec<LinkWith<'a>>,
    elaborations: Vec<LinkWith<'a>>,
    clusters: Vec<ClusterRef<'a>>,
    backrefs: Vec<BackrefView<'a>>,
    questions: Questions<'a>,
}

#[derive(Serialize)]
struct Questions<'a> {
    objectives: Vec<QuestionGroup<'a>>,
    goals: Vec<QuestionGroup<'a>>,
}

#[derive(Serialize)]
struct QuestionGroup<'a> {
    id: &'a str,
    title: &'a str,
    questions: Vec<Question<'a>>,
}

#[derive(Serialize)]
struct Question<'a> {
    id: String,
    anchor: String,
    title: &'a str,
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    objective: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    gp: Option<&'a str>,
    question: Option<&'a str>,
    statement_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    elaboration_html: Option<&'a str>,
    kind: &'static str,
}

#[derive(Serialize)]
struct AreaGroup<'a> {
    name: Option<&'a str>,
    areas: Vec<AreaView<'a>>,
}

#[derive(Serialize)]
struct CategoryView<'a> {
    #[serde(flatten)]
    link: Link,
    name: &'a str,
    summary: Option<&'a str>,
    description_html: Option<&'a str>,
    groups: Vec<AreaGroup<'a>>,
    backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

/// Views shared by many pages.
struct Shared {
    categories_tv: tera::Value,
    /// Each shown category's view, by its index in the model.
    category: HashMap<usize, tera::Value>,
    goals_tv: tera::Value,
    /// The shown generic goals in full, in order, each with its index in
    /// the model.
    goals_full: Vec<(usize, tera::Value)>,
    /// Each cluster of the model, in order.
    clusters: Vec<tera::Value>,
    clusters_tv: tera::Value,
    levels: tera::Value,
    /// Every element in reading order (previous and next follow it).
    order: Vec<Elem>,
    pos: crate::resolve::Map<Elem, usize>,
}

impl Shared {
    /// A generic goal in full, by its index in the model.
    fn goal(&self, g: usize) -> Option<tera::Value> {
        self.goals_full
            .iter()
            .find(|(i, _)| *i == g)
            .map(|(_, v)| v.clone())
    }
}

/// A unit of rendering work.
#[derive(Clone, Copy)]
enum Task {
    Home,
    /// An area with its objectives, practices, worksheet and parts.
    Area(usize),
    /// A category, generic goal or generic practice.
    Elem(Elem),
    Glossary,
    Page(usize),
    Results,
    NotFound,
}

/// A page that holds every area: its frame, in which each area's part is
/// put.
struct Whole {
    frame: PageJob,
    kind: WholeKind,
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum WholeKind {
    Print,
    Survey,
    Worksheets,
}

impl WholeKind {
    /// The template of an area's part.
    fn part(self) -> &'static str {
        match self {
            WholeKind::Print => "print_area.html",
            WholeKind::Survey => "survey_area.html",
            WholeKind::Worksheets => "worksheet_body.html",
        }
    }
}

/// Where an area's part goes in a whole-model page's frame. Content cannot
/// hold the mark: the loader drops control characters.
fn part_mark(a: usize) -> String {
    format!("{PART}{a}{PART}")
}

const PART: char = '\u{2}';

/// What a page of the site is, for the writer.
struct PageJob {
    path: String,
    /// The way from this page back to the site root, put before every link.
    root: String,
    template: &'static str,
    ctx: tera::Context,
}

fn html(md: &Option<Md>) -> Option<&str> {
    md.as_ref()
        .map(|m| m.html.as_str())
        .filter(|h| !h.trim().is_empty())
}

/// The anchor of a page's content inside the whole-model print page.
fn print_anchor(url: &str) -> String {
    if let Some((base, frag)) = url.split_once('#') {
        // Survey questions are not on the print page: their area is.
        if !frag.starts_with("q-") {
            return frag.to_string();
        }
        return print_anchor(base);
    }
    let base = url.trim_end_matches("index.html").trim_end_matches('/');
    if base.is_empty() {
        "top".into()
    } else {
        base.replace('/', "-")
    }
}

/// Relative, so that the site works from disk and under any prefix; but the
/// 404 page answers at any depth, so its links start at `site-url`.
fn root_of(path: &str, site_url: &str) -> String {
    if path == "404.html" {
        let mut root = site_url.to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        return root;
    }
    "../".repeat(path.matches('/').count())
}

pub struct Site<'b> {
    b: &'b Book,
    /// Areas in which each generic goal is asked: the goals a level requires,
    /// but not GG1, which the objectives decide.
    asked_goals: Vec<usize>,
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
        Site { b, asked_goals }
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

    fn site_globals(&self) -> Value {
        let m = &self.b.model;
        let scale: Vec<Value> = m
            .survey
            .as_ref()
            .map(|s| {
                s.scale
                    .iter()
                    .map(|v| json!({"value": v.value, "label": v.label, "description": v.description}))
                    .collect()
            })
            .unwrap_or_default();
        json!({
            "book_title": m.book.title,
            "description": m.book.description,
            "language": m.book.language,
            "title": m.title,
            "id": m.id.text,
            "version": m.version,
            "source": m.source,
            "notice_html": html(&m.notice),
            "terms": m.terms,
            "survey": m.survey.is_some(),
            "scale": scale,
            "not_applicable": m.survey.as_ref().is_some_and(|s| s.not_applicable),
            "performed_at": m.survey.as_ref().map(|s| s.performed_at),
            "pages": m.pages.iter().map(|p| json!({"title": p.title, "url": page_url(&p.slug)})).collect::<Vec<_>>(),
            "has_glossary": !m.glossary.is_empty(),
        })
    }

    /// An area as its pages show it (`full`), or as lists of areas do:
    /// links to its objectives, no practices.
    fn area_view(&self, a: usize, full: bool) -> AreaView<'_> {
        let m = &self.b.model;
        let area = &m.areas[a];
        let objectives = area
            .objectives
            .iter()
            .enumerate()
            .map(|(o, obj)| {
                let practices = obj
                    .practices
                    .iter()
                    .enumerate()
                    .filter(|_| full)
                    .map(|(p, pr)| PracticeView {
                        link: self.link(Elem::Practice(a, o, p)),
                        statement_html: &pr.statement.html,
                        q_anchor: format!("q-{}", slug(&pr.id.text)),
                        notes_html: html(&pr.notes),
                        work_products: &pr.work_products,
                        subpractices: subs(&pr.subpractices),
                        backrefs: self.backrefs(Elem::Practice(a, o, p)),
                    })
                    .collect();
                ObjectiveView {
                    link: self.link(Elem::Objective(a, o)),
                    full: full.then(|| ObjectiveDetail {
                        statement_html: &obj.statement.html,
                        notes_html: html(&obj.notes),
                        practices,
                        backrefs: self.backrefs(Elem::Objective(a, o)),
                    }),
                }
            })
            .collect();
        let detail = full.then(|| AreaDetail {
            introduction_html: &area.introduction.html,
            related: area
                .related
                .iter()
                .filter_map(|r| {
                    let e = *self.b.ids.get(&r.area.text)?;
                    Some(LinkWith {
                        link: self.link(e),
                        note_html: html(&r.note),
                        html: None,
                    })
                })
                .collect(),
            elaborations: area
                .elaborations
                .iter()
                .filter_map(|(gp, text)| {
                    let e = *self.b.ids.get(&gp.text)?;
                    Some(LinkWith {
                        link: self.link(e),
                        note_html: None,
                        html: Some(&text.html),
                    })
                })
                .collect(),
            clusters: m
                .clusters
                .iter()
                .filter(|c| c.areas.iter().any(|s| s.text == area.code.text))
                .map(|c| ClusterRef {
                    id: &c.id.text,
                    name: &c.name,
                })
                .collect(),
            backrefs: self.backrefs(Elem::Area(a)),
            questions: self.build_questions(a),
        });
        AreaView {
            link: self.link(Elem::Area(a)),
            code: &area.code.text,
            slug: slug(&area.code.text),
            name: &area.name,
            category: self.b.ids.get(&area.category.text).map(|&e| self.link(e)),
            group: area.group.as_deref(),
            status_html: html(&area.status),
            purpose_html: &area.purpose.html,
            objectives,
            practice_count: area.objectives.iter().map(|o| o.practices.len()).sum(),
            detail,
        }
    }

    /// The questions asked for an area: its practices, then the generic
    /// practices of the goals a capability level requires.
    fn build_questions(&self, a: usize) -> Questions<'_> {
        let m = &self.b.model;
        let area = &m.areas[a];
        let objectives = area
            .objectives
            .iter()
            .enumerate()
            .map(|(o, obj)| QuestionGroup {
                id: &obj.id.text,
                title: &obj.title,
                questions: obj
                    .practices
                    .iter()
                    .enumerate()
                    .map(|(p, pr)| Question {
                        anchor: format!("q-{}", slug(&pr.id.text)),
                        id: pr.id.text.clone(),
                        title: &pr.title,
                        url: self.b.url(Elem::Practice(a, o, p)),
                        objective: Some(&obj.id.text),
                        gp: None,
                        question: pr.question.as_deref(),
                        statement_html: &pr.statement.html,
                        elaboration_html: None,
                        kind: "practice",
                    })
                    .collect(),
            })
            .collect();
        let goals = self
            .asked_goals
            .iter()
            .map(|&g| {
                let goal = &m.generic_goals[g];
                QuestionGroup {
                    id: &goal.id.text,
                    title: &goal.title,
                    questions: goal
                        .practices
                        .iter()
                        .enumerate()
                        .map(|(p, gp)| {
                            let id = asked_id(&area.code.text, &gp.id.text);
                            Question {
                                anchor: format!("q-{}", slug(&id)),
                                id,
                                title: &gp.title,
                                url: self.b.url(Elem::GenericPractice(g, p)),
                                objective: None,
                                gp: Some(&gp.id.text),
                                question: gp.question.as_deref(),
                                statement_html: &gp.statement.html,
                                elaboration_html: area
                                    .elaborations
                                    .iter()
                                    .find(|(k, _)| k.text == gp.id.text)
                                    .map(|(_, t)| t.html.as_str()),
                                kind: "generic",
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Questions { objectives, goals }
    }

    /// A category with its areas (in their groups), as lists show them.
    fn category_view(&self, c: usize) -> CategoryView<'_> {
        let m = &self.b.model;
        let cat = &m.categories[c];
        let mut groups: Vec<AreaGroup> = Vec::new();
        for (a, area) in m.areas.iter().enumerate() {
            if area.category.text != cat.id.text || !self.b.urls.contains_key(&Elem::Area(a)) {
                continue;
            }
            let v = self.area_view(a, false);
            match groups.iter_mut().find(|g| g.name == area.group.as_deref()) {
                Some(g) => g.areas.push(v),
                None => groups.push(AreaGroup {
                    name: area.group.as_deref(),
                    areas: vec![v],
                }),
            }
        }
        CategoryView {
            link: self.link(Elem::Category(c)),
            name: &cat.name,
            summary: cat.summary.as_deref(),
            description_html: html(&cat.description),
            groups,
            backrefs: self.backrefs(Elem::Category(c)),
        }
    }

    /// The shown generic goals, each with its index in the model.
    fn goals_view(&self, full: bool) -> Vec<(usize, Value)> {
        let m = &self.b.model;
        m.generic_goals
            .iter()
            .enumerate()
            .filter(|(g, _)| self.b.urls.contains_key(&Elem::Goal(*g)))
            .map(|(g, goal)| {
                let practices: Vec<Value> = goal
                    .practices
                    .iter()
                    .enumerate()
                    .filter(|(p, _)| self.b.urls.contains_key(&Elem::GenericPractice(g, *p)))
                    .map(|(p, gp)| {
                        let mut v = json!(self.link(Elem::GenericPractice(g, p)));
                        v["statement_html"] = json!(gp.statement.html);
                        if full {
                            v["notes_html"] = json!(html(&gp.notes));
                            v["subpractices"] = json!(subs(&gp.subpractices));
                            v["backrefs"] = json!(self.backrefs(Elem::GenericPractice(g, p)));
                        }
                        v
                    })
                    .collect();
                let levels: Vec<Value> = m
                    .capability_levels
                    .iter()
                    .filter(|l| l.requires.iter().any(|r| r.text == goal.id.text))
                    .map(|l| json!({"level": l.level, "name": l.name}))
                    .collect();
                let mut v = json!(self.link(Elem::Goal(g)));
                v["statement_html"] = json!(goal.statement.html);
                v["body_html"] =
                    json!(Some(goal.body.html.as_str()).filter(|h| !h.trim().is_empty()));
                v["practices"] = json!(practices);
                v["levels"] = json!(levels);
                v["decided_by_objectives"] = json!(is_specific_goal(&goal.id.text));
                if full {
                    v["backrefs"] = json!(self.backrefs(Elem::Goal(g)));
                }
                (g, v)
            })
            .collect()
    }

    fn levels_view(&self) -> Vec<Value> {
        self.b
            .model
            .capability_levels
            .iter()
            .map(|l| {
                json!({"level": l.level, "name": l.name,
                       "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>(),
                       "description_html": html(&l.description)})
            })
            .collect()
    }

    fn clusters_view(&self) -> Vec<Value> {
        self.b
            .model
            .clusters
            .iter()
            .map(|c| {
                let areas: Vec<Link> = c.areas.iter().filter_map(|s| self.b.ids.get(&s.text)).map(|&e| self.link(e)).collect();
                json!({"id": c.id.text, "name": c.name, "description_html": html(&c.description), "areas": areas})
            })
            .collect()
    }

    fn glossary_view(&self) -> Vec<Value> {
        let mut terms: Vec<&Term> = self.b.model.glossary.iter().collect();
        terms.sort_by_key(|t| t.term.text.to_lowercase());
        terms
            .iter()
            .map(|t| {
                json!({"term": t.term.text, "anchor": term_anchor(&t.term.text),
                       "definition_html": t.definition.html, "source": t.source,
                       "see_also": t.see_also.iter().map(|s| json!({"term": s.text, "anchor": term_anchor(&s.text)})).collect::<Vec<_>>()})
            })
            .collect()
    }

    /// The views that many pages show, built once and shared by reference
    /// count (Tera's maps and arrays are), so that no page rebuilds them.
    fn shared(&self) -> Shared {
        let m = &self.b.model;
        let cats: Vec<(usize, tera::Value)> = m
            .categories
            .par_iter()
            .enumerate()
            .filter(|(c, _)| self.b.urls.contains_key(&Elem::Category(*c)))
            .map(|(c, _)| (c, tv(&self.category_view(c))))
            .collect();
        let category: HashMap<usize, tera::Value> = cats.iter().cloned().collect();
        let categories_tv = tera::Value::from(
            cats.iter()
                .map(|(c, _)| category[c].clone())
                .collect::<Vec<_>>(),
        );
        let goals_full = self
            .goals_view(true)
            .iter()
            .map(|(g, v)| (*g, tv(v)))
            .collect();
        let goals: Vec<Value> = self.goals_view(false).into_iter().map(|(_, v)| v).collect();
        let order = self.reading_order();
        let pos = order.iter().enumerate().map(|(i, &e)| (e, i)).collect();
        let clusters: Vec<tera::Value> = self.clusters_view().iter().map(tv).collect();
        Shared {
            categories_tv,
            category,
            goals_tv: tv(&goals),
            goals_full,
            clusters_tv: tera::Value::from(clusters.clone()),
            clusters,
            levels: tv(&self.levels_view()),
            order,
            pos,
        }
    }

    /// A page and its context.
    fn job(
        &self,
        path: String,
        template: &'static str,
        title: String,
        crumbs: Vec<Crumb>,
        kind: &str,
        extra: Vec<(&'static str, tera::Value)>,
    ) -> PageJob {
        let root = root_of(&path, &self.b.model.book.site_url);
        let mut ctx = tera::Context::new();
        ctx.insert("root", &root);
        ctx.insert("path", &path);
        ctx.insert("title", &title);
        ctx.insert("crumbs", &crumbs);
        ctx.insert("kind", kind);
        ctx.insert("prev", &Value::Null);
        ctx.insert("next", &Value::Null);
        for (k, v) in extra {
            ctx.insert_value(k, v);
        }
        PageJob {
            path,
            root,
            template,
            ctx,
        }
    }

    /// The elements before and after `e` in reading order.
    fn neighbours(&self, sh: &Shared, e: Elem) -> [(&'static str, tera::Value); 2] {
        let at = |i: Option<usize>| match i.and_then(|i| sh.order.get(i)) {
            Some(&n) => tv(&self.link(n)),
            None => tera::Value::none(),
        };
        let i = sh.pos.get(&e).copied();
        [
            ("prev", at(i.and_then(|i| i.checked_sub(1)))),
            ("next", at(i.map(|i| i + 1))),
        ]
    }

    /// An element's page: at its address, titled by its id and title (a
    /// category by its name alone), with the elements before and after it.
    fn elem_job(
        &self,
        sh: &Shared,
        e: Elem,
        template: &'static str,
        crumbs: Vec<Crumb>,
        kind: &str,
        mut extra: Vec<(&'static str, tera::Value)>,
    ) -> PageJob {
        let title = match e {
            Elem::Category(_) => self.b.title(e).to_string(),
            _ => format!("{} {}", self.b.id(e), self.b.title(e)),
        };
        extra.extend(self.neighbours(sh, e));
        self.job(
            self.b.url(e).to_string(),
            template,
            title,
            crumbs,
            kind,
            extra,
        )
    }

    /// Every task of a site: one per area (its pages, and its parts of the
    /// whole-model pages), one per other page.
    fn tasks(&self, sh: &Shared) -> Vec<Task> {
        let m = &self.b.model;
        let mut tasks = vec![Task::Home];
        for &e in &sh.order {
            match e {
                Elem::Area(a) => tasks.push(Task::Area(a)),
                Elem::Objective(..) | Elem::Practice(..) => {}
                e => tasks.push(Task::Elem(e)),
            }
        }
        if !m.glossary.is_empty() {
            tasks.push(Task::Glossary);
        }
        tasks.extend((0..m.pages.len()).map(Task::Page));
        if m.survey.is_some() {
            tasks.push(Task::Results);
        }
        tasks.push(Task::NotFound);
        tasks
    }

    /// The page of a task that is not an area's.
    fn page(&self, sh: &Shared, task: Task) -> Option<PageJob> {
        let m = &self.b.model;
        Some(match task {
            Task::Home => self.job(
                "index.html".into(),
                "index.html",
                m.title.clone(),
                vec![],
                "home",
                vec![
                    ("categories", sh.categories_tv.clone()),
                    ("goals", sh.goals_tv.clone()),
                    ("levels", sh.levels.clone()),
                    ("clusters", sh.clusters_tv.clone()),
                    ("counts", tv(&self.counts())),
                ],
            ),
            Task::Elem(e @ Elem::Category(c)) => {
                let cat = &m.categories[c].id.text;
                let in_category = |s: &Str| matches!(self.b.ids.get(&s.text), Some(&Elem::Area(ai)) if m.areas[ai].category.text == *cat);
                let clusters: Vec<tera::Value> = m
                    .clusters
                    .iter()
                    .zip(&sh.clusters)
                    .filter(|(cl, _)| cl.areas.iter().any(in_category))
                    .map(|(_, v)| v.clone())
                    .collect();
                self.elem_job(
                    sh,
                    e,
                    "category.html",
                    vec![home_crumb()],
                    "category",
                    vec![
                        ("category", sh.category.get(&c)?.clone()),
                        ("clusters", tera::Value::from(clusters)),
                    ],
                )
            }
            Task::Elem(e @ Elem::Goal(g)) => {
                let goal = sh.goal(g).unwrap_or_else(tera::Value::none);
                self.elem_job(
                    sh,
                    e,
                    "goal.html",
                    vec![home_crumb()],
                    "goal",
                    vec![("goal", goal)],
                )
            }
            Task::Elem(e @ Elem::GenericPractice(g, p)) => {
                let goal = sh.goal(g).unwrap_or_else(tera::Value::none);
                let gp = goal
                    .get_from_path(&format!("practices.{p}"))
                    .cloned()
                    .unwrap_or_else(tera::Value::none);
                let gp_id = &m.generic_goals[g].practices[p].id.text;
                let elaborations: Vec<Value> = m
                    .areas
                    .iter()
                    .enumerate()
                    .filter_map(|(a, area)| {
                        let (_, t) = area.elaborations.iter().find(|(k, _)| &k.text == gp_id)?;
                        let mut v = json!(self.link(Elem::Area(a)));
                        v["html"] = json!(t.html);
                        Some(v)
                    })
                    .collect();
                self.elem_job(
                    sh,
                    e,
                    "generic_practice.html",
                    vec![home_crumb(), self.crumb(Elem::Goal(g))],
                    "generic-practice",
                    vec![
                        ("goal", goal),
                        ("gp", gp),
                        ("elaborations", tv(&elaborations)),
                    ],
                )
            }
            Task::Glossary => self.job(
                "glossary/index.html".into(),
                "glossary.html",
                "Glossary".into(),
                vec![home_crumb()],
                "glossary",
                vec![("terms", tv(&self.glossary_view()))],
            ),
            Task::Page(i) => {
                let p = &m.pages[i];
                self.job(
                    page_url(&p.slug),
                    "page.html",
                    p.title.clone(),
                    vec![home_crumb()],
                    "page",
                    vec![(
                        "page",
                        tv(&json!({"title": p.title, "body_html": p.body.html})),
                    )],
                )
            }
            Task::Results => self.job(
                "survey/results/index.html".into(),
                "results.html",
                "Survey results".into(),
                vec![
                    home_crumb(),
                    Crumb {
                        title: "Survey of practice".into(),
                        url: "survey/index.html".into(),
                    },
                ],
                "results",
                vec![
                    ("categories", sh.categories_tv.clone()),
                    ("levels", sh.levels.clone()),
                ],
            ),
            Task::NotFound => self.job(
                "404.html".into(),
                "404.html",
                "Page not found".into(),
                vec![],
                "not-found",
                vec![],
            ),
            Task::Area(_) | Task::Elem(_) => return None,
        })
    }

    /// An area's pages: the area, its objectives and practices, and its
    /// worksheet, from its full view and the pieces rendered once for them
    /// (its live survey, its worksheet).
    fn area_pages(
        &self,
        sh: &Shared,
        a: usize,
        area: &tera::Value,
        survey_html: Option<&str>,
        sheet: Option<&str>,
    ) -> Vec<PageJob> {
        let m = &self.b.model;
        let shared = |path: &str| {
            area.get_from_path(path)
                .cloned()
                .unwrap_or_else(tera::Value::none)
        };
        let mut jobs = Vec::new();
        let mut extra = vec![("area", area.clone())];
        extra.extend(survey_html.map(|h| ("survey_html", tera::Value::safe_string(h))));
        jobs.push(self.elem_job(
            sh,
            Elem::Area(a),
            "area.html",
            vec![home_crumb(), self.category_crumb(a)],
            "area",
            extra,
        ));
        for (o, obj) in m.areas[a].objectives.iter().enumerate() {
            let e = Elem::Objective(a, o);
            if sh.pos.contains_key(&e) {
                jobs.push(self.elem_job(
                    sh,
                    e,
                    "objective.html",
                    vec![
                        home_crumb(),
                        self.category_crumb(a),
                        self.crumb(Elem::Area(a)),
                    ],
                    "objective",
                    vec![
                        ("area", area.clone()),
                        ("objective", shared(&format!("objectives.{o}"))),
                    ],
                ));
            }
            for (p, pr) in obj.practices.iter().enumerate() {
                let e = Elem::Practice(a, o, p);
                if !sh.pos.contains_key(&e) {
                    continue;
                }
                jobs.push(self.elem_job(
                    sh,
                    e,
                    "practice.html",
                    vec![
                        home_crumb(),
                        self.category_crumb(a),
                        self.crumb(Elem::Area(a)),
                        self.crumb(Elem::Objective(a, o)),
                    ],
                    "practice",
                    vec![
                        ("area", area.clone()),
                        ("objective", shared(&format!("objectives.{o}"))),
                        ("practice", shared(&format!("objectives.{o}.practices.{p}"))),
                        ("question", tv(&pr.question)),
                    ],
                ));
            }
        }
        if let Some(sheet) = sheet {
            let ar = &m.areas[a];
            jobs.push(self.job(
                format!("worksheets/{}/index.html", slug(&ar.code.text)),
                "worksheet.html",
                format!("Worksheet: {} {}", ar.code.text, ar.name),
                vec![
                    home_crumb(),
                    Crumb {
                        title: "Worksheets".into(),
                        url: "worksheets/index.html".into(),
                    },
                ],
                "worksheet",
                vec![
                    ("area", area.clone()),
                    ("sheet", tera::Value::safe_string(sheet)),
                ],
            ));
        }
        jobs
    }

    /// The pages that hold every area: the print page, the survey and the
    /// worksheets. Each is rendered as a frame in which every area stands as
    /// a part mark; the parts are rendered with each area's own task.
    fn whole_model(&self, sh: &Shared) -> Vec<Whole> {
        let m = &self.b.model;
        // Just what the frames list: links, names and the part to put in.
        let areas: Vec<(usize, tera::Value)> = (0..m.areas.len())
            .filter(|&a| self.b.urls.contains_key(&Elem::Area(a)))
            .map(|a| {
                let area = &m.areas[a];
                let mut v = json!(self.link(Elem::Area(a)));
                v["code"] = json!(area.code.text);
                v["slug"] = json!(slug(&area.code.text));
                v["name"] = json!(area.name);
                v["part"] = json!(part_mark(a));
                (a, tv(&v))
            })
            .collect();
        let list = tera::Value::from(areas.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>());
        let by_code: std::collections::BTreeMap<String, tera::Value> = areas
            .iter()
            .map(|(a, v)| (m.areas[*a].code.text.clone(), v.clone()))
            .collect();
        let mut out = vec![Whole {
            frame: self.job(
                "print/index.html".into(),
                "print.html",
                format!("{} (whole model)", m.title),
                vec![home_crumb()],
                "print",
                vec![
                    ("categories", sh.categories_tv.clone()),
                    ("areas", list.clone()),
                    // By code, so that the template finds each area without a
                    // scan (which was quadratic).
                    ("areas_by_code", tera::Value::from(by_code)),
                    ("goals", tera::Value::from(
                        sh.goals_full.iter().map(|(_, v)| v.clone()).collect::<Vec<_>>(),
                    )),
                    ("levels", sh.levels.clone()),
                    ("clusters", sh.clusters_tv.clone()),
                    ("terms", tv(&self.glossary_view())),
                    ("pages", tv(&m.pages.iter().map(|p| json!({"title": p.title, "anchor": print_anchor(&page_url(&p.slug)), "body_html": p.body.html})).collect::<Vec<_>>())),
                ],
            ),
            kind: WholeKind::Print,
        }];
        if m.survey.is_some() {
            out.push(Whole {
                frame: self.job(
                    "survey/index.html".into(),
                    "survey.html",
                    "Survey of practice".into(),
                    vec![home_crumb()],
                    "survey",
                    vec![("areas", list.clone()), ("levels", sh.levels.clone())],
                ),
                kind: WholeKind::Survey,
            });
            out.push(Whole {
                frame: self.job(
                    "worksheets/index.html".into(),
                    "worksheets.html",
                    "Survey worksheets".into(),
                    vec![home_crumb()],
                    "worksheets",
                    vec![("areas", list)],
                ),
                kind: WholeKind::Worksheets,
            });
        }
        out
    }

    fn reading_order(&self) -> Vec<Elem> {
        let m = &self.b.model;
        let mut out = Vec::new();
        for (c, cat) in m.categories.iter().enumerate() {
            if !self.b.urls.contains_key(&Elem::Category(c)) {
                continue;
            }
            out.push(Elem::Category(c));
            for (a, area) in m.areas.iter().enumerate() {
                if area.category.text != cat.id.text {
                    continue;
                }
                crate::resolve::push_area(&mut out, a, area);
            }
        }
        crate::resolve::push_goals(&mut out, m);
        out.retain(|e| self.b.urls.contains_key(e));
        out
    }

    fn counts(&self) -> Value {
        let m = &self.b.model;
        json!({
            "categories": m.categories.len(),
            "areas": m.areas.len(),
            "objectives": m.areas.iter().map(|a| a.objectives.len()).sum::<usize>(),
            "practices": m.areas.iter().flat_map(|a| &a.objectives).map(|o| o.practices.len()).sum::<usize>(),
            "goals": m.generic_goals.len(),
            "generic_practices": m.generic_goals.iter().map(|g| g.practices.len()).sum::<usize>(),
        })
    }

    /// The whole model as data, in the source format's own field names,
    /// but for its areas (see `area_json`).
    fn model_json_head(&self) -> Value {
        let m = &self.b.model;
        json!({
            "format": "refbook-model", "format_version": 1,
            "id": m.id.text, "title": m.title, "version": m.version, "source": m.source,
            "notice": src(&m.notice), "terms": m.terms,
            "categories": m.categories.iter().enumerate().map(|(c, cat)| json!({
                "id": cat.id.text, "name": cat.name, "summary": cat.summary, "description": src(&cat.description),
                "url": self.b.urls.get(&Elem::Category(c)),
                "areas": m.areas.iter().filter(|a| a.category.text == cat.id.text).map(|a| a.code.text.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "clusters": m.clusters.iter().map(|c| json!({"id": c.id.text, "name": c.name, "description": src(&c.description),
                "areas": c.areas.iter().map(|a| a.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            // Written one at a time by `write_model_json`.
            "areas": null,
            "generic_goals": m.generic_goals.iter().enumerate().map(|(g, goal)| json!({
                "id": goal.id.text, "title": goal.title, "statement": goal.statement.src, "body": goal.body.src,
                "url": self.b.urls.get(&Elem::Goal(g)),
                "practices": goal.practices.iter().enumerate().map(|(p, gp)| json!({
                    "id": gp.id.text, "title": gp.title, "statement": gp.statement.src, "notes": src(&gp.notes),
                    "subpractices": SubJson::all(&gp.subpractices), "question": gp.question,
                    "url": self.b.urls.get(&Elem::GenericPractice(g, p)),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "glossary": m.glossary.iter().map(|t| json!({"term": t.term.text, "definition": t.definition.src, "source": t.source,
                "see_also": t.see_also.iter().map(|s| s.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "pages": m.pages.iter().map(|p| json!({"slug": p.slug, "title": p.title, "order": p.order, "url": page_url(&p.slug)})).collect::<Vec<_>>(),
            "survey": m.survey.as_ref().map(|s| json!({"scale": s.scale, "performed_at": s.performed_at, "not_applicable": s.not_applicable})),
            "capability_levels": m.capability_levels.iter().map(|l| json!({"level": l.level, "name": l.name,
                "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>(), "description": src(&l.description)})).collect::<Vec<_>>(),
        })
    }

    /// One area of model.json.
    fn area_json(&self, a: usize) -> AreaJson<'_> {
        let m = &self.b.model;
        let area = &m.areas[a];
        let url = |e| self.b.urls.get(&e).map(String::as_str);
        AreaJson {
            category: &area.category.text,
            code: &area.code.text,
            elaborations: area
                .elaborations
                .iter()
                .map(|(k, v)| (k.text.as_str(), v.src.as_str()))
                .collect(),
            group: area.group.as_deref(),
            introduction: &area.introduction.src,
            name: &area.name,
            objectives: area
                .objectives
                .iter()
                .enumerate()
                .map(|(o, obj)| ObjectiveJson {
                    id: &obj.id.text,
                    notes: src(&obj.notes),
                    practices: obj
                        .practices
                        .iter()
                        .enumerate()
                        .map(|(p, pr)| PracticeJson {
                            id: &pr.id.text,
                            notes: src(&pr.notes),
                            question: pr.question.as_deref(),
                            statement: &pr.statement.src,
                            subpractices: SubJson::all(&pr.subpractices),
                            title: &pr.title,
                            url: url(Elem::Practice(a, o, p)),
                            work_products: &pr.work_products,
                        })
                        .collect(),
                    statement: &obj.statement.src,
                    title: &obj.title,
                    url: url(Elem::Objective(a, o)),
                })
                .collect(),
            purpose: &area.purpose.src,
            related: area
                .related
                .iter()
                .map(|r| RelatedJson {
                    area: &r.area.text,
                    note: src(&r.note),
                })
                .collect(),
            status: src(&area.status),
            url: url(Elem::Area(a)),
        }
    }

    /// Writes model.json, serialising one area at a time rather than the
    /// whole model at once. Same bytes as serialising it whole.
    fn write_model_json(&self, w: impl Write) -> serde_json::Result<()> {
        let areas = (0..self.b.model.areas.len()).map(|a| self.area_json(a));
        let json = Spliced::new(self.model_json_head(), "areas", areas);
        serde_json::to_writer_pretty(w, &json)
    }

    /// What the survey script needs: the scale, the levels, and per area
    /// the objectives with their practices and the generic practices asked.
    /// (`null` for a model without a survey.)
    fn survey_data(&self) -> Option<impl Serialize + '_> {
        let m = &self.b.model;
        let s = m.survey.as_ref()?;
        let areas = (0..m.areas.len())
            .filter(|a| self.b.urls.contains_key(&Elem::Area(*a)))
            .map(|a| {
                let area = &m.areas[a];
                SurveyAreaJson {
                    category: &area.category.text,
                    code: &area.code.text,
                    goals: self
                        .asked_goals
                        .iter()
                        .map(|&g| {
                            let goal = &m.generic_goals[g];
                            SurveyGoalJson {
                                id: &goal.id.text,
                                questions: goal
                                    .practices
                                    .iter()
                                    .map(|gp| SurveyQuestionJson {
                                        gp: &gp.id.text,
                                        id: asked_id(&area.code.text, &gp.id.text),
                                        title: &gp.title,
                                    })
                                    .collect(),
                                title: &goal.title,
                            }
                        })
                        .collect(),
                    name: &area.name,
                    objectives: area
                        .objectives
                        .iter()
                        .map(|o| SurveyObjectiveJson {
                            id: &o.id.text,
                            practices: o
                                .practices
                                .iter()
                                .map(|p| IdTitle {
                                    id: &p.id.text,
                                    title: &p.title,
                                })
                                .collect(),
                            title: &o.title,
                        })
                        .collect(),
                    url: self.b.url(Elem::Area(a)),
                }
            });
        let head = json!({
            "model": m.id.text, "model_version": m.version, "title": m.title,
            "scale": s.scale, "performed_at": s.performed_at, "not_applicable": s.not_applicable,
            "levels": m.capability_levels.iter().map(|l| json!({"level": l.level, "name": l.name,
                "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "specific_goals": m.generic_goals.iter().filter(|g| is_specific_goal(&g.id.text)).map(|g| g.id.text.clone()).collect::<Vec<_>>(),
            "categories": m.categories.iter().map(|c| json!({"id": c.id.text, "name": c.name})).collect::<Vec<_>>(),
            "areas": null,
        });
        Some(Spliced::new(head, "areas", areas))
    }

    /// Search entries: id, title, kind, url and some text, in model order.
    fn search_index(&self) -> impl Serialize + '_ {
        let m = &self.b.model;
        let text = |md: &Md| crate::markdown::plain_text(&md.src, 160);
        let elems = self.reading_order().into_iter().map(move |e| {
            let t = match e {
                Elem::Category(c) => m.categories[c].summary.clone().unwrap_or_default(),
                Elem::Area(a) => text(&m.areas[a].purpose),
                Elem::Objective(a, o) => text(&m.areas[a].objectives[o].statement),
                Elem::Practice(a, o, p) => text(&m.areas[a].objectives[o].practices[p].statement),
                Elem::Goal(g) => text(&m.generic_goals[g].statement),
                Elem::GenericPractice(g, p) => text(&m.generic_goals[g].practices[p].statement),
            };
            let url = std::borrow::Cow::Borrowed(self.b.url(e));
            (self.b.id(e), self.b.title(e), self.b.kind(e), url, t)
        });
        let terms = m.glossary.iter().map(move |t| {
            let url = format!("glossary/index.html#{}", term_anchor(&t.term.text));
            let term = t.term.text.as_str();
            (term, term, "Glossary", url.into(), text(&t.definition))
        });
        let pages = m.pages.iter().map(move |p| {
            let url = page_url(&p.slug).into();
            ("", p.title.as_str(), "Page", url, text(&p.body))
        });
        Lazy(std::cell::Cell::new(Some(elems.chain(terms).chain(pages))))
    }

    /// The sidebar, shared by every page through nav.js rather than
    /// repeated in each (which would make the site grow with its square).
    fn nav(&self) -> Value {
        let m = &self.b.model;
        let cats: Vec<Value> = m
            .categories
            .iter()
            .enumerate()
            .filter(|(c, _)| self.b.urls.contains_key(&Elem::Category(*c)))
            .map(|(c, cat)| {
                let areas: Vec<Value> = m
                    .areas
                    .iter()
                    .enumerate()
                    .filter(|(a, area)| {
                        area.category.text == cat.id.text
                            && self.b.urls.contains_key(&Elem::Area(*a))
                    })
                    .map(|(a, area)| json!([area.code.text, area.name, self.b.url(Elem::Area(a))]))
                    .collect();
                json!([cat.name, self.b.url(Elem::Category(c)), areas])
            })
            .collect();
        let goals: Vec<Value> = self
            .goals_view(false)
            .into_iter()
            .map(|(_, g)| json!([g["id"], g["title"], g["url"]]))
            .collect();
        json!({"categories": cats, "goals": goals, "terms": {"category": m.terms.category, "area": m.terms.area, "generic_goal": m.terms.generic_goal}})
    }
}

/// A JSON object whose entry `key` is a sequence made only as it is
/// written (serde_json's maps are sorted, so the bytes are those of the
/// object made whole).
struct Spliced<I> {
    head: Value,
    key: &'static str,
    items: Lazy<I>,
}

impl<I> Spliced<I> {
    fn new(head: Value, key: &'static str, items: I) -> Self {
        Spliced {
            head,
            key,
            items: Lazy(std::cell::Cell::new(Some(items))),
        }
    }
}

impl<I: Iterator<Item: Serialize>> Serialize for Spliced<I> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let Value::Object(head) = &self.head else {
            return self.head.serialize(ser);
        };
        let mut map = ser.serialize_map(Some(head.len()))?;
        for (k, v) in head {
            if k == self.key {
                map.serialize_entry(k, &self.items)?;
            } else {
                map.serialize_entry(k, v)?;
            }
        }
        map.end()
    }
}

/// A sequence serialised from an iterator, made only as it is written.
struct Lazy<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item: Serialize>> Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.take().into_iter().flatten())
    }
}

// model.json and survey-data.js entries. Fields are in alphabetical order:
// the files were written from sorted JSON maps, and their bytes stay the same.
#[derive(Serialize)]
struct AreaJson<'a> {
    category: &'a str,
    code: &'a str,
    elaborations: std::collections::BTreeMap<&'a str, &'a str>,
    group: Option<&'a str>,
    introduction: &'a str,
    name: &'a str,
    objectives: Vec<ObjectiveJson<'a>>,
    purpose: &'a str,
    related: Vec<RelatedJson<'a>>,
    status: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct ObjectiveJson<'a> {
    id: &'a str,
    notes: Option<&'a str>,
    practices: Vec<PracticeJson<'a>>,
    statement: &'a str,
    title: &'a str,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PracticeJson<'a> {
    id: &'a str,
    notes: Option<&'a str>,
    question: Option<&'a str>,
    statement: &'a str,
    subpractices: Vec<SubJson<'a>>,
    title: &'a str,
    url: Option<&'a str>,
    work_products: &'a [String],
}

#[derive(Serialize)]
struct SubJson<'a> {
    notes: Option<&'a str>,
    title: &'a str,
}

impl SubJson<'_> {
    fn all(s: &[Subpractice]) -> Vec<SubJson<'_>> {
        s.iter()
            .map(|s| SubJson {
                notes: src(&s.notes),
                title: &s.title.src,
            })
            .collect()
    }
}

/// A text's Markdown source, as model.json gives it.
fn src(md: &Option<Md>) -> Option<&str> {
    md.as_ref().map(|m| m.src.as_str())
}

#[derive(Serialize)]
struct RelatedJson<'a> {
    area: &'a str,
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct SurveyAreaJson<'a> {
    category: &'a str,
    code: &'a str,
    goals: Vec<SurveyGoalJson<'a>>,
    name: &'a str,
    objectives: Vec<SurveyObjectiveJson<'a>>,
    url: &'a str,
}

#[derive(Serialize)]
struct SurveyGoalJson<'a> {
    id: &'a str,
    questions: Vec<SurveyQuestionJson<'a>>,
    title: &'a str,
}

#[derive(Serialize)]
struct SurveyQuestionJson<'a> {
    gp: &'a str,
    id: String,
    title: &'a str,
}

#[derive(Serialize)]
struct SurveyObjectiveJson<'a> {
    id: &'a str,
    practices: Vec<IdTitle<'a>>,
    title: &'a str,
}

#[derive(Serialize)]
struct IdTitle<'a> {
    id: &'a str,
    title: &'a str,
}

/// A view as a Tera value, converted once and then shared by reference count.
fn tv<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// GG1 is decided by the area's own objectives, not by questions.
fn is_specific_goal(id: &str) -> bool {
    id == "GG1"
}

fn subs(s: &[Subpractice]) -> Vec<SubView<'_>> {
    s.iter()
        .map(|s| SubView {
            title_html: &s.title.html,
            notes_html: html(&s.notes),
        })
        .collect()
}

fn home_crumb() -> Crumb {
    Crumb {
        title: "Home".into(),
        url: "index.html".into(),
    }
}

/// On the print page, links to pages that the print page holds become
/// links to their place in it.
fn fix_print_links(html: &[u8]) -> Vec<u8> {
    const HREF: &[u8] = b"href=\"";
    let mut out = Vec::with_capacity(html.len());
    let mut from = 0;
    for at in memchr::memchr_iter(ROOT_MARK as u8, html) {
        if at < from {
            continue; // inside a link target already made an anchor
        }
        out.extend_from_slice(&html[from..at]);
        if html[..at].ends_with(HREF) {
            let url = &html[at + 1..];
            let end = memchr::memchr(b'"', url).unwrap_or(url.len());
            out.push(b'#');
            out.extend_from_slice(print_anchor(&String::from_utf8_lossy(&url[..end])).as_bytes());
            from = at + 1 + end;
        } else {
            out.extend_from_slice(b"../");
            from = at + 1;
        }
    }
    out.extend_from_slice(&html[from..]);
    out
}

/// Renders every page and writes it under `out`, linking the files that
/// come out the same from `previous` (the site this one replaces). Returns
/// the page count.
pub fn write_site(
    site: &Site,
    theme: &mut Theme,
    out: &Path,
    previous: Option<&Path>,
    diags: &mut Vec<Diagnostic>,
    opts: &crate::BuildOptions,
) -> Result<usize, String> {
    let sink = DirSink { dir: out, previous };
    render_site(site, theme, diags, opts, &sink)
}

/// Where the files of a site go. Called from several threads at once.
/// A failure is the machine's (disk full, read-only), not the content's: it
/// comes back as a message, apart from the diagnostics.
pub trait Sink: Sync {
    type File: Write;
    /// Opens the file at `rel`, a path relative to the site root.
    fn create(&self, rel: &str) -> Result<Self::File, String>;
    /// The file is complete.
    fn close(&self, rel: &str, file: Self::File) -> Result<(), String>;
    /// How a failed write to `rel` is told.
    fn write_error(&self, rel: &str, e: &std::io::Error) -> String {
        format!("cannot write {rel}: {e}")
    }
    /// A directory for scratch files while rendering (removed before the
    /// end); without one, they are kept in memory.
    fn scratch_dir(&self) -> Option<&Path> {
        None
    }
    /// A whole file at once.
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        let mut file = self.create(rel)?;
        file.write_all(bytes)
            .map_err(|e| self.write_error(rel, &e))?;
        self.close(rel, file)
    }
}

/// Files under a directory on disk.
pub struct DirSink<'a> {
    pub dir: &'a Path,
    /// The site this one replaces: a file that comes out the same is linked
    /// from it rather than written again. Creating a file costs the file
    /// system far more than reading one, and the old site's files then
    /// outlive its removal instead of being freed.
    pub previous: Option<&'a Path>,
}

impl DirSink<'_> {
    /// Links `rel` from the previous site if that file has these bytes.
    #[cfg(unix)]
    fn link_same(&self, rel: &str, bytes: &[u8]) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Some(prev) = self.previous else {
            return false;
        };
        let old = prev.join(rel);
        let Ok(mut f) = std::fs::File::open(&old) else {
            return false;
        };
        let Ok(meta) = f.metadata() else { return false };
        if !meta.is_file() || meta.len() != bytes.len() as u64 {
            return false;
        }
        let mut have = Vec::with_capacity(bytes.len());
        if f.read_to_end(&mut have).is_err() || have != bytes {
            return false;
        }
        let new = self.dir.join(rel);
        if let Some(parent) = new.parent()
            && std::fs::create_dir_all(parent).is_err()
        {
            return false;
        }
        if std::fs::hard_link(&old, &new).is_err() {
            return false;
        }
        // Another build may have replaced the previous site meanwhile: keep
        // the link only if it is the file that was read.
        match std::fs::symlink_metadata(&new) {
            Ok(m) if m.ino() == meta.ino() && m.dev() == meta.dev() => true,
            _ => {
                let _ = std::fs::remove_file(&new);
                false
            }
        }
    }

    #[cfg(not(unix))]
    fn link_same(&self, _rel: &str, _bytes: &[u8]) -> bool {
        false
    }
}

impl Sink for DirSink<'_> {
    type File = std::fs::File;
    fn create(&self, rel: &str) -> Result<std::fs::File, String> {
        let path = self.dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.write_error(rel, &e))?;
        }
        std::fs::File::create(&path).map_err(|e| self.write_error(rel, &e))
    }
    fn close(&self, _rel: &str, _file: std::fs::File) -> Result<(), String> {
        Ok(())
    }
    fn write_error(&self, rel: &str, e: &std::io::Error) -> String {
        format!("cannot write {}: {e}", self.dir.join(rel).display())
    }
    fn scratch_dir(&self) -> Option<&Path> {
        Some(self.dir)
    }
    fn put(&self, rel: &str, bytes: &[u8]) -> Result<(), String> {
        if self.link_same(rel, bytes) {
            return Ok(());
        }
        let mut file = self.create(rel)?;
        file.write_all(bytes).map_err(|e| self.write_error(rel, &e))
    }
}

/// The script that `serve` adds to the pages it serves (never to a build).
pub const RELOAD_SCRIPT: &str = "<script src=\"/__refbook/reload.js\"></script>";

/// Renders every file of the site and hands it to `sink`. Returns the page
/// count; template errors go to `diags`; a failed write ends it with `Err`.
pub fn render_site<S: Sink>(
    site: &Site,
    theme: &mut Theme,
    diags: &mut Vec<Diagnostic>,
    opts: &crate::BuildOptions,
    sink: &S,
) -> Result<usize, String> {
    let globals = site.site_globals();
    theme.tera.global_context().insert("site", &globals);
    let tera = &theme.tera;
    let statics = &theme.statics;
    // The data files need no page and the pages no data file: both go at once.
    let (pages, data) = rayon::join(
        || render_pages(site, tera, opts, sink),
        || write_data(site, statics, sink),
    );
    let (page_count, results) = pages;
    let mut first_errors = std::collections::HashSet::new();
    for r in results {
        match r {
            // One broken template fails every page it renders: say it once.
            Err(d) if first_errors.insert(d.message.clone()) => diags.push(d),
            Err(_) => {}
            Ok(written) => written?,
        }
    }
    data?;
    Ok(page_count)
}

type PageResult = Result<Result<(), String>, Diagnostic>;

fn render_pages<S: Sink>(
    site: &Site,
    tera: &tera::Tera,
    opts: &crate::BuildOptions,
    sink: &S,
) -> (usize, Vec<PageResult>) {
    let sh = site.shared();
    let wholes = site.whole_model(&sh);
    let stores = wholes
        .iter()
        .enumerate()
        .map(|(i, _)| PartStore::new(sink.scratch_dir(), i).map(Mutex::new))
        .collect::<std::io::Result<Vec<_>>>();
    let stores = match stores {
        Ok(s) => s,
        Err(e) => return (0, vec![Ok(Err(sink.write_error(".refbook-parts", &e)))]),
    };
    let count = AtomicUsize::new(wholes.len());
    // A page is small: it is made whole in memory, then handed over at once.
    let page = |job: &PageJob| -> PageResult {
        count.fetch_add(1, Ordering::Relaxed);
        let mut bytes = Vec::with_capacity(16 << 10);
        if let Err(e) = tera.render_to(job.template, &job.ctx, &mut bytes) {
            return Err(template_error(&e));
        }
        let mut bytes = with_root(bytes, &job.root);
        if opts.live_reload {
            inject_reload(&mut bytes);
        }
        Ok(sink.put(&job.path, &bytes))
    };
    let render = |template: &str, ctx: &tera::Context| {
        tera.render(template, ctx).map_err(|e| template_error(&e))
    };
    // One task per area: its view is built, shown on its pages and parts,
    // and dropped, so that the whole model's views are never in memory at
    // once. What two pages show alike (the live survey on the area page and
    // the survey page, the worksheet on its page and the page of all
    // worksheets) is rendered once, without a root: each page puts in its own.
    let area_task = |a: usize| -> Result<Vec<PageResult>, Diagnostic> {
        let area = tv(&site.area_view(a, true));
        let rootless = |mut ctx: tera::Context| {
            ctx.insert_value("area", area.clone());
            ctx.insert("root", &ROOT_MARK.to_string());
            ctx
        };
        let survey_html = match site.b.model.survey {
            Some(_) => {
                let mut ctx = tera::Context::new();
                ctx.insert("live", &true);
                Some(render("survey_questions.html", &rootless(ctx))?)
            }
            None => None,
        };
        let sheet = wholes
            .iter()
            .find(|w| w.kind == WholeKind::Worksheets)
            .map(|w| render(w.kind.part(), &rootless(w.frame.ctx.clone())))
            .transpose()?;
        let jobs = site.area_pages(&sh, a, &area, survey_html.as_deref(), sheet.as_deref());
        let mut out: Vec<PageResult> = jobs.iter().map(page).collect();
        drop(jobs);
        for (w, store) in wholes.iter().zip(&stores) {
            let part = match (w.kind, &sheet) {
                (WholeKind::Worksheets, Some(sheet)) => sheet.clone(),
                _ => {
                    let mut ctx = w.frame.ctx.clone();
                    ctx.insert_value("area", area.clone());
                    if let Some(html) = &survey_html {
                        ctx.insert_value("survey_html", tera::Value::safe_string(html));
                    }
                    render(w.kind.part(), &ctx)?
                }
            };
            let part = fix(part.into_bytes(), w);
            let kept = lock(store).append(a, &part);
            out.push(Ok(kept.map_err(|e| sink.write_error(&w.frame.path, &e))));
        }
        Ok(out)
    };
    let mut results: Vec<PageResult> = site
        .tasks(&sh)
        .into_par_iter()
        .with_max_len(1)
        .flat_map_iter(|task| match task {
            Task::Area(a) => area_task(a).unwrap_or_else(|d| vec![Err(d)]),
            t => site
                .page(&sh, t)
                .map(|job| page(&job))
                .into_iter()
                .collect(),
        })
        .collect();
    results.extend(
        wholes
            .par_iter()
            .zip(&stores)
            .map(|(w, store)| assemble(w, &mut lock(store), tera, opts, sink))
            .collect::<Vec<_>>(),
    );
    (count.into_inner(), results)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Writes a whole-model page: its frame, with each part mark replaced by
/// that area's part, straight from the part store.
fn assemble<S: Sink>(
    w: &Whole,
    store: &mut PartStore,
    tera: &tera::Tera,
    opts: &crate::BuildOptions,
    sink: &S,
) -> PageResult {
    let mut frame = tera
        .render(w.frame.template, &w.frame.ctx)
        .map_err(|e| template_error(&e))?
        .into_bytes();
    if opts.live_reload {
        inject_reload(&mut frame);
    }
    let path = &w.frame.path;
    let mut file = match sink.create(path) {
        Ok(f) => f,
        Err(e) => return Ok(Err(e)),
    };
    let mark = PART as u8;
    let written = (|| {
        let mut rest = frame.as_slice();
        while let Some(i) = memchr::memchr(mark, rest) {
            let after = &rest[i + 1..];
            let Some(j) = memchr::memchr(mark, after) else {
                break;
            };
            let part = std::str::from_utf8(&after[..j])
                .ok()
                .and_then(|n| n.parse().ok());
            let Some(a) = part else {
                file.write_all(&fix(rest[..=i].to_vec(), w))?;
                rest = after;
                continue;
            };
            file.write_all(&fix(rest[..i].to_vec(), w))?;
            store.copy_to(a, &mut file)?;
            rest = &after[j + 1..];
        }
        file.write_all(&fix(rest.to_vec(), w))
    })();
    Ok(written
        .map_err(|e| sink.write_error(path, &e))
        .and_then(|()| sink.close(path, file)))
}

/// The parts of one whole-model page, in the order they were rendered: in a
/// scratch file beside the site (removed when done), or in memory when the
/// site is not written to disk.
struct PartStore {
    spill: Spill,
    /// Each area's part: where it starts and how long it is.
    at: HashMap<usize, (u64, u64)>,
    len: u64,
}

enum Spill {
    Mem(Vec<u8>),
    File(std::fs::File, std::path::PathBuf),
}

impl PartStore {
    fn new(dir: Option<&Path>, n: usize) -> std::io::Result<Self> {
        let spill = match dir {
            None => Spill::Mem(Vec::new()),
            Some(dir) => {
                let path = dir.join(format!(".refbook-parts-{n}"));
                let file = std::fs::OpenOptions::new()
                    .read(true)
                    .write(true)
                    .create_new(true)
                    .open(&path)?;
                Spill::File(file, path)
            }
        };
        Ok(PartStore {
            spill,
            at: HashMap::new(),
            len: 0,
        })
    }

    fn append(&mut self, a: usize, bytes: &[u8]) -> std::io::Result<()> {
        match &mut self.spill {
            Spill::Mem(v) => v.extend_from_slice(bytes),
            Spill::File(f, _) => f.write_all(bytes)?,
        }
        self.at.insert(a, (self.len, bytes.len() as u64));
        self.len += bytes.len() as u64;
        Ok(())
    }

    fn copy_to(&mut self, a: usize, out: &mut impl Write) -> std::io::Result<()> {
        let Some(&(start, len)) = self.at.get(&a) else {
            return Ok(());
        };
        match &mut self.spill {
            Spill::Mem(v) => out.write_all(&v[start as usize..(start + len) as usize]),
            Spill::File(f, _) => {
                f.seek(std::io::SeekFrom::Start(start))?;
                let copied = std::io::copy(&mut Read::take(&*f, len), out)?;
                if copied == len {
                    Ok(())
                } else {
                    Err(std::io::ErrorKind::UnexpectedEof.into())
                }
            }
        }
    }
}

impl Drop for PartStore {
    fn drop(&mut self) {
        if let Spill::File(_, path) = &self.spill {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The search index, navigation and survey data scripts, model.json and the
/// theme's static files.
fn write_data<S: Sink>(site: &Site, statics: &[(String, Vec<u8>)], sink: &S) -> Result<(), String> {
    let put = |rel: &str, f: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        let mut file = sink.create(rel)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut file);
        f(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| sink.write_error(rel, &e))?;
        drop(w);
        sink.close(rel, file)
    };
    /// Every data script adds its part to one global, `refbook$data`. It is
    /// declared with `var`, which makes it an own property of `window`: an
    /// element that content names like a global (`<a id=...>` under
    /// `allow-html`) appears on `window` through its prototype, so it can
    /// neither shadow this property nor pass for it where the theme's scripts
    /// accept only an own property.
    fn script(w: &mut dyn Write, part: &str, v: &impl Serialize) -> std::io::Result<()> {
        write!(
            w,
            "var refbook$data;(refbook$data=refbook$data||{{}}).{part}="
        )?;
        serde_json::to_writer(ScriptSafe(&mut *w), v)?;
        writeln!(w, ";")
    }
    put("assets/search-index.js", &mut |w| {
        script(w, "search", &site.search_index())
    })?;
    put("assets/nav.js", &mut |w| script(w, "nav", &site.nav()))?;
    put("assets/survey-data.js", &mut |w| {
        script(w, "survey", &site.survey_data())
    })?;
    put("model.json", &mut |w| {
        site.write_model_json(&mut *w)?;
        Ok(())
    })?;
    put("model.schema.json", &mut |w| {
        w.write_all(crate::MODEL_SCHEMA.as_bytes())
    })?;
    for (name, bytes) in statics {
        put(&format!("assets/{name}"), &mut |w| w.write_all(bytes))?;
    }
    Ok(())
}

/// Writes JSON so that it can stand inside a script: `</` cannot end the
/// script and U+2028/U+2029 cannot end a line of it.
struct ScriptSafe<W: Write>(W);

impl<W: Write> Write for ScriptSafe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        // serde_json writes each run of a string that needs no escape in one
        // call, so neither sequence is ever split between two calls. Only
        // `<` and 0xE2 (the first byte of U+2028 and U+2029) can begin one.
        let mut start = 0;
        for i in memchr::memchr2_iter(b'<', 0xe2, buf) {
            let tail = &buf[i..];
            let (with, n): (&[u8], usize) = if tail.starts_with(b"</") {
                (b"<\\/", 2)
            } else if tail.starts_with("\u{2028}".as_bytes()) {
                (b"\\u2028", 3)
            } else if tail.starts_with("\u{2029}".as_bytes()) {
                (b"\\u2029", 3)
            } else {
                continue;
            };
            self.0.write_all(&buf[start..i])?;
            self.0.write_all(with)?;
            start = i + n;
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A part or a piece of a whole-model page, made ready for its page: links
/// into the print page become links within it; elsewhere each root mark
/// becomes the page's way back to the root.
fn fix(bytes: Vec<u8>, w: &Whole) -> Vec<u8> {
    match w.kind {
        WholeKind::Print => fix_print_links(&bytes),
        _ => with_root(bytes, &w.frame.root),
    }
}

/// A whole page with the way back to the root in place of each root mark.
fn with_root(page: Vec<u8>, root: &str) -> Vec<u8> {
    let mark = ROOT_MARK as u8;
    let mut marks = memchr::memchr_iter(mark, &page).peekable();
    if marks.peek().is_none() {
        return page;
    }
    let mut out = Vec::with_capacity(page.len() + 64 * root.len());
    let mut from = 0;
    for at in marks {
        out.extend_from_slice(&page[from..at]);
        out.extend_from_slice(root.as_bytes());
        from = at + 1;
    }
    out.extend_from_slice(&page[from..]);
    out
}

/// Adds the live-reload script before the last `</body>` (or at the end).
fn inject_reload(html: &mut Vec<u8>) {
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, RELOAD_SCRIPT.bytes());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files kept in memory, for looking at what a writer made.
    #[derive(Default)]
    struct Kept(Mutex<HashMap<String, Vec<u8>>>);

    impl Sink for Kept {
        type File = Vec<u8>;
        fn create(&self, _: &str) -> Result<Vec<u8>, String> {
            Ok(Vec::new())
        }
        fn close(&self, rel: &str, bytes: Vec<u8>) -> Result<(), String> {
            lock(&self.0).insert(rel.to_string(), bytes);
            Ok(())
        }
    }

    #[test]
    fn whole_model_pages_are_their_frame_with_each_part_put_in() {
        let link = |to: &str| format!("<a href=\"{ROOT_MARK}{to}\">x</a>");
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "frame.html",
            &format!(
                "<html><body>{}[{{{{ first | safe }}}}][{{{{ second | safe }}}}][{PART}x{PART}]</body></html>",
                link("index.html")
            ),
        )
        .unwrap();
        for kind in [WholeKind::Print, WholeKind::Survey] {
            let mut ctx = tera::Context::new();
            ctx.insert("first", &part_mark(7));
            ctx.insert("second", &part_mark(3));
            let w = Whole {
                frame: PageJob {
                    path: "whole/index.html".into(),
                    root: "../".into(),
                    template: "frame.html",
                    ctx,
                },
                kind,
            };
            let mut store = PartStore::new(None, 0).unwrap();
            // Parts arrive in any order; the frame decides where each goes.
            store.append(3, b"three").unwrap();
            store
                .append(7, &fix(link("areas/a/index.html").into_bytes(), &w))
                .unwrap();
            let kept = Kept::default();
            let opts = crate::BuildOptions {
                live_reload: true,
                ..Default::default()
            };
            assemble(&w, &mut store, &tera, &opts, &kept)
                .unwrap()
                .unwrap();
            let page =
                String::from_utf8(lock(&kept.0).remove("whole/index.html").unwrap()).unwrap();
            let (home, part) = match kind {
                WholeKind::Print => ("#top", "#areas-a"),
                _ => ("../index.html", "../areas/a/index.html"),
            };
            assert_eq!(
                page,
                format!(
                    "<html><body><a href=\"{home}\">x</a>[<a href=\"{part}\">x</a>][three][{PART}x{PART}]{RELOAD_SCRIPT}</body></html>"
                ),
                "{kind:?}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_are_linked_from_the_previous_site_changed_ones_written() {
        use std::os::unix::fs::MetadataExt;
        let root = std::env::temp_dir().join(format!("refbook-link-{}", std::process::id()));
        let (prev, next) = (root.join("prev"), root.join("next"));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(prev.join("a")).unwrap();
        std::fs::write(prev.join("a/same.html"), "same").unwrap();
        std::fs::write(prev.join("a/changed.html"), "old").unwrap();
        std::fs::create_dir_all(&next).unwrap();
        let sink = DirSink {
            dir: &next,
            previous: Some(&prev),
        };
        for (rel, text) in [
            ("a/same.html", "same"),
            ("a/changed.html", "new"),
            ("b/fresh.html", "x"),
        ] {
            sink.put(rel, text.as_bytes()).unwrap();
            assert_eq!(std::fs::read_to_string(next.join(rel)).unwrap(), text);
        }
        let ino = |p: &Path| std::fs::metadata(p).unwrap().ino();
        assert_eq!(
            ino(&prev.join("a/same.html")),
            ino(&next.join("a/same.html"))
        );
        assert_ne!(
            ino(&prev.join("a/changed.html")),
            ino(&next.join("a/changed.html"))
        );
        // The previous site is left as it was.
        assert_eq!(
            std::fs::read_to_string(prev.join("a/changed.html")).unwrap(),
            "old"
        );
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn json_in_a_script_cannot_end_it() {
        let v = json!({"a": "</script><script>alert(1)</script>", "b": "x\u{2028}y\u{2029}", "c": "<\\/", "d": "€ a<b ≤ \u{2027}"});
        let mut out = Vec::new();
        serde_json::to_writer(ScriptSafe(&mut out), &v).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains("</"), "{s}");
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'), "{s}");
        // Still the same JSON.
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }
}
