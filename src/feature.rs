//! GeoJSON (RFC 7946) form of a located project: what `planmap extract` prints and the API serves.

use serde_json::{json, Map, Value};

use crate::geocode::Located;

/// One project as a GeoJSON Feature. Geometry is null when the project could not be placed.
pub fn to_feature(l: &Located) -> Value {
    let p = &l.project;
    let loc = &l.location;
    let geometry = loc
        .geometry
        .as_ref()
        .map(|g| serde_json::to_value(geojson::Geometry::from(g)).unwrap_or(Value::Null))
        .unwrap_or(Value::Null);
    let mut props = Map::new();
    props.insert("name".into(), json!(p.name));
    props.insert("category".into(), json!(p.category.key()));
    props.insert(
        "county_codes".into(),
        json!(loc
            .county_codes
            .iter()
            .map(|c| c.to_string())
            .collect::<Vec<_>>()),
    );
    props.insert(
        "prefecture_code".into(),
        json!(loc.prefecture.map(|c| c.to_string())),
    );
    props.insert("action".into(), json!(p.action.key()));
    props.insert("investment_yi".into(), json!(p.investment_yi));
    props.insert("located_by".into(), json!(loc.located_by.key()));
    props.insert("precision".into(), json!(loc.precision.key()));
    props.insert(
        "confidence".into(),
        json!((loc.confidence * 100.0).round() / 100.0),
    );
    if !p.waypoints.is_empty() {
        props.insert("waypoints".into(), json!(p.waypoints));
    }
    if !loc.unresolved_waypoints.is_empty() {
        props.insert(
            "unresolved_waypoints".into(),
            json!(loc.unresolved_waypoints),
        );
    }
    props.insert("status".into(), json!(p.status.key()));
    props.insert("timeline".into(), json!(p.timeline));
    props.insert("mentions".into(), json!(p.mentions));
    json!({
        "type": "Feature",
        "id": p.id,
        "geometry": geometry,
        "properties": Value::Object(props),
    })
}

/// A FeatureCollection of located projects.
pub fn to_collection<'a>(items: impl IntoIterator<Item = &'a Located>) -> Value {
    json!({
        "type": "FeatureCollection",
        "features": items.into_iter().map(to_feature).collect::<Vec<_>>(),
    })
}
