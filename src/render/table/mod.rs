//! Terminal tables for people: condensed UTF-8 borders, bold headers, colour only when the
//! [`Style`] says so, and user text escaped for the terminal. One module per kind of
//! result; they share the house table below.

mod analyses;
mod check;
mod diff;
mod grid;
mod recover;
mod scenario;
mod surge;

use std::borrow::Cow;

use comfy_table::{CellAlignment, Color};
use compact_str::ToCompactString;
use grid::{Cell, Table};

pub use analyses::{cuts, rank, scenarios};
pub use check::{findings, stats};
pub use diff::diff;
pub use recover::{crews_what_if, recover};
pub use scenario::{change, impact};
pub use surge::{surge, surge_cascade};

use super::style::{self, Style, escape};
use crate::grade::Grade;

/// A table in the house style: condensed UTF-8 borders, bold header, colour and width as
/// `style` says.
fn table<'a>(style: Style, header: &[&'a str]) -> Table<'a> {
    Table::new(style, header.iter().map(|h| cell(*h)))
}

/// A table in the house style whose columns are the messages `ids`.
fn table_of<'a>(style: Style, ids: &[&str]) -> Table<'a> {
    Table::new(style, ids.iter().map(|id| cell(style.msg(id))))
}

/// A cell of user text, escaped for the terminal.
fn cell<'a>(text: impl Into<Cow<'a, str>>) -> Cell<'a> {
    // Most ids and names are printable ASCII: nothing to escape, and the cell is measured
    // by the same scan.
    let text = match Cell::printable(text.into()) {
        Ok(cell) => return cell,
        Err(text) => text,
    };
    match text {
        Cow::Borrowed(text) => Cell::new(escape::terminal(text)),
        // Kept as it is unless something in it had to be escaped.
        Cow::Owned(text) => match escape::terminal(&text) {
            Cow::Owned(escaped) => Cell::new(escaped),
            Cow::Borrowed(_) => Cell::new(text),
        },
    }
}

/// A cell in a colour when the style has colour.
fn colored<'a>(style: Style, text: impl Into<Cow<'a, str>>, color: Color) -> Cell<'a> {
    if style.color {
        Cell::new(text).fg(color)
    } else {
        Cell::new(text)
    }
}

/// A right-aligned number.
fn num<'a>(n: impl std::fmt::Display) -> Cell<'a> {
    Cell::compact(n.to_compact_string()).set_alignment(CellAlignment::Right)
}

/// A centred grade (`-` when ungraded).
fn grade<'a>(g: Option<Grade>) -> Cell<'a> {
    Cell::compact(style::grade(g)).set_alignment(CellAlignment::Center)
}

/// Items joined with commas, or `none`.
fn list_or_none(style: Style, items: &[String]) -> String {
    if items.is_empty() {
        style.msg("none")
    } else {
        items.join(", ")
    }
}
