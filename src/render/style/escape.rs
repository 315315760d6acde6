//! User text made inert for each target: an inventory is input from many hands, and a
//! name must never move a terminal's cursor, open a tag in a report, break a DOT file or
//! start a Markdown heading. One function per target.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character is shown as its escape (`\u{1b}`, `\u{202e}`) rather than as
/// itself: control characters, which can move a terminal's cursor or recolour it, and the
/// bidirectional formatting characters, which reorder the text after them on screen so
/// that a name can display as another ("Trojan Source").
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}'
        )
}

/// Whether `text` is printable ASCII only: nothing hidden, one column a byte.
pub fn printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (b' '..=b'~').contains(&b))
}

/// `text` with its [`hidden`] characters shown as escapes (`\u{1b}`, `\u{202e}`, `\t`);
/// line breaks kept as they are when `keep_newlines`, else shown as `\n`.
pub fn visible(text: &str, keep_newlines: bool) -> Cow<'_, str> {
    // Printable ASCII (most ids and names) hides nothing: checked a byte at a time.
    if printable_ascii(text) {
        return text.into();
    }
    let shown = |c: char| hidden(c) && !(keep_newlines && c == '\n');
    if !text.chars().any(shown) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if shown(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out.into()
}

/// For a terminal and diagnostics: [`hidden`] characters, line breaks included, shown as
/// escapes, so an inventory cannot move the cursor, recolour or retitle the terminal of
/// whoever reads the report, nor reorder what it shows.
pub fn terminal(text: &str) -> Cow<'_, str> {
    visible(text, false)
}

/// For HTML (and SVG) element content and attribute values: markup characters as
/// entities, [`hidden`] characters other than line breaks shown as escapes.
pub fn html(s: &str) -> String {
    let s = visible(s, true);
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// For Markdown text (a table cell, a list item, a heading): inert on GitHub, GitLab and
/// wikis. The punctuation that starts Markdown syntax is escaped with backslashes (no
/// emphasis, link or image (`[` and `]`), code span, heading, table cell,
/// strikethrough, math (`$`) or GitLab inline diff (`{+ +}`) can start), `<`, `>` and
/// `&` are HTML entities (no tag, no comment, no entity), and [`hidden`] characters,
/// line breaks included, are shown as escapes. Parentheses and `!` need nothing once
/// brackets are escaped; the text is never at the start of a line, where `-`, `+` and
/// `1.` would matter.
pub fn markdown(text: &str) -> String {
    let text = visible(text, false);
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '#' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Markdown code span that holds `text` as it is: its fence is longer than any run of
/// backticks inside, so none can close it early (padded with spaces when the text starts
/// or ends with one); [`hidden`] characters are shown as escapes; in a table cell `|` is
/// escaped, since GitHub splits the cells before it reads code spans.
pub fn markdown_code(text: &str, in_table: bool) -> String {
    let text = visible(text, false);
    let text = if in_table {
        text.replace('|', "\\|")
    } else {
        text.into_owned()
    };
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`')
        || text.ends_with('`')
        || (text.starts_with(' ') && text.ends_with(' ') && !text.trim().is_empty())
    {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A DOT quoted string (with its quotes): `"` and `\` escaped, line breaks as `\n`,
/// [`hidden`] characters shown as escapes.
pub fn dot_quoted(s: &str) -> String {
    let s = visible(s, true);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// For a DOT HTML-like label: markup characters as entities, line breaks as `<BR/>`
/// (Graphviz's HTML parser rejects control characters, which [`html`] shows escaped).
pub fn dot_html(s: &str) -> String {
    html(s).replace('\n', "<BR/>")
}

/// A quoted Mermaid caption (with its quotes): characters Mermaid or HTML would read as
/// syntax become numeric `#code;` entities, line breaks become `<br>`, [`hidden`]
/// characters are shown as escapes.
pub fn mermaid(s: &str) -> String {
    let s = visible(s, true);
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\n' => out.push_str("<br>"),
            '"' | '<' | '>' | '&' | '#' | '\\' | '`' | '[' | ']' | '{' | '}' | '(' | ')' | '|'
            | ';' | '*' | '_' | '~' | '$' => {
                let _ = write!(out, "#{};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A YAML double-quoted string (with its quotes), for a Mermaid front matter's title;
/// [`hidden`] characters, line breaks included, are shown as escapes.
pub fn yaml(s: &str) -> String {
    let s = visible(s, false);
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_shown_escaped() {
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("x\u{202E}gpj.exe"), "x\\u{202e}gpj.exe");
        for c in [
            '\u{202A}', '\u{202E}', '\u{2066}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            assert!(hidden(c), "{c:?}");
            for out in [
                terminal(&format!("a{c}b")).into_owned(),
                html(&format!("a{c}b")),
                markdown(&format!("a{c}b")),
                markdown_code(&format!("a{c}b"), true),
                dot_quoted(&format!("a{c}b")),
                dot_html(&format!("a{c}b")),
                mermaid(&format!("a{c}b")),
                yaml(&format!("a{c}b")),
            ] {
                assert!(!out.contains(c), "{c:?} in {out}");
            }
        }
        // Hangul and other letters are not touched.
        assert_eq!(terminal("행정전자서명"), "행정전자서명");
        assert_eq!(visible("a\nb", true), "a\nb");
        assert_eq!(visible("a\nb", false), "a\\nb");
    }

    #[test]
    fn markdown_text_is_inert() {
        assert_eq!(
            markdown("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(markdown("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(markdown("![i](x)"), "!\\[i\\](x)");
        assert_eq!(
            markdown("# h | *a* _b_ ~c~ $d$ {+e+}"),
            "\\# h \\| \\*a\\* \\_b\\_ \\~c\\~ \\$d\\$ \\{+e+\\}"
        );
        assert_eq!(markdown("a\\b `c`"), "a\\\\b \\`c\\`");
        assert_eq!(markdown("A&B"), "A&amp;B");
        assert_eq!(markdown("line\nbreak"), "line\\\\nbreak");
    }

    #[test]
    fn code_spans_cannot_be_closed_early() {
        assert_eq!(markdown_code("gpki", false), "`gpki`");
        assert_eq!(markdown_code("a`b", false), "``a`b``");
        assert_eq!(markdown_code("a``b`", false), "``` a``b` ```");
        assert_eq!(markdown_code("`x", false), "`` `x ``");
        assert_eq!(markdown_code("a|b", true), "`a\\|b`");
        assert_eq!(markdown_code("a|b", false), "`a|b`");
        assert_eq!(markdown_code("<b>", false), "`<b>`");
    }
}
