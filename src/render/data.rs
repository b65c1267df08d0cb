//! The data files: model.json, the search index (written by `search`), the survey data and the
//! navigation (scripts the pages load), and the theme's static files.

use super::*;

impl<'b> Site<'b> {
    /// The whole model as data, in the source format's own field names,
    /// but for its areas (see `area_json`).
    pub(crate) fn model_json_head(&self) -> Value {
        let m = &self.b.model;
        // In one pass: at S=100, 400 categories looking through 2,400 areas
        // each took 10 ms of every diff serve makes.
        let mut in_category: HashMap<&str, Vec<&str>> = HashMap::new();
        for a in &m.areas {
            in_category
                .entry(&a.category.text)
                .or_default()
                .push(&a.code.text);
        }
        json!({
            "format": "refbook-model", "format_version": 1,
            "id": m.id.text, "title": m.title, "version": m.version, "source": m.source,
            "sources": m.sources.iter().map(|s| json!({"id": s.id.text, "short": s.short, "year": s.year,
                "citation": src(&s.citation), "notice": src(&s.notice)})).collect::<Vec<_>>(),
            "notice": src(&m.notice), "terms": m.terms, "terms_plural": m.terms_plural,
            "categories": m.categories.iter().enumerate().map(|(c, cat)| json!({
                "id": cat.id.text, "name": cat.name, "summary": cat.summary, "description": src(&cat.description),
                "url": self.b.urls.get(&Elem::Category(c)),
                "areas": in_category.remove(cat.id.text.as_str()).unwrap_or_default(),
            })).collect::<Vec<_>>(),
            "clusters": m.clusters.iter().map(cluster_json).collect::<Vec<_>>(),
            // Written one at a time by `write_model_json`.
            "areas": null,
            "generic_goals": m.generic_goals.iter().enumerate().map(|(g, goal)| json!({
                "id": goal.id.text, "title": goal.title, "statement": goal.statement.src, "body": goal.body.src,
                "source": goal.source.as_ref().map(source_json),
                "url": self.b.urls.get(&Elem::Goal(g)),
                "practices": goal.practices.iter().enumerate().map(|(p, gp)| json!({
                    "id": gp.id.text, "title": gp.title, "statement": gp.statement.src, "notes": src(&gp.notes),
                    "subpractices": SubJson::all(&gp.subpractices), "question": gp.question,
                    "url": self.b.urls.get(&Elem::GenericPractice(g, p)),
                })).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
            "glossary": m.glossary.iter().map(|t| json!({"term": t.term.text, "definition": t.definition.src, "source": t.source,
                "see_also": t.see_also.iter().map(|s| s.text.clone()).collect::<Vec<_>>()})).collect::<Vec<_>>(),
            "pages": m.pages.iter().map(|p| json!({"slug": p.slug, "title": p.title, "order": p.order, "url": urls::page(&p.slug),
                "sources": p.sources.as_ref().map(|v| v.iter().map(|s| s.text.clone()).collect::<Vec<_>>())})).collect::<Vec<_>>(),
            "survey": m.survey.as_ref().map(|s| json!({"scale": s.scale, "performed_at": s.performed_at, "not_applicable": s.not_applicable,
                "introduction": src(&s.introduction)})),
            "capability_levels": m.capability_levels.iter().map(|l| json!({"level": l.level, "name": l.name,
                "requires": l.requires.iter().map(|r| r.text.clone()).collect::<Vec<_>>(), "description": src(&l.description)})).collect::<Vec<_>>(),
        })
    }

    /// One area of model.json.
    pub(crate) fn area_json(&self, a: usize) -> AreaJson<&'b str> {
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
                .map(|(o, obj)| ObjectiveJson::<&str> {
                    id: &obj.id.text,
                    notes: src(&obj.notes),
                    page: obj.page.as_deref(),
                    practices: obj
                        .practices
                        .iter()
                        .enumerate()
                        .map(|(p, pr)| PracticeJson::<&str> {
                            id: &pr.id.text,
                            notes: src(&pr.notes),
                            page: pr.page.as_deref(),
                            question: pr.question.as_deref(),
                            replaces: texts(&pr.replaces),
                            statement: &pr.statement.src,
                            subpractices: SubJson::all(&pr.subpractices),
                            title: &pr.title,
                            url: url(Elem::Practice(a, o, p)),
                            work_products: pr.work_products.iter().map(String::as_str).collect(),
                        })
                        .collect(),
                    replaces: texts(&obj.replaces),
                    statement: &obj.statement.src,
                    title: &obj.title,
                    url: url(Elem::Objective(a, o)),
                })
                .collect(),
            purpose: &area.purpose.src,
            related: area
                .related
                .iter()
                .map(|r| RelatedJson::<&str> {
                    area: &r.area.text,
                    note: src(&r.note),
                })
                .collect(),
            replaces: texts(&area.replaces),
            source: area.source.as_ref().map(source_json),
            status: src(&area.status),
            url: url(Elem::Area(a)),
            assessable: area.assessable,
        }
    }

    /// Writes model.json, serialising one area at a time rather than the
    /// whole model at once. Same bytes as serialising it whole.
    pub(crate) fn write_model_json(&self, w: impl Write) -> serde_json::Result<()> {
        let areas = (0..self.b.model.areas.len()).map(|a| self.area_json(a));
        let json = Spliced::new(self.model_json_head(), "areas", areas);
        serde_json::to_writer_pretty(w, &json)
    }

    /// What the survey script needs: the scale, the levels, the addresses
    /// of the survey's pages, and per area the objectives with their
    /// practices and the generic practices asked, each question with its
    /// anchor. (`null` for a model without a survey.)
    pub(super) fn survey_data(&self) -> Option<impl Serialize + '_> {
        let m = &self.b.model;
        let s = m.survey.as_ref()?;
        let areas = (0..m.areas.len())
            .filter(|a| self.b.urls.contains_key(&Elem::Area(*a)))
            .map(|a| {
                let area = &m.areas[a];
                let asked = area.can_assess();
                SurveyAreaJson {
                    assessable: asked,
                    category: &area.category.text,
                    code: &area.code.text,
                    goals: self
                        .asked_goals
                        .iter()
                        .filter(|_| asked)
                        .map(|&g| {
                            let goal = &m.generic_goals[g];
                            SurveyGoalJson {
                                id: &goal.id.text,
                                questions: goal
                                    .practices
                                    .iter()
                                    .map(|gp| {
                                        let id = asked_id(&area.code.text, &gp.id.text);
                                        SurveyQuestionJson {
                                            anchor: urls::question_anchor(&id),
                                            gp: &gp.id.text,
                                            id,
                                            title: &gp.title,
                                        }
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
                                .filter(|_| asked)
                                .map(|p| SurveyPracticeJson {
                                    anchor: urls::question_anchor(&p.id.text),
                                    id: &p.id.text,
                                    title: &p.title,
                                })
                                .collect(),
                            title: &o.title,
                        })
                        .collect(),
                    reason: (!asked).then(|| not_assessable_reason(area)),
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
            "urls": {"survey": urls::SURVEY, "results": urls::RESULTS, "orphans": urls::survey_orphans()},
            "areas": null,
        });
        let mut head = head;
        if let Some(renames) = self.answer_renames() {
            head["renames"] = renames;
        }
        Some(Spliced::new(head, "areas", areas))
    }

    /// The sidebar, shared by every page through nav.js rather than
    /// repeated in each (which would make the site grow with its square).
    pub(super) fn nav(&self) -> Value {
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
        let mut nav = json!({"categories": cats, "goals": goals, "home": urls::HOME, "terms": {"category": m.terms.category, "area": m.terms.area, "generic_goal": m.terms.generic_goal, "generic_goals": m.terms_plural.generic_goal}});
        if self.b.changes.is_some() {
            nav["changes"] = Value::from(urls::CHANGES);
        }
        nav
    }
}

/// A JSON object whose entry `key` is a sequence made only as it is
/// written (serde_json's maps are sorted, so the bytes are those of the
/// object made whole).
pub(super) struct Spliced<I> {
    pub(super) head: Value,
    pub(super) key: &'static str,
    pub(super) items: Lazy<I>,
}

impl<I> Spliced<I> {
    pub(super) fn new(head: Value, key: &'static str, items: I) -> Self {
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
pub(super) struct Lazy<I>(std::cell::Cell<Option<I>>);

impl<I: Iterator<Item: Serialize>> Serialize for Lazy<I> {
    fn serialize<S: serde::Serializer>(&self, ser: S) -> Result<S::Ok, S::Error> {
        ser.collect_seq(self.0.take().into_iter().flatten())
    }
}

fn texts(s: &[Str]) -> Vec<&str> {
    s.iter().map(|s| s.text.as_str()).collect()
}

/// A text's Markdown source, as model.json gives it.
pub(super) fn src(md: &Option<Md>) -> Option<&str> {
    md.as_ref().map(|m| m.src.as_str())
}

/// Why the survey does not ask an area, as plain text: its status, or
/// that it has nothing to ask.
fn not_assessable_reason(area: &crate::model::Area) -> String {
    match &area.status {
        Some(md) => crate::markdown::plain_text(&md.src, 300),
        None => "the model gives it no practice".to_string(),
    }
}

#[derive(Serialize)]
pub(super) struct SurveyAreaJson<'a> {
    /// Written only where false, so that the data of a model whose every
    /// area is asked stays as it was.
    #[serde(skip_serializing_if = "is_true")]
    pub(super) assessable: bool,
    pub(super) category: &'a str,
    pub(super) code: &'a str,
    pub(super) goals: Vec<SurveyGoalJson<'a>>,
    pub(super) name: &'a str,
    pub(super) objectives: Vec<SurveyObjectiveJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) reason: Option<String>,
    pub(super) url: &'a str,
}

#[derive(Serialize)]
pub(super) struct SurveyGoalJson<'a> {
    pub(super) id: &'a str,
    pub(super) questions: Vec<SurveyQuestionJson<'a>>,
    pub(super) title: &'a str,
}

#[derive(Serialize)]
pub(super) struct SurveyQuestionJson<'a> {
    pub(super) anchor: String,
    pub(super) gp: &'a str,
    pub(super) id: String,
    pub(super) title: &'a str,
}

#[derive(Serialize)]
pub(super) struct SurveyObjectiveJson<'a> {
    pub(super) id: &'a str,
    pub(super) practices: Vec<SurveyPracticeJson<'a>>,
    pub(super) title: &'a str,
}

#[derive(Serialize)]
pub(super) struct SurveyPracticeJson<'a> {
    pub(super) anchor: String,
    pub(super) id: &'a str,
    pub(super) title: &'a str,
}

