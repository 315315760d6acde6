//! Witness paths that do not explode: on a chain of 1,000 systems, tables, Markdown and
//! HTML rows shorten each path to its first two and last two nodes with the count left
//! out (`n0 -> n1 -> … 996 more … -> n998 -> n999`), and `--paths via` writes each JSON
//! row's predecessor instead of its whole path. (The 10,000-node figures of memory and
//! time are in the README.)

use std::path::{Path, PathBuf};

use crate::support::ripplemap;

const N: usize = 1_000;

/// A CSV inventory of `N` systems where `n(i+1)` needs `n(i)`, in `dir`.
fn chain(dir: &Path) -> PathBuf {
    let inv = dir.join("chain");
    std::fs::create_dir(&inv).unwrap();
    let mut systems = String::from("id,name,kind,agency,grade,sites,tags\n");
    let mut links =
        String::from("id,consumer,provider,kind,mode,tolerance,effect,group,method,data\n");
    for i in 0..N {
        systems += &format!("n{i},system {i},system,agency,1,,\n");
        if i > 0 {
            links += &format!("l{i},n{i},n{},interface,sync,0,down,,,\n", i - 1);
        }
    }
    std::fs::write(inv.join("systems.csv"), systems).unwrap();
    std::fs::write(inv.join("links.csv"), links).unwrap();
    std::fs::write(inv.join("groups.csv"), "consumer,group,min\n").unwrap();
    inv
}

#[test]
fn tables_and_reports_shorten_long_paths() {
    let dir = tempfile::tempdir().unwrap();
    let inv = chain(dir.path());
    let last = "n0 -> n1 -> … 996 more … -> n998 -> n999";
    for args in [
        &["impact", "--fail", "n0"][..],
        &["change", "--system", "n0"],
    ] {
        let table = ripplemap().arg(args[0]).arg(&inv).args(&args[1..]).ok();
        assert!(table.contains(last), "{table}");
        // Five nodes are shown whole, six are shortened.
        assert!(table.contains(" n0 -> n1 -> n2 -> n3 -> n4 "), "{table}");
        assert!(
            table.contains(" n0 -> n1 -> … 2 more … -> n4 -> n5 "),
            "{table}"
        );
        assert!(table.len() < 250 * N, "{} bytes", table.len());
    }
    let md = ripplemap()
        .arg("assess")
        .arg(&inv)
        .args(["--system", "n0", "--window", "1h"])
        .ok();
    assert!(
        md.contains("| `n0` → `n1` → … 996 more … → `n998` → `n999` |"),
        "{md}"
    );
    let html = ripplemap()
        .arg("render")
        .arg(&inv)
        .args(["--change-system", "n990", "--format", "html"])
        .run();
    if html.code == Some(0) {
        assert!(
            html.stdout
                .contains("n990 → n991 → … 6 more … → n998 → n999"),
            "{}",
            html.stdout
        );
    }
}

#[test]
fn json_rows_carry_their_path_or_their_predecessor() {
    let dir = tempfile::tempdir().unwrap();
    let inv = chain(dir.path());
    let json = |paths: &str| -> serde_json::Value {
        let out = ripplemap()
            .arg("impact")
            .arg(&inv)
            .args(["--fail", "n0", "--format", "json", "--paths", paths])
            .ok();
        serde_json::from_str(&out).unwrap()
    };
    let full = json("full");
    let rows = full["affected"].as_array().unwrap();
    assert_eq!(rows.len(), N);
    assert_eq!(rows[N - 1]["path"].as_array().unwrap().len(), N);
    let via = json("via");
    let rows = via["affected"].as_array().unwrap();
    assert_eq!(rows[0]["via"], serde_json::Value::Null);
    assert_eq!(rows[N - 1]["via"], "n998");
    assert!(rows.iter().all(|r| r.get("path").is_none()));
    // The default is the whole path, as before.
    let default = ripplemap()
        .arg("impact")
        .arg(&inv)
        .args(["--fail", "n0", "--format", "json"])
        .ok();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&default).unwrap(),
        full
    );
    // `via` is JSON only: a table always shows paths.
    let err = ripplemap()
        .arg("change")
        .arg(&inv)
        .args(["--system", "n0", "--paths", "via"])
        .usage_error();
    assert!(err.contains("--paths via changes the JSON rows"), "{err}");
}
