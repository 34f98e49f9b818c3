//! Issue 28: the boundaries a reader relies on, checked on the sources. Data flows one way —
//! document → gazetteer → extract → geocode → index → store → pipeline → api — over a shared
//! vocabulary (`model`) at the bottom; a module uses only those below it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer: a module may use modules of lower layers only.
const LAYERS: &[(&str, u8)] = &[
    ("model", 0),
    ("config", 0),
    ("par", 0),
    ("stamp", 0),
    ("document", 1),
    ("gazetteer", 2),
    ("seeds", 2),
    ("extract", 3),
    ("geocode", 4),
    ("feature", 5),
    ("index", 5),
    ("cql", 5),
    ("tiles", 5),
    ("snapshot", 6),
    ("store", 7),
    ("pipeline", 8),
    ("api", 9),
];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The top-level module a source file belongs to (`src/store/files.rs` → `store`).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_string()
}

/// The crate modules a file's code names (`crate::x`), comments left out.
fn uses(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in text.lines() {
        let code = line.split("//").next().unwrap_or("");
        for (i, _) in code.match_indices("crate::") {
            let name: String = code[i + 7..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn every_module_uses_only_those_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for f in &files {
        let module = module_of(&src, f);
        if module == "lib" || module == "main" {
            continue;
        }
        let own = layer(&module)
            .unwrap_or_else(|| panic!("{}: module {module} has no layer in LAYERS", f.display()));
        seen.insert(module.clone());
        let text = std::fs::read_to_string(f).unwrap();
        for used in uses(&text) {
            if used == module {
                continue;
            }
            let theirs = layer(&used)
                .unwrap_or_else(|| panic!("{}: uses unknown module {used}", f.display()));
            if theirs >= own {
                wrong.push(format!(
                    "{} ({module}, layer {own}) uses {used} (layer {theirs})",
                    f.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "arrows that run back up:\n{}",
        wrong.join("\n")
    );
    // the table names every module there is (a renamed module fails above, a removed one here)
    let listed: BTreeSet<String> = LAYERS.iter().map(|(m, _)| m.to_string()).collect();
    assert_eq!(seen, listed);
}

/// The issue's own greps: the vocabulary imports no stage, the store knows no pipeline.
#[test]
fn the_vocabulary_and_the_store_reach_no_higher() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src.join("model"), &mut files);
    for f in &files {
        let t = std::fs::read_to_string(f).unwrap();
        assert!(!t.contains("crate::extract"), "{}", f.display());
    }
    files.clear();
    sources(&src.join("store"), &mut files);
    assert!(files.len() >= 4, "store/ has its backends: {files:?}");
    for f in &files {
        let t = std::fs::read_to_string(f).unwrap();
        assert!(!t.contains("crate::pipeline"), "{}", f.display());
        assert!(!t.contains("crate::api"), "{}", f.display());
    }
}

/// One write path: plans are added and removed in one function of `api/plans.rs`, whatever
/// the store, and texts are read through the store on every server.
#[test]
fn the_api_writes_in_one_place() {
    let api = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut files = Vec::new();
    sources(&api, &mut files);
    let mut adds = Vec::new();
    let mut deletes = Vec::new();
    for f in &files {
        let t = std::fs::read_to_string(f).unwrap();
        for (n, line) in t.lines().enumerate() {
            if line.contains(".store.add(") {
                adds.push(format!("{}:{}", f.display(), n + 1));
            }
            if line.contains(".store.delete(") {
                deletes.push(format!("{}:{}", f.display(), n + 1));
            }
            // no backend is named in the API but where the database is followed
            if !line.trim_start().starts_with("//") && line.contains("Backend::") {
                panic!("{}:{}: the API picks a backend: {line}", f.display(), n + 1);
            }
        }
    }
    assert_eq!(adds.len(), 1, "{adds:?}");
    assert_eq!(deletes.len(), 1, "{deletes:?}");
    assert!(adds[0].contains("plans.rs") && deletes[0].contains("plans.rs"));
    let plans = std::fs::read_to_string(api.join("plans.rs")).unwrap();
    let write = plans
        .find("async fn write(")
        .expect("api/plans.rs has fn write");
    let next = plans[write + 1..]
        .find("\nasync fn ")
        .map_or(plans.len(), |i| write + 1 + i);
    let body = &plans[write..next];
    assert!(body.contains(".store.add(") && body.contains(".store.delete("));
    let text = std::fs::read_to_string(api.join("text.rs")).unwrap();
    assert!(text.contains(".store.text(") && !text.contains("embedded_plans"));
}
