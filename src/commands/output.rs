//! Where documents go: standard output, or the `-o` file or CSV directory, written so that
//! a failed run never leaves a half-written file behind.
//!
//! A regular file is written to a temporary file beside it, then renamed into place: a
//! full disk, an error midway or a killed process leaves the old file (or nothing), never
//! a truncated one. A CSV directory is written whole into a temporary directory beside
//! it, which then takes the old directory's place (in one step on Linux). A target that is
//! not a regular file (`/dev/stdout`, a FIFO, a device) is written directly: there is
//! nothing to replace. And `-o` may not name an input: it is refused before anything is
//! read or written.

use std::fs;
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

/// The error of an output that cannot be written.
pub(crate) fn write_error(path: &Path) -> impl Fn(io::Error) -> Error + '_ {
    move |source| Error::Write {
        path: PathBuf::from(path),
        source,
    }
}

/// Writes a document to `path`: atomically when it is (or will be) a regular file,
/// directly when it is a device or a FIFO.
pub(crate) fn to_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let failed = write_error(path);
    let Some(real) = replaceable(path) else {
        let file = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(&failed)?;
        let mut w = BufWriter::new(file);
        return write(&mut w).and_then(|()| w.flush()).map_err(failed);
    };
    let dir = parent(&real);
    let prefix = hidden_name(&real);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    set_permissions(&mut builder, &real);
    // Created beside the target, so that the rename stays on one file system.
    let mut tmp = builder.tempfile_in(dir).map_err(|e| failed(plain(e)))?;
    {
        let mut w = BufWriter::new(tmp.as_file_mut());
        write(&mut w).and_then(|()| w.flush()).map_err(&failed)?;
    }
    // On disk before it replaces the old file: a crash then leaves one or the other.
    tmp.as_file().sync_all().map_err(&failed)?;
    tmp.persist(&real).map_err(|e| failed(e.error))?;
    Ok(())
}

/// Writes a directory of files at `path`, whole: `write` fills a temporary directory
/// beside it, which then replaces `path` (an existing directory holding only files named
/// in `owned`, which it replaces; anything else there is refused).
pub(crate) fn to_dir(
    path: &Path,
    owned: &[&str],
    write: impl FnOnce(&Path) -> Result<(), Error>,
) -> Result<(), Error> {
    let failed = write_error(path);
    let real = match fs::canonicalize(path) {
        Ok(real) => real,
        Err(_) => absolute(path),
    };
    match fs::metadata(&real) {
        Ok(m) if !m.is_dir() => {
            return Err(Error::Usage(format!(
                "cannot write {}: it exists and is not a directory (a CSV inventory is a \
                 directory of files)",
                path.display()
            )));
        }
        Ok(_) => {
            let others = foreign_entries(&real, owned).map_err(&failed)?;
            if !others.is_empty() {
                return Err(Error::Usage(format!(
                    "cannot write {}: it holds {} besides an inventory's CSV files, and the \
                     directory is replaced as a whole; give a new or empty directory",
                    path.display(),
                    others.join(", ")
                )));
            }
        }
        Err(_) => {}
    }
    let dir = parent(&real);
    fs::create_dir_all(dir).map_err(&failed)?;
    let prefix = hidden_name(&real);
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    set_permissions(&mut builder, &real);
    let tmp = builder.tempdir_in(dir).map_err(|e| failed(plain(e)))?;
    write(tmp.path())?;
    if fs::symlink_metadata(&real).is_ok() {
        // The new directory takes the old one's place; dropping `tmp` then removes what
        // is at its path: the old directory.
        swap(tmp.path(), &real).map_err(&failed)?;
    } else {
        fs::rename(tmp.path(), &real).map_err(&failed)?;
    }
    drop(tmp);
    Ok(())
}

/// Exchanges two directories in one step (renameat2 on Linux), else by two renames (the
/// target is missing for a moment between them).
fn swap(new: &Path, old: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, old, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            // A file system without exchange: the two renames below.
            Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
            Err(e) => return Err(e.into()),
        }
    }
    let aside = new.with_extension("old");
    fs::rename(old, &aside)?;
    if let Err(e) = fs::rename(new, old) {
        // Put the old directory back rather than leave nothing.
        let _ = fs::rename(&aside, old);
        return Err(e);
    }
    fs::rename(&aside, new)
}

