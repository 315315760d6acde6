//! The JSON API: each handler parses its query strictly, computes on a blocking thread
//! under the time limit, and answers with the same document as the matching CLI command.

use std::sync::Arc;

use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::to_json;
use crate::analysis::{self, SelectError, assess};
use crate::engine::{Change, PathMode, RowFilter, Scenario, ScenarioError, State as RowState};
use crate::inventory::{self, NodeKind};
use crate::render;
use crate::view::{View, ViewOptions};

use super::state::{Explorer, Loaded, link_index, node_index, unix_secs};

/// The most results `/api/search` gives.
const SEARCH_MAX: usize = 50;
/// The default number of results of `/api/search`.
const SEARCH_DEFAULT: usize = 20;
/// The longest search text.
const SEARCH_TEXT_MAX: usize = 200;
/// The most providers or consumers `/api/node` lists (the totals are always given).
const NEIGHBOURS_MAX: usize = 200;

/// A request the API refuses: a status, what is wrong, and the closest valid ids.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    status: StatusCode,
    error: String,
    suggestions: Vec<String>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, error: impl Into<String>) -> Self {
        ApiError {
            status,
            error: error.into(),
            suggestions: Vec::new(),
        }
    }

    pub(crate) fn bad(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }
}

impl From<ScenarioError> for ApiError {
    fn from(e: ScenarioError) -> Self {
        let error = e.to_string();
        let suggestions = match e {
            ScenarioError::UnknownNode { suggestions, .. }
            | ScenarioError::UnknownLink { suggestions, .. } => suggestions,
            // Each candidate is `id (agency)`: the ids are what to give instead.
            ScenarioError::AmbiguousName { candidates, .. } => candidates
                .iter()
                .map(|c| c.split(' ').next().unwrap_or(c).to_owned())
                .collect(),
            ScenarioError::BadHorizon(_) | ScenarioError::Empty => Vec::new(),
        };
        ApiError {
            status: StatusCode::BAD_REQUEST,
            error,
            suggestions,
        }
    }
}

impl From<SelectError> for ApiError {
    fn from(e: SelectError) -> Self {
        ApiError::bad(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status;
        json_response(status, to_json(&self))
    }
}

pub(crate) fn json_response(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

type Shared = State<Arc<Explorer>>;

/// A query string split into its parameters, checked against the names a route takes.
#[derive(Debug)]
struct Params(Vec<(String, String)>);

impl Params {
    fn parse(raw: Option<String>, allowed: &[&str], max_values: usize) -> Result<Self, ApiError> {
        let raw = raw.unwrap_or_default();
        let mut pairs = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            let key = k.replace('-', "_");
            if !allowed.contains(&key.as_str()) {
                return Err(ApiError::bad(format!(
                    "unknown parameter `{}`: expected {}",
                    inventory_echo(&k),
                    allowed.join(", ")
                )));
            }
            pairs.push((key, v.into_owned()));
            if pairs.len() > max_values {
                return Err(ApiError::new(
                    StatusCode::BAD_REQUEST,
                    format!("too many parameters: at most {max_values} per query"),
                ));
            }
        }
        Ok(Params(pairs))
    }

    /// Every value of `key`, commas splitting values when `split` (as the CLI does for
    /// node ids), blanks dropped.
    fn list(&self, key: &str, split: bool) -> Vec<String> {
        let mut out = Vec::new();
        for (k, v) in &self.0 {
            if k != key {
                continue;
            }
            if split {
                out.extend(
                    v.split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                );
            } else if !v.trim().is_empty() {
                out.push(v.trim().to_owned());
            }
        }
        out
    }

    /// The one value of `key`, if given; given twice is an error.
    fn one(&self, key: &str) -> Result<Option<&str>, ApiError> {
        let mut values = self.0.iter().filter(|(k, _)| k == key).map(|(_, v)| v);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad(format!("parameter `{key}` given twice")));
        }
        Ok(first.map(|v| v.trim()).filter(|v| !v.is_empty()))
    }
}

