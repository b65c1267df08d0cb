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
    pub(super) pos: crate::resolve::Map<Elem, usize>,
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

/// The views of one render, kept for the next render of the same book
/// (serve's partial renders), with the lists they hold.
pub struct Views {
    pub(super) sh: Shared,
    have: Lists,
}

impl Site<'_> {
    /// `kept` (views of this same book), or new views, with the lists
    /// `lists` names added where they lack them.
    pub(super) fn views(&self, kept: Option<Views>, lists: Lists) -> Views {
        let mut v = kept.unwrap_or_else(|| Views {
            sh: self.shared(Lists::default()),
            have: Lists::default(),
        });
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
            self.add_lists(&mut v.sh, lacking);
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
    /// others are left empty).
    pub(super) fn shared(&self, lists: Lists) -> Shared {
        let order = self.reading_order();
        let empty = || tera::Value::from(Vec::<tera::Value>::new());
        let mut sh = Shared {
            categories_tv: empty(),
            category: HashMap::new(),
            goals_tv: empty(),
            goals_full: Vec::new(),
            clusters_tv: empty(),
            clusters: Vec::new(),
            levels: tv(&self.levels_view()),
            pos: order.iter().enumerate().map(|(i, &e)| (e, i)).collect(),
            order,
            redirects: Vec::new(),
        };
        self.add_lists(&mut sh, lists);
        sh
    }

    /// Builds the lists `lists` names into `sh`, side by side.
    pub(super) fn add_lists(&self, sh: &mut Shared, lists: Lists) {
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
                s.spawn(|_| cats = self.category_views());
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
            sh.category.insert(c, tv(&self.category_view(c)));
        }
        if lists.categories {
            sh.category = cats.iter().cloned().collect();
            sh.categories_tv =
                tera::Value::from(cats.into_iter().map(|(_, v)| v).collect::<Vec<_>>());
        }
        if lists.goals {
            sh.goals_tv = tv(&goals);
        }
        sh.clusters_tv = tera::Value::from(sh.clusters.clone());
    }

    /// Each shown category's view with its place in the model, in order.
    fn category_views(&self) -> Vec<(usize, tera::Value)> {
        let m = &self.b.model;
        m.categories
            .par_iter()
            .enumerate()
            .filter(|(c, _)| self.b.urls.contains_key(&Elem::Category(*c)))
            .map(|(c, _)| (c, tv(&self.category_view(c))))
            .collect()
    }
}
