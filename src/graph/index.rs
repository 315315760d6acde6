//! Typed positions of nodes, links and groups in a [`Graph`](super::Graph).
//!
//! Each is a `u32` position stored as position + 1 in a `NonZeroU32`, so that
//! `Option<NodeIx>` is as small as a `NodeIx`: optional references in dense per-node
//! tables (a witness's provider, a reached node's predecessor) cost no extra space and
//! need no sentinel value.

use std::num::NonZeroU32;

macro_rules! index_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(NonZeroU32);

        impl $name {
            /// The item at position `i` (positions stay below `u32::MAX`: a graph holds at
            /// most that many items of a kind, which [`Graph::new`](super::Graph::new)
            /// ensures).
            #[inline]
            pub(crate) fn new(i: usize) -> Self {
                let raw = u32::try_from(i).ok().and_then(|i| i.checked_add(1));
                $name(raw.and_then(NonZeroU32::new).unwrap_or(NonZeroU32::MAX))
            }

            /// The position, for indexing dense tables.
            #[inline]
            pub fn index(self) -> usize {
                (self.0.get() - 1) as usize
            }
        }
    };
}

index_type!(
    /// A node's position in a graph; nodes are in id order, so position order is id order.
    NodeIx
);
index_type!(
    /// A link's position in a graph; links are in id order.
    LinkIx
);
index_type!(
    /// A redundancy group's position in a graph (groups that tolerate losses first).
    GroupIx
);
index_type!(
    /// An agency's number in a graph (in order of first use).
    AgencyIx
);
