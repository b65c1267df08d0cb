//! The pages of a model's versions: what changed since the previous one
//! (book.toml's `previous-model`), and a redirect page at every address of
//! an earlier version that a rename (`replaces`) left empty.

use super::*;

impl Site<'_> {
    /// The page of changes, when book.toml names the previous version.
    pub(super) fn changes_page(&self) -> Option<PageJob> {
        let d = self.b.changes.as_ref()?;
        let m = &self.b.model;
        // The element's word in this model's own terms (the diff's kinds are fixed).
        let term = |kind: &str| match kind {
            "category" => m.terms.category.as_str(),
            "area" => &m.terms.area,
            "objective" => &m.terms.objective,
            "practice" => &m.terms.practice,
            "generic goal" => &m.terms.generic_goal,
            _ => &m.terms.generic_practice,
        };
        let entry = |e: &crate::diff::Entry| json!({"id": e.id, "kind": term(e.kind), "title": e.title, "url": e.url});
        let changes = |c: &[crate::diff::Change]| -> Vec<Value> {
            c.iter()
                .map(|c| json!({"field": c.field, "old": c.old, "new": c.new}))
                .collect()
        };
        let view = json!({
            "old": d.old, "new": d.new, "empty": d.is_empty(),
            "added": d.added.iter().map(entry).collect::<Vec<_>>(),
            "removed": d.removed.iter().map(entry).collect::<Vec<_>>(),
            "renamed": d.renamed.iter().map(|r| json!({"from": r.from, "id": r.to, "kind": term(r.kind),
                "title": r.title, "url": r.url, "changes": changes(&r.changes)})).collect::<Vec<_>>(),
            "changed": d.changed.iter().map(|c| {
                let mut v = entry(&c.element);
                v["changes"] = Value::from(changes(&c.changes));
                v
            }).collect::<Vec<_>>(),
        });
        Some(self.job(
            urls::CHANGES.into(),
            "changes.html",
            "Changes in this version".into(),
            vec![home_crumb()],
            "changes",
            vec![("changes", tv(&view))],
        ))
    }

    /// The page at an old address: it sends the reader on to the element
    /// now in its place (a `<meta http-equiv="refresh">`: no script, so it
    /// works from disk and under the site's policy) and links to it.
    pub(super) fn redirect_page(&self, old: &crate::resolve::OldAddress) -> PageJob {
        let to = self.link(old.to);
        let title = format!("{} is now {}", old.id, to.id);
        self.job(
            old.url.clone(),
            "redirect.html",
            title,
            vec![],
            "redirect",
            vec![("old", tv(&old.id)), ("to", tv(&to))],
        )
    }
}
