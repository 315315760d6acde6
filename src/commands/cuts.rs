//! `cuts`: the minimal sets of nodes whose joint failure takes a target down.

use std::path::PathBuf;

use super::progress::Bar;
use super::{Input, Io, ReportFormat, load_graph};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `cuts` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct CutsOptions {
    /// The inventory.
    pub inventory: Input,
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
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The minimal cuts of a target, smallest first.
pub fn cuts(opts: &CutsOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
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
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ReportFormat::Table => table::cuts(&c, style, w),
        ReportFormat::Json => json::write_doc("cuts", &c, w),
    })?;
    io.retire(c);
    io.retire(graph);
    Ok(exit_code::OK)
}
