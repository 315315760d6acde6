//! `ripplemap serve`: the interactive what-if explorer. A small read-only web server that
//! loads the inventory once, answers failure, change, search and neighbourhood queries
//! from memory with the same JSON documents as the CLI, reloads the inventory when its
//! files change (keeping the last good version when the new one does not load), and
//! serves the page embedded in the binary (no CDN: it works on an isolated network).
//!
//! ```no_run
//! use std::sync::Arc;
//! use ripplemap::serve::{Explorer, Limits, router};
//! let app = Explorer::open("inventories/korea-egov.toml".as_ref(), None, Limits::default())?;
//! let router = router(Arc::new(app)); // an axum Router: serve it, or test it with tower
//! # Ok::<(), ripplemap::LoadError>(())
//! ```

mod api;
mod assets;
mod state;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

pub use api::ApiError;
pub use state::{Explorer, Lang, Loaded, Problem, Reload};

use crate::cache::Cache;
use crate::inventory::{LoadError, LoadOptions};

/// What a request may ask for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// The most ids and selections in one scenario.
    pub max_seeds: usize,
    /// The longest a query may compute (answered 504 after it).
    pub timeout: Duration,
    /// The longest request target (path and query), in bytes (answered 414 above it).
    pub max_uri: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_seeds: 500,
            timeout: Duration::from_secs(10),
            max_uri: 32 * 1024,
        }
    }
}

/// How to serve.
#[derive(Debug, Clone)]
pub struct Options {
    /// The inventory: a .toml, .json or .xlsx file, or a directory of CSV files.
    pub inventory: PathBuf,
    /// Where to listen (127.0.0.1:8080 by default; port 0 picks a free one).
    pub bind: SocketAddr,
    /// Open the page in the browser once listening.
    pub open: bool,
    /// The page's starting language (`None`: the browser's).
    pub lang: Option<Lang>,
    /// Request limits.
    pub limits: Limits,
    /// How often the inventory's files are looked at.
    pub poll: Duration,
    /// How the inventory is read (the encoding of CSV files).
    pub load: LoadOptions,
    /// The compiled index cache loads go through.
    pub cache: Cache,
}

impl Options {
    /// Options with the default limits and a poll every second.
    pub fn new(inventory: PathBuf, bind: SocketAddr, open: bool, lang: Option<Lang>) -> Self {
        Options {
            inventory,
            bind,
            open,
            lang,
            limits: Limits::default(),
            poll: Duration::from_secs(1),
            load: LoadOptions::default(),
            cache: Cache::disabled(),
        }
    }
}

/// Why the server did not start or stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The inventory does not load.
    #[error("{0}")]
    Load(LoadError),
    /// The address cannot be bound, or serving failed.
    #[error("{0}")]
    Io(String),
}

/// Loads the inventory, listens, and serves until Ctrl-C (or SIGTERM); blocks.
pub fn run(opts: Options) -> Result<(), ServeError> {
    let mut explorer = Explorer::open_with(
        &opts.inventory,
        opts.lang,
        opts.limits,
        opts.load.clone(),
        opts.cache.clone(),
    )
    .map_err(ServeError::Load)?;
    for w in &explorer.warnings {
        eprintln!("{w}");
    }
    explorer.any_host = !opts.bind.ip().is_loopback();
    let explorer = Arc::new(explorer);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ServeError::Io(format!("cannot start the server: {e}")))?;
    runtime.block_on(serve(explorer, opts))
}

async fn serve(explorer: Arc<Explorer>, opts: Options) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::bind(opts.bind)
        .await
        .map_err(|e| ServeError::Io(format!("cannot listen on {}: {e}", opts.bind)))?;
    let addr = listener
        .local_addr()
        .map_err(|e| ServeError::Io(format!("cannot listen on {}: {e}", opts.bind)))?;
    let url = format!("http://{addr}/");
    let loaded = explorer.current();
    eprintln!(
        "ripplemap explorer: {} ({} nodes, {} links) at {url}",
        opts.inventory.display(),
        loaded.graph.node_count(),
        loaded.graph.link_count(),
    );
    eprintln!(
        "watching {} for changes; Ctrl-C to stop",
        opts.inventory.display()
    );
    drop(loaded);
    if !addr.ip().is_loopback() {
        eprintln!(
            "warning: listening beyond this machine ({addr}): anyone who can reach it can read the inventory"
        );
    }
    if opts.open {
        open_browser(&url);
    }
    let watcher = tokio::spawn(watch(explorer.clone(), opts.poll));
    let result = axum::serve(listener, router(explorer))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| ServeError::Io(format!("serving failed: {e}")));
    watcher.abort();
    eprintln!("ripplemap explorer: stopped");
    result
}

