//! Extraction on the seeds and on sentences written for the hard cases.

mod common;

use planmap::extract::extract_all;
use planmap::gazetteer::Gazetteer;
use planmap::model::Project;
use planmap::model::{Action, Category, Document};

const MIN_PRECISION: f64 = 0.88;
const MIN_RECALL: f64 = 0.88;
const MIN_DOC_F1: f64 = 0.80;
/// The least F1 of one work report of the dev set (乌鲁木齐 2021 is the lowest, at 0.74).
const MIN_REPORT_F1: f64 = 0.72;

fn projects_of(text: &str) -> Vec<Project> {
    let gaz = Gazetteer::embedded().unwrap();
    let doc = Document::from_bytes("t.txt", text.as_bytes()).unwrap();
    extract_all(&gaz, &[doc])
}

fn names(ps: &[Project]) -> Vec<&str> {
    ps.iter().map(|p| p.name.as_str()).collect()
}

/// Documents of the dev set that are seeds (plans and one task breakdown); the rest are the work
/// reports 11-15.
const SEED_DOCS: [&str; 4] = ["000", "002", "003", "004"];

/// The dev gold, scored by the shared scorer. The four seeds (a region's action plan, a
/// prefecture's plan, the region's work-report breakdown, a county's plan) hold issue 12's bar:
/// precision and recall 0.88, category 0.95, county 0.92, status 0.85, F1 0.80 for each. The
/// nine documents with the five work reports hold issue 26's status bar (0.88) and the floor
/// issue 25 has reached so far (its bar, P and R 0.88, F1 0.80 a document, county 0.90, is not
/// yet met).
#[test]
fn dev_gold_score() {
    let pred = common::extract_dev_to_file();
    let seeds: Vec<_> = common::gold_files()
        .into_iter()
        .filter(|g| SEED_DOCS.iter().any(|d| g.ends_with(format!("{d}.jsonl"))))
        .collect();
    assert_eq!(seeds.len(), SEED_DOCS.len());
    for gold in common::gold_files() {
        let d = common::score_against(&pred, std::slice::from_ref(&gold));
        let doc = gold.file_name().unwrap().to_string_lossy().into_owned();
        println!(
            "{doc}: precision {} recall {} F1 {} county {} status {}",
            d.precision, d.recall, d.f1, d.county, d.status
        );
        let floor = if seeds.contains(&gold) {
            MIN_DOC_F1
        } else {
            MIN_REPORT_F1
        };
        assert!(d.f1 >= floor, "{doc}: F1 {}", d.f1);
    }
    let s = common::score_against(&pred, &seeds);
    println!("seeds: {}", s.report);
    assert!(s.precision >= MIN_PRECISION, "precision {}", s.precision);
    assert!(s.recall >= MIN_RECALL, "recall {}", s.recall);
    assert!(s.category >= 0.95, "category {}", s.category);
    assert!(s.county >= 0.92, "county {}", s.county);
    assert!(s.status >= 0.85, "status {}", s.status);
    let all = common::score(&pred);
    println!("all nine: {}", all.report);
    assert!(all.precision >= 0.87, "precision {}", all.precision);
    assert!(all.recall >= 0.85, "recall {}", all.recall);
    assert!(all.category >= 0.95, "category {}", all.category);
    assert!(all.county >= 0.85, "county {}", all.county);
    assert!(all.status >= 0.88, "status {}", all.status);
    let _ = std::fs::remove_file(&pred);
}

#[test]
fn every_quote_stands_verbatim_at_its_line() {
    let gaz = Gazetteer::embedded().unwrap();
    let docs = planmap::seeds::documents().unwrap();
    let located = planmap::locate_documents(&gaz, &docs);
    assert!(located.len() > 300);
    let mut n = 0;
    for l in &located {
        for m in &l.project.mentions {
            let doc = docs
                .iter()
                .find(|d| d.name == m.doc)
                .expect("mention names a seed");
            let line = doc.text.lines().nth(m.line - 1).expect("line exists");
            assert!(
                line.contains(&m.quote),
                "{}:{} {:?} not in line",
                m.doc,
                m.line,
                m.quote
            );
            assert!(m.quote.chars().count() <= 60);
            n += 1;
        }
    }
    println!("{n} mentions checked");
}

#[test]
fn enumerations_give_one_project_per_item() {
    let ps = projects_of("积极推进喀拉也木勒、锡伯图、巴音沟等水库前期工作。");
    assert_eq!(names(&ps), ["喀拉也木勒水库", "锡伯图水库", "巴音沟水库"]);
    assert!(ps
        .iter()
        .all(|p| p.category == Category::Reservoir && p.action == Action::Plan));

    let ps = projects_of("改扩建乌鲁木齐、吐鲁番、伊宁机场。");
    let mut n = names(&ps);
    n.sort();
    assert_eq!(n, ["乌鲁木齐机场", "伊宁机场", "吐鲁番机场"]);
    assert!(ps.iter().all(|p| p.action == Action::Expand));

    let ps = projects_of("塔城机场改扩建、和布克赛尔机场、乌苏军民合用机场。");
    assert_eq!(
        names(&ps),
        ["塔城机场", "和布克赛尔机场", "乌苏军民合用机场"]
    );
    assert!(ps.iter().all(|p| p.category == Category::Airport));

    let ps = projects_of("有序支持江格斯、拜亭奇、大南沟等小型水库建设。");
    assert_eq!(names(&ps), ["江格斯水库", "拜亭奇水库", "大南沟水库"]);

    // a count closes a list like 等 does; brackets stay in the names
    let ps = projects_of("打造乌苏市（塔南）、塔城市（塔西）两个国际商贸物流园。");
    assert_eq!(names(&ps), ["乌苏市（塔南）物流园", "塔城市（塔西）物流园"]);

    // a line serving zones is shared by the zones listed before it; counted items are no names
    let ps =
        projects_of("重点建设和丰物流园、乌苏化工园西区（马吉克园区）、沙湾工业园铁路专用线。");
    let lines: Vec<&str> = ps
        .iter()
        .filter(|p| p.category == Category::Railway)
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(
        lines.contains(&"乌苏化工园西区（马吉克园区）铁路专用线"),
        "{lines:?}"
    );
    let ps = projects_of("实施塔城市5条河、额敏河、金沟河等灾害性河流防洪。");
    assert_eq!(names(&ps), ["额敏河防洪", "金沟河防洪"]);
}

