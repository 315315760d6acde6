//! Korean spreadsheets: CSV in CP949 or EUC-KR, Korean headers and keywords, the BOM that
//! the CSV writer puts first, and the XLSX form (read and written), good and malformed.

use std::path::{Path, PathBuf};

use ripplemap::inventory::{
    CsvOptions, Diagnostic, Encoding, Inventory, Level, LoadOptions, XlsxOptions, load, load_with,
    write_csv_dir, write_csv_dir_with, write_xlsx, write_xlsx_with,
};
use rust_xlsxwriter::{Formula, Workbook, Worksheet};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn sample() -> Inventory {
    load(&repo("inventories/korea-egov.toml")).expect("the sample loads")
}

/// The rendered diagnostics of a load that must fail.
fn errors(path: &Path) -> Vec<String> {
    let e = load(path).expect_err("the inventory must not load");
    e.diagnostics.iter().map(Diagnostic::to_string).collect()
}

fn has(shown: &[String], needle: &str) -> bool {
    shown.iter().any(|d| d.contains(needle))
}

// ---------------------------------------------------------------------------------------
// Encodings
// ---------------------------------------------------------------------------------------

#[test]
fn a_cp949_csv_directory_loads_to_the_same_model_with_one_warning() {
    let dir = repo("tests/fixtures/encodings/korea-egov-cp949");
    let out = load_with(&dir, &LoadOptions::default()).expect("loads");
    assert_eq!(
        out.inventory,
        load(&repo("inventories/korea-egov")).unwrap()
    );
    assert_eq!(out.inventory, sample());
    assert_eq!(out.warnings.len(), 1, "{:#?}", out.warnings);
    let w = &out.warnings[0];
    assert_eq!(w.level, Level::Warning);
    assert!(w.file.ends_with("systems.csv"));
    let shown = w.to_string();
    assert!(
        shown.contains(": warning: the file is not UTF-8: read as CP949 (EUC-KR)"),
        "{shown}"
    );
    // Asked for, it is read without a warning; read as UTF-8, it is one error.
    let opts = LoadOptions {
        encoding: Encoding::parse("cp949"),
    };
    let out = load_with(&dir, &opts).expect("loads");
    assert!(out.warnings.is_empty());
    let opts = LoadOptions {
        encoding: Encoding::parse("utf-8"),
    };
    let e = load_with(&dir, &opts).expect_err("not UTF-8");
    assert_eq!(e.diagnostics.len(), 1, "{:#?}", e.diagnostics);
    assert!(
        e.diagnostics[0]
            .to_string()
            .contains("the file is not valid UTF-8 (byte")
    );
}

#[test]
fn euc_kr_and_its_names_load() {
    // `행정안전부` in EUC-KR (a subset of CP949).
    let tmp = tempfile::tempdir().unwrap();
    let name = b"\xC7\xE0\xC1\xA4\xBE\xC8\xC0\xFC\xBA\xCE";
    let systems = [b"id,agency\r\ngpki,".as_slice(), name, b"\r\n"].concat();
    std::fs::write(tmp.path().join("systems.csv"), systems).unwrap();
    std::fs::write(tmp.path().join("links.csv"), "consumer,provider\r\n").unwrap();
    for name in ["euc-kr", "EUC-KR", "euckr", "cp949"] {
        let opts = LoadOptions {
            encoding: Some(Encoding::parse(name).expect(name)),
        };
        let out = load_with(tmp.path(), &opts).expect("loads");
        assert_eq!(out.inventory.nodes[0].agency.as_deref(), Some("행정안전부"));
    }
    assert_eq!(Encoding::parse("latin-1"), None);
}

#[test]
fn undecodable_bytes_are_one_error_with_line_and_byte() {
    let tmp = tempfile::tempdir().unwrap();
    // Valid CP949 up to the lone 0x80 on line 3, then more bad bytes on every row.
    let systems = [
        b"id,name\ngpki,".as_slice(),
        b"\xC1\xA4\xBA\xB8",
        b"\nsaeol,\x80x\nnts,\x80\xFF\n",
    ]
    .concat();
    std::fs::write(tmp.path().join("systems.csv"), &systems).unwrap();
    std::fs::write(
        tmp.path().join("links.csv"),
        "consumer,provider\nsaeol,gpki\n",
    )
    .unwrap();
    let shown = errors(tmp.path());
    assert_eq!(shown.len(), 1, "{shown:#?}");
    let at = systems.iter().position(|&b| b == 0x80).unwrap() + 1;
    assert!(
        shown[0].contains(&format!(
            "systems.csv:3: error: the file is not UTF-8 or CP949 (EUC-KR) text (byte {at}: 0x80)"
        )),
        "{shown:#?}"
    );
}

