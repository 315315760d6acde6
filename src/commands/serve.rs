//! `serve`: the interactive explorer, until Ctrl-C.

use crate::error::Error;
use crate::exit_code;
use crate::serve::{self, ServeError};

/// Serves the explorer of `opts.inventory`; returns when the server stops.
pub fn serve(opts: serve::Options) -> Result<u8, Error> {
    if opts.inventory == std::path::Path::new("-") {
        return Err(Error::Usage(
            "serve reloads its inventory when its files change, so it cannot read standard \
             input: give a file or a CSV directory"
                .into(),
        ));
    }
    match serve::run(opts) {
        Ok(()) => Ok(exit_code::OK),
        Err(ServeError::Load(e)) => Err(Error::Load(e)),
        Err(ServeError::Io(e)) => Err(Error::Serve(e)),
    }
}
