//! The catalog written one area group at a time: at scale it is the
//! largest file of a build (124 MB of JSON for a model a hundred times the
//! shipped one), and held whole as a JSON tree it took most of the build's
//! memory. The text is what [`super::to_bytes`] writes for the catalog's
//! content, and its UUID the one `ids::uuid` gives that content whole: the
//! UUID's hash is fed the same canonical text, a group at a time (a test
//! holds both).

use super::catalog::{category_areas, category_head, generic_group, level_controls, metadata};
use super::checks::Groups;
use super::ids::namespace;
use super::{canonical, pretty, profile};
use crate::resolve::Book;
use serde_json::Value;

/// A UUID as text: 8-4-4-4-12 hex digits.
const UUID_LEN: usize = 36;

/// The OSCAL files of a book as written, and what their checks found.
pub struct Files {
    pub files: Vec<(String, Vec<u8>)>,
    pub problems: Vec<String>,
}

/// The catalog and the profiles of a book, written and checked.
pub fn files(book: &Book, asked: &[usize]) -> Files {
    let m = &book.model;
    let meta = Value::Object(metadata(m));
    // What `ids::uuid("catalog", [model id, canonical(catalog)])` hashes:
    // the namespace, then the name, whose canonical catalog sorts `groups`
    // before `metadata`.
    let mut hash = sha1_smol::Sha1::new();
    hash.update(namespace().as_bytes());
    hash.update(format!("catalog\u{1f}{}\u{1f}", m.id.text).as_bytes());
    let mut checks = Groups::default();
    // The groups are written after the metadata, which comes after the
    // UUID, which needs every group: a placeholder of its length holds its
    // place, so that the text is written once, in order.
    let mut text = String::from("{\n  \"catalog\": {\n    \"uuid\": \"");
    let at = text.len();
    text.push_str(&"0".repeat(UUID_LEN));
    text.push_str("\",\n    \"metadata\": ");
    pretty(&meta, 2, &mut text);
    let mut any = false;
    let mut next = |hash: &mut sha1_smol::Sha1, text: &mut String| {
        hash.update(if any { b"," } else { b"{\"groups\":[" });
        text.push_str(if any {
            ",\n      "
        } else {
            ",\n    \"groups\": [\n      "
        });
        any = true;
    };
    for c in &m.categories {
        next(&mut hash, &mut text);
        category(m, c, asked, &mut checks, &mut hash, &mut text);
    }
    if let Some(g) = generic_group(book) {
        next(&mut hash, &mut text);
        checks.group(&g);
        hash.update(canonical(&g).as_bytes());
        pretty(&g, 3, &mut text);
    }
    if any {
        text.push_str("\n    ]");
    }
    text.push_str("\n  }\n}\n");
    hash.update(if any {
        b"],\"metadata\":"
    } else {
        b"{\"metadata\":"
    });
    hash.update(canonical(&meta).as_bytes());
    hash.update(b"}");
    let digest = hash.digest().bytes();
    let mut sha = [0u8; 16];
    sha.copy_from_slice(&digest[..16]);
    let id = uuid::Builder::from_sha1_bytes(sha).into_uuid().to_string();
    let (mut problems, controls) = checks.finish(&meta);
    text.replace_range(at..at + UUID_LEN, &id);
    let mut files = vec![(crate::urls::OSCAL_CATALOG.to_string(), text.into_bytes())];
    for (level, doc) in profile::profiles(m, &level_controls(m, asked)) {
        let path = crate::urls::oscal_profile(level);
        let found = super::checks::profile_against(&doc, &controls);
        problems.extend(found.into_iter().map(|p| format!("{path}: {p}")));
        files.push((path, super::to_bytes(&doc)));
    }
    Files { files, problems }
}

/// A category's group, its areas made, checked, hashed and written one at a
/// time: as [`pretty`] and [`canonical`] write the whole group, whose
/// `groups` key comes last when written and second when sorted (after
/// `class`).
fn category(
    m: &crate::model::Model,
    c: &crate::model::Category,
    asked: &[usize],
    checks: &mut Groups,
    hash: &mut sha1_smol::Sha1,
    text: &mut String,
) {
    let head = Value::Object(category_head(c));
    let mut areas = category_areas(m, c, asked).peekable();
    checks.group(&head);
    if areas.peek().is_none() {
        hash.update(canonical(&head).as_bytes());
        pretty(&head, 3, text);
        return;
    }
    let sorted = canonical(&head);
    let (class, rest) = sorted.split_at(CLASS.len());
    debug_assert_eq!(class, CLASS);
    hash.update(class.as_bytes());
    hash.update(b"\"groups\":[");
    let mut written = String::new();
    pretty(&head, 3, &mut written);
    // Its last line is the closing brace: the areas go before it.
    let close = written.rfind('\n').unwrap_or(written.len());
    text.push_str(&written[..close]);
    text.push_str(",\n        \"groups\": [\n");
    let mut first = true;
    for a in areas {
        checks.group(&a);
        if !first {
            hash.update(b",");
            text.push_str(",\n");
        }
        first = false;
        hash.update(canonical(&a).as_bytes());
        text.push_str("          ");
        pretty(&a, 5, text);
    }
    hash.update(b"],");
    hash.update(rest.as_bytes());
    text.push_str("\n        ]");
    text.push_str(&written[close..]);
}

/// How a category's head starts when its keys are sorted.
const CLASS: &str = "{\"class\":\"category\",";

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// What a catalog written by groups must be: the text `to_bytes` gives
    /// its own content, the UUID `ids::uuid` gives that content whole, and
    /// nothing the checks refuse; for books with and without notices,
    /// renames and generic goals.
    #[test]
    fn a_catalog_written_by_groups_is_the_catalog_made_whole() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        for book in [
            ".",
            "examples/rmm-opf",
            "tests/fixtures/full",
            "tests/fixtures/versions/v2",
        ] {
            let (b, diags) = crate::check(&root.join(book));
            let b = b.unwrap_or_else(|| panic!("{book}: {diags:?}"));
            let asked = crate::render::Site::new(&b).asked_goals().to_vec();
            let written = files(&b, &asked);
            assert!(
                written.problems.is_empty(),
                "{book}: {:?}",
                written.problems
            );
            let (path, bytes) = &written.files[0];
            assert_eq!(path, crate::urls::OSCAL_CATALOG);
            let doc: Value = serde_json::from_slice(bytes).unwrap();
            assert!(
                super::super::to_bytes(&doc) == *bytes,
                "{book}: not as to_bytes writes it"
            );
            assert!(super::super::checks::catalog(&doc).is_empty(), "{book}");
            let mut cat = doc["catalog"].clone();
            let id = cat.as_object_mut().unwrap().remove("uuid").unwrap();
            let whole = super::super::ids::uuid("catalog", &[&b.model.id.text, &canonical(&cat)]);
            assert_eq!(id, whole, "{book}: the UUID of the content whole");
            assert!(written.files.len() > 1, "{book}: no profile");
        }
    }
}
