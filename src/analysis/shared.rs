//! Work shared between many single-failure passes without a horizon: nodes with equal
//! blast radii are found once (strongly connected components of the "must" graph), and
//! the passes that contain the largest such component resume from its finished state.
//!
//! A link is a *must* link when its group has a down effect and is lost as soon as one
//! member is (`min` = size, the default for a link without a group): the provider's
//! failure alone takes the consumer down. Failure closures are monotone, so if `u` is in
//! the closure of `v` then `closure(u) ⊆ closure(v)`; inside one strongly connected
//! component of the must graph every node is in every other's closure, so they all have
//! the same closure and one pass serves them all. Every node that reaches the largest
//! component `C` through must links has `closure(C)` inside its own closure: its pass
//! starts from a copy of `C`'s finished state (down marks, group loss counters) and only
//! follows what it adds. On inventories with a large cycle of hard dependencies (shared
//! hubs that depend on each other) that turns thousands of near-whole-inventory passes
//! into one pass and thousands of memory copies plus small increments.

use std::collections::VecDeque;

use crate::engine::{Mark, Query, Workspace};
use crate::graph::{Graph, NodeIx};

/// Components and the anchor state for many single-failure passes over one graph.
pub(crate) struct Shared<'g> {
    graph: &'g Graph,
    within: Option<&'g [bool]>,
    /// Component of each node.
    pub comp: Vec<u32>,
    /// One representative node per component (its smallest position).
    pub reps: Vec<NodeIx>,
    /// Members per component.
    pub size: Vec<u32>,
    /// The finished state of the largest component's pass, and which components reach it.
    anchor: Option<(Workspace, Vec<bool>)>,
}

impl<'g> Shared<'g> {
    /// Finds the components of the must graph (confined to `within` when given) and runs
    /// the anchor pass.
    pub fn new(graph: &'g Graph, within: Option<&'g [bool]>) -> Self {
        Self::build(graph, within, false)
    }

    /// The components for passes with a horizon: only must links with no tolerance count
    /// (a failure then reaches the whole component at hour 0, so its members' timed passes
    /// are identical), and there is no anchor (a finished timed pass cannot be extended
    /// with an earlier failure without redoing its times). Only [`Shared::comp`],
    /// [`Shared::reps`] and [`Shared::size`] are meant to be used.
    pub fn timed(graph: &'g Graph) -> Self {
        Self::build(graph, None, true)
    }

    fn build(graph: &'g Graph, within: Option<&'g [bool]>, timed: bool) -> Self {
        let inside = |v: NodeIx| within.is_none_or(|m| m.get(v.index()).copied().unwrap_or(false));
        let must: Vec<bool> = graph
            .links()
            .map(|l| {
                graph.group(graph.group_of(l)).is_must()
                    && (!timed || graph.link(l).tolerance_secs == 0)
                    && inside(graph.provider(l))
                    && inside(graph.consumer(l))
            })
            .collect();
        let sccs = graph.components(|l| must[l.index()]);
        let comp = sccs.of.clone();
        let (reps, size): (Vec<NodeIx>, Vec<u32>) = (0..sccs.len())
            .map(|k| {
                let members = sccs.members(k);
                let rep = members.iter().copied().min().unwrap_or(NodeIx::new(0));
                (rep, members.len() as u32)
            })
            .unzip();
        let largest = (0..sccs.len()).max_by_key(|&k| (size[k], std::cmp::Reverse(reps[k])));
        let anchor = largest.filter(|&k| size[k] >= 2 && !timed).map(|k| {
            let mut ws = Workspace::new(graph);
            ws.run(graph, &Query::closure(&[reps[k]]).within(within));
            // Components that reach the anchor through must links.
            let mut reaches = vec![false; sccs.len()];
            reaches[k] = true;
            let mut queue: VecDeque<NodeIx> = sccs.members(k).iter().copied().collect();
            while let Some(v) = queue.pop_front() {
                for &l in graph.needs(v) {
                    if !must[l.index()] {
                        continue;
                    }
                    let pc = sccs.of(graph.provider(l));
                    if !reaches[pc] {
                        reaches[pc] = true;
                        queue.extend(sccs.members(pc).iter().copied());
                    }
                }
            }
            (ws, reaches)
        });
        Shared {
            graph,
            within,
            comp,
            reps,
            size,
            anchor,
        }
    }

