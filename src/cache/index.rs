//! The compiled index of an inventory: the validated model, origins included, and the
//! graph's tables (each link's ends and group, the groups), in the checked encoding of
//! [`super::codec`].
//!
//! Node ids are written once; links, groups and `sites` name nodes by position. Short
//! repeated text (agencies, tags, group names, methods, data) is written once in a word
//! table. Origins name their file by its position among the inventory's input files, so
//! that an index found under another spelling of the same path reports the path as given
//! now.

use std::ops::Range;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::codec::{Corrupt, Reader, Writer};
use crate::grade::Grade;
use crate::graph::{Dep, Group, GroupIx, Labels, LinkIx, LossRule, NodeIx, Rows, Tables};
use crate::hash::FastMap;
use crate::inventory::{
    Effect, GroupDecl, Inventory, Link, LinkKind, Mode, Node, NodeKind, Origin, PolicySetting,
    RtoTarget, Severity, Sheet, Text,
};

/// Links are written in chunks of this many, each prefixed by its count and its length in
/// bytes, so that they are checked and built on every core.
const LINK_CHUNK: usize = 16_384;

/// A chunk's item count and byte range in the index file.
type Chunk = (usize, Range<usize>);

/// Each chunk's item count and byte range in the index file.
type Chunks = Vec<Chunk>;

/// Nodes are written in chunks of this many, like links.
const NODE_CHUNK: usize = 4_096;

/// Writes `items` in chunks of `per`: how many chunks and items, then each chunk's count,
/// length in bytes and bytes.
fn chunked<'a, T>(
    body: &mut Writer,
    items: &'a [T],
    per: usize,
    mut item: impl FnMut(&mut Writer, &'a T) -> Option<()>,
) -> Option<()> {
    body.usize(items.len().div_ceil(per));
    body.usize(items.len());
    let mut chunk = Writer::with_capacity(per * 48);
    for part in items.chunks(per) {
        chunk.bytes.clear();
        for x in part {
            item(&mut chunk, x)?;
        }
        body.usize(part.len());
        body.usize(chunk.bytes.len());
        body.raw(&chunk.bytes);
    }
    Some(())
}

/// Each chunk's count and byte range (from `base`, the position of `r`'s first byte in
/// the file), skipped over: what [`chunked`] wrote, every count checked against the
/// total. Returns the number of items too.
fn chunks(r: &mut Reader<'_>, base: usize, per: usize) -> Result<(usize, Chunks), Corrupt> {
    let start = r.remaining();
    let n_chunks = r.count(2)?;
    let total = r.usize()?;
    let mut chunks = Vec::with_capacity(n_chunks);
    for _ in 0..n_chunks {
        let count = r.usize()?;
        let len = r.usize()?;
        let from = base + (start - r.remaining());
        r.take(len)?;
        chunks.push((count, from..from + len));
    }
    if chunks.iter().map(|c| c.0).sum::<usize>() != total
        || chunks.len() != total.div_ceil(per)
        || chunks.iter().rev().skip(1).any(|c| c.0 != per)
    {
        return Err(Corrupt);
    }
    Ok((total, chunks))
}

/// Encodes `inv`, whose origins name the files `files`. `None` when the inventory holds
/// something the index cannot name (an origin in another file, a reference to an unknown
/// node): it is then simply not cached.
pub(crate) fn encode(inv: &Inventory, tables: &Tables, files: &[PathBuf]) -> Option<Vec<u8>> {
    let mut enc = Encoder::new(inv, files);
    let mut w = Writer::with_capacity(64 + inv.links.len() * 48 + inv.nodes.len() * 64);
    // Nodes, then the words and sheets they and the rest use (collected while encoding).
    let mut body = Writer::with_capacity(inv.links.len() * 40);
    chunked(&mut body, &inv.nodes, NODE_CHUNK, |w, n| enc.node(w, n))?;
    chunked(&mut body, &inv.links, LINK_CHUNK, |w, l| enc.link(w, l))?;
    // Policy, targets and group declarations: kept apart (with their length) so that the
    // tables after them can be read while the nodes are. The declarations come last: a hit
    // leaves them in the file with the links (the graph's tables hold what it needs of
    // them).
    let mut rest = Writer::default();
    rest.usize(inv.policy.len());
    for p in &inv.policy {
        rest.str(&p.rule);
        rest.u8(p.severity as u8);
        enc.origin(&mut rest, &p.origin)?;
    }
    rest.usize(inv.rto.len());
    for t in &inv.rto {
        rest.u8(t.grade.get());
        rest.var(t.rto_secs);
        enc.origin(&mut rest, &t.origin)?;
    }
    rest.usize(inv.groups.len());
    for g in &inv.groups {
        rest.usize(enc.node_ix(&g.consumer)?);
        enc.word(&mut rest, &g.group);
        rest.var(u64::from(g.min));
        rest.bool(g.from_sites);
        enc.origin(&mut rest, &g.origin)?;
    }
    body.usize(rest.bytes.len());
    body.raw(&rest.bytes);
    graph_tables(&mut body, tables, inv.links.len())?;
    w.usize(enc.words.len());
    for word in &enc.word_list {
        w.str(word);
    }
    w.usize(enc.sheets.len());
    for s in &enc.sheets {
        w.str(&s.name);
        w.u32(s.index);
    }
    w.raw(&body.bytes);
    Some(w.bytes)
}

