//! `recover`: the recovery timeline of a failure, or the what-if of several crew counts.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use super::{Failure, Input, Io, load_graph};
use crate::analysis;
use crate::error::Error;
use crate::exit_code;
use crate::grade::Grade;
use crate::render::{chart, json, table};

/// Output format of `recover`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RecoverFormat {
    /// Tables for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
    /// An SVG chart of systems back over time per grade, with the targets.
    Svg,
}

/// What `recover` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RecoverOptions {
    /// The inventory.
    pub inventory: Input,
    /// What fails, and for how long (a failed link is taken as repaired at hour 0).
    pub failure: Failure,
    /// Crew counts (`None`: no limit): none or one gives a timeline, several a what-if.
    pub crews: Vec<Option<NonZeroUsize>>,
    /// Recovery-time targets in seconds, each replacing the inventory's for its grade.
    pub rto: Vec<(Grade, u64)>,
    /// Nodes (ids or unique names) whose chain of waits is shown too.
    pub why: Vec<String>,
    /// Output format.
    pub format: RecoverFormat,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The timeline of one crew count (every system's times, the summary per grade, what
/// holds the last one up), or the what-if of several.
pub fn recover(opts: &RecoverOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let graph = load_graph(&opts.inventory, io)?;
    let scenario = opts.failure.scenario(&graph)?;
    // The inventory's targets, each replaced by the command line's.
    let mut targets = analysis::targets_of(graph.inventory());
    for &(g, secs) in &opts.rto {
        *targets.get_mut(Some(g)) = Some(secs);
    }
    // Ids or unique names, as --fail takes them.
    let why: Vec<String> = opts
        .why
        .iter()
        .map(|w| graph.resolve_node(w).map(|v| graph.node(v).id.to_string()))
        .collect::<Result<_, _>>()?;
    if opts.crews.len() > 1 {
        let rows = analysis::what_if(&graph, &scenario, &opts.crews, &targets)?;
        if opts.format == RecoverFormat::Svg {
            return Err(Error::Usage(
                "--format svg draws one timeline: give one --crews count".into(),
            ));
        }
        super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
            RecoverFormat::Json => json::write_doc("recover", &rows, w),
            _ => table::crews_what_if(&rows, &targets, style, w),
        })?;
    } else {
        let plan = analysis::recover_with(
            &graph,
            &scenario,
            &analysis::RecoverOptions {
                crews: opts.crews.first().copied().flatten(),
                targets,
                seed_back: None,
            },
        )?;
        super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
            RecoverFormat::Table => table::recover(&plan, &why, style, w),
            RecoverFormat::Json => json::recovery(&plan, &why, w),
            RecoverFormat::Svg => chart::recovery(&plan, w),
        })?;
    }
    io.retire(graph);
    Ok(exit_code::OK)
}