impl Site<'_> {
    /// Old ids -> new ids of what the survey asks about (practices, and area
    /// codes for the generic practices asked for an area): where answers
    /// saved under an old id move (`answers::renames`). `None` when nothing
    /// was renamed, so that the survey data stays as it was.
    fn answer_renames(&self) -> Option<Value> {
        let map: serde_json::Map<String, Value> = self
            .b
            .renames()
            .filter(|(_, e)| matches!(e, Elem::Area(_) | Elem::Practice(..)))
            .map(|(old, e)| (old.to_string(), Value::from(self.b.id(e))))
            .collect();
        (!map.is_empty()).then_some(Value::Object(map))
    }

    /// The survey data of `assets/survey-data.js` as a JSON value (`None`
    /// for a model without a survey): what `refbook report` scores against,
    /// so that it scores the very data the browser does.
    pub fn survey_json(&self) -> Option<serde_json::Result<Value>> {
        self.survey_data().map(serde_json::to_value)
    }
}

/// The search index, navigation and survey data scripts, model.json and the
/// theme's static files.
pub(super) fn write_data<S: Sink>(
    site: &Site,
    statics: &[(String, Vec<u8>)],
    sink: &S,
) -> Result<(), WriteError> {
    let put = |rel: &str, f: &mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>| {
        let mut file = sink.create(rel)?;
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut file);
        f(&mut w)
            .and_then(|()| w.flush())
            .map_err(|e| sink.write_error(rel, e))?;
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
    let index = super::search::write_search(site, &mut |rel, part, texts| {
        put(rel, &mut |w| script(w, part, &texts))
    })?;
    put(urls::SEARCH_INDEX, &mut |w| script(w, "search", &index))?;
    put(urls::NAV, &mut |w| script(w, "nav", &site.nav()))?;
    put(urls::SURVEY_DATA, &mut |w| {
        script(w, "survey", &site.survey_data())
    })?;
    put(urls::MODEL_JSON, &mut |w| {
        site.write_model_json(&mut *w)?;
        Ok(())
    })?;
    put(urls::PRINT_PAGES_CSS, &mut |w| site.write_print_css(w))?;
    put(urls::MODEL_SCHEMA_JSON, &mut |w| {
        w.write_all(MODEL_SCHEMA.as_bytes())
    })?;
    put("answers.schema.json", &mut |w| {
        w.write_all(crate::ANSWERS_SCHEMA.as_bytes())
    })?;
    for (name, bytes) in statics {
        put(&urls::asset(name), &mut |w| w.write_all(bytes))?;
    }
    Ok(())
}

