//! The model and survey answers as OSCAL (NIST's Open Security Controls
//! Assessment Language, JSON, version [`OSCAL_VERSION`]), for governance
//! tools that read it: the catalog of the book ([`catalog`]), one profile per
//! capability level ([`profile`]), and assessment results of answer files
//! ([`results`], which `themes/default/static/oscal.js` also computes in the
//! browser: the golden vectors in `tests/oscal/` hold the two together).
//!
//! Everything here is made from the in-memory model, like every other output,
//! and is deterministic: UUIDs are version 5 (name-based) UUIDs of what they
//! name, times come from the model or the answers, so the same content gives
//! the same bytes. [`checks`] tests what the OSCAL JSON Schemas cannot
//! express; a build runs it on what it writes.

pub mod catalog;
pub mod checks;
pub mod ids;
pub mod profile;
pub mod results;
pub mod stream;

use serde_json::Value;

/// Files as written (path and bytes), and what their checks found.
pub struct Files {
    pub files: Vec<(String, Vec<u8>)>,
    pub problems: Vec<String>,
}

/// The OSCAL version written (the schemas in `tests/oscal/schema/` are of it).
pub const OSCAL_VERSION: &str = "1.0.4";

/// refbook's namespace for parts and properties OSCAL does not define
/// (subpractices, work products, questions, answers).
pub const NS: &str = "urn:refbook:oscal";

/// The order keys are written in, for a reader: what a thing is before what
/// it holds (OSCAL gives no order; others follow, alphabetically).
const KEY_ORDER: [&str; 30] = [
    "uuid",
    "id",
    "name",
    "ns",
    "class",
    "type",
    "target-id",
    "title",
    "description",
    "start",
    "last-modified",
    "version",
    "oscal-version",
    "metadata",
    "import-ap",
    "href",
    "value",
    "state",
    "props",
    "links",
    "target",
    "status",
    "parts",
    "prose",
    "methods",
    "collected",
    "groups",
    "controls",
    "imports",
    "results",
];

/// JSON as written: two-space indents, keys in [`KEY_ORDER`], a final line
/// break.
pub fn to_bytes(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    pretty(v, 0, &mut out);
    out.push(b'\n');
    out
}

/// A key or scalar as compact JSON, written straight into `out`: the
/// catalog at scale has millions of them, and `Value::to_string` would
/// allocate a string for each.
fn scalar<T: serde::Serialize + ?Sized>(v: &T, out: &mut Vec<u8>) {
    // Writing to a Vec cannot fail, nor can serialising a JSON value.
    let _ = serde_json::to_writer(out, v);
}

fn rank(k: &str) -> usize {
    KEY_ORDER
        .iter()
        .position(|o| *o == k)
        .unwrap_or(KEY_ORDER.len())
}
/// `v` as written at `depth` (its first line not indented: the caller
/// indents it).
pub(super) fn pretty(v: &Value, depth: usize, out: &mut Vec<u8>) {
    let pad = |out: &mut Vec<u8>, d: usize| {
        for _ in 0..d {
            out.extend_from_slice(b"  ");
        }
    };
    match v {
        Value::Object(m) if !m.is_empty() => {
            // Each key ranked once, not at each comparison of the sort.
            let mut keys: Vec<(usize, &String)> = m.keys().map(|k| (rank(k), k)).collect();
            keys.sort_unstable();
            let keys: Vec<&String> = keys.into_iter().map(|(_, k)| k).collect();
            out.extend_from_slice(b"{\n");
            for (i, k) in keys.iter().enumerate() {
                pad(out, depth + 1);
                scalar(*k, out);
                out.extend_from_slice(b": ");
                pretty(&m[*k], depth + 1, out);
                out.extend_from_slice(if i + 1 < keys.len() { b",\n" } else { b"\n" });
            }
            pad(out, depth);
            out.push(b'}');
        }
        Value::Array(a) if !a.is_empty() => {
            out.extend_from_slice(b"[\n");
            for (i, x) in a.iter().enumerate() {
                pad(out, depth + 1);
                pretty(x, depth + 1, out);
                out.extend_from_slice(if i + 1 < a.len() { b",\n" } else { b"\n" });
            }
            pad(out, depth);
            out.push(b']');
        }
        other => scalar(other, out),
    }
}

