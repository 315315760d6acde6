//! Failure impact: the result of a failure scenario, built from a witnessing pass.

use rayon::prelude::*;
use serde::Serialize;
use smallvec::SmallVec;

use super::{Fate, HOUR, NEVER, Query, Timing, Workspace};
use crate::grade::{Grade, GradeCounts};
use crate::graph::{Graph, LinkIx, NodeIx};

/// A failure scenario: what fails at time 0 and how long the outage lasts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Scenario {
    /// Node ids that fail at time 0.
    pub failed: Vec<String>,
    /// Link ids lost at time 0.
    pub failed_links: Vec<String>,
    /// The horizon in hours; `None` means the outage lasts for ever.
    pub horizon_hours: Option<f64>,
}

/// Why a scenario cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// A node id that the inventory does not have.
    #[error("unknown node id `{id}`{}", hint(suggestions))]
    UnknownNode {
        /// The id as given.
        id: String,
        /// The closest existing ids.
        suggestions: Vec<String>,
    },
    /// A link id that the inventory does not have.
    #[error("unknown link id `{id}`{}", hint(suggestions))]
    UnknownLink {
        /// The id as given.
        id: String,
        /// The closest existing ids.
        suggestions: Vec<String>,
    },
    /// A horizon that is negative or not a number.
    #[error("invalid horizon `{0}` hours: expected a number of hours of at least 0")]
    BadHorizon(f64),
    /// Nothing to evaluate.
    #[error("no node or link given: expected at least one id")]
    Empty,
}

fn hint(s: &[String]) -> String {
    let quoted: Vec<String> = s.iter().map(|id| format!("`{id}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

/// A chain of node ids, held inline up to four ids (without allocating): tens of thousands
/// of rows each carry one, and most witness paths are that short.
pub type Path<'g> = SmallVec<[&'g str; 4]>;

/// The dense indices of `ids` (sorted, without repeats), or an `unknown` error with the
/// closest ids for the first id that has none.
fn resolve<'a, T: Ord>(
    ids: &[String],
    index: impl Fn(&str) -> Option<T>,
    similar: impl Fn(&str) -> Vec<&'a str>,
    unknown: impl Fn(String, Vec<String>) -> ScenarioError,
) -> Result<Vec<T>, ScenarioError> {
    let mut v = ids
        .iter()
        .map(|id| {
            index(id).ok_or_else(|| {
                unknown(
                    id.clone(),
                    similar(id).into_iter().map(str::to_owned).collect(),
                )
            })
        })
        .collect::<Result<Vec<T>, _>>()?;
    v.sort_unstable();
    v.dedup();
    Ok(v)
}

/// What happens to an affected node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    /// Stops working.
    Down,
    /// Keeps working with less function or less redundancy.
    Degraded,
}

/// One affected node of a failure scenario; its text is borrowed from the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Affected<'g> {
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Down or degraded.
    pub state: State,
    /// Hours from the start of the scenario until it goes down or degrades.
    pub at_hours: f64,
    /// Links in the witness path (0 for seeds).
    pub depth: u32,
    /// The chain of node ids from a seed to this node that explains its state.
    pub path: Path<'g>,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
    /// True for the nodes failed by the scenario itself.
    #[serde(skip)]
    pub seed: bool,
}

/// The scenario as evaluated, echoed in the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioEcho {
    /// Failed node ids, as given (sorted, without repeats).
    pub failed: Vec<String>,
    /// Failed link ids.
    pub failed_links: Vec<String>,
    /// The horizon in hours, or null.
    pub horizon_hours: Option<f64>,
}

/// Totals of a failure impact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactSummary {
    /// Nodes down (seeds included).
    pub down: usize,
    /// Nodes degraded.
    pub degraded: usize,
    /// The most critical grade (smallest number) among the down nodes.
    pub most_critical_down: Option<Grade>,
    /// Down nodes per grade.
    pub down_by_grade: GradeCounts,
    /// Degraded nodes per grade.
    pub degraded_by_grade: GradeCounts,
    /// Agencies with at least one affected node, sorted.
    pub agencies: Vec<String>,
}

/// The result of a failure scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact<'g> {
    /// The scenario.
    pub scenario: ScenarioEcho,
    /// Every down or degraded node, sorted by `at_hours`, `depth`, `id`.
    pub affected: Vec<Affected<'g>>,
    /// Totals.
    pub summary: ImpactSummary,
}

impl Graph {
    /// Resolves node ids to positions (sorted, without repeats), with "did you mean"
    /// errors for unknown ids.
    pub(crate) fn resolve_node_ids(&self, ids: &[String]) -> Result<Vec<NodeIx>, ScenarioError> {
        resolve(
            ids,
            |id| self.node_ix(id),
            |id| self.similar_node_ids(id),
            |id, suggestions| ScenarioError::UnknownNode { id, suggestions },
        )
    }

    /// Resolves link ids the same way.
    pub(crate) fn resolve_link_ids(&self, ids: &[String]) -> Result<Vec<LinkIx>, ScenarioError> {
        resolve(
            ids,
            |id| self.link_ix(id),
            |id| self.similar_link_ids(id),
            |id, suggestions| ScenarioError::UnknownLink { id, suggestions },
        )
    }

