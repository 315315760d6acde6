//! The failure engine: one propagation core for every question about failures, and
//! change reachability.
//!
//! # How a failure spreads
//!
//! A failure pass is one event-driven sweep in the order of loss time, like Dijkstra's
//! algorithm: a node's failure time is final when it falls, so every node and link is
//! handled at most once and no fixpoint sweep is needed. A link is lost at
//! `T(provider) + tolerance`, never earlier than the event that caused it, so the `k`-th
//! loss taken for a group is its `k`-th smallest loss time, and a group of `n` members with
//! minimum `m` is lost exactly when its `(n - m + 1)`-th member loss is taken. Losses with
//! zero tolerance happen "now": they are taken at once, and the nodes they down join the
//! list of down nodes in the order they fell (a FIFO queue that is never emptied); only
//! delayed losses pay for heap operations. Only what a lost link reaches is touched.
//!
//! # One core, many askers
//!
//! Every caller asks a `Query` (seed nodes, seed links, timing, where failure may go,
//! when to stop) of a `Workspace`, whose dense state is allocated once and reset by
//! walking only what the last pass touched, so a pass costs O(its blast radius), not O(V).
//! The workspace carries a `Recorder` chosen by the caller: `Witnesses` keeps each
//! node's time, depth and deciding provider (for `impact`), `()` keeps nothing beyond the
//! sets (for the whole-inventory analyses, which run thousands of passes). A workspace can
//! continue a finished pass with more seeds, and roll back to a checkpoint in O(what was
//! added): the analyses share work that way.

mod change;
mod filter;
mod horizon;
mod impact;
mod path;

use std::cmp::Reverse;
use std::collections::BinaryHeap;

pub use change::{Change, ChangeImpact, ChangeSummary, Reached};
pub use filter::{RowFilter, Shown, parse_grade, unknown_agency};
pub use horizon::{MAX_HOURS, parse_hours};
pub(crate) use impact::shown as shown_hours;
pub use impact::{Affected, Impact, ImpactSummary, Scenario, ScenarioEcho, ScenarioError, State};
pub use path::{Path, PathMode, ROWS_MARKER, RowsJson, ShortPath};
pub(crate) use path::{PathOut, Step, Witness};

use crate::graph::{Graph, GroupIx, LinkIx, LossRule, NodeIx};
use crate::inventory::Effect;

/// Seconds in an hour, the unit of every time in results.
pub(crate) const HOUR: f64 = 3600.0;

/// A time that never comes.
pub(crate) const NEVER: u64 = u64::MAX;

/// Whether a pass keeps times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Timing {
    /// Only whether a node fails matters: tolerances are ignored (a loss time is finite
    /// exactly when the provider fails), and the pass is a plain closure.
    Ignore,
    /// Losses are taken in time order and nothing later than this many seconds is
    /// followed ([`NEVER`]: the outage lasts for ever).
    Until(u64),
}

impl Timing {
    /// Times kept up to a horizon in seconds, or ignored without one: what an analysis
    /// that counts nodes needs.
    pub(crate) fn counting(horizon: Option<u64>) -> Self {
        horizon.map_or(Timing::Ignore, Timing::Until)
    }
}

/// A question for the engine: what fails at time 0, and how far to follow it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query<'q> {
    /// Nodes that fail at time 0.
    pub seeds: &'q [NodeIx],
    /// Links lost at time 0, sorted, without repeats.
    pub seed_links: &'q [LinkIx],
    /// Whether times matter, and the horizon.
    pub timing: Timing,
    /// Failure spreads only into nodes marked true (seeds fail regardless).
    pub within: Option<&'q [bool]>,
    /// The pass stops as soon as a node marked true goes down (the answer to "does this
    /// take X down?" is then known); the workspace then holds a partial pass.
    pub stop: Option<&'q [bool]>,
}

