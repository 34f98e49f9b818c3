//! OGC API – Features 1.0 Part 1 endpoints: landing page, conformance, collections, items.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use std::borrow::Cow;

use serde_json::value::RawValue;
use serde_json::{json, Value};

use super::params::{Params, FILTER_PARAMS};
use super::{
    base_url, html_page, json_response, negotiate, query_string, static_files, ApiError, Format,
    FormatQuery, Shared, Snapshot, GEOJSON, JSON, OPENAPI,
};
use crate::model::Category;

const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
pub const CONFORMANCE: [&str; 4] = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
];

fn link(href: String, rel: &str, media: &str, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media, "title": title})
}

pub async fn landing(fq: FormatQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    let format = fq.format;
    if format == Format::Html && !fq.explicit {
        // a browser opening the service gets the map
        return Ok(static_files::index().await);
    }
    let base = base_url(&headers);
    let body = json!({
        "title": "planmap",
        "description": "Projects named in Xinjiang regional development plans, extracted from the plan texts, geocoded to county-level units (GB/T 2260) and served as OGC API – Features.",
        "links": [
            link(format!("{base}/?f=json"), "self", JSON, "This document"),
            link(format!("{base}/?f=html"), "alternate", "text/html", "This document as HTML"),
            link(format!("{base}/api"), "service-desc", OPENAPI, "The API definition (OpenAPI 3.0)"),
            link(format!("{base}/viewer"), "service-doc", "text/html", "The map viewer"),
            link(format!("{base}/conformance"), "conformance", JSON, "Conformance classes"),
            link(format!("{base}/collections"), "data", JSON, "Collections"),
        ]
    });
    Ok(respond(format, "planmap", &body, JSON))
}

pub async fn conformance(FormatQuery { format, .. }: FormatQuery) -> Result<Response, ApiError> {
    let body = json!({ "conformsTo": CONFORMANCE });
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

/// The collections this snapshot serves: id, title, description.
fn collection_list(snap: &Snapshot) -> Vec<(String, String, String)> {
    let mut out = vec![(
        "projects".to_string(),
        "All projects".to_string(),
        "Every named project extracted from the plans, with provenance, category, counties, and how it was located.".to_string(),
    )];
    for (c, n) in snap.portfolio.categories() {
        out.push((
            c.key().to_string(),
            c.title().to_string(),
            format!("{n} projects of category {}", c.key()),
        ));
    }
    out.push((
        "counties".into(),
        "County-level units 县级行政区".into(),
        "Xinjiang's county-level units (GB/T 2260), with their project counts.".into(),
    ));
    out.push((
        "prefectures".into(),
        "Prefecture-level units 地级行政区".into(),
        "Xinjiang's prefecture-level units, with their project counts.".into(),
    ));
    out.push((
        "places".into(),
        "Places 地名".into(),
        "The gazetteer's places that have a coordinate (ports of entry and airports): reference data for orientation, see geodata/README.md.".into(),
    ));
    out
}

fn collection_json(base: &str, id: &str, title: &str, description: &str, snap: &Snapshot) -> Value {
    let extent = xinjiang_extent(snap);
    json!({
        "id": id,
        "title": title,
        "description": description,
        "itemType": "feature",
        "crs": [CRS84],
        "storageCrs": CRS84,
        "extent": {"spatial": {"bbox": [extent], "crs": CRS84}},
        "links": [
            link(format!("{base}/collections/{id}"), "self", JSON, "This collection"),
            link(format!("{base}/collections/{id}/items"), "items", GEOJSON, "Items as GeoJSON"),
            link(format!("{base}/collections/{id}/items?f=html"), "items", "text/html", "Items as HTML"),
        ]
    })
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
    let cols: Vec<Value> = collection_list(&snap)
        .iter()
        .map(|(id, t, d)| collection_json(&base, id, t, d, &snap))
        .collect();
    let body = json!({
        "links": [
            link(format!("{base}/collections"), "self", JSON, "Collections"),
            link(format!("{base}/collections?f=html"), "alternate", "text/html", "Collections as HTML"),
        ],
        "collections": cols,
    });
    Ok(respond(format, "Collections", &body, JSON))
}

pub async fn collection(
    State(st): State<Shared>,
    Path(id): Path<String>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let (id, t, d) = collection_list(&snap)
        .into_iter()
        .find(|(cid, _, _)| *cid == id)
        .ok_or_else(|| unknown_collection(&id))?;
    let body = collection_json(&base_url(&headers), &id, &t, &d, &snap);
    Ok(respond(format, &t, &body, JSON))
}

fn unknown_collection(id: &str) -> ApiError {
    let shown: String = id.chars().take(60).collect();
    ApiError::NotFound(format!(
        "no collection {shown:?}; see /collections for the list"
    ))
}

/// Which collection an id names.
enum Kind {
    Projects(Option<Category>),
    Counties,
    Prefectures,
    Places,
}

fn kind(id: &str, snap: &Snapshot) -> Result<Kind, ApiError> {
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
    let kind = kind(&id, &snap)?;
    let mut allowed = vec!["f", "bbox", "limit", "offset", "properties"];
    match kind {
        Kind::Projects(_) => allowed.extend(FILTER_PARAMS),
        _ => allowed.push("q"),
    }
    let p = Params::parse(q.as_deref(), &allowed)?;
    let format = negotiate(p.get("f"), &headers)?;
    let limit = p.limit()?;
    let offset = p.offset()?;
    let bbox = p.bbox()?;
    let selected = p.properties(match kind {
        Kind::Projects(_) => crate::feature::LISTED_PROPERTIES,
        Kind::Places => super::snapshot::PLACE_PROPERTIES,
        Kind::Counties | Kind::Prefectures => super::snapshot::AREA_PROPERTIES,
    })?;
    let page_of = |ids: Vec<usize>, raw: &dyn for<'s> Fn(&'s Snapshot, usize) -> &'s RawValue| {
        let page: Vec<Cow<RawValue>> = ids
            .iter()
            .skip(offset)
            .take(limit)
            .map(|&i| Cow::Borrowed(raw(&snap, i)))
            .collect();
        (ids.len(), page)
    };
    let (matched, mut page) = match kind {
        Kind::Projects(cat) => {
            let mut filter = p.filter()?;
            if let Some(c) = cat {
                if filter.category.is_some_and(|fc| fc != c) {
                    return Err(ApiError::param(
                        "category",
                        format!("collection {id} holds only category {id}"),
                    ));
                }
                filter.category = Some(c);
            }
            let ids = match bbox {
                Some(b) => snap.portfolio.in_bbox(b, &filter),
                None => snap.portfolio.filter(&filter),
            };
            page_of(ids, &|s, i| s.portfolio.raw(i))
        }
        Kind::Counties => page_of(snap.counties.select(bbox, p.get("q")), &|s, i| {
            s.counties.raw(i)
        }),
        Kind::Prefectures => page_of(snap.prefectures.select(bbox, p.get("q")), &|s, i| {
            s.prefectures.raw(i)
        }),
        Kind::Places => page_of(snap.places.select(bbox, p.get("q")), &|s, i| {
            s.places.raw(i)
        }),
    };
    if let Some(keep) = &selected {
        for f in &mut page {
            *f = Cow::Owned(select_properties(f, keep)?);
        }
    }
    let base = base_url(&headers);
    let path = format!("{base}/collections/{id}/items");
    let body = feature_collection(page, matched, offset, limit, &path, p.pairs());
    Ok(respond(format, &format!("{id} items"), &body, GEOJSON))
}

