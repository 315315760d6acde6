//! The failure and change impact tables.

use std::borrow::Cow;
use std::io::{self, Write};

use comfy_table::Color;
use rayon::prelude::*;
use smallvec::smallvec;

use super::{Style, cell, colored, grade, list_or_none, num, table};
use crate::engine::{ChangeImpact, Impact, State};
use crate::grade::Grade;
use crate::lang::{num as n, text};
use crate::render::style::{self, escape, pad, paint};

/// Width of the labels of a summary (`down:`, `affected:`), in terminal columns.
const LABEL: usize = 11;

/// The failure impact: one table per moment (at once, then each later hour), then a
/// summary an operator can read an outage grade from.
pub fn impact(imp: &Impact, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let s = &imp.scenario;
    let lang = style.lang;
    writeln!(
        w,
        "{} {} ({})",
        paint(style, &style.msg("impact-title"), "1"),
        escape::terminal(&style::what(lang, &s.failed, &s.failed_links)),
        style::horizon(lang, s.horizon_hours)
    )?;

    let header = [
        style.msg("col-state"),
        style.msg("col-id"),
        style.msg("col-name"),
        style.msg("col-grade"),
        style.msg("col-agency"),
        style.msg("col-path"),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let (failed, down, degraded) = (
        style.msg("state-failed"),
        style.msg("state-down"),
        style.msg("state-degraded"),
    );
    for moment in imp.affected.chunk_by(|a, b| a.at_hours == b.at_hours) {
        let at = moment[0].at_hours;
        let title = if at == 0.0 {
            style.msg_with("at-once", &[("hours", text(style::hours(lang, 0.0)))])
        } else {
            style.msg_with("after-hours", &[("hours", text(style::hours(lang, at)))])
        };
        writeln!(w, "\n{}", paint(style, &title, "1"))?;
        let mut t = table(style, &header);
        t.add_rows(moment.par_iter().map(|a| {
            let state = match (a.state, a.seed) {
                (_, true) => colored(style, &failed, Color::Magenta).bold(),
                (State::Down, false) => colored(style, &down, Color::Red),
                (State::Degraded, false) => colored(style, &degraded, Color::Yellow),
            };
            smallvec![
                state,
                cell(a.id),
                cell(a.name),
                grade(a.grade),
                cell(a.agency.unwrap_or("-")),
                cell(style::path(lang, &imp.short_path(a), " -> ", Cow::from)),
            ]
        }));
        t.write(w)?;
    }
    match &imp.shown {
        Some(s) if imp.affected.is_empty() && s.total > 0 => {
            writeln!(w, "\n{}", style.msg("filter-no-match"))?
        }
        _ if imp.affected.is_empty() => writeln!(w, "\n{}", style.msg("impact-nothing"))?,
        _ => {}
    }
    let sum = &imp.summary;
    writeln!(w, "\n{}", paint(style, &style.msg("summary"), "1"))?;
    writeln!(
        w,
        "  {}{:>5}  ({})",
        pad(&style.msg("summary-down"), LABEL),
        sum.down,
        style::grade_counts(lang, &sum.down_by_grade)
    )?;
    writeln!(
        w,
        "  {}{:>5}  ({})",
        pad(&style.msg("summary-degraded"), LABEL),
        sum.degraded,
        style::grade_counts(lang, &sum.degraded_by_grade)
    )?;
    let critical = match sum.most_critical_down {
        Some(g) => paint(
            style,
            &style::grade_word(lang, g),
            if g == Grade::G1 { "1;31" } else { "1" },
        ),
        None => style.msg("none"),
    };
    writeln!(
        w,
        "  {}",
        style.msg_with("summary-critical-down", &[("grade", text(critical))])
    )?;
    writeln!(
        w,
        "  {}",
        style.msg_with(
            "summary-agencies-affected",
            &[
                ("n", n(sum.agencies.len())),
                (
                    "list",
                    text(escape::terminal(&list_or_none(style, &sum.agencies)))
                ),
            ]
        )
    )?;
    if let Some(s) = &imp.shown {
        writeln!(w, "  {}", escape::terminal(&style::shown(lang, s)))?;
    }
    Ok(())
}

/// The change impact: direct consumers first (they must retest), then the transitive ones
/// by depth, then who to notify.
pub fn change(ch: &ChangeImpact, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let lang = style.lang;
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("change-title"), "1"),
        escape::terminal(&style::what(lang, &ch.changed, &ch.changed_links))
    )?;
    let header = [
        style.msg("col-depth"),
        style.msg("col-id"),
        style.msg("col-name"),
        style.msg("col-grade"),
        style.msg("col-agency"),
        style.msg("col-path"),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let direct = ch.affected.partition_point(|r| r.depth == 1);
    for (title, rows) in [
        (style.msg("change-direct"), &ch.affected[..direct]),
        (style.msg("change-transitive"), &ch.affected[direct..]),
    ] {
        if rows.is_empty() {
            continue;
        }
        writeln!(w, "\n{}", paint(style, &title, "1"))?;
        let mut t = table(style, &header);
        t.add_rows(rows.par_iter().map(|r| {
            smallvec![
                num(r.depth),
                cell(r.id),
                cell(r.name),
                grade(r.grade),
                cell(r.agency.unwrap_or("-")),
                cell(style::path(lang, &ch.short_path(r), " -> ", Cow::from)),
            ]
        }));
        t.write(w)?;
    }
    match &ch.shown {
        Some(s) if ch.affected.is_empty() && s.total > 0 => {
            writeln!(w, "\n{}", style.msg("filter-no-match"))?
        }
        _ if ch.affected.is_empty() => writeln!(w, "\n{}", style.msg("change-nothing"))?,
        _ => {}
    }
    let s = &ch.summary;
    writeln!(w, "\n{}", paint(style, &style.msg("summary"), "1"))?;
    writeln!(
        w,
        "  {}{:>5}  ({})",
        pad(&style.msg("summary-affected"), LABEL),
        s.affected,
        style::grade_counts(lang, &s.by_grade)
    )?;
    writeln!(
        w,
        "  {}{:>5}",
        pad(&style.msg("summary-direct"), LABEL),
        s.direct
    )?;
    let critical = s
        .most_critical
        .map_or_else(|| style.msg("none"), |g| style::grade_word(lang, g));
    writeln!(
        w,
        "  {}",
        style.msg_with("summary-critical-affected", &[("grade", text(critical))])
    )?;
    writeln!(
        w,
        "  {}",
        style.msg_with(
            "summary-agencies-notify",
            &[
                ("n", n(s.agencies.len())),
                (
                    "list",
                    text(escape::terminal(&list_or_none(style, &s.agencies)))
                ),
            ]
        )
    )?;
    if let Some(s) = &ch.shown {
        writeln!(w, "  {}", escape::terminal(&style::shown(lang, s)))?;
    }
    Ok(())
}
