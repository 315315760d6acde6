//! The explorer (`ripplemap serve`): its JSON API in process (tower's `oneshot` on the
//! router), byte for byte against the CLI's `--format json`; bad requests, limits, hostile
//! names, reloads; the real binary over loopback (watching, graceful stop); and the page in
//! headless Chromium driven by Playwright (web/test/explorer.mjs), which is skipped with a
//! note when node, Chromium or web/test/node_modules is missing, unless
//! `RIPPLEMAP_REQUIRE_TOOLS` is set (CI sets it).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use ripplemap::serve::{Explorer, Limits, Reload, router};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::ripplemap;

/// Runs the CLI from the repository root: (exit code, stdout, stderr).
fn run_cli(args: &[&str]) -> (Option<i32>, String, String) {
    let out = ripplemap().args(args).run();
    (out.code, out.stdout, out.stderr)
}

const EGOV: &str = "inventories/korea-egov.toml";
const HOSTILE: &str = "tests/fixtures/render/hostile.toml";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The explorer of an inventory (a path relative to the repository root, where cargo
/// runs the tests and `ripplemap()` runs the CLI, so that both name it alike).
fn explorer(inventory: &str, limits: Limits) -> Arc<Explorer> {
    Arc::new(Explorer::open(Path::new(inventory), None, limits).expect("the inventory loads"))
}

fn app(inventory: &str) -> Router {
    router(explorer(inventory, Limits::default()))
}

struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

async fn request(app: &Router, method: &str, uri: &str, host: Option<&str>) -> Answer {
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let resp = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("a request"))
        .await
        .expect("an answer");
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("the body");
    Answer {
        status,
        headers,
        body: String::from_utf8(bytes.to_vec()).expect("UTF-8 body"),
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    request(app, "GET", uri, Some("127.0.0.1:8080")).await
}

/// The CLI's stdout for `args` (exit code 0 required).
fn cli(args: &[&str]) -> String {
    let (code, out, err) = run_cli(args);
    assert_eq!(code, Some(0), "ripplemap {args:?} failed: {err}");
    out
}

/// A 4xx JSON error with the `error` and `suggestions` fields.
fn assert_error(a: &Answer, status: StatusCode, mentions: &str) -> Value {
    assert_eq!(a.status, status, "{}", a.body);
    let v = a.json();
    let error = v["error"].as_str().expect("an error message");
    assert!(
        error.contains(mentions),
        "`{error}` does not mention `{mentions}`"
    );
    assert!(v["suggestions"].is_array(), "{}", a.body);
    assert!(
        a.headers["content-type"]
            .to_str()
            .is_ok_and(|c| c.starts_with("application/json")),
        "error content type"
    );
    v
}

#[tokio::test]
async fn impact_and_change_documents_are_the_clis_byte_for_byte() {
    let app = app(EGOV);
    let cases: &[(&str, &[&str])] = &[
        ("/api/impact?fail=gpki", &["impact", EGOV, "--fail", "gpki"]),
        (
            "/api/impact?fail=gpki&hours=24",
            &["impact", EGOV, "--fail", "gpki", "--hours", "24"],
        ),
        (
            "/api/impact?fail=gpki,doc-hub&hours=0.5",
            &["impact", EGOV, "--fail", "gpki,doc-hub", "--hours", "0.5"],
        ),
        (
            "/api/impact?fail=gpki&fail=resident-reg",
            &["impact", EGOV, "--fail", "gpki", "--fail", "resident-reg"],
        ),
        (
            "/api/impact?fail_link=saeol-login-gpki&hours=4",
            &[
                "impact",
                EGOV,
                "--fail-link",
                "saeol-login-gpki",
                "--hours",
                "4",
            ],
        ),
        (
            "/api/impact?fail_where=site%3Dnirs-daejeon",
            &["impact", EGOV, "--fail-where", "site=nirs-daejeon"],
        ),
        (
            "/api/impact?fail_where=agency%3DMOIS&hours=12",
            &[
                "impact",
                EGOV,
                "--fail-where",
                "agency=MOIS",
                "--hours",
                "12",
            ],
        ),
        (
            "/api/change?system=gpki",
            &["change", EGOV, "--system", "gpki"],
        ),
        (
            "/api/change?system=share-center&link=saeol-login-gpki",
            &[
                "change",
                EGOV,
                "--system",
                "share-center",
                "--link",
                "saeol-login-gpki",
            ],
        ),
        // The table's filters and limit, exactly as the command line's.
        (
            "/api/impact?fail=nirs-daejeon&hours=24&state=down&grade=1&limit=5",
            &[
                "impact",
                EGOV,
                "--fail",
                "nirs-daejeon",
                "--hours",
                "24",
                "--state",
                "down",
                "--grade",
                "1",
                "--limit",
                "5",
            ],
        ),
        (
            "/api/impact?fail=gpki&agency=MOIS&paths=via",
            &[
                "impact", EGOV, "--fail", "gpki", "--agency", "MOIS", "--paths", "via",
            ],
        ),
        (
            "/api/impact?fail=gpki&grade=ungraded&grade=2",
            &["impact", EGOV, "--fail", "gpki", "--grade", "ungraded,2"],
        ),
        (
            "/api/change?system=gpki&limit=3&agency=KLID",
            &[
                "change", EGOV, "--system", "gpki", "--limit", "3", "--agency", "KLID",
            ],
        ),
    ];
    for (uri, args) in cases {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::OK, "{uri}: {}", a.body);
        let mut args = args.to_vec();
        args.extend(["--format", "json"]);
        assert!(
            a.body == cli(&args),
            "{uri} differs from `ripplemap {}`",
            args.join(" ")
        );
    }
}

