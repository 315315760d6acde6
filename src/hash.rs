//! Hash tables keyed by ids, and numbers for strings.

/// A hash map keyed by strings and small tuples, with a fast non-cryptographic hash
/// (inventories are files, not network input; iteration order is never relied on).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

/// A hash set with the same fast hash as [`FastMap`].
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Numbers strings 0, 1, 2 … in the order they are first seen: tables keyed by these
/// numbers hash and compare faster than tables keyed by text, and never reach back into
/// the records the text sits in.
#[derive(Debug, Default)]
pub(crate) struct Numbering<'a>(FastMap<&'a str, u32>);

impl<'a> Numbering<'a> {
    /// The number of `s`, given now if `s` is new.
    pub fn number(&mut self, s: &'a str) -> u32 {
        let next = self.0.len() as u32;
        *self.0.entry(s).or_insert(next)
    }
}
