//! Surge (SPEC section 6): hand-computed loads, shares, failures, headroom, paths and
//! loops, through the library.

use std::path::Path;

use ripplemap::Graph;
use ripplemap::analysis::surge::{self, At, Bump, SurgeError, SurgeScenario};
use ripplemap::inventory::{Format, load_str};

fn graph(toml: &str) -> Graph {
    match load_str(toml, Format::Toml, Path::new("test.toml")) {
        Ok(inv) => Graph::new(inv),
        Err(e) => panic!("fixture does not load: {:#?}", e.diagnostics),
    }
}

fn at(spec: &str) -> At {
    spec.parse().unwrap()
}

fn scenario(ats: &[&str], failed: &[&str]) -> SurgeScenario {
    SurgeScenario {
        at: ats.iter().map(|s| at(s)).collect(),
        failed: failed.iter().map(|s| s.to_string()).collect(),
        failed_links: vec![],
    }
}

/// (baseline, load, path) of each listed node, in the listed order.
fn rows(g: &Graph, s: &SurgeScenario) -> Vec<(String, f64, f64, Vec<String>)> {
    let r = surge::surge(g, s).unwrap();
    r.nodes
        .iter()
        .map(|n| {
            (
                n.id.to_owned(),
                n.baseline,
                n.load,
                r.path(n).iter().map(|s| s.to_string()).collect(),
            )
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

const CHAIN: &str = r#"
[[system]]
id = "a"
load = 100
[[system]]
id = "b"
load = 50
capacity = 1000
[[system]]
id = "c"
capacity = 600
[[system]]
id = "d"
load = 10
[[link]]
consumer = "a"
provider = "b"
[[link]]
consumer = "b"
provider = "c"
calls = 0.5
[[link]]
consumer = "d"
provider = "c"
calls = 2
"#;

#[test]
fn loads_add_up_down_the_links() {
    let g = graph(CHAIN);
    let r = surge::surge(&g, &scenario(&["a=x10"], &[])).unwrap();
    let got: Vec<(&str, f64, f64)> = r.nodes.iter().map(|n| (n.id, n.baseline, n.load)).collect();
    // B: a 100, b 50 + 100, c 150 × 0.5 + 10 × 2; with a × 10: a 1000, b 1050, c 525 + 20.
    assert_eq!(
        got,
        vec![
            ("b", 150.0, 1050.0),
            ("c", 95.0, 545.0),
            ("a", 100.0, 1000.0)
        ]
    );
    let b = &r.nodes[0];
    assert!(b.saturated);
    assert_eq!(b.utilization, Some(1.05));
    assert!(!r.nodes[1].saturated);
    assert_eq!(r.nodes[2].capacity, None);
    assert_eq!(r.nodes[2].utilization, None);
    assert_eq!(r.summary.saturated, 1);
    // b: (1000 - 150) / 900, c: (600 - 95) / 450.
    assert!(close(r.summary.headroom.unwrap(), 850.0 / 900.0));
    assert_eq!(r.first, Some("b"));
    let paths: Vec<Vec<&str>> = r.nodes.iter().map(|n| r.path(n).to_vec()).collect();
    assert_eq!(paths, vec![vec!["a", "b"], vec!["a", "b", "c"], vec!["a"]]);
}

#[test]
fn an_added_rate_reaches_nodes_without_load() {
    let g = graph(CHAIN);
    let got = rows(&g, &scenario(&["d=+5"], &[]));
    // d 10 -> 15; c 95 -> 105.
    assert_eq!(
        got,
        vec![
            ("c".into(), 95.0, 105.0, vec!["d".into(), "c".into()]),
            ("d".into(), 10.0, 15.0, vec!["d".into()]),
        ]
    );
}

#[test]
fn a_factor_on_a_node_without_load_adds_nothing() {
    let g = graph(CHAIN);
    let r = surge::surge(&g, &scenario(&["c=x10"], &[])).unwrap();
    assert!(r.nodes.is_empty());
    assert_eq!(r.summary.headroom, None);
    assert_eq!(r.summary.saturated, 0);
}

const ALTERNATIVES: &str = r#"
[[system]]
id = "x"
load = 90
[[system]]
id = "p1"
capacity = 100
[[system]]
id = "p2"
capacity = 100
[[system]]
id = "p3"
capacity = 100
[[link]]
consumer = "x"
provider = "p1"
group = "g"
[[link]]
consumer = "x"
provider = "p2"
group = "g"
[[link]]
consumer = "x"
provider = "p3"
group = "g"
[[group]]
consumer = "x"
group = "g"
min = 2
"#;

#[test]
fn alternatives_share_and_survivors_take_over() {
    let g = graph(ALTERNATIVES);
    // 2 of 3: each member carries 2/3 of x's load.
    let got = rows(&g, &scenario(&["x=x2"], &[]));
    for (id, b, l, _) in got.iter().filter(|r| r.0 != "x") {
        assert!(close(*b, 60.0), "{id} {b}");
        assert!(close(*l, 120.0), "{id} {l}");
    }
    // p3 down: m = 2, min(2, 2) / 2 = 1 — both survivors carry all of x.
    let got = rows(&g, &scenario(&["x=x2"], &["p3"]));
    let ids: Vec<&str> = got.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(ids, vec!["p1", "p2", "x"]);
    assert_eq!((got[0].1, got[0].2), (90.0, 180.0));
    // A failed link counts as a member that cannot serve.
    let mut s = scenario(&["x=x2"], &[]);
    s.failed_links = vec!["x->p3".into()];
    assert_eq!(rows(&g, &s), got);
}

#[test]
fn down_nodes_serve_and_send_nothing() {
    let g = graph(CHAIN);
    // b down: a (needs b) goes down too; c keeps only d's share.
    let r = surge::surge(&g, &scenario(&["a=x10", "d=x2"], &["b"])).unwrap();
    let got: Vec<(&str, f64, f64)> = r.nodes.iter().map(|n| (n.id, n.baseline, n.load)).collect();
    assert_eq!(got, vec![("c", 20.0, 40.0), ("d", 10.0, 20.0)]);
    assert_eq!(r.down, 2);
    assert_eq!(r.scenario.failed, vec!["b".to_owned()]);
}

#[test]
fn paths_take_the_consumer_bringing_most_ties_to_the_smaller_id() {
    let g = graph(
        r#"
[[system]]
id = "c2"
load = 10
[[system]]
id = "c1"
load = 10
[[system]]
id = "c3"
load = 10
[[system]]
id = "v"
capacity = 100
[[link]]
consumer = "c2"
provider = "v"
[[link]]
consumer = "c1"
provider = "v"
[[link]]
consumer = "c3"
provider = "v"
calls = 0.5
"#,
    );
    let path = |ats: &[&str]| {
        let r = surge::surge(&g, &scenario(ats, &[])).unwrap();
        let v = r.nodes.iter().find(|n| n.id == "v").unwrap();
        r.path(v).join(" ")
    };
    assert_eq!(path(&["c1=+5", "c2=+5"]), "c1 v");
    assert_eq!(path(&["c2=+5", "c1=+4"]), "c2 v");
    // c3 brings 12 × 0.5 = 6 > 5.
    assert_eq!(path(&["c1=+5", "c3=+12"]), "c3 v");
    assert_eq!(path(&["c1=+5", "c3=+10"]), "c1 v");
    // Whatever the order of the links.
    let g = graph(
        r#"
[[system]]
id = "c1"
[[system]]
id = "c2"
[[system]]
id = "v"
[[link]]
id = "z"
consumer = "c1"
provider = "v"
[[link]]
id = "a"
consumer = "c2"
provider = "v"
"#,
    );
    for ats in [["c1=+5", "c2=+5"], ["c2=+5", "c1=+5"]] {
        let r = surge::surge(&g, &scenario(&ats, &[])).unwrap();
        let v = r.nodes.iter().find(|n| n.id == "v").unwrap();
        assert_eq!(r.path(v).join(" "), "c1 v");
    }
}

#[test]
fn parallel_links_of_one_consumer_add_up_for_the_path() {
    let g = graph(
        r#"
[[system]]
id = "a"
load = 10
[[system]]
id = "b"
load = 10
[[system]]
id = "v"
[[link]]
id = "a-1"
consumer = "a"
provider = "v"
calls = 0.4
[[link]]
id = "a-2"
consumer = "a"
provider = "v"
calls = 0.4
[[link]]
consumer = "b"
provider = "v"
calls = 0.5
"#,
    );
    let r = surge::surge(&g, &scenario(&["a=x2", "b=x2"], &[])).unwrap();
    let v = r.nodes.iter().find(|n| n.id == "v").unwrap();
    assert_eq!(r.path(v).join(" "), "a v");
    assert!(close(v.load, 20.0 * 0.8 + 20.0 * 0.5));
}

#[test]
fn headroom_is_negative_when_saturated_without_the_surge_and_null_without_capacities() {
    let g = graph(
        r#"
[[system]]
id = "a"
load = 100
[[system]]
id = "b"
capacity = 80
[[system]]
id = "c"
[[link]]
consumer = "a"
provider = "b"
[[link]]
consumer = "a"
provider = "c"
"#,
    );
    let r = surge::surge(&g, &scenario(&["a=x2"], &[])).unwrap();
    assert!(close(r.summary.headroom.unwrap(), -20.0 / 100.0));
    assert_eq!(r.first, Some("b"));
    let r = surge::surge(&g, &scenario(&["a=x2"], &["b"])).unwrap();
    // b down: a needs it, so a is down too and nothing receives added load.
    assert!(r.nodes.is_empty());
    assert_eq!(r.summary.headroom, None);
}

#[test]
fn links_that_carry_nothing_do_not_pass_load() {
    let g = graph(
        r#"
[[system]]
id = "a"
load = 100
sites = ["dc"]
[[site]]
id = "dc"
capacity = 1
[[system]]
id = "b"
capacity = 1
[[system]]
id = "c"
capacity = 1
[[link]]
consumer = "a"
provider = "b"
mode = "async"
tolerance = "1h"
[[link]]
consumer = "a"
provider = "c"
calls = 0
"#,
    );
    let r = surge::surge(&g, &scenario(&["a=x10"], &[])).unwrap();
    let ids: Vec<&str> = r.nodes.iter().map(|n| n.id).collect();
    assert_eq!(ids, vec!["a"]);
}

const LOOP: &str = r#"
[[system]]
id = "a"
load = 10
[[system]]
id = "b"
[[system]]
id = "c"
[[system]]
id = "z"
load = 1
[[link]]
consumer = "a"
provider = "b"
[[link]]
consumer = "b"
provider = "c"
[[link]]
consumer = "c"
provider = "a"
effect = "degraded"
[[link]]
consumer = "z"
provider = "a"
"#;

#[test]
fn a_loop_names_its_cycle_in_order_and_a_link_to_cut() {
    let g = graph(LOOP);
    let Err(SurgeError::Loop(l)) = surge::surge(&g, &scenario(&["z=x2"], &[])) else {
        panic!("expected a loop");
    };
    assert_eq!(l.nodes, vec!["a", "b", "c"]);
    assert_eq!(l.links, vec!["a->b", "b->c", "c->a"]);
    // The soft link is the one to cut.
    assert_eq!(l.cut_link(), "c->a");
    assert_eq!(l.origin.line, 18);
    let msg = SurgeError::Loop(l).to_string();
    assert!(
        msg.starts_with("load loop `a` -> `b` -> `c` -> `a`: "),
        "{msg}"
    );
    assert!(msg.contains("`calls = 0`"), "{msg}");
    assert!(surge::load_loop(&g).is_some());
    assert!(surge::baseline(&g).is_err());
}

#[test]
fn a_failure_that_breaks_the_loop_defines_the_loads() {
    let g = graph(LOOP);
    // c down: the loop is broken; b needs c, so b is down, and a needs b.
    let r = surge::surge(&g, &scenario(&["z=x2"], &["c"])).unwrap();
    assert!(r.nodes.iter().all(|n| n.id == "z"));
    let g = graph(&LOOP.replace("effect = \"degraded\"", "calls = 0"));
    assert!(surge::load_loop(&g).is_none());
    let got = rows(&g, &scenario(&["z=x2"], &[]));
    let loads: Vec<(&str, f64)> = got.iter().map(|r| (r.0.as_str(), r.2)).collect();
    assert_eq!(
        loads,
        vec![("a", 12.0), ("b", 12.0), ("c", 12.0), ("z", 2.0)]
    );
    assert_eq!(got[2].3.join(" "), "z a b c");
}

#[test]
fn bad_surges_are_refused() {
    let g = graph(CHAIN);
    assert_eq!(
        surge::surge(&g, &scenario(&[], &[])).err(),
        Some(SurgeError::NoSurge)
    );
    assert_eq!(
        surge::surge(&g, &scenario(&["a=x2", "a=+1"], &[])).err(),
        Some(SurgeError::Twice("a".into()))
    );
    let e = surge::surge(&g, &scenario(&["bb=x2"], &[])).unwrap_err();
    assert!(e.to_string().contains("unknown node id `bb`"), "{e}");
    let e = surge::surge(&g, &scenario(&["a=x2"], &["q"])).unwrap_err();
    assert!(e.to_string().contains("unknown node id `q`"), "{e}");
    assert_eq!("a=x2".parse::<At>().map(|a| a.bump), Ok(Bump::Factor(2.0)));
}

#[test]
fn json_has_the_shape_of_section_6() {
    let g = graph(CHAIN);
    let r = surge::surge(&g, &scenario(&["a=x10"], &[])).unwrap();
    let text = crate::support::text(|w| {
        ripplemap::render::json::surge(&r, None, ripplemap::engine::PathMode::Full, w)
    });
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    // Keys in the order written (a `Value` sorts them): each first found after the last.
    let in_order = |keys: &[&str]| {
        let mut at = 0;
        for k in keys {
            let found = text[at..].find(&format!("\"{k}\":"));
            assert!(found.is_some(), "{k} out of order in {text}");
            at += found.unwrap_or(0);
        }
    };
    in_order(&[
        "scenario",
        "surge",
        "failed",
        "nodes",
        "summary",
        "saturated",
        "headroom",
    ]);
    in_order(&[
        "id",
        "name",
        "grade",
        "agency",
        "baseline",
        "load",
        "capacity",
        "utilization",
        "saturated",
        "path",
    ]);
    assert_eq!(v.as_object().unwrap().len(), 4);
    assert_eq!(v["format"], "ripplemap.surge/1");
    assert_eq!(
        v["scenario"],
        serde_json::json!({"surge": [{"id": "a", "factor": 10.0, "add": null}], "failed": []})
    );
    assert_eq!(v["nodes"][0].as_object().unwrap().len(), 10);
    assert_eq!(v["nodes"][2]["capacity"], serde_json::Value::Null);
    assert_eq!(v["nodes"][2]["utilization"], serde_json::Value::Null);
    assert_eq!(v["nodes"][1]["path"], serde_json::json!(["a", "b", "c"]));
    assert_eq!(v["summary"]["saturated"], 1);
    assert_eq!(v["summary"].as_object().unwrap().len(), 2);
}

#[test]
fn the_cascade_fails_the_saturated_nodes() {
    let g = graph(CHAIN);
    let r = surge::surge(&g, &scenario(&["a=x10"], &[])).unwrap();
    let imp = surge::cascade(&g, &r).unwrap().unwrap();
    assert_eq!(imp.scenario.failed, vec!["b".to_owned()]);
    // a needs b.
    let down: Vec<&str> = imp.affected.iter().map(|a| a.id).collect();
    assert_eq!(down, vec!["b", "a"]);
    let r = surge::surge(&g, &scenario(&["a=x2"], &[])).unwrap();
    assert!(surge::cascade(&g, &r).unwrap().is_none());
}

#[test]
fn a_chain_of_a_hundred_thousand_systems_is_summed_without_recursion() {
    let n = 100_000;
    let mut toml = String::new();
    for i in 0..n {
        toml.push_str(&format!(
            "[[system]]\nid = \"n{i:06}\"\n{}",
            if i == 0 {
                "load = 1\n"
            } else {
                "capacity = 1000\n"
            }
        ));
    }
    for i in 1..n {
        toml.push_str(&format!(
            "[[link]]\nconsumer = \"n{:06}\"\nprovider = \"n{i:06}\"\n",
            i - 1
        ));
    }
    let g = graph(&toml);
    let r = surge::surge(&g, &scenario(&["n000000=x3"], &[])).unwrap();
    assert_eq!(r.nodes.len(), n);
    let last = r.nodes.iter().find(|v| v.id == "n099999").unwrap();
    assert_eq!(
        (last.baseline, last.load, last.depth),
        (1.0, 3.0, n as u32 - 1)
    );
    assert_eq!(r.path(last).len(), n);
    assert!(close(r.summary.headroom.unwrap(), 999.0 / 2.0));
}

/// The reference of SPEC section 6, written from the text on the inventory itself (not the
/// graph): the down set by fixed-point iteration of section 2 without a horizon, shares
/// from each group's serving members, loads by explicit recursion over the consumers.
mod reference {
    use std::collections::{BTreeMap, BTreeSet};

    use ripplemap::inventory::{Effect, Inventory};

    /// A link's group: (consumer, group name), or the link alone.
    fn group_key(inv: &Inventory, i: usize) -> (String, String) {
        let l = &inv.links[i];
        match &l.group {
            Some(g) => (l.consumer.to_string(), g.to_string()),
            None => (l.consumer.to_string(), format!("\u{0}link {i}")),
        }
    }

    pub struct Model<'a> {
        inv: &'a Inventory,
        /// Member links of each group, and its declared min (1 if none).
        groups: BTreeMap<(String, String), (Vec<usize>, u32)>,
    }

    impl<'a> Model<'a> {
        pub fn new(inv: &'a Inventory) -> Self {
            let mut groups: BTreeMap<(String, String), (Vec<usize>, u32)> = BTreeMap::new();
            for i in 0..inv.links.len() {
                groups
                    .entry(group_key(inv, i))
                    .or_insert((vec![], 1))
                    .0
                    .push(i);
            }
            for d in &inv.groups {
                if let Some(g) = groups.get_mut(&(d.consumer.to_string(), d.group.to_string())) {
                    g.1 = d.min.clamp(1, g.0.len() as u32);
                }
            }
            Model { inv, groups }
        }

        /// Nodes down when `failed` nodes fail and `failed_links` are lost, for ever.
        pub fn down(&self, failed: &[String], failed_links: &[String]) -> BTreeSet<String> {
            let mut down: BTreeSet<String> = failed.iter().cloned().collect();
            loop {
                let mut more = vec![];
                for ((consumer, _), (members, min)) in &self.groups {
                    if down.contains(consumer) {
                        continue;
                    }
                    let first = &self.inv.links[members[0]];
                    if first.effect != Effect::Down {
                        continue;
                    }
                    let lost = members
                        .iter()
                        .filter(|&&i| {
                            let l = &self.inv.links[i];
                            down.contains(l.provider.as_str())
                                || failed_links.iter().any(|f| f == l.id.as_str())
                        })
                        .count();
                    // Lost at the (n - k + 1)-th loss.
                    if lost > members.len() - *min as usize {
                        more.push(consumer.clone());
                    }
                }
                if more.is_empty() {
                    return down;
                }
                down.extend(more);
            }
        }

        /// The share of each link (0 when it carries nothing).
        pub fn shares(&self, down: &BTreeSet<String>, failed_links: &[String]) -> Vec<f64> {
            let serves = |i: usize| {
                let l = &self.inv.links[i];
                !down.contains(l.provider.as_str())
                    && !failed_links.iter().any(|f| f == l.id.as_str())
            };
            let mut share = vec![0.0; self.inv.links.len()];
            for (members, min) in self.groups.values() {
                let m = members.iter().filter(|&&i| serves(i)).count() as f64;
                for &i in members {
                    let l = &self.inv.links[i];
                    if l.calls() > 0.0 && serves(i) && !down.contains(l.consumer.as_str()) {
                        share[i] = l.calls() * (*min as f64).min(m) / m;
                    }
                }
            }
            share
        }

        /// Whether the carrying links form a cycle (depth-first colouring).
        pub fn has_loop(&self, share: &[f64]) -> bool {
            let ids: Vec<&str> = self.inv.nodes.iter().map(|n| n.id.as_str()).collect();
            let mut colour: BTreeMap<&str, u8> = BTreeMap::new();
            fn visit<'x>(
                v: &'x str,
                inv: &'x Inventory,
                share: &[f64],
                colour: &mut BTreeMap<&'x str, u8>,
            ) -> bool {
                colour.insert(v, 1);
                for (i, l) in inv.links.iter().enumerate() {
                    if l.consumer == v && share[i] > 0.0 {
                        match colour.get(l.provider.as_str()) {
                            Some(1) => return true,
                            Some(_) => {}
                            None => {
                                if visit(l.provider.as_str(), inv, share, colour) {
                                    return true;
                                }
                            }
                        }
                    }
                }
                colour.insert(v, 2);
                false
            }
            ids.iter()
                .any(|v| !colour.contains_key(v) && visit(v, self.inv, share, &mut colour))
        }

        /// `L(v)` by recursion over the consumers.
        pub fn load(
            &self,
            v: &str,
            outside: &BTreeMap<String, f64>,
            down: &BTreeSet<String>,
            share: &[f64],
            memo: &mut BTreeMap<String, f64>,
        ) -> f64 {
            if down.contains(v) {
                return 0.0;
            }
            if let Some(&l) = memo.get(v) {
                return l;
            }
            let mut total = outside[v];
            for (i, l) in self.inv.links.iter().enumerate() {
                if l.provider == v && share[i] > 0.0 {
                    total += self.load(l.consumer.as_str(), outside, down, share, memo) * share[i];
                }
            }
            memo.insert(v.to_owned(), total);
            total
        }

        /// What consumer `c` brings node `v` of added load: `D(c) × share` over its links.
        pub fn brings(
            &self,
            c: &str,
            v: &str,
            added: &BTreeMap<String, f64>,
            share: &[f64],
        ) -> f64 {
            self.inv
                .links
                .iter()
                .enumerate()
                .filter(|(i, l)| l.consumer == c && l.provider == v && share[*i] > 0.0)
                .map(|(i, _)| added[c].max(0.0) * share[i])
                .sum()
        }
    }
}

mod properties {
    use std::collections::BTreeMap;

    use proptest::collection::vec;
    use proptest::prelude::*;
    use proptest::sample::Index;
    use ripplemap::Graph;
    use ripplemap::analysis::surge::{self, At, Bump, SurgeScenario};
    use ripplemap::inventory::Inventory;

    use super::reference::Model;
    use crate::support::generator::{self, PLAIN_NUMBERS, Shape};

    fn shape(acyclic: bool) -> Shape {
        Shape {
            systems: 2..9,
            sites: 0..3,
            links: 0..22,
            degraded: 0.2,
            any_order: true,
            values: &PLAIN_NUMBERS,
            acyclic,
            ..Shape::default()
        }
    }

    /// A scenario: surged nodes (each a factor of at least 1 or a rate of at least 0),
    /// failed nodes and failed links.
    fn scenario(
        inv: &Inventory,
        ats: &[(Index, bool, usize)],
        failed: &[Index],
        links: &[Index],
    ) -> SurgeScenario {
        const FACTORS: [f64; 4] = [1.0, 1.5, 2.0, 10.0];
        const RATES: [f64; 4] = [0.0, 1.0, 7.5, 1000.0];
        let mut at: Vec<At> = Vec::new();
        for (i, add, k) in ats {
            let id = i.get(&inv.nodes).id.to_string();
            if at.iter().all(|a| a.id != id) {
                let bump = if *add {
                    Bump::Add(RATES[k % 4])
                } else {
                    Bump::Factor(FACTORS[k % 4])
                };
                at.push(At { id, bump });
            }
        }
        SurgeScenario {
            at,
            failed: failed
                .iter()
                .map(|i| i.get(&inv.nodes).id.to_string())
                .collect(),
            failed_links: if inv.links.is_empty() {
                vec![]
            } else {
                links
                    .iter()
                    .map(|i| i.get(&inv.links).id.to_string())
                    .collect()
            },
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        /// Loads, the listed nodes, their order, saturation, headroom and paths agree with
        /// the reference on acyclic inventories.
        #[test]
        fn surge_agrees_with_the_reference(
            inv in generator::inventory(shape(true)),
            ats in vec((any::<Index>(), any::<bool>(), 0usize..4), 1..4),
            failed in vec(any::<Index>(), 0..3),
            links in vec(any::<Index>(), 0..2),
        ) {
            let s = scenario(&inv, &ats, &failed, &links);
            let g = Graph::new(inv.clone());
            let got = surge::surge(&g, &s).map_err(|e| TestCaseError::fail(e.to_string()))?;

            let model = Model::new(&inv);
            let down = model.down(&s.failed, &s.failed_links);
            let share = model.shares(&down, &s.failed_links);
            prop_assert!(!model.has_loop(&share));
            let base_out: BTreeMap<String, f64> =
                inv.nodes.iter().map(|n| (n.id.to_string(), n.load)).collect();
            let mut surge_out = base_out.clone();
            for a in &s.at {
                let e = surge_out.get_mut(&a.id).unwrap();
                *e = a.bump.apply(*e);
            }
            let (mut m1, mut m2) = (BTreeMap::new(), BTreeMap::new());
            let mut base = BTreeMap::new();
            let mut load = BTreeMap::new();
            let mut added = BTreeMap::new();
            for n in &inv.nodes {
                let id = n.id.as_str();
                let b = model.load(id, &base_out, &down, &share, &mut m1);
                let l = model.load(id, &surge_out, &down, &share, &mut m2);
                base.insert(id.to_owned(), b);
                load.insert(id.to_owned(), l);
                added.insert(id.to_owned(), l - b);
            }

            // The listed nodes: every up node with D > 0.
            let mut want: Vec<&str> = inv
                .nodes
                .iter()
                .map(|n| n.id.as_str())
                .filter(|id| !down.contains(*id) && added[*id] > 0.0)
                .collect();
            want.sort_unstable();
            let mut listed: Vec<&str> = got.nodes.iter().map(|r| r.id).collect();
            listed.sort_unstable();
            prop_assert_eq!(&listed, &want);
            prop_assert_eq!(got.down, down.len());

            let mut headroom: Option<f64> = None;
            for r in &got.nodes {
                prop_assert!(close(r.baseline, base[r.id]), "{} baseline {} vs {}", r.id, r.baseline, base[r.id]);
                prop_assert!(close(r.load, load[r.id]), "{} load {} vs {}", r.id, r.load, load[r.id]);
                let cap = inv.node(r.id).and_then(|n| n.capacity);
                prop_assert_eq!(r.capacity, cap);
                prop_assert_eq!(r.saturated, cap.is_some_and(|c| r.load > c));
                prop_assert_eq!(r.utilization, cap.map(|c| r.load / c));
                if let Some(c) = cap {
                    let h = (c - base[r.id]) / added[r.id];
                    headroom = Some(headroom.map_or(h, |x: f64| x.min(h)));
                }

                // The path: from a surged node, each step a consumer sending added load
                // over a carrying link, the one that brings the most.
                let path = got.path(r);
                prop_assert_eq!(path.last().copied(), Some(r.id));
                prop_assert_eq!(path.len(), r.depth as usize + 1);
                let start = path[0];
                prop_assert!(s.at.iter().any(|a| a.id == start), "path starts at {}", start);
                let consumers = |v: &str| -> Vec<(String, f64)> {
                    inv.nodes
                        .iter()
                        .map(|c| (c.id.to_string(), model.brings(&c.id, v, &added, &share)))
                        .filter(|(_, b)| *b > 0.0)
                        .collect()
                };
                prop_assert!(consumers(start).is_empty(), "{} has consumers bringing load", start);
                for w in path.windows(2) {
                    let all = consumers(w[1]);
                    let chosen = all.iter().find(|(c, _)| c == w[0]);
                    prop_assert!(chosen.is_some(), "{} brings {} no added load", w[0], w[1]);
                    let best = all.iter().map(|(_, b)| *b).fold(0.0, f64::max);
                    prop_assert!(chosen.map_or(0.0, |c| c.1) >= best * (1.0 - 1e-9));
                }
            }
            match (got.summary.headroom, headroom) {
                (Some(a), Some(b)) => prop_assert!(close(a, b), "headroom {} vs {}", a, b),
                (a, b) => prop_assert_eq!(a, b),
            }
            prop_assert_eq!(got.summary.saturated, got.nodes.iter().filter(|r| r.saturated).count());

            // Sorted by utilization, highest first, nodes without capacity last, then id.
            for w in got.nodes.windows(2) {
                let ok = match (w[0].utilization, w[1].utilization) {
                    (Some(a), Some(b)) => a > b || (a == b && w[0].id < w[1].id),
                    (Some(_), None) => true,
                    (None, Some(_)) => false,
                    (None, None) => w[0].id < w[1].id,
                };
                prop_assert!(ok, "{} before {}", w[0].id, w[1].id);
            }
        }

        /// On any inventory, surge refuses exactly when the reference finds a cycle of
        /// carrying links among up nodes, and the cycle it names is one.
        #[test]
        fn loops_are_refused_exactly_and_named_right(
            inv in generator::inventory(shape(false)),
            ats in vec((any::<Index>(), any::<bool>(), 0usize..4), 1..3),
            failed in vec(any::<Index>(), 0..2),
        ) {
            let s = scenario(&inv, &ats, &failed, &[]);
            let g = Graph::new(inv.clone());
            let model = Model::new(&inv);
            let down = model.down(&s.failed, &[]);
            let share = model.shares(&down, &[]);
            match surge::surge(&g, &s) {
                Ok(_) => prop_assert!(!model.has_loop(&share)),
                Err(surge::SurgeError::Loop(l)) => {
                    prop_assert!(model.has_loop(&share));
                    prop_assert!(l.nodes.len() >= 2);
                    prop_assert_eq!(l.nodes.len(), l.links.len());
                    for (i, id) in l.links.iter().enumerate() {
                        let k = inv.links.iter().position(|x| x.id == id.as_str());
                        prop_assert!(k.is_some());
                        let k = k.unwrap_or(0);
                        let link = &inv.links[k];
                        prop_assert!(share[k] > 0.0, "{} carries nothing", id);
                        prop_assert_eq!(link.consumer.as_str(), l.nodes[i].as_str());
                        prop_assert_eq!(link.provider.as_str(), l.nodes[(i + 1) % l.nodes.len()].as_str());
                    }
                    prop_assert!(l.cut < l.links.len());
                }
                Err(e) => prop_assert!(false, "{}", e),
            }
        }
    }
}

/// The command line: `surge`, `check`'s load loop, `render --surge`, `assess`'s load
/// section, on the sample and on small fixtures.
mod cli {
    use std::io::Write as _;

    use crate::support::ripplemap;

    const SAMPLE: &str = "inventories/korea-egov.toml";

    fn temp_toml(text: &str) -> tempfile::NamedTempFile {
        let mut f = tempfile::Builder::new().suffix(".toml").tempfile().unwrap();
        f.write_all(text.as_bytes()).unwrap();
        f
    }

    #[test]
    fn the_vaccine_booking_surge_as_a_table() {
        let out = ripplemap()
            .args(["surge", SAMPLE, "--at", "vaccine-booking=x10"])
            .ok();
        insta::assert_snapshot!("surge_table_vaccine_booking_x10", out);
    }

    #[test]
    fn the_vaccine_booking_surge_as_json_has_section_6_s_shape() {
        let out = ripplemap()
            .args([
                "surge",
                SAMPLE,
                "--at",
                "vaccine-booking=x10",
                "--format",
                "json",
            ])
            .code(0);
        let v = out.json();
        assert_eq!(v["scenario"]["surge"][0]["factor"], 10.0);
        assert!(v.get("cascade").is_none());
        let first = &v["nodes"][0];
        assert_eq!(first["id"], "resident-reg");
        assert_eq!(first["saturated"], true);
        assert_eq!(
            first["path"],
            serde_json::json!(["vaccine-booking", "resident-reg"])
        );
        // (C - B) / D of resident-reg.
        let h = v["summary"]["headroom"].as_f64().unwrap();
        let (b, l, c) = (
            first["baseline"].as_f64().unwrap(),
            first["load"].as_f64().unwrap(),
            first["capacity"].as_f64().unwrap(),
        );
        assert!((h - (c - b) / (l - b)).abs() < 1e-12);
        insta::assert_snapshot!("surge_json_vaccine_booking_x10", out.stdout);
    }

    #[test]
    fn out_holds_the_surge_the_tool_prints() {
        let out = ripplemap()
            .args([
                "surge",
                SAMPLE,
                "--at",
                "vaccine-booking=x10",
                "--cascade",
                "--color",
                "never",
            ])
            .ok();
        let committed =
            std::fs::read_to_string(crate::support::root().join("out/surge-vaccine-booking.txt"))
                .unwrap();
        assert!(
            out == committed,
            "out/surge-vaccine-booking.txt is stale: run out/render.sh and commit out/"
        );
    }

    #[test]
    fn the_cascade_fails_what_saturates() {
        let out = ripplemap()
            .args([
                "surge",
                SAMPLE,
                "--at",
                "vaccine-booking=x10",
                "--cascade",
                "--format",
                "json",
            ])
            .code(0);
        let v = out.json();
        let failed = &v["cascade"]["scenario"]["failed"];
        assert_eq!(failed, &serde_json::json!(["kdca-immun", "resident-reg"]));
        let down: Vec<&str> = v["cascade"]["affected"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|a| a["state"] == "down")
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert!(down.contains(&"gov24"), "{down:?}");
        // Nothing saturates: the cascade is null.
        let v = ripplemap()
            .args([
                "surge",
                SAMPLE,
                "--at",
                "vaccine-booking=x2",
                "--cascade",
                "--format",
                "json",
            ])
            .code(0)
            .json();
        assert_eq!(v["cascade"], serde_json::Value::Null);
        let table = ripplemap()
            .args(["surge", SAMPLE, "--at", "vaccine-booking=x10", "--cascade"])
            .ok();
        assert!(table.contains("Cascade: the saturated systems taken as failed"));
        assert!(table.contains("Failure of kdca-immun, resident-reg"));
    }

    #[test]
    fn failures_come_first_and_survivors_take_over() {
        // Kakao down: the other six simple-auth providers split the logins.
        let v = ripplemap()
            .args([
                "surge",
                SAMPLE,
                "--at",
                "gov24=+5000",
                "--fail",
                "simple-auth-kakao",
                "--format",
                "json",
            ])
            .code(0)
            .json();
        assert_eq!(
            v["scenario"]["failed"],
            serde_json::json!(["simple-auth-kakao"])
        );
        let ids: Vec<&str> = v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["id"].as_str().unwrap())
            .collect();
        assert!(!ids.contains(&"simple-auth-kakao"));
        assert!(ids.contains(&"simple-auth-naver"));
        assert_eq!(v["scenario"]["surge"][0]["add"], 5000.0);
        assert_eq!(v["scenario"]["surge"][0]["factor"], serde_json::Value::Null);
    }

    #[test]
    fn bad_surges_are_usage_errors() {
        let out = ripplemap()
            .args(["surge", SAMPLE, "--at", "vaccine-bookin=x10"])
            .code(2);
        assert!(
            out.stderr.contains("unknown node id `vaccine-bookin`"),
            "{out:?}"
        );
        assert!(out.stderr.contains("vaccine-booking"), "{out:?}");
        let out = ripplemap()
            .args(["surge", SAMPLE, "--at", "vaccine-booking=10"])
            .code(2);
        assert!(out.stderr.contains("expected ID=xFACTOR"), "{out:?}");
        let out = ripplemap().args(["surge", SAMPLE]).code(2);
        assert!(out.stderr.contains("--at"), "{out:?}");
    }

    const LOOP: &str = r#"
[[system]]
id = "portal"
load = 10
capacity = 100
[[system]]
id = "hub"
capacity = 100
[[system]]
id = "ledger"
capacity = 100
[[link]]
consumer = "portal"
provider = "hub"
[[link]]
consumer = "hub"
provider = "ledger"
[[link]]
consumer = "ledger"
provider = "hub"
effect = "degraded"
"#;

    #[test]
    fn a_load_loop_is_refused_by_surge_and_check() {
        let f = temp_toml(LOOP);
        let path = f.path().to_str().unwrap();
        let out = ripplemap()
            .args(["surge", path, "--at", "portal=x2"])
            .code(2);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.starts_with(
                "error: load loop `hub` -> `ledger` -> `hub`: each sends requests on to the next"
            ),
            "{out:?}"
        );
        assert!(out.stderr.contains("for example `ledger->hub`"), "{out:?}");
        let out = ripplemap().args(["check", path]).code(2);
        assert!(out.stdout.is_empty());
        assert!(
            out.stderr.contains(":18: error: load loop `hub` -> `ledger` -> `hub` (link `ledger->hub`, field `calls`)"),
            "{out:?}"
        );
        assert!(out.stderr.contains("set `calls = 0`"), "{out:?}");
        let v = ripplemap()
            .args(["check", path, "--format", "json"])
            .code(2)
            .json();
        assert_eq!(v["valid"], false);
        assert_eq!(v["errors"][0]["field"], "calls");
        // Once the loop is broken, both accept it (check still flags the sync cycle).
        let fixed = temp_toml(&LOOP.replace("effect = \"degraded\"", "calls = 0"));
        let path = fixed.path().to_str().unwrap();
        let out = ripplemap().args(["check", path]).code(1);
        assert!(out.stdout.contains("error[sync-cycle]"), "{out:?}");
        ripplemap()
            .args(["surge", path, "--at", "portal=x2"])
            .code(0);
    }

    #[test]
    fn check_does_not_refuse_a_sync_loop_in_an_inventory_without_loads() {
        let f = temp_toml(
            &LOOP
                .replace("load = 10\n", "")
                .replace("capacity = 100\n", ""),
        );
        let out = ripplemap()
            .args(["check", f.path().to_str().unwrap()])
            .code(0);
        assert!(!out.stdout.contains("load:"), "{out:?}");
    }

    #[test]
    fn check_summarises_loads_and_warns_of_a_missing_capacity() {
        let out = ripplemap()
            .args(["check", "tests/fixtures/policy/no-capacity-yes.toml"])
            .code(0);
        assert!(out.stdout.contains(
            "load:            1 nodes with an outside load (100 requests/s in all), 1 with a capacity; 1 links carry load (0 with calls written)"
        ), "{}", out.stdout);
        assert!(out.stdout.contains(
            "warning[no-capacity] tests/fixtures/policy/no-capacity-yes.toml:9: system `registry` receives 100 requests/s on a normal day but has no capacity"
        ), "{}", out.stdout);
        let sample = ripplemap().args(["check", SAMPLE]).code(1);
        assert!(
            sample
                .stdout
                .contains("no-capacity          ┆ warning  ┆        0")
        );
    }

    #[test]
    fn render_draws_the_surge_coloured_by_utilization() {
        let dot = ripplemap()
            .args([
                "render",
                SAMPLE,
                "--surge",
                "vaccine-booking=x10",
                "--format",
                "dot",
            ])
            .ok();
        assert!(
            dot.contains("Surge of vaccine-booking ×10: 13 loaded, 2 saturated"),
            "{dot}"
        );
        assert!(dot.contains("5,281 of 3,200 req/s (165%)"), "{dot}");
        // Saturated red, and the path that brings the load drawn as a witness.
        assert!(dot.contains("#c0182b"));
        assert!(dot.contains("saturated (load above capacity)"));
        let mermaid = ripplemap()
            .args([
                "render",
                SAMPLE,
                "--surge",
                "vaccine-booking=x10",
                "--format",
                "mermaid",
            ])
            .ok();
        assert!(mermaid.contains("classDef saturated"), "{mermaid}");
        let out = ripplemap()
            .args([
                "render",
                SAMPLE,
                "--surge",
                "vaccine-booking=x10",
                "--change-system",
                "gpki",
            ])
            .code(2);
        assert!(out.stderr.contains("cannot be used with"), "{out:?}");
    }

    #[test]
    fn assess_shows_the_changed_nodes_load() {
        let md = ripplemap()
            .args(["assess", SAMPLE, "--system", "resident-reg"])
            .ok();
        assert!(md.contains("### Load on a normal day"), "{md}");
        assert!(
            md.contains("| `resident-reg` | 주민등록시스템 | 1,681 | 3,200 | 53% | ×1.90 |"),
            "{md}"
        );
        let v = ripplemap()
            .args([
                "assess",
                SAMPLE,
                "--system",
                "resident-reg",
                "--format",
                "json",
            ])
            .code(0)
            .json();
        assert_eq!(v["load"]["nodes"][0]["id"], "resident-reg");
        // No capacities, no section.
        let md = ripplemap()
            .args(["assess", "inventories/teach-k-of-n.toml", "--system", "a"])
            .run();
        assert!(!md.stdout.contains("Load on a normal day"));
    }
}
