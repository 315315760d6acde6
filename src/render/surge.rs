//! Surge results (SPEC section 6) for people and machines, written to any writer: the
//! loaded nodes with their utilization as a bar, the headroom, and with `--cascade` what
//! the saturated nodes take down.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color};
use serde::Serialize;

use super::table::{cell, printable, table as new_table};
use super::{Style, grade_text, paint};
use crate::analysis::surge::{AtEcho, Loaded, Surge};
use crate::engine::{Impact, PathMode};

/// Cells of the utilization bar: 100 % fills them.
const BAR: usize = 10;

pub use crate::analysis::surge::format_rate as rate;

/// A utilization as a bar of [`BAR`] cells (eighths of a cell) and a percentage; past
/// 100 % the bar is full and ends in `▶`.
pub fn bar(utilization: f64) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let pct = format!("{:.0}%", utilization * 100.0);
    if !utilization.is_finite() || utilization > 1.0 {
        return format!("{}▶ {pct:>5}", "█".repeat(BAR));
    }
    let eighths = (utilization.max(0.0) * (BAR * 8) as f64).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full);
    s.push_str(EIGHTHS[part]);
    let drawn = full + usize::from(part > 0);
    s.push_str(&" ".repeat(BAR + 1 - drawn));
    format!("{s} {pct:>5}")
}

/// `vaccine-booking ×10`, `gov24 +5,000/s`.
fn surge_text(a: &AtEcho) -> String {
    match (a.factor, a.add) {
        (Some(f), _) => format!("{} ×{}", a.id, rate(f)),
        (None, Some(r)) => format!("{} +{}/s", a.id, rate(r)),
        (None, None) => a.id.clone(),
    }
}

/// The headroom sentence: `the surge fits 0.44 times: id-verify saturates first`.
pub fn headroom_text(s: &Surge) -> String {
    match (s.summary.headroom, s.first) {
        (None, _) | (_, None) => {
            "no node with a capacity receives added load: nothing limits the surge".to_owned()
        }
        (Some(h), Some(first)) if h < 0.0 => format!(
            "{} is saturated already without the surge (headroom {h:.2})",
            printable(first)
        ),
        (Some(h), Some(first)) => format!(
            "the surge fits {h:.2} times: {} saturates first",
            printable(first)
        ),
    }
}

