//! The recovery timeline of a plan (SPEC section 5) for people: every system's down,
//! ready, start and back times in back-time order, the summary per grade, the chains of
//! waits that hold systems up, and the crew what-if.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color};

use super::{Style, cell, colored, grade, num, table, write_table};
use crate::analysis::{CrewWhatIf, HoldOn, RecoveryPlan, Step};
use crate::grade::{ByGrade, Grade};
use crate::render::style::{self, escape, paint, plural, span};

/// A cell in bold red when the style has colour: a missed target.
fn red(style: Style, text: &str) -> Cell {
    let c = colored(style, text, Color::Red);
    if style.color {
        c.add_attribute(Attribute::Bold)
    } else {
        c
    }
}

/// A right-aligned `-`: no target.
fn none() -> Cell {
    Cell::new("-").set_alignment(CellAlignment::Right)
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

/// The whole timeline: the table, the summary per grade, and the chains of waits of the
/// last system back and of each id in `why`.
pub fn recover(
    p: &RecoveryPlan,
    why: &[String],
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "{} after the failure of {} ({}): {} systems in {} waves, {}",
        paint(style, "Recovery timeline", "1"),
        escape::terminal(&style::failed_items(style.lang, &p.failed, &p.failed_links)),
        style::horizon(style.lang, p.horizon_hours),
        p.steps.len(),
        p.waves,
        style::crews(style.lang, p.crews),
    )?;
    if p.steps.is_empty() {
        return Ok(());
    }
    let mut header = vec![
        "id", "name", "grade", "agency", "down", "ready", "start", "work", "back", "target",
    ];
    if p.cycles > 0 {
        header.push("restored with");
    }
    let mut t = table(style, &header);
    for &i in &p.by_back_time() {
        let s = &p.steps[i];
        let id = if s.failed {
            format!("{} (failed)", s.id)
        } else {
            s.id.clone()
        };
        let target = match s.grade.and_then(|g| *p.targets.get(Some(g))) {
            None => Cell::new(""),
            Some(t) if p.breached(s) => red(style, &format!("MISSED {}", span(style.lang, t))),
            Some(t) => Cell::new(format!("met {}", span(style.lang, t))),
        };
        let mut row = vec![
            cell(&id),
            cell(&s.name),
            grade(s.grade),
            cell(s.agency.as_deref().unwrap_or("-")),
            num(span(style.lang, s.times.down)),
            num(span(style.lang, s.times.ready)),
            num(span(style.lang, s.times.start)),
            num(span(style.lang, s.times.restore)),
            num(span(style.lang, s.times.back)).add_attribute(Attribute::Bold),
            target,
        ];
        if p.cycles > 0 {
            row.push(cell(&restored_with(p, s)));
        }
        t.add_row(row);
    }
    write_table(&t, w)?;
    if p.cycles > 0 {
        writeln!(
            w,
            "\n{} dependency cycle{} restored together (marked `cycle`).",
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
                    escape::terminal(&members.join(", "))
                )?;
            }
        }
    }
    summary(p, style, w)?;
    let mut asked: Vec<&str> = Vec::new();
    if let Some(last) = p.last_back() {
        asked.push(&last.id);
    }
    for id in why {
        if !asked.contains(&id.as_str()) {
            asked.push(id);
        }
    }
    for id in asked {
        holdup(p, id, style, w)?;
    }
    Ok(())
}

/// The summary per grade: systems, the last back, the target and the breaches.
fn summary(p: &RecoveryPlan, style: Style, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "\n{}", paint(style, "By grade", "1"))?;
    let mut t = table(
        style,
        &[
            "grade",
            "systems",
            "all back",
            "last back",
            "target",
            "breaches",
        ],
    );
    for (g, s) in p.by_grade().iter() {
        let Some(last) = s.last else { continue };
        let breaches = match s.target {
            None => none(),
            Some(_) if s.breaches > 0 => {
                red(style, &s.breaches.to_string()).set_alignment(CellAlignment::Right)
            }
            Some(_) => num(0),
        };
        t.add_row(vec![
            grade(g),
            num(s.systems),
            num(span(style.lang, last.times.back)),
            cell(&last.id),
            num(s
                .target
                .map_or_else(|| "-".to_owned(), |t| span(style.lang, t))),
            breaches,
        ]);
    }
    write_table(&t, w)?;
    let missed = p.rto_breaches.len();
    write!(
        w,
        "All {} systems back at {} ({}).",
        p.steps.len(),
        span(style.lang, p.all_back()),
        style::crews(style.lang, p.crews)
    )?;
    if p.targets.iter().any(|(_, t)| t.is_some()) {
        write!(
            w,
            " {missed} system{} miss{} the target of {} grade.",
            plural(missed),
            if missed == 1 { "es" } else { "" },
            if missed == 1 { "its" } else { "their" }
        )?;
    }
    writeln!(w)
}

