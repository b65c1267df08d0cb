//! A cluster's diagram, drawn at build time from the model: its areas (and
//! the other parts its text names) as boxes in rows, each relation an edge
//! from a row to a lower one, as inline SVG with the relations written out
//! beside it. The source's own figures are pictures the text seed does not
//! hold; what is drawn is what the model says, nothing more.
//!
//! Colours come from the theme's classes (the CSP refuses style attributes),
//! so the print stylesheet makes the drawing black on white. Sizes are
//! estimated from character counts: the boxes are wide enough for the
//! longest words of the names at the drawing's own font size.

use super::*;
use pulldown_cmark_escape::{escape_href, escape_html};
use std::borrow::Cow;
use std::fmt::Write as _;

const FONT: f64 = 13.0;
const BOX_W: f64 = 150.0;
const GAP_X: f64 = 20.0;
/// Room between rows for the edges and their labels (three lines).
const GAP_Y: f64 = 76.0;
const PAD: f64 = 8.0;
const MARGIN: f64 = 4.0;
const LINE: f64 = 16.0;
/// Characters a line of a box holds, and of an edge's label.
const WRAP: usize = 18;
const LABEL_WRAP: usize = 16;

/// A box of the diagram.
struct Part {
    key: String,
    /// An area's code, drawn in bold above its name.
    code: Option<String>,
    name: String,
    url: Option<String>,
}

