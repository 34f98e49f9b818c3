//! One consistent state of what the service serves: the project index, the plans, the county
//! and prefecture layers with their project counts, and the gazetteer's places. Built whole
//! (by [`crate::pipeline`]), swapped whole (by the HTTP service).

use std::sync::Arc;

use geo::{BoundingRect, Intersects, MultiPolygon, Point, Rect};
use serde_json::Map;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::gazetteer::{AdminCode, Gazetteer};
use crate::index::Entry;
use crate::index::Portfolio;

const COUNTIES_DISPLAY: &str = include_str!("../geodata/counties.display.geojson");
const PREFECTURES_DISPLAY: &str = include_str!("../geodata/prefectures.display.geojson");

/// Polygons of administrative units as parsed from the display set: the same for every
/// snapshot, so parsed once per process.
struct AreaBase {
    /// Features without their project counts.
    features: Vec<Value>,
    /// Each feature's geometry, serialized.
    geometry: Vec<Box<serde_json::value::RawValue>>,
    shapes: Vec<(AdminCode, geo::Geometry<f64>, Rect<f64>)>,
}

/// The embedded display polygons are unusable: a build defect, reported rather than served.
#[derive(Clone, Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("display polygons: {0}")]
    Geojson(String),
    #[error("display polygon without a code")]
    NoCode,
    #[error("display polygon of an unknown unit {0}")]
    UnknownUnit(AdminCode),
    #[error("display polygon {0} without geometry")]
    NoGeometry(AdminCode),
    #[error("display polygon {0} is empty")]
    Empty(AdminCode),
}

impl AreaBase {
    fn parse(source: &str, gaz: &Gazetteer) -> Result<AreaBase, SnapshotError> {
        let bad = |e: geojson::Error| SnapshotError::Geojson(e.to_string());
        let fc =
            geojson::FeatureCollection::try_from(source.parse::<geojson::GeoJson>().map_err(bad)?)
                .map_err(bad)?;
        let mut features = Vec::new();
        let mut geometry = Vec::new();
        let mut shapes = Vec::new();
        for f in fc.features {
            let code: AdminCode = f
                .property("code")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
                .ok_or(SnapshotError::NoCode)?;
            let unit = gaz.unit(code).ok_or(SnapshotError::UnknownUnit(code))?;
            let geom = f.geometry.ok_or(SnapshotError::NoGeometry(code))?;
            let mp: MultiPolygon<f64> = geom.clone().try_into().map_err(bad)?;
            let rect = mp.bounding_rect().ok_or(SnapshotError::Empty(code))?;
            let feature = json!({
                "type": "Feature",
                "id": code.to_string(),
                "geometry": geom,
                "properties": {
                    "code": code.to_string(),
                    "name": unit.name,
                    "prefecture": unit.prefecture.to_string(),
                    "level": unit.level,
                    "seat": [unit.seat.x(), unit.seat.y()],
                }
            });
            geometry.push(crate::index::to_raw(&feature["geometry"]));
            features.push(feature);
            shapes.push((code, geo::Geometry::MultiPolygon(mp), rect));
        }
        Ok(AreaBase {
            features,
            geometry,
            shapes,
        })
    }
}

/// What every snapshot of one gazetteer serves alike: the parsed display polygons and the
/// places with a coordinate. Made with the first snapshot of a gazetteer and handed on to the
/// snapshots updated from it.
struct Reference {
    counties: Arc<AreaBase>,
    prefectures: Arc<AreaBase>,
    places: Arc<PlaceLayer>,
}

impl Reference {
    fn new(gaz: &Gazetteer) -> Result<Reference, SnapshotError> {
        Ok(Reference {
            counties: Arc::new(AreaBase::parse(COUNTIES_DISPLAY, gaz)?),
            prefectures: Arc::new(AreaBase::parse(PREFECTURES_DISPLAY, gaz)?),
            places: Arc::new(PlaceLayer::build(gaz)),
        })
    }
}

/// The properties of a county or prefecture feature: what `properties=` may select.
pub const AREA_PROPERTIES: &[&str] = &[
    "code",
    "name",
    "prefecture",
    "level",
    "seat",
    "project_count",
];

/// Polygons of administrative units with their project counts, as served (the light display
/// set, see geodata/README.md).
pub struct AreaLayer {
    base: Arc<AreaBase>,
    counts: Vec<usize>,
    raw: Vec<Box<serde_json::value::RawValue>>,
}

impl AreaLayer {
    fn build(base: Arc<AreaBase>, count: impl Fn(AdminCode) -> usize) -> AreaLayer {
        let counts: Vec<usize> = base.shapes.iter().map(|(c, _, _)| count(*c)).collect();
        let raw = (0..counts.len())
            .map(|i| {
                let mut props = base.features[i]["properties"].clone();
                props["project_count"] = json!(counts[i]);
                let text = format!(
                    r#"{{"type":"Feature","id":{},"geometry":{},"properties":{}}}"#,
                    base.features[i]["id"],
                    base.geometry[i].get(),
                    props
                );
                serde_json::value::RawValue::from_string(text)
                    .unwrap_or_else(|_| crate::index::to_raw(&Value::Null))
            })
            .collect();
        AreaLayer { base, counts, raw }
    }

