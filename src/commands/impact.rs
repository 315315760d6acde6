//! `impact`: the blast radius of a failure.

use std::path::PathBuf;

use super::{Failure, Input, Io, ListFormat, load_graph};
use crate::engine::{PathMode, RowFilter, RowsJson};
use crate::error::Error;
use crate::exit_code;
use crate::render::{csv, json, table};

/// What `impact` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ImpactOptions {
    /// The inventory.
    pub inventory: Input,
    /// What fails, and for how long.
    pub failure: Failure,
    /// Output format.
    pub format: ListFormat,
    /// How JSON writes each row's witness path.
    pub paths: PathMode,
    /// The rows to show; the summary counts them all.
    pub filter: RowFilter,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// What goes down or degrades, when, and by which path.
pub fn impact(opts: &ImpactOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    if opts.paths == PathMode::Via && opts.format != ListFormat::Json {
        return Err(Error::Usage(
            "--paths via changes the JSON rows (--format json); tables and CSV show every path, \
             shortened when long"
                .into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let mut imp = graph.impact(&opts.failure.scenario(&graph)?)?;
    super::known_agencies(&graph, &opts.filter.agencies)?;
    imp.filter(&opts.filter);
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ListFormat::Table => table::impact(&imp, style, w),
        ListFormat::Csv => csv::impact(&imp, w),
        ListFormat::Json => json::write_doc_rows(
            "impact",
            &imp.json_with(opts.paths, RowsJson::Marker),
            imp.affected.len(),
            |i| imp.json_row(i, opts.paths),
            w,
        ),
    })?;
    io.retire(imp);
    io.retire(graph);
    Ok(exit_code::OK)
}