/// The graph's tables: each link's ends, the groups, each link's group and calls, and each
/// node's dependants, as fixed-width numbers that decode without branching.
fn graph_tables(w: &mut Writer, t: &Tables, links: usize) -> Option<()> {
    if [t.ends.len(), t.link_group.len(), t.calls.len()]
        .iter()
        .any(|&n| n != links)
    {
        return None;
    }
    let ix = |i: usize| u32::try_from(i).ok();
    for &(p, c) in &t.ends {
        w.u32(ix(p.index())?);
        w.u32(ix(c.index())?);
    }
    w.usize(t.groups.len());
    for g in &t.groups {
        w.u32(ix(g.consumer.index())?);
        w.u32(g.min);
        w.u32(g.size);
        w.u8(u8::from(g.effect == Effect::Degraded));
    }
    for g in &t.link_group {
        w.u32(ix(g.index())?);
    }
    for &calls in &t.calls {
        w.f64(calls);
    }
    // Each node's dependants, in their final order: a hit reads them in one pass instead
    // of scattering half a million links into their rows.
    let (start, deps) = t.deps.parts();
    if deps.len() != links {
        return None;
    }
    for &s in start {
        w.u32(s);
    }
    for d in deps {
        w.u32(ix(d.link.index())?);
        w.u32(ix(d.consumer.index())?);
        w.u32(ix(d.group.index())?);
        w.u32(d.rule.bits());
        w.u32(d.stored_tolerance());
    }
    Some(())
}

/// The bytes of one dependant in the index: link, consumer, group, rule and tolerance.
const DEP_BYTES: usize = 20;

/// Reads what [`graph_tables`] wrote, checking every position and every group against the
/// others, so that the graph built from them holds whatever the bytes were. The tables are
/// read side by side.
fn read_graph_tables(r: &mut Reader<'_>, nodes: usize, links: usize) -> Result<Tables, Corrupt> {
    let ends = r.take(links.checked_mul(8).ok_or(Corrupt)?)?;
    let n_groups = r.count(13)?;
    let groups = r.take(n_groups * 13)?;
    let link_group = r.take(links.checked_mul(4).ok_or(Corrupt)?)?;
    let calls = r.take(links.checked_mul(8).ok_or(Corrupt)?)?;
    let dep_start = r.take(
        nodes
            .checked_add(1)
            .and_then(|n| n.checked_mul(4))
            .ok_or(Corrupt)?,
    )?;
    let deps = r.take(links.checked_mul(DEP_BYTES).ok_or(Corrupt)?)?;
    let ((ends, groups), (calls, deps)) = rayon::join(
        || {
            rayon::join(
                || read_ends(ends, nodes),
                || read_groups(groups, link_group, nodes),
            )
        },
        || {
            rayon::join(
                || {
                    calls
                        .chunks_exact(8)
                        .map(|b| b.try_into().map_or(0.0, f64::from_le_bytes))
                        .collect()
                },
                || read_deps(dep_start, deps, nodes, links, n_groups),
            )
        },
    );
    let (groups, link_group) = groups?;
    Ok(Tables {
        ends: ends?,
        groups,
        link_group,
        calls,
        deps: deps?,
    })
}

/// Each node's dependants: every position checked to be in range and the rows to be
/// whole, so that whatever the bytes, the graph's reads stay in its tables (that they
/// are the rows of these links, the body's checksum says: they were written from them).
fn read_deps(
    start: &[u8],
    deps: &[u8],
    nodes: usize,
    links: usize,
    groups: usize,
) -> Result<Rows<Dep>, Corrupt> {
    let fields = |b: &[u8]| {
        let mut w = words(b);
        let mut next = || w.next().unwrap_or(u32::MAX);
        [next(), next(), next(), next(), next()]
    };
    // Checked as they are built, in one pass: a position out of range marks the whole
    // table corrupt (its dependant is built anyway, and dropped with the table).
    let out_of_range = AtomicBool::new(false);
    let items = deps
        .par_chunks_exact(DEP_BYTES)
        .map(|b| {
            let [link, consumer, group, rule, tolerance] = fields(b);
            if link as usize >= links || consumer as usize >= nodes || group as usize >= groups {
                out_of_range.store(true, Ordering::Relaxed);
            }
            Dep::from_parts(
                LinkIx::new(link as usize),
                NodeIx::new(consumer as usize),
                GroupIx::new(group as usize),
                LossRule::from_bits(rule),
                tolerance,
            )
        })
        .collect();
    if out_of_range.into_inner() {
        return Err(Corrupt);
    }
    Rows::from_parts(words(start).collect(), items).ok_or(Corrupt)
}

/// A node position, checked.
fn node_at(raw: u32, nodes: usize) -> Result<NodeIx, Corrupt> {
    let i = raw as usize;
    if i < nodes {
        Ok(NodeIx::new(i))
    } else {
        Err(Corrupt)
    }
}

