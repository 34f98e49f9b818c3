//! The rules of extraction, written as data: which words end a project's name and what category
//! they give, which words bound a name on its left, and which modifiers say "a class, not a thing".
//!
//! The word lists are the TSV files in `lexicon/` beside this file, one word a line (`#` starts a
//! comment), compiled into the binary: adding a type word is adding a line.

use std::sync::LazyLock;

use crate::model::Category;

/// The words of a list file: one a line, blank lines and `#` comments skipped.
fn words(file: &'static str) -> Vec<&'static str> {
    file.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// A word that ends a project's name ("type word"), with the category it gives
/// (`type_words.tsv`: word, tab, category key).
pub static TYPE_WORDS: LazyLock<Vec<(&'static str, Category)>> = LazyLock::new(|| {
    words(include_str!("lexicon/type_words.tsv"))
        .into_iter()
        .filter_map(|l| {
            let (w, c) = l.split_once('\t')?;
            Some((w.trim(), Category::from_key(c.trim())?))
        })
        .collect()
});

/// Words that give a category to a bare item of a list the text calls projects
/// (`item_kinds.tsv`: word, tab, category key, then the word's example).
pub static ITEM_KINDS: LazyLock<Vec<(&'static str, Category)>> = LazyLock::new(|| {
    words(include_str!("lexicon/item_kinds.tsv"))
        .into_iter()
        .filter_map(|l| {
            let mut fields = l.split('\t');
            Some((
                fields.next()?.trim(),
                Category::from_key(fields.next()?.trim())?,
            ))
        })
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
    words(include_str!("lexicon/status_words.tsv"))
        .into_iter()
        .filter_map(|l| {
            // (the columns after the kind are the word's example, for tests/extract.rs)
            let mut fields = l.split('\t');
            Some((fields.next()?.trim(), fields.next()?.trim()))
        })
        .collect()
});

macro_rules! word_list {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<Vec<&'static str>> =
            LazyLock::new(|| words(include_str!(concat!("lexicon/", $file))));
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
