//! Hand-computed expectations for the impact engine (SPEC sections 2 and 3).

use std::path::Path;

use ripplemap::inventory::{Format, load_str};
use ripplemap::{Change, Graph, Impact, Scenario, State};

fn graph(toml: &str) -> Graph {
    match load_str(toml, Format::Toml, Path::new("test.toml")) {
        Ok(inv) => Graph::new(inv),
        Err(e) => panic!("fixture does not load: {:#?}", e.diagnostics),
    }
}

fn fail<'g>(g: &'g Graph, ids: &[&str], hours: Option<f64>) -> Impact<'g> {
    let s = Scenario {
        failed: ids.iter().map(|s| s.to_string()).collect(),
        failed_links: vec![],
        horizon_hours: hours,
    };
    g.impact(&s).unwrap()
}

/// (state, at_hours, path) of a node, or None when unaffected.
fn row<'a>(imp: &'a Impact, id: &str) -> Option<(State, f64, Vec<&'a str>)> {
    imp.affected
        .iter()
        .find(|a| a.id == id)
        .map(|a| (a.state, a.at_hours, imp.path(a).to_vec()))
}

const K_OF_N: &str = r#"
[[system]]
id = "a"
[[system]]
id = "b"
[[system]]
id = "d"
[[system]]
id = "pay"
[[system]]
id = "shop"
[[link]]
consumer = "pay"
provider = "a"
group = "banks"
[[link]]
consumer = "pay"
provider = "b"
group = "banks"
[[link]]
consumer = "pay"
provider = "d"
group = "banks"
[[group]]
consumer = "pay"
group = "banks"
min = 2
[[link]]
consumer = "shop"
provider = "pay"
"#;

#[test]
fn k_of_n_group_holds_until_n_minus_k_plus_one_members_are_lost() {
    let g = graph(K_OF_N);
    // 2 of 3 needed: losing one member is lost redundancy, not an outage.
    let one = fail(&g, &["a"], None);
    assert_eq!(
        row(&one, "pay"),
        Some((State::Degraded, 0.0, vec!["a", "pay"]))
    );
    assert_eq!(row(&one, "shop"), None, "degraded does not propagate");
    assert_eq!((one.summary.down, one.summary.degraded), (1, 1));

    // Losing two of three loses the group: the second loss decides it.
    let two = fail(&g, &["a", "b"], None);
    let (state, at, path) = row(&two, "pay").unwrap();
    assert_eq!((state, at), (State::Down, 0.0));
    assert_eq!(path.len(), 2);
    assert!(path[0] == "a" || path[0] == "b");
    assert_eq!(row(&two, "shop").unwrap().0, State::Down);
    assert_eq!(row(&two, "shop").unwrap().2.last(), Some(&"shop"));
}

const TOLERANCES: &str = r#"
[[system]]
id = "p1"
[[system]]
id = "p2"
[[system]]
id = "p3"
[[system]]
id = "alt"
[[system]]
id = "two-of-three"
[[link]]
consumer = "alt"
provider = "p1"
tolerance = "4h"
group = "g"
[[link]]
consumer = "alt"
provider = "p2"
tolerance = "1h"
group = "g"
[[link]]
consumer = "two-of-three"
provider = "p1"
tolerance = "1h"
group = "g"
[[link]]
consumer = "two-of-three"
provider = "p2"
tolerance = "3h"
group = "g"
[[link]]
consumer = "two-of-three"
provider = "p3"
tolerance = "2h"
group = "g"
[[group]]
consumer = "two-of-three"
group = "g"
min = 2
"#;

#[test]
fn a_group_is_lost_at_its_n_minus_k_plus_one_th_smallest_loss_time() {
    let g = graph(TOLERANCES);
    let imp = fail(&g, &["p1", "p2", "p3"], None);
    // alt (1 of 2): losses at 4h and 1h; lost at the 2nd smallest = 4h, through p1.
    assert_eq!(
        row(&imp, "alt"),
        Some((State::Down, 4.0, vec!["p1", "alt"]))
    );
    // two-of-three (2 of 3): losses at 1h, 3h, 2h; lost at the 2nd smallest = 2h, through p3.
    assert_eq!(
        row(&imp, "two-of-three"),
        Some((State::Down, 2.0, vec!["p3", "two-of-three"]))
    );
    // Sorted by at_hours: seeds (0 h), then 2 h, then 4 h.
    let order: Vec<&str> = imp.affected.iter().map(|a| a.id).collect();
    assert_eq!(order, ["p1", "p2", "p3", "two-of-three", "alt"]);

    // With only p2 failed, alt degrades at 1h (lost redundancy) and stays up.
    let imp = fail(&g, &["p2"], None);
    assert_eq!(
        row(&imp, "alt"),
        Some((State::Degraded, 1.0, vec!["p2", "alt"]))
    );
    assert_eq!(
        row(&imp, "two-of-three"),
        Some((State::Degraded, 3.0, vec!["p2", "two-of-three"]))
    );
}

