//! Query parameters: parsed strictly, every failure a 400 that names the parameter.

use geo::{Point, Rect};

use super::error::ApiError;
use crate::config::{
    DEFAULT_LIMIT, MAX_KM, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_BYTES, MAX_SORT_KEYS, MAX_TEXT_CHARS,
};
use crate::cql::{Lang, Queryable};
use crate::gazetteer::AdminCode;
use crate::index::Filter;
use crate::model::Status;
use crate::model::{Action, Category};

/// The coordinate system of every coordinate served and read.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// The parameters of a CQL2 filter (OGC API – Features Part 3).
pub const CQL_PARAMS: [&str; 3] = ["filter", "filter-lang", "filter-crs"];

/// The property filters every listing takes.
pub const FILTER_PARAMS: [&str; 8] = [
    "category",
    "county",
    "prefecture",
    "action",
    "status",
    "datetime",
    "doc",
    "q",
];

/// One key of `sortby`.
#[derive(Clone, Debug, PartialEq)]
pub struct SortKey {
    pub property: String,
    pub descending: bool,
}

/// A request's query parameters, checked against what the endpoint allows.
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses a raw query; unknown or repeated parameters are errors (OGC API – Features
    /// /req/core/query-param-unknown).
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params, ApiError> {
        let raw = raw.unwrap_or("");
        if raw.len() > MAX_QUERY_BYTES {
            return Err(ApiError::param(
                "query",
                format!("query string over {MAX_QUERY_BYTES} bytes"),
            ));
        }
        let mut pairs: Vec<(String, String)> = Vec::new();
        for (k, v) in form_urlencoded::parse(raw.as_bytes()) {
            if !allowed.contains(&k.as_ref()) {
                return Err(ApiError::param(
                    &k,
                    format!(
                        "unknown parameter; this endpoint takes: {}",
                        allowed.join(", ")
                    ),
                ));
            }
            if pairs.iter().any(|(pk, _)| *pk == k) {
                return Err(ApiError::param(&k, "given more than once"));
            }
            pairs.push((k.into_owned(), v.into_owned()));
        }
        Ok(Params { pairs })
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The pairs as given, for building links.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn usize_in(
        &self,
        name: &str,
        default: usize,
        min: usize,
        max: usize,
    ) -> Result<usize, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(default);
        };
        let n: usize = v.trim().parse().map_err(|_| {
            ApiError::param(
                name,
                format!("{v:?} is not a whole number from {min} to {max}"),
            )
        })?;
        if n < min || n > max {
            return Err(ApiError::param(
                name,
                format!("{n} is out of range: {min} to {max}"),
            ));
        }
        Ok(n)
    }

    pub fn limit(&self) -> Result<usize, ApiError> {
        self.usize_in("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    }

    pub fn offset(&self) -> Result<usize, ApiError> {
        self.usize_in("offset", 0, 0, MAX_OFFSET)
    }

    fn f64_in(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, ApiError> {
        let Some(v) = self.get(name) else {
            return Ok(None);
        };
        let x: f64 = v
            .trim()
            .parse()
            .map_err(|_| ApiError::param(name, format!("{v:?} is not a number")))?;
        if !x.is_finite() || x < min || x > max {
            return Err(ApiError::param(
                name,
                format!("{v} is out of range: {min} to {max}"),
            ));
        }
        Ok(Some(x))
    }

    fn required_f64(&self, name: &str, min: f64, max: f64) -> Result<f64, ApiError> {
        self.f64_in(name, min, max)?
            .ok_or_else(|| ApiError::param(name, "required"))
    }

    /// `lon` and `lat`, both required, WGS 84 degrees.
    pub fn point(&self) -> Result<Point<f64>, ApiError> {
        let lon = self.required_f64("lon", -180.0, 180.0)?;
        let lat = self.required_f64("lat", -90.0, 90.0)?;
        Ok(Point::new(lon, lat))
    }

    pub fn km(&self) -> Result<f64, ApiError> {
        let km = self.required_f64("km", 0.0, MAX_KM)?;
        Ok(km)
    }

    /// `bbox=minlon,minlat,maxlon,maxlat` (or six numbers with heights, which are ignored).
    pub fn bbox(&self) -> Result<Option<Rect<f64>>, ApiError> {
        let Some(v) = self.get("bbox") else {
            return Ok(None);
        };
        let nums: Vec<f64> = v
            .split(',')
            .map(|s| s.trim().parse::<f64>())
            .collect::<Result<_, _>>()
            .map_err(|_| ApiError::param("bbox", format!("{v:?}: not a list of numbers")))?;
        let (x0, y0, x1, y1) = match nums.as_slice() {
            [a, b, c, d] => (*a, *b, *c, *d),
            [a, b, _, d, e, _] => (*a, *b, *d, *e),
            _ => {
                return Err(ApiError::param(
                    "bbox",
                    format!("{} numbers given; expected 4 (or 6)", nums.len()),
                ))
            }
        };
        if [x0, y0, x1, y1].iter().any(|x| !x.is_finite()) {
            return Err(ApiError::param("bbox", "numbers must be finite"));
        }
        if !(-180.0..=180.0).contains(&x0) || !(-180.0..=180.0).contains(&x1) {
            return Err(ApiError::param(
                "bbox",
                "longitudes must be within -180..180",
            ));
        }
        if !(-90.0..=90.0).contains(&y0) || !(-90.0..=90.0).contains(&y1) {
            return Err(ApiError::param("bbox", "latitudes must be within -90..90"));
        }
        if y0 > y1 {
            return Err(ApiError::param(
                "bbox",
                "the lower latitude comes second; order is minlon,minlat,maxlon,maxlat",
            ));
        }
        if x0 > x1 {
            return Err(ApiError::param(
                "bbox",
                "boxes across the antimeridian (minlon > maxlon) are not supported",
            ));
        }
        Ok(Some(Rect::new((x0, y0), (x1, y1))))
    }

    /// `properties=a,b`: the properties a response keeps (OGC API – Features Part 6, property
    /// selection), checked against the names the collection has. `None` keeps them all; an
    /// empty value keeps none (geometry and id only).
    pub fn properties(&self, known: &[&str]) -> Result<Option<Vec<String>>, ApiError> {
        let Some(v) = self.get("properties") else {
            return Ok(None);
        };
        let mut out: Vec<String> = Vec::new();
        for name in v.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            if !known.contains(&name) {
                let shown: String = name.chars().take(60).collect();
                return Err(ApiError::param(
                    "properties",
                    format!(
                        "no property {shown:?}; this collection has: {}",
                        known.join(", ")
                    ),
                ));
            }
            if !out.iter().any(|o| o == name) {
                out.push(name.to_string());
            }
        }
        Ok(Some(out))
    }

    /// `sortby=name,-plan_count`: properties to order by, each ascending unless marked `-`
    /// (a `+`, which a query string turns into a space, marks ascending).
    pub fn sortby(&self, sortable: &[&str]) -> Result<Vec<SortKey>, ApiError> {
        let Some(v) = self.get("sortby") else {
            return Ok(Vec::new());
        };
        let mut keys: Vec<SortKey> = Vec::new();
        for part in v.split(',') {
            let (descending, name) = match part.strip_prefix('-') {
                Some(rest) => (true, rest),
                None => (false, part.trim_start_matches(['+', ' '])),
            };
            let name = name.trim();
            if !sortable.contains(&name) {
                let shown: String = name.chars().take(60).collect();
                return Err(ApiError::param(
                    "sortby",
                    format!(
                        "cannot sort by {shown:?}; this collection sorts by: {}",
                        sortable.join(", ")
                    ),
                ));
            }
            if keys.iter().any(|k| k.property == name) {
                return Err(ApiError::param(
                    "sortby",
                    format!("{name} given more than once"),
                ));
            }
            keys.push(SortKey {
                property: name.to_string(),
                descending,
            });
        }
        if keys.len() > MAX_SORT_KEYS {
            return Err(ApiError::param(
                "sortby",
                format!("at most {MAX_SORT_KEYS} keys"),
            ));
        }
        Ok(keys)
    }

    /// `filter` (OGC API – Features Part 3) in the language `filter-lang` names (cql2-text by
    /// default), checked against the collection's queryables; `filter-crs` may only name CRS84.
    pub fn cql(&self, queryables: &[Queryable]) -> Result<Option<crate::cql::Filter>, ApiError> {
        if let Some(crs) = self.get("filter-crs") {
            if crs != CRS84 {
                return Err(ApiError::param(
                    "filter-crs",
                    format!("{crs:?}; filters are read in {CRS84} (longitude, latitude)"),
                ));
            }
        }
        let lang = match self.get("filter-lang") {
            None => Lang::Text,
            Some(v) => Lang::from_param(v).ok_or_else(|| {
                ApiError::param("filter-lang", format!("{v:?}; one of cql2-text, cql2-json"))
            })?,
        };
        let Some(text) = self.get("filter") else {
            return Ok(None);
        };
        if text.trim().is_empty() {
            return Err(ApiError::param("filter", "empty"));
        }
        crate::cql::Filter::parse(text, lang, queryables)
            .map(Some)
            .map_err(|e| ApiError::param("filter", e.to_string()))
    }

    /// The property filters.
    pub fn filter(&self) -> Result<Filter, ApiError> {
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            match self.get(name) {
                None => Ok(None),
                Some(v) if v.chars().count() > MAX_TEXT_CHARS => Err(ApiError::param(
                    name,
                    format!("longer than {MAX_TEXT_CHARS} characters"),
                )),
                Some("") => Err(ApiError::param(name, "empty")),
                Some(v) => Ok(Some(v.to_string())),
            }
        };
        let code = |name: &str| -> Result<Option<AdminCode>, ApiError> {
            self.get(name)
                .map(|v| {
                    v.parse::<AdminCode>().map_err(|_| {
                        ApiError::param(name, format!("{v:?} is not a six-digit GB/T 2260 code"))
                    })
                })
                .transpose()
        };
        // a parameter that names one of a fixed set of keys
        let one_of = |name: &str, keys: &[&'static str]| -> Result<Option<usize>, ApiError> {
            self.get(name)
                .map(|v| {
                    keys.iter().position(|k| *k == v).ok_or_else(|| {
                        ApiError::param(name, format!("{v:?}; one of {}", keys.join(", ")))
                    })
                })
                .transpose()
        };
        let category_keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
        let category = one_of("category", &category_keys)?.map(|i| Category::ALL[i]);
        let action_keys: Vec<&str> = Action::ALL.iter().map(|a| a.key()).collect();
        let action = one_of("action", &action_keys)?.map(|i| Action::ALL[i]);
        let status_keys: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        let status = one_of("status", &status_keys)?.map(|i| Status::ALL[i]);
        let years = self.get("datetime").map(parse_datetime).transpose()?;
        Ok(Filter {
            category,
            county: code("county")?,
            prefecture: code("prefecture")?,
            action,
            status,
            years,
            doc: text("doc")?,
            q: text("q")?,
        })
    }
}

