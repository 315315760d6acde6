//! The impact engine: failure propagation (SPEC section 2) and change reachability (section 3).
//!
//! Failure propagation is one event-driven pass in the order of loss time, like Dijkstra's
//! algorithm: a node's failure time is final when its event is taken, so every node and link
//! is handled at most once and no fixpoint sweep is needed. A link is lost at
//! `T(provider) + tolerance`, which is never earlier than the event that caused it, so the
//! `k`-th loss taken for a group is its `k`-th smallest loss time, and a group of `n` members
//! with minimum `m` is lost exactly when its `(n - m + 1)`-th member loss is taken. Losses
//! with zero tolerance happen "now": they are taken at once, and the nodes they down join a
//! list of down nodes in the order they fell (a FIFO queue that is never emptied); only
//! delayed losses pay for heap operations. Only nodes reached by a lost link are touched:
//! O((V' + E') log E') for the affected part V', E' (plus zeroing the dense state arrays).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rayon::prelude::*;
use serde::Serialize;
use smallvec::SmallVec;

use crate::graph::{Graph, LossRule};
use crate::inventory::Effect;

/// Seconds in an hour, the unit of every time in results.
const HOUR: f64 = 3600.0;
const NEVER: u64 = u64::MAX;
const NONE: u32 = u32::MAX;

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

/// A change scenario: nodes whose interface changes, links that change.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Change {
    /// Node ids that change.
    pub systems: Vec<String>,
    /// Link ids that change.
    pub links: Vec<String>,
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
fn resolve<'a>(
    ids: &[String],
    index: impl Fn(&str) -> Option<u32>,
    similar: impl Fn(&str) -> Vec<&'a str>,
    unknown: impl Fn(String, Vec<String>) -> ScenarioError,
) -> Result<Vec<u32>, ScenarioError> {
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
        .collect::<Result<Vec<u32>, _>>()?;
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
    pub grade: Option<u8>,
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

/// Node counts per criticality grade, serialized as `{"1": n, "2": n, "3": n, "4": n, "ungraded": n}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct GradeCounts {
    /// Grade 1 (most critical).
    #[serde(rename = "1")]
    pub g1: usize,
    /// Grade 2.
    #[serde(rename = "2")]
    pub g2: usize,
    /// Grade 3.
    #[serde(rename = "3")]
    pub g3: usize,
    /// Grade 4.
    #[serde(rename = "4")]
    pub g4: usize,
    /// No grade given.
    pub ungraded: usize,
}

impl GradeCounts {
    /// The grades, most critical first, then ungraded (`None`).
    pub const GRADES: [Option<u8>; 5] = [Some(1), Some(2), Some(3), Some(4), None];

    /// Counts one node of `grade`.
    pub fn add(&mut self, grade: Option<u8>) {
        *self.slot(grade) += 1;
    }

    /// Uncounts one node of `grade` (no count goes below zero).
    pub fn remove(&mut self, grade: Option<u8>) {
        let slot = self.slot(grade);
        *slot = slot.saturating_sub(1);
    }

    /// The grades with a count above zero and their counts, in [`GradeCounts::GRADES`] order.
    pub fn nonzero(&self) -> impl Iterator<Item = (Option<u8>, usize)> + '_ {
        Self::GRADES
            .into_iter()
            .map(|g| (g, self.get(g)))
            .filter(|&(_, n)| n > 0)
    }

    /// The count for `grade` (`None` = ungraded).
    pub fn get(&self, grade: Option<u8>) -> usize {
        match grade {
            Some(1) => self.g1,
            Some(2) => self.g2,
            Some(3) => self.g3,
            Some(4) => self.g4,
            _ => self.ungraded,
        }
    }

    /// Total over all grades.
    pub fn total(&self) -> usize {
        self.g1 + self.g2 + self.g3 + self.g4 + self.ungraded
    }

    fn slot(&mut self, grade: Option<u8>) -> &mut usize {
        match grade {
            Some(1) => &mut self.g1,
            Some(2) => &mut self.g2,
            Some(3) => &mut self.g3,
            Some(4) => &mut self.g4,
            _ => &mut self.ungraded,
        }
    }
}

/// Totals of a failure impact.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactSummary {
    /// Nodes down (seeds included).
    pub down: usize,
    /// Nodes degraded.
    pub degraded: usize,
    /// The most critical grade (smallest number) among the down nodes.
    pub most_critical_down: Option<u8>,
    /// Down nodes per grade.
    pub down_by_grade: GradeCounts,
    /// Degraded nodes per grade.
    pub degraded_by_grade: GradeCounts,
    /// Agencies with at least one affected node, sorted.
    pub agencies: Vec<String>,
}

