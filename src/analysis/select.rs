//! Node selection by field (`--fail-where site=nirs-daejeon`): fail every node that matches.

use crate::graph::Graph;
use crate::inventory::{LinkKind, NodeKind};

/// Why a selection cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SelectError {
    /// Not `FIELD=VALUE`, or an unknown field.
    #[error(
        "invalid selection `{0}`: expected FIELD=VALUE with FIELD one of site, agency, tag, kind"
    )]
    Syntax(String),
    /// A `kind=` value that is not a node kind.
    #[error(
        "invalid kind `{0}` in selection: expected one of system, service, site, network, external"
    )]
    Kind(String),
    /// Nothing matches.
    #[error("no node matches `{0}`")]
    NoMatch(String),
}

/// Ids of the nodes matching any of `clauses` (`site=ID`, `agency=NAME`, `tag=TAG`,
/// `kind=KIND`), sorted. `site=ID` selects the site itself and every node hosted on it.
/// Each clause must match at least one node, so a typo is an error rather than an empty
/// scenario.
pub fn select(graph: &Graph, clauses: &[String]) -> Result<Vec<String>, SelectError> {
    let inv = graph.inventory();
    let mut hit = vec![false; graph.node_count()];
    for clause in clauses {
        let (field, value) = clause
            .split_once('=')
            .ok_or_else(|| SelectError::Syntax(clause.clone()))?;
        let mut matched = false;
        match field.trim() {
            "site" => {
                for (i, n) in inv.nodes.iter().enumerate() {
                    if (n.id == value && n.kind == NodeKind::Site)
                        || n.sites.iter().any(|s| s == value)
                    {
                        hit[i] = true;
                        matched = true;
                    }
                }
                // Hosting written as explicit links, not through `sites`.
                for l in &inv.links {
                    if l.kind == LinkKind::Hosting
                        && l.provider == value
                        && let Some(c) = graph.node_ix(&l.consumer)
                    {
                        hit[c.index()] = true;
                        matched = true;
                    }
                }
            }
            "agency" => {
                for (i, n) in inv.nodes.iter().enumerate() {
                    if n.agency.as_deref() == Some(value) {
                        hit[i] = true;
                        matched = true;
                    }
                }
            }
            "tag" => {
                for (i, n) in inv.nodes.iter().enumerate() {
                    if n.tags.iter().any(|t| t == value) {
                        hit[i] = true;
                        matched = true;
                    }
                }
            }
            "kind" => {
                let kind =
                    NodeKind::parse(value).ok_or_else(|| SelectError::Kind(value.to_owned()))?;
                for (i, n) in inv.nodes.iter().enumerate() {
                    if n.kind == kind {
                        hit[i] = true;
                        matched = true;
                    }
                }
            }
            _ => return Err(SelectError::Syntax(clause.clone())),
        }
        if !matched {
            return Err(SelectError::NoMatch(clause.clone()));
        }
    }
    Ok(inv
        .nodes
        .iter()
        .zip(&hit)
        .filter(|(_, h)| **h)
        .map(|(n, _)| n.id.to_string())
        .collect())
}
