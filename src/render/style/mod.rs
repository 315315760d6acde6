//! The house style of every output for people, in one place: the palette of the diagrams,
//! the captions of nodes and links, how hours, horizons and grades read, and how user
//! text is escaped for each target. Renderers take their words and colours from here, so
//! a legend, a table and a report say the same thing the same way.

pub mod escape;
pub mod palette;

use std::borrow::Cow;

use crate::analysis::diff::{ChangeKind, Radius};
use crate::analysis::surge::AtEcho;
use crate::engine::ShortPath;
use crate::grade::{Grade, GradeCounts};
use crate::inventory::{Effect, Mode, format_duration};
use crate::lang::{Arg, Lang, num, text};
use crate::view::{Collapsed, Heading, Mark, ViewEdge, ViewKind, ViewNode};
use unicode_width::UnicodeWidthStr;

/// How a terminal renderer styles its output.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Style {
    /// Use ANSI colours (only on a terminal, never under NO_COLOR).
    pub color: bool,
    /// Wrap tables to this many columns (a terminal's width); `None` never wraps.
    pub width: Option<u16>,
    /// The language of the words.
    pub lang: Lang,
}

impl Style {
    /// The message `id` in the style's language.
    pub fn msg(self, id: &str) -> String {
        self.lang.msg(id)
    }

    /// The message `id` in the style's language, with its variables.
    pub fn msg_with(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        self.lang.msg_with(id, args)
    }
}

