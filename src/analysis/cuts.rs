//! Minimal cut sets: the smallest sets of nodes whose joint failure takes a target down
//! (how many independent failures a grade 1 system survives).
//!
//! # Algorithm
//!
//! Only *ancestors* of the target matter: nodes with a path of down-effect links to it
//! (found by one reverse breadth-first search). Every propagation below is confined to the
//! ancestors and the target, so its cost is bounded by that subgraph, not the inventory.
//!
//! 1. Size 1: each ancestor fails alone (in parallel, one reusable workspace per thread);
//!    those that take the target down are the single points of failure. For the others the
//!    pass also records its *partial groups*: down-effect groups that lost members without
//!    being lost, whose consumer stayed up.
//! 2. Size k ≥ 2: a set `S ∪ {b}` (neither part a cut) can only take the target down if its
//!    joint failure does more than the union of `closure(S)` and `closure({b})`, and the
//!    first thing it does more is to lose a group that both parts hit partially. So `b` is
//!    looked up through an index from each partial group of `closure(S)` to the ancestors
//!    that hit that group alone, and only those pairs are propagated. The condition holds
//!    for every split of a minimal cut, so splitting off its largest member loses nothing:
//!    the search is exact. A candidate is kept when it takes the target down and contains
//!    no smaller cut already found (every cut contains a minimal one, and all smaller
//!    minimal cuts are known by then), so every reported cut is minimal.
//!
//! Level k enumerates every non-cut (k-1)-set of ancestors as `S`; that is cheap for
//! k = 2 and grows as C(ancestors, k-1) beyond. When that count exceeds
//! [`FRONTIER_LIMIT`], the search stops and says so (`complete = false`).

use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::graph::NodeIndex;
use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use crate::graph::{FastMap, Graph};
use crate::impact::{ScenarioError, Workspace};
use crate::inventory::Effect;

/// The most (k-1)-sets a level may enumerate before the search stops.
pub const FRONTIER_LIMIT: u64 = 2_000_000;

/// What to search.
#[derive(Debug, Clone)]
pub struct CutOptions {
    /// The node to take down.
    pub target: String,
    /// The largest cut size searched.
    pub max: usize,
}

/// The minimal cuts of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cuts {
    /// The target id.
    pub target: String,
    /// Its display name.
    pub name: String,
    /// Its grade.
    pub grade: Option<u8>,
    /// The largest size searched.
    pub max: usize,
    /// Ancestors of the target (the only nodes that can be in a cut).
    pub ancestors: usize,
    /// The size of the smallest cut, if one of at most `max` nodes exists.
    pub smallest: Option<usize>,
    /// False when the search stopped before `max` (see [`FRONTIER_LIMIT`]).
    pub complete: bool,
    /// The largest size fully searched.
    pub searched: usize,
    /// Minimal cuts, smallest first, then by ids; each cut's ids sorted.
    pub cuts: Vec<Vec<String>>,
}

/// Why a cut search cannot run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CutError {
    /// Unknown target.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// `--max 0`.
    #[error("invalid maximum cut size 0: expected at least 1")]
    ZeroMax,
}

