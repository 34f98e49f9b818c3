//! OGC API – Features 1.0 Part 1 endpoints: landing page, conformance, collections, items.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::Value;

use super::params::{Params, SortKey, CQL_PARAMS, FILTER_PARAMS};
use super::responses::{
    Collection, CollectionInfo, Collections, Conformance, Extent, Item, Landing, Link,
    MentionsPage, Page, SpatialExtent,
};
use super::{
    accepts, base_url, html_page, json_response, negotiate, query_string, static_files, ApiError,
    Format, FormatQuery, Shared, Snapshot, GEOJSON, JSON, OPENAPI, SCHEMA_JSON,
};
use crate::config::MAX_LIMIT;
use crate::model::Category;

use super::params::CRS84;

/// What the service conforms to: only classes whose tests pass (tests/filter.rs for Part 3 and
/// CQL2, tests/tiles.rs for Tiles). Not declared: accent-insensitive comparison, arithmetic and
/// custom functions, which a filter naming them is told are unsupported.
pub const CONFORMANCE: [&str; 23] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter",
    "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-text",
    "http://www.opengis.net/spec/cql2/1.0/conf/cql2-json",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2",
    "http://www.opengis.net/spec/cql2/1.0/conf/advanced-comparison-operators",
    "http://www.opengis.net/spec/cql2/1.0/conf/case-insensitive-comparison",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions-plus",
    "http://www.opengis.net/spec/cql2/1.0/conf/spatial-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/array-functions",
    "http://www.opengis.net/spec/cql2/1.0/conf/property-property",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tilesets-list",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets",
    "http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/mvt",
];

