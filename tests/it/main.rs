//! The integration tests, one binary: one module per command or concern, sharing the
//! harness that runs the built binary and the property tests' inventory generator
//! (`support`). Fixtures are in `tests/fixtures/`, insta snapshots in `tests/it/snapshots/`.

mod support;

mod analyses;
mod analyses_cli;
mod assess;
mod bad_input;
mod change;
mod check;
mod color;
mod convert;
mod diagnostics;
mod diff;
mod engine;
mod explorer;
mod help;
mod hostile;
mod impact;
mod large_csv;
mod policy;
mod properties;
mod render;
mod render_cli;
mod roundtrip;
mod samples;
mod snapshots;
mod spreadsheets;
mod surge;
