//! Loading an inventory from a path and checking its cross-references (docs/inventory.md).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::diag::{Diagnostic, LoadError, echo};
use super::formats::{read_csv, read_json, read_toml};
use super::model::{
    Effect, GroupDecl, HOSTING_GROUP, Inventory, Link, LinkKind, Mode, Node, Origin, PolicySetting,
    RtoTarget, Text,
};
use super::record::{Builder, Items, LinkLines, Section};
use super::resolve::{self, FileOrder, GroupNumbers, NONE, Resolved};
use crate::hash::{FastMap, FastSet, Numbering};

/// The form an inventory is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A `.toml` file.
    Toml,
    /// A `.json` file.
    Json,
}

/// A text encoding that a CSV file may be read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (with or without a BOM).
    Utf8,
    /// CP949, the Windows code page that Korean Excel saves "CSV" in; a superset of
    /// EUC-KR (encoding_rs's `EUC_KR` is the WHATWG encoding that covers both).
    Cp949,
}

impl Encoding {
    /// The encoding of a name: `utf-8`, `cp949` or `euc-kr` (in any letter case; `utf8`,
    /// `euckr` and `ms949` too).
    pub fn parse(name: &str) -> Option<Encoding> {
        match name.to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "cp949" | "euc-kr" | "euckr" | "ms949" => Some(Encoding::Cp949),
            _ => None,
        }
    }

    /// Its name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Cp949 => "CP949 (EUC-KR)",
        }
    }
}

/// How an inventory is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// The encoding of CSV files. `None` (the default): UTF-8, or CP949 for a file that is
    /// not UTF-8 but is CP949, with a warning. TOML and JSON are always UTF-8; an XLSX
    /// workbook has no encoding to choose.
    pub encoding: Option<Encoding>,
}

/// A loaded inventory and what was assumed to load it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadOutcome {
    /// The inventory.
    pub inventory: Inventory,
    /// Warnings (level [`super::diag::Level::Warning`]), for example the encoding assumed
    /// for a CSV file; the CLI prints them as `warning: …` lines.
    pub warnings: Vec<Diagnostic>,
    /// The references the checks resolved, for the graph (none when built by hand).
    pub(crate) resolved: Option<Resolved>,
}

impl LoadOutcome {
    /// The inventory's graph, from the references the load resolved (no id is looked up
    /// again).
    pub fn into_graph(self) -> crate::Graph {
        crate::graph::Graph::loaded(self.inventory, self.resolved)
    }
}

/// Loads and validates an inventory: a `.toml`, `.json` or `.xlsx` file, or a directory
/// holding `systems.csv`, `links.csv` and optionally `groups.csv` and `policy.csv`. A file
/// whose extension says nothing (`/dev/fd/63`, a pipe) is read and its form told from its
/// content. Warnings are dropped; [`load_with`] returns them.
pub fn load(path: &Path) -> Result<Inventory, LoadError> {
    load_with(path, &LoadOptions::default()).map(|o| o.inventory)
}

/// [`load`] with options, returning the warnings too.
pub fn load_with(path: &Path, opts: &LoadOptions) -> Result<LoadOutcome, LoadError> {
    load_source(&Source::Path(path.to_path_buf()), None, opts)
}

/// The forms an inventory is written in, as `--input-format` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// TOML, one file.
    Toml,
    /// JSON, one file.
    Json,
    /// CSV: a directory, or one file per table ([`Source::Tables`]).
    Csv,
    /// An `.xlsx` workbook.
    Xlsx,
}

impl Form {
    /// Its name in messages and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Form::Toml => "toml",
            Form::Json => "json",
            Form::Csv => "csv",
            Form::Xlsx => "xlsx",
        }
    }

    /// The form an extension names (`toml`, `json`, `xlsx`, in any letter case).
    fn of_extension(path: &Path) -> Option<Form> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("toml") => Some(Form::Toml),
            Some("json") => Some(Form::Json),
            Some("xlsx") => Some(Form::Xlsx),
            Some("csv") => Some(Form::Csv),
            _ => None,
        }
    }
}

/// The name standard input has in diagnostics and documents.
pub const STDIN_NAME: &str = "<stdin>";

/// One file of an inventory: a path to read, or bytes already read (standard input) with
/// the name diagnostics give them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileSource {
    /// A file to read.
    Path(PathBuf),
    /// Bytes already read, and their name in diagnostics (`<stdin>`).
    Bytes {
        /// The name diagnostics and locations give the bytes.
        name: PathBuf,
        /// The content.
        bytes: Vec<u8>,
    },
}

impl FileSource {
    /// The name diagnostics give it.
    pub fn name(&self) -> &Path {
        match self {
            FileSource::Path(p) => p,
            FileSource::Bytes { name, .. } => name,
        }
    }

    fn bytes(&self) -> Result<Cow<'_, [u8]>, LoadError> {
        match self {
            FileSource::Path(p) => read_file(p).map(Cow::Owned),
            FileSource::Bytes { bytes, .. } => Ok(Cow::Borrowed(bytes)),
        }
    }
}

/// The tables of a CSV inventory given file by file, instead of as a directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvTables {
    /// The nodes (`systems.csv`).
    pub systems: FileSource,
    /// The links (`links.csv`).
    pub links: FileSource,
    /// The group declarations (`groups.csv`), if any.
    pub groups: Option<FileSource>,
    /// The policy settings (`policy.csv`), if any.
    pub policy: Option<FileSource>,
}

/// Where an inventory is read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file or a CSV directory.
    Path(PathBuf),
    /// One document already read (standard input): TOML, JSON or XLSX.
    Bytes {
        /// The name diagnostics and locations give it (`<stdin>`).
        name: PathBuf,
        /// The content.
        bytes: Vec<u8>,
    },
    /// A CSV inventory, one file per table.
    Tables(CsvTables),
}

