//! A portfolio of thousands of plans (issue 13), measured and printed (run: `cargo bench --bench
//! portfolio`; `PLANMAP_BENCH_PLANS=300,3000` to choose the sizes). Not a test: nothing here
//! fails on a slow machine.
//!
//! For each size N: a data directory of the five seeds and N synthetic plans
//! (`tests/common/synth.rs`) is written with the library, then the real binary serves it and is
//! measured over HTTP: cold start (spawn to first answer), resident memory, one ingest (p50 of
//! seven), bbox (limit 100) / nearest (k 10) / item latency (p50, p99 of 300 each), the
//! size of the data directory, and vector tiles across Xinjiang made and then cached (issue 15;
//! `PLANMAP_BENCH_PLANS=0` is the seeds alone).
//!
//! With `PLANMAP_BENCH_DATABASE=1` the same portfolio is also posted to a replica over a real
//! PostgreSQL/PostGIS (tests/common/pg.rs), and its cold start and ingest are measured the same
//! way (sizes up to 3,000: posting is one plan at a time).

#[path = "../tests/common/synth.rs"]
mod synth;

#[path = "../tests/common/pg.rs"]
#[allow(dead_code)]
mod pg;

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use planmap::gazetteer::Gazetteer;
use planmap::store::Store;

const TOKEN: &str = "bench-token";

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .map(|e| {
                    let m = e.metadata().ok();
                    if m.as_ref().is_some_and(|m| m.is_dir()) {
                        dir_bytes(&e.path())
                    } else {
                        m.map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn rss_mb(pid: u32) -> (f64, f64) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (kb("VmRSS:") / 1024.0, kb("VmHWM:") / 1024.0)
}

fn pct(v: &mut [f64], p: f64) -> f64 {
    v.sort_by(f64::total_cmp);
    v[((v.len() - 1) as f64 * p).round() as usize]
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the binary on a data directory; returns it and the time to its first answer.
fn start(data: &Path) -> (Server, Duration) {
    start_with(&["--data", data.to_str().unwrap_or("")])
}

/// Starts the binary with a store option; returns it and the time to its first answer.
fn start_with(store: &[&str]) -> (Server, Duration) {
    let port = free_port();
    let t = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .args(store)
        .args(["--token", TOKEN])
        .stderr(Stdio::null())
        .spawn()
        .expect("planmap starts");
    let base = format!("http://127.0.0.1:{port}");
    let server = Server { child, base };
    loop {
        if ureq::get(&format!("{}/conformance", server.base))
            .call()
            .is_ok()
        {
            break;
        }
        assert!(
            t.elapsed() < Duration::from_secs(600),
            "no answer in 10 min"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let took = t.elapsed();
    (server, took)
}

fn timed(n: usize, mut f: impl FnMut(usize)) -> Vec<f64> {
    (0..n)
        .map(|i| {
            let t = Instant::now();
            f(i);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect()
}

fn main() {
    let sizes: Vec<usize> = std::env::var("PLANMAP_BENCH_PLANS")
        .ok()
        .map(|v| v.split(',').filter_map(|s| s.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![300, 3000, 10_000]);
    let gaz = Gazetteer::embedded().expect("gazetteer");
    println!("| plans | projects | write store | data dir | cold start | RSS (peak) | ingest p50 | bbox p50/p99 | nearest p50/p99 | item p50/p99 |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    let mut tiles: Vec<String> = Vec::new();
    for n in sizes {
        let dir = std::env::temp_dir().join(format!("planmap-bench-{n}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let t = Instant::now();
        let store = Store::open(&dir).expect("store");
        for i in 0..n {
            let text = synth::plan(&gaz, i);
            let plan =
                planmap::store::prepare(&text, None, None, planmap::model::Encoding::Utf8, None)
                    .expect("synthetic plan");
            store
                .add(plan.compute::<planmap::pipeline::Catalog>(&gaz))
                .expect("synthetic plan stored");
        }
        let write_s = t.elapsed().as_secs_f64();
        let (server, cold) = start(&dir);
        let (rss, _) = rss_mb(server.child.id());
        let projects = ureq::get(&format!(
            "{}/collections/projects/items?limit=1",
            server.base
        ))
        .call()
        .ok()
        .and_then(|r| r.into_json::<serde_json::Value>().ok())
        .and_then(|v| v["numberMatched"].as_u64())
        .unwrap_or(0);
        let agent = ureq::AgentBuilder::new().build();
        let mut ingest = timed(7, |k| {
            let text = synth::plan(&gaz, 1_000_000 + n + k);
            let r = agent
                .post(&format!("{}/plans", server.base))
                .set("Authorization", &format!("Bearer {TOKEN}"))
                .set("Content-Type", "text/plain; charset=utf-8")
                .send_string(&text)
                .expect("ingest");
            assert_eq!(r.status(), 201);
        });
        // boxes of about a county (1°) across Xinjiang
        let mut bbox = timed(300, |i| {
            let lon = 75.0 + (i * 37 % 180) as f64 / 10.0;
            let lat = 36.0 + (i * 53 % 110) as f64 / 10.0;
            let url = format!(
                "{}/collections/projects/items?bbox={lon},{lat},{},{}&limit=100",
                server.base,
                lon + 1.0,
                lat + 1.0
            );
            agent.get(&url).call().expect("bbox").into_string().ok();
        });
        let mut nearest = timed(300, |i| {
            let lon = 75.0 + (i * 37 % 180) as f64 / 10.0;
            let lat = 36.0 + (i * 53 % 110) as f64 / 10.0;
            let url = format!("{}/search/nearest?lon={lon}&lat={lat}&k=10", server.base);
            agent.get(&url).call().expect("nearest").into_string().ok();
        });
        let ids: Vec<String> = agent
            .get(&format!(
                "{}/collections/projects/items?limit=300&offset={}",
                server.base,
                projects / 2
            ))
            .call()
            .ok()
            .and_then(|r| r.into_json::<serde_json::Value>().ok())
            .and_then(|v| {
                v["features"].as_array().map(|fs| {
                    fs.iter()
                        .filter_map(|f| f["id"].as_str().map(str::to_string))
                        .collect()
                })
            })
            .unwrap_or_default();
        let mut item = timed(ids.len().min(300), |i| {
            let url = format!("{}/collections/projects/items/{}", server.base, ids[i]);
            agent.get(&url).call().expect("item").into_string().ok();
        });
        tiles.push(tile_figures(&agent, &server.base, n));
        let (_, peak) = rss_mb(server.child.id());
        println!(
            "| {n} | {projects} | {write_s:.1} s | {:.0} MB | {:.2} s | {rss:.0} MB ({peak:.0} MB) | {:.0} ms | {:.2} / {:.2} ms | {:.2} / {:.2} ms | {:.2} / {:.2} ms |",
            dir_bytes(&dir) as f64 / 1e6,
            cold.as_secs_f64(),
            pct(&mut ingest, 0.5),
            pct(&mut bbox, 0.5),
            pct(&mut bbox, 0.99),
            pct(&mut nearest, 0.5),
            pct(&mut nearest, 0.99),
            pct(&mut item, 0.5),
            pct(&mut item, 0.99),
        );
        drop(server);
        if std::env::var_os("PLANMAP_BENCH_DATABASE").is_some() && n <= 3000 {
            database_figures(&gaz, n);
        }
        if std::env::var_os("PLANMAP_BENCH_KEEP").is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        } else {
            println!("kept {}", dir.display());
        }
    }
    println!();
    println!("Vector tiles over Xinjiang (the first request makes a tile, the second is served from the cache):");
    println!();
    println!("| plans | collection | zoom | tiles | made p50 / p99 | cached p50 / p99 | size p50 / max |");
    println!("|---|---|---|---|---|---|---|");
    for rows in tiles {
        print!("{rows}");
    }
}

/// Tile latency over HTTP: up to 60 tiles a zoom across Xinjiang's box, each asked twice.
fn tile_figures(agent: &ureq::Agent, base: &str, n: usize) -> String {
    let mut out = String::new();
    let tile_of = |z: u32, lon: f64, lat: f64| {
        let k = f64::from(1u32 << z);
        let x = ((lon + 180.0) / 360.0 * k) as u32;
        let r = lat.to_radians();
        let y = ((1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * k) as u32;
        (x, y)
    };
    for (collection, zooms) in [("projects", &[4u32, 6, 8, 10][..]), ("counties", &[6][..])] {
        for &z in zooms {
            let (x0, y0) = tile_of(z, 73.5, 49.2);
            let (x1, y1) = tile_of(z, 96.4, 34.3);
            let all: Vec<(u32, u32)> = (y0..=y1)
                .flat_map(|y| (x0..=x1).map(move |x| (x, y)))
                .collect();
            let step = all.len().div_ceil(60);
            let chosen: Vec<(u32, u32)> = all.into_iter().step_by(step).collect();
            let url = |&(x, y): &(u32, u32)| {
                format!("{base}/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}")
            };
            let mut sizes = Vec::new();
            let mut made = timed(chosen.len(), |i| {
                let mut body = Vec::new();
                let r = agent.get(&url(&chosen[i])).call().expect("tile");
                std::io::Read::read_to_end(&mut r.into_reader(), &mut body).expect("tile body");
                sizes.push(body.len() as f64 / 1e3);
            });
            let mut cached = timed(chosen.len(), |i| {
                let r = agent.get(&url(&chosen[i])).call().expect("tile");
                std::io::Read::read_to_end(&mut r.into_reader(), &mut Vec::new())
                    .expect("tile body");
            });
            let max = sizes.iter().copied().fold(0.0, f64::max);
            out.push_str(&format!(
                "| {n} | {collection} | {z} | {} | {:.2} / {:.2} ms | {:.2} / {:.2} ms | {:.1} / {max:.1} KB |\n",
                chosen.len(),
                pct(&mut made, 0.5),
                pct(&mut made, 0.99),
                pct(&mut cached, 0.5),
                pct(&mut cached, 0.99),
                pct(&mut sizes, 0.5),
            ));
        }
    }
    out
}

fn post(agent: &ureq::Agent, base: &str, text: &str) {
    let r = agent
        .post(&format!("{base}/plans"))
        .set("Authorization", &format!("Bearer {TOKEN}"))
        .set("Content-Type", "text/plain; charset=utf-8")
        .send_string(text)
        .expect("ingest");
    assert_eq!(r.status(), 201);
}

/// The same portfolio over PostgreSQL/PostGIS: cold start of a replica and one ingest.
fn database_figures(gaz: &Gazetteer, n: usize) {
    let db = pg::Postgres::start();
    let url = db.url();
    let (server, _) = start_with(&["--database", &url]);
    let agent = ureq::AgentBuilder::new().build();
    let t = Instant::now();
    for i in 0..n {
        post(&agent, &server.base, &synth::plan(gaz, i));
    }
    let fill = t.elapsed().as_secs_f64();
    drop(server);
    let (server, cold) = start_with(&["--database", &url]);
    let (rss, _) = rss_mb(server.child.id());
    let mut ingest = timed(7, |k| {
        post(&agent, &server.base, &synth::plan(gaz, 1_000_000 + n + k));
    });
    println!(
        "  database, {n} plans: posted one by one in {fill:.1} s ({:.0} ms a plan); cold start {:.2} s; RSS {rss:.0} MB; one ingest p50 {:.0} ms",
        fill * 1e3 / n as f64,
        cold.as_secs_f64(),
        pct(&mut ingest, 0.5)
    );
}
