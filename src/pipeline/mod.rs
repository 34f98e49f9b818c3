//! The pipeline, plan by plan. What a plan yields on its own — its mentions with their merge
//! keys, its year, kind and unit — is a [`PlanRecord`], computed once from its text and kept
//! beside it, stamped with the versions of the rules and the gazetteer it came from. A
//! [`Catalog`] assembles records into located projects and takes a new plan by touching only the
//! projects it names: adding a plan costs that plan, not the portfolio. [`build`] turns a store
//! (or [`build_seeds`] the seeds) into the [`Snapshot`] that serves it, timed; `serve`, the
//! API's rebuilds and the benches all start there.

mod record;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::extract::{self, Merger};
use crate::gazetteer::Gazetteer;
use crate::geocode::{Geocoder, Located, PlanUnit, Region};
use crate::index::Entry;
use crate::model::Document;
use crate::model::{PlanMeta, PlanRecord, Project};
use crate::snapshot::{PlanInfo, Snapshot, SnapshotError};
use crate::store::files::Loaded;

/// Located projects of a set of plans, kept so that one more plan costs only itself.
#[derive(Default)]
pub struct Catalog {
    merger: Merger,
    projects: Vec<Arc<Project>>,
    entries: Vec<Arc<Entry>>,
    /// Each document's place in the portfolio's order and its year (for timelines).
    years: HashMap<String, (usize, Option<i32>)>,
    regions: HashMap<String, Region>,
    plans: Vec<PlanInfo>,
}

impl Catalog {
    /// A catalog of plans, in the order given (the store's order).
    pub fn build(gaz: &Gazetteer, plans: impl IntoIterator<Item = (PlanMeta, PlanRecord)>) -> Self {
        let mut c = Catalog::default();
        for (meta, rec) in plans {
            c.absorb(gaz, meta, rec);
        }
        c.relocate_all(gaz);
        c
    }

    /// Adds one plan: merges its mentions and locates again only the projects it names.
    /// Returns their indices in [`Catalog::entries`] (new ones at the end), in order.
    pub fn add(&mut self, gaz: &Gazetteer, meta: PlanMeta, rec: PlanRecord) -> Vec<usize> {
        let touched = self.absorb(gaz, meta, rec);
        self.relocate(gaz, &touched);
        touched
    }

    /// Whether a plan with this document name is in the catalog.
    pub fn contains(&self, doc: &str) -> bool {
        self.years.contains_key(doc)
    }

    fn absorb(&mut self, gaz: &Gazetteer, meta: PlanMeta, rec: PlanRecord) -> Vec<usize> {
        let order = self.years.len();
        self.years.insert(rec.doc.clone(), (order, rec.year));
        let unit = rec
            .unit
            .as_ref()
            .and_then(|u| PlanUnit::restore(gaz, &u.code, u.found_by));
        if let Some(u) = &unit {
            self.regions.insert(rec.doc.clone(), u.region);
        }
        let mut touched = HashSet::new();
        for k in rec.mentions {
            touched.insert(self.merger.add(&mut self.projects, k));
        }
        self.plans.push(PlanInfo {
            meta,
            projects: touched.len(),
            unit,
            kind: rec.kind,
            year: rec.year,
        });
        let mut touched: Vec<usize> = touched.into_iter().collect();
        touched.sort_unstable();
        touched
    }

    /// Timelines and locations of some projects, afresh.
    fn relocate(&mut self, gaz: &Gazetteer, slots: &[usize]) {
        let geocoder = Geocoder::with_regions(gaz, &self.regions);
        for &i in slots {
            let entry = locate(&geocoder, &self.years, &mut self.projects[i]);
            match self.entries.get_mut(i) {
                Some(e) => *e = entry,
                None => self.entries.push(entry),
            }
        }
    }

    /// Timelines and locations of every project, on every core.
    fn relocate_all(&mut self, gaz: &Gazetteer) {
        let geocoder = Geocoder::with_regions(gaz, &self.regions);
        let years = &self.years;
        self.entries = crate::par::map_mut(&mut self.projects, |p| locate(&geocoder, years, p));
    }

    /// The located projects, in order of first mention.
    pub fn entries(&self) -> &[Arc<Entry>] {
        &self.entries
    }

    /// The plans, in the order they were added.
    pub fn plans(&self) -> &[PlanInfo] {
        &self.plans
    }

    /// The snapshot serving this catalog.
    pub fn snapshot(&self, gaz: &Gazetteer) -> Result<Snapshot, SnapshotError> {
        Snapshot::new(gaz, self.entries.clone(), self.plans.clone())
    }

    /// The snapshot of this whole catalog, indexed afresh, with the reference layers of `prev`
    /// (a snapshot of the same gazetteer).
    pub fn snapshot_like(&self, prev: &Snapshot) -> Snapshot {
        prev.rebuilt(self.entries.clone(), self.plans.clone())
    }

