//! Criticality grades, and tables that hold one value per grade.

use std::fmt;

use serde::Serialize;
use serde::ser::SerializeMap;

/// A criticality grade: 1 (the most critical) to 4. An ungraded node has `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Grade(u8);

impl Grade {
    /// Grade 1, the most critical.
    pub const G1: Grade = Grade(1);
    /// Grade 2.
    pub const G2: Grade = Grade(2);
    /// Grade 3.
    pub const G3: Grade = Grade(3);
    /// Grade 4, the least critical.
    pub const G4: Grade = Grade(4);
    /// Every grade, the most critical first.
    pub const ALL: [Grade; 4] = [Grade::G1, Grade::G2, Grade::G3, Grade::G4];

    /// The grade numbered `n`, if `n` is 1 to 4.
    pub fn new(n: i64) -> Option<Grade> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=4).contains(n))
            .map(Grade)
    }

    /// The grade's number, 1 to 4.
    pub fn get(self) -> u8 {
        self.0
    }

    /// A sort key that puts `None` (ungraded) after grade 4: the most critical first.
    pub fn rank(grade: Option<Grade>) -> u8 {
        grade.map_or(u8::MAX, Grade::get)
    }

    /// The more critical of two optional grades (a grade beats none).
    pub fn most_critical(a: Option<Grade>, b: Option<Grade>) -> Option<Grade> {
        match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

impl fmt::Display for Grade {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One value per grade, and one for ungraded nodes: counts of nodes, weights of a score.
/// Serialized as `{"1": …, "2": …, "3": …, "4": …, "ungraded": …}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ByGrade<T> {
    /// Grades 1 to 4 at 0 to 3, ungraded at 4.
    values: [T; 5],
}

/// Node counts per grade.
pub type GradeCounts = ByGrade<usize>;

impl<T> ByGrade<T> {
    /// The grades in table order: 1 to 4, then ungraded (`None`).
    pub const KEYS: [Option<Grade>; 5] = [
        Some(Grade::G1),
        Some(Grade::G2),
        Some(Grade::G3),
        Some(Grade::G4),
        None,
    ];

    /// A table from its values in [`ByGrade::KEYS`] order.
    pub const fn from_values(values: [T; 5]) -> Self {
        ByGrade { values }
    }

    fn slot(grade: Option<Grade>) -> usize {
        grade.map_or(4, |g| usize::from(g.get() - 1))
    }

    /// The value for `grade` (`None` = ungraded).
    pub fn get(&self, grade: Option<Grade>) -> &T {
        &self.values[Self::slot(grade)]
    }

    /// The value for `grade`, to change it.
    pub fn get_mut(&mut self, grade: Option<Grade>) -> &mut T {
        &mut self.values[Self::slot(grade)]
    }

    /// Each grade with its value, in [`ByGrade::KEYS`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Option<Grade>, &T)> + '_ {
        Self::KEYS.into_iter().zip(&self.values)
    }
}

impl ByGrade<usize> {
    /// Counts one node of `grade`.
    pub fn add(&mut self, grade: Option<Grade>) {
        *self.get_mut(grade) += 1;
    }

    /// Uncounts one node of `grade` (no count goes below zero).
    pub fn remove(&mut self, grade: Option<Grade>) {
        let slot = self.get_mut(grade);
        *slot = slot.saturating_sub(1);
    }

    /// The count for `grade`.
    pub fn count(&self, grade: Option<Grade>) -> usize {
        *self.get(grade)
    }

    /// The grades with a count above zero and their counts, in [`ByGrade::KEYS`] order.
    pub fn nonzero(&self) -> impl Iterator<Item = (Option<Grade>, usize)> + '_ {
        self.iter().map(|(g, &n)| (g, n)).filter(|&(_, n)| n > 0)
    }

    /// Total over all grades.
    pub fn total(&self) -> usize {
        self.values.iter().sum()
    }
}

impl<T: Serialize> Serialize for ByGrade<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        const NAMES: [&str; 5] = ["1", "2", "3", "4", "ungraded"];
        let mut map = s.serialize_map(Some(5))?;
        for (name, value) in NAMES.iter().zip(&self.values) {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_are_one_to_four() {
        assert_eq!(Grade::new(1), Some(Grade::G1));
        assert_eq!(Grade::new(4).map(Grade::get), Some(4));
        assert_eq!(Grade::new(0), None);
        assert_eq!(Grade::new(5), None);
        assert_eq!(Grade::new(-1), None);
        assert!(Grade::rank(Some(Grade::G4)) < Grade::rank(None));
        assert_eq!(
            Grade::most_critical(Some(Grade::G3), Some(Grade::G2)),
            Some(Grade::G2)
        );
        assert_eq!(Grade::most_critical(None, Some(Grade::G3)), Some(Grade::G3));
    }

    #[test]
    fn counts_serialize_by_grade_name() {
        let mut c = GradeCounts::default();
        c.add(Some(Grade::G1));
        c.add(None);
        c.add(None);
        c.remove(Some(Grade::G4));
        assert_eq!(c.total(), 3);
        assert_eq!(
            serde_json::to_string(&c).ok().as_deref(),
            Some(r#"{"1":1,"2":0,"3":0,"4":0,"ungraded":2}"#)
        );
        assert_eq!(
            c.nonzero().collect::<Vec<_>>(),
            vec![(Some(Grade::G1), 1), (None, 2)]
        );
    }
}
