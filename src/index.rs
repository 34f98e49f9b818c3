//! The index: an immutable snapshot of every located project, with two R-trees.
//!
//! - a 2-D tree of geometry envelopes in lon/lat, for bbox and intersection queries (exact
//!   predicates with `geo` after the envelope test);
//! - a 3-D tree of unit-sphere (ECEF) points sampled along every geometry, for distance queries:
//!   chord length grows with great-circle distance, so the tree's nearest-neighbour order is the
//!   geodesic order. Lines are sampled every [`SAMPLE_KM`] km, so a line's distance is within
//!   `SAMPLE_KM / 2` of the true distance to it; [`Portfolio::distance_km`] defines it the same way.
//!
//! A snapshot is never changed: new data builds a new one that is swapped in whole.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use geo::{
    BoundingRect, Coord, Distance, Geometry, Haversine, InterpolatePoint, Intersects, Point, Rect,
};
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};
use serde_json::value::RawValue;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::gazetteer::AdminCode;
use crate::geocode::Located;
use crate::model::{Action, Category};

/// Spacing of samples along lines, in km.
pub const SAMPLE_KM: f64 = 1.0;
const EARTH_RADIUS_KM: f64 = 6371.0088;

type Envelope2 = GeomWithData<Rectangle<[f64; 2]>, usize>;
type Sample3 = GeomWithData<[f64; 3], usize>;

/// Property filters every query takes.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub category: Option<Category>,
    pub county: Option<AdminCode>,
    pub prefecture: Option<AdminCode>,
    pub action: Option<Action>,
    pub status: Option<crate::extract::Status>,
    /// Years (inclusive; `None` is open) that a plan naming the project must fall in.
    pub years: Option<(Option<i32>, Option<i32>)>,
    pub doc: Option<String>,
    pub q: Option<String>,
}

impl Filter {
    pub fn matches(&self, l: &Located) -> bool {
        let p = &l.project;
        let loc = &l.location;
        self.category.is_none_or(|c| p.category == c)
            && self.county.is_none_or(|c| loc.county_codes.contains(&c))
            && self.prefecture.is_none_or(|pf| {
                loc.prefecture == Some(pf) || loc.county_codes.iter().any(|c| c.prefecture() == pf)
            })
            && self.action.is_none_or(|a| p.action == a)
            && self.status.is_none_or(|st| p.status == st)
            && self.years.is_none_or(|(from, to)| {
                p.timeline.iter().any(|e| {
                    e.year
                        .is_some_and(|y| from.is_none_or(|f| y >= f) && to.is_none_or(|t| y <= t))
                })
            })
            && self
                .doc
                .as_ref()
                .is_none_or(|d| p.mentions.iter().any(|m| &m.doc == d))
            && self.q.as_ref().is_none_or(|q| p.name.contains(q.as_str()))
    }
}

/// A plan in the portfolio: its stored metadata and how many projects it mentions.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PlanInfo {
    #[serde(flatten)]
    pub meta: crate::store::PlanMeta,
    pub projects: usize,
    /// The county or prefecture the plan is about, as the geocoder read it; null for the
    /// region's own plans.
    pub unit: Option<crate::geocode::PlanUnit>,
    /// `plan` (规划纲要, 行动计划) or `report` (政府工作报告 and its 任务分解).
    pub kind: &'static str,
    /// The plan's year: a report's year, a plan's first year.
    pub year: Option<i32>,
}

/// A located project with its list-form GeoJSON, rendered once when it last changed and shared
/// by every snapshot until it changes again.
#[derive(Debug)]
pub struct Entry {
    pub located: Located,
    /// The Feature in list form ([`crate::feature::Form::Listed`]), serialized.
    pub raw: Box<RawValue>,
    /// Hash of `raw`: the portfolio's version is made of these.
    hash: [u8; 16],
}

impl Entry {
    pub fn new(located: Located) -> Entry {
        let v = crate::feature::to_feature_as(&located, crate::feature::Form::Listed);
        let raw = to_raw(&v);
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&Sha256::digest(raw.get().as_bytes())[..16]);
        Entry { located, raw, hash }
    }
}

/// One immutable snapshot of the portfolio.
pub struct Portfolio {
    features: Vec<Arc<Entry>>,
    by_id: HashMap<String, usize>,
    envelopes: RTree<Envelope2>,
    samples: RTree<Sample3>,
    plans: Vec<PlanInfo>,
    version: String,
}

