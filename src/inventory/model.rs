//! The inventory model: nodes, links and redundancy groups as docs/inventory.md defines them.

use crate::grade::Grade;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;

/// Where an item was written: file and 1-based line (and sheet, in a workbook). Not part of
/// the model's equality, so the same inventory written in any form compares equal.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The file the item came from.
    pub file: Arc<PathBuf>,
    /// 1-based line of the item (its table, object or CSV row; its row in a sheet).
    pub line: usize,
    /// The sheet of a workbook (XLSX) the item is on; `None` for the text forms.
    pub sheet: Option<Arc<Sheet>>,
}

/// A sheet of a workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Its name, as the workbook spells it.
    pub name: Arc<str>,
    /// Its position in the workbook.
    pub index: u32,
}

impl PartialEq for Origin {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.sheet {
            Some(s) => write!(
                f,
                "{}: {}!{}:{}",
                self.file.display(),
                s.name,
                self.line,
                self.line
            ),
            None => write!(f, "{}:{}", self.file.display(), self.line),
        }
    }
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum NodeKind {
    /// An information system (the default).
    #[default]
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

/// What a link carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// An application interface (the default).
    #[default]
    Interface,
    /// Runs on a site.
    Hosting,
    /// Reaches through a network.
    Network,
}

/// How a link is used; informational, the semantics are in the tolerance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Real-time (the default).
    #[default]
    Sync,
    /// Batch or queued.
    Async,
}

/// What losing a dependency does to the consumer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// The consumer stops (the default).
    #[default]
    Down,
    /// The consumer keeps running with less function.
    Degraded,
}

