//! Markdown documents to file or paste in a review: the interconnection impact assessment
//! (an annex an architect can file as is, with a Mermaid diagram GitHub and GitLab draw in
//! place) and the inventory diff (for a merge request).

use std::io::{self, Write};

use super::style::{self, by_grade, change_word, down, escape, hours, rate, signed, span};
use crate::analysis::RecoveryPlan;
use crate::analysis::assess::{Assessment, ChangedNode, LoadSection};
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::Finding;
use crate::engine::{Affected, State};
use crate::lang::{Lang, num, text};

/// A Markdown table's header row and separator: the columns are message ids, the
/// alignments (`---`, `:-:`, `--:`) the separator's cells.
fn header(lang: Lang, columns: &[&str], align: &[&str]) -> String {
    let names: Vec<String> = columns.iter().map(|c| lang.msg(c)).collect();
    format!("| {} |\n|{}|\n", names.join(" | "), align.join("|"))
}

/// Escaped Markdown text.
fn md(text: &str) -> String {
    escape::markdown(text)
}

/// A code span, outside a table.
fn code(text: &str) -> String {
    escape::markdown_code(text, false)
}

/// A code span in a table cell.
fn cell_code(text: &str) -> String {
    escape::markdown_code(text, true)
}

fn agency<S: AsRef<str>>(a: &Option<S>) -> String {
    a.as_ref()
        .map_or_else(|| "-".to_owned(), |a| md(a.as_ref()))
}

/// Ids as code spans (in a table cell when `in_table`), joined with `sep`.
fn codes<S: AsRef<str>>(ids: &[S], sep: &str, in_table: bool) -> String {
    ids.iter()
        .map(|id| escape::markdown_code(id.as_ref(), in_table))
        .collect::<Vec<_>>()
        .join(sep)
}

fn node_cell(lang: Lang, n: &ChangedNode) -> String {
    format!(
        "{} {} ({})",
        cell_code(&n.id),
        md(&n.name),
        style::grade_label(lang, n.grade)
    )
}

/// A message of ripplemap's own that quotes inventory values between backticks: the
/// quotes become code spans, the prose is escaped. Unbalanced backticks (a value that
/// holds one) leave it all escaped as text: inert either way.
fn message(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        return md(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| if i % 2 == 0 { md(part) } else { code(part) })
        .collect()
}

/// One finding as a list item: `- **error** `rule` (file:line): message`.
fn finding(f: &Finding, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let at = f
        .locations
        .first()
        .map(|l| format!(" ({}:{})", md(&l.file.display().to_string()), l.line))
        .unwrap_or_default();
    writeln!(
        w,
        "- **{}** {}{at}: {}",
        style::keyword(lang, f.severity.as_str()),
        code(f.rule.id()),
        message(&f.key.text(lang))
    )
}

/// The recovery table of an assessment's window: each node down in the window by back
/// time, the changed ones back when the window ends.
fn recovery(p: &RecoveryPlan, window: f64, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    let span = |secs| span(lang, secs);
    writeln!(
        w,
        "### {}\n\n{}\n",
        lang.msg("assess-back-title"),
        lang.msg_with("assess-back-text", &[("window", text(hours(lang, window)))])
    )?;
    let cols = [
        "col-back",
        "col-id",
        "col-name",
        "col-grade",
        "col-ready",
        "col-restore",
    ];
    let mut header: Vec<String> = cols.iter().map(|c| lang.msg(c)).collect();
    header.push(lang.msg("col-target"));
    writeln!(
        w,
        "| {} |\n|--:|---|---|:-:|--:|--:|---|",
        header.join(" | ")
    )?;
    for i in p.by_back_time() {
        let s = &p.steps[i];
        let target = match s.grade.and_then(|g| *p.targets.get(Some(g))) {
            None => String::new(),
            Some(t) => lang.msg_with(
                if p.breached(s) {
                    "assess-target-missed"
                } else {
                    "assess-target-met"
                },
                &[("target", text(span(t)))],
            ),
        };
        let changed = if s.failed {
            format!(" {}", lang.msg("assess-changed-mark"))
        } else {
            String::new()
        };
        writeln!(
            w,
            "| {} | {}{changed} | {} | {} | {} | {} | {} |",
            span(s.times.back),
            cell_code(&s.id),
            md(&s.name),
            style::grade(s.grade),
            span(s.times.ready),
            span(s.times.restore),
            target
        )?;
    }
    let last = p.last_back().map_or_else(String::new, |s| {
        lang.msg_with("assess-back-last", &[("id", text(code(&s.id)))])
    });
    let targets = if p.targets.iter().all(|(_, t)| t.is_none()) {
        String::new()
    } else {
        match p.rto_breaches.len() {
            0 => lang.msg("assess-targets-all-met"),
            n => lang.msg_with("assess-targets-missed", &[("n", num(n))]),
        }
    };
    writeln!(
        w,
        "\n{}{last}{targets}.\n",
        lang.msg_with(
            "assess-back-all",
            &[
                ("n", num(p.steps.len())),
                ("time", text(span(p.all_back())))
            ]
        ),
    )
}

