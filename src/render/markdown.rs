//! Markdown documents to file or paste in a review: the interconnection impact assessment
//! (an annex an architect can file as is, with a Mermaid diagram GitHub and GitLab draw in
//! place) and the inventory diff (for a merge request).

use std::io::{self, Write};

use super::style::{
    self, by_grade, change_word, down, escape, hours, plural, rate, signed, span,
};
use crate::analysis::RecoveryPlan;
use crate::analysis::assess::{Assessment, ChangedNode, LoadSection};
use crate::analysis::diff::InventoryDiff;
use crate::analysis::policy::Finding;
use crate::engine::{Affected, State};

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

fn node_cell(n: &ChangedNode) -> String {
    format!(
        "{} {} (grade {})",
        cell_code(&n.id),
        md(&n.name),
        style::grade(n.grade)
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
fn finding(f: &Finding, w: &mut dyn Write) -> io::Result<()> {
    let at = f
        .locations
        .first()
        .map(|l| format!(" ({}:{})", md(&l.file.display().to_string()), l.line))
        .unwrap_or_default();
    writeln!(
        w,
        "- **{}** {}{at}: {}",
        f.severity.as_str(),
        code(f.rule.id()),
        message(&f.message)
    )
}

/// The recovery table of an assessment's window: each node down in the window by back
/// time, the changed ones back when the window ends.
fn recovery(p: &RecoveryPlan, window: f64, w: &mut dyn Write) -> io::Result<()> {
    writeln!(
        w,
        "### Back after the window\n\nThe changed systems are back when the window ends ({}). Every other system that went down is back once what it needs is back (a redundancy group once enough members are) and its own `restore` work is done; dependency cycles come back together; no crew limit (SPEC section 5). Targets are the inventory's `[recovery]` table.\n",
        hours(window)
    )?;
    w.write_all(
        b"| back | id | name | grade | ready | restore | target |\n|--:|---|---|:-:|--:|--:|---|\n",
    )?;
    for i in p.by_back_time() {
        let s = &p.steps[i];
        let target = match s.grade.and_then(|g| *p.targets.get(Some(g))) {
            None => String::new(),
            Some(t) if p.breached(s) => format!("**missed** ({})", span(t)),
            Some(t) => format!("met ({})", span(t)),
        };
        writeln!(
            w,
            "| {} | {}{} | {} | {} | {} | {} | {} |",
            span(s.times.back),
            cell_code(&s.id),
            if s.failed { " (changed)" } else { "" },
            md(&s.name),
            style::grade(s.grade),
            span(s.times.ready),
            span(s.times.restore),
            target
        )?;
    }
    let last = p
        .last_back()
        .map_or_else(String::new, |s| format!(", the last {}", code(&s.id)));
    let targets = if p.targets.iter().all(|(_, t)| t.is_none()) {
        String::new()
    } else {
        match p.rto_breaches.len() {
            0 => "; every system meets the target of its grade".to_owned(),
            1 => "; 1 system misses the target of its grade".to_owned(),
            n => format!("; {n} systems miss the target of their grade"),
        }
    };
    writeln!(
        w,
        "\nAll {} systems back at {}{last}{targets}.\n",
        p.steps.len(),
        span(p.all_back()),
    )
}

/// The changed nodes' load on a normal day and their headroom (after section 2).
fn load_section(load: &LoadSection, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(b"### Load on a normal day\n\n")?;
    if let Some(why) = &load.load_loop {
        return writeln!(w, "Loads are not defined: {}.\n", message(why));
    }
    w.write_all(b"| id | name | load (requests/s) | capacity | utilization | headroom |\n|---|---|--:|--:|--:|--:|\n")?;
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
                (None, Some(_)) => "no load".to_owned(),
                (None, None) => "no capacity".to_owned(),
            }
        )?;
    }
    w.write_all(b"\nHeadroom is how many times today's load fits in the capacity. A load test before going live should reach the load of the largest surge the system must withstand: `ripplemap surge` gives it, by the path it arrives.\n\n")
}

