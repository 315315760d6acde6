//! `change`: who depends on a changed system or link and must retest.

use std::path::PathBuf;

use super::{Io, ReportFormat, load_graph};
use crate::engine::{Change, PathMode};
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `change` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// The changed nodes and links.
    pub change: Change,
    /// Output format.
    pub format: ReportFormat,
    /// How JSON writes each row's path.
    pub paths: PathMode,
}

/// Every node with a dependency path to a changed item, direct consumers first.
pub fn change(opts: &ChangeOptions, io: &mut Io) -> Result<u8, Error> {
    if opts.paths == PathMode::Via && opts.format == ReportFormat::Table {
        return Err(Error::Usage(
            "--paths via changes the JSON rows (--format json); tables show every path, \
             shortened when long"
                .into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let ch = graph.change(&opts.change)?;
    match opts.format {
        ReportFormat::Table => table::change(&ch, io.style, io.out),
        ReportFormat::Json => json::write(&ch.json(opts.paths), io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
