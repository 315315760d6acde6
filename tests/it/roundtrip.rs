//! Property tests of the writers: an inventory written as TOML or JSON loads back to the
//! same model whatever its text holds, and one written as a CSV directory either loads
//! back the same or is refused, before anything is written, exactly when it holds a value
//! that CSV would change (an empty cell, spaces around a cell, `;` in a list entry). The
//! node fields `restore`, `load` and `capacity` and the link field `calls` are generated
//! too, so that every form keeps them; an XLSX workbook keeps what CSV keeps.

use std::path::Path;

use proptest::prelude::*;
use ripplemap::inventory::{
    Format, Inventory, WriteError, XlsxOptions, load, load_str, write_csv_dir, write_json,
    write_toml, write_xlsx_with,
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

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// TOML -> XLSX -> model: a workbook (Korean or English) loads back to the same model,
    /// or is refused before anything is written exactly when a cell would change a value
    /// (a cell is read as a CSV cell is).
    #[test]
    fn xlsx_keeps_every_value_or_refuses_before_writing(inv in inventory(), english in any::<bool>()) {
        let toml = write_toml(&inv).expect("TOML serializes");
        let from_toml = load_str(&toml, Format::Toml, Path::new("x.toml")).expect("TOML loads");
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let path = tmp.path().join("inv.xlsx");
        match write_xlsx_with(&from_toml, &path, &XlsxOptions { english }) {
            Ok(()) => {
                prop_assert!(!csv_would_change(&inv), "written although a cell changes a value");
                let back = load(&path);
                prop_assert_eq!(back.as_ref().ok(), Some(&inv));
            }
            Err(WriteError::Lossy(diagnostics)) => {
                prop_assert!(csv_would_change(&inv), "refused: {:?}", diagnostics);
                prop_assert!(!path.exists(), "something was written");
            }
            Err(WriteError::Io(e)) => prop_assert!(false, "I/O error: {}", e),
        }
    }
}

/// The new node and link fields read the same from each form: TOML integers and floats,
/// JSON numbers, CSV cells; and `calls` defaults by kind and mode.
#[test]
fn restore_load_capacity_and_calls_read_from_every_form() {
    let toml = "[[system]]\nid = \"a\"\nrestore = \"1h30m\"\nload = 120\ncapacity = 2.5e3\n\n\
                [[system]]\nid = \"b\"\n\n\
                [[link]]\nconsumer = \"a\"\nprovider = \"b\"\ncalls = 0.5\n\n\
                [[link]]\nconsumer = \"b\"\nprovider = \"a\"\nmode = \"async\"\n";
    let inv = load_str(toml, Format::Toml, Path::new("x.toml")).expect("loads");
    let a = inv.node("a").expect("a");
    assert_eq!(
        (a.restore_secs, a.load, a.capacity),
        (5400, 120.0, Some(2500.0))
    );
    let b = inv.node("b").expect("b");
    assert_eq!((b.restore_secs, b.load, b.capacity), (0, 0.0, None));
    assert_eq!(inv.links[0].calls, Some(0.5));
    assert_eq!(inv.links[0].calls(), 0.5);
    assert_eq!(inv.links[1].calls, None);
    assert_eq!(
        inv.links[1].calls(),
        0.0,
        "an async link sends nothing by default"
    );

    let json = r#"{"system": [{"id": "a", "restore": "1h30m", "load": 120, "capacity": 2500.0},
                              {"id": "b"}],
                   "link": [{"consumer": "a", "provider": "b", "calls": 5e-1},
                            {"consumer": "b", "provider": "a", "mode": "async"}]}"#;
    assert_eq!(
        load_str(json, Format::Json, Path::new("x.json")).as_ref(),
        Ok(&inv)
    );

    let tmp = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        tmp.path().join("systems.csv"),
        "id,name,kind,agency,grade,sites,tags,capacity,restore,load\na,,,,,,,2.5e3,1h30m,120\nb,,,,,,,,,\n",
    )
    .expect("written");
    std::fs::write(
        tmp.path().join("links.csv"),
        "consumer,provider,mode,calls\na,b,,0.5\nb,a,async,\n",
    )
    .expect("written");
    assert_eq!(load(tmp.path()).as_ref(), Ok(&inv));

    // Written back only where used: the TOML names them, and a CSV directory of an
    // inventory without them has the usual headers.
    let written = write_toml(&inv).expect("TOML");
    assert!(
        written.contains("restore = \"1h30m\"\nload = 120\ncapacity = 2500\n"),
        "{written}"
    );
    assert!(written.contains("calls = 0.5"), "{written}");
    let out = tmp.path().join("out");
    write_csv_dir(&inv, &out).expect("CSV");
    let systems = std::fs::read_to_string(out.join("systems.csv")).expect("read");
    assert!(
        systems.contains("id,name,kind,agency,grade,sites,tags,restore,load,capacity"),
        "{systems}"
    );
}
