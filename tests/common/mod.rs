//! What several test files share: running the built binary.

use assert_cmd::Command;

/// Runs the binary from the repository root (colour left to its terminal check) and
/// returns its exit code, stdout and stderr; fails the test if it panicked.
pub fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("ripplemap")
        .expect("the ripplemap binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .args(args)
        .output()
        .expect("running ripplemap");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code(),
        String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr,
    )
}
