//! The wording of every kind of diagnostic the loaders report: one insta snapshot per
//! class, each the exit code and stderr of `ripplemap check FIXTURE` on a tiny fixture of
//! `tests/fixtures/bad/` (paths as given, relative to the repository root). `bad_input`
//! holds the contract every diagnostic keeps; these snapshots show each one whole, so a
//! change of wording is a reviewed diff.
//!
//! The loaders' one message with no snapshot is `malformed CSV: {error}` from the csv
//! reader after the header: reading rows of bytes from memory with flexible row lengths,
//! that reader has no error left to report (an unterminated quote is found before it runs).

use std::path::Path;

use ripplemap::inventory::{Format, load_str};

use crate::support::{Run, ripplemap};

/// `check TARGET` run by `run`, as `$ ripplemap check TARGET`, the exit code and stderr;
/// asserts nothing reached stdout.
fn checked(run: Run, target: &str) -> String {
    let out = run.args(["check", target]).run();
    assert!(out.stdout.is_empty(), "nothing on stdout: {out:?}");
    let code = out
        .code
        .map_or_else(|| "none".to_owned(), |c| c.to_string());
    format!(
        "$ ripplemap check {target}\nexit code: {code}\n{}",
        out.stderr
    )
}

/// The snapshot of `check tests/fixtures/bad/FIXTURE`, named `name`.
fn snapshot(name: &str, fixture: &str) {
    let text = checked(ripplemap(), &format!("tests/fixtures/bad/{fixture}"));
    insta::assert_snapshot!(name, text);
}

/// Several errors of one file, each with its line, as the library renders them.
#[test]
fn diagnostics_of_a_broken_inventory() {
    let text = r#"
[[system]]
id = "gpki"
grade = 0
kind = "servce"

[[system]]
id = "saeol"
sites = ["nirs-daejon"]

[[link]]
consumer = "saeol"
provider = "gpkii"
tolerance = "soon"
effect = "down"
group = "login"

[[link]]
consumer = "saeol"
provider = "gpki"
effect = "degraded"
group = "login"
"#;
    let err = load_str(text, Format::Toml, Path::new("broken.toml")).unwrap_err();
    let shown: Vec<String> = err.diagnostics.iter().map(ToString::to_string).collect();
    insta::assert_snapshot!(shown.join("\n"));
}

// ---------------------------------------------------------------------------------------
// The path and the file
// ---------------------------------------------------------------------------------------

#[test]
fn a_path_that_does_not_exist() {
    snapshot("path_does_not_exist", "does-not-exist.toml");
}

#[test]
fn an_unknown_inventory_form() {
    snapshot("unknown_inventory_form", "inventory.yaml");
}

#[test]
#[cfg(target_os = "linux")]
fn a_file_that_cannot_be_read() {
    // Root reads any file whatever its mode; /proc/self/mem (the reader's own memory) fails
    // with EIO at offset 0 for anyone. Run in a temporary directory for a short, fixed path.
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("unreadable.toml"))
        .expect("a symlink");
    let text = checked(ripplemap().current_dir(dir.path()), "unreadable.toml");
    insta::assert_snapshot!("file_cannot_be_read", text);
}

#[test]
fn a_file_that_is_not_utf8() {
    snapshot("file_not_utf8", "not_utf8.toml");
}

#[test]
fn an_empty_file() {
    snapshot("file_empty", "empty.toml");
}

#[test]
fn an_inventory_without_nodes() {
    snapshot("no_nodes", "empty_object.json");
}

// ---------------------------------------------------------------------------------------
// TOML and JSON structure
// ---------------------------------------------------------------------------------------

#[test]
fn malformed_toml() {
    snapshot("malformed_toml", "malformed.toml");
}

#[test]
fn malformed_json() {
    snapshot("malformed_json", "malformed.json");
}

#[test]
fn a_json_document_that_is_not_an_object() {
    snapshot("json_not_an_object", "not_an_object.json");
}

#[test]
fn a_toml_section_that_is_not_a_list_of_tables() {
    snapshot(
        "toml_section_not_a_list_of_tables",
        "not_a_list_of_tables.toml",
    );
}

#[test]
fn a_toml_section_entry_that_is_not_a_table() {
    snapshot("toml_entry_not_a_table", "entry_not_a_table.toml");
}

#[test]
fn a_json_section_that_is_not_an_array() {
    snapshot("json_section_not_an_array", "not_an_array.json");
}

#[test]
fn a_json_section_entry_that_is_not_an_object() {
    snapshot("json_entry_not_an_object", "entry_not_an_object.json");
}

#[test]
fn an_unknown_section() {
    snapshot("unknown_section", "unknown_section.toml");
}

#[test]
fn a_toml_policy_that_is_not_a_table() {
    snapshot("toml_policy_not_a_table", "policy_not_a_table.toml");
}

#[test]
fn a_json_policy_that_is_not_an_object() {
    snapshot("json_policy_not_an_object", "policy_not_an_object.json");
}

// ---------------------------------------------------------------------------------------
// Fields of a record
// ---------------------------------------------------------------------------------------

#[test]
fn an_unknown_field() {
    snapshot("unknown_field", "unknown_field.toml");
}

#[test]
fn a_field_given_twice() {
    snapshot("field_given_twice", "field_twice.json");
}

