//! A self-contained HTML report of a [`View`]: the diagram's SVG inline, then the
//! scenario's tables, and for a failure of nodes its recovery chart. No scripts, no
//! external resources, and a Content-Security-Policy that forbids fetching any, so it
//! opens the same from a mail attachment or a USB stick.

use std::io::{self, Write};

use super::style::{self, escape, palette};
use crate::analysis::RecoveryPlan;
use crate::view::{Mark, Row, View, ViewKind};

/// The diagram of a report: Graphviz's SVG, or why there is none.
#[derive(Debug, Clone, Copy)]
pub enum Diagram<'a> {
    /// The SVG Graphviz wrote.
    Svg(&'a str),
    /// Graphviz was missing; the command that installs it.
    Missing {
        /// For example `apt-get install graphviz`.
        install: &'a str,
    },
}

/// The `<svg>` element of Graphviz's output, without the XML prolog and DOCTYPE (which
/// name a DTD on the web and are not allowed inside HTML).
pub fn inline_svg(svg: &str) -> &str {
    svg.find("<svg").and_then(|i| svg.get(i..)).unwrap_or("")
}

const STYLE: &str = "body{font-family:'Noto Sans CJK KR','Noto Sans KR',sans-serif;margin:2em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
figure{margin:0;overflow:auto;border:1px solid #ddd;padding:.5em}
figure svg{max-width:100%;height:auto}
table{border-collapse:collapse;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f0f0f0}td.n{text-align:right}td:first-child,td code{white-space:nowrap}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #555;margin-right:.3em;vertical-align:-.1em}
.note{background:#fff6d5;border:1px solid #e0c060;padding:.6em}
code{font-size:.95em}";

/// The recovery section that ends the report of a failure of nodes.
#[derive(Debug, Clone, Copy)]
pub struct Recovery<'a> {
    /// The plan: no crew limit, the inventory's targets.
    pub plan: &'a RecoveryPlan,
    /// Its chart, an SVG document (from `render::chart`).
    pub chart: &'a str,
}

/// Writes the report: title, the diagram (or a note that it is missing), then the tables.
pub fn write(view: &View, diagram: Diagram<'_>, w: &mut dyn Write) -> io::Result<()> {
    write_with_recovery(view, diagram, None, w)
}

/// Writes the report as [`write()`] does, ending with the recovery section when one is
/// given.
pub fn write_with_recovery(
    view: &View,
    diagram: Diagram<'_>,
    recovery: Option<Recovery<'_>>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let title = escape::html(&style::title(&view.heading));
    w.write_all(b"<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    w.write_all(
        b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n",
    )?;
    writeln!(w, "<title>{title}</title>")?;
    writeln!(w, "<style>\n{STYLE}\n</style>\n</head>\n<body>")?;
    writeln!(w, "<h1>{title}</h1>")?;
    writeln!(
        w,
        "<p>Inventory: {} nodes, {} links. The diagram draws {} nodes and {} links{}.</p>",
        view.total_nodes,
        view.total_links,
        view.nodes.len(),
        view.edges.len(),
        if view.collapsed.is_empty() {
            String::new()
        } else {
            format!(
                "; {} more nodes are counted in dashed summary boxes",
                view.collapsed.iter().map(|c| c.nodes).sum::<usize>()
            )
        }
    )?;
    match diagram {
        Diagram::Svg(svg) => writeln!(
            w,
            "<figure id=\"diagram\">\n{}\n</figure>",
            inline_svg(svg).trim_end()
        )?,
        Diagram::Missing { install } => writeln!(
            w,
            "<p class=\"note\" id=\"diagram-missing\">The diagram is missing: Graphviz was \
             not installed when this report was written (<code>{}</code>).</p>",
            escape::html(install)
        )?,
    }
    if view.kind != ViewKind::Map {
        affected_table(view, w)?;
        tally_table(
            w,
            "by-agency",
            "Affected by agency",
            "agency",
            &view.tally.columns,
            &view.tally.by_agency,
        )?;
        tally_table(
            w,
            "by-grade",
            "Affected by grade",
            "grade",
            &view.tally.columns,
            &view.tally.by_grade,
        )?;
    }
    if let Some(r) = recovery {
        recovery_section(r, w)?;
    }
    w.write_all(b"</body>\n</html>\n")
}

/// The recovery section: the chart, then the summary per grade.
fn recovery_section(r: Recovery<'_>, w: &mut dyn Write) -> io::Result<()> {
    let p = r.plan;
    writeln!(w, "<h2 id=\"recovery\">Recovery timeline</h2>")?;
    writeln!(
        w,
        "<p>If the failed systems must be restored: every node that went down is back once \
         what it needs is back and its own <code>restore</code> work is done, with no crew \
         limit (SPEC section 5; <code>ripplemap recover</code> has crews, targets and the \
         whole table). All {} systems are back at {}.</p>",
        p.steps.len(),
        escape::html(&style::span(p.all_back()))
    )?;
    writeln!(
        w,
        "<figure id=\"recovery-chart\">\n{}\n</figure>",
        inline_svg(r.chart).trim_end()
    )?;
    writeln!(
        w,
        "<table id=\"recovery-by-grade\">\n<tr><th>grade</th><th>systems</th><th>all back</th><th>last back</th><th>target</th><th>breaches</th></tr>"
    )?;
    for (g, s) in p.by_grade().iter() {
        let Some(last) = s.last else { continue };
        writeln!(
            w,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape::html(&style::grade(g)),
            s.systems,
            escape::html(&style::span(last.times.back)),
            escape::html(&last.id),
            escape::html(&s.target.map_or_else(|| "-".to_owned(), style::span)),
            s.target
                .map_or_else(|| "-".to_owned(), |_| s.breaches.to_string())
        )?;
    }
    writeln!(w, "</table>")
}

fn swatch(mark: Mark) -> String {
    let (c, _) = palette::fill(mark);
    let border = if mark == Mark::Seed {
        palette::WITNESS
    } else {
        "#555"
    };
    format!("<span class=\"swatch\" style=\"background:{c};border-color:{border}\"></span>")
}

fn affected_table(view: &View, w: &mut dyn Write) -> io::Result<()> {
    let change = view.kind == ViewKind::Change;
    let surge = view.kind == ViewKind::Surge;
    writeln!(
        w,
        "<h2>{}</h2>\n<table id=\"affected\">\n<thead><tr><th>state</th><th>{}</th><th>id</th>\
         <th>name</th><th>grade</th><th>agency</th><th>path</th></tr></thead>\n<tbody>",
        if change {
            "Changed and affected nodes"
        } else if surge {
            "Nodes with added load"
        } else {
            "Affected nodes"
        },
        if change {
            "depth"
        } else if surge {
            "load"
        } else {
            "hour"
        }
    )?;
    for r in &view.rows {
        row(r, change, w)?;
    }
    w.write_all(b"</tbody>\n</table>\n")
}

fn row(r: &Row, change: bool, w: &mut dyn Write) -> io::Result<()> {
    let when = if change {
        r.depth.to_string()
    } else if let Mark::Load { .. } = r.mark {
        style::state_line(r.mark).unwrap_or_default()
    } else {
        r.mark.hours().map(style::hours).unwrap_or_default()
    };
    writeln!(
        w,
        "<tr><td>{}{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
        swatch(r.mark),
        r.mark.word(),
        escape::html(&when),
        escape::html(r.id),
        escape::html(r.name),
        style::grade(r.grade),
        escape::html(r.agency.unwrap_or("-")),
        escape::html(&style::path(&r.path, " → ", str::to_owned)),
    )
}

fn tally_table(
    w: &mut dyn Write,
    id: &str,
    heading: &str,
    key: &str,
    columns: &[&str; 2],
    rows: &[(String, [usize; 2])],
) -> io::Result<()> {
    writeln!(
        w,
        "<h2>{heading}</h2>\n<table id=\"{id}\">\n<thead><tr><th>{key}</th><th>{}</th><th>{}</th>\
         <th>total</th></tr></thead>\n<tbody>",
        columns[0], columns[1]
    )?;
    let mut total = [0usize; 2];
    for (k, c) in rows {
        total[0] += c[0];
        total[1] += c[1];
        writeln!(
            w,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape::html(k),
            c[0],
            c[1],
            c[0] + c[1]
        )?;
    }
    writeln!(
        w,
        "<tr><th>total</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>",
        total[0],
        total[1],
        total[0] + total[1]
    )?;
    w.write_all(b"</tbody>\n</table>\n")
}
