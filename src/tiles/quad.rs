//! The WebMercatorQuad tile grid (OGC 2D Tile Matrix Set; the grid of every web map): tile
//! addresses, their bounds in WGS 84, and where a longitude and latitude fall in a tile's pixels.

use geo::{Coord, Rect};

use crate::config::MAX_TILE_ZOOM;

/// Pixels across a tile, the MVT default: coordinates are quantised to this grid.
pub const EXTENT: u32 = 4096;
/// Pixels around a tile that are drawn too, so that lines and markers that cross an edge are
/// not cut there.
pub const BUFFER: f64 = 64.0;
/// Web Mercator's latitude limit: the grid is square.
const MAX_LAT: f64 = 85.051_128_779_806_59;

/// A tile of the grid: zoom level (OGC `tileMatrix`), row (`tileRow`, from the north) and
/// column (`tileCol`, from the antimeridian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TileId {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// Why a tile address is refused, naming the OGC parameter.
#[derive(Debug, thiserror::Error)]
pub enum TileError {
    #[error("tileMatrix {0}: zoom levels are 0 to {MAX_TILE_ZOOM}")]
    Zoom(String),
    #[error("tileRow {0}: rows at this zoom are 0 to {1}")]
    Row(String, u32),
    #[error("tileCol {0}: columns at this zoom are 0 to {1}")]
    Col(String, u32),
}

impl TileError {
    /// The path parameter at fault.
    pub fn parameter(&self) -> &'static str {
        match self {
            TileError::Zoom(_) => "tileMatrix",
            TileError::Row(..) => "tileRow",
            TileError::Col(..) => "tileCol",
        }
    }
}

impl TileId {
    /// A tile from its path segments, checked against the grid.
    ///
    /// ```
    /// use planmap::tiles::quad::TileId;
    /// assert!(TileId::parse("5", "11", "23").is_ok());
    /// assert!(TileId::parse("5", "32", "0").is_err());
    /// assert!(TileId::parse("-1", "0", "0").is_err());
    /// ```
    pub fn parse(z: &str, y: &str, x: &str) -> Result<TileId, TileError> {
        let zoom: u8 = z
            .parse()
            .ok()
            .filter(|z| *z <= MAX_TILE_ZOOM)
            .ok_or_else(|| TileError::Zoom(short(z)))?;
        let last = (1u32 << zoom) - 1;
        let row: u32 = y
            .parse()
            .ok()
            .filter(|r| *r <= last)
            .ok_or_else(|| TileError::Row(short(y), last))?;
        let col: u32 = x
            .parse()
            .ok()
            .filter(|c| *c <= last)
            .ok_or_else(|| TileError::Col(short(x), last))?;
        Ok(TileId {
            z: zoom,
            x: col,
            y: row,
        })
    }

    fn world(&self) -> f64 {
        f64::from(EXTENT) * f64::from(1u32 << self.z)
    }

    /// Where a WGS 84 coordinate falls in this tile's pixels (y down; outside the tile is
    /// below 0 or above [`EXTENT`]).
    pub fn pixel(&self, c: Coord<f64>) -> Coord<f64> {
        let world = self.world();
        let lat = c.y.clamp(-MAX_LAT, MAX_LAT).to_radians();
        let wx = (c.x + 180.0) / 360.0 * world;
        let wy = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * world;
        Coord {
            x: wx - f64::from(self.x) * f64::from(EXTENT),
            y: wy - f64::from(self.y) * f64::from(EXTENT),
        }
    }

    /// The WGS 84 coordinate of a pixel of this tile.
    fn lonlat(&self, px: f64, py: f64) -> Coord<f64> {
        let world = self.world();
        let wx = px + f64::from(self.x) * f64::from(EXTENT);
        let wy = py + f64::from(self.y) * f64::from(EXTENT);
        let lon = wx / world * 360.0 - 180.0;
        let lat = (std::f64::consts::PI * (1.0 - 2.0 * wy / world))
            .sinh()
            .atan()
            .to_degrees();
        Coord { x: lon, y: lat }
    }

    /// The tile's box in WGS 84, widened by `margin` pixels on every side.
    ///
    /// ```
    /// use planmap::tiles::quad::TileId;
    /// let b = TileId { z: 1, x: 1, y: 0 }.bounds(0.0);
    /// assert!((b.min().x - 0.0).abs() < 1e-9 && (b.max().x - 180.0).abs() < 1e-9);
    /// assert!(b.min().y.abs() < 1e-9 && (b.max().y - 85.0511).abs() < 1e-4);
    /// ```
    pub fn bounds(&self, margin: f64) -> Rect<f64> {
        let e = f64::from(EXTENT);
        Rect::new(
            self.lonlat(-margin, e + margin),
            self.lonlat(e + margin, -margin),
        )
    }
}

fn short(s: &str) -> String {
    s.chars().take(20).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_and_coordinates_go_both_ways() {
        let t = TileId {
            z: 9,
            x: 374,
            y: 180,
        };
        for (px, py) in [(0.0, 0.0), (4096.0, 4096.0), (1234.5, 987.25)] {
            let back = t.pixel(t.lonlat(px, py));
            assert!((back.x - px).abs() < 1e-6 && (back.y - py).abs() < 1e-6);
        }
        // 塔城's seat lies in this tile, near its western edge and below its middle
        let p = t.pixel(Coord { x: 82.98, y: 46.75 });
        assert!(
            (0.0..100.0).contains(&p.x) && (2048.0..3000.0).contains(&p.y),
            "{p:?}"
        );
    }
}
