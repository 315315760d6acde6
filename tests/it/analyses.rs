//! Whole-inventory analyses on hand-checked fixtures (tests/fixtures/analyses/), parallel
//! against sequential, and property tests against brute force over random inventories.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proptest::prelude::*;
use proptest::sample::Index;
use ripplemap::analysis::{
    self, CutOptions, NoProgress, RankOptions, Sweep, SweepOptions, Weights,
};
use ripplemap::inventory::{Effect, Inventory, NodeKind};
use ripplemap::{Grade, Graph, Scenario, State};

use crate::support::generator::{self, Shape};

fn fixture(name: &str) -> Graph {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/analyses")
        .join(name);
    Graph::new(ripplemap::load(&path).expect("fixture loads"))
}

fn rank_all(g: &Graph, threads: Option<usize>) -> analysis::Ranking {
    let opts = RankOptions {
        threads,
        ..Default::default()
    };
    analysis::rank(g, &opts, &NoProgress).expect("rank runs")
}

#[test]
fn ranking_of_the_small_fixture_is_as_hand_computed() {
    let g = fixture("small.toml");
    let r = rank_all(&g, None);
    let got: Vec<(&str, u64, usize, usize, bool)> = r
        .rows
        .iter()
        .map(|x| {
            (
                x.id.as_str(),
                x.score,
                x.down,
                x.degraded,
                x.single_point_of_failure,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("dc-a", 240, 4, 0, true),
            ("auth", 130, 2, 0, true),
            ("portal", 30, 1, 0, false),
            ("dc-b", 10, 1, 1, false),
            ("mailer", 0, 0, 1, false),
            ("report", 0, 0, 0, false),
            ("store1", 0, 0, 1, false),
            ("store2", 0, 0, 1, false),
        ]
    );
    assert_eq!(r.single_points_of_failure, 2);
    let top = &r.rows[0];
    assert_eq!(top.down_by_grade.count(Some(Grade::G1)), 2);
    assert_eq!(top.down_by_grade.count(Some(Grade::G2)), 1);
    assert_eq!(top.down_by_grade.count(Some(Grade::G3)), 1);
    let worst = top
        .most_critical
        .as_ref()
        .expect("dc-a takes something down");
    assert_eq!((worst.id.as_str(), worst.grade), ("auth", Some(Grade::G1)));
}

#[test]
fn weights_top_and_horizon_change_the_ranking() {
    let g = fixture("small.toml");
    let w: Weights = "1=1,2=1000".parse().expect("valid weights");
    let r = analysis::rank(
        &g,
        &RankOptions {
            weights: w,
            top: Some(2),
            ..Default::default()
        },
        &NoProgress,
    )
    .expect("rank runs");
    // dc-a: 2 grade 1 + report (1000) + store1 (grade 3, 10) = 1012; auth 1001; portal 1000.
    let got: Vec<(&str, u64)> = r.rows.iter().map(|x| (x.id.as_str(), x.score)).collect();
    assert_eq!(got, vec![("dc-a", 1012), ("auth", 1001)]);
    // Within 1 h report (4 h tolerance on portal) is not down yet.
    let r = analysis::rank(
        &g,
        &RankOptions {
            horizon_hours: Some(1.0),
            ..Default::default()
        },
        &NoProgress,
    )
    .expect("rank runs");
    let auth = r.rows.iter().find(|x| x.id == "auth").expect("auth ranked");
    assert_eq!(auth.down, 1);
    assert!(
        analysis::rank(
            &g,
            &RankOptions {
                horizon_hours: Some(-1.0),
                ..Default::default()
            },
            &NoProgress
        )
        .is_err()
    );
}

#[test]
fn bad_weights_are_rejected_with_a_message() {
    for bad in ["1", "5=3", "1=x", "1=-2"] {
        let e = bad.parse::<Weights>().expect_err(bad);
        assert!(e.contains("expected"), "{e}");
    }
}

#[test]
fn rank_agrees_with_impact_on_every_node() {
    let g = fixture("small.toml");
    let r = rank_all(&g, None);
    for row in &r.rows {
        let imp = g
            .impact(&Scenario {
                failed: vec![row.id.clone()],
                ..Default::default()
            })
            .expect("impact runs");
        assert_eq!(row.down + 1, imp.summary.down, "{}", row.id);
        assert_eq!(row.degraded, imp.summary.degraded, "{}", row.id);
    }
}

#[test]
fn parallel_ranking_is_identical_to_sequential() {
    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 600,
        links: 5000,
        seed: 9,
    });
    let g = Graph::new(inv);
    assert_eq!(rank_all(&g, Some(1)), rank_all(&g, Some(2)));
    let sweep = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
            .install(|| {
                analysis::sweep(
                    &g,
                    &SweepOptions {
                        sweep: Sweep::Sites,
                        horizon_hours: None,
                        top: None,
                    },
                    &NoProgress,
                )
                .expect("sweep runs")
            })
    };
    assert_eq!(sweep(1), sweep(2));
}

