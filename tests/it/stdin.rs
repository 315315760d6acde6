//! Inventories from anywhere: standard input (`-`), a pipe or process substitution
//! (`/dev/fd/63`), a file whose extension says nothing, and a CSV inventory given table by
//! table (`--systems F --links F [--groups F]`). The form is `--input-format`, else the
//! extension, else the content.

use std::process::Command;

use crate::support::{ripplemap, root};

const TOML: &str = "inventories/teach-k-of-n.toml";
const SAMPLE: &str = "inventories/korea-egov.toml";
const CSV_DIR: &str = "inventories/korea-egov";

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

/// The JSON of `impact --fail bank-a` on the teaching inventory, read from its file.
fn impact_from_file() -> String {
    ripplemap()
        .args(["impact", TOML, "--fail", "bank-a", "--format", "json"])
        .ok()
}

#[test]
fn a_dash_reads_toml_from_standard_input() {
    let out = ripplemap()
        .args(["impact", "-", "--fail", "bank-a", "--format", "json"])
        .stdin(read(TOML))
        .ok();
    assert_eq!(out, impact_from_file());
    let check = ripplemap().args(["check", "-"]).stdin(read(TOML)).ok();
    assert!(check.starts_with("ok <stdin>: 5 nodes"), "{check}");
}

#[test]
fn json_on_standard_input_is_told_from_its_content_or_named() {
    let json = ripplemap()
        .args(["convert", TOML, "--to", "json", "-o", "-"])
        .ok();
    for extra in [&[][..], &["--input-format", "json"][..]] {
        let out = ripplemap()
            .args(["impact", "-", "--fail", "bank-a", "--format", "json"])
            .args(extra)
            .stdin(json.clone())
            .ok();
        assert_eq!(out, impact_from_file(), "with {extra:?}");
    }
}

#[test]
fn a_workbook_on_standard_input_loads_like_the_file() {
    let stats = |args: &[&str], stdin: Option<Vec<u8>>| {
        let mut run = ripplemap().args(args);
        if let Some(bytes) = stdin {
            run = run.stdin(bytes);
        }
        let out = run.code(1).stdout;
        out.lines().skip(1).collect::<Vec<_>>().join("\n")
    };
    let from_file = stats(&["check", "inventories/korea-egov.xlsx"], None)
        .replace("inventories/korea-egov.xlsx", "<stdin>");
    let xlsx = read("inventories/korea-egov.xlsx");
    assert_eq!(stats(&["check", "-"], Some(xlsx.clone())), from_file);
    assert_eq!(
        stats(&["check", "-", "--input-format", "xlsx"], Some(xlsx)),
        from_file
    );
}

#[test]
fn errors_on_standard_input_name_stdin_and_the_line() {
    let err = ripplemap()
        .args(["check", "-"])
        .stdin("[[system]]\nid = \"a\"\ngrade = 0\n")
        .code(2)
        .stderr;
    assert!(
        err.starts_with("<stdin>:3: error: invalid grade `0` (system `a`, field `grade`)"),
        "{err}"
    );
}

#[test]
fn a_pipe_through_process_substitution_and_dev_stdin() {
    let bin = env!("CARGO_BIN_EXE_ripplemap");
    for script in [
        format!("\"$0\" impact <(cat {TOML}) --fail bank-a --format json"),
        format!("cat {TOML} | \"$0\" impact /dev/stdin --fail bank-a --format json"),
        format!(
            "\"$0\" convert {TOML} --to json -o - | \"$0\" impact - --fail bank-a --format json"
        ),
    ] {
        let out = Command::new("bash")
            .arg("-c")
            .arg(&script)
            .arg(bin)
            .current_dir(root())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{script}: {out:?}");
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            impact_from_file(),
            "{script}"
        );
    }
}

#[test]
fn diff_of_a_process_substitution_against_a_file() {
    let bin = env!("CARGO_BIN_EXE_ripplemap");
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("\"$0\" diff <(cat {SAMPLE}) {CSV_DIR}"))
        .arg(bin)
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("No differences")
    );
}