/// A value as echoed in an error: at most 60 characters, control characters escaped.
fn inventory_echo(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().take(60) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// `hours=H`: a number of hours, or nothing / `inf` / `forever` for an outage without end.
fn parse_hours(v: Option<&str>) -> Result<Option<f64>, ApiError> {
    let Some(v) = v else { return Ok(None) };
    match v.to_ascii_lowercase().as_str() {
        "inf" | "infinity" | "forever" | "for ever" | "never" => Ok(None),
        s => match s.parse::<f64>() {
            Ok(h) if h.is_finite() && h >= 0.0 => Ok(Some(h)),
            _ => Err(ApiError::bad(format!(
                "invalid hours `{}`: expected a number of hours of at least 0, or `inf`",
                inventory_echo(v)
            ))),
        },
    }
}

fn check_seeds(n: usize, max: usize) -> Result<(), ApiError> {
    if n > max {
        return Err(ApiError::bad(format!(
            "too many items in one scenario ({n}): at most {max}"
        )));
    }
    Ok(())
}

/// Runs `f` on the current inventory on a blocking thread, within the time limit. A
/// query still running at the limit is answered 504; one that waited that long for a
/// free thread, 503. (A computation past its limit finishes in the background, holding
/// its permit, so that slow queries cannot pile up.)
async fn compute<F>(app: &Explorer, f: F) -> Response
where
    F: FnOnce(&Loaded) -> Result<Response, ApiError> + Send + 'static,
{
    let deadline = tokio::time::Instant::now() + app.limits.timeout;
    let permit = match tokio::time::timeout_at(deadline, app.permits.clone().acquire_owned()).await
    {
        Ok(Ok(p)) => p,
        Ok(Err(_)) | Err(_) => {
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the explorer is busy with other queries: try again",
            )
            .into_response();
        }
    };
    let loaded = app.current();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        f(&loaded)
    });
    let answer = tokio::time::timeout_at(deadline, task).await;
    // An answer that came only at the limit also took too long (so the limit holds even
    // when the computation was done before the first look).
    let late = tokio::time::Instant::now() >= deadline;
    match answer {
        Ok(Ok(Ok(r))) if !late => r,
        Ok(Ok(Err(e))) if !late => e.into_response(),
        Ok(Err(_)) => ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the query failed unexpectedly",
        )
        .into_response(),
        Ok(Ok(_)) | Err(_) => ApiError::new(
            StatusCode::GATEWAY_TIMEOUT,
            format!(
                "the query took longer than {} s: narrow the scenario",
                app.limits.timeout.as_secs_f64()
            ),
        )
        .into_response(),
    }
}

fn ok_json(body: String) -> Result<Response, ApiError> {
    Ok(json_response(StatusCode::OK, body))
}

/// `GET /api/impact?fail=ID&fail_link=ID&fail_where=FIELD=VALUE&hours=H`: the document of
/// `impact --format json`.
pub async fn impact(State(app): Shared, RawQuery(q): RawQuery) -> Response {
    let max = app.limits.max_seeds;
    let allowed = [
        "fail",
        "fail_link",
        "fail_where",
        "hours",
        "paths",
        "state",
        "grade",
        "agency",
        "limit",
    ];
    let p = match Params::parse(q, &allowed, max + FILTER_VALUES_MAX) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    compute(&app, move |loaded| {
        let graph = &loaded.graph;
        let mut failed = p.list("fail", true);
        let failed_links = p.list("fail_link", false);
        let clauses = p.list("fail_where", false);
        check_seeds(failed.len() + failed_links.len() + clauses.len(), max)?;
        let horizon_hours = parse_hours(p.one("hours")?)?;
        let mode = parse_paths(p.one("paths")?)?;
        let filter = parse_filter(&p, true, graph)?;
        if !clauses.is_empty() {
            failed.extend(analysis::select(graph, &clauses)?);
        }
        let mut imp = graph.impact(&Scenario {
            failed,
            failed_links,
            horizon_hours,
        })?;
        imp.filter(&filter);
        ok_json(to_json(&crate::render::json::document(
            "impact",
            &imp.json(mode),
        )))
    })
    .await
}

