//! One consistent state of what the service serves: the project index and the county and
//! prefecture layers with their project counts. Built whole, swapped whole.

use geo::{BoundingRect, Intersects, MultiPolygon, Rect};
use serde_json::{json, Value};

use crate::gazetteer::{AdminCode, Gazetteer};
use crate::geocode::Located;
use crate::index::{PlanInfo, Portfolio};
use crate::store::StoredPlan;

const COUNTIES_DISPLAY: &str = include_str!("../../geodata/counties.display.geojson");
const PREFECTURES_DISPLAY: &str = include_str!("../../geodata/prefectures.display.geojson");

/// Polygons of administrative units, as served (the light display set, see geodata/README.md).
pub struct AreaLayer {
    features: Vec<Value>,
    raw: Vec<Box<serde_json::value::RawValue>>,
    shapes: Vec<(AdminCode, MultiPolygon<f64>, Rect<f64>)>,
}

impl AreaLayer {
    fn build(
        source: &str,
        count: impl Fn(AdminCode) -> usize,
        gaz: &Gazetteer,
    ) -> Result<AreaLayer, String> {
        let fc: geojson::FeatureCollection = source
            .parse::<geojson::GeoJson>()
            .map_err(|e| e.to_string())
            .and_then(|g| geojson::FeatureCollection::try_from(g).map_err(|e| e.to_string()))?;
        let mut features = Vec::new();
        let mut shapes = Vec::new();
        for f in fc.features {
            let code: AdminCode = f
                .property("code")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse().ok())
                .ok_or("display polygon without a code")?;
            let unit = gaz.unit(code).ok_or("display polygon of an unknown unit")?;
            let geom = f.geometry.ok_or("display polygon without geometry")?;
            let mp: MultiPolygon<f64> = geom
                .clone()
                .try_into()
                .map_err(|e: geojson::Error| e.to_string())?;
            let rect = mp.bounding_rect().ok_or("empty display polygon")?;
            features.push(json!({
                "type": "Feature",
                "id": code.to_string(),
                "geometry": geom,
                "properties": {
                    "code": code.to_string(),
                    "name": unit.name,
                    "prefecture": unit.prefecture.to_string(),
                    "level": unit.level,
                    "seat": [unit.seat.x(), unit.seat.y()],
                    "project_count": count(code),
                }
            }));
            shapes.push((code, mp, rect));
        }
        let raw = features.iter().map(crate::index::to_raw).collect();
        Ok(AreaLayer {
            features,
            raw,
            shapes,
        })
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    pub fn feature(&self, i: usize) -> &Value {
        &self.features[i]
    }

    pub fn raw(&self, i: usize) -> &serde_json::value::RawValue {
        &self.raw[i]
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.shapes
            .iter()
            .position(|(c, _, _)| c.to_string() == code)
    }

    /// Indices of units intersecting a box (all when `None`), optionally whose name contains `q`.
    pub fn select(&self, bbox: Option<Rect<f64>>, q: Option<&str>) -> Vec<usize> {
        (0..self.features.len())
            .filter(|&i| {
                bbox.is_none_or(|b| {
                    self.shapes[i].2.intersects(&b) && self.shapes[i].1.intersects(&b)
                })
            })
            .filter(|&i| {
                q.is_none_or(|q| {
                    self.features[i]["properties"]["name"]
                        .as_str()
                        .is_some_and(|n| n.contains(q))
                })
            })
            .collect()
    }

    /// Units whose polygon intersects a geometry.
    pub fn intersecting(&self, g: &geo::Geometry<f64>) -> Vec<usize> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        (0..self.shapes.len())
            .filter(|&i| self.shapes[i].2.intersects(&r) && self.shapes[i].1.intersects(g))
            .collect()
    }
}

/// Everything one state of the service serves.
pub struct Snapshot {
    pub portfolio: Portfolio,
    pub counties: AreaLayer,
    pub prefectures: AreaLayer,
    /// The plans it was built from: what a rebuild starts from.
    pub plans: Vec<StoredPlan>,
}

impl Snapshot {
    pub fn build(
        gaz: &Gazetteer,
        located: Vec<Located>,
        plans: Vec<StoredPlan>,
    ) -> Result<Snapshot, String> {
        let infos = plans
            .iter()
            .map(|p| PlanInfo {
                meta: p.meta.clone(),
                projects: located
                    .iter()
                    .filter(|l| l.project.mentions.iter().any(|m| m.doc == p.meta.doc))
                    .count(),
                unit: crate::geocode::plan_unit(gaz, &p.document),
                kind: crate::extract::DocKind::of(&p.document).key(),
                year: crate::extract::document_year(&p.document),
            })
            .collect();
        let county_count = |c: AdminCode| {
            located
                .iter()
                .filter(|l| l.location.county_codes.contains(&c))
                .count()
        };
        let pref_count = |p: AdminCode| {
            located
                .iter()
                .filter(|l| {
                    l.location.prefecture == Some(p)
                        || l.location.county_codes.iter().any(|c| c.prefecture() == p)
                })
                .count()
        };
        let counties = AreaLayer::build(COUNTIES_DISPLAY, county_count, gaz)?;
        let prefectures = AreaLayer::build(PREFECTURES_DISPLAY, pref_count, gaz)?;
        Ok(Snapshot {
            portfolio: Portfolio::build(located, infos),
            counties,
            prefectures,
            plans,
        })
    }

    /// Builds a snapshot from plans: extract, geocode, index.
    pub fn from_plans(gaz: &Gazetteer, plans: Vec<StoredPlan>) -> Result<Snapshot, String> {
        let docs: Vec<_> = plans.iter().map(|p| p.document.clone()).collect();
        let located = crate::locate_documents(gaz, &docs);
        Snapshot::build(gaz, located, plans)
    }

    /// The embedded seeds, not backed by a data directory.
    pub fn from_seeds(gaz: &Gazetteer) -> Result<Snapshot, String> {
        Snapshot::from_plans(gaz, crate::store::embedded_plans())
    }
}
