//! Names: where a project's name begins and what is trimmed from it.

use super::*;

/// Type words after which another type word still belongs to the same name are those that name
/// zones; the others (机场, 铁路 …) end a name even when a type word follows.
pub(super) fn ends_name(category: Category) -> bool {
    !matches!(
        category,
        Category::IndustrialPark | Category::Scenic | Category::Park
    )
}

pub(super) fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '（' | '）' | '、' | '—' | '－' | '–' | '·' | '“' | '”' | '《' | '》' | '～' | '　'
    )
}

/// Where a name ending at type word start `ts` begins: after the last boundary word (other than
/// `skip`) or item separator. Looks back at most MAX_NAME_CHARS + 1 characters.
pub(super) fn left_edge(
    chars: &[char],
    bounds: &Bounds,
    ts: usize,
    skip: &[(usize, usize)],
) -> usize {
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

/// A port of entry named with extra words around its gazetteer name (简化巴克图口岸, 塔城市巴克图口岸)
/// is that port: one site, one name.
pub(super) fn canonical_site_name(gaz: &Gazetteer, name: &str, category: Category) -> String {
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

/// A land port's name (…口岸, not 航空/铁路/公路口岸) that names no port the gazetteer knows,
/// only a county or a prefecture: 塔城市口岸 is the town's ports, not one port.
pub(super) fn is_unknown_town_port(gaz: &Gazetteer, name: &str) -> bool {
    use crate::gazetteer::{PlaceKind, Target};
    if !name.ends_with("口岸") || lexicon::PORT_MODES.iter().any(|w| name.contains(w)) {
        return false;
    }
    let hits = gaz.find_names(name);
    let port = hits.iter().any(|h| {
        h.targets
            .iter()
            .any(|t| matches!(t, Target::Place(i) if gaz.place_at(*i).kind == PlaceKind::Port))
    });
    !port && !hits.is_empty() && {
        // nothing but the units and the type word
        let mut rest = name.to_string();
        for h in hits.iter().rev() {
            rest.replace_range(h.start..h.end, "");
        }
        rest.trim_end_matches("口岸").chars().count() < 2
    }
}

/// 将塔城机场, 把乌苏物流园: a one-character function word in front of a known place is not part
/// of the name. (将军庙 keeps its 将: 军庙 is no place.)
pub(super) fn skip_function_char(gaz: &Gazetteer, chars: &[char], left: usize, ts: usize) -> usize {
    if left + 1 >= ts || !lexicon::FUNCTION_CHARS.contains(&chars[left]) {
        return left;
    }
    let rest: String = chars[left + 1..ts].iter().collect();
    match gaz.find_names(&rest).first() {
        Some(h) if h.start == 0 => left + 1,
        _ => left,
    }
}

/// 5座水库, 4800公里农村公路, 三大煤田: a count of things. (五家渠经济技术开发区 starts with a
/// place whose name only looks like one.)
pub(super) fn starts_with_count(gaz: &Gazetteer, name: &str) -> bool {
    if gaz.find_names(name).first().is_some_and(|h| h.start == 0) {
        return false;
    }
    let rest =
        name.trim_start_matches(|c: char| c.is_ascii_digit() || lexicon::NUMERALS.contains(&c));
    rest.len() < name.len() && lexicon::COUNT_WORDS.iter().any(|w| rest.starts_with(w))
}

/// 阜康三条公路, 哈密两个机场, 第3条公路, 全国五大中欧班列集结中心: a count of things (a numeral
/// and a measure word, outside the places) before the type word is no one thing's name.
/// (哈密10万千瓦光伏 is one: a capacity is no count of things; 五家渠 and 七个星 are places, not
/// five or seven of anything.)
pub(super) fn counts_things(gaz: &Gazetteer, core: &str) -> bool {
    let mut masked: Vec<char> = core.chars().collect();
    let b2c = super::scan::byte_to_char(core);
    for h in gaz.find_names(core) {
        for c in &mut masked[b2c[h.start]..b2c[h.end]] {
            *c = '　';
        }
    }
    // (not 百千万: 千佛洞, 万家 are words, and a capacity's 万 is no count of things)
    let numeral =
        |c: char| c.is_ascii_digit() || (lexicon::NUMERALS.contains(&c) && !"百千万".contains(c));
    (0..masked.len()).any(|i| {
        let opens = i == 0 || !(numeral(masked[i - 1]) || masked[i - 1].is_ascii_alphabetic());
        let n = masked[i..].iter().take_while(|&&c| numeral(c)).count();
        opens
            && (1..=3).contains(&n)
            && masked
                .get(i + n)
                .is_some_and(|&m| lexicon::LIST_MEASURES.contains(&m) || m == '大')
    })
}

/// 28个A级, 4条: what is left after a leading count (the whole, when there is none).
pub(super) fn without_count(s: &str) -> &str {
    let rest = s.trim_start_matches(|c: char| c.is_ascii_digit() || lexicon::NUMERALS.contains(&c));
    match lexicon::COUNT_WORDS.iter().find(|w| rest.starts_with(**w)) {
        Some(w) if rest.len() < s.len() => &rest[w.len()..],
        _ => s,
    }
}

/// 实施 44 家闭坑矿山: a count written with spaces around its number, whose measure word opens
/// the name.
pub(super) fn counted_after_space(chars: &[char], left: usize, name: &str) -> bool {
    let before = chars[..left]
        .iter()
        .rev()
        .find(|c| !c.is_whitespace() && **c != '\u{3000}');
    before.is_some_and(|c| c.is_ascii_digit())
        && lexicon::COUNT_WORDS.iter().any(|w| name.starts_with(w))
}

/// Strips list numbering (1. ①), brackets left open at either end and stray separators.
pub(super) fn trim_name(name: &str) -> String {
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
