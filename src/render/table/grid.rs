//! The house table: cells collected row by row, then written. A table with colour or a
//! width to fit goes through comfy-table, which styles and wraps; a plain one (a pipe, a
//! file, `NO_COLOR` without a terminal) is written here, line by line, to the same bytes:
//! comfy-table spends a few microseconds and several allocations on every cell, which is
//! most of the time of a 50,000-row table.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, CellAlignment, Color, ContentArrangement};
use compact_str::CompactString;
use rayon::prelude::*;
use smallvec::SmallVec;
use unicode_width::UnicodeWidthStr;

use super::Style;

/// One cell: its text (lines split at `\n`), alignment, and the colour and weight shown
/// only when the style has colour.
#[derive(Debug, Clone)]
pub(super) struct Cell<'a> {
    /// Borrowed when it can be: a 50,000-row table then allocates little per row.
    text: CellText<'a>,
    /// The widest line's width, measured once.
    width: usize,
    /// Whether the text has more than one line, found once.
    multiline: bool,
    align: CellAlignment,
    fg: Option<Color>,
    bold: bool,
}

impl<'a> Cell<'a> {
    /// A left-aligned cell of `text`, as given (escape user text first).
    pub fn new(text: impl Into<Cow<'a, str>>) -> Self {
        Cell::of(CellText::of(text.into()))
    }

    /// A left-aligned cell of `text` when it is printable ASCII (nothing to escape, one
    /// line, a column a byte: found in one scan); the text back otherwise.
    pub fn printable(text: Cow<'a, str>) -> Result<Self, Cow<'a, str>> {
        if !super::escape::printable_ascii(&text) {
            return Err(text);
        }
        let width = text.len();
        Ok(Cell::measured(CellText::of(text), width, false))
    }

    /// A left-aligned cell of short text made for it (a number, a grade): held inline,
    /// without allocating.
    pub fn compact(text: CompactString) -> Self {
        Cell::of(CellText::Owned(text))
    }

    fn of(text: CellText<'a>) -> Self {
        // Printable ASCII (most cells) is one line, a column a byte: one scan tells.
        let ascii = super::escape::printable_ascii(&text);
        let multiline = !ascii && text.as_bytes().contains(&b'\n');
        let width = match (ascii, multiline) {
            (true, _) => text.len(),
            (false, true) => text.split('\n').map(width).max().unwrap_or(0),
            (false, false) => text.width(),
        };
        Cell::measured(text, width, multiline)
    }

    /// A left-aligned plain cell of `text`, measured.
    fn measured(text: CellText<'a>, width: usize, multiline: bool) -> Self {
        Cell {
            text,
            width,
            multiline,
            align: CellAlignment::Left,
            fg: None,
            bold: false,
        }
    }

    /// The cell in a foreground colour (shown only with colour).
    pub fn fg(mut self, color: Color) -> Self {
        self.fg = Some(color);
        self
    }

    /// The cell in bold (shown only with colour).
    pub fn bold(mut self) -> Self {
        self.bold = true;
        self
    }

    /// The cell aligned in its column.
    pub fn set_alignment(mut self, align: CellAlignment) -> Self {
        self.align = align;
        self
    }

    fn to_comfy(&self) -> comfy_table::Cell {
        let mut c = comfy_table::Cell::new(&*self.text).set_alignment(self.align);
        if let Some(color) = self.fg {
            c = c.fg(color);
        }
        if self.bold {
            c = c.add_attribute(Attribute::Bold);
        }
        c
    }
}

/// A cell's text: borrowed, or owned (inline up to 24 bytes).
#[derive(Debug, Clone)]
enum CellText<'a> {
    Borrowed(&'a str),
    Owned(CompactString),
}

impl<'a> CellText<'a> {
    fn of(text: Cow<'a, str>) -> Self {
        match text {
            Cow::Borrowed(text) => CellText::Borrowed(text),
            Cow::Owned(text) => CellText::Owned(CompactString::from(text)),
        }
    }
}

impl std::ops::Deref for CellText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            CellText::Borrowed(text) => text,
            CellText::Owned(text) => text,
        }
    }
}

/// A table's row: its cells, held inline up to six (no allocation per row of a long
/// table).
pub(super) type Row<'a> = SmallVec<[Cell<'a>; 6]>;

