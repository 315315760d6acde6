//! The ripplemap binary: parses arguments, calls the library, renders, maps errors to exit codes.

mod cli;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::Parser;
use ripplemap::analysis;
use ripplemap::inventory::{self, Diagnostic, Inventory, LoadError, WriteError};
use ripplemap::render::{self, Style, json::to_json};
use ripplemap::{Change, Graph, Scenario, ScenarioError};

use cli::{
    AssessFormat, CheckFormat, Cli, ClusterBy, ColorChoice, Command, DiagramFormat, DiffFormat,
    InventoryForm, OutputFormat, TableFormat,
};

/// Why a command failed; every variant is the user's input or arguments (exit code 2).
enum Failure {
    Load(LoadError),
    Scenario(ScenarioError),
    Output(String),
    /// Values the asked output form would change, and what was (not) done about it; or
    /// problems that refuse the inventory for a command, and why.
    Unwritable(Vec<Diagnostic>, String),
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
                Failure::Unwritable(diagnostics, summary) => {
                    for d in &diagnostics {
                        let _ = writeln!(err, "{d}");
                    }
                    writeln!(err, "error: {summary}")
                }
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
        Command::Check { inventory, format } => return check(&inventory, format, style),
        Command::Diff { old, new, format } => return diff(&old, &new, format, style),
        Command::Assess {
            inventory,
            system,
            link,
            window,
            level,
            format,
        } => {
            let window_hours = match window {
                None => None,
                Some(w) => Some(
                    inventory::parse_duration(&w).ok_or_else(|| {
                        Failure::Output(format!(
                            "invalid --window `{w}`: expected a duration such as 30m, 4h, 2d or 1h30m"
                        ))
                    })? as f64
                        / 3600.0,
                ),
            };
            let graph = load_graph(&inventory)?;
            let opts = analysis::assess::AssessOptions {
                change: Change {
                    systems: system,
                    links: link,
                },
                window_hours,
                levels: if level.is_empty() {
                    analysis::assess::LevelRule::defaults()
                } else {
                    level
                },
            };
            let a = analysis::assess::assess(&graph, &opts)?;
            match format {
                AssessFormat::Md => {
                    render::markdown::assessment(&graph, &a, &inventory.display().to_string())
                }
                AssessFormat::Json => to_json(&a),
            }
        }
        Command::Impact {
            inventory,
            fail,
            fail_link,
            fail_where,
            hours,
            format,
        } => {
            let graph = load_graph(&inventory)?;
            let fail = with_selected(&graph, fail, &fail_where)?;
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
            loads,
        } => {
            let mut inv = ripplemap::generate::generate(&ripplemap::generate::GenOptions {
                nodes,
                links,
                seed,
            });
            if loads {
                ripplemap::generate::add_loads(&mut inv, seed);
            }
            convert(&inv, to, &output)?
        }
        Command::Serve {
            inventory,
            bind,
            open,
            lang,
        } => {
            let opts = ripplemap::serve::Options::new(inventory, bind, open, lang);
            return match ripplemap::serve::run(opts) {
                Ok(()) => Ok(String::new().into()),
                Err(ripplemap::serve::ServeError::Load(e)) => Err(Failure::Load(e)),
                Err(e) => Err(Failure::Output(e.to_string())),
            };
        }
        cmd @ Command::Render { .. } => return render_diagram(cmd),
        Command::Convert {
            inventory,
            to,
            output,
        } => {
            let inv = inventory::load(&inventory)?;
            convert(&inv, to, &output)?
        }
        Command::Rank {
            inventory,
            hours,
            top,
            weights,
            format,
            quiet,
        } => {
            let graph = load_graph(&inventory)?;
            let opts = analysis::RankOptions {
                horizon_hours: hours,
                top,
                weights: weights.unwrap_or_default(),
                threads: None,
            };
            let r = analysis::rank(&graph, &opts, &Bar::new(quiet))?;
            match format {
                TableFormat::Table => render::analyses::rank(&r, style),
                TableFormat::Json => to_json(&r),
                TableFormat::Csv => render::analyses::rank_csv(&r),
            }
        }
        Command::Scenarios {
            inventory,
            sites,
            kind,
            agency,
            hours,
            top,
            format,
            quiet,
        } => {
            let sweep = match (sites, kind) {
                (true, _) => analysis::Sweep::Sites,
                (false, Some(k)) => analysis::Sweep::Kind(inventory::NodeKind::parse(&k).ok_or_else(
                    || {
                        Failure::Output(format!(
                            "invalid kind `{k}`: expected one of system, service, site, network, external"
                        ))
                    },
                )?),
                (false, None) => analysis::Sweep::Agencies(agency),
            };
            let graph = load_graph(&inventory)?;
            let opts = analysis::SweepOptions {
                sweep,
                horizon_hours: hours,
                top,
            };
            let s = analysis::sweep(&graph, &opts, &Bar::new(quiet))
                .map_err(|e| Failure::Output(e.to_string()))?;
            match format {
                TableFormat::Table => render::analyses::scenarios(&s, style),
                TableFormat::Json => to_json(&s),
                TableFormat::Csv => render::analyses::scenarios_csv(&s),
            }
        }
        Command::Cuts {
            inventory,
            target,
            max,
            limit,
            format,
            quiet,
        } => {
            let graph = load_graph(&inventory)?;
            let c = analysis::cuts(
                &graph,
                &analysis::CutOptions { target, max, limit },
                &Bar::new(quiet),
            )
            .map_err(|e| Failure::Output(e.to_string()))?;
            match format {
                OutputFormat::Table => render::analyses::cuts(&c, style),
                OutputFormat::Json => to_json(&c),
            }
        }
        Command::Recover {
            inventory,
            fail,
            fail_where,
            hours,
            format,
        } => {
            let graph = load_graph(&inventory)?;
            let fail = with_selected(&graph, fail, &fail_where)?;
            let plan = analysis::recover(
                &graph,
                &Scenario {
                    failed: fail,
                    failed_links: Vec::new(),
                    horizon_hours: hours,
                },
            )?;
            match format {
                OutputFormat::Table => render::analyses::recover(&plan, style),
                OutputFormat::Json => to_json(&plan),
            }
        }
        Command::Surge {
            inventory,
            at,
            fail,
            fail_link,
            fail_where,
            cascade,
            format,
        } => {
            let graph = load_graph(&inventory)?;
            let fail = with_selected(&graph, fail, &fail_where)?;
            let scenario = analysis::surge::SurgeScenario {
                at,
                failed: fail,
                failed_links: fail_link,
            };
            let s = analysis::surge::surge(&graph, &scenario)
                .map_err(|e| Failure::Output(e.to_string()))?;
            let imp = if cascade {
                Some(analysis::surge::cascade(&graph, &s)?)
            } else {
                None
            };
            let cascade = imp.as_ref().map(Option::as_ref);
            match format {
                OutputFormat::Table => render::surge::table(&s, cascade, style),
                OutputFormat::Json => render::surge::json(&s, cascade),
            }
        }
    };
    Ok(text.into())
}

