//! model.yaml: the model's identity, its terms, categories, clusters,
//! survey scale and capability levels.

use super::fields::*;
use crate::diag::Diagnostic;
use crate::model::*;
use crate::yaml::{Node, Value};

pub(super) fn model_yaml_fields(cx: &mut Cx, n: &Node, m: &mut Model) {
    let what = "model.yaml";
    let Some(mut f) = Fields::of(cx, n, what) else {
        return;
    };
    m.id = req(cx, &mut f, "id", what, s).unwrap_or_default();
    m.title = req(cx, &mut f, "title", what, text).unwrap_or_default();
    m.version = opt(cx, &mut f, "version", string).unwrap_or_default();
    m.source = opt(cx, &mut f, "source", text);
    m.notice = opt(cx, &mut f, "notice", md);
    if let Some(t) = f.take("terms") {
        terms(cx, t, m);
    }
    m.sources = sources(cx, f.take("sources"));
    let cats = f.require(cx, "categories", what);
    categories(cx, cats, m);
    m.clusters = clusters(cx, f.take("clusters"));
    if let Some(sv) = f.require(cx, "survey", what) {
        m.survey = survey(cx, sv);
    }
    m.capability_levels = capability_levels(cx, f.take("capability_levels"));
    f.finish(cx, what);
}

/// The words the book uses for its kinds of element; each one left out
/// keeps its default. A word is a string (its plural made by the English
/// rule, `plural`) or a mapping `{one, other}` giving both.
fn terms(cx: &mut Cx, t: &Node, m: &mut Model) {
    let Some(mut tf) = Fields::of(cx, t, "`terms`") else {
        return;
    };
    let d = Terms::defaults();
    let mut term = |cx: &mut Cx, name: &'static str, dflt: String| match tf.take(name) {
        None => (plural(&dflt), dflt),
        Some(n) if matches!(n.value, Value::Map(_)) => {
            let what = format!("`terms.{name}`");
            let Some(mut f) = Fields::of(cx, n, &what) else {
                return (plural(&dflt), dflt);
            };
            let one = req(cx, &mut f, "one", &what, text).unwrap_or(dflt);
            let other = opt(cx, &mut f, "other", text).unwrap_or_else(|| plural(&one));
            f.finish(cx, &what);
            (other, one)
        }
        Some(n) => {
            let one = text(cx, n, &format!("`{name}`")).unwrap_or(dflt);
            (plural(&one), one)
        }
    };
    let (category_p, category) = term(cx, "category", d.category);
    let (area_p, area) = term(cx, "area", d.area);
    let (objective_p, objective) = term(cx, "objective", d.objective);
    let (practice_p, practice) = term(cx, "practice", d.practice);
    let (generic_goal_p, generic_goal) = term(cx, "generic_goal", d.generic_goal);
    let (generic_practice_p, generic_practice) = term(cx, "generic_practice", d.generic_practice);
    tf.finish(cx, "`terms`");
    m.terms = Terms {
        category,
        area,
        objective,
        practice,
        generic_goal,
        generic_practice,
    };
    m.terms_plural = Terms {
        category: category_p,
        area: area_p,
        objective: objective_p,
        practice: practice_p,
        generic_goal: generic_goal_p,
        generic_practice: generic_practice_p,
    };
}

/// The documents the model is transcribed from, each with its notice.
fn sources(cx: &mut Cx, n: Option<&Node>) -> Vec<Source> {
    let mut out = Vec::new();
    for sn in list(cx, n, "`sources`") {
        let w = "a source";
        let Some(mut f) = Fields::of(cx, sn, w) else {
            continue;
        };
        let id = req(cx, &mut f, "id", w, s);
        let short = req(cx, &mut f, "short", w, text);
        let citation = opt(cx, &mut f, "citation", md);
        let year = opt(cx, &mut f, "year", int);
        let notice = opt(cx, &mut f, "notice", md);
        f.finish(cx, w);
        if let (Some(id), Some(short)) = (id, short) {
            out.push(Source {
                id,
                short,
                citation,
                year,
                notice,
            });
        }
    }
    out
}

