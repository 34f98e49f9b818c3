//! Status: what a mention says of its project's state, from the words around it and the kind
//! of document (`../shared/gold/BRIEF.md` states the conventions).
//!
//! A forward-looking plan (规划纲要, 行动计划) names goals: a goal is `planned` unless the words
//! mark work under way (加快建设, 续建, 在建, 已开工) or set a completion target (建成…, which
//! implies `building`). A work report reviews the past year, where 建成 is a fact (`completed`),
//! and plans the coming one, where 开工 and 建成 are work of that year (`building`). A facility
//! the text leans on (依托…, 发挥…作用) is `operating`.

use std::sync::LazyLock;

use super::lexicon;

use crate::model::{DocKind, Document, Status};

/// A plan's year: for a report the year its title names (2022年政府工作报告), for a plan the
/// first year of its period (十四五 → 2021); either falls back on the other.
pub fn document_year(doc: &Document) -> Option<i32> {
    let title = doc.title.as_deref().unwrap_or("");
    let from_title = title
        .char_indices()
        .filter(|(_, c)| *c == '2' || *c == '1')
        .find_map(|(i, _)| {
            let y = title.get(i..i + 4)?;
            let n: i32 = y.parse().ok()?;
            ((1990..2100).contains(&n) && title[i + 4..].starts_with('年')).then_some(n)
        });
    let from_period = doc
        .period
        .as_deref()
        .and_then(|p| p.get(..4))
        .and_then(|y| y.parse().ok());
    // a plan's title may name its far horizon (…和2035年远景目标纲要): its period says when it starts
    match DocKind::of(doc) {
        DocKind::Report => from_title.or(from_period),
        DocKind::Plan => from_period.or(from_title),
    }
}

/// A project's timeline (one entry per plan, oldest first) and its status: the latest plan's
/// word, the most advanced among plans of that year.
pub fn set_timeline(
    p: &mut super::Project,
    years: &std::collections::HashMap<String, (usize, Option<i32>)>,
) {
    let mut entries: Vec<(usize, super::TimelineEntry)> = Vec::new();
    // each plan's entry, found in constant time: a project named by ten thousand plans
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for m in &p.mentions {
        let (order, year) = years.get(&m.doc).copied().unwrap_or((usize::MAX, None));
        match at.get(m.doc.as_str()) {
            Some(&i) => {
                let e = &mut entries[i].1;
                if m.status.rank() > e.status.rank() {
                    e.status = m.status;
                    e.quote = m.quote.clone();
                }
            }
            None => {
                at.insert(&m.doc, entries.len());
                entries.push((
                    order,
                    super::TimelineEntry {
                        doc: m.doc.clone(),
                        year,
                        status: m.status,
                        quote: m.quote.clone(),
                    },
                ));
            }
        }
    }
    // plans without a year keep their place in the order they were given
    entries.sort_by_key(|(order, e)| (e.year.unwrap_or(i32::MIN), *order));
    let latest = entries.last().map(|(_, e)| e.year);
    p.status = entries
        .iter()
        .filter(|(_, e)| Some(e.year) == latest)
        .map(|(_, e)| e.status)
        .max_by_key(|s| s.rank())
        .unwrap_or_default();
    p.timeline = entries.into_iter().map(|(_, e)| e).collect();
}

/// The year a mention's status holds for: a year written beside it (力争2023年建成), else for a
/// work report its year (the plan part) or the year before (the review).
pub fn status_year(
    kind: DocKind,
    in_review: bool,
    doc_year: Option<i32>,
    before: &str,
    after: &str,
) -> Option<i32> {
    let written = |s: &str| {
        s.char_indices().find_map(|(i, c)| {
            if c != '1' && c != '2' {
                return None;
            }
            let y: i32 = s.get(i..i + 4)?.parse().ok()?;
            ((1990..2100).contains(&y) && s[i + 4..].starts_with('年')).then_some(y)
        })
    };
    let near_after: String = after.chars().take(12).collect();
    written(&near_after)
        .or_else(|| written(before))
        .or(match kind {
            DocKind::Report if in_review => doc_year.map(|y| y - 1),
            DocKind::Report => doc_year,
            DocKind::Plan => None,
        })
}

