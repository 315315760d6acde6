//! Where documents go: standard output, or a file named with `-o`.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::Error;

/// A document's destination.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Target<'p> {
    /// Standard output.
    Stdout,
    /// A file.
    File(&'p Path),
}

impl<'p> Target<'p> {
    /// Standard output for `None` and `-`, else the file.
    pub fn of(path: Option<&'p Path>) -> Self {
        match path {
            Some(p) if p != Path::new("-") => Target::File(p),
            _ => Target::Stdout,
        }
    }

    /// Writes a document here: to `out` for standard output, else to the file.
    pub fn write(
        self,
        out: &mut dyn Write,
        write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> Result<(), Error> {
        match self {
            Target::Stdout => write(out).map_err(Error::Output),
            Target::File(path) => to_file(path, write),
        }
    }
}

/// Writes a document to a file, created or truncated.
pub(crate) fn to_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let failed = |source| Error::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut w = BufWriter::new(File::create(path).map_err(failed)?);
    write(&mut w).and_then(|()| w.flush()).map_err(failed)
}

/// The error of a file that cannot be written.
pub(crate) fn write_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: PathBuf::from(path),
        source,
    }
}
