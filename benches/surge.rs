//! Surge benchmarks (SPEC section 6) on generated government-like inventories with loads,
//! capacities and calls (`generate --loads`): one public system ten times over; every
//! public system three times over; and the first with one of its links lost (the failure
//! pass included; its group's other members take over). Times are for the analysis after loading: the graph is
//! built once.
//!
//! Sizes are `NODESxLINKS` pairs in `RIPPLEMAP_BENCH_SIZES` (comma-separated, default
//! `5000x50000,50000x500000`).

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::sizes;
use criterion::{Criterion, criterion_group, criterion_main};
use ripplemap::Graph;
use ripplemap::analysis::surge::{At, Bump, SurgeScenario, surge};
use ripplemap::generate::{GenOptions, add_loads, generate};

fn surges(c: &mut Criterion) {
    for (nodes, links) in sizes() {
        let opts = GenOptions {
            nodes,
            links,
            seed: 42,
        };
        let mut inv = generate(&opts);
        add_loads(&mut inv, opts.seed);
        let public: Vec<String> = inv
            .nodes
            .iter()
            .filter(|n| n.tags.iter().any(|t| t == "public"))
            .map(|n| n.id.to_string())
            .collect();
        // The busiest public system: the one with the largest outside load.
        let Some(top) = inv
            .nodes
            .iter()
            .filter(|n| n.tags.iter().any(|t| t == "public"))
            .max_by(|a, b| a.load.total_cmp(&b.load))
            .map(|n| n.id.to_string())
        else {
            eprintln!("{nodes} nodes / {links} links: no public system, nothing to benchmark");
            continue;
        };
        // One of the busiest public system's carrying links lost, preferably one with
        // alternatives (they take over its part); failing a provider node instead would
        // mostly take down a shared service and with it most of the inventory.
        let lost: Vec<String> = inv
            .links
            .iter()
            .filter(|l| l.consumer == top.as_str() && l.calls() > 0.0)
            .min_by_key(|l| l.group.is_none())
            .map(|l| l.id.to_string())
            .into_iter()
            .collect();
        let graph = Graph::new(inv);
        let one = SurgeScenario {
            at: vec![At {
                id: top.clone(),
                bump: Bump::Factor(10.0),
            }],
            ..Default::default()
        };
        let all = SurgeScenario {
            at: public
                .iter()
                .map(|id| At {
                    id: id.clone(),
                    bump: Bump::Factor(3.0),
                })
                .collect(),
            ..Default::default()
        };
        let failed = SurgeScenario {
            failed_links: lost.clone(),
            ..one.clone()
        };
        for (name, s) in [("one", &one), ("all public", &all), ("link lost", &failed)] {
            match surge(&graph, s) {
                Ok(r) => eprintln!(
                    "{nodes} nodes / {links} links, {name} (top: {top}): {} loaded, {} saturated, headroom {:?} ({:?} first), {} down",
                    r.nodes.len(),
                    r.summary.saturated,
                    r.summary.headroom,
                    r.first,
                    r.down
                ),
                Err(e) => {
                    eprintln!("{nodes} nodes / {links} links, {name}: {e}");
                    return;
                }
            }
        }

        let mut group = c.benchmark_group(format!("{nodes}n_{links}l"));
        group.sample_size(20);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if nodes >= 20_000 { 6 } else { 2 }));
        group.bench_function("surge_one_x10", |b| {
            b.iter(|| surge(&graph, black_box(&one)))
        });
        group.bench_function("surge_all_public_x3", |b| {
            b.iter(|| surge(&graph, black_box(&all)))
        });
        group.bench_function("surge_one_x10_link_lost", |b| {
            b.iter(|| surge(&graph, black_box(&failed)))
        });
        group.finish();
    }
}

criterion_group!(benches, surges);
criterion_main!(benches);