/// What to give for a CSV inventory that is not a directory.
const CSV_TABLES: &str = "a directory with systems.csv and links.csv, or the tables one by one: \
                          --systems FILE --links FILE [--groups FILE] [--policy FILE] (one of \
                          them may be `-`, standard input)";

/// Loads and validates an inventory from `source`. `form` says what it is written in;
/// `None`: the extension of a path says it, else the content does (a JSON object, a ZIP
/// workbook, TOML). A CSV inventory is a directory or [`Source::Tables`]: one stream
/// cannot hold its tables.
pub fn load_source(
    source: &Source,
    form: Option<Form>,
    opts: &LoadOptions,
) -> Result<LoadOutcome, LoadError> {
    match source {
        Source::Path(path) => load_path(path, form, opts),
        Source::Bytes { name, bytes } => load_bytes(name, bytes, form),
        Source::Tables(t) => {
            if let Some(f) = form.filter(|f| *f != Form::Csv) {
                return Err(LoadError::one(
                    Diagnostic::new(
                        t.systems.name(),
                        0,
                        format!("tables given one by one are CSV, not {}", f.name()),
                    )
                    .expected("--input-format csv, or no --input-format"),
                ));
            }
            let mut files = vec![(&t.systems, Section::System), (&t.links, Section::Link)];
            files.extend(t.groups.iter().map(|g| (g, Section::Group)));
            files.extend(t.policy.iter().map(|p| (p, Section::Policy)));
            load_csv_files(&files, t.systems.name(), opts)
        }
    }
}

fn load_path(
    path: &Path,
    form: Option<Form>,
    opts: &LoadOptions,
) -> Result<LoadOutcome, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        LoadError::one(
            Diagnostic::new(path, 0, format!("cannot read the inventory: {e}"))
                .keyed("diag-cannot-read-inventory", &[("error", &e.to_string())])
                .expected_keyed("diag-expected-inventory"),
        )
    })?;
    if meta.is_dir() {
        return match form {
            None | Some(Form::Csv) => load_csv_dir(path, opts),
            Some(f) => Err(LoadError::one(
                Diagnostic::new(path, 0, format!("a directory is not a {} file", f.name()))
                    .expected("--input-format csv for a directory of CSV files"),
            )),
        };
    }
    match form.or_else(|| Form::of_extension(path)) {
        // A workbook on disk is opened twice, side by side; a pipe is copied first.
        Some(Form::Xlsx) if meta.is_file() => super::xlsx::load_xlsx(path),
        Some(Form::Csv) => Err(LoadError::one(
            Diagnostic::new(path, 0, "one CSV file is not a whole inventory").expected(CSV_TABLES),
        )),
        form => load_bytes(path, &read_file(path)?, form),
    }
}

/// Loads one document already read; its form given, else told from its content.
fn load_bytes(name: &Path, bytes: &[u8], form: Option<Form>) -> Result<LoadOutcome, LoadError> {
    let format = match form.or_else(|| sniff(bytes)) {
        Some(Form::Toml) => Format::Toml,
        Some(Form::Json) => Format::Json,
        Some(Form::Xlsx) => return load_xlsx_bytes(name, bytes),
        Some(Form::Csv) => {
            return Err(LoadError::one(
                Diagnostic::new(name, 1, "CSV content is one table, not a whole inventory")
                    .expected(CSV_TABLES),
            ));
        }
        None => {
            return Err(LoadError::one(
                Diagnostic::new(
                    name,
                    0,
                    "unknown inventory form: the content is not TOML, JSON or XLSX",
                )
                .expected("TOML, JSON or an XLSX workbook (docs/inventory.md describes the forms)")
                .help("--input-format toml|json|xlsx says which it is"),
            ));
        }
    };
    read_str(decode(name, bytes)?, format, name)
}

/// A workbook's bytes, copied to a temporary file for the XLSX reader (which opens it
/// twice), named `name` in diagnostics.
fn load_xlsx_bytes(name: &Path, bytes: &[u8]) -> Result<LoadOutcome, LoadError> {
    let failed = |e: std::io::Error| {
        LoadError::one(Diagnostic::new(
            name,
            0,
            format!("cannot copy the workbook to a temporary file: {e}"),
        ))
    };
    let mut tmp = tempfile::Builder::new()
        .prefix("ripplemap-")
        .suffix(".xlsx")
        .tempfile()
        .map_err(failed)?;
    std::io::Write::write_all(tmp.as_file_mut(), bytes).map_err(failed)?;
    super::xlsx::load_xlsx_named(tmp.path(), name)
}

/// The form of an inventory told from its content: a ZIP archive is a workbook, a
/// document opening with `{` (or a comment `//`, `/*`) is JSON, one whose first line (past
/// comments) is a `[table]` or a `key = value` is TOML, one whose first line has commas
/// is a CSV table. `None` for anything else. Empty content is TOML (and reported empty).
pub fn sniff(bytes: &[u8]) -> Option<Form> {
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Form::Xlsx);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes.trim_ascii_start();
    if start.starts_with(b"{") || start.starts_with(b"//") || start.starts_with(b"/*") {
        return Some(Form::Json);
    }
    let first = start
        .split(|&b| b == b'\n')
        .map(<[u8]>::trim_ascii)
        .find(|l| !l.is_empty() && !l.starts_with(b"#"));
    let Some(line) = first else {
        return Some(Form::Toml);
    };
    let key_len = line
        .iter()
        .take_while(|&&b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'"' | b'\'' | b' ')
        })
        .count();
    if line.starts_with(b"[") || line.get(key_len) == Some(&b'=') && key_len > 0 {
        Some(Form::Toml)
    } else if line.contains(&b',') {
        Some(Form::Csv)
    } else {
        None
    }
}

/// Loads and validates an inventory held in memory; `name` is used in diagnostics.
pub fn load_str(text: &str, format: Format, name: &Path) -> Result<Inventory, LoadError> {
    read_str(text, format, name).map(|o| o.inventory)
}

