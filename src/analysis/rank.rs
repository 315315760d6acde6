//! Criticality ranking: the single-failure blast radius of every node, ranked by the
//! grade-weighted count of the nodes its failure takes down.
//!
//! # Algorithm
//!
//! Without a horizon only *whether* a node fails matters, not when, so a pass
//! (`Workspace::run` in the engine) ignores tolerances and is a FIFO closure with per-group loss
//! counters. Passes run in parallel with rayon; each worker thread owns one reusable
//! workspace whose dense arrays are allocated once and reset by walking only the entries
//! the previous pass touched, so a pass costs O(its blast radius), never O(V).
//!
//! Work is shared where the structure allows it (see `analysis::shared`): nodes in one
//! strongly connected component of the *must* graph (links whose loss alone takes the
//! consumer down) have the same blast radius, so one pass serves the whole component; and
//! every pass whose closure contains the largest such component starts from a copy of that
//! component's finished state and only follows what it adds. Each pass keeps its two most
//! critical down nodes, so "the most critical system it takes down, other than itself"
//! is exact for every member of a component.
//!
//! With a horizon, times depend on where the failure starts: only components of must
//! links *without tolerance* share a pass (a member's failure takes the others down at
//! hour 0, so their timed passes are identical), and there is no anchor state (a finished
//! timed pass cannot be extended with an earlier failure without redoing its times). Results are collected in node order and
//! sorted by (score, down count, id), so parallel and sequential runs are identical.

use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::shared::Shared;
use crate::engine::{Mark, Query, ScenarioError, Timing, Workspace};
use crate::grade::{ByGrade, Grade, GradeCounts};
use crate::graph::{Graph, NodeIx};

/// How much one node taken down weighs, per grade (`1=100,2=30,3=10,4=1`, ungraded 1 by
/// default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weights(pub ByGrade<u64>);

impl Default for Weights {
    fn default() -> Self {
        Weights(ByGrade::from_values([100, 30, 10, 1, 1]))
    }
}

impl Weights {
    /// The weight of a node of `grade`.
    pub fn of(&self, grade: Option<Grade>) -> u64 {
        *self.0.get(grade)
    }

    /// Grade-weighted total of grade counts.
    pub fn score(&self, c: &GradeCounts) -> u64 {
        c.iter()
            .map(|(g, &n)| self.of(g).saturating_mul(n as u64))
            .fold(0u64, u64::saturating_add)
    }
}

/// Weights are written `{"g1": 100, "g2": 30, "g3": 10, "g4": 1, "ungraded": 1}`.
impl Serialize for Weights {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(5))?;
        for (g, w) in self.0.iter() {
            match g {
                Some(g) => map.serialize_entry(&format!("g{g}"), w)?,
                None => map.serialize_entry("ungraded", w)?,
            }
        }
        map.end()
    }
}

impl std::str::FromStr for Weights {
    type Err = String;

    /// Parses `1=100,2=30,3=10,4=1` (and `ungraded=N`); grades left out keep their default.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut w = Weights::default();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').ok_or_else(|| {
                format!("invalid weight `{part}`: expected GRADE=WEIGHT such as 1=100")
            })?;
            let v: u64 = v.trim().parse().map_err(|_| {
                format!("invalid weight `{part}`: expected a whole number of at least 0 after `=`")
            })?;
            let grade = match k.trim() {
                "ungraded" | "-" => None,
                g => Some(g.parse().ok().and_then(Grade::new).ok_or_else(|| {
                    format!("invalid grade `{g}` in weights: expected 1, 2, 3, 4 or ungraded")
                })?),
            };
            *w.0.get_mut(grade) = v;
        }
        Ok(w)
    }
}

/// What to rank and how.
#[derive(Debug, Clone, Default)]
pub struct RankOptions {
    /// Outage length in hours; `None` = the outage lasts for ever.
    pub horizon_hours: Option<f64>,
    /// Keep only the first N rows; `None` keeps every node.
    pub top: Option<usize>,
    /// Weight per grade of a node taken down.
    pub weights: Weights,
    /// Worker threads; `None` uses rayon's global pool (all cores).
    pub threads: Option<usize>,
}

/// The most critical node a failure takes down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Worst {
    /// Node id.
    pub id: String,
    /// Its grade (`None` when nothing graded went down).
    pub grade: Option<Grade>,
}

/// One node's single-failure blast radius.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankRow {
    /// 1-based rank.
    pub rank: usize,
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Criticality grade of the node itself.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<String>,
    /// Grade-weighted count of the other nodes its failure takes down.
    pub score: u64,
    /// Other nodes taken down (the node itself not counted).
    pub down: usize,
    /// Those nodes per grade.
    pub down_by_grade: GradeCounts,
    /// Nodes degraded (not down).
    pub degraded: usize,
    /// The most critical node taken down (smallest grade, then id).
    pub most_critical: Option<Worst>,
    /// True when its failure alone takes down a grade 1 node other than itself.
    pub single_point_of_failure: bool,
}

/// The ranking of a whole inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    /// The horizon in hours, or null.
    pub horizon_hours: Option<f64>,
    /// The weights used.
    pub weights: Weights,
    /// The same weights keyed as every per-grade object of the JSON documents
    /// (`{"1": 100, "2": 30, "3": 10, "4": 1, "ungraded": 1}`); `weights` keeps its
    /// `g1` keys for the scripts that read them.
    pub grade_weights: ByGrade<u64>,
    /// Nodes ranked.
    pub nodes: usize,
    /// Single points of failure among all nodes (not only the rows kept).
    pub single_points_of_failure: usize,
    /// Rows by score (highest first), then down count, then id.
    pub rows: Vec<RankRow>,
}

