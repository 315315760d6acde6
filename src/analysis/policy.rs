//! Policy checks: rules on top of validation that keep an inventory honest (grade
//! inversions, single sites, false redundancy, sync cycles …), each finding located in the
//! files and lines where its nodes and links are written.
//!
//! Rules read the dependency [`Graph`]; `false-redundancy` runs the failure engine itself
//! (one lean failure pass per set of candidates that take each other down, resumed from the
//! largest set's finished state where it contains it), so "all alternatives can be lost
//! through one node" means exactly what `ripplemap impact --fail NODE` would show.

use crate::grade::Grade;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

use std::path::PathBuf;
use std::sync::Arc;

use compact_str::CompactString;
use rayon::prelude::*;
use serde::Serialize;

use crate::analysis::shared::{Pass, Shared};
use crate::analysis::surge;
use crate::graph::{Graph, GroupIx, LinkIx, NodeIx};
use crate::inventory::{
    Effect, Inventory, Keyed, LinkKind, Mode, NodeKind, Origin, Severity, format_duration,
};
use crate::lang::Lang;

/// At most this many shared nodes are named (and located) in one false-redundancy finding.
const MAX_NAMED: usize = 10;

/// A link that a consumer needs at once: grade inversions count only these.
const AT_ONCE_SECS: u64 = 3600;

/// Policy rules are declared with the inventory, which names them in its `[policy]` table.
pub use crate::inventory::Rule;

/// The severity of `rule` in `inv`: its `[policy]` setting, or the rule's default.
pub fn severity(inv: &Inventory, rule: Rule) -> Severity {
    inv.policy
        .iter()
        .find(|p| p.rule == rule.id())
        .map_or(rule.default_severity(), |p| p.severity)
}

/// Where an offending node or link is written. A national inventory has hundreds of
/// thousands of these, so the file is shared with the inventory and the id kept inline.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Location {
    /// The file, as the inventory was loaded.
    #[serde(serialize_with = "display_path")]
    pub file: Arc<PathBuf>,
    /// 1-based line of the node's or link's table or row.
    pub line: usize,
    /// `node` or `link`.
    pub kind: &'static str,
    /// The node or link id.
    pub id: CompactString,
}

/// A path as the text it is shown as.
fn display_path<S: serde::Serializer>(path: &Arc<PathBuf>, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&path.display())
}

/// One violation of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its severity in this inventory (never `off`: silenced rules give no findings).
    pub severity: Severity,
    /// One line saying what is wrong, naming the nodes and links (in English: JSON and
    /// SARIF write it as it is).
    pub message: String,
    /// The same line as a catalog message, for the output for people in any language
    /// (`message` is its English text). Not written to JSON or SARIF.
    #[serde(skip)]
    pub key: Keyed,
    /// The offending nodes (for a cycle, in cycle order; otherwise the subject first).
    pub nodes: Vec<CompactString>,
    /// The offending links.
    pub links: Vec<CompactString>,
    /// Where the offending items are written, the primary one first.
    pub locations: Vec<Location>,
}

/// One rule's line in a report's summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSummary {
    /// The rule.
    pub rule: Rule,
    /// Its severity in this inventory.
    pub severity: Severity,
    /// How many findings it gave (0 when off).
    pub findings: usize,
}

/// Totals of a policy report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicySummary {
    /// Findings at error level.
    pub errors: usize,
    /// Findings at warning level.
    pub warnings: usize,
    /// Every rule with its severity and count, in [`Rule::ALL`] order.
    pub rules: Vec<RuleSummary>,
}

/// The findings of every rule on one inventory.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyReport {
    /// Findings sorted by severity (errors first), rule, then the offending ids.
    pub findings: Vec<Finding>,
    /// Totals.
    pub summary: PolicySummary,
    /// What a filter kept ([`PolicyReport::filter`]); `None`: every finding. Written only
    /// when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shown: Option<FindingsShown>,
}

/// The findings to show (`check --rule --limit`); the summary still counts them all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FindingFilter {
    /// Only findings of these rules; empty: every rule.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<Rule>,
    /// At most this many findings, in report order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl FindingFilter {
    /// Whether it leaves anything out at all.
    pub fn is_active(&self) -> bool {
        !self.rules.is_empty() || self.limit.is_some()
    }

    /// Whether a finding of `rule` matches (the limit aside).
    pub fn keeps(&self, rule: Rule) -> bool {
        self.rules.is_empty() || self.rules.contains(&rule)
    }
}

