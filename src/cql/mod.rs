//! CQL2 filters (OGC API – Features Part 3): read by the `cql2` crate from cql2-text or
//! cql2-json, checked against a collection's queryables, and compiled to a typed predicate.
//!
//! The predicate is evaluated over [`Record`]s (a located project, a county, a place), with
//! CQL2's three-valued logic: a comparison with a missing value is unknown, and only features
//! for which the whole filter is true are selected. Its spatial parts also say which box a
//! matching feature's envelope must meet ([`Filter::envelope`]), so that the caller can take
//! its candidates from the R-tree instead of scanning.
//!
//! ```
//! use planmap::cql::{Filter, Lang, Queryable, Record, Type, Value};
//! struct Road(&'static str, f64);
//! impl Record for Road {
//!     fn value(&self, name: &str) -> Value<'_> {
//!         match name {
//!             "name" => Value::Text(self.0.into()),
//!             "km" => Value::Number(self.1),
//!             _ => Value::Null,
//!         }
//!     }
//!     fn geometry(&self) -> Option<&geo::Geometry<f64>> {
//!         None
//!     }
//! }
//! let queryables = [
//!     Queryable::new("name", Type::Text, "Name"),
//!     Queryable::new("km", Type::Number, "Length"),
//! ];
//! let f = Filter::parse("name LIKE '%铁路' AND km > 100", Lang::Text, &queryables).unwrap();
//! assert!(f.matches(&Road("克塔铁路", 270.0)));
//! assert!(!f.matches(&Road("克塔铁路", 50.0)));
//! let err = Filter::parse("km >", Lang::Text, &queryables).unwrap_err();
//! assert!(err.to_string().contains("column 5"), "{err}");
//! ```

mod compile;
mod eval;
pub mod like;
pub mod records;
pub mod time;

use std::borrow::Cow;

use geo::Rect;

pub use compile::paren_depth;
pub use records::JsonRecord;
use time::Period;

/// The two encodings of `filter-lang`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Text,
    Json,
}

impl Lang {
    /// The `filter-lang` value; `cql-text` is the draft's name, which GDAL before 3.7 sends.
    pub fn from_param(v: &str) -> Option<Lang> {
        match v {
            "cql2-text" | "cql-text" => Some(Lang::Text),
            "cql2-json" => Some(Lang::Json),
            _ => None,
        }
    }
}

/// What a queryable holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Type {
    Text,
    Number,
    Integer,
    TextList,
    NumberList,
    /// Days, from the first to the last (temporal operators).
    Period,
    Geometry,
}

/// A property a filter may name, as `/collections/{id}/queryables` describes it.
#[derive(Clone, Debug)]
pub struct Queryable {
    pub name: &'static str,
    pub ty: Type,
    pub title: &'static str,
    /// The values a text property takes, when they are a fixed set.
    pub values: Vec<&'static str>,
    /// Whether the value may be missing.
    pub nullable: bool,
}

impl Queryable {
    pub fn new(name: &'static str, ty: Type, title: &'static str) -> Queryable {
        Queryable {
            name,
            ty,
            title,
            values: Vec::new(),
            nullable: false,
        }
    }

    pub fn one_of(mut self, values: Vec<&'static str>) -> Queryable {
        self.values = values;
        self
    }

    pub fn nullable(mut self) -> Queryable {
        self.nullable = true;
        self
    }
}

/// A property's value in one record.
#[derive(Clone, Debug, PartialEq)]
pub enum Value<'a> {
    Null,
    Text(Cow<'a, str>),
    Number(f64),
    Texts(Vec<Cow<'a, str>>),
    Numbers(Vec<f64>),
    Period(Period),
}

/// A feature a filter is evaluated over.
pub trait Record {
    /// The value of a queryable (never asked for a name the queryables lack).
    fn value(&self, name: &str) -> Value<'_>;
    /// The feature's geometry, `None` when it has none (an unlocated project).
    fn geometry(&self) -> Option<&geo::Geometry<f64>>;
}

/// Why a filter was refused; the API answers each with 400 naming `filter`.
#[derive(Debug, thiserror::Error)]
pub enum FilterError {
    #[error("malformed {lang} at line {line}, column {column}: {detail}")]
    Syntax {
        lang: &'static str,
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("no queryable {name:?}; this collection's are: {known}")]
    UnknownProperty { name: String, known: String },
    #[error("{0}")]
    Type(String),
    #[error("{0} is not supported")]
    Unsupported(String),
    #[error("nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("parentheses nested more than {0} deep")]
    Parens(usize),
    #[error("longer than {0} characters")]
    TooLong(usize),
    #[error("{0}")]
    Geometry(String),
}

/// A compiled filter.
#[derive(Debug)]
pub struct Filter {
    pred: compile::Pred,
}

impl Filter {
    /// Reads and checks a filter against the collection's queryables.
    pub fn parse(text: &str, lang: Lang, queryables: &[Queryable]) -> Result<Filter, FilterError> {
        let expr = compile::read(text, lang)?;
        Ok(Filter {
            pred: compile::compile(&expr, queryables)?,
        })
    }

    /// Whether the filter is true of the record (unknown counts as false).
    pub fn matches(&self, r: &impl Record) -> bool {
        eval::eval(&self.pred, r) == Some(true)
    }

    /// A box every matching feature's envelope meets, when the filter's spatial parts imply one:
    /// the candidates to take from an R-tree. `None`: any feature may match.
    pub fn envelope(&self) -> Option<Rect<f64>> {
        eval::envelope(&self.pred)
    }
}
