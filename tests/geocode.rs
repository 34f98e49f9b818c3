//! Geocoding over the seeds: sites where they are, routes through their waypoints, geometry
//! and county codes that agree.

mod common;

use geo::{Contains, Distance, Euclidean, Geometry, Haversine, Point};
use planmap::gazetteer::{Gazetteer, PlaceKind};
use planmap::geocode::{LocatedBy, Precision};
use planmap::model::Category;

#[test]
fn airports_that_name_a_real_airport_lie_at_it() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let airports: Vec<_> = gaz
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Airport)
        .collect();
    let mut checked = 0;
    for l in located
        .iter()
        .filter(|l| l.project.category == Category::Airport)
    {
        // the airport whose longest name or alias the project's name contains
        let named = airports
            .iter()
            .flat_map(|a| {
                std::iter::once(&a.name)
                    .chain(a.aliases.iter())
                    .map(move |n| (a, n))
            })
            .filter(|(_, n)| l.project.name.contains(n.as_str()) && n.ends_with("机场"))
            .max_by_key(|(_, n)| n.chars().count());
        let Some((a, _)) = named else { continue };
        let Some(Geometry::Point(p)) = &l.location.geometry else {
            panic!("{} names {} but has no point", l.project.name, a.name)
        };
        let km = Haversine.distance(*p, a.coord.unwrap()) / 1000.0;
        assert!(km < 5.0, "{} is {km:.1} km from {}", l.project.name, a.name);
        assert_eq!(l.location.located_by, LocatedBy::Site);
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} airport projects checked");
}

#[test]
fn routes_are_lines_through_their_end_counties() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let mut routes = 0;
    for l in located
        .iter()
        .filter(|l| l.location.located_by == LocatedBy::Route)
    {
        let Some(Geometry::LineString(line)) = &l.location.geometry else {
            panic!("{}: a route without a line", l.project.name)
        };
        assert!(line.0.len() >= 2);
        assert_eq!(l.location.precision, Precision::Route);
        for end in [line.0.first().unwrap(), line.0.last().unwrap()] {
            let at = gaz.county_at(Point::from(*end)).map(|u| u.code);
            if let Some(code) = at {
                assert!(
                    l.location.county_codes.contains(&code),
                    "{}: end in {code} not listed {:?}",
                    l.project.name,
                    l.location.county_codes
                );
            }
        }
        routes += 1;
    }
    assert!(routes >= 20, "{routes} routes");
    let kt = located
        .iter()
        .find(|l| l.project.name == "克拉玛依至塔城（巴克图）铁路")
        .expect("the Karamay-Tacheng railway is found");
    let codes: Vec<String> = kt
        .location
        .county_codes
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        codes.contains(&"650203".into()) && codes.contains(&"654201".into()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"654224".into()) || codes.contains(&"654221".into()),
        "crosses 托里 or 额敏: {codes:?}"
    );
}

#[test]
fn waypoints_outside_xinjiang_are_kept_and_marked() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let l = located
        .iter()
        .find(|l| l.project.name.contains("甘肃柳沟"))
        .expect("the route to 甘肃柳沟 is found");
    assert!(
        l.location
            .unresolved_waypoints
            .iter()
            .any(|w| w.contains("柳沟")),
        "{:?}",
        l.location.unresolved_waypoints
    );
    assert!(matches!(l.location.geometry, Some(Geometry::LineString(_))));
}

/// A point lies in (or within 1 km of) one of its counties; a prefecture-level point in its
/// prefecture; a project with no location has no geometry and is still there.
#[test]
fn geometry_and_county_codes_agree() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let mut none = 0;
    for l in &located {
        let loc = &l.location;
        match (&loc.geometry, loc.precision) {
            (None, p) => {
                assert_eq!(p, Precision::None, "{}", l.project.name);
                assert!(loc.county_codes.is_empty() && loc.prefecture.is_none());
                none += 1;
            }
            (Some(Geometry::Point(p)), Precision::Prefecture) => {
                let pref = loc.prefecture.expect("prefecture precision names one");
                assert_eq!(
                    gaz.county_at(*p).map(|u| u.prefecture),
                    Some(pref),
                    "{}",
                    l.project.name
                );
            }
            (Some(Geometry::Point(p)), _) => {
                let near = loc.county_codes.iter().any(|c| {
                    let poly = gaz.polygon(*c).expect("county polygon");
                    poly.contains(p) || Euclidean.distance(poly, p) * 111.0 < 1.0
                });
                assert!(
                    near,
                    "{} at {p:?} not in {:?}",
                    l.project.name, loc.county_codes
                );
            }
            (Some(Geometry::LineString(_)), p) => assert_eq!(p, Precision::Route),
            (Some(g), _) => panic!("unexpected geometry {g:?}"),
        }
        assert!((0.0..=1.0).contains(&loc.confidence));
    }
    println!("{} projects, {none} unlocated", located.len());
    assert!(
        none < located.len() / 5,
        "{none} of {} unlocated",
        located.len()
    );
}

#[test]
fn document_region_places_unplaced_projects() {
    let gaz = Gazetteer::embedded().unwrap();
    let docs = planmap::seeds::documents();
    let geo = planmap::geocode::Geocoder::new(&gaz, &docs);
    use planmap::geocode::Region;
    let region = |name: &str| {
        geo.region_of(
            docs.iter()
                .find(|d| d.name.starts_with(name))
                .unwrap()
                .name
                .as_str(),
        )
    };
    assert_eq!(
        region("002"),
        Some(Region::Prefecture("654200".parse().unwrap()))
    );
    assert_eq!(
        region("004"),
        Some(Region::County("650121".parse().unwrap()))
    );
    assert_eq!(region("003"), None);
}
