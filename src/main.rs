//! The ripplemap binary: parse the arguments, run the command, report an error, exit with
//! the code the command or its error chose (see `ripplemap::exit_code`).

mod cli;
#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
mod huge;

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;

/// On Linux, large blocks in huge pages (see `huge`); elsewhere the system's allocator.
#[cfg(target_os = "linux")]
#[global_allocator]
static ALLOC: huge::Huge = huge::Huge;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let lang = cli.lang();
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut err = io::stderr();
    let mut stdin = io::stdin().lock();
    let result = cli.run(&mut stdin, &mut out, &mut err).and_then(|code| {
        out.flush()
            .map(|()| code)
            .map_err(ripplemap::error::Error::Output)
    });
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            // What was written before the error (the document of `check --format json`)
            // comes first.
            let _ = out.flush();
            let _ = e.report(lang, &mut err);
            ExitCode::from(e.exit_code())
        }
    }
}