const CHAIN: &str = r#"
[[system]]
id = "registry"
[[system]]
id = "extract"
[[system]]
id = "stats"
[[link]]
consumer = "extract"
provider = "registry"
mode = "async"
tolerance = "12h"
[[link]]
consumer = "stats"
provider = "extract"
mode = "async"
tolerance = "2d"
"#;

#[test]
fn tolerances_accumulate_along_a_chain_and_the_horizon_cuts_off() {
    let g = graph(CHAIN);
    let forever = fail(&g, &["registry"], None);
    assert_eq!(
        row(&forever, "extract"),
        Some((State::Down, 12.0, vec!["registry", "extract"]))
    );
    assert_eq!(
        row(&forever, "stats"),
        Some((State::Down, 60.0, vec!["registry", "extract", "stats"]))
    );
    assert_eq!(forever.scenario.horizon_hours, None);

    let day = fail(&g, &["registry"], Some(24.0));
    assert_eq!(row(&day, "extract").map(|r| r.0), Some(State::Down));
    assert_eq!(
        row(&day, "stats"),
        None,
        "lost at 60 h, after the 24 h horizon"
    );
    assert_eq!(day.scenario.horizon_hours, Some(24.0));

    // Down means T <= H: exactly at the horizon counts.
    assert_eq!(
        row(&fail(&g, &["registry"], Some(12.0)), "extract").map(|r| r.0),
        Some(State::Down)
    );
    assert_eq!(row(&fail(&g, &["registry"], Some(11.5)), "extract"), None);
}

#[test]
fn a_tolerance_of_centuries_is_kept_exactly() {
    // 228 years (7.2e9 s) do not fit the engine's compact 32-bit seconds: it reads the
    // link instead.
    let g = graph(
        r#"
[[system]]
id = "archive"
[[system]]
id = "vault"
[[link]]
consumer = "vault"
provider = "archive"
mode = "async"
tolerance = "2000000h"
"#,
    );
    let forever = fail(&g, &["archive"], None);
    assert_eq!(
        row(&forever, "vault"),
        Some((State::Down, 2_000_000.0, vec!["archive", "vault"]))
    );
    assert_eq!(
        row(&fail(&g, &["archive"], Some(1_999_999.0)), "vault"),
        None
    );
}

const CYCLE: &str = r#"
[[system]]
id = "x"
[[system]]
id = "y"
[[system]]
id = "z"
[[link]]
consumer = "x"
provider = "y"
group = "either"
[[link]]
consumer = "x"
provider = "z"
group = "either"
[[link]]
consumer = "y"
provider = "x"
"#;

#[test]
fn a_cycle_of_healthy_nodes_stays_up() {
    let g = graph(CYCLE);
    // x needs y or z; y needs x. Losing z leaves x on y and y on x: the least solution
    // keeps both up, x only loses redundancy.
    let imp = fail(&g, &["z"], None);
    assert_eq!(row(&imp, "x"), Some((State::Degraded, 0.0, vec!["z", "x"])));
    assert_eq!(row(&imp, "y"), None);
    // Failing x takes y down, and the cycle does not loop.
    let imp = fail(&g, &["x"], None);
    assert_eq!(row(&imp, "y"), Some((State::Down, 0.0, vec!["x", "y"])));
    assert_eq!(imp.affected.len(), 2);
}

const SOFT: &str = r#"
[[system]]
id = "sms"
[[system]]
id = "portal"
[[system]]
id = "app"
[[system]]
id = "m1"
[[system]]
id = "m2"
[[system]]
id = "reports"
[[link]]
consumer = "portal"
provider = "sms"
effect = "degraded"
[[link]]
consumer = "app"
provider = "portal"
[[link]]
consumer = "reports"
provider = "m1"
effect = "degraded"
group = "mirrors"
[[link]]
consumer = "reports"
provider = "m2"
effect = "degraded"
group = "mirrors"
"#;

