//! planmap: the projects named in Xinjiang's regional development plans, on a map.
//!
//! Data flows one way through the modules: [`document`] (plan texts read) and [`gazetteer`]
//! (reference places) → [`extract`]
//! (projects out of plan text) → [`geocode`] (projects onto counties and geometries) →
//! [`index`] (an immutable R-tree over the results) → [`api`] (OGC API – Features over HTTP);
//! [`pipeline`] runs the first three plan by plan, [`store`] and [`database`] keep plans, and
//! [`config`] holds every limit with its reason. The api's filters ([`cql`]) and vector tiles
//! ([`tiles`]) read what the index and the snapshot hold and change nothing.

pub mod api;
pub mod config;
pub mod cql;
pub mod document;
pub mod extract;
pub mod feature;
pub mod gazetteer;
pub mod geocode;
pub mod index;
pub mod model;
pub mod par;
pub mod pipeline;
pub mod seeds;
pub mod snapshot;
pub mod stamp;
pub mod store;
pub mod tiles;

pub use pipeline::locate_documents;
