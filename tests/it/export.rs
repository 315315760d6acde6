//! `convert --to graphml` and `convert --to neo4j`: the exports for graph engines, parsed
//! back and counted against the inventory.

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;

use crate::support::{ripplemap, root};

/// The GraphML document as data: declared keys, nodes with their data, edges with theirs.
struct GraphMl {
    keys: HashMap<String, (String, String, String)>,
    nodes: Vec<(String, HashMap<String, String>)>,
    edges: Vec<(String, String, HashMap<String, String>)>,
    graph_data: HashMap<String, String>,
}

fn parse_graphml(text: &str) -> GraphMl {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut doc = GraphMl {
        keys: HashMap::new(),
        nodes: Vec::new(),
        edges: Vec::new(),
        graph_data: HashMap::new(),
    };
    let attr = |e: &quick_xml::events::BytesStart, name: &str| -> String {
        e.try_get_attribute(name)
            .unwrap()
            .unwrap_or_else(|| panic!("attribute {name}"))
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .unwrap()
            .into_owned()
    };
    let mut stack: Vec<String> = Vec::new();
    let mut key: Option<String> = None;
    loop {
        match reader.read_event().expect("well-formed XML") {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.name().as_ref().to_owned();
                match name.as_str() {
                    "node" => doc.nodes.push((attr(&e, "id"), HashMap::new())),
                    "edge" => {
                        doc.edges
                            .push((attr(&e, "source"), attr(&e, "target"), HashMap::new()))
                    }
                    "data" => key = Some(attr(&e, "key")),
                    _ => {}
                }
                stack.push(name);
            }
            Event::Empty(e) if e.name().as_ref() == "key" => {
                doc.keys.insert(
                    attr(&e, "id"),
                    (
                        attr(&e, "for"),
                        attr(&e, "attr.name"),
                        attr(&e, "attr.type"),
                    ),
                );
            }
            Event::Text(t) => {
                if let Some(k) = &key {
                    let value = t.xml10_content().into_owned();
                    let value = quick_xml::escape::unescape(&value).unwrap().into_owned();
                    let parent = stack.iter().rev().nth(1).map(String::as_str);
                    let map = match parent {
                        Some("node") => &mut doc.nodes.last_mut().unwrap().1,
                        Some("edge") => &mut doc.edges.last_mut().unwrap().2,
                        Some("graph") => &mut doc.graph_data,
                        p => panic!("data in {p:?}"),
                    };
                    map.entry(k.clone()).or_default().push_str(&value);
                }
            }
            Event::GeneralRef(r) => {
                // Entities (&amp; …) arrive apart from the text around them.
                if let Some(k) = &key {
                    let name: &str = &r;
                    let value = quick_xml::escape::unescape(&format!("&{name};"))
                        .unwrap()
                        .into_owned();
                    let parent = stack.iter().rev().nth(1).map(String::as_str);
                    let map = match parent {
                        Some("node") => &mut doc.nodes.last_mut().unwrap().1,
                        Some("edge") => &mut doc.edges.last_mut().unwrap().2,
                        _ => &mut doc.graph_data,
                    };
                    map.entry(k.clone()).or_default().push_str(&value);
                }
            }
            Event::End(_) => {
                let closed = stack.pop();
                key = key.filter(|_| closed.as_deref() != Some("data"));
            }
            _ => {}
        }
    }
    doc
}

#[test]
fn graphml_is_well_formed_and_holds_every_node_link_and_field() {
    for inventory in [
        "inventories/korea-egov.toml",
        "tests/fixtures/render/hostile.toml",
    ] {
        let inv = ripplemap::load(&root().join(inventory)).unwrap();
        let text = ripplemap()
            .args(["convert", inventory, "--to", "graphml", "-o", "-"])
            .ok();
        let doc = parse_graphml(&text);
        assert_eq!(doc.nodes.len(), inv.nodes.len(), "{inventory}");
        assert_eq!(doc.edges.len(), inv.links.len(), "{inventory}");
        let ids: HashSet<&str> = doc.nodes.iter().map(|n| n.0.as_str()).collect();
        assert_eq!(ids.len(), inv.nodes.len(), "node ids are unique");
        for (source, target, _) in &doc.edges {
            assert!(ids.contains(source.as_str()) && ids.contains(target.as_str()));
        }
        for (_, data) in &doc.nodes {
            for k in data.keys() {
                assert_eq!(doc.keys[k].0, "node", "{k}");
            }
        }
        // Every field, read back as written (names with markup and Hangul included).
        for (n, (id, data)) in inv.nodes.iter().zip(&doc.nodes) {
            assert_eq!(*id, n.id.as_str());
            assert_eq!(data["n_name"], n.name.as_str());
            assert_eq!(data["n_kind"], n.kind.as_str());
            assert_eq!(
                data.get("n_agency").map(String::as_str),
                n.agency.as_deref()
            );
            assert_eq!(
                data.get("n_grade").cloned(),
                n.grade.map(|g| g.get().to_string())
            );
            assert_eq!(
                data.get("n_tags").cloned().unwrap_or_default(),
                n.tags.join(";")
            );
        }
        for (l, (source, target, data)) in inv.links.iter().zip(&doc.edges) {
            assert_eq!(
                (source.as_str(), target.as_str()),
                (&*l.consumer, &*l.provider)
            );
            assert_eq!(data["e_id"], l.id.as_str());
            assert_eq!(data["e_tolerance_secs"], l.tolerance_secs.to_string());
            assert_eq!(data["e_effect"], l.effect.as_str());
            assert_eq!(data.get("e_group").map(String::as_str), l.group.as_deref());
            assert_eq!(data.get("e_data").map(String::as_str), l.data.as_deref());
            assert_eq!(data["e_from_sites"], l.from_sites.to_string());
        }
        if !inv.policy.is_empty() {
            assert!(doc.graph_data.contains_key("g_policy"));
        }
    }
}

