//! `--help`, `help CMD` and `--version`, usage errors of the command line itself, and
//! snapshots of every help text.

use crate::support::ripplemap;

/// The subcommands listed in the top-level help, without `help`.
fn subcommands() -> Vec<String> {
    let help = ripplemap().arg("--help").ok();
    let section = help
        .split("Commands:")
        .nth(1)
        .expect("a Commands: section in --help");
    section
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_owned)
        .collect()
}

#[test]
fn top_level_help_lists_the_commands_and_shows_examples() {
    let help = ripplemap().arg("--help").ok();
    assert!(help.contains("Examples:"), "{help}");
    let cmds = subcommands();
    for c in ["check", "impact", "change", "convert"] {
        assert!(
            cmds.iter().any(|x| x == c),
            "`{c}` missing from --help: {cmds:?}\n{help}"
        );
    }
}

#[test]
fn every_subcommand_help_shows_examples() {
    for c in subcommands() {
        let help = ripplemap().args([c.as_str(), "--help"]).ok();
        assert!(
            help.contains(&format!("Usage: ripplemap {c}")),
            "{c}: {help}"
        );
        let examples = help
            .split("Examples:")
            .nth(1)
            .unwrap_or_else(|| panic!("no Examples: in `{c} --help`\n{help}"));
        assert!(
            examples.contains(&format!("ripplemap {c} ")),
            "the examples of `{c}` do not use it:\n{help}"
        );
        // `help SUBCOMMAND` is the same text.
        assert_eq!(
            ripplemap().args(["help", c.as_str()]).ok(),
            help,
            "`help {c}` differs from `{c} --help`"
        );
    }
}

#[test]
fn version_prints_the_package_version() {
    assert_eq!(
        ripplemap().arg("--version").ok(),
        format!("ripplemap {}\n", env!("CARGO_PKG_VERSION"))
    );
    // Propagated to the subcommands (clap names them `ripplemap-check`).
    assert!(
        ripplemap()
            .args(["check", "--version"])
            .ok()
            .ends_with(&format!(" {}\n", env!("CARGO_PKG_VERSION")))
    );
}

#[test]
fn no_arguments_and_unknown_subcommands_are_usage_errors() {
    ripplemap().usage_error();
    let err = ripplemap()
        .args(["chek", "tests/fixtures/cli/chain.toml"])
        .usage_error();
    assert!(
        err.contains("check"),
        "clap suggests the close subcommand: {err}"
    );
    ripplemap()
        .args(["impact", "tests/fixtures/cli/chain.toml", "--fail", "dc1"])
        .args(["--format", "yaml"])
        .usage_error();
}

// ---------------------------------------------------------------------------------------
// Snapshots of every help text
// ---------------------------------------------------------------------------------------

/// The subcommands with a help snapshot below, in the order `--help` lists them.
const SNAPSHOTTED: [&str; 18] = [
    "check",
    "assess",
    "diff",
    "impact",
    "change",
    "generate",
    "render",
    "convert",
    "rank",
    "scenarios",
    "cuts",
    "recover",
    "surge",
    "serve",
    "schema",
    "completions",
    "man",
    "cache",
];

/// `$ ripplemap ARGS…` and what it printed, after asserting it succeeded quietly.
fn help(args: &[&str]) -> String {
    let out = ripplemap().args(args).code(0);
    assert!(out.stderr.is_empty(), "{out:?}");
    format!("$ ripplemap {}\n{}", args.join(" "), out.stdout)
}

#[test]
fn every_subcommand_has_a_help_snapshot() {
    assert_eq!(
        subcommands(),
        SNAPSHOTTED,
        "add a help snapshot for a new command"
    );
}

#[test]
fn help_of_the_top_level() {
    insta::assert_snapshot!("help", help(&["help"]));
    // `--help` prints the same text.
    assert_eq!(ripplemap().arg("--help").ok(), ripplemap().arg("help").ok());
}

#[test]
fn help_of_check() {
    insta::assert_snapshot!("help_check", help(&["check", "--help"]));
}

#[test]
fn help_of_assess() {
    insta::assert_snapshot!("help_assess", help(&["assess", "--help"]));
}

#[test]
fn help_of_diff() {
    insta::assert_snapshot!("help_diff", help(&["diff", "--help"]));
}

#[test]
fn help_of_impact() {
    insta::assert_snapshot!("help_impact", help(&["impact", "--help"]));
}

#[test]
fn help_of_change() {
    insta::assert_snapshot!("help_change", help(&["change", "--help"]));
}

#[test]
fn help_of_generate() {
    insta::assert_snapshot!("help_generate", help(&["generate", "--help"]));
}

#[test]
fn help_of_render() {
    insta::assert_snapshot!("help_render", help(&["render", "--help"]));
}

#[test]
fn help_of_convert() {
    insta::assert_snapshot!("help_convert", help(&["convert", "--help"]));
}

#[test]
fn help_of_rank() {
    insta::assert_snapshot!("help_rank", help(&["rank", "--help"]));
}

#[test]
fn help_of_scenarios() {
    insta::assert_snapshot!("help_scenarios", help(&["scenarios", "--help"]));
}

#[test]
fn help_of_cuts() {
    insta::assert_snapshot!("help_cuts", help(&["cuts", "--help"]));
}

#[test]
fn help_of_recover() {
    insta::assert_snapshot!("help_recover", help(&["recover", "--help"]));
}

#[test]
fn help_of_surge() {
    insta::assert_snapshot!("help_surge", help(&["surge", "--help"]));
}

#[test]
fn help_of_serve() {
    insta::assert_snapshot!("help_serve", help(&["serve", "--help"]));
}

#[test]
fn help_of_schema() {
    insta::assert_snapshot!("help_schema", help(&["schema", "--help"]));
}

#[test]
fn help_of_completions() {
    insta::assert_snapshot!("help_completions", help(&["completions", "--help"]));
}

#[test]
fn help_of_man() {
    insta::assert_snapshot!("help_man", help(&["man", "--help"]));
}

#[test]
fn help_of_cache() {
    insta::assert_snapshot!("help_cache", help(&["cache", "--help"]));
}