/// Whether a document opens with a review of the past year: a work report does, its task
/// breakdown (任务分解) does not.
pub fn opens_with_review(doc: &Document) -> bool {
    let head: String = doc.text.chars().take(600).collect();
    DocKind::of(doc) == DocKind::Report && !head.contains("分解")
}

/// A chapter heading says whether what follows reviews the past (第一章 发展基础条件, 一、2021年
/// 工作回顾) or plans ahead; other lines say nothing (`None`).
pub fn review_heading(line: &str) -> Option<bool> {
    let t = line.trim_start_matches([' ', '\u{3000}', '\t']);
    let mut cs = t.chars();
    let chapter = match cs.next() {
        Some('第') => t
            .char_indices()
            .take(6)
            .any(|(_, c)| c == '章' || c == '篇' || c == '部'),
        Some(c) if "一二三四五六七八九十".contains(c) => cs.next() == Some('、'),
        _ => false,
    };
    if !chapter || t.chars().count() > 40 {
        return None;
    }
    // the heading's words after its number: 发展基础条件, 2021年工作回顾 (not 夯实经济发展基础)
    let words = t
        .split_once([' ', '\u{3000}', '、'])
        .map_or(t, |(_, rest)| rest)
        .trim_start_matches(|c: char| c.is_ascii_digit() || c == '年' || c == ' ');
    Some(
        words.contains("回顾")
            || lexicon::PLAN_REVIEW_WORDS
                .iter()
                .any(|w| words.starts_with(w)),
    )
}

/// Which part of a work report a line opens: `Some(true)` its review of the past year
/// (“十三五”时期及2020年工作回顾, 一年来，我们主要做了以下工作：), `Some(false)` its plan (2021年
/// 主要工作, “十四五”时期重大举措及2021年工作部署, or a paragraph that opens on the report's own
/// year: 2023年，我们要…; 今年是…), `None` for any other line. The numbered sub-headings inside
/// a part (一、高质量发展稳中有进) name a field of work, not a part: they change nothing.
pub fn report_part(line: &str, doc_year: Option<i32>) -> Option<bool> {
    let t = line.trim_start_matches([' ', '\u{3000}', '\t']);
    let this_year = doc_year.map(|y| format!("{y}年"));
    let opens_on = |lead: &str| {
        t.strip_prefix(lead)
            .is_some_and(|rest| lexicon::YEAR_OPENERS.iter().any(|w| rest.starts_with(w)))
    };
    if opens_on("今年") || this_year.as_deref().is_some_and(opens_on) {
        return Some(false);
    }
    if t.chars().count() > MAX_PART_HEADING_CHARS {
        return None;
    }
    // a heading with words of both parts opens the review
    let opens = |review: bool| {
        lexicon::REPORT_PARTS
            .iter()
            .any(|&(w, r)| r == review && t.contains(w))
    };
    if opens(true) {
        return Some(true);
    }
    opens(false).then_some(false)
}

/// Longest line read as a report part's heading.
const MAX_PART_HEADING_CHARS: usize = 45;
/// The status words of `lexicon/status_words.tsv` of one kind, by priority.
fn words_of(kind: &str) -> Vec<&'static str> {
    lexicon::STATUS_WORDS
        .iter()
        .filter(|(_, k)| *k == kind)
        .map(|(w, _)| *w)
        .collect()
}

/// Words that state a project done; 已 before them makes it a fact in any document.
static DONE: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("done"));
/// Words that mark work under way.
static UNDER_WAY: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("under_way"));
/// Words that leave a project on paper.
static ON_PAPER: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("on_paper"));
/// How far after a name a word of its designation is looked for (被列入, 自驾游品牌).
const DESIGNATION_CHARS: usize = 6;
/// Words that name a standing facility for its grade, its standing or its use.
static DESIGNATED: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("designated"));
/// Head words of sites that stand (a heritage site, a natural area, a resource field): named
/// with no word of their state, they are there already.
static STANDING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("standing"));

/// The state of a mention no word decided: in a work report a standing site (培育克州冰川公园…
/// 等地标性旅游龙头产品, 挖掘交河故城的文化内涵) is operating, unless the clause after it names
/// work on it (推进…景区建设, …矿区污染治理); a plan's list of scenic areas names its goals, and
/// anything else keeps the part's default.
pub fn unworded(
    kind: DocKind,
    name: &str,
    after: &str,
    default: Status,
) -> (Status, Option<&'static str>) {
    let worked_on = lexicon::SITE_WORKS.iter().any(|w| after.contains(w));
    match STANDING.iter().find(|w| name.ends_with(*w)) {
        Some(w) if kind == DocKind::Report && !worked_on => (Status::Operating, Some(w)),
        _ => (default, None),
    }
}