/// How many findings a filter kept out of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FindingsShown {
    /// Findings kept.
    pub findings: usize,
    /// Findings of the whole report.
    pub total: usize,
    /// Findings left out: `total - findings`.
    pub left_out: usize,
    /// The filter.
    pub filter: FindingFilter,
}

impl PolicyReport {
    /// Keeps only the findings `filter` keeps; the summary still counts every finding and
    /// [`PolicyReport::shown`] says what was left out.
    pub fn filter(&mut self, filter: &FindingFilter) {
        if !filter.is_active() {
            return;
        }
        let total = self.findings.len();
        self.findings.retain(|f| filter.keeps(f.rule));
        if let Some(n) = filter.limit {
            self.findings.truncate(n);
        }
        self.shown = Some(FindingsShown {
            findings: self.findings.len(),
            total,
            left_out: total - self.findings.len(),
            filter: filter.clone(),
        });
    }

    /// Whether a finding at error level matches `filter`'s rules: what `check --rule`
    /// exits with 1 for.
    pub fn has_errors_in(&self, filter: &FindingFilter) -> bool {
        self.findings
            .iter()
            .any(|f| f.severity == Severity::Error && filter.keeps(f.rule))
    }

    /// Whether any finding is at error level (`check` exits with 1).
    pub fn has_errors(&self) -> bool {
        self.summary.errors > 0
    }

    /// The findings that name any of the given nodes or links.
    pub fn touching<'a>(
        &'a self,
        nodes: &'a [String],
        links: &'a [String],
    ) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| touches(f, nodes, links))
    }
}

/// Runs every rule that is not `off` in the inventory's policy.
pub fn check(graph: &Graph) -> PolicyReport {
    run(graph, |_| true)
}

/// The findings that name any of the given nodes or links, in report order (what
/// [`PolicyReport::touching`] gives, without keeping the other findings meanwhile).
pub fn check_touching(graph: &Graph, nodes: &[String], links: &[String]) -> Vec<Finding> {
    run(graph, |f| touches(f, nodes, links)).findings
}

/// Whether a finding names any of the given nodes or links.
fn touches(f: &Finding, nodes: &[String], links: &[String]) -> bool {
    let named = |ids: &[CompactString], among: &[String]| {
        ids.iter().any(|id| among.iter().any(|x| x == id.as_str()))
    };
    named(&f.nodes, nodes) || named(&f.links, links)
}

/// Runs every rule that is not `off`, keeping the findings `keep` accepts (the summary
/// counts those).
fn run(graph: &Graph, keep: impl Fn(&Finding) -> bool) -> PolicyReport {
    let inv = graph.inventory();
    let ctx = Ctx::new(graph);
    let mut findings = Vec::new();
    let mut rules = Vec::new();
    for rule in Rule::ALL {
        let severity = severity(inv, rule);
        let mut found = if severity == Severity::Off {
            Vec::new()
        } else {
            match rule {
                Rule::GradeInversion => ctx.grade_inversion(),
                Rule::SingleSite => ctx.single_site(),
                Rule::FalseRedundancy => ctx.false_redundancy(),
                Rule::SyncCycle => ctx.sync_cycle(),
                Rule::ExternalHard => ctx.external_hard(),
                Rule::AsyncZeroTolerance => ctx.async_zero_tolerance(),
                Rule::Orphan => ctx.orphan(),
                Rule::NoAgency => ctx.no_agency(),
                Rule::NoCapacity => ctx.no_capacity(),
            }
        };
        found.retain(|f| keep(f));
        rules.push(RuleSummary {
            rule,
            severity,
            findings: found.len(),
        });
        for f in &mut found {
            f.severity = severity;
        }
        findings.append(&mut found);
    }
    findings.sort_by(|a, b| {
        (a.severity, a.rule, &a.nodes, &a.links).cmp(&(b.severity, b.rule, &b.nodes, &b.links))
    });
    let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
    let summary = PolicySummary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        rules,
    };
    PolicyReport {
        findings,
        summary,
        shown: None,
    }
}