/// Finds the minimal sets of at most `opts.max` nodes (the target excluded) whose joint
/// failure takes the target down, with no horizon (the outage lasts for ever).
pub fn cuts(graph: &Graph, opts: &CutOptions, progress: &dyn Progress) -> Result<Cuts, CutError> {
    if opts.max == 0 {
        return Err(CutError::ZeroMax);
    }
    let t = graph
        .resolve_node_ids(std::slice::from_ref(&opts.target))?
        .first()
        .copied()
        .ok_or(ScenarioError::Empty)?;
    let within = ancestors(graph, t);
    let cand: Vec<u32> = (0..graph.node_count() as u32)
        .filter(|&v| v != t && within[v as usize])
        .collect();
    progress.start(cand.len() as u64, "cuts");

    // Size 1, and each non-cut's partial groups.
    let singles: Vec<(bool, Vec<u32>)> = cand
        .par_iter()
        .map_init(
            || Workspace::new(graph),
            |ws, &a| {
                graph.spread(ws, &[a], None, Some(&within));
                progress.advance(1);
                if ws.is_down(t) {
                    (true, Vec::new())
                } else {
                    let mut pg: Vec<u32> = ws.partial_groups(graph).collect();
                    pg.sort_unstable();
                    (false, pg)
                }
            },
        )
        .collect();
    let mut found: Vec<Vec<u32>> = cand
        .iter()
        .zip(&singles)
        .filter(|(_, (cut, _))| *cut)
        .map(|(&a, _)| vec![a])
        .collect();
    // Ancestors that are not cuts alone, by position in `cand`, and the index from a
    // partial group to the ones that hit it.
    let rest: Vec<usize> = (0..cand.len()).filter(|&i| !singles[i].0).collect();
    let mut by_group: FastMap<u32, Vec<usize>> = FastMap::default();
    for &i in &rest {
        for &g in &singles[i].1 {
            by_group.entry(g).or_default().push(i);
        }
    }
    let mut searched = 1;
    let mut complete = true;
    for k in 2..=opts.max {
        let Some(frontier) = combinations(rest.len(), k - 1) else {
            complete = false;
            break;
        };
        if frontier == 0 {
            searched = k;
            continue;
        }
        let level: Vec<Vec<u32>> = (0..frontier)
            .into_par_iter()
            .map_init(
                || (Workspace::new(graph), Vec::new(), Vec::new()),
                |(ws, seeds, partners), rank| {
                    let s: Vec<usize> = unrank(rank, rest.len(), k - 1)
                        .into_iter()
                        .map(|i| rest[i])
                        .collect();
                    let mut out = Vec::new();
                    seeds.clear();
                    seeds.extend(s.iter().map(|&i| cand[i]));
                    if contains_cut(seeds, &found) {
                        return out;
                    }
                    let pg: Vec<u32> = if let [one] = s.as_slice() {
                        singles[*one].1.clone()
                    } else {
                        graph.spread(ws, seeds, None, Some(&within));
                        ws.partial_groups(graph).collect()
                    };
                    let last = s.last().copied().unwrap_or(0);
                    partners.clear();
                    for g in pg {
                        if let Some(hits) = by_group.get(&g) {
                            partners.extend(hits.iter().copied().filter(|&b| b > last));
                        }
                    }
                    partners.sort_unstable();
                    partners.dedup();
                    for &b in partners.iter() {
                        seeds.push(cand[b]);
                        if !contains_cut(seeds, &found) {
                            graph.spread(ws, seeds, None, Some(&within));
                            if ws.is_down(t) {
                                out.push(seeds.clone());
                            }
                        }
                        seeds.pop();
                    }
                    out
                },
            )
            .flatten()
            .collect();
        let mut level = level;
        level.sort_unstable();
        level.dedup();
        found.extend(level);
        searched = k;
    }
    progress.finish();
    found.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    let node = graph.node(t);
    Ok(Cuts {
        target: node.id.clone(),
        name: node.name.clone(),
        grade: node.grade,
        max: opts.max,
        ancestors: cand.len(),
        smallest: found.first().map(Vec::len),
        complete,
        searched,
        cuts: found
            .iter()
            .map(|c| c.iter().map(|&v| graph.node(v).id.clone()).collect())
            .collect(),
    })
}

/// Marks the target and every node with a path of down-effect links to it.
fn ancestors(graph: &Graph, t: u32) -> Vec<bool> {
    let mut seen = vec![false; graph.node_count()];
    let mut queue = VecDeque::from([t]);
    seen[t as usize] = true;
    let pg = graph.petgraph();
    while let Some(v) = queue.pop_front() {
        for e in pg.edges_directed(NodeIndex::new(v as usize), Direction::Incoming) {
            use petgraph::visit::EdgeRef;
            let link = e.id().index() as u32;
            if graph.group(graph.group_of(link)).effect != Effect::Down {
                continue;
            }
            let p = e.source().index();
            if !seen[p] {
                seen[p] = true;
                queue.push_back(p as u32);
            }
        }
    }
    seen
}

/// Whether the sorted-or-not set `s` contains one of the cuts in `found` (each sorted).
fn contains_cut(s: &[u32], found: &[Vec<u32>]) -> bool {
    found
        .iter()
        .any(|c| c.len() < s.len() + 1 && c.iter().all(|x| s.contains(x)))
}

/// C(n, k), or `None` when it is above [`FRONTIER_LIMIT`].
fn combinations(n: usize, k: usize) -> Option<u64> {
    let mut c: u64 = 1;
    for i in 0..k as u64 {
        if i >= n as u64 {
            return Some(0);
        }
        c = c.checked_mul(n as u64 - i)? / (i + 1);
        if c > FRONTIER_LIMIT {
            return None;
        }
    }
    Some(c)
}

/// The `rank`-th k-subset of 0..n in lexicographic order.
fn unrank(mut rank: u64, n: usize, k: usize) -> Vec<usize> {
    let mut out = Vec::with_capacity(k);
    let mut next = 0usize;
    for left in (1..=k).rev() {
        // Skip first elements while the subsets starting with them come before `rank`.
        while next < n {
            let with = combinations(n - next - 1, left - 1).unwrap_or(u64::MAX);
            if rank < with {
                break;
            }
            rank -= with;
            next += 1;
        }
        out.push(next);
        next += 1;
    }
    out
}
