//! Recovery plans: after a failure, in which order to bring the down systems back, and
//! when each is back (docs/semantics.md, "recover").
//!
//! The down set `D` comes from one witnessing propagation of the scenario (its `T(v)` are
//! the down times). Among the down nodes, a consumer waits for every down provider of its
//! down-effect links; the strongly connected components of that "waits for" graph (found
//! iteratively, so a chain of any length is fine) are the dependency cycles, restored
//! together.
//!
//! **Waves** (a conservative plan that does not bet on which alternative of a group comes
//! back first): a component's wave is one more than the latest wave of the components it
//! waits for (1 when it waits for nothing). Steps are listed by wave, then grade (1 first,
//! ungraded last), then id.
//!
//! **Timeline**: one event-driven pass. Each redundancy group of a down node counts its
//! members whose provider is up (outside `D`, in the node's own cycle, or back); a node is
//! ready when all its down-effect groups hold. At each instant: the restorations ending
//! then are back; readiness is settled, zero-work nodes coming back at once (a queue of
//! them, so what they make ready is ready at the same instant); then free crews take the
//! ready nodes by (urgency, ready time, id) from a heap. Urgency is the most critical grade
//! among a node and everything in `D` downstream of it, computed once over the
//! components in reverse topological order. O((|D| + links of D) log |D|).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::num::NonZeroUsize;

use serde::Serialize;

use crate::engine::{HOUR, NEVER, Query, Scenario, ScenarioError, Timing, Workspace};
use crate::grade::{ByGrade, Grade};
use crate::graph::{Components, Graph, GroupIx, NodeIx};
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
    /// When it goes down, `T(v)` of the failure (hours).
    pub down_hours: f64,
    /// When all it needs is up again (hours).
    pub ready_hours: f64,
    /// When its restoration starts (hours; its ready time when it needs no work).
    pub start_hours: f64,
    /// When it is back (hours).
    pub back_hours: f64,
    /// Hands-on work to bring it back (hours), the node's `restore`.
    pub restore_hours: f64,
    /// The same times in seconds.
    #[serde(skip)]
    pub times: Times,
    /// What set its back time.
    #[serde(skip)]
    pub wait: Wait,
    /// Its urgency: the most critical grade among it and every node of the plan that waits
    /// for it, directly or through others.
    #[serde(skip)]
    pub urgency: Option<Grade>,
    /// Its place (from 0) in the order the nodes came back: by back time, and at one
    /// instant in the order the pass settled them (a provider before what it made ready).
    #[serde(skip)]
    pub back_order: usize,
}

/// The times of one step, in whole seconds from hour 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    /// Down (`T(v)`).
    pub down: u64,
    /// Ready.
    pub ready: u64,
    /// Restoration starts.
    pub start: u64,
    /// Back.
    pub back: u64,
    /// Hands-on work.
    pub restore: u64,
}

/// What set a step's back time: the wait that ended last before its work could start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wait {
    /// Ready from hour 0: nothing it needs from outside its cycle was down.
    #[default]
    Nothing,
    /// Ready the moment this step (a position in [`RecoveryPlan::steps`]) came back: the
    /// last provider it waited for.
    Provider(usize),
    /// Ready earlier, it waited for a crew: the crew came free when this step's
    /// restoration ended.
    Crew(usize),
}

/// A system of some grade back later than the grade's target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Breach {
    /// Node id.
    pub id: String,
    /// Its grade.
    pub grade: Grade,
    /// When it is back (hours).
    pub back_hours: f64,
    /// The grade's target (hours).
    pub target_hours: f64,
}

/// A recovery plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecoveryPlan {
    /// Failed node ids.
    pub failed: Vec<String>,
    /// Failed link ids (not in the JSON of docs/semantics.md, "recover").
    #[serde(skip)]
    pub failed_links: Vec<String>,
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
    /// At most this many restorations at once; `None`: no limit.
    pub crews: Option<usize>,
    /// When the last system is back (hours; 0 when nothing is down).
    pub all_back_hours: f64,
    /// Systems back later than their grade's target, by grade, then id.
    pub rto_breaches: Vec<Breach>,
    /// The recovery-time target of each grade, in seconds.
    #[serde(skip)]
    pub targets: ByGrade<Option<u64>>,
}