/// `fail` plus the ids of the nodes matching `--fail-where` clauses.
fn with_selected(
    graph: &Graph,
    mut fail: Vec<String>,
    clauses: &[String],
) -> Result<Vec<String>, Failure> {
    if !clauses.is_empty() {
        let picked =
            analysis::select(graph, clauses).map_err(|e| Failure::Output(e.to_string()))?;
        fail.extend(picked);
    }
    Ok(fail)
}

/// A progress bar on stderr for the whole-inventory analyses: drawn only when stderr is a
/// terminal, not under `--quiet`, and only once the work has lasted a second (short work
/// stays silent).
struct Bar {
    bar: Option<indicatif::ProgressBar>,
    started: std::time::Instant,
    shown: std::sync::atomic::AtomicBool,
}

impl Bar {
    fn new(quiet: bool) -> Self {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::hidden(),
            );
            if let Ok(st) =
                indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            {
                bar.set_style(st.progress_chars("=> "));
            }
            bar
        });
        Bar {
            bar,
            started: std::time::Instant::now(),
            shown: std::sync::atomic::AtomicBool::new(false),
        }
    }
}

impl analysis::Progress for Bar {
    fn start(&self, len: u64, what: &str) {
        if let Some(b) = &self.bar {
            b.set_length(len);
            b.set_position(0);
            b.set_message(what.to_owned());
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
            if self.started.elapsed().as_secs_f64() > 1.0
                && !self.shown.swap(true, std::sync::atomic::Ordering::Relaxed)
            {
                b.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

/// The diff of two inventories; exit code 1 when NEW introduces an error-level finding.
fn diff(old: &Path, new: &Path, format: DiffFormat, style: Style) -> Result<Output, Failure> {
    let (a, b) = (load_graph(old)?, load_graph(new)?);
    let d = analysis::diff::diff(&a, &b);
    let (o, n) = (old.display().to_string(), new.display().to_string());
    let text = match format {
        DiffFormat::Table => render::diff::table(&d, &o, &n, style),
        DiffFormat::Json => render::diff::json(&d, &o, &n),
        DiffFormat::Md => render::diff::markdown(&d, &o, &n),
    };
    Ok(Output {
        text,
        code: u8::from(d.has_new_errors()),
    })
}

/// Validation, statistics and policy findings; exit code 1 when a finding is at error level.
/// `check --format json`: serialized straight from the report (a `serde_json::Value` of a
/// national inventory's findings would take gigabytes), keys in this order.
#[derive(serde::Serialize)]
struct CheckJson<'a> {
    valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stats: Option<&'a analysis::InventoryStats>,
    #[serde(skip_serializing_if = "Option::is_none")]
    policy: Option<&'a analysis::policy::PolicyReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Diagnostic]>,
}

fn check(path: &Path, format: CheckFormat, style: Style) -> Result<Output, Failure> {
    match inventory::load(path) {
        Ok(inv) => {
            let st = ripplemap::analysis::stats(&inv);
            let uses_load = analysis::surge::uses_load(&inv);
            let graph = Graph::new(inv);
            // Loads must be defined once the inventory speaks of them (SPEC section 6).
            if uses_load && let Some(l) = analysis::surge::load_loop(&graph) {
                let d = analysis::surge::loop_diagnostic(&l);
                match format {
                    CheckFormat::Json => emit(&to_json(&CheckJson {
                        valid: false,
                        stats: None,
                        policy: None,
                        errors: Some(std::slice::from_ref(&d)),
                    })),
                    CheckFormat::Sarif => {
                        emit(&render::sarif::sarif_invalid(std::slice::from_ref(&d)))
                    }
                    CheckFormat::Table => {}
                }
                return Err(Failure::Unwritable(
                    vec![d],
                    "the links that carry load form a loop: loads are not defined".to_owned(),
                ));
            }
            let report = analysis::policy::check(&graph);
            // The report owns its text: the graph's memory goes back before rendering,
            // which on a national inventory with many findings needs as much again.
            drop(graph);
            let text = match format {
                CheckFormat::Table => {
                    render::table::stats(&path.display().to_string(), &st, style)
                        + "\n"
                        + &render::policy::findings(&report, style)
                }
                CheckFormat::Json => to_json(&CheckJson {
                    valid: true,
                    stats: Some(&st),
                    policy: Some(&report),
                    errors: None,
                }),
                CheckFormat::Sarif => render::sarif::sarif(&report),
            };
            Ok(Output {
                text,
                code: u8::from(report.has_errors()),
            })
        }
        Err(e) => {
            // Machine formats still get a document on stdout, with the problems in it.
            match format {
                CheckFormat::Json => emit(&to_json(&CheckJson {
                    valid: false,
                    stats: None,
                    policy: None,
                    errors: Some(&e.diagnostics),
                })),
                CheckFormat::Sarif => emit(&render::sarif::sarif_invalid(&e.diagnostics)),
                CheckFormat::Table => {}
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
            return match inventory::write_csv_dir(inv, output) {
                Ok(()) => Ok(String::new()),
                Err(WriteError::Lossy(diagnostics)) => {
                    let n = diagnostics.len();
                    Err(Failure::Unwritable(
                        diagnostics,
                        format!(
                            "{n} value{} would change in CSV: nothing was written to {} \
                             (TOML and JSON keep them)",
                            if n == 1 { "" } else { "s" },
                            output.display()
                        ),
                    ))
                }
                Err(WriteError::Io(e)) => Err(fail(&e)),
            };
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

/// `render`: builds the view in the library, then writes it in the asked format.
fn render_diagram(command: Command) -> Result<Output, Failure> {
    use ripplemap::render::svg::{INSTALL_HINT, Image, ImageError};
    use ripplemap::view::{Around, Cluster, View, ViewOptions};

    let Command::Render {
        inventory,
        fail,
        fail_link,
        hours,
        change_system,
        change_link,
        surge,
        around,
        depth,
        cluster,
        full,
        format,
        output,
    } = command
    else {
        return Err(Failure::Output("render called with another command".into()));
    };
    let format = match (format, &output) {
        (Some(f), _) => f,
        (None, None) => DiagramFormat::Dot,
        (None, Some(path)) => diagram_format_of(path).ok_or_else(|| {
            Failure::Output(format!(
                "cannot tell the format from `{}`: give --format dot|svg|png|mermaid|html",
                path.display()
            ))
        })?,
    };
    let to_stdout = output.as_deref().is_none_or(|p| p == Path::new("-"));
    if format == DiagramFormat::Png && to_stdout {
        return Err(Failure::Output(
            "--format png writes a binary image: give a file with -o PATH".into(),
        ));
    }
    if hours.is_some() && fail.is_empty() && fail_link.is_empty() {
        return Err(Failure::Output(
            "--hours needs a failure scenario (--fail ID or --fail-link ID)".into(),
        ));
    }
    let graph = load_graph(&inventory)?;
    let opts = ViewOptions {
        cluster: match cluster {
            ClusterBy::Site => Cluster::Site,
            ClusterBy::Agency => Cluster::Agency,
            ClusterBy::None => Cluster::None,
        },
        around: around
            .map(|id| Around::new(&graph, &id, depth))
            .transpose()?,
        full,
    };
    let view = if !surge.is_empty() {
        let s = analysis::surge::surge(
            &graph,
            &analysis::surge::SurgeScenario {
                at: surge,
                failed: fail,
                failed_links: fail_link,
            },
        )
        .map_err(|e| Failure::Output(e.to_string()))?;
        View::for_surge(&graph, &s, &opts)
    } else if !fail.is_empty() || !fail_link.is_empty() {
        let imp = graph.impact(&Scenario {
            failed: fail,
            failed_links: fail_link,
            horizon_hours: hours,
        })?;
        View::for_impact(&graph, &imp, &opts)
    } else if !change_system.is_empty() || !change_link.is_empty() {
        let ch = graph.change(&Change {
            systems: change_system,
            links: change_link,
        })?;
        View::for_change(&graph, &ch, &opts)
    } else {
        View::map(&graph, &opts)
    };
    view.check_drawable()
        .map_err(|e| Failure::Output(e.to_string()))?;

    let write = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes)
            .map_err(|e| Failure::Output(format!("cannot write {}: {e}", path.display())))
    };
    let deliver = |bytes: Vec<u8>| -> Result<Output, Failure> {
        match &output {
            Some(path) if !to_stdout => {
                write(path, &bytes)?;
                Ok(String::new().into())
            }
            _ => Ok(String::from_utf8_lossy(&bytes).into_owned().into()),
        }
    };
    // Without Graphviz the DOT is still written, next to the asked file or on stdout.
    let missing = |html: Option<String>| -> Result<Output, Failure> {
        let dot = render::dot::dot(&view);
        let mut text = String::new();
        match &output {
            Some(path) if !to_stdout => {
                let dot_path = path.with_extension("dot");
                if let Some(html) = html {
                    write(path, html.as_bytes())?;
                }
                write(&dot_path, dot.as_bytes())?;
                eprintln!(
                    "warning: Graphviz is not installed, so no diagram was laid out; \
                     install it with `{INSTALL_HINT}`. The DOT was written to {}",
                    dot_path.display()
                );
            }
            _ => {
                text = dot;
                eprintln!(
                    "warning: Graphviz is not installed, so no diagram was laid out; \
                     install it with `{INSTALL_HINT}`. The DOT is printed instead"
                );
            }
        }
        Ok(Output { text, code: 3 })
    };
    let failed = |e: ImageError| Failure::Output(e.to_string());
    match format {
        DiagramFormat::Dot => deliver(render::dot::dot(&view).into_bytes()),
        DiagramFormat::Mermaid => deliver(render::mermaid::mermaid(&view).into_bytes()),
        DiagramFormat::Svg | DiagramFormat::Png => {
            let image = if format == DiagramFormat::Svg {
                Image::Svg
            } else {
                Image::Png
            };
            match render::svg::image(&view, image) {
                Ok(bytes) => deliver(bytes),
                Err(ImageError::Missing) => missing(None),
                Err(e) => Err(failed(e)),
            }
        }
        DiagramFormat::Html => match render::svg::svg(&view) {
            Ok(svg) => deliver(render::html::html(&view, Some(&svg)).into_bytes()),
            Err(ImageError::Missing) => missing(Some(render::html::html(&view, None))),
            Err(e) => Err(failed(e)),
        },
    }
}

/// The diagram format a file name asks for, by its extension.
fn diagram_format_of(path: &Path) -> Option<DiagramFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "dot" | "gv" => DiagramFormat::Dot,
        "svg" => DiagramFormat::Svg,
        "png" => DiagramFormat::Png,
        "mmd" | "mermaid" => DiagramFormat::Mermaid,
        "html" | "htm" => DiagramFormat::Html,
        _ => return None,
    })
}
