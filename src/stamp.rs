//! What a stored plan record depends on, and the hash that stamps it. `build.rs` includes this
//! file to stamp the binary (`PLANMAP_RULES_HASH`, `PLANMAP_GAZETTEER_HASH`); the library
//! exports it so that tests can hash a tree as the build would. A record whose stamp differs
//! from the binary's is made again from its text (see `model::PlanRecord::is_current`).
//!
//! Only the standard library here: a build script has no crate dependencies of its own.

use std::hash::{DefaultHasher, Hasher};
use std::path::{Path, PathBuf};

/// Everything that shapes a record's content, relative to the crate root: the extractor and its
/// lexicon, the document reader, the gazetteer's name matching (merge keys and plan units lean
/// on it), the vocabulary records are written in, the plan-unit reader, the record's assembly,
/// and the locked dependencies (the segmenter's dictionary among them).
pub const RULES_INPUTS: &[&str] = &[
    "src/extract",
    "src/document.rs",
    "src/gazetteer.rs",
    "src/model",
    "src/geocode/unit.rs",
    "src/pipeline/record.rs",
    "Cargo.lock",
];

/// The gazetteer's data: units, places and the reference points.
pub const GAZETTEER_INPUTS: &[&str] = &[
    "geodata/units.json",
    "geodata/places.json",
    "geodata/reference.json",
];

/// The files under `inputs` (directories walked), relative to `root`, sorted.
pub fn files(root: &Path, inputs: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    for i in inputs {
        let p = root.join(i);
        if p.is_dir() {
            walk(&p, &mut all);
        } else {
            all.push(p);
        }
    }
    let mut rel: Vec<PathBuf> = all
        .into_iter()
        .filter_map(|p| p.strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    rel.sort();
    rel
}

/// The hash of the inputs' names and contents: equal trees, equal hashes, wherever they lie.
pub fn hash(root: &Path, inputs: &[&str]) -> String {
    let mut h = DefaultHasher::new();
    for rel in files(root, inputs) {
        // '/' whatever the platform, so a path hashes alike everywhere
        let name: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        h.write(name.join("/").as_bytes());
        h.write(&[0]);
        h.write(&std::fs::read(root.join(&rel)).unwrap_or_default());
    }
    format!("{:016x}", h.finish())
}
