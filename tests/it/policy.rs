//! Policy checks: each rule on a fixture that triggers it and one that must not, the
//! `[policy]` table in all three forms (bad values are load errors), `check`'s exit codes
//! and the SARIF shape.
//!
//! Fixtures in `tests/fixtures/policy/`: `RULE-yes.toml` triggers RULE (its header says
//! how), `RULE-no.toml` is the nearest inventory that must not.

use std::path::{Path, PathBuf};

use ripplemap::Graph;
use ripplemap::analysis::policy::{self, PolicyReport, Rule};
use ripplemap::inventory::Severity;
use serde_json::Value;

use crate::support::{Output, ripplemap};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/policy")
        .join(name)
}

fn report(path: &Path) -> PolicyReport {
    let inv = ripplemap::load(path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
    policy::check(&Graph::new(inv))
}

fn of_rule(r: &PolicyReport, rule: Rule) -> Vec<&policy::Finding> {
    r.findings.iter().filter(|f| f.rule == rule).collect()
}

#[test]
fn each_rule_triggers_on_its_fixture_and_not_on_its_twin() {
    for rule in Rule::ALL {
        let yes = report(&fixture(&format!("{}-yes.toml", rule.id())));
        let found = of_rule(&yes, rule);
        assert_eq!(found.len(), 1, "{}: {:#?}", rule.id(), yes.findings);
        let f = found[0];
        assert_eq!(f.severity, rule.default_severity(), "{}", rule.id());
        assert!(!f.message.is_empty() && !f.message.contains('\n'));
        assert!(!f.nodes.is_empty(), "{}: no nodes", rule.id());
        assert!(
            f.locations
                .iter()
                .all(|l| l.line > 0 && l.file.to_string_lossy().ends_with(".toml")),
            "{}: {:?}",
            rule.id(),
            f.locations
        );
        let no = report(&fixture(&format!("{}-no.toml", rule.id())));
        assert!(
            of_rule(&no, rule).is_empty(),
            "{} fired on its -no fixture: {:#?}",
            rule.id(),
            no.findings
        );
    }
}

#[test]
fn grade_inversion_names_both_ends_and_the_link_line() {
    let r = report(&fixture("grade-inversion-yes.toml"));
    let f = of_rule(&r, Rule::GradeInversion)[0];
    assert_eq!(f.nodes, ["portal", "stats"]);
    assert_eq!(f.links, ["portal->stats"]);
    assert_eq!((f.locations[0].kind, f.locations[0].line), ("link", 12));
}

#[test]
fn false_redundancy_names_the_shared_site() {
    let r = report(&fixture("false-redundancy-yes.toml"));
    let f = of_rule(&r, Rule::FalseRedundancy)[0];
    assert_eq!(f.nodes, ["dc1", "portal"], "{f:#?}");
    assert!(f.message.contains("lost when `dc1` fails"), "{}", f.message);
    assert_eq!(f.links, ["portal->auth-a", "portal->auth-b"]);
    // `single-site` is off in this fixture.
    assert!(of_rule(&r, Rule::SingleSite).is_empty());
}

#[test]
fn false_redundancy_sees_a_shared_gateway_behind_the_alternatives() {
    // Two auth services on two sites, but both reached through one gateway.
    let text = r#"
[[site]]
id = "dc1"
agency = "NIRS"
[[site]]
id = "dc2"
agency = "NIRS"
[[system]]
id = "gw"
kind = "network"
agency = "NIRS"
sites = ["dc1", "dc2"]
[[system]]
id = "auth-a"
agency = "MOIS"
sites = ["dc1"]
[[system]]
id = "auth-b"
agency = "MOIS"
sites = ["dc2"]
[[system]]
id = "portal"
agency = "MOIS"
[[link]]
consumer = "auth-a"
provider = "gw"
kind = "network"
[[link]]
consumer = "auth-b"
provider = "gw"
kind = "network"
[[link]]
consumer = "portal"
provider = "auth-a"
group = "login"
[[link]]
consumer = "portal"
provider = "auth-b"
group = "login"
"#;
    let r = toml_report(text);
    let f = of_rule(&r, Rule::FalseRedundancy);
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].nodes, ["gw", "portal"]);
}

