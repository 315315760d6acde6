//! `diff`: compare two inventories.

use std::path::PathBuf;

use super::{Io, load_graph, shown};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, markdown, table};

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DiffFormat {
    /// Tables for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
    /// Markdown for a merge request.
    Markdown,
}

/// What `diff` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct DiffOptions {
    /// The inventory before the change.
    pub old: PathBuf,
    /// The inventory after the change.
    pub new: PathBuf,
    /// Output format.
    pub format: DiffFormat,
}

/// The diff of two inventories; exit code 1 when NEW introduces an error-level finding.
pub fn diff(opts: &DiffOptions, io: &mut Io) -> Result<u8, Error> {
    let (a, b) = (load_graph(&opts.old, io)?, load_graph(&opts.new, io)?);
    let d = analysis::diff::diff(&a, &b);
    let (old, new) = (shown(&opts.old), shown(&opts.new));
    match opts.format {
        DiffFormat::Table => table::diff(&d, &old, &new, io.style, io.out),
        DiffFormat::Json => json::diff(&d, &old, &new, io.out),
        DiffFormat::Markdown => markdown::diff(&d, &old, &new, io.out),
    }
    .map_err(Error::Output)?;
    Ok(if d.has_new_errors() {
        exit_code::FINDINGS
    } else {
        exit_code::OK
    })
}
