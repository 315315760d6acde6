//! `change` on the binary: the JSON shape of SPEC section 3 for changed systems and
//! links (fixture `tests/fixtures/cli/chain.toml`, described in `impact`).

use serde_json::{Value, json};

use crate::support::{ripplemap, strs};

const CHAIN: &str = "tests/fixtures/cli/chain.toml";

/// (id, depth, path) of every affected entry, after checking each entry's keys.
fn change_rows(v: &Value) -> Vec<(String, u64, Vec<String>)> {
    v["affected"]
        .as_array()
        .expect("an affected array")
        .iter()
        .map(|a| {
            for key in ["id", "name", "depth", "path", "grade", "agency"] {
                assert!(
                    a.get(key).is_some(),
                    "affected entry without `{key}`: {a:#}"
                );
            }
            let path: Vec<String> = strs(&a["path"]).into_iter().map(str::to_owned).collect();
            let depth = a["depth"].as_u64().unwrap();
            assert_eq!(path.len() as u64, depth + 1, "{a:#}");
            (a["id"].as_str().unwrap().to_owned(), depth, path)
        })
        .collect()
}

fn crow(id: &str, depth: u64, path: &[&str]) -> (String, u64, Vec<String>) {
    (
        id.into(),
        depth,
        path.iter().map(|s| (*s).to_owned()).collect(),
    )
}

#[test]
fn change_json_has_the_spec_shape() {
    let v = ripplemap()
        .args(["change", CHAIN, "--system", "auth", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(strs(&v["changed"]), ["auth"]);
    assert_eq!(v["changed_links"], json!([]));
    // Sorted by depth, then id; any link and any effect counts, tolerance or not.
    assert_eq!(
        change_rows(&v),
        [
            crow("portal", 1, &["auth", "portal"]),
            crow("batch", 2, &["auth", "portal", "batch"]),
            crow("mobile", 2, &["auth", "portal", "mobile"]),
            crow("report", 2, &["auth", "portal", "report"]),
        ]
    );
    assert_eq!(
        (&v["summary"]["affected"], &v["summary"]["direct"]),
        (&json!(4), &json!(1)),
        "{v:#}"
    );
}

#[test]
fn changed_nodes_are_not_listed() {
    // portal depends on dc1 (through auth) but is itself changed.
    let v = ripplemap()
        .args([
            "change", CHAIN, "--system", "dc1", "--system", "portal", "--format", "json",
        ])
        .code(0)
        .json();
    assert_eq!(strs(&v["changed"]), ["dc1", "portal"]);
    assert_eq!(
        change_rows(&v),
        [
            crow("auth", 1, &["dc1", "auth"]),
            crow("batch", 1, &["portal", "batch"]),
            crow("mobile", 1, &["portal", "mobile"]),
            crow("report", 1, &["portal", "report"]),
        ]
    );
    assert_eq!(
        (&v["summary"]["affected"], &v["summary"]["direct"]),
        (&json!(4), &json!(4)),
        "{v:#}"
    );
}

#[test]
fn change_of_a_link_affects_its_consumer_at_depth_1() {
    let v = ripplemap()
        .args(["change", CHAIN, "--link", "portal-auth", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(v["changed"], json!([]));
    assert_eq!(strs(&v["changed_links"]), ["portal-auth"]);
    assert_eq!(
        change_rows(&v),
        [
            crow("portal", 1, &["auth", "portal"]),
            crow("batch", 2, &["auth", "portal", "batch"]),
            crow("mobile", 2, &["auth", "portal", "mobile"]),
            crow("report", 2, &["auth", "portal", "report"]),
        ]
    );
    assert_eq!(
        (&v["summary"]["affected"], &v["summary"]["direct"]),
        (&json!(4), &json!(1)),
        "{v:#}"
    );
}
