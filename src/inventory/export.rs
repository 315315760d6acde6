//! Exports for graph engines: GraphML (networkx, Gephi, yEd, igraph) and the CSV files of
//! `neo4j-admin database import` with the Cypher that asks Neo4j what `change` and `rank`
//! answer. One way: these forms are not read back.
//!
//! In both, an edge goes from the consumer to the provider (`DEPENDS_ON`), one per link,
//! hosting links expanded from `sites` included (`from_sites` tells them apart); every
//! field of nodes and links is an attribute, and each link carries its group's `min` and
//! size and whether losing it alone downs its consumer (`must`), so that a query needs no
//! separate group table.

use std::io::{self, Write};

use super::model::{Effect, Inventory, Link, Node, format_duration};
use crate::hash::FastMap;

/// The redundancy of each link: its group's `min`, its group's size, and whether losing
/// it alone takes its consumer down.
struct Redundancy {
    min: u32,
    size: u32,
    must: bool,
}

fn redundancy(inv: &Inventory) -> Vec<Redundancy> {
    let mut sizes: FastMap<(&str, &str), u32> = FastMap::default();
    for l in &inv.links {
        if let Some(g) = &l.group {
            *sizes.entry((&l.consumer, g)).or_insert(0) += 1;
        }
    }
    let mins: FastMap<(&str, &str), u32> = inv
        .groups
        .iter()
        .map(|g| ((g.consumer.as_str(), g.group.as_str()), g.min))
        .collect();
    inv.links
        .iter()
        .map(|l| {
            let (min, size) = match &l.group {
                Some(g) => {
                    let key = (l.consumer.as_str(), g.as_str());
                    let size = sizes.get(&key).copied().unwrap_or(1);
                    (mins.get(&key).copied().unwrap_or(1).clamp(1, size), size)
                }
                None => (1, 1),
            };
            Redundancy {
                min,
                size,
                must: l.effect == Effect::Down && min == size,
            }
        })
        .collect()
}

/// Text for XML content and attribute values: markup characters as entities; characters
/// XML 1.0 cannot hold at all (C0 controls other than tab and line breaks, U+FFFE, U+FFFF)
/// as U+FFFD.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A GraphML attribute: its id, the element it is for, its name and its type.
struct Key {
    id: &'static str,
    of: &'static str,
    ty: &'static str,
}

const KEYS: &[Key] = &[
    Key {
        id: "name",
        of: "node",
        ty: "string",
    },
    Key {
        id: "kind",
        of: "node",
        ty: "string",
    },
    Key {
        id: "agency",
        of: "node",
        ty: "string",
    },
    Key {
        id: "grade",
        of: "node",
        ty: "int",
    },
    Key {
        id: "sites",
        of: "node",
        ty: "string",
    },
    Key {
        id: "tags",
        of: "node",
        ty: "string",
    },
    Key {
        id: "restore_secs",
        of: "node",
        ty: "long",
    },
    Key {
        id: "load",
        of: "node",
        ty: "double",
    },
    Key {
        id: "capacity",
        of: "node",
        ty: "double",
    },
    Key {
        id: "id",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "kind",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "mode",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "tolerance_secs",
        of: "edge",
        ty: "long",
    },
    Key {
        id: "tolerance",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "effect",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "group",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "group_min",
        of: "edge",
        ty: "int",
    },
    Key {
        id: "group_size",
        of: "edge",
        ty: "int",
    },
    Key {
        id: "must",
        of: "edge",
        ty: "boolean",
    },
    Key {
        id: "method",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "data",
        of: "edge",
        ty: "string",
    },
    Key {
        id: "calls",
        of: "edge",
        ty: "double",
    },
    Key {
        id: "from_sites",
        of: "edge",
        ty: "boolean",
    },
    Key {
        id: "policy",
        of: "graph",
        ty: "string",
    },
];

