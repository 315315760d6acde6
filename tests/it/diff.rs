//! `diff`: an inventory against itself and its CSV twin is empty; a planned change to the
//! sample (`tests/fixtures/diff/korea-egov-next.toml`, its header lists the changes) shows
//! field changes, blast-radius changes, new and resolved findings, and exits 1.

use std::path::Path;

use ripplemap::Graph;
use ripplemap::analysis::diff::{ChangeKind, InventoryDiff, diff};
use ripplemap::analysis::policy::Rule;
use serde_json::Value;

use crate::support::{Output, ripplemap};

const SAMPLE: &str = "inventories/korea-egov.toml";
const TWIN: &str = "inventories/korea-egov";
const NEXT: &str = "tests/fixtures/diff/korea-egov-next.toml";

/// Loads a path relative to the package root (the tests' working directory), so that
/// locations in findings read as they would on the command line.
fn graph(path: &str) -> Graph {
    Graph::new(ripplemap::load(Path::new(path)).unwrap())
}

fn of(a: &str, b: &str) -> InventoryDiff {
    diff(&graph(a), &graph(b))
}

#[test]
fn an_inventory_against_itself_and_its_csv_twin_is_empty() {
    for (a, b) in [
        (SAMPLE, SAMPLE),
        (SAMPLE, TWIN),
        (TWIN, SAMPLE),
        (NEXT, NEXT),
    ] {
        let d = of(a, b);
        assert!(d.is_empty(), "{a} vs {b}: {d:#?}");
        assert!(!d.has_new_errors());
    }
    let Output {
        code, stdout: out, ..
    } = ripplemap().args(["diff", SAMPLE, TWIN]).run();
    assert_eq!(code, Some(0));
    assert_eq!(
        out,
        "Diff inventories/korea-egov.toml -> inventories/korea-egov\nNo differences: the two inventories load to the same model.\n"
    );
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args(["diff", SAMPLE, TWIN, "--format", "json"])
        .run();
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"], serde_json::json!([]));
    assert_eq!(v["new_findings"], serde_json::json!([]));
}

/// (item, id, change, [(field, old, new)]).
type Row<'a> = (
    &'a str,
    &'a str,
    ChangeKind,
    Vec<(&'a str, &'a str, &'a str)>,
);

#[test]
fn field_changes_are_listed_field_by_field() {
    let d = of(SAMPLE, NEXT);
    let rows: Vec<Row<'_>> = d
        .items
        .iter()
        .map(|i| {
            (
                i.item,
                i.id.as_str(),
                i.change,
                i.fields
                    .iter()
                    .map(|f| (f.field, f.old.as_str(), f.new.as_str()))
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "node",
                "mobile-official-id",
                ChangeKind::Changed,
                vec![("sites", "nirs-daejeon", "nirs-daejeon;nirs-gwangju")]
            ),
            ("link", "relief-pay->land-info", ChangeKind::Added, vec![]),
            (
                "link",
                "vaccine-booking->kdca-immun",
                ChangeKind::Changed,
                vec![("tolerance", "0", "2h")]
            ),
        ]
    );
    assert_eq!(
        (d.summary.added, d.summary.removed, d.summary.changed),
        (1, 0, 2)
    );
    // The reverse diff removes what was added.
    let back = of(NEXT, SAMPLE);
    assert!(
        back.items
            .iter()
            .any(|i| i.id == "relief-pay->land-info" && i.change == ChangeKind::Removed)
    );
}

#[test]
fn blast_radius_changes_come_from_the_engine() {
    let d = of(SAMPLE, NEXT);
    let r: Vec<(&str, usize, usize)> = d
        .radius
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.old.map_or(0, |x| x.down),
                r.new.map_or(0, |x| x.down),
            )
        })
        .collect();
    // land-info now takes relief-pay down; the Daejeon fire no longer takes the mobile
    // civil-servant ID (it runs in Gwangju too).
    assert_eq!(r, [("land-info", 0, 1), ("nirs-daejeon", 38, 37)]);
    let sample = graph(SAMPLE);
    let fire = sample
        .impact(&ripplemap::Scenario {
            failed: vec!["nirs-daejeon".into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(fire.summary.down, 38 + 1, "the seed counts in impact");
}

#[test]
fn findings_new_and_resolved_gate_the_exit_code() {
    let d = of(SAMPLE, NEXT);
    let new: Vec<(Rule, &[compact_str::CompactString])> = d
        .new_findings
        .iter()
        .map(|f| (f.rule, f.nodes.as_slice()))
        .collect();
    assert_eq!(
        new,
        [(
            Rule::GradeInversion,
            &["relief-pay".into(), "land-info".into()][..]
        )]
    );
    let resolved: Vec<Rule> = d.resolved_findings.iter().map(|f| f.rule).collect();
    assert_eq!(
        resolved,
        [
            Rule::GradeInversion,
            Rule::FalseRedundancy,
            Rule::FalseRedundancy
        ]
    );
    assert!(d.has_new_errors());
    let Output {
        code, stdout: out, ..
    } = ripplemap().args(["diff", SAMPLE, NEXT]).run();
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("1 new error-level finding\n"), "{out}");
    // Going back resolves the new inversion but brings back the old errors.
    let Output { code, .. } = ripplemap().args(["diff", NEXT, SAMPLE]).run();
    assert_eq!(code, Some(1));
}

#[test]
fn forms_can_differ_between_old_and_new() {
    // TOML against a CSV directory: the same changes as TOML against TOML; only the
    // locations of the resolved findings differ (they are in OLD's files).
    let (a, b) = (of(TWIN, NEXT), of(SAMPLE, NEXT));
    assert_eq!(
        (&a.items, &a.radius, &a.new_findings, &a.summary),
        (&b.items, &b.radius, &b.new_findings, &b.summary)
    );
    let messages = |d: &InventoryDiff| -> Vec<String> {
        d.resolved_findings
            .iter()
            .map(|f| f.message.clone())
            .collect()
    };
    assert_eq!(messages(&a), messages(&b));
    assert!(
        a.resolved_findings[0].locations[0]
            .file
            .ends_with("links.csv")
    );
}

#[test]
fn policy_settings_are_diffed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policy/orphan-yes.toml"),
    )
    .unwrap();
    std::fs::write(&p, format!("{text}\n[policy]\norphan = \"error\"\n")).unwrap();
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args([
            "diff",
            "tests/fixtures/policy/orphan-yes.toml",
            &p.display().to_string(),
            "--format",
            "json",
        ])
        .run();
    assert_eq!(code, Some(1), "an orphan raised to error is a new error");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["items"][0]["item"], "policy");
    assert_eq!(v["items"][0]["id"], "orphan");
    assert_eq!(v["items"][0]["fields"][0]["old"], "warning");
    assert_eq!(v["items"][0]["fields"][0]["new"], "error");
    assert_eq!(v["summary"]["new_errors"], 1);
}

#[test]
fn a_missing_inventory_is_exit_2() {
    let Output {
        code, stderr: err, ..
    } = ripplemap().args(["diff", SAMPLE, "nowhere.toml"]).run();
    assert_eq!(code, Some(2));
    assert!(err.contains("nowhere.toml"), "{err}");
}

#[test]
fn markdown_diff_of_the_sample() {
    let d = of(SAMPLE, NEXT);
    insta::assert_snapshot!(crate::support::text(|w| ripplemap::render::markdown::diff(
        &d,
        SAMPLE,
        NEXT,
        ripplemap::lang::Lang::En,
        w
    )));
}
