//! The inventory as an indexed dependency graph: typed positions for nodes, links and
//! groups, one adjacency (each node's dependants and each node's needs, as compressed
//! rows), each link's redundancy group in dense tables, and the labels that results
//! borrow.

mod index;
mod scc;

use std::sync::{Arc, OnceLock};

use crate::grade::Grade;
use rayon::prelude::*;

pub use index::{AgencyIx, GroupIx, LinkIx, NodeIx};
pub(crate) use scc::Components;

use crate::hash::{FastMap, Numbering};
use crate::inventory::{
    Effect, GroupDecl, GroupNumbers, Inventory, Link, NO_GROUP, Node, Resolved, Text, sorted_by_id,
};

/// One redundancy group: `min` of its `size` member links must hold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Group {
    /// The consumer node.
    pub consumer: NodeIx,
    /// How many members must stay available.
    pub min: u32,
    /// How many members the group has.
    pub size: u32,
    /// What losing the group does.
    pub effect: Effect,
}

impl Group {
    /// How many members must be lost for the group to be lost.
    pub fn threshold(&self) -> u32 {
        self.size - self.min + 1
    }

    /// Whether the group's consumer goes down as soon as one member is lost (a *must*
    /// group: one member, or all needed, and a down effect).
    pub fn is_must(&self) -> bool {
        self.effect == Effect::Down && self.threshold() == 1
    }

    /// How the group is lost, in the form each member link carries.
    pub fn rule(&self) -> LossRule {
        LossRule::new(self.threshold(), self.effect)
    }
}

/// What the loss of a link does, packed into one word so that every dependant can carry it
/// and a loss needs no lookup of its group: the link's group is lost when `threshold` of
/// its members are, and losing it has `effect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct LossRule(u32);

impl LossRule {
    /// The rule of a link whose loss alone downs its consumer (threshold 1, effect down).
    pub const FIRST_LOSS_DOWNS: LossRule = LossRule(1 << 1);

    /// Packs a threshold (at most 2^31 - 1, more than any group can have) and an effect.
    pub fn new(threshold: u32, effect: Effect) -> Self {
        LossRule(threshold.min(u32::MAX >> 1) << 1 | u32::from(effect == Effect::Degraded))
    }

    /// How many members must be lost for the group to be lost.
    pub fn threshold(self) -> u32 {
        self.0 >> 1
    }

    /// The packed word (for the index cache).
    pub(crate) fn bits(self) -> u32 {
        self.0
    }

    /// A rule from its packed word: any word is a threshold and an effect.
    pub(crate) fn from_bits(bits: u32) -> Self {
        LossRule(bits)
    }

    /// What losing the group does.
    pub fn effect(self) -> Effect {
        if self.0 & 1 == 1 {
            Effect::Degraded
        } else {
            Effect::Down
        }
    }
}

/// One dependant of a node: the link, its consumer, group and tolerance, stored contiguously
/// per provider so that propagation streams through memory instead of chasing pointers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Dep {
    /// The link.
    pub link: LinkIx,
    /// The link's consumer.
    pub consumer: NodeIx,
    /// The link's group.
    pub group: GroupIx,
    /// How the link's group is lost.
    pub rule: LossRule,
    /// The link's tolerance in seconds when it fits in 32 bits (136 years), else
    /// [`Dep::LONG`] and [`Graph::tolerance`] reads it from the link: 20 bytes a
    /// dependant stream faster than 24.
    tolerance: u32,
}

impl Dep {
    /// The `tolerance` of a link whose tolerance is read from the link itself.
    const LONG: u32 = u32::MAX;

    /// Whether the link is lost the moment its provider is (no tolerance).
    pub fn is_instant(&self) -> bool {
        self.tolerance == 0
    }

    /// A dependant as the index cache keeps it: its rule and tolerance as stored.
    pub(crate) fn from_parts(
        link: LinkIx,
        consumer: NodeIx,
        group: GroupIx,
        rule: LossRule,
        tolerance: u32,
    ) -> Self {
        Dep {
            link,
            consumer,
            group,
            rule,
            tolerance,
        }
    }

    /// The tolerance as stored ([`Dep::LONG`] when read from the link).
    pub(crate) fn stored_tolerance(&self) -> u32 {
        self.tolerance
    }
}

/// A node's id, name, agency and grade, borrowed from the graph.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label<'g> {
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Owning agency.
    pub agency: Option<&'g str>,
    /// Criticality grade.
    pub grade: Option<Grade>,
}

