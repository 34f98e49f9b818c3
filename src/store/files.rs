//! The plan store: a data directory holding every plan text and its metadata, written so that a
//! crash at any instant leaves either the old state or the new one.
//!
//! Layout: `DIR/plans/ID.txt` (the text, UTF-8), `DIR/plans/ID.record` (what the pipeline
//! computed from the text, JSON, see [`crate::model::PlanRecord`]) and `DIR/plans/ID.json`
//! (metadata). A plan exists once its `.json` is in place: the text is written first, then the
//! record, the metadata last, each through a temporary file that is synced, renamed over, and
//! followed by a sync of the directory. On open, temporary files and texts or records without
//! metadata (never acknowledged) are removed. A record can always be computed again from its
//! text: one that is missing, unreadable or made by other rules is redone, never trusted.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{now, Catalogue, Change, Computed, Followed, PlanStore, Redone, StoreError};
use crate::gazetteer::Gazetteer;
use crate::model::{Document, Encoding, PlanMeta, PlanRecord, PlanSource};

#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    #[error("data directory {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("plan metadata {path} is unreadable: {source}")]
    Meta {
        path: String,
        source: serde_json::Error,
    },
    #[error("plan {id}: its text does not match its recorded SHA-256")]
    Corrupt { id: String },
    #[error("no plan {0}")]
    NotFound(String),
    #[error("{0}")]
    Document(#[from] crate::document::DocumentError),
}

