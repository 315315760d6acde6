//! The recovery timeline of a plan (SPEC section 5) for people and machines: the table of
//! every system's down, ready, start and back times in back-time order, the summary per
//! grade, the chains of waits that hold systems up, the crew what-if, its JSON, and an
//! SVG chart of systems back over time per grade with the target lines. Each writes to
//! a `dyn Write`; nothing here computes a schedule.

use std::io::{self, Write};

use comfy_table::{Attribute, Cell, CellAlignment, Color};
use serde::Serialize;

use super::table::{cell, printable, table};
use super::{Style, grade_text, hours, paint};
use crate::analysis::{CrewWhatIf, HoldOn, RecoveryPlan, Step};
use crate::grade::{ByGrade, Grade};

/// A time in seconds as people read it on a timeline of hours to months: `0 h`, `12 h`,
/// `1.5 h` below two days, then `3 d`, `3 d 4 h`, `95 d 2.5 h`.
pub fn span(secs: u64) -> String {
    let h = secs as f64 / 3600.0;
    if h < 48.0 {
        return hours(h);
    }
    let days = secs / 86_400;
    let rest = (secs % 86_400) as f64 / 3600.0;
    let rest = (rest * 10.0).round() / 10.0;
    if rest == 0.0 {
        format!("{days} d")
    } else if rest >= 24.0 {
        format!("{} d", days + 1)
    } else {
        format!("{days} d {rest} h")
    }
}

fn num(n: impl ToString) -> Cell {
    Cell::new(n.to_string()).set_alignment(CellAlignment::Right)
}

fn red(style: Style, text: &str) -> Cell {
    if style.color {
        Cell::new(text)
            .fg(Color::Red)
            .add_attribute(Attribute::Bold)
    } else {
        Cell::new(text)
    }
}

fn grade_name(g: Option<Grade>) -> String {
    g.map_or_else(|| "ungraded".to_owned(), |g| format!("grade {g}"))
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

/// The failed nodes for a title: all of them when few, else the first five and a count
/// (a site failure fails everything it hosts).
fn failed_text(nodes: &[String], links: &[String]) -> String {
    const SHOWN: usize = 5;
    let failed: Vec<String> = nodes
        .iter()
        .cloned()
        .chain(links.iter().map(|l| format!("link {l}")))
        .collect();
    if failed.len() <= SHOWN + 1 {
        return printable(&failed.join(", ")).into_owned();
    }
    format!(
        "{} nodes ({}, … and {} more)",
        failed.len(),
        printable(&failed[..SHOWN].join(", ")),
        failed.len() - SHOWN
    )
}

fn crews_text(crews: Option<usize>) -> String {
    match crews {
        None => "no crew limit".to_owned(),
        Some(1) => "1 crew".to_owned(),
        Some(n) => format!("{n} crews"),
    }
}

/// The whole timeline for people: the table, the summary per grade, and the chains of
/// waits of the last system back and of each id in `why`.
pub fn table_text(
    w: &mut dyn Write,
    p: &RecoveryPlan,
    why: &[String],
    style: Style,
) -> io::Result<()> {
    let horizon = match p.horizon_hours {
        Some(h) => format!("within {}", hours(h)),
        None => "no horizon: the outage lasts".to_owned(),
    };
    writeln!(
        w,
        "{} after the failure of {} ({horizon}): {} systems in {} waves, {}",
        paint(style, "Recovery timeline", "1"),
        failed_text(&p.failed, &p.failed_links),
        p.steps.len(),
        p.waves,
        crews_text(p.crews),
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
        let target = s.grade.and_then(|g| *p.targets.get(Some(g)));
        let target = match target {
            None => Cell::new(""),
            Some(t) if s.times.back > t => red(style, &format!("MISSED {}", span(t))),
            Some(t) => Cell::new(format!("met {}", span(t))),
        };
        let mut row = vec![
            cell(&id),
            cell(&s.name),
            Cell::new(grade_text(s.grade)).set_alignment(CellAlignment::Center),
            cell(s.agency.as_deref().unwrap_or("-")),
            num(span(s.times.down)),
            num(span(s.times.ready)),
            num(span(s.times.start)),
            num(span(s.times.restore)),
            num(span(s.times.back)).add_attribute(Attribute::Bold),
            target,
        ];
        if p.cycles > 0 {
            row.push(cell(&restored_with(p, s)));
        }
        t.add_row(row);
    }
    writeln!(w, "{t}")?;
    if p.cycles > 0 {
        writeln!(
            w,
            "\n{} dependency cycle{} restored together (marked `cycle`).",
            p.cycles,
            if p.cycles == 1 { "" } else { "s" }
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
    summary(w, p, style)?;
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
        holdup(w, p, id, style)?;
    }
    Ok(())
}

/// The summary per grade: systems, the last back, the target and the breaches.
fn summary(w: &mut dyn Write, p: &RecoveryPlan, style: Style) -> io::Result<()> {
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
            None => Cell::new("-").set_alignment(CellAlignment::Right),
            Some(_) if s.breaches > 0 => {
                red(style, &s.breaches.to_string()).set_alignment(CellAlignment::Right)
            }
            Some(_) => num(0),
        };
        t.add_row(vec![
            Cell::new(grade_text(g)).set_alignment(CellAlignment::Center),
            num(s.systems),
            num(span(last.times.back)),
            cell(&last.id),
            num(s.target.map_or_else(|| "-".to_owned(), span)),
            breaches,
        ]);
    }
    writeln!(w, "{t}")?;
    let all = p.steps.iter().map(|s| s.times.back).max().unwrap_or(0);
    let missed: usize = p.rto_breaches.len();
    write!(
        w,
        "All {} systems back at {} ({}).",
        p.steps.len(),
        span(all),
        crews_text(p.crews)
    )?;
    if p.targets.iter().any(|(_, t)| t.is_some()) {
        write!(
            w,
            " {} system{} miss{} the target of {} grade.",
            missed,
            if missed == 1 { "" } else { "s" },
            if missed == 1 { "es" } else { "" },
            if missed == 1 { "its" } else { "their" }
        )?;
    }
    writeln!(w)
}