/// A node's name, agency and grade: one dense record, so that building result rows reads
/// one place per node.
#[derive(Debug, Clone, Default, PartialEq)]
struct LabelRow {
    name: Text,
    agency: Option<AgencyIx>,
    grade: Option<Grade>,
}

/// Compressed rows: the entries of row `v` are `items[start[v]..start[v + 1]]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Rows<T> {
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Rows<T> {
    /// Rows from their starts and items, if the starts begin at 0, never go down and end
    /// at the number of items.
    pub(crate) fn from_parts(start: Vec<u32>, items: Vec<T>) -> Option<Self> {
        let whole = start.first() == Some(&0)
            && start.last().map(|&l| l as usize) == Some(items.len())
            && start.windows(2).all(|w| w.first() <= w.get(1));
        whole.then_some(Rows { start, items })
    }

    /// Each row's start (one more than the rows), and the items.
    pub(crate) fn parts(&self) -> (&[u32], &[T]) {
        (&self.start, &self.items)
    }

    fn row(&self, v: usize) -> &[T] {
        match (self.start.get(v), self.start.get(v + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }
}

/// Fills compressed rows from items `0..len`, item `i` in row `row(i)` (below `n`);
/// within a row the items come out latest first (a counting sort filled from each row's
/// end), as a linked adjacency list would list them. Each item is made once, as it is
/// filled in. The rows are cut into `parts` ranges of about as many items, each filled by
/// its own piece of work into its own slice: every piece reads every item's row (one
/// sequential pass) but writes only its own rows, so that the cores share the scattered
/// writes, which are most of the cost, and no two touch one slot.
fn rows_of<T: Copy + Send>(
    n: usize,
    len: usize,
    row: impl Fn(usize) -> usize + Sync,
    item: impl Fn(usize) -> T + Sync,
    blank: T,
    parts: usize,
) -> Rows<T> {
    let mut start = vec![0u32; n + 1];
    for i in 0..len {
        start[row(i) + 1] += 1;
    }
    for v in 0..n {
        start[v + 1] += start[v];
    }
    let mut items = vec![blank; len];
    // Each part: its first row, its end row and its slice of the items.
    let mut pieces = Vec::with_capacity(parts);
    let mut rest = items.as_mut_slice();
    let mut lo = 0;
    for k in 1..=parts.max(1) {
        let hi = if k >= parts {
            n
        } else {
            start
                .partition_point(|&s| (s as usize) < len * k / parts)
                .clamp(lo, n)
        };
        let (slice, tail) = rest.split_at_mut((start[hi] - start[lo]) as usize);
        pieces.push((lo, hi, slice));
        rest = tail;
        lo = hi;
    }
    let fill = |(lo, hi, slice): (usize, usize, &mut [T])| {
        let base = start[lo];
        let mut end: Vec<u32> = start[lo + 1..=hi].to_vec();
        for i in 0..len {
            let r = row(i);
            if (lo..hi).contains(&r) {
                let slot = &mut end[r - lo];
                *slot -= 1;
                slice[(*slot - base) as usize] = item(i);
            }
        }
    };
    if pieces.len() > 1 {
        pieces.into_par_iter().for_each(fill);
    } else {
        pieces.into_iter().for_each(fill);
    }
    Rows { start, items }
}

/// The tables of a graph that take longest to build or read every link: each link's ends,
/// group, tolerance and calls, and the redundancy groups. The index cache keeps them
/// beside the inventory, so that a cache hit builds its graph without resolving half a
/// million ids again, or building a single link.
#[derive(Debug, Clone, PartialEq)]
pub struct Tables {
    /// Provider and consumer of each link.
    pub(crate) ends: Vec<(NodeIx, NodeIx)>,
    /// Groups that tolerate losses first, then the others.
    pub(crate) groups: Vec<Group>,
    /// Each link's group.
    pub(crate) link_group: Vec<GroupIx>,
    /// Each link's calls in force.
    pub(crate) calls: Vec<f64>,
    /// Each node's dependants (the links it provides), latest link first.
    pub(crate) deps: Rows<Dep>,
}

impl Tables {
    /// The tables of `inv`, sorting its nodes and links by id first and dropping links
    /// that name unknown nodes (neither happens to a loaded inventory).
    pub fn build(inv: &mut Inventory) -> Self {
        // Loading already sorts; hand-built inventories get the same guarantees. (Checked
        // first: a stable sort allocates scratch space even for sorted input.)
        if !sorted_by_id(&inv.nodes, |n| &n.id) {
            inv.nodes.sort_by(|a, b| a.id.cmp(&b.id));
        }
        if !sorted_by_id(&inv.links, |l| &l.id) {
            inv.links.sort_by(|a, b| a.id.cmp(&b.id));
        }
        // Positions are 32-bit: nothing past that is an inventory anyone keeps.
        inv.nodes.truncate(u32::MAX as usize - 1);
        inv.links.truncate(u32::MAX as usize - 1);
        // Duplicate ids (possible only in hand-built inventories) resolve to the first, as
        // a binary search over the sorted nodes could; valid inventories have none.
        let mut index: FastMap<&str, NodeIx> =
            FastMap::with_capacity_and_hasher(inv.nodes.len(), Default::default());
        for (i, n) in inv.nodes.iter().enumerate() {
            index.entry(n.id.as_str()).or_insert(NodeIx::new(i));
        }
        // Half a million lookups: shared read-only, so split over the cores.
        let ends: Vec<Option<(NodeIx, NodeIx)>> = inv
            .links
            .par_iter()
            .map(|l| {
                Some((
                    *index.get(l.provider.as_str())?,
                    *index.get(l.consumer.as_str())?,
                ))
            })
            .collect();
        if ends.iter().any(Option::is_none) {
            let mut keep = ends.iter().map(Option::is_some);
            inv.links.retain(|_| keep.next().unwrap_or(false));
        }
        let ends: Vec<(NodeIx, NodeIx)> = ends.into_iter().flatten().collect();
        // Groups numbered in order of first member; a declaration's group is looked up
        // (a declaration no link has is no group).
        let mut numbers: FastMap<(NodeIx, &str), u32> = FastMap::default();
        let of_link: Vec<u32> = inv
            .links
            .iter()
            .zip(&ends)
            .map(|(l, &(_, c))| match &l.group {
                Some(g) => {
                    let next = numbers.len() as u32;
                    *numbers.entry((c, g.as_str())).or_insert(next)
                }
                None => NO_GROUP,
            })
            .collect();
        let mins: Vec<(u32, u32)> = inv
            .groups
            .iter()
            .filter_map(|d| {
                let c = *index.get(d.consumer.as_str())?;
                Some((*numbers.get(&(c, d.group.as_str()))?, d.min))
            })
            .collect();
        let groups = GroupNumbers {
            of_link,
            count: numbers.len(),
            mins,
        };
        Tables::of(&inv.links, ends, &groups, inv.nodes.len())
    }

    /// The tables of a loaded inventory: from the references its load resolved when there
    /// are some, else built as [`Tables::build`] builds them.
    pub(crate) fn of_loaded(inv: &mut Inventory, resolved: Option<Resolved>) -> Self {
        match resolved.and_then(|r| Tables::resolved(inv, r)) {
            Some(tables) => tables,
            None => Tables::build(inv),
        }
    }

    /// The tables of a loaded inventory from the references its load resolved; `None` when
    /// they do not fit it (they always do).
    pub(crate) fn resolved(inv: &Inventory, r: Resolved) -> Option<Self> {
        let (n, links) = (inv.nodes.len(), inv.links.len());
        if r.ends.len() != links || r.groups.of_link.len() != links || n >= u32::MAX as usize - 1 {
            return None;
        }
        let node = |i: u32| (i as usize) < n;
        if !r.ends.par_iter().all(|&(p, c)| node(p) && node(c)) {
            return None;
        }
        let ends = r
            .ends
            .into_iter()
            .map(|(p, c)| (NodeIx::new(p as usize), NodeIx::new(c as usize)))
            .collect();
        Some(Tables::of(&inv.links, ends, &r.groups, n))
    }

    /// The tables of `links` between `nodes` nodes, given each link's ends and its group's
    /// number.
    fn of(
        links: &[Link],
        ends: Vec<(NodeIx, NodeIx)>,
        numbers: &GroupNumbers,
        nodes: usize,
    ) -> Self {
        let (groups, link_group) = group_tables(links, &ends, numbers);
        let calls = links.iter().map(Link::calls).collect();
        // Dense while the dependants are filled (they keep each one): reading it from the
        // scattered links as they are filled would be slower.
        let tolerance: Vec<u32> = links
            .iter()
            .map(|l| u32::try_from(l.tolerance_secs).unwrap_or(u32::MAX))
            .collect();
        let deps = dependants(nodes, &ends, &tolerance, &groups, &link_group);
        Tables {
            ends,
            groups,
            link_group,
            calls,
            deps,
        }
    }
}

/// A validated inventory with its dependency graph. Node `i` is `inventory().nodes[i]`
/// and link `j` is `inventory().links[j]`; both are sorted by id, so position order is id
/// order.
#[derive(Debug, Clone)]
pub struct Graph {
    /// The inventory; without its nodes while they wait in `pending_nodes`, without its
    /// links while they wait in `pending`.
    inv: Inventory,
    /// Nodes still in the index cache, built on first use: a query reads the labels.
    pending_nodes: Option<(PendingNodes, OnceLock<Vec<Node>>)>,
    /// Links still in the index cache, built on first use, and the whole inventory then.
    pending: Option<(PendingLinks, OnceLock<Inventory>)>,
    /// Provider and consumer of each link.
    ends: Vec<(NodeIx, NodeIx)>,
    /// Groups that tolerate losses first (`..counted_groups`), then the others.
    groups: Vec<Group>,
    counted_groups: usize,
    link_group: Vec<GroupIx>,
    /// Each node's dependants (the links it provides), latest link first.
    deps: Rows<Dep>,
    /// Each node's needs (the links it consumes), latest link first: built on first use,
    /// since a failure or change query never reads them.
    needs: OnceLock<Rows<LinkIx>>,
    /// Each link's calls in force (docs/semantics.md, "surge"), dense: a surge reads half a million
    /// of them without touching the links.
    calls: Vec<f64>,
    labels: Labels,
}

/// Builds the links and the group declarations of an inventory from its nodes, on first
/// use: a cache hit that never reads a link (a failure or change query from nodes) never
/// builds half a million of them, nor the declarations the graph's tables already hold.
#[derive(Clone)]
pub(crate) struct PendingLinks(pub(crate) Arc<BuildLinks>);

/// Builds the links and the group declarations of an inventory from its nodes.
pub(crate) type BuildLinks = dyn Fn(&[Node]) -> (Vec<Link>, Vec<GroupDecl>) + Send + Sync;

/// Builds the nodes of an inventory on first use: a cache hit that only queries reads
/// their labels ([`Labels`]), never fifty thousand whole records.
#[derive(Clone)]
pub(crate) struct PendingNodes(pub(crate) Arc<dyn Fn() -> Vec<Node> + Send + Sync>);

impl std::fmt::Debug for PendingNodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingNodes")
    }
}

