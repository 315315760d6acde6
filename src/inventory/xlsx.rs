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

use calamine::{DataRef, Reader, Xlsx, open_workbook};

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

/// A sheet chosen to be read: its section, position and name.
#[derive(Clone)]
struct Chosen {
    section: Section,
    index: u32,
    name: String,
}

type Workbook = Xlsx<std::io::BufReader<std::fs::File>>;

fn open(file: &Path, path: &Path) -> Result<Workbook, LoadError> {
    open_workbook(file).map_err(|e: calamine::XlsxError| {
        LoadError::one(
            Diagnostic::new(path, 0, format!("cannot read the workbook: {e}"))
                .keyed("diag-cannot-read-workbook", &[("error", &e.to_string())])
                .expected_keyed("diag-expected-workbook"),
        )
    })
}

/// Whether any worksheet of the workbook has merged cells: a look for `mergeCell` in each
/// sheet's XML, much cheaper than calamine's parse of every sheet for its merged ranges.
fn has_merged_cells(path: &Path) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return true;
    };
    let Ok(mut zip) = zip::ZipArchive::new(std::io::BufReader::new(file)) else {
        return true;
    };
    let finder = memchr::memmem::Finder::new(b"mergeCell");
    let mut xml = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut entry) = zip.by_index(i) else {
            return true;
        };
        let is_sheet = entry
            .name()
            .is_ok_and(|n| n.starts_with("xl/worksheets/") && n.ends_with(".xml"));
        if !is_sheet {
            continue;
        }
        xml.clear();
        if std::io::Read::read_to_end(&mut entry, &mut xml).is_err() || finder.find(&xml).is_some()
        {
            return true;
        }
    }
    false
}

/// Loads and validates an `.xlsx` workbook.
pub(crate) fn load_xlsx(path: &Path) -> Result<LoadOutcome, LoadError> {
    load_xlsx_named(path, path)
}