#[tokio::test]
async fn the_assessment_is_the_clis_markdown() {
    let app = app(EGOV);
    let a = get(&app, "/api/assess?system=gpki&window=4h").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert!(
        a.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/markdown")
    );
    assert!(
        a.headers["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"),
        "a download"
    );
    assert_eq!(
        a.body,
        cli(&["assess", EGOV, "--system", "gpki", "--window", "4h"])
    );
    let bad = get(&app, "/api/assess?system=gpki&window=soon").await;
    assert_error(&bad, StatusCode::BAD_REQUEST, "invalid window `soon`");
}

#[tokio::test]
async fn search_ranks_exact_then_prefix_then_substring_korean_included() {
    let app = app(EGOV);
    let v = get(&app, "/api/search?q=%EC%A0%95%EB%B6%80").await.json(); // 정부
    let ids: Vec<&str> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|h| h["id"].as_str())
        .collect();
    assert!(ids.contains(&"gov24"), "정부 finds 정부24: {ids:?}");

    let v = get(&app, "/api/search?q=GPKI").await.json();
    assert_eq!(
        v["results"][0]["id"], "gpki",
        "exact first, case-insensitive"
    );
    assert_eq!(v["results"][0]["rank"], 0);
    let ranks: Vec<u64> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|h| h["rank"].as_u64())
        .collect();
    assert!(ranks.is_sorted(), "ranked: {ranks:?}");
    let types: Vec<&str> = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|h| h["type"].as_str())
        .collect();
    assert!(types.contains(&"link"), "links are found too: {types:?}");

    // Sites and agencies come with the selection to fail them whole.
    let v = get(&app, "/api/search?q=nirs-daejeon").await.json();
    let site = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|h| h["type"] == "site")
        .expect("the site");
    assert_eq!(site["where"], "site=nirs-daejeon");
    assert!(site["count"].as_u64().is_some_and(|n| n > 10));
    let v = get(&app, "/api/search?q=mois").await.json();
    let agency = v["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|h| h["type"] == "agency")
        .expect("the agency");
    assert_eq!(agency["where"], "agency=MOIS");

    // At most 20 by default, the total says how many matched.
    let v = get(&app, "/api/search?q=e").await.json();
    assert_eq!(v["results"].as_array().map(Vec::len), Some(20));
    assert!(v["total"].as_u64().is_some_and(|n| n > 20));
    let v = get(&app, "/api/search?q=").await.json();
    assert_eq!(v["results"].as_array().map(Vec::len), Some(0));
}

