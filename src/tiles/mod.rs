//! Mapbox Vector Tiles (MVT 2.1) of WebMercatorQuad tiles: geometries projected to the tile's
//! pixels, clipped to the tile and a margin ([`quad::BUFFER`]), simplified to the pixel (so a
//! county outline costs what the zoom can show), quantised to the [`quad::EXTENT`] grid, and
//! encoded with the protobuf types of `geozero`.
//!
//! ```
//! use planmap::tiles::{encode, quad::TileId, TileFeature, TileValue};
//! let t = TileId { z: 9, x: 374, y: 180 };
//! let seat = geo::Geometry::Point(geo::Point::new(82.98, 46.75));
//! let far = geo::Geometry::Point(geo::Point::new(75.0, 39.0));
//! let features = [&seat, &far].map(|g| TileFeature {
//!     geometry: g,
//!     properties: vec![("name", TileValue::Str("塔城".into()))],
//! });
//! let bytes = encode(t, &[("places", &features[..])], 1000);
//! let tile = planmap::tiles::decode(&bytes).unwrap();
//! assert_eq!(tile.layers[0].features.len(), 1); // the far point is not in this tile
//! ```

pub mod quad;

use geo::{BooleanOps, BoundingRect, Coord, Geometry, Intersects, LineString, MapCoords, Rect};
pub use geozero::mvt::TileValue;
use geozero::mvt::{tile, Message, TagsBuilder, Tile};

use quad::{TileId, BUFFER, EXTENT};

/// Simplification tolerance, in pixels of the tile.
const SIMPLIFY_PX: f64 = 0.5;
/// The cell a crowded tile keeps one feature of, in pixels: about a marker's width on screen
/// (a tile is drawn 256 or 512 pixels wide).
pub const THIN_CELL_PX: i32 = 16;

/// A feature to draw: its WGS 84 geometry and the properties the tile carries.
pub struct TileFeature<'a> {
    pub geometry: &'a Geometry<f64>,
    pub properties: Vec<(&'static str, TileValue)>,
}

/// A tile's bytes: one layer per `(name, features)`; features outside the tile are left out.
///
/// A layer carries at most `limit` features. When more fall in the tile, they crowd: it keeps
/// one feature per [`THIN_CELL_PX`]-pixel cell (by where its geometry starts), earlier features
/// first (callers order them by importance), up to the limit. Zoomed in, cells hold fewer and
/// every feature comes back.
pub fn encode(t: TileId, layers: &[(&str, &[TileFeature])], limit: usize) -> Vec<u8> {
    let mut tile = Tile::default();
    for (name, features) in layers {
        let mut tags = TagsBuilder::<String>::new();
        let mut out = Vec::new();
        let thin = features.len() > limit;
        let mut taken = std::collections::HashSet::new();
        for f in *features {
            if out.len() >= limit {
                break;
            }
            let Some(s) = shape(f.geometry, t) else {
                continue;
            };
            if thin && !taken.insert(s.anchor_cell()) {
                continue;
            }
            let Some((kind, geometry)) = s.commands() else {
                continue;
            };
            let mut feature = tile::Feature {
                geometry,
                ..Default::default()
            };
            feature.set_type(kind);
            for (k, v) in &f.properties {
                let (ki, vi) = tags.insert(k.to_string(), v.clone());
                feature.tags.extend([ki, vi]);
            }
            out.push(feature);
        }
        if out.is_empty() {
            continue;
        }
        let (keys, values) = tags.into_tags();
        tile.layers.push(tile::Layer {
            version: 2,
            name: name.to_string(),
            features: out,
            keys,
            values: values.into_iter().map(Into::into).collect(),
            extent: Some(EXTENT),
        });
    }
    tile.encode_to_vec()
}

/// A tile's bytes read back (for tests and checks).
pub fn decode(bytes: &[u8]) -> Result<Tile, geozero::error::GeozeroError> {
    Tile::decode(bytes).map_err(|e| geozero::error::GeozeroError::Geometry(e.to_string()))
}

type Ring = Vec<(i32, i32)>;

/// A geometry in a tile's integer pixels.
enum Shape {
    Points(Vec<(i32, i32)>),
    Lines(Vec<Ring>),
    /// Polygons as rings, exteriors before their holes.
    Polygons(Vec<Ring>),
}

fn quantise(c: &Coord<f64>) -> (i32, i32) {
    (c.x.round() as i32, c.y.round() as i32)
}

/// Consecutive equal points once.
fn quantise_line(l: &LineString<f64>) -> Ring {
    let mut out: Ring = l.coords().map(quantise).collect();
    out.dedup();
    out
}

