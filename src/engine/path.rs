//! Witness paths: each affected node keeps only the node it was reached from, and whole
//! paths are rebuilt on demand. A failure along a chain of `n` systems has paths of total
//! length `n²/2`; keeping one predecessor per node keeps results (and memory) linear, and
//! lets a renderer stream full paths, shorten them, or print the predecessor alone.

use std::sync::OnceLock;

use serde::Serialize;
use smallvec::SmallVec;

use crate::graph::{Graph, NodeIx};

/// A chain of node ids, held inline up to four ids (without allocating): most witness
/// paths are that short.
pub type Path<'g> = SmallVec<[&'g str; 4]>;

/// How witness paths are written in JSON.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PathMode {
    /// Each row's whole path, as `"path": ["gpki", "saeol", …]` (the default).
    #[default]
    Full,
    /// Each row's witness predecessor alone, as `"via": "saeol"` (`null` for seeds):
    /// output linear in the number of rows, from which any path can be rebuilt.
    Via,
}

/// Where a result's JSON writes its rows: all of them in place, or a marker in their
/// place, for a writer that draws the rows itself on every core (the command-line
/// documents: tens of thousands of rows, most of the time of writing them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RowsJson {
    /// Every row, in place.
    #[default]
    InPlace,
    /// The string [`ROWS_MARKER`] in place of the rows.
    Marker,
}

/// What [`RowsJson::Marker`] writes in place of the rows: a string no text of an
/// inventory serializes to where a key's value starts (`": "` then it, quotes unescaped).
pub const ROWS_MARKER: &str = "\u{1}ripplemap-rows\u{1}";

/// How many nodes a shortened path keeps at each end.
const KEEP: usize = 2;

/// A witness path as a table shows it: paths of more than `2 * KEEP + 1` nodes keep their
/// first and last nodes, and count the ones left out between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortPath<'g> {
    /// The first nodes (the whole path when nothing is left out).
    pub head: Path<'g>,
    /// How many nodes are left out between `head` and `tail`.
    pub hidden: usize,
    /// The last nodes (empty when nothing is left out).
    pub tail: Path<'g>,
}

/// One step back along a witness: the predecessor, and whether the path ends there (a
/// seed link's provider, or a changed link's provider, which is not itself affected).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Step {
    pub via: Option<NodeIx>,
    pub ends: bool,
}

/// The witness predecessor of every node of a result, to rebuild its paths.
#[derive(Debug, Clone)]
pub(crate) struct Witness<'g> {
    graph: &'g Graph,
    steps: Vec<Step>,
    /// The first `KEEP` nodes of each node's path, computed the first time a short path is
    /// asked for (in one pass over the rows, predecessors first).
    heads: OnceLock<Vec<[Option<NodeIx>; KEEP]>>,
}

impl PartialEq for Witness<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.graph, other.graph) && self.steps == other.steps
    }
}

impl<'g> Witness<'g> {
    /// The witness of `steps`, one per node of `graph`.
    pub fn new(graph: &'g Graph, steps: Vec<Step>) -> Self {
        Witness {
            graph,
            steps,
            heads: OnceLock::new(),
        }
    }

    /// The nodes of `v`'s path from `v` back to its start.
    fn back(&self, v: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
        let mut next = Some(v);
        let mut ended = false;
        std::iter::from_fn(move || {
            let cur = next?;
            next = if ended {
                None
            } else {
                let s = self.steps.get(cur.index()).copied().unwrap_or_default();
                ended = s.ends;
                s.via
            };
            Some(cur)
        })
    }

    /// The whole path of `v`, its start first.
    pub fn path(&self, v: NodeIx) -> Path<'g> {
        let mut p: Path<'g> = self.back(v).map(|x| self.graph.node_id(x)).collect();
        p.reverse();
        p
    }

    /// The path of `v` (of `len` nodes) shortened for a table; `rows` lists every node that
    /// has a path, each after its predecessor.
    pub fn short(
        &self,
        v: NodeIx,
        len: usize,
        rows: impl Iterator<Item = NodeIx>,
    ) -> ShortPath<'g> {
        if len <= 2 * KEEP + 1 {
            return ShortPath {
                head: self.path(v),
                hidden: 0,
                tail: Path::new(),
            };
        }
        let heads = self.heads.get_or_init(|| self.heads(rows));
        let head = heads
            .get(v.index())
            .into_iter()
            .flatten()
            .flatten()
            .map(|&x| self.graph.node_id(x))
            .collect();
        let mut tail: Path<'g> = self
            .back(v)
            .take(KEEP)
            .map(|x| self.graph.node_id(x))
            .collect();
        tail.reverse();
        ShortPath {
            head,
            hidden: len - 2 * KEEP,
            tail,
        }
    }

    /// Works out the first nodes of every path now, from `rows` (every node that has a
    /// path, each after its predecessor), so that rows can be left out afterwards.
    pub fn prepare(&self, rows: impl Iterator<Item = NodeIx>) {
        self.heads.get_or_init(|| self.heads(rows));
    }

    /// The first nodes of every path, predecessors before the nodes they lead to.
    fn heads(&self, rows: impl Iterator<Item = NodeIx>) -> Vec<[Option<NodeIx>; KEEP]> {
        let mut heads = vec![[None; KEEP]; self.steps.len()];
        for v in rows {
            let s = self.steps.get(v.index()).copied().unwrap_or_default();
            // The predecessor's head (or the predecessor alone, where the path ends there),
            // then `v` itself in the first free place.
            let mut h = match s.via {
                Some(p) if !s.ends => heads.get(p.index()).copied().unwrap_or([None; KEEP]),
                Some(p) => {
                    let mut h = [None; KEEP];
                    h[0] = Some(p);
                    h
                }
                None => [None; KEEP],
            };
            if let Some(free) = h.iter_mut().find(|x| x.is_none()) {
                *free = Some(v);
            }
            if let Some(slot) = heads.get_mut(v.index()) {
                *slot = h;
            }
        }
        heads
    }
}

/// A path written as a JSON array as it is walked, without keeping it.
pub(crate) struct PathOut<'a, 'g> {
    pub witness: &'a Witness<'g>,
    pub node: NodeIx,
}

impl Serialize for PathOut<'_, '_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // Rebuilt per row and dropped at once: memory follows the longest path, not the
        // output.
        s.collect_seq(self.witness.path(self.node))
    }
}
