//! The book as an OSCAL catalog.
//!
//! Categories are groups holding their areas' groups; an area's group holds
//! controls only (OSCAL lets a group hold groups or controls, not both): its
//! objectives, each with its practices as nested controls, and the generic
//! practices as asked for the area (`EF:GG2.GP1` as `EF.GG2.GP1`). The
//! generic goals and practices themselves are a group of their own. Every
//! control has a `statement` part; notes are `guidance`; what OSCAL has no
//! name for (subpractices, work products, questions, an area's status) are
//! parts in refbook's namespace. Empty lists are left out, as OSCAL wants.

use super::ids::{control_id, guidance_id, statement_id};
use super::{NS, OSCAL_VERSION, last_modified, prose, version};
use crate::model::{Area, Category, GenericPractice, Md, Model, Practice, Subpractice, asked_id};
use crate::resolve::Book;
use serde_json::{Map, Value, json};

/// The controls an area performs to reach a level.
pub struct LevelControls {
    pub level: i64,
    pub name: String,
    pub ids: Vec<String>,
}

/// The id of the group of generic goals (with `_` after it while an
/// element or category has it).
pub const GENERIC_GROUP: &str = "generic-goals";

/// A category's group without its areas.
pub fn category_head(c: &Category) -> Map<String, Value> {
    let mut g = obj([
        ("id", json!(control_id(&c.id.text))),
        ("class", json!("category")),
        ("title", json!(c.name)),
    ]);
    let overview = c
        .summary
        .clone()
        .or_else(|| c.description.as_ref().map(|d| prose(&d.src)));
    if let Some(text) = overview.filter(|t| !t.trim().is_empty()) {
        g.insert("parts".into(), json!([named("overview", None, &text)]));
    }
    g
}

/// A category's areas as groups, one at a time.
pub fn category_areas<'b>(
    m: &'b Model,
    c: &'b Category,
    asked: &'b [usize],
) -> impl Iterator<Item = Value> + 'b {
    (m.areas.iter())
        .filter(move |a| a.category.text == c.id.text)
        .map(move |a| area_group(m, a, asked))
}

/// The generic goals and their practices, as a group (none without them).
pub fn generic_group(book: &Book) -> Option<Value> {
    let m = &book.model;
    (!m.generic_goals.is_empty()).then(|| {
        // Its id is refbook's, not the content's: one no element has.
        let mut id = GENERIC_GROUP.to_string();
        while book.ids.contains_key(&id)
            || m.categories.iter().any(|c| control_id(&c.id.text) == id)
        {
            id.push('_');
        }
        json!({
            "id": id,
            "class": "generic-goals",
            "title": format!("{}s", m.terms.generic_goal),
            "controls": m.generic_goals.iter().map(|g| {
                let body = Some(&g.body);
                let mut c = control(&g.id.text, "generic-goal", &g.title, &g.statement, body);
                let gps = g.practices.iter().map(generic_practice).collect();
                put_list(&mut c, "controls", gps);
                Value::Object(c)
            }).collect::<Vec<_>>(),
        })
    })
}

/// The catalog's metadata: title, dates, version, the notices.
pub fn metadata(m: &Model) -> Map<String, Value> {
    let mut metadata = obj([
        ("title", json!(m.title)),
        ("last-modified", json!(last_modified(m))),
        ("version", json!(version(m))),
        ("oscal-version", json!(OSCAL_VERSION)),
    ]);
    // The model's own notice, and each source document's as it prints it:
    // the catalog reproduces text of them all.
    let notices: Vec<String> = (m.notice.iter().map(|n| prose(&n.src)))
        .chain(m.sources.iter().filter_map(|s| {
            let n = prose(&s.notice.as_ref()?.src);
            Some(format!("{}: {n}", s.short))
        }))
        .filter(|n| !n.trim().is_empty())
        .collect();
    if !notices.is_empty() {
        metadata.insert("remarks".into(), json!(notices.join("\n\n")));
    }
    if let Some(s) = m.source.as_deref().filter(|s| !s.trim().is_empty()) {
        metadata.insert("props".into(), json!([prop("source", s)]));
    }
    metadata
}

