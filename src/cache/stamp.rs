//! Stamps: the key of an inventory whose files have not changed since they were last
//! hashed, without reading them again (hashing 35 MB of CSV is a fifth of a cache hit).
//!
//! A stamp records, for one inventory path, each input file's device, inode, length,
//! modification time and status-change time, and the key their contents hashed to. A
//! later load whose files all stat the same takes the key from the stamp. Every write to
//! a file moves its status-change time, which no program can set back (git trusts the
//! same fields). A stamp is written only for files whose status last changed well before
//! they were hashed, so that a write in the same tick of the file system's clock as the
//! hashing cannot keep the stamp's times. A stamp carries a BLAKE3 hash of its own bytes:
//! a damaged stamp is ignored, never read as another key.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use super::codec::{Reader, Writer};

/// The first bytes of a stamp file.
const MAGIC: &[u8; 8] = b"RPLMSTP\0";

/// The extension of stamp files.
pub(super) const EXTENSION: &str = "rmkey";

/// How long before hashing a file must have last changed for its stamp to be kept: far
/// longer than any file system's clock tick.
const SETTLED: Duration = Duration::from_secs(2);

/// What `stat` says of one input file: identity, length and times (nanoseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Stat {
    dev: u64,
    ino: u64,
    len: u64,
    modified: i128,
    changed: i128,
}

impl Stat {
    /// The stat of `path`; `None` where the platform has no inode or times to compare.
    pub fn of(path: &Path) -> Option<Stat> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let m = std::fs::metadata(path).ok()?;
            let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
            Some(Stat {
                dev: m.dev(),
                ino: m.ino(),
                len: m.len(),
                modified: ns(m.mtime(), m.mtime_nsec()),
                changed: ns(m.ctime(), m.ctime_nsec()),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = path;
            None
        }
    }

    /// The stats of every file, if each has one.
    pub fn all(files: &[PathBuf]) -> Option<Vec<Stat>> {
        files.iter().map(|f| Stat::of(f)).collect()
    }

    /// Whether the file last changed at least [`SETTLED`] before `hashed_from`.
    pub fn settled_before(&self, hashed_from: SystemTime) -> bool {
        let Ok(since_epoch) = hashed_from.duration_since(SystemTime::UNIX_EPOCH) else {
            return false;
        };
        let limit = since_epoch.saturating_sub(SETTLED).as_nanos();
        let latest = self.changed.max(self.modified);
        u128::try_from(latest).is_ok_and(|t| t < limit)
    }
}

/// The stamp file of an inventory in the cache directory `dir`: named by a hash of what
/// the key depends on besides the contents (the files' paths and `salt`).
pub(super) fn file(dir: &Path, files: &[PathBuf], salt: &[u8]) -> PathBuf {
    let mut h = blake3::Hasher::new();
    h.update(MAGIC);
    h.update(&(salt.len() as u64).to_le_bytes());
    h.update(salt);
    for f in files {
        let bytes = f.as_os_str().as_encoded_bytes();
        h.update(&(bytes.len() as u64).to_le_bytes());
        h.update(bytes);
    }
    dir.join(format!("{}.{EXTENSION}", h.finalize().to_hex()))
}

/// The key a stamp holds, if the stamp is whole and every file stats as it says.
pub(super) fn read(stamp: &Path, stats: &[Stat]) -> Option<blake3::Hash> {
    let bytes = std::fs::read(stamp).ok()?;
    let body_len = bytes.len().checked_sub(32)?;
    let (body, check) = bytes.split_at(body_len);
    if blake3::hash(body).as_bytes() != check {
        return None;
    }
    let mut r = Reader::new(body);
    if r.take(MAGIC.len()).ok()? != MAGIC || r.usize().ok()? != stats.len() {
        return None;
    }
    for s in stats {
        let recorded = Stat {
            dev: r.u64().ok()?,
            ino: r.u64().ok()?,
            len: r.u64().ok()?,
            modified: i128::from_le_bytes(r.array().ok()?),
            changed: i128::from_le_bytes(r.array().ok()?),
        };
        if recorded != *s {
            return None;
        }
    }
    let key = blake3::Hash::from_bytes(r.array().ok()?);
    r.is_empty().then_some(key)
}

