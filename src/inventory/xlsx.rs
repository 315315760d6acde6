//! The XLSX form: a workbook with one sheet per table (`systems`/`시스템`, `links`/`연계`,
//! and optionally `groups`/`그룹` and `policy`/`정책`), headers in English or Korean. Its
//! rows go through the same record builder as CSV rows, so every rule is written once.
//!
//! How cells are read, as a person who types a spreadsheet expects:
//! - a formula is read as the value Excel saved with it;
//! - a number where text is expected is its digits (an id `1234` is `"1234"`), and text
//!   where a number is expected is read as a number (a grade `"1"` is 1);
//! - a date or time cell is refused: ripplemap reads no dates, and a duration is typed as
//!   text (`4h`);
//! - merged cells are refused (one value per cell), blank rows are skipped, and empty
//!   columns after the last header are ignored.

use std::borrow::Cow;
use std::path::Path;
use std::sync::Arc;

use calamine::{DataRef, Reader, ReaderRef, Xlsx, open_workbook};

use super::diag::{Diagnostic, LoadError, SheetCell, did_you_mean, echo};
use super::load::{LoadOutcome, finish};
use super::model::{Inventory, Link, Node, NodeKind, Sheet};
use super::record::{Builder, Field, Record, Section, Val};
use super::schema::{self, FieldDef};
use super::write::{Form, Value, ValueOf, WriteError, cell_losses, csv_columns};
use super::write::{group_value, link_value, node_value, policy_value, rto_value};

/// The sheets of a workbook inventory: section, English name, Korean name.
const SHEETS: [(Section, &str, &str); 5] = [
    (Section::System, "systems", "시스템"),
    (Section::Link, "links", "연계"),
    (Section::Group, "groups", "그룹"),
    (Section::Policy, "policy", "정책"),
    (Section::Recovery, "recovery", "복구"),
];

/// The section a sheet name is for (English in any letter case, or Korean).
fn section_of(sheet: &str) -> Option<Section> {
    let name = sheet.trim().to_lowercase();
    SHEETS
        .iter()
        .find(|(_, en, ko)| name == *en || name == *ko)
        .map(|(s, _, _)| *s)
}