#[test]
fn toml_and_json_stay_utf8_only() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("a.toml");
    std::fs::write(&path, b"[[system]]\nid = \"a\"\nname = \"\xC1\xA4\"\n").unwrap();
    let shown = errors(&path);
    assert!(
        has(&shown, "a.toml:3: error: the file is not valid UTF-8"),
        "{shown:#?}"
    );
}

// ---------------------------------------------------------------------------------------
// Korean headers and keywords; the BOM
// ---------------------------------------------------------------------------------------

#[test]
fn korean_csv_headers_and_keywords_load_like_english_ones() {
    let tmp = tempfile::tempdir().unwrap();
    let en = tmp.path().join("en");
    let ko = tmp.path().join("ko");
    for d in [&en, &ko] {
        std::fs::create_dir_all(d).unwrap();
    }
    let write = |dir: &Path, name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    write(
        &en,
        "systems.csv",
        "id,name,kind,agency,grade,sites,tags,restore,load,capacity\n\
         dc,대전센터,site,NIRS,,,,,,\n\
         gpki,인증,service,MOIS,1,dc,auth,4h,120,500\n\
         bank,은행,external,,,,,,,\n\
         app,앱,system,MOIS,2,dc,,,,\n",
    );
    write(
        &en,
        "links.csv",
        "id,consumer,provider,kind,mode,tolerance,effect,group,method,data,calls\n\
         l1,app,gpki,interface,sync,0,down,login,sso,login,2\n\
         l2,app,bank,network,async,1d,degraded,,api,,\n",
    );
    write(&en, "groups.csv", "consumer,group,min\napp,login,1\n");
    write(
        &en,
        "policy.csv",
        "rule,severity\norphan,off\nno-agency,warning\n",
    );
    write(
        &ko,
        "systems.csv",
        "시스템ID,시스템명,유형,기관,등급,센터,태그,복구시간,부하,용량\n\
         dc,대전센터,센터,NIRS,,,,,,\n\
         gpki,인증,서비스,MOIS,1,dc,auth,4h,120,500\n\
         bank,은행,외부,,,,,,,\n\
         app,앱,시스템,MOIS,2,dc,,,,\n",
    );
    write(
        &ko,
        "links.csv",
        "연계ID,이용시스템,제공시스템,연계유형,방식,허용지연,영향,그룹,연계방법,연계데이터,호출수\n\
         l1,app,gpki,연계,실시간,0,중단,login,sso,login,2\n\
         l2,app,bank,네트워크,배치,1d,저하,,api,,\n",
    );
    write(&ko, "groups.csv", "이용시스템,그룹,최소\napp,login,1\n");
    write(&ko, "policy.csv", "규칙,수준\norphan,끔\nno-agency,경고\n");
    let a = load(&en).expect("English loads");
    let b = load(&ko).expect("Korean loads");
    assert_eq!(a, b);
    assert_eq!(a.policy.len(), 2);
    // A Korean word where the English one is expected elsewhere is still checked.
    write(
        &ko,
        "links.csv",
        "이용시스템,제공시스템,방식\napp,gpki,실시간함\n",
    );
    let shown = errors(&ko);
    assert!(
        has(&shown, "links.csv:2: error: unknown mode `실시간함`"),
        "{shown:#?}"
    );
    // A column named twice, once in each language.
    write(&ko, "groups.csv", "이용시스템,consumer,그룹\n");
    let shown = errors(&ko);
    assert!(
        has(&shown, "column `consumer` appears twice in the header"),
        "{shown:#?}"
    );
}

#[test]
fn csv_is_written_with_a_bom_unless_asked_not_to() {
    let inv = sample();
    let tmp = tempfile::tempdir().unwrap();
    let with = tmp.path().join("with");
    let without = tmp.path().join("without");
    write_csv_dir(&inv, &with).unwrap();
    write_csv_dir_with(&inv, &without, &CsvOptions { bom: false }).unwrap();
    for f in ["systems.csv", "links.csv", "groups.csv"] {
        let a = std::fs::read(with.join(f)).unwrap();
        let b = std::fs::read(without.join(f)).unwrap();
        assert!(a.starts_with(b"\xEF\xBB\xBFid,") || a.starts_with(b"\xEF\xBB\xBFconsumer,"));
        assert_eq!(&a[3..], &b[..]);
    }
    assert_eq!(load(&with).unwrap(), inv);
    assert_eq!(load(&without).unwrap(), inv);
    // The sample directory in the repository is what the writer writes.
    for f in ["systems.csv", "links.csv", "groups.csv"] {
        assert_eq!(
            std::fs::read(with.join(f)).unwrap(),
            std::fs::read(repo("inventories/korea-egov").join(f)).unwrap(),
            "inventories/korea-egov/{f} is out of date"
        );
    }
}

