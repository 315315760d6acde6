//! The surge table: the loaded nodes with their utilization as a bar, saturated first, then
//! the headroom; with `--cascade`, the heading of what the saturated nodes take down (the
//! failure table that follows is [`super::impact`]'s).

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color};

use super::{Style, cell, grade, table, write_table};
use crate::analysis::surge::{Loaded, Surge};
use crate::engine::Impact;
use crate::render::style::{self, escape, paint, rate};

/// Cells of the utilization bar: 100 % fills them.
const BAR: usize = 10;

/// A utilization as a bar of [`BAR`] cells (eighths of a cell) and a percentage; past
/// 100 % the bar is full and ends in `▶`.
fn bar(utilization: f64) -> String {
    const EIGHTHS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    let pct = format!("{:.0}%", utilization * 100.0);
    if !utilization.is_finite() || utilization > 1.0 {
        return format!("{}▶ {pct:>5}", "█".repeat(BAR));
    }
    let eighths = (utilization.max(0.0) * (BAR * 8) as f64).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut s = "█".repeat(full);
    s.push_str(EIGHTHS.get(part).copied().unwrap_or_default());
    let drawn = full + usize::from(part > 0);
    s.push_str(&" ".repeat((BAR + 1).saturating_sub(drawn)));
    format!("{s} {pct:>5}")
}

/// The headroom sentence: `the surge fits 0.44 times: id-verify saturates first`.
fn headroom(s: &Surge) -> String {
    match (s.summary.headroom, s.first) {
        (None, _) | (_, None) => {
            "no node with a capacity receives added load: nothing limits the surge".to_owned()
        }
        (Some(h), Some(first)) if h < 0.0 => format!(
            "{} is saturated already without the surge (headroom {h:.2})",
            escape::terminal(first)
        ),
        (Some(h), Some(first)) => format!(
            "the surge fits {h:.2} times: {} saturates first",
            escape::terminal(first)
        ),
    }
}

/// A right-aligned rate.
fn num(text: String) -> Cell {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The surge: saturated nodes first (utilization as a bar), then the most loaded, then the
/// nodes without a capacity; then the summary with the headroom.
pub fn surge(s: &Surge, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let mut failed: Vec<String> = s.scenario.failed.clone();
    failed.extend(s.scenario.failed_links.iter().map(|l| format!("link {l}")));
    let failures = if failed.is_empty() {
        "nothing failed".to_owned()
    } else {
        format!(
            "{} failed: {} down",
            escape::terminal(&failed.join(", ")),
            s.down
        )
    };
    writeln!(
        w,
        "{} {} ({failures}), requests per second",
        paint(style, "Surge of", "1"),
        escape::terminal(&style::surges(style.lang, &s.scenario.surge))
    )?;
    if s.nodes.is_empty() {
        writeln!(w, "\nNo system receives added load.")?;
    } else {
        writeln!(w)?;
        let mut t = table(
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
        write_table(&t, w)?;
    }
    writeln!(w, "\n{}", paint(style, "Summary", "1"))?;
    let saturated: Vec<&str> = s.saturated().map(|r| r.id).collect();
    let names = if saturated.is_empty() {
        String::new()
    } else {
        format!("  ({})", escape::terminal(&saturated.join(", ")))
    };
    writeln!(
        w,
        "  saturated: {:>5}{names}",
        paint(
            style,
            &s.summary.saturated.to_string(),
            if s.summary.saturated > 0 { "1;31" } else { "1" }
        )
    )?;
    writeln!(
        w,
        "  loaded:    {:>5}  (systems with added load)",
        s.nodes.len()
    )?;
    writeln!(w, "  headroom:  {}", headroom(s))
}

/// The heading of `--cascade`: what the saturated nodes take down follows (`cascade` is
/// `None` when nothing saturates, and then nothing follows).
pub fn surge_cascade(
    s: &Surge,
    cascade: Option<&Impact>,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    match cascade {
        None => writeln!(
            w,
            "\n{} nothing saturates, so nothing more goes down.",
            paint(style, "Cascade:", "1")
        ),
        Some(imp) => writeln!(
            w,
            "\n{} the saturated systems taken as failed ({} down in all, {} before the surge)\n",
            paint(style, "Cascade:", "1"),
            imp.summary.down,
            s.down
        ),
    }
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
    vec![
        bar_cell,
        cell(r.id),
        cell(r.name),
        grade(r.grade),
        num(rate(r.baseline)),
        num(rate(r.load)),
        num(r.capacity.map_or_else(|| "-".to_owned(), rate)),
        cell(&style::path(
            style.lang,
            &s.short_path(r),
            " -> ",
            str::to_owned,
        )),
    ]
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