/// The column letters of 0-based column `c`: `A`, `Z`, `AA` …
pub(crate) fn column_letters(c: u32) -> String {
    let mut n = c as u64 + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The header of one sheet: the field of each column, and its letters.
struct SheetHeader {
    index: u32,
    columns: Vec<(&'static str, String)>,
}

/// Loads and validates an `.xlsx` workbook.
pub(crate) fn load_xlsx(path: &Path) -> Result<LoadOutcome, LoadError> {
    let mut wb: Xlsx<_> = open_workbook(path).map_err(|e| {
        LoadError::one(
            Diagnostic::new(path, 0, format!("cannot read the workbook: {e}"))
                .expected("an .xlsx workbook (Excel 2007 or later)"),
        )
    })?;
    let names = wb.sheet_names();
    let mut b = Builder::new(path);
    // The sheet of each section, in workbook order.
    let mut chosen: Vec<(Section, u32, String)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(section) = section_of(name) else {
            continue; // other sheets (notes, pivot tables) are the author's
        };
        if let Some((_, _, first)) = chosen.iter().find(|(s, _, _)| *s == section) {
            let d = sheet_diag(path, name, i as u32, None, 0)
                .expected("one sheet per table")
                .help(format!("the sheet `{first}` already holds this table"));
            b.push(Diagnostic {
                message: format!("a second sheet for the same table: `{name}`"),
                ..d
            });
            continue;
        }
        chosen.push((section, i as u32, name.clone()));
    }
    let mut missing = false;
    for (section, en, ko) in &SHEETS[..2] {
        if !chosen.iter().any(|(s, _, _)| s == section) {
            missing = true;
            b.error(0, format!("the workbook has no `{en}` (or `{ko}`) sheet"))
                .expected = Some(
                "sheets systems and links (or 시스템 and 연계), optionally groups and policy (그룹, 정책)"
                    .to_owned(),
            );
        }
    }
    if missing {
        return Err(LoadError {
            diagnostics: b.diags,
        });
    }
    let mut headers = Vec::new();
    for (section, index, name) in &chosen {
        let merged = wb.merge_cells_by_sheet_name(name).unwrap_or_default();
        let range = match wb.worksheet_range_ref(name) {
            Ok(r) => r,
            Err(e) => {
                b.push(
                    sheet_diag(path, name, *index, None, 0)
                        .expected("a worksheet")
                        .help(e.to_string()),
                );
                b.items.incomplete = true;
                continue;
            }
        };
        b.set_sheet(Some(Sheet {
            name: Arc::from(name.as_str()),
            index: *index,
        }));
        let columns = read_sheet(&range, &merged, *section, path, name, *index, &mut b);
        headers.push(SheetHeader {
            index: *index,
            columns,
        });
    }
    b.set_sheet(None);
    match finish(b.items, b.diags, path) {
        Ok(inventory) => Ok(LoadOutcome {
            inventory,
            warnings: Vec::new(),
        }),
        Err(mut e) => {
            // A diagnostic about a field of a row names that field's cell.
            for d in &mut e.diagnostics {
                let Some(cell) = &mut d.cell else { continue };
                if cell.column.is_some() {
                    continue;
                }
                let (Some(field), Some(h)) =
                    (&d.field, headers.iter().find(|h| h.index == cell.index))
                else {
                    continue;
                };
                if let Some((_, letters)) = h.columns.iter().find(|(f, _)| f == field) {
                    cell.column = Some(letters.clone());
                }
            }
            Err(e)
        }
    }
}

/// A problem at a cell (`column`), a row (`column` None) or the sheet (`row` 0).
fn sheet_diag(path: &Path, sheet: &str, index: u32, column: Option<u32>, row: usize) -> Diagnostic {
    let mut d = Diagnostic::new(path, row, "");
    d.cell = Some(SheetCell {
        sheet: sheet.to_owned(),
        index,
        column: column.map(column_letters),
    });
    d
}

/// A cell's value as text, or why it cannot be read.
enum CellText<'c> {
    Empty,
    Text(Cow<'c, str>),
    Refused(String, &'static str),
}

fn cell_text<'c>(cell: &'c DataRef<'_>) -> CellText<'c> {
    match cell {
        DataRef::Empty => CellText::Empty,
        DataRef::String(s) => CellText::Text(Cow::Borrowed(s.trim_ascii())),
        DataRef::SharedString(s) => CellText::Text(Cow::Borrowed(s.trim_ascii())),
        DataRef::Int(i) => CellText::Text(Cow::Owned(i.to_string())),
        DataRef::Float(f) => CellText::Text(Cow::Owned(number_text(*f))),
        DataRef::Bool(v) => CellText::Refused(
            format!("a TRUE/FALSE cell ({})", if *v { "TRUE" } else { "FALSE" }),
            "text or a number",
        ),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => {
            CellText::Refused(
                "a date or time cell".to_owned(),
                "text or a number; type a duration as text (30m, 4h, 1h30m) in a cell formatted as Text",
            )
        }
        DataRef::Error(e) => CellText::Refused(
            format!("the Excel error {e}"),
            "a value (fix the formula or the cell it refers to)",
        ),
    }
}

/// A number as a person typed it: `1234` (not `1234.0`), `0.5`.
fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Reads one sheet into the builder; returns the field of each header column.
fn read_sheet(
    range: &calamine::Range<DataRef<'_>>,
    merged: &[calamine::Dimensions],
    section: Section,
    path: &Path,
    sheet: &str,
    index: u32,
    b: &mut Builder<'_>,
) -> Vec<(&'static str, String)> {
    let known: &'static [FieldDef] = section.fields();
    let (row0, col0) = range.start().unwrap_or((0, 0));
    let at = |col: Option<u32>, row: usize| sheet_diag(path, sheet, index, col, row);
    // Merged cells hold one value for several cells: refused, and the rows they cover
    // below their first are skipped (their other cells would read as empty).
    let mut covered: Vec<(u32, u32)> = Vec::new();
    for m in merged {
        if m.start == m.end {
            continue;
        }
        let name = format!(
            "{}{}:{}{}",
            column_letters(m.start.1),
            m.start.0 + 1,
            column_letters(m.end.1),
            m.end.0 + 1
        );
        b.push(Diagnostic {
            message: format!("merged cells {name}"),
            expected: Some("one value per cell: unmerge the cells and fill in each one".to_owned()),
            ..at(Some(m.start.1), m.start.0 as usize + 1)
        });
        b.items.incomplete = true;
        if m.end.0 > m.start.0 {
            covered.push((m.start.0 + 1, m.end.0));
        }
    }
    let is_covered = |row: u32| covered.iter().any(|(a, z)| (*a..=*z).contains(&row));
    let blank = |cells: &[DataRef<'_>]| {
        cells.iter().all(|c| {
            matches!(cell_text(c), CellText::Empty)
                || matches!(cell_text(c), CellText::Text(ref t) if t.is_empty())
        })
    };
    let mut rows = range.rows().enumerate();
    // The header is the first row that is not blank.
    let Some((h, header_cells)) = rows.by_ref().find(|(_, cells)| !blank(cells)) else {
        b.push(Diagnostic {
            message: "the sheet is empty".to_owned(),
            expected: Some(format!("a header row: {}", schema::usual_header(known))),
            ..at(None, 0)
        });
        b.items.incomplete = true;
        return Vec::new();
    };
    let header_row = row0 as usize + h + 1;
    let mut header: Vec<Option<&'static str>> = Vec::new();
    // Columns whose header cell is empty: a value under one is reported (once a column).
    let mut headless: Vec<u32> = Vec::new();
    let mut letters = Vec::new();
    for (c, cell) in header_cells.iter().enumerate() {
        let col = col0 + c as u32;
        let name = match cell_text(cell) {
            CellText::Text(t) => t.into_owned(),
            CellText::Empty => String::new(),
            CellText::Refused(what, _) => what,
        };
        if name.is_empty() {
            header.push(None);
            headless.push(c as u32);
            continue;
        }
        match schema::by_header(known, &name) {
            Some(f) if !header.contains(&Some(f.name)) => {
                header.push(Some(f.name));
                letters.push((f.name, column_letters(col)));
            }
            Some(f) => {
                header.push(None);
                b.push(Diagnostic {
                    message: format!("column `{}` appears twice in the header", f.name),
                    expected: Some("each column once".to_owned()),
                    ..at(Some(col), header_row)
                });
            }
            None => {
                header.push(None);
                let names = known.iter().flat_map(|f| [f.name, f.korean]);
                let all: Vec<&str> = schema::names(known).collect();
                let ko: Vec<&str> = known.iter().map(|f| f.korean).collect();
                b.push(Diagnostic {
                    message: format!("unknown column `{}` in the header", echo(&name)),
                    expected: Some(format!(
                        "columns among {} (or {})",
                        all.join(","),
                        ko.join(",")
                    )),
                    help: did_you_mean(&name, names),
                    ..at(Some(col), header_row)
                });
            }
        }
    }
    let mut ok = true;
    for f in known.iter().filter(|f| f.required) {
        if !header.contains(&Some(f.name)) {
            ok = false;
            b.push(Diagnostic {
                message: format!("the header has no `{}` (or `{}`) column", f.name, f.korean),
                expected: Some(format!("a header row: {}", schema::usual_header(known))),
                ..at(None, header_row)
            });
        }
    }
    if !ok {
        b.items.incomplete = true;
        return letters;
    }
    b.reserve(section, range.height());
    // Each field's text; `None`: a cell already reported.
    let mut texts: Vec<(usize, &'static str, Option<Cow<'_, str>>)> =
        Vec::with_capacity(header.len());
    let mut reported: Vec<usize> = Vec::new();
    for (r, cells) in rows {
        let row = row0 + r as u32;
        let line = row as usize + 1;
        if is_covered(row) || blank(cells) {
            continue;
        }
        texts.clear();
        for (c, cell) in cells.iter().enumerate() {
            let col = col0 + c as u32;
            let name = header.get(c).copied().flatten();
            match (cell_text(cell), name) {
                (CellText::Empty, _) => {}
                (CellText::Text(t), _) if t.is_empty() => {}
                (CellText::Text(t), Some(name)) => texts.push((c, name, Some(t))),
                (CellText::Refused(what, expected), Some(name)) => {
                    b.push(Diagnostic {
                        message: format!("`{name}` is {what}"),
                        field: Some(name.to_owned()),
                        expected: Some(expected.to_owned()),
                        ..at(Some(col), line)
                    });
                    texts.push((c, name, None));
                }
                (_, None) if c >= header.len() || headless.contains(&(c as u32)) => {
                    // Once a column: the rest of it says the same.
                    if !reported.contains(&c) {
                        reported.push(c);
                        b.push(Diagnostic {
                            message: "a value in a column without a header".to_owned(),
                            expected: Some("a header above every column with values".to_owned()),
                            ..at(Some(col), line)
                        });
                    }
                }
                (_, None) => {}
            }
        }
        let fields: Vec<Field<'_>> = texts
            .iter()
            .map(|(_, name, t)| Field {
                name: Cow::Borrowed(*name),
                val: t.as_deref().map_or(Val::Reported, Val::Cell),
                line,
            })
            .collect();
        let section = match section {
            Section::System | Section::Site => {
                let is_site = fields.iter().any(|f| {
                    f.name == "kind"
                        && matches!(f.val, Val::Cell(c) if schema::keyword_of(schema::NODE, "kind", c) == "site")
                });
                if is_site {
                    Section::Site
                } else {
                    Section::System
                }
            }
            other => other,
        };
        b.add(&Record {
            section,
            line,
            fields,
            slots: None,
        });
    }
    letters
}

/// How a workbook is written.
#[derive(Debug, Clone, Default)]
pub struct XlsxOptions {
    /// English sheet names, headers and keywords (`systems`, `id`, `sync`) instead of the
    /// Korean ones (`시스템`, `시스템ID`, `실시간`), the default.
    pub english: bool,
}

/// Writes the inventory as an `.xlsx` workbook with Korean sheet names, headers and
/// keywords ([`write_xlsx_with`] for English).
pub fn write_xlsx(inv: &Inventory, path: &Path) -> Result<(), WriteError> {
    write_xlsx_with(inv, path, &XlsxOptions::default())
}

/// Writes the inventory as an `.xlsx` workbook: one sheet per table, a frozen header row,
/// column widths that fit, drop-down lists for the keyword columns. It loads back to the
/// same model. Refuses, before writing anything, values that a cell would change
/// (see [`super::csv_losses`]: a spreadsheet cell is read as a CSV cell is).
pub fn write_xlsx_with(inv: &Inventory, path: &Path, opts: &XlsxOptions) -> Result<(), WriteError> {
    let losses = cell_losses(inv, "XLSX");
    if !losses.is_empty() {
        return Err(WriteError::Lossy(losses));
    }
    let io = |e: rust_xlsxwriter::XlsxError| WriteError::Io(std::io::Error::other(e.to_string()));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let mut nodes: Vec<&Node> = inv.nodes.iter().collect();
    nodes.sort_by_key(|n| (n.kind != NodeKind::Site, n.id.as_str()));
    let links: Vec<&Link> = inv.links.iter().filter(|l| !l.from_sites).collect();
    let groups: Vec<_> = inv.groups.iter().filter(|g| !g.from_sites).collect();
    let policy: Vec<_> = inv.policy.iter().collect();
    add_sheet(&mut wb, 0, &nodes, schema::NODE, node_value, opts).map_err(io)?;
    add_sheet(&mut wb, 1, &links, schema::LINK, link_value, opts).map_err(io)?;
    add_sheet(&mut wb, 2, &groups, schema::GROUP, group_value, opts).map_err(io)?;
    if !policy.is_empty() {
        add_sheet(&mut wb, 3, &policy, schema::POLICY, policy_value, opts).map_err(io)?;
    }
    let rto: Vec<_> = inv.rto.iter().collect();
    if !rto.is_empty() {
        add_sheet(&mut wb, 4, &rto, schema::RECOVERY, rto_value, opts).map_err(io)?;
    }
    wb.save(path).map_err(io)
}

/// The display width of `s` in a spreadsheet column: wide (Hangul, CJK) characters count
/// twice.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn add_sheet<T>(
    wb: &mut rust_xlsxwriter::Workbook,
    sheet: usize,
    items: &[&T],
    fields: &'static [FieldDef],
    value: ValueOf<T>,
    opts: &XlsxOptions,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    let (_, en, ko) = SHEETS[sheet];
    let ws = wb.add_worksheet();
    ws.set_name(if opts.english { en } else { ko })?;
    let columns = csv_columns(items, fields, value);
    let bold = rust_xlsxwriter::Format::new()
        .set_bold()
        .set_background_color(rust_xlsxwriter::Color::RGB(0xDDEBF7));
    let defs: Vec<&FieldDef> = columns
        .iter()
        .filter_map(|name| schema::position(fields, name).and_then(|i| fields.get(i)))
        .collect();
    let mut widths: Vec<usize> = Vec::with_capacity(defs.len());
    for (c, f) in defs.iter().enumerate() {
        let head = if opts.english { f.name } else { f.korean };
        ws.write_string_with_format(0, c as u16, head, &bold)?;
        widths.push(width(head) + 2);
    }
    for (r, item) in items.iter().enumerate() {
        let row = r as u32 + 1;
        for (c, f) in defs.iter().enumerate() {
            let Some(v) = value(f.name, item, Form::Csv) else {
                continue;
            };
            let col = c as u16;
            match v {
                Value::Int(n) => {
                    ws.write_number(row, col, n as f64)?;
                }
                Value::Num(n) => {
                    ws.write_number(row, col, n)?;
                }
                other => {
                    let text = other.cell();
                    let text = if opts.english {
                        text
                    } else {
                        // A keyword is written as its Korean word.
                        match f.values.iter().find(|(e, _)| *e == text) {
                            Some((_, k)) => Cow::Borrowed(*k),
                            None => text,
                        }
                    };
                    // Sized on the first rows: a sheet of half a million rows needs no
                    // more to look right.
                    if r < 2000 {
                        widths[c] = widths[c].max(width(&text) + 2);
                    }
                    ws.write_string(row, col, text.as_ref())?;
                }
            }
        }
    }
    for (c, f) in defs.iter().enumerate() {
        ws.set_column_width(c as u16, widths[c].clamp(8, 60) as f64)?;
        if !f.values.is_empty() {
            let words: Vec<&str> = f
                .values
                .iter()
                .map(|(e, k)| if opts.english { *e } else { *k })
                .collect();
            let dv = rust_xlsxwriter::DataValidation::new().allow_list_strings(&words)?;
            ws.add_data_validation(1, c as u16, 1_048_575, c as u16, &dv)?;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_count_like_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn numbers_read_as_typed() {
        assert_eq!(number_text(1234.0), "1234");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(-3.0), "-3");
    }
}
