//! The command line: clap types (here and in [`args`], [`value_enums`]) with their help
//! texts and examples, and the dispatch of each subcommand to its function in
//! `ripplemap::commands`. Clap stops here: the library sees only its own option types.

mod args;
mod value_enums;

use std::io::{IsTerminal, Read, Write};

use clap::{Parser, Subcommand};
use ripplemap::cache::Cache;
use ripplemap::commands::{self, Io};
use ripplemap::error::Error;
use ripplemap::render::Style;

use args::*;
use ripplemap::inventory::LoadOptions;
use ripplemap::lang::Lang;
use value_enums::{ColorChoice, EncodingArg, LangArg};

/// If this system fails or changes, what else breaks, when, and why?
///
/// ripplemap reads an interconnection inventory (a .toml, .json or .xlsx file, a directory
/// of CSV files exported from a spreadsheet in UTF-8 or CP949, or `-` for standard input;
/// the format is in docs/inventory.md) and computes the blast radius of failures and
/// changes.
#[derive(Debug, Parser)]
#[command(name = "ripplemap", version, propagate_version = true)]
#[command(after_help = after_help())]
pub struct Cli {
    /// When to colour tables: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// The encoding of CSV inventories: utf-8, cp949 or euc-kr. Without it a CSV file is
    /// read as UTF-8, or as CP949 with a warning when it is not UTF-8 but is CP949.
    #[arg(long, global = true, value_enum, value_name = "ENCODING")]
    pub encoding: Option<EncodingArg>,

    /// The language of tables, documents, diagrams and messages: ko or en. Default: from
    /// LC_ALL, LC_MESSAGES or LANG (ko_KR.UTF-8 -> ko), else en. JSON and SARIF are the
    /// same in both. `serve` without it starts in the browser's language.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "ko|en",
        ignore_case = true
    )]
    pub lang: Option<LangArg>,

    /// Load inventories from their files without the compiled index cache (neither read
    /// nor written). The cache is in $RIPPLEMAP_CACHE_DIR, else $XDG_CACHE_HOME/ripplemap
    /// or ~/.cache/ripplemap; `ripplemap cache clear` empties it.
    #[arg(long, global = true)]
    pub no_cache: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The examples and the exit codes, after the top-level help.
fn after_help() -> String {
    format!(
        "Examples:
  ripplemap check inventories/korea-egov.toml
  ripplemap impact inventories/korea-egov.toml --fail gpki
  ripplemap change inventories/korea-egov.toml --system share-center

{}",
        ripplemap::exit_code::HELP
    )
}

impl Cli {
    /// The language of the output: `--lang`, else the environment's.
    pub fn lang(&self) -> Lang {
        self.lang.map(Lang::from).unwrap_or_else(Lang::from_env)
    }

    /// Runs the command, reading an inventory given as `-` from `stdin`, writing its data
    /// to `out` and its warnings to `err`; returns the exit code.
    pub fn run(
        self,
        stdin: &mut dyn Read,
        out: &mut dyn Write,
        err: &mut dyn Write,
    ) -> Result<u8, Error> {
        let chosen = self.lang.map(Lang::from);
        let mut io = Io {
            stdin,
            out,
            err,
            style: style(self.color, chosen.unwrap_or_else(Lang::from_env)),
            load: LoadOptions {
                encoding: self.encoding.map(Into::into),
            },
            cache: if self.no_cache {
                Cache::disabled()
            } else {
                Cache::from_env()
            },
            // `run` is the whole process: its large values need not be freed.
            exit_after: true,
        };
        self.command.run(&mut io, chosen)
    }
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
    Check(CheckArgs),

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
    Assess(AssessArgs),

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
    Diff(DiffArgs),

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
    Impact(ImpactArgs),

    /// Change blast radius: who depends on a changed system or link and must retest.
    ///
    /// Every node with a dependency path to a changed node is affected, whatever the
    /// redundancy or tolerance, with its shortest path. Direct consumers (depth 1) come
    /// first: they must be notified and must retest.
    #[command(after_help = "Examples:
  ripplemap change inventories/korea-egov.toml --system gpki
  ripplemap change inventories/korea-egov.toml --link saeol-login-gpki --format json")]
    Change(ChangeArgs),

