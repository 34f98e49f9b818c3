//! Issue 15: vector tiles (OGC API – Tiles, MVT) of every collection, on the real server. GDAL's
//! MVT driver decodes them, and a tile holds exactly the features the server's bbox query finds
//! for the tile (plus, at most, those in the margin drawn around it).

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::process::Command;

use common::{get, Server};
use serde_json::{json, Value};

/// A tile's box in WGS 84, `margin` pixels of 4,096 wider on every side (computed here, not
/// by the server).
fn tile_box(z: u32, x: u32, y: u32, margin: f64) -> [f64; 4] {
    let n = f64::from(1u32 << z);
    let lon = |px: f64| (f64::from(x) + px / 4096.0) / n * 360.0 - 180.0;
    let lat = |py: f64| {
        let t = std::f64::consts::PI * (1.0 - 2.0 * (f64::from(y) + py / 4096.0) / n);
        t.sinh().atan().to_degrees()
    };
    [
        lon(-margin),
        lat(4096.0 + margin),
        lon(4096.0 + margin),
        lat(-margin),
    ]
}

fn tile_bytes(s: &Server, path: &str) -> (u16, Vec<u8>, String) {
    let (status, resp) = match ureq::get(&s.url(path)).call() {
        Ok(r) => (r.status(), r),
        Err(ureq::Error::Status(code, r)) => (code, r),
        Err(e) => panic!("{path}: {e}"),
    };
    let ctype = resp.content_type().to_string();
    let mut bytes = Vec::new();
    resp.into_reader().read_to_end(&mut bytes).unwrap();
    (status, bytes, ctype)
}

/// The values of `field` of every feature GDAL's MVT driver reads from a tile.
fn gdal_reads(bytes: &[u8], z: u32, x: u32, y: u32, field: &str) -> BTreeSet<String> {
    // an empty tile (no layer) is no file GDAL opens
    if planmap::tiles::decode(bytes).is_ok_and(|t| t.layers.is_empty()) {
        return BTreeSet::new();
    }
    // tests run side by side: each read its own file
    static READS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = READS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let file = std::env::temp_dir().join(format!(
        "planmap-tile-{}-{n}-{z}-{x}-{y}.pbf",
        std::process::id()
    ));

    std::fs::write(&file, bytes).unwrap();
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-q"])
        .args([
            "-oo",
            &format!("Z={z}"),
            "-oo",
            &format!("X={x}"),
            "-oo",
            &format!("Y={y}"),
        ])
        .arg(&file)
        .output()
        .expect("ogrinfo (gdal-bin) runs");
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let prefix = format!("{field} (String) = ");
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(&prefix))
        .map(str::to_string)
        .collect()
}

fn ids_in(s: &Server, collection: &str, b: [f64; 4]) -> BTreeSet<String> {
    let (st, page, _) = get(&s.url(&format!(
        "/collections/{collection}/items?limit=10000&bbox={},{},{},{}",
        b[0], b[1], b[2], b[3]
    )));
    assert_eq!(st, 200, "{page}");
    common::ids(&page).into_iter().collect()
}

#[test]
fn gdal_decodes_tiles_with_the_features_their_bbox_query_finds() {
    let s = Server::start(&[]);
    // Xinjiang whole, Urumqi and its neighbours, 塔城, and a tile with 乌鲁木齐's airport
    let tiles = [
        (4, 11, 5),
        (6, 46, 23),
        (7, 93, 46),
        (9, 373, 180),
        (10, 749, 361),
    ];
    let mut seen = 0;
    for (collection, field) in [
        ("projects", "id"),
        ("railway", "id"),
        ("places", "id"),
        ("counties", "code"),
    ] {
        for &(z, x, y) in &tiles {
            let (st, bytes, ctype) = tile_bytes(
                &s,
                &format!("/collections/{collection}/tiles/WebMercatorQuad/{z}/{y}/{x}"),
            );
            assert_eq!(st, 200);
            assert_eq!(ctype, "application/vnd.mapbox-vector-tile");
            let got = gdal_reads(&bytes, z, x, y, field);
            let inside = ids_in(&s, collection, tile_box(z, x, y, 0.0));
            // the tile also draws a 64-pixel margin; allow a pixel more for rounding
            let around = ids_in(&s, collection, tile_box(z, x, y, 65.0));
            let missing: Vec<_> = inside.difference(&got).collect();
            let stray: Vec<_> = got.difference(&around).collect();
            assert!(
                missing.is_empty(),
                "{collection} {z}/{y}/{x} lacks {missing:?}"
            );
            assert!(stray.is_empty(), "{collection} {z}/{y}/{x} has {stray:?}");
            seen += got.len();
        }
    }
    assert!(seen > 100, "{seen}");
}