/// OGC API – Features `datetime`: an instant (2021, 2021-06-01, 2021-06-01T00:00:00Z) or an
/// interval (2016/2020, ../2020, 2021-01-01/..), read to the year: plans are dated by year.
///
/// ```
/// use planmap::api::params::parse_datetime;
/// assert_eq!(parse_datetime("2016-01-01/2020-12-31").unwrap(), (Some(2016), Some(2020)));
/// assert_eq!(parse_datetime("../2020").unwrap(), (None, Some(2020)));
/// assert_eq!(parse_datetime("2021-03-01T00:00:00Z").unwrap(), (Some(2021), Some(2021)));
/// assert!(parse_datetime("last year").is_err());
/// ```
pub fn parse_datetime(v: &str) -> Result<(Option<i32>, Option<i32>), ApiError> {
    let bad = || {
        ApiError::param(
            "datetime",
            format!(
                "{v:?}; an RFC 3339 date or date-time, or an interval a/b with .. for an open end"
            ),
        )
    };
    let year = |s: &str| -> Result<Option<i32>, ApiError> {
        if s == ".." || s.is_empty() {
            return Ok(None);
        }
        let y: i32 = s.get(..4).and_then(|y| y.parse().ok()).ok_or_else(bad)?;
        // the rest must look like -MM-DD[Thh:mm:ss…] or nothing (read as bytes: any text may come)
        let rest = &s.as_bytes()[4..];
        let ok = rest.is_empty()
            || (rest.len() >= 6
                && rest[0] == b'-'
                && rest[1..3].iter().all(u8::is_ascii_digit)
                && rest[3] == b'-'
                && rest[4..6].iter().all(u8::is_ascii_digit)
                && (rest.len() == 6 || rest[6] == b'T' || rest[6] == b't'));
        if !ok || !(1..=9999).contains(&y) {
            return Err(bad());
        }
        Ok(Some(y))
    };
    let (from, to) = match v.split_once('/') {
        Some((a, b)) => (year(a)?, year(b)?),
        None => {
            let y = year(v)?;
            if y.is_none() {
                return Err(bad());
            }
            (y, y)
        }
    };
    if let (Some(a), Some(b)) = (from, to) {
        if a > b {
            return Err(bad());
        }
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bbox_needs_four_or_six_finite_ordered_numbers() {
        let p = |q: &str| Params::parse(Some(q), &["bbox"]).unwrap().bbox();
        assert!(p("bbox=80,40,90,45").unwrap().is_some());
        assert!(p("bbox=80,40,0,90,45,100").unwrap().is_some());
        for bad in [
            "bbox=1,2,3",
            "bbox=a,b,c,d",
            "bbox=80,45,90,40",
            "bbox=80,40,190,45",
            "bbox=NaN,1,2,3",
        ] {
            assert!(
                matches!(p(bad), Err(ApiError::BadParam { ref param, .. }) if param == "bbox"),
                "{bad}"
            );
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_rejected() {
        assert!(Params::parse(Some("foo=1"), &["limit"]).is_err());
        assert!(Params::parse(Some("limit=1&limit=2"), &["limit"]).is_err());
    }

    #[test]
    fn properties_are_checked_against_the_collection() {
        let props = |q: &str| {
            Params::parse(Some(q), &["properties"])
                .unwrap()
                .properties(&["name", "status"])
        };
        assert_eq!(props("").unwrap(), None);
        assert_eq!(
            props("properties=status,name,status").unwrap(),
            Some(vec!["status".to_string(), "name".to_string()])
        );
        assert_eq!(props("properties=").unwrap(), Some(vec![]));
        let err = props("properties=name,geometry").unwrap_err();
        assert!(err.to_string().contains("geometry"), "{err}");
    }

    #[test]
    fn sortby_reads_directions_and_checks_names() {
        let sort = |q: &str| {
            Params::parse(Some(q), &["sortby"])
                .unwrap()
                .sortby(&["name", "plan_count"])
        };
        let key = |p: &str, d: bool| SortKey {
            property: p.into(),
            descending: d,
        };
        assert_eq!(sort("").unwrap(), vec![]);
        assert_eq!(sort("sortby=name").unwrap(), vec![key("name", false)]);
        // '+' arrives as a space once the query is decoded
        assert_eq!(
            sort("sortby=%2Bname,-plan_count").unwrap(),
            vec![key("name", false), key("plan_count", true)]
        );
        assert_eq!(sort("sortby=+name").unwrap(), vec![key("name", false)]);
        assert!(sort("sortby=secret").is_err());
        assert!(sort("sortby=name,-name").is_err());
        assert!(sort("sortby=").is_err());
    }

    #[test]
    fn limit_is_bounded() {
        let l = |q: &str| Params::parse(Some(q), &["limit"]).unwrap().limit();
        assert_eq!(l("").unwrap(), DEFAULT_LIMIT);
        assert_eq!(l("limit=10000").unwrap(), 10_000);
        assert!(l("limit=0").is_err());
        assert!(l("limit=1000000000").is_err());
        assert!(l("limit=-1").is_err());
    }
}
