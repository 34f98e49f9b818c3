//! The command line: help that lists every option with its default and environment variable,
//! options from a TOML file (flags win), and logs as JSON with a request id and latency.

use std::io::Read;
use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn planmap() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planmap"))
}

fn stdout_of(args: &[&str]) -> String {
    let out = planmap().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_for(url: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if ureq::get(url).call().is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

#[test]
fn help_lists_every_option_with_its_default_and_environment_variable() {
    let top = stdout_of(&["--help"]);
    for cmd in ["serve", "ingest", "extract", "gazetteer"] {
        assert!(top.contains(cmd), "planmap --help lacks {cmd}:\n{top}");
    }
    let serve = stdout_of(&["serve", "--help"]);
    // every option: its flag, its variable, and a default (a value, or what none means)
    for (flag, env, default) in [
        ("--addr", "PLANMAP_ADDR", "[default: 127.0.0.1:8080]"),
        ("--data", "PLANMAP_DATA", "[default: none"),
        ("--database", "PLANMAP_DATABASE_URL", "[default: none"),
        ("--token", "PLANMAP_TOKEN", "[default: none"),
        (
            "--max-plan-bytes",
            "PLANMAP_MAX_PLAN_BYTES",
            "[default: 8388608]",
        ),
        ("--log-format", "PLANMAP_LOG_FORMAT", "[default: text]"),
        ("--config", "PLANMAP_CONFIG", "[default: none"),
    ] {
        let at = serve
            .find(&format!("{flag} "))
            .unwrap_or_else(|| panic!("serve --help lacks {flag}:\n{serve}"));
        let section = &serve[at..];
        let end = section[2..]
            .find("\n      --")
            .map_or(section.len(), |e| e + 2);
        let section = &section[..end];
        assert!(
            section.contains(&format!("[env: {env}")),
            "{flag}: no {env}:\n{section}"
        );
        assert!(
            section.contains(default),
            "{flag}: no {default}:\n{section}"
        );
    }
    let ingest = stdout_of(&["ingest", "--help"]);
    assert!(
        ingest.contains("--data") && ingest.contains("[env: PLANMAP_DATA"),
        "{ingest}"
    );
}

#[test]
fn bad_options_fail_with_a_message_naming_them() {
    for (args, says) in [
        (vec!["serve", "--addr", "nowhere"], "--addr"),
        (
            vec!["serve", "--max-plan-bytes", "lots"],
            "--max-plan-bytes",
        ),
        (
            vec!["serve", "--max-plan-bytes", "999999999"],
            "max-plan-bytes",
        ),
        (vec!["serve", "--log-format", "xml"], "--log-format"),
        (
            vec!["serve", "--data", "/tmp/x", "--database", "postgres://x"],
            "database",
        ),
        (vec!["serve", "--frobnicate"], "--frobnicate"),
        (vec!["extract"], "FILE"),
    ] {
        let out = planmap().args(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?} was accepted");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
}

#[test]
fn serve_options_come_from_a_toml_file_and_flags_win() {
    let dir = std::env::temp_dir().join(format!("planmap-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (file_port, flag_port) = (free_port(), free_port());
    let config = dir.join("planmap.toml");
    std::fs::write(
        &config,
        format!(
            "addr = \"127.0.0.1:{file_port}\"\ndata = \"{}\"\ntoken = \"from-file\"\nmax-plan-bytes = 4096\n",
            dir.join("data").display()
        ),
    )
    .unwrap();
    // the file's address, store and token
    let mut child = planmap()
        .args(["serve", "--config", config.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{file_port}");
    assert!(
        wait_for(&format!("{base}/conformance")),
        "no server on the file's address"
    );
    let post = |token: &str, body: &str| match ureq::post(&format!("{base}/plans"))
        .set("Authorization", &format!("Bearer {token}"))
        .set("Content-Type", "text/plain; charset=utf-8")
        .send_string(body)
    {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(code, _)) => code,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(
        post("from-file", "塔城地区某县规划\n建设巴克图口岸物流园。\n"),
        201
    );
    assert_eq!(post("wrong", "另一规划\n建设吉木乃口岸。\n"), 401);
    // max-plan-bytes from the file
    assert_eq!(post("from-file", &"建设塔城机场。".repeat(500)), 413);
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        dir.join("data/plans").is_dir(),
        "the file's data directory is used"
    );

    // a flag wins over the file
    let mut child = planmap()
        .args(["serve", "--config", config.to_str().unwrap()])
        .args(["--addr", &format!("127.0.0.1:{flag_port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let ok = wait_for(&format!("http://127.0.0.1:{flag_port}/conformance"));
    let _ = child.kill();
    let _ = child.wait();
    assert!(ok, "the --addr flag did not win over the file");

    // an unknown key is an error that names it
    std::fs::write(&config, "adress = \"127.0.0.1:1\"\n").unwrap();
    let out = planmap()
        .args(["serve", "--config", config.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("adress"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn json_logs_carry_each_request_with_its_id_status_and_latency() {
    let port = free_port();
    let mut child = planmap()
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--log-format",
            "json",
        ])
        .env("RUST_LOG", "planmap=info,tower_http=info")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    assert!(wait_for(&format!("{base}/conformance")));
    let r = ureq::get(&format!("{base}/collections"))
        .set("x-request-id", "walk-42")
        .call()
        .unwrap();
    assert_eq!(
        r.header("x-request-id"),
        Some("walk-42"),
        "the id comes back"
    );
    let minted = ureq::get(&format!("{base}/plans")).call().unwrap();
    let minted_id = minted.header("x-request-id").unwrap_or("").to_string();
    assert!(!minted_id.is_empty(), "a request without an id gets one");
    std::thread::sleep(Duration::from_millis(300));
    let _ = child.kill();
    let mut log = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut log)
        .unwrap();
    let _ = child.wait();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l["message"] == "portfolio loaded" && l["projects"].as_u64() > Some(100)),
        "{log}"
    );
    for id in ["walk-42", minted_id.as_str()] {
        let done = lines
            .iter()
            .find(|l| l["span"]["id"] == id && l["latency"].is_string())
            .unwrap_or_else(|| panic!("no response line for request {id}:\n{log}"));
        assert_eq!(done["status"], 200, "{done}");
        assert!(done["span"]["uri"].is_string(), "{done}");
    }
}
