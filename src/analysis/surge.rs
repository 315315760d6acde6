//! Surge (docs/semantics.md, "surge"): when requests to some systems jump, which providers saturate
//! first, by which path, and how much headroom is left.
//!
//! # How loads are computed
//!
//! Failures come first: one pass of the failure engine (no horizon) gives the down set.
//! A link *carries* load when its `calls` is above 0, its provider and consumer are up and
//! the scenario did not fail the link itself; its share is `calls × min(k, m) / m`, `m`
//! being the members of its group whose provider is up (and whose link is not failed).
//! The carrying links among up nodes must form no cycle: Kahn's algorithm orders the up
//! nodes consumers first (a node once every consumer that sends it load is done), and a
//! node left over means a loop, reported as one cycle found in the strongly connected
//! components. One sweep in that order then sums `L(v) = E(v) + Σ L(c) × share` for the
//! baseline and the surge together: O(nodes + links), no recursion, no fixed point.
//!
//! The added load is `D = L − B`. Each node with `D > 0` keeps the consumer that brings it
//! the most added load (`D(c) × share`, summed over parallel links of one consumer; ties
//! to the smaller id), and its path is rebuilt from those predecessors on demand.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

use crate::engine::{Impact, PathMode, Query, Scenario, ScenarioError, Timing, Workspace};
use crate::engine::{Path, PathOut, ShortPath, Step, Witness};
use crate::grade::Grade;
use crate::graph::{Graph, LinkIx, NodeIx};
use crate::inventory::{Diagnostic, Effect, Inventory, Mode, Origin};

/// How a surge changes a node's outside load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bump {
    /// `xF`: the outside load times `F`.
    Factor(f64),
    /// `+R`: the outside load plus `R` requests per second.
    Add(f64),
}

impl Bump {
    /// The outside load after the surge, of a node whose normal outside load is `load`.
    pub fn apply(self, load: f64) -> f64 {
        match self {
            Bump::Factor(f) => f * load,
            Bump::Add(r) => load + r,
        }
    }
}

/// One `--at ID=xFACTOR` or `--at ID=+RATE`.
#[derive(Debug, Clone, PartialEq)]
pub struct At {
    /// The node whose outside load jumps.
    pub id: String,
    /// By how much.
    pub bump: Bump,
}

impl FromStr for At {
    type Err = String;

    /// Parses `ID=x10` (also `X10`, `×10`, `*10`) or `ID=+5000`.
    fn from_str(s: &str) -> Result<Self, String> {
        let expected = "expected ID=xFACTOR (vaccine-booking=x10) or ID=+RATE (gov24=+5000)";
        let (id, how) = s
            .split_once('=')
            .ok_or_else(|| format!("invalid surge `{s}`: {expected}"))?;
        let id = id.trim();
        if id.is_empty() {
            return Err(format!("invalid surge `{s}`: no id; {expected}"));
        }
        let how = how.trim();
        let number = |text: &str, what: &str| -> Result<f64, String> {
            match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
                _ => Err(format!(
                    "invalid surge `{s}`: `{text}` is not a {what} of at least 0; {expected}"
                )),
            }
        };
        let bump = if let Some(rest) = how.strip_prefix('+') {
            Bump::Add(number(rest, "rate")?)
        } else if let Some(rest) = ["x", "X", "×", "*"]
            .iter()
            .find_map(|p| how.strip_prefix(p))
        {
            Bump::Factor(number(rest, "factor")?)
        } else {
            return Err(format!("invalid surge `{s}`: {expected}"));
        };
        Ok(At {
            id: id.to_owned(),
            bump,
        })
    }
}

/// A surge scenario: whose outside load jumps, and what has failed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SurgeScenario {
    /// The surges, at least one.
    pub at: Vec<At>,
    /// Nodes that are down (they fail as in docs/semantics.md, "Failure impact", with no horizon).
    pub failed: Vec<String>,
    /// Links that are lost: they carry nothing, and the other members of their group take
    /// over their part.
    pub failed_links: Vec<String>,
}

/// A cycle of load-carrying links: loads are not defined.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadLoop {
    /// The cycle, each node a provider of the one before (the first follows the last).
    pub nodes: Vec<String>,
    /// `links[i]` is the link from `nodes[i]` (consumer) to the next node (provider).
    pub links: Vec<String>,
    /// The position in `links` of the link suggested for `calls = 0`.
    pub cut: usize,
    /// Where the suggested link is written.
    pub origin: Origin,
}

