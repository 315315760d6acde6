//! `schema`: print the JSON Schema of the inventory or of a command's JSON document.

use super::Io;
use crate::error::Error;
use crate::exit_code;

/// What `schema` is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaOptions {
    /// `inventory` or a command name.
    pub name: String,
}

/// Writes the schema called `opts.name`.
pub fn schema(opts: &SchemaOptions, io: &mut Io) -> Result<u8, Error> {
    let text = crate::schema::get(&opts.name).ok_or_else(|| {
        let names: Vec<&str> = crate::schema::names().collect();
        Error::Usage(format!(
            "no schema `{}`: one of {}",
            opts.name,
            names.join(", ")
        ))
    })?;
    io.out.write_all(text.as_bytes()).map_err(Error::Output)?;
    Ok(exit_code::OK)
}
