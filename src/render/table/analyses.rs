//! Tables of the whole-inventory analyses: rank, scenarios, cuts and recovery plans.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color};

use super::{Style, cell, grade, num, table, write_table};
use crate::analysis::cuts::COUNT_FACTOR;
use crate::analysis::rank::Worst;
use crate::analysis::{Cuts, Ranking, RecoveryPlan, Step, Sweeps};
use crate::grade::Grade;
use crate::render::style::{self, escape, paint, plural};

/// `id (g1)`, the id alone when ungraded, `-` for none.
fn worst(w: &Option<Worst>) -> String {
    match w {
        Some(Worst { id, grade: Some(g) }) => format!("{id} (g{g})"),
        Some(Worst { id, grade: None }) => id.clone(),
        None => "-".to_owned(),
    }
}

/// The criticality ranking: one row per node, single points of failure marked.
pub fn rank(r: &Ranking, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} of {} nodes by the grade-weighted count of what their failure alone takes down ({})",
        paint(style, "Criticality", "1"),
        r.nodes,
        style::horizon(r.horizon_hours)
    )?;
    let wt = &r.weights;
    writeln!(
        w,
        "weights: grade 1 = {}, 2 = {}, 3 = {}, 4 = {}, ungraded = {}\n",
        wt.of(Some(Grade::G1)),
        wt.of(Some(Grade::G2)),
        wt.of(Some(Grade::G3)),
        wt.of(Some(Grade::G4)),
        wt.of(None)
    )?;
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
            cell(&style::grade_counts_short(&row.down_by_grade)),
            num(row.degraded),
            cell(&worst(&row.most_critical)),
            spof,
        ]);
    }
    write_table(&t, w)?;
    writeln!(
        w,
        "\n{} single points of failure (a failure alone takes down a grade 1 system other than itself); {} of {} nodes shown",
        r.single_points_of_failure,
        r.rows.len(),
        r.nodes
    )
}

/// The scenario sweep: one row per scenario.
pub fn scenarios(s: &Sweeps, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {}: {} scenarios ({})\n",
        paint(style, "Scenarios:", "1"),
        escape::terminal(&s.sweep),
        s.scenarios,
        style::horizon(s.horizon_hours)
    )?;
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
            cell(&style::grade_counts_short(&r.down_by_grade)),
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
    write_table(&t, w)?;
    if pairs {
        writeln!(
            w,
            "\n`only together`: nodes that neither site of the pair takes down alone (active-active on both)."
        )?;
    }
    Ok(())
}

/// The minimal cuts of a target, smallest first.
pub fn cuts(c: &Cuts, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let g = c.grade.map_or_else(String::new, |g| format!(", grade {g}"));
    writeln!(
        w,
        "{} {} ({}{g}): sets of at most {} nodes whose joint failure takes it down",
        paint(style, "Minimal cuts of", "1"),
        escape::terminal(&c.target),
        escape::terminal(&c.name),
        c.max
    )?;
    writeln!(w, "{} ancestors can contribute\n", c.ancestors)?;
    if c.cuts.is_empty() {
        writeln!(
            w,
            "No set of at most {} nodes takes it down: it survives any {} independent failures.",
            c.searched, c.searched
        )?;
    } else {
        let mut t = table(style, &["size", "nodes"]);
        for cut in &c.cuts {
            t.add_row(vec![num(cut.len()), cell(&cut.join(", "))]);
        }
        write_table(&t, w)?;
        let n = c.found;
        let listed = if c.cuts.len() < n {
            format!(" ({} listed: --limit)", c.cuts.len())
        } else {
            String::new()
        };
        writeln!(
            w,
            "\n{}{n} minimal cut{}{listed}; the smallest has {} node{}{}",
            if c.complete { "" } else { "at least " },
            plural(n),
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
        )?;
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
        writeln!(w, "\nThe search stopped after size {}: {why}.", c.searched)?;
    }
    Ok(())
}

/// A recovery plan: one table per wave.
pub fn recover(p: &RecoveryPlan, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} after the failure of {} ({}): {} systems in {} waves",
        paint(style, "Recovery plan", "1"),
        escape::terminal(&p.failed.join(", ")),
        style::horizon(p.horizon_hours),
        p.steps.len(),
        p.waves
    )?;
    for wave in p.steps.chunk_by(|a, b| a.wave == b.wave) {
        writeln!(
            w,
            "\n{}",
            paint(style, &format!("Wave {}", wave[0].wave), "1")
        )?;
        let mut t = table(
            style,
            &[
                "id",
                "name",
                "grade",
                "agency",
                "waits for",
                "restored with",
            ],
        );
        for s in wave {
            let id = if s.failed {
                format!("{} (failed)", s.id)
            } else {
                s.id.clone()
            };
            t.add_row(vec![
                cell(&id),
                cell(&s.name),
                grade(s.grade),
                cell(s.agency.as_deref().unwrap_or("-")),
                cell(&list(&s.waits_for)),
                cell(&restored_with(p, s)),
            ]);
        }
        write_table(&t, w)?;
    }
    if p.cycles > 0 {
        writeln!(
            w,
            "\n{} dependency cycle{} must be restored together (marked `cycle`).",
            p.cycles,
            plural(p.cycles)
        )?;
        // Large cycles are listed here once rather than on each member's row.
        for (n, members) in (1..).zip(&p.cycle_members) {
            if members.len() > CYCLE_INLINE {
                writeln!(
                    w,
                    "cycle {n} ({} systems): {}",
                    members.len(),
                    members.join(", ")
                )?;
            }
        }
    }
    Ok(())
}

/// Cycles of up to this many systems are named on each member's row.
const CYCLE_INLINE: usize = 5;

/// The `restored with` cell of a recovery step: the other members of its cycle when the
/// cycle is small, else its number and size.
fn restored_with(p: &RecoveryPlan, s: &Step) -> String {
    let Some((n, members)) = s
        .cycle
        .and_then(|n| Some((n, p.cycle_members.get(n.checked_sub(1)?)?)))
    else {
        return String::new();
    };
    if members.len() > CYCLE_INLINE {
        return format!("cycle {n} ({} systems, listed below)", members.len());
    }
    let others: Vec<&str> = members
        .iter()
        .map(String::as_str)
        .filter(|m| *m != s.id)
        .collect();
    format!("cycle: {}", others.join(", "))
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}
