//! `check` on good inventories (the summary, its JSON) and on bad ones (exit code 2 with
//! the diagnostics, for `impact`, `change` and `convert` too). Every class of bad input is
//! in `bad_input`, the wording of each diagnostic in `diagnostics`, the policy findings in
//! `policy`.

use crate::support::ripplemap;

#[test]
fn check_prints_the_summary() {
    let out = ripplemap()
        .args(["check", "tests/fixtures/cli/chain.toml"])
        .ok();
    // 4 written links plus the hosting link made from `sites`.
    assert!(
        out.starts_with(
            "ok tests/fixtures/cli/chain.toml: 6 nodes, 5 links, 1 groups, 3 agencies\n"
        ),
        "{out}"
    );
    let out = ripplemap()
        .args(["check", "tests/fixtures/cli/group.toml"])
        .ok();
    assert!(
        out.starts_with("ok tests/fixtures/cli/group.toml: 5 nodes, 4 links, 1 groups"),
        "{out}"
    );
}

#[test]
fn check_format_json_says_valid_with_stats() {
    let v = ripplemap()
        .args(["check", "tests/fixtures/cli/chain.toml", "--format", "json"])
        .code(0)
        .json();
    assert_eq!(v["valid"], true, "{v:#}");
    assert_eq!(v["stats"]["nodes"], 6, "{v:#}");
    assert_eq!(v["stats"]["links"], 5, "{v:#}");
}

#[test]
fn check_on_a_bad_inventory_exits_2() {
    let err = ripplemap()
        .args(["check", "tests/fixtures/bad/five_errors.toml"])
        .usage_error();
    assert!(
        err.ends_with("5 errors: the inventory was not loaded\n"),
        "{err}"
    );
}

#[test]
fn impact_change_and_convert_on_a_bad_inventory_exit_2_with_the_diagnostics() {
    const BAD: &str = "tests/fixtures/bad/unknown_link_id.toml";
    for args in [
        &["impact", BAD, "--fail", "gpki"][..],
        &["change", BAD, "--system", "gpki"],
        &["convert", BAD, "--to", "json", "-o", "-"],
    ] {
        let err = ripplemap().args(args).usage_error();
        assert!(
            err.contains("unknown_link_id.toml:9: error: unknown node id `gpkii`"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn stdin_is_not_read() {
    // Inventories are named by path (`-` only means stdout, for `convert -o`): what is
    // piped in changes nothing, and a closed stdin is no error.
    let chain = "tests/fixtures/cli/chain.toml";
    let piped = ripplemap()
        .args(["check", chain])
        .stdin("[[system]]\nid = \"piped\"\n")
        .ok();
    assert_eq!(piped, ripplemap().args(["check", chain]).ok());
}