    /// Generate a synthetic, government-like inventory, the same for the same seed.
    ///
    /// Shared hubs with heavy fan-in, batch links with tolerances, k-of-n groups,
    /// active-active sites and some cycles: for benchmarks, demos and trying the tool at
    /// national scale.
    #[command(after_help = "Examples:
  ripplemap generate --nodes 50000 --links 500000 -o /tmp/national/
  ripplemap generate --nodes 200 --links 1500 --seed 7 --to toml -o small.toml
  ripplemap generate --nodes 50000 --links 500000 --loads -o /tmp/national/")]
    Generate(GenerateArgs),

    /// Draw the inventory, a failure or a change: Graphviz DOT, SVG, PNG, Mermaid or an HTML report.
    ///
    /// Without a scenario the whole inventory (or the neighbourhood given by --around) is
    /// drawn. With --fail/--fail-link/--fail-where (a failure) or --change-system/--change-link (a
    /// change), the affected nodes and their direct providers are drawn, coloured by
    /// state with the hour each goes down, witness paths in red; the other nodes are
    /// counted in dashed summary boxes (--full draws them all). With --surge (a surge,
    /// after the failures of --fail if any), the nodes that receive added load are drawn
    /// coloured by utilization, with the paths that bring it. Diagrams of more than
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
    Render(RenderArgs),

    /// Write an inventory in another form (TOML, JSON, a CSV directory or an XLSX workbook), losslessly, or export it to a graph engine (GraphML, Neo4j).
    ///
    /// CSV files start with a UTF-8 byte-order mark so that Korean Excel opens them
    /// correctly (--no-bom leaves it out). A workbook has a sheet per table (시스템, 연계,
    /// 그룹, 정책) with Korean headers and keywords (--english for the English ones), a
    /// frozen header row and drop-down lists for the keyword columns.
    ///
    /// graphml: one file for networkx, Gephi, yEd or igraph. neo4j: a directory with
    /// nodes.csv and relationships.csv for `neo4j-admin database import` (import.sh runs
    /// it) and queries.cypher, the Cypher of `change` and of single points of failure.
    /// Both carry every field; an edge goes from consumer to provider. They are not read
    /// back.
    #[command(after_help = "Examples:
  ripplemap convert inventories/korea-egov.toml --to csv -o inventories/korea-egov/
  ripplemap convert inventories/korea-egov/ --to json -o korea-egov.json
  ripplemap convert inventories/korea-egov.toml --to xlsx -o korea-egov.xlsx
  ripplemap convert excel-export/ --encoding cp949 --to toml -o inventory.toml
  ripplemap convert national/ --to graphml -o national.graphml
  ripplemap convert national/ --to neo4j -o national-neo4j/")]
    Convert(ConvertArgs),

    /// Rank every node by the blast radius of its failure alone; mark single points of failure.
    ///
    /// Each node fails alone; its score is the grade-weighted count of the other nodes that
    /// go down (weights per grade, default 1=100,2=30,3=10,4=1, ungraded 1). A single point
    /// of failure takes down a grade 1 system other than itself. Runs on every core.
    #[command(after_help = "Examples:
  ripplemap rank inventories/korea-egov.toml --top 10
  ripplemap rank inventories/korea-egov.toml --hours 24 --weights 1=1000,2=100
  ripplemap rank national/ --format csv --quiet > rank.csv")]
    Rank(RankArgs),

    /// Blast radius of each site failing alone and of each pair, of each node of a kind, or of an agency.
    ///
    /// --sites: every site alone, then every pair of sites, with what only the pair takes
    /// down (systems active-active on both). --kind KIND: every node of that kind alone.
    /// --agency NAME: all nodes of the agency at once (repeat for several agencies).
    #[command(after_help = "Examples:
  ripplemap scenarios inventories/korea-egov.toml --sites
  ripplemap scenarios inventories/korea-egov.toml --kind service --top 5
  ripplemap scenarios inventories/korea-egov.toml --agency MOIS --agency NTS --format json")]
    Scenarios(ScenariosArgs),

    /// Minimal sets of at most N nodes whose joint failure takes a target down.
    ///
    /// Smallest first: how many independent failures the target survives. Every cut
    /// reported takes the target down (outage lasting for ever) and no proper subset of it
    /// does. The target itself is not counted.
    #[command(after_help = "Examples:
  ripplemap cuts inventories/korea-egov.toml --target gov24
  ripplemap cuts inventories/korea-egov.toml --target saeol --max 3 --format json")]
    Cuts(CutsArgs),

