//! Scenario sweeps: the blast radius of each site failing alone and of each pair of sites,
//! of each node of a kind, or of all the nodes of an agency at once.
//!
//! Each scenario is one lean propagation ([`Graph::spread`]) into a per-thread reusable
//! workspace (reset in O(what the last pass touched)), run in parallel with rayon. For a
//! pair of sites the down sets of both sites alone are kept (sorted), so each pair also
//! reports what only the joint failure takes down: the active-active systems whose every
//! site is gone.

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::rank::Worst;
use super::shared::Shared;
use crate::graph::Graph;
use crate::impact::{GradeCounts, ScenarioError, Workspace};
use crate::inventory::NodeKind;

/// Which scenarios to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sweep {
    /// Every site alone, then every pair of sites.
    Sites,
    /// Every node of a kind, alone.
    Kind(NodeKind),
    /// All nodes of each agency at once (one scenario per agency).
    Agencies(Vec<String>),
}

/// Options of a sweep.
#[derive(Debug, Clone)]
pub struct SweepOptions {
    /// The scenarios.
    pub sweep: Sweep,
    /// Outage length in hours; `None` = the outage lasts for ever.
    pub horizon_hours: Option<f64>,
    /// Keep only the N worst scenarios of each size; `None` keeps all.
    pub top: Option<usize>,
}

/// The blast radius of one scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioRow {
    /// What fails: a site id, `a + b` for a pair, a node id, or `agency NAME`.
    pub scenario: String,
    /// Node ids failed by the scenario.
    pub failed: Vec<String>,
    /// Other nodes taken down.
    pub down: usize,
    /// Those nodes per grade.
    pub down_by_grade: GradeCounts,
    /// Nodes degraded (not down).
    pub degraded: usize,
    /// For a pair: nodes down that neither member takes down alone.
    pub only_together: Option<usize>,
    /// The most critical node taken down (smallest grade, then id).
    pub most_critical: Option<Worst>,
}

/// The result of a sweep.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweeps {
    /// `sites`, `kind KIND` or `agency`.
    pub sweep: String,
    /// The horizon in hours, or null.
    pub horizon_hours: Option<f64>,
    /// Scenarios run.
    pub scenarios: usize,
    /// Single failures first, then pairs; each part by down count (highest first), then
    /// degraded count, then scenario name.
    pub rows: Vec<ScenarioRow>,
}

/// Why a sweep cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    /// The horizon is invalid.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// Nothing to sweep over.
    #[error("{0}")]
    Empty(String),
}

/// One scenario before it runs: its label and seeds (dense, sorted); pairs also name the
/// indices of their two single scenarios.
struct Plan {
    label: String,
    seeds: Vec<u32>,
    pair: Option<(usize, usize)>,
}

/// Runs a sweep.
pub fn sweep(
    graph: &Graph,
    opts: &SweepOptions,
    progress: &dyn Progress,
) -> Result<Sweeps, SweepError> {
    let horizon = Graph::horizon_secs(opts.horizon_hours)?;
    let inv = graph.inventory();
    let nodes_of = |pred: &dyn Fn(&crate::inventory::Node) -> bool| -> Vec<u32> {
        (0..graph.node_count() as u32)
            .filter(|&v| pred(graph.node(v)))
            .collect()
    };
    let (name, plans) = match &opts.sweep {
        Sweep::Sites => {
            let sites = nodes_of(&|n| n.kind == NodeKind::Site);
            if sites.is_empty() {
                return Err(SweepError::Empty("the inventory has no site".into()));
            }
            let mut plans: Vec<Plan> = sites
                .iter()
                .map(|&s| Plan {
                    label: graph.node(s).id.clone(),
                    seeds: vec![s],
                    pair: None,
                })
                .collect();
            for i in 0..sites.len() {
                for j in i + 1..sites.len() {
                    plans.push(Plan {
                        label: format!("{} + {}", graph.node(sites[i]).id, graph.node(sites[j]).id),
                        seeds: vec![sites[i], sites[j]],
                        pair: Some((i, j)),
                    });
                }
            }
            ("sites".to_owned(), plans)
        }
        Sweep::Kind(kind) => {
            let of_kind = nodes_of(&|n| n.kind == *kind);
            if of_kind.is_empty() {
                return Err(SweepError::Empty(format!(
                    "the inventory has no node of kind `{}`",
                    kind.as_str()
                )));
            }
            let plans = of_kind
                .into_iter()
                .map(|v| Plan {
                    label: graph.node(v).id.clone(),
                    seeds: vec![v],
                    pair: None,
                })
                .collect();
            (format!("kind {}", kind.as_str()), plans)
        }
        Sweep::Agencies(names) => {
            let mut plans = Vec::new();
            for a in names {
                let seeds = nodes_of(&|n| n.agency.as_deref() == Some(a.as_str()));
                if seeds.is_empty() {
                    let mut known: Vec<&str> = inv
                        .nodes
                        .iter()
                        .filter_map(|n| n.agency.as_deref())
                        .collect();
                    known.sort_unstable();
                    known.dedup();
                    let close = crate::inventory::closest(a, known, 3);
                    let hint = if close.is_empty() {
                        String::new()
                    } else {
                        format!("; did you mean {}?", close.join(", "))
                    };
                    return Err(SweepError::Empty(format!("no node has agency `{a}`{hint}")));
                }
                plans.push(Plan {
                    label: format!("agency {a}"),
                    seeds,
                    pair: None,
                });
            }
            ("agency".to_owned(), plans)
        }
    };
    progress.start(plans.len() as u64, "scenarios");
    let results = if horizon.is_none() {
        run_shared(graph, &plans, progress)
    } else {
        run_each(graph, &plans, horizon, progress)
    };
    progress.finish();
    // What a pair takes down beyond its two singles.
    let (singles, pairs): (Vec<_>, Vec<_>) = results
        .iter()
        .zip(&plans)
        .partition(|(_, p)| p.pair.is_none());
    let mut rows: Vec<ScenarioRow> = singles.iter().map(|((r, _), _)| r.clone()).collect();
    let mut pair_rows: Vec<ScenarioRow> = pairs
        .iter()
        .map(|((r, down), p)| {
            let mut r = r.clone();
            if let Some((i, j)) = p.pair {
                let (a, b) = (&results[i].1, &results[j].1);
                r.only_together = Some(
                    down.iter()
                        .filter(|x| a.binary_search(x).is_err() && b.binary_search(x).is_err())
                        .count(),
                );
            }
            r
        })
        .collect();
    let order = |a: &ScenarioRow, b: &ScenarioRow| {
        b.down
            .cmp(&a.down)
            .then(b.degraded.cmp(&a.degraded))
            .then(a.scenario.cmp(&b.scenario))
    };
    rows.sort_by(order);
    pair_rows.sort_by(order);
    if let Some(top) = opts.top {
        rows.truncate(top);
        pair_rows.truncate(top);
    }
    rows.extend(pair_rows);
    Ok(Sweeps {
        sweep: name,
        horizon_hours: opts.horizon_hours,
        scenarios: results.len(),
        rows,
    })
}

