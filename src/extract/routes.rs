//! Routes: road numbers with their sections, and the waypoints a route's name gives.

use super::*;

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
pub(super) fn road_section_end(chars: &[char], from: usize) -> usize {
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
pub(super) fn road_endpoints(chars: &[char], from: usize) -> Option<(usize, &'static str)> {
    let tails = &lexicon::ROAD_WORDS;
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
    // G315线托帕至吐尔尕特项目前期工作: the last endpoint ends where the words of the work begin
    let end = (from..end)
        .find(|&i| {
            let rest: String = chars[i..end].iter().take(3).collect();
            ENDPOINT_STOPS.iter().any(|w| rest.starts_with(w))
        })
        .unwrap_or(end);
    let section: String = chars[from..end].iter().collect();
    let parts: Vec<&str> = section.split(ROUTE_SEPARATORS).collect();
    if parts.len() < 2 || parts.iter().any(|p| p.chars().count() < 2) {
        return None;
    }
    // a section that runs into a type word (G30乌鲁木齐-奎屯高速公路) is named whole elsewhere
    if tails.iter().any(|t| section.contains(t)) {
        return None;
    }
    // the list's 等高速公路 may come several items later (G0711甲-乙、G7丙-丁等高速公路)
    // (looked for no further than a list reaches: the scan stays linear on endless lines)
    let reach = chars.len().min(end + MAX_ENUM_CHARS);
    let clause_end = chars[end..reach]
        .iter()
        .position(|&c| lexicon::is_clause_break(c))
        .map_or(reach, |i| end + i);
    let rest: String = chars[end..clause_end].iter().collect();
    let tail = rest
        .split_once('等')
        .and_then(|(_, r)| tails.iter().find(|t| r.starts_with(**t)).copied())
        .unwrap_or("");
    // G30线小草湖至哈密段: a section says so, and the 段 is part of its name
    let end = if chars.get(end) == Some(&'段') {
        end + 1
    } else {
        end
    };
    Some((end, tail))
}

/// Words that follow a route's endpoints and are no part of them.
const ENDPOINT_STOPS: [&str; 8] = [
    "项目",
    "工程",
    "前期",
    "建设",
    "开工",
    "通车",
    "改扩建",
    "提升",
];

/// What joins the waypoints of a route's name.
pub(super) const ROUTE_SEPARATORS: [char; 8] = ['至', '到', '-', '—', '－', '–', '~', '～'];

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
    // G30线乌-奎: the road number is not a waypoint; 小草湖至哈密段: nor is the 段
    let core = strip_road_number(core);
    let core = core.strip_suffix('段').unwrap_or(core);
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

/// 克塔铁路, 奎北铁路, 克塔阿大通道: a route named by one character per place.
pub fn abbreviated_waypoints(name: &str) -> Option<Vec<String>> {
    let core = lexicon::TYPE_WORDS
        .iter()
        .filter(|(w, _)| name.ends_with(w))
        .map(|(w, _)| &name[..name.len() - w.len()])
        .min_by_key(|c| c.len())?;
    let core = strip_road_number(core);
    let n = core.chars().count();
    if !(2..=4).contains(&n) {
        return None;
    }
    core.chars()
        .map(|c| crate::gazetteer::abbreviation(c).map(str::to_string))
        .collect()
}