    /// Evaluates a failure scenario: which nodes go down or degrade, when, and why.
    pub fn impact(&self, scenario: &Scenario) -> Result<Impact<'_>, ScenarioError> {
        if scenario.failed.is_empty() && scenario.failed_links.is_empty() {
            return Err(ScenarioError::Empty);
        }
        let horizon = Self::horizon_secs(scenario.horizon_hours)?;
        let seeds = self.resolve_node_ids(&scenario.failed)?;
        let seed_links = self.resolve_link_ids(&scenario.failed_links)?;
        let mut ws = Workspace::witnessing(self);
        ws.run(
            self,
            &Query {
                seeds: &seeds,
                seed_links: &seed_links,
                timing: Timing::Until(horizon.unwrap_or(NEVER)),
                within: None,
                stop: None,
            },
        );
        let fates = ws.rec.fates;

        // The order is (at_hours, depth, id), and node position order is id order: one
        // 128-bit key per row (time, depth, node) sorts faster than tuples.
        let mut hit: Vec<u128> = self
            .nodes()
            .zip(&fates)
            .filter_map(|(v, f)| {
                let at = if f.down_at != NEVER {
                    f.down_at
                } else if f.degraded_at != NEVER {
                    f.degraded_at
                } else {
                    return None;
                };
                Some(u128::from(at) << 64 | u128::from(f.depth) << 32 | v.index() as u128)
            })
            .collect();
        // Built in node order: a stable sort by (time, depth) keeps each group in node order,
        // and the few distinct (time, depth) pairs make it cheaper than sorting whole keys.
        hit.sort_by_key(|key| key >> 32);
        // Witness paths walk provider to provider: a table of just that is 4 times denser
        // than the fates, and the walks (tens of thousands) stay in cache.
        let chain: Vec<(Option<NodeIx>, bool)> = fates.iter().map(|f| (f.from, f.seeded)).collect();
        // A national-scale failure affects tens of thousands of nodes, each with its own
        // witness path to build: the rows are built in parallel (in order), and the summary
        // beside them from the dense tables rather than from the rows.
        let (affected, summary) = rayon::join(
            || self.impact_rows(&hit, &fates, &chain),
            || self.impact_summary(&hit, &fates),
        );
        Ok(Impact {
            scenario: ScenarioEcho {
                failed: seeds.iter().map(|&i| self.node(i).id.to_string()).collect(),
                failed_links: seed_links
                    .iter()
                    .map(|&i| self.link(i).id.to_string())
                    .collect(),
                horizon_hours: scenario.horizon_hours,
            },
            affected,
            summary,
        })
    }

    /// The rows of the affected nodes, whose `(time, depth, node)` keys are `hit`.
    fn impact_rows(
        &self,
        hit: &[u128],
        fates: &[Fate],
        chain: &[(Option<NodeIx>, bool)],
    ) -> Vec<Affected<'_>> {
        hit.par_iter()
            .map(|&key| {
                let (at, depth, v) = ((key >> 64) as u64, (key >> 32) as u32, key_node(key));
                let fate = fates[v.index()];
                let state = if fate.down_at != NEVER {
                    State::Down
                } else {
                    State::Degraded
                };
                let label = self.label(v);
                Affected {
                    id: label.id,
                    name: label.name,
                    state,
                    at_hours: at as f64 / HOUR,
                    depth,
                    path: self.witness(chain, v),
                    grade: label.grade,
                    agency: label.agency,
                    seed: fate.from.is_none() && state == State::Down,
                }
            })
            .collect()
    }

    /// The totals of the affected nodes `hit` (keys as in [`Graph::impact_rows`]).
    fn impact_summary(&self, hit: &[u128], fates: &[Fate]) -> ImpactSummary {
        let mut s = ImpactSummary {
            down: 0,
            degraded: 0,
            most_critical_down: None,
            down_by_grade: GradeCounts::default(),
            degraded_by_grade: GradeCounts::default(),
            agencies: self.agencies_of(hit.iter().map(|&key| key_node(key))),
        };
        for &key in hit {
            let v = key_node(key);
            let grade = self.grade(v);
            if fates[v.index()].down_at != NEVER {
                s.down += 1;
                s.down_by_grade.add(grade);
                s.most_critical_down = Grade::most_critical(s.most_critical_down, grade);
            } else {
                s.degraded += 1;
                s.degraded_by_grade.add(grade);
            }
        }
        s
    }

    /// The witness path of node `v`: seed first, `v` last.
    /// `chain[v]` is the provider of `v`'s deciding link and whether that link was seeded.
    fn witness(&self, chain: &[(Option<NodeIx>, bool)], v: NodeIx) -> Path<'_> {
        let mut rev = Path::new();
        rev.push(self.node_id(v));
        let mut cur = chain[v.index()];
        while let (Some(p), seeded) = cur {
            rev.push(self.node_id(p));
            if seeded {
                break;
            }
            // The provider of a deciding link is down: its own witness continues the chain.
            cur = chain[p.index()];
        }
        rev.reverse();
        rev
    }
}

/// The node of a row key (its low 32 bits).
fn key_node(key: u128) -> NodeIx {
    NodeIx::new(key as u32 as usize)
}
