//! Graphviz DOT of a [`View`], built as graphviz-rust's DOT model (never by pasting strings),
//! with a legend: fill by scenario state, shape by node kind, line style by link kind.
//!
//! User text reaches DOT in two forms only: quoted ids and `escString` values through
//! [`quoted`], and node and cluster captions as HTML-like labels through
//! [`escape::dot_html`], so quotes, backslashes, newlines, `<`, `>` and `&` in ids and names
//! never break the file.

use std::io::{self, Write};

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::style::palette as colour;
use super::style::{self, escape};
use crate::grade::Grade;
use crate::inventory::{Effect, LinkKind, Mode, NodeKind};
use crate::lang::Lang;
use crate::view::{Collapsed, Mark, View, ViewCluster, ViewEdge, ViewKind, ViewNode};

/// The font Graphviz is asked for: it has Hangul (Debian's `fonts-noto-cjk`).
pub const FONT: &str = "Noto Sans CJK KR";

/// Above this many links, link captions are `xlabel`s, which do not slow the layout.
const LABELLED_LINKS: usize = 400;

/// A DOT quoted string.
pub fn quoted(s: &str) -> Id {
    Id::Escaped(escape::dot_quoted(s))
}

/// Text for an HTML-like label.
fn html_text(s: &str) -> String {
    escape::dot_html(s)
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
pub fn graph(view: &View, lang: Lang) -> Graph {
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
            html_label(format!(
                "<B>{}</B>",
                html_text(&style::title(lang, &view.heading))
            )),
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
        stmts.push(cluster(view, lang, i, c).into());
    }
    for n in view.nodes.iter().filter(|n| n.cluster.is_none()) {
        stmts.push(node(lang, n).into());
    }
    for c in view.collapsed.iter().filter(|c| c.cluster.is_none()) {
        stmts.push(collapsed(lang, c, view.kind).into());
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
                .node(&e.link.provider)
                .is_some_and(|p| p.mark == Mark::Unaffected);
        stmts.push(edge(lang, e, context, view.kind, many).into());
    }
    stmts.push(legend(lang, view.kind, many).into());
    Graph::DiGraph {
        id: quoted("ripplemap"),
        strict: false,
        stmts,
    }
}

/// Writes the DOT text of a view, one statement per line, ending with a newline.
pub fn write(view: &View, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let text = graph(view, lang).print(&mut PrinterContext::default());
    w.write_all(text.as_bytes())?;
    w.write_all(b"\n")
}

