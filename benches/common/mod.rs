//! What the benchmarks share: the inventory sizes to run.

const DEFAULT_SIZES: &[(usize, usize)] = &[(5_000, 50_000), (50_000, 500_000)];

/// The sizes to run, `NODESxLINKS` pairs from `RIPPLEMAP_BENCH_SIZES` (comma-separated)
/// or the defaults.
pub fn sizes() -> Vec<(usize, usize)> {
    let Ok(spec) = std::env::var("RIPPLEMAP_BENCH_SIZES") else {
        return DEFAULT_SIZES.to_vec();
    };
    let parsed: Option<Vec<(usize, usize)>> = spec
        .split(',')
        .map(|pair| {
            let (n, l) = pair.trim().split_once('x')?;
            Some((n.trim().parse().ok()?, l.trim().parse().ok()?))
        })
        .collect();
    parsed.unwrap_or_else(|| {
        eprintln!(
            "RIPPLEMAP_BENCH_SIZES={spec:?} is not like 5000x50000,50000x500000; using the defaults"
        );
        DEFAULT_SIZES.to_vec()
    })
}
