//! Format-neutral records: each reader (TOML, JSON, CSV) turns its input into records, and
//! one builder turns records into typed items, so every rule is written once.

use crate::grade::Grade;
use std::borrow::Cow;
use std::path::Path;
use std::path::PathBuf;
use std::sync::Arc;

use super::diag::{Diagnostic, echo};
use super::model::{
    Effect, GroupDecl, Link, LinkKind, Mode, Node, NodeKind, Origin, PolicySetting, RtoTarget,
    Severity, Sheet, Text,
};
use super::rule::Rule;
use super::schema::{self, FieldDef};

/// Which table or file a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Section {
    /// `[[system]]` / a non-site row of `systems.csv`.
    System,
    /// `[[site]]` / a row of `systems.csv` with kind `site`.
    Site,
    /// `[[link]]` / `links.csv`.
    Link,
    /// `[[group]]` / `groups.csv`.
    Group,
    /// One entry of the `[policy]` table / a row of `policy.csv`.
    Policy,
    /// One entry of the `[recovery]` table's `rto` / a row of `recovery.csv`.
    Recovery,
}

/// A field value as the format wrote it.
#[derive(Debug, Clone)]
pub(crate) enum Val<'a> {
    /// An untyped CSV cell: parsed according to the field.
    Cell(&'a str),
    /// A string.
    Str(Cow<'a, str>),
    /// An integer (`raw` kept for echoing it back).
    Int(Option<i64>, Cow<'a, str>),
    /// A float, as written (in Rust's `f64` syntax).
    Float(Cow<'a, str>),
    /// Any other scalar or structure, named by its type for the error message.
    Other(&'static str),
    /// A list.
    List(Vec<(Val<'a>, usize)>),
    /// A value the reader could not take and has already reported (a spreadsheet's date
    /// cell): the field is present, and reads as no value without a second error.
    Reported,
}

impl Val<'_> {
    fn type_name(&self) -> &'static str {
        match self {
            Val::Cell(_) | Val::Str(_) => "a string",
            Val::Int(..) => "an integer",
            Val::Float(_) => "a float",
            Val::Other(t) => t,
            Val::List(_) => "a list",
            Val::Reported => "an unreadable value",
        }
    }
}

/// One named field of a record, with its line.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    pub name: Cow<'a, str>,
    pub val: Val<'a>,
    pub line: usize,
}

/// One table, object or CSV row.
#[derive(Debug, Clone)]
pub(crate) struct Record<'a> {
    pub section: Section,
    pub line: usize,
    pub fields: Vec<Field<'a>>,
    /// For the section's known field `i`, 1 + its position in `fields` (0: absent), when
    /// the reader already knows every field is known and given once (a CSV row, checked
    /// with its header); otherwise `None` and the fields are checked one by one.
    pub slots: Option<[u32; 16]>,
}

/// The longest id, name or other text accepted: longer values are almost always a broken
/// export (a whole column pasted into one cell), and they would make every report unreadable.
pub(crate) const MAX_TEXT: usize = 1024;
/// What a tolerance looks like.
const DURATION: &str = "a duration such as 0, 30m, 4h, 2d or 1h30m";
/// What a tolerance looks like, when a number was written without a unit.
const DURATION_STRING: &str =
    "a duration in quotes with its unit, such as \"0\", \"30m\", \"4h\", \"2d\" or \"1h30m\"";
/// The longest node or link id accepted.
pub(crate) const MAX_ID: usize = 200;

impl Section {
    /// The fields a record of this section may have, from the schema.
    pub(crate) fn fields(self) -> &'static [FieldDef] {
        match self {
            Section::System | Section::Site => schema::NODE,
            Section::Link => schema::LINK,
            Section::Group => schema::GROUP,
            Section::Policy => schema::POLICY,
            Section::Recovery => schema::RECOVERY,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Section::System => "system",
            Section::Site => "site",
            Section::Link => "link",
            Section::Group => "group",
            Section::Policy => "policy setting",
            Section::Recovery => "recovery target",
        }
    }
}

/// Parsed items of one file, before cross-references are checked.
#[derive(Debug, Default)]
pub(crate) struct Items {
    pub nodes: Vec<Node>,
    /// Links (those without a written id get a default one once all are known).
    pub links: Vec<Link>,
    /// Whether each link's id was written, and the lines its checks name, by link position.
    pub link_lines: Vec<LinkLines>,
    /// Line of each node's `sites` field, by node position.
    pub sites_lines: Vec<usize>,
    pub groups: Vec<GroupDecl>,
    /// Line of each group's `min` field (its record's line when absent), by group position.
    pub min_lines: Vec<usize>,
    /// Line of each node's `id` field, by node position.
    pub id_lines: Vec<usize>,
    /// Some input could not be read at all (a malformed file, an unreadable row): ids may
    /// be missing, so references to unknown ids are not reported.
    pub incomplete: bool,
    /// Policy rule severities (`[policy]` table, `policy.csv`), in the order written.
    pub policy: Vec<PolicySetting>,
    /// Recovery-time targets (`[recovery]` table, `recovery.csv`), in the order written.
    pub rto: Vec<RtoTarget>,
}

impl Items {
    /// Adds a node, with the lines of its `sites` and `id` fields.
    pub(crate) fn push_node(&mut self, node: Node, sites_line: usize, id_line: usize) {
        self.nodes.push(node);
        self.sites_lines.push(sites_line);
        self.id_lines.push(id_line);
    }

    /// Adds a link, with whether its id was written and the lines its checks name.
    pub(crate) fn push_link(&mut self, link: Link, lines: LinkLines) {
        self.links.push(link);
        self.link_lines.push(lines);
    }

    /// Adds a group declaration, with the line of its `min` field.
    pub(crate) fn push_group(&mut self, group: GroupDecl, min_line: usize) {
        self.groups.push(group);
        self.min_lines.push(min_line);
    }

    /// Appends `other`'s items after these (taking its buffers when these are empty).
    pub(crate) fn append(&mut self, other: Items) {
        let Items {
            mut nodes,
            mut links,
            mut link_lines,
            mut sites_lines,
            mut groups,
            mut min_lines,
            mut id_lines,
            incomplete,
            mut policy,
            mut rto,
        } = other;
        let items = self;
        merge(&mut items.nodes, &mut nodes);
        merge(&mut items.links, &mut links);
        merge(&mut items.link_lines, &mut link_lines);
        merge(&mut items.sites_lines, &mut sites_lines);
        merge(&mut items.groups, &mut groups);
        merge(&mut items.min_lines, &mut min_lines);
        merge(&mut items.id_lines, &mut id_lines);
        items.incomplete |= incomplete;
        merge(&mut items.policy, &mut policy);
        merge(&mut items.rto, &mut rto);
    }
}

/// Of a parsed link: whether its id was written, and the lines of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LinkLines {
    /// Whether the link's `id` was written.
    pub explicit: bool,
    /// Line of the `consumer` field.
    pub consumer_line: usize,
    /// Line of the `provider` field.
    pub provider_line: usize,
    /// Line of the `id` field (the record's line when absent).
    pub id_line: usize,
    /// Line of the `effect` field (the record's line when absent).
    pub effect_line: usize,
}

