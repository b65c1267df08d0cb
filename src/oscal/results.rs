//! Survey answers as OSCAL assessment results: one `result` per answer file,
//! one `finding` per answered question of the areas in scope, targeting the
//! question's statement in the catalog (`EF-1.1_smt`, `EF.GG2.GP1_smt`);
//! satisfied iff the answer is performed, N/A as the implementation status
//! `not-applicable`; a note or evidence becomes an observation the finding
//! relates to. A self-assessment has no assessment plan, which OSCAL
//! requires: `import-ap` points at a back-matter resource that says so.
//!
//! `themes/default/static/oscal.js` computes the same in the browser; the
//! vectors of `tests/oscal/results.json` hold both to one rule. What it reads
//! is JSON (the survey data of `assets/survey-data.js` and answer files as
//! the format page gives them), so that both read the same thing.

use super::ids::{control_id, statement_id, uuid};
use super::{NS, OSCAL_VERSION, date_time};
use serde_json::{Map, Value, json};

/// What the assessment results are made of. `now` is the time of the
/// document, and the start of a result whose respondent gives no date.
pub struct Input<'a> {
    pub survey: &'a Value,
    pub files: &'a [Value],
    pub now: &'a str,
}

/// The assessment results of `input`.
pub fn assessment_results(input: &Input) -> Value {
    let s = input.survey;
    let model = text(&s["model"]);
    let plan = uuid("no-assessment-plan", &[model]);
    let results: Vec<Value> = input
        .files
        .iter()
        .enumerate()
        .map(|(i, f)| result(s, i, f, input.now))
        .collect();
    let mut parts = vec![model];
    parts.extend(results.iter().map(|r| text(&r["uuid"])));
    let title = match text(&s["title"]) {
        "" => "Self-assessment".to_string(),
        t => format!("{t}: self-assessment"),
    };
    let version = match s["model_version"].as_str().map(str::trim) {
        Some(v) if !v.is_empty() => v,
        _ => "unversioned",
    };
    json!({"assessment-results": {
        "uuid": uuid("assessment-results", &parts),
        "metadata": {
            "title": title,
            "last-modified": input.now,
            "version": version,
            "oscal-version": OSCAL_VERSION,
        },
        "import-ap": {
            "href": format!("#{plan}"),
            "remarks": "A self-assessment: the answers were given without an assessment plan.",
        },
        "results": results,
        "back-matter": {"resources": [{
            "uuid": plan,
            "title": "No assessment plan: self-assessment",
            "description": "The answers of a survey of practice, given by the respondent; no assessment plan was made.",
        }]},
    }})
}

/// A question of the survey, in model order, with its area.
struct Question<'s> {
    id: &'s str,
    title: &'s str,
    area: &'s str,
}

fn questions(s: &Value) -> Vec<Question<'_>> {
    let mut out = Vec::new();
    for a in list(&s["areas"]) {
        let area = text(&a["code"]);
        let practices = list(&a["objectives"])
            .iter()
            .flat_map(|o| list(&o["practices"]));
        let asked = list(&a["goals"]).iter().flat_map(|g| list(&g["questions"]));
        for q in practices.chain(asked) {
            out.push(Question {
                id: text(&q["id"]),
                title: text(&q["title"]),
                area,
            });
        }
    }
    out
}

fn result(s: &Value, index: usize, file: &Value, now: &str) -> Value {
    let idx = index.to_string();
    let respondent = &file["respondent"];
    let start = respondent["date"]
        .as_str()
        .and_then(date_time)
        .unwrap_or_else(|| now.to_string());
    let in_scope = |area: &str| match file["areas_in_scope"].as_array() {
        Some(list) => list.iter().any(|a| a.as_str() == Some(area)),
        None => true,
    };
    let asked: Vec<Question> = questions(s)
        .into_iter()
        .filter(|q| in_scope(q.area))
        .collect();
    let (mut findings, mut observations) = (Vec::new(), Vec::new());
    for q in &asked {
        let entry = &file["answers"][q.id];
        let Some(answer) = answer_text(&entry["value"]) else {
            continue;
        };
        let note = entry["note"].as_str().unwrap_or_default();
        let reason = entry["reason"].as_str().unwrap_or_default();
        let id = uuid(
            "finding",
            &[text(&s["model"]), &idx, q.id, &answer, note, reason],
        );
        let mut f = finding(s, q, &answer, reason);
        if let Some(o) = observation(&id, q, note, list(&entry["evidence"]), &start) {
            f.insert(
                "related-observations".into(),
                json!([{"observation-uuid": o["uuid"]}]),
            );
            observations.push(o);
        }
        f.insert("uuid".into(), json!(id));
        findings.push(Value::Object(f));
    }
    let mut parts = vec![text(&s["model"]), idx.as_str()];
    let details = respondent_lines(respondent);
    parts.push(&details);
    let ids: Vec<String> = findings
        .iter()
        .map(|f| text(&f["uuid"]).to_string())
        .collect();
    parts.extend(ids.iter().map(String::as_str));
    let selection = match asked.is_empty() {
        true => json!({"include-all": {}}),
        false => json!({"include-controls": asked.iter()
            .map(|q| json!({"control-id": control_id(q.id)})).collect::<Vec<_>>()}),
    };
    let mut r = Map::new();
    r.insert("uuid".into(), json!(uuid("result", &parts)));
    r.insert(
        "title".into(),
        json!(format!("Self-assessment {}", index + 1)),
    );
    let mut description = format!("{} answered questions.", findings.len());
    if !details.is_empty() {
        description = format!("{details}\n\n{description}");
    }
    r.insert("description".into(), json!(description));
    r.insert("start".into(), json!(start));
    r.insert(
        "reviewed-controls".into(),
        json!({"control-selections": [selection]}),
    );
    if !observations.is_empty() {
        r.insert("observations".into(), Value::Array(observations));
    }
    if !findings.is_empty() {
        r.insert("findings".into(), Value::Array(findings));
    }
    Value::Object(r)
}