pub async fn landing(fq: FormatQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    let format = fq.format;
    if format == Format::Html && !fq.explicit {
        // a browser opening the service gets the map
        return Ok(static_files::index().await);
    }
    let base = base_url(&headers);
    let body = Landing {
        title: "planmap",
        description: "Projects named in Xinjiang regional development plans, extracted from the plan texts, geocoded to county-level units (GB/T 2260) and served as OGC API – Features.",
        links: vec![
            Link::new(format!("{base}/?f=json"), "self", JSON, "This document"),
            Link::new(format!("{base}/?f=html"), "alternate", "text/html", "This document as HTML"),
            Link::new(format!("{base}/api"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            Link::new(format!("{base}/viewer"), "service-doc", "text/html", "The map viewer"),
            Link::new(format!("{base}/conformance"), "conformance", JSON, "Conformance classes"),
            Link::new(format!("{base}/collections"), "data", JSON, "Collections"),
        ],
    };
    Ok(respond(format, "planmap", &body, JSON))
}

pub async fn conformance(FormatQuery { format, .. }: FormatQuery) -> Result<Response, ApiError> {
    let body = Conformance {
        conforms_to: &CONFORMANCE,
    };
    Ok(respond(format, "Conformance", &body, JSON))
}

fn respond<T: serde::Serialize>(
    format: Format,
    title: &str,
    body: &T,
    media: &'static str,
) -> Response {
    match format {
        Format::Json => json_response(body, media),
        Format::Html => html_page(title, body),
    }
}

/// The collections this snapshot serves.
fn collection_list(snap: &Snapshot) -> Vec<CollectionInfo> {
    let info = |id: &str, title: &str, description: String| CollectionInfo {
        id: id.to_string(),
        title: title.to_string(),
        description,
    };
    let mut out = vec![info(
        "projects",
        "All projects",
        "Every named project extracted from the plans, with provenance, category, counties, and how it was located.".to_string(),
    )];
    for (c, n) in snap.portfolio.categories() {
        out.push(info(
            c.key(),
            c.title(),
            format!("{n} projects of category {}", c.key()),
        ));
    }
    out.push(info(
        "counties",
        "County-level units 县级行政区",
        "Xinjiang's county-level units (GB/T 2260), with their project counts.".into(),
    ));
    out.push(info(
        "prefectures",
        "Prefecture-level units 地级行政区",
        "Xinjiang's prefecture-level units, with their project counts.".into(),
    ));
    out.push(info(
        "places",
        "Places 地名",
        "The gazetteer's places that have a coordinate (ports of entry and airports): reference data for orientation, see geodata/README.md.".into(),
    ));
    out
}

fn collection_of(base: &str, c: CollectionInfo, snap: &Snapshot) -> Collection {
    let id = &c.id;
    let links = vec![
        Link::new(
            format!("{base}/collections/{id}"),
            "self",
            JSON,
            "This collection",
        ),
        Link::new(
            format!("{base}/collections/{id}/items"),
            "items",
            GEOJSON,
            "Items as GeoJSON",
        ),
        Link::new(
            format!("{base}/collections/{id}/items?f=html"),
            "items",
            "text/html",
            "Items as HTML",
        ),
        Link::new(
            format!("{base}/collections/{id}/items?f=csv"),
            "items",
            "text/csv",
            "Items as CSV (geometry as WKT)",
        ),
        Link::new(
            format!("{base}/collections/{id}/items?f=fgb&limit={MAX_LIMIT}"),
            "items",
            "application/flatgeobuf",
            "Items as FlatGeobuf, with a spatial index",
        ),
        Link::new(
            format!("{base}/collections/{id}/queryables"),
            "http://www.opengis.net/def/rel/ogc/1.0/queryables",
            SCHEMA_JSON,
            "The properties a filter may name",
        ),
    ]
    .into_iter()
    .chain(super::tiles::collection_links(base, id))
    .collect();
    Collection {
        id: c.id,
        title: c.title,
        description: c.description,
        item_type: "feature",
        crs: [CRS84],
        storage_crs: CRS84,
        extent: Extent {
            spatial: SpatialExtent {
                bbox: [xinjiang_extent(snap)],
                crs: CRS84,
            },
        },
        links,
    }
}

fn xinjiang_extent(snap: &Snapshot) -> [f64; 4] {
    snap.prefectures
        .extent()
        .map(|v| (v * 1000.0).round() / 1000.0)
}

pub async fn collections(
    State(st): State<Shared>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let base = base_url(&headers);
    let body = Collections {
        links: vec![
            Link::new(format!("{base}/collections"), "self", JSON, "Collections"),
            Link::new(
                format!("{base}/collections?f=html"),
                "alternate",
                "text/html",
                "Collections as HTML",
            ),
        ],
        collections: collection_list(&snap)
            .into_iter()
            .map(|c| collection_of(&base, c, &snap))
            .collect(),
    };
    Ok(respond(format, "Collections", &body, JSON))
}

pub async fn collection(
    State(st): State<Shared>,
    Path(id): Path<String>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let c = collection_list(&snap)
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| unknown_collection(&id))?;
    let title = c.title.clone();
    let body = collection_of(&base_url(&headers), c, &snap);
    Ok(respond(format, &title, &body, JSON))
}

fn unknown_collection(id: &str) -> ApiError {
    let shown: String = id.chars().take(60).collect();
    ApiError::NotFound(format!(
        "no collection {shown:?}; see /collections for the list"
    ))
}

/// Which collection an id names.
pub(super) enum Kind {
    Projects(Option<Category>),
    Counties,
    Prefectures,
    Places,
}

pub(super) fn collection_kind(id: &str, snap: &Snapshot) -> Result<Kind, ApiError> {
    match id {
        "projects" => Ok(Kind::Projects(None)),
        "counties" => Ok(Kind::Counties),
        "prefectures" => Ok(Kind::Prefectures),
        "places" => Ok(Kind::Places),
        other => match Category::from_key(other) {
            Some(c) if snap.portfolio.categories().contains_key(&c) => Ok(Kind::Projects(Some(c))),
            _ => Err(unknown_collection(other)),
        },
    }
}

pub async fn items(
    State(st): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let mut allowed = vec!["f", "bbox", "limit", "offset", "properties", "sortby"];
    allowed.extend(CQL_PARAMS);
    match kind {
        Kind::Projects(_) => allowed.extend(FILTER_PARAMS),
        _ => allowed.push("q"),
    }
    let p = Params::parse(q.as_deref(), &allowed)?;
    // CSV is for items only: the other endpoints' answers are not tables
    // items also come as tables and FlatGeobuf; the other endpoints' answers are documents
    let out = match p.get("f") {
        Some("csv") => Items::Csv,
        Some("fgb") => Items::Fgb,
        None if accepts(&headers, "text/csv") => Items::Csv,
        f => Items::Document(negotiate(f, &headers)?),
    };
    let limit = p.limit()?;
    let offset = p.offset()?;
    let bbox = p.bbox()?;
    // the properties this collection's features have
    let known = match kind {
        Kind::Projects(_) => crate::feature::LISTED_PROPERTIES,
        Kind::Places => crate::snapshot::PLACE_PROPERTIES,
        Kind::Counties | Kind::Prefectures => crate::snapshot::AREA_PROPERTIES,
    };
    let selected = p.properties(known)?;
    let sortby = p.sortby(match kind {
        Kind::Projects(_) => PROJECT_SORTABLE,
        Kind::Places => PLACE_SORTABLE,
        Kind::Counties | Kind::Prefectures => AREA_SORTABLE,
    })?;
    let cql = p.cql(&queryables(&kind))?;
    let mut ids = match kind {
        Kind::Projects(cat) => select_projects(&snap, &p, cat, bbox, cql.as_ref())?,
        Kind::Counties | Kind::Prefectures => {
            let layer = match kind {
                Kind::Counties => &snap.counties,
                _ => &snap.prefectures,
            };
            let mut ids = layer.select(bbox, p.get("q"));
            if let Some(c) = &cql {
                ids.retain(|&i| layer.with_record(i, |r| c.matches(r)));
            }
            ids
        }
        Kind::Places => {
            let mut ids = snap.places.select(bbox, p.get("q"));
            if let Some(c) = &cql {
                ids.retain(|&i| c.matches(&snap.places.record(i)));
            }
            ids
        }
    };
    if !sortby.is_empty() {
        sort_ids(&mut ids, &sortby, |i, key| match kind {
            Kind::Projects(_) => project_value(snap.portfolio.feature(i), key),
            _ => stored_value(raw_of(&snap, &kind, i), key),
        });
    }
    let matched = ids.len();
    let mut page: Vec<Cow<RawValue>> = ids
        .iter()
        .skip(offset)
        .take(limit)
        .map(|&i| Cow::Borrowed(raw_of(&snap, &kind, i)))
        .collect();
    if let Some(keep) = &selected {
        for f in &mut page {
            *f = Cow::Owned(select_properties(f, keep)?);
        }
    }
    let base = base_url(&headers);
    let path = format!("{base}/collections/{id}/items");
    let body = feature_collection(page, matched, offset, limit, &path, p.pairs());
    let format = match out {
        Items::Document(format) => format,
        Items::Fgb => return fgb_response(&body, &id),
        Items::Csv => {
            let columns: Vec<&str> = match &selected {
                Some(keep) => keep.iter().map(String::as_str).collect(),
                None => known.to_vec(),
            };
            return csv_response(&body, &columns);
        }
    };
    Ok(respond(format, &format!("{id} items"), &body, GEOJSON))
}

/// The projects a request's selection parameters pick (`bbox`, the shortcut filters such as
/// `category` and `doc`, and a CQL2 `filter`), in the portfolio's order: what a page of items
/// is cut from, and what `/stats` sums.
pub(super) fn select_projects(
    snap: &Snapshot,
    p: &Params,
    cat: Option<Category>,
    bbox: Option<geo::Rect<f64>>,
    cql: Option<&crate::cql::Filter>,
) -> Result<Vec<usize>, ApiError> {
    let mut filter = p.filter()?;
    if let Some(c) = cat {
        if filter.category.is_some_and(|fc| fc != c) {
            return Err(ApiError::param(
                "category",
                format!("collection {} holds only category {}", c.key(), c.key()),
            ));
        }
        filter.category = Some(c);
    }
    // a filter's spatial parts take their candidates from the R-tree
    let mut ids = match (bbox, cql.and_then(crate::cql::Filter::envelope)) {
        (Some(b), _) => snap.portfolio.in_bbox(b, &filter),
        (None, Some(e)) => snap.portfolio.envelope_candidates(e, &filter),
        (None, None) => snap.portfolio.filter(&filter),
    };
    if let Some(c) = cql {
        ids.retain(|&i| c.matches(snap.portfolio.feature(i)));
    }
    Ok(ids)
}

/// The properties a filter on this kind of collection may name.
pub(super) fn queryables(kind: &Kind) -> Vec<crate::cql::Queryable> {
    use crate::cql::records;
    match kind {
        Kind::Projects(_) => records::project_queryables(),
        Kind::Counties | Kind::Prefectures => records::area_queryables(),
        Kind::Places => records::place_queryables(),
    }
}

/// `/collections/{id}/queryables`: the properties a filter may name, as a JSON Schema
/// (OGC API – Features Part 3).
pub async fn queryables_of(
    State(st): State<Shared>,
    Path(id): Path<String>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    use crate::cql::Type;
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let mut properties = serde_json::Map::new();
    for q in queryables(&kind) {
        let typed = |t: &str| {
            if q.nullable {
                serde_json::json!([t, "null"])
            } else {
                serde_json::json!(t)
            }
        };
        let mut schema = match q.ty {
            Type::Text => serde_json::json!({"type": typed("string")}),
            Type::Number => serde_json::json!({"type": typed("number")}),
            Type::Integer => serde_json::json!({"type": typed("integer")}),
            Type::TextList => serde_json::json!({"type": "array", "items": {"type": "string"}}),
            Type::NumberList => serde_json::json!({"type": "array", "items": {"type": "number"}}),
            Type::Period => serde_json::json!({
                "type": typed("array"), "minItems": 2, "maxItems": 2,
                "items": {"type": "string", "format": "date"},
                "description": "An interval of days: compare it with T_INTERSECTS, T_DURING, T_BEFORE, … and DATE, TIMESTAMP or INTERVAL literals."}),
            Type::Geometry => serde_json::json!({
                "format": "geometry-any", "x-ogc-role": "primary-geometry",
                "description": "WGS 84 (CRS84): S_INTERSECTS, S_WITHIN, S_CONTAINS, … with WKT, GeoJSON or BBOX literals; answered from the R-tree."}),
        };
        schema["title"] = serde_json::json!(q.title);
        if !q.values.is_empty() {
            schema["enum"] = serde_json::json!(q.values);
        }
        properties.insert(q.name.to_string(), schema);
    }
    let body = super::responses::Queryables {
        schema: "https://json-schema.org/draft/2020-12/schema",
        id: format!("{}/collections/{id}/queryables", base_url(&headers)),
        kind: "object",
        title: format!("Queryables of {id}"),
        properties: Value::Object(properties),
        additional_properties: false,
    };
    Ok(respond(
        format,
        &format!("{id} queryables"),
        &body,
        SCHEMA_JSON,
    ))
}

/// What an items request answers with.
enum Items {
    Document(Format),
    Csv,
    Fgb,
}

/// A feature of a collection as served.
fn raw_of<'s>(snap: &'s Snapshot, kind: &Kind, i: usize) -> &'s RawValue {
    match kind {
        Kind::Projects(_) => snap.portfolio.raw(i),
        Kind::Counties => snap.counties.raw(i),
        Kind::Prefectures => snap.prefectures.raw(i),
        Kind::Places => snap.places.raw(i),
    }
}

