//! A deterministic, seeded generator of large government-like inventories for benchmarks and tests.
//!
//! The shape follows a national e-government estate:
//!
//! - **sites** (`dc-01` …): `max(4, nodes / 2000)` data-centre halls;
//! - **networks** (`net-01` …): `max(2, nodes / 5000)` backbones;
//! - **shared services** (`svc-001` …, kind `service`): about 1.5 % of the nodes
//!   (authentication, sharing centre, document hub …) with a power-law (Zipf, s = 1) choice
//!   of provider, so the first ones take heavy fan-in (thousands of dependants at 50,000 nodes);
//! - **externals** (`ext-001` …): about 1 % (banks, telecoms, card companies), not hosted;
//! - **systems** (`sys-00001` …): the rest, grades 1..4 (few grade 1, mostly 3 and 4, some
//!   ungraded), owned by `nodes / 100` agencies (`agency-007`) of uneven size.
//!
//! Every network, service and system runs on one site (85 %) or two sites active-active
//! (15 %): explicit `hosting` links in a `hosting` group with `min = 1` (the same model the
//! `sites` shorthand expands to, written out so that no link is implied). The remaining link
//! budget goes to dependency *units* of a consumer (a system, or a service depending on other
//! services, networks and externals): a single link (most), an alternatives group (`alt-N`,
//! 1 of 2–3 providers), a quorum group (`quorum-N`, 2 of 3 providers), or a mutual pair (a
//! consumer and a provider that depends back on it: the cycles, about 1 % of the links).
//! About 20 % of the links are async batches with a tolerance of 30m, 4h, 12h, 1d or 2d; about
//! 10 % of the units are `degraded` (soft) dependencies. Systems and services mostly depend on
//! ones with a smaller number, so apart from the mutual pairs the graph is close to acyclic.
//!
//! The result is exactly `links` links (hosting included) whenever there are at least two
//! nodes, ids are `l000000`-style, nodes, links and groups are in the loader's canonical
//! order, and the same options always give the same inventory: the pseudo-random source is
//! a hand-written SplitMix64 and every weight is computed with correctly rounded operations,
//! so the output does not depend on crate versions or on the platform's maths library.

use crate::grade::Grade;
use std::collections::HashSet;

use crate::inventory::{
    Effect, GroupDecl, HOSTING_GROUP, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin, Text,
};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenOptions {
    /// Number of nodes (at least 1 is generated).
    pub nodes: usize,
    /// Number of links, hosting links included (exact whenever `nodes >= 2`).
    pub links: usize,
    /// Seed of the pseudo-random source: the same options give the same inventory.
    pub seed: u64,
}

/// SplitMix64: tiny, fast, and stable forever (the output is defined by these lines).
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift (bias below 2^-32 for our sizes).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// A discrete power-law distribution over `0..n`: index `i` has weight `w(i)`.
struct Zipf {
    cdf: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, weight: impl Fn(usize) -> f64) -> Self {
        let mut total = 0.0;
        let cdf = (0..n)
            .map(|i| {
                total += weight(i);
                total
            })
            .collect();
        Zipf { cdf }
    }

    /// Weight `1 / (i + 1)`: steep, the first items dominate.
    fn steep(n: usize) -> Self {
        Zipf::new(n, |i| 1.0 / (i + 1) as f64)
    }

    /// Weight `1 / sqrt(i + 1)`: gentle.
    fn gentle(n: usize) -> Self {
        Zipf::new(n, |i| 1.0 / ((i + 1) as f64).sqrt())
    }

    /// Draws an index; `None` when the distribution is empty.
    fn draw(&self, rng: &mut Rng) -> Option<usize> {
        let total = *self.cdf.last()?;
        let x = rng.unit() * total;
        Some(
            self.cdf
                .partition_point(|&c| c <= x)
                .min(self.cdf.len() - 1),
        )
    }
}

/// The node categories, as contiguous index ranges in generation order.
#[derive(Debug, Clone, Copy)]
struct Layout {
    sites: usize,
    nets: usize,
    hubs: usize,
    exts: usize,
    systems: usize,
}

impl Layout {
    fn new(n: usize) -> Self {
        let sites = (n / 2000).max(4).min((n / 4).max(1));
        let nets = (n / 5000).max(2).min(n / 10);
        let hubs = (n * 15 / 1000).max(3).min(n / 5);
        let exts = (n / 100).max(1).min(n / 10);
        let systems = n - sites - nets - hubs - exts;
        Layout {
            sites,
            nets,
            hubs,
            exts,
            systems,
        }
    }