#[test]
fn graphml_reads_in_networkx_when_it_is_installed() {
    let file = tempfile::NamedTempFile::with_suffix(".graphml").unwrap();
    ripplemap()
        .args([
            "convert",
            "inventories/korea-egov.toml",
            "--to",
            "graphml",
            "-o",
        ])
        .arg(file.path())
        .ok();
    let inv = ripplemap::load(&root().join("inventories/korea-egov.toml")).unwrap();
    let script = "import sys, networkx as nx\n\
                  g = nx.read_graphml(sys.argv[1])\n\
                  print(g.number_of_nodes(), g.number_of_edges(), g.is_directed(), g.nodes['gpki']['name'], g.nodes['gpki']['grade'])";
    // Skipped without python3 and networkx, unless CI requires its tools (it installs
    // both).
    let required = std::env::var_os("RIPPLEMAP_REQUIRE_TOOLS").is_some();
    let Ok(out) = std::process::Command::new("python3")
        .args(["-c", script])
        .arg(file.path())
        .output()
    else {
        assert!(
            !required,
            "python3 is missing but RIPPLEMAP_REQUIRE_TOOLS is set"
        );
        return;
    };
    if String::from_utf8_lossy(&out.stderr).contains("No module named") {
        assert!(
            !required,
            "networkx is missing but RIPPLEMAP_REQUIRE_TOOLS is set"
        );
        eprintln!("networkx is not installed: skipped");
        return;
    }
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let gpki = inv.node("gpki").unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        format!(
            "{} {} True {} {}",
            inv.nodes.len(),
            inv.links.len(),
            gpki.name,
            gpki.grade.unwrap().get()
        )
    );
}

#[test]
fn neo4j_export_has_import_headers_and_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("neo4j");
    ripplemap()
        .args(["convert", "inventories/korea-egov", "--to", "neo4j", "-o"])
        .arg(&out)
        .ok();
    let inv = ripplemap::load(&root().join("inventories/korea-egov")).unwrap();
    let read = |name: &str| {
        let mut r = csv::Reader::from_path(out.join(name)).unwrap();
        let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
            .collect();
        (header, rows)
    };
    let (nh, nodes) = read("nodes.csv");
    assert_eq!(nh[0], "id:ID");
    assert_eq!(nh.last().unwrap(), ":LABEL");
    assert_eq!(nodes.len(), inv.nodes.len());
    let (rh, rels) = read("relationships.csv");
    assert_eq!(&rh[..3], [":START_ID", ":END_ID", ":TYPE"]);
    assert_eq!(rels.len(), inv.links.len());
    let ids: HashSet<&str> = nodes.iter().map(|r| r[0].as_str()).collect();
    for (r, l) in rels.iter().zip(&inv.links) {
        assert!(ids.contains(r[0].as_str()) && ids.contains(r[1].as_str()));
        assert_eq!(
            (r[0].as_str(), r[1].as_str(), r[2].as_str()),
            (&*l.consumer, &*l.provider, "DEPENDS_ON")
        );
        assert_eq!(r[3], l.id.as_str());
    }
    // Every column is typed the way neo4j-admin reads it.
    for h in nh.iter().chain(&rh) {
        if let Some((_, ty)) = h.split_once(':') {
            assert!(
                [
                    "ID", "LABEL", "START_ID", "END_ID", "TYPE", "int", "long", "double",
                    "boolean", "string[]"
                ]
                .contains(&ty),
                "{h}"
            );
        }
    }
    // `must`: whether losing the link alone downs its consumer.
    let must = rh.iter().position(|h| h == "must:boolean").unwrap();
    assert!(rels.iter().all(|r| r[must] == "true" || r[must] == "false"));
    let cypher = std::fs::read_to_string(out.join("queries.cypher")).unwrap();
    assert!(cypher.contains("DEPENDS_ON*1.."));
    assert!(out.join("import.sh").is_file());
    // Writing again replaces the export; a directory holding other files is refused.
    ripplemap()
        .args(["convert", "inventories/korea-egov", "--to", "neo4j", "-o"])
        .arg(&out)
        .ok();
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    ripplemap()
        .args(["convert", "inventories/korea-egov", "--to", "neo4j", "-o"])
        .arg(&out)
        .usage_error();
}
