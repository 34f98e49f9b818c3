//! Issue 17: replicas over one PostgreSQL/PostGIS database, really started (tests/common/pg.rs).
//! Two replicas follow each other's writes; a SIGKILL mid-ingest leaves all of a plan or none;
//! the database going away costs writes (503, then working again), never reads; GDAL reads the
//! `projects` table with the API's count.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::pg::Postgres;
use common::{matched, plan_ids, Server};

fn post(s: &Server, text: &str) -> (u16, Value, Option<String>) {
    common::post_text(s, TOKEN, text)
}
use serde_json::Value;

const TOKEN: &str = "db-token";

fn replica(pg: &Postgres, token: bool) -> Server {
    let url = pg.url();
    let mut args = vec!["--database", url.as_str()];
    if token {
        args.extend(["--token", TOKEN]);
    }
    Server::start(&args)
}

fn get(url: &str) -> (u16, Value) {
    match ureq::get(url).timeout(Duration::from_secs(10)).call() {
        Ok(r) => (r.status(), r.into_json().unwrap_or(Value::Null)),
        Err(ureq::Error::Status(c, r)) => (c, r.into_json().unwrap_or(Value::Null)),
        Err(e) => panic!("{url}: {e}"),
    }
}

fn plan_text(n: usize) -> String {
    format!(
        "博尔塔拉蒙古自治州第{n}号数据库测试行动计划\n\
         加快推进博乐至阿拉山口第{n}高速公路建设，建设赛里木湖第{n}号景区。\n\
         新建精河县第{n}号工业园区。\n"
    )
}

