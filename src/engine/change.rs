//! Change impact: who depends on a changed node or link, by reverse reachability.

use crate::grade::Grade;
use std::collections::VecDeque;

use rayon::prelude::*;
use serde::Serialize;

use super::path::{PathOut, Step, Witness};
use super::{Path, PathMode, ROWS_MARKER, RowsJson, ScenarioError, ShortPath};
use crate::grade::GradeCounts;
use crate::graph::{Graph, LinkIx, NodeIx};

/// A change scenario: nodes whose interface changes, links that change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// Node ids that change.
    pub systems: Vec<String>,
    /// Link ids that change.
    pub links: Vec<String>,
}

/// One node reached by a change; its text is borrowed from the graph. Its path is rebuilt
/// on demand from its predecessor ([`ChangeImpact::path`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Reached<'g> {
    /// The node's position in the graph.
    pub node: NodeIx,
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Shortest number of links from a changed item.
    pub depth: u32,
    /// The node before this one on a shortest path from a changed item.
    pub via: Option<&'g str>,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
}

/// Totals of a change impact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeSummary {
    /// Nodes affected (changed nodes not counted).
    pub affected: usize,
    /// Nodes at depth 1: they must retest.
    pub direct: usize,
    /// The most critical grade among the affected nodes.
    pub most_critical: Option<Grade>,
    /// Affected nodes per grade.
    pub by_grade: GradeCounts,
    /// Agencies to notify, sorted.
    pub agencies: Vec<String>,
}

/// The result of a change scenario. Serialized as `{"changed", "changed_links",
/// "affected", "summary"}` with each row's whole path; [`ChangeImpact::json`] chooses how
/// paths are written.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeImpact<'g> {
    /// Changed node ids.
    pub changed: Vec<String>,
    /// Changed link ids.
    pub changed_links: Vec<String>,
    /// Every node that depends on a changed item, sorted by `depth`, then `id`.
    pub affected: Vec<Reached<'g>>,
    /// Totals.
    pub summary: ChangeSummary,
    /// What a filter kept ([`ChangeImpact::filter`]); `None`: every row.
    pub shown: Option<super::Shown>,
    witness: Witness<'g>,
}

impl<'g> ChangeImpact<'g> {
    /// A shortest path from a changed node (or a changed link's provider) to a reached
    /// node, each next id a consumer of the one before.
    pub fn path(&self, r: &Reached<'g>) -> Path<'g> {
        self.witness.path(r.node)
    }

    /// Works out the shortened paths of every row before rows are left out: a short path
    /// is built from those of the rows before it.
    pub(super) fn prepare_short_paths(&self) {
        self.witness.prepare(self.affected.iter().map(|r| r.node));
    }

    /// The path of a row as a table shows it (see [`ShortPath`]).
    pub fn short_path(&self, r: &Reached<'g>) -> ShortPath<'g> {
        self.witness.short(
            r.node,
            r.depth as usize + 1,
            self.affected.iter().map(|r| r.node),
        )
    }

    /// The result as JSON with paths written as `mode` says.
    pub fn json(&self, mode: PathMode) -> impl Serialize + '_ {
        self.json_with(mode, RowsJson::InPlace)
    }

    /// The result as JSON with paths written as `mode` says, its rows as `rows` says.
    pub fn json_with(&self, mode: PathMode, rows: RowsJson) -> impl Serialize + '_ {
        ChangeJson {
            change: self,
            mode,
            rows,
        }
    }

    /// Row `i` as JSON, as [`Self::json`] writes it.
    pub fn json_row(&self, i: usize, mode: PathMode) -> impl Serialize + '_ {
        self.affected.get(i).map(|r| Row {
            r,
            witness: &self.witness,
            mode,
        })
    }
}

impl Serialize for ChangeImpact<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json(PathMode::Full).serialize(s)
    }
}

/// A change impact as JSON, its rows with whole paths or predecessors.
struct ChangeJson<'a, 'g> {
    rows: RowsJson,
    change: &'a ChangeImpact<'g>,
    mode: PathMode,
}

impl Serialize for ChangeJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = self.change;
        let mut st = s.serialize_struct("ChangeImpact", 4)?;
        st.serialize_field("changed", &c.changed)?;
        st.serialize_field("changed_links", &c.changed_links)?;
        st.serialize_field(
            "affected",
            &Rows {
                change: c,
                rows: self.rows,
                mode: self.mode,
            },
        )?;
        st.serialize_field("summary", &c.summary)?;
        if let Some(shown) = &c.shown {
            st.serialize_field("shown", shown)?;
        }
        st.end()
    }
}

/// The reached rows, each written as it is serialized.
struct Rows<'a, 'g> {
    rows: RowsJson,
    change: &'a ChangeImpact<'g>,
    mode: PathMode,
}

impl Serialize for Rows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.rows == RowsJson::Marker {
            return s.serialize_str(ROWS_MARKER);
        }
        let rows = 0..self.change.affected.len();
        s.collect_seq(rows.map(|i| self.change.json_row(i, self.mode)))
    }
}

