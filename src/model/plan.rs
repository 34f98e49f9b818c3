//! Plans as the store keeps them: metadata, and the record extraction made of a text.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{keyed, Document, Keyed};

super::keyed! {
    /// What kind of text a plan is.
    pub enum DocKind {
        /// 规划纲要, 行动计划, 方案: goals for a period.
        Plan = "plan",
        /// 政府工作报告 and its 任务分解: a year's review and the next year's work.
        Report = "report",
    }
}

impl DocKind {
    pub fn of(doc: &Document) -> DocKind {
        let title = doc.title.as_deref().unwrap_or("");
        let report = |t: &str| ["工作报告", "任务分解"].iter().any(|w| t.contains(w));
        if report(title) {
            return DocKind::Report;
        }
        // a plan's title says so; a plan quoting a work report near its top stays a plan
        if ["规划", "纲要", "计划", "方案"]
            .iter()
            .any(|w| title.contains(w))
        {
            return DocKind::Plan;
        }
        let head: String = doc.text.chars().take(600).collect();
        if report(&head) {
            DocKind::Report
        } else {
            DocKind::Plan
        }
    }
}

keyed! {
    /// The encoding a plan's text arrived in (it is stored as UTF-8).
    pub enum Encoding {
        Utf8 = "UTF-8",
        /// GB18030 (and its subsets GBK, GB2312), converted.
        Gb18030 = "GB18030",
    }
}

keyed! {
    /// Where a stored plan came from.
    pub enum PlanSource {
        /// One of the embedded seed plans.
        Seed = "seed",
        /// Uploaded over HTTP or ingested from a file.
        Upload = "upload",
        /// A file read whole from the command line (`planmap extract`, the benches).
        File = "file",
    }
}

keyed! {
    /// How a plan's own unit (the county or prefecture it is about) was read.
    pub enum UnitSource {
        /// The title names it.
        Title = "title",
        /// The issuing body (…人民政府) names it.
        Issuer = "issuer",
        /// Most of the text's places lie in it.
        Mentions = "mentions",
    }
}

/// What a stored plan is, besides its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlanMeta {
    /// Stable id: the seed's file stem, or the first 16 hex digits of the text's SHA-256.
    pub id: String,
    /// The document name mentions carry (`doc`), e.g. `002_ad85a8b65c4c4e5d.txt`.
    pub doc: String,
    pub title: Option<String>,
    pub period: Option<String>,
    pub sha256: String,
    pub bytes: usize,
    /// The encoding the text arrived in (UTF-8, or GB18030 converted to UTF-8).
    pub encoding: Encoding,
    pub source: PlanSource,
    /// The file name it was uploaded or ingested as, if any.
    pub original_name: Option<String>,
    /// Seconds since the Unix epoch.
    pub added_at: u64,
    /// Order of arrival: 0 for the seeds (and plans stored before it was kept), then 1, 2, …
    /// The portfolio's order, so that a restart merges plans in the order ingests did.
    #[serde(default)]
    pub seq: u64,
}

/// What a record was computed with. A record whose stamp differs from [`Stamp::current`] is
/// stale: it still serves until it is computed again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Hash of the extractor's sources and lexicon (and the locked dependencies).
    pub rules: String,
    /// Hash of the gazetteer's units and places.
    pub gazetteer: String,
}

impl Stamp {
    /// The stamp of this build (computed by `build.rs`).
    pub fn current() -> Stamp {
        Stamp {
            rules: env!("PLANMAP_RULES_HASH").to_string(),
            gazetteer: env!("PLANMAP_GAZETTEER_HASH").to_string(),
        }
    }
}

/// The unit of a plan as a record keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecordedUnit {
    pub code: String,
    pub found_by: UnitSource,
}

/// Everything one plan yields on its own.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PlanRecord {
    pub stamp: Stamp,
    /// The document name its mentions carry.
    pub doc: String,
    /// SHA-256 of the text it was computed from.
    pub sha256: String,
    pub year: Option<i32>,
    pub kind: DocKind,
    pub unit: Option<RecordedUnit>,
    pub mentions: Vec<Keyed>,
}

impl PlanRecord {
    /// How many projects the plan names (distinct keys of one category).
    pub fn projects(&self) -> usize {
        self.mentions
            .iter()
            .map(|k| (k.key.as_str(), k.found.category))
            .collect::<HashSet<_>>()
            .len()
    }

    /// Whether the record was computed by these rules and this gazetteer.
    pub fn is_current(&self) -> bool {
        self.stamp == Stamp::current()
    }
}