/// The result of a failure scenario (SPEC section 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Impact<'g> {
    /// The scenario.
    pub scenario: ScenarioEcho,
    /// Every down or degraded node, sorted by `at_hours`, `depth`, `id`.
    pub affected: Vec<Affected<'g>>,
    /// Totals.
    pub summary: ImpactSummary,
}

/// One node reached by a change; its text is borrowed from the graph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reached<'g> {
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Shortest number of links from a changed item.
    pub depth: u32,
    /// A shortest chain from a changed node, each next id a consumer of the one before.
    pub path: Path<'g>,
    /// Criticality grade.
    pub grade: Option<u8>,
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
    pub most_critical: Option<u8>,
    /// Affected nodes per grade.
    pub by_grade: GradeCounts,
    /// Agencies to notify, sorted.
    pub agencies: Vec<String>,
}

/// The result of a change scenario (SPEC section 3).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangeImpact<'g> {
    /// Changed node ids.
    pub changed: Vec<String>,
    /// Changed link ids.
    pub changed_links: Vec<String>,
    /// Every node that depends on a changed item, sorted by `depth`, then `id`.
    pub affected: Vec<Reached<'g>>,
    /// Totals.
    pub summary: ChangeSummary,
}

/// What a failure pass decided for one node: the engine's output before ids are attached.
/// One record per node, so that taking an event touches one cache line, not five arrays.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fate {
    /// Failure time in seconds, `NEVER` if the node stays up (within the horizon).
    pub down_at: u64,
    /// Earliest degradation time, `NEVER` if none.
    pub degraded_at: u64,
    /// Witness depth of the deciding event.
    pub depth: u32,
    /// The provider of the witness link (`NONE` for seeds).
    pub from: u32,
    /// Whether the witness link was lost as a seed (`--fail-link`), not through its provider.
    pub seeded: bool,
}

impl Fate {
    const UNTOUCHED: Fate = Fate {
        down_at: NEVER,
        degraded_at: NEVER,
        depth: 0,
        from: NONE,
        seeded: false,
    };
}

/// A set of nodes, one bit each: the checks made for every dependant of every down node
/// stay in the fastest cache even at national scale.
#[derive(Debug, Clone)]
struct NodeSet(Vec<u64>);

impl NodeSet {
    fn new(n: usize) -> Self {
        NodeSet(vec![0; n.div_ceil(64)])
    }

    fn contains(&self, v: u32) -> bool {
        self.0
            .get(v as usize / 64)
            .is_some_and(|w| w >> (v % 64) & 1 == 1)
    }

    fn insert(&mut self, v: u32) {
        if let Some(w) = self.0.get_mut(v as usize / 64) {
            *w |= 1 << (v % 64);
        }
    }
}

/// The loss of a link. Besides the link it carries what taking it needs (group, rule,
/// consumer, provider), so that the pass reads dense per-node arrays instead of per-link
/// tables; those fields are determined by `link`, so the order of losses (used for ties) is
/// the order of `(link, seeded)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Loss {
    link: u32,
    group: u32,
    rule: LossRule,
    consumer: u32,
    from: u32,
    /// The scenario failed the link directly.
    seeded: bool,
}

/// The state of one failure pass (see [`Graph::propagate`]).
struct Pass {
    fates: Vec<Fate>,
    down: NodeSet,
    /// Nodes degraded so far (a later degradation changes nothing).
    degraded: NodeSet,
    /// Links the scenario failed, sorted, and whether each has been taken as lost.
    seeded_links: Vec<u32>,
    seed_lost: Vec<bool>,
    /// Lost members per group, for groups that tolerate losses.
    lost_count: Vec<u32>,
    /// Down nodes in the order they went down. A node is marked down when its down event
    /// is found, not when its links are lost: the first event found is the first a FIFO
    /// queue would take, and later losses of a node bound to go down change nothing that
    /// is reported, so marking it early only skips them.
    order: Vec<u32>,
}

impl Pass {
    /// Whether `link` is a seeded link already taken as lost.
    fn seed_taken(&self, link: u32) -> bool {
        !self.seeded_links.is_empty()
            && self
                .seeded_links
                .binary_search(&link)
                .is_ok_and(|i| self.seed_lost[i])
    }

