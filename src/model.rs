//! The typed in-memory model: the one source of truth every output derives from.

use crate::diag::Loc;
use serde::Serialize;

/// A string from the content, with where it stands.
#[derive(Debug, Clone, Default)]
pub struct Str {
    pub text: String,
    pub loc: Loc,
}

/// Markdown from the content. `html` is filled in by `resolve`, with links to
/// other elements written relative to the site root behind `ROOT_MARK`, so
/// that one rendering serves pages at every depth.
#[derive(Debug, Clone, Default)]
pub struct Md {
    pub src: String,
    /// Where the text starts. An offset into it maps to a line and column
    /// by counting lines from here, and characters from this column (a
    /// body's lines start at column 1, a literal block's at its indentation).
    pub loc: Loc,
    /// Where the parts of a YAML scalar stand in the file, when they do not
    /// stand where counting from `loc` puts them (quotes, escapes, folded
    /// lines) and the text has links to point at. Mostly empty: a box, not
    /// a vector, to keep the many texts of a large model small.
    pub runs: Box<[crate::yaml::Run]>,
    pub html: String,
}

impl Md {
    /// No text, standing at `loc`: what a place holds while what it will
    /// hold renders (`serve`).
    pub fn empty_at(loc: &Loc) -> Md {
        Md {
            loc: loc.clone(),
            ..Md::default()
        }
    }
}

/// Stands before a root-relative URL in rendered Markdown; replaced by the
/// page's way back to the root when a page is written.
pub const ROOT_MARK: char = '\u{1}';

