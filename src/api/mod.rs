//! The HTTP service: OGC API – Features (Part 1: Core, GeoJSON, OpenAPI 3.0) over the index,
//! spatial searches beyond the standard, and the map viewer's static files.
//!
//! Readers take the current snapshot (an `Arc`) and never wait on a writer; a new snapshot is
//! built off to the side and swapped in whole.

mod error;
mod linger;
mod ogc;
pub mod openapi;
pub mod params;
mod plans;
pub mod responses;
pub mod search;
mod static_files;
pub mod stats;
pub mod text;
pub mod tiles;

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use sha2::{Digest, Sha256};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{Any, CorsLayer};
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;

pub use crate::snapshot::{Snapshot, SnapshotError};
pub use error::ApiError;
pub use plans::{follow, refresh};

use crate::config::{
    DRAIN_TIMEOUT, HEADER_TIMEOUT, MAX_BODY_BYTES, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP,
    REQUEST_TIMEOUT, UPLOAD_MEMORY_BYTES,
};
use crate::gazetteer::Gazetteer;

/// The store every handler reads plans' texts from and writes go through.
pub type Store = Arc<dyn crate::store::PlanStore<crate::pipeline::Catalog>>;

/// What reading and writing plans needs: the store, the token, and the catalog the served
/// snapshot was built from, behind the one-writer-at-a-time lock.
pub struct Writes {
    pub store: Store,
    /// `None`: the service is read-only (a database replica without a token still follows the
    /// others' writes).
    pub token: Option<String>,
    pub max_plan_bytes: usize,
    followed: Arc<tokio::sync::Mutex<crate::store::Followed<crate::pipeline::Catalog>>>,
    /// KiB of upload bodies that may be held in memory at once (UPLOAD_MEMORY_BYTES): an
    /// upload takes its share before it reads a byte of its body.
    upload_kib: Arc<tokio::sync::Semaphore>,
}

impl Writes {
    /// A store; `followed` must hold the catalog the state's snapshot was built from. Without a
    /// token the store is read (plans' texts), never written.
    pub fn new(
        store: Store,
        followed: crate::store::Followed<crate::pipeline::Catalog>,
        token: Option<String>,
        max_plan_bytes: usize,
    ) -> Self {
        Writes {
            store,
            token,
            max_plan_bytes,
            followed: Arc::new(tokio::sync::Mutex::new(followed)),
            upload_kib: upload_budget(),
        }
    }

    /// Whether writes are accepted (a token is set).
    pub fn writable(&self) -> bool {
        self.token.is_some() && self.store.writable()
    }

    /// Waits (at most WRITE_WAIT) until `bytes` of upload may be held in memory; the share is
    /// given back when the returned permit is dropped.
    pub async fn hold_upload(
        &self,
        bytes: u64,
    ) -> Result<tokio::sync::OwnedSemaphorePermit, ApiError> {
        let kib = bytes.div_ceil(1024).min(UPLOAD_MEMORY_BYTES as u64 / 1024) as u32;
        tokio::time::timeout(
            crate::config::WRITE_WAIT,
            Arc::clone(&self.upload_kib).acquire_many_owned(kib.max(1)),
        )
        .await
        .ok()
        .and_then(Result::ok)
        .ok_or_else(|| {
            ApiError::Busy("too many plans are being uploaded at once; try again shortly".into())
        })
    }
}

fn upload_budget() -> Arc<tokio::sync::Semaphore> {
    Arc::new(tokio::sync::Semaphore::new(UPLOAD_MEMORY_BYTES / 1024))
}

/// What every handler shares.
pub struct AppState {
    pub gaz: Arc<Gazetteer>,
    current: RwLock<Arc<Snapshot>>,
    /// Vector tiles made, by data version.
    tiles: tiles::TileCache,
    /// `None`: the service is read-only.
    pub writes: Option<Writes>,
}

