//! The inventory as an indexed dependency graph: petgraph edges run provider -> consumer
//! (the direction a failure travels), with each link's redundancy group in dense tables.

use std::collections::VecDeque;

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use rayon::prelude::*;

use crate::hash::{FastMap, Numbering};
use crate::inventory::{Effect, Inventory, Link, Node, Text};

/// One redundancy group: `min` of its `size` member links must hold.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GroupSlot {
    /// The consumer node.
    pub consumer: u32,
    /// How many members must stay available.
    pub min: u32,
    /// How many members the group has.
    pub size: u32,
    /// What losing the group does.
    pub effect: Effect,
}

impl GroupSlot {
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
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dep {
    /// The link (dense index).
    pub link: u32,
    /// The link's consumer.
    pub consumer: u32,
    /// The link's group.
    pub group: u32,
    /// How the link's group is lost.
    pub rule: LossRule,
    /// The link's tolerance in seconds, or [`Dep::LONG`] when it does not fit (136 years):
    /// 20 bytes a dependant stream faster than 24.
    pub tolerance: u32,
}

impl Dep {
    /// The `tolerance` of a link whose tolerance is read from the link itself.
    pub const LONG: u32 = u32::MAX;
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
    pub grade: Option<u8>,
}

/// A node's name, agency (an index into [`Labels::agencies`], `u32::MAX` for none) and
/// grade: one dense record, so that building result rows reads one place per node.
#[derive(Debug, Clone)]
struct LabelRow {
    name: Text,
    agency: u32,
    grade: Option<u8>,
}

/// A validated inventory with its dependency graph. Node `i` is `inventory().nodes[i]`
/// and edge `j` is `inventory().links[j]`; both are sorted by id, so index order is id order.
#[derive(Debug, Clone)]
pub struct Graph {
    inv: Inventory,
    g: DiGraph<(), ()>,
    /// Groups that tolerate losses first (`..counted_groups`), then the others.
    groups: Vec<GroupSlot>,
    counted_groups: usize,
    link_group: Vec<u32>,
    /// Dependants of node `v` are `deps[dep_start[v]..dep_start[v + 1]]`, in the order
    /// petgraph lists outgoing edges (latest link first).
    dep_start: Vec<u32>,
    deps: Vec<Dep>,
    labels: Labels,
}

impl Graph {
    /// Builds the graph of an inventory. Meant for a validated one (see [`crate::load`]);
    /// links that name unknown nodes are dropped so that edge `j` stays link `j`.
    pub fn new(mut inv: Inventory) -> Self {
        // Loading already sorts; hand-built inventories get the same guarantees. (Checked
        // first: a stable sort allocates scratch space even for sorted input.)
        if !inv.nodes.is_sorted_by(|a, b| a.id <= b.id) {
            inv.nodes.sort_by(|a, b| a.id.cmp(&b.id));
        }
        if !inv.links.is_sorted_by(|a, b| a.id <= b.id) {
            inv.links.sort_by(|a, b| a.id.cmp(&b.id));
        }
        // The ids side by side (they become the labels' id table), so that a million
        // look-ups compare with a dense table rather than reach into each node. Duplicate
        // ids (possible only in hand-built inventories) resolve to the first, as a binary
        // search over the sorted nodes could; valid inventories have none.
        let dense: Vec<Text> = inv.nodes.iter().map(|n| n.id.clone()).collect();
        let mut index: FastMap<&str, u32> =
            FastMap::with_capacity_and_hasher(inv.nodes.len(), Default::default());
        for (i, id) in dense.iter().enumerate() {
            index.entry(id.as_str()).or_insert(i as u32);
        }
        // Half a million lookups: shared read-only, so split over the cores.
        let ends: Vec<Option<(u32, u32)>> = inv
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
        let ends: Vec<(u32, u32)> = ends.into_iter().flatten().collect();

        // Three independent tables, built side by side.
        let ((g, (rows, agencies)), (groups, link_group)) = rayon::join(
            || {
                (
                    dependency_graph(inv.nodes.len(), &ends),
                    Labels::rows(&inv.nodes),
                )
            },
            || group_tables(&inv, &ends, &index),
        );
        drop(index);
        // The dense ids that served the look-ups are the labels' id table.
        let labels = Labels {
            ids: dense,
            rows,
            agencies,
        };
        let counted_groups = groups.iter().filter(|g| g.threshold() > 1).count();
        let (dep_start, deps) =
            dependants(inv.nodes.len(), &ends, &inv.links, &groups, &link_group);
        Graph {
            inv,
            g,
            groups,
            counted_groups,
            link_group,
            dep_start,
            deps,
            labels,
        }
    }

    /// The inventory the graph was built from.
    pub fn inventory(&self) -> &Inventory {
        &self.inv
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.inv.nodes.len()
    }

    /// Number of links.
    pub fn link_count(&self) -> usize {
        self.inv.links.len()
    }

