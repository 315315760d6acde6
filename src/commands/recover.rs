//! `recover`: the recovery plan of a failure.

use std::path::PathBuf;

use super::{Failure, Io, ReportFormat, load_graph};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `recover` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoverOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// What fails, and for how long (links cannot fail: a plan restores nodes).
    pub failure: Failure,
    /// Output format.
    pub format: ReportFormat,
}

/// Waves in dependency order, grade 1 first within a wave.
pub fn recover(opts: &RecoverOptions, io: &mut Io) -> Result<u8, Error> {
    if !opts.failure.links.is_empty() {
        return Err(Error::Usage(
            "recover does not take --fail-link: a recovery plan restores nodes, and a lost \
             link is repaired, not restored; fail the nodes instead (--fail, --fail-where), \
             or see what the link takes down with `impact --fail-link`"
                .into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let plan = analysis::recover(&graph, &opts.failure.scenario(&graph)?)?;
    match opts.format {
        ReportFormat::Table => table::recover(&plan, io.style, io.out),
        ReportFormat::Json => json::write(&plan, io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