impl<'q> Query<'q> {
    /// The failure of `seeds`, followed without times.
    pub(crate) fn closure(seeds: &'q [NodeIx]) -> Self {
        Query {
            seeds,
            seed_links: &[],
            timing: Timing::Ignore,
            within: None,
            stop: None,
        }
    }

    /// The same query with another timing.
    pub(crate) fn timed(self, timing: Timing) -> Self {
        Query { timing, ..self }
    }

    /// The same query confined to the nodes marked in `within`.
    pub(crate) fn within(self, within: Option<&'q [bool]>) -> Self {
        Query { within, ..self }
    }
}

/// What a pass remembers of each node beyond the down and degraded sets.
pub(crate) trait Recorder {
    /// Node `v` went down at `t`, `depth` links from a seed, through a link from `from`
    /// (`None` for a seed) that the scenario failed itself if `seeded`.
    fn fell(&mut self, v: NodeIx, t: u64, depth: u32, from: Option<NodeIx>, seeded: bool);
    /// Node `v` degraded at `t` (its first degradation), through a link from `from`.
    fn degraded(&mut self, v: NodeIx, t: u64, depth: u32, from: NodeIx, seeded: bool);
    /// The witness depth of a down node (0 when depths are not kept).
    fn depth(&self, v: NodeIx) -> u32;
    /// Forgets what was recorded of `v`.
    fn forget(&mut self, v: NodeIx);
}

/// Remembers nothing: the sets are the answer.
impl Recorder for () {
    fn fell(&mut self, _: NodeIx, _: u64, _: u32, _: Option<NodeIx>, _: bool) {}
    fn degraded(&mut self, _: NodeIx, _: u64, _: u32, _: NodeIx, _: bool) {}
    fn depth(&self, _: NodeIx) -> u32 {
        0
    }
    fn forget(&mut self, _: NodeIx) {}
}

/// What a pass decided for one node, kept by [`Witnesses`]. One record per node, so that
/// taking an event touches one cache line, not five arrays.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fate {
    /// Failure time in seconds, [`NEVER`] if the node stays up (within the horizon).
    pub down_at: u64,
    /// Earliest degradation time, [`NEVER`] if none.
    pub degraded_at: u64,
    /// Witness depth of the deciding event.
    pub depth: u32,
    /// The provider of the witness link (`None` for seeds).
    pub from: Option<NodeIx>,
    /// Whether the witness link was lost as a seed (`--fail-link`), not through its provider.
    pub seeded: bool,
}

impl Fate {
    const UNTOUCHED: Fate = Fate {
        down_at: NEVER,
        degraded_at: NEVER,
        depth: 0,
        from: None,
        seeded: false,
    };
}

/// Keeps every node's times and witness: what `impact` reports.
#[derive(Debug, Clone)]
pub(crate) struct Witnesses {
    pub fates: Vec<Fate>,
}

impl Recorder for Witnesses {
    fn fell(&mut self, v: NodeIx, t: u64, depth: u32, from: Option<NodeIx>, seeded: bool) {
        if let Some(f) = self.fates.get_mut(v.index()) {
            *f = Fate {
                down_at: t,
                depth,
                from,
                seeded,
                ..*f
            };
        }
    }

    fn degraded(&mut self, v: NodeIx, t: u64, depth: u32, from: NodeIx, seeded: bool) {
        if let Some(f) = self.fates.get_mut(v.index()) {
            *f = Fate {
                degraded_at: t,
                depth,
                from: Some(from),
                seeded,
                ..*f
            };
        }
    }

    fn depth(&self, v: NodeIx) -> u32 {
        self.fates.get(v.index()).map_or(0, |f| f.depth)
    }

    fn forget(&mut self, v: NodeIx) {
        if let Some(f) = self.fates.get_mut(v.index()) {
            *f = Fate::UNTOUCHED;
        }
    }
}

/// A set of nodes, one bit each: the checks made for every dependant of every down node
/// stay in the fastest cache even at national scale.
#[derive(Debug, Clone)]
struct NodeSet(Vec<u64>);

