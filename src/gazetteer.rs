//! The Xinjiang gazetteer: administrative units with polygons, and the places below them.
//!
//! Everything here is reference data built by `geodata/build.sh` and embedded in the binary.
//! It is loaded once, never changed, and shared by every later stage.

use std::collections::HashMap;
use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use geo::{Contains, MultiPolygon, Point};
use rstar::{primitives::GeomWithData, primitives::Rectangle, RTree, AABB};
use serde::{Deserialize, Serialize};

const UNITS_JSON: &str = include_str!("../geodata/units.json");
const PLACES_JSON: &str = include_str!("../geodata/places.json");
const COUNTIES_GEOJSON: &str = include_str!("../geodata/counties.geojson");

/// A GB/T 2260 administrative code (six digits), for a county-level or prefecture-level unit.
///
/// ```
/// use planmap::gazetteer::AdminCode;
/// let c: AdminCode = "654223".parse().unwrap();
/// assert_eq!(c.to_string(), "654203"); // 沙湾县 became 沙湾市: the old code is read as the new one
/// assert_eq!(c.prefecture().to_string(), "654200");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AdminCode(u32);

impl AdminCode {
    pub fn new(code: u32) -> Option<Self> {
        if !(100_000..=999_999).contains(&code) {
            return None;
        }
        // renamed codes (geodata/reference.json): the old is accepted, the new served
        let code = REFERENCE
            .as_ref()
            .ok()
            .and_then(|t| t.renamed.get(&code).copied())
            .unwrap_or(code);
        Some(AdminCode(code))
    }

    pub fn value(self) -> u32 {
        self.0
    }

    /// The prefecture-level code this unit is filed under (itself for a prefecture, and for the
    /// Bingtuan cities, which report directly to the region).
    pub fn prefecture(self) -> AdminCode {
        if self.0 / 1000 == 659 {
            self
        } else {
            AdminCode(self.0 / 100 * 100)
        }
    }

    pub fn is_prefecture(self) -> bool {
        self.0.is_multiple_of(100) && self.0 / 1000 != 659
    }
}

impl fmt::Display for AdminCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
#[error("not a six-digit administrative code: {0:?}")]
pub struct BadCode(pub String);

impl std::str::FromStr for AdminCode {
    type Err = BadCode;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BadCode(s.to_string()));
        }
        s.parse::<u32>()
            .ok()
            .and_then(AdminCode::new)
            .ok_or_else(|| BadCode(s.to_string()))
    }
}

impl Serialize for AdminCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AdminCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

crate::model::keyed! {
    /// Which level of administration a unit is.
    pub enum Level {
        Prefecture = "prefecture",
        County = "county",
    }
}

/// An administrative unit: a prefecture or a county-level unit (county, district, city).
#[derive(Clone, Debug)]
pub struct Unit {
    pub code: AdminCode,
    pub name: String,
    pub level: Level,
    pub prefecture: AdminCode,
    pub aliases: Vec<String>,
    /// The government seat, or a point surely inside the unit (see `geodata/README.md`).
    pub seat: Point<f64>,
}

crate::model::keyed! {
    /// What kind of place a gazetteer place is.
    pub enum PlaceKind {
        Township = "township",
        Farm = "farm",
        Port = "port",
        Airport = "airport",
        Division = "division",
        Zone = "zone",
        Landmark = "landmark",
    }
}

/// A named place below (or across) the county level, filed under the units it lies in.
#[derive(Clone, Debug)]
pub struct Place {
    pub kind: PlaceKind,
    pub name: String,
    pub aliases: Vec<String>,
    pub counties: Vec<AdminCode>,
    pub coord: Option<Point<f64>>,
    pub iata: Option<String>,
    pub source: String,
}

/// What a name found in text refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Unit(usize),
    Place(usize),
}

/// One gazetteer name found in a text, by byte offsets.
#[derive(Clone, Debug)]
pub struct NameHit<'g> {
    pub start: usize,
    pub end: usize,
    pub targets: &'g [Target],
}

