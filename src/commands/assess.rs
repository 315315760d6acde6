//! `assess`: the interconnection impact assessment of a change.

use std::path::PathBuf;

use super::{Input, Io, load_graph};
use crate::analysis::assess::{self, LevelRule};
use crate::engine::Change;
use crate::error::Error;
use crate::exit_code;
use crate::render::{json, markdown, mermaid};
use crate::view::{View, ViewOptions};

/// Output format of `assess`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AssessFormat {
    /// A Markdown document.
    #[default]
    Markdown,
    /// JSON for machines.
    Json,
}

/// What `assess` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// The inventory.
    pub inventory: Input,
    /// The changed nodes and links.
    pub change: Change,
    /// Planned downtime of the changed items, in hours: simulate their failure for it.
    pub window_hours: Option<f64>,
    /// Grade -> requirement mapping; empty: the default mapping.
    pub levels: Vec<LevelRule>,
    /// Output format.
    pub format: AssessFormat,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The assessment as a Markdown document (with a Mermaid diagram of the affected
/// neighbourhood) or JSON.
pub fn assess(opts: &AssessOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(opts.output.as_deref(), &opts.inventory.paths())?;
    let graph = load_graph(&opts.inventory, io)?;
    let a = assess::assess(
        &graph,
        &assess::AssessOptions {
            change: opts.change.clone(),
            window_hours: opts.window_hours,
            levels: if opts.levels.is_empty() {
                LevelRule::defaults()
            } else {
                opts.levels.clone()
            },
        },
    )?;
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        AssessFormat::Markdown => {
            let view = View::for_change(&graph, &a.change, &ViewOptions::default());
            markdown::assessment(
                &a,
                &opts.inventory.name(),
                style.lang,
                |w| mermaid::write(&view, style.lang, w),
                w,
            )
        }
        AssessFormat::Json => json::write_doc("assess", &a, w),
    })?;
    io.retire(a);
    io.retire(graph);
    Ok(exit_code::OK)
}
