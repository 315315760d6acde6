//! Policy findings for people: a summary table by rule, then one compiler-style entry per
//! finding (`error[rule] file:line: reason`, with its nodes, links and locations).

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::Style;
use super::table::{printable, table};
use crate::analysis::policy::{Finding, PolicyReport};
use crate::inventory::Severity;

/// The report as text: totals, a table of rules, then every finding.
pub fn findings(report: &PolicyReport, style: Style) -> String {
    let mut out = String::new();
    let s = &report.summary;
    let _ = writeln!(
        out,
        "Policy: {} error{}, {} warning{}",
        s.errors,
        plural(s.errors),
        s.warnings,
        plural(s.warnings)
    );
    let mut t = table(style, &["rule", "severity", "findings"]);
    for r in &s.rules {
        t.add_row(vec![
            Cell::new(r.rule.id()),
            Cell::new(r.severity.as_str()),
            Cell::new(r.findings).set_alignment(CellAlignment::Right),
        ]);
    }
    let _ = writeln!(out, "{t}");
    for f in &report.findings {
        out.push('\n');
        finding(&mut out, f, style);
    }
    out
}

/// One finding: `error[rule] file:line: message`, then its nodes, links and locations.
pub fn finding(out: &mut String, f: &Finding, style: Style) {
    let level = match (f.severity, style.color) {
        (Severity::Error, true) => "\u{1b}[1;31merror\u{1b}[0m",
        (Severity::Warning, true) => "\u{1b}[1;33mwarning\u{1b}[0m",
        (sev, _) => sev.as_str(),
    };
    let at = f
        .locations
        .first()
        .map(|l| format!("{}:{}: ", printable(&l.file), l.line))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{level}[{}] {at}{}",
        f.rule.id(),
        printable(&f.message)
    );
    if !f.nodes.is_empty() {
        let _ = writeln!(out, "  nodes: {}", printable(&f.nodes.join(", ")));
    }
    if !f.links.is_empty() {
        let _ = writeln!(out, "  links: {}", printable(&f.links.join(", ")));
    }
    if f.locations.len() > 1 {
        let at: Vec<String> = f
            .locations
            .iter()
            .map(|l| format!("{}:{} ({} `{}`)", l.file, l.line, l.kind, l.id))
            .collect();
        let _ = writeln!(out, "  at:    {}", printable(&at.join(", ")));
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