/// How a recovery is staffed and what it must achieve.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RecoverOptions {
    /// At most this many restorations at once; `None`: no limit.
    pub crews: Option<NonZeroUsize>,
    /// The recovery-time target of each grade, in seconds (the ungraded slot is unused).
    pub targets: ByGrade<Option<u64>>,
    /// A planned downtime (`assess --window`), in seconds: the failed nodes are back when
    /// it ends, whatever they need, and take no crew. `None`: they are restored like the
    /// others, as docs/semantics.md, "recover" says.
    pub seed_back: Option<u64>,
}

/// One link of the chain of waits that set a system's back time ([`RecoveryPlan::why`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hold<'p> {
    /// The step.
    pub step: &'p Step,
    /// What it waited for last.
    pub wait: HoldOn<'p>,
}

/// What a step of a chain of waits waited for last.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HoldOn<'p> {
    /// Nothing: ready from hour 0 (the chain ends here).
    Nothing,
    /// A provider, the next link of the chain: ready the moment it was back.
    Provider(&'p Step),
    /// A crew, which came free when the next link's restoration ended.
    Crew(&'p Step),
}

/// What happened to one grade in a plan ([`RecoveryPlan::by_grade`]).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct GradeSummary<'p> {
    /// Systems of the grade in the plan.
    pub systems: usize,
    /// The last of them back (the last in back-time order).
    pub last: Option<&'p Step>,
    /// The grade's target in seconds.
    pub target: Option<u64>,
    /// How many are back later than the target.
    pub breaches: usize,
}

/// What one crew count achieves ([`what_if`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WhatIf {
    /// The crew count, `None`: no limit.
    pub crews: Option<usize>,
    /// When the last system is back (hours).
    pub all_back_hours: f64,
    /// When the last grade 1 system is back (hours; 0 when none is down).
    pub grade1_back_hours: f64,
    /// Systems back later than their grade's target, by grade, then id.
    pub rto_breaches: Vec<Breach>,
}

/// The crew what-if of one failure ([`what_if`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CrewWhatIf {
    /// Failed node ids.
    pub failed: Vec<String>,
    /// Failed link ids.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_links: Vec<String>,
    /// The horizon in hours, or null.
    pub horizon_hours: Option<f64>,
    /// One row per crew count, in the order asked.
    pub what_if: Vec<WhatIf>,
}

/// The recovery-time targets an inventory sets, per grade, in seconds.
pub fn targets_of(inv: &crate::Inventory) -> ByGrade<Option<u64>> {
    let mut t = ByGrade::default();
    for target in &inv.rto {
        *t.get_mut(Some(target.grade)) = Some(target.rto_secs);
    }
    t
}

impl RecoveryPlan {
    /// Whether a step is back later than its grade's target.
    pub fn breached(&self, s: &Step) -> bool {
        s.grade
            .and_then(|g| *self.targets.get(Some(g)))
            .is_some_and(|t| s.times.back > t)
    }

