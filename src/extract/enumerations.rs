//! Enumerations: lists whose items share a type word (锡伯图、巴音沟等水库; 乌鲁木齐、吐鲁番、伊宁机场).

use super::*;

/// If the word before the name's left edge is 等 (or a count such as 三个, or a count that
/// numbers the list before it: `counts`), where the item list ends.
pub(super) fn etc_before(
    chars: &[char],
    bounds: &Bounds,
    counts: &[(usize, usize)],
    left: usize,
) -> Option<usize> {
    let closes = |bs: usize, be: usize| {
        chars.get(bs) == Some(&'等')
            || counts.contains(&(bs, be))
            || lexicon::LIST_COUNTS.contains(&chars[bs..be].iter().collect::<String>().as_str())
    };
    let ending = bounds.ending_at(left);
    if let Some(&(bs, _)) = ending.iter().find(|&&(bs, be)| closes(bs, be)) {
        return Some(bs);
    }
    // 头屯河、木垒河等一批综合整治工程: a quantifier after 等 still lets 等 close the list
    ending
        .iter()
        .filter(|&&(bs, be)| {
            lexicon::ETC_QUANTIFIERS.contains(&chars[bs..be].iter().collect::<String>().as_str())
        })
        .find_map(|&(bs, _)| {
            bounds
                .ending_at(bs)
                .iter()
                .find(|&&(es, _)| chars.get(es) == Some(&'等'))
                .map(|&(es, _)| es)
        })
}

/// The number a count is written with: one or two ASCII digits or Chinese numerals up to 十九.
fn count_value(digits: &[char]) -> Option<usize> {
    if digits.iter().all(|c| c.is_ascii_digit()) {
        return digits.iter().collect::<String>().parse().ok();
    }
    let unit = |c: char| {
        "一二三四五六七八九"
            .find(c)
            .map(|i| i / '一'.len_utf8() + 1)
    };
    match digits {
        ['两'] => Some(2),
        ['十'] => Some(10),
        [a] => unit(*a),
        ['十', b] => unit(*b).map(|v| 10 + v),
        _ => None,
    }
}

/// 南山伴行、百里丹霞、车师古道、北部沙漠四条旅游风景道; 伽师县、岳普湖县、麦盖提县3处国家湿地公园:
/// a count right after a list that numbers exactly its items closes the list, as 等 does. The
/// count's spans, to be read as boundaries. (5座水库, 建设3处公园: a count after no list, or one
/// that does not match it, counts things and closes nothing.)
pub(super) fn counted_lists(chars: &[char], bounds: &Bounds) -> Vec<(usize, usize)> {
    let mut counts = Vec::new();
    for (me, &m) in chars.iter().enumerate() {
        if !lexicon::LIST_MEASURES.contains(&m) {
            continue;
        }
        let numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十两".contains(c);
        let cs = (me.saturating_sub(2)..me)
            .find(|&k| chars[k..me].iter().all(|&c| numeral(c)))
            .unwrap_or(me);
        let Some(n) = count_value(&chars[cs..me]).filter(|&n| n >= 2) else {
            continue;
        };
        // the last item runs right into the count (not 2×35万, not 第3个)
        if cs == 0
            || !(chars[cs - 1].is_alphabetic() || chars[cs - 1] == '）')
            || chars[cs - 1] == '第'
        {
            continue;
        }
        let floor = cs.saturating_sub(MAX_ENUM_CHARS);
        let stop = bounds
            .last_end(cs, floor, |(_, be)| be <= cs)
            .unwrap_or(floor);
        let stop = chars[stop..cs]
            .iter()
            .rposition(|&c| lexicon::is_clause_break(c))
            .map_or(stop, |i| stop + i + 1);
        let items = split_items(chars, stop, cs);
        if items.len() == n && items.iter().all(|&(is, ie)| ie - is <= MAX_ITEM_CHARS) {
            counts.push((cs, me + 1));
        }
    }
    counts
}