/// Loads and validates the `.xlsx` workbook in `file`, named `path` in diagnostics and
/// origins (a copy of standard input is read from a temporary file).
pub(crate) fn load_xlsx_named(file: &Path, path: &Path) -> Result<LoadOutcome, LoadError> {
    // A second handle on the workbook, opened (its shared strings parsed) alongside the
    // first: its thread parses the links sheet, by far the largest.
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| open(file, path));
        let first = open(file, path);
        (first, second.join())
    });
    let mut wb = first?;
    let mut wb2 = match second {
        Ok(wb2) => wb2?,
        Err(_) => {
            return Err(LoadError::one(Diagnostic::new(
                path,
                0,
                "the workbook could not be opened",
            )));
        }
    };
    let names = wb.sheet_names();
    let mut b = Builder::new(path);
    // The sheet of each section, in workbook order.
    let mut chosen: Vec<Chosen> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(section) = section_of(name) else {
            continue; // other sheets (notes, pivot tables) are the author's
        };
        if let Some(first) = chosen.iter().find(|c| c.section == section) {
            let d = sheet_diag(path, name, i as u32, None, 0)
                .expected("one sheet per table")
                .help(format!(
                    "the sheet `{}` already holds this table",
                    first.name
                ));
            b.push(Diagnostic {
                message: format!("a second sheet for the same table: `{name}`"),
                ..d
            });
            continue;
        }
        chosen.push(Chosen {
            section,
            index: i as u32,
            name: name.clone(),
        });
    }
    let mut missing = false;
    for (section, en, ko) in &SHEETS[..2] {
        if !chosen.iter().any(|c| c.section == *section) {
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
    // The links sheet is parsed on a second thread while this one reads the other sheets,
    // looks for merged cells, and reads the parsed links rows into records.
    let (links, others): (Vec<Chosen>, Vec<Chosen>) = chosen
        .iter()
        .cloned()
        .partition(|c| c.section == Section::Link);
    let mut part = b.fork();
    let (headers, merged) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        let wb2 = &mut wb2;
        let link_names: Vec<String> = links.iter().map(|c| c.name.clone()).collect();
        // One links sheet at most (a second was refused above).
        let parser = scope.spawn(move || {
            if let Some(name) = link_names.first() {
                send_rows(wb2, name, &tx);
            }
        });
        let mut headers: Vec<SheetHeader> = others
            .iter()
            .map(|c| read_sheet(&mut wb, c, path, &mut b))
            .collect();
        // calamine parses a whole sheet again for its merged ranges: only when a sheet has
        // any at all.
        let merged: Vec<(u32, Vec<calamine::Dimensions>)> = if has_merged_cells(file) {
            chosen
                .iter()
                .map(|c| {
                    let m = wb.merge_cells_by_sheet_name(&c.name).unwrap_or_default();
                    (c.index, m)
                })
                .collect()
        } else {
            Vec::new()
        };
        if let Some(c) = links.first() {
            headers.push(read_sent_rows(rx, c, path, &mut part));
        }
        if parser.join().is_err() {
            part.push(Diagnostic::new(
                path,
                0,
                "the links sheet could not be read",
            ));
        }
        (headers, merged)
    });
    for (index, ranges) in &merged {
        if let Some(c) = chosen.iter().find(|c| c.index == *index) {
            refuse_merged(c, ranges, path, &mut b, &mut part);
        }
    }
    b.append(part);
    b.set_sheet(None);
    match finish(b.items, b.diags, path) {
        Ok(outcome) => Ok(outcome),
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

/// Refuses the merged ranges of sheet `c`, found after its rows were read: a merged cell
/// holds one value for several cells, so the problems found in the rows below the first
/// of each range (their cells read as empty) are dropped, and references are not checked.
fn refuse_merged<'f>(
    c: &Chosen,
    ranges: &[calamine::Dimensions],
    path: &Path,
    b: &mut Builder<'f>,
    part: &mut Builder<'f>,
) {
    let ranges: Vec<&calamine::Dimensions> = ranges.iter().filter(|m| m.start != m.end).collect();
    if ranges.is_empty() {
        return;
    }
    // 1-based rows below the first of each range.
    let covered = |line: usize| {
        ranges
            .iter()
            .any(|m| line > m.start.0 as usize + 1 && line <= m.end.0 as usize + 1)
    };
    for builder in [&mut *b, &mut *part] {
        builder.diags.retain(|d| {
            !(d.cell.as_ref().is_some_and(|cell| cell.index == c.index)
                && d.line.is_some_and(covered))
        });
    }
    for m in ranges {
        let range = format!(
            "{}{}:{}{}",
            column_letters(m.start.1),
            m.start.0 + 1,
            column_letters(m.end.1),
            m.end.0 + 1
        );
        b.push(Diagnostic {
            message: format!("merged cells {range}"),
            expected: Some("one value per cell: unmerge the cells and fill in each one".to_owned()),
            ..sheet_diag(
                path,
                &c.name,
                c.index,
                Some(m.start.1),
                m.start.0 as usize + 1,
            )
        });
    }
    b.items.incomplete = true;
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

/// Whether a cell holds nothing (or only spaces).
fn is_blank(cell: &DataRef<'_>) -> bool {
    match cell {
        DataRef::Empty => true,
        DataRef::String(s) => s.trim_ascii().is_empty(),
        DataRef::SharedString(s) => s.trim_ascii().is_empty(),
        _ => false,
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

/// Reads one sheet into the builder, its cells streamed row by row; returns the field of
/// each header column.
fn read_sheet(wb: &mut Workbook, c: &Chosen, path: &Path, b: &mut Builder<'_>) -> SheetHeader {
    start_sheet(c, b);
    let mut sheet = SheetReader::new(c, path);
    if let Err(e) = cell_rows(wb, &c.name, |r, cells| sheet.row(r, cells, b)) {
        sheet.unreadable(&e, b);
    }
    sheet.end(b)
}

/// Points the builder at sheet `c`.
fn start_sheet(c: &Chosen, b: &mut Builder<'_>) {
    b.set_sheet(Some(Arc::new(Sheet {
        name: Arc::from(c.name.as_str()),
        index: c.index,
    })));
}

/// Rows of a sheet parsed on one thread, for another to read.
type RowBatch<'a> = Vec<(u32, Vec<(u32, DataRef<'a>)>)>;

/// What the parsing thread sends: rows, or why the sheet cannot be read.
enum Parsed<'a> {
    Rows(RowBatch<'a>),
    Failed(String),
}

/// Parses sheet `name` and sends its rows in batches (the parsing thread's side of the
/// links sheet: the rows are read into records on the other thread meanwhile).
fn send_rows<'a>(wb: &'a mut Workbook, name: &str, tx: &std::sync::mpsc::Sender<Parsed<'a>>) {
    const BATCH: usize = 4096;
    let mut batch: RowBatch<'a> = Vec::with_capacity(BATCH);
    let result = cell_rows(wb, name, |r, cells| {
        batch.push((r, cells.to_vec()));
        if batch.len() == BATCH {
            // A closed receiver only means the reader stopped: nothing to report.
            let _ = tx.send(Parsed::Rows(std::mem::replace(
                &mut batch,
                Vec::with_capacity(BATCH),
            )));
        }
    });
    let _ = tx.send(Parsed::Rows(batch));
    if let Err(e) = result {
        let _ = tx.send(Parsed::Failed(e));
    }
}

