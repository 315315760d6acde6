//! Command-line definitions: clap derive types and their help texts with examples.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// If this system fails or changes, what else breaks, when, and why?
///
/// ripplemap reads an interconnection inventory (a .toml or .json file, or a directory of
/// CSV files exported from a spreadsheet) and computes the blast radius of failures and
/// changes.
#[derive(Debug, Parser)]
#[command(name = "ripplemap", version, propagate_version = true)]
#[command(after_help = "Examples:
  ripplemap check inventories/korea-egov.toml
  ripplemap impact inventories/korea-egov.toml --fail gpki
  ripplemap change inventories/korea-egov.toml --system share-center")]
pub struct Cli {
    /// When to colour tables: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Output format of the scenario commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Tables for people.
    Table,
    /// JSON for machines (SPEC sections 2 and 3).
    Json,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// The summary and the policy findings for people.
    Table,
    /// JSON: validity, statistics and policy findings.
    Json,
    /// SARIF 2.1.0 policy findings, for code review tools.
    Sarif,
}

/// Output format of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssessFormat {
    /// A Markdown document.
    Md,
    /// JSON for machines.
    Json,
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Tables for people.
    Table,
    /// JSON for machines.
    Json,
    /// Markdown for a merge request.
    Md,
}

/// Form to convert an inventory to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryForm {
    /// One .toml file.
    Toml,
    /// One .json file.
    Json,
    /// A directory with systems.csv, links.csv and groups.csv.
    Csv,
}

/// Diagram format of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormat {
    /// Graphviz DOT source.
    Dot,
    /// SVG laid out by Graphviz.
    Svg,
    /// PNG laid out by Graphviz (needs -o).
    Png,
    /// Mermaid flowchart, for Markdown.
    Mermaid,
    /// One self-contained HTML file: the SVG and the scenario's tables.
    Html,
}

