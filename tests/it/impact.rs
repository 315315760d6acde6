//! `impact` on the binary: the JSON shape and order of SPEC section 2, horizons, k-of-n
//! groups, failed links, and its bad arguments (exit code 2).
//!
//! Fixtures in `tests/fixtures/cli/`:
//! - `chain.toml`: a site `dc1` hosts the shared service `auth`; `portal` needs `auth`;
//!   `mobile` needs `portal`; `batch` needs `portal` with a 4 h tolerance; `report` needs
//!   `portal` with effect `degraded`.
//! - `group.toml`: `payments` needs 2 of the 3 banks (bank-b with a 2 h tolerance);
//!   `payroll` needs `payments`.

use serde_json::{Value, json};

use crate::support::{ripplemap, strs};

const CHAIN: &str = "tests/fixtures/cli/chain.toml";
const GROUP: &str = "tests/fixtures/cli/group.toml";

/// Asserts the SPEC section 2 order: `at_hours`, then `depth`, then id.
fn assert_impact_sorted(v: &Value) {
    let keys: Vec<(f64, u64, String)> = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["at_hours"].as_f64().unwrap(),
                a["depth"].as_u64().unwrap(),
                a["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    assert_eq!(
        keys, sorted,
        "affected is not sorted by at_hours, depth, id"
    );
}

/// `(id, state, at_hours, depth, path)` of every affected entry, after checking each entry's keys.
fn impact_rows(v: &Value) -> Vec<(String, String, f64, u64, Vec<String>)> {
    v["affected"]
        .as_array()
        .expect("an affected array")
        .iter()
        .map(|a| {
            for key in [
                "id", "name", "state", "at_hours", "depth", "path", "grade", "agency",
            ] {
                assert!(
                    a.get(key).is_some(),
                    "affected entry without `{key}`: {a:#}"
                );
            }
            let path: Vec<String> = strs(&a["path"]).into_iter().map(str::to_owned).collect();
            let depth = a["depth"].as_u64().unwrap();
            assert_eq!(
                path.len() as u64,
                depth + 1,
                "depth is the number of links in the path: {a:#}"
            );
            assert_eq!(
                path.last().map(String::as_str),
                a["id"].as_str(),
                "the path ends at the node: {a:#}"
            );
            (
                a["id"].as_str().unwrap().to_owned(),
                a["state"].as_str().unwrap().to_owned(),
                a["at_hours"].as_f64().unwrap(),
                depth,
                path,
            )
        })
        .collect()
}

