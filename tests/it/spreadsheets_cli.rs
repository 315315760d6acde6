//! Korean spreadsheets from the command line: the workbook and the CP949 CSV answer as
//! the TOML does, `--encoding` forces or refuses an encoding, `convert --to xlsx` writes a
//! workbook that loads back, `--no-bom` leaves the byte-order mark out.

use std::fs;

use crate::support::ripplemap;

const CP949: &str = "tests/fixtures/encodings/korea-egov-cp949";

#[test]
fn the_workbook_answers_a_korean_name_as_the_toml_answers_its_id() {
    for format in ["table", "json"] {
        let xlsx = ripplemap()
            .args(["impact", "inventories/korea-egov.xlsx", "--fail", "정부24"])
            .args(["--format", format])
            .ok();
        let toml = ripplemap()
            .args(["impact", "inventories/korea-egov.toml", "--fail", "gov24"])
            .args(["--format", format])
            .ok();
        assert_eq!(xlsx, toml, "{format}");
    }
}

#[test]
fn a_cp949_directory_gives_the_json_of_the_utf8_one_with_one_warning() {
    let cp949 = ripplemap()
        .args(["impact", CP949, "--fail", "gpki", "--format", "json"])
        .code(0);
    let utf8 = ripplemap()
        .args(["impact", "inventories/korea-egov/", "--fail", "gpki"])
        .args(["--format", "json"])
        .ok();
    assert_eq!(cp949.stdout, utf8);
    let warnings: Vec<&str> = cp949.stderr.lines().filter(|l| !l.is_empty()).collect();
    assert!(!warnings.is_empty(), "a warning says what was assumed");
    for w in &warnings {
        assert!(
            w.contains("warning: the file is not UTF-8: read as CP949"),
            "{w}"
        );
        assert!(w.starts_with(CP949), "the warning names its file: {w}");
    }
    // Told the encoding, the tool assumes nothing and says nothing.
    for enc in ["cp949", "euc-kr", "CP949"] {
        let forced = ripplemap()
            .args(["impact", CP949, "--fail", "gpki", "--format", "json"])
            .args(["--encoding", &enc.to_lowercase()])
            .code(0);
        assert_eq!(forced.stdout, utf8, "{enc}");
        assert_eq!(forced.stderr, "", "{enc}");
    }
}

#[test]
fn a_forced_utf8_refuses_a_cp949_file_once_with_its_line_and_byte() {
    let out = ripplemap()
        .args(["check", CP949, "--encoding", "utf-8"])
        .code(2);
    let errors: Vec<&str> = out
        .stderr
        .lines()
        .filter(|l| l.contains(": error:"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", out.stderr);
    assert!(
        errors[0].contains("systems.csv:2: error: the file is not valid UTF-8 (byte "),
        "{}",
        errors[0]
    );
    assert!(out.stderr.contains("expected: UTF-8 text, as asked for"));
    let bad = ripplemap()
        .args(["check", CP949, "--encoding", "latin1"])
        .usage_error();
    assert!(bad.contains("utf-8") && bad.contains("cp949"), "{bad}");
}

#[test]
fn convert_writes_a_workbook_that_loads_back_in_korean_or_english() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let toml = ripplemap()
        .args([
            "convert",
            "inventories/korea-egov.toml",
            "--to",
            "toml",
            "-o",
            "-",
        ])
        .ok();
    for (name, extra) in [("ko.xlsx", None), ("en.xlsx", Some("--english"))] {
        let path = dir.path().join(name);
        ripplemap()
            .args([
                "convert",
                "inventories/korea-egov.toml",
                "--to",
                "xlsx",
                "-o",
            ])
            .arg(&path)
            .args(extra)
            .ok();
        let bytes = fs::read(&path).expect("the workbook is written");
        assert!(bytes.starts_with(b"PK"), "an .xlsx is a zip archive");
        let back = ripplemap()
            .args(["convert"])
            .arg(&path)
            .args(["--to", "toml", "-o", "-"])
            .ok();
        assert_eq!(back, toml, "{name} loads back to the same inventory");
    }
    // The headers are in the workbook's language.
    for name in ["ko.xlsx", "en.xlsx"] {
        let xlsx: calamine::Xlsx<_> =
            calamine::open_workbook(dir.path().join(name)).expect("opens");
        let names = calamine::Reader::sheet_names(&xlsx);
        let want: &[&str] = if name == "ko.xlsx" {
            &["시스템", "연계", "그룹"]
        } else {
            &["systems", "links", "groups"]
        };
        for s in want {
            assert!(names.iter().any(|n| n == s), "{name}: {names:?}");
        }
    }
}

#[test]
fn generate_writes_a_workbook_too() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("gen.xlsx");
    ripplemap()
        .args([
            "generate", "--nodes", "60", "--links", "300", "--to", "xlsx", "-o",
        ])
        .arg(&path)
        .ok();
    let out = ripplemap().arg("check").arg(&path).run();
    assert!(
        out.stdout.contains(": 60 nodes"),
        "the generated workbook loads: {out:?}"
    );
}

#[test]
fn csv_starts_with_a_bom_unless_no_bom() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, flag, bom) in [("with", None, true), ("without", Some("--no-bom"), false)] {
        let out = dir.path().join(name);
        ripplemap()
            .args([
                "convert",
                "inventories/korea-egov.toml",
                "--to",
                "csv",
                "-o",
            ])
            .arg(&out)
            .args(flag)
            .ok();
        for file in ["systems.csv", "links.csv", "groups.csv"] {
            let bytes = fs::read(out.join(file)).expect("written");
            assert_eq!(bytes.starts_with(b"\xEF\xBB\xBF"), bom, "{name}/{file}");
        }
        // Both read back the same.
        let back = ripplemap()
            .arg("impact")
            .arg(&out)
            .args(["--fail", "gpki", "--format", "json"])
            .ok();
        assert!(back.contains("\"gov24\""), "{name}");
    }
}

#[test]
fn an_unknown_form_names_every_form_read() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("inventory.ods");
    fs::write(&path, b"x").expect("written");
    let out = ripplemap().arg("check").arg(&path).code(2);
    assert!(
        out.stderr.contains("TOML, JSON or an XLSX workbook"),
        "{}",
        out.stderr
    );
}
