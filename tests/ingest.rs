//! Adding and removing plans: over HTTP and the command line, durable across restarts and
//! SIGKILL, and refusing bad input without touching what is stored.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{plan_ids, Server};
use serde_json::Value;

const TOKEN: &str = "test-token-4f9a";

/// A plan text no seed contains, with projects the extractor finds and the geocoder places.
fn plan_text(n: usize) -> String {
    format!(
        "博尔塔拉蒙古自治州第{n}号测试行动计划\n\
         一、交通\n\
         加快推进博乐至阿拉山口第{n}高速公路建设，建设赛里木湖第{n}号景区。\n\
         新建精河县第{n}号工业园区。\n"
    )
}

fn tempdir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "planmap-{tag}-{}-{}",
        std::process::id(),
        rand_suffix()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

fn status_and_json(r: Result<ureq::Response, ureq::Error>) -> (u16, Value) {
    match r {
        Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(c, r)) => (c, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{e}"),
    }
}

fn post_plan(s: &Server, body: &[u8], ctype: &str, token: Option<&str>) -> (u16, Value) {
    let mut req = ureq::post(&s.url("/plans")).set("content-type", ctype);
    if let Some(t) = token {
        req = req.set("authorization", &format!("Bearer {t}"));
    }
    status_and_json(req.send_bytes(body))
}

