//! Analyses over a whole inventory.

pub mod cuts;
pub mod rank;
pub mod recover;
pub mod scenarios;
pub mod select;
mod shared;
mod stats;
pub mod surge;

pub use cuts::{CutError, CutOptions, Cuts, cuts};
pub use rank::{RankOptions, RankRow, Ranking, Weights, rank};
pub use recover::{
    Breach, CrewWhatIf, GradeSummary, Hold, HoldOn, RecoverOptions, RecoveryPlan, Step, Times,
    Wait, WhatIf, recover, recover_with, targets_of, what_if,
};
pub use scenarios::{ScenarioRow, Sweep, SweepError, SweepOptions, Sweeps, sweep};
pub use select::{SelectError, select};
pub use stats::{InventoryStats, LoadStats, SiteStats, stats};

/// Progress of long work, reported by the analyses and drawn (or not) by the caller.
/// Implementations must be cheap: `advance` is called once per unit of work, from
/// several threads.
pub trait Progress: Sync {
    /// Work of `len` units called `what` starts.
    fn start(&self, len: u64, what: &str);
    /// `n` more units are done.
    fn advance(&self, n: u64);
    /// The work is over.
    fn finish(&self);
}

/// Progress that is not shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: u64, _: &str) {}
    fn advance(&self, _: u64) {}
    fn finish(&self) {}
}
pub mod assess;
pub mod diff;
pub mod policy;
