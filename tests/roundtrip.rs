//! Property tests of the writers: an inventory written as TOML or JSON loads back to the
//! same model whatever its text holds, and one written as a CSV directory either loads
//! back the same or is refused, before anything is written, exactly when it holds a value
//! that CSV would change (an empty cell, spaces around a cell, `;` in a list entry).

use std::path::Path;

use proptest::prelude::*;
use ripplemap::Grade;
use ripplemap::inventory::{
    Effect, Format, GroupDecl, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin, Text,
    WriteError, load, load_str, write_csv_dir, write_json, write_toml,
};

/// Text that is awkward for some form: empty, padded, with separators, quotes, line
/// breaks, Hangul.
const AWKWARD: [&str; 12] = [
    "plain",
    "",
    " lead",
    "trail ",
    "a,b",
    "a;b",
    "say \"hi\"",
    "two\nlines",
    "세종 정부청사",
    "  ",
    "tab\tinside",
    "x",
];

fn text(i: usize) -> Text {
    Text::from(AWKWARD[i % AWKWARD.len()])
}

/// Raw choices for one node: name (or the id), agency, tags.
type RawNode = (Option<usize>, Option<usize>, Vec<usize>);
/// Raw choices for one link: consumer, provider, awkward id?, group, method, data.
type RawLink = (
    usize,
    usize,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<usize>,
);

/// A valid inventory in the order loading gives (nodes, links and groups sorted by key).
fn build(raw_nodes: &[RawNode], raw_links: &[RawLink]) -> Inventory {
    let n = raw_nodes.len();
    let nodes: Vec<Node> = raw_nodes
        .iter()
        .enumerate()
        .map(|(i, (name, agency, tags))| {
            let id = Text::from(format!("n{i}"));
            Node {
                name: name.map_or_else(|| id.clone(), text),
                id,
                kind: NodeKind::System,
                agency: agency.map(text),
                grade: Grade::new(i as i64 % 4 + 1),
                sites: vec![],
                tags: tags.iter().map(|&t| text(t)).collect(),
                origin: Origin::default(),
            }
        })
        .collect();
    let mut links: Vec<Link> = Vec::new();
    for (k, &(c, p, odd_id, group, method, data)) in raw_links.iter().enumerate() {
        let (c, p) = (c % n, p % n);
        if c == p {
            continue;
        }
        // Link ids must be unique and free of control characters; an awkward one keeps
        // its spaces or separators around a unique core.
        let id = match odd_id.map(|i| AWKWARD[i % AWKWARD.len()]) {
            Some(odd) if !odd.chars().any(char::is_control) => format!("{odd}l{k:02}{odd}"),
            _ => format!("l{k:02}"),
        };
        links.push(Link {
            id: Text::from(id),
            consumer: Text::from(format!("n{c}")),
            provider: Text::from(format!("n{p}")),
            kind: LinkKind::default(),
            mode: Mode::default(),
            tolerance_secs: 0,
            effect: Effect::Down,
            group: group.map(text),
            method: method.map(text),
            data: data.map(text),
            from_sites: false,
            origin: Origin::default(),
        });
    }
    links.sort_by(|a, b| a.id.cmp(&b.id));
    links.dedup_by(|a, b| a.id == b.id);
    // Every named group declared, with min 1.
    let mut groups: Vec<GroupDecl> = links
        .iter()
        .filter_map(|l| {
            Some(GroupDecl {
                consumer: l.consumer.clone(),
                group: l.group.clone()?,
                min: 1,
                from_sites: false,
                origin: Origin::default(),
            })
        })
        .collect();
    groups.sort_by(|a, b| (&a.consumer, &a.group).cmp(&(&b.consumer, &b.group)));
    groups.dedup_by(|a, b| (&a.consumer, &a.group) == (&b.consumer, &b.group));
    Inventory {
        nodes,
        links,
        groups,
        policy: Vec::new(),
    }
}

fn inventory() -> impl Strategy<Value = Inventory> {
    let idx = || 0usize..AWKWARD.len();
    let node = (
        proptest::option::of(idx()),
        proptest::option::of(idx()),
        proptest::collection::vec(idx(), 0..3),
    );
    let link = (
        0usize..6,
        0usize..6,
        proptest::option::weighted(0.2, idx()),
        proptest::option::of(idx()),
        proptest::option::weighted(0.3, idx()),
        proptest::option::weighted(0.3, idx()),
    );
    (
        proptest::collection::vec(node, 2..6),
        proptest::collection::vec(link, 0..10),
    )
        .prop_map(|(nodes, links)| build(&nodes, &links))
}

/// The test's own account of what CSV changes: a cell read back trimmed or as no value, a
/// list entry split at `;`, dropped when empty, or trimmed.
fn csv_would_change(inv: &Inventory) -> bool {
    let cell = |s: &str| s.is_empty() || s.trim_ascii() != s;
    let entry = |s: &str| cell(s) || s.contains(';');
    inv.nodes.iter().any(|n| {
        (n.name != n.id && cell(&n.name))
            || n.agency.as_deref().is_some_and(cell)
            || n.tags.iter().any(|t| entry(t))
    }) || inv.links.iter().any(|l| {
        cell(&l.id)
            || [&l.group, &l.method, &l.data]
                .iter()
                .any(|v| v.as_deref().is_some_and(cell))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn toml_and_json_keep_every_value(inv in inventory()) {
        let toml = write_toml(&inv).expect("TOML serializes");
        let from_toml = load_str(&toml, Format::Toml, Path::new("x.toml"));
        prop_assert_eq!(from_toml.as_ref().ok(), Some(&inv), "{}", toml);
        let json = write_json(&inv);
        let from_json = load_str(&json, Format::Json, Path::new("x.json"));
        prop_assert_eq!(from_json.as_ref().ok(), Some(&inv), "{}", json);
    }

    #[test]
    fn csv_keeps_every_value_or_refuses_before_writing(inv in inventory()) {
        let tmp = tempfile::tempdir().expect("a temporary directory");
        let dir = tmp.path().join("csv");
        match write_csv_dir(&inv, &dir) {
            Ok(()) => {
                prop_assert!(!csv_would_change(&inv), "written although CSV changes a value");
                let back = load(&dir);
                prop_assert_eq!(back.as_ref().ok(), Some(&inv));
            }
            Err(WriteError::Lossy(diagnostics)) => {
                prop_assert!(csv_would_change(&inv), "refused: {:?}", diagnostics);
                prop_assert!(!diagnostics.is_empty());
                prop_assert!(!dir.exists(), "something was written");
            }
            Err(WriteError::Io(e)) => prop_assert!(false, "I/O error: {}", e),
        }
    }
}
