//! GeoJSON (RFC 7946) form of a located project: what `planmap extract` prints and the API serves.

use serde_json::{json, Map, Value};

use crate::geocode::Located;

/// How much of a project's provenance a Feature carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Every mention and the whole timeline: a single item, `planmap extract`.
    Full,
    /// Counts, the first and the latest mention, and a link to the rest: list responses,
    /// whose size must not grow with the number of plans naming a project.
    Listed,
}

/// One project as a GeoJSON Feature, with all its mentions.
pub fn to_feature(l: &Located) -> Value {
    to_feature_as(l, Form::Full)
}

/// One project as a GeoJSON Feature in the given form. Geometry is null when the project could
/// not be placed.
pub fn to_feature_as(l: &Located, form: Form) -> Value {
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
    props.insert("mention_count".into(), json!(p.mentions.len()));
    props.insert("plan_count".into(), json!(p.timeline.len()));
    match form {
        Form::Full => {
            props.insert("timeline".into(), json!(p.timeline));
            props.insert("mentions".into(), json!(p.mentions));
        }
        Form::Listed => {
            // the first plan's first mention and the latest plan's: a list stays the same size
            // however many plans name a project; the item and its mentions page have them all
            let first_of = |doc: &str| p.mentions.iter().find(|m| m.doc == doc);
            let first = p
                .timeline
                .first()
                .and_then(|e| first_of(&e.doc))
                .or(p.mentions.first());
            let latest = p
                .timeline
                .last()
                .and_then(|e| first_of(&e.doc))
                .or(p.mentions.last());
            let mut years: Vec<i32> = p.timeline.iter().filter_map(|e| e.year).collect();
            years.dedup();
            // distinct years, oldest first (the timeline is in year order): a few dozen at most
            props.insert("plan_years".into(), json!(years));
            props.insert("first_mention".into(), json!(first));
            props.insert("latest_mention".into(), json!(latest));
            props.insert(
                "mentions_href".into(),
                json!(format!("/collections/projects/items/{}/mentions", p.id)),
            );
        }
    }
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
