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
use super::{base_url, json_response, ApiError, Backend, Shared, Snapshot, GEOJSON, JSON};
use crate::config::{MAX_DOCUMENT_BYTES, MAX_LABEL_CHARS, MULTIPART_OVERHEAD, WRITE_WAIT};
use crate::document::{plan_text, DocumentError};
use crate::store::StoreError;
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

/// What a write did to the portfolio.
pub enum Change {
    /// Nothing (an identical text was already stored).
    None,
    /// A new plan with its record: merged into the catalog, touching only what it names.
    Added(Box<(crate::model::PlanMeta, crate::model::PlanRecord)>),
    /// Plans went: the catalog is built again from the store.
    Rebuild,
}

/// One write: waits its turn (at most WRITE_WAIT), applies `op` to the store, brings the catalog
/// up to date and swaps in the snapshot built from it, all on a blocking thread. Readers keep the
/// old snapshot until the swap.
async fn write<T: Send + 'static>(
    st: &Shared,
    op: impl FnOnce(&crate::store::Store) -> Result<(T, Change), ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let read_only = || ApiError::MethodNotAllowed("read-only".into());
    let w = st
        .writes
        .as_ref()
        .filter(|w| w.writable())
        .ok_or_else(read_only)?;
    let Backend::Files(_) = &w.backend else {
        return Err(ApiError::Storage("file write on a database replica".into()));
    };
    let mut followed = turn(st).await?;
    let st2 = Arc::clone(st);
    tokio::task::spawn_blocking(move || {
        let w = st2.writes.as_ref().ok_or_else(read_only)?;
        let Backend::Files(store) = &w.backend else {
            return Err(read_only());
        };
        let catalog = &mut followed.catalog;
        let t = std::time::Instant::now();
        let (out, change) = op(store)?;
        let stored = t.elapsed();
        let snapshot = match change {
            Change::None => return Ok(out),
            Change::Added(new) => {
                let id = new.0.id.clone();
                let changed = catalog.add(&st2.gaz, new.0, new.1);
                let merged = t.elapsed();
                // the served snapshot was built from this catalog (writes hold its lock)
                let snap = catalog.snapshot_after(&st2.gaz, &st2.snapshot(), &changed);
                tracing::info!(
                    "plan {id}: extracted and stored in {:.1} ms, {} projects merged and located in {:.1} ms, indexed in {:.1} ms",
                    stored.as_secs_f64() * 1e3,
                    changed.len(),
                    (merged - stored).as_secs_f64() * 1e3,
                    (t.elapsed() - merged).as_secs_f64() * 1e3
                );
                snap
            }
            Change::Rebuild => {
                let built = crate::pipeline::build(&st2.gaz, store).map_err(build_error)?;
                *catalog = built.catalog;
                Ok(built.snapshot)
            }
        };
        st2.replace(snapshot.map_err(ApiError::internal)?);
        Ok(out)
    })
    .await
    .map_err(|e| ApiError::Storage(format!("write task failed: {e}")))?
}

/// Waits for this replica's turn to write (at most WRITE_WAIT): the catalog, held.
async fn turn(
    st: &Shared,
) -> Result<tokio::sync::OwnedMutexGuard<crate::database::Followed>, ApiError> {
    let w = st
        .writes
        .as_ref()
        .ok_or_else(|| ApiError::MethodNotAllowed("read-only".into()))?;
    tokio::time::timeout(WRITE_WAIT, Arc::clone(&w.followed).lock_owned())
        .await
        .map_err(|_| ApiError::Busy("another write is under way; try again shortly".into()))
}

/// Computes the records of stale plans again, off the write path, then rebuilds the catalog
/// from the store and swaps it in. Until then the stale records serve.
pub async fn refresh(st: Shared, stale: Vec<crate::model::PlanMeta>) {
    let Some(w) = st.writes.as_ref() else {
        return;
    };
    if !matches!(w.backend, Backend::Files(_)) {
        return;
    }
    let n = stale.len();
    tracing::info!(
        "{n} plans were extracted by other rules; extracting them again in the background"
    );
    let st2 = Arc::clone(&st);
    let redone = tokio::task::spawn_blocking(move || {
        let Backend::Files(store) = &st2.writes.as_ref()?.backend else {
            return None;
        };
        Some(crate::pipeline::refresh(&st2.gaz, store, &stale))
    })
    .await;
    match redone {
        Ok(Some(Ok(k))) => tracing::info!("{k} plans extracted again"),
        Ok(Some(Err(e))) => {
            tracing::warn!("background extraction stopped: {e}; the old records keep serving");
            return;
        }
        _ => return,
    }
    let followed = Arc::clone(&w.followed).lock_owned().await;
    let st2 = Arc::clone(&st);
    let _ = tokio::task::spawn_blocking(move || {
        let mut followed = followed;
        let Some(Backend::Files(store)) = st2.writes.as_ref().map(|w| &w.backend) else {
            return;
        };
        match crate::pipeline::build(&st2.gaz, store) {
            Ok(built) => {
                followed.catalog = built.catalog;
                st2.replace(built.snapshot);
                tracing::info!("serving the new extraction");
            }
            Err(e) => tracing::warn!("rebuild after extraction failed: {e}"),
        }
    })
    .await;
}

