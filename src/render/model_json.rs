//! An area of model.json as typed data: written by the build (borrowing the
//! book's texts) and read back by `diff` (borrowing a parsed file's), so that
//! a book and a model.json come to a diff through the same fields.
//!
//! Fields are in alphabetical order: the files were written from sorted
//! JSON maps, and their bytes stay the same. Read, every field may be left
//! out (a model.json of an earlier version).

use crate::model::Subpractice;
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct AreaJson<'a> {
    /// Only where the model sets the area aside (`false`).
    #[serde(skip_serializing_if = "is_true", default = "yes")]
    pub(crate) assessable: bool,
    pub(crate) category: &'a str,
    pub(crate) code: &'a str,
    #[serde(borrow)]
    pub(crate) elaborations: std::collections::BTreeMap<&'a str, &'a str>,
    pub(crate) group: Option<&'a str>,
    pub(crate) introduction: &'a str,
    pub(crate) name: &'a str,
    #[serde(borrow)]
    pub(crate) objectives: Vec<ObjectiveJson<'a>>,
    pub(crate) purpose: &'a str,
    #[serde(borrow)]
    pub(crate) related: Vec<RelatedJson<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty", borrow)]
    pub(crate) replaces: Vec<&'a str>,
    pub(crate) source: Option<Value>,
    pub(crate) status: Option<&'a str>,
    pub(crate) url: Option<&'a str>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct ObjectiveJson<'a> {
    pub(crate) id: &'a str,
    pub(crate) notes: Option<&'a str>,
    /// The page of its area's source, where known (left out otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<&'a str>,
    #[serde(borrow)]
    pub(crate) practices: Vec<PracticeJson<'a>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty", borrow)]
    pub(crate) replaces: Vec<&'a str>,
    pub(crate) statement: &'a str,
    pub(crate) title: &'a str,
    pub(crate) url: Option<&'a str>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct PracticeJson<'a> {
    pub(crate) id: &'a str,
    pub(crate) notes: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) page: Option<&'a str>,
    pub(crate) question: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty", borrow)]
    pub(crate) replaces: Vec<&'a str>,
    pub(crate) statement: &'a str,
    #[serde(borrow)]
    pub(crate) subpractices: Vec<SubJson<'a>>,
    pub(crate) title: &'a str,
    pub(crate) url: Option<&'a str>,
    #[serde(borrow)]
    pub(crate) work_products: Vec<&'a str>,
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct SubJson<'a> {
    pub(crate) notes: Option<&'a str>,
    pub(crate) title: &'a str,
}

impl SubJson<'_> {
    pub(crate) fn all(s: &[Subpractice]) -> Vec<SubJson<'_>> {
        s.iter()
            .map(|s| SubJson {
                notes: s.notes.as_ref().map(|m| m.src.as_str()),
                title: &s.title.src,
            })
            .collect()
    }
}

#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub(crate) struct RelatedJson<'a> {
    pub(crate) area: &'a str,
    pub(crate) note: Option<&'a str>,
}

pub(crate) fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}
