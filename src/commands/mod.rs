//! The commands, one function each: options in, the inventory loaded, the result computed,
//! a renderer writing it, and an exit code out. The command line (`src/cli/`) fills the
//! options; nothing here parses arguments or knows about clap.
//!
//! Every command has the same shape, `fn(&Options, &mut Io) -> Result<u8, Error>`: data
//! goes to `io.out` (standard output) or to the `-o` file, warnings to `io.err`, and the
//! exit code comes back (see [`crate::exit_code`]).

mod assess;
mod cache;
mod change;
mod check;
mod convert;
mod cuts;
mod diff;
mod impact;
mod output;
mod progress;
mod rank;
mod recover;
mod render;
mod scenarios;
mod schema;
mod serve;
mod surge;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub use assess::{AssessFormat, AssessOptions, assess};
pub use cache::{CacheAction, CacheOptions, cache};
pub use change::{ChangeOptions, change};
pub use check::{CheckFormat, CheckOptions, check};
pub use convert::{
    ConvertOptions, GenerateOptions, InventoryForm, WriteOptions, convert, generate,
};
pub use cuts::{CutsOptions, cuts};
pub use diff::{DiffFormat, DiffOptions, diff};
pub use impact::{ImpactOptions, impact};
pub use rank::{ListFormat, RankOptions, rank};
pub use recover::{RecoverFormat, RecoverOptions, recover};
pub use render::{DiagramFormat, RenderOptions, render};
pub use scenarios::{ScenariosOptions, scenarios};
pub use schema::{SchemaOptions, schema};
pub use serve::serve;
pub use surge::{SurgeOptions, surge};

use crate::analysis;
use crate::cache::Cache;
use crate::engine::Scenario;
use crate::error::Error;
use crate::graph::Graph;
use crate::inventory::{self, CsvTables, FileSource, Form, Inventory, LoadOptions, Source};
use crate::render::Style;
use crate::render::style::escape::visible;

/// Where a command reads standard input and writes, how its tables look, and where it
/// keeps compiled indexes.
pub struct Io<'a> {
    /// Standard input: an inventory given as `-`.
    pub stdin: &'a mut dyn Read,
    /// Data: standard output (buffered by the caller).
    pub out: &'a mut dyn Write,
    /// Warnings: standard error.
    pub err: &'a mut dyn Write,
    /// Colour and width of tables.
    pub style: Style,
    /// How inventories are read (the encoding of CSV files).
    pub load: LoadOptions,
    /// The compiled index cache inventories are loaded through ([`Cache::disabled`] for
    /// none).
    pub cache: Cache,
    /// The process ends when the command returns: its graph is left for the system to
    /// reclaim instead of being freed piece by piece (tens of milliseconds for half a
    /// million links). `false` for a library caller, which gets its memory back.
    pub exit_after: bool,
}

impl Io<'_> {
    /// Drops `value`, or leaves it to the end of the process when [`Io::exit_after`].
    fn retire<T>(&self, value: T) {
        if self.exit_after {
            std::mem::forget(value);
        }
    }
}

/// Output format of the scenario commands (`impact`, `change`, `cuts`,
/// `surge`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReportFormat {
    /// Tables for people.
    #[default]
    Table,
    /// JSON for machines.
    Json,
}

/// A failure scenario as given on the command line: nodes and links that fail, selections
/// of nodes that fail, and how long the outage lasts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Failure {
    /// Nodes that fail at hour 0.
    pub nodes: Vec<String>,
    /// Links lost at hour 0.
    pub links: Vec<String>,
    /// `FIELD=VALUE` selections whose nodes fail too.
    pub selections: Vec<String>,
    /// The outage's length in hours; `None`: it lasts for ever.
    pub hours: Option<f64>,
}

impl Failure {
    /// Whether any node, link or selection fails.
    pub fn is_given(&self) -> bool {
        !self.nodes.is_empty() || !self.links.is_empty() || !self.selections.is_empty()
    }