impl std::fmt::Debug for PendingLinks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingLinks")
    }
}

impl Graph {
    /// Builds the graph of an inventory. Meant for a validated one (see [`crate::load`]);
    /// links that name unknown nodes are dropped so that link `j` stays `links[j]`.
    pub fn new(mut inv: Inventory) -> Self {
        let tables = Tables::build(&mut inv);
        let labels = Labels::of(&inv.nodes);
        Graph::assemble(inv, tables, labels)
    }

    /// The graph of a loaded inventory, from the references its load resolved when there
    /// are some.
    pub(crate) fn loaded(mut inv: Inventory, resolved: Option<Resolved>) -> Self {
        let tables = Tables::of_loaded(&mut inv, resolved);
        let labels = Labels::of(&inv.nodes);
        Graph::assemble(inv, tables, labels)
    }

    /// The graph of an inventory whose [`Tables`] were built before (and kept in the index
    /// cache): the rest is a few linear passes.
    pub(crate) fn with_tables(inv: Inventory, tables: Tables) -> Self {
        let labels = Labels::of(&inv.nodes);
        Graph::assemble(inv, tables, labels)
    }

    /// [`Graph::with_tables`] for an inventory whose nodes, links and group declarations are
    /// still to be built: `inv` has none, `labels` are its nodes' labels, and `nodes` and
    /// `links` build them (as many as the labels and the tables have) when first asked.
    pub(crate) fn with_pending(
        inv: Inventory,
        tables: Tables,
        labels: Labels,
        nodes: PendingNodes,
        links: PendingLinks,
    ) -> Self {
        let mut graph = Graph::assemble(inv, tables, labels);
        graph.pending_nodes = Some((nodes, OnceLock::new()));
        graph.pending = Some((links, OnceLock::new()));
        graph
    }

