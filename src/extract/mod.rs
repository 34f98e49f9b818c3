//! Extraction: plan text in, named projects out, each with its provenance.
//!
//! The scanner works clause by clause. A project's name ends in a type word from the lexicon
//! (水库, 铁路, 工业园 …) and starts after the last verb or function word before it; a name whose
//! left part is only generic modifiers (支线机场, 小型水库) names a class and is dropped, unless it
//! closes an enumeration (锡伯图、巴音沟等水库), whose items each become a project. Places from the
//! gazetteer protect their own characters (和丰 is not 和 + 丰).

pub mod lexicon;
mod spans;
mod text;

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use sha2::{Digest, Sha256};

use crate::gazetteer::Gazetteer;
use crate::model::{Action, Category, Document, Mention};
use spans::{Bounds, Spans};
pub use text::{document_period, document_title, DocumentError, MAX_DOCUMENT_BYTES};

/// Longest name kept; longer spans are sentences, not names.
const MAX_NAME_CHARS: usize = 40;
/// Longest enumeration item that inherits a type word (锡伯图 + 水库).
const MAX_ITEM_CHARS: usize = 10;
/// Longest bare item that inherits a name's tail without a 等 (乌鲁木齐、吐鲁番、伊宁机场).
const MAX_SHARED_ITEM_CHARS: usize = 6;
/// Most items of one enumeration that inherit a type word.
const MAX_ENUM_ITEMS: usize = 40;
/// How far before 等 its items are looked for, in characters.
const MAX_ENUM_CHARS: usize = 400;
/// How far after a name its investment is looked for, in characters.
const INVESTMENT_WINDOW: usize = 30;
/// How much text before a mention the geocoder may read, in characters.
const CONTEXT_CHARS: usize = 120;
/// Longest quote kept in a mention, in characters.
const MAX_QUOTE_CHARS: usize = 60;

/// Where a mention stood: what the geocoder may read beside the name.
#[derive(Clone, Debug, Default)]
pub struct Context {
    /// The clause the name stood in, up to the name.
    pub clause: String,
    /// The line up to the name.
    pub line_before: String,
    /// The nearest heading above the line.
    pub heading: Option<String>,
}

/// One project as found at one place in one document.
#[derive(Clone, Debug)]
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
    pub mentions: Vec<Mention>,
    pub contexts: Vec<Context>,
}

/// The compiled rules. Build once, run over any number of documents.
pub struct Extractor {
    types: AhoCorasick,
    boundaries: AhoCorasick,
    generic: AhoCorasick,
    not_projects: AhoCorasick,
    highway_number: regex::Regex,
    numbered_road: regex::Regex,
    investment: regex::Regex,
}

impl Extractor {
    pub fn new() -> Self {
        let build = |words: Vec<&str>, kind: MatchKind| {
            AhoCorasickBuilder::new()
                .match_kind(kind)
                .build(words)
                .expect("lexicon patterns are plain strings")
        };
        Extractor {
            types: build(
                lexicon::TYPE_WORDS.iter().map(|(w, _)| *w).collect(),
                MatchKind::LeftmostLongest,
            ),
            // every occurrence: the last one before a type word is the one that counts
            boundaries: build(lexicon::LEFT_BOUNDARIES.to_vec(), MatchKind::Standard),
            generic: build(lexicon::GENERIC_WORDS.to_vec(), MatchKind::LeftmostLongest),
            not_projects: build(lexicon::NOT_PROJECTS.to_vec(), MatchKind::LeftmostLongest),
            highway_number: regex::Regex::new(r"[GS]\s?\d{1,4}(?:\s?线)?").expect("fixed pattern"),
            numbered_road: regex::Regex::new(r"\d{3}(?:国道|省道)").expect("fixed pattern"),
            investment: regex::Regex::new(r"投资(?:约|达|近|超过)?\s*(\d+(?:\.\d+)?)\s*亿元")
                .expect("fixed pattern"),
        }
    }

    /// Every project mention in one document, in text order.
    pub fn extract_document(&self, gaz: &Gazetteer, doc: &Document) -> Vec<Found> {
        let mut out = Vec::new();
        let mut heading: Option<String> = None;
        for (i, line) in doc.text.lines().enumerate() {
            if text::is_heading(line) {
                heading = Some(line.trim().to_string());
            }
            self.scan_line(gaz, &doc.name, i + 1, line, heading.as_deref(), &mut out);
        }
        out
    }

    fn scan_line(
        &self,
        gaz: &Gazetteer,
        doc: &str,
        line_no: usize,
        line: &str,
        heading: Option<&str>,
        out: &mut Vec<Found>,
    ) {
        let chars: Vec<char> = line.chars().collect();
        let mut start = 0;
        for end in 0..=chars.len() {
            if end == chars.len() || lexicon::is_clause_break(chars[end]) {
                if end > start {
                    let clause = Clause {
                        chars: &chars[start..end],
                        line_chars: &chars,
                        offset: start,
                    };
                    let before = out.len();
                    self.scan_clause(gaz, &clause, out);
                    mask_siblings(&chars, start, &mut out[before..]);
                    for f in &mut out[before..] {
                        f.mention.doc = doc.to_string();
                        f.mention.line = line_no;
                        f.context.heading = heading.map(str::to_string);
                    }
                }
                start = end + 1;
            }
        }
    }

