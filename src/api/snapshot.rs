//! One consistent state of what the service serves: the project index and the county and
//! prefecture layers with their project counts. Built whole, swapped whole.

use geo::{BoundingRect, Intersects, MultiPolygon, Rect};
use serde_json::{json, Value};

use crate::gazetteer::{AdminCode, Gazetteer};
use std::collections::HashMap;

use crate::index::Portfolio;
use crate::pipeline::Catalog;

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
}

impl Snapshot {
    /// The snapshot of a catalog: its entries indexed, the area layers counted.
    pub fn build(gaz: &Gazetteer, catalog: &Catalog) -> Result<Snapshot, String> {
        let portfolio =
            Portfolio::from_entries(catalog.entries().to_vec(), catalog.plans().to_vec());
        // one pass over the projects, whatever the number of units
        let mut by_county: HashMap<AdminCode, usize> = HashMap::new();
        let mut by_prefecture: HashMap<AdminCode, usize> = HashMap::new();
        for l in portfolio.features() {
            let loc = &l.location;
            for c in &loc.county_codes {
                *by_county.entry(*c).or_default() += 1;
            }
            let mut prefs: Vec<AdminCode> =
                loc.county_codes.iter().map(|c| c.prefecture()).collect();
            prefs.extend(loc.prefecture);
            prefs.sort();
            prefs.dedup();
            for p in prefs {
                *by_prefecture.entry(p).or_default() += 1;
            }
        }
        let count = |m: &HashMap<AdminCode, usize>, c: AdminCode| m.get(&c).copied().unwrap_or(0);
        let counties = AreaLayer::build(COUNTIES_DISPLAY, |c| count(&by_county, c), gaz)?;
        let prefectures = AreaLayer::build(PREFECTURES_DISPLAY, |c| count(&by_prefecture, c), gaz)?;
        Ok(Snapshot {
            portfolio,
            counties,
            prefectures,
        })
    }

    /// The embedded seeds, not backed by a data directory.
    pub fn from_seeds(gaz: &Gazetteer) -> Result<Snapshot, String> {
        let catalog = crate::pipeline::catalog_of(gaz, &crate::store::embedded_plans());
        Snapshot::build(gaz, &catalog)
    }
}