/// Each link's provider and consumer.
fn read_ends(bytes: &[u8], nodes: usize) -> Result<Vec<(NodeIx, NodeIx)>, Corrupt> {
    let mut raw = words(bytes);
    let mut ends = Vec::with_capacity(bytes.len() / 8);
    while let (Some(p), Some(c)) = (raw.next(), raw.next()) {
        ends.push((node_at(p, nodes)?, node_at(c, nodes)?));
    }
    Ok(ends)
}

/// The groups, and each link's group: counted groups (threshold above 1) first, each
/// group's members counted to its size.
fn read_groups(
    groups: &[u8],
    link_group: &[u8],
    nodes: usize,
) -> Result<(Vec<Group>, Vec<GroupIx>), Corrupt> {
    let mut r = Reader::new(groups);
    let mut groups = Vec::with_capacity(groups.len() / 13);
    while !r.is_empty() {
        let consumer = node_at(r.u32()?, nodes)?;
        let (min, size) = (r.u32()?, r.u32()?);
        let effect = match r.u8()? {
            0 => Effect::Down,
            1 => Effect::Degraded,
            _ => return Err(Corrupt),
        };
        if min == 0 || min > size {
            return Err(Corrupt);
        }
        groups.push(Group {
            consumer,
            min,
            size,
            effect,
        });
    }
    let counted_after_other = groups
        .iter()
        .zip(groups.iter().skip(1))
        .any(|(a, b)| a.threshold() == 1 && b.threshold() > 1);
    if counted_after_other {
        return Err(Corrupt);
    }
    let mut members = vec![0u32; groups.len()];
    let mut of_link = Vec::with_capacity(link_group.len() / 4);
    for g in words(link_group) {
        *members.get_mut(g as usize).ok_or(Corrupt)? += 1;
        of_link.push(GroupIx::new(g as usize));
    }
    if members.iter().zip(&groups).any(|(&m, g)| m != g.size) {
        return Err(Corrupt);
    }
    Ok((groups, of_link))
}

/// Little-endian 32-bit words.
fn words(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
    b.chunks_exact(4)
        .map(|w| w.try_into().map_or(0, u32::from_le_bytes))
}

struct Encoder<'a> {
    files: &'a [PathBuf],
    nodes: FastMap<&'a str, usize>,
    words: FastMap<&'a str, usize>,
    word_list: Vec<&'a str>,
    sheets: Vec<Sheet>,
}

impl<'a> Encoder<'a> {
    fn new(inv: &'a Inventory, files: &'a [PathBuf]) -> Self {
        Encoder {
            files,
            nodes: inv
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.id.as_str(), i))
                .collect(),
            words: FastMap::default(),
            word_list: Vec::new(),
            sheets: Vec::new(),
        }
    }

    fn node_ix(&self, id: &str) -> Option<usize> {
        self.nodes.get(id).copied()
    }

    fn word(&mut self, w: &mut Writer, word: &'a str) {
        let next = self.word_list.len();
        let i = *self.words.entry(word).or_insert(next);
        if i == next {
            self.word_list.push(word);
        }
        w.usize(i);
    }

    /// 0 for none, else the word's number + 1.
    fn opt_word(&mut self, w: &mut Writer, word: Option<&'a Text>) {
        match word {
            None => w.usize(0),
            Some(word) => {
                let next = self.word_list.len();
                let i = *self.words.entry(word.as_str()).or_insert(next);
                if i == next {
                    self.word_list.push(word.as_str());
                }
                w.usize(i + 1);
            }
        }
    }

    fn origin(&mut self, w: &mut Writer, o: &Origin) -> Option<()> {
        let file = self.files.iter().position(|f| **f == **o.file)?;
        w.usize(file);
        w.usize(o.line);
        match &o.sheet {
            None => w.usize(0),
            Some(s) => {
                let i = match self.sheets.iter().position(|known| *known == **s) {
                    Some(i) => i,
                    None => {
                        self.sheets.push((**s).clone());
                        self.sheets.len() - 1
                    }
                };
                w.usize(i + 1);
            }
        }
        Some(())
    }

    fn node(&mut self, w: &mut Writer, n: &'a Node) -> Option<()> {
        w.str(&n.id);
        w.str(&n.name);
        w.u8(n.kind as u8);
        self.opt_word(w, n.agency.as_ref());
        w.u8(n.grade.map_or(0, Grade::get));
        w.usize(n.sites.len());
        for s in &n.sites {
            w.usize(self.node_ix(s)?);
        }
        w.usize(n.tags.len());
        for t in &n.tags {
            self.word(w, t);
        }
        w.var(n.restore_secs);
        w.f64(n.load);
        match n.capacity {
            None => w.u8(0),
            Some(c) => {
                w.u8(1);
                w.f64(c);
            }
        }
        self.origin(w, &n.origin)
    }

    fn link(&mut self, w: &mut Writer, l: &'a Link) -> Option<()> {
        w.str(&l.id);
        w.usize(self.node_ix(&l.consumer)?);
        w.usize(self.node_ix(&l.provider)?);
        let flags = l.kind as u8
            | (l.mode as u8) << 2
            | (l.effect as u8) << 3
            | u8::from(l.from_sites) << 4
            | u8::from(l.calls.is_some()) << 5;
        w.u8(flags);
        w.var(l.tolerance_secs);
        self.opt_word(w, l.group.as_ref());
        self.opt_word(w, l.method.as_ref());
        self.opt_word(w, l.data.as_ref());
        if let Some(c) = l.calls {
            w.f64(c);
        }
        self.origin(w, &l.origin)
    }
}

