//! The portfolio over HTTP: list, read, add and remove plans.
//!
//! Writes need a data directory and a bearer token; without either the service is read-only and
//! says so (405). One write runs at a time; a write that waits longer than [`WRITE_WAIT`] for its
//! turn is answered 503 with Retry-After. A write is acknowledged (201/200) only after the plan is
//! durably stored and the new snapshot is in force.

use std::sync::Arc;
use std::time::Duration;

use super::params::Params;
use super::responses::{Added, Deleted, Link, Plan, Plans};
use super::{base_url, json_response, ApiError, Shared, Snapshot, GEOJSON, JSON};
use crate::config::{MAX_DOCUMENT_BYTES, MAX_LABEL_CHARS, MULTIPART_OVERHEAD, WRITE_WAIT};
use crate::document::{plan_text, DocumentError};
use crate::model::PlanMeta;
use crate::pipeline::Catalog;
use crate::store::{Change, Computed, DbError, FilesError, Followed, StoreError};
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

fn plan<'a>(base: &str, snap: &'a Snapshot, id: &str) -> Option<Plan<'a>> {
    let info = snap.plans.iter().find(|p| p.meta.id == id)?;
    Some(Plan {
        info,
        links: vec![
            Link::new(format!("{base}/plans/{id}"), "self", JSON, "This plan"),
            Link::new(
                format!("{base}/collections/projects/items?doc={}", info.meta.doc),
                "items",
                GEOJSON,
                "Projects mentioned in this plan",
            ),
            Link::new(
                format!("{base}/plans/{id}/text"),
                "alternate",
                "text/html",
                "The plan's text, lines numbered, projects marked",
            ),
        ],
    })
}

pub async fn list(
    State(st): State<Shared>,
    _: super::FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let base = base_url(&headers);
    let body = Plans {
        plans: snap
            .plans
            .iter()
            .filter_map(|i| plan(&base, &snap, &i.meta.id))
            .collect(),
        writable: st.writes.as_ref().is_some_and(|w| w.writable()),
    };
    Ok(json_response(&body, JSON))
}

pub async fn one(
    State(st): State<Shared>,
    Path(id): Path<String>,
    _: super::FormatQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let body = plan(&base_url(&headers), &snap, &id).ok_or_else(|| no_plan(&id))?;
    Ok(json_response(&body, JSON))
}

fn no_plan(id: &str) -> ApiError {
    let shown: String = id.chars().take(64).collect();
    ApiError::NotFound(format!("no plan {shown:?}; see /plans"))
}

/// What a write asks of the store.
enum Write {
    Add(Box<Computed>),
    Remove(String),
}

/// The one write path, whatever keeps the plans: waits its turn (at most WRITE_WAIT), has the
/// store change the plans and the catalog with them, and swaps in the snapshot of what changed.
/// Readers keep the old snapshot until the swap. The write runs as a task of its own, so a
/// client that hangs up cannot leave a catalog changed and its snapshot not swapped in.
/// Returns the plan's metadata and whether anything changed.
async fn write(st: &Shared, op: Write) -> Result<(PlanMeta, bool), ApiError> {
    let st = Arc::clone(st);
    tokio::spawn(async move {
        let w = st
            .writes
            .as_ref()
            .filter(|w| w.writable())
            .ok_or_else(|| ApiError::MethodNotAllowed("read-only".into()))?;
        let mut followed = turn(&st).await?;
        let t = std::time::Instant::now();
        let (what, done) = match op {
            Write::Add(plan) => ("stored", w.store.add(&st.gaz, &mut followed, *plan).await),
            Write::Remove(id) => ("removed", w.store.delete(&st.gaz, &mut followed, &id).await),
        };
        let (meta, change) = done.map_err(store_error)?;
        let stored = t.elapsed();
        let changed = change != Change::Nothing;
        let projects = match &change {
            Change::Some(c) => c.len(),
            _ => followed.catalog.entries().len(),
        };
        publish(&st, &followed.catalog, change);
        if changed {
            tracing::info!(
                "plan {}: {what} in {:.1} ms ({}), {projects} projects indexed in {:.1} ms",
                meta.id,
                stored.as_secs_f64() * 1e3,
                w.store.describe(),
                (t.elapsed() - stored).as_secs_f64() * 1e3
            );
        }
        Ok((meta, changed))
    })
    .await
    .map_err(|e| ApiError::Storage(format!("write task failed: {e}")))?
}