/// What `sortby` may name, by kind of collection.
pub(super) const PROJECT_SORTABLE: &[&str] = &[
    "id",
    "name",
    "category",
    "status",
    "action",
    "precision",
    "located_by",
    "confidence",
    "investment_yi",
    "mention_count",
    "plan_count",
    "county_codes",
];
pub(super) const AREA_SORTABLE: &[&str] = &["code", "name", "prefecture", "level", "project_count"];
pub(super) const PLACE_SORTABLE: &[&str] = &["name", "kind", "iata"];

/// A value features are ordered by. Text orders by Unicode code point; a missing value sorts
/// last whichever the direction.
enum SortValue {
    Num(f64),
    Text(String),
    Nothing,
}

fn project_value(l: &crate::geocode::Located, key: &str) -> SortValue {
    let p = &l.project;
    let text = |s: &str| SortValue::Text(s.to_string());
    match key {
        "id" => text(&p.id),
        "name" => text(&p.name),
        "category" => text(p.category.key()),
        "status" => text(p.status.key()),
        "action" => text(p.action.key()),
        "precision" => text(l.location.precision.key()),
        "located_by" => text(l.location.located_by.key()),
        "confidence" => SortValue::Num(l.location.confidence),
        "investment_yi" => p.investment_yi.map_or(SortValue::Nothing, SortValue::Num),
        "mention_count" => SortValue::Num(p.mentions.len() as f64),
        "plan_count" => SortValue::Num(p.timeline.len() as f64),
        // by the codes as text: a county's projects, then those it shares with the next
        "county_codes" => text(
            &l.location
                .county_codes
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(","),
        ),
        _ => SortValue::Nothing,
    }
}