    /// Positions of the steps in the order they came back: by back time, and at one
    /// instant a provider before what it made ready (see [`Step::back_order`]). The order
    /// of the timeline table.
    pub fn by_back_time(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.steps.len()).collect();
        order.sort_by_key(|&i| {
            let s = &self.steps[i];
            (s.times.back, s.back_order)
        });
        order
    }

    /// When the last system is back, in seconds (0 when nothing is down).
    pub fn all_back(&self) -> u64 {
        self.steps.iter().map(|s| s.times.back).max().unwrap_or(0)
    }

    /// The last system back (the last in back-time order), if anything is down.
    pub fn last_back(&self) -> Option<&Step> {
        self.by_back_time().last().map(|&i| &self.steps[i])
    }

    /// The step of a node id.
    pub fn step(&self, id: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.id == id)
    }

    /// The chain of waits that set the back time of step `id`: the step, what it waited
    /// for last (a provider, or a crew freed by another restoration), then that one's
    /// wait, and so on back to a step ready from hour 0. `None` for an id not in the plan.
    pub fn why(&self, id: &str) -> Option<Vec<Hold<'_>>> {
        let mut at = self.steps.iter().position(|s| s.id == id)?;
        let mut chain = Vec::new();
        // Each link is strictly earlier in the pass that set the times, so the chain ends;
        // the bound only guards against a hand-edited plan.
        for _ in 0..=self.steps.len() {
            let step = &self.steps[at];
            let (wait, next) = match step.wait {
                Wait::Nothing => (HoldOn::Nothing, None),
                Wait::Provider(p) => match self.steps.get(p) {
                    Some(ps) => (HoldOn::Provider(ps), Some(p)),
                    None => (HoldOn::Nothing, None),
                },
                Wait::Crew(p) => match self.steps.get(p) {
                    Some(ps) => (HoldOn::Crew(ps), Some(p)),
                    None => (HoldOn::Nothing, None),
                },
            };
            chain.push(Hold { step, wait });
            match next {
                Some(n) => at = n,
                None => break,
            }
        }
        Some(chain)
    }

    /// Per grade (and ungraded): how many systems, the last back, the target, breaches.
    pub fn by_grade(&self) -> ByGrade<GradeSummary<'_>> {
        let mut out: ByGrade<GradeSummary<'_>> = ByGrade::default();
        for g in ByGrade::<()>::KEYS {
            out.get_mut(g).target = g.and_then(|g| *self.targets.get(Some(g)));
        }
        for &i in &self.by_back_time() {
            let s = &self.steps[i];
            let breached = self.breached(s);
            let slot = out.get_mut(s.grade);
            slot.systems += 1;
            slot.last = Some(s);
            slot.breaches += usize::from(breached);
        }
        out
    }
}

/// The recovery plan of a failure scenario with no crew limit and no targets. A failed
/// link is taken as repaired at hour 0: a plan restores nodes, and its consumer waits only
/// for the nodes that went down.
pub fn recover(graph: &Graph, scenario: &Scenario) -> Result<RecoveryPlan, ScenarioError> {
    recover_with(graph, scenario, &RecoverOptions::default())
}

/// The recovery plan of a failure scenario: waves and the timeline of docs/semantics.md, "recover".
pub fn recover_with(
    graph: &Graph,
    scenario: &Scenario,
    opts: &RecoverOptions,
) -> Result<RecoveryPlan, ScenarioError> {
    let (mut prep, seeds, down_at) = prepare(graph, scenario)?;
    if let Some(secs) = opts.seed_back {
        prep.fixed = prep
            .down
            .iter()
            .map(|v| seeds.binary_search(v).is_ok())
            .collect();
        for (i, &fixed) in prep.fixed.iter().enumerate() {
            if fixed {
                prep.restore[i] = secs;
            }
        }
    }
    let sched = schedule(&prep, opts.crews);
    let mut plan = plan(graph, scenario, &prep, &seeds, &down_at, &sched, opts);
    plan.failed_links = link_ids(graph, scenario)?;
    Ok(plan)
}

/// For each crew count, when everything and every grade 1 system is back and which
/// targets are missed (the failure is propagated once).
pub fn what_if(
    graph: &Graph,
    scenario: &Scenario,
    crews: &[Option<NonZeroUsize>],
    targets: &ByGrade<Option<u64>>,
) -> Result<CrewWhatIf, ScenarioError> {
    let (prep, seeds, _) = prepare(graph, scenario)?;
    let rows = crews
        .iter()
        .map(|&c| {
            let sched = schedule(&prep, c);
            let mut grade1 = 0;
            let mut all = 0;
            for (i, &v) in prep.down.iter().enumerate() {
                all = all.max(sched.back[i]);
                if graph.grade(v) == Some(Grade::G1) {
                    grade1 = grade1.max(sched.back[i]);
                }
            }
            WhatIf {
                crews: c.map(NonZeroUsize::get),
                all_back_hours: hours(all),
                grade1_back_hours: hours(grade1),
                rto_breaches: breaches(graph, &prep.down, &sched.back, targets),
            }
        })
        .collect();
    Ok(CrewWhatIf {
        failed: seeds
            .iter()
            .map(|&s| graph.node(s).id.to_string())
            .collect(),
        failed_links: link_ids(graph, scenario)?,
        horizon_hours: scenario.horizon_hours,
        what_if: rows,
    })
}