/// The chain of waits that set the back time of `id`.
fn holdup(w: &mut dyn Write, p: &RecoveryPlan, id: &str, style: Style) -> io::Result<()> {
    let Some(chain) = p.why(id) else {
        return writeln!(
            w,
            "\n{} is not in the plan: it does not go down.",
            printable(id)
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
        printable(id),
        if last { ", the last system back" } else { "" },
        span(first.step.times.back)
    )?;
    for hold in &chain {
        let s = hold.step;
        let work = if s.times.restore == 0 {
            "back as soon as ready (no work)".to_owned()
        } else {
            format!(
                "{} of work from {}",
                span(s.times.restore),
                span(s.times.start)
            )
        };
        let why = match hold.wait {
            HoldOn::Nothing if s.failed => format!(
                "ready at {}: failed itself, needs nothing that was down",
                span(s.times.ready)
            ),
            HoldOn::Nothing => format!(
                "ready at {}: needs nothing down outside its cycle",
                span(s.times.ready)
            ),
            HoldOn::Provider(q) => {
                format!(
                    "ready at {} when {} was back",
                    span(s.times.ready),
                    printable(&q.id)
                )
            }
            HoldOn::Crew(q) => format!(
                "ready since {}, waited {} for a crew, freed when {} was back",
                span(s.times.ready),
                span(s.times.start - s.times.ready),
                printable(&q.id)
            ),
        };
        writeln!(
            w,
            "  {} (grade {}) back at {}: {work}; {why}",
            printable(&s.id),
            grade_text(s.grade),
            span(s.times.back),
        )?;
    }
    Ok(())
}

/// The crew what-if: for each crew count, when all are back and the grade 1 breaches.
pub fn what_if_text(
    w: &mut dyn Write,
    c: &CrewWhatIf,
    targets: &ByGrade<Option<u64>>,
    style: Style,
) -> io::Result<()> {
    let horizon = match c.horizon_hours {
        Some(h) => format!("within {}", hours(h)),
        None => "no horizon: the outage lasts".to_owned(),
    };
    writeln!(
        w,
        "{} after the failure of {} ({horizon})",
        paint(style, "Crews what-if", "1"),
        failed_text(&c.failed, &c.failed_links)
    )?;
    let g1 = targets.get(Some(Grade::G1));
    let target = g1.map_or_else(|| "no target".to_owned(), |t| format!("target {}", span(t)));
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
    for r in &c.what_if {
        let b1 = r
            .rto_breaches
            .iter()
            .filter(|b| b.grade == Grade::G1)
            .count();
        let breaches = |n: usize| {
            if targets.iter().all(|(_, t)| t.is_none()) {
                Cell::new("-").set_alignment(CellAlignment::Right)
            } else if n > 0 {
                red(style, &n.to_string()).set_alignment(CellAlignment::Right)
            } else {
                num(0)
            }
        };
        t.add_row(vec![
            num(r
                .crews
                .map_or_else(|| "no limit".to_owned(), |c| c.to_string())),
            num(span(secs(r.all_back_hours))),
            num(span(secs(r.grade1_back_hours))),
            if g1.is_none() {
                Cell::new("-").set_alignment(CellAlignment::Right)
            } else {
                breaches(b1)
            },
            breaches(r.rto_breaches.len()),
        ]);
    }
    writeln!(w, "{t}")
}

fn secs(hours: f64) -> u64 {
    (hours * 3600.0).round() as u64
}

/// The crew what-if as JSON: `{"failed", "horizon_hours", "what_if": [{"crews",
/// "all_back_hours", "grade1_back_hours", "rto_breaches"}]}`.
pub fn what_if_json(w: &mut dyn Write, c: &CrewWhatIf) -> io::Result<()> {
    w.write_all(super::json::to_json(c).as_bytes())
}

/// One link of a chain of waits in JSON.
#[derive(Serialize)]
struct HoldJson<'a> {
    id: &'a str,
    back_hours: f64,
    /// `provider`, `crew` or `none`.
    waited_for: &'static str,
    /// The provider it waited for, or the step whose restoration freed its crew.
    on: Option<&'a str>,
}

