//! The HTTP API, through the real server on a loopback port.

mod common;

use std::collections::BTreeSet;

use common::{get, ids, Server};
use geo::{Contains, Point};
use planmap::gazetteer::Gazetteer;
use planmap::index::Filter;
use serde_json::{json, Value};

fn post(url: &str, body: &[u8]) -> (u16, Value) {
    let r = ureq::post(url)
        .set("content-type", "application/geo+json")
        .send_bytes(body);
    let (status, resp) = match r {
        Ok(r) => (r.status(), r),
        Err(ureq::Error::Status(code, r)) => (code, r),
        Err(e) => panic!("{url}: {e}"),
    };
    (status, resp.into_json().unwrap_or(Value::Null))
}

#[test]
fn ogc_endpoints_answer_as_the_standard_says() {
    let s = Server::start(&[]);
    let (st, landing, ct) = get(&s.url("/?f=json"));
    assert_eq!(st, 200);
    assert!(ct.starts_with("application/json"));
    let rels: Vec<&str> = landing["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    for rel in ["self", "service-desc", "conformance", "data"] {
        assert!(rels.contains(&rel), "landing lacks {rel}");
    }
    let (_, conf, _) = get(&s.url("/conformance"));
    assert!(conf["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().ends_with("/conf/geojson")));

    let (st, api, ct) = get(&s.url("/api"));
    assert_eq!(st, 200);
    assert!(ct.starts_with("application/vnd.oai.openapi+json"), "{ct}");
    assert_eq!(api["openapi"], "3.0.3");
    for path in [
        "/collections/{collectionId}/items",
        "/search/nearest",
        "/search/within",
        "/search/intersects",
        "/counties/at",
        "/counties/{code}/projects",
    ] {
        assert!(api["paths"][path].is_object(), "{path} not described");
    }
    let limit = api["paths"]["/collections/{collectionId}/items"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "limit")
        .unwrap()
        .clone();
    assert_eq!(limit["schema"]["maximum"], 10_000);
    assert_eq!(limit["schema"]["default"], 100);

    let (_, cols, _) = get(&s.url("/collections"));
    let col_ids: Vec<&str> = cols["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    for id in [
        "projects",
        "airport",
        "railway",
        "reservoir",
        "counties",
        "prefectures",
    ] {
        assert!(col_ids.contains(&id), "no collection {id}");
    }
    let (st, col, _) = get(&s.url("/collections/airport"));
    assert_eq!(st, 200);
    assert_eq!(col["id"], "airport");

    // items: paging, counts, links, media type
    let (st, page, ct) = get(&s.url("/collections/projects/items?limit=10&offset=5"));
    assert_eq!(st, 200);
    assert_eq!(ct, "application/geo+json");
    assert_eq!(page["type"], "FeatureCollection");
    assert_eq!(page["numberReturned"], 10);
    let matched = page["numberMatched"].as_u64().unwrap();
    assert!(matched > 300);
    let rels: Vec<&str> = page["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["rel"].as_str().unwrap())
        .collect();
    assert!(rels.contains(&"next") && rels.contains(&"prev") && rels.contains(&"self"));
    assert!(page["timeStamp"].as_str().unwrap().ends_with('Z'));
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    assert_eq!(all["numberReturned"].as_u64().unwrap(), matched);
    assert_eq!(ids(&page), ids(&all)[5..15].to_vec());
    let f = &all["features"][0];
    for key in [
        "name",
        "category",
        "county_codes",
        "prefecture_code",
        "action",
        "located_by",
        "precision",
        "confidence",
        "mention_count",
        "plan_count",
        "first_mention",
        "latest_mention",
        "mentions_href",
        "plan_years",
    ] {
        assert!(
            !f["properties"][key].is_null() || key == "prefecture_code",
            "feature lacks {key}"
        );
    }

    // one feature, and the category collections agree with the filter
    let id = ids(&all)[0].clone();
    let (st, one, ct) = get(&s.url(&format!("/collections/projects/items/{id}")));
    assert_eq!((st, ct.as_str()), (200, "application/geo+json"));
    assert_eq!(one["id"], id.as_str());
    let (_, by_col, _) = get(&s.url("/collections/airport/items?limit=10000"));
    let (_, by_filter, _) = get(&s.url("/collections/projects/items?category=airport&limit=10000"));
    assert_eq!(ids(&by_col), ids(&by_filter));
    assert!(by_col["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["category"] == "airport"));

    // filters
    let (_, q, _) =
        get(&s.url("/collections/projects/items?q=%E5%A1%94%E5%9F%8E%E6%9C%BA%E5%9C%BA"));
    assert!(!ids(&q).is_empty());
    assert!(q["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["name"]
            .as_str()
            .unwrap()
            .contains("塔城机场")));
    let (_, c, _) = get(&s.url("/collections/projects/items?county=654201&limit=1000"));
    assert!(c["numberMatched"].as_u64().unwrap() > 10);
    assert!(c["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["county_codes"]
            .as_array()
            .unwrap()
            .contains(&json!("654201"))));
    let (_, old, _) = get(&s.url("/collections/projects/items?county=654223&limit=1000"));
    let (_, new, _) = get(&s.url("/collections/projects/items?county=654203&limit=1000"));
    assert_eq!(
        ids(&old),
        ids(&new),
        "the old 沙湾 code reads as the new one"
    );
    let (_, d, _) =
        get(&s.url("/collections/projects/items?doc=003_8d53f193fad8ffaf.txt&limit=1000"));
    // (a list carries a project's first and latest mention; the item carries them all)
    for f in d["features"].as_array().unwrap().iter().take(25) {
        let (_, item, _) = get(&s.url(&format!(
            "/collections/projects/items/{}",
            f["id"].as_str().unwrap()
        )));
        assert!(item["properties"]["mentions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["doc"] == "003_8d53f193fad8ffaf.txt"));
    }
    let (_, bb, _) = get(&s.url("/collections/projects/items?bbox=82.5,46.4,83.7,47.3&limit=1000"));
    assert!(bb["numberMatched"].as_u64().unwrap() > 5);

    // counties and prefectures as layers
    let (_, counties, _) = get(&s.url("/collections/counties/items?limit=1000"));
    assert_eq!(counties["numberMatched"], 108);
    let tc = counties["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "654201")
        .unwrap();
    assert_eq!(tc["properties"]["name"], "塔城市");
    assert!(tc["properties"]["project_count"].as_u64().unwrap() > 10);
    assert_eq!(tc["geometry"]["type"], "MultiPolygon");
    let (_, prefs, _) = get(&s.url("/collections/prefectures/items"));
    assert_eq!(prefs["numberMatched"], 14);
    let (st, one, _) = get(&s.url("/collections/counties/items/654201"));
    assert_eq!(
        (st, one["properties"]["code"].as_str()),
        (200, Some("654201"))
    );

    // plans
    let (_, plans, _) = get(&s.url("/plans"));
    assert_eq!(plans["plans"].as_array().unwrap().len(), 5);
    // each plan says which unit it is about, as the geocoder read it (issue 12)
    let plan = |id: &str| {
        plans["plans"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"].as_str().unwrap().starts_with(id))
            .unwrap()
            .clone()
    };
    let unit = |id: &str| plan(id)["unit"].clone();
    assert_eq!(unit("004")["code"], "650121");
    assert_eq!(unit("004")["level"], "county");
    assert_eq!(unit("004")["found_by"], "title");
    assert_eq!(unit("002")["code"], "654200");
    assert_eq!(unit("001")["code"], "650104");
    assert!(unit("003").is_null(), "the region's own report has no unit");
    // each plan's kind and year (issue 14)
    assert_eq!(
        (plan("002")["kind"].as_str(), plan("002")["year"].as_i64()),
        (Some("plan"), Some(2016))
    );
    assert_eq!(
        (plan("004")["kind"].as_str(), plan("004")["year"].as_i64()),
        (Some("plan"), Some(2021))
    );
    assert_eq!(plan("003")["kind"], "report");
}

#[test]
fn bad_input_gets_a_clear_error_naming_the_parameter() {
    let s = Server::start(&[]);
    let cases: &[(&str, u16, &str)] = &[
        ("/collections/projects/items?bbox=1,2,3", 400, "bbox"),
        ("/collections/projects/items?bbox=a,b,c,d", 400, "bbox"),
        ("/collections/projects/items?bbox=80,45,90,40", 400, "bbox"),
        ("/collections/projects/items?bbox=80,40,200,45", 400, "bbox"),
        ("/collections/projects/items?limit=1000000000", 400, "limit"),
        ("/collections/projects/items?limit=0", 400, "limit"),
        ("/collections/projects/items?limit=abc", 400, "limit"),
        ("/collections/projects/items?offset=-1", 400, "offset"),
        (
            "/collections/projects/items?category=spaceport",
            400,
            "category",
        ),
        ("/collections/projects/items?county=12345", 400, "county"),
        ("/collections/projects/items?county=abcdef", 400, "county"),
        ("/collections/projects/items?action=destroy", 400, "action"),
        ("/collections/projects/items?f=xml", 400, "f"),
        ("/collections/projects/items?colour=red", 400, "colour"),
        ("/collections/projects/items?limit=1&limit=2", 400, "limit"),
        (
            "/collections/airport/items?category=railway",
            400,
            "category",
        ),
        ("/search/nearest?lon=82&lat=95", 400, "lat"),
        ("/search/nearest?lon=200&lat=45", 400, "lon"),
        ("/search/nearest?lon=82", 400, "lat"),
        ("/search/nearest?lon=82&lat=45&k=-1", 400, "k"),
        ("/search/nearest?lon=82&lat=45&k=0", 400, "k"),
        ("/search/nearest?lon=82&lat=45&k=100000", 400, "k"),
        ("/search/nearest?lon=NaN&lat=45", 400, "lon"),
        ("/search/nearest?lon=inf&lat=45", 400, "lon"),
        ("/search/within?lon=82&lat=45", 400, "km"),
        ("/search/within?lon=82&lat=45&km=-5", 400, "km"),
        ("/search/within?lon=82&lat=45&km=1e9", 400, "km"),
        ("/counties/at?lon=x&lat=45", 400, "lon"),
        ("/counties/12/projects", 400, "code"),
    ];
    for (path, status, param) in cases {
        let (st, body, ct) = get(&s.url(path));
        assert_eq!(st, *status, "{path}: {body}");
        assert!(ct.starts_with("application/json"), "{path}: {ct}");
        assert_eq!(body["parameter"], *param, "{path}: {body}");
        assert!(
            body["code"].is_string() && body["description"].as_str().unwrap().contains(param),
            "{path}: {body}"
        );
    }
    for path in [
        "/collections/nope",
        "/collections/nope/items",
        "/collections/projects/items/no-such-id",
        "/collections/counties/items/999999",
        "/counties/at?lon=116.4&lat=39.9",
        "/counties/110101/projects",
        "/no/such/path",
        "/static/../Cargo.toml",
        "/static/%2e%2e/Cargo.toml",
    ] {
        let (st, body, _) = get(&s.url(path));
        assert_eq!(st, 404, "{path}: {body}");
        assert!(body["description"].is_string(), "{path}");
    }
    // bodies
    let url = s.url("/search/intersects");
    for bad in [
        &b""[..],
        b"not json",
        b"{\"type\":\"Point\"}",
        b"{\"type\":\"Point\",\"coordinates\":[500,1]}",
        b"{\"type\":\"FeatureCollection\",\"features\":[]}",
        &[0xff, 0xfe],
    ] {
        let (st, body) = post(&url, bad);
        assert_eq!(st, 400, "{:?}: {body}", String::from_utf8_lossy(bad));
        assert!(body["description"].is_string());
    }
    let huge = vec![b' '; 2 * 1024 * 1024];
    let (st, body) = post(&url, &huge);
    assert_eq!(st, 413, "{body}");
    assert_eq!(body["code"], "PayloadTooLarge");
    // the service is still there and unchanged
    let (st, _, _) = get(&s.url("/collections/projects/items?limit=1"));
    assert_eq!(st, 200);
}

#[test]
fn spatial_searches_answer_from_the_index() {
    let s = Server::start(&[]);
    // Tacheng: the county, the airport nearby
    let (st, c, _) = get(&s.url("/counties/at?lon=82.98&lat=46.75"));
    assert_eq!(
        (st, c["properties"]["code"].as_str()),
        (200, Some("654201"))
    );
    let (_, near, _) = get(&s.url("/search/nearest?lon=83.34&lat=46.67&k=5&category=airport"));
    let first = &near["features"][0];
    assert!(
        first["properties"]["name"]
            .as_str()
            .unwrap()
            .contains("塔城"),
        "{first}"
    );
    assert!(first["properties"]["distance_km"].as_f64().unwrap() < 1.0);
    let (_, w, _) = get(&s.url("/search/within?lon=82.98&lat=46.75&km=50&limit=3"));
    assert!(w["numberMatched"].as_u64().unwrap() > 3);
    assert_eq!(w["numberReturned"], 3);
    let d: Vec<f64> = w["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["distance_km"].as_f64().unwrap())
        .collect();
    assert!(d.windows(2).all(|p| p[0] <= p[1]) && d.iter().all(|x| *x <= 50.0));
    // a line across Tacheng prefecture
    let line = json!({"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[82.5, 46.7], [84.9, 45.5]]}});
    let (st, x) = post(&s.url("/search/intersects"), line.to_string().as_bytes());
    assert_eq!(st, 200, "{x}");
    let counties: Vec<&str> = x["counties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["code"].as_str().unwrap())
        .collect();
    assert!(
        counties.contains(&"654201") && counties.contains(&"654224"),
        "{counties:?}"
    );
    let (st, cp, _) = get(&s.url("/counties/654201/projects?limit=5"));
    assert_eq!(st, 200);
    assert_eq!(cp["county"]["name"], "塔城市");
    assert!(cp["numberMatched"].as_u64().unwrap() > 10);
}

/// /counties/at, /search/nearest and /search/within against brute force over every feature
/// and every county polygon, at 1,000 pseudo-random points in and around Xinjiang.
#[test]
fn spatial_answers_match_brute_force_at_1000_points() {
    let s = Server::start(&[]);
    let gaz = Gazetteer::embedded().unwrap();
    let snap = planmap::pipeline::build_seeds(&gaz).unwrap().snapshot;
    let p = &snap.portfolio;
    let mut seed: u64 = 0x9e3779b97f4a7c15;
    let mut rnd = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut inside = 0;
    for n in 0..1000 {
        let (lon, lat) = (72.0 + rnd() * 26.0, 33.0 + rnd() * 18.0);
        let pt = Point::new(lon, lat);
        // county
        let brute = gaz
            .county_polygons()
            .find(|(_, poly)| poly.contains(&pt))
            .map(|(u, _)| u.code.to_string());
        let (st, c, _) = get(&s.url(&format!("/counties/at?lon={lon}&lat={lat}")));
        match &brute {
            Some(code) => {
                assert_eq!(
                    (st, c["properties"]["code"].as_str()),
                    (200, Some(code.as_str())),
                    "{lon},{lat}"
                );
                inside += 1;
            }
            None => assert_eq!(st, 404, "{lon},{lat}: {c}"),
        }
        // nearest k
        let k = 1 + n % 7;
        let mut all: Vec<(f64, String)> = (0..p.len())
            .filter_map(|i| {
                p.distance_km(i, pt)
                    .map(|d| (d, p.feature(i).project.id.clone()))
            })
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (_, near, _) = get(&s.url(&format!("/search/nearest?lon={lon}&lat={lat}&k={k}")));
        let got: Vec<f64> = near["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["distance_km"].as_f64().unwrap())
            .collect();
        assert_eq!(got.len(), k);
        for (g, (want, _)) in got.iter().zip(&all) {
            assert!(
                (g - want).abs() < 0.01,
                "{lon},{lat} k={k}: {got:?} vs {:?}",
                &all[..k]
            );
        }
        // within
        let km = 5.0 + rnd() * 150.0;
        let want: BTreeSet<String> = all
            .iter()
            .filter(|(d, _)| *d <= km - 0.01)
            .map(|(_, id)| id.clone())
            .collect();
        let maybe: BTreeSet<String> = all
            .iter()
            .filter(|(d, _)| *d <= km + 0.01)
            .map(|(_, id)| id.clone())
            .collect();
        let (_, w, _) = get(&s.url(&format!(
            "/search/within?lon={lon}&lat={lat}&km={km}&limit=10000"
        )));
        let got: BTreeSet<String> = ids(&w).into_iter().collect();
        assert!(
            want.is_subset(&got) && got.is_subset(&maybe),
            "{lon},{lat} within {km}"
        );
    }
    assert!(inside > 300, "{inside} points inside Xinjiang");
    // the same index in-process agrees with itself for filters too
    let f = Filter {
        category: Some(planmap::model::Category::Airport),
        ..Default::default()
    };
    assert!(p.nearest(Point::new(87.5, 43.9), 3, &f).iter().all(|h| p
        .feature(h.index)
        .project
        .category
        == planmap::model::Category::Airport));
}

#[test]
fn responses_are_compressed_cached_and_open_to_any_origin() {
    let s = Server::start(&[]);
    let url = s.url("/collections/projects/items?limit=50");
    let r = ureq::get(&url)
        .set("accept-encoding", "gzip")
        .set("origin", "http://example.org")
        .call()
        .unwrap();
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let etag = r.header("etag").expect("an ETag").to_string();
    let again = match ureq::get(&s.url("/collections/projects/items?limit=50"))
        .set("if-none-match", &etag)
        .call()
    {
        Ok(r) => r.status(),
        Err(ureq::Error::Status(c, _)) => c,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(again, 304);
    // browsers get the map at /, API clients JSON
    let html = ureq::get(&s.url("/"))
        .set("accept", "text/html,application/xhtml+xml")
        .call()
        .unwrap();
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let json = ureq::get(&s.url("/"))
        .set("accept", "application/json")
        .call()
        .unwrap();
    assert!(json
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
}

/// GDAL's OGC API – Features driver reads every collection and the right count.
#[test]
fn gdal_reads_the_service() {
    let s = Server::start(&[]);
    let run = |args: &[&str]| {
        let out = std::process::Command::new("ogrinfo")
            .args(args)
            .output()
            .expect("ogrinfo (Debian gdal-bin) is installed; .ci/run installs it");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let src = format!("OAPIF:{}", s.base);
    let list = run(&["-ro", &src]);
    let (_, cols, _) = get(&s.url("/collections"));
    for c in cols["collections"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        assert!(
            list.contains(&format!(": {id} (")),
            "ogrinfo does not list {id}:\n{list}"
        );
    }
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=1"));
    let n = all["numberMatched"].as_u64().unwrap();
    let summary = run(&["-ro", "-so", &src, "projects"]);
    assert!(
        summary.contains(&format!("Feature Count: {n}")),
        "{summary}"
    );
    // and reads them all, page by page
    let features = run(&["-ro", "-q", &src, "projects"]);
    assert_eq!(features.matches("OGRFeature(projects)").count() as u64, n);
}

/// Issue 11: a client that writes a whole oversized body before reading must still read the
/// 413, not a broken pipe; so must one that asks first and one that sends chunks.
#[test]
fn oversized_bodies_get_their_413_every_time() {
    let s = Server::start(&[]);
    let url = s.url("/search/intersects");
    let huge = vec![b' '; 2 * 1024 * 1024];
    for round in 0..50 {
        let (st, body) = post(&url, &huge);
        assert_eq!(st, 413, "ureq round {round}: {body}");
        assert_eq!(body["code"], "PayloadTooLarge", "ureq round {round}");
    }
    common::oversized_posts_get_413(
        &s,
        "/search/intersects",
        "Content-Type: application/geo+json\r\n",
        2 * 1024 * 1024,
    );
    // answers given without reading the body at all reach the client too
    for round in 0..20 {
        let r = common::raw_post(
            &s.base,
            "/plans",
            "",
            2 * 1024 * 1024,
            common::BodyMode::Length,
        );
        let (st, text) = r.unwrap_or_else(|e| panic!("read-only round {round}: {e}"));
        assert_eq!(st, 405, "read-only round {round}: {text}");
    }
    let (st, _, _) = get(&s.url("/collections/projects/items?limit=1"));
    assert_eq!(st, 200);
}

/// Issue 14: items filter by the state the latest plan gives a project.
#[test]
fn items_filter_by_status() {
    let s = Server::start(&[]);
    let mut total = 0;
    for status in ["completed", "building", "planned", "operating", "unknown"] {
        let (st, v, _) = get(&s.url(&format!(
            "/collections/projects/items?status={status}&limit=10000"
        )));
        assert_eq!(st, 200, "{v}");
        let features = v["features"].as_array().unwrap();
        assert!(
            features.iter().all(|f| f["properties"]["status"] == status),
            "{status}"
        );
        total += features.len();
    }
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    assert_eq!(total as u64, all["numberMatched"].as_u64().unwrap());
    let (_, completed, _) = get(&s.url("/collections/projects/items?status=completed"));
    assert!(completed["numberMatched"].as_u64().unwrap() > 0);
    let (st, v, _) = get(&s.url("/collections/projects/items?status=finished"));
    assert_eq!((st, v["parameter"].as_str()), (400, Some("status")));
}

/// Issue 14: items filter by the years of the plans that name them (OGC `datetime`).
#[test]
fn items_filter_by_the_years_of_their_plans() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let years_of = |f: &Value| -> Vec<i64> {
        f["properties"]["plan_years"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|y| y.as_i64())
            .collect()
    };
    for (q, lo, hi) in [
        ("2021", 2021, 2021),
        ("2016-01-01/2020-12-31", 2016, 2020),
        ("../2015", i64::MIN, 2015),
        ("2021-06-01T00:00:00Z/..", 2021, i64::MAX),
    ] {
        let (st, v, _) = get(&s.url(&format!(
            "/collections/projects/items?datetime={q}&limit=10000"
        )));
        assert_eq!(st, 200, "{q}: {v}");
        let want = all["features"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| years_of(f).iter().any(|y| *y >= lo && *y <= hi))
            .count();
        assert_eq!(v["numberMatched"].as_u64().unwrap() as usize, want, "{q}");
    }
    let (_, v, _) = get(&s.url("/collections/projects/items?datetime=2021"));
    assert!(v["numberMatched"].as_u64().unwrap() > 0);
    for bad in ["last%20year", "2021/2016", "..", "2021-1-1", "20x1"] {
        let (st, v, _) = get(&s.url(&format!("/collections/projects/items?datetime={bad}")));
        assert_eq!(
            (st, v["parameter"].as_str()),
            (400, Some("datetime")),
            "{bad}"
        );
    }
}

/// Issue 13: lists carry a project's first and latest mention and the path of all of them; the
/// mentions page pages through every one, and the item still carries them all.
#[test]
fn every_mention_is_one_link_away_from_a_list() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let f = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .max_by_key(|f| f["properties"]["mention_count"].as_u64().unwrap())
        .unwrap()
        .clone();
    let id = f["id"].as_str().unwrap();
    let p = &f["properties"];
    let n = p["mention_count"].as_u64().unwrap() as usize;
    assert!(n >= 3, "the most mentioned seed project has {n} mentions");
    assert!(p["mentions"].is_null() && p["timeline"].is_null());
    let href = p["mentions_href"].as_str().unwrap();
    assert_eq!(href, format!("/collections/projects/items/{id}/mentions"));
    // paging two at a time gives exactly the item's mentions, in order
    let (_, item, _) = get(&s.url(&format!("/collections/projects/items/{id}")));
    let full = item["properties"]["mentions"].as_array().unwrap().clone();
    assert_eq!(full.len(), n);
    assert_eq!(item["properties"]["mention_count"].as_u64(), Some(n as u64));
    assert!(item["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "related" && l["href"].as_str().unwrap().ends_with(href)));
    let mut paged = Vec::new();
    let mut url = s.url(&format!("{href}?limit=2"));
    loop {
        let (st, page, _) = get(&url);
        assert_eq!(st, 200);
        assert_eq!(page["numberMatched"].as_u64(), Some(n as u64));
        paged.extend(page["mentions"].as_array().unwrap().iter().cloned());
        match page["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "next")
        {
            Some(next) => url = next["href"].as_str().unwrap().to_string(),
            None => break,
        }
    }
    assert_eq!(paged, full);
    // the list's first and latest mentions are among them
    assert!(full.contains(&p["first_mention"]) && full.contains(&p["latest_mention"]));
    // and wrong requests say what is wrong
    let (st, e, _) = get(&s.url(&format!("{href}?limit=0")));
    assert_eq!((st, e["parameter"].as_str()), (400, Some("limit")));
    let (st, e, _) = get(&s.url(&format!("{href}?page=2")));
    assert_eq!((st, e["parameter"].as_str()), (400, Some("page")));
    assert_eq!(
        get(&s.url("/collections/projects/items/nope/mentions")).0,
        404
    );
    assert_eq!(
        get(&s.url("/collections/counties/items/654201/mentions")).0,
        404
    );
    let other = if p["category"] == "airport" {
        "railway"
    } else {
        "airport"
    };
    assert_eq!(
        get(&s.url(&format!("/collections/{other}/items/{id}/mentions"))).0,
        404
    );
}

/// The source one click away (issue 16's first step): every mention served links to its line in
/// its plan's text page, where the line is addressable and the project's name is marked.
#[test]
fn every_mention_links_to_its_line_in_the_plan_text() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let text = |href: &str| -> String {
        let path = href.split('#').next().unwrap();
        let r = ureq::get(&s.url(path)).call().unwrap();
        assert!(r.content_type().starts_with("text/html"));
        r.into_string().unwrap()
    };
    let mut pages: std::collections::HashMap<String, String> = Default::default();
    for f in all["features"].as_array().unwrap().iter().step_by(17) {
        let m = &f["properties"]["first_mention"];
        let href = m["href"].as_str().unwrap();
        let doc = m["doc"].as_str().unwrap();
        let line = m["line"].as_u64().unwrap();
        assert_eq!(
            href,
            format!("/plans/{}/text#L{line}", doc.trim_end_matches(".txt"))
        );
        let path = href.split('#').next().unwrap().to_string();
        let page = pages.entry(path).or_insert_with(|| text(href));
        // the line is there, and the project's name on it is marked
        let row_start = page.find(&format!("<tr id=\"L{line}\"")).unwrap();
        let row = &page[row_start..row_start + page[row_start..].find("</tr>").unwrap()];
        let name = f["properties"]["name"].as_str().unwrap();
        assert!(row.contains("<mark>"), "line {line} of {doc} marks nothing");
        assert!(
            row.contains(&format!(
                "href=\"/collections/projects/items/{}\"",
                f["id"].as_str().unwrap()
            )),
            "{name}: not in the margin of line {line}"
        );
    }
    assert!(pages.len() >= 3);
    // the item's mentions carry it too
    let id = all["features"][0]["id"].as_str().unwrap();
    let (_, item, _) = get(&s.url(&format!("/collections/projects/items/{id}")));
    assert!(item["properties"]["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .all(|m| m["href"].as_str().unwrap().contains("/text#L")));
    let r = ureq::get(&s.url("/plans/no-such-plan/text")).call();
    assert!(matches!(r, Err(ureq::Error::Status(404, _))));
    let r = ureq::get(&s.url("/plans/..%2F..%2Fetc/text")).call();
    assert!(matches!(r, Err(ureq::Error::Status(404, _))));
}

#[test]
fn properties_selects_what_a_page_carries() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    // every served property is one `properties=` may name, and each is served somewhere
    let mut served = BTreeSet::new();
    for f in all["features"].as_array().unwrap() {
        served.extend(f["properties"].as_object().unwrap().keys().cloned());
    }
    let known: BTreeSet<String> = planmap::feature::LISTED_PROPERTIES
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert!(served.is_subset(&known), "{:?}", served.difference(&known));
    for must in ["name", "status", "county_codes", "first_mention"] {
        assert!(served.contains(must), "{must}");
    }

    let (st, some, _) = get(
        &s.url("/collections/projects/items?limit=10000&properties=status,name&category=airport")
    );
    assert_eq!(st, 200);
    let (_, airports, _) = get(&s.url("/collections/projects/items?limit=10000&category=airport"));
    assert_eq!(
        ids(&some),
        ids(&airports),
        "the same features, in the same order"
    );
    assert_eq!(some["numberMatched"], airports["numberMatched"]);
    for (a, b) in some["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(airports["features"].as_array().unwrap())
    {
        assert_eq!(a["geometry"], b["geometry"]);
        let keys: Vec<&String> = a["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        assert_eq!(a["properties"]["name"], b["properties"]["name"]);
        assert_eq!(a["properties"]["status"], b["properties"]["status"]);
    }
    // the selection is kept in the paging links
    let (_, paged, _) = get(&s.url("/collections/projects/items?limit=5&properties=name"));
    let next = paged["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .unwrap()["href"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(next.contains("properties=name"), "{next}");
    let (_, none, _) = get(&s.url("/collections/counties/items?limit=3&properties="));
    assert!(none["features"][0]["properties"]
        .as_object()
        .unwrap()
        .is_empty());
    let (_, codes, _) =
        get(&s.url("/collections/counties/items?limit=3&properties=code,project_count"));
    assert_eq!(
        codes["features"][0]["properties"]
            .as_object()
            .unwrap()
            .len(),
        2
    );

    let (st, err, _) = get(&s.url("/collections/projects/items?properties=name,secret"));
    assert_eq!(st, 400);
    assert_eq!(err["parameter"], "properties");
    assert!(err["description"].as_str().unwrap().contains("secret"));
    let (st, _, _) = get(&s.url("/collections/counties/items?properties=status"));
    assert_eq!(st, 400);
}

#[test]
fn the_gazetteer_places_are_a_collection() {
    let s = Server::start(&[]);
    let (st, all, _) = get(&s.url("/collections/places/items?limit=1000"));
    assert_eq!(st, 200);
    let gaz = Gazetteer::embedded().unwrap();
    let with_coord = gaz.places().iter().filter(|p| p.coord.is_some()).count();
    assert_eq!(all["numberMatched"], with_coord);
    let features = all["features"].as_array().unwrap();
    assert_eq!(features.len(), with_coord);
    let port = features
        .iter()
        .find(|f| f["properties"]["name"] == "巴克图口岸")
        .expect("巴克图口岸 is a place");
    assert_eq!(port["properties"]["kind"], "port");
    assert_eq!(port["properties"]["county_codes"], json!(["654201"]));
    // one by id, and by box: the port is in a box around it and not in one beside it
    let id = port["id"].as_str().unwrap();
    let (st, one, _) = get(&s.url(&format!("/collections/places/items/{id}")));
    assert_eq!(st, 200);
    assert_eq!(one["geometry"], port["geometry"]);
    let [lon, lat] = [
        port["geometry"]["coordinates"][0].as_f64().unwrap(),
        port["geometry"]["coordinates"][1].as_f64().unwrap(),
    ];
    let (_, near, _) = get(&s.url(&format!(
        "/collections/places/items?bbox={},{},{},{}",
        lon - 0.1,
        lat - 0.1,
        lon + 0.1,
        lat + 0.1
    )));
    assert!(ids(&near).contains(&id.to_string()));
    let (_, beside, _) = get(&s.url(&format!(
        "/collections/places/items?bbox={},{},{},{}",
        lon + 0.2,
        lat - 0.1,
        lon + 0.4,
        lat + 0.1
    )));
    assert!(!ids(&beside).contains(&id.to_string()));
    let (_, airports, _) = get(&s.url("/collections/places/items?q=机场&properties=kind"));
    assert!(airports["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"] == json!({"kind": "airport"})));
    let (st, _, _) = get(&s.url("/collections/places/items/nowhere"));
    assert_eq!(st, 404);
    let (st, _, _) = get(&s.url(&format!("/collections/places/items/{id}/mentions")));
    assert_eq!(st, 404);
}

/// Issue 15 (in part): sortby orders as a sort of every feature by hand does.
#[test]
fn sortby_orders_as_a_sort_by_hand() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let features = all["features"].as_array().unwrap().clone();
    // by hand: plan_count descending, then name ascending (code point), then the served order
    let mut want: Vec<(i64, String, usize)> = features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                -f["properties"]["plan_count"].as_i64().unwrap(),
                f["properties"]["name"].as_str().unwrap().to_string(),
                i,
            )
        })
        .collect();
    want.sort();
    let want: Vec<String> = want
        .iter()
        .map(|(_, _, i)| features[*i]["id"].as_str().unwrap().to_string())
        .collect();
    let (st, sorted, _) =
        get(&s.url("/collections/projects/items?limit=10000&sortby=-plan_count,%2Bname"));
    assert_eq!(st, 200);
    assert_eq!(ids(&sorted), want);
    // paging walks the same order
    let (_, second, _) =
        get(&s.url("/collections/projects/items?limit=50&offset=50&sortby=-plan_count,name"));
    assert_eq!(ids(&second), want[50..100].to_vec());
    // a missing value sorts last either way (the seeds state no project's investment: a plan
    // that does is added)
    let dir = std::env::temp_dir().join(format!("planmap-sortby-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let w = Server::start(&["--data", dir.to_str().unwrap(), "--token", "t"]);
    let plan = "某县规划\n新建阿克达拉水库，总投资12亿元。\n新建托浪格水库，总投资3亿元。\n新建吐尔洪水库，总投资7.5亿元。\n";
    let r = ureq::post(&w.url("/plans"))
        .set("Authorization", "Bearer t")
        .set("Content-Type", "text/plain; charset=utf-8")
        .send_string(plan)
        .unwrap();
    assert_eq!(r.status(), 201);
    for dir in ["", "-"] {
        let (_, inv, _) = get(&w.url(&format!(
            "/collections/projects/items?limit=10000&sortby={dir}investment_yi"
        )));
        let vals: Vec<Option<f64>> = inv["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["investment_yi"].as_f64())
            .collect();
        let stated: Vec<f64> = vals.iter().flatten().copied().collect();
        assert!(stated.len() >= 3, "{stated:?}");
        assert!(
            vals[..stated.len()].iter().all(Option::is_some),
            "nulls last"
        );
        let ordered = stated.windows(2).all(|w| {
            if dir.is_empty() {
                w[0] <= w[1]
            } else {
                w[0] >= w[1]
            }
        });
        assert!(ordered, "{dir}investment_yi: {stated:?}");
    }
    drop(w);
    let _ = std::fs::remove_dir_all(&dir);
    // counties by their project count
    let (_, counties, _) =
        get(&s.url("/collections/counties/items?limit=1000&sortby=-project_count,code"));
    let counts: Vec<i64> = counties["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["project_count"].as_i64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    let (st, err, _) = get(&s.url("/collections/projects/items?sortby=quote"));
    assert_eq!(st, 400);
    assert_eq!(err["parameter"], "sortby");
    let (st, _, _) = get(&s.url("/collections/counties/items?sortby=plan_count"));
    assert_eq!(st, 400);
}

/// Issue 15 (in part): items as CSV, one row a feature with its geometry as WKT, which GDAL
/// reads back with the full count.
#[test]
fn items_come_as_csv_that_gdal_reads() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let n = all["numberMatched"].as_u64().unwrap() as usize;
    let resp = ureq::get(&s.url("/collections/projects/items?limit=10000&f=csv"))
        .call()
        .unwrap();
    assert!(resp.content_type().starts_with("text/csv"));
    assert_eq!(
        resp.header("ogc-numbermatched"),
        Some(n.to_string().as_str())
    );
    let text = resp.into_string().unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(head.first().map(String::as_str), Some("id"));
    assert_eq!(head.last().map(String::as_str), Some("WKT"));
    assert!(head.iter().any(|h| h == "county_codes") && head.iter().any(|h| h == "status"));
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), n);
    for (r, f) in records.iter().zip(all["features"].as_array().unwrap()) {
        assert_eq!(&r[0], f["id"].as_str().unwrap());
        let wkt = &r[head.len() - 1];
        match f["geometry"]["type"].as_str() {
            None => assert!(wkt.is_empty(), "{wkt}"),
            Some(t) => assert!(wkt.starts_with(&t.to_uppercase()), "{t}: {wkt}"),
        }
        let codes: Vec<&str> = f["properties"]["county_codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        let at = head.iter().position(|h| h == "county_codes").unwrap();
        assert_eq!(&r[at], codes.join(";"));
    }
    // the collection advertises it
    let (_, col, _) = get(&s.url("/collections/projects"));
    assert!(col["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["rel"] == "items" && l["type"] == "text/csv"));
    // properties= picks the columns; paging goes in the Link header
    let resp =
        ureq::get(&s.url("/collections/projects/items?limit=10&f=csv&properties=name,status"))
            .call()
            .unwrap();
    let link = resp.header("link").unwrap_or("").to_string();
    assert!(
        link.contains("rel=\"next\"") && link.contains("f=csv"),
        "{link}"
    );
    let text = resp.into_string().unwrap();
    assert_eq!(text.lines().next(), Some("id,name,status,WKT"));
    assert_eq!(text.lines().count(), 11);

    // GDAL's CSV driver reads the geometry from the WKT column, every row
    let file = std::env::temp_dir().join(format!("planmap-items-{}.csv", std::process::id()));
    let body = ureq::get(&s.url("/collections/projects/items?limit=10000&f=csv"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    std::fs::write(&file, body).unwrap();
    let out = std::process::Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", file.to_str().unwrap()])
        .output()
        .expect("ogrinfo (gdal-bin) runs");
    let info = String::from_utf8_lossy(&out.stdout);
    let _ = std::fs::remove_file(&file);
    assert!(info.contains(&format!("Feature Count: {n}")), "{info}");
    let located = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .count();
    assert!(located > 0 && info.contains("Geometry:"), "{info}");
}

/// Issue 15 (in part): items as FlatGeobuf with its spatial index, which GDAL reads: every
/// located feature, and a box through the index finds what the server's bbox query finds.
#[test]
fn items_come_as_flatgeobuf_with_an_index_gdal_uses() {
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let located = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .count();
    let resp = ureq::get(&s.url("/collections/projects/items?limit=10000&f=fgb"))
        .call()
        .unwrap();
    assert_eq!(resp.content_type(), "application/flatgeobuf");
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
    assert_eq!(&bytes[..3], b"fgb");
    let file = std::env::temp_dir().join(format!("planmap-items-{}.fgb", std::process::id()));
    std::fs::write(&file, &bytes).unwrap();
    let ogrinfo = |extra: &[&str]| {
        let out = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al"])
            .args(extra)
            .arg(&file)
            .output()
            .expect("ogrinfo (gdal-bin) runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let summary = ogrinfo(&["-so"]);
    assert!(
        summary.contains(&format!("Feature Count: {located}")),
        "{summary}"
    );
    assert!(
        summary.contains("EPSG\",4326") || summary.contains("WGS 84"),
        "{summary}"
    );
    assert!(
        summary.contains("name: String") && summary.contains("plan_count: Real"),
        "{summary}"
    );
    // 塔城 through the index, against the server's own bbox answer
    let (_, boxed, _) =
        get(&s.url("/collections/projects/items?limit=10000&bbox=82.5,46.4,83.7,47.3"));
    let want: BTreeSet<String> = ids(&boxed).into_iter().collect();
    let listed = ogrinfo(&["-spat", "82.5", "46.4", "83.7", "47.3"]);
    let got: BTreeSet<String> = listed
        .lines()
        .filter_map(|l| l.trim().strip_prefix("id (String) = "))
        .map(str::to_string)
        .collect();
    let _ = std::fs::remove_file(&file);
    assert!(!want.is_empty());
    // GDAL's box test is by envelope: it may add lines passing near the box, never miss one
    assert!(want.is_subset(&got), "missing: {:?}", want.difference(&got));
    let (_, projects, _) = get(&s.url("/collections/projects"));
    assert!(projects["links"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l["type"] == "application/flatgeobuf"));
}

/// Issue 15: every format pages the same way. CSV and FlatGeobuf have no room for links, so the
/// count and the next and previous pages travel in `OGC-NumberMatched` and `Link` headers; a
/// client following them reads every feature once (FlatGeobuf: every located one).
#[test]
fn csv_and_flatgeobuf_page_through_link_headers() {
    use flatgeobuf::{FallibleStreamingIterator, FeatureProperties, FgbReader};
    let s = Server::start(&[]);
    let (_, all, _) = get(&s.url("/collections/projects/items?limit=10000"));
    let every: Vec<String> = ids(&all);
    let located: BTreeSet<String> = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["geometry"].is_null())
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let next_of = |link: Option<&str>| -> Option<String> {
        link?.split(", ").find_map(|part| {
            let (url, rel) = part.split_once("; ")?;
            (rel == "rel=\"next\"").then(|| url.trim_matches(['<', '>']).to_string())
        })
    };
    for f in ["csv", "fgb"] {
        let mut url = s.url(&format!("/collections/projects/items?limit=60&f={f}"));
        let mut seen: Vec<String> = Vec::new();
        let mut pages = 0;
        loop {
            let resp = ureq::get(&url).call().unwrap();
            assert_eq!(
                resp.header("ogc-numbermatched"),
                Some(every.len().to_string().as_str())
            );
            let next = next_of(resp.header("link"));
            if pages > 0 {
                assert!(resp.header("link").unwrap().contains("rel=\"prev\""));
            }
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
            if f == "csv" {
                let mut rows = csv::Reader::from_reader(&bytes[..]);
                seen.extend(rows.records().map(|r| r.unwrap()[0].to_string()));
            } else {
                let mut cursor = std::io::Cursor::new(bytes);
                let mut features = FgbReader::open(&mut cursor).unwrap().select_all().unwrap();
                while let Some(feature) = features.next().unwrap() {
                    seen.push(feature.property::<String>("id").unwrap());
                }
            }
            pages += 1;
            match next {
                Some(n) => {
                    assert!(n.contains(&format!("f={f}")), "{n}");
                    url = n;
                }
                None => break,
            }
        }
        assert!(pages > 2, "{f}: {pages} pages");
        if f == "csv" {
            assert_eq!(seen, every);
        } else {
            assert_eq!(seen.len(), located.len());
            assert_eq!(seen.into_iter().collect::<BTreeSet<_>>(), located);
        }
    }
}