/// `GET /api/change?system=ID&link=ID`: the document of `change --format json`, with
/// the same `paths`, `grade`, `agency` and `limit` as the command line.
pub async fn change(State(app): Shared, RawQuery(q): RawQuery) -> Response {
    let max = app.limits.max_seeds;
    let allowed = ["system", "link", "paths", "grade", "agency", "limit"];
    let p = match Params::parse(q, &allowed, max + FILTER_VALUES_MAX) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    compute(&app, move |loaded| {
        let systems = p.list("system", true);
        let links = p.list("link", false);
        check_seeds(systems.len() + links.len(), max)?;
        let mode = parse_paths(p.one("paths")?)?;
        let filter = parse_filter(&p, false, &loaded.graph)?;
        let mut ch = loaded.graph.change(&Change { systems, links })?;
        ch.filter(&filter);
        ok_json(to_json(&crate::render::json::document(
            "change",
            &ch.json(mode),
        )))
    })
    .await
}

/// The most filter values (`paths`, `state`, `grade`, `agency`, `limit`) one query takes
/// beside its scenario.
const FILTER_VALUES_MAX: usize = 32;

/// `paths=full|via`, as `--paths`.
fn parse_paths(v: Option<&str>) -> Result<PathMode, ApiError> {
    match v {
        None | Some("full") => Ok(PathMode::Full),
        Some("via") => Ok(PathMode::Via),
        Some(other) => Err(ApiError::bad(format!(
            "invalid paths `{}`: expected full or via",
            inventory_echo(other)
        ))),
    }
}

/// The row filter of `state` (impact only), `grade`, `agency` and `limit`, as the
/// command line's `--state`, `--grade`, `--agency` and `--limit`; an agency no node has
/// is refused with the closest ones.
fn parse_filter(p: &Params, states: bool, graph: &crate::Graph) -> Result<RowFilter, ApiError> {
    let mut filter = RowFilter::default();
    if states {
        for s in p.list("state", true) {
            filter.states.push(match s.to_ascii_lowercase().as_str() {
                "down" => RowState::Down,
                "degraded" => RowState::Degraded,
                _ => {
                    return Err(ApiError::bad(format!(
                        "invalid state `{}`: expected down or degraded",
                        inventory_echo(&s)
                    )));
                }
            });
        }
    }
    for g in p.list("grade", true) {
        let grade = crate::engine::parse_grade(&g).map_err(|_| {
            ApiError::bad(format!(
                "invalid grade `{}`: expected 1 to 4, or ungraded",
                inventory_echo(&g)
            ))
        })?;
        filter.grades.push(grade);
    }
    let agencies = p.list("agency", false);
    if let Some((a, closest)) = crate::engine::unknown_agency(graph.agencies(), &agencies) {
        let mut e = ApiError::bad(format!("no node has agency `{}`", inventory_echo(a)));
        e.suggestions = closest;
        return Err(e);
    }
    filter.agencies = agencies;
    filter.limit = match p.one("limit")? {
        None => None,
        Some(v) => Some(v.parse::<usize>().map_err(|_| {
            ApiError::bad(format!(
                "invalid limit `{}`: expected a whole number of rows",
                inventory_echo(v)
            ))
        })?),
    };
    Ok(filter)
}

