//! The interconnection impact assessment of a planned change: scope, consumers to notify
//! and retest, the failure simulation of a downtime window, the assessment level the most
//! critical affected grade requires, the notification list by agency and the policy
//! findings that touch the change. Computed here; `render::markdown` writes the document.

use crate::grade::Grade;
use std::collections::BTreeMap;

use serde::Serialize;

use super::policy::{self, Finding};
use super::surge;
use crate::engine::{Change, ChangeImpact, Impact, Scenario, ScenarioError};
use crate::graph::Graph;
use crate::inventory::format_duration;

/// One requirement of the assessment level: it applies when a node of `grade` or a more
/// critical one (a smaller number) is affected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LevelRule {
    /// The least critical grade that triggers it.
    pub grade: Grade,
    /// What is required, for example "independent review".
    pub requirement: String,
}

impl LevelRule {
    /// The default mapping: grade 1 affected requires an independent review; grade 1 or 2
    /// requires a load test before going live.
    pub fn defaults() -> Vec<LevelRule> {
        vec![
            LevelRule {
                grade: Grade::G1,
                requirement: "independent review".to_owned(),
            },
            LevelRule {
                grade: Grade::G2,
                requirement: "load test before going live".to_owned(),
            },
        ]
    }
}

/// What to assess; the CLI fills it from `assess`'s flags.
#[derive(Debug, Clone, PartialEq)]
pub struct AssessOptions {
    /// The changed nodes and links.
    pub change: Change,
    /// Planned downtime of the changed items, in hours: simulate their failure with that
    /// horizon. `None`: no downtime planned, no simulation.
    pub window_hours: Option<f64>,
    /// Grade -> requirement mapping of the assessment level.
    pub levels: Vec<LevelRule>,
}

/// A changed node as the document lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedNode {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Kind (system, service …).
    pub kind: String,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Owning agency.
    pub agency: Option<String>,
    /// Where it is written (`file:line`).
    pub at: String,
    /// Where it is written, as `check` writes locations: `{"file", "line"}`.
    pub location: Written,
}

/// Where an item is written, as an object (`check`'s locations have the same keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    /// The file (or workbook).
    pub file: String,
    /// 1-based line (a workbook's row).
    pub line: usize,
}

impl Written {
    fn of(o: &crate::inventory::Origin) -> Self {
        Written {
            file: o.file.display().to_string(),
            line: o.line,
        }
    }
}

/// A changed link as the document lists it, with its ends' grades and agencies.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedLink {
    /// Link id.
    pub id: String,
    /// The consumer.
    pub consumer: ChangedNode,
    /// The provider.
    pub provider: ChangedNode,
    /// `sync` or `async`, tolerance and effect, as written (`sync, 0, down`).
    pub terms: String,
    /// Where it is written (`file:line`).
    pub at: String,
    /// Where it is written, as `check` writes locations: `{"file", "line"}`.
    pub location: Written,
}

/// One affected node on a notification list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Notice {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Criticality grade.
    pub grade: Option<Grade>,
    /// Links from the change (1 = direct consumer: must retest).
    pub depth: u32,
}

/// The nodes of one agency to notify.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyNotices {
    /// The agency (`None`: nodes without an agency).
    pub agency: Option<String>,
    /// Its affected nodes, by depth then id.
    pub nodes: Vec<Notice>,
}

/// The assessment level: the most critical grade affected and what it requires.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Level {
    /// The most critical grade among the changed and affected nodes.
    pub most_critical_grade: Option<Grade>,
    /// The nodes of that grade, sorted.
    pub most_critical_nodes: Vec<String>,
    /// The requirements that apply, in mapping order.
    pub requirements: Vec<LevelRule>,
}

