//! An inventory diff for people (tables), for review threads (Markdown) and machines (JSON
//! is the serialized [`InventoryDiff`]).

use std::fmt::Write as _;

use comfy_table::{Cell, CellAlignment};

use super::Style;
use super::grade_text;
use super::policy::{finding, plural};
use super::table::{grade_counts, printable, table as new_table};
use crate::analysis::diff::{ChangeKind, InventoryDiff, Radius};
use crate::analysis::policy::Finding;

/// The diff as tables: item changes, blast-radius changes, new and resolved findings.
pub fn table(d: &InventoryDiff, old: &str, new: &str, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Diff {} -> {}", printable(old), printable(new));
    if d.is_empty() {
        out.push_str("No differences: the two inventories load to the same model.\n");
        return out;
    }
    let s = &d.summary;
    let _ = writeln!(
        out,
        "  items: {} added, {} removed, {} changed",
        s.added, s.removed, s.changed
    );
    if !d.items.is_empty() {
        let mut t = new_table(style, &["change", "item", "id", "field", "old", "new"]);
        for it in &d.items {
            if it.fields.is_empty() {
                t.add_row(vec![
                    Cell::new(change(it.change)),
                    Cell::new(it.item),
                    Cell::new(printable(&it.id)),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                ]);
            }
            for (i, f) in it.fields.iter().enumerate() {
                let first = i == 0;
                t.add_row(vec![
                    Cell::new(if first { change(it.change) } else { "" }),
                    Cell::new(if first { it.item } else { "" }),
                    Cell::new(if first { printable(&it.id) } else { "".into() }),
                    Cell::new(f.field),
                    Cell::new(printable(&f.old)),
                    Cell::new(printable(&f.new)),
                ]);
            }
        }
        let _ = writeln!(out, "{t}");
    }
    if !d.radius.is_empty() {
        let _ = writeln!(
            out,
            "\nSingle-failure blast radius (nodes down when it fails alone, no horizon): {} grew, {} shrank or changed grade",
            s.radius_grew, s.radius_shrank
        );
        let mut t = new_table(
            style,
            &[
                "id",
                "grade",
                "before",
                "after",
                "change",
                "before, by grade",
                "after, by grade",
            ],
        );
        for r in &d.radius {
            t.add_row(vec![
                Cell::new(printable(&r.id)),
                Cell::new(grade_text(r.grade)).set_alignment(CellAlignment::Center),
                Cell::new(down(r.old)).set_alignment(CellAlignment::Right),
                Cell::new(down(r.new)).set_alignment(CellAlignment::Right),
                Cell::new(signed(r.delta)).set_alignment(CellAlignment::Right),
                Cell::new(by_grade(r.old)),
                Cell::new(by_grade(r.new)),
            ]);
        }
        let _ = writeln!(out, "{t}");
    }
    findings(&mut out, "new in", new, &d.new_findings, style);
    findings(&mut out, "resolved by", new, &d.resolved_findings, style);
    let _ = writeln!(
        out,
        "\n{} new error-level finding{}",
        s.new_errors,
        plural(s.new_errors)
    );
    out
}

fn findings(out: &mut String, what: &str, new: &str, list: &[Finding], style: Style) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\nPolicy findings {what} {} ({})",
        printable(new),
        list.len()
    );
    for f in list {
        finding(out, f, style);
    }
}

/// The diff as Markdown, for a merge request or an annex.
pub fn markdown(d: &InventoryDiff, old: &str, new: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Inventory diff\n");
    let _ = writeln!(out, "`{}` → `{}`\n", md(old), md(new));
    if d.is_empty() {
        out.push_str("No differences: the two inventories load to the same model.\n");
        return out;
    }
    let s = &d.summary;
    let _ = writeln!(
        out,
        "{} added, {} removed, {} changed; {} new error-level finding{}.\n",
        s.added,
        s.removed,
        s.changed,
        s.new_errors,
        plural(s.new_errors)
    );
    if !d.items.is_empty() {
        out.push_str(
            "## Changes\n\n| change | item | id | field | old | new |\n|---|---|---|---|---|---|\n",
        );
        for it in &d.items {
            if it.fields.is_empty() {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | | | |",
                    change(it.change),
                    it.item,
                    md(&it.id)
                );
            }
            for f in &it.fields {
                let _ = writeln!(
                    out,
                    "| {} | {} | `{}` | {} | {} | {} |",
                    change(it.change),
                    it.item,
                    md(&it.id),
                    f.field,
                    md(&f.old),
                    md(&f.new)
                );
            }
        }
        out.push('\n');
    }
    if !d.radius.is_empty() {
        out.push_str("## Single-failure blast radius\n\nNodes down when the node fails alone (no horizon).\n\n| id | grade | before | after | change | before, by grade | after, by grade |\n|---|:-:|--:|--:|--:|---|---|\n");
        for r in &d.radius {
            let _ = writeln!(
                out,
                "| `{}` | {} | {} | {} | {} | {} | {} |",
                md(&r.id),
                grade_text(r.grade),
                down(r.old),
                down(r.new),
                signed(r.delta),
                by_grade(r.old),
                by_grade(r.new)
            );
        }
        out.push('\n');
    }
    for (title, list) in [
        ("New policy findings", &d.new_findings),
        ("Resolved policy findings", &d.resolved_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        for f in list {
            let at = f
                .locations
                .first()
                .map(|l| format!(" ({}:{})", md(&l.file), l.line))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- **{}** `{}`{at}: {}",
                f.severity.as_str(),
                f.rule.id(),
                md(&f.message)
            );
        }
        out.push('\n');
    }
    out
}

fn change(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn down(r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| r.down.to_string())
}

fn by_grade(r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| grade_counts(&r.by_grade))
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// Text safe in a Markdown table cell: pipes escaped, line breaks and control characters
/// shown escaped.
pub(crate) fn md(text: &str) -> String {
    printable(text).replace('|', "\\|")
}

/// The diff as JSON: `{"old": PATH, "new": PATH, "items": …, "radius": …, "new_findings": …,
/// "resolved_findings": …, "summary": …}`.
pub fn json(d: &InventoryDiff, old: &str, new: &str) -> String {
    #[derive(serde::Serialize)]
    struct Doc<'a> {
        old: &'a str,
        new: &'a str,
        #[serde(flatten)]
        diff: &'a InventoryDiff,
    }
    super::json::to_json(&Doc { old, new, diff: d })
}