    fn scan_clause(&self, gaz: &Gazetteer, c: &Clause<'_>, out: &mut Vec<Found>) {
        let s: String = c.chars.iter().collect();
        let b2c = byte_to_char(&s);
        let places: Vec<(usize, usize)> = gaz
            .find_names(&s)
            .iter()
            .map(|h| (b2c[h.start], b2c[h.end]))
            .collect();
        let types: Vec<(usize, usize, Category)> = self
            .types
            .find_iter(&s)
            .map(|m| {
                (
                    b2c[m.start()],
                    b2c[m.end()],
                    lexicon::TYPE_WORDS[m.pattern().as_usize()].1,
                )
            })
            .collect();
        let type_spans = Spans::new(types.iter().map(|t| (t.0, t.1)).collect());
        let place_spans = Spans::new(places);
        // boundaries inside a place name or a type word are not boundaries
        let bounds = Bounds::new(
            self.boundaries
                .find_overlapping_iter(&s)
                .map(|m| (b2c[m.start()], b2c[m.end()]))
                .filter(|&(bs, be)| !place_spans.overlaps(bs, be) && !type_spans.overlaps(bs, be))
                .collect(),
        );
        let action = self.action_of(&s);
        let mut found_here: Vec<(usize, usize)> = Vec::new();
        let emit = |out: &mut Vec<Found>, name: &str, category, start, end| {
            let investment = self.investment_after(c, end);
            out.push(self.found(c, name, category, action, investment, start, end));
        };
        let text = |a: usize, b: usize| -> String { c.chars[a..b].iter().collect() };

        for (k, &(ts, te0, category)) in types.iter().enumerate() {
            // 兰新铁路第二双线: a type word of the same kind right after extends the name
            let te0 = match types.get(k + 1) {
                Some(n) if n.0 == te0 && n.2 == category => n.1,
                _ => te0,
            };
            let te = self.extend_qualifiers(c.chars, te0);
            // a type word directly followed by another (园区 in 园区铁路专用线) is a modifier of the
            // longer name, which is scanned on its own
            if types.get(k + 1).is_some_and(|n| n.0 == te) && !ends_name(category) {
                continue;
            }
            // 四棵树矿区煤矿: a second type word of the same kind repeats the first
            if k > 0 && types[k - 1].1 == ts && types[k - 1].2 == category {
                continue;
            }
            let after = text(te, c.chars.len().min(te + 2));
            if lexicon::CONTINUATIONS.iter().any(|w| after.starts_with(w)) {
                continue;
            }
            let mut left = left_edge(c.chars, &bounds, ts, &[]);
            // 察和特220千伏输变电工程: a weak boundary that leaves a generic name is no boundary
            let mut skipped: Vec<(usize, usize)> = Vec::new();
            while ts - left <= MAX_NAME_CHARS && !self.is_specific(gaz, &text(left, ts)) {
                let Some(&weak) = bounds.ending_at(left).iter().find(|&&(bs, be)| {
                    !skipped.contains(&(bs, be))
                        && lexicon::WEAK_BOUNDARIES.contains(&text(bs, be).as_str())
                }) else {
                    break;
                };
                // 资源开采区和经济开发区: what stands before 和 is a whole thing of its own
                if weak.0 > 0
                    && (type_spans.ends_at(weak.0) || lexicon::is_zone_end(c.chars[weak.0 - 1]))
                {
                    break;
                }
                skipped.push(weak);
                left = left_edge(c.chars, &bounds, ts, &skipped);
            }
            if ts - left > MAX_NAME_CHARS {
                continue;
            }
            let type_word = text(ts, te);
            let left = skip_function_char(gaz, c.chars, left, ts);
            let core = text(left, ts);
            let name = trim_name(&text(left, te));
            let etc = etc_before(c.chars, &bounds, left);
            // 美丽新区, 学校公园: a weak type word needs a known place in the name
            let weak_type = lexicon::WEAK_TYPES.contains(&type_word.as_str())
                && gaz.find_names(&core).is_empty();
            if etc.is_none() && !weak_type && self.is_specific(gaz, &core) {
                if name.chars().count() > MAX_NAME_CHARS
                    || self.not_projects.is_match(&name)
                    || starts_with_count(&name)
                {
                    continue;
                }
                // 乌鲁木齐和克拉玛依云计算基地: two places sharing one name
                if let Some((first, second)) = self.split_and(gaz, &name) {
                    emit(out, &first, category, left, te);
                    emit(out, &second, category, left, te);
                } else {
                    let name = canonical_site_name(gaz, &name, category);
                    emit(out, &name, category, left, te);
                }
                found_here.push((left, te));
                // 和丰物流园、乌苏物流园、沙湾工业园铁路专用线: a line serving a zone is shared by
                // the zones listed before it
                if type_word.ends_with("专用线") && type_spans.ends_at(ts) {
                    for (is, ie) in zone_items_before(c.chars, left, &types) {
                        let item = trim_name(&text(is, ie));
                        emit(out, &format!("{item}{type_word}"), category, is, te);
                    }
                }
                // 改扩建乌鲁木齐、吐鲁番、伊宁机场: bare items before share the name's tail
                if let Some(shared) = shared_tail(gaz, &core, &type_word) {
                    // 乌鲁木齐和克拉玛依云计算基地: a place joined by 和 shares the tail too
                    if let Some((is, ie)) = place_joined_before(gaz, c.chars, left, &bounds) {
                        let item = text(is, ie);
                        if !self.types.is_match(&item) {
                            emit(out, &format!("{item}{shared}"), category, is, te);
                        }
                    }
                    for (is, ie) in enum_items_before(c.chars, left, &type_spans, &bounds) {
                        let item = trim_name(&text(is, ie));
                        if self.is_specific(gaz, &item)
                            && item.chars().count() <= MAX_SHARED_ITEM_CHARS
                            && !lexicon::NOT_ITEMS.iter().any(|w| item.contains(w))
                        {
                            emit(out, &format!("{item}{shared}"), category, is, te);
                        }
                    }
                }
            } else if let Some(e) = etc {
                // 喀拉也木勒、锡伯图、巴音沟等水库: each item before 等 gets the type word, and
                // what stands between 等 and it unless that is only generic (小型, 重点)
                let middle = text(left, ts);
                let shared = if self.is_generic(&middle) {
                    type_word.clone()
                } else {
                    format!("{middle}{type_word}")
                };
                let floor = e.saturating_sub(MAX_ENUM_CHARS);
                let stop = bounds
                    .last_end(e, floor, |(bs, be)| {
                        c.chars.get(bs) != Some(&'等') && be <= e
                    })
                    .unwrap_or(floor);
                for (is, ie) in split_items(c.chars, stop, e) {
                    if ie - is > MAX_ITEM_CHARS || type_spans.any_within(is, ie) {
                        continue;
                    }
                    let item = trim_name(&text(is, ie));
                    if item.chars().count() >= 2
                        && !self.is_generic(&item)
                        && !self.highway_number.is_match(&item)
                        && !has_count(&item)
                    {
                        emit(out, &format!("{item}{shared}"), category, is, te);
                        found_here.push((is, ie));
                    }
                }
            }
        }

        let found_spans = Spans::new(found_here);
        // 216国道, 103省道: a road by its number in words
        for m in self.numbered_road.find_iter(&s) {
            let (ms, me) = (b2c[m.start()], b2c[m.end()]);
            if found_spans.contains(ms, me) || (ms > 0 && c.chars[ms - 1].is_ascii_alphanumeric()) {
                continue;
            }
            emit(out, m.as_str(), Category::Highway, ms, me);
        }
        // G30, S201线: numbered roads not already inside a name
        for m in self.highway_number.find_iter(&s) {
            let (ms, me) = (b2c[m.start()], b2c[m.end()]);
            if found_spans.contains(ms, me) {
                continue;
            }
            if !m.as_str().ends_with('线')
                && c.chars.get(me).is_some_and(|ch| ch.is_ascii_alphanumeric())
            {
                continue;
            }
            if ms > 0 && c.chars[ms - 1].is_ascii_alphanumeric() {
                continue;
            }
            let number: String = m.as_str().chars().filter(|c| !c.is_whitespace()).collect();
            let written_line = number.ends_with('线');
            // G575线巴里坤-哈密, G7明水（新甘界）-哈密…等高速公路: endpoints after the number
            if let Some((end, tail)) = road_endpoints(c.chars, me) {
                let section: String = c.chars[me..end].iter().collect();
                let name = format!("{number}{section}{tail}");
                emit(out, &name, Category::Highway, ms, end);
                continue;
            }
            let mut name = number;
            if !written_line {
                // a bare G30 is a road's number in passing, not a project, unless it names the
                // road written before it (乌尉(G7011))
                let bracketed = ms > 0 && matches!(c.chars[ms - 1], '(' | '（');
                if !bracketed {
                    continue;
                }
                name.push('线');
            }
            // G219线和布克赛尔至阿拉山口段, S101线沙湾境内: the section named after the number
            let end = road_section_end(c.chars, me);
            name.extend(&c.chars[me..end]);
            emit(out, &name, Category::Highway, ms, end);
        }
    }

