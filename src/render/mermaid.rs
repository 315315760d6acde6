//! Mermaid flowchart of a [`View`]: the same nodes, links, clusters and colours as the DOT
//! output, for Markdown documents (GitHub, GitLab and wikis draw it in place).
//!
//! Mermaid ids are generated (`n0`, `n1`, … in id order), so no inventory id can break the
//! syntax; every caption is quoted and its markup characters written as `#code;` entities.

use crate::grade::Grade;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::dot::{colour, detail_line, edge_caption, fill, state_line};
use crate::inventory::{Effect, LinkKind, Mode, NodeKind};
use crate::view::{Mark, View, ViewKind};

/// A quoted Mermaid caption: characters Mermaid or HTML would read as syntax become
/// numeric `#code;` entities, line breaks become `<br>`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '"' | '<' | '>' | '&' | '#' | '\\' | '`' | '[' | ']' | '{' | '}' | '(' | ')' | '|'
            | ';' | '*' | '_' | '~' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML double-quoted string, for the front matter's title.
fn yaml(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The Mermaid flowchart of a view, ending with a newline.
pub fn mermaid(view: &View) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "---\ntitle: {}\n---", yaml(&view.title));
    out.push_str("flowchart LR\n");

    // Generated ids: drawn nodes first (id order), then summary nodes.
    let mut ids: BTreeMap<&str, String> = BTreeMap::new();
    for (i, n) in view.nodes.iter().enumerate() {
        ids.insert(n.id.as_str(), format!("n{i}"));
    }
    for (i, c) in view.collapsed.iter().enumerate() {
        ids.insert(c.id.as_str(), format!("more{i}"));
    }

    for (ci, c) in view.clusters.iter().enumerate() {
        let mut caption = c.label.clone();
        if let Some(en) = &c.label_en {
            caption.push('\n');
            caption.push_str(en);
        }
        let _ = writeln!(out, "  subgraph c{ci}[{}]", text(&caption));
        for (i, n) in view.nodes.iter().enumerate() {
            if n.cluster.as_deref() == Some(&c.key) {
                let _ = writeln!(out, "    {}", node_decl(&format!("n{i}"), n));
            }
        }
        for (i, s) in view.collapsed.iter().enumerate() {
            if s.cluster.as_deref() == Some(&c.key) {
                let _ = writeln!(out, "    more{i}{}", collapsed_text(s, view.kind));
            }
        }
        out.push_str("  end\n");
    }
    for (i, n) in view.nodes.iter().enumerate() {
        if n.cluster.is_none() {
            let _ = writeln!(out, "  {}", node_decl(&format!("n{i}"), n));
        }
    }
    for (i, s) in view.collapsed.iter().enumerate() {
        if s.cluster.is_none() {
            let _ = writeln!(out, "  more{i}{}", collapsed_text(s, view.kind));
        }
    }

    let mut styles: Vec<String> = Vec::new();
    // `linkStyle` numbers links in the order they are written, so count the written ones.
    let mut k = 0usize;
    for e in &view.edges {
        let (Some(from), Some(to)) = (ids.get(e.provider.as_str()), ids.get(e.consumer.as_str()))
        else {
            continue;
        };
        let arrow = if e.witness || e.seeded {
            "==>"
        } else if e.kind == LinkKind::Hosting {
            "--o"
        } else if e.effect == Effect::Degraded || e.mode == Mode::Async {
            "-.->"
        } else {
            "-->"
        };
        let caption = edge_caption(e, view.kind);
        if caption.is_empty() {
            let _ = writeln!(out, "  {from} {arrow} {to}");
        } else {
            let _ = writeln!(out, "  {from} {arrow}|{}| {to}", text(&caption));
        }
        let colour = if e.witness || e.seeded {
            colour::WITNESS
        } else if e.kind == LinkKind::Hosting {
            colour::HOSTING
        } else if e.kind == LinkKind::Network {
            colour::NETWORK
        } else {
            colour::LINK
        };
        let dash = if e.effect == Effect::Degraded {
            ",stroke-dasharray:2 3"
        } else {
            ""
        };
        styles.push(format!("  linkStyle {k} stroke:{colour}{dash}"));
        k += 1;
    }
    for s in styles {
        out.push_str(&s);
        out.push('\n');
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
        let (fillc, white) = fill(mark);
        let _ = writeln!(
            out,
            "  classDef {name} fill:{fillc},color:{},stroke:#333",
            if white { "#fff" } else { "#000" }
        );
    }
    out.push_str("  classDef grade1 stroke-width:3px\n");
    out.push_str("  classDef more fill:#fff,stroke:#888,stroke-dasharray:4 3,color:#555\n");
    for &(name, mark) in &classes {
        let members: Vec<&str> = view
            .nodes
            .iter()
            .filter(|n| class_of(n.mark) == class_of(mark))
            .filter_map(|n| ids.get(n.id.as_str()).map(String::as_str))
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {name}", members.join(","));
        }
    }
    let grade1: Vec<&str> = view
        .nodes
        .iter()
        .filter(|n| n.grade == Some(Grade::G1))
        .filter_map(|n| ids.get(n.id.as_str()).map(String::as_str))
        .collect();
    if !grade1.is_empty() {
        let _ = writeln!(out, "  class {} grade1", grade1.join(","));
    }
    let more: Vec<String> = (0..view.collapsed.len())
        .map(|i| format!("more{i}"))
        .collect();
    if !more.is_empty() {
        let _ = writeln!(out, "  class {} more", more.join(","));
    }
    out
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

fn node_decl(mid: &str, n: &crate::view::ViewNode) -> String {
    let mut caption = n.name.clone();
    if let Some(en) = n.name_en.as_ref().filter(|en| **en != n.name) {
        caption.push('\n');
        caption.push_str(en);
    }
    caption.push('\n');
    caption.push_str(&detail_line(n));
    if let Some(state) = state_line(n.mark) {
        caption.push('\n');
        caption.push_str(&state);
    }
    let t = text(&caption);
    match n.kind {
        NodeKind::System => format!("{mid}({t})"),
        NodeKind::Service => format!("{mid}{{{{{t}}}}}"),
        NodeKind::Site => format!("{mid}[({t})]"),
        NodeKind::Network => format!("{mid}[/{t}/]"),
        NodeKind::External => format!("{mid}>{t}]"),
    }
}

fn collapsed_text(c: &crate::view::Collapsed, kind: ViewKind) -> String {
    let mut s = format!(
        "{} more node{} not drawn",
        c.nodes,
        if c.nodes == 1 { "" } else { "s" }
    );
    if kind != ViewKind::Map {
        s.push_str(&format!("\n({} of them affected)", c.affected));
    }
    format!("[{}]", text(&s))
}
