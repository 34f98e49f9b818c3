//! Geocoding: each extracted project to the county-level units it lies in, with a geometry whose
//! precision is stated. Evidence is tried in order (known site, route, own name, the sentence and
//! its heading, the plan's own unit) and the one that decided is recorded. Places are read here;
//! `routes` reads lines through their waypoints, `unit` the county or prefecture a plan is about.

use std::collections::HashMap;

use geo::{Geometry, Point};

use crate::gazetteer::{AdminCode, Gazetteer, Level, Place, PlaceKind, Target};
use crate::model::Project;
use crate::model::{Category, Document};

mod routes;
mod unit;
pub use unit::{plan_unit, PlanUnit, Region};

crate::model::keyed! {
    /// Which evidence placed a project.
    pub enum LocatedBy {
        Name = "name",
        Site = "site",
        Route = "route",
        Context = "context",
        Document = "document",
        None = "none",
    }
}

crate::model::keyed! {
    /// How precise the geometry is.
    pub enum Precision {
        Site = "site",
        Route = "route",
        County = "county",
        Prefecture = "prefecture",
        None = "none",
    }
}

/// Where a project is.
#[derive(Clone, Debug)]
pub struct Location {
    pub county_codes: Vec<AdminCode>,
    pub prefecture: Option<AdminCode>,
    pub geometry: Option<Geometry<f64>>,
    pub located_by: LocatedBy,
    pub precision: Precision,
    pub confidence: f64,
    /// Route waypoints that lie outside Xinjiang or are not known (kept, not dropped).
    pub unresolved_waypoints: Vec<String>,
}

impl Location {
    fn none() -> Self {
        Location {
            county_codes: Vec::new(),
            prefecture: None,
            geometry: None,
            located_by: LocatedBy::None,
            precision: Precision::None,
            confidence: 0.0,
            unresolved_waypoints: Vec::new(),
        }
    }
}

/// A project with its location: what the index and the API serve.
#[derive(Clone, Debug)]
pub struct Located {
    /// Shared with the portfolio's merger: a plan that adds a mention copies it on write.
    pub project: std::sync::Arc<Project>,
    pub location: Location,
}

/// Where a resolved name points.
#[derive(Clone, Debug)]
struct Spot {
    counties: Vec<AdminCode>,
    prefecture: Option<AdminCode>,
    point: Option<Point<f64>>,
    site: bool,
    city_guess: bool,
}

pub struct Geocoder<'g> {
    gaz: &'g Gazetteer,
    regions: std::borrow::Cow<'g, HashMap<String, Region>>,
}

impl<'g> Geocoder<'g> {
    pub fn new(gaz: &'g Gazetteer, docs: &[Document]) -> Self {
        let regions = docs
            .iter()
            .filter_map(|d| plan_unit(gaz, d).map(|u| (d.name.clone(), u.region)))
            .collect();
        Geocoder {
            gaz,
            regions: std::borrow::Cow::Owned(regions),
        }
    }

    /// A geocoder that knows each plan's unit already (by document name).
    pub fn with_regions(gaz: &'g Gazetteer, regions: &'g HashMap<String, Region>) -> Self {
        Geocoder {
            gaz,
            regions: std::borrow::Cow::Borrowed(regions),
        }
    }

    pub fn region_of(&self, doc: &str) -> Option<Region> {
        self.regions.get(doc).copied()
    }

    pub fn locate_all(&self, projects: Vec<Project>) -> Vec<Located> {
        projects
            .into_iter()
            .map(|p| {
                let location = self.locate(&p);
                Located {
                    project: std::sync::Arc::new(p),
                    location,
                }
            })
            .collect()
    }

