//! The server against its own OpenAPI document, with schemathesis (PyPI; `bash .ci/run` installs
//! it into target/ci-venv). Every check runs except `positive_data_acceptance`: OpenAPI 3.0
//! cannot state what makes a schema-valid request meaningful here (minlat ≤ maxlat in a bbox, an
//! uploaded file being Chinese plan text rather than a PNG), so such requests get a 400/415 that
//! the check would count against us.

mod common;

use std::path::PathBuf;
use std::process::Command;

#[test]
fn the_server_keeps_its_openapi_promises() {
    let st = std::env::var_os("PLANMAP_SCHEMATHESIS")
        .map(PathBuf::from)
        .unwrap_or_else(|| common::root().join("target/ci-venv/bin/schemathesis"));
    assert!(
        st.exists(),
        "schemathesis not found at {} (bash .ci/run installs it)",
        st.display()
    );
    let dir = std::env::temp_dir().join(format!("planmap-st-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = common::Server::start(&["--data", dir.to_str().unwrap(), "--token", "st-token"]);
    let out = Command::new(&st)
        .args([
            "run",
            &s.url("/api"),
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .args([
            "-H",
            "Authorization: Bearer st-token",
            "--max-examples",
            "40",
            "--request-timeout",
            "10",
            "--seed",
            "1",
        ])
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .output()
        .expect("schemathesis runs");
    let log =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    let summary: Vec<&str> = log
        .lines()
        .rev()
        .take(12)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    println!("{}", summary.join("\n"));
    assert!(out.status.success(), "schemathesis found problems:\n{log}");
    assert!(log.contains("generated"), "{log}");
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}