/// [`load_str`], with what the load resolved.
fn read_str(text: &str, format: Format, name: &Path) -> Result<LoadOutcome, LoadError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut b = Builder::new(name);
    if text.trim().is_empty() {
        b.error(1, "the file is empty").expected = Some("at least one node".to_owned());
        return Err(LoadError {
            diagnostics: b.diags,
        });
    }
    match format {
        Format::Toml => read_toml(text, &mut b),
        Format::Json => read_json(text, &mut b),
    }
    finish(b.items, b.diags, name)
}

fn read_file(path: &Path) -> Result<Vec<u8>, LoadError> {
    std::fs::read(path).map_err(|e| {
        LoadError::one(
            Diagnostic::new(path, 0, format!("cannot read the file: {e}"))
                .keyed("diag-cannot-read-file", &[("error", &e.to_string())])
                .expected_keyed("diag-expected-readable"),
        )
    })
}

/// Strips a BOM and checks UTF-8, naming the line of the first bad byte.
fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, LoadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = &bytes[..e.valid_up_to()];
        let line = 1 + good.iter().filter(|&&c| c == b'\n').count();
        LoadError::one(
            Diagnostic::new(
                path,
                line,
                format!("the file is not valid UTF-8 (byte {})", e.valid_up_to() + 1),
            )
            .expected("UTF-8 text (save as UTF-8; EUC-KR and CP949 are not accepted)"),
        )
    })
}

fn load_csv_dir(dir: &Path, opts: &LoadOptions) -> Result<LoadOutcome, LoadError> {
    let systems = dir.join("systems.csv");
    let links = dir.join("links.csv");
    let mut missing = Vec::new();
    for f in [&systems, &links] {
        if !f.is_file() {
            missing.push(
                Diagnostic::new(f, 0, "the inventory directory has no such file").expected(
                    "a directory with systems.csv and links.csv (and optionally groups.csv)",
                ),
            );
        }
    }
    if !missing.is_empty() {
        return Err(LoadError {
            diagnostics: missing,
        });
    }
    let mut files = vec![
        (FileSource::Path(systems), Section::System),
        (FileSource::Path(links), Section::Link),
    ];
    for (name, section) in [
        ("groups.csv", Section::Group),
        ("policy.csv", Section::Policy),
        ("recovery.csv", Section::Recovery),
    ] {
        let file = dir.join(name);
        if file.is_file() {
            files.push((FileSource::Path(file), section));
        }
    }
    let files: Vec<(&FileSource, Section)> = files.iter().map(|(f, s)| (f, *s)).collect();
    load_csv_files(&files, &dir.join("systems.csv"), opts)
}

/// Loads the tables of a CSV inventory, each from its file; `main` names the inventory in
/// a diagnostic about the whole of it.
fn load_csv_files(
    files: &[(&FileSource, Section)],
    main: &Path,
    opts: &LoadOptions,
) -> Result<LoadOutcome, LoadError> {
    // The files are read side by side (each also on every core it can use): the parts of
    // one that run on one core overlap with the others. Joined in file order.
    let tables: Vec<Result<CsvTable<'_>, LoadError>> = files
        .par_iter()
        .map(|(file, section)| read_csv_table(file, *section, opts))
        .collect();
    let mut items = Items::default();
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    for table in tables {
        match table? {
            Ok((mut b, warning)) => {
                warnings.extend(warning);
                diags.append(&mut b.diags);
                items.append(b.items);
            }
            Err(d) => {
                // Nothing of the file can be read: its ids may be anything.
                diags.push(*d);
                items.incomplete = true;
            }
        }
    }
    let mut outcome = finish(items, diags, main)?;
    outcome.warnings = warnings;
    Ok(outcome)
}

/// One CSV file, read: its items and diagnostics, with the warning that says which
/// encoding was assumed; or the error that says it is in no encoding it may be in.
type CsvTable<'f> = Result<(Builder<'f>, Option<Diagnostic>), Box<Diagnostic>>;

/// Reads and parses one CSV file of an inventory.
fn read_csv_table<'f>(
    file: &'f FileSource,
    section: Section,
    opts: &LoadOptions,
) -> Result<CsvTable<'f>, LoadError> {
    let raw = file.bytes()?;
    let name = file.name();
    Ok(
        decode_csv(name, &raw, opts.encoding).map(|(bytes, warning)| {
            let mut b = Builder::new(name);
            read_csv(&bytes, section, &mut b);
            (b, warning)
        }),
    )
}

/// A CSV file's bytes as UTF-8, with the warning that says which encoding was assumed.
type Decoded<'b> = (Cow<'b, [u8]>, Option<Diagnostic>);