fn cluster(view: &View, lang: Lang, i: usize, c: &ViewCluster) -> Subgraph {
    let mut caption = format!("<B>{}</B>", html_text(c.label));
    if let Some(en) = &c.label_en {
        caption.push_str(&format!("<BR/>{}", html_text(en)));
    }
    if c.label != c.key {
        caption.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
            html_text(c.key)
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
    for n in view.nodes.iter().filter(|n| n.cluster == Some(c.key)) {
        stmts.push(node(lang, n).into());
    }
    for s in view.collapsed.iter().filter(|s| s.cluster == Some(c.key)) {
        stmts.push(collapsed(lang, s, view.kind).into());
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

fn node(lang: Lang, n: &ViewNode) -> Node {
    let (fillc, white) = colour::fill(n.mark);
    let (shape, style) = shape(n.kind);
    let mut label = format!("<B>{}</B>", html_text(n.name));
    if let Some(en) = n.name_en.as_ref().filter(|en| **en != n.name) {
        label.push_str(&format!(
            "<BR/><FONT POINT-SIZE=\"9\">{}</FONT>",
            html_text(en)
        ));
    }
    label.push_str(&format!(
        "<BR/><FONT POINT-SIZE=\"8\">{}</FONT>",
        html_text(&style::detail_line(lang, n))
    ));
    if let Some(state) = style::state_line(lang, n.mark) {
        label.push_str(&format!("<BR/><B>{}</B>", html_text(&state)));
    }
    // Grade 1 systems get the heaviest border, so criticality shows without reading.
    let pen = match n.grade {
        Some(Grade::G1) => "3",
        Some(Grade::G2) => "2",
        _ => "1",
    };
    Node {
        id: node_id(n.id),
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

fn collapsed(lang: Lang, c: &Collapsed, kind: ViewKind) -> Node {
    let text = style::collapsed_caption(lang, c, kind);
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

fn edge(lang: Lang, e: &ViewEdge, context: bool, kind: ViewKind, many: bool) -> Edge {
    let l = e.link;
    let mut attributes = vec![q("tooltip", &l.id)];
    let (style, colour) = match (l.kind, l.effect, l.mode) {
        (_, Effect::Degraded, _) => ("dotted", colour::LINK),
        (LinkKind::Hosting, _, _) => ("bold", colour::HOSTING),
        (LinkKind::Network, _, Mode::Async) => ("dashed", colour::NETWORK),
        (LinkKind::Network, _, Mode::Sync) => ("solid", colour::NETWORK),
        (LinkKind::Interface, _, Mode::Async) => ("dashed", colour::LINK),
        (LinkKind::Interface, _, Mode::Sync) => ("solid", colour::LINK),
    };
    attributes.push(q("style", style));
    if l.kind == LinkKind::Hosting {
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
    if e.group.is_some() {
        // Members of one group meet at one point of the consumer: the binding is visible.
        let name = l.group.as_deref().unwrap_or_default();
        attributes.push(q("samehead", &format!("group {name}")));
        attributes.push(q("arrowhead", "diamond"));
    }
    let caption = style::edge_caption(lang, e, kind);
    if !caption.is_empty() {
        attributes.push(q(if many { "xlabel" } else { "label" }, &caption));
    }
    Edge {
        ty: EdgeTy::Pair(
            Vertex::N(node_id(&l.provider)),
            Vertex::N(node_id(&l.consumer)),
        ),
        attributes,
    }
}

/// The legend: real nodes and edges drawn with the same functions, so it cannot drift.
fn legend(lang: Lang, kind: ViewKind, many: bool) -> Subgraph {
    // One ordinary edge label anywhere doubles every rank, so the legend follows suit.
    let label = if many { "xlabel" } else { "label" };
    let mut stmts: Vec<Stmt> = vec![
        GraphAttributes::Graph(vec![
            html_label(format!("<B>{}</B>", html_text(&lang.msg("legend")))),
            q("style", "rounded"),
            q("color", "#bbbbbb"),
            q("fontsize", "11"),
        ])
        .into(),
    ];
    let loaded = |load: f64, capacity: Option<f64>| Mark::Load { load, capacity };
    let marks: Vec<(Mark, String)> = match kind {
        ViewKind::Surge => vec![
            (loaded(2.0, Some(1.0)), lang.msg("legend-saturated")),
            (loaded(0.9, Some(1.0)), lang.msg("legend-load-80")),
            (loaded(0.6, Some(1.0)), lang.msg("legend-load-50")),
            (loaded(0.1, Some(1.0)), lang.msg("legend-load-below")),
            (loaded(1.0, None), lang.msg("legend-load-no-capacity")),
            (Mark::Unaffected, lang.msg("legend-no-load")),
        ],
        ViewKind::Change => vec![
            (Mark::Changed, lang.msg("legend-changed")),
            (Mark::Reached(1), lang.msg("legend-direct")),
            (Mark::Reached(2), lang.msg("legend-transitive")),
            (Mark::Unaffected, lang.msg("legend-not-affected")),
        ],
        _ => vec![
            (Mark::Seed, lang.msg("legend-failed")),
            (Mark::Down(0.0), lang.msg("legend-down")),
            (Mark::Degraded(0.0), lang.msg("legend-degraded")),
            (Mark::Unaffected, lang.msg("legend-unaffected")),
        ],
    };
    for (i, (mark, text)) in marks.iter().enumerate() {
        let (fillc, white) = colour::fill(*mark);
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
        (NodeKind::System, lang.msg("kw-system")),
        (NodeKind::Service, lang.msg("legend-service")),
        (NodeKind::Site, lang.msg("legend-site")),
        (NodeKind::Network, lang.msg("kw-network")),
        (NodeKind::External, lang.msg("kw-external")),
    ];
    for (kind, text) in &kinds {
        let (shape, style) = shape(*kind);
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
                q("label", &lang.msg("legend-grade")),
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
    let async_4h = format!("{} 4h", lang.msg("kw-async"));
    let group_12 = lang.msg("legend-group-sample");
    let edges: [(String, Vec<Attribute>); 7] = [
        (lang.msg("kw-sync"), vec![q("style", "solid")]),
        (
            lang.msg("legend-async"),
            vec![q("style", "dashed"), q(label, &async_4h)],
        ),
        (lang.msg("legend-soft"), vec![q("style", "dotted")]),
        (
            lang.msg("kw-hosting"),
            vec![
                q("style", "bold"),
                q("color", colour::HOSTING),
                q("arrowhead", "obox"),
            ],
        ),
        (lang.msg("kw-network"), vec![q("color", colour::NETWORK)]),
        (
            lang.msg("legend-alternatives"),
            vec![q("arrowhead", "diamond"), q(label, &group_12)],
        ),
        (
            lang.msg(if kind == ViewKind::Surge {
                "legend-surge-path"
            } else {
                "legend-witness"
            }),
            vec![q("color", colour::WITNESS), q("penwidth", "2.5")],
        ),
    ];
    for (i, (text, mut attrs)) in edges.into_iter().enumerate() {
        let from = format!("legend edge {i} from");
        let to = format!("legend edge {i} to");
        for (id, label) in [(&from, ""), (&to, text.as_str())] {
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