    fn assemble(inv: Inventory, tables: Tables, labels: Labels) -> Self {
        let Tables {
            ends,
            groups,
            link_group,
            calls,
            deps,
        } = tables;
        let counted_groups = groups.iter().filter(|g| g.threshold() > 1).count();
        Graph {
            inv,
            pending_nodes: None,
            pending: None,
            ends,
            groups,
            counted_groups,
            link_group,
            deps,
            needs: OnceLock::new(),
            calls,
            labels,
        }
    }

    /// The inventory the graph was built from (its links and group declarations built now
    /// if they were left in the index cache).
    pub fn inventory(&self) -> &Inventory {
        match &self.pending {
            None => &self.inv,
            Some((pending, whole)) => whole.get_or_init(|| {
                let nodes = self.node_records();
                let (links, groups) = (pending.0)(nodes);
                Inventory {
                    nodes: nodes.to_vec(),
                    links,
                    groups,
                    policy: self.inv.policy.clone(),
                    rto: self.inv.rto.clone(),
                }
            }),
        }
    }

    /// The nodes, in id order (without building links left in the index cache).
    pub fn node_records(&self) -> &[Node] {
        match &self.pending_nodes {
            None => &self.inv.nodes,
            Some((pending, nodes)) => nodes.get_or_init(|| (pending.0)()),
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.labels.ids.len()
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.ends.len()
    }

    /// Every node, in id order.
    pub fn nodes(&self) -> impl DoubleEndedIterator<Item = NodeIx> + ExactSizeIterator + use<> {
        (0..self.node_count()).map(NodeIx::new)
    }

    /// Every link, in id order.
    pub(crate) fn links(
        &self,
    ) -> impl DoubleEndedIterator<Item = LinkIx> + ExactSizeIterator + use<> {
        (0..self.link_count()).map(LinkIx::new)
    }

    /// Every group (counted ones first).
    pub(crate) fn groups(
        &self,
    ) -> impl DoubleEndedIterator<Item = GroupIx> + ExactSizeIterator + use<> {
        (0..self.groups.len()).map(GroupIx::new)
    }

    /// The position of a node id.
    pub fn node_ix(&self, id: &str) -> Option<NodeIx> {
        self.labels
            .ids
            .binary_search_by(|n| n.as_str().cmp(id))
            .ok()
            .map(NodeIx::new)
    }

    /// The position of a link id.
    pub fn link_ix(&self, id: &str) -> Option<LinkIx> {
        self.inventory()
            .links
            .binary_search_by(|l| l.id.as_str().cmp(id))
            .ok()
            .map(LinkIx::new)
    }

    /// The node at a position.
    pub fn node(&self, v: NodeIx) -> &Node {
        &self.node_records()[v.index()]
    }

    /// The link at a position.
    pub fn link(&self, l: LinkIx) -> &Link {
        &self.inventory().links[l.index()]
    }

    /// The shared id, name and agency of a node.
    pub(crate) fn label(&self, v: NodeIx) -> Label<'_> {
        let row = &self.labels.rows[v.index()];
        Label {
            id: self.node_id(v),
            name: &row.name,
            agency: row
                .agency
                .and_then(|a| self.labels.agencies.get(a.index()))
                .map(Text::as_str),
            grade: row.grade,
        }
    }