impl NodeSet {
    fn new(n: usize) -> Self {
        NodeSet(vec![0; n.div_ceil(64)])
    }

    #[inline]
    fn contains(&self, v: NodeIx) -> bool {
        let i = v.index();
        self.0.get(i / 64).is_some_and(|w| w >> (i % 64) & 1 == 1)
    }

    #[inline]
    fn insert(&mut self, v: NodeIx) {
        let i = v.index();
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    #[inline]
    fn remove(&mut self, v: NodeIx) {
        let i = v.index();
        if let Some(w) = self.0.get_mut(i / 64) {
            *w &= !(1 << (i % 64));
        }
    }
}

/// The loss of a link. Besides the link it carries what taking it needs (group, rule,
/// consumer, provider), so that the pass reads dense per-node arrays instead of per-link
/// tables; those fields are determined by `link`, so the order of losses (used for ties) is
/// the order of `(link, seeded)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Loss {
    link: LinkIx,
    group: GroupIx,
    rule: LossRule,
    consumer: NodeIx,
    from: NodeIx,
    /// The scenario failed the link directly.
    seeded: bool,
}

/// A delayed loss: its time, the depth it would give, the loss.
type Delayed = (u64, u32, Loss);

/// The state of failure passes over one graph, reusable from pass to pass (see the module
/// documentation). One workspace per thread.
#[derive(Debug, Clone)]
pub(crate) struct Workspace<R: Recorder = ()> {
    /// What the caller keeps of each node.
    pub rec: R,
    down: NodeSet,
    /// Nodes marked degraded (a later degradation changes nothing; some may be down since).
    marked: NodeSet,
    /// Down nodes in the order they went down. A node is marked down when its down event
    /// is found, not when its links are lost: the first event found is the first a FIFO
    /// queue would take, and later losses of a node bound to go down change nothing that
    /// is reported, so marking it early only skips them.
    order: Vec<NodeIx>,
    /// `order[next..]` are down nodes whose links are yet to be lost.
    next: usize,
    /// Nodes marked degraded, in the order they were marked.
    marks: Vec<NodeIx>,
    /// Lost members per counted group (groups that tolerate losses are numbered first).
    lost: Vec<u32>,
    /// Counted groups with a lost member.
    touched: Vec<GroupIx>,
    /// Every raise of a loss counter, in order, so that a checkpoint can be undone.
    undo: Vec<GroupIx>,
    /// Links the scenario failed, sorted, and whether each has been taken as lost.
    seed_links: Vec<LinkIx>,
    seed_lost: Vec<bool>,
    /// Delayed losses, by time.
    heap: BinaryHeap<Reverse<Delayed>>,
    /// Delayed losses found at the current time, moved to the heap when it is over (those
    /// whose consumer went down meanwhile never reach it).
    later: Vec<Delayed>,
    /// The current time of the pass.
    now: u64,
    /// Whether the last pass stopped on a stop node.
    stopped: bool,
}

/// A point in a workspace's history to roll back to (lengths of its logs).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    down: usize,
    marks: usize,
    touched: usize,
    undo: usize,
}

impl Workspace<()> {
    /// A workspace for passes that keep only the sets.
    pub(crate) fn new(graph: &Graph) -> Self {
        Self::with(graph, ())
    }
}

impl Workspace<Witnesses> {
    /// A workspace for passes that keep each node's time and witness.
    pub(crate) fn witnessing(graph: &Graph) -> Self {
        Self::with(
            graph,
            Witnesses {
                fates: vec![Fate::UNTOUCHED; graph.node_count()],
            },
        )
    }
}

