//! The commands, one function each: options in, the inventory loaded, the result computed,
//! a renderer writing it, and an exit code out. The command line (`src/cli/`) fills the
//! options; nothing here parses arguments or knows about clap.
//!
//! Every command has the same shape, `fn(&Options, &mut Io) -> Result<u8, Error>`: data
//! goes to `io.out` (standard output) or to the `-o` file, warnings to `io.err`, and the
//! exit code comes back (see [`crate::exit_code`]).

mod assess;
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
mod surge;

use std::io::Write;
use std::path::Path;

pub use assess::{AssessFormat, AssessOptions, assess};
pub use change::{ChangeOptions, change};
pub use check::{CheckFormat, CheckOptions, check};
pub use convert::{
    ConvertOptions, GenerateOptions, InventoryForm, WriteOptions, convert, generate,
};
pub use cuts::{CutsOptions, cuts};
pub use diff::{DiffFormat, DiffOptions, diff};
pub use impact::{ImpactOptions, impact};
pub use rank::{ListFormat, RankOptions, rank};
pub use recover::{RecoverFormat, RecoverOptions, recover};
pub use render::{DiagramFormat, RenderOptions, render};
pub use scenarios::{ScenariosOptions, scenarios};
pub use serve::serve;
pub use surge::{SurgeOptions, surge};

use crate::analysis;
use crate::engine::Scenario;
use crate::error::Error;
use crate::graph::Graph;
use crate::inventory::{Inventory, LoadOptions};
use crate::render::Style;
use crate::render::style::escape::visible;

/// Where a command writes, and how its tables look.
pub struct Io<'a> {
    /// Data: standard output (buffered by the caller).
    pub out: &'a mut dyn Write,
    /// Warnings: standard error.
    pub err: &'a mut dyn Write,
    /// Colour and width of tables.
    pub style: Style,
    /// How inventories are read (the encoding of CSV files).
    pub load: LoadOptions,
}

/// Output format of the scenario commands (`impact`, `change`, `cuts`,
/// `surge`).
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

/// Loads an inventory as `io.load` says; its warnings (the encoding assumed for a CSV
/// file) go to `io.err`, one `path:line: warning: …` each.
fn load_inventory(path: &Path, io: &mut Io) -> Result<Inventory, Error> {
    let outcome = crate::inventory::load_with(path, &io.load)?;
    for w in &outcome.warnings {
        // A warning that cannot be shown must not stop the command.
        let _ = writeln!(io.err, "{}", visible(&w.to_string(), true));
    }
    Ok(outcome.inventory)
}

/// Loads an inventory ([`load_inventory`]) and builds its graph.
fn load_graph(path: &Path, io: &mut Io) -> Result<Graph, Error> {
    Ok(Graph::new(load_inventory(path, io)?))
}

/// A path as messages and documents show it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}
