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
    let text = ripplemap::render::surge::json(&r, None);
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
    assert_eq!(v.as_object().unwrap().len(), 3);
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
