//! The rules of extraction, written as data: which words end a project's name and what category
//! they give, which words bound a name on its left, and which modifiers say "a class, not a thing".
//!
//! The word lists are the TSV files in `lexicon/` beside this file, one word a line (`#` starts a
//! comment), compiled into the binary: adding a type word is adding a line.

use std::sync::LazyLock;

use crate::model::Category;

/// A fault in a lexicon file, named by file and line: the test run loads every file
/// (`lexicon::check`), so a typo fails the build's tests instead of silently dropping a word.
#[derive(Debug, thiserror::Error)]
#[error("src/extract/lexicon/{file}, line {line}: {problem}")]
pub struct LexiconError {
    pub file: &'static str,
    pub line: usize,
    pub problem: String,
}

/// What the columns of a lexicon file are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Columns {
    /// One word a line.
    Word,
    /// word, category key (type_words.tsv).
    WordCategory,
    /// word, category key, an example with the item in 【】 (item_kinds.tsv).
    WordCategoryExample,
    /// word, kind, part of the text, an example with the project in 【】, the status it gives
    /// (status_words.tsv).
    StatusWord,
}

/// The kinds a status word may have (status.rs reads each kind's words, in file order).
pub const STATUS_KINDS: &[&str] = &[
    "done",
    "under_way",
    "on_paper",
    "working",
    "designated",
    "standing",
];
/// The parts of a text a status word's example may stand in.
pub const TEXT_PARTS: &[&str] = &["review", "plan", "goal"];

/// Every lexicon file, with its columns.
pub const FILES: &[(&str, &str, Columns)] = &[
    (
        "type_words.tsv",
        include_str!("lexicon/type_words.tsv"),
        Columns::WordCategory,
    ),
    (
        "item_kinds.tsv",
        include_str!("lexicon/item_kinds.tsv"),
        Columns::WordCategoryExample,
    ),
    (
        "status_words.tsv",
        include_str!("lexicon/status_words.tsv"),
        Columns::StatusWord,
    ),
    (
        "left_boundaries.tsv",
        include_str!("lexicon/left_boundaries.tsv"),
        Columns::Word,
    ),
    (
        "generic_words.tsv",
        include_str!("lexicon/generic_words.tsv"),
        Columns::Word,
    ),
    (
        "count_words.tsv",
        include_str!("lexicon/count_words.tsv"),
        Columns::Word,
    ),
    (
        "weak_boundaries.tsv",
        include_str!("lexicon/weak_boundaries.tsv"),
        Columns::Word,
    ),
    (
        "continuations.tsv",
        include_str!("lexicon/continuations.tsv"),
        Columns::Word,
    ),
    (
        "not_projects.tsv",
        include_str!("lexicon/not_projects.tsv"),
        Columns::Word,
    ),
    (
        "trailing_qualifiers.tsv",
        include_str!("lexicon/trailing_qualifiers.tsv"),
        Columns::Word,
    ),
    (
        "not_items.tsv",
        include_str!("lexicon/not_items.tsv"),
        Columns::Word,
    ),
    (
        "weak_types.tsv",
        include_str!("lexicon/weak_types.tsv"),
        Columns::Word,
    ),
    (
        "proper_sites.tsv",
        include_str!("lexicon/proper_sites.tsv"),
        Columns::Word,
    ),
    (
        "list_counts.tsv",
        include_str!("lexicon/list_counts.tsv"),
        Columns::Word,
    ),
    (
        "proper_words.tsv",
        include_str!("lexicon/proper_words.tsv"),
        Columns::Word,
    ),
    (
        "common_words.tsv",
        include_str!("lexicon/common_words.tsv"),
        Columns::Word,
    ),
    (
        "not_place_items.tsv",
        include_str!("lexicon/not_place_items.tsv"),
        Columns::Word,
    ),
];

