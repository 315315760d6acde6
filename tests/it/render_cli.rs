//! `ripplemap render` on the binary: formats, files, bad arguments (exit 2) and a missing
//! Graphviz (DOT still written, exit 3).

use std::path::Path;

use crate::support::ripplemap;

const SAMPLE: &str = "inventories/korea-egov.toml";
const K_OF_N: &str = "inventories/teach-k-of-n.toml";

fn have(tool: &str) -> bool {
    let found = std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(tool).is_file()));
    assert!(
        found || std::env::var_os("RIPPLEMAP_REQUIRE_TOOLS").is_none(),
        "`{tool}` is not installed but RIPPLEMAP_REQUIRE_TOOLS is set"
    );
    found
}

#[test]
fn dot_goes_to_stdout_by_default() {
    let out = ripplemap()
        .args(["render", K_OF_N, "--fail", "bank-a,bank-b"])
        .ok();
    assert!(out.starts_with("digraph \"ripplemap\" {"), "{out}");
    assert!(out.contains("down at 2 h"), "{out}");
}

#[test]
fn render_takes_the_failure_flags_of_impact() {
    // `--fail-where` selects what `impact --fail-where` selects; `--hours` takes durations.
    let by_kind = ripplemap()
        .args([
            "render",
            K_OF_N,
            "--fail-where",
            "kind=external",
            "--hours",
            "2h",
        ])
        .ok();
    let by_ids = ripplemap()
        .args([
            "render",
            K_OF_N,
            "--fail",
            "bank-a,bank-b,bank-c",
            "--hours",
            "2",
        ])
        .ok();
    assert_eq!(by_kind, by_ids);
}

#[test]
fn mermaid_of_a_change_and_a_neighbourhood() {
    let out = ripplemap()
        .args(["render", SAMPLE, "--change-system", "share-center"])
        .args(["--format", "mermaid"])
        .ok();
    assert!(out.contains("flowchart LR"), "{out}");
    assert!(out.contains("행정정보공동이용센터"), "{out}");
    let out = ripplemap()
        .args(["render", SAMPLE, "--around", "gpki", "--depth", "1"])
        .args(["--cluster", "agency", "--format", "mermaid"])
        .ok();
    assert!(out.contains("subgraph"), "{out}");
}

#[test]
fn format_follows_the_output_extension() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mmd = dir.path().join("k.mmd");
    let out = ripplemap()
        .args(["render", K_OF_N, "--fail", "bank-a", "-o"])
        .arg(&mmd)
        .ok();
    assert_eq!(out, "");
    let text = std::fs::read_to_string(&mmd).expect("written");
    assert!(text.contains("flowchart LR"));
}

#[test]
fn svg_png_and_html_files_with_graphviz() {
    if !have("dot") {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, magic) in [
        ("g.svg", &b"<?xml"[..]),
        ("g.png", &b"\x89PNG"[..]),
        ("g.html", &b"<!DOCTYPE html>"[..]),
    ] {
        let path = dir.path().join(name);
        ripplemap()
            .args(["render", SAMPLE, "--fail", "gpki", "--around", "gpki"])
            .arg("-o")
            .arg(&path)
            .ok();
        let bytes = std::fs::read(&path).expect("written");
        assert!(bytes.starts_with(magic), "{name}");
    }
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["--fail", "gpi"], "did you mean `gpki`"),
        (&["--change-system", "nope"], "unknown node id `nope`"),
        (&["--around", "gpkii"], "did you mean `gpki`"),
        (&["--depth", "2"], "--around"),
        (
            &["--fail", "gpki", "--change-system", "gpki"],
            "cannot be used with",
        ),
        (&["--hours", "5"], "--hours needs a failure scenario"),
        (&["--format", "pdf"], "invalid value 'pdf'"),
        (&["--format", "png"], "give a file with -o"),
        (&["-o", "diagram.jpeg"], "cannot tell the format"),
        (&["--cluster", "region"], "invalid value 'region'"),
        (
            &["--fail", "gpki", "--hours=-1"],
            "expected hours from 0 to 876,000 (100 years)",
        ),
        (
            &[
                "--fail",
                "gpki",
                "--fail-where",
                "site=nirs-daejeon",
                "--change-system",
                "x",
            ],
            "cannot be used with",
        ),
    ];
    for (args, message) in cases {
        let out = ripplemap().args(["render", SAMPLE]).args(*args).code(2);
        assert!(out.stderr.contains(message), "{out:?}");
    }
    ripplemap()
        .args(["render", "no/such/inventory.toml"])
        .code(2);
}

#[test]
fn without_graphviz_the_dot_is_written_and_the_exit_code_is_3() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty_path = dir.path().join("bin");
    std::fs::create_dir(&empty_path).expect("dir");
    let svg = dir.path().join("gpki.svg");
    let out = ripplemap()
        .env("PATH", &empty_path)
        .args(["render", SAMPLE, "--fail", "gpki", "-o"])
        .arg(&svg)
        .code(3);
    assert!(
        out.stderr
            .contains("apt-get install graphviz fonts-noto-cjk"),
        "{out:?}"
    );
    assert!(!svg.exists());
    let dot = std::fs::read_to_string(dir.path().join("gpki.dot")).expect("DOT written");
    assert!(dot.starts_with("digraph"));

    // The HTML report is still written, with its tables and a note instead of the diagram.
    let html = dir.path().join("gpki.html");
    ripplemap()
        .env("PATH", &empty_path)
        .args(["render", SAMPLE, "--fail", "gpki", "-o"])
        .arg(&html)
        .code(3);
    let page = std::fs::read_to_string(&html).expect("HTML written");
    assert!(page.contains("id=\"diagram-missing\"") && page.contains("id=\"affected\""));

    // On stdout, the DOT is printed instead of the SVG.
    let out = ripplemap()
        .env("PATH", &empty_path)
        .args(["render", K_OF_N, "--format", "svg"])
        .code(3);
    assert!(out.stdout.starts_with("digraph"), "{out:?}");
}

#[test]
fn a_huge_whole_inventory_is_refused_with_advice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("national");
    ripplemap()
        .args(["generate", "--nodes", "6000", "--links", "20000", "-o"])
        .arg(&inv)
        .ok();
    let out = ripplemap().arg("render").arg(&inv).code(2);
    assert!(out.stderr.contains("--around ID --depth N"), "{out:?}");
    assert!(Path::new(&inv).is_dir());
}

#[test]
fn a_5000_node_inventory_gives_dot_within_a_minute_and_refuses_layout() {
    let dir = tempfile::tempdir().expect("temp dir");
    let inv = dir.path().join("national");
    ripplemap()
        .args(["generate", "--nodes", "5000", "--links", "20000", "-o"])
        .arg(&inv)
        .ok();
    let start = std::time::Instant::now();
    let out = ripplemap().arg("render").arg(&inv).ok();
    assert!(out.starts_with("digraph"));
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    // Graphviz would need far longer than a minute: refused at once, with advice.
    let svg = dir.path().join("national.svg");
    let out = ripplemap()
        .arg("render")
        .arg(&inv)
        .arg("-o")
        .arg(&svg)
        .code(2);
    assert!(out.stderr.contains("--around ID --depth N"), "{out:?}");
    assert!(out.stderr.contains("--format dot"), "{out:?}");
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    assert!(!svg.exists());
}

#[test]
fn help_documents_render_with_examples() {
    let out = ripplemap().args(["render", "--help"]).ok();
    assert!(out.contains("Examples:"), "{out}");
    assert!(out.contains("--change-system"), "{out}");
    assert!(out.contains("exit code is 3"), "{out}");
}