/// The assessment; `inventory` is the path shown as the source, and `diagram` writes the
/// Mermaid flowchart of the affected neighbourhood (section 8) when called.
pub fn assessment(
    a: &Assessment,
    inventory: &str,
    diagram: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut scope: Vec<&str> = a.changed_nodes.iter().map(|n| n.id.as_str()).collect();
    scope.extend(a.changed_links.iter().map(|l| l.id.as_str()));
    writeln!(
        w,
        "# Interconnection impact assessment: {}\n",
        codes(&scope, ", ", false)
    )?;
    writeln!(
        w,
        "Inventory: {} · generated by ripplemap {}\n",
        code(inventory),
        env!("CARGO_PKG_VERSION")
    )?;

    // 1. Scope.
    w.write_all(b"## 1. Scope of the change\n\n")?;
    if !a.changed_nodes.is_empty() {
        w.write_all(b"Changed systems:\n\n| id | name | kind | grade | agency | written at |\n|---|---|---|:-:|---|---|\n")?;
        for n in &a.changed_nodes {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                cell_code(&n.id),
                md(&n.name),
                n.kind,
                style::grade(n.grade),
                agency(&n.agency),
                md(&n.at)
            )?;
        }
        writeln!(w)?;
    }
    if !a.changed_links.is_empty() {
        w.write_all(b"Changed links:\n\n| id | consumer | provider | terms | written at |\n|---|---|---|---|---|\n")?;
        for l in &a.changed_links {
            writeln!(
                w,
                "| {} | {}, {} | {}, {} | {} | {} |",
                cell_code(&l.id),
                node_cell(&l.consumer),
                agency(&l.consumer.agency),
                node_cell(&l.provider),
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
        "{} node{} depend on the change, {} of them directly; {} agenc{} to notify.\n",
        s.affected,
        plural(s.affected),
        s.direct,
        s.agencies.len(),
        if s.agencies.len() == 1 { "y" } else { "ies" }
    )?;

    // 2. Level.
    w.write_all(b"## 2. Assessment level\n\n")?;
    match a.level.most_critical_grade {
        Some(g) => writeln!(
            w,
            "Most critical grade affected: **grade {g}** ({}).\n",
            codes(&a.level.most_critical_nodes, ", ", false)
        )?,
        None => w.write_all(b"No graded node is affected.\n\n")?,
    }
    if a.level.requirements.is_empty() {
        w.write_all(b"Required: no additional review or test.\n\n")?;
    } else {
        w.write_all(b"Required:\n\n")?;
        for r in &a.level.requirements {
            let grades: Vec<String> = (1..=r.grade.get()).map(|g| g.to_string()).collect();
            let scope = match grades.as_slice() {
                [init @ .., last] if !init.is_empty() => {
                    format!("a grade {} or {last} system is affected", init.join(", "))
                }
                _ => format!("a grade {} system is affected", r.grade),
            };
            writeln!(w, "- **{}** ({scope})", md(&r.requirement))?;
        }
        writeln!(w)?;
    }

    if let Some(load) = &a.load {
        load_section(load, w)?;
    }

    // 3 and 4. Consumers.
    let split = a.change.affected.partition_point(|r| r.depth == 1);
    let (direct, transitive) = a.change.affected.split_at(split);
    writeln!(
        w,
        "## 3. Direct consumers: notify and retest ({})\n",
        direct.len()
    )?;
    if direct.is_empty() {
        w.write_all(b"None.\n\n")?;
    } else {
        w.write_all(b"| id | name | grade | agency | path |\n|---|---|:-:|---|---|\n")?;
        for r in direct {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} |",
                cell_code(r.id),
                md(r.name),
                style::grade(r.grade),
                agency(&r.agency),
                style::path(&a.change.short_path(r), " → ", cell_code)
            )?;
        }
        writeln!(w)?;
    }
    writeln!(
        w,
        "## 4. Transitive consumers, by depth ({})\n",
        transitive.len()
    )?;
    if transitive.is_empty() {
        w.write_all(b"None.\n\n")?;
    } else {
        w.write_all(b"| depth | id | name | grade | agency | path |\n|--:|---|---|:-:|---|---|\n")?;
        for r in transitive {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                r.depth,
                cell_code(r.id),
                md(r.name),
                style::grade(r.grade),
                agency(&r.agency),
                style::path(&a.change.short_path(r), " → ", cell_code)
            )?;
        }
        writeln!(w)?;
    }

    // 5. Window.
    match (&a.window, a.window_hours) {
        (Some(imp), Some(h)) => {
            writeln!(
                w,
                "## 5. Downtime window of {}: failure simulation\n",
                hours(h)
            )?;
            w.write_all(b"The changed items are taken down at hour 0 for the window; links are lost after their tolerance, groups after enough members (SPEC section 2).\n\n")?;
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
                ("Down during the window", &down),
                ("Degraded only", &degraded),
            ] {
                writeln!(w, "{title} ({}):\n", rows.len())?;
                if rows.is_empty() {
                    w.write_all(b"None.\n\n")?;
                    continue;
                }
                w.write_all(
                    b"| at | id | name | grade | agency | path |\n|--:|---|---|:-:|---|---|\n",
                )?;
                for x in rows.iter() {
                    writeln!(
                        w,
                        "| {} | {} | {} | {} | {} | {} |",
                        hours(x.at_hours),
                        cell_code(x.id),
                        md(x.name),
                        style::grade(x.grade),
                        agency(&x.agency),
                        style::path(&imp.short_path(x), " → ", cell_code)
                    )?;
                }
                writeln!(w)?;
            }
            if let Some(p) = &a.recovery {
                recovery(p, h, w)?;
            }
        }
        _ => w.write_all(b"## 5. Downtime window\n\nNo downtime planned (`--window` not given): no failure simulation.\n\n")?,
    }

    // 6. Notification list.
    w.write_all(b"## 6. Notification list, by agency\n\n")?;
    if a.notify.is_empty() {
        w.write_all(b"Nobody depends on the change.\n\n")?;
    }
    for g in &a.notify {
        let name = g
            .agency
            .as_deref()
            .map_or_else(|| "(no agency)".to_owned(), md);
        writeln!(w, "- **{name}** ({})", g.nodes.len())?;
        for n in &g.nodes {
            let how = if n.depth == 1 {
                "direct: retest".to_owned()
            } else {
                format!("depth {}", n.depth)
            };
            writeln!(
                w,
                "  - {} {} (grade {}; {how})",
                code(&n.id),
                md(&n.name),
                style::grade(n.grade)
            )?;
        }
    }
    if !a.notify.is_empty() {
        writeln!(w)?;
    }

    // 7. Findings.
    writeln!(
        w,
        "## 7. Policy findings touching the change ({})\n",
        a.findings.len()
    )?;
    if a.findings.is_empty() {
        w.write_all(b"None.\n\n")?;
    }
    for f in &a.findings {
        finding(f, w)?;
    }
    if !a.findings.is_empty() {
        writeln!(w)?;
    }

    // 8. Diagram.
    w.write_all(b"## 8. Affected neighbourhood\n\n```mermaid\n")?;
    diagram(w)?;
    w.write_all(b"```\n")
}

