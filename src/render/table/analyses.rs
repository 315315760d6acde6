//! Tables of the whole-inventory analyses: rank, scenarios and cuts (recovery timelines
//! are in `recover`).

use std::io::{self, Write};

use super::Cell;
use comfy_table::Color;

use super::{Style, cell, grade, num, table_of};
use crate::analysis::cuts::COUNT_FACTOR;
use crate::analysis::rank::Worst;
use crate::analysis::{Cuts, Ranking, Sweeps};
use crate::grade::Grade;
use crate::lang::{num as n, text};
use crate::render::style::{self, escape, paint};

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
        "{} {}",
        paint(style, &style.msg("rank-title"), "1"),
        style.msg_with(
            "rank-subtitle",
            &[
                ("nodes", n(r.nodes)),
                ("horizon", text(style::horizon(style.lang, r.horizon_hours))),
            ]
        )
    )?;
    let wt = &r.weights;
    writeln!(
        w,
        "{}\n",
        style.msg_with(
            "rank-weights",
            &[
                ("g1", text(wt.of(Some(Grade::G1)).to_string())),
                ("g2", text(wt.of(Some(Grade::G2)).to_string())),
                ("g3", text(wt.of(Some(Grade::G3)).to_string())),
                ("g4", text(wt.of(Some(Grade::G4)).to_string())),
                ("ungraded", text(wt.of(None).to_string())),
            ]
        )
    )?;
    let spof_word = style.msg("col-spof");
    let mut t = table_of(
        style,
        &[
            "col-rank",
            "col-id",
            "col-grade",
            "col-score",
            "col-down",
            "col-by-grade",
            "col-degraded",
            "col-most-critical-down",
            "col-spof",
        ],
    );
    for row in &r.rows {
        let spof = if row.single_point_of_failure {
            if style.color {
                Cell::new(&spof_word).fg(Color::Red).bold()
            } else {
                Cell::new(&spof_word)
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
            cell(style::grade_counts_short(style.lang, &row.down_by_grade)),
            num(row.degraded),
            cell(worst(&row.most_critical)),
            spof,
        ]);
    }
    t.write(w)?;
    writeln!(
        w,
        "\n{}",
        style.msg_with(
            "rank-footer",
            &[
                ("spofs", n(r.single_points_of_failure)),
                ("shown", n(r.rows.len())),
                ("nodes", n(r.nodes)),
            ]
        )
    )
}

/// The scenario sweep: one row per scenario.
pub fn scenarios(s: &Sweeps, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {}\n",
        paint(style, &style.msg("scenarios-title"), "1"),
        style.msg_with(
            "scenarios-subtitle",
            &[
                ("sweep", text(escape::terminal(&s.sweep))),
                ("n", n(s.scenarios)),
                ("horizon", text(style::horizon(style.lang, s.horizon_hours))),
            ]
        )
    )?;
    let pairs = s.rows.iter().any(|r| r.only_together.is_some());
    let mut ids = vec![
        "col-scenario",
        "col-failed",
        "col-down",
        "col-by-grade",
        "col-degraded",
    ];
    if pairs {
        ids.push("col-only-together");
    }
    ids.push("col-most-critical-down");
    let mut t = table_of(style, &ids);
    for r in &s.rows {
        let mut cells = vec![
            cell(&r.scenario),
            num(r.failed.len()),
            num(r.down),
            cell(style::grade_counts_short(style.lang, &r.down_by_grade)),
            num(r.degraded),
        ];
        if pairs {
            cells.push(match r.only_together {
                Some(n) => num(n),
                None => Cell::new(""),
            });
        }
        cells.push(cell(worst(&r.most_critical)));
        t.add_row(cells);
    }
    t.write(w)?;
    if pairs {
        writeln!(w, "\n{}", style.msg("scenarios-only-together"))?;
    }
    Ok(())
}

/// The minimal cuts of a target, smallest first.
pub fn cuts(c: &Cuts, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let g = c.grade.map_or_else(String::new, |g| {
        format!(", {}", style::grade_word(style.lang, g))
    });
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("cuts-title"), "1"),
        style.msg_with(
            "cuts-subtitle",
            &[
                ("target", text(escape::terminal(&c.target))),
                ("name", text(escape::terminal(&c.name))),
                ("grade", text(g)),
                ("max", n(c.max)),
            ]
        )
    )?;
    writeln!(
        w,
        "{}\n",
        style.msg_with("cuts-ancestors", &[("n", n(c.ancestors))])
    )?;
    if c.cuts.is_empty() {
        writeln!(
            w,
            "{}",
            style.msg_with("cuts-none", &[("n", n(c.searched))])
        )?;
    } else {
        let mut t = table_of(style, &["col-size", "col-nodes"]);
        for cut in &c.cuts {
            t.add_row(vec![num(cut.len()), cell(cut.join(", "))]);
        }
        t.write(w)?;
        let found = c.found;
        let listed = if c.cuts.len() < found {
            style.msg_with("cuts-listed", &[("n", n(c.cuts.len()))])
        } else {
            String::new()
        };
        let count = style.msg_with(
            if c.complete {
                "cuts-found"
            } else {
                "cuts-found-at-least"
            },
            &[("n", n(found))],
        );
        let smallest = c.smallest.unwrap_or(0);
        let end = match c.smallest {
            Some(1) => style.msg("cuts-spof"),
            Some(k) => style.msg_with("cuts-survives", &[("n", n(k - 1))]),
            None => ".".to_owned(),
        };
        writeln!(
            w,
            "\n{}",
            style.msg_with(
                "cuts-footer",
                &[
                    ("count", text(count)),
                    ("listed", text(listed)),
                    ("smallest", n(smallest)),
                    ("end", text(end)),
                ]
            )
        )?;
    }
    if !c.complete {
        let why = if c.found >= c.limit.max(1).saturating_mul(COUNT_FACTOR) {
            style.msg_with(
                "cuts-stop-count",
                &[("n", n(c.found)), ("factor", n(COUNT_FACTOR))],
            )
        } else {
            style.msg("cuts-stop-candidates")
        };
        writeln!(
            w,
            "\n{}",
            style.msg_with(
                "cuts-stopped",
                &[("size", n(c.searched)), ("why", text(why))]
            )
        )?;
    }
    Ok(())
}
