//! The three inventory forms (TOML, JSON, CSV directory) read into format-neutral records.

use std::borrow::Cow;
use std::collections::HashMap;

use jsonc_parser::ast::{ObjectPropName, Value as JValue};
use rayon::prelude::*;
use toml::de::{DeTable, DeValue};

use super::diag::{did_you_mean, echo};
use super::record::{Builder, Field, PlainColumns, Record, Section, Val};
use super::schema;

/// Maps byte offsets to 1-based line numbers.
pub(crate) struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    pub(crate) fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

const SECTIONS: &[&str] = &["system", "site", "link", "group"];

fn section_of(key: &str) -> Option<Section> {
    match key {
        "system" => Some(Section::System),
        "site" => Some(Section::Site),
        "link" => Some(Section::Link),
        "group" => Some(Section::Group),
        _ => None,
    }
}

/// The key of the policy table (TOML `[policy]`, JSON `"policy": {…}`).
const POLICY: &str = "policy";

/// One `rule = severity` entry of a policy table, read as a record like a `policy.csv` row.
fn policy_record<'a>(b: &mut Builder<'_>, rule: &'a str, severity: Val<'a>, line: usize) {
    b.add(&Record {
        section: Section::Policy,
        line,
        fields: vec![
            Field {
                name: Cow::Borrowed("rule"),
                val: Val::Str(Cow::Borrowed(rule)),
                line,
            },
            Field {
                name: Cow::Borrowed("severity"),
                val: severity,
                line,
            },
        ],
        slots: None,
    });
}

/// The key of the recovery table (TOML `[recovery]`, JSON `"recovery": {…}`), whose
/// `rto` maps grades to recovery-time targets.
const RECOVERY: &str = "recovery";
/// What a recovery table looks like.
const RECOVERY_SHAPE: &str =
    "a [recovery] table with rto = { \"1\" = \"3h\", \"2\" = \"24h\" } (grade = duration)";

/// One `grade = duration` entry of a recovery table's `rto`, read as a record like a
/// `recovery.csv` row.
fn rto_record<'a>(b: &mut Builder<'_>, grade: &'a str, rto: Val<'a>, line: usize) {
    b.add(&Record {
        section: Section::Recovery,
        line,
        fields: vec![
            Field {
                name: Cow::Borrowed("grade"),
                val: Val::Cell(grade),
                line,
            },
            Field {
                name: Cow::Borrowed("rto"),
                val: rto,
                line,
            },
        ],
        slots: None,
    });
}

/// A key of a recovery table other than `rto`.
fn unknown_recovery_key(b: &mut Builder<'_>, line: usize, key: &str) {
    let d = b.error(
        line,
        format!("unknown key `{}` in the recovery table", echo(key)),
    );
    d.expected = Some(RECOVERY_SHAPE.to_owned());
    d.help = did_you_mean(key, ["rto"]);
}

fn unknown_section(b: &mut Builder<'_>, line: usize, key: &str, form: &str) {
    let hint = did_you_mean(key, SECTIONS.iter().copied());
    let d = b.error(line, format!("unknown section `{}`", echo(key)));
    d.expected = Some(format!("{form} named system, site, link or group"));
    d.help = hint;
}

/// Reads a TOML inventory.
pub(crate) fn read_toml(text: &str, b: &mut Builder<'_>) {
    let lines = LineIndex::new(text);
    let (doc, errors) = DeTable::parse_recoverable(text);
    if !errors.is_empty() {
        for e in errors {
            let msg = e.message().trim().to_owned();
            // The parser gives up on nesting too deep without saying where: the line
            // that nests deepest is where to look.
            let line = e
                .span()
                .map_or_else(|| deepest_line(text), |s| lines.line(s.start));
            b.error(line, format!("malformed TOML: {msg}")).expected =
                Some("valid TOML (https://toml.io)".to_owned());
        }
        // A recovered document is partial: checking its structure would only add noise.
        return;
    }
    for (key, value) in doc.get_ref() {
        let key_line = lines.line(key.span().start);
        if key.get_ref() == POLICY {
            let DeValue::Table(t) = value.get_ref() else {
                b.error(key_line, "`policy` is not a table").expected = Some(
                    "a [policy] table: rule id = \"error\", \"warning\" or \"off\"".to_owned(),
                );
                continue;
            };
            for (k, v) in t.iter() {
                let line = lines.line(k.span().start);
                policy_record(b, k.get_ref().as_ref(), toml_val(v.get_ref(), &lines), line);
            }
            continue;
        }
        if key.get_ref() == RECOVERY {
            let DeValue::Table(t) = value.get_ref() else {
                b.error(key_line, "`recovery` is not a table").expected =
                    Some(RECOVERY_SHAPE.to_owned());
                continue;
            };
            for (k, v) in t.iter() {
                let line = lines.line(k.span().start);
                if k.get_ref() != "rto" {
                    unknown_recovery_key(b, line, k.get_ref());
                    continue;
                }
                let DeValue::Table(targets) = v.get_ref() else {
                    b.error(line, "`rto` is not a table").expected =
                        Some(RECOVERY_SHAPE.to_owned());
                    continue;
                };
                for (g, d) in targets.iter() {
                    let line = lines.line(g.span().start);
                    rto_record(b, g.get_ref().as_ref(), toml_val(d.get_ref(), &lines), line);
                }
            }
            continue;
        }
        let Some(section) = section_of(key.get_ref()) else {
            unknown_section(b, key_line, key.get_ref(), "[[tables]]");
            continue;
        };
        let DeValue::Array(tables) = value.get_ref() else {
            let d = b.error(
                key_line,
                format!("`{}` is not a list of tables", key.get_ref()),
            );
            d.expected = Some(format!("[[{}]] tables", key.get_ref()));
            continue;
        };
        for table in tables {
            let line = lines.line(table.span().start);
            let DeValue::Table(t) = table.get_ref() else {
                b.error(
                    line,
                    format!("an entry of `{}` is not a table", key.get_ref()),
                )
                .expected = Some(format!("[[{}]] tables", key.get_ref()));
                continue;
            };
            let fields = t
                .iter()
                .map(|(k, v)| Field {
                    name: Cow::Borrowed(k.get_ref().as_ref()),
                    val: toml_val(v.get_ref(), &lines),
                    line: lines.line(k.span().start),
                })
                .collect();
            b.add(&Record {
                section,
                line,
                fields,
                slots: None,
            });
        }
    }
}