/// Systems `a1` and `a2` are `portal`'s alternatives; `h1` and `h2` need each other (the
/// largest cycle of hard links, whose pass the others resume from); `a1` needs `h1`, `a2`
/// needs `h2`, and `h1` needs `u`. With `with_x`, both alternatives also need `x`.
fn hub_cycle(with_x: bool) -> PolicyReport {
    let mut text = String::new();
    for id in ["u", "h1", "h2", "a1", "a2", "portal", "x"] {
        text += &format!("[[system]]\nid = \"{id}\"\nagency = \"MOIS\"\n");
    }
    let mut links = vec![
        ("h1", "h2", ""),
        ("h2", "h1", ""),
        ("a1", "h1", ""),
        ("a2", "h2", ""),
        ("h1", "u", ""),
        ("portal", "a1", "login"),
        ("portal", "a2", "login"),
    ];
    if with_x {
        links.extend([("a1", "x", ""), ("a2", "x", "")]);
    }
    for (c, p, group) in links {
        text += &format!("[[link]]\nconsumer = \"{c}\"\nprovider = \"{p}\"\n");
        if !group.is_empty() {
            text += &format!("group = \"{group}\"\n");
        }
    }
    toml_report(&text)
}

#[test]
fn false_redundancy_counts_the_passes_that_resume_from_a_hub_cycle() {
    // The cycle's own pass loses the group, and so does `u`'s, which contains it.
    let r = hub_cycle(false);
    let f = of_rule(&r, Rule::FalseRedundancy);
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].nodes, ["h1", "h2", "portal"]);
    assert!(
        f[0].message.contains(
            "is lost when `h1` or `h2` fails (and 1 other node whose failure loses it too)"
        ),
        "{}",
        f[0].message
    );
    // `x` alone loses both alternatives with a smaller blast radius than the cycle: it is
    // named, and the three others are counted.
    let r = hub_cycle(true);
    let f = of_rule(&r, Rule::FalseRedundancy);
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].nodes, ["x", "portal"]);
    assert!(
        f[0].message
            .contains("is lost when `x` fails (and 3 other nodes whose failure loses it too)"),
        "{}",
        f[0].message
    );
}

#[test]
fn sync_cycle_is_named_in_order() {
    let r = report(&fixture("sync-cycle-yes.toml"));
    let f = of_rule(&r, Rule::SyncCycle)[0];
    assert_eq!(f.nodes, ["a", "b", "c"]);
    assert_eq!(f.links, ["a->b", "b->c", "c->a"]);
    assert!(f.message.contains("a -> b -> c -> a"), "{}", f.message);
}

#[test]
fn severities_come_from_the_policy_table() {
    let r = report(&fixture("false-redundancy-yes.toml"));
    let single = r
        .summary
        .rules
        .iter()
        .find(|s| s.rule == Rule::SingleSite)
        .unwrap();
    assert_eq!((single.severity, single.findings), (Severity::Off, 0));
    // policy.csv in a CSV directory raises external-hard to error.
    let r = report(&fixture("csv-policy"));
    let f = of_rule(&r, Rule::ExternalHard);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Error);
    assert!(f[0].locations[0].file.ends_with("links.csv"));
    assert_eq!(f[0].locations[0].line, 2);
    assert!(r.has_errors());
}