/// A served feature with only the `keep` properties, in the order the feature has them.
fn select_properties(feature: &RawValue, keep: &[String]) -> Result<Box<RawValue>, ApiError> {
    let mut f: Value = serde_json::from_str(feature.get()).map_err(ApiError::internal)?;
    if let Some(props) = f.get_mut("properties").and_then(Value::as_object_mut) {
        props.retain(|k, _| keep.iter().any(|w| w == k));
    }
    serde_json::value::to_raw_value(&f).map_err(ApiError::internal)
}

/// A page of features with the OGC API paging members and links. Features are pre-serialized
/// JSON, borrowed from the snapshot where they are served as stored.
#[derive(serde::Serialize)]
pub struct Page<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    features: Vec<Cow<'a, RawValue>>,
    #[serde(rename = "numberMatched")]
    matched: usize,
    #[serde(rename = "numberReturned")]
    returned: usize,
    #[serde(rename = "timeStamp")]
    time_stamp: String,
    links: Vec<Value>,
    /// Members beyond the standard ones (the county of /counties/{code}/projects).
    #[serde(flatten)]
    pub extra: serde_json::Map<String, Value>,
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
        link(with(offset, None), "self", GEOJSON, "This page"),
        link(
            with(offset, Some("html")),
            "alternate",
            "text/html",
            "This page as HTML",
        ),
    ];
    if offset + returned < matched {
        links.push(link(
            with(offset + limit, None),
            "next",
            GEOJSON,
            "Next page",
        ));
    }
    if offset > 0 {
        links.push(link(
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
        extra: serde_json::Map::new(),
    }
}

pub async fn item(
    State(st): State<Shared>,
    Path((id, fid)): Path<(String, String)>,
    FormatQuery { format, .. }: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = kind(&id, &snap)?;
    let not_found = || {
        let shown: String = fid.chars().take(60).collect();
        ApiError::NotFound(format!("no feature {shown:?} in collection {id}"))
    };
    let mut feature = match kind {
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
        link(
            format!("{base}/collections/{id}/items/{fid}"),
            "self",
            GEOJSON,
            "This feature",
        ),
        link(
            format!("{base}/collections/{id}"),
            "collection",
            JSON,
            "The collection",
        ),
    ];
    if matches!(kind, Kind::Projects(_)) {
        links.push(link(
            format!("{base}/collections/{id}/items/{fid}/mentions"),
            "related",
            JSON,
            "Every mention of this project, paged",
        ));
    }
    feature["links"] = json!(links);
    let title = feature["properties"]["name"]
        .as_str()
        .unwrap_or("feature")
        .to_string();
    Ok(respond(format, &title, &feature, GEOJSON))
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
    let kind = kind(&id, &snap)?;
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
        link(at(offset), "self", JSON, "This page"),
        link(
            format!("{base}/collections/{id}/items/{fid}"),
            "collection",
            GEOJSON,
            "The project",
        ),
    ];
    if offset + page.len() < matched {
        links.push(link(at(offset + limit), "next", JSON, "Next page"));
    }
    if offset > 0 {
        links.push(link(
            at(offset.saturating_sub(limit)),
            "prev",
            JSON,
            "Previous page",
        ));
    }
    let body = json!({
        "id": project.id,
        "name": project.name,
        "mentions": page,
        "numberMatched": matched,
        "numberReturned": page.len(),
        "links": links,
    });
    Ok(respond(
        format,
        &format!("{} mentions", project.name),
        &body,
        JSON,
    ))
}

/// Now as RFC 3339 UTC, to the second.
pub fn rfc3339_now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // civil-from-days (Howard Hinnant's algorithm)
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}
