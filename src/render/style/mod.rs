//! The house style of every output for people, in one place: the palette of the diagrams,
//! the captions of nodes and links, how hours, horizons and grades read, and how user
//! text is escaped for each target. Renderers take their words and colours from here, so
//! a legend, a table and a report say the same thing the same way.

pub mod escape;
pub mod palette;

use crate::analysis::diff::{ChangeKind, Radius};
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
/// What a row filter kept: `shown: 10 of 39 rows (state down, grade 1, limit 10): 29 left
/// out`.
pub fn shown(s: &crate::engine::Shown) -> String {
    let f = &s.filter;
    let mut parts: Vec<String> = Vec::new();
    if !f.states.is_empty() {
        let states: Vec<&str> = f
            .states
            .iter()
            .map(|s| match s {
                crate::engine::State::Down => "down",
                crate::engine::State::Degraded => "degraded",
            })
            .collect();
        parts.push(format!("state {}", states.join(", ")));
    }
    if !f.grades.is_empty() {
        let grades: Vec<String> = f
            .grades
            .iter()
            .map(|&g| g.map_or_else(|| "ungraded".to_owned(), |g| g.to_string()))
            .collect();
        parts.push(format!("grade {}", grades.join(", ")));
    }
    if !f.agencies.is_empty() {
        parts.push(format!("agency {}", f.agencies.join(", ")));
    }
    if let Some(n) = f.limit {
        parts.push(format!("limit {}", thousands(n)));
    }
    format!(
        "shown:     {} of {} row{} ({}): {} left out",
        thousands(s.rows),
        thousands(s.total),
        plural(s.total),
        parts.join("; "),
        thousands(s.left_out)
    )
}

/// `s` for plural counts.
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
    }
}

/// The items of a scenario: the nodes, then `link ID` for each link.
pub fn what(nodes: &[String], links: &[String]) -> String {
    let mut what: Vec<String> = nodes.to_vec();
    what.extend(links.iter().map(|l| format!("link {l}")));
    what.join(", ")
}

/// The state line of a node: `failed at 0 h`, `down at 12 h`, `depth 2`, or nothing.
pub fn state_line(mark: Mark) -> Option<String> {
    match mark {
        Mark::Unaffected => None,
        Mark::Seed => Some("failed at 0 h".to_owned()),
        Mark::Down(h) => Some(format!("down at {}", hours(h))),
        Mark::Degraded(h) => Some(format!("degraded at {}", hours(h))),
        Mark::Changed => Some("changed".to_owned()),
        Mark::Reached(d) => Some(format!("depth {d}")),
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
