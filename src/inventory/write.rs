//! Writing an inventory back out in any of its three forms (lossless: it loads to the same model).

use std::borrow::Cow;
use std::io;
use std::path::Path;

use serde::Serialize;

use super::diag::{Diagnostic, echo};
use super::model::{
    GroupDecl, Inventory, Link, Node, NodeKind, Origin, PolicySetting, RtoTarget, Text,
    format_duration,
};
use super::schema::{self, Column, FieldDef};

/// Which form a value is written for: TOML and JSON leave a default out, CSV writes a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A TOML table or JSON object; `site_table`: a `[[site]]` table, which has no `kind`.
    Doc { site_table: bool },
    /// A CSV cell (`None` writes an empty cell).
    Csv,
}

/// One value as the writers write it.
pub(crate) enum Value<'a> {
    Str(&'a str),
    Owned(String),
    Int(u64),
    Num(f64),
    List(&'a [Text]),
}

/// Whether `v` is written as an integer: a whole number that `f64` holds exactly.
fn whole(v: f64) -> bool {
    v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0
}

impl Serialize for Value<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Str(v) => s.serialize_str(v),
            Value::Owned(v) => s.serialize_str(v),
            Value::Int(v) => s.serialize_u64(*v),
            // `load = 120` rather than `load = 120.0`; both read back as the same number.
            Value::Num(v) if whole(*v) => s.serialize_i64(*v as i64),
            Value::Num(v) => s.serialize_f64(*v),
            Value::List(v) => v.serialize(s),
        }
    }
}

impl Value<'_> {
    /// The value as a CSV cell: lists are separated by `;`.
    pub(crate) fn cell(&self) -> Cow<'_, str> {
        match self {
            Value::Str(v) => Cow::Borrowed(v),
            Value::Owned(v) => Cow::Borrowed(v),
            Value::Int(v) => Cow::Owned(v.to_string()),
            // Rust writes the shortest text that reads back as the same number: `120`,
            // `0.5`, `0.0000001`.
            Value::Num(v) => Cow::Owned(v.to_string()),
            Value::List(v) => Cow::Owned(v.join(";")),
        }
    }
}

/// The value of node field `name` (a field of [`schema::NODE`]), `None` when not written.
pub(crate) fn node_value<'a>(name: &str, n: &'a Node, form: Form) -> Option<Value<'a>> {
    let list = |v: &'a [Text]| (!v.is_empty()).then_some(Value::List(v));
    match name {
        "id" => Some(Value::Str(&n.id)),
        "name" => (n.name != n.id).then_some(Value::Str(&n.name)),
        "kind" => match form {
            Form::Doc { site_table: true } => None,
            Form::Doc { site_table: false } => {
                (n.kind != NodeKind::System).then_some(Value::Str(n.kind.as_str()))
            }
            Form::Csv => Some(Value::Str(n.kind.as_str())),
        },
        "agency" => n.agency.as_deref().map(Value::Str),
        "grade" => n.grade.map(|g| Value::Int(u64::from(g.get()))),
        "sites" => list(&n.sites),
        "tags" => list(&n.tags),
        "restore" => (n.restore_secs != 0).then(|| Value::Owned(format_duration(n.restore_secs))),
        "load" => (n.load != 0.0).then_some(Value::Num(n.load)),
        "capacity" => n.capacity.map(Value::Num),
        _ => None,
    }
}

/// The value of link field `name` (a field of [`schema::LINK`]), `None` when not written.
pub(crate) fn link_value<'a>(name: &str, l: &'a Link, _form: Form) -> Option<Value<'a>> {
    match name {
        "id" => Some(Value::Str(&l.id)),
        "consumer" => Some(Value::Str(&l.consumer)),
        "provider" => Some(Value::Str(&l.provider)),
        "kind" => Some(Value::Str(l.kind.as_str())),
        "mode" => Some(Value::Str(l.mode.as_str())),
        "tolerance" => Some(Value::Owned(format_duration(l.tolerance_secs))),
        "effect" => Some(Value::Str(l.effect.as_str())),
        "group" => l.group.as_deref().map(Value::Str),
        "method" => l.method.as_deref().map(Value::Str),
        "data" => l.data.as_deref().map(Value::Str),
        // What was written, even when it equals the default, so that it reads back the same.
        "calls" => l.calls.map(Value::Num),
        _ => None,
    }
}

