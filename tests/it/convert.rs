//! `convert` to every form (files, directories, stdout), its refusals (an unwritable
//! place, values CSV would change), and the three inventory forms giving byte-identical
//! output.

use std::path::Path;

use serde_json::Value;

use crate::support::ripplemap;

const CHAIN: &str = "tests/fixtures/cli/chain.toml";
const LOSSY: &str = "tests/fixtures/cli/lossy.toml";

#[test]
fn convert_to_csv_writes_a_directory_that_loads() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("chain-csv");
    let out_s = out.display().to_string();
    assert_eq!(
        ripplemap()
            .args(["convert", CHAIN, "--to", "csv", "-o", &out_s])
            .ok(),
        ""
    );
    for f in ["systems.csv", "links.csv"] {
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let summary = ripplemap().args(["check", &out_s]).ok();
    assert!(summary.contains("6 nodes, 5 links, 1 groups"), "{summary}");
}

#[test]
fn convert_to_json_on_stdout_loads_again() {
    let text = ripplemap()
        .args(["convert", CHAIN, "--to", "json", "-o", "-"])
        .ok();
    serde_json::from_str::<Value>(&text).expect("convert --to json prints JSON");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.json");
    std::fs::write(&file, &text).unwrap();
    let summary = ripplemap()
        .args(["check", &file.display().to_string()])
        .ok();
    assert!(summary.contains("6 nodes, 5 links, 1 groups"), "{summary}");
}

#[test]
fn convert_to_toml_file_loads_again() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.toml");
    let file_s = file.display().to_string();
    assert_eq!(
        ripplemap()
            .args([
                "convert",
                "tests/fixtures/cli/chain.json",
                "--to",
                "toml",
                "-o",
                &file_s
            ])
            .ok(),
        ""
    );
    let summary = ripplemap().args(["check", &file_s]).ok();
    assert!(summary.contains("6 nodes, 5 links, 1 groups"), "{summary}");
}

#[test]
fn convert_to_an_unwritable_place_exits_74() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir
        .path()
        .join("no/such/dir/out.json")
        .display()
        .to_string();
    let out = ripplemap()
        .args(["convert", CHAIN, "--to", "json", "-o", &target])
        .code(74);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("cannot write"), "{}", out.stderr);
}

#[test]
fn convert_to_csv_refuses_values_csv_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("lossy-csv");
    let out_s = out.display().to_string();
    let err = ripplemap()
        .args(["convert", LOSSY, "--to", "csv", "-o", &out_s])
        .usage_error();
    let expected = [
        (
            "tests/fixtures/cli/lossy.toml:3:",
            "`name` \" padded name \"",
            "leading and trailing spaces",
        ),
        (
            "tests/fixtures/cli/lossy.toml:3:",
            "`agency` \"\"",
            "an empty CSV cell reads as no value",
        ),
        (
            "tests/fixtures/cli/lossy.toml:3:",
            "`tags` \"a;b\"",
            "`;` separates the entries",
        ),
        (
            "tests/fixtures/cli/lossy.toml:3:",
            "`tags` \"\"",
            "an empty entry of a CSV list is dropped",
        ),
        (
            "tests/fixtures/cli/lossy.toml:3:",
            "`tags` \" lead\"",
            "leading and trailing spaces",
        ),
        (
            "tests/fixtures/cli/lossy.toml:9:",
            "`name` \"\"",
            "an empty CSV cell reads as no value",
        ),
        (
            "tests/fixtures/cli/lossy.toml:14:",
            "`group` \"login \"",
            "leading and trailing spaces",
        ),
        (
            "tests/fixtures/cli/lossy.toml:14:",
            "`method` \"\"",
            "an empty CSV cell reads as no value",
        ),
    ];
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": error: `")).collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (line, (at, value, why)) in lines.iter().zip(expected) {
        assert!(
            line.starts_with(at) && line.contains(value) && line.contains(why),
            "expected {at} {value} ({why}), got: {line}"
        );
    }
    assert!(
        err.contains("8 values would change in CSV: nothing was written"),
        "{err}"
    );
    assert!(!out.exists(), "the directory was created");
    // The forms that keep every value still convert.
    let json = ripplemap()
        .args(["convert", LOSSY, "--to", "json", "-o", "-"])
        .ok();
    assert!(json.contains("\" padded name \""), "{json}");
}

/// The chain inventory in every form: the hand-written three, and the converted ones.
fn chain_forms(tmp: &Path) -> Vec<String> {
    let mut forms = vec![
        CHAIN.to_owned(),
        "tests/fixtures/cli/chain.json".to_owned(),
        "tests/fixtures/cli/chain".to_owned(),
    ];
    let json = tmp.join("converted.json").display().to_string();
    let toml = tmp.join("converted.toml").display().to_string();
    let csv = tmp.join("converted-csv").display().to_string();
    ripplemap()
        .args(["convert", CHAIN, "--to", "json", "-o", &json])
        .ok();
    ripplemap()
        .args(["convert", CHAIN, "--to", "csv", "-o", &csv])
        .ok();
    ripplemap()
        .args(["convert", &csv, "--to", "toml", "-o", &toml])
        .ok();
    forms.extend([json, csv, toml]);
    forms
}

#[test]
fn the_three_forms_give_byte_identical_json_output() {
    let tmp = tempfile::tempdir().unwrap();
    let forms = chain_forms(tmp.path());
    for scenario in [
        &["impact", "--fail", "dc1", "--format", "json"][..],
        &[
            "impact", "--fail", "portal", "--hours", "3", "--format", "json",
        ],
        &["impact", "--fail-link", "portal-auth", "--format", "json"],
        &[
            "impact",
            "--fail-link",
            "report->portal",
            "--format",
            "json",
        ],
        &["change", "--system", "dc1", "--format", "json"],
        &["change", "--link", "portal-auth", "--format", "json"],
        &["convert", "--to", "json", "-o", "-"],
    ] {
        let outputs: Vec<String> = forms
            .iter()
            .map(|f| {
                let mut args = vec![scenario[0], f.as_str()];
                args.extend_from_slice(&scenario[1..]);
                ripplemap().args(&args).ok()
            })
            .collect();
        for (f, out) in forms.iter().zip(&outputs).skip(1) {
            assert_eq!(
                out, &outputs[0],
                "{scenario:?}: {f} differs from {}",
                forms[0]
            );
        }
    }
}

#[test]
fn impact_tables_are_identical_across_forms() {
    let tmp = tempfile::tempdir().unwrap();
    let forms = chain_forms(tmp.path());
    let tables: Vec<String> = forms
        .iter()
        .map(|f| ripplemap().args(["impact", f, "--fail", "dc1"]).ok())
        .collect();
    for (f, t) in forms.iter().zip(&tables) {
        assert_eq!(t, &tables[0], "{f}");
    }
}
