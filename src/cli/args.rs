//! The arguments of each subcommand, as clap fills them, and their conversion into the
//! options of the library's command functions.

use std::path::PathBuf;

use clap::Args;

use super::value_enums::{
    AssessFormatArg, CheckFormatArg, ClusterBy, DiagramFormatArg, DiffFormatArg, InventoryFormArg,
    NodeKindArg, OutputFormat, PathsArg, TableFormat,
};

/// A failure scenario: what fails at hour 0, and how long the outage lasts. The same flags,
/// with the same meaning, for every command that takes a failure.
#[derive(Debug, Args)]
pub struct ScenarioArgs {
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
    /// How long the outage lasts: hours (4, 0.5) or a duration (4h, 1h30m, 2d); without
    /// it the outage lasts for ever.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub hours: Option<f64>,
}

/// Parses `--hours` and `--window`: hours, or a duration with units.
fn parse_hours(s: &str) -> Result<f64, String> {
    ripplemap::engine::parse_hours(s)
}

/// The arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The inventory: a .toml or .json file, or a directory with systems.csv and links.csv.
    pub inventory: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormatArg::Table)]
    pub format: CheckFormatArg,
}

/// The arguments of `assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    /// The inventory.
    pub inventory: PathBuf,
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
}

/// The arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The inventory before the change.
    pub old: PathBuf,
    /// The inventory after the change.
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormatArg::Table)]
    pub format: DiffFormatArg,
}

/// The arguments of `impact`.
#[derive(Debug, Args)]
pub struct ImpactArgs {
    /// The inventory.
    pub inventory: PathBuf,
    /// The failure.
    #[command(flatten)]
    pub failure: ScenarioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// How JSON writes each row's witness path (tables shorten long paths).
    #[arg(long, value_enum, default_value_t = PathsArg::Full)]
    pub paths: PathsArg,
}

/// The arguments of `change`.
#[derive(Debug, Args)]
pub struct ChangeArgs {
    /// The inventory.
    pub inventory: PathBuf,
    /// A node whose interface changes (repeat, or separate with commas).
    #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
    pub system: Vec<String>,
    /// A link that changes (repeat for more).
    #[arg(long = "link", value_name = "ID")]
    pub link: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
    /// How JSON writes each row's path (tables shorten long paths).
    #[arg(long, value_enum, default_value_t = PathsArg::Full)]
    pub paths: PathsArg,
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
    /// Where to write: a directory for csv, a file for toml and json (`-` for standard output).
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
}

/// The arguments of `render`.
#[derive(Debug, Args)]
pub struct RenderArgs {
    /// The inventory.
    pub inventory: PathBuf,
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
    /// The inventory to read.
    pub inventory: PathBuf,
    /// The form to write.
    #[arg(long, value_enum)]
    pub to: InventoryFormArg,
    /// Where to write: a file for toml and json (`-` for standard output), a directory for csv.
    #[arg(short, long, value_name = "PATH")]
    pub output: PathBuf,
}

/// The arguments of `rank`.
#[derive(Debug, Args)]
pub struct RankArgs {
    /// The inventory.
    pub inventory: PathBuf,
    /// How long each outage lasts: hours (4, 0.5) or a duration (4h, 1h30m, 2d); without
    /// it outages last for ever.
    #[arg(long, value_name = "DURATION", value_parser = parse_hours)]
    pub hours: Option<f64>,
    /// Show only the first N nodes.
    #[arg(long, value_name = "N")]
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
}

/// The arguments of `scenarios`.
#[derive(Debug, Args)]
pub struct ScenariosArgs {
    /// The inventory.
    pub inventory: PathBuf,
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
    /// Show only the N worst single scenarios (and the N worst pairs).
    #[arg(long, value_name = "N")]
    pub top: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    pub format: TableFormat,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// The arguments of `cuts`.
#[derive(Debug, Args)]
pub struct CutsArgs {
    /// The inventory.
    pub inventory: PathBuf,
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
}

/// The arguments of `recover`.
#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The inventory.
    pub inventory: PathBuf,
    /// The failure (nodes only: a plan restores nodes, so --fail-link is refused).
    #[command(flatten)]
    pub failure: ScenarioArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    pub format: OutputFormat,
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
    /// Remove every index from the cache directory.
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
use ripplemap::commands::{
    AssessOptions, ChangeOptions, CheckOptions, ConvertOptions, CutsOptions, DiffOptions, Failure,
    GenerateOptions, ImpactOptions, RankOptions, RecoverOptions, RenderOptions, ScenariosOptions,
};
use ripplemap::engine::Change;
use ripplemap::generate::GenOptions;

impl From<CheckArgs> for CheckOptions {
    fn from(a: CheckArgs) -> Self {
        CheckOptions {
            inventory: a.inventory,
            format: a.format.into(),
        }
    }
}

impl From<ScenarioArgs> for Failure {
    fn from(a: ScenarioArgs) -> Self {
        Failure {
            nodes: a.fail,
            links: a.fail_link,
            selections: a.fail_where,
            hours: a.hours,
        }
    }
}

impl From<AssessArgs> for AssessOptions {
    fn from(a: AssessArgs) -> Self {
        AssessOptions {
            inventory: a.inventory,
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
            old: a.old,
            new: a.new,
            format: a.format.into(),
        }
    }
}

impl From<ImpactArgs> for ImpactOptions {
    fn from(a: ImpactArgs) -> Self {
        ImpactOptions {
            inventory: a.inventory,
            failure: a.failure.into(),
            format: a.format.into(),
            paths: a.paths.into(),
        }
    }
}

impl From<ChangeArgs> for ChangeOptions {
    fn from(a: ChangeArgs) -> Self {
        ChangeOptions {
            inventory: a.inventory,
            change: Change {
                systems: a.system,
                links: a.link,
            },
            format: a.format.into(),
            paths: a.paths.into(),
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
        }
    }
}

impl From<RenderArgs> for RenderOptions {
    fn from(a: RenderArgs) -> Self {
        RenderOptions {
            inventory: a.inventory,
            failure: a.failure.into(),
            change: Change {
                systems: a.change_system,
                links: a.change_link,
            },
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
            inventory: a.inventory,
            to: a.to.into(),
            output: a.output,
        }
    }
}

impl From<RankArgs> for RankOptions {
    fn from(a: RankArgs) -> Self {
        RankOptions {
            inventory: a.inventory,
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
            inventory: a.inventory,
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
            inventory: a.inventory,
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
            inventory: a.inventory,
            failure: a.failure.into(),
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
    /// The page's language, ko or en (default: the browser's).
    #[arg(long, value_name = "ko|en")]
    pub lang: Option<ripplemap::serve::Lang>,
}

impl From<ServeArgs> for ripplemap::serve::Options {
    fn from(a: ServeArgs) -> Self {
        ripplemap::serve::Options::new(a.inventory, a.bind, a.open, a.lang)
    }
}