/// The changed nodes' load on a normal day and their headroom (after section 2).
fn load_section(load: &LoadSection, lang: Lang, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "### {}\n", lang.msg("assess-load-title"))?;
    if let Some(why) = &load.load_loop {
        return writeln!(
            w,
            "{}\n",
            lang.msg_with("assess-load-undefined", &[("why", text(message(why)))])
        );
    }
    let cols = [
        "col-id",
        "col-name",
        "col-load-rps",
        "col-capacity",
        "col-utilization",
        "col-headroom",
    ];
    let header: Vec<String> = cols.iter().map(|c| lang.msg(c)).collect();
    writeln!(w, "| {} |\n|---|---|--:|--:|--:|--:|", header.join(" | "))?;
    for n in &load.nodes {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} | {} |",
            cell_code(&n.id),
            md(&n.name),
            rate(n.load),
            n.capacity.map_or_else(|| "-".to_owned(), rate),
            n.utilization
                .map_or_else(|| "-".to_owned(), |u| format!("{:.0}%", u * 100.0)),
            match (n.headroom, n.capacity) {
                (Some(h), _) => format!("×{h:.2}"),
                (None, Some(_)) => lang.msg("assess-no-load"),
                (None, None) => lang.msg("assess-no-capacity"),
            }
        )?;
    }
    writeln!(w, "\n{}\n", lang.msg("assess-load-text"))
}

