//! Shared test helpers: the seeds located once, the dev-gold scorer, a real server process.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use planmap::gazetteer::Gazetteer;
use planmap::geocode::Located;

pub mod pg;
pub mod synth;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The files of a folder of the repository with one extension, sorted.
fn files_in(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    v.sort();
    v
}

pub fn seeds() -> Vec<PathBuf> {
    files_in("seeds", "txt")
}

pub fn located_seeds(gaz: &Gazetteer) -> Vec<Located> {
    planmap::locate_documents(gaz, &planmap::seeds::documents().unwrap())
}

/// The scorer's figures for a prediction file.
#[derive(Debug)]
pub struct Score {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub category: f64,
    pub county: f64,
    /// Status agreement (the gold records carry a status).
    pub status: f64,
    pub report: String,
}

/// The dev gold copied into tests/gold, one file per document.
pub fn gold_files() -> Vec<PathBuf> {
    files_in("tests/gold", "jsonl")
}

/// Runs tests/score.py (a copy of ../shared/eval/score.py) on the whole dev gold.
pub fn score(prediction: &Path) -> Score {
    score_against(prediction, &gold_files())
}

/// Runs tests/score.py on some gold files.
pub fn score_against(prediction: &Path, gold: &[PathBuf]) -> Score {
    let out = Command::new("python3")
        .arg(root().join("tests/score.py"))
        .args(gold)
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
        status: field("status"),
        report,
    }
}

/// The dev set's work reports (copies of ../shared/texts), beside the seeds.
pub fn dev_texts() -> Vec<PathBuf> {
    files_in("tests/texts", "txt")
}

/// Writes the extractor's output for the dev set, seeds and work reports (the CLI, as a user
/// runs it), to a temp file.
pub fn extract_dev_to_file() -> PathBuf {
    let out = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .arg("extract")
        .args(seeds())
        .args(dev_texts())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = std::env::temp_dir().join(format!("planmap-dev-{}.geojson", std::process::id()));
    std::fs::File::create(&path)
        .unwrap()
        .write_all(&out.stdout)
        .unwrap();
    path
}

/// The real server, started on a loopback port the system chose; killed when dropped.
pub struct Server {
    pub child: Child,
    /// `http://127.0.0.1:PORT`, known once `ready` has returned.
    pub base: String,
    /// The address the server printed on stdout when it bound.
    bound: std::sync::Mutex<std::sync::mpsc::Receiver<String>>,
}

impl Server {
    pub fn start(extra: &[&str]) -> Server {
        Server::start_logging(extra, Stdio::null())
    }

    /// The server with its log (stderr) going to `log`.
    #[allow(dead_code)]
    pub fn start_logging(extra: &[&str], log: impl Into<Stdio>) -> Server {
        let mut s = Server::spawn(extra, log);
        s.ready(Duration::from_secs(20))
            .unwrap_or_else(|e| panic!("{e}"));
        s
    }