/// A table in the house style: condensed UTF-8 borders, bold header, colour and width as
/// its style says.
#[derive(Debug, Clone)]
pub(super) struct Table<'a> {
    style: Style,
    header: Row<'a>,
    rows: Vec<Row<'a>>,
}

impl<'a> Table<'a> {
    /// An empty table with these header cells (shown bold).
    pub fn new(style: Style, header: impl IntoIterator<Item = Cell<'a>>) -> Self {
        Table {
            style,
            header: header.into_iter().map(Cell::bold).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row.
    pub fn add_row(&mut self, cells: impl IntoIterator<Item = Cell<'a>>) -> &mut Self {
        self.rows.push(cells.into_iter().collect());
        self
    }

    /// Adds rows built on every core (a hub's failure has tens of thousands), in order.
    pub fn add_rows(&mut self, rows: impl IntoParallelIterator<Item = Row<'a>>) -> &mut Self {
        self.rows.par_extend(rows);
        self
    }

    /// Writes the table and a line break.
    pub fn write(&self, w: &mut dyn Write) -> io::Result<()> {
        match self.plain_widths() {
            Some(widths) => self.write_plain(&widths, w),
            None => self.write_comfy(w),
        }
    }

    /// The column widths when the table can be written plainly: no colour, no width to fit,
    /// every row as long as the header, no column wider than comfy-table measures (u16).
    fn plain_widths(&self) -> Option<Vec<usize>> {
        if self.style.color || self.style.width.is_some() {
            return None;
        }
        let mut widths = vec![0usize; self.header.len()];
        for row in std::iter::once(&self.header).chain(&self.rows) {
            if row.len() != widths.len() {
                return None;
            }
            for (w, c) in widths.iter_mut().zip(row) {
                *w = c.width.max(*w);
            }
        }
        // comfy-table gives an empty column one space.
        widths.iter_mut().for_each(|w| *w = (*w).max(1));
        widths
            .iter()
            .all(|&w| w <= usize::from(u16::MAX) - 2)
            .then_some(widths)
    }

    fn write_plain(&self, widths: &[usize], w: &mut dyn Write) -> io::Result<()> {
        let mut line = String::new();
        border(&mut line, widths, ['┌', '─', '┬', '┐']);
        draw_row(&mut line, &self.header, widths);
        line.push('\n');
        border(&mut line, widths, ['╞', '═', '╪', '╡']);
        w.write_all(line.as_bytes())?;
        // Rows drawn on every core, a batch at a time, and written in order.
        let draw = |piece: std::ops::Range<usize>| {
            let rows = self.rows.get(piece).unwrap_or_default();
            let mut out = String::with_capacity(rows.len() * 128);
            for row in rows {
                draw_row(&mut out, row, widths);
            }
            io::Result::Ok(out)
        };
        crate::render::write_in_pieces(self.rows.len(), crate::render::PIECES, draw, w)?;
        line.clear();
        line.push('\n');
        border(&mut line, widths, ['└', '─', '┴', '┘']);
        line.push('\n');
        w.write_all(line.as_bytes())
    }

    fn write_comfy(&self, w: &mut dyn Write) -> io::Result<()> {
        let mut t = comfy_table::Table::new();
        t.load_style(UTF8_FULL_CONDENSED);
        if self.style.color {
            t.enforce_styling();
        } else {
            t.force_no_tty();
        }
        match self.style.width {
            Some(width) => {
                t.set_width(width);
                t.set_content_arrangement(ContentArrangement::Dynamic);
            }
            None => {
                t.set_content_arrangement(ContentArrangement::Disabled);
            }
        }
        t.set_header(self.header.iter().map(Cell::to_comfy));
        for row in &self.rows {
            t.add_row(row.iter().map(Cell::to_comfy));
        }
        // Line by line, without first joining the lines.
        for (i, line) in t.lines().enumerate() {
            if i > 0 {
                w.write_all(b"\n")?;
            }
            w.write_all(line.as_bytes())?;
        }
        w.write_all(b"\n")
    }
}

/// Appends a row (a line break, then its lines) in plain style; `widths` are its
/// columns' widths, each at least its cell's.
fn draw_row(line: &mut String, row: &[Cell<'_>], widths: &[usize]) {
    if row.iter().all(|c| !c.multiline) {
        // One line, each cell's width known.
        line.push_str("\n│");
        for (k, (cell, &width)) in row.iter().zip(widths).enumerate() {
            if k > 0 {
                line.push('┆');
            }
            pad(line, &cell.text, width - cell.width, cell.align);
        }
        line.push('│');
        return;
    }
    let height = row.iter().map(|c| c.text.split('\n').count()).max();
    let mut parts: Vec<_> = row.iter().map(|c| c.text.split('\n')).collect();
    for _ in 0..height.unwrap_or(0) {
        line.push_str("\n│");
        for (k, ((part, cell), &width)) in parts.iter_mut().zip(row).zip(widths).enumerate() {
            if k > 0 {
                line.push('┆');
            }
            match part.next() {
                Some(text) => pad(line, text, width - self::width(text), cell.align),
                None => pad(line, "", width, CellAlignment::Left),
            }
        }
        line.push('│');
    }
}

/// A horizontal border: `left`, each column's `fill` (its width and padding) joined by
/// `junction`, `right`.
fn border(line: &mut String, widths: &[usize], [left, fill, junction, right]: [char; 4]) {
    // Appended to what the line holds.
    line.push(left);
    for (k, &width) in widths.iter().enumerate() {
        if k > 0 {
            line.push(junction);
        }
        line.extend(std::iter::repeat_n(fill, width + 2));
    }
    line.push(right);
}

/// The width of a line as comfy-table measures it; printable ASCII (most cells) is one
/// column a byte.
fn width(line: &str) -> usize {
    if super::escape::printable_ascii(line) {
        line.len()
    } else {
        line.width()
    }
}

/// `text` with its padding (one space each side) and the `gap` to its column's width, as
/// `align` puts it.
fn pad(line: &mut String, text: &str, gap: usize, align: CellAlignment) {
    let (left, right) = match align {
        CellAlignment::Left => (0, gap),
        CellAlignment::Right => (gap, 0),
        CellAlignment::Center => (gap.div_ceil(2), gap / 2),
    };
    spaces(line, left + 1);
    line.push_str(text);
    spaces(line, right + 1);
}

fn spaces(line: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        line.push_str(SPACES.get(..k).unwrap_or_default());
        n -= k;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;
    use proptest::prelude::*;

    fn written(t: &Table) -> String {
        let mut out = Vec::new();
        t.write(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn comfy(t: &Table) -> String {
        let mut out = Vec::new();
        t.write_comfy(&mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn plain() -> Style {
        Style {
            color: false,
            width: None,
            lang: Lang::En,
        }
    }

    fn align(k: u8) -> CellAlignment {
        match k % 3 {
            0 => CellAlignment::Left,
            1 => CellAlignment::Right,
            _ => CellAlignment::Center,
        }
    }

    #[test]
    fn plain_table_is_drawn_by_hand() {
        let mut t = Table::new(plain(), [Cell::new("id"), Cell::new("등급")]);
        t.add_row([
            Cell::new("gov24"),
            Cell::new("1").set_alignment(CellAlignment::Center),
        ]);
        t.add_row([
            Cell::new(""),
            Cell::new("12").set_alignment(CellAlignment::Right),
        ]);
        assert_eq!(
            written(&t),
            "┌───────┬──────┐\n\
             │ id    ┆ 등급 │\n\
             ╞═══════╪══════╡\n\
             │ gov24 ┆   1  │\n\
             │       ┆   12 │\n\
             └───────┴──────┘\n"
        );
    }

    #[test]
    fn header_only_and_empty_columns_match_comfy() {
        let t = Table::new(plain(), [Cell::new(""), Cell::new("a")]);
        assert_eq!(written(&t), comfy(&t));
        assert!(written(&t).starts_with("┌───┬───┐\n"));
    }

    proptest! {
        // The hand-drawn table is byte for byte what comfy-table draws: any text (Korean,
        // wide, empty, several lines), any alignment, any number of rows.
        #[test]
        fn plain_writer_matches_comfy(
            header in prop::collection::vec("[a-z가-힣 ]{0,6}", 1..5),
            rows in prop::collection::vec(
                prop::collection::vec(("[a-z0-9가-힣→ \\n-]{0,9}", any::<u8>()), 5),
                0..6,
            ),
        ) {
            let n = header.len();
            let mut t = Table::new(plain(), header.iter().map(Cell::new));
            for row in &rows {
                t.add_row(row.iter().take(n).map(|(s, a)| Cell::new(s).set_alignment(align(*a))));
            }
            prop_assert_eq!(written(&t), comfy(&t));
        }
    }
}
