//! ripplemap: if this system fails or changes, what else breaks, when, and why?
//!
//! The library reads an interconnection inventory ([`load`]), builds its dependency
//! [`Graph`], and evaluates failure ([`Graph::impact`]) and change ([`Graph::change`])
//! scenarios into values that the renderers in [`render`] write as tables, JSON,
//! Markdown, SARIF or diagrams.
//!
//! ```no_run
//! let inv = ripplemap::load(std::path::Path::new("inventories/korea-egov.toml"))?;
//! let graph = ripplemap::Graph::new(inv);
//! let scenario = ripplemap::Scenario { failed: vec!["gpki".into()], ..Default::default() };
//! let impact = graph.impact(&scenario)?;
//! println!("{} systems down", impact.summary.down);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Layers
//!
//! Each layer uses only those below it:
//!
//! - [`serve`]: the interactive explorer, a local web server over the same analyses;
//! - [`commands`]: one function per command of the `ripplemap` binary (options in, the
//!   result written, an exit code out), behind one [`error::Error`];
//! - [`render`]: printers, one per output format, writing a computed value to a writer;
//! - [`view`]: what a diagram shows, computed from a result;
//! - [`analysis`]: whole-inventory questions (rank, scenarios, cuts, recover, diff,
//!   policy, assess, surge), each asking the engine;
//! - [`engine`]: the failure propagation and change reachability;
//! - [`graph`] and [`inventory`]: the dependency graph and the inventory it is built from.

#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod cache;
pub mod commands;
pub mod engine;
pub mod error;
pub mod exit_code;
pub mod generate;
pub mod grade;
pub mod graph;
mod hash;
pub mod inventory;
pub mod lang;
pub mod render;
pub mod schema;
pub mod serve;
pub mod view;

pub use engine::{
    Affected, Change, ChangeImpact, Impact, Path, PathMode, Reached, Scenario, ScenarioError,
    ShortPath, State,
};
pub use grade::{ByGrade, Grade, GradeCounts};
pub use graph::Graph;
pub use inventory::{Diagnostic, Inventory, LoadError, load};
