//! `cache`: where the compiled index cache is, and emptying it.

use super::Io;
use crate::error::Error;
use crate::exit_code;

/// What `cache` is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheAction {
    /// Print the cache directory.
    Dir,
    /// Remove every index.
    Clear,
}

/// What `cache` is asked, on the cache of [`Io::cache`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheOptions {
    /// What to do.
    pub action: CacheAction,
}

/// Prints the cache directory, or removes every index in it (saying how many on standard
/// error). Without a cache directory (`--no-cache`, or no home directory) `dir` prints
/// nothing and `clear` removes nothing.
pub fn cache(opts: &CacheOptions, io: &mut Io) -> Result<u8, Error> {
    match opts.action {
        CacheAction::Dir => {
            if let Some(dir) = io.cache.dir() {
                writeln!(io.out, "{}", dir.display()).map_err(Error::Output)?;
            }
        }
        CacheAction::Clear => {
            let removed = io.cache.clear().map_err(|source| Error::Write {
                path: io.cache.dir().map(ToOwned::to_owned).unwrap_or_default(),
                source,
            })?;
            if let Some(dir) = io.cache.dir() {
                writeln!(
                    io.err,
                    "removed {removed} index{} from {}",
                    if removed == 1 { "" } else { "es" },
                    dir.display()
                )
                .map_err(Error::Output)?;
            }
        }
    }
    Ok(exit_code::OK)
}
