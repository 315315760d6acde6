//! Minimal cut sets: the smallest sets of nodes whose joint failure takes a target down
//! (how many independent failures a grade 1 system survives).
//!
//! # Algorithm
//!
//! Only *ancestors* of the target matter: nodes with a path of down-effect links to it
//! (found by one reverse breadth-first search). Every propagation below is confined to the
//! ancestors and the target, so its cost is bounded by that subgraph, not the inventory.
//!
//! 1. Size 1: a node with a path of *must* links to the target (links whose loss alone
//!    takes the consumer down) is a cut without any pass. The other ancestors fail alone,
//!    one pass per strongly connected component of must links (its members share a
//!    closure; see `analysis::shared`), in parallel with one reusable workspace per
//!    thread. For those that are not cuts the pass records its *partial groups*:
//!    down-effect groups that lost members without being lost, whose consumer stayed up,
//!    with the members lost.
//! 2. Size k ≥ 2: a set `S ∪ {b}` (neither part a cut) can only take the target down if its
//!    joint failure does more than the union of `closure(S)` and `closure({b})`, and the
//!    first thing it does more is to lose a group that both parts hit partially, with the
//!    members they lose together reaching the group's threshold. So `b` is looked up
//!    through an index from each partial group of `closure(S)` to the ancestors that hit
//!    that group alone, kept only when the union of lost members is large enough, and only
//!    those sets are checked; a check stops as soon as a node with a must path to the
//!    target goes down. The condition holds for every split of a minimal cut, so splitting
//!    off its largest member loses nothing: the search is exact. A candidate is kept when
//!    it takes the target down and contains no smaller cut already found (every cut
//!    contains a minimal one, and all smaller minimal cuts are known by then), so every
//!    reported cut is minimal.
//!
//! Level k enumerates every non-cut (k-1)-set of ancestors as `S`; that is cheap for
//! k = 2 and grows as C(ancestors, k-1) beyond. When that count exceeds
//! [`FRONTIER_LIMIT`], the search stops and says so (`complete = false`).

use crate::grade::Grade;
use rayon::prelude::*;
use serde::Serialize;

use super::Progress;
use super::shared::Shared;
use crate::engine::{Query, ScenarioError, Workspace};
use crate::graph::{Graph, GroupIx, LinkIx, NodeIx};
use crate::hash::{FastMap, FastSet};
use crate::inventory::Effect;

/// The most (k-1)-sets a level may enumerate before the search stops.
pub const FRONTIER_LIMIT: u64 = 2_000_000;

/// How many cuts are counted for each one listed before the count stops: counting goes on
/// past `--limit` so that the report can say how many there are, but not for ever (a group
/// of 100,000 alternatives that needs all but one has five billion minimal pairs).
pub const COUNT_FACTOR: usize = 100;

/// The default of [`CutOptions::limit`].
pub const DEFAULT_LIMIT: usize = 1_000;

/// What to search.
#[derive(Debug, Clone)]
pub struct CutOptions {
    /// The node to take down.
    pub target: String,
    /// The largest cut size searched.
    pub max: usize,
    /// The most cuts listed (the smallest first); more are counted, up to
    /// [`COUNT_FACTOR`] times as many.
    pub limit: usize,
}