    /// The criticality grade of a node.
    pub(crate) fn grade(&self, v: NodeIx) -> Option<Grade> {
        self.labels.rows[v.index()].grade
    }

    /// Each agency the nodes have, once, in order of first use.
    pub fn agencies(&self) -> &[Text] {
        &self.labels.agencies
    }

    /// The distinct agencies of some nodes, sorted.
    pub(crate) fn agencies_of(&self, nodes: impl Iterator<Item = NodeIx>) -> Vec<String> {
        // Each agency has a number: tens of thousands of nodes mark a table of them
        // instead of hashing their names.
        let mut seen = vec![false; self.labels.agencies.len()];
        for v in nodes {
            if let Some(mark) = self
                .labels
                .rows
                .get(v.index())
                .and_then(|row| row.agency)
                .and_then(|a| seen.get_mut(a.index()))
            {
                *mark = true;
            }
        }
        let mut names: Vec<&str> = self
            .labels
            .agencies
            .iter()
            .zip(&seen)
            .filter(|&(_, &seen)| seen)
            .map(|(name, _)| name.as_str())
            .collect();
        names.sort_unstable();
        names.into_iter().map(str::to_owned).collect()
    }

    /// The id of a node, borrowed from the graph.
    pub(crate) fn node_id(&self, v: NodeIx) -> &str {
        &self.labels.ids[v.index()]
    }

    /// Provider of a link.
    pub(crate) fn provider(&self, l: LinkIx) -> NodeIx {
        self.ends[l.index()].0
    }

    /// Consumer of a link.
    pub(crate) fn consumer(&self, l: LinkIx) -> NodeIx {
        self.ends[l.index()].1
    }

    /// Requests the consumer of a link sends its provider per request it serves.
    pub(crate) fn calls(&self, l: LinkIx) -> f64 {
        self.calls.get(l.index()).copied().unwrap_or(0.0)
    }

    /// The links a node provides, with their consumers and groups, latest link first.
    pub(crate) fn dependants(&self, v: NodeIx) -> &[Dep] {
        self.deps.row(v.index())
    }