/// Without a horizon the analyses share work between passes (must-link components, an
/// anchor state, resumed pair passes); a horizon longer than any tolerance chain gives the
/// same sets through independent passes, so the two must agree.
#[test]
fn shared_work_gives_the_same_results_as_independent_passes() {
    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 800,
        links: 8000,
        seed: 3,
    });
    let g = Graph::new(inv);
    let long = Some(1.0e7);
    let shared = rank_all(&g, None);
    let each = analysis::rank(
        &g,
        &RankOptions {
            horizon_hours: long,
            ..Default::default()
        },
        &NoProgress,
    )
    .expect("rank runs");
    assert_eq!(shared.rows, each.rows);
    let sweep = |h: Option<f64>| {
        analysis::sweep(
            &g,
            &SweepOptions {
                sweep: Sweep::Sites,
                horizon_hours: h,
                top: None,
            },
            &NoProgress,
        )
        .expect("sweep runs")
        .rows
    };
    assert_eq!(sweep(None), sweep(long));
    // The sample has tolerances and active-active sites: the same agreement there.
    let korea = Graph::new(
        ripplemap::load(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/inventories/korea-egov.toml"
        )))
        .expect("the sample loads"),
    );
    for sweep in [Sweep::Sites, Sweep::Kind(NodeKind::Service)] {
        let run = |h: Option<f64>| {
            analysis::sweep(
                &korea,
                &SweepOptions {
                    sweep: sweep.clone(),
                    horizon_hours: h,
                    top: None,
                },
                &NoProgress,
            )
            .expect("sweep runs")
            .rows
        };
        assert_eq!(run(None), run(long));
    }
    let each = analysis::rank(
        &korea,
        &RankOptions {
            horizon_hours: long,
            ..Default::default()
        },
        &NoProgress,
    )
    .expect("rank runs");
    assert_eq!(rank_all(&korea, None).rows, each.rows);
}

#[test]
fn site_scenarios_report_singles_then_pairs() {
    let g = fixture("small.toml");
    let s = analysis::sweep(
        &g,
        &SweepOptions {
            sweep: Sweep::Sites,
            horizon_hours: None,
            top: None,
        },
        &NoProgress,
    )
    .expect("sweep runs");
    let got: Vec<(&str, usize, usize, Option<usize>)> = s
        .rows
        .iter()
        .map(|r| (r.scenario.as_str(), r.down, r.degraded, r.only_together))
        .collect();
    // Both sites: dc-a's 4 plus store2; nothing is down only because both failed that
    // dc-a does not already take down (portal needs auth, on dc-a).
    assert_eq!(
        got,
        vec![
            ("dc-a", 4, 0, None),
            ("dc-b", 1, 1, None),
            ("dc-a + dc-b", 5, 0, Some(0)),
        ]
    );
}

#[test]
fn kind_and_agency_scenarios() {
    let g = fixture("small.toml");
    let s = analysis::sweep(
        &g,
        &SweepOptions {
            sweep: Sweep::Kind(NodeKind::Service),
            horizon_hours: None,
            top: None,
        },
        &NoProgress,
    )
    .expect("sweep runs");
    assert_eq!(s.rows.len(), 1);
    assert_eq!((s.rows[0].scenario.as_str(), s.rows[0].down), ("auth", 2));
    let s = analysis::sweep(
        &g,
        &SweepOptions {
            sweep: Sweep::Agencies(vec!["NTS".into()]),
            horizon_hours: None,
            top: None,
        },
        &NoProgress,
    )
    .expect("sweep runs");
    assert_eq!(s.rows[0].failed, vec!["mailer", "report"]);
    assert_eq!(s.rows[0].down, 0);
    let e = analysis::sweep(
        &g,
        &SweepOptions {
            sweep: Sweep::Agencies(vec!["NTX".into()]),
            horizon_hours: None,
            top: None,
        },
        &NoProgress,
    )
    .expect_err("unknown agency");
    assert!(e.to_string().contains("NTS"), "{e}");
}

