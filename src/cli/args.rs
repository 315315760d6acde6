//! The arguments of each subcommand, as clap fills them, and their conversion into the
//! options of the library's command functions.

use std::num::NonZeroUsize;
use std::path::PathBuf;

use clap::Args;
use ripplemap::Grade;

use super::value_enums::{
    AssessFormatArg, CheckFormatArg, ClusterBy, DiagramFormatArg, DiffFormatArg, InputFormatArg,
    InventoryFormArg, NodeKindArg, OutputFormat, PathsArg, RecoverFormatArg, StateArg, TableFormat,
};

/// A failure scenario: what fails at hour 0, and how long the outage lasts. The same flags,
/// with the same meaning, for every command that takes a failure.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
    /// What fails.
    #[command(flatten)]
    pub failed: FailedArgs,
    /// How long the outage lasts: hours (4, 0.5) or a duration (4h, 1h30m, 2d); without
    /// it the outage lasts for ever.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub hours: Option<f64>,
}

/// What fails at hour 0, without a horizon: `surge` takes these alone (its failures last).
#[derive(Debug, Args)]
pub struct FailedArgs {
    /// A node that fails at hour 0 (repeat, or separate with commas).
    #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
    pub fail: Vec<String>,
    /// A link that is lost at hour 0 (repeat for more).
    #[arg(long = "fail-link", value_name = "ID")]
    pub fail_link: Vec<String>,
    /// Fail every node matching FIELD=VALUE: site=ID (the site and what it hosts),
    /// agency=NAME, tag=TAG, kind=KIND (repeat: the union of the matches).
    #[arg(long = "fail-where", value_name = "FIELD=VALUE")]
    pub fail_where: Vec<String>,
}

/// Where the inventory comes from: a path, standard input, or CSV tables one by one. The
/// same flags for every command that reads one.
#[derive(Debug, Args)]
pub struct InputArgs {
    /// The inventory: a .toml, .json or .xlsx file, a directory with systems.csv and
    /// links.csv, or `-` for standard input (docs/inventory.md describes the format).
    #[arg(
        value_name = "INVENTORY",
        required_unless_present = "systems",
        conflicts_with = "systems"
    )]
    pub inventory: Option<PathBuf>,
    /// The inventory's form, when neither its extension nor its content tells it (a CSV
    /// inventory is a directory or --systems/--links; standard input cannot hold one).
    #[arg(long = "input-format", value_enum, value_name = "FORM")]
    pub input_format: Option<InputFormatArg>,
    /// A CSV inventory table by table: the nodes (systems.csv; `-`: standard input).
    #[arg(
        long,
        value_name = "FILE",
        requires = "links",
        help_heading = "CSV tables"
    )]
    pub systems: Option<PathBuf>,
    /// The links table (links.csv; `-`: standard input).
    #[arg(
        long,
        value_name = "FILE",
        requires = "systems",
        help_heading = "CSV tables"
    )]
    pub links: Option<PathBuf>,
    /// The groups table (groups.csv), if any.
    #[arg(
        long,
        value_name = "FILE",
        requires = "systems",
        help_heading = "CSV tables"
    )]
    pub groups: Option<PathBuf>,
    /// The policy table (policy.csv), if any.
    #[arg(
        long,
        value_name = "FILE",
        requires = "systems",
        help_heading = "CSV tables"
    )]
    pub policy: Option<PathBuf>,
}

impl From<InputArgs> for Input {
    fn from(a: InputArgs) -> Self {
        match (a.inventory, a.systems, a.links) {
            (_, Some(systems), Some(links)) => Input::Tables {
                systems,
                links,
                groups: a.groups,
                policy: a.policy,
            },
            // clap requires INVENTORY or --systems with --links.
            (path, _, _) => Input::Path {
                path: path.unwrap_or_else(|| PathBuf::from("-")),
                form: a.input_format.map(Into::into),
            },
        }
    }
}

