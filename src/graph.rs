//! The inventory as an indexed dependency graph: petgraph edges run provider -> consumer
//! (the direction a failure travels), with each link's redundancy group in dense tables.

use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::inventory::{Effect, Inventory, Link, Node};

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
}

/// A validated inventory with its dependency graph. Node `i` is `inventory().nodes[i]`
/// and edge `j` is `inventory().links[j]`; both are sorted by id, so index order is id order.
#[derive(Debug, Clone)]
pub struct Graph {
    inv: Inventory,
    g: DiGraph<(), ()>,
    groups: Vec<GroupSlot>,
    link_group: Vec<u32>,
}

impl Graph {
    /// Builds the graph of an inventory. Meant for a validated one (see [`crate::load`]);
    /// links that name unknown nodes are dropped so that edge `j` stays link `j`.
    pub fn new(mut inv: Inventory) -> Self {
        // Loading already sorts; sorting a sorted vector is linear, and hand-built
        // inventories get the same guarantees.
        inv.nodes.sort_by(|a, b| a.id.cmp(&b.id));
        inv.links.sort_by(|a, b| a.id.cmp(&b.id));
        let known = |id: &str| inv.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).is_ok();
        let keep: Vec<bool> = inv.links.iter().map(|l| known(&l.provider) && known(&l.consumer)).collect();
        let mut keep = keep.into_iter();
        inv.links.retain(|_| keep.next().unwrap_or(false));
        let mut g = DiGraph::with_capacity(inv.nodes.len(), inv.links.len());
        for _ in &inv.nodes {
            g.add_node(());
        }
        let index = |id: &str| inv.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok();
        let mut groups: Vec<GroupSlot> = Vec::new();
        let mut link_group = Vec::with_capacity(inv.links.len());
        // Group keys are (consumer, name); a link without a group is a group of its own.
        let mut named: std::collections::HashMap<(u32, &str), u32> = std::collections::HashMap::new();
        for l in &inv.links {
            // Every link resolves: the ones that did not were dropped above.
            let (Some(p), Some(c)) = (index(&l.provider), index(&l.consumer)) else {
                continue;
            };
            g.add_edge(NodeIndex::new(p), NodeIndex::new(c), ());
            let c = c as u32;
            let slot = match &l.group {
                Some(name) => *named.entry((c, name.as_str())).or_insert_with(|| {
                    groups.push(GroupSlot { consumer: c, min: 1, size: 0, effect: l.effect });
                    (groups.len() - 1) as u32
                }),
                None => {
                    groups.push(GroupSlot { consumer: c, min: 1, size: 0, effect: l.effect });
                    (groups.len() - 1) as u32
                }
            };
            groups[slot as usize].size += 1;
            link_group.push(slot);
        }
        for decl in &inv.groups {
            if let Some(c) = index(&decl.consumer) {
                if let Some(&slot) = named.get(&(c as u32, decl.group.as_str())) {
                    groups[slot as usize].min = decl.min.clamp(1, groups[slot as usize].size);
                }
            }
        }
        Graph { inv, g, groups, link_group }
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
        self.inv.nodes.binary_search_by(|n| n.id.as_str().cmp(id)).ok().map(|i| i as u32)
    }

    /// The dense index of a link id.
    pub(crate) fn link_index(&self, id: &str) -> Option<u32> {
        self.inv.links.binary_search_by(|l| l.id.as_str().cmp(id)).ok().map(|i| i as u32)
    }

    /// The node at a dense index.
    pub(crate) fn node(&self, i: u32) -> &Node {
        &self.inv.nodes[i as usize]
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

    /// Links where `node` is the provider, as (link, consumer).
    pub(crate) fn dependents(&self, node: u32) -> impl Iterator<Item = (u32, u32)> + '_ {
        self.g
            .edges_directed(NodeIndex::new(node as usize), Direction::Outgoing)
            .map(|e| (e.id().index() as u32, e.target().index() as u32))
    }

    /// The group of a link.
    pub(crate) fn group_of(&self, link: u32) -> u32 {
        self.link_group[link as usize]
    }

    /// A group by index.
    pub(crate) fn group(&self, g: u32) -> GroupSlot {
        self.groups[g as usize]
    }

    /// Number of groups (explicit and implicit single-link ones).
    pub(crate) fn group_count(&self) -> usize {
        self.groups.len()
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
