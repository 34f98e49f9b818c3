//! The PostgreSQL/PostGIS store: several replicas over one database.
//!
//! `plans` is the store of record (text, metadata and the plan's record, see
//! [`crate::model::PlanRecord`]); `projects` (with a `geometry(Geometry, 4326)` column and a
//! GiST index) and `mentions` are the located portfolio derived from it, written in the same
//! transaction as the plan that changed them, for GIS tools to read as they are. The schema is
//! created and migrated by refinery (`migrations/`).
//!
//! Writes take a transaction-scoped advisory lock, so replicas write one at a time; before
//! adding its plan a replica catches up with what others wrote, so the `projects` rows it writes
//! follow every plan. Each write bumps `portfolio_state.generation` and notifies
//! [`CHANNEL`]; replicas listen, and also compare the state every second.

use serde_json::Value;
use tokio_postgres::{Client, NoTls, Transaction};

use super::{Catalogue, Change, Computed, Followed, PlanStore, Redone, StoreError, SyncPoint};
use crate::config::{CONNECT_TIMEOUT, LOCK_TIMEOUT};
use crate::gazetteer::Gazetteer;
use crate::model::{PlanMeta, PlanRecord, Stamp};

/// The channel writes notify replicas on.
pub const CHANNEL: &str = "planmap_portfolio";
/// The advisory lock writers hold for their transaction.
const WRITE_LOCK: i64 = 0x0070_6c61_6e6d_6170; // "planmap"

mod embedded {
    refinery::embed_migrations!("migrations");
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("the database is unreachable: {0}")]
    Unavailable(String),
    #[error("another replica's write holds the portfolio; try again shortly")]
    Busy,
    #[error("database: {}", db_message(.0))]
    Query(tokio_postgres::Error),
    #[error("schema migration failed: {0}")]
    Migrate(String),
    #[error("plan {id}: stored {what} unreadable: {source}")]
    Stored {
        id: String,
        what: &'static str,
        source: serde_json::Error,
    },
    #[error("no plan {0}")]
    NotFound(String),
    #[error("{0}")]
    Document(#[from] crate::document::DocumentError),
}

/// What the database said, not only that it said something ("db error").
fn db_message(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(d) => format!("{} ({})", d.message(), d.code().code()),
        None => e.to_string(),
    }
}

impl From<tokio_postgres::Error> for DbError {
    fn from(e: tokio_postgres::Error) -> Self {
        if e.code() == Some(&tokio_postgres::error::SqlState::LOCK_NOT_AVAILABLE) {
            DbError::Busy
        } else if e.is_closed() || e.code().is_none() {
            // no SQL state: the connection, not the statement, failed
            DbError::Unavailable(db_message(&e))
        } else {
            DbError::Query(e)
        }
    }
}

/// The connection a replica writes and reads through (connected again when lost).
pub struct Database {
    config: tokio_postgres::Config,
    client: tokio::sync::Mutex<Option<Client>>,
}

async fn connect(config: &tokio_postgres::Config) -> Result<Client, DbError> {
    let (client, conn) = config
        .connect(NoTls)
        .await
        .map_err(|e| DbError::Unavailable(db_message(&e)))?;
    tokio::spawn(async move {
        let _ = conn.await;
    });
    Ok(client)
}

/// The advisory lock replicas take around the schema's migration (the write lock's key, plus one).
const MIGRATION_LOCK: i64 = WRITE_LOCK + 1;

/// Migrates the schema, one replica at a time: replicas started together on an empty database
/// would otherwise race to create refinery's history table and the tables themselves. The lock
/// is the session's, so a replica that dies while it holds it lets the next one go.
async fn migrate(client: &mut Client) -> Result<(), DbError> {
    client
        .execute("SELECT pg_advisory_lock($1)", &[&MIGRATION_LOCK])
        .await?;
    let migrated = embedded::migrations::runner()
        .run_async(client)
        .await
        .map_err(|e| DbError::Migrate(e.to_string()));
    let unlocked = client
        .execute("SELECT pg_advisory_unlock($1)", &[&MIGRATION_LOCK])
        .await;
    migrated?;
    unlocked?;
    Ok(())
}

