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