// ---------------------------------------------------------------------------------------
// XLSX: written and read back
// ---------------------------------------------------------------------------------------

#[test]
fn the_shipped_workbook_loads_to_the_sample() {
    let path = repo("inventories/korea-egov.xlsx");
    assert_eq!(load(&path).expect("the workbook loads"), sample());
}

/// Rewrites `inventories/korea-egov.xlsx` from the TOML sample:
/// `cargo test --test spreadsheets -- --ignored write_the_sample_workbook`.
#[test]
#[ignore]
fn write_the_sample_workbook() {
    write_xlsx(&sample(), &repo("inventories/korea-egov.xlsx")).unwrap();
}

#[test]
fn a_written_workbook_loads_back_in_korean_and_in_english() {
    let inv = sample();
    let tmp = tempfile::tempdir().unwrap();
    let ko = tmp.path().join("ko.xlsx");
    let en = tmp.path().join("en.XLSX");
    write_xlsx(&inv, &ko).unwrap();
    write_xlsx_with(&inv, &en, &XlsxOptions { english: true }).unwrap();
    assert_eq!(load(&ko).unwrap(), inv);
    assert_eq!(load(&en).unwrap(), inv);
    // The Korean workbook has Korean sheets, headers and keywords.
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&ko).unwrap();
    use calamine::{DataType, Reader};
    assert_eq!(wb.sheet_names(), ["시스템", "연계", "그룹"]);
    let links = wb.worksheet_range("연계").unwrap();
    let header: Vec<String> = links
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..4],
        ["연계ID", "이용시스템", "제공시스템", "연계유형"]
    );
    assert!(
        links
            .rows()
            .any(|r| r.iter().any(|c| c.get_string() == Some("실시간")))
    );
}

// ---------------------------------------------------------------------------------------
// XLSX: malformed workbooks, each error at its sheet, row and column
// ---------------------------------------------------------------------------------------

/// A workbook of `sheets` (name, rows of cells written as text; `#n` writes the number n).
fn workbook(path: &Path, sheets: &[(&str, &[&[&str]])], extra: impl Fn(&str, &mut Worksheet)) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell.strip_prefix('#') {
                    Some(n) => ws.write_number(r, c, n.parse::<f64>().unwrap()).map(|_| ()),
                    None if cell.is_empty() => Ok(()),
                    None => ws.write_string(r, c, *cell).map(|_| ()),
                }
                .unwrap();
            }
        }
        extra(name, ws);
    }
    wb.save(path).unwrap();
}

const SYSTEMS: &[&[&str]] = &[
    &["시스템ID", "시스템명", "유형", "등급"],
    &["gpki", "인증", "서비스", "#1"],
    &["saeol", "새올", "", "#2"],
];

#[test]
fn a_workbook_without_a_links_sheet_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("inv.xlsx");
    workbook(
        &path,
        &[("시스템", SYSTEMS), ("notes", &[&["x"]])],
        |_, _| {},
    );
    let shown = errors(&path);
    assert_eq!(shown.len(), 1, "{shown:#?}");
    assert!(
        shown[0].ends_with("inv.xlsx: error: the workbook has no `links` (or `연계`) sheet\n  expected: sheets systems and links (or 시스템 and 연계), optionally groups and policy (그룹, 정책)"),
        "{shown:#?}"
    );
}

#[test]
fn every_error_of_a_workbook_names_its_sheet_row_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("inv.xlsx");
    let links: &[&[&str]] = &[
        &["이용시스템", "제공시스템", "방식", "허용지연"],
        &["saeol", "gpki", "실시간", "0"],
        &["saeol", "gpkii", "", ""],
        &["gpki", "saeol", "sometimes", ""],
    ];
    let systems: &[&[&str]] = &[
        &["시스템ID", "시스템명", "유형", "등급", "기관명"],
        &["gpki", "인증", "서비스", "#1"],
        &["saeol", "새올", "", "#7"],
    ];
    workbook(&path, &[("시스템", systems), ("연계", links)], |_, _| {});
    let shown = errors(&path);
    let p = path.display().to_string();
    let expect = [
        format!("{p}: 시스템!E1: error: unknown column `기관명` in the header"),
        format!("{p}: 시스템!D3: error: invalid grade `7` (system `saeol`, field `grade`)"),
        format!(
            "{p}: 연계!B3: error: unknown node id `gpkii` (link `saeol->gpkii`, field `provider`)"
        ),
        format!("{p}: 연계!C4: error: unknown mode `sometimes` (link `gpki->saeol`, field `mode`)"),
    ];
    let heads: Vec<&str> = shown.iter().map(|d| d.lines().next().unwrap()).collect();
    assert_eq!(heads, expect, "{shown:#?}");
    assert!(has(&shown, "help: did you mean `기관`?"), "{shown:#?}");
}