#[test]
fn classes_organisations_and_bare_places_are_not_projects() {
    for text in [
        "加强支线机场基础设施建设。",
        "建设一批大中型山区水库。",
        "围绕矿区和物流园区建设专用铁路线。",
        "乌鲁木齐铁路局、新疆机场集团、民航新疆管理局大力支持。",
        "塔城地区和乌鲁木齐市共同推进。",
        "实施退耕还林和天然林保护工程。",
        "新建5座战略性山区水库和4800公里农村公路。",
    ] {
        let ps = projects_of(text);
        assert!(ps.is_empty(), "{text}: {:?}", names(&ps));
    }
}

#[test]
fn routes_keep_their_waypoints_in_order() {
    let ps = projects_of("加快阿勒泰-富蕴-准东铁路、乌鲁木齐至石河子至奎屯至伊宁城际铁路建设。");
    let w: Vec<Vec<String>> = ps.iter().map(|p| p.waypoints.clone()).collect();
    assert_eq!(w[0], ["阿勒泰", "富蕴", "准东"]);
    assert_eq!(w[1], ["乌鲁木齐", "石河子", "奎屯", "伊宁"]);
    let ps = projects_of("推进克拉玛依至塔城（巴克图）铁路。");
    assert_eq!(ps[0].name, "克拉玛依至塔城（巴克图）铁路");
    assert_eq!(ps[0].waypoints, ["克拉玛依", "塔城（巴克图）"]);
}

#[test]
fn one_project_many_mentions_and_stable_ids() {
    let text = "完成塔城机场改扩建。\n积极推进塔城机场作为口岸机场的前期工作。\n建设阿不都拉水库。";
    let a = projects_of(text);
    let b = projects_of(text);
    let airport = a.iter().find(|p| p.name == "塔城机场").unwrap();
    assert_eq!(airport.mentions.len(), 2);
    assert_eq!(airport.mentions[0].line, 1);
    assert_eq!(airport.mentions[1].line, 2);
    let ids = |ps: &[Project]| ps.iter().map(|p| p.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a), ids(&b));
    // similar names, different projects
    let ps = projects_of("建设塔城机场和塔城综合保税区。");
    assert_eq!(ps.len(), 2);
}

#[test]
fn investment_and_lines_are_read() {
    let ps = projects_of("第一行\n新建阿尔塔什水利枢纽，总投资约180亿元。");
    assert_eq!(ps[0].name, "阿尔塔什水利枢纽");
    assert_eq!(ps[0].mentions[0].line, 2);
    assert_eq!(ps[0].investment_yi, Some(180.0));
    assert_eq!(ps[0].action, Action::New);
}