/// Looks at the inventory's files every `every`; reports reloads on stderr.
async fn watch(explorer: Arc<Explorer>, every: Duration) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    tick.tick().await;
    loop {
        tick.tick().await;
        let e = explorer.clone();
        match tokio::task::spawn_blocking(move || e.poll()).await {
            Ok(Reload::Unchanged) | Err(_) => {}
            Ok(Reload::Loaded(v)) => {
                let loaded = explorer.current();
                eprintln!(
                    "reloaded {} (version {v}: {} nodes, {} links)",
                    explorer.source().display(),
                    loaded.graph.node_count(),
                    loaded.graph.link_count()
                );
            }
            Ok(Reload::Failed(n)) => {
                let problem = explorer.problem();
                for d in problem.iter().flat_map(|p| &p.diagnostics) {
                    eprintln!("{d}");
                }
                eprintln!(
                    "{n} error{}: the changed inventory was not loaded; still serving version {}",
                    if n == 1 { "" } else { "s" },
                    explorer.current().version
                );
            }
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// Opens `url` in the desktop's browser; a failure is only a note.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    let spawned = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("note: could not open a browser; open {url} yourself");
    }
}

/// The explorer's routes: the page and its assets, and the JSON API.
pub fn router(explorer: Arc<Explorer>) -> Router {
    Router::new()
        .route("/", get(assets::index))
        .route("/index.html", get(assets::index))
        .route("/app.js", get(assets::app_js))
        .route("/app.css", get(assets::app_css))
        .route("/favicon.svg", get(assets::favicon))
        .route("/favicon.ico", get(assets::favicon))
        .route("/api/status", get(api::status))
        .route("/api/inventory", get(api::inventory_summary))
        .route("/api/impact", get(api::impact))
        .route("/api/change", get(api::change))
        .route("/api/assess", get(api::assess))
        .route("/api/search", get(api::search))
        .route("/api/node/{id}", get(api::node))
        .route("/api/nodes", get(api::nodes))
        .route("/api/link/{id}", get(api::link))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(explorer.clone(), guard))
        .with_state(explorer)
}

async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no such page: the API is under /api/ (status, inventory, impact, change, assess, search, node/ID, nodes, link/ID)",
    )
    .into_response()
}

/// Every request: read-only methods, a bounded target, a loopback `Host` when listening
/// on loopback (against DNS rebinding), and the security headers on every answer.
async fn guard(State(app): State<Arc<Explorer>>, req: Request, next: Next) -> Response {
    let mut resp = if req.method() != Method::GET && req.method() != Method::HEAD {
        let mut r = ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "method {} not allowed: the explorer is read-only (GET)",
                req.method()
            ),
        )
        .into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        r
    } else if req.uri().to_string().len() > app.limits.max_uri {
        ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "request too long: at most {} bytes of path and query",
                app.limits.max_uri
            ),
        )
        .into_response()
    } else if !app.any_host && !host_allowed(req.headers().get(header::HOST)) {
        ApiError::new(
            StatusCode::MISDIRECTED_REQUEST,
            "this explorer answers only requests addressed to this machine (localhost, 127.0.0.1 or [::1])",
        )
        .into_response()
    } else {
        next.run(req).await
    };
    let h = resp.headers_mut();
    for (name, value) in [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
             connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; \
             frame-ancestors 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        h.insert(name, HeaderValue::from_static(value));
    }
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    h.insert(
        "cross-origin-resource-policy",
        HeaderValue::from_static("same-origin"),
    );
    resp
}

/// Whether a `Host` header names this machine (no header: a client that is not a browser).
fn host_allowed(host: Option<&HeaderValue>) -> bool {
    let Some(host) = host else { return true };
    let Ok(host) = host.to_str() else {
        return false;
    };
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A value as the JSON documents of the command line write it (pretty, one trailing
/// newline).
pub(crate) fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    let mut buf = Vec::new();
    // Writing to memory fails only when serialization does: the result types hold only
    // strings, numbers, lists and maps with string keys, for which serde_json cannot fail.
    if let Err(e) = crate::render::json::write(value, &mut buf) {
        return format!("{{\"error\": \"{e}\"}}\n");
    }
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_only() {
        let ok = |s: &'static str| host_allowed(Some(&HeaderValue::from_static(s)));
        assert!(ok("127.0.0.1:8080"));
        assert!(ok("localhost"));
        assert!(ok("[::1]:80"));
        assert!(ok("127.3.4.5"));
        assert!(!ok("evil.example:8080"));
        assert!(!ok("10.0.0.1"));
        assert!(host_allowed(None));
    }
}