    pub fn len(&self) -> usize {
        self.counts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Unit `i` as a GeoJSON Feature.
    pub fn feature(&self, i: usize) -> Value {
        let mut f = self.base.features[i].clone();
        f["properties"]["project_count"] = json!(self.counts[i]);
        f
    }

    /// Unit `i`'s properties (no geometry).
    pub fn properties(&self, i: usize) -> Value {
        let mut p = self.base.features[i]["properties"].clone();
        p["project_count"] = json!(self.counts[i]);
        p
    }

    pub fn raw(&self, i: usize) -> &serde_json::value::RawValue {
        &self.raw[i]
    }

    /// Unit `i` as a filter sees it: its properties as served, and its outline.
    pub fn with_record<T>(&self, i: usize, f: impl FnOnce(&crate::cql::JsonRecord) -> T) -> T {
        let props = self.properties(i);
        let empty = Map::new();
        f(&crate::cql::JsonRecord {
            properties: props.as_object().unwrap_or(&empty),
            geometry: Some(&self.base.shapes[i].1),
        })
    }

    /// Unit `i`'s outline.
    pub fn geometry(&self, i: usize) -> &geo::Geometry<f64> {
        &self.base.shapes[i].1
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.base
            .shapes
            .iter()
            .position(|(c, _, _)| c.to_string() == code)
    }

    /// Indices of units intersecting a box (all when `None`), optionally whose name contains `q`.
    pub fn select(&self, bbox: Option<Rect<f64>>, q: Option<&str>) -> Vec<usize> {
        let shapes = &self.base.shapes;
        (0..shapes.len())
            .filter(|&i| {
                bbox.is_none_or(|b| shapes[i].2.intersects(&b) && shapes[i].1.intersects(&b))
            })
            .filter(|&i| {
                q.is_none_or(|q| {
                    self.base.features[i]["properties"]["name"]
                        .as_str()
                        .is_some_and(|n| n.contains(q))
                })
            })
            .collect()
    }

    /// The box around every unit: [west, south, east, north].
    pub fn extent(&self) -> [f64; 4] {
        self.base
            .shapes
            .iter()
            .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |e, (_, _, r)| {
                [
                    e[0].min(r.min().x),
                    e[1].min(r.min().y),
                    e[2].max(r.max().x),
                    e[3].max(r.max().y),
                ]
            })
    }

    /// Units whose polygon intersects a geometry.
    pub fn intersecting(&self, g: &geo::Geometry<f64>) -> Vec<usize> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        let shapes = &self.base.shapes;
        (0..shapes.len())
            .filter(|&i| shapes[i].2.intersects(&r) && shapes[i].1.intersects(g))
            .collect()
    }
}

/// The properties of a gazetteer place feature: what `properties=` may select.
pub const PLACE_PROPERTIES: &[&str] = &["name", "kind", "county_codes", "aliases", "iata"];

/// The gazetteer's places that have a coordinate (towns, ports of entry, airports, divisions,
/// zones, landmarks): reference data, the same in every snapshot, so built once.
pub struct PlaceLayer {
    ids: Vec<String>,
    names: Vec<String>,
    points: Vec<Point<f64>>,
    geometries: Vec<geo::Geometry<f64>>,
    properties: Vec<Map<String, Value>>,
    raw: Vec<Box<serde_json::value::RawValue>>,
}

impl PlaceLayer {
    fn build(gaz: &Gazetteer) -> PlaceLayer {
        let mut layer = PlaceLayer {
            ids: Vec::new(),
            names: Vec::new(),
            points: Vec::new(),
            geometries: Vec::new(),
            properties: Vec::new(),
            raw: Vec::new(),
        };
        for place in gaz.places() {
            let Some(at) = place.coord else { continue };
            let counties: Vec<String> = place.counties.iter().map(|c| c.to_string()).collect();
            // stable while the gazetteer names the place in the same units
            let mut h = Sha256::new();
            h.update(place.name.as_bytes());
            for c in &counties {
                h.update([0]);
                h.update(c.as_bytes());
            }
            let hex = hex::encode(&h.finalize()[..5]);
            let kind = place.kind.key();
            let id = format!("{kind}-{hex}");
            let feature = json!({
                "type": "Feature",
                "id": id,
                "geometry": {"type": "Point", "coordinates": [at.x(), at.y()]},
                "properties": {
                    "name": place.name,
                    "kind": kind,
                    "county_codes": counties,
                    "aliases": place.aliases,
                    "iata": place.iata,
                }
            });
            layer.raw.push(crate::index::to_raw(&feature));
            layer.ids.push(id);
            layer.names.push(place.name.clone());
            layer.points.push(at);
            layer.geometries.push(geo::Geometry::Point(at));
            layer.properties.push(
                feature["properties"]
                    .as_object()
                    .cloned()
                    .unwrap_or_default(),
            );
        }
        layer
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn raw(&self, i: usize) -> &serde_json::value::RawValue {
        &self.raw[i]
    }

    pub fn position(&self, id: &str) -> Option<usize> {
        self.ids.iter().position(|p| p == id)
    }

    /// Place `i` as a filter sees it.
    pub fn record(&self, i: usize) -> crate::cql::JsonRecord<'_> {
        crate::cql::JsonRecord {
            properties: &self.properties[i],
            geometry: Some(&self.geometries[i]),
        }
    }