    /// The investment stated right after a name, before any other project's type word:
    /// 新建阿尔塔什水利枢纽，总投资约180亿元.
    fn investment_after(&self, c: &Clause<'_>, end: usize) -> Option<f64> {
        let from = c.offset + end;
        let to = c.line_chars.len().min(from + INVESTMENT_WINDOW);
        let rest: String = c.line_chars[from..to].iter().collect();
        let rest = rest.split(['。', '；', '、']).next().unwrap_or("");
        if self.types.is_match(rest) {
            return None;
        }
        self.investment
            .captures(rest)
            .and_then(|m| m.get(1))
            .and_then(|m| m.as_str().parse::<f64>().ok())
    }

    /// 乌鲁木齐和克拉玛依云计算基地 -> 乌鲁木齐云计算基地, 克拉玛依云计算基地: a 和/与/及 between
    /// two gazetteer places at the head of a name.
    fn split_and(&self, gaz: &Gazetteer, name: &str) -> Option<(String, String)> {
        let hits = gaz.find_names(name);
        let a = hits.first()?;
        if a.start != 0 {
            return None;
        }
        let rest = &name[a.end..];
        let joiner = ["和", "与", "及"]
            .into_iter()
            .find(|j| rest.starts_with(j))?;
        let b = hits.get(1)?;
        if b.start != a.end + joiner.len() {
            return None;
        }
        let second = &name[b.start..];
        let tail = &name[b.end..];
        Some((format!("{}{tail}", &name[..a.end]), second.to_string()))
    }

