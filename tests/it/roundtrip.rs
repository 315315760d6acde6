//! Property tests of the writers: an inventory written as TOML or JSON loads back to the
//! same model whatever its text holds, and one written as a CSV directory either loads
//! back the same or is refused, before anything is written, exactly when it holds a value
//! that CSV would change (an empty cell, spaces around a cell, `;` in a list entry).

use std::path::Path;

use proptest::prelude::*;
use ripplemap::inventory::{
    Format, Inventory, WriteError, load, load_str, write_csv_dir, write_json, write_toml,
};

use crate::support::generator::{self, ODD_TOLERANCES, Shape};

/// Up to 5 systems and 2 sites, up to 9 links, with awkward text (half the time) wherever the
/// model holds free text, awkward tolerances, every kind, mode and effect, groups with any
/// `min`, hosting from `sites` and policy settings, in the order loading gives.
fn inventory() -> impl Strategy<Value = Inventory> {
    generator::inventory(Shape {
        systems: 2..6,
        sites: 0..3,
        links: 0..10,
        tolerances: ODD_TOLERANCES,
        odd_text: true,
        any_order: false,
        ..Shape::default()
    })
}

/// The test's own account of what CSV changes: a cell read back trimmed or as no value, a
/// list entry split at `;`, dropped when empty, or trimmed.
fn csv_would_change(inv: &Inventory) -> bool {
    let cell = |s: &str| s.is_empty() || s.trim_ascii() != s;
    let entry = |s: &str| cell(s) || s.contains(';');
    inv.nodes.iter().any(|n| {
        (n.name != n.id && cell(&n.name))
            || n.agency.as_deref().is_some_and(cell)
            || n.tags.iter().any(|t| entry(t))
    }) || inv.links.iter().any(|l| {
        cell(&l.id)
            || [&l.group, &l.method, &l.data]
                .iter()
                .any(|v| v.as_deref().is_some_and(cell))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn toml_and_json_keep_every_value(inv in inventory()) {
        let toml = write_toml(&inv).expect("TOML serializes");
        let from_toml = load_str(&toml, Format::Toml, Path::new("x.toml"));
        prop_assert_eq!(from_toml.as_ref().ok(), Some(&inv), "{}", toml);
        let json = write_json(&inv);
        let from_json = load_str(&json, Format::Json, Path::new("x.json"));
        prop_assert_eq!(from_json.as_ref().ok(), Some(&inv), "{}", json);
    }

    #[test]
    fn csv_keeps_every_value_or_refuses_before_writing(inv in inventory()) {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("csv");
        match write_csv_dir(&inv, &dir) {
            Ok(()) => {
                prop_assert!(!csv_would_change(&inv), "written although CSV changes a value");
                let back = load(&dir);
                prop_assert_eq!(back.as_ref().ok(), Some(&inv));
            }
            Err(WriteError::Lossy(diagnostics)) => {
                prop_assert!(csv_would_change(&inv), "refused: {:?}", diagnostics);
                prop_assert!(!diagnostics.is_empty());
                prop_assert!(!dir.exists(), "something was written");
            }
            Err(WriteError::Io(e)) => prop_assert!(false, "I/O error: {}", e),
        }
    }
}
