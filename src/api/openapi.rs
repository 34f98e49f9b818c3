//! The OpenAPI 3.0 document, generated from the same tables the handlers validate against
//! (parameter names, limits, category and action keys), so the two cannot drift apart.

use axum::response::Response;
use serde_json::{json, Value};

use super::{json_response, ApiError, OPENAPI};
use crate::config::{
    DEFAULT_LIMIT, MAX_BODY_BYTES, MAX_FILTER_CHARS, MAX_FILTER_DEPTH, MAX_FILTER_PARENS, MAX_K,
    MAX_KM, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_VERTICES, MAX_SORT_KEYS, MAX_TEXT_CHARS,
    MAX_TILE_FEATURES, MAX_TILE_ZOOM,
};
use crate::gazetteer::{Level, PlaceKind};
use crate::geocode::{LocatedBy, Precision};
use crate::model::Category;
use crate::model::{DocKind, PlanSource, Status};

fn param(name: &str, location: &str, required: bool, description: &str, schema: Value) -> Value {
    json!({"name": name, "in": location, "required": required, "description": description, "schema": schema, "style": "form", "explode": false})
}

fn filters() -> Vec<Value> {
    let cats: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
    let acts: Vec<&str> = crate::model::Action::ALL.iter().map(|a| a.key()).collect();
    let code = json!({"type": "string", "pattern": "^[1-9][0-9]{5}$", "example": "654201"});
    vec![
        param(
            "category",
            "query",
            false,
            "Only projects of this category.",
            json!({"type": "string", "enum": cats}),
        ),
        param(
            "county",
            "query",
            false,
            "Only projects in this county-level unit (GB/T 2260 code; 654223 is read as 654203).",
            code.clone(),
        ),
        param(
            "prefecture",
            "query",
            false,
            "Only projects in this prefecture-level unit.",
            code,
        ),
        param(
            "action",
            "query",
            false,
            "Only projects with this action.",
            json!({"type": "string", "enum": acts}),
        ),
        param(
            "status",
            "query",
            false,
            "Only projects in this state, as the latest plan that names them says.",
            json!({"type": "string", "enum": Status::ALL.iter().map(|s| s.key()).collect::<Vec<_>>()}),
        ),
        param(
            "datetime",
            "query",
            false,
            "Only projects named by a plan of these years: an RFC 3339 date or date-time, or an interval a/b (.. for an open end), read to the year.",
            json!({"type": "string", "maxLength": 100, "example": "2016/2020"}),
        ),
        param(
            "doc",
            "query",
            false,
            "Only projects mentioned in this plan document (file name).",
            json!({"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}),
        ),
        param(
            "q",
            "query",
            false,
            "Only projects whose name contains this text.",
            json!({"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS}),
        ),
    ]
}

/// OGC API – Features Part 3: `filter`, `filter-lang`, `filter-crs`.
fn cql_params() -> Vec<Value> {
    vec![
        param(
            "filter",
            "query",
            false,
            &format!("A CQL2 filter over the collection's queryables (/collections/{{collectionId}}/queryables), in the language filter-lang names: comparisons, AND/OR/NOT, LIKE, IN, BETWEEN, IS NULL, CASEI, A_CONTAINS and the other array operators, S_INTERSECTS and the other spatial operators with WKT, GeoJSON or BBOX (answered from the R-tree), T_INTERSECTS and the other temporal operators on plan_period. At most {MAX_FILTER_CHARS} characters, parentheses nested at most {MAX_FILTER_PARENS} deep, expressions at most {MAX_FILTER_DEPTH}; a malformed filter gets 400 with the line and column of the error."),
            json!({"type": "string", "minLength": 1, "maxLength": MAX_FILTER_CHARS, "example": "status = 'building' AND S_INTERSECTS(geometry, BBOX(82,45,84,47.5))"}),
        ),
        param(
            "filter-lang",
            "query",
            false,
            "The filter's encoding: cql2-text (the default) or cql2-json; cql-text is the draft's name for cql2-text, which GDAL before 3.7 sends.",
            json!({"type": "string", "enum": ["cql2-text", "cql2-json", "cql-text"], "default": "cql2-text"}),
        ),
        param(
            "filter-crs",
            "query",
            false,
            "The coordinate system of the filter's geometries: only CRS84 (longitude, latitude).",
            json!({"type": "string", "enum": [super::params::CRS84]}),
        ),
    ]
}

fn limit() -> Value {
    param(
        "limit",
        "query",
        false,
        "Page size.",
        json!({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT}),
    )
}
fn offset() -> Value {
    param(
        "offset",
        "query",
        false,
        "Items to skip.",
        json!({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET, "default": 0}),
    )
}
fn f() -> Value {
    param(
        "f",
        "query",
        false,
        "Representation.",
        json!({"type": "string", "enum": ["json", "html"]}),
    )
}
fn bbox() -> Value {
    json!({"name": "bbox", "in": "query", "required": false, "style": "form", "explode": false,
        "description": "minlon,minlat,maxlon,maxlat in WGS 84 (CRS84); six numbers with heights are accepted.",
        "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number", "minimum": -180, "maximum": 180}},
        "example": [82.5, 46.4, 83.7, 47.3]})
}
fn lonlat() -> Vec<Value> {
    vec![
        param(
            "lon",
            "query",
            true,
            "Longitude, WGS 84.",
            json!({"type": "number", "minimum": -180, "maximum": 180}),
        ),
        param(
            "lat",
            "query",
            true,
            "Latitude, WGS 84.",
            json!({"type": "number", "minimum": -90, "maximum": 90}),
        ),
    ]
}

fn responses(ok: &str, media: &str, schema: &str) -> Value {
    let err = json!({"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}});
    json!({
        "200": {"description": ok, "content": {media: {"schema": {"$ref": format!("#/components/schemas/{schema}")}}, "text/html": {"schema": {"type": "string"}}}},
        "304": {"description": "Not modified (If-None-Match)"},
        "400": err, "404": err, "406": err, "408": {"description": "Request timeout"},
        "413": err, "414": {"description": "URI too long: the HTTP layer refuses one over 64 KiB before planmap reads it (planmap's own limit on the query string is a 400)"},
        "415": err, "500": err
    })
}

/// An object schema of these properties, no others; `required` names the ones always there.
fn object(properties: Value, required: &[&str]) -> Value {
    json!({"type": "object", "properties": properties, "required": required, "additionalProperties": false})
}

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&t| key(t)).collect()
}

/// The schemas of every answer, under the names of the types in [`super::responses`].
fn schemas() -> Value {
    let string = json!({"type": "string"});
    let integer = json!({"type": "integer"});
    let strings = json!({"type": "array", "items": {"type": "string"}});
    let links = json!({"type": "array", "items": {"$ref": "#/components/schemas/Link"}});
    // OpenAPI 3.0 ignores what stands beside a $ref: a nullable reference goes through allOf
    let nullable = |mut v: Value| {
        if v.get("$ref").is_some() {
            v = json!({"allOf": [v]});
        }
        v["nullable"] = json!(true);
        v
    };
    let mention = json!({"$ref": "#/components/schemas/Mention"});
    let categories = keys(&Category::ALL, Category::key);
    let actions = keys(&crate::model::Action::ALL, crate::model::Action::key);
    let statuses = keys(&Status::ALL, Status::key);
    let levels = keys(&Level::ALL, Level::key);
    // a project's properties in list form, and in full (the single item)
    let project = |full: bool| {
        let mut p = json!({
            "name": string, "category": {"type": "string", "enum": categories},
            "county_codes": strings, "prefecture_code": nullable(string.clone()),
            "action": {"type": "string", "enum": actions},
            "investment_yi": nullable(json!({"type": "number"})),
            "located_by": {"type": "string", "enum": keys(&LocatedBy::ALL, LocatedBy::key)},
            "precision": {"type": "string", "enum": keys(&Precision::ALL, Precision::key)},
            "confidence": {"type": "number", "minimum": 0, "maximum": 1},
            "waypoints": strings, "unresolved_waypoints": strings,
            "status": {"type": "string", "enum": statuses},
            "mention_count": {"type": "integer", "minimum": 0, "description": "Lines of plans that name it."},
            "plan_count": {"type": "integer", "minimum": 0, "description": "Plans that name it."},
        });
        if full {
            p["timeline"] = json!({"type": "array", "description": "One entry per plan, oldest first.", "items": object(json!({
                "doc": string, "year": nullable(integer.clone()), "status": {"type": "string", "enum": statuses}, "quote": string}), &["doc", "year", "status", "quote"])});
            p["mentions"] = json!({"type": "array", "items": mention});
        } else {
            p["plan_years"] = json!({"type": "array", "items": integer, "description": "Distinct years of the plans naming it, oldest first."});
            p["first_mention"] = nullable(mention.clone());
            p["latest_mention"] = nullable(mention.clone());
            p["mentions_href"] = json!({"type": "string", "description": "Path of every mention, paged: /collections/projects/items/{id}/mentions."});
            p["distance_km"] =
                json!({"type": "number", "description": "Searches by distance only."});
        }
        p
    };
    // what every project carries, in either form: the list form's properties but for the
    // optional route ones and the list-only ones
    let common: Vec<&str> = crate::feature::LISTED_PROPERTIES
        .iter()
        .copied()
        .filter(|k| {
            !matches!(
                *k,
                "waypoints"
                    | "unresolved_waypoints"
                    | "plan_years"
                    | "first_mention"
                    | "latest_mention"
                    | "mentions_href"
            )
        })
        .collect();
    let mut full_required = common.to_vec();
    full_required.extend(["timeline", "mentions"]);
    let area = json!({"code": string, "name": string, "prefecture": string, "level": {"type": "string", "enum": levels},
        "seat": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}, "project_count": integer});
    let place = json!({"name": string, "kind": {"type": "string", "enum": keys(&PlaceKind::ALL, PlaceKind::key)},
        "county_codes": strings, "aliases": strings, "iata": nullable(string.clone())});
    let geometry = json!({"type": "object", "nullable": true, "required": ["type"], "properties": {
        "type": {"type": "string", "enum": ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"]},
        "coordinates": {"type": "array"}, "geometries": {"type": "array"}}});
    // a feature of a list: every kind of collection, with properties= selecting any of them
    let listed = json!({"type": "object", "required": ["type", "id", "geometry", "properties"], "properties": {
        "type": {"type": "string", "enum": ["Feature"]}, "id": string, "geometry": geometry,
        "properties": {"anyOf": [object(project(false), &[]), object(area.clone(), &[]), object(place.clone(), &[])]}}});
    let plan_properties = json!({
        "id": string, "doc": string, "title": nullable(string.clone()), "period": nullable(string.clone()),
        "sha256": string, "bytes": integer, "encoding": string, "source": {"type": "string", "enum": PlanSource::ALL.iter().map(|s| s.key()).collect::<Vec<_>>()},
        "original_name": nullable(string.clone()), "added_at": integer, "seq": integer,
        "projects": integer, "kind": {"type": "string", "enum": keys(&DocKind::ALL, DocKind::key)}, "year": nullable(integer.clone()),
        "unit": {"type": "object", "nullable": true, "required": ["code", "name", "level", "found_by"], "properties": {
            "code": string, "name": string, "level": {"type": "string", "enum": levels}, "found_by": string}},
        "links": links,
    });
    let plan_required = [
        "id", "doc", "sha256", "bytes", "encoding", "source", "added_at", "seq", "projects",
        "kind", "year", "unit", "links",
    ];
    let mut added = plan_properties.clone();
    added["created"] = json!({"type": "boolean"});
    added["contributed"] =
        json!({"type": "array", "items": {"$ref": "#/components/schemas/Feature"}});
    let mut added_required = plan_required.to_vec();
    added_required.extend(["created", "contributed"]);
    json!({
        "Error": object(json!({"code": string, "description": string, "parameter": string}), &["code", "description"]),
        "Link": object(json!({"href": string, "rel": string, "type": string, "title": string, "templated": {"type": "boolean"}}), &["href", "rel", "type"]),
        "Landing": object(json!({"title": string, "description": string, "links": links}), &["title", "links"]),
        "Conformance": object(json!({"conformsTo": strings}), &["conformsTo"]),
        "Collection": object(json!({"id": string, "title": string, "description": string, "itemType": string,
            "crs": strings, "storageCrs": string, "links": links,
            "extent": object(json!({"spatial": object(json!({"bbox": {"type": "array", "items": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4}}, "crs": string}), &["bbox"])}), &["spatial"])}),
            &["id", "title", "itemType", "crs", "extent", "links"]),
        "Collections": object(json!({"links": links, "collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}}), &["links", "collections"]),
        "Feature": listed,
        "FeatureCollection": object(json!({
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "features": {"type": "array", "items": {"$ref": "#/components/schemas/Feature"}},
            "numberMatched": integer, "numberReturned": integer, "timeStamp": {"type": "string", "format": "date-time"}, "links": links,
            "county": object(json!({"code": string, "name": string, "level": {"type": "string", "enum": levels}}), &["code", "name", "level"]),
            "counties": {"type": "array", "items": object(area.clone(), &["code", "name", "prefecture", "level", "seat", "project_count"])}}),
            &["type", "features", "numberMatched", "numberReturned", "timeStamp", "links"]),
        "Item": {"type": "object", "required": ["type", "id", "geometry", "properties", "links"], "properties": {
            "type": {"type": "string", "enum": ["Feature"]}, "id": string, "geometry": geometry, "links": links,
            "properties": {"anyOf": [
                object(project(true), &full_required),
                object(area.clone(), &["code", "name", "prefecture", "level", "seat", "project_count"]),
                object(place, &["name", "kind", "county_codes", "aliases", "iata"])]}}},
        "County": {"type": "object", "required": ["type", "id", "geometry", "properties"], "properties": {
            "type": {"type": "string", "enum": ["Feature"]}, "id": string, "geometry": geometry,
            "properties": object(area, &["code", "name", "prefecture", "level", "seat", "project_count"])}},
        "Mention": object(json!({
            "href": {"type": "string", "description": "Path of the line in the plan's text page: /plans/{planId}/text#L{line}."},
            "doc": {"type": "string", "description": "The plan's document name (see /plans)."},
            "line": {"type": "integer", "minimum": 1},
            "quote": string,
            "status": {"type": "string", "enum": statuses},
            "status_quote": string,
            "status_year": integer}), &["doc", "line", "quote", "status", "href"]),
        "MentionsPage": object(json!({
            "id": string, "name": string,
            "mentions": {"type": "array", "items": mention},
            "numberMatched": integer, "numberReturned": integer, "links": links}),
            &["id", "name", "mentions", "numberMatched", "numberReturned", "links"]),
        "Plan": object(plan_properties, &plan_required),
        "Plans": object(json!({"plans": {"type": "array", "items": {"$ref": "#/components/schemas/Plan"}}, "writable": {"type": "boolean"}}), &["plans", "writable"]),
        "Added": object(added, &added_required),
        "Deleted": object(json!({"deleted": string, "doc": string, "projects_before": integer, "projects_after": integer}), &["deleted", "doc", "projects_before", "projects_after"]),
        "OpenApi": {"type": "object", "required": ["openapi", "info", "paths", "components"]},
        "Stats": object(json!({
            "numberMatched": integer,
            "unlocated": integer,
            "categories": {"type": "object", "additionalProperties": integer},
            "statuses": {"type": "object", "additionalProperties": integer},
            "counties": {"type": "object", "additionalProperties": object(json!({"projects": integer, "investment_yi": {"type": "number", "minimum": 0}}), &["projects", "investment_yi"])},
            "links": links}), &["numberMatched", "unlocated", "categories", "statuses", "counties", "links"]),
        "Queryables": object(json!({"$schema": string, "$id": string, "type": {"type": "string", "enum": ["object"]}, "title": string,
            "properties": {"type": "object", "additionalProperties": {"type": "object"}}, "additionalProperties": {"type": "boolean"}}),
            &["$schema", "$id", "type", "properties"]),
    })
}

/// The OpenAPI document.
pub fn document() -> Value {
    let items_params = {
        let mut v = vec![
            param(
                "collectionId",
                "path",
                true,
                "Collection id: projects, a category key, counties, prefectures or places.",
                json!({"type": "string"}),
            ),
            param(
                "f",
                "query",
                false,
                "Representation: GeoJSON, HTML, CSV (one row a feature, geometry as WKT in the WKT column; paging in the Link and OGC-NumberMatched headers) or FlatGeobuf (the page's located features with a packed R-tree index, WGS 84).",
                json!({"type": "string", "enum": ["json", "html", "csv", "fgb"]}),
            ),
            param(
                "sortby",
                "query",
                false,
                &format!(
                    "Order by these properties, comma-separated, each ascending unless prefixed with - (at most {MAX_SORT_KEYS}); text by Unicode code point, missing values last. Projects sort by: {}. Counties and prefectures by: {}. Places by: {}.",
                    super::ogc::PROJECT_SORTABLE.join(", "),
                    super::ogc::AREA_SORTABLE.join(", "),
                    super::ogc::PLACE_SORTABLE.join(", ")
                ),
                json!({"type": "array", "items": {"type": "string", "pattern": "^[+ -]?[a-z_]+$"}, "maxItems": MAX_SORT_KEYS}),
            ),
            bbox(),
            limit(),
            offset(),
            json!({"name": "properties", "in": "query", "required": false, "style": "form", "explode": false,
                "description": format!(
                    "Only these properties, comma-separated (none when empty). Projects have: {}. Counties and prefectures have: {}. Places have: {}.",
                    crate::feature::LISTED_PROPERTIES.join(", "),
                    crate::snapshot::AREA_PROPERTIES.join(", "),
                    crate::snapshot::PLACE_PROPERTIES.join(", ")
                ),
                "schema": {"type": "array", "items": {"type": "string"}},
                "example": ["name", "category", "status"]}),
        ];
        v.extend(filters());
        v.extend(cql_params());
        v
    };
    let mut items_responses = responses(
        "GeoJSON FeatureCollection",
        "application/geo+json",
        "FeatureCollection",
    );
    items_responses["200"]["content"]["text/csv"] = json!({"schema": {"type": "string"}});
    items_responses["200"]["content"]["application/flatgeobuf"] =
        json!({"schema": {"type": "string", "format": "binary"}});
    let mut nearest = lonlat();
    nearest.push(param(
        "k",
        "query",
        false,
        "How many.",
        json!({"type": "integer", "minimum": 1, "maximum": MAX_K, "default": 10}),
    ));
    nearest.extend(filters());
    let mut within = lonlat();
    within.push(param(
        "km",
        "query",
        true,
        "Radius in km (geodesic).",
        json!({"type": "number", "minimum": 0, "maximum": MAX_KM}),
    ));
    within.push(limit());
    within.push(offset());
    within.extend(filters());
    let mut intersects = vec![limit()];
    intersects.extend(filters());
    let mut county_projects = vec![
        param(
            "code",
            "path",
            true,
            "GB/T 2260 code of a county- or prefecture-level unit.",
            json!({"type": "string"}),
        ),
        limit(),
        offset(),
    ];
    county_projects.extend(filters());
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "planmap",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Projects named in Xinjiang regional development plans, as OGC API – Features 1.0 collections, with spatial searches. All coordinates WGS 84 (CRS84).",
            "license": {"name": "MIT"}
        },
        "servers": [{"url": "/"}],
        "paths": {
            "/": {"get": {"summary": "Landing page (the map viewer for browsers)", "operationId": "landing", "parameters": [f()], "responses": responses("Landing page", "application/json", "Landing")}},
            "/conformance": {"get": {"summary": "Conformance classes", "operationId": "conformance", "parameters": [f()], "responses": responses("Conformance", "application/json", "Conformance")}},
            "/api": {"get": {"summary": "This document", "operationId": "api", "parameters": [f()], "responses": responses("OpenAPI", "application/vnd.oai.openapi+json;version=3.0", "OpenApi")}},
            "/collections": {"get": {"summary": "Collections", "operationId": "collections", "parameters": [f()], "responses": responses("Collections", "application/json", "Collections")}},
            "/collections/{collectionId}": {"get": {"summary": "One collection", "operationId": "collection", "parameters": [param("collectionId", "path", true, "Collection id.", json!({"type": "string"})), f()], "responses": responses("Collection", "application/json", "Collection")}},
            "/collections/{collectionId}/items": {"get": {"summary": "Features of a collection", "operationId": "items",
                "description": "Projects come in list form (schema ProjectListed): a list's size does not grow with the number of plans naming a project, so each carries mention_count, plan_count, plan_years, its first and latest mention and mentions_href, the path of all its mentions. The single item has them all (ProjectFull). The spatial searches answer in list form too.",
                "parameters": items_params, "responses": items_responses}},
            "/collections/{collectionId}/items/{featureId}": {"get": {"summary": "One feature; a project with every mention and its timeline (ProjectFull)", "operationId": "item", "parameters": [
                param("collectionId", "path", true, "Collection id.", json!({"type": "string"})),
                param("featureId", "path", true, "Feature id.", json!({"type": "string"})), f()], "responses": responses("GeoJSON Feature", "application/geo+json", "Item")}},
            "/collections/{collectionId}/items/{featureId}/mentions": {"get": {"summary": "Every mention of a project, paged, in the order of the plans that name it", "operationId": "mentions", "parameters": [
                param("collectionId", "path", true, "projects or a category key.", json!({"type": "string"})),
                param("featureId", "path", true, "Project id.", json!({"type": "string"})), limit(), offset(), f()],
                "responses": {
                    "200": {"description": "A page of mentions", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MentionsPage"}}, "text/html": {"schema": {"type": "string"}}}},
                    "304": {"description": "Not modified (If-None-Match)"},
                    "400": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "406": {"$ref": "#/components/responses/Error"}}}},
            "/search/nearest": {"get": {"summary": "The k nearest projects (geodesic), each with distance_km", "operationId": "nearest", "parameters": nearest, "responses": responses("GeoJSON FeatureCollection", "application/geo+json", "FeatureCollection")}},
            "/search/within": {"get": {"summary": "Projects within a distance (geodesic)", "operationId": "within", "parameters": within, "responses": responses("GeoJSON FeatureCollection", "application/geo+json", "FeatureCollection")}},
            "/search/intersects": {"post": {"summary": "Projects and counties a geometry intersects", "operationId": "intersects", "parameters": intersects,
                "requestBody": {"required": true, "description": format!("A GeoJSON Geometry or Feature in WGS 84, at most {MAX_BODY_BYTES} bytes and {MAX_QUERY_VERTICES} vertices."),
                    "content": {"application/geo+json": {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}}},
                "responses": responses("GeoJSON FeatureCollection with a counties member", "application/geo+json", "FeatureCollection")}},
            "/counties/at": {"get": {"summary": "The county-level unit containing a point (404 outside Xinjiang)", "operationId": "countyAt", "parameters": lonlat(), "responses": responses("GeoJSON Feature", "application/geo+json", "County")}},
            "/counties/{code}/projects": {"get": {"summary": "Projects in one county- or prefecture-level unit", "operationId": "countyProjects", "parameters": county_projects, "responses": responses("GeoJSON FeatureCollection", "application/geo+json", "FeatureCollection")}},
            "/plans": {
                "get": {"summary": "The plans in the portfolio, with their provenance, project counts and the county or prefecture each is about (`unit`, null for the region's own plans)", "operationId": "plans", "parameters": [f()], "responses": responses("Plans", "application/json", "Plans")},
                "post": {"summary": "Add a plan (needs --data and a bearer token; 405 when the service is read-only)", "operationId": "addPlan",
                    "security": [{"bearer": []}],
                    "parameters": [
                        param("title", "query", false, "The plan's title, if the text does not say it.", json!({"type": "string", "maxLength": 200})),
                        param("period", "query", false, "The period the plan covers, e.g. 2021-2025.", json!({"type": "string", "maxLength": 200}))],
                    "requestBody": {"required": true, "description": "The plan text, UTF-8 (GB18030 is converted), at most --max-plan-bytes (default 8 MiB).",
                        "content": {"text/plain": {"schema": {"type": "string"}}, "multipart/form-data": {"schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}, "title": {"type": "string", "maxLength": 200}, "period": {"type": "string", "maxLength": 200}}, "required": ["file"]}}}},
                    "responses": {
                        "201": {"description": "Stored, extracted, geocoded and served: the plan and the projects it contributed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Added"}}}},
                        "200": {"description": "The same text was already stored", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Added"}}}},
                        "400": {"$ref": "#/components/responses/Error"}, "401": {"$ref": "#/components/responses/Error"}, "405": {"$ref": "#/components/responses/Error"},
                        "413": {"$ref": "#/components/responses/Error"}, "415": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}, "507": {"$ref": "#/components/responses/Error"}}}
            },
            "/plans/{planId}/text": {"get": {"summary": "The plan's text as a page: lines numbered and addressable (#L123), the projects found on each marked and listed in the margin", "operationId": "planText",
                "parameters": [param("planId", "path", true, "Plan id.", json!({"type": "string"}))],
                "responses": {"200": {"description": "HTML page", "content": {"text/html": {"schema": {"type": "string"}}}},
                    "304": {"description": "Not modified (If-None-Match)"},
                    "404": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}},
            "/plans/{planId}": {
                "get": {"summary": "One plan", "operationId": "plan", "parameters": [param("planId", "path", true, "Plan id.", json!({"type": "string"})), f()], "responses": responses("Plan", "application/json", "Plan")},
                "delete": {"summary": "Remove a plan and every mention it contributed", "operationId": "deletePlan", "security": [{"bearer": []}],
                    "parameters": [param("planId", "path", true, "Plan id.", json!({"type": "string"}))],
                    "responses": {"200": {"description": "Removed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Deleted"}}}}, "401": {"$ref": "#/components/responses/Error"}, "404": {"$ref": "#/components/responses/Error"}, "405": {"$ref": "#/components/responses/Error"}, "503": {"$ref": "#/components/responses/Error"}}}
            }
        },
        "components": {
            "schemas": schemas(),
            "responses": {"Error": {"description": "Error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}},
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    });
    // apart: one json! of every path outgrows the macro's recursion limit
    doc["paths"]["/collections/{collectionId}/queryables"] = json!({"get": {
        "summary": "The properties a filter on this collection may name, as a JSON Schema (OGC API – Features Part 3)",
        "operationId": "queryables",
        "parameters": [param("collectionId", "path", true, "Collection id.", json!({"type": "string"})), f()],
        "responses": responses("Queryables", "application/schema+json", "Queryables")}});
    let collection = param(
        "collectionId",
        "path",
        true,
        "Collection id.",
        json!({"type": "string"}),
    );
    let mut stats_params = vec![
        param(
            "collectionId",
            "path",
            true,
            "A project collection: projects or a category key.",
            json!({"type": "string"}),
        ),
        param(
            "f",
            "query",
            false,
            "Representation: JSON only.",
            json!({"type": "string", "enum": ["json"]}),
        ),
        bbox(),
    ];
    stats_params.extend(filters());
    stats_params.extend(cql_params());
    doc["paths"]["/collections/{collectionId}/stats"] = json!({"get": {
        "summary": "What the projects the parameters pick add up to: by category, status and county (projects, and stated investment shared equally among a project's counties); not paged",
        "operationId": "stats",
        "parameters": stats_params,
        "responses": responses("Figures", "application/json", "Stats")}});
    doc["paths"]["/tileMatrixSets"] = json!({"get": {
        "summary": "The tile matrix sets tiles are served in: WebMercatorQuad", "operationId": "tileMatrixSets",
        "parameters": [f()], "responses": responses("Tile matrix sets", "application/json", "TileMatrixSets")}});
    doc["paths"]["/tileMatrixSets/WebMercatorQuad"] = json!({"get": {
        "summary": "The WebMercatorQuad grid, zoom by zoom (OGC 2D Tile Matrix Set)", "operationId": "tileMatrixSet",
        "parameters": [f()], "responses": responses("Tile matrix set", "application/json", "TileMatrixSet")}});
    doc["paths"]["/collections/{collectionId}/tiles"] = json!({"get": {
        "summary": "A collection's vector tilesets (OGC API – Tiles)", "operationId": "tilesets",
        "parameters": [collection.clone(), f()], "responses": responses("Tilesets", "application/json", "TileSets")}});
    doc["paths"]["/collections/{collectionId}/tiles/WebMercatorQuad"] = json!({"get": {
        "summary": "A collection's tileset in WebMercatorQuad: its metadata, or TileJSON 3.0 with f=tilejson", "operationId": "tileset",
        "parameters": [collection.clone(), param("f", "query", false, "Representation: the OGC tileset (json, html) or TileJSON.", json!({"type": "string", "enum": ["json", "html", "tilejson"]}))],
        "responses": responses("Tileset", "application/json", "TileSet")}});
    let mut tile_params = vec![
        collection,
        param(
            "tileMatrix",
            "path",
            true,
            &format!("Zoom level, 0 to {MAX_TILE_ZOOM}."),
            json!({"type": "string", "pattern": "^[0-9]+$"}),
        ),
        param(
            "tileRow",
            "path",
            true,
            "Row, from the north, 0 to 2^zoom - 1.",
            json!({"type": "string", "pattern": "^[0-9]+$"}),
        ),
        param(
            "tileCol",
            "path",
            true,
            "Column, from the antimeridian, 0 to 2^zoom - 1.",
            json!({"type": "string", "pattern": "^[0-9]+$"}),
        ),
    ];
    tile_params.extend(cql_params());
    let mut tile_responses = responses("A tile", "application/vnd.mapbox-vector-tile", "TileSet");
    tile_responses["200"] = json!({"description": format!("A Mapbox Vector Tile (MVT 2.1) with one layer named after the collection; features clipped to the tile and a 64-pixel margin, simplified to the pixel; where more than {MAX_TILE_FEATURES} crowd, one per {}-pixel cell, those more plans name first; empty when nothing is there", crate::tiles::THIN_CELL_PX),
        "content": {"application/vnd.mapbox-vector-tile": {"schema": {"type": "string", "format": "binary"}}}});
    doc["paths"]
        ["/collections/{collectionId}/tiles/WebMercatorQuad/{tileMatrix}/{tileRow}/{tileCol}"] = json!({"get": {
        "summary": "A vector tile of the collection; filter narrows it as it does items", "operationId": "tile",
        "parameters": tile_params, "responses": tile_responses}});
    let string = json!({"type": "string"});
    let links = json!({"type": "array", "items": {"$ref": "#/components/schemas/Link"}});
    let schemas = &mut doc["components"]["schemas"];
    schemas["TileMatrixSets"] = object(
        json!({"tileMatrixSets": {"type": "array", "items": object(json!({
        "id": string, "title": string, "uri": string, "links": links}), &["id", "uri", "links"])}}),
        &["tileMatrixSets"],
    );
    schemas["TileMatrixSet"] = object(
        json!({"id": string, "title": string, "uri": string, "crs": string,
        "orderedAxes": {"type": "array", "items": string}, "wellKnownScaleSet": string,
        "tileMatrices": {"type": "array", "items": {"type": "object", "required": ["id", "scaleDenominator", "cellSize", "pointOfOrigin", "tileWidth", "tileHeight", "matrixWidth", "matrixHeight"]}}}),
        &["id", "crs", "tileMatrices"],
    );
    schemas["TileSets"] = object(
        json!({"tilesets": {"type": "array", "items": {"type": "object", "required": ["dataType", "crs", "links"]}}}),
        &["tilesets"],
    );
    schemas["TileSet"] = json!({"anyOf": [
        object(json!({"title": string, "dataType": {"type": "string", "enum": ["vector"]}, "crs": string, "tileMatrixSetURI": string,
            "tileMatrixSetLimits": {"type": "array", "items": {"type": "object"}}, "layers": {"type": "array", "items": {"type": "object"}},
            "boundingBox": {"type": "object"}, "links": links}), &["dataType", "crs", "tileMatrixSetURI", "links"]),
        {"type": "object", "description": "TileJSON 3.0.0", "required": ["tilejson", "tiles", "vector_layers"]}]});
    doc
}

pub async fn handler(fq: super::FormatQuery) -> Result<Response, ApiError> {
    let doc = document();
    Ok(match fq.format {
        super::Format::Html if fq.explicit => super::html_page("planmap API (OpenAPI 3.0)", &doc),
        _ => json_response(&doc, OPENAPI),
    })
}
