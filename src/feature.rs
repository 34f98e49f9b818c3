//! GeoJSON (RFC 7946) form of a located project: what `planmap extract` prints and the API serves.
//! Typed: a portfolio renders hundreds of thousands of these, and serializing structs directly is
//! several times faster than building `serde_json::Value` trees first.

use serde::Serialize;
use serde_json::{json, Value};

use crate::geocode::Located;
use crate::model::Mention;
use crate::model::TimelineEntry;

/// How much of a project's provenance a Feature carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Every mention and the whole timeline: a single item, `planmap extract`.
    Full,
    /// Counts, the first and the latest mention, and a link to the rest: list responses,
    /// whose size must not grow with the number of plans naming a project.
    Listed,
}

#[derive(Serialize)]
struct Feature<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: Option<geojson::Geometry>,
    properties: Properties<'a>,
}

/// The properties of a project in list responses, in the order they are served: what
/// `properties=` may select.
pub const LISTED_PROPERTIES: &[&str] = &[
    "name",
    "category",
    "county_codes",
    "prefecture_code",
    "action",
    "investment_yi",
    "located_by",
    "precision",
    "confidence",
    "waypoints",
    "unresolved_waypoints",
    "status",
    "mention_count",
    "plan_count",
    "plan_years",
    "first_mention",
    "latest_mention",
    "mentions_href",
];

#[derive(Serialize)]
struct Properties<'a> {
    name: &'a str,
    category: &'static str,
    county_codes: Vec<String>,
    prefecture_code: Option<String>,
    action: &'static str,
    investment_yi: Option<f64>,
    located_by: &'static str,
    precision: &'static str,
    confidence: f64,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    waypoints: &'a [String],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    unresolved_waypoints: &'a [String],
    status: &'static str,
    mention_count: usize,
    plan_count: usize,
    #[serde(flatten)]
    provenance: Provenance<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Provenance<'a> {
    Full {
        timeline: &'a [TimelineEntry],
        mentions: Vec<Linked<'a>>,
    },
    Listed {
        /// Distinct years of the plans naming it, oldest first: a few dozen at most.
        plan_years: Vec<i32>,
        first_mention: Option<Linked<'a>>,
        latest_mention: Option<Linked<'a>>,
        mentions_href: String,
    },
}

/// A mention as served: with the link to its line in its plan's text.
#[derive(Serialize)]
pub struct Linked<'a> {
    #[serde(flatten)]
    mention: &'a Mention,
    href: String,
}

impl<'a> Linked<'a> {
    pub fn new(mention: &'a Mention) -> Self {
        Linked {
            href: mention_href(&mention.doc, mention.line),
            mention,
        }
    }
}

/// The path of a mention's line in its plan's text page (a plan's id is its document's stem).
///
/// ```
/// assert_eq!(
///     planmap::feature::mention_href("002_ad85a8b65c4c4e5d.txt", 12),
///     "/plans/002_ad85a8b65c4c4e5d/text#L12"
/// );
/// ```
pub fn mention_href(doc: &str, line: usize) -> String {
    format!("/plans/{}/text#L{line}", doc.trim_end_matches(".txt"))
}

fn feature<'a>(l: &'a Located, form: Form) -> Feature<'a> {
    let p = &l.project;
    let loc = &l.location;
    let provenance = match form {
        Form::Full => Provenance::Full {
            timeline: &p.timeline,
            mentions: p.mentions.iter().map(Linked::new).collect(),
        },
        Form::Listed => {
            // the first plan's first mention and the latest plan's: a list stays the same size
            // however many plans name a project; the item and its mentions page have them all
            // a plan's first mention of the project, or the project's own nearest mention
            let first_of = |entry: Option<&TimelineEntry>, fallback: Option<&'a Mention>| {
                entry
                    .and_then(|e| p.mentions.iter().find(|m| m.doc == e.doc))
                    .or(fallback)
                    .map(Linked::new)
            };
            let mut plan_years: Vec<i32> = p.timeline.iter().filter_map(|e| e.year).collect();
            plan_years.dedup();
            Provenance::Listed {
                plan_years,
                first_mention: first_of(p.timeline.first(), p.mentions.first()),
                latest_mention: first_of(p.timeline.last(), p.mentions.last()),
                mentions_href: format!("/collections/projects/items/{}/mentions", p.id),
            }
        }
    };
    Feature {
        kind: "Feature",
        id: &p.id,
        geometry: loc.geometry.as_ref().map(geojson::Geometry::from),
        properties: Properties {
            name: &p.name,
            category: p.category.key(),
            county_codes: loc.county_codes.iter().map(|c| c.to_string()).collect(),
            prefecture_code: loc.prefecture.map(|c| c.to_string()),
            action: p.action.key(),
            investment_yi: p.investment_yi,
            located_by: loc.located_by.key(),
            precision: loc.precision.key(),
            confidence: (loc.confidence * 100.0).round() / 100.0,
            waypoints: &p.waypoints,
            unresolved_waypoints: &loc.unresolved_waypoints,
            status: p.status.key(),
            mention_count: p.mentions.len(),
            plan_count: p.timeline.len(),
            provenance,
        },
    }
}

/// One project as a GeoJSON Feature, with all its mentions.
pub fn to_feature(l: &Located) -> Value {
    to_feature_as(l, Form::Full)
}

/// One project as a GeoJSON Feature in the given form. Geometry is null when the project could
/// not be placed.
fn to_feature_as(l: &Located, form: Form) -> Value {
    serde_json::to_value(feature(l, form)).unwrap_or(Value::Null)
}

/// One project as serialized GeoJSON in the given form.
pub fn to_raw(l: &Located, form: Form) -> Box<serde_json::value::RawValue> {
    // serializing borrowed strings and finite numbers cannot fail; a null stands out if it did
    serde_json::value::to_raw_value(&feature(l, form)).unwrap_or_default()
}

/// A FeatureCollection of located projects.
pub fn to_collection<'a>(items: impl IntoIterator<Item = &'a Located>) -> Value {
    json!({
        "type": "FeatureCollection",
        "features": items.into_iter().map(to_feature).collect::<Vec<_>>(),
    })
}
