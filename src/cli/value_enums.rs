//! The values of the command line's enumerated options, each converted into the library
//! type it stands for (clap stays in the binary).

use clap::ValueEnum;
use ripplemap::commands::{
    AssessFormat, CheckFormat, DiagramFormat, DiffFormat, InventoryForm, ListFormat, RecoverFormat,
    ReportFormat,
};
use ripplemap::engine::{PathMode, State};
use ripplemap::inventory::{Encoding, Form, NodeKind};
use ripplemap::view::Cluster;

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
    /// JSON for machines (the fields are described in docs/semantics.md).
    Json,
}

impl From<OutputFormat> for ReportFormat {
    fn from(f: OutputFormat) -> Self {
        match f {
            OutputFormat::Table => ReportFormat::Table,
            OutputFormat::Json => ReportFormat::Json,
        }
    }
}

/// Output format of `recover`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RecoverFormatArg {
    /// Tables for people.
    Table,
    /// JSON for machines (the fields are described in docs/semantics.md).
    Json,
    /// An SVG chart of systems back over time per grade, with the targets.
    Svg,
}

impl From<RecoverFormatArg> for RecoverFormat {
    fn from(f: RecoverFormatArg) -> Self {
        match f {
            RecoverFormatArg::Table => RecoverFormat::Table,
            RecoverFormatArg::Json => RecoverFormat::Json,
            RecoverFormatArg::Svg => RecoverFormat::Svg,
        }
    }
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormatArg {
    /// The summary and the policy findings for people.
    Table,
    /// JSON: validity, statistics and policy findings.
    Json,
    /// SARIF 2.1.0 policy findings, for code review tools.
    Sarif,
}

impl From<CheckFormatArg> for CheckFormat {
    fn from(f: CheckFormatArg) -> Self {
        match f {
            CheckFormatArg::Table => CheckFormat::Table,
            CheckFormatArg::Json => CheckFormat::Json,
            CheckFormatArg::Sarif => CheckFormat::Sarif,
        }
    }
}

/// Output format of `assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AssessFormatArg {
    /// A Markdown document.
    Md,
    /// JSON for machines.
    Json,
}

impl From<AssessFormatArg> for AssessFormat {
    fn from(f: AssessFormatArg) -> Self {
        match f {
            AssessFormatArg::Md => AssessFormat::Markdown,
            AssessFormatArg::Json => AssessFormat::Json,
        }
    }
}

/// Output format of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormatArg {
    /// Tables for people.
    Table,
    /// JSON for machines.
    Json,
    /// Markdown for a merge request.
    Md,
}

impl From<DiffFormatArg> for DiffFormat {
    fn from(f: DiffFormatArg) -> Self {
        match f {
            DiffFormatArg::Table => DiffFormat::Table,
            DiffFormatArg::Json => DiffFormat::Json,
            DiffFormatArg::Md => DiffFormat::Markdown,
        }
    }
}

/// Form to convert an inventory to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormArg {
    /// One .toml file.
    Toml,
    /// One .json file.
    Json,
    /// A directory with systems.csv, links.csv and groups.csv.
    Csv,
    /// One .xlsx workbook (Korean sheet names and headers unless --english).
    Xlsx,
    /// GraphML for networkx, Gephi, yEd, igraph (export only).
    Graphml,
    /// A directory for neo4j-admin import: nodes.csv, relationships.csv, queries.cypher,
    /// import.sh (export only).
    Neo4j,
}

impl From<InventoryFormArg> for InventoryForm {
    fn from(f: InventoryFormArg) -> Self {
        match f {
            InventoryFormArg::Toml => InventoryForm::Toml,
            InventoryFormArg::Json => InventoryForm::Json,
            InventoryFormArg::Csv => InventoryForm::Csv,
            InventoryFormArg::Xlsx => InventoryForm::Xlsx,
            InventoryFormArg::Graphml => InventoryForm::Graphml,
            InventoryFormArg::Neo4j => InventoryForm::Neo4j,
        }
    }
}

/// The encoding of CSV files to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// UTF-8, with or without a byte-order mark.
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// CP949, what Korean Excel saves CSV in (a superset of EUC-KR).
    #[value(name = "cp949", alias = "ms949")]
    Cp949,
    /// EUC-KR, read as CP949.
    #[value(name = "euc-kr", alias = "euckr")]
    EucKr,
}

