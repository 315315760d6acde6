//! Property tests over random small inventories: the event-driven engine agrees with a
//! brute-force fixpoint of SPEC section 2, and the invariants users rely on hold.

use std::collections::{BTreeMap, BTreeSet};

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::Index;
use ripplemap::inventory::{Effect, Inventory, Link, Node, NodeKind, Origin};
use ripplemap::{Graph, Impact, Scenario, State};

use crate::support::generator::{self, Shape, TOLERANCES};

/// Up to 11 systems and 2 sites, up to 29 links (parallel ones too) with the few
/// tolerances, degraded effects, alternatives groups with any `min`, hosting from `sites`.
fn inventory() -> impl Strategy<Value = Inventory> {
    generator::inventory(Shape {
        systems: 3..12,
        sites: 0..3,
        links: 0..30,
        tolerances: TOLERANCES,
        degraded: 0.2,
        any_order: true,
        ..Shape::default()
    })
}

/// The ids of the nodes the indexes pick.
fn ids(inv: &Inventory, picks: &[Index]) -> Vec<String> {
    picks
        .iter()
        .map(|i| i.get(&inv.nodes).id.to_string())
        .collect()
}

fn scenario(failed: Vec<String>, hours: Option<f64>) -> Scenario {
    Scenario {
        failed,
        failed_links: vec![],
        horizon_hours: hours,
    }
}

fn down_set(imp: &Impact) -> BTreeSet<String> {
    imp.affected
        .iter()
        .filter(|a| a.state == State::Down)
        .map(|a| a.id.to_owned())
        .collect()
}