    pub fn locate(&self, p: &Project) -> Location {
        let region = p
            .mentions
            .iter()
            .find_map(|m| self.regions.get(&m.doc).copied());
        // a name several places share is read as the one nearest the plan's own unit
        let prefer = region;
        if let Some(l) = self.by_site(p) {
            return l;
        }
        // 喀什路南延 in 乌鲁木齐's report: a city street is named after a place it is not in;
        // it lies in the plan's own unit
        // (塔斯特至托里县林场旅游道路 runs between places: a route, located by them)
        if let Some(r) = region.filter(|_| p.waypoints.len() < 2 && is_city_street(&p.name)) {
            return self.by_region(r);
        }
        // S101线沙湾境内项目: the part of a route inside one place is in that place
        if let Some(i) = p.name.find("境内") {
            if let Some(l) = self.by_text(&p.name[..i], LocatedBy::Name, 0.8, prefer, true) {
                return l;
            }
        }
        if let Some(l) = self.by_route(p, prefer) {
            return l;
        }
        // a name that gives only a prefecture (伊犁河南岸干渠) is placed more closely by a county
        // of that prefecture written beside it; failing that, it stays the prefecture's
        let mut by_name: Option<Location> = None;
        if let Some(l) = self.by_text(&p.name, LocatedBy::Name, 0.9, prefer, false) {
            if !l.county_codes.is_empty() || l.prefecture.is_none() {
                return l;
            }
            by_name = Some(l);
        }
        let within = by_name.as_ref().and_then(|l| l.prefecture);
        // in a county's own plan a place written beside a project outside the county is where
        // it leads or what it serves, not where it is
        let fits = |l: &Location| {
            let in_plan = match region {
                Some(Region::County(c)) => l.county_codes.contains(&c) || l.county_codes.is_empty(),
                // a prefecture's plan names its own places beside its projects; one of another
                // prefecture there (乌鲁木齐's 南山 in 昌吉州's list of scenic roads) names
                // something else
                Some(Region::Prefecture(p)) => l.county_codes.iter().any(|c| c.prefecture() == p),
                None => true,
            };
            let in_named = match within {
                Some(pref) => {
                    !l.county_codes.is_empty()
                        && l.county_codes.iter().all(|c| c.prefecture() == pref)
                }
                None => true,
            };
            in_plan && in_named
        };
        for c in &p.contexts {
            // the place written last before the project in its clause
            if let Some(l) = self.by_text(&c.clause, LocatedBy::Context, 0.6, prefer, true) {
                if fits(&l) {
                    return l;
                }
            }
        }
        for c in &p.contexts {
            if let Some(l) = self.by_text(&c.line_before, LocatedBy::Context, 0.5, prefer, true) {
                if fits(&l) {
                    return l;
                }
            }
        }
        // a project table's row: the first cell after the name that names a place (建设地点)
        for c in &p.contexts {
            for cell in &c.row_after {
                if let Some(l) = self.by_text(cell, LocatedBy::Context, 0.55, prefer, false) {
                    if fits(&l) {
                        return l;
                    }
                }
            }
        }
        for c in &p.contexts {
            if let Some(h) = &c.heading {
                if let Some(l) = self.by_text(h, LocatedBy::Context, 0.4, prefer, true) {
                    if fits(&l) {
                        return l;
                    }
                }
            }
        }
        if let Some(l) = by_name {
            return l;
        }
        match region {
            Some(r) => self.by_region(r),
            None => Location::none(),
        }
    }

    /// Airports and ports of entry whose gazetteer name is in the project's name.
    fn by_site(&self, p: &Project) -> Option<Location> {
        let kind = match p.category {
            Category::Airport => PlaceKind::Airport,
            Category::Port => PlaceKind::Port,
            _ => return None,
        };
        // an airport's port of entry (乌鲁木齐航空口岸) is not the city's land port (乌鲁木齐国际陆港)
        let air_port_ok = p.name.contains("航空") || p.name.contains("机场");
        let hit = self.gaz.find_names(&p.name).into_iter().find_map(|h| {
            h.targets.iter().find_map(|t| match t {
                Target::Place(i) => {
                    let place = self.gaz.place_at(*i);
                    (place.kind == kind && (air_port_ok || !place.name.contains("航空")))
                        .then_some(*i)
                }
                _ => None,
            })
        })?;
        let place = self.gaz.place_at(hit);
        let point = place.coord?;
        Some(Location {
            county_codes: place.counties.clone(),
            prefecture: place.counties.first().map(|c| c.prefecture()),
            geometry: Some(Geometry::Point(point)),
            located_by: LocatedBy::Site,
            precision: Precision::Site,
            confidence: 0.95,
            unresolved_waypoints: Vec::new(),
        })
    }

