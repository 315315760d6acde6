//! Writing an inventory back out in any of its three forms (lossless: it loads to the same model).

use crate::grade::Grade;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::diag::{Diagnostic, echo};
use super::model::{Inventory, Link, Node, NodeKind, Origin, Text, format_duration};

#[derive(Serialize)]
struct NodeOut<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<Grade>,
    #[serde(skip_serializing_if = "<[Text]>::is_empty")]
    sites: &'a [Text],
    #[serde(skip_serializing_if = "<[Text]>::is_empty")]
    tags: &'a [Text],
}

#[derive(Serialize)]
struct LinkOut<'a> {
    id: &'a str,
    consumer: &'a str,
    provider: &'a str,
    kind: &'static str,
    mode: &'static str,
    tolerance: String,
    effect: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    method: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a str>,
}

#[derive(Serialize)]
struct GroupOut<'a> {
    consumer: &'a str,
    group: &'a str,
    min: u32,
}

#[derive(Serialize)]
struct Doc<'a> {
    site: Vec<NodeOut<'a>>,
    system: Vec<NodeOut<'a>>,
    link: Vec<LinkOut<'a>>,
    group: Vec<GroupOut<'a>>,
    /// Rule id -> severity; written only when the inventory sets any.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    policy: std::collections::BTreeMap<&'a str, &'static str>,
}

fn node_out(n: &Node, with_kind: bool) -> NodeOut<'_> {
    NodeOut {
        id: &n.id,
        name: (n.name != n.id).then_some(n.name.as_str()),
        kind: (with_kind && n.kind != NodeKind::System).then_some(n.kind.as_str()),
        agency: n.agency.as_deref(),
        grade: n.grade,
        sites: &n.sites,
        tags: &n.tags,
    }
}

fn link_out(l: &Link) -> LinkOut<'_> {
    LinkOut {
        id: &l.id,
        consumer: &l.consumer,
        provider: &l.provider,
        kind: l.kind.as_str(),
        mode: l.mode.as_str(),
        tolerance: format_duration(l.tolerance_secs),
        effect: l.effect.as_str(),
        group: l.group.as_deref(),
        method: l.method.as_deref(),
        data: l.data.as_deref(),
    }
}

fn doc(inv: &Inventory) -> Doc<'_> {
    Doc {
        site: inv
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Site)
            .map(|n| node_out(n, false))
            .collect(),
        system: inv
            .nodes
            .iter()
            .filter(|n| n.kind != NodeKind::Site)
            .map(|n| node_out(n, true))
            .collect(),
        // Links and groups implied by `sites` are written as the shorthand, not twice.
        link: inv
            .links
            .iter()
            .filter(|l| !l.from_sites)
            .map(link_out)
            .collect(),
        group: inv
            .groups
            .iter()
            .filter(|g| !g.from_sites)
            .map(|g| GroupOut {
                consumer: &g.consumer,
                group: &g.group,
                min: g.min,
            })
            .collect(),
        policy: inv
            .policy
            .iter()
            .map(|p| (p.rule.as_str(), p.severity.as_str()))
            .collect(),
    }
}

/// The inventory as TOML (`[[site]]`, `[[system]]`, `[[link]]`, `[[group]]`).
pub fn write_toml(inv: &Inventory) -> Result<String, toml::ser::Error> {
    toml::to_string(&doc(inv))
}

/// The inventory as JSON, the same structure as the TOML.
pub fn write_json(inv: &Inventory) -> String {
    // Serializing plain structs of strings and integers into a String cannot fail.
    serde_json::to_string_pretty(&doc(inv)).unwrap_or_default() + "\n"
}

/// Why an inventory could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Values that the form would read back changed (see [`csv_losses`]); nothing was
    /// written.
    #[error("{} value(s) would change in CSV: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Lossy(Vec<Diagnostic>),
    /// The file system refused.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The values of `inv` that a CSV directory cannot hold, one diagnostic each (at the line