impl LoadLoop {
    /// The suggested link's id.
    pub fn cut_link(&self) -> &str {
        self.links.get(self.cut).map_or("", String::as_str)
    }

    /// The loop as `` `a` -> `b` -> `a` ``.
    pub fn cycle(&self) -> String {
        self.nodes
            .iter()
            .chain(self.nodes.first())
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(" -> ")
    }
}

impl fmt::Display for LoadLoop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let links: Vec<String> = self.links.iter().map(|l| format!("`{l}`")).collect();
        write!(
            f,
            "load loop {}: each sends requests on to the next (links {}), so loads are not \
             defined; set `calls = 0` on one of its links, for example `{}`",
            self.cycle(),
            links.join(", "),
            self.cut_link()
        )
    }
}

/// A load loop as a diagnostic at the link suggested for `calls = 0` (what `check`
/// reports).
pub fn loop_diagnostic(l: &LoadLoop) -> Diagnostic {
    let cut = l.cut_link();
    Diagnostic::at(&l.origin, l.origin.line, format!("load loop {}", l.cycle()))
        .subject(format!("link `{cut}`"))
        .field("calls")
        .expected(format!(
            "links that carry load (calls above 0) forming no cycle: each of {} sends requests on to the next, so loads are not defined",
            l.links
                .iter()
                .map(|id| format!("`{id}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .help(format!(
            "set `calls = 0` on one link of the loop (one whose requests are not caused by the requests its consumer serves), for example `{cut}`"
        ))
}

/// Why a surge cannot be evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SurgeError {
    /// An unknown node or link id.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// No `--at`.
    #[error("no surge given: expected --at ID=xFACTOR or --at ID=+RATE")]
    NoSurge,
    /// One node surged twice.
    #[error("`{0}` is surged twice: give one --at per system")]
    Twice(String),
    /// The carrying links among up nodes form a cycle.
    #[error("{0}")]
    Loop(LoadLoop),
}

/// The surge as evaluated, echoed in the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurgeEcho {
    /// The surges, sorted by id.
    pub surge: Vec<AtEcho>,
    /// Failed node ids (sorted, without repeats).
    pub failed: Vec<String>,
    /// Failed link ids; written only when there are some.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failed_links: Vec<String>,
}

/// One surge in the echo: `factor` for `xF`, `add` for `+R`, the other null.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtEcho {
    /// Node id.
    pub id: String,
    /// The factor of `xF`.
    pub factor: Option<f64>,
    /// The rate of `+R`.
    pub add: Option<f64>,
}

/// One up node that receives added load.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<'g> {
    /// The node's position in the graph.
    pub node: NodeIx,
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
    /// Its load without the surge (same failures), requests per second.
    pub baseline: f64,
    /// Its load with the surge.
    pub load: f64,
    /// What it can serve; `None`: unlimited (not declared).
    pub capacity: Option<f64>,
    /// `load / capacity`.
    pub utilization: Option<f64>,
    /// `load > capacity`.
    pub saturated: bool,
    /// Links on its path (0 for a surged node that no consumer brings added load to).
    pub depth: u32,
}

impl Loaded<'_> {
    /// The added load `load − baseline`.
    pub fn added(&self) -> f64 {
        self.load - self.baseline
    }

    /// The factor by which the added load can grow before this node saturates, `(C − B) /
    /// D` (negative when saturated without the surge); `None` without a capacity.
    pub fn headroom(&self) -> Option<f64> {
        self.capacity.map(|c| (c - self.baseline) / self.added())
    }
}

/// Totals of a surge.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurgeSummary {
    /// Nodes saturated (`load > capacity`).
    pub saturated: usize,
    /// The largest factor by which the added load can be multiplied before a node
    /// saturates; negative when one is saturated already without the surge; null when no
    /// node with a capacity receives added load.
    pub headroom: Option<f64>,
}

/// The result of a surge. Serialized as docs/semantics.md, "surge" says: `{"scenario", "nodes",
/// "summary"}`, each row with its whole path.
#[derive(Debug, Clone)]
pub struct Surge<'g> {
    /// The scenario.
    pub scenario: SurgeEcho,
    /// Every up node with added load, by utilization (highest first, nodes without a
    /// capacity last), then id.
    pub nodes: Vec<Loaded<'g>>,
    /// Totals.
    pub summary: SurgeSummary,
    /// The node that limits the headroom (the smallest `(C − B) / D`, ties to the smaller
    /// id): the one that saturates first.
    pub first: Option<&'g str>,
    /// Nodes down because of the failures.
    pub down: usize,
    witness: Witness<'g>,
}

