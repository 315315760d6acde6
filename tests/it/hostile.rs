//! Well-formed inventories of hostile shape: long chains and cycles, a group of thousands
//! of alternatives, a dense bipartite layer. None may abort, and output and work must stay
//! in proportion to the answer.

use std::fmt::Write as _;
use std::path::Path;

use ripplemap::analysis::{CutOptions, NoProgress, cuts};
use ripplemap::{Graph, PathMode, Scenario};

use crate::support::ripplemap;

/// Writes a CSV directory inventory: `nodes` ids, and `links` as (consumer, provider,
/// group); `groups` as (consumer, group, min).
fn csv_dir(
    dir: &Path,
    nodes: &[String],
    links: &[(String, String, &str)],
    groups: &[(&str, &str, usize)],
) {
    let mut systems = String::from("id,name,kind,agency,grade,sites,tags\n");
    for id in nodes {
        let _ = writeln!(systems, "{id},,system,A,1,,");
    }
    let mut lines =
        String::from("id,consumer,provider,kind,mode,tolerance,effect,group,method,data\n");
    for (c, p, g) in links {
        let _ = writeln!(lines, ",{c},{p},,,,,{g},,");
    }
    let mut gs = String::from("consumer,group,min\n");
    for (c, g, min) in groups {
        let _ = writeln!(gs, "{c},{g},{min}");
    }
    std::fs::create_dir_all(dir).expect("inventory directory");
    std::fs::write(dir.join("systems.csv"), systems).expect("systems.csv");
    std::fs::write(dir.join("links.csv"), lines).expect("links.csv");
    std::fs::write(dir.join("groups.csv"), gs).expect("groups.csv");
}

/// `n0 <- n1 <- … <- n(len-1)` (each needs the one before), closed into a cycle if asked.
fn chain(dir: &Path, len: usize, closed: bool) {
    let nodes: Vec<String> = (0..len).map(|i| format!("n{i}")).collect();
    let mut links: Vec<(String, String, &str)> = (1..len)
        .map(|i| (format!("n{i}"), format!("n{}", i - 1), ""))
        .collect();
    if closed {
        links.push(("n0".into(), format!("n{}", len - 1), ""));
    }
    csv_dir(dir, &nodes, &links, &[]);
}

#[test]
fn a_long_chain_is_checked_ranked_diffed_and_recovered_without_deep_recursion() {
    // The strongly connected components used to be found recursively: 130,000 links deep
    // overflowed the stack. Deep enough here to overflow a recursive search in a debug
    // build, small enough to stay quick.
    let tmp = tempfile::tempdir().expect("temp dir");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    chain(&a, 30_000, false);
    chain(&b, 30_000, false);
    // One more dependency at the end of b: every node's blast radius is compared.
    let extra =
        std::fs::read_to_string(b.join("links.csv")).expect("links.csv") + ",n0,n29999,,,,,,,\n";
    std::fs::write(b.join("links.csv"), extra).expect("links.csv");
    ripplemap().arg("check").arg(&a).ok();
    let top = ripplemap()
        .args(["rank", "--top", "2", "--format", "json"])
        .arg(&a)
        .ok();
    let top: serde_json::Value = serde_json::from_str(&top).expect("rank JSON");
    assert_eq!(top["rows"][0]["id"], "n0");
    assert_eq!(top["rows"][0]["down"], 29_999);
    let out = ripplemap()
        .arg("diff")
        .arg(&a)
        .arg(&b)
        .arg("--format")
        .arg("json")
        .run();
    assert!(out.code == Some(0) || out.code == Some(1), "{}", out.stderr);
    let plan = ripplemap()
        .args(["recover", "--fail", "n0", "--format", "json"])
        .arg(&a)
        .ok();
    let plan: serde_json::Value = serde_json::from_str(&plan).expect("recover JSON");
    assert_eq!(plan["waves"], 30_000);
}

