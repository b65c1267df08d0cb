//! Scope x area: for each (organization, scope), at its latest date, each
//! area's capability levels as a distribution over the files (never an
//! average), the files that did not give it a level by their status (never
//! level 0), the performed share of its practices, and its targets.

use super::Assessment;
use super::summary::Names;
use super::team::key;
use crate::scoring::Status;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Matrix {
    /// The columns: the model's areas.
    pub areas: Vec<MatrixArea>,
    pub rows: Vec<MatrixRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixArea {
    pub id: String,
    pub name: String,
    /// Over every row: the area's cell of all the rows' files.
    pub total: Cell,
}

#[derive(Debug, Clone, Serialize)]
pub struct MatrixRow {
    pub organization: String,
    pub scope: String,
    /// The latest date of the scope (earlier ones are in `history`).
    pub date: String,
    pub files: usize,
    pub cells: Vec<Cell>,
}

/// One area over several files.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Cell {
    pub area: String,
    /// How many files give each level, lowest level first.
    pub levels: Vec<Count<i64>>,
    /// How many files give no level, by status.
    pub states: Vec<Count<Status>>,
    /// Practices performed, of the applicable ones, over the files.
    pub performed: usize,
    pub applicable: usize,
    /// The highest target a file sets, and how many files with a target
    /// and a level are below theirs.
    pub target: Option<i64>,
    pub below_target: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Count<T> {
    pub value: T,
    pub files: usize,
}

impl Cell {
    fn add(&mut self, x: &super::AreaResult) {
        match x.level {
            Some(l) => bump(&mut self.levels, l, |&l| l),
            None => bump(&mut self.states, x.status, |&s| s as i64),
        }
        // A file that leaves the area out says nothing of its practices.
        if x.status != Status::OutOfScope {
            self.performed += x.performed;
            self.applicable += x.applicable;
        }
        if let Some(t) = x.target {
            self.target = Some(self.target.map_or(t, |o| o.max(t)));
            if x.level.is_some_and(|l| l < t) {
                self.below_target += 1;
            }
        }
    }

    /// The lowest level given, for the heat map's colour (the conservative
    /// reading; the distribution is shown beside it).
    pub fn lowest(&self) -> Option<i64> {
        self.levels.first().map(|c| c.value)
    }
}

/// Counts `v` once more, the list kept in the order of `rank`.
fn bump<T: PartialEq + Copy>(list: &mut Vec<Count<T>>, v: T, rank: impl Fn(&T) -> i64) {
    match list.iter_mut().find(|c| c.value == v) {
        Some(c) => c.files += 1,
        None => {
            let at = list.partition_point(|c| rank(&c.value) < rank(&v));
            list.insert(at, Count { value: v, files: 1 });
        }
    }
}

pub(super) fn matrix(list: &[Assessment], names: &Names) -> Matrix {
    let Some(first) = list.first() else {
        return Matrix::default();
    };
    let blank = || -> Vec<Cell> {
        first
            .areas
            .iter()
            .map(|x| Cell {
                area: x.id.clone(),
                ..Cell::default()
            })
            .collect()
    };
    // The latest date of each (organization, scope).
    let mut latest: BTreeMap<[&str; 2], &str> = BTreeMap::new();
    for a in list {
        let [o, s, _, d] = key(&a.respondent);
        let slot = latest.entry([o, s]).or_insert(d);
        if d > *slot {
            *slot = d;
        }
    }
    let mut rows: BTreeMap<[&str; 2], MatrixRow> = BTreeMap::new();
    let mut totals = blank();
    for a in list {
        let [o, s, _, d] = key(&a.respondent);
        if latest.get(&[o, s]) != Some(&d) {
            continue;
        }
        let row = rows.entry([o, s]).or_insert_with(|| MatrixRow {
            organization: o.to_string(),
            scope: s.to_string(),
            date: d.to_string(),
            files: 0,
            cells: blank(),
        });
        row.files += 1;
        for (n, x) in a.areas.iter().enumerate() {
            if let Some(c) = row.cells.get_mut(n) {
                c.add(x);
            }
            if let Some(c) = totals.get_mut(n) {
                c.add(x);
            }
        }
    }
    let areas = totals
        .into_iter()
        .map(|total| MatrixArea {
            id: total.area.clone(),
            name: names
                .areas
                .iter()
                .rev()
                .find(|a| a.code == total.area)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            total,
        })
        .collect();
    Matrix {
        areas,
        rows: rows.into_values().collect(),
    }
}
