//! Stamps the binary with hashes of what shapes a plan's record — its extraction rules and its
//! gazetteer — so that a stored plan's cached record is made again exactly when either changed.
//! What counts is listed in `src/stamp.rs`, which the library shares.

#[path = "src/stamp.rs"]
mod stamp;

use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for input in stamp::RULES_INPUTS.iter().chain(stamp::GAZETTEER_INPUTS) {
        println!("cargo:rerun-if-changed={input}");
    }
    println!("cargo:rerun-if-changed=src/stamp.rs");
    let rules = stamp::hash(root, stamp::RULES_INPUTS);
    let gazetteer = stamp::hash(root, stamp::GAZETTEER_INPUTS);
    println!("cargo:rustc-env=PLANMAP_RULES_HASH={rules}");
    println!("cargo:rustc-env=PLANMAP_GAZETTEER_HASH={gazetteer}");
}