/// The graph with per-group member lists and per-node group lists, built once.
struct Ctx<'g> {
    g: &'g Graph,
    /// Member links of each group.
    members: Vec<Vec<LinkIx>>,
    /// Groups of each consumer.
    groups_of: Vec<Vec<GroupIx>>,
}

impl<'g> Ctx<'g> {
    fn new(g: &'g Graph) -> Self {
        let mut members = vec![Vec::new(); g.group_count()];
        for l in g.links() {
            if let Some(m) = members.get_mut(g.group_of(l).index()) {
                m.push(l);
            }
        }
        let mut groups_of = vec![Vec::new(); g.node_count()];
        for gi in g.groups() {
            if let Some(v) = groups_of.get_mut(g.group(gi).consumer.index()) {
                v.push(gi);
            }
        }
        Ctx {
            g,
            members,
            groups_of,
        }
    }

    fn node_id(&self, v: NodeIx) -> &str {
        &self.g.node(v).id
    }

    fn node_loc(&self, v: NodeIx) -> Location {
        let n = self.g.node(v);
        location(&n.origin, "node", &n.id)
    }

    fn link_loc(&self, l: LinkIx) -> Location {
        let link = self.g.link(l);
        location(&link.origin, "link", &link.id)
    }

    /// Whether losing link `l` alone loses its group, and the group takes its consumer down.
    fn hard(&self, l: LinkIx) -> bool {
        self.g.group(self.g.group_of(l)).is_must()
    }

    fn tagged(&self, rule: Rule, key: Keyed, nodes: &[NodeIx], links: &[LinkIx]) -> Finding {
        let mut locations: Vec<Location> = Vec::with_capacity(links.len() + nodes.len());
        // The links say where the dependency is written; the nodes where the items are.
        for loc in links
            .iter()
            .map(|&l| self.link_loc(l))
            .chain(nodes.iter().map(|&v| self.node_loc(v)))
        {
            // A link made from `sites` is written on its node's line: one location for both.
            if !locations
                .iter()
                .any(|x| x.line == loc.line && x.file == loc.file)
            {
                locations.push(loc);
            }
        }
        locations.shrink_to_fit();
        Finding {
            rule,
            // Set from the inventory's policy by `check`.
            severity: rule.default_severity(),
            message: key.text(Lang::En),
            key,
            nodes: nodes.iter().map(|&v| self.node_id(v).into()).collect(),
            links: links.iter().map(|&l| self.g.link(l).id.clone()).collect(),
            locations,
        }
    }

    fn grade_inversion(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for l in self.g.links() {
            let link = self.g.link(l);
            if !self.hard(l) || link.tolerance_secs >= AT_ONCE_SECS {
                continue;
            }
            let (c, p) = (self.g.consumer(l), self.g.provider(l));
            let (Some(gc), Some(gp)) = (self.g.grade(c), self.g.grade(p)) else {
                continue;
            };
            if gp <= gc {
                continue;
            }
            let key = Keyed::new(
                "finding-grade-inversion",
                &[
                    ("consumer_grade", &gc.to_string()),
                    ("consumer", self.node_id(c)),
                    ("provider_grade", &gp.to_string()),
                    ("provider", self.node_id(p)),
                    ("link", &link.id),
                ],
            )
            .part("within", within(link.tolerance_secs));
            out.push(self.tagged(Rule::GradeInversion, key, &[c, p], &[l]));
        }
        out
    }

    fn single_site(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for v in self.g.nodes() {
            let n = self.g.node(v);
            if n.kind == NodeKind::Site || !matches!(n.grade, Some(Grade::G1 | Grade::G2)) {
                continue;
            }
            let mut sites = Vec::new();
            let mut links = Vec::new();
            for &gi in &self.groups_of[v.index()] {
                if !self.g.group(gi).is_must() {
                    continue;
                }
                for &l in &self.members[gi.index()] {
                    let p = self.g.provider(l);
                    if self.g.link(l).kind == LinkKind::Hosting
                        && self.g.node(p).kind == NodeKind::Site
                    {
                        sites.push(p);
                        links.push(l);
                    }
                }
            }
            if sites.is_empty() {
                continue;
            }
            sites.sort_unstable();
            sites.dedup();
            let names = quoted(sites.iter().map(|&s| self.node_id(s)));
            let grade = n.grade.map_or_else(String::new, |g| g.to_string());
            let id = if sites.len() == 1 {
                "finding-single-site"
            } else {
                "finding-single-site-many"
            };
            let key = Keyed::new(id, &[("grade", &grade), ("node", &n.id), ("sites", &names)]);
            let mut nodes = vec![v];
            nodes.extend(&sites);
            out.push(self.tagged(Rule::SingleSite, key, &nodes, &links));
        }
        out
    }

