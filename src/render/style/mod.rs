//! The house style of every output for people, in one place: the palette of the diagrams,
//! the captions of nodes and links, how hours, horizons and grades read, and how user
//! text is escaped for each target. Renderers take their words and colours from here, so
//! a legend, a table and a report say the same thing the same way.

pub mod escape;
pub mod palette;

use crate::analysis::diff::{ChangeKind, Radius};
use crate::analysis::surge::AtEcho;
use crate::engine::ShortPath;
use crate::grade::{Grade, GradeCounts};
use crate::inventory::{Effect, Mode, format_duration};
use crate::view::{Collapsed, Heading, Mark, ViewEdge, ViewKind, ViewNode};

/// How a terminal renderer styles its output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours (only on a terminal, never under NO_COLOR).
    pub color: bool,
    /// Wrap tables to this many columns (a terminal's width); `None` never wraps.
    pub width: Option<u16>,
}

/// `text` in the ANSI colour `code` when the style has colour, else as is.
pub fn paint(style: Style, text: &str, code: &str) -> String {
    if style.color {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_owned()
    }
}

/// Hours as people read them: `0 h`, `12 h`, `1.5 h`, `2 d` for whole days from two on,
/// with thousands separators (`1,000 h`, `36,500 d`).
pub fn hours(h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    if rounded >= 48.0 && (rounded % 24.0).abs() < f64::EPSILON {
        return format!("{} d", number(rounded / 24.0));
    }
    format!("{} h", number(rounded))
}

/// A non-negative number without a fraction when it is whole, with thousands separators.
fn number(x: f64) -> String {
    let text = if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    };
    match text.split_once('.') {
        Some((whole, fraction)) => format!("{}.{fraction}", grouped(whole)),
        None => grouped(&text),
    }
}