#[test]
fn a_missing_required_field() {
    snapshot("missing_required_field", "missing_fields.toml");
}

#[test]
fn a_value_of_the_wrong_type() {
    snapshot("wrong_type", "wrong_type.toml");
}

#[test]
fn a_tolerance_written_as_a_bare_number() {
    snapshot("tolerance_not_a_string", "tolerance_not_a_string.toml");
}

#[test]
fn a_list_holding_a_value_of_the_wrong_type() {
    snapshot("list_entry_wrong_type", "list_entry_wrong_type.toml");
}

#[test]
fn a_text_that_is_too_long() {
    snapshot("text_too_long", "too_long_name.toml");
}

#[test]
fn an_id_that_is_too_long() {
    snapshot("id_too_long", "too_long_id.toml");
}

#[test]
fn a_list_entry_that_is_too_long() {
    snapshot("list_entry_too_long", "too_long_tag.toml");
}

#[test]
fn unknown_enum_values() {
    snapshot("unknown_enum_value", "unknown_enum.toml");
}

#[test]
fn a_grade_outside_1_to_4() {
    snapshot("invalid_grade", "grade_range.toml");
}

#[test]
fn a_group_min_below_1() {
    snapshot("invalid_min", "group_min_zero.toml");
}

#[test]
fn unparsable_durations() {
    snapshot("unparsable_duration", "bad_duration.toml");
}

#[test]
fn an_invalid_node_id() {
    snapshot("invalid_node_id", "invalid_node_id.toml");
}

#[test]
fn an_invalid_link_id() {
    snapshot("invalid_link_id", "invalid_link_id.toml");
}

#[test]
fn a_site_with_another_kind() {
    snapshot("site_with_another_kind", "site_with_another_kind.toml");
}

#[test]
fn a_link_from_a_node_to_itself() {
    snapshot("self_link", "self_link.toml");
}

// ---------------------------------------------------------------------------------------
// Policy settings
// ---------------------------------------------------------------------------------------

#[test]
fn an_unknown_policy_rule() {
    snapshot("policy_unknown_rule", "policy_unknown_rule.toml");
}

#[test]
fn an_unknown_policy_severity() {
    snapshot("policy_unknown_severity", "policy_unknown_severity.toml");
}

#[test]
fn a_policy_severity_that_is_not_a_string() {
    snapshot(
        "policy_severity_not_a_string",
        "policy_severity_not_a_string.toml",
    );
}

#[test]
fn a_policy_rule_set_twice() {
    snapshot("policy_rule_set_twice", "csv_policy_set_twice");
}

#[test]
fn a_policy_setting_without_a_severity() {
    snapshot("policy_missing_severity", "csv_policy_missing_severity");
}

// ---------------------------------------------------------------------------------------
// Cross-references
// ---------------------------------------------------------------------------------------

#[test]
fn a_duplicate_node_id() {
    snapshot("duplicate_node_id", "duplicate_node.toml");
}

#[test]
fn a_duplicate_link_id() {
    snapshot("duplicate_link_id", "duplicate_link.toml");
}

#[test]
fn an_unknown_node_id_in_a_link() {
    snapshot("unknown_node_id_in_a_link", "unknown_link_id.toml");
}

#[test]
fn an_unknown_node_id_in_sites() {
    snapshot("unknown_node_id_in_sites", "unknown_site.toml");
}

#[test]
fn an_unknown_node_id_in_a_group() {
    snapshot("unknown_node_id_in_a_group", "unknown_group_consumer.toml");
}

#[test]
fn a_node_that_lists_itself_in_sites() {
    snapshot("node_lists_itself_in_sites", "site_lists_itself.toml");
}

#[test]
fn a_group_declared_twice() {
    snapshot("group_declared_twice", "group_declared_twice.toml");
}

#[test]
fn a_group_declared_with_no_members() {
    snapshot("group_without_members", "group_no_members.toml");
}

#[test]
fn a_group_min_above_its_size() {
    snapshot("group_min_above_its_size", "group_min_too_big.toml");
}

#[test]
fn group_members_with_different_effects() {
    snapshot("group_mixed_effects", "group_mixed_effect.toml");
}

// ---------------------------------------------------------------------------------------
// CSV directories
// ---------------------------------------------------------------------------------------

#[test]
fn a_csv_directory_without_links_csv() {
    snapshot("csv_file_missing", "csv_missing_links");
}

#[test]
fn an_empty_csv_file() {
    snapshot("csv_file_empty", "csv_empty_file");
}

#[test]
fn a_csv_quote_never_closed() {
    snapshot("csv_unterminated_quote", "csv_unterminated_quote");
}

#[test]
fn csv_rows_with_the_wrong_number_of_fields() {
    snapshot("csv_wrong_field_count", "csv_wrong_field_count");
}

#[test]
fn a_csv_cell_that_is_not_utf8() {
    snapshot("csv_cell_not_utf8", "csv_not_utf8");
}

#[test]
fn an_unknown_csv_column() {
    snapshot("csv_unknown_column", "csv_unknown_column");
}

#[test]
fn a_csv_column_given_twice() {
    snapshot("csv_column_twice", "csv_column_twice");
}

#[test]
fn a_missing_csv_column() {
    snapshot("csv_missing_column", "csv_no_consumer");
}