fn meta_of(id: &str, meta: Value, seq: i64) -> Result<PlanMeta, DbError> {
    let mut m: PlanMeta = serde_json::from_value(meta).map_err(|source| DbError::Stored {
        id: id.to_string(),
        what: "metadata",
        source,
    })?;
    m.seq = seq as u64;
    Ok(m)
}

fn record_of(id: &str, rec: Value) -> Result<PlanRecord, DbError> {
    serde_json::from_value(rec).map_err(|source| DbError::Stored {
        id: id.to_string(),
        what: "record",
        source,
    })
}

impl Database {
    /// Connects, migrates the schema, and stores the seeds in a database without plans.
    pub async fn open<C: Catalogue>(url: &str, gaz: &Gazetteer) -> Result<Database, DbError> {
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| DbError::Unavailable(format!("{url:?}: {e}")))?;
        // a database behind a dead network must not hold a write (or the catalog) for the
        // minutes TCP would wait: unless the URL says otherwise, give up in seconds
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_tcp_user_timeout().is_none() {
            config.tcp_user_timeout(CONNECT_TIMEOUT * 3);
        }
        config.keepalives_idle(CONNECT_TIMEOUT * 6);
        let mut client = connect(&config).await?;
        migrate(&mut client).await?;
        let db = Database {
            config,
            client: tokio::sync::Mutex::new(Some(client)),
        };
        db.seed::<C>(gaz).await?;
        Ok(db)
    }

    async fn seed<C: Catalogue>(&self, gaz: &Gazetteer) -> Result<(), DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let tx = client.transaction().await?;
        lock(&tx).await?;
        let n: i64 = tx
            .query_one("SELECT count(*) FROM plans", &[])
            .await?
            .get(0);
        if n > 0 {
            return Ok(());
        }
        let mut catalog = C::default();
        for p in super::embedded_plans()? {
            let rec = C::record(gaz, &p.document, &p.meta.sha256);
            insert_plan(&tx, &p.meta, &p.document.text, &rec).await?;
            catalog.add(gaz, p.meta, rec);
        }
        write_projects(&tx, &catalog, None).await?;
        tx.execute(
            "UPDATE portfolio_state SET generation = generation + 1, rebuilds = rebuilds + 1",
            &[],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The write connection, connected again if it was lost.
    async fn client(&self) -> Result<tokio::sync::MutexGuard<'_, Option<Client>>, DbError> {
        let mut g = self.client.lock().await;
        if g.as_ref().is_none_or(|c| c.is_closed()) {
            *g = None;
            *g = Some(connect(&self.config).await?);
        }
        Ok(g)
    }

    /// A separate connection that receives notifications on [`CHANNEL`].
    pub async fn listen(
        &self,
    ) -> Result<(Client, tokio::sync::mpsc::UnboundedReceiver<()>), DbError> {
        let (client, mut conn) = self
            .config
            .connect(NoTls)
            .await
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        tokio::spawn(async move {
            loop {
                match std::future::poll_fn(|cx| conn.poll_message(cx)).await {
                    Some(Ok(tokio_postgres::AsyncMessage::Notification(_))) => {
                        if tx.send(()).is_err() {
                            break;
                        }
                    }
                    Some(Ok(_)) => {}
                    // closed or failed: the receiver sees the channel end
                    Some(Err(_)) | None => break,
                }
            }
        });
        client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
        Ok((client, rx))
    }

    /// Where the database stands.
    pub async fn sync_point(&self) -> Result<SyncPoint, DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let r = client.query_one(SYNC_POINT, &[]).await;
        if r.is_err() {
            *guard = None;
        }
        Ok(sync_point_of(&r?))
    }

    /// Brings a replica's catalog up to the database: the plans others added, or everything
    /// again after a deletion (or a failed write of its own).
    pub async fn catch_up<C: Catalogue>(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
    ) -> Result<Change, DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let tx = client.transaction().await?;
        let r = catch_up_in(&tx, gaz, f).await;
        if matches!(r, Err(DbError::Unavailable(_))) {
            drop(tx);
            *guard = None;
            return r;
        }
        if let Err(e) = tx.commit().await {
            // what was caught up is in the catalog but will not be published: load it again
            f.dirty = true;
            return Err(e.into());
        }
        r
    }

    /// Stores a plan and merges it into the replica's catalog, in one transaction. Returns
    /// its metadata and what changed in the catalog ([`Change::Nothing`] when the text was
    /// already stored).
    pub async fn add<C: Catalogue>(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        plan: Computed,
    ) -> Result<(PlanMeta, Change), DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let r = add_in(client, gaz, f, plan).await;
        if matches!(r, Err(DbError::Unavailable(_))) {
            *guard = None;
        }
        r
    }

    /// Removes a plan; the catalog is built again from the database.
    pub async fn delete<C: Catalogue>(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        id: &str,
    ) -> Result<PlanMeta, DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let r = delete_in(client, gaz, f, id).await;
        if matches!(r, Err(DbError::Unavailable(_))) {
            *guard = None;
        }
        r
    }

    /// The plans whose records other rules (or another gazetteer) made, extracted again from
    /// their texts. Reads only: nothing is stored.
    pub async fn stale_records<C: Catalogue>(
        &self,
        gaz: &Gazetteer,
    ) -> Result<Vec<Redone>, DbError> {
        let stamp = serde_json::to_value(Stamp::current()).map_err(|source| DbError::Stored {
            id: String::new(),
            what: "stamp",
            source,
        })?;
        let rows = {
            let mut guard = self.client().await?;
            let client = guard.as_mut().ok_or_else(lost)?;
            client
                .query(
                    "SELECT id, seq, meta, text FROM plans
                     WHERE record->'stamp' IS DISTINCT FROM $1 ORDER BY seq",
                    &[&stamp],
                )
                .await?
        };
        let mut out = Vec::new();
        for r in rows {
            let id: String = r.get(0);
            let meta = meta_of(&id, r.get(2), r.get(1))?;
            let text: String = r.get(3);
            let mut d = crate::model::Document::from_bytes(&meta.doc, text.as_bytes())?;
            d.title = meta.title.clone().or(d.title);
            d.period = meta.period.clone().or(d.period);
            let record = tokio::task::block_in_place(|| C::record(gaz, &d, &meta.sha256));
            out.push(Redone {
                id,
                sha256: meta.sha256,
                record,
            });
        }
        Ok(out)
    }

    /// Stores records made again ([`Database::stale_records`]) and the portfolio they give, in
    /// one transaction; the catalog is built again.
    pub async fn store_records<C: Catalogue>(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        records: &[Redone],
    ) -> Result<(), DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let tx = client.transaction().await?;
        lock(&tx).await?;
        for Redone {
            id,
            sha256: sha,
            record,
        } in records
        {
            let json = serde_json::to_value(record).map_err(|source| DbError::Stored {
                id: id.clone(),
                what: "record",
                source,
            })?;
            // a plan deleted meanwhile is simply not there
            tx.execute(
                "UPDATE plans SET record = $2 WHERE id = $1 AND sha256 = $3",
                &[id, &json, sha],
            )
            .await?;
        }
        rebuild_in(tx, gaz, f).await
    }

    /// A plan's text, if the plan is stored.
    pub async fn text(&self, id: &str) -> Result<Option<String>, DbError> {
        let mut guard = self.client().await?;
        let client = guard.as_mut().ok_or_else(lost)?;
        let r = client
            .query_opt("SELECT text FROM plans WHERE id = $1", &[&id])
            .await;
        if r.is_err() {
            *guard = None;
        }
        Ok(r?.map(|row| row.get(0)))
    }

    /// Every plan's metadata and record, in order of arrival.
    pub async fn load<C: Catalogue>(&self, gaz: &Gazetteer) -> Result<Followed<C>, DbError> {
        let mut f = Followed {
            dirty: true,
            ..Default::default()
        };
        self.catch_up(gaz, &mut f).await?;
        Ok(f)
    }
}

