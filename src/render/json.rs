//! JSON for machines: every result value pretty-printed, with one trailing newline, and
//! written as it is serialized (nothing holds the whole document). The documents that
//! wrap a result (`check`, `diff`, `recover` with `--why`) are defined here.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::PolicyReport;
use crate::analysis::surge::Surge;
use crate::analysis::{HoldOn, InventoryStats, RecoveryPlan};
use crate::engine::{Impact, PathMode};
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
    // serde_json writes a few bytes at a time: a buffer of a concrete type takes them
    // without a virtual call each (13 MB of impact JSON: 0.1 s of CPU less).
    let mut buf = io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer_pretty(&mut buf, value)?;
    buf.write_all(b"\n")?;
    buf.flush()
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

/// One link of a chain of waits in the `recover` document.
#[derive(Serialize)]
struct Hold<'a> {
    id: &'a str,
    back_hours: f64,
    /// `provider`, `crew` or `none`.
    waited_for: &'static str,
    /// The provider it waited for, or the step whose restoration freed its crew.
    on: Option<&'a str>,
}

/// The recovery plan (docs/semantics.md, "recover"); with `why` ids, a `why` object gives each one's
/// chain of waits (`null` for an id not in the plan), after the plan's keys.
pub fn recovery(p: &RecoveryPlan, why: &[String], w: &mut dyn Write) -> io::Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        #[serde(flatten)]
        plan: &'a RecoveryPlan,
        why: BTreeMap<&'a str, Option<Vec<Hold<'a>>>>,
    }
    if why.is_empty() {
        return write_doc("recover", p, w);
    }
    let chain = |id: &str| {
        p.why(id).map(|c| {
            c.iter()
                .map(|h| {
                    let (waited_for, on) = match h.wait {
                        HoldOn::Nothing => ("none", None),
                        HoldOn::Provider(q) => ("provider", Some(q.id.as_str())),
                        HoldOn::Crew(q) => ("crew", Some(q.id.as_str())),
                    };
                    Hold {
                        id: &h.step.id,
                        back_hours: h.step.back_hours,
                        waited_for,
                        on,
                    }
                })
                .collect()
        })
    };
    let why = why.iter().map(|id| (id.as_str(), chain(id))).collect();
    write_doc("recover", &Doc { plan: p, why }, w)
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
    write_doc(
        "surge",
        &Doc {
            surge: s.json(mode),
            cascade,
        },
        w,
    )
}
