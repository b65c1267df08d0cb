//! An area of model.json as typed data: written by the build (its texts `S`
//! borrowing the book's, `&str`) and read back by `diff` (owning a file's,
//! `String`, read straight from the file's bytes: a text with an escape
//! cannot be borrowed from them), so that a book and a model.json come to a
//! diff through the same fields.
//!
//! Fields are in alphabetical order: the files were written from sorted
//! JSON maps, and their bytes stay the same. Read, every field may be left
//! out (a model.json of an earlier version).

use crate::model::Subpractice;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, Deserialize, Default)]
#[serde(default, bound(deserialize = "S: Deserialize<'de> + Default + Ord"))]
pub(crate) struct AreaJson<S> {
    /// Only where the model sets the area aside (`false`).
    #[serde(skip_serializing_if = "is_true", default = "yes")]
    pub(crate) assessable: bool,
    pub(crate) category: S,
    pub(crate) code: S,
    pub(crate) elaborations: std::collections::BTreeMap<S, S>,
    pub(crate) group: Option<S>,
    pub(crate) introduction: S,
    pub(crate) name: S,
    pub(crate) objectives: Vec<ObjectiveJson<S>>,
    pub(crate) purpose: S,
    pub(crate) related: Vec<RelatedJson<S>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub(crate) replaces: Vec<S>,
    pub(crate) source: Option<Value>,
    pub(crate) status: Option<S>,
    pub(crate) url: Option<S>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default, bound(deserialize = "S: Deserialize<'de> + Default + Ord"))]
pub(crate) struct ObjectiveJson<S> {
    pub(crate) id: S,
    pub(crate) notes: Option<S>,
    /// The page of its area's source, where known (left out otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<S>,
    pub(crate) practices: Vec<PracticeJson<S>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub(crate) replaces: Vec<S>,
    pub(crate) statement: S,
    pub(crate) title: S,
    pub(crate) url: Option<S>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default, bound(deserialize = "S: Deserialize<'de> + Default + Ord"))]
pub(crate) struct PracticeJson<S> {
    pub(crate) id: S,
    pub(crate) notes: Option<S>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<S>,
    pub(crate) question: Option<S>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub(crate) replaces: Vec<S>,
    pub(crate) statement: S,
    pub(crate) subpractices: Vec<SubJson<S>>,
    pub(crate) title: S,
    pub(crate) url: Option<S>,
    pub(crate) work_products: Vec<S>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default, bound(deserialize = "S: Deserialize<'de> + Default + Ord"))]
pub(crate) struct SubJson<S> {
    pub(crate) notes: Option<S>,
    pub(crate) title: S,
}

impl SubJson<&str> {
    pub(crate) fn all(s: &[Subpractice]) -> Vec<SubJson<&str>> {
        s.iter()
            .map(|s| SubJson {
                notes: s.notes.as_ref().map(|m| m.src.as_str()),
                title: &s.title.src,
            })
            .collect()
    }
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default, bound(deserialize = "S: Deserialize<'de> + Default + Ord"))]
pub(crate) struct RelatedJson<S> {
    pub(crate) area: S,
    pub(crate) note: Option<S>,
}

pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}