/// Turns records into typed items, collecting every problem.
pub(crate) struct Builder<'f> {
    file: &'f Path,
    arc_file: Arc<PathBuf>,
    /// The sheet being read, in a workbook.
    sheet: Option<Arc<Sheet>>,
    pub items: Items,
    pub diags: Vec<Diagnostic>,
}

/// Moves the items of `from` to the end of `into`; no copy when `into` is empty, and a
/// long copy (half a million links after the first half) made on every core.
pub(crate) fn merge<T: Send>(into: &mut Vec<T>, from: &mut Vec<T>) {
    const LONG: usize = 1 << 14;
    if into.is_empty() {
        std::mem::swap(into, from);
    } else if from.len() >= LONG {
        use rayon::prelude::*;
        into.par_extend(from.par_drain(..));
    } else {
        into.append(from);
    }
}

/// Checks a node id against `[A-Za-z0-9][A-Za-z0-9._:-]*`.
pub fn valid_node_id(id: &str) -> bool {
    let mut chars = id.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'))
}

impl<'f> Builder<'f> {
    pub(crate) fn new(file: &'f Path) -> Self {
        Builder {
            file,
            arc_file: Arc::new(file.to_path_buf()),
            sheet: None,
            items: Items::default(),
            diags: Vec::new(),
        }
    }

    /// An empty builder for the same file, to read a piece of it on another thread.
    pub(crate) fn fork(&self) -> Self {
        Builder {
            file: self.file,
            // Its own copy of the name: every item clones it, and threads cloning one
            // shared counter would fight over its cache line.
            arc_file: Arc::new(self.file.to_path_buf()),
            sheet: self.sheet.clone(),
            items: Items::default(),
            diags: Vec::new(),
        }
    }

    /// Makes room for `rows` more items of `section` (one item per line at most):
    /// reserving up front avoids regrowing, and copying, hundreds of megabytes.
    pub(crate) fn reserve(&mut self, section: Section, rows: usize) {
        let items = &mut self.items;
        match section {
            Section::System | Section::Site => {
                items.nodes.reserve(rows);
                items.sites_lines.reserve(rows);
                items.id_lines.reserve(rows);
            }
            Section::Link => {
                items.links.reserve(rows);
                items.link_lines.reserve(rows);
            }
            Section::Group => {
                items.groups.reserve(rows);
                items.min_lines.reserve(rows);
            }
            Section::Policy | Section::Recovery => {}
        }
    }

    /// Appends what `other` read after what this builder read (taking its buffers when
    /// this builder has read nothing).
    pub(crate) fn append(&mut self, other: Builder<'_>) {
        self.items.append(other.items);
        self.diags.extend(other.diags);
    }

    /// Reads the records that follow from `sheet` of a workbook.
    pub(crate) fn set_sheet(&mut self, sheet: Option<Arc<Sheet>>) {
        self.sheet = sheet;
    }

    /// Where the records being read are from, at `line`.
    pub(crate) fn origin_at(&self, line: usize) -> Origin {
        Origin {
            file: self.arc_file.clone(),
            line,
            sheet: self.sheet.clone(),
        }
    }

    /// A problem at `line` of the file (or sheet) being read.
    pub(crate) fn diag(&self, line: usize, message: impl Into<String>) -> Diagnostic {
        match &self.sheet {
            Some(_) => Diagnostic::at(&self.origin_at(line), line, message),
            None => Diagnostic::new(self.file, line, message),
        }
    }

