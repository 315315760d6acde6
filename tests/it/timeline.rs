//! The recovery timeline (SPEC section 5): hand-computed plans on tiny inventories, and
//! property tests against a brute-force reference written here from the text of the
//! section (down set by fixpoint, cycles and urgency by reachability, readiness checked
//! from the definition at every instant, crews assigned by sorting the candidates).

use std::collections::{BTreeMap, BTreeSet};
use std::num::NonZeroUsize;
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use ripplemap::analysis::{self, HoldOn, RecoverOptions, RecoveryPlan};
use ripplemap::inventory::{Effect, Inventory};
use ripplemap::{ByGrade, Grade, Graph, Scenario};

use crate::support::generator::{self, Shape};

fn fixture(name: &str) -> Graph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/analyses")
        .join(name);
    Graph::new(ripplemap::load(&path).expect("fixture loads"))
}

fn scenario(fail: &[&str]) -> Scenario {
    Scenario {
        failed: fail.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    }
}

fn crews(n: usize) -> Option<NonZeroUsize> {
    NonZeroUsize::new(n)
}

fn targets(pairs: &[(u8, u64)]) -> ByGrade<Option<u64>> {
    let mut t = ByGrade::default();
    for &(g, secs) in pairs {
        *t.get_mut(Grade::new(i64::from(g))) = Some(secs);
    }
    t
}

fn plan(g: &Graph, fail: &[&str], c: usize, rto: &[(u8, u64)]) -> RecoveryPlan {
    analysis::recover_with(
        g,
        &scenario(fail),
        &RecoverOptions {
            crews: crews(c),
            targets: targets(rto),
            seed_back: None,
        },
    )
    .expect("plan")
}

const H: u64 = 3600;

/// (id, ready, start, back) in hours, in back-time order.
fn times(p: &RecoveryPlan) -> Vec<(String, u64, u64, u64)> {
    p.by_back_time()
        .into_iter()
        .map(|i| {
            let s = &p.steps[i];
            (
                s.id.clone(),
                s.times.ready / H,
                s.times.start / H,
                s.times.back / H,
            )
        })
        .collect()
}

fn row(id: &str, ready: u64, start: u64, back: u64) -> (String, u64, u64, u64) {
    (id.to_owned(), ready, start, back)
}

#[test]
fn the_timeline_is_as_hand_computed_without_a_crew_limit() {
    let g = fixture("timeline.toml");
    let p = plan(&g, &["dc"], 0, &[]);
    assert_eq!(
        times(&p),
        vec![
            row("dc", 0, 0, 2),
            row("auth", 2, 2, 3),
            row("mail", 2, 2, 3),
            row("db", 2, 2, 5),
            row("portal", 5, 5, 5),
            row("report", 5, 5, 7),
        ]
    );
    assert_eq!(p.crews, None);
    assert_eq!(p.all_back_hours, 7.0);
    assert!(p.rto_breaches.is_empty());
    // Urgency: db is as urgent as portal (grade 1), which waits for it.
    assert_eq!(p.step("db").and_then(|s| s.urgency), Some(Grade::G1));
    assert_eq!(p.step("report").and_then(|s| s.urgency), Some(Grade::G4));
    assert_eq!(p.step("dc").and_then(|s| s.urgency), Some(Grade::G1));
}

#[test]
fn one_crew_takes_the_most_urgent_then_the_earliest_ready_then_the_smaller_id() {
    let g = fixture("timeline.toml");
    let p = plan(&g, &["dc"], 1, &[(1, 4 * H), (2, 4 * H)]);
    assert_eq!(
        times(&p),
        vec![
            row("dc", 0, 0, 2),
            row("auth", 2, 2, 3),
            row("db", 2, 3, 6),
            row("portal", 6, 6, 6),
            row("mail", 2, 6, 7),
            row("report", 6, 7, 9),
        ]
    );
    assert_eq!(p.all_back_hours, 9.0);
    let breaches: Vec<(&str, u8)> = p
        .rto_breaches
        .iter()
        .map(|b| (b.id.as_str(), b.grade.get()))
        .collect();
    assert_eq!(breaches, vec![("portal", 1), ("mail", 2)]);
    assert_eq!(p.rto_breaches[0].target_hours, 4.0);
    assert_eq!(p.rto_breaches[0].back_hours, 6.0);
    // What holds report up: the crew queue back to the seed.
    let chain: Vec<(&str, &str, Option<&str>)> = p
        .why("report")
        .expect("in the plan")
        .iter()
        .map(|h| match h.wait {
            HoldOn::Nothing => (h.step.id.as_str(), "none", None),
            HoldOn::Provider(q) => (h.step.id.as_str(), "provider", Some(q.id.as_str())),
            HoldOn::Crew(q) => (h.step.id.as_str(), "crew", Some(q.id.as_str())),
        })
        .collect();
    assert_eq!(
        chain,
        vec![
            ("report", "crew", Some("mail")),
            ("mail", "crew", Some("db")),
            ("db", "crew", Some("auth")),
            ("auth", "provider", Some("dc")),
            ("dc", "none", None),
        ]
    );
    assert_eq!(p.last_back().map(|s| s.id.as_str()), Some("report"));
    let by = p.by_grade();
    let g1 = by.get(Some(Grade::G1));
    assert_eq!((g1.systems, g1.breaches), (2, 1));
    assert_eq!(g1.last.map(|s| s.id.as_str()), Some("portal"));
    assert_eq!(by.get(None).systems, 1);
}