    /// The server's process, started on port 0 and not waited for. The port is the server's own
    /// choice, read from its stdout: a port picked here and handed over could be taken in between
    /// (by any of the thousand client sockets another test opens).
    #[allow(dead_code)]
    pub fn spawn(extra: &[&str], log: impl Into<Stdio>) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planmap"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().expect("stdout is piped");
        let (tx, bound) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(base) = line.strip_prefix("listening on ") {
                    let _ = tx.send(base.to_string());
                }
            }
        });
        Server {
            child,
            base: String::new(),
            bound: std::sync::Mutex::new(bound),
        }
    }

    /// Waits until the server answers, at most `limit`; an error if it exited or never did.
    pub fn ready(&mut self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let bound = self.bound.lock().expect("only ready takes the receiver");
        while self.base.is_empty() {
            match bound.recv_timeout(Duration::from_millis(50)) {
                Ok(base) => self.base = base,
                Err(_) => {
                    if let Ok(Some(status)) = self.child.try_wait() {
                        return Err(format!("exited before binding: {status}"));
                    }
                    if Instant::now() >= deadline {
                        return Err(format!("did not bind within {limit:?}"));
                    }
                }
            }
        }
        drop(bound);
        while Instant::now() < deadline {
            if ureq::get(&format!("{}/conformance", self.base))
                .call()
                .is_ok()
            {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("{}: exited: {status}", self.base));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err(format!("{}: did not answer within {limit:?}", self.base))
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

/// How a raw test client sends a request body.
#[derive(Clone, Copy, Debug)]
pub enum BodyMode {
    /// `Content-Length`, the whole body written before the answer is read (as ureq does).
    Length,
    /// `Content-Length` and `Expect: 100-continue`: the body is sent only after a 100, or after
    /// five seconds without an answer (curl waits one).
    ExpectContinue,
    /// `Transfer-Encoding: chunked`, no length announced, written whole before reading.
    Chunked,
}

/// Posts `size` bytes of spaces to `path` over a plain TCP connection, the way real clients do,
/// and returns the final status and the whole answer. Any I/O error (a broken pipe, a reset) is
/// returned as `Err`, since that is what the client's user would see instead of the answer.
/// What went wrong for a raw client: a step's I/O error (a broken pipe, a reset), or an answer
/// without a status line.
#[derive(Debug)]
pub enum RawPostError {
    Io {
        step: &'static str,
        source: std::io::Error,
    },
    NoStatus(String),
}

impl std::fmt::Display for RawPostError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RawPostError::Io { step, source } => write!(f, "{step}: {source}"),
            RawPostError::NoStatus(text) => write!(f, "no status line in {text:?}"),
        }
    }
}

fn io(step: &'static str) -> impl Fn(std::io::Error) -> RawPostError {
    move |source| RawPostError::Io { step, source }
}