/// The rows to show of a large result: the summary still counts them all.
#[derive(Debug, Args)]
#[command(next_help_heading = "Filters (the summary still counts every row)")]
pub struct FilterArgs {
    /// Only rows of these grades: 1 to 4, or `ungraded` (repeat, or separate with commas).
    #[arg(long, value_name = "GRADE", value_delimiter = ',', value_parser = parse_grade)]
    pub grade: Vec<GradeArg>,
    /// Only rows of this owning agency (repeat for several).
    #[arg(long = "agency", value_name = "NAME")]
    pub agency: Vec<String>,
    /// At most N rows, in the result's order.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
}

/// A grade on the command line: 1 to 4, or none (`ungraded`).
#[derive(Debug, Clone, Copy)]
pub struct GradeArg(Option<ripplemap::Grade>);

/// Parses `--grade`.
fn parse_grade(s: &str) -> Result<GradeArg, String> {
    ripplemap::engine::parse_grade(s).map(GradeArg)
}

impl FilterArgs {
    /// The library's filter, with the states asked for (`impact` only).
    fn into_filter(self, states: Vec<StateArg>) -> ripplemap::engine::RowFilter {
        ripplemap::engine::RowFilter {
            states: states.into_iter().map(Into::into).collect(),
            grades: self.grade.into_iter().map(|g| g.0).collect(),
            agencies: self.agency,
            limit: self.limit,
        }
    }
}

/// Parses `--hours` and `--window`: hours, or a duration with units.
fn parse_hours(s: &str) -> Result<f64, String> {
    ripplemap::engine::parse_hours(s)
}

/// The arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormatArg::Table)]
    pub format: CheckFormatArg,
    /// Only findings of this rule (repeat, or separate with commas); the exit code then
    /// counts only their errors.
    #[arg(
        long,
        value_name = "ID",
        value_delimiter = ',',
        value_parser = parse_rule,
        help_heading = "Filters (the summary still counts every finding)"
    )]
    pub rule: Vec<ripplemap::inventory::Rule>,
    /// At most N findings, in report order (the exit code counts them all).
    #[arg(
        long,
        value_name = "N",
        help_heading = "Filters (the summary still counts every finding)"
    )]
    pub limit: Option<usize>,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Parses `--rule`.
fn parse_rule(s: &str) -> Result<ripplemap::inventory::Rule, String> {
    ripplemap::inventory::Rule::parse(s).ok_or_else(|| {
        let ids: Vec<&str> = ripplemap::inventory::Rule::ALL
            .iter()
            .map(|r| r.id())
            .collect();
        format!("unknown rule `{s}`: one of {}", ids.join(", "))
    })
}

/// The arguments of `assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// A node whose interface changes (repeat, or separate with commas).
    #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
    pub system: Vec<String>,
    /// A link that changes (repeat for more).
    #[arg(long = "link", value_name = "ID")]
    pub link: Vec<String>,
    /// Planned downtime of the changed items, hours (4) or a duration (30m, 4h, 1h30m,
    /// 2d): simulate their failure for that long.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub window: Option<f64>,
    /// A requirement for changes that affect grade GRADE or a more critical one
    /// (repeat; replaces the default mapping).
    #[arg(long = "level", value_name = "GRADE=REQUIREMENT")]
    pub level: Vec<ripplemap::analysis::assess::LevelRule>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AssessFormatArg::Md)]
    pub format: AssessFormatArg,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The inventory before the change (`-`: standard input).
    pub old: PathBuf,
    /// The inventory after the change (`-`: standard input, if OLD is not).
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// The failure.
    #[command(flatten)]
    pub failure: ScenarioArgs,
    /// Output format (csv: the table's rows, for spreadsheets).
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// How JSON writes each row's witness path (tables shorten long paths).
    #[arg(long, value_enum, default_value_t = PathsArg::Full)]
    pub paths: PathsArg,
    /// Only rows in this state: down (failed nodes included) or degraded.
    #[arg(
        long,
        value_enum,
        value_name = "STATE",
        value_delimiter = ',',
        help_heading = "Filters (the summary still counts every row)"
    )]
    pub state: Vec<StateArg>,
    /// Which rows to show.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `change`.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// A node whose interface changes (repeat, or separate with commas).
    #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
    pub system: Vec<String>,
    /// A link that changes (repeat for more).
    #[arg(long = "link", value_name = "ID")]
    pub link: Vec<String>,
    /// Output format (csv: the table's rows, for spreadsheets).
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// How JSON writes each row's path (tables shorten long paths).
    #[arg(long, value_enum, default_value_t = PathsArg::Full)]
    pub paths: PathsArg,
    /// Which rows to show.
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Number of nodes.
    #[arg(long, default_value_t = 5_000)]
    pub nodes: usize,
    /// Number of links, hosting links included.
    #[arg(long, default_value_t = 50_000)]
    pub links: usize,
    /// Seed of the pseudo-random source.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The form to write.
    #[arg(long, value_enum, default_value_t = InventoryFormArg::Csv)]
    pub to: InventoryFormArg,
    /// Where to write: a directory for csv, a file for toml, json and xlsx (`-` for standard
    /// output).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// Also draw loads, capacities and calls (for `surge`): loads on public systems,
    /// capacities above every normal load, no load loop.
    #[arg(long)]
    pub loads: bool,
    /// BOM and header language.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// How `convert` and `generate` write, beyond the form.
