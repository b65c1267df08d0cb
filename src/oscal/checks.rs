//! What OSCAL requires that its JSON Schemas cannot say, checked on the
//! documents refbook writes: every control has a `statement` part; ids are
//! tokens and unique across the catalog's groups, controls and parts
//! together; a group holds groups or controls, not both; every `#` link
//! resolves; no list is empty; a profile selects only controls the catalog
//! has. A build runs these on what it writes: a problem is refbook's error,
//! not the content's, and stops the build rather than publish a file that
//! OSCAL tools would refuse.

use super::ids::is_token;
use serde_json::Value;
use std::collections::HashSet;

/// The problems of a catalog (`{"catalog": ...}`), each a sentence naming
/// where it is.
pub fn catalog(doc: &Value) -> Vec<String> {
    let mut c = Checker::default();
    let Some(cat) = doc.get("catalog") else {
        return vec!["no `catalog`".into()];
    };
    c.empty_lists(cat, "catalog");
    for key in ["groups", "controls"] {
        for x in list(cat, key) {
            c.walk(x, key == "groups");
        }
    }
    for (href, at) in std::mem::take(&mut c.links) {
        if !c.ids.contains(&href) {
            c.problems
                .push(format!("{at}: the link `#{href}` leads to no id"));
        }
    }
    c.problems
}

/// The checks of [`catalog`] made one top-level group at a time, for a
/// catalog written that way (`super::stream`): only the ids, links and
/// control ids are kept between groups.
#[derive(Default)]
pub struct Groups {
    c: Checker,
    controls: HashSet<String>,
}

impl Groups {
    pub fn group(&mut self, g: &Value) {
        self.c.empty_lists(g, "catalog.groups");
        self.c.walk(g, true);
        collect_controls(g, &mut self.controls);
    }

    /// The problems found, once the metadata is checked too and every link
    /// is held against every id; and the catalog's control ids.
    pub fn finish(mut self, metadata: &Value) -> (Vec<String>, HashSet<String>) {
        self.c.empty_lists(metadata, "catalog.metadata");
        for (href, at) in std::mem::take(&mut self.c.links) {
            if !self.c.ids.contains(&href) {
                self.c
                    .problems
                    .push(format!("{at}: the link `#{href}` leads to no id"));
            }
        }
        (self.c.problems, self.controls)
    }
}

/// The problems of a profile against the catalog it imports.
pub fn profile(doc: &Value, catalog: &Value) -> Vec<String> {
    let mut controls = HashSet::new();
    collect_controls(
        catalog.get("catalog").unwrap_or(&Value::Null),
        &mut controls,
    );
    profile_against(doc, &controls)
}

/// The problems of a profile against the control ids of its catalog.
pub fn profile_against(doc: &Value, controls: &HashSet<String>) -> Vec<String> {
    let mut c = Checker::default();
    let mut problems = Vec::new();
    c.empty_lists(doc, "profile");
    problems.append(&mut c.problems);
    let imports = list(doc.get("profile").unwrap_or(&Value::Null), "imports");
    for sel in imports.iter().flat_map(|i| list(i, "include-controls")) {
        for id in list(sel, "with-ids") {
            let id = id.as_str().unwrap_or_default();
            if !controls.contains(id) {
                problems.push(format!(
                    "the profile selects `{id}`, which the catalog has no control for"
                ));
            }
        }
    }
    problems
}

fn collect_controls(v: &Value, out: &mut HashSet<String>) {
    for key in ["groups", "controls"] {
        for x in list(v, key) {
            if key == "controls" {
                out.insert(x["id"].as_str().unwrap_or_default().to_string());
            }
            collect_controls(x, out);
        }
    }
}

fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

#[derive(Default)]
struct Checker {
    ids: HashSet<String>,
    /// `#` links and where each is.
    links: Vec<(String, String)>,
    problems: Vec<String>,
}

impl Checker {
    /// A group (`group` true) or a control, and what it holds.
    fn walk(&mut self, v: &Value, group: bool) {
        let id = v.get("id").and_then(Value::as_str);
        let what = match (group, id) {
            (true, Some(id)) => format!("group `{id}`"),
            (true, None) => format!("the group titled {}", v["title"]),
            (false, id) => format!("control `{}`", id.unwrap_or_default()),
        };
        match id {
            Some(id) => self.id(id, &what),
            None if !group => self
                .problems
                .push(format!("{what}: a control without an id")),
            None => {}
        }
        for link in list(v, "links") {
            if let Some(href) = link["href"].as_str().and_then(|h| h.strip_prefix('#')) {
                self.links.push((href.to_string(), what.clone()));
            }
        }
        let parts = list(v, "parts");
        if group {
            if v.get("groups").is_some() && v.get("controls").is_some() {
                self.problems
                    .push(format!("{what} holds both groups and controls"));
            }
        } else if !withdrawn(v) && !parts.iter().any(|p| p["name"] == "statement") {
            self.problems.push(format!("{what} has no statement part"));
        }
        for p in parts {
            self.part(p, &what);
        }
        for x in list(v, "groups") {
            self.walk(x, true);
        }
        for x in list(v, "controls") {
            self.walk(x, false);
        }
    }