    /// Per-thread scratch for [`Shared::visit`]: a fresh workspace, and a copy of the
    /// anchor's finished state (made once per worker, not once per pass).
    pub fn worker(&self) -> Worker {
        Worker {
            fresh: Workspace::new(self.graph),
            anchored: self.anchor.as_ref().map(|(state, _)| state.clone()),
        }
    }

    /// Runs component `k`'s pass and hands it to `f`. A pass that contains the anchor runs
    /// on top of the worker's copy of the anchor state and is rolled back afterwards, so it
    /// costs O(what it adds to the anchor's closure), not O(V).
    pub fn visit<R>(&self, w: &mut Worker, k: usize, f: impl FnOnce(Pass<'_>) -> R) -> R {
        let rep = self.reps[k];
        if let (Some((anchor, reaches)), Some(ws)) = (&self.anchor, w.anchored.as_mut())
            && reaches[k]
        {
            let mark = ws.checkpoint();
            ws.more(self.graph, &Query::closure(&[rep]).within(self.within));
            let r = f(Pass::Anchored {
                ws,
                anchor,
                mark: &mark,
            });
            ws.rollback(mark);
            return r;
        }
        w.fresh
            .run(self.graph, &Query::closure(&[rep]).within(self.within));
        f(Pass::Fresh(&w.fresh))
    }

    /// Runs the pass of `seeds` in the worker and returns its workspace, with the
    /// checkpoint to roll back to when the pass ran on top of the anchor's state (the
    /// caller must roll back before the next `begin`). Without a checkpoint the workspace
    /// holds a fresh pass that the next `begin` resets by itself.
    pub fn begin<'w>(
        &self,
        w: &'w mut Worker,
        seeds: &[NodeIx],
    ) -> (&'w mut Workspace, Option<Mark>) {
        if let (Some((_, reaches)), Some(ws)) = (&self.anchor, w.anchored.as_mut())
            && seeds.iter().any(|&s| {
                self.comp
                    .get(s.index())
                    .is_some_and(|&k| reaches[k as usize])
            })
        {
            let mark = ws.checkpoint();
            ws.more(self.graph, &Query::closure(seeds).within(self.within));
            return (ws, Some(mark));
        }
        w.fresh
            .run(self.graph, &Query::closure(seeds).within(self.within));
        (&mut w.fresh, None)
    }

    /// The anchor's finished state, if there is an anchor.
    pub fn anchor(&self) -> Option<&Workspace> {
        self.anchor.as_ref().map(|(state, _)| state)
    }

    /// The pass of component `k`'s failure (any member's) into `ws`.
    pub fn run(&self, ws: &mut Workspace, k: usize) {
        let rep = self.reps[k];
        match &self.anchor {
            Some((state, reaches)) if reaches[k] => {
                ws.copy_from(state);
                ws.more(self.graph, &Query::closure(&[rep]).within(self.within));
            }
            _ => ws.run(self.graph, &Query::closure(&[rep]).within(self.within)),
        }
    }
}

/// Per-thread scratch state for [`Shared::visit`].
pub(crate) struct Worker {
    fresh: Workspace,
    anchored: Option<Workspace>,
}

/// One finished pass as [`Shared::visit`] hands it over.
pub(crate) enum Pass<'a> {
    /// A pass from scratch: the workspace holds exactly its result.
    Fresh(&'a Workspace),
    /// A pass on top of the anchor's state: `ws` holds the anchor's result plus what
    /// the pass added since `mark`; `anchor` is the anchor's result alone.
    Anchored {
        /// The combined state.
        ws: &'a Workspace,
        /// The anchor's state.
        anchor: &'a Workspace,
        /// Where the pass's own additions start in `ws`.
        mark: &'a Mark,
    },
}
