//! Candidates: the clause-by-clause scan that finds type words, draws each name's left edge
//! and hands enumerations and road numbers to their own rules.

mod clause;

use super::segment::{Pos, Segment, Segmenter};
use super::*;
use clause::ClauseScan;

/// The compiled rules. Build once, run over any number of documents.
pub struct Extractor {
    types: AhoCorasick,
    boundaries: AhoCorasick,
    generic: AhoCorasick,
    not_projects: AhoCorasick,
    segmenter: Segmenter,
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
            segmenter: Segmenter::new(),
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
        let kind = DocKind::of(doc);
        let doc_year = status::document_year(doc);
        let mut in_review = status::opens_with_review(doc);
        for (i, line) in doc.text.lines().enumerate() {
            if crate::document::is_heading(line) {
                heading = Some(line.trim().to_string());
            }
            let part = match kind {
                DocKind::Report => status::report_part(line, doc_year),
                DocKind::Plan => status::review_heading(line),
            };
            if let Some(review) = part {
                in_review = review;
            }
            let before = out.len();
            self.scan_line(gaz, &doc.name, i + 1, line, heading.as_deref(), &mut out);
            if before < out.len() {
                let chars: Vec<char> = line.chars().collect();
                let spans: Vec<(usize, usize)> = out[before..].iter().map(|f| f.span).collect();
                let list_ends = list_ends(&chars, &spans);
                for (f, list_end) in out[before..].iter_mut().zip(list_ends) {
                    let (s, e) = f.span;
                    // (looked for no further back than a context reaches: linear on endless lines)
                    let floor = s.saturating_sub(CONTEXT_CHARS);
                    let from = chars[floor..s]
                        .iter()
                        .rposition(|&c| lexicon::is_clause_break(c))
                        .map_or(floor, |k| floor + k + 1);
                    let to = chars[e..]
                        .iter()
                        .take(MAX_LIST_CHARS)
                        .position(|&c| lexicon::is_clause_break(c))
                        .map_or((e + MAX_LIST_CHARS).min(chars.len()), |k| e + k);
                    let ahead: String = chars[from..s].iter().collect();
                    let behind: String = chars[e..to].iter().collect();
                    let after_list: String = chars[list_end.min(to)..to].iter().collect();
                    let (st, words) =
                        match status::status_in_list(kind, in_review, &ahead, &behind, &after_list)
                        {
                            (st, None) => status::unworded(kind, &f.name, &behind, st),
                            decided => decided,
                        };
                    f.mention.status = st;
                    f.mention.status_quote = words.map(str::to_string);
                    f.mention.status_year =
                        status::status_year(kind, in_review, doc_year, &ahead, &behind);
                }
            }
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
                    drop_inner_names(out, before);
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

    /// Every name in one clause, step by step (see [`clause::ClauseScan`]).
    fn scan_clause(&self, gaz: &Gazetteer, c: &Clause<'_>, out: &mut Vec<Found>) {
        let mut scan = ClauseScan::new(self, gaz, c);
        scan.names_ending_in_type_words(out);
        scan.bare_project_items(out);
        scan.roads_by_number(out);
    }

    /// Where the subject of a designation stands (its start, and the verb's) when the verb of one stands right before
    /// char `left` (燕泉山|创建为|国家4A级旅游景区): a short specific name, no list and no
    /// project of its own, back to the clause's start or the list break before it.
    /// Where the subjects of a designation stand (their starts, and their ends) when the verb
    /// of one stands right before `left`: 燕泉山创建为…; 艾丁湖、楼兰酒庄创建… (each plain item of the
    /// list; an item with its own type word is a name of its own).
    fn designated_subjects(
        &self,
        gaz: &Gazetteer,
        chars: &[char],
        left: usize,
        types: &[(usize, usize, Category)],
        places: &[(usize, usize)],
        bounds: &Bounds,
    ) -> Vec<(usize, usize)> {
        let pre: String = chars[left.saturating_sub(4)..left].iter().collect();
        let Some(verb) = lexicon::DESIGNATION_VERBS
            .iter()
            .find(|v| pre.ends_with(*v))
        else {
            return Vec::new();
        };
        let mut vs = left - verb.chars().count();
        // 吐峪沟成功晋升…, 燕泉山被评为…: the adverb before the verb is no part of the subject
        while let Some(a) = lexicon::DESIGNATION_ADVERBS.iter().find(|a| {
            let n = a.chars().count();
            vs >= n && chars[vs - n..vs].iter().copied().eq(a.chars())
        }) {
            vs -= a.chars().count();
        }
        let mut subjects = Vec::new();
        loop {
            // the item runs back to a list's or a clause's break (推动库木塔格沙漠、交河…: the
            // verb before the first is cut off)
            let floor = vs.saturating_sub(MAX_NAME_CHARS);
            let after_break = chars[floor..vs]
                .iter()
                .rposition(|&c| lexicon::is_item_break(c))
                .map(|k| floor + k + 1);
            let is = after_break.unwrap_or(floor);
            // (力争克拉玛依区…: a boundary word before the item is no part of it)
            let is = bounds.last_end(vs, is, |_| true).unwrap_or(is);
            let is = self.cut_after_function_words(gaz, chars, is, vs, places);
            let subject: String = chars[is..vs].iter().collect();
            let subject = subject.as_str();
            let own_type = types.iter().any(|t| t.0 < vs && t.1 > is);
            let plain = subject.chars().count() >= 2
                && subject.chars().count() <= MAX_ITEM_CHARS
                && !subject.contains('等')
                && !subject.chars().any(|c| c.is_ascii_digit())
                && !own_type
                && self.is_specific(gaz, subject)
                && (!gaz.find_names(subject).is_empty()
                    || self.names_something(chars, is, vs, places));
            // the subject opens the clause or its list item, but for a verb cut off before it
            let opens = after_break.is_some() || floor == 0 || vs - is <= MAX_ITEM_CHARS;
            if plain && opens {
                subjects.push((is, vs));
            } else if !own_type {
                break;
            }
            match after_break {
                Some(b) if b >= 2 && chars[b - 1] == '、' => vs = b - 1,
                _ => break,
            }
        }
        subjects.reverse();
        subjects
    }

    /// The road word that closes a list of road numbers starting at char `from` (、G331、
    /// S327公路), if one does.
    fn closing_road_word(&self, chars: &[char], from: usize) -> Option<&'static str> {
        let rest: String = chars[from..chars.len().min(from + MAX_ENUM_CHARS)]
            .iter()
            .collect();
        let mut rest = rest.as_str();
        loop {
            if let Some(&w) = lexicon::ROAD_WORDS.iter().find(|w| rest.starts_with(*w)) {
                return Some(w);
            }
            // G314、G315、S306等国省道: numbers that a list's class word calls roads are the
            // roads' names as they stand
            if let Some(after) = rest.strip_prefix('等') {
                if [
                    "国省道",
                    "国道",
                    "省道",
                    "国省干线",
                    "干线公路",
                    "高速公路",
                    "公路",
                ]
                .iter()
                .any(|w| after.starts_with(w))
                {
                    return Some("");
                }
            }
            let next = rest.strip_prefix('、')?;
            let m = self.highway_number.find(next).filter(|m| m.start() == 0)?;
            rest = &next[m.end()..];
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
        let joiner = lexicon::PAIR_JOINERS
            .iter()
            .find(|j| rest.starts_with(*j))?;
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

    /// Where a name starts once the words that cannot start one are cut off: the last verb,
    /// preposition, conjunction, adverb or pronoun of two or more characters before the type
    /// word (国家赋予|乌鲁木齐货运铁路, 启用|河西片区三乡水厂), as long as what follows it still names
    /// something. One-character words are left alone: in a transliterated name they are
    /// syllables (喀拉也木勒 is not 喀拉 + 也 + 木勒).
    fn cut_after_function_words(
        &self,
        gaz: &Gazetteer,
        chars: &[char],
        left: usize,
        ts: usize,
        places: &[(usize, usize)],
    ) -> usize {
        let segs = self.segments_of(chars, left, ts, places);
        let mut cut = left;
        // 以露天矿山…, 对甘河子…: a preposition never opens a name
        if let Some(first) = segs.first() {
            if first.pos == Pos::Function
                && first.len() == 1
                && lexicon::FUNCTION_CHARS.contains(&chars[first.start])
            {
                cut = first.end;
            }
        }
        for (k, seg) in segs.iter().enumerate() {
            // 哈密抽水蓄能电站: after a place, a verb is part of the name
            if seg.pos == Pos::Place {
                break;
            }
            // 哈密抽水蓄能电站 keeps its 抽水: nothing after it names a place
            let names_after = segs[k + 1..]
                .iter()
                .any(|s| matches!(s.pos, Pos::Place | Pos::Proper));
            if seg.pos == Pos::Function && seg.len() >= 2 && names_after {
                let rest: String = chars[seg.end..ts].iter().collect();
                if self.is_specific(gaz, &rest) {
                    cut = seg.end;
                }
            }
        }
        cut
    }

    /// The segments of chars [left, ts), offsets into `chars`.
    fn segments_of(
        &self,
        chars: &[char],
        left: usize,
        ts: usize,
        places: &[(usize, usize)],
    ) -> Vec<Segment> {
        // places are in text order: only those between left and ts are read
        let first = places.partition_point(|&(a, _)| a < left);
        // a place whose name runs into the type word (莎车机场, an airport's alias, before
        // 机场) still makes what stands before the type word a place: 莎车 alone is a common
        // noun to the segmenter, and the name would read as a kind of thing
        let inside: Vec<(usize, usize)> = places[first..]
            .iter()
            .take_while(|&&(a, _)| a < ts)
            .map(|&(a, b)| (a, b.min(ts)))
            .filter(|&(a, b)| b - a >= 2)
            .map(|(a, b)| (a - left, b - left))
            .collect();
        self.segmenter
            .segments(&chars[left..ts], &inside)
            .into_iter()
            .map(|s| Segment {
                start: s.start + left,
                end: s.end + left,
                pos: s.pos,
            })
            .collect()
    }

    /// Whether the type word `types[k]`, its name ending at `te`, only qualifies what follows it
    /// rather than ending a project's name of its own.
    fn qualifies_next(
        &self,
        chars: &[char],
        types: &[(usize, usize, Category)],
        k: usize,
        te: usize,
    ) -> bool {
        let (ts, _, category) = types[k];
        let next = types.get(k + 1).filter(|n| n.0 == te);
        let site = matches!(category, Category::Port | Category::Airport);
        // 园区铁路专用线: a zone's type word right before another is the longer name's modifier
        (next.is_some() && !ends_name(category))
            // 阿拉山口口岸综合保税区, 地窝堡国际机场临空经济示范区, 机场高速公路: a port or an
            // airport right before another kind of thing is where that thing is
            || (site && next.is_some_and(|n| n.2 != category))
            // 都拉塔公路口岸, 乌鲁木齐货运铁路口岸: a road or a railway that names a port is the
            // port's kind
            || next.is_some_and(|n| n.2 == Category::Port)
            // 克拉玛依-巴克图口岸、精河-阿拉山口二线铁路: a site at the end of a listed route
            || (site && self.ends_a_route(chars, ts, &types[k + 1..]))
    }

    /// Whether the site ending at a type word that starts at `ts` is the second end of a route
    /// item (甲-乙口岸) in a list that a line's type word closes (…、丙-丁铁路).
    fn ends_a_route(&self, chars: &[char], ts: usize, later: &[(usize, usize, Category)]) -> bool {
        let floor = ts.saturating_sub(MAX_ITEM_CHARS);
        let item_start = chars[floor..ts]
            .iter()
            .rposition(|&c| lexicon::is_item_break(c) || lexicon::is_clause_break(c))
            .map_or(floor, |i| floor + i + 1);
        chars[item_start..ts]
            .iter()
            .any(|c| ROUTE_SEPARATORS.contains(c))
            && later.first().is_some_and(|n| n.2.is_linear())
    }

    /// Whether the segmenter reads chars [bs, be) as part of a longer word (有 in 有蹄类).
    fn inside_a_word(&self, chars: &[char], bs: usize, be: usize) -> bool {
        if !lexicon::WEAK_BOUNDARIES.contains(&chars[bs..be].iter().collect::<String>().as_str()) {
            return false;
        }
        let from = bs.saturating_sub(3);
        let to = chars.len().min(be + 3);
        self.segmenter
            .segments(&chars[from..to], &[])
            .iter()
            .any(|s| s.start + from <= bs && be <= s.end + from && s.len() > be - bs)
    }

    /// Whether chars [left, ts) hold a place or a proper noun.
    fn names_something(
        &self,
        chars: &[char],
        left: usize,
        ts: usize,
        places: &[(usize, usize)],
    ) -> bool {
        self.segments_of(chars, left, ts, places)
            .iter()
            .any(|s| matches!(s.pos, Pos::Place | Pos::Proper))
    }

    /// A name that names no one thing: no place, no proper noun, no number, only common words
    /// (国家AAAA级景区, 内地枢纽机场, 社会矛盾综合治理). A lone character the segmenter could not
    /// join to a word (台 in 苜蓿台) is taken for part of a name it does not know.
    fn is_class(
        &self,
        chars: &[char],
        left: usize,
        ts: usize,
        places: &[(usize, usize)],
        category: Category,
    ) -> bool {
        if chars[left..ts].iter().any(|c| c.is_ascii_digit()) {
            return false;
        }
        let segs = self.segments_of(chars, left, ts, places);
        let all_common = segs.iter().all(|s| match s.pos {
            Pos::Place | Pos::Proper => false,
            Pos::Function => true,
            Pos::Common => {
                s.len() >= 2
                    || lexicon::CLASS_CHARS.contains(&chars[s.start])
                    || !chars[s.start].is_alphabetic()
            }
        });
        // a reservoir is often named by one plain word, even a verb (红旗水库, 前进水库); a
        // phrase of plain words (山地康体运动旅游区) or a function word (既有铁路) describes a kind
        let words = segs.iter().filter(|s| s.len() >= 2).count();
        all_common && (category != Category::Reservoir || words >= 2)
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
        // 635水利枢纽: a number of three or more digits alone is the work's name
        if core.len() >= 3 && core.chars().all(|c| c.is_ascii_digit()) {
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
        lexicon::ACTION_WORDS
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
                status: Status::Unknown,
                status_quote: None,
                status_year: None,
            },
            context: Context {
                clause: c.chars[start.saturating_sub(CONTEXT_CHARS)..start]
                    .iter()
                    .collect(),
                line_before: sentence_before(c.line_chars, c.offset + start),
                heading: None,
                row_after: row_after(c.line_chars, c.offset + end),
            },
        }
    }
}

/// The cells after the one holding char `end` of a tab-separated line (a row of a project
/// table), trimmed, the empty ones left out. Only ROW_CHARS after the name are read: a row's
/// cells are short, and a line without breaks must not be read again for every mention on it.
fn row_after(line: &[char], end: usize) -> Vec<String> {
    let Some(rest) = line.get(end..end.saturating_add(ROW_CHARS).min(line.len())) else {
        return Vec::new();
    };
    if !rest.contains(&'\t') {
        return Vec::new();
    }
    let rest: String = rest.iter().collect();
    rest.split('\t')
        .skip(1)
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .take(ROW_CELLS)
        .map(str::to_string)
        .collect()
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new()
    }
}

