//! The integration tests, as one binary: one link instead of a dozen, and
//! the helpers in `common` compiled once. Each module is the suite it names
//! (`cargo test --test it build::` runs one).

mod audit;
mod browser;
mod build;
mod common;
mod diagnostics;
mod fuzz;
mod hostile;
mod report;
mod safety;
mod schema;
mod scoring;
mod scripts;
mod seed_fidelity;
mod serve;
mod team;