/// The bytes of a CSV file as UTF-8 (without a BOM): as they are, or decoded from CP949
/// (asked for, or assumed with a warning when the file is not UTF-8 but is CP949). A file
/// in neither is one error, at the line and byte where the encoding that reads further
/// stops.
fn decode_csv<'b>(
    path: &Path,
    bytes: &'b [u8],
    encoding: Option<Encoding>,
) -> Result<Decoded<'b>, Box<Diagnostic>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let utf8 = std::str::from_utf8(bytes).map_err(|e| e.valid_up_to());
    let cp949 = || match cp949_to_utf8(bytes) {
        Ok(text) => Ok(Cow::Owned(text.into_bytes())),
        Err(at) => Err(at),
    };
    let bad = |at: usize, what: &str, expected: &str| {
        let line = super::formats::csv_line_at(bytes, at);
        let byte = bytes.get(at).copied().unwrap_or_default();
        Box::new(
            Diagnostic::new(
                path,
                line,
                format!("the file is not {what} (byte {}: 0x{byte:02X})", at + 1),
            )
            .expected(expected),
        )
    };
    match encoding {
        Some(Encoding::Utf8) => match utf8 {
            Ok(_) => Ok((Cow::Borrowed(bytes), None)),
            Err(at) => Err(bad(at, "valid UTF-8", "UTF-8 text, as asked for")),
        },
        Some(Encoding::Cp949) => match cp949() {
            Ok(text) => Ok((text, None)),
            Err(at) => Err(bad(at, "valid CP949 (EUC-KR)", "CP949 text, as asked for")),
        },
        None => match utf8 {
            Ok(_) => Ok((Cow::Borrowed(bytes), None)),
            Err(utf8_at) => match cp949() {
                Ok(text) => {
                    let warning = Diagnostic::new(
                        path,
                        0,
                        format!(
                            "the file is not UTF-8: read as {}, the encoding of Korean Excel's CSV",
                            Encoding::Cp949.name()
                        ),
                    )
                    .warning();
                    Ok((text, Some(warning)))
                }
                Err(cp949_at) => Err(bad(
                    utf8_at.max(cp949_at),
                    "UTF-8 or CP949 (EUC-KR) text",
                    "UTF-8 (save the spreadsheet as \"CSV UTF-8\") or CP949 (Korean Excel's \"CSV\")",
                )),
            },
        },
    }
}

/// `bytes` decoded from CP949, or the offset of the first byte that is not CP949.
fn cp949_to_utf8(bytes: &[u8]) -> Result<String, usize> {
    let mut decoder = encoding_rs::EUC_KR.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(
        decoder
            .max_utf8_buffer_length_without_replacement(bytes.len())
            .unwrap_or(bytes.len() * 3),
    );
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::InputEmpty => Ok(out),
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            Err(read.saturating_sub(usize::from(bad) + usize::from(after)))
        }
        encoding_rs::DecoderResult::OutputFull => Err(read),
    }
}

/// Members of one group, as far as the checks need them.
struct Members<'l> {
    /// How many links the group has.
    count: usize,
    /// The first member, in link order.
    first: &'l Link,
    /// The first member whose effect differs from the first member's, with the line of
    /// its `effect` field.
    odd: Option<(&'l Link, usize)>,
}

/// Numbers for the (consumer, name) keys of groups: a node's position for a declared id, a
/// number after those for any other consumer (an inventory with unreadable parts may name
/// one), and names numbered in order of first use. Half a million member lookups then
/// hash and compare two numbers instead of two strings.
struct GroupKeys<'a> {
    ids: &'a FastMap<&'a str, u32>,
    undeclared: Numbering<'a>,
    names: Numbering<'a>,
}

impl<'a> GroupKeys<'a> {
    fn new(ids: &'a FastMap<&'a str, u32>) -> Self {
        GroupKeys {
            ids,
            undeclared: Numbering::default(),
            names: Numbering::default(),
        }
    }

    /// The key of group `name` of `consumer`, whose position is `at` if already looked up
    /// ([`NONE`]: not looked up, or undeclared).
    fn key(&mut self, at: u32, consumer: &'a str, name: &'a str) -> (u32, u32) {
        let consumer = if at != NONE {
            at
        } else {
            match self.ids.get(consumer) {
                Some(&i) => i,
                None => self.ids.len() as u32 + self.undeclared.number(consumer),
            }
        };
        (consumer, self.names.number(name))
    }
}

/// What the check of a part's group declarations found, by declaration: each declared
/// group's number and `min`, and each diagnostic.
type Checked = (Vec<(usize, (u32, u32))>, Vec<(usize, Diagnostic)>);

/// The groups of the links whose consumer is in one part, numbered in order of first
/// member.
struct Grouping<'l> {
    keys: GroupKeys<'l>,
    numbers: FastMap<(u32, u32), u32>,
    /// The members of each group, by number.
    members: Vec<Members<'l>>,
    /// Each link's group number ([`NONE`]: in no group of this part).
    of_link: Vec<u32>,
}

/// The part of the groups of a consumer at position `at`, of `parts`: the members of a
/// group share its consumer, so parts are counted apart.
fn part_of(at: u32, parts: usize) -> usize {
    if at == NONE {
        0
    } else {
        at as usize % parts.max(1)
    }
}

impl<'l> Grouping<'l> {
    /// The groups of part `part` of `parts`.
    fn of(all: &'l LinkTable, known: &'l Known<'_>, part: usize, parts: usize) -> Self {
        let LinkTable { links, lines, ends } = all;
        let mut grouping = Grouping {
            keys: GroupKeys::new(&known.positions),
            numbers: FastMap::default(),
            members: Vec::new(),
            of_link: Vec::with_capacity(links.len()),
        };
        for (i, l) in links.iter().enumerate() {
            let at = ends.get(i).map_or(NONE, |&(c, _)| c);
            let Some(name) = l.group.as_ref().filter(|_| part_of(at, parts) == part) else {
                grouping.of_link.push(NONE);
                continue;
            };
            let next = grouping.members.len() as u32;
            let number = *grouping
                .numbers
                .entry(grouping.keys.key(at, &l.consumer, name))
                .or_insert(next);
            // Numbered apart, the parts' groups are told apart by their remainder.
            grouping.of_link.push(number * parts as u32 + part as u32);
            match grouping.members.get_mut(number as usize) {
                Some(m) => {
                    m.count += 1;
                    if m.odd.is_none() && l.effect != m.first.effect {
                        let effect_line = lines.get(i).map_or(l.origin.line, |&(_, e)| e);
                        m.odd = Some((l, effect_line));
                    }
                }
                None => grouping.members.push(Members {
                    count: 1,
                    first: l,
                    odd: None,
                }),
            }
        }
        grouping
    }

    /// The key and number of group `name` of `consumer` (declared or implied), at
    /// position `at`, in this part (`part` of `parts`).
    fn find(
        &mut self,
        at: u32,
        consumer: &'l str,
        name: &'l str,
        part: usize,
        parts: usize,
    ) -> ((u32, u32), Option<u32>) {
        let key = self.keys.key(at, consumer, name);
        let number = self
            .numbers
            .get(&key)
            .map(|&n| n * parts as u32 + part as u32);
        (key, number)
    }