/// A feature found by a distance query.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    pub index: usize,
    pub distance_km: f64,
}

impl Portfolio {
    /// Builds the index over located projects (rendering each).
    pub fn build(features: Vec<Located>, plans: Vec<PlanInfo>) -> Self {
        Portfolio::from_entries(
            features
                .into_iter()
                .map(|l| Arc::new(Entry::new(l)))
                .collect(),
            plans,
        )
    }

    /// Builds the index over entries already rendered.
    pub fn from_entries(features: Vec<Arc<Entry>>, plans: Vec<PlanInfo>) -> Self {
        let by_id = features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.located.project.id.clone(), i))
            .collect();
        let mut env = Vec::new();
        let mut samples = Vec::new();
        for (i, f) in features.iter().enumerate() {
            let Some(g) = &f.located.location.geometry else {
                continue;
            };
            if let Some(r) = g.bounding_rect() {
                env.push(GeomWithData::new(
                    Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                    i,
                ));
            }
            for p in sample_points(g) {
                samples.push(GeomWithData::new(to_ecef(p), i));
            }
        }
        let mut h = Sha256::new();
        for f in &features {
            h.update(f.hash);
        }
        let version: String = h.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Portfolio {
            features,
            by_id,
            envelopes: RTree::bulk_load(env),
            samples: RTree::bulk_load(samples),
            plans,
            version,
        }
    }

    pub fn len(&self) -> usize {
        self.features.len()
    }

    pub fn is_empty(&self) -> bool {
        self.features.is_empty()
    }

    /// Every located project, in order of first mention.
    pub fn features(&self) -> impl ExactSizeIterator<Item = &Located> + '_ {
        self.features.iter().map(|e| &e.located)
    }

    pub fn feature(&self, i: usize) -> &Located {
        &self.features[i].located
    }

    /// The entries, shared with the catalog that made them.
    pub fn entries(&self) -> &[Arc<Entry>] {
        &self.features
    }

    /// Feature `i` in list form, as serialized JSON (rendered when it last changed).
    pub fn raw(&self, i: usize) -> &RawValue {
        &self.features[i].raw
    }

    /// Feature `i` in list form as a JSON value.
    pub fn listed(&self, i: usize) -> Value {
        serde_json::from_str(self.features[i].raw.get()).unwrap_or(Value::Null)
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.by_id.get(id).copied()
    }

    pub fn plans(&self) -> &[PlanInfo] {
        &self.plans
    }

    /// A hash of the content: changes exactly when the served data does (ETag basis).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Categories present, with their feature counts.
    pub fn categories(&self) -> BTreeMap<Category, usize> {
        let mut m = BTreeMap::new();
        for f in &self.features {
            *m.entry(f.located.project.category).or_insert(0) += 1;
        }
        m
    }

    /// Features passing the filter, in index order.
    pub fn filter(&self, f: &Filter) -> Vec<usize> {
        (0..self.features.len())
            .filter(|&i| f.matches(&self.features[i].located))
            .collect()
    }

    /// Features whose geometry intersects a lon/lat box, passing the filter, in index order.
    pub fn in_bbox(&self, bbox: Rect<f64>, f: &Filter) -> Vec<usize> {
        let q = AABB::from_corners([bbox.min().x, bbox.min().y], [bbox.max().x, bbox.max().y]);
        let mut out: Vec<usize> = self
            .envelopes
            .locate_in_envelope_intersecting(&q)
            .map(|e| e.data)
            .filter(|&i| self.geometry_intersects(i, &Geometry::Rect(bbox)))
            .filter(|&i| f.matches(&self.features[i].located))
            .collect();
        out.sort_unstable();
        out
    }

    /// Features whose geometry intersects `g`, passing the filter, in index order.
    pub fn intersecting(&self, g: &Geometry<f64>, f: &Filter) -> Vec<usize> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        let q = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut out: Vec<usize> = self
            .envelopes
            .locate_in_envelope_intersecting(&q)
            .map(|e| e.data)
            .filter(|&i| self.geometry_intersects(i, g))
            .filter(|&i| f.matches(&self.features[i].located))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    fn geometry_intersects(&self, i: usize, g: &Geometry<f64>) -> bool {
        self.features[i]
            .located
            .location
            .geometry
            .as_ref()
            .is_some_and(|fg| fg.intersects(g))
    }

    /// The `k` features nearest to `p` (geodesic), passing the filter, nearest first.
    pub fn nearest(&self, p: Point<f64>, k: usize, f: &Filter) -> Vec<Hit> {
        let mut out: Vec<Hit> = Vec::new();
        if k == 0 {
            return out;
        }
        let q = to_ecef(p);
        for s in self.samples.nearest_neighbor_iter(&q) {
            if out.iter().any(|h| h.index == s.data) || !f.matches(&self.features[s.data].located) {
                continue;
            }
            out.push(Hit {
                index: s.data,
                distance_km: chord_to_km(dist3(&q, s.geom())),
            });
            if out.len() == k {
                break;
            }
        }
        out
    }

    /// Every feature within `km` of `p` (geodesic), passing the filter, nearest first.
    pub fn within(&self, p: Point<f64>, km: f64, f: &Filter) -> Vec<Hit> {
        let q = to_ecef(p);
        let chord = km_to_chord(km);
        let mut best: HashMap<usize, f64> = HashMap::new();
        for s in self.samples.locate_within_distance(q, chord * chord) {
            let d = chord_to_km(dist3(&q, s.geom()));
            best.entry(s.data)
                .and_modify(|b| *b = b.min(d))
                .or_insert(d);
        }
        let mut out: Vec<Hit> = best
            .into_iter()
            .filter(|(i, d)| *d <= km && f.matches(&self.features[*i].located))
            .map(|(index, distance_km)| Hit { index, distance_km })
            .collect();
        out.sort_by(|a, b| {
            a.distance_km
                .total_cmp(&b.distance_km)
                .then(a.index.cmp(&b.index))
        });
        out
    }

    /// The distance the distance queries use: to the nearest sample of the feature's geometry.
    /// `None` for a feature with no geometry.
    pub fn distance_km(&self, i: usize, p: Point<f64>) -> Option<f64> {
        let g = self.features[i].located.location.geometry.as_ref()?;
        sample_points(g)
            .into_iter()
            .map(|s| Haversine.distance(p, s) / 1000.0)
            .min_by(f64::total_cmp)
    }
}