#[tokio::test]
async fn a_node_comes_with_its_providers_and_consumers() {
    let app = app(EGOV);
    let v = get(&app, "/api/node/gpki").await.json();
    assert_eq!(v["name"], "행정전자서명 인증관리센터");
    assert_eq!(v["sites"][0], "nirs-daejeon");
    let consumers = v["consumers"].as_array().expect("consumers");
    let inv = ripplemap::load(&root().join(EGOV)).expect("loads");
    let expected = inv.links.iter().filter(|l| l.provider == "gpki").count();
    assert_eq!(consumers.len(), expected);
    assert_eq!(v["consumers_total"], expected);
    let saeol = consumers
        .iter()
        .find(|c| c["link"] == "saeol-login-gpki")
        .expect("saeol's login link");
    assert_eq!(saeol["id"], "saeol");
    for key in ["mode", "tolerance", "effect", "link_kind", "group"] {
        assert!(saeol.get(key).is_some(), "{key} given");
    }
    let providers = v["providers"].as_array().expect("providers");
    assert!(providers.iter().any(|p| p["id"] == "nirs-daejeon"));

    let many = get(&app, "/api/nodes?id=gpki&id=gov24&id=nope")
        .await
        .json();
    assert_eq!(many["nodes"]["gov24"]["name"], "정부24");
    assert_eq!(many["unknown"][0], "nope");

    let link = get(&app, "/api/link/saeol-login-gpki").await.json();
    assert_eq!(link["provider"], "gpki");
}

#[tokio::test]
async fn the_inventory_summary_and_status() {
    let app = app(EGOV);
    let v = get(&app, "/api/inventory").await.json();
    assert_eq!(v["stats"]["nodes"], 87);
    assert_eq!(v["stats"]["links"], 350);
    assert!(v["policy"]["errors"].is_u64());
    let check: Value =
        serde_json::from_str(&cli_any(&["check", EGOV, "--format", "json"])).expect("JSON");
    assert_eq!(v["stats"], check["stats"], "the stats of `check`");
    assert_eq!(v["policy"], check["policy"]["summary"]);
    let s = get(&app, "/api/status").await.json();
    assert_eq!(s["ok"], true);
    assert_eq!(s["version"], 1);
    assert_eq!(s["nodes"], 87);
    assert_eq!(s["diagnostics"].as_array().map(Vec::len), Some(0));
}

/// Stdout of a command whatever its exit code (`check` exits 1 on policy errors).
fn cli_any(args: &[&str]) -> String {
    run_cli(args).1
}

#[tokio::test]
async fn bad_requests_are_4xx_json_naming_the_problem() {
    let app = app(EGOV);
    let v = assert_error(
        &get(&app, "/api/impact?fail=gpkk").await,
        StatusCode::BAD_REQUEST,
        "unknown node id `gpkk`",
    );
    assert_eq!(
        v["suggestions"][0], "gpki",
        "the closest ids, as the CLI says"
    );
    let v = assert_error(
        &get(&app, "/api/change?link=saeol-login-gpkk").await,
        StatusCode::BAD_REQUEST,
        "unknown link id",
    );
    assert_eq!(v["suggestions"][0], "saeol-login-gpki");
    assert_error(
        &get(&app, "/api/impact").await,
        StatusCode::BAD_REQUEST,
        "no node or link given",
    );
    assert_error(
        &get(&app, "/api/impact?fail=gpki&hours=soon").await,
        StatusCode::BAD_REQUEST,
        "invalid hours `soon`",
    );
    assert_error(
        &get(&app, "/api/impact?fail=gpki&hours=-1").await,
        StatusCode::BAD_REQUEST,
        "invalid hours",
    );
    assert_error(
        &get(&app, "/api/impact?fail=gpki&hours=1&hours=2").await,
        StatusCode::BAD_REQUEST,
        "given twice",
    );
    assert_error(
        &get(&app, "/api/impact?fail=gpki&file=/etc/passwd").await,
        StatusCode::BAD_REQUEST,
        "unknown parameter `file`",
    );
    assert_error(
        &get(&app, "/api/impact?fail_where=planet%3Dmars").await,
        StatusCode::BAD_REQUEST,
        "invalid selection",
    );
    assert_error(
        &get(&app, "/api/impact?fail_where=site%3Dnowhere").await,
        StatusCode::BAD_REQUEST,
        "no node matches",
    );
    let v = assert_error(
        &get(&app, "/api/node/gpkk").await,
        StatusCode::NOT_FOUND,
        "unknown node id",
    );
    assert_eq!(v["suggestions"][0], "gpki");
    assert_error(
        &get(&app, "/api/node/%FF%FE").await,
        StatusCode::BAD_REQUEST,
        "invalid node id",
    );
    assert_error(
        &get(&app, "/api/search?q=gpki&limit=1000").await,
        StatusCode::BAD_REQUEST,
        "invalid limit",
    );
    assert_error(
        &get(&app, "/etc/passwd").await,
        StatusCode::NOT_FOUND,
        "no such page",
    );
    assert_error(
        &get(&app, "/api/nothing").await,
        StatusCode::NOT_FOUND,
        "no such page",
    );
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let a = request(&app, method, "/api/impact?fail=gpki", Some("localhost")).await;
        assert_error(&a, StatusCode::METHOD_NOT_ALLOWED, "read-only");
        assert_eq!(a.headers["allow"], "GET, HEAD");
    }
    // Another host name: a page on another site rebinding its name to 127.0.0.1.
    let a = request(&app, "GET", "/api/status", Some("attacker.example:8080")).await;
    assert_error(
        &a,
        StatusCode::MISDIRECTED_REQUEST,
        "addressed to this machine",
    );
    for host in ["localhost:8080", "[::1]:8080", "127.0.0.1"] {
        let a = request(&app, "GET", "/api/status", Some(host)).await;
        assert_eq!(a.status, StatusCode::OK, "{host}");
    }
}