/// Items separated by 、 in chars [from, to).
pub(super) fn split_items(chars: &[char], from: usize, to: usize) -> Vec<(usize, usize)> {
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
pub(super) fn shared_tail(gaz: &Gazetteer, core: &str, type_word: &str) -> Option<String> {
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

/// 塔城市5条河: an item that counts things is not one thing.
pub(super) fn has_count(item: &str) -> bool {
    item.char_indices().any(|(i, c)| {
        c.is_ascii_digit()
            && !item[i + 1..].starts_with(|d: char| d.is_ascii_digit())
            && lexicon::COUNT_WORDS
                .iter()
                .any(|w| item[i + 1..].starts_with(w))
    })
}

/// Items before a name, joined by 、, that each end in a zone's type word (物流园, 工业园, …),
/// possibly with a bracketed aside after it.
pub(super) fn zone_items_before(
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
pub(super) fn place_joined_before(
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
pub(super) fn enum_items_before(
    chars: &[char],
    left: usize,
    types: &Spans,
    bounds: &Bounds,
    routes: bool,
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
        // 克拉玛依-巴克图口岸、精河-阿拉山口二线铁路: a route's end may be a port or an airport
        let route = routes
            && chars[start..item_end]
                .iter()
                .any(|c| ROUTE_SEPARATORS.contains(c));
        // (but one that ends in a type word is a whole name: 和田至若羌铁路、格尔木至库尔勒铁路)
        let whole = types.ends_at(item_end);
        if item_end <= start
            || item_end - start > MAX_ITEM_CHARS
            || (types.any_within(start, item_end) && (!route || whole))
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

/// Whether an item is made of gazetteer places and nothing else (和丰, 乌苏市, 沙湾千泉湖).
pub(super) fn is_only_places(gaz: &Gazetteer, item: &str) -> bool {
    let mut at = 0;
    for h in gaz.find_names(item) {
        if h.start != at {
            return false;
        }
        at = h.end;
    }
    at == item.len() && at > 0
}

/// Longest run of words between 等 and the 项目 that calls a list's items projects (等一批重点
/// 旅游项目).
const MAX_PROJECT_CLOSER_CHARS: usize = 8;

/// 东道海子旅游区、阿唛龙主题乐园等项目建设; 绿谷科创园等项目完工: items of a list that the text
/// itself calls projects. Each is a project's name, even one made of plain words (绿谷, 城北主
/// 干道) that would otherwise read as a kind of thing. The items' spans.
pub(super) fn project_list_items(chars: &[char]) -> Vec<ProjectItem> {
    let mut items = Vec::new();
    for (e, _) in chars.iter().enumerate().filter(|(_, &c)| c == '等') {
        let after = &chars[e + 1..chars.len().min(e + 1 + MAX_PROJECT_CLOSER_CHARS + 2)];
        let Some(k) = after.windows(2).position(|w| w == ['项', '目']) else {
            continue;
        };
        if after[..k]
            .iter()
            .any(|&c| lexicon::is_clause_break(c) || lexicon::is_item_break(c) || c == '等')
        {
            continue;
        }
        // the list is the clause before 等: its items may hold verbs of their own (制甲醛升级
        // 示范项目), and the first one's leading verb is cut off where it is read
        let floor = e.saturating_sub(MAX_ENUM_CHARS);
        let stop = chars[floor..e]
            .iter()
            .rposition(|&c| lexicon::is_clause_break(c))
            .map_or(floor, |i| floor + i + 1);
        let closer: String = after[..k].iter().collect();
        let kind = lexicon::CLOSER_KINDS
            .iter()
            .find(|(w, _)| closer.contains(w))
            .map(|&(_, c)| c);
        let key = kind.is_some() || closer.contains("重点") || closer.contains("重大");
        items.extend(
            split_items(chars, stop, e)
                .into_iter()
                .map(|(start, end)| ProjectItem {
                    start,
                    end,
                    kind,
                    key,
                }),
        );
    }
    items
}

/// An item of a list the text calls projects, and the category its closer gives (等重点旅游项目).
#[derive(Clone, Copy, Debug)]
pub(super) struct ProjectItem {
    pub start: usize,
    pub end: usize,
    pub kind: Option<Category>,
    /// Whether the list calls its items key projects (等重点项目, 等重大项目, 等重点旅游项目), not
    /// just projects: only such a list's bare items are names with no type word.
    pub key: bool,
}

/// The category of a bare project item (its list's, else the first item-kind word's in it) and
/// the byte offset where its kind word starts (0 for the list's).
pub(super) fn bare_item_kind(item: &str, list_kind: Option<Category>) -> Option<(Category, usize)> {
    if let Some(k) = list_kind {
        return Some((k, 0));
    }
    lexicon::ITEM_KINDS
        .iter()
        .find_map(|&(w, c)| item.find(w).map(|at| (c, at)))
}
