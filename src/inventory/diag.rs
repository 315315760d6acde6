//! Diagnostics: why an inventory did not load, as data (file, line, field, expected).

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::model::Origin;
use crate::lang::Lang;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// The inventory does not load.
    #[default]
    Error,
    /// The inventory loads; something was assumed (an encoding, for example).
    Warning,
}

impl Level {
    fn is_error(&self) -> bool {
        *self == Level::Error
    }
}

/// Where in a workbook a problem is: the sheet, and the column when the problem has one
/// (the row is the diagnostic's `line`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetCell {
    /// The sheet's name, as the workbook spells it.
    pub sheet: String,
    /// The sheet's position in the workbook: diagnostics are listed in sheet order.
    #[serde(skip)]
    pub index: u32,
    /// The column's letters (`C`), when the problem is in one cell.
    pub column: Option<String>,
}

/// One problem found in an inventory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error (the default) or warning; written out only for a warning.
    #[serde(skip_serializing_if = "Level::is_error")]
    pub level: Level,
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line (in a workbook: row), when the problem has one.
    pub line: Option<usize>,
    /// The sheet and column, for a problem in a workbook (XLSX); `None` for text forms,
    /// whose location is `file:line`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cell: Option<SheetCell>,
    /// What the problem is about, for example "link `gov24->gpki`".
    pub subject: Option<String>,
    /// The field at fault, for example `provider`.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What was expected instead.
    pub expected: Option<String>,
    /// A hint, for example "did you mean `gpki`?".
    pub help: Option<String>,
    /// The catalog messages of the message, expectation and hint, when they have one:
    /// how the diagnostic reads in every language (the fields above are the English).
    #[serde(skip)]
    pub keys: Keys,
}

/// A catalog message with its variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyed {
    /// The message id in `i18n/*.ftl`.
    pub id: &'static str,
    /// The variables, as text.
    pub args: Vec<(&'static str, String)>,
    /// The variables that are catalog messages themselves ("at once", "`a` or `b`"),
    /// given in the same language as the message.
    pub parts: Vec<(&'static str, Keyed)>,
}

impl Keyed {
    /// The message `id` with its text variables.
    pub fn new(id: &'static str, args: &[(&'static str, &str)]) -> Self {
        Keyed {
            id,
            args: args.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            parts: Vec::new(),
        }
    }

    /// Adds the variable `name` that is the catalog message `part`.
    pub fn part(mut self, name: &'static str, part: Keyed) -> Self {
        self.parts.push((name, part));
        self
    }

    /// The message in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let mut args: Vec<(&str, crate::lang::Arg<'_>)> = self
            .args
            .iter()
            .map(|(k, v)| (*k, crate::lang::text(v.as_str())))
            .collect();
        for (k, part) in &self.parts {
            args.push((*k, crate::lang::text(part.text(lang))));
        }
        lang.msg_with(self.id, &args)
    }
}

/// The catalog messages of a diagnostic's parts (see [`Diagnostic::keys`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keys {
    /// Of the message.
    pub message: Option<Keyed>,
    /// Of what was expected.
    pub expected: Option<Keyed>,
    /// Of the hint.
    pub help: Option<Keyed>,
}

impl Diagnostic {
    /// A problem in `file` at `line` (0 = no line).
    pub fn new(file: &Path, line: usize, message: impl Into<String>) -> Self {
        Diagnostic {
            level: Level::Error,
            file: file.to_path_buf(),
            line: (line > 0).then_some(line),
            cell: None,
            subject: None,
            field: None,
            message: message.into(),
            expected: None,
            help: None,
            keys: Keys::default(),
        }
    }