/// Decodes an index written by [`encode`], links built; `files` are the inventory's input
/// files as given now, in the same order.
#[cfg(test)]
pub(crate) fn decode(bytes: &[u8], files: &[PathBuf]) -> Result<(Inventory, Tables), Corrupt> {
    let (mut inv, tables, _, links) = decode_pending(Arc::new(bytes.to_vec()) as Bytes, 0, files)?;
    inv.nodes = links.try_nodes()?;
    links.check(inv.nodes.len())?;
    let (built, complete) = links.try_build(&inv.nodes);
    // The check of every link is the build's: it cannot fail after.
    assert!(
        complete.is_ok(),
        "a link passed the check and failed the build"
    );
    inv.links = built;
    inv.groups = links.group_decls(&inv.nodes)?;
    Ok((inv, tables))
}

/// Whether `body` (as [`encode`] wrote it) decodes whole, every link and group
/// declaration included: checked before an index is written, since a hit reads them only
/// when a command asks for them.
pub(crate) fn verified(body: &Arc<Vec<u8>>, files: &[PathBuf]) -> bool {
    decode_pending(Arc::clone(body) as Bytes, 0, files)
        .and_then(|(_, _, _, pending)| {
            let nodes = pending.try_nodes()?;
            pending.check(nodes.len())?;
            pending.group_decls(&nodes).map(drop)
        })
        .is_ok()
}

/// Whether this thread is one of rayon's: links are then built on it alone. They are built
/// inside `Graph::inventory`'s one-time initialisation; a rayon thread waiting there for
/// pieces of its own work could pick up another task that asks for the inventory, and
/// wait on itself.
fn in_thread_pool() -> bool {
    rayon::current_thread_index().is_some()
}

/// The bytes of an index: mapped from its file on a hit, in memory when just encoded.
pub(crate) type Bytes = Arc<dyn AsRef<[u8]> + Send + Sync>;

/// The bytes `file` holds.
pub(crate) fn bytes_of(file: &Bytes) -> &[u8] {
    (**file).as_ref()
}

/// The nodes, links and group declarations of an index, none built: they are built from
/// the index's bytes when a command first asks for them.
pub(crate) struct Pending {
    file: Bytes,
    /// Each chunk's node count and byte range in `file`.
    node_chunks: Chunks,
    nodes: usize,
    /// Each chunk's link count and byte range in `file`.
    link_chunks: Chunks,
    links: usize,
    /// The byte range in `file` of the group declarations (their count, then each).
    groups: Range<usize>,
    files: Vec<PathBuf>,
    words: Vec<Text>,
    sheets: Vec<Arc<Sheet>>,
}

impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("bytes", &bytes_of(&self.file).len())
            .field("nodes", &self.nodes)
            .field("links", &self.links)
            .finish_non_exhaustive()
    }
}

impl Pending {
    /// Fresh shared names of the input files: each piece of work takes its own, so that
    /// the cores never count references on one shared counter (a cache line bounced at
    /// every record).
    fn file_names(&self) -> Vec<Arc<PathBuf>> {
        self.files.iter().map(|f| Arc::new(f.clone())).collect()
    }

    /// The word, sheet and file tables that records name by position.
    fn shared<'t>(&'t self, files: &'t [Arc<PathBuf>]) -> Shared<'t> {
        Shared {
            files,
            words: &self.words,
            sheets: &self.sheets,
        }
    }

    /// The nodes, decoded into one vector (on every core unless on one of rayon's threads,
    /// see [`in_thread_pool`]), their sites resolved.
    pub(crate) fn try_nodes(&self) -> Result<Vec<Node>, Corrupt> {
        let file = bytes_of(&self.file);
        let mut nodes = vec![Node::default(); self.nodes];
        // Each chunk's nodes that have sites, with the positions of those sites.
        let read = |(c, (slots, (n, range))): (usize, (&mut [Node], &Chunk))| {
            let files = self.file_names();
            let tables = self.shared(&files);
            let mut r = Reader::new(file.get(range.clone()).ok_or(Corrupt)?);
            if slots.len() != *n {
                return Err(Corrupt);
            }
            let mut sites = Vec::new();
            for (k, slot) in slots.iter_mut().enumerate() {
                let (node, its_sites) = tables.node(&mut r, self.nodes)?;
                *slot = node;
                if !its_sites.is_empty() {
                    sites.push((c * NODE_CHUNK + k, its_sites));
                }
            }
            if r.is_empty() {
                Ok(sites)
            } else {
                Err(Corrupt)
            }
        };
        let sites: Vec<Vec<(usize, Vec<usize>)>> = if in_thread_pool() {
            let chunks = nodes.chunks_mut(NODE_CHUNK).zip(&self.node_chunks);
            chunks.enumerate().map(read).collect::<Result<_, _>>()?
        } else {
            let chunks = nodes.par_chunks_mut(NODE_CHUNK).zip(&self.node_chunks);
            chunks.enumerate().map(read).collect::<Result<_, _>>()?
        };
        // Sites are nodes, and may sort after the node they host: resolved once all are read.
        for (i, positions) in sites.into_iter().flatten() {
            let ids = positions
                .iter()
                .map(|&p| nodes.get(p).map(|n| n.id.clone()).ok_or(Corrupt))
                .collect::<Result<_, _>>()?;
            nodes.get_mut(i).ok_or(Corrupt)?.sites = ids;
        }
        Ok(nodes)
    }

