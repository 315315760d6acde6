//! The JSON Schemas of the inventory and of every command's JSON document, as committed
//! in `schemas/` and printed by `ripplemap schema NAME`.

/// Each schema by name: `inventory`, then one per command with a JSON document.
pub const SCHEMAS: [(&str, &str); 11] = [
    ("inventory", include_str!("../schemas/inventory.json")),
    ("check", include_str!("../schemas/check.json")),
    ("assess", include_str!("../schemas/assess.json")),
    ("diff", include_str!("../schemas/diff.json")),
    ("impact", include_str!("../schemas/impact.json")),
    ("change", include_str!("../schemas/change.json")),
    ("rank", include_str!("../schemas/rank.json")),
    ("scenarios", include_str!("../schemas/scenarios.json")),
    ("cuts", include_str!("../schemas/cuts.json")),
    ("recover", include_str!("../schemas/recover.json")),
    ("surge", include_str!("../schemas/surge.json")),
];

/// The names `ripplemap schema` takes.
pub fn names() -> impl Iterator<Item = &'static str> {
    SCHEMAS.iter().map(|(n, _)| *n)
}

/// The schema called `name`, as JSON text.
pub fn get(name: &str) -> Option<&'static str> {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, s)| *s)
}
