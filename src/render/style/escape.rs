//! User text made inert for each target: an inventory is input from many hands, and a
//! name must never move a terminal's cursor, open a tag in a report, break a DOT file or
//! start a Markdown heading. One function per target.

use std::borrow::Cow;
use std::fmt::Write as _;

/// For a terminal: control characters shown escaped (`\u{1b}`, `\n` …), so an inventory
/// cannot move the cursor, recolour or retitle the terminal of whoever reads the report.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if text.chars().any(char::is_control) {
        text.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect::<String>()
            .into()
    } else {
        text.into()
    }
}

/// For HTML (and SVG) element content and attribute values: markup characters as
/// entities, control characters other than line breaks blanked.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// For a Markdown table cell: pipes escaped, line breaks and control characters shown
/// escaped.
pub fn markdown(text: &str) -> String {
    terminal(text).replace('|', "\\|")
}

/// A DOT quoted string (with its quotes): `"` and `\` escaped, line breaks as `\n`, other
/// controls blanked.
pub fn dot_quoted(s: &str) -> String {
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
    out
}

/// For a DOT HTML-like label: markup characters as entities, line breaks as `<BR/>`
/// (Graphviz's HTML parser rejects control characters, which [`html`] blanks).
pub fn dot_html(s: &str) -> String {
    html(s).replace('\n', "<BR/>")
}

/// A quoted Mermaid caption (with its quotes): characters Mermaid or HTML would read as
/// syntax become numeric `#code;` entities, line breaks become `<br>`.
pub fn mermaid(s: &str) -> String {
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

/// A YAML double-quoted string (with its quotes), for a Mermaid front matter's title.
pub fn yaml(s: &str) -> String {
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
