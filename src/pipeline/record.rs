//! A plan's record: everything extraction makes of one text on its own. This file, with what
//! it calls, decides what a stored record holds, so the record stamp covers it (see
//! `src/stamp.rs`); the rest of the pipeline does not shape records.

use crate::extract;
use crate::gazetteer::Gazetteer;
use crate::geocode;
use crate::model::{DocKind, Document, PlanRecord, RecordedUnit, Stamp};

impl PlanRecord {
    /// Extracts one plan.
    pub fn compute(gaz: &Gazetteer, doc: &Document, sha256: &str) -> PlanRecord {
        let found = extract::extract_document(gaz, doc);
        PlanRecord {
            stamp: Stamp::current(),
            doc: doc.name.clone(),
            sha256: sha256.to_string(),
            year: extract::document_year(doc),
            kind: DocKind::of(doc),
            unit: geocode::plan_unit(gaz, doc).map(|u| RecordedUnit {
                code: u.code,
                found_by: u.found_by,
            }),
            mentions: extract::plan_keys(gaz, found),
        }
    }
}
