//! Colours shared by every diagram format (DOT, SVG, HTML, Mermaid), so that a legend
//! reads the same everywhere.

use crate::grade::Grade;
use crate::view::Mark;

/// Failed by the scenario.
pub const SEED: &str = "#8b0000";
/// Down.
pub const DOWN: &str = "#e8613c";
/// Degraded.
pub const DEGRADED: &str = "#ffd45e";
/// Unaffected.
pub const UNAFFECTED: &str = "#f4f4f4";
/// Changed by the scenario.
pub const CHANGED: &str = "#4b2a85";
/// Direct consumer of a change.
pub const DIRECT: &str = "#9c8fd0";
/// Transitive consumer of a change.
pub const TRANSITIVE: &str = "#dcd6f2";
/// Witness paths and failed links.
pub const WITNESS: &str = "#b2182b";
/// Hosting links.
pub const HOSTING: &str = "#3b73b9";
/// Network links.
pub const NETWORK: &str = "#2e8b57";
/// Ordinary links.
pub const LINK: &str = "#555555";
/// Saturated in a surge (load above capacity).
pub const SATURATED: &str = "#c0182b";
/// Loaded to 80 % of capacity or more.
pub const HOT: &str = "#f08a3c";
/// Loaded to 50 % or more.
pub const WARM: &str = "#ffd45e";
/// Loaded below 50 %.
pub const COOL: &str = "#b8e0a8";
/// Loaded, without a capacity.
pub const NO_CAPACITY: &str = "#c9d6e8";

/// Fill colour and whether the text must be white, for a mark.
pub fn fill(mark: Mark) -> (&'static str, bool) {
    match mark {
        Mark::Unaffected => (UNAFFECTED, false),
        Mark::Seed => (SEED, true),
        Mark::Down(_) => (DOWN, false),
        Mark::Degraded(_) => (DEGRADED, false),
        Mark::Changed => (CHANGED, true),
        Mark::Reached(1) => (DIRECT, false),
        Mark::Reached(_) => (TRANSITIVE, false),
        Mark::Load { .. } => load_fill(mark.utilization()),
    }
}

/// The fill of a loaded node by utilization (`None`: no capacity), and whether its text
/// must be white.
pub fn load_fill(utilization: Option<f64>) -> (&'static str, bool) {
    match utilization {
        None => (NO_CAPACITY, false),
        Some(u) if u > 1.0 => (SATURATED, true),
        Some(u) if u >= 0.8 => (HOT, false),
        Some(u) if u >= 0.5 => (WARM, false),
        Some(_) => (COOL, false),
    }
}

/// The colour of a grade on a chart, as red, green and blue: 1 red, 2 orange, 3 blue,
/// 4 green, ungraded grey.
pub fn grade_rgb(g: Option<Grade>) -> (u8, u8, u8) {
    match g.map(Grade::get) {
        Some(1) => (200, 30, 30),
        Some(2) => (230, 130, 0),
        Some(3) => (40, 90, 200),
        Some(_) => (40, 150, 70),
        None => (130, 130, 130),
    }
}
