//! Issue 15: CQL2 filtering (OGC API – Features Part 3) on the real server. Every operator is
//! checked against the same question answered by hand over the features the server lists
//! unfiltered; malformed filters get a 400 that says where; GDAL's OAPIF driver sends its
//! `-where` to the server and gets the features the filter gives.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Command;

use common::{get, Server};
use geo::{Intersects, Relate};
use serde_json::{json, Value};

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The ids a filter selects, every page of them.
fn filtered(s: &Server, collection: &str, filter: &str, lang: &str) -> BTreeSet<String> {
    let url = s.url(&format!(
        "/collections/{collection}/items?limit=10000&filter-lang={lang}&filter={}",
        enc(filter)
    ));
    let (st, body, _) = get(&url);
    assert_eq!(st, 200, "{filter}: {body}");
    let out: BTreeSet<String> = common::ids(&body).into_iter().collect();
    assert_eq!(body["numberMatched"], json!(out.len()), "{filter}");
    out
}

fn all(s: &Server, collection: &str) -> Vec<Value> {
    let (_, body, _) = get(&s.url(&format!("/collections/{collection}/items?limit=10000")));
    body["features"].as_array().unwrap().clone()
}

fn by_hand(features: &[Value], keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    features
        .iter()
        .filter(|f| keep(&f["properties"]))
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn geometry(f: &Value) -> Option<geo::Geometry<f64>> {
    let g: geojson::Geometry = serde_json::from_value(f["geometry"].clone()).ok()?;
    geo::Geometry::try_from(g).ok()
}

fn texts(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn years(p: &Value) -> Vec<i64> {
    p["plan_years"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

#[test]
fn every_operator_selects_what_a_scan_by_hand_selects() {
    let s = Server::start(&[]);
    let features = all(&s, "projects");
    assert!(features.len() > 300, "{}", features.len());
    let str_of = |p: &Value, k: &str| p[k].as_str().map(String::from);
    let num = |p: &Value, k: &str| p[k].as_f64();
    // (filter, the same question by hand); each must select something and not everything
    type Check = Box<dyn Fn(&Value) -> bool>;
    let cases: Vec<(&str, Check)> = vec![
        (
            "status = 'building'",
            Box::new(move |p| str_of(p, "status").as_deref() == Some("building")),
        ),
        (
            "status <> 'planned'",
            Box::new(move |p| str_of(p, "status").as_deref() != Some("planned")),
        ),
        (
            "mention_count > 2",
            Box::new(move |p| num(p, "mention_count").unwrap() > 2.0),
        ),
        (
            "mention_count >= 2",
            Box::new(move |p| num(p, "mention_count").unwrap() >= 2.0),
        ),
        (
            "mention_count < 2",
            Box::new(move |p| num(p, "mention_count").unwrap() < 2.0),
        ),
        (
            "confidence <= 0.6",
            Box::new(move |p| num(p, "confidence").unwrap() <= 0.6),
        ),
        (
            "name > 'G'",
            Box::new(move |p| str_of(p, "name").unwrap().as_str() > "G"),
        ),
        (
            "name LIKE '%铁路'",
            Box::new(move |p| str_of(p, "name").unwrap().ends_with("铁路")),
        ),
        (
            "name LIKE '塔城%'",
            Box::new(move |p| str_of(p, "name").unwrap().starts_with("塔城")),
        ),
        (
            "name LIKE '__机场'",
            Box::new(move |p| {
                let n = str_of(p, "name").unwrap();
                n.chars().count() == 4 && n.ends_with("机场")
            }),
        ),
        (
            "CASEI(name) LIKE CASEI('%g30%')",
            Box::new(move |p| str_of(p, "name").unwrap().to_lowercase().contains("g30")),
        ),
        (
            "CASEI(name) = CASEI('g217线')",
            Box::new(move |p| str_of(p, "name").unwrap().to_lowercase() == "g217线"),
        ),
        (
            "category IN ('railway', 'airport')",
            Box::new(move |p| {
                matches!(
                    str_of(p, "category").as_deref(),
                    Some("railway" | "airport")
                )
            }),
        ),
        (
            "category NOT IN ('railway', 'airport')",
            Box::new(move |p| {
                !matches!(
                    str_of(p, "category").as_deref(),
                    Some("railway" | "airport")
                )
            }),
        ),
        (
            "confidence BETWEEN 0.5 AND 0.8",
            Box::new(move |p| (0.5..=0.8).contains(&num(p, "confidence").unwrap())),
        ),
        (
            "prefecture_code IS NULL",
            Box::new(move |p| p["prefecture_code"].is_null()),
        ),
        (
            "prefecture_code IS NOT NULL",
            Box::new(move |p| !p["prefecture_code"].is_null()),
        ),
        (
            "NOT (status = 'planned' OR category = 'highway')",
            Box::new(move |p| {
                !(str_of(p, "status").as_deref() == Some("planned")
                    || str_of(p, "category").as_deref() == Some("highway"))
            }),
        ),
        (
            "status = 'planned' AND (category = 'park' OR mention_count > 1)",
            Box::new(move |p| {
                str_of(p, "status").as_deref() == Some("planned")
                    && (str_of(p, "category").as_deref() == Some("park")
                        || num(p, "mention_count").unwrap() > 1.0)
            }),
        ),
        // property against property
        (
            "mention_count > plan_count",
            Box::new(move |p| num(p, "mention_count").unwrap() > num(p, "plan_count").unwrap()),
        ),
        (
            "A_CONTAINS(county_codes, ('654201'))",
            Box::new(move |p| texts(&p["county_codes"]).contains(&"654201".to_string())),
        ),
        (
            "A_OVERLAPS(county_codes, ('654201', '650102'))",
            Box::new(move |p| {
                texts(&p["county_codes"])
                    .iter()
                    .any(|c| c == "654201" || c == "650102")
            }),
        ),
        (
            "A_CONTAINEDBY(county_codes, ('654201', '654202', '654221'))",
            Box::new(move |p| {
                texts(&p["county_codes"])
                    .iter()
                    .all(|c| ["654201", "654202", "654221"].contains(&c.as_str()))
            }),
        ),
        (
            "A_EQUALS(county_codes, ('654201'))",
            Box::new(move |p| texts(&p["county_codes"]) == vec!["654201".to_string()]),
        ),
        (
            "A_CONTAINS(plan_years, (2016))",
            Box::new(move |p| years(p).contains(&2016)),
        ),
        // plan_period runs from 1 January of the first plan's year to 31 December of the latest's
        (
            "T_INTERSECTS(plan_period, INTERVAL('2016-06-01', '2017-01-01'))",
            Box::new(move |p| {
                let y = years(p);
                !y.is_empty() && y[0] <= 2017 && *y.last().unwrap() >= 2016
            }),
        ),
        (
            // ends by 31 December 2016: a day between it and 1 January 2018
            "T_BEFORE(plan_period, DATE('2018-01-01'))",
            Box::new(move |p| years(p).last().is_some_and(|&l| l <= 2016)),
        ),
        (
            // starts after 2 January 2019, the day after the timestamp's
            "T_AFTER(plan_period, TIMESTAMP('2019-01-01T12:00:00Z'))",
            Box::new(move |p| years(p).first().is_some_and(|&f| f >= 2020)),
        ),
        (
            "T_DURING(plan_period, INTERVAL('2015-06-01', '..'))",
            Box::new(move |p| years(p).first().is_some_and(|&f| f >= 2016)),
        ),
        (
            "T_EQUALS(plan_period, INTERVAL('2016-01-01', '2016-12-31'))",
            Box::new(move |p| years(p) == vec![2016]),
        ),
        (
            "T_CONTAINS(plan_period, DATE('2018-07-01'))",
            Box::new(move |p| {
                let y = years(p);
                !y.is_empty() && y[0] <= 2018 && *y.last().unwrap() >= 2018
            }),
        ),
    ];
    for (filter, keep) in &cases {
        let want = by_hand(&features, keep);
        let got = filtered(&s, "projects", filter, "cql2-text");
        assert_eq!(
            got,
            want,
            "{filter}: extra {:?}, missing {:?}",
            got.difference(&want).take(5).collect::<Vec<_>>(),
            want.difference(&got).take(5).collect::<Vec<_>>()
        );
        assert!(
            !got.is_empty() && got.len() < features.len(),
            "{filter} selects {} of {}",
            got.len(),
            features.len()
        );
    }
}

#[test]
fn spatial_operators_agree_with_geometry_tested_by_hand() {
    let s = Server::start(&[]);
    let features = all(&s, "projects");
    let tacheng = "POLYGON((82.5 46.4, 83.7 46.4, 83.7 47.3, 82.5 47.3, 82.5 46.4))";
    let tacheng_g: geo::Geometry<f64> = geo::Rect::new((82.5, 46.4), (83.7, 47.3))
        .to_polygon()
        .into();
    // a line across the railways and roads north of Urumqi
    let line = "LINESTRING(86.0 44.0, 88.5 44.6)";
    let line_g: geo::Geometry<f64> = geo::LineString::from(vec![(86.0, 44.0), (88.5, 44.6)]).into();
    let seat = geo::Geometry::Point(geo::Point::new(82.98, 46.75));
    // where a project placed at a point stands
    let (px, py) = features
        .iter()
        .find_map(|f| match geometry(f)? {
            geo::Geometry::Point(p) => Some((p.x(), p.y())),
            _ => None,
        })
        .unwrap();
    let at = geo::Geometry::Point(geo::Point::new(px, py));
    let located: Vec<(String, geo::Geometry<f64>)> = features
        .iter()
        .filter_map(|f| Some((f["id"].as_str()?.to_string(), geometry(f)?)))
        .collect();
    let hand = |keep: &dyn Fn(&geo::Geometry<f64>) -> bool| -> BTreeSet<String> {
        located
            .iter()
            .filter(|(_, g)| keep(g))
            .map(|(id, _)| id.clone())
            .collect()
    };
    let cases: Vec<(String, BTreeSet<String>)> = vec![
        (format!("S_INTERSECTS(geometry, {tacheng})"), hand(&|g| g.intersects(&tacheng_g))),
        ("S_INTERSECTS(geometry, BBOX(82.5, 46.4, 83.7, 47.3))".into(), hand(&|g| g.intersects(&tacheng_g))),
        (format!("S_WITHIN(geometry, {tacheng})"), hand(&|g| g.relate(&tacheng_g).is_within())),
        // the literal first: the polygon contains the feature, the same as the feature within it
        (format!("S_CONTAINS({tacheng}, geometry)"), hand(&|g| g.relate(&tacheng_g).is_within())),
        (format!("S_DISJOINT(geometry, {tacheng})"), hand(&|g| !g.intersects(&tacheng_g))),
        (format!("S_CROSSES(geometry, {line})"), hand(&|g| g.relate(&line_g).is_crosses())),
        (format!("S_INTERSECTS(geometry, {line})"), hand(&|g| g.intersects(&line_g))),
        (format!("S_INTERSECTS(geometry, POINT({px} {py}))"), hand(&|g| g.intersects(&at))),
        // an OR of two boxes: the R-tree is asked for the box around both
        (
            "S_INTERSECTS(geometry, BBOX(82.5,46.4,83.7,47.3)) OR S_INTERSECTS(geometry, BBOX(87,43.5,88,44.2))".into(),
            hand(&|g| g.intersects(&tacheng_g) || g.intersects(&geo::Geometry::from(geo::Rect::new((87.0, 43.5), (88.0, 44.2)).to_polygon()))),
        ),
    ];
    for (filter, want) in &cases {
        let got = filtered(&s, "projects", filter, "cql2-text");
        assert_eq!(
            &got,
            want,
            "{filter}: extra {:?}, missing {:?}",
            got.difference(want).take(5).collect::<Vec<_>>(),
            want.difference(&got).take(5).collect::<Vec<_>>()
        );
        assert!(!got.is_empty(), "{filter} selects nothing");
    }
    // S_CONTAINS with the feature first: lines and polygons holding the seat of 塔城
    let contains = filtered(
        &s,
        "projects",
        "S_CONTAINS(geometry, POINT(82.98 46.75))",
        "cql2-text",
    );
    assert_eq!(contains, hand(&|g| g.relate(&seat).is_contains()));
    // with bbox and the category collection, a filter narrows further
    let (_, boxed, _) = get(&s.url(&format!(
        "/collections/railway/items?limit=10000&bbox=82.5,46.4,83.7,47.3&filter={}",
        enc("status <> 'completed'")
    )));
    let want: BTreeSet<String> = features
        .iter()
        .filter(|f| {
            f["properties"]["category"] == "railway" && f["properties"]["status"] != "completed"
        })
        .filter(|f| geometry(f).is_some_and(|g| g.intersects(&tacheng_g)))
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    let got: BTreeSet<String> = common::ids(&boxed).into_iter().collect();
    assert_eq!(got, want);
}

#[test]
fn cql2_json_means_what_cql2_text_means() {
    let s = Server::start(&[]);
    let pairs = [
        (
            "status = 'building' AND category = 'railway'",
            json!({"op": "and", "args": [
                {"op": "=", "args": [{"property": "status"}, "building"]},
                {"op": "=", "args": [{"property": "category"}, "railway"]}]}),
        ),
        (
            "S_INTERSECTS(geometry, POLYGON((82.5 46.4, 83.7 46.4, 83.7 47.3, 82.5 47.3, 82.5 46.4)))",
            json!({"op": "s_intersects", "args": [{"property": "geometry"},
                {"type": "Polygon", "coordinates": [[[82.5, 46.4], [83.7, 46.4], [83.7, 47.3], [82.5, 47.3], [82.5, 46.4]]]}]}),
        ),
        (
            "T_INTERSECTS(plan_period, INTERVAL('2016-01-01', '2016-12-31'))",
            json!({"op": "t_intersects", "args": [{"property": "plan_period"}, {"interval": ["2016-01-01", "2016-12-31"]}]}),
        ),
        (
            "name LIKE '%机场%' OR A_CONTAINS(county_codes, ('654201'))",
            json!({"op": "or", "args": [
                {"op": "like", "args": [{"property": "name"}, "%机场%"]},
                {"op": "a_contains", "args": [{"property": "county_codes"}, ["654201"]]}]}),
        ),
    ];
    for (text, j) in pairs {
        let a = filtered(&s, "projects", text, "cql2-text");
        let b = filtered(&s, "projects", &j.to_string(), "cql2-json");
        assert!(!a.is_empty(), "{text}");
        assert_eq!(a, b, "{text}");
    }
    // the draft's name for cql2-text, which GDAL before 3.7 sends
    assert_eq!(
        filtered(&s, "projects", "status = 'building'", "cql-text"),
        filtered(&s, "projects", "status = 'building'", "cql2-text")
    );
}

#[test]
fn reference_layers_filter_too() {
    let s = Server::start(&[]);
    let counties = filtered(
        &s,
        "counties",
        "S_INTERSECTS(geometry, POINT(82.98 46.75))",
        "cql2-text",
    );
    assert_eq!(counties, BTreeSet::from(["654201".to_string()]));
    let busy = filtered(
        &s,
        "counties",
        "project_count >= 10 AND name LIKE '%市'",
        "cql2-text",
    );
    let want = by_hand(&all(&s, "counties"), |p| {
        p["project_count"].as_u64().unwrap() >= 10 && p["name"].as_str().unwrap().ends_with('市')
    });
    assert_eq!(busy, want);
    assert!(!busy.is_empty());
    let places = all(&s, "places");
    let ports = filtered(
        &s,
        "places",
        "kind = 'port' AND A_CONTAINS(county_codes, ('654201'))",
        "cql2-text",
    );
    let want = by_hand(&places, |p| {
        p["kind"] == "port" && texts(&p["county_codes"]).contains(&"654201".to_string())
    });
    assert_eq!(ports, want);
    assert!(!ports.is_empty());
    let airports = filtered(&s, "places", "iata IS NOT NULL", "cql2-text");
    assert_eq!(airports, by_hand(&places, |p| !p["iata"].is_null()));
}

#[test]
fn malformed_filters_get_a_400_that_says_where() {
    let s = Server::start(&[]);
    let bad = |q: &str| {
        let (st, body, _) = get(&s.url(&format!("/collections/projects/items?{q}")));
        assert_eq!(st, 400, "{q}: {body}");
        body
    };
    let f = |filter: &str| format!("filter={}", enc(filter));
    let e = bad(&f("status = 'building' AND"));
    assert_eq!(e["parameter"], "filter");
    let d = e["description"].as_str().unwrap();
    assert!(d.contains("line 1, column 24"), "{d}");
    let e = bad(&f("status = = 'x'"));
    assert!(
        e["description"].as_str().unwrap().contains("column 10"),
        "{e}"
    );
    // cql2-json: serde's line and column
    let e = bad(&format!(
        "filter-lang=cql2-json&{}",
        f("{\"op\": \"=\", \"args\": [")
    ));
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("line 1, column"),
        "{e}"
    );
    for (filter, says) in [
        ("bogus = 1", "no queryable \"bogus\""),
        ("status = 5", "compares text with a number"),
        ("mention_count + 1 > 2", "arithmetic"),
        ("county_codes = '654201'", "is a list"),
        ("S_INTERSECTS(status, POINT(1 2))", "not a geometry"),
        ("S_INTERSECTS(geometry, POINT(500 2))", "WGS 84"),
        ("T_BEFORE(plan_period, DATE('2016-02-30'))", "DATE"),
        ("ACCENTI(name) = ACCENTI('x')", "not supported"),
        ("'a'", "must be a predicate"),
    ] {
        let e = bad(&f(filter));
        assert_eq!(e["parameter"], "filter", "{filter}");
        let d = e["description"].as_str().unwrap();
        assert!(d.contains(says), "{filter}: {d}");
    }
    // deep nesting is parsed on a stack made for it, or refused; never a crashed server
    let deep = format!("{}status = 'x'{}", "(".repeat(2000), ")".repeat(2000));
    let (st, _, _) = get(&s.url(&format!("/collections/projects/items?{}", f(&deep))));
    assert!(st == 200 || st == 400, "{st}");
    // the grammar backtracks at every parenthesis of a filter that fails inside them: depth is
    // checked before parsing, so this is a quick 400, not seconds of work
    let failing = format!("{}status = 'a' AND", "(".repeat(40));
    let e = bad(&f(&failing));
    assert!(
        e["description"]
            .as_str()
            .unwrap()
            .contains("parentheses nested"),
        "{e}"
    );
    let polygon =
        "S_INTERSECTS(geometry, MULTIPOLYGON(((82.5 46.4, 83.7 46.4, 83.7 47.3, 82.5 46.4))))";
    let grouped = format!("(status = 'building' OR (NOT ({polygon})))");
    assert_eq!(
        get(&s.url(&format!("/collections/projects/items?{}", f(&grouped)))).0,
        200
    );
    let nots = format!("{}status = 'x'", "NOT ".repeat(1000));
    assert!(bad(&f(&nots))["description"]
        .as_str()
        .unwrap()
        .contains("nested deeper"));
    let long = format!("name = '{}'", "a".repeat(4100));
    assert!(bad(&f(&long))["description"]
        .as_str()
        .unwrap()
        .contains("longer than"));
    let e = bad("filter-lang=ecql&filter=x%3D1");
    assert_eq!(e["parameter"], "filter-lang");
    let e = bad("filter-crs=EPSG:4326&filter=status%3D%27x%27");
    assert_eq!(e["parameter"], "filter-crs");
    // and the server still answers
    assert_eq!(get(&s.url("/collections/projects/items?limit=1")).0, 200);
}

#[test]
fn queryables_describe_what_a_filter_may_name() {
    let s = Server::start(&[]);
    for (collection, names) in [
        (
            "projects",
            &[
                "name",
                "category",
                "status",
                "county_codes",
                "plan_period",
                "geometry",
            ][..],
        ),
        ("railway", &["name", "status", "geometry"][..]),
        (
            "counties",
            &["code", "name", "project_count", "geometry"][..],
        ),
        ("places", &["name", "kind", "iata", "geometry"][..]),
    ] {
        let (st, q, ctype) = get(&s.url(&format!("/collections/{collection}/queryables")));
        assert_eq!(st, 200);
        assert_eq!(ctype, "application/schema+json");
        assert_eq!(q["type"], "object");
        assert!(q["$id"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/collections/{collection}/queryables")));
        for n in names {
            assert!(q["properties"][n].is_object(), "{collection}: {n}");
        }
        assert_eq!(q["properties"]["geometry"]["format"], "geometry-any");
        // each queryable named in a filter is accepted
        for n in q["properties"].as_object().unwrap().keys() {
            let filter = format!("{n} IS NULL");
            let (st, body, _) = get(&s.url(&format!(
                "/collections/{collection}/items?limit=1&filter={}",
                enc(&filter)
            )));
            assert_eq!(st, 200, "{collection} {filter}: {body}");
        }
        let (_, c, _) = get(&s.url(&format!("/collections/{collection}")));
        assert!(c["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/queryables"));
    }
    let (_, q, _) = get(&s.url("/collections/projects/queryables"));
    assert!(q["properties"]["status"]["enum"]
        .as_array()
        .unwrap()
        .contains(&json!("building")));
    let (_, conf, _) = get(&s.url("/conformance"));
    let conf = conf["conformsTo"].as_array().unwrap();
    for c in [
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
        "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
        "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
        "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    ] {
        assert!(conf.contains(&json!(c)), "{c}");
    }
    assert!(!conf.iter().any(|c| c
        .as_str()
        .unwrap()
        .ends_with("accent-insensitive-comparison")));
    assert!(!conf
        .iter()
        .any(|c| c.as_str().unwrap().ends_with("/arithmetic")));
}

#[test]
fn paging_keeps_the_filter() {
    let s = Server::start(&[]);
    let filter = "status = 'planned'";
    let want = filtered(&s, "projects", filter, "cql2-text");
    let mut got = BTreeSet::new();
    let mut url = s.url(&format!(
        "/collections/projects/items?limit=40&filter={}",
        enc(filter)
    ));
    let mut pages = 0;
    loop {
        let (_, page, _) = get(&url);
        assert_eq!(page["numberMatched"], json!(want.len()));
        for f in page["features"].as_array().unwrap() {
            got.insert(f["id"].as_str().unwrap().to_string());
        }
        pages += 1;
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
    assert!(pages > 1);
    assert_eq!(got, want);
}

/// GDAL's OAPIF driver reads the filter languages from the OpenAPI document and sends an
/// `ogr2ogr -where` on queryable properties to the server as a filter; what it writes is what
/// the filter selects.
#[test]
fn gdal_sends_its_where_to_the_server() {
    let log = std::env::temp_dir().join(format!("planmap-filter-{}.log", std::process::id()));
    let s = Server::start_logging(&[], std::fs::File::create(&log).unwrap());
    let base = s.base.clone();
    for (filter, where_) in [
        (
            "status = 'building' AND category = 'railway'",
            "status = 'building' AND category = 'railway'",
        ),
        (
            "category = 'airport' OR category = 'port'",
            "category = 'airport' OR category = 'port'",
        ),
        ("NOT (status = 'planned')", "NOT (status = 'planned')"),
    ] {
        let want = filtered(&s, "projects", filter, "cql2-text");
        assert!(!want.is_empty(), "{filter}");
        let out =
            std::env::temp_dir().join(format!("planmap-where-{}.geojson", std::process::id()));
        let _ = std::fs::remove_file(&out);
        let run = Command::new("ogr2ogr")
            .args(["-f", "GeoJSON"])
            .arg(&out)
            .arg(format!("OAPIF:{base}/collections/projects"))
            .args(["-where", where_, "-oo", "PAGE_SIZE=1000"])
            .output()
            .expect("ogr2ogr (gdal-bin) runs");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        let _ = std::fs::remove_file(&out);
        let got: BTreeSet<String> = written["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(got, want, "{where_}");
    }
    drop(s);
    let mut logged = String::new();
    std::fs::File::open(&log)
        .unwrap()
        .read_to_string(&mut logged)
        .unwrap();
    let _ = std::fs::remove_file(&log);
    // the server, not GDAL, did the filtering
    assert!(
        logged.contains("filter=(status%20%3D%20'building')%20AND%20(category%20%3D%20'railway')"),
        "GDAL did not send the filter:\n{}",
        logged
            .lines()
            .filter(|l| l.contains("uri="))
            .take(20)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// `/collections/{id}/stats` adds up what `items` lists for the same parameters: counts by
/// category, status and county, the unlocated, and each county's share of stated investment.
#[test]
fn stats_add_up_what_items_list() {
    // the seeds state no investment: a plan that does, one project over several counties
    let dir = std::env::temp_dir().join(format!("planmap-stats-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = Server::start(&["--data", dir.to_str().unwrap(), "--token", "t"]);
    let plan = "某地区规划\n新建阿克达拉水库，总投资12亿元。\n建设奎屯至阿勒泰铁路，总投资180亿元。\n新建托浪格水库，总投资3亿元。\n";
    let r = ureq::post(&s.url("/plans"))
        .set("Authorization", "Bearer t")
        .set("Content-Type", "text/plain; charset=utf-8")
        .send_string(plan)
        .unwrap();
    assert_eq!(r.status(), 201);
    let cases = [
        ("projects", ""),
        ("projects", "category NOT IN ('airport', 'railway')"),
        ("projects", "A_OVERLAPS(docs, ('002_ad85a8b65c4c4e5d.txt'))"),
        ("projects", "S_INTERSECTS(geometry, BBOX(80, 42, 86, 47))"),
        ("highway", "status = 'planned'"),
        ("projects", "investment_yi > 0"),
    ];
    for (collection, filter) in cases {
        let q = if filter.is_empty() {
            String::new()
        } else {
            format!("filter={}", enc(filter))
        };
        let (st, items, _) =
            get(&s.url(&format!("/collections/{collection}/items?limit=10000&{q}")));
        assert_eq!(st, 200);
        let (st, stats, ctype) = get(&s.url(&format!("/collections/{collection}/stats?{q}")));
        assert_eq!(st, 200, "{filter}: {stats}");
        assert!(ctype.starts_with("application/json"));
        let features = items["features"].as_array().unwrap();
        assert!(!features.is_empty(), "{filter}");
        assert_eq!(stats["numberMatched"], json!(features.len()), "{filter}");
        let mut categories = std::collections::BTreeMap::<String, usize>::new();
        let mut statuses = std::collections::BTreeMap::<String, usize>::new();
        let mut counties = std::collections::BTreeMap::<String, (usize, f64)>::new();
        let mut unlocated = 0;
        for f in features {
            let p = &f["properties"];
            *categories
                .entry(p["category"].as_str().unwrap().into())
                .or_default() += 1;
            *statuses
                .entry(p["status"].as_str().unwrap().into())
                .or_default() += 1;
            unlocated += usize::from(f["geometry"].is_null());
            let codes = texts(&p["county_codes"]);
            for c in &codes {
                let e = counties.entry(c.clone()).or_default();
                e.0 += 1;
                e.1 += p["investment_yi"].as_f64().unwrap_or(0.0) / codes.len() as f64;
            }
        }
        assert_eq!(stats["categories"], json!(categories), "{filter}");
        assert_eq!(stats["statuses"], json!(statuses), "{filter}");
        assert_eq!(stats["unlocated"], json!(unlocated), "{filter}");
        let got = stats["counties"].as_object().unwrap();
        assert_eq!(got.len(), counties.len(), "{filter}");
        for (code, (n, yi)) in &counties {
            assert_eq!(got[code]["projects"], json!(n), "{filter} {code}");
            let g = got[code]["investment_yi"].as_f64().unwrap();
            assert!((g - yi).abs() < 1e-6, "{filter} {code}: {g} vs {yi}");
        }
    }
    // investment was stated, and shared among counties: the counties' shares sum to the
    // projects' investment
    let (_, invested, _) =
        get(&s.url("/collections/projects/items?limit=100&filter=investment_yi%20%3E%200"));
    let stated: f64 = invested["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !texts(&f["properties"]["county_codes"]).is_empty())
        .map(|f| f["properties"]["investment_yi"].as_f64().unwrap())
        .sum();
    let spread = invested["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| texts(&f["properties"]["county_codes"]).len() > 1);
    let (_, whole, _) = get(&s.url("/collections/projects/stats"));
    let shared: f64 = whole["counties"]
        .as_object()
        .unwrap()
        .values()
        .map(|c| c["investment_yi"].as_f64().unwrap())
        .sum();
    assert!(stated > 0.0 && spread, "{invested}");
    assert!((shared - stated).abs() < 1e-6, "{shared} vs {stated}");
    // only project collections have stats; the parameters are checked as items checks them
    let (st, body, _) = get(&s.url("/collections/counties/stats"));
    assert_eq!((st, body["code"].as_str()), (404, Some("NotFound")));
    let (st, body, _) = get(&s.url("/collections/projects/stats?limit=5"));
    assert_eq!((st, body["parameter"].as_str()), (400, Some("limit")));
    let (st, body, _) = get(&s.url("/collections/projects/stats?filter=name%20%3D"));
    assert_eq!((st, body["parameter"].as_str()), (400, Some("filter")));
    let (st, body, _) = get(&s.url("/collections/projects/stats?f=csv"));
    assert_eq!((st, body["parameter"].as_str()), (400, Some("f")));
    drop(s);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `sortby=county_codes` orders by the codes as text, and the viewer's table relies on it.
#[test]
fn projects_sort_by_county_codes() {
    let s = Server::start(&[]);
    let (st, body, _) = get(&s.url(
        "/collections/projects/items?limit=10000&sortby=county_codes,name&properties=county_codes,name",
    ));
    assert_eq!(st, 200, "{body}");
    let keys: Vec<(String, String)> = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                texts(&f["properties"]["county_codes"]).join(","),
                f["properties"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(keys.len() > 300);
    assert!(keys.windows(2).all(|w| w[0] <= w[1]));
    let (_, desc, _) = get(
        &s.url("/collections/projects/items?limit=1&sortby=-county_codes&properties=county_codes")
    );
    assert_eq!(
        texts(&desc["features"][0]["properties"]["county_codes"]).join(","),
        keys.iter().map(|k| k.0.clone()).max().unwrap()
    );
}