impl Part {
    fn lines(&self) -> Vec<String> {
        let mut l: Vec<String> = self.code.iter().cloned().collect();
        l.extend(wrap(&self.name, WRAP));
        l
    }
    fn height(&self) -> f64 {
        2.0 * PAD + LINE * self.lines().len() as f64
    }
    /// "ADM Asset Definition and Management", as the text alternative names it.
    fn full(&self) -> String {
        match &self.code {
            Some(c) => format!("{c} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Where a box stands: its top left corner, its height.
#[derive(Clone, Copy, Default)]
struct Place {
    x: f64,
    y: f64,
    h: f64,
}

impl Place {
    fn mid(&self) -> f64 {
        self.x + BOX_W / 2.0
    }
}

impl Site<'_> {
    /// Each cluster's figure as HTML, or `None` for a cluster not drawn.
    pub(super) fn draw_figures(&self) -> Vec<Option<String>> {
        let m = &self.b.model;
        m.clusters
            .iter()
            .map(|c| c.drawn().then(|| self.figure(c)))
            .collect()
    }

    /// `html` (a category's text) with each paragraph that is the caption of
    /// a drawn figure ("*Figure 10: ...*") replaced by the figure.
    pub(super) fn with_figures<'h>(&self, html: &'h str) -> Cow<'h, str> {
        let mut out = Cow::Borrowed(html);
        for (c, fig) in self.b.model.clusters.iter().zip(&self.figures) {
            let (Some(f), Some(fig)) = (&c.figure, fig) else {
                continue;
            };
            let open = format!("<p><em>Figure {}:", f.number);
            let Some(at) = out.find(&open) else {
                continue;
            };
            let Some(len) = out[at..].find("</em></p>") else {
                continue;
            };
            let end = at + len + "</em></p>".len();
            out = Cow::Owned(format!("{}{fig}{}", &out[..at], &out[end..]));
        }
        out
    }

    fn parts(&self, c: &Cluster) -> Vec<Part> {
        let areas = c.areas.iter().filter_map(|code| {
            let e = *self.b.ids.get(&code.text)?;
            let name = match e {
                Elem::Area(a) => self.b.model.areas[a].name.clone(),
                _ => return None,
            };
            Some(Part {
                key: code.text.clone(),
                code: Some(code.text.clone()),
                name,
                url: self.b.urls.contains_key(&e).then(|| self.link(e).url),
            })
        });
        let nodes = c.nodes.iter().map(|n| Part {
            key: n.id.text.clone(),
            code: None,
            name: n.label.clone(),
            url: None,
        });
        areas.chain(nodes).collect()
    }

    fn figure(&self, c: &Cluster) -> String {
        let parts = self.parts(c);
        let index = |s: &Str| parts.iter().position(|p| p.key == s.text);
        let edges: Vec<(usize, usize, &Relation)> = c
            .relations
            .iter()
            .filter_map(|r| Some((index(&r.from)?, index(&r.to)?, r)))
            .collect();
        let caption = match &c.figure {
            Some(f) => format!("Figure {}: {}", f.number, f.caption),
            None => c.name.clone(),
        };
        let id = |part: &str| urls::figure_part(&c.id.text, part);
        let mut h = String::with_capacity(4096);
        let _ = write!(
            h,
            "<figure class=\"diagram\" id=\"{}\">",
            urls::figure_anchor(&c.id.text)
        );
        svg(&mut h, &parts, &edges, &caption, &id);
        h.push_str("<figcaption><p class=\"diagram-caption\">");
        escape_html(&mut h, &caption).ok();
        h.push_str(
            " <span class=\"muted\">(drawn from the model; not the report's picture)</span></p>",
        );
        relation_list(&mut h, &parts, &edges);
        h.push_str("</figcaption></figure>");
        h
    }
}

/// The relations in words, each area linked: what the drawing shows, for
/// whoever does not see it, and for the keyboard (the boxes' links are
/// left out of the tab order so that each area is reached once).
fn relation_list(h: &mut String, parts: &[Part], edges: &[(usize, usize, &Relation)]) {
    h.push_str("<ul class=\"diagram-relations\">");
    for (f, t, r) in edges {
        h.push_str("<li>");
        part_link(h, &parts[*f]);
        h.push_str(if r.directed { " → " } else { " ↔ " });
        part_link(h, &parts[*t]);
        if let Some(l) = &r.label {
            h.push_str(": ");
            escape_html(&mut *h, l).ok();
        }
        h.push_str("</li>");
    }
    h.push_str("</ul>");
}

fn part_link(h: &mut String, p: &Part) {
    match &p.url {
        Some(url) => {
            h.push_str("<a href=\"");
            h.push(ROOT_MARK);
            escape_href(&mut *h, url).ok();
            h.push_str("\">");
            escape_html(&mut *h, &p.full()).ok();
            h.push_str("</a>");
        }
        None => {
            escape_html(&mut *h, &p.full()).ok();
        }
    }
}

/// The relations as one sentence, for the drawing's `<desc>`.
fn relation_text(parts: &[Part], edges: &[(usize, usize, &Relation)]) -> String {
    let items: Vec<String> = edges
        .iter()
        .map(|(f, t, r)| {
            let arrow = if r.directed { "→" } else { "↔" };
            let label = r
                .label
                .as_ref()
                .map(|l| format!(": {l}"))
                .unwrap_or_default();
            format!("{} {arrow} {}{label}", parts[*f].full(), parts[*t].full())
        })
        .collect();
    items.join("; ")
}

fn svg(
    h: &mut String,
    parts: &[Part],
    edges: &[(usize, usize, &Relation)],
    caption: &str,
    id: &dyn Fn(&str) -> String,
) {
    let (places, w, ht) = layout(parts, edges);
    // The drawing is one image (its `<g>`); the boxes' links lie over it,
    // outside it, because an image's parts are not controls (axe:
    // nested-interactive).
    let _ = write!(
        h,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram-svg\" viewBox=\"0 0 {w} {ht}\" \
         width=\"{w}\" height=\"{ht}\" font-size=\"{FONT}\"><g role=\"img\" \
         aria-labelledby=\"{t}\" aria-describedby=\"{d}\"><title id=\"{t}\">",
        t = id("title"),
        d = id("desc"),
    );
    escape_html(&mut *h, caption).ok();
    let _ = write!(h, "</title><desc id=\"{}\">", id("desc"));
    escape_html(&mut *h, &relation_text(parts, edges)).ok();
    let arrow = id("arrow");
    let _ = write!(
        h,
        "</desc><defs><marker id=\"{arrow}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" \
         markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\">\
         <path class=\"diagram-arrowhead\" d=\"M0,0L10,5L0,10z\"/></marker></defs>"
    );
    let lines = edge_lines(&places, edges);
    h.push_str("<g class=\"diagram-edges\">");
    for ((x1, y1, x2, y2), (_, _, r)) in lines.iter().zip(edges) {
        let _ = write!(
            h,
            "<line class=\"diagram-edge\" x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\""
        );
        if r.directed {
            let _ = write!(h, " marker-end=\"url(#{arrow})\"");
        }
        h.push_str("/>");
    }
    h.push_str("</g>");
    for (p, at) in parts.iter().zip(&places) {
        node(h, p, at);
    }
    for ((x1, y1, x2, y2), (_, _, r)) in lines.iter().zip(edges) {
        if let Some(l) = &r.label {
            let (x, y) = ((x1 + x2) / 2.0, (y1 + y2) / 2.0);
            let wrapped = wrap(l, LABEL_WRAP);
            let top = y - LINE * (wrapped.len() as f64 - 1.0) / 2.0 + FONT / 3.0;
            text(h, "diagram-label", x, top, &wrapped, &[]);
        }
    }
    h.push_str("</g>");
    for (p, at) in parts.iter().zip(&places) {
        hit(h, p, at);
    }
    h.push_str("</svg>");
}

/// A box's link to its area's page, for the pointer: out of the tab order
/// and hidden from assistive technology, which reach the same pages through
/// the list of relations under the drawing.
fn hit(h: &mut String, p: &Part, at: &Place) {
    let Some(url) = &p.url else {
        return;
    };
    h.push_str("<a tabindex=\"-1\" aria-hidden=\"true\" href=\"");
    h.push(ROOT_MARK);
    escape_href(&mut *h, url).ok();
    let _ = write!(
        h,
        "\"><rect class=\"diagram-hit\" x=\"{}\" y=\"{}\" width=\"{BOX_W}\" height=\"{}\" rx=\"6\"/></a>",
        at.x, at.y, at.h
    );
}

/// A box with its area's code and name, or a node's label.
fn node(h: &mut String, p: &Part, at: &Place) {
    let class = if p.code.is_some() {
        "diagram-node"
    } else {
        "diagram-node diagram-other"
    };
    let _ = write!(
        h,
        "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{BOX_W}\" height=\"{}\" rx=\"6\"/>",
        at.x, at.y, at.h
    );
    let lines = p.lines();
    let top = at.y + (at.h - LINE * lines.len() as f64) / 2.0 + LINE - 4.0;
    let bold: &[usize] = if p.code.is_some() { &[0] } else { &[] };
    text(h, "diagram-text", at.mid(), top, &lines, bold);
}

/// Lines of text centred on `x`, the first baseline at `y`; the lines whose
/// index is in `bold` are drawn bold.
fn text(h: &mut String, class: &str, x: f64, y: f64, lines: &[String], bold: &[usize]) {
    let _ = write!(
        h,
        "<text class=\"{class}\" x=\"{x}\" y=\"{y}\" text-anchor=\"middle\">"
    );
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { LINE };
        let weight = if bold.contains(&i) {
            " class=\"diagram-code\""
        } else {
            ""
        };
        let _ = write!(h, "<tspan x=\"{x}\" dy=\"{dy}\"{weight}>");
        escape_html(&mut *h, l).ok();
        h.push_str("</tspan>");
    }
    h.push_str("</text>");
}

