//! What a diagram shows: the nodes, links, clusters and collapsed summaries selected from a
//! graph and a scenario result, computed once so that every diagram format draws the same.
//!
//! A [`View`] is built from the whole inventory ([`View::map`]), a failure impact
//! ([`View::for_impact`]) or a change impact ([`View::for_change`]). Impact and change
//! views show the affected nodes and their direct providers; everything else is counted
//! in summary nodes, so a national inventory still yields a drawable diagram. Renderers
//! (`render::dot`, `render::mermaid`, `render::html`) only draw a view; they never compute.

use crate::grade::Grade;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::analysis::surge::{Surge, format_rate};
use crate::engine::{ChangeImpact, Impact, ScenarioError, State};
use crate::grade::GradeCounts;
use crate::graph::{Graph, GroupIx, LinkIx, NodeIx};
use crate::inventory::{Effect, LinkKind, Mode, NodeKind, Text, format_duration};

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
        if graph.node_ix(id).is_none() {
            return Err(ScenarioError::UnknownNode {
                id: id.to_owned(),
                suggestions: graph
                    .similar_node_ids(id)
                    .into_iter()
                    .map(str::to_owned)
                    .collect(),
            });
        }
        Ok(Around {
            id: id.to_owned(),
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
    /// A surge (SPEC section 6): the nodes that receive added load, by utilization.
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

/// One node drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    /// Node id.
    pub id: String,
    /// Display name (Korean, usually).
    pub name: String,
    /// English name, from an `en:` tag.
    pub name_en: Option<String>,
    /// What the node is.
    pub kind: NodeKind,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<String>,
    /// Its state in the scenario.
    pub mark: Mark,
    /// Key of the cluster it is drawn in.
    pub cluster: Option<String>,
}

/// The redundancy group a drawn link belongs to, when the group has several members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupBadge {
    /// The group's name.
    pub name: String,
    /// How many members must hold.
    pub min: u32,
    /// How many members the group has.
    pub size: u32,
    /// True on the one member (lowest link id) that carries the `k/n` label.
    pub labelled: bool,
}

/// One link drawn, from provider to consumer (the way a failure travels).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewEdge {
    /// Link id.
    pub id: String,
    /// The node depended on.
    pub provider: String,
    /// The node that depends.
    pub consumer: String,
    /// What the link carries.
    pub kind: LinkKind,
    /// Sync or async.
    pub mode: Mode,
    /// Tolerance, formatted (`0`, `4h`, `1d`).
    pub tolerance: String,
    /// Down or degraded (soft).
    pub effect: Effect,
    /// Its alternatives group, when it has several members.
    pub group: Option<GroupBadge>,
    /// On the witness path of an affected node.
    pub witness: bool,
    /// Failed or changed by the scenario itself.
    pub seeded: bool,
}

/// A box of nodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewCluster {
    /// The key nodes refer to (a site id or an agency).
    pub key: String,
    /// Its caption (the site's name, or the agency).
    pub label: String,
    /// The site's English name, if any.
    pub label_en: Option<String>,
}

/// Nodes that are not drawn, counted in one summary node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collapsed {
    /// The summary node's id (never an inventory id: it contains a space).
    pub id: String,
    /// The cluster it is drawn in.
    pub cluster: Option<String>,
    /// How many nodes it stands for.
    pub nodes: usize,
    /// How many of them are affected (impact and change views).
    pub affected: usize,
}

/// One row of the scenario's table.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its state.
    pub mark: Mark,
    /// Links from the scenario to it.
    pub depth: u32,
    /// Witness or shortest path, from the scenario to it.
    pub path: Vec<String>,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<String>,
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

/// Everything a diagram shows, in a stable order (nodes and clusters by id, links by id).
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    /// What kind of view.
    pub kind: ViewKind,
    /// One-line caption: the scenario, or the inventory.
    pub title: String,
    /// Nodes drawn, sorted by id.
    pub nodes: Vec<ViewNode>,
    /// Links drawn, sorted by id.
    pub edges: Vec<ViewEdge>,
    /// Boxes, sorted by key.
    pub clusters: Vec<ViewCluster>,
    /// Summary nodes for what is not drawn, sorted by id.
    pub collapsed: Vec<Collapsed>,
    /// The scenario's table: affected nodes in the engine's order (empty for a map).
    pub rows: Vec<Row>,
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

