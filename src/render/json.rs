//! JSON for machines: every result value pretty-printed, with one trailing newline, and
//! written as it is serialized (nothing holds the whole document). The documents that
//! wrap a result (`check`, `diff`) are defined here.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::InventoryStats;
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::PolicyReport;
use crate::inventory::Diagnostic;

/// The version of the shape of every JSON document: `"format": "ripplemap.<command>/1"`.
/// Keys are only ever added within a version; renaming or removing one makes version 2.
pub const FORMAT_VERSION: u32 = 1;

/// The `format` value of a command's document: `ripplemap.impact/1`.
pub fn format_name(command: &str) -> String {
    format!("ripplemap.{command}/{FORMAT_VERSION}")
}

/// A result as the JSON document of `command`: `{"format": "ripplemap.<command>/1"}`
/// followed by the result's own keys.
#[derive(Serialize)]
pub struct Document<'a, T: ?Sized> {
    format: String,
    #[serde(flatten)]
    body: &'a T,
}

/// The document of `command` around `body`.
pub fn document<'a, T: Serialize + ?Sized>(command: &str, body: &'a T) -> Document<'a, T> {
    Document {
        format: format_name(command),
        body,
    }
}

/// Writes the document of `command`: `{"format": "ripplemap.<command>/1", ...}`.
pub fn write_doc<T: Serialize + ?Sized>(
    command: &str,
    body: &T,
    w: &mut dyn Write,
) -> io::Result<()> {
    write(&document(command, body), w)
}

/// Writes any result value as pretty JSON (two-space indents) and a trailing newline.
pub fn write<T: Serialize + ?Sized>(value: &T, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    w.write_all(b"\n")
}

/// The `check` document: `{"format", "valid", "stats", "policy"}` for an inventory that loads,
/// `{"valid": false, "errors"}` for one that does not; keys in this order.
#[derive(Serialize)]
struct CheckDoc<'a> {
    format: String,
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a InventoryStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a PolicyReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Diagnostic]>,
}

/// `check` of an inventory that loads: its statistics and policy findings.
pub fn check(stats: &InventoryStats, report: &PolicyReport, w: &mut dyn Write) -> io::Result<()> {
    write(
        &CheckDoc {
            format: format_name("check"),
            valid: true,
            stats: Some(stats),
            policy: Some(report),
            errors: None,
        },
        w,
    )
}

/// `check` of an inventory that does not load: its problems.
pub fn check_invalid(diagnostics: &[Diagnostic], w: &mut dyn Write) -> io::Result<()> {
    write(
        &CheckDoc {
            format: format_name("check"),
            valid: false,
            stats: None,
            policy: None,
            errors: Some(diagnostics),
        },
        w,
    )
}

/// The diff document: `{"format": "ripplemap.diff/1", "old": PATH, "new": PATH, "items", "radius", "new_findings",
/// "resolved_findings", "summary"}`.
pub fn diff(d: &InventoryDiff, old: &str, new: &str, w: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        format: String,
        old: &'a str,
        new: &'a str,
        #[serde(flatten)]
        diff: &'a InventoryDiff,
    }
    write(
        &Doc {
            format: format_name("diff"),
            old,
            new,
            diff: d,
        },
        w,
    )
}