/// The 1-based line with the most dots, brackets and braces: where a document nests
/// deepest (a dotted key of thousands of parts, an array of arrays of arrays …).
fn deepest_line(text: &str) -> usize {
    text.lines()
        .enumerate()
        .max_by_key(|(i, l)| {
            let depth = l
                .bytes()
                .filter(|b| matches!(b, b'.' | b'[' | b'{'))
                .count();
            (depth, std::cmp::Reverse(*i))
        })
        .map_or(1, |(i, _)| i + 1)
}

fn toml_val<'a>(v: &'a DeValue<'a>, lines: &LineIndex) -> Val<'a> {
    match v {
        DeValue::String(s) => Val::Str(Cow::Borrowed(s.as_ref())),
        DeValue::Integer(i) => Val::Int(
            i64::from_str_radix(i.as_str(), i.radix()).ok(),
            Cow::Borrowed(i.as_str()),
        ),
        DeValue::Float(f) => Val::Float(Cow::Borrowed(f.as_str())),
        DeValue::Boolean(_) => Val::Other("a boolean"),
        DeValue::Datetime(_) => Val::Other("a date-time"),
        DeValue::Table(_) => Val::Other("a table"),
        DeValue::Array(items) => Val::List(
            items
                .iter()
                .map(|x| (toml_val(x.get_ref(), lines), lines.line(x.span().start)))
                .collect(),
        ),
    }
}

/// Reads a JSON inventory: an object with the same keys as the TOML form.
pub(crate) fn read_json(text: &str, b: &mut Builder<'_>) {
    let lines = LineIndex::new(text);
    // Strict JSON: a machine-written file with comments or trailing commas is a bug upstream.
    let strict = jsonc_parser::ParseOptions {
        allow_comments: false,
        allow_loose_object_property_names: false,
        allow_trailing_commas: false,
        allow_missing_commas: false,
        allow_single_quoted_strings: false,
        allow_hexadecimal_numbers: false,
        allow_unary_plus_numbers: false,
        allow_bare_decimal_point_numbers: false,
        allow_non_finite_numbers: false,
        allow_extended_string_escapes: false,
    };
    let parsed = match jsonc_parser::parse_to_ast(text, &Default::default(), &strict) {
        Ok(p) => p,
        Err(e) => {
            b.error(e.line_display(), format!("malformed JSON: {}", e.kind()))
                .expected = Some("valid JSON (RFC 8259)".to_owned());
            return;
        }
    };
    let Some(JValue::Object(root)) = parsed.value else {
        b.error(1, "the JSON document is not an object").expected =
            Some("an object with the keys system, site, link, group".to_owned());
        return;
    };
    for prop in &root.properties {
        let key = prop.name.as_str();
        let key_line = lines.line(prop.range.start);
        // The schema an editor validates the file against (schemas/inventory.json).
        if key == "$schema" && matches!(prop.value, JValue::StringLit(_)) {
            continue;
        }
        if key == POLICY {
            let JValue::Object(obj) = &prop.value else {
                b.error(key_line, "`policy` is not an object").expected =
                    Some("an object: rule id -> \"error\", \"warning\" or \"off\"".to_owned());
                continue;
            };
            for p in &obj.properties {
                let rule = match &p.name {
                    ObjectPropName::String(s) => s.value.as_ref(),
                    ObjectPropName::Word(w) => w.value,
                };
                let line = lines.line(p.range.start);
                policy_record(b, rule, json_val(&p.value, &lines), line);
            }
            continue;
        }
        if key == RECOVERY {
            let JValue::Object(obj) = &prop.value else {
                b.error(key_line, "`recovery` is not an object").expected =
                    Some("an object: {\"rto\": {\"1\": \"3h\"}} (grade -> duration)".to_owned());
                continue;
            };
            for p in &obj.properties {
                let name = match &p.name {
                    ObjectPropName::String(s) => s.value.as_ref(),
                    ObjectPropName::Word(w) => w.value,
                };
                let line = lines.line(p.range.start);
                if name != "rto" {
                    unknown_recovery_key(b, line, name);
                    continue;
                }
                let JValue::Object(targets) = &p.value else {
                    b.error(line, "`rto` is not an object").expected =
                        Some("an object: grade -> duration, e.g. {\"1\": \"3h\"}".to_owned());
                    continue;
                };
                for t in &targets.properties {
                    let grade = match &t.name {
                        ObjectPropName::String(s) => s.value.as_ref(),
                        ObjectPropName::Word(w) => w.value,
                    };
                    let line = lines.line(t.range.start);
                    rto_record(b, grade, json_val(&t.value, &lines), line);
                }
            }
            continue;
        }
        let Some(section) = section_of(key) else {
            unknown_section(b, key_line, key, "arrays");
            continue;
        };
        let JValue::Array(items) = &prop.value else {
            b.error(key_line, format!("`{key}` is not an array"))
                .expected = Some(format!("an array of {key} objects"));
            continue;
        };
        for item in &items.elements {
            let line = lines.line(json_start(item));
            let JValue::Object(obj) = item else {
                b.error(line, format!("an entry of `{key}` is not an object"))
                    .expected = Some(format!("{key} objects"));
                continue;
            };
            let fields = obj
                .properties
                .iter()
                // `null` means "not given": machine exports write it for empty optional fields.
                .filter(|p| !matches!(p.value, JValue::NullKeyword(_)))
                .map(|p| Field {
                    name: Cow::Borrowed(match &p.name {
                        ObjectPropName::String(s) => s.value.as_ref(),
                        ObjectPropName::Word(w) => w.value,
                    }),
                    val: json_val(&p.value, &lines),
                    line: lines.line(p.range.start),
                })
                .collect();
            b.add(&Record {
                section,
                line,
                fields,
                slots: None,
            });
        }
    }
}