#[tokio::test]
async fn limits_are_enforced() {
    let app = app(EGOV);
    // At most 500 ids and selections in one scenario.
    let many: Vec<String> = (0..501).map(|_| "fail=gpki".to_owned()).collect();
    assert_error(
        &get(&app, &format!("/api/impact?{}", many.join("&"))).await,
        StatusCode::BAD_REQUEST,
        "at most 500",
    );
    let ok: Vec<String> = (0..500).map(|_| "fail=gpki".to_owned()).collect();
    assert_eq!(
        get(&app, &format!("/api/impact?{}", ok.join("&")))
            .await
            .status,
        StatusCode::OK
    );
    let commas = vec!["gpki"; 600].join(",");
    assert_error(
        &get(&app, &format!("/api/change?system={commas}")).await,
        StatusCode::BAD_REQUEST,
        "at most 500",
    );
    // The request target.
    let long = "x".repeat(40_000);
    assert_error(
        &get(&app, &format!("/api/search?q={long}")).await,
        StatusCode::URI_TOO_LONG,
        "request too long",
    );
    assert_error(
        &get(&app, &format!("/api/search?q={}", "x".repeat(300))).await,
        StatusCode::BAD_REQUEST,
        "too long",
    );
    // The time limit: a query still running at it is answered 504, in JSON.
    let slow = router(explorer(
        EGOV,
        Limits {
            timeout: Duration::ZERO,
            ..Limits::default()
        },
    ));
    let a = get(&slow, "/api/impact?fail=gpki").await;
    assert!(
        a.status == StatusCode::GATEWAY_TIMEOUT || a.status == StatusCode::SERVICE_UNAVAILABLE,
        "{}: {}",
        a.status,
        a.body
    );
    assert!(a.json()["error"].as_str().is_some());
}

