//! What a diagram shows: the nodes, links, clusters and collapsed summaries selected from a
//! graph and a scenario result, computed once so that every diagram format draws the same.
//!
//! A [`View`] is built from the whole inventory ([`View::map`]), a failure impact
//! ([`View::for_impact`]), a change impact ([`View::for_change`]) or a surge
//! ([`View::for_surge`]). Scenario views show the affected (or loaded) nodes and their
//! direct providers; everything else is counted
//! in summary nodes, so a national inventory still yields a drawable diagram. Renderers
//! (`render::dot`, `render::mermaid`, `render::html`) only draw a view; they never compute.

use crate::grade::Grade;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::analysis::surge::{AtEcho, Surge};
use crate::engine::{ChangeImpact, Impact, ScenarioError, ShortPath, State};
use crate::grade::GradeCounts;
use crate::graph::{Graph, GroupIx, LinkIx, NodeIx};
use crate::inventory::{Link, LinkKind, NodeKind, Text};

/// Views with more nodes than this are refused by [`View::check_drawable`]: Graphviz
/// needs minutes for them and nobody can read the result.
pub const MAX_DRAWN_NODES: usize = 5_000;

/// When more clusters than this would hold only collapsed nodes, they are merged into one
/// summary node, so that a large inventory does not yield hundreds of empty boxes.
const MAX_EMPTY_CLUSTERS: usize = 12;

/// How nodes are grouped into boxes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Cluster {
    /// By the one site a node is hosted on (nodes on several sites stay outside boxes).
    #[default]
    Site,
    /// By owning agency.
    Agency,
    /// No boxes.
    None,
}

/// The neighbourhood of one node: every node within `depth` links of it, in either
/// direction. Built with [`Around::new`], which checks that the node exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Around {
    id: String,
    depth: u32,
}

impl Around {
    /// The neighbourhood of `id` up to `depth` links; an unknown id is an error with hints.
    pub fn new(graph: &Graph, id: &str, depth: u32) -> Result<Self, ScenarioError> {
        let v = graph.resolve_node(id)?;
        Ok(Around {
            id: graph.node(v).id.to_string(),
            depth,
        })
    }

    /// The centre node.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// How many links away from the centre nodes are shown.
    pub fn depth(&self) -> u32 {
        self.depth
    }
}

/// What to show; the CLI fills it from `render`'s flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewOptions {
    /// How nodes are grouped into boxes.
    pub cluster: Cluster,
    /// Show only this neighbourhood (scenario states are still coloured).
    pub around: Option<Around>,
    /// In impact and change views, show every node instead of collapsing the unaffected
    /// ones that are not direct providers of an affected node.
    pub full: bool,
}

/// What kind of view this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViewKind {
    /// The inventory (or a neighbourhood of it), no scenario.
    Map,
    /// A failure scenario.
    Impact,
    /// A change scenario.
    Change,
    /// A surge: the nodes that receive added load, by utilization.
    Surge,
}

/// The state of a node in the view's scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mark {
    /// Not affected (or no scenario).
    Unaffected,
    /// Failed by the scenario itself, at hour 0.
    Seed,
    /// Goes down at this hour.
    Down(f64),
    /// Degrades at this hour.
    Degraded(f64),
    /// Changed by the scenario itself.
    Changed,
    /// Depends on a changed item through this many links.
    Reached(u32),
    /// Receives added load in a surge: its load with the surge and its capacity, requests
    /// per second.
    Load {
        /// Load with the surge.
        load: f64,
        /// Capacity, if declared.
        capacity: Option<f64>,
    },
}