fn json_start(v: &JValue<'_>) -> usize {
    match v {
        JValue::StringLit(x) => x.range.start,
        JValue::NumberLit(x) => x.range.start,
        JValue::BooleanLit(x) => x.range.start,
        JValue::Object(x) => x.range.start,
        JValue::Array(x) => x.range.start,
        JValue::NullKeyword(x) => x.range.start,
    }
}

fn json_val<'a>(v: &'a JValue<'a>, lines: &LineIndex) -> Val<'a> {
    match v {
        JValue::StringLit(s) => Val::Str(Cow::Borrowed(s.value.as_ref())),
        JValue::NumberLit(n) => Val::Int(n.value.parse().ok(), Cow::Borrowed(n.value)),
        JValue::BooleanLit(_) => Val::Other("a boolean"),
        JValue::NullKeyword(_) => Val::Other("null"),
        JValue::Object(_) => Val::Other("an object"),
        JValue::Array(a) => Val::List(
            a.elements
                .iter()
                .map(|x| (json_val(x, lines), lines.line(json_start(x))))
                .collect(),
        ),
    }
}

/// Reads one CSV file of a directory inventory. `section` is `System` for `systems.csv`
/// (rows with kind `site` become sites), `Link` or `Group`.
///
/// Rows with a bad cell or the wrong number of fields are reported and, where their
/// identifying fields are intact, still read, so that the links to a node whose *name* is
/// broken do not add false `unknown node id` errors. Where a row or the file cannot be
/// read at all, the builder is marked incomplete, which silences the unknown-id checks.
pub(crate) fn read_csv(bytes: &[u8], section: Section, b: &mut Builder<'_>) {
    read_csv_with(bytes, section, true, b);
}

/// [`read_csv`], with the quote-free fast path allowed or not (`fast`): both read the same.
pub(crate) fn read_csv_with(bytes: &[u8], section: Section, fast: bool, b: &mut Builder<'_>) {
    let required: Vec<&'static str> = section
        .fields()
        .iter()
        .filter(|f| f.required)
        .map(|f| f.name)
        .collect();
    let required = required.as_slice();
    // The csv reader accepts `\n`, `\r\n` and a lone `\r` as row ends; so do these lines.
    let lines = CsvLines::new(bytes);
    if let Some(open) = unterminated_quote(bytes) {
        let line = lines.line(open);
        b.error(
            line,
            format!("malformed CSV: the quote opened on line {line} is never closed"),
        )
        .expected =
            Some("RFC 4180 CSV: a quoted cell ends with a quote (\"\" inside it)".to_owned());
        b.items.incomplete = true;
        return;
    }
    // The header is the first non-blank line; the csv reader skips blank lines too.
    let Some(header_end) = first_row_end(bytes) else {
        b.error(1, "the file is empty").expected = Some(format!(
            "a header row: {}",
            schema::usual_header(section.fields())
        ));
        return;
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes.get(..header_end).unwrap_or(bytes));
    let mut row = csv::ByteRecord::new();
    let header = match rdr.read_byte_record(&mut row) {
        Ok(true) => {
            let line = row.position().map_or(1, |p| lines.line(p.byte() as usize));
            csv_header(&row, section, required, line, b)
        }
        Ok(false) | Err(_) => None,
    };
    let Some(header) = header else {
        b.items.incomplete = true;
        return;
    };
    let table = Table {
        header: &header,
        section,
        required,
        fast,
    };
    let body = bytes.get(header_end..).unwrap_or_default();
    let rows = |from: usize, to: usize| lines.count(from, to);
    let chunks = split_rows(body, header_end);
    if chunks.len() <= 1 {
        b.reserve(section, rows(header_end, bytes.len()));
        read_rows(body, header_end, &table, &lines, b);
        return;
    }
    // A large file without quotes splits at line ends into independent pieces: read them
    // side by side, each into its own builder, and append the results in file order. The
    // first piece's builder makes room for every row, so the others append in place.
    let parts: Vec<Builder<'_>> = chunks
        .par_iter()
        .enumerate()
        .map(|(k, &(start, end))| {
            let mut part = b.fork();
            let piece = bytes.get(start..end).unwrap_or_default();
            part.reserve(section, rows(start, if k == 0 { bytes.len() } else { end }));
            read_rows(piece, start, &table, &lines, &mut part);
            part
        })
        .collect();
    for part in parts {
        b.append(part);
    }
}