/// Dense result of one pass before ids are attached: the failed node is still counted,
/// and the two most critical nodes are kept so that the one other than the failed node
/// can be told.
#[derive(Debug, Clone, Default, PartialEq)]
struct Radius {
    down_by_grade: GradeCounts,
    degraded: usize,
    worst: [Option<(u8, NodeIx)>; 2],
}

impl Radius {
    /// Keeps node `x` of grade `g` if it is among the two most critical so far.
    fn consider(&mut self, g: Option<Grade>, x: NodeIx) {
        // Ungraded ranks after grade 4; ties go to the smallest id (index).
        let key = (Grade::rank(g), x);
        if self.worst[0].is_none_or(|w| key < w) {
            self.worst[1] = self.worst[0];
            self.worst[0] = Some(key);
        } else if self.worst[1].is_none_or(|w| key < w) {
            self.worst[1] = Some(key);
        }
    }

    /// The radius of node `v`'s failure, `v` itself not counted.
    fn without(&self, graph: &Graph, v: NodeIx) -> Radius {
        let mut r = self.clone();
        r.down_by_grade.remove(graph.grade(v));
        let other = self.worst.iter().flatten().find(|(_, x)| *x != v).copied();
        r.worst = [other, None];
        r
    }
}

/// Ranks every node by the blast radius of its failure alone.
pub fn rank(
    graph: &Graph,
    opts: &RankOptions,
    progress: &dyn Progress,
) -> Result<Ranking, ScenarioError> {
    let horizon = Graph::horizon_secs(opts.horizon_hours)?;
    let n = graph.node_count();
    progress.start(n as u64, "ranking");
    let radii = match opts.threads {
        Some(k) => match rayon::ThreadPoolBuilder::new()
            .num_threads(k.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| radii(graph, horizon, progress)),
            Err(_) => radii(graph, horizon, progress),
        },
        None => radii(graph, horizon, progress),
    };
    progress.finish();
    let w = &opts.weights;
    let mut order: Vec<(u64, usize, NodeIx)> = graph
        .nodes()
        .zip(&radii)
        .map(|(v, r)| (w.score(&r.down_by_grade), r.down_by_grade.total(), v))
        .collect();
    // Highest score first, then most nodes down, then id (index order is id order).
    order.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let spofs = radii
        .iter()
        .filter(|r| r.down_by_grade.count(Some(Grade::G1)) > 0)
        .count();
    let keep = opts.top.unwrap_or(n).min(n);
    let rows = order
        .into_iter()
        .take(keep)
        .enumerate()
        .map(|(i, (score, down, v))| {
            let r = &radii[v.index()];
            let node = graph.node(v);
            RankRow {
                rank: i + 1,
                id: node.id.to_string(),
                name: node.name.to_string(),
                grade: node.grade,
                agency: node.agency.as_deref().map(str::to_owned),
                score,
                down,
                down_by_grade: r.down_by_grade,
                degraded: r.degraded,
                most_critical: r.worst[0].map(|(_, x)| Worst {
                    id: graph.node(x).id.to_string(),
                    grade: graph.grade(x),
                }),
                single_point_of_failure: r.down_by_grade.count(Some(Grade::G1)) > 0,
            }
        })
        .collect();
    Ok(Ranking {
        horizon_hours: opts.horizon_hours,
        weights: *w,
        grade_weights: w.0,
        nodes: n,
        single_points_of_failure: spofs,
        rows,
    })
}

/// The blast radius of every node, in node order, in the current rayon pool.
fn radii(graph: &Graph, horizon: Option<u64>, progress: &dyn Progress) -> Vec<Radius> {
    if horizon.is_some() {
        // Times depend on where a failure starts: only components of must links without
        // tolerance share a pass (each member takes the others down at hour 0).
        let shared = Shared::timed(graph);
        let per_comp: Vec<Radius> = (0..shared.reps.len())
            .into_par_iter()
            .with_min_len(16)
            .map_init(
                || Workspace::new(graph),
                |ws, k| {
                    ws.run(
                        graph,
                        &Query::closure(&[shared.reps[k]]).timed(Timing::counting(horizon)),
                    );
                    progress.advance(u64::from(shared.size[k]));
                    radius(graph, ws)
                },
            )
            .collect();
        return graph
            .nodes()
            .map(|v| per_comp[shared.comp[v.index()] as usize].without(graph, v))
            .collect();
    }
    let shared = Shared::new(graph, None);
    let per_comp = shared.sweep(
        progress,
        |ws| radius(graph, ws),
        |base, ws, mark| grown(graph, base, ws, mark),
    );
    graph
        .nodes()
        .map(|v| per_comp[shared.comp[v.index()] as usize].without(graph, v))
        .collect()
}

/// The radius of a pass that contains another (whose radius is `base`), from `base` and
/// only what the pass added since `mark`: O(the increment).
fn grown(graph: &Graph, base: &Radius, ws: &Workspace, mark: &Mark) -> Radius {
    let mut r = base.clone();
    // Nodes degraded before the mark and down since were counted in `base`; nodes
    // degraded since the mark and down since are among the new marks: each such node
    // comes off once.
    let mut marked_down = 0;
    for &x in ws.down_since(mark) {
        let g = graph.grade(x);
        r.down_by_grade.add(g);
        r.consider(g, x);
        if ws.is_marked_degraded(x) {
            marked_down += 1;
        }
    }
    r.degraded = (r.degraded + ws.degraded_since(mark).len()).saturating_sub(marked_down);
    r
}

/// Counts a pass's result, the failed nodes included.
fn radius(graph: &Graph, ws: &Workspace) -> Radius {
    let mut r = Radius::default();
    for &x in ws.down() {
        let g = graph.grade(x);
        r.down_by_grade.add(g);
        r.consider(g, x);
    }
    r.degraded = ws.degraded().count();
    r
}
