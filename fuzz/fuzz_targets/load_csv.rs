//! Any bytes as a CSV directory inventory: the input is cut at NUL bytes into
//! systems.csv, links.csv, groups.csv and policy.csv (a part missing or empty: no such
//! file), written to a temporary directory and loaded. Bytes in any encoding, as a
//! spreadsheet export would be; refused with diagnostics, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const FILES: [&str; 4] = ["systems.csv", "links.csv", "groups.csv", "policy.csv"];

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary directory"))
}

fuzz_target!(|data: &[u8]| {
    let dir = dir().path();
    let mut parts = data.split(|&b| b == 0);
    for name in FILES {
        let path = dir.join(name);
        match parts.next() {
            Some(part) if !part.is_empty() || name == "systems.csv" || name == "links.csv" => {
                let _ = std::fs::write(&path, part);
            }
            _ => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let _ = ripplemap::load(dir);
});
