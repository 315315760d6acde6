//! Which rows of a large result to show (`--state`, `--grade`, `--agency`, `--limit`). A
//! filter keeps the summary whole: it counts every row, and [`Shown`] says how many rows
//! were kept and what was left out.

use serde::Serialize;

use super::{ChangeImpact, Impact, State};
use crate::grade::Grade;

/// The rows to keep: those matching every given condition (any of the values of one
/// condition), then at most `limit` of them, in the result's order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RowFilter {
    /// Down or degraded (failed nodes are down); empty: any state.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub states: Vec<State>,
    /// Grades; `None` stands for ungraded nodes. Empty: any grade.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub grades: Vec<Option<Grade>>,
    /// Owning agencies, as the inventory spells them. Empty: any agency.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agencies: Vec<String>,
    /// At most this many rows.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
}

impl RowFilter {
    /// Whether it leaves anything out at all.
    pub fn is_active(&self) -> bool {
        !self.states.is_empty()
            || !self.grades.is_empty()
            || !self.agencies.is_empty()
            || self.limit.is_some()
    }

    /// Whether a row of this state (`None`: a row without one), grade and agency matches
    /// the conditions (the limit aside).
    pub fn keeps(&self, state: Option<State>, grade: Option<Grade>, agency: Option<&str>) -> bool {
        (self.states.is_empty() || state.is_some_and(|s| self.states.contains(&s)))
            && (self.grades.is_empty() || self.grades.contains(&grade))
            && (self.agencies.is_empty()
                || agency.is_some_and(|a| self.agencies.iter().any(|x| x == a)))
    }
}

/// How many rows a filter kept out of how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Rows kept.
    pub rows: usize,
    /// Rows of the whole result.
    pub total: usize,
    /// Rows left out: `total - rows`.
    pub left_out: usize,
    /// Rows that meet the conditions, before the limit (`rows` when there is none).
    pub matched: usize,
    /// The filter.
    pub filter: RowFilter,
}

impl Shown {
    fn new(rows: usize, matched: usize, total: usize, filter: &RowFilter) -> Self {
        Shown {
            rows,
            total,
            left_out: total - rows,
            matched,
            filter: filter.clone(),
        }
    }
}

impl Impact<'_> {
    /// Keeps only the rows `filter` keeps; the summary still counts every row and
    /// [`Impact::shown`] says what was left out. Shortened paths stay those of the whole
    /// result.
    pub fn filter(&mut self, filter: &RowFilter) {
        if !filter.is_active() {
            return;
        }
        self.prepare_short_paths();
        self.shown = Some(keep(&mut self.affected, filter, |a| {
            filter.keeps(Some(a.state), a.grade, a.agency)
        }));
    }
}

impl ChangeImpact<'_> {
    /// Keeps only the rows `filter` keeps (a change has no states: a state condition keeps
    /// nothing); the summary still counts every row and [`ChangeImpact::shown`] says what
    /// was left out.
    pub fn filter(&mut self, filter: &RowFilter) {
        if !filter.is_active() {
            return;
        }
        self.prepare_short_paths();
        self.shown = Some(keep(&mut self.affected, filter, |r| {
            filter.keeps(None, r.grade, r.agency)
        }));
    }
}

/// Keeps the rows `keeps` accepts, then at most `filter.limit` of them; says how many.
fn keep<T>(rows: &mut Vec<T>, filter: &RowFilter, keeps: impl Fn(&T) -> bool) -> Shown {
    let total = rows.len();
    rows.retain(|r| keeps(r));
    let matched = rows.len();
    if let Some(n) = filter.limit {
        rows.truncate(n);
    }
    Shown::new(rows.len(), matched, total, filter)
}

/// A grade condition as `--grade` and the explorer's `grade=` take it: 1 to 4, or
/// `ungraded` (`None`).
pub fn parse_grade(s: &str) -> Result<Option<Grade>, String> {
    if s.trim().eq_ignore_ascii_case("ungraded") {
        return Ok(None);
    }
    s.trim()
        .parse::<i64>()
        .ok()
        .and_then(Grade::new)
        .map(Some)
        .ok_or_else(|| format!("`{s}` is not a grade: 1 (most critical) to 4, or ungraded"))
}

/// The first of `agencies` that is not one of `known` (the agencies the nodes have, each
/// once: [`crate::graph::Graph::agencies`]), with the closest agencies that exist (a typo
/// in a filter would otherwise show nothing).
pub fn unknown_agency<'a>(
    known: &[crate::inventory::Text],
    agencies: &'a [String],
) -> Option<(&'a str, Vec<String>)> {
    let unknown = agencies
        .iter()
        .find(|a| !known.iter().any(|k| k == a.as_str()))?;
    // Suggested in name order, whatever order the agencies were numbered in.
    let mut all: Vec<&str> = known.iter().map(|k| k.as_str()).collect();
    all.sort_unstable();
    let closest = crate::inventory::closest(unknown, all, 3)
        .into_iter()
        .map(str::to_owned)
        .collect();
    Some((unknown.as_str(), closest))
}