impl Mark {
    /// A short word for tables and legends.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Unaffected => "unaffected",
            Mark::Seed => "failed",
            Mark::Down(_) => "down",
            Mark::Degraded(_) => "degraded",
            Mark::Changed => "changed",
            Mark::Reached(1) => "direct",
            Mark::Reached(_) => "transitive",
            Mark::Load { .. } if self.saturated() => "saturated",
            Mark::Load { .. } => "loaded",
        }
    }

    /// `load / capacity` of a loaded node with a capacity.
    pub fn utilization(self) -> Option<f64> {
        match self {
            Mark::Load { load, capacity } => capacity.map(|c| load / c),
            _ => None,
        }
    }

    /// Whether a loaded node is saturated (its load above its capacity).
    pub fn saturated(self) -> bool {
        self.utilization().is_some_and(|u| u > 1.0)
    }

    /// The hour the node is hit, for failure marks.
    pub fn hours(self) -> Option<f64> {
        match self {
            Mark::Seed => Some(0.0),
            Mark::Down(h) | Mark::Degraded(h) => Some(h),
            _ => None,
        }
    }
}

/// One node drawn; its text is borrowed from the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode<'g> {
    /// Node id.
    pub id: &'g str,
    /// Display name (Korean, usually).
    pub name: &'g str,
    /// English name, from an `en:` tag.
    pub name_en: Option<&'g str>,
    /// What the node is.
    pub kind: NodeKind,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
    /// Its state in the scenario.
    pub mark: Mark,
    /// Key of the cluster it is drawn in.
    pub cluster: Option<&'g str>,
}

/// The redundancy group a drawn link belongs to, when the group has several members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupBadge {
    /// How many members must hold.
    pub min: u32,
    /// How many members the group has.
    pub size: u32,
    /// True on the one member (lowest link id) that carries the `k/n` label.
    pub labelled: bool,
}

/// One link drawn, from provider to consumer (the way a failure travels). A diagram of a
/// national scenario has hundreds of thousands, so the link is borrowed from the
/// inventory: its id, ends, kind, mode, tolerance, effect and group name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ViewEdge<'g> {
    /// The link.
    pub link: &'g Link,
    /// Its alternatives group, when it has several members (named by `link.group`).
    pub group: Option<GroupBadge>,
    /// On the witness path of an affected node.
    pub witness: bool,
    /// Failed or changed by the scenario itself.
    pub seeded: bool,
}

/// A box of nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewCluster<'g> {
    /// The key nodes refer to (a site id or an agency).
    pub key: &'g str,
    /// Its caption (the site's name, or the agency).
    pub label: &'g str,
    /// The site's English name, if any.
    pub label_en: Option<&'g str>,
}

/// Nodes that are not drawn, counted in one summary node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collapsed<'g> {
    /// The summary node's id (never an inventory id: it contains a space).
    pub id: String,
    /// The cluster it is drawn in.
    pub cluster: Option<&'g str>,
    /// How many nodes it stands for.
    pub nodes: usize,
    /// How many of them are affected (impact and change views).
    pub affected: usize,
}

/// One row of the scenario's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'g> {
    /// Node id.
    pub id: &'g str,
    /// Display name.
    pub name: &'g str,
    /// Its state.
    pub mark: Mark,
    /// Links from the scenario to it.
    pub depth: u32,
    /// Witness or shortest path, from the scenario to it, shortened when long.
    pub path: ShortPath<'g>,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<&'g str>,
}

/// Affected nodes counted two ways (down/degraded, or direct/transitive).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Tally {
    /// The two column names.
    pub columns: [&'static str; 2],
    /// Per agency (`-` for none), sorted.
    pub by_agency: Vec<(String, [usize; 2])>,
    /// Per grade, most critical first, `ungraded` last; only grades with a count.
    pub by_grade: Vec<(String, [usize; 2])>,
}

