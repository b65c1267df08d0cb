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
use super::{canonical, canonical_into, pretty, profile};
use crate::resolve::Book;
use serde_json::Value;
use sha1::Digest;
use std::collections::HashSet;
use std::io::Write;

/// A UUID as text: 8-4-4-4-12 hex digits.
const UUID_LEN: usize = 36;

/// Text gathered before it goes to the file: enough that writes are few,
/// little enough that the catalog is never held whole.
const CHUNK: usize = 1 << 18;

/// What writing a catalog found.
pub struct Catalog {
    /// Where in the file its UUID goes (a placeholder of zeros holds the
    /// place until every group is written).
    pub uuid_at: u64,
    pub uuid: String,
    /// What the checks found, each a sentence naming where.
    pub problems: Vec<String>,
    /// The ids of its controls, for checking the profiles.
    pub controls: HashSet<String>,
}

/// The text written and the hash of the content, fed one group at a time.
struct Out<'w, W: Write> {
    text: Vec<u8>,
    out: &'w mut W,
    hash: sha1::Sha1,
    /// A group's canonical text, reused from group to group.
    sorted: Vec<u8>,
}

impl<W: Write> Out<'_, W> {
    /// Sends the text gathered so far to the file once there is enough.
    fn spill(&mut self) -> std::io::Result<()> {
        if self.text.len() >= CHUNK {
            self.out.write_all(&self.text)?;
            self.text.clear();
        }
        Ok(())
    }

    /// Hashes the canonical text of `v`.
    fn hash_value(&mut self, v: &Value) {
        self.sorted.clear();
        canonical_into(v, &mut self.sorted);
        self.hash.update(&self.sorted);
    }
}

/// Writes the catalog of a book to `out`, checking it on the way, with its
/// UUID left as a placeholder at [`Catalog::uuid_at`] for the caller to
/// fill in: the UUID hashes every group, and comes before them.
pub fn write_catalog<W: Write>(
    book: &Book,
    asked: &[usize],
    out: &mut W,
) -> std::io::Result<Catalog> {
    let m = &book.model;
    let meta = Value::Object(metadata(m));
    // What `ids::uuid("catalog", [model id, canonical(catalog)])` hashes:
    // the namespace, then the name, whose canonical catalog sorts `groups`
    // before `metadata`.
    let mut hash = sha1::Sha1::new();
    hash.update(namespace().as_bytes());
    hash.update(format!("catalog\u{1f}{}\u{1f}", m.id.text).as_bytes());
    let mut o = Out {
        text: Vec::with_capacity(CHUNK + (CHUNK >> 2)),
        out,
        hash,
        sorted: Vec::new(),
    };
    let mut checks = Groups::default();
    o.text
        .extend_from_slice(b"{\n  \"catalog\": {\n    \"uuid\": \"");
    let uuid_at = o.text.len() as u64;
    o.text.extend_from_slice(&[b'0'; UUID_LEN]);
    o.text.extend_from_slice(b"\",\n    \"metadata\": ");
    pretty(&meta, 2, &mut o.text);
    let mut any = false;
    let next = |o: &mut Out<W>, any: &mut bool| {
        let sep: &[u8] = if *any { b"," } else { b"{\"groups\":[" };
        o.hash.update(sep);
        o.text.extend_from_slice(if *any {
            b",\n      "
        } else {
            b",\n    \"groups\": [\n      "
        });
        *any = true;
    };
    for c in &m.categories {
        next(&mut o, &mut any);
        category(m, c, asked, &mut checks, &mut o)?;
    }
    if let Some(g) = generic_group(book) {
        next(&mut o, &mut any);
        checks.group(&g);
        o.hash_value(&g);
        pretty(&g, 3, &mut o.text);
    }
    if any {
        o.text.extend_from_slice(b"\n    ]");
    }
    o.text.extend_from_slice(b"\n  }\n}\n");
    o.out.write_all(&o.text)?;
    let mut hash = o.hash;
    let sep: &[u8] = if any {
        b"],\"metadata\":"
    } else {
        b"{\"metadata\":"
    };
    hash.update(sep);
    hash.update(canonical(&meta).as_bytes());
    hash.update(b"}");
    let digest = hash.finalize();
    let mut sha = [0u8; 16];
    sha.copy_from_slice(&digest[..16]);
    let uuid = uuid::Builder::from_sha1_bytes(sha).into_uuid().to_string();
    let (problems, controls) = checks.finish(&meta);
    Ok(Catalog {
        uuid_at,
        uuid,
        problems,
        controls,
    })
}