    fn extend_qualifiers(&self, chars: &[char], te: usize) -> usize {
        let rest: String = chars[te..chars.len().min(te + 4)].iter().collect();
        lexicon::TRAILING_QUALIFIERS
            .iter()
            .find(|q| rest.starts_with(*q))
            .map_or(te, |q| te + q.chars().count())
    }

    /// A name's left part is specific when a gazetteer place is in it, or when something other
    /// than generic modifiers, digits and punctuation is left of it.
    fn is_specific(&self, gaz: &Gazetteer, core: &str) -> bool {
        if core.chars().count() < 2 {
            return false;
        }
        if !gaz.find_names(core).is_empty() {
            return true;
        }
        !self.is_generic(core)
    }

    fn is_generic(&self, core: &str) -> bool {
        let rest = self
            .generic
            .replace_all(core, &vec![""; lexicon::GENERIC_WORDS.len()]);
        let meaningful = rest
            .chars()
            .filter(|c| !c.is_ascii_digit() && !c.is_ascii_punctuation() && !is_cjk_punct(*c))
            .filter(|c| !matches!(c, '±' | '×' | 'K' | 'k' | 'V' | 'v' | ' ' | '　'))
            .count();
        meaningful < 2
    }

    fn action_of(&self, clause: &str) -> Action {
        const RULES: &[(&str, Action)] = &[
            ("改扩建", Action::Expand),
            ("扩建", Action::Expand),
            ("增建二线", Action::Upgrade),
            ("扩能改造", Action::Upgrade),
            ("升级改造", Action::Upgrade),
            ("迁建", Action::Relocate),
            ("新建", Action::New),
            ("前期", Action::Plan),
            ("研究", Action::Plan),
            ("谋划", Action::Plan),
            ("保护", Action::Protect),
            ("建成", Action::Operate),
            ("通车", Action::Operate),
            ("投运", Action::Operate),
            ("已形成", Action::Operate),
            ("建设", Action::Build),
            ("推进", Action::Build),
            ("实施", Action::Build),
            ("打造", Action::Build),
            ("抓好", Action::Build),
            ("开工", Action::Build),
        ];
        RULES
            .iter()
            .find(|(w, _)| clause.contains(w))
            .map_or(Action::Unknown, |(_, a)| *a)
    }

    #[allow(clippy::too_many_arguments)]
    fn found(
        &self,
        c: &Clause<'_>,
        name: &str,
        category: Category,
        action: Action,
        investment_yi: Option<f64>,
        start: usize,
        end: usize,
    ) -> Found {
        Found {
            span: (c.offset + start, c.offset + end),
            name: name.to_string(),
            category,
            action,
            investment_yi,
            mention: Mention {
                doc: String::new(),
                line: 0,
                quote: c.quote(start, end),
            },
            context: Context {
                clause: c.chars[start.saturating_sub(CONTEXT_CHARS)..start]
                    .iter()
                    .collect(),
                line_before: sentence_before(c.line_chars, c.offset + start),
                heading: None,
            },
        }
    }
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

/// A clause of a line, by char indices into the line.
struct Clause<'a> {
    chars: &'a [char],
    line_chars: &'a [char],
    offset: usize,
}

impl Clause<'_> {
    /// A verbatim piece of the line around chars [start, end) of the clause, at most
    /// MAX_QUOTE_CHARS long, widened to the clause where room is left.
    fn quote(&self, start: usize, end: usize) -> String {
        let (s, e) = (self.offset + start, self.offset + end);
        let (cs, ce) = (self.offset, self.offset + self.chars.len());
        let mut qs = s;
        let mut qe = e.min(s + MAX_QUOTE_CHARS);
        while qe - qs < MAX_QUOTE_CHARS && (qs > cs || qe < ce) {
            if qs > cs {
                qs -= 1;
            }
            if qe < ce && qe - qs < MAX_QUOTE_CHARS {
                qe += 1;
            }
        }
        self.line_chars[qs..qe].iter().collect::<String>()
    }
}

/// The sentence a mention stands in, up to the mention (at most CONTEXT_CHARS): places of
/// earlier sentences belong to other things.
fn sentence_before(line: &[char], at: usize) -> String {
    let floor = at.saturating_sub(CONTEXT_CHARS);
    let from = line[floor..at]
        .iter()
        .rposition(|c| matches!(c, '。' | '；' | '！' | '？' | ';'))
        .map_or(floor, |i| floor + i + 1);
    line[from..at].iter().collect()
}

/// The geocoder reads the clause before a mention for a place; a place that belongs to an earlier
/// project of the same clause (哈密 in 哈密-郑州…工程、阿尔塔什水利枢纽) is not this one's. Blanks
/// those out of each mention's clause context.
fn mask_siblings(line: &[char], clause_start: usize, found: &mut [Found]) {
    let mut spans: Vec<(usize, usize)> = found.iter().map(|f| f.span).collect();
    spans.sort_unstable_by_key(|&(s, e)| (e, s));
    for f in found.iter_mut() {
        let s0 = f.span.0;
        let from = s0.saturating_sub(CONTEXT_CHARS).max(clause_start);
        let k = spans.partition_point(|sp| sp.1 <= s0);
        let earlier: Vec<(usize, usize)> = spans[..k]
            .iter()
            .rev()
            .take_while(|sp| sp.1 > from)
            .take(64)
            .copied()
            .collect();
        if earlier.is_empty() {
            continue;
        }
        f.context.clause = (from..s0)
            .map(|i| {
                if earlier.iter().any(|&(a, b)| a <= i && i < b) {
                    '　'
                } else {
                    line[i]
                }
            })
            .collect();
    }
}

