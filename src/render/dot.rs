//! Graphviz DOT of a [`View`], built as graphviz-rust's DOT model (never by pasting strings),
//! with a legend: fill by scenario state, shape by node kind, line style by link kind.
//!
//! User text reaches DOT in two forms only: quoted ids and `escString` values through
//! [`quoted`], and node and cluster captions as HTML-like labels through [`html_text`], so
//! quotes, backslashes, newlines, `<`, `>` and `&` in ids and names never break the file.

use crate::grade::Grade;
use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::html::escape;
use crate::inventory::{Effect, LinkKind, Mode, NodeKind};
use crate::view::{Collapsed, Mark, View, ViewCluster, ViewEdge, ViewKind, ViewNode};

/// The font Graphviz is asked for: it has Hangul (Debian's `fonts-noto-cjk`).
pub const FONT: &str = "Noto Sans CJK KR";

/// Above this many links, link captions are `xlabel`s, which do not slow the layout.
const LABELLED_LINKS: usize = 400;

/// Colours shared by every diagram format, so a legend reads the same everywhere.
pub(crate) mod colour {
    /// Failed by the scenario.
    pub const SEED: &str = "#8b0000";
    /// Down.
    pub const DOWN: &str = "#e8613c";
    /// Degraded.
    pub const DEGRADED: &str = "#ffd45e";
    /// Unaffected.
    pub const UNAFFECTED: &str = "#f4f4f4";
    /// Changed by the scenario.
    pub const CHANGED: &str = "#4b2a85";
    /// Direct consumer of a change.
    pub const DIRECT: &str = "#9c8fd0";
    /// Transitive consumer of a change.
    pub const TRANSITIVE: &str = "#dcd6f2";
    /// Witness paths and failed links.
    pub const WITNESS: &str = "#b2182b";
    /// Hosting links.
    pub const HOSTING: &str = "#3b73b9";
    /// Network links.
    pub const NETWORK: &str = "#2e8b57";
    /// Ordinary links.
    pub const LINK: &str = "#555555";
    /// Saturated in a surge (load above capacity).
    pub const SATURATED: &str = "#c0182b";
    /// Loaded to 80 % of capacity or more.
    pub const HOT: &str = "#f08a3c";
    /// Loaded to 50 % or more.
    pub const WARM: &str = "#ffd45e";
    /// Loaded below 50 %.
    pub const COOL: &str = "#b8e0a8";
    /// Loaded, without a capacity.
    pub const NO_CAPACITY: &str = "#c9d6e8";
}

/// The fill of a loaded node by utilization, and whether its text must be white.
pub(crate) fn load_fill(utilization: Option<f64>) -> (&'static str, bool) {
    match utilization {
        None => (colour::NO_CAPACITY, false),
        Some(u) if u > 1.0 => (colour::SATURATED, true),
        Some(u) if u >= 0.8 => (colour::HOT, false),
        Some(u) if u >= 0.5 => (colour::WARM, false),
        Some(_) => (colour::COOL, false),
    }
}

/// Fill colour and whether the text must be white, for a mark.
pub(crate) fn fill(mark: Mark) -> (&'static str, bool) {
    match mark {
        Mark::Unaffected => (colour::UNAFFECTED, false),
        Mark::Seed => (colour::SEED, true),
        Mark::Down(_) => (colour::DOWN, false),
        Mark::Degraded(_) => (colour::DEGRADED, false),
        Mark::Changed => (colour::CHANGED, true),
        Mark::Reached(1) => (colour::DIRECT, false),
        Mark::Reached(_) => (colour::TRANSITIVE, false),
        Mark::Load { .. } => load_fill(mark.utilization()),
    }
}

