//! A bounded loopback load test of the explorer's API (a benchmark, not a timed test).
//!
//! ```text
//! ripplemap generate --nodes 50000 --links 500000 --seed 42 --to csv -o /tmp/g50k
//! cargo run --release --example serve_load -- /tmp/g50k [--clients 8] [--secs 20] [--url http://127.0.0.1:8080] [--query '&limit=500']
//! ```
//!
//! Loads the inventory (for its node ids), serves it in this process on a free loopback
//! port (or uses the running `ripplemap serve` at `--url`, which must be on this machine),
//! then runs CLIENTS concurrent keep-alive clients for SECS seconds, each asking
//! `/api/impact?fail=ID` for random nodes (a single failure lasting for ever; `--query`
//! appends parameters, e.g. the explorer's `&limit=500&paths=via`), and prints
//! throughput, latency percentiles, errors and answer sizes. Every loop is bounded in
//! count and time, and only loopback addresses are accepted.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ripplemap::serve::{Explorer, Limits, router};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// The most requests one client sends, whatever the duration.
const MAX_REQUESTS_PER_CLIENT: usize = 1_000_000;

struct Args {
    inventory: PathBuf,
    clients: usize,
    secs: u64,
    url: Option<SocketAddr>,
    query: String,
}

fn parse_args() -> Result<Args, String> {
    let mut it = std::env::args().skip(1);
    let mut args = Args {
        inventory: PathBuf::new(),
        clients: 8,
        secs: 20,
        url: None,
        query: String::new(),
    };
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--clients" => {
                args.clients = value("--clients")?.parse().map_err(|e| format!("{e}"))?;
            }
            "--secs" => args.secs = value("--secs")?.parse().map_err(|e| format!("{e}"))?,
            "--query" => {
                let q = value("--query")?;
                // Appended to the request line: no spaces or line breaks.
                if q.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err("--query: no spaces or control characters".into());
                }
                args.query = q;
            }
            "--url" => {
                let u = value("--url")?;
                let hostport = u
                    .trim_start_matches("http://")
                    .trim_end_matches('/')
                    .replace("localhost", "127.0.0.1");
                let addr: SocketAddr = hostport
                    .parse()
                    .map_err(|e| format!("--url {u}: {e} (give http://127.0.0.1:PORT)"))?;
                if !addr.ip().is_loopback() {
                    return Err(format!(
                        "--url {u}: only loopback addresses are load-tested"
                    ));
                }
                args.url = Some(addr);
            }
            _ if args.inventory.as_os_str().is_empty() => args.inventory = PathBuf::from(a),
            other => return Err(format!("unexpected argument `{other}`")),
        }
    }
    if args.inventory.as_os_str().is_empty() {
        return Err("usage: serve_load INVENTORY [--clients N] [--secs S] [--url URL]".into());
    }
    args.clients = args.clients.clamp(1, 64);
    args.secs = args.secs.clamp(1, 300);
    Ok(args)
}

/// One client's tally.
#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
    statuses: std::collections::BTreeMap<u16, usize>,
    bytes: u64,
}

/// Reads one HTTP/1.1 answer with a Content-Length body: status and body size.
async fn read_answer(r: &mut BufReader<TcpStream>) -> std::io::Result<(u16, u64)> {
    let mut line = String::new();
    r.read_line(&mut line).await?;
    let status = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line `{line}`")))?;
    let mut length = 0u64;
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Err(std::io::Error::other("connection closed in the headers"));
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse().map_err(std::io::Error::other)?;
        }
    }
    let mut body = r.take(length);
    let n = tokio::io::copy(&mut body, &mut tokio::io::sink()).await?;
    Ok((status, n))
}

