//! The documents the model is transcribed from: the place each element
//! stands in its source, and the notices a page must carry (those of the
//! sources whose text it shows, and no other).

use super::*;
use crate::model::SourceRef;

impl Site<'_> {
    /// "CMU/SEI-2007-TR-009, Appendix A, p. 61": the source's short name,
    /// the section and the page, as far as the element's `source` gives them
    /// (`r`, its own or its area's or goal's) and its page is known.
    pub(super) fn source_line(&self, e: Elem, r: &SourceRef) -> String {
        let m = &self.b.model;
        let short = m
            .sources
            .iter()
            .find(|s| s.id.text == r.document.text)
            .map_or(r.document.text.as_str(), |s| s.short.as_str());
        let mut line = short.to_string();
        for part in [&r.section, &self.elem_page(e, r).map(|p| format!("p. {p}"))]
            .into_iter()
            .flatten()
        {
            line.push_str(", ");
            line.push_str(part);
        }
        line
    }

    /// The page an element is printed on: an area's or goal's is its
    /// source's page (where it starts), an objective's or practice's its
    /// own, never its area's (an area runs over pages); a generic
    /// practice's is not known.
    fn elem_page<'s>(&'s self, e: Elem, r: &'s SourceRef) -> Option<&'s str> {
        let m = &self.b.model;
        match e {
            Elem::Area(_) | Elem::Goal(_) => r.page.as_deref(),
            Elem::Objective(a, o) => m.areas[a].objectives[o].page.as_deref(),
            Elem::Practice(a, o, p) => m.areas[a].objectives[o].practices[p].page.as_deref(),
            _ => None,
        }
    }

    /// The source an element's text comes from: an area's for its
    /// objectives and practices, a goal's for its practices.
    pub(super) fn elem_source(&self, e: Elem) -> Option<&SourceRef> {
        let m = &self.b.model;
        match e {
            Elem::Area(a) | Elem::Objective(a, _) | Elem::Practice(a, _, _) => {
                m.areas[a].source.as_ref()
            }
            Elem::Goal(g) | Elem::GenericPractice(g, _) => m.generic_goals[g].source.as_ref(),
            _ => None,
        }
    }

    /// The sources a page shows: an element's own (an area's page also asks
    /// the generic practices, so it shows theirs, unless it is not asked); a category's, its areas';
    /// every other page (home, print, survey, glossary...), all of them.
    fn page_source_ids(&self, e: Option<Elem>) -> Vec<&str> {
        let m = &self.b.model;
        let goals = m.generic_goals.iter().filter_map(|g| g.source.as_ref());
        let ids: Vec<&SourceRef> = match e {
            Some(e @ Elem::Area(a)) => {
                // Only an area that is asked (or reads a generic practice its
                // own way) shows text of the generic goals' source.
                let area = &m.areas[a];
                let shows_goals = area.can_assess() || !area.elaborations.is_empty();
                let goals = goals.filter(move |_| shows_goals);
                self.elem_source(e).into_iter().chain(goals).collect()
            }
            Some(Elem::Category(c)) => m
                .areas
                .iter()
                .filter(|a| a.category.text == m.categories[c].id.text)
                .filter_map(|a| a.source.as_ref())
                .collect(),
            Some(e) => self.elem_source(e).into_iter().collect(),
            None => return m.sources.iter().map(|s| s.id.text.as_str()).collect(),
        };
        ids.into_iter().map(|r| r.document.text.as_str()).collect()
    }

    /// The notices of a free page: of the sources its `sources` name, else
    /// of all.
    pub(super) fn free_page_notices(&self, page: usize) -> tera::Value {
        match &self.b.model.pages[page].sources {
            Some(ids) => self.notices_of(ids.iter().map(|s| s.text.as_str()).collect()),
            None => self.page_notices(None),
        }
    }

    /// The notices of the sources a page shows, in the model's order of
    /// sources: `{short, first_line}` for the footer's one line.
    pub(super) fn page_notices(&self, e: Option<Elem>) -> tera::Value {
        self.notices_of(self.page_source_ids(e))
    }

    /// The glossary's: of the sources its terms' `source` texts name.
    pub(super) fn glossary_notices(&self) -> tera::Value {
        let m = &self.b.model;
        let named = m.sources.iter().filter(|s| {
            m.glossary
                .iter()
                .any(|t| t.source.as_deref().is_some_and(|x| x.contains(&s.short)))
        });
        self.notices_of(named.map(|s| s.id.text.as_str()).collect())
    }

    fn notices_of(&self, ids: Vec<&str>) -> tera::Value {
        let list: Vec<Value> = self
            .b
            .model
            .sources
            .iter()
            .filter(|s| ids.contains(&s.id.text.as_str()))
            .filter_map(|s| {
                let n = s.notice.as_ref()?;
                let first = n.src.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                Some(json!({"short": s.short, "first_line": first.trim()}))
            })
            .collect();
        tv(&list)
    }

    /// Every source, in full: the Notices page, the print edition and the
    /// worksheets.
    pub(super) fn sources_view(&self) -> Value {
        json!(
            self.b
                .model
                .sources
                .iter()
                .map(|s| json!({
                    "id": s.id.text, "short": s.short, "year": s.year,
                    "citation_html": html(&s.citation), "notice_html": html(&s.notice),
                }))
                .collect::<Vec<_>>()
        )
    }
}