#[test]
fn the_policy_table_survives_conversion_to_every_form() {
    let dir = tempfile::tempdir().unwrap();
    let src = fixture("false-redundancy-yes.toml");
    let original = ripplemap::load(&src).unwrap();
    assert_eq!(original.policy.len(), 1);
    let toml_path = dir.path().join("x.toml");
    std::fs::write(
        &toml_path,
        ripplemap::inventory::write_toml(&original).unwrap(),
    )
    .unwrap();
    let json_path = dir.path().join("x.json");
    std::fs::write(&json_path, ripplemap::inventory::write_json(&original)).unwrap();
    let csv_path = dir.path().join("x-csv");
    ripplemap::inventory::write_csv_dir(&original, &csv_path).unwrap();
    assert!(csv_path.join("policy.csv").is_file());
    for p in [&toml_path, &json_path, &csv_path] {
        let back = ripplemap::load(p).unwrap();
        assert_eq!(back, original, "{}", p.display());
        assert_eq!(back.policy[0].rule, "single-site");
        assert_eq!(back.policy[0].severity, Severity::Off);
    }
    // Without a policy, no policy.csv is left behind in the directory.
    let mut plain = original.clone();
    plain.policy.clear();
    ripplemap::inventory::write_csv_dir(&plain, &csv_path).unwrap();
    assert!(!csv_path.join("policy.csv").exists());
    assert_eq!(ripplemap::load(&csv_path).unwrap(), plain);
}

#[test]
fn bad_policy_values_exit_2_with_file_line_and_hint() {
    let Output {
        code, stderr: err, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/bad-policy.toml"])
        .run();
    assert_eq!(code, Some(2), "{err}");
    for want in [
        "bad-policy.toml:7: error: unknown policy rule `sync-cycel` (field `rule`)",
        "help: did you mean `sync-cycle`?",
        "bad-policy.toml:8: error: unknown severity `eror` (field `severity`)",
        "help: did you mean `error`?",
        "bad-policy.toml:9: error: `severity` is an integer (field `severity`)",
        "3 errors: the inventory was not loaded",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
    let Output {
        code, stderr: err, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/bad-policy.json"])
        .run();
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bad-policy.json:5: error: unknown policy rule `grade-inversoin`"));
    assert!(err.contains("bad-policy.json:6: error: unknown severity `sometimes`"));
    let Output {
        code, stderr: err, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/bad-policy-csv"])
        .run();
    assert_eq!(code, Some(2), "{err}");
    for want in [
        "policy.csv:3: error: policy rule `orphan` set twice",
        "first set at tests/fixtures/policy/bad-policy-csv/policy.csv:2",
        "policy.csv:4: error: unknown policy rule `externl-hard`",
        "did you mean `external-hard`?",
        "policy.csv:5: error: missing severity",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn check_exits_1_on_error_findings_and_0_on_warnings_only() {
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/sync-cycle-yes.toml"])
        .run();
    assert_eq!(code, Some(1), "{out}");
    assert!(out.starts_with("ok tests/fixtures/policy/sync-cycle-yes.toml: 3 nodes"));
    assert!(out.contains("Policy: 1 error, 0 warnings"), "{out}");
    assert!(
        out.contains("error[sync-cycle] tests/fixtures/policy/sync-cycle-yes.toml:"),
        "{out}"
    );
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/orphan-yes.toml"])
        .run();
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("warning[orphan]"), "{out}");
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args(["check", "tests/fixtures/policy/orphan-no.toml"])
        .run();
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Policy: 0 errors, 0 warnings"), "{out}");
}

#[test]
fn check_json_carries_the_findings() {
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args([
            "check",
            "tests/fixtures/policy/grade-inversion-yes.toml",
            "--format",
            "json",
        ])
        .run();
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["valid"], true);
    assert_eq!(v["policy"]["summary"]["errors"], 1);
    let f = &v["policy"]["findings"][0];
    assert_eq!(f["rule"], "grade-inversion");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["nodes"], serde_json::json!(["portal", "stats"]));
    assert_eq!(f["locations"][0]["line"], 12);
}

#[test]
fn sarif_has_the_schema_required_fields() {
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args(["check", "inventories/korea-egov.toml", "--format", "sarif"])
        .run();
    assert_eq!(code, Some(1));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    assert_eq!(v["version"], "2.1.0");
    let first = &v["runs"][0];
    assert_eq!(first["tool"]["driver"]["name"], "ripplemap");
    let rules = first["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), Rule::ALL.len());
    let results = first["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let rule = r["ruleId"].as_str().unwrap();
        assert!(Rule::parse(rule).is_some(), "{rule}");
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], rule);
        assert!(matches!(r["level"].as_str(), Some("error" | "warning")));
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let locs = r["locations"].as_array().unwrap();
        assert!(!locs.is_empty());
        for l in locs {
            let p = &l["physicalLocation"];
            assert_eq!(p["artifactLocation"]["uri"], "inventories/korea-egov.toml");
            assert!(p["region"]["startLine"].as_u64().unwrap() >= 1);
        }
    }
    // Warnings only: exit 0, and still SARIF.
    let Output {
        code, stdout: out, ..
    } = ripplemap()
        .args([
            "check",
            "tests/fixtures/policy/orphan-yes.toml",
            "--format",
            "sarif",
        ])
        .run();
    assert_eq!(code, Some(0));
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["runs"][0]["results"][0]["level"], "warning");
}

#[test]
fn sarif_of_an_inventory_that_does_not_load_reports_each_problem_at_its_line() {
    let Output {
        code,
        stdout: out,
        stderr: err,
        ..
    } = ripplemap()
        .args([
            "check",
            "tests/fixtures/bad/duplicate_link.toml",
            "--format",
            "sarif",
        ])
        .run();
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("duplicate link id"), "{err}");
    let v: Value = serde_json::from_str(&out).expect("SARIF on stdout");
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{out}");
    let r = &results[0];
    assert_eq!(r["ruleId"], "invalid-inventory");
    assert_eq!(
        rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "invalid-inventory"
    );
    assert_eq!(r["level"], "error");
    let text = r["message"]["text"].as_str().unwrap();
    assert!(text.starts_with("duplicate link id"), "{text}");
    assert!(
        text.contains("field `id`") && text.contains("help: first declared at"),
        "{text}"
    );
    let p = &r["locations"][0]["physicalLocation"];
    assert_eq!(
        p["artifactLocation"]["uri"],
        "tests/fixtures/bad/duplicate_link.toml"
    );
    assert_eq!(p["region"]["startLine"], 13);
}

