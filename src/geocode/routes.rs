//! Routes: lines through their waypoints, read jointly, and the counties a line crosses.

use geo::{BoundingRect, Geometry, Intersects, LineString, Point};

use super::{Geocoder, LocatedBy, Location, Precision, Region};
use crate::gazetteer::{AdminCode, Target};
use crate::model::Project;

/// Most places one waypoint's name may stand for, and most combinations of them tried.
const MAX_WAYPOINT_CANDIDATES: usize = 4;
/// Longest leg of a route named by abbreviations (克塔, 奎北), in metres.
const MAX_ABBREVIATED_LEG_M: f64 = 900_000.0;
const MAX_ROUTE_COMBINATIONS: usize = 4096;
/// What reading a waypoint as other than its first candidate costs, in degrees of route length:
/// another reading wins only when it makes the route much shorter.
const OTHER_READING_COST: f64 = 1.0;

impl Geocoder<'_> {
    /// Lines through their waypoints, counties from the line's crossing of county polygons.
    pub(super) fn by_route(&self, p: &Project, prefer: Option<Region>) -> Option<Location> {
        if !p.category.is_linear() {
            return None;
        }
        let abbreviated = p.waypoints.len() < 2;
        let names = if !abbreviated {
            p.waypoints.clone()
        } else if !p.abbreviated.is_empty() && self.gaz.find_names(&p.name).is_empty() {
            // 克塔铁路 is 克拉玛依–塔城; 准北煤电基地 is no route, and 准北 is a place
            p.abbreviated.clone()
        } else {
            return None;
        };
        let mut candidates = Vec::new();
        let mut unresolved = Vec::new();
        for w in &names {
            let c = self.waypoint_candidates(w, prefer);
            if c.is_empty() {
                unresolved.push(w.clone());
            } else {
                candidates.push(c);
            }
        }
        let mut points = choose_jointly(&candidates);
        if points.len() < 2 {
            return None;
        }
        // 克塔 stands for 克拉玛依–塔城 only if the two lie within a road's reach of each other:
        // two characters that happen to abbreviate places across Xinjiang are no route
        if abbreviated
            && points.windows(2).any(|w| {
                geo::Distance::distance(&geo::Haversine, w[0], w[1]) > MAX_ABBREVIATED_LEG_M
            })
        {
            return None;
        }
        points.dedup_by(|a, b| a == b);
        if points.len() < 2 {
            // both ends read as one county's seat: a road inside that county
            let county = self.gaz.county_at(points[0])?;
            return Some(Location {
                county_codes: vec![county.code],
                prefecture: Some(county.prefecture),
                geometry: Some(Geometry::Point(points[0])),
                located_by: LocatedBy::Name,
                precision: Precision::County,
                confidence: 0.6,
                unresolved_waypoints: unresolved,
            });
        }
        let line = LineString::from(points.iter().map(|p| (p.x(), p.y())).collect::<Vec<_>>());
        let counties = self.counties_crossed(&line);
        let prefecture = counties.first().map(|c| c.prefecture());
        Some(Location {
            county_codes: counties,
            prefecture,
            geometry: Some(Geometry::LineString(line)),
            located_by: LocatedBy::Route,
            precision: Precision::Route,
            confidence: if unresolved.is_empty() { 0.85 } else { 0.7 },
            unresolved_waypoints: unresolved,
        })
    }

    /// Where a waypoint may be: the place read as for any name first, then the other places
    /// that share its name (甘河子 is a town of 阜康 and of 乌苏).
    fn waypoint_candidates(&self, w: &str, prefer: Option<Region>) -> Vec<Point<f64>> {
        let mut out: Vec<Point<f64>> = self.resolve_waypoint(w, prefer).into_iter().collect();
        if let Some(h) = self.gaz.find_names(w).last() {
            for t in h.targets {
                let point = match t {
                    Target::Unit(i) => Some(self.gaz.unit_at(*i).seat),
                    Target::Place(i) => {
                        let p = self.gaz.place_at(*i);
                        p.coord.or_else(|| {
                            p.counties
                                .first()
                                .and_then(|c| self.gaz.unit(*c))
                                .map(|u| u.seat)
                        })
                    }
                };
                if let Some(pt) = point {
                    if !out.contains(&pt) && out.len() < MAX_WAYPOINT_CANDIDATES {
                        out.push(pt);
                    }
                }
            }
        }
        out
    }

    fn resolve_waypoint(&self, w: &str, prefer: Option<Region>) -> Option<Point<f64>> {
        // the last place named wins: 塔城（巴克图） ends at the port, not the city
        let spot = self
            .gaz
            .find_names(w)
            .iter()
            .rev()
            .find_map(|h| self.spot(&w[h.start..h.end], h.targets, true, prefer));
        if let Some(s) = spot {
            return s.point;
        }
        let bare: String = w
            .chars()
            .filter(|c| !c.is_ascii_alphanumeric() && *c != '线')
            .collect();
        let mut cs = bare.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => {
                let full = crate::gazetteer::abbreviation(c)?;
                self.gaz
                    .find_names(full)
                    .first()
                    .and_then(|h| self.spot(&full[h.start..h.end], h.targets, true, prefer))
                    .and_then(|s| s.point)
            }
            _ => None,
        }
    }

    pub(super) fn counties_crossed(&self, line: &LineString<f64>) -> Vec<AdminCode> {
        let Some(r) = line.bounding_rect() else {
            return Vec::new();
        };
        let mut out: Vec<AdminCode> = self
            .gaz
            .counties_near([r.min().x, r.min().y], [r.max().x, r.max().y])
            .into_iter()
            .filter(|(_, poly)| poly.intersects(line))
            .map(|(u, _)| u.code)
            .collect();
        out.sort();
        out.dedup();
        out
    }
}

/// The reading of every waypoint that gives the shortest route, the ends of a route lying near
/// each other (甲至乙 names two places a road joins, not two namesakes across Xinjiang).
fn choose_jointly(candidates: &[Vec<Point<f64>>]) -> Vec<Point<f64>> {
    let first: Vec<Point<f64>> = candidates.iter().map(|c| c[0]).collect();
    let combinations = candidates
        .iter()
        .try_fold(1usize, |n, c| n.checked_mul(c.len()))
        .unwrap_or(usize::MAX);
    if combinations <= 1 || combinations > MAX_ROUTE_COMBINATIONS {
        return first;
    }
    let mut best = (f64::INFINITY, first.clone());
    let mut pick = vec![0usize; candidates.len()];
    loop {
        let points: Vec<Point<f64>> = pick.iter().zip(candidates).map(|(&k, c)| c[k]).collect();
        let length: f64 = points
            .windows(2)
            .map(|w| ((w[0].x() - w[1].x()).powi(2) + (w[0].y() - w[1].y()).powi(2)).sqrt())
            .sum();
        let cost = length + OTHER_READING_COST * pick.iter().filter(|&&k| k > 0).count() as f64;
        if cost < best.0 {
            best = (cost, points);
        }
        // the next combination, like an odometer
        let mut i = 0;
        loop {
            if i == pick.len() {
                return best.1;
            }
            pick[i] += 1;
            if pick[i] < candidates[i].len() {
                break;
            }
            pick[i] = 0;
            i += 1;
        }
    }
}
