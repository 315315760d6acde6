//! `rank`: every node by the blast radius of its failure alone.

use std::path::PathBuf;

use super::progress::Bar;
use super::{Input, Io, load_graph};
use crate::analysis::{self, Weights};
use crate::error::Error;
use crate::exit_code;
use crate::render::{csv, json, table};

/// Output format of `rank` and `scenarios`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListFormat {
    /// Tables for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// What `rank` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RankOptions {
    /// The inventory.
    pub inventory: Input,
    /// How long each outage lasts, in hours; `None`: for ever.
    pub hours: Option<f64>,
    /// Show only the first N nodes.
    pub top: Option<usize>,
    /// Weight per grade.
    pub weights: Weights,
    /// Output format.
    pub format: ListFormat,
    /// No progress bar.
    pub quiet: bool,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The criticality ranking, single points of failure marked.
pub fn rank(opts: &RankOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let graph = load_graph(&opts.inventory, io)?;
    let r = analysis::rank(
        &graph,
        &analysis::RankOptions {
            horizon_hours: opts.hours,
            top: opts.top,
            weights: opts.weights,
            threads: None,
        },
        &Bar::new(opts.quiet),
    )?;
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ListFormat::Table => table::rank(&r, style, w),
        ListFormat::Json => json::write_doc("rank", &r, w),
        ListFormat::Csv => csv::rank(&r, w),
    })?;
    io.retire(r);
    io.retire(graph);
    Ok(exit_code::OK)
}
