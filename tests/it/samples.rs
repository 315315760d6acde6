//! The shipped inventories: they load, their three forms agree, and the results written
//! in their comments (hand-computed from SPEC section 2) hold.

use std::path::Path;

use ripplemap::Grade;
use ripplemap::inventory::{Format, load, load_str, write_json, write_toml};
use ripplemap::{Graph, Impact, Scenario, State};

fn graph(path: &str) -> Graph {
    Graph::new(load(Path::new(path)).unwrap())
}

fn fail<'g>(g: &'g Graph, ids: &[&str], hours: Option<f64>) -> Impact<'g> {
    let failed = ids.iter().map(|s| s.to_string()).collect();
    g.impact(&Scenario {
        failed,
        failed_links: vec![],
        horizon_hours: hours,
    })
    .unwrap()
}

/// Every affected node as `id state at_hours depth path`, in output order.
fn lines(imp: &Impact) -> Vec<String> {
    imp.affected
        .iter()
        .map(|a| {
            let state = if a.state == State::Down {
                "down"
            } else {
                "degraded"
            };
            format!(
                "{} {state} {}h {} [{}]",
                a.id,
                a.at_hours,
                a.depth,
                imp.path(a).join(", ")
            )
        })
        .collect()
}

#[test]
fn korea_egov_loads_the_same_from_toml_csv_and_json() {
    let toml = load(Path::new("inventories/korea-egov.toml")).unwrap();
    let csv = load(Path::new("inventories/korea-egov")).unwrap();
    assert_eq!(
        toml, csv,
        "the CSV twin has drifted: regenerate it with `ripplemap convert`"
    );
    let json = load_str(&write_json(&toml), Format::Json, Path::new("x.json")).unwrap();
    assert_eq!(toml, json);
    let again = load_str(
        &write_toml(&toml).unwrap(),
        Format::Toml,
        Path::new("x.toml"),
    )
    .unwrap();
    assert_eq!(toml, again);
    assert!(toml.nodes.len() >= 60 && toml.links.len() >= 150);
}

#[test]
fn gpki_failure_matches_the_independent_check() {
    // Expected sets computed by a separate Python implementation of SPEC section 2.
    let g = graph("inventories/korea-egov.toml");
    let imp = fail(&g, &["gpki"], None);
    let down: Vec<(&str, f64)> = imp
        .affected
        .iter()
        .filter(|a| a.state == State::Down)
        .map(|a| (a.id, a.at_hours))
        .collect();
    let mut at_once: Vec<&str> = down.iter().filter(|d| d.1 == 0.0).map(|d| d.0).collect();
    at_once.sort_unstable();
    assert_eq!(
        at_once,
        [
            "e-hojo",
            "g-drive",
            "gov-mail",
            "gov-messenger",
            "gov24",
            "gpki",
            "id-verify",
            "koneps",
            "mobile-id",
            "onnara",
            "relief-pay",
            "resident-reg",
            "saeol",
            "sido-admin",
            "subsidy24",
            "vaccine-booking"
        ]
    );
    let later: Vec<(&str, f64)> = down.iter().filter(|d| d.1 > 0.0).copied().collect();
    assert_eq!(
        later,
        [
            ("census-register", 12.0),
            ("kosis", 60.0),
            ("doc-hub", 72.0),
            ("local-tax", 72.0)
        ]
    );
    assert_eq!((imp.summary.down, imp.summary.degraded), (20, 19));
    assert_eq!(imp.summary.most_critical_down, Some(Grade::G1));

    // The 2023 outage lasted about 56 hours.
    let s = fail(&g, &["gpki"], Some(56.0)).summary;
    assert_eq!((s.down, s.degraded), (17, 17));
    // The router in front of GPKI (the reported cause) takes GPKI with it.
    let s = fail(&g, &["gpki-router"], None).summary;
    assert_eq!((s.down, s.degraded), (21, 19));
    // The 2025 Daejeon fire.
    let s = fail(&g, &["nirs-daejeon"], None).summary;
    assert_eq!((s.down, s.degraded), (39, 18));
}

#[test]
fn teach_k_of_n() {
    let g = graph("inventories/teach-k-of-n.toml");
    let one = fail(&g, &["bank-a"], None);
    assert_eq!(
        lines(&one),
        [
            "bank-a down 0h 0 [bank-a]",
            "payments degraded 0h 1 [bank-a, payments]"
        ]
    );
    let two = fail(&g, &["bank-a", "bank-b"], None);
    assert_eq!(
        lines(&two),
        [
            "bank-a down 0h 0 [bank-a]",
            "bank-b down 0h 0 [bank-b]",
            "payments down 2h 1 [bank-b, payments]",
            "payroll down 2h 2 [bank-b, payments, payroll]",
        ]
    );
    let cut = fail(&g, &["bank-a", "bank-b"], Some(1.0));
    assert_eq!(
        lines(&cut),
        [
            "bank-a down 0h 0 [bank-a]",
            "bank-b down 0h 0 [bank-b]",
            "payments degraded 0h 1 [bank-a, payments]"
        ]
    );
}

#[test]
fn teach_batch_tolerance() {
    let g = graph("inventories/teach-batch-tolerance.toml");
    assert_eq!(
        lines(&fail(&g, &["registry"], None)),
        [
            "registry down 0h 0 [registry]",
            "counter down 0h 1 [registry, counter]",
            "extract down 12h 1 [registry, extract]",
            "stats down 60h 2 [registry, extract, stats]",
            "dashboard down 60h 3 [registry, extract, stats, dashboard]",
            "bulletin down 64h 3 [registry, extract, stats, bulletin]",
        ]
    );
    assert_eq!(fail(&g, &["registry"], Some(24.0)).summary.down, 3);
    assert_eq!(fail(&g, &["registry"], Some(60.0)).summary.down, 5);
}

#[test]
fn teach_soft_link() {
    let g = graph("inventories/teach-soft-link.toml");
    assert_eq!(
        lines(&fail(&g, &["notify"], None)),
        [
            "notify down 0h 0 [notify]",
            "app degraded 0h 1 [notify, app]"
        ]
    );
    assert_eq!(
        lines(&fail(&g, &["carrier"], None)),
        [
            "carrier down 0h 0 [carrier]",
            "notify down 0h 1 [carrier, notify]",
            "app degraded 0h 2 [carrier, notify, app]"
        ]
    );
    assert_eq!(
        lines(&fail(&g, &["analytics"], None))[1],
        "app degraded 24h 1 [analytics, app]"
    );
    assert_eq!(
        lines(&fail(&g, &["analytics"], Some(12.0))),
        ["analytics down 0h 0 [analytics]"]
    );
    assert_eq!(fail(&g, &["db"], None).summary.down, 3);
}

#[test]
fn teach_active_active() {
    let g = graph("inventories/teach-active-active.toml");
    assert_eq!(
        lines(&fail(&g, &["dc-a"], None)),
        [
            "dc-a down 0h 0 [dc-a]",
            "archive down 0h 1 [dc-a, archive]",
            "portal degraded 0h 1 [dc-a, portal]",
            "registry degraded 0h 1 [dc-a, registry]",
            "reporting down 0h 2 [dc-a, archive, reporting]",
        ]
    );
    let b = fail(&g, &["dc-b"], None).summary;
    assert_eq!((b.down, b.degraded), (2, 2));
    let ab = fail(&g, &["dc-a", "dc-b"], None).summary;
    assert_eq!((ab.down, ab.degraded), (6, 0));
}