/// The state line of a node: `failed at 0 h`, `down at 12 h`, `depth 2`, or nothing.
pub(crate) fn state_line(mark: Mark) -> Option<String> {
    match mark {
        Mark::Unaffected => None,
        Mark::Seed => Some("failed at 0 h".to_owned()),
        Mark::Down(h) => Some(format!("down at {}", super::hours(h))),
        Mark::Degraded(h) => Some(format!("degraded at {}", super::hours(h))),
        Mark::Changed => Some("changed".to_owned()),
        Mark::Reached(d) => Some(format!("depth {d}")),
        Mark::Load { load, capacity } => Some(match capacity {
            Some(c) => format!(
                "{} of {} req/s ({:.0}%)",
                super::surge::rate(load),
                super::surge::rate(c),
                load / c * 100.0
            ),
            None => format!("{} req/s, no capacity", super::surge::rate(load)),
        }),
    }
}

/// The detail line of a node: id, grade, agency.
pub(crate) fn detail_line(n: &ViewNode) -> String {
    let mut parts = vec![n.id.clone()];
    if let Some(g) = n.grade {
        parts.push(format!("grade {g}"));
    }
    if let Some(a) = &n.agency {
        parts.push(a.clone());
    }
    parts.join(" · ")
}

/// The caption of an edge: `FAILED` or `CHANGED` when the scenario names the link,
/// `async 4h`, `soft`, plus `k/n group` on the one member of a group that carries it.
pub(crate) fn edge_caption(e: &ViewEdge, kind: ViewKind) -> String {
    let mut parts: Vec<String> = Vec::new();
    if e.seeded {
        parts.push(
            if kind == ViewKind::Change {
                "CHANGED"
            } else {
                "FAILED"
            }
            .to_owned(),
        );
    }
    if e.mode == Mode::Async || e.tolerance != "0" {
        parts.push(format!("{} {}", e.mode, e.tolerance));
    }
    if e.effect == Effect::Degraded {
        parts.push("soft".to_owned());
    }
    if let Some(g) = e.group.as_ref().filter(|g| g.labelled) {
        parts.push(format!("{}/{} {}", g.min, g.size, g.name));
    }
    parts.join(" ")
}