    /// The members of group `number`, one of this part's (of `parts`).
    fn members_of(&self, number: u32, parts: usize) -> Option<&Members<'l>> {
        self.members.get(number as usize / parts.max(1))
    }

    /// Checks the group declarations of this part (`part` of `parts`) in declaration
    /// order, `ats` their consumers' positions: each declared group's number and `min`,
    /// and what is wrong, by declaration. A consumer no node has is reported by part 0.
    fn check_declarations(
        &mut self,
        part: usize,
        parts: usize,
        decls: &[&'l GroupDecl],
        ats: &[u32],
        known: &Known<'_>,
        min_lines: &[usize],
    ) -> Checked {
        let mut seen_groups: FastMap<(u32, u32), &Origin> = FastMap::default();
        let (mut mins, mut wrong) = (Vec::new(), Vec::new());
        for (i, (g, &at)) in decls.iter().zip(ats).enumerate() {
            let subject = || format!("group `{}` of `{}`", echo(&g.group), echo(&g.consumer));
            if known.missing(at) {
                if part == 0 {
                    let d =
                        known.unknown(&g.origin, g.origin.line, subject(), "consumer", &g.consumer);
                    wrong.push((i, d));
                }
                continue;
            }
            if part_of(at, parts) != part {
                continue;
            }
            let (key, number) = self.find(at, &g.consumer, &g.group, part, parts);
            if let Some(prev) = seen_groups.insert(key, &g.origin) {
                let d = located(&g.origin, "group declared twice")
                    .subject(subject())
                    .expected("one declaration per consumer and group")
                    .help(format!("first declared at {prev}"));
                wrong.push((i, d));
                continue;
            }
            let n = number
                .and_then(|n| self.members_of(n, parts))
                .map_or(0, |m| m.count);
            if let Some(number) = number {
                mins.push((i, (number, g.min)));
            }
            if n == 0 {
                wrong.push((
                    i,
                    located(&g.origin, "group declared with no members")
                        .subject(subject())
                        .field("group")
                        .expected(format!(
                            "links with consumer `{}` and group `{}`",
                            echo(&g.consumer),
                            echo(&g.group)
                        )),
                ));
            } else if g.min as usize > n {
                let line = min_lines.get(i).copied().unwrap_or(g.origin.line);
                wrong.push((
                    i,
                    Diagnostic::at(
                        &g.origin,
                        line,
                        format!("`min` is {} but the group has {n} member(s)", g.min),
                    )
                    .subject(subject())
                    .field("min")
                    .expected(format!("a whole number from 1 to {n}")),
                ));
            }
        }
        (mins, wrong)
    }
}

/// Each part reads every link: worth it only for many. (Unit tests split even a few, so
/// that the split is what they check.)
#[cfg(not(test))]
const MANY_LINKS: usize = 1 << 16;
#[cfg(test)]
const MANY_LINKS: usize = 2;

/// The groups of every link, their parts counted side by side.
struct Groupings<'l> {
    parts: Vec<Grouping<'l>>,
    /// Each link's group number ([`NONE`]: in no group).
    of_link: Vec<u32>,
}

impl<'l> Groupings<'l> {
    fn of(all: &'l LinkTable, known: &'l Known<'_>) -> Self {
        let parts = if all.links.len() >= MANY_LINKS {
            rayon::current_num_threads().clamp(1, 4)
        } else {
            1
        };
        let mut grouped: Vec<Grouping<'l>> = (0..parts)
            .into_par_iter()
            .map(|part| Grouping::of(all, known, part, parts))
            .collect();
        let of_link = match grouped.as_mut_slice() {
            [one] => std::mem::take(&mut one.of_link),
            many => (0..all.links.len())
                .into_par_iter()
                .map(|i| {
                    many.iter()
                        .filter_map(|g| g.of_link.get(i).copied())
                        .find(|&n| n != NONE)
                        .unwrap_or(NONE)
                })
                .collect(),
        };
        Groupings {
            parts: grouped,
            of_link,
        }
    }

    /// How many group numbers there are (some unused).
    fn count(&self) -> usize {
        let most = self.parts.iter().map(|g| g.members.len()).max();
        most.unwrap_or(0) * self.parts.len()
    }
}

/// Cross-reference checks, default link ids, `sites` expansion, canonical order: the
/// validation passes below, in sequence. Each returns its diagnostics; they are listed in
/// file and line order, those of one line in the order of the passes.
pub(crate) fn finish(
    items: Items,
    mut diags: Vec<Diagnostic>,
    main_file: &Path,
) -> Result<LoadOutcome, LoadError> {
    let Items {
        nodes,
        mut links,
        link_lines,
        groups,
        sites_lines,
        id_lines,
        min_lines,
        incomplete,
        policy,
        rto,
    } = items;
    if nodes.is_empty() && diags.is_empty() {
        diags.push(no_nodes(main_file));
    }
    diags.extend(duplicate_node_ids(&nodes, &id_lines));
    let dense: Vec<Text> = nodes.iter().map(|n| n.id.clone()).collect();
    let ids = Known::new(&dense, incomplete);
    let mut repeats = default_link_ids(&mut links, &link_lines);
    let (ends, end_diags) = link_ends(&links, &link_lines, &ids);
    diags.extend(end_diags);
    let written = links.len();
    let hosting: usize = nodes.iter().map(|n| n.sites.len()).sum();
    let mut all = LinkTable::of_written((links, &link_lines), ends, hosting);
    // 40 bytes a link, no longer needed: not kept through the checks below.
    drop(link_lines);
    let (implied_groups, site_diags) =
        expand_sites(&nodes, &sites_lines, &groups, &ids, &mut repeats, &mut all);
    diags.extend(site_diags);
    // Independent checks, run side by side; their diagnostics are listed in this order.
    let (link_diags, (group_diags, groups_numbered)) = rayon::join(
        || duplicate_link_ids(&all.links, &all.lines),
        || group_checks(&groups, &implied_groups, &min_lines, &all, &ids),
    );
    diags.extend(link_diags);
    diags.extend(group_diags);
    if !diags.is_empty() {
        diags.sort_by(Diagnostic::order);
        return Err(LoadError { diagnostics: diags });
    }
    let LinkTable {
        links: all_links,
        ends,
        ..
    } = all;
    let refs = FileOrder {
        ends,
        groups: groups_numbered,
    };
    let (inventory, resolved) = canonical_order(
        nodes,
        (all_links, written),
        groups,
        implied_groups,
        policy,
        rto,
        refs,
    );
    Ok(LoadOutcome {
        inventory,
        warnings: Vec::new(),
        resolved: Some(resolved),
    })
}