/// Waits until `ok` holds, at most `limit`; returns how long it took.
fn within(limit: Duration, mut ok: impl FnMut() -> bool) -> Option<Duration> {
    let t = Instant::now();
    while t.elapsed() < limit {
        if ok() {
            return Some(t.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

/// Issue 27: any number of replicas may start at once on an empty database: the schema's
/// migration is taken one replica at a time. Three start together, three times, each on a
/// database of its own; all come up and serve the seeds.
#[test]
fn replicas_started_together_on_an_empty_database_all_come_up() {
    let pg = Postgres::start();
    for round in 0..3 {
        pg.query(&format!("CREATE DATABASE together{round}"));
        let url = format!("postgres://postgres@127.0.0.1:{}/together{round}", pg.port);
        let mut replicas: Vec<Server> = (0..3)
            .map(|_| Server::spawn(&["--database", url.as_str()], std::process::Stdio::piped()))
            .collect();
        for (k, r) in replicas.iter_mut().enumerate() {
            if let Err(e) = r.ready(Duration::from_secs(60)) {
                let mut log = String::new();
                if let Some(mut err) = r.child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut err, &mut log);
                }
                panic!("round {round}, replica {k}: {e}\n{log}");
            }
            // the seeds stored once, whoever came first
            assert_eq!(plan_ids(r).len(), 5, "round {round}, replica {k}");
        }
    }
}

#[test]
fn two_replicas_serve_one_portfolio() {
    let pg = Postgres::start();
    let a = replica(&pg, true);
    let b = replica(&pg, true);
    let reader = replica(&pg, false);
    // the database started with the seeds; every replica serves them
    assert_eq!(plan_ids(&a).len(), 5);
    assert_eq!(matched(&a), matched(&b));

    // a plan posted to A is served by B (and by a read-only replica) within 2 s
    let (st, body, _) = post(&a, &plan_text(1));
    assert_eq!(st, 201, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let took = within(Duration::from_secs(2), || plan_ids(&b).contains(&id))
        .expect("B serves A's plan within 2 s");
    assert!(within(Duration::from_secs(2), || plan_ids(&reader).contains(&id)).is_some());
    println!("B served A's plan after {took:?}");
    assert_eq!(matched(&a), matched(&b));
    let (st, _, _) = post(&reader, &plan_text(2));
    assert_eq!(st, 405, "a replica without a token is read-only");

    // both ingesting at once: both succeed (one waits for the other's transaction)
    let (ta, tb) = (plan_text(3), plan_text(4));
    let (sa, sb) = std::thread::scope(|s| {
        let ha = s.spawn(|| post(&a, &ta).0);
        let hb = s.spawn(|| post(&b, &tb).0);
        (ha.join().unwrap(), hb.join().unwrap())
    });
    assert!([sa, sb].iter().all(|c| *c == 201 || *c == 503), "{sa} {sb}");
    assert!(within(Duration::from_secs(3), || {
        matched(&a) == matched(&b) && plan_ids(&a) == plan_ids(&b)
    })
    .is_some());

    // B restarted still serves everything
    let before = get(&a.url("/collections/projects/items?limit=10000")).1;
    drop(b);
    let b = replica(&pg, true);
    let after = get(&b.url("/collections/projects/items?limit=10000")).1;
    assert_eq!(before["features"], after["features"]);
    assert!(plan_ids(&b).contains(&id));
    // the plan's text comes from the database
    let page = ureq::get(&b.url(&format!("/plans/{id}/text")))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains("第1号数据库测试行动计划") && page.contains("<mark>"));

    // a deletion on B reaches A
    let r = ureq::delete(&b.url(&format!("/plans/{id}")))
        .set("authorization", &format!("Bearer {TOKEN}"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(within(Duration::from_secs(2), || !plan_ids(&a).contains(&id)).is_some());

    // GDAL reads the projects table with the count the API reports, and the geometry column
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so", &format!("PG:{}", pg.conninfo()), "projects"])
        .output()
        .expect("ogrinfo runs");
    let info = String::from_utf8_lossy(&out.stdout);
    let n = matched(&a);
    assert!(
        info.contains(&format!("Feature Count: {n}")),
        "ogrinfo: {info}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(info.contains("geom"), "{info}");
    assert_eq!(pg.query("SELECT count(*) FROM projects"), n.to_string());
    let mentions: u64 = pg.query("SELECT count(*) FROM mentions").parse().unwrap();
    assert!(mentions >= n);
}

/// SIGKILL of a replica in the middle of ingests: each plan is in the database whole (its row,
/// its projects, its mentions) or not at all.
#[test]
fn a_killed_replica_leaves_whole_plans_or_none() {
    let pg = Postgres::start();
    let mut sent: Vec<usize> = Vec::new();
    for round in 0..8usize {
        let a = replica(&pg, true);
        let base = a.base.clone();
        let start = round * 10;
        let writer = std::thread::spawn(move || {
            for k in start..start + 10 {
                let r = ureq::post(&format!("{base}/plans"))
                    .set("content-type", "text/plain; charset=utf-8")
                    .set("authorization", &format!("Bearer {TOKEN}"))
                    .timeout(Duration::from_secs(5))
                    .send_string(&plan_text(k));
                if r.is_err() {
                    break;
                }
            }
        });
        std::thread::sleep(Duration::from_millis(30 + (round as u64 * 37) % 200));
        drop(a); // SIGKILL
        writer.join().unwrap();
        sent.extend(start..start + 10);
    }
    let b = replica(&pg, false);
    let served = plan_ids(&b);
    let mut whole = 0;
    for k in sent {
        let text = plan_text(k);
        let id = planmap::store::sha256_hex(text.as_bytes())[..16].to_string();
        let rows: u64 = pg
            .query(&format!("SELECT count(*) FROM plans WHERE id = '{id}'"))
            .parse()
            .unwrap();
        let mentions: u64 = pg
            .query(&format!(
                "SELECT count(*) FROM mentions WHERE doc = '{id}.txt'"
            ))
            .parse()
            .unwrap();
        if rows == 1 {
            whole += 1;
            assert!(mentions >= 3, "plan {k} stored without its mentions");
            assert!(served.contains(&id), "plan {k} stored but not served");
        } else {
            assert_eq!(mentions, 0, "plan {k} half there");
            assert!(!served.contains(&id));
        }
    }
    println!("{whole} plans whole, the others absent");
    assert!(whole > 0, "no ingest got through: the test proves nothing");
    // the projects table agrees with a fresh replica's count
    assert_eq!(
        pg.query("SELECT count(*) FROM projects"),
        matched(&b).to_string()
    );
}

/// The database stopped: reads go on from memory, writes get 503 with Retry-After; started
/// again, writes work without restarting the replica.
#[test]
fn the_database_going_away_costs_writes_not_reads() {
    let pg = Postgres::start();
    let a = replica(&pg, true);
    assert_eq!(post(&a, &plan_text(500)).0, 201);
    let n = matched(&a);
    pg.down();
    for _ in 0..5 {
        let (st, v) = get(&a.url("/collections/projects/items?limit=5"));
        assert_eq!((st, v["numberMatched"].as_u64()), (200, Some(n)));
    }
    let (st, body, retry) = post(&a, &plan_text(501));
    assert_eq!(st, 503, "{body}");
    assert!(retry.is_some(), "503 without Retry-After");
    assert!(body["description"].as_str().unwrap().contains("database"));
    pg.up();
    let took = within(Duration::from_secs(15), || {
        post(&a, &plan_text(502)).0 == 201
    })
    .expect("writes work again once the database is back");
    println!("writes back {took:?} after the database");
    assert!(matched(&a) > n);
    // and what it serves is what the database holds
    let fresh = replica(&pg, false);
    assert_eq!(matched(&fresh), matched(&a));
    assert_eq!(plan_ids(&fresh), plan_ids(&a));
}

/// Records made by other rules serve until a replica with a token has made them again and
/// stored them, with the portfolio they give.
#[test]
fn stale_records_in_the_database_are_made_again() {
    let pg = Postgres::start();
    let a = replica(&pg, true);
    assert_eq!(post(&a, &plan_text(700)).0, 201);
    let before = get(&a.url("/collections/projects/items?limit=10000")).1;
    drop(a);
    pg.query(
        "UPDATE plans SET record = jsonb_set(record, '{stamp,rules}', '\"older-rules\"') RETURNING 1",
    );
    assert_eq!(
        pg.query("SELECT count(*) FROM plans WHERE record->'stamp'->>'rules' = 'older-rules'"),
        "6"
    );
    // a read-only replica serves the old records and leaves them
    let reader = replica(&pg, false);
    assert_eq!(
        get(&reader.url("/collections/projects/items?limit=10000")).1["features"],
        before["features"]
    );
    let a = replica(&pg, true);
    let done = within(Duration::from_secs(30), || {
        pg.query("SELECT count(*) FROM plans WHERE record->'stamp'->>'rules' = 'older-rules'")
            == "0"
    });
    assert!(done.is_some(), "the records were not made again");
    // every replica ends up serving the portfolio the current rules give
    assert!(within(Duration::from_secs(3), || {
        get(&reader.url("/collections/projects/items?limit=10000")).1["features"]
            == before["features"]
            && get(&a.url("/collections/projects/items?limit=10000")).1["features"]
                == before["features"]
    })
    .is_some());
    assert_eq!(
        pg.query("SELECT count(*) FROM projects"),
        matched(&a).to_string()
    );
}
