//! The embedded seed plans as a store: what a server without `--data` or `--database` serves.
//! It answers reads; it takes no writes (there is nowhere to keep them).

use super::{Catalogue, Change, Computed, Followed, PlanStore, Redone, StoreError};
use crate::gazetteer::Gazetteer;
use crate::model::PlanMeta;

/// The seeds compiled into the binary, read-only.
pub struct Seeds {
    plans: Vec<super::StoredPlan>,
}

impl Seeds {
    pub fn new() -> Result<Seeds, crate::document::DocumentError> {
        Ok(Seeds {
            plans: super::embedded_plans()?,
        })
    }
}

const READ_ONLY: &str = "the embedded seeds";

#[async_trait::async_trait]
impl<C: Catalogue> PlanStore<C> for Seeds {
    fn describe(&self) -> &'static str {
        READ_ONLY
    }

    fn writable(&self) -> bool {
        false
    }

    async fn text(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .plans
            .iter()
            .find(|p| p.meta.id == id)
            .map(|p| p.document.text.clone()))
    }

    async fn add(
        &self,
        _gaz: &Gazetteer,
        _f: &mut Followed<C>,
        _plan: Computed,
    ) -> Result<(PlanMeta, Change), StoreError> {
        Err(StoreError::ReadOnly(READ_ONLY))
    }

    async fn delete(
        &self,
        _gaz: &Gazetteer,
        _f: &mut Followed<C>,
        _id: &str,
    ) -> Result<(PlanMeta, Change), StoreError> {
        Err(StoreError::ReadOnly(READ_ONLY))
    }

    async fn stale_records(&self, _gaz: &Gazetteer) -> Result<Vec<Redone>, StoreError> {
        // computed by this build when the server started
        Ok(Vec::new())
    }

    async fn store_records(
        &self,
        _gaz: &Gazetteer,
        _f: &mut Followed<C>,
        _records: Vec<Redone>,
    ) -> Result<Change, StoreError> {
        Ok(Change::Nothing)
    }
}