/// An area: its objectives with their practices, then the generic practices
/// asked for it.
fn area_group(m: &Model, a: &Area, asked: &[usize]) -> Value {
    let code = &a.code.text;
    let mut g = obj([
        ("id", json!(control_id(code))),
        ("class", json!("area")),
        ("title", json!(a.name)),
        ("props", json!([label(code)])),
    ]);
    let links: Vec<Value> = a
        .related
        .iter()
        .map(|r| json!({"href": format!("#{}", control_id(&r.area.text)), "rel": "related"}))
        .collect();
    put_list(&mut g, "links", links);
    let mut parts = Vec::new();
    add_md(&mut parts, "overview", None, Some(&a.purpose));
    add_md(&mut parts, "status", Some(NS), a.status.as_ref());
    add_md(&mut parts, "introduction", Some(NS), Some(&a.introduction));
    put_list(&mut g, "parts", parts);
    let mut controls: Vec<Value> = a
        .objectives
        .iter()
        .map(|o| {
            let mut c = control(
                &o.id.text,
                "objective",
                &o.title,
                &o.statement,
                o.notes.as_ref(),
            );
            put_list(
                &mut c,
                "controls",
                o.practices.iter().map(practice).collect(),
            );
            Value::Object(c)
        })
        .collect();
    for &g in asked {
        for gp in &m.generic_goals[g].practices {
            controls.push(asked_practice(a, gp));
        }
    }
    controls.extend(moved(a));
    put_list(&mut g, "controls", controls);
    Value::Object(g)
}

/// The ids the area and its elements replace (`replaces`), each a
/// withdrawn control of the area with a `moved-to` link to its successor,
/// so that a tool holding an old id finds where it went.
fn moved(a: &Area) -> Vec<Value> {
    let area = a.replaces.iter().map(|old| (old, &a.code));
    let objectives =
        (a.objectives.iter()).flat_map(|o| o.replaces.iter().map(move |old| (old, &o.id)));
    let practices = (a.objectives.iter())
        .flat_map(|o| &o.practices)
        .flat_map(|p| p.replaces.iter().map(move |old| (old, &p.id)));
    area.chain(objectives)
        .chain(practices)
        .map(|(old, now)| {
            json!({
                "id": control_id(&old.text),
                "class": "withdrawn",
                "title": format!("{} (now {})", old.text, now.text),
                "props": [label(&old.text), prop("status", "withdrawn")],
                "links": [{"href": format!("#{}", control_id(&now.text)), "rel": "moved-to"}],
            })
        })
        .collect()
}

fn practice(p: &Practice) -> Value {
    let mut c = control(
        &p.id.text,
        "practice",
        &p.title,
        &p.statement,
        p.notes.as_ref(),
    );
    let mut parts = take_parts(&mut c);
    parts.extend(
        p.work_products
            .iter()
            .map(|w| named("work-product", Some(NS), w)),
    );
    parts.extend(p.subpractices.iter().map(subpractice));
    if let Some(q) = &p.question {
        parts.push(named("question", Some(NS), q));
    }
    put_list(&mut c, "parts", parts);
    Value::Object(c)
}

fn generic_practice(gp: &GenericPractice) -> Value {
    let mut c = control(
        &gp.id.text,
        "generic-practice",
        &gp.title,
        &gp.statement,
        gp.notes.as_ref(),
    );
    let mut parts = take_parts(&mut c);
    parts.extend(gp.subpractices.iter().map(subpractice));
    if let Some(q) = &gp.question {
        parts.push(named("question", Some(NS), q));
    }
    put_list(&mut c, "parts", parts);
    Value::Object(c)
}

/// A generic practice as asked for an area: its elaboration for the area as
/// the statement when the area gives one, else the practice's own.
fn asked_practice(a: &Area, gp: &GenericPractice) -> Value {
    let id = asked_id(&a.code.text, &gp.id.text);
    let statement = a
        .elaborations
        .iter()
        .find(|(g, _)| g.text == gp.id.text)
        .map_or(&gp.statement, |(_, md)| md);
    let mut c = control(&id, "generic-practice", &gp.title, statement, None);
    c.insert(
        "props".into(),
        json!([{"name": "alt-identifier", "value": id}, label(&id)]),
    );
    c.insert(
        "links".into(),
        json!([{"href": format!("#{}", control_id(&gp.id.text)), "rel": "related"}]),
    );
    Value::Object(c)
}

