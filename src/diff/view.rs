//! What two versions of a model are compared by: each element as its id,
//! kind, title, address and its texts by field name (Markdown source as
//! model.json gives it). A book folder and a model.json file both come to
//! this view through the same typed areas of model.json
//! (`render::model_json`): a book's as its build would write them, a file's
//! as read back, so the two inputs cannot disagree. A book's view borrows
//! its texts (at S=100 a copy of the model's 71 MB of text took most of a
//! diff's time).

use crate::render::model_json::{AreaJson, PracticeJson};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;

/// An element of a model, comparable field by field.
#[derive(Debug, Clone, PartialEq)]
pub struct Element<'a> {
    pub id: Cow<'a, str>,
    /// `category`, `area`, `objective`, `practice`, `generic goal`, `generic practice`.
    pub kind: &'static str,
    pub title: Cow<'a, str>,
    /// Its address in the site, relative to the site's root (when known).
    pub url: Option<Cow<'a, str>>,
    /// Every text the element has, by field name, in a fixed order; a list
    /// is one text, a line per item. The parent (`area`, `objective`,
    /// `goal`) is a field: a move is a change.
    pub fields: Vec<(&'static str, Cow<'a, str>)>,
    /// The ids of earlier versions this element takes the place of.
    pub replaces: Vec<Cow<'a, str>>,
}

/// A model, as compared.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct View<'a> {
    pub id: String,
    pub version: String,
    pub title: String,
    /// In model order.
    pub elements: Vec<Element<'a>>,
}

impl Element<'_> {
    /// The same element, owning its texts.
    pub fn into_owned(self) -> Element<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        Element {
            id: own(self.id),
            kind: self.kind,
            title: own(self.title),
            url: self.url.map(own),
            fields: self.fields.into_iter().map(|(k, v)| (k, own(v))).collect(),
            replaces: self.replaces.into_iter().map(own).collect(),
        }
    }
}

impl View<'_> {
    /// The same view, owning its texts (to be kept past what it was read from).
    pub fn into_owned(self) -> View<'static> {
        View {
            id: self.id,
            version: self.version,
            title: self.title,
            elements: self.elements.into_iter().map(Element::into_owned).collect(),
        }
    }
}

/// Why a model.json's bytes give no view.
#[derive(Debug)]
pub enum ReadError {
    /// Not JSON (`classify` is not `Data`), or JSON with a value where a
    /// model.json has another kind: at its line and column.
    Json(serde_json::Error),
    /// JSON, but its `format` is not `refbook-model`.
    NotRefbook,
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            ReadError::Json(e) => e.fmt(f),
            ReadError::NotRefbook => f.write_str(
                "this is not a refbook model.json (its `format` is not `refbook-model`)",
            ),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Json(e) => Some(e),
            ReadError::NotRefbook => None,
        }
    }
}

/// The view of a model.json file's bytes, read an area at a time: never
/// the whole file as one JSON value (at S=100 a 71 MB model.json made a
/// value of about 200 MB, held beside the book).
pub fn from_slice(bytes: &[u8]) -> Result<View<'static>, ReadError> {
    serde_json::from_slice::<Read>(bytes)
        .map_err(ReadError::Json)?
        .view()
}

/// A model.json as read: everything but its areas as it is, each area's
/// elements as they were read.
struct Read {
    head: Value,
    areas: Vec<Vec<Element<'static>>>,
}

impl Read {
    fn view(self) -> Result<View<'static>, ReadError> {
        if self.head.get("format").and_then(Value::as_str) != Some("refbook-model") {
            return Err(ReadError::NotRefbook);
        }
        Ok(assemble(&self.head, self.areas.into_iter()))
    }
}

impl<'de> Deserialize<'de> for Read {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Read, D::Error> {
        use serde::de::{Error, MapAccess, SeqAccess, Visitor};
        struct Model;
        struct Areas;
        impl<'de> Visitor<'de> for Model {
            type Value = Read;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a model.json object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<Read, M::Error> {
                let mut head = serde_json::Map::new();
                let mut areas = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "areas" => areas = map.next_value_seed(Areas)?,
                        _ => drop(head.insert(key, map.next_value()?)),
                    }
                }
                Ok(Read {
                    head: Value::Object(head),
                    areas,
                })
            }
        }
        impl<'de> serde::de::DeserializeSeed<'de> for Areas {
            type Value = Vec<Vec<Element<'static>>>;
            fn deserialize<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
        }
        impl<'de> Visitor<'de> for Areas {
            type Value = Vec<Vec<Element<'static>>>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a list of areas")
            }
            fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                Ok(Vec::new())
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut seq: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::new();
                // One area at a time, read as typed from the bytes, its
                // texts kept as elements.
                while let Some(area) = seq.next_element::<AreaJson<String>>()? {
                    out.push(area_elements(area));
                }
                Ok(out)
            }
        }
        d.deserialize_map(Model)
    }
}

