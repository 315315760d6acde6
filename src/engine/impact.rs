//! Failure impact: the result of a failure scenario, built from a witnessing pass.

use rayon::prelude::*;
use serde::Serialize;

use super::path::{PathOut, Step, Witness};
use super::{
    Fate, HOUR, NEVER, Path, PathMode, Query, ROWS_MARKER, RowsJson, ShortPath, Timing, Workspace,
};
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
    /// A node name that several nodes share (a name stands for a node only when unique).
    #[error(
        "the name `{name}` is shared by {} nodes: {}; give one of their ids instead",
        candidates.len(),
        listed(candidates)
    )]
    AmbiguousName {
        /// The name as given.
        name: String,
        /// The nodes with that name, as `id (agency)`.
        candidates: Vec<String>,
    },
    /// A horizon that is negative, not a number, or too large to count in seconds. (The
    /// command line accepts at most [`super::MAX_HOURS`].)
    #[error(
        "invalid horizon `{}` hours: expected a number of hours of at least 0",
        shown(*.0)
    )]
    BadHorizon(f64),
    /// Nothing to evaluate.
    #[error("no node or link given: expected at least one id")]
    Empty,
}

/// `a`, `b` and `c`.
fn listed(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// A number of hours as a message shows it: huge ones in scientific notation, not 300
/// digits.
pub(crate) fn shown(h: f64) -> String {
    if h.abs() >= 1e15 {
        format!("{h:e}")
    } else {
        h.to_string()
    }
}

fn hint(s: &[String]) -> String {
    let quoted: Vec<String> = s.iter().map(|id| format!("`{id}`")).collect();
    match quoted.as_slice() {
        [] => String::new(),
        [one] => format!("; did you mean {one}?"),
        [init @ .., last] => format!("; did you mean {} or {last}?", init.join(", ")),
    }
}

/// The positions of `ids` (sorted, without repeats), or the error of the first that has
/// none.
fn resolve<T: Ord>(
    ids: &[String],
    one: impl Fn(&str) -> Result<T, ScenarioError>,
) -> Result<Vec<T>, ScenarioError> {
    let mut v = ids
        .iter()
        .map(|id| one(id))
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

/// One affected node of a failure scenario; its text is borrowed from the graph. Its
/// witness path is rebuilt on demand from its predecessor ([`Impact::path`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Affected<'g> {
    /// The node's position in the graph.
    pub node: NodeIx,
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
    /// The node before this one on its witness path (the provider whose loss decided its
    /// state); `None` for seeds.
    pub via: Option<&'g str>,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
    /// True for the nodes failed by the scenario itself.
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

/// The result of a failure scenario. Serialized as `{"scenario", "affected", "summary"}`
/// with each row's whole witness path; [`Impact::json`] chooses how paths are written.
#[derive(Debug, Clone, PartialEq)]
pub struct Impact<'g> {
    /// The scenario.
    pub scenario: ScenarioEcho,
    /// Every down or degraded node, sorted by `at_hours`, `depth`, `id`.
    pub affected: Vec<Affected<'g>>,
    /// Totals.
    pub summary: ImpactSummary,
    /// What a filter kept ([`Impact::filter`]); `None`: every row.
    pub shown: Option<super::Shown>,
    witness: Witness<'g>,
}

impl<'g> Impact<'g> {
    /// The witness path of an affected node: from a seed (or a failed link's provider) to
    /// the node, each next id a consumer of the one before.
    pub fn path(&self, a: &Affected<'g>) -> Path<'g> {
        self.witness.path(a.node)
    }

    /// Works out the shortened paths of every row before rows are left out: a short path
    /// is built from those of the rows before it.
    pub(super) fn prepare_short_paths(&self) {
        self.witness.prepare(self.affected.iter().map(|a| a.node));
    }

    /// The witness path of an affected node as a table shows it: long paths keep their
    /// first and last nodes and count the ones between.
    pub fn short_path(&self, a: &Affected<'g>) -> ShortPath<'g> {
        self.witness.short(
            a.node,
            a.depth as usize + 1,
            self.affected.iter().map(|a| a.node),
        )
    }

    /// The result as JSON with paths written as `mode` says.
    pub fn json(&self, mode: PathMode) -> impl Serialize + '_ {
        self.json_with(mode, RowsJson::InPlace)
    }

    /// The result as JSON with paths written as `mode` says, its rows as `rows` says.
    pub fn json_with(&self, mode: PathMode, rows: RowsJson) -> impl Serialize + '_ {
        ImpactJson {
            impact: self,
            mode,
            rows,
        }
    }

    /// Row `i` as JSON, as [`Self::json`] writes it.
    pub fn json_row(&self, i: usize, mode: PathMode) -> impl Serialize + '_ {
        self.affected.get(i).map(|a| Row {
            a,
            witness: &self.witness,
            mode,
        })
    }
}

impl Serialize for Impact<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json(PathMode::Full).serialize(s)
    }
}

/// An impact as JSON, its rows with whole paths or predecessors.
struct ImpactJson<'a, 'g> {
    rows: RowsJson,
    impact: &'a Impact<'g>,
    mode: PathMode,
}