    /// The nodes. Cannot fail on an index this build wrote: [`verified`] read every node
    /// back before it was written, and the body's checksum says these are those bytes (a
    /// file forged with a matching checksum would give blank nodes).
    pub(crate) fn build_nodes(&self) -> Vec<Node> {
        self.try_nodes()
            .unwrap_or_else(|_| vec![Node::default(); self.nodes])
    }

    /// Checks every link, building none: what [`Shared::link`] reads and checks, so that
    /// [`Pending::build`] of these bytes cannot fail.
    fn check(&self, nodes: usize) -> Result<(), Corrupt> {
        let files = self.file_names();
        let shared = self.shared(&files);
        self.link_chunks.par_iter().try_for_each(|(count, range)| {
            let mut r = Reader::new(bytes_of(&self.file).get(range.clone()).ok_or(Corrupt)?);
            for _ in 0..*count {
                shared.raw_link(&mut r, nodes)?;
            }
            if r.is_empty() { Ok(()) } else { Err(Corrupt) }
        })
    }

    /// Builds the links, in order, and the group declarations. Cannot fail on an index
    /// this build wrote: [`verified`] checked every link and declaration before it was
    /// written, and the checksum of the body that the index was read with says these are
    /// the bytes checked (a chunk of a file forged with a matching checksum that failed anyway
    /// would keep blank links, and declarations that fail, none).
    pub(crate) fn build(&self, nodes: &[Node]) -> (Vec<Link>, Vec<GroupDecl>) {
        let ((links, _), groups) = if in_thread_pool() {
            (self.try_build(nodes), self.group_decls(nodes))
        } else {
            rayon::join(|| self.try_build(nodes), || self.group_decls(nodes))
        };
        (links, groups.unwrap_or_default())
    }

    /// The group declarations, their consumers named by `nodes`.
    fn group_decls(&self, nodes: &[Node]) -> Result<Vec<GroupDecl>, Corrupt> {
        let files = self.file_names();
        let tables = self.shared(&files);
        let r = &mut Reader::new(
            bytes_of(&self.file)
                .get(self.groups.clone())
                .ok_or(Corrupt)?,
        );
        let n_groups = r.count(5)?;
        let mut groups = Vec::with_capacity(n_groups);
        for _ in 0..n_groups {
            let consumer = nodes.get(r.index(nodes.len())?).ok_or(Corrupt)?;
            groups.push(GroupDecl {
                consumer: consumer.id.clone(),
                group: tables.word(r)?,
                min: u32::try_from(r.var()?).map_err(|_| Corrupt)?,
                from_sites: r.bool()?,
                origin: tables.origin(r)?,
            });
        }
        if r.is_empty() {
            Ok(groups)
        } else {
            Err(Corrupt)
        }
    }

    /// The links, and whether every one was built (always, after the check).
    pub(crate) fn try_build(&self, nodes: &[Node]) -> (Vec<Link>, Result<(), Corrupt>) {
        // Built in place into one vector of blank links, on every core: no per-thread
        // vectors whose freed memory would stay resident in those threads' allocator
        // arenas (50 MB more peak memory, measured when chunks were collected).
        let mut links = Vec::with_capacity(self.links);
        // Filled on every core too: the first touch of 100 MB is most of the cost; each
        // piece of work clones its own blank.
        if in_thread_pool() {
            links.resize(self.links, Link::default());
        } else {
            links.par_extend(
                (0..self.links)
                    .into_par_iter()
                    .with_min_len(LINK_CHUNK)
                    .map_init(Link::default, |b, _| b.clone()),
            );
        }
        let ids: Vec<&Text> = nodes.iter().map(|n| &n.id).collect();
        let fill = |(slots, (count, range)): (&mut [Link], &(usize, Range<usize>))| {
            let files = self.file_names();
            let tables = self.shared(&files);
            let mut r = Reader::new(bytes_of(&self.file).get(range.clone()).ok_or(Corrupt)?);
            if slots.len() != *count {
                return Err(Corrupt);
            }
            for slot in slots {
                *slot = tables.link(&mut r, &ids)?;
            }
            if r.is_empty() { Ok(()) } else { Err(Corrupt) }
        };
        let built = if in_thread_pool() {
            links
                .chunks_mut(LINK_CHUNK)
                .zip(&self.link_chunks)
                .try_for_each(fill)
        } else {
            links
                .par_chunks_mut(LINK_CHUNK)
                .zip(&self.link_chunks)
                .try_for_each(fill)
        };
        (links, built)
    }
}