/// The assessment; `inventory` is the path shown as the source, and `diagram` writes the
/// Mermaid flowchart of the affected neighbourhood (section 8) when called.
pub fn assessment(
    a: &Assessment,
    inventory: &str,
    lang: Lang,
    diagram: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut scope: Vec<&str> = a.changed_nodes.iter().map(|n| n.id.as_str()).collect();
    scope.extend(a.changed_links.iter().map(|l| l.id.as_str()));
    let none = lang.msg("assess-none");
    writeln!(
        w,
        "# {}\n",
        lang.msg_with(
            "assess-title",
            &[("scope", text(codes(&scope, ", ", false)))]
        )
    )?;
    writeln!(
        w,
        "{}\n",
        lang.msg_with(
            "assess-source",
            &[
                ("inventory", text(code(inventory))),
                ("version", text(env!("CARGO_PKG_VERSION"))),
            ]
        )
    )?;

    // 1. Scope.
    writeln!(w, "## {}\n", lang.msg("assess-scope"))?;
    if !a.changed_nodes.is_empty() {
        writeln!(w, "{}\n", lang.msg("assess-changed-systems"))?;
        w.write_all(
            header(
                lang,
                &[
                    "col-id",
                    "col-name",
                    "col-kind",
                    "col-grade",
                    "col-agency",
                    "col-written-at",
                ],
                &["---", "---", "---", ":-:", "---", "---"],
            )
            .as_bytes(),
        )?;
        for n in &a.changed_nodes {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                cell_code(&n.id),
                md(&n.name),
                style::keyword(lang, &n.kind),
                style::grade(n.grade),
                agency(&n.agency),
                md(&n.at)
            )?;
        }
        writeln!(w)?;
    }
    if !a.changed_links.is_empty() {
        writeln!(w, "{}\n", lang.msg("assess-changed-links"))?;
        w.write_all(
            header(
                lang,
                &[
                    "col-id",
                    "col-consumer",
                    "col-provider",
                    "col-terms",
                    "col-written-at",
                ],
                &["---", "---", "---", "---", "---"],
            )
            .as_bytes(),
        )?;
        for l in &a.changed_links {
            writeln!(
                w,
                "| {} | {}, {} | {}, {} | {} | {} |",
                cell_code(&l.id),
                node_cell(lang, &l.consumer),
                agency(&l.consumer.agency),
                node_cell(lang, &l.provider),
                agency(&l.provider.agency),
                md(&l.terms),
                md(&l.at)
            )?;
        }
        writeln!(w)?;
    }
    let s = &a.change.summary;
    writeln!(
        w,
        "{}\n",
        lang.msg_with(
            "assess-summary",
            &[
                ("affected", num(s.affected)),
                ("direct", num(s.direct)),
                ("agencies", num(s.agencies.len())),
            ]
        )
    )?;

    // 2. Level.
    writeln!(w, "## {}\n", lang.msg("assess-level"))?;
    match a.level.most_critical_grade {
        Some(g) => writeln!(
            w,
            "{}\n",
            lang.msg_with(
                "assess-most-critical",
                &[
                    ("grade", text(style::grade_word(lang, g))),
                    (
                        "nodes",
                        text(codes(&a.level.most_critical_nodes, ", ", false))
                    ),
                ]
            )
        )?,
        None => writeln!(w, "{}\n", lang.msg("assess-no-graded"))?,
    }
    if a.level.requirements.is_empty() {
        writeln!(w, "{}\n", lang.msg("assess-required-nothing"))?;
    } else {
        writeln!(w, "{}\n", lang.msg("assess-required"))?;
        for r in &a.level.requirements {
            let grades: Vec<String> = (1..=r.grade.get()).map(|g| g.to_string()).collect();
            let scope = match grades.as_slice() {
                [init @ .., last] if !init.is_empty() => lang.msg_with(
                    "assess-level-scope-many",
                    &[
                        ("init", text(init.join(", "))),
                        ("last", text(last.as_str())),
                    ],
                ),
                _ => lang.msg_with(
                    "assess-level-scope-one",
                    &[("grade", text(r.grade.to_string()))],
                ),
            };
            writeln!(
                w,
                "- **{}** ({scope})",
                md(&style::requirement(lang, &r.requirement))
            )?;
        }
        writeln!(w)?;
    }

    if let Some(load) = &a.load {
        load_section(load, lang, w)?;
    }

    // 3 and 4. Consumers.
    let split = a.change.affected.partition_point(|r| r.depth == 1);
    let (direct, transitive) = a.change.affected.split_at(split);
    writeln!(
        w,
        "## {}\n",
        lang.msg_with("assess-direct", &[("n", num(direct.len()))])
    )?;
    if direct.is_empty() {
        writeln!(w, "{none}\n")?;
    } else {
        w.write_all(
            header(
                lang,
                &["col-id", "col-name", "col-grade", "col-agency", "col-path"],
                &["---", "---", ":-:", "---", "---"],
            )
            .as_bytes(),
        )?;
        for r in direct {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} |",
                cell_code(r.id),
                md(r.name),
                style::grade(r.grade),
                agency(&r.agency),
                style::path(lang, &a.change.short_path(r), " → ", |s| cell_code(s)
                    .into())
            )?;
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "## {}\n",
        lang.msg_with("assess-transitive", &[("n", num(transitive.len()))])
    )?;
    if transitive.is_empty() {
        writeln!(w, "{none}\n")?;
    } else {
        w.write_all(
            header(
                lang,
                &[
                    "col-depth",
                    "col-id",
                    "col-name",
                    "col-grade",
                    "col-agency",
                    "col-path",
                ],
                &["--:", "---", "---", ":-:", "---", "---"],
            )
            .as_bytes(),
        )?;
        for r in transitive {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                r.depth,
                cell_code(r.id),
                md(r.name),
                style::grade(r.grade),
                agency(&r.agency),
                style::path(lang, &a.change.short_path(r), " → ", |s| cell_code(s)
                    .into())
            )?;
        }
        writeln!(w)?;
    }

    // 5. Window.
    match (&a.window, a.window_hours) {
        (Some(imp), Some(h)) => {
            writeln!(
                w,
                "## {}\n",
                lang.msg_with("assess-window", &[("hours", text(hours(lang, h)))])
            )?;
            writeln!(w, "{}\n", lang.msg("assess-window-how"))?;
            let down: Vec<&Affected> = imp
                .affected
                .iter()
                .filter(|x| x.state == State::Down && !x.seed)
                .collect();
            let degraded: Vec<&Affected> = imp
                .affected
                .iter()
                .filter(|x| x.state == State::Degraded)
                .collect();
            for (title, rows) in [
                ("assess-window-down", &down),
                ("assess-window-degraded", &degraded),
            ] {
                writeln!(w, "{}\n", lang.msg_with(title, &[("n", num(rows.len()))]))?;
                if rows.is_empty() {
                    writeln!(w, "{none}\n")?;
                    continue;
                }
                w.write_all(
                    header(
                        lang,
                        &[
                            "col-at",
                            "col-id",
                            "col-name",
                            "col-grade",
                            "col-agency",
                            "col-path",
                        ],
                        &["--:", "---", "---", ":-:", "---", "---"],
                    )
                    .as_bytes(),
                )?;
                for x in rows.iter() {
                    writeln!(
                        w,
                        "| {} | {} | {} | {} | {} | {} |",
                        hours(lang, x.at_hours),
                        cell_code(x.id),
                        md(x.name),
                        style::grade(x.grade),
                        agency(&x.agency),
                        style::path(lang, &imp.short_path(x), " → ", |s| cell_code(s).into())
                    )?;
                }
                writeln!(w)?;
            }
            if let Some(p) = &a.recovery {
                recovery(p, h, lang, w)?;
            }
        }
        _ => writeln!(
            w,
            "## {}\n\n{}\n",
            lang.msg("assess-no-window"),
            lang.msg("assess-no-window-text")
        )?,
    }

    // 6. Notification list.
    writeln!(w, "## {}\n", lang.msg("assess-notify"))?;
    if a.notify.is_empty() {
        writeln!(w, "{}\n", lang.msg("assess-notify-nobody"))?;
    }
    for g in &a.notify {
        let name = g
            .agency
            .as_deref()
            .map_or_else(|| lang.msg("assess-no-agency"), md);
        writeln!(w, "- **{name}** ({})", g.nodes.len())?;
        for n in &g.nodes {
            let how = if n.depth == 1 {
                lang.msg("assess-notify-direct")
            } else {
                lang.msg_with("state-depth", &[("depth", num(n.depth as usize))])
            };
            writeln!(
                w,
                "  - {} {} ({}; {how})",
                code(&n.id),
                md(&n.name),
                style::grade_label(lang, n.grade)
            )?;
        }
    }
    if !a.notify.is_empty() {
        writeln!(w)?;
    }

    // 7. Findings.
    writeln!(
        w,
        "## {}\n",
        lang.msg_with("assess-findings", &[("n", num(a.findings.len()))])
    )?;
    if a.findings.is_empty() {
        writeln!(w, "{none}\n")?;
    }
    for f in &a.findings {
        finding(f, lang, w)?;
    }
    if !a.findings.is_empty() {
        writeln!(w)?;
    }

    // 8. Diagram.
    writeln!(w, "## {}\n\n```mermaid", lang.msg("assess-diagram"))?;
    diagram(w)?;
    w.write_all(b"```\n")?;

    // 9. Sign-off, where the language's form has one (the Korean form does).
    let sign_off = lang.msg("assess-sign-off");
    if !sign_off.is_empty() {
        writeln!(w, "\n{sign_off}")?;
    }
    Ok(())
}

