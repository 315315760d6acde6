//! Engine benchmarks on generated government-like inventories: loading a CSV directory
//! (from its files, from the compiled index cache with and without building the graph, and
//! from its files writing the index), building the graph, a failure and a change query
//! from the busiest shared service, and writing the change table.
//!
//! Sizes are `NODESxLINKS` pairs in `RIPPLEMAP_BENCH_SIZES` (comma-separated, default
//! `5000x50000,50000x500000`). Dropping a result is not timed: a one-shot command exits
//! instead of freeing its result.

// Tests and benchmarks stop at the first surprise: unwrap and expect are their asserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use common::sizes;
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use ripplemap::generate::{GenOptions, busiest_hub, generate};
use ripplemap::inventory::write_csv_dir;
use ripplemap::{Change, Graph, Scenario};

fn engine(c: &mut Criterion) {
    for (nodes, links) in sizes() {
        let inv = generate(&GenOptions {
            nodes,
            links,
            seed: 42,
        });
        let Some(hub) = busiest_hub(&inv).map(str::to_owned) else {
            eprintln!("{nodes} nodes / {links} links: no links, nothing to benchmark");
            continue;
        };
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => {
                eprintln!("cannot create a temporary directory: {e}");
                return;
            }
        };
        if let Err(e) = write_csv_dir(&inv, dir.path()) {
            eprintln!("cannot write the inventory: {e}");
            return;
        }
        if let Err(e) = ripplemap::load(dir.path()) {
            eprintln!("the generated inventory does not load: {e}");
            return;
        }
        let graph = Graph::new(inv.clone());
        let scenario = Scenario {
            failed: vec![hub.clone()],
            ..Default::default()
        };
        let change = Change {
            systems: vec![hub.clone()],
            ..Default::default()
        };
        if let (Ok(i), Ok(ch)) = (graph.impact(&scenario), graph.change(&change)) {
            eprintln!(
                "{nodes} nodes / {links} links, busiest hub {hub}: impact {} down, {} degraded; change {} affected",
                i.summary.down, i.summary.degraded, ch.summary.affected
            );
        }

        let mut group = c.benchmark_group(format!("{nodes}n_{links}l"));
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if nodes >= 20_000 { 8 } else { 3 }));
        let path: &Path = dir.path();
        group.bench_function("load_csv_dir", |b| {
            b.iter_batched(
                || (),
                |()| ripplemap::load(black_box(path)),
                BatchSize::PerIteration,
            )
        });
        // A cold run's work before its query: load the CSV and build the graph from the
        // references the load resolved.
        let no_options = ripplemap::inventory::LoadOptions::default();
        group.bench_function("load_csv_dir_to_graph", |b| {
            b.iter_batched(
                || (),
                |()| {
                    ripplemap::inventory::load_with(black_box(path), &no_options)
                        .unwrap()
                        .into_graph()
                },
                BatchSize::PerIteration,
            )
        });
        // The compiled index cache: a hit (hash the input files, read and check the index,
        // decode), and a miss that writes the index (load the CSV, encode, write, rename).
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = ripplemap::cache::Cache::at(cache_dir.path());
        cache.load(path).unwrap();
        group.bench_function("load_cached_index_hit", |b| {
            b.iter_batched(
                || (),
                |()| cache.load(black_box(path)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        // A hit and the graph built from the tables the index keeps: what every command
        // on a cached inventory does before its query.
        group.bench_function("cached_index_hit_to_graph", |b| {
            b.iter_batched(
                || (),
                |()| cache.load(black_box(path)).unwrap().into_graph(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("load_csv_dir_writing_the_index", |b| {
            b.iter_batched(
                || cache.clear().unwrap(),
                |_| cache.load(black_box(path)).unwrap(),
                BatchSize::PerIteration,
            )
        });
        group.bench_function("graph_new", |b| {
            b.iter_batched(|| inv.clone(), Graph::new, BatchSize::PerIteration)
        });
        // Each result is dropped inside the timing, as a caller that asks one question after
        // another would (the memory of the last answer is reused for the next).
        group.bench_function("impact_busiest_hub", |b| {
            b.iter(|| graph.impact(black_box(&scenario)))
        });
        group.bench_function("change_busiest_hub", |b| {
            b.iter(|| graph.change(black_box(&change)))
        });
        // The table `change` prints (no colour, no width: a pipe or a file).
        if let Ok(ch) = graph.change(&change) {
            let style = ripplemap::render::Style::default();
            group.bench_function("change_table_busiest_hub", |b| {
                b.iter(|| {
                    ripplemap::render::table::change(black_box(&ch), style, &mut std::io::sink())
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, engine);
criterion_main!(benches);