impl From<EncodingArg> for Encoding {
    fn from(e: EncodingArg) -> Self {
        match e {
            EncodingArg::Utf8 => Encoding::Utf8,
            EncodingArg::Cp949 | EncodingArg::EucKr => Encoding::Cp949,
        }
    }
}

/// Diagram format of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiagramFormatArg {
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

impl From<DiagramFormatArg> for DiagramFormat {
    fn from(f: DiagramFormatArg) -> Self {
        match f {
            DiagramFormatArg::Dot => DiagramFormat::Dot,
            DiagramFormatArg::Svg => DiagramFormat::Svg,
            DiagramFormatArg::Png => DiagramFormat::Png,
            DiagramFormatArg::Mermaid => DiagramFormat::Mermaid,
            DiagramFormatArg::Html => DiagramFormat::Html,
        }
    }
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

impl From<ClusterBy> for Cluster {
    fn from(c: ClusterBy) -> Self {
        match c {
            ClusterBy::Site => Cluster::Site,
            ClusterBy::Agency => Cluster::Agency,
            ClusterBy::None => Cluster::None,
        }
    }
}

/// Output format of `impact`, `change`, `rank` and `scenarios`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Tables for people.
    Table,
    /// JSON for machines.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

impl From<TableFormat> for ListFormat {
    fn from(f: TableFormat) -> Self {
        match f {
            TableFormat::Table => ListFormat::Table,
            TableFormat::Json => ListFormat::Json,
            TableFormat::Csv => ListFormat::Csv,
        }
    }
}

/// A kind of node, for `scenarios --kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NodeKindArg {
    /// An information system.
    System,
    /// A shared component: authentication, document hub, sharing centre.
    Service,
    /// A data centre or hall.
    Site,
    /// A network or network device.
    Network,
    /// Something outside the government's control (private providers, banks).
    External,
}

impl From<NodeKindArg> for NodeKind {
    fn from(k: NodeKindArg) -> Self {
        match k {
            NodeKindArg::System => NodeKind::System,
            NodeKindArg::Service => NodeKind::Service,
            NodeKindArg::Site => NodeKind::Site,
            NodeKindArg::Network => NodeKind::Network,
            NodeKindArg::External => NodeKind::External,
        }
    }
}

/// How `--format json` writes witness paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathsArg {
    /// Each row's whole path, `"path": ["gpki", "saeol", ...]`.
    Full,
    /// Each row's predecessor on its path, `"via": "saeol"` (null for a failed or changed
    /// node): output linear in the rows, from which every path can be rebuilt.
    Via,
}

impl From<PathsArg> for PathMode {
    fn from(p: PathsArg) -> Self {
        match p {
            PathsArg::Full => PathMode::Full,
            PathsArg::Via => PathMode::Via,
        }
    }
}

/// The language of the output for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// Korean (한국어).
    #[value(alias = "kr", alias = "korean", alias = "한국어")]
    Ko,
    /// English.
    #[value(alias = "english")]
    En,
}

impl From<LangArg> for ripplemap::lang::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::Ko => ripplemap::lang::Lang::Ko,
            LangArg::En => ripplemap::lang::Lang::En,
        }
    }
}

/// The form of an inventory, for `--input-format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// TOML.
    Toml,
    /// JSON.
    Json,
    /// CSV: a directory (the tables one by one: --systems, --links).
    Csv,
    /// An Excel workbook.
    Xlsx,
}

impl From<InputFormatArg> for Form {
    fn from(f: InputFormatArg) -> Self {
        match f {
            InputFormatArg::Toml => Form::Toml,
            InputFormatArg::Json => Form::Json,
            InputFormatArg::Csv => Form::Csv,
            InputFormatArg::Xlsx => Form::Xlsx,
        }
    }
}

/// A state of an affected node, for `--state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    /// Stops working (failed nodes included).
    Down,
    /// Keeps working with less function or redundancy.
    Degraded,
}

impl From<StateArg> for State {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Down => State::Down,
            StateArg::Degraded => State::Degraded,
        }
    }
}
