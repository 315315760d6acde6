//! The interconnection inventory: its model, the forms it is read from and written to,
//! and the diagnostics for input that does not load.

mod diag;
mod export;
mod formats;
mod load;
mod model;
mod record;
mod resolve;
mod rule;
mod schema;
mod write;
mod xlsx;

pub use diag::{Diagnostic, Keyed, Level, LoadError, SheetCell, closest, did_you_mean};
pub use export::{
    NEO4J_FILES, NEO4J_IMPORT, NEO4J_QUERIES, write_graphml, write_neo4j_nodes,
    write_neo4j_relationships,
};
pub use load::{
    CsvTables, Encoding, FileSource, Form, Format, LoadOptions, LoadOutcome, STDIN_NAME, Source,
    load, load_source, load_str, load_with, sniff,
};
pub(crate) use model::sorted_by_id;
pub use model::{
    Effect, GroupDecl, HOSTING_GROUP, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin,
    PolicySetting, RtoTarget, Severity, Sheet, Text, format_duration,
};
pub use record::{parse_duration, valid_node_id};
pub(crate) use resolve::{GroupNumbers, NONE as NO_GROUP, Resolved};
pub use rule::Rule;
pub use write::{
    CsvOptions, WriteError, csv_losses, write_csv_dir, write_csv_dir_with, write_json, write_toml,
};
pub use xlsx::{XlsxOptions, write_xlsx, write_xlsx_with, xlsx_bytes};