/// Decodes an index written by [`encode`] whose body starts at `body` in `file`, all but
/// its nodes, links and group declarations, which are left in `file` (see [`Pending`]):
/// the inventory returned has none, the labels returned are its nodes'.
pub(crate) fn decode_pending(
    file: Bytes,
    body: usize,
    files: &[PathBuf],
) -> Result<(Inventory, Tables, Labels, Pending), Corrupt> {
    let bytes = bytes_of(&file).get(body..).ok_or(Corrupt)?;
    let at = |r: &Reader<'_>| body + bytes.len() - r.remaining();
    let mut r = Reader::new(bytes);
    let n_words = r.count(1)?;
    let mut words = Vec::with_capacity(n_words);
    for _ in 0..n_words {
        words.push(Text::from(r.str()?));
    }
    let n_sheets = r.count(5)?;
    let mut sheets = Vec::with_capacity(n_sheets);
    for _ in 0..n_sheets {
        let name: Arc<str> = Arc::from(r.str()?);
        sheets.push(Arc::new(Sheet {
            name,
            index: r.u32()?,
        }));
    }
    let base = at(&r);
    let (n_nodes, node_chunks) = chunks(&mut r, base, NODE_CHUNK)?;
    let base = at(&r);
    let (n_links, link_chunks) = chunks(&mut r, base, LINK_CHUNK)?;
    let rest_len = r.usize()?;
    let rest_base = at(&r);
    let mut rest = Reader::new(r.take(rest_len)?);
    let mut table_bytes = Reader::new(r.take(r.remaining())?);
    let mut pending = Pending {
        file: Arc::clone(&file),
        node_chunks,
        nodes: n_nodes,
        link_chunks,
        links: n_links,
        groups: 0..0,
        files: files.to_vec(),
        words,
        sheets,
    };
    // Independent reads, side by side. The nodes' records and the links are not read:
    // [`verified`] read them back before the index was written, and the body's checksum
    // says these are those bytes.
    let (labels, graph_tables) = rayon::join(
        || read_labels(&pending),
        || read_graph_tables(&mut table_bytes, n_nodes, n_links),
    );
    let (labels, graph_tables) = (labels?, graph_tables?);
    if !table_bytes.is_empty() {
        return Err(Corrupt);
    }
    let files = pending.file_names();
    let tables = pending.shared(&files);
    let r = &mut rest;
    let n_policy = r.count(5)?;
    let mut policy = Vec::with_capacity(n_policy);
    for _ in 0..n_policy {
        policy.push(PolicySetting {
            rule: r.str()?.to_owned(),
            severity: match r.u8()? {
                0 => Severity::Error,
                1 => Severity::Warning,
                2 => Severity::Off,
                _ => return Err(Corrupt),
            },
            origin: tables.origin(r)?,
        });
    }
    let n_rto = r.count(4)?;
    let mut rto = Vec::with_capacity(n_rto);
    for _ in 0..n_rto {
        rto.push(RtoTarget {
            grade: Grade::new(i64::from(r.u8()?)).ok_or(Corrupt)?,
            rto_secs: r.var()?,
            origin: tables.origin(r)?,
        });
    }
    // The group declarations are the rest: built with the links.
    pending.groups = rest_base + (rest_len - r.remaining())..rest_base + rest_len;
    let inv = Inventory {
        nodes: Vec::new(),
        links: Vec::new(),
        groups: Vec::new(),
        policy,
        rto,
    };
    Ok((inv, graph_tables, labels, pending))
}

/// The labels of the nodes of `pending`, read on every core a chunk at a time into their
/// places.
fn read_labels(pending: &Pending) -> Result<Labels, Corrupt> {
    let file = bytes_of(&pending.file);
    // Shared by every core: labels clone none of its file names.
    let files = pending.file_names();
    let tables = pending.shared(&files);
    // Every chunk but the last holds NODE_CHUNK nodes ([`chunks`] checked it).
    Labels::filled(pending.nodes, NODE_CHUNK, |k, slots| {
        let (n, range) = pending.node_chunks.get(k).ok_or(Corrupt)?;
        let mut r = Reader::new(file.get(range.clone()).ok_or(Corrupt)?);
        for _ in 0..*n {
            let head = tables.node_label(&mut r, pending.nodes)?;
            let agency = head.agency.map(Text::as_str);
            let (id, name) = (Text::from(head.id), Text::from(head.name));
            if !slots.push(id, name, agency, head.grade) {
                return Err(Corrupt);
            }
        }
        if r.is_empty() && slots.is_full() {
            Ok(())
        } else {
            Err(Corrupt)
        }
    })
}

/// What [`Shared::raw_link`] reads of a link.
struct RawLink<'a> {
    id: &'a str,
    consumer: usize,
    provider: usize,
    flags: u8,
    tolerance_secs: u64,
    /// Group, method and data: word positions.
    words: [Option<usize>; 3],
    calls: Option<f64>,
    file: usize,
    line: usize,
    sheet: Option<usize>,
}

struct Shared<'t> {
    files: &'t [Arc<PathBuf>],
    words: &'t [Text],
    sheets: &'t [Arc<Sheet>],
}

/// The first fields of a node's record: what its label shows.
struct NodeHead<'r, 't> {
    id: &'r str,
    name: &'r str,
    kind: NodeKind,
    agency: Option<&'t Text>,
    grade: Option<Grade>,
}