/// The value of group field `name` (a field of [`schema::GROUP`]).
pub(crate) fn group_value<'a>(name: &str, g: &'a GroupDecl, _form: Form) -> Option<Value<'a>> {
    match name {
        "consumer" => Some(Value::Str(&g.consumer)),
        "group" => Some(Value::Str(&g.group)),
        "min" => Some(Value::Int(u64::from(g.min))),
        _ => None,
    }
}

/// The value of policy field `name` (a field of [`schema::POLICY`]), for `policy.csv`.
pub(crate) fn policy_value<'a>(name: &str, p: &'a PolicySetting, _form: Form) -> Option<Value<'a>> {
    match name {
        "rule" => Some(Value::Str(&p.rule)),
        "severity" => Some(Value::Str(p.severity.as_str())),
        _ => None,
    }
}

/// The value of recovery field `name` (a field of [`schema::RECOVERY`]), for
/// `recovery.csv`.
pub(crate) fn rto_value<'a>(name: &str, t: &'a RtoTarget, _form: Form) -> Option<Value<'a>> {
    match name {
        "grade" => Some(Value::Int(u64::from(t.grade.get()))),
        "rto" => Some(Value::Owned(format_duration(t.rto_secs))),
        _ => None,
    }
}

/// How the value of a field of an item of type `T` is found.
pub(crate) type ValueOf<T> = for<'a> fn(&str, &'a T, Form) -> Option<Value<'a>>;

/// One item as a TOML table or JSON object: its fields in schema order, defaults left out.
struct Row<'a, T> {
    item: &'a T,
    fields: &'static [FieldDef],
    value: ValueOf<T>,
    form: Form,
}

impl<T> Serialize for Row<'_, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let values: Vec<(&'static str, Value<'_>)> = self
            .fields
            .iter()
            .filter_map(|f| Some((f.name, (self.value)(f.name, self.item, self.form)?)))
            .collect();
        let mut st = s.serialize_struct("Row", values.len())?;
        for (name, v) in &values {
            st.serialize_field(name, v)?;
        }
        st.end()
    }
}

fn rows<'a, T>(
    items: impl Iterator<Item = &'a T>,
    fields: &'static [FieldDef],
    value: ValueOf<T>,
    form: Form,
) -> Vec<Row<'a, T>> {
    items
        .map(|item| Row {
            item,
            fields,
            value,
            form,
        })
        .collect()
}

#[derive(Serialize)]
struct Doc<'a> {
    site: Vec<Row<'a, Node>>,
    system: Vec<Row<'a, Node>>,
    link: Vec<Row<'a, Link>>,
    group: Vec<Row<'a, GroupDecl>>,
    /// Rule id -> severity; written only when the inventory sets any.
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    policy: std::collections::BTreeMap<&'a str, &'static str>,
    /// The recovery table; written only when the inventory sets a target.
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery: Option<RecoveryDoc>,
}

/// The recovery table: `rto`, grade -> duration.
#[derive(Serialize)]
struct RecoveryDoc {
    rto: std::collections::BTreeMap<String, String>,
}

