//! A cluster's figure: its number and caption, the parts that are not areas,
//! and the relations its diagram draws. All optional, so that a cluster
//! written before figures existed reads as it did.
//!
//! A relation joins two parts of its own cluster (an area it lists or a node
//! it declares): a diagram draws one cluster, and a relation to something it
//! does not hold could not be drawn. Whether the areas exist is checked with
//! the rest of the ids, in `resolve`.

use super::fields::*;
use crate::diag::{Diagnostic, did_you_mean};
use crate::model::*;
use crate::yaml::Node;

/// The figure fields of cluster `cf`, whose areas are `areas`.
pub(super) fn figure_fields(
    cx: &mut Cx,
    cf: &mut Fields,
    name: Option<&str>,
    areas: &[Str],
) -> (Option<Figure>, Vec<FigureNode>, Vec<Relation>) {
    let figure = figure(cx, cf, name);
    let nodes = nodes(cx, cf.take("nodes"), areas);
    let parts: Vec<&str> = areas
        .iter()
        .map(|a| a.text.as_str())
        .chain(nodes.iter().map(|n| n.id.text.as_str()))
        .collect();
    let relations = list(cx, cf.take("relations"), "`relations`")
        .iter()
        .filter_map(|r| relation(cx, r, &parts))
        .collect();
    (figure, nodes, relations)
}

fn figure(cx: &mut Cx, cf: &mut Fields, name: Option<&str>) -> Option<Figure> {
    let caption = opt(cx, cf, "caption", text);
    let n = cf.take("figure")?;
    let number = int(cx, n, "`figure`")?;
    if number < 1 {
        cx.err(n.pos, format!("`figure` must be 1 or more, found {number}"));
        return None;
    }
    Some(Figure {
        number,
        caption: caption.or_else(|| name.map(str::to_owned))?,
        loc: cx.loc(n.pos),
    })
}

fn nodes(cx: &mut Cx, n: Option<&Node>, areas: &[Str]) -> Vec<FigureNode> {
    let mut nodes: Vec<FigureNode> = Vec::new();
    for item in list(cx, n, "`nodes`") {
        let w = "a node of a cluster";
        let Some(mut f) = Fields::of(cx, item, w) else {
            continue;
        };
        let id = req(cx, &mut f, "id", w, s);
        let label = req(cx, &mut f, "label", w, text);
        f.finish(cx, w);
        let (Some(id), Some(label)) = (id, label) else {
            continue;
        };
        let area = areas.iter().find(|a| a.text == id.text);
        let first = nodes.iter().find(|n| n.id.text == id.text);
        if let Some(taken) = area.or(first.map(|n| &n.id)) {
            cx.diags.push(
                Diagnostic::error(
                    id.loc.clone(),
                    format!("the cluster already has a part `{}`", id.text),
                )
                .len(id.text.chars().count())
                .note(taken.loc.clone(), "it is named here"),
            );
            continue;
        }
        nodes.push(FigureNode { id, label });
    }
    nodes
}

fn relation(cx: &mut Cx, r: &Node, parts: &[&str]) -> Option<Relation> {
    let w = "a relation";
    let mut f = Fields::of(cx, r, w)?;
    let end = |cx: &mut Cx, f: &mut Fields, name: &'static str| {
        let e = req(cx, f, name, w, s)?;
        if parts.contains(&e.text.as_str()) {
            return Some(e);
        }
        let help = did_you_mean(&e.text, parts.iter().copied()).unwrap_or_else(|| {
            format!(
                "a relation joins the cluster's areas and nodes: {}",
                parts.join(", ")
            )
        });
        cx.diags.push(
            Diagnostic::error(
                e.loc.clone(),
                format!("no area or node `{}` in this cluster", e.text),
            )
            .len(e.text.chars().count())
            .help(help),
        );
        None
    };
    let from = end(cx, &mut f, "from");
    let to = end(cx, &mut f, "to");
    let label = opt(cx, &mut f, "label", text);
    let directed = opt(cx, &mut f, "directed", boolean).unwrap_or(true);
    f.finish(cx, w);
    let (from, to) = (from?, to?);
    if from.text == to.text {
        cx.diags.push(
            Diagnostic::error(
                to.loc.clone(),
                format!("a relation of `{}` to itself", to.text),
            )
            .len(to.text.chars().count()),
        );
        return None;
    }
    Some(Relation {
        from,
        to,
        label,
        directed,
    })
}