impl<'g> Surge<'g> {
    /// The path of a row: from a surged node to it, along the links that bring it the most
    /// added load.
    pub fn path(&self, row: &Loaded<'g>) -> Path<'g> {
        self.witness.path(row.node)
    }

    /// The path of a row as a table shows it (see [`ShortPath`]).
    pub fn short_path(&self, row: &Loaded<'g>) -> ShortPath<'g> {
        // Predecessors come before the nodes they lead to in order of depth. The order is
        // sorted only if the witness asks for it (once, for the first long path).
        let rows = std::iter::once(()).flat_map(|()| {
            let mut by_depth: Vec<(u32, NodeIx)> =
                self.nodes.iter().map(|r| (r.depth, r.node)).collect();
            by_depth.sort_unstable();
            by_depth.into_iter().map(|(_, v)| v)
        });
        self.witness.short(row.node, row.depth as usize + 1, rows)
    }

    /// The saturated rows.
    pub fn saturated(&self) -> impl Iterator<Item = &Loaded<'g>> {
        self.nodes.iter().filter(|r| r.saturated)
    }

    /// The result as JSON with paths written as `mode` says (`Via` writes each row's
    /// predecessor as `"via"` instead of its path).
    pub fn json(&self, mode: PathMode) -> impl Serialize + '_ {
        SurgeJson { surge: self, mode }
    }
}

impl Serialize for Surge<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.json(PathMode::Full).serialize(s)
    }
}

struct SurgeJson<'a, 'g> {
    surge: &'a Surge<'g>,
    mode: PathMode,
}

impl Serialize for SurgeJson<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Surge", 3)?;
        st.serialize_field("scenario", &self.surge.scenario)?;
        st.serialize_field(
            "nodes",
            &Rows {
                surge: self.surge,
                mode: self.mode,
            },
        )?;
        st.serialize_field("summary", &self.surge.summary)?;
        st.end()
    }
}

struct Rows<'a, 'g> {
    surge: &'a Surge<'g>,
    mode: PathMode,
}

impl Serialize for Rows<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.surge.nodes.iter().map(|r| Row {
            r,
            witness: &self.surge.witness,
            mode: self.mode,
        }))
    }
}

/// One row: `id, name, grade, agency, baseline, load, capacity, utilization, saturated,
/// path`.
struct Row<'a, 'g> {
    r: &'a Loaded<'g>,
    witness: &'a Witness<'g>,
    mode: PathMode,
}

impl Serialize for Row<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let r = self.r;
        let mut st = s.serialize_struct("Loaded", 10)?;
        st.serialize_field("id", r.id)?;
        st.serialize_field("name", r.name)?;
        st.serialize_field("grade", &r.grade)?;
        st.serialize_field("agency", &r.agency)?;
        st.serialize_field("baseline", &r.baseline)?;
        st.serialize_field("load", &r.load)?;
        st.serialize_field("capacity", &r.capacity)?;
        st.serialize_field("utilization", &r.utilization)?;
        st.serialize_field("saturated", &r.saturated)?;
        match self.mode {
            PathMode::Full => st.serialize_field(
                "path",
                &PathOut {
                    witness: self.witness,
                    node: r.node,
                },
            )?,
            PathMode::Via => {
                let path = self.witness.path(r.node);
                let via = path.len().checked_sub(2).and_then(|i| path.get(i));
                st.serialize_field("via", &via)?
            }
        }
        st.end()
    }
}