/// The failed links of a scenario, resolved and sorted.
fn link_ids(graph: &Graph, scenario: &Scenario) -> Result<Vec<String>, ScenarioError> {
    Ok(graph
        .resolve_link_ids(&scenario.failed_links)?
        .into_iter()
        .map(|l| graph.link(l).id.to_string())
        .collect())
}

fn hours(secs: u64) -> f64 {
    secs as f64 / HOUR
}

/// Marks a position that is not in the down set.
const OUT: u32 = u32::MAX;

/// Compressed rows over the down nodes: row `i` is `items[start[i]..start[i + 1]]`.
#[derive(Debug, Default)]
struct Rows {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Rows {
    /// Rows of `n` nodes from `(row, item)` pairs sorted by row.
    fn of(n: usize, pairs: &[(u32, u32)]) -> Self {
        let mut start = vec![0u32; n + 1];
        for &(r, _) in pairs {
            start[r as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        Rows {
            start,
            items: pairs.iter().map(|&(_, x)| x).collect(),
        }
    }

    fn row(&self, i: usize) -> &[u32] {
        &self.items[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// What every schedule of one failure shares: the down set in local numbers (`0..d` in id
/// order), its cycles, the groups' counts at hour 0, urgencies.
#[derive(Debug)]
struct Prep {
    /// The down nodes, in id order.
    down: Vec<NodeIx>,
    /// Distinct down providers -> their down consumers (down-effect links), by provider.
    succ: Rows,
    /// The dependency cycles (components of `succ`).
    comps: Components,
    /// Per group slot: members needed, members up at hour 0, consumer.
    need: Vec<u32>,
    up0: Vec<u32>,
    slot_consumer: Vec<u32>,
    /// Per node: groups that do not hold at hour 0.
    unsat0: Vec<u32>,
    /// Per node: the group slots one of whose members it provides (once per member link),
    /// for consumers outside its cycle.
    feeds: Rows,
    /// Per node: restore seconds, urgency rank (1..4, 255 ungraded).
    restore: Vec<u64>,
    urgency: Vec<u8>,
    /// Nodes back at their `restore` from hour 0 whatever they need, without a crew (a
    /// planned downtime's changed nodes); empty: none.
    fixed: Vec<bool>,
}

/// Propagates the failure and prepares the schedules: the prep, the seeds and every
/// node's down time.
fn prepare(
    graph: &Graph,
    scenario: &Scenario,
) -> Result<(Prep, Vec<NodeIx>, Vec<u64>), ScenarioError> {
    if scenario.failed.is_empty() && scenario.failed_links.is_empty() {
        return Err(ScenarioError::Empty);
    }
    let horizon = Graph::horizon_secs(scenario.horizon_hours)?;
    let seeds = graph.resolve_node_ids(&scenario.failed)?;
    let seed_links = graph.resolve_link_ids(&scenario.failed_links)?;
    let mut ws = Workspace::witnessing(graph);
    ws.run(
        graph,
        &Query {
            seeds: &seeds,
            seed_links: &seed_links,
            timing: Timing::Until(horizon.unwrap_or(NEVER)),
            within: None,
            stop: None,
        },
    );
    let mut down: Vec<NodeIx> = ws.down().to_vec();
    down.sort_unstable();
    let down_at: Vec<u64> = down
        .iter()
        .map(|v| ws.rec.fates[v.index()].down_at)
        .collect();
    let d = down.len();
    let mut pos = vec![OUT; graph.node_count()];
    for (i, v) in down.iter().enumerate() {
        pos[v.index()] = i as u32;
    }

    // Every down-effect member link of a down consumer: (provider position or OUT,
    // consumer, group); and the distinct (provider, consumer) pairs inside D.
    let mut members: Vec<(u32, u32, GroupIx)> = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    for (c, &v) in down.iter().enumerate() {
        for &link in graph.needs(v) {
            let g = graph.group_of(link);
            if graph.group(g).effect != Effect::Down {
                continue;
            }
            let p = pos[graph.provider(link).index()];
            members.push((p, c as u32, g));
            if p != OUT {
                pairs.push((p, c as u32));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let succ = Rows::of(d, &pairs);
    let comps = Components::find(d, |v, out| {
        out.extend(succ.row(v).iter().map(|&w| w as usize))
    });

    // Group slots, numbered in order of first member.
    let mut slot_of: FastMap<GroupIx, u32> = FastMap::default();
    let mut need: Vec<u32> = Vec::new();
    let mut up0: Vec<u32> = Vec::new();
    let mut slot_consumer: Vec<u32> = Vec::new();
    let mut feed_pairs: Vec<(u32, u32)> = Vec::new();
    for &(p, c, g) in &members {
        let slot = *slot_of.entry(g).or_insert_with(|| {
            need.push(graph.group(g).min);
            up0.push(0);
            slot_consumer.push(c);
            (need.len() - 1) as u32
        });
        let same_cycle =
            p != OUT && comps.of(NodeIx::new(p as usize)) == comps.of(NodeIx::new(c as usize));
        if p == OUT || same_cycle {
            up0[slot as usize] += 1;
        } else {
            feed_pairs.push((p, slot));
        }
    }
    feed_pairs.sort_unstable();
    let feeds = Rows::of(d, &feed_pairs);
    let mut unsat0 = vec![0u32; d];
    for s in 0..need.len() {
        if up0[s] < need[s] {
            unsat0[slot_consumer[s] as usize] += 1;
        }
    }

    // Urgency per component: components close after every component they reach
    // (consumers first), so each one's downstream components are final before it.
    let mut comp_urgency = vec![u8::MAX; comps.len()];
    for k in 0..comps.len() {
        let mut u = u8::MAX;
        for &m in comps.members(k) {
            u = u.min(Grade::rank(graph.grade(down[m.index()])));
            for &w in succ.row(m.index()) {
                let kw = comps.of(NodeIx::new(w as usize));
                if kw != k {
                    u = u.min(comp_urgency[kw]);
                }
            }
        }
        comp_urgency[k] = u;
    }
    let urgency = (0..d)
        .map(|i| comp_urgency[comps.of(NodeIx::new(i))])
        .collect();
    let restore = down.iter().map(|&v| graph.node(v).restore_secs).collect();
    Ok((
        Prep {
            down,
            succ,
            comps,
            need,
            up0,
            slot_consumer,
            unsat0,
            feeds,
            restore,
            urgency,
            fixed: Vec::new(),
        },
        seeds,
        down_at,
    ))
}

/// What set a node's back time, in local numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LocalWait {
    Nothing,
    Provider(u32),
    Crew(u32),
}

/// The times of every down node, in local numbers.
#[derive(Debug)]
struct Schedule {
    ready: Vec<u64>,
    start: Vec<u64>,
    back: Vec<u64>,
    wait: Vec<LocalWait>,
    /// The order the nodes came back in.
    back_order: Vec<u32>,
}

/// The timeline of docs/semantics.md, "recover" over a prepared failure.
fn schedule(p: &Prep, crews: Option<NonZeroUsize>) -> Schedule {
    let d = p.down.len();
    let mut s = Schedule {
        ready: vec![NEVER; d],
        start: vec![NEVER; d],
        back: vec![NEVER; d],
        wait: vec![LocalWait::Nothing; d],
        back_order: vec![u32::MAX; d],
    };
    let mut came_back = 0u32;
    let mut up = p.up0.clone();
    let mut unsat = p.unsat0.clone();
    // Ready nodes that need a crew, by (urgency, ready time, id).
    let mut queue: BinaryHeap<Reverse<(u8, u64, u32)>> = BinaryHeap::new();
    // Running restorations by end time, then node.
    let mut running: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
    // Free crews, each with the node whose restoration it finished last (LIFO: the ones
    // freed at the current instant are on top).
    let limit = crews.map(NonZeroUsize::get);
    // (More crews than down nodes would never all be busy.)
    let mut free: Vec<Option<u32>> = vec![None; limit.unwrap_or(0).min(d)];
    // Nodes back at the current instant whose dependants are yet to be told.
    let mut settle: Vec<u32> = Vec::new();

    let fixed = |i: usize| p.fixed.get(i).copied().unwrap_or(false);
    // A node became ready at `t`: zero-work nodes are back at once, the others queue.
    macro_rules! ready {
        ($v:expr, $t:expr, $why:expr) => {{
            let (v, t): (u32, u64) = ($v, $t);
            let i = v as usize;
            // A fixed node is running since hour 0 already.
            if !fixed(i) {
                s.ready[i] = t;
                s.wait[i] = $why;
                if p.restore[i] == 0 {
                    s.start[i] = t;
                    s.back[i] = t;
                    s.back_order[i] = came_back;
                    came_back += 1;
                    settle.push(v);
                } else {
                    queue.push(Reverse((p.urgency[i], t, v)));
                }
            }
        }};
    }
    // Settles readiness at `t` after the nodes in `settle` came back.
    macro_rules! settle {
        ($t:expr) => {{
            let t: u64 = $t;
            while let Some(v) = settle.pop() {
                for &slot in p.feeds.row(v as usize) {
                    let slot = slot as usize;
                    up[slot] += 1;
                    if up[slot] == p.need[slot] {
                        let c = p.slot_consumer[slot];
                        unsat[c as usize] -= 1;
                        if unsat[c as usize] == 0 {
                            ready!(c, t, LocalWait::Provider(v));
                        }
                    }
                }
            }
        }};
    }

    for v in 0..d {
        if fixed(v) {
            s.ready[v] = 0;
            s.start[v] = 0;
            running.push(Reverse((p.restore[v], v as u32)));
        } else if p.unsat0[v] == 0 {
            ready!(v as u32, 0, LocalWait::Nothing);
        }
    }
    let mut t = 0u64;
    loop {
        settle!(t);
        // Free crews take the most urgent ready nodes.
        loop {
            let crew = match limit {
                None => None,
                Some(_) => {
                    if queue.is_empty() {
                        break;
                    }
                    match free.pop() {
                        Some(c) => c,
                        None => break,
                    }
                }
            };
            let Some(Reverse((_, r, v))) = queue.pop() else {
                break;
            };
            let i = v as usize;
            s.start[i] = t;
            if t > r
                && let Some(prev) = crew
            {
                s.wait[i] = LocalWait::Crew(prev);
            }
            running.push(Reverse((t.saturating_add(p.restore[i]), v)));
        }
        // The next instant: the restorations ending then are back.
        let Some(&Reverse((next, _))) = running.peek() else {
            break;
        };
        t = next;
        while let Some(&Reverse((end, v))) = running.peek() {
            if end != t {
                break;
            }
            running.pop();
            s.back[v as usize] = t;
            s.back_order[v as usize] = came_back;
            came_back += 1;
            settle.push(v);
            if limit.is_some() && !fixed(v as usize) {
                free.push(Some(v));
            }
        }
    }
    s
}

/// The systems of each grade back later than the grade's target, by grade, then id
/// (`down` is in id order).
fn breaches(
    graph: &Graph,
    down: &[NodeIx],
    back: &[u64],
    targets: &ByGrade<Option<u64>>,
) -> Vec<Breach> {
    let mut out: Vec<Breach> = down
        .iter()
        .zip(back)
        .filter_map(|(&v, &b)| {
            let g = graph.grade(v)?;
            let target = (*targets.get(Some(g)))?;
            (b > target).then(|| Breach {
                id: graph.node(v).id.to_string(),
                grade: g,
                back_hours: hours(b),
                target_hours: hours(target),
            })
        })
        .collect();
    out.sort_by(|a, b| a.grade.cmp(&b.grade).then(a.id.cmp(&b.id)));
    out
}

/// Assembles the plan: waves, cycles and the timeline, steps in wave order.
fn plan(
    graph: &Graph,
    scenario: &Scenario,
    p: &Prep,
    seeds: &[NodeIx],
    down_at: &[u64],
    sched: &Schedule,
    opts: &RecoverOptions,
) -> RecoveryPlan {
    let d = p.down.len();
    let comps = &p.comps;
    let comp = |i: usize| comps.of(NodeIx::new(i));
    // Waves: providers' components close after their consumers', so going down from the
    // last component visits every component after all it waits for.
    let mut wave = vec![1usize; comps.len()];
    for k in (0..comps.len()).rev() {
        for &m in comps.members(k) {
            for &w in p.succ.row(m.index()) {
                let kw = comp(w as usize);
                if kw != k {
                    wave[kw] = wave[kw].max(wave[k] + 1);
                }
            }
        }
    }
    // Who each node waits for: its down providers outside its component.
    let mut preds: Vec<Vec<u32>> = vec![Vec::new(); d];
    for v in 0..d {
        for &w in p.succ.row(v) {
            if comp(w as usize) != comp(v) {
                preds[w as usize].push(v as u32);
            }
        }
    }
    let id = |i: usize| graph.node(p.down[i]).id.to_string();
    let mut steps: Vec<(usize, Step)> = (0..d)
        .map(|i| {
            let k = comp(i);
            // Providers come in position order, which is id order.
            let waits: Vec<String> = preds[i].iter().map(|&w| id(w as usize)).collect();
            let node = graph.node(p.down[i]);
            let times = Times {
                down: down_at[i],
                ready: sched.ready[i],
                start: sched.start[i],
                back: sched.back[i],
                restore: p.restore[i],
            };
            let step = Step {
                wave: wave[k],
                id: node.id.to_string(),
                name: node.name.to_string(),
                grade: node.grade,
                agency: node.agency.as_deref().map(str::to_owned),
                failed: seeds.binary_search(&p.down[i]).is_ok(),
                waits_for: waits,
                // The component for now; numbered as a cycle once the steps are sorted.
                cycle: (comps.members(k).len() > 1).then_some(k),
                down_hours: hours(times.down),
                ready_hours: hours(times.ready),
                start_hours: hours(times.start),
                back_hours: hours(times.back),
                restore_hours: hours(times.restore),
                times,
                wait: Wait::Nothing,
                urgency: Grade::new(i64::from(p.urgency[i])),
                back_order: sched.back_order[i] as usize,
            };
            (i, step)
        })
        .collect();
    steps.sort_by(|(_, a), (_, b)| {
        a.wave
            .cmp(&b.wave)
            .then(Grade::rank(a.grade).cmp(&Grade::rank(b.grade)))
            .then(a.id.cmp(&b.id))
    });
    let mut at = vec![0usize; d];
    for (n, (i, _)) in steps.iter().enumerate() {
        at[*i] = n;
    }
    let mut steps: Vec<Step> = steps
        .into_iter()
        .map(|(i, mut s)| {
            s.wait = match sched.wait[i] {
                LocalWait::Nothing => Wait::Nothing,
                LocalWait::Provider(v) => Wait::Provider(at[v as usize]),
                LocalWait::Crew(v) => Wait::Crew(at[v as usize]),
            };
            s
        })
        .collect();
    let mut number: FastMap<usize, usize> = FastMap::default();
    let mut cycle_members: Vec<Vec<String>> = Vec::new();
    for step in &mut steps {
        if let Some(k) = step.cycle {
            let n = *number.entry(k).or_insert_with(|| {
                let mut members: Vec<String> =
                    comps.members(k).iter().map(|n| id(n.index())).collect();
                members.sort_unstable();
                cycle_members.push(members);
                cycle_members.len()
            });
            step.cycle = Some(n);
        }
    }
    let all_back = sched.back.iter().copied().max().unwrap_or(0);
    RecoveryPlan {
        failed: seeds
            .iter()
            .map(|&s| graph.node(s).id.to_string())
            .collect(),
        failed_links: Vec::new(),
        horizon_hours: scenario.horizon_hours,
        waves: wave.iter().copied().max().unwrap_or(0),
        cycles: cycle_members.len(),
        cycle_members,
        steps,
        crews: opts.crews.map(NonZeroUsize::get),
        all_back_hours: hours(all_back),
        rto_breaches: breaches(graph, &p.down, &sched.back, &opts.targets),
        targets: opts.targets,
    }
}
