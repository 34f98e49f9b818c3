//! Spatial searches beyond the standard, all answered from the index's R-trees.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use geo::Geometry;
use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::{json, Value};

use crate::index::to_raw;

use super::ogc::feature_collection;
use super::params::{Params, FILTER_PARAMS};
use super::responses::{Link, UnitRef};
use super::{base_url, json_response, query_string, ApiError, Shared, GEOJSON};
use crate::config::{MAX_BODY_BYTES, MAX_K, MAX_QUERY_VERTICES};
use crate::gazetteer::{AdminCode, Level};
use crate::index::Hit;

fn allowed(extra: &[&'static str]) -> Vec<&'static str> {
    let mut v: Vec<&str> = extra.to_vec();
    v.extend(FILTER_PARAMS);
    v
}

fn with_distance(snap: &super::Snapshot, h: &Hit) -> Value {
    let mut f = snap.portfolio.listed(h.index);
    f["properties"]["distance_km"] = json!((h.distance_km * 1000.0).round() / 1000.0);
    f
}

pub async fn nearest(
    State(st): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &allowed(&["lon", "lat", "k"]))?;
    let point = p.point()?;
    let k = p.usize_in("k", 10, 1, MAX_K)?;
    let filter = p.filter()?;
    let snap = st.snapshot();
    let hits = snap.portfolio.nearest(point, k, &filter);
    let page: Vec<Cow<RawValue>> = hits
        .iter()
        .map(|h| Cow::Owned(to_raw(&with_distance(&snap, h))))
        .collect();
    let n = page.len();
    let path = format!("{}/search/nearest", base_url(&headers));
    // one answer of k: no pages, so the one link is to itself
    let mut body = feature_collection(page, n, 0, k, &path, p.pairs());
    body.links = vec![Link::new(
        format!("{path}?{}", query_string(p.pairs())),
        "self",
        GEOJSON,
        "This answer",
    )];
    Ok(json_response(&body, GEOJSON))
}

pub async fn within(
    State(st): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &allowed(&["lon", "lat", "km", "limit", "offset"]),
    )?;
    let point = p.point()?;
    let km = p.km()?;
    let limit = p.limit()?;
    let offset = p.offset()?;
    let filter = p.filter()?;
    let snap = st.snapshot();
    let hits = snap.portfolio.within(point, km, &filter);
    let page: Vec<Cow<RawValue>> = hits
        .iter()
        .skip(offset)
        .take(limit)
        .map(|h| Cow::Owned(to_raw(&with_distance(&snap, h))))
        .collect();
    let path = format!("{}/search/within", base_url(&headers));
    let body = feature_collection(page, hits.len(), offset, limit, &path, p.pairs());
    Ok(json_response(&body, GEOJSON))
}

pub async fn intersects(
    State(st): State<Shared>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &allowed(&["limit"]))?;
    let limit = p.limit()?;
    let filter = p.filter()?;
    let body = body.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::TooLarge {
                limit: MAX_BODY_BYTES,
            }
        } else {
            ApiError::BadBody(e.body_text())
        }
    })?;
    let geom = parse_query_geometry(&body)?;
    let snap = st.snapshot();
    let ids = snap.portfolio.intersecting(&geom, &filter);
    let page: Vec<Cow<RawValue>> = ids
        .iter()
        .take(limit)
        .map(|&i| Cow::Borrowed(snap.portfolio.raw(i)))
        .collect();
    let counties: Vec<Value> = snap
        .counties
        .intersecting(&geom)
        .into_iter()
        .map(|i| snap.counties.properties(i))
        .collect();
    let path = format!("{}/search/intersects", base_url(&headers));
    let mut body = feature_collection(page, ids.len(), 0, limit, &path, p.pairs());
    // the geometry is in the body, not the URL: a next link could not repeat the query
    body.links.retain(|l| l.rel == "self");
    body.counties = Some(counties);
    Ok(json_response(&body, GEOJSON))
}