    /// The links a node consumes, latest link first.
    pub(crate) fn needs(&self, v: NodeIx) -> &[LinkIx] {
        // Built on one thread: a rayon thread waiting here for its own pieces of work
        // could take up another that asks for the needs, and wait on itself.
        let needs = self.needs.get_or_init(|| {
            let ends = &self.ends;
            let consumer = |l: usize| ends[l].1.index();
            rows_of(
                self.node_count(),
                ends.len(),
                consumer,
                LinkIx::new,
                LinkIx::new(0),
                1,
            )
        });
        needs.row(v.index())
    }

    /// The tolerance in seconds of a dependant's link.
    pub(crate) fn tolerance(&self, dep: &Dep) -> u64 {
        match dep.tolerance {
            Dep::LONG => self.link(dep.link).tolerance_secs,
            secs => u64::from(secs),
        }
    }

    /// The group of a link.
    pub(crate) fn group_of(&self, l: LinkIx) -> GroupIx {
        self.link_group[l.index()]
    }

    /// A group.
    pub(crate) fn group(&self, g: GroupIx) -> Group {
        self.groups[g.index()]
    }

    /// Number of groups that tolerate losses (numbered first).
    pub(crate) fn counted_group_count(&self) -> usize {
        self.counted_groups
    }

    /// Number of groups (explicit and implicit single-link ones).
    pub(crate) fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Marks `starts` and every node with a path to one of them along links that `follow`
    /// accepts (called with the link and its provider): the nodes whose failure can travel
    /// to `starts` that way.
    pub(crate) fn upstream(
        &self,
        starts: impl IntoIterator<Item = NodeIx>,
        follow: impl Fn(LinkIx, NodeIx) -> bool,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.node_count()];
        let mut queue = std::collections::VecDeque::new();
        for v in starts {
            if let Some(s) = seen.get_mut(v.index())
                && !*s
            {
                *s = true;
                queue.push_back(v);
            }
        }
        while let Some(v) = queue.pop_front() {
            for &link in self.needs(v) {
                let p = self.provider(link);
                if !seen[p.index()] && follow(link, p) {
                    seen[p.index()] = true;
                    queue.push_back(p);
                }
            }
        }
        seen
    }

    /// The strongly connected components of the graph restricted to the links `follow`
    /// accepts (iteratively: a dependency chain of any length is fine).
    pub(crate) fn components(&self, follow: impl Fn(LinkIx) -> bool) -> Components {
        Components::find(self.node_count(), |v, out| {
            out.extend(
                self.dependants(NodeIx::new(v))
                    .iter()
                    .filter(|d| follow(d.link))
                    .map(|d| d.consumer.index()),
            )
        })
    }

    /// Ids and names close to `wanted`, for "did you mean" hints (a name is offered only
    /// where it names one node, so that it can be typed as it is).
    pub fn similar_node_ids(&self, wanted: &str) -> Vec<&str> {
        let mut uses: FastMap<&str, u32> = FastMap::default();
        for r in &self.labels.rows {
            *uses.entry(r.name.as_str()).or_insert(0) += 1;
        }
        let names = self
            .labels
            .rows
            .iter()
            .map(|r| r.name.as_str())
            .filter(|name| uses.get(name) == Some(&1));
        let mut near = crate::inventory::closest(
            wanted,
            self.labels.ids.iter().map(Text::as_str).chain(names),
            3,
        );
        near.dedup();
        near
    }

    /// The nodes whose name is exactly `name`.
    pub(crate) fn nodes_named(&self, name: &str) -> Vec<NodeIx> {
        self.nodes()
            .filter(|v| self.labels.rows[v.index()].name == name)
            .collect()
    }

    /// Link ids close to `wanted`.
    pub fn similar_link_ids(&self, wanted: &str) -> Vec<&str> {
        let links = &self.inventory().links;
        crate::inventory::closest(wanted, links.iter().map(|l| l.id.as_str()), 3)
    }
}