#[test]
fn the_sample_findings_are_true_to_the_sample() {
    let r = report(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/inventories/korea-egov.toml"
    )));
    let ids = |rule| -> Vec<Vec<String>> {
        of_rule(&r, rule)
            .into_iter()
            .map(|f| f.nodes.iter().map(|n| n.to_string()).collect())
            .collect()
    };
    // Vaccine booking (grade 1 in a pandemic) needs the grade 2 immunisation registry.
    assert_eq!(
        ids(Rule::GradeInversion),
        [["vaccine-booking", "kdca-immun"]]
    );
    // The civil-servant login alternatives (GPKI or mobile official ID) both run in Daejeon.
    assert_eq!(
        ids(Rule::FalseRedundancy),
        [["nirs-daejeon", "dbrain"], ["nirs-daejeon", "e-saram"]]
    );
    // The single-site risk the sample was built to show: gpki and gov24 only in Daejeon.
    let single = ids(Rule::SingleSite);
    assert!(single.contains(&vec!["gpki".to_owned(), "nirs-daejeon".to_owned()]));
    assert!(single.contains(&vec!["gov24".to_owned(), "nirs-daejeon".to_owned()]));
    assert!(ids(Rule::SyncCycle).is_empty());
    assert_eq!(r.summary.errors, 3);
    // The CSV twin gives the same findings, only the files differ.
    let csv = report(Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/inventories/korea-egov"
    )));
    let strip = |r: &PolicyReport| -> Vec<(Rule, String)> {
        r.findings
            .iter()
            .map(|f| (f.rule, f.message.clone()))
            .collect()
    };
    assert_eq!(strip(&r), strip(&csv));
}