fn num(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The surge as a table: saturated nodes first (utilization as a bar), then the most
/// loaded, then the nodes without a capacity; then the headroom. With a cascade, the
/// failure impact of the saturated nodes follows.
pub fn table_to(
    out: &mut dyn Write,
    s: &Surge,
    cascade: Option<Option<&Impact>>,
    style: Style,
) -> io::Result<()> {
    let what: Vec<String> = s.scenario.surge.iter().map(surge_text).collect();
    let mut failed: Vec<String> = s.scenario.failed.clone();
    failed.extend(s.scenario.failed_links.iter().map(|l| format!("link {l}")));
    let failures = if failed.is_empty() {
        "nothing failed".to_owned()
    } else {
        format!("{} failed: {} down", printable(&failed.join(", ")), s.down)
    };
    writeln!(
        out,
        "{} {} ({failures}), requests per second",
        paint(style, "Surge of", "1"),
        printable(&what.join(", "))
    )?;
    if s.nodes.is_empty() {
        writeln!(out, "\nNo system receives added load.")?;
    } else {
        writeln!(out)?;
        let mut t = new_table(
            style,
            &[
                "utilization",
                "id",
                "name",
                "grade",
                "normal",
                "surge",
                "capacity",
                "path",
            ],
        );
        for r in &s.nodes {
            t.add_row(row(s, r, style));
        }
        writeln!(out, "{t}")?;
    }
    writeln!(out, "\n{}", paint(style, "Summary", "1"))?;
    let saturated: Vec<&str> = s.saturated().map(|r| r.id).collect();
    let names = if saturated.is_empty() {
        String::new()
    } else {
        format!("  ({})", printable(&saturated.join(", ")))
    };
    writeln!(
        out,
        "  saturated: {:>5}{names}",
        paint(
            style,
            &s.summary.saturated.to_string(),
            if s.summary.saturated > 0 { "1;31" } else { "1" }
        )
    )?;
    writeln!(
        out,
        "  loaded:    {:>5}  (systems with added load)",
        s.nodes.len()
    )?;
    writeln!(out, "  headroom:  {}", headroom_text(s))?;
    match cascade {
        None => {}
        Some(None) => writeln!(
            out,
            "\n{} nothing saturates, so nothing more goes down.",
            paint(style, "Cascade:", "1")
        )?,
        Some(Some(imp)) => {
            writeln!(
                out,
                "\n{} the saturated systems taken as failed ({} down in all, {} before the surge)\n",
                paint(style, "Cascade:", "1"),
                imp.summary.down,
                s.down
            )?;
            out.write_all(super::table::impact(imp, style).as_bytes())?;
        }
    }
    Ok(())
}

fn row(s: &Surge, r: &Loaded, style: Style) -> Vec<Cell> {
    let bar_cell = match r.utilization {
        Some(u) if r.saturated => {
            let c = Cell::new(bar(u));
            if style.color {
                c.fg(Color::Red).add_attribute(Attribute::Bold)
            } else {
                c
            }
        }
        Some(u) if u > 0.8 && style.color => Cell::new(bar(u)).fg(Color::Yellow),
        Some(u) => Cell::new(bar(u)),
        None => Cell::new("no capacity"),
    };
    let p = s.short_path(r);
    let mut path: Vec<&str> = p.head.to_vec();
    let hidden = format!("({} more)", p.hidden);
    if p.hidden > 0 {
        path.push(&hidden);
        path.extend(p.tail.iter());
    }
    vec![
        bar_cell,
        cell(r.id),
        cell(r.name),
        cell(&grade_text(r.grade)).set_alignment(CellAlignment::Center),
        num(rate(r.baseline)),
        num(rate(r.load)),
        num(r.capacity.map_or_else(|| "-".to_owned(), rate)),
        cell(&path.join(" -> ")),
    ]
}

/// The surge as a table, as a string.
pub fn table(s: &Surge, cascade: Option<Option<&Impact>>, style: Style) -> String {
    let mut buf = Vec::new();
    // Writing to a vector cannot fail.
    let _ = table_to(&mut buf, s, cascade, style);
    String::from_utf8_lossy(&buf).into_owned()
}

/// The JSON document: SPEC section 6, plus `"cascade"` (the failure impact of SPEC
/// section 2 of the saturated nodes, or null when nothing saturates) when asked.
#[derive(Serialize)]
struct Document<'a, S: Serialize> {
    #[serde(flatten)]
    surge: S,
    #[serde(skip_serializing_if = "Option::is_none")]
    cascade: Option<Option<&'a Impact<'a>>>,
}

/// Writes the surge as pretty JSON with a trailing newline.
pub fn json_to(
    out: &mut dyn Write,
    s: &Surge,
    cascade: Option<Option<&Impact>>,
    mode: PathMode,
) -> io::Result<()> {
    let doc = Document {
        surge: s.json(mode),
        cascade,
    };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(io::Error::other)?;
    writeln!(out)
}

/// The surge as JSON, as a string.
pub fn json(s: &Surge, cascade: Option<Option<&Impact>>) -> String {
    let mut buf = Vec::new();
    let _ = json_to(&mut buf, s, cascade, PathMode::Full);
    String::from_utf8_lossy(&buf).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read_naturally() {
        assert_eq!(rate(9800.0), "9,800");
        assert_eq!(rate(1234567.891), "1,234,568");
        assert_eq!(rate(12.26), "12.3");
        assert_eq!(rate(1.255), "1.25");
        assert_eq!(rate(12.5), "12.5");
        assert_eq!(rate(0.333), "0.33");
        assert_eq!(rate(0.0), "0");
        assert_eq!(rate(1e-7), "<0.01");
        assert_eq!(rate(-1500.0), "-1,500");
    }

    #[test]
    fn bars_fill_to_a_hundred_percent() {
        assert_eq!(bar(0.0), "               0%");
        assert_eq!(bar(0.5), "█████         50%");
        assert_eq!(bar(1.96), "██████████▶  196%");
        assert_eq!(bar(1.0).chars().filter(|&c| c == '█').count(), 10);
    }
}
