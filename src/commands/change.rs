//! `change`: who depends on a changed system or link and must retest.

use std::path::PathBuf;

use super::{Input, Io, ListFormat, load_graph};
use crate::engine::{Change, PathMode, RowFilter, RowsJson};
use crate::error::Error;
use crate::exit_code;
use crate::render::{csv, json, table};

/// What `change` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeOptions {
    /// The inventory.
    pub inventory: Input,
    /// The changed nodes and links.
    pub change: Change,
    /// Output format.
    pub format: ListFormat,
    /// How JSON writes each row's path.
    pub paths: PathMode,
    /// The rows to show; the summary counts them all.
    pub filter: RowFilter,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// Every node with a dependency path to a changed item, direct consumers first.
pub fn change(opts: &ChangeOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    if opts.paths == PathMode::Via && opts.format != ListFormat::Json {
        return Err(Error::Usage(
            "--paths via changes the JSON rows (--format json); tables and CSV show every path, \
             shortened when long"
                .into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let mut ch = graph.change(&opts.change)?;
    super::known_agencies(&graph, &opts.filter.agencies)?;
    ch.filter(&opts.filter);
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ListFormat::Table => table::change(&ch, style, w),
        ListFormat::Csv => csv::change(&ch, w),
        ListFormat::Json => json::write_doc_rows(
            "change",
            &ch.json_with(opts.paths, RowsJson::Marker),
            ch.affected.len(),
            |i| ch.json_row(i, opts.paths),
            w,
        ),
    })?;
    io.retire(ch);
    io.retire(graph);
    Ok(exit_code::OK)
}
