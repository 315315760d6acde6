//! `scenarios`: the blast radius of each site (and pair of sites), of each node of a kind,
//! or of agencies.

use std::path::PathBuf;

use super::progress::Bar;
use super::{Io, ListFormat, load_graph};
use crate::analysis::{self, Sweep};
use crate::error::Error;
use crate::exit_code;
use crate::render::{csv, json, table};

/// What `scenarios` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenariosOptions {
    /// The inventory.
    pub inventory: PathBuf,
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
}

/// One row per scenario, worst first.
pub fn scenarios(opts: &ScenariosOptions, io: &mut Io) -> Result<u8, Error> {
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
    match opts.format {
        ListFormat::Table => table::scenarios(&s, io.style, io.out),
        ListFormat::Json => json::write(&s, io.out),
        ListFormat::Csv => csv::scenarios(&s, io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
