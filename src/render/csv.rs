//! CSV for spreadsheets: the impact, change, rank and scenario tables, one row per node or
//! scenario, with grade counts in their own columns.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::analysis::{Ranking, Sweeps};
use crate::engine::{ChangeImpact, Impact, State};
use crate::grade::Grade;
use crate::lang::Lang;
use crate::render::style;

fn opt(g: Option<Grade>) -> String {
    g.map(|g| g.to_string()).unwrap_or_default()
}

/// The failure impact, one row per affected node, with the table's columns and the hour
/// it goes down or degrades: `at_hours,state,id,name,grade,agency,path` (state `FAILED`
/// for the nodes the scenario fails, paths shortened as in the table).
pub fn impact(imp: &Impact, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["at_hours", "state", "id", "name", "grade", "agency", "path"])?;
    for a in &imp.affected {
        let state = match (a.state, a.seed) {
            (_, true) => "FAILED",
            (State::Down, false) => "down",
            (State::Degraded, false) => "degraded",
        };
        out.write_record([
            a.at_hours.to_string().as_str(),
            state,
            a.id,
            a.name,
            &opt(a.grade),
            a.agency.unwrap_or_default(),
            &style::path(Lang::En, &imp.short_path(a), " -> ", Cow::from),
        ])?;
    }
    out.flush()
}

/// The change impact, one row per affected node with the table's columns:
/// `depth,id,name,grade,agency,path` (depth 1: direct consumers, who must retest).
pub fn change(ch: &ChangeImpact, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["depth", "id", "name", "grade", "agency", "path"])?;
    for r in &ch.affected {
        out.write_record([
            r.depth.to_string().as_str(),
            r.id,
            r.name,
            &opt(r.grade),
            r.agency.unwrap_or_default(),
            &style::path(Lang::En, &ch.short_path(r), " -> ", Cow::from),
        ])?;
    }
    out.flush()
}

/// The ranking, one row per node.
pub fn rank(r: &Ranking, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "rank",
        "id",
        "name",
        "grade",
        "agency",
        "score",
        "down",
        "down_g1",
        "down_g2",
        "down_g3",
        "down_g4",
        "down_ungraded",
        "degraded",
        "most_critical",
        "most_critical_grade",
        "spof",
    ])?;
    for row in &r.rows {
        let c = &row.down_by_grade;
        out.write_record([
            row.rank.to_string(),
            row.id.clone(),
            row.name.clone(),
            opt(row.grade),
            row.agency.clone().unwrap_or_default(),
            row.score.to_string(),
            row.down.to_string(),
            c.count(Some(Grade::G1)).to_string(),
            c.count(Some(Grade::G2)).to_string(),
            c.count(Some(Grade::G3)).to_string(),
            c.count(Some(Grade::G4)).to_string(),
            c.count(None).to_string(),
            row.degraded.to_string(),
            row.most_critical
                .as_ref()
                .map(|m| m.id.clone())
                .unwrap_or_default(),
            opt(row.most_critical.as_ref().and_then(|m| m.grade)),
            row.single_point_of_failure.to_string(),
        ])?;
    }
    out.flush()
}

/// The scenario sweep, one row per scenario.
pub fn scenarios(s: &Sweeps, w: &mut dyn Write) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "scenario",
        "failed",
        "down",
        "down_g1",
        "down_g2",
        "down_g3",
        "down_g4",
        "down_ungraded",
        "degraded",
        "only_together",
        "most_critical",
        "most_critical_grade",
    ])?;
    for r in &s.rows {
        let c = &r.down_by_grade;
        out.write_record([
            r.scenario.clone(),
            r.failed.join(";"),
            r.down.to_string(),
            c.count(Some(Grade::G1)).to_string(),
            c.count(Some(Grade::G2)).to_string(),
            c.count(Some(Grade::G3)).to_string(),
            c.count(Some(Grade::G4)).to_string(),
            c.count(None).to_string(),
            r.degraded.to_string(),
            r.only_together.map(|n| n.to_string()).unwrap_or_default(),
            r.most_critical
                .as_ref()
                .map(|m| m.id.clone())
                .unwrap_or_default(),
            opt(r.most_critical.as_ref().and_then(|m| m.grade)),
        ])?;
    }
    out.flush()
}
