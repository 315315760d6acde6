//! The recovery timeline (SPEC section 5) on generated government-like inventories: the
//! site whose failure takes the most nodes down fails, every node gets a restore time
//! (drawn here: `generate` writes none), and the plan is computed with 50 crews, with no
//! crew limit, and as a what-if of four crew counts. Loading is not measured.
//!
//! Sizes are `NODESxLINKS` pairs in `RIPPLEMAP_BENCH_SIZES` (comma-separated, default
//! `5000x50000,50000x500000`).

mod common;

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use common::sizes;
use criterion::{Criterion, criterion_group, criterion_main};
use ripplemap::analysis::{self, RecoverOptions};
use ripplemap::generate::{GenOptions, generate};
use ripplemap::inventory::NodeKind;
use ripplemap::{ByGrade, Graph, Scenario};

/// Restore times, a third of them zero (a system that is back once what it needs is).
const RESTORES: [u64; 9] = [
    0,
    0,
    0,
    1800,
    2 * 3600,
    4 * 3600,
    8 * 3600,
    86_400,
    3 * 86_400,
];

/// A splitmix64 step: the same draws on every run.
fn draw(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn recover(c: &mut Criterion) {
    for (nodes, links) in sizes() {
        let mut inv = generate(&GenOptions {
            nodes,
            links,
            seed: 42,
        });
        let mut state = 42u64;
        for n in &mut inv.nodes {
            n.restore_secs = RESTORES[(draw(&mut state) % RESTORES.len() as u64) as usize];
        }
        let graph = Graph::new(inv);
        // The site whose failure (the site and all it hosts) takes the most nodes down.
        let sites: Vec<String> = graph
            .inventory()
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Site)
            .map(|n| n.id.to_string())
            .collect();
        let scenario = |site: &str| -> Option<Scenario> {
            let failed = analysis::select(&graph, &[format!("site={site}")]).ok()?;
            Some(Scenario {
                failed,
                ..Default::default()
            })
        };
        let Some((site, down)) = sites
            .iter()
            .filter_map(|s| {
                let down = graph.impact(&scenario(s)?).ok()?.summary.down;
                Some((s.clone(), down))
            })
            .max_by_key(|&(_, d)| d)
        else {
            eprintln!("{nodes} nodes / {links} links: no site to fail");
            continue;
        };
        let Some(failure) = scenario(&site) else {
            continue;
        };
        let targets = ByGrade::from_values([Some(3 * 86_400), Some(7 * 86_400), None, None, None]);
        let crews = |n: usize| RecoverOptions {
            crews: NonZeroUsize::new(n),
            targets,
            seed_back: None,
        };
        let started = Instant::now();
        if let Ok(p) = analysis::recover_with(&graph, &failure, &crews(50)) {
            eprintln!(
                "{nodes} nodes / {links} links: site {site} fails, {down} nodes down; 50 crews: \
                 all back at {:.1} h, {} breaches ({:.2} s once)",
                p.all_back_hours,
                p.rto_breaches.len(),
                started.elapsed().as_secs_f64()
            );
        }
        let mut group = c.benchmark_group(format!("{nodes}n_{links}l"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if nodes >= 20_000 { 8 } else { 2 }));
        group.bench_function("recover_site_50_crews", |b| {
            b.iter(|| analysis::recover_with(black_box(&graph), &failure, &crews(50)))
        });
        group.bench_function("recover_site_no_crew_limit", |b| {
            b.iter(|| analysis::recover_with(black_box(&graph), &failure, &crews(0)))
        });
        let counts = [10, 50, 200, 1000].map(NonZeroUsize::new);
        group.bench_function("recover_site_what_if_4_crew_counts", |b| {
            b.iter(|| analysis::what_if(black_box(&graph), &failure, &counts, &targets))
        });
        group.finish();
    }
}

criterion_group!(benches, recover);
criterion_main!(benches);
