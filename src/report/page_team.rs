//! The HTML page's views over several files: the scope x area matrix (the
//! site's heat-map colours), the assessors of each scope and date side by
//! side with their disputes, and each scope's dates. Levels are shown as
//! distributions, never averaged.

use super::matrix::Cell;
use super::page::esc;
use super::team::{Compared, Side, Team};
use super::{History, Report};
use crate::scoring::Status;
use std::fmt::Write;

/// What these views add to the page's style (the theme's classes colour
/// the cells: `hm-*`, `st-*`, `.chart .bar`).
pub(super) const STYLE: &str = ".scroll{overflow-x:auto}\
.matrix td{min-width:3.2rem}.matrix td .n{display:block;font-size:.85em}\
.matrix td .tgt{display:block;font-size:.8em}\
tr.disputed th{border-left:4px solid var(--sv-no-fg)}\
.side .note,.side .reason{display:block;font-size:.9em;white-space:pre-wrap}\
.side .reason{font-style:italic}.why{font-weight:600}\n";

pub(super) fn views(o: &mut String, r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    if r.assessments.len() < 2 {
        return Ok(());
    }
    matrix(o, r);
    for t in r.teams.iter().filter(|t| t.assessors.len() > 1) {
        team(o, r, t);
        super::page::spill(o, w)?;
    }
    for h in r.history.iter().filter(|h| h.dates.len() > 1) {
        history(o, h);
    }
    Ok(())
}

/// A scope as the page names it.
fn scope_name(organization: &str, scope: &str) -> String {
    let name = |s: &str| {
        if s.is_empty() {
            "(none)".to_string()
        } else {
            s.to_string()
        }
    };
    format!("{} \u{b7} {}", name(organization), name(scope))
}

/// The heat-map class of a cell: its lowest level (the conservative
/// reading) against the model's levels, or its status without a level.
fn heat(cell: &Cell, top: i64) -> &'static str {
    match cell.lowest() {
        None => "hm-not-assessable",
        Some(0) => "hm-not-achieved",
        Some(l) if l >= top => "hm-achieved",
        Some(_) => "hm-partial",
    }
}

fn status_short(s: Status) -> &'static str {
    match s {
        Status::OutOfScope => "out of scope",
        Status::NotAssessable => "not assessable",
        Status::NotAssessed => "not assessed",
        Status::NotApplicable => "N/A",
        Status::Assessed => "assessed",
    }
}

fn cell_html(o: &mut String, c: &Cell, top: i64) {
    let levels: Vec<String> = c
        .levels
        .iter()
        .map(|l| format!("{}:{}", l.value, l.files))
        .collect();
    let _ = write!(
        o,
        "<td class=\"hm {}\" data-area=\"{}\" data-levels=\"{}\">",
        heat(c, top),
        esc(&c.area),
        levels.join(" ")
    );
    for l in &c.levels {
        let _ = write!(o, "<span class=\"n\">L{} \u{d7}{}</span>", l.value, l.files);
    }
    for s in &c.states {
        let _ = write!(
            o,
            "<span class=\"n\">{} \u{d7}{}</span>",
            status_short(s.value),
            s.files
        );
    }
    if let Some(t) = c.target {
        let below = if c.below_target > 0 {
            format!(", {} below", c.below_target)
        } else {
            String::new()
        };
        let _ = write!(o, "<span class=\"tgt\">target {t}{below}</span>");
    }
    o.push_str("</td>");
}