#[test]
fn a_long_cycle_reports_linear_output_when_rows_name_their_predecessor() {
    let tmp = tempfile::tempdir().expect("temp dir");
    chain(tmp.path(), 3_000, true);
    let g = Graph::new(ripplemap::load(tmp.path()).expect("the cycle loads"));
    let imp = g
        .impact(&Scenario {
            failed: vec!["n0".into()],
            ..Default::default()
        })
        .expect("impact");
    assert_eq!(imp.summary.down, 3_000);
    let via = serde_json::to_string(&imp.json(PathMode::Via)).expect("JSON");
    let full = serde_json::to_string(&imp).expect("JSON");
    // Rows with predecessors grow with the rows; whole paths with their square.
    assert!(via.len() < 3_000 * 250, "{} bytes", via.len());
    assert!(full.len() > 3_000 * 3_000, "{} bytes", full.len());
    let last = imp.affected.iter().max_by_key(|a| a.depth).expect("rows");
    assert_eq!(last.depth, 2_999);
    let short = imp.short_path(last);
    assert_eq!(
        (short.head.len(), short.hidden, short.tail.len()),
        (2, 2_996, 2)
    );
}

#[test]
fn cuts_of_a_wide_group_are_listed_up_to_the_limit_and_counted_up_to_a_bound() {
    // A consumer with 2,000 alternatives that needs all but one: every pair of them is a
    // minimal cut (nearly two million). The listing stops at the limit and the count at
    // 100 times the limit, in bounded time and memory.
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut nodes = vec!["c".to_owned()];
    nodes.extend((0..2_000).map(|i| format!("p{i}")));
    let links: Vec<(String, String, &str)> = (0..2_000)
        .map(|i| ("c".to_owned(), format!("p{i}"), "g"))
        .collect();
    csv_dir(tmp.path(), &nodes, &links, &[("c", "g", 1_999)]);
    let g = Graph::new(ripplemap::load(tmp.path()).expect("loads"));
    let c = cuts(
        &g,
        &CutOptions {
            target: "c".into(),
            max: 2,
            limit: 10,
        },
        &NoProgress,
    )
    .expect("cuts");
    assert_eq!(c.cuts.len(), 10);
    assert_eq!(c.found, 1_000);
    assert!(!c.complete);
    assert_eq!(c.smallest, Some(2));
    assert_eq!(c.cuts[0], ["p0", "p1"]);
    // The same run twice finds the same cuts, whatever the threads did.
    let again = cuts(
        &g,
        &CutOptions {
            target: "c".into(),
            max: 2,
            limit: 10,
        },
        &NoProgress,
    )
    .expect("cuts");
    assert_eq!(again, c);
    let out = ripplemap()
        .args(["cuts", "--target", "c", "--max", "2", "--limit", "10"])
        .arg(tmp.path())
        .ok();
    assert!(
        out.contains("at least 1000 minimal cuts (10 listed: --limit)"),
        "{out}"
    );
    assert!(out.contains("counting stops at 1000 cuts"), "{out}");
}

#[test]
fn a_dense_bipartite_layer_loads_and_spreads() {
    // 150 consumers each needing all of 150 providers: 22,500 links between two layers.
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut nodes: Vec<String> = (0..150).map(|i| format!("c{i}")).collect();
    nodes.extend((0..150).map(|i| format!("p{i}")));
    let mut links = Vec::new();
    for c in 0..150 {
        for p in 0..150 {
            links.push((format!("c{c}"), format!("p{p}"), ""));
        }
    }
    csv_dir(tmp.path(), &nodes, &links, &[]);
    let out = ripplemap()
        .args(["impact", "--fail", "p7", "--format", "json"])
        .arg(tmp.path())
        .ok();
    let v: serde_json::Value = serde_json::from_str(&out).expect("impact JSON");
    assert_eq!(v["summary"]["down"], 151);
    ripplemap()
        .args(["rank", "--top", "1"])
        .arg(tmp.path())
        .ok();
}
