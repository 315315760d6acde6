//! What the explorer serves from: the last good inventory with its look-up tables, and the
//! diagnostics of a reload that failed. Loaded once, answered from memory, swapped whole
//! when the inventory's files change.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime};

use serde::Serialize;

use super::to_json;
use crate::analysis::{self, InventoryStats, policy::PolicySummary};
use crate::cache::Cache;
use crate::graph::Graph;
use crate::inventory::{self, LoadError, LoadOptions};

use super::Limits;

/// The language the page starts in, unless the reader chooses another: the one `Lang`
/// of every output.
pub use crate::lang::Lang;

/// One loaded version of the inventory, with everything the API reads besides the graph.
#[derive(Debug)]
pub struct Loaded {
    /// The graph.
    pub graph: Graph,
    /// 1 for the first load, one more for every successful reload.
    pub version: u64,
    /// When it was loaded.
    pub loaded_at: SystemTime,
    /// `/api/inventory`, rendered once.
    pub(crate) inventory_json: String,
    /// Lowercased ids and names for `/api/search`.
    pub(crate) search: SearchIndex,
    /// The links of each node, as provider and as consumer.
    pub(crate) adjacency: Adjacency,
}

/// The `/api/inventory` document: what `check --format json` reports, without the findings.
#[derive(Serialize)]
struct InventoryDoc<'a> {
    inventory: &'a str,
    version: u64,
    stats: &'a InventoryStats,
    policy: &'a PolicySummary,
}

/// Lowercased text to search, in node and link index order.
#[derive(Debug, Default)]
pub(crate) struct SearchIndex {
    /// Lowercased id and name of each node.
    pub nodes: Vec<(String, String)>,
    /// Lowercased id of each link.
    pub links: Vec<String>,
    /// Each agency, lowercased, with its name as written and how many nodes it owns.
    pub agencies: Vec<(String, String, usize)>,
    /// Node indices of the sites, with how many nodes each hosts.
    pub sites: Vec<(u32, usize)>,
}

/// Links by node: `providers[start[v]..start[v + 1]]` are the links on which node `v`
/// depends (it is their consumer); `consumers[..]` likewise for the links it provides.
#[derive(Debug, Default)]
pub(crate) struct Adjacency {
    provider_start: Vec<u32>,
    providers: Vec<u32>,
    consumer_start: Vec<u32>,
    consumers: Vec<u32>,
}

impl Adjacency {
    fn build(graph: &Graph) -> Self {
        let inv = graph.inventory();
        let n = inv.nodes.len();
        let ends: Vec<Option<(u32, u32)>> = inv
            .links
            .iter()
            .map(|l| {
                Some((
                    node_index(graph, &l.consumer)?,
                    node_index(graph, &l.provider)?,
                ))
            })
            .collect();
        let (provider_start, providers) = csr(n, ends.iter().map(|e| e.map(|(c, _)| c)));
        let (consumer_start, consumers) = csr(n, ends.iter().map(|e| e.map(|(_, p)| p)));
        Adjacency {
            provider_start,
            providers,
            consumer_start,
            consumers,
        }
    }

    /// The links node `v` consumes (its providers).
    pub fn providers_of(&self, v: u32) -> &[u32] {
        slice(&self.provider_start, &self.providers, v)
    }

    /// The links node `v` provides (its consumers).
    pub fn consumers_of(&self, v: u32) -> &[u32] {
        slice(&self.consumer_start, &self.consumers, v)
    }
}

fn slice<'a>(start: &[u32], items: &'a [u32], v: u32) -> &'a [u32] {
    let (Some(&a), Some(&b)) = (start.get(v as usize), start.get(v as usize + 1)) else {
        return &[];
    };
    items.get(a as usize..b as usize).unwrap_or(&[])
}

/// Compressed rows: link `j` goes in the row of `key(j)`, links in index order.
fn csr(n: usize, keys: impl Iterator<Item = Option<u32>> + Clone) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for k in keys.clone().flatten() {
        if let Some(s) = start.get_mut(k as usize + 1) {
            *s += 1;
        }
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut fill = start.clone();
    let mut items = vec![0u32; start.last().copied().unwrap_or(0) as usize];
    for (j, k) in keys.enumerate() {
        let Some(k) = k else { continue };
        if let Some(f) = fill.get_mut(k as usize)
            && let Some(slot) = items.get_mut(*f as usize)
        {
            *slot = j as u32;
            *f += 1;
        }
    }
    (start, items)
}

