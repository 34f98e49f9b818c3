//! Stamps the binary with hashes of its extraction rules and its gazetteer, so that a stored
//! plan's cached extraction is redone exactly when either changed (see `src/pipeline.rs`).

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

fn hash(paths: &[&str]) -> String {
    let mut all = Vec::new();
    for p in paths {
        let p = Path::new(p);
        println!("cargo:rerun-if-changed={}", p.display());
        if p.is_dir() {
            files(p, &mut all);
        } else {
            all.push(p.to_path_buf());
        }
    }
    all.sort();
    let mut h = DefaultHasher::new();
    for p in &all {
        h.write(p.to_string_lossy().as_bytes());
        h.write(&std::fs::read(p).unwrap_or_default());
    }
    format!("{:016x}", h.finish())
}

fn main() {
    // everything a plan's record depends on: the extractor, its lexicon, the plan-unit reader
    let rules = hash(&[
        "src/extract",
        "src/document.rs",
        "src/geocode/unit.rs",
        "Cargo.lock",
    ]);
    let gazetteer = hash(&[
        "geodata/units.json",
        "geodata/places.json",
        "geodata/reference.json",
    ]);
    println!("cargo:rustc-env=PLANMAP_RULES_HASH={rules}");
    println!("cargo:rustc-env=PLANMAP_GAZETTEER_HASH={gazetteer}");
}