/// Byte offset -> char index, for a string (len + 1 entries; only char boundaries are read).
fn byte_to_char(s: &str) -> Vec<usize> {
    let mut map = vec![0; s.len() + 1];
    let mut n = 0;
    for (b, ch) in s.char_indices() {
        map[b] = n;
        for k in 1..ch.len_utf8() {
            map[b + k] = n;
        }
        n += 1;
    }
    map[s.len()] = n;
    map
}

/// Type words after which another type word still belongs to the same name are those that name
/// zones; the others (机场, 铁路 …) end a name even when a type word follows.
fn ends_name(category: Category) -> bool {
    !matches!(
        category,
        Category::IndustrialPark | Category::Scenic | Category::Park
    )
}

fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '（' | '）' | '、' | '—' | '－' | '–' | '·' | '“' | '”' | '《' | '》' | '～' | '　'
    )
}

/// Where a name ending at type word start `ts` begins: after the last boundary word (other than
/// `skip`) or item separator. Looks back at most MAX_NAME_CHARS + 1 characters.
fn left_edge(chars: &[char], bounds: &Bounds, ts: usize, skip: &[(usize, usize)]) -> usize {
    let floor = ts.saturating_sub(MAX_NAME_CHARS + 1);
    let by_word = bounds
        .last_end(ts, floor, |b| !skip.contains(&b))
        .unwrap_or(0);
    let by_sep = chars[floor..ts]
        .iter()
        .rposition(|&c| lexicon::is_item_break(c))
        .map_or(floor, |i| floor + i + 1);
    let mut left = by_word.max(by_sep);
    // an unbalanced closing bracket at the start belongs to what came before
    while left < ts && matches!(chars[left], '）' | ')' | '-' | '—' | '、') {
        left += 1;
    }
    left
}

/// If the word before the name's left edge is 等 (or a count such as 三个), where the item list
/// ends.
fn etc_before(chars: &[char], bounds: &Bounds, left: usize) -> Option<usize> {
    bounds
        .ending_at(left)
        .iter()
        .find(|&&(bs, be)| {
            chars.get(bs) == Some(&'等')
                || lexicon::LIST_COUNTS.contains(&chars[bs..be].iter().collect::<String>().as_str())
        })
        .map(|(bs, _)| *bs)
}

/// Items separated by 、 in chars [from, to).
fn split_items(chars: &[char], from: usize, to: usize) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut s = from;
    let breaks = chars[from..to]
        .iter()
        .enumerate()
        .filter(|(_, c)| lexicon::is_item_break(**c))
        .map(|(i, _)| from + i);
    for i in breaks.chain(std::iter::once(to)) {
        if i > s {
            items.push((s, i));
        }
        s = i + 1;
    }
    items
}

/// What items of an enumeration before a name inherit from it: the name's core after its leading
/// place, and the type word (乌苏750KV输变电工程 gives 750KV输变电工程 to 和丰). Only short cores
/// share: a long one is a name of its own, not a place plus a shared tail.
fn shared_tail(gaz: &Gazetteer, core: &str, type_word: &str) -> Option<String> {
    if core.contains(ROUTE_SEPARATORS) {
        return Some(type_word.to_string());
    }
    let hits = gaz.find_names(core);
    match hits.first() {
        Some(h) if h.start == 0 => Some(format!("{}{type_word}", &core[h.end..])),
        _ if core.chars().count() <= 6 => Some(type_word.to_string()),
        _ => None,
    }
}

/// A port of entry named with extra words around its gazetteer name (简化巴克图口岸, 塔城市巴克图口岸)
/// is that port: one site, one name.
fn canonical_site_name(gaz: &Gazetteer, name: &str, category: Category) -> String {
    if category != Category::Port {
        return name.to_string();
    }
    gaz.find_names(name)
        .iter()
        .flat_map(|h| h.targets.iter())
        .find_map(|t| match t {
            crate::gazetteer::Target::Place(i) => {
                let p = gaz.place_at(*i);
                (p.kind == crate::gazetteer::PlaceKind::Port && name.contains(&p.name))
                    .then(|| p.name.clone())
            }
            _ => None,
        })
        .unwrap_or_else(|| name.to_string())
}

/// 将塔城机场, 把乌苏物流园: a one-character function word in front of a known place is not part
/// of the name. (将军庙 keeps its 将: 军庙 is no place.)
fn skip_function_char(gaz: &Gazetteer, chars: &[char], left: usize, ts: usize) -> usize {
    if left + 1 >= ts || !lexicon::FUNCTION_CHARS.contains(chars[left]) {
        return left;
    }
    let rest: String = chars[left + 1..ts].iter().collect();
    match gaz.find_names(&rest).first() {
        Some(h) if h.start == 0 => left + 1,
        _ => left,
    }
}

/// 塔城市5条河: an item that counts things is not one thing.
fn has_count(item: &str) -> bool {
    item.char_indices().any(|(i, c)| {
        c.is_ascii_digit()
            && !item[i + 1..].starts_with(|d: char| d.is_ascii_digit())
            && lexicon::COUNT_WORDS
                .iter()
                .any(|w| item[i + 1..].starts_with(w))
    })
}

