//! The report as one self-contained HTML page in the book's theme: the
//! theme's stylesheets and the report's in one `<style>` element that the
//! page's Content-Security-Policy allows by its hash (no `'unsafe-inline'`,
//! no style attribute, no script, nothing loaded from anywhere), charts as
//! inline SVG, and every text from the book or an answer file escaped. One
//! file, so it opens from `file://` and travels as an attachment.

use super::{AreaResult, Assessment, Report, page_team};
use crate::scoring::Status;
use std::fmt::Write;

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;color:#1a1a1a;margin:0}\
main{max-width:64rem;margin:0 auto;padding:1.5rem}\
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:1px solid #ccc}\
table{border-collapse:collapse;width:100%;margin:.6rem 0 1rem}\
th,td{border:1px solid #d0d0d0;padding:.3rem .5rem;text-align:left;vertical-align:top}\
thead th{background:#f2f2f2}caption{text-align:left;font-weight:600;padding:.3rem 0}\
.meta,.muted{color:#555}dl.respondent{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem}\
dt{font-weight:600}dd{margin:0}tr[data-status=assessed] td.status{color:#0a5c2a}\
tr[data-status=not-assessed] td.status{color:#8a4b00}td.below{color:#a00000}\
@media print{main{max-width:none}h2{break-before:page}}\n";

/// Escapes text for HTML content and attribute values.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A status as the page says it.
fn status_text(s: Status) -> &'static str {
    match s {
        Status::OutOfScope => "out of scope",
        Status::NotAssessable => "not assessable (the model asks nothing of it)",
        Status::NotAssessed => "not assessed (nothing answered)",
        Status::NotApplicable => "not applicable (every practice N/A)",
        Status::Assessed => "assessed",
    }
}

/// Written in parts (the head, each team, each file) so that the page is
/// never whole in memory.
pub(super) fn html(r: &Report, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut o = String::with_capacity(64 << 10);
    let css = format!("{}{STYLE}{}", r.theme_css, page_team::STYLE);
    let title = format!(
        "Survey report: {}",
        if r.title.is_empty() {
            &r.model
        } else {
            &r.title
        }
    );
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; \
         base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{css}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        super::csp::style_source(&css),
        esc(&title),
        esc(&title)
    );
    let version = r
        .model_version
        .as_deref()
        .map(|v| format!(", version {}", esc(v)))
        .unwrap_or_default();
    let _ = writeln!(
        o,
        "<p class=\"meta\">Model <code>{}</code>{version} &middot; {} &middot; scored by refbook {} with the survey's scoring rules</p>",
        esc(&r.model),
        crate::diag::plural(r.assessments.len(), "assessment"),
        env!("CARGO_PKG_VERSION")
    );
    legend(&mut o, r);
    page_team::views(&mut o, r, w)?;
    if r.assessments.len() > 1 {
        o.push_str("<h2 id=\"files\">Each file</h2>\n");
    }
    for a in &r.assessments {
        assessment(&mut o, r, a);
        spill(&mut o, w)?;
    }
    o.push_str("</main>\n</body>\n</html>\n");
    spill(&mut o, w)
}

/// Writes out what `o` holds, and empties it.
pub(super) fn spill(o: &mut String, w: &mut dyn std::io::Write) -> std::io::Result<()> {
    w.write_all(o.as_bytes())?;
    o.clear();
    Ok(())
}

fn legend(o: &mut String, r: &Report) {
    o.push_str("<section class=\"legend\">\n<h2>How to read it</h2>\n<ul>\n");
    for l in &r.levels {
        let _ = writeln!(o, "<li>Level {} {}</li>", l.level, esc(&l.name));
    }
    o.push_str(
        "</ul>\n<p class=\"muted\">An area's level is the highest whose required goals are all achieved; \
         levels are never averaged. Only an assessed area has a level: an area in scope with nothing \
         answered is <em>not assessed</em>, never level 0. \u{201C}Practices performed\u{201D} counts \
         the applicable practices (those not answered N/A), unanswered ones as not performed.</p>\n</section>\n",
    );
}

fn assessment(o: &mut String, r: &Report, a: &Assessment) {
    let _ = writeln!(
        o,
        "<section class=\"assessment\" data-file=\"{}\">\n<h2>{}</h2>",
        esc(&a.file),
        esc(&a.file)
    );
    let who: Vec<(&str, &str)> = a
        .respondent
        .fields()
        .into_iter()
        .filter_map(|(k, v)| Some((k, v?)))
        .collect();
    if !who.is_empty() {
        o.push_str("<dl class=\"respondent\">\n");
        for (k, v) in who {
            let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", esc(&capitalised(k)), esc(v));
        }
        o.push_str("</dl>\n");
    }
    let scope = match &a.areas_in_scope {
        None => "every area".to_string(),
        Some(list) if list.is_empty() => "no area".to_string(),
        Some(list) => esc(&list.join(", ")),
    };
    let _ = writeln!(o, "<p>Scope: {scope}</p>");
    summary(o, r, a);
    areas(o, a);
    super::roadmap::html(o, r, a);
    not_applicable(o, a);
    evidence(o, a);
    o.push_str("</section>\n");
}

/// How many areas have each status, and how many assessed areas each level.
fn summary(o: &mut String, r: &Report, a: &Assessment) {
    let mut parts = Vec::new();
    for s in [
        Status::Assessed,
        Status::NotAssessed,
        Status::NotApplicable,
        Status::NotAssessable,
        Status::OutOfScope,
    ] {
        let n = a.areas.iter().filter(|x| x.status == s).count();
        if n > 0 {
            parts.push(format!("{n} {}", s.as_str().replace('-', " ")));
        }
    }
    let _ = writeln!(
        o,
        "<p class=\"summary\">Areas: {}.</p>",
        esc(&parts.join(", "))
    );
    let levels: Vec<String> = r
        .levels
        .iter()
        .map(|l| {
            let n = a.areas.iter().filter(|x| x.level == Some(l.level)).count();
            format!("level {}: {n}", l.level)
        })
        .collect();
    if !levels.is_empty() {
        let _ = writeln!(
            o,
            "<p class=\"summary\">Assessed areas by level: {}.</p>",
            esc(&levels.join(", "))
        );
    }
}

fn areas(o: &mut String, a: &Assessment) {
    o.push_str(
        "<table class=\"areas\">\n<caption>Areas</caption>\n<thead><tr><th scope=\"col\">Area</th>\
         <th scope=\"col\">Name</th><th scope=\"col\">Status</th><th scope=\"col\">Level</th>\
         <th scope=\"col\">Target</th><th scope=\"col\">Practices performed</th></tr></thead>\n<tbody>\n",
    );
    for x in &a.areas {
        area_row(o, x);
    }
    o.push_str("</tbody>\n</table>\n");
}

fn area_row(o: &mut String, x: &AreaResult) {
    let level = match (x.level, &x.level_name) {
        (Some(l), Some(n)) if !n.is_empty() => format!("{l} {}", esc(n)),
        (Some(l), _) => l.to_string(),
        (None, _) => "&ndash;".into(),
    };
    let below = matches!((x.level, x.target), (Some(l), Some(t)) if l < t);
    let target = match x.target {
        Some(t) if below => format!("<td class=\"below\">{t} (not reached)</td>"),
        Some(t) => format!("<td>{t}</td>"),
        None => "<td></td>".into(),
    };
    let performed = if x.applicable > 0 {
        format!("{} of {}", x.performed, x.applicable)
    } else {
        "&ndash;".into()
    };
    let _ = writeln!(
        o,
        "<tr data-area=\"{}\" data-status=\"{}\" data-level=\"{}\"><th scope=\"row\">{}</th><td>{}</td>\
         <td class=\"status\">{}</td><td>{level}</td>{target}<td>{performed}</td></tr>",
        esc(&x.id),
        x.status.as_str(),
        x.level.map(|l| l.to_string()).unwrap_or_default(),
        esc(&x.id),
        esc(&x.name),
        status_text(x.status),
    );
}

fn not_applicable(o: &mut String, a: &Assessment) {
    o.push_str("<h3>Not applicable</h3>\n");
    if a.not_applicable.is_empty() {
        o.push_str("<p class=\"muted\">No practice of the areas in scope was answered N/A.</p>\n");
        return;
    }
    o.push_str(
        "<table class=\"na\">\n<thead><tr><th scope=\"col\">Practice</th><th scope=\"col\">Title</th>\
         <th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n",
    );
    for n in &a.not_applicable {
        let _ = writeln!(
            o,
            "<tr data-question=\"{}\"><th scope=\"row\">{}</th><td>{}</td><td>{}</td></tr>",
            esc(&n.id),
            esc(&n.id),
            esc(&n.title),
            esc(&n.reason)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

fn evidence(o: &mut String, a: &Assessment) {
    if a.evidence.is_empty() {
        return;
    }
    o.push_str(
        "<h3>Evidence</h3>\n<table class=\"evidence\">\n<thead><tr><th scope=\"col\">Question</th>\
         <th scope=\"col\">Reference</th><th scope=\"col\">Description</th></tr></thead>\n<tbody>\n",
    );
    for e in &a.evidence {
        let lower = e.href.to_ascii_lowercase();
        // Only web links become links; anything else (a document reference,
        // another scheme) is shown as text.
        let reference = if lower.starts_with("https://") || lower.starts_with("http://") {
            format!(
                "<a href=\"{}\" rel=\"noreferrer\">{}</a>",
                esc(&e.href),
                esc(&e.href)
            )
        } else {
            esc(&e.href)
        };
        let description = e.description.as_deref().map(esc).unwrap_or_default();
        let _ = writeln!(
            o,
            "<tr data-question=\"{}\"><th scope=\"row\">{}</th><td>{reference}</td><td>{description}</td></tr>",
            esc(&e.id),
            esc(&e.id)
        );
    }
    o.push_str("</tbody>\n</table>\n");
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_for_content_and_attributes() {
        assert_eq!(
            esc("<script>\"a\" & 'b'</script>"),
            "&lt;script&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/script&gt;"
        );
        assert_eq!(capitalised("organization"), "Organization");
    }
}