    /// The snapshot after `changed` slots changed since `prev` was made from this catalog:
    /// only those are indexed again.
    pub fn snapshot_after(&self, prev: &Snapshot, changed: &[usize]) -> Snapshot {
        prev.updated(self.entries.clone(), changed, self.plans.clone())
    }
}

/// A failure to build what serves a store or the seeds.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Store(#[from] crate::store::FilesError),
    #[error(transparent)]
    Snapshot(#[from] SnapshotError),
    #[error("embedded seed: {0}")]
    Seed(#[from] crate::document::DocumentError),
}

/// How long the steps of a build took.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Records read (or computed from texts where missing), merged and located.
    pub catalog: std::time::Duration,
    /// Indexed, with the area layers counted.
    pub index: std::time::Duration,
}

/// What serving a set of plans starts from.
pub struct Built {
    pub catalog: Catalog,
    pub snapshot: Snapshot,
    /// Plans served from records other rules made (see [`crate::store::files::Loaded::stale`]).
    pub stale: Vec<PlanMeta>,
    /// Plans that had no usable record and were extracted from their texts.
    pub computed: usize,
    pub timings: Timings,
}

/// The catalog and snapshot of a store, timed: `serve`, the API's rebuilds and the benches
/// start here.
pub fn build(gaz: &Gazetteer, store: &crate::store::Store) -> Result<Built, BuildError> {
    let t = std::time::Instant::now();
    let loaded = store.load::<Catalog>(gaz)?;
    finish(gaz, loaded, t)
}

/// The catalog and snapshot of the embedded seeds, timed.
pub fn build_seeds(gaz: &Gazetteer) -> Result<Built, BuildError> {
    let t = std::time::Instant::now();
    let catalog = catalog_of(gaz, &crate::store::embedded_plans()?);
    let computed = catalog.plans().len();
    let loaded = Loaded {
        catalog,
        stale: Vec::new(),
        computed,
    };
    finish(gaz, loaded, t)
}

fn finish(
    gaz: &Gazetteer,
    loaded: Loaded<Catalog>,
    t: std::time::Instant,
) -> Result<Built, BuildError> {
    let catalog_time = t.elapsed();
    let t = std::time::Instant::now();
    let snapshot = loaded.catalog.snapshot(gaz)?;
    Ok(Built {
        catalog: loaded.catalog,
        snapshot,
        stale: loaded.stale,
        computed: loaded.computed,
        timings: Timings {
            catalog: catalog_time,
            index: t.elapsed(),
        },
    })
}

/// A project's timeline and location afresh, rendered.
fn locate(
    geocoder: &Geocoder,
    years: &HashMap<String, (usize, Option<i32>)>,
    project: &mut Arc<Project>,
) -> Arc<Entry> {
    let p = Arc::make_mut(project);
    extract::set_timeline(p, years);
    let location = geocoder.locate(p);
    let located = Located {
        project: Arc::clone(project),
        location,
    };
    let raw = crate::feature::to_raw(&located, crate::feature::Form::Listed);
    Arc::new(Entry::new(located, raw))
}

impl crate::store::Catalogue for Catalog {
    fn record(gaz: &Gazetteer, doc: &Document, sha256: &str) -> PlanRecord {
        PlanRecord::compute(gaz, doc, sha256)
    }

    fn build(gaz: &Gazetteer, plans: Vec<(PlanMeta, PlanRecord)>) -> Self {
        Catalog::build(gaz, plans)
    }

    fn add(&mut self, gaz: &Gazetteer, meta: PlanMeta, rec: PlanRecord) -> Vec<usize> {
        Catalog::add(self, gaz, meta, rec)
    }

    fn entries(&self) -> &[Arc<Entry>] {
        Catalog::entries(self)
    }
}

/// The catalog of documents held in memory only (the embedded seeds, `planmap extract`).
pub fn catalog_of(gaz: &Gazetteer, plans: &[crate::store::StoredPlan]) -> Catalog {
    Catalog::build(
        gaz,
        plans.iter().map(|p| {
            let rec = PlanRecord::compute(gaz, &p.document, &p.meta.sha256);
            (p.meta.clone(), rec)
        }),
    )
}

/// The located projects of documents read whole, through the same steps a served portfolio
/// takes (records, catalog), so that `planmap extract` and the service never disagree.
pub fn locate_documents(gaz: &Gazetteer, docs: &[Document]) -> Vec<Located> {
    let catalog = Catalog::build(
        gaz,
        docs.iter().map(|d| {
            let meta = crate::store::document_meta(d, crate::model::PlanSource::File);
            let rec = PlanRecord::compute(gaz, d, &meta.sha256);
            (meta, rec)
        }),
    );
    catalog
        .entries()
        .iter()
        .map(|e| e.located.clone())
        .collect()
}