/// A rate in requests per second as people read it: `9,800`, `1,681` (from 1,680.6),
/// `12.5`, `0.33`, `<0.01`.
pub fn format_rate(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x != 0.0 && x.abs() < 0.005 {
        return if x > 0.0 { "<0.01" } else { ">-0.01" }.to_owned();
    }
    // Large rates to the request, small ones to a tenth or a hundredth.
    let decimals = if x.abs() >= 100.0 {
        0
    } else if x.abs() >= 10.0 {
        1
    } else {
        2
    };
    let text = format!("{:.*}", decimals, x.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let frac = frac.trim_end_matches('0');
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if x < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// Whether an inventory says anything about load: a node with a `load` above 0 or a
/// `capacity`, or a link with `calls` written. Only then does `check` refuse a load loop:
/// inventories written before loads existed keep loading as they did.
pub fn uses_load(inv: &Inventory) -> bool {
    inv.nodes
        .iter()
        .any(|n| n.load > 0.0 || n.capacity.is_some())
        || inv.links.iter().any(|l| l.calls.is_some())
}

/// Which links carry load, and how much of their consumer's load each: the flow of one
/// failure state, in an order that sums loads in one sweep.
#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// Whether each node is up.
    up: Vec<bool>,
    /// Each link's share (`calls × min(k, m) / m`), 0 when it carries nothing.
    share: Vec<f64>,
    /// The up nodes, each after every consumer that sends it load.
    order: Vec<NodeIx>,
    /// The carrying links of `order[i]` are `edges[start[i]..start[i + 1]]`, as
    /// (provider, share): a sweep in order reads them in sequence.
    start: Vec<u32>,
    edges: Vec<(NodeIx, f64)>,
}

impl Flow {
    /// The flow when `down` nodes are down and `failed_links` are lost (sorted).
    pub(crate) fn new(
        graph: &Graph,
        down: &[bool],
        failed_links: &[LinkIx],
    ) -> Result<Flow, LoadLoop> {
        let n = graph.node_count();
        let up: Vec<bool> = (0..n)
            .map(|i| !down.get(i).copied().unwrap_or(false))
            .collect();
        // Members of each group that can serve (provider up, link not lost): its size,
        // less what the failures took. Only what is down is visited.
        let mut lost_members: crate::hash::FastMap<u32, u32> = Default::default();
        let mut lose = |l: LinkIx| {
            *lost_members
                .entry(graph.group_of(l).index() as u32)
                .or_insert(0) += 1
        };
        for v in graph.nodes().filter(|v| !up[v.index()]) {
            for dep in graph.dependants(v) {
                lose(dep.link);
            }
        }
        for &l in failed_links {
            if up[graph.provider(l).index()] {
                lose(l);
            }
        }
        let serving = |g: crate::graph::GroupIx| {
            let size = graph.group(g).size;
            size - lost_members
                .get(&(g.index() as u32))
                .copied()
                .unwrap_or(0)
                .min(size)
        };
        let lost = |l: LinkIx| !failed_links.is_empty() && failed_links.binary_search(&l).is_ok();
        // Shares, link by link in order; carrying links counted per consumer and provider.
        let mut share = vec![0.0f64; graph.link_count()];
        let mut pending = vec![0u32; n];
        let mut out_degree = vec![0u32; n];
        for l in graph.links() {
            let calls = graph.calls(l);
            let (p, c) = (graph.provider(l), graph.consumer(l));
            let carries = calls > 0.0 && up[p.index()] && up[c.index()] && !lost(l);
            if !carries {
                continue;
            }
            let g = graph.group_of(l);
            let group = graph.group(g);
            share[l.index()] = if group.size == 1 {
                calls
            } else {
                let m = serving(g).max(1);
                calls * f64::from(group.min.min(m)) / f64::from(m)
            };
            pending[p.index()] += 1;
            out_degree[c.index()] += 1;
        }
        // The carrying links grouped by consumer (a counting sort), to walk without the
        // links' tables.
        let mut row = vec![0u32; n + 1];
        for v in 0..n {
            row[v + 1] = row[v] + out_degree[v];
        }
        let mut by_consumer = vec![(NodeIx::new(0), 0.0f64); row[n] as usize];
        let mut fill = row.clone();
        for l in graph.links() {
            let s = share[l.index()];
            if s > 0.0 {
                let c = graph.consumer(l).index();
                by_consumer[fill[c] as usize] = (graph.provider(l), s);
                fill[c] += 1;
            }
        }
        drop(fill);
        // Kahn: consumers before providers; the edges laid out in that order.
        let mut order: Vec<NodeIx> = graph
            .nodes()
            .filter(|v| up[v.index()] && pending[v.index()] == 0)
            .collect();
        let mut start = Vec::with_capacity(n + 1);
        let mut edges = Vec::with_capacity(by_consumer.len());
        start.push(0u32);
        let mut next = 0;
        while let Some(&c) = order.get(next) {
            next += 1;
            let (a, b) = (row[c.index()] as usize, row[c.index() + 1] as usize);
            for &(p, s) in &by_consumer[a..b] {
                edges.push((p, s));
                pending[p.index()] -= 1;
                if pending[p.index()] == 0 {
                    order.push(p);
                }
            }
            start.push(edges.len() as u32);
        }
        let ups = up.iter().filter(|&&u| u).count();
        if order.len() < ups {
            return Err(find_loop(graph, &share));
        }
        Ok(Flow {
            up,
            share,
            order,
            start,
            edges,
        })
    }

    /// The flow with nothing down.
    pub(crate) fn healthy(graph: &Graph) -> Result<Flow, LoadLoop> {
        Flow::new(graph, &[], &[])
    }

    /// Whether node `v` is up.
    pub(crate) fn is_up(&self, v: NodeIx) -> bool {
        self.up.get(v.index()).copied().unwrap_or(false)
    }

    /// The share of link `l` (0 when it carries nothing).
    pub(crate) fn share(&self, l: LinkIx) -> f64 {
        self.share.get(l.index()).copied().unwrap_or(0.0)
    }

    /// The loads of every node for `K` sets of outside loads at once (0 for down nodes):
    /// one sweep, whatever `K`.
    pub(crate) fn loads_of<const K: usize>(
        &self,
        n: usize,
        outside: impl Fn(NodeIx) -> [f64; K],
    ) -> Vec<[f64; K]> {
        let mut load = vec![[0.0f64; K]; n];
        for (i, &c) in self.order.iter().enumerate() {
            let e = outside(c);
            let lc = &mut load[c.index()];
            for k in 0..K {
                lc[k] += e[k];
            }
            let lc = *lc;
            let (a, b) = (self.start[i] as usize, self.start[i + 1] as usize);
            for &(p, s) in &self.edges[a..b] {
                let lp = &mut load[p.index()];
                for k in 0..K {
                    lp[k] += lc[k] * s;
                }
            }
        }
        load
    }

    /// The loads of every node given each up node's outside load (0 for down nodes).
    pub(crate) fn loads(&self, graph: &Graph, outside: impl Fn(NodeIx) -> f64) -> Vec<f64> {
        self.loads_of(graph.node_count(), |v| [outside(v)])
            .into_iter()
            .map(|[l]| l)
            .collect()
    }
}

/// The baseline loads with nothing down (what `check` and `assess` report), or the loop
/// that leaves them undefined.
pub fn baseline(graph: &Graph) -> Result<Vec<f64>, LoadLoop> {
    let flow = Flow::healthy(graph)?;
    Ok(flow.loads(graph, |v| graph.node(v).load))
}

/// The load loop of the healthy inventory, if any.
pub fn load_loop(graph: &Graph) -> Option<LoadLoop> {
    Flow::healthy(graph).err()
}

/// One cycle of carrying links: in the strongly connected component that holds the
/// smallest node id among those with a cycle, the shortest cycle through that node.
fn find_loop(graph: &Graph, share: &[f64]) -> LoadLoop {
    let carries = |l: LinkIx| share.get(l.index()).is_some_and(|&s| s > 0.0);
    let sccs = graph.components(carries);
    let start = graph
        .nodes()
        .find(|&v| sccs.members(sccs.of(v)).len() > 1)
        .unwrap_or(NodeIx::new(0));
    let k = sccs.of(start);
    // Breadth-first from `start` along consumer -> provider inside the component, each
    // node's needs in (provider, link) order; `prev[p]` is how `p` was reached.
    let mut prev: crate::hash::FastMap<NodeIx, (NodeIx, LinkIx)> = Default::default();
    let mut queue = std::collections::VecDeque::from([start]);
    let mut closing = None;
    'search: while let Some(v) = queue.pop_front() {
        let mut next: Vec<(NodeIx, LinkIx)> = graph
            .needs(v)
            .iter()
            .filter(|&&l| carries(l))
            .map(|&l| (graph.provider(l), l))
            .filter(|&(p, _)| sccs.of(p) == k)
            .collect();
        next.sort_unstable();
        for (p, l) in next {
            if p == start {
                closing = Some((v, l));
                break 'search;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = prev.entry(p) {
                e.insert((v, l));
                queue.push_back(p);
            }
        }
    }
    let mut nodes = Vec::new();
    let mut links = Vec::new();
    if let Some((last, closing_link)) = closing {
        nodes.push(last);
        links.push(closing_link);
        let mut cur = last;
        while cur != start {
            let Some(&(from, l)) = prev.get(&cur) else {
                break;
            };
            links.push(l);
            nodes.push(from);
            cur = from;
        }
        nodes.reverse();
        links.reverse();
    }
    // The link the consumer can best do without: a soft one, else an async one, else one
    // with a tolerance, else the link that closes the cycle.
    let rank = |l: LinkIx| {
        let link = graph.link(l);
        if link.effect == Effect::Degraded {
            0
        } else if link.mode == Mode::Async {
            1
        } else if link.tolerance_secs > 0 {
            2
        } else {
            3
        }
    };
    let best = links.iter().map(|&l| rank(l)).min().unwrap_or(3);
    let cut = if best == 3 {
        links.len().saturating_sub(1)
    } else {
        links.iter().position(|&l| rank(l) == best).unwrap_or(0)
    };
    LoadLoop {
        nodes: nodes.iter().map(|&v| graph.node_id(v).to_owned()).collect(),
        links: links
            .iter()
            .map(|&l| graph.link(l).id.to_string())
            .collect(),
        cut,
        origin: links
            .get(cut)
            .map(|&l| graph.link(l).origin.clone())
            .unwrap_or_default(),
    }
}

