//! A synthetic portfolio for benchmarks and scale tests: plan texts in the shape of county
//! plans and work reports, whose project names are built from the gazetteer's county names,
//! transliteration-like syllables and the type words, so that N plans name about 40·N distinct
//! projects, plus a pool of projects many plans share (the region's airports and corridors).
//! Deterministic: plan `n` is the same text on every run. Never used as gold.

use planmap::gazetteer::{Gazetteer, Level};

/// Syllables of the kind Xinjiang place names are made of.
const SYLLABLES: [&str; 40] = [
    "阿克",
    "喀拉",
    "萨依",
    "托里",
    "布拉克",
    "吐尔",
    "巴什",
    "阿拉",
    "库木",
    "铁热",
    "克孜",
    "乌拉",
    "苏木",
    "塔勒",
    "艾肯",
    "别斯",
    "加依",
    "铁列",
    "玉什",
    "恰勒",
    "奥依",
    "阔克",
    "赛克",
    "哈拉",
    "额敏",
    "乔巴",
    "叶尔",
    "沙尔",
    "伊列",
    "克尔",
    "孔雀",
    "琼库",
    "阿尔",
    "博古",
    "都拉",
    "塔斯",
    "夏尔",
    "科克",
    "乃门",
    "吉仁",
];

/// Type words and the sentence verbs plans put before them.
const KINDS: [&str; 12] = [
    "水库",
    "工业园区",
    "国家湿地公园",
    "生态旅游景区",
    "物流园",
    "光伏发电项目",
    "风电场",
    "煤矿",
    "水利枢纽工程",
    "森林公园",
    "产业园",
    "自然保护区",
];
const VERBS: [&str; 6] = ["加快建设", "推进", "建成", "续建", "启动", "谋划"];
const FILLER: [&str; 6] = [
    "坚持以人民为中心的发展思想，推动经济社会持续健康发展。",
    "深化改革开放，优化营商环境，激发市场主体活力。",
    "加强生态环境保护，打好污染防治攻坚战，建设美丽家园。",
    "巩固拓展脱贫攻坚成果，全面推进乡村振兴。",
    "着力保障和改善民生，办好人民满意的教育。",
    "统筹发展和安全，维护社会大局稳定。",
];
/// Distinct projects each plan names.
pub const PROJECTS_PER_PLAN: usize = 40;

fn word(mut g: usize) -> String {
    // a number written in syllables, three at least: distinct numbers give distinct words
    let mut out = String::new();
    for _ in 0..3 {
        out.push_str(SYLLABLES[g % SYLLABLES.len()]);
        g /= SYLLABLES.len();
    }
    while g > 0 {
        out.push_str(SYLLABLES[g % SYLLABLES.len()]);
        g /= SYLLABLES.len();
    }
    out
}

/// The county-level unit names plan `n` is about.
fn counties(gaz: &Gazetteer) -> Vec<&str> {
    gaz.units()
        .iter()
        .filter(|u| u.level == Level::County)
        .map(|u| u.name.as_str())
        .collect()
}

/// Plan `n` of a synthetic portfolio.
pub fn plan(gaz: &Gazetteer, n: usize) -> String {
    let units = counties(gaz);
    let county = units[n % units.len()];
    let year = 2013 + (n % 12);
    let report = n.is_multiple_of(3);
    let mut t = String::new();
    if report {
        t.push_str(&format!("{county}{year}年政府工作报告（第{n}号）\n"));
    } else {
        t.push_str(&format!(
            "{county}国民经济和社会发展第十四个五年规划纲要（第{n}号）\n"
        ));
    }
    t.push_str(&format!("{county}人民政府\n"));
    for chapter in 0..PROJECTS_PER_PLAN / 8 {
        t.push_str(&format!("第{}章 重点项目建设\n", chapter + 1));
        for f in 0..3 {
            t.push_str(FILLER[(n + chapter + f) % FILLER.len()]);
            t.push('\n');
        }
        let mut line = String::new();
        for j in 0..8 {
            let g = n * PROJECTS_PER_PLAN + chapter * 8 + j;
            let kind = KINDS[g % KINDS.len()];
            let verb = VERBS[(g / 7) % VERBS.len()];
            line.push_str(&format!("{verb}{county}{}{kind}，", word(g)));
            if j % 4 == 3 {
                line.pop();
                line.push('。');
                t.push_str(&line);
                t.push('\n');
                line.clear();
            }
        }
    }
    // what many plans share: the region's airports, and corridors between county seats
    t.push_str("第九章 基础设施互联互通\n");
    let a = units[(n * 7) % 20];
    let b = units[(n * 7 + 3) % 20];
    t.push_str(&format!(
        "积极配合乌鲁木齐国际机场改扩建，推进{a}至{b}高速公路建设，加快{a}机场前期工作。\n"
    ));
    t
}
