//! `assess`: the assessment document (Markdown snapshots, reviewed like code), its JSON,
//! the assessment level mapping, and bad arguments (exit 2).

use std::path::Path;

use ripplemap::analysis::assess::{AssessOptions, Assessment, LevelRule, assess};
use ripplemap::{Change, Grade, Graph};
use serde_json::Value;

use crate::support::ripplemap;

const SAMPLE: &str = "inventories/korea-egov.toml";
const TEACH: &str = "inventories/teach-active-active.toml";

fn graph(path: &str) -> Graph {
    Graph::new(ripplemap::load(Path::new(path)).unwrap())
}

fn options(systems: &[&str], links: &[&str], window: Option<f64>) -> AssessOptions {
    AssessOptions {
        change: Change {
            systems: systems.iter().map(|s| s.to_string()).collect(),
            links: links.iter().map(|s| s.to_string()).collect(),
        },
        window_hours: window,
        levels: LevelRule::defaults(),
    }
}

fn document(path: &str, opts: &AssessOptions) -> (Assessment<'static>, String) {
    // The assessment borrows the graph; a test's few graphs can live for the whole run.
    let g: &'static _ = Box::leak(Box::new(graph(path)));
    let a = assess(g, opts).unwrap();
    let view = ripplemap::view::View::for_change(g, &a.change, &Default::default());
    let md = crate::support::text(|w| {
        ripplemap::render::markdown::assessment(
            &a,
            path,
            ripplemap::lang::Lang::En,
            |w| ripplemap::render::mermaid::write(&view, ripplemap::lang::Lang::En, w),
            w,
        )
    });
    (a, md)
}

#[test]
fn assessment_of_a_site_change_with_a_window() {
    let (a, md) = document(TEACH, &options(&["dc-a"], &[], Some(1.0)));
    // archive goes down with its only site, reporting with archive; the active-active
    // nodes only lose redundancy.
    let window = a.window.as_ref().unwrap();
    let states: Vec<(&str, &str)> = window
        .affected
        .iter()
        .map(|x| {
            (
                x.id,
                if x.state == ripplemap::State::Down {
                    "down"
                } else {
                    "degraded"
                },
            )
        })
        .collect();
    assert_eq!(
        states,
        [
            ("dc-a", "down"),
            ("archive", "down"),
            ("portal", "degraded"),
            ("registry", "degraded"),
            ("reporting", "down")
        ]
    );
    assert_eq!(a.level.most_critical_grade, Some(Grade::G1));
    assert_eq!(a.level.requirements, LevelRule::defaults());
    insta::assert_snapshot!(md);
}

#[test]
fn assessment_of_a_link_change_on_the_sample() {
    let (a, md) = document(SAMPLE, &options(&[], &["saeol-login-gpki"], Some(4.0)));
    assert_eq!(a.changed_links.len(), 1);
    assert_eq!(a.changed_links[0].consumer.id, "saeol");
    assert_eq!(a.changed_links[0].provider.id, "gpki");
    // The link itself is the change: its consumer is the first to retest.
    assert_eq!(a.change.affected[0].id, "saeol");
    assert_eq!(a.change.path(&a.change.affected[0])[..], ["gpki", "saeol"]);
    insta::assert_snapshot!(md);
}

#[test]
fn notification_list_is_grouped_by_agency_and_covers_every_consumer() {
    let (a, _) = document(SAMPLE, &options(&["share-center"], &[], None));
    let listed: usize = a.notify.iter().map(|g| g.nodes.len()).sum();
    assert_eq!(listed, a.change.affected.len());
    let agencies: Vec<&str> = a
        .notify
        .iter()
        .filter_map(|g| g.agency.as_deref())
        .collect();
    let mut sorted = agencies.clone();
    sorted.sort_unstable();
    assert_eq!(agencies, sorted);
    assert_eq!(agencies, a.change.summary.agencies);
    assert!(a.window.is_none());
}

#[test]
fn findings_touching_the_change_are_included() {
    let (a, md) = document(SAMPLE, &options(&["vaccine-booking"], &[], None));
    let rules: Vec<&str> = a.findings.iter().map(|f| f.rule.id()).collect();
    assert!(rules.contains(&"grade-inversion"), "{rules:?}");
    assert!(
        md.contains("## 7. Policy findings touching the change (1)"),
        "{md}"
    );
}

#[test]
fn the_level_mapping_is_configurable() {
    let mut opts = options(&["dc-a"], &[], None);
    opts.levels = vec![
        "3=regression test by every consumer".parse().unwrap(),
        "1=minister's sign-off".parse().unwrap(),
    ];
    let g = graph(TEACH);
    let a = assess(&g, &opts).unwrap();
    let req: Vec<&str> = a
        .level
        .requirements
        .iter()
        .map(|r| r.requirement.as_str())
        .collect();
    assert_eq!(
        req,
        ["regression test by every consumer", "minister's sign-off"]
    );
    // A change that touches only a grade 3 system needs only the grade 3 requirement.
    let mut opts = options(&["reporting"], &[], None);
    opts.levels = vec![
        "3=regression test".parse().unwrap(),
        "1=review".parse().unwrap(),
    ];
    let g = graph(TEACH);
    let a = assess(&g, &opts).unwrap();
    assert_eq!(a.level.most_critical_grade, Some(Grade::G3));
    assert_eq!(a.level.requirements.len(), 1);
}

#[test]
fn cli_writes_markdown_and_json() {
    let out = ripplemap()
        .args(["assess", TEACH, "--system", "dc-a", "--window", "1h"])
        .ok();
    assert!(out.starts_with("# Interconnection impact assessment: `dc-a`\n"));
    assert!(out.contains("```mermaid\n"));
    let out = ripplemap()
        .args(["assess", TEACH, "--system", "dc-a", "--window", "90m"])
        .args(["--format", "json"])
        .ok();
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["window_hours"], 1.5);
    assert_eq!(v["window"]["scenario"]["horizon_hours"], 1.5);
    assert_eq!(v["level"]["most_critical_grade"], 1);
    assert_eq!(v["change"]["summary"]["direct"], 3);
    assert_eq!(v["notify"][0]["agency"], "MOIS");
    let out = ripplemap()
        .args(["assess", TEACH, "--system", "reporting"])
        .args(["--level", "3=regression test"])
        .ok();
    assert!(
        out.contains("- **regression test** (a grade 1, 2 or 3 system is affected)"),
        "{out}"
    );
}

#[test]
fn bad_arguments_exit_2() {
    let err = ripplemap()
        .args(["assess", TEACH, "--system", "dc-x"])
        .code(2)
        .stderr;
    assert!(
        err.contains("unknown node id `dc-x`; did you mean"),
        "{err}"
    );
    let err = ripplemap()
        .args(["assess", TEACH, "--system", "dc-a", "--window", "soon"])
        .code(2)
        .stderr;
    assert!(
        err.contains("invalid value 'soon' for '--window <DURATION>'"),
        "{err}"
    );
    let err = ripplemap()
        .args(["assess", TEACH, "--system", "dc-a", "--level", "7=x"])
        .code(2)
        .stderr;
    assert!(err.contains("expected a grade from 1 to 4"), "{err}");
    let err = ripplemap().args(["assess", TEACH]).code(2).stderr;
    assert!(err.contains("no node or link given"), "{err}");
    let err = ripplemap()
        .args(["assess", "tests/fixtures/policy/bad-policy.toml"])
        .args(["--system", "a"])
        .code(2)
        .stderr;
    assert!(err.contains("bad-policy.toml:7"), "{err}");
}
