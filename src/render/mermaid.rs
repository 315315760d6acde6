//! Mermaid flowchart of a [`View`]: the same nodes, links, clusters and colours as the DOT
//! output, for Markdown documents (GitHub, GitLab and wikis draw it in place).
//!
//! Mermaid ids are generated (`n0`, `n1`, … in id order), so no inventory id can break the
//! syntax; every caption is quoted and its markup characters written as `#code;` entities.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::style::{self, escape, palette};
use crate::grade::Grade;
use crate::inventory::{Effect, LinkKind, Mode, NodeKind};
use crate::lang::Lang;
use crate::view::{Collapsed, Mark, View, ViewEdge, ViewKind, ViewNode};

/// Writes the Mermaid flowchart of a view, ending with a newline.
pub fn write(view: &View, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "---\ntitle: {}\n---",
        escape::yaml(&style::title(lang, &view.heading))
    )?;
    w.write_all(b"flowchart LR\n")?;

    // Generated ids: drawn nodes first (id order), then summary nodes.
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        ids.insert(n.id, format!("n{i}"));
    }
    for (i, c) in view.collapsed.iter().enumerate() {
        ids.insert(c.id.as_str(), format!("more{i}"));
    }

    for (ci, c) in view.clusters.iter().enumerate() {
        let mut caption = c.label.to_owned();
        if let Some(en) = c.label_en {
            caption.push('\n');
            caption.push_str(en);
        }
        writeln!(w, "  subgraph c{ci}[{}]", escape::mermaid(&caption))?;
        for (i, n) in view.nodes.iter().enumerate() {
            if n.cluster == Some(c.key) {
                writeln!(w, "    {}", node_decl(lang, &format!("n{i}"), n))?;
            }
        }
        for (i, s) in view.collapsed.iter().enumerate() {
            if s.cluster == Some(c.key) {
                writeln!(w, "    more{i}{}", collapsed(lang, s, view.kind))?;
            }
        }
        w.write_all(b"  end\n")?;
    }
    for (i, n) in view.nodes.iter().enumerate() {
        if n.cluster.is_none() {
            writeln!(w, "  {}", node_decl(lang, &format!("n{i}"), n))?;
        }
    }
    for (i, s) in view.collapsed.iter().enumerate() {
        if s.cluster.is_none() {
            writeln!(w, "  more{i}{}", collapsed(lang, s, view.kind))?;
        }
    }

    // The links whose ends are drawn, first as links, then as `linkStyle` lines, which
    // number links in the order they are written.
    let drawn = || {
        view.edges.iter().filter_map(|e| {
            Some((
                e,
                ids.get(e.link.provider.as_str())?,
                ids.get(e.link.consumer.as_str())?,
            ))
        })
    };
    for (e, from, to) in drawn() {
        let arrow = if e.witness || e.seeded {
            "==>"
        } else if e.link.kind == LinkKind::Hosting {
            "--o"
        } else if e.link.effect == Effect::Degraded || e.link.mode == Mode::Async {
            "-.->"
        } else {
            "-->"
        };
        let caption = style::edge_caption(lang, e, view.kind);
        if caption.is_empty() {
            writeln!(w, "  {from} {arrow} {to}")?;
        } else {
            writeln!(w, "  {from} {arrow}|{}| {to}", escape::mermaid(&caption))?;
        }
    }
    for (k, (e, _, _)) in drawn().enumerate() {
        writeln!(w, "  linkStyle {k} stroke:{}", link_style(e))?;
    }

    let loaded = |load: f64, capacity: Option<f64>| Mark::Load { load, capacity };
    let classes: [(&str, Mark); 12] = [
        ("seed", Mark::Seed),
        ("down", Mark::Down(0.0)),
        ("degraded", Mark::Degraded(0.0)),
        ("unaffected", Mark::Unaffected),
        ("changed", Mark::Changed),
        ("direct", Mark::Reached(1)),
        ("transitive", Mark::Reached(2)),
        ("saturated", loaded(2.0, Some(1.0))),
        ("hot", loaded(0.9, Some(1.0))),
        ("warm", loaded(0.6, Some(1.0))),
        ("cool", loaded(0.1, Some(1.0))),
        ("nocap", loaded(1.0, None)),
    ];
    // The load classes only in a surge's diagram: other diagrams stay as they were.
    let classes: Vec<(&str, Mark)> = classes
        .into_iter()
        .filter(|(_, m)| view.kind == ViewKind::Surge || !matches!(m, Mark::Load { .. }))
        .collect();
    for &(name, mark) in &classes {
        let (fill, white) = palette::fill(mark);
        writeln!(
            w,
            "  classDef {name} fill:{fill},color:{},stroke:#333",
            if white { "#fff" } else { "#000" }
        )?;
    }
    w.write_all(b"  classDef grade1 stroke-width:3px\n")?;
    w.write_all(b"  classDef more fill:#fff,stroke:#888,stroke-dasharray:4 3,color:#555\n")?;
    for &(name, mark) in &classes {
        let members: Vec<&str> = view
            .nodes
            .iter()
            .filter(|n| class_of(n.mark) == class_of(mark))
            .filter_map(|n| ids.get(n.id).map(String::as_str))
            .collect();
        if !members.is_empty() {
            writeln!(w, "  class {} {name}", members.join(","))?;
        }
    }
    let grade1: Vec<&str> = view
        .nodes
        .iter()
        .filter(|n| n.grade == Some(Grade::G1))
        .filter_map(|n| ids.get(n.id).map(String::as_str))
        .collect();
    if !grade1.is_empty() {
        writeln!(w, "  class {} grade1", grade1.join(","))?;
    }
    let more: Vec<String> = (0..view.collapsed.len())
        .map(|i| format!("more{i}"))
        .collect();
    if !more.is_empty() {
        writeln!(w, "  class {} more", more.join(","))?;
    }
    Ok(())
}

