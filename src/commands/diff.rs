//! `diff`: compare two inventories.

use std::path::PathBuf;

use super::{Input, Io, load_graph};
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
    pub old: Input,
    /// The inventory after the change.
    pub new: Input,
    /// Output format.
    pub format: DiffFormat,
    /// Where to write: a file, written whole (`None` or `-`: standard output).
    pub output: Option<PathBuf>,
}

/// The diff of two inventories; exit code 1 when NEW introduces an error-level finding.
pub fn diff(opts: &DiffOptions, io: &mut Io) -> Result<u8, Error> {
    super::check_output(
        opts.output.as_deref(),
        &[opts.old.paths(), opts.new.paths()].concat(),
    )?;
    if opts.old.stdin_count() + opts.new.stdin_count() > 1 {
        return Err(Error::Usage(
            "standard input (`-`) can give only one file; name the others".into(),
        ));
    }
    let (a, b) = (load_graph(&opts.old, io)?, load_graph(&opts.new, io)?);
    let d = analysis::diff::diff(&a, &b);
    let (old, new) = (opts.old.name(), opts.new.name());
    super::emit(opts.output.as_deref(), io, |w, style| match opts.format {
        DiffFormat::Table => table::diff(&d, &old, &new, style, w),
        DiffFormat::Json => json::diff(&d, &old, &new, w),
        DiffFormat::Markdown => markdown::diff(&d, &old, &new, style.lang, w),
    })?;
    Ok(if d.has_new_errors() {
        exit_code::FINDINGS
    } else {
        exit_code::OK
    })
}
