//! ripplemap: if this system fails or changes, what else breaks, when, and why?
//!
//! The library reads an interconnection inventory ([`load`]), builds its dependency
//! [`Graph`], and evaluates failure ([`Graph::impact`]) and change ([`Graph::change`])
//! scenarios into values that the renderers in [`render`] turn into tables and JSON.
//!
//! ```no_run
//! let inv = ripplemap::load(std::path::Path::new("inventories/korea-egov.toml"))?;
//! let graph = ripplemap::Graph::new(inv);
//! let scenario = ripplemap::Scenario { failed: vec!["gpki".into()], ..Default::default() };
//! let impact = graph.impact(&scenario)?;
//! println!("{} systems down", impact.summary.down);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod engine;
pub mod grade;
pub mod graph;
mod hash;
pub mod inventory;

pub use engine::{
    Affected, Change, ChangeImpact, Impact, Path, PathMode, Reached, Scenario, ScenarioError,
    ShortPath, State,
};
pub use grade::{ByGrade, Grade, GradeCounts};
pub use graph::Graph;
pub use inventory::{Diagnostic, Inventory, LoadError, load};
pub mod analysis;
pub mod commands;
pub mod error;
pub mod exit_code;
pub mod generate;
pub mod render;
pub mod view;