/// Digits with a comma between each group of three.
fn grouped(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A count with thousands separators: `9,994`.
pub fn thousands(n: usize) -> String {
    grouped(&n.to_string())
}

/// A witness path as tables and reports show it: every id when there are five or fewer,
/// else the first two, how many are left out, and the last two
/// (`a -> b -> … 9,994 more … -> y -> z` with `sep` ` -> `). `id` writes each id (a code
/// span in Markdown); the result is escaped by the caller's target as a whole.
pub fn path(p: &ShortPath<'_>, sep: &str, id: impl Fn(&str) -> String) -> String {
    let mut parts: Vec<String> = p.head.iter().map(|s| id(s)).collect();
    if p.hidden > 0 {
        parts.push(format!("… {} more …", thousands(p.hidden)));
        parts.extend(p.tail.iter().map(|s| id(s)));
    }
    parts.join(sep)
}

/// A time in seconds as people read it on a timeline of hours to months: `0 h`, `12 h`,
/// `1.5 h` below two days, then `3 d`, `3 d 4 h`, `95 d 2.5 h` (`1,200 d` with thousands
/// separators).
pub fn span(secs: u64) -> String {
    let h = secs as f64 / 3600.0;
    if h < 48.0 {
        return hours(h);
    }
    let days = secs / 86_400;
    let rest = (secs % 86_400) as f64 / 3600.0;
    let rest = (rest * 10.0).round() / 10.0;
    if rest == 0.0 {
        format!("{} d", thousands_u64(days))
    } else if rest >= 24.0 {
        format!("{} d", thousands_u64(days + 1))
    } else {
        format!("{} d {rest} h", thousands_u64(days))
    }
}

/// A count of days with thousands separators.
fn thousands_u64(n: u64) -> String {
    grouped(&n.to_string())
}

/// The failed items of a recovery for a title: all of them when few, else the first five
/// and a count (`34 nodes (a, b, c, d, e, … and 29 more)`; a site failure fails everything
/// it hosts). Links read `link ID`.
pub fn failed_items(nodes: &[String], links: &[String]) -> String {
    const SHOWN: usize = 5;
    let failed: Vec<String> = nodes
        .iter()
        .cloned()
        .chain(links.iter().map(|l| format!("link {l}")))
        .collect();
    if failed.len() <= SHOWN + 1 {
        return failed.join(", ");
    }
    format!(
        "{} nodes ({}, … and {} more)",
        failed.len(),
        failed[..SHOWN].join(", "),
        failed.len() - SHOWN
    )
}

/// How a recovery is staffed: `no crew limit`, `1 crew`, `8 crews`.
pub fn crews(crews: Option<usize>) -> String {
    match crews {
        None => "no crew limit".to_owned(),
        Some(1) => "1 crew".to_owned(),
        Some(n) => format!("{n} crews"),
    }
}

/// A grade in words: `grade 1`, or `ungraded`.
pub fn grade_name(g: Option<Grade>) -> String {
    g.map_or_else(|| "ungraded".to_owned(), |g| format!("grade {g}"))
}

/// A rate in requests per second: `9,800`, `1,681` (from 1,680.6), `12.5`, `0.33`, `<0.01`.
pub use crate::analysis::surge::format_rate as rate;

/// One surge as people read it: `vaccine-booking ×10`, `gov24 +5,000/s`.
pub fn surge(a: &AtEcho) -> String {
    match (a.factor, a.add) {
        (Some(f), _) => format!("{} ×{}", a.id, rate(f)),
        (None, Some(r)) => format!("{} +{}/s", a.id, rate(r)),
        (None, None) => a.id.clone(),
    }
}

/// Surges joined with commas.
pub fn surges(at: &[AtEcho]) -> String {
    at.iter().map(surge).collect::<Vec<_>>().join(", ")
}

/// The horizon of a failure: `within 4 h`, or that the outage lasts.
pub fn horizon(h: Option<f64>) -> String {
    match h {
        Some(h) => format!("within {}", hours(h)),
        None => "no horizon: the outage lasts".to_owned(),
    }
}

/// A grade as text: `1` … `4`, `-` when ungraded.
pub fn grade(g: Option<Grade>) -> String {
    g.map_or_else(|| "-".to_owned(), |g| g.to_string())
}

/// Grade counts in words, leaving out zeros: `grade 1: 3, grade 2: 5, ungraded: 1`;
/// `none` when empty.
pub fn grade_counts(c: &GradeCounts) -> String {
    let parts: Vec<String> = c
        .nonzero()
        .map(|(g, n)| match g {
            Some(g) => format!("grade {g}: {n}"),
            None => format!("ungraded: {n}"),
        })
        .collect();
    if parts.is_empty() {
        "none".to_owned()
    } else {
        parts.join(", ")
    }
}

/// Grade counts compactly, for narrow table columns: `g1 3 · g2 5 · - 1`; `-` when empty.
pub fn grade_counts_short(c: &GradeCounts) -> String {
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

/// `s` after a count, except after one.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The one-line caption of a view: the scenario, or the inventory.
pub fn title(heading: &Heading) -> String {
    match heading {
        Heading::Map { nodes, links } => {
            format!("Interconnection map: {nodes} nodes, {links} links")
        }
        Heading::Around { id, depth } => format!(
            "Neighbourhood of {id} within {depth} link{}",
            plural(*depth as usize)
        ),
        Heading::Impact {
            failed,
            failed_links,
            horizon_hours,
            down,
            degraded,
        } => format!(
            "Failure of {} ({}): {down} down, {degraded} degraded",
            what(failed, failed_links),
            horizon(*horizon_hours)
        ),
        Heading::Change {
            changed,
            changed_links,
            affected,
            direct,
        } => format!(
            "Change of {}: {affected} affected, {direct} direct",
            what(changed, changed_links)
        ),
        Heading::Surge {
            surge,
            loaded,
            saturated,
            headroom,
        } => {
            let headroom = match headroom {
                Some((h, first)) => format!(", the surge fits {h:.2} times ({first} first)"),
                None => String::new(),
            };
            format!(
                "Surge of {}: {loaded} loaded, {saturated} saturated{headroom}",
                surges(surge)
            )
        }
    }
}

/// The items of a scenario: the nodes, then `link ID` for each link.
pub fn what(nodes: &[String], links: &[String]) -> String {
    let mut what: Vec<String> = nodes.to_vec();
    what.extend(links.iter().map(|l| format!("link {l}")));
    what.join(", ")
}

/// The state line of a node: `failed at 0 h`, `down at 12 h`, `depth 2`,
/// `5,281 of 3,200 req/s (165%)`, or nothing.
pub fn state_line(mark: Mark) -> Option<String> {
    match mark {
        Mark::Unaffected => None,
        Mark::Seed => Some("failed at 0 h".to_owned()),
        Mark::Down(h) => Some(format!("down at {}", hours(h))),
        Mark::Degraded(h) => Some(format!("degraded at {}", hours(h))),
        Mark::Changed => Some("changed".to_owned()),
        Mark::Reached(d) => Some(format!("depth {d}")),
        Mark::Load { load, capacity } => Some(match capacity {
            Some(c) => format!(
                "{} of {} req/s ({:.0}%)",
                rate(load),
                rate(c),
                load / c * 100.0
            ),
            None => format!("{} req/s, no capacity", rate(load)),
        }),
    }
}

/// The detail line of a node: id, grade, agency.
pub fn detail_line(n: &ViewNode) -> String {
    let mut parts = vec![n.id.to_owned()];
    if let Some(g) = n.grade {
        parts.push(format!("grade {g}"));
    }
    if let Some(a) = n.agency {
        parts.push(a.to_owned());
    }
    parts.join(" · ")
}

/// The caption of an edge: `FAILED` or `CHANGED` when the scenario names the link,
/// `async 4h`, `soft`, plus `k/n group` on the one member of a group that carries it.
pub fn edge_caption(e: &ViewEdge, kind: ViewKind) -> String {
    let mut parts: Vec<String> = Vec::new();
    if e.seeded {
        parts.push(
            if kind == ViewKind::Change {
                "CHANGED"
            } else {
                "FAILED"
            }
            .to_owned(),
        );
    }
    let l = e.link;
    if l.mode == Mode::Async || l.tolerance_secs != 0 {
        parts.push(format!("{} {}", l.mode, format_duration(l.tolerance_secs)));
    }
    if l.effect == Effect::Degraded {
        parts.push("soft".to_owned());
    }
    if let Some(g) = e.group.as_ref().filter(|g| g.labelled) {
        let name = l.group.as_deref().unwrap_or_default();
        parts.push(format!("{}/{} {name}", g.min, g.size));
    }
    parts.join(" ")
}

/// The caption of a summary node: `12 more nodes not drawn`, and in a scenario how many
/// of them are affected, on a second line.
pub fn collapsed_caption(c: &Collapsed, kind: ViewKind) -> String {
    let mut text = format!("{} more node{} not drawn", c.nodes, plural(c.nodes));
    if kind != ViewKind::Map {
        text.push_str(&format!("\n({} of them affected)", c.affected));
    }
    text
}

/// `added`, `removed` or `changed`.
pub fn change_word(c: ChangeKind) -> &'static str {
    match c {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

/// Nodes down in a blast radius, `-` when the node is not in that inventory.
pub fn down(r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| r.down.to_string())
}

/// A blast radius by grade, `-` when the node is not in that inventory.
pub fn by_grade(r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| grade_counts(&r.by_grade))
}

/// A signed difference: `+3`, `-2`, `0`.
pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::hours;

    #[test]
    fn counts_have_thousands_separators() {
        use super::thousands;
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(9_994), "9,994");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn spans_read_in_hours_then_days() {
        use super::span;
        assert_eq!(span(0), "0 h");
        assert_eq!(span(5400), "1.5 h");
        assert_eq!(span(47 * 3600), "47 h");
        assert_eq!(span(48 * 3600), "2 d");
        assert_eq!(span(53 * 3600), "2 d 5 h");
        assert_eq!(span(95 * 86_400 + 9000), "95 d 2.5 h");
        assert_eq!(span(2 * 86_400 + 86_390), "3 d");
        assert_eq!(span(1_200 * 86_400), "1,200 d");
    }

    #[test]
    fn hours_read_naturally() {
        assert_eq!(hours(0.0), "0 h");
        assert_eq!(hours(12.0), "12 h");
        assert_eq!(hours(1.5), "1.5 h");
        assert_eq!(hours(48.0), "2 d");
        assert_eq!(hours(26.0), "26 h");
        assert_eq!(hours(1000.0), "1,000 h");
        assert_eq!(hours(1234.5), "1,234.5 h");
        assert_eq!(hours(876_000.0), "36,500 d");
        assert_eq!(hours(0.25), "0.25 h");
    }
}
