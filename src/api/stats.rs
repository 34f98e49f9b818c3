//! `GET /collections/{id}/stats`: what a selection of projects adds up to, by category, status
//! and county. The same parameters as `items` pick the projects; nothing is paged. A map of
//! hundreds of thousands of projects shades its counties and counts its legend from this
//! instead of downloading every project.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;

use super::ogc::{collection_kind, queryables, select_projects, Kind};
use super::params::{Params, CQL_PARAMS, FILTER_PARAMS};
use super::responses::Link;
use super::{base_url, json_response, query_string, ApiError, Shared};

/// What the projects of one county add up to.
#[derive(Serialize, Default, Debug, PartialEq)]
pub struct CountyStats {
    /// Projects that lie (wholly or partly) in the county.
    pub projects: usize,
    /// Investment the plans state, 亿元; a project over several counties counts an equal share
    /// in each, so that the counties' sum is the projects' sum.
    pub investment_yi: f64,
}

#[derive(Serialize)]
pub struct Stats {
    #[serde(rename = "numberMatched")]
    pub number_matched: usize,
    /// Of those, the projects without a geometry (kept, listed, not drawn).
    pub unlocated: usize,
    pub categories: BTreeMap<&'static str, usize>,
    pub statuses: BTreeMap<&'static str, usize>,
    /// By GB/T 2260 code; counties with no project are left out.
    pub counties: BTreeMap<String, CountyStats>,
    pub links: Vec<Link>,
}

pub async fn of(
    State(st): State<Shared>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let kind = collection_kind(&id, &snap)?;
    let Kind::Projects(cat) = kind else {
        return Err(ApiError::NotFound(format!(
            "stats are of project collections; {id} is not one"
        )));
    };
    let mut allowed = vec!["f", "bbox"];
    allowed.extend(CQL_PARAMS);
    allowed.extend(FILTER_PARAMS);
    let p = Params::parse(q.as_deref(), &allowed)?;
    if let Some(f) = p.get("f").filter(|f| *f != "json") {
        return Err(ApiError::param(
            "f",
            format!("stats come as json, not {f:?}"),
        ));
    }
    let cql = p.cql(&queryables(&kind))?;
    let ids = select_projects(&snap, &p, cat, p.bbox()?, cql.as_ref())?;
    let mut stats = Stats {
        number_matched: ids.len(),
        unlocated: 0,
        categories: BTreeMap::new(),
        statuses: BTreeMap::new(),
        counties: BTreeMap::new(),
        links: vec![Link::new(
            format!(
                "{}/collections/{id}/stats?{}",
                base_url(&headers),
                query_string(p.pairs())
            ),
            "self",
            "application/json",
            "These figures",
        )],
    };
    for i in ids {
        let l = snap.portfolio.feature(i);
        let project = &l.project;
        *stats.categories.entry(project.category.key()).or_default() += 1;
        *stats.statuses.entry(project.status.key()).or_default() += 1;
        if l.location.geometry.is_none() {
            stats.unlocated += 1;
        }
        let codes = &l.location.county_codes;
        for code in codes {
            let c = stats.counties.entry(code.to_string()).or_default();
            c.projects += 1;
            if let Some(yi) = project.investment_yi {
                c.investment_yi += yi / codes.len() as f64;
            }
        }
    }
    Ok(json_response(&stats, "application/json"))
}