/// The end of the first non-blank line (after its line end), if the file has one.
fn first_row_end(bytes: &[u8]) -> Option<usize> {
    let mut start = 0;
    loop {
        let rest = bytes.get(start..)?;
        let end = memchr::memchr2(b'\n', b'\r', rest).map_or(bytes.len(), |i| start + i);
        if bytes
            .get(start..end)
            .is_some_and(|l| !l.trim_ascii().is_empty())
        {
            let mut after = end;
            if bytes.get(after) == Some(&b'\r') {
                after += 1;
            }
            if bytes.get(after) == Some(&b'\n') {
                after += 1;
            }
            return Some(after);
        }
        if end >= bytes.len() {
            return None;
        }
        start = end + 1;
    }
}

/// Splits the rows after the header into pieces of at least a megabyte that end at
/// line ends, as `(start, end)` offsets in the file; one piece when the rows hold a quote
/// (a quoted cell may span lines) or are small.
fn split_rows(body: &[u8], offset: usize) -> Vec<(usize, usize)> {
    const MIN_PIECE: usize = 1 << 20;
    // Four pieces a core: the pieces after the first are appended to it one by one, each
    // freed once appended, so a smaller piece is less memory held twice at the peak.
    let pieces = match rayon::current_num_threads() {
        0 | 1 => 1,
        cores => (cores * 4).min(body.len() / MIN_PIECE),
    };
    if pieces <= 1 || memchr::memchr(b'"', body).is_some() {
        return vec![(offset, offset + body.len())];
    }
    let mut out = Vec::with_capacity(pieces);
    let mut start = 0;
    for k in 1..pieces {
        let target = (body.len() * k / pieces).max(start);
        let Some(nl) = body.get(target..).and_then(|r| memchr::memchr(b'\n', r)) else {
            break;
        };
        let end = target + nl + 1;
        out.push((offset + start, offset + end));
        start = end;
    }
    out.push((offset + start, offset + body.len()));
    out
}

/// How the rows of one CSV file are read.
#[derive(Clone, Copy)]
struct Table<'h> {
    /// The known field of each column (`None`: skipped).
    header: &'h [Option<&'static str>],
    section: Section,
    /// The required fields.
    required: &'h [&'static str],
    /// Whether rows without quotes may take the fast path.
    fast: bool,
}

/// Reads the data rows in `piece`, which starts at `offset` in the file.
fn read_rows(
    piece: &[u8],
    offset: usize,
    table: &Table<'_>,
    lines: &CsvLines<'_>,
    b: &mut Builder<'_>,
) {
    let Table {
        header,
        section,
        required,
        fast,
    } = *table;
    let known = section.fields();
    let mut rows = Rows {
        header,
        columns: header
            .iter()
            .map(|h| h.and_then(|name| schema::position(known, name)))
            .collect(),
        section,
        required,
    };
    // Rows without a quote are lines of comma-separated cells, and in valid UTF-8 every
    // cell is valid text: they are split in place, without the csv reader's copy of each
    // row and a UTF-8 check of each cell.
    if fast && let Some(text) = plain_text(piece) {
        // Every cell borrows the piece: one buffer of fields serves every row.
        let mut fields = Vec::with_capacity(header.len());
        // A link or group row whose cells are plainly valid is read straight from them.
        let plain = PlainColumns::of(section, header);
        plain_rows(text, lines.line_starting_at(offset), |line, cells| {
            if let Some(columns) = &plain
                && cells.len() == header.len()
                && b.add_plain(line, cells, columns)
            {
                return;
            }
            let cells = cells.iter().map(|c| Ok(*c));
            rows.add(line, cells.len(), cells, &mut fields, b);
        });
        return;
    }
    // Cells borrow the reader's buffer for one row: the fields' buffer is handed on.
    let mut spare: Vec<Field<'static>> = Vec::with_capacity(header.len());
    let result = csv_crate_rows(piece, offset, lines, |line, count, cells| {
        let mut fields = recycle(std::mem::take(&mut spare));
        rows.add(line, count, cells, &mut fields, b);
        spare = recycle(fields);
    });
    if let Err((line, e)) = result {
        b.error(line, format!("malformed CSV: {e}")).expected = Some("RFC 4180 CSV".to_owned());
        b.items.incomplete = true;
    }
}

/// `piece` as text when the fast path can read it: no quote (so no cell spans lines or
/// holds a comma) and valid UTF-8.
pub(crate) fn plain_text(piece: &[u8]) -> Option<&str> {
    if memchr::memchr(b'"', piece).is_some() {
        return None;
    }
    std::str::from_utf8(piece).ok()
}

