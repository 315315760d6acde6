//! SVG and PNG of a [`View`]: its DOT model laid out by Graphviz `dot`, run through
//! graphviz-rust. Graphviz is a system package, so its absence is a distinct error that
//! tells how to install it.

use graphviz_rust::cmd::{CommandArg, Format};
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
    /// `dot` ran and failed.
    #[error("Graphviz `dot` failed: {0}")]
    Failed(String),
}

/// Lays the view out with Graphviz `dot` and returns the image's bytes.
pub fn image(view: &View, format: Image) -> Result<Vec<u8>, ImageError> {
    let format = match format {
        Image::Svg => Format::Svg,
        Image::Png => Format::Png,
    };
    graphviz_rust::exec(
        super::dot::graph(view),
        &mut PrinterContext::default(),
        vec![CommandArg::Format(format)],
    )
    .map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ImageError::Missing,
        _ => ImageError::Failed(e.to_string().trim().to_owned()),
    })
}

/// The SVG of a view as text.
pub fn svg(view: &View) -> Result<String, ImageError> {
    let bytes = image(view, Image::Svg)?;
    String::from_utf8(bytes).map_err(|e| ImageError::Failed(format!("SVG is not UTF-8: {e}")))
}