fn lost() -> DbError {
    DbError::Unavailable("no connection".into())
}

const SYNC_POINT: &str =
    "SELECT generation, rebuilds, (SELECT coalesce(max(seq), 0) FROM plans) FROM portfolio_state";

fn sync_point_of(row: &tokio_postgres::Row) -> SyncPoint {
    SyncPoint {
        generation: row.get(0),
        rebuilds: row.get(1),
        max_seq: row.get(2),
    }
}

async fn lock(tx: &Transaction<'_>) -> Result<(), DbError> {
    tx.batch_execute(&format!("SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
        .await?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])
        .await?;
    Ok(())
}

async fn plans_after(
    tx: &Transaction<'_>,
    seq: i64,
) -> Result<Vec<(PlanMeta, PlanRecord)>, DbError> {
    let rows = tx
        .query(
            "SELECT id, seq, meta, record FROM plans WHERE seq > $1 ORDER BY seq",
            &[&seq],
        )
        .await?;
    rows.into_iter()
        .map(|r| {
            let id: String = r.get(0);
            Ok((meta_of(&id, r.get(2), r.get(1))?, record_of(&id, r.get(3))?))
        })
        .collect()
}

async fn catch_up_in<C: Catalogue>(
    tx: &Transaction<'_>,
    gaz: &Gazetteer,
    f: &mut Followed<C>,
) -> Result<Change, DbError> {
    let at = sync_point_of(&tx.query_one(SYNC_POINT, &[]).await?);
    if at == f.at && !f.dirty {
        return Ok(Change::Nothing);
    }
    if f.dirty || at.rebuilds != f.at.rebuilds {
        let plans = plans_after(tx, 0).await?;
        f.catalog = tokio::task::block_in_place(|| C::build(gaz, plans));
        f.at = at;
        f.dirty = false;
        return Ok(Change::Whole);
    }
    let plans = plans_after(tx, f.at.max_seq).await?;
    let mut changed = Vec::new();
    tokio::task::block_in_place(|| {
        for (meta, rec) in plans {
            changed.extend(f.catalog.add(gaz, meta, rec));
        }
    });
    changed.sort_unstable();
    changed.dedup();
    f.at = at;
    Ok(Change::Some(changed))
}