/// A DOT quoted string: `"` and `\` escaped, line breaks as `\n`, other controls dropped.
pub fn quoted(s: &str) -> Id {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

/// Text for an HTML-like label: markup characters as entities, line breaks as `<BR/>`
/// (Graphviz's HTML parser rejects control characters, which [`escape`] blanks).
pub fn html_text(s: &str) -> String {
    escape(s).replace('\n', "<BR/>")
}

fn attr(name: &str, value: Id) -> Attribute {
    Attribute(Id::Plain(name.to_owned()), value)
}

fn q(name: &str, value: &str) -> Attribute {
    attr(name, quoted(value))
}

fn html_label(inner: String) -> Attribute {
    attr("label", Id::Html(format!("<{inner}>")))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

/// The DOT model of a view.
pub fn graph(view: &View) -> Graph {
    let mut stmts: Vec<Stmt> = vec![
        GraphAttributes::Graph(vec![
            q("rankdir", "LR"),
            q("fontname", FONT),
            q("charset", "UTF-8"),
            q("labelloc", "t"),
            // Ranking with clusters and cycles breaks the old ranker ("trouble in
            // init_rank" on the sample's whole map); the new one handles it.
            q("newrank", "true"),
            q("nodesep", "0.25"),
            q("ranksep", "0.6"),
            html_label(format!("<B>{}</B>", html_text(&view.title))),
        ])
        .into(),
        GraphAttributes::Node(vec![q("fontname", FONT), q("fontsize", "11")]).into(),
        GraphAttributes::Edge(vec![
            q("fontname", FONT),
            q("fontsize", "9"),
            q("color", colour::LINK),
        ])
        .into(),
    ];
    for (i, c) in view.clusters.iter().enumerate() {
        stmts.push(cluster(view, i, c).into());
    }
    for n in view.nodes.iter().filter(|n| n.cluster.is_none()) {
        stmts.push(node(n).into());
    }
    for c in view.collapsed.iter().filter(|c| c.cluster.is_none()) {
        stmts.push(collapsed(c, view.kind).into());
    }
    // Edge labels make `dot` double every rank and route a node per label: on big views
    // that costs minutes, so captions become external labels placed after the layout.
    let many = view.edges.len() > LABELLED_LINKS;
    for e in &view.edges {
        // In a scenario, links from unaffected providers are context: drawn light, so
        // the failure's own paths stand out.
        let context = view.kind != ViewKind::Map
            && !e.witness
            && !e.seeded
            && view
                .node(&e.provider)
                .is_some_and(|p| p.mark == Mark::Unaffected);
        stmts.push(edge(e, context, view.kind, many).into());
    }
    stmts.push(legend(view.kind, many).into());
    Graph::DiGraph {
        id: quoted("ripplemap"),
        strict: false,
        stmts,
    }
}

/// The DOT text of a view, one statement per line, ending with a newline.
pub fn dot(view: &View) -> String {
    let mut ctx = PrinterContext::default();
    let mut out = graph(view).print(&mut ctx);
    out.push('\n');
    out
}

fn cluster(view: &View, i: usize, c: &ViewCluster) -> Subgraph {
    let mut caption = format!("<B>{}</B>", html_text(&c.label));
    if let Some(en) = &c.label_en {
        caption.push_str(&format!("<BR/>{}", html_text(en)));
    }
    if c.label != c.key {
        caption.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
            html_text(&c.key)
        ));
    }
    let mut stmts: Vec<Stmt> = vec![
        GraphAttributes::Graph(vec![
            html_label(caption),
            q("style", "rounded,filled"),
            q("fillcolor", "#fbfbf6"),
            q("color", "#9a9a8a"),
            q("fontsize", "11"),
        ])
        .into(),
    ];
    for n in view
        .nodes
        .iter()
        .filter(|n| n.cluster.as_deref() == Some(&c.key))
    {
        stmts.push(node(n).into());
    }
    for s in view
        .collapsed
        .iter()
        .filter(|s| s.cluster.as_deref() == Some(&c.key))
    {
        stmts.push(collapsed(s, view.kind).into());
    }
    // Numbered ids keep odd keys out of the subgraph name; the caption shows the key.
    Subgraph {
        id: quoted(&format!("cluster_{i}")),
        stmts,
    }
}

fn shape(kind: NodeKind) -> (&'static str, &'static str) {
    match kind {
        NodeKind::System => ("box", "rounded,filled"),
        NodeKind::Service => ("hexagon", "filled"),
        NodeKind::Site => ("box3d", "filled"),
        NodeKind::Network => ("parallelogram", "filled"),
        NodeKind::External => ("note", "filled"),
    }
}

fn node(n: &ViewNode) -> Node {
    let (fillc, white) = fill(n.mark);
    let (shape, style) = shape(n.kind);
    let mut label = format!("<B>{}</B>", html_text(&n.name));
    if let Some(en) = n.name_en.as_ref().filter(|en| **en != n.name) {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
            html_text(en)
        ));
    }
    label.push_str(&format!(
        "<BR/><FONT POINT-SIZE=\"8\">{}</FONT>",
        html_text(&detail_line(n))
    ));
    if let Some(state) = state_line(n.mark) {
        label.push_str(&format!("<BR/><B>{}</B>", html_text(&state)));
    }
    // Grade 1 systems get the heaviest border, so criticality shows without reading.
    let pen = match n.grade {
        Some(Grade::G1) => "3",
        Some(Grade::G2) => "2",
        _ => "1",
    };
    Node {
        id: node_id(&n.id),
        attributes: vec![
            q("shape", shape),
            q("style", style),
            q("fillcolor", fillc),
            q("fontcolor", if white { "white" } else { "black" }),
            q("penwidth", pen),
            html_label(label),
        ],
    }
}

