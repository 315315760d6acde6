//! Where output goes and what happens when it cannot go there: write errors on standard
//! output (a closed pipe is quiet, anything else exit code 74), atomic `-o` files and CSV
//! directories, and `-o` refused when it names an input.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::{ripplemap, root};

const SAMPLE: &str = "inventories/korea-egov.toml";

/// The binary, run from the repository root with its stdout and stderr as given.
fn binary() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_ripplemap"));
    cmd.current_dir(root()).env_remove("NO_COLOR");
    cmd
}

#[test]
fn a_full_device_on_stdout_is_an_error_with_its_own_exit_code() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not a Linux machine
    };
    let out = binary()
        .args(["impact", SAMPLE, "--fail", "gpki", "--format", "json"])
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(74), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write the output: No space left on device"),
        "{stderr}"
    );
}

#[test]
fn a_closed_pipe_ends_quietly_with_0() {
    // Megabytes of JSON, of which the reader takes a few bytes and goes away (`| head -c`).
    let mut child = binary()
        .args([
            "generate", "--nodes", "3000", "--links", "30000", "--to", "json", "-o", "-",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut first = [0u8; 16];
    child
        .stdout
        .take()
        .expect("piped")
        .read_exact(&mut first)
        .expect("some output");
    // The read end is dropped here: the next writes fail with a broken pipe.
    let out = child.wait_with_output().expect("ends");
    assert_eq!(&first[..1], b"{");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[test]
fn an_output_file_that_cannot_be_created_is_exit_code_74() {
    let err = ripplemap()
        .args([
            "convert",
            SAMPLE,
            "--to",
            "json",
            "-o",
            "no/such/dir/k.json",
        ])
        .code(74)
        .stderr;
    assert!(
        err.starts_with("error: cannot write no/such/dir/k.json: "),
        "{err}"
    );
}
