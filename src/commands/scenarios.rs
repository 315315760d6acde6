//! `scenarios`: the blast radius of each site (and pair of sites), of each node of a kind,
//! or of agencies.

use std::path::PathBuf;

use super::progress::Bar;
use super::{Input, Io, ListFormat, load_graph};
use crate::analysis::{self, Sweep};
use crate::error::Error;
use crate::exit_code;
use crate::render::{csv, json, table};

/// What `scenarios` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenariosOptions {
    /// The inventory.
    pub inventory: Input,
    /// Which scenarios.
    pub sweep: Sweep,
    /// How long each outage lasts, in hours; `None`: for ever.
    pub hours: Option<f64>,
    /// Show only the N worst single scenarios (and the N worst pairs).
    pub top: Option<usize>,
    /// Output format.
    pub format: ListFormat,
    /// No progress bar.
    pub quiet: bool,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// One row per scenario, worst first.
pub fn scenarios(opts: &ScenariosOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let graph = load_graph(&opts.inventory, io)?;
    let s = analysis::sweep(
        &graph,
        &analysis::SweepOptions {
            sweep: opts.sweep.clone(),
            horizon_hours: opts.hours,
            top: opts.top,
        },
        &Bar::new(opts.quiet),
    )?;
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ListFormat::Table => table::scenarios(&s, style, w),
        ListFormat::Json => json::write_doc("scenarios", &s, w),
        ListFormat::Csv => csv::scenarios(&s, w),
    })?;
    io.retire(s);
    io.retire(graph);
    Ok(exit_code::OK)
}