fn categories(cx: &mut Cx, cats: Option<&Node>, m: &mut Model) {
    // Areas name their category: if some could not be read, an unknown
    // category in an area may be one of them.
    m.lost.categories |= !matches!(cats.map(|n| &n.value), Some(Value::Seq(_)));
    for c in list(cx, cats, "`categories`") {
        let w = "a category";
        let Some(mut cf) = Fields::of(cx, c, w) else {
            m.lost.categories = true;
            continue;
        };
        let id = req(cx, &mut cf, "id", w, s);
        let name = req(cx, &mut cf, "name", w, text);
        let summary = opt(cx, &mut cf, "summary", text);
        let order = cf.take("areas").map(|n| str_list(cx, Some(n), "`areas`"));
        cf.finish(cx, w);
        match (id, name) {
            (Some(id), Some(name)) => m.categories.push(Category {
                id,
                name,
                summary,
                description: None,
                area_order: order,
            }),
            (Some(id), None) => {
                m.lost.ids.insert(id.text);
            }
            (None, _) => m.lost.categories = true,
        }
    }
}

fn clusters(cx: &mut Cx, n: Option<&Node>) -> Vec<Cluster> {
    let mut clusters: Vec<Cluster> = Vec::new();
    for c in list(cx, n, "`clusters`") {
        let w = "a cluster";
        let Some(mut cf) = Fields::of(cx, c, w) else {
            continue;
        };
        let id = req(cx, &mut cf, "id", w, s);
        let name = req(cx, &mut cf, "name", w, text);
        let description = opt(cx, &mut cf, "description", md);
        let an = cf.require(cx, "areas", w);
        let areas = str_list(cx, an, "`areas`");
        let (figure, nodes, relations) =
            super::figures::figure_fields(cx, &mut cf, name.as_deref(), &areas);
        cf.finish(cx, w);
        if let Some(id) = &id
            && let Some(first) = clusters.iter().find(|c| c.id.text == id.text)
        {
            cx.diags.push(
                Diagnostic::error(
                    id.loc.clone(),
                    format!("duplicate cluster id `{}`", id.text),
                )
                .len(id.text.chars().count())
                .note(
                    first.id.loc.clone(),
                    "the first cluster with this id is here",
                ),
            );
            continue;
        }
        if let (Some(id), Some(name)) = (id, name) {
            clusters.push(Cluster {
                id,
                name,
                description,
                areas,
                figure,
                nodes,
                relations,
            });
        }
    }
    clusters
}

fn survey(cx: &mut Cx, sv: &Node) -> Option<Survey> {
    let w = "`survey`";
    let mut sf = Fields::of(cx, sv, w)?;
    let sn = sf.require(cx, "scale", w);
    let scale = scale(cx, sn);
    let performed_at_loc = cx.loc(sf.pos_of("performed_at").unwrap_or(sv.pos));
    let performed_at = req(cx, &mut sf, "performed_at", w, int);
    let not_applicable = opt(cx, &mut sf, "not_applicable", boolean).unwrap_or(false);
    let introduction = opt(cx, &mut sf, "introduction", md);
    sf.finish(cx, w);
    Some(Survey {
        scale,
        performed_at: performed_at?,
        performed_at_loc,
        not_applicable,
        loc: cx.loc(sv.pos),
        introduction,
    })
}

fn scale(cx: &mut Cx, sn: Option<&Node>) -> Vec<ScaleValue> {
    let mut scale = Vec::new();
    for v in list(cx, sn, "`scale`") {
        let w = "a scale value";
        let Some(mut vf) = Fields::of(cx, v, w) else {
            continue;
        };
        let loc = cx.loc(vf.pos_of("value").unwrap_or(v.pos));
        let value = req(cx, &mut vf, "value", w, int);
        let label = req(cx, &mut vf, "label", w, text);
        let description = opt(cx, &mut vf, "description", text);
        vf.finish(cx, w);
        if let (Some(value), Some(label)) = (value, label) {
            scale.push(ScaleValue {
                value,
                label,
                description,
                loc,
            });
        }
    }
    scale
}

fn capability_levels(cx: &mut Cx, n: Option<&Node>) -> Vec<CapabilityLevel> {
    let mut levels = Vec::new();
    for l in list(cx, n, "`capability_levels`") {
        let w = "a capability level";
        let Some(mut lf) = Fields::of(cx, l, w) else {
            continue;
        };
        let loc = cx.loc(lf.pos_of("level").unwrap_or(l.pos));
        let level = req(cx, &mut lf, "level", w, int);
        let name = req(cx, &mut lf, "name", w, text);
        let requires = str_list(cx, lf.take("requires"), "`requires`");
        let description = opt(cx, &mut lf, "description", md);
        lf.finish(cx, w);
        if let (Some(level), Some(name)) = (level, name) {
            levels.push(CapabilityLevel {
                level,
                loc,
                name,
                requires,
                description,
            });
        }
    }
    levels
}