    fn site(&self, i: usize) -> usize {
        i
    }
    fn net(&self, i: usize) -> usize {
        self.sites + i
    }
    fn hub(&self, i: usize) -> usize {
        self.sites + self.nets + i
    }
    fn ext(&self, i: usize) -> usize {
        self.sites + self.nets + self.hubs + i
    }
    fn system(&self, i: usize) -> usize {
        self.sites + self.nets + self.hubs + self.exts + i
    }
    fn total(&self) -> usize {
        self.sites + self.nets + self.hubs + self.exts + self.systems
    }
}

/// Zero-padded number wide enough for `count` items (at least `min` digits).
fn padded(prefix: &str, i: usize, count: usize, min: usize) -> String {
    let width = count.saturating_sub(1).to_string().len().max(min);
    format!("{prefix}{i:0width$}")
}

const CITIES: &[&str] = &["대전", "광주", "대구", "공주", "세종", "서울"];
const HUB_NAMES: &[&str] = &[
    "authentication",
    "sharing centre",
    "document hub",
    "e-signature",
    "payment gateway",
    "notification",
    "address service",
    "identity verification",
];
const DOMAINS: &[&str] = &[
    "민원", "복지", "세무", "교육", "인사", "재정", "조달", "통계", "안전", "환경", "국토", "보건",
];
const SYSTEM_WORDS: &[&str] = &[
    "정보시스템",
    "포털",
    "관리시스템",
    "통합플랫폼",
    "행정시스템",
];
const EXTERNALS: &[&str] = &[
    "bank",
    "card company",
    "telecom",
    "credit bureau",
    "insurer",
    "courier",
];
const DATA: &[&str] = &[
    "resident records",
    "tax records",
    "certificates",
    "payments",
    "applications",
    "statistics",
];
/// Tolerances of async batch links: 30m, 4h, 12h, 1d, 2d.
const TOLERANCES: &[u64] = &[1_800, 14_400, 43_200, 86_400, 172_800];

/// Provider categories of one dependency unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cat {
    Hub,
    System,
    External,
    Network,
}

/// Builds the inventory; see the module documentation for its shape.
struct Gen {
    rng: Rng,
    lay: Layout,
    ids: Vec<Text>,
    links: Vec<Link>,
    groups: Vec<GroupDecl>,
    budget: usize,
    id_width: usize,
    /// (consumer, provider) pairs already linked, to keep dependants distinct.
    pairs: HashSet<u64>,
    /// Per-node counter of named groups, for unique group names.
    group_seq: Vec<u32>,
    hub_zipf: Zipf,
    system_zipf: Zipf,
    site_zipf: Zipf,
    ext_zipf: Zipf,
}

impl Gen {
    fn push_link(
        &mut self,
        consumer: usize,
        provider: usize,
        kind: LinkKind,
        effect: Effect,
        group: Option<&str>,
    ) {
        let (mode, tolerance_secs, method) = if kind == LinkKind::Hosting {
            (Mode::Sync, 0, None)
        } else if self.rng.chance(0.2) {
            let tol = TOLERANCES[self.rng.below(TOLERANCES.len())];
            (
                Mode::Async,
                tol,
                Some(if self.rng.chance(0.5) { "file" } else { "mq" }),
            )
        } else {
            // The first service is authentication: single sign-on.
            let method = match kind {
                LinkKind::Network => None,
                _ if self.lay.hubs > 0 && provider == self.lay.hub(0) => Some("sso"),
                _ => Some(if self.rng.chance(0.8) { "api" } else { "db" }),
            };
            (Mode::Sync, 0, method)
        };
        let data = (kind == LinkKind::Interface && self.rng.chance(0.3))
            .then(|| DATA[self.rng.below(DATA.len())]);
        let id = format!("l{:0width$}", self.links.len(), width = self.id_width);
        self.pairs.insert(pair(consumer, provider));
        self.links.push(Link {
            id: id.into(),
            consumer: self.ids[consumer].clone(),
            provider: self.ids[provider].clone(),
            kind,
            mode,
            tolerance_secs,
            effect,
            group: group.map(Text::from),
            method: method.map(Text::from),
            data: data.map(Text::from),
            calls: None,
            from_sites: false,
            origin: Origin::default(),
        });
        self.budget -= 1;
    }