#[derive(Debug, Args)]
pub struct WriteArgs {
    /// CSV files without the UTF-8 byte-order mark written by default (Korean Excel needs
    /// it to read UTF-8; ripplemap reads files with and without it).
    #[arg(long)]
    pub no_bom: bool,
    /// A workbook with English sheet names, headers and keywords (systems, id, sync)
    /// instead of Korean ones (시스템, 시스템ID, 실시간).
    #[arg(long)]
    pub english: bool,
}

impl From<WriteArgs> for WriteOptions {
    fn from(a: WriteArgs) -> Self {
        WriteOptions {
            bom: !a.no_bom,
            english: a.english,
        }
    }
}

/// The arguments of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// The failure to draw.
    #[command(flatten)]
    pub failure: ScenarioArgs,
    /// A node whose interface changes (repeat, or separate with commas).
    #[arg(
        long = "change-system",
        value_name = "ID",
        value_delimiter = ',',
        conflicts_with_all = ["fail", "fail_link", "fail_where", "hours"]
    )]
    pub change_system: Vec<String>,
    /// A link that changes (repeat for more).
    #[arg(
        long = "change-link",
        value_name = "ID",
        conflicts_with_all = ["fail", "fail_link", "fail_where", "hours"]
    )]
    pub change_link: Vec<String>,
    /// Draw a surge (ID=xFACTOR or ID=+RATE, repeatable; with --fail, failures first):
    /// the nodes with added load coloured by utilization, the paths that bring it.
    #[arg(
        long = "surge",
        value_name = "ID=xFACTOR|ID=+RATE",
        conflicts_with_all = ["change_system", "change_link", "hours"]
    )]
    pub surge: Vec<At>,
    /// Draw only the nodes within --depth links of this node (either direction).
    #[arg(long, value_name = "ID")]
    pub around: Option<String>,
    /// How many links away from --around to draw.
    #[arg(long, value_name = "N", requires = "around", default_value_t = 1)]
    pub depth: u32,
    /// Group nodes in boxes by hosting site, by agency, or not at all.
    #[arg(long, value_enum, default_value_t = ClusterBy::Site)]
    pub cluster: ClusterBy,
    /// With a scenario, draw every node instead of collapsing the unaffected ones.
    #[arg(long)]
    pub full: bool,
    /// Output format (default: from the extension of -o, else dot).
    #[arg(long, value_enum)]
    pub format: Option<DiagramFormatArg>,
    /// Where to write (default: standard output; png needs a file).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `convert`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// The form to write.
    #[arg(long, value_enum)]
    pub to: InventoryFormArg,
    /// Where to write: a file for toml, json and xlsx (`-` for standard output), a directory
    /// for csv.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
    /// BOM and header language.
    #[command(flatten)]
    pub write: WriteArgs,
}