    /// The scenario on `graph`: the nodes given, plus those the selections match.
    pub fn scenario(&self, graph: &Graph) -> Result<Scenario, Error> {
        let mut failed = self.nodes.clone();
        if !self.selections.is_empty() {
            failed.extend(analysis::select(graph, &self.selections)?);
        }
        Ok(Scenario {
            failed,
            failed_links: self.links.clone(),
            horizon_hours: self.hours,
        })
    }
}

/// Where a command reads its inventory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A file or a CSV directory; `-` is standard input. The form is `form`, else the
    /// extension's, else the content's.
    Path {
        /// The file or directory, or `-`.
        path: PathBuf,
        /// The form, when given (`--input-format`).
        form: Option<Form>,
    },
    /// A CSV inventory given table by table; one of them may be `-`.
    Tables {
        /// The nodes table.
        systems: PathBuf,
        /// The links table.
        links: PathBuf,
        /// The groups table, if any.
        groups: Option<PathBuf>,
        /// The policy table, if any.
        policy: Option<PathBuf>,
    },
}

impl Input {
    /// A file or a directory, its form told by its extension or content.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        Input::Path {
            path: path.into(),
            form: None,
        }
    }

    /// How messages and documents name the inventory: its path, `<stdin>`, or the
    /// systems table of one given table by table.
    pub fn name(&self) -> String {
        match self {
            Input::Path { path, .. } => shown(&named(path)),
            Input::Tables { systems, .. } => shown(&named(systems)),
        }
    }

    /// The files and directories read (not standard input): an output may not be one.
    pub fn paths(&self) -> Vec<&Path> {
        let all: Vec<&Path> = match self {
            Input::Path { path, .. } => vec![path],
            Input::Tables {
                systems,
                links,
                groups,
                policy,
            } => [Some(systems), Some(links), groups.as_ref(), policy.as_ref()]
                .into_iter()
                .flatten()
                .map(PathBuf::as_path)
                .collect(),
        };
        all.into_iter().filter(|p| !is_stdin(p)).collect()
    }

    /// How many times it reads standard input.
    pub fn stdin_count(&self) -> usize {
        match self {
            Input::Path { path, .. } => usize::from(is_stdin(path)),
            Input::Tables { .. } => self.paths().len().abs_diff(self.file_count()),
        }
    }

    fn file_count(&self) -> usize {
        match self {
            Input::Path { .. } => 1,
            Input::Tables { groups, policy, .. } => {
                2 + usize::from(groups.is_some()) + usize::from(policy.is_some())
            }
        }
    }
}

/// Whether a path stands for standard input.
fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

/// `<stdin>` for `-`, else the path.
fn named(path: &Path) -> PathBuf {
    if is_stdin(path) {
        PathBuf::from(inventory::STDIN_NAME)
    } else {
        path.to_path_buf()
    }
}

/// Reads the inventory of `input` as `io.load` says, standard input from `io` (once at
/// most); its warnings (the encoding assumed for a CSV file) go to `io.err`, one
/// `path:line: warning: …` each.
pub fn load(input: &Input, io: &mut Io) -> Result<Inventory, Error> {
    load_parts(input, io).map(Ready::into_inventory)
}

/// An inventory as loaded: from its files, or through the index cache (with the graph's
/// tables, and on a hit its links left in the index until asked for).
enum Ready {
    Files(Box<inventory::LoadOutcome>),
    Cached(Box<crate::cache::Loaded>),
}

impl Ready {
    fn into_inventory(self) -> Inventory {
        match self {
            Ready::Files(outcome) => outcome.inventory,
            Ready::Cached(loaded) => loaded.into_inventory(),
        }
    }

    fn into_graph(self) -> Graph {
        match self {
            Ready::Files(outcome) => outcome.into_graph(),
            Ready::Cached(loaded) => loaded.into_graph(),
        }
    }

    /// The graph with every link built now, for a command that reads them all.
    fn into_whole_graph(self) -> Graph {
        match self {
            Ready::Files(outcome) => outcome.into_graph(),
            Ready::Cached(loaded) => loaded.into_whole_graph(),
        }
    }
}