    fn declare(&mut self, consumer: usize, group: String, min: u32) {
        self.groups.push(GroupDecl {
            consumer: self.ids[consumer].clone(),
            group: group.into(),
            min,
            from_sites: false,
            origin: Origin::default(),
        });
    }

    /// Hosting of one node on one site, or two sites active-active.
    fn host(&mut self, node: usize) {
        if self.budget == 0 || self.lay.sites == 0 {
            return;
        }
        let want = if self.lay.sites >= 2 && self.rng.chance(0.15) {
            2
        } else {
            1
        };
        let mut chosen: Vec<usize> = Vec::with_capacity(2);
        while chosen.len() < want.min(self.budget) {
            let s = self
                .lay
                .site(self.site_zipf.draw(&mut self.rng).unwrap_or(0));
            if !chosen.contains(&s) && s != node {
                chosen.push(s);
            }
        }
        for s in chosen {
            self.push_link(
                node,
                s,
                LinkKind::Hosting,
                Effect::Down,
                Some(HOSTING_GROUP),
            );
        }
        self.declare(node, HOSTING_GROUP.to_owned(), 1);
    }

    /// One provider of category `cat` for `consumer`, or `None` if the category is empty.
    /// Systems and services prefer providers with a smaller number (mostly acyclic).
    fn provider(&mut self, consumer: usize, cat: Cat) -> Option<usize> {
        let lay = self.lay;
        match cat {
            Cat::Hub => {
                let h = lay.hub(self.hub_zipf.draw(&mut self.rng)?);
                // A service depends on services listed before it.
                if consumer >= lay.hub(0) && consumer < lay.ext(0) && h >= consumer {
                    return None;
                }
                Some(h)
            }
            Cat::System => {
                let s = lay.system(self.system_zipf.draw(&mut self.rng)?);
                (s < consumer).then_some(s)
            }
            Cat::External => Some(lay.ext(self.ext_zipf.draw(&mut self.rng)?)),
            Cat::Network => (lay.nets > 0).then(|| lay.net(self.rng.below(lay.nets))),
        }
    }

    /// Up to `n` distinct new providers for `consumer`, trying category `cat` first and
    /// services after it. May return fewer (small inventories).
    fn providers(&mut self, consumer: usize, cat: Cat, n: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(n);
        for attempt in 0..12 * n {
            if out.len() == n {
                break;
            }
            let cat = if attempt < 4 * n { cat } else { Cat::Hub };
            let p = match self.provider(consumer, cat) {
                Some(p) => p,
                None if attempt >= 8 * n => self.rng.below(self.lay.total()),
                None => continue,
            };
            if p != consumer && !out.contains(&p) && !self.pairs.contains(&pair(consumer, p)) {
                out.push(p);
            }
        }
        out
    }

    /// One dependency unit of a consumer, at most `self.budget` links.
    fn unit(&mut self, consumer: usize) {
        let lay = self.lay;
        let is_hub = consumer >= lay.hub(0) && consumer < lay.ext(0);
        let r = self.rng.unit();
        let cat = if is_hub {
            match r {
                r if r < 0.5 => Cat::Hub,
                r if r < 0.8 => Cat::Network,
                _ => Cat::External,
            }
        } else {
            match r {
                r if r < 0.42 => Cat::Hub,
                r if r < 0.85 => Cat::System,
                r if r < 0.93 => Cat::External,
                _ => Cat::Network,
            }
        };
        let effect = if self.rng.chance(0.1) {
            Effect::Degraded
        } else {
            Effect::Down
        };
        let kind = if cat == Cat::Network {
            LinkKind::Network
        } else {
            LinkKind::Interface
        };
        let shape = self.rng.unit();
        let (size, min, name, mutual) = match shape {
            s if s < 0.1 => (2 + self.rng.below(2), 1, Some("alt"), false),
            s if s < 0.15 => (3, 2, Some("quorum"), false),
            s if s < 0.156 && !is_hub => (1, 1, None, true),
            _ => (1, 1, None, false),
        };
        let size = size.min(self.budget);
        let provs = self.providers(consumer, if mutual { Cat::System } else { cat }, size);
        if provs.is_empty() {
            // Only in tiny inventories: any other node will do.
            let p = (consumer + 1 + self.rng.below(lay.total() - 1)) % lay.total();
            self.push_link(consumer, p, kind, effect, None);
            return;
        }
        if provs.len() == 1 {
            self.push_link(consumer, provs[0], kind, effect, None);
            if mutual && self.budget > 0 {
                // The provider depends back on the consumer: a cycle.
                let back = if self.rng.chance(0.5) {
                    Effect::Down
                } else {
                    Effect::Degraded
                };
                self.push_link(provs[0], consumer, LinkKind::Interface, back, None);
            }
            return;
        }
        let seq = &mut self.group_seq[consumer];
        *seq += 1;
        let group = format!("{}-{}", name.unwrap_or("alt"), seq);
        let min = min.min(provs.len() as u32 - 1).max(1);
        for p in &provs {
            self.push_link(consumer, *p, kind, effect, Some(&group));
        }
        self.declare(consumer, group, min);
    }
}

