//! The planmap command line: `serve`, `ingest`, `extract`, `gazetteer` (`planmap --help`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{anyhow, Context as _};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use tracing::{info, warn};

use planmap::api::{self, AppState, Writes};
use planmap::config::{self, LogFormat, Serve, ServeFile};
use planmap::gazetteer::{Gazetteer, Level};
use planmap::model::Document;
use planmap::pipeline::Catalog;
use planmap::store::{Database, Followed, Seeds, Store};

/// Projects named in Xinjiang's regional development plans: extracted from the texts, located
/// in counties, served as OGC API – Features and a map.
#[derive(Parser)]
#[command(name = "planmap", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the map and the API (the embedded seeds, a data directory, or a database).
    Serve(ServeArgs),
    /// Add plan files to a data directory, no server needed; one JSON line a file.
    Ingest {
        /// The data directory (created with the seeds if new).
        #[arg(long, value_name = "DIR", env = "PLANMAP_DATA")]
        data: PathBuf,
        /// Plan texts, UTF-8 or GB18030.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// Largest plan file accepted, in bytes (at most 16 MiB), as `serve --max-plan-bytes`.
        #[arg(long, value_name = "BYTES", env = "PLANMAP_MAX_PLAN_BYTES", default_value_t = config::DEFAULT_MAX_PLAN_BYTES)]
        max_plan_bytes: usize,
    },
    /// Print one GeoJSON FeatureCollection of the files' projects.
    Extract {
        /// Plan texts, UTF-8 or GB18030.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Summarise the embedded gazetteer.
    Gazetteer,
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, value_name = "HOST:PORT", env = "PLANMAP_ADDR", default_value = config::DEFAULT_ADDR)]
    addr: SocketAddr,
    /// Keep plans in this directory (a new one starts with the seeds) [default: none: serve the
    /// embedded seeds, read-only].
    #[arg(long, value_name = "DIR", env = "PLANMAP_DATA")]
    data: Option<PathBuf>,
    /// Keep plans in PostgreSQL/PostGIS, shared by every replica [default: none].
    #[arg(
        long,
        value_name = "URL",
        env = "PLANMAP_DATABASE_URL",
        hide_env_values = true
    )]
    database: Option<String>,
    /// Accept POST/DELETE /plans with `Authorization: Bearer TOKEN` [default: none: read-only].
    #[arg(long, env = "PLANMAP_TOKEN", hide_env_values = true)]
    token: Option<String>,
    /// Largest plan POST /plans accepts, in bytes (at most 16 MiB).
    #[arg(long, value_name = "BYTES", env = "PLANMAP_MAX_PLAN_BYTES", default_value_t = config::DEFAULT_MAX_PLAN_BYTES)]
    max_plan_bytes: usize,
    /// How log lines are written to stderr (filter with RUST_LOG, e.g. RUST_LOG=planmap=debug).
    #[arg(long, value_enum, env = "PLANMAP_LOG_FORMAT", default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// A TOML file with any of addr, data, database, token, max-plan-bytes, log-format; flags
    /// and environment variables win over it [default: none].
    #[arg(long, value_name = "FILE", env = "PLANMAP_CONFIG")]
    config: Option<PathBuf>,
}

impl ServeArgs {
    /// The options in force: a flag or environment variable, else the file, else the default.
    fn merge(self, m: &ArgMatches) -> anyhow::Result<Serve> {
        let file = match &self.config {
            Some(path) => ServeFile::read(path)?,
            None => ServeFile::default(),
        };
        let given = |id: &str| {
            matches!(
                m.value_source(id),
                Some(ValueSource::CommandLine | ValueSource::EnvVariable)
            )
        };
        Ok(Serve::new(
            pick(given("addr"), Some(self.addr), file.addr).unwrap_or(self.addr),
            pick(given("data"), self.data, file.data),
            pick(given("database"), self.database, file.database),
            pick(given("token"), self.token, file.token),
            pick(
                given("max_plan_bytes"),
                Some(self.max_plan_bytes),
                file.max_plan_bytes,
            )
            .unwrap_or(self.max_plan_bytes),
            pick(given("log_format"), Some(self.log_format), file.log_format)
                .unwrap_or(self.log_format),
        )?)
    }
}

