//! `recover`: the recovery plan of a failure.

use std::path::PathBuf;

use super::{Failure, Input, Io, ReportFormat, load_graph};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, table};

/// What `recover` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoverOptions {
    /// The inventory.
    pub inventory: Input,
    /// What fails, and for how long (links cannot fail: a plan restores nodes).
    pub failure: Failure,
    /// Output format.
    pub format: ReportFormat,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// Waves in dependency order, grade 1 first within a wave.
pub fn recover(opts: &RecoverOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
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
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ReportFormat::Table => table::recover(&plan, style, w),
        ReportFormat::Json => json::write_doc("recover", &plan, w),
    })?;
    Ok(exit_code::OK)
}