/// The view of a resolved book, as its model.json would give it.
pub fn from_book(book: &crate::resolve::Book) -> View<'_> {
    use rayon::prelude::*;
    let site = crate::render::Site::new(book);
    // On both cores: serve makes this again after each edit it puts in place.
    let areas: Vec<_> = (0..book.model.areas.len())
        .into_par_iter()
        .map(|a| area_elements(site.area_json(a)))
        .collect();
    assemble(&site.model_json_head(), areas.into_iter())
}

/// A view from model.json's head (everything but its areas) and the
/// elements of each area, in model order. What the head gives (categories,
/// generic goals: few) is owned, so that a book's view, whose head is made
/// for it, borrows only the book.
fn assemble<'a>(v: &Value, areas: impl Iterator<Item = Vec<Element<'a>>>) -> View<'a> {
    let mut elements = Vec::new();
    for c in list(v, "categories") {
        let fields = vec![
            ("name", text(c, "name")),
            ("summary", text(c, "summary")),
            ("description", text(c, "description")),
        ];
        elements.push(element(c, "id", "category", "name", fields).into_owned());
    }
    for area in areas {
        elements.extend(area);
    }
    for g in list(v, "generic_goals") {
        let gid = text(g, "id");
        let fields = vec![
            ("title", text(g, "title")),
            ("statement", text(g, "statement")),
            ("body", text(g, "body")),
        ];
        elements.push(element(g, "id", "generic goal", "title", fields).into_owned());
        for p in list(g, "practices") {
            let mut fields = vec![("goal", gid.clone())];
            fields.extend([
                ("title", text(p, "title")),
                ("statement", text(p, "statement")),
                ("notes", text(p, "notes")),
                ("question", text(p, "question")),
                ("work_products", lines(list(p, "work_products"), text_of)),
                (
                    "subpractices",
                    lines(list(p, "subpractices"), |s| {
                        join_note(&text(s, "title"), &text(s, "notes")).into()
                    }),
                ),
            ]);
            elements.push(element(p, "id", "generic practice", "title", fields).into_owned());
        }
    }
    View {
        id: text(v, "id").into_owned(),
        version: text(v, "version").into_owned(),
        title: text(v, "title").into_owned(),
        elements,
    }
}

/// A text of an area of model.json as an element's: a book's `&str`
/// borrowed, a file's `String` moved.
fn cow<'a>(s: impl Into<Cow<'a, str>>) -> Cow<'a, str> {
    s.into()
}

fn opt<'a, S: Into<Cow<'a, str>>>(s: Option<S>) -> Cow<'a, str> {
    s.map(cow).unwrap_or_default()
}

fn note<S: AsRef<str>>(s: &Option<S>) -> &str {
    s.as_ref().map(AsRef::as_ref).unwrap_or_default()
}

/// An area's element and those of its objectives and practices, taking the
/// area's texts (only ids and titles named twice are copied).
fn area_elements<'a, S>(a: AreaJson<S>) -> Vec<Element<'a>>
where
    S: Into<Cow<'a, str>> + AsRef<str>,
{
    let related = a
        .related
        .iter()
        .map(|r| join_note(r.area.as_ref(), note(&r.note)))
        .collect::<Vec<_>>()
        .join("\n");
    let elaborations = a
        .elaborations
        .iter()
        .map(|(k, v)| join_note(k.as_ref(), v.as_ref()))
        .collect::<Vec<_>>()
        .join("\n");
    let (code, name) = (cow(a.code), cow(a.name));
    let mut out = vec![Element {
        id: code.clone(),
        kind: "area",
        title: name.clone(),
        url: a.url.map(cow),
        fields: vec![
            ("name", name),
            ("category", cow(a.category)),
            ("group", opt(a.group)),
            ("status", opt(a.status)),
            ("purpose", cow(a.purpose)),
            ("introduction", cow(a.introduction)),
            ("related", related.into()),
            ("elaborations", elaborations.into()),
        ],
        replaces: a.replaces.into_iter().map(cow).collect(),
    }];
    for o in a.objectives {
        let (id, title) = (cow(o.id), cow(o.title));
        out.push(Element {
            id: id.clone(),
            kind: "objective",
            title: title.clone(),
            url: o.url.map(cow),
            fields: vec![
                ("area", code.clone()),
                ("title", title),
                ("statement", cow(o.statement)),
                ("notes", opt(o.notes)),
            ],
            replaces: o.replaces.into_iter().map(cow).collect(),
        });
        for p in o.practices {
            out.push(practice_element(id.clone(), p));
        }
    }
    out
}

