//! JSON for machines: every result value pretty-printed, with one trailing newline, and
//! written as it is serialized (nothing holds the whole document). The documents that
//! wrap a result (`check`, `diff`) are defined here.

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::InventoryStats;
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::PolicyReport;
use crate::analysis::surge::Surge;
use crate::engine::{Impact, PathMode};
use crate::inventory::Diagnostic;

/// Writes any result value as pretty JSON (two-space indents) and a trailing newline.
pub fn write<T: Serialize + ?Sized>(value: &T, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, value)?;
    w.write_all(b"\n")
}

/// The `check` document: `{"valid", "stats", "policy"}` for an inventory that loads,
/// `{"valid": false, "errors"}` for one that does not; keys in this order.
#[derive(Serialize)]
struct CheckDoc<'a> {
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
            valid: false,
            stats: None,
            policy: None,
            errors: Some(diagnostics),
        },
        w,
    )
}

/// The diff document: `{"old": PATH, "new": PATH, "items", "radius", "new_findings",
/// "resolved_findings", "summary"}`.
pub fn diff(d: &InventoryDiff, old: &str, new: &str, w: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        old: &'a str,
        new: &'a str,
        #[serde(flatten)]
        diff: &'a InventoryDiff,
    }
    write(&Doc { old, new, diff: d }, w)
}

/// The surge document: `{"scenario", "nodes", "summary"}` (paths written as `mode` says),
/// and with `--cascade` a `"cascade"` key: the failure impact of the saturated nodes, or
/// null when nothing saturates.
pub fn surge(
    s: &Surge,
    cascade: Option<Option<&Impact>>,
    mode: PathMode,
    w: &mut dyn Write,
) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a, S: Serialize> {
        #[serde(flatten)]
        surge: S,
        #[serde(skip_serializing_if = "Option::is_none")]
        cascade: Option<Option<&'a Impact<'a>>>,
    }
    write(
        &Doc {
            surge: s.json(mode),
            cascade,
        },
        w,
    )
}
