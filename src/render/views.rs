//! The views the templates get: typed structs serialised straight into Tera
//! values, built from the resolved book.

use super::*;

#[derive(Serialize, Clone)]
pub(super) struct Link {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) url: String,
    pub(super) anchor: String,
}

// The views the templates get, serialised straight into Tera values.
// Lists of areas leave out what only an area's own pages show (`detail`,
// flattened into the view when present).

#[derive(Serialize)]
pub(super) struct BackrefView<'a> {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) anchor: String,
    pub(super) url: String,
    pub(super) kind: &'a str,
    pub(super) how: &'static str,
}

#[derive(Serialize)]
pub(super) struct SubView<'a> {
    pub(super) title_html: &'a str,
    pub(super) notes_html: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct PracticeView<'a> {
    #[serde(flatten)]
    pub(super) link: Link,
    pub(super) statement_html: &'a str,
    pub(super) q_anchor: String,
    /// Its question on its area's page.
    pub(super) q_url: String,
    pub(super) notes_html: Option<&'a str>,
    pub(super) work_products: &'a [String],
    pub(super) subpractices: Vec<SubView<'a>>,
    pub(super) backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
pub(super) struct ObjectiveView<'a> {
    #[serde(flatten)]
    pub(super) link: Link,
    #[serde(flatten)]
    pub(super) full: Option<ObjectiveDetail<'a>>,
}

#[derive(Serialize)]
pub(super) struct ObjectiveDetail<'a> {
    pub(super) statement_html: &'a str,
    pub(super) notes_html: Option<&'a str>,
    pub(super) practices: Vec<PracticeView<'a>>,
    pub(super) backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
pub(super) struct LinkWith<'a> {
    #[serde(flatten)]
    pub(super) link: Link,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) note_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) html: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct ClusterRef<'a> {
    pub(super) id: &'a str,
    pub(super) name: &'a str,
}

#[derive(Serialize)]
pub(super) struct AreaView<'a> {
    #[serde(flatten)]
    pub(super) link: Link,
    pub(super) code: &'a str,
    pub(super) slug: String,
    /// The CSS named page its printed pages use (print-pages.css).
    pub(super) print_page: String,
    pub(super) name: &'a str,
    /// Its worksheet's page (when the model has a survey).
    pub(super) worksheet_url: String,
    /// Its part of the whole-model survey page.
    pub(super) survey_anchor: String,
    /// Its worksheet on the page of all worksheets.
    pub(super) worksheet_anchor: String,
    pub(super) category: Option<Link>,
    pub(super) group: Option<&'a str>,
    pub(super) status_html: Option<&'a str>,
    /// Whether the survey asks it (`Area::can_assess`): where not, its
    /// status says why, and its questions are not written.
    pub(super) assessable: bool,
    pub(super) purpose_html: &'a str,
    pub(super) objectives: Vec<ObjectiveView<'a>>,
    pub(super) practice_count: usize,
    #[serde(flatten)]
    pub(super) detail: Option<AreaDetail<'a>>,
}

#[derive(Serialize)]
pub(super) struct AreaDetail<'a> {
    pub(super) introduction_html: &'a str,
    pub(super) related: Vec<LinkWith<'a>>,
    pub(super) elaborations: Vec<LinkWith<'a>>,
    pub(super) clusters: Vec<ClusterRef<'a>>,
    /// The drawn figures of its clusters: how it relates to their areas.
    pub(super) figures: Vec<&'a str>,
    pub(super) backrefs: Vec<BackrefView<'a>>,
    pub(super) questions: Questions<'a>,
}

#[derive(Serialize)]
pub(super) struct Questions<'a> {
    pub(super) objectives: Vec<QuestionGroup<'a>>,
    pub(super) goals: Vec<QuestionGroup<'a>>,
}

#[derive(Serialize)]
pub(super) struct QuestionGroup<'a> {
    pub(super) id: &'a str,
    pub(super) title: &'a str,
    pub(super) questions: Vec<Question<'a>>,
}

#[derive(Serialize)]
pub(super) struct Question<'a> {
    pub(super) id: String,
    pub(super) anchor: String,
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) objective: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) gp: Option<&'a str>,
    pub(super) question: Option<&'a str>,
    pub(super) statement_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) elaboration_html: Option<&'a str>,
    /// A practice's notes and subpractices, as its page shows them: the
    /// guidance that opens in place while answering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) notes_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(super) subpractices: Vec<SubView<'a>>,
    pub(super) kind: &'static str,
}

#[derive(Serialize)]
pub(super) struct AreaGroup<'a> {
    pub(super) name: Option<&'a str>,
    pub(super) areas: Vec<AreaView<'a>>,
}

#[derive(Serialize)]
pub(super) struct CategoryView<'a> {
    #[serde(flatten)]
    pub(super) link: Link,
    pub(super) name: &'a str,
    pub(super) summary: Option<&'a str>,
    /// With the figures it cites drawn where it cites them.
    pub(super) description_html: Option<std::borrow::Cow<'a, str>>,
    pub(super) groups: Vec<AreaGroup<'a>>,
    pub(super) backrefs: Vec<BackrefView<'a>>,
}

#[derive(Serialize)]
pub(super) struct Crumb {
    pub(super) title: String,
    pub(super) url: String,
}