    /// The dense index of a node id.
    pub(crate) fn node_index(&self, id: &str) -> Option<u32> {
        self.inv
            .nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    }

    /// The dense index of a link id.
    pub(crate) fn link_index(&self, id: &str) -> Option<u32> {
        self.inv
            .links
            .binary_search_by(|l| l.id.as_str().cmp(id))
            .ok()
            .map(|i| i as u32)
    }

    /// The node at a dense index.
    pub(crate) fn node(&self, i: u32) -> &Node {
        &self.inv.nodes[i as usize]
    }

    /// The shared id, name and agency of the node at a dense index.
    pub(crate) fn label(&self, i: u32) -> Label<'_> {
        let row = &self.labels.rows[i as usize];
        Label {
            id: self.node_id(i),
            name: &row.name,
            agency: self
                .labels
                .agencies
                .get(row.agency as usize)
                .map(Text::as_str),
            grade: row.grade,
        }
    }

    /// The criticality grade of the node at a dense index.
    pub(crate) fn grade(&self, i: u32) -> Option<u8> {
        self.labels.rows[i as usize].grade
    }

    /// The distinct agencies of some nodes, sorted.
    pub(crate) fn agencies_of(&self, nodes: impl Iterator<Item = u32>) -> Vec<String> {
        // Each agency has a number: tens of thousands of nodes mark a table of them
        // instead of hashing their names.
        let mut seen = vec![false; self.labels.agencies.len()];
        for v in nodes {
            if let Some(mark) = self
                .labels
                .rows
                .get(v as usize)
                .and_then(|row| seen.get_mut(row.agency as usize))
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

    /// The id of the node at a dense index, borrowed from the graph.
    pub(crate) fn node_id(&self, i: u32) -> &str {
        &self.labels.ids[i as usize]
    }

    /// The link at a dense index.
    pub(crate) fn link(&self, i: u32) -> &Link {
        &self.inv.links[i as usize]
    }

    /// Provider of a link.
    pub(crate) fn provider(&self, link: u32) -> u32 {
        self.g.raw_edges()[link as usize].source().index() as u32
    }

    /// Consumer of a link.
    pub(crate) fn consumer(&self, link: u32) -> u32 {
        self.g.raw_edges()[link as usize].target().index() as u32
    }

    /// Links where `node` is the provider, with their consumers and groups, latest link
    /// first.
    pub(crate) fn dependent_links(&self, node: u32) -> &[Dep] {
        &self.deps[self.dep_range(node)]
    }

    /// The tolerance in seconds of a dependant's link.
    pub(crate) fn tolerance(&self, dep: &Dep) -> u64 {
        match dep.tolerance {
            Dep::LONG => self.link(dep.link).tolerance_secs,
            secs => u64::from(secs),
        }
    }

    fn dep_range(&self, node: u32) -> std::ops::Range<usize> {
        self.dep_start[node as usize] as usize..self.dep_start[node as usize + 1] as usize
    }

    /// The group of a link.
    pub(crate) fn group_of(&self, link: u32) -> u32 {
        self.link_group[link as usize]
    }

    /// A group by index.
    pub(crate) fn group(&self, g: u32) -> GroupSlot {
        self.groups[g as usize]
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
        starts: impl IntoIterator<Item = u32>,
        follow: impl Fn(u32, u32) -> bool,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.node_count()];
        let mut queue = VecDeque::new();
        for v in starts {
            if let Some(s) = seen.get_mut(v as usize)
                && !*s
            {
                *s = true;
                queue.push_back(v);
            }
        }
        while let Some(v) = queue.pop_front() {
            for e in self
                .g
                .edges_directed(NodeIndex::new(v as usize), Direction::Incoming)
            {
                let (link, p) = (e.id().index() as u32, e.source().index());
                if !seen[p] && follow(link, p as u32) {
                    seen[p] = true;
                    queue.push_back(p as u32);
                }
            }
        }
        seen
    }

    /// The petgraph graph, for analyses that use its algorithms.
    pub fn petgraph(&self) -> &DiGraph<(), ()> {
        &self.g
    }

    /// Ids close to `wanted`, for "did you mean" hints.
    pub fn similar_node_ids(&self, wanted: &str) -> Vec<&str> {
        crate::inventory::closest(wanted, self.inv.nodes.iter().map(|n| n.id.as_str()), 3)
    }

    /// Link ids close to `wanted`.
    pub fn similar_link_ids(&self, wanted: &str) -> Vec<&str> {
        crate::inventory::closest(wanted, self.inv.links.iter().map(|l| l.id.as_str()), 3)
    }
}

/// The petgraph graph: node `i` is node `i`, edge `j` runs from link `j`'s provider to its
/// consumer.
fn dependency_graph(nodes: usize, ends: &[(u32, u32)]) -> DiGraph<(), ()> {
    let mut g = DiGraph::with_capacity(nodes, ends.len());
    for _ in 0..nodes {
        g.add_node(());
    }
    for &(p, c) in ends {
        g.add_edge(NodeIndex::new(p as usize), NodeIndex::new(c as usize), ());
    }
    g
}

/// The redundancy groups (with their declared `min`) and the group of every link. Groups
/// that tolerate losses get the first numbers, so that their loss counters (the only ones
/// a failure pass keeps) are dense.
fn group_tables(
    inv: &Inventory,
    ends: &[(u32, u32)],
    index: &FastMap<&str, u32>,
) -> (Vec<GroupSlot>, Vec<u32>) {
    let mut groups: Vec<GroupSlot> = Vec::new();
    let mut link_group = Vec::with_capacity(inv.links.len());
    let mut new_group = |c: u32, effect: Effect| {
        groups.push(GroupSlot {
            consumer: c,
            min: 1,
            size: 0,
            effect,
        });
        (groups.len() - 1) as u32
    };
    // Group keys are (consumer, name); a link without a group is a group of its own.
    let mut names = Numbering::default();
    let mut named: FastMap<(u32, u32), u32> = FastMap::default();
    for (l, &(_, c)) in inv.links.iter().zip(ends) {
        let slot = match &l.group {
            Some(name) => *named
                .entry((c, names.number(name)))
                .or_insert_with(|| new_group(c, l.effect)),
            None => new_group(c, l.effect),
        };
        link_group.push(slot);
    }
    for &slot in &link_group {
        groups[slot as usize].size += 1;
    }
    for decl in &inv.groups {
        if let Some(&c) = index.get(decl.consumer.as_str())
            && let Some(name) = names.get(&decl.group)
            && let Some(&slot) = named.get(&(c, name))
        {
            groups[slot as usize].min = decl.min.clamp(1, groups[slot as usize].size);
        }
    }
    // Counted groups first, each part in its old order.
    let (counted, others): (Vec<u32>, Vec<u32>) =
        (0..groups.len() as u32).partition(|&i| groups[i as usize].threshold() > 1);
    let order: Vec<u32> = counted.into_iter().chain(others).collect();
    let mut renumber = vec![0u32; groups.len()];
    for (new, &old) in (0u32..).zip(&order) {
        renumber[old as usize] = new;
    }
    for g in &mut link_group {
        *g = renumber[*g as usize];
    }
    (
        order.iter().map(|&i| groups[i as usize]).collect(),
        link_group,
    )
}

/// The dependants of every provider (a counting sort of the links by provider, latest link
/// first like petgraph's lists): where they start per node, and the entries.
fn dependants(
    nodes: usize,
    ends: &[(u32, u32)],
    links: &[Link],
    groups: &[GroupSlot],
    link_group: &[u32],
) -> (Vec<u32>, Vec<Dep>) {
    let mut dep_start = vec![0u32; nodes + 1];
    for &(p, _) in ends {
        dep_start[p as usize + 1] += 1;
    }
    for v in 0..nodes {
        dep_start[v + 1] += dep_start[v];
    }
    let mut fill: Vec<u32> = dep_start[1..].to_vec();
    let mut deps = vec![
        Dep {
            link: 0,
            consumer: 0,
            group: 0,
            rule: LossRule::FIRST_LOSS_DOWNS,
            tolerance: 0,
        };
        ends.len()
    ];
    for (link, ((&(p, c), l), &group)) in ends.iter().zip(links).zip(link_group).enumerate() {
        let slot = &mut fill[p as usize];
        *slot -= 1;
        deps[*slot as usize] = Dep {
            link: link as u32,
            consumer: c,
            group,
            rule: groups[group as usize].rule(),
            tolerance: u32::try_from(l.tolerance_secs)
                .ok()
                .filter(|&t| t != Dep::LONG)
                .unwrap_or(Dep::LONG),
        };
    }
    (dep_start, deps)
}

/// The ids, names, agencies and grades of all nodes in dense tables. Result rows borrow
/// their text from here; a witness path reads only the id table. Short text is stored
/// inline, so reading a label touches these tables and not the text behind them.
#[derive(Debug, Clone)]
struct Labels {
    ids: Vec<Text>,
    rows: Vec<LabelRow>,
    /// Each agency once: the rows of one agency then share one address.
    agencies: Vec<Text>,
}

impl Labels {
    const NO_AGENCY: u32 = u32::MAX;

    /// The label rows of `nodes`, and each agency once (numbered in order of first use).
    fn rows(nodes: &[Node]) -> (Vec<LabelRow>, Vec<Text>) {
        let mut agencies: Vec<Text> = Vec::new();
        let mut numbers = Numbering::default();
        let rows = nodes
            .iter()
            .map(|n| LabelRow {
                name: n.name.clone(),
                agency: n.agency.as_deref().map_or(Self::NO_AGENCY, |a| {
                    let number = numbers.number(a);
                    if number as usize == agencies.len() {
                        agencies.push(Text::from(a));
                    }
                    number
                }),
                grade: n.grade,
            })
            .collect();
        (rows, agencies)
    }
}
