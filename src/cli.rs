//! Command-line definitions: clap derive types and their help texts with examples.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// If this system fails or changes, what else breaks, when, and why?
///
/// ripplemap reads an interconnection inventory (a .toml or .json file, or a directory of
/// CSV files exported from a spreadsheet) and computes the blast radius of failures and
/// changes.
#[derive(Debug, Parser)]
#[command(name = "ripplemap", version, propagate_version = true)]
#[command(after_help = "Examples:
  ripplemap check inventories/korea-egov.toml
  ripplemap impact inventories/korea-egov.toml --fail gpki
  ripplemap change inventories/korea-egov.toml --system share-center")]
pub struct Cli {
    /// When to colour tables: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Output format of the scenario commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables for people.
    Table,
    /// JSON for machines (SPEC sections 2 and 3).
    Json,
}

/// Form to convert an inventory to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryForm {
    /// One .toml file.
    Toml,
    /// One .json file.
    Json,
    /// A directory with systems.csv, links.csv and groups.csv.
    Csv,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate an inventory; print a summary or every error.
    ///
    /// Errors name the file, the line and the field, and say what was expected. Every
    /// error of a file is reported, not only the first. Exit code 2 when the inventory
    /// does not load.
    #[command(after_help = "Examples:
  ripplemap check inventories/korea-egov.toml
  ripplemap check inventories/korea-egov/            (a CSV directory)
  ripplemap check inventory.json --format json")]
    Check {
        /// The inventory: a .toml or .json file, or a directory with systems.csv and links.csv.
        inventory: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Failure blast radius: what goes down or degrades, when, and by which path.
    ///
    /// The failed nodes (and links) are lost at hour 0. A link is lost when its provider
    /// is down for longer than the link's tolerance; a consumer goes down when a group of
    /// its down-effect links is lost (a group of n with minimum k is lost after n-k+1 of its
    /// members). Degraded nodes lost redundancy or a soft link; they do not propagate.
    #[command(after_help = "Examples:
  ripplemap impact inventories/korea-egov.toml --fail gpki
  ripplemap impact inventories/korea-egov.toml --fail nirs-daejeon --hours 24
  ripplemap impact inventories/korea-egov.toml --fail-link saeol-login-gpki --format json")]
    Impact {
        /// The inventory.
        inventory: PathBuf,
        /// A node that fails at hour 0 (repeat, or separate with commas).
        #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
        fail: Vec<String>,
        /// A link that is lost at hour 0 (repeat for more).
        #[arg(long = "fail-link", value_name = "ID")]
        fail_link: Vec<String>,
        /// How long the outage lasts, in hours; without it the outage lasts for ever.
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Change blast radius: who depends on a changed system or link and must retest.
    ///
    /// Every node with a dependency path to a changed node is affected, whatever the
    /// redundancy or tolerance, with its shortest path. Direct consumers (depth 1) come
    /// first: they must be notified and must retest.
    #[command(after_help = "Examples:
  ripplemap change inventories/korea-egov.toml --system gpki
  ripplemap change inventories/korea-egov.toml --link saeol-login-gpki --format json")]
    Change {
        /// The inventory.
        inventory: PathBuf,
        /// A node whose interface changes (repeat, or separate with commas).
        #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
        system: Vec<String>,
        /// A link that changes (repeat for more).
        #[arg(long = "link", value_name = "ID")]
        link: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Generate a synthetic, government-like inventory, the same for the same seed.
    ///
    /// Shared hubs with heavy fan-in, batch links with tolerances, k-of-n groups,
    /// active-active sites and some cycles: for benchmarks, demos and trying the tool at
    /// national scale.
    #[command(after_help = "Examples:
  ripplemap generate --nodes 50000 --links 500000 -o /tmp/national/
  ripplemap generate --nodes 200 --links 1500 --seed 7 --to toml -o small.toml")]
    Generate {
        /// Number of nodes.
        #[arg(long, default_value_t = 5_000)]
        nodes: usize,
        /// Number of links, hosting links included.
        #[arg(long, default_value_t = 50_000)]
        links: usize,
        /// Seed of the pseudo-random source.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The form to write.
        #[arg(long, value_enum, default_value_t = InventoryForm::Csv)]
        to: InventoryForm,
        /// Where to write: a directory for csv, a file for toml and json (`-` for standard output).
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
    },

    /// Write an inventory in another form (TOML, JSON or a CSV directory), losslessly.
    #[command(after_help = "Examples:
  ripplemap convert inventories/korea-egov.toml --to csv -o inventories/korea-egov/
  ripplemap convert inventories/korea-egov/ --to json -o korea-egov.json")]
    Convert {
        /// The inventory to read.
        inventory: PathBuf,
        /// The form to write.
        #[arg(long, value_enum)]
        to: InventoryForm,
        /// Where to write: a file for toml and json (`-` for standard output), a directory for csv.
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
    },
}