#[test]
fn two_crews_and_a_target_met_at_the_second() {
    let g = fixture("timeline.toml");
    let p = plan(&g, &["dc"], 2, &[(1, 5 * H)]);
    assert_eq!(
        times(&p),
        vec![
            row("dc", 0, 0, 2),
            row("auth", 2, 2, 3),
            row("mail", 2, 3, 4),
            row("db", 2, 2, 5),
            row("portal", 5, 5, 5),
            row("report", 5, 5, 7),
        ]
    );
    // Back exactly at the target is no breach.
    assert!(p.rto_breaches.is_empty());
    let chain: Vec<&str> = p
        .why("portal")
        .expect("in the plan")
        .iter()
        .map(|h| h.step.id.as_str())
        .collect();
    assert_eq!(chain, vec!["portal", "db", "dc"]);
}

#[test]
fn the_crew_what_if_matches_each_plan() {
    let g = fixture("timeline.toml");
    let t = targets(&[(1, 4 * H)]);
    let rows = analysis::what_if(
        &g,
        &scenario(&["dc"]),
        &[crews(1), crews(2), crews(8), None],
        &t,
    )
    .expect("what-if");
    assert_eq!(rows.failed, vec!["dc".to_owned()]);
    let got: Vec<(Option<usize>, f64, f64, usize)> = rows
        .what_if
        .iter()
        .map(|r| {
            (
                r.crews,
                r.all_back_hours,
                r.grade1_back_hours,
                r.rto_breaches.len(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (Some(1), 9.0, 6.0, 1),
            (Some(2), 7.0, 5.0, 1),
            (Some(8), 7.0, 5.0, 1),
            (None, 7.0, 5.0, 1),
        ]
    );
}

#[test]
fn a_cycle_is_restored_together() {
    // a and b need each other and run on s; x needs a. With restore 0 everywhere, all
    // are back the moment s is back: hour 0.
    let g = fixture("cycle.toml");
    let p = plan(&g, &["s"], 1, &[]);
    for s in &p.steps {
        assert_eq!((s.times.ready, s.times.back), (0, 0), "{}", s.id);
    }
    // With work: a and b are ready together once s is back, and x once a is.
    let inv = ripplemap::inventory::load_str(
        r#"
[[site]]
id = "s"
restore = "1h"
[[system]]
id = "a"
grade = 2
sites = ["s"]
restore = "2h"
[[system]]
id = "b"
grade = 1
sites = ["s"]
restore = "3h"
[[system]]
id = "x"
grade = 1
restore = "1h"
[[link]]
consumer = "a"
provider = "b"
[[link]]
consumer = "b"
provider = "a"
[[link]]
consumer = "x"
provider = "a"
"#,
        ripplemap::inventory::Format::Toml,
        Path::new("cycle.toml"),
    )
    .expect("loads");
    let g = Graph::new(inv);
    let p = plan(&g, &["s"], 0, &[]);
    assert_eq!(
        times(&p),
        vec![
            row("s", 0, 0, 1),
            row("a", 1, 1, 3),
            row("b", 1, 1, 4),
            row("x", 3, 3, 4),
        ]
    );
    // One crew: a and b are both urgency 1 (x, grade 1, waits for a; b and a wait for
    // each other), ready at 1: a first by id.
    let p = plan(&g, &["s"], 1, &[]);
    assert_eq!(
        times(&p),
        vec![
            row("s", 0, 0, 1),
            row("a", 1, 1, 3),
            row("b", 1, 3, 6),
            row("x", 3, 6, 7),
        ]
    );
}

#[test]
fn json_keeps_the_plan_keys_and_adds_the_timeline() {
    let g = fixture("timeline.toml");
    let p = plan(&g, &["report"], 3, &[(4, H)]);
    let v = serde_json::to_value(&p).expect("json");
    assert_eq!(v["crews"], 3);
    assert_eq!(v["all_back_hours"], 2.0);
    assert_eq!(v["rto_breaches"][0]["id"], "report");
    assert_eq!(v["rto_breaches"][0]["grade"], 4);
    assert_eq!(v["rto_breaches"][0]["target_hours"], 1.0);
    let step = &v["steps"][0];
    for key in [
        "wave",
        "id",
        "name",
        "grade",
        "agency",
        "failed",
        "waits_for",
        "cycle",
        "down_hours",
        "ready_hours",
        "start_hours",
        "back_hours",
        "restore_hours",
    ] {
        assert!(step.get(key).is_some(), "{key}");
    }
    assert_eq!(step.as_object().map(|o| o.len()), Some(13));
    let keys: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut want = vec![
        "failed",
        "horizon_hours",
        "waves",
        "cycles",
        "cycle_members",
        "steps",
        "crews",
        "all_back_hours",
        "rto_breaches",
    ];
    want.sort_unstable();
    let mut keys = keys;
    keys.sort_unstable();
    assert_eq!(keys, want);
    let unlimited = serde_json::to_value(plan(&g, &["report"], 0, &[])).expect("json");
    assert!(unlimited["crews"].is_null());
}

#[test]
fn the_table_shows_times_breaches_the_summary_and_what_holds_the_last_up() {
    let g = fixture("timeline.toml");
    let p = plan(&g, &["dc"], 1, &[(1, 4 * H)]);
    let text = crate::support::text(|w| {
        ripplemap::render::table::recover(
            &p,
            &["portal".to_owned(), "nope".to_owned()],
            ripplemap::render::Style::default(),
            w,
        )
    });
    assert!(text.contains("MISSED 4 h"), "{text}");
    assert!(
        text.contains("What holds up report, the last system back (back at 9 h)"),
        "{text}"
    );
    assert!(
        text.contains("waited 1 h for a crew, freed when mail was back"),
        "{text}"
    );
    assert!(
        text.contains("What holds up portal (back at 6 h)"),
        "{text}"
    );
    assert!(text.contains("nope is not in the plan"), "{text}");
    assert!(
        text.contains("All 6 systems back at 9 h (1 crew). 1 system misses"),
        "{text}"
    );
    let svg = crate::support::text(|w| ripplemap::render::chart::recovery(&p, w));
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("grade 1 target 4 h (1 missed)"), "{svg}");
}

// ---------------------------------------------------------------------------------------
// The brute-force reference.

/// One redundancy group of a consumer: its members' providers, the members needed, and
/// whether losing it downs the consumer.
struct RefGroup {
    consumer: String,
    providers: Vec<String>,
    min: usize,
    down: bool,
}

fn ref_groups(inv: &Inventory) -> Vec<RefGroup> {
    let mut named: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut groups: Vec<RefGroup> = Vec::new();
    for l in &inv.links {
        let g = RefGroup {
            consumer: l.consumer.to_string(),
            providers: Vec::new(),
            min: 1,
            down: l.effect == Effect::Down,
        };
        let at = match &l.group {
            Some(name) => *named
                .entry((l.consumer.to_string(), name.to_string()))
                .or_insert_with(|| {
                    groups.push(g);
                    groups.len() - 1
                }),
            None => {
                groups.push(g);
                groups.len() - 1
            }
        };
        groups[at].providers.push(l.provider.to_string());
    }
    for d in &inv.groups {
        if let Some(&at) = named.get(&(d.consumer.to_string(), d.group.to_string())) {
            groups[at].min = (d.min as usize).clamp(1, groups[at].providers.len());
        }
    }
    groups
}

/// Every node's times by the definitions of section 5: (ready, start, back) by id, and
/// the down set.
fn reference(
    inv: &Inventory,
    seeds: &[String],
    crews: Option<usize>,
    seed_back: Option<u64>,
) -> BTreeMap<String, (u64, u64, u64)> {
    let groups = ref_groups(inv);
    // D: the least fixpoint of "a seed, or a down group with fewer than min members up".
    let mut down: BTreeSet<String> = seeds.iter().cloned().collect();
    loop {
        let mut more = false;
        for g in groups.iter().filter(|g| g.down) {
            let up = g.providers.iter().filter(|p| !down.contains(*p)).count();
            if up < g.min && down.insert(g.consumer.clone()) {
                more = true;
            }
        }
        if !more {
            break;
        }
    }
    // Reachability along down-effect links inside D (provider -> consumer).
    let mut edges: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for g in groups
        .iter()
        .filter(|g| g.down && down.contains(&g.consumer))
    {
        for p in g.providers.iter().filter(|p| down.contains(*p)) {
            edges
                .entry(p.as_str())
                .or_default()
                .insert(g.consumer.as_str());
        }
    }
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack = vec![from.to_owned()];
        while let Some(v) = stack.pop() {
            for &w in edges.get(v.as_str()).into_iter().flatten() {
                if seen.insert(w.to_owned()) {
                    stack.push(w.to_owned());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&str, BTreeSet<String>> =
        down.iter().map(|v| (v.as_str(), reach(v))).collect();
    let same_cycle =
        |a: &str, b: &str| a == b || (reaches[a].contains(b) && reaches[b].contains(a));
    let node = |id: &str| inv.nodes.iter().find(|n| n.id == id).expect("node");
    let urgency: BTreeMap<&str, u8> = down
        .iter()
        .map(|v| {
            let u = std::iter::once(v.as_str())
                .chain(reaches[v.as_str()].iter().map(String::as_str))
                .map(|w| Grade::rank(node(w).grade))
                .min()
                .unwrap_or(u8::MAX);
            (v.as_str(), u)
        })
        .collect();

    // A planned downtime: the seeds are running from hour 0 for that long, with no crew.
    let planned = |v: &str| seed_back.filter(|_| seeds.iter().any(|s| s == v));
    let work = |v: &str| planned(v).unwrap_or(node(v).restore_secs);
    let mut ready: BTreeMap<&str, u64> = BTreeMap::new();
    let mut start: BTreeMap<&str, u64> = BTreeMap::new();
    let mut back: BTreeMap<&str, u64> = BTreeMap::new();
    for v in &down {
        if planned(v).is_some() {
            ready.insert(v.as_str(), 0);
            start.insert(v.as_str(), 0);
        }
    }
    let mut t = 0u64;
    loop {
        // Restorations ending now are back.
        for (&v, &s) in &start {
            if !back.contains_key(v) && s + work(v) == t {
                back.insert(v, t);
            }
        }
        // Readiness, with zero-work nodes back at once, until nothing changes.
        loop {
            let mut changed = false;
            for v in &down {
                if ready.contains_key(v.as_str()) {
                    continue;
                }
                let holds = groups
                    .iter()
                    .filter(|g| g.down && g.consumer == *v)
                    .all(|g| {
                        g.providers
                            .iter()
                            .filter(|p| {
                                !down.contains(*p)
                                    || back.contains_key(p.as_str())
                                    || same_cycle(p, v)
                            })
                            .count()
                            >= g.min
                    });
                if holds {
                    ready.insert(v.as_str(), t);
                    if node(v).restore_secs == 0 {
                        start.insert(v.as_str(), t);
                        back.insert(v.as_str(), t);
                    }
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // Free crews take the best candidates.
        let busy = start
            .keys()
            .filter(|v| !back.contains_key(*v) && planned(v).is_none())
            .count();
        let mut candidates: Vec<&str> = ready
            .keys()
            .copied()
            .filter(|v| !start.contains_key(v))
            .collect();
        candidates.sort_by_key(|v| (urgency[v], ready[v], v.as_bytes().to_vec()));
        let free = crews.map_or(usize::MAX, |c| c - busy);
        for v in candidates.into_iter().take(free) {
            start.insert(v, t);
        }
        // The next instant a restoration ends.
        let next = start
            .iter()
            .filter(|(v, _)| !back.contains_key(*v))
            .map(|(v, s)| s + work(v))
            .min();
        match next {
            Some(n) => t = n,
            None => break,
        }
    }
    down.iter()
        .map(|v| {
            let v = v.as_str();
            (
                v.to_owned(),
                (
                    ready.get(v).copied().unwrap_or(u64::MAX),
                    start.get(v).copied().unwrap_or(u64::MAX),
                    back.get(v).copied().unwrap_or(u64::MAX),
                ),
            )
        })
        .collect()
}

/// Small inventories with every feature the timeline reads: groups with any `min`,
/// cycles, restore times with many zeros and ties, grades, parallel links.
fn small() -> impl Strategy<Value = Inventory> {
    generator::inventory(Shape {
        systems: 2..9,
        sites: 0..3,
        links: 0..20,
        degraded: 0.15,
        any_order: true,
        ..Shape::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    /// For every crew count from 1 to more than the down nodes, and no limit, the plan's
    /// ready, start and back times are the reference's, its breaches follow from them, and
    /// each chain of waits is consistent with the times.
    #[test]
    fn the_timeline_matches_the_reference(
        inv in small(),
        seeds in proptest::collection::vec(any::<Index>(), 1..3),
        target in 0u64..30_000,
    ) {
        let g = Graph::new(inv.clone());
        let failed: Vec<String> = seeds.iter().map(|i| i.get(&inv.nodes).id.to_string()).collect();
        let scenario = Scenario { failed: failed.clone(), ..Default::default() };
        let rto = targets(&[(1, target), (2, target * 2), (3, target * 4)]);
        let n = g.impact(&scenario).expect("impact").summary.down;
        let mut counts: Vec<Option<usize>> = (1..=n + 1).map(Some).collect();
        counts.push(None);
        for c in counts {
            let p = analysis::recover_with(&g, &scenario, &RecoverOptions {
                crews: c.and_then(NonZeroUsize::new),
                targets: rto,
                seed_back: None,
            }).expect("plan");
            let want = reference(&inv, &failed, c, None);
            let got: BTreeMap<String, (u64, u64, u64)> = p.steps.iter()
                .map(|s| (s.id.clone(), (s.times.ready, s.times.start, s.times.back)))
                .collect();
            prop_assert_eq!(&got, &want, "crews {:?}", c);
            for s in &p.steps {
                prop_assert_eq!(s.times.back, s.times.start + s.times.restore);
                prop_assert!(s.times.ready <= s.times.start);
                prop_assert_eq!(s.back_hours, s.times.back as f64 / 3600.0);
                // The chain of waits explains the back time link by link.
                let chain = p.why(&s.id).expect("in the plan");
                for h in &chain {
                    match h.wait {
                        HoldOn::Nothing => prop_assert_eq!(h.step.times.ready, 0),
                        HoldOn::Provider(q) => prop_assert_eq!(q.times.back, h.step.times.ready),
                        HoldOn::Crew(q) => {
                            prop_assert_eq!(q.times.back, h.step.times.start);
                            prop_assert!(h.step.times.start > h.step.times.ready);
                        }
                    }
                }
                prop_assert!(matches!(chain.last().map(|h| h.wait), Some(HoldOn::Nothing)));
            }
            // The table's order is by back time, each node after what it waited for.
            let order = p.by_back_time();
            let place: BTreeMap<&str, usize> = order.iter().enumerate().map(|(n, &i)| (p.steps[i].id.as_str(), n)).collect();
            for w in order.windows(2) {
                prop_assert!(p.steps[w[0]].times.back <= p.steps[w[1]].times.back);
            }
            for s in &p.steps {
                if let Some(h) = p.why(&s.id).and_then(|c| c.first().copied()) {
                    match h.wait {
                        HoldOn::Provider(q) | HoldOn::Crew(q) => prop_assert!(place[q.id.as_str()] < place[s.id.as_str()]),
                        HoldOn::Nothing => {}
                    }
                }
            }
            let mut breaches: Vec<(u8, String)> = p.steps.iter()
                .filter_map(|s| {
                    let g = s.grade?;
                    let t = (*rto.get(Some(g)))?;
                    (s.times.back > t).then(|| (g.get(), s.id.clone()))
                })
                .collect();
            breaches.sort();
            let got: Vec<(u8, String)> = p.rto_breaches.iter().map(|b| (b.grade.get(), b.id.clone())).collect();
            prop_assert_eq!(got, breaches);
            let all = p.steps.iter().map(|s| s.times.back).max().unwrap_or(0);
            prop_assert_eq!(p.all_back_hours, all as f64 / 3600.0);
        }
    }

    /// A planned downtime (`assess --window`): the failed nodes are back when it ends,
    /// whatever they need and with no crew; the rest as the reference says.
    #[test]
    fn a_planned_downtime_matches_the_reference(
        inv in small(),
        seeds in proptest::collection::vec(any::<Index>(), 1..3),
        window in 0u64..7200,
        c in 0usize..4,
    ) {
        let g = Graph::new(inv.clone());
        let failed: Vec<String> = seeds.iter().map(|i| i.get(&inv.nodes).id.to_string()).collect();
        let scenario = Scenario { failed: failed.clone(), ..Default::default() };
        let limit = (c > 0).then_some(c);
        let p = analysis::recover_with(&g, &scenario, &RecoverOptions {
            crews: limit.and_then(NonZeroUsize::new),
            targets: ByGrade::default(),
            seed_back: Some(window),
        }).expect("plan");
        let want = reference(&inv, &failed, limit, Some(window));
        let got: BTreeMap<String, (u64, u64, u64)> = p.steps.iter()
            .map(|s| (s.id.clone(), (s.times.ready, s.times.start, s.times.back)))
            .collect();
        prop_assert_eq!(got, want);
    }

    /// The down times are `impact`'s, and the what-if agrees with the plans.
    #[test]
    fn down_times_are_impacts_and_the_what_if_agrees(inv in small(), seed in any::<Index>()) {
        let g = Graph::new(inv.clone());
        let scenario = Scenario { failed: vec![seed.get(&inv.nodes).id.to_string()], ..Default::default() };
        let imp = g.impact(&scenario).expect("impact");
        let p = analysis::recover(&g, &scenario).expect("plan");
        for s in &p.steps {
            let a = imp.affected.iter().find(|a| a.id == s.id).expect("affected");
            prop_assert_eq!(a.at_hours, s.down_hours);
        }
        let rto = targets(&[(1, 3600)]);
        let counts = [NonZeroUsize::new(1), NonZeroUsize::new(2), None];
        let rows = analysis::what_if(&g, &scenario, &counts, &rto).expect("what-if");
        for (c, r) in counts.iter().zip(&rows.what_if) {
            let p = analysis::recover_with(&g, &scenario, &RecoverOptions { crews: *c, targets: rto, seed_back: None }).expect("plan");
            prop_assert_eq!(r.all_back_hours, p.all_back_hours);
            prop_assert_eq!(&r.rto_breaches, &p.rto_breaches);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Targets in the inventory, and the command line.

mod cli {
    use crate::support::ripplemap;

    const FIXTURE: &str = "tests/fixtures/analyses/timeline.toml";

    fn ok(args: &[&str]) -> String {
        let out = ripplemap().args(args).code(0);
        assert_eq!(out.stderr, "", "{args:?}");
        out.stdout
    }

    #[test]
    fn recover_prints_the_timeline_with_crews_targets_and_why() {
        let text = ok(&[
            "recover", FIXTURE, "--fail", "dc", "--crews", "1", "--rto", "1=4h", "--why", "portal",
        ]);
        assert!(text.contains("6 systems in 3 waves, 1 crew"), "{text}");
        assert!(text.contains("MISSED 4 h"), "{text}");
        assert!(
            text.contains("What holds up report, the last system back"),
            "{text}"
        );
        assert!(
            text.contains("What holds up portal (back at 6 h)"),
            "{text}"
        );
        let v = ripplemap()
            .args([
                "recover",
                FIXTURE,
                "--fail",
                "dc",
                "--crews",
                "2",
                "--rto",
                "1=4h,2=1h",
                "--format",
                "json",
                "--why",
                "report",
            ])
            .code(0)
            .json();
        assert_eq!(v["crews"], 2);
        assert_eq!(v["all_back_hours"], 7.0);
        let breaches: Vec<&str> = v["rto_breaches"]
            .as_array()
            .expect("breaches")
            .iter()
            .map(|b| b["id"].as_str().unwrap_or(""))
            .collect();
        assert_eq!(breaches, vec!["portal", "mail"]);
        assert_eq!(v["why"]["report"][0]["waited_for"], "provider");
        assert_eq!(v["why"]["report"][0]["on"], "db");
        // Without --why, exactly the plan's keys.
        let v = ripplemap()
            .args(["recover", FIXTURE, "--fail", "dc", "--format", "json"])
            .code(0)
            .json();
        assert!(v.get("why").is_none());
        assert!(v["crews"].is_null());
    }

    #[test]
    fn a_failed_link_is_repaired_at_hour_0() {
        // report needs db: losing that link takes report down; the link is repaired at
        // hour 0, so report is ready at once and back after its own 2 h.
        let v = ripplemap()
            .args([
                "recover",
                FIXTURE,
                "--fail-link",
                "report->db",
                "--format",
                "json",
            ])
            .code(0)
            .json();
        assert_eq!(v["failed"].as_array().map(Vec::len), Some(0));
        assert_eq!(v["steps"][0]["id"], "report");
        assert_eq!(v["steps"][0]["ready_hours"], 0.0);
        assert_eq!(v["all_back_hours"], 2.0);
        let text = ok(&["recover", FIXTURE, "--fail-link", "report->db"]);
        assert!(
            text.contains("after the failure of link report->db"),
            "{text}"
        );
    }

    #[test]
    fn several_crew_counts_are_a_what_if() {
        let text = ok(&[
            "recover",
            FIXTURE,
            "--fail",
            "dc",
            "--crews",
            "1,2,unlimited",
            "--rto",
            "1=4h",
        ]);
        assert!(text.contains("Crews what-if"), "{text}");
        assert!(text.contains("no limit"), "{text}");
        let v = ripplemap()
            .args([
                "recover", FIXTURE, "--fail", "dc", "--crews", "1", "--crews", "2", "--format",
                "json",
            ])
            .code(0)
            .json();
        assert_eq!(v["what_if"][0]["all_back_hours"], 9.0);
        assert_eq!(v["what_if"][1]["all_back_hours"], 7.0);
        let err = ripplemap()
            .args([
                "recover", FIXTURE, "--fail", "dc", "--crews", "1,2", "--format", "svg",
            ])
            .usage_error();
        assert!(err.contains("one --crews count"), "{err}");
    }

    #[test]
    fn the_svg_chart_is_drawn() {
        let svg = ok(&[
            "recover",
            FIXTURE,
            "--fail-where",
            "kind=site",
            "--rto",
            "1=4h",
            "--format",
            "svg",
        ]);
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(svg.contains("grade 1 target 4 h"), "{svg}");
        assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
    }

    #[test]
    fn bad_crews_targets_and_why_are_usage_errors() {
        for args in [
            &["--crews", "0"][..],
            &["--crews", "x"],
            &["--rto", "5=3h"],
            &["--rto", "1=soon"],
            &["--rto", "1"],
            &["--why", "nope"],
        ] {
            let mut all = vec!["recover", FIXTURE, "--fail", "dc"];
            all.extend_from_slice(args);
            ripplemap().args(&all).usage_error();
        }
    }

    #[test]
    fn the_inventory_sets_targets_in_every_form_and_the_command_line_wins() {
        let dir = tempfile::tempdir().expect("temp dir");
        let toml = std::fs::read_to_string(crate::support::root().join(FIXTURE)).expect("fixture")
            + "\n[recovery]\nrto = { \"1\" = \"4h\", \"2\" = \"1h\" }\n";
        let toml_path = dir.path().join("t.toml");
        std::fs::write(&toml_path, toml).expect("written");
        let t = toml_path.to_str().expect("utf-8");
        let json_path = dir.path().join("t.json");
        let csv_path = dir.path().join("csv");
        let xlsx_path = dir.path().join("t.xlsx");
        for (to, path) in [("json", &json_path), ("csv", &csv_path)] {
            ok(&[
                "convert",
                t,
                "--to",
                to,
                "-o",
                path.to_str().expect("utf-8"),
            ]);
        }
        let inv = ripplemap::load(&toml_path).expect("loads");
        ripplemap::inventory::write_xlsx(&inv, &xlsx_path).expect("xlsx written");
        let csv = std::fs::read_to_string(csv_path.join("recovery.csv")).expect("recovery.csv");
        assert_eq!(csv, "\u{feff}grade,rto\n1,4h\n2,1h\n");
        let json = std::fs::read_to_string(&json_path).expect("json");
        assert!(
            json.contains("\"recovery\": {\n    \"rto\": {\n      \"1\": \"4h\""),
            "{json}"
        );
        for path in [&toml_path, &json_path, &csv_path, &xlsx_path] {
            let p = path.to_str().expect("utf-8");
            assert_eq!(ripplemap::load(path).expect("loads").rto, inv.rto, "{p}");
            let v = ripplemap()
                .args([
                    "recover", p, "--fail", "dc", "--crews", "1", "--format", "json",
                ])
                .code(0)
                .json();
            let ids: Vec<&str> = v["rto_breaches"]
                .as_array()
                .expect("breaches")
                .iter()
                .map(|b| b["id"].as_str().unwrap_or(""))
                .collect();
            assert_eq!(ids, vec!["portal", "mail"], "{p}");
            // --rto replaces one grade's target; the other keeps the inventory's.
            let v = ripplemap()
                .args([
                    "recover", p, "--fail", "dc", "--crews", "1", "--rto", "1=6h", "--format",
                    "json",
                ])
                .code(0)
                .json();
            assert_eq!(v["rto_breaches"].as_array().map(Vec::len), Some(1), "{p}");
            assert_eq!(v["rto_breaches"][0]["id"], "mail", "{p}");
        }
        // The diff sees a changed target.
        let other = dir.path().join("u.toml");
        std::fs::write(
            &other,
            std::fs::read_to_string(&toml_path)
                .expect("toml")
                .replace("\"2\" = \"1h\"", "\"2\" = \"2h\""),
        )
        .expect("written");
        let out = ripplemap()
            .args(["diff", t, other.to_str().expect("utf-8")])
            .run();
        assert!(out.stdout.contains("grade 2"), "{}", out.stdout);
    }

    #[test]
    fn a_csv_directory_with_recovery_targets_is_converted_again_in_place() {
        // recovery.csv is one of the directory's own files: writing the directory again
        // replaces it rather than refusing it as a foreign file.
        let dir = tempfile::tempdir().expect("temp dir");
        let csv = dir.path().join("csv");
        let csv = csv.to_str().expect("utf-8");
        let sample = "inventories/korea-egov.toml";
        for _ in 0..2 {
            ok(&["convert", sample, "--to", "csv", "-o", csv]);
        }
        let v = ripplemap()
            .args([
                "recover",
                csv,
                "--fail-where",
                "site=nirs-daejeon",
                "--format",
                "json",
            ])
            .code(0)
            .json();
        assert!(
            v["rto_breaches"].as_array().is_some_and(|b| !b.is_empty()),
            "{v}"
        );
    }

    #[test]
    fn bad_recovery_tables_do_not_load() {
        for (text, message) in [
            (
                "[recovery]\nrto = { \"5\" = \"3h\" }\n",
                "invalid grade `5`",
            ),
            (
                "[recovery]\nrto = { \"1\" = \"soon\" }\n",
                "unparsable duration `soon`",
            ),
            (
                "[recovery]\nrpo = { \"1\" = \"3h\" }\n",
                "unknown key `rpo` in the recovery table",
            ),
            ("[recovery]\nrto = \"3h\"\n", "`rto` is not a table"),
            ("recovery = 3\n", "`recovery` is not a table"),
        ] {
            let doc = format!("{text}[[system]]\nid = \"a\"\n");
            let e = ripplemap::inventory::load_str(
                &doc,
                ripplemap::inventory::Format::Toml,
                std::path::Path::new("bad.toml"),
            )
            .expect_err("does not load");
            let all: Vec<String> = e.diagnostics.iter().map(ToString::to_string).collect();
            assert!(
                all.iter().any(|d| d.contains(message)),
                "{message}: {all:?}"
            );
        }
        let e = ripplemap::inventory::load_str(
            "{\"recovery\": {\"rto\": {\"2\": \"1h\", \"x\": \"2h\"}}, \"system\": [{\"id\": \"a\"}]}",
            ripplemap::inventory::Format::Json,
            std::path::Path::new("bad.json"),
        )
        .expect_err("does not load");
        assert!(
            e.diagnostics[0].to_string().contains("invalid grade `x`"),
            "{e:?}"
        );
    }
}

#[test]
fn a_planned_downtime_brings_the_changed_nodes_back_at_its_end() {
    // assess --window: dc and auth are changed, down for 4 h, back together at hour 4
    // (auth does not wait for dc, and takes no crew); the others follow as usual.
    let g = fixture("timeline.toml");
    let p = analysis::recover_with(
        &g,
        &scenario(&["dc", "auth"]),
        &RecoverOptions {
            crews: crews(1),
            targets: targets(&[]),
            seed_back: Some(4 * H),
        },
    )
    .expect("plan");
    assert_eq!(
        times(&p),
        vec![
            row("auth", 0, 0, 4),
            row("dc", 0, 0, 4),
            row("db", 4, 4, 7),
            row("portal", 7, 7, 7),
            row("mail", 4, 7, 8),
            row("report", 7, 8, 10),
        ]
    );
}

/// out/daejeon-fire-recovery.txt is what out/render.sh makes of the sample today.
#[test]
fn the_committed_fire_timeline_is_up_to_date() {
    use crate::support::ripplemap;
    let fire = [
        "--color",
        "never",
        "recover",
        "inventories/korea-egov.toml",
        "--fail-where",
        "site=nirs-daejeon",
    ];
    let table = ripplemap()
        .args(fire)
        .args(["--crews", "8", "--why", "gov24"])
        .ok();
    let what_if = ripplemap()
        .args(fire)
        .args(["--crews", "1,2,4,8,16,unlimited"])
        .ok();
    let committed =
        std::fs::read_to_string(crate::support::root().join("out/daejeon-fire-recovery.txt"))
            .expect("out/daejeon-fire-recovery.txt");
    assert_eq!(
        committed,
        format!("{table}\n{what_if}"),
        "out/daejeon-fire-recovery.txt is stale: run out/render.sh and commit out/"
    );
    let svg = ripplemap()
        .args(&fire[2..])
        .args(["--crews", "8", "--format", "svg"])
        .ok();
    let committed =
        std::fs::read_to_string(crate::support::root().join("out/daejeon-fire-recovery.svg"))
            .expect("out/daejeon-fire-recovery.svg");
    assert_eq!(
        committed, svg,
        "out/daejeon-fire-recovery.svg is stale: run out/render.sh"
    );
}