#[test]
fn soft_links_degrade_and_degraded_does_not_propagate() {
    let g = graph(SOFT);
    let imp = fail(&g, &["sms"], None);
    assert_eq!(
        row(&imp, "portal"),
        Some((State::Degraded, 0.0, vec!["sms", "portal"]))
    );
    assert_eq!(row(&imp, "app"), None);
    // A degraded-effect group that holds is not a degradation (SPEC: only lost
    // redundancy in down-effect groups counts); losing it is.
    assert_eq!(row(&fail(&g, &["m1"], None), "reports"), None);
    assert_eq!(
        row(&fail(&g, &["m1", "m2"], None), "reports").map(|r| r.0),
        Some(State::Degraded)
    );
}

const SITES: &str = r#"
[[site]]
id = "dc-a"
[[site]]
id = "dc-b"
[[system]]
id = "both"
sites = ["dc-a", "dc-b"]
[[system]]
id = "only-a"
sites = ["dc-a"]
"#;

#[test]
fn sites_shorthand_is_active_active_hosting() {
    let g = graph(SITES);
    let links: Vec<&str> = g.inventory().links.iter().map(|l| l.id.as_str()).collect();
    assert_eq!(links, ["both->dc-a", "both->dc-b", "only-a->dc-a"]);
    let a = fail(&g, &["dc-a"], None);
    assert_eq!(
        row(&a, "both"),
        Some((State::Degraded, 0.0, vec!["dc-a", "both"]))
    );
    assert_eq!(
        row(&a, "only-a"),
        Some((State::Down, 0.0, vec!["dc-a", "only-a"]))
    );
    let ab = fail(&g, &["dc-a", "dc-b"], None);
    assert_eq!(row(&ab, "both").map(|r| r.0), Some(State::Down));
}

#[test]
fn a_failed_link_starts_the_path_at_its_provider_which_stays_up() {
    let g = graph(CHAIN);
    let imp = g
        .impact(&Scenario {
            failed_links: vec!["extract->registry".into()],
            ..Default::default()
        })
        .unwrap();
    // Lost at 0 whatever its tolerance; the provider itself is not affected.
    let extract = imp.affected.iter().find(|a| a.id == "extract").unwrap();
    assert_eq!(
        (extract.state, extract.at_hours, extract.depth),
        (State::Down, 0.0, 1)
    );
    assert_eq!(imp.path(extract)[..], ["registry", "extract"]);
    assert_eq!(extract.via, Some("registry"));
    assert_eq!(row(&imp, "registry"), None);
    assert_eq!(
        row(&imp, "stats"),
        Some((State::Down, 48.0, vec!["registry", "extract", "stats"]))
    );
    assert_eq!(imp.scenario.failed_links, ["extract->registry"]);
}

#[test]
fn seeds_have_depth_zero_and_paths_are_links_from_a_seed() {
    let g = graph(K_OF_N);
    let imp = fail(&g, &["a", "b", "d"], None);
    for a in &imp.affected {
        let path = imp.path(a);
        assert_eq!(a.depth as usize + 1, path.len(), "{}", a.id);
        assert_eq!(path.last(), Some(&a.id));
        assert!(["a", "b", "d"].contains(&path[0]));
        for pair in path.windows(2) {
            let linked = g
                .inventory()
                .links
                .iter()
                .any(|l| l.provider == pair[0] && l.consumer == pair[1]);
            assert!(linked, "{} -> {} is not a link", pair[0], pair[1]);
        }
    }
}

#[test]
fn unknown_ids_name_the_closest_existing_ones() {
    let g = graph(SITES);
    let err = g
        .impact(&Scenario {
            failed: vec!["dc-c".into()],
            ..Default::default()
        })
        .unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("unknown node id `dc-c`"), "{msg}");
    assert!(msg.contains("`dc-a`") && msg.contains("`dc-b`"), "{msg}");
    let err = g
        .change(&Change {
            links: vec!["both->dc".into()],
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("did you mean `both->dc-a`"),
        "{err}"
    );
    assert!(g.impact(&Scenario::default()).is_err());
    let neg = Scenario {
        failed: vec!["dc-a".into()],
        horizon_hours: Some(-1.0),
        ..Default::default()
    };
    assert!(g.impact(&neg).is_err());
}

const DIAMOND: &str = r#"
[[system]]
id = "auth"
[[system]]
id = "portal"
[[system]]
id = "docs"
[[system]]
id = "citizen-app"
[[link]]
consumer = "portal"
provider = "auth"
mode = "async"
tolerance = "1d"
effect = "degraded"
[[link]]
consumer = "docs"
provider = "portal"
[[link]]
consumer = "citizen-app"
provider = "docs"
[[link]]
consumer = "citizen-app"
provider = "auth"
"#;

