//! The page plan: which pages a site has, at which address, with which
//! template and context.

use super::*;

/// A unit of rendering work.
#[derive(Clone, Copy)]
pub(super) enum Task {
    Home,
    /// An area with its objectives, practices, worksheet and parts.
    Area(usize),
    /// A category, generic goal or generic practice.
    Elem(Elem),
    Glossary,
    Page(usize),
    Results,
    Notices,
    NotFound,
    /// What changed since the previous version.
    Changes,
    /// The page at an old address (by its place in `Shared::redirects`).
    Redirect(usize),
}

/// What a page of the site is, for the writer.
pub(super) struct PageJob {
    pub(super) path: String,
    /// The way from this page back to the site root, put before every link.
    pub(super) root: String,
    pub(super) template: &'static str,
    pub(super) ctx: tera::Context,
}

impl Site<'_> {
    /// A page and its context.
    pub(super) fn job(
        &self,
        path: String,
        template: &'static str,
        title: String,
        crumbs: Vec<Crumb>,
        kind: &str,
        extra: Vec<(&'static str, tera::Value)>,
    ) -> PageJob {
        let root = urls::root_of(&path, &self.b.model.book.site_url);
        let mut ctx = tera::Context::new();
        ctx.insert("root", &root);
        ctx.insert("path", &path);
        ctx.insert("title", &title);
        ctx.insert("crumbs", &crumbs);
        ctx.insert("kind", kind);
        ctx.insert("prev", &Value::Null);
        ctx.insert("next", &Value::Null);
        ctx.insert("source", &Value::Null);
        ctx.insert_value("page_notices", self.page_notices(None));
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
    pub(super) fn neighbours(&self, sh: &Shared, e: Elem) -> [(&'static str, tera::Value); 2] {
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
    pub(super) fn elem_job(
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
        extra.push(("page_notices", self.page_notices(Some(e))));
        if let Some(r) = self.elem_source(e) {
            extra.push(("source", tv(&self.source_line(e, r))));
        }
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
    pub(super) fn tasks(&self, sh: &Shared) -> Vec<Task> {
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
        if !m.sources.is_empty() {
            tasks.push(Task::Notices);
        }
        tasks.push(Task::NotFound);
        if self.b.changes.is_some() {
            tasks.push(Task::Changes);
        }
        tasks.extend((0..sh.redirects.len()).map(Task::Redirect));
        tasks
    }

    /// Where the page of a task that is not an area's goes, without making
    /// it (its view): what [`Self::page`] would give as its path.
    pub(super) fn task_path(&self, sh: &Shared, task: Task) -> Option<String> {
        let m = &self.b.model;
        Some(match task {
            Task::Home => urls::HOME.into(),
            Task::Elem(e) => self.b.url(e).to_string(),
            Task::Glossary => urls::GLOSSARY.into(),
            Task::Page(i) => urls::page(&m.pages[i].slug),
            Task::Results => urls::RESULTS.into(),
            Task::Notices => urls::NOTICES.into(),
            Task::NotFound => urls::NOT_FOUND.into(),
            Task::Changes => urls::CHANGES.into(),
            Task::Redirect(i) => sh.redirects.get(i)?.url.clone(),
            Task::Area(_) => return None,
        })
    }

    /// The page of a task that is not an area's.
    pub(super) fn page(&self, sh: &Shared, task: Task) -> Option<PageJob> {
        let m = &self.b.model;
        Some(match task {
            Task::Home => self.job(
                urls::HOME.into(),
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
            Task::Elem(Elem::Category(c)) => self.category_page(sh, c)?,
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
            Task::Elem(Elem::GenericPractice(g, p)) => self.generic_practice_page(sh, g, p),
            Task::Glossary => self.job(
                urls::GLOSSARY.into(),
                "glossary.html",
                "Glossary".into(),
                vec![home_crumb()],
                "glossary",
                vec![
                    ("terms", tv(&self.glossary_view())),
                    ("page_notices", self.glossary_notices()),
                ],
            ),
            Task::Page(i) => {
                let p = &m.pages[i];
                self.job(
                    urls::page(&p.slug),
                    "page.html",
                    p.title.clone(),
                    vec![home_crumb()],
                    "page",
                    vec![
                        (
                            "page",
                            tv(&json!({"title": p.title, "body_html": p.body.html})),
                        ),
                        ("page_notices", self.free_page_notices(i)),
                    ],
                )
            }
            Task::Results => self.job(
                urls::RESULTS.into(),
                "results.html",
                "Survey results".into(),
                vec![
                    home_crumb(),
                    Crumb {
                        title: "Survey of practice".into(),
                        url: urls::SURVEY.into(),
                    },
                ],
                "results",
                vec![
                    ("categories", sh.categories_tv.clone()),
                    ("levels", sh.levels.clone()),
                ],
            ),
            Task::Notices => self.job(
                urls::NOTICES.into(),
                "notices.html",
                "Notices".into(),
                vec![home_crumb()],
                "notices",
                vec![],
            ),
            Task::NotFound => self.job(
                urls::NOT_FOUND.into(),
                "404.html",
                "Page not found".into(),
                vec![],
                "not-found",
                vec![("page_notices", tv(&Vec::<Value>::new()))],
            ),
            Task::Changes => self.changes_page()?,
            Task::Redirect(i) => self.redirect_page(&sh.redirects[i]),
            Task::Area(_) | Task::Elem(_) => return None,
        })
    }

    /// A category's page, with the clusters that hold one of its areas.
    fn category_page(&self, sh: &Shared, c: usize) -> Option<PageJob> {
        let m = &self.b.model;
        let cat = &m.categories[c].id.text;
        let in_category = |s: &Str| matches!(self.b.ids.get(&s.text), Some(&Elem::Area(ai)) if m.areas[ai].category.text == *cat);
        let clusters: Vec<tera::Value> = m
            .clusters
            .iter()
            .zip(&sh.clusters)
            .filter(|(cl, _)| cl.areas.iter().any(in_category))
            .map(|(_, v)| v.clone())
            .collect();
        Some(self.elem_job(
            sh,
            Elem::Category(c),
            "category.html",
            vec![home_crumb()],
            "category",
            vec![
                ("category", sh.category.get(&c)?.clone()),
                ("clusters", tera::Value::from(clusters)),
            ],
        ))
    }

    /// A generic practice's page, with its goal and the areas that
    /// elaborate it.
    fn generic_practice_page(&self, sh: &Shared, g: usize, p: usize) -> PageJob {
        let m = &self.b.model;
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
            Elem::GenericPractice(g, p),
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

    /// An area's pages: the area, its objectives and practices, and its
    /// worksheet, from its full view and the pieces rendered once for them
    /// (its live survey, its worksheet).
    pub(super) fn area_pages(
        &self,
        sh: &Shared,
        a: usize,
        area: &tera::Value,
        survey_html: Option<&tera::Value>,
        sheet: Option<&tera::Value>,
    ) -> Vec<PageJob> {
        let m = &self.b.model;
        let shared = |path: &str| {
            area.get_from_path(path)
                .cloned()
                .unwrap_or_else(tera::Value::none)
        };
        let mut jobs = Vec::new();
        let mut extra = vec![("area", area.clone())];
        extra.extend(survey_html.map(|h| ("survey_html", h.clone())));
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
                urls::worksheet(&ar.code.text),
                "worksheet.html",
                format!("Worksheet: {} {}", ar.code.text, ar.name),
                vec![
                    home_crumb(),
                    Crumb {
                        title: "Worksheets".into(),
                        url: urls::WORKSHEETS.into(),
                    },
                ],
                "worksheet",
                vec![
                    ("area", area.clone()),
                    ("sheet", sheet.clone()),
                    // The sources the area's sheet shows, as on its page.
                    ("page_notices", self.page_notices(Some(Elem::Area(a)))),
                ],
            ));
        }
        jobs
    }

    pub(super) fn reading_order(&self) -> Vec<Elem> {
        let m = &self.b.model;
        let mut out = Vec::with_capacity(self.b.urls.len());
        let areas = self.areas_by_category();
        for (c, cat) in m.categories.iter().enumerate() {
            if !self.b.urls.contains_key(&Elem::Category(c)) {
                continue;
            }
            out.push(Elem::Category(c));
            for &a in areas.get(cat.id.text.as_str()).into_iter().flatten() {
                crate::resolve::push_area(&mut out, a, &m.areas[a]);
            }
        }
        crate::resolve::push_goals(&mut out, m);
        // Every element of a book that resolved has an address, and the
        // addresses are the elements': the counts tell, without a lookup
        // each (at S=100, 33,000 lookups took 3-8 ms of every edit).
        if self.b.urls.len() != out.len() {
            out.retain(|e| self.b.urls.contains_key(e));
        }
        out
    }

    /// Each category's areas (by category id), in model order: found in
    /// one pass, not one per category (at S=100, 400 passes over 2,400
    /// areas took about 10 ms).
    pub(super) fn areas_by_category(&self) -> HashMap<&str, Vec<usize>> {
        let mut areas: HashMap<&str, Vec<usize>> = HashMap::new();
        for (a, area) in self.b.model.areas.iter().enumerate() {
            areas
                .entry(area.category.text.as_str())
                .or_default()
                .push(a);
        }
        areas
    }

    pub(super) fn counts(&self) -> Value {
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
}

pub(super) fn home_crumb() -> Crumb {
    Crumb {
        title: "Home".into(),
        url: urls::HOME.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// For every page of the shipped book but an area's: `task_path` says
    /// where `page` puts it, and made with only the lists `Lists::of` says
    /// it shows, it is the page made with all of them.
    #[test]
    fn a_page_goes_where_its_task_says_and_shows_only_the_lists_said() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (book, diags) = crate::check(root);
        let book = book.unwrap_or_else(|| panic!("{diags:?}"));
        let site = Site::new(&book);
        let sh = site.shared(Lists::ALL, None);
        let mut kinds = HashSet::new();
        let mut pages = 0;
        for t in site.tasks(&sh) {
            let Some(job) = site.page(&sh, t) else {
                continue;
            };
            kinds.insert(std::mem::discriminant(&t));
            assert_eq!(site.task_path(&sh, t).as_deref(), Some(job.path.as_str()));
            let got = site.page(&site.shared(Lists::of(&[t]), None), t).unwrap();
            assert_eq!(got.path, job.path);
            assert!(got.ctx == job.ctx, "{} differs", job.path);
            pages += 1;
        }
        // Home, the elements, glossary, free pages, results, notices, 404.
        assert!(kinds.len() >= 7, "{}", kinds.len());
        assert!(pages >= 25, "{pages}");
    }
}
