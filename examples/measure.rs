//! Peak-memory and wall-clock probe for the engine on a generated inventory.
//!
//! `cargo run --release --example measure -- generate DIR [NODES LINKS SEED]` writes a
//! generated inventory (default 50,000 nodes / 500,000 links, seed 42) as a CSV directory
//! and prints its busiest hub; `measure impact DIR [HUB [RUNS]]` (or `measure change ...`),
//! run in a fresh process (for example under `/usr/bin/time -v`), loads it, builds the
//! graph and runs a failure (or change) query from the hub RUNS times (default 30),
//! printing the time of each step, then loads it again through the index cache (a miss,
//! then hits with the graph built from the index's tables). `measure xlsx INVENTORY OUT.xlsx [RUNS]` loads any
//! inventory, writes it as a workbook and loads the workbook RUNS times (default 3),
//! checking that it loads to the same model. `measure load INVENTORY [RUNS]` only loads,
//! printing the wall-clock and CPU time of each load (on a busy machine the CPU time says
//! more).

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use ripplemap::generate::{GenOptions, busiest_hub, generate};
use ripplemap::inventory::{write_csv_dir, write_xlsx};
use ripplemap::{Change, Graph, Scenario};

/// Prints a line, and stops quietly when the reader has gone (as `head` does).
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        if writeln!(std::io::stdout(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") if args.len() >= 2 => generate_dir(&args[1], &args[2..]),
        Some("xlsx") if args.len() >= 3 => xlsx(&args[1], &args[2], args.get(3)),
        Some("load") if args.len() >= 2 => load_only(&args[1], args.get(2)),
        Some(mode @ ("impact" | "change")) if args.len() >= 2 => {
            let runs = match args.get(3) {
                Some(r) => r.parse::<usize>().map_err(|e| format!("RUNS: {e}")),
                None => Ok(30),
            };
            runs.and_then(|runs| {
                query(mode, &args[1], args.get(2).map(String::as_str), runs.max(1))
                    .map_err(|e| e.to_string())
            })
            .map_err(Into::into)
        }
        _ => Err(
            "usage: measure generate DIR [NODES LINKS SEED] | measure impact|change DIR [HUB [RUNS]] | measure xlsx INVENTORY OUT.xlsx [RUNS] | measure load INVENTORY [RUNS]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("measure: {e}");
            ExitCode::from(2)
        }
    }
}

type Res = Result<(), Box<dyn std::error::Error>>;

fn generate_dir(dir: &str, rest: &[String]) -> Res {
    let num = |i: usize, default: u64| rest.get(i).map_or(Ok(default), |s| s.parse::<u64>());
    let opts = GenOptions {
        nodes: num(0, 50_000)? as usize,
        links: num(1, 500_000)? as usize,
        seed: num(2, 42)?,
    };
    let t = Instant::now();
    let inv = generate(&opts);
    let gen_time = t.elapsed();
    write_csv_dir(&inv, Path::new(dir))?;
    let hub = busiest_hub(&inv).unwrap_or("");
    say!(
        "generated {} nodes / {} links in {gen_time:.2?}; busiest hub {hub}",
        inv.nodes.len(),
        inv.links.len()
    );
    Ok(())
}

fn xlsx(inventory: &str, out: &str, runs: Option<&String>) -> Res {
    let runs = runs.map_or(Ok(3), |r| r.parse::<usize>())?.max(1);
    let t = Instant::now();
    let inv = ripplemap::load(Path::new(inventory))?;
    let load_time = t.elapsed();
    let t = Instant::now();
    write_xlsx(&inv, Path::new(out))?;
    let write_time = t.elapsed();
    let size = std::fs::metadata(out)?.len();
    say!(
        "{} nodes / {} links: loaded in {load_time:.2?}, written as XLSX in {write_time:.2?} ({} MB)",
        inv.nodes.len(),
        inv.links.len(),
        size >> 20
    );
    for run in 1..=runs {
        let t = Instant::now();
        let back = ripplemap::load(Path::new(out))?;
        let time = t.elapsed();
        say!(
            "XLSX load {run}: {time:.2?} (same model: {}; peak {})",
            back == inv,
            peak_mb()
        );
    }
    Ok(())
}

