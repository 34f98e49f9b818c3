//! Every limit planmap keeps, each with its reason, and the options of `planmap serve`: flags,
//! environment variables, or a TOML file (`--config FILE`), in that order of precedence.
//!
//! A limit lives here, not beside the code that enforces it, so that one page answers "how big,
//! how many, how long" for operators and for the OpenAPI document (which is generated from these).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

// ---- requests -------------------------------------------------------------------------------

/// Largest page a request may ask for: 10,000 projects are about 10 MB of GeoJSON, a page a
/// browser still parses in a fraction of a second; more is what paging is for.
pub const MAX_LIMIT: usize = 10_000;
/// Largest `offset`: far past any portfolio, and small enough that offset + limit never
/// overflows.
pub const MAX_OFFSET: usize = 1_000_000_000;
/// Most keys a `sortby` may name: more never changes an order in practice.
pub const MAX_SORT_KEYS: usize = 5;
/// Page size when a request names none: a screenful, as OGC API – Features suggests.
pub const DEFAULT_LIMIT: usize = 100;
/// Largest `k` of a nearest-neighbour search: past a thousand, a bbox query is the better tool.
pub const MAX_K: usize = 1_000;
/// Largest radius of `within`, in km: Xinjiang is about 2,000 km across, so this covers it
/// from anywhere while keeping distances meaningful.
pub const MAX_KM: f64 = 5_000.0;
/// Longest query string, in bytes: room for a CQL2 filter with a polygon of some hundreds of
/// vertices; longer is an attack or a mistake (and GET URLs past 16 KiB break proxies anyway).
pub const MAX_QUERY_BYTES: usize = 16_384;
/// Longest `filter`, in characters: a polygon of a few hundred vertices fits; so documented, a
/// filter of the longest kind stays within what the HTTP layer reads of a URI (64 KiB, else 414)
/// even percent-encoded, so that the answer is planmap's 400.
pub const MAX_FILTER_CHARS: usize = 4_096;
/// Deepest nesting of a filter's expression: no hand-written filter comes near; each level costs
/// stack in the parser and the evaluator.
pub const MAX_FILTER_DEPTH: usize = 64;
/// Deepest nesting of parentheses in a cql2-text filter: a polygon in a spatial predicate inside
/// a few groups needs six; the grammar backtracks twice at each level of a filter that fails
/// inside, so each level allowed doubles the worst case (at 8, under 0.2 s for the longest).
pub const MAX_FILTER_PARENS: usize = 8;
/// Longest `q` and `doc` values, in characters: longer than any project name or file name.
pub const MAX_TEXT_CHARS: usize = 200;
/// Largest request body outside `POST /plans` (the intersects query's GeoJSON): a county
/// outline at full detail is under 200 KB.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Most vertices of an intersects query geometry: bounds the cost of one exact test against
/// every candidate.
pub const MAX_QUERY_VERTICES: usize = 100_000;
/// Deepest tile zoom served: at 18 a tile is about 150 m across, closer than any plan places a
/// project.
pub const MAX_TILE_ZOOM: u8 = 18;
/// Most features of a vector tile: past it a tile thins its features to one per cell (see
/// `tiles::encode`), so that a tile over 400,000 projects stays about a megabyte; the seeds'
/// busiest tile holds 111.
pub const MAX_TILE_FEATURES: usize = 10_000;
/// Bytes of vector tiles kept made: the seeds' tiles down to zoom 10 fit many times; a larger
/// portfolio keeps what is asked most.
pub const MAX_TILE_CACHE_BYTES: u64 = 64 * 1024 * 1024;
/// A request that takes longer is answered 408 and dropped, so that no client holds a worker.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// Most connections served at once; more wait in the listen queue rather than exhaust file
/// descriptors.
pub const MAX_CONNECTIONS: usize = 1024;
/// Most connections open at once from one client address: a planning office behind one NAT
/// (fifty browsers at six connections each) fits; one client holding every connection does not.
/// Past it, a new connection from that address is closed at once.
pub const MAX_CONNECTIONS_PER_IP: usize = 384;
/// A client must deliver a request's headers within this time from the moment its connection
/// is accepted (slowloris, and connections that never send a byte).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// On shutdown, how long in-flight requests (an ingest among them) get to finish.
pub const DRAIN_TIMEOUT: Duration = Duration::from_secs(60);
/// Most bytes of an unread body read and discarded after an early answer (413, 401), so that
/// the client reads the answer instead of a connection reset.
pub const LINGER_BYTES: usize = 16 * 1024 * 1024;
/// Longest time spent discarding an unread body.
pub const LINGER_TIME: Duration = Duration::from_secs(5);

// ---- plans ----------------------------------------------------------------------------------

