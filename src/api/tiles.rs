//! OGC API – Tiles over the feature collections: every collection (projects, each category,
//! counties, prefectures, places) as Mapbox Vector Tiles in the WebMercatorQuad grid, with its
//! tileset metadata and TileJSON. Tiles are made on request from the snapshot's R-trees and kept
//! in a cache keyed by the data version (and sent with the ETags every GET has), so a tile is
//! made once per version of the data.

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use super::ogc::{collection_kind, queryables, Kind};
use super::params::{Params, CQL_PARAMS};
use super::{base_url, html_page, json_response, ApiError, Format, FormatQuery, Shared, JSON};
use crate::config::{MAX_TILE_CACHE_BYTES, MAX_TILE_FEATURES, MAX_TILE_ZOOM};
use crate::tiles::quad::{TileId, BUFFER};
use crate::tiles::{encode, TileFeature, TileValue};

pub const MVT: &str = "application/vnd.mapbox-vector-tile";
const TMS_URI: &str = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad";
const WEB_MERCATOR: &str = "http://www.opengis.net/def/crs/EPSG/0/3857";
/// Metres per pixel of a 256-pixel tile at zoom 0 (the tile matrix set's cell size).
const CELL_SIZE_0: f64 = 156_543.033_928_040_97;
/// Half the side of the Web Mercator square, in metres.
const ORIGIN: f64 = 20_037_508.342_789_244;

/// What a tile is made from: the data version, the collection, the tile and the query.
type Key = (String, String, TileId, String);

#[derive(Clone)]
struct ByBytes;

impl quick_cache::Weighter<Key, Arc<Vec<u8>>> for ByBytes {
    fn weight(&self, _: &Key, v: &Arc<Vec<u8>>) -> u64 {
        // an empty tile still costs its key
        v.len() as u64 + 64
    }
}

/// Tiles made, by data version: a new version's tiles push the old ones out.
pub struct TileCache(quick_cache::sync::Cache<Key, Arc<Vec<u8>>, ByBytes>);

impl Default for TileCache {
    fn default() -> Self {
        TileCache(quick_cache::sync::Cache::with_weighter(
            16_384,
            MAX_TILE_CACHE_BYTES,
            ByBytes,
        ))
    }
}

/// The links of a collection's tiles, for its `links`.
pub fn collection_links(base: &str, id: &str) -> Vec<super::responses::Link> {
    use super::responses::Link;
    vec![
        Link::new(
            format!("{base}/collections/{id}/tiles"),
            "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector",
            JSON,
            "Vector tilesets",
        ),
        Link::new(
            format!("{base}/collections/{id}/tiles/WebMercatorQuad?f=tilejson"),
            "describedby",
            JSON,
            "TileJSON",
        ),
    ]
}

fn template(base: &str, id: &str) -> String {
    format!("{base}/collections/{id}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}")
}

fn respond(format: Format, title: &str, body: &Value) -> Response {
    match format {
        Format::Json => json_response(body, JSON),
        Format::Html => html_page(title, body),
    }
}

/// `/tileMatrixSets`.
pub async fn matrix_sets(fq: FormatQuery, headers: HeaderMap) -> Result<Response, ApiError> {
    let base = base_url(&headers);
    let body = json!({
        "tileMatrixSets": [{
            "id": "WebMercatorQuad",
            "title": "Google Maps Compatible for the World",
            "uri": TMS_URI,
            "links": [{"href": format!("{base}/tileMatrixSets/WebMercatorQuad"), "rel": "self", "type": JSON, "title": "The tile matrix set"}]
        }]
    });
    Ok(respond(fq.format, "Tile matrix sets", &body))
}