/// 5座水库, 4800公里农村公路, 三大煤田: a count of things.
fn starts_with_count(name: &str) -> bool {
    let rest = name.trim_start_matches(|c: char| {
        c.is_ascii_digit() || "一二三四五六七八九十两百千万几多".contains(c)
    });
    rest.len() < name.len() && lexicon::COUNT_WORDS.iter().any(|w| rest.starts_with(w))
}

/// Items before a name, joined by 、, that each end in a zone's type word (物流园, 工业园, …),
/// possibly with a bracketed aside after it.
fn zone_items_before(
    chars: &[char],
    left: usize,
    types: &[(usize, usize, Category)],
) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut end = left;
    while end >= 2 && chars[end - 1] == lexicon::ENUM_SEPARATOR && items.len() < MAX_ENUM_ITEMS {
        let item_end = end - 1;
        // the zone's type word ends the item, or ends it before a bracketed aside
        let bare_end = if chars[item_end - 1] == '）' {
            chars[..item_end]
                .iter()
                .rposition(|&c| c == '（')
                .unwrap_or(item_end)
        } else {
            item_end
        };
        // (a two-character qualifier such as 西区 may follow the type word)
        let k = types.partition_point(|t| t.1 <= bare_end);
        let Some(&(ts, _, cat)) = k
            .checked_sub(1)
            .and_then(|k| types.get(k))
            .filter(|t| bare_end - t.1 <= 2)
        else {
            break;
        };
        if cat != Category::IndustrialPark {
            break;
        }
        let floor = ts.saturating_sub(MAX_ITEM_CHARS);
        let start = chars[floor..ts]
            .iter()
            .rposition(|&c| lexicon::is_item_break(c) || lexicon::is_clause_break(c))
            .map_or(floor, |i| floor + i + 1);
        if start >= ts {
            break;
        }
        items.push((start, item_end));
        end = start;
    }
    items
}

/// A gazetteer place joined to a name by 和/与/及 (乌鲁木齐和克拉玛依云计算基地 -> 乌鲁木齐).
fn place_joined_before(
    gaz: &Gazetteer,
    chars: &[char],
    left: usize,
    bounds: &Bounds,
) -> Option<(usize, usize)> {
    let &(bs, _) = bounds
        .ending_at(left)
        .iter()
        .find(|(bs, be)| be - bs == 1 && matches!(chars[*bs], '和' | '与' | '及'))?;
    let floor = bs.saturating_sub(MAX_SHARED_ITEM_CHARS);
    let start = chars[floor..bs]
        .iter()
        .rposition(|&c| lexicon::is_item_break(c) || lexicon::is_clause_break(c))
        .map_or(floor, |i| floor + i + 1);
    let start = bounds.last_end(bs, start + 1, |_| true).unwrap_or(start);
    let item: String = chars[start..bs].iter().collect();
    let hits = gaz.find_names(&item);
    // the item is one place, whole
    (hits.len() == 1 && hits[0].start == 0 && hits[0].end == item.len()).then_some((start, bs))
}

/// Bare items directly before a name, joined to it by 、 (乌鲁木齐、吐鲁番、伊宁机场).
fn enum_items_before(
    chars: &[char],
    left: usize,
    types: &Spans,
    bounds: &Bounds,
) -> Vec<(usize, usize)> {
    let mut items = Vec::new();
    let mut end = left;
    while end >= 2 && lexicon::is_item_break(chars[end - 1]) && items.len() < MAX_ENUM_ITEMS {
        let item_end = end - 1;
        let floor = item_end.saturating_sub(MAX_ITEM_CHARS + 1);
        let start = chars[floor..item_end]
            .iter()
            .rposition(|&c| lexicon::is_item_break(c) || lexicon::is_clause_break(c))
            .map_or(floor, |i| floor + i + 1);
        let start = bounds
            .last_end(item_end, start + 1, |_| true)
            .unwrap_or(start);
        if item_end <= start
            || item_end - start > MAX_ITEM_CHARS
            || types.any_within(start, item_end)
        {
            break;
        }
        items.push((start, item_end));
        if !bounds.ending_at(start).is_empty() {
            break;
        }
        end = start;
    }
    items
}

/// Strips list numbering (1. ①), brackets left open at either end and stray separators.
fn trim_name(name: &str) -> String {
    let sep = |c: char| c.is_whitespace() || matches!(c, '、' | '-' | '—' | '·');
    // a bracket closes what came before at the start, opens what comes after at the end
    let mut s = name
        .trim_start_matches(|c: char| sep(c) || matches!(c, '）' | ')'))
        .trim_end_matches(|c: char| sep(c) || matches!(c, '（' | '('));
    let numbered = s.trim_start_matches(|c: char| c.is_ascii_digit() || ('①'..='⑳').contains(&c));
    if numbered.len() < s.len() {
        if let Some(rest) = numbered.strip_prefix(['.', '．', '、', ')', '）']) {
            s = rest;
        } else if s.starts_with(|c: char| ('①'..='⑳').contains(&c)) {
            s = numbered;
        }
    }
    // an opening bracket with no closing one: what follows it is the name
    if let Some(i) = s.rfind('（') {
        if !s[i..].contains('）') {
            s = &s[i + '（'.len_utf8()..];
        }
    }
    // 准南煤田西段（即乌苏四棵树至沙湾县玛纳斯河两岸）三大煤田: an aside, not part of the name
    if let (Some(o), Some(cl)) = (s.find('（'), s.rfind('）')) {
        let inside = &s[o..cl];
        if o < cl && (inside.contains('即') || inside.contains('、') || inside.contains('等')) {
            s = &s[cl + '）'.len_utf8()..];
        }
    }
    let opens = s.matches('（').count();
    let closes = s.matches('）').count();
    let mut owned = s.to_string();
    if closes > opens {
        if let Some(i) = owned.find('）') {
            owned = owned[i + '）'.len_utf8()..].to_string();
        }
    } else if opens > closes {
        owned.push('）');
    }
    owned
}