/// The rows of a lexicon file, each its fields, checked against its columns: blank lines and
/// `#` comments skipped; a wrong number of fields, an empty or spaced word, an unknown
/// category, kind, part or status, an example without its name in 【】, or a word twice is an
/// error naming the file and the line.
pub fn parse(
    file: &'static str,
    text: &'static str,
    columns: Columns,
) -> Result<Vec<Vec<&'static str>>, LexiconError> {
    let mut rows = Vec::new();
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let fault = |problem: String| LexiconError {
            file,
            line,
            problem,
        };
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = l.split('\t').map(str::trim).collect();
        let want = match columns {
            Columns::Word => 1,
            Columns::WordCategory => 2,
            Columns::WordCategoryExample => 3,
            Columns::StatusWord => 5,
        };
        if fields.len() != want {
            return Err(fault(format!(
                "{} tab-separated fields, want {want}",
                fields.len()
            )));
        }
        let word = fields[0];
        if word.is_empty() || word.contains(char::is_whitespace) {
            return Err(fault(format!("{word:?} is no word")));
        }
        if let Some(first) = seen.insert(word, line) {
            return Err(fault(format!("{word} is already on line {first}")));
        }
        let example = |f: &str| {
            if f.contains('【') && f.contains('】') {
                Ok(())
            } else {
                Err(fault(format!("the example {f:?} has no name in 【】")))
            }
        };
        match columns {
            Columns::Word => {}
            Columns::WordCategory | Columns::WordCategoryExample => {
                if Category::from_key(fields[1]).is_none() {
                    return Err(fault(format!("unknown category {:?}", fields[1])));
                }
                if columns == Columns::WordCategoryExample {
                    example(fields[2])?;
                }
            }
            Columns::StatusWord => {
                if !STATUS_KINDS.contains(&fields[1]) {
                    return Err(fault(format!(
                        "unknown kind {:?} (one of {})",
                        fields[1],
                        STATUS_KINDS.join(", ")
                    )));
                }
                if !TEXT_PARTS.contains(&fields[2]) {
                    return Err(fault(format!("unknown part {:?}", fields[2])));
                }
                example(fields[3])?;
                if super::Status::from_key(fields[4]).is_none() {
                    return Err(fault(format!("unknown status {:?}", fields[4])));
                }
            }
        }
        rows.push(fields);
    }
    Ok(rows)
}

/// Loads every lexicon file; the first fault of each.
pub fn check() -> Vec<LexiconError> {
    FILES
        .iter()
        .filter_map(|&(file, text, columns)| parse(file, text, columns).err())
        .collect()
}

/// A lexicon file's rows. The files are compiled in and `check` runs in the test suite, so a
/// fault here is a build that did not pass its tests.
fn table(file: &str) -> Vec<Vec<&'static str>> {
    let Some(&(name, text, columns)) = FILES.iter().find(|(f, _, _)| *f == file) else {
        panic!("no lexicon file {file}");
    };
    parse(name, text, columns).unwrap_or_else(|e| panic!("{e}"))
}

/// The words of a one-word-a-line file.
fn words(file: &str) -> Vec<&'static str> {
    table(file).into_iter().map(|r| r[0]).collect()
}

/// A word that ends a project's name ("type word"), with the category it gives
/// (`type_words.tsv`: word, tab, category key).
pub static TYPE_WORDS: LazyLock<Vec<(&'static str, Category)>> = LazyLock::new(|| {
    table("type_words.tsv")
        .into_iter()
        .filter_map(|r| Some((r[0], Category::from_key(r[1])?)))
        .collect()
});

/// Words that give a category to a bare item of a list the text calls projects
/// (`item_kinds.tsv`: word, tab, category key, then the word's example).
pub static ITEM_KINDS: LazyLock<Vec<(&'static str, Category)>> = LazyLock::new(|| {
    table("item_kinds.tsv")
        .into_iter()
        .filter_map(|r| Some((r[0], Category::from_key(r[1])?)))
        .collect()
});

/// The domain words of a project list's closer (等重点旅游项目) and the category they give.
pub const CLOSER_KINDS: &[(&str, Category)] = &[
    ("旅游", Category::Scenic),
    ("水利", Category::Water),
    ("能源", Category::Energy),
    ("公路", Category::Highway),
];

/// Words that say what state a project is in, with their kind (`status_words.tsv`: word, tab,
/// done | under_way | on_paper | working | designated | standing, then the word's example).
pub static STATUS_WORDS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    // (the columns after the kind are the word's example, for tests/extract.rs)
    table("status_words.tsv")
        .into_iter()
        .map(|r| (r[0], r[1]))
        .collect()
});

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| words($file));
    };
}