/// `/tileMatrixSets/WebMercatorQuad`: the grid, zoom by zoom, as OGC 2D-TMS describes it.
pub async fn web_mercator_quad(fq: FormatQuery) -> Result<Response, ApiError> {
    let matrices: Vec<Value> = (0..=MAX_TILE_ZOOM)
        .map(|z| {
            let cell = CELL_SIZE_0 / f64::from(1u32 << z);
            let n = 1u32 << z;
            json!({
                "id": z.to_string(), "scaleDenominator": cell / 0.00028, "cellSize": cell,
                "cornerOfOrigin": "topLeft", "pointOfOrigin": [-ORIGIN, ORIGIN],
                "tileWidth": 256, "tileHeight": 256, "matrixWidth": n, "matrixHeight": n,
            })
        })
        .collect();
    let body = json!({
        "id": "WebMercatorQuad",
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": WEB_MERCATOR,
        "orderedAxes": ["X", "Y"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    });
    Ok(respond(fq.format, "WebMercatorQuad", &body))
}

/// `/collections/{id}/tiles`: the collection's one tileset.
pub async fn tilesets(
    State(st): State<Shared>,
    Path(id): Path<String>,
    fq: FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    collection_kind(&id, &snap)?;
    let base = base_url(&headers);
    let body = json!({
        "tilesets": [{
            "title": format!("{id} as vector tiles"),
            "dataType": "vector",
            "crs": WEB_MERCATOR,
            "tileMatrixSetURI": TMS_URI,
            "links": [
                {"href": format!("{base}/collections/{id}/tiles/WebMercatorQuad"), "rel": "self", "type": JSON, "title": "The tileset"},
                {"href": format!("{base}/tileMatrixSets/WebMercatorQuad"), "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": JSON, "title": "The tile matrix set"},
                {"href": template(&base, &id), "rel": "item", "type": MVT, "templated": true, "title": "A tile"},
            ]
        }]
    });
    Ok(respond(fq.format, &format!("{id} tilesets"), &body))
}

/// `/collections/{id}/tiles/WebMercatorQuad`: the tileset's metadata, or TileJSON 3.0 with
/// `f=tilejson` (what MapLibre and other web maps read).
pub async fn tileset(
    State(st): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let p = Params::parse(q.as_deref(), &["f"])?;
    let base = base_url(&headers);
    let [w, s, e, n] = snap.prefectures.extent();
    let fields: serde_json::Map<String, Value> = tile_properties(&kind)
        .iter()
        .map(|(name, ty)| (name.to_string(), json!(ty)))
        .collect();
    if p.get("f") == Some("tilejson") {
        let body = json!({
            "tilejson": "3.0.0",
            "name": id,
            "description": format!("planmap's {id} as Mapbox Vector Tiles, one layer named {id}"),
            "tiles": [format!("{base}/collections/{id}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}")],
            "minzoom": 0,
            "maxzoom": MAX_TILE_ZOOM,
            "bounds": [w, s, e, n],
            "center": [(w + e) / 2.0, (s + n) / 2.0, 5],
            "vector_layers": [{"id": id, "fields": fields, "minzoom": 0, "maxzoom": MAX_TILE_ZOOM}],
        });
        return Ok(json_response(&body, JSON));
    }
    let format = super::negotiate(p.get("f"), &headers)?;
    let body = json!({
        "title": format!("{id} as vector tiles"),
        "dataType": "vector",
        "crs": WEB_MERCATOR,
        "tileMatrixSetURI": TMS_URI,
        "tileMatrixSetLimits": (0..=MAX_TILE_ZOOM).map(|z| {
            let last = (1u32 << z) - 1;
            json!({"tileMatrix": z.to_string(), "minTileRow": 0, "maxTileRow": last, "minTileCol": 0, "maxTileCol": last})
        }).collect::<Vec<_>>(),
        "layers": [{"id": id, "dataType": "vector", "propertiesSchema": {"type": "object", "properties":
            fields.iter().map(|(k, t)| (k.clone(), json!({"type": t}))).collect::<serde_json::Map<_, _>>()}}],
        "boundingBox": {"lowerLeft": [w, s], "upperRight": [e, n], "crs": super::params::CRS84},
        "links": [
            {"href": format!("{base}/collections/{id}/tiles/WebMercatorQuad"), "rel": "self", "type": JSON, "title": "This tileset"},
            {"href": format!("{base}/collections/{id}/tiles/WebMercatorQuad?f=tilejson"), "rel": "alternate", "type": JSON, "title": "As TileJSON"},
            {"href": format!("{base}/tileMatrixSets/WebMercatorQuad"), "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme", "type": JSON, "title": "The tile matrix set"},
            {"href": format!("{base}/collections/{id}"), "rel": "collection", "type": JSON, "title": "The collection"},
            {"href": template(&base, &id), "rel": "item", "type": MVT, "templated": true, "title": "A tile"},
        ]
    });
    Ok(respond(format, &format!("{id} tileset"), &body))
}

/// The properties a tile's features carry, with their JSON types: few, so that tiles stay small;
/// the rest is one item request away.
fn tile_properties(kind: &Kind) -> &'static [(&'static str, &'static str)] {
    match kind {
        Kind::Projects(_) => &[
            ("id", "string"),
            ("name", "string"),
            ("category", "string"),
            ("status", "string"),
            ("precision", "string"),
            ("located_by", "string"),
            ("county_codes", "string"),
            ("plan_count", "integer"),
        ],
        Kind::Counties | Kind::Prefectures => &[
            ("code", "string"),
            ("name", "string"),
            ("level", "string"),
            ("project_count", "integer"),
        ],
        Kind::Places => &[
            ("id", "string"),
            ("name", "string"),
            ("kind", "string"),
            ("iata", "string"),
        ],
    }
}