/// A flag or environment variable wins; else the file; else the flag's default.
fn pick<T>(given: bool, flag: Option<T>, from_file: Option<T>) -> Option<T> {
    if given {
        flag
    } else {
        from_file.or(flag)
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let result = Cli::from_arg_matches(&matches)
        .map_err(anyhow::Error::from)
        .and_then(|cli| run(cli, &matches));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // logging may not be set up yet: plain stderr
            eprintln!("planmap: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli, matches: &ArgMatches) -> anyhow::Result<()> {
    match cli.command {
        Command::Serve(args) => {
            let sub = matches
                .subcommand_matches("serve")
                .ok_or_else(|| anyhow!("serve: no arguments parsed"))?;
            let options = args.merge(sub)?;
            init_logging(options.log_format);
            serve(options)
        }
        Command::Ingest {
            data,
            files,
            max_plan_bytes,
        } => {
            init_logging(LogFormat::Text);
            if !(1..=config::MAX_DOCUMENT_BYTES).contains(&max_plan_bytes) {
                return Err(config::ConfigError::MaxPlanBytes(max_plan_bytes).into());
            }
            ingest(&Gazetteer::embedded()?, &data, &files, max_plan_bytes)
        }
        Command::Extract { files } => extract(&Gazetteer::embedded()?, &files),
        Command::Gazetteer => {
            summary(&Gazetteer::embedded()?);
            Ok(())
        }
    }
}

/// Log lines to stderr, filtered by RUST_LOG (default: planmap's own at info, and each request
/// with its id, status and latency).
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("planmap=info,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false);
    // a second call (tests call main's pieces) keeps the first subscriber
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

fn extract(gaz: &Gazetteer, files: &[PathBuf]) -> anyhow::Result<()> {
    let docs = files
        .iter()
        .map(|p| Document::read(p))
        .collect::<Result<Vec<_>, _>>()?;
    let located = planmap::locate_documents(gaz, &docs);
    let fc = planmap::feature::to_collection(&located);
    println!("{}", serde_json::to_string_pretty(&fc)?);
    Ok(())
}

fn serve(options: Serve) -> anyhow::Result<()> {
    let t = Instant::now();
    let gaz = Gazetteer::embedded()?;
    let gaz_ms = t.elapsed().as_secs_f64() * 1000.0;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let addr = options.addr;
    let state = match options.store {
        config::Store::Database(url) => rt.block_on(database_state(
            gaz,
            gaz_ms,
            &url,
            options.token,
            options.max_plan_bytes,
        ))?,
        config::Store::Files(dir) => {
            let store = Store::open(&dir)?;
            files_state(
                gaz,
                gaz_ms,
                Some(store),
                options.token,
                options.max_plan_bytes,
                &rt,
            )?
        }
        config::Store::Seeds => files_state(
            gaz,
            gaz_ms,
            None,
            options.token,
            options.max_plan_bytes,
            &rt,
        )?,
    };
    rt.block_on(api::serve(addr, state))
        .with_context(|| format!("cannot serve on {addr}"))
}

/// The state over a data directory, or over the embedded seeds when there is none.
fn files_state(
    gaz: Gazetteer,
    gaz_ms: f64,
    store: Option<Store>,
    token: Option<String>,
    max_plan: usize,
    rt: &tokio::runtime::Runtime,
) -> anyhow::Result<api::Shared> {
    let built = match &store {
        Some(s) => planmap::pipeline::build(&gaz, s)?,
        None => planmap::pipeline::build_seeds(&gaz)?,
    };
    if store.is_some() && built.computed > 0 {
        info!(plans = built.computed, "extracted plans that had no record");
    }
    info!(
        plans = built.catalog.plans().len(),
        projects = built.snapshot.portfolio.len(),
        gazetteer_ms = gaz_ms.round(),
        catalog_ms = built.timings.catalog.as_millis() as u64,
        index_ms = built.timings.index.as_millis() as u64,
        "portfolio loaded"
    );
    let (catalog, snapshot, stale) = (built.catalog, built.snapshot, built.stale);
    let mut state = AppState::new(Arc::new(gaz), snapshot);
    let mut refresh = false;
    match (store, token) {
        (Some(store), Some(token)) => {
            info!(dir = %store.dir().display(), "writes on");
            state = state.with_writes(Writes::new(
                Arc::new(store),
                Followed::new(catalog),
                Some(token),
                max_plan,
            ));
            // records serve without the extractor; the first ingest should not wait for it
            std::thread::spawn(planmap::extract::warm_up);
            refresh = !stale.is_empty();
        }
        (Some(store), None) => {
            info!("read-only: no --token or PLANMAP_TOKEN");
            // the directory is still where the plans' texts are read from
            state = state.with_writes(Writes::new(
                Arc::new(store),
                Followed::new(catalog),
                None,
                max_plan,
            ));
            if !stale.is_empty() {
                warn!(
                    plans = stale.len(),
                    "plans were extracted by other rules; start with a token to extract them again"
                );
            }
        }
        (None, _) => {
            info!("read-only: embedded seeds (use --data DIR to keep plans)");
            state = state.with_writes(Writes::new(
                Arc::new(Seeds::new()?),
                Followed::new(catalog),
                None,
                max_plan,
            ));
        }
    }
    let state = Arc::new(state);
    if refresh {
        rt.spawn(api::refresh(Arc::clone(&state)));
    }
    Ok(state)
}

/// The state of a replica over PostgreSQL/PostGIS, with its followers started.
async fn database_state(
    gaz: Gazetteer,
    gaz_ms: f64,
    url: &str,
    token: Option<String>,
    max_plan: usize,
) -> anyhow::Result<api::Shared> {
    let t = Instant::now();
    // a replica may start before its database: it waits, a while
    let db = loop {
        match Database::open::<Catalog>(url, &gaz).await {
            Ok(db) => break db,
            Err(planmap::store::DbError::Unavailable(e)) if t.elapsed() < config::DATABASE_WAIT => {
                warn!("waiting for the database: {e}");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
            Err(e) => return Err(e.into()),
        }
    };
    let followed = db.load::<Catalog>(&gaz).await?;
    let load_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let snapshot = followed.catalog.snapshot(&gaz)?;
    info!(
        plans = followed.catalog.plans().len(),
        projects = snapshot.portfolio.len(),
        gazetteer_ms = gaz_ms.round(),
        catalog_ms = load_ms.round(),
        index_ms = (t.elapsed().as_secs_f64() * 1000.0).round(),
        "portfolio loaded from the database"
    );
    if token.is_some() {
        std::thread::spawn(planmap::extract::warm_up);
        info!("writes on (database)");
    } else {
        info!("read-only replica: no --token or PLANMAP_TOKEN");
    }
    let db = Arc::new(db);
    let state = Arc::new(
        AppState::new(Arc::new(gaz), snapshot).with_writes(Writes::new(
            Arc::clone(&db) as api::Store,
            followed,
            token,
            max_plan,
        )),
    );
    tokio::spawn(api::refresh(Arc::clone(&state)));
    tokio::spawn(api::follow(Arc::clone(&state), db));
    Ok(state)
}

/// Adds plan files one by one, each read with the limit and checked as `POST /plans` checks an
/// upload. A file that cannot be added gets a JSON line with its error and the next one is
/// tried; SIGTERM or Ctrl-C lets the file being stored finish, then stops. Fails (exit 1) when
/// any file failed or the run was stopped.
fn ingest(
    gaz: &Gazetteer,
    data: &std::path::Path,
    files: &[PathBuf],
    max_plan_bytes: usize,
) -> anyhow::Result<()> {
    let store = Store::open(data)?;
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let mut failed = 0;
    for (k, f) in files.iter().enumerate() {
        if stop.load(std::sync::atomic::Ordering::SeqCst) {
            let left = files.len() - k;
            anyhow::bail!("stopped by a signal; {left} files not ingested, every plan listed above is stored whole");
        }
        let file = f.display().to_string();
        let added = planmap::document::read_file(f, max_plan_bytes)
            .and_then(|bytes| planmap::document::plan_text(&file, &bytes))
            .map_err(anyhow::Error::from)
            .and_then(|(text, encoding)| {
                let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
                let prepared = planmap::store::prepare(&text, None, None, encoding, name)?;
                // stored before: nothing to extract
                if let Ok(meta) = store.get_meta(&prepared.meta.id) {
                    return Ok((meta, None));
                }
                Ok(store.add(prepared.compute::<Catalog>(gaz))?)
            });
        match added {
            Ok((meta, rec)) => {
                let created = rec.is_some();
                let rec = rec.or_else(|| store.record(&meta));
                println!(
                    "{}",
                    serde_json::json!({"file": file, "id": meta.id, "doc": meta.doc, "encoding": meta.encoding, "created": created, "projects": rec.map(|r| r.projects())})
                );
            }
            Err(e) => {
                failed += 1;
                println!(
                    "{}",
                    serde_json::json!({"file": file, "error": format!("{e:#}")})
                );
            }
        }
    }
    if failed > 0 {
        anyhow::bail!(
            "{failed} of {} files not ingested (see their lines)",
            files.len()
        );
    }
    Ok(())
}

fn summary(gaz: &Gazetteer) {
    let counties = gaz
        .units()
        .iter()
        .filter(|u| u.level == Level::County)
        .count();
    let prefectures = gaz.units().len() - counties;
    println!("units: {counties} county-level, {prefectures} prefecture-level");
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    for p in gaz.places() {
        *kinds.entry(p.kind.key()).or_default() += 1;
    }
    for (k, n) in kinds {
        println!("places: {k}: {n}");
    }
}