async fn insert_plan(
    tx: &Transaction<'_>,
    meta: &PlanMeta,
    text: &str,
    rec: &PlanRecord,
) -> Result<i64, DbError> {
    let meta_json = serde_json::to_value(meta).map_err(|source| DbError::Stored {
        id: meta.id.clone(),
        what: "metadata",
        source,
    })?;
    let rec_json = serde_json::to_value(rec).map_err(|source| DbError::Stored {
        id: meta.id.clone(),
        what: "record",
        source,
    })?;
    let row = tx
        .query_one(
            "INSERT INTO plans (id, doc, title, period, sha256, meta, text, record)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING seq",
            &[
                &meta.id,
                &meta.doc,
                &meta.title,
                &meta.period,
                &meta.sha256,
                &meta_json,
                &text,
                &rec_json,
            ],
        )
        .await?;
    Ok(row.get(0))
}

async fn add_in<C: Catalogue>(
    client: &mut Client,
    gaz: &Gazetteer,
    f: &mut Followed<C>,
    plan: Computed,
) -> Result<(PlanMeta, Change), DbError> {
    let Computed {
        mut meta,
        text,
        record: rec,
    } = plan;
    let id = meta.id.as_str();
    let tx = client.transaction().await?;
    lock(&tx).await?;
    if let Some(r) = tx
        .query_opt("SELECT seq, meta FROM plans WHERE id = $1", &[&id])
        .await?
    {
        return Ok((meta_of(id, r.get(1), r.get(0))?, Change::Nothing));
    }
    // what others wrote first, so that the projects written below follow every plan
    let caught = catch_up_in(&tx, gaz, f).await?;
    // from here the catalog may hold changes not yet published, and soon a plan the database
    // may not keep: a failure before the commit leaves it to be loaded again
    f.dirty = true;
    let seq = insert_plan(&tx, &meta, &text, &rec).await?;
    meta.seq = seq as u64;
    let changed = tokio::task::block_in_place(|| f.catalog.add(gaz, meta.clone(), rec));
    write_projects(&tx, &f.catalog, Some((&changed, &meta.doc))).await?;
    let row = tx
        .query_one(
            "UPDATE portfolio_state SET generation = generation + 1 RETURNING generation, rebuilds",
            &[],
        )
        .await?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &seq.to_string()])
        .await?;
    tx.commit().await?;
    f.dirty = false;
    f.at = SyncPoint {
        generation: row.get(0),
        rebuilds: row.get(1),
        max_seq: seq,
    };
    Ok((meta, caught.and(Change::Some(changed))))
}

