//! The compiled index cache: the first load of an inventory writes its validated model in a
//! compact binary form to the user's cache directory; later loads of the same content read
//! it back instead of parsing and validating again.
//!
//! - Where: `$RIPPLEMAP_CACHE_DIR`, else `$XDG_CACHE_HOME/ripplemap` (`~/.cache/ripplemap`
//!   on Linux; the platform's cache directory elsewhere). Never beside the inventory.
//! - Key: a BLAKE3 hash of ripplemap's version, the index format, the inventory's form and
//!   the name and content of every input file (`systems.csv`, `links.csv`, `groups.csv`,
//!   `policy.csv` of a CSV directory; the `.toml`, `.json` or `.xlsx` file). The path
//!   itself is not in the key: origins name their file by position and are given the
//!   path as spelled now. Files that stat as they did when last hashed (same inode,
//!   length, modification and status-change times) are not read again: their key is in a
//!   small stamp file (`.rmkey`) beside the indexes.
//! - Trust: an index is used only when its magic, format, version and key match and the
//!   XXH3 checksum of its body, stored in its header, matches the body; the body then
//!   decodes with every read checked. Its nodes (but for their labels), links and group
//!   declarations are decoded only when a command reads them: every index is read back
//!   whole, they included, before it is written, and the checksum says the bytes are
//!   those. Anything else (truncated,
//!   flipped bytes, another version, a half-written file) is a miss: the inventory is
//!   loaded from its files and the index written again.
//! - Writes: to a temporary file in the cache directory, renamed into place, so that a
//!   reader sees an old whole file, a new whole file or none, whatever runs at the same
//!   time. The inputs are hashed again after loading; if they changed meanwhile nothing is
//!   written. A cache directory that cannot be written is not an error: the load goes on
//!   without it, with a warning for the caller to show.
//! - Size: after a write, the oldest indexes are removed while the directory holds more
//!   than [`Cache::MAX_BYTES`].

mod codec;
mod index;
mod stamp;

use std::io::Write;
use std::path::{Path, PathBuf};

use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use stamp::Stat;
use xxhash_rust::xxh3::xxh3_128;

use crate::graph::{Graph, Labels, PendingLinks, PendingNodes, Tables};
use crate::inventory::{self, Diagnostic, Inventory, LoadError, LoadOptions, Resolved};

/// The first bytes of an index file.
const MAGIC: &[u8; 8] = b"RPLMIDX\0";

/// The version of the index encoding; bumped whenever [`index`] changes what it writes.
const FORMAT: u32 = 9;

/// The size of the pieces of an index's body checksummed apart (see [`body_checksum`]).
const BODY_PIECE: usize = 4 << 20;

/// The extension of index files (also what [`Cache::clear`] removes).
const EXTENSION: &str = "rmidx";

/// Where compiled indexes are kept, or no cache at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cache {
    dir: Option<PathBuf>,
}

/// How an inventory was loaded by [`Cache::load`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// From a valid index in the cache.
    Index,
    /// From its files; the index was written for next time.
    Files,
    /// From its files, without the cache (disabled, or the inventory's form has none).
    Uncached,
}

/// An inventory loaded through the cache.
#[derive(Debug)]
pub struct Loaded {
    /// The validated inventory, the same as [`inventory::load`] gives, but for its nodes,
    /// links and group declarations while they are in `pending`.
    inventory: Inventory,
    /// Where it came from.
    pub source: Source,
    /// Why the cache could not be written (the load itself succeeded), for the caller to
    /// show once.
    pub warning: Option<String>,
    /// The load's own warnings (the encoding assumed for a CSV file); never from an index.
    pub warnings: Vec<Diagnostic>,
    /// The graph's tables, when the index held them or was written with them.
    tables: Option<Tables>,
    /// Else the references the load resolved, to build them from.
    resolved: Option<Resolved>,
    /// On a hit, the nodes' labels, and the nodes, links and group declarations left in
    /// the index until asked for.
    pending: Option<(Labels, index::Pending)>,
}