/// The rows of `piece` (starting at `offset` in the file) as the csv crate reads them:
/// `row(line, count, cells)` for each, with each cell trimmed of ASCII whitespace and `Err`
/// for a cell that is not UTF-8. Stops at a malformed row, with its line.
pub(crate) fn csv_crate_rows(
    piece: &[u8],
    offset: usize,
    lines: &CsvLines<'_>,
    mut row_fn: impl FnMut(usize, usize, &mut dyn Iterator<Item = Result<&str, ()>>),
) -> Result<(), (usize, csv::Error)> {
    // The csv reader drops a BOM at the start of its input, wherever that is in the file: a
    // piece that starts with one is read after an empty line (which the reader skips), so
    // that the BOM stays in its cell as the fast path keeps it.
    let prefix: &[u8] = if piece.starts_with(b"\xEF\xBB\xBF") {
        b"\n"
    } else {
        b""
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(std::io::Read::chain(prefix, piece));
    let mut row = csv::ByteRecord::new();
    let at = |pos: Option<&csv::Position>| {
        pos.map_or(0, |p| {
            lines.line((offset + p.byte() as usize).saturating_sub(prefix.len()))
        })
    };
    loop {
        match rdr.read_byte_record(&mut row) {
            Ok(false) => return Ok(()),
            Ok(true) => {}
            Err(e) => return Err((at(e.position()), e)),
        }
        // Cells are trimmed of ASCII whitespace here, as `csv::Trim::All` would, but
        // without the copy of every record that the csv crate's trimming makes.
        let mut cells = row
            .iter()
            .map(|cell| std::str::from_utf8(cell.trim_ascii()).map_err(|_| ()));
        row_fn(at(row.position()), row.len(), &mut cells);
    }
}

/// Reads rows that hold no quote from valid UTF-8 `text`, whose first line is `line`: a
/// row ends at `\n`, `\r\n` or a lone `\r` and its cells are separated by commas, as the
/// csv reader reads them (empty lines are skipped). Calls `row_fn(line, cells)` for each.
pub(crate) fn plain_rows<'t>(
    text: &'t str,
    mut line: usize,
    mut row_fn: impl FnMut(usize, &[&'t str]),
) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut cells: Vec<&str> = Vec::new();
    while start < bytes.len() {
        let end = memchr::memchr2(b'\n', b'\r', bytes.get(start..).unwrap_or_default())
            .map_or(bytes.len(), |i| start + i);
        let row = text.get(start..end).unwrap_or_default();
        if !row.is_empty() {
            cells.clear();
            let mut from = 0;
            // Rows are short: a plain loop finds their commas with less setup than memchr.
            for (at, _) in row.bytes().enumerate().filter(|&(_, c)| c == b',') {
                cells.push(row.get(from..at).unwrap_or_default().trim_ascii());
                from = at + 1;
            }
            cells.push(row.get(from..).unwrap_or_default().trim_ascii());
            row_fn(line, &cells);
        }
        start = end + 1;
        if bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n') {
            start += 1;
        }
        line += 1;
    }
}

/// What turns the cells of a CSV row into a record.
struct Rows<'h> {
    header: &'h [Option<&'static str>],
    /// The position of each column's name among the section's known fields: the header
    /// names each known field at most once, so a row's fields need no check of their own.
    columns: Vec<Option<usize>>,
    section: Section,
    required: &'h [&'h str],
}

impl Rows<'_> {
    /// Checks one row of `count` cells (trimmed text, or `Err` for a cell that is not
    /// UTF-8) against the header and adds its item to `b`; `fields` is a buffer to fill.
    fn add<'c>(
        &mut self,
        line: usize,
        count: usize,
        cells: impl Iterator<Item = Result<&'c str, ()>>,
        fields: &mut Vec<Field<'c>>,
        b: &mut Builder<'_>,
    ) {
        let (header, required) = (self.header, self.required);
        let mut cells = cells.peekable();
        if count == 1 && cells.peek().is_some_and(|c| c.is_ok_and(str::is_empty)) {
            return;
        }
        // Whether the fields that name the item (and so its references) are all readable.
        let mut intact = true;
        if count != header.len() {
            let names: Vec<&str> = header.iter().map(|h| h.unwrap_or("?")).collect();
            let d = b.error(
                line,
                format!("row has {count} fields, the header has {}", header.len()),
            );
            d.expected = Some(format!(
                "{} comma-separated fields: {}",
                header.len(),
                names.join(",")
            ));
            // A short row may still name its item; a missing identifying cell would only
            // add a `missing field` error for the same mistake.
            intact = header
                .iter()
                .take(count.min(header.len()))
                .flatten()
                .filter(|h| required.contains(h))
                .count()
                == required.len();
        }
        fields.clear();
        let mut slots = [0u32; 16];
        for ((name, column), cell) in header.iter().zip(&self.columns).zip(cells) {
            let Some(name) = *name else { continue };
            match cell {
                Ok(s) => {
                    fields.push(Field {
                        name: Cow::Borrowed(name),
                        val: Val::Cell(s),
                        line,
                    });
                    if let Some(slot) = column.and_then(|i| slots.get_mut(i)) {
                        *slot = fields.len() as u32;
                    }
                }
                Err(()) => {
                    if required.contains(&name) || name == "id" || name == "kind" {
                        intact = false;
                    }
                    let d = b.error(line, "the cell is not valid UTF-8");
                    d.field = Some(name.to_owned());
                    d.expected =
                        Some("UTF-8 text (save the spreadsheet as \"CSV UTF-8\")".to_owned());
                }
            }
        }
        if !intact {
            b.items.incomplete = true;
            return;
        }
        let section = match self.section {
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
        let record = Record {
            section,
            line,
            fields: std::mem::take(fields),
            slots: Some(slots),
        };
        b.add(&record);
        *fields = record.fields;
    }
}

/// An empty vector with the allocation of `v`, for fields that borrow another row: one
/// buffer serves every row of a file instead of one allocation per row. (Collecting an
/// emptied vector into one of the same layout reuses its memory.)
#[allow(clippy::unnecessary_filter_map)] // it changes the lifetime, which `filter` cannot
fn recycle<'x, 'y>(v: Vec<Field<'x>>) -> Vec<Field<'y>> {
    v.into_iter().filter_map(|_| None).collect()
}

/// The line of byte `offset` of a CSV file (where `\r\n`, `\n` and a lone `\r` each end
/// a line).
pub(crate) fn csv_line_at(bytes: &[u8], offset: usize) -> usize {
    CsvLines::new(bytes).line_starting_at(offset)
}

/// Line numbers of a CSV file, where `\r\n`, `\n` and a lone `\r` each end a line.
pub(crate) struct CsvLines<'b> {
    bytes: &'b [u8],
    starts: Vec<usize>,
}