/// SPEC section 2 by brute force: start with every non-seed up for ever and lower the
/// failure times until nothing changes (the greatest fixpoint in time = the least set of
/// failures). Returns id -> (state, seconds).
fn oracle(
    inv: &Inventory,
    seeds: &[String],
    horizon: Option<u64>,
) -> BTreeMap<String, (State, u64)> {
    const INF: u64 = u64::MAX;
    let mut t: BTreeMap<&str, u64> = inv.nodes.iter().map(|n| (n.id.as_str(), INF)).collect();
    for s in seeds {
        t.insert(s, 0);
    }
    let mut groups: BTreeMap<(&str, String), Vec<&Link>> = BTreeMap::new();
    for (i, l) in inv.links.iter().enumerate() {
        let key = l
            .group
            .as_deref()
            .map_or_else(|| format!("#single{i}"), str::to_owned);
        groups
            .entry((l.consumer.as_str(), key))
            .or_default()
            .push(l);
    }
    let min_of = |c: &str, g: &str| {
        inv.groups
            .iter()
            .find(|d| d.consumer == c && d.group == g)
            .map_or(1, |d| d.min as usize)
    };
    let loss =
        |t: &BTreeMap<&str, u64>, l: &Link| t[l.provider.as_str()].saturating_add(l.tolerance_secs);
    let group_loss = |t: &BTreeMap<&str, u64>, c: &str, g: &str, ls: &[&Link]| {
        let mut times: Vec<u64> = ls.iter().map(|l| loss(t, l)).collect();
        times.sort_unstable();
        times[ls.len() - min_of(c, g)]
    };
    loop {
        let mut changed = false;
        for ((c, g), ls) in &groups {
            if ls[0].effect != Effect::Down {
                continue;
            }
            let at = group_loss(&t, c, g, ls);
            if at < t[c] {
                t.insert(c, at);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let h = horizon.unwrap_or(INF - 1);
    let mut out = BTreeMap::new();
    for n in &inv.nodes {
        let id = n.id.as_str();
        if t[id] <= h {
            out.insert(n.id.to_string(), (State::Down, t[id]));
            continue;
        }
        let mut degraded = INF;
        for ((c, g), ls) in &groups {
            if *c != id {
                continue;
            }
            if ls[0].effect == Effect::Degraded {
                degraded = degraded.min(group_loss(&t, c, g, ls));
            } else {
                degraded = degraded.min(ls.iter().map(|l| loss(&t, l)).min().unwrap_or(INF));
            }
        }
        if degraded <= h {
            out.insert(n.id.to_string(), (State::Degraded, degraded));
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn engine_agrees_with_the_fixpoint_oracle(inv in inventory(), seeds in vec(any::<Index>(), 1..4), h in proptest::option::of(0u64..60)) {
        let seeds = ids(&inv, &seeds);
        let g = Graph::new(inv.clone());
        let imp = g.impact(&scenario(seeds.clone(), h.map(|h| h as f64))).unwrap();
        let got: BTreeMap<String, (State, u64)> = imp
            .affected
            .iter()
            .map(|a| (a.id.to_owned(), (a.state, (a.at_hours * 3600.0).round() as u64)))
            .collect();
        prop_assert_eq!(got, oracle(&inv, &seeds, h.map(|h| h * 3600)));
    }

    #[test]
    fn more_seeds_never_shrink_the_down_set(inv in inventory(), a in any::<Index>(), b in any::<Index>()) {
        let [a, b] = [a, b].map(|i| i.get(&inv.nodes).id.to_string());
        let g = Graph::new(inv);
        let one = down_set(&g.impact(&scenario(vec![a.clone()], None)).unwrap());
        let two = down_set(&g.impact(&scenario(vec![a, b], None)).unwrap());
        prop_assert!(one.is_subset(&two), "{one:?} not in {two:?}");
    }

    #[test]
    fn a_longer_horizon_never_shrinks_the_down_set(inv in inventory(), a in any::<Index>(), h1 in 0u32..48, extra in 0u32..48) {
        let a = vec![a.get(&inv.nodes).id.to_string()];
        let g = Graph::new(inv);
        let short = down_set(&g.impact(&scenario(a.clone(), Some(f64::from(h1)))).unwrap());
        let long = down_set(&g.impact(&scenario(a.clone(), Some(f64::from(h1 + extra)))).unwrap());
        let forever = down_set(&g.impact(&scenario(a, None)).unwrap());
        prop_assert!(short.is_subset(&long));
        prop_assert!(long.is_subset(&forever));
    }

    #[test]
    fn an_extra_alternative_never_grows_the_down_set(inv in inventory(), a in any::<Index>(), pick in any::<Index>()) {
        let a = vec![a.get(&inv.nodes).id.to_string()];
        let before = down_set(&Graph::new(inv.clone()).impact(&scenario(a.clone(), None)).unwrap());
        // Add a fresh, healthy provider as one more member of an existing group.
        let grouped: Vec<&Link> = inv.links.iter().filter(|l| l.group.is_some()).collect();
        prop_assume!(!grouped.is_empty());
        let base = (*pick.get(&grouped)).clone();
        let mut more = inv.clone();
        more.nodes.push(Node { id: "spare".into(), name: "spare".into(), kind: NodeKind::System, agency: None, grade: None, sites: vec![], tags: vec![], restore_secs: 0, load: 0.0, capacity: None, origin: Origin::default() });
        more.links.push(Link { id: "zz-spare".into(), provider: "spare".into(), ..base });
        let after = down_set(&Graph::new(more).impact(&scenario(a, None)).unwrap());
        prop_assert!(after.is_subset(&before), "{after:?} not in {before:?}");
    }

    #[test]
    fn witness_paths_are_chains_of_links_from_a_seed(inv in inventory(), seeds in vec(any::<Index>(), 1..3), link in proptest::option::of(any::<Index>())) {
        let mut s = scenario(ids(&inv, &seeds), None);
        if let (Some(i), false) = (link, inv.links.is_empty()) {
            s.failed_links.push(i.get(&inv.links).id.to_string());
        }
        let g = Graph::new(inv.clone());
        let imp = g.impact(&s).unwrap();
        let seeded_providers: Vec<&str> = s.failed_links.iter()
            .filter_map(|id| inv.links.iter().find(|l| l.id == *id)).map(|l| l.provider.as_str()).collect();
        for a in &imp.affected {
            let path = imp.path(a);
            prop_assert_eq!(path.len(), a.depth as usize + 1);
            prop_assert_eq!(path.last(), Some(&a.id));
            let first = path[0];
            prop_assert!(s.failed.iter().any(|f| f == first) || seeded_providers.contains(&first), "{:?}", path);
            for pair in path.windows(2) {
                prop_assert!(inv.links.iter().any(|l| l.provider == pair[0] && l.consumer == pair[1]), "{:?}", path);
            }
            // The predecessor is the second-to-last node, and a short path keeps both ends.
            prop_assert_eq!(a.via, path.len().checked_sub(2).map(|i| path[i]));
            let short = imp.short_path(a);
            prop_assert_eq!(short.head.len() + short.hidden + short.tail.len(), path.len());
            prop_assert_eq!(&short.head[..], &path[..short.head.len()]);
            prop_assert_eq!(&short.tail[..], &path[path.len() - short.tail.len()..]);
        }
    }

    #[test]
    fn output_does_not_depend_on_input_order(inv in inventory(), a in any::<Index>(), rot in 0usize..64) {
        let a = vec![a.get(&inv.nodes).id.to_string()];
        let mut shuffled = inv.clone();
        shuffled.nodes.reverse();
        let k = if shuffled.links.is_empty() { 0 } else { rot % shuffled.links.len() };
        shuffled.links.rotate_left(k);
        let s = scenario(a, Some(30.0));
        let (g1, g2) = (Graph::new(inv), Graph::new(shuffled));
        let one = g1.impact(&s).unwrap();
        let two = g2.impact(&s).unwrap();
        prop_assert_eq!(crate::support::to_json(&one), crate::support::to_json(&two));
    }

    #[test]
    fn change_reaches_exactly_the_reverse_closure(inv in inventory(), a in any::<Index>()) {
        let root = a.get(&inv.nodes).id.to_string();
        let g = Graph::new(inv.clone());
        let ch = g.change(&ripplemap::Change { systems: vec![root.clone()], links: vec![] }).unwrap();
        // Brute force: grow the set of dependants until it stops growing.
        let mut reached: BTreeSet<&str> = BTreeSet::from([root.as_str()]);
        loop {
            let before = reached.len();
            for l in &inv.links {
                if reached.contains(l.provider.as_str()) {
                    reached.insert(&l.consumer);
                }
            }
            if reached.len() == before { break; }
        }
        reached.remove(root.as_str());
        let got: BTreeSet<&str> = ch.affected.iter().map(|r| r.id).collect();
        prop_assert_eq!(got, reached);
        for r in &ch.affected {
            let path = ch.path(r);
            prop_assert_eq!(path.len(), r.depth as usize + 1);
            prop_assert_eq!(&path[0], &root);
            let short = ch.short_path(r);
            prop_assert_eq!(short.head.len() + short.hidden + short.tail.len(), path.len());
            prop_assert_eq!(&short.head[..], &path[..short.head.len()]);
            prop_assert_eq!(&short.tail[..], &path[path.len() - short.tail.len()..]);
        }
    }
}