/// 乌板公路 in 乌板公路岔口-水西沟公路, 乌鲁木齐市经济开发区 in 乌鲁木齐市经济开发区两河先进制造
/// 产业园: a name of the same kind that ends inside a longer one found in the same clause is part
/// of that name. (Items of a list all end where the list's type word does, and stay.)
fn drop_inner_names(out: &mut Vec<Found>, from: usize) {
    // by start, the longer first: a name is inside another when one that started no later
    // ends after it (one sweep, not all pairs: a clause may hold thousands of names)
    let mut order: Vec<usize> = (from..out.len()).collect();
    order.sort_by_key(|&i| (out[i].span.0, std::cmp::Reverse(out[i].span.1)));
    let mut reach: HashMap<Category, usize> = HashMap::new();
    let mut inner = vec![false; out.len() - from];
    for i in order {
        let (start, end) = out[i].span;
        let r = reach.entry(out[i].category).or_insert(0);
        if *r > end && start < *r {
            inner[i - from] = true;
        }
        *r = (*r).max(end);
    }
    // only this clause's names are touched: the rest of `out` stays as it is
    let tail = out.split_off(from);
    out.extend(
        tail.into_iter()
            .zip(inner)
            .filter(|(_, inner)| !inner)
            .map(|(f, _)| f),
    );
}

