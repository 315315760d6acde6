//! The inventory's schema, written once: the fields of each section in the order every
//! form writes them. The readers take from it which fields exist (unknown-field errors),
//! which are required and the CSV header check; the writers take the field order of TOML
//! and JSON and the columns of CSV. Adding a field is one entry here plus the code that
//! parses it (`record.rs`) and the code that writes its value (`write.rs`).

/// One field of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldDef {
    /// The field's name in TOML and JSON, and its CSV column.
    pub name: &'static str,
    /// A record without it does not load; in CSV, the header must have its column.
    pub required: bool,
    /// When CSV writes the column.
    pub column: Column,
}

/// When the CSV writer writes a field's column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Column {
    /// Always: it is part of the file's usual header.
    Always,
    /// Only when some item's value differs from the default, so that an inventory that does
    /// not use the field is written as it was before the field existed.
    WhenUsed,
}

const fn field(name: &'static str) -> FieldDef {
    FieldDef {
        name,
        required: false,
        column: Column::Always,
    }
}

const fn optional_column(name: &'static str) -> FieldDef {
    FieldDef {
        name,
        required: false,
        column: Column::WhenUsed,
    }
}

const fn required(name: &'static str) -> FieldDef {
    FieldDef {
        name,
        required: true,
        column: Column::Always,
    }
}

/// A node: `[[system]]` and `[[site]]` tables, rows of `systems.csv`.
pub(crate) const NODE: &[FieldDef] = &[
    required("id"),
    field("name"),
    field("kind"),
    field("agency"),
    field("grade"),
    field("sites"),
    field("tags"),
    optional_column("restore"),
    optional_column("load"),
    optional_column("capacity"),
];

/// A link: `[[link]]` tables, rows of `links.csv`.
pub(crate) const LINK: &[FieldDef] = &[
    field("id"),
    required("consumer"),
    required("provider"),
    field("kind"),
    field("mode"),
    field("tolerance"),
    field("effect"),
    field("group"),
    field("method"),
    field("data"),
    optional_column("calls"),
];

/// A group declaration: `[[group]]` tables, rows of `groups.csv`.
pub(crate) const GROUP: &[FieldDef] = &[required("consumer"), required("group"), field("min")];

/// A policy setting: an entry of the `[policy]` table, a row of `policy.csv`.
pub(crate) const POLICY: &[FieldDef] = &[required("rule"), required("severity")];

/// The names of `fields`, in order.
pub(crate) fn names(fields: &[FieldDef]) -> impl Iterator<Item = &'static str> + '_ {
    fields.iter().map(|f| f.name)
}

/// The header that the CSV writer writes, and that messages suggest: the columns always
/// written.
pub(crate) fn usual_header(fields: &[FieldDef]) -> String {
    fields
        .iter()
        .filter(|f| f.column == Column::Always)
        .map(|f| f.name)
        .collect::<Vec<_>>()
        .join(",")
}

/// The position of the field called `name`. The readers name fields by the very strings
/// of the table, so they are found by address before their text is compared.
pub(crate) fn position(fields: &[FieldDef], name: &str) -> Option<usize> {
    fields
        .iter()
        .position(|f| std::ptr::eq(f.name.as_ptr(), name.as_ptr()) && f.name.len() == name.len())
        .or_else(|| fields.iter().position(|f| f.name == name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_fits_the_record_slots() {
        for fields in [NODE, LINK, GROUP, POLICY] {
            assert!(fields.len() <= 16, "a record has 16 slots");
            for (i, f) in fields.iter().enumerate() {
                assert_eq!(position(fields, f.name), Some(i), "{} named twice", f.name);
            }
        }
    }

    #[test]
    fn the_documentation_names_every_field() {
        let doc = include_str!("../../docs/inventory.md");
        for fields in [NODE, LINK, GROUP] {
            for f in fields {
                assert!(doc.contains(&format!("| `{}` |", f.name)), "{}", f.name);
            }
        }
        for fields in [NODE, LINK, GROUP, POLICY] {
            assert!(
                doc.contains(&usual_header(fields)),
                "{}",
                usual_header(fields)
            );
        }
    }
}