#[test]
fn formulas_numbers_as_text_text_as_numbers_blank_rows_and_trailing_columns() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("inv.xlsx");
    let systems: &[&[&str]] = &[
        &[],
        &["id", "name", "grade", "load", "", ""],
        &["#1234", "", "1", "#120.5"],
        &[],
        &["", "", "", ""],
        &["gpki", "", "#2", "1e3"],
    ];
    let links: &[&[&str]] = &[
        &["consumer", "provider", "calls", "tolerance"],
        &["1234", ""],
    ];
    workbook(
        &path,
        &[("systems", systems), ("links", links)],
        |name, ws| {
            if name == "links" {
                // The provider is a formula; its saved value is what counts.
                ws.write_formula(1, 1, Formula::new("=\"gp\"&\"ki\"").set_result("gpki"))
                    .unwrap();
                ws.write_formula(1, 2, Formula::new("=1/4").set_result("0.25"))
                    .unwrap();
            }
        },
    );
    let inv = load(&path).expect("loads");
    let n = inv.node("1234").expect("an id typed as a number");
    assert_eq!(n.grade.map(|g| g.get()), Some(1), "a grade typed as text");
    assert_eq!(n.load, 120.5);
    assert_eq!(inv.node("gpki").unwrap().load, 1000.0);
    assert_eq!(inv.links.len(), 1);
    assert_eq!(inv.links[0].provider, "gpki");
    assert_eq!(inv.links[0].calls, Some(0.25));
    assert_eq!(inv.nodes[0].origin.line, 3, "rows are the sheet's rows");
}

#[test]
fn merged_date_boolean_and_headless_cells_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("inv.xlsx");
    let systems: &[&[&str]] = &[
        &["id", "agency"],
        &["a", "MOIS"],
        &["b", ""],
        &["c", "", "stray"],
    ];
    let links: &[&[&str]] = &[&["consumer", "provider", "tolerance"], &["a", "b"]];
    workbook(
        &path,
        &[("systems", systems), ("links", links)],
        |name, ws| {
            if name == "systems" {
                ws.merge_range(1, 1, 2, 1, "MOIS", &rust_xlsxwriter::Format::new())
                    .unwrap();
            } else {
                let time = rust_xlsxwriter::ExcelDateTime::from_hms(4, 0, 0).unwrap();
                let fmt = rust_xlsxwriter::Format::new().set_num_format("hh:mm");
                ws.write_datetime_with_format(1, 2, &time, &fmt).unwrap();
                ws.write_boolean(2, 0, true).unwrap();
            }
        },
    );
    let shown = errors(&path);
    let p = path.display().to_string();
    let heads: Vec<&str> = shown.iter().map(|d| d.lines().next().unwrap()).collect();
    assert_eq!(
        heads,
        [
            format!("{p}: systems!B2: error: merged cells B2:B3"),
            format!("{p}: systems!C4: error: a value in a column without a header"),
            format!("{p}: links!C2: error: `tolerance` is a date or time cell (field `tolerance`)"),
            format!(
                "{p}: links!A3: error: `consumer` is a TRUE/FALSE cell (TRUE) (field `consumer`)"
            ),
            format!(
                "{p}: links!B3: error: missing required field `provider` in a link (field `provider`)"
            ),
        ],
        "{shown:#?}"
    );
    assert!(
        has(&shown, "type a duration as text (30m, 4h, 1h30m)"),
        "{shown:#?}"
    );
}

#[test]
fn cross_reference_errors_name_the_cell_of_their_field_or_the_row() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("inv.xlsx");
    let systems: &[&[&str]] = &[&["시스템ID"], &["saeol"], &["gpki"], &["gpki"]];
    let links: &[&[&str]] = &[
        &["이용시스템", "제공시스템", "그룹"],
        &["saeol", "gpki", "login"],
    ];
    let groups: &[&[&str]] = &[
        &["이용시스템", "그룹", "최소"],
        &["saeol", "login", "#1"],
        &["saeol", "login", "#1"],
    ];
    workbook(
        &path,
        &[("시스템", systems), ("연계", links), ("그룹", groups)],
        |_, _| {},
    );
    let shown = errors(&path);
    let p = path.display().to_string();
    let heads: Vec<&str> = shown.iter().map(|d| d.lines().next().unwrap()).collect();
    assert_eq!(
        heads,
        [
            format!("{p}: 시스템!A4: error: duplicate node id `gpki` (field `id`)"),
            format!("{p}: 그룹!3:3: error: group declared twice (group `login` of `saeol`)"),
        ],
        "{shown:#?}"
    );
    assert!(
        has(&shown, &format!("first declared at {p}: 시스템!3:3")),
        "{shown:#?}"
    );
}
