//! Rendering: the resolved model becomes pages (through Tera), the search
//! index, the survey data, the navigation and model.json.

use crate::diag::Diagnostic;
use crate::model::*;
use crate::resolve::{Book, Elem, Owner, page_url, term_anchor};
use crate::theme::{Theme, template_error};
use rayon::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;

#[derive(Serialize, Clone)]
struct Link {
    id: String,
    title: String,
    url: String,
    anchor: String,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

/// What a page of the site is, for the writer.
pub struct PageJob {
    pub path: String,
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
pub fn print_anchor(url: &str) -> String {
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
    /// Each area's questions, built once: area pages, the whole-model
    /// survey, the worksheets and the survey data all show them.
    questions: Vec<Value>,
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
            questions: Vec::new(),
        };
        site.questions = (0..m.areas.len())
            .into_par_iter()
            .map(|a| site.build_questions(a))
            .collect();
        site
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

    fn backrefs(&self, e: Elem) -> Vec<Value> {
        let Some(refs) = self.b.backrefs.get(&e) else {
            return Vec::new();
        };
        refs.iter()
            .map(|r| {
                let (id, title) = self.b.owner_title(r.from);
                let url = self.b.owner_url(r.from);
                let kind = match r.from {
                    Owner::Elem(e) => self.b.kind(e).to_string(),
                    Owner::Term(_) => "Glossary".into(),
                    Owner::Page(_) => "Page".into(),
                    Owner::Site => String::new(),
                };
                json!({"id": id, "title": title, "anchor": print_anchor(&url), "url": url, "kind": kind, "how": r.how})
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

    fn area_view(&self, a: usize, full: bool) -> Value {
        let m = &self.b.model;
        let area = &m.areas[a];
        let cat = self.b.ids.get(&area.category.text).map(|&e| self.link(e));
        let objectives: Vec<Value> = area
            .objectives
            .iter()
            .enumerate()
            .map(|(o, obj)| {
                let practices: Vec<Value> = obj
                    .practices
                    .iter()
                    .enumerate()
                    .map(|(p, pr)| {
                        let mut v = json!(self.link(Elem::Practice(a, o, p)));
                        v["statement_html"] = json!(pr.statement.html);
                        v["q_anchor"] = json!(format!("q-{}", slug(&pr.id.text)));
                        if full {
                            v["notes_html"] = json!(html(&pr.notes));
                            v["work_products"] = json!(pr.work_products);
                            v["subpractices"] = subs(&pr.subpractices);
                            v["backrefs"] = json!(self.backrefs(Elem::Practice(a, o, p)));
                        }
                        v
                    })
                    .collect();
                let mut v = json!(self.link(Elem::Objective(a, o)));
                v["statement_html"] = json!(obj.statement.html);
                v["notes_html"] = json!(html(&obj.notes));
                v["practices"] = json!(practices);
                if full {
                    v["backrefs"] = json!(self.backrefs(Elem::Objective(a, o)));
                }
                v
            })
            .collect();
        let related: Vec<Value> = area
            .related
            .iter()
            .filter_map(|r| {
                let e = *self.b.ids.get(&r.area.text)?;
                let mut v = json!(self.link(e));
                v["note_html"] = json!(html(&r.note));
                Some(v)
            })
            .collect();
        let elaborations: Vec<Value> = area
            .elaborations
            .iter()
            .filter_map(|(gp, text)| {
                let e = *self.b.ids.get(&gp.text)?;
                let mut v = json!(self.link(e));
                v["html"] = json!(text.html);
                Some(v)
            })
            .collect();
        let clusters: Vec<Value> = m
            .clusters
            .iter()
            .filter(|c| c.areas.iter().any(|s| s.text == area.code.text))
            .map(|c| json!({"id": c.id.text, "name": c.name}))
            .collect();
        let mut v = json!(self.link(Elem::Area(a)));
        v["code"] = json!(area.code.text);
        v["slug"] = json!(slug(&area.code.text));
        v["name"] = json!(area.name);
        v["category"] = json!(cat);
        v["group"] = json!(area.group);
        v["status_html"] = json!(html(&area.status));
        v["purpose_html"] = json!(area.purpose.html);
        v["objectives"] = json!(objectives);
        v["practice_count"] = json!(
            area.objectives
                .iter()
                .map(|o| o.practices.len())
                .sum::<usize>()
        );
        if full {
            v["introduction_html"] = json!(area.introduction.html);
            v["related"] = json!(related);
            v["elaborations"] = json!(elaborations);
            v["clusters"] = json!(clusters);
            v["backrefs"] = json!(self.backrefs(Elem::Area(a)));
            v["questions"] = self.questions[a].clone();
        }
        v
    }

    /// The questions asked for an area: its practices, then the generic
    /// practices of the goals a capability level requires.
    fn build_questions(&self, a: usize) -> Value {
        let m = &self.b.model;
        let area = &m.areas[a];
        let mut objectives = Vec::new();
        for (o, obj) in area.objectives.iter().enumerate() {
            let mut qs = Vec::new();
            for (p, pr) in obj.practices.iter().enumerate() {
                let link = self.link(Elem::Practice(a, o, p));
                qs.push(json!({
                    "id": pr.id.text,
                    "anchor": format!("q-{}", slug(&pr.id.text)),
                    "title": pr.title,
                    "url": link.url,
                    "objective": obj.id.text,
                    "question": pr.question,
                    "statement_html": pr.statement.html,
                    "kind": "practice",
                }));
            }
            objectives.push(json!({"id": obj.id.text, "title": obj.title, "questions": qs}));
        }
        let mut goals = Vec::new();
        for &g in &self.asked_goals {
            let goal = &m.generic_goals[g];
            let mut gq = Vec::new();
            for (p, gp) in goal.practices.iter().enumerate() {
                let id = format!("{}:{}", area.code.text, gp.id.text);
                let elab = area
                    .elaborations
                    .iter()
                    .find(|(k, _)| k.text == gp.id.text)
                    .map(|(_, t)| t.html.as_str());
                gq.push(json!({
                    "id": id,
                    "anchor": format!("q-{}", slug(&id)),
                    "title": gp.title,
                    "url": self.b.url(Elem::GenericPractice(g, p)),
                    "gp": gp.id.text,
                    "question": gp.question,
                    "statement_html": gp.statement.html,
                    "elaboration_html": elab,
                    "kind": "generic",
                }));
            }
            goals.push(json!({"id": goal.id.text, "title": goal.title, "questions": gq}));
        }
        json!({"objectives": objectives, "goals": goals})
    }

    fn categories_view(&self) -> Vec<Value> {
        let m = &self.b.model;
        m.categories
            .iter()
            .enumerate()
            .filter(|(c, _)| self.b.urls.contains_key(&Elem::Category(*c)))
            .map(|(c, cat)| {
                let mut groups: Vec<(Option<String>, Vec<Value>)> = Vec::new();
                for (a, area) in m.areas.iter().enumerate() {
                    if area.category.text != cat.id.text
                        || !self.b.urls.contains_key(&Elem::Area(a))
                    {
                        continue;
                    }
                    let v = self.area_view(a, false);
                    match groups.iter_mut().find(|(g, _)| *g == area.group) {
                        Some((_, list)) => list.push(v),
                        None => groups.push((area.group.clone(), vec![v])),
                    }
                }
                let mut v = json!(self.link(Elem::Category(c)));
                v["name"] = json!(cat.name);
                v["summary"] = json!(cat.summary);
                v["description_html"] = json!(html(&cat.description));
                v["groups"] = json!(
                    groups
                        .into_iter()
                        .map(|(g, areas)| json!({"name": g, "areas": areas}))
                        .collect::<Vec<_>>()
                );
                v["backrefs"] = json!(self.backrefs(Elem::Category(c)));
                v
            })
            .collect()
    }

    fn goals_view(&self, full: bool) -> Vec<Value> {
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
                            v["subpractices"] = subs(&gp.subpractices);
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
                v
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

    /// Every page of the site, with its context.
    pub fn pages(&self) -> Vec<PageJob> {
        let m = &self.b.model;
        let mut jobs = Vec::new();
        let home = Crumb {
            title: "Home".into(),
            url: "index.html".into(),
        };
        let mut job = |path: String,
                       template: &'static str,
                       title: String,
                       crumbs: Vec<Crumb>,
                       kind: &str,
                       extra: Vec<(&'static str, tera::Value)>| {
            let root = root_of(&path, &m.book.site_url);
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
            jobs.push(PageJob {
                path,
                root,
                template,
                ctx,
            });
        };
        let categories = self.categories_view();
        let goals = self.goals_view(false);
        // Views shared by many pages are built once and converted to Tera
        // values once: Tera's maps and arrays are reference-counted, so every
        // page of an area shares one copy instead of rebuilding it (which made
        // each practice page cost as much as its whole area).
        let shown = |a: usize| self.b.urls.contains_key(&Elem::Area(a));
        // Each area in full (with its questions), as the templates see it.
        let area_full: Vec<Option<tera::Value>> = (0..m.areas.len())
            .into_par_iter()
            .map(|a| shown(a).then(|| tv(&self.area_view(a, true))))
            .collect();
        let shared = |a: usize, path: &str| {
            area_full[a]
                .as_ref()
                .and_then(|t| t.get_from_path(path).cloned())
                .unwrap_or_else(tera::Value::none)
        };
        let goals_full: Vec<Value> = self.goals_view(true);
        let goals_full_tv: Vec<tera::Value> = goals_full.iter().map(tv).collect();
        let clusters = self.clusters_view();
        let levels = tv(&self.levels_view());
        let categories_tv = tv(&categories);
        job(
            "index.html".into(),
            "index.html",
            m.title.clone(),
            vec![],
            "home",
            vec![
                ("categories", categories_tv.clone()),
                ("goals", tv(&goals)),
                ("levels", levels.clone()),
                ("clusters", tv(&clusters)),
                ("counts", tv(&self.counts())),
            ],
        );
        // Previous/next run through every element in reading order.
        let order: Vec<Elem> = self.reading_order();
        let neighbour = |i: usize, d: isize| -> Value {
            let j = i as isize + d;
            if j < 0 || j as usize >= order.len() {
                return Value::Null;
            }
            json!(self.link(order[j as usize]))
        };
        for (i, &e) in order.iter().enumerate() {
            let prev = neighbour(i, -1);
            let next = neighbour(i, 1);
            let url = self.b.url(e).to_string();
            match e {
                Elem::Category(c) => {
                    let v = categories
                        .iter()
                        .find(|v| v["id"] == m.categories[c].id.text)
                        .cloned()
                        .unwrap_or_default();
                    let clusters: Vec<&Value> = clusters
                        .iter()
                        .filter(|cl| {
                            cl["areas"].as_array().is_some_and(|a| {
                                a.iter().any(|x| {
                                    self.b.ids.get(x["id"].as_str().unwrap_or("")).is_some_and(|&e| matches!(e, Elem::Area(ai) if m.areas[ai].category.text == m.categories[c].id.text))
                                })
                            })
                        })
                        .collect();
                    job(
                        url,
                        "category.html",
                        m.categories[c].name.clone(),
                        vec![home_crumb(&home)],
                        "category",
                        vec![
                            ("category", tv(&v)),
                            ("clusters", tv(&clusters)),
                            ("prev", tv(&prev)),
                            ("next", tv(&next)),
                        ],
                    );
                }
                Elem::Area(a) => {
                    let Some(area) = &area_full[a] else {
                        continue;
                    };
                    let crumbs = vec![home_crumb(&home), self.category_crumb(a)];
                    job(
                        url,
                        "area.html",
                        format!("{} {}", m.areas[a].code.text, m.areas[a].name),
                        crumbs,
                        "area",
                        vec![
                            ("area", area.clone()),
                            ("prev", tv(&prev)),
                            ("next", tv(&next)),
                        ],
                    );
                }
                Elem::Objective(a, o) => {
                    let Some(area) = &area_full[a] else {
                        continue;
                    };
                    let crumbs = vec![
                        home_crumb(&home),
                        self.category_crumb(a),
                        self.crumb(Elem::Area(a)),
                    ];
                    job(
                        url,
                        "objective.html",
                        format!("{} {}", self.b.id(e), self.b.title(e)),
                        crumbs,
                        "objective",
                        vec![
                            ("area", area.clone()),
                            ("objective", shared(a, &format!("objectives.{o}"))),
                            ("prev", tv(&prev)),
                            ("next", tv(&next)),
                        ],
                    );
                }
                Elem::Practice(a, o, p) => {
                    let Some(area) = &area_full[a] else {
                        continue;
                    };
                    let crumbs = vec![
                        home_crumb(&home),
                        self.category_crumb(a),
                        self.crumb(Elem::Area(a)),
                        self.crumb(Elem::Objective(a, o)),
                    ];
                    let obj = shared(a, &format!("objectives.{o}"));
                    let pr = shared(a, &format!("objectives.{o}.practices.{p}"));
                    let question = m.areas[a].objectives[o].practices[p].question.clone();
                    job(
                        url,
                        "practice.html",
                        format!("{} {}", self.b.id(e), self.b.title(e)),
                        crumbs,
                        "practice",
                        vec![
                            ("area", area.clone()),
                            ("objective", obj),
                            ("practice", pr),
                            ("question", tv(&question)),
                            ("prev", tv(&prev)),
                            ("next", tv(&next)),
                        ],
                    );
                }
                Elem::Goal(g) => {
                    let goal = goals_full
                        .iter()
                        .position(|v| v["id"] == m.generic_goals[g].id.text)
                        .map(|i| goals_full_tv[i].clone())
                        .unwrap_or_else(tera::Value::none);
                    job(
                        url,
                        "goal.html",
                        format!("{} {}", self.b.id(e), self.b.title(e)),
                        vec![home_crumb(&home)],
                        "goal",
                        vec![("goal", goal), ("prev", tv(&prev)), ("next", tv(&next))],
                    );
                }
                Elem::GenericPractice(g, p) => {
                    let gi = goals_full
                        .iter()
                        .position(|v| v["id"] == m.generic_goals[g].id.text);
                    let goal = gi
                        .map(|i| goals_full_tv[i].clone())
                        .unwrap_or_else(tera::Value::none);
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
                            let (_, t) =
                                area.elaborations.iter().find(|(k, _)| &k.text == gp_id)?;
                            let mut v = json!(self.link(Elem::Area(a)));
                            v["html"] = json!(t.html);
                            Some(v)
                        })
                        .collect();
                    let crumbs = vec![home_crumb(&home), self.crumb(Elem::Goal(g))];
                    job(
                        url,
                        "generic_practice.html",
                        format!("{} {}", self.b.id(e), self.b.title(e)),
                        crumbs,
                        "generic-practice",
                        vec![
                            ("goal", goal),
                            ("gp", gp),
                            ("elaborations", tv(&elaborations)),
                            ("prev", tv(&prev)),
                            ("next", tv(&next)),
                        ],
                    );
                }
            }
        }
        if !m.glossary.is_empty() {
            job(
                "glossary/index.html".into(),
                "glossary.html",
                "Glossary".into(),
                vec![home_crumb(&home)],
                "glossary",
                vec![("terms", tv(&self.glossary_view()))],
            );
        }
        for p in &m.pages {
            job(
                page_url(&p.slug),
                "page.html",
                p.title.clone(),
                vec![home_crumb(&home)],
                "page",
                vec![(
                    "page",
                    tv(&json!({"title": p.title, "body_html": p.body.html})),
                )],
            );
        }
        let all_areas: Vec<(usize, &tera::Value)> = area_full
            .iter()
            .enumerate()
            .filter_map(|(a, v)| Some((a, v.as_ref()?)))
            .collect();
        let all_areas_tv = tv(&all_areas.iter().map(|(_, v)| v).collect::<Vec<_>>());
        job("print/index.html".into(), "print.html", format!("{} (whole model)", m.title), vec![home_crumb(&home)], "print",
            vec![("categories", categories_tv.clone()), ("areas", all_areas_tv.clone()), ("goals", tv(&goals_full)),
                 // By code, so that the template finds each area without a scan (which was quadratic).
                 ("areas_by_code", tv(&all_areas.iter().map(|(a, v)| (m.areas[*a].code.text.as_str(), v)).collect::<std::collections::BTreeMap<_, _>>())),
                 ("levels", levels.clone()), ("clusters", tv(&clusters)),
                 ("terms", tv(&self.glossary_view())),
                 ("pages", tv(&m.pages.iter().map(|p| json!({"title": p.title, "anchor": print_anchor(&page_url(&p.slug)), "body_html": p.body.html})).collect::<Vec<_>>()))]);
        if m.survey.is_some() {
            job(
                "survey/index.html".into(),
                "survey.html",
                "Survey of practice".into(),
                vec![home_crumb(&home)],
                "survey",
                vec![("areas", all_areas_tv.clone()), ("levels", levels.clone())],
            );
            job(
                "survey/results/index.html".into(),
                "results.html",
                "Survey results".into(),
                vec![
                    home_crumb(&home),
                    Crumb {
                        title: "Survey of practice".into(),
                        url: "survey/index.html".into(),
                    },
                ],
                "results",
                vec![
                    ("categories", categories_tv.clone()),
                    ("levels", levels.clone()),
                ],
            );
            job(
                "worksheets/index.html".into(),
                "worksheets.html",
                "Survey worksheets".into(),
                vec![home_crumb(&home)],
                "worksheets",
                vec![("areas", all_areas_tv.clone())],
            );
            for (a, a_tv) in &all_areas {
                let area = &m.areas[*a];
                let path = format!("worksheets/{}/index.html", slug(&area.code.text));
                job(
                    path,
                    "worksheet.html",
                    format!("Worksheet: {} {}", area.code.text, area.name),
                    vec![
                        home_crumb(&home),
                        Crumb {
                            title: "Worksheets".into(),
                            url: "worksheets/index.html".into(),
                        },
                    ],
                    "worksheet",
                    vec![("area", (*a_tv).clone())],
                );
            }
        }
        job(
            "404.html".into(),
            "404.html",
            "Page not found".into(),
            vec![],
            "not-found",
            vec![],
        );
        jobs
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
                out.push(Elem::Area(a));
                for (o, obj) in area.objectives.iter().enumerate() {
                    out.push(Elem::Objective(a, o));
                    out.extend((0..obj.practices.len()).map(|p| Elem::Practice(a, o, p)));
                }
            }
        }
        for (g, goal) in m.generic_goals.iter().enumerate() {
            out.push(Elem::Goal(g));
            out.extend((0..goal.practices.len()).map(|p| Elem::GenericPractice(g, p)));
        }
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

    /// The whole model as data, in the source format's own field names.
    pub fn model_json(&self) -> Value {
        let m = &self.b.model;
        let md = |x: &Option<Md>| x.as_ref().map(|m| m.src.clone());
        let sub = |s: &[Subpractice]| -> Vec<Value> {
            s.iter()
                .map(|s| json!({"title": s.title.src, "notes": md(&s.notes)}))
                .collect()
        };
        json!({
            "format": "refbook-model", "format_version": 1,
            "id": m.id.text, "title": m.title, "version": m.version, "source": m.source,
            "notice": md(&m.notice), "terms": m.terms,
            "categories": m.categories.iter().enumerate().map(|(c, cat)| json!({
                "id": cat.id.text, "name": cat.name, "summary": cat.summary, "description": md(&cat.description),
                "url": self.b.urls.get(&Elem::Category(c)),
                "areas": m.areas.iter().filter(|a| a.category.text == cat.id.text).map(|a| a.code.text.clone()).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "clusters": m.clusters.iter().map(|c| json!({"id": c.id.text, "name": c.name, "description": md(&c.description),
                "areas": c.areas.iter().map(|a| a.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "areas": m.areas.iter().enumerate().map(|(a, area)| json!({
                "code": area.code.text, "name": area.name, "category": area.category.text, "group": area.group,
                "status": md(&area.status), "purpose": area.purpose.src, "url": self.b.urls.get(&Elem::Area(a)),
                "introduction": area.introduction.src,
                "related": area.related.iter().map(|r| json!({"area": r.area.text, "note": md(&r.note)})).collect::<Vec<_>>(),
                "objectives": area.objectives.iter().enumerate().map(|(o, obj)| json!({
                    "id": obj.id.text, "title": obj.title, "statement": obj.statement.src, "notes": md(&obj.notes),
                    "url": self.b.urls.get(&Elem::Objective(a, o)),
                    "practices": obj.practices.iter().enumerate().map(|(p, pr)| json!({
                        "id": pr.id.text, "title": pr.title, "statement": pr.statement.src, "notes": md(&pr.notes),
                        "work_products": pr.work_products, "subpractices": sub(&pr.subpractices), "question": pr.question,
                        "url": self.b.urls.get(&Elem::Practice(a, o, p)),
                    })).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "elaborations": area.elaborations.iter().map(|(k, v)| (k.text.clone(), json!(v.src))).collect::<serde_json::Map<_, _>>(),
            })).collect::<Vec<_>>(),
            "generic_goals": m.generic_goals.iter().enumerate().map(|(g, goal)| json!({
                "id": goal.id.text, "title": goal.title, "statement": goal.statement.src, "body": goal.body.src,
                "url": self.b.urls.get(&Elem::Goal(g)),
                "practices": goal.practices.iter().enumerate().map(|(p, gp)| json!({
                    "id": gp.id.text, "title": gp.title, "statement": gp.statement.src, "notes": md(&gp.notes),
                    "subpractices": sub(&gp.subpractices), "question": gp.question,
                    "url": self.b.urls.get(&Elem::GenericPractice(g, p)),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "glossary": m.glossary.iter().map(|t| json!({"term": t.term.text, "definition": t.definition.src, "source": t.source,
                "see_also": t.see_also.iter().map(|s| s.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "pages": m.pages.iter().map(|p| json!({"slug": p.slug, "title": p.title, "order": p.order, "url": page_url(&p.slug)})).collect::<Vec<_>>(),
            "survey": m.survey.as_ref().map(|s| json!({"scale": s.scale, "performed_at": s.performed_at, "not_applicable": s.not_applicable})),
            "capability_levels": m.capability_levels.iter().map(|l| json!({"level": l.level, "name": l.name,
                "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>(), "description": md(&l.description)})).collect::<Vec<_>>(),
        })
    }

    /// What the survey script needs: the scale, the levels, and per area
    /// the objectives with their practices and the generic practices asked.
    pub fn survey_data(&self) -> Value {
        let m = &self.b.model;
        let Some(s) = &m.survey else {
            return Value::Null;
        };
        let areas: Vec<Value> = (0..m.areas.len())
            .filter(|a| self.b.urls.contains_key(&Elem::Area(*a)))
            .map(|a| {
                let area = &m.areas[a];
                let q = &self.questions[a];
                json!({
                    "code": area.code.text, "name": area.name, "category": area.category.text,
                    "url": self.b.url(Elem::Area(a)),
                    "objectives": area.objectives.iter().map(|o| json!({"id": o.id.text, "title": o.title,
                        "practices": o.practices.iter().map(|p| json!({"id": p.id.text, "title": p.title})).collect::<Vec<_>>()})).collect::<Vec<_>>(),
                    "goals": q["goals"].as_array().map(|gs| gs.iter().map(|g| json!({"id": g["id"], "title": g["title"], "questions":
                        g["questions"].as_array().map(|qs| qs.iter().map(|q| json!({"id": q["id"], "title": q["title"], "gp": q["gp"]})).collect::<Vec<_>>())})).collect::<Vec<_>>()),
                })
            })
            .collect();
        json!({
            "model": m.id.text, "model_version": m.version, "title": m.title,
            "scale": s.scale, "performed_at": s.performed_at, "not_applicable": s.not_applicable,
            "levels": m.capability_levels.iter().map(|l| json!({"level": l.level, "name": l.name,
                "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "specific_goals": m.generic_goals.iter().filter(|g| is_specific_goal(&g.id.text)).map(|g| g.id.text.clone()).collect::<Vec<_>>(),
            "categories": m.categories.iter().map(|c| json!({"id": c.id.text, "name": c.name})).collect::<Vec<_>>(),
            "areas": areas,
        })
    }

    /// Search entries: id, title, kind, url and some text, in model order.
    pub fn search_index(&self) -> Value {
        let m = &self.b.model;
        let mut out = Vec::new();
        let text = |md: &Md| crate::markdown::plain_text(&md.src, 160);
        for e in self.reading_order() {
            let t = match e {
                Elem::Category(c) => m.categories[c].summary.clone().unwrap_or_default(),
                Elem::Area(a) => text(&m.areas[a].purpose),
                Elem::Objective(a, o) => text(&m.areas[a].objectives[o].statement),
                Elem::Practice(a, o, p) => text(&m.areas[a].objectives[o].practices[p].statement),
                Elem::Goal(g) => text(&m.generic_goals[g].statement),
                Elem::GenericPractice(g, p) => text(&m.generic_goals[g].practices[p].statement),
            };
            out.push(json!([
                self.b.id(e),
                self.b.title(e),
                self.b.kind(e),
                self.b.url(e),
                t
            ]));
        }
        for t in &m.glossary {
            out.push(json!([
                t.term.text,
                t.term.text,
                "Glossary",
                format!("glossary/index.html#{}", term_anchor(&t.term.text)),
                text(&t.definition)
            ]));
        }
        for p in &m.pages {
            out.push(json!([
                "",
                p.title,
                "Page",
                page_url(&p.slug),
                text(&p.body)
            ]));
        }
        Value::Array(out)
    }

    /// The sidebar, shared by every page through nav.js rather than
    /// repeated in each (which would make the site grow with its square).
    pub fn nav(&self) -> Value {
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
            .map(|g| json!([g["id"], g["title"], g["url"]]))
            .collect();
        json!({"categories": cats, "goals": goals, "terms": {"category": m.terms.category, "area": m.terms.area, "generic_goal": m.terms.generic_goal}})
    }
}

/// A view as a Tera value, converted once and then shared by reference count.
fn tv<T: Serialize + ?Sized>(v: &T) -> tera::Value {
    tera::Value::from_serializable(v)
}

/// GG1 is decided by the area's own objectives, not by questions.
pub fn is_specific_goal(id: &str) -> bool {
    id == "GG1"
}

fn subs(s: &[Subpractice]) -> Value {
    json!(
        s.iter()
            .map(|s| json!({"title_html": s.title.html, "notes_html": html(&s.notes)}))
            .collect::<Vec<_>>()
    )
}

fn home_crumb(h: &Crumb) -> Crumb {
    Crumb {
        title: h.title.clone(),
        url: h.url.clone(),
    }
}

/// Replaces the root mark in rendered Markdown with the page's way back.
pub fn fix_links(html: &str, root: &str) -> String {
    html.replace(ROOT_MARK, root)
}

/// On the print page, links to pages that the print page holds become
/// links to their place in it.
pub fn fix_print_links(html: &str) -> String {
    let mark = format!("href=\"{ROOT_MARK}");
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(&mark) {
        out.push_str(&rest[..i]);
        let after = &rest[i + mark.len()..];
        let end = after.find('"').unwrap_or(after.len());
        out.push_str("href=\"#");
        out.push_str(&print_anchor(&after[..end]));
        rest = &after[end..];
    }
    out.push_str(rest);
    out.replace(ROOT_MARK, "../")
}

/// Renders every page and writes it under `out`. Returns the page count.
pub fn write_site(
    site: &Site,
    theme: &mut Theme,
    out: &Path,
    diags: &mut Vec<Diagnostic>,
    opts: &crate::BuildOptions,
) -> Result<usize, String> {
    render_site(site, theme, diags, opts, &DirSink(out))
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
}

/// Files under a directory on disk, each written as it is rendered.
pub struct DirSink<'a>(pub &'a Path);

impl Sink for DirSink<'_> {
    type File = std::fs::File;
    fn create(&self, rel: &str) -> Result<std::fs::File, String> {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| self.write_error(rel, &e))?;
        }
        std::fs::File::create(&path).map_err(|e| self.write_error(rel, &e))
    }
    fn close(&self, _rel: &str, _file: std::fs::File) -> Result<(), String> {
        Ok(())
    }
    fn write_error(&self, rel: &str, e: &std::io::Error) -> String {
        format!("cannot write {}: {e}", self.0.join(rel).display())
    }
}

/// The script that `serve` adds to the pages it serves (never to a build).
pub const RELOAD_SCRIPT: &str = "<script src=\"/__refbook/reload.js\"></script>";

/// Templates whose pages hold the whole model: by far the longest to render,
/// so they start first instead of finishing last on one core.
const WHOLE_MODEL: [&str; 3] = ["print.html", "survey.html", "worksheets.html"];

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
    let mut jobs = site.pages();
    let count = jobs.len();
    // Stable: the rest keep their order.
    jobs.sort_by_key(|j| !WHOLE_MODEL.contains(&j.template));
    // Owned jobs: each page's context is freed as soon as it is written.
    let results = jobs
        .into_par_iter()
        .with_max_len(64)
        .map(|job| {
            let mut file = match sink.create(&job.path) {
                Ok(f) => f,
                Err(e) => return Ok(Err(e)),
            };
            let fixed = {
                let mut w = LinkFixer::new(
                    &mut file,
                    &job.root,
                    job.template == "print.html",
                    opts.live_reload,
                );
                match tera.render_to(job.template, &job.ctx, &mut w) {
                    Ok(()) => w.finish(),
                    // Tera wraps the writer's failure; the machine's error is the one to tell.
                    Err(e) => match w.failed.take() {
                        Some(io) => Err(io),
                        None => return Err(template_error(&e)),
                    },
                }
            };
            Ok(fixed
                .map_err(|e| sink.write_error(&job.path, &e))
                .and_then(|()| sink.close(&job.path, file)))
        })
        .collect();
    (count, results)
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
    let script = |rel: &str, var: &str, v: Value| {
        put(rel, &mut |w| {
            write!(w, "window.{var}=")?;
            serde_json::to_writer(ScriptSafe(&mut *w), &v)?;
            writeln!(w, ";")
        })
    };
    script(
        "assets/search-index.js",
        "REFBOOK_SEARCH",
        site.search_index(),
    )?;
    script("assets/nav.js", "REFBOOK_NAV", site.nav())?;
    script(
        "assets/survey-data.js",
        "REFBOOK_SURVEY",
        site.survey_data(),
    )?;
    put("model.json", &mut |w| {
        serde_json::to_writer_pretty(&mut *w, &site.model_json())?;
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
        // call, so neither sequence is ever split between two calls.
        let (mut start, mut i) = (0, 0);
        while i < buf.len() {
            let tail = &buf[i..];
            let swap: Option<(&[u8], usize)> = if tail.starts_with(b"</") {
                Some((b"<\\/", 2))
            } else if tail.starts_with("\u{2028}".as_bytes()) {
                Some((b"\\u2028", 3))
            } else if tail.starts_with("\u{2029}".as_bytes()) {
                Some((b"\\u2029", 3))
            } else {
                None
            };
            match swap {
                Some((with, n)) => {
                    self.0.write_all(&buf[start..i])?;
                    self.0.write_all(with)?;
                    i += n;
                    start = i;
                }
                None => i += 1,
            }
        }
        self.0.write_all(&buf[start..])?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Streams a rendered page to its file, putting the page's way back to the
/// root in place of the root mark (and, on the print page, turning links to
/// the pages it holds into links within it). Pages go out in pieces of about
/// 64 KiB, cut at line ends, so a whole-model page never sits in memory.
struct LinkFixer<'a, W: Write> {
    out: W,
    root: &'a str,
    print: bool,
    reload: bool,
    buf: Vec<u8>,
    /// Where the last whole line in `buf` ends: pieces are cut there.
    line_end: usize,
    /// Why a write failed, kept whole: Tera passes on only its kind.
    failed: Option<std::io::Error>,
}

const PIECE: usize = 1 << 16;

impl<'a, W: Write> LinkFixer<'a, W> {
    fn new(out: W, root: &'a str, print: bool, reload: bool) -> Self {
        LinkFixer {
            out,
            root,
            print,
            reload,
            buf: Vec::with_capacity(16 << 10),
            line_end: 0,
            failed: None,
        }
    }

    /// Writes out the first `cut` bytes buffered.
    fn drain(&mut self, cut: usize) -> std::io::Result<()> {
        // Tera writes whole strings and the cut follows a line end, so the
        // piece is whole UTF-8.
        let piece = std::str::from_utf8(&self.buf[..cut])
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        if self.print {
            self.out.write_all(fix_print_links(piece).as_bytes())?;
        } else if piece.contains(ROOT_MARK) {
            self.out.write_all(fix_links(piece, self.root).as_bytes())?;
        } else {
            self.out.write_all(piece.as_bytes())?;
        }
        self.buf.drain(..cut);
        self.line_end = self.line_end.saturating_sub(cut);
        Ok(())
    }

    fn finish(mut self) -> std::io::Result<()> {
        if self.reload {
            inject_reload(&mut self.buf);
        }
        self.drain(self.buf.len())?;
        self.out.flush()
    }
}

impl<W: Write> Write for LinkFixer<'_, W> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        // Only the new bytes are searched: a long line must not be scanned
        // again at every write.
        if let Some(i) = b.iter().rposition(|&c| c == b'\n') {
            self.line_end = self.buf.len() + i + 1;
        }
        self.buf.extend_from_slice(b);
        // The live-reload script goes before the page's last `</body>`, so a
        // served page is kept whole.
        if self.line_end >= PIECE
            && !self.reload
            && let Err(e) = self.drain(self.line_end)
        {
            let told = std::io::Error::new(e.kind(), e.to_string());
            self.failed = Some(e);
            return Err(told);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
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

    /// A page written through the fixer in small pieces, as Tera writes it.
    fn through_fixer(html: &str, root: &str, print: bool, reload: bool) -> String {
        let mut out = Vec::new();
        let mut w = LinkFixer::new(&mut out, root, print, reload);
        for piece in html.as_bytes().chunks(7) {
            w.write_all(piece).unwrap();
        }
        w.finish().unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn streamed_pages_equal_pages_fixed_whole() {
        // Longer than one piece, with marks near every cut.
        let line = format!("<p><a href=\"{ROOT_MARK}areas/x/index.html\">x</a> é</p>\n");
        let html = format!("<html><body>{}</body></html>", line.repeat(8000));
        assert!(html.len() > 3 * PIECE);
        assert_eq!(
            through_fixer(&html, "../../", false, false),
            fix_links(&html, "../../")
        );
        assert_eq!(
            through_fixer(&html, "../", true, false),
            fix_print_links(&html)
        );
        let served = through_fixer(&html, "", false, true);
        assert!(served.ends_with(&format!("{RELOAD_SCRIPT}</body></html>")));
        assert!(!served.contains(ROOT_MARK));
    }

    #[test]
    fn json_in_a_script_cannot_end_it() {
        let v = json!({"a": "</script><script>alert(1)</script>", "b": "x\u{2028}y\u{2029}", "c": "<\\/"});
        let mut out = Vec::new();
        serde_json::to_writer(ScriptSafe(&mut out), &v).unwrap();
        let s = String::from_utf8(out).unwrap();
        assert!(!s.contains("</"), "{s}");
        assert!(!s.contains('\u{2028}') && !s.contains('\u{2029}'), "{s}");
        // Still the same JSON.
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }
}
