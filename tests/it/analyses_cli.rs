//! The whole-inventory analysis commands on the binary: rank, scenarios, cuts, recover and
//! `impact --fail-where`, with their bad arguments (exit code 2).

use serde_json::Value;

use crate::support::ripplemap;

fn fixture(name: &str) -> String {
    format!("tests/fixtures/analyses/{name}")
}

/// Runs the binary and asserts exit code 0; returns stdout.
fn ok(args: &[&str]) -> String {
    let out = ripplemap().args(args).code(0);
    // Not a terminal: no progress bar, nothing on stderr.
    assert_eq!(out.stderr, "", "{args:?}");
    out.stdout
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).expect("valid JSON")
}

/// Runs the binary and asserts exit code 2, nothing on stdout; returns stderr.
fn bad(args: &[&str]) -> String {
    ripplemap().args(args).usage_error()
}

#[test]
fn rank_table_json_and_csv() {
    let small = fixture("small.toml");
    let table = ok(&["rank", &small]);
    assert!(table.contains("SPOF"), "{table}");
    assert!(table.contains("2 single points of failure"), "{table}");
    let v = json(&["rank", &small, "--format", "json", "--top", "2"]);
    let rows = v["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "dc-a");
    assert_eq!(rows[0]["score"], 240);
    assert_eq!(rows[0]["most_critical"]["id"], "auth");
    assert_eq!(rows[1]["id"], "auth");
    let csv = ok(&["rank", &small, "--format", "csv", "--quiet"]);
    let mut lines = csv.lines();
    assert!(
        lines
            .next()
            .is_some_and(|h| h.starts_with("rank,id,name,grade"))
    );
    assert!(
        lines
            .next()
            .is_some_and(|l| l.starts_with("1,dc-a,dc-a,,,240,4,"))
    );
    assert_eq!(csv.lines().count(), 9);
    let v = json(&[
        "rank",
        &small,
        "--format",
        "json",
        "--weights",
        "2=1000,1=1",
    ]);
    assert_eq!(v["rows"][0]["score"], 1012);
}

#[test]
fn rank_bad_arguments_exit_2() {
    let small = fixture("small.toml");
    assert!(bad(&["rank", &small, "--weights", "7=1"]).contains("expected 1, 2, 3, 4 or ungraded"));
    assert!(
        bad(&["rank", &small, "--hours=-3"])
            .contains("expected hours from 0 to 876,000 (100 years)")
    );
    assert!(bad(&["rank", &small, "--hours", "soon"]).contains("or a duration such as"));
    bad(&["rank", &small, "--format", "xml"]);
    bad(&["rank", "no/such/inventory.toml"]);
}

#[test]
fn scenarios_by_sites_kind_and_agency() {
    let small = fixture("small.toml");
    let v = json(&["scenarios", &small, "--sites", "--format", "json"]);
    let names: Vec<&str> = v["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["scenario"].as_str())
        .collect();
    assert_eq!(names, vec!["dc-a", "dc-b", "dc-a + dc-b"]);
    let table = ok(&["scenarios", &small, "--sites"]);
    assert!(table.contains("only together"), "{table}");
    let v = json(&["scenarios", &small, "--kind", "service", "--format", "json"]);
    assert_eq!(v["rows"][0]["scenario"], "auth");
    assert_eq!(v["rows"][0]["down"], 2);
    let csv = ok(&[
        "scenarios",
        &small,
        "--agency",
        "NTS",
        "--agency",
        "MOIS",
        "--format",
        "csv",
    ]);
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

#[test]
fn scenarios_bad_arguments_exit_2() {
    let small = fixture("small.toml");
    bad(&["scenarios", &small]);
    bad(&["scenarios", &small, "--sites", "--kind", "service"]);
    assert!(
        bad(&["scenarios", &small, "--kind", "servce"])
            .contains("a similar value exists: 'service'")
    );
    assert!(bad(&["scenarios", &small, "--kind", "network"]).contains("no node of kind"));
    assert!(bad(&["scenarios", &small, "--agency", "NTX"]).contains("did you mean NTS"));
    let cycle = fixture("cuts.toml");
    assert!(bad(&["scenarios", &cycle, "--sites"]).contains("no site"));
}

#[test]
fn cuts_table_and_json() {
    let cuts = fixture("cuts.toml");
    let v = json(&["cuts", &cuts, "--target", "t2", "--format", "json"]);
    assert_eq!(
        v["cuts"],
        serde_json::json!([["b", "u"], ["u", "v"], ["a", "b", "c"], ["a", "c", "v"]])
    );
    assert_eq!(v["smallest"], 2);
    let table = ok(&["cuts", &cuts, "--target", "t", "--max", "2"]);
    assert!(
        table.contains("survives any 2 independent failures"),
        "{table}"
    );
    let table = ok(&["cuts", &fixture("small.toml"), "--target", "report"]);
    assert!(table.contains("single point of failure"), "{table}");
}

#[test]
fn cuts_bad_arguments_exit_2() {
    let cuts = fixture("cuts.toml");
    assert!(bad(&["cuts", &cuts, "--target", "t3"]).contains("unknown node id `t3`"));
    assert!(bad(&["cuts", &cuts, "--target", "t", "--max", "0"]).contains("at least 1"));
    bad(&["cuts", &cuts]);
    bad(&["cuts", &cuts, "--target", "t", "--max", "-1"]);
}

#[test]
fn recover_plans_in_waves() {
    let small = fixture("small.toml");
    let v = json(&["recover", &small, "--fail", "dc-a", "--format", "json"]);
    let steps: Vec<(u64, &str)> = v["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| {
            (
                s["wave"].as_u64().unwrap_or(0),
                s["id"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (1, "dc-a"),
            (2, "auth"),
            (2, "store1"),
            (3, "portal"),
            (4, "report")
        ]
    );
    let table = ok(&[
        "recover",
        &fixture("cycle.toml"),
        "--fail-where",
        "kind=site",
    ]);
    assert!(table.contains("cycle: a"), "{table}");
    assert!(table.contains("Wave 3"), "{table}");
}

#[test]
fn recover_bad_arguments_exit_2() {
    let small = fixture("small.toml");
    bad(&["recover", &small]);
    assert!(bad(&["recover", &small, "--fail", "dc-c"]).contains("unknown node id `dc-c`"));
    assert!(bad(&["recover", &small, "--fail-where", "site=dc-c"]).contains("no node matches"));
    // A plan restores nodes: a lost link is refused, not silently ignored.
    let links = ripplemap()
        .args(["convert", &small, "--to", "json", "-o", "-"])
        .ok();
    let link: serde_json::Value = serde_json::from_str(&links).expect("JSON");
    let id = link["link"][0]["id"]
        .as_str()
        .expect("a link id")
        .to_owned();
    assert!(
        bad(&["recover", &small, "--fail", "dc-a", "--fail-link", &id])
            .contains("recover does not take --fail-link")
    );
}

#[test]
fn impact_fail_where_fails_every_match() {
    let small = fixture("small.toml");
    let v = json(&[
        "impact",
        &small,
        "--fail-where",
        "site=dc-a",
        "--format",
        "json",
    ]);
    assert_eq!(
        v["scenario"]["failed"],
        serde_json::json!(["auth", "dc-a", "portal", "store1"])
    );
    let v = json(&[
        "impact",
        &small,
        "--fail-where",
        "tag=login",
        "--fail",
        "mailer",
        "--format",
        "json",
    ]);
    assert_eq!(
        v["scenario"]["failed"],
        serde_json::json!(["auth", "mailer"])
    );
    assert!(bad(&["impact", &small, "--fail-where", "colour=red"]).contains("FIELD=VALUE"));
    assert!(bad(&["impact", &small, "--fail-where", "agency=Nobody"]).contains("no node matches"));
    assert!(bad(&["impact", &small, "--fail-where", "kind=servce"]).contains("invalid kind"));
}
