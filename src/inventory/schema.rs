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
    /// Its Korean column header, which CSV and XLSX accept as well as `name`.
    pub korean: &'static str,
    /// For a keyword field, each keyword with its Korean word, which CSV and XLSX cells
    /// accept as well; empty for other fields.
    pub values: &'static [(&'static str, &'static str)],
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

const fn field(name: &'static str, korean: &'static str) -> FieldDef {
    FieldDef {
        name,
        korean,
        values: &[],
        required: false,
        column: Column::Always,
    }
}

const fn keyword(
    name: &'static str,
    korean: &'static str,
    values: &'static [(&'static str, &'static str)],
) -> FieldDef {
    FieldDef {
        values,
        ..field(name, korean)
    }
}

const fn optional_column(name: &'static str, korean: &'static str) -> FieldDef {
    FieldDef {
        column: Column::WhenUsed,
        ..field(name, korean)
    }
}

const fn required(name: &'static str, korean: &'static str) -> FieldDef {
    FieldDef {
        required: true,
        ..field(name, korean)
    }
}

/// Node kinds.
const NODE_KINDS: &[(&str, &str)] = &[
    ("system", "시스템"),
    ("service", "서비스"),
    ("site", "센터"),
    ("network", "네트워크"),
    ("external", "외부"),
];
/// Link kinds.
const LINK_KINDS: &[(&str, &str)] = &[
    ("interface", "연계"),
    ("hosting", "호스팅"),
    ("network", "네트워크"),
];
/// Link modes.
const MODES: &[(&str, &str)] = &[("sync", "실시간"), ("async", "배치")];
/// Link effects.
const EFFECTS: &[(&str, &str)] = &[("down", "중단"), ("degraded", "저하")];
/// Policy severities.
const SEVERITIES: &[(&str, &str)] = &[("error", "오류"), ("warning", "경고"), ("off", "끔")];

/// A node: `[[system]]` and `[[site]]` tables, rows of `systems.csv`.
pub(crate) const NODE: &[FieldDef] = &[
    required("id", "시스템ID"),
    field("name", "시스템명"),
    keyword("kind", "유형", NODE_KINDS),
    field("agency", "기관"),
    field("grade", "등급"),
    field("sites", "센터"),
    field("tags", "태그"),
    optional_column("restore", "복구시간"),
    optional_column("load", "부하"),
    optional_column("capacity", "용량"),
];

/// A link: `[[link]]` tables, rows of `links.csv`.
pub(crate) const LINK: &[FieldDef] = &[
    field("id", "연계ID"),
    required("consumer", "이용시스템"),
    required("provider", "제공시스템"),
    keyword("kind", "연계유형", LINK_KINDS),
    keyword("mode", "방식", MODES),
    field("tolerance", "허용지연"),
    keyword("effect", "영향", EFFECTS),
    field("group", "그룹"),
    field("method", "연계방법"),
    field("data", "연계데이터"),
    optional_column("calls", "호출수"),
];

/// A group declaration: `[[group]]` tables, rows of `groups.csv`.
pub(crate) const GROUP: &[FieldDef] = &[
    required("consumer", "이용시스템"),
    required("group", "그룹"),
    field("min", "최소"),
];

/// A policy setting: an entry of the `[policy]` table, a row of `policy.csv`.
pub(crate) const POLICY: &[FieldDef] = &[
    required("rule", "규칙"),
    keyword("severity", "수준", SEVERITIES),
];

/// A recovery-time target: an entry of the `[recovery]` table's `rto`, a row of
/// `recovery.csv`.
pub(crate) const RECOVERY: &[FieldDef] =
    &[required("grade", "등급"), required("rto", "목표복구시간")];

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

/// The field a header cell names, in English or Korean.
pub(crate) fn by_header(fields: &'static [FieldDef], header: &str) -> Option<&'static FieldDef> {
    fields
        .iter()
        .find(|f| f.name == header)
        .or_else(|| fields.iter().find(|f| f.korean == header))
}

/// The keyword a cell of field `name` holds: the cell itself, or the keyword of its Korean
/// word.
pub(crate) fn keyword_of<'c>(fields: &[FieldDef], name: &str, cell: &'c str) -> &'c str {
    let Some(f) = position(fields, name).and_then(|i| fields.get(i)) else {
        return cell;
    };
    f.values
        .iter()
        .find(|(_, ko)| *ko == cell)
        .map_or(cell, |(en, _)| en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_section_fits_the_record_slots() {
        for fields in [NODE, LINK, GROUP, POLICY, RECOVERY] {
            assert!(fields.len() <= 16, "a record has 16 slots");
            for (i, f) in fields.iter().enumerate() {
                assert_eq!(position(fields, f.name), Some(i), "{} named twice", f.name);
            }
        }
    }

    #[test]
    fn korean_headers_and_words_are_unique_and_match_the_keywords() {
        use crate::inventory::{Effect, LinkKind, Mode, NodeKind, Severity};
        for fields in [NODE, LINK, GROUP, POLICY, RECOVERY] {
            for (i, f) in fields.iter().enumerate() {
                assert_eq!(by_header(fields, f.korean).map(|g| g.name), Some(f.name));
                assert!(fields[..i].iter().all(|g| g.korean != f.korean));
            }
        }
        let english = |fields: &[FieldDef], name: &str| -> Vec<&'static str> {
            let f = &fields[position(fields, name).expect("a field")];
            f.values.iter().map(|(en, _)| *en).collect()
        };
        assert_eq!(english(NODE, "kind"), NodeKind::WORDS);
        assert_eq!(english(LINK, "kind"), LinkKind::WORDS);
        assert_eq!(english(LINK, "mode"), Mode::WORDS);
        assert_eq!(english(LINK, "effect"), Effect::WORDS);
        assert_eq!(english(POLICY, "severity"), Severity::WORDS);
    }

    #[test]
    fn the_documentation_names_every_field() {
        let doc = include_str!("../../docs/inventory.md");
        for fields in [NODE, LINK, GROUP, POLICY, RECOVERY] {
            for f in fields {
                assert!(doc.contains(&format!("| `{}` |", f.name)), "{}", f.name);
                assert!(
                    doc.contains(&format!("| `{}` | `{}` |", f.name, f.korean)),
                    "{} {}",
                    f.name,
                    f.korean
                );
                for (en, ko) in f.values {
                    assert!(doc.contains(&format!("`{en}` = `{ko}`")), "{en} {ko}");
                }
            }
        }
        for fields in [NODE, LINK, GROUP, POLICY, RECOVERY] {
            assert!(
                doc.contains(&usual_header(fields)),
                "{}",
                usual_header(fields)
            );
        }
    }
}