/// The key two mentions of one project share: the name without punctuation, brackets and the
/// words plans wrap around it (工程, 项目).
pub fn name_key(name: &str) -> String {
    let k: String = name
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_ascii_punctuation() && !is_cjk_punct(*c))
        .collect();
    // capacities describe, they do not name: 塔城2×35万千瓦热电 is 塔城热电
    let k = CAPACITY.replace_all(&k, "").into_owned();
    let mut k = k;
    for suffix in ["工程", "项目", "建设"] {
        if k.ends_with(suffix) && k.chars().count() > suffix.chars().count() + 2 {
            k.truncate(k.len() - suffix.len());
        }
    }
    k
}

static CAPACITY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"\d+(?:\.\d+)?(?:[×x*]\d+(?:\.\d+)?)?(?:万|百万|千万)?千瓦")
        .expect("fixed pattern")
});

/// A name without its leading road number: G30线乌-奎 -> 乌-奎, G3015克塔 -> 克塔.
pub fn strip_road_number(core: &str) -> &str {
    let rest = core.trim_start_matches(['G', 'S', 'X', 'Y']);
    if rest.len() == core.len() || !rest.starts_with(|c: char| c.is_ascii_digit()) {
        return core;
    }
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    rest.strip_prefix('线').unwrap_or(rest)
}

/// Where the section named right after a road number ends (…至…段, …境内), or `from` if none.
fn road_section_end(chars: &[char], from: usize) -> usize {
    let stop = chars[from..]
        .iter()
        .take(MAX_ITEM_CHARS * 2)
        .position(|&c| lexicon::is_item_break(c) || lexicon::is_clause_break(c))
        .map_or((from + MAX_ITEM_CHARS * 2).min(chars.len()), |i| from + i);
    let span: String = chars[from..stop].iter().collect();
    if let Some(i) = span.find("境内") {
        let n = span[..i].chars().count() + 2;
        let n = if span[i..].starts_with("境内段") {
            n + 1
        } else {
            n
        };
        return from + n;
    }
    // G218线霍尔果斯口岸段: a section ends in 段, with or without 至
    match span.find('段') {
        Some(i) if i > 0 => from + span[..i].chars().count() + 1,
        _ => from,
    }
}

/// Endpoints written right after a road number (G575线巴里坤-哈密、…; G30吐鲁番-小草湖等高速公路):
/// where they end, and the type word a closing 等 gives them. `None` when what follows is no
/// list of endpoints.
fn road_endpoints(chars: &[char], from: usize) -> Option<(usize, &'static str)> {
    const TAILS: [&str; 2] = ["高速公路", "公路"];
    let limit = chars.len().min(from + MAX_ITEM_CHARS * 2);
    let mut end = from;
    let mut depth = 0i32;
    while end < limit {
        let ch = chars[end];
        match ch {
            '（' | '(' => depth += 1,
            '）' | ')' => depth -= 1,
            _ => {}
        }
        if depth == 0
            && (lexicon::is_item_break(ch)
                || lexicon::is_clause_break(ch)
                || ch == '等'
                || ch == '段')
        {
            break;
        }
        end += 1;
    }
    if end == limit && end < chars.len() {
        return None;
    }
    let section: String = chars[from..end].iter().collect();
    let parts: Vec<&str> = section.split(ROUTE_SEPARATORS).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.chars().count() < 2) {
        return None;
    }
    // a section that runs into a type word (G30乌鲁木齐-奎屯高速公路) is named whole elsewhere
    if TAILS.iter().any(|t| section.contains(t)) {
        return None;
    }
    let rest: String = chars[end..chars.len().min(end + 6)].iter().collect();
    let tail = match rest.strip_prefix('等') {
        Some(r) => TAILS
            .iter()
            .find(|t| r.starts_with(**t))
            .copied()
            .unwrap_or(""),
        None => "",
    };
    Some((end, tail))
}

/// What joins the waypoints of a route's name.
const ROUTE_SEPARATORS: [char; 8] = ['至', '到', '-', '—', '－', '–', '~', '～'];

