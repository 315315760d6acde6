//! Tables for people: failure impact, change impact and inventory summary.

use crate::grade::Grade;
use std::fmt::Write as _;

use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{Attribute, Cell, CellAlignment, Color, ContentArrangement, Table};

use super::{Style, grade_text, hours, paint};
use crate::analysis::InventoryStats;
use crate::engine::{ChangeImpact, Impact, State};
use crate::grade::GradeCounts;

/// A table in the house style: condensed UTF-8 borders, bold header, colour and width as
/// `style` says. Shared by every table renderer.
pub(crate) fn table(style: Style, header: &[&str]) -> Table {
    let mut t = Table::new();
    t.load_style(UTF8_FULL_CONDENSED);
    if style.color {
        t.enforce_styling();
    } else {
        t.force_no_tty();
    }
    match style.width {
        Some(w) => {
            t.set_width(w);
            t.set_content_arrangement(ContentArrangement::Dynamic);
        }
        None => {
            t.set_content_arrangement(ContentArrangement::Disabled);
        }
    }
    t.set_header(
        header
            .iter()
            .map(|h| cell(h).add_attribute(Attribute::Bold)),
    );
    t
}

/// A cell of user text: control characters are shown escaped, so an inventory cannot
/// move the cursor, recolour or retitle the terminal of whoever reads the report.
pub(crate) fn cell(text: &str) -> Cell {
    Cell::new(printable(text))
}

/// `text` with control characters escaped (`\u{1b}`, `\n` …).
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

fn colored(style: Style, text: &str, color: Color) -> Cell {
    if style.color {
        Cell::new(text).fg(color)
    } else {
        Cell::new(text)
    }
}

/// Grade counts as `g1 3 · g2 5 · g4 1`, leaving out zeros; `none` when empty.
pub fn grade_counts(c: &GradeCounts) -> String {
    let parts: Vec<String> = c
        .nonzero()
        .map(|(g, n)| match g {
            Some(g) => format!("grade {g}: {n}"),
            None => format!("ungraded: {n}"),
        })
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// The failure impact table: one table per moment (at once, then each later hour),
/// then a summary an operator can read an outage grade from.
pub fn impact(imp: &Impact, style: Style) -> String {
    let mut out = String::new();
    let s = &imp.scenario;
    let mut what: Vec<String> = s.failed.clone();
    what.extend(s.failed_links.iter().map(|l| format!("link {l}")));
    let horizon = match s.horizon_hours {
        Some(h) => format!("within {}", hours(h)),
        None => "no horizon: the outage lasts".to_owned(),
    };
    let _ = writeln!(
        out,
        "{} {} ({horizon})",
        paint(style, "Failure of", "1"),
        printable(&what.join(", "))
    );

    let mut start = 0;
    while start < imp.affected.len() {
        let at = imp.affected[start].at_hours;
        let end = imp.affected[start..]
            .iter()
            .position(|a| a.at_hours != at)
            .map_or(imp.affected.len(), |n| start + n);
        let title = if at == 0.0 {
            "At once (0 h)".to_owned()
        } else {
            format!("After {}", hours(at))
        };
        let _ = writeln!(out, "\n{}", paint(style, &title, "1"));
        let mut t = table(style, &["state", "id", "name", "grade", "agency", "path"]);
        for a in &imp.affected[start..end] {
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
                cell(&grade_text(a.grade)).set_alignment(CellAlignment::Center),
                cell(a.agency.unwrap_or("-")),
                cell(&imp.path(a).join(" -> ")),
            ]);
        }
        let _ = writeln!(out, "{t}");
        start = end;
    }
    if imp.affected.is_empty() {
        let _ = writeln!(out, "\nNothing is affected.");
    }
    let sum = &imp.summary;
    let _ = writeln!(out, "\n{}", paint(style, "Summary", "1"));
    let _ = writeln!(
        out,
        "  down:      {:>5}  ({})",
        sum.down,
        grade_counts(&sum.down_by_grade)
    );
    let _ = writeln!(
        out,
        "  degraded:  {:>5}  ({})",
        sum.degraded,
        grade_counts(&sum.degraded_by_grade)
    );
    let critical = match sum.most_critical_down {
        Some(g) => paint(
            style,
            &format!("grade {g}"),
            if g == Grade::G1 { "1;31" } else { "1" },
        ),
        None => "none".to_owned(),
    };
    let _ = writeln!(out, "  most critical grade down: {critical}");
    let _ = writeln!(
        out,
        "  agencies affected ({}): {}",
        sum.agencies.len(),
        printable(&list_or_none(&sum.agencies))
    );
    out
}

fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// The change impact table: direct consumers first (they must retest), then the
/// transitive ones by depth, then who to notify.
pub fn change(ch: &ChangeImpact, style: Style) -> String {
    let mut out = String::new();
    let mut what: Vec<String> = ch.changed.clone();
    what.extend(ch.changed_links.iter().map(|l| format!("link {l}")));
    let _ = writeln!(
        out,
        "{} {}",
        paint(style, "Change of", "1"),
        printable(&what.join(", "))
    );
    let direct: Vec<_> = ch.affected.iter().filter(|r| r.depth == 1).collect();
    let transitive: Vec<_> = ch.affected.iter().filter(|r| r.depth > 1).collect();
    for (title, rows) in [
        ("Direct consumers: notify and retest", direct),
        ("Transitive consumers, by depth", transitive),
    ] {
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{}", paint(style, title, "1"));
        let mut t = table(style, &["depth", "id", "name", "grade", "agency", "path"]);
        for r in rows {
            t.add_row(vec![
                cell(&r.depth.to_string()).set_alignment(CellAlignment::Right),
                cell(r.id),
                cell(r.name),
                cell(&grade_text(r.grade)).set_alignment(CellAlignment::Center),
                cell(r.agency.unwrap_or("-")),
                cell(&ch.path(r).join(" -> ")),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    if ch.affected.is_empty() {
        let _ = writeln!(out, "\nNothing depends on it.");
    }
    let s = &ch.summary;
    let _ = writeln!(out, "\n{}", paint(style, "Summary", "1"));
    let _ = writeln!(
        out,
        "  affected:  {:>5}  ({})",
        s.affected,
        grade_counts(&s.by_grade)
    );
    let _ = writeln!(out, "  direct:    {:>5}", s.direct);
    let critical = s
        .most_critical
        .map_or_else(|| "none".to_owned(), |g| format!("grade {g}"));
    let _ = writeln!(out, "  most critical grade affected: {critical}");
    let _ = writeln!(
        out,
        "  agencies to notify ({}): {}",
        s.agencies.len(),
        printable(&list_or_none(&s.agencies))
    );
    out
}

/// The summary `check` prints for a valid inventory.
pub fn stats(path: &str, st: &InventoryStats, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {path}: {} nodes, {} links, {} groups, {} agencies",
        paint(style, "ok", "1;32"),
        st.nodes,
        st.links,
        st.groups,
        st.agencies
    );
    let kinds: Vec<String> = st
        .nodes_by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let _ = writeln!(out, "  nodes by kind:   {}", kinds.join(", "));
    let _ = writeln!(
        out,
        "  nodes by grade:  {}",
        grade_counts(&st.nodes_by_grade)
    );
    let lk: Vec<String> = st
        .links_by_kind
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let _ = writeln!(out, "  links by kind:   {}", lk.join(", "));
    let lm: Vec<String> = st
        .links_by_mode
        .iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let _ = writeln!(
        out,
        "  links by mode:   {} ({} with a tolerance, {} soft)",
        lm.join(", "),
        st.tolerant_links,
        st.soft_links
    );
    let _ = writeln!(
        out,
        "  groups:          {} ({} need more than one member)",
        st.groups, st.k_of_n_groups
    );
    if let Some(l) = &st.load {
        let _ = writeln!(
            out,
            "  load:            {} nodes with an outside load ({} requests/s in all), {} with a capacity; {} links carry load ({} with calls written)",
            l.nodes_with_load,
            crate::analysis::surge::format_rate(l.outside_load),
            l.nodes_with_capacity,
            l.carrying_links,
            l.links_with_calls
        );
    }
    if !st.sites.is_empty() {
        let _ = writeln!(out);
        let mut t = table(style, &["site", "name", "hosts", "only here"]);
        for s in &st.sites {
            t.add_row(vec![
                cell(&s.id),
                cell(&s.name),
                cell(&s.hosted.to_string()).set_alignment(CellAlignment::Right),
                cell(&s.only_here.to_string()).set_alignment(CellAlignment::Right),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    out
}