/// A stored JSON value as a tile value (lists joined with `;`, as in CSV).
fn tile_value(v: &Value) -> Option<TileValue> {
    match v {
        Value::String(s) => Some(TileValue::Str(s.clone())),
        Value::Number(n) => n
            .as_u64()
            .map(TileValue::Uint)
            .or_else(|| n.as_f64().map(TileValue::Double)),
        Value::Array(a) => Some(TileValue::Str(
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(";"),
        )),
        Value::Bool(b) => Some(TileValue::Bool(*b)),
        _ => None,
    }
}

/// `/collections/{id}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}`: a Mapbox Vector
/// Tile with one layer named after the collection; `filter` narrows it as it does items.
pub async fn tile(
    State(st): State<Shared>,
    Path((id, z, y, x)): Path<(String, String, String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let t = TileId::parse(&z, &y, &x).map_err(|e| ApiError::param(e.parameter(), e.to_string()))?;
    let p = Params::parse(q.as_deref(), &CQL_PARAMS)?;
    let cql = p.cql(&queryables(&kind))?;
    let key: Key = (
        snap.version().to_string(),
        id.clone(),
        t,
        q.unwrap_or_default(),
    );
    let bytes = match st.tiles.0.get(&key) {
        Some(b) => b,
        None => {
            // the pixels around the tile that it also draws
            let area = t.bounds(BUFFER);
            let made = Arc::new(make(&snap, &kind, &id, t, area, cql.as_ref()));
            st.tiles.0.insert(key, Arc::clone(&made));
            made
        }
    };
    let mut resp = (*bytes).clone().into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    Ok(resp)
}

fn make(
    snap: &super::Snapshot,
    kind: &Kind,
    id: &str,
    t: TileId,
    area: geo::Rect<f64>,
    cql: Option<&crate::cql::Filter>,
) -> Vec<u8> {
    let keep = |r: &dyn Fn(&crate::cql::Filter) -> bool| cql.is_none_or(r);
    let features: Vec<TileFeature> = match kind {
        Kind::Projects(cat) => {
            let filter = crate::index::Filter {
                category: *cat,
                ..Default::default()
            };
            let mut ids = snap.portfolio.envelope_candidates(area, &filter);
            // a crowded tile keeps the projects more plans name (see tiles::encode)
            if ids.len() > MAX_TILE_FEATURES {
                let weight = |i: usize| {
                    let p = &snap.portfolio.feature(i).project;
                    (p.timeline.len(), p.mentions.len())
                };
                ids.sort_by_key(|&i| std::cmp::Reverse(weight(i)));
            }
            ids.into_iter()
                .map(|i| snap.portfolio.feature(i))
                .filter(|l| keep(&|c| c.matches(*l)))
                .filter_map(|l| {
                    let p = &l.project;
                    let loc = &l.location;
                    let str = |s: &str| TileValue::Str(s.to_string());
                    let codes: Vec<String> =
                        loc.county_codes.iter().map(|c| c.to_string()).collect();
                    Some(TileFeature {
                        geometry: loc.geometry.as_ref()?,
                        properties: vec![
                            ("id", str(&p.id)),
                            ("name", str(&p.name)),
                            ("category", str(p.category.key())),
                            ("status", str(p.status.key())),
                            ("precision", str(loc.precision.key())),
                            ("located_by", str(loc.located_by.key())),
                            ("county_codes", TileValue::Str(codes.join(";"))),
                            ("plan_count", TileValue::Uint(p.timeline.len() as u64)),
                        ],
                    })
                })
                .collect()
        }
        Kind::Counties | Kind::Prefectures => {
            let layer = match kind {
                Kind::Counties => &snap.counties,
                _ => &snap.prefectures,
            };
            layer
                .select(Some(area), None)
                .into_iter()
                .filter(|&i| layer.with_record(i, |r| keep(&|c| c.matches(r))))
                .map(|i| {
                    let props = layer.properties(i);
                    TileFeature {
                        geometry: layer.geometry(i),
                        properties: tile_properties(kind)
                            .iter()
                            .filter_map(|(k, _)| Some((*k, tile_value(&props[*k])?)))
                            .collect(),
                    }
                })
                .collect()
        }
        Kind::Places => snap
            .places
            .select(Some(area), None)
            .into_iter()
            .filter(|&i| keep(&|c| c.matches(&snap.places.record(i))))
            .map(|i| {
                let r = snap.places.record(i);
                let mut properties = vec![("id", TileValue::Str(snap.places.id(i).to_string()))];
                properties.extend(
                    tile_properties(kind)
                        .iter()
                        .skip(1)
                        .filter_map(|(k, _)| Some((*k, tile_value(r.properties.get(*k)?)?))),
                );
                TileFeature {
                    geometry: snap.places.geometry(i),
                    properties,
                }
            })
            .collect(),
    };
    encode(t, &[(id, &features[..])], MAX_TILE_FEATURES)
}
