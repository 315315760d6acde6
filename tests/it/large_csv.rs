//! A CSV file of a few megabytes is read in pieces on several threads: the result must be
//! the same model, and errors must name the same lines, as a piece-by-piece reading would.

use ripplemap::generate::{GenOptions, generate};
use ripplemap::inventory::{load, write_csv_dir};

fn generated() -> (ripplemap::Inventory, tempfile::TempDir) {
    let inv = generate(&GenOptions {
        nodes: 5_000,
        links: 50_000,
        seed: 7,
    });
    let dir = tempfile::tempdir().unwrap();
    write_csv_dir(&inv, dir.path()).unwrap();
    (inv, dir)
}

#[test]
fn a_large_csv_directory_loads_to_the_generated_model() {
    let (inv, dir) = generated();
    let size = std::fs::metadata(dir.path().join("links.csv"))
        .unwrap()
        .len();
    assert!(
        size > 2 << 20,
        "links.csv must be large enough to be split: {size}"
    );
    let back = load(dir.path()).unwrap();
    assert_eq!(back, inv);
}

#[test]
fn errors_late_in_a_large_csv_file_name_their_lines() {
    let (_, dir) = generated();
    let path = dir.path().join("links.csv");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let lines_before = text.lines().count();
    text.push_str("late-link,sys-00001,nosuch-node,,,,,,,\n");
    // A second error near the middle of the file, in another piece.
    let middle = text.len() / 2;
    let cut = middle + text[middle..].find('\n').unwrap() + 1;
    let middle_line = text[..cut].lines().count() + 1;
    text.insert_str(cut, "middle-link,sys-00002,zz-unknown,,,,,,,\n");
    std::fs::write(&path, text).unwrap();

    let err = load(dir.path()).unwrap_err();
    let shown: Vec<String> = err.diagnostics.iter().map(|d| d.to_string()).collect();
    assert_eq!(shown.len(), 2, "{shown:#?}");
    assert!(
        shown[0].starts_with(&format!(
            "{}:{middle_line}: error: unknown node id `zz-unknown`",
            path.display()
        )),
        "{shown:#?}"
    );
    assert!(
        shown[1].starts_with(&format!(
            "{}:{}: error: unknown node id `nosuch-node`",
            path.display(),
            lines_before + 2
        )),
        "{shown:#?}"
    );
}