/// `GET /api/assess?system=ID&link=ID&where=FIELD=VALUE&window=4h`: the Markdown
/// assessment of `assess`, as a download.
pub async fn assess(State(app): Shared, RawQuery(q): RawQuery) -> Response {
    let max = app.limits.max_seeds;
    let p = match Params::parse(q, &["system", "link", "where", "window"], max + 1) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    let source = app.source().display().to_string();
    compute(&app, move |loaded| {
        let graph = &loaded.graph;
        let mut systems = p.list("system", true);
        let links = p.list("link", false);
        let clauses = p.list("where", false);
        check_seeds(systems.len() + links.len() + clauses.len(), max)?;
        if !clauses.is_empty() {
            systems.extend(analysis::select(graph, &clauses)?);
        }
        let window_hours = match p.one("window")? {
            None => None,
            Some(w) => Some(
                inventory::parse_duration(w).ok_or_else(|| {
                    ApiError::bad(format!(
                        "invalid window `{}`: expected a duration such as 30m, 4h, 2d or 1h30m",
                        inventory_echo(w)
                    ))
                })? as f64
                    / 3600.0,
            ),
        };
        let a = assess::assess(
            graph,
            &assess::AssessOptions {
                change: Change { systems, links },
                window_hours,
                levels: assess::LevelRule::defaults(),
            },
        )?;
        let view = View::for_change(graph, &a.change, &ViewOptions::default());
        let mut md = Vec::new();
        render::markdown::assessment(
            &a,
            &source,
            crate::lang::Lang::En,
            |w| render::mermaid::write(&view, crate::lang::Lang::En, w),
            &mut md,
        )
        .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
        let mut r = (StatusCode::OK, md).into_response();
        let h = r.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/markdown; charset=utf-8"),
        );
        h.insert(
            header::CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"ripplemap-assessment.md\""),
        );
        Ok(r)
    })
    .await
}

/// One `/api/search` hit.
#[derive(Debug, Serialize)]
struct Hit {
    /// `node`, `site` (fail the site and what it hosts), `agency` or `link`.
    #[serde(rename = "type")]
    kind: &'static str,
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    node_kind: Option<NodeKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    agency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    grade: Option<crate::Grade>,
    /// Nodes in the selection (sites: hosted nodes; agencies: owned nodes).
    #[serde(skip_serializing_if = "Option::is_none")]
    count: Option<usize>,
    /// The selection to pass as `fail_where` (sites and agencies).
    #[serde(rename = "where", skip_serializing_if = "Option::is_none")]
    select: Option<String>,
    /// 0 exact, 1 prefix, 2 substring.
    rank: u8,
}

#[derive(Serialize)]
struct SearchDoc<'a> {
    query: &'a str,
    total: usize,
    results: Vec<Hit>,
}

/// How well `text` (lowercased) matches `q` (lowercased): 0 exact, 1 prefix, 2 inside.
fn rank(text: &str, q: &str) -> Option<u8> {
    if text == q {
        Some(0)
    } else if text.starts_with(q) {
        Some(1)
    } else if text.contains(q) {
        Some(2)
    } else {
        None
    }
}

fn best(a: Option<u8>, b: Option<u8>) -> Option<u8> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

/// `GET /api/search?q=TEXT&limit=N`: nodes, sites, agencies and links whose id or name
/// contains the text (case-insensitive), exact matches first, then prefixes.
pub async fn search(State(app): Shared, RawQuery(q): RawQuery) -> Response {
    let p = match Params::parse(q, &["q", "limit"], 4) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    compute(&app, move |loaded| {
        let text = p.one("q")?.unwrap_or("").to_lowercase();
        if text.chars().count() > SEARCH_TEXT_MAX {
            return Err(ApiError::bad(format!(
                "search text too long: at most {SEARCH_TEXT_MAX} characters"
            )));
        }
        let limit = match p.one("limit")? {
            None => SEARCH_DEFAULT,
            Some(l) => l
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=SEARCH_MAX).contains(n))
                .ok_or_else(|| {
                    ApiError::bad(format!("invalid limit: expected 1 to {SEARCH_MAX}"))
                })?,
        };
        let doc = run_search(loaded, &text, limit);
        ok_json(to_json(&SearchDoc {
            query: &text,
            total: doc.0,
            results: doc.1,
        }))
    })
    .await
}