impl<'t> Shared<'t> {
    fn word(&self, r: &mut Reader<'_>) -> Result<Text, Corrupt> {
        self.words.get(r.usize()?).cloned().ok_or(Corrupt)
    }

    fn opt_word_ref(&self, r: &mut Reader<'_>) -> Result<Option<&'t Text>, Corrupt> {
        match r.usize()? {
            0 => Ok(None),
            i => self.words.get(i - 1).map(Some).ok_or(Corrupt),
        }
    }

    fn origin(&self, r: &mut Reader<'_>) -> Result<Origin, Corrupt> {
        let file = self.files.get(r.usize()?).ok_or(Corrupt)?.clone();
        let line = r.usize()?;
        let sheet = match r.usize()? {
            0 => None,
            i => Some(self.sheets.get(i - 1).ok_or(Corrupt)?.clone()),
        };
        Ok(Origin { file, line, sheet })
    }

    /// A node's id, name, kind, agency and grade: the start of its record.
    fn node_head<'r>(&self, r: &mut Reader<'r>) -> Result<NodeHead<'r, 't>, Corrupt> {
        Ok(NodeHead {
            id: r.str()?,
            name: r.str()?,
            kind: match r.u8()? {
                0 => NodeKind::System,
                1 => NodeKind::Service,
                2 => NodeKind::Site,
                3 => NodeKind::Network,
                4 => NodeKind::External,
                _ => return Err(Corrupt),
            },
            agency: self.opt_word_ref(r)?,
            grade: match r.u8()? {
                0 => None,
                g => Some(Grade::new(i64::from(g)).ok_or(Corrupt)?),
            },
        })
    }

    /// A node, without its sites, and the positions of its sites.
    fn node(&self, r: &mut Reader<'_>, count: usize) -> Result<(Node, Vec<usize>), Corrupt> {
        let head = self.node_head(r)?;
        let n_sites = r.count(1)?;
        let mut sites = Vec::with_capacity(n_sites);
        for _ in 0..n_sites {
            sites.push(r.index(count)?);
        }
        let n_tags = r.count(1)?;
        let mut tags = Vec::with_capacity(n_tags);
        for _ in 0..n_tags {
            tags.push(self.word(r)?);
        }
        let restore_secs = r.var()?;
        let load = r.f64()?;
        let capacity = match r.u8()? {
            0 => None,
            1 => Some(r.f64()?),
            _ => return Err(Corrupt),
        };
        let origin = self.origin(r)?;
        let node = Node {
            id: Text::from(head.id),
            name: Text::from(head.name),
            kind: head.kind,
            agency: head.agency.cloned(),
            grade: head.grade,
            sites: Vec::new(),
            tags,
            restore_secs,
            load,
            capacity,
            origin,
        };
        Ok((node, sites))
    }

