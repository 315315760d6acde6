//! Inventory diff: nodes, links, groups and policy settings added, removed and changed
//! (field by field), how the single-failure blast radius of the nodes near the changes grew
//! or shrank, and which policy findings are new or resolved.
//!
//! Items are compared by id on the loaded model, never on text, so an inventory and its
//! CSV twin compare equal. Links and groups made from a node's `sites` shorthand are shown
//! as a change of that node's `sites` field, not a second time as links.

use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;

use super::NoProgress;
use super::policy::{self, Finding};
use super::shared::Shared;
use crate::engine::{Query, Workspace};
use crate::grade::{Grade, GradeCounts};
use crate::graph::{Graph, NodeIx};
use crate::inventory::{GroupDecl, Inventory, Link, Node, Severity, Text, format_duration};

/// What happened to an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// In both, with different fields.
    Changed,
}

/// One field that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldChange {
    /// The field, as the inventory names it.
    pub field: &'static str,
    /// Its value in OLD (empty when absent).
    pub old: String,
    /// Its value in NEW (empty when absent).
    pub new: String,
    /// For a list field (`sites`, `tags`): its entries in OLD, as a JSON list (`old`
    /// joins them with `;`, which an entry may itself hold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_list: Option<Vec<String>>,
    /// For a list field: its entries in NEW.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub new_list: Option<Vec<String>>,
}

/// A field's value for the comparison: its text, and its entries for a list field.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FieldValue {
    text: String,
    list: Option<Vec<String>>,
}

impl From<String> for FieldValue {
    fn from(text: String) -> Self {
        FieldValue { text, list: None }
    }
}

impl FieldValue {
    fn list<T: AsRef<str>>(items: &[T]) -> Self {
        let list: Vec<String> = items.iter().map(|x| x.as_ref().to_owned()).collect();
        FieldValue {
            text: list.join(";"),
            list: Some(list),
        }
    }
}

/// One node, link, group or policy setting that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemChange {
    /// `node`, `link`, `group`, `policy` or `recovery` (a grade's recovery-time target).
    pub item: &'static str,
    /// The id (a group is `consumer/group`; a policy setting is its rule id; a recovery
    /// target is `grade N`).
    pub id: String,
    /// Added, removed or changed.
    pub change: ChangeKind,
    /// The differing fields (for a changed item; empty otherwise).
    pub fields: Vec<FieldChange>,
}

/// How many other nodes go down when a node fails alone (no horizon), by grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Radius {
    /// Nodes down, the failed node not counted.
    pub down: usize,
    /// Those nodes by grade.
    pub by_grade: GradeCounts,
}

/// A node whose single-failure blast radius differs between OLD and NEW.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RadiusChange {
    /// Node id.
    pub id: String,
    /// Its grade (in NEW, else in OLD).
    pub grade: Option<Grade>,
    /// The radius in OLD (`None`: the node is not in OLD).
    pub old: Option<Radius>,
    /// The radius in NEW (`None`: the node is not in NEW).
    pub new: Option<Radius>,
    /// `new.down - old.down` (a missing side counts 0).
    pub delta: i64,
}

/// Totals of a diff.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiffSummary {
    /// Items added.
    pub added: usize,
    /// Items removed.
    pub removed: usize,
    /// Items changed.
    pub changed: usize,
    /// Nodes whose blast radius grew.
    pub radius_grew: usize,
    /// Nodes whose blast radius shrank (or changed only by grade).
    pub radius_shrank: usize,
    /// New findings at error level: NEW fails the gate when this is not 0.
    pub new_errors: usize,
}

/// The difference between two inventories.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InventoryDiff {
    /// Node, link, group and policy changes, sorted by item kind, then id.
    pub items: Vec<ItemChange>,
    /// Blast-radius changes, largest growth first, then id.
    pub radius: Vec<RadiusChange>,
    /// Findings of NEW not in OLD (or raised to error), in report order.
    pub new_findings: Vec<Finding>,
    /// Findings of OLD that NEW no longer has.
    pub resolved_findings: Vec<Finding>,
    /// Totals.
    pub summary: DiffSummary,
}