/// The redundancy groups (with their declared `min`) and the group of every link. Groups
/// that tolerate losses get the first numbers, so that their loss counters (the only ones
/// a failure pass keeps) are dense.
fn group_tables(
    links: &[Link],
    ends: &[(NodeIx, NodeIx)],
    numbers: &GroupNumbers,
) -> (Vec<Group>, Vec<GroupIx>) {
    let mut groups: Vec<Group> = Vec::new();
    let mut link_group: Vec<usize> = Vec::with_capacity(links.len());
    let mut new_group = |c: NodeIx, effect: Effect| {
        groups.push(Group {
            consumer: c,
            min: 1,
            size: 0,
            effect,
        });
        groups.len() - 1
    };
    // Slots in order of first member; a link without a group is a group of its own.
    let mut slot_of: Vec<usize> = vec![usize::MAX; numbers.count];
    for ((l, &(_, c)), &number) in links.iter().zip(ends).zip(&numbers.of_link) {
        let slot = match slot_of.get_mut(number as usize) {
            Some(slot) if *slot != usize::MAX => *slot,
            Some(slot) => {
                *slot = new_group(c, l.effect);
                *slot
            }
            None => new_group(c, l.effect),
        };
        link_group.push(slot);
    }
    for &slot in &link_group {
        groups[slot].size += 1;
    }
    for &(number, min) in &numbers.mins {
        if let Some(&slot) = slot_of.get(number as usize)
            && let Some(group) = groups.get_mut(slot)
        {
            group.min = min.clamp(1, group.size);
        }
    }
    // Counted groups first, each part in its old order.
    let (counted, others): (Vec<usize>, Vec<usize>) =
        (0..groups.len()).partition(|&i| groups[i].threshold() > 1);
    let order: Vec<usize> = counted.into_iter().chain(others).collect();
    let mut renumber = vec![GroupIx::new(0); groups.len()];
    for (new, &old) in order.iter().enumerate() {
        renumber[old] = GroupIx::new(new);
    }
    (
        order.iter().map(|&i| groups[i]).collect(),
        link_group.into_iter().map(|g| renumber[g]).collect(),
    )
}

/// The dependants of every provider, latest link first.
fn dependants(
    nodes: usize,
    ends: &[(NodeIx, NodeIx)],
    tolerance: &[u32],
    groups: &[Group],
    link_group: &[GroupIx],
) -> Rows<Dep> {
    let provider = |link: usize| ends[link].0.index();
    let dep = |link: usize| {
        let group = link_group[link];
        Dep {
            link: LinkIx::new(link),
            consumer: ends[link].1,
            group,
            rule: groups[group.index()].rule(),
            // u32::MAX is Dep::LONG: read from the link.
            tolerance: tolerance[link],
        }
    };
    let blank = Dep {
        link: LinkIx::new(0),
        consumer: NodeIx::new(0),
        group: GroupIx::new(0),
        rule: LossRule::FIRST_LOSS_DOWNS,
        tolerance: 0,
    };
    // A part per core, at most eight: each part reads every link's provider once.
    let parts = rayon::current_num_threads().clamp(1, 8);
    rows_of(nodes, ends.len(), provider, dep, blank, parts)
}

/// Nodes labelled by one piece of work.
const LABEL_PIECE: usize = 4096;

/// The ids, names, agencies and grades of all nodes in dense tables. Result rows borrow
/// their text from here; a witness path reads only the id table. Short text is stored
/// inline, so reading a label touches these tables and not the text behind them.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Labels {
    ids: Vec<Text>,
    rows: Vec<LabelRow>,
    /// Each agency once: the rows of one agency then share one address.
    agencies: Vec<Text>,
}

/// The label slots of a piece of the nodes, filled in node order, the piece's agencies
/// numbered in order of first use within it ([`Labels::filled`] numbers them across
/// pieces).
#[derive(Debug)]
pub(crate) struct LabelSlots<'s, 'a> {
    ids: &'s mut [Text],
    rows: &'s mut [LabelRow],
    /// How many slots are filled.
    next: usize,
    /// The piece's agencies, by their number in the piece.
    names: Vec<&'a str>,
    numbers: Numbering<'a>,
}

impl<'a> LabelSlots<'_, 'a> {
    /// Labels the piece's next node; `false` when the piece has no slot left.
    pub(crate) fn push(
        &mut self,
        id: Text,
        name: Text,
        agency: Option<&'a str>,
        grade: Option<Grade>,
    ) -> bool {
        let (Some(id_slot), Some(row)) =
            (self.ids.get_mut(self.next), self.rows.get_mut(self.next))
        else {
            return false;
        };
        let agency = agency.map(|a| {
            let number = self.numbers.number(a) as usize;
            if number == self.names.len() {
                self.names.push(a);
            }
            AgencyIx::new(number)
        });
        *id_slot = id;
        *row = LabelRow {
            name,
            agency,
            grade,
        };
        self.next += 1;
        true
    }

    /// Whether every slot of the piece is filled.
    pub(crate) fn is_full(&self) -> bool {
        self.next == self.ids.len()
    }
}