    /// For each group that can survive the loss of a member, the nodes whose failure alone
    /// (as the engine propagates it, no horizon) loses enough members to lose the group.
    fn false_redundancy(&self) -> Vec<Finding> {
        // Groups with real alternatives, and which of them each link belongs to.
        let redundant: Vec<GroupIx> = self
            .g
            .groups()
            .filter(|&gi| self.g.group(gi).threshold() >= 2)
            .collect();
        if redundant.is_empty() {
            return Vec::new();
        }
        let mut is_redundant = vec![false; self.g.group_count()];
        for &gi in &redundant {
            is_redundant[gi.index()] = true;
        }
        // Only nodes upstream of some member's provider can take a member down.
        let upstream = self.g.upstream(
            redundant
                .iter()
                .flat_map(|&gi| &self.members[gi.index()])
                .map(|&l| self.g.provider(l)),
            |_, _| true,
        );
        // Nodes in one strongly connected component of must links take each other down,
        // so they lose the same groups with the same blast radius: one engine pass per
        // component serves all its candidates, and passes that contain the largest
        // component resume from its finished state (see `analysis::shared`).
        let passes = Shared::new(self.g, None);
        let mut components: Vec<Vec<NodeIx>> = vec![Vec::new(); passes.reps.len()];
        for v in self.g.nodes() {
            if upstream[v.index()] {
                components[passes.comp[v.index()] as usize].push(v);
            }
        }
        let selected: Vec<usize> = (0..components.len())
            .filter(|&k| !components[k].is_empty())
            .collect();
        // Members lost per group: `lost` counts them for the groups in `touched`.
        let count_lost = |down: &[NodeIx], lost: &mut [u32], touched: &mut Vec<GroupIx>| {
            for &v in down {
                for dep in self.g.dependants(v) {
                    let gi = dep.group.index();
                    if is_redundant[gi] {
                        if lost[gi] == 0 {
                            touched.push(dep.group);
                        }
                        lost[gi] += 1;
                    }
                }
            }
        };
        // What the anchor's pass alone loses: every pass on top of it loses that too.
        let base: Vec<u32> = match passes.anchor() {
            Some(anchor) => {
                let mut lost = vec![0u32; self.g.group_count()];
                count_lost(anchor.down(), &mut lost, &mut Vec::new());
                lost
            }
            None => Vec::new(),
        };
        // Candidates other than the consumer itself, in component `k`, for group `gi`.
        let inside =
            |k: usize, v: NodeIx| upstream[v.index()] && passes.comp[v.index()] as usize == k;
        let others = |k: usize, gi: GroupIx| {
            components[k].len() - usize::from(inside(k, self.g.group(gi).consumer))
        };
        // The first candidates of component `k` for group `gi`, in id order (components
        // list their members in order).
        let first = |k: usize, gi: GroupIx| -> Vec<NodeIx> {
            let consumer = self.g.group(gi).consumer;
            components[k]
                .iter()
                .copied()
                .filter(|&x| x != consumer)
                .take(MAX_NAMED)
                .collect()
        };
        // Per group: the smallest blast radius of a node that loses it, the components of
        // that radius, and how many nodes lose it in all. Aggregated while the passes run
        // (in parallel, one engine pass per component), never as (group, node) pairs,
        // which on an inventory with hubs number in the tens of millions. The groups the
        // anchor loses by itself are lost by every pass on top of it: those passes are
        // only listed, as (radius, component), and counted for those groups at the end.
        let chunk = selected
            .len()
            .div_ceil(rayon::current_num_threads().max(1) * 8)
            .max(1);
        let (mut by_group, mut on_anchor) = selected
            .par_chunks(chunk)
            .map(|ks| {
                let mut w = passes.worker();
                let mut lost = vec![0u32; self.g.group_count()];
                let mut touched = Vec::new();
                let mut acc: BTreeMap<GroupIx, Culprits> = BTreeMap::new();
                let mut on_anchor: Vec<(usize, u32)> = Vec::new();
                for &k in ks {
                    passes.visit(&mut w, k, |pass| {
                        let (ws, base) = match pass {
                            Pass::Fresh(ws) => {
                                count_lost(ws.down(), &mut lost, &mut touched);
                                (ws, None)
                            }
                            Pass::Anchored { ws, mark, .. } => {
                                count_lost(ws.down_since(mark), &mut lost, &mut touched);
                                on_anchor.push((ws.down().len(), k as u32));
                                (ws, Some(&base))
                            }
                        };
                        let radius = ws.down().len();
                        for gi in touched.drain(..) {
                            let threshold = self.g.group(gi).threshold();
                            let before = base.and_then(|b| b.get(gi.index())).copied();
                            let now = before.unwrap_or(0) + lost[gi.index()];
                            // Groups the anchor loses by itself are counted at the end.
                            if now >= threshold && before.is_none_or(|b| b < threshold) {
                                let n = others(k, gi);
                                if n > 0 {
                                    Culprits::add(&mut acc, gi, radius, n, || first(k, gi));
                                }
                            }
                            lost[gi.index()] = 0;
                        }
                    });
                }
                (acc, on_anchor)
            })
            .reduce(
                || (BTreeMap::new(), Vec::new()),
                |(mut a, mut on_a), (b, on_b)| {
                    for (gi, s) in b {
                        match a.get_mut(&gi) {
                            Some(x) => x.merge(s),
                            None => {
                                a.insert(gi, s);
                            }
                        }
                    }
                    on_a.extend(on_b);
                    (a, on_a)
                },
            );
        on_anchor.sort_unstable();
        let on_anchor_nodes: usize = on_anchor
            .iter()
            .map(|&(_, k)| components[k as usize].len())
            .sum();
        let mut is_on_anchor = vec![false; components.len()];
        for &(_, k) in &on_anchor {
            is_on_anchor[k as usize] = true;
        }
        // The nearest passes on top of the anchor, and their first members: the same for
        // every group the anchor loses, but for that group's consumer (one more is kept).
        let nearest_radius = on_anchor.first().map(|&(r, _)| r);
        let mut nearest_first: Vec<NodeIx> = on_anchor
            .iter()
            .take_while(|&&(r, _)| Some(r) == nearest_radius)
            .flat_map(|&(_, k)| components[k as usize].iter().copied().take(MAX_NAMED + 1))
            .collect();
        nearest_first.sort_unstable();
        nearest_first.truncate(MAX_NAMED + 1);
        for gi in redundant {
            let threshold = self.g.group(gi).threshold();
            if base.get(gi.index()).is_none_or(|&b| b < threshold) {
                continue;
            }
            // As `Culprits::add` per pass would: a component adds its members other than
            // the consumer, and only when it has any.
            let kept = |&&(_, k): &&(usize, u32)| others(k as usize, gi) > 0;
            let Some(&(best, _)) = on_anchor.iter().find(kept) else {
                continue;
            };
            let consumer = self.g.group(gi).consumer;
            let consumer_inside =
                upstream[consumer.index()] && is_on_anchor[passes.comp[consumer.index()] as usize];
            let named = if Some(best) == nearest_radius {
                let mut named = nearest_first.clone();
                named.retain(|&x| x != consumer);
                named.truncate(MAX_NAMED);
                named
            } else {
                // Only the consumer itself failed with the smallest radius: the next ones.
                let mut named: Vec<NodeIx> = on_anchor
                    .iter()
                    .take_while(|&&(r, _)| r <= best)
                    .filter(kept)
                    .flat_map(|&(_, k)| first(k as usize, gi))
                    .collect();
                named.sort_unstable();
                named.truncate(MAX_NAMED);
                named
            };
            let s = Culprits {
                best,
                named,
                count: on_anchor_nodes - usize::from(consumer_inside),
            };
            match by_group.get_mut(&gi) {
                Some(x) => x.merge(s),
                None => {
                    by_group.insert(gi, s);
                }
            }
        }
        let mut out = Vec::new();
        for (gi, culprits) in by_group {
            let slot = self.g.group(gi);
            // Every node upstream of a shared node is shared too (its failure takes the
            // shared node down, and more). Name the nearest: those with the smallest blast
            // radius, which no other shared node's failure can be part of; a few of them
            // (see `Culprits`), and count the rest.
            let xs = culprits.named;
            let more = culprits.count.saturating_sub(xs.len());
            let upstream = match more {
                0 => Keyed::new("finding-none", &[]),
                1 => Keyed::new("finding-upstream-one", &[]),
                n => Keyed::new("finding-upstream-many", &[("n", &n.to_string())]),
            };
            let members = &self.members[gi.index()];
            let Some(&first) = members.first() else {
                continue;
            };
            let name = self
                .g
                .link(first)
                .group
                .as_deref()
                .unwrap_or("-")
                .to_owned();
            let alternatives = quoted(members.iter().map(|&l| self.node_id(self.g.provider(l))));
            let need = if slot.min == 1 {
                Keyed::new("finding-need-any", &[])
            } else {
                Keyed::new(
                    "finding-need",
                    &[
                        ("min", &slot.min.to_string()),
                        ("size", &slot.size.to_string()),
                    ],
                )
            };
            let key = Keyed::new(
                "finding-false-redundancy",
                &[
                    ("group", &name),
                    ("consumer", self.node_id(slot.consumer)),
                    ("alternatives", &alternatives),
                ],
            )
            .part("need", need)
            .part("culprits", or_list(xs.iter().map(|&x| self.node_id(x))))
            .part("upstream", upstream);
            let mut nodes = xs.clone();
            nodes.push(slot.consumer);
            out.push(self.tagged(Rule::FalseRedundancy, key, &nodes, members));
        }
        out
    }