/// Words that lean on a working facility.
static WORKING: LazyLock<Vec<&'static str>> = LazyLock::new(|| words_of("working"));

/// The status of a mention that may stand in a list: the words right after it, up to the next
/// item (甲建成、乙开工), else the words that close the list (甲、乙、丙等一批重点项目开工
/// 建设), which speak for every item. `after` runs to the end of the clause, `after_list` from
/// the end of the last item found in the mention's list (its own end when it is alone).
pub fn status_in_list(
    kind: DocKind,
    in_review: bool,
    before: &str,
    after: &str,
    after_list: &str,
) -> (Status, Option<&'static str>) {
    let (own, rest) = after.split_once('、').unwrap_or((after, ""));
    let near = status_of(kind, in_review, before, own);
    if near.1.is_some() {
        return near;
    }
    // the list's end: after its last item found, from its 等 (…改造等一批水利枢纽工程建成投用);
    // a pair joined by 和 shares its closing words (做好甲和乙项目前期工作)
    let tail = if after_list.len() < after.len() {
        after_list
    } else if !rest.is_empty() {
        rest
    } else if own.contains('等') {
        own
    } else {
        return near;
    };
    // (等现有国家级边境经济合作区: the words after 等 are the list's own)
    let tail = tail
        .find('等')
        .map_or(tail, |k| &tail[k + '等'.len_utf8()..]);
    status_of(kind, in_review, before, tail)
}

