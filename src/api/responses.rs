//! What the API answers, as types: every JSON body a handler returns is one of these, and the
//! OpenAPI document ([`super::openapi`]) describes each under the same name. Features are
//! served pre-serialized (`RawValue`) where they are stored that way.

use std::borrow::Cow;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;

use crate::snapshot::PlanInfo;

/// A link of OGC API – Features (`href`, `rel`, `type`, `title`).
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub href: String,
    pub rel: &'static str,
    #[serde(rename = "type")]
    pub media: &'static str,
    pub title: Cow<'static, str>,
}

impl Link {
    pub fn new(href: String, rel: &'static str, media: &'static str, title: &'static str) -> Self {
        Link {
            href,
            rel,
            media,
            title: Cow::Borrowed(title),
        }
    }
}

/// `GET /` as JSON.
#[derive(Serialize)]
pub struct Landing {
    pub title: &'static str,
    pub description: &'static str,
    pub links: Vec<Link>,
}

/// `GET /conformance`.
#[derive(Serialize)]
pub struct Conformance {
    #[serde(rename = "conformsTo")]
    pub conforms_to: &'static [&'static str],
}

/// What a collection is: the id a client names it by, a title and what it holds.
#[derive(Clone, Debug)]
pub struct CollectionInfo {
    pub id: String,
    pub title: String,
    pub description: String,
}

/// `GET /collections`.
#[derive(Serialize)]
pub struct Collections {
    pub links: Vec<Link>,
    pub collections: Vec<Collection>,
}

/// `GET /collections/{id}`.
#[derive(Serialize)]
pub struct Collection {
    pub id: String,
    pub title: String,
    pub description: String,
    #[serde(rename = "itemType")]
    pub item_type: &'static str,
    pub crs: [&'static str; 1],
    #[serde(rename = "storageCrs")]
    pub storage_crs: &'static str,
    pub extent: Extent,
    pub links: Vec<Link>,
}

#[derive(Serialize)]
pub struct Extent {
    pub spatial: SpatialExtent,
}

#[derive(Serialize)]
pub struct SpatialExtent {
    pub bbox: [[f64; 4]; 1],
    pub crs: &'static str,
}

/// A page of features with the OGC API paging members and links: items, searches, a county's
/// projects.
#[derive(Serialize)]
pub struct Page<'a> {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub features: Vec<Cow<'a, RawValue>>,
    #[serde(rename = "numberMatched")]
    pub matched: usize,
    #[serde(rename = "numberReturned")]
    pub returned: usize,
    #[serde(rename = "timeStamp")]
    pub time_stamp: String,
    pub links: Vec<Link>,
    /// The unit of `/counties/{code}/projects`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<UnitRef>,
    /// The counties an intersects query's geometry touches (their properties).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counties: Option<Vec<Value>>,
}

/// A county- or prefecture-level unit named in an answer.
#[derive(Serialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
    pub level: crate::gazetteer::Level,
}

/// One feature with its links: `GET /collections/{id}/items/{fid}`.
#[derive(Serialize)]
pub struct Item {
    #[serde(flatten)]
    pub feature: Value,
    pub links: Vec<Link>,
}

/// `GET /collections/{id}/items/{fid}/mentions`.
#[derive(Serialize)]
pub struct MentionsPage<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub mentions: Vec<crate::feature::Linked<'a>>,
    #[serde(rename = "numberMatched")]
    pub matched: usize,
    #[serde(rename = "numberReturned")]
    pub returned: usize,
    pub links: Vec<Link>,
}

/// A plan as `/plans` lists it: what the store and the pipeline know of it, with links.
#[derive(Serialize)]
pub struct Plan<'a> {
    #[serde(flatten)]
    pub info: &'a PlanInfo,
    pub links: Vec<Link>,
}

/// `GET /plans`.
#[derive(Serialize)]
pub struct Plans<'a> {
    pub plans: Vec<Plan<'a>>,
    /// Whether `POST /plans` is open (a token is set).
    pub writable: bool,
}

/// The answer to `POST /plans`: the plan and the projects it contributed (list form).
#[derive(Serialize)]
pub struct Added<'a> {
    #[serde(flatten)]
    pub plan: Plan<'a>,
    /// false: the same text was already stored.
    pub created: bool,
    pub contributed: Vec<&'a RawValue>,
}

/// The answer to `DELETE /plans/{id}`.
#[derive(Serialize)]
pub struct Deleted {
    pub deleted: String,
    pub doc: String,
    pub projects_before: usize,
    pub projects_after: usize,
}

/// `/collections/{id}/queryables`: a JSON Schema of the properties a filter may name.
#[derive(Serialize)]
pub struct Queryables {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    #[serde(rename = "$id")]
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub title: String,
    pub properties: serde_json::Value,
    #[serde(rename = "additionalProperties")]
    pub additional_properties: bool,
}

/// Every error's body.
#[derive(Serialize)]
pub struct ErrorBody {
    pub code: &'static str,
    pub description: String,
    /// The query parameter at fault, for a 400 about one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}