/// Text with its object keys sorted at every depth, whatever order the map
/// keeps them in: what a document's UUID is made from, so that it does not
/// depend on how serde_json was built.
pub fn canonical(v: &Value) -> String {
    let mut out = Vec::new();
    canonical_into(v, &mut out);
    // serde_json writes only UTF-8, and so does everything else here.
    String::from_utf8(out).unwrap_or_default()
}

/// [`canonical`], appended to `out`.
pub(super) fn canonical_into(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                scalar(k, out);
                out.push(b':');
                canonical_into(&m[k], out);
            }
            out.push(b'}');
        }
        Value::Array(a) => {
            out.push(b'[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                canonical_into(x, out);
            }
            out.push(b']');
        }
        other => scalar(other, out),
    }
}

/// Markdown for OSCAL prose (which is Markdown): `[[ID]]` links become the
/// id they name (`[[ID|text]]` its text), since a reader of the catalog has
/// no site to follow them to.
pub fn prose(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    let mut rest = src;
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else {
            break;
        };
        out.push_str(&rest[..start]);
        let inner = &rest[start + 2..start + 2 + len];
        // `[[EF|Enterprise Focus]]` reads as its text.
        out.push_str(inner.split_once('|').map_or(inner, |(_, text)| text));
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// A document's last change: the model's version when it is a year or a
/// date, else the start of 1970 (a build does not read the clock: the same
/// content gives the same bytes).
pub fn last_modified(m: &crate::model::Model) -> String {
    date_time(&m.version).unwrap_or_else(|| "1970-01-01T00:00:00Z".into())
}

/// The model's version, which OSCAL requires.
pub fn version(m: &crate::model::Model) -> String {
    match m.version.trim() {
        "" => "unversioned".into(),
        v => v.into(),
    }
}

/// A time of the OSCAL date-time type from a date (`2024-05-01`) or a year
/// (`2007`) that starts `text`; `None` for anything else.
pub fn date_time(text: &str) -> Option<String> {
    let t = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (y, m, d) = match t.get(..10) {
        Some(day)
            if day.as_bytes().get(4) == Some(&b'-') && day.as_bytes().get(7) == Some(&b'-') =>
        {
            (&day[..4], &day[5..7], &day[8..10])
        }
        _ if t.len() == 4 => (t, "01", "01"),
        _ => return None,
    };
    if !(digits(y) && digits(m) && digits(d)) {
        return None;
    }
    let (yn, mn, dn): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = yn % 4 == 0 && (yn % 100 != 0 || yn % 400 == 0);
    let days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    if !(1900..3000).contains(&yn)
        || !(1..=12).contains(&mn)
        || dn == 0
        || dn > days[mn as usize - 1]
    {
        return None;
    }
    Some(format!("{y}-{m}-{d}T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_keeps_the_ids_of_links() {
        assert_eq!(
            prose(" See [[EF]] and [[EF:GG2.GP1]]. "),
            "See EF and EF:GG2.GP1."
        );
        assert_eq!(prose("a [[b"), "a [[b");
        assert_eq!(
            prose("the [[EF|Enterprise Focus]] area"),
            "the Enterprise Focus area"
        );
    }

    #[test]
    fn dates_from_years_and_days_only() {
        assert_eq!(date_time("2007").as_deref(), Some("2007-01-01T00:00:00Z"));
        assert_eq!(
            date_time("2024-02-29").as_deref(),
            Some("2024-02-29T00:00:00Z")
        );
        assert_eq!(date_time("2023-02-29"), None);
        assert_eq!(date_time("v1.2"), None);
        assert_eq!(date_time("1.2.3"), None);
    }

    #[test]
    fn written_with_what_a_thing_is_first() {
        let v = serde_json::json!({"parts": [{"prose": "p", "name": "n"}], "title": "T", "id": "X", "e": {}, "a": []});
        let text = String::from_utf8(to_bytes(&v)).unwrap();
        assert_eq!(
            text,
            "{\n  \"id\": \"X\",\n  \"title\": \"T\",\n  \"parts\": [\n    {\n      \"name\": \"n\",\n      \"prose\": \"p\"\n    }\n  ],\n  \"a\": [],\n  \"e\": {}\n}\n"
        );
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn canonical_text_sorts_keys() {
        let v = serde_json::json!({"b": [1, {"d": 1, "c": "x"}], "a": null});
        assert_eq!(canonical(&v), r#"{"a":null,"b":[1,{"c":"x","d":1}]}"#);
    }
}
