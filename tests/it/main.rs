//! The integration tests, one binary: one module per command or concern, sharing the
//! harness that runs the built binary and the property tests' inventory generator
//! (`support`). Fixtures are in `tests/fixtures/`, insta snapshots in `tests/it/snapshots/`.

// Tests and benchmarks stop at the first surprise: unwrap and expect are their asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

mod analyses;
mod analyses_cli;
mod assess;
mod bad_input;
mod cache;
mod change;
mod check;
mod color;
mod convert;
mod diagnostics;
mod diff;
mod engine;
mod explorer;
mod export;
mod filters;
mod help;
mod hostile;
mod hostile_text;
mod impact;
mod lang;
mod large_csv;
mod long_paths;
mod output;
mod policy;
mod properties;
mod render;
mod render_cli;
mod roundtrip;
mod samples;
mod schemas;
mod shell;
mod snapshots;
mod spreadsheets;
mod spreadsheets_cli;
mod stdin;
mod surge;
mod timeline;
