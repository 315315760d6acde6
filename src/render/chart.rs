//! SVG charts drawn with plotters, without Graphviz or any font file: the recovery
//! timeline of a plan (docs/semantics.md, "recover"), the systems back over time per grade with each
//! grade's target.

use std::io::{self, Write};

use plotters::prelude::*;

use super::style::{self, palette, span};
use crate::analysis::RecoveryPlan;
use crate::lang::Lang;

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

/// Writes the chart of a plan: for each grade, the number of its systems back over time
/// (a step line), and its target as a dashed vertical line.
pub fn recovery(p: &RecoveryPlan, w: &mut dyn Write) -> io::Result<()> {
    let all = p.all_back();
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
    // English whatever `--lang`: the chart draws without a font file, so in ASCII only.
    let what = style::failed_items(Lang::En, &p.failed, &p.failed_links);
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
        style::crews(Lang::En, p.crews)
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
        for (g, s) in per_grade.iter() {
            if s.systems == 0 {
                continue;
            }
            let (r, gr, b) = palette::grade_rgb(g);
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
                style::grade_name(Lang::En, g),
                s.systems,
                style::plural(s.systems),
                s.last
                    .map_or_else(|| "-".to_owned(), |l| span(Lang::En, l.times.back))
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
                    style::grade_name(Lang::En, g),
                    span(Lang::En, t),
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
