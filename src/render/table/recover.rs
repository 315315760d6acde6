//! The recovery timeline of a plan (docs/semantics.md, "recover") for people: every system's down,
//! ready, start and back times in back-time order, the summary per grade, the chains of
//! waits that hold systems up, and the crew what-if.

use std::io::{self, Write};

use super::Cell;
use comfy_table::{CellAlignment, Color};

use std::borrow::Cow;

use super::{Style, cell, colored, grade, num, table, table_of};
use crate::analysis::{CrewWhatIf, HoldOn, RecoveryPlan, Step};
use crate::grade::{ByGrade, Grade};
use crate::lang::{self, text};
use crate::render::style::{self, escape, paint, span};

/// A cell in bold red when the style has colour: a missed target.
fn red<'a>(style: Style, text: impl Into<Cow<'a, str>>) -> Cell<'a> {
    let c = colored(style, text, Color::Red);
    if style.color { c.bold() } else { c }
}

/// A right-aligned `-`: no target.
fn none() -> Cell<'static> {
    Cell::new("-").set_alignment(CellAlignment::Right)
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
            &[("n", lang::num(n)), ("size", lang::num(members.len()))],
        );
    }
    let others: Vec<&str> = members
        .iter()
        .map(String::as_str)
        .filter(|m| *m != s.id)
        .collect();
    style.msg_with("recover-cycle-with", &[("list", text(others.join(", ")))])
}

