//! `assess`: the interconnection impact assessment of a change.

use std::path::PathBuf;

use super::{Io, load_graph, shown};
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
    pub inventory: PathBuf,
    /// The changed nodes and links.
    pub change: Change,
    /// Planned downtime of the changed items, in hours: simulate their failure for it.
    pub window_hours: Option<f64>,
    /// Grade -> requirement mapping; empty: the default mapping.
    pub levels: Vec<LevelRule>,
    /// Output format.
    pub format: AssessFormat,
}

/// The assessment as a Markdown document (with a Mermaid diagram of the affected
/// neighbourhood) or JSON.
pub fn assess(opts: &AssessOptions, io: &mut Io) -> Result<u8, Error> {
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
    match opts.format {
        AssessFormat::Markdown => {
            let view = View::for_change(&graph, &a.change, &ViewOptions::default());
            markdown::assessment(
                &a,
                &shown(&opts.inventory),
                |w| mermaid::write(&view, w),
                io.out,
            )
        }
        AssessFormat::Json => json::write(&a, io.out),
    }
    .map_err(Error::Output)?;
    Ok(exit_code::OK)
}
