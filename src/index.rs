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
    pub status: Option<crate::model::Status>,
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

/// A located project with what the index needs of it — its list-form GeoJSON, its envelope and
/// distance samples — computed once when it last changed and shared by every snapshot until it
/// changes again, so that a new snapshot costs a pass over pointers, not over geometries.
#[derive(Debug)]
pub struct Entry {
    pub located: Located,
    /// The Feature in list form, serialized (the pipeline renders it).
    pub raw: Box<RawValue>,
    /// Hash of `raw`: the portfolio's version is made of these.
    hash: [u8; 16],
    /// Hash of the project id, for the id lookup.
    id_hash: u64,
    envelope: Option<[f64; 4]>,
    samples: Vec<[f64; 3]>,
}

fn id_hash(id: &str) -> u64 {
    let d = Sha256::digest(id.as_bytes());
    u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]])
}

impl Entry {
    /// An entry of a located project and its served list form.
    pub fn new(located: Located, raw: Box<RawValue>) -> Entry {
        let mut hash = [0u8; 16];
        hash.copy_from_slice(&Sha256::digest(raw.get().as_bytes())[..16]);
        let g = located.location.geometry.as_ref();
        let envelope = g
            .and_then(|g| g.bounding_rect())
            .map(|r| [r.min().x, r.min().y, r.max().x, r.max().y]);
        let samples = g.map_or_else(Vec::new, |g| {
            sample_points(g).into_iter().map(to_ecef).collect()
        });
        Entry {
            id_hash: id_hash(&located.project.id),
            located,
            raw,
            hash,
            envelope,
            samples,
        }
    }
}

/// R-trees and the id lookup over some of a portfolio's entries.
#[derive(Default)]
struct Layer {
    envelopes: RTree<Envelope2>,
    samples: RTree<Sample3>,
    /// (hash of id, index), sorted: the id lookup without a string per project.
    ids: Vec<(u64, u32)>,
}

impl Layer {
    fn build(features: &[Arc<Entry>], slots: impl Iterator<Item = usize>) -> Layer {
        let mut env = Vec::new();
        let mut samples = Vec::new();
        let mut ids = Vec::new();
        for i in slots {
            let f = &features[i];
            ids.push((f.id_hash, i as u32));
            if let Some([x0, y0, x1, y1]) = f.envelope {
                env.push(GeomWithData::new(
                    Rectangle::from_corners([x0, y0], [x1, y1]),
                    i,
                ));
            }
            samples.extend(f.samples.iter().map(|s| GeomWithData::new(*s, i)));
        }
        ids.sort_unstable();
        Layer {
            envelopes: RTree::bulk_load(env),
            samples: RTree::bulk_load(samples),
            ids,
        }
    }

    fn ids_for(&self, h: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.ids.partition_point(|&(x, _)| x < h);
        self.ids[from..]
            .iter()
            .take_while(move |&&(x, _)| x == h)
            .map(|&(_, i)| i as usize)
    }
}

/// Most entries the delta layer holds, beyond a sixteenth of the base, before the next
/// snapshot is indexed whole again.
const MAX_DELTA: usize = 4096;

/// One immutable snapshot of the portfolio.
///
/// Its index has two layers: a base, shared by the snapshots that followed it, and a small
/// delta of the entries changed or added since. An ingest builds only the delta (the projects
/// the new plan names), so its cost does not grow with the portfolio; when the delta outgrows
/// [`MAX_DELTA`] and a sixteenth of the base, the next snapshot indexes everything again.
pub struct Portfolio {
    features: Vec<Arc<Entry>>,
    base: Arc<Layer>,
    delta: Layer,
    /// Slots in the delta: their base items, if any, are stale.
    in_delta: std::collections::HashSet<usize>,
    stats: Stats,
    version: String,
}

/// A feature found by a distance query.
#[derive(Clone, Copy, Debug)]
pub struct Hit {
    pub index: usize,
    pub distance_km: f64,
}

/// Counts and the content hash of a portfolio, kept up to date entry by entry: a snapshot
/// that changes a few entries adjusts them rather than passing over all.
#[derive(Clone, Default)]
struct Stats {
    categories: BTreeMap<Category, usize>,
    counties: HashMap<AdminCode, usize>,
    prefectures: HashMap<AdminCode, usize>,
    /// Sum of the entries' hashes (wrapping): order-free, so an entry can be taken out again.
    content: u128,
}

impl Stats {
    fn of(features: &[Arc<Entry>]) -> Stats {
        let mut s = Stats::default();
        for f in features {
            s.add(f, 1);
        }
        s
    }

    /// Counts `f` in (`sign` 1) or out (`sign` -1).
    fn add(&mut self, f: &Entry, sign: isize) {
        let bump = |n: &mut usize| *n = n.saturating_add_signed(sign);
        bump(
            self.categories
                .entry(f.located.project.category)
                .or_default(),
        );
        let loc = &f.located.location;
        for c in &loc.county_codes {
            bump(self.counties.entry(*c).or_default());
        }
        let mut prefs: Vec<AdminCode> = loc.county_codes.iter().map(|c| c.prefecture()).collect();
        prefs.extend(loc.prefecture);
        prefs.sort();
        prefs.dedup();
        for p in prefs {
            bump(self.prefectures.entry(p).or_default());
        }
        let h = u128::from_le_bytes(f.hash);
        self.content = if sign > 0 {
            self.content.wrapping_add(h)
        } else {
            self.content.wrapping_sub(h)
        };
        self.categories.retain(|_, n| *n > 0);
    }

