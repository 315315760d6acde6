//! The random inventories of every property test: one generator, shaped by [`Shape`]
//! (how many systems, sites and links; whether groups, tolerances, degraded effects,
//! agencies, tags, kinds, policy settings, parallel links and awkward text appear).
//!
//! Inventories are built directly, as valid ones (what `load` would accept): self links
//! dropped, one effect per group (its first member's), each declared `min` within
//! 1..=members, `sites` expanded into hosting links and implied `hosting` groups as
//! loading expands them. Nodes are `n00`, `n01` … then sites `s0`, `s1` …, in id order.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use proptest::collection::vec;
use proptest::prelude::*;
use ripplemap::Grade;
use ripplemap::inventory::{
    Effect, GroupDecl, HOSTING_GROUP, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin,
    PolicySetting, RtoTarget, Rule, Severity, Text,
};

/// The few tolerances the engine properties use: ties are likely, sums stay small.
pub const TOLERANCES: &[u64] = &[0, 3600, 4 * 3600, 86_400];
/// Tolerances whose written form is awkward: seconds, minutes, mixed units, centuries.
pub const ODD_TOLERANCES: &[u64] = &[0, 1, 59, 61, 1800, 5400, 86_400, 90_061, 7_200_000_000];

/// Text that is awkward for some form: empty, padded, with separators, quotes, line
/// breaks, Hangul.
pub const AWKWARD: [&str; 12] = [
    "plain",
    "",
    " lead",
    "trail ",
    "a,b",
    "a;b",
    "say \"hi\"",
    "two\nlines",
    "세종 정부청사",
    "  ",
    "tab\tinside",
    "x",
];

/// Plain methods of links.
const METHODS: [&str; 5] = ["api", "db", "file", "mq", "sso"];

/// What the generated inventories look like.
#[derive(Debug, Clone)]
pub struct Shape {
    /// How many nodes that are not sites (`n00`, `n01` …).
    pub systems: Range<usize>,
    /// How many sites (`s0`, `s1` …); each system runs on none, one or several of them.
    pub sites: Range<usize>,
    /// How many links are drawn, before links from a node to itself (and, without
    /// `parallel_links`, repeated pairs) are dropped.
    pub links: Range<usize>,
    /// Whether two links may join the same consumer to the same provider.
    pub parallel_links: bool,
    /// The tolerances links draw from (`&[0]`: none).
    pub tolerances: &'static [u64],
    /// The chance that a link, or a group (all its members), has effect `degraded`.
    pub degraded: f64,
    /// Whether links join alternatives groups of their consumer, each with a declared
    /// `min` from 1 to its size.
    pub groups: bool,
    /// Whether nodes have agencies.
    pub agencies: bool,
    /// Whether nodes have tags.
    pub tags: bool,
    /// Whether node kinds, link kinds and modes vary (else system, interface, sync).
    pub kinds: bool,
    /// Whether the inventory sets some policy rules' severities and some grades'
    /// recovery-time targets.
    pub policy: bool,
    /// Whether names, agencies, tags, group names, methods and data are drawn from
    /// [`AWKWARD`] half the time, and a fifth of link ids wrapped in it (else all plain).
    pub odd_text: bool,
    /// Whether links come in any order (else in id order, as loading gives them).
    pub any_order: bool,
    /// Whether nodes have `restore`, `load` and `capacity`, and links `calls` (drawn from
    /// [`NUMBERS`] and [`RESTORES`]).
    pub numbers: bool,
    /// The numbers `load`, `capacity` and `calls` draw from (the last is never a
    /// capacity): [`NUMBERS`] by default, [`PLAIN_NUMBERS`] for sums that must not lose
    /// small terms beside huge ones.
    pub values: &'static [f64],
    /// Whether the links form no cycle: each drawn link is turned, if need be, so that its
    /// provider comes before its consumer (sites first, then `n00`, `n01` …).
    pub acyclic: bool,
}