/// One reached row in JSON: `id, name, depth, path | via, grade, agency`.
struct Row<'a, 'g> {
    r: &'a Reached<'g>,
    witness: &'a Witness<'g>,
    mode: PathMode,
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.r;
        let mut st = s.serialize_struct("Reached", 6)?;
        st.serialize_field("id", r.id)?;
        st.serialize_field("name", r.name)?;
        st.serialize_field("depth", &r.depth)?;
        match self.mode {
            PathMode::Full => st.serialize_field(
                "path",
                &PathOut {
                    witness: self.witness,
                    node: r.node,
                },
            )?,
            PathMode::Via => st.serialize_field("via", &r.via)?,
        }
        st.serialize_field("grade", &r.grade)?;
        st.serialize_field("agency", &r.agency)?;
        st.end()
    }
}

impl Graph {
    /// Evaluates a change scenario: every node with a dependency path to a changed item,
    /// whatever the redundancy or tolerance, with a shortest path.
    pub fn change(&self, change: &Change) -> Result<ChangeImpact<'_>, ScenarioError> {
        if change.systems.is_empty() && change.links.is_empty() {
            return Err(ScenarioError::Empty);
        }
        let nodes = self.resolve_node_ids(&change.systems)?;
        let links = self.resolve_link_ids(&change.links)?;
        let reach = self.reach(&nodes, &links);
        // The order is (depth, id), and node position order is id order: one 64-bit key
        // per row (depth, node) sorts faster than the rows themselves.
        let mut hit: Vec<u64> = self
            .nodes()
            .zip(&reach)
            .filter_map(|(v, r)| {
                r.filter(|r| r.depth > 0)
                    .map(|r| u64::from(r.depth) << 32 | v.index() as u64)
            })
            .collect();
        // Built in node order: a stable sort by depth keeps each depth in node order.
        hit.sort_by_key(|key| key >> 32);
        let affected: Vec<Reached<'_>> = hit
            .par_iter()
            .map(|&key| {
                let (depth, v) = ((key >> 32) as u32, key_node(key));
                let label = self.label(v);
                Reached {
                    node: v,
                    id: label.id,
                    name: label.name,
                    depth,
                    via: reach[v.index()]
                        .and_then(|r| r.via)
                        .map(|p| self.node_id(p)),
                    grade: label.grade,
                    agency: label.agency,
                }
            })
            .collect();
        let mut by_grade = GradeCounts::default();
        for r in &affected {
            by_grade.add(r.grade);
        }
        let agencies = self.agencies_of(hit.iter().map(|&key| key_node(key)));
        let summary = ChangeSummary {
            affected: affected.len(),
            direct: affected.iter().filter(|r| r.depth == 1).count(),
            most_critical: affected.iter().filter_map(|r| r.grade).min(),
            by_grade,
            agencies,
        };
        Ok(ChangeImpact {
            changed: nodes.iter().map(|&i| self.node_id(i).to_string()).collect(),
            changed_links: links.iter().map(|&i| self.link(i).id.to_string()).collect(),
            affected,
            summary,
            shown: None,
            witness: Witness::new(
                self,
                reach
                    .iter()
                    .map(|r| Step {
                        via: r.and_then(|r| r.via),
                        // At depth 1 the provider is a changed node or a changed link's
                        // provider: the path starts there.
                        ends: r.is_some_and(|r| r.depth == 1),
                    })
                    .collect(),
            ),
        })
    }

    /// Breadth-first search along provider -> consumer links: for each node reached, its
    /// depth and the provider of the link it was reached by (`None` for changed nodes).
    fn reach(&self, nodes: &[NodeIx], links: &[LinkIx]) -> Vec<Option<Reach>> {
        let mut seen: Vec<Option<Reach>> = vec![None; self.node_count()];
        let mut queue: VecDeque<NodeIx> = VecDeque::new();
        for &v in nodes {
            seen[v.index()] = Some(Reach {
                depth: 0,
                via: None,
            });
            queue.push_back(v);
        }
        // Changed nodes (depth 0) are queued before changed links' consumers (depth 1),
        // so the queue stays in depth order.
        for &l in links {
            let c = self.consumer(l);
            if seen[c.index()].is_none() {
                seen[c.index()] = Some(Reach {
                    depth: 1,
                    via: Some(self.provider(l)),
                });
                queue.push_back(c);
            }
        }
        while let Some(v) = queue.pop_front() {
            let depth = seen[v.index()].map_or(0, |r| r.depth);
            for dep in self.dependants(v) {
                let c = dep.consumer;
                if seen[c.index()].is_none() {
                    seen[c.index()] = Some(Reach {
                        depth: depth + 1,
                        via: Some(v),
                    });
                    queue.push_back(c);
                }
            }
        }
        seen
    }
}

/// How a change reached a node: its depth, and the provider it was reached from (`None`
/// for a changed node).
#[derive(Debug, Clone, Copy)]
struct Reach {
    depth: u32,
    via: Option<NodeIx>,
}

/// The node of a row key (its low 32 bits).
fn key_node(key: u64) -> NodeIx {
    NodeIx::new(key as u32 as usize)
}