impl<R: Recorder> Workspace<R> {
    /// A workspace sized for `graph`, with a recorder.
    fn with(graph: &Graph, rec: R) -> Self {
        let n = graph.node_count();
        Workspace {
            rec,
            down: NodeSet::new(n),
            marked: NodeSet::new(n),
            order: Vec::new(),
            next: 0,
            marks: Vec::new(),
            lost: vec![0; graph.counted_group_count()],
            touched: Vec::new(),
            undo: Vec::new(),
            seed_links: Vec::new(),
            seed_lost: Vec::new(),
            heap: BinaryHeap::new(),
            later: Vec::new(),
            now: 0,
            stopped: false,
        }
    }

    /// Runs `q` from scratch: the workspace then holds its result.
    pub(crate) fn run(&mut self, graph: &Graph, q: &Query<'_>) {
        self.reset();
        self.more(graph, q);
    }

    /// Continues the finished pass the workspace holds with the seeds of `q`: the result
    /// is the pass of the old seeds and the new ones together. Without times only; with
    /// them, the old pass's times would not line up.
    pub(crate) fn more(&mut self, graph: &Graph, q: &Query<'_>) {
        self.stopped = false;
        self.now = 0;
        if !q.seed_links.is_empty() {
            self.seed_links = q.seed_links.to_vec();
            self.seed_lost = vec![false; q.seed_links.len()];
        }
        // The seeds go down first, then the seeded links are lost (a seeded link into a
        // seed changes nothing).
        for &s in q.seeds {
            self.fall(q, 0, s, None, false);
        }
        for &l in q.seed_links {
            let group = graph.group_of(l);
            let loss = Loss {
                link: l,
                group,
                rule: graph.group(group).rule(),
                consumer: graph.consumer(l),
                from: graph.provider(l),
                seeded: true,
            };
            self.lose(q, 1, loss);
        }
        self.spread(graph, q);
    }

    /// The event loop: spreads from the down nodes not yet followed, then takes the
    /// delayed losses in time order.
    fn spread(&mut self, graph: &Graph, q: &Query<'_>) {
        let limit = match q.timing {
            Timing::Ignore => NEVER,
            Timing::Until(h) => h,
        };
        let timed = q.timing != Timing::Ignore;
        loop {
            while let Some(&node) = self.order.get(self.next) {
                if self.stopped {
                    return;
                }
                self.next += 1;
                let depth = self.rec.depth(node);
                let t = self.now;
                for dep in graph.dependants(node) {
                    let c = dep.consumer;
                    // A consumer already down can be neither downed nor degraded by this
                    // loss: skipping it changes no result and saves the work.
                    if self.down.contains(c) || self.seed_taken(dep.link) {
                        continue;
                    }
                    if let Some(within) = q.within
                        && !within.get(c.index()).copied().unwrap_or(false)
                    {
                        continue;
                    }
                    let instant = !timed || dep.is_instant();
                    // Most links are plain, lost at once and alone enough to down their
                    // consumer: that case needs no `Loss`.
                    if instant && dep.rule == LossRule::FIRST_LOSS_DOWNS {
                        self.fall(q, depth + 1, c, Some(node), false);
                        continue;
                    }
                    let at = if instant {
                        t
                    } else {
                        t.saturating_add(graph.tolerance(dep))
                    };
                    if at > limit {
                        continue;
                    }
                    let loss = Loss {
                        link: dep.link,
                        group: dep.group,
                        rule: dep.rule,
                        consumer: c,
                        from: node,
                        seeded: false,
                    };
                    // A loss at the current time is taken at once rather than queued: it
                    // is taken in the order it would have left a plain FIFO queue, and the
                    // down events it causes are found in that same order.
                    if at == t {
                        self.lose(q, depth + 1, loss);
                    } else {
                        self.later.push((at, depth + 1, loss));
                    }
                }
            }
            if self.stopped {
                return;
            }
            // The current time is over: the earliest delayed losses come next.
            for (at, depth, loss) in self.later.drain(..) {
                if !self.down.contains(loss.consumer) {
                    self.heap.push(Reverse((at, depth, loss)));
                }
            }
            let Some(&Reverse((next_t, _, _))) = self.heap.peek() else {
                return;
            };
            self.now = next_t;
            while let Some(&Reverse((time, depth, loss))) = self.heap.peek() {
                if time != next_t {
                    break;
                }
                self.heap.pop();
                self.lose(q, depth, loss);
            }
        }
    }