#[test]
fn bad_documents_are_refused_with_their_name() {
    assert!(Document::from_bytes("a.txt", b"").is_err());
    assert!(Document::from_bytes("a.txt", "  \n\u{3000}\n".as_bytes()).is_err());
    let e = Document::from_bytes("gbk.txt", &[0xcb, 0xfe, 0xc0, 0xa8, 0xff]).unwrap_err();
    assert!(e.to_string().contains("gbk.txt"), "{e}");

    let dir = std::env::temp_dir().join(format!("planmap-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("latin1.txt");
    std::fs::write(&bad, [0x63, 0x61, 0x66, 0xe9, 0x0a]).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["extract", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("latin1.txt") && err.contains("UTF-8"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_planmap"))
        .args(["extract", dir.join("missing.txt").to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing.txt"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn odd_text_does_not_break_the_extractor() {
    let long_line = "建设塔城机场、".repeat(20_000);
    let ps = projects_of(&long_line);
    assert_eq!(ps.len(), 1);
    assert_eq!(ps[0].mentions.len(), 1);
    // fragments and noise: whatever comes out is a name the text holds, quoted from it
    for text in [
        "（（（（",
        "、、、等等等水库",
        "机场",
        "G",
        "——至——铁路",
        "\u{feff}塔城机场",
    ] {
        for p in projects_of(text) {
            assert!(!p.name.trim().is_empty(), "{text:?}: an empty name");
            assert!(p.name.chars().count() <= 40, "{text:?}: {}", p.name);
            for m in &p.mentions {
                assert!(
                    text.contains(m.quote.trim()),
                    "{text:?}: quote {:?}",
                    m.quote
                );
            }
        }
    }
    assert!(
        projects_of("机场").is_empty(),
        "a bare type word is no project"
    );
}

// Issue 12: one test per error class, on sentences written for the test (not taken from the
// gold), in the shapes Chinese plans use.

/// Class 1: a name never starts with the verb, preposition or conjunction before it.
#[test]
fn names_start_after_verbs_and_prepositions() {
    for (text, want) in [
        ("以白石湾景区为核心，带动周边发展。", "白石湾景区"),
        ("串联红柳滩风景区与周边村落。", "红柳滩风景区"),
        ("将霍尔果斯口岸打造为国际物流枢纽。", "霍尔果斯口岸"),
        ("国家批复昌吉货运铁路纳入中长期规划。", "昌吉货运铁路"),
        ("启用城北片区奎屯水厂。", "城北片区奎屯水厂"),
        // a number is a name too
        ("重点建设635水利枢纽二期。", "635水利枢纽二期"),
        // a joiner inside a word joins nothing
        (
            "推进卡拉麦里山有蹄类野生动物自然保护区建设。",
            "卡拉麦里山有蹄类野生动物自然保护区",
        ),
    ] {
        let ps = projects_of(text);
        assert!(
            names(&ps).contains(&want),
            "{text}: {:?}, want {want}",
            names(&ps)
        );
        assert!(
            ps.iter()
                .all(|p| !p.name.starts_with(['以', '串', '将', '国'])),
            "{text}: {:?}",
            names(&ps)
        );
    }
}

/// Class 2: a type word with nothing before it that names one thing is a class.
#[test]
fn type_words_with_nothing_specific_are_classes() {
    for text in [
        "积极创建国家AAAAA级景区。",
        "深化社会矛盾综合治理。",
        "充分利用既有铁路开行班列。",
        "加强与内地枢纽机场的航线衔接。",
        "完善口岸功能和口岸服务。",
        "规划建设出疆油气管道。",
        "推进山地康体运动旅游区建设。",
        "实施 12 家闭坑矿山生态恢复。",
        "建设镇区供水管道和燃气管道。",
        "推进信息高速公路和电子口岸建设。",
    ] {
        let ps = projects_of(text);
        assert!(ps.is_empty(), "{text}: {:?}", names(&ps));
    }
    // a class word beside a real name leaves the real name
    let ps = projects_of("建设精河工业园区和国家AAAA级景区。");
    assert_eq!(names(&ps), ["精河工业园区"]);
    // but one plain word names a reservoir as often as not
    let ps = projects_of("加快红旗水库、前进水库和胜利水库除险加固。");
    assert_eq!(names(&ps), ["红旗水库", "前进水库", "胜利水库"]);
}

/// Class 4 and 5: every numbered road of a list keeps its own end points, takes the list's type
/// word, and a bare number in passing is no project.
#[test]
fn numbered_roads_keep_their_own_sections() {
    let ps = projects_of("新建G7哈密-巴里坤、G30吐鲁番-托克逊等高速公路，建设G312线赛里木湖-果子沟、S202线奇台-木垒等干线公路。");
    let n = names(&ps);
    for want in [
        "G7哈密-巴里坤高速公路",
        "G30吐鲁番-托克逊高速公路",
        "G312线赛里木湖-果子沟",
        "S202线奇台-木垒",
    ] {
        assert!(n.contains(&want), "{n:?} lacks {want}");
    }
    let w = |name: &str| {
        ps.iter()
            .find(|p| p.name == name)
            .unwrap()
            .waypoints
            .clone()
    };
    assert_eq!(w("G7哈密-巴里坤高速公路"), ["哈密", "巴里坤"]);
    assert_eq!(w("G312线赛里木湖-果子沟"), ["赛里木湖", "果子沟"]);
    for text in ["依托G30沿线城镇发展物流。", "沿G3012向南延伸。"] {
        let ps = projects_of(text);
        assert!(ps.is_empty(), "{text}: {:?}", names(&ps));
    }
    // a section named by a place and 段
    let ps = projects_of("改建G218线霍尔果斯口岸段。");
    assert_eq!(names(&ps), ["G218线霍尔果斯口岸段"]);
    let ps = projects_of("G30线小草湖至哈密段改扩建工程完工。");
    assert_eq!(names(&ps), ["G30线小草湖至哈密段"]);
    assert_eq!(ps[0].waypoints, ["小草湖", "哈密"]);
}

/// Routes listed one after another each keep their own name.
#[test]
fn listed_routes_are_not_run_together() {
    let ps = projects_of("加快和田至若羌铁路、格尔木至库尔勒铁路建设。");
    assert_eq!(names(&ps), ["和田至若羌铁路", "格尔木至库尔勒铁路"]);
    let ps = projects_of("建设阿勒泰-富蕴、克拉玛依-巴克图口岸、精河-阿拉山口二线铁路。");
    let n = names(&ps);
    assert!(
        !n.contains(&"巴克图口岸"),
        "a route's end is no port project: {n:?}"
    );
}

/// Class 6: one project, one feature per document, whichever way the plan writes it.
#[test]
fn one_project_is_one_feature_across_its_names() {
    for (text, n) in [
        // reversed end points
        ("建设哈密至若羌铁路。\n推进若羌—哈密铁路前期工作。", 1),
        // an airport by its city and by its own name
        ("改扩建喀什机场。\n完善喀什徕宁国际机场配套设施。", 1),
        // a short form, and a longer one with a word put in
        ("建设博乐边境经济合作区。\n推进博乐边境经济合作区建设。", 1),
        ("保护赛里木湖湿地公园。\n建设赛里木湖国家湿地公园。", 1),
        // an abbreviated route and its full name
        ("加快奎北铁路建设。\n推进奎屯至北屯铁路电气化改造。", 1),
        // different places stay different projects
        ("建设奎屯物流园和博乐物流园。", 2),
        // the examples merge_key's and plan_keys' comments give, as sentences
        ("改扩建和丰机场。\n推进和布克赛尔机场建设。", 1),
        ("建设巴克图口岸。\n提升塔城巴克图口岸通关能力。", 1),
        ("开发东大塘景区。\n完善东大唐景区基础设施。", 1),
        ("建设乌鲁木齐国际枢纽机场。\n改扩建乌鲁木齐地窝堡机场。", 1),
        ("建设塔城2×35万千瓦热电项目。\n推进塔城热电建设。", 1),
        ("建设克塔铁路。\n推进克拉玛依至塔城铁路建设。", 1),
        ("建设奎屯物流园区。\n完善奎屯物流园功能。", 1),
        ("建设塔城市俄罗斯族风情街。\n提升俄罗斯族风情街。", 1),
    ] {
        let ps = projects_of(text);
        assert_eq!(ps.len(), n, "{text}: {:?}", names(&ps));
    }
}

/// Issue 14: what each mention says of its project's state, in a plan and in a work report
/// with its review and plan parts.
#[test]
fn mentions_say_what_state_their_project_is_in() {
    use planmap::model::Status;
    let status_of = |text: &str, name: &str| {
        let ps = projects_of(text);
        let p = ps
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", names(&ps)));
        p.mentions[0].status
    };
    let plan = "昌吉州国民经济和社会发展第十四个五年规划纲要\n第四章 基础设施\n";
    for (line, name, want) in [
        ("加快建设石门子水库。", "石门子水库", Status::Building),
        (
            "开展奎屯至独山子铁路前期工作。",
            "奎屯至独山子铁路",
            Status::Planned,
        ),
        (
            "新建吉木萨尔通用机场。",
            "吉木萨尔通用机场",
            Status::Planned,
        ),
        (
            "力争建成阜康抽水蓄能电站。",
            "阜康抽水蓄能电站",
            Status::Building,
        ),
        (
            "依托奇台江布拉克景区发展乡村旅游。",
            "奇台江布拉克景区",
            Status::Operating,
        ),
        (
            "严格保护巴音布鲁克湿地公园。",
            "巴音布鲁克湿地公园",
            Status::Operating,
        ),
        (
            "乌奎高速公路已建成通车。",
            "乌奎高速公路",
            Status::Completed,
        ),
    ] {
        assert_eq!(status_of(&format!("{plan}{line}\n"), name), want, "{line}");
    }
    // a plan's review chapter states what was worked on and done
    let review = "第一章 发展基础条件\n建成石门子水库。\n第二章 发展目标\n建成头屯河水库。\n";
    let ps = projects_of(&format!("{plan}{review}"));
    let st = |n: &str| ps.iter().find(|p| p.name == n).unwrap().mentions[0].status;
    assert_eq!(st("石门子水库"), Status::Completed);
    assert_eq!(st("头屯河水库"), Status::Building);
    // a work report: its review states facts, its plan part the year's work
    let report = "2022年政府工作报告\n过去一年，阿克苏机场改扩建工程建成投用。\n二、2022年工作安排\n建成喀什机场改扩建工程。开展和田至若羌铁路前期工作。\n";
    let ps = projects_of(report);
    let st = |n: &str| ps.iter().find(|p| p.name == n).unwrap().mentions[0].status;
    assert_eq!(st("阿克苏机场"), Status::Completed);
    assert_eq!(st("喀什机场"), Status::Building);
    assert_eq!(st("和田至若羌铁路"), Status::Planned);
}

/// Issue 25: the head words work reports use, as open families: each needs something specific
/// before it (a place, a proper noun, a street), and a city names its numbered lines and ring
/// roads without one.
#[test]
fn work_report_head_words_name_projects() {
    let text = "2022年某市政府工作报告\n\
        推进玛纳斯河示范河湖、呼图壁县城乡供水一体化工程和鄯善县风光储一体化项目建设。\n\
        建设中欧班列（乌鲁木齐）集结中心、喀什国际物流枢纽。\n\
        实施喀什路南延、西山路西延、东进场路高架、经二路延长线等主干道项目，有序推进轨道交通2号线建设，\n\
        西绕城高速、东二环路建成通车。\n\
        打造阿图什阿孜汗故城、奇台唐朝墩古墓群、吐鲁番葡萄沟主题乐园和喀纳斯度假胜地。\n\
        建设昌吉古城商业街、库车龟兹不夜城、哈密丝路影视城、水磨河亲水景观长廊。\n\
        加快吉木萨尔油（气）田、可可托海锂矿和若羌铅锌矿开发。\n\
        修缮鄯善鲁克沁郡王府，保护乌孙古道，建设焉耆天塞酒庄、阿勒泰将军山文旅项目。\n\
        推进哈密有轨电车、呼图壁储气库、白碱滩三平镇供暖热源和准东开发区生态屏障工程建设。\n\
        推进乌恰吉根锰矿和乌拉根锌矿整合勘查开发。\n";
    let ps = projects_of(text);
    let got = names(&ps);
    for (name, category) in [
        ("玛纳斯河示范河湖", Category::Water),
        ("呼图壁县城乡供水一体化工程", Category::Water),
        ("鄯善县风光储一体化项目", Category::Energy),
        ("中欧班列（乌鲁木齐）集结中心", Category::Port),
        ("喀什国际物流枢纽", Category::IndustrialPark),
        ("喀什路南延", Category::Highway),
        ("西山路西延", Category::Highway),
        ("东进场路高架", Category::Highway),
        ("经二路延长线", Category::Highway),
        ("轨道交通2号线", Category::UrbanRail),
        ("西绕城高速", Category::Highway),
        ("东二环路", Category::Highway),
        ("阿图什阿孜汗故城", Category::Scenic),
        ("奇台唐朝墩古墓群", Category::Scenic),
        ("吐鲁番葡萄沟主题乐园", Category::Scenic),
        ("喀纳斯度假胜地", Category::Scenic),
        ("昌吉古城商业街", Category::Scenic),
        ("库车龟兹不夜城", Category::Scenic),
        ("哈密丝路影视城", Category::Scenic),
        ("水磨河亲水景观长廊", Category::Park),
        ("吉木萨尔油（气）田", Category::Mining),
        ("可可托海锂矿", Category::Mining),
        ("若羌铅锌矿", Category::Mining),
        ("鄯善鲁克沁郡王府", Category::Scenic),
        ("乌孙古道", Category::Scenic),
        ("焉耆天塞酒庄", Category::Scenic),
        ("阿勒泰将军山文旅项目", Category::Scenic),
        ("哈密有轨电车", Category::UrbanRail),
        ("呼图壁储气库", Category::Energy),
        ("白碱滩三平镇供暖热源", Category::Energy),
        ("准东开发区生态屏障工程", Category::ProtectedArea),
        ("乌恰吉根锰矿", Category::Mining),
        ("乌拉根锌矿", Category::Mining),
    ] {
        let p = ps
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {got:?}"));
        assert_eq!(p.category, category, "{name}");
    }
    // a zone by the airport is the one of the plan's city (临空产业园 in 吐鲁番市's report)
    let ps = projects_of("哈密市2023年政府工作报告\n推进临空产业园建设。\n");
    assert_eq!(names(&ps), ["临空产业园"]);
    // the same head words after nothing specific name a kind of thing
    let ps = projects_of(
        "建设一批物流枢纽、主题乐园和商业街，完善主干道高架，做好电压电网改造。\n\
            发展葡萄酒庄，保护历史古道，实施一批文旅项目，建设城市供暖热源。\n",
    );
    assert!(ps.is_empty(), "{:?}", names(&ps));
}

/// Issue 25: a grade's class names the place given it; road numbers listed before a road word
/// are roads.
#[test]
fn designations_and_listed_road_numbers_name_projects() {
    use planmap::model::Status;
    let text = "2023年政府工作报告\n一、2022年工作回顾\n\
        燕泉山创建为国家4A级旅游景区，柯坪成为国家百万千瓦级光伏基地，G312、G331、S327公路项目建成通车。\n";
    let ps = projects_of(text);
    let got = names(&ps);
    for (name, category, status) in [
        ("燕泉山景区", Category::Scenic, Status::Operating),
        ("柯坪光伏基地", Category::Energy, Status::Operating),
        ("G312公路", Category::Highway, Status::Completed),
        ("G331公路", Category::Highway, Status::Completed),
        ("S327公路", Category::Highway, Status::Completed),
    ] {
        let p = ps
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {got:?}"));
        assert_eq!(
            (p.category, p.mentions[0].status),
            (category, status),
            "{name}"
        );
    }
    // every plain item of a list given a grade; an item with its own type word is itself
    let mut got: Vec<String> = projects_of(
        "推动赛里木湖、果子沟大峡谷创建国家5A级景区，那拉提、唐布拉酒庄创建国家4A级景区。\n",
    )
    .iter()
    .map(|p| p.name.clone())
    .collect();
    got.sort();
    assert_eq!(
        got,
        ["唐布拉酒庄", "果子沟大峡谷", "赛里木湖景区", "那拉提景区"]
    );
    // numbers before 等 and a class of roads are the roads, by their numbers
    let ps = projects_of("建成以G216、G580、S221等国省道为骨架的干线公路网。\n");
    assert_eq!(names(&ps), ["G216", "G580", "S221"]);
    let ps = projects_of("G216途经阿勒泰，S221等待批复。\n");
    assert!(ps.is_empty(), "{:?}", names(&ps));
    // a list of places given a grade together, or a verb's object, is no subject
    let ps = projects_of("木垒国家农业公园等6家景区创建为4A级景区，推动全县成为国家级示范区。\n");
    assert_eq!(names(&ps), vec!["木垒国家农业公园"]);
    // an adverb before the verb is no part of the subject
    let ps = projects_of("2023年政府工作报告\n一、2022年工作回顾\n阿拉沟成功晋升国家4A级景区。\n");
    assert_eq!(names(&ps), vec!["阿拉沟景区"]);
    // a site applying for a grade, or striving for it, is named by it too
    let ps = projects_of("支持喀拉峻申报国家5A级旅游景区，推动库鲁斯台草原争创国家4A级景区。\n");
    let mut got = names(&ps);
    got.sort();
    assert_eq!(got, vec!["喀拉峻景区", "库鲁斯台草原景区"]);
}

/// Issue 25: a count right after a list that numbers exactly its items closes the list as 等
/// does; an item that is already a thing of the list's kind is named whole; a count of things in
/// a place, or one that does not match the list, names nothing.
#[test]
fn lists_closed_by_a_count_that_numbers_them() {
    let sorted = |text: &str| {
        let ps = projects_of(text);
        let mut v: Vec<String> = ps.iter().map(|p| p.name.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(
        sorted("加快白哈巴、禾木、喀纳斯三条旅游风景道建设。\n"),
        ["喀纳斯风景道", "白哈巴风景道", "禾木风景道"]
    );
    assert_eq!(
        sorted("做好伽师县、岳普湖县、麦盖提县3处国家湿地公园验收。\n"),
        ["伽师县湿地公园", "岳普湖县湿地公园", "麦盖提县湿地公园"]
    );
    // an item already named by the list's kind, however weak that word alone
    assert_eq!(
        sorted("乌孙古道等3条古道纳入自治区精选古道名录。\n"),
        ["乌孙古道"]
    );
    assert_eq!(
        sorted("做好喀拉峻大峡谷等12个A级景区提档升级。\n"),
        ["喀拉峻大峡谷"]
    );
    // a route named after a site of another kind (the site a project too)
    assert_eq!(
        sorted("推进乌孙古道、禾木两条旅游风景道建设。\n"),
        ["乌孙古道", "乌孙古道风景道", "禾木风景道"]
    );
    // generic items of the list's own kind are a class
    assert!(sorted("推进城市公园、郊野公园、口袋公园等公园建设。\n").is_empty());
    // counts of things: after no list, after a list they do not number, in a place, ordinals
    for text in [
        "新建3座水库，建设2个产业园。\n",
        "推进昌吉、阜康三条公路建设。\n",
        "完成第3条公路建设。\n",
        "以打造全疆三大物流枢纽为契机。\n",
    ] {
        assert!(sorted(text).is_empty(), "{text}: {:?}", sorted(text));
    }
    // a place that only looks like a count, and a capacity, are names
    assert_eq!(
        sorted("推进五家渠经济技术开发区、哈密10万千瓦光伏项目建设。\n"),
        ["五家渠经济技术开发区", "哈密10万千瓦光伏项目"]
    );
}

/// Issue 25: the items of a list the text itself calls projects (甲、乙等项目) are projects' names
/// even when made of plain words; the same words outside such a list read as a kind of thing, and
/// a function word still makes one.
#[test]
fn items_of_a_list_called_projects_are_names() {
    let ps = projects_of("金谷科创园、城北主干道西延、东湖海子旅游区等项目完工。\n");
    assert_eq!(
        names(&ps),
        ["金谷科创园", "城北主干道西延", "东湖海子旅游区"]
    );
    let ps = projects_of("完成金谷科创园、城北主干道西延建设。\n");
    assert!(ps.is_empty(), "{:?}", names(&ps));
    let ps = projects_of("推进哈密产业园区、既有铁路等项目。\n");
    assert_eq!(names(&ps), ["哈密产业园区"]);
}

/// Issue 25: a bare item of a list the text calls projects is a project when it names something
/// and a word in it (item_kinds.tsv) says what kind of work it is: every word's example.
#[test]
fn item_kind_words_decide_their_examples() {
    let table = include_str!("../src/extract/lexicon/item_kinds.tsv");
    let mut checked = 0;
    for line in table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "word, category, example: {line}");
        let (word, example) = (f[0], f[2]);
        let want = Category::from_key(f[1]).unwrap_or_else(|| panic!("category in {line}"));
        let (name, plain) = example
            .split_once('【')
            .and_then(|(a, r)| r.split_once('】').map(|(n, b)| (n, format!("{a}{n}{b}"))))
            .unwrap_or_else(|| panic!("no 【name】 in {line}"));
        assert!(name.contains(word), "{word} not in {name}");
        let ps = projects_of(&format!("某地区2022年政府工作报告\n{plain}\n"));
        let p = ps
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", names(&ps)));
        assert_eq!(p.category, want, "{name}");
        checked += 1;
    }
    assert!(checked >= 10, "{checked}");
    // nothing named, no kind of work, or not called projects: no project
    for text in [
        "乡村振兴示范村创建、地方政府储气设施等项目有序推进。\n",
        "托克逊招商引资、哈密营商环境等项目有序推进。\n",
        "推进托克逊洁净能源多联产。\n",
    ] {
        let ps = projects_of(text);
        assert!(ps.is_empty(), "{text}: {:?}", names(&ps));
    }
}

/// Issue 25: a heritage site, a park or a work in the field is named after a local name no
/// gazetteer holds (苏巴什古城); a zone or a street is not named by any word alone.
#[test]
fn weak_site_heads_take_a_proper_noun() {
    let ps = projects_of("推进苏巴什古城保护，建设苏库恰克公园，打通托帕隧道。\n");
    let got = names(&ps);
    for name in ["苏巴什古城", "苏库恰克公园", "托帕隧道"] {
        assert!(got.contains(&name), "{name} in {got:?}");
    }
    // a site a proper noun names shares its name with no item before it
    let ps = projects_of("打造艾丁湖、楼兰酒庄。\n");
    assert_eq!(names(&ps), ["楼兰酒庄"]);
    let ps = projects_of("孔庙、林则徐故居成为全国重点文物保护单位。\n");
    assert_eq!(names(&ps), ["林则徐故居"]);
    // a class described at length after 等 is what the items are, each named as it stands
    // (places alone are not named so)
    let ps = projects_of("加强孔庙、钟鼓楼、伊宁等历史文物遗址保护利用。\n");
    assert_eq!(names(&ps), ["孔庙", "钟鼓楼"]);
    // a preposition before a list's first item is no part of it
    let mut got: Vec<String> = projects_of("以黑山、克布尔碱、沙尔湖矿区为重点。\n")
        .iter()
        .map(|p| p.name.clone())
        .collect();
    got.sort();
    assert_eq!(got, ["克布尔碱矿区", "沙尔湖矿区", "黑山矿区"]);
    let ps = projects_of("建设美丽新区，打造时尚广场，提升城市公园。\n");
    assert!(ps.is_empty(), "{:?}", names(&ps));
}

/// Issue 26: what a work report says of each project's state, by the part it stands in (its
/// review through numbered sub-headings, its plan), the verb that closes a list, and the words
/// that name a standing facility.
#[test]
fn work_reports_state_each_project_of_a_list_by_its_part() {
    use planmap::model::Status;
    let st = |text: &str, name: &str| -> Status {
        let ps = projects_of(text);
        ps.iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", names(&ps)))
            .mentions[0]
            .status
    };
    let report = |review: &str, plan: &str| {
        format!(
            "2023年政府工作报告\n一、2022年工作回顾\n一、坚持稳中求进\n{review}\n二、着力扩大有效投资\n\
             {review}\n二、2023年工作安排\n（一）加快基础设施建设\n{plan}\n"
        )
    };
    // numbered sub-headings inside the review keep it a review; the verb after a list speaks
    // for every item, however far from it
    let listed =
        "乌什—温宿公路、柯坪县阿恰水库、伽师—岳普湖220千伏输变电工程等一批重点项目开工建设。";
    let text = report("和田机场改扩建工程建成投用。", listed);
    assert_eq!(st(&text, "和田机场"), Status::Completed);
    for name in ["乌什—温宿公路", "柯坪县阿恰水库"] {
        assert_eq!(st(&report("", listed), name), Status::Building, "{name}");
        assert_eq!(st(&report(listed, ""), name), Status::Building, "{name}");
    }
    let done = "碧流河水库、齐古水库、玛纳斯河大型灌区改造等一批水利枢纽工程建成投用。";
    for name in ["碧流河水库", "齐古水库"] {
        assert_eq!(st(&report(done, ""), name), Status::Completed, "{name}");
    }
    // a heading unnumbered, and a lead-in line, open the parts as numbered ones do
    let text = "2021年政府工作报告\n“十三五”时期及2020年工作回顾\n一年来，我们主要做了以下工作：\n\
                一、抓好重点项目\n石门子水库建成。\n“十四五”时期重大举措及2021年工作部署\n\
                完成头屯河水库建设。\n";
    assert_eq!(st(text, "石门子水库"), Status::Completed);
    assert_eq!(st(text, "头屯河水库"), Status::Building);
    // a facility the review names without a word of its state stands: operating, which any
    // other mention in the report outranks
    let text = report("塔城机场、博乐机场等支线机场航线加密。", "");
    assert_eq!(st(&text, "塔城机场"), Status::Operating);
    for (sentence, name) in [
        ("燕泉山景区晋升为国家4A级景区。", "燕泉山景区"),
        ("喀什经济开发区提质增效。", "喀什经济开发区"),
        (
            "江布拉克景区被列入国家5A级旅游景区创建名单。",
            "江布拉克景区",
        ),
        ("兵准产业园、乌准产业园相继入驻。", "乌准产业园"),
    ] {
        assert_eq!(
            st(&report(sentence, ""), name),
            Status::Operating,
            "{sentence}"
        );
    }
    for (sentence, name) in [
        ("打造独库公路自驾游品牌。", "独库公路"),
        ("加强与乌鲁木齐国际陆港区联系。", "乌鲁木齐国际陆港区"),
        ("力争成为乌鲁木齐国际机场的备降机场。", "乌鲁木齐国际机场"),
        ("推进国际大巴扎景区申报国家5A级景区。", "国际大巴扎景区"),
    ] {
        assert_eq!(
            st(&report("", sentence), name),
            Status::Operating,
            "{sentence}"
        );
    }
    // planning words in the plan part; a completion target is work under way
    for (sentence, name, want) in [
        (
            "力促麦盖提—巴楚铁路开工。",
            "麦盖提—巴楚铁路",
            Status::Planned,
        ),
        ("做好乌恰机场开工前准备工作。", "乌恰机场", Status::Planned),
        (
            "争取申建喀什综合保税区。",
            "喀什综合保税区",
            Status::Planned,
        ),
        (
            "力争阿图什铁矿项目年内建成达产。",
            "阿图什铁矿",
            Status::Building,
        ),
    ] {
        assert_eq!(st(&report("", sentence), name), want, "{sentence}");
    }
    // the plan part names standing sites for what they offer: operating, unless work on them
    // is named (修缮, 建设)
    for (sentence, name, want) in [
        (
            "培育喀纳斯景区、白哈巴村等精品旅游目的地。",
            "喀纳斯景区",
            Status::Operating,
        ),
        (
            "深入挖掘北庭故城的历史文化价值。",
            "北庭故城",
            Status::Operating,
        ),
        (
            "以三塘湖矿区、淖毛湖矿区为重点，推动煤炭清洁高效利用。",
            "淖毛湖矿区",
            Status::Operating,
        ),
        (
            "推进天山天池景区提升改造。",
            "天山天池景区",
            Status::Building,
        ),
        (
            "提升伊宁边境经济合作区、博乐边境经济合作区等现有园区功能。",
            "博乐边境经济合作区",
            Status::Operating,
        ),
        (
            "力争哈密十三间房风电项目年底并网。",
            "哈密十三间房风电项目",
            Status::Building,
        ),
        // a pair joined by 和 shares the words that close it
        (
            "做好巴里坤机场和G335线伊吾至淖毛湖项目前期工作。",
            "巴里坤机场",
            Status::Planned,
        ),
        (
            "做好巴里坤机场和G335线伊吾至淖毛湖项目前期工作。",
            "G335线伊吾至淖毛湖",
            Status::Planned,
        ),
    ] {
        assert_eq!(st(&report("", sentence), name), want, "{sentence}");
    }
    // a plan lists scenic areas as its goals: no standing default there
    let plan = "阿勒泰地区旅游发展规划\n重点打造喀纳斯景区、可可托海景区。\n";
    assert_eq!(st(plan, "可可托海景区"), Status::Planned);
    // a list the review closes with 全面推进, and a list ending in a name whose 改造 comes first
    for (sentence, name, want) in [
        (
            "额尔齐斯河、乌伦古河沿岸整治等生态修复工程全面推进。",
            "乌伦古河沿岸整治生态修复工程",
            Status::Building,
        ),
        (
            "严格保护喀纳斯国家级自然保护区、两河源自然保护区等重要生态空间。",
            "两河源自然保护区",
            Status::Operating,
        ),
    ] {
        assert_eq!(st(&report(sentence, ""), name), want, "{sentence}");
    }
}

/// Every status word is data with its example (`status_words.tsv`): each example, run through
/// the whole pipeline in the part of a text it names, gives its status, decided by that word.
#[test]
fn status_words_decide_their_examples() {
    let table = include_str!("../src/extract/lexicon/status_words.tsv");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for line in table
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(
            f.len(),
            6,
            "word, kind, priority, part, example, status: {line}"
        );
        let (word, part, example, want) = (f[0], f[3], f[4], f[5]);
        let (name, plain) = example
            .split_once('【')
            .and_then(|(a, r)| r.split_once('】').map(|(n, b)| (n, format!("{a}{n}{b}"))))
            .unwrap_or_else(|| panic!("no 【name】 in {line}"));
        let text = match part {
            "review" => format!(
                "2024年政府工作报告\n一、2023年工作回顾\n{plain}\n二、2024年工作安排\n各项工作有序推进。\n"
            ),
            "plan" => format!(
                "2024年政府工作报告\n一、2023年工作回顾\n各项工作有序推进。\n二、2024年工作安排\n{plain}\n"
            ),
            "goal" => format!("阿勒泰地区国民经济和社会发展第十四个五年规划纲要\n{plain}\n"),
            other => panic!("part {other} in {line}"),
        };
        let ps = projects_of(&text);
        let Some(p) = ps.iter().find(|p| p.name == name) else {
            wrong.push(format!("{word}: {name} not in {:?}", names(&ps)));
            continue;
        };
        let m = &p.mentions[0];
        let got = (m.status.key(), m.status_quote.as_deref());
        if got != (want, Some(word)) {
            wrong.push(format!("{word}: {example} gave {got:?}"));
        }
        checked += 1;
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(checked >= 80, "{checked} examples");
}

/// Issue 14: a project named by several plans has one timeline entry per plan, oldest first,
/// and its status is what the latest plan says.
#[test]
fn projects_named_by_several_plans_have_a_timeline() {
    let gaz = Gazetteer::embedded().unwrap();
    let docs = planmap::seeds::documents().unwrap();
    let ps = extract_all(&gaz, &docs);
    let mut several = 0;
    for p in &ps {
        let plans: std::collections::BTreeSet<&str> =
            p.mentions.iter().map(|m| m.doc.as_str()).collect();
        assert_eq!(p.timeline.len(), plans.len(), "{}", p.name);
        if plans.len() >= 2 {
            several += 1;
            let years: Vec<Option<i32>> = p.timeline.iter().map(|e| e.year).collect();
            assert!(
                years.windows(2).all(|w| w[0] <= w[1]),
                "{}: {years:?}",
                p.name
            );
        }
    }
    assert!(several >= 3, "{several} projects in several plans");
    let text = "2021年政府工作报告\n过去一年，开展和静至那拉提铁路前期工作。\n";
    let later = "2022年政府工作报告\n过去一年，和静至那拉提铁路开工建设。\n";
    let a = Document::from_bytes("a.txt", text.as_bytes()).unwrap();
    let b = Document::from_bytes("b.txt", later.as_bytes()).unwrap();
    let ps = extract_all(&gaz, &[b, a]);
    let p = ps.iter().find(|p| p.name.contains("那拉提铁路")).unwrap();
    let years: Vec<Option<i32>> = p.timeline.iter().map(|e| e.year).collect();
    assert_eq!(years, [Some(2021), Some(2022)]);
    assert_eq!(p.status, planmap::model::Status::Building);
}

/// An airport named by a county the gazetteer knows under the airport's alias (莎车机场, 且末机场,
/// 库车机场): the segmenter reads 莎车 alone as a common noun, and the name was taken for a kind
/// of airport and dropped.
#[test]
fn airports_named_by_their_alias_are_found() {
    for (text, want) in [
        ("新建莎车机场。", "莎车机场"),
        ("建设且末机场。", "且末机场"),
        ("改扩建库车机场。", "库车机场"),
        ("改扩建喀什机场，新建莎车机场、塔什库尔干机场。", "莎车机场"),
    ] {
        let ps = projects_of(&format!("某地区规划\n{text}\n"));
        let p = ps.iter().find(|p| p.name == want);
        assert!(p.is_some(), "{text}: {:?}", names(&ps));
        assert_eq!(p.unwrap().category, Category::Airport, "{text}");
    }
    // a kind of airport stays a kind
    assert!(projects_of("某地区规划\n加快支线机场建设。\n").is_empty());
}

/// A power line named by its ends and voltage (岳普湖至疏附220千伏线路工程) is an energy project;
/// a voltage alone (新建110千伏线路50公里) names no line.
#[test]
fn power_lines_named_by_voltage_are_found() {
    for text in [
        "推进岳普湖至疏附220千伏线路工程。",
        "新建哈密至三塘湖220千伏线路。",
    ] {
        let ps = projects_of(&format!("某地区规划\n{text}\n"));
        assert_eq!(ps.len(), 1, "{text}: {:?}", names(&ps));
        assert_eq!(ps[0].category, Category::Energy, "{text}");
        assert!(ps[0].name.contains("至") && ps[0].name.contains("千伏线路"));
    }
    for text in ["新建110千伏线路50公里。", "改造220千伏线路。"] {
        let ps = projects_of(&format!("某地区规划\n{text}\n"));
        assert!(ps.is_empty(), "{text}: {:?}", names(&ps));
    }
}

/// A route named by one character per place keeps a first character that is also a word of
/// its own (和若铁路: 和田–若羌; 和 is "and"); "and" between two roads is still no route.
#[test]
fn routes_abbreviated_with_a_conjunction_are_found() {
    for text in ["建设和若铁路。", "过去一年，和若铁路建成通车。"] {
        let ps = projects_of(&format!("某地区规划\n{text}\n"));
        assert_eq!(names(&ps), ["和若铁路"], "{text}");
        assert_eq!(ps[0].category, Category::Railway);
    }
    let ps = projects_of("某地区规划\n推进公路和铁路建设。\n");
    assert!(ps.is_empty(), "{:?}", names(&ps));
}

/// A work report without headings turns from its review to its plan at a paragraph that opens
/// on the report's own year (2022年，…) or on 今年: what it 建成 there is a target (building),
/// what the review 建成 was done the year before.
#[test]
fn a_report_without_headings_turns_to_its_plan_at_its_year() {
    use planmap::model::Status;
    let ps = projects_of(
        "2022年自治区政府工作报告\n\
         过去一年，乌尉高速公路全线贯通。2022年1月，和若铁路建成通车。\n\
         2022年，开工建设于田至民丰高速公路，建成若羌至依吞布拉克高速公路。\n",
    );
    let state = |name: &str| {
        let p = ps
            .iter()
            .find(|p| p.name == name)
            .unwrap_or_else(|| panic!("{name} in {:?}", names(&ps)));
        (p.mentions[0].status, p.mentions[0].status_year)
    };
    assert_eq!(state("乌尉高速公路"), (Status::Completed, Some(2021)));
    // a date of the report's year inside the review's paragraph does not end the review
    assert_eq!(state("和若铁路").0, Status::Completed);
    assert_eq!(state("于田至民丰高速公路"), (Status::Building, Some(2022)));
    assert_eq!(
        state("若羌至依吞布拉克高速公路"),
        (Status::Building, Some(2022))
    );
    let ps = projects_of(
        "某县2023年政府工作报告\n\
         一年来，阿克达拉水库建成蓄水。\n\
         今年是全面贯彻落实党的二十大精神的开局之年。建成托浪格水库。\n",
    );
    let p = ps.iter().find(|p| p.name == "托浪格水库").unwrap();
    assert_eq!(p.mentions[0].status, Status::Building);
    let p = ps.iter().find(|p| p.name == "阿克达拉水库").unwrap();
    assert_eq!(p.mentions[0].status, Status::Completed);
}

/// Issue 28: every lexicon file loads without a fault (a wrong field count, an unknown
/// category, kind or status, an example without its name in 【】, a word twice), and a fault is
/// reported with the file and the line.
#[test]
fn every_lexicon_file_loads_and_a_fault_names_file_and_line() {
    use planmap::extract::lexicon::{self, Columns};
    let faults = lexicon::check();
    assert!(
        faults.is_empty(),
        "{}",
        faults
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(lexicon::FILES.len() >= 30);
    let bad = [
        (
            "# a comment\n高速铁路\trailway\n机场\tairfield\n",
            Columns::WordCategory,
            3,
            "unknown category",
        ),
        (
            "高速铁路 railway\n",
            Columns::WordCategory,
            1,
            "1 tab-separated fields",
        ),
        ("航空\n全国\n航空\n", Columns::Word, 3, "already on line 1"),
        (
            "建成\tfinished\t10\treview\t【甲】建成\tcompleted\n",
            Columns::StatusWord,
            1,
            "unknown kind",
        ),
        (
            "建成\tdone\t10\treview\t甲建成\tcompleted\n",
            Columns::StatusWord,
            1,
            "no name in 【】",
        ),
        (
            "建成\tdone\t10\treview\t【甲】建成\tready\n",
            Columns::StatusWord,
            1,
            "unknown status",
        ),
        // where order decides, the priority says it, once
        (
            "建成\tdone\tfirst\treview\t【甲】建成\tcompleted\n",
            Columns::StatusWord,
            1,
            "not a whole number",
        ),
        (
            "建成\tdone\t10\treview\t【甲】建成\tcompleted\n竣工\tdone\t10\treview\t【乙】竣工\tcompleted\n",
            Columns::StatusWord,
            2,
            "priority 10 of done is already on line 1",
        ),
        ("扩建\tenlarge\t10\n", Columns::WordAction, 1, "unknown action"),
        ("回顾\tpast\n", Columns::WordPart, 1, "unknown part"),
        ("和\n及与\n", Columns::Char, 2, "not one character"),
        (
            "#> 建设塔城机场。\n和\n",
            Columns::Char,
            1,
            "an example is",
        ),
    ];
    for (text, columns, line, problem) in bad {
        let e = lexicon::parse("test.tsv", text, columns).expect_err(text);
        let shown = e.to_string();
        assert!(
            shown.contains("lexicon/test.tsv")
                && shown.contains(&format!("line {line}:"))
                && shown.contains(problem),
            "{shown}"
        );
    }
}

/// Bare places before the last item of a 等 list share that item's words after its place:
/// 甲河、乙河沿岸整治等工程 is 甲河沿岸整治 and 乙河沿岸整治 (a river the gazetteer knows by its
/// county's name, 玛纳斯河, keeps its 河). An item with words of its own shares nothing.
#[test]
fn bare_places_share_the_last_items_words_before_etc() {
    let names = |text: &str| {
        let mut v: Vec<String> = projects_of(text).iter().map(|p| p.name.clone()).collect();
        v.sort();
        v
    };
    assert_eq!(
        names("奎屯河、玛纳斯河沿岸整治等生态修复工程全面推进。\n"),
        ["奎屯河沿岸整治生态修复工程", "玛纳斯河沿岸整治生态修复工程"]
    );
    assert_eq!(
        names("建设奎屯、乌苏城北等污水处理厂。\n"),
        ["乌苏城北污水处理厂", "奎屯城北污水处理厂"]
    );
    // items each with words of their own keep them; generic words (北区) are no one's name
    assert_eq!(
        names("建设奎屯城南、乌苏城北等污水处理厂。\n"),
        ["乌苏城北污水处理厂", "奎屯城南污水处理厂"]
    );
    assert_eq!(
        names("建设奎屯、乌苏北区等物流园。\n"),
        ["乌苏北区物流园", "奎屯物流园"]
    );
}

/// Issue 28: a word list may carry examples (`#> sentence => name; name`, `| key` checking a
/// name's category, status or action); each runs through the whole pipeline and must give
/// exactly its names.
#[test]
fn every_lexicon_example_extracts_what_it_says() {
    use planmap::extract::lexicon;
    let examples = lexicon::examples();
    let files: std::collections::BTreeSet<&str> = examples.iter().map(|e| e.file).collect();
    assert!(examples.len() >= 30, "{} examples", examples.len());
    assert!(files.len() >= 20, "examples in {files:?}");
    let mut wrong = Vec::new();
    for e in &examples {
        let ps = projects_of(&format!("{}\n", e.sentence));
        let mut got: Vec<&str> = names(&ps);
        got.sort_unstable();
        let mut want: Vec<&str> = e
            .names
            .iter()
            .map(|n| n.split('|').next().unwrap().trim())
            .collect();
        want.sort_unstable();
        if got != want {
            wrong.push(format!(
                "{}:{}: {} gave {got:?}",
                e.file, e.line, e.sentence
            ));
            continue;
        }
        for n in &e.names {
            let Some((name, key)) = n.split_once('|') else {
                continue;
            };
            let (name, key) = (name.trim(), key.trim());
            let p = ps.iter().find(|p| p.name == name).unwrap();
            let keys = [p.category.key(), p.status.key(), p.action.key()];
            if !keys.contains(&key) {
                wrong.push(format!(
                    "{}:{}: {name} is {keys:?}, not {key}",
                    e.file, e.line
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
