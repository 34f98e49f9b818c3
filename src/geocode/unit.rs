//! The plan's own unit: which county or prefecture a plan is about.
//!
//! A county's plan names its own townships, valleys and lakes without saying whose they are, and
//! many of those names recur elsewhere in Xinjiang (照壁山 is a township of 木垒 and a reservoir of
//! 乌鲁木齐县). Knowing the plan's unit lets the geocoder rank candidates inside it first and put
//! a project with no place of its own in it. The unit is read, in order of trust, from the
//! plan's title (its first title-like line or a 《…》 title near the top), from the body that
//! issued it (乌鲁木齐县人民政府, 塔城地区人大), or from the unit the text names far more than any
//! other. A plan of the region (自治区, 新疆) has no unit.

use std::collections::HashMap;

use serde::Serialize;

use crate::gazetteer::{AdminCode, Gazetteer, Level, Target};
use crate::model::{Document, UnitSource};

/// The unit a whole document is about (a county's or a prefecture's plan).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Region {
    County(AdminCode),
    Prefecture(AdminCode),
}

impl Region {
    pub fn code(self) -> AdminCode {
        match self {
            Region::County(c) | Region::Prefecture(c) => c,
        }
    }

    /// The prefecture the unit lies in (itself for a prefecture).
    pub fn prefecture(self) -> AdminCode {
        match self {
            Region::County(c) => c.prefecture(),
            Region::Prefecture(p) => p,
        }
    }

    /// How close a county lies to this unit: 0 inside it, 1 in its prefecture, 2 elsewhere.
    pub fn rank(self, county: AdminCode) -> u8 {
        match self {
            Region::County(c) if c == county => 0,
            Region::Prefecture(p) if county.prefecture() == p => 0,
            _ if county.prefecture() == self.prefecture() => 1,
            _ => 2,
        }
    }
}

/// The unit found for a plan, and what it was found by.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanUnit {
    pub code: String,
    pub name: String,
    /// `county` or `prefecture`.
    pub level: &'static str,
    pub found_by: UnitSource,
    #[serde(skip)]
    pub region: Region,
}

/// Lines at the top of a plan where its title and issuer are looked for.
const HEAD_LINES: usize = 30;
/// Words that make a line or a 《…》 a plan's title.
const TITLE_MARKERS: [&str; 6] = ["规划", "纲要", "报告", "计划", "方案", "意见"];
/// Bodies that issue plans, after the unit's name.
const ISSUERS: [&str; 8] = [
    "人民政府",
    "人民代表大会",
    "人大常委会",
    "人大工作委员会",
    "人大",
    "行政公署",
    "行署",
    "管委会",
];
/// Words that mark the region's own plan.
const REGION_WORDS: [&str; 3] = ["自治区", "新疆维吾尔", "新疆"];
/// Fewest unit mentions for the most-named unit to count, and the share it must have.
const MIN_MENTIONS: usize = 12;
const MIN_SHARE: f64 = 0.45;

/// The unit a plan is about, if it is about one.
///
/// ```
/// use planmap::gazetteer::Gazetteer;
/// use planmap::model::Document;
/// let gaz = Gazetteer::embedded().unwrap();
/// let doc = Document::from_bytes("p.txt", "乌鲁木齐县国民经济和社会发展第十四个五年规划纲要\n".as_bytes()).unwrap();
/// let u = planmap::geocode::plan_unit(&gaz, &doc).unwrap();
/// assert_eq!((u.code.as_str(), u.found_by.key()), ("650121", "title"));
/// ```
pub fn plan_unit(gaz: &Gazetteer, doc: &Document) -> Option<PlanUnit> {
    let head: Vec<&str> = doc.text.lines().take(HEAD_LINES).collect();
    let mut titles: Vec<String> = doc.title.iter().cloned().collect();
    for line in &head {
        let mut rest = *line;
        while let Some(i) = rest.find('《') {
            let after = &rest[i + '《'.len_utf8()..];
            let Some(j) = after.find('》') else { break };
            let t = &after[..j];
            if TITLE_MARKERS.iter().any(|m| t.contains(m)) {
                titles.push(t.to_string());
            }
            rest = &after[j..];
        }
    }
    for t in &titles {
        match unit_at_head(gaz, t) {
            Found::Unit(r) => return Some(describe(gaz, r, UnitSource::Title)),
            Found::Region => return None,
            Found::Nothing => {}
        }
    }
    if let Some(r) = issuer(gaz, &head) {
        return r.map(|r| describe(gaz, r, UnitSource::Issuer));
    }
    most_named(gaz, &doc.text).map(|r| describe(gaz, r, UnitSource::Mentions))
}