    /// Whether `link` is a seeded link already taken as lost.
    fn seed_taken(&self, link: LinkIx) -> bool {
        !self.seed_links.is_empty()
            && self
                .seed_links
                .binary_search(&link)
                .is_ok_and(|i| self.seed_lost.get(i).copied().unwrap_or(false))
    }

    /// Marks `node` down at the current time, `depth` links from a seed, through a link
    /// from `from` (`None` for a seed) that the scenario failed if `seeded`.
    fn fall(
        &mut self,
        q: &Query<'_>,
        depth: u32,
        node: NodeIx,
        from: Option<NodeIx>,
        seeded: bool,
    ) {
        if self.down.contains(node) {
            return;
        }
        self.down.insert(node);
        self.rec.fell(node, self.now, depth, from, seeded);
        self.order.push(node);
        if let Some(stop) = q.stop
            && stop.get(node.index()).copied().unwrap_or(false)
        {
            self.stopped = true;
        }
    }

    /// Takes the loss of a link at the current time, `depth` links from a seed.
    fn lose(&mut self, q: &Query<'_>, depth: u32, loss: Loss) {
        if self.down.contains(loss.consumer) {
            return;
        }
        if !self.seed_links.is_empty()
            && let Ok(i) = self.seed_links.binary_search(&loss.link)
            && let Some(taken) = self.seed_lost.get_mut(i)
        {
            if *taken {
                return;
            }
            *taken = true;
        }
        // When the first loss decides the group, a repeated loss changes nothing (the
        // consumer's first down event or degradation wins), so no counter is kept.
        let threshold = loss.rule.threshold();
        let lost = if threshold == 1 {
            1
        } else {
            // Counted groups are numbered first (see `Graph::new`).
            let Some(count) = self.lost.get_mut(loss.group.index()) else {
                return;
            };
            if *count == 0 {
                self.touched.push(loss.group);
            }
            *count += 1;
            self.undo.push(loss.group);
            *count
        };
        match loss.rule.effect() {
            Effect::Down if lost == threshold => {
                self.fall(q, depth, loss.consumer, Some(loss.from), loss.seeded)
            }
            // A member lost, group held: lost redundancy.
            Effect::Down if lost < threshold => self.degrade(depth, loss),
            Effect::Degraded if lost == threshold => self.degrade(depth, loss),
            _ => {}
        }
    }

    /// Notes that a loss degrades its consumer (unless something earlier did).
    fn degrade(&mut self, depth: u32, loss: Loss) {
        // Events are taken in time order, so the first one is the earliest; a node already
        // down keeps its down witness.
        if self.marked.contains(loss.consumer) || self.down.contains(loss.consumer) {
            return;
        }
        self.marked.insert(loss.consumer);
        self.marks.push(loss.consumer);
        self.rec
            .degraded(loss.consumer, self.now, depth, loss.from, loss.seeded);
    }

    /// Forgets the last pass, touching only what it set.
    pub(crate) fn reset(&mut self) {
        for &v in &self.order {
            self.down.remove(v);
            self.rec.forget(v);
        }
        for &v in &self.marks {
            self.marked.remove(v);
            self.rec.forget(v);
        }
        for &g in &self.touched {
            if let Some(c) = self.lost.get_mut(g.index()) {
                *c = 0;
            }
        }
        self.order.clear();
        self.next = 0;
        self.marks.clear();
        self.touched.clear();
        self.undo.clear();
        self.seed_links.clear();
        self.seed_lost.clear();
        self.heap.clear();
        self.later.clear();
        self.now = 0;
    }

