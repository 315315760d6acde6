//! `change`: who depends on a changed system or link and must retest.

use super::{Input, Io, ListFormat, load_graph};
use crate::engine::{Change, PathMode, RowFilter};
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
}

/// Every node with a dependency path to a changed item, direct consumers first.
pub fn change(opts: &ChangeOptions, io: &mut Io) -> Result<u8, Error> {
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
    match opts.format {
        ListFormat::Table => table::change(&ch, io.style, io.out),
        ListFormat::Csv => csv::change(&ch, io.out),
        ListFormat::Json => json::write_doc("change", &ch.json(opts.paths), io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