    /// Places named in a text: every distinct county-level unit they give, the first point.
    fn by_text(
        &self,
        text: &str,
        by: LocatedBy,
        confidence: f64,
        prefer: Option<Region>,
        last_only: bool,
    ) -> Option<Location> {
        let mut spots: Vec<Spot> = self
            .gaz
            .find_names(text)
            .iter()
            .filter(|h| !names_a_street(&text[h.end..]))
            .filter_map(|h| self.spot(&text[h.start..h.end], h.targets, false, prefer))
            .collect();
        if last_only && spots.len() > 1 {
            spots.drain(..spots.len() - 1);
        }
        // 托里县铁厂沟镇物流中心: a site named inside the county named beside it is where the
        // project is; the county adds nothing
        let sites: Vec<&Spot> = spots.iter().filter(|s| s.site).collect();
        if let [site] = sites[..] {
            let within = spots.iter().all(|s| {
                s.site
                    || site.counties.iter().all(|c| {
                        s.counties.contains(c)
                            || s.prefecture == Some(c.prefecture()) && s.counties.is_empty()
                    })
            });
            if within && spots.len() > 1 {
                let site = site.clone();
                spots = vec![site];
            }
        }
        let first = spots.first()?;
        let mut counties: Vec<AdminCode> = Vec::new();
        for s in &spots {
            for c in &s.counties {
                if !counties.contains(c) {
                    counties.push(*c);
                }
            }
        }
        if counties.is_empty() {
            let pref = spots.iter().find_map(|s| s.prefecture)?;
            return Some(self.prefecture_only(pref, by, confidence * 0.6));
        }
        let guess = spots.iter().all(|s| s.city_guess);
        let point = first
            .point
            .or_else(|| self.gaz.unit(counties[0]).map(|u| u.seat));
        Some(Location {
            prefecture: counties.first().map(|c| c.prefecture()),
            county_codes: counties,
            geometry: point.map(Geometry::Point),
            located_by: by,
            precision: if first.site && spots.len() == 1 {
                Precision::Site
            } else {
                Precision::County
            },
            confidence: if guess { confidence * 0.6 } else { confidence },
            unresolved_waypoints: Vec::new(),
        })
    }

    fn by_region(&self, r: Region) -> Location {
        match r {
            Region::County(c) => Location {
                county_codes: vec![c],
                prefecture: Some(c.prefecture()),
                geometry: self.gaz.unit(c).map(|u| Geometry::Point(u.seat)),
                located_by: LocatedBy::Document,
                precision: Precision::County,
                confidence: 0.5,
                unresolved_waypoints: Vec::new(),
            },
            // a city with districts (乌鲁木齐市's report): what it builds with no place named is
            // most often in its central district, as its name alone is read; a guess, said so
            Region::Prefecture(p) => match self.gaz.city_core(p) {
                Some(core) => Location {
                    county_codes: vec![core],
                    prefecture: Some(p),
                    geometry: self.gaz.unit(p).map(|u| Geometry::Point(u.seat)),
                    located_by: LocatedBy::Document,
                    precision: Precision::Prefecture,
                    confidence: 0.25,
                    unresolved_waypoints: Vec::new(),
                },
                None => self.prefecture_only(p, LocatedBy::Document, 0.4),
            },
        }
    }

    fn prefecture_only(&self, p: AdminCode, by: LocatedBy, confidence: f64) -> Location {
        Location {
            county_codes: Vec::new(),
            prefecture: Some(p),
            geometry: self.gaz.unit(p).map(|u| Geometry::Point(u.seat)),
            located_by: by,
            precision: Precision::Prefecture,
            confidence,
            unresolved_waypoints: Vec::new(),
        }
    }

    /// A county as a spot, at its seat.
    fn county_spot(&self, c: AdminCode, city_guess: bool) -> Spot {
        Spot {
            counties: vec![c],
            prefecture: Some(c.prefecture()),
            point: self.gaz.unit(c).map(|x| x.seat),
            site: false,
            city_guess,
        }
    }

