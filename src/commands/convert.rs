//! `convert` and `generate`: an inventory written in another form.

use std::path::{Path, PathBuf};

use super::output::{Target, not_an_input, to_dir, write_error};
use super::{Input, Io};
use crate::error::Error;
use crate::exit_code;
use crate::generate::GenOptions;
use crate::inventory::{self, Inventory, WriteError};

/// A form an inventory is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InventoryForm {
    /// One .toml file.
    Toml,
    /// One .json file.
    Json,
    /// A directory with systems.csv, links.csv and groups.csv.
    Csv,
    /// One .xlsx workbook, a sheet per table.
    Xlsx,
    /// One GraphML file, for graph tools (not read back).
    Graphml,
    /// A directory of `neo4j-admin database import` files and Cypher queries (not read back).
    Neo4j,
}

impl InventoryForm {
    /// Whether the form is a directory that `-o` names.
    fn is_dir(self) -> bool {
        matches!(self, InventoryForm::Csv | InventoryForm::Neo4j)
    }
}

/// How an inventory is written, beyond its form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteOptions {
    /// CSV files start with a UTF-8 byte-order mark (so that Korean Excel reads them as
    /// UTF-8).
    pub bom: bool,
    /// A workbook gets English sheet names, headers and keywords instead of Korean ones.
    pub english: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            bom: true,
            english: false,
        }
    }
}

/// What `convert` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ConvertOptions {
    /// The inventory to read.
    pub inventory: Input,
    /// The form to write.
    pub to: InventoryForm,
    /// Where: a file (`-` for standard output), or a directory for CSV.
    pub output: PathBuf,
    /// BOM and header language.
    pub write: WriteOptions,
}

/// What `generate` is asked.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Size and seed.
    pub inventory: GenOptions,
    /// Also draw loads, capacities and calls (for `surge`).
    pub loads: bool,
    /// The form to write.
    pub to: InventoryForm,
    /// Where: a file (`-` for standard output), or a directory for CSV.
    pub output: PathBuf,
    /// BOM and header language.
    pub write: WriteOptions,
}

/// The files of a CSV inventory directory, which `--to csv` replaces as a whole.
const CSV_FILES: [&str; 5] = [
    "systems.csv",
    "links.csv",
    "groups.csv",
    "policy.csv",
    "recovery.csv",
];

/// Writes an inventory in another form, losslessly; `-o` may not name the inventory.
pub fn convert(opts: &ConvertOptions, io: &mut Io) -> Result<u8, Error> {
    not_an_input(&opts.output, opts.to.is_dir(), &opts.inventory.paths())?;
    let inv = super::load(&opts.inventory, io)?;
    write(&inv, opts.to, &opts.output, opts.write, io)
}

/// Writes a synthetic inventory, the same for the same seed.
pub fn generate(opts: &GenerateOptions, io: &mut Io) -> Result<u8, Error> {
    let mut inv = crate::generate::generate(&opts.inventory);
    if opts.loads {
        crate::generate::add_loads(&mut inv, opts.inventory.seed);
    }
    write(&inv, opts.to, &opts.output, opts.write, io)
}

fn write(
    inv: &Inventory,
    to: InventoryForm,
    output: &Path,
    opts: WriteOptions,
    io: &mut Io,
) -> Result<u8, Error> {
    // Values a cell would change: nothing is written.
    let unwritable = |diagnostics: Vec<_>, form: &str| {
        let n: usize = Vec::len(&diagnostics);
        Error::Unwritable {
            diagnostics,
            summary: format!(
                "{n} value{} would change in {form}: nothing was written to {} \
                 (TOML and JSON keep them)",
                if n == 1 { "" } else { "s" },
                output.display()
            ),
        }
    };
    let text = match to {
        InventoryForm::Csv => {
            let csv = inventory::CsvOptions { bom: opts.bom };
            to_dir(
                output,
                &CSV_FILES,
                |dir| match inventory::write_csv_dir_with(inv, dir, &csv) {
                    Ok(()) => Ok(()),
                    Err(WriteError::Lossy(diagnostics)) => Err(unwritable(diagnostics, "CSV")),
                    Err(WriteError::Io(e)) => Err(write_error(output)(e)),
                },
            )?;
            return Ok(exit_code::OK);
        }
        InventoryForm::Xlsx => {
            let xlsx = inventory::XlsxOptions {
                english: opts.english,
            };
            let bytes = match inventory::xlsx_bytes(inv, &xlsx) {
                Ok(b) => b,
                Err(WriteError::Lossy(diagnostics)) => {
                    return Err(unwritable(diagnostics, "XLSX"));
                }
                Err(WriteError::Io(e)) => return Err(write_error(output)(e)),
            };
            Target::of(Some(output)).write(io.out, |w| w.write_all(&bytes))?;
            return Ok(exit_code::OK);
        }
        InventoryForm::Toml => {
            inventory::write_toml(inv).map_err(|e| write_error(output)(std::io::Error::other(e)))?
        }
        InventoryForm::Json => inventory::write_json(inv),
        InventoryForm::Graphml => {
            Target::of(Some(output)).write(io.out, |w| inventory::write_graphml(inv, w))?;
            return Ok(exit_code::OK);
        }
        InventoryForm::Neo4j => {
            to_dir(output, &inventory::NEO4J_FILES, |dir| {
                write_neo4j(inv, dir).map_err(write_error(output))
            })?;
            return Ok(exit_code::OK);
        }
    };
    Target::of(Some(output)).write(io.out, |w| w.write_all(text.as_bytes()))?;
    Ok(exit_code::OK)
}

/// The files of a Neo4j export in `dir`.
fn write_neo4j(inv: &Inventory, dir: &Path) -> std::io::Result<()> {
    use std::io::Write;
    let file = |name: &str| std::fs::File::create(dir.join(name)).map(std::io::BufWriter::new);
    let mut nodes = file("nodes.csv")?;
    inventory::write_neo4j_nodes(inv, &mut nodes)?;
    nodes.flush()?;
    let mut rels = file("relationships.csv")?;
    inventory::write_neo4j_relationships(inv, &mut rels)?;
    rels.flush()?;
    std::fs::write(dir.join("queries.cypher"), inventory::NEO4J_QUERIES)?;
    std::fs::write(dir.join("import.sh"), inventory::NEO4J_IMPORT)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            dir.join("import.sh"),
            std::fs::Permissions::from_mode(0o755),
        )?;
    }
    Ok(())
}