macro_rules! keyword_enum {
    ($ty:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $ty {
            /// Every accepted spelling, in documentation order.
            pub const WORDS: &'static [&'static str] = &[$($word),+];

            /// The keyword as written in an inventory.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }

            /// Parses the keyword as written in an inventory.
            pub fn parse(word: &str) -> Option<Self> {
                match word { $($word => Some($ty::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

keyword_enum!(NodeKind { System => "system", Service => "service", Site => "site", Network => "network", External => "external" });
keyword_enum!(LinkKind { Interface => "interface", Hosting => "hosting", Network => "network" });
keyword_enum!(Mode { Sync => "sync", Async => "async" });
keyword_enum!(Effect { Down => "down", Degraded => "degraded" });
keyword_enum!(Severity { Error => "error", Warning => "warning", Off => "off" });

/// How a policy rule's findings count: `error` fails `check` (exit code 1), `warning` is
/// reported only, `off` silences the rule. Set per rule in the inventory's `[policy]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails `check`.
    Error,
    /// Reported, does not fail `check`.
    Warning,
    /// Not checked.
    Off,
}

/// One rule's severity as the inventory sets it (`[policy]` table, `policy.csv` row).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicySetting {
    /// The rule id, the id of one of [`super::Rule::ALL`].
    pub rule: String,
    /// Its severity in this inventory.
    pub severity: Severity,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// A grade's recovery-time target as the inventory sets it (`[recovery]` table's `rto`,
/// `recovery.csv` row): a system of that grade should be back within it after a failure.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RtoTarget {
    /// The grade.
    pub grade: Grade,
    /// The target, in seconds.
    pub rto_secs: u64,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// Text of the inventory (ids, names, references). Up to 24 bytes it is stored inline:
/// the half a million links of a national inventory load, compare and hash without a heap
/// string for every id. It compares with `str` and `String` and derefs to `str`.
pub type Text = compact_str::CompactString;

/// A thing that can fail.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Node {
    /// Unique id, `[A-Za-z0-9][A-Za-z0-9._:-]*`.
    pub id: Text,
    /// Display name (defaults to the id).
    pub name: Text,
    /// What the node is.
    pub kind: NodeKind,
    /// Owning organisation.
    pub agency: Option<Text>,
    /// Criticality grade 1..4, 1 the most critical.
    pub grade: Option<Grade>,
    /// Sites the node runs on, active-active (expanded into hosting links).
    pub sites: Vec<Text>,
    /// Free labels.
    pub tags: Vec<Text>,
    /// Hands-on work to bring the node back once what it needs is back, in seconds (a
    /// system with a warm DR site writes its fail-over time here).
    #[serde(skip_serializing_if = "is_zero_secs")]
    pub restore_secs: u64,
    /// Requests per second it receives from outside on a normal day (at least 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub load: f64,
    /// Requests per second it can serve (above 0); `None`: unlimited.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<f64>,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

fn is_zero_secs(secs: &u64) -> bool {
    *secs == 0
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

/// One node depending on another. The default is a blank link (empty ids, the default
/// keywords), a placeholder to be filled.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Link {
    /// Unique among links; defaults to `consumer->provider` (`#2`, `#3` for repeats).
    pub id: Text,
    /// The node that depends.
    pub consumer: Text,
    /// The node depended on.
    pub provider: Text,
    /// What the link carries.
    pub kind: LinkKind,
    /// How it is used (informational).
    pub mode: Mode,
    /// How long the consumer keeps working after losing the provider, in seconds.
    pub tolerance_secs: u64,
    /// What losing it does to the consumer.
    pub effect: Effect,
    /// Alternatives group among the consumer's links.
    pub group: Option<Text>,
    /// Informational: api, db, file, mq, sso …
    pub method: Option<Text>,
    /// Informational: what is exchanged.
    pub data: Option<Text>,
    /// Requests the consumer sends the provider for each request it serves, as written
    /// (at least 0); [`Link::calls`] gives the value in force.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<f64>,
    /// True when the link was expanded from a node's `sites` shorthand.
    #[serde(skip)]
    pub from_sites: bool,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

impl Link {
    /// Requests the consumer sends the provider for each request it serves: as written, or
    /// by default 1 for a `sync` `interface` link and 0 for any other.
    pub fn calls(&self) -> f64 {
        self.calls.unwrap_or(
            if self.kind == LinkKind::Interface && self.mode == Mode::Sync {
                1.0
            } else {
                0.0
            },
        )
    }
}

/// A declared redundancy group: `min` of the consumer's links named `group` must hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupDecl {
    /// The consumer whose links form the group.
    pub consumer: Text,
    /// The group name on those links.
    pub group: Text,
    /// How many members must stay available.
    pub min: u32,
    /// True when implied by a node's `sites` shorthand.
    #[serde(skip)]
    pub from_sites: bool,
    /// Where it was written.
    #[serde(skip)]
    pub origin: Origin,
}

/// A validated inventory: every reference resolves and every rule of docs/inventory.md holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Inventory {
    /// Nodes in the order they were written.
    pub nodes: Vec<Node>,
    /// Links in the order they were written, then the ones expanded from `sites`.
    pub links: Vec<Link>,
    /// Declared groups, then the ones implied by `sites`.
    pub groups: Vec<GroupDecl>,
    /// Policy rule severities set by the inventory, sorted by rule id (others keep their
    /// defaults).
    pub policy: Vec<PolicySetting>,
    /// Recovery-time targets by grade, sorted by grade, each grade at most once.
    pub rto: Vec<RtoTarget>,
}

/// The name of the group that a node's `sites` shorthand creates.
pub const HOSTING_GROUP: &str = "hosting";

/// Whether `items` are in order of their ids: checked on every core (half a million
/// links take milliseconds to compare).
pub(crate) fn sorted_by_id<T: Sync>(items: &[T], id: impl Fn(&T) -> &Text + Sync) -> bool {
    use rayon::prelude::*;
    items
        .par_windows(2)
        .all(|w| matches!(w, [a, b] if id(a) <= id(b)))
}

impl Inventory {
    /// Looks a node up by id (linear; use [`crate::Graph`] for repeated look-ups).
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }
}

/// Formats seconds as a compact duration: `0`, `30m`, `4h`, `1d`, `1h30m`.
pub fn format_duration(secs: u64) -> String {
    if secs == 0 {
        return "0".to_owned();
    }
    let mut out = String::new();
    let mut rest = secs;
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] {
        if rest >= size {
            out.push_str(&format!("{}{unit}", rest / size));
            rest %= size;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_format_compactly() {
        assert_eq!(format_duration(0), "0");
        assert_eq!(format_duration(1800), "30m");
        assert_eq!(format_duration(5400), "1h30m");
        assert_eq!(format_duration(86_400 + 3_600), "1d1h");
    }

    #[test]
    fn keywords_round_trip() {
        for w in NodeKind::WORDS {
            assert_eq!(NodeKind::parse(w).map(NodeKind::as_str), Some(*w));
        }
        assert_eq!(Effect::parse("soft"), None);
    }
}