/// An inventory without a single node (and no other problem that would explain it).
fn no_nodes(main_file: &Path) -> Diagnostic {
    Diagnostic::new(main_file, 1, "the inventory has no nodes")
        .expected("at least one [[system]] or [[site]] (or a row in systems.csv)")
}

/// Node ids declared twice, in file order: a TOML reader may list [[site]] before [[system]].
fn duplicate_node_ids(nodes: &[Node], id_lines: &[usize]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let id_line = |i: usize| id_lines.get(i).copied().unwrap_or(nodes[i].origin.line);
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    if !nodes.is_sorted_by_key(|n| n.origin.line) {
        order.sort_by_key(|&i| (nodes[i].origin.line, i));
    }
    let mut first_at: FastMap<&str, &Origin> =
        FastMap::with_capacity_and_hasher(nodes.len(), Default::default());
    for &i in &order {
        let n = &nodes[i];
        if let Some(prev) = first_at.insert(&n.id, &n.origin) {
            diags.push(
                Diagnostic::at(
                    &n.origin,
                    id_line(i),
                    format!("duplicate node id `{}`", echo(&n.id)),
                )
                .keyed("diag-duplicate-node", &[("id", &echo(&n.id))])
                .field("id")
                .expected_keyed("diag-expected-node-once")
                .help(format!("first declared at {prev}"))
                .help_keyed("diag-first-declared", &[("at", &prev.to_string())]),
            );
        }
    }
    diags
}

/// The declared node ids, for the reference checks: looks ids up and reports those that
/// name no node.
struct Known<'a> {
    /// Each id's node position.
    positions: FastMap<&'a str, u32>,
    /// Some input could not be read: an id that looks unknown may be in it.
    incomplete: bool,
}

impl<'a> Known<'a> {
    /// `dense`: the node ids side by side, so that a million lookups compare with a dense
    /// table rather than reach into each node.
    fn new(dense: &'a [Text], incomplete: bool) -> Self {
        Known {
            positions: dense.iter().map(Text::as_str).zip(0..).collect(),
            incomplete,
        }
    }

    /// Whether an id looked up at `at` is reported as naming no node: it is undeclared, and
    /// no unreadable part of the input may declare it.
    fn missing(&self, at: u32) -> bool {
        at == NONE && !self.incomplete
    }

    /// The position of the node `id`, [`NONE`] for an undeclared one.
    fn position(&self, id: &str) -> u32 {
        self.positions.get(id).copied().unwrap_or(NONE)
    }

    fn unknown(
        &self,
        origin: &Origin,
        line: usize,
        subject: String,
        field: &str,
        id: &str,
    ) -> Diagnostic {
        Diagnostic::at(origin, line, format!("unknown node id `{}`", echo(id)))
            .keyed("diag-unknown-node", &[("id", &echo(id))])
            .subject(subject)
            .field(field)
            .expected_keyed("diag-expected-node-id")
            .did_you_mean(id, self.positions.keys().copied())
    }
}

/// Gives the links without an id their default one, in file order: `c->p`, then `c->p#2`,
/// `c->p#3` … for repeats. Returns how many links each (consumer, provider) pair has, for
/// the hosting links that `sites` adds after them.
fn default_link_ids(links: &mut [Link], lines: &[LinkLines]) -> FastMap<(Text, Text), u32> {
    let mut repeats: FastMap<(Text, Text), u32> = FastMap::default();
    for (l, LinkLines { explicit, .. }) in links.iter_mut().zip(lines) {
        if !*explicit {
            let n = repeats
                .entry((l.consumer.clone(), l.provider.clone()))
                .or_insert(0);
            *n += 1;
            l.id = default_link_id(&l.consumer, &l.provider, *n);
        }
    }
    repeats
}

/// The (consumer, provider) positions of every link ([`NONE`] for an undeclared node),
/// looked up on every core; and a diagnostic, in link order, for each end that names no
/// node.
fn link_ends(
    links: &[Link],
    lines: &[LinkLines],
    known: &Known<'_>,
) -> (Vec<(u32, u32)>, Vec<Diagnostic>) {
    let ends: Vec<(u32, u32)> = links
        .par_iter()
        .map(|l| (known.position(&l.consumer), known.position(&l.provider)))
        .collect();
    if !ends
        .par_iter()
        .any(|&(c, p)| known.missing(c) || known.missing(p))
    {
        return (ends, Vec::new());
    }
    let diags = links
        .par_iter()
        .zip(lines)
        .zip(&ends)
        .flat_map_iter(
            |(
                (
                    l,
                    LinkLines {
                        consumer_line,
                        provider_line,
                        ..
                    },
                ),
                &(c, p),
            )| {
                [
                    ("consumer", &l.consumer, *consumer_line, c),
                    ("provider", &l.provider, *provider_line, p),
                ]
                .into_iter()
                .filter(|&(_, _, _, at)| known.missing(at))
                .map(|(field, id, line, _)| {
                    known.unknown(
                        &l.origin,
                        line,
                        format!("link `{}`", echo(&l.id)),
                        field,
                        id,
                    )
                })
                .collect::<Vec<_>>()
            },
        )
        .collect();
    (ends, diags)
}