/// The minimal cuts of a target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cuts {
    /// The target id.
    pub target: String,
    /// Its display name.
    pub name: String,
    /// Its grade.
    pub grade: Option<Grade>,
    /// The largest size searched.
    pub max: usize,
    /// Ancestors of the target (the only nodes that can be in a cut).
    pub ancestors: usize,
    /// The size of the smallest cut, if one of at most `max` nodes exists.
    pub smallest: Option<usize>,
    /// False when the search stopped before `max`: too many candidate sets (see
    /// [`FRONTIER_LIMIT`]), or too many cuts to count (see [`COUNT_FACTOR`]).
    pub complete: bool,
    /// The largest size fully searched.
    pub searched: usize,
    /// How many minimal cuts were found (all of them up to `searched` when `complete`;
    /// else at least this many exist).
    pub found: usize,
    /// The most cuts listed.
    pub limit: usize,
    /// Minimal cuts, smallest first, then by ids; each cut's ids sorted; at most `limit`.
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
    // The target and every node with a path of down-effect links to it.
    let within = graph.upstream([t], |l, _| {
        graph.group(graph.group_of(l)).effect == Effect::Down
    });
    let cand: Vec<NodeIx> = graph
        .nodes()
        .filter(|&v| v != t && within[v.index()])
        .collect();
    progress.start(cand.len() as u64, "cuts");

    // Size 1, and each non-cut's partial groups. Nodes with a path of must links to the
    // target are cuts without a pass; the others run one pass per must component.
    let must_anc = graph.upstream([t], |l, p| {
        graph.group(graph.group_of(l)).is_must() && within[p.index()]
    });
    let shared = Shared::new(graph, Some(&within));
    let mut comps: Vec<usize> = cand
        .iter()
        .filter(|&&a| !must_anc[a.index()])
        .map(|&a| shared.comp[a.index()] as usize)
        .collect();
    comps.sort_unstable();
    comps.dedup();
    let per_comp: Vec<(bool, Partial)> = comps
        .par_iter()
        .map_init(
            || Workspace::new(graph),
            |ws, &k| {
                shared.run(ws, k);
                progress.advance(u64::from(shared.size[k]));
                if ws.is_down(t) {
                    (true, Vec::new())
                } else {
                    (false, partial(graph, ws))
                }
            },
        )
        .collect();
    let singles: Vec<(bool, Partial)> = cand
        .iter()
        .map(|&a| {
            if must_anc[a.index()] {
                return (true, Vec::new());
            }
            let k = shared.comp[a.index()] as usize;
            match comps.binary_search(&k) {
                Ok(i) => per_comp[i].clone(),
                Err(_) => (true, Vec::new()),
            }
        })
        .collect();
    let mut found: Vec<Vec<NodeIx>> = cand
        .iter()
        .zip(&singles)
        .filter(|(_, (cut, _))| *cut)
        .map(|(&a, _)| vec![a])
        .collect();
    // Ancestors that are not cuts alone, by position in `cand`, and the index from a
    // partial group to the ones that hit it.
    let rest: Vec<usize> = (0..cand.len()).filter(|&i| !singles[i].0).collect();
    let mut by_group: FastMap<GroupIx, Vec<usize>> = FastMap::default();
    for &i in &rest {
        for (g, _) in &singles[i].1 {
            by_group.entry(*g).or_default().push(i);
        }
    }
    // Cuts of two or more nodes found so far; single cuts are never in `rest`.
    let mut found_multi: FastSet<Vec<NodeIx>> = FastSet::default();
    let mut searched = 1;
    let mut complete = true;
    let cap = opts.limit.max(1).saturating_mul(COUNT_FACTOR);
    let mut total = found.len();
    for k in 2..=opts.max {
        let Some(frontier) = combinations(rest.len(), k - 1) else {
            complete = false;
            break;
        };
        if frontier == 0 {
            searched = k;
            continue;
        }
        // The candidate sets in chunks of rank order, each chunk in parallel: the search
        // stops after the chunk in which the count cap is reached, so memory stays
        // bounded by the cap and the cuts found do not depend on the threads' timing.
        let chunk = (rayon::current_num_threads().max(1) * 4) as u64;
        let mut level: Vec<Vec<NodeIx>> = Vec::new();
        let mut from = 0u64;
        while from < frontier && total + level.len() < cap {
            let to = from.saturating_add(chunk).min(frontier);
            let budget = cap - (total + level.len());
            let part: Vec<Vec<Vec<NodeIx>>> = (from..to)
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
                        if contains_cut(seeds, &found_multi) {
                            return out;
                        }
                        let computed;
                        let pg: &Partial = if let [one] = s.as_slice() {
                            &singles[*one].1
                        } else {
                            ws.run(graph, &Query::closure(seeds).within(Some(&within)));
                            computed = partial(graph, ws);
                            &computed
                        };
                        let last = s.last().copied().unwrap_or(0);
                        partners.clear();
                        for (g, lost) in pg {
                            let Some(hits) = by_group.get(g) else {
                                continue;
                            };
                            let threshold = graph.group(*g).threshold() as usize;
                            for &b in hits.iter().filter(|&&b| b > last) {
                                // The joint failure can only lose `g` if the members the two
                                // sides lose together reach its threshold.
                                let other = &singles[b].1;
                                if let Ok(j) = other.binary_search_by_key(g, |(h, _)| *h)
                                    && union_len(lost, &other[j].1) >= threshold
                                {
                                    partners.push(b);
                                }
                            }
                        }
                        partners.sort_unstable();
                        partners.dedup();
                        for &b in partners.iter() {
                            // Each candidate set stops at the count cap by itself, so that
                            // what is found does not depend on the threads' timing.
                            if out.len() >= budget {
                                break;
                            }
                            seeds.push(cand[b]);
                            // A must ancestor going down settles it: the target follows.
                            if !contains_cut(seeds, &found_multi) && {
                                ws.run(
                                    graph,
                                    &Query {
                                        stop: Some(&must_anc),
                                        ..Query::closure(seeds).within(Some(&within))
                                    },
                                );
                                ws.stopped()
                            } {
                                out.push(seeds.clone());
                            }
                            seeds.pop();
                        }
                        out
                    },
                )
                .collect();
            for mut cuts in part {
                level.append(&mut cuts);
            }
            level.truncate(cap - total);
            from = to;
        }
        let stopped = from < frontier || total + level.len() >= cap;
        level.sort_unstable();
        level.dedup();
        total += level.len();
        found_multi.extend(level.iter().cloned());
        found.extend(level);
        if stopped {
            complete = false;
            break;
        }
        searched = k;
    }
    progress.finish();
    found.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    let node = graph.node(t);
    Ok(Cuts {
        target: node.id.to_string(),
        name: node.name.to_string(),
        grade: node.grade,
        max: opts.max,
        ancestors: cand.len(),
        smallest: found.first().map(Vec::len),
        complete,
        searched,
        found: total,
        limit: opts.limit,
        cuts: found
            .iter()
            .take(opts.limit)
            .map(|c| c.iter().map(|&v| graph.node(v).id.to_string()).collect())
            .collect(),
    })
}