fn run_search(loaded: &Loaded, q: &str, limit: usize) -> (usize, Vec<Hit>) {
    if q.trim().is_empty() {
        return (0, Vec::new());
    }
    let inv = loaded.graph.inventory();
    let idx = &loaded.search;
    // (rank, type order, id length, type, index) for every match; ties by id after.
    let mut found: Vec<(u8, u8, usize, u32)> = Vec::new();
    for (i, (id, name)) in idx.nodes.iter().enumerate() {
        if let Some(r) = best(rank(id, q), rank(name, q)) {
            found.push((r, 0, id.len(), i as u32));
        }
    }
    for (k, (site, _)) in idx.sites.iter().enumerate() {
        if let Some((id, name)) = idx.nodes.get(*site as usize)
            && let Some(r) = best(rank(id, q), rank(name, q))
        {
            found.push((r, 1, id.len(), k as u32));
        }
    }
    for (k, (lower, _, _)) in idx.agencies.iter().enumerate() {
        if let Some(r) = rank(lower, q) {
            found.push((r, 2, lower.len(), k as u32));
        }
    }
    for (j, id) in idx.links.iter().enumerate() {
        if let Some(r) = rank(id, q) {
            found.push((r, 3, id.len(), j as u32));
        }
    }
    let total = found.len();
    let key = |f: &(u8, u8, usize, u32)| (f.0, f.1, f.2);
    if found.len() > limit {
        found.select_nth_unstable_by_key(limit, key);
        found.truncate(limit);
    }
    found.sort_by_key(|f| (key(f), f.3));
    let hits = found
        .into_iter()
        .filter_map(|(rank, ty, _, i)| {
            Some(match ty {
                0 => {
                    let n = inv.nodes.get(i as usize)?;
                    Hit {
                        kind: "node",
                        id: n.id.to_string(),
                        name: n.name.to_string(),
                        node_kind: Some(n.kind),
                        agency: n.agency.as_ref().map(ToString::to_string),
                        grade: n.grade,
                        count: None,
                        select: None,
                        rank,
                    }
                }
                1 => {
                    let (site, hosted) = idx.sites.get(i as usize)?;
                    let n = inv.nodes.get(*site as usize)?;
                    Hit {
                        kind: "site",
                        id: n.id.to_string(),
                        name: n.name.to_string(),
                        node_kind: Some(n.kind),
                        agency: n.agency.as_ref().map(ToString::to_string),
                        grade: None,
                        count: Some(*hosted),
                        select: Some(format!("site={}", n.id)),
                        rank,
                    }
                }
                2 => {
                    let (_, name, count) = idx.agencies.get(i as usize)?;
                    Hit {
                        kind: "agency",
                        id: name.clone(),
                        name: name.clone(),
                        node_kind: None,
                        agency: None,
                        grade: None,
                        count: Some(*count),
                        select: Some(format!("agency={name}")),
                        rank,
                    }
                }
                _ => {
                    let l = inv.links.get(i as usize)?;
                    Hit {
                        kind: "link",
                        id: l.id.to_string(),
                        name: format!("{} → {}", l.consumer, l.provider),
                        node_kind: None,
                        agency: None,
                        grade: None,
                        count: None,
                        select: None,
                        rank,
                    }
                }
            })
        })
        .collect();
    (total, hits)
}

/// A neighbour in `/api/node`: the link and the node at its other end.
#[derive(Debug, Serialize)]
struct Neighbour {
    link: String,
    id: String,
    name: String,
    link_kind: &'static str,
    mode: &'static str,
    tolerance: String,
    tolerance_secs: u64,
    effect: &'static str,
    group: Option<String>,
    grade: Option<crate::Grade>,
    agency: Option<String>,
}