/// What a view is about, for its caption (worded by `render::style::title`).
#[derive(Debug, Clone, PartialEq)]
pub enum Heading {
    /// The whole inventory.
    Map {
        /// Nodes in the inventory.
        nodes: usize,
        /// Links in the inventory.
        links: usize,
    },
    /// The neighbourhood of one node.
    Around {
        /// The centre node.
        id: String,
        /// How many links away nodes are shown.
        depth: u32,
    },
    /// A failure scenario.
    Impact {
        /// Failed node ids.
        failed: Vec<String>,
        /// Failed link ids.
        failed_links: Vec<String>,
        /// The horizon in hours, `None` when the outage lasts.
        horizon_hours: Option<f64>,
        /// Nodes down.
        down: usize,
        /// Nodes degraded.
        degraded: usize,
    },
    /// A change scenario.
    Change {
        /// Changed node ids.
        changed: Vec<String>,
        /// Changed link ids.
        changed_links: Vec<String>,
        /// Nodes affected.
        affected: usize,
        /// Direct consumers.
        direct: usize,
    },
    /// A surge.
    Surge {
        /// The surges, sorted by id.
        surge: Vec<AtEcho>,
        /// Nodes that receive added load.
        loaded: usize,
        /// Nodes saturated.
        saturated: usize,
        /// How many times the added load fits, and the node that saturates first.
        headroom: Option<(f64, String)>,
    },
}

/// Everything a diagram shows, in a stable order (nodes and clusters by id, links by id).
#[derive(Debug, Clone, PartialEq)]
pub struct View<'g> {
    /// What kind of view.
    pub kind: ViewKind,
    /// What it is about: the scenario, or the inventory.
    pub heading: Heading,
    /// Nodes drawn, sorted by id.
    pub nodes: Vec<ViewNode<'g>>,
    /// Links drawn, sorted by id.
    pub edges: Vec<ViewEdge<'g>>,
    /// Boxes, sorted by key.
    pub clusters: Vec<ViewCluster<'g>>,
    /// Summary nodes for what is not drawn, sorted by id.
    pub collapsed: Vec<Collapsed<'g>>,
    /// The scenario's table: affected nodes in the engine's order (empty for a map).
    pub rows: Vec<Row<'g>>,
    /// Counts of the affected nodes (empty for a map).
    pub tally: Tally,
    /// Nodes in the inventory.
    pub total_nodes: usize,
    /// Links in the inventory.
    pub total_links: usize,
}

/// Why a view cannot be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ViewError {
    /// Too many nodes to lay out.
    #[error(
        "the diagram would have {shown} nodes (of {total}); at most {max} can be drawn: {}",
        advice(*scenario)
    )]
    TooLarge {
        /// Nodes the view would draw.
        shown: usize,
        /// Nodes in the inventory.
        total: usize,
        /// The limit.
        max: usize,
        /// Whether the view already shows a scenario (then only `--around` narrows it).
        scenario: bool,
    },
}

fn advice(scenario: bool) -> &'static str {
    if scenario {
        "the scenario reaches too far to draw whole; draw part of it with \
         `--around ID --depth N`, or list it with `impact` or `change`"
    } else {
        "narrow it with `--around ID --depth N`, or draw a scenario (`--fail ID`, \
         `--change-system ID`), which shows only the affected nodes and their providers"
    }
}

/// Per-node scenario data gathered before selection.
struct Marks {
    mark: Vec<Mark>,
    /// Links failed or changed by the scenario.
    seeded_links: BTreeSet<LinkIx>,
    /// (provider, consumer) pairs on witness paths.
    witness_pairs: BTreeSet<(NodeIx, NodeIx)>,
}

impl<'g> View<'g> {
    /// The inventory (or the neighbourhood in `opts.around`) without a scenario.
    pub fn map(graph: &'g Graph, opts: &ViewOptions) -> Self {
        let marks = Marks {
            mark: vec![Mark::Unaffected; graph.node_count()],
            seeded_links: BTreeSet::new(),
            witness_pairs: BTreeSet::new(),
        };
        let inv = graph.inventory();
        let heading = match &opts.around {
            Some(a) => Heading::Around {
                id: a.id.clone(),
                depth: a.depth,
            },
            None => Heading::Map {
                nodes: inv.nodes.len(),
                links: inv.links.len(),
            },
        };
        build(
            graph,
            opts,
            ViewKind::Map,
            heading,
            marks,
            Vec::new(),
            Tally::default(),
        )
    }

