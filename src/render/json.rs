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
use crate::engine::{Impact, PathMode, ROWS_MARKER};
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

/// Writes the document of `command` around `body`, a result whose JSON holds
/// [`ROWS_MARKER`] in place of its rows ([`crate::engine::RowsJson::Marker`]), with
/// rows `0..rows` (each written by `row`) in place of the marker: byte for byte what
/// [`write_doc`] writes of the result with its rows in place, but the rows drawn on every
/// core, a batch at a time (most of the time of a 50,000-row document).
pub fn write_doc_rows<B: Serialize + ?Sized, R: Serialize>(
    command: &str,
    body: &B,
    rows: usize,
    row: impl Fn(usize) -> R + Sync,
    w: &mut dyn Write,
) -> io::Result<()> {
    write_rows_in(command, body, rows, row, w, super::PIECES)
}

/// [`write_doc_rows`] with `pieces` rows to a piece of work and to a batch of pieces.
fn write_rows_in<B: Serialize + ?Sized, R: Serialize>(
    command: &str,
    body: &B,
    rows: usize,
    row: impl Fn(usize) -> R + Sync,
    w: &mut dyn Write,
    pieces: [usize; 2],
) -> io::Result<()> {
    let mut head = Vec::new();
    serde_json::to_writer_pretty(&mut head, &document(command, body))?;
    // The marker as a key's value: its quotes unescaped, which no text's can be.
    let marker = format!(": {}", serde_json::to_string(ROWS_MARKER)?);
    let Some(at) = memchr::memmem::find(&head, marker.as_bytes()) else {
        w.write_all(&head)?;
        return w.write_all(b"\n");
    };
    let (before, after) = head.split_at(at + 2);
    let after = after.get(marker.len() - 2..).unwrap_or_default();
    // The key's line is indented as the array's closing bracket; its rows one level more.
    let line = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let indent = before
        .get(line..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ')
        .count();
    w.write_all(before)?;
    if rows == 0 {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[")?;
        let inner = vec![b' '; indent + 2];
        let draw = |piece: std::ops::Range<usize>| {
            let mut out = Vec::with_capacity(piece.len() * 320);
            for i in piece {
                if i > 0 {
                    out.push(b',');
                }
                out.push(b'\n');
                out.extend_from_slice(&inner);
                let at = Indented {
                    level: inner.len() / 2,
                    has_value: false,
                };
                row(i).serialize(&mut serde_json::Serializer::with_formatter(&mut out, at))?;
            }
            io::Result::Ok(out)
        };
        super::write_in_pieces(rows, pieces, draw, w)?;
        w.write_all(b"\n")?;
        w.write_all(inner.get(2..).unwrap_or_default())?;
        w.write_all(b"]")?;
    }
    w.write_all(after)?;
    w.write_all(b"\n")
}

/// serde_json's pretty format (two-space indents) for a value that starts `level` levels
/// deep: what `to_writer_pretty` writes there.
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    fn line<W: ?Sized + Write>(&self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        self.indent(w)
    }

    fn indent<W: ?Sized + Write>(&self, w: &mut W) -> io::Result<()> {
        for _ in 0..self.level {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn open<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn close<W: ?Sized + Write>(&mut self, w: &mut W, bracket: &[u8]) -> io::Result<()> {
        self.level = self.level.saturating_sub(1);
        if self.has_value {
            w.write_all(b"\n")?;
            self.indent(w)?;
        }
        w.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.line(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Change, RowFilter, RowsJson, Scenario};
    use crate::grade::Grade;

    /// What `write_doc` writes of `doc`.
    fn whole(command: &str, doc: &impl Serialize) -> String {
        let mut out = Vec::new();
        write_doc(command, doc, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_drawn_in_pieces_are_the_document_written_whole() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov.toml");
        let graph = crate::Graph::new(crate::load(&path).unwrap());
        let sizes = [[1, 1], [2, 5], [3, 7], [2048, 32768]];
        let mut seen_rows = 0;
        let mut empty_changes = 0;
        for failed in ["gpki", "gov24", "hometax", "data-portal"] {
            let scenario = Scenario {
                failed: vec![failed.to_owned()],
                failed_links: Vec::new(),
                horizon_hours: None,
            };
            let mut imp = graph.impact(&scenario).unwrap();
            for grade in [None, Some(1)] {
                if let Some(g) = grade {
                    imp.filter(&RowFilter {
                        grades: vec![Grade::new(g)],
                        ..RowFilter::default()
                    });
                }
                seen_rows += imp.affected.len();
                for mode in [PathMode::Full, PathMode::Via] {
                    let expected = whole("impact", &imp.json(mode));
                    for size in sizes {
                        let mut out = Vec::new();
                        let marked = imp.json_with(mode, RowsJson::Marker);
                        let row = |i| imp.json_row(i, mode);
                        write_rows_in("impact", &marked, imp.affected.len(), row, &mut out, size)
                            .unwrap();
                        assert_eq!(
                            String::from_utf8(out).unwrap(),
                            expected,
                            "{failed} {size:?}"
                        );
                    }
                }
            }
            let change = Change {
                systems: vec![failed.to_owned()],
                links: Vec::new(),
            };
            let ch = graph.change(&change).unwrap();
            empty_changes += usize::from(ch.affected.is_empty());
            let expected = whole("change", &ch.json(PathMode::Full));
            for size in sizes {
                let mut out = Vec::new();
                let marked = ch.json_with(PathMode::Full, RowsJson::Marker);
                let row = |i| ch.json_row(i, PathMode::Full);
                write_rows_in("change", &marked, ch.affected.len(), row, &mut out, size).unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    expected,
                    "{failed} {size:?}"
                );
            }
        }
        assert!(seen_rows > 10, "the scenarios reach rows");
        assert!(empty_changes > 0, "a change reaches no row");
    }
}