#[derive(Debug, Serialize)]
struct NodeDoc {
    id: String,
    name: String,
    kind: NodeKind,
    agency: Option<String>,
    grade: Option<crate::Grade>,
    sites: Vec<String>,
    tags: Vec<String>,
    /// The links it depends on, with their providers.
    providers: Vec<Neighbour>,
    providers_total: usize,
    /// The links that depend on it, with their consumers.
    consumers: Vec<Neighbour>,
    consumers_total: usize,
}

fn unknown_node(loaded: &Loaded, id: &str) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::NOT_FOUND,
        format!("unknown node id `{}`", inventory_echo(id)),
    );
    e.suggestions = loaded
        .graph
        .similar_node_ids(id)
        .into_iter()
        .map(str::to_owned)
        .collect();
    e
}

/// `GET /api/node/ID`: the node, its providers and its consumers.
pub async fn node(
    State(app): Shared,
    id: Result<UrlPath<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(UrlPath(id)) = id else {
        return ApiError::bad("invalid node id in the path").into_response();
    };
    compute(&app, move |loaded| {
        let graph = &loaded.graph;
        let inv = graph.inventory();
        let v = node_index(graph, &id).ok_or_else(|| unknown_node(loaded, &id))?;
        let n = inv
            .nodes
            .get(v as usize)
            .ok_or_else(|| unknown_node(loaded, &id))?;
        let neighbour = |j: &u32, provider_side: bool| {
            let l = inv.links.get(*j as usize)?;
            let other = if provider_side {
                &l.provider
            } else {
                &l.consumer
            };
            let o = inv.nodes.get(node_index(graph, other)? as usize)?;
            Some(Neighbour {
                link: l.id.to_string(),
                id: o.id.to_string(),
                name: o.name.to_string(),
                link_kind: l.kind.as_str(),
                mode: l.mode.as_str(),
                tolerance: inventory::format_duration(l.tolerance_secs),
                tolerance_secs: l.tolerance_secs,
                effect: l.effect.as_str(),
                group: l.group.as_ref().map(ToString::to_string),
                grade: o.grade,
                agency: o.agency.as_ref().map(ToString::to_string),
            })
        };
        let providers = loaded.adjacency.providers_of(v);
        let consumers = loaded.adjacency.consumers_of(v);
        let doc = NodeDoc {
            id: n.id.to_string(),
            name: n.name.to_string(),
            kind: n.kind,
            agency: n.agency.as_ref().map(ToString::to_string),
            grade: n.grade,
            sites: n.sites.iter().map(ToString::to_string).collect(),
            tags: n.tags.iter().map(ToString::to_string).collect(),
            providers: providers
                .iter()
                .take(NEIGHBOURS_MAX)
                .filter_map(|j| neighbour(j, true))
                .collect(),
            providers_total: providers.len(),
            consumers: consumers
                .iter()
                .take(NEIGHBOURS_MAX)
                .filter_map(|j| neighbour(j, false))
                .collect(),
            consumers_total: consumers.len(),
        };
        ok_json(to_json(&doc))
    })
    .await
}

#[derive(Debug, Serialize)]
struct NodeBrief {
    name: String,
    kind: NodeKind,
    agency: Option<String>,
    grade: Option<crate::Grade>,
    sites: Vec<String>,
}

#[derive(Debug, Serialize)]
struct NodesDoc {
    nodes: std::collections::BTreeMap<String, NodeBrief>,
    unknown: Vec<String>,
}