fn cut_list(g: &Graph, target: &str, max: usize) -> Vec<Vec<String>> {
    analysis::cuts(
        g,
        &CutOptions {
            target: target.into(),
            max,
            limit: ripplemap::analysis::cuts::DEFAULT_LIMIT,
        },
        &NoProgress,
    )
    .expect("cuts run")
    .cuts
}

fn v(items: &[&[&str]]) -> Vec<Vec<String>> {
    items
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect()
}

#[test]
fn cuts_are_as_hand_computed() {
    let g = fixture("small.toml");
    assert_eq!(
        cut_list(&g, "report", 3),
        v(&[
            &["auth"],
            &["dc-a"],
            &["portal"],
            &["dc-b", "store1"],
            &["store1", "store2"]
        ])
    );
    let g = fixture("cuts.toml");
    assert_eq!(cut_list(&g, "t", 2), Vec::<Vec<String>>::new());
    assert_eq!(cut_list(&g, "t", 3), v(&[&["p1", "p2", "p3"]]));
    assert_eq!(
        cut_list(&g, "t2", 3),
        v(&[&["b", "u"], &["u", "v"], &["a", "b", "c"], &["a", "c", "v"]])
    );
    let c = analysis::cuts(
        &g,
        &CutOptions {
            target: "t".into(),
            max: 2,
            limit: ripplemap::analysis::cuts::DEFAULT_LIMIT,
        },
        &NoProgress,
    )
    .expect("cuts run");
    assert_eq!((c.smallest, c.complete, c.ancestors), (None, true, 3));
}

#[test]
fn cuts_reject_unknown_targets_and_zero_max() {
    let g = fixture("cuts.toml");
    let e = analysis::cuts(
        &g,
        &CutOptions {
            target: "tt".into(),
            max: 2,
            limit: ripplemap::analysis::cuts::DEFAULT_LIMIT,
        },
        &NoProgress,
    )
    .expect_err("unknown");
    assert!(e.to_string().contains("unknown node id `tt`"), "{e}");
    assert!(
        analysis::cuts(
            &g,
            &CutOptions {
                target: "t".into(),
                max: 0,
                limit: ripplemap::analysis::cuts::DEFAULT_LIMIT,
            },
            &NoProgress
        )
        .is_err()
    );
}

/// The recovery plan after `fail` fails.
fn recovery(g: &Graph, fail: &[&str]) -> analysis::RecoveryPlan {
    analysis::recover(
        g,
        &Scenario {
            failed: fail.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        },
    )
    .expect("plan")
}