fn pair(consumer: usize, provider: usize) -> u64 {
    ((consumer as u64) << 32) | provider as u64
}

/// Generates a valid inventory: it loads back identically after
/// [`crate::inventory::write_csv_dir`] and [`crate::load`].
pub fn generate(opts: &GenOptions) -> Inventory {
    let n = opts.nodes.max(1);
    let lay = Layout::new(n);
    let mut rng = Rng(opts.seed ^ 0x7269_7070_6C65_6D61); // "ripplema"
    let agencies = (n / 100).max(1);
    let agency_zipf = Zipf::gentle(agencies);
    let agency_name = |i: usize| padded("agency-", i, agencies, 3);

    let mut nodes: Vec<Node> = Vec::with_capacity(n);
    let node = |id: String, name: String, kind: NodeKind| Node {
        id: id.into(),
        name: name.into(),
        kind,
        agency: None,
        grade: None,
        sites: Vec::new(),
        tags: Vec::new(),
        restore_secs: 0,
        load: 0.0,
        capacity: None,
        origin: Origin::default(),
    };
    for i in 0..lay.sites {
        let city = CITIES[i % CITIES.len()];
        let mut s = node(
            padded("dc-", i + 1, lay.sites + 1, 2),
            format!("{city} 센터 {}", i + 1),
            NodeKind::Site,
        );
        s.tags = vec![Text::from("dc")];
        nodes.push(s);
    }
    for i in 0..lay.nets {
        let mut s = node(
            padded("net-", i + 1, lay.nets + 1, 2),
            format!("정부망 backbone {}", i + 1),
            NodeKind::Network,
        );
        s.agency = Some(Text::from(agency_name(0)));
        nodes.push(s);
    }
    for i in 0..lay.hubs {
        let base = HUB_NAMES[i % HUB_NAMES.len()];
        let name = if i < HUB_NAMES.len() {
            base.to_owned()
        } else {
            format!("{base} {}", i / HUB_NAMES.len() + 1)
        };
        let mut s = node(
            padded("svc-", i + 1, lay.hubs + 1, 3),
            name,
            NodeKind::Service,
        );
        s.grade = Some(if i < 8 || rng.chance(0.3) {
            Grade::G1
        } else {
            Grade::G2
        });
        s.agency = Some(Text::from(agency_name(rng.below(agencies.min(5)))));
        s.tags = vec![Text::from("shared")];
        nodes.push(s);
    }
    for i in 0..lay.exts {
        let base = EXTERNALS[i % EXTERNALS.len()];
        let name = format!("{base} {}", i / EXTERNALS.len() + 1);
        let mut s = node(
            padded("ext-", i + 1, lay.exts + 1, 3),
            name,
            NodeKind::External,
        );
        s.tags = vec![Text::from("external")];
        nodes.push(s);
    }
    for i in 0..lay.systems {
        let id = padded("sys-", i + 1, lay.systems + 1, 5);
        let name = format!(
            "{} {} {}",
            DOMAINS[rng.below(DOMAINS.len())],
            SYSTEM_WORDS[rng.below(SYSTEM_WORDS.len())],
            i + 1
        );
        let mut s = node(id, name, NodeKind::System);
        let g = rng.unit();
        s.grade = match g {
            g if g < 0.04 => Some(Grade::G1),
            g if g < 0.18 => Some(Grade::G2),
            g if g < 0.58 => Some(Grade::G3),
            g if g < 0.95 => Some(Grade::G4),
            _ => None,
        };
        s.agency = Some(Text::from(agency_name(
            agency_zipf.draw(&mut rng).unwrap_or(0),
        )));
        if rng.chance(0.1) {
            s.tags = vec![Text::from("public")];
        }
        nodes.push(s);
    }
    debug_assert_eq!(nodes.len(), lay.total());

    let budget = if n >= 2 { opts.links } else { 0 };
    let mut g = Gen {
        rng,
        lay,
        ids: nodes.iter().map(|n| n.id.clone()).collect(),
        links: Vec::with_capacity(budget),
        groups: Vec::new(),
        budget,
        id_width: budget.saturating_sub(1).to_string().len().max(6),
        pairs: HashSet::with_capacity(budget),
        group_seq: vec![0; n],
        hub_zipf: Zipf::steep(lay.hubs),
        system_zipf: Zipf::gentle(lay.systems),
        site_zipf: Zipf::gentle(lay.sites),
        ext_zipf: Zipf::steep(lay.exts),
    };
    // Hosting first: networks, services, systems (externals run elsewhere).
    let hosted = (0..lay.nets)
        .map(|i| lay.net(i))
        .chain((0..lay.hubs).map(|i| lay.hub(i)));
    for v in hosted
        .chain((0..lay.systems).map(|i| lay.system(i)))
        .collect::<Vec<_>>()
    {
        g.host(v);
    }
    // Dependencies: 92 % of the units belong to a system, 8 % to a service.
    while g.budget > 0 {
        let consumer = if lay.systems > 0 && (lay.hubs == 0 || g.rng.chance(0.92)) {
            lay.system(g.rng.below(lay.systems))
        } else if lay.hubs > 0 {
            lay.hub(g.rng.below(lay.hubs))
        } else {
            g.rng.below(lay.total())
        };
        g.unit(consumer);
    }

    let Gen {
        links, mut groups, ..
    } = g;
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    // Link ids are fixed-width and issued in order, so `links` is already sorted by id.
    groups.sort_by(|a, b| (&a.consumer, &a.group).cmp(&(&b.consumer, &b.group)));
    Inventory {
        nodes,
        links,
        groups,
        policy: Vec::new(),
        rto: Vec::new(),
    }
}

