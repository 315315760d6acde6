//! Renderers, one module per output format: each takes a computed value and writes it to
//! a writer, and none computes or calls another.
//!
//! The axis is the format, not the value rendered, because a format is one set of rules:
//! its escaping, its layout and its conventions (a Markdown table, a SARIF log, a DOT
//! statement) are the same whatever it shows, while one value (an impact) is written by
//! several formats. The words and colours all formats share are in [`style`].

pub mod chart;
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

use std::io::{self, Write};
use std::ops::Range;

use rayon::prelude::*;

/// How many rows one piece of work draws, and one batch of pieces: a 50,000-row output is
/// drawn on every core and never held in memory twice.
const PIECES: [usize; 2] = [2048, 16 * 2048];

/// Writes rows `0..rows`, each piece of rows drawn by `draw` into its own buffer on every
/// core, a batch of pieces at a time, the pieces written in order. `[per_piece,
/// per_batch]` rows go to a piece and to a batch.
fn write_in_pieces<B: AsRef<[u8]> + Send>(
    rows: usize,
    [per_piece, per_batch]: [usize; 2],
    draw: impl Fn(Range<usize>) -> io::Result<B> + Sync,
    w: &mut dyn Write,
) -> io::Result<()> {
    let (per_piece, per_batch) = (per_piece.max(1), per_batch.max(1));
    for batch in (0..rows).step_by(per_batch) {
        let end = (batch + per_batch).min(rows);
        let starts: Vec<usize> = (batch..end).step_by(per_piece).collect();
        let pieces: Vec<io::Result<B>> = starts
            .into_par_iter()
            .map(|start| draw(start..(start + per_piece).min(end)))
            .collect();
        for piece in pieces {
            w.write_all(piece?.as_ref())?;
        }
    }
    Ok(())
}