/// The plan as JSON (SPEC section 5); with `why` ids, a `why` object gives each one's
/// chain of waits.
pub fn json(w: &mut dyn Write, p: &RecoveryPlan, why: &[String]) -> io::Result<()> {
    #[derive(Serialize)]
    struct WithWhy<'a> {
        #[serde(flatten)]
        plan: &'a RecoveryPlan,
        why: std::collections::BTreeMap<&'a str, Option<Vec<HoldJson<'a>>>>,
    }
    let text = if why.is_empty() {
        super::json::to_json(p)
    } else {
        let chains = why
            .iter()
            .map(|id| {
                let chain = p.why(id).map(|c| {
                    c.iter()
                        .map(|h| {
                            let (waited_for, on) = match h.wait {
                                HoldOn::Nothing => ("none", None),
                                HoldOn::Provider(q) => ("provider", Some(q.id.as_str())),
                                HoldOn::Crew(q) => ("crew", Some(q.id.as_str())),
                            };
                            HoldJson {
                                id: &h.step.id,
                                back_hours: h.step.back_hours,
                                waited_for,
                                on,
                            }
                        })
                        .collect()
                });
                (id.as_str(), chain)
            })
            .collect();
        super::json::to_json(&WithWhy {
            plan: p,
            why: chains,
        })
    };
    w.write_all(text.as_bytes())
}

/// The recovery section of an HTML report: the chart, then the summary per grade.
pub fn html_section(w: &mut dyn Write, p: &RecoveryPlan) -> io::Result<()> {
    use super::html::{escape, inline_svg};
    let mut chart = Vec::new();
    svg(&mut chart, p)?;
    let chart = String::from_utf8_lossy(&chart);
    writeln!(w, "<h2 id=\"recovery\">Recovery timeline</h2>")?;
    writeln!(
        w,
        "<p>If the failed systems must be restored: every node that went down is back once \
         what it needs is back and its own <code>restore</code> work is done, with no crew \
         limit (SPEC section 5; <code>ripplemap recover</code> has crews, targets and the \
         whole table). All {} systems are back at {}.</p>",
        p.steps.len(),
        escape(&span(
            p.steps.iter().map(|s| s.times.back).max().unwrap_or(0)
        ))
    )?;
    writeln!(
        w,
        "<figure id=\"recovery-chart\">\n{}\n</figure>",
        inline_svg(&chart).trim_end()
    )?;
    writeln!(
        w,
        "<table id=\"recovery-by-grade\">\n<tr><th>grade</th><th>systems</th><th>all back</th><th>last back</th><th>target</th><th>breaches</th></tr>"
    )?;
    for (g, s) in p.by_grade().iter() {
        let Some(last) = s.last else { continue };
        writeln!(
            w,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td><code>{}</code></td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&grade_text(g)),
            s.systems,
            escape(&span(last.times.back)),
            escape(&last.id),
            escape(&s.target.map_or_else(|| "-".to_owned(), span)),
            s.target
                .map_or_else(|| "-".to_owned(), |_| s.breaches.to_string())
        )?;
    }
    writeln!(w, "</table>")
}

/// Colours of the grades on the chart: 1 red, 2 orange, 3 blue, 4 green, ungraded grey.
const GRADE_COLOURS: [(u8, u8, u8); 5] = [
    (200, 30, 30),
    (230, 130, 0),
    (40, 90, 200),
    (40, 150, 70),
    (130, 130, 130),
];

