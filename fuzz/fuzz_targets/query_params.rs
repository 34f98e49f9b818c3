//! Any query string through every parameter parser.
#![no_main]
use libfuzzer_sys::fuzz_target;
use planmap::api::params::Params;

const ALL: &[&str] = &["f", "bbox", "limit", "offset", "category", "county", "prefecture", "action", "doc", "q", "lon", "lat", "k", "km", "properties", "sortby", "filter", "filter-lang", "filter-crs"];

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    if let Ok(p) = Params::parse(Some(q), ALL) {
        let _ = (p.bbox(), p.limit(), p.offset(), p.filter(), p.point(), p.km());
        let _ = (p.properties(&["name", "status"]), p.sortby(&["name", "plan_count"]));
        let _ = p.cql(&planmap::cql::records::project_queryables());
    }
});