/// The plural of an English noun phrase, by its last word: "category" ->
/// "categories", "process" -> "processes", "area" -> "areas". A word the
/// rule gets wrong is written as `{one, other}`.
pub fn plural(one: &str) -> String {
    let lower = one.to_lowercase();
    let consonant_y =
        lower.ends_with('y') && !lower[..lower.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if consonant_y {
        format!("{}ies", &one[..one.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{one}es")
    } else {
        format!("{one}s")
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Terms {
    pub category: String,
    pub area: String,
    pub objective: String,
    pub practice: String,
    pub generic_goal: String,
    pub generic_practice: String,
}

impl Terms {
    /// Each word's plural by the English rule (`plural`).
    pub fn plurals(&self) -> Terms {
        Terms {
            category: plural(&self.category),
            area: plural(&self.area),
            objective: plural(&self.objective),
            practice: plural(&self.practice),
            generic_goal: plural(&self.generic_goal),
            generic_practice: plural(&self.generic_practice),
        }
    }

    pub fn defaults() -> Terms {
        Terms {
            category: "Category".into(),
            area: "Competency area".into(),
            objective: "Competency objective".into(),
            practice: "Practice".into(),
            generic_goal: "Generic goal".into(),
            generic_practice: "Generic practice".into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct BookConfig {
    pub title: String,
    pub description: Option<String>,
    pub language: String,
    pub authors: Vec<String>,
    pub content_dir: String,
    /// Where book.toml sets `content-dir` (line 0: it does not).
    pub content_dir_loc: Loc,
    pub build_dir: String,
    /// Where book.toml sets `build-dir` (line 0: it does not).
    pub build_dir_loc: Loc,
    pub theme: Option<String>,
    pub site_url: String,
    /// Raw HTML in Markdown is escaped unless the book opts in.
    pub allow_html: bool,
    /// Publish files that symbolic links inside the book lead to outside it.
    pub allow_outside_links: bool,
    /// The model.json of the model's previous version, relative to the book,
    /// with where book.toml names it: the site gets a page of changes.
    pub previous_model: Option<Str>,
    /// The number of areas above which the pages of the whole model load
    /// each area's part on demand (`None`: the default, 60).
    pub split_above: Option<usize>,
    /// book.toml could not be read: there is no book to load, so nothing
    /// else is checked (one mistake, one error).
    pub unreadable: bool,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: Str,
    pub name: String,
    pub summary: Option<String>,
    pub description: Option<Md>,
    /// Display order of its areas, when model.yaml gives one.
    pub area_order: Option<Vec<Str>>,
}

#[derive(Debug, Clone, Default)]
pub struct Cluster {
    pub id: Str,
    pub name: String,
    pub description: Option<Md>,
    pub areas: Vec<Str>,
    /// The source's figure this cluster's diagram stands for, when it has one.
    pub figure: Option<Figure>,
    /// Parts of the diagram that are not areas (what the text names but the
    /// model does not hold, such as "suppliers").
    pub nodes: Vec<FigureNode>,
    /// How the areas relate, as the text states it: what the diagram draws.
    pub relations: Vec<Relation>,
}

impl Cluster {
    /// Whether the site draws a diagram of it.
    pub fn drawn(&self) -> bool {
        self.figure.is_some() || !self.relations.is_empty()
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub number: i64,
    /// "Asset Resiliency Management Cluster": the cluster's name unless given.
    pub caption: String,
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct FigureNode {
    pub id: Str,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Relation {
    /// An area code of the cluster or the id of one of its nodes.
    pub from: Str,
    pub to: Str,
    pub label: Option<String>,
    /// Drawn with an arrowhead at `to`; `false` for a relation both ways.
    pub directed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScaleValue {
    pub value: i64,
    pub label: String,
    pub description: Option<String>,
    /// Where the value is written, for errors about it.
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Debug, Clone)]
pub struct Survey {
    pub scale: Vec<ScaleValue>,
    pub performed_at: i64,
    /// Where `performed_at` is written.
    pub performed_at_loc: Loc,
    pub not_applicable: bool,
    pub loc: Loc,
    /// Markdown that opens the survey page (what a survey of practice is).
    pub introduction: Option<Md>,
}

#[derive(Debug, Clone)]
pub struct CapabilityLevel {
    pub level: i64,
    /// Where `level` is written.
    pub loc: Loc,
    pub name: String,
    pub requires: Vec<Str>,
    pub description: Option<Md>,
}

#[derive(Debug, Clone)]
pub struct Related {
    pub area: Str,
    pub note: Option<Md>,
}

#[derive(Debug, Clone)]
pub struct Subpractice {
    pub title: Md,
    pub notes: Option<Md>,
}

#[derive(Debug, Clone)]
pub struct Practice {
    pub id: Str,
    pub title: String,
    pub statement: Md,
    pub notes: Option<Md>,
    pub work_products: Vec<String>,
    pub subpractices: Vec<Subpractice>,
    pub question: Option<String>,
    /// Ids of earlier versions of the model this practice takes the place of.
    pub replaces: Vec<Str>,
    /// The page of its area's source it is printed on, where that is known.
    pub page: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Objective {
    pub id: Str,
    pub title: String,
    pub statement: Md,
    pub notes: Option<Md>,
    pub practices: Vec<Practice>,
    /// Ids of earlier versions of the model this objective takes the place of.
    pub replaces: Vec<Str>,
    /// The page of its area's source it is printed on, where that is known.
    pub page: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Area {
    pub code: Str,
    pub name: String,
    pub category: Str,
    pub group: Option<String>,
    pub status: Option<Md>,
    /// `assessable: false`: the model says the area cannot be assessed
    /// (its `status` says why), so it is not asked.
    pub assessable: bool,
    pub purpose: Md,
    pub related: Vec<Related>,
    pub objectives: Vec<Objective>,
    /// Generic practice id -> how it reads for this area.
    pub elaborations: Vec<(Str, Md)>,
    pub introduction: Md,
    pub file: String,
    /// Codes of earlier versions of the model this area takes the place of.
    pub replaces: Vec<Str>,
    /// Where the source prints it (its objectives and practices with it).
    pub source: Option<SourceRef>,
    /// The ids each of its texts names in `[[...]]`, in text order, as they
    /// were when its html was rendered: only `serve` keeps them, so that a
    /// check of the book again renders none of the area's texts whose
    /// targets stayed the same.
    pub links: Option<TextLinks>,
}

/// See [`Area::links`]: shared, as an unchanged area's clone keeps them.
pub type TextLinks = std::sync::Arc<[Box<[Box<str>]>]>;

impl Area {
    /// Whether the survey asks the area: the model does not rule it out
    /// and it has a practice to ask.
    pub fn can_assess(&self) -> bool {
        self.assessable && self.objectives.iter().any(|o| !o.practices.is_empty())
    }
}

/// A document the model is transcribed from (model.yaml `sources`).
#[derive(Debug, Clone)]
pub struct Source {
    pub id: Str,
    /// How pages name it: "CMU/SEI-2007-TR-009".
    pub short: String,
    /// The full reference, Markdown.
    pub citation: Option<Md>,
    pub year: Option<i64>,
    /// The notice the document carries, verbatim (Markdown), if it has one.
    pub notice: Option<Md>,
}

/// Where an element stands in a source: `{document, section, page}`.
#[derive(Debug, Clone)]
pub struct SourceRef {
    pub document: Str,
    pub section: Option<String>,
    pub page: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GenericPractice {
    pub id: Str,
    pub title: String,
    pub statement: Md,
    pub notes: Option<Md>,
    pub subpractices: Vec<Subpractice>,
    pub question: Option<String>,
}

#[derive(Debug, Clone)]
pub struct GenericGoal {
    pub id: Str,
    pub title: String,
    pub statement: Md,
    pub practices: Vec<GenericPractice>,
    pub body: Md,
    pub source: Option<SourceRef>,
}

#[derive(Debug, Clone)]
pub struct Term {
    pub term: Str,
    pub definition: Md,
    pub source: Option<String>,
    pub see_also: Vec<Str>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub slug: String,
    pub title: String,
    pub order: i64,
    pub body: Md,
    /// The model's sources whose text it shows (`None`: all of them).
    pub sources: Option<Vec<Str>>,
}

impl Model {
    /// Whether model.yaml's `sources` has the document `id`.
    pub fn has_source(&self, id: &str) -> bool {
        self.sources.iter().any(|s| s.id.text == id)
    }
}

impl Page {
    /// Whether every document the page says it shows is one of `m`'s.
    pub fn sources_known(&self, m: &Model) -> bool {
        self.sources.iter().flatten().all(|d| m.has_source(&d.text))
    }

    /// Where the page stands among the pages (menus, model order): by
    /// `order`, then by address.
    pub fn rank(&self) -> (i64, &str) {
        (self.order, &self.slug)
    }
}

/// The whole book, loaded.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub book: BookConfig,
    pub id: Str,
    pub title: String,
    pub version: String,
    pub source: Option<String>,
    pub notice: Option<Md>,
    pub terms: Terms,
    /// The same words for many ("2 categories"; `terms` holds them for one).
    pub terms_plural: Terms,
    pub sources: Vec<Source>,
    pub categories: Vec<Category>,
    pub clusters: Vec<Cluster>,
    pub survey: Option<Survey>,
    pub capability_levels: Vec<CapabilityLevel>,
    pub areas: Vec<Area>,
    pub generic_goals: Vec<GenericGoal>,
    pub glossary: Vec<Term>,
    pub pages: Vec<Page>,
    /// What files that could not be read may have defined.
    pub lost: Lost,
}

/// What files that could not be read may have defined: references to it
/// are not reported as unknown, since the file's own error says why. Only
/// these: a broken file must not hide the unrelated errors of the others.
#[derive(Debug, Clone, Default)]
pub struct Lost {
    /// model.yaml, or its list of categories, could not be read: which
    /// categories there are is not known.
    pub categories: bool,
    /// Ids (and page slugs) that files which could not be read seem to
    /// define, as far as their `id:` and `code:` lines and their names tell.
    pub ids: std::collections::HashSet<String>,
    /// A folder of elements could not be read: any id may be in it.
    pub all: bool,
}

impl Lost {
    /// Whether `id` may be defined in a file that could not be read: an id
    /// found in one, or one built on it (ids grow from their parent's:
    /// `EF` -> `EF-1` -> `EF-1.1`, `GG2` -> `GG2.GP1`), which the file may
    /// have meant to define.
    pub fn may_define(&self, id: &str) -> bool {
        self.all
            || self.ids.contains(id)
            || id
                .match_indices(['.', '-', ':'])
                .any(|(i, _)| self.ids.contains(&id[..i]))
    }

    /// [`Lost::may_define`] for what `[[...]]` names: an id, or
    /// `AREA:GP`, a generic practice asked for an area.
    pub fn may_resolve(&self, target: &str) -> bool {
        self.may_define(target)
            || target
                .split_once(':')
                .is_some_and(|(area, gp)| self.may_define(area) || self.may_define(gp))
    }
}

/// `AREA:GP`: the id of a generic practice as asked for one area (its
/// survey question, and what `[[AREA:GP]]` links to).
pub fn asked_id(area: &str, gp: &str) -> String {
    format!("{area}:{gp}")
}

/// `slug(id)` of the format page: lower case, every run of other characters
/// than a-z0-9 one `-`, none at either end.
pub fn slug(id: &str) -> String {
    slug_chars(id).collect()
}

/// The first byte of `slug(id)`, without making it (`serve` looks for the
/// ids of a large model that may make a new id's address).
pub fn slug_start(id: &str) -> Option<u8> {
    slug_chars(id).next().map(|c| c as u8)
}

fn slug_chars(id: &str) -> impl Iterator<Item = char> + '_ {
    let (mut dash, mut started) = (false, false);
    id.chars()
        .flat_map(move |c| {
            let c = c.to_ascii_lowercase();
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                let sep = dash && started;
                (dash, started) = (false, true);
                [sep.then_some('-'), Some(c)]
            } else {
                dash = true;
                [None, None]
            }
        })
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::{slug, slug_start};

    #[test]
    fn a_slug_starts_as_made() {
        for id in ["EF-1.1", "  ef__1..1 ", "É-1", "", "--", "Ab1", "-9x", "ÜA"] {
            assert_eq!(slug_start(id), slug(id).bytes().next(), "{id}");
        }
    }

    #[test]
    fn slugs_as_the_format_page_says() {
        assert_eq!(slug("EF-1.1"), "ef-1-1");
        assert_eq!(slug("OPF:SG1.SP1"), "opf-sg1-sp1");
        assert_eq!(slug("--A  b--"), "a-b");
        assert_eq!(slug("../../etc"), "etc");
        assert_eq!(slug("Ünïcode"), "n-code");
        assert_eq!(slug("..."), "");
    }
}

#[cfg(test)]
mod plural_tests {
    #[test]
    fn plurals_follow_the_last_word() {
        let p = super::plural;
        assert_eq!(p("Category"), "Categories");
        assert_eq!(p("Process area"), "Process areas");
        assert_eq!(p("Specific goal"), "Specific goals");
        assert_eq!(p("Business process"), "Business processes");
        assert_eq!(p("Key"), "Keys");
        assert_eq!(p("Box"), "Boxes");
    }
}
