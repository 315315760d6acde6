//! SVG and PNG: a view's DOT model (from `render::dot`, passed in) laid out by Graphviz
//! `dot`, run through graphviz-rust. Graphviz is a system package, so its absence is a
//! distinct error that tells how to install it.

use graphviz_rust::cmd::{CommandArg, Format};
use graphviz_rust::dot_structures::Graph;
use graphviz_rust::printer::PrinterContext;

use crate::view::View;

/// The command that installs Graphviz and the Hangul font on Debian and Ubuntu.
pub const INSTALL_HINT: &str = "apt-get install graphviz fonts-noto-cjk";

/// An image format Graphviz writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Image {
    /// Scalable vector graphics (text stays text).
    Svg,
    /// A bitmap.
    Png,
}

/// Why Graphviz produced no image.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// `dot` is not on the PATH.
    #[error("Graphviz is not installed (no `dot` on the PATH): install it with `{INSTALL_HINT}`")]
    Missing,
    /// The view is too big for Graphviz to lay out in reasonable time.
    #[error(
        "Graphviz would need minutes to lay out {nodes} nodes and {links} links (at most \
         {MAX_LAYOUT_NODES} nodes and {MAX_LAYOUT_LINKS} links are laid out): narrow the view \
         with `--around ID --depth N` or a scenario (`--fail ID`, `--change-system ID`), or \
         write `--format dot` or `--format mermaid`, which have no such limit"
    )]
    TooLarge {
        /// Nodes in the view.
        nodes: usize,
        /// Links in the view.
        links: usize,
    },
    /// `dot` ran and failed.
    #[error("Graphviz `dot` failed: {0}")]
    Failed(String),
}

/// Views with more nodes than this are not laid out: `dot` needs minutes for them.
pub const MAX_LAYOUT_NODES: usize = 1_000;

/// Views with more links than this are not laid out. Measured with Graphviz 2.43 on
/// generated inventories: 970 links take under 10 s; 1,800 took minutes.
pub const MAX_LAYOUT_LINKS: usize = 1_000;

/// Refuses views that Graphviz cannot lay out within about a minute.
pub fn check_size(view: &View) -> Result<(), ImageError> {
    if view.nodes.len() > MAX_LAYOUT_NODES || view.edges.len() > MAX_LAYOUT_LINKS {
        return Err(ImageError::TooLarge {
            nodes: view.nodes.len(),
            links: view.edges.len(),
        });
    }
    Ok(())
}

/// Lays a DOT model out with Graphviz `dot` and returns the image's bytes. Check the
/// view's size first ([`check_size`]).
pub fn layout(dot: Graph, format: Image) -> Result<Vec<u8>, ImageError> {
    let format = match format {
        Image::Svg => Format::Svg,
        Image::Png => Format::Png,
    };
    graphviz_rust::exec(
        dot,
        &mut PrinterContext::default(),
        vec![CommandArg::Format(format)],
    )
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ImageError::Missing,
        _ => ImageError::Failed(e.to_string().trim().to_owned()),
    })
}

/// The SVG of a DOT model as text.
pub fn svg(dot: Graph) -> Result<String, ImageError> {
    let bytes = layout(dot, Image::Svg)?;
    String::from_utf8(bytes).map_err(|e| ImageError::Failed(format!("SVG is not UTF-8: {e}")))
}
