//! The planmap command line.
//!
//! - `planmap serve [--addr HOST:PORT] [--data DIR]`: the HTTP service (default 127.0.0.1:8080,
//!   on the embedded seed plans, or on the `*.txt` plans in DIR);
//! - `planmap extract FILE...`: one GeoJSON FeatureCollection of the files' projects on stdout;
//! - `planmap gazetteer`: a summary of the embedded gazetteer.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use planmap::api::{self, AppState, Snapshot};
use planmap::gazetteer::{Gazetteer, Level};
use planmap::model::Document;

const USAGE: &str = "usage:
  planmap serve [--addr HOST:PORT] [--data DIR]
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
            other => return Err(format!("unknown option {other:?}\n{USAGE}")),
        }
    }
    let docs = match &data {
        None => planmap::seeds::documents(),
        Some(dir) => read_dir_plans(dir)?,
    };
    let t = Instant::now();
    let projects = planmap::extract::extract_all(&gaz, &docs);
    let extract_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let located = planmap::geocode::Geocoder::new(&gaz, &docs).locate_all(projects);
    let geocode_ms = t.elapsed().as_secs_f64() * 1000.0;
    let t = Instant::now();
    let snapshot = Snapshot::build(&gaz, located, &docs)?;
    let index_ms = t.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "planmap: {} plans, {} projects; gazetteer {gaz_ms:.0} ms, extract {extract_ms:.0} ms, geocode {geocode_ms:.0} ms, index {index_ms:.0} ms",
        docs.len(),
        snapshot.portfolio.len()
    );
    let state = Arc::new(AppState::new(Arc::new(gaz), snapshot));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    rt.block_on(api::serve(addr, state))
        .map_err(|e| format!("cannot serve on {addr}: {e}"))
}

fn read_dir_plans(dir: &Path) -> Result<Vec<Document>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("--data {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(format!("--data {}: no .txt plans there", dir.display()));
    }
    paths
        .iter()
        .map(|p| Document::read(p).map_err(|e| e.to_string()))
        .collect()
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