    /// Place `i`'s id.
    pub fn id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// Place `i`'s point.
    pub fn geometry(&self, i: usize) -> &geo::Geometry<f64> {
        &self.geometries[i]
    }

    /// Indices of places in a box (all when `None`), optionally whose name contains `q`.
    pub fn select(&self, bbox: Option<Rect<f64>>, q: Option<&str>) -> Vec<usize> {
        (0..self.len())
            .filter(|&i| bbox.is_none_or(|b| b.intersects(&self.points[i])))
            .filter(|&i| q.is_none_or(|q| self.names[i].contains(q)))
            .collect()
    }
}

/// A plan in the portfolio: its stored metadata and how many projects it mentions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlanInfo {
    #[serde(flatten)]
    pub meta: crate::model::PlanMeta,
    pub projects: usize,
    /// The county or prefecture the plan is about, as the geocoder read it; null for the
    /// region's own plans.
    pub unit: Option<crate::geocode::PlanUnit>,
    /// `plan` (规划纲要, 行动计划) or `report` (政府工作报告 and its 任务分解).
    pub kind: crate::model::DocKind,
    /// The plan's year: a report's year, a plan's first year.
    pub year: Option<i32>,
}

/// Everything one state of the service serves.
pub struct Snapshot {
    pub portfolio: Portfolio,
    /// The plans, in the order they were merged.
    pub plans: Vec<PlanInfo>,
    pub counties: AreaLayer,
    pub prefectures: AreaLayer,
    pub places: Arc<PlaceLayer>,
    /// The projects' version and the plans': what ETags are made of.
    version: String,
}

impl Snapshot {
    /// The snapshot of located projects (their entries) and the plans they came from: indexed,
    /// the area layers counted. [`crate::pipeline::Catalog::snapshot`] is the usual way in.
    pub fn new(
        gaz: &Gazetteer,
        entries: Vec<Arc<Entry>>,
        plans: Vec<PlanInfo>,
    ) -> Result<Snapshot, SnapshotError> {
        let reference = Reference::new(gaz)?;
        Ok(Snapshot::with_portfolio(
            reference,
            Portfolio::from_entries(entries),
            plans,
        ))
    }

    /// A snapshot of other entries and plans, indexed afresh, serving the reference layers
    /// `self` serves (they belong to the gazetteer, not to the projects).
    pub fn rebuilt(&self, entries: Vec<Arc<Entry>>, plans: Vec<PlanInfo>) -> Snapshot {
        Snapshot::with_portfolio(self.reference(), Portfolio::from_entries(entries), plans)
    }

    fn reference(&self) -> Reference {
        Reference {
            counties: Arc::clone(&self.counties.base),
            prefectures: Arc::clone(&self.prefectures.base),
            places: Arc::clone(&self.places),
        }
    }

    /// The snapshot after the `changed` slots of `entries` changed or were added since `self`
    /// was made: only those are indexed (see [`Portfolio::updated`]).
    pub fn updated(
        &self,
        entries: Vec<Arc<Entry>>,
        changed: &[usize],
        plans: Vec<PlanInfo>,
    ) -> Snapshot {
        let portfolio = self.portfolio.updated(entries, changed);
        Snapshot::with_portfolio(self.reference(), portfolio, plans)
    }

    fn with_portfolio(
        reference: Reference,
        portfolio: Portfolio,
        plans: Vec<PlanInfo>,
    ) -> Snapshot {
        let counties = AreaLayer::build(reference.counties, |c| portfolio.county_count(c));
        let prefectures =
            AreaLayer::build(reference.prefectures, |c| portfolio.prefecture_count(c));
        // a plan that adds no project still changes /plans: it is part of the version
        let mut h = Sha256::new();
        h.update(portfolio.version().as_bytes());
        for p in &plans {
            h.update(p.meta.sha256.as_bytes());
            h.update(p.meta.title.as_deref().unwrap_or("").as_bytes());
            h.update(p.meta.period.as_deref().unwrap_or("").as_bytes());
            h.update([0]);
        }
        let version = hex::encode(&h.finalize()[..12]);
        Snapshot {
            portfolio,
            plans,
            counties,
            prefectures,
            places: reference.places,
            version,
        }
    }

    /// Changes whenever anything served changes.
    pub fn version(&self) -> &str {
        &self.version
    }
}