#[tokio::test]
async fn hostile_names_are_escaped_json_and_the_page_never_uses_inner_html() {
    let app = app(HOSTILE);
    let inv = ripplemap::load(&root().join(HOSTILE)).expect("loads");
    let auth = inv.nodes.iter().find(|n| n.id == "auth").expect("auth");
    let a = get(&app, "/api/impact?fail=auth").await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.body);
    assert_eq!(a.headers["x-content-type-options"], "nosniff");
    assert!(
        !a.body.contains("\nsecond line"),
        "a newline inside a name is escaped"
    );
    let v = a.json();
    assert_eq!(v["affected"][0]["name"], auth.name.as_str(), "round trip");
    assert_eq!(
        a.body,
        cli(&["impact", HOSTILE, "--fail", "auth", "--format", "json"])
    );
    let n = get(&app, "/api/node/auth").await.json();
    assert_eq!(n["name"], auth.name.as_str());
    assert_eq!(n["agency"], "A&B <Ministry>");
    let s = get(&app, "/api/search?q=%3Cscript").await.json();
    let results = s["results"].as_array().expect("results");
    assert!(
        results
            .iter()
            .any(|r| r["type"] == "agency" && r["id"] == "Agency \"<script>alert(1)</script>\""),
        "the agency is found: {s}"
    );
    assert!(
        results.iter().any(|r| r["type"] == "node"),
        "so is the node named with a tag: {s}"
    );

    // The page builds its DOM with textContent and createElement only.
    let js = std::fs::read_to_string(root().join("web/app.js")).expect("app.js");
    for banned in [
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ] {
        assert!(!js.contains(banned), "web/app.js uses {banned}");
    }
    let html = std::fs::read_to_string(root().join("web/index.html")).expect("index.html");
    assert!(!html.contains("<script>"), "no inline script");
    assert!(!html.contains(" style="), "no inline style");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing from the internet"
    );
}

#[tokio::test]
async fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let app = app(EGOV);
    for (path, kind) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/app.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let a = get(&app, path).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert!(
            a.headers["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with(kind),
            "{path}"
        );
        let csp = a.headers["content-security-policy"].to_str().unwrap_or("");
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        assert!(!csp.contains("unsafe"), "{csp}");
        assert_eq!(a.headers["x-frame-options"], "DENY");
    }
    let head = request(&app, "HEAD", "/", Some("localhost")).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty());
}

/// The two dictionaries of app.js, as their key lists.
fn i18n_keys(js: &str, lang: &str) -> Vec<String> {
    let start = format!("// i18n:{lang}:start");
    let end = format!("// i18n:{lang}:end");
    let from = js.find(&start).expect("dictionary start") + start.len();
    let to = js.find(&end).expect("dictionary end");
    let mut keys: Vec<String> = js[from..to]
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let (k, _) = l.split_once(':')?;
            (!k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
                .then(|| k.to_owned())
        })
        .filter(|k| k != lang)
        .collect();
    keys.sort();
    keys
}

#[test]
fn korean_and_english_labels_have_the_same_keys() {
    let js = std::fs::read_to_string(root().join("web/app.js")).expect("app.js");
    let en = i18n_keys(&js, "en");
    let ko = i18n_keys(&js, "ko");
    assert!(en.len() > 50, "{} keys", en.len());
    let mut dedup = en.clone();
    dedup.dedup();
    assert_eq!(dedup, en, "no key twice");
    assert_eq!(en, ko, "the same keys in both languages");
    // Every key the page asks for exists.
    let html = std::fs::read_to_string(root().join("web/index.html")).expect("index.html");
    for part in html.split("data-i18n=\"").skip(1) {
        let key = part.split('"').next().unwrap_or("");
        assert!(
            en.iter().any(|k| k == key),
            "index.html uses missing key `{key}`"
        );
    }
    let mut rest = js.as_str();
    while let Some(at) = rest.find("t('") {
        let before = rest[..at].chars().next_back().unwrap_or(' ');
        let key: String = rest[at + 3..].chars().take_while(|c| *c != '\'').collect();
        rest = &rest[at + 3..];
        if before.is_ascii_alphanumeric() || before == '_' || before == '.' || key.ends_with('_') {
            continue; // another function (get('…')), or a key made at run time
        }
        assert!(en.contains(&key), "app.js uses missing key `{key}`");
    }
}

/// A small valid inventory and a temporary directory holding it.
fn temp_inventory() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("inv.toml");
    std::fs::copy(root().join("inventories/teach-soft-link.toml"), &path).expect("copy");
    (dir, path)
}

