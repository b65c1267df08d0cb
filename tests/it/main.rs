//! The integration tests, as one binary: one link instead of a dozen, and
//! the helpers in `common` compiled once. Each module is the suite it names
//! (`cargo test --test it build::` runs one).

mod answers_csv;
mod assessable;
mod audit;
mod browser;
mod build;
mod cli;
mod common;
mod diagnostics;
mod figures;
mod fuzz;
mod hostile;
mod oscal;
mod publication;
mod renames;
mod report;
mod report_roadmap;
mod safety;
mod schema;
mod scoring;
mod scripts;
mod seed_fidelity;
mod seed_rules;
mod seed_texts;
mod serve;
mod team;
mod team_vectors;
mod versions;
mod vocabulary;
