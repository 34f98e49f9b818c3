//! The rules of extraction, written as data: which words end a project's name and what category
//! they give, which words bound a name on its left, and which modifiers say "a class, not a thing".
//!
//! The word lists are the TSV files in `lexicon/` beside this file, one word (or character) a
//! line with its columns (`#` starts a comment), compiled into the binary: adding a type word
//! is adding a line. Each file is checked when loaded ([`parse`], [`check`]); where the order of
//! words decides, a priority column says so; `#>` lines are examples the tests run
//! ([`examples`]).

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
    /// word, kind, priority, part of the text, an example with the project in 【】, the status
    /// it gives (status_words.tsv).
    StatusWord,
    /// word, action key, priority (action_words.tsv).
    WordAction,
    /// word, the part of a report its heading opens: review or plan (report_parts.tsv).
    WordPart,
    /// One character a line; `U+XXXX` for one that cannot be written bare (a space).
    Char,
}

/// The kinds a status word may have (status.rs tries each kind's words by their priority).
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
    (
        "action_words.tsv",
        include_str!("lexicon/action_words.tsv"),
        Columns::WordAction,
    ),
    (
        "report_parts.tsv",
        include_str!("lexicon/report_parts.tsv"),
        Columns::WordPart,
    ),
    (
        "site_works.tsv",
        include_str!("lexicon/site_works.tsv"),
        Columns::Word,
    ),
    (
        "foundations.tsv",
        include_str!("lexicon/foundations.tsv"),
        Columns::Word,
    ),
    (
        "list_openers.tsv",
        include_str!("lexicon/list_openers.tsv"),
        Columns::Word,
    ),
    (
        "designation_verbs.tsv",
        include_str!("lexicon/designation_verbs.tsv"),
        Columns::Word,
    ),
    (
        "designation_adverbs.tsv",
        include_str!("lexicon/designation_adverbs.tsv"),
        Columns::Word,
    ),
    (
        "ring_roads.tsv",
        include_str!("lexicon/ring_roads.tsv"),
        Columns::Word,
    ),
    (
        "wrapper_words.tsv",
        include_str!("lexicon/wrapper_words.tsv"),
        Columns::Word,
    ),
    (
        "township_suffixes.tsv",
        include_str!("lexicon/township_suffixes.tsv"),
        Columns::Word,
    ),
    (
        "port_modes.tsv",
        include_str!("lexicon/port_modes.tsv"),
        Columns::Word,
    ),
    (
        "road_words.tsv",
        include_str!("lexicon/road_words.tsv"),
        Columns::Word,
    ),
    (
        "year_openers.tsv",
        include_str!("lexicon/year_openers.tsv"),
        Columns::Word,
    ),
    (
        "closer_kinds.tsv",
        include_str!("lexicon/closer_kinds.tsv"),
        Columns::WordCategory,
    ),
    (
        "numerals.tsv",
        include_str!("lexicon/numerals.tsv"),
        Columns::Char,
    ),
    (
        "etc_quantifiers.tsv",
        include_str!("lexicon/etc_quantifiers.tsv"),
        Columns::Word,
    ),
    (
        "pair_joiners.tsv",
        include_str!("lexicon/pair_joiners.tsv"),
        Columns::Word,
    ),
    (
        "plan_review_words.tsv",
        include_str!("lexicon/plan_review_words.tsv"),
        Columns::Word,
    ),
    (
        "grade_applications.tsv",
        include_str!("lexicon/grade_applications.tsv"),
        Columns::Word,
    ),
    (
        "function_chars.tsv",
        include_str!("lexicon/function_chars.tsv"),
        Columns::Char,
    ),
    (
        "class_chars.tsv",
        include_str!("lexicon/class_chars.tsv"),
        Columns::Char,
    ),
    (
        "zone_ends.tsv",
        include_str!("lexicon/zone_ends.tsv"),
        Columns::Char,
    ),
    (
        "list_joiners.tsv",
        include_str!("lexicon/list_joiners.tsv"),
        Columns::Char,
    ),
    (
        "list_measures.tsv",
        include_str!("lexicon/list_measures.tsv"),
        Columns::Char,
    ),
    (
        "place_feature_chars.tsv",
        include_str!("lexicon/place_feature_chars.tsv"),
        Columns::Char,
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
    let mut ranked: std::collections::HashMap<(String, u32), usize> =
        std::collections::HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let fault = |problem: String| LexiconError {
            file,
            line,
            problem,
        };
        let l = raw.trim();
        if let Some(ex) = l.strip_prefix(EXAMPLE) {
            example_of(ex).ok_or_else(|| {
                fault(format!(
                    "an example is `{EXAMPLE} sentence => name; name` (or `=> -` for none)"
                ))
            })?;
            continue;
        }
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let fields: Vec<&'static str> = l.split('\t').map(str::trim).collect();
        let want = match columns {
            Columns::Word | Columns::Char => 1,
            Columns::WordCategory | Columns::WordPart => 2,
            Columns::WordCategoryExample | Columns::WordAction => 3,
            Columns::StatusWord => 6,
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
        if columns == Columns::Char && char_of(word).is_none() {
            return Err(fault(format!("{word:?} is not one character (or U+XXXX)")));
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
        // where order decides, the file says it: a priority, unique among the words it ranks
        let mut priority = |f: &str, rank: &str| -> Result<(), LexiconError> {
            let p: u32 = f
                .parse()
                .map_err(|_| fault(format!("priority {f:?} is not a whole number")))?;
            if let Some(first) = ranked.insert((rank.to_string(), p), line) {
                return Err(fault(format!(
                    "priority {p} of {rank} is already on line {first}"
                )));
            }
            Ok(())
        };
        match columns {
            Columns::Word | Columns::Char => {}
            Columns::WordAction => {
                if super::Action::from_key(fields[1]).is_none() {
                    return Err(fault(format!("unknown action {:?}", fields[1])));
                }
                priority(fields[2], "actions")?;
            }
            Columns::WordPart => {
                if !["review", "plan"].contains(&fields[1]) {
                    return Err(fault(format!(
                        "unknown part {:?} (review or plan)",
                        fields[1]
                    )));
                }
            }
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
                priority(fields[2], fields[1])?;
                if !TEXT_PARTS.contains(&fields[3]) {
                    return Err(fault(format!("unknown part {:?}", fields[3])));
                }
                example(fields[4])?;
                if super::Status::from_key(fields[5]).is_none() {
                    return Err(fault(format!("unknown status {:?}", fields[5])));
                }
            }
        }
        rows.push(fields);
    }
    Ok(rows)
}