    /// Records a problem at `line`.
    pub(crate) fn error(&mut self, line: usize, message: impl Into<String>) -> &mut Diagnostic {
        let d = self.diag(line, message);
        self.diags.push(d);
        let last = self.diags.len() - 1;
        &mut self.diags[last]
    }

    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    /// Adds one record; a record with errors adds no item but reports every error in it.
    pub(crate) fn add(&mut self, rec: &Record<'_>) {
        let mut r = Reader {
            b: self,
            rec,
            subject: Subject::None,
            slots: rec.slots.unwrap_or([0; 16]),
        };
        if rec.slots.is_none() {
            r.check_unknown_fields();
        }
        match rec.section {
            Section::System | Section::Site => r.node(),
            Section::Link => r.link(),
            Section::Group => r.group(),
            Section::Policy => r.policy(),
            Section::Recovery => r.recovery(),
        }
    }
}

/// Where each field of a record is in the rows of a CSV table whose plainly valid rows
/// are read straight into items (`None`: no such column).
#[derive(Debug, Clone, Copy)]
pub(crate) enum PlainColumns {
    /// `systems.csv`.
    Nodes(NodeColumns),
    /// `links.csv`.
    Links(LinkColumns),
    /// `groups.csv`.
    Groups(GroupColumns),
}

impl PlainColumns {
    /// The columns of a header of `section` that names each column's field (`None`: a
    /// column skipped); `None` for a section read only as records.
    pub(crate) fn of(section: Section, header: &[Option<&str>]) -> Option<Self> {
        let at = |name: &str| header.iter().position(|h| *h == Some(name));
        match section {
            Section::Link => Some(PlainColumns::Links(LinkColumns {
                id: at("id"),
                consumer: at("consumer"),
                provider: at("provider"),
                kind: at("kind"),
                mode: at("mode"),
                tolerance: at("tolerance"),
                effect: at("effect"),
                group: at("group"),
                method: at("method"),
                data: at("data"),
                calls: at("calls"),
            })),
            Section::System | Section::Site => Some(PlainColumns::Nodes(NodeColumns {
                id: at("id"),
                name: at("name"),
                kind: at("kind"),
                agency: at("agency"),
                grade: at("grade"),
                sites: at("sites"),
                tags: at("tags"),
                restore: at("restore"),
                load: at("load"),
                capacity: at("capacity"),
            })),
            Section::Group => Some(PlainColumns::Groups(GroupColumns {
                consumer: at("consumer"),
                group: at("group"),
                min: at("min"),
            })),
            _ => None,
        }
    }
}

/// Where each field of a node is in the rows of a systems table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct NodeColumns {
    id: Option<usize>,
    name: Option<usize>,
    kind: Option<usize>,
    agency: Option<usize>,
    grade: Option<usize>,
    sites: Option<usize>,
    tags: Option<usize>,
    restore: Option<usize>,
    load: Option<usize>,
    capacity: Option<usize>,
}

/// Where each field of a group declaration is in the rows of a groups table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GroupColumns {
    consumer: Option<usize>,
    group: Option<usize>,
    min: Option<usize>,
}

/// Where each field of a link is in the rows of a links table.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LinkColumns {
    id: Option<usize>,
    consumer: Option<usize>,
    provider: Option<usize>,
    kind: Option<usize>,
    mode: Option<usize>,
    tolerance: Option<usize>,
    effect: Option<usize>,
    group: Option<usize>,
    method: Option<usize>,
    data: Option<usize>,
    calls: Option<usize>,
}

/// A cell as [`Reader::text`] takes it when that needs no check: `Some(None)` when empty
/// (absent), `Some(Some(cell))` when at most `max` bytes long (so at most `max`
/// characters), `None` when longer (the reader counts its characters, and may report it).
fn short_cell(cell: &str, max: usize) -> Option<Option<&str>> {
    match cell.len() {
        0 => Some(None),
        n if n <= max => Some(Some(cell)),
        _ => None,
    }
}

/// A keyword cell of `section` as [`Reader::keyword`] reads it, the default when empty;
/// `None` when the reader would report it.
fn plain_keyword<T: Default>(
    section: Section,
    cell: &str,
    name: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    match short_cell(cell, MAX_TEXT)? {
        None => Some(T::default()),
        Some(s) => parse(schema::keyword_of(section.fields(), name, s)),
    }
}

/// A duration cell as [`Reader::duration`] reads it (0 when empty); `None` when the reader
/// would report it.
fn plain_duration(cell: &str) -> Option<u64> {
    match short_cell(cell, MAX_TEXT)? {
        None => Some(0),
        Some(s) => parse_duration(s),
    }
}

/// A number cell as [`Reader::number`] reads it: `Some(None)` when empty, `None` when the
/// reader would report it (not finite, below 0, or 0 when it must be `positive`).
fn plain_number(cell: &str, positive: bool) -> Option<Option<f64>> {
    if cell.is_empty() {
        return Some(None);
    }
    match cell.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && (n > 0.0 || (n == 0.0 && !positive)) => Some(Some(n + 0.0)),
        _ => None,
    }
}

/// A list cell as [`Reader::list`] reads it: entries separated by `;`, trimmed, empty
/// ones dropped; `None` when an entry might be too long (the reader reports it).
fn plain_list(cell: &str) -> Option<Vec<Text>> {
    cell.split(';')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| (p.len() <= MAX_TEXT).then(|| Text::from(p)))
        .collect()
}

/// The cell of a row at `column`; empty when the table has no such column.
fn cell_at<'c>(cells: &[&'c str], column: Option<usize>) -> Option<&'c str> {
    match column {
        Some(k) => cells.get(k).copied(),
        None => Some(""),
    }
}