impl FilesError {
    /// Whether the data directory ran out of space (or of its quota): worth trying again once
    /// space is freed, and the operator's to fix.
    pub fn is_full(&self) -> bool {
        match self {
            FilesError::Io { source, .. } => {
                source.kind() == std::io::ErrorKind::StorageFull
                    || source.kind() == std::io::ErrorKind::QuotaExceeded
                    || source.kind() == std::io::ErrorKind::FileTooLarge
            }
            _ => false,
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FilesError + '_ {
    move |source| FilesError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// A stored plan: metadata and the document built from its text.
#[derive(Clone, Debug)]
pub struct StoredPlan {
    pub meta: PlanMeta,
    pub document: Document,
}

/// The plan store in a data directory.
pub struct Store {
    dir: PathBuf,
    /// The `seq` the next plan gets; 0 until the metadata has been read once (by
    /// [`Store::metas`], which start-up calls anyway, or by the first write).
    next_seq: std::sync::atomic::AtomicU64,
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Store {
    /// Opens (creating if needed) a data directory; a new one starts with the embedded seeds.
    pub fn open(dir: &Path) -> Result<Store, FilesError> {
        let plans = dir.join("plans");
        let fresh = !plans.exists();
        fs::create_dir_all(&plans).map_err(io(&plans))?;
        let store = Store {
            dir: dir.to_path_buf(),
            next_seq: 0.into(),
        };
        store.clean()?;
        if fresh {
            for p in embedded_plans()? {
                let m = p.meta;
                store.put(
                    &m.id,
                    &m.doc,
                    p.document.text.as_bytes(),
                    m.title,
                    m.period,
                    m.encoding,
                    m.source,
                    m.original_name,
                    None,
                )?;
            }
        }
        Ok(store)
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn plans_dir(&self) -> PathBuf {
        self.dir.join("plans")
    }

    /// Removes what a crash may have left: temporary files, texts never committed.
    fn clean(&self) -> Result<(), FilesError> {
        let pd = self.plans_dir();
        for e in fs::read_dir(&pd).map_err(io(&pd))? {
            let p = e.map_err(io(&pd))?.path();
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let orphan = (name.ends_with(".txt") || name.ends_with(".record"))
                && !p.with_extension("json").exists();
            if name.starts_with(".tmp-") || orphan {
                fs::remove_file(&p).map_err(io(&p))?;
            }
        }
        sync_dir(&pd)
    }

    /// Every committed plan's metadata, in portfolio order: as added (seeds first).
    pub fn metas(&self) -> Result<Vec<PlanMeta>, FilesError> {
        let pd = self.plans_dir();
        let mut metas = Vec::new();
        for e in fs::read_dir(&pd).map_err(io(&pd))? {
            let p = e.map_err(io(&pd))?.path();
            if p.extension().is_some_and(|x| x == "json") {
                metas.push(read_meta(&p)?);
            }
        }
        metas.sort_by(|a, b| (a.seq, a.added_at, &a.id).cmp(&(b.seq, b.added_at, &b.id)));
        let next = metas.last().map_or(1, |m| m.seq + 1);
        self.next_seq
            .fetch_max(next, std::sync::atomic::Ordering::SeqCst);
        Ok(metas)
    }

    fn with_text(&self, meta: PlanMeta) -> Result<StoredPlan, FilesError> {
        let tp = self.plans_dir().join(format!("{}.txt", meta.id));
        let text = fs::read(&tp).map_err(io(&tp))?;
        if sha256_hex(&text) != meta.sha256 {
            return Err(FilesError::Corrupt { id: meta.id });
        }
        let mut document = Document::from_bytes(&meta.doc, &text)?;
        if meta.title.is_some() {
            document.title = meta.title.clone();
        }
        if meta.period.is_some() {
            document.period = meta.period.clone();
        }
        Ok(StoredPlan { meta, document })
    }

    /// A plan's stored record, if there is one that belongs to its text (it may be stale: see
    /// [`PlanRecord::is_current`]). `None` when missing, unreadable or made from another text.
    pub fn record(&self, meta: &PlanMeta) -> Option<PlanRecord> {
        let rp = self.plans_dir().join(format!("{}.record", meta.id));
        let raw = fs::read(rp).ok()?;
        let rec: PlanRecord = serde_json::from_slice(&raw).ok()?;
        (rec.sha256 == meta.sha256 && rec.doc == meta.doc).then_some(rec)
    }

    /// Computes a plan's record from its text (checked against its checksum), storing nothing.
    pub fn compute_record(
        &self,
        meta: &PlanMeta,
        compute: impl FnOnce(&Document) -> PlanRecord,
    ) -> Result<PlanRecord, FilesError> {
        let plan = self.with_text(meta.clone())?;
        Ok(compute(&plan.document))
    }

    /// Keeps a plan's record beside its text: a cache of the text's extraction.
    pub fn put_record(&self, id: &str, rec: &PlanRecord) -> Result<(), FilesError> {
        let json = serde_json::to_vec(rec).map_err(|source| FilesError::Meta {
            path: format!("{id}.record"),
            source,
        })?;
        write_atomic(&self.plans_dir(), &format!("{id}.record"), &json)
    }

    pub fn get(&self, id: &str) -> Result<StoredPlan, FilesError> {
        self.with_text(self.get_meta(id)?)
    }

    /// A plan's metadata.
    pub fn get_meta(&self, id: &str) -> Result<PlanMeta, FilesError> {
        if !valid_id(id) {
            return Err(FilesError::NotFound(id.to_string()));
        }
        let m = self.plans_dir().join(format!("{id}.json"));
        if !m.exists() {
            return Err(FilesError::NotFound(id.to_string()));
        }
        read_meta(&m)
    }

    /// Stores a prepared plan with its record; returns its metadata and, when it was new, its
    /// record (an identical text already stored is not stored twice).
    pub fn add(&self, plan: Computed) -> Result<(PlanMeta, Option<PlanRecord>), FilesError> {
        let m = self.plans_dir().join(format!("{}.json", plan.meta.id));
        if m.exists() {
            return Ok((read_meta(&m)?, None));
        }
        let Computed { meta, text, record } = plan;
        let meta = self.put(
            &meta.id,
            &meta.doc,
            text.as_bytes(),
            meta.title,
            meta.period,
            meta.encoding,
            meta.source,
            meta.original_name,
            Some(&record),
        )?;
        Ok((meta, Some(record)))
    }

    /// Every plan with its record, in portfolio order. A plan without a usable record is
    /// extracted now (and its record kept); a stale record serves until it is made again.
    pub fn load<C: Catalogue>(&self, gaz: &Gazetteer) -> Result<Loaded<C>, FilesError> {
        let mut metas = self.metas()?;
        // reading and parsing records is most of a start: on every core
        let records = crate::par::map_mut(&mut metas, |m| self.record(m));
        let mut plans = Vec::new();
        let mut stale = Vec::new();
        let mut computed = 0;
        for (meta, rec) in metas.into_iter().zip(records) {
            let rec = match rec {
                Some(r) => {
                    if !r.is_current() {
                        stale.push(meta.clone());
                    }
                    r
                }
                None => {
                    computed += 1;
                    let rec = self.compute_record(&meta, |d| C::record(gaz, d, &meta.sha256))?;
                    // the record is a cache of the text: failing to keep it (a full disk) must
                    // not keep the service from serving the plan
                    if let Err(e) = self.put_record(&meta.id, &rec) {
                        tracing::warn!(plan = %meta.id, "record not saved, served from the text: {e}");
                    }
                    rec
                }
            };
            plans.push((meta, rec));
        }
        Ok(Loaded {
            catalog: C::build(gaz, plans),
            stale,
            computed,
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn put(
        &self,
        id: &str,
        doc: &str,
        text: &[u8],
        title: Option<String>,
        period: Option<String>,
        encoding: Encoding,
        source: PlanSource,
        original_name: Option<String>,
        record: Option<&PlanRecord>,
    ) -> Result<PlanMeta, FilesError> {
        let meta = PlanMeta {
            id: id.to_string(),
            doc: doc.to_string(),
            title,
            period,
            sha256: sha256_hex(text),
            bytes: text.len(),
            encoding,
            source,
            original_name,
            added_at: now(),
            seq: if source == PlanSource::Seed {
                0
            } else {
                self.take_seq()?
            },
        };
        let pd = self.plans_dir();
        let json = serde_json::to_vec_pretty(&meta).map_err(|source| FilesError::Meta {
            path: format!("{id}.json"),
            source,
        })?;
        let written = write_atomic(&pd, &format!("{id}.txt"), text)
            .and_then(|()| record.map_or(Ok(()), |rec| self.put_record(id, rec)))
            // the metadata commits the plan
            .and_then(|()| write_atomic(&pd, &format!("{id}.json"), &json));
        if let Err(e) = written {
            // what was written of a plan never committed goes at once, not at the next start
            for ext in ["record", "txt"] {
                let _ = fs::remove_file(pd.join(format!("{id}.{ext}")));
            }
            let _ = sync_dir(&pd);
            return Err(e);
        }
        Ok(meta)
    }

    /// The next plan's `seq` (reading the metadata first if nothing has yet).
    fn take_seq(&self) -> Result<u64, FilesError> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.next_seq.load(SeqCst) == 0 {
            self.metas()?;
        }
        Ok(self.next_seq.fetch_add(1, SeqCst))
    }

    /// Removes a plan: its metadata first (uncommitting it), then its text.
    pub fn delete(&self, id: &str) -> Result<PlanMeta, FilesError> {
        let plan = self.get(id)?;
        let pd = self.plans_dir();
        let m = pd.join(format!("{id}.json"));
        fs::remove_file(&m).map_err(io(&m))?;
        sync_dir(&pd)?;
        for ext in ["record", "txt"] {
            let f = pd.join(format!("{id}.{ext}"));
            match fs::remove_file(&f) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&f)(e)),
                _ => {}
            }
        }
        sync_dir(&pd)?;
        Ok(plan.meta)
    }
}

fn read_meta(path: &Path) -> Result<PlanMeta, FilesError> {
    let raw = fs::read(path).map_err(io(path))?;
    serde_json::from_slice(&raw).map_err(|source| FilesError::Meta {
        path: path.display().to_string(),
        source,
    })
}

/// The embedded seed plans with their metadata, as a fresh store holds them.
pub fn embedded_plans() -> Result<Vec<StoredPlan>, crate::document::DocumentError> {
    Ok(crate::seeds::documents()?
        .into_iter()
        .map(|d| StoredPlan {
            meta: document_meta(&d, PlanSource::Seed),
            document: d,
        })
        .collect())
}

/// The metadata of a document read whole (a seed, a file given on the command line): its id
/// is its file stem, its order its place among the others.
pub fn document_meta(d: &Document, source: PlanSource) -> PlanMeta {
    PlanMeta {
        id: d.name.trim_end_matches(".txt").to_string(),
        doc: d.name.clone(),
        title: d.title.clone(),
        period: d.period.clone(),
        sha256: sha256_hex(d.text.as_bytes()),
        bytes: d.text.len(),
        encoding: Encoding::Utf8,
        source,
        original_name: Some(d.name.clone()),
        added_at: 0,
        seq: 0,
    }
}

/// Plan ids are file stems we made: letters, digits, `_` and `-` only.
pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Writes a file so that it is either wholly there or not at all: temporary file, fsync, rename,
/// fsync of the directory.
/// A file that fails to be written is removed at once: a full disk keeps no partial file that
/// would hold space until the next start.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), FilesError> {
    let tmp = dir.join(format!(".tmp-{}-{name}", std::process::id()));
    let write = || -> Result<(), FilesError> {
        let mut f = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .map_err(io(&tmp))?;
        f.write_all(bytes).map_err(io(&tmp))?;
        f.sync_all().map_err(io(&tmp))
    };
    if let Err(e) = write() {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    let dest = dir.join(name);
    if let Err(e) = fs::rename(&tmp, &dest) {
        let _ = fs::remove_file(&tmp);
        return Err(io(&dest)(e));
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), FilesError> {
    File::open(dir).and_then(|d| d.sync_all()).map_err(io(dir))
}

/// What loading a data directory found.
pub struct Loaded<C> {
    pub catalog: C,
    /// Plans served from records that other rules or another gazetteer made: to be made again.
    pub stale: Vec<PlanMeta>,
    /// Plans that had no usable record and were extracted now.
    pub computed: usize,
}

/// The data directory's file operations block: they run where blocking is allowed.
fn blocking<T>(f: impl FnOnce() -> T) -> T {
    tokio::task::block_in_place(f)
}

#[async_trait::async_trait]
impl<C: Catalogue> PlanStore<C> for Store {
    fn describe(&self) -> &'static str {
        "the data directory"
    }

    async fn text(&self, id: &str) -> Result<Option<String>, StoreError> {
        match blocking(|| self.get(id)) {
            Ok(p) => Ok(Some(p.document.text)),
            Err(FilesError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn add(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        plan: Computed,
    ) -> Result<(PlanMeta, Change), StoreError> {
        blocking(|| {
            let (meta, rec) = Store::add(self, plan)?;
            let change = match rec {
                Some(rec) => Change::Some(f.catalog.add(gaz, meta.clone(), rec)),
                None => Change::Nothing,
            };
            Ok((meta, change))
        })
    }

    async fn delete(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        id: &str,
    ) -> Result<(PlanMeta, Change), StoreError> {
        blocking(|| {
            let meta = Store::delete(self, id)?;
            f.catalog = self.load::<C>(gaz)?.catalog;
            Ok((meta, Change::Whole))
        })
    }

    async fn stale_records(&self, gaz: &Gazetteer) -> Result<Vec<Redone>, StoreError> {
        blocking(|| {
            let mut out = Vec::new();
            for meta in self.metas()? {
                if self.record(&meta).is_some_and(|r| r.is_current()) {
                    continue;
                }
                match self.compute_record(&meta, |d| C::record(gaz, d, &meta.sha256)) {
                    Ok(record) => out.push(Redone {
                        id: meta.id,
                        sha256: meta.sha256,
                        record,
                    }),
                    // deleted meanwhile
                    Err(FilesError::Io { source, .. })
                        if source.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => return Err(e.into()),
                }
            }
            Ok(out)
        })
    }

    async fn store_records(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        records: Vec<Redone>,
    ) -> Result<Change, StoreError> {
        blocking(|| {
            for r in records {
                // a plan deleted (or stored again) meanwhile is not written over
                match self.get_meta(&r.id) {
                    Ok(m) if m.sha256 == r.sha256 => self.put_record(&r.id, &r.record)?,
                    Ok(_) | Err(FilesError::NotFound(_)) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            f.catalog = self.load::<C>(gaz)?.catalog;
            Ok(Change::Whole)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain() {
        assert!(valid_id("002_ad85a8b65c4c4e5d"));
        assert!(!valid_id("../etc/passwd") && !valid_id("") && !valid_id("a/b"));
    }
}