/// Every link, with what the checks know of it, side by side by link position.
struct LinkTable {
    links: Vec<Link>,
    /// The lines of the fields the checks name (`id`, `effect`).
    lines: Vec<(usize, usize)>,
    /// The (consumer, provider) node positions ([`NONE`]: no declared node).
    ends: Vec<(u32, u32)>,
}

impl LinkTable {
    /// The written links, with their lines and `ends`; room is made for `more` links.
    fn of_written(
        (mut links, written): (Vec<Link>, &[LinkLines]),
        mut ends: Vec<(u32, u32)>,
        more: usize,
    ) -> Self {
        let mut lines: Vec<(usize, usize)> = Vec::with_capacity(written.len() + more);
        lines.extend(written.iter().map(|l| (l.id_line, l.effect_line)));
        links.reserve(more);
        ends.reserve(more);
        LinkTable { links, lines, ends }
    }
}

/// The `sites` shorthand: one hosting link per site, all in the consumer's `hosting` group
/// (implied unless declared). Adds the links; returns the implied groups and the sites
/// that name no node.
fn expand_sites(
    nodes: &[Node],
    sites_lines: &[usize],
    groups: &[GroupDecl],
    known: &Known<'_>,
    repeats: &mut FastMap<(Text, Text), u32>,
    all: &mut LinkTable,
) -> (Vec<GroupDecl>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let declared: FastSet<(&str, &str)> = groups
        .iter()
        .map(|g| (g.consumer.as_str(), g.group.as_str()))
        .collect();
    let mut implied_groups = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        let line = sites_lines.get(i).copied().unwrap_or(n.origin.line);
        let mut hosted = false;
        // The node itself and repeated entries were reported and left out when it was read.
        for site in &n.sites {
            let at = known.position(site);
            if known.missing(at) {
                diags.push(known.unknown(
                    &n.origin,
                    line,
                    format!("{} `{}`", n.kind, echo(&n.id)),
                    "sites",
                    site,
                ));
                continue;
            }
            hosted = true;
            let count = repeats.entry((n.id.clone(), site.clone())).or_insert(0);
            *count += 1;
            all.links.push(Link {
                id: default_link_id(&n.id, site, *count),
                consumer: n.id.clone(),
                provider: site.clone(),
                kind: LinkKind::Hosting,
                mode: Mode::Sync,
                tolerance_secs: 0,
                effect: Effect::Down,
                group: Some(Text::from(HOSTING_GROUP)),
                method: None,
                data: None,
                calls: None,
                from_sites: true,
                origin: n.origin.clone(),
            });
            all.lines.push((line, line));
            all.ends.push((i as u32, at));
        }
        // Only when a hosting link was made: an unknown site is reported once, above.
        if hosted && !declared.contains(&(n.id.as_str(), HOSTING_GROUP)) {
            implied_groups.push(GroupDecl {
                consumer: n.id.clone(),
                group: Text::from(HOSTING_GROUP),
                min: 1,
                from_sites: true,
                origin: n.origin.clone(),
            });
        }
    }
    (implied_groups, diags)
}

/// Link ids given twice (a written id may equal a default one).
fn duplicate_link_ids(all_links: &[Link], link_lines: &[(usize, usize)]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // Inventories are mostly written in id order (ripplemap writes them so); then no id
    // repeats, and a look at neighbours shows it without a table of every id.
    if all_links.windows(2).all(|w| w[0].id < w[1].id) {
        return diags;
    }
    let mut link_at: FastMap<&str, &Origin> =
        FastMap::with_capacity_and_hasher(all_links.len(), Default::default());
    for (l, (id_line, _)) in all_links.iter().zip(link_lines) {
        if let Some(prev) = link_at.insert(&l.id, &l.origin) {
            diags.push(
                Diagnostic::at(
                    &l.origin,
                    *id_line,
                    format!("duplicate link id `{}`", echo(&l.id)),
                )
                .keyed("diag-duplicate-link", &[("id", &echo(&l.id))])
                .field("id")
                .expected_keyed("diag-expected-link-once")
                .help(format!("first declared at {prev}"))
                .help_keyed("diag-first-declared", &[("at", &prev.to_string())]),
            );
        }
    }
    diags
}