/// Route waypoints in a name: 克拉玛依至塔城（巴克图）铁路 -> 克拉玛依, 塔城（巴克图）.
pub fn waypoints(name: &str, category: Category) -> Vec<String> {
    if !category.is_linear() {
        return Vec::new();
    }
    let core = lexicon::TYPE_WORDS
        .iter()
        .filter(|(w, _)| name.ends_with(w))
        .map(|(w, _)| &name[..name.len() - w.len()])
        .min_by_key(|c| c.len())
        .unwrap_or(name);
    // G30线乌-奎: the road number is not a waypoint
    let core = strip_road_number(core);
    // a waypoint ends where its place name does: 郑州±800千伏特高压 is 郑州
    let parts: Vec<String> = core
        .split(ROUTE_SEPARATORS)
        .map(|p| {
            p.split(|c: char| c.is_ascii_digit() || c == '±')
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() >= 2 {
        parts
    } else {
        Vec::new()
    }
}

/// The merge key of a name: [`name_key`] with every gazetteer place written as its canonical
/// unit (和丰机场 and 和布克赛尔机场 are one airport; 塔城口岸 and 塔城市口岸 one port), and 园区
/// read as 园.
fn merge_key(gaz: &Gazetteer, name: &str) -> String {
    let k = name_key(name);
    let mut out = String::with_capacity(k.len());
    let mut last = 0;
    for h in gaz.find_names(&k) {
        out.push_str(&k[last..h.start]);
        let unit = h.targets.iter().find_map(|t| match t {
            crate::gazetteer::Target::Unit(i) => Some(gaz.unit_at(*i).code),
            _ => None,
        });
        match unit {
            Some(code) => out.push_str(&format!("#{code}#")),
            None => out.push_str(&k[h.start..h.end]),
        }
        last = h.end;
    }
    out.push_str(&k[last..]);
    out.replace("园区", "园")
}

/// Merges mentions of the same project across documents, in order of first mention. A name
/// with no place that ends another name of the same kind in the same document (俄罗斯族风情街,
/// 塔城市俄罗斯族风情街) is that project, written short.
pub fn merge(gaz: &Gazetteer, found: Vec<Found>) -> Vec<Project> {
    let mut by_key: HashMap<(String, Category), usize> = HashMap::new();
    let mut keys: Vec<String> = Vec::new();
    let mut projects: Vec<Project> = Vec::new();
    for f in found {
        let key = (merge_key(gaz, &f.name), f.category);
        match by_key.get(&key) {
            Some(&i) => absorb(&mut projects[i], f),
            None => {
                let id = project_id(&name_key(&f.name), f.category);
                by_key.insert(key.clone(), projects.len());
                keys.push(key.0);
                projects.push(Project {
                    id,
                    waypoints: waypoints(&f.name, f.category),
                    name: f.name,
                    category: f.category,
                    action: f.action,
                    investment_yi: f.investment_yi,
                    mentions: vec![f.mention],
                    contexts: vec![f.context],
                });
            }
        }
    }
    // short forms: no place of their own, the tail of a longer name that has one
    let mut gone = vec![false; projects.len()];
    let mut by_tail: HashMap<(Category, String), Vec<usize>> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        if k.contains('#') {
            // index every tail that starts right after a place token
            let mut rest = k.as_str();
            while let Some(p) = rest.find('#') {
                let after = &rest[p + 1..];
                let Some(q) = after.find('#') else { break };
                let tail = &after[q + 1..];
                if tail.chars().count() >= 3 {
                    by_tail
                        .entry((projects[i].category, tail.to_string()))
                        .or_default()
                        .push(i);
                }
                rest = tail;
            }
        }
    }
    for i in 0..projects.len() {
        if keys[i].contains('#') {
            continue;
        }
        let Some(cands) = by_tail.get(&(projects[i].category, keys[i].clone())) else {
            continue;
        };
        let docs: Vec<&str> = projects[i]
            .mentions
            .iter()
            .map(|m| m.doc.as_str())
            .collect();
        let target = cands.iter().copied().find(|&j| {
            j != i
                && !gone[j]
                && projects[j]
                    .mentions
                    .iter()
                    .any(|m| docs.contains(&m.doc.as_str()))
        });
        if let Some(j) = target {
            gone[i] = true;
            let short = std::mem::take(&mut projects[i].mentions);
            let ctx = std::mem::take(&mut projects[i].contexts);
            for (m, c) in short.into_iter().zip(ctx) {
                let p = &mut projects[j];
                if !p
                    .mentions
                    .iter()
                    .any(|x| x.doc == m.doc && x.line == m.line)
                {
                    p.mentions.push(m);
                    p.contexts.push(c);
                }
            }
        }
    }
    projects
        .into_iter()
        .zip(gone)
        .filter(|(_, g)| !g)
        .map(|(p, _)| p)
        .collect()
}

fn absorb(p: &mut Project, f: Found) {
    // one mention per line: the first quote there stands for the line
    if !p
        .mentions
        .iter()
        .any(|m| m.doc == f.mention.doc && m.line == f.mention.line)
    {
        p.mentions.push(f.mention);
        p.contexts.push(f.context);
    }
    if p.action == Action::Unknown {
        p.action = f.action;
    }
    p.investment_yi = p.investment_yi.or(f.investment_yi);
}

/// A stable id: the same name and category give the same id, run after run.
fn project_id(key: &str, category: Category) -> String {
    let mut h = Sha256::new();
    h.update(category.key().as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let d = h.finalize();
    let hex: String = d[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{hex}", category.key())
}

/// The compiled rules, built once: they never change while the program runs.
static RULES: std::sync::LazyLock<Extractor> = std::sync::LazyLock::new(Extractor::new);

/// Extracts and merges the projects of several documents.
pub fn extract_all(gaz: &Gazetteer, docs: &[Document]) -> Vec<Project> {
    let ex: &Extractor = &RULES;
    let found = docs
        .iter()
        .flat_map(|d| ex.extract_document(gaz, d))
        .collect();
    merge(gaz, found)
}