#[tokio::test]
async fn a_reload_that_fails_keeps_the_last_good_version_and_reports_why() {
    let (_dir, path) = temp_inventory();
    let ex = Arc::new(Explorer::open(&path, None, Limits::default()).expect("loads"));
    let app = router(ex.clone());
    let first = ex.current();
    let some = first.graph.inventory().nodes[0].id.to_string();
    assert_eq!(ex.poll(), Reload::Unchanged);

    // Broken: an unknown kind and a bad grade.
    let good = std::fs::read_to_string(&path).expect("read");
    std::fs::write(
        &path,
        format!("{good}\n[[system]]\nid = \"broken\"\nkind = \"servce\"\ngrade = 0\n"),
    )
    .expect("write");
    assert!(matches!(ex.poll(), Reload::Failed(n) if n >= 2));
    let s = get(&app, "/api/status").await.json();
    assert_eq!(s["ok"], false);
    assert_eq!(s["version"], 1, "still the first version");
    let lines: Vec<&str> = s["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.contains("inv.toml:") && l.contains("servce")),
        "{lines:?}"
    );
    let a = get(&app, &format!("/api/impact?fail={some}")).await;
    assert_eq!(a.status, StatusCode::OK, "still answering: {}", a.body);
    assert_eq!(
        ex.poll(),
        Reload::Unchanged,
        "the same broken files are not reloaded"
    );

    // Fixed, with one more node: version 2, no diagnostics.
    std::fs::write(
        &path,
        format!("{good}\n[[system]]\nid = \"added\"\nname = \"추가\"\ngrade = 2\n"),
    )
    .expect("write");
    assert_eq!(ex.poll(), Reload::Loaded(2));
    let s = get(&app, "/api/status").await.json();
    assert_eq!(s["ok"], true);
    assert_eq!(s["version"], 2);
    assert_eq!(s["nodes"], first.graph.node_count() + 1);
    let v = get(&app, "/api/search?q=%EC%B6%94%EA%B0%80").await.json();
    assert_eq!(v["results"][0]["id"], "added");
}

/// `ripplemap serve` on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(inventory: &Path, extra: &[&str]) -> Server {
        let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_ripplemap"));
        let mut child = Command::new(bin)
            .current_dir(root())
            .arg("serve")
            .arg(inventory)
            .args(["--bind", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("ripplemap serve starts");
        let stderr = child.stderr.take().expect("stderr");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[serve] {line}");
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.split(" at http://").nth(1) {
                        let addr = url.trim_end_matches('/').to_owned();
                        return Server { child, addr };
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("ripplemap serve did not print its address");
                }
            }
        }
    }

    fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A GET over a plain socket: status and body.
    fn get(&self, path: &str) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).expect("connects");
        s.set_read_timeout(Some(Duration::from_secs(30)))
            .expect("timeout");
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.addr
        )
        .expect("sends");
        let mut raw = String::new();
        s.read_to_string(&mut raw).expect("reads");
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0);
        (status, body.to_owned())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_server_watches_a_csv_directory_and_stops_cleanly() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = dir.path().join("inv");
    cli(&[
        "convert",
        "inventories/teach-soft-link.toml",
        "--to",
        "csv",
        "-o",
        csv.to_str().expect("UTF-8 path"),
    ]);
    let mut server = Server::start(&csv, &[]);
    let (code, body) = server.get("/api/status");
    assert_eq!(code, 200, "{body}");
    let status: Value = serde_json::from_str(&body).expect("JSON");
    assert_eq!(status["ok"], true);

    // Corrupt links.csv: within a few polls the status reports it; queries still answer.
    let links = csv.join("links.csv");
    let good = std::fs::read_to_string(&links).expect("links.csv");
    std::fs::write(&links, format!("{good}broken,row,with,\"unclosed\n")).expect("write");
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        let (_, body) = server.get("/api/status");
        let v: Value = serde_json::from_str(&body).expect("JSON");
        if v["ok"] == false || Instant::now() > deadline {
            break v;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        status["ok"], false,
        "the failed reload is reported: {status}"
    );
    assert!(
        status["diagnostics"][0]
            .as_str()
            .is_some_and(|d| d.contains("links.csv")),
        "{status}"
    );
    let inv = ripplemap::load(&root().join("inventories/teach-soft-link.toml")).expect("loads");
    let (code, body) = server.get(&format!("/api/impact?fail={}", inv.nodes[0].id));
    assert_eq!(code, 200, "{body}");

    // SIGTERM (as Ctrl-C): a graceful stop with exit code 0.
    #[cfg(unix)]
    {
        let pid = server.child.id().to_string();
        let killed = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(killed.is_ok_and(|s| s.success()), "kill -TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        let code = loop {
            if let Some(code) = server.child.try_wait().expect("wait") {
                break code;
            }
            assert!(Instant::now() < deadline, "the server did not stop");
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(code.success(), "exit status {code}");
    }
}