#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("embedded gazetteer file {file} is unreadable: {source}")]
    Json {
        file: &'static str,
        source: serde_json::Error,
    },
    #[error("embedded gazetteer file {file}: {what}")]
    Invalid { file: &'static str, what: String },
    #[error("name matcher: {0}")]
    Matcher(#[from] aho_corasick::BuildError),
}

type Envelope = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// The loaded gazetteer. Immutable once built.
pub struct Gazetteer {
    units: Vec<Unit>,
    by_code: HashMap<AdminCode, usize>,
    places: Vec<Place>,
    /// County-level polygons, index-aligned with `polygon_units`.
    polygons: Vec<MultiPolygon<f64>>,
    polygon_units: Vec<usize>,
    envelopes: RTree<Envelope>,
    matcher: AhoCorasick,
    pattern_targets: Vec<Vec<Target>>,
    pattern_index: HashMap<String, usize>,
}

#[derive(Deserialize)]
struct UnitRow {
    code: AdminCode,
    name: String,
    level: Level,
    prefecture: AdminCode,
    aliases: Vec<String>,
    seat: [f64; 2],
}

#[derive(Deserialize)]
struct PlaceRow {
    kind: PlaceKind,
    name: String,
    aliases: Vec<String>,
    counties: Vec<AdminCode>,
    coord: Option<[f64; 2]>,
    #[serde(default)]
    iata: Option<String>,
    source: String,
}

impl Gazetteer {
    /// Loads the gazetteer embedded at build time.
    pub fn embedded() -> Result<Self, GazetteerError> {
        if let Err(e) = REFERENCE.as_ref() {
            return Err(GazetteerError::Invalid {
                file: "reference.json",
                what: e.to_string(),
            });
        }
        let units: Vec<UnitRow> =
            serde_json::from_str(UNITS_JSON).map_err(|source| GazetteerError::Json {
                file: "units.json",
                source,
            })?;
        let places: Vec<PlaceRow> =
            serde_json::from_str(PLACES_JSON).map_err(|source| GazetteerError::Json {
                file: "places.json",
                source,
            })?;
        let counties: geojson::FeatureCollection = COUNTIES_GEOJSON
            .parse::<geojson::GeoJson>()
            .map_err(|e| GazetteerError::Invalid {
                file: "counties.geojson",
                what: e.to_string(),
            })
            .and_then(|g| {
                geojson::FeatureCollection::try_from(g).map_err(|e| GazetteerError::Invalid {
                    file: "counties.geojson",
                    what: e.to_string(),
                })
            })?;
        Self::build(units, places, counties)
    }

    fn build(
        unit_rows: Vec<UnitRow>,
        place_rows: Vec<PlaceRow>,
        counties: geojson::FeatureCollection,
    ) -> Result<Self, GazetteerError> {
        let units: Vec<Unit> = unit_rows
            .into_iter()
            .map(|r| Unit {
                code: r.code,
                name: r.name,
                level: r.level,
                prefecture: r.prefecture,
                aliases: r.aliases,
                seat: Point::new(r.seat[0], r.seat[1]),
            })
            .collect();
        let mut by_code = HashMap::new();
        for (i, u) in units.iter().enumerate() {
            if by_code.insert(u.code, i).is_some() {
                return Err(GazetteerError::Invalid {
                    file: "units.json",
                    what: format!("code {} twice", u.code),
                });
            }
        }
        let places: Vec<Place> = place_rows
            .into_iter()
            .map(|r| Place {
                kind: r.kind,
                name: r.name,
                aliases: r.aliases,
                counties: r.counties,
                coord: r.coord.map(|c| Point::new(c[0], c[1])),
                iata: r.iata,
                source: r.source,
            })
            .collect();

        let mut polygons = Vec::new();
        let mut polygon_units = Vec::new();
        for f in counties.features {
            let invalid = |what: String| GazetteerError::Invalid {
                file: "counties.geojson",
                what,
            };
            let code = f
                .property("code")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse::<AdminCode>().ok())
                .ok_or_else(|| invalid("a feature without a code".into()))?;
            let idx = *by_code
                .get(&code)
                .ok_or_else(|| invalid(format!("polygon for unknown code {code}")))?;
            let geom = f
                .geometry
                .ok_or_else(|| invalid(format!("{code} has no geometry")))?;
            let mp: MultiPolygon<f64> = geom
                .try_into()
                .map_err(|e: geojson::Error| invalid(format!("{code}: {e}")))?;
            polygons.push(mp);
            polygon_units.push(idx);
        }
        let envelopes = RTree::bulk_load(
            polygons
                .iter()
                .enumerate()
                .filter_map(|(i, p)| {
                    geo::BoundingRect::bounding_rect(p).map(|r| {
                        GeomWithData::new(
                            Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                            i,
                        )
                    })
                })
                .collect(),
        );

        // One pattern per distinct name; a name several entries share points at all of them.
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_targets: Vec<Vec<Target>> = Vec::new();
        let mut add = |name: &str, t: Target| {
            if name.chars().count() < 2 {
                return;
            }
            let i = *index.entry(name.to_string()).or_insert_with(|| {
                patterns.push(name.to_string());
                pattern_targets.push(Vec::new());
                patterns.len() - 1
            });
            if !pattern_targets[i].contains(&t) {
                pattern_targets[i].push(t);
            }
        };
        for (i, u) in units.iter().enumerate() {
            add(&u.name, Target::Unit(i));
            for a in &u.aliases {
                add(a, Target::Unit(i));
            }
        }
        for (i, p) in places.iter().enumerate() {
            add(&p.name, Target::Place(i));
            for a in &p.aliases {
                add(a, Target::Place(i));
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&patterns)?;
        Ok(Gazetteer {
            units,
            by_code,
            places,
            polygons,
            polygon_units,
            envelopes,
            matcher,
            pattern_targets,
            pattern_index: index,
        })
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The central district of a prefecture-level city (乌鲁木齐市 → 天山区), where a project
    /// named only by the city is put.
    pub fn city_core(&self, city: AdminCode) -> Option<AdminCode> {
        REFERENCE
            .as_ref()
            .ok()?
            .city_core
            .get(&city.0)
            .map(|&c| AdminCode(c))
    }

    pub fn unit(&self, code: AdminCode) -> Option<&Unit> {
        self.by_code.get(&code).map(|&i| &self.units[i])
    }

    pub fn unit_at(&self, i: usize) -> &Unit {
        &self.units[i]
    }

    pub fn place_at(&self, i: usize) -> &Place {
        &self.places[i]
    }

    /// The county-level polygon of a unit, if it has one (prefectures do not).
    pub fn polygon(&self, code: AdminCode) -> Option<&MultiPolygon<f64>> {
        let ui = *self.by_code.get(&code)?;
        self.polygon_units
            .iter()
            .position(|&u| u == ui)
            .map(|i| &self.polygons[i])
    }

    /// Every county-level polygon with its unit.
    pub fn county_polygons(&self) -> impl Iterator<Item = (&Unit, &MultiPolygon<f64>)> {
        self.polygon_units
            .iter()
            .zip(&self.polygons)
            .map(|(&u, p)| (&self.units[u], p))
    }

    /// All units and places a name (exact, alias included) refers to.
    pub fn lookup(&self, name: &str) -> &[Target] {
        self.pattern_index
            .get(name)
            .map_or(&[], |&i| &self.pattern_targets[i])
    }

    /// Every gazetteer name in `text`, leftmost-longest, not overlapping.
    pub fn find_names<'g>(&'g self, text: &str) -> Vec<NameHit<'g>> {
        self.matcher
            .find_iter(text)
            .map(|m| NameHit {
                start: m.start(),
                end: m.end(),
                targets: &self.pattern_targets[m.pattern().as_usize()],
            })
            .collect()
    }

    /// The county-level unit containing a point (WGS 84 lon/lat).
    pub fn county_at(&self, p: Point<f64>) -> Option<&Unit> {
        let q = AABB::from_point([p.x(), p.y()]);
        self.envelopes
            .locate_in_envelope_intersecting(&q)
            .find(|e| self.polygons[e.data].contains(&p))
            .map(|e| &self.units[self.polygon_units[e.data]])
    }

    /// County-level units whose polygons' envelopes intersect a box: candidates for an exact test.
    pub fn counties_near(&self, min: [f64; 2], max: [f64; 2]) -> Vec<(&Unit, &MultiPolygon<f64>)> {
        let q = AABB::from_corners(min, max);
        self.envelopes
            .locate_in_envelope_intersecting(&q)
            .map(|e| {
                (
                    &self.units[self.polygon_units[e.data]],
                    &self.polygons[e.data],
                )
            })
            .collect()
    }
}

