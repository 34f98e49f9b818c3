//! The planmap command line.
//!
//! - `planmap serve [--addr HOST:PORT] [--data DIR] [--token T] [--max-plan-bytes N]`: the HTTP
//!   service (default 127.0.0.1:8080). Without `--data` it serves the embedded seeds, read-only;
//!   with it, the plans in the data directory (a new one starts with the seeds), and with a token
//!   (`--token` or `PLANMAP_TOKEN`) it accepts new plans; with `--database URL` (or
//!   `PLANMAP_DATABASE_URL`) the plans live in PostgreSQL/PostGIS, shared by any number of
//!   replicas that follow each other's writes;
//! - `planmap ingest --data DIR FILE...`: adds plan files to a data directory, no server needed;
//! - `planmap extract FILE...`: one GeoJSON FeatureCollection of the files' projects on stdout;
//! - `planmap gazetteer`: a summary of the embedded gazetteer.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use planmap::api::{self, AppState, Snapshot, Writes};
use planmap::gazetteer::{Gazetteer, Level};
use planmap::model::Document;
use planmap::store::Store;

const USAGE: &str = "usage:
  planmap serve [--addr HOST:PORT] [--data DIR | --database URL] [--token TOKEN] [--max-plan-bytes N]
  planmap ingest --data DIR FILE...
  planmap extract FILE...
  planmap gazetteer";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("planmap: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let t = Instant::now();
    let gaz = Gazetteer::embedded().map_err(|e| e.to_string())?;
    let gaz_ms = t.elapsed().as_secs_f64() * 1000.0;
    match args.first().map(String::as_str) {
        Some("extract") => extract(&gaz, &args[1..]),
        Some("serve") => serve(gaz, gaz_ms, &args[1..]),
        Some("ingest") => ingest(&gaz, &args[1..]),
        Some("gazetteer") => {
            summary(&gaz);
            Ok(())
        }
        Some("-h") | Some("--help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(USAGE.to_string()),
    }
}

fn extract(gaz: &Gazetteer, files: &[String]) -> Result<(), String> {
    if files.is_empty() {
        return Err(format!("extract needs at least one file\n{USAGE}"));
    }
    let docs = files
        .iter()
        .map(|p| Document::read(Path::new(p)))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let located = planmap::locate_documents(gaz, &docs);
    let fc = planmap::feature::to_collection(&located);
    let text = serde_json::to_string_pretty(&fc).map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(())
}

fn serve(gaz: Gazetteer, gaz_ms: f64, args: &[String]) -> Result<(), String> {
    let mut addr: SocketAddr = ([127, 0, 0, 1], 8080).into();
    let mut data: Option<PathBuf> = None;
    let mut database = std::env::var("PLANMAP_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    let mut token = std::env::var("PLANMAP_TOKEN")
        .ok()
        .filter(|t| !t.is_empty());
    let mut max_plan = api::DEFAULT_MAX_PLAN_BYTES;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--addr" => {
                let v = it.next().ok_or("--addr needs HOST:PORT")?;
                addr = v
                    .parse()
                    .map_err(|_| format!("--addr {v:?}: not HOST:PORT (e.g. 127.0.0.1:8080)"))?;
            }
            "--data" => data = Some(PathBuf::from(it.next().ok_or("--data needs DIR")?)),
            "--database" => database = Some(it.next().ok_or("--database needs a URL")?.clone()),
            "--token" => token = Some(it.next().ok_or("--token needs a value")?.clone()),
            "--max-plan-bytes" => {
                let v = it.next().ok_or("--max-plan-bytes needs a number")?;
                max_plan = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=planmap::extract::MAX_DOCUMENT_BYTES).contains(n))
                    .ok_or_else(|| {
                        format!(
                            "--max-plan-bytes {v:?}: a number from 1 to {}",
                            planmap::extract::MAX_DOCUMENT_BYTES
                        )
                    })?;
            }
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    if let Some(url) = database {
        if data.is_some() {
            return Err("--data and --database: one store or the other".into());
        }
        return serve_database(gaz, gaz_ms, addr, &url, token, max_plan);
    }
    let store = data
        .as_deref()
        .map(Store::open)
        .transpose()
        .map_err(|e| e.to_string())?;
    let t = Instant::now();
    let (catalog, stale) = match &store {
        Some(s) => {
            let loaded = planmap::pipeline::load(&gaz, s).map_err(|e| e.to_string())?;
            if loaded.computed > 0 {
                eprintln!(
                    "planmap: extracted {} plans that had no record",
                    loaded.computed
                );
            }
            (loaded.catalog, loaded.stale)
        }
        None => (
            planmap::pipeline::catalog_of(&gaz, &planmap::store::embedded_plans()),
            Vec::new(),
        ),
    };
    let catalog_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let snapshot = Snapshot::build(&gaz, &catalog)?;
    let index_ms = t.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "planmap: {} plans, {} projects; gazetteer {gaz_ms:.0} ms, records and geocoding {catalog_ms:.0} ms, index {index_ms:.0} ms",
        catalog.plans().len(),
        snapshot.portfolio.len()
    );
    let mut state = AppState::new(Arc::new(gaz), snapshot);
    let mut refresh = false;
    match (store, token) {
        (Some(store), Some(token)) => {
            eprintln!(
                "planmap: writes on (data directory {})",
                store.dir().display()
            );
            state = state.with_writes(Writes::new(store, catalog, token, max_plan));
            // records serve without the extractor; the first ingest should not wait for it
            std::thread::spawn(planmap::extract::warm_up);
            refresh = !stale.is_empty();
        }
        (Some(_), None) => {
            eprintln!("planmap: read-only: no --token or PLANMAP_TOKEN");
            if !stale.is_empty() {
                eprintln!("planmap: {} plans were extracted by other rules; start with a token to extract them again", stale.len());
            }
        }
        (None, _) => eprintln!("planmap: read-only: embedded seeds (use --data DIR to keep plans)"),
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let state = Arc::new(state);
    if refresh {
        rt.spawn(api::refresh(Arc::clone(&state), stale));
    }
    rt.block_on(api::serve(addr, state))
        .map_err(|e| format!("cannot serve on {addr}: {e}"))
}

