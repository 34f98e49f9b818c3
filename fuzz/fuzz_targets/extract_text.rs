//! Any bytes as a plan text: decoding, extraction and geocoding must not panic, and quotes must
//! stand verbatim at their lines.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

static GAZ: OnceLock<planmap::gazetteer::Gazetteer> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let gaz = GAZ.get_or_init(|| planmap::gazetteer::Gazetteer::embedded().unwrap());
    let Some((text, _)) = planmap::document::decode_text(data) else { return };
    let Ok(doc) = planmap::model::Document::from_bytes("f.txt", text.as_bytes()) else { return };
    for l in planmap::locate_documents(gaz, std::slice::from_ref(&doc)) {
        for m in &l.project.mentions {
            assert!(doc.text.lines().nth(m.line - 1).unwrap().contains(&m.quote));
        }
    }
});