async fn delete_in<C: Catalogue>(
    client: &mut Client,
    gaz: &Gazetteer,
    f: &mut Followed<C>,
    id: &str,
) -> Result<PlanMeta, DbError> {
    let tx = client.transaction().await?;
    lock(&tx).await?;
    let Some(r) = tx
        .query_opt(
            "DELETE FROM plans WHERE id = $1 RETURNING seq, meta",
            &[&id],
        )
        .await?
    else {
        return Err(DbError::NotFound(id.to_string()));
    };
    let meta = meta_of(id, r.get(1), r.get(0))?;
    rebuild_in(tx, gaz, f).await?;
    Ok(meta)
}

/// Ends a transaction that changed plans other than by adding one: the catalog is built again
/// from the transaction's view, every project rewritten, replicas told to rebuild.
async fn rebuild_in<C: Catalogue>(
    tx: Transaction<'_>,
    gaz: &Gazetteer,
    f: &mut Followed<C>,
) -> Result<(), DbError> {
    tx.execute(
        "UPDATE portfolio_state SET generation = generation + 1, rebuilds = rebuilds + 1",
        &[],
    )
    .await?;
    f.dirty = true;
    catch_up_in(&tx, gaz, f).await?;
    // the catch-up cleared it, but the database may still not keep this transaction
    f.dirty = true;
    write_projects(&tx, &f.catalog, None).await?;
    tx.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &"rebuild"])
        .await?;
    tx.commit().await?;
    f.dirty = false;
    Ok(())
}

/// Writes located projects: the `changed` entries and the mentions of one document, or
/// (`None`) every project and mention afresh.
async fn write_projects<C: Catalogue>(
    tx: &Transaction<'_>,
    catalog: &C,
    changed: Option<(&[usize], &str)>,
) -> Result<(), DbError> {
    let entries = catalog.entries();
    let slots: Vec<usize> = match changed {
        Some((c, _)) => c.to_vec(),
        None => {
            tx.batch_execute("DELETE FROM mentions; DELETE FROM projects;")
                .await?;
            (0..entries.len()).collect()
        }
    };
    // one statement per batch: arrays of columns, unnested
    for chunk in slots.chunks(2000) {
        let mut cols: ProjectColumns = Default::default();
        let mut m: MentionColumns = Default::default();
        for &i in chunk {
            let l = &entries[i].located;
            let (p, loc) = (&l.project, &l.location);
            cols.id.push(p.id.clone());
            cols.name.push(p.name.clone());
            cols.category.push(p.category.key().to_string());
            cols.status.push(p.status.key().to_string());
            cols.action.push(p.action.key().to_string());
            cols.counties.push(
                loc.county_codes
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            cols.prefecture.push(loc.prefecture.map(|c| c.to_string()));
            cols.located_by.push(loc.located_by.key().to_string());
            cols.precision.push(loc.precision.key().to_string());
            cols.confidence.push(loc.confidence);
            cols.investment.push(p.investment_yi);
            cols.mention_count.push(p.mentions.len() as i32);
            cols.plan_count.push(p.timeline.len() as i32);
            cols.geojson.push(
                loc.geometry
                    .as_ref()
                    .and_then(|g| serde_json::to_string(&geojson::Geometry::from(g)).ok()),
            );
            for mention in &p.mentions {
                if changed.is_some_and(|(_, doc)| mention.doc != doc) {
                    continue;
                }
                m.project.push(p.id.clone());
                m.doc.push(mention.doc.clone());
                m.line.push(mention.line as i32);
                m.quote.push(mention.quote.clone());
                m.status.push(mention.status.key().to_string());
            }
        }
        tx.execute(
            "INSERT INTO projects (id, name, category, status, action, county_codes,
                 prefecture_code, located_by, precision, confidence, investment_yi,
                 mention_count, plan_count, geom)
             SELECT id, name, category, status, action,
                    CASE WHEN counties = '' THEN '{}'::text[] ELSE string_to_array(counties, ',') END,
                    prefecture, located_by, precision, confidence, investment,
                    mention_count, plan_count,
                    ST_SetSRID(ST_GeomFromGeoJSON(geojson), 4326)
             FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                         $7::text[], $8::text[], $9::text[], $10::float8[], $11::float8[],
                         $12::int4[], $13::int4[], $14::text[])
                  AS t(id, name, category, status, action, counties, prefecture, located_by,
                       precision, confidence, investment, mention_count, plan_count, geojson)
             ON CONFLICT (id) DO UPDATE SET
                 name = EXCLUDED.name, category = EXCLUDED.category, status = EXCLUDED.status,
                 action = EXCLUDED.action, county_codes = EXCLUDED.county_codes,
                 prefecture_code = EXCLUDED.prefecture_code, located_by = EXCLUDED.located_by,
                 precision = EXCLUDED.precision, confidence = EXCLUDED.confidence,
                 investment_yi = EXCLUDED.investment_yi, mention_count = EXCLUDED.mention_count,
                 plan_count = EXCLUDED.plan_count, geom = EXCLUDED.geom",
            &[
                &cols.id,
                &cols.name,
                &cols.category,
                &cols.status,
                &cols.action,
                &cols.counties,
                &cols.prefecture,
                &cols.located_by,
                &cols.precision,
                &cols.confidence,
                &cols.investment,
                &cols.mention_count,
                &cols.plan_count,
                &cols.geojson,
            ],
        )
        .await?;
        tx.execute(
            "INSERT INTO mentions (project_id, doc, line, quote, status)
             SELECT * FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[], $5::text[])
             ON CONFLICT DO NOTHING",
            &[&m.project, &m.doc, &m.line, &m.quote, &m.status],
        )
        .await?;
    }
    Ok(())
}

