//! The vocabulary every stage shares: categories, actions, mentions.

use std::fmt;

use serde::{Deserialize, Serialize};

/// What kind of thing a project is (the 14 keys of the gold brief).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Railway,
    UrbanRail,
    Highway,
    Airport,
    Reservoir,
    Water,
    Park,
    ProtectedArea,
    Scenic,
    IndustrialPark,
    Port,
    Energy,
    Pipeline,
    Mining,
}

impl Category {
    pub const ALL: [Category; 14] = [
        Category::Railway,
        Category::UrbanRail,
        Category::Highway,
        Category::Airport,
        Category::Reservoir,
        Category::Water,
        Category::Park,
        Category::ProtectedArea,
        Category::Scenic,
        Category::IndustrialPark,
        Category::Port,
        Category::Energy,
        Category::Pipeline,
        Category::Mining,
    ];

    /// The key used in GeoJSON and URLs.
    ///
    /// ```
    /// use planmap::model::Category;
    /// assert_eq!(Category::IndustrialPark.key(), "industrial_park");
    /// assert_eq!(Category::from_key("urban_rail"), Some(Category::UrbanRail));
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Category::Railway => "railway",
            Category::UrbanRail => "urban_rail",
            Category::Highway => "highway",
            Category::Airport => "airport",
            Category::Reservoir => "reservoir",
            Category::Water => "water",
            Category::Park => "park",
            Category::ProtectedArea => "protected_area",
            Category::Scenic => "scenic",
            Category::IndustrialPark => "industrial_park",
            Category::Port => "port",
            Category::Energy => "energy",
            Category::Pipeline => "pipeline",
            Category::Mining => "mining",
        }
    }

    pub fn from_key(key: &str) -> Option<Category> {
        Category::ALL.into_iter().find(|c| c.key() == key)
    }

    /// Categories whose projects are lines between places rather than sites.
    pub fn is_linear(self) -> bool {
        matches!(
            self,
            Category::Railway
                | Category::Highway
                | Category::Pipeline
                | Category::Energy
                | Category::UrbanRail
        )
    }

    /// A human title for legends and collection metadata.
    pub fn title(self) -> &'static str {
        match self {
            Category::Railway => "Railways 铁路",
            Category::UrbanRail => "Urban rail 轨道交通",
            Category::Highway => "Highways 公路",
            Category::Airport => "Airports 机场",
            Category::Reservoir => "Reservoirs 水库",
            Category::Water => "Water works 水利",
            Category::Park => "Parks 公园",
            Category::ProtectedArea => "Protected areas 保护区",
            Category::Scenic => "Scenic areas 景区",
            Category::IndustrialPark => "Industrial parks 园区",
            Category::Port => "Ports of entry 口岸",
            Category::Energy => "Energy 能源",
            Category::Pipeline => "Pipelines 管道",
            Category::Mining => "Mining 矿区",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// What the plan says is done to the project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    New,
    Expand,
    Upgrade,
    Relocate,
    Plan,
    Build,
    Protect,
    Operate,
    Unknown,
}

impl Action {
    pub fn key(self) -> &'static str {
        match self {
            Action::New => "new",
            Action::Expand => "expand",
            Action::Upgrade => "upgrade",
            Action::Relocate => "relocate",
            Action::Plan => "plan",
            Action::Build => "build",
            Action::Protect => "protect",
            Action::Operate => "operate",
            Action::Unknown => "unknown",
        }
    }
}

/// Where a project is mentioned: the document's file name, the 1-based line, a verbatim quote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mention {
    pub doc: String,
    pub line: usize,
    pub quote: String,
    /// What this mention says of the project's state.
    #[serde(default)]
    pub status: crate::extract::Status,
    /// The words that decided the status, if any did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_quote: Option<String>,
    /// The year the status holds for, when the text gives it (2020年建成, a report's year).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_year: Option<i32>,
}

/// A plan document: its file name (the `doc` of mentions), title and period when the text
/// states them, and its text.
#[derive(Clone, Debug)]
pub struct Document {
    pub name: String,
    pub title: Option<String>,
    pub period: Option<String>,
    pub text: String,
}