    /// Recovery timeline for a failure: when each down system is back, which grade misses its target.
    ///
    /// Every node that goes down is down from hour 0. A node is ready when each of its
    /// down-effect groups has at least `min` members whose provider is up (outside the
    /// failure, back, or in the same dependency cycle); it is back at once when its
    /// `restore` is 0, else after `restore` hours of one crew's work. With --crews N at most
    /// N restorations run at once, the most urgent first (the most critical grade among
    /// the node and everything waiting for it), then the earliest ready, then by id.
    /// --rto GRADE=DURATION sets a grade's recovery-time target (the inventory's
    /// [recovery] table sets them too; the option wins). The table lists every node by
    /// back time with its down, ready, start and back times, then a summary per grade and
    /// the chain of waits that holds the last system up (and each --why ID). Several crew
    /// counts (--crews 2,4,8) compare when all are back and the grade 1 breaches. JSON
    /// keeps the waves (dependency order, grade 1 first within a wave, cycles restored
    /// together) and adds the times; SVG draws systems back over time per grade. A lost
    /// link (--fail-link) is taken as repaired at hour 0: its consumer waits only for the
    /// nodes that went down.
    #[command(after_help = "Examples:
  ripplemap recover inventories/korea-egov.toml --fail nirs-daejeon
  ripplemap recover inventories/korea-egov.toml --fail-where site=nirs-daejeon --crews 8 --rto 1=3d
  ripplemap recover inventories/korea-egov.toml --fail-where site=nirs-daejeon --crews 2,4,8,16
  ripplemap recover inventories/korea-egov.toml --fail gpki --why gov24 --format json
  ripplemap recover inventories/korea-egov.toml --fail-where site=nirs-daejeon --format svg > fire.svg")]
    Recover(RecoverArgs),

    /// Surge: which providers saturate when requests to some systems jump, by which path, and the headroom.
    ///
    /// Each node's outside `load` (requests per second on a normal day) is multiplied
    /// (--at ID=xFACTOR) or raised (--at ID=+RATE) and summed down the links that carry
    /// load (`calls` per request; alternatives of a group share their consumer's load and
    /// survivors take over a failed member's part). Failures come first (--fail,
    /// --fail-link, --fail-where as in impact; no --hours): a down node serves and sends
    /// nothing. Lists every node that receives added load, saturated ones first with
    /// utilization as a bar, and the headroom: how many times the added load fits before
    /// the first node saturates. --cascade fails the saturated nodes and shows what goes
    /// down with them. Exit code 2 when the links that carry load form a loop (set
    /// `calls = 0` on one of its links).
    #[command(after_help = "Examples:
  ripplemap surge inventories/korea-egov.toml --at vaccine-booking=x10
  ripplemap surge inventories/korea-egov.toml --at vaccine-booking=x10 --at gov24=+5000 --cascade
  ripplemap surge inventories/korea-egov.toml --at gov24=x3 --fail simple-auth-kakao --format json")]
    Surge(SurgeArgs),

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
    Serve(ServeArgs),

    /// Print the JSON Schema of the inventory or of a command's JSON document.
    ///
    /// The same schemas are in the repository's schemas/ folder. `inventory` validates
    /// a hand-written TOML or JSON inventory in an editor; the others describe the JSON
    /// documents, each of which says its shape in its first key, "format":
    /// "ripplemap.<command>/1" (keys are only added within a version).
    #[command(after_help = "Examples:
  ripplemap schema inventory > inventory.schema.json
  ripplemap schema impact")]
    Schema(SchemaArgs),

    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    ///
    /// Completes subcommands, options and their values (formats, states, schema names).
    #[command(after_help = "Examples:
  bash:       ripplemap completions bash > ~/.local/share/bash-completion/completions/ripplemap
  zsh:        ripplemap completions zsh > \"${fpath[1]}/_ripplemap\"
  fish:       ripplemap completions fish > ~/.config/fish/completions/ripplemap.fish
  powershell: ripplemap completions powershell >> $PROFILE")]
    Completions(CompletionsArgs),

