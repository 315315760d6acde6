//! A TOML inventory and a scenario: the first bytes pick failed nodes, a failed link and a
//! horizon, the rest is the inventory. Whatever loads is asked `impact`, `change`,
//! `recover`, `rank` and `cuts`; the answers must be consistent with each other and
//! nothing may panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use ripplemap::analysis::{self, CutOptions, NoProgress, RankOptions};
use ripplemap::inventory::{Format, load_str};
use ripplemap::{Change, Graph, Scenario, State};

fuzz_target!(|data: &[u8]| {
    let [a, b, l, h, rest @ ..] = data else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let Ok(inv) = load_str(text, Format::Toml, Path::new("fuzz.toml")) else {
        return;
    };
    // Whole-inventory analyses run a pass per node: keep inventories small.
    if inv.nodes.len() > 64 || inv.links.len() > 256 {
        return;
    }
    let pick = |i: u8, n: usize| (n > 0).then(|| usize::from(i) % n);
    let mut failed = Vec::new();
    for i in [a, b] {
        if let Some(k) = pick(*i, inv.nodes.len()) {
            failed.push(inv.nodes[k].id.to_string());
        }
    }
    let failed_links: Vec<String> = pick(*l, inv.links.len())
        .filter(|_| l % 2 == 1)
        .map(|k| inv.links[k].id.to_string())
        .into_iter()
        .collect();
    let horizon_hours = (*h < 200).then_some(f64::from(*h) / 4.0);
    let graph = Graph::new(inv);
    let scenario = Scenario {
        failed: failed.clone(),
        failed_links,
        horizon_hours,
    };
    if let Ok(imp) = graph.impact(&scenario) {
        // Every affected row's path is a chain that ends at the row.
        for row in &imp.affected {
            let path = imp.path(row);
            assert_eq!(path.last(), Some(&row.id));
            assert_eq!(path.len(), row.depth as usize + 1);
        }
        let down = imp.affected.iter().filter(|r| r.state == State::Down).count();
        assert_eq!(down, imp.summary.down);
        let _ = serde_json::to_string(&imp);
    }
    let _ = graph.change(&Change {
        systems: failed.clone(),
        links: Vec::new(),
    });
    let _ = analysis::recover(
        &graph,
        &Scenario {
            failed: failed.clone(),
            ..Default::default()
        },
    );
    let _ = analysis::rank(&graph, &RankOptions::default(), &NoProgress);
    if let Some(target) = failed.first() {
        let _ = analysis::cuts(
            &graph,
            &CutOptions {
                target: target.clone(),
                max: 2,
                limit: 16,
            },
            &NoProgress,
        );
    }
});
