//! The views that many pages share (the model's lists, the reading
//! order), built once per render and only as far as its pages show them.

use super::*;

/// Views shared by many pages.
pub(super) struct Shared {
    pub(super) categories_tv: tera::Value,
    /// Each shown category's view, by its index in the model.
    pub(super) category: HashMap<usize, tera::Value>,
    pub(super) goals_tv: tera::Value,
    /// The shown generic goals in full, in order, each with its index in
    /// the model.
    pub(super) goals_full: Vec<(usize, tera::Value)>,
    /// Each cluster of the model, in order.
    pub(super) clusters: Vec<tera::Value>,
    pub(super) clusters_tv: tera::Value,
    pub(super) levels: tera::Value,
    /// Every element in reading order (previous and next follow it).
    pub(super) order: Vec<Elem>,
    pub(super) pos: Positions,
    /// Addresses of earlier versions that renames left empty.
    pub(super) redirects: Vec<crate::resolve::OldAddress>,
}

impl Shared {
    /// A generic goal in full, by its index in the model.
    pub(super) fn goal(&self, g: usize) -> Option<tera::Value> {
        self.goals_full
            .iter()
            .find(|(i, _)| *i == g)
            .map(|(_, v)| v.clone())
    }
}

/// Which of the model's lists (long at scale) a render builds: a page that
/// shows none of them is made from the reading order alone.
#[derive(Clone, Copy, Default, PartialEq, Debug)]
pub(super) struct Lists {
    pub(super) categories: bool,
    /// Without `categories`: the view of this one category alone (its
    /// page's).
    pub(super) category: Option<usize>,
    pub(super) goals: bool,
    /// The generic goals in full, with their practices' texts.
    pub(super) goals_full: bool,
    pub(super) clusters: bool,
    /// The old addresses that renames left: their pages.
    pub(super) redirects: bool,
}

impl Lists {
    /// Everything: a whole site.
    pub(super) const ALL: Lists = Lists {
        categories: true,
        category: None,
        goals: true,
        goals_full: true,
        clusters: true,
        redirects: true,
    };

    /// What the pages of `tasks` show (an area's pages show none).
    pub(super) fn of(tasks: &[Task]) -> Lists {
        let mut l = Lists::default();
        for t in tasks {
            match t {
                Task::Home => {
                    l.categories = true;
                    l.goals = true;
                    l.clusters = true;
                }
                Task::Results => l.categories = true,
                Task::Elem(Elem::Category(c)) => {
                    match l.category {
                        Some(one) if one != *c => l.categories = true,
                        _ => l.category = Some(*c),
                    }
                    l.clusters = true;
                }
                Task::Elem(Elem::Goal(_) | Elem::GenericPractice(..)) => l.goals_full = true,
                _ => {}
            }
        }
        if l.categories {
            l.category = None;
        }
        l
    }
}

/// The views of one render, kept for the next render (serve's partial
/// renders), with the lists they hold.
pub struct Views {
    pub(super) sh: Shared,
    have: Lists,
    /// The book changed since they were made: only `shown` is taken again.
    stale: bool,
    /// Whether each category's view is kept as `shown` (serve's renders).
    keep: bool,
    /// Each category's view as JSON, with the value made of it: a later
    /// render (of the book edited, or checked again) takes the value again
    /// where the JSON is the same. At S=100, making the values of the 400
    /// categories anew took most of the time an open home page added to an
    /// edit; comparing JSON needs no knowledge of what an edit touched.
    shown: HashMap<usize, (Vec<u8>, tera::Value)>,
}