/// The assessment of one change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment<'g> {
    /// Changed nodes.
    pub changed_nodes: Vec<ChangedNode>,
    /// Changed links.
    pub changed_links: Vec<ChangedLink>,
    /// Who depends on the change (direct and transitive, with paths): docs/semantics.md, "Change impact".
    pub change: ChangeImpact<'g>,
    /// The downtime window in hours, if given.
    pub window_hours: Option<f64>,
    /// The failure of the changed items with the window as horizon (docs/semantics.md, "Failure impact").
    pub window: Option<Impact<'g>>,
    /// With a window and changed nodes: when each node down in the window is back, the
    /// changed ones at the window's end, the others after their `restore` once what they
    /// need is back (docs/semantics.md, "recover", no crew limit, the inventory's targets).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recovery: Option<super::RecoveryPlan>,
    /// The assessment level.
    pub level: Level,
    /// Agencies to notify, sorted (nodes without an agency last).
    pub notify: Vec<AgencyNotices>,
    /// Policy findings naming a changed node or link.
    pub findings: Vec<Finding>,
    /// The changed nodes' loads on a normal day and their headroom, when the inventory
    /// declares capacities (docs/semantics.md, "surge").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadSection>,
}

/// The load of the nodes a change touches, on a normal day (nothing failed, no surge).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LoadSection {
    /// The changed nodes and the ends of changed links, in the scope's order.
    pub nodes: Vec<NodeLoad>,
    /// Why loads are not defined (a load loop), if so; `nodes` is then empty.
    #[serde(rename = "loop", skip_serializing_if = "Option::is_none")]
    pub load_loop: Option<String>,
}

/// One node's normal load and headroom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeLoad {
    /// Node id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Requests per second on a normal day, its own users' and those its consumers send.
    pub load: f64,
    /// What it can serve; null when not declared.
    pub capacity: Option<f64>,
    /// `load / capacity`.
    pub utilization: Option<f64>,
    /// `capacity / load`: how many times today's load fits; null without a capacity or a
    /// load.
    pub headroom: Option<f64>,
}

/// The load section of an assessment, when the inventory declares a capacity.
fn load_section(graph: &Graph, ids: &[&str]) -> Option<LoadSection> {
    if !graph.inventory().nodes.iter().any(|n| n.capacity.is_some()) {
        return None;
    }
    let load = match surge::baseline(graph) {
        Ok(load) => load,
        Err(l) => {
            return Some(LoadSection {
                nodes: Vec::new(),
                load_loop: Some(l.to_string()),
            });
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    let mut nodes = Vec::new();
    for &id in ids {
        let Some(v) = graph.node_ix(id) else {
            continue;
        };
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let n = graph.node(v);
        let l = load[v.index()];
        nodes.push(NodeLoad {
            id: n.id.to_string(),
            name: n.name.to_string(),
            load: l,
            capacity: n.capacity,
            utilization: n.capacity.map(|c| l / c),
            headroom: n.capacity.filter(|_| l > 0.0).map(|c| c / l),
        });
    }
    Some(LoadSection {
        nodes,
        load_loop: None,
    })
}

/// Assesses a change.
pub fn assess<'g>(graph: &'g Graph, opts: &AssessOptions) -> Result<Assessment<'g>, ScenarioError> {
    let change = graph.change(&opts.change)?;
    let window = match opts.window_hours {
        Some(h) => Some(graph.impact(&Scenario {
            failed: change.changed.clone(),
            failed_links: change.changed_links.clone(),
            horizon_hours: Some(h),
        })?),
        None => None,
    };
    let recovery = match opts.window_hours {
        Some(h) if !change.changed.is_empty() => Some(super::recover_with(
            graph,
            &Scenario {
                failed: change.changed.clone(),
                failed_links: Vec::new(),
                horizon_hours: Some(h),
            },
            &super::RecoverOptions {
                crews: None,
                targets: super::targets_of(graph.inventory()),
                seed_back: Graph::horizon_secs(Some(h))?,
            },
        )?),
        _ => None,
    };
    let changed_nodes: Vec<ChangedNode> = change
        .changed
        .iter()
        .filter_map(|id| changed_node(graph, id))
        .collect();
    let changed_links: Vec<ChangedLink> = change
        .changed_links
        .iter()
        .filter_map(|id| {
            let l = graph.link(graph.link_ix(id)?);
            Some(ChangedLink {
                id: l.id.to_string(),
                consumer: changed_node(graph, &l.consumer)?,
                provider: changed_node(graph, &l.provider)?,
                terms: format!(
                    "{}, tolerance {}, {}",
                    l.mode,
                    format_duration(l.tolerance_secs),
                    l.effect
                ),
                at: l.origin.to_string(),
                location: Written::of(&l.origin),
            })
        })
        .collect();

    // Grades of everything the change touches: the changed nodes, the ends of changed
    // links and every consumer reached.
    let mut graded: Vec<(Grade, &str)> = Vec::new();
    graded.extend(
        changed_nodes
            .iter()
            .filter_map(|n| Some((n.grade?, n.id.as_str()))),
    );
    for l in &changed_links {
        for n in [&l.consumer, &l.provider] {
            graded.extend(n.grade.map(|g| (g, n.id.as_str())));
        }
    }
    graded.extend(
        change
            .affected
            .iter()
            .filter_map(|r| Some((r.grade?, r.id))),
    );
    let most_critical_grade = graded.iter().map(|(g, _)| *g).min();
    let mut most_critical_nodes: Vec<String> = graded
        .iter()
        .filter(|(g, _)| Some(*g) == most_critical_grade)
        .map(|(_, id)| (*id).to_owned())
        .collect();
    most_critical_nodes.sort();
    most_critical_nodes.dedup();
    let requirements = opts
        .levels
        .iter()
        .filter(|r| most_critical_grade.is_some_and(|g| g <= r.grade))
        .cloned()
        .collect();

    let mut by_agency: BTreeMap<Option<String>, Vec<Notice>> = BTreeMap::new();
    for r in &change.affected {
        by_agency
            .entry(r.agency.map(str::to_owned))
            .or_default()
            .push(Notice {
                id: r.id.to_owned(),
                name: r.name.to_owned(),
                grade: r.grade,
                depth: r.depth,
            });
    }
    // Named agencies in order, then the nodes nobody owns (`None` sorts first otherwise).
    let mut notify: Vec<AgencyNotices> = by_agency
        .into_iter()
        .map(|(agency, nodes)| AgencyNotices { agency, nodes })
        .collect();
    notify.sort_by_key(|a| (a.agency.is_none(), a.agency.clone()));

    let mut scope: Vec<&str> = changed_nodes.iter().map(|n| n.id.as_str()).collect();
    for l in &changed_links {
        scope.extend([l.consumer.id.as_str(), l.provider.id.as_str()]);
    }
    let load = load_section(graph, &scope);

    let findings = policy::check_touching(graph, &change.changed, &change.changed_links);
    Ok(Assessment {
        changed_nodes,
        changed_links,
        change,
        window_hours: opts.window_hours,
        window,
        recovery,
        level: Level {
            most_critical_grade,
            most_critical_nodes,
            requirements,
        },
        notify,
        findings,
        load,
    })
}