/// For each span of a line's mentions, where the list it stands in ends: the end of the last
/// mention reached from it through list joiners alone (甲、乙和丙), else its own end. Worked out
/// from the right, once for all, so that a list of any length costs one pass.
fn list_ends(line: &[char], spans: &[(usize, usize)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].0, std::cmp::Reverse(spans[i].1)));
    let starts: Vec<usize> = order.iter().map(|&i| spans[i].0).collect();
    let mut ends = vec![0; spans.len()];
    for k in (0..order.len()).rev() {
        let (_, e) = spans[order[k]];
        let next = starts.partition_point(|&s| s < e);
        ends[order[k]] = match order.get(next) {
            Some(&j)
                if spans[j].0 - e <= MAX_LIST_JOINER_CHARS
                    && line[e..spans[j].0]
                        .iter()
                        .all(|&c| lexicon::is_list_joiner(c)) =>
            {
                ends[j].max(e)
            }
            _ => e,
        };
    }
    ends
}

/// The most characters between two items of one list (、 or 以及).
const MAX_LIST_JOINER_CHARS: usize = 2;

/// A clause of a line, by char indices into the line.
pub(super) struct Clause<'a> {
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
pub(super) fn sentence_before(line: &[char], at: usize) -> String {
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
pub(super) fn mask_siblings(line: &[char], clause_start: usize, found: &mut [Found]) {
    let spans = sorted_by_end(found);
    for f in found.iter_mut() {
        let s0 = f.span.0;
        let from = s0.saturating_sub(CONTEXT_CHARS).max(clause_start);
        if let Some(text) = masked(line, from, s0, &spans) {
            f.context.clause = text;
        }
    }
}

fn sorted_by_end(found: &[Found]) -> Vec<(usize, usize)> {
    let mut spans: Vec<(usize, usize)> = found.iter().map(|f| f.span).collect();
    spans.sort_unstable_by_key(|&(s, e)| (e, s));
    spans
}

/// chars [from, to) of the line with the spans that end before `to` blanked, or `None` when no
/// span reaches into it.
fn masked(line: &[char], from: usize, to: usize, spans: &[(usize, usize)]) -> Option<String> {
    let k = spans.partition_point(|sp| sp.1 <= to);
    let earlier: Vec<(usize, usize)> = spans[..k]
        .iter()
        .rev()
        .take_while(|sp| sp.1 > from)
        .take(64)
        .copied()
        .collect();
    if earlier.is_empty() {
        return None;
    }
    Some(
        (from..to)
            .map(|i| {
                if earlier.iter().any(|&(a, b)| a <= i && i < b) {
                    '　'
                } else {
                    line[i]
                }
            })
            .collect(),
    )
}

/// Byte offset -> char index, for a string (len + 1 entries; only char boundaries are read).
pub(super) fn byte_to_char(s: &str) -> Vec<usize> {
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