    fn version(&self, len: usize) -> String {
        let mut h = Sha256::new();
        h.update(self.content.to_le_bytes());
        h.update((len as u64).to_le_bytes());
        hex::encode(&h.finalize()[..8])
    }
}

impl Portfolio {
    /// Builds the index over entries already rendered.
    pub fn from_entries(features: Vec<Arc<Entry>>) -> Self {
        let base = Layer::build(&features, 0..features.len());
        let stats = Stats::of(&features);
        Portfolio {
            version: stats.version(features.len()),
            features,
            base: Arc::new(base),
            delta: Layer::default(),
            in_delta: Default::default(),
            stats,
        }
    }

    /// The next snapshot after `changed` slots of `features` changed or were added (the other
    /// entries are this snapshot's): indexes only what changed since the base.
    pub fn updated(&self, features: Vec<Arc<Entry>>, changed: &[usize]) -> Self {
        let mut in_delta = self.in_delta.clone();
        in_delta.extend(changed.iter().copied());
        if in_delta.len() > MAX_DELTA + self.base.ids.len() / 16 {
            return Portfolio::from_entries(features);
        }
        let mut slots: Vec<usize> = in_delta.iter().copied().collect();
        slots.sort_unstable();
        let delta = Layer::build(&features, slots.into_iter());
        let mut stats = self.stats.clone();
        for &i in changed {
            if let Some(old) = self.features.get(i) {
                stats.add(old, -1);
            }
            stats.add(&features[i], 1);
        }
        Portfolio {
            version: stats.version(features.len()),
            features,
            base: Arc::clone(&self.base),
            delta,
            in_delta,
            stats,
        }
    }

    /// Envelope hits of both layers, each slot once.
    fn envelope_hits<'a>(&'a self, q: &AABB<[f64; 2]>) -> impl Iterator<Item = usize> + 'a {
        let base = self
            .base
            .envelopes
            .locate_in_envelope_intersecting(q)
            .map(|e| e.data)
            .filter(|i| !self.in_delta.contains(i));
        let delta = self
            .delta
            .envelopes
            .locate_in_envelope_intersecting(q)
            .map(|e| e.data);
        base.chain(delta).collect::<Vec<_>>().into_iter()
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
        let h = id_hash(id);
        // a slot's project id never changes, so a base hit is good even if the slot moved on
        self.delta
            .ids_for(h)
            .chain(self.base.ids_for(h))
            .find(|&i| self.features[i].located.project.id == id)
    }

    /// A hash of the content: changes exactly when the served data does (ETag basis).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Categories present, with their feature counts.
    pub fn categories(&self) -> &BTreeMap<Category, usize> {
        &self.stats.categories
    }

    /// How many projects lie (partly) in a county-level unit.
    pub fn county_count(&self, c: AdminCode) -> usize {
        self.stats.counties.get(&c).copied().unwrap_or(0)
    }

    /// How many projects lie (partly) in a prefecture, or are placed in it as a whole.
    pub fn prefecture_count(&self, p: AdminCode) -> usize {
        self.stats.prefectures.get(&p).copied().unwrap_or(0)
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
            .envelope_hits(&q)
            .filter(|&i| self.geometry_intersects(i, &Geometry::Rect(bbox)))
            .filter(|&i| f.matches(&self.features[i].located))
            .collect();
        out.sort_unstable();
        out
    }

    /// Features whose envelope meets a lon/lat box, passing the filter, in index order: the
    /// candidates of a predicate that confines matches to that box (a CQL2 spatial filter),
    /// which the caller then tests exactly.
    pub fn envelope_candidates(&self, bbox: Rect<f64>, f: &Filter) -> Vec<usize> {
        let q = AABB::from_corners([bbox.min().x, bbox.min().y], [bbox.max().x, bbox.max().y]);
        let mut out: Vec<usize> = self
            .envelope_hits(&q)
            .filter(|&i| f.matches(&self.features[i].located))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Features whose geometry intersects `g`, passing the filter, in index order.
    pub fn intersecting(&self, g: &Geometry<f64>, f: &Filter) -> Vec<usize> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        let q = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut out: Vec<usize> = self
            .envelope_hits(&q)
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
        // the two layers' samples, merged nearest first
        let mut base = self
            .base
            .samples
            .nearest_neighbor_iter(&q)
            .filter(|s| !self.in_delta.contains(&s.data))
            .peekable();
        let mut delta = self.delta.samples.nearest_neighbor_iter(&q).peekable();
        loop {
            let take_base = match (base.peek(), delta.peek()) {
                (Some(b), Some(d)) => dist3(&q, b.geom()) <= dist3(&q, d.geom()),
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => break,
            };
            let Some(s) = (if take_base { base.next() } else { delta.next() }) else {
                break;
            };
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
        let base = self
            .base
            .samples
            .locate_within_distance(q, chord * chord)
            .filter(|s| !self.in_delta.contains(&s.data));
        for s in base.chain(self.delta.samples.locate_within_distance(q, chord * chord)) {
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