impl Builder<'_> {
    /// Adds the item in the cells of a CSV row (as many as the header has columns, at
    /// `columns`) straight from the cells, when every cell is plainly valid: the same item
    /// [`Builder::add`] adds from the row's record, without building the record (half a
    /// million rows of a national inventory spend most of their reading time there).
    /// Returns false, having added nothing, when any cell needs the record reader's
    /// checks: the caller then adds the row as a record, which reports what is wrong.
    pub(crate) fn add_plain(
        &mut self,
        line: usize,
        cells: &[&str],
        columns: &PlainColumns,
    ) -> bool {
        // Every field of a CSV row is on the row's line.
        match columns {
            PlainColumns::Nodes(c) => self
                .plain_node(line, cells, c)
                .map(|node| self.items.push_node(node, line, line)),
            PlainColumns::Links(c) => self
                .plain_link(line, cells, c)
                .map(|(link, lines)| self.items.push_link(link, lines)),
            PlainColumns::Groups(c) => self
                .plain_group(line, cells, c)
                .map(|group| self.items.push_group(group, line)),
        }
        .is_some()
    }

    /// What [`Reader::node`] reads from the row's record when it reports nothing; `None`
    /// when it might report something.
    fn plain_node(&self, line: usize, cells: &[&str], c: &NodeColumns) -> Option<Node> {
        let cell = |column| cell_at(cells, column);
        let id = short_cell(cell(Some(c.id?))?, MAX_ID)??;
        if !valid_node_id(id) {
            return None;
        }
        let text = |column| short_cell(cell(column)?, MAX_TEXT).map(|s| s.map(Text::from));
        // A site's kind is `site` (its row is read as a site): any kind reads as itself.
        let kind = plain_keyword(Section::System, cell(c.kind)?, "kind", NodeKind::parse)?;
        let grade = match cell(c.grade)? {
            "" => None,
            s => Some(Grade::new(s.trim().parse::<i64>().ok()?)?),
        };
        let sites = plain_list(cell(c.sites)?)?;
        // A node listing itself, or a site twice, is reported.
        if sites
            .iter()
            .enumerate()
            .any(|(k, s)| s == id || sites.get(..k).is_some_and(|before| before.contains(s)))
        {
            return None;
        }
        let id = Text::from(id);
        Some(Node {
            name: text(c.name)?.unwrap_or_else(|| id.clone()),
            id,
            kind,
            agency: text(c.agency)?,
            grade,
            sites,
            tags: plain_list(cell(c.tags)?)?,
            restore_secs: plain_duration(cell(c.restore)?)?,
            load: plain_number(cell(c.load)?, false)?.unwrap_or(0.0),
            capacity: plain_number(cell(c.capacity)?, true)?,
            origin: self.origin_at(line),
        })
    }

    /// What [`Reader::group`] reads from the row's record when it reports nothing; `None`
    /// when it might report something.
    fn plain_group(&self, line: usize, cells: &[&str], c: &GroupColumns) -> Option<GroupDecl> {
        // Required: a missing column or an empty cell is reported.
        let consumer = short_cell(cell_at(cells, Some(c.consumer?))?, MAX_ID)??;
        let group = short_cell(cell_at(cells, Some(c.group?))?, MAX_TEXT)??;
        // As [`Reader::integer`] takes it: a whole number from 1 to u32::MAX, 1 when empty.
        let min = match cell_at(cells, c.min)? {
            "" => 1,
            s => u32::try_from(s.trim().parse::<i64>().ok()?)
                .ok()
                .filter(|&m| m >= 1)?,
        };
        Some(GroupDecl {
            consumer: Text::from(consumer),
            group: Text::from(group),
            min,
            from_sites: false,
            origin: self.origin_at(line),
        })
    }

    /// What [`Reader::link`] reads from the row's record when it reports nothing; `None`
    /// when it might report something.
    fn plain_link(
        &self,
        line: usize,
        cells: &[&str],
        c: &LinkColumns,
    ) -> Option<(Link, LinkLines)> {
        let cell = |column| cell_at(cells, column);
        let id = short_cell(cell(c.id)?, MAX_ID)?;
        if id.is_some_and(|id| id.trim().is_empty() || id.chars().any(char::is_control)) {
            return None;
        }
        // Required: a missing column or an empty cell is reported.
        let consumer = short_cell(cell(Some(c.consumer?))?, MAX_ID)??;
        let provider = short_cell(cell(Some(c.provider?))?, MAX_ID)??;
        if consumer == provider {
            return None;
        }
        let kind = plain_keyword(Section::Link, cell(c.kind)?, "kind", LinkKind::parse)?;
        let mode = plain_keyword(Section::Link, cell(c.mode)?, "mode", Mode::parse)?;
        let effect = plain_keyword(Section::Link, cell(c.effect)?, "effect", Effect::parse)?;
        let tolerance_secs = plain_duration(cell(c.tolerance)?)?;
        let text = |column| short_cell(cell(column)?, MAX_TEXT).map(|s| s.map(Text::from));
        let (group, method, data) = (text(c.group)?, text(c.method)?, text(c.data)?);
        let calls = plain_number(cell(c.calls)?, false)?;
        let link = Link {
            id: id.map(Text::from).unwrap_or_default(),
            consumer: Text::from(consumer),
            provider: Text::from(provider),
            kind,
            mode,
            tolerance_secs,
            effect,
            group,
            method,
            data,
            calls,
            from_sites: false,
            origin: self.origin_at(line),
        };
        // Every field of a CSV row is on the row's line.
        let lines = LinkLines {
            explicit: id.is_some(),
            consumer_line: line,
            provider_line: line,
            id_line: line,
            effect_line: line,
        };
        Some((link, lines))
    }
}