/// `GET /api/nodes?id=ID&id=ID`: kind, agency, grade and sites of several nodes at once
/// (the page groups its drawing by site with it).
pub async fn nodes(State(app): Shared, RawQuery(q): RawQuery) -> Response {
    let max = app.limits.max_seeds;
    let p = match Params::parse(q, &["id"], max + 1) {
        Ok(p) => p,
        Err(e) => return e.into_response(),
    };
    compute(&app, move |loaded| {
        let graph = &loaded.graph;
        let ids = p.list("id", true);
        check_seeds(ids.len(), max)?;
        let mut doc = NodesDoc {
            nodes: Default::default(),
            unknown: Vec::new(),
        };
        for id in ids {
            match node_index(graph, &id).and_then(|v| graph.inventory().nodes.get(v as usize)) {
                Some(n) => {
                    doc.nodes.insert(
                        id,
                        NodeBrief {
                            name: n.name.to_string(),
                            kind: n.kind,
                            agency: n.agency.as_ref().map(ToString::to_string),
                            grade: n.grade,
                            sites: n.sites.iter().map(ToString::to_string).collect(),
                        },
                    );
                }
                None => doc.unknown.push(id),
            }
        }
        ok_json(to_json(&doc))
    })
    .await
}

/// `GET /api/link/ID`: whether a link exists (the page checks pasted link ids with it).
pub async fn link(
    State(app): Shared,
    id: Result<UrlPath<String>, axum::extract::rejection::PathRejection>,
) -> Response {
    let Ok(UrlPath(id)) = id else {
        return ApiError::bad("invalid link id in the path").into_response();
    };
    compute(&app, move |loaded| {
        let graph = &loaded.graph;
        let inv = graph.inventory();
        let Some(l) = link_index(graph, &id).and_then(|j| inv.links.get(j as usize)) else {
            let mut e = ApiError::new(
                StatusCode::NOT_FOUND,
                format!("unknown link id `{}`", inventory_echo(&id)),
            );
            e.suggestions = graph
                .similar_link_ids(&id)
                .into_iter()
                .map(str::to_owned)
                .collect();
            return Err(e);
        };
        ok_json(to_json(&serde_json::json!({
            "id": l.id.as_str(),
            "consumer": l.consumer.as_str(),
            "provider": l.provider.as_str(),
            "kind": l.kind.as_str(),
            "mode": l.mode.as_str(),
            "tolerance": inventory::format_duration(l.tolerance_secs),
            "effect": l.effect.as_str(),
            "group": l.group.as_ref().map(|g| g.as_str()),
        })))
    })
    .await
}

/// `GET /api/inventory`: the statistics of `check` and the policy summary.
pub async fn inventory_summary(State(app): Shared) -> Response {
    json_response(StatusCode::OK, app.current().inventory_json.clone())
}

#[derive(Serialize)]
struct StatusDoc<'a> {
    /// False when the last reload failed (the previous version is still served).
    ok: bool,
    inventory: String,
    version: u64,
    loaded_at: u64,
    nodes: usize,
    links: usize,
    /// The language the page starts in, or null for the browser's.
    lang: Option<super::Lang>,
    /// Diagnostics of the failed reload.
    diagnostics: &'a [String],
    failed_at: Option<u64>,
    limits: LimitsDoc,
    ripplemap: &'static str,
}

#[derive(Serialize)]
struct LimitsDoc {
    max_seeds: usize,
    timeout_secs: f64,
}

/// `GET /api/status`: the version served and the diagnostics of a failed reload.
pub async fn status(State(app): Shared) -> Response {
    let loaded = app.current();
    let problem = app.problem();
    let doc = StatusDoc {
        ok: problem.is_none(),
        inventory: app.source().display().to_string(),
        version: loaded.version,
        loaded_at: unix_secs(loaded.loaded_at),
        nodes: loaded.graph.node_count(),
        links: loaded.graph.link_count(),
        lang: app.lang,
        diagnostics: problem.as_ref().map_or(&[], |p| p.diagnostics.as_slice()),
        failed_at: problem.as_ref().map(|p| p.at),
        limits: LimitsDoc {
            max_seeds: app.limits.max_seeds,
            timeout_secs: app.limits.timeout.as_secs_f64(),
        },
        ripplemap: env!("CARGO_PKG_VERSION"),
    };
    json_response(StatusCode::OK, to_json(&doc))
}
