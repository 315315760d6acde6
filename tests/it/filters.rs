//! Filters on large results: `--state`, `--grade`, `--agency` and `--limit` on `impact`
//! and `change`, `--rule` and `--limit` on `check`, `--limit` on `rank` and `scenarios`.
//! The summary still counts every row and says what was left out.

use serde_json::Value;

use crate::support::ripplemap;

const SAMPLE: &str = "inventories/korea-egov.toml";

fn json(args: &[&str], code: i32) -> Value {
    serde_json::from_str(&ripplemap().args(args).code(code).stdout).unwrap()
}

#[test]
fn impact_rows_filtered_by_state_grade_and_limit_keep_the_whole_summary() {
    let all = json(&["impact", SAMPLE, "--fail", "gpki", "--format", "json"], 0);
    let some = json(
        &[
            "impact", SAMPLE, "--fail", "gpki", "--format", "json", "--state", "down", "--grade",
            "1,2", "--limit", "5",
        ],
        0,
    );
    let rows = some["affected"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let expected: Vec<&Value> = all["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["state"] == "down" && (r["grade"] == 1 || r["grade"] == 2))
        .take(5)
        .collect();
    assert_eq!(rows.iter().collect::<Vec<_>>(), expected);
    assert_eq!(
        some["summary"], all["summary"],
        "the summary counts every row"
    );
    let total = all["affected"].as_array().unwrap().len();
    assert_eq!(some["shown"]["rows"], 5);
    assert_eq!(some["shown"]["total"], total);
    assert_eq!(some["shown"]["left_out"], total - 5);
    assert_eq!(some["shown"]["filter"]["states"][0], "down");
    assert!(all.get("shown").is_none(), "no filter, no `shown` key");
}

#[test]
fn the_table_says_what_was_left_out() {
    let out = ripplemap()
        .args(["impact", SAMPLE, "--fail", "gpki", "--state", "degraded"])
        .args(["--agency", "MOIS", "--limit", "2"])
        .ok();
    assert!(out.contains("  down:         20"), "{out}");
    assert!(
        out.contains(
            "  shown:     2 of 39 rows (state degraded; agency MOIS; limit 2): 37 left out"
        ),
        "{out}"
    );
    let none = ripplemap()
        .args(["impact", SAMPLE, "--fail", "gpki", "--grade", "4"])
        .ok();
    assert!(
        none.contains("No affected node matches the filter."),
        "{none}"
    );
}

#[test]
fn change_rows_filtered_by_agency_and_grade() {
    let all = json(
        &["change", SAMPLE, "--system", "gpki", "--format", "json"],
        0,
    );
    let some = json(
        &[
            "change",
            SAMPLE,
            "--system",
            "gpki",
            "--format",
            "json",
            "--agency",
            "MOIS",
            "--grade",
            "ungraded,1",
        ],
        0,
    );
    let rows = some["affected"].as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert_eq!(r["agency"], "MOIS");
        assert!(r["grade"].is_null() || r["grade"] == 1, "{r}");
    }
    assert_eq!(some["summary"], all["summary"]);
    assert_eq!(some["shown"]["rows"], rows.len());
}

#[test]
fn an_agency_no_node_has_is_refused_with_the_closest() {
    let err = ripplemap()
        .args(["impact", SAMPLE, "--fail", "gpki", "--agency", "MOSI"])
        .usage_error();
    assert!(
        err.contains("no node has agency `MOSI`; did you mean `MOIS`"),
        "{err}"
    );
    let err = ripplemap()
        .args(["impact", SAMPLE, "--fail", "gpki", "--grade", "5"])
        .usage_error();
    assert!(err.contains("`5` is not a grade"), "{err}");
}

#[test]
fn check_findings_by_rule_and_limit() {
    let all = json(&["check", SAMPLE, "--format", "json"], 1);
    let some = json(
        &[
            "check",
            SAMPLE,
            "--format",
            "json",
            "--rule",
            "single-site",
            "--limit",
            "3",
        ],
        // No error-level finding of single-site: exit code 0.
        0,
    );
    let findings = some["policy"]["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 3);
    assert!(findings.iter().all(|f| f["rule"] == "single-site"));
    assert_eq!(some["policy"]["summary"], all["policy"]["summary"]);
    assert_eq!(some["policy"]["shown"]["total"], 41);
    assert_eq!(some["policy"]["shown"]["left_out"], 38);
    // The limit never hides an error from the exit code.
    json(&["check", SAMPLE, "--format", "json", "--limit", "0"], 1);
    json(
        &[
            "check",
            SAMPLE,
            "--format",
            "json",
            "--rule",
            "grade-inversion",
        ],
        1,
    );
    let sarif = json(
        &[
            "check",
            SAMPLE,
            "--format",
            "sarif",
            "--rule",
            "false-redundancy",
        ],
        1,
    );
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 2);
    let table = ripplemap()
        .args(["check", SAMPLE, "--rule", "external-hard"])
        .ok();
    assert!(
        table.ends_with("\nShown: 1 of 41 findings (rule external-hard): 40 left out\n"),
        "{table}"
    );
    let err = ripplemap()
        .args(["check", SAMPLE, "--rule", "nope"])
        .usage_error();
    assert!(
        err.contains("unknown rule `nope`: one of grade-inversion"),
        "{err}"
    );
}

#[test]
fn rank_and_scenarios_take_limit_as_top() {
    for cmd in [&["rank", SAMPLE][..], &["scenarios", SAMPLE, "--sites"][..]] {
        let limit = ripplemap().args(cmd).args(["--limit", "3", "-q"]).ok();
        let top = ripplemap().args(cmd).args(["--top", "3", "-q"]).ok();
        assert_eq!(limit, top, "{cmd:?}");
    }
}