    /// Marks `node` down at time `t`, `depth` links from a seed, through a link from
    /// `from` (`NONE` for a seed) that the scenario failed if `seeded`.
    fn fall(&mut self, t: u64, depth: u32, node: u32, from: u32, seeded: bool) {
        if self.down.contains(node) {
            return;
        }
        self.down.insert(node);
        if let Some(f) = self.fates.get_mut(node as usize) {
            *f = Fate {
                down_at: t,
                depth,
                from,
                seeded,
                ..*f
            };
        }
        self.order.push(node);
    }

    /// Takes the loss of a link at time `t`, `depth` links from a seed.
    fn lose(&mut self, t: u64, depth: u32, loss: Loss) {
        if self.down.contains(loss.consumer) {
            return;
        }
        if !self.seeded_links.is_empty()
            && let Ok(i) = self.seeded_links.binary_search(&loss.link)
        {
            if self.seed_lost[i] {
                return;
            }
            self.seed_lost[i] = true;
        }
        // When the first loss decides the group, a repeated loss changes nothing (the
        // consumer's first down event or degradation wins), so no counter is kept.
        let threshold = loss.rule.threshold();
        let lost = if threshold == 1 {
            1
        } else {
            // Counted groups are numbered first (see `Graph::new`).
            let Some(count) = self.lost_count.get_mut(loss.group as usize) else {
                return;
            };
            *count += 1;
            *count
        };
        match loss.rule.effect() {
            Effect::Down if lost == threshold => {
                self.fall(t, depth, loss.consumer, loss.from, loss.seeded)
            }
            // A member lost, group held: lost redundancy.
            Effect::Down if lost < threshold => self.degrade(t, depth, loss),
            Effect::Degraded if lost == threshold => self.degrade(t, depth, loss),
            _ => {}
        }
    }

    /// Notes that a loss degrades its consumer (unless something earlier did).
    fn degrade(&mut self, t: u64, depth: u32, loss: Loss) {
        // Events are taken in time order, so the first one is the earliest; a node already
        // down keeps its down witness.
        if self.degraded.contains(loss.consumer) || self.down.contains(loss.consumer) {
            return;
        }
        self.degraded.insert(loss.consumer);
        if let Some(f) = self.fates.get_mut(loss.consumer as usize) {
            *f = Fate {
                degraded_at: t,
                depth,
                from: loss.from,
                seeded: loss.seeded,
                ..*f
            };
        }
    }
}

impl Graph {
    /// Resolves node ids to dense indices (sorted, without repeats), with "did you mean"
    /// errors for unknown ids.
    pub(crate) fn resolve_node_ids(&self, ids: &[String]) -> Result<Vec<u32>, ScenarioError> {
        resolve(
            ids,
            |id| self.node_index(id),
            |id| self.similar_node_ids(id),
            |id, suggestions| ScenarioError::UnknownNode { id, suggestions },
        )
    }

    /// Resolves link ids the same way.
    fn resolve_link_ids(&self, ids: &[String]) -> Result<Vec<u32>, ScenarioError> {
        resolve(
            ids,
            |id| self.link_index(id),
            |id| self.similar_link_ids(id),
            |id, suggestions| ScenarioError::UnknownLink { id, suggestions },
        )
    }

    /// Evaluates a failure scenario (SPEC section 2).
    pub fn impact(&self, scenario: &Scenario) -> Result<Impact<'_>, ScenarioError> {
        if scenario.failed.is_empty() && scenario.failed_links.is_empty() {
            return Err(ScenarioError::Empty);
        }
        let horizon = Self::horizon_secs(scenario.horizon_hours)?;
        let seeds = self.resolve_node_ids(&scenario.failed)?;
        let seed_links = self.resolve_link_ids(&scenario.failed_links)?;
        let fates = self.propagate(&seeds, &seed_links, horizon);

