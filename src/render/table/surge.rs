//! The surge table: the loaded nodes with their utilization as a bar, saturated first, then
//! the headroom; with `--cascade`, the heading of what the saturated nodes take down (the
//! failure table that follows is [`super::impact`]'s).

use std::borrow::Cow;
use std::io::{self, Write};

use super::Cell;
use comfy_table::{CellAlignment, Color};

use super::{Style, cell, grade, table_of};
use crate::analysis::surge::{Loaded, Surge};
use crate::engine::Impact;
use crate::lang::{num as n, text};
use crate::render::style::{self, escape, pad, paint, rate};

/// Columns of the summary labels (`saturated:` and a space).
const LABEL: usize = 11;

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
fn headroom(s: &Surge, style: Style) -> String {
    match (s.summary.headroom, s.first) {
        (None, _) | (_, None) => style.msg("surge-headroom-none"),
        (Some(h), Some(first)) => style.msg_with(
            if h < 0.0 {
                "surge-headroom-negative"
            } else {
                "surge-headroom"
            },
            &[
                ("id", text(escape::terminal(first))),
                ("headroom", text(format!("{h:.2}"))),
            ],
        ),
    }
}

/// A right-aligned rate.
fn num(text: String) -> Cell<'static> {
    Cell::new(text).set_alignment(CellAlignment::Right)
}

/// The surge: saturated nodes first (utilization as a bar), then the most loaded, then the
/// nodes without a capacity; then the summary with the headroom.
pub fn surge(s: &Surge, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let lang = style.lang;
    let failures = if s.scenario.failed.is_empty() && s.scenario.failed_links.is_empty() {
        style.msg("surge-nothing-failed")
    } else {
        let what = style::what(lang, &s.scenario.failed, &s.scenario.failed_links);
        style.msg_with(
            "surge-failed",
            &[("list", text(escape::terminal(&what))), ("down", n(s.down))],
        )
    };
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("surge-title"), "1"),
        style.msg_with(
            "surge-subtitle",
            &[
                (
                    "surge",
                    text(escape::terminal(&style::surges(lang, &s.scenario.surge))),
                ),
                ("failures", text(failures)),
            ]
        )
    )?;
    if s.nodes.is_empty() {
        writeln!(w, "\n{}", style.msg("surge-no-load"))?;
    } else {
        writeln!(w)?;
        let mut t = table_of(
            style,
            &[
                "col-utilization",
                "col-id",
                "col-name",
                "col-grade",
                "col-normal",
                "col-surge",
                "col-capacity",
                "col-path",
            ],
        );
        for r in &s.nodes {
            t.add_row(row(s, r, style));
        }
        t.write(w)?;
    }
    writeln!(w, "\n{}", paint(style, &style.msg("summary"), "1"))?;
    let saturated: Vec<&str> = s.saturated().map(|r| r.id).collect();
    let names = if saturated.is_empty() {
        String::new()
    } else {
        format!("  ({})", escape::terminal(&saturated.join(", ")))
    };
    let label = |id: &str| pad(&style.msg(id), LABEL);
    writeln!(
        w,
        "  {}{:>5}{names}",
        label("surge-saturated"),
        paint(
            style,
            &s.summary.saturated.to_string(),
            if s.summary.saturated > 0 { "1;31" } else { "1" }
        )
    )?;
    writeln!(
        w,
        "  {}{:>5}  {}",
        label("surge-loaded"),
        s.nodes.len(),
        style.msg("surge-loaded-note")
    )?;
    writeln!(
        w,
        "  {}{}",
        label("surge-headroom-label"),
        headroom(s, style)
    )
}

/// The heading of `--cascade`: what the saturated nodes take down follows (`cascade` is
/// `None` when nothing saturates, and then nothing follows).
pub fn surge_cascade(
    s: &Surge,
    cascade: Option<&Impact>,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    let title = paint(style, &style.msg("surge-cascade"), "1");
    match cascade {
        None => writeln!(w, "\n{title} {}", style.msg("surge-cascade-none")),
        Some(imp) => writeln!(
            w,
            "\n{title} {}\n",
            style.msg_with(
                "surge-cascade-some",
                &[("down", n(imp.summary.down)), ("before", n(s.down))]
            )
        ),
    }
}

fn row<'a>(s: &'a Surge, r: &'a Loaded, style: Style) -> Vec<Cell<'a>> {
    let bar_cell = match r.utilization {
        Some(u) if r.saturated => {
            let c = Cell::new(bar(u));
            if style.color {
                c.fg(Color::Red).bold()
            } else {
                c
            }
        }
        Some(u) if u > 0.8 && style.color => Cell::new(bar(u)).fg(Color::Yellow),
        Some(u) => Cell::new(bar(u)),
        None => Cell::new(style.msg("surge-no-capacity")),
    };
    vec![
        bar_cell,
        cell(r.id),
        cell(r.name),
        grade(r.grade),
        num(rate(r.baseline)),
        num(rate(r.load)),
        num(r.capacity.map_or_else(|| "-".to_owned(), rate)),
        cell(style::path(style.lang, &s.short_path(r), " -> ", Cow::from)),
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