async fn client(
    addr: SocketAddr,
    ids: Arc<Vec<String>>,
    query: Arc<String>,
    seed: u64,
    until: Instant,
) -> Tally {
    let mut tally = Tally::default();
    let mut rng = seed.max(1);
    let mut conn: Option<BufReader<TcpStream>> = None;
    for _ in 0..MAX_REQUESTS_PER_CLIENT {
        if Instant::now() >= until {
            break;
        }
        // xorshift64: a random node each time.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let id = &ids[(rng % ids.len() as u64) as usize];
        let started = Instant::now();
        let result = async {
            if conn.is_none() {
                conn = Some(BufReader::new(TcpStream::connect(addr).await?));
            }
            let c = conn
                .as_mut()
                .ok_or_else(|| std::io::Error::other("no connection"))?;
            let req = format!(
                "GET /api/impact?fail={id}{query} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n\r\n"
            );
            c.get_mut().write_all(req.as_bytes()).await?;
            read_answer(c).await
        }
        .await;
        match result {
            Ok((status, bytes)) => {
                tally.latencies.push(started.elapsed());
                *tally.statuses.entry(status).or_default() += 1;
                tally.bytes += bytes;
                if status != 200 {
                    tally.errors += 1;
                }
            }
            Err(e) => {
                eprintln!("client error: {e}");
                tally.errors += 1;
                conn = None;
            }
        }
    }
    tally
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn main() -> Result<(), String> {
    let args = parse_args()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let t = Instant::now();
        let explorer = Explorer::open(&args.inventory, None, Limits::default())
            .map_err(|e| format!("{} error(s) loading the inventory", e.diagnostics.len()))?;
        let loaded = explorer.current();
        let ids: Vec<String> = loaded
            .graph
            .inventory()
            .nodes
            .iter()
            .map(|n| n.id.to_string())
            .collect();
        println!(
            "loaded {} ({} nodes, {} links) with the explorer's tables in {:.2} s",
            args.inventory.display(),
            loaded.graph.node_count(),
            loaded.graph.link_count(),
            t.elapsed().as_secs_f64()
        );
        drop(loaded);
        let addr = match args.url {
            Some(a) => a,
            None => {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .map_err(|e| e.to_string())?;
                let a = listener.local_addr().map_err(|e| e.to_string())?;
                let app = router(Arc::new(explorer));
                tokio::spawn(async move {
                    let _ = axum::serve(listener, app).await;
                });
                a
            }
        };
        println!(
            "{} clients for {} s against http://{addr}/api/impact?fail=<random node>{}",
            args.clients, args.secs, args.query
        );
        let ids = Arc::new(ids);
        let query = Arc::new(args.query.clone());
        let started = Instant::now();
        let until = started + Duration::from_secs(args.secs);
        let tasks: Vec<_> = (0..args.clients)
            .map(|i| {
                tokio::spawn(client(
                    addr,
                    ids.clone(),
                    query.clone(),
                    0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1),
                    until,
                ))
            })
            .collect();
        let mut all = Tally::default();
        for t in tasks {
            let one = t.await.map_err(|e| e.to_string())?;
            all.latencies.extend(one.latencies);
            all.errors += one.errors;
            all.bytes += one.bytes;
            for (s, n) in one.statuses {
                *all.statuses.entry(s).or_default() += n;
            }
        }
        let wall = started.elapsed().as_secs_f64();
        all.latencies.sort_unstable();
        let n = all.latencies.len();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "requests:   {n} in {wall:.1} s = {:.0} per second",
            n as f64 / wall
        );
        println!(
            "latency ms: p50 {:.2}  p95 {:.2}  p99 {:.2}  max {:.2}",
            ms(percentile(&all.latencies, 0.50)),
            ms(percentile(&all.latencies, 0.95)),
            ms(percentile(&all.latencies, 0.99)),
            ms(percentile(&all.latencies, 1.0)),
        );
        println!("errors:     {} (statuses: {:?})", all.errors, all.statuses);
        println!(
            "answers:    {:.1} KiB on average, {:.1} MiB in all",
            all.bytes as f64 / n.max(1) as f64 / 1024.0,
            all.bytes as f64 / 1024.0 / 1024.0
        );
        Ok(())
    })
}