/// A GeoJSON Geometry or Feature body, checked: WGS 84 ranges, finite, bounded size.
pub fn parse_query_geometry(body: &[u8]) -> Result<Geometry<f64>, ApiError> {
    if body.is_empty() {
        return Err(ApiError::BadBody(
            "empty; send a GeoJSON Geometry or Feature".into(),
        ));
    }
    let text = std::str::from_utf8(body).map_err(|_| ApiError::BadBody("not UTF-8".into()))?;
    let gj: geojson::GeoJson = text
        .parse()
        .map_err(|e| ApiError::BadBody(format!("not GeoJSON: {e}")))?;
    let g = match gj {
        geojson::GeoJson::Geometry(g) => g,
        geojson::GeoJson::Feature(f) => f
            .geometry
            .ok_or_else(|| ApiError::BadBody("the Feature has no geometry".into()))?,
        geojson::GeoJson::FeatureCollection(_) => {
            return Err(ApiError::BadBody(
                "a FeatureCollection; send one Geometry or Feature".into(),
            ))
        }
    };
    let geom: Geometry<f64> = g
        .try_into()
        .map_err(|e: geojson::Error| ApiError::BadBody(format!("unusable geometry: {e}")))?;
    let mut n = 0usize;
    for c in geo::CoordsIter::coords_iter(&geom) {
        n += 1;
        if n > MAX_QUERY_VERTICES {
            return Err(ApiError::BadBody(format!(
                "more than {MAX_QUERY_VERTICES} vertices"
            )));
        }
        if !c.x.is_finite() || !c.y.is_finite() || c.x.abs() > 180.0 || c.y.abs() > 90.0 {
            return Err(ApiError::BadBody(format!(
                "coordinate ({}, {}) is not WGS 84 lon/lat",
                c.x, c.y
            )));
        }
    }
    if n == 0 {
        return Err(ApiError::BadBody("the geometry has no coordinates".into()));
    }
    Ok(geom)
}

pub async fn county_at(
    State(st): State<Shared>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["lon", "lat"])?;
    let point = p.point()?;
    let snap = st.snapshot();
    let unit = st.gaz.county_at(point).ok_or_else(|| {
        ApiError::NotFound(format!(
            "({}, {}) is in no Xinjiang county-level unit",
            point.x(),
            point.y()
        ))
    })?;
    let code = unit.code.to_string();
    let feature = snap
        .counties
        .position(&code)
        .map(|i| snap.counties.feature(i))
        .unwrap_or_else(|| json!({"type": "Feature", "id": code, "geometry": null, "properties": {"code": code, "name": unit.name}}));
    Ok(json_response(&feature, GEOJSON))
}

pub async fn county_projects(
    State(st): State<Shared>,
    Path(code): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let code: AdminCode = code.parse().map_err(|_| {
        let shown: String = code.chars().take(20).collect();
        ApiError::param(
            "code",
            format!("{shown:?} is not a six-digit GB/T 2260 code"),
        )
    })?;
    let unit = st
        .gaz
        .unit(code)
        .ok_or_else(|| ApiError::NotFound(format!("no Xinjiang unit with code {code}")))?;
    let p = Params::parse(q.as_deref(), &allowed(&["limit", "offset"]))?;
    let limit = p.limit()?;
    let offset = p.offset()?;
    let mut filter = p.filter()?;
    match unit.level {
        Level::County => filter.county = Some(code),
        Level::Prefecture => filter.prefecture = Some(code),
    }
    let snap = st.snapshot();
    let ids = snap.portfolio.filter(&filter);
    let page: Vec<Cow<RawValue>> = ids
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&i| Cow::Borrowed(snap.portfolio.raw(i)))
        .collect();
    let path = format!("{}/counties/{code}/projects", base_url(&headers));
    let mut body = feature_collection(page, ids.len(), offset, limit, &path, p.pairs());
    body.county = Some(UnitRef {
        code: code.to_string(),
        name: unit.name.clone(),
        level: unit.level,
    });
    Ok(json_response(&body, GEOJSON))
}
