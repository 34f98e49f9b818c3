//! Issue 28: a plan's record is stamped with a hash of everything that shapes it, so a stored
//! record is made again exactly when its rules or its gazetteer changed.

mod common;

use std::path::Path;

use planmap::gazetteer::Gazetteer;
use planmap::model::{PlanRecord, Stamp};
use planmap::stamp::{files, hash, GAZETTEER_INPUTS, RULES_INPUTS};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The rule inputs copied to a fresh directory, relative paths kept.
fn copy_inputs(to: &Path) {
    for rel in files(root(), RULES_INPUTS) {
        let dest = to.join(&rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(root().join(&rel), dest).unwrap();
    }
}

#[test]
fn the_stamp_covers_what_shapes_a_record_and_is_stable() {
    let inputs: Vec<String> = files(root(), RULES_INPUTS)
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    for needed in [
        "src/gazetteer.rs",
        "src/model/mod.rs",
        "src/model/plan.rs",
        "src/model/project.rs",
        "src/document.rs",
        "src/geocode/unit.rs",
        "src/pipeline/record.rs",
        "src/extract/scan.rs",
        "src/extract/lexicon/type_words.tsv",
        "Cargo.lock",
    ] {
        assert!(
            inputs.iter().any(|i| i == needed),
            "{needed} is not stamped: {inputs:?}"
        );
    }
    // nothing changed: the tree hashes to what this binary was stamped with, every time
    let current = Stamp::current();
    assert_eq!(hash(root(), RULES_INPUTS), current.rules);
    assert_eq!(hash(root(), RULES_INPUTS), current.rules);
    assert_eq!(hash(root(), GAZETTEER_INPUTS), current.gazetteer);
    // and a record made now is current
    let gaz = Gazetteer::embedded().unwrap();
    let d = planmap::model::Document::from_bytes("p.txt", "建设塔城机场。".as_bytes()).unwrap();
    assert!(PlanRecord::compute(&gaz, &d, "0").is_current());
}

#[test]
fn touching_the_gazetteers_matching_makes_records_stale() {
    let dir = common::temp_path("stamp");
    copy_inputs(&dir);
    let current = Stamp::current();
    // the same files elsewhere hash alike; a file outside the inputs changes nothing
    assert_eq!(hash(&dir, RULES_INPUTS), current.rules);
    std::fs::create_dir_all(dir.join("src/api")).unwrap();
    std::fs::write(dir.join("src/api/handlers.rs"), "// not a rule\n").unwrap();
    assert_eq!(hash(&dir, RULES_INPUTS), current.rules);
    // one comment more in the gazetteer's matching: another stamp, so every stored record is stale
    let g = dir.join("src/gazetteer.rs");
    let mut text = std::fs::read_to_string(&g).unwrap();
    text.push_str("\n// matching touched\n");
    std::fs::write(&g, text).unwrap();
    let touched = Stamp {
        rules: hash(&dir, RULES_INPUTS),
        gazetteer: current.gazetteer.clone(),
    };
    assert_ne!(touched.rules, current.rules);
    let gaz = Gazetteer::embedded().unwrap();
    let d = planmap::model::Document::from_bytes("p.txt", "建设塔城机场。".as_bytes()).unwrap();
    let record = PlanRecord::compute(&gaz, &d, "0");
    assert_ne!(
        record.stamp, touched,
        "a record of these rules is stale under the touched ones"
    );
    let _ = std::fs::remove_dir_all(dir);
}