    /// The message's catalog id and variables (the English text stays in `message`).
    pub fn keyed(mut self, id: &'static str, args: &[(&'static str, &str)]) -> Self {
        self.keys.message = Some(Keyed::new(id, args));
        self
    }

    /// Adds a hint that is the catalog message `id` (the English text given by `help`).
    pub fn help_keyed(mut self, id: &'static str, args: &[(&'static str, &str)]) -> Self {
        self.keys.help = Some(Keyed::new(id, args));
        self
    }

    /// Says what was expected, as the catalog message `id`.
    pub fn expected_keyed(mut self, id: &'static str) -> Self {
        self.expected = Some(Lang::En.msg(id));
        self.keys.expected = Some(Keyed::new(id, &[]));
        self
    }

    /// A problem at `line` of the item written at `origin`: in its file, and in its sheet
    /// for a workbook.
    pub fn at(origin: &Origin, line: usize, message: impl Into<String>) -> Self {
        let mut d = Diagnostic::new(&origin.file, line, message);
        d.cell = origin.sheet.as_ref().map(|s| SheetCell {
            sheet: s.name.to_string(),
            index: s.index,
            column: None,
        });
        d
    }

    /// Makes this a warning.
    pub fn warning(mut self) -> Self {
        self.level = Level::Warning;
        self
    }

    /// Names the item the problem is about.
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Names the field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    /// Says what was expected.
    pub fn expected(mut self, expected: impl Into<String>) -> Self {
        self.expected = Some(expected.into());
        self
    }

    /// Adds a hint.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a hint when there is one.
    pub fn maybe_help(self, help: Option<String>) -> Self {
        match help {
            Some(h) => self.help(h),
            None => self,
        }
    }

    /// Adds the hint of [`did_you_mean`], when there is one, in every language.
    pub fn did_you_mean<'a>(
        mut self,
        wanted: &str,
        ids: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        if let Some((text, keyed)) = suggestion(wanted, ids) {
            self.help = Some(text);
            self.keys.help = Some(keyed);
        }
        self
    }

    /// The diagnostic as the user reads it, in `lang`: see the [`fmt::Display`] form.
    pub fn render(&self, lang: Lang) -> String {
        let part = |key: &Option<Keyed>, english: &str| {
            key.as_ref()
                .map_or_else(|| english.to_owned(), |k| k.text(lang))
        };
        let message = part(&self.keys.message, &self.message);
        let described = match (&self.subject, &self.field) {
            (Some(s), Some(field)) => lang.msg_with(
                "diag-subject-field",
                &[
                    ("message", crate::lang::text(message)),
                    ("subject", crate::lang::text(s.as_str())),
                    ("field", crate::lang::text(field.as_str())),
                ],
            ),
            (Some(s), None) => format!("{message} ({s})"),
            (None, Some(field)) => lang.msg_with(
                "diag-field",
                &[
                    ("message", crate::lang::text(message)),
                    ("field", crate::lang::text(field.as_str())),
                ],
            ),
            (None, None) => message,
        };
        let level = lang.msg(match self.level {
            Level::Error => "kw-error",
            Level::Warning => "kw-warning",
        });
        let mut out = format!("{}: {level}: {described}", self.location());
        if let Some(e) = &self.expected {
            out.push_str("\n  ");
            out.push_str(&lang.msg_with(
                "diag-expected",
                &[("what", crate::lang::text(part(&self.keys.expected, e)))],
            ));
        }
        if let Some(h) = &self.help {
            out.push_str("\n  ");
            out.push_str(&lang.msg_with(
                "diag-help",
                &[("what", crate::lang::text(part(&self.keys.help, h)))],
            ));
        }
        out
    }

    /// The message with what it is about: `message (subject, field `name`)`.
    pub fn described(&self) -> String {
        match (&self.subject, &self.field) {
            (Some(s), Some(field)) => format!("{} ({s}, field `{field}`)", self.message),
            (Some(s), None) => format!("{} ({s})", self.message),
            (None, Some(field)) => format!("{} (field `{field}`)", self.message),
            (None, None) => self.message.clone(),
        }
    }

    /// `file:line` (or just the file); in a workbook `file: sheet!C12` (a cell),
    /// `file: sheet!12:12` (a row) or `file: sheet`.
    pub fn location(&self) -> String {
        match (&self.cell, self.line) {
            (Some(c), Some(row)) => match &c.column {
                Some(col) => format!("{}: {}!{col}{row}", self.file.display(), c.sheet),
                None => format!("{}: {}!{row}:{row}", self.file.display(), c.sheet),
            },
            (Some(c), None) => format!("{}: {}", self.file.display(), c.sheet),
            (None, Some(line)) => format!("{}:{line}", self.file.display()),
            (None, None) => self.file.display().to_string(),
        }
    }

    /// The order diagnostics are listed in: by file, sheet and line.
    pub(crate) fn order(a: &Diagnostic, b: &Diagnostic) -> std::cmp::Ordering {
        let sheet = |d: &Diagnostic| d.cell.as_ref().map(|c| c.index);
        a.file
            .cmp(&b.file)
            .then(sheet(a).cmp(&sheet(b)))
            .then(a.line.cmp(&b.line))
    }
}

