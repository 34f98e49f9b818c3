//! Shared test helpers: the seeds located once, the dev-gold scorer, a real server process.
#![allow(dead_code)]

use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use planmap::gazetteer::Gazetteer;
use planmap::geocode::Located;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn seeds() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    v.sort();
    v
}

pub fn located_seeds(gaz: &Gazetteer) -> Vec<Located> {
    planmap::locate_documents(gaz, &planmap::seeds::documents())
}

/// The scorer's figures for a prediction file.
#[derive(Debug)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub category: f64,
    pub county: f64,
    pub report: String,
}

/// Runs tests/score.py (a copy of ../shared/eval/score.py) on the dev gold copied into tests/gold.
pub fn score(prediction: &Path) -> Score {
    let gold: Vec<PathBuf> = {
        let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("tests/gold"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        v.sort();
        v
    };
    let out = Command::new("python3")
        .arg(root().join("tests/score.py"))
        .args(&gold)
        .arg("--")
        .arg(prediction)
        .output()
        .expect("python3 runs the scorer");
    let report = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "scorer failed: {report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let last = report
        .lines()
        .last()
        .expect("scorer prints a summary")
        .to_string();
    let field = |name: &str| -> f64 {
        let words: Vec<&str> = last.split_whitespace().collect();
        let i = words
            .iter()
            .position(|w| *w == name)
            .unwrap_or_else(|| panic!("{name} in {last}"));
        words[i + 1].parse().unwrap()
    };
    Score {
        precision: field("precision"),
        recall: field("recall"),
        f1: field("F1"),
        category: field("category"),
        county: field("county"),
        report,
    }
}

/// Writes the extractor's output for the seeds (the CLI, as a user runs it) to a temp file.
pub fn extract_seeds_to_file() -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .arg("extract")
        .args(seeds())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = std::env::temp_dir().join(format!("planmap-seeds-{}.geojson", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&out.stdout)
        .unwrap();
    path
}

/// The real server, started on a free loopback port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr = format!("127.0.0.1:{port}");
        let mut child = Command::new(env!("CARGO_BIN_EXE_planmap"))
            .args(["serve", "--addr", &addr])
            .args(extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://{addr}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if ureq::get(&format!("{base}/conformance")).call().is_ok() {
                return Server { child, base };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("server did not start on {addr}");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