/// The respondent's details as lines of Markdown text (`Organization: ...`).
fn respondent_lines(r: &Value) -> String {
    let mut lines = Vec::new();
    for (key, label) in [
        ("organization", "Organization"),
        ("scope", "Scope"),
        ("assessor", "Assessor"),
        ("date", "Date"),
    ] {
        if let Some(v) = r[key].as_str().map(str::trim).filter(|v| !v.is_empty()) {
            lines.push(format!("{label}: {v}"));
        }
    }
    lines.join("\n\n")
}

/// An answer as text: a number as JavaScript writes it (`2`, `2.5`), or
/// `na`; `None` for anything that is no answer.
fn answer_text(v: &Value) -> Option<String> {
    match v {
        Value::Number(n) => {
            let f = n.as_f64()?;
            Some(if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", f as i64)
            } else {
                format!("{f}")
            })
        }
        Value::String(s) if s == "na" => Some("na".into()),
        _ => None,
    }
}

fn finding(s: &Value, q: &Question, answer: &str, reason: &str) -> Map<String, Value> {
    let na = answer == "na";
    let performed = !na
        && answer
            .parse::<f64>()
            .is_ok_and(|v| v >= s["performed_at"].as_f64().unwrap_or(f64::MAX));
    let label = list(&s["scale"])
        .iter()
        .find(|p| answer_text(&p["value"]).as_deref() == Some(answer))
        .and_then(|p| p["label"].as_str())
        .unwrap_or_default();
    let description = match (na, label) {
        (true, _) => "Not applicable.".to_string(),
        (false, "") => format!("Answered {answer}."),
        (false, l) => format!("Answered {answer} ({l})."),
    };
    let mut target = Map::new();
    target.insert("type".into(), json!("statement-id"));
    target.insert("target-id".into(), json!(statement_id(q.id)));
    let state = if performed {
        "satisfied"
    } else {
        "not-satisfied"
    };
    target.insert("status".into(), json!({"state": state}));
    if na {
        let mut st = json!({"state": "not-applicable"});
        if !reason.trim().is_empty() {
            st["remarks"] = json!(reason.trim());
        }
        target.insert("implementation-status".into(), st);
    }
    let mut f = Map::new();
    f.insert(
        "title".into(),
        json!(format!("{} {}", q.id, q.title).trim().to_string()),
    );
    f.insert("description".into(), json!(description));
    f.insert(
        "props".into(),
        json!([{"name": "answer", "ns": NS, "value": answer}, {"name": "question", "ns": NS, "value": q.id}]),
    );
    f.insert("target".into(), Value::Object(target));
    f
}

/// The note and evidence of an answer, when it has either.
fn observation(
    finding: &str,
    q: &Question,
    note: &str,
    evidence: &[Value],
    at: &str,
) -> Option<Value> {
    let note = note.trim();
    let refs: Vec<Value> = evidence
        .iter()
        .filter_map(|e| {
            let href = e["href"].as_str()?.trim();
            let desc = e["description"]
                .as_str()
                .map(str::trim)
                .filter(|d| !d.is_empty());
            let mut r = json!({"description": desc.unwrap_or(href)});
            // A reference that is no URI (a document's name), or one into this
            // document, stays a description.
            if !href.is_empty() && !href.starts_with('#') && !href.contains([' ', '\t', '\n', '\r'])
            {
                r["href"] = json!(href);
            }
            Some(r)
        })
        .collect();
    if note.is_empty() && refs.is_empty() {
        return None;
    }
    let mut methods = vec!["INTERVIEW"];
    if !refs.is_empty() {
        methods.push("EXAMINE");
    }
    let description = match note {
        "" => format!("Evidence given for {}.", q.id),
        n => n.to_string(),
    };
    let mut o = json!({
        "uuid": uuid("observation", &[finding]),
        "description": description,
        "methods": methods,
        "collected": at,
    });
    if !refs.is_empty() {
        o["relevant-evidence"] = Value::Array(refs);
    }
    Some(o)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}
