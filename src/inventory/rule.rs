//! The policy rules an inventory can set the severity of, declared once: their ids (as the
//! `[policy]` table, `policy.csv`, JSON and SARIF name them), default severities and
//! descriptions. `crate::analysis::policy` implements them.

use serde::Serialize;

use super::model::Severity;

/// A policy rule. Its id is what the `[policy]` table, JSON and SARIF name it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// A node needs, at once and without alternative, a provider of a less critical grade.
    GradeInversion,
    /// A grade 1 or 2 system cannot run without one particular site.
    SingleSite,
    /// All alternatives of a group can be lost through one node.
    FalseRedundancy,
    /// A cycle of sync, down-effect, zero-tolerance links without alternatives.
    SyncCycle,
    /// A grade 1 system depends on an external node without alternative.
    ExternalHard,
    /// An async (batch) link with effect down and no tolerance.
    AsyncZeroTolerance,
    /// A node with no links at all.
    Orphan,
    /// A node with no owning agency.
    NoAgency,
    /// A node that receives load on a normal day has no capacity.
    NoCapacity,
}

impl Rule {
    /// Every rule, in the order reports list them.
    pub const ALL: [Rule; 9] = [
        Rule::GradeInversion,
        Rule::SingleSite,
        Rule::FalseRedundancy,
        Rule::SyncCycle,
        Rule::ExternalHard,
        Rule::AsyncZeroTolerance,
        Rule::Orphan,
        Rule::NoAgency,
        Rule::NoCapacity,
    ];

    /// The rule id, as written in `[policy]`.
    pub fn id(self) -> &'static str {
        match self {
            Rule::GradeInversion => "grade-inversion",
            Rule::SingleSite => "single-site",
            Rule::FalseRedundancy => "false-redundancy",
            Rule::SyncCycle => "sync-cycle",
            Rule::ExternalHard => "external-hard",
            Rule::AsyncZeroTolerance => "async-zero-tolerance",
            Rule::Orphan => "orphan",
            Rule::NoAgency => "no-agency",
            Rule::NoCapacity => "no-capacity",
        }
    }

    /// The rule of an id.
    pub fn parse(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    /// The severity when the inventory does not set one. Errors are the findings that make
    /// an impact analysis wrong or an outage unrecoverable; the rest are risks to review.
    pub fn default_severity(self) -> Severity {
        match self {
            Rule::GradeInversion | Rule::FalseRedundancy | Rule::SyncCycle => Severity::Error,
            Rule::SingleSite
            | Rule::ExternalHard
            | Rule::AsyncZeroTolerance
            | Rule::Orphan
            | Rule::NoAgency
            | Rule::NoCapacity => Severity::Warning,
        }
    }

    /// One line saying what the rule flags (SARIF rule descriptions, reports).
    pub fn description(self) -> &'static str {
        match self {
            Rule::GradeInversion => {
                "a node needs at once (tolerance under 1 h, no alternative) a provider of a less critical grade"
            }
            Rule::SingleSite => "a grade 1 or 2 system cannot run without one particular site",
            Rule::FalseRedundancy => {
                "all alternatives of a redundancy group can be lost through one shared node"
            }
            Rule::SyncCycle => {
                "a cycle of sync, down-effect, zero-tolerance links without alternatives: nothing in it can be restarted first"
            }
            Rule::ExternalHard => {
                "a grade 1 system depends, without alternative, on an external node"
            }
            Rule::AsyncZeroTolerance => {
                "an async (batch) link with effect down and no tolerance: it acts as a sync link"
            }
            Rule::Orphan => "a node with no links at all",
            Rule::NoAgency => "a node with no owning agency: nobody to notify",
            Rule::NoCapacity => {
                "a node that receives load on a normal day has no capacity: a surge cannot tell when it saturates"
            }
        }
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id())
    }
}
