//! Every address and anchor of a site is made here, and only here.
//!
//! An address is relative to the site root and always names `index.html`,
//! so that the site works from disk too; a page puts its way back to the
//! root ([`root_of`]) before it. Ids become addresses and anchors only
//! through [`slug`], so no id can name a file outside the site. The
//! templates and scripts get the addresses they link to as data (the `site`
//! globals' `urls`, the views, nav.js, survey-data.js) and never put one
//! together.

use crate::model::slug;

/// The home page: the contents of the model.
pub const HOME: &str = "index.html";
/// The glossary.
pub const GLOSSARY: &str = "glossary/index.html";
/// The whole model on one page, for printing.
pub const PRINT: &str = "print/index.html";
/// The survey of the whole model.
pub const SURVEY: &str = "survey/index.html";
/// The survey's results and charts.
pub const RESULTS: &str = "survey/results/index.html";
/// Every area's worksheet on one page.
pub const WORKSHEETS: &str = "worksheets/index.html";
/// The notices of the model's sources, in full.
pub const NOTICES: &str = "notices/index.html";
/// The page a static host shows for an address that has none.
pub const NOT_FOUND: &str = "404.html";
/// What changed since the previous version of the model.
pub const CHANGES: &str = "changes/index.html";
/// The whole model as data.
pub const MODEL_JSON: &str = "model.json";
/// The JSON Schema of model.json.
pub const MODEL_SCHEMA_JSON: &str = "model.schema.json";
/// The search index script.
pub const SEARCH_INDEX: &str = "assets/search-index.js";
/// The search's texts, shard `k` of them (see `search_text_part`).
pub fn search_text(k: usize) -> String {
    format!("assets/search/text-{k}.js")
}
/// The part of `refbook$data` that shard `k` of the search's texts fills.
pub fn search_text_part(k: usize) -> String {
    format!("search_text_{k}")
}
/// The navigation (sidebar) script.
pub const NAV: &str = "assets/nav.js";
/// The survey data script.
pub const SURVEY_DATA: &str = "assets/survey-data.js";

/// The model as an OSCAL catalog.
pub const OSCAL_CATALOG: &str = "oscal/catalog.json";

/// The OSCAL profile of a capability level: what an area performs to reach it.
pub fn oscal_profile(level: i64) -> String {
    format!("oscal/profile-level-{level}.json")
}

/// How a profile beside the catalog names it (both are in `oscal/`).
pub const OSCAL_CATALOG_FROM_PROFILE: &str = "catalog.json";

/// The fixed pages (and model.json) by the names the templates know them by,
/// in the `site` globals' `urls`.
pub const NAMED: [(&str, &str); 11] = [
    ("home", HOME),
    ("glossary", GLOSSARY),
    ("print", PRINT),
    ("survey", SURVEY),
    ("results", RESULTS),
    ("worksheets", WORKSHEETS),
    ("model", MODEL_JSON),
    ("changes", CHANGES),
    ("print_pages_css", PRINT_PAGES_CSS),
    ("search_index", SEARCH_INDEX),
    ("notices", NOTICES),
];

/// The print stylesheet refbook writes from the model: page numbers, and the
/// running header naming the site and each area (CSS named pages).
pub const PRINT_PAGES_CSS: &str = "assets/print-pages.css";

/// The CSS named page (and class) of an area's printed pages.
pub fn print_page(code: &str) -> String {
    format!("area-{}", slug(code))
}

/// A static file of the theme, by its name under the theme's `static/`.
pub fn asset(name: &str) -> String {
    format!("assets/{name}")
}

/// A category's page.
pub fn category(id: &str) -> String {
    format!("categories/{}/index.html", slug(id))
}

/// An area's page.
pub fn area(code: &str) -> String {
    format!("areas/{}/index.html", slug(code))
}

/// An objective's page: in its area's folder.
pub fn objective(area: &str, id: &str) -> String {
    in_area(area, id)
}

/// A practice's page: in its area's folder, beside the objectives.
pub fn practice(area: &str, id: &str) -> String {
    in_area(area, id)
}

fn in_area(area: &str, id: &str) -> String {
    format!("areas/{}/{}/index.html", slug(area), slug(id))
}

/// A generic goal's page.
pub fn goal(id: &str) -> String {
    format!("generic/{}/index.html", slug(id))
}

/// A generic practice's page: in its goal's folder.
pub fn generic_practice(goal: &str, id: &str) -> String {
    format!("generic/{}/{}/index.html", slug(goal), slug(id))
}

/// A free page, by its slug (its file name, already a slug).
pub fn page(slug: &str) -> String {
    format!("pages/{slug}/index.html")
}

/// An area's worksheet, on a page of its own.
pub fn worksheet(code: &str) -> String {
    format!("worksheets/{}/index.html", slug(code))
}

/// A glossary term's anchor on the glossary page (and on the print page).
pub fn term_anchor(term: &str) -> String {
    format!("term-{}", slug(term))
}