/// The arguments of `rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// How long each outage lasts: hours (4, 0.5) or a duration (4h, 1h30m, 2d); without
    /// it outages last for ever.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub hours: Option<f64>,
    /// Show only the first N nodes (`--limit N` too).
    #[arg(long, value_name = "N", visible_alias = "limit")]
    pub top: Option<usize>,
    /// Weight per grade: GRADE=WEIGHT, comma-separated (1..4 or ungraded).
    #[arg(long, value_name = "1=100,2=30,3=10,4=1", value_parser = parse_weights)]
    pub weights: Option<ripplemap::analysis::Weights>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// Every site alone and every pair of sites.
    #[arg(long, conflicts_with_all = ["kind", "agency"], required_unless_present_any = ["kind", "agency"])]
    pub sites: bool,
    /// Every node of this kind alone.
    #[arg(long, value_name = "KIND", value_enum, conflicts_with = "agency")]
    pub kind: Option<NodeKindArg>,
    /// All nodes of this agency at once (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub agency: Vec<String>,
    /// How long each outage lasts: hours (4, 0.5) or a duration (4h, 1h30m, 2d); without
    /// it outages last for ever.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub hours: Option<f64>,
    /// Show only the N worst single scenarios and the N worst pairs (`--limit N` too).
    #[arg(long, value_name = "N", visible_alias = "limit")]
    pub top: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `cuts`.
#[derive(Debug, Args)]
pub struct CutsArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// The node to take down.
    #[arg(long, value_name = "ID")]
    pub target: String,
    /// The largest cut size searched.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub max: usize,
    /// List at most N cuts (the smallest first); up to 100 times as many are counted.
    #[arg(long, value_name = "N", default_value_t = ripplemap::analysis::cuts::DEFAULT_LIMIT)]
    pub limit: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `recover`.
#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// The failure (a lost link is taken as repaired at hour 0).
    #[command(flatten)]
    pub failure: ScenarioArgs,
    /// At most N restorations at once (default: no limit); several counts separated
    /// with commas compare them (`unlimited` for no limit).
    #[arg(long, value_name = "N", value_delimiter = ',', value_parser = parse_crews)]
    pub crews: Vec<Option<NonZeroUsize>>,
    /// The recovery-time target of a grade, e.g. 1=3h (repeat, or separate with commas).
    #[arg(long, value_name = "GRADE=DURATION", value_delimiter = ',', value_parser = parse_rto)]
    pub rto: Vec<(Grade, u64)>,
    /// Also show the chain of waits that sets this node's back time (repeat for more).
    #[arg(long, value_name = "ID")]
    pub why: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RecoverFormatArg::Table)]
    pub format: RecoverFormatArg,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// Parses one `--crews` count: a whole number of at least 1, or `unlimited`.
fn parse_crews(s: &str) -> Result<Option<NonZeroUsize>, String> {
    let s = s.trim();
    if s == "unlimited" {
        return Ok(None);
    }
    s.parse::<NonZeroUsize>().map(Some).map_err(|_| {
        format!("`{s}` is not a crew count: expected a whole number of at least 1, or unlimited")
    })
}

/// Parses one `--rto` target: `GRADE=DURATION` with a grade 1 to 4.
fn parse_rto(s: &str) -> Result<(Grade, u64), String> {
    let (g, d) = s
        .split_once('=')
        .ok_or_else(|| format!("`{s}` is not GRADE=DURATION, e.g. 1=3h"))?;
    let grade = g
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Grade::new)
        .ok_or_else(|| format!("`{}` is not a grade: expected 1, 2, 3 or 4", g.trim()))?;
    let secs = ripplemap::inventory::parse_duration(d).ok_or_else(|| {
        format!(
            "`{}` is not a duration: expected one such as 30m, 4h, 2d or 1h30m",
            d.trim()
        )
    })?;
    Ok((grade, secs))
}