fn doc(inv: &Inventory) -> Doc<'_> {
    let nodes = |site: bool| {
        inv.nodes
            .iter()
            .filter(move |n| (n.kind == NodeKind::Site) == site)
    };
    Doc {
        site: rows(
            nodes(true),
            schema::NODE,
            node_value,
            Form::Doc { site_table: true },
        ),
        system: rows(
            nodes(false),
            schema::NODE,
            node_value,
            Form::Doc { site_table: false },
        ),
        // Links and groups implied by `sites` are written as the shorthand, not twice.
        link: rows(
            inv.links.iter().filter(|l| !l.from_sites),
            schema::LINK,
            link_value,
            Form::Doc { site_table: false },
        ),
        group: rows(
            inv.groups.iter().filter(|g| !g.from_sites),
            schema::GROUP,
            group_value,
            Form::Doc { site_table: false },
        ),
        policy: inv
            .policy
            .iter()
            .map(|p| (p.rule.as_str(), p.severity.as_str()))
            .collect(),
        recovery: (!inv.rto.is_empty()).then(|| RecoveryDoc {
            rto: inv
                .rto
                .iter()
                .map(|t| (t.grade.to_string(), format_duration(t.rto_secs)))
                .collect(),
        }),
    }
}

/// The inventory as TOML (`[[site]]`, `[[system]]`, `[[link]]`, `[[group]]`).
pub fn write_toml(inv: &Inventory) -> Result<String, toml::ser::Error> {
    toml::to_string(&doc(inv))
}

/// The inventory as JSON, the same structure as the TOML.
pub fn write_json(inv: &Inventory) -> String {
    // Serializing plain structs of strings and integers into a String cannot fail.
    serde_json::to_string_pretty(&doc(inv)).unwrap_or_default() + "\n"
}

/// Why an inventory could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// Values that the form would read back changed (see [`csv_losses`]); nothing was
    /// written.
    #[error("{} value(s) would change in CSV: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Lossy(Vec<Diagnostic>),
    /// The file system refused.
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// The values of `inv` that a CSV directory cannot hold, one diagnostic each (at the line
/// of the item that holds it): the CSV reader trims every cell, reads an empty cell as no
/// value, and splits a list cell at each `;`. TOML and JSON keep them all.
pub fn csv_losses(inv: &Inventory) -> Vec<Diagnostic> {
    cell_losses(inv, "CSV")
}

/// [`csv_losses`] for a form whose cells are read as CSV cells are (`form`: CSV, XLSX).
pub(crate) fn cell_losses(inv: &Inventory, form: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut check = |origin: &Origin, subject: &dyn Fn() -> String, field: &str, value: &str| {
        if let Some(why) = csv_change(value, field == "tags") {
            out.push(lossy(
                origin,
                subject(),
                field,
                value,
                &why.replace("CSV", form),
                form,
            ));
        }
    };
    for n in &inv.nodes {
        let subject = || format!("{} `{}`", n.kind, echo(&n.id));
        if n.name != n.id {
            check(&n.origin, &subject, "name", &n.name);
        }
        if let Some(agency) = &n.agency {
            check(&n.origin, &subject, "agency", agency);
        }
    }
    for l in inv.links.iter().filter(|l| !l.from_sites) {
        let subject = || format!("link `{}`", echo(&l.id));
        check(&l.origin, &subject, "id", &l.id);
        for (field, value) in [
            ("group", &l.group),
            ("method", &l.method),
            ("data", &l.data),
        ] {
            if let Some(value) = value {
                check(&l.origin, &subject, field, value);
            }
        }
    }
    for g in inv.groups.iter().filter(|g| !g.from_sites) {
        let subject = || format!("group `{}` of `{}`", echo(&g.group), echo(&g.consumer));
        check(&g.origin, &subject, "group", &g.group);
    }
    // List entries: node ids in `sites` are safe by their pattern; free-text tags are not.
    for n in &inv.nodes {
        let subject = || format!("{} `{}`", n.kind, echo(&n.id));
        for tag in &n.tags {
            check(&n.origin, &subject, "tags", tag);
        }
    }
    out.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    out
}