    /// Makes this workspace a copy of `other` (the state after another pass), reusing its
    /// allocations: O(V + groups) memory copy, worth it when `other`'s pass was large.
    pub(crate) fn copy_from(&mut self, other: &Workspace<R>)
    where
        R: Clone,
    {
        self.clone_from(other);
    }

    /// Marks the current state so that what the next passes add can be undone with
    /// [`Workspace::rollback`] in O(what they add).
    pub(crate) fn checkpoint(&self) -> Mark {
        Mark {
            down: self.order.len(),
            marks: self.marks.len(),
            touched: self.touched.len(),
            undo: self.undo.len(),
        }
    }

    /// Returns to the state of a checkpoint.
    pub(crate) fn rollback(&mut self, m: Mark) {
        for &v in self.order.get(m.down..).unwrap_or(&[]) {
            self.down.remove(v);
            self.rec.forget(v);
        }
        for &v in self.marks.get(m.marks..).unwrap_or(&[]) {
            self.marked.remove(v);
            self.rec.forget(v);
        }
        for &g in self.undo.get(m.undo..).unwrap_or(&[]) {
            if let Some(c) = self.lost.get_mut(g.index()) {
                *c -= 1;
            }
        }
        self.order.truncate(m.down);
        self.next = self.next.min(m.down);
        self.marks.truncate(m.marks);
        self.touched.truncate(m.touched);
        self.undo.truncate(m.undo);
        self.heap.clear();
        self.later.clear();
        self.stopped = false;
    }

    /// Whether the last pass stopped on a stop node.
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Nodes that went down since checkpoint `m`.
    pub(crate) fn down_since(&self, m: &Mark) -> &[NodeIx] {
        self.order.get(m.down..).unwrap_or(&[])
    }

    /// Nodes marked degraded since checkpoint `m` (some may be down).
    pub(crate) fn degraded_since(&self, m: &Mark) -> &[NodeIx] {
        self.marks.get(m.marks..).unwrap_or(&[])
    }

    /// Whether node `v` was marked degraded (it may be down since).
    pub(crate) fn is_marked_degraded(&self, v: NodeIx) -> bool {
        self.marked.contains(v)
    }

    /// Whether node `v` went down in the last pass.
    pub(crate) fn is_down(&self, v: NodeIx) -> bool {
        self.down.contains(v)
    }

    /// Nodes down in the last pass (seeds included), in the order they went down.
    pub(crate) fn down(&self) -> &[NodeIx] {
        &self.order
    }

    /// Nodes degraded and not down in the last pass, in the order they degraded.
    pub(crate) fn degraded(&self) -> impl Iterator<Item = NodeIx> + '_ {
        self.marks.iter().copied().filter(|&v| !self.is_down(v))
    }

    /// Groups with a down effect that lost members in the last pass without being lost,
    /// whose consumer stayed up: where another failure could combine with this one.
    pub(crate) fn partial_groups<'a>(
        &'a self,
        graph: &'a Graph,
    ) -> impl Iterator<Item = GroupIx> + 'a {
        self.touched.iter().copied().filter(move |&g| {
            let slot = graph.group(g);
            slot.effect == Effect::Down
                && self
                    .lost
                    .get(g.index())
                    .is_some_and(|&n| n < slot.threshold())
                && !self.is_down(slot.consumer)
        })
    }
}

impl Graph {
    /// A horizon in hours as whole seconds, or the error `impact` gives for it.
    pub(crate) fn horizon_secs(hours: Option<f64>) -> Result<Option<u64>, ScenarioError> {
        match hours {
            None => Ok(None),
            // Any finite horizon that seconds can count; the command line is stricter
            // (`MAX_HOURS`), so that hours print sensibly.
            Some(h) if h >= 0.0 && h * HOUR < u64::MAX as f64 => {
                Ok(Some((h * HOUR).round() as u64))
            }
            Some(h) => Err(ScenarioError::BadHorizon(h)),
        }
    }
}