        // The SPEC order is (at_hours, depth, id), and node index order is id order: one
        // 128-bit key per row (time, depth, node) sorts faster than tuples.
        let mut hit: Vec<u128> = (0u32..)
            .zip(&fates)
            .filter_map(|(v, f)| {
                let at = if f.down_at != NEVER {
                    f.down_at
                } else if f.degraded_at != NEVER {
                    f.degraded_at
                } else {
                    return None;
                };
                Some(u128::from(at) << 64 | u128::from(f.depth) << 32 | u128::from(v))
            })
            .collect();
        // Built in node order: a stable sort by (time, depth) keeps each group in node order,
        // and the few distinct (time, depth) pairs make it cheaper than sorting whole keys.
        hit.sort_by_key(|key| key >> 32);
        // Witness paths walk provider to provider: a table of just that is 4 times denser
        // than the fates, and the walks (tens of thousands) stay in cache.
        let chain: Vec<(u32, bool)> = fates.iter().map(|f| (f.from, f.seeded)).collect();
        // A national-scale failure affects tens of thousands of nodes, each with its own
        // witness path to build: the rows are built in parallel (in order), and the summary
        // beside them from the dense tables rather than from the rows.
        let (affected, summary) = rayon::join(
            || self.impact_rows(&hit, &fates, &chain),
            || self.impact_summary(&hit, &fates),
        );
        let ids = |v: &[u32], f: &dyn Fn(u32) -> String| v.iter().map(|&i| f(i)).collect();
        Ok(Impact {
            scenario: ScenarioEcho {
                failed: ids(&seeds, &|i| self.node(i).id.to_string()),
                failed_links: ids(&seed_links, &|i| self.link(i).id.to_string()),
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
        chain: &[(u32, bool)],
    ) -> Vec<Affected<'_>> {
        hit.par_iter()
            .map(|&key| {
                let (at, depth, v) = ((key >> 64) as u64, (key >> 32) as u32, key as u32);
                let fate = fates[v as usize];
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
                    seed: fate.from == NONE && state == State::Down,
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
            agencies: self.agencies_of(hit.iter().map(|&key| key as u32)),
        };
        for &key in hit {
            let v = key as u32;
            let grade = self.grade(v);
            if fates[v as usize].down_at != NEVER {
                s.down += 1;
                s.down_by_grade.add(grade);
                s.most_critical_down = match (s.most_critical_down, grade) {
                    (Some(m), Some(g)) => Some(m.min(g)),
                    (m, g) => m.or(g),
                };
            } else {
                s.degraded += 1;
                s.degraded_by_grade.add(grade);
            }
        }
        s
    }

    /// The event-driven pass: seeds fail at 0, seeded links (sorted, without repeats) are
    /// lost at 0, and nothing later than `horizon` (seconds) is followed.
    pub(crate) fn propagate(
        &self,
        seeds: &[u32],
        seed_links: &[u32],
        horizon: Option<u64>,
    ) -> Vec<Fate> {
        let n = self.node_count();
        // A link is lost once, through its provider's (single) down event, unless the
        // scenario also seeded it: only seeded links need a "lost already" mark.
        let mut pass = Pass {
            fates: vec![Fate::UNTOUCHED; n],
            down: NodeSet::new(n),
            degraded: NodeSet::new(n),
            seed_lost: vec![false; seed_links.len()],
            seeded_links: seed_links.to_vec(),
            lost_count: vec![0u32; self.counted_group_count()],
            order: Vec::new(),
        };
        let limit = horizon.unwrap_or(NEVER);
        let loss_of_seeded = |l: u32| {
            let group = self.group_of(l);
            Loss {
                link: l,
                group,
                rule: self.group(group).rule(),
                consumer: self.consumer(l),
                from: self.provider(l),
                seeded: true,
            }
        };

        // Delayed losses wait in the heap. Those scheduled at the current time wait in
        // `later` until it is over: the ones whose consumer went down meanwhile would only
        // be skipped when taken, and in a large cascade most do, so they skip the heap.
        let mut heap: BinaryHeap<Reverse<(u64, u32, Loss)>> = BinaryHeap::new();
        let mut later: Vec<(u64, u32, Loss)> = Vec::new();
        // The seeds go down first, then the seeded links are lost (a seeded link into a
        // seed changes nothing).
        for &s in seeds {
            pass.fall(0, 0, s, NONE, false);
        }
        for &l in seed_links {
            pass.lose(0, 1, loss_of_seeded(l));
        }
        let mut t = 0u64;
        // `order[next..]` are down nodes whose links are yet to be lost.
        let mut next = 0;
        loop {
            while let Some(&node) = pass.order.get(next) {
                next += 1;
                let depth = pass.fates[node as usize].depth;
                for dep in self.dependent_links(node) {
                    // A consumer already down can be neither downed nor degraded by this
                    // loss: skipping it changes no result and saves the work.
                    if pass.down.contains(dep.consumer) || pass.seed_taken(dep.link) {
                        continue;
                    }
                    // Most links are plain, lost at once and alone enough to down their
                    // consumer: that case needs no `Loss`.
                    if dep.tolerance == 0 && dep.rule == LossRule::FIRST_LOSS_DOWNS {
                        pass.fall(t, depth + 1, dep.consumer, node, false);
                        continue;
                    }
                    let at = t.saturating_add(self.tolerance(dep));
                    if at > limit {
                        continue;
                    }
                    let loss = Loss {
                        link: dep.link,
                        group: dep.group,
                        rule: dep.rule,
                        consumer: dep.consumer,
                        from: node,
                        seeded: false,
                    };
                    // A loss at the current time is taken at once rather than queued: it
                    // is taken in the order it would have left a plain FIFO queue, and the
                    // down events it causes are found in that same order.
                    if at == t {
                        pass.lose(t, depth + 1, loss);
                    } else {
                        later.push((at, depth + 1, loss));
                    }
                }
            }
            // Time `t` is over: the earliest delayed losses come next.
            for (at, depth, loss) in later.drain(..) {
                if !pass.down.contains(loss.consumer) {
                    heap.push(Reverse((at, depth, loss)));
                }
            }
            let Some(&Reverse((next_t, _, _))) = heap.peek() else {
                break;
            };
            t = next_t;
            while let Some(&Reverse((time, depth, loss))) = heap.peek() {
                if time != t {
                    break;
                }
                heap.pop();
                pass.lose(t, depth, loss);
            }
        }
        pass.fates
    }

    /// The witness path of node `v`: seed first, `v` last.
    /// `chain[v]` is the provider of `v`'s deciding link and whether that link was seeded.
    fn witness(&self, chain: &[(u32, bool)], v: u32) -> Path<'_> {
        let mut rev = Path::new();
        rev.push(self.node_id(v));
        let mut cur = chain[v as usize];
        while cur.0 != NONE {
            rev.push(self.node_id(cur.0));
            if cur.1 {
                break;
            }
            // The provider of a deciding link is down: its own witness continues the chain.
            cur = chain[cur.0 as usize];
        }
        rev.reverse();
        rev
    }

    /// Evaluates a change scenario (SPEC section 3): reverse reachability over every link.
    pub fn change(&self, change: &Change) -> Result<ChangeImpact<'_>, ScenarioError> {
        if change.systems.is_empty() && change.links.is_empty() {
            return Err(ScenarioError::Empty);
        }
        let nodes = self.resolve_node_ids(&change.systems)?;
        let links = self.resolve_link_ids(&change.links)?;
        let reach = self.reach(&nodes, &links);
        // The SPEC order is (depth, id), and node index order is id order: one 64-bit key
        // per row (depth, node) sorts faster than the rows themselves.
        let mut hit: Vec<u64> = (0u32..)
            .zip(&reach)
            .filter(|&(_, &(depth, _))| depth != NONE && depth > 0)
            .map(|(v, &(depth, _))| u64::from(depth) << 32 | u64::from(v))
            .collect();
        // Built in node order: a stable sort by depth keeps each depth in node order.
        hit.sort_by_key(|key| key >> 32);
        let affected: Vec<Reached<'_>> = hit
            .par_iter()
            .map(|&key| {
                let (depth, v) = ((key >> 32) as u32, key as u32);
                let label = self.label(v);
                Reached {
                    id: label.id,
                    name: label.name,
                    depth,
                    path: self.reach_path(&reach, v),
                    grade: label.grade,
                    agency: label.agency,
                }
            })
            .collect();
        let mut by_grade = GradeCounts::default();
        for r in &affected {
            by_grade.add(r.grade);
        }
        let agencies = self.agencies_of(hit.iter().map(|&key| key as u32));
        let summary = ChangeSummary {
            affected: affected.len(),
            direct: affected.iter().filter(|r| r.depth == 1).count(),
            most_critical: affected.iter().filter_map(|r| r.grade).min(),
            by_grade,
            agencies,
        };
        Ok(ChangeImpact {
            changed: nodes.iter().map(|&i| self.node(i).id.to_string()).collect(),
            changed_links: links.iter().map(|&i| self.link(i).id.to_string()).collect(),
            affected,
            summary,
        })
    }