    fn sync_cycle(&self) -> Vec<Finding> {
        // consumer -> provider over links that stop the consumer at once, without alternative.
        let n = self.g.node_count();
        let sync = |l: LinkIx| {
            let link = self.g.link(l);
            link.mode == Mode::Sync && link.tolerance_secs == 0 && self.hard(l)
        };
        let mut needs: Vec<Vec<(NodeIx, LinkIx)>> = vec![Vec::new(); n];
        for l in self.g.links().filter(|&l| sync(l)) {
            let (c, p) = (self.g.consumer(l), self.g.provider(l));
            needs[c.index()].push((p, l));
        }
        let sccs = self.g.components(sync);
        let mut out = Vec::new();
        for k in 0..sccs.len() {
            let scc = sccs.members(k);
            if scc.len() < 2 {
                continue;
            }
            let members: BTreeSet<NodeIx> = scc.iter().copied().collect();
            let Some(&start) = members.first() else {
                continue;
            };
            let Some((nodes, links)) = shortest_cycle(start, &members, &needs) else {
                continue;
            };
            let path: Vec<&str> = nodes
                .iter()
                .chain(nodes.first())
                .map(|&v| self.node_id(v))
                .collect();
            let knot = if members.len() > nodes.len() {
                Keyed::new("finding-knot", &[("n", &members.len().to_string())])
            } else {
                Keyed::new("finding-none", &[])
            };
            let key = Keyed::new("finding-sync-cycle", &[("path", &path.join(" -> "))])
                .part("knot", knot);
            out.push(self.tagged(Rule::SyncCycle, key, &nodes, &links));
        }
        out
    }