impl InventoryDiff {
    /// Whether the two inventories are the same model (and so have the same findings).
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
            && self.radius.is_empty()
            && self.new_findings.is_empty()
            && self.resolved_findings.is_empty()
    }

    /// Whether NEW introduces a finding at error level (`diff` exits with 1).
    pub fn has_new_errors(&self) -> bool {
        self.summary.new_errors > 0
    }
}

/// Compares OLD with NEW.
pub fn diff(old: &Graph, new: &Graph) -> InventoryDiff {
    let (oi, ni) = (old.inventory(), new.inventory());
    let mut items = Vec::new();
    items.extend(compare(
        "node",
        keyed(&oi.nodes, |n: &Node| n.id.to_string()),
        keyed(&ni.nodes, |n: &Node| n.id.to_string()),
        node_fields,
    ));
    let written = |l: &&Link| !l.from_sites;
    items.extend(compare(
        "link",
        keyed_filtered(&oi.links, written, |l: &Link| l.id.to_string()),
        keyed_filtered(&ni.links, written, |l: &Link| l.id.to_string()),
        link_fields,
    ));
    let declared = |g: &&GroupDecl| !g.from_sites;
    let group_key = |g: &GroupDecl| format!("{}/{}", g.consumer, g.group);
    items.extend(compare(
        "group",
        keyed_filtered(&oi.groups, declared, group_key),
        keyed_filtered(&ni.groups, declared, group_key),
        |g: &GroupDecl| vec![("min", g.min.to_string().into())],
    ));
    items.extend(policy_changes(oi, ni));
    // Recovery-time targets, keyed `grade N`.
    let rto_key = |t: &crate::inventory::RtoTarget| format!("grade {}", t.grade);
    items.extend(compare(
        "recovery",
        keyed_filtered(&oi.rto, |_| true, rto_key),
        keyed_filtered(&ni.rto, |_| true, rto_key),
        |t: &crate::inventory::RtoTarget| {
            vec![("rto", crate::inventory::format_duration(t.rto_secs).into())]
        },
    ));

    let radius = radius_changes(old, new, &items);
    let (old_report, new_report) = rayon::join(|| policy::check(old), || policy::check(new));
    let key = |f: &Finding| (f.rule, f.nodes.clone(), f.links.clone());
    let old_keys: BTreeMap<_, Severity> = old_report
        .findings
        .iter()
        .map(|f| (key(f), f.severity))
        .collect();
    let new_keys: BTreeSet<_> = new_report.findings.iter().map(key).collect();
    let new_findings: Vec<Finding> = new_report
        .findings
        .iter()
        .filter(|f| match old_keys.get(&key(f)) {
            None => true,
            Some(&was) => f.severity == Severity::Error && was != Severity::Error,
        })
        .cloned()
        .collect();
    let resolved_findings: Vec<Finding> = old_report
        .findings
        .iter()
        .filter(|f| !new_keys.contains(&key(f)))
        .cloned()
        .collect();
    let count = |k: ChangeKind| items.iter().filter(|i| i.change == k).count();
    let summary = DiffSummary {
        added: count(ChangeKind::Added),
        removed: count(ChangeKind::Removed),
        changed: count(ChangeKind::Changed),
        radius_grew: radius.iter().filter(|r| r.delta > 0).count(),
        radius_shrank: radius.iter().filter(|r| r.delta <= 0).count(),
        new_errors: new_findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count(),
    };
    InventoryDiff {
        items,
        radius,
        new_findings,
        resolved_findings,
        summary,
    }
}

fn keyed<T>(items: &[T], key: impl Fn(&T) -> String) -> BTreeMap<String, &T> {
    items.iter().map(|x| (key(x), x)).collect()
}

fn keyed_filtered<'a, T>(
    items: &'a [T],
    keep: impl Fn(&&'a T) -> bool,
    key: impl Fn(&T) -> String,
) -> BTreeMap<String, &'a T> {
    items.iter().filter(keep).map(|x| (key(x), x)).collect()
}