/// The diff of `old` and `new` (the paths shown), for a merge request or an annex.
pub fn diff(
    d: &InventoryDiff,
    old: &str,
    new: &str,
    lang: Lang,
    w: &mut dyn Write,
) -> io::Result<()> {
    writeln!(w, "# {}\n", lang.msg("diff-md-title"))?;
    writeln!(w, "{} → {}\n", code(old), code(new))?;
    if d.is_empty() {
        return writeln!(w, "{}", lang.msg("diff-none"));
    }
    let s = &d.summary;
    writeln!(
        w,
        "{}\n",
        lang.msg_with(
            "diff-md-summary",
            &[
                ("added", num(s.added)),
                ("removed", num(s.removed)),
                ("changed", num(s.changed)),
                ("n", num(s.new_errors)),
            ]
        )
    )?;
    if !d.items.is_empty() {
        writeln!(w, "## {}\n", lang.msg("diff-md-changes"))?;
        w.write_all(
            header(
                lang,
                &[
                    "col-change",
                    "col-item",
                    "col-id",
                    "col-field",
                    "col-old",
                    "col-new",
                ],
                &["---", "---", "---", "---", "---", "---"],
            )
            .as_bytes(),
        )?;
        for it in &d.items {
            let item = style::keyword(lang, it.item);
            if it.fields.is_empty() {
                writeln!(
                    w,
                    "| {} | {} | {} | | | |",
                    change_word(lang, it.change),
                    item,
                    cell_code(&it.id)
                )?;
            }
            for f in &it.fields {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} |",
                    change_word(lang, it.change),
                    item,
                    cell_code(&it.id),
                    f.field,
                    md(&f.old),
                    md(&f.new)
                )?;
            }
        }
        writeln!(w)?;
    }
    if !d.radius.is_empty() {
        writeln!(
            w,
            "## {}\n\n{}\n",
            lang.msg("diff-md-radius"),
            lang.msg("diff-md-radius-text")
        )?;
        w.write_all(
            header(
                lang,
                &[
                    "col-id",
                    "col-grade",
                    "col-before",
                    "col-after",
                    "col-change",
                    "col-before-by-grade",
                    "col-after-by-grade",
                ],
                &["---", ":-:", "--:", "--:", "--:", "---", "---"],
            )
            .as_bytes(),
        )?;
        for r in &d.radius {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell_code(&r.id),
                style::grade(r.grade),
                down(r.old),
                down(r.new),
                signed(r.delta),
                by_grade(lang, r.old),
                by_grade(lang, r.new)
            )?;
        }
        writeln!(w)?;
    }
    for (title, list) in [
        ("diff-md-new-findings", &d.new_findings),
        ("diff-md-resolved-findings", &d.resolved_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "## {}\n", lang.msg(title))?;
        for f in list {
            finding(f, lang, w)?;
        }
        writeln!(w)?;
    }
    Ok(())
}