    /// A failure impact: affected nodes, their direct providers and the witness paths.
    pub fn for_impact(graph: &'g Graph, impact: &Impact<'g>, opts: &ViewOptions) -> Self {
        let n = graph.node_count();
        let mut marks = Marks {
            mark: vec![Mark::Unaffected; n],
            seeded_links: impact
                .scenario
                .failed_links
                .iter()
                .filter_map(|id| graph.link_ix(id))
                .collect(),
            witness_pairs: BTreeSet::new(),
        };
        let mut rows = Vec::with_capacity(impact.affected.len());
        let mut agencies: BTreeMap<String, [usize; 2]> = BTreeMap::new();
        let mut grades = [GradeCounts::default(), GradeCounts::default()];
        for a in &impact.affected {
            let mark = match (a.seed, a.state) {
                (true, _) => Mark::Seed,
                (false, State::Down) => Mark::Down(a.at_hours),
                (false, State::Degraded) => Mark::Degraded(a.at_hours),
            };
            let col = usize::from(a.state == State::Degraded);
            if let Some(v) = graph.node_ix(a.id) {
                marks.mark[v.index()] = mark;
            }
            if let Some(via) = a.via.and_then(|p| graph.node_ix(p)) {
                marks.witness_pairs.insert((via, a.node));
            }
            agencies
                .entry(a.agency.unwrap_or("-").to_owned())
                .or_default()[col] += 1;
            grades[col].add(a.grade);
            rows.push(Row {
                id: a.id,
                name: a.name,
                mark,
                depth: a.depth,
                path: impact.short_path(a),
                grade: a.grade,
                agency: a.agency,
            });
        }
        let sc = &impact.scenario;
        let heading = Heading::Impact {
            failed: sc.failed.clone(),
            failed_links: sc.failed_links.clone(),
            horizon_hours: sc.horizon_hours,
            down: impact.summary.down,
            degraded: impact.summary.degraded,
        };
        let tally = tally(["down", "degraded"], agencies, &grades);
        build(graph, opts, ViewKind::Impact, heading, marks, rows, tally)
    }

    /// A change impact: changed and dependent nodes, their direct providers, shortest paths.
    pub fn for_change(graph: &'g Graph, change: &ChangeImpact<'g>, opts: &ViewOptions) -> Self {
        let n = graph.node_count();
        let mut marks = Marks {
            mark: vec![Mark::Unaffected; n],
            seeded_links: change
                .changed_links
                .iter()
                .filter_map(|id| graph.link_ix(id))
                .collect(),
            witness_pairs: BTreeSet::new(),
        };
        let mut rows = Vec::with_capacity(change.changed.len() + change.affected.len());
        for id in &change.changed {
            if let Some(v) = graph.node_ix(id) {
                marks.mark[v.index()] = Mark::Changed;
                let node = graph.node(v);
                rows.push(Row {
                    id: node.id.as_str(),
                    name: node.name.as_str(),
                    mark: Mark::Changed,
                    depth: 0,
                    path: ShortPath {
                        head: std::iter::once(node.id.as_str()).collect(),
                        hidden: 0,
                        tail: Default::default(),
                    },
                    grade: node.grade,
                    agency: node.agency.as_deref(),
                });
            }
        }
        let mut agencies: BTreeMap<String, [usize; 2]> = BTreeMap::new();
        let mut grades = [GradeCounts::default(), GradeCounts::default()];
        for r in &change.affected {
            let mark = Mark::Reached(r.depth);
            let col = usize::from(r.depth > 1);
            if let Some(v) = graph.node_ix(r.id) {
                // A changed node that also depends on another changed one stays "changed".
                if marks.mark[v.index()] != Mark::Changed {
                    marks.mark[v.index()] = mark;
                }
            }
            if let Some(via) = r.via.and_then(|p| graph.node_ix(p)) {
                marks.witness_pairs.insert((via, r.node));
            }
            agencies
                .entry(r.agency.unwrap_or("-").to_owned())
                .or_default()[col] += 1;
            grades[col].add(r.grade);
            rows.push(Row {
                id: r.id,
                name: r.name,
                mark,
                depth: r.depth,
                path: change.short_path(r),
                grade: r.grade,
                agency: r.agency,
            });
        }
        let heading = Heading::Change {
            changed: change.changed.clone(),
            changed_links: change.changed_links.clone(),
            affected: change.summary.affected,
            direct: change.summary.direct,
        };
        let tally = tally(["direct", "transitive"], agencies, &grades);
        build(graph, opts, ViewKind::Change, heading, marks, rows, tally)
    }

