//! Policy findings as SARIF 2.1.0, so that code review tools (GitHub code scanning, GitLab)
//! show them on the inventory's lines when the inventory is kept in a git repository.

use std::io::{self, Write};

use compact_str::CompactString;
use serde::Serialize;

use crate::analysis::policy::{Finding, PolicyReport, Rule};
use crate::inventory::{Diagnostic, Severity};

/// The SARIF 2.1.0 schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The rule under which the problems of an inventory that does not load are reported.
pub const INVALID_INVENTORY: &str = "invalid-inventory";

// The SARIF log as typed values, serialized straight to the writer: a `serde_json::Value`
// of a national inventory's findings takes gigabytes. Fields are declared in the order of
// their JSON keys' bytes, so that the output stays sorted by key as it always was.

#[derive(Serialize)]
struct Log<R: Serialize> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    runs: [Run<R>; 1],
    version: &'static str,
}

#[derive(Serialize)]
struct Run<R: Serialize> {
    results: R,
    tool: Tool,
}

/// The results of a run, each built as it is written.
struct Results<'a>(&'a [Finding]);

impl Serialize for Results<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(result))
    }
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    rules: Vec<RuleEntry>,
    version: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RuleEntry {
    default_configuration: Level,
    id: &'static str,
    short_description: Text<&'static str>,
}

#[derive(Serialize)]
struct Level {
    level: &'static str,
}

#[derive(Serialize)]
struct Text<T> {
    text: T,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    level: &'static str,
    locations: Vec<SarifLocation<'a>>,
    message: Text<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
    rule_id: &'static str,
    rule_index: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[Logical<'a>; 1]>,
    physical_location: Physical,
}

#[derive(Serialize)]
struct Logical<'a> {
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: Uri,
    region: Region,
}

#[derive(Serialize)]
struct Uri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
}

#[derive(Serialize)]
struct Properties<'a> {
    links: &'a [CompactString],
    nodes: &'a [CompactString],
}

/// Writes the report as one SARIF log with one run: every rule, every finding with its
/// locations.
pub fn write(report: &PolicyReport, w: &mut dyn Write) -> io::Result<()> {
    log(policy_rules(), Results(&report.findings), w)
}

/// Writes the problems of an inventory that did not load as a SARIF log: one error result
/// per diagnostic at its file and line, under the rule [`INVALID_INVENTORY`] (after the
/// policy rules, which were not run), so that review tools show them where policy findings
/// go.
pub fn write_invalid(diagnostics: &[Diagnostic], w: &mut dyn Write) -> io::Result<()> {
    let mut rules = policy_rules();
    rules.push(RuleEntry {
        default_configuration: Level { level: "error" },
        id: INVALID_INVENTORY,
        short_description: Text {
            text: "The inventory does not load: it does not follow the inventory format (docs/inventory.md).",
        },
    });
    let texts: Vec<String> = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.described();
            for (label, part) in [("expected", &d.expected), ("help", &d.help)] {
                if let Some(part) = part {
                    text += &format!("; {label}: {part}");
                }
            }
            text
        })
        .collect();
    let results: Vec<SarifResult<'_>> = diagnostics
        .iter()
        .zip(&texts)
        .map(|(d, text)| SarifResult {
            level: "error",
            locations: vec![SarifLocation {
                logical_locations: None,
                physical_location: physical(&d.file.display().to_string(), d.line.unwrap_or(1)),
            }],
            message: Text { text },
            properties: None,
            rule_id: INVALID_INVENTORY,
            rule_index: Rule::ALL.len(),
        })
        .collect();
    log(rules, results, w)
}

fn policy_rules() -> Vec<RuleEntry> {
    Rule::ALL
        .iter()
        .map(|r| RuleEntry {
            default_configuration: Level {
                level: level(r.default_severity()),
            },
            id: r.id(),
            short_description: Text {
                text: r.description(),
            },
        })
        .collect()
}

/// Writes the log as JSON with two-space indents and a trailing newline.
fn log(rules: Vec<RuleEntry>, results: impl Serialize, w: &mut dyn Write) -> io::Result<()> {
    // A buffer of a concrete type takes serde_json's small writes without a virtual call
    // each.
    let mut w = io::BufWriter::with_capacity(64 * 1024, w);
    serde_json::to_writer_pretty(
        &mut w,
        &Log {
            schema: SCHEMA,
            runs: [Run {
                results,
                tool: Tool {
                    driver: Driver {
                        name: "ripplemap",
                        rules,
                        version: env!("CARGO_PKG_VERSION"),
                    },
                },
            }],
            version: "2.1.0",
        },
    )?;
    w.write_all(b"\n")?;
    w.flush()
}

/// A file and line; SARIF lines start at 1 (an item built in memory has none).
fn physical(file: &str, line: usize) -> Physical {
    Physical {
        artifact_location: Uri { uri: uri(file) },
        region: Region {
            start_line: line.max(1),
        },
    }
}

fn result(f: &Finding) -> SarifResult<'_> {
    SarifResult {
        level: level(f.severity),
        locations: f
            .locations
            .iter()
            .map(|l| SarifLocation {
                logical_locations: Some([Logical {
                    kind: l.kind,
                    name: &l.id,
                }]),
                physical_location: physical(&l.file.display().to_string(), l.line),
            })
            .collect(),
        message: Text { text: &f.message },
        properties: Some(Properties {
            links: &f.links,
            nodes: &f.nodes,
        }),
        rule_id: f.rule.id(),
        rule_index: Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0),
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Off => "none",
    }
}

/// A relative URI reference for a path: `/` separators, and the characters that a URI
/// cannot hold percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.replace('\\', "/").chars() {
        if c.is_ascii_alphanumeric() || "/-._~:@!$&'()*+,;=".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::uri;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(
            uri("inventories/korea-egov.toml"),
            "inventories/korea-egov.toml"
        );
        assert_eq!(uri("my dir/a.toml"), "my%20dir/a.toml");
        assert_eq!(uri("x\\y.csv"), "x/y.csv");
    }
}
