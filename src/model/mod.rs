//! The vocabulary every stage shares: categories, actions, mentions, projects, plans. It
//! depends on no other module of the crate; every stage may use it.

mod plan;
mod project;

pub use plan::{
    DocKind, Encoding, PlanMeta, PlanRecord, PlanSource, RecordedUnit, Stamp, UnitSource,
};
pub use project::{Context, Found, Keyed, Project, ProjectKey, Status, TimelineEntry};

use serde::{Deserialize, Serialize};

/// An enum whose values each have one name on the wire: `key()`, `from_key()`, `ALL`,
/// `Display` and serde all come from the one table, so the names cannot drift apart.
///
/// ```
/// use planmap::model::Category;
/// assert_eq!(Category::IndustrialPark.key(), "industrial_park");
/// assert_eq!(Category::from_key("urban_rail"), Some(Category::UrbanRail));
/// assert_eq!(serde_json::to_string(&Category::UrbanRail).unwrap(), "\"urban_rail\"");
/// assert_eq!(serde_json::from_str::<Category>("\"port\"").unwrap(), Category::Port);
/// assert!(serde_json::from_str::<Category>("\"harbour\"").is_err());
/// ```
macro_rules! keyed {
    (
        $(#[$meta:meta])*
        pub enum $name:ident { $( $(#[$vmeta:meta])* $var:ident = $key:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $( $(#[$vmeta])* $var ),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$var),+];

            /// The name in JSON, URLs and query parameters.
            pub fn key(self) -> &'static str {
                match self { $($name::$var => $key),+ }
            }

            pub fn from_key(key: &str) -> Option<$name> {
                match key { $($key => Some($name::$var),)+ _ => None }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.key())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let key = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $name::from_key(&key)
                    .ok_or_else(|| serde::de::Error::unknown_variant(&key, &[$($key),+]))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.key())
            }
        }
    };
}
pub(crate) use keyed;

keyed! {
    /// What kind of thing a project is (the 14 keys of the gold brief).
    #[derive(PartialOrd, Ord)]
    pub enum Category {
        Railway = "railway",
        UrbanRail = "urban_rail",
        Highway = "highway",
        Airport = "airport",
        Reservoir = "reservoir",
        Water = "water",
        Park = "park",
        ProtectedArea = "protected_area",
        Scenic = "scenic",
        IndustrialPark = "industrial_park",
        Port = "port",
        Energy = "energy",
        Pipeline = "pipeline",
        Mining = "mining",
    }
}

impl Category {
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

keyed! {
    /// What the plan says is done to the project.
    pub enum Action {
        New = "new",
        Expand = "expand",
        Upgrade = "upgrade",
        Relocate = "relocate",
        Plan = "plan",
        Build = "build",
        Protect = "protect",
        Operate = "operate",
        Unknown = "unknown",
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
    pub status: Status,
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
