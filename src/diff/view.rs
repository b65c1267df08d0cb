//! What two versions of a model are compared by: each element as its id,
//! kind, title, address and its texts by field name (Markdown source as
//! model.json gives it). A book folder and a model.json file both come to
//! this view through the same JSON (a book's is made in memory, as its
//! model.json would be written), so the two inputs cannot disagree.

use serde_json::Value;

/// An element of a model, comparable field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Element {
    pub id: String,
    /// `category`, `area`, `objective`, `practice`, `generic goal`, `generic practice`.
    pub kind: &'static str,
    pub title: String,
    /// Its address in the site, relative to the site's root (when known).
    pub url: Option<String>,
    /// Every text the element has, by field name, in a fixed order; a list
    /// is one text, a line per item. The parent (`area`, `objective`,
    /// `goal`) is a field: a move is a change.
    pub fields: Vec<(&'static str, String)>,
    /// The ids of earlier versions this element takes the place of.
    pub replaces: Vec<String>,
}

/// A model, as compared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View {
    pub id: String,
    pub version: String,
    pub title: String,
    /// In model order.
    pub elements: Vec<Element>,
}

/// The view of a model.json's content; `Err` says why it is none.
pub fn from_json(v: &Value) -> Result<View, String> {
    if v.get("format").and_then(Value::as_str) != Some("refbook-model") {
        return Err(
            "this is not a refbook model.json (its `format` is not `refbook-model`)".into(),
        );
    }
    let mut elements = Vec::new();
    for c in list(v, "categories") {
        let fields = vec![
            ("name", text(c, "name")),
            ("summary", text(c, "summary")),
            ("description", text(c, "description")),
        ];
        elements.push(element(c, "id", "category", "name", fields));
    }
    for a in list(v, "areas") {
        let code = text(a, "code");
        let related = lines(list(a, "related"), |r| {
            join_note(&text(r, "area"), &text(r, "note"))
        });
        let elaborations = a
            .get("elaborations")
            .and_then(Value::as_object)
            .map(|m| {
                m.iter()
                    .map(|(k, v)| join_note(k, v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_default();
        let fields = vec![
            ("name", text(a, "name")),
            ("category", text(a, "category")),
            ("group", text(a, "group")),
            ("status", text(a, "status")),
            ("purpose", text(a, "purpose")),
            ("introduction", text(a, "introduction")),
            ("related", related),
            ("elaborations", elaborations),
        ];
        elements.push(element(a, "code", "area", "name", fields));
        for o in list(a, "objectives") {
            let oid = text(o, "id");
            let fields = vec![
                ("area", code.clone()),
                ("title", text(o, "title")),
                ("statement", text(o, "statement")),
                ("notes", text(o, "notes")),
            ];
            elements.push(element(o, "id", "objective", "title", fields));
            for p in list(o, "practices") {
                let mut fields = vec![("objective", oid.clone())];
                fields.extend(practice_fields(p));
                elements.push(element(p, "id", "practice", "title", fields));
            }
        }
    }
    for g in list(v, "generic_goals") {
        let gid = text(g, "id");
        let fields = vec![
            ("title", text(g, "title")),
            ("statement", text(g, "statement")),
            ("body", text(g, "body")),
        ];
        elements.push(element(g, "id", "generic goal", "title", fields));
        for p in list(g, "practices") {
            let mut fields = vec![("goal", gid.clone())];
            fields.extend(practice_fields(p));
            elements.push(element(p, "id", "generic practice", "title", fields));
        }
    }
    Ok(View {
        id: text(v, "id"),
        version: text(v, "version"),
        title: text(v, "title"),
        elements,
    })
}

fn practice_fields(p: &Value) -> Vec<(&'static str, String)> {
    let subs = lines(list(p, "subpractices"), |s| {
        join_note(&text(s, "title"), &text(s, "notes"))
    });
    vec![
        ("title", text(p, "title")),
        ("statement", text(p, "statement")),
        ("notes", text(p, "notes")),
        ("question", text(p, "question")),
        ("work_products", lines(list(p, "work_products"), text_of)),
        ("subpractices", subs),
    ]
}

fn element(
    v: &Value,
    id: &str,
    kind: &'static str,
    title: &str,
    fields: Vec<(&'static str, String)>,
) -> Element {
    Element {
        id: text(v, id),
        kind,
        title: text(v, title),
        url: v.get("url").and_then(Value::as_str).map(str::to_string),
        fields,
        replaces: list(v, "replaces").iter().map(text_of).collect(),
    }
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
}

fn text_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn text(v: &Value, key: &str) -> String {
    v.get(key).map(text_of).unwrap_or_default()
}

fn lines(items: &[Value], f: impl Fn(&Value) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join("\n")
}

fn join_note(head: &str, note: &str) -> String {
    if note.is_empty() {
        head.to_string()
    } else {
        format!("{head}: {note}")
    }
}
