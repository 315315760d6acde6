//! Any bytes as an .xlsx workbook: loaded, or refused with diagnostics, never a panic.
//! (Seed it with real workbooks: the zip container is hard to reach from random bytes.)
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
}

fuzz_target!(|data: &[u8]| {
    let path = dir().path().join("fuzz.xlsx");
    if std::fs::write(&path, data).is_ok() {
        let _ = ripplemap::load(&path);
    }
});