impl Loaded {
    /// The inventory, whole (its nodes, links and group declarations built if they were
    /// left in the index).
    pub fn into_inventory(self) -> Inventory {
        let mut inventory = self.inventory;
        if let Some((_, pending)) = self.pending {
            inventory.nodes = pending.build_nodes();
            (inventory.links, inventory.groups) = pending.build(&inventory.nodes);
        }
        inventory
    }

    /// The inventory's graph with its links built now: for a command that reads every link
    /// (building them on first use would keep the index's bytes and a second copy of the
    /// nodes meanwhile).
    pub fn into_whole_graph(mut self) -> Graph {
        let tables = self.tables.take();
        let resolved = self.resolved.take();
        let inventory = self.into_inventory();
        match tables {
            Some(tables) => Graph::with_tables(inventory, tables),
            None => Graph::loaded(inventory, resolved),
        }
    }

    /// The inventory's graph: from the tables of the index when there are some (a few
    /// linear passes; the links are built only if a command reads them), else built whole.
    pub fn into_graph(self) -> Graph {
        match (self.tables, self.pending) {
            (Some(tables), Some((labels, pending))) => {
                let pending = Arc::new(pending);
                let nodes = PendingNodes(Arc::new({
                    let pending = Arc::clone(&pending);
                    move || pending.build_nodes()
                }));
                let links = PendingLinks(Arc::new(move |nodes| pending.build(nodes)));
                Graph::with_pending(self.inventory, tables, labels, nodes, links)
            }
            (Some(tables), None) => Graph::with_tables(self.inventory, tables),
            (None, _) => Graph::loaded(self.inventory, self.resolved),
        }
    }
}

impl Cache {
    /// The cache stops removing the oldest indexes once they take at most this many bytes.
    pub const MAX_BYTES: u64 = 2 << 30;

    /// No cache: every load parses its files.
    pub fn disabled() -> Self {
        Cache { dir: None }
    }

    /// A cache in `dir`.
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Cache {
            dir: Some(dir.into()),
        }
    }

    /// The cache of this user: `$RIPPLEMAP_CACHE_DIR` if set and not empty, else the
    /// `ripplemap` folder of the platform's cache directory (`$XDG_CACHE_HOME`, else
    /// `~/.cache`, on Linux). Disabled when there is neither.
    pub fn from_env() -> Self {
        match std::env::var_os("RIPPLEMAP_CACHE_DIR") {
            Some(dir) if !dir.is_empty() => Cache::at(dir),
            _ => Cache {
                dir: dirs::cache_dir().map(|d| d.join("ripplemap")),
            },
        }
    }

    /// The cache directory, if there is a cache.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// Loads and validates an inventory like [`inventory::load`], through the cache.
    pub fn load(&self, path: &Path) -> Result<Loaded, LoadError> {
        self.load_with(path, &LoadOptions::default())
    }

    /// [`Cache::load`] with load options (the encoding of CSV files), returning the load's
    /// warnings too. An inventory that loads with warnings (an encoding assumed) is not
    /// cached, so that every run shows them.
    pub fn load_with(&self, path: &Path, opts: &LoadOptions) -> Result<Loaded, LoadError> {
        let from_files = |path: &Path, source: Source| {
            let outcome = inventory::load_with(path, opts)?;
            Ok::<_, LoadError>(Loaded {
                inventory: outcome.inventory,
                source,
                warning: None,
                warnings: outcome.warnings,
                tables: None,
                resolved: outcome.resolved,
                pending: None,
            })
        };
        let (Some(dir), Some(files)) = (&self.dir, input_files(path)) else {
            return from_files(path, Source::Uncached);
        };
        let salt = salt(path, opts);
        let Ok(keyed) = Keyed::take(dir, &salt, &files) else {
            // An input cannot be read: the loader says which, at its place.
            return from_files(path, Source::Uncached);
        };
        let key = keyed.key;
        let file = dir.join(format!("{}.{EXTENSION}", key.to_hex()));
        if let Ok(bytes) = read_whole(&file)
            && let Some((inventory, tables, labels, pending)) = read_index(bytes, &key, &files)
        {
            return Ok(Loaded {
                inventory,
                source: Source::Index,
                warning: None,
                warnings: Vec::new(),
                tables: Some(tables),
                resolved: None,
                pending: Some((labels, pending)),
            });
        }
        let mut loaded = from_files(path, Source::Files)?;
        if !loaded.warnings.is_empty() {
            loaded.source = Source::Uncached;
            return Ok(loaded);
        }
        // Built once: written into the index and handed to the caller's graph.
        let tables = Tables::of_loaded(&mut loaded.inventory, loaded.resolved.take());
        // Written only if the inputs are still those that were hashed.
        loaded.warning = if keyed.unchanged(&salt, &files) {
            self.write(&file, &key, &loaded.inventory, &tables, &files)
                .err()
        } else {
            None
        };
        loaded.tables = Some(tables);
        Ok(loaded)
    }

    /// Writes the index of `inventory`, atomically; then trims the cache.
    fn write(
        &self,
        file: &Path,
        key: &blake3::Hash,
        inventory: &Inventory,
        tables: &Tables,
        files: &[PathBuf],
    ) -> Result<(), String> {
        let Some(dir) = &self.dir else {
            return Ok(());
        };
        // An inventory the index cannot name is simply not cached; nor one whose index
        // would not read back whole.
        let Some(body) = index::encode(inventory, tables, files).map(Arc::new) else {
            return Ok(());
        };
        if !index::verified(&body, files) {
            return Ok(());
        }
        let fail = |e: std::io::Error| {
            format!(
                "cannot write the index cache in {}: {e}; running without it",
                dir.display()
            )
        };
        std::fs::create_dir_all(dir).map_err(fail)?;
        write_atomically(file, &[&header(key, &body), &body]).map_err(fail)?;
        trim(dir, file, Self::MAX_BYTES);
        Ok(())
    }

    /// Removes every index (and any temporary file a killed process left) and every stamp;
    /// returns how many indexes were removed. A cache directory that does not exist is
    /// empty.
    pub fn clear(&self) -> std::io::Result<usize> {
        let Some(dir) = &self.dir else {
            return Ok(0);
        };
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let path = entry?.path();
            if is_index(&path) {
                std::fs::remove_file(&path)?;
                removed += 1;
            } else if path.extension().is_some_and(|e| e == stamp::EXTENSION) && path.is_file() {
                std::fs::remove_file(&path)?;
            }
        }
        Ok(removed)
    }
}

