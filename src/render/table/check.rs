//! What `check` prints for people: the inventory's summary, then its policy findings as a
//! table of rules and one compiler-style entry per finding (`error[rule] file:line: reason`,
//! with its nodes, links and locations).

use std::io::{self, Write};

use super::Cell;
use comfy_table::CellAlignment;

use super::{Style, cell, num, table};
use crate::analysis::InventoryStats;
use crate::analysis::policy::{Finding, PolicyReport};
use crate::inventory::Severity;
use crate::lang::{num as n, text};
use crate::render::style::{self, escape, pad, paint};

/// Width of the labels of the summary (`nodes by kind:`), in terminal columns.
const LABEL: usize = 17;

/// The summary of a valid inventory read from `path`: counts by kind, grade and mode, and
/// a table of its sites.
pub fn stats(path: &str, st: &InventoryStats, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("check-ok"), "1;32"),
        style.msg_with(
            "check-counts",
            &[
                ("path", text(path)),
                ("nodes", n(st.nodes)),
                ("links", n(st.links)),
                ("groups", n(st.groups)),
                ("agencies", n(st.agencies)),
            ]
        )
    )?;
    let label = |id: &str| pad(&style.msg(id), LABEL);
    writeln!(
        w,
        "  {}{}",
        label("check-nodes-by-kind"),
        counts(style, &st.nodes_by_kind)
    )?;
    writeln!(
        w,
        "  {}{}",
        label("check-nodes-by-grade"),
        style::grade_counts(style.lang, &st.nodes_by_grade)
    )?;
    writeln!(
        w,
        "  {}{}",
        label("check-links-by-kind"),
        counts(style, &st.links_by_kind)
    )?;
    writeln!(
        w,
        "  {}{}",
        label("check-links-by-mode"),
        style.msg_with(
            "check-modes",
            &[
                ("counts", text(counts(style, &st.links_by_mode))),
                ("tolerant", n(st.tolerant_links)),
                ("soft", n(st.soft_links)),
            ]
        )
    )?;
    writeln!(
        w,
        "  {}{}",
        label("check-groups"),
        style.msg_with(
            "check-groups-count",
            &[("groups", n(st.groups)), ("kofn", n(st.k_of_n_groups))]
        )
    )?;
    if let Some(l) = &st.load {
        writeln!(
            w,
            "  {}{}",
            label("check-load"),
            style.msg_with(
                "check-load-count",
                &[
                    ("nodes", n(l.nodes_with_load)),
                    ("rate", text(style::rate(l.outside_load))),
                    ("capacity", n(l.nodes_with_capacity)),
                    ("links", n(l.carrying_links)),
                    ("calls", n(l.links_with_calls)),
                ]
            )
        )?;
    }
    if !st.sites.is_empty() {
        writeln!(w)?;
        let header = [
            style.msg("col-site"),
            style.msg("col-name"),
            style.msg("col-hosts"),
            style.msg("col-only-here"),
        ];
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut t = table(style, &header);
        for s in &st.sites {
            t.add_row(vec![
                cell(&s.id),
                cell(&s.name),
                num(s.hosted),
                num(s.only_here),
            ]);
        }
        t.write(w)?;
    }
    Ok(())
}

/// Counts by key: `system 3, service 2`.
fn counts<K: std::fmt::Display>(style: Style, m: &std::collections::BTreeMap<K, usize>) -> String {
    m.iter()
        .map(|(k, n)| format!("{} {n}", style::keyword(style.lang, &k.to_string())))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The policy report: totals, a table of rules, then every finding.
pub fn findings(report: &PolicyReport, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let s = &report.summary;
    writeln!(
        w,
        "{}",
        style.msg_with(
            "policy-totals",
            &[("errors", n(s.errors)), ("warnings", n(s.warnings))]
        )
    )?;
    let header = [
        style.msg("col-rule"),
        style.msg("col-severity"),
        style.msg("col-findings"),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(style, &header);
    for r in &s.rules {
        t.add_row(vec![
            Cell::new(r.rule.id()),
            Cell::new(style::keyword(style.lang, r.severity.as_str())),
            Cell::new(r.findings.to_string()).set_alignment(CellAlignment::Right),
        ]);
    }
    t.write(w)?;
    for f in &report.findings {
        writeln!(w)?;
        finding(f, style, w)?;
    }
    if let Some(shown) = &report.shown {
        let f = &shown.filter;
        let mut parts = Vec::new();
        if !f.rules.is_empty() {
            let ids: Vec<&str> = f.rules.iter().map(|r| r.id()).collect();
            parts.push(style.msg_with("shown-rule", &[("list", text(ids.join(", ")))]));
        }
        if let Some(limit) = f.limit {
            parts.push(style.msg_with("shown-limit", &[("n", text(limit.to_string()))]));
        }
        writeln!(
            w,
            "\n{}",
            style.msg_with(
                "shown-findings",
                &[
                    ("shown", n(shown.findings)),
                    ("total", n(shown.total)),
                    ("filters", text(parts.join("; "))),
                    ("left", n(shown.left_out)),
                ]
            )
        )?;
    }
    Ok(())
}

/// One finding: `error[rule] file:line: message`, then its nodes, links and locations.
pub(super) fn finding(f: &Finding, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let word = style::keyword(style.lang, f.severity.as_str());
    let level = match f.severity {
        Severity::Error => paint(style, &word, "1;31"),
        Severity::Warning => paint(style, &word, "1;33"),
        _ => word,
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
        escape::terminal(&f.key.text(style.lang))
    )?;
    if !f.nodes.is_empty() {
        writeln!(
            w,
            "  {}",
            style.msg_with(
                "finding-nodes",
                &[("list", text(escape::terminal(&f.nodes.join(", "))))]
            )
        )?;
    }
    if !f.links.is_empty() {
        writeln!(
            w,
            "  {}",
            style.msg_with(
                "finding-links",
                &[("list", text(escape::terminal(&f.links.join(", "))))]
            )
        )?;
    }
    if f.locations.len() > 1 {
        let at: Vec<String> = f
            .locations
            .iter()
            .map(|l| {
                format!(
                    "{}:{} ({} `{}`)",
                    l.file.display(),
                    l.line,
                    style::keyword(style.lang, l.kind),
                    l.id
                )
            })
            .collect();
        writeln!(
            w,
            "  {}",
            style.msg_with(
                "finding-at",
                &[("list", text(escape::terminal(&at.join(", "))))]
            )
        )?;
    }
    Ok(())
}