impl Labels {
    /// The labels of `nodes`, and each agency once (numbered in order of first use),
    /// labelled in pieces on every core.
    pub(crate) fn of(nodes: &[Node]) -> Labels {
        Labels::in_pieces(nodes, LABEL_PIECE)
    }

    /// [`Labels::of`] in pieces of `piece` nodes.
    fn in_pieces(nodes: &[Node], piece: usize) -> Labels {
        let piece = piece.max(1);
        let filled = Labels::filled(nodes.len(), piece, |k, slots| {
            for n in nodes.iter().skip(k * piece).take(piece) {
                slots.push(n.id.clone(), n.name.clone(), n.agency.as_deref(), n.grade);
            }
            Ok::<(), std::convert::Infallible>(())
        });
        match filled {
            Ok(labels) => labels,
            Err(never) => match never {},
        }
    }

    /// The labels of `n` nodes, filled in place a piece of `per` nodes at a time on every
    /// core by `fill` (given the piece's number and its slots), then each piece's agency
    /// numbers mapped to the numbers one pass in node order would give. A piece `fill`
    /// leaves unfilled keeps blank labels: a caller that must fill every one checks
    /// [`LabelSlots::is_full`].
    pub(crate) fn filled<'a, E: Send>(
        n: usize,
        per: usize,
        fill: impl Fn(usize, &mut LabelSlots<'_, 'a>) -> Result<(), E> + Sync,
    ) -> Result<Labels, E> {
        let per = per.max(1);
        let mut ids = vec![Text::default(); n];
        let mut rows = vec![LabelRow::default(); n];
        let names: Vec<Vec<&'a str>> = ids
            .par_chunks_mut(per)
            .zip(rows.par_chunks_mut(per))
            .enumerate()
            .map(|(k, (ids, rows))| {
                let mut slots = LabelSlots {
                    ids,
                    rows,
                    next: 0,
                    names: Vec::new(),
                    numbers: Numbering::default(),
                };
                fill(k, &mut slots).map(|()| slots.names)
            })
            .collect::<Result<_, _>>()?;
        let mut agencies: Vec<Text> = Vec::new();
        let mut numbers = Numbering::default();
        for (piece, names) in rows.chunks_mut(per).zip(names) {
            let whole: Vec<AgencyIx> = names
                .into_iter()
                .map(|a| {
                    let number = numbers.number(a) as usize;
                    if number == agencies.len() {
                        agencies.push(Text::from(a));
                    }
                    AgencyIx::new(number)
                })
                .collect();
            for row in piece {
                row.agency = row.agency.and_then(|a| whole.get(a.index()).copied());
            }
        }
        Ok(Labels {
            ids,
            rows,
            agencies,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::{Labels, rows_of};

    #[test]
    fn nodes_labelled_in_pieces_number_their_agencies_as_one_pass_does() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov.toml");
        let inv = crate::inventory::load(&path).unwrap();
        let whole = Labels::in_pieces(&inv.nodes, usize::MAX);
        assert!(whole.agencies.len() > 5, "the sample has agencies");
        // Agencies in order of first use, by node.
        let mut first_use: Vec<&str> = Vec::new();
        for a in inv.nodes.iter().filter_map(|n| n.agency.as_deref()) {
            if !first_use.contains(&a) {
                first_use.push(a);
            }
        }
        assert_eq!(whole.agencies, first_use);
        let ids: Vec<&str> = inv.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(whole.ids, ids);
        for piece in [1, 2, 3, 7, 64] {
            assert_eq!(
                Labels::in_pieces(&inv.nodes, piece),
                whole,
                "pieces of {piece}"
            );
        }
    }

    #[test]
    fn rows_cut_into_parts_are_the_rows_filled_at_once_latest_first() {
        // Item i in row (i * 7 + i / 3) % 10: rows of uneven length, two left empty.
        let row = |i: usize| ((i * 7 + i / 3) % 10).min(7);
        let len = 53;
        let whole = rows_of(10, len, row, |i| i, usize::MAX, 1);
        for v in 0..10 {
            let expected: Vec<usize> = (0..len).rev().filter(|&i| row(i) == v).collect();
            assert_eq!(whole.row(v), expected.as_slice(), "row {v}");
        }
        for parts in 2..=12 {
            let cut = rows_of(10, len, row, |i| i, usize::MAX, parts);
            assert_eq!(cut.start, whole.start, "{parts} parts");
            assert_eq!(cut.items, whole.items, "{parts} parts");
        }
        let empty = rows_of(0, 0, row, |i| i, usize::MAX, 4);
        assert_eq!((empty.start, empty.items), (vec![0], vec![]));
    }
}
