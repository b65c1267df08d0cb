//! OSCAL identifiers: control and part ids made from refbook's, and
//! deterministic UUIDs.
//!
//! OSCAL ids are tokens (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`): refbook's
//! `EF-1.1` and `GG2.GP1` are, but a generic practice as asked for an area,
//! `EF:GG2.GP1`, is not (the colon), so it becomes `EF.GG2.GP1` and keeps its
//! own id as an `alt-identifier` property.

use uuid::Uuid;

/// Whether `s` is an OSCAL token.
pub fn is_token(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphabetic() || c.is_numeric() || matches!(c, '.' | '-' | '_'))
}

/// The OSCAL id of an element or question id: what is not allowed in a token
/// becomes `.`, and an id that does not start with a letter gets a `_`.
/// Different ids may meet in one; [`super::checks`] finds that.
pub fn control_id(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_alphabetic() || c.is_numeric() || matches!(c, '-' | '_') {
                c
            } else {
                '.'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The id of an element's statement part (NIST's convention: `ac-1_smt`),
/// which assessment findings target.
pub fn statement_id(id: &str) -> String {
    format!("{}_smt", control_id(id))
}

/// The id of an element's guidance part.
pub fn guidance_id(id: &str) -> String {
    format!("{}_gdn", control_id(id))
}

/// The namespace of refbook's UUIDs: the version 5 UUID of [`super::NS`] in
/// the URL namespace.
pub fn namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, super::NS.as_bytes())
}

/// The UUID of what `parts` name, as a `kind` of thing: version 5 in
/// [`namespace`], of the parts joined by U+001F (which no id or text of a
/// name is expected to hold, so that two lists cannot run into one name).
pub fn uuid(kind: &str, parts: &[&str]) -> String {
    let mut name = String::from(kind);
    for p in parts {
        name.push('\u{1f}');
        name.push_str(p);
    }
    Uuid::new_v5(&namespace(), name.as_bytes()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_oscal_defines_them() {
        for ok in ["EF", "EF-1.1", "GG2.GP1", "EF.GG2.GP1", "_x", "Übung-1"] {
            assert!(is_token(ok), "{ok}");
        }
        for bad in ["EF:GG2.GP1", "1-A", "", "a b", "-x"] {
            assert!(!is_token(bad), "{bad}");
        }
    }

    #[test]
    fn ids_become_tokens() {
        assert_eq!(control_id("EF:GG2.GP1"), "EF.GG2.GP1");
        assert_eq!(control_id("1-A"), "_1-A");
        assert_eq!(statement_id("EF-1.1"), "EF-1.1_smt");
        assert!(is_token(&control_id("a b/c")));
    }

    #[test]
    fn uuids_are_version_5_and_stable() {
        let a = uuid("finding", &["cert-ref", "EF-1.1"]);
        assert_eq!(a, uuid("finding", &["cert-ref", "EF-1.1"]));
        assert_ne!(a, uuid("finding", &["cert-ref", "EF-1.2"]));
        assert_ne!(uuid("x", &["ab", "c"]), uuid("x", &["a", "bc"]));
        assert_eq!(a.as_bytes()[14], b'5');
        // The namespace is pinned: scripts and other tools make the same.
        assert_eq!(namespace().to_string(), NAMESPACE);
    }

    const NAMESPACE: &str = "04fdae5d-fe31-572a-8154-1f5b3ff02af4";
}