/// Evaluates a surge: loads with and without it, saturation, headroom and paths.
pub fn surge<'g>(graph: &'g Graph, scenario: &SurgeScenario) -> Result<Surge<'g>, SurgeError> {
    if scenario.at.is_empty() {
        return Err(SurgeError::NoSurge);
    }
    let n = graph.node_count();
    // The surges, by node.
    let mut bumps: Vec<(NodeIx, Bump)> = Vec::with_capacity(scenario.at.len());
    for at in &scenario.at {
        let v = graph.resolve_node(&at.id)?;
        bumps.push((v, at.bump));
    }
    bumps.sort_by_key(|&(v, _)| v);
    if let Some(w) = bumps.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(SurgeError::Twice(graph.node_id(w[0].0).to_owned()));
    }
    let seeds = graph.resolve_node_ids(&scenario.failed)?;
    let seed_links = graph.resolve_link_ids(&scenario.failed_links)?;

    // Failures first: the down set of docs/semantics.md, "Failure impact" with no horizon.
    let mut down = vec![false; n];
    let mut down_count = 0;
    if !seeds.is_empty() || !seed_links.is_empty() {
        let mut ws = Workspace::new(graph);
        ws.run(
            graph,
            &Query {
                seeds: &seeds,
                seed_links: &seed_links,
                timing: Timing::Ignore,
                within: None,
                stop: None,
            },
        );
        for &v in ws.down() {
            down[v.index()] = true;
        }
        down_count = ws.down().len();
    }
    let flow = Flow::new(graph, &down, &seed_links).map_err(SurgeError::Loop)?;

    // The baseline and the surge in one sweep.
    let nodes_of = &graph.inventory().nodes;
    let both = flow.loads_of(n, |v| {
        let l = nodes_of[v.index()].load;
        match bumps.binary_search_by_key(&v, |&(b, _)| b) {
            Ok(i) => [l, bumps[i].1.apply(l)],
            Err(_) => [l, l],
        }
    });
    let base: Vec<f64> = both.iter().map(|x| x[0]).collect();
    let load: Vec<f64> = both.iter().map(|x| x[1]).collect();
    drop(both);
    let added = |v: NodeIx| load[v.index()] - base[v.index()];

    // Each loaded node's predecessor: the consumer bringing the most added load.
    let mut steps = vec![Step::default(); n];
    let mut acc = vec![0.0f64; n];
    let mut touched: Vec<NodeIx> = Vec::new();
    let mut hit: Vec<NodeIx> = Vec::new();
    for v in graph.nodes() {
        let gained = added(v) > 0.0;
        if !flow.is_up(v) || !gained {
            continue;
        }
        hit.push(v);
        for dep in graph.dependants(v) {
            let s = flow.share(dep.link);
            let c = dep.consumer;
            let dc = added(c);
            if s > 0.0 && dc > 0.0 {
                if acc[c.index()] == 0.0 {
                    touched.push(c);
                }
                acc[c.index()] += dc * s;
            }
        }
        let mut best: Option<(f64, NodeIx)> = None;
        for &c in &touched {
            let bring = acc[c.index()];
            acc[c.index()] = 0.0;
            if bring > 0.0 && best.is_none_or(|(b, bc)| bring > b || (bring == b && c < bc)) {
                best = Some((bring, c));
            }
        }
        touched.clear();
        steps[v.index()].via = best.map(|(_, c)| c);
    }
    // Depths follow the predecessors (which form a forest: a predecessor is a consumer,
    // earlier in the flow's order).
    let mut depth = vec![0u32; n];
    for &v in &flow.order {
        if let Some(c) = steps[v.index()].via {
            depth[v.index()] = depth[c.index()] + 1;
        }
    }

    let mut nodes: Vec<Loaded<'g>> = hit
        .iter()
        .map(|&v| {
            let label = graph.label(v);
            let capacity = graph.node(v).capacity;
            let l = load[v.index()];
            Loaded {
                node: v,
                id: label.id,
                name: label.name,
                grade: label.grade,
                agency: label.agency,
                baseline: base[v.index()],
                load: l,
                capacity,
                utilization: capacity.map(|c| l / c),
                saturated: capacity.is_some_and(|c| l > c),
                depth: depth[v.index()],
            }
        })
        .collect();
    // By utilization, highest first, nodes without a capacity last; then id (node order).
    nodes.sort_by(|a, b| match (a.utilization, b.utilization) {
        (Some(x), Some(y)) => y.total_cmp(&x).then(a.node.cmp(&b.node)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.node.cmp(&b.node),
    });
    let mut first: Option<(f64, NodeIx)> = None;
    for r in &nodes {
        if let Some(h) = r.headroom()
            && first.is_none_or(|(b, bv)| h < b || (h == b && r.node < bv))
        {
            first = Some((h, r.node));
        }
    }
    let summary = SurgeSummary {
        saturated: nodes.iter().filter(|r| r.saturated).count(),
        headroom: first.map(|(h, _)| h),
    };
    Ok(Surge {
        scenario: SurgeEcho {
            surge: bumps
                .iter()
                .map(|&(v, bump)| AtEcho {
                    id: graph.node_id(v).to_owned(),
                    factor: match bump {
                        Bump::Factor(f) => Some(f),
                        Bump::Add(_) => None,
                    },
                    add: match bump {
                        Bump::Add(r) => Some(r),
                        Bump::Factor(_) => None,
                    },
                })
                .collect(),
            failed: seeds.iter().map(|&v| graph.node_id(v).to_owned()).collect(),
            failed_links: seed_links
                .iter()
                .map(|&l| graph.link(l).id.to_string())
                .collect(),
        },
        nodes,
        summary,
        first: first.map(|(_, v)| graph.node_id(v)),
        down: down_count,
        witness: Witness::new(graph, steps),
    })
}