    /// Breadth-first search along provider -> consumer edges: for each node, its depth and
    /// the provider of the link it was reached by (`NONE` for changed nodes), or
    /// `(NONE, NONE)` if unreached.
    fn reach(&self, nodes: &[u32], links: &[u32]) -> Vec<(u32, u32)> {
        let mut seen: Vec<(u32, u32)> = vec![(NONE, NONE); self.node_count()];
        let mut queue: VecDeque<u32> = VecDeque::new();
        for &v in nodes {
            seen[v as usize] = (0, NONE);
            queue.push_back(v);
        }
        // Changed nodes (depth 0) are queued before changed links' consumers (depth 1),
        // so the queue stays in depth order.
        for &l in links {
            let c = self.consumer(l);
            if seen[c as usize].0 == NONE {
                seen[c as usize] = (1, self.provider(l));
                queue.push_back(c);
            }
        }
        while let Some(v) = queue.pop_front() {
            let depth = seen[v as usize].0;
            for dep in self.dependent_links(v) {
                let c = dep.consumer;
                if seen[c as usize].0 == NONE {
                    seen[c as usize] = (depth + 1, v);
                    queue.push_back(c);
                }
            }
        }
        seen
    }

    /// The shortest path of a reached node, changed node (or changed link's provider) first.
    fn reach_path(&self, reach: &[(u32, u32)], v: u32) -> Path<'_> {
        let mut rev = Path::new();
        rev.push(self.node_id(v));
        let mut cur = v;
        loop {
            let (depth, p) = reach[cur as usize];
            if depth == NONE || p == NONE {
                break;
            }
            rev.push(self.node_id(p));
            // At depth 1 the provider is a changed node or a changed link's provider.
            if depth == 1 {
                break;
            }
            cur = p;
        }
        rev.reverse();
        rev
    }
}