#[test]
fn change_reaches_every_dependant_with_its_shortest_path() {
    let g = graph(DIAMOND);
    let ch = g
        .change(&Change {
            systems: vec!["auth".into()],
            ..Default::default()
        })
        .unwrap();
    let got: Vec<(&str, u32, Vec<&str>)> = ch
        .affected
        .iter()
        .map(|r| (r.id, r.depth, ch.path(r).to_vec()))
        .collect();
    // Any link counts, whatever its effect or tolerance; citizen-app is reached directly.
    assert_eq!(
        got,
        [
            ("citizen-app", 1, vec!["auth", "citizen-app"]),
            ("portal", 1, vec!["auth", "portal"]),
            ("docs", 2, vec!["auth", "portal", "docs"]),
        ]
    );
    assert_eq!((ch.summary.affected, ch.summary.direct), (3, 2));

    // A changed link affects its consumer at depth 1 and what depends on it.
    let ch = g
        .change(&Change {
            links: vec!["docs->portal".into()],
            ..Default::default()
        })
        .unwrap();
    let ids: Vec<(&str, u32)> = ch.affected.iter().map(|r| (r.id, r.depth)).collect();
    assert_eq!(ids, [("docs", 1), ("citizen-app", 2)]);
    assert_eq!(
        ch.path(&ch.affected[1])[..],
        ["portal", "docs", "citizen-app"]
    );

    // Changed nodes are not listed, even when they depend on each other.
    let ch = g
        .change(&Change {
            systems: vec!["auth".into(), "portal".into()],
            ..Default::default()
        })
        .unwrap();
    assert!(
        ch.affected
            .iter()
            .all(|r| r.id != "portal" && r.id != "auth")
    );
    assert_eq!(ch.changed, ["auth", "portal"]);
}

#[test]
fn failure_json_has_the_spec_shape() {
    let g = graph(CHAIN);
    let imp = fail(&g, &["registry"], None);
    let v: serde_json::Value = serde_json::from_str(&crate::support::to_json(&imp)).unwrap();
    assert_eq!(v["scenario"]["failed"], serde_json::json!(["registry"]));
    assert_eq!(v["scenario"]["failed_links"], serde_json::json!([]));
    assert!(v["scenario"]["horizon_hours"].is_null());
    assert_eq!(
        v["affected"][1]["path"],
        serde_json::json!(["registry", "extract"])
    );
    assert_eq!(v["affected"][1]["at_hours"], serde_json::json!(12.0));
    assert_eq!(v["affected"][1]["state"], "down");
    assert_eq!(v["summary"]["down"], 3);
    assert_eq!(v["summary"]["degraded"], 0);
}

#[test]
fn long_witness_paths_are_rebuilt_whole_or_shortened_at_both_ends() {
    // a0 -> a1 -> ... -> a11: each needs the one before.
    let mut toml = String::new();
    for i in 0..12 {
        toml.push_str(&format!("[[system]]\nid = \"a{i}\"\n"));
    }
    for i in 1..12 {
        toml.push_str(&format!(
            "[[link]]\nconsumer = \"a{i}\"\nprovider = \"a{}\"\n",
            i - 1
        ));
    }
    let g = graph(&toml);
    let imp = fail(&g, &["a0"], None);
    let last = imp.affected.iter().find(|a| a.id == "a11").unwrap();
    assert_eq!(last.depth, 11);
    assert_eq!(last.via, Some("a10"));
    assert_eq!(imp.path(last).len(), 12);
    let short = imp.short_path(last);
    assert_eq!(short.head[..], ["a0", "a1"]);
    assert_eq!(short.hidden, 8);
    assert_eq!(short.tail[..], ["a10", "a11"]);
    // Five nodes or fewer are shown whole.
    let a4 = imp.affected.iter().find(|a| a.id == "a4").unwrap();
    let short = imp.short_path(a4);
    assert_eq!(
        (short.head.len(), short.hidden, short.tail.len()),
        (5, 0, 0)
    );
    // JSON rows name their predecessor instead of the path when asked.
    let via = serde_json::to_value(imp.json(ripplemap::PathMode::Via)).unwrap();
    assert_eq!(via["affected"][11]["via"], "a10");
    assert!(via["affected"][11].get("path").is_none());
    let full = serde_json::to_value(&imp).unwrap();
    assert_eq!(
        full["affected"][11]["path"].as_array().map(Vec::len),
        Some(12)
    );
}