/// A property of a feature stored as JSON (areas, places: a few hundred at most).
fn stored_value(raw: &RawValue, key: &str) -> SortValue {
    let f: Value = serde_json::from_str(raw.get()).unwrap_or(Value::Null);
    match &f["properties"][key] {
        Value::Number(n) => n.as_f64().map_or(SortValue::Nothing, SortValue::Num),
        Value::String(s) => SortValue::Text(s.clone()),
        _ => SortValue::Nothing,
    }
}

/// Orders ids by the keys, stably: ties keep the collection's order.
fn sort_ids(ids: &mut Vec<usize>, keys: &[SortKey], value: impl Fn(usize, &str) -> SortValue) {
    use std::cmp::Ordering;
    let mut keyed: Vec<(Vec<SortValue>, usize)> = ids
        .iter()
        .map(|&i| (keys.iter().map(|k| value(i, &k.property)).collect(), i))
        .collect();
    // ties go by the feature's place in the collection, not by the order a query found them in:
    // two bboxes that hold the same features list them in the same order, and pages do not
    // shuffle equal names between them
    keyed.sort_by(|(a, ia), (b, ib)| {
        for (k, (x, y)) in keys.iter().zip(a.iter().zip(b)) {
            let o = match (x, y) {
                (SortValue::Nothing, SortValue::Nothing) => Ordering::Equal,
                (SortValue::Nothing, _) => Ordering::Greater,
                (_, SortValue::Nothing) => Ordering::Less,
                (x, y) => {
                    let o = match (x, y) {
                        (SortValue::Num(a), SortValue::Num(b)) => a.total_cmp(b),
                        (SortValue::Text(a), SortValue::Text(b)) => a.cmp(b),
                        (SortValue::Num(_), _) => Ordering::Less,
                        _ => Ordering::Greater,
                    };
                    if k.descending {
                        o.reverse()
                    } else {
                        o
                    }
                }
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        ia.cmp(ib)
    });
    *ids = keyed.into_iter().map(|(_, i)| i).collect();
}

/// A page as CSV: one row a feature, `id`, the properties, and the geometry as `WKT` (the
/// column name GDAL reads geometry from). Lists are joined with `;`, objects written as JSON.
/// Paging travels in headers: `Link` (next, prev) and `OGC-NumberMatched`.
fn csv_response(page: &Page, columns: &[&str]) -> Result<Response, ApiError> {
    use wkt::ToWkt;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec!["id"];
    head.extend(columns);
    head.push("WKT");
    w.write_record(&head).map_err(ApiError::internal)?;
    for raw in &page.features {
        let f: Value = serde_json::from_str(raw.get()).map_err(ApiError::internal)?;
        let mut row: Vec<String> = vec![cell(&f["id"])];
        row.extend(columns.iter().map(|c| cell(&f["properties"][*c])));
        let wkt = serde_json::from_value::<geojson::Geometry>(f["geometry"].clone())
            .ok()
            .and_then(|g| geo::Geometry::<f64>::try_from(g).ok())
            .map(|g| g.wkt_string())
            .unwrap_or_default();
        row.push(wkt);
        w.write_record(&row).map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    Ok(table_response(
        bytes,
        "text/csv; charset=utf-8",
        page,
        "csv",
    ))
}

/// A page in a format that has no room for links and counts (CSV, FlatGeobuf): they travel in
/// headers, `Link` (next, prev, in the same format) and `OGC-NumberMatched`/`-Returned`.
fn table_response(bytes: Vec<u8>, media: &'static str, page: &Page, f: &str) -> Response {
    let mut resp = axum::response::IntoResponse::into_response(bytes);
    let h = resp.headers_mut();
    h.insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static(media),
    );
    let links: Vec<String> = page
        .links
        .iter()
        .filter(|l| l.rel == "next" || l.rel == "prev")
        .map(|l| format!("<{}&f={f}>; rel=\"{}\"", l.href, l.rel))
        .collect();
    for (name, value) in [
        ("link", links.join(", ")),
        ("ogc-numbermatched", page.matched.to_string()),
        ("ogc-numberreturned", page.returned.to_string()),
    ] {
        if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
            if !value.is_empty() {
                h.insert(name, v);
            }
        }
    }
    resp
}

/// A page as FlatGeobuf with its packed R-tree index: the features as served (the page's,
/// selected properties only), in WGS 84; paging in headers as for CSV. A feature without a
/// location is left out: FlatGeobuf has no empty geometry, and the GeoJSON and CSV forms keep
/// it (`OGC-NumberReturned` counts the page, located or not).
fn fgb_response(page: &Page, name: &str) -> Result<Response, ApiError> {
    use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
    use geozero::{ColumnValue, PropertyProcessor};
    let mut rows: Vec<(geo::Geometry<f64>, Value)> = Vec::new();
    for raw in &page.features {
        let f: Value = serde_json::from_str(raw.get()).map_err(ApiError::internal)?;
        let Some(g) = serde_json::from_value::<geojson::Geometry>(f["geometry"].clone())
            .ok()
            .and_then(|g| geo::Geometry::<f64>::try_from(g).ok())
        else {
            continue;
        };
        let mut props = f["properties"].clone();
        props["id"] = f["id"].clone();
        rows.push((g, props));
    }
    // the columns: id first, then every property the page's features have, numbers as doubles
    // and the rest as text (lists joined, objects as JSON, as in CSV)
    let mut columns: Vec<(String, bool)> = vec![("id".to_string(), false)];
    for (_, props) in &rows {
        for (k, v) in props.as_object().into_iter().flatten() {
            if !columns.iter().any(|(c, _)| c == k) && !v.is_null() {
                columns.push((k.clone(), v.is_number()));
            }
        }
    }
    let mut fgb = FgbWriter::create_with_options(
        name,
        GeometryType::Unknown,
        FgbWriterOptions {
            write_index: true,
            // points and lines in one layer: the type stays Unknown
            detect_type: false,
            promote_to_multi: false,
            crs: FgbCrs {
                code: 4326,
                ..Default::default()
            },
            ..Default::default()
        },
    )
    .map_err(ApiError::internal)?;
    for (c, number) in &columns {
        let ty = if *number {
            ColumnType::Double
        } else {
            ColumnType::String
        };
        fgb.add_column(c, ty, |_, col| col.nullable = true);
    }
    for (g, props) in &rows {
        let mut failed = None;
        fgb.add_feature_geom(g.clone(), |feat| {
            for (i, (c, number)) in columns.iter().enumerate() {
                let v = &props[c.as_str()];
                let r = match v {
                    Value::Null => Ok(false),
                    Value::Number(n) if *number => {
                        feat.property(i, c, &ColumnValue::Double(n.as_f64().unwrap_or(f64::NAN)))
                    }
                    other => feat.property(i, c, &ColumnValue::String(&cell(other))),
                };
                if let Err(e) = r {
                    failed = Some(e);
                }
            }
        })
        .map_err(ApiError::internal)?;
        if let Some(e) = failed {
            return Err(ApiError::internal(e));
        }
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(ApiError::internal)?;
    Ok(table_response(out, "application/flatgeobuf", page, "fgb"))
}

/// A JSON value as a CSV cell.
fn cell(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(a) if a.iter().all(|x| !x.is_object() && !x.is_array()) => {
            a.iter().map(cell).collect::<Vec<_>>().join(";")
        }
        other => other.to_string(),
    }
}

/// A served feature with only the `keep` properties, in the order the feature has them.
fn select_properties(feature: &RawValue, keep: &[String]) -> Result<Box<RawValue>, ApiError> {
    let mut f: Value = serde_json::from_str(feature.get()).map_err(ApiError::internal)?;
    if let Some(props) = f.get_mut("properties").and_then(Value::as_object_mut) {
        props.retain(|k, _| keep.iter().any(|w| w == k));
    }
    serde_json::value::to_raw_value(&f).map_err(ApiError::internal)
}

pub fn feature_collection<'a>(
    page: Vec<Cow<'a, RawValue>>,
    matched: usize,
    offset: usize,
    limit: usize,
    path: &str,
    pairs: &[(String, String)],
) -> Page<'a> {
    let returned = page.len();
    let with = |off: usize, f: Option<&str>| {
        let mut ps: Vec<(String, String)> = pairs
            .iter()
            .filter(|(k, _)| k != "offset" && k != "f" && k != "limit")
            .cloned()
            .collect();
        ps.push(("limit".into(), limit.to_string()));
        if off > 0 {
            ps.push(("offset".into(), off.to_string()));
        }
        if let Some(f) = f {
            ps.push(("f".into(), f.into()));
        }
        let q = query_string(&ps);
        format!("{path}?{q}")
    };
    let mut links = vec![
        Link::new(with(offset, None), "self", GEOJSON, "This page"),
        Link::new(
            with(offset, Some("html")),
            "alternate",
            "text/html",
            "This page as HTML",
        ),
    ];
    if offset + returned < matched {
        links.push(Link::new(
            with(offset + limit, None),
            "next",
            GEOJSON,
            "Next page",
        ));
    }
    if offset > 0 {
        links.push(Link::new(
            with(offset.saturating_sub(limit), None),
            "prev",
            GEOJSON,
            "Previous page",
        ));
    }
    Page {
        kind: "FeatureCollection",
        features: page,
        matched,
        returned,
        time_stamp: rfc3339_now(),
        links,
        county: None,
        counties: None,
    }
}

