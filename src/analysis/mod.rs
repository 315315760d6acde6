//! Analyses over a whole inventory.

mod stats;

pub use stats::{InventoryStats, SiteStats, stats};