/// The OSCAL catalog and profiles ([`crate::oscal`]), checked before they
/// are written: what OSCAL tools would refuse is refbook's error, said as one
/// (returned). Made beside the pages, which do not need them.
pub(super) fn write_oscal<S: Sink>(
    site: &Site,
    sink: &S,
) -> Result<Option<crate::diag::Diagnostic>, WriteError> {
    use crate::oscal::stream;
    let rel = crate::urls::OSCAL_CATALOG;
    let mut file = sink.create(rel)?;
    let written = {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, &mut file);
        stream::write_catalog(site.b, &site.asked_goals, &mut w).and_then(|c| {
            w.flush()?;
            Ok(c)
        })
    };
    let cat = written.map_err(|e| sink.write_error(rel, e))?;
    file.patch(cat.uuid_at, cat.uuid.as_bytes())
        .map_err(|e| sink.write_error(rel, e))?;
    sink.close(rel, file)?;
    let profiles = stream::profiles(site.b, &site.asked_goals, &cat.controls);
    let mut problems = cat.problems;
    problems.extend(profiles.problems);
    if !problems.is_empty() {
        let d = crate::diag::Diagnostic::error(
            crate::diag::Loc::default(),
            format!(
                "internal error: the OSCAL files would be invalid: {}",
                problems.join("; ")
            ),
        );
        return Ok(Some(
            d.help("please report this, with the content that causes it"),
        ));
    }
    for (path, bytes) in &profiles.files {
        sink.put(path, bytes)?;
    }
    Ok(None)
}

/// Writes JSON so that it can stand inside a script: `</` cannot end the
/// script and U+2028/U+2029 cannot end a line of it.
pub(super) struct ScriptSafe<W: Write>(W);

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

/// An element's place in its source, as model.json gives it.
fn source_json(r: &crate::model::SourceRef) -> Value {
    json!({"document": r.document.text, "section": r.section, "page": r.page})
}

/// A cluster in model.json; its figure, nodes and relations only when it has
/// them, so that a model without figures reads as it did.
fn cluster_json(c: &Cluster) -> Value {
    let mut v = json!({"id": c.id.text, "name": c.name, "description": src(&c.description),
        "areas": c.areas.iter().map(|a| a.text.clone()).collect::<Vec<_>>()});
    if let Some(f) = &c.figure {
        v["figure"] = json!({"number": f.number, "caption": f.caption});
    }
    if !c.nodes.is_empty() {
        v["nodes"] = c
            .nodes
            .iter()
            .map(|n| json!({"id": n.id.text, "label": n.label}))
            .collect();
    }
    if !c.relations.is_empty() {
        v["relations"] = c.relations.iter()
            .map(|r| json!({"from": r.from.text, "to": r.to.text, "label": r.label, "directed": r.directed}))
            .collect();
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

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