fn matrix(o: &mut String, r: &Report) {
    let m = &r.matrix;
    let top = r.levels.iter().map(|l| l.level).max().unwrap_or(0);
    o.push_str(
        "<section class=\"team-matrix\">\n<h2 id=\"matrix\">Scopes and areas</h2>\n\
         <p class=\"muted\">Each scope at its latest date. A cell counts the files that give each level \
         (L2 \u{d7}3: three files at level 2) and those that give none, by why; levels are never averaged. \
         Its colour is the lowest level given: red level 0, amber between, green the top level, grey no level.</p>\n\
         <div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Capability levels by scope and area\">\n<table class=\"heatmap matrix\">\n<caption>Capability levels by scope and area</caption>\n\
         <thead><tr><th scope=\"col\">Scope</th>",
    );
    for a in &m.areas {
        let _ = write!(
            o,
            "<th scope=\"col\" title=\"{}\">{}</th>",
            esc(&a.name),
            esc(&a.id)
        );
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for row in &m.rows {
        let _ = write!(
            o,
            "<tr><th scope=\"row\">{}<span class=\"area-name\"> {} \u{b7} {}</span></th>",
            esc(&scope_name(&row.organization, &row.scope)),
            esc(&row.date),
            crate::diag::plural(row.files, "file")
        );
        for c in &row.cells {
            cell_html(o, c, top);
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">Every scope</th>");
    for a in &m.areas {
        cell_html(o, &a.total, top);
    }
    o.push_str("</tr></tfoot>\n</table>\n</div>\n");
    share_chart(o, r);
    o.push_str("</section>\n");
}

/// Performed share per area over every scope's latest files, as an SVG bar
/// chart (attributes, not styles: the page's policy allows no style attribute).
fn share_chart(o: &mut String, r: &Report) {
    let areas: Vec<_> = r
        .matrix
        .areas
        .iter()
        .filter(|a| a.total.applicable > 0)
        .collect();
    if areas.is_empty() {
        return;
    }
    let (row_h, left, width) = (18, 70, 300);
    let height = row_h * areas.len() + 10;
    let _ = writeln!(
        o,
        "<svg class=\"chart share\" viewBox=\"0 0 {} {height}\" role=\"img\" aria-labelledby=\"share-title\">\
         <title id=\"share-title\">Practices performed, of the applicable ones, per area over every scope</title>",
        left + width + 120
    );
    for (i, a) in areas.iter().enumerate() {
        let t = &a.total;
        let w = width * t.performed / t.applicable.max(1);
        let y = i * row_h + 5;
        let _ = write!(
            o,
            "<text x=\"0\" y=\"{}\">{}</text><rect class=\"bar\" x=\"{left}\" y=\"{}\" width=\"{w}\" height=\"{}\"/>\
             <text x=\"{}\" y=\"{}\">{} of {} ({}%)</text>",
            y + 12,
            esc(&a.id),
            y + 2,
            row_h - 6,
            left + w + 4,
            y + 12,
            t.performed,
            t.applicable,
            t.performed * 100 / t.applicable.max(1)
        );
    }
    o.push_str("</svg>\n");
}

fn team(o: &mut String, r: &Report, t: &Team) {
    let title = format!(
        "{} \u{b7} {}",
        scope_name(&t.organization, &t.scope),
        if t.date.is_empty() {
            "(no date)"
        } else {
            &t.date
        }
    );
    let _ = writeln!(
        o,
        "<section class=\"team\">\n<h2>{}</h2>\n<p>{} side by side; {}.</p>",
        esc(&title),
        crate::diag::plural(t.assessors.len(), "assessor"),
        crate::diag::plural(t.disputed.len(), "disputed question")
    );
    let names: Vec<String> = t
        .assessors
        .iter()
        .map(|m| {
            if m.assessor.is_empty() {
                format!("({})", m.file)
            } else {
                m.assessor.clone()
            }
        })
        .collect();
    o.push_str("<table class=\"comparison\">\n<caption>Levels by assessor</caption>\n<thead><tr><th scope=\"col\">Area</th>");
    for n in &names {
        let _ = write!(o, "<th scope=\"col\">{}</th>", esc(n));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    for a in t
        .areas
        .iter()
        .filter(|a| a.statuses.iter().any(|s| *s != Status::OutOfScope))
    {
        let _ = write!(
            o,
            "<tr data-area=\"{}\"><th scope=\"row\">{}</th>",
            esc(&a.id),
            esc(&a.id)
        );
        for (l, s) in a.levels.iter().zip(&a.statuses) {
            match l {
                Some(l) => {
                    let _ = write!(o, "<td class=\"lvl\">{l}</td>");
                }
                None => {
                    let _ = write!(
                        o,
                        "<td class=\"st-{}\">{}</td>",
                        s.as_str(),
                        status_short(*s)
                    );
                }
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
    questions(o, r, t, &names);
    o.push_str("</section>\n");
}

/// Whether a question is worth a row: the answers differ, someone left it
/// unanswered, or someone wrote a note or gave evidence.
fn differs(q: &Compared) -> bool {
    let first = &q.answers[0].value;
    q.disputed.is_some()
        || q.unanswered > 0
        || q.answers
            .iter()
            .any(|s| &s.value != first || s.note.is_some() || !s.evidence.is_empty())
}

fn questions(o: &mut String, r: &Report, t: &Team, names: &[String]) {
    let shown: Vec<&Compared> = t.questions.iter().filter(|q| differs(q)).collect();
    let alike = t.alike.len() + t.questions.len() - shown.len();
    if shown.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"muted\">Every answered question got the same answer from every assessor ({alike}).</p>"
        );
        return;
    }
    o.push_str("<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Questions answered differently\">\n<table class=\"comparison questions\">\n<caption>Questions answered differently, or with notes or evidence</caption>\n<thead><tr><th scope=\"col\">Question</th>");
    for n in names {
        let _ = write!(o, "<th scope=\"col\">{}</th>", esc(n));
    }
    o.push_str("<th scope=\"col\">Spread</th></tr></thead>\n<tbody>\n");
    for q in shown {
        let (class, why) = match q.disputed {
            Some(w) => (
                " class=\"disputed\"",
                format!("<span class=\"why\">Disputed: {}</span>", w.text()),
            ),
            None => ("", String::new()),
        };
        let _ = write!(
            o,
            "<tr data-question=\"{}\"{class}><th scope=\"row\">{} <span class=\"area-name\">{}</span></th>",
            esc(&q.id),
            esc(&q.id),
            esc(&q.title)
        );
        for s in &q.answers {
            side(o, s);
        }
        let spread = match q.spread {
            Some(s) if s.low != s.high => format!("{}\u{2013}{}", s.low, s.high),
            Some(s) => s.low.to_string(),
            None => "&ndash;".into(),
        };
        let _ = writeln!(o, "<td>{spread} {why}</td></tr>");
    }
    let _ = writeln!(
        o,
        "</tbody>\n</table>\n</div>\n<p class=\"muted\">Performed at {} or over. {alike} other answered questions got the same answer from every assessor.</p>",
        r.performed_at
    );
}

fn side(o: &mut String, s: &Side) {
    let value = match &s.value {
        serde_json::Value::Null => "<span class=\"st-not-assessed\">unanswered</span>".to_string(),
        serde_json::Value::String(_) => "N/A".to_string(),
        v => v.to_string(),
    };
    let _ = write!(o, "<td class=\"side\">{value}");
    if let Some(r) = &s.reason {
        let _ = write!(o, "<span class=\"reason\">{}</span>", esc(r));
    }
    if let Some(n) = &s.note {
        let _ = write!(o, "<span class=\"note\">{}</span>", esc(n));
    }
    for e in &s.evidence {
        let lower = e.href.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            let _ = write!(
                o,
                "<a class=\"note\" href=\"{}\" rel=\"noreferrer\">{}</a>",
                esc(&e.href),
                esc(&e.href)
            );
        } else {
            let _ = write!(o, "<span class=\"note\">{}</span>", esc(&e.href));
        }
    }
    o.push_str("</td>");
}

fn history(o: &mut String, h: &History) {
    let _ = writeln!(
        o,
        "<section class=\"history\">\n<h2>{} over time</h2>\n<p class=\"muted\">With several assessors at a date, the date counts with their conservative (min) consensus.</p>",
        esc(&scope_name(&h.organization, &h.scope))
    );
    o.push_str("<table class=\"comparison\">\n<caption>Levels by date</caption>\n<thead><tr><th scope=\"col\">Area</th>");
    for d in &h.dates {
        let _ = write!(
            o,
            "<th scope=\"col\">{}</th>",
            esc(if d.date.is_empty() {
                "(no date)"
            } else {
                &d.date
            })
        );
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    let areas = h.dates[0].areas.len();
    for n in 0..areas {
        let cells: Vec<_> = h.dates.iter().filter_map(|d| d.areas.get(n)).collect();
        if cells.iter().all(|c| c.status == Status::OutOfScope) {
            continue;
        }
        let _ = write!(
            o,
            "<tr data-area=\"{}\"><th scope=\"row\">{}</th>",
            esc(&cells[0].id),
            esc(&cells[0].id)
        );
        for c in cells {
            match c.level {
                Some(l) => {
                    let _ = write!(o, "<td class=\"lvl\">{l}</td>");
                }
                None => {
                    let _ = write!(
                        o,
                        "<td class=\"st-{}\">{}</td>",
                        c.status.as_str(),
                        status_short(c.status)
                    );
                }
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n<ul class=\"changes\">\n");
    for pair in h.dates.windows(2) {
        let list = |ids: &[String]| {
            if ids.is_empty() {
                "none".to_string()
            } else {
                esc(&ids.join(", "))
            }
        };
        let _ = writeln!(
            o,
            "<li>{} since {}: became performed: {}; stopped being performed: {}.</li>",
            esc(&pair[1].date),
            esc(&pair[0].date),
            list(&pair[1].became_performed),
            list(&pair[1].stopped_performed)
        );
    }
    o.push_str("</ul>\n</section>\n");
}