    /// A node's label fields, the rest of its record passed over: read as [`Shared::node`]
    /// reads it, every position checked alike, nothing built.
    fn node_label<'r>(
        &self,
        r: &mut Reader<'r>,
        count: usize,
    ) -> Result<NodeHead<'r, 't>, Corrupt> {
        let head = self.node_head(r)?;
        for _ in 0..r.count(1)? {
            r.index(count)?;
        }
        for _ in 0..r.count(1)? {
            r.index(self.words.len())?;
        }
        r.var()?;
        r.f64()?;
        match r.u8()? {
            0 => {}
            1 => {
                r.f64()?;
            }
            _ => return Err(Corrupt),
        }
        r.index(self.files.len())?;
        r.usize()?;
        match r.usize()? {
            i if i <= self.sheets.len() => Ok(head),
            _ => Err(Corrupt),
        }
    }

    /// A link as written: its text borrowed, its nodes, words, file and sheet as
    /// positions, every one checked against the tables (the check made of every link of
    /// an index before it is written).
    fn raw_link<'a>(&self, r: &mut Reader<'a>, nodes: usize) -> Result<RawLink<'a>, Corrupt> {
        let word = |r: &mut Reader<'_>| match r.usize()? {
            0 => Ok(None),
            i if i <= self.words.len() => Ok(Some(i - 1)),
            _ => Err(Corrupt),
        };
        let id = r.str()?;
        let consumer = r.index(nodes)?;
        let provider = r.index(nodes)?;
        let flags = r.u8()?;
        if flags >> 6 != 0 || flags & 3 == 3 {
            return Err(Corrupt);
        }
        let tolerance_secs = r.var()?;
        let group = word(r)?;
        let method = word(r)?;
        let data = word(r)?;
        let calls = if flags >> 5 & 1 == 1 {
            Some(r.f64()?)
        } else {
            None
        };
        let file = r.index(self.files.len())?;
        let line = r.usize()?;
        let sheet = match r.usize()? {
            0 => None,
            i if i <= self.sheets.len() => Some(i - 1),
            _ => return Err(Corrupt),
        };
        Ok(RawLink {
            id,
            consumer,
            provider,
            flags,
            tolerance_secs,
            words: [group, method, data],
            calls,
            file,
            line,
            sheet,
        })
    }

    fn link(&self, r: &mut Reader<'_>, ids: &[&Text]) -> Result<Link, Corrupt> {
        let raw = self.raw_link(r, ids.len())?;
        let node = |i: usize| ids.get(i).map(|&id| id.clone()).ok_or(Corrupt);
        let word = |i: Option<usize>| match i {
            None => Ok(None),
            Some(i) => self.words.get(i).cloned().map(Some).ok_or(Corrupt),
        };
        let flags = raw.flags;
        let [group, method, data] = raw.words;
        Ok(Link {
            id: Text::from(raw.id),
            consumer: node(raw.consumer)?,
            provider: node(raw.provider)?,
            kind: match flags & 3 {
                0 => LinkKind::Interface,
                1 => LinkKind::Hosting,
                _ => LinkKind::Network,
            },
            mode: if flags >> 2 & 1 == 0 {
                Mode::Sync
            } else {
                Mode::Async
            },
            tolerance_secs: raw.tolerance_secs,
            effect: if flags >> 3 & 1 == 0 {
                Effect::Down
            } else {
                Effect::Degraded
            },
            group: word(group)?,
            method: word(method)?,
            data: word(data)?,
            calls: raw.calls,
            from_sites: flags >> 4 & 1 == 1,
            origin: Origin {
                file: self.files.get(raw.file).ok_or(Corrupt)?.clone(),
                line: raw.line,
                sheet: match raw.sheet {
                    None => None,
                    Some(i) => Some(self.sheets.get(i).ok_or(Corrupt)?.clone()),
                },
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sample inventory, its tables and its file.
    fn sample() -> (Inventory, Tables, Vec<PathBuf>) {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("inventories/korea-egov.toml");
        let mut inv = crate::inventory::load(&path).unwrap();
        let tables = Tables::build(&mut inv);
        (inv, tables, vec![path])
    }

    #[test]
    fn a_hit_reads_the_labels_of_the_nodes_it_leaves_in_the_index() {
        let (inv, tables, files) = sample();
        let body = encode(&inv, &tables, &files).unwrap();
        let (partial, _, labels, pending) =
            decode_pending(Arc::new(body.clone()) as Bytes, 0, &files).unwrap();
        assert!(partial.nodes.is_empty(), "the nodes are left in the index");
        assert_eq!(labels, Labels::of(&inv.nodes));
        assert_eq!(pending.try_nodes().unwrap(), inv.nodes);
        assert_eq!(pending.build_nodes(), inv.nodes);
        // A node's record cut short, or of a kind there is not, is refused.
        let (_, range) = pending.node_chunks.first().cloned().unwrap();
        let mut bad = body.clone();
        bad.drain(range.end - 1..range.end);
        assert!(decode_pending(Arc::new(bad) as Bytes, 0, &files).is_err());
        let mut bad = body.clone();
        // The first record: id (length, bytes), name (length, bytes), kind.
        let id_len = usize::from(bad[range.start]);
        let kind_at = range.start + 2 + id_len + usize::from(bad[range.start + 1 + id_len]);
        assert!(bad[kind_at] < 5, "a node kind");
        bad[kind_at] = 5;
        assert!(decode_pending(Arc::new(bad) as Bytes, 0, &files).is_err());
    }

    #[test]
    fn a_hit_reads_the_dependants_as_written_and_refuses_any_out_of_range() {
        let (inv, tables, files) = sample();
        let body = encode(&inv, &tables, &files).unwrap();
        let decoded = |b: &[u8]| decode_pending(Arc::new(b.to_vec()) as Bytes, 0, &files);
        let (_, read, _, _) = decoded(&body).unwrap();
        assert_eq!(read.deps, tables.deps);
        assert!(!read.deps.parts().1.is_empty());
        // The dependants are the body's last bytes: the last one's link, consumer and group,
        // each set past the end of its table, and a row start set below the one before.
        let last = body.len() - DEP_BYTES;
        for field in 0..3 {
            let mut bad = body.clone();
            bad[last + 4 * field..last + 4 * field + 4].copy_from_slice(&u32::MAX.to_le_bytes());
            assert!(decoded(&bad).is_err(), "field {field}");
        }
        let deps = tables.deps.parts().1.len();
        let start = body.len() - deps * DEP_BYTES - 4 * (inv.nodes.len() + 1);
        let mut bad = body.clone();
        bad[start + 4..start + 8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(decoded(&bad).is_err(), "a start past the items");
    }

    #[test]
    fn an_index_whose_group_declarations_would_not_build_is_not_verified() {
        // A hit leaves the declarations unread with the links: a body whose declarations
        // fail must fail the check made before it is written.
        let (inv, tables, files) = sample();
        assert!(!inv.groups.is_empty());
        let body = Arc::new(encode(&inv, &tables, &files).unwrap());
        assert!(verified(&body, &files));
        let (_, _, _, links) = decode_pending(Arc::clone(&body) as Bytes, 0, &files).unwrap();
        assert_eq!(links.group_decls(&inv.nodes).unwrap(), inv.groups);
        // More declarations than the bytes can hold.
        let mut bad = (*body).clone();
        bad[links.groups.start] = 0x7f;
        let bad = Arc::new(bad);
        assert!(decode_pending(Arc::clone(&bad) as Bytes, 0, &files).is_ok());
        assert!(!verified(&bad, &files));
    }
}