/// Writes the inventory as one directed GraphML graph: a node per node (`id` is the node
/// id), an edge per link from consumer to provider (`id` attribute: the link id). Lists
/// (`sites`, `tags`) are joined with `;`; the policy settings are the graph's `policy`
/// (`rule=severity;…`). Attribute ids are prefixed by their element (`n_name`, `e_kind`).
pub fn write_graphml(inv: &Inventory, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    for k in KEYS {
        writeln!(
            w,
            r#"  <key id="{}_{}" for="{}" attr.name="{}" attr.type="{}"/>"#,
            &k.of[..1],
            k.id,
            k.of,
            k.id,
            k.ty
        )?;
    }
    writeln!(w, r#"  <graph id="inventory" edgedefault="directed">"#)?;
    if !inv.policy.is_empty() {
        let policy: Vec<String> = inv
            .policy
            .iter()
            .map(|p| format!("{}={}", p.rule, p.severity))
            .collect();
        writeln!(
            w,
            r#"    <data key="g_policy">{}</data>"#,
            xml(&policy.join(";"))
        )?;
    }
    for n in &inv.nodes {
        graphml_node(n, w)?;
    }
    for (l, r) in inv.links.iter().zip(redundancy(inv)) {
        graphml_edge(l, &r, w)?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")
}

fn data(w: &mut dyn Write, key: &str, value: &str) -> io::Result<()> {
    writeln!(w, r#"      <data key="{key}">{}</data>"#, xml(value))
}

fn graphml_node(n: &Node, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, r#"    <node id="{}">"#, xml(&n.id))?;
    data(w, "n_name", &n.name)?;
    data(w, "n_kind", n.kind.as_str())?;
    if let Some(a) = &n.agency {
        data(w, "n_agency", a)?;
    }
    if let Some(g) = n.grade {
        data(w, "n_grade", &g.get().to_string())?;
    }
    if !n.sites.is_empty() {
        data(w, "n_sites", &n.sites.join(";"))?;
    }
    if !n.tags.is_empty() {
        data(w, "n_tags", &n.tags.join(";"))?;
    }
    data(w, "n_restore_secs", &n.restore_secs.to_string())?;
    data(w, "n_load", &n.load.to_string())?;
    if let Some(c) = n.capacity {
        data(w, "n_capacity", &c.to_string())?;
    }
    writeln!(w, "    </node>")
}

fn graphml_edge(l: &Link, r: &Redundancy, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        r#"    <edge source="{}" target="{}">"#,
        xml(&l.consumer),
        xml(&l.provider)
    )?;
    data(w, "e_id", &l.id)?;
    data(w, "e_kind", l.kind.as_str())?;
    data(w, "e_mode", l.mode.as_str())?;
    data(w, "e_tolerance_secs", &l.tolerance_secs.to_string())?;
    data(w, "e_tolerance", &format_duration(l.tolerance_secs))?;
    data(w, "e_effect", l.effect.as_str())?;
    if let Some(g) = &l.group {
        data(w, "e_group", g)?;
    }
    data(w, "e_group_min", &r.min.to_string())?;
    data(w, "e_group_size", &r.size.to_string())?;
    data(w, "e_must", if r.must { "true" } else { "false" })?;
    if let Some(m) = &l.method {
        data(w, "e_method", m)?;
    }
    if let Some(d) = &l.data {
        data(w, "e_data", d)?;
    }
    data(w, "e_calls", &l.calls().to_string())?;
    data(
        w,
        "e_from_sites",
        if l.from_sites { "true" } else { "false" },
    )?;
    writeln!(w, "    </edge>")
}

/// The files `neo4j-admin database import` reads, and the queries, in an export directory.
pub const NEO4J_FILES: [&str; 4] = [
    "nodes.csv",
    "relationships.csv",
    "queries.cypher",
    "import.sh",
];

/// The header of `nodes.csv`.
const NODE_HEADER: &[&str] = &[
    "id:ID",
    "name",
    "kind",
    "agency",
    "grade:int",
    "sites:string[]",
    "tags:string[]",
    "restore_secs:long",
    "load:double",
    "capacity:double",
    ":LABEL",
];

/// The header of `relationships.csv`.
const REL_HEADER: &[&str] = &[
    ":START_ID",
    ":END_ID",
    ":TYPE",
    "id",
    "kind",
    "mode",
    "tolerance_secs:long",
    "tolerance",
    "effect",
    "group",
    "group_min:int",
    "group_size:int",
    "must:boolean",
    "method",
    "data",
    "calls:double",
    "from_sites:boolean",
];

/// Writes `nodes.csv` for `neo4j-admin database import`: one row per node, labelled
/// `Node` and its kind (`Node;System`, `Node;Site` …); lists are `;`-separated arrays.
pub fn write_neo4j_nodes(inv: &Inventory, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(NODE_HEADER)?;
    for n in &inv.nodes {
        let kind = n.kind.as_str();
        let label = format!("Node;{}{}", kind[..1].to_ascii_uppercase(), &kind[1..]);
        out.write_record([
            n.id.as_str(),
            &n.name,
            kind,
            n.agency.as_deref().unwrap_or_default(),
            &n.grade.map(|g| g.get().to_string()).unwrap_or_default(),
            &n.sites.join(";"),
            &n.tags.join(";"),
            &n.restore_secs.to_string(),
            &n.load.to_string(),
            &n.capacity.map(|c| c.to_string()).unwrap_or_default(),
            &label,
        ])?;
    }
    out.flush()
}

/// Writes `relationships.csv`: one `DEPENDS_ON` relationship per link, from its consumer
/// to its provider.
pub fn write_neo4j_relationships(inv: &Inventory, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(REL_HEADER)?;
    let bool_text = |b: bool| if b { "true" } else { "false" };
    for (l, r) in inv.links.iter().zip(redundancy(inv)) {
        out.write_record([
            l.consumer.as_str(),
            &l.provider,
            "DEPENDS_ON",
            &l.id,
            l.kind.as_str(),
            l.mode.as_str(),
            &l.tolerance_secs.to_string(),
            &format_duration(l.tolerance_secs),
            l.effect.as_str(),
            l.group.as_deref().unwrap_or_default(),
            &r.min.to_string(),
            &r.size.to_string(),
            bool_text(r.must),
            l.method.as_deref().unwrap_or_default(),
            l.data.as_deref().unwrap_or_default(),
            &l.calls().to_string(),
            bool_text(l.from_sites),
        ])?;
    }
    out.flush()
}

/// The import command for the files, as a shell script run from their directory.
pub const NEO4J_IMPORT: &str = r#"#!/bin/sh
# Imports nodes.csv and relationships.csv into a new Neo4j database (default: neo4j).
# Stop the database first; neo4j-admin must be on the PATH (Neo4j 5).
set -e
cd "$(dirname "$0")"
neo4j-admin database import full "${1:-neo4j}" \
  --overwrite-destination=true \
  --nodes=nodes.csv \
  --relationships=relationships.csv \
  --array-delimiter=';' \
  --multiline-fields=true \
  --ignore-empty-strings=true
# Then, in cypher-shell: the index, and the queries in queries.cypher.
"#;

/// The Cypher that reproduces `change` and a must-link approximation of the single points
/// of failure of `rank`.
pub const NEO4J_QUERIES: &str = r#"// Queries over the graph imported from nodes.csv and relationships.csv.
// (c)-[:DEPENDS_ON]->(p): consumer c depends on provider p.

// 0. Once, after the import: look-ups by id.
CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;

// 1. `ripplemap change INV --system $system`: every node with a dependency path to the
//    changed node, with its depth (shortest path length); depth 1 are the direct
//    consumers, who must be notified and must retest.
//    :param system => 'gpki'
MATCH (s:Node {id: $system})
MATCH (c:Node)-[:DEPENDS_ON*1..]->(s)
WITH DISTINCT c, s WHERE c <> s
MATCH p = shortestPath((c)-[:DEPENDS_ON*1..]->(s))
RETURN c.id AS id, c.name AS name, c.agency AS agency, c.grade AS grade,
       length(p) AS depth, [n IN nodes(p) | n.id] AS path
ORDER BY depth, id;

// 2. `ripplemap change INV --link $link`: the link's consumer and everything that
//    depends on it.
//    :param link => 'saeol-login-gpki'
MATCH (c:Node)-[:DEPENDS_ON {id: $link}]->(:Node)
RETURN c.id AS id, 1 AS depth
UNION
MATCH (c:Node)-[:DEPENDS_ON {id: $link}]->(:Node)
MATCH (d:Node)-[:DEPENDS_ON*1..]->(c)
WITH DISTINCT c, d WHERE d <> c
MATCH p = shortestPath((d)-[:DEPENDS_ON*1..]->(c))
RETURN d.id AS id, length(p) + 1 AS depth;

// 3. Single points of failure along must links (`must`: losing the link alone downs its
//    consumer): nodes whose failure alone takes down a grade 1 system other than
//    themselves through a chain of must links. `ripplemap rank` also counts a group lost
//    because one failure reaches all its members, so its list contains this one.
MATCH (g:Node {grade: 1})-[:DEPENDS_ON*1.. {must: true}]->(s:Node)
WHERE s <> g
RETURN s.id AS id, s.name AS name, count(DISTINCT g) AS grade1_systems_down
ORDER BY grade1_systems_down DESC, id;
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_legal() {
        assert_eq!(xml("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(xml("x\u{1}y\tz"), "x\u{FFFD}y\tz");
    }
}