/// A JSON value as serialized JSON. Infallible for values serde_json made.
pub fn to_raw(v: &Value) -> Box<RawValue> {
    RawValue::from_string(v.to_string())
        .unwrap_or_else(|_| RawValue::from_string("null".to_string()).expect("null is JSON"))
}

/// Points along a geometry: its vertices, and on lines extra points so that no two consecutive
/// samples are more than SAMPLE_KM apart.
fn sample_points(g: &Geometry<f64>) -> Vec<Point<f64>> {
    let mut out = Vec::new();
    let mut add_line = |coords: &[Coord<f64>]| {
        for w in coords.windows(2) {
            let (a, b) = (Point::from(w[0]), Point::from(w[1]));
            let d = Haversine.distance(a, b) / 1000.0;
            let n = (d / SAMPLE_KM).ceil().max(1.0) as usize;
            for j in 0..n {
                out.push(Haversine.point_at_ratio_between(a, b, j as f64 / n as f64));
            }
        }
        if let Some(last) = coords.last() {
            out.push(Point::from(*last));
        }
    };
    match g {
        Geometry::Point(p) => return vec![*p],
        Geometry::LineString(l) => add_line(&l.0),
        Geometry::MultiLineString(ml) => ml.0.iter().for_each(|l| add_line(&l.0)),
        Geometry::MultiPoint(mp) => return mp.0.clone(),
        Geometry::Polygon(p) => add_line(&p.exterior().0),
        Geometry::MultiPolygon(mp) => mp.0.iter().for_each(|p| add_line(&p.exterior().0)),
        _ => {}
    }
    out
}

fn to_ecef(p: Point<f64>) -> [f64; 3] {
    let (lon, lat) = (p.x().to_radians(), p.y().to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

fn dist3(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

fn chord_to_km(c: f64) -> f64 {
    2.0 * (c / 2.0).clamp(0.0, 1.0).asin() * EARTH_RADIUS_KM
}

fn km_to_chord(km: f64) -> f64 {
    2.0 * (km / EARTH_RADIUS_KM / 2.0)
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}