enum Found {
    Unit(Region),
    Region,
    Nothing,
}

/// The unit a name written as `matched` stands for. A unit's own name wins over another unit's
/// former name: 吐鲁番市 is today's prefecture-level city, and only was 高昌区.
fn region_of(gaz: &Gazetteer, matched: &str, targets: &[Target]) -> Option<Region> {
    let unit = targets
        .iter()
        .filter_map(|t| match t {
            Target::Unit(i) => Some(gaz.unit_at(*i)),
            _ => None,
        })
        .min_by_key(|u| u.name != matched)?;
    Some(match unit.level {
        Level::County => Region::County(unit.code),
        Level::Prefecture => Region::Prefecture(unit.code),
    })
}

/// The first unit a title names, unless the region is named before it.
fn unit_at_head(gaz: &Gazetteer, title: &str) -> Found {
    let hit = gaz
        .find_names(title)
        .into_iter()
        .find_map(|h| region_of(gaz, &title[h.start..h.end], h.targets).map(|r| (h.start, r)));
    let region_at = REGION_WORDS.iter().filter_map(|w| title.find(w)).min();
    match (hit, region_at) {
        (Some((at, _)), Some(r)) if r <= at => Found::Region,
        (Some((_, r)), _) => Found::Unit(r),
        (None, Some(_)) => Found::Region,
        (None, None) => Found::Nothing,
    }
}

/// 乌鲁木齐县人民政府, 塔城地区人大工作委员会: a unit's name right before an issuing body.
/// `Some(None)` when the issuer is the region's.
fn issuer(gaz: &Gazetteer, head: &[&str]) -> Option<Option<Region>> {
    for line in head {
        for body in ISSUERS {
            let Some(at) = line.find(body) else { continue };
            // 在阿勒泰地区第十二届人民代表大会: the session's number stands between
            let before = strip_session(&line[..at]);
            if REGION_WORDS.iter().any(|w| before.ends_with(w)) {
                return Some(None);
            }
            let unit = gaz
                .find_names(before)
                .into_iter()
                .rev()
                .find(|h| h.end == before.len())
                .and_then(|h| region_of(gaz, &before[h.start..h.end], h.targets));
            if let Some(r) = unit {
                return Some(Some(r));
            }
        }
    }
    None
}

/// 阿勒泰地区第十二届 -> 阿勒泰地区.
fn strip_session(s: &str) -> &str {
    let Some(rest) = s.strip_suffix('届') else {
        return s;
    };
    let digits =
        rest.trim_end_matches(|c: char| "一二三四五六七八九十".contains(c) || c.is_ascii_digit());
    digits.strip_suffix('第').unwrap_or(s)
}

/// The unit named far more often than any other, counting a county's mentions for its
/// prefecture too only when the prefecture itself leads.
fn most_named(gaz: &Gazetteer, text: &str) -> Option<Region> {
    let mut counts: HashMap<AdminCode, (usize, Region)> = HashMap::new();
    let mut total = 0usize;
    for h in gaz.find_names(text) {
        if let Some(r) = region_of(gaz, &text[h.start..h.end], h.targets) {
            counts.entry(r.code()).or_insert((0, r)).0 += 1;
            total += 1;
        }
    }
    let (n, r) = counts.values().max_by_key(|(n, r)| (*n, r.code()))?;
    (*n >= MIN_MENTIONS && *n as f64 >= MIN_SHARE * total as f64).then_some(*r)
}

impl PlanUnit {
    /// The unit again from what [`PlanUnit::code`] and [`PlanUnit::found_by`] kept (a stored
    /// plan record); `None` when the code is no longer a unit of the gazetteer.
    pub fn restore(gaz: &Gazetteer, code: &str, found_by: UnitSource) -> Option<PlanUnit> {
        let code: AdminCode = code.parse().ok()?;
        let unit = gaz.unit(code)?;
        let region = match unit.level {
            Level::County => Region::County(code),
            Level::Prefecture => Region::Prefecture(code),
        };
        Some(describe(gaz, region, found_by))
    }
}

fn describe(gaz: &Gazetteer, r: Region, found_by: UnitSource) -> PlanUnit {
    let (code, level) = match r {
        Region::County(c) => (c, "county"),
        Region::Prefecture(p) => (p, "prefecture"),
    };
    PlanUnit {
        code: code.to_string(),
        name: gaz.unit(code).map(|u| u.name.clone()).unwrap_or_default(),
        level,
        found_by,
        region: r,
    }
}
