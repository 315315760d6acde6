//! Tables and CSV for the whole-inventory analyses: rank, scenarios, cuts and recovery
//! plans. Nothing here computes; each function takes a computed value and writes it.

use std::fmt::Write as _;

use comfy_table::{Attribute, Cell, CellAlignment, Color};

use super::hours;
use super::table::{cell, printable, table};
use super::{Style, grade_text, paint};
use crate::analysis::cuts::COUNT_FACTOR;
use crate::analysis::rank::Worst;
use crate::analysis::{Cuts, Ranking, RecoveryPlan, Sweeps};
use crate::grade::{Grade, GradeCounts};

fn num(n: impl ToString) -> Cell {
    Cell::new(n.to_string()).set_alignment(CellAlignment::Right)
}

fn grade(g: Option<Grade>) -> Cell {
    Cell::new(grade_text(g)).set_alignment(CellAlignment::Center)
}

/// Down counts per grade, compactly: `g1 3 · g2 5`, `-` when none.
fn by_grade(c: &GradeCounts) -> String {
    let parts: Vec<String> = c
        .nonzero()
        .map(|(g, n)| match g {
            Some(g) => format!("g{g} {n}"),
            None => format!("- {n}"),
        })
        .collect();
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" · ")
    }
}

fn worst(w: &Option<Worst>) -> String {
    match w {
        Some(Worst { id, grade: Some(g) }) => format!("{id} (g{g})"),
        Some(Worst { id, grade: None }) => id.clone(),
        None => "-".to_owned(),
    }
}

fn horizon(h: Option<f64>) -> String {
    match h {
        Some(h) => format!("within {}", hours(h)),
        None => "no horizon: the outage lasts".to_owned(),
    }
}

/// The criticality ranking: one row per node, single points of failure marked.
pub fn rank(r: &Ranking, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} of {} nodes by the grade-weighted count of what their failure alone takes down ({})",
        paint(style, "Criticality", "1"),
        r.nodes,
        horizon(r.horizon_hours)
    );
    let w = &r.weights;
    let _ = writeln!(
        out,
        "weights: grade 1 = {}, 2 = {}, 3 = {}, 4 = {}, ungraded = {}\n",
        w.of(Some(Grade::G1)),
        w.of(Some(Grade::G2)),
        w.of(Some(Grade::G3)),
        w.of(Some(Grade::G4)),
        w.of(None)
    );
    let mut t = table(
        style,
        &[
            "#",
            "id",
            "grade",
            "score",
            "down",
            "by grade",
            "degraded",
            "most critical down",
            "SPOF",
        ],
    );
    for row in &r.rows {
        let spof = if row.single_point_of_failure {
            if style.color {
                Cell::new("SPOF")
                    .fg(Color::Red)
                    .add_attribute(Attribute::Bold)
            } else {
                Cell::new("SPOF")
            }
        } else {
            Cell::new("")
        };
        t.add_row(vec![
            num(row.rank),
            cell(&row.id),
            grade(row.grade),
            num(row.score),
            num(row.down),
            cell(&by_grade(&row.down_by_grade)),
            num(row.degraded),
            cell(&worst(&row.most_critical)),
            spof,
        ]);
    }
    let _ = writeln!(out, "{t}");
    let _ = writeln!(
        out,
        "\n{} single points of failure (a failure alone takes down a grade 1 system other than itself); {} of {} nodes shown",
        r.single_points_of_failure,
        r.rows.len(),
        r.nodes
    );
    out
}

/// The ranking as CSV, one row per node.
pub fn rank_csv(r: &Ranking) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    for row in &r.rows {
        let c = &row.down_by_grade;
        let _ = w.write_record([
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
        ]);
    }
    csv_text(w)
}

fn opt(g: Option<Grade>) -> String {
    g.map(|g| g.to_string()).unwrap_or_default()
}

