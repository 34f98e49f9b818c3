//! Property tests of every parser that sees user input: query parameters, GeoJSON bodies, codes,
//! and the plan-text extractor. No input may panic; what is accepted must be what was meant.

use planmap::api::params::Params;
use planmap::api::search::parse_query_geometry;
use planmap::gazetteer::{AdminCode, Gazetteer};
use planmap::model::Document;
use proptest::prelude::*;

const ALL: &[&str] = &[
    "f",
    "bbox",
    "limit",
    "offset",
    "category",
    "county",
    "prefecture",
    "action",
    "doc",
    "q",
    "lon",
    "lat",
    "k",
    "km",
];

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(2000))]

    /// Whatever a query string holds, what is accepted is in range (the fuzz target checks only
    /// that nothing panics).
    #[test]
    fn any_query_string_gives_values_in_range_or_an_error(q in ".{0,300}") {
        if let Ok(p) = Params::parse(Some(&q), ALL) {
            if let Ok(Some(b)) = p.bbox() {
                prop_assert!(b.min().x >= -180.0 && b.max().x <= 180.0 && b.min().x <= b.max().x);
                prop_assert!(b.min().y >= -90.0 && b.max().y <= 90.0 && b.min().y <= b.max().y);
            }
            if let Ok(n) = p.limit() {
                prop_assert!((1..=10_000).contains(&n));
            }
            if let Ok(pt) = p.point() {
                prop_assert!(pt.x().abs() <= 180.0 && pt.y().abs() <= 90.0);
            }
            if let Ok(km) = p.km() {
                prop_assert!((0.0..=5_000.0).contains(&km));
            }
            if let Ok(k) = p.usize_in("k", 10, 1, 1000) {
                prop_assert!((1..=1000).contains(&k));
            }
            if let Ok(f) = p.filter() {
                for text in [&f.q, &f.doc].into_iter().flatten() {
                    prop_assert!(!text.is_empty() && text.chars().count() <= 200);
                }
            }
        }
    }

    #[test]
    fn any_datetime_parses_to_an_ordered_year_range_or_fails_cleanly(v in ".{0,40}") {
        if let Ok((from, to)) = planmap::api::params::parse_datetime(&v) {
            prop_assert!(from.is_some() || to.is_some() || v.contains('/'));
            if let (Some(a), Some(b)) = (from, to) {
                prop_assert!(a <= b, "{v:?}: {a} > {b}");
            }
        }
    }

    #[test]
    fn bbox_accepts_exactly_the_valid_boxes(a in -200.0f64..200.0, b in -100.0f64..100.0, c in -200.0f64..200.0, d in -100.0f64..100.0) {
        let q = format!("bbox={a},{b},{c},{d}");
        let r = Params::parse(Some(&q), ALL).unwrap().bbox();
        let valid = (-180.0..=180.0).contains(&a) && (-180.0..=180.0).contains(&c)
            && (-90.0..=90.0).contains(&b) && (-90.0..=90.0).contains(&d) && a <= c && b <= d;
        prop_assert_eq!(r.is_ok(), valid, "{}", q);
        if let Ok(Some(rect)) = r {
            prop_assert_eq!((rect.min().x, rect.min().y, rect.max().x, rect.max().y), (a, b, c, d));
        }
    }

    #[test]
    fn numbers_are_range_checked(lon in proptest::num::f64::ANY, lat in proptest::num::f64::ANY) {
        let q = format!("lon={lon}&lat={lat}");
        let r = Params::parse(Some(&q), ALL).unwrap().point();
        let valid = lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0;
        prop_assert_eq!(r.is_ok(), valid, "{}", q);
    }

    #[test]
    fn limits_are_bounded(n in proptest::num::i64::ANY) {
        let r = Params::parse(Some(&format!("limit={n}")), ALL).unwrap().limit();
        prop_assert_eq!(r.is_ok(), (1..=10_000).contains(&n));
    }

    #[test]
    fn any_bytes_as_a_geojson_body_give_a_wgs84_geometry_or_an_error(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(g) = parse_query_geometry(&body) {
            for c in geo::CoordsIter::coords_iter(&g) {
                prop_assert!(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0);
            }
        }
    }

    #[test]
    fn geojson_shaped_bodies_parse_or_fail_cleanly(t in "(Point|LineString|Polygon|MultiPoint|Feature|GeometryCollection|Nope)", coords in "[\\[\\]0-9.,e+\\-NnaI ]{0,80}") {
        let body = format!("{{\"type\":\"{t}\",\"coordinates\":{coords},\"geometry\":{{\"type\":\"Point\",\"coordinates\":{coords}}},\"properties\":{{}}}}");
        if let Ok(g) = parse_query_geometry(body.as_bytes()) {
            for c in geo::CoordsIter::coords_iter(&g) {
                prop_assert!(c.x.abs() <= 180.0 && c.y.abs() <= 90.0);
            }
        }
    }

    #[test]
    fn codes_parse_only_as_six_digits(s in "[0-9a-z]{0,8}") {
        let ok = s.parse::<AdminCode>().is_ok();
        prop_assert_eq!(ok, s.len() == 6 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0'));
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// Arbitrary Unicode, plan-like fragments, odd punctuation: no panic, and every quote stands
    /// verbatim at its line.
    #[test]
    fn the_extractor_takes_any_text(parts in proptest::collection::vec(prop_oneof![
        Just("建设".to_string()), Just("塔城机场".to_string()), Just("、".to_string()), Just("等".to_string()),
        Just("水库".to_string()), Just("至".to_string()), Just("（".to_string()), Just("）".to_string()),
        Just("铁路".to_string()), Just("\n".to_string()), Just("G30".to_string()), Just("和".to_string()),
        Just("投资12亿元".to_string()), Just("口岸".to_string()), ".{0,6}",
    ], 0..60)) {
        let text: String = parts.concat();
        let gaz = gazetteer();
        if let Ok(doc) = Document::from_bytes("p.txt", text.as_bytes()) {
            let located = planmap::locate_documents(gaz, std::slice::from_ref(&doc));
            for l in &located {
                prop_assert!(!l.project.name.is_empty());
                for m in &l.project.mentions {
                    let line = doc.text.lines().nth(m.line - 1).unwrap();
                    prop_assert!(line.contains(&m.quote));
                }
            }
        }
    }
}

fn gazetteer() -> &'static Gazetteer {
    use std::sync::OnceLock;
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::embedded().unwrap())
}