pub async fn item(
    State(st): State<Shared>,
    Path((id, fid)): Path<(String, String)>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let not_found = || {
        let shown: String = fid.chars().take(60).collect();
        ApiError::NotFound(format!("no feature {shown:?} in collection {id}"))
    };
    let feature = match kind {
        Kind::Projects(cat) => {
            let i = snap.portfolio.by_id(&fid).ok_or_else(not_found)?;
            if cat.is_some_and(|c| snap.portfolio.feature(i).project.category != c) {
                return Err(not_found());
            }
            crate::feature::to_feature(snap.portfolio.feature(i))
        }
        Kind::Counties => snap
            .counties
            .position(&fid)
            .map(|i| snap.counties.feature(i))
            .ok_or_else(not_found)?,
        Kind::Prefectures => snap
            .prefectures
            .position(&fid)
            .map(|i| snap.prefectures.feature(i))
            .ok_or_else(not_found)?,
        Kind::Places => snap
            .places
            .position(&fid)
            .and_then(|i| serde_json::from_str(snap.places.raw(i).get()).ok())
            .ok_or_else(not_found)?,
    };
    let base = base_url(&headers);
    let mut links = vec![
        Link::new(
            format!("{base}/collections/{id}/items/{fid}"),
            "self",
            GEOJSON,
            "This feature",
        ),
        Link::new(
            format!("{base}/collections/{id}"),
            "collection",
            JSON,
            "The collection",
        ),
    ];
    if matches!(kind, Kind::Projects(_)) {
        links.push(Link::new(
            format!("{base}/collections/{id}/items/{fid}/mentions"),
            "related",
            JSON,
            "Every mention of this project, paged",
        ));
    }
    let title = feature["properties"]["name"]
        .as_str()
        .unwrap_or("feature")
        .to_string();
    let body = Item { feature, links };
    Ok(respond(format, &title, &body, GEOJSON))
}