/// Writes a stamp of `key` for files that stat `stats` both before and after they were
/// hashed from `hashed_from`, if they had settled by then. Best effort, atomically: a
/// stamp that cannot be written only means the files are hashed again next time.
pub(super) fn write(
    stamp: &Path,
    before: &[Stat],
    after: &[Stat],
    hashed_from: SystemTime,
    key: &blake3::Hash,
) {
    if before != after || !before.iter().all(|s| s.settled_before(hashed_from)) {
        return;
    }
    let mut w = Writer::default();
    w.raw(MAGIC);
    w.usize(before.len());
    for s in before {
        w.raw(&s.dev.to_le_bytes());
        w.raw(&s.ino.to_le_bytes());
        w.raw(&s.len.to_le_bytes());
        w.raw(&s.modified.to_le_bytes());
        w.raw(&s.changed.to_le_bytes());
    }
    w.raw(key.as_bytes());
    let check = blake3::hash(&w.bytes);
    w.raw(check.as_bytes());
    // Not written: the files are simply hashed again next time.
    let _ = super::write_atomically(stamp, &[&w.bytes]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file written long enough before a hashing that starts `later`, its stats, and
    /// its stamp's path (`salt` empty) in the same temporary directory.
    struct Fixture {
        dir: tempfile::TempDir,
        file: PathBuf,
        stats: Vec<Stat>,
        stamp: PathBuf,
        later: SystemTime,
    }

    fn fixture(text: &str) -> Fixture {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("systems.csv");
        std::fs::write(&file, text).unwrap();
        let files = [file.clone()];
        Fixture {
            stats: Stat::all(&files).unwrap(),
            stamp: self::file(dir.path(), &files, b""),
            later: SystemTime::now() + Duration::from_secs(10),
            dir,
            file,
        }
    }

    #[test]
    fn a_stamp_gives_its_key_while_the_files_stat_the_same() {
        let f = fixture("id,name\na,A\n");
        let key = blake3::hash(b"the key");
        write(&f.stamp, &f.stats, &f.stats, f.later, &key);
        assert_eq!(read(&f.stamp, &f.stats), Some(key));
        // Another salt (version, encoding) names another stamp.
        assert_ne!(
            file(f.dir.path(), std::slice::from_ref(&f.file), b"other"),
            f.stamp
        );
        // Rewritten: its status-change time (and here its length) moves.
        std::fs::write(&f.file, "id,name\na,B!\n").unwrap();
        assert_eq!(read(&f.stamp, &Stat::all(&[f.file]).unwrap()), None);
    }

    #[test]
    fn files_changed_too_recently_or_while_hashed_get_no_stamp() {
        let f = fixture("id\n");
        let key = blake3::hash(b"k");
        // Hashed from now: the file changed less than two seconds before.
        write(&f.stamp, &f.stats, &f.stats, SystemTime::now(), &key);
        assert!(!f.stamp.exists());
        let mut moved = f.stats.clone();
        moved[0].changed += 1;
        write(&f.stamp, &f.stats, &moved, f.later, &key);
        assert!(!f.stamp.exists());
    }

    #[test]
    fn a_damaged_stamp_is_ignored() {
        let f = fixture("id\n");
        write(&f.stamp, &f.stats, &f.stats, f.later, &blake3::hash(b"k"));
        let whole = std::fs::read(&f.stamp).unwrap();
        for i in 0..whole.len() {
            let mut bad = whole.clone();
            bad[i] ^= 0x10;
            std::fs::write(&f.stamp, &bad).unwrap();
            assert_eq!(read(&f.stamp, &f.stats), None, "byte {i} flipped");
            std::fs::write(&f.stamp, &whole[..i]).unwrap();
            assert_eq!(read(&f.stamp, &f.stats), None, "cut at {i}");
        }
    }
}