impl AppState {
    pub fn new(gaz: Arc<Gazetteer>, snapshot: Snapshot) -> Self {
        AppState {
            gaz,
            current: RwLock::new(Arc::new(snapshot)),
            tiles: Default::default(),
            writes: None,
        }
    }

    /// Turns writes on.
    pub fn with_writes(mut self, w: Writes) -> Self {
        self.writes = Some(w);
        self
    }

    /// The snapshot in force now. Cheap: a clone of an `Arc`.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.current.read() {
            Ok(g) => Arc::clone(&g),
            // a writer that panicked left a whole snapshot behind: keep serving it
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Swaps in a new snapshot; readers holding the old one finish with it.
    pub fn replace(&self, s: Snapshot) {
        let new = Arc::new(s);
        match self.current.write() {
            Ok(mut g) => *g = new,
            Err(poisoned) => *poisoned.into_inner() = new,
        }
    }
}

pub type Shared = Arc<AppState>;

/// The whole router.
pub fn router(state: Shared) -> Router {
    let max_plan = state
        .writes
        .as_ref()
        .map_or(MAX_BODY_BYTES, |w| w.max_plan_bytes);
    Router::new()
        .route("/", get(ogc::landing))
        .route("/conformance", get(ogc::conformance))
        .route("/api", get(openapi::handler))
        .route("/collections", get(ogc::collections))
        .route("/collections/{id}", get(ogc::collection))
        .route("/collections/{id}/items", get(ogc::items))
        .route("/collections/{id}/queryables", get(ogc::queryables_of))
        .route("/collections/{id}/stats", get(stats::of))
        .route("/collections/{id}/tiles", get(tiles::tilesets))
        .route(
            "/collections/{id}/tiles/WebMercatorQuad",
            get(tiles::tileset),
        )
        .route(
            "/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}",
            get(tiles::tile),
        )
        .route("/tileMatrixSets", get(tiles::matrix_sets))
        .route(
            "/tileMatrixSets/WebMercatorQuad",
            get(tiles::web_mercator_quad),
        )
        .route("/collections/{id}/items/{fid}", get(ogc::item))
        .route("/collections/{id}/items/{fid}/mentions", get(ogc::mentions))
        .route("/search/nearest", get(search::nearest))
        .route("/search/within", get(search::within))
        .route("/search/intersects", post(search::intersects))
        .route("/counties/at", get(search::county_at))
        .route("/counties/{code}/projects", get(search::county_projects))
        .route(
            "/plans",
            get(plans::list)
                .post(plans::add)
                .layer(axum::extract::DefaultBodyLimit::max(max_plan)),
        )
        .route("/plans/{id}", get(plans::one).delete(plans::remove))
        .route("/plans/{id}/text", get(text::page))
        .route("/static/{*path}", get(static_files::serve))
        .route("/viewer", get(static_files::index))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&state),
            etag,
        ))
        .with_state(state)
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(CompressionLayer::new().gzip(true))
        .layer(
            CorsLayer::new()
                .allow_origin(Any)
                .allow_methods([
                    Method::GET,
                    Method::HEAD,
                    Method::POST,
                    Method::DELETE,
                    Method::OPTIONS,
                ])
                .allow_headers(Any)
                .expose_headers([header::ETAG]),
        )
        // outside compression and CORS, so that it sees every answer given early
        .layer(axum::middleware::from_fn(linger::linger))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // every request logged with its id (also sent back as x-request-id), status and latency
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &axum::http::Request<_>| {
                    let id = req
                        .headers()
                        .get("x-request-id")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("");
                    tracing::info_span!("request", id, method = %req.method(), uri = %req.uri())
                })
                .on_request(())
                .on_response(
                    DefaultOnResponse::new()
                        .level(tracing::Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                ),
        )
        .layer(SetRequestIdLayer::x_request_id(RequestIds::default()))
}

/// Request ids: this process's start time and a counter, unique enough to find one request's
/// lines in a log; a client's own `x-request-id` is kept.
#[derive(Clone)]
struct RequestIds {
    prefix: u32,
    next: Arc<std::sync::atomic::AtomicU64>,
}

