//! Every operation of the OpenAPI document, asked of the real server, answers what the document
//! says: each answer's body is validated (jsonschema) against the schema the document gives for
//! its status and media type. An operation the walk does not know how to ask fails the test, so a
//! new endpoint cannot go undescribed.

mod common;

use std::collections::BTreeSet;

use common::Server;
use serde_json::{json, Value};

/// OpenAPI 3.0 schemas as JSON Schema: `nullable: true` becomes "or null".
fn json_schema(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out: serde_json::Map<String, Value> = m
                .iter()
                .filter(|(k, _)| *k != "nullable" && *k != "example")
                .map(|(k, v)| (k.clone(), json_schema(v)))
                .collect();
            if m.get("nullable") == Some(&json!(true)) {
                match out.get("type").cloned() {
                    Some(Value::String(t)) => {
                        out.insert("type".into(), json!([t, "null"]));
                    }
                    _ => return json!({"anyOf": [Value::Object(out), {"type": "null"}]}),
                }
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(json_schema).collect()),
        other => other.clone(),
    }
}

struct Walk {
    doc: Value,
    components: Value,
    checked: BTreeSet<String>,
}

impl Walk {
    /// Validates a body against the schema the document gives `op` for `status`.
    fn check(&mut self, op: &str, method: &str, path: &str, status: u16, body: &Value) {
        let operation = &self.doc["paths"][path][method];
        assert!(operation.is_object(), "no {method} {path} in the document");
        assert_eq!(operation["operationId"], op, "{method} {path}");
        let mut response = &operation["responses"][status.to_string()];
        if let Some(r) = response["$ref"].as_str() {
            let name = r.rsplit('/').next().unwrap();
            response = &self.doc["components"]["responses"][name];
        }
        let content = &response["content"];
        let media = content
            .as_object()
            .and_then(|c| c.keys().find(|k| k.contains("json")).cloned())
            .unwrap_or_else(|| panic!("{op}: no JSON content for {status}"));
        let schema = &content[&media]["schema"];
        assert!(
            schema.get("$ref").is_some() || schema.get("type") == Some(&json!("string")),
            "{op} {status}: described by a named schema, not {schema}"
        );
        let root = json!({"$ref": schema["$ref"], "components": self.components});
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&root)
            .unwrap_or_else(|e| panic!("{op}: schema does not compile: {e}"));
        let errors: Vec<String> = validator
            .iter_errors(body)
            .take(5)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{op} {status} answer does not match {}: {errors:#?}",
            schema["$ref"]
        );
        self.checked.insert(op.to_string());
    }
}

fn call(method: &str, url: &str, body: Option<(&str, &[u8])>) -> (u16, Value) {
    let mut req = ureq::request(method, url).set("Authorization", "Bearer walk-token");
    let r = match body {
        Some((media, bytes)) => {
            req = req.set("Content-Type", media);
            req.send_bytes(bytes)
        }
        None => req.call(),
    };
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{method} {url}: {e}"),
    };
    (resp.status(), resp.into_json().unwrap_or(Value::Null))
}