/// Waits for this server's turn to write (at most WRITE_WAIT): the catalog, held.
async fn turn(st: &Shared) -> Result<tokio::sync::OwnedMutexGuard<Followed<Catalog>>, ApiError> {
    let w = st
        .writes
        .as_ref()
        .ok_or_else(|| ApiError::MethodNotAllowed("read-only".into()))?;
    tokio::time::timeout(WRITE_WAIT, Arc::clone(&w.followed).lock_owned())
        .await
        .map_err(|_| ApiError::Busy("another write is under way; try again shortly".into()))
}

/// Extracts again, in the background, the plans whose records other rules (or another
/// gazetteer) made, then stores them and swaps in the portfolio they give; until then the old
/// records serve. The same for every store.
pub async fn refresh(st: Shared) {
    let Some(w) = st.writes.as_ref().filter(|w| w.writable()) else {
        return;
    };
    let records = match w.store.stale_records(&st.gaz).await {
        Ok(r) if r.is_empty() => return,
        Ok(r) => r,
        Err(e) => {
            tracing::warn!("looking for stale records: {e}; the old records keep serving");
            return;
        }
    };
    tracing::info!(
        "{} plans were extracted by other rules; extracted again, storing",
        records.len()
    );
    let mut f = Arc::clone(&w.followed).lock_owned().await;
    match w.store.store_records(&st.gaz, &mut f, records).await {
        Ok(change) => {
            publish(&st, &f.catalog, change);
            tracing::info!("serving the new extraction");
        }
        Err(e) => tracing::warn!("storing records made again: {e}; the old ones serve"),
    }
}

/// Checks that writes are on and the caller holds the token.
fn authorize(st: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = st
        .writes
        .as_ref()
        .filter(|w| w.writable())
        .and_then(|w| w.token.as_ref())
    else {
        return Err(ApiError::MethodNotAllowed(
            "this service is read-only: start it with --data DIR (or --database URL) and --token TOKEN (or PLANMAP_TOKEN) to accept plans".into(),
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::Unauthorized("an Authorization: Bearer token is required to write".into())
        })?;
    // compare without stopping at the first difference
    let a = given.as_bytes();
    let b = token.as_bytes();
    let same = a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0;
    if !same {
        return Err(ApiError::Unauthorized(
            "the bearer token is not valid".into(),
        ));
    }
    Ok(())
}

/// What the API answers for a store's failure.
pub(super) fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::Files(FilesError::NotFound(id))
        | StoreError::Database(DbError::NotFound(id)) => no_plan(&id),
        StoreError::Files(FilesError::Document(d)) | StoreError::Database(DbError::Document(d)) => {
            match d {
                DocumentError::TooLarge { .. } => ApiError::TooLarge {
                    limit: MAX_DOCUMENT_BYTES,
                },
                other => ApiError::BadBody(other.to_string()),
            }
        }
        StoreError::Files(other) => ApiError::from_store(other),
        StoreError::Database(DbError::Unavailable(m)) => ApiError::Busy(format!(
            "the database is unreachable ({m}); reads are served from memory, try again shortly"
        )),
        StoreError::Database(e @ DbError::Busy) => ApiError::Busy(e.to_string()),
        StoreError::Database(other) => ApiError::Storage(other.to_string()),
        StoreError::ReadOnly(what) => ApiError::MethodNotAllowed(format!("{what} are read-only")),
    }
}

/// What a POST carried: the raw text, an optional title and period, the uploaded file name.
struct Upload {
    bytes: Bytes,
    title: Option<String>,
    period: Option<String>,
    filename: Option<String>,
}

