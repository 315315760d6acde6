//! Recovery plans: after a failure, in which order to bring the down systems back.
//!
//! The down set comes from one propagation of the scenario. Among the down nodes, a
//! consumer waits for every down provider of its down-effect links (a conservative plan:
//! it does not bet on which alternative of a redundancy group comes back first). The
//! strongly connected components of that "waits for" graph (Tarjan) are restored together
//! and flagged; the condensation is a DAG, and a component's wave is one more than the
//! latest wave of the components it waits for (0 when it waits for nothing). Within a wave,
//! grade 1 comes first, then grade 2 … then ungraded, ties by id.

use crate::grade::Grade;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use crate::engine::{Query, Scenario, ScenarioError, Timing, Workspace};
use crate::graph::{Graph, NodeIx};
use crate::hash::FastMap;
use crate::inventory::Effect;

/// One system to restore.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Wave number, from 1.
    pub wave: usize,
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<String>,
    /// True for the nodes the scenario failed itself.
    pub failed: bool,
    /// Down providers in earlier waves this system waits for, sorted.
    pub waits_for: Vec<String>,
    /// The number (from 1) of the dependency cycle it is restored together with, whose
    /// members are `cycle_members[cycle - 1]`; `None` when it is in no cycle. (A cycle is
    /// listed once, not with each member: a national inventory can have one of thousands.)
    pub cycle: Option<usize>,
}

/// A recovery plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecoveryPlan {
    /// Failed node ids.
    pub failed: Vec<String>,
    /// The horizon in hours, or null.
    pub horizon_hours: Option<f64>,
    /// Number of waves.
    pub waves: usize,
    /// Number of dependency cycles restored together.
    pub cycles: usize,
    /// The members of each cycle, sorted; cycles numbered in the order of the steps.
    pub cycle_members: Vec<Vec<String>>,
    /// Steps by wave, then grade (1 first, ungraded last), then id.
    pub steps: Vec<Step>,
}

/// The recovery plan of a failure scenario (`failed_links` are not supported: a plan
/// restores nodes).
pub fn recover(graph: &Graph, scenario: &Scenario) -> Result<RecoveryPlan, ScenarioError> {
    if scenario.failed.is_empty() {
        return Err(ScenarioError::Empty);
    }
    let horizon = Graph::horizon_secs(scenario.horizon_hours)?;
    let seeds = graph.resolve_node_ids(&scenario.failed)?;
    let mut ws = Workspace::new(graph);
    ws.run(
        graph,
        &Query::closure(&seeds).timed(Timing::counting(horizon)),
    );
    let mut down: Vec<NodeIx> = ws.down().to_vec();
    down.sort_unstable();
    let local: FastMap<NodeIx, u32> = down
        .iter()
        .enumerate()
        .map(|(i, &v)| (v, i as u32))
        .collect();

    // The "waits for" graph among down nodes: provider -> consumer.
    let mut wait: DiGraph<NodeIx, ()> = DiGraph::with_capacity(down.len(), 0);
    for &v in &down {
        wait.add_node(v);
    }
    // Repeated links between two nodes make one edge; deduplicated as pairs, as a hub's
    // thousands of dependants would make a per-edge duplicate check quadratic.
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (ci, &c) in down.iter().enumerate() {
        for &link in graph.needs(c) {
            if graph.group(graph.group_of(link)).effect != Effect::Down {
                continue;
            }
            if let Some(&pi) = local.get(&graph.provider(link)) {
                pairs.push((pi, ci as u32));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (pi, ci) in pairs {
        wait.add_edge(NodeIndex::new(pi as usize), NodeIndex::new(ci as usize), ());
    }
    // Components come in reverse topological order: consumers before providers. (Kosaraju's
    // algorithm, iterative: a dependency chain of any length is fine.)
    let mut sccs = petgraph::algo::kosaraju_scc(&wait);
    sccs.reverse();
    let mut comp = vec![0usize; down.len()];
    for (k, scc) in sccs.iter().enumerate() {
        for n in scc {
            comp[n.index()] = k;
        }
    }
    let mut wave = vec![0usize; sccs.len()];
    for (k, scc) in sccs.iter().enumerate() {
        let mut w = 1;
        for n in scc {
            for p in wait.neighbors_directed(*n, Direction::Incoming) {
                let pk = comp[p.index()];
                if pk != k {
                    w = w.max(wave[pk] + 1);
                }
            }
        }
        wave[k] = w;
    }
    let id = |i: usize| graph.node(down[i]).id.to_string();
    let mut steps: Vec<Step> = (0..down.len())
        .map(|i| {
            let k = comp[i];
            let mut waits: Vec<String> = wait
                .neighbors_directed(NodeIndex::new(i), Direction::Incoming)
                .filter(|p| comp[p.index()] != k)
                .map(|p| id(p.index()))
                .collect();
            waits.sort_unstable();
            waits.dedup();
            let node = graph.node(down[i]);
            Step {
                wave: wave[k],
                id: node.id.to_string(),
                name: node.name.to_string(),
                grade: node.grade,
                agency: node.agency.as_deref().map(str::to_owned),
                failed: seeds.binary_search(&down[i]).is_ok(),
                waits_for: waits,
                // The component for now; numbered as a cycle once the steps are sorted.
                cycle: (sccs[k].len() > 1).then_some(k),
            }
        })
        .collect();
    steps.sort_by(|a, b| {
        a.wave
            .cmp(&b.wave)
            .then(Grade::rank(a.grade).cmp(&Grade::rank(b.grade)))
            .then(a.id.cmp(&b.id))
    });
    let mut number: FastMap<usize, usize> = FastMap::default();
    let mut cycle_members: Vec<Vec<String>> = Vec::new();
    for step in &mut steps {
        if let Some(k) = step.cycle {
            let n = *number.entry(k).or_insert_with(|| {
                let mut members: Vec<String> = sccs[k].iter().map(|n| id(n.index())).collect();
                members.sort_unstable();
                cycle_members.push(members);
                cycle_members.len()
            });
            step.cycle = Some(n);
        }
    }
    Ok(RecoveryPlan {
        failed: seeds
            .iter()
            .map(|&s| graph.node(s).id.to_string())
            .collect(),
        horizon_hours: scenario.horizon_hours,
        waves: wave.iter().copied().max().unwrap_or(0),
        cycles: cycle_members.len(),
        cycle_members,
        steps,
    })
}