#[test]
fn every_answer_matches_its_openapi_schema() {
    let dir = std::env::temp_dir().join(format!("planmap-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = Server::start(&["--data", dir.to_str().unwrap(), "--token", "walk-token"]);
    let (_, doc) = call("GET", &s.url("/api"), None);
    let mut w = Walk {
        components: json_schema(&doc["components"]),
        doc: doc.clone(),
        checked: BTreeSet::new(),
    };
    let get = |w: &mut Walk, op: &str, path: &str, url: &str| -> Value {
        let (st, body) = call("GET", &s.url(url), None);
        assert_eq!(st, 200, "GET {url}: {body}");
        w.check(op, "get", path, st, &body);
        body
    };

    get(&mut w, "landing", "/", "/?f=json");
    get(
        &mut w,
        "tileMatrixSets",
        "/tileMatrixSets",
        "/tileMatrixSets",
    );
    get(
        &mut w,
        "tileMatrixSet",
        "/tileMatrixSets/WebMercatorQuad",
        "/tileMatrixSets/WebMercatorQuad",
    );
    get(&mut w, "conformance", "/conformance", "/conformance");
    get(&mut w, "api", "/api", "/api");
    let cols = get(&mut w, "collections", "/collections", "/collections");
    for c in cols["collections"].as_array().unwrap() {
        let id = c["id"].as_str().unwrap();
        get(
            &mut w,
            "collection",
            "/collections/{collectionId}",
            &format!("/collections/{id}"),
        );
        let items = get(
            &mut w,
            "items",
            "/collections/{collectionId}/items",
            &format!("/collections/{id}/items?limit=50"),
        );
        get(
            &mut w,
            "queryables",
            "/collections/{collectionId}/queryables",
            &format!("/collections/{id}/queryables"),
        );
        if !["counties", "prefectures", "places"].contains(&id) {
            get(
                &mut w,
                "stats",
                "/collections/{collectionId}/stats",
                &format!("/collections/{id}/stats?bbox=75,35,90,48"),
            );
        }
        get(
            &mut w,
            "tilesets",
            "/collections/{collectionId}/tiles",
            &format!("/collections/{id}/tiles"),
        );
        for f in ["json", "tilejson"] {
            get(
                &mut w,
                "tileset",
                "/collections/{collectionId}/tiles/WebMercatorQuad",
                &format!("/collections/{id}/tiles/WebMercatorQuad?f={f}"),
            );
        }
        let fid = items["features"][0]["id"].as_str().unwrap().to_string();
        get(
            &mut w,
            "item",
            "/collections/{collectionId}/items/{featureId}",
            &format!("/collections/{id}/items/{fid}"),
        );
    }
    get(
        &mut w,
        "items",
        "/collections/{collectionId}/items",
        "/collections/projects/items?limit=20&properties=name,status&bbox=82,45,84,47.5",
    );
    get(
        &mut w,
        "items",
        "/collections/{collectionId}/items",
        "/collections/projects/items?limit=20&filter=status%3D%27building%27%20AND%20S_INTERSECTS(geometry,BBOX(82,45,84,47.5))",
    );
    let (_, one) = call("GET", &s.url("/collections/projects/items?limit=1"), None);
    let fid = one["features"][0]["id"].as_str().unwrap().to_string();
    get(
        &mut w,
        "mentions",
        "/collections/{collectionId}/items/{featureId}/mentions",
        &format!("/collections/projects/items/{fid}/mentions"),
    );
    get(
        &mut w,
        "nearest",
        "/search/nearest",
        "/search/nearest?lon=82.98&lat=46.75&k=5",
    );
    get(
        &mut w,
        "within",
        "/search/within",
        "/search/within?lon=82.98&lat=46.75&km=80",
    );
    let (st, body) = call(
        "POST",
        &s.url("/search/intersects?limit=20"),
        Some((
            "application/geo+json",
            br#"{"type":"Polygon","coordinates":[[[82,46],[84,46],[84,47.5],[82,47.5],[82,46]]]}"#,
        )),
    );
    assert_eq!(st, 200, "{body}");
    w.check("intersects", "post", "/search/intersects", st, &body);
    get(
        &mut w,
        "countyAt",
        "/counties/at",
        "/counties/at?lon=82.98&lat=46.75",
    );
    get(
        &mut w,
        "countyProjects",
        "/counties/{code}/projects",
        "/counties/654201/projects",
    );
    let plans = get(&mut w, "plans", "/plans", "/plans");
    let pid = plans["plans"][0]["id"].as_str().unwrap().to_string();
    get(&mut w, "plan", "/plans/{planId}", &format!("/plans/{pid}"));

    // writes: a new plan (201), the same again (200), its removal
    let text = "新疆某县国民经济和社会发展第十四个五年规划纲要\n加快建设塔城机场改扩建工程和巴克图口岸物流园。\n";
    for expected in [201, 200] {
        let (st, body) = call(
            "POST",
            &s.url("/plans"),
            Some(("text/plain; charset=utf-8", text.as_bytes())),
        );
        assert_eq!(st, expected, "{body}");
        w.check("addPlan", "post", "/plans", st, &body);
    }
    let (_, added) = call("GET", &s.url("/plans"), None);
    let new_id = added["plans"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["source"] == "upload")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (st, body) = call("DELETE", &s.url(&format!("/plans/{new_id}")), None);
    assert_eq!(st, 200, "{body}");
    w.check("deletePlan", "delete", "/plans/{planId}", st, &body);

    // an error's body is an Error
    let (st, body) = call("GET", &s.url("/collections/projects/items?limit=0"), None);
    assert_eq!(st, 400);
    w.check(
        "items",
        "get",
        "/collections/{collectionId}/items",
        st,
        &body,
    );

    // every JSON operation of the document was asked (the text page answers HTML)
    let mut all = BTreeSet::new();
    for (_, methods) in doc["paths"].as_object().unwrap() {
        for (_, op) in methods.as_object().unwrap() {
            let answers_json = op["responses"]["200"]["content"]
                .as_object()
                .is_none_or(|c| c.keys().any(|k| k.contains("json")));
            if answers_json {
                all.insert(op["operationId"].as_str().unwrap().to_string());
            }
        }
    }
    let missed: Vec<&String> = all.difference(&w.checked).collect();
    assert!(missed.is_empty(), "operations not walked: {missed:?}");
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}
