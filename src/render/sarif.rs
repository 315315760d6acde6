//! Policy findings as SARIF 2.1.0, so that code review tools (GitHub code scanning, GitLab)
//! show them on the inventory's lines when the inventory is kept in a git repository.

use serde_json::{Value, json};

use super::json::to_json;
use crate::analysis::policy::{Finding, PolicyReport, Rule};
use crate::inventory::{Diagnostic, Severity};

/// The SARIF 2.1.0 schema the output follows.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The rule under which the problems of an inventory that does not load are reported.
pub const INVALID_INVENTORY: &str = "invalid-inventory";

/// The report as one SARIF log with one run: every rule, every finding with its locations.
pub fn sarif(report: &PolicyReport) -> String {
    let results: Vec<Value> = report.findings.iter().map(result).collect();
    log(policy_rules(), results)
}

/// The problems of an inventory that did not load, as a SARIF log: one error result per
/// diagnostic at its file and line, under the rule [`INVALID_INVENTORY`] (after the policy
/// rules, which were not run), so that review tools show them where policy findings go.
pub fn sarif_invalid(diagnostics: &[Diagnostic]) -> String {
    let mut rules = policy_rules();
    rules.push(json!({
        "id": INVALID_INVENTORY,
        "shortDescription": {"text": "The inventory does not load: SPEC section 1 is not met."},
        "defaultConfiguration": {"level": "error"},
    }));
    let results = diagnostics
        .iter()
        .map(|d| {
            let mut text = d.described();
            for (label, part) in [("expected", &d.expected), ("help", &d.help)] {
                if let Some(part) = part {
                    text += &format!("; {label}: {part}");
                }
            }
            json!({
                "ruleId": INVALID_INVENTORY,
                "ruleIndex": Rule::ALL.len(),
                "level": "error",
                "message": {"text": text},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri(&d.file.display().to_string())},
                    "region": {"startLine": d.line.unwrap_or(1).max(1)},
                }}],
            })
        })
        .collect();
    log(rules, results)
}

fn policy_rules() -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|r| {
            json!({
                "id": r.id(),
                "shortDescription": {"text": r.description()},
                "defaultConfiguration": {"level": level(r.default_severity())},
            })
        })
        .collect()
}

fn log(rules: Vec<Value>, results: Vec<Value>) -> String {
    to_json(&json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ripplemap",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": rules,
            }},
            "results": results,
        }],
    }))
}

fn result(f: &Finding) -> Value {
    let locations: Vec<Value> = f
        .locations
        .iter()
        .map(|l| {
            json!({
                "physicalLocation": {
                    "artifactLocation": {"uri": uri(&l.file)},
                    // SARIF lines start at 1; an item built in memory has none.
                    "region": {"startLine": l.line.max(1)},
                },
                "logicalLocations": [{"name": l.id, "kind": l.kind}],
            })
        })
        .collect();
    json!({
        "ruleId": f.rule.id(),
        "ruleIndex": Rule::ALL.iter().position(|r| *r == f.rule).unwrap_or(0),
        "level": level(f.severity),
        "message": {"text": f.message},
        "locations": locations,
        "properties": {"nodes": f.nodes, "links": f.links},
    })
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