/// Writes `parts` to `file` through a temporary file beside it (`.tmp-…` with the same
/// extension, which [`Cache::clear`] removes if a killed process leaves it), renamed into
/// place: a reader sees the old whole file, the new whole file or none.
fn write_atomically(file: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = file.parent().unwrap_or(Path::new("."));
    let extension = file.extension().unwrap_or_default().to_string_lossy();
    let mut tmp = tempfile::Builder::new()
        .prefix(".tmp-")
        .suffix(&format!(".{extension}"))
        .tempfile_in(dir)?;
    let mut out = std::io::BufWriter::new(tmp.as_file_mut());
    for part in parts {
        out.write_all(part)?;
    }
    out.flush()?;
    drop(out);
    tmp.persist(file).map_err(|e| e.error)?;
    Ok(())
}

/// Whether a file is one the cache wrote (an index or a temporary one).
fn is_index(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == EXTENSION) && path.is_file()
}

/// The input files of an inventory, in the order the key hashes them and origins name
/// them; `None` for a path that is not an inventory (the loader reports it).
fn input_files(path: &Path) -> Option<Vec<PathBuf>> {
    let meta = std::fs::metadata(path).ok()?;
    if meta.is_dir() {
        let mut files = vec![path.join("systems.csv"), path.join("links.csv")];
        if !files.iter().all(|f| f.is_file()) {
            return None;
        }
        files.extend(
            ["groups.csv", "policy.csv", "recovery.csv"]
                .map(|f| path.join(f))
                .into_iter()
                .filter(|f| f.is_file()),
        );
        return Some(files);
    }
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    matches!(ext.as_str(), "toml" | "json" | "xlsx").then(|| vec![path.to_path_buf()])
}