/// Every mention of one project, paged (`limit`, `offset`), oldest plan first as the project
/// lists them. List responses carry only a project's first and latest mention and link here.
pub async fn mentions(
    State(st): State<Shared>,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let p = Params::parse(q.as_deref(), &["f", "limit", "offset"])?;
    let format = negotiate(p.get("f"), &headers)?;
    let limit = p.limit()?;
    let offset = p.offset()?;
    let shown: String = fid.chars().take(60).collect();
    let not_found = || ApiError::NotFound(format!("no project {shown:?} in collection {id}"));
    let Kind::Projects(cat) = kind else {
        return Err(ApiError::NotFound(format!(
            "collection {id} holds reference places; only projects have mentions"
        )));
    };
    let i = snap.portfolio.by_id(&fid).ok_or_else(not_found)?;
    let project = &snap.portfolio.feature(i).project;
    if cat.is_some_and(|c| project.category != c) {
        return Err(not_found());
    }
    let page: Vec<crate::feature::Linked> = project
        .mentions
        .iter()
        .skip(offset)
        .take(limit)
        .map(crate::feature::Linked::new)
        .collect();
    let matched = project.mentions.len();
    let base = base_url(&headers);
    let path = format!("{base}/collections/{id}/items/{fid}/mentions");
    let at = |off: usize| {
        let mut ps = vec![("limit".to_string(), limit.to_string())];
        if off > 0 {
            ps.push(("offset".to_string(), off.to_string()));
        }
        format!("{path}?{}", query_string(&ps))
    };
    let mut links = vec![
        Link::new(at(offset), "self", JSON, "This page"),
        Link::new(
            format!("{base}/collections/{id}/items/{fid}"),
            "collection",
            GEOJSON,
            "The project",
        ),
    ];
    if offset + page.len() < matched {
        links.push(Link::new(at(offset + limit), "next", JSON, "Next page"));
    }
    if offset > 0 {
        links.push(Link::new(
            at(offset.saturating_sub(limit)),
            "prev",
            JSON,
            "Previous page",
        ));
    }
    let body = MentionsPage {
        id: &project.id,
        name: &project.name,
        returned: page.len(),
        mentions: page,
        matched,
        links,
    };
    Ok(respond(
        format,
        &format!("{} mentions", project.name),
        &body,
        JSON,
    ))
}

/// Now as RFC 3339 UTC, to the second.
pub fn rfc3339_now() -> String {
    humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string()
}