/// of the item that holds it): the CSV reader trims every cell, reads an empty cell as no
/// value, and splits a list cell at each `;`. TOML and JSON keep them all.
pub fn csv_losses(inv: &Inventory) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |origin: &Origin, subject: &dyn Fn() -> String, field: &str, value: &str| {
        if let Some(why) = csv_change(value, field == "tags") {
            out.push(lossy(origin, subject(), field, value, why));
        }
    };
    for n in &inv.nodes {
        let subject = || format!("{} `{}`", n.kind, echo(&n.id));
        if n.name != n.id {
            check(&n.origin, &subject, "name", &n.name);
        }
        if let Some(agency) = &n.agency {
            check(&n.origin, &subject, "agency", agency);
        }
    }
    for l in inv.links.iter().filter(|l| !l.from_sites) {
        let subject = || format!("link `{}`", echo(&l.id));
        check(&l.origin, &subject, "id", &l.id);
        for (field, value) in [
            ("group", &l.group),
            ("method", &l.method),
            ("data", &l.data),
        ] {
            if let Some(value) = value {
                check(&l.origin, &subject, field, value);
            }
        }
    }
    for g in inv.groups.iter().filter(|g| !g.from_sites) {
        let subject = || format!("group `{}` of `{}`", echo(&g.group), echo(&g.consumer));
        check(&g.origin, &subject, "group", &g.group);
    }
    // List entries: node ids in `sites` are safe by their pattern; free-text tags are not.
    for n in &inv.nodes {
        let subject = || format!("{} `{}`", n.kind, echo(&n.id));
        for tag in &n.tags {
            check(&n.origin, &subject, "tags", tag);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

/// Why CSV would read `value` back changed, if it would: as a cell, or as an `entry` of a
/// list cell.
fn csv_change(value: &str, entry: bool) -> Option<&'static str> {
    Some(match (entry, value) {
        (true, v) if v.contains(';') => "`;` separates the entries of a CSV list cell",
        (true, "") => "an empty entry of a CSV list is dropped",
        (false, "") => "an empty CSV cell reads as no value",
        (true, v) if v.trim_ascii() != v => {
            "a CSV list entry is read without its leading and trailing spaces"
        }
        (false, v) if v.trim_ascii() != v => {
            "a CSV cell is read without its leading and trailing spaces"
        }
        _ => return None,
    })
}

fn lossy(origin: &Origin, subject: String, field: &str, value: &str, why: &str) -> Diagnostic {
    Diagnostic::new(
        &origin.file,
        origin.line,
        format!(
            "`{field}` \"{}\" cannot be written to CSV as it is: {why}",
            echo(value)
        ),
    )
    .subject(subject)
    .field(field)
    .expected("a value CSV reads back unchanged")
    .help("keep this inventory in TOML or JSON, or change the value")
}

/// Writes the inventory as a CSV directory: `systems.csv`, `links.csv`, `groups.csv`.
/// Refuses, before writing anything, an inventory with values that CSV would change
/// ([`csv_losses`]).
pub fn write_csv_dir(inv: &Inventory, dir: &Path) -> Result<(), WriteError> {
    let losses = csv_losses(inv);
    if !losses.is_empty() {
        return Err(WriteError::Lossy(losses));
    }
    Ok(write_csv_files(inv, dir)?)
}

fn write_csv_files(inv: &Inventory, dir: &Path) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut w = csv::Writer::from_path(dir.join("systems.csv"))?;
    w.write_record(["id", "name", "kind", "agency", "grade", "sites", "tags"])?;
    let mut nodes: Vec<&Node> = inv.nodes.iter().collect();
    // Sites first, as a reader of the spreadsheet expects them.
    nodes.sort_by_key(|n| (n.kind != NodeKind::Site, n.id.as_str()));
    for n in nodes {
        let grade = n.grade.map(|g| g.to_string()).unwrap_or_default();
        w.write_record([
            n.id.as_str(),
            if n.name == n.id { "" } else { &n.name },
            n.kind.as_str(),
            n.agency.as_deref().unwrap_or(""),
            &grade,
            &n.sites.join(";"),
            &n.tags.join(";"),
        ])?;
    }
    w.flush()?;
    let mut w = csv::Writer::from_path(dir.join("links.csv"))?;
    w.write_record([
        "id",
        "consumer",
        "provider",
        "kind",
        "mode",
        "tolerance",
        "effect",
        "group",
        "method",
        "data",
    ])?;
    for l in inv.links.iter().filter(|l| !l.from_sites) {
        w.write_record([
            l.id.as_str(),
            &l.consumer,
            &l.provider,
            l.kind.as_str(),
            l.mode.as_str(),
            &format_duration(l.tolerance_secs),
            l.effect.as_str(),
            l.group.as_deref().unwrap_or(""),
            l.method.as_deref().unwrap_or(""),
            l.data.as_deref().unwrap_or(""),
        ])?;
    }
    w.flush()?;
    let mut w = csv::Writer::from_path(dir.join("groups.csv"))?;
    w.write_record(["consumer", "group", "min"])?;
    for g in inv.groups.iter().filter(|g| !g.from_sites) {
        w.write_record([g.consumer.as_str(), &g.group, &g.min.to_string()])?;
    }
    w.flush()?;
    // Written only when the inventory sets a policy, so that a directory converted from an
    // inventory without one keeps its three usual files.
    if !inv.policy.is_empty() {
        let mut w = csv::Writer::from_path(dir.join("policy.csv"))?;
        w.write_record(["rule", "severity"])?;
        for p in &inv.policy {
            w.write_record([p.rule.as_str(), p.severity.as_str()])?;
        }
        w.flush()?;
    } else if dir.join("policy.csv").is_file() {
        // A stale policy from an earlier conversion would load with this inventory.
        std::fs::remove_file(dir.join("policy.csv"))?;
    }
    Ok(())
}
