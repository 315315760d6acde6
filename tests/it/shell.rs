//! Shell completions (`ripplemap completions SHELL`) and the man page (`ripplemap man`),
//! both generated from the command line's definition.

use std::process::Command;

use crate::support::ripplemap;

#[test]
fn completions_for_every_shell_name_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = ripplemap().args(["completions", shell]).ok();
        for word in ["impact", "schema", "input-format", "fail-where"] {
            assert!(out.contains(word), "{shell} completion lacks {word}");
        }
    }
    let err = ripplemap().args(["completions", "tcsh"]).usage_error();
    assert!(err.contains("possible values: bash"), "{err}");
}

#[test]
fn the_bash_completion_is_valid_bash_and_completes_values() {
    let script = ripplemap().args(["completions", "bash"]).ok();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("ripplemap.bash");
    std::fs::write(&file, &script).unwrap();
    // Load it and ask what `ripplemap impact --format ` completes to.
    let probe = format!(
        "source {}; COMP_WORDS=(ripplemap impact --format ''); COMP_CWORD=3; \
         _ripplemap ripplemap '' --format; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display()
    );
    let out = Command::new("bash").arg("-c").arg(&probe).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let words = String::from_utf8(out.stdout).unwrap();
    assert!(words.lines().any(|l| l == "json"), "{words}");
    assert!(words.lines().any(|l| l == "table"), "{words}");
}

#[test]
fn the_man_page_has_every_subcommand_and_the_exit_codes() {
    let page = ripplemap().arg("man").ok();
    assert!(page.contains(".TH ripplemap 1"), "{page}");
    for word in ["impact", "check", "completions", "Exit codes:", "74"] {
        assert!(page.contains(word), "the man page lacks {word}");
    }
    let dir = tempfile::tempdir().unwrap();
    ripplemap().arg("man").arg("--dir").arg(dir.path()).ok();
    for page in [
        "ripplemap.1",
        "ripplemap-impact.1",
        "ripplemap-check.1",
        "ripplemap-schema.1",
    ] {
        let text = std::fs::read_to_string(dir.path().join(page)).unwrap();
        assert!(text.starts_with(".ie"), "{page}");
    }
}

/// Runs `ripplemap ARGS` on a pseudo-terminal of `cols` columns (util-linux `script`),
/// with `env` before it; `None` where `script` is not installed.
fn on_terminal(cols: u16, env: &str, args: &str) -> Option<String> {
    let bin = env!("CARGO_BIN_EXE_ripplemap");
    let inner = format!("stty rows 40 cols {cols}; {env} {bin} {args}");
    let out = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .current_dir(crate::support::root())
        .env_remove("COLUMNS")
        .output()
        .ok()?;
    assert!(out.status.success(), "{out:?}");
    Some(String::from_utf8(out.stdout).unwrap())
}

#[test]
fn tables_are_as_wide_as_the_terminal_itself_whatever_columns_says() {
    let args = "impact inventories/korea-egov.toml --fail gpki --color never";
    let Some(narrow) = on_terminal(70, "COLUMNS=200", args) else {
        eprintln!("note: `script` is not installed; terminal width not tested");
        return;
    };
    // Table lines only: the summary's lists are plain text.
    let widest = |text: &str| {
        text.lines()
            .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
            .map(|l| l.trim_end_matches('\r').chars().count())
            .max()
            .unwrap_or(0)
    };
    assert!(widest(&narrow) <= 70, "{narrow}");
    let wide = on_terminal(200, "", args).unwrap();
    assert!(widest(&wide) > 70, "{wide}");
    // Not on a terminal: never wrapped, whatever COLUMNS says.
    let piped = ripplemap().args(args.split(' ')).env("COLUMNS", "40").ok();
    assert!(widest(&piped) > 100, "{piped}");
}

#[test]
fn impact_and_change_as_csv_have_the_table_columns() {
    let out = ripplemap()
        .args([
            "impact",
            "inventories/teach-k-of-n.toml",
            "--fail",
            "bank-a,bank-b",
        ])
        .args(["--format", "csv"])
        .ok();
    assert_eq!(
        out,
        "at_hours,state,id,name,grade,agency,path\n\
         0,FAILED,bank-a,A은행,,Bank A,bank-a\n\
         0,FAILED,bank-b,B은행,,Bank B,bank-b\n\
         2,down,payments,지급시스템,1,Treasury,bank-b -> payments\n\
         2,down,payroll,급여시스템,2,Treasury,bank-b -> payments -> payroll\n"
    );
    let out = ripplemap()
        .args([
            "change",
            "inventories/teach-active-active.toml",
            "--system",
            "dc-a",
        ])
        .args(["--format", "csv", "--limit", "2"])
        .ok();
    assert_eq!(
        out,
        "depth,id,name,grade,agency,path\n\
         1,archive,문서 보관,3,MOIS,dc-a -> archive\n\
         1,portal,대국민 포털,1,MOIS,dc-a -> portal\n"
    );
    let err = ripplemap()
        .args([
            "impact",
            "inventories/teach-k-of-n.toml",
            "--fail",
            "bank-a",
        ])
        .args(["--format", "csv", "--paths", "via"])
        .usage_error();
    assert!(err.contains("--paths via changes the JSON rows"), "{err}");
}
