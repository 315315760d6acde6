//! The ripplemap binary: parses arguments, calls the library, renders, maps errors to exit codes.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use ripplemap::inventory::{self, Inventory, LoadError};
use ripplemap::render::{self, Style, json::to_json};
use ripplemap::{Change, Graph, Scenario, ScenarioError};

use cli::{Cli, ColorChoice, Command, InventoryForm, OutputFormat};

/// Why a command failed; every variant is the user's input or arguments (exit code 2).
enum Failure {
    Load(LoadError),
    Scenario(ScenarioError),
    Output(String),
}

impl From<LoadError> for Failure {
    fn from(e: LoadError) -> Self {
        Failure::Load(e)
    }
}

impl From<ScenarioError> for Failure {
    fn from(e: ScenarioError) -> Self {
        Failure::Scenario(e)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let style = style(cli.color);
    match run(cli.command, style) {
        Ok(out) => {
            emit(&out.text);
            ExitCode::from(out.code)
        }
        Err(f) => {
            let mut err = std::io::stderr().lock();
            let _ = match f {
                Failure::Load(e) => {
                    for d in &e.diagnostics {
                        let _ = writeln!(err, "{d}");
                    }
                    let n = e.diagnostics.len();
                    writeln!(
                        err,
                        "{n} error{}: the inventory was not loaded",
                        if n == 1 { "" } else { "s" }
                    )
                }
                Failure::Scenario(e) => writeln!(err, "error: {e}"),
                Failure::Output(e) => writeln!(err, "error: {e}"),
            };
            ExitCode::from(2)
        }
    }
}

/// What a successful command prints, and its exit code (1 when it found error-level findings).
struct Output {
    text: String,
    code: u8,
}

impl From<String> for Output {
    fn from(text: String) -> Self {
        Output { text, code: 0 }
    }
}

/// Writes to stdout; a closed pipe (`| head`) is not an error worth a message.
fn emit(out: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush());
}

fn style(choice: ColorChoice) -> Style {
    let tty = std::io::stdout().is_terminal();
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => tty && !no_color,
    };
    let width = if tty { terminal_width() } else { None };
    Style { color, width }
}

fn terminal_width() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or(Some(120))
}

fn load_graph(path: &Path) -> Result<Graph, Failure> {
    Ok(Graph::new(inventory::load(path)?))
}

fn run(command: Command, style: Style) -> Result<Output, Failure> {
    let text = match command {
        Command::Check { inventory, format } => check(&inventory, format, style)?,
        Command::Impact {
            inventory,
            fail,
            fail_link,
            hours,
            format,
        } => {
            let graph = load_graph(&inventory)?;
            let imp = graph.impact(&Scenario {
                failed: fail,
                failed_links: fail_link,
                horizon_hours: hours,
            })?;
            match format {
                OutputFormat::Table => render::table::impact(&imp, style),
                OutputFormat::Json => to_json(&imp),
            }
        }
        Command::Change {
            inventory,
            system,
            link,
            format,
        } => {
            let graph = load_graph(&inventory)?;
            let ch = graph.change(&Change {
                systems: system,
                links: link,
            })?;
            match format {
                OutputFormat::Table => render::table::change(&ch, style),
                OutputFormat::Json => to_json(&ch),
            }
        }
        Command::Generate {
            nodes,
            links,
            seed,
            to,
            output,
        } => {
            let inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
                nodes,
                links,
                seed,
            });
            convert(&inv, to, &output)?
        }
        Command::Convert {
            inventory,
            to,
            output,
        } => {
            let inv = inventory::load(&inventory)?;
            convert(&inv, to, &output)?
        }
    };
    Ok(text.into())
}

fn check(path: &Path, format: OutputFormat, style: Style) -> Result<String, Failure> {
    match inventory::load(path) {
        Ok(inv) => {
            let st = ripplemap::analysis::stats(&inv);
            Ok(match format {
                OutputFormat::Table => {
                    render::table::stats(&path.display().to_string(), &st, style)
                }
                OutputFormat::Json => to_json(&serde_json::json!({"valid": true, "stats": st})),
            })
        }
        Err(e) => {
            if format == OutputFormat::Json {
                emit(&to_json(
                    &serde_json::json!({"valid": false, "errors": e.diagnostics}),
                ));
            }
            Err(Failure::Load(e))
        }
    }
}

fn convert(inv: &Inventory, to: InventoryForm, output: &Path) -> Result<String, Failure> {
    let fail = |e: &dyn std::fmt::Display| {
        Failure::Output(format!("cannot write {}: {e}", output.display()))
    };
    let text = match to {
        InventoryForm::Csv => {
            inventory::write_csv_dir(inv, output).map_err(|e| fail(&e))?;
            return Ok(String::new());
        }
        InventoryForm::Toml => inventory::write_toml(inv).map_err(|e| fail(&e))?,
        InventoryForm::Json => inventory::write_json(inv),
    };
    if output == Path::new("-") {
        return Ok(text);
    }
    std::fs::write(output, text).map_err(|e| fail(&e))?;
    Ok(String::new())
}
