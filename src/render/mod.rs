//! Renderers, one module per output format: each takes a computed value and writes it to
//! a writer, and none computes or calls another.
//!
//! The axis is the format, not the value rendered, because a format is one set of rules:
//! its escaping, its layout and its conventions (a Markdown table, a SARIF log, a DOT
//! statement) are the same whatever it shows, while one value (an impact) is written by
//! several formats. The words and colours all formats share are in [`style`].

pub mod csv;
pub mod dot;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod sarif;
pub mod style;
pub mod svg;
pub mod table;

pub use style::Style;
