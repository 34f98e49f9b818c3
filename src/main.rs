//! The planmap command line: `serve`, `extract`, `gazetteer`.

use std::path::PathBuf;
use std::process::ExitCode;

use planmap::gazetteer::Gazetteer;
use planmap::model::Document;

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
    let gaz = Gazetteer::embedded().map_err(|e| e.to_string())?;
    match args.first().map(String::as_str) {
        Some("extract") => {
            let paths: Vec<PathBuf> = args[1..].iter().map(PathBuf::from).collect();
            if paths.is_empty() {
                return Err("usage: planmap extract FILE...".into());
            }
            let docs = paths
                .iter()
                .map(|p| Document::read(p))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            let located = planmap::locate_documents(&gaz, &docs);
            let fc = planmap::feature::to_collection(&located);
            println!("{}", serde_json::to_string_pretty(&fc).map_err(|e| e.to_string())?);
            Ok(())
        }
        _ => Err("usage: planmap serve|extract FILE...|gazetteer".into()),
    }
}
