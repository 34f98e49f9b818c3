//! Abusive clients and shutdown: slowloris, path traversal, SIGTERM with work in flight.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::Server;

fn raw(s: &Server, request: &str) -> String {
    let addr = s.base.trim_start_matches("http://");
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    c.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    let _ = c.read_to_string(&mut out);
    out
}

#[test]
fn no_path_outside_static_can_be_read() {
    let s = Server::start(&[]);
    for path in [
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
        "/static/%2E%2E%2FCargo.toml",
        "/static/..%2f..%2fetc%2fpasswd",
        "/static//etc/passwd",
        "/static/vendor/../../Cargo.toml",
        "/static/%2fetc%2fpasswd",
        "/static/....//Cargo.toml",
        "/../../etc/passwd",
    ] {
        let r = raw(
            &s,
            &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
        );
        let status = r.split_whitespace().nth(1).unwrap_or("");
        assert!(
            status == "404" || status == "400",
            "{path}: {}",
            r.lines().next().unwrap_or("")
        );
        assert!(
            !r.contains("[package]") && !r.contains("root:"),
            "{path} leaked a file"
        );
    }
    let ok = raw(
        &s,
        "GET /static/app.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(ok.starts_with("HTTP/1.1 200"));
}

/// Hundreds of clients trickling their headers neither starve others nor stay forever.
#[test]
fn slow_clients_cannot_starve_others() {
    let s = Server::start(&[]);
    let addr = s.base.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..300 {
        let mut c = TcpStream::connect(&addr).unwrap();
        c.write_all(b"GET /collections HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            .unwrap();
        slow.push(c);
    }
    // others are served promptly meanwhile
    for _ in 0..50 {
        let t = Instant::now();
        let r = ureq::get(&s.url("/counties/at?lon=82.98&lat=46.75"))
            .call()
            .unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            t.elapsed() < Duration::from_secs(1),
            "a normal request took {:?}",
            t.elapsed()
        );
    }
    // keep trickling for a while, then past the header timeout the server has hung up
    for _ in 0..3 {
        for c in &mut slow {
            let _ = c.write_all(b"a");
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    std::thread::sleep(planmap::config::HEADER_TIMEOUT);
    let mut closed = 0;
    for c in &mut slow {
        c.set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut buf = [0u8; 512];
        match c.read(&mut buf) {
            Ok(0) => closed += 1,
            Ok(_) => closed += 1, // an error response, then close
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => closed += 1,
            Err(_) => {}
        }
    }
    assert!(
        closed >= 290,
        "only {closed} of 300 slow connections were closed"
    );
}

/// A connection from `from` (a loopback address of its own) to the server.
fn connect_from(s: &Server, from: [u8; 4]) -> TcpStream {
    use socket2::{Domain, Socket, Type};
    let to: std::net::SocketAddr = s.base.trim_start_matches("http://").parse().unwrap();
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let local = std::net::SocketAddr::from((from, 0));
    socket.bind(&local.into()).unwrap();
    socket.connect(&to.into()).unwrap();
    socket.into()
}

/// Whether the server has hung up on `c` (end of stream or reset) within `wait`.
fn hung_up(mut c: &TcpStream, wait: Duration) -> bool {
    c.set_read_timeout(Some(wait)).unwrap();
    let mut buf = [0u8; 512];
    match c.read(&mut buf) {
        // the end of the stream, or an answer (an error) before it
        Ok(0) | Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
    }
}

/// Issue 27: connections that never send a byte cannot lock others out. One address holds at
/// most its share of the connections (past it, closed at once); silent connections from many
/// addresses that fill every connection are closed at the header timeout, counted from the
/// accept, and a normal client is answered within 2 s of it.
#[test]
fn silent_connections_cannot_lock_others_out() {
    use planmap::config::{HEADER_TIMEOUT, MAX_CONNECTIONS, MAX_CONNECTIONS_PER_IP};
    let s = Server::start(&[]);
    let mut silent: Vec<TcpStream> = (0..MAX_CONNECTIONS_PER_IP)
        .map(|_| connect_from(&s, [127, 0, 0, 1]))
        .collect();
    let opened = Instant::now();
    // the same address past its share: closed at once
    let over: Vec<TcpStream> = (0..20).map(|_| connect_from(&s, [127, 0, 0, 1])).collect();
    let refused = over
        .iter()
        .filter(|c| hung_up(c, Duration::from_secs(2)))
        .count();
    assert_eq!(
        refused, 20,
        "connections past one address's share stay open"
    );
    // another address is served at once meanwhile
    let get = |from: [u8; 4]| {
        let mut c = connect_from(&s, from);
        c.set_read_timeout(Some(HEADER_TIMEOUT * 3)).unwrap();
        c.write_all(b"GET /conformance HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut out = String::new();
        let _ = c.read_to_string(&mut out);
        out
    };
    let t = Instant::now();
    assert!(get([127, 0, 0, 9]).starts_with("HTTP/1.1 200"));
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "took {:?}",
        t.elapsed()
    );
    // every connection taken, by silent clients from other addresses
    let mut k = 2u8;
    while silent.len() < MAX_CONNECTIONS + 100 {
        let n = MAX_CONNECTIONS_PER_IP.min(MAX_CONNECTIONS + 100 - silent.len());
        silent.extend((0..n).map(|_| connect_from(&s, [127, 0, 0, k])));
        k += 1;
    }
    let t = Instant::now();
    let answer = get([127, 0, 0, 10]);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    assert!(
        t.elapsed() < HEADER_TIMEOUT + Duration::from_secs(2),
        "a normal client waited {:?} behind silent connections",
        t.elapsed()
    );
    // the first silent ones were hung up on at the timeout
    let due = opened + HEADER_TIMEOUT + Duration::from_secs(1);
    std::thread::sleep(due.saturating_duration_since(Instant::now()));
    let closed = silent[..MAX_CONNECTIONS_PER_IP]
        .iter()
        .filter(|c| hung_up(c, Duration::from_millis(100)))
        .count();
    assert_eq!(
        closed, MAX_CONNECTIONS_PER_IP,
        "silent connections left open"
    );
}

/// SIGTERM drains: an ingest in flight finishes and is kept, then the process exits cleanly.
#[test]
fn sigterm_finishes_in_flight_work() {
    let dir = std::env::temp_dir().join(format!("planmap-term-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let data = dir.to_str().unwrap().to_string();
    let s = Server::start(&["--data", &data, "--token", "t"]);
    let base = s.base.clone();
    let text = "伊犁哈萨克自治州测试计划\n加快推进伊宁至霍尔果斯第九高速公路建设，建设霍城县第九号工业园区。\n".repeat(200);
    let writer = std::thread::spawn(move || {
        ureq::post(&format!("{base}/plans"))
            .set("authorization", "Bearer t")
            .set("content-type", "text/plain")
            .send_string(&text)
            .map(|r| (r.status(), r.into_json::<serde_json::Value>().unwrap()))
            .map_err(|e| e.to_string())
    });
    std::thread::sleep(Duration::from_millis(30));
    let pid = s.child.id().to_string();
    assert!(std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let (status, body) = writer
        .join()
        .unwrap()
        .expect("the in-flight ingest is answered");
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let mut s = s;
    let t = Instant::now();
    let code = loop {
        if let Some(c) = s.child.try_wait().unwrap() {
            break c;
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the server did not exit after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(code.success(), "exit status {code:?}");
    drop(s);
    let s = Server::start(&["--data", &data]);
    let plans: serde_json::Value = ureq::get(&s.url("/plans"))
        .call()
        .unwrap()
        .into_json()
        .unwrap();
    assert!(plans["plans"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == id.as_str()));
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}