/// Numbers for `load`, `capacity` and `calls`: whole, fractional, tiny and huge ones (the
/// last, 0, is never a capacity).
pub const NUMBERS: [f64; 8] = [1.0, 0.5, 120.0, 1e3, 12.25, 1e-7, 3.5e10, 0.0];
/// Numbers of one scale for `load`, `capacity` and `calls` (the last, 0, is never a
/// capacity): sums of them keep every term.
pub const PLAIN_NUMBERS: [f64; 8] = [1.0, 0.5, 120.0, 1e3, 12.25, 2.0, 3.0, 0.0];
/// Durations for `restore`, in seconds.
pub const RESTORES: [u64; 5] = [0, 60, 1800, 5400, 90_000];

impl Default for Shape {
    /// Everything that can appear appears, in plain text and id order.
    fn default() -> Self {
        Shape {
            systems: 2..6,
            sites: 0..3,
            links: 0..10,
            parallel_links: true,
            tolerances: TOLERANCES,
            degraded: 0.2,
            groups: true,
            agencies: true,
            tags: true,
            kinds: true,
            policy: true,
            odd_text: false,
            any_order: false,
            numbers: true,
            values: &NUMBERS,
            acyclic: false,
        }
    }
}

/// Raw choices for one node: name, agency, tags, grade, kind, sites, and (restore, load,
/// capacity).
type RawNode = (
    Option<usize>,
    Option<usize>,
    Vec<usize>,
    Option<u8>,
    usize,
    Vec<usize>,
    (usize, usize, Option<usize>),
);

/// Raw choices for one link: consumer, provider, tolerance, degraded?, group, kind, mode,
/// awkward id, method, data, calls.
type RawLink = (
    usize,
    usize,
    usize,
    bool,
    Option<usize>,
    usize,
    usize,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<usize>,
);

/// Everything drawn for one inventory.
#[derive(Debug, Clone)]
struct Raw {
    systems: usize,
    nodes: Vec<RawNode>,
    links: Vec<RawLink>,
    /// Per group, in order of first use: its `min` is 1 + this modulo its size.
    mins: Vec<u32>,
    /// Per link: the keys links are sorted by when `any_order` is set.
    order: Vec<u32>,
    /// Policy settings as (rule, severity) indexes; a rule's first setting is kept.
    policy: Vec<(usize, usize)>,
}

/// Random valid inventories of the given shape.
pub fn inventory(shape: Shape) -> impl Strategy<Value = Inventory> {
    let draw = shape.clone();
    (shape.systems.clone(), shape.sites.clone())
        .prop_flat_map(move |(systems, sites)| {
            // Below AWKWARD.len(), awkward text (with `odd_text`); above, plain text.
            let text = || 0..2 * AWKWARD.len();
            let node = (
                prop::option::of(text()),
                prop::option::weighted(0.8, text()),
                vec(text(), 0..3),
                prop::option::weighted(0.8, 1u8..=4),
                0usize..4,
                vec(0..sites.max(1), 0..3),
                (
                    0..RESTORES.len(),
                    0..draw.values.len(),
                    prop::option::of(0..draw.values.len().saturating_sub(1).max(1)),
                ),
            );
            let link = (
                0..systems + sites,
                0..systems + sites,
                0..draw.tolerances.len(),
                prop::bool::weighted(draw.degraded),
                prop::option::weighted(2.0 / 3.0, text()),
                0usize..3,
                0usize..2,
                prop::option::weighted(0.2, text()),
                prop::option::weighted(0.3, text()),
                prop::option::weighted(0.3, text()),
                prop::option::weighted(0.4, 0..draw.values.len()),
            );
            let max_links = draw.links.end;
            (
                Just(systems),
                vec(node, systems + sites),
                vec(link, draw.links.clone()),
                vec(0u32..6, max_links + systems),
                vec(any::<u32>(), max_links + systems * 2),
                vec((0..Rule::ALL.len(), 0usize..3), 0..4),
            )
        })
        .prop_map(move |(systems, nodes, links, mins, order, policy)| {
            build(
                &shape,
                Raw {
                    systems,
                    nodes,
                    links,
                    mins,
                    order,
                    policy,
                },
            )
        })
}

/// The id of node `i` of an inventory with `systems` systems.
fn node_id(i: usize, systems: usize) -> Text {
    if i < systems {
        Text::from(format!("n{i:02}"))
    } else {
        Text::from(format!("s{}", i - systems))
    }
}