fn row(
    id: &str,
    state: &str,
    at: f64,
    depth: u64,
    path: &[&str],
) -> (String, String, f64, u64, Vec<String>) {
    (
        id.into(),
        state.into(),
        at,
        depth,
        path.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[test]
fn impact_json_has_the_spec_shape() {
    let v = ripplemap()
        .args(["impact", CHAIN, "--fail", "dc1", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(
        v["scenario"],
        json!({"failed": ["dc1"], "failed_links": [], "horizon_hours": null}),
        "{v:#}"
    );
    assert_impact_sorted(&v);
    assert_eq!(
        impact_rows(&v),
        [
            row("dc1", "down", 0.0, 0, &["dc1"]),
            row("auth", "down", 0.0, 1, &["dc1", "auth"]),
            row("portal", "down", 0.0, 2, &["dc1", "auth", "portal"]),
            row(
                "mobile",
                "down",
                0.0,
                3,
                &["dc1", "auth", "portal", "mobile"]
            ),
            row(
                "report",
                "degraded",
                0.0,
                3,
                &["dc1", "auth", "portal", "report"]
            ),
            row("batch", "down", 4.0, 3, &["dc1", "auth", "portal", "batch"]),
        ]
    );
    let auth = &v["affected"][1];
    assert_eq!(
        (&auth["name"], &auth["grade"], &auth["agency"]),
        (&json!("인증서비스"), &json!(1), &json!("MOIS"))
    );
    let report = &v["affected"][4];
    assert_eq!(
        report["grade"],
        Value::Null,
        "an ungraded node has grade null: {report:#}"
    );
    assert_eq!(v["summary"]["down"], 5, "{v:#}");
    assert_eq!(v["summary"]["degraded"], 1, "{v:#}");
}

#[test]
fn impact_with_hours_sets_the_horizon() {
    let v = ripplemap()
        .args([
            "impact", CHAIN, "--fail", "dc1", "--hours", "2", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(v["scenario"]["horizon_hours"].as_f64(), Some(2.0), "{v:#}");
    assert_impact_sorted(&v);
    // batch tolerates 4 h: not affected within 2 h.
    let ids: Vec<String> = impact_rows(&v).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["dc1", "auth", "portal", "mobile", "report"]);
    assert_eq!(
        (&v["summary"]["down"], &v["summary"]["degraded"]),
        (&json!(4), &json!(1))
    );

    let v = ripplemap()
        .args([
            "impact", CHAIN, "--fail", "dc1", "--hours", "4", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(v["scenario"]["horizon_hours"].as_f64(), Some(4.0), "{v:#}");
    assert!(
        impact_rows(&v).contains(&row(
            "batch",
            "down",
            4.0,
            3,
            &["dc1", "auth", "portal", "batch"]
        )),
        "{v:#}"
    );
}

#[test]
fn impact_k_of_n_group() {
    let v = ripplemap()
        .args(["impact", GROUP, "--fail", "bank-a", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(
        impact_rows(&v),
        [
            row("bank-a", "down", 0.0, 0, &["bank-a"]),
            row("payments", "degraded", 0.0, 1, &["bank-a", "payments"])
        ]
    );
    let v = ripplemap()
        .args([
            "impact", GROUP, "--fail", "bank-a", "--fail", "bank-b", "--format", "json",
        ])
        .code(0)
        .json();
    assert_impact_sorted(&v);
    assert_eq!(
        impact_rows(&v),
        [
            row("bank-a", "down", 0.0, 0, &["bank-a"]),
            row("bank-b", "down", 0.0, 0, &["bank-b"]),
            row("payments", "down", 2.0, 1, &["bank-b", "payments"]),
            row(
                "payroll",
                "down",
                2.0,
                2,
                &["bank-b", "payments", "payroll"]
            ),
        ]
    );
}

#[test]
fn fail_with_commas_equals_repeated_fail() {
    for format in ["json", "table"] {
        let a = ripplemap()
            .args([
                "impact",
                GROUP,
                "--fail",
                "bank-a,bank-b",
                "--format",
                format,
            ])
            .ok();
        let b = ripplemap()
            .args([
                "impact", GROUP, "--fail", "bank-a", "--fail", "bank-b", "--format", format,
            ])
            .ok();
        assert_eq!(a, b, "--format {format}");
    }
    let a = ripplemap()
        .args([
            "change",
            CHAIN,
            "--system",
            "dc1,portal",
            "--format",
            "json",
        ])
        .ok();
    let b = ripplemap()
        .args([
            "change", CHAIN, "--system", "dc1", "--system", "portal", "--format", "json",
        ])
        .ok();
    assert_eq!(a, b);
}

#[test]
fn fail_link_starts_the_path_at_the_links_provider() {
    let v = ripplemap()
        .args([
            "impact",
            CHAIN,
            "--fail-link",
            "portal-auth",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(
        v["scenario"],
        json!({"failed": [], "failed_links": ["portal-auth"], "horizon_hours": null}),
        "{v:#}"
    );
    assert_impact_sorted(&v);
    let rows = impact_rows(&v);
    // auth itself stays up: it is in no entry.
    assert_eq!(rows[0], row("portal", "down", 0.0, 1, &["auth", "portal"]));
    assert!(rows.iter().all(|r| r.0 != "auth"), "{v:#}");
    assert!(
        rows.contains(&row(
            "mobile",
            "down",
            0.0,
            2,
            &["auth", "portal", "mobile"]
        )),
        "{v:#}"
    );

    // A seeded member of a group: lost redundancy.
    let v = ripplemap()
        .args([
            "impact",
            GROUP,
            "--fail-link",
            "payments-bank-a",
            "--format",
            "json",
        ])
        .code(0)
        .json();
    assert_eq!(
        impact_rows(&v),
        [row("payments", "degraded", 0.0, 1, &["bank-a", "payments"])]
    );
}

#[test]
fn unknown_ids_are_errors_that_suggest_the_close_id() {
    for (args, close) in [
        (&["impact", CHAIN, "--fail", "portl"][..], "`portal`"),
        (
            &["impact", CHAIN, "--fail", "dc1", "--fail", "mobil"],
            "`mobile`",
        ),
        (
            &["impact", CHAIN, "--fail-link", "portal-auht"],
            "`portal-auth`",
        ),
        (&["change", CHAIN, "--system", "portl"], "`portal`"),
        (
            &["change", CHAIN, "--link", "mobile-portl"],
            "`mobile-portal`",
        ),
    ] {
        let err = ripplemap().args(args).usage_error();
        assert!(err.contains("did you mean"), "{args:?}: {err}");
        assert!(err.contains(close), "{args:?}: {err}");
    }
    // Nothing close: the id is still named.
    let err = ripplemap()
        .args(["impact", CHAIN, "--fail", "zzzzzzzz"])
        .usage_error();
    assert!(err.contains("zzzzzzzz"), "{err}");
}

#[test]
fn impact_and_change_without_ids_are_errors() {
    ripplemap().args(["impact", CHAIN]).usage_error();
    ripplemap()
        .args(["impact", CHAIN, "--format", "json"])
        .usage_error();
    ripplemap().args(["change", CHAIN]).usage_error();
}

#[test]
fn negative_or_non_numeric_hours_are_errors() {
    ripplemap()
        .args(["impact", CHAIN, "--fail", "dc1", "--hours", "-1"])
        .usage_error();
    ripplemap()
        .args(["impact", CHAIN, "--fail", "dc1", "--hours=-1"])
        .usage_error();
    ripplemap()
        .args([
            "impact",
            CHAIN,
            "--fail",
            "dc1",
            "--hours=-0.5",
            "--format",
            "json",
        ])
        .usage_error();
    ripplemap()
        .args(["impact", CHAIN, "--fail", "dc1", "--hours", "NaN"])
        .usage_error();
    let err = ripplemap()
        .args(["impact", CHAIN, "--fail", "dc1", "--hours", "soon"])
        .usage_error();
    assert!(
        err.contains("invalid value 'soon' for '--hours <DURATION>': expected hours from 0 to 876,000 (100 years), as a number (4, 0.5) or a duration such as 30m, 4h, 1h30m or 2d"),
        "{err}"
    );
}

#[test]
fn horizons_are_bounded_and_print_sensibly() {
    // At most 100 years: beyond, a horizon printed as `inf h` or as 300 digits.
    for h in ["1e308", "1e300", "876000.5", "200y"] {
        let err = ripplemap()
            .args(["impact", CHAIN, "--fail", "auth", "--hours", h])
            .usage_error();
        assert!(
            err.contains("expected hours from 0 to 876,000 (100 years)"),
            "{err}"
        );
    }
    let table = ripplemap()
        .args(["impact", CHAIN, "--fail", "auth", "--hours", "876000"])
        .ok();
    assert!(
        table.starts_with("Failure of auth (within 36,500 d)"),
        "{table}"
    );
    let table = ripplemap()
        .args(["impact", CHAIN, "--fail", "auth", "--hours", "1000"])
        .ok();
    assert!(
        table.starts_with("Failure of auth (within 1,000 h)"),
        "{table}"
    );
    // The library takes any horizon seconds can count, and names a huge one readably.
    let graph = ripplemap::Graph::new(ripplemap::load(std::path::Path::new(CHAIN)).unwrap());
    let e = graph
        .impact(&ripplemap::Scenario {
            failed: vec!["auth".into()],
            horizon_hours: Some(1e308),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid horizon `1e308` hours: expected a number of hours of at least 0"
    );
}

#[test]
fn hours_are_a_number_or_a_duration_with_units() {
    let json = |hours: &str| {
        ripplemap()
            .args(["impact", CHAIN, "--fail", "auth", "--format", "json"])
            .args(["--hours", hours])
            .ok()
    };
    assert_eq!(json("4"), json("4h"));
    assert_eq!(json("1.5"), json("1h30m"));
    assert_eq!(json("0.5"), json("30m"));
    assert_eq!(json("48"), json("2d"));
    // The same parser reads `rank`, `scenarios` and `assess --window`.
    for args in [
        &["rank", CHAIN][..],
        &["scenarios", CHAIN, "--kind", "service"],
        &["assess", CHAIN, "--system", "auth", "--window"],
    ] {
        let flag = if args[0] == "assess" {
            &[][..]
        } else {
            &["--hours"][..]
        };
        let with = |h: &str| ripplemap().args(args).args(flag).arg(h).ok();
        assert_eq!(with("4"), with("4h"), "{args:?}");
    }
}

#[test]
fn zero_hours_keeps_only_immediate_losses() {
    let v = ripplemap()
        .args([
            "impact", CHAIN, "--fail", "portal", "--hours", "0", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(v["scenario"]["horizon_hours"].as_f64(), Some(0.0));
    let ids: Vec<String> = impact_rows(&v).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, ["portal", "mobile", "report"]);
}

#[test]
fn a_unique_name_stands_for_its_node_and_a_shared_one_lists_the_candidates() {
    let inv = "tests/fixtures/cli/names.toml";
    let by_name = ripplemap()
        .args(["impact", inv, "--fail", "정부24", "--format", "json"])
        .ok();
    let by_id = ripplemap()
        .args(["impact", inv, "--fail", "gov24", "--format", "json"])
        .ok();
    assert_eq!(by_name, by_id);
    let change = ripplemap().args(["change", inv, "--system", "정부24"]).ok();
    assert!(change.contains("a1"), "{change}");
    let err = ripplemap()
        .args(["impact", inv, "--fail", "민원포털"])
        .code(2)
        .stderr;
    assert!(
        err.contains("the name `민원포털` is shared by 2 nodes: `a1 (A)` and `a2 (B)`"),
        "{err}"
    );
    let err = ripplemap()
        .args(["impact", inv, "--fail", "정부25"])
        .code(2)
        .stderr;
    assert!(err.contains("did you mean `정부24`?"), "{err}");
    // The sample: Gov24 by its Korean name.
    let sample = "inventories/korea-egov.toml";
    assert_eq!(
        ripplemap()
            .args(["impact", sample, "--fail", "정부24", "--format", "json"])
            .ok(),
        ripplemap()
            .args(["impact", sample, "--fail", "gov24", "--format", "json"])
            .ok()
    );
}