    /// A township or landmark written by its short form (照壁山 for 照壁山乡) far from the plan's
    /// own unit is more likely a namesake inside the unit: a county's plan names its own valleys
    /// and lakes. Written in full (照壁山乡), or as a site (ports, airports), it is trusted.
    fn distrusted(&self, matched: &str, p: &Place, rank: u8, prefer: Option<Region>) -> bool {
        // 乌拉斯台 alone is a valley as often as the port of 乌拉斯台口岸
        let site = matches!(p.kind, PlaceKind::Port | PlaceKind::Airport)
            && (matched.contains("口岸") || matched.contains("机场"));
        if site || matched == p.name {
            return false;
        }
        match prefer {
            Some(Region::County(_)) => rank >= 1,
            Some(Region::Prefecture(_)) => rank >= 2,
            None => false,
        }
    }

    /// What a gazetteer hit means. Administrative units win over places of the same name (塔城
    /// the city, not the airport), except when a point is wanted and the place has one.
    fn spot(
        &self,
        matched: &str,
        targets: &[Target],
        want_point: bool,
        prefer: Option<Region>,
    ) -> Option<Spot> {
        let rank = |c: AdminCode| prefer.map_or(0, |r| r.rank(c));
        let unit = targets
            .iter()
            .filter_map(|t| match t {
                Target::Unit(i) => Some(self.gaz.unit_at(*i)),
                _ => None,
            })
            // a unit's own name before another's former name (吐鲁番市 the city, not 高昌区)
            .min_by_key(|u| {
                (
                    u.name != matched,
                    u.level == Level::Prefecture,
                    rank(u.code),
                )
            });
        let place_rank = |p: &Place| p.counties.iter().map(|c| rank(*c)).min().unwrap_or(2);
        let place = targets
            .iter()
            .filter_map(|t| match t {
                Target::Place(i) => Some(self.gaz.place_at(*i)),
                _ => None,
            })
            .filter(|p| !self.distrusted(matched, p, place_rank(p), prefer))
            .min_by_key(|p| place_rank(p));
        if let Some(u) = unit {
            if u.level == Level::County {
                return Some(Spot {
                    counties: vec![u.code],
                    prefecture: Some(u.prefecture),
                    point: Some(u.seat),
                    site: false,
                    city_guess: false,
                });
            }
            // 乌鲁木齐市… in 乌鲁木齐县's own plan: the city is the plan's frame, the plan's
            // county the place
            if let Some(Region::County(c)) = prefer {
                if c.prefecture() == u.code {
                    return Some(self.county_spot(c, false));
                }
            }
            // a project named only by a city with districts: its central one, less sure
            if let Some(core) = self.gaz.city_core(u.code) {
                return Some(self.county_spot(core, true));
            }
            return Some(Spot {
                counties: Vec::new(),
                prefecture: Some(u.code),
                point: if want_point { Some(u.seat) } else { None },
                site: false,
                city_guess: false,
            });
        }
        let place = place?;
        let point = place.coord.or_else(|| {
            place
                .counties
                .first()
                .and_then(|c| self.gaz.unit(*c))
                .map(|u| u.seat)
        });
        Some(Spot {
            counties: place.counties.clone(),
            prefecture: place.counties.first().map(|c| c.prefecture()),
            point,
            site: place.coord.is_some(),
            city_guess: false,
        })
    }
}

/// Whether a place name is the first part of a street's (喀什路, 伊宁东路, 克拉玛依大街): a street
/// named after a city says nothing of where a project beside it lies.
fn names_a_street(after: &str) -> bool {
    let rest = after.trim_start_matches(['东', '西', '南', '北', '中']);
    ["路", "街", "大街", "大道", "巷"]
        .iter()
        .any(|w| rest.starts_with(w))
}

/// Whether a name is a city street's (喀什路南延, 西山路西延, 康新路, 河滩快速路): a 路 that is
/// neither a highway (公路, 高速路), a railway nor a route between places, with the works on it
/// after.
fn is_city_street(name: &str) -> bool {
    let mut core = name.trim_end_matches(['）', ')']);
    if let Some(i) = core.rfind(['（', '(']) {
        if core.len() < name.len() {
            core = &core[..i];
        }
    }
    for works in ["南延", "北延", "东延", "西延", "延长线", "高架"] {
        core = core.strip_suffix(works).unwrap_or(core);
    }
    (core.ends_with('路') || core.ends_with("主干道") || core.ends_with("大道"))
        && !["公路", "铁路", "高速路", "绕城路", "环路", "道路"]
            .iter()
            .any(|w| core.ends_with(w))
}