/// The arguments of `surge`.
#[derive(Debug, Args)]
pub struct SurgeArgs {
    /// The inventory.
    #[command(flatten)]
    pub inventory: InputArgs,
    /// A surge: ID=xFACTOR multiplies the node's outside load, ID=+RATE adds requests
    /// per second (repeat for more nodes).
    #[arg(long = "at", value_name = "ID=xFACTOR|ID=+RATE", required = true)]
    pub at: Vec<At>,
    /// What has failed (no --hours: the failures last while the surge is evaluated).
    #[command(flatten)]
    pub failure: FailedArgs,
    /// Take the saturated nodes as failed and show what goes down with them.
    #[arg(long)]
    pub cascade: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// Write to this file instead of standard output (whole: into a temporary file
    /// renamed into place; `-`: standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

/// The arguments of `cache`.
#[derive(Debug, Args)]
pub struct CacheArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: CacheActionArg,
}

/// What `cache` does.
#[derive(Debug, clap::Subcommand)]
pub enum CacheActionArg {
    /// Print the cache directory.
    Dir,
    /// Remove every index and stamp from the cache directory.
    Clear,
}

impl From<CacheArgs> for ripplemap::commands::CacheOptions {
    fn from(a: CacheArgs) -> Self {
        ripplemap::commands::CacheOptions {
            action: match a.action {
                CacheActionArg::Dir => ripplemap::commands::CacheAction::Dir,
                CacheActionArg::Clear => ripplemap::commands::CacheAction::Clear,
            },
        }
    }
}

/// Parses `--weights`.
fn parse_weights(s: &str) -> Result<ripplemap::analysis::Weights, String> {
    s.parse()
}

// Into the options of the library's commands.

use ripplemap::analysis::Sweep;
use ripplemap::analysis::surge::At;
use ripplemap::commands::{
    AssessOptions, ChangeOptions, CheckOptions, ConvertOptions, CutsOptions, DiffOptions, Failure,
    GenerateOptions, ImpactOptions, Input, RankOptions, RecoverOptions, RenderOptions,
    ScenariosOptions, SurgeOptions, WriteOptions,
};
use ripplemap::engine::Change;
use ripplemap::generate::GenOptions;

impl From<CheckArgs> for CheckOptions {
    fn from(a: CheckArgs) -> Self {
        CheckOptions {
            output: a.output,
            inventory: a.inventory.into(),
            format: a.format.into(),
            filter: ripplemap::analysis::policy::FindingFilter {
                rules: a.rule,
                limit: a.limit,
            },
        }
    }
}

impl From<ScenarioArgs> for Failure {
    fn from(a: ScenarioArgs) -> Self {
        Failure {
            hours: a.hours,
            ..a.failed.into()
        }
    }
}

impl From<FailedArgs> for Failure {
    fn from(a: FailedArgs) -> Self {
        Failure {
            nodes: a.fail,
            links: a.fail_link,
            selections: a.fail_where,
            hours: None,
        }
    }
}

impl From<AssessArgs> for AssessOptions {
    fn from(a: AssessArgs) -> Self {
        AssessOptions {
            output: a.output,
            inventory: a.inventory.into(),
            change: Change {
                systems: a.system,
                links: a.link,
            },
            window_hours: a.window,
            levels: a.level,
            format: a.format.into(),
        }
    }
}

impl From<DiffArgs> for DiffOptions {
    fn from(a: DiffArgs) -> Self {
        DiffOptions {
            output: a.output,
            old: Input::path(a.old),
            new: Input::path(a.new),
            format: a.format.into(),
        }
    }
}

impl From<ImpactArgs> for ImpactOptions {
    fn from(a: ImpactArgs) -> Self {
        ImpactOptions {
            output: a.output,
            inventory: a.inventory.into(),
            failure: a.failure.into(),
            format: a.format.into(),
            paths: a.paths.into(),
            filter: a.filter.into_filter(a.state),
        }
    }
}

impl From<ChangeArgs> for ChangeOptions {
    fn from(a: ChangeArgs) -> Self {
        ChangeOptions {
            output: a.output,
            inventory: a.inventory.into(),
            change: Change {
                systems: a.system,
                links: a.link,
            },
            format: a.format.into(),
            paths: a.paths.into(),
            filter: a.filter.into_filter(Vec::new()),
        }
    }
}