impl View {
    /// The inventory (or the neighbourhood in `opts.around`) without a scenario.
    pub fn map(graph: &Graph, opts: &ViewOptions) -> View {
        let marks = Marks {
            mark: vec![Mark::Unaffected; graph.node_count()],
            seeded_links: BTreeSet::new(),
            witness_pairs: BTreeSet::new(),
        };
        let inv = graph.inventory();
        let title = match &opts.around {
            Some(a) => format!(
                "Neighbourhood of {} within {} link{}",
                a.id,
                a.depth,
                if a.depth == 1 { "" } else { "s" }
            ),
            None => format!(
                "Interconnection map: {} nodes, {} links",
                inv.nodes.len(),
                inv.links.len()
            ),
        };
        build(
            graph,
            opts,
            ViewKind::Map,
            title,
            marks,
            Vec::new(),
            Tally::default(),
        )
    }

    /// A failure impact: affected nodes, their direct providers and the witness paths.
    pub fn for_impact(graph: &Graph, impact: &Impact, opts: &ViewOptions) -> View {
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
                id: a.id.to_owned(),
                name: a.name.to_owned(),
                mark,
                depth: a.depth,
                path: impact.path(a).iter().map(|s| s.to_string()).collect(),
                grade: a.grade,
                agency: a.agency.map(str::to_owned),
            });
        }
        let sc = &impact.scenario;
        let mut what: Vec<String> = sc.failed.clone();
        what.extend(sc.failed_links.iter().map(|l| format!("link {l}")));
        let title = format!(
            "Failure of {} ({}): {} down, {} degraded",
            what.join(", "),
            match sc.horizon_hours {
                Some(h) => format!("within {}", crate::render::hours(h)),
                None => "no horizon: the outage lasts".to_owned(),
            },
            impact.summary.down,
            impact.summary.degraded
        );
        let tally = tally(["down", "degraded"], agencies, &grades);
        build(graph, opts, ViewKind::Impact, title, marks, rows, tally)
    }

    /// A change impact: changed and dependent nodes, their direct providers, shortest paths.
    pub fn for_change(graph: &Graph, change: &ChangeImpact, opts: &ViewOptions) -> View {
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
                    id: id.clone(),
                    name: node.name.to_string(),
                    mark: Mark::Changed,
                    depth: 0,
                    path: vec![id.clone()],
                    grade: node.grade,
                    agency: node.agency.as_deref().map(str::to_owned),
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
                id: r.id.to_owned(),
                name: r.name.to_owned(),
                mark,
                depth: r.depth,
                path: change.path(r).iter().map(|s| s.to_string()).collect(),
                grade: r.grade,
                agency: r.agency.map(str::to_owned),
            });
        }
        let mut what: Vec<String> = change.changed.clone();
        what.extend(change.changed_links.iter().map(|l| format!("link {l}")));
        let title = format!(
            "Change of {}: {} affected, {} direct",
            what.join(", "),
            change.summary.affected,
            change.summary.direct
        );
        let tally = tally(["direct", "transitive"], agencies, &grades);
        build(graph, opts, ViewKind::Change, title, marks, rows, tally)
    }

    /// A surge: the nodes that receive added load, coloured by utilization, their direct
    /// providers, and the paths that bring each node most of its added load.
    pub fn for_surge(graph: &Graph, surge: &Surge, opts: &ViewOptions) -> View {
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
            let path: Vec<String> = surge.path(r).iter().map(|s| s.to_string()).collect();
            // The last link of the path: this node provides, the one before consumes.
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
                id: r.id.to_owned(),
                name: r.name.to_owned(),
                mark,
                depth: r.depth,
                path,
                grade: r.grade,
                agency: r.agency.map(str::to_owned),
            });
        }
        let sc = &surge.scenario;
        let what: Vec<String> = sc
            .surge
            .iter()
            .map(|a| match (a.factor, a.add) {
                (Some(f), _) => format!("{} ×{}", a.id, format_rate(f)),
                (None, Some(r)) => format!("{} +{}/s", a.id, format_rate(r)),
                (None, None) => a.id.clone(),
            })
            .collect();
        let headroom = match (surge.summary.headroom, surge.first) {
            (Some(h), Some(first)) => format!(", the surge fits {h:.2} times ({first} first)"),
            _ => String::new(),
        };
        let title = format!(
            "Surge of {}: {} loaded, {} saturated{headroom}",
            what.join(", "),
            surge.nodes.len(),
            surge.summary.saturated
        );
        let tally = tally(["saturated", "loaded"], agencies, &grades);
        build(graph, opts, ViewKind::Surge, title, marks, rows, tally)
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
    pub fn node(&self, id: &str) -> Option<&ViewNode> {
        self.nodes
            .binary_search_by(|n| n.id.as_str().cmp(id))
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
fn english(tags: &[Text]) -> Option<String> {
    tags.iter()
        .find_map(|t| t.strip_prefix("en:"))
        .map(|s| s.trim().to_owned())
}

/// The cluster key of every node.
fn cluster_keys(graph: &Graph, cluster: Cluster) -> Vec<Option<String>> {
    let inv = graph.inventory();
    match cluster {
        Cluster::None => vec![None; inv.nodes.len()],
        Cluster::Agency => inv
            .nodes
            .iter()
            .map(|n| n.agency.as_deref().map(str::to_owned))
            .collect(),
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
                        return Some(n.id.to_string());
                    }
                    // A node on several sites belongs to none of their boxes.
                    match s.iter().collect::<Vec<_>>().as_slice() {
                        [one] => Some(graph.node(**one).id.to_string()),
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

fn build(
    graph: &Graph,
    opts: &ViewOptions,
    kind: ViewKind,
    title: String,
    marks: Marks,
    rows: Vec<Row>,
    tally: Tally,
) -> View {
    let inv = graph.inventory();
    let shown = select(graph, opts, kind, &marks);
    let keys = cluster_keys(graph, opts.cluster);

    // Nodes are sorted by id already (the graph sorts them), so index order is id order.
    let nodes: Vec<ViewNode> = inv
        .nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| shown[*i])
        .map(|(i, n)| ViewNode {
            id: n.id.to_string(),
            name: n.name.to_string(),
            name_en: english(&n.tags),
            kind: n.kind,
            grade: n.grade,
            agency: n.agency.as_deref().map(str::to_owned),
            mark: marks.mark[i],
            cluster: keys[i].clone(),
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
    let group_name = |j: LinkIx| -> Option<GroupBadge> {
        let g = graph.group_of(j);
        let slot = graph.group(g);
        if slot.size < 2 {
            return None;
        }
        let first = group_members.get(&g).and_then(|m| m.first()).copied();
        Some(GroupBadge {
            name: graph
                .link(j)
                .group
                .as_deref()
                .map(str::to_owned)
                .unwrap_or_default(),
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
            && keys[c.index()].as_deref() == Some(graph.node(p).id.as_str())
            && !witness
            && !seeded
        {
            continue;
        }
        edges.push(ViewEdge {
            id: l.id.to_string(),
            provider: graph.node(p).id.to_string(),
            consumer: graph.node(c).id.to_string(),
            kind: l.kind,
            mode: l.mode,
            tolerance: format_duration(l.tolerance_secs),
            effect: l.effect,
            group: group_name(j),
            witness,
            seeded,
        });
    }

    // Hidden nodes, counted per cluster.
    let mut hidden: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    for (i, key) in keys.iter().enumerate() {
        if !shown[i] {
            let e = hidden.entry(key.clone()).or_default();
            e.0 += 1;
            e.1 += usize::from(marks.mark[i] != Mark::Unaffected);
        }
    }
    let drawn_keys: BTreeSet<&str> = nodes.iter().filter_map(|n| n.cluster.as_deref()).collect();
    let empty_clusters = hidden
        .keys()
        .flatten()
        .filter(|k| !drawn_keys.contains(k.as_str()))
        .count();
    let merge_empty = empty_clusters > MAX_EMPTY_CLUSTERS;
    let mut collapsed: BTreeMap<Option<String>, (usize, usize)> = BTreeMap::new();
    for (key, (count, affected)) in hidden {
        let key = match key {
            Some(k) if merge_empty && !drawn_keys.contains(k.as_str()) => None,
            other => other,
        };
        let e = collapsed.entry(key).or_default();
        e.0 += count;
        e.1 += affected;
    }
    let collapsed: Vec<Collapsed> = collapsed
        .into_iter()
        .map(|(cluster, (nodes, affected))| Collapsed {
            id: match &cluster {
                Some(k) => format!("more in {k}"),
                None => "more".to_owned(),
            },
            cluster,
            nodes,
            affected,
        })
        .collect();

    let mut cluster_ids: BTreeSet<String> =
        nodes.iter().filter_map(|n| n.cluster.clone()).collect();
    cluster_ids.extend(collapsed.iter().filter_map(|c| c.cluster.clone()));
    let clusters = cluster_ids
        .into_iter()
        .map(|key| {
            let site = match opts.cluster {
                Cluster::Site => graph.node_ix(&key).map(|v| graph.node(v)),
                _ => None,
            };
            ViewCluster {
                label: site.map_or_else(|| key.clone(), |s| s.name.to_string()),
                label_en: site.and_then(|s| english(&s.tags)),
                key,
            }
        })
        .collect();

    View {
        kind,
        title,
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