async fn read_upload(req: Request, limit: usize) -> Result<Upload, ApiError> {
    let ctype = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let too_large = || ApiError::TooLarge { limit };
    if ctype.starts_with("multipart/form-data") {
        let mut mp = Multipart::from_request(req, &())
            .await
            .map_err(|e| ApiError::BadBody(e.body_text()))?;
        let mut up = Upload {
            bytes: Bytes::new(),
            title: None,
            period: None,
            filename: None,
        };
        let mut got_file = false;
        while let Some(field) = mp.next_field().await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                too_large()
            } else {
                ApiError::BadBody(e.body_text())
            }
        })? {
            let name = field.name().unwrap_or("").to_string();
            let filename = field.file_name().map(str::to_string);
            let data = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large()
                } else {
                    ApiError::BadBody(e.body_text())
                }
            })?;
            match name.as_str() {
                "file" | "text" => {
                    up.bytes = data;
                    up.filename = filename;
                    got_file = true;
                }
                "title" | "period" => {
                    let v = String::from_utf8(data.to_vec())
                        .map_err(|_| ApiError::BadBody(format!("field {name} is not UTF-8")))?;
                    if v.chars().count() > MAX_LABEL_CHARS {
                        return Err(ApiError::param(
                            &name,
                            format!("longer than {MAX_LABEL_CHARS} characters"),
                        ));
                    }
                    let v = v.trim().to_string();
                    if name == "title" {
                        up.title = Some(v).filter(|s| !s.is_empty());
                    } else {
                        up.period = Some(v).filter(|s| !s.is_empty());
                    }
                }
                other => {
                    return Err(ApiError::BadBody(format!(
                        "unknown form field {other:?}; fields are file, title, period"
                    )))
                }
            }
        }
        if !got_file {
            return Err(ApiError::BadBody("the form has no file field".into()));
        }
        return Ok(up);
    }
    let unsupported = || {
        ApiError::UnsupportedMedia(format!(
            "content type {ctype:?}; send text/plain; charset=utf-8, or multipart/form-data with a file field"
        ))
    };
    // no content type at all is taken as plain text, as curl --data-binary sends it
    let charset = if ctype.is_empty() {
        None
    } else {
        let m: mime::Mime = ctype.parse().map_err(|_| unsupported())?;
        if m.essence_str() != "text/plain" {
            return Err(unsupported());
        }
        m.get_param(mime::CHARSET)
            .map(|c| c.as_str().to_ascii_lowercase())
    };
    if let Some(cs) = &charset {
        if !matches!(cs.as_str(), "utf-8" | "utf8" | "gb18030" | "gbk" | "gb2312") {
            return Err(ApiError::UnsupportedMedia(format!(
                "charset {cs:?}; plans are accepted as UTF-8 (or GB18030, converted)"
            )));
        }
    }
    let bytes = Bytes::from_request(req, &()).await.map_err(|e| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            ApiError::BadBody(e.body_text())
        }
    })?;
    Ok(Upload {
        bytes,
        title: None,
        period: None,
        filename: None,
    })
}

pub async fn add(State(st): State<Shared>, req: Request) -> Result<Response, ApiError> {
    authorize(&st, req.headers())?;
    let headers = req.headers().clone();
    let p = Params::parse(req.uri().query(), &["title", "period"])?;
    let limit = st.writes.as_ref().map_or(0, |w| w.max_plan_bytes);
    // refuse an announced oversize body before reading a byte of it (no 100 Continue is sent)
    let announced = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > limit as u64 + MULTIPART_OVERHEAD) {
        return Err(ApiError::TooLarge { limit });
    }
    // memory for the body is taken before a byte of it is read: uploads past the budget wait
    // with their bodies still in the network's buffers
    let _held = match st.writes.as_ref() {
        Some(w) => Some(w.hold_upload(announced.unwrap_or(limit as u64)).await?),
        None => None,
    };
    let mut up = read_upload(req, limit).await?;
    if up.bytes.is_empty() {
        return Err(ApiError::BadBody("empty body: send the plan's text".into()));
    }
    if up.bytes.len() > limit {
        return Err(ApiError::TooLarge { limit });
    }
    let bytes = std::mem::take(&mut up.bytes);
    // the same checks as a plan file's (planmap ingest)
    let (text, encoding) = plan_text("upload", &bytes).map_err(|e| match e {
        DocumentError::NotText { .. } => ApiError::UnsupportedMedia(
            "the text is neither UTF-8 nor GB18030; convert it to UTF-8 (e.g. iconv -t UTF-8)"
                .into(),
        ),
        DocumentError::Binary { .. } => {
            ApiError::UnsupportedMedia("the body is binary, not a plan text".into())
        }
        _ => ApiError::BadBody("the text is empty".into()),
    })?;
    // (the text is a copy: the body's bytes need not be held through extraction)
    drop(bytes);
    for name in ["title", "period"] {
        if p.get(name)
            .is_some_and(|v| v.chars().count() > MAX_LABEL_CHARS)
        {
            return Err(ApiError::param(
                name,
                format!("longer than {MAX_LABEL_CHARS} characters"),
            ));
        }
    }
    up.title = p.get("title").map(str::to_string).or(up.title);
    up.period = p.get("period").map(str::to_string).or(up.period);

    let prepared = crate::store::prepare(&text, up.title, up.period, encoding, up.filename)
        .map_err(|e| store_error(e.into()))?;
    drop(text);
    // the same text, already served: nothing to extract
    if st
        .snapshot()
        .plans
        .iter()
        .any(|p| p.meta.id == prepared.meta.id)
    {
        return added(&st, &headers, prepared.meta.id, false);
    }
    // extraction holds no lock: other writes go on meanwhile
    let gaz = Arc::clone(&st.gaz);
    let computed = tokio::task::spawn_blocking(move || prepared.compute::<Catalog>(&gaz))
        .await
        .map_err(|e| ApiError::internal(format!("extraction failed: {e}")))?;
    let (meta, created) = write(&st, Write::Add(Box::new(computed))).await?;
    added(&st, &headers, meta.id, created)
}