/// The place a one-character abbreviation in a route's name stands for (克 → 克拉玛依).
///
/// ```
/// assert_eq!(planmap::gazetteer::abbreviation('克'), Some("克拉玛依"));
/// assert_eq!(planmap::gazetteer::abbreviation('水'), None);
/// ```
pub fn abbreviation(c: char) -> Option<&'static str> {
    REFERENCE
        .as_ref()
        .ok()?
        .abbreviations
        .get(&c)
        .map(String::as_str)
}

/// Reference tables about places that are not places themselves, written by
/// `geodata/build.py` into `geodata/reference.json`, as the file has them.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferenceFile {
    /// Old code → new code (沙湾县 654223 became 沙湾市 654203).
    renamed: HashMap<String, String>,
    /// One-character abbreviations in route names (克塔 = 克拉玛依–塔城).
    abbreviations: HashMap<String, String>,
    /// A prefecture-level city → its central district.
    city_core: HashMap<String, String>,
}

/// The same tables, keyed as they are looked up: checked once, not parsed on every lookup.
struct Reference {
    renamed: HashMap<u32, u32>,
    abbreviations: HashMap<char, String>,
    city_core: HashMap<u32, u32>,
}

impl TryFrom<ReferenceFile> for Reference {
    type Error = serde_json::Error;

    fn try_from(f: ReferenceFile) -> Result<Self, Self::Error> {
        use serde::de::Error;
        let codes = |m: HashMap<String, String>| {
            m.into_iter()
                .map(|(a, b)| match (a.parse(), b.parse()) {
                    (Ok(a), Ok(b)) => Ok((a, b)),
                    _ => Err(serde_json::Error::custom(format!("code {a:?} or {b:?}"))),
                })
                .collect::<Result<HashMap<u32, u32>, _>>()
        };
        let abbreviations = f
            .abbreviations
            .into_iter()
            .map(|(k, v)| {
                let mut chars = k.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Ok((c, v)),
                    _ => Err(serde_json::Error::custom(format!(
                        "abbreviation {k:?} is not one character"
                    ))),
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Reference {
            renamed: codes(f.renamed)?,
            abbreviations,
            city_core: codes(f.city_core)?,
        })
    }
}

const REFERENCE_JSON: &str = include_str!("../geodata/reference.json");

/// Parsed and checked once: embedded and immutable. [`Gazetteer::embedded`] reports a failure.
static REFERENCE: std::sync::LazyLock<Result<Reference, serde_json::Error>> =
    std::sync::LazyLock::new(|| {
        serde_json::from_str::<ReferenceFile>(REFERENCE_JSON).and_then(Reference::try_from)
    });
