//! Area files and generic goal files: front matter of objectives and
//! practices (or generic practices), then the Markdown introduction.

use super::fields::*;
use super::sources::{SourceFile, front_matter};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::yaml::{Node, Value};

pub(super) fn area_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<Area> {
    let (yaml, body) = front_matter(file, diags)?;
    let cx = &mut yaml.cx(diags);
    let w = "an area";
    let mut f = Fields::of(cx, &yaml.node, w)?;
    let code = req(cx, &mut f, "code", w, s);
    let name = req(cx, &mut f, "name", w, text);
    let category = req(cx, &mut f, "category", w, s);
    let group = opt(cx, &mut f, "group", text);
    let status = opt(cx, &mut f, "status", md);
    let assessable_at = f.pos_of("assessable");
    let assessable = opt(cx, &mut f, "assessable", boolean);
    if let (Some(false), None, Some(pos)) = (assessable, &status, assessable_at) {
        let help = "say why in `status`, e.g. `status: The scope of this area is under review.`";
        let d = Diagnostic::error(
            cx.loc(pos),
            "an area with `assessable: false` needs a `status`",
        );
        cx.diags.push(d.help(help));
    }
    let purpose = req(cx, &mut f, "purpose", w, md);
    let related = related(cx, f.take("related"));
    let objectives = list(cx, f.take("objectives"), "`objectives`")
        .iter()
        .filter_map(|o| objective(cx, o))
        .collect();
    let elaborations = elaborations(cx, f.take("elaborations"));
    let replaces = replaces(cx, f.take("replaces"));
    let source = f.take("source").and_then(|n| source_ref(cx, n));
    f.finish(cx, w);
    Some(Area {
        code: code?,
        name: name?,
        category: category?,
        group,
        status,
        assessable: assessable.unwrap_or(true),
        purpose: purpose?,
        related,
        objectives,
        elaborations,
        introduction: body,
        file: file.rel.to_string(),
        replaces,
        source,
        links: None,
    })
}

fn related(cx: &mut Cx, n: Option<&Node>) -> Vec<Related> {
    let mut related = Vec::new();
    for r in list(cx, n, "`related`") {
        let w = "a related area";
        // `- COMP` is a related area without a note.
        if let Value::Str(_) = r.value {
            related.extend(s(cx, r, w).map(|area| Related { area, note: None }));
            continue;
        }
        let Some(mut rf) = Fields::of(cx, r, w) else {
            continue;
        };
        let area = req(cx, &mut rf, "area", w, s);
        let note = opt(cx, &mut rf, "note", md);
        rf.finish(cx, w);
        related.extend(area.map(|area| Related { area, note }));
    }
    related
}

fn objective(cx: &mut Cx, o: &Node) -> Option<Objective> {
    let w = "an objective";
    let mut of = Fields::of(cx, o, w)?;
    let id = req(cx, &mut of, "id", w, s);
    let title = req(cx, &mut of, "title", w, text);
    let statement = req(cx, &mut of, "statement", w, md);
    let notes = opt(cx, &mut of, "notes", md);
    let replaced = replaces(cx, of.take("replaces"));
    let page = opt(cx, &mut of, "page", string);
    let mut practices = Vec::new();
    for p in list(cx, of.take("practices"), "`practices`") {
        let extra = |cx: &mut Cx, f: &mut Fields| {
            let wp = work_products(cx, f);
            (
                wp,
                replaces(cx, f.take("replaces")),
                opt(cx, f, "page", string),
            )
        };
        let Some((c, (work_products, replaced, page))) = practice(cx, p, "a practice", extra)
        else {
            continue;
        };
        // A practice missing its title or statement keeps its id, so
        // that references to it do not add errors of their own.
        if let Some(id) = c.id {
            practices.push(Practice {
                id,
                title: c.title.unwrap_or_default(),
                statement: c.statement.unwrap_or_default(),
                notes: c.notes,
                work_products,
                subpractices: c.subpractices,
                question: c.question,
                replaces: replaced,
                page,
            });
        }
    }
    of.finish(cx, w);
    // Like a practice, an objective keeps its id whatever else is missing.
    Some(Objective {
        id: id?,
        title: title.unwrap_or_default(),
        statement: statement.unwrap_or_default(),
        notes,
        practices,
        replaces: replaced,
        page,
    })
}

/// `replaces: [OLD-ID, ...]`: the ids of an earlier version this element
/// takes the place of (a single id may stand alone).
fn replaces(cx: &mut Cx, n: Option<&Node>) -> Vec<Str> {
    match n {
        Some(
            one @ Node {
                value: Value::Str(_),
                ..
            },
        ) => s(cx, one, "`replaces`").into_iter().collect(),
        n => list(cx, n, "`replaces`")
            .iter()
            .filter_map(|i| s(cx, i, "`replaces`"))
            .collect(),
    }
}

fn work_products(cx: &mut Cx, f: &mut Fields) -> Vec<String> {
    list(cx, f.take("work_products"), "`work_products`")
        .iter()
        .filter_map(|i| text(cx, i, "`work_products`"))
        .collect()
}

/// What a practice and a generic practice both have.
struct PracticeFields {
    id: Option<Str>,
    title: Option<String>,
    statement: Option<Md>,
    notes: Option<Md>,
    subpractices: Vec<Subpractice>,
    question: Option<String>,
}

