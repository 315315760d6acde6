//! Hostile names in every output for people: Markdown from `assess` and `diff --format md`
//! stays inert (no tag, link, heading, emphasis or extra table cell comes from a name),
//! and bidirectional controls never reach a reader unescaped (tables, Markdown, DOT,
//! Mermaid, HTML, diagnostics). The fixture is `tests/fixtures/render/hostile.toml`.

use crate::support::ripplemap;

const HOSTILE: &str = "tests/fixtures/render/hostile.toml";

/// The characters that reorder text on screen (Trojan Source).
const BIDI: [char; 12] = [
    '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
];

fn assert_no_bidi(text: &str, what: &str) {
    for c in BIDI {
        assert!(!text.contains(c), "{what}: {c:?} unescaped in\n{text}");
    }
}

#[test]
fn bidirectional_controls_are_shown_escaped_everywhere() {
    let runs: &[&[&str]] = &[
        &["impact", HOSTILE, "--fail", "auth"],
        &["change", HOSTILE, "--system", "auth"],
        &["check", HOSTILE],
        &["assess", HOSTILE, "--system", "auth", "--window", "1h"],
        &["render", HOSTILE, "--fail", "auth", "--format", "dot"],
        &["render", HOSTILE, "--fail", "auth", "--format", "mermaid"],
        &[
            "render",
            HOSTILE,
            "--change-system",
            "auth",
            "--format",
            "html",
        ],
        &["recover", HOSTILE, "--fail", "auth"],
        &["rank", HOSTILE],
        &["scenarios", HOSTILE, "--agency", "A&B <Ministry>"],
        &["cuts", HOSTILE, "--target", "md"],
    ];
    for args in runs {
        let out = ripplemap().args(*args).run();
        assert!(matches!(out.code, Some(0 | 1 | 3)), "{out:?}");
        assert_no_bidi(&out.stdout, &format!("{args:?} stdout"));
        assert_no_bidi(&out.stderr, &format!("{args:?} stderr"));
    }
    // The escapes are there instead.
    let table = ripplemap().args(["impact", HOSTILE, "--fail", "auth"]).ok();
    assert!(table.contains("$x$ \\u{202e}evil\\u{202c}"), "{table}");
    // An id from the command line, in a diagnostic.
    let err = ripplemap()
        .args(["impact", HOSTILE, "--fail", "a\u{202E}b"])
        .usage_error();
    assert!(err.contains("unknown node id `a\\u{202e}b`"), "{err}");
    assert_no_bidi(&err, "diagnostic");
}

/// Checks that a Markdown document is inert outside its Mermaid block: no raw `<`, no
/// link, no heading but the document's own, and every table row has its header's cells.
fn assert_inert(md: &str) {
    let mut in_fence = false;
    let mut cells = None;
    for line in md.lines() {
        if line.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        assert!(!line.contains('<'), "raw `<`: {line}");
        // A link needs `](` with its `]` not escaped.
        assert!(
            line.match_indices("](")
                .all(|(i, _)| line[..i].ends_with('\\')),
            "a link: {line}"
        );
        if line.starts_with('#') {
            assert!(
                line.starts_with("# Interconnection impact assessment: ")
                    || line.starts_with("# Inventory diff")
                    || line.starts_with("## "),
                "a heading from a name: {line}"
            );
            assert!(!line.starts_with("## ") || !line.contains('\\'), "{line}");
        }
        if line.starts_with('|') {
            // Pipes that GitHub reads as cell borders: those not escaped.
            let mut n = 0;
            let mut escaped = false;
            for c in line.chars() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '|' if !escaped => n += 1,
                    _ => escaped = false,
                }
                if c != '\\' {
                    escaped = false;
                }
            }
            match cells {
                None => cells = Some(n),
                Some(m) => assert_eq!(n, m, "cells of {line}"),
            }
        } else {
            cells = None;
        }
    }
}

#[test]
fn markdown_of_hostile_names_is_inert() {
    let md = ripplemap()
        .args(["assess", HOSTILE, "--system", "auth", "--window", "1h"])
        .ok();
    assert_inert(&md);
    assert!(
        md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt; \\[x\\](javascript:alert(1)) \\`\\`\\` \\# heading \\| pipe \\| \\*star\\* \\_under\\_"),
        "{md}"
    );
    // A link id with backticks stays one code span.
    let md = ripplemap()
        .args(["assess", HOSTILE, "--link", "md-`tick`-link"])
        .ok();
    assert_inert(&md);
    assert!(
        md.starts_with("# Interconnection impact assessment: ``md-`tick`-link``\n"),
        "{md}"
    );

    // The diff of the fixture and a copy whose hostile names changed.
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.toml");
    let text = std::fs::read_to_string(crate::support::root().join(HOSTILE)).unwrap();
    std::fs::write(
        &new,
        text.replace("~~strike~~", "| <iframe> | [y](http://e.vil)"),
    )
    .unwrap();
    let md = ripplemap()
        .args(["diff", HOSTILE])
        .arg(&new)
        .args(["--format", "md"])
        .ok();
    assert_inert(&md);
    assert!(
        md.contains("\\| &lt;iframe&gt; \\| \\[y\\](http://e.vil)"),
        "{md}"
    );
}