impl Site<'_> {
    pub(super) fn site_globals(&self) -> Value {
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
            "authors": m.book.authors,
            "description": m.book.description,
            "language": m.book.language,
            "title": m.title,
            "id": m.id.text,
            "version": m.version,
            // "…, Version 1.2" needs no ", version 1.2" after it.
            "title_names_version": !m.version.is_empty()
                && m.title.to_lowercase().contains(&format!("version {}", m.version.to_lowercase())),
            "source": m.source,
            "notice_html": html(&m.notice),
            "sources": self.sources_view(),
            "terms": m.terms,
            "terms_plural": m.terms_plural,
            "survey": m.survey.is_some(),
            "survey_introduction_html": m.survey.as_ref().and_then(|s| html(&s.introduction)),
            "scale": scale,
            "not_applicable": m.survey.as_ref().is_some_and(|s| s.not_applicable),
            "performed_at": m.survey.as_ref().map(|s| s.performed_at),
            "pages": m.pages.iter().map(|p| json!({"title": p.title, "url": urls::page(&p.slug)})).collect::<Vec<_>>(),
            "has_glossary": !m.glossary.is_empty(),
            "has_changes": self.b.changes.is_some(),
            "urls": urls::NAMED.into_iter().collect::<std::collections::BTreeMap<_, _>>(),
        })
    }

    /// An area as its pages show it (`full`), or as lists of areas do:
    /// links to its objectives, no practices.
    pub(super) fn area_view(&self, a: usize, full: bool) -> AreaView<'_> {
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
                        q_anchor: urls::question_anchor(&pr.id.text),
                        q_url: urls::question(self.b.url(Elem::Area(a)), &pr.id.text),
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
            figures: m
                .clusters
                .iter()
                .zip(&self.figures)
                .filter(|(c, _)| c.areas.iter().any(|s| s.text == area.code.text))
                .filter_map(|(_, f)| f.as_deref())
                .collect(),
            backrefs: self.backrefs(Elem::Area(a)),
            questions: self.build_questions(a),
        });
        AreaView {
            link: self.link(Elem::Area(a)),
            code: &area.code.text,
            slug: slug(&area.code.text),
            print_page: urls::print_page(&area.code.text),
            name: &area.name,
            worksheet_url: urls::worksheet(&area.code.text),
            survey_anchor: urls::survey_area_anchor(&area.code.text),
            worksheet_anchor: urls::worksheet_anchor(&area.code.text),
            category: self.b.ids.get(&area.category.text).map(|&e| self.link(e)),
            group: area.group.as_deref(),
            status_html: html(&area.status),
            assessable: area.can_assess(),
            purpose_html: &area.purpose.html,
            objectives,
            practice_count: area.objectives.iter().map(|o| o.practices.len()).sum(),
            detail,
        }
    }

    /// The questions asked for an area: its practices, then the generic
    /// practices of the goals a capability level requires.
    pub(super) fn build_questions(&self, a: usize) -> Questions<'_> {
        let m = &self.b.model;
        let area = &m.areas[a];
        if !area.can_assess() {
            return Questions {
                objectives: Vec::new(),
                goals: Vec::new(),
            };
        }
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
                        anchor: urls::question_anchor(&pr.id.text),
                        id: pr.id.text.clone(),
                        title: &pr.title,
                        url: self.b.url(Elem::Practice(a, o, p)),
                        objective: Some(&obj.id.text),
                        gp: None,
                        question: pr.question.as_deref(),
                        statement_html: &pr.statement.html,
                        elaboration_html: None,
                        notes_html: html(&pr.notes),
                        subpractices: subs(&pr.subpractices),
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
                                anchor: urls::question_anchor(&id),
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
                                notes_html: None,
                                subpractices: Vec::new(),
                                kind: "generic",
                            }
                        })
                        .collect(),
                }
            })
            .collect();
        Questions { objectives, goals }
    }

    /// A category with its areas (in their groups), as lists show them:
    /// `areas`, those of the category in model order.
    pub(super) fn category_view_of(&self, c: usize, areas: &[usize]) -> CategoryView<'_> {
        let m = &self.b.model;
        let cat = &m.categories[c];
        let mut groups: Vec<AreaGroup> = Vec::new();
        for &a in areas {
            let area = &m.areas[a];
            if !self.b.urls.contains_key(&Elem::Area(a)) {
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
            description_html: html(&cat.description).map(|h| self.with_figures(h)),
            groups,
            backrefs: self.backrefs(Elem::Category(c)),
        }
    }

    /// The shown generic goals, each with its index in the model.
    pub(super) fn goals_view(&self, full: bool) -> Vec<(usize, Value)> {
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

    pub(super) fn levels_view(&self) -> Vec<Value> {
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

    pub(super) fn clusters_view(&self) -> Vec<Value> {
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

    pub(super) fn glossary_view(&self) -> Vec<Value> {
        let mut terms: Vec<&Term> = self.b.model.glossary.iter().collect();
        terms.sort_by_key(|t| t.term.text.to_lowercase());
        terms
            .iter()
            .map(|t| {
                json!({"term": t.term.text, "anchor": urls::term_anchor(&t.term.text),
                       "definition_html": t.definition.html, "source": t.source,
                       "see_also": t.see_also.iter().map(|s| json!({"term": s.text, "anchor": urls::term_anchor(&s.text)})).collect::<Vec<_>>()})
            })
            .collect()
    }
}

pub(super) fn subs(s: &[Subpractice]) -> Vec<SubView<'_>> {
    s.iter()
        .map(|s| SubView {
            title_html: &s.title.html,
            notes_html: html(&s.notes),
        })
        .collect()
}
