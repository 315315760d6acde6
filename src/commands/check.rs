//! `check`: load and validate an inventory, run the policy checks, print a summary and the
//! findings.

use std::path::PathBuf;

use super::{Io, load, shown};
use crate::analysis::{self, policy};
use crate::error::Error;
use crate::exit_code;
use crate::graph::Graph;
use crate::render::{json, sarif, table};

/// Output format of `check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CheckFormat {
    /// The summary and the policy findings for people.
    #[default]
    Table,
    /// JSON: validity, statistics and policy findings.
    Json,
    /// SARIF 2.1.0 policy findings, for code review tools.
    Sarif,
}

/// What `check` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// Output format.
    pub format: CheckFormat,
}

/// Validation, statistics and policy findings; exit code 1 when a finding is at error
/// level. An inventory that does not load still gets its JSON or SARIF document, with
/// the problems in it, before the error.
pub fn check(opts: &CheckOptions, io: &mut Io) -> Result<u8, Error> {
    let inv = match load(&opts.inventory, io) {
        Ok(inv) => inv,
        Err(Error::Load(e)) => {
            match opts.format {
                CheckFormat::Json => json::check_invalid(&e.diagnostics, io.out),
                CheckFormat::Sarif => sarif::write_invalid(&e.diagnostics, io.out),
                CheckFormat::Table => Ok(()),
            }
            .map_err(Error::Output)?;
            return Err(e.into());
        }
        Err(e) => return Err(e),
    };
    let stats = analysis::stats(&inv);
    let graph = Graph::new(inv);
    let report = policy::check(&graph);
    // The report owns its text: the graph's memory goes back before rendering.
    drop(graph);
    match opts.format {
        CheckFormat::Table => table::stats(&shown(&opts.inventory), &stats, io.style, io.out)
            .and_then(|()| io.out.write_all(b"\n"))
            .and_then(|()| table::findings(&report, io.style, io.out)),
        CheckFormat::Json => json::check(&stats, &report, io.out),
        CheckFormat::Sarif => sarif::write(&report, io.out),
    }
    .map_err(Error::Output)?;
    Ok(if report.has_errors() {
        exit_code::FINDINGS
    } else {
        exit_code::OK
    })
}