/// An SVG chart of the plan: for each grade, the number of its systems back over time (a
/// step line), and its target as a dashed vertical line.
pub fn svg(w: &mut dyn Write, p: &RecoveryPlan) -> io::Result<()> {
    use plotters::prelude::*;

    let all = p.steps.iter().map(|s| s.times.back).max().unwrap_or(0);
    let furthest = p
        .targets
        .iter()
        .filter_map(|(_, t)| *t)
        .max()
        .unwrap_or(0)
        .max(all);
    // Days on long recoveries, hours on short ones.
    let (unit, unit_name) = if furthest >= 4 * 86_400 {
        (86_400.0, "days")
    } else {
        (3_600.0, "hours")
    };
    let x_max = ((furthest as f64 / unit) * 1.05).max(1.0);
    let per_grade = p.by_grade();
    let y_max = per_grade
        .iter()
        .map(|(_, s)| s.systems)
        .max()
        .unwrap_or(0)
        .max(1);
    let what = failed_text(&p.failed, &p.failed_links);
    let count = p.failed.len() + p.failed_links.len();
    let what = if count > 1 && what.chars().count() > 40 {
        if p.failed_links.is_empty() {
            format!("{count} nodes")
        } else {
            format!("{count} nodes and links")
        }
    } else {
        ascii(&what, 40)
    };
    // Room above the lines for the legend.
    let y_top = (y_max as f64 * 1.6).max(y_max as f64 + 4.0);
    let title = format!(
        "Systems back after the failure of {what} ({})",
        crews_text(p.crews)
    );

    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, (900, 520)).into_drawing_area();
        let draw = |e: DrawingAreaErrorKind<_>| io::Error::other(e.to_string());
        root.fill(&WHITE).map_err(draw)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(16)
            .x_label_area_size(40)
            .y_label_area_size(56)
            .build_cartesian_2d(0f64..x_max, 0f64..y_top)
            .map_err(draw)?;
        let x_digits = if x_max >= 10.0 { 0 } else { 1 };
        let x_label = move |x: &f64| format!("{x:.x_digits$}");
        let y_label = |y: &f64| format!("{y:.0}");
        chart
            .configure_mesh()
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(format!("time since the failure ({unit_name})"))
            .y_desc("systems back")
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(draw)?;
        let order = p.by_back_time();
        for (slot, (g, s)) in per_grade.iter().enumerate() {
            if s.systems == 0 {
                continue;
            }
            let (r, gr, b) = GRADE_COLOURS[slot];
            let colour = RGBColor(r, gr, b);
            // A step line: the count rises at each back time.
            let mut points = vec![(0.0, 0.0)];
            let mut n = 0usize;
            for &i in &order {
                let st = &p.steps[i];
                if st.grade != g {
                    continue;
                }
                let x = st.times.back as f64 / unit;
                points.push((x, n as f64));
                n += 1;
                points.push((x, n as f64));
            }
            points.push((x_max, n as f64));
            let label = format!(
                "{} ({} system{}, all back at {})",
                grade_name(g),
                s.systems,
                if s.systems == 1 { "" } else { "s" },
                s.last
                    .map_or_else(|| "-".to_owned(), |l| span(l.times.back))
            );
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))
                .map_err(draw)?
                .label(label)
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2))
                });
            if let Some(t) = s.target {
                let x = t as f64 / unit;
                let dash =
                    DashedLineSeries::new(vec![(x, 0.0), (x, y_top)], 6, 4, colour.stroke_width(1));
                let label = format!(
                    "{} target {} ({} missed)",
                    grade_name(g),
                    span(t),
                    s.breaches
                );
                chart
                    .draw_series(dash)
                    .map_err(draw)?
                    .label(label)
                    .legend(move |(x, y)| {
                        PathElement::new(
                            vec![(x, y), (x + 6, y), (x + 12, y), (x + 18, y)],
                            colour.stroke_width(1),
                        )
                    });
            }
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()
            .map_err(draw)?;
        root.present().map_err(draw)?;
    }
    w.write_all(buf.as_bytes())?;
    if !buf.ends_with('\n') {
        w.write_all(b"\n")?;
    }
    Ok(())
}

/// Text for the chart, which draws without any font file: ids are ASCII already; other
/// characters become `?`, and long text is cut.
fn ascii(text: &str, max: usize) -> String {
    let text = text.replace('…', "...");
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii() && !c.is_control() {
                c
            } else {
                '?'
            }
        })
        .take(max)
        .collect();
    if text.chars().count() > max {
        out.push_str("...");
    }
    out
}