/// Why CSV would read `value` back changed, if it would: as a cell, or as an `entry` of a
/// list cell.
fn csv_change(value: &str, entry: bool) -> Option<&'static str> {
    Some(match (entry, value) {
        (true, v) if v.contains(';') => "`;` separates the entries of a CSV list cell",
        (true, "") => "an empty entry of a CSV list is dropped",
        (false, "") => "an empty CSV cell reads as no value",
        (true, v) if v.trim_ascii() != v => {
            "a CSV list entry is read without its leading and trailing spaces"
        }
        (false, v) if v.trim_ascii() != v => {
            "a CSV cell is read without its leading and trailing spaces"
        }
        _ => return None,
    })
}

fn lossy(
    origin: &Origin,
    subject: String,
    field: &str,
    value: &str,
    why: &str,
    form: &str,
) -> Diagnostic {
    Diagnostic::at(
        origin,
        origin.line,
        format!(
            "`{field}` \"{}\" cannot be written to {form} as it is: {why}",
            echo(value)
        ),
    )
    .subject(subject)
    .field(field)
    .expected("a value CSV reads back unchanged")
    .help("keep this inventory in TOML or JSON, or change the value")
}

/// How a CSV directory is written.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    /// Start each file with a UTF-8 byte-order mark, so that Korean Excel opens it as
    /// UTF-8 (without one it assumes CP949 and shows Hangul as garbage). On by default;
    /// the readers accept files with and without one.
    pub bom: bool,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions { bom: true }
    }
}

/// Writes the inventory as a CSV directory: `systems.csv`, `links.csv`, `groups.csv` (and
/// `policy.csv` when it sets a policy, `recovery.csv` when it sets recovery targets), each
/// starting with a UTF-8 BOM.
/// Refuses, before writing anything, an inventory with values that CSV would change
/// ([`csv_losses`]).
pub fn write_csv_dir(inv: &Inventory, dir: &Path) -> Result<(), WriteError> {
    write_csv_dir_with(inv, dir, &CsvOptions::default())
}

/// [`write_csv_dir`] with options (a BOM or none).
pub fn write_csv_dir_with(
    inv: &Inventory,
    dir: &Path,
    opts: &CsvOptions,
) -> Result<(), WriteError> {
    let losses = csv_losses(inv);
    if !losses.is_empty() {
        return Err(WriteError::Lossy(losses));
    }
    Ok(write_csv_files(inv, dir, opts)?)
}

fn write_csv_files(inv: &Inventory, dir: &Path, opts: &CsvOptions) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut nodes: Vec<&Node> = inv.nodes.iter().collect();
    // Sites first, as a reader of the spreadsheet expects them.
    nodes.sort_by_key(|n| (n.kind != NodeKind::Site, n.id.as_str()));
    write_csv_file(
        &dir.join("systems.csv"),
        &nodes,
        schema::NODE,
        node_value,
        opts,
    )?;
    let links: Vec<&Link> = inv.links.iter().filter(|l| !l.from_sites).collect();
    write_csv_file(
        &dir.join("links.csv"),
        &links,
        schema::LINK,
        link_value,
        opts,
    )?;
    let groups: Vec<&GroupDecl> = inv.groups.iter().filter(|g| !g.from_sites).collect();
    write_csv_file(
        &dir.join("groups.csv"),
        &groups,
        schema::GROUP,
        group_value,
        opts,
    )?;
    // Written only when the inventory sets a policy, so that a directory converted from an
    // inventory without one keeps its three usual files.
    if !inv.policy.is_empty() {
        let policy: Vec<&PolicySetting> = inv.policy.iter().collect();
        write_csv_file(
            &dir.join("policy.csv"),
            &policy,
            schema::POLICY,
            policy_value,
            opts,
        )?;
    } else if dir.join("policy.csv").is_file() {
        // A stale policy from an earlier conversion would load with this inventory.
        std::fs::remove_file(dir.join("policy.csv"))?;
    }
    // The same for the recovery targets.
    if !inv.rto.is_empty() {
        let rto: Vec<&RtoTarget> = inv.rto.iter().collect();
        write_csv_file(
            &dir.join("recovery.csv"),
            &rto,
            schema::RECOVERY,
            rto_value,
            opts,
        )?;
    } else if dir.join("recovery.csv").is_file() {
        std::fs::remove_file(dir.join("recovery.csv"))?;
    }
    Ok(())
}