/// Reads the rows sent by [`send_rows`] into the builder.
fn read_sent_rows(
    rx: std::sync::mpsc::Receiver<Parsed<'_>>,
    c: &Chosen,
    path: &Path,
    b: &mut Builder<'_>,
) -> SheetHeader {
    start_sheet(c, b);
    let mut sheet = SheetReader::new(c, path);
    for msg in rx {
        match msg {
            Parsed::Rows(rows) => {
                for (r, cells) in &rows {
                    sheet.row(*r, cells, b);
                }
            }
            Parsed::Failed(e) => sheet.unreadable(&e, b),
        }
    }
    sheet.end(b)
}

/// Streams the cells of sheet `name` and calls `row(row, cells)` for each row (0-based
/// row; cells by 0-based column, in order). `Err`: why the sheet cannot be read (the rows
/// before the fault were given).
fn cell_rows<'a>(
    wb: &'a mut Workbook,
    name: &str,
    mut row_fn: impl FnMut(u32, &[(u32, DataRef<'a>)]),
) -> Result<(), String> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    let mut cells: Vec<(u32, DataRef<'a>)> = Vec::new();
    let mut row = None;
    let result = loop {
        match reader.next_cell() {
            Ok(Some(cell)) => {
                let (r, col) = cell.get_position();
                if row != Some(r) {
                    if let Some(done) = row {
                        row_fn(done, &cells);
                    }
                    cells.clear();
                    row = Some(r);
                }
                cells.push((col, cell.get_value().clone()));
            }
            Ok(None) => break Ok(()),
            Err(e) => break Err(e.to_string()),
        }
    };
    if let Some(done) = row {
        row_fn(done, &cells);
    }
    result
}

/// What reading one sheet keeps from row to row.
struct SheetReader<'c, 'p> {
    c: &'c Chosen,
    path: &'p Path,
    known: &'static [FieldDef],
    /// The field of each column (by 0-based column), once the header is read.
    header: Option<Vec<Option<&'static str>>>,
    /// The header has every required column: the rows can be read.
    readable: bool,
    /// Columns whose header cell is empty: a value under one is reported (once a column).
    headless: Vec<u32>,
    /// Columns already reported for a value without a header.
    reported: Vec<u32>,
    /// The field and letters of each header column.
    letters: Vec<(&'static str, String)>,
}

impl<'c, 'p> SheetReader<'c, 'p> {
    /// Starts a sheet.
    fn new(c: &'c Chosen, path: &'p Path) -> Self {
        SheetReader {
            c,
            path,
            known: c.section.fields(),
            header: None,
            readable: false,
            headless: Vec::new(),
            reported: Vec::new(),
            letters: Vec::new(),
        }
    }

    fn at(&self, col: Option<u32>, row: usize) -> Diagnostic {
        sheet_diag(self.path, &self.c.name, self.c.index, col, row)
    }

    /// One row (0-based) with its cells (0-based columns, in order).
    fn row(&mut self, row: u32, cells: &[(u32, DataRef<'_>)], b: &mut Builder<'_>) {
        if cells.iter().all(|(_, c)| is_blank(c)) {
            return;
        }
        let line = row as usize + 1;
        let Some(header) = &self.header else {
            self.read_header(line, cells, b);
            return;
        };
        if !self.readable {
            return;
        }
        // Each field's text; `None`: a cell already reported.
        let mut texts: Vec<(&'static str, Option<Cow<'_, str>>)> = Vec::with_capacity(cells.len());
        let mut stray = Vec::new();
        for (col, cell) in cells {
            let name = header.get(*col as usize).copied().flatten();
            match (cell_text(cell), name) {
                (CellText::Empty, _) => {}
                (CellText::Text(t), _) if t.is_empty() => {}
                (CellText::Text(t), Some(name)) => texts.push((name, Some(t))),
                (CellText::Refused(what, expected), Some(name)) => {
                    b.push(Diagnostic {
                        message: format!("`{name}` is {what}"),
                        field: Some(name.to_owned()),
                        expected: Some(expected.to_owned()),
                        ..self.at(Some(*col), line)
                    });
                    texts.push((name, None));
                }
                (_, None) if *col as usize >= header.len() || self.headless.contains(col) => {
                    stray.push(*col);
                }
                (_, None) => {} // under an unknown or repeated column, reported with the header
            }
        }
        for col in stray {
            // Once a column: the rest of it says the same.
            if !self.reported.contains(&col) {
                self.reported.push(col);
                b.push(Diagnostic {
                    message: "a value in a column without a header".to_owned(),
                    expected: Some("a header above every column with values".to_owned()),
                    ..self.at(Some(col), line)
                });
            }
        }
        // The header names each known field once: the record carries where each field is.
        let mut slots = [0u32; 16];
        let fields: Vec<Field<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, (name, t))| {
                if let Some(slot) =
                    schema::position(self.known, name).and_then(|p| slots.get_mut(p))
                {
                    *slot = i as u32 + 1;
                }
                Field {
                    name: Cow::Borrowed(*name),
                    val: t.as_deref().map_or(Val::Reported, Val::Cell),
                    line,
                }
            })
            .collect();
        let section = match self.c.section {
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
            slots: Some(slots),
        });
    }

    /// The header row: each column's field, in English or Korean.
    fn read_header(&mut self, line: usize, cells: &[(u32, DataRef<'_>)], b: &mut Builder<'_>) {
        let known = self.known;
        let mut header: Vec<Option<&'static str>> = Vec::new();
        for (col, cell) in cells {
            let name = match cell_text(cell) {
                CellText::Text(t) => t.into_owned(),
                CellText::Empty => String::new(),
                CellText::Refused(what, _) => what,
            };
            let at = *col as usize;
            if header.len() <= at {
                // Columns skipped by the sheet (no cell at all) have no header.
                for missing in header.len() as u32..*col {
                    self.headless.push(missing);
                }
                header.resize(at + 1, None);
            }
            if name.is_empty() {
                self.headless.push(*col);
                continue;
            }
            match schema::by_header(known, &name) {
                Some(f) if !header.contains(&Some(f.name)) => {
                    header[at] = Some(f.name);
                    self.letters.push((f.name, column_letters(*col)));
                }
                Some(f) => b.push(Diagnostic {
                    message: format!("column `{}` appears twice in the header", f.name),
                    expected: Some("each column once".to_owned()),
                    ..self.at(Some(*col), line)
                }),
                None => {
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
                        ..self.at(Some(*col), line)
                    });
                }
            }
        }
        self.readable = true;
        for f in known.iter().filter(|f| f.required) {
            if !header.contains(&Some(f.name)) {
                self.readable = false;
                b.push(Diagnostic {
                    message: format!("the header has no `{}` (or `{}`) column", f.name, f.korean),
                    expected: Some(format!("a header row: {}", schema::usual_header(known))),
                    ..self.at(None, line)
                });
            }
        }
        if !self.readable {
            b.items.incomplete = true;
        }
        self.header = Some(header);
    }

    /// The sheet (or the rest of it) cannot be read.
    fn unreadable(&mut self, why: &str, b: &mut Builder<'_>) {
        b.push(Diagnostic {
            message: format!("the sheet cannot be read: {why}"),
            expected: Some("a worksheet as Excel writes it".to_owned()),
            ..self.at(None, 0)
        });
        b.items.incomplete = true;
        // Reported: not also as an empty sheet.
        self.header.get_or_insert_with(Vec::new);
    }

    /// The end of the sheet: an empty sheet is reported; returns its header.
    fn end(self, b: &mut Builder<'_>) -> SheetHeader {
        if self.header.is_none() {
            b.push(Diagnostic {
                message: "the sheet is empty".to_owned(),
                expected: Some(format!(
                    "a header row: {}",
                    schema::usual_header(self.known)
                )),
                ..self.at(None, 0)
            });
            b.items.incomplete = true;
        }
        SheetHeader {
            index: self.c.index,
            columns: self.letters,
        }
    }
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
    let bytes = xlsx_bytes(inv, opts)?;
    std::fs::write(path, bytes).map_err(WriteError::Io)
}

/// The workbook of [`write_xlsx_with`] as bytes, for a caller that writes it elsewhere
/// (standard output, a temporary file renamed into place).
pub fn xlsx_bytes(inv: &Inventory, opts: &XlsxOptions) -> Result<Vec<u8>, WriteError> {
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
    wb.save_to_buffer().map_err(io)
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
