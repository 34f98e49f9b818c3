//! Where plans are kept, behind one trait: [`PlanStore`]. Two backends hold plans — a data
//! directory ([`files`], one server) and PostgreSQL/PostGIS ([`postgres`], any number of
//! replicas) — and a third serves the embedded seeds read-only ([`seeds`]). Each keeps its own
//! error type; [`StoreError`] carries either to the API.
//!
//! A store keeps the texts, their metadata and their records (what extraction made of them), and
//! keeps in step with them the located portfolio the service serves: a [`Catalogue`], which the
//! pipeline provides (`pipeline::Catalog`). The store never reaches up for it; the pipeline hands
//! it down. A write goes one way for every backend: [`prepare`] the upload (id, metadata, title
//! and period), compute its record (no lock held), then [`PlanStore::add`] under the one-writer
//! lock, which answers with the [`Change`] to publish.

pub mod files;
pub mod postgres;
pub mod seeds;

use std::sync::Arc;

use crate::gazetteer::Gazetteer;
use crate::index::Entry;
use crate::model::{Document, Encoding, PlanMeta, PlanRecord, PlanSource};

pub use files::{
    document_meta, embedded_plans, sha256_hex, valid_id, FilesError, Store, StoredPlan,
};
pub use postgres::{Database, DbError};
pub use seeds::Seeds;

/// The located portfolio a store keeps in step with what it holds, and the extraction that makes
/// a plan's record: the pipeline's side of the store (`pipeline::Catalog`).
pub trait Catalogue: Default + Send + Sync + 'static {
    /// A plan's record, made from its text.
    fn record(gaz: &Gazetteer, doc: &Document, sha256: &str) -> PlanRecord;
    /// The catalogue of these plans, in this order.
    fn build(gaz: &Gazetteer, plans: Vec<(PlanMeta, PlanRecord)>) -> Self;
    /// Merges one more plan in; the entries it changed or added, in order.
    fn add(&mut self, gaz: &Gazetteer, meta: PlanMeta, rec: PlanRecord) -> Vec<usize>;
    /// The located projects, in order of first mention.
    fn entries(&self) -> &[Arc<Entry>];
}

/// What a store operation did to the catalogue it keeps in step: what to publish.
#[derive(Debug, PartialEq)]
pub enum Change {
    /// Nothing (an identical text was already stored; no other replica wrote).
    Nothing,
    /// These entries changed or were added.
    Some(Vec<usize>),
    /// The catalogue was built again.
    Whole,
}

impl Change {
    /// Both changes, as one.
    pub fn and(self, other: Change) -> Change {
        match (self, other) {
            (Change::Whole, _) | (_, Change::Whole) => Change::Whole,
            (Change::Nothing, c) | (c, Change::Nothing) => c,
            (Change::Some(mut a), Change::Some(b)) => {
                a.extend(b);
                a.sort_unstable();
                a.dedup();
                Change::Some(a)
            }
        }
    }
}

/// Where a replica stands against a shared store.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SyncPoint {
    pub generation: i64,
    pub rebuilds: i64,
    /// The `seq` of the last plan merged.
    pub max_seq: i64,
}

/// A server's catalogue and how far it has followed its store (a data directory has one
/// writer, so only the database moves `at`).
#[derive(Default)]
pub struct Followed<C> {
    pub catalog: C,
    pub at: SyncPoint,
    /// A write failed after changing the catalogue: it must be loaded again before use.
    pub dirty: bool,
}

impl<C: Catalogue> Followed<C> {
    pub fn new(catalog: C) -> Self {
        Followed {
            catalog,
            at: SyncPoint::default(),
            dirty: false,
        }
    }
}

/// An upload made ready to store: its metadata (id from the text's SHA-256, title and period as
/// given or as the text states them) and the document extraction reads.
pub struct Prepared {
    pub meta: PlanMeta,
    pub document: Document,
}