fn practice_element<'a, S>(objective: Cow<'a, str>, p: PracticeJson<S>) -> Element<'a>
where
    S: Into<Cow<'a, str>> + AsRef<str>,
{
    let subs = p
        .subpractices
        .iter()
        .map(|s| join_note(s.title.as_ref(), note(&s.notes)))
        .collect::<Vec<_>>()
        .join("\n");
    let work_products = p
        .work_products
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<&str>>()
        .join("\n");
    let title = cow(p.title);
    Element {
        id: cow(p.id),
        kind: "practice",
        title: title.clone(),
        url: p.url.map(cow),
        fields: vec![
            ("objective", objective),
            ("title", title),
            ("statement", cow(p.statement)),
            ("notes", opt(p.notes)),
            ("question", opt(p.question)),
            ("work_products", work_products.into()),
            ("subpractices", subs.into()),
        ],
        replaces: p.replaces.into_iter().map(cow).collect(),
    }
}

fn element<'v>(
    v: &'v Value,
    id: &str,
    kind: &'static str,
    title: &str,
    fields: Vec<(&'static str, Cow<'v, str>)>,
) -> Element<'v> {
    Element {
        id: text(v, id),
        kind,
        title: text(v, title),
        url: v.get("url").and_then(Value::as_str).map(Cow::Borrowed),
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

fn text_of(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        other => Cow::Owned(other.to_string()),
    }
}

fn text<'v>(v: &'v Value, key: &str) -> Cow<'v, str> {
    v.get(key).map(text_of).unwrap_or_default()
}

fn lines<'v>(items: &'v [Value], f: impl Fn(&'v Value) -> Cow<'v, str>) -> Cow<'v, str> {
    Cow::Owned(items.iter().map(f).collect::<Vec<_>>().join("\n"))
}

fn join_note(head: &str, note: &str) -> String {
    if note.is_empty() {
        head.to_string()
    } else {
        format!("{head}: {note}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// A book's view, made from its typed areas, is the view of the
    /// model.json its build writes: every book the repository has, with
    /// areas set aside, groups, statuses, elaborations, related areas,
    /// subpractices and earlier ids.
    #[test]
    fn a_books_view_is_the_view_of_its_model_json() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let books = [
            ".",
            "examples/rmm-opf",
            "tests/fixtures/full",
            "tests/fixtures/versions/v1",
            "tests/fixtures/versions/v2",
        ];
        for dir in books {
            let (book, diags) = crate::check(&root.join(dir));
            let book = book.unwrap_or_else(|| panic!("{dir}: {diags:?}"));
            let mut json = Vec::new();
            crate::render::Site::new(&book)
                .write_model_json(&mut json)
                .unwrap();
            let read = from_slice(&json).unwrap();
            let made = from_book(&book);
            assert!(made.elements.len() > 10, "{dir}");
            assert_eq!(made.id, read.id, "{dir}");
            assert_eq!(made.elements.len(), read.elements.len(), "{dir}");
            for (m, r) in made.elements.iter().zip(&read.elements) {
                assert_eq!(m, r, "{dir}");
            }
            assert_eq!(made, read, "{dir}");
        }
    }

    /// A model.json of an earlier version may leave fields out; one that
    /// has no `areas` list is read as having no areas.
    #[test]
    fn fields_left_out_of_a_model_json_read_as_empty() {
        let v = br#"{"format": "refbook-model", "id": "m",
            "areas": [{"code": "A", "objectives": [{"id": "A-1", "practices": [{"id": "A-1.1"}]}]}]}"#;
        let view = from_slice(v).unwrap();
        let ids: Vec<_> = view.elements.iter().map(|e| e.id.as_ref()).collect();
        assert_eq!(ids, ["A", "A-1", "A-1.1"]);
        assert!(
            view.elements[2]
                .fields
                .iter()
                .all(|(_, t)| t.is_empty() || *t == "A-1")
        );
        let none = from_slice(br#"{"format": "refbook-model"}"#).unwrap();
        assert!(none.elements.is_empty());
        // A value of an area that cannot be read is told where it stands;
        // a file cut short inside an area is no JSON, not another model.json.
        let Err(ReadError::Json(e)) =
            from_slice(b"{\"areas\": [\n{\"code\": \"A\"},\n{\"code\": 3}]}")
        else {
            panic!("a value that cannot be read is a JSON error");
        };
        assert_eq!(
            (e.line(), e.column(), e.classify()),
            (3, 10, serde_json::error::Category::Data)
        );
        assert!(e.to_string().contains("expected a string"), "{e}");
        let cut = from_slice(b"{\"areas\": [{\"code\": \"A\", \"objectives\": [");
        assert!(
            matches!(&cut, Err(ReadError::Json(e)) if e.classify() == serde_json::error::Category::Eof),
            "{cut:?}"
        );
        let other = from_slice(br#"{"areas": [], "format": "other"}"#).unwrap_err();
        assert!(matches!(other, ReadError::NotRefbook), "{other:?}");
        assert!(
            other.to_string().contains("not a refbook model.json"),
            "{other}"
        );
    }
}
