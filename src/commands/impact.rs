//! `impact`: the blast radius of a failure.

use std::path::PathBuf;

use super::{Failure, Io, ReportFormat, load_graph};
use crate::engine::PathMode;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `impact` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// What fails, and for how long.
    pub failure: Failure,
    /// Output format.
    pub format: ReportFormat,
    /// How JSON writes each row's witness path.
    pub paths: PathMode,
}

/// What goes down or degrades, when, and by which path.
pub fn impact(opts: &ImpactOptions, io: &mut Io) -> Result<u8, Error> {
    if opts.paths == PathMode::Via && opts.format == ReportFormat::Table {
        return Err(Error::Usage(
            "--paths via changes the JSON rows (--format json); tables show every path, \
             shortened when long"
                .into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let imp = graph.impact(&opts.failure.scenario(&graph)?)?;
    match opts.format {
        ReportFormat::Table => table::impact(&imp, io.style, io.out),
        ReportFormat::Json => json::write(&imp.json(opts.paths), io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
