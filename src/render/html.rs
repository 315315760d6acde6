//! A self-contained HTML report of a [`View`]: the diagram's SVG inline, then the
//! scenario's tables. No scripts, no external resources, and a Content-Security-Policy
//! that forbids fetching any, so it opens the same from a mail attachment or a USB stick.

use std::fmt::Write as _;

use super::dot::{colour, fill};
use crate::view::{Mark, Row, View, ViewKind};

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
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

/// The report: title, the inline SVG (or a note when Graphviz is missing), then the tables.
pub fn html(view: &View, svg: Option<&str>) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&view.title));
    let _ = writeln!(out, "<style>\n{STYLE}\n</style>\n</head>\n<body>");
    let _ = writeln!(out, "<h1>{}</h1>", escape(&view.title));
    let _ = writeln!(
        out,
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
    );
    match svg {
        Some(svg) => {
            let _ = writeln!(
                out,
                "<figure id=\"diagram\">\n{}\n</figure>",
                inline_svg(svg).trim_end()
            );
        }
        None => {
            let _ = writeln!(
                out,
                "<p class=\"note\" id=\"diagram-missing\">The diagram is missing: Graphviz was \
                 not installed when this report was written (<code>{}</code>).</p>",
                escape(super::svg::INSTALL_HINT)
            );
        }
    }
    if view.kind != ViewKind::Map {
        affected_table(&mut out, view);
        tally_table(
            &mut out,
            "by-agency",
            "Affected by agency",
            "agency",
            &view.tally.columns,
            &view.tally.by_agency,
        );
        tally_table(
            &mut out,
            "by-grade",
            "Affected by grade",
            "grade",
            &view.tally.columns,
            &view.tally.by_grade,
        );
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn swatch(mark: Mark) -> String {
    let (c, _) = fill(mark);
    let border = if mark == Mark::Seed {
        colour::WITNESS
    } else {
        "#555"
    };
    format!("<span class=\"swatch\" style=\"background:{c};border-color:{border}\"></span>")
}

fn affected_table(out: &mut String, view: &View) {
    let change = view.kind == ViewKind::Change;
    let surge = view.kind == ViewKind::Surge;
    let _ = writeln!(
        out,
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
    );
    for r in &view.rows {
        let _ = writeln!(out, "{}", row(r, change));
    }
    out.push_str("</tbody>\n</table>\n");
}

fn row(r: &Row, change: bool) -> String {
    let when = if change {
        r.depth.to_string()
    } else if let Mark::Load { .. } = r.mark {
        super::dot::state_line(r.mark).unwrap_or_default()
    } else {
        r.mark.hours().map(super::hours).unwrap_or_default()
    };
    format!(
        "<tr><td>{}{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
        swatch(r.mark),
        r.mark.word(),
        escape(&when),
        escape(&r.id),
        escape(&r.name),
        r.grade.map_or_else(|| "-".to_owned(), |g| g.to_string()),
        escape(r.agency.as_deref().unwrap_or("-")),
        escape(&r.path.join(" → ")),
    )
}

fn tally_table(
    out: &mut String,
    id: &str,
    heading: &str,
    key: &str,
    columns: &[&str; 2],
    rows: &[(String, [usize; 2])],
) {
    let _ = writeln!(
        out,
        "<h2>{heading}</h2>\n<table id=\"{id}\">\n<thead><tr><th>{key}</th><th>{}</th><th>{}</th>\
         <th>total</th></tr></thead>\n<tbody>",
        columns[0], columns[1]
    );
    let mut total = [0usize; 2];
    for (k, c) in rows {
        total[0] += c[0];
        total[1] += c[1];
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(k),
            c[0],
            c[1],
            c[0] + c[1]
        );
    }
    let _ = writeln!(
        out,
        "<tr><th>total</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>",
        total[0],
        total[1],
        total[0] + total[1]
    );
    out.push_str("</tbody>\n</table>\n");
}
