//! Any bytes as the body of POST /search/intersects.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = planmap::api::search::parse_query_geometry(data);
});