fn load_only(inventory: &str, runs: Option<&String>) -> Res {
    let runs = runs.map_or(Ok(3), |r| r.parse::<usize>())?.max(1);
    for run in 1..=runs {
        let (t, cpu) = (Instant::now(), cpu_secs());
        let inv = ripplemap::load(Path::new(inventory))?;
        say!(
            "load {run}: {:.2?} wall, {:.2} s CPU ({} nodes, {} links)",
            t.elapsed(),
            cpu_secs() - cpu,
            inv.nodes.len(),
            inv.links.len()
        );
    }
    Ok(())
}

/// CPU time used by the process so far, in seconds (`/proc/self/stat`, Linux).
fn cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
            Some(ticks / 100.0)
        })
        .unwrap_or(0.0)
}

fn query(mode: &str, dir: &str, hub: Option<&str>, runs: usize) -> Res {
    let t = Instant::now();
    let inv = ripplemap::load(Path::new(dir))?;
    let load_time = t.elapsed();
    let load_peak = peak_mb();
    let hub = match hub {
        Some(h) => h.to_owned(),
        None => busiest_hub(&inv)
            .ok_or("the inventory has no links")?
            .to_owned(),
    };
    let t = Instant::now();
    let graph = Graph::new(inv);
    let graph_time = t.elapsed();
    let graph_peak = peak_mb();
    // The first query also pays for first-touching its memory; later ones show the steady
    // cost of a query on a loaded graph. Both are printed.
    let mut times = Vec::with_capacity(runs);
    let mut outcome = String::new();
    for _ in 0..runs {
        let t = Instant::now();
        outcome = if mode == "impact" {
            let impact = graph.impact(&Scenario {
                failed: vec![hub.clone()],
                ..Default::default()
            })?;
            format!(
                "{} down, {} degraded",
                impact.summary.down, impact.summary.degraded
            )
        } else {
            let change = graph.change(&Change {
                systems: vec![hub.clone()],
                ..Default::default()
            })?;
            format!("{} affected", change.summary.affected)
        };
        times.push(t.elapsed());
    }
    let first = times.first().copied().unwrap_or_default();
    times.sort_unstable();
    let (best, median) = (times[0], times[times.len() / 2]);
    say!(
        "load {load_time:.2?}, graph {graph_time:.2?}, {mode} from {hub}: first {first:.2?}, of {runs} median {median:.2?} best {best:.2?} ({outcome})"
    );
    say!(
        "peak memory: {} after load, {} after the graph, {} at the end",
        load_peak,
        graph_peak,
        peak_mb()
    );
    // The same through the index cache (in a temporary directory): a miss writes the
    // index, then hits read it and build the graph from its tables, links left in it.
    drop(graph);
    let cache_dir = tempfile::tempdir()?;
    let cache = ripplemap::cache::Cache::at(cache_dir.path());
    cache.load(Path::new(dir))?;
    let mut hits = Vec::with_capacity(runs);
    for _ in 0..runs.min(5) {
        let t = Instant::now();
        let graph = cache.load(Path::new(dir))?.into_graph();
        hits.push(t.elapsed());
        drop(graph);
    }
    hits.sort_unstable();
    if let (Some(best), Some(median)) = (hits.first(), hits.get(hits.len() / 2)) {
        say!("index cache hit and graph: median {median:.2?} best {best:.2?}");
    }
    Ok(())
}

/// The process's peak resident memory so far (`VmHWM`, Linux), for the steps above.
fn peak_mb() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
            let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(format!("{} MB", kb / 1024))
        })
        .unwrap_or_else(|| "? MB".to_owned())
}