/// Draws plausible loads, capacities and calls (docs/semantics.md, "surge") onto a generated inventory,
/// the same for the same seed: what `generate --loads` writes.
///
/// - **calls**: each request a node serves sends 0.5 to 1.5 requests on in all, spread
///   over its sync interface links by random weights (to three decimals); links that
///   would close a loop get `calls = 0`. A link
///   carries load only from a later class to an earlier one (systems, then services, then
///   externals, networks and sites; within a class, from a larger id to a smaller one), so
///   the mutual pairs' back links (callbacks) carry none.
/// - **load**: systems tagged `public` get 20–500 requests/s from their users, half the
///   other systems 1–20, a third of the services 5–50.
/// - **capacity**: every node that receives load on a normal day gets its baseline load
///   times 1.3–5 (one in twenty only 1.05–1.3: the tight ones); half the idle systems and
///   services get 100–1,000.
pub fn add_loads(inv: &mut Inventory, seed: u64) {
    use std::collections::HashMap;
    let mut rng = Rng(seed ^ 0x6C6F_6164_7320_2020); // "loads   "
    let round2 = |x: f64| (x * 100.0).round() / 100.0;
    let n = inv.nodes.len();
    // The order load flows in: (class, position), consumers after their providers.
    let class = |id: &str| match id.split('-').next() {
        Some("dc") => 0u8,
        Some("net") => 1,
        Some("ext") => 2,
        Some("svc") => 3,
        _ => 4,
    };
    let keys: Vec<(u8, usize)> = inv
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (class(&n.id), i))
        .collect();
    let (ends, min) = {
        let index: HashMap<&str, usize> = inv
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.as_str(), i))
            .collect();
        let ends: Vec<(usize, usize)> = inv
            .links
            .iter()
            .map(|l| (index[l.consumer.as_str()], index[l.provider.as_str()]))
            .collect();
        let min: HashMap<(usize, Text), u32> = inv
            .groups
            .iter()
            .filter_map(|d| Some(((*index.get(d.consumer.as_str())?, d.group.clone()), d.min)))
            .collect();
        (ends, min)
    };
    // Each request a node serves sends 0.5 to 1.5 requests on in all, spread over its
    // carrying links by weight: requests fan out, they do not multiply at every hop.
    const WEIGHTS: [f64; 6] = [0.05, 0.1, 0.2, 0.3, 0.5, 1.0];
    let mut weight = vec![0.0f64; inv.links.len()];
    let mut total = vec![0.0f64; n];
    for (i, (l, &(c, p))) in inv.links.iter_mut().zip(&ends).enumerate() {
        if l.calls() > 0.0 {
            if keys[p] < keys[c] {
                weight[i] = WEIGHTS[rng.below(WEIGHTS.len())];
                total[c] += weight[i];
            } else {
                l.calls = Some(0.0);
            }
        }
    }
    let fan_out: Vec<f64> = (0..n).map(|_| 0.5 + rng.unit()).collect();
    for (i, (l, &(c, _))) in inv.links.iter_mut().zip(&ends).enumerate() {
        if weight[i] > 0.0 {
            let calls = (weight[i] / total[c] * fan_out[c] * 1000.0).round() / 1000.0;
            l.calls = Some(calls.max(0.001));
        }
    }
    for node in &mut inv.nodes {
        node.load = match node.kind {
            NodeKind::System if node.tags.iter().any(|t| t == "public") => {
                round2(20.0 + 480.0 * rng.unit())
            }
            NodeKind::System if rng.chance(0.5) => round2(1.0 + 19.0 * rng.unit()),
            NodeKind::Service if rng.chance(1.0 / 3.0) => round2(5.0 + 45.0 * rng.unit()),
            _ => 0.0,
        };
    }
    // Shares with nothing failed: calls × min(k, m) / m with m the group's size.
    let mut size: HashMap<(usize, &str), u32> = HashMap::new();
    for (l, &(c, _)) in inv.links.iter().zip(&ends) {
        if let Some(g) = &l.group {
            *size.entry((c, g.as_str())).or_insert(0) += 1;
        }
    }
    let mut out: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for (l, &(c, p)) in inv.links.iter().zip(&ends) {
        let calls = l.calls();
        if calls > 0.0 {
            let share = match &l.group {
                Some(g) => {
                    let m = size.get(&(c, g.as_str())).copied().unwrap_or(1).max(1);
                    let k = min.get(&(c, g.clone())).copied().unwrap_or(1).clamp(1, m);
                    calls * f64::from(k) / f64::from(m)
                }
                None => calls,
            };
            out[c].push((p, share));
        }
    }
    // Baseline loads, consumers first (every carrying link goes down the order).
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(keys[i]));
    let mut load: Vec<f64> = inv.nodes.iter().map(|n| n.load).collect();
    for &c in &order {
        let lc = load[c];
        for &(p, share) in &out[c] {
            load[p] += lc * share;
        }
    }
    for (node, &l) in inv.nodes.iter_mut().zip(&load) {
        let busy = matches!(node.kind, NodeKind::System | NodeKind::Service);
        node.capacity = if l > 0.0 {
            let f = if rng.chance(0.05) {
                1.05 + 0.25 * rng.unit()
            } else {
                1.3 + 3.7 * rng.unit()
            };
            Some((l * f).ceil().max(1.0))
        } else if busy && rng.chance(0.5) {
            Some((100.0 + 900.0 * rng.unit()).round())
        } else {
            None
        };
    }
}