fn build(shape: &Shape, raw: Raw) -> Inventory {
    let Raw {
        systems,
        nodes: raw_nodes,
        links: raw_links,
        mins,
        order,
        policy: raw_policy,
    } = raw;
    let total = raw_nodes.len();
    // Free text: with `odd_text`, an awkward string for half the choices; otherwise, and
    // for the other half, a plain word made from the choice.
    let text = |i: usize, plain: &dyn Fn(usize) -> String| -> Text {
        match AWKWARD.get(i) {
            Some(odd) if shape.odd_text => Text::from(*odd),
            _ => Text::from(plain(i)),
        }
    };
    let kinds = [
        NodeKind::System,
        NodeKind::Service,
        NodeKind::Network,
        NodeKind::External,
    ];

    let mut nodes = Vec::with_capacity(total);
    // Hosting links and implied groups from `sites`, as loading expands them.
    let mut hosting: Vec<Link> = Vec::new();
    let mut implied: Vec<GroupDecl> = Vec::new();
    for (i, (name, agency, tags, grade, kind, sites, (restore, load, capacity))) in
        raw_nodes.into_iter().enumerate()
    {
        let id = node_id(i, systems);
        let is_site = i >= systems;
        let kind = if is_site {
            NodeKind::Site
        } else if shape.kinds {
            kinds[kind % kinds.len()]
        } else {
            NodeKind::System
        };
        // Distinct sites, in the order drawn; sites themselves run nowhere.
        let mut on: Vec<Text> = Vec::new();
        if !is_site && total > systems {
            for s in sites {
                let site = node_id(systems + s % (total - systems), systems);
                if !on.contains(&site) {
                    on.push(site);
                }
            }
        }
        for site in &on {
            hosting.push(Link {
                id: Text::from(format!("{id}->{site}")),
                consumer: id.clone(),
                provider: site.clone(),
                kind: LinkKind::Hosting,
                mode: Mode::Sync,
                tolerance_secs: 0,
                effect: Effect::Down,
                group: Some(Text::from(HOSTING_GROUP)),
                method: None,
                data: None,
                calls: None,
                from_sites: true,
                origin: Origin::default(),
            });
        }
        if !on.is_empty() {
            implied.push(GroupDecl {
                consumer: id.clone(),
                group: Text::from(HOSTING_GROUP),
                min: 1,
                from_sites: true,
                origin: Origin::default(),
            });
        }
        nodes.push(Node {
            name: name.map_or_else(|| id.clone(), |n| text(n, &|_| format!("node {i}"))),
            agency: agency
                .filter(|_| shape.agencies)
                .map(|a| text(a, &|a| format!("agency-{}", a % 3))),
            grade: grade.and_then(|g| Grade::new(i64::from(g))),
            sites: on,
            tags: if shape.tags {
                tags.into_iter()
                    .map(|t| text(t, &|t| format!("t{}", t % 3)))
                    .collect()
            } else {
                Vec::new()
            },
            id,
            kind,
            restore_secs: if shape.numbers {
                RESTORES[restore % RESTORES.len()]
            } else {
                0
            },
            load: if shape.numbers {
                shape.values[load % shape.values.len()]
            } else {
                0.0
            },
            capacity: capacity
                .filter(|_| shape.numbers)
                .map(|c| shape.values[c % (shape.values.len() - 1).max(1)]),
            origin: Origin::default(),
        });
    }

    let link_kinds = [LinkKind::Interface, LinkKind::Hosting, LinkKind::Network];
    let mut links: Vec<Link> = Vec::new();
    let mut pairs = BTreeSet::new();
    // Per (consumer, group): the members' effect (the first member's) and their count.
    let mut groups: BTreeMap<(Text, Text), (Effect, u32)> = BTreeMap::new();
    let mut first_use: Vec<(Text, Text)> = Vec::new();
    for (k, (c, p, tol, degraded, group, kind, mode, odd_id, method, data, calls)) in
        raw_links.into_iter().enumerate()
    {
        let (mut c, mut p) = (c % total, p % total);
        // Sites first, then systems: a link whose provider comes later is turned round.
        let pos = |i: usize| {
            if i >= systems {
                i - systems
            } else {
                total - systems + i
            }
        };
        if shape.acyclic && pos(p) > pos(c) {
            std::mem::swap(&mut c, &mut p);
        }
        if c == p || !(shape.parallel_links || pairs.insert((c, p))) {
            continue;
        }
        let consumer = node_id(c, systems);
        let mut effect = if degraded {
            Effect::Degraded
        } else {
            Effect::Down
        };
        // Plain group names are `g1` and `g2`: few, so that groups have several members.
        let group = group
            .filter(|_| shape.groups)
            .map(|g| text(g, &|g| format!("g{}", 1 + g % 2)));
        if let Some(g) = &group {
            let key = (consumer.clone(), g.clone());
            let entry = groups.entry(key.clone()).or_insert_with(|| {
                first_use.push(key);
                (effect, 0)
            });
            effect = entry.0;
            entry.1 += 1;
        }
        // Link ids are unique and free of control characters; an awkward one keeps its
        // spaces or separators around a unique core.
        let id = match odd_id
            .filter(|_| shape.odd_text)
            .map(|i| AWKWARD[i % AWKWARD.len()])
        {
            Some(odd) if !odd.chars().any(char::is_control) => format!("{odd}l{k:03}{odd}"),
            _ => format!("l{k:03}"),
        };
        links.push(Link {
            id: Text::from(id),
            consumer,
            provider: node_id(p, systems),
            kind: if shape.kinds {
                link_kinds[kind]
            } else {
                LinkKind::Interface
            },
            mode: if shape.kinds && mode == 1 {
                Mode::Async
            } else {
                Mode::Sync
            },
            tolerance_secs: shape.tolerances[tol],
            effect,
            group,
            method: method.map(|m| text(m, &|m| METHODS[m % METHODS.len()].to_owned())),
            data: data.map(|d| text(d, &|d| format!("data {d}"))),
            calls: calls
                .filter(|_| shape.numbers)
                .map(|c| shape.values[c % shape.values.len()]),
            from_sites: false,
            origin: Origin::default(),
        });
    }
    links.extend(hosting);

    let mut declared: Vec<GroupDecl> = first_use
        .into_iter()
        .enumerate()
        .map(|(i, key)| {
            let size = groups[&key].1;
            GroupDecl {
                min: 1 + mins.get(i).copied().unwrap_or(0) % size,
                consumer: key.0,
                group: key.1,
                from_sites: false,
                origin: Origin::default(),
            }
        })
        .collect();
    declared.extend(implied);
    declared.sort_by(|a, b| (&a.consumer, &a.group).cmp(&(&b.consumer, &b.group)));

    if shape.any_order {
        let mut keyed: Vec<(u32, Link)> = links
            .into_iter()
            .enumerate()
            .map(|(i, l)| (order.get(i).copied().unwrap_or(u32::MAX), l))
            .collect();
        keyed.sort_by_key(|(key, _)| *key);
        links = keyed.into_iter().map(|(_, l)| l).collect();
    } else {
        links.sort_by(|a, b| a.id.cmp(&b.id));
    }

    let severities = [Severity::Error, Severity::Warning, Severity::Off];
    let mut policy: Vec<PolicySetting> = Vec::new();
    let mut rto: Vec<RtoTarget> = Vec::new();
    if shape.policy {
        // Recovery-time targets from the same draws: a grade and one of a few durations.
        for &(rule, severity) in &raw_policy {
            let grade = Grade::new(1 + (rule % 4) as i64).unwrap_or(Grade::G1);
            if rto.iter().all(|t| t.grade != grade) {
                rto.push(RtoTarget {
                    grade,
                    rto_secs: [1800, 3 * 3600, 90_061][severity % 3],
                    origin: Origin::default(),
                });
            }
        }
        rto.sort_by_key(|t| t.grade);
        for (rule, severity) in raw_policy {
            let rule = Rule::ALL[rule].id().to_owned();
            if policy.iter().all(|p| p.rule != rule) {
                policy.push(PolicySetting {
                    rule,
                    severity: severities[severity],
                    origin: Origin::default(),
                });
            }
        }
        policy.sort_by(|a, b| a.rule.cmp(&b.rule));
    }

    Inventory {
        nodes,
        links,
        groups: declared,
        policy,
        rto,
    }
}