/// What the diagnostics of a record are about, kept as borrowed parts and formatted only
/// when a diagnostic is reported (most records have none).
#[derive(Debug, Clone, Copy)]
enum Subject<'r> {
    /// Not known yet.
    None,
    /// `system `id`` or `site `id``.
    Node(&'static str, &'r str),
    /// `link `id``.
    Link(&'r str),
    /// `link `consumer->provider`` (no id written).
    Pair(&'r str, &'r str),
    /// `link` (neither id nor both ends).
    AnyLink,
    /// `group `group` of `consumer``.
    Group(&'r str, &'r str),
}

impl Subject<'_> {
    fn render(self) -> Option<String> {
        match self {
            Subject::None => None,
            Subject::Node(noun, id) => Some(format!("{noun} `{}`", echo(id))),
            Subject::Link(id) => Some(format!("link `{}`", echo(id))),
            Subject::Pair(c, p) => Some(format!("link `{}->{}`", echo(c), echo(p))),
            Subject::AnyLink => Some("link".to_owned()),
            Subject::Group(g, c) => Some(format!("group `{}` of `{}`", echo(g), echo(c))),
        }
    }
}

/// Reads the fields of one record.
struct Reader<'b, 'f, 'r, 'a> {
    b: &'b mut Builder<'f>,
    rec: &'r Record<'a>,
    subject: Subject<'r>,
    /// For the section's known field `i`, 1 + the position of its first occurrence in the
    /// record (0: absent); filled by `check_unknown_fields`.
    slots: [u32; 16],
}

impl<'r, 'a> Reader<'_, '_, 'r, 'a> {
    fn origin(&self) -> Origin {
        self.b.origin_at(self.rec.line)
    }

    /// The first field called `name`: looked up through the slots, as `name` is always one
    /// of the section's known fields (found by address before comparing text).
    fn get(&self, name: &str) -> Option<&'r Field<'a>> {
        let rec: &'r Record<'a> = self.rec;
        match schema::position(rec.section.fields(), name).and_then(|i| self.slots.get(i)) {
            Some(0) => None,
            Some(&slot) => rec.fields.get(slot as usize - 1),
            None => rec.fields.iter().find(|f| f.name == name),
        }
    }

