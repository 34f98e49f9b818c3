//! What filters see of the features served: a located project's typed fields, and the stored
//! JSON properties of the reference layers (counties, prefectures, places). Each collection's
//! queryables are listed beside its record, so the two cannot disagree.

use std::borrow::Cow;

use serde_json::Map;

use super::time::Period;
use super::{Queryable, Record, Type, Value};
use crate::gazetteer::{Level, PlaceKind};
use crate::geocode::{Located, LocatedBy, Precision};
use crate::model::Status;
use crate::model::{Action, Category};

fn keys<T: Copy>(all: &[T], key: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&t| key(t)).collect()
}

/// The queryables of the project collections.
pub fn project_queryables() -> Vec<Queryable> {
    use Type::*;
    vec![
        Queryable::new("id", Text, "Project id"),
        Queryable::new("name", Text, "Name, as the plans write it"),
        Queryable::new("category", Text, "Category").one_of(keys(&Category::ALL, Category::key)),
        Queryable::new("action", Text, "What the plan does with it")
            .one_of(keys(&Action::ALL, Action::key)),
        Queryable::new("status", Text, "State, as the latest plan naming it says")
            .one_of(keys(&Status::ALL, Status::key)),
        Queryable::new("located_by", Text, "How it was located")
            .one_of(keys(&LocatedBy::ALL, LocatedBy::key)),
        Queryable::new("precision", Text, "How precise its geometry is")
            .one_of(keys(&Precision::ALL, Precision::key)),
        Queryable::new(
            "county_codes",
            TextList,
            "County-level units it lies in (GB/T 2260)",
        ),
        Queryable::new(
            "prefecture_code",
            Text,
            "Prefecture it is placed in as a whole",
        )
        .nullable(),
        Queryable::new(
            "investment_yi",
            Number,
            "Stated investment, 亿元 (100 million yuan)",
        )
        .nullable(),
        Queryable::new("confidence", Number, "Confidence of the location, 0 to 1"),
        Queryable::new("mention_count", Integer, "Lines of plans that name it"),
        Queryable::new("plan_count", Integer, "Plans that name it"),
        Queryable::new("plan_years", NumberList, "Years of the plans that name it"),
        Queryable::new("docs", TextList, "Documents (plan file names) that name it"),
        Queryable::new(
            "plan_period",
            Period,
            "From 1 January of the first plan's year naming it to 31 December of the latest's",
        )
        .nullable(),
        Queryable::new("geometry", Geometry, "Where it is (WGS 84)").nullable(),
    ]
}

/// The queryables of the county and prefecture collections.
pub fn area_queryables() -> Vec<Queryable> {
    use Type::*;
    vec![
        Queryable::new("code", Text, "GB/T 2260 code"),
        Queryable::new("name", Text, "Name"),
        Queryable::new("prefecture", Text, "Code of its prefecture-level unit"),
        Queryable::new("level", Text, "Administrative level").one_of(keys(&Level::ALL, Level::key)),
        Queryable::new("project_count", Integer, "Projects that lie (partly) in it"),
        Queryable::new("geometry", Geometry, "Outline (WGS 84)"),
    ]
}

/// The queryables of the places collection.
pub fn place_queryables() -> Vec<Queryable> {
    use Type::*;
    vec![
        Queryable::new("name", Text, "Name"),
        Queryable::new("kind", Text, "Kind of place").one_of(keys(&PlaceKind::ALL, PlaceKind::key)),
        Queryable::new("county_codes", TextList, "County-level units it lies in"),
        Queryable::new("aliases", TextList, "Other names"),
        Queryable::new("iata", Text, "IATA code of an airport").nullable(),
        Queryable::new("geometry", Geometry, "Where it is (WGS 84)"),
    ]
}

impl Record for Located {
    fn value(&self, name: &str) -> Value<'_> {
        let p = &self.project;
        let loc = &self.location;
        let text = |s: &'static str| Value::Text(Cow::Borrowed(s));
        match name {
            "id" => Value::Text(Cow::Borrowed(&p.id)),
            "name" => Value::Text(Cow::Borrowed(&p.name)),
            "category" => text(p.category.key()),
            "action" => text(p.action.key()),
            "status" => text(p.status.key()),
            "located_by" => text(loc.located_by.key()),
            "precision" => text(loc.precision.key()),
            "county_codes" => Value::Texts(
                loc.county_codes
                    .iter()
                    .map(|c| Cow::Owned(c.to_string()))
                    .collect(),
            ),
            "prefecture_code" => loc
                .prefecture
                .map_or(Value::Null, |c| Value::Text(Cow::Owned(c.to_string()))),
            "investment_yi" => p.investment_yi.map_or(Value::Null, Value::Number),
            // as served: rounded to two places
            "confidence" => Value::Number((loc.confidence * 100.0).round() / 100.0),
            "mention_count" => Value::Number(p.mentions.len() as f64),
            "plan_count" => Value::Number(p.timeline.len() as f64),
            "plan_years" => {
                let mut years: Vec<f64> = p
                    .timeline
                    .iter()
                    .filter_map(|e| e.year)
                    .map(f64::from)
                    .collect();
                years.dedup();
                Value::Numbers(years)
            }
            "docs" => {
                let mut docs: Vec<Cow<str>> = Vec::new();
                for m in &p.mentions {
                    if !docs.iter().any(|d| *d == m.doc) {
                        docs.push(Cow::Borrowed(&m.doc));
                    }
                }
                Value::Texts(docs)
            }
            "plan_period" => {
                let years = p.timeline.iter().filter_map(|e| e.year);
                match (years.clone().min(), years.max()) {
                    (Some(a), Some(b)) => Value::Period(Period::years(a, b)),
                    _ => Value::Null,
                }
            }
            _ => Value::Null,
        }
    }

    fn geometry(&self) -> Option<&geo::Geometry<f64>> {
        self.location.geometry.as_ref()
    }
}

/// A feature of a reference layer: its stored properties and its geometry.
pub struct JsonRecord<'a> {
    pub properties: &'a Map<String, serde_json::Value>,
    pub geometry: Option<&'a geo::Geometry<f64>>,
}

impl Record for JsonRecord<'_> {
    fn value(&self, name: &str) -> Value<'_> {
        use serde_json::Value as J;
        match self.properties.get(name) {
            Some(J::String(s)) => Value::Text(Cow::Borrowed(s)),
            Some(J::Number(n)) => n.as_f64().map_or(Value::Null, Value::Number),
            Some(J::Array(items)) if !items.is_empty() && items.iter().all(J::is_number) => {
                Value::Numbers(items.iter().filter_map(J::as_f64).collect())
            }
            Some(J::Array(items)) => Value::Texts(
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(Cow::Borrowed))
                    .collect(),
            ),
            _ => Value::Null,
        }
    }

    fn geometry(&self) -> Option<&geo::Geometry<f64>> {
        self.geometry
    }
}