/// The status one mention states, and the words that decided it. `before` is the clause up to
/// the mention, `after` the rest of its clause.
pub fn status_of(
    kind: DocKind,
    in_review: bool,
    before: &str,
    after: &str,
) -> (Status, Option<&'static str>) {
    let near_after: String = after.chars().take(12).collect();
    let fact = |w: &str| {
        before.contains(&format!("已{w}"))
            || near_after.contains(&format!("已{w}"))
            || before.contains("已经")
    };
    // a done word states a fact after 已 or in a review, else a target (so work under way)
    let done_or_target = |w: &'static str| {
        let status = if fact(w) || in_review {
            Status::Completed
        } else {
            Status::Building
        };
        (status, Some(w))
    };
    // 完成…前期工作, 力争开工: still on paper whatever else is said
    if before.contains("前期") || near_after.contains("前期") {
        return (Status::Planned, Some("前期"));
    }
    // 江布拉克被列入国家5A级旅游景区创建名单, 打造独库公路自驾游品牌, 加强与…陆港区联系: a
    // facility that stands, named for what it is or does
    let right_after: String = after.chars().take(DESIGNATION_CHARS).collect();
    if let Some(w) = DESIGNATED
        .iter()
        .find(|w| right_after.contains(*w) || before.ends_with(*w))
    {
        return (Status::Operating, Some(w));
    }
    // (a report) 推进国际大巴扎申报国家5A级景区: a grade applied for by a site that stands; in a
    // plan the grade is the goal
    if let Some(w) = lexicon::GRADE_APPLICATIONS.iter().find(|w| {
        kind == DocKind::Report
            && near_after
                .split_once(*w)
                .is_some_and(|(_, rest)| rest.contains("A级") || rest.starts_with("为"))
    }) {
        return (Status::Operating, Some(w));
    }
    // done: a fact where the text says so (已建成, a report's review), else a target
    for &w in DONE.iter() {
        if near_after.contains(w) || before.ends_with(w) || before.contains(&format!("{w}了")) {
            return done_or_target(w);
        }
    }
    for &w in ON_PAPER.iter() {
        if before.contains(w) || near_after.contains(w) {
            // 力争…并网发电, 力争…年内建成: a completion target, so work under way
            if w == "力争" {
                if let Some(&d) = DONE.iter().find(|d| after.contains(*d)) {
                    return (Status::Building, Some(d));
                }
            }
            return (Status::Planned, Some(w));
        }
    }
    for &w in UNDER_WAY.iter() {
        if before.contains(w) || near_after.contains(w) {
            // 开工建设, 启动 as a plan's goal are still on paper
            if kind == DocKind::Plan && (w == "开工建设" || w == "启动") {
                return (Status::Planned, Some(w));
            }
            return (Status::Building, Some(w));
        }
    }
    // 以喀什、霍尔果斯经济开发区为两翼, …干线公路为骨架: what a plan builds on is there already
    if lexicon::FOUNDATIONS
        .iter()
        .any(|w| after.contains(&format!("为{w}")))
    {
        return (Status::Operating, Some("为"));
    }
    // 严格保护…国家森林公园, …水源地保护; 已升格, 已入驻: a site that exists
    let protects = near_after.starts_with("保护")
        && !near_after.starts_with("保护项目")
        && !near_after.starts_with("保护工程");
    if before.ends_with("保护") || protects {
        return (Status::Operating, Some("保护"));
    }
    if near_after.starts_with('已') {
        return (Status::Operating, Some("已"));
    }
    for &w in WORKING.iter() {
        // 依托西白杨沟、菊花台等景区: the word that opens a list leans on every item of it
        let opens = lexicon::LIST_OPENERS.contains(&w)
            && before
                .trim_start_matches(|c: char| !c.is_alphanumeric())
                .starts_with(w);
        if before.ends_with(w)
            || opens
            || near_after.starts_with(w)
            || (before.contains(w) && before.chars().count() <= 8)
        {
            return (Status::Operating, Some(w));
        }
    }
    for &w in DONE.iter() {
        if before.contains(w) {
            return done_or_target(w);
        }
    }
    // a plan's review names what was worked on (实施…提档升级工程 in 十三五's review); a
    // report's review that names a project with no word of its state names one that stands
    // (临空经济示范区、河马泉等新区峥嵘初现): the least of states, which any other mention in
    // the report outranks
    match kind {
        DocKind::Plan if in_review => (Status::Building, None),
        DocKind::Plan => (Status::Planned, None),
        DocKind::Report if in_review => (Status::Operating, None),
        DocKind::Report => (Status::Building, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_state_goals_and_reports_state_facts() {
        let plan = |b: &str, a: &str| status_of(DocKind::Plan, false, b, a).0;
        assert_eq!(plan("加快", "建设"), Status::Building);
        assert_eq!(plan("推进", "建设"), Status::Planned);
        assert_eq!(plan("加快建设", ""), Status::Building);
        assert_eq!(plan("", "已建成通车"), Status::Completed);
        assert_eq!(plan("", "建成通车"), Status::Building);
        assert_eq!(plan("开展", "前期工作"), Status::Planned);
        assert_eq!(plan("依托", ""), Status::Operating);
        assert_eq!(plan("新建", ""), Status::Planned);
        assert_eq!(review_heading("第一章 发展基础条件"), Some(true));
        assert_eq!(review_heading("一、2021年工作回顾"), Some(true));
        assert_eq!(review_heading("第二章 发展环境和长远目标"), Some(false));
        assert_eq!(review_heading("第三节 综合经济实力跨上新台阶"), None);
        assert_eq!(
            review_heading("第五章 加快基础设施现代化 夯实经济发展基础"),
            Some(false)
        );
        let review = |b: &str, a: &str| status_of(DocKind::Report, true, b, a).0;
        assert_eq!(review("", "建成投运"), Status::Completed);
        assert_eq!(
            status_year(DocKind::Plan, false, Some(2021), "力争2023年", "建成"),
            Some(2023)
        );
        assert_eq!(
            status_year(DocKind::Report, true, Some(2022), "", "建成"),
            Some(2021)
        );
        assert_eq!(
            status_year(DocKind::Report, false, Some(2022), "", ""),
            Some(2022)
        );
        assert_eq!(
            status_year(DocKind::Plan, false, Some(2021), "建设", ""),
            None
        );
        let doc = |t: &str| Document::from_bytes("d.txt", t.as_bytes()).unwrap();
        assert_eq!(
            DocKind::of(&doc("2022年政府工作报告\n正文")),
            DocKind::Report
        );
        assert_eq!(
            DocKind::of(&doc("某县第十四个五年规划纲要\n按照政府工作报告部署")),
            DocKind::Plan
        );
        let next = |b: &str, a: &str| status_of(DocKind::Report, false, b, a).0;
        assert_eq!(next("开工建设", ""), Status::Building);
        assert_eq!(next("", "建成通车"), Status::Building);
    }
}