    fn external_hard(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for l in self.g.links() {
            let (c, p) = (self.g.consumer(l), self.g.provider(l));
            if self.g.grade(c) != Some(Grade::G1)
                || self.g.node(p).kind != NodeKind::External
                || !self.hard(l)
            {
                continue;
            }
            let link = self.g.link(l);
            let key = Keyed::new(
                "finding-external-hard",
                &[
                    ("consumer", self.node_id(c)),
                    ("provider", self.node_id(p)),
                    ("link", &link.id),
                    ("tolerance", &format_duration(link.tolerance_secs)),
                ],
            );
            out.push(self.tagged(Rule::ExternalHard, key, &[c, p], &[l]));
        }
        out
    }

    fn async_zero_tolerance(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for l in self.g.links() {
            let link = self.g.link(l);
            // A soft async link (notifications) may well degrade its consumer at once; a
            // batch link that stops it at once contradicts being a batch link.
            if link.mode != Mode::Async || link.tolerance_secs != 0 || link.effect != Effect::Down {
                continue;
            }
            let (c, p) = (self.g.consumer(l), self.g.provider(l));
            let key = Keyed::new(
                "finding-async-zero-tolerance",
                &[
                    ("link", &link.id),
                    ("consumer", self.node_id(c)),
                    ("provider", self.node_id(p)),
                ],
            );
            out.push(self.tagged(Rule::AsyncZeroTolerance, key, &[c, p], &[l]));
        }
        out
    }

