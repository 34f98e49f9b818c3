//! Any text as a CQL2 filter, in either encoding, against the projects' queryables; what
//! compiles is evaluated over a record holding a value of every kind.
#![no_main]
use std::borrow::Cow;

use libfuzzer_sys::fuzz_target;
use planmap::cql::time::Period;
use planmap::cql::{records, Filter, Lang, Record, Type, Value};

struct Any {
    geometry: geo::Geometry<f64>,
}

impl Record for Any {
    fn value(&self, name: &str) -> Value<'_> {
        let ty = records::project_queryables()
            .into_iter()
            .find(|q| q.name == name)
            .map(|q| q.ty);
        match ty {
            Some(Type::Text) => Value::Text(Cow::Borrowed("塔城机场")),
            Some(Type::Number | Type::Integer) => Value::Number(2.0),
            Some(Type::TextList) => Value::Texts(vec![Cow::Borrowed("654201")]),
            Some(Type::NumberList) => Value::Numbers(vec![2016.0, 2021.0]),
            Some(Type::Period) => Value::Period(Period::years(2016, 2021)),
            _ => Value::Null,
        }
    }

    fn geometry(&self) -> Option<&geo::Geometry<f64>> {
        Some(&self.geometry)
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let lang = if first & 1 == 0 { Lang::Text } else { Lang::Json };
    if let Ok(f) = Filter::parse(text, lang, &records::project_queryables()) {
        let line = geo::LineString::from(vec![(82.5, 46.4), (83.7, 47.3)]);
        let _ = f.matches(&Any { geometry: line.into() });
        let _ = f.envelope();
    }
});