/// The surveyor's formula over tile coordinates (y down): MVT's exterior rings are positive.
fn area2(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

/// A geometry projected to a tile, clipped, simplified and quantised; `None` when nothing of
/// it is in the tile.
fn shape(g: &Geometry<f64>, t: TileId) -> Option<Shape> {
    use geo::Simplify;
    let px = g.map_coords(|c| t.pixel(c));
    let lo = -BUFFER;
    let hi = f64::from(EXTENT) + BUFFER;
    let clip = Rect::new((lo, lo), (hi, hi));
    let envelope = px.bounding_rect()?;
    if !envelope.intersects(&clip) {
        return None;
    }
    let inside = envelope.min().x >= lo
        && envelope.min().y >= lo
        && envelope.max().x <= hi
        && envelope.max().y <= hi;
    let points = |ps: Vec<geo::Point<f64>>| {
        let kept: Vec<(i32, i32)> = ps
            .iter()
            .filter(|p| clip.intersects(*p))
            .map(|p| quantise(&p.0))
            .collect();
        (!kept.is_empty()).then_some(Shape::Points(kept))
    };
    let lines = |ls: geo::MultiLineString<f64>| {
        let clipped = if inside {
            ls
        } else {
            clip.to_polygon().clip(&ls, false)
        };
        let kept: Vec<Ring> = clipped
            .0
            .iter()
            .map(|l| {
                let mut q = quantise_line(&l.simplify(SIMPLIFY_PX));
                // a line that shrinks to a point at this zoom stays findable as one
                if q.len() == 1 {
                    q.push(q[0]);
                }
                q
            })
            .filter(|q| q.len() >= 2)
            .collect();
        (!kept.is_empty()).then_some(Shape::Lines(kept))
    };
    let polygons = |mp: geo::MultiPolygon<f64>| {
        let clipped = if inside {
            mp
        } else {
            mp.intersection(&clip.to_polygon())
        };
        let mut rings = Vec::new();
        for p in clipped.simplify(SIMPLIFY_PX) {
            let ring = |l: &LineString<f64>, exterior: bool| -> Option<Ring> {
                let mut q = quantise_line(l);
                if q.len() > 1 && q.first() == q.last() {
                    q.pop();
                }
                let a = area2(&q);
                if q.len() < 3 || a == 0 {
                    return None;
                }
                if (a > 0) != exterior {
                    q.reverse();
                }
                Some(q)
            };
            let Some(outer) = ring(p.exterior(), true) else {
                continue;
            };
            rings.push(outer);
            rings.extend(p.interiors().iter().filter_map(|h| ring(h, false)));
        }
        (!rings.is_empty()).then_some(Shape::Polygons(rings))
    };
    match px {
        Geometry::Point(p) => points(vec![p]),
        Geometry::MultiPoint(mp) => points(mp.0),
        Geometry::LineString(l) => lines(geo::MultiLineString(vec![l])),
        Geometry::MultiLineString(ml) => lines(ml),
        Geometry::Line(l) => lines(geo::MultiLineString(vec![l.into()])),
        Geometry::Polygon(p) => polygons(geo::MultiPolygon(vec![p])),
        Geometry::MultiPolygon(mp) => polygons(mp),
        Geometry::Rect(r) => polygons(geo::MultiPolygon(vec![r.to_polygon()])),
        Geometry::Triangle(t) => polygons(geo::MultiPolygon(vec![t.to_polygon()])),
        // planmap makes none: its geometries are points, lines and polygons
        Geometry::GeometryCollection(_) => None,
    }
}

fn command(id: u32, count: u32) -> u32 {
    (id & 0x7) | (count << 3)
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

impl Shape {
    /// The thinning cell of where the geometry starts.
    fn anchor_cell(&self) -> (i32, i32) {
        let first = match self {
            Shape::Points(ps) => ps[0],
            Shape::Lines(ls) | Shape::Polygons(ls) => ls[0][0],
        };
        (
            first.0.div_euclid(THIN_CELL_PX),
            first.1.div_euclid(THIN_CELL_PX),
        )
    }

    /// The MVT geometry commands: MoveTo (1), LineTo (2), ClosePath (7), with zigzag deltas.
    fn commands(&self) -> Option<(tile::GeomType, Vec<u32>)> {
        let mut out = Vec::new();
        let mut at = (0i32, 0i32);
        let mut step = |out: &mut Vec<u32>, p: (i32, i32)| {
            out.push(zigzag(p.0 - at.0));
            out.push(zigzag(p.1 - at.1));
            at = p;
        };
        let kind = match self {
            Shape::Points(ps) => {
                out.push(command(1, ps.len() as u32));
                for p in ps {
                    step(&mut out, *p);
                }
                tile::GeomType::Point
            }
            Shape::Lines(ls) | Shape::Polygons(ls) => {
                let closed = matches!(self, Shape::Polygons(_));
                for l in ls {
                    out.push(command(1, 1));
                    step(&mut out, l[0]);
                    out.push(command(2, (l.len() - 1) as u32));
                    for p in &l[1..] {
                        step(&mut out, *p);
                    }
                    if closed {
                        out.push(command(7, 1));
                    }
                }
                if closed {
                    tile::GeomType::Polygon
                } else {
                    tile::GeomType::Linestring
                }
            }
        };
        (!out.is_empty()).then_some((kind, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(g: Geometry<f64>, t: TileId) -> Vec<tile::Feature> {
        let f = [TileFeature {
            geometry: &g,
            properties: vec![],
        }];
        decode(&encode(t, &[("l", &f[..])], 10))
            .unwrap()
            .layers
            .into_iter()
            .flat_map(|l| l.features)
            .collect()
    }

    #[test]
    fn commands_follow_the_spec_example() {
        // MVT 2.1, 4.3.5: a point at (25, 17)
        let s = Shape::Points(vec![(25, 17)]);
        assert_eq!(s.commands().unwrap().1, vec![9, 50, 34]);
        // a line (2,2) (2,10) (10,10)
        let s = Shape::Lines(vec![vec![(2, 2), (2, 10), (10, 10)]]);
        assert_eq!(s.commands().unwrap().1, vec![9, 4, 4, 18, 0, 16, 16, 0]);
        // a polygon (3,6) (8,12) (20,34), closed
        let s = Shape::Polygons(vec![vec![(3, 6), (8, 12), (20, 34)]]);
        assert_eq!(
            s.commands().unwrap().1,
            vec![9, 6, 12, 18, 10, 12, 24, 44, 15]
        );
    }

    #[test]
    fn a_polygon_over_the_tile_is_clipped_to_its_margin_and_wound_as_mvt_says() {
        let t = TileId { z: 6, x: 46, y: 22 };
        let all = t.bounds(500.0);
        let f = decoded(Geometry::Polygon(all.to_polygon()), t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].r#type(), tile::GeomType::Polygon);
        let (mut x, mut y) = (0i32, 0i32);
        let mut ring = Vec::new();
        let g = &f[0].geometry;
        let mut i = 0;
        while i < g.len() {
            let (id, count) = (g[i] & 7, g[i] >> 3);
            i += 1;
            if id == 7 {
                continue;
            }
            for _ in 0..count {
                let d = |v: u32| ((v >> 1) as i32) ^ -((v & 1) as i32);
                x += d(g[i]);
                y += d(g[i + 1]);
                ring.push((x, y));
                i += 2;
            }
        }
        let lo = -(BUFFER as i32);
        let hi = EXTENT as i32 + BUFFER as i32;
        assert!(ring
            .iter()
            .all(|&(x, y)| (lo..=hi).contains(&x) && (lo..=hi).contains(&y)));
        assert!(
            area2(&ring) > 0,
            "exterior rings are positive in tile coordinates"
        );
    }

    #[test]
    fn a_crowded_tile_keeps_one_feature_a_cell_up_to_its_limit() {
        let t = TileId { z: 6, x: 46, y: 23 };
        let b = t.bounds(0.0);
        // 200 × 200 points over the tile: 40,000, several to each 16-pixel cell
        let points: Vec<Geometry<f64>> = (0..40_000)
            .map(|i| {
                let (u, v) = (f64::from(i % 200) / 200.0, f64::from(i / 200) / 200.0);
                Geometry::Point(geo::Point::new(
                    b.min().x + u * b.width(),
                    b.min().y + v * b.height(),
                ))
            })
            .collect();
        let features: Vec<TileFeature> = points
            .iter()
            .map(|g| TileFeature {
                geometry: g,
                properties: vec![],
            })
            .collect();
        let count = |limit: usize| {
            decode(&encode(t, &[("l", &features[..])], limit))
                .unwrap()
                .layers[0]
                .features
                .len()
        };
        let cells = (EXTENT as i32 / THIN_CELL_PX).pow(2) as usize;
        let thinned = count(50_000);
        assert!(
            thinned <= cells && thinned > cells / 2,
            "{thinned} of {cells} cells"
        );
        assert_eq!(count(1_000), 1_000);
        // under the limit, every feature
        assert_eq!(
            decode(&encode(t, &[("l", &features[..100])], 1_000))
                .unwrap()
                .layers[0]
                .features
                .len(),
            100
        );
    }

    #[test]
    fn what_lies_outside_the_tile_is_left_out() {
        let t = TileId {
            z: 8,
            x: 186,
            y: 90,
        };
        let far = Geometry::Point(geo::Point::new(0.0, 0.0));
        assert!(decoded(far, t).is_empty());
        let b = t.bounds(0.0);
        let across = Geometry::LineString(LineString::from(vec![
            (b.min().x - 5.0, b.center().y),
            (b.max().x + 5.0, b.center().y),
        ]));
        let f = decoded(across, t);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].r#type(), tile::GeomType::Linestring);
    }
}