    /// The string a field holds, as [`Self::text`] returns it when it accepts the field.
    fn raw(&self, name: &str) -> Option<&'r str> {
        match &self.get(name)?.val {
            Val::Cell(s) => Some(s),
            Val::Str(s) => Some(s),
            _ => None,
        }
    }

    fn fail(&mut self, line: usize, field: &str, message: String, expected: &str) {
        let mut d = self.b.diag(line, message).field(field).expected(expected);
        if let Some(subject) = self.subject.render() {
            d = d.subject(subject);
        }
        self.b.push(d);
    }

    fn check_unknown_fields(&mut self) {
        let known = self.rec.section.fields();
        // Bit `i` set: field `known[i]` was seen (a section has far fewer than 64 fields).
        let mut seen: u64 = 0;
        for (at, f) in self.rec.fields.iter().enumerate() {
            let Some(i) = schema::position(known, &f.name) else {
                let hint = super::diag::did_you_mean(&f.name, schema::names(known));
                let d = self
                    .b
                    .diag(
                        f.line,
                        format!(
                            "unknown field `{}` in a {}",
                            echo(&f.name),
                            self.rec.section.noun()
                        ),
                    )
                    .expected(format!(
                        "one of {}",
                        schema::names(known).collect::<Vec<_>>().join(", ")
                    ))
                    .maybe_help(hint);
                self.b.push(d);
                continue;
            };
            if let Some(slot) = self.slots.get_mut(i)
                && *slot == 0
            {
                *slot = u32::try_from(at + 1).unwrap_or(u32::MAX);
            }
            if seen & (1 << i) != 0 {
                self.fail(
                    f.line,
                    &f.name.clone(),
                    format!("field `{}` given twice", f.name),
                    "each field once",
                );
            } else {
                seen |= 1 << i;
            }
        }
    }

    /// A text field; empty CSV cells count as absent.
    fn text(&mut self, name: &str, max: usize) -> Option<(Text, usize)> {
        self.text_ref(name, max)
            .map(|(s, line)| (Text::from(s), line))
    }

    /// A text field, borrowed from the record; empty CSV cells count as absent.
    fn text_ref(&mut self, name: &str, max: usize) -> Option<(&'r str, usize)> {
        self.text_expecting(name, max, "a string")
    }

    /// A text field; `expected` says what to write instead of a value of another type.
    fn text_expecting(
        &mut self,
        name: &str,
        max: usize,
        expected: &str,
    ) -> Option<(&'r str, usize)> {
        let f = self.get(name)?;
        let line = f.line;
        let s: &'r str = match &f.val {
            Val::Cell("") | Val::Reported => return None,
            Val::Cell(s) => s,
            Val::Str(s) => s,
            other => {
                let t = other.type_name();
                self.fail(line, name, format!("`{name}` is {t}"), expected);
                return None;
            }
        };
        // A character is at least one byte: short strings need no counting.
        if s.len() > max && s.chars().count() > max {
            self.fail(
                line,
                name,
                format!("`{name}` is too long: {}", echo(s)),
                &format!("at most {max} characters"),
            );
            return None;
        }
        Some((s, line))
    }

    fn required(&mut self, name: &str, max: usize) -> Option<(Text, usize)> {
        let present = self
            .get(name)
            .is_some_and(|f| !matches!(f.val, Val::Cell("")));
        if !present {
            let line = self.rec.line;
            let noun = self.rec.section.noun();
            self.fail(
                line,
                name,
                format!("missing required field `{name}` in a {noun}"),
                "a value",
            );
            return None;
        }
        self.text(name, max)
    }

    fn keyword<T: Copy>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        words: &[&str],
    ) -> Option<T> {
        let (s, line) = self.text_ref(name, MAX_TEXT)?;
        // A spreadsheet cell may hold the keyword's Korean word.
        let cell = matches!(
            self.get(name),
            Some(Field {
                val: Val::Cell(_),
                ..
            })
        );
        let word = if cell {
            schema::keyword_of(self.rec.section.fields(), name, s)
        } else {
            s
        };
        match parse(word) {
            Some(v) => Some(v),
            None => {
                let hint = super::diag::did_you_mean(s, words.iter().copied());
                self.fail(
                    line,
                    name,
                    format!("unknown {name} `{}`", echo(s)),
                    &format!("one of {}", words.join(", ")),
                );
                if let (Some(h), Some(d)) = (hint, self.b.diags.last_mut()) {
                    d.help = Some(h);
                }
                None
            }
        }
    }

    fn integer(&mut self, name: &str, lo: i64, hi: i64, expected: &str) -> Option<i64> {
        let f = self.get(name)?;
        let line = f.line;
        let (n, raw) = match &f.val {
            Val::Cell("") | Val::Reported => return None,
            Val::Cell(s) => (s.trim().parse::<i64>().ok(), Cow::Borrowed(*s)),
            Val::Int(n, raw) => (*n, raw.clone()),
            other => {
                let t = other.type_name();
                self.fail(line, name, format!("`{name}` is {t}"), expected);
                return None;
            }
        };
        match n {
            Some(n) if (lo..=hi).contains(&n) => Some(n),
            _ => {
                self.fail(
                    line,
                    name,
                    format!("invalid {name} `{}`", echo(&raw)),
                    expected,
                );
                None
            }
        }
    }

    /// A duration field (`tolerance`, `restore`), in seconds; 0 when absent or invalid.
    fn duration(&mut self, name: &str) -> u64 {
        match self.text_expecting(name, MAX_TEXT, DURATION_STRING) {
            None => 0,
            Some((s, line)) => match parse_duration(s) {
                Some(secs) => secs,
                None => {
                    self.fail(
                        line,
                        name,
                        format!("unparsable duration `{}`", echo(s)),
                        DURATION,
                    );
                    0
                }
            },
        }
    }

    /// A number field: a TOML integer or float, a JSON number, a CSV cell such as `12`,
    /// `0.5` or `1e3`. Finite, at least 0, and above 0 when `positive`.
    fn number(&mut self, name: &str, positive: bool, expected: &str) -> Option<f64> {
        let f = self.get(name)?;
        let line = f.line;
        let (n, raw): (Option<f64>, &str) = match &f.val {
            Val::Cell("") | Val::Reported => return None,
            Val::Cell(s) => (s.trim().parse().ok(), s),
            Val::Int(Some(n), raw) => (Some(*n as f64), raw),
            Val::Int(None, raw) | Val::Float(raw) => (raw.parse().ok(), raw),
            other => {
                let t = other.type_name();
                self.fail(line, name, format!("`{name}` is {t}"), expected);
                return None;
            }
        };
        match n {
            Some(n) if n.is_finite() && (n > 0.0 || (n == 0.0 && !positive)) => Some(n + 0.0),
            _ => {
                let raw = echo(raw);
                self.fail(line, name, format!("invalid {name} `{raw}`"), expected);
                None
            }
        }
    }

    /// A list: a TOML/JSON array of strings, or a CSV cell separated by `;`.
    fn list(&mut self, name: &str) -> Vec<(Text, usize)> {
        let Some(f) = self.get(name) else {
            return Vec::new();
        };
        let line = f.line;
        let mut out = Vec::new();
        let mut bad: Vec<(usize, &'static str)> = Vec::new();
        match &f.val {
            Val::Reported => {}
            Val::Cell(s) => out.extend(
                s.split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(|p| (Text::from(p), line)),
            ),
            Val::List(items) => {
                for (v, l) in items {
                    match v {
                        Val::Str(s) => out.push((Text::from(s.as_ref()), *l)),
                        other => bad.push((*l, other.type_name())),
                    }
                }
            }
            other => bad.push((line, other.type_name())),
        }
        for (l, t) in bad {
            self.fail(l, name, format!("`{name}` holds {t}"), "a list of strings");
        }
        for (v, l) in &out {
            if v.len() > MAX_TEXT && v.chars().count() > MAX_TEXT {
                let (v, l) = (echo(v), *l);
                self.fail(
                    l,
                    name,
                    format!("an entry of `{name}` is too long: {v}"),
                    &format!("at most {MAX_TEXT} characters"),
                );
            }
        }
        out
    }

    fn node(&mut self) {
        let section = self.rec.section;
        let id = self.required("id", MAX_ID);
        if let (Some(_), Some(raw)) = (&id, self.raw("id")) {
            self.subject = Subject::Node(section.noun(), raw);
        }
        if let Some((id, line)) = &id
            && !valid_node_id(id)
        {
            let (id, line) = (echo(id), *line);
            self.fail(
                line,
                "id",
                format!("invalid node id `{id}`"),
                "letters, digits and . _ : - (starting with a letter or digit)",
            );
        }
        let name = self.text("name", MAX_TEXT).map(|(s, _)| s);
        let kind = self.keyword("kind", NodeKind::parse, NodeKind::WORDS);
        let kind = match (section, kind) {
            (Section::Site, None | Some(NodeKind::Site)) => NodeKind::Site,
            (Section::Site, Some(k)) => {
                let line = self.get("kind").map_or(self.rec.line, |f| f.line);
                self.fail(
                    line,
                    "kind",
                    format!("a [[site]] with kind `{k}`"),
                    "kind `site` (or no kind) in [[site]]; use [[system]] for other kinds",
                );
                NodeKind::Site
            }
            (_, Some(k)) => k,
            (_, None) => NodeKind::System,
        };
        let agency = self.text("agency", MAX_TEXT).map(|(s, _)| s);
        let grade = self
            .integer("grade", 1, 4, "an integer from 1 (most critical) to 4")
            .and_then(Grade::new);
        let sites = self.list("sites");
        let sites_line = sites.first().map(|(_, l)| *l);
        let sites = self.distinct_sites(id.as_ref().map(|(id, _)| id.as_str()), sites);
        let tags = self.list("tags");
        let restore_secs = self.duration("restore");
        let load = self
            .number("load", false, "a number of requests per second, 0 or more")
            .unwrap_or(0.0);
        let capacity = self.number(
            "capacity",
            true,
            "a number of requests per second above 0 (leave it out for no limit)",
        );
        // A record with field errors still takes part in the cross-reference checks (its
        // errors are already recorded, so the inventory will not load), so that duplicates
        // and unknown ids elsewhere are reported in the same run.
        let Some((id, id_line)) = id else { return };
        let origin = self.origin();
        let sites_line = sites_line.unwrap_or(origin.line);
        self.b.items.push_node(
            Node {
                name: name.unwrap_or_else(|| id.clone()),
                id,
                kind,
                agency,
                grade,
                sites: sites.into_iter().map(|(s, _)| s).collect(),
                tags: tags.into_iter().map(|(s, _)| s).collect(),
                restore_secs,
                load,
                capacity,
                origin,
            },
            sites_line,
            id_line,
        );
    }

    /// The entries of `sites` without the node itself and without repeats, each reported
    /// at its line: both would make a hosting link that means nothing (a link to itself, a
    /// second link to the same site).
    fn distinct_sites(
        &mut self,
        id: Option<&str>,
        sites: Vec<(Text, usize)>,
    ) -> Vec<(Text, usize)> {
        let mut kept: Vec<(Text, usize)> = Vec::with_capacity(sites.len());
        for (site, line) in sites {
            if id == Some(site.as_str()) {
                self.fail(
                    line,
                    "sites",
                    format!("`{}` lists itself in `sites`", echo(&site)),
                    "the ids of the sites the node runs on",
                );
            } else if kept.iter().any(|(s, _)| *s == site) {
                self.fail(
                    line,
                    "sites",
                    format!("site `{}` listed twice", echo(&site)),
                    "each site once",
                );
            } else {
                kept.push((site, line));
            }
        }
        kept
    }

    fn link(&mut self) {
        let id = self.text("id", MAX_ID);
        let consumer = self.required("consumer", MAX_ID);
        let provider = self.required("provider", MAX_ID);
        self.subject = match (&id, &consumer, &provider) {
            (Some(_), _, _) => self.raw("id").map_or(Subject::AnyLink, Subject::Link),
            (None, Some(_), Some(_)) => match (self.raw("consumer"), self.raw("provider")) {
                (Some(c), Some(p)) => Subject::Pair(c, p),
                _ => Subject::AnyLink,
            },
            _ => Subject::AnyLink,
        };
        if let Some((id, line)) = &id
            && (id.trim().is_empty() || id.chars().any(char::is_control))
        {
            let line = *line;
            self.fail(
                line,
                "id",
                "invalid link id".to_owned(),
                "a non-empty id without control characters",
            );
        }
        let kind = self
            .keyword("kind", LinkKind::parse, LinkKind::WORDS)
            .unwrap_or_default();
        let mode = self
            .keyword("mode", Mode::parse, Mode::WORDS)
            .unwrap_or_default();
        let effect = self
            .keyword("effect", Effect::parse, Effect::WORDS)
            .unwrap_or_default();
        let tolerance_secs = self.duration("tolerance");
        let group = self.text("group", MAX_TEXT).map(|(s, _)| s);
        let method = self.text("method", MAX_TEXT).map(|(s, _)| s);
        let data = self.text("data", MAX_TEXT).map(|(s, _)| s);
        let calls = self.number(
            "calls",
            false,
            "a number of requests per request served, 0 or more",
        );
        if let (Some((c, _)), Some((p, line))) = (&consumer, &provider)
            && c == p
        {
            let (c, line) = (echo(c), *line);
            self.fail(
                line,
                "provider",
                format!("link from `{c}` to itself"),
                "a provider other than the consumer",
            );
        }
        let (Some((consumer, consumer_line)), Some((provider, provider_line))) =
            (consumer, provider)
        else {
            return;
        };
        let explicit = id.is_some();
        let origin = self.origin();
        let id_line = id.as_ref().map_or(origin.line, |(_, l)| *l);
        let effect_line = self.get("effect").map_or(origin.line, |f| f.line);
        self.b.items.push_link(
            Link {
                id: id.map(|(s, _)| s).unwrap_or_default(),
                consumer,
                provider,
                kind,
                mode,
                tolerance_secs,
                effect,
                group,
                method,
                data,
                calls,
                from_sites: false,
                origin,
            },
            LinkLines {
                explicit,
                consumer_line,
                provider_line,
                id_line,
                effect_line,
            },
        );
    }

    fn group(&mut self) {
        let consumer = self.required("consumer", MAX_ID);
        let group = self.required("group", MAX_TEXT);
        if let (Some(_), Some(_), Some(c), Some(g)) =
            (&consumer, &group, self.raw("consumer"), self.raw("group"))
        {
            self.subject = Subject::Group(g, c);
        }
        let min = self.integer(
            "min",
            1,
            i64::from(u32::MAX),
            "a whole number of at least 1",
        );
        let (Some((consumer, _)), Some((group, _))) = (consumer, group) else {
            return;
        };
        let origin = self.origin();
        let min_line = self.get("min").map_or(origin.line, |f| f.line);
        self.b.items.push_group(
            GroupDecl {
                consumer,
                group,
                min: min.map_or(1, |m| m as u32),
                from_sites: false,
                origin,
            },
            min_line,
        );
    }

    /// One policy setting: a known rule id and a known severity, each rule set once.
    fn policy(&mut self) {
        let rule = self.required("rule", MAX_TEXT);
        let severity = match self.get("severity") {
            None
            | Some(Field {
                val: Val::Cell(""), ..
            }) => {
                let line = self.rec.line;
                self.fail(
                    line,
                    "severity",
                    "missing severity in a policy setting".to_owned(),
                    "one of error, warning, off",
                );
                None
            }
            Some(Field {
                val: val @ (Val::Int(..) | Val::Float(_) | Val::Other(_) | Val::List(_)),
                line,
                ..
            }) => {
                let (t, line) = (val.type_name(), *line);
                self.fail(
                    line,
                    "severity",
                    format!("`severity` is {t}"),
                    "one of \"error\", \"warning\", \"off\" (a string)",
                );
                None
            }
            Some(_) => self.keyword("severity", Severity::parse, Severity::WORDS),
        };
        let Some((rule, line)) = rule else { return };
        if Rule::parse(&rule).is_none() {
            let ids = || Rule::ALL.into_iter().map(Rule::id);
            let hint = super::diag::did_you_mean(&rule, ids());
            let d = self
                .b
                .diag(line, format!("unknown policy rule `{}`", echo(&rule)))
                .field("rule")
                .expected(format!("one of {}", ids().collect::<Vec<_>>().join(", ")))
                .maybe_help(hint);
            self.b.push(d);
            return;
        }
        if let Some(prev) = self.b.items.policy.iter().find(|p| p.rule == rule) {
            let d = self
                .b
                .diag(line, format!("policy rule `{rule}` set twice"))
                .field("rule")
                .expected("each rule once")
                .help(format!("first set at {}", prev.origin));
            self.b.push(d);
            return;
        }
        let Some(severity) = severity else { return };
        let origin = self.b.origin_at(line);
        self.b.items.policy.push(PolicySetting {
            rule: rule.to_string(),
            severity,
            origin,
        });
    }
}

