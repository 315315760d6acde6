//! JSON output: the shapes of SPEC sections 2 and 3, pretty-printed, one trailing newline.

use serde::Serialize;

/// Serializes any result value as pretty JSON with a trailing newline.
pub fn to_json<T: Serialize>(value: &T) -> String {
    // The result types hold only strings, numbers, lists and maps with string keys,
    // for which serde_json cannot fail.
    let mut out =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}