/// The columns CSV writes for `items`: the usual ones, and the others that some item uses.
pub(crate) fn csv_columns<T>(
    items: &[&T],
    fields: &'static [FieldDef],
    value: ValueOf<T>,
) -> Vec<&'static str> {
    fields
        .iter()
        .filter(|f| {
            f.column == Column::Always
                || items
                    .iter()
                    .any(|item| value(f.name, item, Form::Csv).is_some())
        })
        .map(|f| f.name)
        .collect()
}

/// One CSV file: a header row, then one row per item.
fn write_csv_file<T>(
    path: &Path,
    items: &[&T],
    fields: &'static [FieldDef],
    value: ValueOf<T>,
    opts: &CsvOptions,
) -> io::Result<()> {
    let columns = csv_columns(items, fields, value);
    let mut file = io::BufWriter::new(std::fs::File::create(path)?);
    if opts.bom {
        io::Write::write_all(&mut file, b"\xEF\xBB\xBF")?;
    }
    let mut w = csv::Writer::from_writer(file);
    w.write_record(&columns)?;
    let mut cells: Vec<Cow<'_, str>> = Vec::with_capacity(columns.len());
    for item in items {
        cells.clear();
        cells.extend(columns.iter().map(|name| {
            value(name, item, Form::Csv).map_or(Cow::Borrowed(""), |v| match v {
                Value::Str(s) => Cow::Borrowed(s),
                other => Cow::Owned(other.cell().into_owned()),
            })
        }));
        w.write_record(cells.iter().map(|c| c.as_bytes()))?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Grade;
    use crate::inventory::{Effect, LinkKind, Mode, Severity};

    /// Every field of the schema has writing code: an item with every field set writes a
    /// value for each.
    #[test]
    fn every_field_of_the_schema_is_written() {
        let n = Node {
            id: "a".into(),
            name: "A".into(),
            kind: NodeKind::Service,
            agency: Some("x".into()),
            grade: Grade::new(1),
            sites: vec!["s".into()],
            tags: vec!["t".into()],
            restore_secs: 600,
            load: 12.5,
            capacity: Some(100.0),
            origin: Origin::default(),
        };
        let l = Link {
            id: "l".into(),
            consumer: "a".into(),
            provider: "b".into(),
            kind: LinkKind::Network,
            mode: Mode::Async,
            tolerance_secs: 60,
            effect: Effect::Degraded,
            group: Some("g".into()),
            method: Some("api".into()),
            data: Some("d".into()),
            calls: Some(2.0),
            from_sites: false,
            origin: Origin::default(),
        };
        let g = GroupDecl {
            consumer: "a".into(),
            group: "g".into(),
            min: 2,
            from_sites: false,
            origin: Origin::default(),
        };
        let p = PolicySetting {
            rule: "orphan".into(),
            severity: Severity::Off,
            origin: Origin::default(),
        };
        let form = Form::Doc { site_table: false };
        for f in schema::NODE {
            assert!(node_value(f.name, &n, form).is_some(), "{}", f.name);
        }
        for f in schema::LINK {
            assert!(link_value(f.name, &l, form).is_some(), "{}", f.name);
        }
        for f in schema::GROUP {
            assert!(group_value(f.name, &g, form).is_some(), "{}", f.name);
        }
        for f in schema::POLICY {
            assert!(policy_value(f.name, &p, Form::Csv).is_some(), "{}", f.name);
        }
    }
}