/// Each step as (wave, id, waits for, the other members of its cycle).
fn plan(g: &Graph, fail: &[&str]) -> Vec<(usize, String, Vec<String>, Vec<String>)> {
    let p = recovery(g, fail);
    p.steps
        .iter()
        .map(|s| {
            let together = s
                .cycle
                .map(|n| {
                    p.cycle_members[n - 1]
                        .iter()
                        .filter(|m| **m != s.id)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            (s.wave, s.id.clone(), s.waits_for.clone(), together)
        })
        .collect()
}

fn s(items: &[&str]) -> Vec<String> {
    items.iter().map(|x| x.to_string()).collect()
}

#[test]
fn recovery_plans_are_as_hand_computed() {
    let g = fixture("small.toml");
    assert_eq!(
        plan(&g, &["dc-a"]),
        vec![
            (1, "dc-a".into(), s(&[]), s(&[])),
            (2, "auth".into(), s(&["dc-a"]), s(&[])),
            (2, "store1".into(), s(&["dc-a"]), s(&[])),
            (3, "portal".into(), s(&["auth", "dc-a", "store1"]), s(&[])),
            (4, "report".into(), s(&["portal"]), s(&[])),
        ]
    );
    let g = fixture("cycle.toml");
    let p = recovery(&g, &["s"]);
    assert_eq!(p.cycles, 1);
    assert_eq!(p.cycle_members, [s(&["a", "b"])]);
    assert_eq!(
        plan(&g, &["s"]),
        vec![
            (1, "s".into(), s(&[]), s(&[])),
            (2, "b".into(), s(&["s"]), s(&["a"])),
            (2, "a".into(), s(&["s"]), s(&["b"])),
            (3, "x".into(), s(&["a"]), s(&[])),
        ]
    );
}

#[test]
fn selection_by_field() {
    let g = fixture("small.toml");
    let sel = |c: &[&str]| analysis::select(&g, &s(c));
    assert_eq!(
        sel(&["site=dc-a"]).expect("matches"),
        s(&["auth", "dc-a", "portal", "store1"])
    );
    assert_eq!(
        sel(&["agency=NTS"]).expect("matches"),
        s(&["mailer", "report"])
    );
    assert_eq!(
        sel(&["tag=login", "kind=site"]).expect("matches"),
        s(&["auth", "dc-a", "dc-b"])
    );
    assert!(sel(&["colour=red"]).is_err());
    assert!(sel(&["site"]).is_err());
    assert!(sel(&["kind=servce"]).is_err());
    assert!(sel(&["agency=Nobody"]).is_err());
}

// ---- property tests ----------------------------------------------------------------

fn down_with(g: &Graph, failed: &[String], target: &str) -> bool {
    if failed.is_empty() {
        return false;
    }
    g.impact(&Scenario {
        failed: failed.to_vec(),
        ..Default::default()
    })
    .expect("impact runs")
    .affected
    .iter()
    .any(|a| a.id == target && a.state == State::Down)
}

/// Up to 8 systems and 2 sites, up to 21 links (parallel ones too, in any order) with
/// tolerances, degraded effects, alternatives groups with any `min`, hosting from `sites`.
fn inventory() -> impl Strategy<Value = Inventory> {
    generator::inventory(Shape {
        systems: 3..9,
        sites: 0..3,
        links: 0..22,
        degraded: 0.15,
        any_order: true,
        ..Shape::default()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(150))]

    /// Every reported cut takes the target down, no proper subset does, and the cuts are
    /// exactly the minimal ones found by brute force over all sets of at most 3 nodes.
    #[test]
    fn cuts_are_exactly_the_minimal_cuts(inv in inventory(), t in any::<Index>()) {
        let target = t.get(&inv.nodes).id.to_string();
        let g = Graph::new(inv.clone());
        let got = cut_list(&g, &target, 3);
        for cut in &got {
            prop_assert!(down_with(&g, cut, &target), "{cut:?} does not take {target} down");
            for skip in 0..cut.len() {
                let sub: Vec<String> = cut.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, x)| x.clone()).collect();
                prop_assert!(!down_with(&g, &sub, &target), "{sub:?} ⊂ {cut:?} already takes {target} down");
            }
        }
        // Brute force: every set of up to 3 other nodes, minimal ones only.
        let others: Vec<String> = inv.nodes.iter().map(|x| x.id.to_string()).filter(|x| *x != target).collect();
        let mut want: Vec<Vec<String>> = Vec::new();
        for size in 1..=3usize {
            let mut idx: Vec<usize> = (0..size).collect();
            if size > others.len() { break; }
            loop {
                let set: Vec<String> = idx.iter().map(|&i| others[i].clone()).collect();
                let has_smaller = want.iter().any(|c| c.iter().all(|x| set.contains(x)));
                if !has_smaller && down_with(&g, &set, &target) {
                    want.push(set);
                }
                // Next combination in lexicographic order.
                let mut i = size;
                while i > 0 && idx[i - 1] == others.len() - size + i - 1 { i -= 1; }
                if i == 0 { break; }
                idx[i - 1] += 1;
                for j in i..size { idx[j] = idx[j - 1] + 1; }
            }
        }
        let norm = |mut v: Vec<Vec<String>>| { for c in &mut v { c.sort(); } v.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b))); v };
        prop_assert_eq!(norm(got), norm(want));
    }

    /// Every recovery step comes after all its down providers (down-effect links), or in
    /// the same wave as part of one dependency cycle.
    #[test]
    fn recovery_restores_providers_first(inv in inventory(), seed in any::<Index>(), seed2 in any::<Index>()) {
        let g = Graph::new(inv.clone());
        let failed = vec![seed.get(&inv.nodes).id.to_string(), seed2.get(&inv.nodes).id.to_string()];
        let p = analysis::recover(&g, &Scenario { failed: failed.clone(), ..Default::default() }).expect("plan");
        let imp = g.impact(&Scenario { failed, ..Default::default() }).expect("impact");
        let down: BTreeSet<&str> = imp.affected.iter().filter(|a| a.state == State::Down).map(|a| a.id).collect();
        let planned: BTreeSet<&str> = p.steps.iter().map(|s| s.id.as_str()).collect();
        prop_assert_eq!(&down, &planned);
        let wave: BTreeMap<&str, usize> = p.steps.iter().map(|s| (s.id.as_str(), s.wave)).collect();
        let cycle: BTreeMap<&str, Option<usize>> = p.steps.iter().map(|s| (s.id.as_str(), s.cycle)).collect();
        for l in &inv.links {
            if l.effect != Effect::Down { continue; }
            let (c, pr) = (l.consumer.as_str(), l.provider.as_str());
            if let (Some(&wc), Some(&wp)) = (wave.get(c), wave.get(pr)) {
                let same_cycle = cycle.get(c).copied().flatten().is_some_and(|n| cycle.get(pr) == Some(&Some(n)));
                prop_assert!(wp < wc || (wp == wc && same_cycle), "{pr} (wave {wp}) before {c} (wave {wc})");
            }
        }
        // Waves are in order, grade 1 first within a wave.
        for w in p.steps.windows(2) {
            prop_assert!((w[0].wave, Grade::rank(w[0].grade)) <= (w[1].wave, Grade::rank(w[1].grade)));
        }
    }
}