/// The stroke of a link: its colour, dashed when soft.
fn link_style(e: &ViewEdge) -> String {
    let colour = if e.witness || e.seeded {
        palette::WITNESS
    } else if e.link.kind == LinkKind::Hosting {
        palette::HOSTING
    } else if e.link.kind == LinkKind::Network {
        palette::NETWORK
    } else {
        palette::LINK
    };
    let dash = if e.link.effect == Effect::Degraded {
        ",stroke-dasharray:2 3"
    } else {
        ""
    };
    format!("{colour}{dash}")
}

fn class_of(mark: Mark) -> &'static str {
    match mark {
        Mark::Unaffected => "unaffected",
        Mark::Seed => "seed",
        Mark::Down(_) => "down",
        Mark::Degraded(_) => "degraded",
        Mark::Changed => "changed",
        Mark::Reached(1) => "direct",
        Mark::Reached(_) => "transitive",
        Mark::Load { .. } => match mark.utilization() {
            None => "nocap",
            Some(u) if u > 1.0 => "saturated",
            Some(u) if u >= 0.8 => "hot",
            Some(u) if u >= 0.5 => "warm",
            Some(_) => "cool",
        },
    }
}

fn node_decl(lang: Lang, mid: &str, n: &ViewNode) -> String {
    let mut caption = n.name.to_owned();
    if let Some(en) = n.name_en.filter(|en| *en != n.name) {
        caption.push('\n');
        caption.push_str(en);
    }
    caption.push('\n');
    caption.push_str(&style::detail_line(lang, n));
    if let Some(state) = style::state_line(lang, n.mark) {
        caption.push('\n');
        caption.push_str(&state);
    }
    let t = escape::mermaid(&caption);
    match n.kind {
        NodeKind::System => format!("{mid}({t})"),
        NodeKind::Service => format!("{mid}{{{{{t}}}}}"),
        NodeKind::Site => format!("{mid}[({t})]"),
        NodeKind::Network => format!("{mid}[/{t}/]"),
        NodeKind::External => format!("{mid}>{t}]"),
    }
}

fn collapsed(lang: Lang, c: &Collapsed, kind: ViewKind) -> String {
    format!(
        "[{}]",
        escape::mermaid(&style::collapsed_caption(lang, c, kind))
    )
}