/// Largest plan text read at all (files, `POST /plans`): the longest real plans are under
/// 1 MB; 16 MB leaves room and bounds memory and extraction time (about 0.25 s a MB).
pub const MAX_DOCUMENT_BYTES: usize = 16 * 1024 * 1024;
/// Default largest plan accepted by `POST /plans` (`--max-plan-bytes`, at most
/// [`MAX_DOCUMENT_BYTES`]).
pub const DEFAULT_MAX_PLAN_BYTES: usize = 8 * 1024 * 1024;
/// Room for multipart boundaries and fields around a plan of the largest size.
pub const MULTIPART_OVERHEAD: u64 = 64 * 1024;
/// Longest title or period given with a plan, in characters.
pub const MAX_LABEL_CHARS: usize = 200;
/// Bytes of upload bodies held in memory at once, across all `POST /plans` waiting or being
/// stored: an upload takes its share (its announced length, else the largest plan) before it
/// reads its body, and waits up to [`WRITE_WAIT`] for it (then 503 with Retry-After). Uploads
/// past the budget wait in their TCP buffers, not in memory: with each plan held about three
/// times while it is decoded and extracted, 64 MiB keeps a burst of uploads to a few hundred MB.
pub const UPLOAD_MEMORY_BYTES: usize = 64 * 1024 * 1024;
/// How long a write waits for the one before it (writes are one at a time) before 503.
pub const WRITE_WAIT: Duration = Duration::from_secs(20);

// ---- database -------------------------------------------------------------------------------

/// How long a replica waits for its database at start: long enough for both to start together.
pub const DATABASE_WAIT: Duration = Duration::from_secs(30);
/// How long a connection attempt may take before the database counts as unreachable.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a write waits for another replica's write before it gives up with 503
/// (PostgreSQL `lock_timeout` syntax).
pub const LOCK_TIMEOUT: &str = "10s";

// ---- serve options --------------------------------------------------------------------------

/// The address `serve` listens on when none is given.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// How log lines are written (to stderr).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One human-readable line an event.
    #[default]
    Text,
    /// One JSON object a line, for log collectors.
    Json,
}

/// `serve`'s options as a TOML file may give them; every key optional, unknown keys an error.
///
/// ```
/// let file: planmap::config::ServeFile = toml::from_str(r#"
///     addr = "0.0.0.0:9000"
///     data = "/var/lib/planmap"
///     max-plan-bytes = 1048576
///     log-format = "json"
/// "#).unwrap();
/// assert_eq!(file.addr.unwrap().port(), 9000);
/// assert_eq!(file.log_format, Some(planmap::config::LogFormat::Json));
/// assert!(toml::from_str::<planmap::config::ServeFile>("adress = \"x\"").is_err());
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServeFile {
    pub addr: Option<SocketAddr>,
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    pub token: Option<String>,
    pub max_plan_bytes: Option<usize>,
    pub log_format: Option<LogFormat>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("max-plan-bytes {0}: a number from 1 to {MAX_DOCUMENT_BYTES}")]
    MaxPlanBytes(usize),
    #[error("data and database: one store or the other")]
    TwoStores,
}

impl ServeFile {
    pub fn read(path: &Path) -> Result<ServeFile, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        toml::from_str(&text).map_err(|source| ConfigError::Parse {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// What `serve` runs with, once flags, environment and file are merged and checked.
#[derive(Debug)]
pub struct Serve {
    pub addr: SocketAddr,
    pub store: Store,
    /// `None`: read-only.
    pub token: Option<String>,
    pub max_plan_bytes: usize,
    pub log_format: LogFormat,
}

/// Where `serve` keeps its plans.
#[derive(Debug)]
pub enum Store {
    /// The embedded seeds, read-only.
    Seeds,
    /// A data directory.
    Files(PathBuf),
    /// PostgreSQL/PostGIS, by URL.
    Database(String),
}

impl Serve {
    /// Checks merged options: one store at most, a plan size in range.
    pub fn new(
        addr: SocketAddr,
        data: Option<PathBuf>,
        database: Option<String>,
        token: Option<String>,
        max_plan_bytes: usize,
        log_format: LogFormat,
    ) -> Result<Serve, ConfigError> {
        if !(1..=MAX_DOCUMENT_BYTES).contains(&max_plan_bytes) {
            return Err(ConfigError::MaxPlanBytes(max_plan_bytes));
        }
        let store = match (data, database.filter(|d| !d.is_empty())) {
            (Some(_), Some(_)) => return Err(ConfigError::TwoStores),
            (Some(dir), None) => Store::Files(dir),
            (None, Some(url)) => Store::Database(url),
            (None, None) => Store::Seeds,
        };
        Ok(Serve {
            addr,
            store,
            token: token.filter(|t| !t.is_empty()),
            max_plan_bytes,
            log_format,
        })
    }
}