#[test]
fn a_file_without_a_telling_extension_is_told_by_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let json = ripplemap()
        .args(["convert", TOML, "--to", "json", "-o", "-"])
        .ok();
    let cases = [
        ("inventory", read(TOML)),
        ("inventory.txt", json.into_bytes()),
        ("inventory.bin", read("inventories/korea-egov.xlsx")),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = ripplemap().arg("check").arg(&path).run();
        assert!(
            out.stdout.starts_with(&format!("ok {}:", path.display())),
            "{name}: {out:?}"
        );
    }
}

#[test]
fn content_of_no_known_form_is_an_unknown_form() {
    let err = ripplemap()
        .args(["check", "-"])
        .stdin("nodes:\n  - id: a\n")
        .code(2)
        .stderr;
    assert!(
        err.starts_with("<stdin>: error: unknown inventory form"),
        "{err}"
    );
    assert!(err.contains("--input-format toml|json|xlsx"), "{err}");
}

#[test]
fn csv_tables_one_by_one_one_of_them_from_standard_input() {
    let dir = ripplemap()
        .args(["check", CSV_DIR, "--format", "json"])
        .code(1)
        .stdout;
    let tables = ripplemap()
        .args(["check", "--format", "json", "--systems", "-"])
        .args(["--links", "inventories/korea-egov/links.csv"])
        .args(["--groups", "inventories/korea-egov/groups.csv"])
        .stdin(read("inventories/korea-egov/systems.csv"))
        .code(1)
        .stdout;
    let stats = |doc: &str| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(doc).unwrap()["stats"].clone()
    };
    assert_eq!(stats(&tables), stats(&dir));
    assert!(tables.contains("\"<stdin>\""), "locations name <stdin>");
}

#[test]
fn a_csv_inventory_cannot_be_one_stream() {
    let err = ripplemap()
        .args(["check", "-", "--input-format", "csv"])
        .stdin("id,name\n")
        .usage_error();
    assert!(
        err.contains("cannot come from standard input as one stream"),
        "{err}"
    );
    assert!(err.contains("--systems FILE --links FILE"), "{err}");
    let err = ripplemap()
        .args(["check", "-"])
        .stdin("id,name,kind\ngpki,GPKI,service\n")
        .code(2)
        .stderr;
    assert!(
        err.contains("CSV content is one table, not a whole inventory"),
        "{err}"
    );
}

#[test]
fn standard_input_is_read_once_at_most() {
    let err = ripplemap()
        .args(["check", "--systems", "-", "--links", "-"])
        .stdin("")
        .usage_error();
    assert!(
        err.contains("standard input (`-`) can give only one file"),
        "{err}"
    );
    let err = ripplemap().args(["diff", "-", "-"]).stdin("").usage_error();
    assert!(
        err.contains("standard input (`-`) can give only one file"),
        "{err}"
    );
}

#[test]
fn the_ci_gate_of_the_readme_diff_from_standard_input() {
    // `git show main:inventory.toml | ripplemap diff - inventory.toml --format md`: exit
    // code 1 when NEW brings an error-level finding, the Markdown written in full.
    let out = ripplemap()
        .args([
            "diff",
            "-",
            "tests/fixtures/diff/korea-egov-next.toml",
            "--format",
            "md",
        ])
        .stdin(read(SAMPLE))
        .code(1);
    assert!(out.stdout.contains("<stdin>"), "{}", out.stdout);
    assert!(out.stdout.contains("grade-inversion"), "{}", out.stdout);
    let same = ripplemap()
        .args(["diff", "-", CSV_DIR, "--format", "md"])
        .stdin(read(SAMPLE))
        .ok();
    assert!(same.contains("No differences"), "{same}");
}

#[test]
fn serve_cannot_watch_standard_input() {
    let err = ripplemap()
        .args(["serve", "-", "--bind", "127.0.0.1:0"])
        .stdin(read(TOML))
        .usage_error();
    assert!(err.contains("serve reloads its inventory"), "{err}");
}