/// How a word list's example starts: `#> sentence => name; name`, the names the whole pipeline
/// finds in the sentence (`=> -` for none). `tests/extract.rs` runs every example of every file.
pub const EXAMPLE: &str = "#>";

/// An example of a word list: the sentence, and the names the pipeline must find in it.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub file: &'static str,
    pub line: usize,
    pub sentence: &'static str,
    pub names: Vec<&'static str>,
}

fn example_of(text: &'static str) -> Option<(&'static str, Vec<&'static str>)> {
    let (sentence, names) = text.split_once("=>")?;
    let sentence = sentence.trim();
    let names = names.trim();
    if sentence.is_empty() || names.is_empty() {
        return None;
    }
    let names = if names == "-" {
        Vec::new()
    } else {
        names.split(';').map(str::trim).collect()
    };
    names
        .iter()
        .all(|n| !n.is_empty())
        .then_some((sentence, names))
}

/// Every example of every lexicon file, in file order.
pub fn examples() -> Vec<Example> {
    let mut out = Vec::new();
    for &(file, text, _) in FILES {
        for (i, raw) in text.lines().enumerate() {
            if let Some((sentence, names)) = raw.trim().strip_prefix(EXAMPLE).and_then(example_of) {
                out.push(Example {
                    file,
                    line: i + 1,
                    sentence,
                    names,
                });
            }
        }
    }
    out
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

/// The domain words of a project list's closer (等重点旅游项目) and the category they give
/// (`closer_kinds.tsv`).
pub static CLOSER_KINDS: LazyLock<Vec<(&'static str, Category)>> = LazyLock::new(|| {
    table("closer_kinds.tsv")
        .into_iter()
        .filter_map(|r| Some((r[0], Category::from_key(r[1])?)))
        .collect()
});

/// Words that say what state a project is in, with their kind, by priority within a kind
/// (`status_words.tsv`: word, kind, priority, then the word's example).
pub static STATUS_WORDS: LazyLock<Vec<(&'static str, &'static str)>> = LazyLock::new(|| {
    // (the columns after the priority are the word's example, for tests/extract.rs)
    let mut rows: Vec<(u32, &str, &str)> = table("status_words.tsv")
        .into_iter()
        .map(|r| (r[2].parse().unwrap_or(u32::MAX), r[0], r[1]))
        .collect();
    rows.sort_by_key(|&(p, _, _)| p);
    rows.into_iter().map(|(_, w, k)| (w, k)).collect()
});

/// Words that say what is done to a clause's projects, by priority: the first found decides
/// (`action_words.tsv`: word, action key, priority).
pub static ACTION_WORDS: LazyLock<Vec<(&'static str, super::Action)>> = LazyLock::new(|| {
    let mut rows: Vec<(u32, &str, super::Action)> = table("action_words.tsv")
        .into_iter()
        .filter_map(|r| Some((r[2].parse().ok()?, r[0], super::Action::from_key(r[1])?)))
        .collect();
    rows.sort_by_key(|&(p, _, _)| p);
    rows.into_iter().map(|(_, w, a)| (w, a)).collect()
});

/// Words of a heading that open a report's review (`true`) or its plan (`false`)
/// (`report_parts.tsv`).
pub static REPORT_PARTS: LazyLock<Vec<(&'static str, bool)>> = LazyLock::new(|| {
    table("report_parts.tsv")
        .into_iter()
        .map(|r| (r[0], r[1] == "review"))
        .collect()
});