/// The chain of waits that set the back time of `id`.
fn holdup(p: &RecoveryPlan, id: &str, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let Some(chain) = p.why(id) else {
        return writeln!(
            w,
            "\n{} is not in the plan: it does not go down.",
            escape::terminal(id)
        );
    };
    let Some(first) = chain.first() else {
        return Ok(());
    };
    let last = p.last_back().is_some_and(|l| l.id == id);
    writeln!(
        w,
        "\n{} {}{} (back at {}):",
        paint(style, "What holds up", "1"),
        escape::terminal(id),
        if last { ", the last system back" } else { "" },
        span(style.lang, first.step.times.back)
    )?;
    for hold in &chain {
        let s = hold.step;
        let work = if s.times.restore == 0 {
            "back as soon as ready (no work)".to_owned()
        } else {
            format!(
                "{} of work from {}",
                span(style.lang, s.times.restore),
                span(style.lang, s.times.start)
            )
        };
        let why = match hold.wait {
            HoldOn::Nothing if s.failed => format!(
                "ready at {}: failed itself, needs nothing that was down",
                span(style.lang, s.times.ready)
            ),
            HoldOn::Nothing => format!(
                "ready at {}: needs nothing down outside its cycle",
                span(style.lang, s.times.ready)
            ),
            HoldOn::Provider(q) => format!(
                "ready at {} when {} was back",
                span(style.lang, s.times.ready),
                escape::terminal(&q.id)
            ),
            HoldOn::Crew(q) => format!(
                "ready since {}, waited {} for a crew, freed when {} was back",
                span(style.lang, s.times.ready),
                span(style.lang, s.times.start - s.times.ready),
                escape::terminal(&q.id)
            ),
        };
        writeln!(
            w,
            "  {} (grade {}) back at {}: {work}; {why}",
            escape::terminal(&s.id),
            style::grade(s.grade),
            span(style.lang, s.times.back),
        )?;
    }
    Ok(())
}

/// Hours as whole seconds, for [`span`].
fn secs(hours: f64) -> u64 {
    (hours * 3600.0).round() as u64
}

/// The crew what-if: for each crew count, when all are back and the grade 1 breaches.
pub fn crews_what_if(
    c: &CrewWhatIf,
    targets: &ByGrade<Option<u64>>,
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(
        w,
        "{} after the failure of {} ({})",
        paint(style, "Crews what-if", "1"),
        escape::terminal(&style::failed_items(style.lang, &c.failed, &c.failed_links)),
        style::horizon(style.lang, c.horizon_hours)
    )?;
    let g1 = targets.get(Some(Grade::G1));
    let target = g1.map_or_else(
        || "no target".to_owned(),
        |t| format!("target {}", span(style.lang, t)),
    );
    let mut t = table(
        style,
        &[
            "crews",
            "all back",
            "grade 1 back",
            &format!("grade 1 breaches ({target})"),
            "all breaches",
        ],
    );
    let no_targets = targets.iter().all(|(_, t)| t.is_none());
    let breaches = |n: usize| {
        if no_targets {
            none()
        } else if n > 0 {
            red(style, &n.to_string()).set_alignment(CellAlignment::Right)
        } else {
            num(0)
        }
    };
    for r in &c.what_if {
        let b1 = r
            .rto_breaches
            .iter()
            .filter(|b| b.grade == Grade::G1)
            .count();
        t.add_row(vec![
            num(r
                .crews
                .map_or_else(|| "no limit".to_owned(), |c| c.to_string())),
            num(span(style.lang, secs(r.all_back_hours))),
            num(span(style.lang, secs(r.grade1_back_hours))),
            if g1.is_none() { none() } else { breaches(b1) },
            breaches(r.rto_breaches.len()),
        ]);
    }
    write_table(&t, w)
}
