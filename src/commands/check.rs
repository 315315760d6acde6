//! `check`: load and validate an inventory, run the policy checks, print a summary and the
//! findings.

use std::path::PathBuf;

use super::{Input, Io};
use crate::analysis::policy::{self, FindingFilter};
use crate::analysis::{self, surge};
use crate::error::Error;
use crate::exit_code;
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
    pub inventory: Input,
    /// Output format.
    pub format: CheckFormat,
    /// The findings to show; the summary counts them all.
    pub filter: FindingFilter,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// Validation, statistics and policy findings; exit code 1 when a finding is at error
/// level. An inventory that does not load, or that writes loads whose carrying links form
/// a loop, still gets its JSON or SARIF document, with the problems in it, before the
/// error.
pub fn check(opts: &CheckOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let ready = match super::load_parts(&opts.inventory, io) {
        Ok(ready) => ready,
        Err(Error::Load(e)) => {
            if opts.format != CheckFormat::Table {
                super::emit(opts.output.as_deref(), io, |w, _| match opts.format {
                    CheckFormat::Json => json::check_invalid(&e.diagnostics, w),
                    CheckFormat::Sarif => sarif::write_invalid(&e.diagnostics, w),
                    CheckFormat::Table => Ok(()),
                })?;
            }
            return Err(e.into());
        }
        Err(e) => return Err(e),
    };
    let graph = ready.into_whole_graph();
    let stats = analysis::stats(graph.inventory());
    let uses_load = surge::uses_load(graph.inventory());
    // Loads must be defined once the inventory speaks of them: a loop of links that carry
    // load is refused like a load error, naming the cycle and a link for `calls = 0`.
    if uses_load && let Some(l) = surge::load_loop(&graph) {
        let diagnostics = vec![surge::loop_diagnostic(&l)];
        if opts.format != CheckFormat::Table {
            super::emit(opts.output.as_deref(), io, |w, _| match opts.format {
                CheckFormat::Json => json::check_invalid(&diagnostics, w),
                CheckFormat::Sarif => sarif::write_invalid(&diagnostics, w),
                CheckFormat::Table => Ok(()),
            })?;
        }
        return Err(Error::Refused {
            diagnostics,
            summary: "the links that carry load form a loop: loads are not defined".to_owned(),
        });
    }
    let mut report = policy::check(&graph);
    // The exit code: error-level findings of the rules asked for, shown or not.
    let errors = report.has_errors_in(&opts.filter);
    report.filter(&opts.filter);
    // The report owns its text: the graph's memory goes back before rendering.
    drop(graph);
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        CheckFormat::Table => table::stats(&opts.inventory.name(), &stats, style, w)
            .and_then(|()| w.write_all(b"\n"))
            .and_then(|()| table::findings(&report, style, w)),
        CheckFormat::Json => json::check(&stats, &report, w),
        CheckFormat::Sarif => sarif::write(&report, w),
    })?;
    Ok(if errors {
        exit_code::FINDINGS
    } else {
        exit_code::OK
    })
}
