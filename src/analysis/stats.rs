//! What `check` reports about a valid inventory: counts by kind, grade, link kind and mode.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::grade::GradeCounts;
use crate::inventory::{Effect, Inventory, LinkKind, Mode, NodeKind};

/// One site and how many nodes run on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteStats {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Nodes with a hosting link to the site.
    pub hosted: usize,
    /// Of those, nodes hosted on this site only.
    pub only_here: usize,
}

/// Counts that summarise an inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryStats {
    /// Number of nodes.
    pub nodes: usize,
    /// Nodes per kind.
    pub nodes_by_kind: BTreeMap<NodeKind, usize>,
    /// Nodes (sites excluded) per grade.
    pub nodes_by_grade: GradeCounts,
    /// Number of links, hosting links from `sites` included.
    pub links: usize,
    /// Links per kind.
    pub links_by_kind: BTreeMap<LinkKind, usize>,
    /// Links per mode.
    pub links_by_mode: BTreeMap<Mode, usize>,
    /// Links with a tolerance above zero.
    pub tolerant_links: usize,
    /// Links whose loss only degrades the consumer.
    pub soft_links: usize,
    /// Named redundancy groups (consumer and group name), the `sites` ones included.
    pub groups: usize,
    /// Of those, groups that need more than one member (k-of-n with k > 1).
    pub k_of_n_groups: usize,
    /// Agencies named.
    pub agencies: usize,
    /// Sites with the nodes they host.
    pub sites: Vec<SiteStats>,
    /// Loads, capacities and calls, when the inventory writes any (docs/semantics.md, "surge").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadStats>,
}

/// What an inventory says about load (docs/semantics.md, "surge").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadStats {
    /// Nodes with an outside load above 0.
    pub nodes_with_load: usize,
    /// Their outside load in all, requests per second.
    pub outside_load: f64,
    /// Nodes with a capacity.
    pub nodes_with_capacity: usize,
    /// Links with `calls` written (the others take the default).
    pub links_with_calls: usize,
    /// Links that carry load on a normal day (`calls` above 0, as written or by default).
    pub carrying_links: usize,
}

/// Summarises an inventory.
pub fn stats(inv: &Inventory) -> InventoryStats {
    let mut nodes_by_kind = BTreeMap::new();
    let mut nodes_by_grade = GradeCounts::default();
    let mut agencies: Vec<&str> = Vec::new();
    for n in &inv.nodes {
        *nodes_by_kind.entry(n.kind).or_insert(0) += 1;
        if n.kind != NodeKind::Site {
            nodes_by_grade.add(n.grade);
        }
        agencies.extend(n.agency.as_deref());
    }
    agencies.sort_unstable();
    agencies.dedup();
    let mut links_by_kind = BTreeMap::new();
    let mut links_by_mode = BTreeMap::new();
    let mut members: HashMap<(&str, &str), usize> = HashMap::new();
    let mut hosting: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in &inv.links {
        *links_by_kind.entry(l.kind).or_insert(0) += 1;
        *links_by_mode.entry(l.mode).or_insert(0) += 1;
        if let Some(g) = &l.group {
            *members.entry((&l.consumer, g)).or_insert(0) += 1;
        }
        if l.kind == LinkKind::Hosting {
            hosting.entry(&l.consumer).or_default().push(&l.provider);
        }
    }
    let k_of_n_groups = inv.groups.iter().filter(|g| g.min > 1).count();
    let mut sites: Vec<SiteStats> = inv
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Site)
        .map(|n| SiteStats {
            id: n.id.to_string(),
            name: n.name.to_string(),
            hosted: 0,
            only_here: 0,
        })
        .collect();
    sites.sort_by(|a, b| a.id.cmp(&b.id));
    for providers in hosting.values() {
        for p in providers {
            if let Ok(i) = sites.binary_search_by(|s| s.id.as_str().cmp(p)) {
                sites[i].hosted += 1;
                if providers.len() == 1 {
                    sites[i].only_here += 1;
                }
            }
        }
    }
    InventoryStats {
        nodes: inv.nodes.len(),
        nodes_by_kind,
        nodes_by_grade,
        links: inv.links.len(),
        links_by_kind,
        links_by_mode,
        tolerant_links: inv.links.iter().filter(|l| l.tolerance_secs > 0).count(),
        soft_links: inv
            .links
            .iter()
            .filter(|l| l.effect == Effect::Degraded)
            .count(),
        groups: members.len(),
        k_of_n_groups,
        agencies: agencies.len(),
        sites,
        load: crate::analysis::surge::uses_load(inv).then(|| LoadStats {
            nodes_with_load: inv.nodes.iter().filter(|n| n.load > 0.0).count(),
            outside_load: inv.nodes.iter().map(|n| n.load).sum(),
            nodes_with_capacity: inv.nodes.iter().filter(|n| n.capacity.is_some()).count(),
            links_with_calls: inv.links.iter().filter(|l| l.calls.is_some()).count(),
            carrying_links: inv.links.iter().filter(|l| l.calls() > 0.0).count(),
        }),
    }
}