/// The whole timeline: the table, the summary per grade, and the chains of waits of the
/// last system back and of each id in `why`.
pub fn recover(
    p: &RecoveryPlan,
    why: &[String],
    style: Style,
    w: &mut dyn Write,
) -> io::Result<()> {
    let lang = style.lang;
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("recover-title"), "1"),
        style.msg_with(
            "recover-subtitle",
            &[
                (
                    "failed",
                    text(escape::terminal(&style::failed_items(
                        lang,
                        &p.failed,
                        &p.failed_links
                    ))),
                ),
                ("horizon", text(style::horizon(lang, p.horizon_hours))),
                ("systems", lang::num(p.steps.len())),
                ("waves", lang::num(p.waves)),
                ("crews", text(style::crews(lang, p.crews))),
            ]
        )
    )?;
    if p.steps.is_empty() {
        return Ok(());
    }
    let mut header = vec![
        "col-id",
        "col-name",
        "col-grade",
        "col-agency",
        "col-down-at",
        "col-ready",
        "col-start",
        "col-work",
        "col-back",
        "col-target",
    ];
    if p.cycles > 0 {
        header.push("col-restored-with");
    }
    let mut t = table_of(style, &header);
    for &i in &p.by_back_time() {
        let s = &p.steps[i];
        let id = if s.failed {
            style.msg_with("recover-failed-id", &[("id", text(s.id.as_str()))])
        } else {
            s.id.clone()
        };
        let target = match s.grade.and_then(|g| *p.targets.get(Some(g))) {
            None => Cell::new(""),
            Some(t) => {
                let args = [("target", text(span(lang, t)))];
                if p.breached(s) {
                    red(style, style.msg_with("recover-target-missed", &args))
                } else {
                    Cell::new(style.msg_with("recover-target-met", &args))
                }
            }
        };
        let mut row = vec![
            cell(id),
            cell(&s.name),
            grade(s.grade),
            cell(s.agency.as_deref().unwrap_or("-")),
            num(span(style.lang, s.times.down)),
            num(span(style.lang, s.times.ready)),
            num(span(style.lang, s.times.start)),
            num(span(style.lang, s.times.restore)),
            num(span(style.lang, s.times.back)).bold(),
            target,
        ];
        if p.cycles > 0 {
            row.push(cell(restored_with(style, p, s)));
        }
        t.add_row(row);
    }
    t.write(w)?;
    if p.cycles > 0 {
        writeln!(
            w,
            "\n{}",
            style.msg_with("recover-cycles", &[("n", lang::num(p.cycles))])
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
                            ("n", lang::num(n)),
                            ("size", lang::num(members.len())),
                            ("list", text(escape::terminal(&members.join(", ")))),
                        ]
                    )
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
    writeln!(w, "\n{}", paint(style, &style.msg("recover-by-grade"), "1"))?;
    let mut t = table_of(
        style,
        &[
            "col-grade",
            "col-systems",
            "col-all-back",
            "col-last-back",
            "col-target",
            "col-breaches",
        ],
    );
    for (g, s) in p.by_grade().iter() {
        let Some(last) = s.last else { continue };
        let breaches = match s.target {
            None => none(),
            Some(_) if s.breaches > 0 => {
                red(style, s.breaches.to_string()).set_alignment(CellAlignment::Right)
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
    t.write(w)?;
    write!(
        w,
        "{}",
        style.msg_with(
            "recover-all-back",
            &[
                ("n", lang::num(p.steps.len())),
                ("time", text(span(style.lang, p.all_back()))),
                ("crews", text(style::crews(style.lang, p.crews))),
            ]
        )
    )?;
    if p.targets.iter().any(|(_, t)| t.is_some()) {
        write!(
            w,
            " {}",
            style.msg_with("recover-missed", &[("n", lang::num(p.rto_breaches.len()))])
        )?;
    }
    writeln!(w)
}

/// The chain of waits that set the back time of `id`.
fn holdup(p: &RecoveryPlan, id: &str, style: Style, w: &mut dyn Write) -> io::Result<()> {
    let lang = style.lang;
    let Some(chain) = p.why(id) else {
        return writeln!(
            w,
            "\n{}",
            style.msg_with(
                "recover-why-not-down",
                &[("id", text(escape::terminal(id)))]
            )
        );
    };
    let Some(first) = chain.first() else {
        return Ok(());
    };
    let last = p.last_back().is_some_and(|l| l.id == id);
    writeln!(
        w,
        "\n{} {}",
        paint(style, &style.msg("recover-why-title"), "1"),
        style.msg_with(
            if last {
                "recover-why-subject-last"
            } else {
                "recover-why-subject"
            },
            &[
                ("id", text(escape::terminal(id))),
                ("time", text(span(lang, first.step.times.back))),
            ]
        )
    )?;
    for hold in &chain {
        let s = hold.step;
        let t = &s.times;
        let work = if t.restore == 0 {
            style.msg("recover-why-no-work")
        } else {
            style.msg_with(
                "recover-why-work",
                &[
                    ("work", text(span(lang, t.restore))),
                    ("start", text(span(lang, t.start))),
                ],
            )
        };
        let ready = ("ready", text(span(lang, t.ready)));
        let why = match hold.wait {
            HoldOn::Nothing if s.failed => style.msg_with("recover-why-failed", &[ready]),
            HoldOn::Nothing => style.msg_with("recover-why-free", &[ready]),
            HoldOn::Provider(q) => style.msg_with(
                "recover-why-provider",
                &[ready, ("provider", text(escape::terminal(&q.id)))],
            ),
            HoldOn::Crew(q) => style.msg_with(
                "recover-why-crew",
                &[
                    ready,
                    ("wait", text(span(lang, t.start - t.ready))),
                    ("freed", text(escape::terminal(&q.id))),
                ],
            ),
        };
        writeln!(
            w,
            "  {}",
            style.msg_with(
                "recover-why-step",
                &[
                    ("id", text(escape::terminal(&s.id))),
                    ("grade", text(style::grade_label(lang, s.grade))),
                    ("back", text(span(lang, t.back))),
                    ("work", text(work)),
                    ("why", text(why)),
                ]
            )
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
    let lang = style.lang;
    writeln!(
        w,
        "{} {}",
        paint(style, &style.msg("crews-title"), "1"),
        style.msg_with(
            "crews-subtitle",
            &[
                (
                    "failed",
                    text(escape::terminal(&style::failed_items(
                        lang,
                        &c.failed,
                        &c.failed_links
                    ))),
                ),
                ("horizon", text(style::horizon(lang, c.horizon_hours))),
            ]
        )
    )?;
    let g1 = targets.get(Some(Grade::G1));
    let target = g1.map_or_else(
        || style.msg("crews-no-target"),
        |t| style.msg_with("crews-target", &[("target", text(span(lang, t)))]),
    );
    let g1_breaches = style.msg_with("col-grade1-breaches", &[("target", text(target))]);
    let header = [
        style.msg("col-crews"),
        style.msg("col-all-back"),
        style.msg("col-grade1-back"),
        g1_breaches,
        style.msg("col-all-breaches"),
    ];
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut t = table(style, &header);
    let no_targets = targets.iter().all(|(_, t)| t.is_none());
    let breaches = |n: usize| {
        if no_targets {
            none()
        } else if n > 0 {
            red(style, n.to_string()).set_alignment(CellAlignment::Right)
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
                .map_or_else(|| style.msg("crews-unlimited"), |c| c.to_string())),
            num(span(style.lang, secs(r.all_back_hours))),
            num(span(style.lang, secs(r.grade1_back_hours))),
            if g1.is_none() { none() } else { breaches(b1) },
            breaches(r.rto_breaches.len()),
        ]);
    }
    t.write(w)
}
