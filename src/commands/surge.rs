//! `surge`: which providers saturate when requests to some systems jump, by which path,
//! and how much headroom is left.

use std::io::{self, Write};
use std::path::PathBuf;

use super::{Input, Io, ReportFormat, load_graph};
use crate::analysis::surge::{self, At, Surge, SurgeScenario};
use crate::engine::{Impact, PathMode};
use crate::error::Error;
use crate::exit_code;
use crate::render::{Style, json, table};

/// What `surge` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct SurgeOptions {
    /// The inventory.
    pub inventory: Input,
    /// Whose outside load jumps, and by how much.
    pub at: Vec<At>,
    /// What has failed: nodes, links and selections (a horizon is refused: the failures
    /// last).
    pub failure: super::Failure,
    /// Take the saturated nodes as failed and show what goes down with them.
    pub cascade: bool,
    /// Output format.
    pub format: ReportFormat,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The loaded nodes by utilization and the headroom; with `cascade`, the failure impact of
/// the saturated nodes. Exit code 2 when the links that carry load form a loop.
pub fn surge(opts: &SurgeOptions, io: &mut Io) -> Result<u8, Error> {
    if opts.failure.hours.is_some() {
        return Err(Error::Usage(
            "surge does not take --hours: loads are computed with the failures as they stand \
             (no horizon); see what an outage of that length takes down with `impact --hours`"
                .into(),
        ));
    }
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let graph = load_graph(&opts.inventory, io)?;
    let failed = opts.failure.scenario(&graph)?;
    let scenario = SurgeScenario {
        at: opts.at.clone(),
        failed: failed.failed,
        failed_links: failed.failed_links,
    };
    let s = surge::surge(&graph, &scenario)?;
    let cascade = if opts.cascade {
        Some(surge::cascade(&graph, &s)?)
    } else {
        None
    };
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        ReportFormat::Table => tables(&s, cascade.as_ref(), style, w),
        ReportFormat::Json => {
            json::surge(&s, cascade.as_ref().map(Option::as_ref), PathMode::Full, w)
        }
    })?;
    Ok(exit_code::OK)
}

/// The surge table, then with a cascade its heading and the failure tables.
fn tables(
    s: &Surge,
    cascade: Option<&Option<Impact>>,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    table::surge(s, style, w)?;
    if let Some(imp) = cascade {
        table::surge_cascade(s, imp.as_ref(), style, w)?;
        if let Some(imp) = imp {
            table::impact(imp, style, w)?;
        }
    }
    Ok(())
}