    /// Print the man page, or write one page per subcommand to a directory.
    #[command(after_help = "Examples:
  ripplemap man > ~/.local/share/man/man1/ripplemap.1        (then: man ripplemap)
  ripplemap man --dir ~/.local/share/man/man1                (ripplemap-impact.1 and the others too)")]
    Man(ManArgs),

    /// The compiled index cache: where it is (`cache dir`), and emptying it (`cache clear`).
    ///
    /// The first run of a command on an inventory writes a compact binary index of it to
    /// the cache directory, keyed by the content of its files and ripplemap's version;
    /// later runs on the same content read it instead of parsing and validating the files
    /// again. Files that stat as they did when last hashed (inode, length, modification
    /// and status-change times) are not read again: a small stamp beside the indexes keeps
    /// their key. An index that is damaged, of another version or half-written is ignored
    /// and written again. --no-cache (on any command) bypasses the cache. The directory is
    /// $RIPPLEMAP_CACHE_DIR, else $XDG_CACHE_HOME/ripplemap, else ~/.cache/ripplemap.
    #[command(after_help = "Examples:
  ripplemap cache dir
  ripplemap cache clear
  ripplemap impact national/ --fail svc-001 --no-cache")]
    Cache(CacheArgs),
}

impl Command {
    /// Runs the subcommand: its arguments become the options of its library function.
    fn run(self, io: &mut Io, lang: Option<Lang>) -> Result<u8, Error> {
        match self {
            Command::Check(a) => commands::check(&a.into(), io),
            Command::Assess(a) => commands::assess(&a.into(), io),
            Command::Diff(a) => commands::diff(&a.into(), io),
            Command::Impact(a) => commands::impact(&a.into(), io),
            Command::Change(a) => commands::change(&a.into(), io),
            Command::Generate(a) => commands::generate(&a.into(), io),
            Command::Render(a) => commands::render(&a.into(), io),
            Command::Convert(a) => commands::convert(&a.into(), io),
            Command::Rank(a) => commands::rank(&a.into(), io),
            Command::Scenarios(a) => commands::scenarios(&a.into(), io),
            Command::Cuts(a) => commands::cuts(&a.into(), io),
            Command::Recover(a) => commands::recover(&a.into(), io),
            Command::Surge(a) => commands::surge(&a.into(), io),
            Command::Serve(a) => {
                let mut opts = a.into_options(lang);
                // Read as every other command reads: the same encoding, the same cache.
                opts.load = io.load.clone();
                opts.cache = io.cache.clone();
                commands::serve(opts)
            }
            Command::Schema(a) => commands::schema(&a.into(), io),
            // About the command line itself: generated from the clap definition, here.
            Command::Completions(a) => {
                let mut cmd = <Cli as clap::CommandFactory>::command();
                clap_complete::generate(a.shell, &mut cmd, "ripplemap", io.out);
                Ok(ripplemap::exit_code::OK)
            }
            Command::Man(a) => man(a, io),
            Command::Cache(a) => commands::cache(&a.into(), io),
        }
    }
}

/// `man`: the top-level page to standard output, or every page into a directory.
fn man(a: ManArgs, io: &mut Io) -> Result<u8, Error> {
    let cmd = <Cli as clap::CommandFactory>::command();
    match a.dir {
        None => clap_mangen::Man::new(cmd)
            .render(io.out)
            .map_err(Error::Output)?,
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
            clap_mangen::generate_to(cmd, &dir).map_err(|source| Error::Write {
                path: dir.clone(),
                source,
            })?;
        }
    }
    Ok(ripplemap::exit_code::OK)
}

/// Colour on a terminal unless NO_COLOR is set (or as `--color` says); tables as wide as
/// the terminal (its own width, else `COLUMNS`, else 120), never wrapped when not on a
/// terminal.
fn style(choice: ColorChoice, lang: Lang) -> Style {
    let stdout = std::io::stdout();
    let tty = stdout.is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && !no_color,
    };
    let width = tty.then(|| {
        terminal_size::terminal_size_of(&stdout)
            .map(|(w, _)| w.0)
            .filter(|&w| w > 0)
            .or_else(|| {
                std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.trim().parse().ok())
                    .filter(|&w: &u16| w > 0)
            })
            .unwrap_or(120)
    });
    Style { color, width, lang }
}