pub fn raw_post(
    base: &str,
    path: &str,
    extra_headers: &str,
    size: usize,
    mode: BodyMode,
) -> Result<(u16, String), RawPostError> {
    use std::io::{Read, Write};
    let addr = base.trim_start_matches("http://");
    let mut c = std::net::TcpStream::connect(addr).map_err(io("connecting"))?;
    c.set_read_timeout(Some(Duration::from_secs(20)))
        .map_err(io("setting a timeout"))?;
    let framing = match mode {
        BodyMode::Length => format!("Content-Length: {size}\r\n"),
        BodyMode::ExpectContinue => {
            format!("Content-Length: {size}\r\nExpect: 100-continue\r\n")
        }
        BodyMode::Chunked => "Transfer-Encoding: chunked\r\n".to_string(),
    };
    write!(
        c,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\n{extra_headers}{framing}Connection: close\r\n\r\n"
    )
    .map_err(io("writing the head"))?;
    let mut answer = Vec::new();
    let mut send_body = true;
    if let BodyMode::ExpectContinue = mode {
        // curl waits a second; a loaded CI machine may answer later, and a client that sends
        // after an early answer may meet a closed connection, so wait longer
        c.set_read_timeout(Some(Duration::from_secs(5)))
            .map_err(io("setting a timeout"))?;
        let mut buf = vec![0u8; 64 * 1024];
        match c.read(&mut buf) {
            Ok(n) => {
                let head = String::from_utf8_lossy(&buf[..n]).into_owned();
                if let Some(rest) = head.strip_prefix("HTTP/1.1 100 Continue\r\n\r\n") {
                    answer.extend_from_slice(rest.as_bytes());
                } else {
                    // a final answer before the body: the body is not sent
                    answer.extend_from_slice(&buf[..n]);
                    send_body = false;
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(io("waiting for 100")(e)),
        }
        c.set_read_timeout(Some(Duration::from_secs(20)))
            .map_err(io("setting a timeout"))?;
    }
    if send_body {
        let block = vec![b' '; 64 * 1024];
        let mut left = size;
        while left > 0 {
            let n = left.min(block.len());
            let r = match mode {
                BodyMode::Chunked => c
                    .write_all(format!("{n:x}\r\n").as_bytes())
                    .and_then(|_| c.write_all(&block[..n]))
                    .and_then(|_| c.write_all(b"\r\n")),
                _ => c.write_all(&block[..n]),
            };
            r.map_err(io("writing the body"))?;
            left -= n;
        }
        if let BodyMode::Chunked = mode {
            c.write_all(b"0\r\n\r\n").map_err(io("ending the body"))?;
        }
    }
    c.read_to_end(&mut answer)
        .map_err(io("reading the answer"))?;
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| RawPostError::NoStatus(text.clone()))?;
    Ok((status, text))
}

/// Posts an oversized body `rounds` times in every [`BodyMode`] and requires the 413 with its
/// JSON body each time.
pub fn oversized_posts_get_413(s: &Server, path: &str, extra_headers: &str, size: usize) {
    for mode in [
        BodyMode::Length,
        BodyMode::ExpectContinue,
        BodyMode::Chunked,
    ] {
        for round in 0..50 {
            let r = raw_post(&s.base, path, extra_headers, size, mode);
            let (status, text) = r.unwrap_or_else(|e| panic!("{path} {mode:?} round {round}: {e}"));
            assert_eq!(status, 413, "{path} {mode:?} round {round}: {text}");
            assert!(
                text.contains("\"code\":\"PayloadTooLarge\""),
                "{path} {mode:?} round {round}: {text}"
            );
        }
    }
}

/// GET: the status, the body as JSON (null when it is not JSON) and the content type.
#[allow(dead_code)]
pub fn get(url: &str) -> (u16, serde_json::Value, String) {
    let (status, resp) = match ureq::get(url).call() {
        Ok(r) => (r.status(), r),
        Err(ureq::Error::Status(code, r)) => (code, r),
        Err(e) => panic!("{url}: {e}"),
    };
    let ctype = resp.header("content-type").unwrap_or("").to_string();
    let body = resp.into_json().unwrap_or(serde_json::Value::Null);
    (status, body, ctype)
}

/// The ids of a FeatureCollection's features, in order.
#[allow(dead_code)]
pub fn ids(v: &serde_json::Value) -> Vec<String> {
    v["features"]
        .as_array()
        .expect("a FeatureCollection")
        .iter()
        .map(|f| f["id"].as_str().expect("a feature id").to_string())
        .collect()
}

/// The ids of the plans a server serves.
#[allow(dead_code)]
pub fn plan_ids(s: &Server) -> Vec<String> {
    let (_, v, _) = get(&s.url("/plans"));
    v["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect()
}

/// How many projects a server serves.
#[allow(dead_code)]
pub fn matched(s: &Server) -> u64 {
    get(&s.url("/collections/projects/items?limit=1")).1["numberMatched"]
        .as_u64()
        .unwrap()
}

/// Posts a plan's text with a bearer token: the status, the JSON answer, its Retry-After.
#[allow(dead_code)]
pub fn post_text(s: &Server, token: &str, text: &str) -> (u16, serde_json::Value, Option<String>) {
    let r = ureq::post(&s.url("/plans"))
        .set("content-type", "text/plain; charset=utf-8")
        .set("authorization", &format!("Bearer {token}"))
        .timeout(Duration::from_secs(30))
        .send_string(text);
    match r {
        Ok(r) => (r.status(), r.into_json().unwrap_or_default(), None),
        Err(ureq::Error::Status(c, r)) => {
            let retry = r.header("retry-after").map(str::to_string);
            (c, r.into_json().unwrap_or_default(), retry)
        }
        Err(e) => panic!("post: {e}"),
    }
}

/// A fresh path under the system's temporary directory, unique to this process and instant
/// (not created).
pub fn temp_path(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    std::env::temp_dir().join(format!("planmap-{tag}-{}-{nanos}", std::process::id()))
}