/// Each part's row: one below the lowest part that relates to it, so that
/// every relation runs downwards (a cycle stops growing after a round per
/// part, and its last edge runs up).
fn rows(n: usize, edges: &[(usize, usize, &Relation)]) -> Vec<usize> {
    let mut row = vec![0; n];
    for _ in 0..n {
        let mut changed = false;
        for &(f, t, _) in edges {
            if row[t] <= row[f] && row[f] + 1 < n {
                row[t] = row[f] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    row
}

/// Where each box stands, and the drawing's width and height. Rows are
/// centred; a row's boxes are ordered by where the boxes above that relate
/// to them stand, so that edges cross as little as this simple rule allows.
fn layout(parts: &[Part], edges: &[(usize, usize, &Relation)]) -> (Vec<Place>, f64, f64) {
    let row = rows(parts.len(), edges);
    let count = row.iter().max().map_or(0, |r| r + 1);
    let widest = (0..count)
        .map(|r| row.iter().filter(|&&x| x == r).count())
        .max()
        .unwrap_or(0);
    let width = widest as f64 * BOX_W + widest.saturating_sub(1) as f64 * GAP_X;
    let mut places = vec![Place::default(); parts.len()];
    let mut y = MARGIN;
    for r in 0..count {
        let mut members: Vec<usize> = (0..parts.len()).filter(|&i| row[i] == r).collect();
        let above = |i: usize| {
            let xs: Vec<f64> = edges
                .iter()
                .filter(|(f, t, _)| *t == i && row[*f] < r)
                .map(|(f, _, _)| places[*f].mid())
                .collect();
            if xs.is_empty() {
                f64::MAX
            } else {
                xs.iter().sum::<f64>() / xs.len() as f64
            }
        };
        let keys: Vec<f64> = members.iter().map(|&i| above(i)).collect();
        let mut order: Vec<usize> = (0..members.len()).collect();
        order.sort_by(|a, b| keys[*a].total_cmp(&keys[*b]));
        members = order.iter().map(|&k| members[k]).collect();
        let row_w = members.len() as f64 * (BOX_W + GAP_X) - GAP_X;
        let left = MARGIN + (width - row_w) / 2.0;
        let h = members
            .iter()
            .map(|&i| parts[i].height())
            .fold(0.0, f64::max);
        for (k, &i) in members.iter().enumerate() {
            places[i] = Place {
                x: left + k as f64 * (BOX_W + GAP_X),
                y,
                h,
            };
        }
        y += h + GAP_Y;
    }
    (places, width + 2.0 * MARGIN, y - GAP_Y + MARGIN)
}

/// Each edge's ends: from the bottom of the box above to the top of the box
/// below, the edges that meet a side spread along it in the order of their
/// other ends, so that they neither overlap nor cross there.
fn edge_lines(places: &[Place], edges: &[(usize, usize, &Relation)]) -> Vec<(f64, f64, f64, f64)> {
    // (part, side is bottom) -> the edges meeting it there, with the x of their other end.
    let down = |f: usize, t: usize| places[t].y > places[f].y;
    let mut ends: Vec<(f64, f64)> = vec![(0.0, 0.0); edges.len() * 2];
    for (p, at) in places.iter().enumerate() {
        for bottom in [true, false] {
            let mut meet: Vec<(f64, usize)> = Vec::new();
            for (k, &(f, t, _)) in edges.iter().enumerate() {
                let d = down(f, t);
                if f == p && d == bottom {
                    meet.push((places[t].mid(), 2 * k));
                }
                if t == p && d != bottom {
                    meet.push((places[f].mid(), 2 * k + 1));
                }
            }
            meet.sort_by(|a, b| a.0.total_cmp(&b.0));
            let n = meet.len() as f64;
            let y = if bottom { at.y + at.h } else { at.y };
            for (i, (_, slot)) in meet.iter().enumerate() {
                // Whole tenths: the SVG's numbers stay short.
                let x = (10.0 * (at.x + BOX_W * (i as f64 + 1.0) / (n + 1.0))).round() / 10.0;
                ends[*slot] = (x, y);
            }
        }
    }
    (0..edges.len())
        .map(|k| {
            (
                ends[2 * k].0,
                ends[2 * k].1,
                ends[2 * k + 1].0,
                ends[2 * k + 1].1,
            )
        })
        .collect()
}

/// Words in lines of at most `max` characters (a longer word has a line of
/// its own).
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        match lines.last_mut() {
            Some(l) if l.chars().count() + 1 + word.chars().count() <= max => {
                l.push(' ');
                l.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(directed: bool) -> Relation {
        Relation {
            from: Str::default(),
            to: Str::default(),
            label: None,
            directed,
        }
    }

    #[test]
    fn words_wrap_at_the_width_and_a_long_word_keeps_its_line() {
        assert_eq!(
            wrap("Environmental Control and Facilities Management", 18),
            ["Environmental", "Control and", "Facilities", "Management"]
        );
        assert_eq!(
            wrap("Incomprehensibilities x", 5),
            ["Incomprehensibilities", "x"]
        );
    }

    #[test]
    fn every_relation_runs_down_a_row_even_in_a_cycle() {
        let r = rel(true);
        // 0 -> 1 -> 2, 0 -> 2: 2 sits below 1; 3 relates to nothing.
        let edges = [(0, 1, &r), (1, 2, &r), (0, 2, &r)];
        assert_eq!(rows(4, &edges), [0, 1, 2, 0]);
        // A cycle ends: rows stay below the number of parts.
        let cycle = [(0, 1, &r), (1, 0, &r)];
        assert!(rows(2, &cycle).iter().all(|&x| x < 2));
    }

    #[test]
    fn edges_leaving_one_box_start_apart_in_the_order_of_their_ends() {
        let part = |k: &str| Part {
            key: k.into(),
            code: Some(k.into()),
            name: "Name".into(),
            url: None,
        };
        let parts = [part("A"), part("B"), part("C")];
        let r = rel(false);
        let edges = [(0, 2, &r), (0, 1, &r)];
        let (places, w, _) = layout(&parts, &edges);
        assert!(w >= 2.0 * BOX_W + GAP_X);
        let lines = edge_lines(&places, &edges);
        // B stands left of C (by the order met), so the edge to B starts left.
        assert!(places[1].x < places[2].x);
        assert!(lines[1].0 < lines[0].0);
        assert_eq!(lines[0].1, places[0].y + places[0].h);
        assert_eq!(lines[0].3, places[2].y);
    }
}