    fn orphan(&self) -> Vec<Finding> {
        let mut linked = vec![false; self.g.node_count()];
        for l in self.g.links() {
            linked[self.g.consumer(l).index()] = true;
            linked[self.g.provider(l).index()] = true;
        }
        self.g
            .nodes()
            .filter(|&v| !linked[v.index()])
            .map(|v| {
                let key = Keyed::new("finding-orphan", &[("node", self.node_id(v))])
                    .part("kind", kind(self.g.node(v).kind));
                self.tagged(Rule::Orphan, key, &[v], &[])
            })
            .collect()
    }

    fn no_agency(&self) -> Vec<Finding> {
        // External nodes are outside government by definition; they have no owning agency.
        self.g
            .nodes()
            .filter(|&v| {
                let n = self.g.node(v);
                n.agency.is_none() && n.kind != NodeKind::External
            })
            .map(|v| {
                let key = Keyed::new("finding-no-agency", &[("node", self.node_id(v))])
                    .part("kind", kind(self.g.node(v).kind));
                self.tagged(Rule::NoAgency, key, &[v], &[])
            })
            .collect()
    }
}

impl Ctx<'_> {
    fn no_capacity(&self) -> Vec<Finding> {
        // Only an inventory that speaks of load has loads to check; one with a load loop
        // has none defined (`check` refuses it on its own account).
        if !surge::uses_load(self.g.inventory()) {
            return Vec::new();
        }
        let Ok(load) = surge::baseline(self.g) else {
            return Vec::new();
        };
        self.g
            .nodes()
            .filter(|&v| load[v.index()] > 0.0 && self.g.node(v).capacity.is_none())
            .map(|v| {
                let key = Keyed::new(
                    "finding-no-capacity",
                    &[
                        ("node", self.node_id(v)),
                        ("rate", &surge::format_rate(load[v.index()])),
                    ],
                )
                .part("kind", kind(self.g.node(v).kind));
                self.tagged(Rule::NoCapacity, key, &[v], &[])
            })
            .collect()
    }
}

/// The nodes whose failure alone loses one group, as far as a report needs them: the
/// nearest few by name, and how many in all. (Every node upstream of such a node loses the
/// group too, and a cycle of hard dependencies can make thousands equally near: only the
/// first few in id order are kept, so a tally stays small however many there are.)
#[derive(Debug)]
struct Culprits {
    /// The smallest blast radius among them.
    best: usize,
    /// The first [`MAX_NAMED`] nodes of that radius, in id order.
    named: Vec<NodeIx>,
    /// How many nodes in all.
    count: usize,
}

impl Culprits {
    /// Counts `n` nodes of blast radius `radius` for group `gi`; `named` gives the first
    /// [`MAX_NAMED`] of them in id order (asked only when they are among the nearest).
    fn add(
        acc: &mut BTreeMap<GroupIx, Culprits>,
        gi: GroupIx,
        radius: usize,
        n: usize,
        named: impl FnOnce() -> Vec<NodeIx>,
    ) {
        let s = acc.entry(gi).or_insert_with(|| Culprits {
            best: usize::MAX,
            named: Vec::new(),
            count: 0,
        });
        s.count += n;
        if radius <= s.best {
            s.nearest(radius, named());
        }
    }

    /// Takes `named`, of blast radius `radius`, into the nearest nodes.
    fn nearest(&mut self, radius: usize, named: Vec<NodeIx>) {
        if radius < self.best {
            self.best = radius;
            self.named = named;
        } else if radius == self.best {
            self.named.extend(named);
            self.named.sort_unstable();
            self.named.truncate(MAX_NAMED);
        }
    }