impl<'b> CsvLines<'b> {
    pub(crate) fn new(bytes: &'b [u8]) -> Self {
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let crlf = bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n');
            if !crlf {
                starts.push(i + 1);
            }
        }
        CsvLines { bytes, starts }
    }

    /// The line of the row or error at `offset`. The csv reader's row position may be the
    /// `\n` of the `\r\n` that ended the previous row: such line ends are skipped.
    /// How many lines start in `from..to` (plus the one `from` is in): at least the rows
    /// there, read off the line starts instead of scanning the bytes again.
    fn count(&self, from: usize, to: usize) -> usize {
        let first = self.starts.partition_point(|&s| s <= from);
        self.starts
            .partition_point(|&s| s < to)
            .saturating_sub(first)
            + 1
    }

    /// The line that starts at `offset` (a line start, or the end of the file), counting
    /// the empty lines there, which [`Self::line`] would step over.
    fn line_starting_at(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn line(&self, mut offset: usize) -> usize {
        while matches!(self.bytes.get(offset), Some(b'\n' | b'\r')) {
            offset += 1;
        }
        self.starts.partition_point(|&s| s <= offset).max(1)
    }
}

/// The offset of a quote that opens a quoted cell and is never closed, if any.
///
/// The csv reader takes such a quote as the start of a cell that runs to the end of the
/// file and loads the rest of the file as one value; this finds it first. As in the csv
/// reader, a quote opens a quoted cell only at the start of a cell, `""` inside one is a
/// quote, and any other quote is an ordinary character.
fn unterminated_quote(bytes: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = memchr::memchr(b'"', bytes.get(from..)?) {
        let open = from + found;
        let at_cell_start = open == 0 || matches!(bytes.get(open - 1), Some(b',' | b'\n' | b'\r'));
        if !at_cell_start {
            from = open + 1;
            continue;
        }
        let mut i = open + 1;
        loop {
            let Some(q) = memchr::memchr(b'"', bytes.get(i..).unwrap_or_default()) else {
                return Some(open);
            };
            let close = i + q;
            if bytes.get(close + 1) == Some(&b'"') {
                i = close + 2;
            } else {
                from = close + 1;
                break;
            }
        }
    }
    None
}