/// A control with its statement, and its notes as guidance.
fn control(
    id: &str,
    class: &str,
    title: &str,
    statement: &Md,
    notes: Option<&Md>,
) -> Map<String, Value> {
    let mut smt = named("statement", None, &non_empty(&prose(&statement.src), title));
    smt.as_object_mut()
        .map(|p| p.insert("id".into(), json!(statement_id(id))));
    let mut parts = vec![smt];
    if let Some(text) = notes.map(|n| prose(&n.src)).filter(|t| !t.is_empty()) {
        let mut gdn = named("guidance", None, &text);
        gdn.as_object_mut()
            .map(|p| p.insert("id".into(), json!(guidance_id(id))));
        parts.push(gdn);
    }
    obj([
        ("id", json!(control_id(id))),
        ("class", json!(class)),
        ("title", json!(title)),
        ("parts", Value::Array(parts)),
    ])
}

fn subpractice(s: &Subpractice) -> Value {
    let mut p = named("subpractice", Some(NS), &prose(&s.title.src));
    if let Some(text) = s
        .notes
        .as_ref()
        .map(|n| prose(&n.src))
        .filter(|t| !t.is_empty())
    {
        p.as_object_mut()
            .map(|p| p.insert("parts".into(), json!([named("notes", Some(NS), &text)])));
    }
    p
}

/// What each level requires of an area as controls: a goal decided by the
/// objectives (GG1) is every objective with its practices; another is its
/// practices as asked for the area.
/// The controls each capability level asks (for the profiles).
pub fn level_controls(m: &Model, asked: &[usize]) -> Vec<LevelControls> {
    m.capability_levels
        .iter()
        .map(|l| {
            let mut ids = Vec::new();
            for r in &l.requires {
                let Some(g) = m.generic_goals.iter().position(|g| g.id.text == r.text) else {
                    continue;
                };
                for a in &m.areas {
                    if asked.contains(&g) {
                        ids.extend(
                            m.generic_goals[g]
                                .practices
                                .iter()
                                .map(|gp| control_id(&asked_id(&a.code.text, &gp.id.text))),
                        );
                    } else {
                        ids.extend(a.objectives.iter().map(|o| control_id(&o.id.text)));
                    }
                }
            }
            LevelControls {
                level: l.level,
                name: l.name.clone(),
                ids,
            }
        })
        .collect()
}

fn add_md(parts: &mut Vec<Value>, name: &str, ns: Option<&str>, md: Option<&Md>) {
    if let Some(text) = md.map(|m| prose(&m.src)).filter(|t| !t.is_empty()) {
        parts.push(named(name, ns, &text));
    }
}

/// A part with prose.
pub(super) fn named(name: &str, ns: Option<&str>, prose: &str) -> Value {
    let mut p = obj([("name", json!(name))]);
    if let Some(ns) = ns {
        p.insert("ns".into(), json!(ns));
    }
    p.insert("prose".into(), json!(prose));
    Value::Object(p)
}

fn label(id: &str) -> Value {
    json!({"name": "label", "value": id})
}

/// A property in refbook's namespace. Its value is one line without spaces
/// at either end (OSCAL's pattern), so runs of white space become one space.
fn prop(name: &str, value: &str) -> Value {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    json!({"name": name, "ns": NS, "value": value})
}

fn take_parts(c: &mut Map<String, Value>) -> Vec<Value> {
    match c.remove("parts") {
        Some(Value::Array(p)) => p,
        _ => Vec::new(),
    }
}

/// Sets a list, unless it is empty (OSCAL lists have at least one item).
pub(super) fn put_list(o: &mut Map<String, Value>, key: &str, list: Vec<Value>) {
    if !list.is_empty() {
        o.insert(key.into(), Value::Array(list));
    }
}

pub(super) fn obj<const N: usize>(fields: [(&str, Value); N]) -> Map<String, Value> {
    fields
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn non_empty(text: &str, instead: &str) -> String {
    if text.trim().is_empty() {
        instead.trim().to_string()
    } else {
        text.trim().to_string()
    }
}
