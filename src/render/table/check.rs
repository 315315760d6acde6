//! What `check` prints for people: the inventory's summary, then its policy findings as a
//! table of rules and one compiler-style entry per finding (`error[rule] file:line: reason`,
//! with its nodes, links and locations).

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::{Style, cell, num, table, write_table};
use crate::analysis::InventoryStats;
use crate::analysis::policy::{Finding, PolicyReport};
use crate::inventory::Severity;
use crate::render::style::{self, escape, paint, plural};

/// The summary of a valid inventory read from `path`: counts by kind, grade and mode, and
/// a table of its sites.
pub fn stats(path: &str, st: &InventoryStats, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {path}: {} nodes, {} links, {} groups, {} agencies",
        paint(style, "ok", "1;32"),
        st.nodes,
        st.links,
        st.groups,
        st.agencies
    )?;
    writeln!(w, "  nodes by kind:   {}", counts(&st.nodes_by_kind))?;
    writeln!(
        w,
        "  nodes by grade:  {}",
        style::grade_counts(&st.nodes_by_grade)
    )?;
    writeln!(w, "  links by kind:   {}", counts(&st.links_by_kind))?;
    writeln!(
        w,
        "  links by mode:   {} ({} with a tolerance, {} soft)",
        counts(&st.links_by_mode),
        st.tolerant_links,
        st.soft_links
    )?;
    writeln!(
        w,
        "  groups:          {} ({} need more than one member)",
        st.groups, st.k_of_n_groups
    )?;
    if !st.sites.is_empty() {
        writeln!(w)?;
        let mut t = table(style, &["site", "name", "hosts", "only here"]);
        for s in &st.sites {
            t.add_row(vec![
                cell(&s.id),
                cell(&s.name),
                num(s.hosted),
                num(s.only_here),
            ]);
        }
        write_table(&t, w)?;
    }
    Ok(())
}

/// Counts by key: `system 3, service 2`.
fn counts<K: std::fmt::Display>(m: &std::collections::BTreeMap<K, usize>) -> String {
    m.iter()
        .map(|(k, n)| format!("{k} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The policy report: totals, a table of rules, then every finding.
pub fn findings(report: &PolicyReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(
        w,
        "Policy: {} error{}, {} warning{}",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings)
    )?;
    let mut t = table(style, &["rule", "severity", "findings"]);
    for r in &s.rules {
        t.add_row(vec![
            Cell::new(r.rule.id()),
            Cell::new(r.severity.as_str()),
            Cell::new(r.findings).set_alignment(CellAlignment::Right),
        ]);
    }
    write_table(&t, w)?;
    for f in &report.findings {
        writeln!(w)?;
        finding(f, style, w)?;
    }
    if let Some(shown) = &report.shown {
        let f = &shown.filter;
        let mut parts = Vec::new();
        if !f.rules.is_empty() {
            let ids: Vec<&str> = f.rules.iter().map(|r| r.id()).collect();
            parts.push(format!("rule {}", ids.join(", ")));
        }
        if let Some(n) = f.limit {
            parts.push(format!("limit {n}"));
        }
        writeln!(
            w,
            "\nShown: {} of {} finding{} ({}): {} left out",
            shown.findings,
            shown.total,
            plural(shown.total),
            parts.join("; "),
            shown.left_out
        )?;
    }
    Ok(())
}

/// One finding: `error[rule] file:line: message`, then its nodes, links and locations.
pub(super) fn finding(f: &Finding, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let level = match (f.severity, style.color) {
        (Severity::Error, true) => "\u{1b}[1;31merror\u{1b}[0m",
        (Severity::Warning, true) => "\u{1b}[1;33mwarning\u{1b}[0m",
        (sev, _) => sev.as_str(),
    };
    let at = f
        .locations
        .first()
        .map(|l| {
            format!(
                "{}:{}: ",
                escape::terminal(&l.file.display().to_string()),
                l.line
            )
        })
        .unwrap_or_default();
    writeln!(
        w,
        "{level}[{}] {at}{}",
        f.rule.id(),
        escape::terminal(&f.message)
    )?;
    if !f.nodes.is_empty() {
        writeln!(w, "  nodes: {}", escape::terminal(&f.nodes.join(", ")))?;
    }
    if !f.links.is_empty() {
        writeln!(w, "  links: {}", escape::terminal(&f.links.join(", ")))?;
    }
    if f.locations.len() > 1 {
        let at: Vec<String> = f
            .locations
            .iter()
            .map(|l| format!("{}:{} ({} `{}`)", l.file.display(), l.line, l.kind, l.id))
            .collect();
        writeln!(w, "  at:    {}", escape::terminal(&at.join(", ")))?;
    }
    Ok(())
}