impl Serialize for ImpactJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Impact", 3)?;
        st.serialize_field("scenario", &self.impact.scenario)?;
        st.serialize_field(
            "affected",
            &Rows {
                impact: self.impact,
                rows: self.rows,
                mode: self.mode,
            },
        )?;
        st.serialize_field("summary", &self.impact.summary)?;
        if let Some(shown) = &self.impact.shown {
            st.serialize_field("shown", shown)?;
        }
        st.end()
    }
}

/// The affected rows, each written as it is serialized.
struct Rows<'a, 'g> {
    rows: RowsJson,
    impact: &'a Impact<'g>,
    mode: PathMode,
}

impl Serialize for Rows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.rows == RowsJson::Marker {
            return s.serialize_str(ROWS_MARKER);
        }
        let rows = 0..self.impact.affected.len();
        s.collect_seq(rows.map(|i| self.impact.json_row(i, self.mode)))
    }
}

/// One affected row in JSON: `id, name, state, at_hours, depth, path | via, grade, agency`.
struct Row<'a, 'g> {
    a: &'a Affected<'g>,
    witness: &'a Witness<'g>,
    mode: PathMode,
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let a = self.a;
        let mut st = s.serialize_struct("Affected", 8)?;
        st.serialize_field("id", a.id)?;
        st.serialize_field("name", a.name)?;
        st.serialize_field("state", &a.state)?;
        st.serialize_field("at_hours", &a.at_hours)?;
        st.serialize_field("depth", &a.depth)?;
        match self.mode {
            PathMode::Full => st.serialize_field(
                "path",
                &PathOut {
                    witness: self.witness,
                    node: a.node,
                },
            )?,
            PathMode::Via => st.serialize_field("via", &a.via)?,
        }
        st.serialize_field("grade", &a.grade)?;
        st.serialize_field("agency", &a.agency)?;
        // The table's FAILED: a node the scenario fails itself (its state is down).
        st.serialize_field("failed", &a.seed)?;
        st.end()
    }
}

impl Graph {
    /// The node a user names: by id, or by its exact name when no other node has it
    /// (`정부24` for `gov24`). An unknown one is an error with the closest ids and names;
    /// a name several nodes share is an error listing them.
    pub fn resolve_node(&self, wanted: &str) -> Result<NodeIx, ScenarioError> {
        if let Some(v) = self.node_ix(wanted) {
            return Ok(v);
        }
        match self.nodes_named(wanted).as_slice() {
            [one] => Ok(*one),
            [] => Err(ScenarioError::UnknownNode {
                id: wanted.to_owned(),
                suggestions: self
                    .similar_node_ids(wanted)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            }),
            many => Err(ScenarioError::AmbiguousName {
                name: wanted.to_owned(),
                candidates: many
                    .iter()
                    .map(|&v| {
                        let l = self.label(v);
                        match l.agency {
                            Some(a) => format!("{} ({a})", l.id),
                            None => l.id.to_owned(),
                        }
                    })
                    .collect(),
            }),
        }
    }

    /// Resolves node ids or unique names to positions (sorted, without repeats), with
    /// "did you mean" errors for unknown ones.
    pub(crate) fn resolve_node_ids(&self, ids: &[String]) -> Result<Vec<NodeIx>, ScenarioError> {
        resolve(ids, |id| self.resolve_node(id))
    }

    /// Resolves link ids to positions the same way.
    pub(crate) fn resolve_link_ids(&self, ids: &[String]) -> Result<Vec<LinkIx>, ScenarioError> {
        resolve(ids, |id| {
            self.link_ix(id).ok_or_else(|| ScenarioError::UnknownLink {
                id: id.to_owned(),
                suggestions: self
                    .similar_link_ids(id)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            })
        })
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
        let steps: Vec<Step> = fates
            .iter()
            .map(|f| Step {
                via: f.from,
                ends: f.seeded,
            })
            .collect();
        // A national-scale failure affects tens of thousands of nodes, each with its own
        // witness path to build: the rows are built in parallel (in order), and the summary
        // beside them from the dense tables rather than from the rows.
        let (affected, summary) = rayon::join(
            || self.impact_rows(&hit, &fates),
            || self.impact_summary(&hit, &fates),
        );
        Ok(Impact {
            scenario: ScenarioEcho {
                failed: seeds.iter().map(|&i| self.node_id(i).to_string()).collect(),
                failed_links: seed_links
                    .iter()
                    .map(|&i| self.link(i).id.to_string())
                    .collect(),
                horizon_hours: scenario.horizon_hours,
            },
            affected,
            summary,
            shown: None,
            witness: Witness::new(self, steps),
        })
    }

    /// The rows of the affected nodes, whose `(time, depth, node)` keys are `hit`.
    fn impact_rows(&self, hit: &[u128], fates: &[Fate]) -> Vec<Affected<'_>> {
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
                    node: v,
                    id: label.id,
                    name: label.name,
                    state,
                    at_hours: at as f64 / HOUR,
                    depth,
                    via: fate.from.map(|p| self.node_id(p)),
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
}

/// The node of a row key (its low 32 bits).
fn key_node(key: u128) -> NodeIx {
    NodeIx::new(key as u32 as usize)
}