/// A character field: the character, or `U+XXXX`.
fn char_of(field: &str) -> Option<char> {
    if let Some(hex) = field.strip_prefix("U+") {
        return u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
    }
    let mut cs = field.chars();
    let c = cs.next()?;
    cs.next().is_none().then_some(c)
}

/// The characters of a one-character-a-line file.
fn chars(file: &str) -> Vec<char> {
    table(file)
        .into_iter()
        .filter_map(|r| char_of(r[0]))
        .collect()
}

macro_rules! char_set {
    ($(#[$doc:meta])* $name:ident, $file:literal) => {
        $(#[$doc])*
        pub static $name: LazyLock<Vec<char>> = LazyLock::new(|| chars($file));
    };
}

char_set!(
    /// Single characters that, in front of a place, are grammar rather than name (将, 把, 以 …).
    FUNCTION_CHARS,
    "function_chars.tsv"
);
char_set!(
    /// Characters that, standing alone in a name of common words, add nothing that names one
    /// thing (级 in 国家AAAA级, 区 in 集镇区).
    CLASS_CHARS,
    "class_chars.tsv"
);
char_set!(
    /// Characters that end the name of an area (功能区, 水源地, 产业园): before a 和 they show
    /// the left side is a thing of its own.
    ZONE_ENDS,
    "zone_ends.tsv"
);
char_set!(
    /// Characters that join the items of a list (甲、乙和丙, 甲及乙, 甲以及乙).
    LIST_JOINERS,
    "list_joiners.tsv"
);
char_set!(
    /// Measure words of a count that closes a list (三条, 两个, 五处).
    LIST_MEASURES,
    "list_measures.tsv"
);
char_set!(
    /// The characters counts are written with besides ASCII digits (三大, 两个, 几条).
    NUMERALS,
    "numerals.tsv"
);
char_set!(
    /// Characters that make a place's name a feature's (玛纳斯 → 玛纳斯河, 天池 → 天池山).
    PLACE_FEATURE_CHARS,
    "place_feature_chars.tsv"
);

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
word_list!(
    /// Type words of ring roads, which a city names by their side alone (西绕城高速, 东二环路).
    RING_ROADS,
    "ring_roads.tsv"
);
word_list!(
    /// Words of work done on a site, which make a standing site a project under way.
    SITE_WORKS,
    "site_works.tsv"
);
word_list!(
    /// What a plan builds on, after 为 (以…为骨架, 为两翼): a facility that stands.
    FOUNDATIONS,
    "foundations.tsv"
);
word_list!(
    /// Words of a working facility that, opening a clause, lean on every item of its list
    /// (依托西白杨沟、菊花台等景区).
    LIST_OPENERS,
    "list_openers.tsv"
);
word_list!(
    /// Verbs that give a site a grade or a standing (创建为, 成为, 申报).
    DESIGNATION_VERBS,
    "designation_verbs.tsv"
);
word_list!(
    /// Words plans wrap around a name (工程, 项目, 建设), dropped from its merge key.
    WRAPPER_WORDS,
    "wrapper_words.tsv"
);
word_list!(
    /// Ends of a township's name its namesake valley or lake does without (镇, 乡, 街道).
    TOWNSHIP_SUFFIXES,
    "township_suffixes.tsv"
);
word_list!(
    /// Words of a port that is no land port (航空, 铁路, 公路).
    PORT_MODES,
    "port_modes.tsv"
);
word_list!(
    /// Words that call a list of road numbers roads (高速公路, 公路).
    ROAD_WORDS,
    "road_words.tsv"
);
word_list!(
    /// What follows 今年 or the report's year when a paragraph opens the year's plan.
    YEAR_OPENERS,
    "year_openers.tsv"
);
word_list!(
    /// Quantifiers that may stand between 等 and the words its list shares (等一批水库).
    ETC_QUANTIFIERS,
    "etc_quantifiers.tsv"
);
word_list!(
    /// Joiners between two places at the head of one name (乌鲁木齐和克拉玛依云计算基地).
    PAIR_JOINERS,
    "pair_joiners.tsv"
);
word_list!(
    /// Words a plan's heading opens with when its part reviews the years before (发展基础, 现状).
    PLAN_REVIEW_WORDS,
    "plan_review_words.tsv"
);
word_list!(
    /// Verbs of a site applying for a grade (申报, 创建).
    GRADE_APPLICATIONS,
    "grade_applications.tsv"
);
word_list!(
    /// Words that may stand between a designation's subject and its verb (被, 成功).
    DESIGNATION_ADVERBS,
    "designation_adverbs.tsv"
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

/// Whether a character is one of the pair joiners (和, 与, 及: `pair_joiners.tsv`).
pub fn is_pair_joiner(c: char) -> bool {
    PAIR_JOINERS
        .iter()
        .any(|j| j.chars().eq(std::iter::once(c)))
}

/// Characters that join the items of a list (`list_joiners.tsv`).
pub fn is_list_joiner(c: char) -> bool {
    LIST_JOINERS.contains(&c)
}

/// Characters that end the name of an area (`zone_ends.tsv`).
pub fn is_zone_end(c: char) -> bool {
    ZONE_ENDS.contains(&c)
}
