//! One OSCAL profile per capability level: the catalog's controls an area
//! performs to reach the level (its objectives with their practices for the
//! goal the objectives decide, the generic practices asked for the area for
//! the others), as a baseline other tools can select by.

use super::catalog::LevelControls;
use super::ids::uuid;
use super::{OSCAL_VERSION, canonical, last_modified, version};
use crate::model::Model;
use crate::urls::OSCAL_CATALOG_FROM_PROFILE;
use serde_json::{Value, json};

/// `(level, profile)` for every level that requires a control (level 0,
/// which requires nothing, has none: a profile selects at least one).
pub fn profiles(m: &Model, levels: &[LevelControls]) -> Vec<(i64, Value)> {
    levels
        .iter()
        .filter(|l| !l.ids.is_empty())
        .map(|l| (l.level, profile(m, l)))
        .collect()
}

fn profile(m: &Model, l: &LevelControls) -> Value {
    let title = match l.name.trim() {
        "" => format!("{}: capability level {}", m.title, l.level),
        name => format!("{}: capability level {} ({name})", m.title, l.level),
    };
    let mut p = json!({
        "metadata": {
            "title": title,
            "last-modified": last_modified(m),
            "version": version(m),
            "oscal-version": OSCAL_VERSION,
        },
        "imports": [{
            "href": OSCAL_CATALOG_FROM_PROFILE,
            "include-controls": [{"with-child-controls": "yes", "with-ids": l.ids}],
        }],
    });
    let id = uuid("profile", &[&m.id.text, &canonical(&p)]);
    p["uuid"] = json!(id);
    json!({ "profile": p })
}