/// Whether the set `s` (in any order) holds one of the multi-node cuts in `found` (each
/// sorted) as a subset: every subset of two or more nodes is looked up (at most 2^|s|),
/// or, for large sets, every known cut is tested for inclusion.
fn contains_cut(s: &[NodeIx], found: &FastSet<Vec<NodeIx>>) -> bool {
    if found.is_empty() || s.len() < 2 {
        return false;
    }
    if s.len() > 16 {
        // Too many subsets to enumerate: test each known cut for inclusion instead.
        return found.iter().any(|c| c.iter().all(|x| s.contains(x)));
    }
    let mut sorted = s.to_vec();
    sorted.sort_unstable();
    let mut sub = Vec::with_capacity(s.len());
    (1u32..(1 << s.len())).any(|mask| {
        if mask.count_ones() < 2 {
            return false;
        }
        sub.clear();
        sub.extend(
            sorted
                .iter()
                .enumerate()
                .filter(|(i, _)| mask & (1 << i) != 0)
                .map(|(_, &x)| x),
        );
        found.contains(&sub)
    })
}

/// The partial groups of a pass, sorted by group: each with the member links lost.
type Partial = Vec<(GroupIx, Vec<LinkIx>)>;

/// The partial groups of the pass in `ws`, with their lost members (sorted): found from
/// the down nodes' dependants, so that a group of a hundred thousand alternatives costs
/// what the pass touched, not its size.
fn partial(graph: &Graph, ws: &Workspace) -> Partial {
    let mut out: Partial = ws.partial_groups(graph).map(|g| (g, Vec::new())).collect();
    if out.is_empty() {
        return out;
    }
    out.sort_unstable_by_key(|(g, _)| *g);
    for &x in ws.down() {
        for dep in graph.dependants(x) {
            if let Ok(i) = out.binary_search_by_key(&dep.group, |(g, _)| *g) {
                out[i].1.push(dep.link);
            }
        }
    }
    for (_, lost) in &mut out {
        lost.sort_unstable();
    }
    out
}

/// Size of the union of two sorted lists.
fn union_len(a: &[LinkIx], b: &[LinkIx]) -> usize {
    a.len() + b.iter().filter(|x| a.binary_search(x).is_err()).count()
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