    /// A surge: the nodes that receive added load, coloured by utilization, their direct
    /// providers, and the paths that bring each node most of its added load.
    pub fn for_surge(graph: &'g Graph, surge: &Surge<'g>, opts: &ViewOptions) -> Self {
        let n = graph.node_count();
        let mut marks = Marks {
            mark: vec![Mark::Unaffected; n],
            seeded_links: surge
                .scenario
                .failed_links
                .iter()
                .filter_map(|id| graph.link_ix(id))
                .collect(),
            witness_pairs: BTreeSet::new(),
        };
        for id in &surge.scenario.failed {
            if let Some(v) = graph.node_ix(id) {
                marks.mark[v.index()] = Mark::Seed;
            }
        }
        let mut rows = Vec::with_capacity(surge.nodes.len());
        let mut agencies: BTreeMap<String, [usize; 2]> = BTreeMap::new();
        let mut grades = [GradeCounts::default(), GradeCounts::default()];
        for r in &surge.nodes {
            let mark = Mark::Load {
                load: r.load,
                capacity: r.capacity,
            };
            marks.mark[r.node.index()] = mark;
            // The last link of the path: this node provides, the one before consumes.
            let path = surge.path(r);
            if let [.., via, _] = path.as_slice()
                && let Some(c) = graph.node_ix(via)
            {
                marks.witness_pairs.insert((r.node, c));
            }
            let col = usize::from(!r.saturated);
            agencies
                .entry(r.agency.unwrap_or("-").to_owned())
                .or_default()[col] += 1;
            grades[col].add(r.grade);
            rows.push(Row {
                id: r.id,
                name: r.name,
                mark,
                depth: r.depth,
                path: surge.short_path(r),
                grade: r.grade,
                agency: r.agency,
            });
        }
        let heading = Heading::Surge {
            surge: surge.scenario.surge.clone(),
            loaded: surge.nodes.len(),
            saturated: surge.summary.saturated,
            headroom: surge.summary.headroom.zip(surge.first.map(str::to_owned)),
        };
        let tally = tally(["saturated", "loaded"], agencies, &grades);
        build(graph, opts, ViewKind::Surge, heading, marks, rows, tally)
    }

    /// Refuses views too large to lay out, with a message that says how to narrow them.
    pub fn check_drawable(&self) -> Result<(), ViewError> {
        if self.nodes.len() > MAX_DRAWN_NODES {
            return Err(ViewError::TooLarge {
                shown: self.nodes.len(),
                total: self.total_nodes,
                max: MAX_DRAWN_NODES,
                scenario: self.kind != ViewKind::Map,
            });
        }
        Ok(())
    }

    /// Looks a drawn node up by id.
    pub fn node(&self, id: &str) -> Option<&ViewNode<'g>> {
        self.nodes
            .binary_search_by(|n| n.id.cmp(id))
            .ok()
            .and_then(|i| self.nodes.get(i))
    }
}