impl Default for RequestIds {
    fn default() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        RequestIds {
            prefix: (secs & 0xffff_ffff) as u32,
            next: Arc::default(),
        }
    }
}

impl MakeRequestId for RequestIds {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:08x}-{n}", self.prefix))
            .ok()
            .map(RequestId::new)
    }
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such resource; see /api for what this service offers".into())
}

/// Serves until SIGTERM or Ctrl-C, then stops accepting and drains in-flight requests.
///
/// The accept loop is ours rather than `axum::serve` because it needs three things that one does
/// not offer: a cap on concurrent connections, a header-read timeout, and a bounded drain.
pub async fn serve(addr: SocketAddr, state: Shared) -> std::io::Result<()> {
    use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
    use hyper_util::server::conn::auto::Builder;
    use hyper_util::service::TowerToHyperService;

    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    tracing::info!("listening on http://{local}");
    // on stdout too, so that whoever started `--addr 127.0.0.1:0` learns the port the system gave
    println!("listening on http://{local}");
    let app = router(state);
    let permits = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let per_peer = PeerSlots::default();
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT);
    builder.http2().timer(TokioTimer::new());
    let mut shutdown = std::pin::pin!(shutdown_signal());
    loop {
        let permit = tokio::select! {
            p = Arc::clone(&permits).acquire_owned() => match p {
                Ok(p) => p,
                Err(_) => break,
            },
            _ = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            r = listener.accept() => match r {
                Ok(s) => s,
                Err(e) => {
                    // out of file descriptors and the like: wait, do not spin
                    tracing::warn!("accept: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        // one address may hold only its share of the connections: past it, closed at once
        let Some(slot) = per_peer.claim(peer.ip()) else {
            // (debug, not warn: a flood of refused connections must not become a flood of log)
            tracing::debug!(peer = %peer.ip(), "connection refused: {MAX_CONNECTIONS_PER_IP} open from this address");
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let svc = TowerToHyperService::new(app.clone());
        let mut builder = builder.clone();
        let watcher = graceful.watcher();
        tokio::spawn(async move {
            // the header timeout runs from the accept: a client that sends nothing is closed
            // when it ends, like one that sends its headers too slowly (hyper's own timer
            // starts only with the first byte)
            let accepted = tokio::time::Instant::now();
            let mut first = [0u8; 1];
            match tokio::time::timeout(HEADER_TIMEOUT, stream.peek(&mut first)).await {
                Ok(Ok(n)) if n > 0 => {}
                _ => return drop((permit, slot)),
            }
            let left = HEADER_TIMEOUT.saturating_sub(accepted.elapsed());
            builder.http1().header_read_timeout(left);
            let conn = builder
                .serve_connection_with_upgrades(TokioIo::new(stream), svc)
                .into_owned();
            let _ = watcher.watch(conn).await;
            drop((permit, slot));
        });
    }
    drop(listener);
    tokio::select! {
        _ = graceful.shutdown() => tracing::info!("all requests drained"),
        _ = tokio::time::sleep(DRAIN_TIMEOUT) => tracing::warn!("drain timed out"),
    }
    Ok(())
}

/// Connections open per client address, so that one address cannot take every connection.
#[derive(Clone, Default)]
struct PeerSlots(Arc<std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, usize>>>);

/// One connection's place in its address's count, given back when dropped.
struct PeerSlot {
    slots: PeerSlots,
    ip: std::net::IpAddr,
}

impl PeerSlots {
    fn claim(&self, ip: std::net::IpAddr) -> Option<PeerSlot> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let n = open.entry(ip).or_insert(0);
        if *n >= MAX_CONNECTIONS_PER_IP {
            return None;
        }
        *n += 1;
        Some(PeerSlot {
            slots: self.clone(),
            ip,
        })
    }
}

impl Drop for PeerSlot {
    fn drop(&mut self) {
        let mut open = self.slots.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(n) = open.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                open.remove(&self.ip);
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
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down, draining requests");
}

/// The requested representation: `f=` wins, then the Accept header.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Format {
    Json,
    Html,
}

pub fn negotiate(f: Option<&str>, headers: &HeaderMap) -> Result<Format, ApiError> {
    match f {
        Some("json") | Some("geojson") => return Ok(Format::Json),
        Some("html") => return Ok(Format::Html),
        Some(other) => {
            return Err(ApiError::param(
                "f",
                format!("{other:?}; one of json, html"),
            ))
        }
        None => {}
    }
    // browsers list text/html first; API clients ask for JSON or */*
    Ok(if accepts(headers, "text/html") {
        Format::Html
    } else {
        Format::Json
    })
}

/// Whether the Accept header names this media type before any JSON one.
pub fn accepts(headers: &HeaderMap, media: &str) -> bool {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match (accept.find(media), accept.find("json")) {
        (Some(m), Some(j)) => m < j,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The query of an endpoint that takes only `f`, and the format it negotiated.
pub struct FormatQuery {
    pub format: Format,
    /// Whether `f` was given (rather than inferred from Accept).
    pub explicit: bool,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for FormatQuery {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let p = params::Params::parse(parts.uri.query(), &["f"])?;
        Ok(FormatQuery {
            format: negotiate(p.get("f"), &parts.headers)?,
            explicit: p.get("f").is_some(),
        })
    }
}

/// The base URL links are built on, from the Host header.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("127.0.0.1:8080");
    format!("http://{host}")
}

/// A JSON answer with its media type. (Validators are added by [`etag`].)
pub fn json_response<T: serde::Serialize + ?Sized>(body: &T, media: &'static str) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => {
            let mut resp = (StatusCode::OK, bytes).into_response();
            resp.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
            resp
        }
        Err(e) => ApiError::internal(format!("cannot encode response: {e}")).into_response(),
    }
}

/// Weak ETags for every successful GET: the data version and what was asked (URI and Accept),
/// so that a page is revalidated, not recomputed, until the data changes. `If-None-Match` that
/// matches gets 304 without running the handler.
async fn etag(
    axum::extract::State(st): axum::extract::State<Shared>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return next.run(req).await;
    }
    let mut h = Sha256::new();
    h.update(st.snapshot().version().as_bytes());
    h.update(req.uri().to_string().as_bytes());
    h.update([0]);
    if let Some(a) = req.headers().get(header::ACCEPT) {
        h.update(a.as_bytes());
    }
    let tag = hex::encode(&h.finalize()[..10]);
    let Ok(value) = HeaderValue::from_str(&format!("W/\"{tag}\"")) else {
        return next.run(req).await;
    };
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().as_bytes() == value.as_bytes() || t.trim() == "*")
        });
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, value)]).into_response();
    }
    let mut resp = next.run(req).await;
    if resp.status() == StatusCode::OK {
        resp.headers_mut().insert(header::ETAG, value);
    }
    resp
}

pub const GEOJSON: &str = "application/geo+json";
pub const JSON: &str = "application/json";
pub const OPENAPI: &str = "application/vnd.oai.openapi+json;version=3.0";
pub const SCHEMA_JSON: &str = "application/schema+json";

/// Joins a link's query pairs.
pub fn query_string(pairs: &[(String, String)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        s.append_pair(k, v);
    }
    s.finish()
}

/// Minimal HTML for `f=html`: a heading and the JSON, readable and linkable.
pub fn html_page<T: serde::Serialize + ?Sized>(title: &str, body: &T) -> Response {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let json = serde_json::to_string_pretty(body).unwrap_or_default();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} – planmap</title></head>\
         <body><h1>{t}</h1><p><a href=\"/viewer\">Open the map</a> · <a href=\"/api\">API</a></p>\
         <pre>{j}</pre></body></html>",
        t = esc(title),
        j = esc(&json)
    );
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}
