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