/// The profiles of a book (path and bytes), and their problems against the
/// catalog's controls.
pub fn profiles(book: &Book, asked: &[usize], controls: &HashSet<String>) -> super::Files {
    let m = &book.model;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for (level, doc) in profile::profiles(m, &level_controls(m, asked)) {
        let path = crate::urls::oscal_profile(level);
        let found = super::checks::profile_against(&doc, controls);
        problems.extend(found.into_iter().map(|p| format!("{path}: {p}")));
        files.push((path, super::to_bytes(&doc)));
    }
    super::Files { files, problems }
}

/// A category's group, its areas made, checked, hashed and written one at a
/// time: as [`pretty`] and [`canonical`] write the whole group, whose
/// `groups` key comes last when written and second when sorted (after
/// `class`).
fn category<W: Write>(
    m: &crate::model::Model,
    c: &crate::model::Category,
    asked: &[usize],
    checks: &mut Groups,
    o: &mut Out<W>,
) -> std::io::Result<()> {
    let head = Value::Object(category_head(c));
    let mut areas = category_areas(m, c, asked).peekable();
    checks.group(&head);
    if areas.peek().is_none() {
        o.hash_value(&head);
        pretty(&head, 3, &mut o.text);
        return Ok(());
    }
    let sorted = canonical(&head);
    let (class, rest) = sorted.split_at(CLASS.len());
    debug_assert_eq!(class, CLASS);
    o.hash.update(class.as_bytes());
    o.hash.update(b"\"groups\":[");
    let mut written = Vec::new();
    pretty(&head, 3, &mut written);
    // Its last line is the closing brace: the areas go before it.
    let close = written
        .iter()
        .rposition(|b| *b == b'\n')
        .unwrap_or(written.len());
    o.text.extend_from_slice(&written[..close]);
    o.text.extend_from_slice(b",\n        \"groups\": [\n");
    let mut first = true;
    for a in areas {
        checks.group(&a);
        if !first {
            o.hash.update(b",");
            o.text.extend_from_slice(b",\n");
        }
        first = false;
        o.hash_value(&a);
        o.text.extend_from_slice(b"          ");
        pretty(&a, 5, &mut o.text);
        o.spill()?;
    }
    o.hash.update(b"],");
    o.hash.update(rest.as_bytes());
    o.text.extend_from_slice(b"\n        ]");
    o.text.extend_from_slice(&written[close..]);
    Ok(())
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
            let mut bytes = Vec::new();
            let written = write_catalog(&b, &asked, &mut bytes).unwrap();
            assert!(
                written.problems.is_empty(),
                "{book}: {:?}",
                written.problems
            );
            let at = written.uuid_at as usize;
            assert_eq!(&bytes[at..at + UUID_LEN], &[b'0'; UUID_LEN], "{book}");
            bytes[at..at + UUID_LEN].copy_from_slice(written.uuid.as_bytes());
            let doc: Value = serde_json::from_slice(&bytes).unwrap();
            assert!(
                super::super::to_bytes(&doc) == bytes,
                "{book}: not as to_bytes writes it"
            );
            assert!(super::super::checks::catalog(&doc).is_empty(), "{book}");
            let mut cat = doc["catalog"].clone();
            let id = cat.as_object_mut().unwrap().remove("uuid").unwrap();
            let whole = super::super::ids::uuid("catalog", &[&b.model.id.text, &canonical(&cat)]);
            assert_eq!(id, whole, "{book}: the UUID of the content whole");
            let profiles = profiles(&b, &asked, &written.controls);
            assert!(
                profiles.problems.is_empty(),
                "{book}: {:?}",
                profiles.problems
            );
            assert!(!profiles.files.is_empty(), "{book}: no profile");
        }
    }
}