/// Maps header cells to known field names (`None` for an unknown or repeated column, whose
/// cells are skipped); reports unknown, duplicate and missing columns. `None` when a
/// required column is missing: the rows cannot be read then.
fn csv_header(
    row: &csv::ByteRecord,
    section: Section,
    required: &[&str],
    line: usize,
    b: &mut Builder<'_>,
) -> Option<Vec<Option<&'static str>>> {
    let known = section.fields();
    let mut header = Vec::new();
    let mut seen: HashMap<&str, ()> = HashMap::new();
    for cell in row.iter() {
        let name = String::from_utf8_lossy(cell.trim_ascii());
        match schema::by_header(known, &name).map(|k| k.name) {
            Some(k) if seen.insert(k, ()).is_none() => header.push(Some(k)),
            Some(k) => {
                header.push(None);
                b.error(line, format!("column `{k}` appears twice in the header"))
                    .expected = Some("each column once".to_owned());
            }
            None => {
                header.push(None);
                let hint = did_you_mean(&name, schema::names(known));
                let d = b.error(
                    line,
                    format!("unknown column `{}` in the header", echo(&name)),
                );
                let all: Vec<&str> = schema::names(known).collect();
                d.expected = Some(format!("columns among {}", all.join(",")));
                d.help = hint;
            }
        }
    }
    let mut ok = true;
    for r in required {
        if !header.contains(&Some(r)) {
            ok = false;
            b.error(line, format!("the header has no `{r}` column"))
                .expected = Some(format!("a header row: {}", schema::usual_header(known)));
        }
    }
    ok.then_some(header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_maps_offsets() {
        let idx = LineIndex::new("a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }

    #[test]
    fn csv_lines_count_every_line_end() {
        let idx = CsvLines::new(b"a\r\nb\rc\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(3), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(7), 4);
    }

    /// Pieces of CSV bytes, weighted towards what breaks readers: separators, line ends of
    /// every kind, BOMs, multi-byte and invalid UTF-8, the odd quote.
    fn csv_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let token = prop_oneof![
            6 => Just(b"a".to_vec()),
            3 => Just(b"7".to_vec()),
            6 => Just(b",".to_vec()),
            3 => Just(b"\n".to_vec()),
            2 => Just(b"\r".to_vec()),
            2 => Just(b"\r\n".to_vec()),
            2 => Just(b" ".to_vec()),
            1 => Just(b"\t".to_vec()),
            1 => Just(b";".to_vec()),
            1 => Just(b"\xEF\xBB\xBF".to_vec()),
            2 => Just("한".as_bytes().to_vec()),
            1 => Just(b"\xFF".to_vec()),
            1 => Just(b"\xC1\xA4".to_vec()),
            1 => Just(b"\"".to_vec()),
            1 => Just(b"site".to_vec()),
        ];
        proptest::collection::vec(token, 0..80).prop_map(|t| t.concat())
    }

    type RawRows = Vec<(usize, Vec<Result<String, ()>>)>;

    fn fast_rows(bytes: &[u8]) -> Option<RawRows> {
        let text = plain_text(bytes)?;
        let mut out = Vec::new();
        plain_rows(text, 1, |line, cells| {
            out.push((line, cells.iter().map(|c| Ok((*c).to_owned())).collect()));
        });
        Some(out)
    }

    fn crate_rows(bytes: &[u8]) -> Result<RawRows, usize> {
        let lines = CsvLines::new(bytes);
        let mut out = Vec::new();
        csv_crate_rows(bytes, 0, &lines, |line, count, cells| {
            let cells: Vec<_> = cells.map(|c| c.map(str::to_owned)).collect();
            assert_eq!(cells.len(), count);
            out.push((line, cells));
        })
        .map_err(|(line, _)| line)?;
        Ok(out)
    }

    /// What the builder made of a file, origins and lines included.
    fn built(bytes: &[u8], section: Section, fast: bool) -> String {
        let mut b = Builder::new(std::path::Path::new("t.csv"));
        read_csv_with(bytes, section, fast, &mut b);
        format!("{:?}\n{:?}", b.items, b.diags)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// The quote-free fast path yields exactly the rows (lines and cells) that the csv
        /// crate yields, and refuses only what it must: a quote or bytes that are not UTF-8.
        #[test]
        fn the_fast_path_reads_what_the_csv_crate_reads(bytes in csv_bytes()) {
            match fast_rows(&bytes) {
                Some(fast) => proptest::prop_assert_eq!(Ok(fast), crate_rows(&bytes)),
                None => proptest::prop_assert!(
                    bytes.contains(&b'"') || std::str::from_utf8(&bytes).is_err()
                ),
            }
        }

        /// A whole file, header and all, loads to the same items and diagnostics with the
        /// fast path as without it.
        #[test]
        fn a_file_reads_the_same_with_and_without_the_fast_path(
            body in csv_bytes(),
            links in proptest::bool::ANY,
            crlf in proptest::bool::ANY,
        ) {
            let (header, section) = if links {
                ("id,consumer,provider,kind,tolerance,group", Section::Link)
            } else {
                ("id,name,kind,grade,sites", Section::System)
            };
            let bytes = [header.as_bytes(), if crlf { b"\r\n" } else { b"\n" }, &body].concat();
            proptest::prop_assert_eq!(built(&bytes, section, true), built(&bytes, section, false));
        }
    }

    #[test]
    fn unterminated_quotes_are_found_where_they_open() {
        assert_eq!(unterminated_quote(b"a,\"b\"\"c\",d\n"), None);
        assert_eq!(unterminated_quote(b"a,b\"c,d\n"), None);
        assert_eq!(unterminated_quote(b"a\n\"x,\"y\",\"z\n"), Some(9));
        assert_eq!(unterminated_quote(b"\""), Some(0));
        assert_eq!(unterminated_quote(b"\"\"\"\""), None);
    }

    /// The fields of a link row, in `schema::LINK` order, each mostly what its field takes
    /// (empty, English and Korean keywords, durations, numbers) and sometimes what the
    /// record reader reports (blank, too long, control characters, unknown words).
    fn link_fields() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
        use proptest::prelude::*;
        let long = |n: usize| "x".repeat(n + 1);
        let id = long(crate::inventory::record::MAX_ID);
        let text = long(crate::inventory::record::MAX_TEXT);
        let pick = |v: Vec<String>| proptest::sample::select(v);
        let of = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let with = |mut v: Vec<String>, extra: &str| {
            v.push(extra.to_owned());
            v
        };
        (
            pick(with(of(&["", "l1", "l-2", "\u{3000}", "a\u{7}", "é"]), &id)),
            pick(with(of(&["gov24", "a", "gov24", "", "정부24"]), &id)),
            pick(of(&["gpki", "a", "b", "gpki", ""])),
            pick(of(&[
                "",
                "interface",
                "연계",
                "hosting",
                "호스팅",
                "network",
                "Hosting",
                "x",
            ])),
            pick(of(&["", "sync", "async", "배치", "실시간", "SYNC", "b"])),
            pick(with(
                of(&["", "0", "30m", "4h", "1h30m", "4", "soon", "2d"]),
                &text,
            )),
            pick(of(&["", "down", "degraded", "중단", "저하", "Down"])),
            pick(with(of(&["", "g", "그룹", "x;y", "a\u{1b}"]), &text)),
            pick(of(&["", "api", "파일"])),
            pick(of(&["", "주민정보"])),
            pick(of(&[
                "", "0", "1.5", "1e3", "-0", "-1", "NaN", "inf", " 7", "x",
            ])),
        )
            .prop_map(|t| vec![t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8, t.9, t.10])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        // The typed reading of a link row is what the record reader makes of the same row,
        // whenever it takes the row: the same link, the same lines, no diagnostic.
        #[test]
        fn a_plain_link_row_reads_as_its_record_does(
            columns in any_columns(Section::Link, 2),
            fields in link_fields(),
        ) {
            let (typed, took, generic) = both_ways(Section::Link, &columns, &fields);
            if took {
                proptest::prop_assert!(generic.diags.is_empty(), "{:?}", generic.diags);
                proptest::prop_assert_eq!(&typed.items.links, &generic.items.links);
                proptest::prop_assert_eq!(&typed.items.link_lines, &generic.items.link_lines);
            } else {
                proptest::prop_assert!(typed.items.links.is_empty());
            }
        }
    }

    /// Some of the fields of `section` (at least `min`), as a header names them: in any
    /// order.
    fn any_columns(
        section: Section,
        min: usize,
    ) -> impl proptest::strategy::Strategy<Value = Vec<&'static str>> {
        use proptest::prelude::*;
        let names: Vec<&'static str> = section.fields().iter().map(|f| f.name).collect();
        let all = names.len();
        proptest::sample::subsequence(names, min..=all).prop_shuffle()
    }

    /// A row of a table of `section` with these `columns`, read by the typed reading (and
    /// whether it took the row) and as a record; `fields` holds the section's fields in
    /// schema order.
    fn both_ways(
        section: Section,
        columns: &[&'static str],
        fields: &[String],
    ) -> (Builder<'static>, bool, Builder<'static>) {
        let header: Vec<Option<&'static str>> = columns.iter().map(|c| Some(*c)).collect();
        let cells: Vec<&str> = columns
            .iter()
            .map(|c| {
                schema::position(section.fields(), c)
                    .and_then(|i| fields.get(i))
                    .map_or("", String::as_str)
            })
            .collect();
        let path = std::path::Path::new("t.csv");
        let mut typed = Builder::new(path);
        let columns = PlainColumns::of(section, &header).unwrap();
        let took = typed.add_plain(7, &cells, &columns);
        let mut generic = Builder::new(path);
        let required: Vec<&str> = section
            .fields()
            .iter()
            .filter(|f| f.required)
            .map(|f| f.name)
            .collect();
        let mut rows = Rows {
            header: &header,
            columns: header
                .iter()
                .map(|h| h.and_then(|n| schema::position(section.fields(), n)))
                .collect(),
            section,
            required: &required,
        };
        let mut fields = Vec::new();
        rows.add(
            7,
            cells.len(),
            cells.iter().map(|c| Ok(*c)),
            &mut fields,
            &mut generic,
        );
        (typed, took, generic)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1024))]
        // The same for a group row.
        #[test]
        fn a_plain_group_row_reads_as_its_record_does(
            columns in any_columns(Section::Group, 1),
            consumer in proptest::sample::select(vec!["gov24", "", "정부24", "a\u{7}"]),
            group in proptest::sample::select(vec!["web", "", "그룹", " "]),
            min in proptest::sample::select(vec!["", "1", "2", "0", "-1", " 3", "x", "4294967295", "4294967296", "1.0"]),
        ) {
            let fields = [consumer, group, min].map(str::to_owned);
            let (typed, took, generic) = both_ways(Section::Group, &columns, &fields);
            if took {
                proptest::prop_assert!(generic.diags.is_empty(), "{:?}", generic.diags);
                proptest::prop_assert_eq!(&typed.items.groups, &generic.items.groups);
                proptest::prop_assert_eq!(&typed.items.min_lines, &generic.items.min_lines);
            } else {
                proptest::prop_assert!(typed.items.groups.is_empty());
                // Every group the record reader takes without a word is taken here too.
                proptest::prop_assert!(!generic.diags.is_empty() || generic.items.groups.is_empty());
            }
        }
    }

    /// The fields of a node row, in `schema::NODE` order, like [`link_fields`].
    fn node_fields() -> impl proptest::strategy::Strategy<Value = Vec<String>> {
        use proptest::prelude::*;
        let text = "x".repeat(crate::inventory::record::MAX_TEXT + 1);
        let pick = |v: &[&str]| {
            proptest::sample::select(v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>())
        };
        (
            pick(&["gov24", "dc-1", "gov24", "dc-1", "", "정부24", "-x", "a b"]),
            pick(&["", "정부24", "Gov 24", &text]),
            pick(&[
                "", "system", "service", "site", "센터", "network", "external", "System", "x",
            ]),
            pick(&["", "행안부", "mois"]),
            pick(&["", "1", "4", " 2", "0", "5", "x", "1.0"]),
            pick(&[
                "",
                "dc-1",
                "dc-1;dc-2",
                "dc-1; dc-1",
                "gov24",
                " ; dc-2 ;",
                &text,
            ]),
            pick(&["", "a;b", "a;a", ";", &text]),
            pick(&["", "4h", "0", "soon", "4"]),
            pick(&["", "0", "10.5", "-1", "NaN", "x"]),
            pick(&["", "0", "100", "-0", "inf", "1e2"]),
        )
            .prop_map(|t| vec![t.0, t.1, t.2, t.3, t.4, t.5, t.6, t.7, t.8, t.9])
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]
        // The same for a node row (a system's or a site's).
        #[test]
        fn a_plain_node_row_reads_as_its_record_does(
            columns in any_columns(Section::System, 1),
            fields in node_fields(),
        ) {
            let (typed, took, generic) = both_ways(Section::System, &columns, &fields);
            if took {
                proptest::prop_assert!(generic.diags.is_empty(), "{:?}", generic.diags);
                proptest::prop_assert_eq!(&typed.items.nodes, &generic.items.nodes);
                proptest::prop_assert_eq!(&typed.items.sites_lines, &generic.items.sites_lines);
                proptest::prop_assert_eq!(&typed.items.id_lines, &generic.items.id_lines);
            } else {
                proptest::prop_assert!(typed.items.nodes.is_empty());
                // Every node the record reader takes without a word is taken here too.
                proptest::prop_assert!(!generic.diags.is_empty() || generic.items.nodes.is_empty());
            }
        }
    }

    #[test]
    fn a_clean_link_row_is_read_straight_from_its_cells() {
        let header = [
            Some("id"),
            Some("consumer"),
            Some("provider"),
            Some("mode"),
            Some("tolerance"),
        ];
        let mut b = Builder::new(std::path::Path::new("links.csv"));
        let columns = PlainColumns::of(Section::Link, &header).unwrap();
        assert!(b.add_plain(3, &["l1", "gov24", "gpki", "배치", "4h"], &columns));
        let link = &b.items.links[0];
        assert_eq!((link.id.as_str(), link.consumer.as_str()), ("l1", "gov24"));
        assert_eq!(
            (link.mode, link.tolerance_secs),
            (crate::inventory::Mode::Async, 14_400)
        );
        assert_eq!(link.origin.line, 3);
        // Rows the record reader reports on are left to it.
        for bad in [
            ["l2", "gov24", "gov24", "", ""],
            ["l2", "gov24", "", "", ""],
            ["l2", "gov24", "gpki", "weekly", ""],
            ["l2", "gov24", "gpki", "", "soon"],
        ] {
            assert!(!b.add_plain(4, &bad, &columns), "{bad:?}");
        }
        assert_eq!(b.items.links.len(), 1);
    }
}
