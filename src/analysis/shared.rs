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

use rayon::prelude::*;

use super::Progress;
use crate::engine::{Mark, Query, Workspace};
use crate::graph::{Components, Graph, NodeIx};

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
    /// The must links (confined to `within`).
    must: Vec<bool>,
    /// The components, to walk their must links.
    sccs: Components,
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
            must,
            sccs,
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
        if let (Some((_, reaches)), Some(ws)) = (&self.anchor, w.anchored.as_mut())
            && reaches[k]
        {
            let mark = ws.checkpoint();
            ws.more(self.graph, &Query::closure(&[rep]).within(self.within));
            let r = f(Pass::Anchored { ws, mark: &mark });
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

impl Shared<'_> {
    /// A value for every component's single failure (any member's), computed with as
    /// little repeated work as the structure allows: `whole` reads a finished pass, `grow`
    /// derives a pass's value from the value of a pass it contains and what was added since
    /// `mark` (in O(the increment)).
    ///
    /// Passes that contain the anchor resume from its state, as [`Shared::visit`] does. The
    /// others are walked as a forest: each component hangs under the must successor with
    /// the largest (estimated) closure, whose failure it contains; a tree's root runs from
    /// scratch and each child resumes from its parent's finished pass, rolled back when
    /// its subtree is done. A chain of `n` systems then costs O(n) instead of O(n²), and a
    /// tree O(n log n) (the larger part is always the one kept).
    pub fn sweep<T: Clone + Send + Sync>(
        &self,
        progress: &dyn Progress,
        whole: impl Fn(&Workspace) -> T + Sync,
        grow: impl Fn(&T, &Workspace, &Mark) -> T + Sync,
    ) -> Vec<T> {
        let comps = self.reps.len();
        let threads = rayon::current_num_threads().max(1);
        let mut done: Vec<(usize, T)> = Vec::with_capacity(comps);
        let anchored: Vec<usize> = match &self.anchor {
            Some((_, reaches)) => (0..comps).filter(|&k| reaches[k]).collect(),
            None => Vec::new(),
        };
        if let Some((anchor, _)) = &self.anchor {
            let base = whole(anchor);
            // A worker copies the anchor state once: a few chunks per thread, not one copy
            // per rayon job (which could mean thousands of O(V) copies).
            let chunk = anchored.len().div_ceil(threads * 8).max(1);
            done.par_extend(anchored.par_chunks(chunk).flat_map_iter(|ks| {
                let mut ws = anchor.clone();
                ks.iter()
                    .map(|&k| {
                        let mark = ws.checkpoint();
                        ws.more(self.graph, &self.query(k));
                        let value = grow(&base, &ws, &mark);
                        ws.rollback(mark);
                        progress.advance(u64::from(self.size[k]));
                        (k, value)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        let (roots, children) = self.forest(&anchored);
        let chunk = roots.len().div_ceil(threads * 8).max(1);
        done.par_extend(roots.par_chunks(chunk).flat_map_iter(|rs| {
            let mut ws = Workspace::new(self.graph);
            let mut out = Vec::new();
            for &root in rs {
                self.walk(&mut ws, root, &children, progress, &whole, &grow, &mut out);
            }
            out
        }));
        let mut values: Vec<Option<T>> = vec![None; comps];
        for (k, v) in done {
            if let Some(slot) = values.get_mut(k) {
                *slot = Some(v);
            }
        }
        // Every component is a root, a descendant of one, or anchored; should one be missed,
        // it still gets its own pass.
        let mut ws = Workspace::new(self.graph);
        values
            .into_iter()
            .enumerate()
            .map(|(k, v)| {
                v.unwrap_or_else(|| {
                    ws.run(self.graph, &self.query(k));
                    whole(&ws)
                })
            })
            .collect()
    }

    /// The query of component `k`'s failure.
    fn query(&self, k: usize) -> Query<'_> {
        Query::closure(std::slice::from_ref(&self.reps[k])).within(self.within)
    }

    /// The components outside `anchored` as a forest: each under the must successor with
    /// the largest estimated closure (its own size plus its successors' estimates, an
    /// overestimate where closures overlap). Returns the roots and each component's
    /// children (as compressed rows). Components are numbered successors first, so one
    /// pass in number order sees every successor's estimate before it is needed.
    fn forest(&self, anchored: &[usize]) -> (Vec<usize>, (Vec<u32>, Vec<usize>)) {
        let comps = self.reps.len();
        let mut skip = vec![false; comps];
        for &k in anchored {
            skip[k] = true;
        }
        let mut estimate = vec![0u64; comps];
        let mut parent: Vec<Option<usize>> = vec![None; comps];
        for k in (0..comps).filter(|&k| !skip[k]) {
            let mut total = u64::from(self.size[k]);
            let mut best: Option<(u64, usize)> = None;
            for &v in self.sccs.members(k) {
                for dep in self.graph.dependants(v) {
                    if !self.must[dep.link.index()] {
                        continue;
                    }
                    let s = self.sccs.of(dep.consumer);
                    if s == k || skip[s] {
                        continue;
                    }
                    total = total.saturating_add(estimate[s]);
                    if best.is_none_or(|(e, b)| {
                        (estimate[s], std::cmp::Reverse(s)) > (e, std::cmp::Reverse(b))
                    }) {
                        best = Some((estimate[s], s));
                    }
                }
            }
            estimate[k] = total;
            parent[k] = best.map(|(_, s)| s);
        }
        let mut start = vec![0u32; comps + 1];
        for p in parent.iter().flatten() {
            start[p + 1] += 1;
        }
        for k in 0..comps {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut kids = vec![0usize; start[comps] as usize];
        for (k, p) in parent.iter().enumerate() {
            if let Some(p) = p {
                kids[fill[*p] as usize] = k;
                fill[*p] += 1;
            }
        }
        let roots = (0..comps)
            .filter(|&k| !skip[k] && parent[k].is_none())
            .collect();
        (roots, (start, kids))
    }

    /// Walks the tree under `root` depth first without recursion: the root's pass from
    /// scratch, each child's on top of its parent's, rolled back afterwards.
    #[allow(clippy::too_many_arguments)]
    fn walk<T: Clone>(
        &self,
        ws: &mut Workspace,
        root: usize,
        (start, kids): &(Vec<u32>, Vec<usize>),
        progress: &dyn Progress,
        whole: &impl Fn(&Workspace) -> T,
        grow: &impl Fn(&T, &Workspace, &Mark) -> T,
        out: &mut Vec<(usize, T)>,
    ) {
        let children = |k: usize| -> &[usize] {
            match (start.get(k), start.get(k + 1)) {
                (Some(&a), Some(&b)) => kids.get(a as usize..b as usize).unwrap_or(&[]),
                _ => &[],
            }
        };
        ws.run(self.graph, &self.query(root));
        let value = whole(ws);
        progress.advance(u64::from(self.size[root]));
        out.push((root, value.clone()));
        // Each open component: its value, the mark to roll back to, and its next child.
        let mut stack: Vec<(usize, T, Option<Mark>, usize)> = vec![(root, value, None, 0)];
        while let Some(top) = stack.last_mut() {
            let (k, next) = (top.0, top.3);
            if let Some(&child) = children(k).get(next) {
                top.3 += 1;
                let base = top.1.clone();
                let mark = ws.checkpoint();
                ws.more(self.graph, &self.query(child));
                let value = grow(&base, ws, &mark);
                progress.advance(u64::from(self.size[child]));
                out.push((child, value.clone()));
                stack.push((child, value, Some(mark), 0));
            } else {
                if let Some((_, _, Some(mark), _)) = stack.pop() {
                    ws.rollback(mark);
                }
            }
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
    /// the pass added since `mark`.
    Anchored {
        /// The combined state.
        ws: &'a Workspace,
        /// Where the pass's own additions start in `ws`.
        mark: &'a Mark,
    },
}
