//! An inventory diff as tables: item changes, blast-radius changes, new and resolved
//! findings.

use std::io::{self, Write};

use super::Cell;
use comfy_table::CellAlignment;

use super::check::finding;
use super::{Style, grade, table};
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::Finding;
use crate::lang::{num as n, text};
use crate::render::style::{self, by_grade, change_word, down, escape, signed};

/// The diff of `old` and `new` (the paths shown) as tables.
pub fn diff(
    d: &InventoryDiff,
    old: &str,
    new: &str,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    let lang = style.lang;
    writeln!(
        w,
        "{}",
        style.msg_with(
            "diff-title",
            &[
                ("old", text(escape::terminal(old))),
                ("new", text(escape::terminal(new))),
            ]
        )
    )?;
    if d.is_empty() {
        return writeln!(w, "{}", style.msg("diff-none"));
    }
    let s = &d.summary;
    writeln!(
        w,
        "  {}",
        style.msg_with(
            "diff-items",
            &[
                ("added", n(s.added)),
                ("removed", n(s.removed)),
                ("changed", n(s.changed)),
            ]
        )
    )?;
    let columns = |ids: &[&str]| -> Vec<String> { ids.iter().map(|id| style.msg(id)).collect() };
    if !d.items.is_empty() {
        let h = columns(&[
            "col-change",
            "col-item",
            "col-id",
            "col-field",
            "col-old",
            "col-new",
        ]);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let mut t = table(style, &h);
        for it in &d.items {
            let item = style::keyword(lang, it.item);
            if it.fields.is_empty() {
                t.add_row(vec![
                    Cell::new(change_word(lang, it.change)),
                    Cell::new(item.clone()),
                    Cell::new(escape::terminal(&it.id)),
                    Cell::new(""),
                    Cell::new(""),
                    Cell::new(""),
                ]);
            }
            for (i, f) in it.fields.iter().enumerate() {
                let first = i == 0;
                t.add_row(vec![
                    Cell::new(if first {
                        change_word(lang, it.change)
                    } else {
                        String::new()
                    }),
                    Cell::new(if first { item.clone() } else { String::new() }),
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
        t.write(w)?;
    }
    if !d.radius.is_empty() {
        writeln!(
            w,
            "\n{}",
            style.msg_with(
                "diff-radius",
                &[("grew", n(s.radius_grew)), ("shrank", n(s.radius_shrank))]
            )
        )?;
        let h = columns(&[
            "col-id",
            "col-grade",
            "col-before",
            "col-after",
            "col-change",
            "col-before-by-grade",
            "col-after-by-grade",
        ]);
        let h: Vec<&str> = h.iter().map(String::as_str).collect();
        let mut t = table(style, &h);
        for r in &d.radius {
            t.add_row(vec![
                Cell::new(escape::terminal(&r.id)),
                grade(r.grade),
                Cell::new(down(r.old)).set_alignment(CellAlignment::Right),
                Cell::new(down(r.new)).set_alignment(CellAlignment::Right),
                Cell::new(signed(r.delta)).set_alignment(CellAlignment::Right),
                Cell::new(by_grade(lang, r.old)),
                Cell::new(by_grade(lang, r.new)),
            ]);
        }
        t.write(w)?;
    }
    findings("diff-findings-new", new, &d.new_findings, style, w)?;
    findings(
        "diff-findings-resolved",
        new,
        &d.resolved_findings,
        style,
        w,
    )?;
    writeln!(
        w,
        "\n{}",
        style.msg_with("diff-new-errors", &[("n", n(s.new_errors))])
    )
}

/// New or resolved findings under the heading `title` (a message id).
fn findings(
    title: &str,
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
        "\n{}",
        style.msg_with(
            title,
            &[("new", text(escape::terminal(new))), ("n", n(list.len()))]
        )
    )?;
    for f in list {
        finding(f, style, w)?;
    }
    Ok(())
}