/// The index of node `id` (nodes are sorted by id in a graph).
pub(crate) fn node_index(graph: &Graph, id: &str) -> Option<u32> {
    graph
        .inventory()
        .nodes
        .binary_search_by(|n| n.id.as_str().cmp(id))
        .ok()
        .map(|i| i as u32)
}

/// The index of link `id`.
pub(crate) fn link_index(graph: &Graph, id: &str) -> Option<u32> {
    graph
        .inventory()
        .links
        .binary_search_by(|l| l.id.as_str().cmp(id))
        .ok()
        .map(|i| i as u32)
}

impl Loaded {
    /// Builds the graph and the tables of a freshly loaded inventory.
    pub fn new(inv: inventory::Inventory, source: &str, version: u64) -> Self {
        Loaded::of_graph(Graph::new(inv), source, version)
    }

    /// The tables of an inventory whose graph is built (from the index cache's tables on a
    /// hit).
    pub fn of_graph(graph: Graph, source: &str, version: u64) -> Self {
        let stats = analysis::stats(graph.inventory());
        let policy = analysis::policy::check(&graph).summary;
        let inventory_json = to_json(&InventoryDoc {
            inventory: source,
            version,
            stats: &stats,
            policy: &policy,
        });
        let search = search_index(&graph, &stats);
        let adjacency = Adjacency::build(&graph);
        Loaded {
            graph,
            version,
            loaded_at: SystemTime::now(),
            inventory_json,
            search,
            adjacency,
        }
    }
}

fn search_index(graph: &Graph, stats: &InventoryStats) -> SearchIndex {
    let inv = graph.inventory();
    let nodes = inv
        .nodes
        .iter()
        .map(|n| (n.id.as_str().to_lowercase(), n.name.as_str().to_lowercase()))
        .collect();
    let links = inv
        .links
        .iter()
        .map(|l| l.id.as_str().to_lowercase())
        .collect();
    let mut agencies: std::collections::BTreeMap<&str, usize> = Default::default();
    for n in &inv.nodes {
        if let Some(a) = &n.agency {
            *agencies.entry(a.as_str()).or_default() += 1;
        }
    }
    // Hosted counts as `check` gives them (`sites` lists and hosting links alike).
    let sites = stats
        .sites
        .iter()
        .filter_map(|s| Some((node_index(graph, &s.id)?, s.hosted)))
        .collect();
    SearchIndex {
        nodes,
        links,
        agencies: agencies
            .into_iter()
            .map(|(a, n)| (a.to_lowercase(), a.to_owned(), n))
            .collect(),
        sites,
    }
}

/// A reload that failed: the diagnostics, as `check` prints them.
#[derive(Debug, Clone, Serialize)]
pub struct Problem {
    /// One entry per diagnostic (a diagnostic may span lines: expected, help).
    pub diagnostics: Vec<String>,
    /// When the failed reload was tried, in seconds since the Unix epoch.
    pub at: u64,
}

/// What one look at the inventory's files found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reload {
    /// Nothing changed.
    Unchanged,
    /// The new version loaded and is now served.
    Loaded(u64),
    /// The new version does not load; the last good one is still served.
    Failed(usize),
}

/// The state shared by every request: the last good inventory, the last reload problem.
#[derive(Debug)]
pub struct Explorer {
    source: PathBuf,
    current: RwLock<Arc<Loaded>>,
    problem: RwLock<Option<Problem>>,
    fingerprint: Mutex<Fingerprint>,
    /// The language the page starts in (`None`: the browser's).
    pub lang: Option<Lang>,
    /// Request limits.
    pub limits: Limits,
    /// Accept any `Host` header (the server listens beyond loopback).
    pub any_host: bool,
    pub(crate) permits: Arc<tokio::sync::Semaphore>,
    /// How the inventory is read (the encoding of CSV files), as at start.
    load: LoadOptions,
    /// The compiled index cache loads go through.
    cache: Cache,
    /// Warnings of the first load (an encoding assumed), for the caller to show.
    pub warnings: Vec<String>,
}