/// The diff of `old` and `new` (the paths shown), for a merge request or an annex.
pub fn diff(d: &InventoryDiff, old: &str, new: &str, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "# Inventory diff\n")?;
    writeln!(w, "{} → {}\n", code(old), code(new))?;
    if d.is_empty() {
        return w.write_all(b"No differences: the two inventories load to the same model.\n");
    }
    let s = &d.summary;
    writeln!(
        w,
        "{} added, {} removed, {} changed; {} new error-level finding{}.\n",
        s.added,
        s.removed,
        s.changed,
        s.new_errors,
        plural(s.new_errors)
    )?;
    if !d.items.is_empty() {
        w.write_all(
            b"## Changes\n\n| change | item | id | field | old | new |\n|---|---|---|---|---|---|\n",
        )?;
        for it in &d.items {
            if it.fields.is_empty() {
                writeln!(
                    w,
                    "| {} | {} | {} | | | |",
                    change_word(it.change),
                    it.item,
                    cell_code(&it.id)
                )?;
            }
            for f in &it.fields {
                writeln!(
                    w,
                    "| {} | {} | {} | {} | {} | {} |",
                    change_word(it.change),
                    it.item,
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
        w.write_all(b"## Single-failure blast radius\n\nNodes down when the node fails alone (no horizon).\n\n| id | grade | before | after | change | before, by grade | after, by grade |\n|---|:-:|--:|--:|--:|---|---|\n")?;
        for r in &d.radius {
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell_code(&r.id),
                style::grade(r.grade),
                down(r.old),
                down(r.new),
                signed(r.delta),
                by_grade(r.old),
                by_grade(r.new)
            )?;
        }
        writeln!(w)?;
    }
    for (title, list) in [
        ("New policy findings", &d.new_findings),
        ("Resolved policy findings", &d.resolved_findings),
    ] {
        if list.is_empty() {
            continue;
        }
        writeln!(w, "## {title}\n")?;
        for f in list {
            finding(f, w)?;
        }
        writeln!(w)?;
    }
    Ok(())
}
