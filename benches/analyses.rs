//! Whole-inventory analysis benchmarks on generated government-like inventories: `rank`
//! on 1 and 2 threads, `scenarios --sites`, and `cuts --max 2` for the busiest grade 1
//! shared service.
//!
//! Sizes are `NODESxLINKS` pairs in `RIPPLEMAP_BENCH_SIZES` (comma-separated, default
//! `5000x50000,50000x500000`). Loading and one query are in `benches/engine.rs`.

// Tests and benchmarks stop at the first surprise: unwrap and expect are their asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::sizes;
use criterion::{Criterion, criterion_group, criterion_main};
use ripplemap::Grade;
use ripplemap::Graph;
use ripplemap::analysis::{self, CutOptions, NoProgress, RankOptions, Sweep, SweepOptions};
use ripplemap::generate::{GenOptions, busiest_hub, generate};

fn analyses(c: &mut Criterion) {
    for (nodes, links) in sizes() {
        let inv = generate(&GenOptions {
            nodes,
            links,
            seed: 42,
        });
        // The busiest hub when it is grade 1, else the first grade 1 node.
        let target = busiest_hub(&inv)
            .filter(|h| inv.node(h).is_some_and(|n| n.grade == Some(Grade::G1)))
            .or_else(|| {
                inv.nodes
                    .iter()
                    .find(|n| n.grade == Some(Grade::G1))
                    .map(|n| n.id.as_str())
            })
            .map(str::to_owned);
        let graph = Graph::new(inv);
        let rank = |threads: usize| RankOptions {
            threads: Some(threads),
            top: Some(10),
            ..Default::default()
        };
        let sites = SweepOptions {
            sweep: Sweep::Sites,
            horizon_hours: None,
            top: None,
        };
        if let (Ok(r), Ok(s)) = (
            analysis::rank(&graph, &rank(2), &NoProgress),
            analysis::sweep(&graph, &sites, &NoProgress),
        ) {
            eprintln!(
                "{nodes} nodes / {links} links: {} single points of failure, {} site scenarios",
                r.single_points_of_failure, s.scenarios
            );
        }
        let mut group = c.benchmark_group(format!("{nodes}n_{links}l"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if nodes >= 20_000 { 6 } else { 2 }));
        for threads in [1, 2] {
            group.bench_function(format!("rank_{threads}_thread"), |b| {
                b.iter(|| analysis::rank(black_box(&graph), &rank(threads), &NoProgress))
            });
        }
        group.bench_function("scenarios_sites", |b| {
            b.iter(|| analysis::sweep(black_box(&graph), &sites, &NoProgress))
        });
        if let Some(target) = &target {
            let opts = CutOptions {
                target: target.clone(),
                max: 2,
                limit: ripplemap::analysis::cuts::DEFAULT_LIMIT,
            };
            if let Ok(cuts) = analysis::cuts(&graph, &opts, &NoProgress) {
                eprintln!(
                    "cuts of {target}: {} ancestors, {} minimal cuts of at most 2 nodes",
                    cuts.ancestors,
                    cuts.cuts.len()
                );
            }
            group.bench_function("cuts_max2_grade1", |b| {
                b.iter(|| analysis::cuts(black_box(&graph), &opts, &NoProgress))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, analyses);
criterion_main!(benches);