/// With a horizon only components of zero-tolerance must links share a pass: every row
/// must still match an independent `impact` of that node alone.
#[test]
fn rank_with_a_horizon_matches_impact_node_by_node() {
    let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
        nodes: 400,
        links: 4000,
        seed: 11,
    });
    let g = Graph::new(inv);
    for hours in [0.0, 4.0, 30.0] {
        let r = analysis::rank(
            &g,
            &RankOptions {
                horizon_hours: Some(hours),
                ..Default::default()
            },
            &NoProgress,
        )
        .expect("rank runs");
        for row in &r.rows {
            let imp = g
                .impact(&Scenario {
                    failed: vec![row.id.clone()],
                    horizon_hours: Some(hours),
                    ..Default::default()
                })
                .expect("impact runs");
            assert_eq!(row.down + 1, imp.summary.down, "{} at {hours} h", row.id);
            assert_eq!(
                row.degraded, imp.summary.degraded,
                "{} at {hours} h",
                row.id
            );
            let mut by = imp.summary.down_by_grade;
            let own = g.inventory().node(&row.id).and_then(|n| n.grade);
            by.remove(own);
            assert_eq!(row.down_by_grade, by, "{} at {hours} h", row.id);
        }
    }
}

#[test]
fn a_large_cycle_is_listed_once_under_the_plan() {
    let p = recovery(&fixture("ring.toml"), &["s"]);
    let ring = s(&["c1", "c2", "c3", "c4", "c5", "c6"]);
    assert_eq!((p.cycles, &p.cycle_members), (1, &vec![ring.clone()]));
    for step in &p.steps {
        let expected = if ring.contains(&step.id) {
            Some(1)
        } else {
            None
        };
        assert_eq!(step.cycle, expected, "{}", step.id);
    }
    let text = crate::support::text(|w| {
        ripplemap::render::table::recover(&p, ripplemap::render::Style::default(), w)
    });
    assert_eq!(
        text.matches("cycle 1 (6 systems, listed below)").count(),
        6,
        "{text}"
    );
    assert_eq!(
        text.matches("cycle 1 (6 systems): c1, c2, c3, c4, c5, c6")
            .count(),
        1,
        "{text}"
    );
    let json: serde_json::Value = serde_json::to_value(&p).unwrap();
    assert_eq!(json["cycle_members"][0].as_array().unwrap().len(), 6);
    assert_eq!(json["steps"][1]["cycle"], 1);
}