/// The answer to an accepted plan: the plan and the projects it contributed.
fn added(st: &Shared, headers: &HeaderMap, id: String, new: bool) -> Result<Response, ApiError> {
    let snap = st.snapshot();
    let base = base_url(headers);
    // the plan is in the snapshot the write put in force
    let plan = plan(&base, &snap, &id)
        .ok_or_else(|| ApiError::internal(format!("plan {id} stored but not served")))?;
    let doc = &plan.info.meta.doc;
    let contributed = snap
        .portfolio
        .features()
        .enumerate()
        // a plan's mentions are the last its projects got (plans are merged in the order
        // they came): no scan of every mention of every project
        .filter(|(_, l)| l.project.mentions.last().is_some_and(|m| &m.doc == doc))
        .map(|(i, _)| snap.portfolio.raw(i))
        .collect();
    let body = Added {
        plan,
        created: new,
        contributed,
    };
    let status = if new {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let mut resp = (status, Json(body)).into_response();
    if let Ok(v) = format!("{base}/plans/{id}").parse() {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    Ok(resp)
}

pub async fn remove(
    State(st): State<Shared>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    authorize(&st, &headers)?;
    let before = st.snapshot().portfolio.len();
    let (meta, _) = write(&st, Write::Remove(id)).await?;
    let after = st.snapshot().portfolio.len();
    Ok(Json(Deleted {
        deleted: meta.id,
        doc: meta.doc,
        projects_before: before,
        projects_after: after,
    })
    .into_response())
}

/// Swaps in the snapshot of a catalog that changed as `change` says.
fn publish(st: &Shared, catalog: &Catalog, change: Change) {
    // (the served snapshot's reference layers are this gazetteer's: every snapshot reuses them)
    let snap = tokio::task::block_in_place(|| match change {
        Change::Nothing => None,
        Change::Whole => Some(catalog.snapshot_like(&st.snapshot())),
        Change::Some(changed) => Some(catalog.snapshot_after(&st.snapshot(), &changed)),
    });
    if let Some(s) = snap {
        st.replace(s);
    }
}

/// Follows the database: on every notification of another replica's write, and every second
/// in any case, catches up and swaps in the new snapshot. A lost database is waited for; reads
/// go on from memory meanwhile.
pub async fn follow(st: Shared, db: Arc<crate::store::Database>) {
    let Some(w) = st.writes.as_ref() else {
        return;
    };
    let followed = Arc::clone(&w.followed);
    loop {
        let (listener, mut notified) = match db.listen().await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("following the database: {e}; trying again in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        loop {
            let closed = tokio::select! {
                n = notified.recv() => n.is_none(),
                _ = tokio::time::sleep(Duration::from_secs(1)) => false,
            };
            let mut f = followed.lock().await;
            match db.catch_up(&st.gaz, &mut f).await {
                Ok(caught) => publish(&st, &f.catalog, caught),
                Err(e) => tracing::warn!("catching up with the database: {e}"),
            }
            drop(f);
            if closed || listener.is_closed() {
                break;
            }
        }
    }
}
