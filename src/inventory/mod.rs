//! The interconnection inventory: its model, the three forms it is read from and written to,
//! and the diagnostics for input that does not load.

mod diag;
mod formats;
mod load;
mod model;
mod record;
mod rule;
mod schema;
mod write;

pub use diag::{Diagnostic, LoadError, closest, did_you_mean};
pub use load::{Format, load, load_str};
pub use model::{
    Effect, GroupDecl, HOSTING_GROUP, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin,
    PolicySetting, Severity, Text, format_duration,
};
pub use record::{parse_duration, valid_node_id};
pub use rule::Rule;
pub use write::{WriteError, csv_losses, write_csv_dir, write_json, write_toml};