fn csv_text(w: csv::Writer<Vec<u8>>) -> String {
    w.into_inner()
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The scenario sweep: one row per scenario.
pub fn scenarios(s: &Sweeps, style: Style) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {}: {} scenarios ({})\n",
        paint(style, "Scenarios:", "1"),
        printable(&s.sweep),
        s.scenarios,
        horizon(s.horizon_hours)
    );
    let pairs = s.rows.iter().any(|r| r.only_together.is_some());
    let mut header = vec!["scenario", "failed", "down", "by grade", "degraded"];
    if pairs {
        header.push("only together");
    }
    header.push("most critical down");
    let mut t = table(style, &header);
    for r in &s.rows {
        let mut cells = vec![
            cell(&r.scenario),
            num(r.failed.len()),
            num(r.down),
            cell(&by_grade(&r.down_by_grade)),
            num(r.degraded),
        ];
        if pairs {
            cells.push(match r.only_together {
                Some(n) => num(n),
                None => Cell::new(""),
            });
        }
        cells.push(cell(&worst(&r.most_critical)));
        t.add_row(cells);
    }
    let _ = writeln!(out, "{t}");
    if pairs {
        let _ = writeln!(
            out,
            "\n`only together`: nodes that neither site of the pair takes down alone (active-active on both)."
        );
    }
    out
}

/// The scenario sweep as CSV.
pub fn scenarios_csv(s: &Sweeps) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
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
    ]);
    for r in &s.rows {
        let c = &r.down_by_grade;
        let _ = w.write_record([
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
        ]);
    }
    csv_text(w)
}

/// The minimal cuts of a target, smallest first.
pub fn cuts(c: &Cuts, style: Style) -> String {
    let mut out = String::new();
    let g = c.grade.map_or_else(String::new, |g| format!(", grade {g}"));
    let _ = writeln!(
        out,
        "{} {} ({}{g}): sets of at most {} nodes whose joint failure takes it down",
        paint(style, "Minimal cuts of", "1"),
        printable(&c.target),
        printable(&c.name),
        c.max
    );
    let _ = writeln!(out, "{} ancestors can contribute\n", c.ancestors);
    if c.cuts.is_empty() {
        let _ = writeln!(
            out,
            "No set of at most {} nodes takes it down: it survives any {} independent failures.",
            c.searched, c.searched
        );
    } else {
        let mut t = table(style, &["size", "nodes"]);
        for cut in &c.cuts {
            t.add_row(vec![num(cut.len()), cell(&cut.join(", "))]);
        }
        let _ = writeln!(out, "{t}");
        let n = c.found;
        let listed = if c.cuts.len() < n {
            format!(" ({} listed: --limit)", c.cuts.len())
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "\n{}{n} minimal cut{}{listed}; the smallest has {} node{}{}",
            if c.complete { "" } else { "at least " },
            if n == 1 { "" } else { "s" },
            c.smallest.unwrap_or(0),
            if c.smallest == Some(1) { "" } else { "s" },
            match c.smallest {
                Some(1) => ": it has a single point of failure.".to_owned(),
                Some(k) => format!(
                    ": it survives any {} independent failure{}.",
                    k - 1,
                    if k == 2 { "" } else { "s" }
                ),
                None => ".".to_owned(),
            }
        );
    }
    if !c.complete {
        let why = if c.found >= c.limit.max(1).saturating_mul(COUNT_FACTOR) {
            format!(
                "counting stops at {} cuts ({COUNT_FACTOR} times --limit)",
                c.found
            )
        } else {
            "too many candidate sets beyond it".to_owned()
        };
        let _ = writeln!(
            out,
            "\nThe search stopped after size {}: {why}.",
            c.searched
        );
    }
    out
}

/// A recovery plan: the timeline table, the summary per grade and what holds the last
/// system up ([`super::timeline::table_text`]).
pub fn recover(p: &RecoveryPlan, style: Style) -> String {
    let mut out = Vec::new();
    let _ = super::timeline::table_text(&mut out, p, &[], style);
    String::from_utf8_lossy(&out).into_owned()
}