/// What the key hashes besides the input files: ripplemap's version, the index format,
/// the inventory's form and the encoding asked for.
fn salt(path: &Path, opts: &LoadOptions) -> Vec<u8> {
    let mut w = codec::Writer::default();
    w.raw(MAGIC);
    w.u32(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    w.bool(path.is_dir());
    // A forced encoding reads the same bytes as other text.
    w.str(&format!("{:?}", opts.encoding));
    w.bytes
}

/// The key of an inventory: its `salt`, and the name and content of each input file.
fn key_of(salt: &[u8], files: &[PathBuf]) -> std::io::Result<blake3::Hash> {
    let mut h = blake3::Hasher::new();
    h.update(&(salt.len() as u64).to_le_bytes());
    h.update(salt);
    let mut buf = Vec::new();
    for f in files {
        let name = f
            .file_name()
            .map(|n| n.as_encoded_bytes())
            .unwrap_or_default();
        h.update(&(name.len() as u64).to_le_bytes());
        h.update(name);
        hash_file(&mut h, f, &mut buf)?;
    }
    Ok(h.finalize())
}

/// An inventory's key, and its files as they stood when it was taken.
struct Keyed {
    key: blake3::Hash,
    stats: Option<Vec<Stat>>,
    /// When the files started to be hashed (now, for a key from a stamp).
    from: SystemTime,
}

impl Keyed {
    /// The key of the inventory of `files`: from its stamp in `dir` when the files stat as
    /// the stamp says, else hashed (and stamped for next time).
    fn take(dir: &Path, salt: &[u8], files: &[PathBuf]) -> std::io::Result<Keyed> {
        let stamp = stamp::file(dir, files, salt);
        let stats = Stat::all(files);
        let from = SystemTime::now();
        if let Some(key) = stats.as_deref().and_then(|s| stamp::read(&stamp, s)) {
            return Ok(Keyed { key, stats, from });
        }
        let key = key_of(salt, files)?;
        if let (Some(before), Some(after)) = (&stats, Stat::all(files)) {
            stamp::write(&stamp, before, &after, from, &key);
        }
        Ok(Keyed { key, stats, from })
    }

    /// Whether the files still hold what the key was taken from: they stat the same and
    /// had settled before (no write since can have kept their times), or they hash the
    /// same again.
    fn unchanged(&self, salt: &[u8], files: &[PathBuf]) -> bool {
        let same_stats = self.stats.is_some() && self.stats == Stat::all(files);
        let settled = self
            .stats
            .iter()
            .flatten()
            .all(|s| s.settled_before(self.from));
        (same_stats && settled) || key_of(salt, files).is_ok_and(|again| again == self.key)
    }
}

/// Hashes a file's length and content through `buf`: a few megabytes at a time, so that
/// hashing 35 MB of inputs does not first allocate (and fault in) 35 MB.
fn hash_file(h: &mut blake3::Hasher, path: &Path, buf: &mut Vec<u8>) -> std::io::Result<()> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let len = file.metadata()?.len();
    h.update(&len.to_le_bytes());
    buf.resize(4 << 20, 0);
    let mut read = 0u64;
    loop {
        let n = match file.read(buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let chunk = buf.get(..n).unwrap_or_default();
        if n > 1 << 20 {
            h.update_rayon(chunk);
        } else {
            h.update(chunk);
        }
        read += n as u64;
    }
    if read == len {
        Ok(())
    } else {
        // Written while it was read: no key, no index (the loader reads it afresh).
        Err(std::io::Error::other(
            "the file changed while it was hashed",
        ))
    }
}

/// A whole index file, mapped into memory: a hit reads each byte once, where it lies in
/// the page cache, rather than copying 30 MB into fresh memory first (half of a hit's
/// page faults). A file that cannot be mapped is read.
fn read_whole(path: &Path) -> std::io::Result<index::Bytes> {
    let file = std::fs::File::open(path)?;
    match map(&file) {
        Ok(map) => Ok(Arc::new(map)),
        Err(_) => Ok(Arc::new(std::fs::read(path)?)),
    }
}

/// `file` mapped read-only (its pages faulted in as they are read).
#[allow(unsafe_code)]
fn map(file: &std::fs::File) -> std::io::Result<memmap2::Mmap> {
    // SAFETY: the map is read-only and private, and nothing this program writes changes an
    // index file in place: indexes are written to a temporary file renamed over the old
    // one (whose pages, and so this map, stay as they were), and removed by unlinking.
    // Bytes changed from outside after mapping can only make the body's checksum, or a
    // later checked read, refuse them; truncating an index while a command reads it could
    // end that command, as for any program that maps files (git, ripgrep).
    unsafe { memmap2::MmapOptions::new().map(file) }
}

/// The header of an index: magic, format, version, key, body length and body checksum.
fn header(key: &blake3::Hash, body: &[u8]) -> Vec<u8> {
    let mut w = codec::Writer::default();
    w.raw(MAGIC);
    w.u32(FORMAT);
    w.str(env!("CARGO_PKG_VERSION"));
    w.raw(key.as_bytes());
    w.raw(&(body.len() as u64).to_le_bytes());
    w.raw(&body_checksum(body));
    w.bytes
}

/// The checksum of an index's body: XXH3 (128 bits) of each 4 MiB piece, on every core,
/// then of those checksums in order. It tells a damaged or half-written body from a whole
/// one (the key, a BLAKE3 hash, names the inputs); it is several times faster than BLAKE3
/// over the 30 MB a hit checks.
fn body_checksum(body: &[u8]) -> [u8; 16] {
    let pieces: Vec<[u8; 16]> = body
        .par_chunks(BODY_PIECE)
        .map(|piece| xxh3_128(piece).to_le_bytes())
        .collect();
    xxh3_128(pieces.as_flattened()).to_le_bytes()
}

/// The inventory in an index file, if the file is whole, of this version and key, and
/// its body matches the checksum in its header.
fn read_index(
    bytes: index::Bytes,
    key: &blake3::Hash,
    files: &[PathBuf],
) -> Option<(Inventory, Tables, Labels, index::Pending)> {
    let mut r = codec::Reader::new(index::bytes_of(&bytes));
    if r.take(MAGIC.len()).ok()? != MAGIC
        || r.u32().ok()? != FORMAT
        || r.str().ok()? != env!("CARGO_PKG_VERSION")
        || r.array::<32>().ok()? != *key.as_bytes()
    {
        return None;
    }
    let len = usize::try_from(r.u64().ok()?).ok()?;
    let checksum = r.array::<16>().ok()?;
    let body = r.take(len).ok()?;
    if !r.is_empty() || body_checksum(body) != checksum {
        return None;
    }
    let start = index::bytes_of(&bytes).len().checked_sub(len)?;
    index::decode_pending(bytes, start, files).ok()
}

/// Removes the least recently written indexes (never `keep`) while the cache holds more
/// than `max` bytes. Best effort: another process may be trimming too.
fn trim(dir: &Path, keep: &Path, max: u64) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, u64, PathBuf)> = entries
        .filter_map(Result::ok)
        .filter_map(|e| {
            let path = e.path();
            let meta = e.metadata().ok()?;
            // Temporary files are another process's write in progress.
            let temporary = e.file_name().as_encoded_bytes().starts_with(b".");
            (path.extension().is_some_and(|x| x == EXTENSION) && meta.is_file() && !temporary)
                .then(|| Some((meta.modified().ok()?, meta.len(), path)))
                .flatten()
        })
        .collect();
    let mut total: u64 = files.iter().map(|f| f.1).sum();
    files.sort();
    for (_, len, path) in files {
        if total <= max {
            break;
        }
        if path != keep && std::fs::remove_file(&path).is_ok() {
            total = total.saturating_sub(len);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov.toml")
    }

    #[test]
    fn an_index_decodes_to_the_inventory_it_was_written_from() {
        for path in [
            sample(),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov"),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov.xlsx"),
        ] {
            let mut inv = inventory::load(&path).unwrap();
            let files = input_files(&path).unwrap();
            let tables = Tables::build(&mut inv);
            let body = index::encode(&inv, &tables, &files).unwrap();
            let (back, back_tables) = index::decode(&body, &files).unwrap();
            assert_eq!(back, inv, "{}", path.display());
            assert_eq!(back_tables, tables, "{}", path.display());
            // Origins too (not part of the model's equality).
            for (a, b) in back.links.iter().zip(&inv.links) {
                assert_eq!(a.origin.to_string(), b.origin.to_string());
            }
            for (a, b) in back.nodes.iter().zip(&inv.nodes) {
                assert_eq!(a.origin.to_string(), b.origin.to_string());
            }
            for (a, b) in back.groups.iter().zip(&inv.groups) {
                assert_eq!(a.origin.to_string(), b.origin.to_string());
                assert_eq!(a.from_sites, b.from_sites);
            }
        }
    }

    #[test]
    fn a_hit_builds_its_links_when_asked_to_the_same_inventory() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::at(dir.path());
        for path in [
            sample(),
            Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov"),
        ] {
            let whole = inventory::load(&path).unwrap();
            assert_eq!(cache.load(&path).unwrap().source, Source::Files);
            let hit = cache.load(&path).unwrap();
            assert_eq!(hit.source, Source::Index);
            let graph = hit.into_graph();
            // Nodes and counts without the links; the links on first use, in order.
            assert_eq!(graph.node_records(), &whole.nodes[..]);
            assert_eq!(graph.link_count(), whole.links.len());
            assert_eq!(graph.inventory(), &whole);
            let graph = cache.load(&path).unwrap().into_whole_graph();
            assert_eq!(graph.inventory(), &whole);
            assert_eq!(cache.load(&path).unwrap().into_inventory(), whole);
        }
    }

    #[test]
    fn an_index_whose_links_would_not_build_is_not_verified() {
        // A hit leaves links unread: what is written must read back whole first.
        let path = sample();
        let mut inv = inventory::load(&path).unwrap();
        let files = input_files(&path).unwrap();
        let tables = Tables::build(&mut inv);
        let body = Arc::new(index::encode(&inv, &tables, &files).unwrap());
        assert!(index::verified(&body, &files));
        let id = inv.links[0].id.as_bytes();
        let at = body.windows(id.len()).position(|w| w == id).unwrap();
        let mut bad = (*body).clone();
        bad[at] = 0xff;
        let bad = Arc::new(bad);
        assert!(index::decode_pending(Arc::clone(&bad) as index::Bytes, 0, &files).is_ok());
        assert!(!index::verified(&bad, &files));
    }

    #[test]
    fn every_truncation_of_an_index_is_refused() {
        let path = sample();
        let mut inv = inventory::load(&path).unwrap();
        let files = input_files(&path).unwrap();
        let key = key_of(&salt(&path, &LoadOptions::default()), &files).unwrap();
        let tables = Tables::build(&mut inv);
        let body = index::encode(&inv, &tables, &files).unwrap();
        let mut bytes = header(&key, &body);
        bytes.extend_from_slice(&body);
        assert!(read_index(Arc::new(bytes.clone()), &key, &files).is_some());
        // Every length of the header, then lengths spread over the body.
        let lengths = (0..bytes.len() - body.len() + 8)
            .chain((0..bytes.len()).step_by(bytes.len() / 300 + 1));
        for len in lengths {
            assert!(
                read_index(Arc::new(bytes[..len].to_vec()), &key, &files).is_none(),
                "{len}"
            );
        }
        // The body alone, truncated anywhere or with any byte flipped, decodes to a value
        // or an error, never a panic (the hash in the header is what refuses it).
        for len in (0..body.len()).step_by(body.len() / 500 + 1) {
            let _ = index::decode(&body[..len], &files);
        }
        // And a body that still decodes gives a graph that answers without panicking.
        let mut flipped = body.clone();
        for i in (0..flipped.len()).step_by(flipped.len() / 500 + 1) {
            flipped[i] ^= 0xff;
            if let Ok((inv, tables)) = index::decode(&flipped, &files) {
                let graph = Graph::with_tables(inv, tables);
                if let Some(first) = graph.nodes().next() {
                    let id = graph.node(first).id.to_string();
                    let _ = graph.impact(&crate::Scenario {
                        failed: vec![id.clone()],
                        ..Default::default()
                    });
                    let _ = graph.change(&crate::Change {
                        systems: vec![id],
                        links: Vec::new(),
                    });
                }
            }
            flipped[i] ^= 0xff;
        }
    }
}