#[test]
fn tiles_are_made_once_per_data_version() {
    let dir = std::env::temp_dir().join(format!("planmap-tiles-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let s = Server::start(&["--data", dir.to_str().unwrap(), "--token", "tile-token"]);
    let path = "/collections/projects/tiles/WebMercatorQuad/9/180/373";
    let (_, first, _) = tile_bytes(&s, path);
    let (_, again, _) = tile_bytes(&s, path);
    assert_eq!(first, again);
    let r = ureq::get(&s.url(path)).call().unwrap();
    let etag = r.header("etag").unwrap().to_string();
    let r = ureq::get(&s.url(path))
        .set("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(r.status(), 304);
    // a new plan places a project in the tile: the tile is made again, with it
    let plan = "塔城市测试规划\n建设塔城市五弦河第九号物流园。\n";
    let r = ureq::post(&s.url("/plans"))
        .set("Authorization", "Bearer tile-token")
        .set("Content-Type", "text/plain; charset=utf-8")
        .send_bytes(plan.as_bytes())
        .unwrap();
    assert_eq!(r.status(), 201);
    let added: Value = r.into_json().unwrap();
    let new_ids: BTreeSet<String> = added["contributed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!new_ids.is_empty(), "{added}");
    let r = ureq::get(&s.url(path))
        .set("If-None-Match", &etag)
        .call()
        .unwrap();
    assert_eq!(r.status(), 200, "a new version has a new ETag");
    let (_, after, _) = tile_bytes(&s, path);
    assert_ne!(after, first);
    let ids = gdal_reads(&after, 9, 373, 180, "id");
    assert!(new_ids.is_subset(&ids), "{new_ids:?} not in the tile");
    drop(s);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_filter_narrows_a_tile_as_it_narrows_items() {
    let s = Server::start(&[]);
    let (z, x, y) = (6, 46, 23);
    let filter = "status = 'building'";
    let enc: String = form_urlencoded::byte_serialize(filter.as_bytes()).collect();
    let (st, bytes, _) = tile_bytes(
        &s,
        &format!("/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}?filter={enc}"),
    );
    assert_eq!(st, 200);
    let got = gdal_reads(&bytes, z, x, y, "id");
    let b = tile_box(z, x, y, 0.0);
    let (_, page, _) = get(&s.url(&format!(
        "/collections/projects/items?limit=10000&filter={enc}&bbox={},{},{},{}",
        b[0], b[1], b[2], b[3]
    )));
    let want: BTreeSet<String> = common::ids(&page).into_iter().collect();
    assert!(!want.is_empty());
    assert!(want.is_subset(&got));
    let all = gdal_reads(
        &tile_bytes(
            &s,
            &format!("/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}"),
        )
        .1,
        z,
        x,
        y,
        "id",
    );
    assert!(got.len() < all.len());
    let (st, body, _) = get(&s.url(&format!(
        "/collections/projects/tiles/WebMercatorQuad/{z}/{y}/{x}?filter=status%3D"
    )));
    assert_eq!(st, 400);
    assert_eq!(body["parameter"], "filter");
}

#[test]
fn tile_addresses_are_checked() {
    let s = Server::start(&[]);
    for (path, parameter) in [
        ("19/0/0", "tileMatrix"),
        ("x/0/0", "tileMatrix"),
        ("3/8/0", "tileRow"),
        ("3/0/8", "tileCol"),
        ("3/-1/0", "tileRow"),
    ] {
        let (st, body, _) = get(&s.url(&format!(
            "/collections/projects/tiles/WebMercatorQuad/{path}"
        )));
        assert_eq!(st, 400, "{path}: {body}");
        assert_eq!(body["parameter"], parameter, "{path}");
    }
    let (st, _, _) = get(&s.url("/collections/nothing/tiles/WebMercatorQuad/0/0/0"));
    assert_eq!(st, 404);
    let (st, _, _) = get(&s.url("/collections/projects/tiles/WebMercatorQuad/0/0/0?limit=3"));
    assert_eq!(st, 400);
    // an empty tile far from Xinjiang is an empty tile, not an error
    let (st, bytes, _) = tile_bytes(&s, "/collections/projects/tiles/WebMercatorQuad/5/10/3");
    assert_eq!(st, 200);
    assert!(planmap::tiles::decode(&bytes).unwrap().layers.is_empty());
}

#[test]
fn tilesets_describe_themselves_in_ogc_and_tilejson_terms() {
    let s = Server::start(&[]);
    let (_, conf, _) = get(&s.url("/conformance"));
    for c in [
        "core",
        "tileset",
        "tilesets-list",
        "geodata-tilesets",
        "mvt",
    ] {
        let uri = format!("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/{c}");
        assert!(
            conf["conformsTo"].as_array().unwrap().contains(&json!(uri)),
            "{c}"
        );
    }
    let (_, sets, _) = get(&s.url("/tileMatrixSets"));
    assert_eq!(sets["tileMatrixSets"][0]["id"], "WebMercatorQuad");
    let (_, tms, _) = get(&s.url("/tileMatrixSets/WebMercatorQuad"));
    assert_eq!(tms["tileMatrices"][0]["matrixWidth"], 1);
    assert_eq!(tms["tileMatrices"][10]["matrixWidth"], 1024);
    for collection in ["projects", "counties", "prefectures", "places", "railway"] {
        let (_, c, _) = get(&s.url(&format!("/collections/{collection}")));
        assert!(c["links"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["rel"] == "http://www.opengis.net/def/rel/ogc/1.0/tilesets-vector"));
        let (st, list, _) = get(&s.url(&format!("/collections/{collection}/tiles")));
        assert_eq!(st, 200);
        let item = list["tilesets"][0]["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "item")
            .unwrap()["href"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(item.ends_with(&format!(
            "/collections/{collection}/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}"
        )));
        let (_, set, _) = get(&s.url(&format!("/collections/{collection}/tiles/WebMercatorQuad")));
        assert_eq!(set["dataType"], "vector");
        assert_eq!(set["layers"][0]["id"], collection);
        let (_, tj, _) = get(&s.url(&format!(
            "/collections/{collection}/tiles/WebMercatorQuad?f=tilejson"
        )));
        assert_eq!(tj["tilejson"], "3.0.0");
        assert_eq!(tj["vector_layers"][0]["id"], collection);
        let url = tj["tiles"][0].as_str().unwrap();
        let (st, bytes, _) = tile_bytes(&s, &url[s.base.len()..].replace("{z}/{y}/{x}", "5/11/23"));
        assert_eq!(st, 200);
        let tile = planmap::tiles::decode(&bytes).unwrap();
        assert_eq!(tile.layers.len(), 1, "{collection}");
        assert_eq!(tile.layers[0].name, collection);
    }
}
