//! Scenario sweeps: the blast radius of each site failing alone and of each pair of sites,
//! of each node of a kind, or of all the nodes of an agency at once.
//!
//! Each scenario is one lean pass (`Workspace::run` in the engine) into a per-thread reusable
//! workspace (reset in O(what the last pass touched)), run in parallel with rayon. Without
//! a horizon, work is shared: a single failure that reaches the largest component of hard
//! dependencies resumes from that component's finished state (see `analysis::shared`),
//! and a pair of sites resumes from the finished state of its first site's single failure
//! and only follows what the second site adds. The nodes that increment adds and the second
//! site does not take down alone are the pair's `only_together` count: the active-active
//! systems whose every site is gone. With a horizon every scenario runs from scratch.

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::rank::Worst;
use super::shared::Shared;
use crate::engine::{Query, ScenarioError, Timing, Workspace};
use crate::grade::{Grade, GradeCounts};
use crate::graph::{Graph, NodeIx};
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
    seeds: Vec<NodeIx>,
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
    let nodes_of = |pred: &dyn Fn(&crate::inventory::Node) -> bool| -> Vec<NodeIx> {
        graph.nodes().filter(|&v| pred(graph.node(v))).collect()
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
                    label: graph.node(s).id.to_string(),
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
                    label: graph.node(v).id.to_string(),
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
    let all = if horizon.is_none() {
        run_shared(graph, &plans, progress)
    } else {
        only_together(run_each(graph, &plans, horizon, progress), &plans)
    };
    progress.finish();
    let scenarios = all.len();
    let (mut rows, mut pair_rows): (Vec<ScenarioRow>, Vec<ScenarioRow>) =
        all.into_iter().partition(|r| r.only_together.is_none());
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
        scenarios,
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
) -> Vec<(ScenarioRow, Vec<NodeIx>)> {
    plans
        .par_iter()
        .map_init(
            || Workspace::new(graph),
            |ws, plan| {
                ws.run(
                    graph,
                    &Query::closure(&plan.seeds).timed(Timing::counting(horizon)),
                );
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

/// Fills in what each pair takes down beyond its two singles.
fn only_together(results: Vec<(ScenarioRow, Vec<NodeIx>)>, plans: &[Plan]) -> Vec<ScenarioRow> {
    results
        .iter()
        .zip(plans)
        .map(|((r, down), p)| {
            let mut r = r.clone();
            if let Some((i, j)) = p.pair
                && let (Some(a), Some(b)) = (results.get(i), results.get(j))
            {
                r.only_together = Some(
                    down.iter()
                        .filter(|x| a.1.binary_search(x).is_err() && b.1.binary_search(x).is_err())
                        .count(),
                );
            }
            r
        })
        .collect()
}

/// Counts of one pass, the scenario's seeds left out.
#[derive(Debug, Clone, Default)]
struct Tally {
    by: GradeCounts,
    degraded: usize,
    /// The two most critical down nodes: (grade, ungraded last; index).
    worst: [Option<(u8, NodeIx)>; 2],
}

impl Tally {
    fn consider(&mut self, graph: &Graph, x: NodeIx) {
        let g = graph.grade(x);
        self.by.add(g);
        let key = (Grade::rank(g), x);
        if self.worst[0].is_none_or(|w| key < w) {
            self.worst[1] = self.worst[0];
            self.worst[0] = Some(key);
        } else if self.worst[1].is_none_or(|w| key < w) {
            self.worst[1] = Some(key);
        }
    }

    fn row(&self, graph: &Graph, plan: &Plan, only_together: Option<usize>) -> ScenarioRow {
        ScenarioRow {
            scenario: plan.label.clone(),
            failed: plan
                .seeds
                .iter()
                .map(|&s| graph.node(s).id.to_string())
                .collect(),
            down: self.by.total(),
            down_by_grade: self.by,
            degraded: self.degraded,
            only_together,
            most_critical: self.worst[0].map(|(_, x)| Worst {
                id: graph.node(x).id.to_string(),
                grade: graph.grade(x),
            }),
        }
    }
}

/// Runs the scenarios without a horizon, sharing work. A worker keeps one copy of the
/// anchor state (see [`Shared`]); a single failure runs on top of it and is rolled back,
/// and the pairs that start with that single run on top of its state in turn, each
/// rolled back after counting what it added. So a pair costs O(what the second site adds),
/// and memory stays at a few workspaces plus one bitset of down nodes per single.
fn run_shared(graph: &Graph, plans: &[Plan], progress: &dyn Progress) -> Vec<ScenarioRow> {
    let shared = Shared::new(graph, None);
    let n = graph.node_count();
    let singles: Vec<usize> = (0..plans.len())
        .filter(|&i| plans[i].pair.is_none())
        .collect();
    // Down set of each single as a bitset (64 nodes a word), for `only_together`.
    let words = n.div_ceil(64);
    let chunk = singles
        .len()
        .div_ceil(rayon::current_num_threads().max(1) * 4)
        .max(1);
    let single_sets: Vec<Vec<u64>> = singles
        .par_chunks(chunk)
        .flat_map_iter(|ks| {
            let mut w = shared.worker();
            ks.iter()
                .map(|&k| {
                    let (ws, mark) = shared.begin(&mut w, &plans[k].seeds);
                    let mut bits = vec![0u64; words];
                    for &x in ws.down() {
                        bits[x.index() / 64] |= 1 << (x.index() % 64);
                    }
                    if let Some(m) = mark {
                        ws.rollback(m);
                    }
                    bits
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Pairs of the first member `i`, by the position of `i` among the singles.
    let mut pairs_of: Vec<Vec<usize>> = vec![Vec::new(); singles.len()];
    for (k, p) in plans.iter().enumerate() {
        if let Some((i, _)) = p.pair
            && let Some(list) = pairs_of.get_mut(i)
        {
            list.push(k);
        }
    }
    let rows: Vec<Vec<(usize, ScenarioRow)>> = (0..singles.len())
        .into_par_iter()
        .map_init(
            || shared.worker(),
            |w, i| {
                let plan = &plans[singles[i]];
                let (ws, mark) = shared.begin(w, &plan.seeds);
                let mut base = Tally::default();
                for &x in ws.down() {
                    if !plan.seeds.contains(&x) {
                        base.consider(graph, x);
                    }
                }
                base.degraded = ws.degraded().count();
                progress.advance(1);
                let mut out = vec![(singles[i], base.row(graph, plan, None))];
                for &k in &pairs_of[i] {
                    let pair = &plans[k];
                    let (Some((_, j)), [_, second]) = (pair.pair, pair.seeds.as_slice()) else {
                        continue;
                    };
                    let second = *second;
                    let tally = if ws.is_down(second) {
                        // The second site already fails with the first: the pair is the
                        // first's scenario with one more seed left out; count it whole.
                        let mut t = Tally::default();
                        for &x in ws.down() {
                            if !pair.seeds.contains(&x) {
                                t.consider(graph, x);
                            }
                        }
                        t.degraded = ws.degraded().count();
                        (t, 0)
                    } else {
                        let m2 = ws.checkpoint();
                        ws.more(graph, &Query::closure(&[second]));
                        let mut t = base.clone();
                        let mut together = 0;
                        let mut marked_down = 0usize;
                        let other = single_sets.get(j).map(Vec::as_slice).unwrap_or(&[]);
                        for &x in ws.down_since(&m2) {
                            if x != second {
                                t.consider(graph, x);
                            }
                            // A degraded mark on a node now down: counted in the base if it
                            // predates this pair's work, and among the new marks if not.
                            if ws.is_marked_degraded(x) {
                                marked_down += 1;
                            }
                            let in_other = other
                                .get(x.index() / 64)
                                .is_some_and(|w| w >> (x.index() % 64) & 1 == 1);
                            if !in_other {
                                together += 1;
                            }
                        }
                        t.degraded =
                            (t.degraded + ws.degraded_since(&m2).len()).saturating_sub(marked_down);
                        ws.rollback(m2);
                        (t, together)
                    };
                    progress.advance(1);
                    out.push((k, tally.0.row(graph, pair, Some(tally.1))));
                }
                if let Some(m) = mark {
                    ws.rollback(m);
                }
                out
            },
        )
        .collect();
    let mut all: Vec<(usize, ScenarioRow)> = rows.into_iter().flatten().collect();
    all.sort_by_key(|(k, _)| *k);
    all.into_iter().map(|(_, r)| r).collect()
}

fn row(graph: &Graph, ws: &Workspace, plan: &Plan) -> ScenarioRow {
    let mut by = GradeCounts::default();
    let mut worst: Option<(u8, NodeIx)> = None;
    for &x in ws.down() {
        if plan.seeds.binary_search(&x).is_ok() {
            continue;
        }
        let g = graph.grade(x);
        by.add(g);
        let key = (Grade::rank(g), x);
        if worst.is_none_or(|w| key < w) {
            worst = Some(key);
        }
    }
    ScenarioRow {
        scenario: plan.label.clone(),
        failed: plan
            .seeds
            .iter()
            .map(|&s| graph.node(s).id.to_string())
            .collect(),
        down: by.total(),
        down_by_grade: by,
        degraded: ws.degraded().count(),
        only_together: None,
        most_critical: worst.map(|(_, x)| Worst {
            id: graph.node(x).id.to_string(),
            grade: graph.grade(x),
        }),
    }
}