/// The entries of `dir` that are not among `owned`, sorted.
fn foreign_entries(dir: &Path, owned: &[&str]) -> io::Result<Vec<String>> {
    let mut others = Vec::new();
    for entry in fs::read_dir(dir)? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if !owned.contains(&name.as_str()) {
            others.push(name);
        }
    }
    // Sorted for a stable message.
    others.sort();
    Ok(others)
}

/// The regular file that writing `path` replaces (symbolic links followed), or `None`
/// when `path` is written directly: a device, a FIFO, `/dev/stdout`, a dangling link.
fn replaceable(path: &Path) -> Option<PathBuf> {
    if path.starts_with("/dev") || path.starts_with("/proc") {
        return None;
    }
    match fs::metadata(path) {
        Ok(m) if m.is_file() => fs::canonicalize(path).ok(),
        // A directory too: opening it for writing gives the error to report.
        Ok(_) => None,
        Err(_) if fs::symlink_metadata(path).is_ok() => None,
        Err(_) => Some(path.to_path_buf()),
    }
}

/// The directory a path is in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `path` from the current directory, without resolving links.
fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The start of a temporary name beside `path`: `.NAME.`, hidden.
fn hidden_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy());
    format!(".{name}.")
}

/// The permissions of the file or directory being replaced; for a new one, what the
/// umask gives (tempfile's own default is private to the owner).
fn set_permissions(builder: &mut tempfile::Builder<'_, '_>, target: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = match fs::metadata(target) {
            Ok(m) => m.permissions().mode() & 0o7777,
            Err(_) if target.extension().is_none() => 0o777,
            Err(_) => 0o666,
        };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    #[cfg(not(unix))]
    let _ = (builder, target);
}

/// An I/O error without the temporary path tempfile adds to its message (` at path
/// "…"`): the message names the target instead.
fn plain(e: io::Error) -> io::Error {
    let text = e.to_string();
    match text.split_once(" at path ") {
        Some((head, _)) => io::Error::new(e.kind(), head.to_owned()),
        None => e,
    }
}

/// Refuses an output that is one of the inputs (the same path or the same file, through
/// links too), or, when it is a directory to be replaced, one that holds an input. The
/// files of an input CSV directory are inputs.
pub(crate) fn not_an_input(
    output: &Path,
    replaced_dir: bool,
    inputs: &[&Path],
) -> Result<(), Error> {
    if output == Path::new("-") {
        return Ok(());
    }
    let out = Identity::of(output);
    for &input in inputs {
        let mut files = vec![input.to_path_buf()];
        if let Ok(entries) = fs::read_dir(input) {
            files.extend(entries.flatten().map(|e| e.path()));
        }
        for file in files {
            let held = Identity::of(&file);
            let inside = replaced_dir
                && matches!((&held.path, &out.path), (Some(f), Some(o)) if f.starts_with(o) && f != o);
            if out.same(&held) || inside {
                return Err(Error::OutputIsInput {
                    output: output.to_path_buf(),
                    input: file,
                    inside,
                });
            }
        }
    }
    Ok(())
}

/// What a path names: its resolved path, and its file (device and inode) when it exists.
struct Identity {
    path: Option<PathBuf>,
    #[cfg(unix)]
    file: Option<(u64, u64)>,
}

impl Identity {
    fn of(path: &Path) -> Self {
        // An output that does not exist yet: its resolved directory and its name.
        let resolved = fs::canonicalize(path).ok().or_else(|| {
            let dir = fs::canonicalize(parent(path)).ok()?;
            Some(dir.join(path.file_name()?))
        });
        Identity {
            path: resolved,
            #[cfg(unix)]
            file: fs::metadata(path).ok().map(|m| {
                use std::os::unix::fs::MetadataExt;
                (m.dev(), m.ino())
            }),
        }
    }