/// Reads a practice of either kind (`w` names it); `extra` reads the
/// fields only this kind has, which come after `notes`. The order of
/// reading is the order an unknown field's help lists the fields in.
fn practice<'n, E>(
    cx: &mut Cx,
    p: &'n Node,
    w: &str,
    extra: impl FnOnce(&mut Cx, &mut Fields<'n>) -> E,
) -> Option<(PracticeFields, E)> {
    let mut pf = Fields::of(cx, p, w)?;
    let id = req(cx, &mut pf, "id", w, s);
    let title = req(cx, &mut pf, "title", w, text);
    let statement = req(cx, &mut pf, "statement", w, md);
    let notes = opt(cx, &mut pf, "notes", md);
    let extra = extra(cx, &mut pf);
    let subpractices = subpractices(cx, pf.take("subpractices"));
    let question = opt(cx, &mut pf, "question", text);
    pf.finish(cx, w);
    let fields = PracticeFields {
        id,
        title,
        statement,
        notes,
        subpractices,
        question,
    };
    Some((fields, extra))
}

fn subpractices(cx: &mut Cx, n: Option<&Node>) -> Vec<Subpractice> {
    let mut out = Vec::new();
    for sp in list(cx, n, "`subpractices`") {
        // A bare string is a subpractice with a title only.
        if let Value::Str(_) = sp.value {
            if let Some(title) = md(cx, sp, "a subpractice") {
                out.push(Subpractice { title, notes: None });
            }
            continue;
        }
        let w = "a subpractice";
        let Some(mut f) = Fields::of(cx, sp, w) else {
            continue;
        };
        let title = req(cx, &mut f, "title", w, md);
        let notes = opt(cx, &mut f, "notes", md);
        f.finish(cx, w);
        if let Some(title) = title {
            out.push(Subpractice { title, notes });
        }
    }
    out
}

/// An area's text for each generic practice, by the practice's id.
fn elaborations(cx: &mut Cx, n: Option<&Node>) -> Vec<(Str, Md)> {
    let mut elaborations = Vec::new();
    let Some(e) = n else {
        return elaborations;
    };
    match &e.value {
        Value::Map(m) => {
            for (k, v) in m {
                if let Some(text) = md(cx, v, "an elaboration") {
                    elaborations.push((
                        Str {
                            text: k.name.clone(),
                            loc: cx.start(k.pos, k.span),
                        },
                        text,
                    ));
                }
            }
        }
        other => {
            cx.err(
                e.pos,
                format!(
                    "`elaborations` must map generic practice ids to text, found {}",
                    other.kind()
                ),
            );
        }
    }
    elaborations
}

pub(super) fn goal_file(file: &SourceFile, diags: &mut Vec<Diagnostic>) -> Option<GenericGoal> {
    let (yaml, body) = front_matter(file, diags)?;
    let cx = &mut yaml.cx(diags);
    let w = "a generic goal";
    let mut f = Fields::of(cx, &yaml.node, w)?;
    let id = req(cx, &mut f, "id", w, s);
    let title = req(cx, &mut f, "title", w, text);
    let statement = req(cx, &mut f, "statement", w, md);
    let mut practices = Vec::new();
    for p in list(cx, f.take("practices"), "`practices`") {
        let Some((c, ())) = practice(cx, p, "a generic practice", |_, _| ()) else {
            continue;
        };
        if let (Some(id), Some(title), Some(statement)) = (c.id, c.title, c.statement) {
            practices.push(GenericPractice {
                id,
                title,
                statement,
                notes: c.notes,
                subpractices: c.subpractices,
                question: c.question,
            });
        }
    }
    let source = f.take("source").and_then(|n| source_ref(cx, n));
    f.finish(cx, w);
    Some(GenericGoal {
        source,
        id: id?,
        title: title?,
        statement: statement?,
        practices,
        body,
    })
}

/// An element's place in its source: `{document, section, page}`.
pub(super) fn source_ref(cx: &mut Cx, n: &Node) -> Option<SourceRef> {
    let w = "`source`";
    let mut f = Fields::of(cx, n, w)?;
    let document = req(cx, &mut f, "document", w, s);
    let section = opt(cx, &mut f, "section", string);
    let page = opt(cx, &mut f, "page", string);
    f.finish(cx, w);
    Some(SourceRef {
        document: document?,
        section,
        page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/areas/X.md".into(), text)
    }

    #[test]
    fn reports_every_unknown_and_missing_field_of_a_file() {
        let f = file(
            "---\ncode: EF\nname: Enterprise Focus\ncategory: enterprise\npurpose: P\nobjectives:\n  - id: EF-1\n    title: T\n    statment: S\n    practices:\n      - id: EF-1.1\n        title: T\n        statement: S\n        colour: red\n---\nBody\n",
        );
        let mut d = Vec::new();
        let a = area_file(&f, &mut d).unwrap();
        let msgs: Vec<String> = d
            .iter()
            .map(|d| format!("{} {} {:?}", d.loc, d.message, d.help))
            .collect();
        // The misspelt `statment` is one mistake: reported as the unknown
        // field with its suggestion, not also as a missing `statement`.
        assert_eq!(msgs.len(), 2, "{msgs:#?}");
        assert!(
            !msgs.iter().any(|m| m.contains("missing field")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter().any(|m| m
                .starts_with("content/areas/X.md:9:5 unknown field `statment` in an objective")
                && m.contains("did you mean `statement`?")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("content/areas/X.md:14:9 unknown field `colour`")),
            "{msgs:#?}"
        );
        assert_eq!(a.introduction.loc.line, 16);
        // The objective stays, so that references to its id do not fail too.
        assert_eq!(a.objectives.len(), 1);
    }
}