impl fmt::Display for Diagnostic {
    /// Renders as
    /// ```text
    /// inv.toml:12: error: unknown node id `gpkii` (link `saeol->gpkii`, field `provider`)
    ///   expected: the id of a node declared in the inventory
    ///   help: did you mean `gpki`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.level {
            Level::Error => "error",
            Level::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.location(), self.described())?;
        if let Some(e) = &self.expected {
            write!(f, "\n  expected: {e}")?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  help: {h}")?;
        }
        Ok(())
    }
}

/// An inventory that did not load, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) in the inventory", diagnostics.len())]
pub struct LoadError {
    /// Every problem, in file and line order.
    pub diagnostics: Vec<Diagnostic>,
}

impl LoadError {
    /// One diagnostic as an error.
    pub fn one(d: Diagnostic) -> Self {
        LoadError {
            diagnostics: vec![d],
        }
    }
}

/// Shortens a user value for echoing it in a message: very long fields must not flood the
/// terminal, and control characters must not corrupt it.
pub fn echo(value: &str) -> String {
    const MAX: usize = 60;
    let mut out: String = value
        .chars()
        .take(MAX)
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect();
    let total = value.chars().count();
    if total > MAX {
        out.push_str(&format!("… ({total} characters)"));
    }
    out
}

/// The closest ids to `wanted`, best first, for "did you mean" hints.
pub fn closest<'a>(
    wanted: &str,
    ids: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<&'a str> {
    let wanted_lower = wanted.to_lowercase();
    let mut scored: Vec<(f64, &str)> = ids
        .into_iter()
        .filter_map(|id| {
            let lower = id.to_lowercase();
            let score = strsim::jaro_winkler(&wanted_lower, &lower);
            // Substring matches ("gov" for "gov24") are good hints even when short.
            let contains = !wanted_lower.is_empty()
                && (lower.contains(&wanted_lower) || wanted_lower.contains(&lower));
            let score = if contains { score.max(0.85) } else { score };
            (score >= 0.75).then_some((score, id))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(max).map(|(_, id)| id).collect()
}

/// "did you mean `a`, `b` or `c`?" for the closest ids, if any are close.
pub fn did_you_mean<'a>(wanted: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<String> {
    suggestion(wanted, ids).map(|(text, _)| text)
}

/// The hint of [`did_you_mean`], and as a catalog message.
fn suggestion<'a>(wanted: &str, ids: impl IntoIterator<Item = &'a str>) -> Option<(String, Keyed)> {
    let near = closest(wanted, ids, 3);
    let quoted: Vec<String> = near.iter().map(|id| format!("`{id}`")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some((
            format!("did you mean {one}?"),
            Keyed::new("error-did-you-mean", &[("id", one)]),
        )),
        [init @ .., last] => Some((
            format!("did you mean {} or {last}?", init.join(", ")),
            Keyed::new(
                "error-did-you-mean-many",
                &[("init", &init.join(", ")), ("last", last)],
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_best_first() {
        let ids = ["gpki", "gov24", "gov-net", "hometax"];
        assert_eq!(closest("gpk", ids, 3).first(), Some(&"gpki"));
        assert_eq!(
            did_you_mean("gpkii", ids).as_deref(),
            Some("did you mean `gpki`?")
        );
        assert_eq!(did_you_mean("zzzzzz", ids), None);
    }

    #[test]
    fn echo_truncates_and_escapes() {
        assert_eq!(echo("a\nb"), "a\\nb");
        let long = "x".repeat(1000);
        assert!(echo(&long).ends_with("(1000 characters)"));
        assert!(echo(&long).chars().count() < 100);
    }

    #[test]
    fn renders_location_subject_field() {
        let d = Diagnostic::new(Path::new("a.toml"), 3, "bad grade")
            .subject("node `x`")
            .field("grade")
            .expected("an integer 1..4");
        assert_eq!(
            d.to_string(),
            "a.toml:3: error: bad grade (node `x`, field `grade`)\n  expected: an integer 1..4"
        );
    }
}