    fn same(&self, other: &Identity) -> bool {
        #[cfg(unix)]
        if let (Some(a), Some(b)) = (self.file, other.file) {
            return a == b;
        }
        self.path.is_some() && self.path == other.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A writer that fails after `n` bytes: a full disk, or a process killed midway.
    fn fail_after(n: usize) -> impl FnOnce(&mut dyn Write) -> io::Result<()> {
        move |w| {
            w.write_all(&vec![b'x'; n])?;
            w.flush()?;
            Err(io::Error::new(io::ErrorKind::StorageFull, "disk full"))
        }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("k.json");
        fs::write(&target, "old").unwrap();
        // Past the buffer, so that bytes reached the temporary file before the failure.
        let e = to_file(&target, fail_after(100_000)).unwrap_err();
        assert!(matches!(e, Error::Write { .. }), "{e}");
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(names(dir.path()), ["k.json"]);
    }

    #[test]
    fn a_failed_write_of_a_new_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("new.toml");
        to_file(&target, fail_after(10)).unwrap_err();
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn a_complete_write_replaces_the_file_and_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("k.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).unwrap();
        to_file(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let mode = fs::metadata(&target).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(names(dir.path()), ["k.json"]);
    }

    #[test]
    fn a_link_is_followed_and_stays_a_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.toml");
        let link = dir.path().join("link.toml");
        fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        to_file(&link, |w| w.write_all(b"new")).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn devices_are_written_directly() {
        assert_eq!(replaceable(Path::new("/dev/null")), None);
        assert_eq!(replaceable(Path::new("/dev/stdout")), None);
        to_file(Path::new("/dev/null"), |w| w.write_all(b"x")).unwrap();
        if Path::new("/dev/full").exists() {
            let e = to_file(Path::new("/dev/full"), |w| w.write_all(&[0; 10_000])).unwrap_err();
            assert!(e.to_string().contains("No space left on device"), "{e}");
        }
    }

    #[test]
    fn a_failed_directory_leaves_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("csv");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("systems.csv"), "old").unwrap();
        let e = to_dir(&target, &["systems.csv"], |tmp| {
            fs::write(tmp.join("systems.csv"), "half").unwrap();
            Err(Error::Usage("killed".into()))
        })
        .unwrap_err();
        assert_eq!(e.to_string(), "killed");
        assert_eq!(names(dir.path()), ["csv"]);
        assert_eq!(
            fs::read_to_string(target.join("systems.csv")).unwrap(),
            "old"
        );
    }

    #[test]
    fn a_complete_directory_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("csv");
        fs::create_dir(&target).unwrap();
        fs::write(target.join("policy.csv"), "stale").unwrap();
        to_dir(&target, &["systems.csv", "policy.csv"], |tmp| {
            fs::write(tmp.join("systems.csv"), "new").map_err(write_error(tmp))
        })
        .unwrap();
        assert_eq!(names(dir.path()), ["csv"]);
        assert_eq!(names(&target), ["systems.csv"]);
    }

    #[test]
    fn a_directory_with_other_files_is_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let e = to_dir(dir.path(), &["systems.csv"], |_| Ok(())).unwrap_err();
        assert!(e.to_string().contains("it holds notes.txt"), "{e}");
        assert_eq!(names(dir.path()), ["notes.txt"]);
    }

    #[test]
    fn an_input_is_refused_by_path_inode_link_and_directory() {
        let dir = tempfile::tempdir().unwrap();
        let inv = dir.path().join("self.toml");
        fs::write(&inv, "x").unwrap();
        let link = dir.path().join("link.toml");
        std::os::unix::fs::symlink(&inv, &link).unwrap();
        let hard = dir.path().join("hard.toml");
        fs::hard_link(&inv, &hard).unwrap();
        for out in [&inv, &link, &hard] {
            assert!(
                not_an_input(out, false, &[&inv]).is_err(),
                "{}",
                out.display()
            );
        }
        // Spelled another way.
        let other = dir.path().join(".").join("self.toml");
        assert!(not_an_input(&other, false, &[&inv]).is_err());
        assert!(not_an_input(&dir.path().join("new.toml"), false, &[&inv]).is_ok());
        assert!(not_an_input(Path::new("-"), false, &[&inv]).is_ok());
        // A CSV directory: its files are inputs, and replacing it would delete them.
        let csv = dir.path().join("csv");
        fs::create_dir(&csv).unwrap();
        fs::write(csv.join("links.csv"), "x").unwrap();
        assert!(not_an_input(&csv.join("links.csv"), false, &[&csv]).is_err());
        assert!(not_an_input(&csv, true, &[&csv]).is_err());
        assert!(not_an_input(dir.path(), true, &[&inv]).is_err());
        assert!(not_an_input(&csv.join("new.toml"), false, &[&csv]).is_ok());
    }
}
