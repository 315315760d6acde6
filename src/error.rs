//! Why a command failed: one [`Error`] type that carries its context (the diagnostics of
//! an inventory, the id that is unknown, the file that cannot be written), knows its exit
//! code, and reports itself on standard error.

use std::io::{self, Write};
use std::path::PathBuf;

use crate::analysis::surge::SurgeError;
use crate::analysis::{CutError, SelectError, SweepError};
use crate::engine::{ScenarioError, shown_hours as shown};
use crate::exit_code;
use crate::inventory::{Diagnostic, LoadError};
use crate::lang::{Lang, num, text};
use crate::render::style::escape::visible;
use crate::render::svg::ImageError;
use crate::view::ViewError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The inventory does not load; every problem found.
    #[error("{} error{}: the inventory was not loaded", .0.diagnostics.len(), if .0.diagnostics.len() == 1 { "" } else { "s" })]
    Load(#[from] LoadError),
    /// A scenario that cannot be evaluated: an unknown id, no seed, a bad horizon.
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// A `--fail-where` selection that is malformed or matches nothing.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// A scenario sweep that cannot run.
    #[error(transparent)]
    Sweep(#[from] SweepError),
    /// A cut search that cannot run.
    #[error(transparent)]
    Cut(#[from] CutError),
    /// A surge that cannot be evaluated: an unknown id, a node surged twice, a load loop.
    #[error(transparent)]
    Surge(#[from] SurgeError),
    /// A diagram too large to draw.
    #[error(transparent)]
    View(#[from] ViewError),
    /// Graphviz failed or was asked too much.
    #[error(transparent)]
    Image(#[from] ImageError),
    /// Arguments that do not go together, found after parsing.
    #[error("{0}")]
    Usage(String),
    /// Values that the asked inventory form would change: nothing was written.
    #[error("{summary}")]
    Unwritable {
        /// One diagnostic per value, at its line.
        diagnostics: Vec<Diagnostic>,
        /// What was (not) done about it.
        summary: String,
    },
    /// An inventory that loads but that the command refuses: the problems at their
    /// lines, and why (`check` of an inventory whose load-carrying links form a loop).
    #[error("{summary}")]
    Refused {
        /// One diagnostic per problem.
        diagnostics: Vec<Diagnostic>,
        /// Why the inventory is refused.
        summary: String,
    },
    /// `-o` names an input (or, for a directory replaced as a whole, holds one): writing
    /// would destroy what is being read.
    #[error(
        "cannot write {}: {} the input {}; give another -o path",
        output.display(),
        if *inside { "it holds" } else { "it is" },
        input.display()
    )]
    OutputIsInput {
        /// The output asked for.
        output: PathBuf,
        /// The input it would destroy.
        input: PathBuf,
        /// Whether the input is inside the output directory rather than the output itself.
        inside: bool,
    },
    /// The explorer cannot listen or serve.
    #[error("{0}")]
    Serve(String),
    /// Standard output cannot be written.
    #[error("cannot write the output: {0}")]
    Output(io::Error),
    /// An output file that cannot be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file (or CSV directory).
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
}

impl Error {
    /// The exit code of the process that met this error (see [`exit_code`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            _ if self.is_closed_pipe() => exit_code::OK,
            Error::Output(_) | Error::Write { .. } => exit_code::OUTPUT_FAILED,
            _ => exit_code::BAD_INPUT,
        }
    }

    /// Whether the output was a pipe that its reader closed (`| head`): the end of the
    /// command, not a failure.
    pub fn is_closed_pipe(&self) -> bool {
        match self {
            Error::Output(e) | Error::Write { source: e, .. } => {
                e.kind() == io::ErrorKind::BrokenPipe
            }
            _ => false,
        }
    }

    /// Writes the error as the user reads it on standard error: the diagnostics of an
    /// inventory one by one and then their count, other errors as `error: …`. Control and
    /// bidirectional characters from the inventory or the arguments are shown escaped.
    pub fn report(&self, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
        let line = |w: &mut dyn Write, text: String| writeln!(w, "{}", visible(&text, true));
        let error = |message: String| lang.msg_with("error-line", &[("message", text(message))]);
        match self {
            Error::Load(e) => {
                for d in &e.diagnostics {
                    line(w, d.render(lang))?;
                }
                line(
                    w,
                    lang.msg_with("error-not-loaded", &[("n", num(e.diagnostics.len()))]),
                )
            }
            Error::Unwritable { diagnostics, .. } | Error::Refused { diagnostics, .. } => {
                for d in diagnostics {
                    line(w, d.render(lang))?;
                }
                line(w, error(self.to_string()))
            }
            // The reader closed the pipe (`| head`): it asked for no more, nothing failed.
            _ if self.is_closed_pipe() => Ok(()),
            _ => line(w, error(self.message(lang))),
        }
    }

    /// The message of an error other than a load error, in `lang` for those that have a
    /// catalog message (unknown ids, ambiguous names, bad selections and surges), else in
    /// English.
    fn message(&self, lang: Lang) -> String {
        let unknown = |id: &str, what: &str, suggestions: &[String]| {
            let quoted: Vec<String> = suggestions.iter().map(|s| format!("`{s}`")).collect();
            let head = lang.msg_with(what, &[("id", text(id))]);
            if quoted.is_empty() {
                head
            } else {
                let hint = match quoted.as_slice() {
                    [init @ .., last] if !init.is_empty() => lang.msg_with(
                        "error-did-you-mean-many",
                        &[
                            ("init", text(init.join(", "))),
                            ("last", text(last.as_str())),
                        ],
                    ),
                    _ => lang.msg_with("error-did-you-mean", &[("id", text(quoted.join("")))]),
                };
                format!("{head}; {hint}")
            }
        };
        if let Some(e) = self.scenario() {
            return match e {
                ScenarioError::UnknownNode { id, suggestions } => {
                    unknown(id, "error-unknown-node", suggestions)
                }
                ScenarioError::UnknownLink { id, suggestions } => {
                    unknown(id, "error-unknown-link", suggestions)
                }
                ScenarioError::AmbiguousName { name, candidates } => {
                    let quoted: Vec<String> = candidates.iter().map(|s| format!("`{s}`")).collect();
                    let list = match quoted.as_slice() {
                        [init @ .., last] if !init.is_empty() => lang.msg_with(
                            "error-list-and",
                            &[
                                ("init", text(init.join(", "))),
                                ("last", text(last.as_str())),
                            ],
                        ),
                        _ => quoted.concat(),
                    };
                    lang.msg_with(
                        "error-ambiguous-name",
                        &[
                            ("name", text(name.as_str())),
                            ("n", text(candidates.len().to_string())),
                            ("list", text(list)),
                        ],
                    )
                }
                ScenarioError::BadHorizon(h) => {
                    lang.msg_with("error-bad-horizon", &[("hours", text(shown(*h)))])
                }
                ScenarioError::Empty => lang.msg("error-empty"),
            };
        }
        match self {
            Error::Surge(SurgeError::NoSurge) => lang.msg("error-no-surge"),
            Error::Surge(SurgeError::Twice(id)) => {
                lang.msg_with("error-surged-twice", &[("id", text(id.as_str()))])
            }
            Error::Cut(CutError::ZeroMax) => lang.msg("error-zero-max"),
            Error::Select(SelectError::Syntax(clause)) => {
                lang.msg_with("error-select-syntax", &[("clause", text(clause.as_str()))])
            }
            Error::Select(SelectError::Kind(kind)) => {
                lang.msg_with("error-select-kind", &[("kind", text(kind.as_str()))])
            }
            Error::Select(SelectError::NoMatch(clause)) => lang.msg_with(
                "error-select-no-match",
                &[("clause", text(clause.as_str()))],
            ),
            _ => self.to_string(),
        }
    }

    /// The scenario error inside this error, whichever command met it (`impact`,
    /// `surge`, `cuts`, `scenarios`).
    fn scenario(&self) -> Option<&ScenarioError> {
        match self {
            Error::Scenario(e)
            | Error::Surge(SurgeError::Scenario(e))
            | Error::Cut(CutError::Scenario(e))
            | Error::Sweep(SweepError::Scenario(e)) => Some(e),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every error with a catalog message reads in English exactly as its `Display`
    /// (what JSON consumers and older scripts saw), and differently in Korean.
    #[test]
    fn catalog_messages_are_the_english_text() {
        let unknown = || ScenarioError::UnknownNode {
            id: "a".into(),
            suggestions: vec!["ab".into(), "ac".into(), "ad".into()],
        };
        let errors = [
            Error::Scenario(unknown()),
            Error::Surge(SurgeError::Scenario(unknown())),
            Error::Cut(CutError::Scenario(unknown())),
            Error::Surge(SurgeError::Scenario(ScenarioError::UnknownLink {
                id: "x".into(),
                suggestions: vec!["xy".into()],
            })),
            Error::Scenario(ScenarioError::UnknownLink {
                id: "x".into(),
                suggestions: Vec::new(),
            }),
            Error::Scenario(ScenarioError::AmbiguousName {
                name: "민원".into(),
                candidates: vec!["a (A)".into(), "b (B)".into(), "c".into()],
            }),
            Error::Scenario(ScenarioError::AmbiguousName {
                name: "민원".into(),
                candidates: vec!["a (A)".into(), "b (B)".into()],
            }),
            Error::Sweep(SweepError::Scenario(ScenarioError::BadHorizon(-1.5))),
            Error::Scenario(ScenarioError::BadHorizon(1e300)),
            Error::Scenario(ScenarioError::Empty),
            Error::Surge(SurgeError::NoSurge),
            Error::Surge(SurgeError::Twice("gpki".into())),
            Error::Cut(CutError::ZeroMax),
            Error::Select(SelectError::Syntax("grade=9".into())),
            Error::Select(SelectError::Kind("db".into())),
            Error::Select(SelectError::NoMatch("agency=x".into())),
        ];
        for e in &errors {
            assert_eq!(e.message(Lang::En), e.to_string());
            let ko = e.message(Lang::Ko);
            assert_ne!(ko, e.to_string());
            assert!(
                !ko.contains("did you mean") && !ko.contains("expected"),
                "{ko}"
            );
        }
    }
}