/// What the views of a book edited held that is not taken again, to be
/// freed where it costs no one time (held only to be dropped, hence never
/// read).
pub struct Spent(#[allow(dead_code)] Shared);

impl Views {
    /// The book these views show changed (edited in place, or checked
    /// again): the next render makes them again, taking each category's
    /// view as it was where it renders the same. What they held, unless
    /// they were marked so already.
    pub fn edited(&mut self) -> Option<Spent> {
        if self.stale {
            return None;
        }
        self.stale = true;
        self.have = Lists::default();
        let mut spent = std::mem::replace(&mut self.sh, Shared::empty());
        // Kept: most edits leave the reading order as it was, and then the
        // next render takes the positions again (at S=100, making them
        // anew took about 5 ms of every edit).
        self.sh.order = std::mem::take(&mut spent.order);
        self.sh.pos = std::mem::take(&mut spent.pos);
        Some(Spent(spent))
    }
}

impl Site<'_> {
    /// `kept` (views of this same book, or stale ones of an earlier), or
    /// new views, with the lists `lists` names added where they lack them.
    /// `keep`: new views keep each category's view for later renders.
    pub(super) fn views(&self, kept: Option<Views>, lists: Lists, keep: bool) -> Views {
        let mut v = kept.unwrap_or_else(|| Views {
            sh: Shared::empty(),
            have: Lists::default(),
            stale: true,
            keep,
            shown: HashMap::new(),
        });
        if v.stale {
            let was = std::mem::replace(&mut v.sh, Shared::empty());
            v.sh = self.shared(Lists::default(), Some((was.order, was.pos)));
            v.stale = false;
        }
        let lacking = Lists {
            categories: lists.categories && !v.have.categories,
            category: (lists.category)
                .filter(|c| !v.have.categories && !v.sh.category.contains_key(c)),
            goals: lists.goals && !v.have.goals,
            goals_full: lists.goals_full && !v.have.goals_full,
            clusters: lists.clusters && !v.have.clusters,
            redirects: lists.redirects && !v.have.redirects,
        };
        if lacking != Lists::default() {
            let shown = v.keep.then_some(&mut v.shown);
            self.add_lists(&mut v.sh, lacking, shown);
        }
        v.have = Lists {
            categories: v.have.categories || lists.categories,
            category: None,
            goals: v.have.goals || lists.goals,
            goals_full: v.have.goals_full || lists.goals_full,
            clusters: v.have.clusters || lists.clusters,
            redirects: v.have.redirects || lists.redirects,
        };
        v
    }

    /// The views that many pages show, built once and shared by reference
    /// count (Tera's maps and arrays are), so that no page rebuilds them:
    /// the reading order, the levels, and the lists `lists` names (the
    /// others are left empty). The positions of an earlier reading order
    /// `was` are taken again where the order is still the same.
    pub(super) fn shared(&self, lists: Lists, was: Option<(Vec<Elem>, Positions)>) -> Shared {
        let order = self.reading_order();
        let pos = match was {
            Some((old, pos)) if old == order => pos,
            _ => order.iter().enumerate().map(|(i, &e)| (e, i)).collect(),
        };
        let mut sh = Shared {
            levels: tv(&self.levels_view()),
            pos,
            order,
            ..Shared::empty()
        };
        self.add_lists(&mut sh, lists, None);
        sh
    }

    /// Builds the lists `lists` names into `sh`, side by side; with
    /// `shown`, each category's view is taken from it where its JSON is the
    /// same, and kept there.
    pub(super) fn add_lists(
        &self,
        sh: &mut Shared,
        lists: Lists,
        mut shown: Option<&mut HashMap<usize, (Vec<u8>, tera::Value)>>,
    ) {
        let mut cats = Vec::new();
        let mut goals: Vec<Value> = Vec::new();
        let Shared {
            clusters,
            goals_full,
            redirects,
            ..
        } = sh;
        rayon::scope(|s| {
            if lists.categories {
                let (cats, shown) = (&mut cats, shown.as_deref());
                s.spawn(move |_| *cats = self.category_views(shown));
            }
            if lists.clusters {
                s.spawn(|_| *clusters = self.clusters_view().iter().map(tv).collect());
            }
            if lists.goals_full {
                s.spawn(|_| {
                    *goals_full = (self.goals_view(true).iter())
                        .map(|(g, v)| (*g, tv(v)))
                        .collect()
                });
            }
            if lists.goals {
                s.spawn(|_| goals = self.goals_view(false).into_iter().map(|(_, v)| v).collect());
            }
            if lists.redirects {
                s.spawn(|_| *redirects = self.b.old_addresses());
            }
        });
        if let (Some(c), false) = (lists.category, lists.categories) {
            let (json, v) = self.category_value(c, shown.as_deref());
            sh.category.insert(c, v.clone());
            cats.push((c, json, v));
        }
        if let Some(shown) = &mut shown {
            for (c, json, v) in &mut cats {
                shown.insert(*c, (std::mem::take(json), v.clone()));
            }
        }
        if lists.categories {
            sh.category = cats.iter().map(|(c, _, v)| (*c, v.clone())).collect();
            sh.categories_tv =
                tera::Value::from(cats.into_iter().map(|(_, _, v)| v).collect::<Vec<_>>());
        }
        if lists.goals {
            sh.goals_tv = tv(&goals);
        }
        sh.clusters_tv = tera::Value::from(sh.clusters.clone());
    }

    /// Each shown category's view with its place in the model, in order,
    /// and its JSON when `shown` is given (else none).
    fn category_views(&self, shown: Option<&HashMap<usize, (Vec<u8>, tera::Value)>>) -> Vec<Cat> {
        let m = &self.b.model;
        let areas = self.areas_by_category();
        m.categories
            .par_iter()
            .enumerate()
            .filter(|(c, _)| self.b.urls.contains_key(&Elem::Category(*c)))
            .map(|(c, cat)| {
                let of = areas.get(cat.id.text.as_str()).map_or(&[][..], |v| v);
                let (json, v) = self.category_value_of(c, of, shown);
                (c, json, v)
            })
            .collect()
    }

    /// Category `c`'s view, and its JSON when `shown` is given.
    fn category_value(
        &self,
        c: usize,
        shown: Option<&HashMap<usize, (Vec<u8>, tera::Value)>>,
    ) -> (Vec<u8>, tera::Value) {
        let id = &self.b.model.categories[c].id.text;
        let of: Vec<usize> = (self.b.model.areas.iter().enumerate())
            .filter(|(_, a)| a.category.text == *id)
            .map(|(a, _)| a)
            .collect();
        self.category_value_of(c, &of, shown)
    }

    /// Category `c`'s view, its areas being `areas`: taken from `shown`
    /// where it holds the same JSON.
    fn category_value_of(
        &self,
        c: usize,
        areas: &[usize],
        shown: Option<&HashMap<usize, (Vec<u8>, tera::Value)>>,
    ) -> (Vec<u8>, tera::Value) {
        let view = self.category_view_of(c, areas);
        let Some(shown) = shown else {
            return (Vec::new(), tv(&view));
        };
        let json = serde_json::to_vec(&view).unwrap_or_default();
        match shown.get(&c) {
            Some((was, v)) if *was == json && !json.is_empty() => (json, v.clone()),
            _ => (json, tv(&view)),
        }
    }
}

/// Each element's place in the reading order.
pub(super) type Positions = crate::resolve::Map<Elem, usize>;

/// A category's place in the model, its view's JSON (when kept) and value.
type Cat = (usize, Vec<u8>, tera::Value);

impl Shared {
    /// Nothing yet: views to be made.
    fn empty() -> Shared {
        let empty = || tera::Value::from(Vec::<tera::Value>::new());
        Shared {
            categories_tv: empty(),
            category: HashMap::new(),
            goals_tv: empty(),
            goals_full: Vec::new(),
            clusters_tv: empty(),
            clusters: Vec::new(),
            levels: empty(),
            pos: Default::default(),
            order: Vec::new(),
            redirects: Vec::new(),
        }
    }
}
