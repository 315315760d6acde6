//! A self-contained HTML report of a [`View`]: the diagram's SVG inline, then the
//! scenario's tables, and for a failure of nodes its recovery chart. No scripts, no
//! external resources, and a Content-Security-Policy that forbids fetching any, so it
//! opens the same from a mail attachment or a USB stick.

use std::borrow::Cow;
use std::io::{self, Write};

use super::style::{self, escape, palette};
use crate::analysis::RecoveryPlan;
use crate::lang::{Lang, num, text};
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
pub fn write(view: &View, lang: Lang, diagram: Diagram<'_>, w: &mut dyn Write) -> io::Result<()> {
    write_with_recovery(view, lang, diagram, None, w)
}

/// Writes the report as [`write()`] does, ending with the recovery section when one is
/// given.
pub fn write_with_recovery(
    view: &View,
    lang: Lang,
    diagram: Diagram<'_>,
    recovery: Option<Recovery<'_>>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let title = escape::html(&style::title(lang, &view.heading));
    w.write_all(b"<!DOCTYPE html>\n<html lang=\"ko\">\n<head>\n<meta charset=\"utf-8\">\n")?;
    w.write_all(
        b"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; img-src data:\">\n",
    )?;
    writeln!(w, "<title>{title}</title>")?;
    writeln!(w, "<style>\n{STYLE}\n</style>\n</head>\n<body>")?;
    writeln!(w, "<h1>{title}</h1>")?;
    let more = if view.collapsed.is_empty() {
        String::new()
    } else {
        lang.msg_with(
            "html-more",
            &[(
                "n",
                num(view.collapsed.iter().map(|c| c.nodes).sum::<usize>()),
            )],
        )
    };
    writeln!(
        w,
        "<p>{}</p>",
        escape::html(&lang.msg_with(
            "html-intro",
            &[
                ("nodes", num(view.total_nodes)),
                ("links", num(view.total_links)),
                ("drawn_nodes", num(view.nodes.len())),
                ("drawn_links", num(view.edges.len())),
                ("more", text(more)),
            ]
        ))
    )?;
    match diagram {
        Diagram::Svg(svg) => writeln!(
            w,
            "<figure id=\"diagram\">\n{}\n</figure>",
            inline_svg(svg).trim_end()
        )?,
        Diagram::Missing { install } => writeln!(
            w,
            "<p class=\"note\" id=\"diagram-missing\">{} (<code>{}</code>).</p>",
            escape::html(&lang.msg("html-missing")),
            escape::html(install)
        )?,
    }
    if view.kind != ViewKind::Map {
        affected_table(view, lang, w)?;
        let columns = view.tally.columns.map(|c| style::keyword(lang, c));
        tally_table(
            w,
            lang,
            "by-agency",
            &lang.msg("html-by-agency"),
            &lang.msg("col-agency"),
            &columns,
            &view.tally.by_agency,
        )?;
        tally_table(
            w,
            lang,
            "by-grade",
            &lang.msg("html-by-grade"),
            &lang.msg("col-grade"),
            &columns,
            &view.tally.by_grade,
        )?;
    }
    if let Some(r) = recovery {
        recovery_section(r, lang, w)?;
    }
    w.write_all(b"</body>\n</html>\n")
}

/// The recovery section: the chart, then the summary per grade.
fn recovery_section(r: Recovery<'_>, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let p = r.plan;
    let span = |secs| style::span(lang, secs);
    writeln!(
        w,
        "<h2 id=\"recovery\">{}</h2>",
        escape::html(&lang.msg("html-recovery-title"))
    )?;
    writeln!(
        w,
        "<p>{}</p>",
        lang.msg_with(
            "html-recovery-text",
            &[
                ("n", num(p.steps.len())),
                ("time", text(escape::html(&span(p.all_back())))),
            ]
        )
    )?;
    writeln!(
        w,
        "<figure id=\"recovery-chart\">\n{}\n</figure>",
        inline_svg(r.chart).trim_end()
    )?;
    let cols = [
        "col-grade",
        "col-systems",
        "col-all-back",
        "col-last-back",
        "col-target",
        "col-breaches",
    ];
    let header: String = cols
        .iter()
        .map(|c| format!("<th>{}</th>", escape::html(&lang.msg(c))))
        .collect();
    writeln!(w, "<table id=\"recovery-by-grade\">\n<tr>{header}</tr>")?;
    for (g, s) in p.by_grade().iter() {
        let Some(last) = s.last else { continue };
        writeln!(
            w,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape::html(&style::grade(g)),
            s.systems,
            escape::html(&span(last.times.back)),
            escape::html(&last.id),
            escape::html(&s.target.map_or_else(|| "-".to_owned(), span)),
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

fn affected_table(view: &View, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let change = view.kind == ViewKind::Change;
    let surge = view.kind == ViewKind::Surge;
    writeln!(
        w,
        "<h2>{}</h2>\n<table id=\"affected\">\n<thead><tr><th>{}</th><th>{}</th><th>{}</th>\
         <th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\n<tbody>",
        lang.msg(if change {
            "html-changed-affected"
        } else if surge {
            "html-surge-loaded"
        } else {
            "html-affected"
        }),
        lang.msg("col-state"),
        lang.msg(if change {
            "col-depth"
        } else if surge {
            "col-load"
        } else {
            "col-hour"
        }),
        lang.msg("col-id"),
        lang.msg("col-name"),
        lang.msg("col-grade"),
        lang.msg("col-agency"),
        lang.msg("col-path"),
    )?;
    for r in &view.rows {
        row(r, lang, change, w)?;
    }
    w.write_all(b"</tbody>\n</table>\n")
}

fn row(r: &Row, lang: Lang, change: bool, w: &mut dyn Write) -> io::Result<()> {
    let when = if change {
        r.depth.to_string()
    } else if let Mark::Load { .. } = r.mark {
        style::state_line(lang, r.mark).unwrap_or_default()
    } else {
        r.mark
            .hours()
            .map(|h| style::hours(lang, h))
            .unwrap_or_default()
    };
    writeln!(
        w,
        "<tr><td>{}{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td>{}</td>\
         <td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
        swatch(r.mark),
        escape::html(&style::mark_word(lang, r.mark)),
        escape::html(&when),
        escape::html(r.id),
        escape::html(r.name),
        style::grade(r.grade),
        escape::html(r.agency.unwrap_or("-")),
        escape::html(&style::path(lang, &r.path, " → ", Cow::from)),
    )
}

fn tally_table(
    w: &mut dyn Write,
    lang: Lang,
    id: &str,
    heading: &str,
    key: &str,
    columns: &[String; 2],
    rows: &[(String, [usize; 2])],
) -> io::Result<()> {
    let total_word = lang.msg("html-total");
    writeln!(
        w,
        "<h2>{heading}</h2>\n<table id=\"{id}\">\n<thead><tr><th>{key}</th><th>{}</th><th>{}</th>\
         <th>{total_word}</th></tr></thead>\n<tbody>",
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
        "<tr><th>{total_word}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>",
        total[0],
        total[1],
        total[0] + total[1]
    )?;
    w.write_all(b"</tbody>\n</table>\n")
}