/// A glossary term: its place on the glossary page.
pub fn term(term: &str) -> String {
    format!("{GLOSSARY}#{}", term_anchor(term))
}

/// The anchor of a survey question (a practice's id, or `AREA:GP` for a
/// generic practice asked for an area): on its area's page and the survey.
pub fn question_anchor(id: &str) -> String {
    format!("q-{}", slug(id))
}

/// A survey question on the page at `page` (an area's page, or the survey).
pub fn question(page: &str, id: &str) -> String {
    format!("{page}#{}", question_anchor(id))
}

/// The list of saved answers the model does not ask, on the survey page.
pub fn survey_orphans() -> String {
    format!("{SURVEY}#orphans")
}

/// An area's part of the whole-model survey page.
pub fn survey_area_anchor(code: &str) -> String {
    format!("survey-{}", slug(code))
}

/// A cluster's drawn figure, where a page shows it (a page shows a cluster's
/// figure once at most).
pub fn figure_anchor(cluster: &str) -> String {
    format!("figure-{}", slug(cluster))
}

/// The id of a part of a cluster's figure (`title`, `desc`, `arrow`) that
/// the figure refers to from within.
pub fn figure_part(cluster: &str, part: &str) -> String {
    format!("{}-{part}", figure_anchor(cluster))
}

/// An area's worksheet on the page of all worksheets.
pub fn worksheet_anchor(code: &str) -> String {
    format!("ws-{}", slug(code))
}

/// An area's part of a page of the whole model (`frame`, such as
/// `survey/index.html`) when the page loads its areas on demand: the file,
/// and its address as the frame's script loads it.
pub fn whole_part(frame: &str, code: &str) -> (String, String) {
    let src = format!("parts/{}.js", slug(code));
    let dir = frame.trim_end_matches("index.html");
    (format!("{dir}{src}"), src)
}

/// What the footnotes of one text are named by: the file and line the text
/// starts at, so that two texts on one page never share a footnote anchor.
pub fn footnote_prefix(file: &str, line: u32) -> String {
    format!("fn-{}-{line}-", slug(file))
}

/// The anchor of a page's content inside the whole-model print page.
pub fn print_anchor(url: &str) -> String {
    if let Some((base, frag)) = url.split_once('#') {
        // Survey questions are not on the print page: their area is.
        if !frag.starts_with("q-") {
            return frag.to_string();
        }
        return print_anchor(base);
    }
    let base = url.trim_end_matches("index.html").trim_end_matches('/');
    if base.is_empty() {
        "top".into()
    } else {
        base.replace('/', "-")
    }
}

/// On the print page, the anchor of its title and contents (where links to
/// the home page go), of the generic goals and of the glossary.
pub fn print_anchors() -> [(&'static str, String); 3] {
    [
        ("top", print_anchor(HOME)),
        ("goals", "generic".to_string()),
        ("glossary", print_anchor(GLOSSARY)),
    ]
}

/// The way from the page at `path` back to the site root, put before every
/// link of that page. Relative, so that the site works from disk and under
/// any prefix; but the 404 page answers at any depth, so its links start at
/// `site_url`.
pub fn root_of(path: &str, site_url: &str) -> String {
    if path == NOT_FOUND {
        let mut root = site_url.to_string();
        if !root.ends_with('/') {
            root.push('/');
        }
        return root;
    }
    "../".repeat(path.matches('/').count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_the_format_page_gives_them() {
        assert_eq!(area("EF"), "areas/ef/index.html");
        assert_eq!(practice("EF", "EF-1.1"), "areas/ef/ef-1-1/index.html");
        assert_eq!(
            generic_practice("GG2", "GG2.GP1"),
            "generic/gg2/gg2-gp1/index.html"
        );
        assert_eq!(category("Enterprise"), "categories/enterprise/index.html");
        assert_eq!(worksheet("EF"), "worksheets/ef/index.html");
        assert_eq!(
            question(&area("EF"), "EF:GG2.GP1"),
            "areas/ef/index.html#q-ef-gg2-gp1"
        );
        assert_eq!(term("Asset owner"), "glossary/index.html#term-asset-owner");
    }

    #[test]
    fn print_anchors_follow_the_page_or_its_fragment() {
        assert_eq!(print_anchor(HOME), "top");
        assert_eq!(print_anchor(GLOSSARY), "glossary");
        assert_eq!(print_anchor(&area("EF")), "areas-ef");
        assert_eq!(print_anchor(&term("Asset")), "term-asset");
        // A question is not on the print page: its area is.
        assert_eq!(print_anchor(&question(&area("EF"), "EF-1.1")), "areas-ef");
        assert_eq!(print_anchors()[0].1, "top");
    }

    #[test]
    fn the_root_is_relative_but_for_the_404_page() {
        assert_eq!(root_of(HOME, "/"), "");
        assert_eq!(root_of(&practice("EF", "EF-1.1"), "/"), "../../../");
        assert_eq!(root_of(NOT_FOUND, "/book"), "/book/");
    }
}