/// The groups, declared and implied: a known consumer, one declaration each, at least one
/// member, `min` at most the member count, and one effect for all members.
fn group_checks<'l>(
    groups: &'l [GroupDecl],
    implied_groups: &'l [GroupDecl],
    min_lines: &[usize],
    all: &'l LinkTable,
    known: &'l Known<'_>,
) -> (Vec<Diagnostic>, GroupNumbers) {
    let mut diags = Vec::new();
    let mut grouped = Groupings::of(all, known);
    let decls: Vec<&GroupDecl> = groups.iter().chain(implied_groups).collect();
    let ats: Vec<u32> = decls
        .par_iter()
        .map(|g| known.position(&g.consumer))
        .collect();
    // A declaration's group is in its consumer's part: each part checks its own
    // declarations on its core, in declaration order (a group declared twice is found
    // within its part); what they find is then put back in declaration order.
    let parts = grouped.parts.len();
    let found: Vec<Checked> = grouped
        .parts
        .par_iter_mut()
        .enumerate()
        .map(|(part, grouping)| {
            grouping.check_declarations(part, parts, &decls, &ats, known, min_lines)
        })
        .collect();
    let mut numbered: Vec<(usize, (u32, u32))> = Vec::new();
    let mut wrong: Vec<(usize, Diagnostic)> = Vec::new();
    for (m, w) in found {
        numbered.extend(m);
        wrong.extend(w);
    }
    numbered.sort_unstable_by_key(|&(i, _)| i);
    wrong.sort_by_key(|&(i, _)| i);
    let mins: Vec<(u32, u32)> = numbered.into_iter().map(|(_, m)| m).collect();
    diags.extend(wrong.into_iter().map(|(_, d)| d));
    // In (consumer, group) order, as the diagnostics of one line are listed.
    let mut mixed: Vec<&Members<'_>> = (grouped.parts.iter())
        .flat_map(|g| &g.members)
        .filter(|m| m.odd.is_some())
        .collect();
    mixed.sort_unstable_by_key(|m| (&m.first.consumer, &m.first.group));
    for m in mixed {
        let (first, Some((odd, effect_line))) = (m.first, m.odd) else {
            continue;
        };
        let (consumer, group) = (&first.consumer, first.group.as_deref().unwrap_or_default());
        diags.push(
            Diagnostic::at(
                &odd.origin,
                effect_line,
                format!(
                    "members of group `{}` of `{}` have different effects",
                    echo(group),
                    echo(consumer)
                ),
            )
            .subject(format!("link `{}`", echo(&odd.id)))
            .field("effect")
            .expected(format!(
                "effect `{}` like link `{}` at {}",
                first.effect,
                echo(&first.id),
                first.origin
            )),
        );
    }
    let count = grouped.count();
    let numbers = GroupNumbers {
        of_link: grouped.of_link,
        count,
        mins,
    };
    (diags, numbers)
}

/// The model in its canonical order, so that the three forms of one inventory give the same
/// model: nodes and links by id, groups by consumer and name (the implied ones with the
/// declared), policy settings by rule.
fn canonical_order(
    mut nodes: Vec<Node>,
    (mut all_links, written): (Vec<Link>, usize),
    mut groups: Vec<GroupDecl>,
    implied_groups: Vec<GroupDecl>,
    mut policy: Vec<PolicySetting>,
    mut rto: Vec<RtoTarget>,
    refs: FileOrder,
) -> (Inventory, Resolved) {
    groups.extend(implied_groups);
    // The ids are unique here (repeats were errors): one order, whichever sort finds it.
    let resolved = resolve::sort_by_id(&mut nodes, &mut all_links, written, refs);
    // Room was made for a link a line (and for hosting links): give the spare tail back.
    all_links.shrink_to_fit();
    groups.par_sort_unstable_by(|a, b| (&a.consumer, &a.group).cmp(&(&b.consumer, &b.group)));
    policy.sort_by(|a, b| a.rule.cmp(&b.rule));
    rto.sort_by_key(|t| t.grade);
    let inventory = Inventory {
        nodes,
        links: all_links,
        groups,
        policy,
        rto,
    };
    (inventory, resolved)
}

fn default_link_id(consumer: &str, provider: &str, n: u32) -> Text {
    if n <= 1 {
        compact_str::format_compact!("{consumer}->{provider}")
    } else {
        compact_str::format_compact!("{consumer}->{provider}#{n}")
    }
}

fn located(origin: &Origin, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at(origin, origin.line, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first diagnostic of a broken fixture, as the CLI prints its first line.
    fn first_error(fixture: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/bad")
            .join(fixture);
        let e = load(&path).unwrap_err();
        let d = &e.diagnostics[0];
        format!("{}: {}", d.line.unwrap_or(0), d.message)
    }

    #[test]
    fn group_declarations_checked_in_parts_report_every_problem_in_line_order() {
        // Consumers c0..c5 fall in both parts (a part a position, taken in turn); each has
        // two providers in group `g`. Declarations alternate between the parts.
        let mut toml = String::new();
        for i in 0..6 {
            toml += &format!("[[system]]\nid = \"c{i}\"\n\n");
        }
        for p in ["p0", "p1"] {
            toml += &format!("[[system]]\nid = \"{p}\"\n\n");
        }
        for i in 0..6 {
            for p in ["p0", "p1"] {
                toml += &format!(
                    "[[link]]\nconsumer = \"c{i}\"\nprovider = \"{p}\"\ngroup = \"g\"\n\n"
                );
            }
        }
        let decls = [
            ("c1", "g", 1),
            ("c2", "g", 1),
            ("c1", "g", 2),
            ("nobody", "g", 1),
            ("c3", "none", 1),
            ("c2", "g", 1),
            ("c4", "g", 3),
            ("c5", "g", 2),
        ];
        for (consumer, group, min) in decls {
            toml += &format!(
                "[[group]]\nconsumer = \"{consumer}\"\ngroup = \"{group}\"\nmin = {min}\n\n"
            );
        }
        let e = load_str(&toml, Format::Toml, Path::new("parts.toml")).unwrap_err();
        let messages: Vec<String> = e
            .diagnostics
            .iter()
            .map(|d| d.message.split(" (").next().unwrap_or_default().to_owned())
            .collect();
        assert_eq!(
            messages,
            [
                "group declared twice",
                "unknown node id `nobody`",
                "group declared with no members",
                "group declared twice",
                "`min` is 3 but the group has 2 member(s)",
            ]
        );
        let lines: Vec<usize> = e.diagnostics.iter().filter_map(|d| d.line).collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
    }

    #[test]
    fn group_checks_counted_in_parts_report_what_one_count_reports() {
        for (fixture, want) in [
            ("group_declared_twice.toml", "25: group declared twice"),
            (
                "group_mixed_effect.toml",
                "19: members of group `banks` of `payments` have different effects",
            ),
            (
                "group_no_members.toml",
                "11: group declared with no members",
            ),
            (
                "group_min_too_big.toml",
                "23: `min` is 3 but the group has 2 member(s)",
            ),
            (
                "unknown_group_consumer.toml",
                "12: unknown node id `saeoll`",
            ),
        ] {
            assert_eq!(first_error(fixture), want, "{fixture}");
        }
    }
}