fn tally(
    columns: [&'static str; 2],
    agencies: BTreeMap<String, [usize; 2]>,
    grades: &[GradeCounts; 2],
) -> Tally {
    let by_grade = GradeCounts::KEYS
        .into_iter()
        .map(|g| {
            let label = g.map_or_else(|| "ungraded".to_owned(), |g| format!("grade {g}"));
            (label, [grades[0].count(g), grades[1].count(g)])
        })
        .filter(|(_, c)| c[0] + c[1] > 0)
        .collect();
    Tally {
        columns,
        by_agency: agencies.into_iter().collect(),
        by_grade,
    }
}

/// The English name kept as an `en:` tag.
fn english(tags: &[Text]) -> Option<&str> {
    tags.iter()
        .find_map(|t| t.strip_prefix("en:"))
        .map(str::trim)
}

/// The cluster key of every node.
fn cluster_keys(graph: &Graph, cluster: Cluster) -> Vec<Option<&str>> {
    let inv = graph.inventory();
    match cluster {
        Cluster::None => vec![None; inv.nodes.len()],
        Cluster::Agency => inv.nodes.iter().map(|n| n.agency.as_deref()).collect(),
        Cluster::Site => {
            let mut sites: Vec<BTreeSet<NodeIx>> = vec![BTreeSet::new(); inv.nodes.len()];
            for (j, l) in graph.links().zip(&inv.links) {
                let (p, c) = (graph.provider(j), graph.consumer(j));
                if l.kind == LinkKind::Hosting && graph.node(p).kind == NodeKind::Site {
                    sites[c.index()].insert(p);
                }
            }
            inv.nodes
                .iter()
                .zip(&sites)
                .map(|(n, s)| {
                    if n.kind == NodeKind::Site {
                        return Some(n.id.as_str());
                    }
                    // A node on several sites belongs to none of their boxes.
                    match s.iter().collect::<Vec<_>>().as_slice() {
                        [one] => Some(graph.node(**one).id.as_str()),
                        _ => None,
                    }
                })
                .collect()
        }
    }
}

/// Which nodes are drawn.
fn select(graph: &Graph, opts: &ViewOptions, kind: ViewKind, marks: &Marks) -> Vec<bool> {
    let n = graph.node_count();
    if let Some(a) = &opts.around {
        let mut shown = vec![false; n];
        let Some(start) = graph.node_ix(&a.id) else {
            return shown;
        };
        let mut adj: Vec<Vec<NodeIx>> = vec![Vec::new(); n];
        for j in graph.links() {
            let (p, c) = (graph.provider(j), graph.consumer(j));
            adj[p.index()].push(c);
            adj[c.index()].push(p);
        }
        let mut dist: Vec<Option<u32>> = vec![None; n];
        dist[start.index()] = Some(0);
        let mut queue = VecDeque::from([start]);
        while let Some(v) = queue.pop_front() {
            shown[v.index()] = true;
            let d = dist[v.index()].unwrap_or(0);
            if d >= a.depth {
                continue;
            }
            for &w in &adj[v.index()] {
                if dist[w.index()].is_none() {
                    dist[w.index()] = Some(d + 1);
                    queue.push_back(w);
                }
            }
        }
        return shown;
    }
    if kind == ViewKind::Map || opts.full {
        return vec![true; n];
    }
    let mut shown: Vec<bool> = marks.mark.iter().map(|m| *m != Mark::Unaffected).collect();
    for j in graph.links() {
        let (p, c) = (graph.provider(j), graph.consumer(j));
        if marks.mark[c.index()] != Mark::Unaffected {
            shown[p.index()] = true;
        }
    }
    for &j in &marks.seeded_links {
        shown[graph.provider(j).index()] = true;
        shown[graph.consumer(j).index()] = true;
    }
    shown
}

fn build<'g>(
    graph: &'g Graph,
    opts: &ViewOptions,
    kind: ViewKind,
    heading: Heading,
    marks: Marks,
    rows: Vec<Row<'g>>,
    tally: Tally,
) -> View<'g> {
    let inv = graph.inventory();
    let shown = select(graph, opts, kind, &marks);
    let keys = cluster_keys(graph, opts.cluster);

    // Nodes are sorted by id already (the graph sorts them), so index order is id order.
    let nodes: Vec<ViewNode<'g>> = inv
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i])
        .map(|(i, n)| ViewNode {
            id: n.id.as_str(),
            name: n.name.as_str(),
            name_en: english(&n.tags),
            kind: n.kind,
            grade: n.grade,
            agency: n.agency.as_deref(),
            mark: marks.mark[i],
            cluster: keys[i],
        })
        .collect();

    // Groups with several members get a k/n badge; the lowest link id carries the label.
    let mut group_members: BTreeMap<GroupIx, Vec<LinkIx>> = BTreeMap::new();
    for j in graph.links() {
        let g = graph.group_of(j);
        if graph.group(g).size > 1 {
            group_members.entry(g).or_default().push(j);
        }
    }
    let group_badge = |j: LinkIx| -> Option<GroupBadge> {
        let g = graph.group_of(j);
        let slot = graph.group(g);
        if slot.size < 2 {
            return None;
        }
        let first = group_members.get(&g).and_then(|m| m.first()).copied();
        Some(GroupBadge {
            min: slot.min,
            size: slot.size,
            labelled: first == Some(j),
        })
    };

    let collapsing = kind != ViewKind::Map && !opts.full && opts.around.is_none();
    let mut edges = Vec::new();
    for (j, l) in graph.links().zip(&inv.links) {
        let (p, c) = (graph.provider(j), graph.consumer(j));
        if !shown[p.index()] || !shown[c.index()] {
            continue;
        }
        let witness = marks.witness_pairs.contains(&(p, c));
        let seeded = marks.seeded_links.contains(&j);
        // A collapsed scenario view draws the links into affected nodes only: the links
        // among their unaffected providers explain nothing and tangle the picture.
        if collapsing && marks.mark[c.index()] == Mark::Unaffected && !witness && !seeded {
            continue;
        }
        // Inside a site's box, hosting on that site is shown by the box itself.
        if opts.cluster == Cluster::Site
            && l.kind == LinkKind::Hosting
            && keys[c.index()] == Some(graph.node(p).id.as_str())
            && !witness
            && !seeded
        {
            continue;
        }
        edges.push(ViewEdge {
            link: l,
            group: group_badge(j),
            witness,
            seeded,
        });
    }

    // Hidden nodes, counted per cluster.
    let mut hidden: BTreeMap<Option<&str>, (usize, usize)> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if !shown[i] {
            let e = hidden.entry(*key).or_default();
            e.0 += 1;
            e.1 += usize::from(marks.mark[i] != Mark::Unaffected);
        }
    }
    let drawn_keys: BTreeSet<&str> = nodes.iter().filter_map(|n| n.cluster).collect();
    let empty_clusters = hidden
        .keys()
        .flatten()
        .filter(|k| !drawn_keys.contains(*k))
        .count();
    let merge_empty = empty_clusters > MAX_EMPTY_CLUSTERS;
    let mut collapsed: BTreeMap<Option<&str>, (usize, usize)> = BTreeMap::new();
    for (key, (count, affected)) in hidden {
        let key = match key {
            Some(k) if merge_empty && !drawn_keys.contains(k) => None,
            other => other,
        };
        let e = collapsed.entry(key).or_default();
        e.0 += count;
        e.1 += affected;
    }
    let collapsed: Vec<Collapsed<'g>> = collapsed
        .into_iter()
        .map(|(cluster, (nodes, affected))| Collapsed {
            id: match cluster {
                Some(k) => format!("more in {k}"),
                None => "more".to_owned(),
            },
            cluster,
            nodes,
            affected,
        })
        .collect();

    let mut cluster_ids: BTreeSet<&'g str> = nodes.iter().filter_map(|n| n.cluster).collect();
    cluster_ids.extend(collapsed.iter().filter_map(|c| c.cluster));
    let clusters = cluster_ids
        .into_iter()
        .map(|key| {
            let site = match opts.cluster {
                Cluster::Site => graph.node_ix(key).map(|v| graph.node(v)),
                _ => None,
            };
            ViewCluster {
                label: site.map_or(key, |s| s.name.as_str()),
                label_en: site.and_then(|s| english(&s.tags)),
                key,
            }
        })
        .collect();

    View {
        kind,
        heading,
        nodes,
        edges,
        clusters,
        collapsed,
        rows,
        tally,
        total_nodes: inv.nodes.len(),
        total_links: inv.links.len(),
    }
}