/// Runs every scenario from scratch (with a horizon, where times forbid sharing). Each
/// result carries its down set: sorted for singles, in any order for pairs (the shared
/// runner gives pairs only the part beyond their first single, which is all that
/// `only_together` needs).
fn run_each(
    graph: &Graph,
    plans: &[Plan],
    horizon: Option<u64>,
    progress: &dyn Progress,
) -> Vec<(ScenarioRow, Vec<u32>)> {
    plans
        .par_iter()
        .map_init(
            || Workspace::new(graph),
            |ws, plan| {
                graph.spread(ws, &plan.seeds, horizon, None);
                progress.advance(1);
                let mut set = ws.down().to_vec();
                if plan.pair.is_none() {
                    set.sort_unstable();
                }
                (row(graph, ws, plan), set)
            },
        )
        .collect()
}

/// Runs the scenarios without a horizon, sharing work: single failures resume from the
/// anchor state of [`Shared`], and a pair resumes from the finished state of its first
/// member's single failure (kept per single), adding only the second member.
fn run_shared(
    graph: &Graph,
    plans: &[Plan],
    progress: &dyn Progress,
) -> Vec<(ScenarioRow, Vec<u32>)> {
    let shared = Shared::new(graph, None);
    let singles: Vec<(ScenarioRow, Vec<u32>, Workspace)> = plans
        .par_iter()
        .filter(|p| p.pair.is_none())
        .map(|plan| {
            let mut ws = Workspace::new(graph);
            shared.run_seeds(&mut ws, &plan.seeds);
            progress.advance(1);
            let mut set = ws.down().to_vec();
            set.sort_unstable();
            (row(graph, &ws, plan), set, ws)
        })
        .collect();
    let pairs: Vec<(ScenarioRow, Vec<u32>)> = plans
        .par_iter()
        .filter(|p| p.pair.is_some())
        .map_init(
            || Workspace::new(graph),
            |ws, plan| {
                // Nodes down before this pair's own work: none, or the first single's.
                let mut base = 0;
                match (plan.pair, plan.seeds.as_slice()) {
                    (Some((i, _)), [_, second]) if i < singles.len() => {
                        ws.copy_from(&singles[i].2);
                        base = ws.down().len();
                        graph.spread_more(ws, &[*second], None, None);
                    }
                    _ => shared.run_seeds(ws, &plan.seeds),
                }
                progress.advance(1);
                // Only what the first single does not take down can be "only together".
                (row(graph, ws, plan), ws.down()[base..].to_vec())
            },
        )
        .collect();
    singles
        .into_iter()
        .map(|(r, set, _)| (r, set))
        .chain(pairs)
        .collect()
}

fn row(graph: &Graph, ws: &Workspace, plan: &Plan) -> ScenarioRow {
    let mut by = GradeCounts::default();
    let mut worst: Option<(u8, u32)> = None;
    for &x in ws.down() {
        if plan.seeds.binary_search(&x).is_ok() {
            continue;
        }
        let g = graph.node(x).grade;
        by.add(g);
        let key = (g.unwrap_or(u8::MAX), x);
        if worst.is_none_or(|w| key < w) {
            worst = Some(key);
        }
    }
    ScenarioRow {
        scenario: plan.label.clone(),
        failed: plan
            .seeds
            .iter()
            .map(|&s| graph.node(s).id.clone())
            .collect(),
        down: by.total(),
        down_by_grade: by,
        degraded: ws.degraded().count(),
        only_together: None,
        most_critical: worst.map(|(_, x)| Worst {
            id: graph.node(x).id.clone(),
            grade: graph.node(x).grade,
        }),
    }
}
