//! `cuts`: the minimal sets of nodes whose joint failure takes a target down.

use std::path::PathBuf;

use super::progress::Bar;
use super::{Io, ReportFormat, load_graph};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `cuts` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct CutsOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// The node to take down.
    pub target: String,
    /// The largest cut size searched.
    pub max: usize,
    /// At most this many cuts are listed.
    pub limit: usize,
    /// Output format.
    pub format: ReportFormat,
    /// No progress bar.
    pub quiet: bool,
}

/// The minimal cuts of a target, smallest first.
pub fn cuts(opts: &CutsOptions, io: &mut Io) -> Result<u8, Error> {
    let graph = load_graph(&opts.inventory, io)?;
    let c = analysis::cuts(
        &graph,
        &analysis::CutOptions {
            target: opts.target.clone(),
            max: opts.max,
            limit: opts.limit,
        },
        &Bar::new(opts.quiet),
    )?;
    match opts.format {
        ReportFormat::Table => table::cuts(&c, io.style, io.out),
        ReportFormat::Json => json::write(&c, io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
