//! An inventory diff as tables: item changes, blast-radius changes, new and resolved
//! findings.

use std::io::{self, Write};

use comfy_table::{Cell, CellAlignment};

use super::check::finding;
use super::{Style, table, write_table};
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::Finding;
use crate::render::style::{self, by_grade, change_word, down, escape, plural, signed};

/// The diff of `old` and `new` (the paths shown) as tables.
pub fn diff(
    d: &InventoryDiff,
    old: &str,
    new: &str,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "Diff {} -> {}",
        escape::terminal(old),
        escape::terminal(new)
    )?;
    if d.is_empty() {
        return writeln!(
            w,
            "No differences: the two inventories load to the same model."
        );
    }
    let s = &d.summary;
    writeln!(
        w,
        "  items: {} added, {} removed, {} changed",
        s.added, s.removed, s.changed
    )?;
    if !d.items.is_empty() {
        let mut t = table(style, &["change", "item", "id", "field", "old", "new"]);
        for it in &d.items {
            if it.fields.is_empty() {
                t.add_row(vec![
                    Cell::new(change_word(it.change)),
                    Cell::new(it.item),
                    Cell::new(escape::terminal(&it.id)),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                ]);
            }
            for (i, f) in it.fields.iter().enumerate() {
                let first = i == 0;
                t.add_row(vec![
                    Cell::new(if first { change_word(it.change) } else { "" }),
                    Cell::new(if first { it.item } else { "" }),
                    Cell::new(if first {
                        escape::terminal(&it.id)
                    } else {
                        "".into()
                    }),
                    Cell::new(f.field),
                    Cell::new(escape::terminal(&f.old)),
                    Cell::new(escape::terminal(&f.new)),
                ]);
            }
        }
        write_table(&t, w)?;
    }
    if !d.radius.is_empty() {
        writeln!(
            w,
            "\nSingle-failure blast radius (nodes down when it fails alone, no horizon): {} grew, {} shrank or changed grade",
            s.radius_grew, s.radius_shrank
        )?;
        let mut t = table(
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
                Cell::new(escape::terminal(&r.id)),
                Cell::new(style::grade(r.grade)).set_alignment(CellAlignment::Center),
                Cell::new(down(r.old)).set_alignment(CellAlignment::Right),
                Cell::new(down(r.new)).set_alignment(CellAlignment::Right),
                Cell::new(signed(r.delta)).set_alignment(CellAlignment::Right),
                Cell::new(by_grade(r.old)),
                Cell::new(by_grade(r.new)),
            ]);
        }
        write_table(&t, w)?;
    }
    findings("new in", new, &d.new_findings, style, w)?;
    findings("resolved by", new, &d.resolved_findings, style, w)?;
    writeln!(
        w,
        "\n{} new error-level finding{}",
        s.new_errors,
        plural(s.new_errors)
    )
}

fn findings(
    what: &str,
    new: &str,
    list: &[Finding],
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    writeln!(
        w,
        "\nPolicy findings {what} {} ({})",
        escape::terminal(new),
        list.len()
    )?;
    for f in list {
        finding(f, style, w)?;
    }
    Ok(())
}