#[test]
fn an_inventory_that_does_not_load_is_refused_at_start_like_every_command() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[[system]]\nid = \"x\"\ngrade = 9\n").expect("write");
    let (code, _, err) = run_cli(&[
        "serve",
        bad.to_str().expect("UTF-8"),
        "--bind",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("bad.toml:3"), "{err}");
    let (code, _, err) = run_cli(&["serve", EGOV, "--lang", "fr"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("possible values: ko, en"), "{err}");
}

/// The tool, or `None` with a note (a failure under `RIPPLEMAP_REQUIRE_TOOLS`).
fn needed(what: &str, found: Option<PathBuf>) -> Option<PathBuf> {
    if found.is_none() {
        assert!(
            std::env::var_os("RIPPLEMAP_REQUIRE_TOOLS").is_none(),
            "{what} is missing but RIPPLEMAP_REQUIRE_TOOLS is set"
        );
        eprintln!("skipped the browser test: {what} is missing");
    }
    found
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|p| {
        std::env::split_paths(&p)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

/// `down + degraded` of `impact --fail gpki [--hours H]`, `affected` of `change --system gpki`.
fn cli_count(args: &[&str], fields: &[&str]) -> u64 {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let v: Value = serde_json::from_str(&cli(&args)).expect("JSON");
    fields
        .iter()
        .map(|f| v["summary"][f].as_u64().expect("a count"))
        .sum()
}

#[test]
fn the_page_works_in_headless_chromium() {
    let Some(node) = needed("node", on_path("node")) else {
        return;
    };
    let chromium = std::env::var_os("CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromium")))
        .filter(|p| p.is_file());
    let Some(chromium) = needed("chromium (/usr/bin/chromium)", chromium) else {
        return;
    };
    let modules = root().join("web/test/node_modules/playwright-core");
    if needed(
        "web/test/node_modules (run `npm ci --prefix web/test`)",
        modules.is_dir().then_some(modules),
    )
    .is_none()
    {
        return;
    }
    let both = ["down", "degraded"];
    let expect = serde_json::json!({
        "forever": cli_count(&["impact", EGOV, "--fail", "gpki"], &both),
        "hours0": cli_count(&["impact", EGOV, "--fail", "gpki", "--hours", "0"], &both),
        "hours24": cli_count(&["impact", EGOV, "--fail", "gpki", "--hours", "24"], &both),
        "change": cli_count(&["change", EGOV, "--system", "gpki"], &["affected"]),
    });
    let egov = Server::start(Path::new(EGOV), &["--lang", "en"]);
    let hostile = Server::start(Path::new(HOSTILE), &[]);
    let (_dir, reload_file) = temp_inventory();
    let reload = Server::start(&reload_file, &[]);
    let out = Command::new(node)
        .current_dir(root())
        .env("CHROMIUM", chromium)
        .arg("web/test/explorer.mjs")
        .arg(egov.url())
        .arg(hostile.url())
        .arg(expect.to_string())
        .arg(reload.url())
        .arg(&reload_file)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "the browser test failed:\n{stdout}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}

#[tokio::test]
async fn bad_filters_are_refused_with_what_was_expected() {
    let app = app(EGOV);
    for (uri, mentions) in [
        (
            "/api/impact?fail=gpki&state=gone",
            "expected down or degraded",
        ),
        ("/api/impact?fail=gpki&grade=7", "expected 1 to 4"),
        ("/api/impact?fail=gpki&limit=-1", "invalid limit"),
        ("/api/impact?fail=gpki&paths=some", "expected full or via"),
        (
            "/api/change?system=gpki&state=down",
            "unknown parameter `state`",
        ),
    ] {
        assert_error(&get(&app, uri).await, StatusCode::BAD_REQUEST, mentions);
    }
    let e = assert_error(
        &get(&app, "/api/impact?fail=gpki&agency=MOLS").await,
        StatusCode::BAD_REQUEST,
        "no node has agency `MOLS`",
    );
    assert!(
        e["suggestions"]
            .as_array()
            .is_some_and(|s| s.iter().any(|a| a == "MOIS")),
        "{e}"
    );
}
