//! Tables of the whole-inventory analyses: rank, scenarios, cuts and recovery plans.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, Color};

use super::{Style, cell, grade, num, table, write_table};
use crate::analysis::cuts::COUNT_FACTOR;
use crate::analysis::rank::Worst;
use crate::analysis::{Cuts, Ranking, RecoveryPlan, Step, Sweeps};
use crate::grade::Grade;
use crate::lang::{num as n, text};
use crate::render::style::{self, escape, paint};

/// The header of a table, its columns looked up by message id.
fn header(style: Style, ids: &[&str]) -> Vec<String> {
    ids.iter().map(|id| style.msg(id)).collect()
}

/// A table whose columns are the messages `ids`.
fn table_of(style: Style, ids: &[&str]) -> comfy_table::Table {
    let h = header(style, ids);
    let h: Vec<&str> = h.iter().map(String::as_str).collect();
    table(style, &h)
}

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
    let spof_word = style.msg("col-spof");
    for row in &r.rows {
        let spof = if row.single_point_of_failure {
            if style.color {
                Cell::new(&spof_word)
                    .fg(Color::Red)
                    .add_attribute(Attribute::Bold)
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
            cell(&style::grade_counts_short(style.lang, &row.down_by_grade)),
            num(row.degraded),
            cell(&worst(&row.most_critical)),
            spof,
        ]);
    }
    write_table(&t, w)?;
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
            cell(&style::grade_counts_short(style.lang, &r.down_by_grade)),
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
            t.add_row(vec![num(cut.len()), cell(&cut.join(", "))]);
        }
        write_table(&t, w)?;
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

/// A recovery plan: one table per wave.
pub fn recover(p: &RecoveryPlan, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("recover-title"), "1"),
        style.msg_with(
            "recover-subtitle",
            &[
                ("failed", text(escape::terminal(&p.failed.join(", ")))),
                ("horizon", text(style::horizon(style.lang, p.horizon_hours))),
                ("systems", n(p.steps.len())),
                ("waves", n(p.waves)),
            ]
        )
    )?;
    for wave in p.steps.chunk_by(|a, b| a.wave == b.wave) {
        let title = style.msg_with("recover-wave", &[("n", n(wave[0].wave))]);
        writeln!(w, "\n{}", paint(style, &title, "1"))?;
        let mut t = table_of(
            style,
            &[
                "col-id",
                "col-name",
                "col-grade",
                "col-agency",
                "col-waits-for",
                "col-restored-with",
            ],
        );
        for s in wave {
            let id = if s.failed {
                style.msg_with("recover-failed-id", &[("id", text(s.id.as_str()))])
            } else {
                s.id.clone()
            };
            t.add_row(vec![
                cell(&id),
                cell(&s.name),
                grade(s.grade),
                cell(s.agency.as_deref().unwrap_or("-")),
                cell(&list(&s.waits_for)),
                cell(&restored_with(style, p, s)),
            ]);
        }
        write_table(&t, w)?;
    }
    if p.cycles > 0 {
        writeln!(
            w,
            "\n{}",
            style.msg_with("recover-cycles", &[("n", n(p.cycles))])
        )?;
        // Large cycles are listed here once rather than on each member's row.
        for (n, members) in (1..).zip(&p.cycle_members) {
            if members.len() > CYCLE_INLINE {
                writeln!(
                    w,
                    "{}",
                    style.msg_with(
                        "recover-cycle-list",
                        &[
                            ("n", text(n.to_string())),
                            ("size", text(members.len().to_string())),
                            ("list", text(members.join(", "))),
                        ]
                    )
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
fn restored_with(style: Style, p: &RecoveryPlan, s: &Step) -> String {
    let Some((n, members)) = s
        .cycle
        .and_then(|n| Some((n, p.cycle_members.get(n.checked_sub(1)?)?)))
    else {
        return String::new();
    };
    if members.len() > CYCLE_INLINE {
        return style.msg_with(
            "recover-cycle-below",
            &[
                ("n", text(n.to_string())),
                ("size", text(members.len().to_string())),
            ],
        );
    }
    let others: Vec<&str> = members
        .iter()
        .map(String::as_str)
        .filter(|m| *m != s.id)
        .collect();
    style.msg_with("recover-cycle-with", &[("list", text(others.join(", ")))])
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    }
}