/// How `render` groups nodes into boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClusterBy {
    /// By the one site a node is hosted on.
    Site,
    /// By owning agency.
    Agency,
    /// No boxes.
    None,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Load and validate an inventory, then run the policy checks; print a summary and the findings.
    ///
    /// Errors name the file, the line and the field, and say what was expected. Every
    /// error of a file is reported, not only the first. Exit code 2 when the inventory
    /// does not load. Policy rules (grade-inversion, single-site, false-redundancy,
    /// sync-cycle, external-hard, async-zero-tolerance, orphan, no-agency, no-capacity)
    /// report each finding with the file and line of its nodes and links; their
    /// severities are set in the inventory's [policy] table (or policy.csv). Exit code 1
    /// when a finding is at error level. An inventory that writes any load, capacity or
    /// calls must have no loop of links that carry load: exit code 2, naming the cycle
    /// and a link to set to calls = 0.
    #[command(after_help = "Examples:
  ripplemap check inventories/korea-egov.toml
  ripplemap check inventories/korea-egov/            (a CSV directory)
  ripplemap check inventory.json --format json
  ripplemap check inventories/korea-egov.toml --format sarif > ripplemap.sarif")]
    Check {
        /// The inventory: a .toml or .json file, or a directory with systems.csv and links.csv.
        inventory: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CheckFormat::Table)]
        format: CheckFormat,
    },

    /// The interconnection impact assessment of a change, as a Markdown document to file.
    ///
    /// Scope (changed systems and links with grades and agencies); direct consumers
    /// (notify and retest) and transitive consumers by depth with their paths; with
    /// --window, the failure simulation of the planned downtime (who goes down, when, who
    /// only degrades); the most critical grade affected and the assessment level it
    /// requires (default: grade 1 -> independent review; grade 1 or 2 -> load test before
    /// going live; --level replaces the mapping); the notification list by agency; the
    /// policy findings that touch the change; a Mermaid diagram of the neighbourhood.
    #[command(after_help = "Examples:
  ripplemap assess inventories/korea-egov.toml --system gpki --window 4h > gpki-assessment.md
  ripplemap assess inventories/korea-egov.toml --link saeol-login-gpki --format json
  ripplemap assess inventories/korea-egov.toml --system share-center \\
      --level 1='independent review' --level 3='regression test by every consumer'")]
    Assess {
        /// The inventory.
        inventory: PathBuf,
        /// A node whose interface changes (repeat, or separate with commas).
        #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
        system: Vec<String>,
        /// A link that changes (repeat for more).
        #[arg(long = "link", value_name = "ID")]
        link: Vec<String>,
        /// Planned downtime of the changed items (30m, 4h, 2d, 1h30m): simulate it.
        #[arg(long, value_name = "DURATION")]
        window: Option<String>,
        /// A requirement for changes that affect grade GRADE or a more critical one
        /// (repeat; replaces the default mapping).
        #[arg(long = "level", value_name = "GRADE=REQUIREMENT")]
        level: Vec<ripplemap::analysis::assess::LevelRule>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = AssessFormat::Md)]
        format: AssessFormat,
    },

    /// Compare two inventories: items added, removed and changed, blast radius, policy findings.
    ///
    /// Nodes, links, groups and policy settings are matched by id and compared field by
    /// field; for the nodes whose failure can reach a change, the single-failure blast
    /// radius before and after (count, by grade); policy findings new in NEW and resolved
    /// by NEW. OLD and NEW may be in different forms (a TOML file against a CSV
    /// directory). Exit code 1 when NEW introduces an error-level policy finding, so
    /// inventory changes can be gated in CI.
    #[command(after_help = "Examples:
  ripplemap diff inventories/korea-egov.toml inventories/korea-egov/    (no differences)
  ripplemap diff main/inventory.toml branch/inventory.toml
  ripplemap diff old.toml new.toml --format md > inventory-diff.md")]
    Diff {
        /// The inventory before the change.
        old: PathBuf,
        /// The inventory after the change.
        new: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
    },

    /// Failure blast radius: what goes down or degrades, when, and by which path.
    ///
    /// The failed nodes (and links) are lost at hour 0. A link is lost when its provider
    /// is down for longer than the link's tolerance; a consumer goes down when a group of
    /// its down-effect links is lost (a group of n with minimum k is lost after n-k+1 of its
    /// members). Degraded nodes lost redundancy or a soft link; they do not propagate.
    #[command(after_help = "Examples:
  ripplemap impact inventories/korea-egov.toml --fail gpki
  ripplemap impact inventories/korea-egov.toml --fail nirs-daejeon --hours 24
  ripplemap impact inventories/korea-egov.toml --fail-link saeol-login-gpki --format json
  ripplemap impact inventories/korea-egov.toml --fail-where site=nirs-daejeon")]
    Impact {
        /// The inventory.
        inventory: PathBuf,
        /// A node that fails at hour 0 (repeat, or separate with commas).
        #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
        fail: Vec<String>,
        /// A link that is lost at hour 0 (repeat for more).
        #[arg(long = "fail-link", value_name = "ID")]
        fail_link: Vec<String>,
        /// Fail every node matching FIELD=VALUE: site=ID (the site and what it hosts),
        /// agency=NAME, tag=TAG, kind=KIND (repeat: the union of the matches).
        #[arg(long = "fail-where", value_name = "FIELD=VALUE")]
        fail_where: Vec<String>,
        /// How long the outage lasts, in hours; without it the outage lasts for ever.
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Change blast radius: who depends on a changed system or link and must retest.
    ///
    /// Every node with a dependency path to a changed node is affected, whatever the
    /// redundancy or tolerance, with its shortest path. Direct consumers (depth 1) come
    /// first: they must be notified and must retest.
    #[command(after_help = "Examples:
  ripplemap change inventories/korea-egov.toml --system gpki
  ripplemap change inventories/korea-egov.toml --link saeol-login-gpki --format json")]
    Change {
        /// The inventory.
        inventory: PathBuf,
        /// A node whose interface changes (repeat, or separate with commas).
        #[arg(long = "system", value_name = "ID", value_delimiter = ',')]
        system: Vec<String>,
        /// A link that changes (repeat for more).
        #[arg(long = "link", value_name = "ID")]
        link: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Generate a synthetic, government-like inventory, the same for the same seed.
    ///
    /// Shared hubs with heavy fan-in, batch links with tolerances, k-of-n groups,
    /// active-active sites and some cycles: for benchmarks, demos and trying the tool at
    /// national scale.
    #[command(after_help = "Examples:
  ripplemap generate --nodes 50000 --links 500000 -o /tmp/national/
  ripplemap generate --nodes 200 --links 1500 --seed 7 --to toml -o small.toml
  ripplemap generate --nodes 50000 --links 500000 --loads -o /tmp/national/")]
    Generate {
        /// Number of nodes.
        #[arg(long, default_value_t = 5_000)]
        nodes: usize,
        /// Number of links, hosting links included.
        #[arg(long, default_value_t = 50_000)]
        links: usize,
        /// Seed of the pseudo-random source.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The form to write.
        #[arg(long, value_enum, default_value_t = InventoryForm::Csv)]
        to: InventoryForm,
        /// Where to write: a directory for csv, a file for toml and json (`-` for standard output).
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
        /// Also draw loads, capacities and calls (for `surge`): loads on public systems,
        /// capacities above every normal load, no load loop.
        #[arg(long)]
        loads: bool,
    },

    /// Draw the inventory, a failure or a change: Graphviz DOT, SVG, PNG, Mermaid or an HTML report.
    ///
    /// Without a scenario the whole inventory (or the neighbourhood given by --around) is
    /// drawn. With --fail/--fail-link (a failure) or --change-system/--change-link (a
    /// change), the affected nodes and their direct providers are drawn, coloured by
    /// state with the hour each goes down, witness paths in red; the other nodes are
    /// counted in dashed summary boxes (--full draws them all). Diagrams of more than
    /// 5,000 nodes are refused: narrow them with --around or a scenario. SVG, PNG and
    /// HTML are refused above 1,000 nodes or links, which Graphviz needs minutes to lay out.
    ///
    /// SVG, PNG and HTML need Graphviz (`apt-get install graphviz fonts-noto-cjk`; the
    /// font draws Hangul). Without it the DOT is written instead (to PATH with the
    /// extension .dot, or to standard output) and the exit code is 3. The format defaults
    /// to the extension of -o PATH, else dot. Exit code 2 for bad arguments or ids.
    #[command(after_help = "Examples:
  ripplemap render inventories/korea-egov.toml -o map.svg
  ripplemap render inventories/korea-egov.toml --fail gpki --format html -o gpki.html
  ripplemap render inventories/korea-egov.toml --fail nirs-daejeon --hours 24 -o fire.png
  ripplemap render inventories/korea-egov.toml --change-system share-center --format mermaid
  ripplemap render inventories/korea-egov.toml --around gpki --depth 1 --cluster agency
  out/render.sh                                  (regenerates the examples in out/)")]
    Render {
        /// The inventory.
        inventory: PathBuf,
        /// A node that fails at hour 0 (repeat, or separate with commas).
        #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
        fail: Vec<String>,
        /// A link that is lost at hour 0 (repeat for more).
        #[arg(long = "fail-link", value_name = "ID")]
        fail_link: Vec<String>,
        /// How long the outage lasts, in hours (with --fail or --fail-link).
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// A node whose interface changes (repeat, or separate with commas).
        #[arg(
            long = "change-system",
            value_name = "ID",
            value_delimiter = ',',
            conflicts_with_all = ["fail", "fail_link", "hours"]
        )]
        change_system: Vec<String>,
        /// A link that changes (repeat for more).
        #[arg(
            long = "change-link",
            value_name = "ID",
            conflicts_with_all = ["fail", "fail_link", "hours"]
        )]
        change_link: Vec<String>,
        /// Draw a surge (ID=xFACTOR or ID=+RATE, repeatable; with --fail, failures first):
        /// the nodes with added load coloured by utilization, the paths that bring it.
        #[arg(
            long = "surge",
            value_name = "ID=xFACTOR|ID=+RATE",
            conflicts_with_all = ["change_system", "change_link", "hours"]
        )]
        surge: Vec<ripplemap::analysis::surge::At>,
        /// Draw only the nodes within --depth links of this node (either direction).
        #[arg(long, value_name = "ID")]
        around: Option<String>,
        /// How many links away from --around to draw.
        #[arg(long, value_name = "N", requires = "around", default_value_t = 1)]
        depth: u32,
        /// Group nodes in boxes by hosting site, by agency, or not at all.
        #[arg(long, value_enum, default_value_t = ClusterBy::Site)]
        cluster: ClusterBy,
        /// With a scenario, draw every node instead of collapsing the unaffected ones.
        #[arg(long)]
        full: bool,
        /// Output format (default: from the extension of -o, else dot).
        #[arg(long, value_enum)]
        format: Option<DiagramFormat>,
        /// Where to write (default: standard output; png needs a file).
        #[arg(short, long, value_name = "PATH")]
        output: Option<PathBuf>,
    },

    /// Write an inventory in another form (TOML, JSON or a CSV directory), losslessly.
    #[command(after_help = "Examples:
  ripplemap convert inventories/korea-egov.toml --to csv -o inventories/korea-egov/
  ripplemap convert inventories/korea-egov/ --to json -o korea-egov.json")]
    Convert {
        /// The inventory to read.
        inventory: PathBuf,
        /// The form to write.
        #[arg(long, value_enum)]
        to: InventoryForm,
        /// Where to write: a file for toml and json (`-` for standard output), a directory for csv.
        #[arg(short, long, value_name = "PATH")]
        output: PathBuf,
    },

    /// Rank every node by the blast radius of its failure alone; mark single points of failure.
    ///
    /// Each node fails alone; its score is the grade-weighted count of the other nodes that
    /// go down (weights per grade, default 1=100,2=30,3=10,4=1, ungraded 1). A single point
    /// of failure takes down a grade 1 system other than itself. Runs on every core.
    #[command(after_help = "Examples:
  ripplemap rank inventories/korea-egov.toml --top 10
  ripplemap rank inventories/korea-egov.toml --hours 24 --weights 1=1000,2=100
  ripplemap rank national/ --format csv --quiet > rank.csv")]
    Rank {
        /// The inventory.
        inventory: PathBuf,
        /// How long each outage lasts, in hours; without it outages last for ever.
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// Show only the first N nodes.
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Weight per grade: GRADE=WEIGHT, comma-separated (1..4 or ungraded).
        #[arg(long, value_name = "1=100,2=30,3=10,4=1", value_parser = parse_weights)]
        weights: Option<ripplemap::analysis::Weights>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },

    /// Blast radius of each site failing alone and of each pair, of each node of a kind, or of an agency.
    ///
    /// --sites: every site alone, then every pair of sites, with what only the pair takes
    /// down (systems active-active on both). --kind KIND: every node of that kind alone.
    /// --agency NAME: all nodes of the agency at once (repeat for several agencies).
    #[command(after_help = "Examples:
  ripplemap scenarios inventories/korea-egov.toml --sites
  ripplemap scenarios inventories/korea-egov.toml --kind service --top 5
  ripplemap scenarios inventories/korea-egov.toml --agency MOIS --agency NTS --format json")]
    Scenarios {
        /// The inventory.
        inventory: PathBuf,
        /// Every site alone and every pair of sites.
        #[arg(long, conflicts_with_all = ["kind", "agency"], required_unless_present_any = ["kind", "agency"])]
        sites: bool,
        /// Every node of this kind alone (system, service, site, network, external).
        #[arg(long, value_name = "KIND", conflicts_with = "agency")]
        kind: Option<String>,
        /// All nodes of this agency at once (repeat for several).
        #[arg(long, value_name = "NAME")]
        agency: Vec<String>,
        /// How long each outage lasts, in hours; without it outages last for ever.
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// Show only the N worst single scenarios (and the N worst pairs).
        #[arg(long, value_name = "N")]
        top: Option<usize>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Table)]
        format: TableFormat,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },

    /// Minimal sets of at most N nodes whose joint failure takes a target down.
    ///
    /// Smallest first: how many independent failures the target survives. Every cut
    /// reported takes the target down (outage lasting for ever) and no proper subset of it
    /// does. The target itself is not counted.
    #[command(after_help = "Examples:
  ripplemap cuts inventories/korea-egov.toml --target gov24
  ripplemap cuts inventories/korea-egov.toml --target saeol --max 3 --format json")]
    Cuts {
        /// The inventory.
        inventory: PathBuf,
        /// The node to take down.
        #[arg(long, value_name = "ID")]
        target: String,
        /// The largest cut size searched.
        #[arg(long, value_name = "N", default_value_t = 3)]
        max: usize,
        /// List at most N cuts (the smallest first); up to 100 times as many are counted.
        #[arg(long, value_name = "N", default_value_t = ripplemap::analysis::cuts::DEFAULT_LIMIT)]
        limit: usize,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
    },

    /// Recovery plan for a failure: waves in dependency order, grade 1 first within a wave.
    ///
    /// Every down system waits for its down providers (down-effect links); dependency
    /// cycles are restored together and flagged.
    #[command(after_help = "Examples:
  ripplemap recover inventories/korea-egov.toml --fail nirs-daejeon
  ripplemap recover inventories/korea-egov.toml --fail-where site=nirs-daejeon --format json")]
    Recover {
        /// The inventory.
        inventory: PathBuf,
        /// A node that fails at hour 0 (repeat, or separate with commas).
        #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
        fail: Vec<String>,
        /// Fail every node matching FIELD=VALUE (site=, agency=, tag=, kind=; repeatable).
        #[arg(long = "fail-where", value_name = "FIELD=VALUE")]
        fail_where: Vec<String>,
        /// How long the outage lasts, in hours; without it the outage lasts for ever.
        #[arg(long, value_name = "H")]
        hours: Option<f64>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// Surge: which providers saturate when requests to some systems jump, by which path, and the headroom.
    ///
    /// Each node's outside `load` (requests per second on a normal day) is multiplied
    /// (--at ID=xFACTOR) or raised (--at ID=+RATE) and summed down the links that carry
    /// load (`calls` per request; alternatives of a group share their consumer's load and
    /// survivors take over a failed member's part). Failures come first (--fail as in
    /// impact, no horizon): a down node serves and sends nothing. Lists every node that
    /// receives added load, saturated ones first with utilization as a bar, and the
    /// headroom: how many times the added load fits before the first node saturates.
    /// --cascade fails the saturated nodes and shows what goes down with them. Exit code 2
    /// when the links that carry load form a loop (set `calls = 0` on one of its links).
    #[command(after_help = "Examples:
  ripplemap surge inventories/korea-egov.toml --at vaccine-booking=x10
  ripplemap surge inventories/korea-egov.toml --at vaccine-booking=x10 --at gov24=+5000 --cascade
  ripplemap surge inventories/korea-egov.toml --at gov24=x3 --fail simple-auth-kakao --format json")]
    Surge {
        /// The inventory.
        inventory: PathBuf,
        /// A surge: ID=xFACTOR multiplies the node's outside load, ID=+RATE adds requests
        /// per second (repeat for more nodes).
        #[arg(long = "at", value_name = "ID=xFACTOR|ID=+RATE", required = true)]
        at: Vec<ripplemap::analysis::surge::At>,
        /// A node that is down (repeat, or separate with commas).
        #[arg(long = "fail", value_name = "ID", value_delimiter = ',')]
        fail: Vec<String>,
        /// A link that is lost (repeat for more): the other members of its group take over.
        #[arg(long = "fail-link", value_name = "ID")]
        fail_link: Vec<String>,
        /// Fail every node matching FIELD=VALUE: site=ID, agency=NAME, tag=TAG, kind=KIND
        /// (repeat: the union of the matches).
        #[arg(long = "fail-where", value_name = "FIELD=VALUE")]
        fail_where: Vec<String>,
        /// Take the saturated nodes as failed and show what goes down with them.
        #[arg(long)]
        cascade: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
        format: OutputFormat,
    },

    /// The interactive what-if explorer: a local web page over the inventory.
    ///
    /// Search systems by id or name, fail nodes, sites, agencies or links, move the outage
    /// length, see who goes down when and why (table and layered graph), switch to a
    /// change, export Markdown, JSON or SVG. Read-only, on 127.0.0.1 by default; the page
    /// is in the binary (no internet needed). The inventory is reloaded when its files
    /// change; a version that does not load is reported on the page while the last good
    /// one is still served. The JSON API is described in the README.
    #[command(after_help = "Examples:
  ripplemap serve inventories/korea-egov.toml --open
  ripplemap serve national/ --bind 127.0.0.1:9000 --lang en")]
    Serve {
        /// The inventory.
        inventory: PathBuf,
        /// Address and port to listen on (port 0 picks a free one).
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
        bind: std::net::SocketAddr,
        /// Open the page in the browser.
        #[arg(long)]
        open: bool,
        /// The page's language, ko or en (default: the browser's).
        #[arg(long, value_name = "ko|en")]
        lang: Option<ripplemap::serve::Lang>,
    },
}

/// Output format of `rank` and `scenarios`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Tables for people.
    Table,
    /// JSON for machines.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// Parses `--weights`.
fn parse_weights(s: &str) -> Result<ripplemap::analysis::Weights, String> {
    s.parse()
}