/// Reusable scratch state for many failure propagations over one graph (the whole-inventory
/// analyses run one per node, per site pair or per candidate cut).
///
/// The dense per-node and per-group arrays are allocated once; each pass records what it
/// touched and the next pass resets only those entries, so a pass costs O(affected part),
/// not O(V). One workspace per thread: it is `Send` but passes are `&mut`.
#[derive(Debug, Clone)]
pub(crate) struct Workspace {
    /// Failure time per node (`NEVER` = up); only entries listed in `down` are set.
    down_at: Vec<u64>,
    /// Whether a node has been marked degraded; only entries listed in `degraded` are set.
    degraded_mark: Vec<bool>,
    /// Lost members per group; only entries listed in `touched_groups` are non-zero.
    lost: Vec<u32>,
    /// Nodes down in the last pass, in the order they went down (seeds first).
    down: Vec<u32>,
    /// Nodes marked degraded in the last pass (some may have gone down afterwards).
    degraded: Vec<u32>,
    /// Groups with at least one lost member in the last pass.
    touched_groups: Vec<u32>,
    /// Groups whose loss counter was raised, in order, so that a checkpoint can be undone.
    undo: Vec<u32>,
    /// Whether the last `spread_until` stopped on a stop node.
    stopped: bool,
    /// How many entries of `down` have been checked against the stop mask.
    checked: usize,
    /// Delayed link losses: (time, group).
    heap: BinaryHeap<Reverse<(u64, u32)>>,
    /// Link losses at the current time (groups).
    now: VecDeque<u32>,
}

impl Workspace {
    /// A workspace sized for `graph`.
    pub(crate) fn new(graph: &Graph) -> Self {
        Workspace {
            down_at: vec![NEVER; graph.node_count()],
            degraded_mark: vec![false; graph.node_count()],
            lost: vec![0; graph.group_count()],
            down: Vec::new(),
            degraded: Vec::new(),
            touched_groups: Vec::new(),
            undo: Vec::new(),
            stopped: false,
            checked: 0,
            heap: BinaryHeap::new(),
            now: VecDeque::new(),
        }
    }

    /// Forgets the last pass, touching only what it set.
    fn reset(&mut self) {
        for &v in &self.down {
            self.down_at[v as usize] = NEVER;
        }
        for &v in &self.degraded {
            self.degraded_mark[v as usize] = false;
        }
        for &g in &self.touched_groups {
            self.lost[g as usize] = 0;
        }
        self.down.clear();
        self.degraded.clear();
        self.touched_groups.clear();
        self.undo.clear();
        self.checked = 0;
        self.heap.clear();
        self.now.clear();
    }