/// Checks that writes are on and the caller holds the token.
fn authorize(st: &Shared, headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(token) = st.writes.as_ref().and_then(|w| w.token.as_ref()) else {
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

fn store_error(e: StoreError) -> ApiError {
    match e {
        StoreError::NotFound(id) => no_plan(&id),
        StoreError::Document(d) => match d {
            crate::document::DocumentError::TooLarge { .. } => ApiError::TooLarge {
                limit: MAX_DOCUMENT_BYTES,
            },
            other => ApiError::BadBody(other.to_string()),
        },
        other => ApiError::from_store(other),
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

    let gaz = Arc::clone(&st.gaz);
    if let Some(Backend::Database(db)) = st.writes.as_ref().map(|w| &w.backend) {
        let (id, new) = {
            let mut f = turn(&st).await?;
            let (meta, caught) = db
                .add(
                    &gaz,
                    &mut f,
                    &text,
                    up.title,
                    up.period,
                    encoding,
                    up.filename,
                )
                .await
                .map_err(db_error)?;
            let new = caught.is_some();
            if let Some(c) = caught {
                publish(&st, &f.catalog, c)?;
            }
            (meta.id, new)
        };
        return added(&st, &headers, id, new);
    }
    let (id, new) = write(&st, move |store| {
        let (meta, rec) = store
            .add(&text, up.title, up.period, encoding, up.filename, |d| {
                let sha = crate::store::sha256_hex(d.text.as_bytes());
                crate::model::PlanRecord::compute(&gaz, d, &sha)
            })
            .map_err(store_error)?;
        let id = meta.id.clone();
        match rec {
            Some(rec) => Ok(((id, true), Change::Added(Box::new((meta, rec))))),
            None => Ok(((id, false), Change::None)),
        }
    })
    .await?;
    added(&st, &headers, id, new)
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
    let meta = match st.writes.as_ref().map(|w| &w.backend) {
        Some(Backend::Database(db)) => {
            let mut f = turn(&st).await?;
            let meta = db.delete(&st.gaz, &mut f, &id).await.map_err(db_error)?;
            publish(&st, &f.catalog, crate::database::Caught::Whole)?;
            meta
        }
        _ => {
            write(&st, move |store| {
                Ok((store.delete(&id).map_err(store_error)?, Change::Rebuild))
            })
            .await?
        }
    };
    let after = st.snapshot().portfolio.len();
    Ok(Json(Deleted {
        deleted: meta.id,
        doc: meta.doc,
        projects_before: before,
        projects_after: after,
    })
    .into_response())
}

fn build_error(e: crate::pipeline::BuildError) -> ApiError {
    match e {
        crate::pipeline::BuildError::Store(s) => store_error(s),
        other => ApiError::internal(other),
    }
}

fn db_error(e: crate::database::DbError) -> ApiError {
    use crate::database::DbError;
    match e {
        DbError::Unavailable(m) => ApiError::Busy(format!(
            "the database is unreachable ({m}); reads are served from memory, try the write again shortly"
        )),
        DbError::Busy => ApiError::Busy(e.to_string()),
        DbError::NotFound(id) => no_plan(&id),
        DbError::Document(d) => store_error(StoreError::Document(d)),
        other => ApiError::Storage(other.to_string()),
    }
}

/// Swaps in the snapshot of a catalog that changed as `caught` says.
fn publish(
    st: &Shared,
    catalog: &crate::pipeline::Catalog,
    caught: crate::database::Caught,
) -> Result<(), ApiError> {
    use crate::database::Caught;
    let snap = tokio::task::block_in_place(|| match caught {
        Caught::Nothing => None,
        Caught::Whole => Some(catalog.snapshot(&st.gaz)),
        Caught::Some(changed) => Some(catalog.snapshot_after(&st.gaz, &st.snapshot(), &changed)),
    });
    if let Some(s) = snap {
        st.replace(s.map_err(ApiError::internal)?);
    }
    Ok(())
}

/// Extracts again, in the background, the plans whose records other rules made, then stores
/// them and the portfolio they give; until then the old records serve.
pub async fn refresh_database(st: Shared, db: Arc<crate::database::Database>) {
    if !st.writes.as_ref().is_some_and(|w| w.writable()) {
        return;
    }
    let records = match db.stale_records(&st.gaz).await {
        Ok(r) if r.is_empty() => return,
        Ok(r) => r,
        Err(e) => {
            tracing::warn!("looking for stale records: {e}");
            return;
        }
    };
    tracing::info!(
        "{} plans were extracted by other rules; extracted again, storing",
        records.len()
    );
    let Ok(mut f) = turn(&st).await else {
        return;
    };
    match db.store_records(&st.gaz, &mut f, &records).await {
        Ok(()) => match publish(&st, &f.catalog, crate::database::Caught::Whole) {
            Ok(()) => tracing::info!("serving the new extraction"),
            Err(e) => tracing::warn!("{e}"),
        },
        Err(e) => tracing::warn!("storing records made again: {e}; the old ones serve"),
    }
}

/// Follows the database: on every notification of another replica's write, and every second
/// in any case, catches up and swaps in the new snapshot. A lost database is waited for; reads
/// go on from memory meanwhile.
pub async fn follow(st: Shared, db: Arc<crate::database::Database>) {
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
                Ok(caught) => {
                    if let Err(e) = publish(&st, &f.catalog, caught) {
                        tracing::warn!("{e}");
                    }
                }
                Err(e) => tracing::warn!("catching up with the database: {e}"),
            }
            drop(f);
            if closed || listener.is_closed() {
                break;
            }
        }
    }
}
