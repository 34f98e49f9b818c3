//! Extraction: plan text in, named projects out, each with its provenance.
//!
//! The scanner works clause by clause. A project's name ends in a type word from the lexicon
//! (水库, 铁路, 工业园 …) and starts after the last verb or function word before it; a name whose
//! left part is only generic modifiers (支线机场, 小型水库) names a class and is dropped, unless it
//! closes an enumeration (锡伯图、巴音沟等水库), whose items each become a project. Places from the
//! gazetteer protect their own characters (和丰 is not 和 + 丰).

mod enumerations;
pub mod lexicon;
mod merge;
mod names;
mod routes;
mod scan;
mod segment;
mod spans;
mod status;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use sha2::{Digest, Sha256};

use crate::gazetteer::Gazetteer;
use crate::model::{
    Action, Category, Context, DocKind, Document, Found, Keyed, Mention, Project, ProjectKey,
    Status, TimelineEntry,
};
use enumerations::*;
pub use merge::{merge, name_key, plan_keys, Merger, MAX_CONTEXTS};
use names::*;
use routes::*;
pub use scan::Extractor;
use spans::{Bounds, Spans};
pub use status::document_year;

/// Longest name kept; longer spans are sentences, not names.
const MAX_NAME_CHARS: usize = 40;
/// Longest enumeration item that inherits a type word (锡伯图 + 水库).
const MAX_ITEM_CHARS: usize = 10;
/// Longest bare item that inherits a name's tail without a 等 (乌鲁木齐、吐鲁番、伊宁机场).
const MAX_SHARED_ITEM_CHARS: usize = 6;
/// Longest item of a list called projects that is a name with no type word in it.
const MAX_BARE_ITEM_CHARS: usize = 16;
/// Most items of one enumeration that inherit a type word.
const MAX_ENUM_ITEMS: usize = 40;
/// How far before 等 its items are looked for, in characters.
const MAX_ENUM_CHARS: usize = 400;
/// How far after a name its investment is looked for, in characters.
const INVESTMENT_WINDOW: usize = 30;
/// How much text before a mention the geocoder may read, in characters.
const CONTEXT_CHARS: usize = 120;
/// Cells of a table row after a name's that the geocoder may read.
const ROW_CELLS: usize = 3;
/// How far after a name those cells are looked for, in characters.
const ROW_CHARS: usize = 200;
/// How far after a mention the words that close its list are looked for (甲、乙、丙等一批重点
/// 项目开工建设), in characters.
const MAX_LIST_CHARS: usize = 200;
/// Longest run of words after the last item's place that bare places before it in a 等 list
/// share (头屯河、玛纳斯河沿岸整治等工程: 沿岸整治), in characters.
const MAX_SHARED_WORDS_CHARS: usize = 6;
/// Longest quote kept in a mention, in characters.
const MAX_QUOTE_CHARS: usize = 60;

/// The compiled rules, built once: they never change while the program runs.
static RULES: std::sync::LazyLock<Extractor> = std::sync::LazyLock::new(Extractor::new);

/// Builds the rules now (the segmenter's dictionary takes a tenth of a second) rather than in
/// the first ingest that needs them.
pub fn warm_up() {
    std::sync::LazyLock::force(&RULES);
}

/// Every project mention in one document, in text order.
pub fn extract_document(gaz: &Gazetteer, doc: &Document) -> Vec<Found> {
    RULES.extract_document(gaz, doc)
}

/// Sets a project's timeline and status from its mentions; `years` gives each document's place
/// in the portfolio's order and its year.
pub fn set_timeline(p: &mut Project, years: &HashMap<String, (usize, Option<i32>)>) {
    status::set_timeline(p, years)
}

/// Extracts and merges the projects of several documents.
pub fn extract_all(gaz: &Gazetteer, docs: &[Document]) -> Vec<Project> {
    let ex: &Extractor = &RULES;
    let found = docs
        .iter()
        .flat_map(|d| ex.extract_document(gaz, d))
        .collect();
    let mut projects = merge(gaz, found);
    let years: HashMap<String, (usize, Option<i32>)> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.name.clone(), (i, status::document_year(d))))
        .collect();
    for p in &mut projects {
        status::set_timeline(p, &years);
    }
    projects
}