word_list!(
    /// Words that end a name's left edge: verbs and function words plans wrap around projects.
    LEFT_BOUNDARIES,
    "left_boundaries.tsv"
);
word_list!(
    /// Modifiers that say "a class, not a thing" (支线, 小型, 重点 …).
    GENERIC_WORDS,
    "generic_words.tsv"
);
word_list!(
    /// Measure words after a number that make a count of things (5座, 3条).
    COUNT_WORDS,
    "count_words.tsv"
);
word_list!(
    /// Boundaries that are skipped when what they leave is generic (和, 与 …).
    WEAK_BOUNDARIES,
    "weak_boundaries.tsv"
);
word_list!(
    /// Words after a type word that show it is a modifier of something else (铁路局, 口岸经济).
    CONTINUATIONS,
    "continuations.tsv"
);
word_list!(
    /// Whole names that are organisations or programmes, never projects.
    NOT_PROJECTS,
    "not_projects.tsv"
);
word_list!(
    /// Qualifiers allowed right after a type word, still part of the name (西区, 一号线).
    TRAILING_QUALIFIERS,
    "trailing_qualifiers.tsv"
);
word_list!(
    /// Words that show an enumeration item is a project of its own kind, not a bare place.
    NOT_ITEMS,
    "not_items.tsv"
);
word_list!(
    /// Type words that name real projects but also ordinary things: a name ending in one needs
    /// a known place in it.
    WEAK_TYPES,
    "weak_types.tsv"
);
word_list!(
    /// Weak type words of sites a proper noun alone may name (苏巴什古城).
    PROPER_SITES,
    "proper_sites.tsv"
);
word_list!(
    /// Counts that, like 等, close a list whose items share the type word after them.
    LIST_COUNTS,
    "list_counts.tsv"
);
word_list!(
    /// Words that name one thing though the segmenter takes them for common words (丝绸之路).
    PROPER_WORDS,
    "proper_words.tsv"
);
word_list!(
    /// Words the segmenter takes for names that plans use as common words (山区, 中山).
    COMMON_WORDS,
    "common_words.tsv"
);
word_list!(
    /// Enumeration items that are no places (中吉, 中塔: China and a neighbour).
    NOT_PLACE_ITEMS,
    "not_place_items.tsv"
);

/// Characters that separate clauses; names never cross them.
pub fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '。' | '；' | '！' | '？' | '，' | '：' | ',' | ';' | ':' | '!' | '?' | '\t' | '\n' | '\r'
    ) || c == '“'
        || c == '”'
        || c == '"'
        || c == '《'
        || c == '》'
        || c == '「'
        || c == '」'
}

/// Items of an enumeration: 喀拉也木勒、锡伯图、巴音沟等水库.
pub const ENUM_SEPARATOR: char = '、';

/// Separators that join items but are not 、 (景区+森林公园, 甲/乙).
pub fn is_item_break(c: char) -> bool {
    matches!(c, '、' | '+' | '＋' | '/' | '／' | ' ' | '　')
}

/// Type words of ring roads, which a city names by their side alone (西绕城高速, 东二环路).
pub const RING_ROADS: &[&str] = &[
    "绕城高速",
    "绕城高速路",
    "绕城公路",
    "二环路",
    "三环路",
    "外环路",
    "环城路",
];

/// Characters that join the items of a list (甲、乙和丙, 甲及乙, 甲以及乙).
pub fn is_list_joiner(c: char) -> bool {
    matches!(c, '、' | '和' | '及' | '与' | '以' | ' ' | '　')
}

/// Single characters that, in front of a place, are grammar rather than name (将, 把, 以 …).
pub const FUNCTION_CHARS: &str = "将把以由经使其该为对向从在于至";

/// Characters that end the name of an area (功能区, 水源地, 产业园): before a 和 they show the
/// left side is a thing of its own, so the 和 joins two things rather than standing in a name.
pub fn is_zone_end(c: char) -> bool {
    // (程 of 工程, 目 of 项目, 产 of 遗产, 施 of 设施: whole things too)
    matches!(
        c,
        '区' | '地' | '园' | '场' | '站' | '厂' | '库' | '线' | '路' | '程' | '目' | '产' | '施'
    )
}

/// Characters that, standing alone in a name of common words, add nothing that names one thing
/// (级 in 国家AAAA级, 区 in 集镇区).
pub const CLASS_CHARS: &str = "级型类个座条处家片区带段期号线的之和及与等各新老大小中";