/// How long a replica waits for its database at start.
const DATABASE_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// `serve --database URL`: a replica over PostgreSQL/PostGIS.
fn serve_database(
    gaz: Gazetteer,
    gaz_ms: f64,
    addr: SocketAddr,
    url: &str,
    token: Option<String>,
    max_plan: usize,
) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(async move {
        let t = Instant::now();
        // a replica may start before its database: it waits, a while
        let started = Instant::now();
        let db = loop {
            match planmap::database::Database::open(url, &gaz).await {
                Ok(db) => break db,
                Err(planmap::database::DbError::Unavailable(e))
                    if started.elapsed() < DATABASE_WAIT =>
                {
                    eprintln!("planmap: waiting for the database: {e}");
                    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                }
                Err(e) => return Err(e.to_string()),
            }
        };
        let followed = db.load(&gaz).await.map_err(|e| e.to_string())?;
        let load_ms = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let snapshot = Snapshot::build(&gaz, &followed.catalog)?;
        eprintln!(
            "planmap: {} plans, {} projects from the database; gazetteer {gaz_ms:.0} ms, records and geocoding {load_ms:.0} ms, index {:.0} ms",
            followed.catalog.plans().len(),
            snapshot.portfolio.len(),
            t.elapsed().as_secs_f64() * 1000.0
        );
        if token.is_some() {
            std::thread::spawn(planmap::extract::warm_up);
            eprintln!("planmap: writes on (database)");
        } else {
            eprintln!("planmap: read-only replica: no --token or PLANMAP_TOKEN");
        }
        let db = Arc::new(db);
        let state = Arc::new(
            AppState::new(Arc::new(gaz), snapshot)
                .with_writes(Writes::database(Arc::clone(&db), followed, token, max_plan)),
        );
        tokio::spawn(api::refresh_database(Arc::clone(&state), Arc::clone(&db)));
        tokio::spawn(api::follow(Arc::clone(&state), db));
        api::serve(addr, state)
            .await
            .map_err(|e| format!("cannot serve on {addr}: {e}"))
    })
}

fn ingest(gaz: &Gazetteer, args: &[String]) -> Result<(), String> {
    let mut data: Option<PathBuf> = None;
    let mut files: Vec<PathBuf> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--data" => data = Some(PathBuf::from(it.next().ok_or("--data needs DIR")?)),
            f if f.starts_with("--") => return Err(format!("unknown option {f:?}\n{USAGE}")),
            f => files.push(PathBuf::from(f)),
        }
    }
    let data = data.ok_or(format!("ingest needs --data DIR\n{USAGE}"))?;
    if files.is_empty() {
        return Err(format!("ingest needs at least one file\n{USAGE}"));
    }
    let store = Store::open(&data).map_err(|e| e.to_string())?;
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| format!("{}: {e}", f.display()))?;
        let (text, encoding) = planmap::store::decode_text(&bytes).ok_or_else(|| {
            format!(
                "{}: neither UTF-8 nor GB18030; convert it to UTF-8",
                f.display()
            )
        })?;
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned());
        let (meta, rec) = store
            .add(&text, None, None, encoding, name, |d| {
                let sha = planmap::store::sha256_hex(d.text.as_bytes());
                planmap::pipeline::PlanRecord::compute(gaz, d, &sha)
            })
            .map_err(|e| format!("{}: {e}", f.display()))?;
        let created = rec.is_some();
        let rec = rec.or_else(|| store.record(&meta));
        println!(
            "{}",
            serde_json::json!({"file": f.display().to_string(), "id": meta.id, "doc": meta.doc, "encoding": meta.encoding, "created": created, "projects": rec.map(|r| r.projects())})
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
    let mut kinds: std::collections::BTreeMap<String, usize> = Default::default();
    for p in gaz.places() {
        *kinds
            .entry(format!("{:?}", p.kind).to_lowercase())
            .or_default() += 1;
    }
    for (k, n) in kinds {
        println!("places: {k}: {n}");
    }
}
