//! Renderers: each takes a computed value and writes it for people (tables) or machines (JSON).
//! Nothing here computes an impact.

use crate::grade::Grade;

pub mod analyses;
pub mod diff;
pub mod dot;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mermaid;
pub mod policy;
pub mod sarif;
pub mod surge;
pub mod svg;
pub mod table;

/// How a table renderer should style its output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours (only on a terminal, never under NO_COLOR).
    pub color: bool,
    /// Wrap tables to this many columns (a terminal's width); `None` never wraps.
    pub width: Option<u16>,
}

/// A grade as text: `1` … `4`, `-` when ungraded.
pub(crate) fn grade_text(g: Option<Grade>) -> String {
    g.map_or_else(|| "-".to_owned(), |g| g.to_string())
}

/// `text` in the ANSI colour `code` when the style has colour, else as is.
pub(crate) fn paint(style: Style, text: &str, code: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Hours as people read them: `0 h`, `12 h`, `1.5 h`, `2 d 4 h` for long delays.
pub fn hours(h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    if rounded >= 48.0 && (rounded % 24.0).abs() < f64::EPSILON {
        return format!("{} d", rounded / 24.0);
    }
    if rounded.fract() == 0.0 {
        format!("{rounded:.0} h")
    } else {
        format!("{rounded} h")
    }
}

#[cfg(test)]
mod tests {
    use super::hours;

    #[test]
    fn hours_read_naturally() {
        assert_eq!(hours(0.0), "0 h");
        assert_eq!(hours(12.0), "12 h");
        assert_eq!(hours(1.5), "1.5 h");
        assert_eq!(hours(48.0), "2 d");
        assert_eq!(hours(26.0), "26 h");
    }
}