impl Explorer {
    /// Loads the inventory at `source`; an inventory that does not load is an error, as
    /// for every other command.
    pub fn open(source: &Path, lang: Option<Lang>, limits: Limits) -> Result<Self, LoadError> {
        Self::open_with(
            source,
            lang,
            limits,
            LoadOptions::default(),
            Cache::disabled(),
        )
    }

    /// [`Explorer::open`] reading the inventory as `load` says, through `cache`; every
    /// reload reads it the same way.
    pub fn open_with(
        source: &Path,
        lang: Option<Lang>,
        limits: Limits,
        load: LoadOptions,
        cache: Cache,
    ) -> Result<Self, LoadError> {
        let fingerprint = Fingerprint::of(source);
        let loaded = cache.load_with(source, &load)?;
        let mut warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
        warnings.extend(loaded.warning.clone());
        let current = Loaded::of_graph(loaded.into_whole_graph(), &source.display().to_string(), 1);
        let permits = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2)
            .max(2);
        Ok(Explorer {
            source: source.to_owned(),
            current: RwLock::new(Arc::new(current)),
            problem: RwLock::new(None),
            fingerprint: Mutex::new(fingerprint),
            lang,
            limits,
            any_host: false,
            permits: Arc::new(tokio::sync::Semaphore::new(permits)),
            load,
            cache,
            warnings,
        })
    }

    /// The inventory as named on the command line.
    pub fn source(&self) -> &Path {
        &self.source
    }

    /// The version served now.
    pub fn current(&self) -> Arc<Loaded> {
        self.current
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The diagnostics of the last reload, if it failed.
    pub fn problem(&self) -> Option<Problem> {
        self.problem
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Looks at the inventory's files; when they changed, loads them and serves the new
    /// version, or keeps the last good one and records why the new one does not load.
    pub fn poll(&self) -> Reload {
        let now = Fingerprint::of(&self.source);
        {
            let mut seen = self
                .fingerprint
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            if *seen == now {
                return Reload::Unchanged;
            }
            *seen = now;
        }
        self.reload()
    }

    /// Loads the inventory again, whether or not it changed.
    pub fn reload(&self) -> Reload {
        match self
            .cache
            .load_with(&self.source, &self.load)
            .map(crate::cache::Loaded::into_whole_graph)
        {
            Ok(graph) => {
                let version = self.current().version + 1;
                let loaded = Loaded::of_graph(graph, &self.source.display().to_string(), version);
                *self.current.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(loaded);
                *self.problem.write().unwrap_or_else(PoisonError::into_inner) = None;
                Reload::Loaded(version)
            }
            Err(e) => {
                let n = e.diagnostics.len();
                let problem = Problem {
                    diagnostics: e.diagnostics.iter().map(ToString::to_string).collect(),
                    at: unix_secs(SystemTime::now()),
                };
                *self.problem.write().unwrap_or_else(PoisonError::into_inner) = Some(problem);
                Reload::Failed(n)
            }
        }
    }
}

pub(crate) fn unix_secs(t: SystemTime) -> u64 {
    t.duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Sizes and modification times of the inventory's files: a file, or a directory's
/// `*.csv` files. Polled, which works on every file system and through editors that
/// replace files instead of writing them.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Fingerprint(Vec<(PathBuf, u64, Option<Duration>)>);

impl Fingerprint {
    fn of(source: &Path) -> Self {
        let stamp = |p: &Path| {
            std::fs::metadata(p).ok().map(|m| {
                let mtime = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok());
                (p.to_owned(), m.len(), mtime)
            })
        };
        if source.is_dir() {
            let mut files: Vec<PathBuf> = std::fs::read_dir(source)
                .map(|rd| {
                    rd.filter_map(Result::ok)
                        .map(|e| e.path())
                        .filter(|p| {
                            p.extension()
                                .and_then(|e| e.to_str())
                                .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            Fingerprint(files.iter().filter_map(|p| stamp(p)).collect())
        } else {
            Fingerprint(stamp(source).into_iter().collect())
        }
    }
}