    /// Makes this workspace a copy of `other` (the state after another pass), reusing its
    /// allocations: O(V + groups) memory copy, worth it when `other`'s pass was large.
    pub(crate) fn copy_from(&mut self, other: &Workspace) {
        self.down_at.clone_from(&other.down_at);
        self.degraded_mark.clone_from(&other.degraded_mark);
        self.lost.clone_from(&other.lost);
        self.down.clone_from(&other.down);
        self.degraded.clone_from(&other.degraded);
        self.touched_groups.clone_from(&other.touched_groups);
        self.undo.clone_from(&other.undo);
        self.checked = self.down.len();
        self.heap.clear();
        self.now.clear();
    }

    /// Marks the current state so that what the next passes add can be undone with
    /// [`Workspace::rollback`] in O(what they add).
    pub(crate) fn checkpoint(&self) -> Mark {
        Mark {
            down: self.down.len(),
            degraded: self.degraded.len(),
            touched: self.touched_groups.len(),
            undo: self.undo.len(),
        }
    }

    /// Returns to the state of a checkpoint.
    pub(crate) fn rollback(&mut self, m: Mark) {
        for &v in self.down.get(m.down..).unwrap_or(&[]) {
            self.down_at[v as usize] = NEVER;
        }
        for &v in self.degraded.get(m.degraded..).unwrap_or(&[]) {
            self.degraded_mark[v as usize] = false;
        }
        for &g in self.undo.get(m.undo..).unwrap_or(&[]) {
            self.lost[g as usize] -= 1;
        }
        self.down.truncate(m.down);
        self.degraded.truncate(m.degraded);
        self.touched_groups.truncate(m.touched);
        self.undo.truncate(m.undo);
        self.checked = self.checked.min(m.down);
        self.heap.clear();
        self.now.clear();
    }

    /// Nodes that went down since checkpoint `m`.
    pub(crate) fn down_since(&self, m: &Mark) -> &[u32] {
        self.down.get(m.down..).unwrap_or(&[])
    }

    /// Nodes marked degraded since checkpoint `m` (some may be down).
    pub(crate) fn degraded_since(&self, m: &Mark) -> &[u32] {
        self.degraded.get(m.degraded..).unwrap_or(&[])
    }

    /// Whether node `v` was marked degraded (it may be down since).
    pub(crate) fn is_marked_degraded(&self, v: u32) -> bool {
        self.degraded_mark.get(v as usize).copied().unwrap_or(false)
    }

    /// Whether node `v` went down in the last pass.
    pub(crate) fn is_down(&self, v: u32) -> bool {
        self.down_at.get(v as usize).is_some_and(|&t| t != NEVER)
    }

    /// Nodes down in the last pass (seeds included), in the order they went down.
    pub(crate) fn down(&self) -> &[u32] {
        &self.down
    }

    /// Nodes degraded and not down in the last pass, in no particular order.
    pub(crate) fn degraded(&self) -> impl Iterator<Item = u32> + '_ {
        self.degraded.iter().copied().filter(|&v| !self.is_down(v))
    }

    /// Groups with a down effect that lost members in the last pass without being lost,
    /// whose consumer stayed up: where another failure could combine with this one.
    pub(crate) fn partial_groups<'a>(&'a self, graph: &'a Graph) -> impl Iterator<Item = u32> + 'a {
        self.touched_groups.iter().copied().filter(move |&g| {
            let slot = graph.group(g);
            slot.effect == Effect::Down
                && self.lost[g as usize] < slot.threshold()
                && !self.is_down(slot.consumer)
        })
    }
}

/// A point in a workspace's history to roll back to (lengths of its logs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    down: usize,
    degraded: usize,
    touched: usize,
    undo: usize,
}

impl Graph {
    /// A horizon in hours as whole seconds, or the error `impact` gives for it.
    pub(crate) fn horizon_secs(hours: Option<f64>) -> Result<Option<u64>, ScenarioError> {
        match hours {
            None => Ok(None),
            Some(h) if h.is_finite() && h >= 0.0 => Ok(Some((h * HOUR).round() as u64)),
            Some(h) => Err(ScenarioError::BadHorizon(h)),
        }
    }

    /// A lean failure pass into a reusable workspace: which nodes go down and which degrade
    /// (SPEC section 2), without times or witnesses kept for output.
    ///
    /// Without a horizon only whether a node fails matters, not when (a loss time is finite
    /// exactly when the provider fails), so tolerances are ignored and the pass is a plain
    /// FIFO closure with group counters; with a horizon, losses are taken in time order as
    /// in [`Graph::impact`] and nothing later than the horizon is followed. With `within`,
    /// failure spreads only into nodes marked true (the seeds fail regardless).
    pub(crate) fn spread(
        &self,
        ws: &mut Workspace,
        seeds: &[u32],
        horizon: Option<u64>,
        within: Option<&[bool]>,
    ) {
        ws.reset();
        self.spread_more(ws, seeds, horizon, within);
    }

