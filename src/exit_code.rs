//! The exit codes of the `ripplemap` command, a contract with scripts and CI jobs. Each is
//! decided in one place (`Error::exit_code`, or a command's own result).

/// Success: the command did what was asked and found nothing at error level.
pub const OK: u8 = 0;

/// Findings flagged: `check` found a policy finding at error level, or `diff` found one
/// that the new inventory introduces. The output was written in full.
pub const FINDINGS: u8 = 1;

/// Bad input or arguments: the inventory does not load, an id is unknown, arguments do not
/// go together, or a value cannot be written in the asked form. Nothing was written (except
/// `check --format json|sarif`, which still writes its document). Usage errors from the
/// argument parser have this code too.
pub const BAD_INPUT: u8 = 2;

/// `render` wrote the diagram as Graphviz DOT, because Graphviz is not installed to lay it
/// out as SVG, PNG or HTML.
pub const DOT_ONLY: u8 = 3;

/// The output could not be written: standard output (a full disk, a closed device) or
/// the `-o` file (no such directory, no permission). A closed pipe (`| head`) is not an
/// error: the command ends quietly with 0, as the reader asked for no more. 74 is
/// `EX_IOERR` of sysexits.h.
pub const OUTPUT_FAILED: u8 = 74;

/// The table the top-level `--help` shows.
pub const HELP: &str = "Exit codes:
  0  success
  1  check or diff flagged a policy finding at error level
  2  bad input or arguments (the inventory does not load, an unknown id, ...)
  3  render wrote Graphviz DOT instead of SVG, PNG or HTML: Graphviz is not installed
  74 the output could not be written (a closed pipe is not an error: 0)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_code_once() {
        let codes = [OK, FINDINGS, BAD_INPUT, DOT_ONLY, OUTPUT_FAILED];
        for c in codes {
            let lines = HELP
                .lines()
                .filter(|l| l.split_whitespace().next() == Some(&c.to_string()))
                .count();
            assert_eq!(lines, 1, "exit code {c} in HELP");
        }
        let mut sorted = codes.to_vec();
        sorted.dedup();
        assert_eq!(sorted.len(), codes.len(), "codes are distinct");
    }
}