    /// Merges another part's tally for the same group.
    fn merge(&mut self, other: Culprits) {
        self.count += other.count;
        self.nearest(other.best, other.named);
    }
}

/// The shortest cycle through `start` inside `within`, as (nodes from `start`, links).
fn shortest_cycle(
    start: NodeIx,
    within: &BTreeSet<NodeIx>,
    needs: &[Vec<(NodeIx, LinkIx)>],
) -> Option<(Vec<NodeIx>, Vec<LinkIx>)> {
    // Breadth-first from `start`; `prev[v]` = (node, link) it was reached from.
    let mut prev: BTreeMap<NodeIx, (NodeIx, LinkIx)> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    let mut closing = None;
    'search: while let Some(v) = queue.pop_front() {
        let mut next: Vec<(NodeIx, LinkIx)> = needs.get(v.index())?.clone();
        next.sort_unstable();
        for (p, l) in next {
            if p == start {
                closing = Some((v, l));
                break 'search;
            }
            if within.contains(&p) && !prev.contains_key(&p) {
                prev.insert(p, (v, l));
                queue.push_back(p);
            }
        }
    }
    let (last, closing_link) = closing?;
    let mut nodes = vec![last];
    let mut links = vec![closing_link];
    let mut cur = last;
    while cur != start {
        let &(from, l) = prev.get(&cur)?;
        links.push(l);
        nodes.push(from);
        cur = from;
    }
    // Collected from the closing link backwards; reversed, `links[i]` leaves `nodes[i]`.
    nodes.reverse();
    links.reverse();
    Some((nodes, links))
}

fn location(origin: &Origin, kind: &'static str, id: &str) -> Location {
    Location {
        file: Arc::clone(&origin.file),
        line: origin.line,
        kind,
        id: id.into(),
    }
}

/// `at once` or `within 30m`.
fn within(secs: u64) -> Keyed {
    if secs == 0 {
        Keyed::new("finding-at-once", &[])
    } else {
        Keyed::new("finding-within", &[("duration", &format_duration(secs))])
    }
}

/// A node's kind as the word of the output's language.
fn kind(kind: NodeKind) -> Keyed {
    let id = match kind {
        NodeKind::System => "kw-system",
        NodeKind::Service => "kw-service",
        NodeKind::Site => "kw-site",
        NodeKind::Network => "kw-network",
        NodeKind::External => "kw-external",
    };
    Keyed::new(id, &[])
}

/// `` `a`, `b`, `c` ``.
fn quoted<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    ids.map(|id| format!("`{id}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `` `a` ``, `` `a` or `b` ``, `` `a`, `b` or `c` ``; long lists end with `or N more`.
fn or_list<'a>(ids: impl Iterator<Item = &'a str>) -> Keyed {
    let all: Vec<String> = ids.map(|id| format!("`{id}`")).collect();
    const SHOWN: usize = 4;
    match all.as_slice() {
        [] => Keyed::new("finding-none", &[]),
        [one] => Keyed::new("finding-list-one", &[("item", one)]),
        list if list.len() > SHOWN => Keyed::new(
            "finding-list-or-more",
            &[
                ("list", &list[..SHOWN].join(", ")),
                ("n", &(list.len() - SHOWN).to_string()),
            ],
        ),
        [init @ .., last] => Keyed::new(
            "finding-list-or",
            &[("init", &init.join(", ")), ("last", last)],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_ids_parse_back() {
        for r in Rule::ALL {
            assert_eq!(Rule::parse(r.id()), Some(r));
        }
    }

    #[test]
    fn lists_read_naturally() {
        let en = |ids: &[&str]| or_list(ids.iter().copied()).text(Lang::En);
        assert_eq!(en(&["a"]), "`a`");
        assert_eq!(en(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(
            en(&["a", "b", "c", "d", "e", "f"]),
            "`a`, `b`, `c`, `d` or 2 more"
        );
        let ko = or_list(["a", "b", "c", "d", "e", "f"].into_iter()).text(Lang::Ko);
        assert_eq!(ko, "`a`, `b`, `c`, `d` 외 2개");
    }
}