/// A prepared plan with the record extraction made of it.
pub struct Computed {
    pub meta: PlanMeta,
    pub text: String,
    pub record: PlanRecord,
}

/// The one preparation of a new plan, whatever stores it: checks the text as every plan text is
/// checked, derives its id and document name, and lets a given title or period override what
/// the text says. `seq` and `added_at` are the store's to set.
pub fn prepare(
    text: &str,
    title: Option<String>,
    period: Option<String>,
    encoding: Encoding,
    original_name: Option<String>,
) -> Result<Prepared, crate::document::DocumentError> {
    let sha = sha256_hex(text.as_bytes());
    let id = sha[..16].to_string();
    let doc_name = format!("{id}.txt");
    let mut d = Document::from_bytes(&doc_name, text.as_bytes())?;
    d.title = title.or(d.title.take());
    d.period = period.or(d.period.take());
    let meta = PlanMeta {
        id,
        doc: doc_name,
        title: d.title.clone(),
        period: d.period.clone(),
        sha256: sha,
        bytes: d.text.len(),
        encoding,
        source: PlanSource::Upload,
        original_name,
        added_at: now(),
        seq: 0,
    };
    Ok(Prepared { meta, document: d })
}

impl Prepared {
    /// The record extraction makes of it.
    pub fn compute<C: Catalogue>(self, gaz: &Gazetteer) -> Computed {
        let record = C::record(gaz, &self.document, &self.meta.sha256);
        Computed {
            meta: self.meta,
            text: self.document.text,
            record,
        }
    }
}

/// Seconds since the Unix epoch.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A plan whose record other rules (or another gazetteer) made, with its record made again.
pub struct Redone {
    pub id: String,
    pub sha256: String,
    pub record: PlanRecord,
}

/// Any backend's failure.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(transparent)]
    Files(#[from] FilesError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("{0} is read-only")]
    ReadOnly(&'static str),
}

impl From<crate::document::DocumentError> for StoreError {
    fn from(e: crate::document::DocumentError) -> Self {
        StoreError::Files(FilesError::Document(e))
    }
}

/// Where plans are kept. Every server has one: it answers reads (a plan's text) whether or not
/// writes are on, and writes go through it alone. Writes take the server's [`Followed`]
/// (the caller holds the one-writer lock on it) and keep its catalogue in step.
#[async_trait::async_trait]
pub trait PlanStore<C: Catalogue>: Send + Sync {
    /// What the store is, for messages (`data directory`, `database`, `embedded seeds`).
    fn describe(&self) -> &'static str;

    /// Whether plans can be added and removed.
    fn writable(&self) -> bool {
        true
    }

    /// A plan's stored text; `None` when there is no such plan.
    async fn text(&self, id: &str) -> Result<Option<String>, StoreError>;

    /// Brings the catalogue up to what others wrote (a data directory has no others).
    async fn catch_up(&self, _gaz: &Gazetteer, _f: &mut Followed<C>) -> Result<Change, StoreError> {
        Ok(Change::Nothing)
    }

    /// Stores a plan and merges it into the catalogue. Returns its metadata and what changed;
    /// [`Change::Nothing`] and the stored plan's metadata when the same text was stored before.
    async fn add(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        plan: Computed,
    ) -> Result<(PlanMeta, Change), StoreError>;

    /// Removes a plan; the catalogue is built again.
    async fn delete(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        id: &str,
    ) -> Result<(PlanMeta, Change), StoreError>;

    /// The plans whose records other rules or another gazetteer made, extracted again. Reads
    /// only, and holds no lock: extraction takes time.
    async fn stale_records(&self, gaz: &Gazetteer) -> Result<Vec<Redone>, StoreError>;

    /// Keeps records made again (plans deleted meanwhile are skipped); the catalogue is built
    /// again.
    async fn store_records(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        records: Vec<Redone>,
    ) -> Result<Change, StoreError>;
}
