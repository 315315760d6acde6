//! The JSON Schemas of `schemas/`: each is a valid JSON Schema, `ripplemap schema NAME`
//! prints it, every command's real JSON output validates against its schema, and so do the
//! sample inventories (TOML and JSON) against the inventory schema.

use std::path::Path;

use serde_json::Value;

use crate::support::{ripplemap, root};

const SAMPLE: &str = "inventories/korea-egov.toml";

/// The schema of `name`, compiled.
struct Schema {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Schema {
    fn of(name: &str) -> Schema {
        let text = std::fs::read_to_string(root().join(format!("schemas/{name}.json"))).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        let url = value["$id"].as_str().unwrap().to_owned();
        let mut compiler = boon::Compiler::new();
        compiler.add_resource(&url, value).unwrap();
        let mut schemas = boon::Schemas::new();
        let index = compiler
            .compile(&url, &mut schemas)
            .unwrap_or_else(|e| panic!("schemas/{name}.json does not compile: {e:#}"));
        Schema { schemas, index }
    }

    fn validate(&self, what: &str, doc: &Value) {
        if let Err(e) = self.schemas.validate(doc, self.index) {
            panic!("{what} does not validate: {e:#?}");
        }
    }
}

/// Runs the command, validates its JSON document against the command's schema and
/// returns it.
fn validates(args: &[&str]) -> Value {
    let command = args[0];
    let out = ripplemap().args(args).args(["--format", "json"]).run();
    assert!(matches!(out.code, Some(0..=2)), "{out:?}");
    let doc: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(doc["format"], format!("ripplemap.{command}/1"), "{args:?}");
    Schema::of(command).validate(&format!("{args:?}"), &doc);
    doc
}

#[test]
fn every_schema_compiles_and_is_printed_by_the_schema_command() {
    let names = [
        "inventory",
        "check",
        "assess",
        "diff",
        "impact",
        "change",
        "rank",
        "scenarios",
        "cuts",
        "recover",
        "surge",
    ];
    for name in names {
        Schema::of(name);
        let printed = ripplemap().args(["schema", name]).ok();
        let file = std::fs::read_to_string(root().join(format!("schemas/{name}.json"))).unwrap();
        assert_eq!(printed, file, "{name}");
    }
    let files = std::fs::read_dir(root().join("schemas")).unwrap().count();
    assert_eq!(files, names.len(), "one schema per name");
    let err = ripplemap().args(["schema", "nope"]).usage_error();
    assert!(err.contains("possible values: inventory"), "{err}");
}

#[test]
fn every_command_json_validates_on_the_sample() {
    let runs: &[&[&str]] = &[
        &["check", SAMPLE],
        &["check", SAMPLE, "--rule", "single-site", "--limit", "2"],
        &["check", SAMPLE, "--rule", "no-capacity", "--limit", "1"],
        &["check", "tests/fixtures/bad/bad_duration.toml"],
        &["check", "inventories/korea-egov/"],
        &["impact", SAMPLE, "--fail", "gpki"],
        &["impact", SAMPLE, "--fail", "gpki", "--paths", "via"],
        &[
            "impact",
            SAMPLE,
            "--fail",
            "nirs-daejeon",
            "--hours",
            "24",
            "--state",
            "down",
        ],
        &[
            "impact",
            SAMPLE,
            "--fail-link",
            "saeol-login-gpki",
            "--grade",
            "1",
            "--limit",
            "2",
        ],
        &["change", SAMPLE, "--system", "gpki"],
        &[
            "change",
            SAMPLE,
            "--link",
            "saeol-login-gpki",
            "--paths",
            "via",
        ],
        &[
            "change",
            SAMPLE,
            "--system",
            "share-center",
            "--agency",
            "MOIS",
        ],
        &["rank", SAMPLE, "-q"],
        &["rank", SAMPLE, "-q", "--hours", "4", "--top", "5"],
        &["scenarios", SAMPLE, "--sites", "-q"],
        &["scenarios", SAMPLE, "--kind", "service", "-q"],
        &["scenarios", SAMPLE, "--agency", "MOIS", "-q"],
        &["cuts", SAMPLE, "--target", "gov24"],
        &["cuts", SAMPLE, "--target", "hometax", "--max", "2"],
        &["recover", SAMPLE, "--fail", "gpki-router"],
        &[
            "recover",
            SAMPLE,
            "--fail-where",
            "site=nirs-daejeon",
            "--hours",
            "24",
        ],
        &["surge", SAMPLE, "--at", "vaccine-booking=x10"],
        &["surge", SAMPLE, "--at", "vaccine-booking=x10", "--cascade"],
        &[
            "surge",
            SAMPLE,
            "--at",
            "vaccine-booking=x10",
            "--fail",
            "gpki",
        ],
        &["assess", SAMPLE, "--link", "saeol-login-gpki"],
        &["diff", SAMPLE, "tests/fixtures/diff/korea-egov-next.toml"],
        &["diff", SAMPLE, "inventories/korea-egov/"],
    ];
    for args in runs {
        validates(args);
    }
    // The assessment's recovery and load sections.
    let assess = validates(&["assess", SAMPLE, "--system", "gpki", "--window", "4h"]);
    assert_eq!(assess["recovery"]["steps"][0]["id"], "gpki");
    assert_eq!(assess["load"]["nodes"][0]["id"], "gpki");
    // Each shape of the recover document: the timeline with `why`, the crew what-if.
    let timeline = validates(&[
        "recover",
        SAMPLE,
        "--fail",
        "gpki-router",
        "--crews",
        "8",
        "--why",
        "gov24",
    ]);
    assert_eq!(timeline["crews"], 8);
    assert_eq!(timeline["why"]["gov24"][0]["id"], "gov24");
    let rto = validates(&["recover", SAMPLE, "--fail", "gpki", "--rto", "1=3h"]);
    assert_eq!(rto["rto_breaches"][0]["target_hours"], 3.0);
    let what_if = validates(&[
        "recover",
        SAMPLE,
        "--fail",
        "gpki-router",
        "--crews",
        "1,2,unlimited",
    ]);
    let crews: Vec<Value> = what_if["what_if"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["crews"].clone())
        .collect();
    assert_eq!(
        crews,
        [serde_json::json!(1), serde_json::json!(2), Value::Null]
    );
}

#[test]
fn the_teaching_inventories_validate_in_every_command() {
    for entry in std::fs::read_dir(root().join("inventories")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let p = path.to_str().unwrap();
        validates(&["check", p]);
        validates(&["rank", p, "-q"]);
    }
    validates(&[
        "impact",
        "inventories/teach-k-of-n.toml",
        "--fail",
        "bank-a",
    ]);
    validates(&[
        "recover",
        "inventories/teach-k-of-n.toml",
        "--fail",
        "bank-a",
    ]);
    validates(&[
        "change",
        "inventories/teach-active-active.toml",
        "--system",
        "dc-a",
    ]);
}

#[test]
fn the_sample_inventories_validate_against_the_inventory_schema() {
    let schema = Schema::of("inventory");
    let mut seen = 0;
    for entry in std::fs::read_dir(root().join("inventories")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let toml: Value = toml::from_str(&text).unwrap();
        schema.validate(&path.display().to_string(), &toml);
        let json = ripplemap()
            .arg("convert")
            .arg(&path)
            .args(["--to", "json", "-o", "-"])
            .ok();
        schema.validate(
            &format!("{} as JSON", path.display()),
            &serde_json::from_str(&json).unwrap(),
        );
        seen += 1;
    }
    assert!(seen >= 5, "{seen} inventories");
    // A typo an editor should flag: an unknown field, a grade out of range.
    for bad in [
        r#"{"system": [{"id": "a", "grde": 1}]}"#,
        r#"{"system": [{"id": "a", "grade": 5}]}"#,
        r#"{"link": [{"consumer": "a", "provider": "b", "mode": "batch"}]}"#,
        r#"{"system": [{"id": "a", "load": "120"}]}"#,
        r#"{"recovery": {"rto": {"5": "3h"}}}"#,
        r#"{"recovery": {"rto": {"1": 3}}}"#,
        r#"{"recovery": {"rtos": {"1": "3h"}}}"#,
    ] {
        let v: Value = serde_json::from_str(bad).unwrap();
        assert!(schema.schemas.validate(&v, schema.index).is_err(), "{bad}");
    }
    // Every policy rule and the recovery table, as docs/inventory.md writes them.
    let good = r#"{"policy": {"no-capacity": "off"}, "recovery": {"rto": {"1": "3h", "4": "1w"}}}"#;
    schema.validate(good, &serde_json::from_str(good).unwrap());
}

#[test]
fn the_schemas_name_every_policy_rule() {
    // The rules as `check` lists them, every one of them with its severity.
    let check: Value = serde_json::from_str(
        &ripplemap()
            .args(["check", SAMPLE, "--format", "json"])
            .code(1)
            .stdout,
    )
    .unwrap();
    let rules: Vec<&str> = check["policy"]["summary"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"no-capacity"), "{rules:?}");
    let schema = |name: &str| -> Value {
        let text = std::fs::read_to_string(root().join(format!("schemas/{name}.json"))).unwrap();
        serde_json::from_str(&text).unwrap()
    };
    let inventory = schema("inventory");
    let policy: Vec<&str> = inventory["properties"]["policy"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let check = schema("check");
    let filter: Vec<&str> =
        check["properties"]["policy"]["properties"]["shown"]["properties"]["filter"]["properties"]
            ["rules"]["items"]["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
    assert_eq!(filter, rules, "check.json's --rule filter");
    // serde_json's objects sort their keys.
    let mut sorted = rules.clone();
    sorted.sort_unstable();
    assert_eq!(policy, sorted, "inventory.json's policy table");
}

#[test]
fn a_json_inventory_may_name_its_schema() {
    let json = ripplemap()
        .args([
            "convert",
            "inventories/teach-k-of-n.toml",
            "--to",
            "json",
            "-o",
            "-",
        ])
        .ok();
    let with = json.replacen('{', "{\n  \"$schema\": \"../schemas/inventory.json\",", 1);
    let out = ripplemap().args(["check", "-"]).stdin(with).ok();
    assert!(out.starts_with("ok <stdin>: 5 nodes"), "{out}");
    assert!(
        Path::new(&root().join(".taplo.toml")).is_file(),
        "TOML association for editors"
    );
}

#[test]
fn one_vocabulary_added_beside_the_old_keys() {
    // Per-grade objects are keyed "1".."4", "ungraded" everywhere; rank's `weights` keeps
    // its "g1" keys, `grade_weights` says the same the common way.
    let rank: Value = serde_json::from_str(
        &ripplemap()
            .args(["rank", SAMPLE, "-q", "--format", "json", "--weights", "1=7"])
            .ok(),
    )
    .unwrap();
    assert_eq!(rank["weights"]["g1"], 7);
    assert_eq!(rank["grade_weights"]["1"], 7);
    assert_eq!(
        rank["grade_weights"]["ungraded"],
        rank["weights"]["ungraded"]
    );
    // Locations are objects as in check; assess keeps its "file:line" `at` beside them.
    let assess: Value = serde_json::from_str(
        &ripplemap()
            .args([
                "assess",
                SAMPLE,
                "--link",
                "saeol-login-gpki",
                "--format",
                "json",
            ])
            .ok(),
    )
    .unwrap();
    let link = &assess["changed_links"][0];
    assert_eq!(link["at"], "inventories/korea-egov.toml:1862");
    assert_eq!(link["location"]["file"], "inventories/korea-egov.toml");
    assert_eq!(link["location"]["line"], 1862);
    // Lists are JSON lists: diff adds `old_list` and `new_list` beside its `a;b` text.
    let diff: Value = serde_json::from_str(
        &ripplemap()
            .args(["diff", SAMPLE, "tests/fixtures/diff/korea-egov-next.toml"])
            .args(["--format", "json"])
            .code(1)
            .stdout,
    )
    .unwrap();
    let sites = &diff["items"][0]["fields"][0];
    assert_eq!(sites["field"], "sites");
    assert_eq!(sites["new"], "nirs-daejeon;nirs-gwangju");
    assert_eq!(
        sites["new_list"],
        serde_json::json!(["nirs-daejeon", "nirs-gwangju"])
    );
    assert_eq!(sites["old_list"], serde_json::json!(["nirs-daejeon"]));
    assert!(
        diff["items"][2]["fields"][0].get("old_list").is_none(),
        "tolerance is no list"
    );
    // A failed node is down in JSON, with `failed` telling it from the others.
    let impact: Value = serde_json::from_str(
        &ripplemap()
            .args(["impact", SAMPLE, "--fail", "gpki", "--format", "json"])
            .ok(),
    )
    .unwrap();
    let rows = impact["affected"].as_array().unwrap();
    assert_eq!(rows[0]["id"], "gpki");
    assert_eq!(rows[0]["failed"], true);
    assert_eq!(rows.iter().filter(|r| r["failed"] == true).count(), 1);
}