/// Items of one kind, matched by key, compared field by field.
fn compare<T>(
    item: &'static str,
    old: BTreeMap<String, &T>,
    new: BTreeMap<String, &T>,
    fields: impl Fn(&T) -> Vec<(&'static str, FieldValue)>,
) -> Vec<ItemChange> {
    let ids: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut out = Vec::new();
    for id in ids {
        let (change, fields) = match (old.get(id), new.get(id)) {
            (Some(_), None) => (ChangeKind::Removed, Vec::new()),
            (None, Some(_)) => (ChangeKind::Added, Vec::new()),
            (Some(a), Some(b)) => {
                let diffs: Vec<FieldChange> = fields(a)
                    .into_iter()
                    .zip(fields(b))
                    .filter(|((_, x), (_, y))| x != y)
                    .map(|((field, old), (_, new))| FieldChange {
                        field,
                        old: old.text,
                        new: new.text,
                        old_list: old.list,
                        new_list: new.list,
                    })
                    .collect();
                if diffs.is_empty() {
                    continue;
                }
                (ChangeKind::Changed, diffs)
            }
            (None, None) => continue,
        };
        out.push(ItemChange {
            item,
            id: id.clone(),
            change,
            fields,
        });
    }
    out
}

fn opt(v: &Option<Text>) -> String {
    v.as_deref().unwrap_or_default().to_owned()
}

fn node_fields(n: &Node) -> Vec<(&'static str, FieldValue)> {
    vec![
        ("name", FieldValue::from(n.name.to_string())),
        ("kind", FieldValue::from(n.kind.to_string())),
        ("agency", FieldValue::from(opt(&n.agency))),
        (
            "grade",
            FieldValue::from(n.grade.map(|g| g.to_string()).unwrap_or_default()),
        ),
        ("sites", FieldValue::list(&n.sites)),
        ("tags", FieldValue::list(&n.tags)),
        ("restore", FieldValue::from(format_duration(n.restore_secs))),
        ("load", FieldValue::from(n.load.to_string())),
        (
            "capacity",
            FieldValue::from(n.capacity.map(|c| c.to_string()).unwrap_or_default()),
        ),
    ]
}

fn link_fields(l: &Link) -> Vec<(&'static str, FieldValue)> {
    vec![
        ("consumer", FieldValue::from(l.consumer.to_string())),
        ("provider", FieldValue::from(l.provider.to_string())),
        ("kind", FieldValue::from(l.kind.to_string())),
        ("mode", FieldValue::from(l.mode.to_string())),
        (
            "tolerance",
            FieldValue::from(format_duration(l.tolerance_secs)),
        ),
        ("effect", FieldValue::from(l.effect.to_string())),
        ("group", FieldValue::from(opt(&l.group))),
        ("method", FieldValue::from(opt(&l.method))),
        ("data", FieldValue::from(opt(&l.data))),
        // As written: a link whose kind or mode changes keeps an unwritten `calls` unchanged.
        (
            "calls",
            FieldValue::from(l.calls.map(|c| c.to_string()).unwrap_or_default()),
        ),
    ]
}

/// Effective severities that differ (a rule set to its default counts as unset).
fn policy_changes(old: &Inventory, new: &Inventory) -> Vec<ItemChange> {
    policy::Rule::ALL
        .into_iter()
        .filter_map(|rule| {
            let (a, b) = (policy::severity(old, rule), policy::severity(new, rule));
            (a != b).then(|| ItemChange {
                item: "policy",
                id: rule.id().to_owned(),
                change: ChangeKind::Changed,
                fields: vec![FieldChange {
                    field: "severity",
                    old: a.as_str().to_owned(),
                    new: b.as_str().to_owned(),
                    old_list: None,
                    new_list: None,
                }],
            })
        })
        .collect()
}

/// Radius changes of every node whose failure can reach a changed item in OLD or NEW;
/// the failure of any other node spreads identically in both.
fn radius_changes(old: &Graph, new: &Graph, items: &[ItemChange]) -> Vec<RadiusChange> {
    let (oi, ni) = (old.inventory(), new.inventory());
    // The nodes each change touches, by id, in either inventory.
    let mut touched: BTreeSet<&str> = BTreeSet::new();
    for it in items {
        match it.item {
            "node" => {
                touched.insert(&it.id);
            }
            "link" => {
                for inv in [oi, ni] {
                    if let Some(l) = inv.links.iter().find(|l| l.id == it.id) {
                        touched.insert(&l.consumer);
                        touched.insert(&l.provider);
                    }
                }
            }
            "group" => {
                for inv in [oi, ni] {
                    if let Some(g) = inv
                        .groups
                        .iter()
                        .find(|g| format!("{}/{}", g.consumer, g.group) == it.id)
                    {
                        touched.insert(&g.consumer);
                    }
                }
            }
            _ => {}
        }
    }
    if touched.is_empty() {
        return Vec::new();
    }
    let mut candidates: BTreeSet<String> = BTreeSet::new();
    for g in [old, new] {
        let upstream = g.upstream(touched.iter().filter_map(|id| g.node_ix(id)), |_, _| true);
        for v in g.nodes().filter(|&v| upstream[v.index()]) {
            candidates.insert(g.node(v).id.to_string());
        }
    }
    let candidates: Vec<String> = candidates.into_iter().collect();
    // Many candidates (a change near the root of a long chain reaches every node upstream):
    // every single failure at once, sharing work, instead of one pass each.
    let (sweep_old, sweep_new) = if candidates.len() > SWEEP_FROM {
        rayon::join(|| Radii::sweep(old), || Radii::sweep(new))
    } else {
        (Radii::None, Radii::None)
    };
    let mut out: Vec<RadiusChange> = candidates
        .par_iter()
        // Each split of the work allocates two workspaces: keep the splits coarse.
        .with_min_len(64)
        .map_init(
            || (Workspace::new(old), Workspace::new(new)),
            |(wo, wn), id| {
                let a = sweep_old.radius(old, wo, id);
                let b = sweep_new.radius(new, wn, id);
                if a == b {
                    return None;
                }
                let grade = new
                    .node_ix(id)
                    .map(|v| new.node(v).grade)
                    .or_else(|| old.node_ix(id).map(|v| old.node(v).grade))
                    .flatten();
                let down = |r: Option<Radius>| r.map_or(0, |r| r.down as i64);
                Some(RadiusChange {
                    id: id.clone(),
                    grade,
                    old: a,
                    new: b,
                    delta: down(b) - down(a),
                })
            },
        )
        .flatten()
        .collect();
    out.sort_by(|a, b| b.delta.cmp(&a.delta).then_with(|| a.id.cmp(&b.id)));
    out
}

/// From how many candidates on every single failure is computed at once.
const SWEEP_FROM: usize = 256;

/// The single-failure blast radii of a graph, when computed at once.
enum Radii {
    /// Not computed: each is one pass.
    None,
    /// Down nodes per grade of each component's failure (the failed nodes included),
    /// and the component of each node.
    Swept(Vec<GradeCounts>, Vec<u32>),
}

impl Radii {
    /// Every component's single failure, sharing work (see `Shared::sweep`).
    fn sweep(g: &Graph) -> Self {
        let shared = Shared::new(g, None);
        let count = |down: &[NodeIx], mut c: GradeCounts| {
            for &x in down {
                c.add(g.grade(x));
            }
            c
        };
        let per_comp = shared.sweep(
            &NoProgress,
            |ws| count(ws.down(), GradeCounts::default()),
            |base, ws, mark| count(ws.down_since(mark), *base),
        );
        Radii::Swept(per_comp, shared.comp)
    }

    /// The single-failure blast radius of `id` in `g`, or `None` when `g` has no such
    /// node.
    fn radius(&self, g: &Graph, ws: &mut Workspace, id: &str) -> Option<Radius> {
        let v = g.node_ix(id)?;
        let by_grade = match self {
            Radii::Swept(per_comp, comp) => {
                let mut c = *per_comp.get(*comp.get(v.index())? as usize)?;
                c.remove(g.grade(v));
                c
            }
            Radii::None => {
                ws.run(g, &Query::closure(&[v]));
                let mut c = GradeCounts::default();
                for &u in ws.down() {
                    if u != v {
                        c.add(g.grade(u));
                    }
                }
                c
            }
        };
        Some(Radius {
            down: by_grade.total(),
            by_grade,
        })
    }
}
