//! The map viewer end to end: the real server, Debian's chromium headless, driven by
//! playwright-core (tests/e2e/viewer.mjs; `bash .ci/run` installs both).

mod common;

use std::process::Command;

#[test]
fn the_viewer_works_in_a_real_browser() {
    let e2e = common::root().join("tests/e2e");
    assert!(
        e2e.join("node_modules/playwright-core").exists(),
        "run `npm ci` in tests/e2e first (bash .ci/run does)"
    );
    let s = common::Server::start(&[]);
    let shot = std::env::temp_dir().join(format!("planmap-viewer-{}.png", std::process::id()));
    let out = Command::new("node")
        .arg(e2e.join("viewer.mjs"))
        .arg(&s.base)
        .arg(&shot)
        .output()
        .expect("node runs");
    let log = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{log}");
    assert!(out.status.success(), "viewer checks failed:\n{log}");
    assert!(log.contains("ok - search finds 塔城机场"));
    let png = std::fs::read(&shot).expect("a screenshot was taken");
    assert!(png.starts_with(b"\x89PNG") && png.len() > 10_000);
    let _ = std::fs::remove_file(shot);
}