    fn part(&mut self, p: &Value, within: &str) {
        if let Some(id) = p.get("id").and_then(Value::as_str) {
            self.id(id, &format!("{within}, part `{id}`"));
        }
        let name = p["name"].as_str().unwrap_or_default();
        if !is_token(name) {
            self.problems
                .push(format!("{within}: the part name `{name}` is not a token"));
        }
        for sub in list(p, "parts") {
            self.part(sub, within);
        }
    }

    fn id(&mut self, id: &str, what: &str) {
        if !is_token(id) {
            self.problems
                .push(format!("{what}: the id is not an OSCAL token"));
        }
        if !self.ids.insert(id.to_string()) {
            self.problems
                .push(format!("{what}: the id `{id}` is used twice"));
        }
    }

    /// OSCAL lists hold at least one item.
    fn empty_lists(&mut self, v: &Value, at: &str) {
        // The path of keys down to a list is written out only for a list
        // found empty: the catalog at scale has millions of values.
        fn walk<'v>(v: &'v Value, path: &mut Vec<&'v str>, found: &mut Vec<Vec<&'v str>>) {
            match v {
                Value::Array(a) if a.is_empty() => found.push(path.clone()),
                Value::Array(a) => a.iter().for_each(|x| walk(x, path, found)),
                Value::Object(o) => o.iter().for_each(|(k, x)| {
                    path.push(k);
                    walk(x, path, found);
                    path.pop();
                }),
                _ => {}
            }
        }
        let mut found = Vec::new();
        walk(v, &mut Vec::new(), &mut found);
        for path in found {
            let mut where_ = at.to_string();
            for k in path {
                where_.push('.');
                where_.push_str(k);
            }
            self.problems.push(format!("{where_}: an empty list"));
        }
    }
}

/// A control withdrawn (`status: withdrawn`, as a renamed id's is): OSCAL
/// asks a statement only of the others.
fn withdrawn(v: &Value) -> bool {
    list(v, "props")
        .iter()
        .any(|p| p["name"] == "status" && p["value"] == "withdrawn")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ctl(id: &str) -> Value {
        json!({"id": id, "title": id, "parts": [{"name": "statement", "id": format!("{id}_smt"), "prose": "x"}]})
    }

    #[test]
    fn a_sound_catalog_passes() {
        let doc = json!({"catalog": {"uuid": "u", "groups": [
            {"id": "cat", "title": "C", "groups": [
                {"id": "EF", "title": "E", "links": [{"href": "#EF", "rel": "related"}], "controls": [ctl("EF-1")]}
            ]}
        ]}});
        assert_eq!(catalog(&doc), Vec::<String>::new());
    }

    #[test]
    fn a_broken_mapping_fails() {
        let mut no_statement = ctl("EF-2");
        no_statement["parts"][0]["name"] = json!("guidance");
        let doc = json!({"catalog": {"groups": [
            {"id": "EF", "title": "E", "links": [{"href": "#NOPE"}], "controls": [ctl("EF-1"), no_statement, ctl("EF-1")],
             "groups": []},
            {"id": "EF-1_smt", "title": "dup of a part id"},
            {"id": "EF:GG2.GP1", "title": "colon"},
        ]}});
        let p = catalog(&doc).join("\n");
        for want in [
            "control `EF-2` has no statement part",
            "the id `EF-1` is used twice",
            "the id `EF-1_smt` is used twice",
            "group `EF` holds both groups and controls",
            "`#NOPE` leads to no id",
            "group `EF:GG2.GP1`: the id is not an OSCAL token",
            "catalog.groups.groups: an empty list",
        ] {
            assert!(p.contains(want), "missing {want:?} in:\n{p}");
        }
    }

    #[test]
    fn a_profile_selects_only_what_the_catalog_has() {
        let cat = json!({"catalog": {"controls": [ctl("EF-1")]}});
        let prof = |id: &str| json!({"profile": {"imports": [{"href": "catalog.json", "include-controls": [{"with-ids": [id]}]}]}});
        assert!(profile(&prof("EF-1"), &cat).is_empty());
        assert_eq!(profile(&prof("EF-9"), &cat).len(), 1);
    }
}