impl From<GenerateArgs> for GenerateOptions {
    fn from(a: GenerateArgs) -> Self {
        GenerateOptions {
            inventory: GenOptions {
                nodes: a.nodes,
                links: a.links,
                seed: a.seed,
            },
            to: a.to.into(),
            output: a.output,
            loads: a.loads,
            write: a.write.into(),
        }
    }
}

impl From<RenderArgs> for RenderOptions {
    fn from(a: RenderArgs) -> Self {
        RenderOptions {
            inventory: a.inventory.into(),
            failure: a.failure.into(),
            change: Change {
                systems: a.change_system,
                links: a.change_link,
            },
            surge: a.surge,
            around: a.around,
            depth: a.depth,
            cluster: a.cluster.into(),
            full: a.full,
            format: a.format.map(Into::into),
            output: a.output,
        }
    }
}

impl From<ConvertArgs> for ConvertOptions {
    fn from(a: ConvertArgs) -> Self {
        ConvertOptions {
            inventory: a.inventory.into(),
            to: a.to.into(),
            output: a.output,
            write: a.write.into(),
        }
    }
}

impl From<RankArgs> for RankOptions {
    fn from(a: RankArgs) -> Self {
        RankOptions {
            output: a.output,
            inventory: a.inventory.into(),
            hours: a.hours,
            top: a.top,
            weights: a.weights.unwrap_or_default(),
            format: a.format.into(),
            quiet: a.quiet,
        }
    }
}

impl From<ScenariosArgs> for ScenariosOptions {
    fn from(a: ScenariosArgs) -> Self {
        let sweep = match (a.sites, a.kind) {
            (true, _) => Sweep::Sites,
            (false, Some(k)) => Sweep::Kind(k.into()),
            (false, None) => Sweep::Agencies(a.agency),
        };
        ScenariosOptions {
            output: a.output,
            inventory: a.inventory.into(),
            sweep,
            hours: a.hours,
            top: a.top,
            format: a.format.into(),
            quiet: a.quiet,
        }
    }
}

impl From<CutsArgs> for CutsOptions {
    fn from(a: CutsArgs) -> Self {
        CutsOptions {
            output: a.output,
            inventory: a.inventory.into(),
            target: a.target,
            max: a.max,
            limit: a.limit,
            format: a.format.into(),
            quiet: a.quiet,
        }
    }
}

impl From<RecoverArgs> for RecoverOptions {
    fn from(a: RecoverArgs) -> Self {
        RecoverOptions {
            output: a.output,
            inventory: a.inventory.into(),
            failure: a.failure.into(),
            crews: a.crews,
            rto: a.rto,
            why: a.why,
            format: a.format.into(),
        }
    }
}

impl From<SurgeArgs> for SurgeOptions {
    fn from(a: SurgeArgs) -> Self {
        SurgeOptions {
            output: a.output,
            inventory: a.inventory.into(),
            at: a.at,
            failure: a.failure.into(),
            cascade: a.cascade,
            format: a.format.into(),
        }
    }
}

/// The arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The inventory.
    pub inventory: PathBuf,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Open the page in the browser.
    #[arg(long)]
    pub open: bool,
}

impl ServeArgs {
    /// The explorer's options; `lang` is the page's first language (`--lang`), `None`
    /// for the browser's.
    pub fn into_options(self, lang: Option<ripplemap::lang::Lang>) -> ripplemap::serve::Options {
        ripplemap::serve::Options::new(self.inventory, self.bind, self.open, lang)
    }
}

/// The arguments of `schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// `inventory`, or a command whose JSON document it describes.
    #[arg(value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(ripplemap::schema::names()))]
    pub name: String,
}

impl From<SchemaArgs> for ripplemap::commands::SchemaOptions {
    fn from(a: SchemaArgs) -> Self {
        ripplemap::commands::SchemaOptions { name: a.name }
    }
}

/// The arguments of `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// The arguments of `man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write ripplemap.1 and one page per subcommand (ripplemap-impact.1 …) into this
    /// directory instead of printing the top-level page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}