/// `--cascade`: the failure impact (docs/semantics.md, "Failure impact", no horizon) of the saturated nodes
/// taken as failed, on top of the scenario's own failures; `None` when nothing saturates.
/// Loads are not recomputed after the cascade.
pub fn cascade<'g>(
    graph: &'g Graph,
    surge: &Surge<'_>,
) -> Result<Option<Impact<'g>>, ScenarioError> {
    let saturated: Vec<String> = surge.saturated().map(|r| r.id.to_owned()).collect();
    if saturated.is_empty() {
        return Ok(None);
    }
    let mut failed = surge.scenario.failed.clone();
    failed.extend(saturated);
    graph
        .impact(&Scenario {
            failed,
            failed_links: surge.scenario.failed_links.clone(),
            horizon_hours: None,
        })
        .map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surges_parse() {
        assert_eq!(
            "vaccine-booking=x10".parse::<At>(),
            Ok(At {
                id: "vaccine-booking".into(),
                bump: Bump::Factor(10.0)
            })
        );
        assert_eq!(
            "gov24=+5000".parse::<At>().map(|a| a.bump),
            Ok(Bump::Add(5000.0))
        );
        assert_eq!(
            "a=×2.5".parse::<At>().map(|a| a.bump),
            Ok(Bump::Factor(2.5))
        );
        for bad in [
            "a", "a=10", "=x2", "a=x", "a=x-1", "a=+nan", "a=+inf", "a=-5",
        ] {
            assert!(bad.parse::<At>().is_err(), "{bad}");
        }
    }
}