/// The node id with the most direct dependants (distinct consumers of its links); ties go
/// to the smallest id. `None` when no node has a dependant.
pub fn busiest_hub(inv: &Inventory) -> Option<&str> {
    let mut pairs: Vec<(&str, &str)> = inv
        .links
        .iter()
        .map(|l| (l.provider.as_str(), l.consumer.as_str()))
        .collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut best: Option<(&str, usize)> = None;
    let mut i = 0;
    while i < pairs.len() {
        let provider = pairs[i].0;
        let run = pairs[i..]
            .iter()
            .take_while(|(p, _)| *p == provider)
            .count();
        // Providers come in id order, so a strictly greater count is needed to win.
        if best.is_none_or(|(_, n)| run > n) {
            best = Some((provider, run));
        }
        i += run;
    }
    best.map(|(id, _)| id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::write_csv_dir;

    fn small() -> GenOptions {
        GenOptions {
            nodes: 300,
            links: 2_000,
            seed: 7,
        }
    }

    #[test]
    fn round_trips_through_a_csv_directory() {
        let inv = generate(&small());
        let dir = tempfile::tempdir().unwrap();
        write_csv_dir(&inv, dir.path()).unwrap();
        let back = crate::load(dir.path()).unwrap();
        assert_eq!(back, inv);
    }

    #[test]
    fn has_the_requested_size_and_is_deterministic() {
        let inv = generate(&small());
        assert_eq!(inv.nodes.len(), 300);
        assert_eq!(inv.links.len(), 2_000);
        assert_eq!(generate(&small()), inv);
        assert_ne!(generate(&GenOptions { seed: 8, ..small() }), inv);
    }

    #[test]
    fn has_the_government_shape() {
        let inv = generate(&GenOptions {
            nodes: 5_000,
            links: 50_000,
            seed: 1,
        });
        let count = |k: NodeKind| inv.nodes.iter().filter(|n| n.kind == k).count();
        assert_eq!(count(NodeKind::Site), 4);
        assert!(count(NodeKind::Service) >= 50);
        let hub = busiest_hub(&inv).unwrap();
        assert_eq!(inv.node(hub).unwrap().kind, NodeKind::Service);
        let async_links = inv.links.iter().filter(|l| l.mode == Mode::Async).count();
        assert!(async_links > 5_000, "{async_links}");
        let cycles = inv
            .links
            .iter()
            .filter(|l| l.consumer.starts_with("sys") && l.provider.starts_with("sys"));
        let pairs: HashSet<(&str, &str)> = cycles
            .map(|l| (l.consumer.as_str(), l.provider.as_str()))
            .collect();
        assert!(pairs.iter().any(|(c, p)| pairs.contains(&(*p, *c))));
        assert!(inv.groups.iter().any(|g| g.min == 2));
    }

    #[test]
    fn tiny_sizes_stay_valid() {
        for nodes in [1, 2, 3, 5, 10, 17] {
            let inv = generate(&GenOptions {
                nodes,
                links: 30,
                seed: 3,
            });
            assert_eq!(inv.nodes.len(), nodes);
            assert_eq!(inv.links.len(), if nodes >= 2 { 30 } else { 0 });
            let dir = tempfile::tempdir().unwrap();
            write_csv_dir(&inv, dir.path()).unwrap();
            assert_eq!(crate::load(dir.path()).unwrap(), inv, "{nodes} nodes");
        }
    }

    #[test]
    fn loads_are_defined_and_every_loaded_node_has_a_capacity() {
        let mut inv = generate(&small());
        add_loads(&mut inv, 7);
        let again = {
            let mut i = generate(&small());
            add_loads(&mut i, 7);
            i
        };
        assert_eq!(inv, again);
        let graph = crate::Graph::new(inv.clone());
        let load = crate::analysis::surge::baseline(&graph).expect("no load loop");
        assert!(load.iter().filter(|&&l| l > 0.0).count() > 100);
        for (n, l) in inv.nodes.iter().zip(&load) {
            if *l > 0.0 {
                let c = n.capacity.unwrap_or(0.0);
                assert!(c >= *l, "{}: {l} > {c}", n.id);
            }
        }
        let report = crate::analysis::policy::check(&graph);
        assert!(
            report
                .findings
                .iter()
                .all(|f| f.rule != crate::inventory::Rule::NoCapacity)
        );
        let dir = tempfile::tempdir().unwrap();
        write_csv_dir(&inv, dir.path()).unwrap();
        assert_eq!(crate::load(dir.path()).unwrap(), inv);
    }

    #[test]
    fn busiest_hub_counts_distinct_consumers() {
        let link = |id: &str, c: &str, p: &str| Link {
            id: id.into(),
            consumer: c.into(),
            provider: p.into(),
            ..Link::default()
        };
        let inv = Inventory {
            nodes: Vec::new(),
            links: vec![
                link("1", "a", "x"),
                link("2", "a", "x"),
                link("3", "b", "y"),
                link("4", "c", "y"),
                link("5", "c", "b"),
            ],
            groups: Vec::new(),
            policy: Vec::new(),
            rto: Vec::new(),
        };
        assert_eq!(busiest_hub(&inv), Some("y"));
        assert_eq!(busiest_hub(&Inventory::default()), None);
    }
}