/// [`load`], ready to become a graph the quickest way.
fn load_parts(input: &Input, io: &mut Io) -> Result<Ready, Error> {
    if input.stdin_count() > 1 {
        return Err(Error::Usage(
            "standard input (`-`) can give only one file; name the others".into(),
        ));
    }
    let mut file = |path: &Path| -> Result<FileSource, Error> {
        if !is_stdin(path) {
            return Ok(FileSource::Path(path.to_path_buf()));
        }
        let mut bytes = Vec::new();
        io.stdin
            .read_to_end(&mut bytes)
            .map_err(|e| Error::Usage(format!("cannot read standard input: {e}")))?;
        Ok(FileSource::Bytes {
            name: PathBuf::from(inventory::STDIN_NAME),
            bytes,
        })
    };
    let (source, form) = match input {
        Input::Path { path, form } if is_stdin(path) => {
            if *form == Some(Form::Csv) {
                return Err(Error::Usage(
                    "a CSV inventory cannot come from standard input as one stream: it is a \
                     directory, or its tables one by one (--systems FILE --links FILE \
                     [--groups FILE], one of them may be `-`)"
                        .into(),
                ));
            }
            let FileSource::Bytes { name, bytes } = file(path)? else {
                return Err(Error::Usage("standard input was not read".into()));
            };
            (Source::Bytes { name, bytes }, *form)
        }
        // A file or directory whose form its name tells goes through the index cache.
        Input::Path { path, form: None } => {
            let mut loaded = io.cache.load_with(path, &io.load)?;
            if let Some(warning) = loaded.warning.take() {
                // A cache that cannot be written is reported once, then not used again.
                let _ = writeln!(io.err, "warning: {}", visible(&warning, true));
                io.cache = Cache::disabled();
            }
            show_warnings(&loaded.warnings, io);
            return Ok(Ready::Cached(Box::new(loaded)));
        }
        Input::Path { path, form } => (Source::Path(path.clone()), *form),
        Input::Tables {
            systems,
            links,
            groups,
            policy,
        } => (
            Source::Tables(CsvTables {
                systems: file(systems)?,
                links: file(links)?,
                groups: groups.as_deref().map(&mut file).transpose()?,
                policy: policy.as_deref().map(&mut file).transpose()?,
            }),
            Some(Form::Csv),
        ),
    };
    let outcome = inventory::load_source(&source, form, &io.load)?;
    show_warnings(&outcome.warnings, io);
    Ok(Ready::Files(Box::new(outcome)))
}

/// Writes load warnings to `io.err`, one `path:line: warning: …` each.
fn show_warnings(warnings: &[inventory::Diagnostic], io: &mut Io) {
    for w in warnings {
        // A warning that cannot be shown must not stop the command.
        let _ = writeln!(io.err, "{}", visible(&w.to_string(), true));
    }
}

/// Loads an inventory and builds its graph.
fn load_graph(input: &Input, io: &mut Io) -> Result<Graph, Error> {
    load_parts(input, io).map(Ready::into_graph)
}

/// Writes a command's document to the `-o` file (whole, through a temporary file) or to
/// standard output. A file gets no colour and no wrapping: it is not a terminal.
fn emit(
    output: Option<&Path>,
    io: &mut Io,
    write: impl FnOnce(&mut dyn Write, Style) -> std::io::Result<()>,
) -> Result<(), Error> {
    let target = output::Target::of(output);
    let style = match target {
        output::Target::Stdout => io.style,
        output::Target::File(_) => Style::default(),
    };
    target.write(io.out, |w| write(w, style))
}

/// Refuses an `-o` that names one of the inputs, before anything is read or written.
fn check_output(output: Option<&Path>, inputs: &[&Path]) -> Result<(), Error> {
    match output {
        Some(path) => output::not_an_input(path, false, inputs),
        None => Ok(()),
    }
}

/// Refuses a filter naming an agency no node has (a typo would show nothing), with the
/// closest agencies.
fn known_agencies(graph: &Graph, agencies: &[String]) -> Result<(), Error> {
    match crate::engine::unknown_agency(graph.agencies(), agencies) {
        None => Ok(()),
        Some((a, closest)) => {
            let hint = inventory::did_you_mean(a, closest.iter().map(String::as_str))
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            Err(Error::Usage(format!("no node has agency `{a}`{hint}")))
        }
    }
}

/// A path as messages and documents show it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}