#[test]
fn findings_table_of_the_sample() {
    let r = report(Path::new("inventories/korea-egov.toml"));
    insta::assert_snapshot!(crate::support::text(
        |w| ripplemap::render::table::findings(&r, ripplemap::render::Style::default(), w)
    ));
}

#[test]
fn sarif_of_a_sync_cycle() {
    let r = report(Path::new("tests/fixtures/policy/sync-cycle-yes.toml"));
    insta::assert_snapshot!(crate::support::text(|w| ripplemap::render::sarif::write(
        &r, w
    )));
}

#[test]
fn a_policy_that_is_not_a_table_is_a_load_error() {
    use ripplemap::inventory::{Format, load_str};
    let toml = "policy = \"strict\"\n[[system]]\nid = \"a\"\n";
    let e = load_str(toml, Format::Toml, Path::new("p.toml")).unwrap_err();
    assert_eq!(e.diagnostics[0].line, Some(1));
    assert!(e.diagnostics[0].message.contains("`policy` is not a table"));
    let json = "{\"system\": [{\"id\": \"a\"}],\n \"policy\": [\"strict\"]}";
    let e = load_str(json, Format::Json, Path::new("p.json")).unwrap_err();
    assert_eq!(e.diagnostics[0].line, Some(2));
    assert!(
        e.diagnostics[0]
            .message
            .contains("`policy` is not an object")
    );
}

fn toml_report(text: &str) -> PolicyReport {
    let inv = ripplemap::inventory::load_str(
        text,
        ripplemap::inventory::Format::Toml,
        Path::new("x.toml"),
    )
    .unwrap();
    policy::check(&Graph::new(inv))
}

#[test]
fn an_alternative_that_needs_the_other_is_no_alternative() {
    // portal logs in through a OR b, but b needs a: a's failure loses both.
    let r = toml_report(
        r#"
[[system]]
id = "a"
agency = "MOIS"
[[system]]
id = "b"
agency = "MOIS"
[[system]]
id = "portal"
agency = "MOIS"
[[link]]
consumer = "b"
provider = "a"
[[link]]
consumer = "portal"
provider = "a"
group = "login"
[[link]]
consumer = "portal"
provider = "b"
group = "login"
"#,
    );
    let f = of_rule(&r, Rule::FalseRedundancy);
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].nodes, ["a", "portal"]);
}

#[test]
fn a_hard_cycle_behind_both_alternatives_is_named_briefly() {
    // Twelve nodes in a cycle of hard links; both alternatives need the cycle. Every
    // node of the cycle is equally near: ten are named, the rest counted.
    let mut text = String::from(
        "[[system]]\nid = \"a\"\nagency = \"M\"\n[[system]]\nid = \"b\"\nagency = \"M\"\n[[system]]\nid = \"portal\"\nagency = \"M\"\n",
    );
    for i in 0..12 {
        text += &format!("[[system]]\nid = \"c{i:02}\"\nagency = \"M\"\n");
    }
    for i in 0..12 {
        text += &format!(
            "[[link]]\nconsumer = \"c{:02}\"\nprovider = \"c{:02}\"\n",
            i,
            (i + 1) % 12
        );
    }
    text += "[[link]]\nconsumer = \"a\"\nprovider = \"c00\"\n[[link]]\nconsumer = \"b\"\nprovider = \"c05\"\n";
    text += "[[link]]\nconsumer = \"portal\"\nprovider = \"a\"\ngroup = \"g\"\n[[link]]\nconsumer = \"portal\"\nprovider = \"b\"\ngroup = \"g\"\n";
    let r = toml_report(&text);
    let f = of_rule(&r, Rule::FalseRedundancy);
    assert_eq!(f.len(), 1, "{:#?}", r.findings);
    assert_eq!(f[0].nodes.len(), 10 + 1, "{:?}", f[0].nodes);
    assert!(
        f[0].message
            .contains("(and 2 other nodes whose failure loses it too)"),
        "{}",
        f[0].message
    );
    // The cycle itself is a sync cycle.
    assert_eq!(of_rule(&r, Rule::SyncCycle).len(), 1);
}
