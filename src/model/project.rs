//! Projects as extraction finds them and the portfolio merges them: each mention with its
//! provenance and context, the project's status and timeline, its merge key.

use super::{Action, Category, Mention};

super::keyed! {
    /// A project's state as one mention states it.
    #[derive(Default)]
    pub enum Status {
        Completed = "completed",
        Building = "building",
        Planned = "planned",
        Operating = "operating",
        #[default]
        Unknown = "unknown",
    }
}

impl Status {
    /// How far along, as the dev gold's scorer orders it: a plan's word on a project is its
    /// most advanced mention's.
    pub fn rank(self) -> u8 {
        match self {
            Status::Completed => 4,
            Status::Building => 3,
            Status::Planned => 2,
            Status::Operating => 1,
            Status::Unknown => 0,
        }
    }
}

/// Where a mention stood: what the geocoder may read beside the name.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Context {
    /// The clause the name stood in, up to the name.
    pub clause: String,
    /// The line up to the name.
    pub line_before: String,
    /// The nearest heading above the line.
    pub heading: Option<String>,
    /// In a table row (cells split by tabs), the next cells after the name's: where a project
    /// list puts 建设地点.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub row_after: Vec<String>,
}

/// One project as found at one place in one document.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Found {
    /// Char offsets of the mention in its line.
    pub span: (usize, usize),
    pub name: String,
    pub category: Category,
    pub action: Action,
    pub investment_yi: Option<f64>,
    pub mention: Mention,
    pub context: Context,
}

/// A project: the same name and category across all mentions and documents.
#[derive(Clone, Debug)]
pub struct Project {
    /// Stable: derived from the normalised name and the category.
    pub id: String,
    pub name: String,
    pub category: Category,
    pub action: Action,
    pub investment_yi: Option<f64>,
    /// Route waypoints in the order the name gives them (empty for sites).
    pub waypoints: Vec<String>,
    /// The places a railway's or highway's name abbreviates, one character each (克塔铁路:
    /// 克拉玛依, 塔城); empty when the name is no such abbreviation. The geocoder tries them
    /// when the name gives no waypoints and no place.
    pub abbreviated: Vec<String>,
    pub mentions: Vec<Mention>,
    pub contexts: Vec<Context>,
    /// What the latest plan says of its state (ties between plans of one year: the most
    /// advanced).
    pub status: Status,
    /// One entry per plan that names it, oldest first.
    pub timeline: Vec<TimelineEntry>,
}

/// What one plan says of a project.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct TimelineEntry {
    pub doc: String,
    /// The plan's year (a report's year, a plan's first year), when the text gives it.
    pub year: Option<i32>,
    /// The most advanced status of the plan's mentions.
    pub status: Status,
    /// The quote of the mention that stated it.
    pub quote: String,
}

/// The key of a project across plans: two mentions with one key (and one category) are one
/// project, and its id is made from it. Text, so that records keep it, in one of three forms:
/// `site:PLACE` (an airport or port the gazetteer knows), `route:TYPE:END|END` (end points
/// sorted), `name:NAME` (the name with its places written as `#CODE#` or `#PLACE#`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct ProjectKey(String);

impl ProjectKey {
    pub fn new(key: String) -> ProjectKey {
        ProjectKey(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mention with the key of the project it belongs to.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Keyed {
    pub found: Found,
    /// The project's merge key (see [`plan_keys`]).
    pub key: ProjectKey,
    /// Whether the mention was written short and routed to a longer name of its plan.
    pub routed: bool,
}
