//! planmap: the projects named in Xinjiang's regional development plans, on a map.
//!
//! Data flows one way through the modules: [`gazetteer`] (reference places) → [`extract`]
//! (projects out of plan text) → [`geocode`] (projects onto counties and geometries) →
//! [`index`] (an immutable R-tree over the results) → [`api`] (OGC API – Features over HTTP).

pub mod api;
pub mod database;
pub mod extract;
pub mod feature;
pub mod gazetteer;
pub mod geocode;
pub mod index;
pub mod model;
pub mod pipeline;
pub mod seeds;
pub mod store;

use gazetteer::Gazetteer;
use geocode::{Geocoder, Located};
use model::Document;

/// Extracts, merges and geocodes the projects of a set of documents.
pub fn locate_documents(gaz: &Gazetteer, docs: &[Document]) -> Vec<Located> {
    let projects = extract::extract_all(gaz, docs);
    Geocoder::new(gaz, docs).locate_all(projects)
}