fn collapsed(c: &Collapsed, kind: ViewKind) -> Node {
    let mut text = format!(
        "{} more node{} not drawn",
        c.nodes,
        if c.nodes == 1 { "" } else { "s" }
    );
    if kind != ViewKind::Map {
        text.push_str(&format!("\n({} of them affected)", c.affected));
    }
    Node {
        id: node_id(&c.id),
        attributes: vec![
            q("shape", "folder"),
            q("style", "dashed"),
            q("color", "#888888"),
            q("fontcolor", "#555555"),
            html_label(format!("<I>{}</I>", html_text(&text))),
        ],
    }
}

fn edge(e: &ViewEdge, context: bool, kind: ViewKind, many: bool) -> Edge {
    let mut attributes = vec![q("tooltip", &e.id)];
    let (style, colour) = match (e.kind, e.effect, e.mode) {
        (_, Effect::Degraded, _) => ("dotted", colour::LINK),
        (LinkKind::Hosting, _, _) => ("bold", colour::HOSTING),
        (LinkKind::Network, _, Mode::Async) => ("dashed", colour::NETWORK),
        (LinkKind::Network, _, Mode::Sync) => ("solid", colour::NETWORK),
        (LinkKind::Interface, _, Mode::Async) => ("dashed", colour::LINK),
        (LinkKind::Interface, _, Mode::Sync) => ("solid", colour::LINK),
    };
    attributes.push(q("style", style));
    if e.kind == LinkKind::Hosting {
        attributes.push(q("arrowhead", "obox"));
    }
    if e.witness || e.seeded {
        attributes.push(q("color", colour::WITNESS));
        attributes.push(q("penwidth", if e.seeded { "3.5" } else { "2.5" }));
    } else if context {
        attributes.push(q("color", &format!("{colour}66")));
    } else {
        attributes.push(q("color", colour));
    }
    if let Some(g) = &e.group {
        // Members of one group meet at one point of the consumer: the binding is visible.
        attributes.push(q("samehead", &format!("group {}", g.name)));
        attributes.push(q("arrowhead", "diamond"));
    }
    let caption = edge_caption(e, kind);
    if !caption.is_empty() {
        attributes.push(q(if many { "xlabel" } else { "label" }, &caption));
    }
    Edge {
        ty: EdgeTy::Pair(
            Vertex::N(node_id(&e.provider)),
            Vertex::N(node_id(&e.consumer)),
        ),
        attributes,
    }
}