    /// Continues from the state a workspace holds (a finished pass, or a copy of one) with
    /// more seeds: the result is the pass of the old seeds and the new ones together.
    /// Without a horizon only; with one, the old pass's times would not line up.
    pub(crate) fn spread_more(
        &self,
        ws: &mut Workspace,
        seeds: &[u32],
        horizon: Option<u64>,
        within: Option<&[bool]>,
    ) {
        self.spread_inner(ws, seeds, horizon, within, None);
    }

    /// A pass without a horizon that stops as soon as a node marked in `stop` goes down
    /// (the answer to "does this take X down?" is then known); returns whether it did.
    /// The workspace then holds a partial pass: only `is_down` of the stop node is meaningful.
    pub(crate) fn spread_until(
        &self,
        ws: &mut Workspace,
        seeds: &[u32],
        within: Option<&[bool]>,
        stop: &[bool],
    ) -> bool {
        ws.reset();
        self.spread_inner(ws, seeds, None, within, Some(stop));
        ws.stopped
    }

    fn spread_inner(
        &self,
        ws: &mut Workspace,
        seeds: &[u32],
        horizon: Option<u64>,
        within: Option<&[bool]>,
        stop: Option<&[bool]>,
    ) {
        let limit = horizon.unwrap_or(NEVER);
        let timed = horizon.is_some();
        let mut t = 0u64;
        ws.stopped = false;
        for &s in seeds {
            self.spread_node(ws, s, 0, timed, limit, within);
        }
        loop {
            if let Some(stop) = stop
                && ws
                    .down
                    .iter()
                    .rev()
                    .take(ws.down.len() - ws.checked)
                    .any(|&v| stop.get(v as usize).copied().unwrap_or(false))
            {
                ws.stopped = true;
                break;
            }
            ws.checked = ws.down.len();
            if ws.now.is_empty() {
                let Some(Reverse((next, _))) = ws.heap.peek() else {
                    break;
                };
                t = *next;
                while let Some(Reverse((time, g))) = ws.heap.peek().copied() {
                    if time != t {
                        break;
                    }
                    ws.heap.pop();
                    ws.now.push_back(g);
                }
            }
            let Some(gi) = ws.now.pop_front() else {
                break;
            };
            let g = self.group(gi);
            let c = g.consumer;
            if ws.is_down(c) {
                continue;
            }
            if ws.lost[gi as usize] == 0 {
                ws.touched_groups.push(gi);
            }
            ws.lost[gi as usize] += 1;
            ws.undo.push(gi);
            let lost = ws.lost[gi as usize];
            let threshold = g.threshold();
            match g.effect {
                Effect::Down if lost == threshold => {
                    self.spread_node(ws, c, t, timed, limit, within);
                }
                Effect::Down if lost < threshold => mark_degraded(ws, c),
                Effect::Degraded if lost == threshold => mark_degraded(ws, c),
                _ => {}
            }
        }
    }

    /// Takes node `v` down at `t` and schedules the loss of its dependent links.
    fn spread_node(
        &self,
        ws: &mut Workspace,
        v: u32,
        t: u64,
        timed: bool,
        limit: u64,
        within: Option<&[bool]>,
    ) {
        let Some(slot) = ws.down_at.get_mut(v as usize) else {
            return;
        };
        if *slot != NEVER {
            return;
        }
        *slot = t;
        ws.down.push(v);
        for dep in self.dependent_links(v) {
            let c = dep.consumer as usize;
            if ws.down_at[c] != NEVER {
                continue;
            }
            if let Some(mask) = within
                && !mask.get(c).copied().unwrap_or(false)
            {
                continue;
            }
            let at = if timed {
                t.saturating_add(self.tolerance(dep))
            } else {
                t
            };
            if at > limit {
                continue;
            }
            if at == t {
                ws.now.push_back(dep.group);
            } else {
                ws.heap.push(Reverse((at, dep.group)));
            }
        }
    }
}

fn mark_degraded(ws: &mut Workspace, c: u32) {
    if !ws.degraded_mark[c as usize] {
        ws.degraded_mark[c as usize] = true;
        ws.degraded.push(c);
    }
}