fn changed_node(graph: &Graph, id: &str) -> Option<ChangedNode> {
    let n = graph.node(graph.node_ix(id)?);
    Some(ChangedNode {
        id: n.id.to_string(),
        name: n.name.to_string(),
        kind: n.kind.to_string(),
        grade: n.grade,
        agency: n.agency.as_deref().map(str::to_owned),
        at: n.origin.to_string(),
        location: Written::of(&n.origin),
    })
}

impl std::str::FromStr for LevelRule {
    type Err = String;

    /// `GRADE=REQUIREMENT`, for example `1=independent review`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (g, req) = s.split_once('=').ok_or_else(|| {
            format!("`{s}`: expected GRADE=REQUIREMENT, such as `1=independent review`")
        })?;
        let grade = g
            .trim()
            .parse()
            .ok()
            .and_then(Grade::new)
            .ok_or_else(|| format!("`{}`: expected a grade from 1 to 4", g.trim()))?;
        let requirement = req.trim();
        if requirement.is_empty() {
            return Err(format!("`{s}`: the requirement is empty"));
        }
        Ok(LevelRule {
            grade,
            requirement: requirement.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::LevelRule;
    use crate::grade::Grade;

    #[test]
    fn level_rules_parse() {
        let r: LevelRule = "2= load test ".parse().unwrap();
        assert_eq!((r.grade, r.requirement.as_str()), (Grade::G2, "load test"));
        assert!("5=x".parse::<LevelRule>().is_err());
        assert!("1".parse::<LevelRule>().is_err());
        assert!("1=".parse::<LevelRule>().is_err());
    }
}
