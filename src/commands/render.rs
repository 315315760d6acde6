//! `render`: draw the inventory, a failure or a change.

use std::path::{Path, PathBuf};

use super::output::{Target, not_an_input, to_file};
use super::{Failure, Io, load_graph};
use crate::engine::Change;
use crate::error::Error;
use crate::exit_code;
use crate::render::html::Diagram;
use crate::render::svg::{self, INSTALL_HINT, Image, ImageError};
use crate::render::{dot, html, mermaid};
use crate::view::{Around, Cluster, View, ViewOptions};

/// Diagram format of `render`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramFormat {
    /// Graphviz DOT source.
    Dot,
    /// SVG laid out by Graphviz.
    Svg,
    /// PNG laid out by Graphviz (needs a file).
    Png,
    /// Mermaid flowchart, for Markdown.
    Mermaid,
    /// One self-contained HTML file: the SVG and the scenario's tables.
    Html,
}

impl DiagramFormat {
    /// The format a file name asks for, by its extension.
    pub fn of_path(path: &Path) -> Option<Self> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "dot" | "gv" => DiagramFormat::Dot,
            "svg" => DiagramFormat::Svg,
            "png" => DiagramFormat::Png,
            "mmd" | "mermaid" => DiagramFormat::Mermaid,
            "html" | "htm" => DiagramFormat::Html,
            _ => return None,
        })
    }
}

/// What `render` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// The inventory.
    pub inventory: PathBuf,
    /// A failure to draw.
    pub failure: Failure,
    /// A change to draw (when no failure is given).
    pub change: Change,
    /// Draw only the nodes within `depth` links of this node.
    pub around: Option<String>,
    /// How many links away from `around` to draw.
    pub depth: u32,
    /// How nodes are grouped into boxes.
    pub cluster: Cluster,
    /// With a scenario, draw every node instead of collapsing the unaffected ones.
    pub full: bool,
    /// The format; `None`: from the extension of `output`, else DOT.
    pub format: Option<DiagramFormat>,
    /// Where to write; `None` or `-`: standard output.
    pub output: Option<PathBuf>,
}

/// Builds the view in the library, then writes it in the asked format. Without Graphviz,
/// SVG, PNG and HTML fall back to DOT with exit code 3.
pub fn render(opts: &RenderOptions, io: &mut Io) -> Result<u8, Error> {
    let format = match (opts.format, &opts.output) {
        (Some(f), _) => f,
        (None, None) => DiagramFormat::Dot,
        (None, Some(path)) => DiagramFormat::of_path(path).ok_or_else(|| {
            Error::Usage(format!(
                "cannot tell the format from `{}`: give --format dot|svg|png|mermaid|html",
                path.display()
            ))
        })?,
    };
    let target = Target::of(opts.output.as_deref());
    if format == DiagramFormat::Png && matches!(target, Target::Stdout) {
        return Err(Error::Usage(
            "--format png writes a binary image: give a file with -o PATH".into(),
        ));
    }
    if let Target::File(path) = target {
        not_an_input(path, false, &[&opts.inventory])?;
        // Without Graphviz, the DOT goes beside the image.
        if !matches!(format, DiagramFormat::Dot | DiagramFormat::Mermaid) {
            not_an_input(&path.with_extension("dot"), false, &[&opts.inventory])?;
        }
    }
    let failure = &opts.failure;
    if failure.hours.is_some() && !failure.is_given() {
        return Err(Error::Usage(
            "--hours needs a failure scenario (--fail, --fail-link or --fail-where)".into(),
        ));
    }
    let graph = load_graph(&opts.inventory, io)?;
    let view_opts = ViewOptions {
        cluster: opts.cluster,
        around: opts
            .around
            .as_deref()
            .map(|id| Around::new(&graph, id, opts.depth))
            .transpose()?,
        full: opts.full,
    };
    let view = if failure.is_given() {
        let imp = graph.impact(&failure.scenario(&graph)?)?;
        View::for_impact(&graph, &imp, &view_opts)
    } else if !opts.change.systems.is_empty() || !opts.change.links.is_empty() {
        let ch = graph.change(&opts.change)?;
        View::for_change(&graph, &ch, &view_opts)
    } else {
        View::map(&graph, &view_opts)
    };
    view.check_drawable()?;

    let image = match format {
        DiagramFormat::Dot => {
            target.write(io.out, |w| dot::write(&view, w))?;
            return Ok(exit_code::OK);
        }
        DiagramFormat::Mermaid => {
            target.write(io.out, |w| mermaid::write(&view, w))?;
            return Ok(exit_code::OK);
        }
        DiagramFormat::Svg => Image::Svg,
        DiagramFormat::Png => Image::Png,
        DiagramFormat::Html => Image::Svg,
    };
    svg::check_size(&view)?;
    match svg::layout(dot::graph(&view), image) {
        Ok(bytes) if format == DiagramFormat::Html => {
            let svg = String::from_utf8(bytes)
                .map_err(|e| ImageError::Failed(format!("SVG is not UTF-8: {e}")))?;
            target.write(io.out, |w| html::write(&view, Diagram::Svg(&svg), w))?;
            Ok(exit_code::OK)
        }
        Ok(bytes) => {
            target.write(io.out, |w| w.write_all(&bytes))?;
            Ok(exit_code::OK)
        }
        Err(ImageError::Missing) => {
            // Without Graphviz the DOT is still written, next to the asked file or on
            // standard output (the HTML report too, without its diagram).
            let warning = match target {
                Target::File(path) => {
                    let dot_path = path.with_extension("dot");
                    if format == DiagramFormat::Html {
                        let missing = Diagram::Missing {
                            install: INSTALL_HINT,
                        };
                        to_file(path, |w| html::write(&view, missing, w))?;
                    }
                    to_file(&dot_path, |w| dot::write(&view, w))?;
                    format!("The DOT was written to {}", dot_path.display())
                }
                Target::Stdout => {
                    target.write(io.out, |w| dot::write(&view, w))?;
                    "The DOT is printed instead".to_owned()
                }
            };
            // A warning that cannot be shown is no reason to fail.
            let _ = writeln!(
                io.err,
                "warning: Graphviz is not installed, so no diagram was laid out; \
                 install it with `{INSTALL_HINT}`. {warning}"
            );
            Ok(exit_code::DOT_ONLY)
        }
        Err(e) => Err(e.into()),
    }
}