/// The legend: real nodes and edges drawn with the same functions, so it cannot drift.
fn legend(kind: ViewKind, many: bool) -> Subgraph {
    // One ordinary edge label anywhere doubles every rank, so the legend follows suit.
    let label = if many { "xlabel" } else { "label" };
    let mut stmts: Vec<Stmt> = vec![
        GraphAttributes::Graph(vec![
            html_label("<B>Legend</B>".to_owned()),
            q("style", "rounded"),
            q("color", "#bbbbbb"),
            q("fontsize", "11"),
        ])
        .into(),
    ];
    let loaded = |load: f64, capacity: Option<f64>| Mark::Load { load, capacity };
    let surge = [
        (loaded(2.0, Some(1.0)), "saturated (load above capacity)"),
        (loaded(0.9, Some(1.0)), "80 % of capacity or more"),
        (loaded(0.6, Some(1.0)), "50 % or more"),
        (loaded(0.1, Some(1.0)), "below 50 %"),
        (loaded(1.0, None), "loaded, no capacity written"),
        (Mark::Unaffected, "no added load"),
    ];
    let marks: &[(Mark, &str)] = match kind {
        ViewKind::Surge => &surge,
        ViewKind::Change => &[
            (Mark::Changed, "changed"),
            (Mark::Reached(1), "direct consumer (depth 1): retest"),
            (Mark::Reached(2), "transitive consumer"),
            (Mark::Unaffected, "not affected"),
        ],
        _ => &[
            (Mark::Seed, "failed (the scenario)"),
            (Mark::Down(0.0), "down (hour shown)"),
            (Mark::Degraded(0.0), "degraded (hour shown)"),
            (Mark::Unaffected, "unaffected"),
        ],
    };
    for (i, (mark, text)) in marks.iter().enumerate() {
        let (fillc, white) = fill(*mark);
        stmts.push(
            Node {
                id: node_id(&format!("legend state {i}")),
                attributes: vec![
                    q("shape", "box"),
                    q("style", "rounded,filled"),
                    q("fillcolor", fillc),
                    q("fontcolor", if white { "white" } else { "black" }),
                    q("label", text),
                ],
            }
            .into(),
        );
    }
    let kinds = [
        (NodeKind::System, "system"),
        (NodeKind::Service, "shared service"),
        (NodeKind::Site, "site (data centre)"),
        (NodeKind::Network, "network"),
        (NodeKind::External, "external"),
    ];
    for (kind, text) in kinds {
        let (shape, style) = shape(kind);
        stmts.push(
            Node {
                id: node_id(&format!("legend kind {kind}")),
                attributes: vec![
                    q("shape", shape),
                    q("style", style),
                    q("fillcolor", "white"),
                    q("label", text),
                ],
            }
            .into(),
        );
    }
    stmts.push(
        Node {
            id: node_id("legend grade"),
            attributes: vec![
                q("shape", "plaintext"),
                q(
                    "label",
                    "thick border = grade 1, medium = grade 2\n\
                     arrows run provider -> consumer:\nthe way a failure travels",
                ),
            ],
        }
        .into(),
    );
    // Invisible links lay the states, and the kinds, out in rows instead of one column.
    let states: Vec<String> = (0..marks.len())
        .map(|i| format!("legend state {i}"))
        .collect();
    let kinds: Vec<String> = kinds
        .iter()
        .map(|(k, _)| format!("legend kind {k}"))
        .chain(["legend grade".to_owned()])
        .collect();
    for row in [states, kinds] {
        for w in row.windows(2) {
            if let [a, b] = w {
                stmts.push(
                    Edge {
                        ty: EdgeTy::Pair(Vertex::N(node_id(a)), Vertex::N(node_id(b))),
                        attributes: vec![q("style", "invis")],
                    }
                    .into(),
                );
            }
        }
    }
    let edges: [(&str, Vec<Attribute>); 7] = [
        ("sync", vec![q("style", "solid")]),
        (
            "async, tolerance",
            vec![q("style", "dashed"), q(label, "async 4h")],
        ),
        ("soft (degrades)", vec![q("style", "dotted")]),
        (
            "hosting",
            vec![
                q("style", "bold"),
                q("color", colour::HOSTING),
                q("arrowhead", "obox"),
            ],
        ),
        ("network", vec![q("color", colour::NETWORK)]),
        (
            "alternatives: k of n must hold",
            vec![q("arrowhead", "diamond"), q(label, "1/2 group")],
        ),
        (
            if kind == ViewKind::Surge {
                "path of the added load (against the arrows)"
            } else {
                "witness path"
            },
            vec![q("color", colour::WITNESS), q("penwidth", "2.5")],
        ),
    ];
    for (i, (text, mut attrs)) in edges.into_iter().enumerate() {
        let from = format!("legend edge {i} from");
        let to = format!("legend edge {i} to");
        for (id, label) in [(&from, ""), (&to, text)] {
            stmts.push(
                Node {
                    id: node_id(id),
                    attributes: vec![
                        q("shape", "plaintext"),
                        q("label", label),
                        q("width", "0.1"),
                        q("height", "0.1"),
                    ],
                }
                .into(),
            );
        }
        attrs.push(q("fontsize", "8"));
        stmts.push(
            Edge {
                ty: EdgeTy::Pair(Vertex::N(node_id(&from)), Vertex::N(node_id(&to))),
                attributes: attrs,
            }
            .into(),
        );
    }
    Subgraph {
        id: quoted("cluster_legend"),
        stmts,
    }
}