/// `text` followed by spaces up to `width` columns of a terminal (Hangul takes two).
pub fn pad(text: &str, width: usize) -> String {
    let w = text.width();
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
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
pub fn hours(lang: Lang, h: f64) -> String {
    let rounded = (h * 100.0).round() / 100.0;
    if rounded >= 48.0 && (rounded % 24.0).abs() < f64::EPSILON {
        return lang.msg_with("days", &[("n", text(number(rounded / 24.0)))]);
    }
    lang.msg_with("hours", &[("n", text(number(rounded)))])
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
/// span in Markdown, or the id as it is); the result is escaped by the caller's target as
/// a whole.
pub fn path<'g>(
    lang: Lang,
    p: &ShortPath<'g>,
    sep: &str,
    id: impl Fn(&'g str) -> Cow<'g, str>,
) -> String {
    // One string, sized once: a table of 50,000 paths builds nothing else per row.
    let ids = p.head.iter().chain(&p.tail);
    let mut out = String::with_capacity(ids.clone().map(|s| s.len() + sep.len()).sum());
    let push = |out: &mut String, part: &str| {
        if !out.is_empty() {
            out.push_str(sep);
        }
        out.push_str(part);
    };
    for &s in &p.head {
        push(&mut out, &id(s));
    }
    if p.hidden > 0 {
        push(
            &mut out,
            &lang.msg_with("path-more", &[("n", text(thousands(p.hidden)))]),
        );
        for &s in &p.tail {
            push(&mut out, &id(s));
        }
    }
    out
}

/// A time in seconds as people read it on a timeline of hours to months: `0 h`, `12 h`,
/// `1.5 h` below two days, then `3 d`, `3 d 4 h`, `95 d 2.5 h` (`1,200 d` with thousands
/// separators).
pub fn span(lang: Lang, secs: u64) -> String {
    let h = secs as f64 / 3600.0;
    if h < 48.0 {
        return hours(lang, h);
    }
    let days = secs / 86_400;
    let rest = (secs % 86_400) as f64 / 3600.0;
    let rest = (rest * 10.0).round() / 10.0;
    let in_days = |d: u64| lang.msg_with("days", &[("n", text(thousands_u64(d)))]);
    if rest == 0.0 {
        in_days(days)
    } else if rest >= 24.0 {
        in_days(days + 1)
    } else {
        format!("{} {}", in_days(days), hours(lang, rest))
    }
}

/// A count of days with thousands separators.
fn thousands_u64(n: u64) -> String {
    grouped(&n.to_string())
}

/// The failed items of a recovery for a title: all of them when few, else the first five
/// and a count (`34 nodes (a, b, c, d, e, … and 29 more)`; a site failure fails everything
/// it hosts). Links read `link ID`.
pub fn failed_items(lang: Lang, nodes: &[String], links: &[String]) -> String {
    const SHOWN: usize = 5;
    let failed: Vec<String> = nodes
        .iter()
        .cloned()
        .chain(
            links
                .iter()
                .map(|l| lang.msg_with("what-link", &[("id", text(l.as_str()))])),
        )
        .collect();
    if failed.len() <= SHOWN + 1 {
        return failed.join(", ");
    }
    lang.msg_with(
        "failed-items-many",
        &[
            ("n", num(failed.len())),
            ("list", text(failed[..SHOWN].join(", "))),
            ("more", num(failed.len() - SHOWN)),
        ],
    )
}

/// How a recovery is staffed: `no crew limit`, `1 crew`, `8 crews`.
pub fn crews(lang: Lang, crews: Option<usize>) -> String {
    match crews {
        None => lang.msg("crews-no-limit"),
        Some(n) => lang.msg_with("crews-count", &[("n", num(n))]),
    }
}

/// A grade in words: `grade 1`, or `ungraded`.
pub fn grade_name(lang: Lang, g: Option<Grade>) -> String {
    g.map_or_else(|| lang.msg("ungraded"), |g| grade_word(lang, g))
}

/// A rate in requests per second: `9,800`, `1,681` (from 1,680.6), `12.5`, `0.33`, `<0.01`.
pub use crate::analysis::surge::format_rate as rate;

/// One surge as people read it: `vaccine-booking ×10`, `gov24 +5,000/s`.
pub fn surge(lang: Lang, a: &AtEcho) -> String {
    let id = || text(a.id.as_str());
    match (a.factor, a.add) {
        (Some(f), _) => lang.msg_with("surge-factor", &[("id", id()), ("factor", text(rate(f)))]),
        (None, Some(r)) => lang.msg_with("surge-add", &[("id", id()), ("rate", text(rate(r)))]),
        (None, None) => a.id.clone(),
    }
}

/// Surges joined with commas.
pub fn surges(lang: Lang, at: &[AtEcho]) -> String {
    at.iter()
        .map(|a| surge(lang, a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The horizon of a failure: `within 4 h`, or that the outage lasts.
pub fn horizon(lang: Lang, h: Option<f64>) -> String {
    match h {
        Some(h) => lang.msg_with("horizon-within", &[("hours", text(hours(lang, h)))]),
        None => lang.msg("horizon-none"),
    }
}

/// A grade as text: `1` … `4`, `-` when ungraded.
pub fn grade(g: Option<Grade>) -> compact_str::CompactString {
    use compact_str::ToCompactString;
    g.map_or_else(
        || compact_str::CompactString::const_new("-"),
        |g| g.to_compact_string(),
    )
}

/// Grade counts in words, leaving out zeros: `grade 1: 3, grade 2: 5, ungraded: 1`;
/// `none` when empty.
pub fn grade_counts(lang: Lang, c: &GradeCounts) -> String {
    let parts: Vec<String> = c
        .nonzero()
        .map(|(g, n)| match g {
            Some(g) => lang.msg_with(
                "grade-count",
                &[("grade", text(g.to_string())), ("n", num(n))],
            ),
            None => lang.msg_with("ungraded-count", &[("n", num(n))]),
        })
        .collect();
    if parts.is_empty() {
        lang.msg("none")
    } else {
        parts.join(", ")
    }
}

/// A grade in words: `grade 1` (`1등급`).
pub fn grade_word(lang: Lang, g: Grade) -> String {
    lang.msg_with("grade-word", &[("grade", text(g.to_string()))])
}

/// A grade as a label: `grade 1` (`1등급`), `grade -` (`등급 없음`) when ungraded.
pub fn grade_label(lang: Lang, g: Option<Grade>) -> String {
    match g {
        Some(g) => grade_word(lang, g),
        None => lang.msg("grade-none-word"),
    }
}

/// A requirement of the assessment level: the default ones in the language, others (the
/// user's own, from `--level`) as written.
pub fn requirement(lang: Lang, text: &str) -> String {
    match text {
        "independent review" => lang.msg("level-independent-review"),
        "load test before going live" => lang.msg("level-load-test"),
        _ => text.to_owned(),
    }
}

/// A grade in words, or `-` when ungraded.
pub fn grade_word_or_dash(lang: Lang, g: Option<Grade>) -> String {
    g.map_or_else(|| "-".to_owned(), |g| grade_word(lang, g))
}

/// A keyword of the inventory (a kind, a mode, an effect) in the language: `system`
/// (`시스템`); a word that is not a keyword as is.
pub fn keyword(lang: Lang, word: &str) -> String {
    let id = match word {
        "system" => "kw-system",
        "service" => "kw-service",
        "site" => "kw-site",
        "network" => "kw-network",
        "external" => "kw-external",
        "interface" => "kw-interface",
        "hosting" => "kw-hosting",
        "sync" => "kw-sync",
        "async" => "kw-async",
        "down" => "kw-down",
        "degraded" => "kw-degraded",
        "error" => "kw-error",
        "warning" => "kw-warning",
        "off" => "kw-off",
        "node" => "kw-node",
        "link" => "kw-link",
        "group" => "kw-group",
        "direct" => "mark-direct",
        "transitive" => "mark-transitive",
        _ => return word.to_owned(),
    };
    lang.msg(id)
}

/// Grade counts compactly, for narrow table columns: `g1 3 · g2 5 · - 1`; `-` when empty.
pub fn grade_counts_short(lang: Lang, c: &GradeCounts) -> String {
    let parts: Vec<String> = c
        .nonzero()
        .map(|(g, n)| match g {
            Some(g) => lang.msg_with(
                "grade-short",
                &[("grade", text(g.to_string())), ("n", num(n))],
            ),
            None => format!("- {n}"),
        })
        .collect();
    if parts.is_empty() {
        "-".to_owned()
    } else {
        parts.join(" · ")
    }
}

/// What a row filter kept: `shown:     10 of 39 rows (state down; grade 1; limit 10): 29
/// left out`.
pub fn shown(lang: Lang, s: &crate::engine::Shown) -> String {
    let f = &s.filter;
    let mut parts: Vec<String> = Vec::new();
    if !f.states.is_empty() {
        let states: Vec<String> = f
            .states
            .iter()
            .map(|s| {
                lang.msg(match s {
                    crate::engine::State::Down => "kw-down",
                    crate::engine::State::Degraded => "kw-degraded",
                })
            })
            .collect();
        parts.push(lang.msg_with("shown-state", &[("list", text(states.join(", ")))]));
    }
    if !f.grades.is_empty() {
        let grades: Vec<String> = f
            .grades
            .iter()
            .map(|&g| g.map_or_else(|| lang.msg("shown-ungraded"), |g| g.to_string()))
            .collect();
        parts.push(lang.msg_with("shown-grade", &[("list", text(grades.join(", ")))]));
    }
    if !f.agencies.is_empty() {
        parts.push(lang.msg_with("shown-agency", &[("list", text(f.agencies.join(", ")))]));
    }
    if let Some(n) = f.limit {
        parts.push(lang.msg_with("shown-limit", &[("n", text(thousands(n)))]));
    }
    format!(
        "{}{}",
        pad(&lang.msg("shown"), 11),
        lang.msg_with(
            "shown-rows",
            &[
                ("rows", text(thousands(s.rows))),
                ("total", text(thousands(s.total))),
                ("count", num(s.total)),
                ("filters", text(parts.join("; "))),
                ("left", text(thousands(s.left_out))),
            ]
        )
    )
}

/// `s` for plural counts.
pub fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// The one-line caption of a view: the scenario, or the inventory.
pub fn title(lang: Lang, heading: &Heading) -> String {
    match heading {
        Heading::Map { nodes, links } => lang.msg_with(
            "title-map",
            &[("nodes", num(*nodes)), ("links", num(*links))],
        ),
        Heading::Around { id, depth } => lang.msg_with(
            "title-around",
            &[("id", text(id.as_str())), ("depth", num(*depth as usize))],
        ),
        Heading::Impact {
            failed,
            failed_links,
            horizon_hours,
            down,
            degraded,
        } => lang.msg_with(
            "title-impact",
            &[
                ("what", text(what(lang, failed, failed_links))),
                ("horizon", text(horizon(lang, *horizon_hours))),
                ("down", num(*down)),
                ("degraded", num(*degraded)),
            ],
        ),
        Heading::Change {
            changed,
            changed_links,
            affected,
            direct,
        } => lang.msg_with(
            "title-change",
            &[
                ("what", text(what(lang, changed, changed_links))),
                ("affected", num(*affected)),
                ("direct", num(*direct)),
            ],
        ),
        Heading::Surge {
            surge,
            loaded,
            saturated,
            headroom,
        } => {
            let headroom = match headroom {
                Some((h, first)) => lang.msg_with(
                    "title-surge-headroom",
                    &[
                        ("headroom", text(format!("{h:.2}"))),
                        ("id", text(first.as_str())),
                    ],
                ),
                None => String::new(),
            };
            lang.msg_with(
                "title-surge",
                &[
                    ("surge", text(surges(lang, surge))),
                    ("loaded", num(*loaded)),
                    ("saturated", num(*saturated)),
                    ("headroom", text(headroom)),
                ],
            )
        }
    }
}

/// The items of a scenario: the nodes, then `link ID` for each link.
pub fn what(lang: Lang, nodes: &[String], links: &[String]) -> String {
    let mut what: Vec<String> = nodes.to_vec();
    what.extend(
        links
            .iter()
            .map(|l| lang.msg_with("what-link", &[("id", text(l.as_str()))])),
    );
    what.join(", ")
}

/// The state line of a node: `failed at 0 h`, `down at 12 h`, `depth 2`,
/// `5,281 of 3,200 req/s (165%)`, or nothing.
pub fn state_line(lang: Lang, mark: Mark) -> Option<String> {
    let at = |h: f64| [("hours", text(hours(lang, h)))];
    match mark {
        Mark::Unaffected => None,
        Mark::Seed => Some(lang.msg_with("state-failed-at", &at(0.0))),
        Mark::Down(h) => Some(lang.msg_with("state-down-at", &at(h))),
        Mark::Degraded(h) => Some(lang.msg_with("state-degraded-at", &at(h))),
        Mark::Changed => Some(lang.msg("state-changed")),
        Mark::Reached(d) => Some(lang.msg_with("state-depth", &[("depth", num(d as usize))])),
        Mark::Load { load, capacity } => Some(match capacity {
            Some(c) => lang.msg_with(
                "state-load",
                &[
                    ("load", text(rate(load))),
                    ("capacity", text(rate(c))),
                    ("percent", text(format!("{:.0}", load / c * 100.0))),
                ],
            ),
            None => lang.msg_with("state-load-no-capacity", &[("load", text(rate(load)))]),
        }),
    }
}

/// The short word of a mark, for tables and legends: `down`, `direct` ….
pub fn mark_word(lang: Lang, mark: Mark) -> String {
    lang.msg(match mark {
        Mark::Unaffected => "mark-unaffected",
        Mark::Seed => "mark-failed",
        Mark::Down(_) => "kw-down",
        Mark::Degraded(_) => "kw-degraded",
        Mark::Changed => "state-changed",
        Mark::Reached(1) => "mark-direct",
        Mark::Reached(_) => "mark-transitive",
        Mark::Load { .. } if mark.saturated() => "mark-saturated",
        Mark::Load { .. } => "mark-loaded",
    })
}

/// The detail line of a node: id, grade, agency.
pub fn detail_line(lang: Lang, n: &ViewNode) -> String {
    let mut parts = vec![n.id.to_owned()];
    if let Some(g) = n.grade {
        parts.push(grade_word(lang, g));
    }
    if let Some(a) = n.agency {
        parts.push(a.to_owned());
    }
    parts.join(" · ")
}

/// The caption of an edge: `FAILED` or `CHANGED` when the scenario names the link,
/// `async 4h`, `soft`, plus `k/n group` on the one member of a group that carries it.
pub fn edge_caption(lang: Lang, e: &ViewEdge, kind: ViewKind) -> String {
    let mut parts: Vec<String> = Vec::new();
    if e.seeded {
        parts.push(lang.msg(if kind == ViewKind::Change {
            "edge-changed"
        } else {
            "edge-failed"
        }));
    }
    let l = e.link;
    if l.mode == Mode::Async || l.tolerance_secs != 0 {
        parts.push(format!(
            "{} {}",
            keyword(lang, &l.mode.to_string()),
            format_duration(l.tolerance_secs)
        ));
    }
    if l.effect == Effect::Degraded {
        parts.push(lang.msg("edge-soft"));
    }
    if let Some(g) = e.group.as_ref().filter(|g| g.labelled) {
        let name = l.group.as_deref().unwrap_or_default();
        parts.push(format!("{}/{} {name}", g.min, g.size));
    }
    parts.join(" ")
}

/// The caption of a summary node: `12 more nodes not drawn`, and in a scenario how many
/// of them are affected, on a second line.
pub fn collapsed_caption(lang: Lang, c: &Collapsed, kind: ViewKind) -> String {
    let mut caption = lang.msg_with("collapsed", &[("n", num(c.nodes))]);
    if kind != ViewKind::Map {
        caption.push('\n');
        caption.push_str(&lang.msg_with("collapsed-affected", &[("n", num(c.affected))]));
    }
    caption
}

/// `added`, `removed` or `changed`.
pub fn change_word(lang: Lang, c: ChangeKind) -> String {
    lang.msg(match c {
        ChangeKind::Added => "change-added",
        ChangeKind::Removed => "change-removed",
        ChangeKind::Changed => "change-changed",
    })
}

/// Nodes down in a blast radius, `-` when the node is not in that inventory.
pub fn down(r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| r.down.to_string())
}

/// A blast radius by grade, `-` when the node is not in that inventory.
pub fn by_grade(lang: Lang, r: Option<Radius>) -> String {
    r.map_or_else(|| "-".to_owned(), |r| grade_counts(lang, &r.by_grade))
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
    use crate::lang::Lang;

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
        let span = |s| super::span(Lang::En, s);
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
        let hours = |h| hours(Lang::En, h);
        assert_eq!(hours(0.0), "0 h");
        assert_eq!(hours(12.0), "12 h");
        assert_eq!(hours(1.5), "1.5 h");
        assert_eq!(hours(48.0), "2 d");
        assert_eq!(hours(26.0), "26 h");
        assert_eq!(hours(1000.0), "1,000 h");
        assert_eq!(hours(1234.5), "1,234.5 h");
        assert_eq!(hours(876_000.0), "36,500 d");
        assert_eq!(hours(0.25), "0.25 h");
        assert_eq!(super::hours(Lang::Ko, 4.0), "4시간");
        assert_eq!(super::hours(Lang::Ko, 48.0), "2일");
    }
}