/// A POST that announces its size and waits for the server's word before sending the body.
fn expect_continue_post(s: &Server, path: &str, size: usize, token: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let addr = s.base.trim_start_matches("http://");
    let mut c = std::net::TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        c,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: text/plain\r\nContent-Length: {size}\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = vec![0u8; 4096];
    let n = c.read(&mut buf).unwrap();
    let head = String::from_utf8_lossy(&buf[..n]).into_owned();
    if head.starts_with("HTTP/1.1 100") {
        return (100, head);
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut rest = String::new();
    let _ = c.read_to_string(&mut rest);
    (status, head + &rest)
}

fn get_json(url: &str) -> (u16, Value) {
    status_and_json(ureq::get(url).call())
}

#[test]
fn a_plan_added_over_http_is_served_kept_and_removable() {
    let dir = tempdir("ingest");
    let data = dir.to_str().unwrap();
    let s = Server::start(&["--data", data, "--token", TOKEN]);
    assert_eq!(
        plan_ids(&s).len(),
        5,
        "a fresh data directory starts with the seeds"
    );

    let (st, created) = post_plan(
        &s,
        plan_text(1).as_bytes(),
        "text/plain; charset=utf-8",
        Some(TOKEN),
    );
    assert_eq!(st, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    let doc = created["doc"].as_str().unwrap().to_string();
    let names: Vec<&str> = created["contributed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.contains("高速公路")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("景区")), "{names:?}");
    assert_eq!(created["projects"].as_u64().unwrap() as usize, names.len());

    // the same text again is the same plan
    let (st, again) = post_plan(&s, plan_text(1).as_bytes(), "text/plain", Some(TOKEN));
    assert_eq!((st, again["id"].as_str()), (200, Some(id.as_str())));

    let items = |s: &Server| {
        let (_, v) = get_json(&s.url(&format!("/collections/projects/items?doc={doc}&limit=100")));
        v["numberMatched"].as_u64().unwrap()
    };
    assert_eq!(items(&s) as usize, names.len());
    // and in the spatial queries: near 精河 (82.9, 44.6)
    let (_, near) = get_json(&s.url(&format!("/search/within?lon=82.9&lat=44.6&km=80&doc={doc}")));
    assert!(near["numberMatched"].as_u64().unwrap() >= 1, "{near}");
    let (st, one) = get_json(&s.url(&format!("/plans/{id}")));
    assert_eq!(st, 200);
    assert_eq!(one["encoding"], "UTF-8");
    assert_eq!(one["source"], "upload");
    assert_eq!(one["sha256"].as_str().unwrap().len(), 64);

    // a restart keeps it
    drop(s);
    let s = Server::start(&["--data", data, "--token", TOKEN]);
    assert!(plan_ids(&s).contains(&id));
    assert_eq!(items(&s) as usize, names.len());

    // delete: the plan and its mentions go
    let (st, _) = status_and_json(
        ureq::delete(&s.url(&format!("/plans/{id}")))
            .set("authorization", &format!("Bearer {TOKEN}"))
            .call(),
    );
    assert_eq!(st, 200);
    assert_eq!(items(&s), 0);
    assert!(!plan_ids(&s).contains(&id));
    let (st, _) = get_json(&s.url(&format!("/plans/{id}")));
    assert_eq!(st, 404);
    drop(s);
    let s = Server::start(&["--data", data, "--token", TOKEN]);
    assert!(
        !plan_ids(&s).contains(&id),
        "a deleted plan stays deleted after a restart"
    );
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn bad_uploads_get_clear_errors_and_change_nothing() {
    let dir = tempdir("bad");
    let s = Server::start(&[
        "--data",
        dir.to_str().unwrap(),
        "--token",
        TOKEN,
        "--max-plan-bytes",
        "1048576",
    ]);
    let before = plan_ids(&s);
    let text = plan_text(2);
    type Case<'a> = (&'a str, Vec<u8>, &'a str, Option<&'a str>, u16);
    let cases: Vec<Case> = vec![
        (
            "missing token",
            text.clone().into_bytes(),
            "text/plain",
            None,
            401,
        ),
        (
            "wrong token",
            text.clone().into_bytes(),
            "text/plain",
            Some("nope"),
            401,
        ),
        ("empty body", vec![], "text/plain", Some(TOKEN), 400),
        (
            "blank text",
            "  \n\n".as_bytes().to_vec(),
            "text/plain",
            Some(TOKEN),
            400,
        ),
        (
            "binary garbage",
            (0..5000u32)
                .map(|i| (i.wrapping_mul(2654435761) >> 11) as u8)
                .collect(),
            "text/plain",
            Some(TOKEN),
            415,
        ),
        (
            "a JSON body",
            b"{\"a\":1}".to_vec(),
            "application/json",
            Some(TOKEN),
            415,
        ),
        (
            "latin-1 charset",
            text.clone().into_bytes(),
            "text/plain; charset=iso-8859-1",
            Some(TOKEN),
            415,
        ),
    ];
    for (what, body, ctype, token, want) in cases {
        let (st, v) = post_plan(&s, &body, ctype, token);
        assert_eq!(st, want, "{what}: {v}");
        assert!(v["description"].is_string(), "{what}: {v}");
        assert_eq!(plan_ids(&s), before, "{what} changed the stored plans");
    }
    // bodies over the limit (1 MiB here) are refused before they are read, as a client that
    // asks first (Expect: 100-continue, as curl does) sees
    for size in [2 * 1024 * 1024, 100 * 1024 * 1024] {
        let t = Instant::now();
        let (st, body) = expect_continue_post(&s, "/plans", size, TOKEN);
        assert_eq!(st, 413, "{size} bytes: {body}");
        assert!(body.contains("PayloadTooLarge"), "{body}");
        assert!(t.elapsed() < Duration::from_secs(10));
        assert_eq!(plan_ids(&s), before);
    }
    // issue 11: every way of sending an oversized body gets the 413, 50 times each, and so
    // does a wrong token sent with a large body
    let auth = format!("Authorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\n");
    common::oversized_posts_get_413(&s, "/plans", &auth, 2 * 1024 * 1024);
    for round in 0..20 {
        let r = common::raw_post(
            &s.base,
            "/plans",
            "Authorization: Bearer nope\r\nContent-Type: text/plain\r\n",
            512 * 1024,
            common::BodyMode::Length,
        );
        let (st, text) = r.unwrap_or_else(|e| panic!("wrong token round {round}: {e}"));
        assert_eq!(st, 401, "wrong token round {round}: {text}");
    }
    assert_eq!(plan_ids(&s), before);
    // GB18030, common in government files, is converted and says so
    let (gb, _, _) = encoding_rs::GB18030.encode(&text);
    let (st, v) = post_plan(&s, &gb, "text/plain; charset=gb18030", Some(TOKEN));
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["encoding"], "GB18030");
    assert!(v["projects"].as_u64().unwrap() >= 2);
    // a multipart upload with a title
    let boundary = "XplanmapX";
    let mut form = Vec::new();
    form.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n测试计划\r\n"
        )
        .as_bytes(),
    );
    form.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"plan3.txt\"\r\nContent-Type: text/plain\r\n\r\n").as_bytes());
    form.extend_from_slice(plan_text(3).as_bytes());
    form.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let (st, v) = post_plan(
        &s,
        &form,
        &format!("multipart/form-data; boundary={boundary}"),
        Some(TOKEN),
    );
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["title"], "测试计划");
    assert_eq!(v["original_name"], "plan3.txt");
    drop(s);

    // without a token the service is read-only and says how to change that
    let s = Server::start(&["--data", dir.to_str().unwrap()]);
    let (st, v) = post_plan(&s, text.as_bytes(), "text/plain", Some(TOKEN));
    assert_eq!(st, 405, "{v}");
    assert!(v["description"].as_str().unwrap().contains("--token"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_command_line_ingests_into_a_data_directory() {
    let dir = tempdir("cli");
    let f = dir.join("plan.txt");
    std::fs::write(&f, plan_text(4)).unwrap();
    let data = dir.join("data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args([
            "ingest",
            "--data",
            data.to_str().unwrap(),
            f.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value =
        serde_json::from_slice(out.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(line["created"], true);
    assert!(line["projects"].as_u64().unwrap() >= 2);
    // a read-only server (no token) over that directory lists the plan and serves its text
    let s = Server::start(&["--data", data.to_str().unwrap()]);
    let id = line["id"].as_str().unwrap().to_string();
    assert!(plan_ids(&s).contains(&id));
    let r = ureq::get(&s.url(&format!("/plans/{id}/text"))).call();
    let page = r
        .unwrap_or_else(|e| panic!("the text of an ingested plan: {e}"))
        .into_string()
        .unwrap();
    assert!(page.contains("第4号工业园区"), "{page}");
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

/// Waits for a child at most `limit`; kills it and fails if it is still running then.
fn wait_at_most(child: &mut std::process::Child, limit: Duration) -> std::process::ExitStatus {
    let t = Instant::now();
    while t.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    panic!("still running after {limit:?}");
}

/// Issue 27: `planmap ingest` reads with a limit (a pipe or a device is refused at once, a file
/// over the limit is not read whole), checks a text as `POST /plans` does (NUL bytes), and goes
/// on past a bad file, failing at the end.
#[test]
fn the_command_line_refuses_what_post_refuses_and_goes_on() {
    let dir = tempdir("cli-bad");
    let fifo = dir.join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let nul = dir.join("nul.txt");
    std::fs::write(&nul, "博尔塔拉蒙古自治州行动计划\n建设\0精河县工业园区。\n").unwrap();
    let big = dir.join("big.txt");
    std::fs::write(&big, plan_text(7).repeat(200)).unwrap();
    let good = dir.join("good.txt");
    std::fs::write(&good, plan_text(8)).unwrap();
    let data = dir.join("data");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args([
            "ingest",
            "--data",
            data.to_str().unwrap(),
            "--max-plan-bytes",
            "10000",
        ])
        .args([&fifo, std::path::Path::new("/dev/zero"), &nul, &big, &good])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = wait_at_most(&mut child, Duration::from_secs(30));
    let out = child.wait_with_output().unwrap();
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{lines:?}");
    for (line, want) in lines.iter().zip([
        "named pipe",
        "character device",
        "binary (NUL bytes)",
        "over the limit of 10000 bytes",
    ]) {
        let error = line["error"].as_str().unwrap_or("");
        assert!(error.contains(want), "{line}");
    }
    assert_eq!(lines[4]["created"], true, "{}", lines[4]);
    assert_eq!(status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 of 5 files not ingested"));
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 27: SIGTERM stops `planmap ingest` between files, as the server drains: the file being
/// stored is finished, every plan it reported is stored whole, the rest are not begun.
#[test]
fn the_command_line_drains_on_sigterm() {
    use std::io::BufRead;
    let dir = tempdir("cli-term");
    // plans long enough (prose after a few projects) that extraction takes a while each
    let prose = "坚持以人民为中心的发展思想，推动经济社会高质量发展。\n".repeat(4000);
    let files: Vec<PathBuf> = (0..40)
        .map(|n| {
            let f = dir.join(format!("plan{n}.txt"));
            std::fs::write(&f, format!("{}{prose}", plan_text(100 + n))).unwrap();
            f
        })
        .collect();
    let data = dir.join("data");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["ingest", "--data", data.to_str().unwrap()])
        .args(&files)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let term = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = wait_at_most(&mut child, Duration::from_secs(30));
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).unwrap();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    // it stopped itself (exit 1, a message), not killed by the signal
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("stopped by a signal"), "{stderr}");
    let reported: Vec<String> = first
        .lines()
        .chain(rest.lines())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(
        !reported.is_empty() && reported.len() < files.len(),
        "{} of {} reported",
        reported.len(),
        files.len()
    );
    let s = Server::start(&["--data", data.to_str().unwrap()]);
    let ids = plan_ids(&s);
    for id in &reported {
        assert!(ids.contains(id), "reported plan {id} not stored");
    }
    // the seeds and the reported plans, nothing half-stored
    assert_eq!(ids.len(), 5 + reported.len());
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

/// SIGKILL in the middle of a stream of ingests, again and again: every acknowledged plan is
/// there after the restart, and the data directory always opens.
#[test]
fn acknowledged_plans_survive_sigkill() {
    let dir = tempdir("crash");
    let data = dir.to_str().unwrap().to_string();
    let mut acked: Vec<String> = Vec::new();
    let mut n = 0usize;
    let kills = 50;
    for round in 0..kills {
        let s = Server::start(&["--data", &data, "--token", TOKEN]);
        let ids = plan_ids(&s);
        for id in &acked {
            assert!(
                ids.contains(id),
                "round {round}: acknowledged plan {id} lost"
            );
        }
        // ingest from another thread while this one kills the server at a varying moment
        let base = s.base.clone();
        let start = n;
        let writer = std::thread::spawn(move || {
            let mut ok = Vec::new();
            for k in start..start + 20 {
                let r = ureq::post(&format!("{base}/plans"))
                    .set("content-type", "text/plain; charset=utf-8")
                    .set("authorization", &format!("Bearer {TOKEN}"))
                    .timeout(Duration::from_secs(5))
                    .send_string(&plan_text(k));
                match r {
                    Ok(resp) if resp.status() == 201 => {
                        let v: Value = resp.into_json().unwrap();
                        ok.push(v["id"].as_str().unwrap().to_string());
                    }
                    _ => break, // the server is gone
                }
            }
            ok
        });
        std::thread::sleep(Duration::from_millis(50 + (round as u64 * 53) % 450));
        let mut s = s;
        let _ = s.child.kill(); // SIGKILL
        let _ = s.child.wait();
        acked.extend(writer.join().unwrap());
        n += 20;
    }
    let s = Server::start(&["--data", &data, "--token", TOKEN]);
    let ids = plan_ids(&s);
    for id in &acked {
        assert!(
            ids.contains(id),
            "acknowledged plan {id} lost after the last kill"
        );
    }
    // every acknowledged plan has its record, whole; nothing half-written is left
    let plans_dir = dir.join("plans");
    for id in &acked {
        let rec = std::fs::read(plans_dir.join(format!("{id}.record"))).unwrap();
        let rec: Value = serde_json::from_slice(&rec).unwrap();
        assert!(!rec["mentions"].as_array().unwrap().is_empty(), "{id}");
    }
    for e in std::fs::read_dir(&plans_dir).unwrap() {
        let name = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(!name.starts_with(".tmp-"), "left behind: {name}");
        if let Some(stem) = name.strip_suffix(".record").or(name.strip_suffix(".txt")) {
            assert!(
                plans_dir.join(format!("{stem}.json")).exists(),
                "uncommitted {name} left behind"
            );
        }
    }
    // and records are only a cache: without them the same portfolio comes back from the texts
    let before = get_json(&s.url("/collections/projects/items?limit=10000")).1;
    drop(s);
    for e in std::fs::read_dir(&plans_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "record") {
            std::fs::remove_file(p).unwrap();
        }
    }
    let s = Server::start(&["--data", &data, "--token", TOKEN]);
    let after = get_json(&s.url("/collections/projects/items?limit=10000")).1;
    assert_eq!(before["features"], after["features"]);
    println!(
        "{kills} SIGKILLs, {} acknowledged plans, all intact",
        acked.len()
    );
    assert!(
        acked.len() >= kills / 2,
        "too few ingests were acknowledged to mean anything: {}",
        acked.len()
    );
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

/// Records made by other rules serve at once and are made again in the background; the
/// portfolio that follows is the one the current rules give.
#[test]
fn stale_records_serve_until_they_are_extracted_again() {
    let dir = tempdir("stale");
    let data = dir.to_str().unwrap().to_string();
    let s = Server::start(&["--data", &data, "--token", TOKEN]);
    for k in 0..3 {
        assert_eq!(
            post_plan(&s, plan_text(900 + k).as_bytes(), "text/plain", Some(TOKEN)).0,
            201
        );
    }
    let fresh = get_json(&s.url("/collections/projects/items?limit=10000")).1;
    drop(s);
    // as if another version of the rules had made every record, and one had gone wrong
    let plans_dir = dir.join("plans");
    let mut records = Vec::new();
    for e in std::fs::read_dir(&plans_dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "record") {
            let mut rec: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            rec["stamp"]["rules"] = Value::from("older-rules");
            std::fs::write(&p, serde_json::to_vec(&rec).unwrap()).unwrap();
            records.push(p);
        }
    }
    assert_eq!(records.len(), 8);
    // killed (SIGKILL) while it extracts again, at varying moments: nothing is lost or torn
    for round in 0..3u64 {
        let s = Server::start(&["--data", &data, "--token", TOKEN]);
        std::thread::sleep(Duration::from_millis(round * 40));
        drop(s);
    }
    let s = Server::start(&["--data", &data, "--token", TOKEN]);
    // it serves from the start, and within a while every record is current again
    assert_eq!(get_json(&s.url("/plans")).0, 200);
    let deadline = Instant::now() + Duration::from_secs(60);
    let current = |p: &PathBuf| {
        let rec: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
        rec["stamp"]["rules"] != "older-rules"
    };
    while !records.iter().all(current) {
        assert!(Instant::now() < deadline, "records were not made again");
        std::thread::sleep(Duration::from_millis(100));
    }
    // the rebuilt snapshot follows the records
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let now = get_json(&s.url("/collections/projects/items?limit=10000")).1;
        if now["features"] == fresh["features"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new extraction is not served"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // an ingest during or after the refresh is kept
    assert_eq!(
        post_plan(&s, plan_text(950).as_bytes(), "text/plain", Some(TOKEN)).0,
        201
    );
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

/// Issue 28: a server over the embedded seeds has a store too (read-only): it serves a seed's
/// text, and refuses a plan even with a token, saying where plans can be kept.
#[test]
fn the_seeds_server_reads_through_its_store_and_takes_no_plans() {
    let s = Server::start(&["--token", TOKEN]);
    let r = ureq::get(&s.url("/plans/000_b38476c404a71810/text")).call();
    let page = match r {
        Ok(r) => r.into_string().unwrap(),
        Err(e) => panic!("a seed's text: {e}"),
    };
    assert!(page.contains("id=\"L1\""), "{page}");
    let (st, v) = post_plan(&s, plan_text(60).as_bytes(), "text/plain", Some(TOKEN));
    assert_eq!(st, 405, "{v}");
    assert!(v["description"].as_str().unwrap().contains("--data"), "{v}");
    let (st, v) = get_json(&s.url("/plans"));
    assert_eq!(st, 200);
    assert_eq!(v["writable"], false, "{v}");
    let r = ureq::delete(&s.url("/plans/000_b38476c404a71810"))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .call();
    assert_eq!(status_and_json(r).0, 405);
    let (_, v) = get_json(&s.url("/plans"));
    assert_eq!(v["plans"].as_array().unwrap().len(), 5, "nothing removed");
}
