//! The failure and change impact tables.

use std::io::{self, Write};

use comfy_table::{Attribute, Color};

use super::{Style, cell, colored, grade, list_or_none, num, table, write_table};
use crate::engine::{ChangeImpact, Impact, State};
use crate::grade::Grade;
use crate::render::style::{self, escape, paint};

/// The failure impact: one table per moment (at once, then each later hour), then a
/// summary an operator can read an outage grade from.
pub fn impact(imp: &Impact, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let s = &imp.scenario;
    writeln!(
        w,
        "{} {} ({})",
        paint(style, "Failure of", "1"),
        escape::terminal(&style::what(&s.failed, &s.failed_links)),
        style::horizon(s.horizon_hours)
    )?;

    for moment in imp.affected.chunk_by(|a, b| a.at_hours == b.at_hours) {
        let at = moment[0].at_hours;
        let title = if at == 0.0 {
            "At once (0 h)".to_owned()
        } else {
            format!("After {}", style::hours(at))
        };
        writeln!(w, "\n{}", paint(style, &title, "1"))?;
        let mut t = table(style, &["state", "id", "name", "grade", "agency", "path"]);
        for a in moment {
            let state = match (a.state, a.seed) {
                (_, true) => {
                    colored(style, "FAILED", Color::Magenta).add_attribute(Attribute::Bold)
                }
                (State::Down, false) => colored(style, "down", Color::Red),
                (State::Degraded, false) => colored(style, "degraded", Color::Yellow),
            };
            t.add_row(vec![
                state,
                cell(a.id),
                cell(a.name),
                grade(a.grade),
                cell(a.agency.unwrap_or("-")),
                cell(&style::path(&imp.short_path(a), " -> ", str::to_owned)),
            ]);
        }
        write_table(&t, w)?;
    }
    match &imp.shown {
        Some(s) if imp.affected.is_empty() && s.total > 0 => {
            writeln!(w, "\nNo affected node matches the filter.")?
        }
        _ if imp.affected.is_empty() => writeln!(w, "\nNothing is affected.")?,
        _ => {}
    }
    let sum = &imp.summary;
    writeln!(w, "\n{}", paint(style, "Summary", "1"))?;
    writeln!(
        w,
        "  down:      {:>5}  ({})",
        sum.down,
        style::grade_counts(&sum.down_by_grade)
    )?;
    writeln!(
        w,
        "  degraded:  {:>5}  ({})",
        sum.degraded,
        style::grade_counts(&sum.degraded_by_grade)
    )?;
    let critical = match sum.most_critical_down {
        Some(g) => paint(
            style,
            &format!("grade {g}"),
            if g == Grade::G1 { "1;31" } else { "1" },
        ),
        None => "none".to_owned(),
    };
    writeln!(w, "  most critical grade down: {critical}")?;
    writeln!(
        w,
        "  agencies affected ({}): {}",
        sum.agencies.len(),
        escape::terminal(&list_or_none(&sum.agencies))
    )?;
    if let Some(s) = &imp.shown {
        writeln!(w, "  {}", escape::terminal(&style::shown(s)))?;
    }
    Ok(())
}

/// The change impact: direct consumers first (they must retest), then the transitive ones
/// by depth, then who to notify.
pub fn change(ch: &ChangeImpact, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {}",
        paint(style, "Change of", "1"),
        escape::terminal(&style::what(&ch.changed, &ch.changed_links))
    )?;
    let direct = ch.affected.partition_point(|r| r.depth == 1);
    for (title, rows) in [
        (
            "Direct consumers: notify and retest",
            &ch.affected[..direct],
        ),
        ("Transitive consumers, by depth", &ch.affected[direct..]),
    ] {
        if rows.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", paint(style, title, "1"))?;
        let mut t = table(style, &["depth", "id", "name", "grade", "agency", "path"]);
        for r in rows {
            t.add_row(vec![
                num(r.depth),
                cell(r.id),
                cell(r.name),
                grade(r.grade),
                cell(r.agency.unwrap_or("-")),
                cell(&style::path(&ch.short_path(r), " -> ", str::to_owned)),
            ]);
        }
        write_table(&t, w)?;
    }
    match &ch.shown {
        Some(s) if ch.affected.is_empty() && s.total > 0 => {
            writeln!(w, "\nNo affected node matches the filter.")?
        }
        _ if ch.affected.is_empty() => writeln!(w, "\nNothing depends on it.")?,
        _ => {}
    }
    let s = &ch.summary;
    writeln!(w, "\n{}", paint(style, "Summary", "1"))?;
    writeln!(
        w,
        "  affected:  {:>5}  ({})",
        s.affected,
        style::grade_counts(&s.by_grade)
    )?;
    writeln!(w, "  direct:    {:>5}", s.direct)?;
    let critical = s
        .most_critical
        .map_or_else(|| "none".to_owned(), |g| format!("grade {g}"));
    writeln!(w, "  most critical grade affected: {critical}")?;
    writeln!(
        w,
        "  agencies to notify ({}): {}",
        s.agencies.len(),
        escape::terminal(&list_or_none(&s.agencies))
    )?;
    if let Some(s) = &ch.shown {
        writeln!(w, "  {}", escape::terminal(&style::shown(s)))?;
    }
    Ok(())
}
