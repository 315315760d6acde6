//! Snapshot tests of what people and machines read: tables and JSON (diagnostics are in
//! `diagnostics`).
//! A wording or layout change shows up as a reviewed diff (`cargo insta review`).

use std::path::Path;

use ripplemap::inventory::load;
use ripplemap::render::{Style, table};

use crate::support::{text, to_json};
use ripplemap::{Change, Graph, Scenario};

fn sample() -> Graph {
    Graph::new(load(Path::new("inventories/korea-egov.toml")).unwrap())
}

fn failing(ids: &[&str], hours: Option<f64>) -> Scenario {
    Scenario {
        failed: ids.iter().map(|s| s.to_string()).collect(),
        failed_links: vec![],
        horizon_hours: hours,
    }
}

#[test]
fn impact_table_gpki_2023() {
    let g = sample();
    let imp = g.impact(&failing(&["gpki"], Some(56.0))).unwrap();
    insta::assert_snapshot!(text(|w| table::impact(&imp, Style::default(), w)));
}

#[test]
fn impact_json_daejeon_fire() {
    let g = sample();
    let imp = g.impact(&failing(&["nirs-daejeon"], None)).unwrap();
    insta::assert_snapshot!(to_json(&imp));
}

#[test]
fn impact_json_failed_link() {
    let g = Graph::new(load(Path::new("inventories/teach-k-of-n.toml")).unwrap());
    let id = g.inventory().links[0].id.clone();
    let imp = g
        .impact(&Scenario {
            failed_links: vec![id.to_string()],
            ..Default::default()
        })
        .unwrap();
    insta::assert_snapshot!(to_json(&imp));
}

#[test]
fn change_table_share_center() {
    let g = sample();
    let ch = g
        .change(&Change {
            systems: vec!["share-center".into()],
            links: vec![],
        })
        .unwrap();
    insta::assert_snapshot!(text(|w| table::change(&ch, Style::default(), w)));
}

#[test]
fn change_json_gpki() {
    let g = sample();
    let ch = g
        .change(&Change {
            systems: vec!["gpki".into()],
            links: vec![],
        })
        .unwrap();
    insta::assert_snapshot!(to_json(&ch));
}

#[test]
fn check_summary_sample() {
    let inv = load(Path::new("inventories/korea-egov.toml")).unwrap();
    let st = ripplemap::analysis::stats(&inv);
    insta::assert_snapshot!(text(|w| table::stats(
        "inventories/korea-egov.toml",
        &st,
        Style::default(),
        w
    )));
}
