//! The viewer's files, embedded at build time. Only the files listed here exist: no request
//! path is ever joined to a file-system path, so nothing outside `static/` can be read.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

const FILES: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("../../static/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/app.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/style.css"),
    ),
    (
        "vendor/leaflet/leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/leaflet/leaflet.js"),
    ),
    (
        "vendor/leaflet/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/leaflet/leaflet.css"),
    ),
    (
        "vendor/supercluster/supercluster.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/supercluster/supercluster.min.js"),
    ),
    (
        "mvt.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/mvt.js"),
    ),
    (
        "vendor/vector-tile/index.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/vector-tile/index.js"),
    ),
    (
        "vendor/pbf/index.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/pbf/index.js"),
    ),
    (
        "vendor/point-geometry/index.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/point-geometry/index.js"),
    ),
];

fn file(path: &str) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, body)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *body,
        )
            .into_response(),
        None => super::ApiError::NotFound(format!(
            "no static file {:?}",
            path.chars().take(80).collect::<String>()
        ))
        .into_response(),
    }
}

pub async fn serve(Path(path): Path<String>) -> Response {
    file(&path)
}

pub async fn index() -> Response {
    let r = file("index.html");
    if r.status() == StatusCode::OK {
        r
    } else {
        (StatusCode::NOT_FOUND, "viewer missing").into_response()
    }
}
