//! Any bytes as a JSON inventory: loaded, or refused with diagnostics, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use ripplemap::inventory::{Format, load_str};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = load_str(text, Format::Json, Path::new("fuzz.json"));
    }
});
