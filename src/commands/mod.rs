//! The commands, one function each: options in, the inventory loaded, the result computed,
//! a renderer writing it, and an exit code out. The command line (`src/cli/`) fills the
//! options; nothing here parses arguments or knows about clap.
//!
//! Every command has the same shape, `fn(&Options, &mut Io) -> Result<u8, Error>`: data
//! goes to `io.out` (standard output) or to the `-o` file, warnings to `io.err`, and the
//! exit code comes back (see [`crate::exit_code`]).

mod assess;
mod cache;
mod change;
mod check;
mod convert;
mod cuts;
mod diff;
mod impact;
mod output;
mod progress;
mod rank;
mod recover;
mod render;
mod scenarios;
mod serve;

use std::io::Write;
use std::path::Path;

pub use assess::{AssessFormat, AssessOptions, assess};
pub use cache::{CacheAction, CacheOptions, cache};
pub use change::{ChangeOptions, change};
pub use check::{CheckFormat, CheckOptions, check};
pub use convert::{ConvertOptions, GenerateOptions, InventoryForm, convert, generate};
pub use cuts::{CutsOptions, cuts};
pub use diff::{DiffFormat, DiffOptions, diff};
pub use impact::{ImpactOptions, impact};
pub use rank::{ListFormat, RankOptions, rank};
pub use recover::{RecoverOptions, recover};
pub use render::{DiagramFormat, RenderOptions, render};
pub use scenarios::{ScenariosOptions, scenarios};
pub use serve::serve;

use crate::analysis;
use crate::cache::Cache;
use crate::engine::Scenario;
use crate::error::Error;
use crate::graph::Graph;
use crate::inventory::Inventory;
use crate::render::Style;

/// Where a command writes, how its tables look, and where it keeps compiled indexes.
pub struct Io<'a> {
    /// Data: standard output (buffered by the caller).
    pub out: &'a mut dyn Write,
    /// Warnings: standard error.
    pub err: &'a mut dyn Write,
    /// Colour and width of tables.
    pub style: Style,
    /// The compiled index cache inventories are loaded through ([`Cache::disabled`] for
    /// none).
    pub cache: Cache,
}

/// Output format of the scenario commands (`impact`, `change`, `cuts`, `recover`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportFormat {
    /// Tables for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
}

/// A failure scenario as given on the command line: nodes and links that fail, selections
/// of nodes that fail, and how long the outage lasts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Failure {
    /// Nodes that fail at hour 0.
    pub nodes: Vec<String>,
    /// Links lost at hour 0.
    pub links: Vec<String>,
    /// `FIELD=VALUE` selections whose nodes fail too.
    pub selections: Vec<String>,
    /// The outage's length in hours; `None`: it lasts for ever.
    pub hours: Option<f64>,
}

impl Failure {
    /// Whether any node, link or selection fails.
    pub fn is_given(&self) -> bool {
        !self.nodes.is_empty() || !self.links.is_empty() || !self.selections.is_empty()
    }

    /// The scenario on `graph`: the nodes given, plus those the selections match.
    pub fn scenario(&self, graph: &Graph) -> Result<Scenario, Error> {
        let mut failed = self.nodes.clone();
        if !self.selections.is_empty() {
            failed.extend(analysis::select(graph, &self.selections)?);
        }
        Ok(Scenario {
            failed,
            failed_links: self.links.clone(),
            horizon_hours: self.hours,
        })
    }
}

/// Loads an inventory and builds its graph.
fn load_graph(path: &Path, io: &mut Io) -> Result<Graph, Error> {
    Ok(Graph::new(load(path, io)?))
}

/// Loads an inventory through the cache. A cache that cannot be written is reported once
/// on `io.err` and not used again by this command.
fn load(path: &Path, io: &mut Io) -> Result<Inventory, Error> {
    let loaded = io.cache.load(path)?;
    if let Some(warning) = loaded.warning {
        writeln!(io.err, "warning: {warning}").map_err(Error::Output)?;
        io.cache = Cache::disabled();
    }
    Ok(loaded.inventory)
}

/// A path as messages and documents show it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}
