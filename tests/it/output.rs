//! Where output goes and what happens when it cannot go there: write errors on standard
//! output (a closed pipe is quiet, anything else exit code 74), atomic `-o` files and CSV
//! directories, and `-o` refused when it names an input.

use std::io::Read;
use std::process::{Command, Stdio};

use std::path::Path;

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

/// A 64 KiB tmpfs, mounted for one test and unmounted after it: a disk that fills up.
/// Mounting needs root; without it the tests that need one return early.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    fn mount() -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
            .arg(dir.path())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(SmallDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn names(&self, sub: &str) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(self.path().join(sub))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(self.dir.path()).status();
    }
}

#[test]
fn a_full_disk_leaves_the_old_file_whole() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let target = disk.path().join("k.json");
    std::fs::write(&target, "the old inventory").unwrap();
    // The sample is about 110 KB of JSON: it does not fit.
    let err = ripplemap()
        .args(["convert", SAMPLE, "--to", "json", "-o"])
        .arg(&target)
        .code(74)
        .stderr;
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(
        std::fs::read_to_string(&target).unwrap(),
        "the old inventory"
    );
    assert_eq!(disk.names(""), ["k.json"], "no temporary file is left");
}

#[test]
fn a_full_disk_leaves_the_old_csv_directory_whole() {
    let Some(disk) = SmallDisk::mount() else {
        return;
    };
    let small = "tests/fixtures/analyses/small.toml";
    let csv = disk.path().join("csv");
    ripplemap()
        .args(["convert", small, "--to", "csv", "-o"])
        .arg(&csv)
        .ok();
    let before = std::fs::read_to_string(csv.join("links.csv")).unwrap();
    // About a megabyte of CSV: it does not fit.
    let err = ripplemap()
        .args([
            "generate", "--nodes", "2000", "--links", "15000", "--to", "csv", "-o",
        ])
        .arg(&csv)
        .code(74)
        .stderr;
    assert!(err.contains("No space left on device"), "{err}");
    assert_eq!(
        std::fs::read_to_string(csv.join("links.csv")).unwrap(),
        before
    );
    assert_eq!(disk.names(""), ["csv"], "no temporary directory is left");
    assert_eq!(
        disk.names("csv"),
        ["groups.csv", "links.csv", "systems.csv"]
    );
}

#[test]
fn a_csv_directory_is_replaced_whole() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("csv");
    ripplemap()
        .args([
            "convert",
            "tests/fixtures/policy/csv-policy",
            "--to",
            "csv",
            "-o",
        ])
        .arg(&csv)
        .ok();
    assert!(csv.join("policy.csv").is_file());
    // A second inventory without a policy: the old policy.csv does not survive.
    ripplemap()
        .args(["convert", SAMPLE, "--to", "csv", "-o"])
        .arg(&csv)
        .ok();
    assert!(!csv.join("policy.csv").exists());
    let back = ripplemap()
        .args(["convert"])
        .arg(&csv)
        .args(["--to", "toml", "-o", "-"])
        .ok();
    let sample = ripplemap()
        .args(["convert", SAMPLE, "--to", "toml", "-o", "-"])
        .ok();
    assert_eq!(back, sample);
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary directory is left: {names:?}");
}

#[test]
fn output_may_not_name_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let inv = dir.path().join("self.toml");
    std::fs::copy(root().join(SAMPLE), &inv).unwrap();
    let original = std::fs::read(&inv).unwrap();
    let link = dir.path().join("link.toml");
    std::os::unix::fs::symlink(&inv, &link).unwrap();
    let csv = dir.path().join("csv");
    ripplemap()
        .args(["convert", SAMPLE, "--to", "csv", "-o"])
        .arg(&csv)
        .ok();
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        // By path, and through a link.
        vec![
            "convert".into(),
            inv.clone().into(),
            "--to".into(),
            "toml".into(),
            "-o".into(),
            inv.clone().into(),
        ],
        vec![
            "convert".into(),
            inv.clone().into(),
            "--to".into(),
            "json".into(),
            "-o".into(),
            link.clone().into(),
        ],
        vec![
            "render".into(),
            inv.clone().into(),
            "--format".into(),
            "dot".into(),
            "-o".into(),
            inv.clone().into(),
        ],
        // Without Graphviz, an SVG's DOT would go beside it: over the input.
        vec![
            "render".into(),
            dir.path().join("self.svg").into(),
            "-o".into(),
            dir.path().join("self.svg").into(),
        ],
        // A CSV directory: itself, a file in it, a directory holding the input.
        vec![
            "convert".into(),
            csv.clone().into(),
            "--to".into(),
            "csv".into(),
            "-o".into(),
            csv.clone().into(),
        ],
        vec![
            "convert".into(),
            csv.clone().into(),
            "--to".into(),
            "toml".into(),
            "-o".into(),
            csv.join("links.csv").into(),
        ],
        vec![
            "convert".into(),
            inv.clone().into(),
            "--to".into(),
            "csv".into(),
            "-o".into(),
            dir.path().into(),
        ],
    ];
    for args in cases {
        let err = ripplemap().args(&args).usage_error();
        assert!(
            err.starts_with("error: cannot write ") && err.contains(" the input "),
            "{args:?}: {err}"
        );
    }
    assert_eq!(std::fs::read(&inv).unwrap(), original);
    // The same inventory written elsewhere is fine.
    ripplemap()
        .args(["convert"])
        .arg(&inv)
        .args(["--to", "toml", "-o"])
        .arg(dir.path().join("copy.toml"))
        .ok();
}

/// `-o` on every command whose output can be large: the same bytes as standard output
/// (tables without colour or wrapping), an input refused as output.
#[test]
fn every_large_output_can_go_to_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let sample = "inventories/korea-egov.toml";
    let runs: &[(&[&str], i32)] = &[
        (&["impact", sample, "--fail", "gpki"], 0),
        (&["impact", sample, "--fail", "gpki", "--format", "csv"], 0),
        (
            &["change", sample, "--system", "gpki", "--format", "json"],
            0,
        ),
        (&["check", sample, "--format", "sarif"], 1),
        (&["check", sample], 1),
        (&["rank", sample, "-q", "--format", "csv"], 0),
        (&["scenarios", sample, "--sites", "-q"], 0),
        (&["cuts", sample, "--target", "gov24"], 0),
        (&["recover", sample, "--fail", "gpki"], 0),
        (&["assess", sample, "--system", "gpki"], 0),
        (
            &["diff", sample, "tests/fixtures/diff/korea-egov-next.toml"],
            1,
        ),
    ];
    for (i, (args, code)) in runs.iter().enumerate() {
        let file = dir.path().join(format!("out-{i}"));
        let to_stdout = crate::support::ripplemap().args(*args).code(*code).stdout;
        let to_file = crate::support::ripplemap()
            .args(*args)
            .arg("-o")
            .arg(&file)
            .code(*code);
        assert!(to_file.stdout.is_empty(), "{args:?}");
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            to_stdout,
            "{args:?}"
        );
    }
    let err = crate::support::ripplemap()
        .args(["impact", sample, "--fail", "gpki", "-o", sample])
        .usage_error();
    assert!(err.contains("it is the input"), "{err}");
}