impl Reader<'_, '_, '_, '_> {
    /// One recovery-time target: a grade 1 to 4 and a duration, each grade once.
    fn recovery(&mut self) {
        let present =
            |r: &Self, name: &str| r.get(name).is_some_and(|f| !matches!(f.val, Val::Cell("")));
        for name in ["grade", "rto"] {
            if !present(self, name) {
                let line = self.rec.line;
                self.fail(
                    line,
                    name,
                    format!("missing required field `{name}` in a recovery target"),
                    if name == "grade" {
                        "an integer from 1 (most critical) to 4"
                    } else {
                        DURATION
                    },
                );
            }
        }
        let grade = self
            .integer("grade", 1, 4, "an integer from 1 (most critical) to 4")
            .and_then(Grade::new);
        let errors = self.b.diags.len();
        let rto_secs = self.duration("rto");
        let (Some(grade), true) = (grade, self.b.diags.len() == errors && present(self, "rto"))
        else {
            return;
        };
        let line = self.get("grade").map_or(self.rec.line, |f| f.line);
        if let Some(prev) = self.b.items.rto.iter().find(|t| t.grade == grade) {
            let d = self
                .b
                .diag(line, format!("recovery target of grade {grade} set twice"))
                .field("grade")
                .expected("each grade once")
                .help(format!("first set at {}", prev.origin));
            self.b.push(d);
            return;
        }
        let origin = self.b.origin_at(line);
        self.b.items.rto.push(RtoTarget {
            grade,
            rto_secs,
            origin,
        });
    }
}

/// Parses a tolerance: `0`, `30m`, `4h`, `2d`, `1h30m` (anything humantime reads), in seconds.
pub fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    humantime::parse_duration(s).ok().map(|d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("0"), Some(0));
        assert_eq!(parse_duration("30m"), Some(1800));
        assert_eq!(parse_duration("1h30m"), Some(5400));
        assert_eq!(parse_duration("2d"), Some(172_800));
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("4"), None);
    }

    #[test]
    fn node_ids_follow_the_pattern() {
        assert!(valid_node_id("gov24"));
        assert!(valid_node_id("a.b_c:d-e"));
        assert!(!valid_node_id("-x"));
        assert!(!valid_node_id("정부24"));
        assert!(!valid_node_id(""));
    }
}