#[derive(Default)]
struct ProjectColumns {
    id: Vec<String>,
    name: Vec<String>,
    category: Vec<String>,
    status: Vec<String>,
    action: Vec<String>,
    counties: Vec<String>,
    prefecture: Vec<Option<String>>,
    located_by: Vec<String>,
    precision: Vec<String>,
    confidence: Vec<f64>,
    investment: Vec<Option<f64>>,
    mention_count: Vec<i32>,
    plan_count: Vec<i32>,
    geojson: Vec<Option<String>>,
}

#[derive(Default)]
struct MentionColumns {
    project: Vec<String>,
    doc: Vec<String>,
    line: Vec<i32>,
    quote: Vec<String>,
    status: Vec<String>,
}

#[async_trait::async_trait]
impl<C: Catalogue> PlanStore<C> for Database {
    fn describe(&self) -> &'static str {
        "the database"
    }

    async fn text(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(Database::text(self, id).await?)
    }

    async fn catch_up(&self, gaz: &Gazetteer, f: &mut Followed<C>) -> Result<Change, StoreError> {
        Ok(Database::catch_up(self, gaz, f).await?)
    }

    async fn add(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        plan: Computed,
    ) -> Result<(PlanMeta, Change), StoreError> {
        Ok(Database::add(self, gaz, f, plan).await?)
    }

    async fn delete(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        id: &str,
    ) -> Result<(PlanMeta, Change), StoreError> {
        let meta = Database::delete(self, gaz, f, id).await?;
        Ok((meta, Change::Whole))
    }

    async fn stale_records(&self, gaz: &Gazetteer) -> Result<Vec<Redone>, StoreError> {
        Ok(Database::stale_records::<C>(self, gaz).await?)
    }

    async fn store_records(
        &self,
        gaz: &Gazetteer,
        f: &mut Followed<C>,
        records: Vec<Redone>,
    ) -> Result<Change, StoreError> {
        if records.is_empty() {
            return Ok(Change::Nothing);
        }
        Database::store_records(self, gaz, f, &records).await?;
        Ok(Change::Whole)
    }
}
