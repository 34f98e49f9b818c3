//! Geocoding over the seeds: sites where they are, routes through their waypoints, geometry
//! and county codes that agree.

mod common;

use geo::{Contains, Distance, Euclidean, Geometry, Haversine, Point};
use planmap::gazetteer::{Gazetteer, PlaceKind};
use planmap::geocode::{LocatedBy, Precision};
use planmap::model::Category;

#[test]
fn airports_that_name_a_real_airport_lie_at_it() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let airports: Vec<_> = gaz
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::Airport)
        .collect();
    let mut checked = 0;
    for l in located
        .iter()
        .filter(|l| l.project.category == Category::Airport)
    {
        // the airport whose longest name or alias the project's name contains
        let named = airports
            .iter()
            .flat_map(|a| {
                std::iter::once(&a.name)
                    .chain(a.aliases.iter())
                    .map(move |n| (a, n))
            })
            .filter(|(_, n)| l.project.name.contains(n.as_str()) && n.ends_with("机场"))
            .max_by_key(|(_, n)| n.chars().count());
        let Some((a, _)) = named else { continue };
        let Some(Geometry::Point(p)) = &l.location.geometry else {
            panic!("{} names {} but has no point", l.project.name, a.name)
        };
        let km = Haversine.distance(*p, a.coord.unwrap()) / 1000.0;
        assert!(km < 5.0, "{} is {km:.1} km from {}", l.project.name, a.name);
        assert_eq!(l.location.located_by, LocatedBy::Site);
        checked += 1;
    }
    // (mentions of one airport by several names are one project: 塔城机场, 塔城千泉机场)
    assert!(checked >= 4, "only {checked} airport projects checked");
}

#[test]
fn routes_are_lines_through_their_end_counties() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let mut routes = 0;
    for l in located
        .iter()
        .filter(|l| l.location.located_by == LocatedBy::Route)
    {
        let Some(Geometry::LineString(line)) = &l.location.geometry else {
            panic!("{}: a route without a line", l.project.name)
        };
        assert!(line.0.len() >= 2);
        assert_eq!(l.location.precision, Precision::Route);
        for end in [line.0.first().unwrap(), line.0.last().unwrap()] {
            let at = gaz.county_at(Point::from(*end)).map(|u| u.code);
            if let Some(code) = at {
                assert!(
                    l.location.county_codes.contains(&code),
                    "{}: end in {code} not listed {:?}",
                    l.project.name,
                    l.location.county_codes
                );
            }
        }
        routes += 1;
    }
    assert!(routes >= 20, "{routes} routes");
    let kt = located
        .iter()
        // one project for 克拉玛依至塔城（巴克图）铁路, 克拉玛依-塔城铁路 and 克塔铁路
        .find(|l| {
            l.project.category == Category::Railway
                && l.project.name.starts_with("克拉玛依")
                && l.project.name.contains("塔城")
        })
        .expect("the Karamay-Tacheng railway is found");
    let codes: Vec<String> = kt
        .location
        .county_codes
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(
        codes.contains(&"650203".into()) && codes.contains(&"654201".into()),
        "{codes:?}"
    );
    assert!(
        codes.contains(&"654224".into()) || codes.contains(&"654221".into()),
        "crosses 托里 or 额敏: {codes:?}"
    );
}

#[test]
fn waypoints_outside_xinjiang_are_kept_and_marked() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let l = located
        .iter()
        .find(|l| l.project.name.contains("甘肃柳沟"))
        .expect("the route to 甘肃柳沟 is found");
    assert!(
        l.location
            .unresolved_waypoints
            .iter()
            .any(|w| w.contains("柳沟")),
        "{:?}",
        l.location.unresolved_waypoints
    );
    assert!(matches!(l.location.geometry, Some(Geometry::LineString(_))));
}

/// A point lies in (or within 1 km of) one of its counties; a prefecture-level point in its
/// prefecture; a project with no location has no geometry and is still there.
#[test]
fn geometry_and_county_codes_agree() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = common::located_seeds(&gaz);
    let mut none = 0;
    for l in &located {
        let loc = &l.location;
        match (&loc.geometry, loc.precision) {
            (None, p) => {
                assert_eq!(p, Precision::None, "{}", l.project.name);
                assert!(loc.county_codes.is_empty() && loc.prefecture.is_none());
                none += 1;
            }
            (Some(Geometry::Point(p)), Precision::Prefecture) => {
                let pref = loc.prefecture.expect("prefecture precision names one");
                assert_eq!(
                    gaz.county_at(*p).map(|u| u.prefecture),
                    Some(pref),
                    "{}",
                    l.project.name
                );
            }
            (Some(Geometry::Point(p)), _) => {
                let near = loc.county_codes.iter().any(|c| {
                    let poly = gaz.polygon(*c).expect("county polygon");
                    poly.contains(p) || Euclidean.distance(poly, p) * 111.0 < 1.0
                });
                assert!(
                    near,
                    "{} at {p:?} not in {:?}",
                    l.project.name, loc.county_codes
                );
            }
            (Some(Geometry::LineString(_)), p) => assert_eq!(p, Precision::Route),
            (Some(g), _) => panic!("unexpected geometry {g:?}"),
        }
        assert!((0.0..=1.0).contains(&loc.confidence));
    }
    println!("{} projects, {none} unlocated", located.len());
    assert!(
        none < located.len() / 5,
        "{none} of {} unlocated",
        located.len()
    );
}

#[test]
fn document_region_places_unplaced_projects() {
    let gaz = Gazetteer::embedded().unwrap();
    let docs = planmap::seeds::documents().unwrap();
    let geo = planmap::geocode::Geocoder::new(&gaz, &docs);
    use planmap::geocode::Region;
    let region = |name: &str| {
        geo.region_of(
            docs.iter()
                .find(|d| d.name.starts_with(name))
                .unwrap()
                .name
                .as_str(),
        )
    };
    assert_eq!(
        region("002"),
        Some(Region::Prefecture("654200".parse().unwrap()))
    );
    assert_eq!(
        region("004"),
        Some(Region::County("650121".parse().unwrap()))
    );
    assert_eq!(region("003"), None);
}

fn locate_text(title_and_text: &str) -> Vec<planmap::geocode::Located> {
    let gaz = Gazetteer::embedded().unwrap();
    let doc = planmap::model::Document::from_bytes("plan.txt", title_and_text.as_bytes()).unwrap();
    planmap::locate_documents(&gaz, &[doc])
}

fn codes_of(located: &[planmap::geocode::Located], name: &str) -> Vec<String> {
    located
        .iter()
        .find(|l| l.project.name == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .location
        .county_codes
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// Issue 12, class 3: the plan's own unit is found from its title, a 《》 title, its issuer or
/// the unit it names most; the region's own plans have none.
#[test]
fn the_plans_own_unit_is_found() {
    let gaz = Gazetteer::embedded().unwrap();
    let unit = |text: &str| {
        let d = planmap::model::Document::from_bytes("p.txt", text.as_bytes()).unwrap();
        planmap::geocode::plan_unit(&gaz, &d).map(|u| (u.code, u.found_by.key()))
    };
    assert_eq!(
        unit("乌鲁木齐县国民经济和社会发展第十四个五年规划纲要\n正文"),
        Some(("650121".into(), "title"))
    );
    assert_eq!(
        unit("“十四五”时期是关键五年。制定了《高新区（新市区）国民经济和社会发展第十四个五年规划》。\n正文"),
        Some(("650104".into(), "title"))
    );
    assert_eq!(
        unit("关于印发重点工作的通知\n伊宁县人民政府\n各乡镇：\n正文"),
        Some(("654021".into(), "issuer"))
    );
    assert_eq!(
        unit("政府工作报告\n——2021年1月20日在阿勒泰地区第十二届人民代表大会第五次会议上\n正文"),
        Some(("654300".into(), "issuer"))
    );
    assert_eq!(
        unit("新疆维吾尔自治区国民经济和社会发展第十四个五年规划纲要\n正文"),
        None
    );
    assert_eq!(unit("各州、市人民政府，自治区人民政府各部门：\n正文"), None);
    let most = format!("工作要点\n{}", "在精河县建设产业园。".repeat(15));
    assert_eq!(unit(&most), Some(("652722".into(), "mentions")));
}

/// Issue 12, class 3: in a county's plan a name that several places share is the county's own,
/// and a project with no place of its own lies in the county.
#[test]
fn a_county_plan_keeps_its_projects_at_home() {
    let l = locate_text(
        "乌鲁木齐县国民经济和社会发展第十四个五年规划纲要\n建设照壁山水库。\n推进乌拉斯台草原旅游区建设。\n实施甘河子大桥工程。\n完善乌鲁木齐市城南饮用水源地保护。\n建设县城污水处理厂。\n",
    );
    for name in [
        "照壁山水库",
        "乌拉斯台草原旅游区",
        "甘河子大桥",
        "乌鲁木齐市城南饮用水源地",
    ] {
        assert_eq!(codes_of(&l, name), ["650121"], "{name}");
    }
    // the same names in a plan of the region go where the gazetteer has them
    let l = locate_text("新疆维吾尔自治区重点项目计划\n建设照壁山水库。\n");
    assert_eq!(codes_of(&l, "照壁山水库"), ["652328"]);
}

/// Issue 12, class 4 and 7: items of a list keep their own waypoints, and an abbreviated route
/// runs between the places its characters stand for.
#[test]
fn listed_routes_and_abbreviations_are_placed_by_their_own_ends() {
    let l = locate_text(
        "自治区交通计划\n建设G575线巴里坤-哈密、G312线赛里木湖-果子沟、S202线吐鲁番-托克逊等国省干线公路。\n加快克塔铁路建设。\n研究喀哈铁路。\n",
    );
    let has = |name: &str, code: &str| codes_of(&l, name).iter().any(|c| c == code);
    assert!(has("G575线巴里坤-哈密", "650521") && has("G575线巴里坤-哈密", "650502"));
    assert!(has("G312线赛里木湖-果子沟", "654023"));
    assert!(!has("G312线赛里木湖-果子沟", "650522"));
    assert!(has("S202线吐鲁番-托克逊", "650422"));
    assert!(has("克塔铁路", "650203") && has("克塔铁路", "654201"));
    // 喀什 and 哈密 lie 1,400 km apart: two abbreviations that far apart are no route, and the
    // project is kept unlocated rather than drawn across Xinjiang
    let kh = l.iter().find(|x| x.project.name == "喀哈铁路").unwrap();
    assert_eq!(kh.location.located_by, LocatedBy::None);
    assert!(kh.location.geometry.is_none());
}

/// Issue 12, class 7: a route's ends are read jointly: a waypoint whose name several places
/// share is the one near the route's other end.
#[test]
fn route_ends_are_read_near_each_other() {
    let l = locate_text("自治区交通计划\n建设乌苏至甘河子公路。\n建设阜康至甘河子公路。\n");
    assert_eq!(codes_of(&l, "乌苏至甘河子公路"), ["654202"]);
    assert_eq!(codes_of(&l, "阜康至甘河子公路"), ["652302"]);
}

/// An airport's port of entry that shares a city's name is not the city's land port.
#[test]
fn a_land_port_is_not_the_airports_port() {
    let l = locate_text("自治区计划\n提升乌鲁木齐国际陆港区发展水平。\n");
    let p = l
        .iter()
        .find(|x| x.project.category == Category::Port)
        .unwrap();
    assert_ne!(p.location.located_by, LocatedBy::Site, "{}", p.project.name);
}

/// A project table's row names where each project is built in a cell after its name
/// (建设地点): a project whose name places it nowhere is placed there; a row's later cells do
/// not move a project its name places.
#[test]
fn a_project_tables_location_cell_places_the_project() {
    let located = locate_text(
        "新疆维吾尔自治区重大项目清单\n\
         序号\t项目名称\t建设地点\t建设内容\t总投资\n\
         1\t吉尔格朗水库\t察布查尔锡伯自治县\t总库容0.5亿立方米\t32\n\
         2\t吉仁台沟口水利枢纽\t尼勒克县\t总库容2.36亿立方米\t40\n\
         3\t昭苏县玉湖景区\t特克斯县\t游客中心\t1.8\n",
    );
    assert_eq!(codes_of(&located, "吉尔格朗水库"), ["654022"]);
    assert_eq!(codes_of(&located, "吉仁台沟口水利枢纽"), ["654028"]);
    let l = located
        .iter()
        .find(|l| l.project.name == "吉尔格朗水库")
        .unwrap();
    assert_eq!(l.location.located_by, LocatedBy::Context);
    // in prose, what follows a name in its line is not where it is (the region's plan: nowhere)
    let prose =
        locate_text("新疆维吾尔自治区重大项目清单\n新建吉尔格朗水库，不在察布查尔锡伯自治县。\n");
    assert!(codes_of(&prose, "吉尔格朗水库").is_empty());
    assert_eq!(codes_of(&located, "昭苏县玉湖景区"), ["654026"]);
}

/// A name that gives only a prefecture (伊犁河…: 伊犁 is the prefecture) is placed in a county
/// of that prefecture written beside it, and only one of that prefecture.
#[test]
fn a_prefecture_in_the_name_is_narrowed_by_a_county_beside_it() {
    let located = locate_text(
        "自治区水利发展规划\n\
         在察布查尔县实施伊犁河南岸干渠工程。\n\
         在和田县实施伊犁河北岸干渠工程。\n",
    );
    assert_eq!(codes_of(&located, "伊犁河南岸干渠"), ["654022"]);
    // 和田县 is no county of 伊犁: the prefecture stands
    let north = located
        .iter()
        .find(|l| l.project.name == "伊犁河北岸干渠")
        .unwrap();
    assert!(north.location.county_codes.is_empty());
    assert_eq!(
        north.location.prefecture.map(|p| p.to_string()),
        Some("654000".to_string())
    );
}

/// Issue 25: a city street is named after a place it is not in (乌鲁木齐's 喀什路): it lies in
/// the plan's own unit; a road between places is still located by them.
#[test]
fn city_streets_lie_in_the_plans_unit_not_their_namesake() {
    let located = locate_text(
        "乌鲁木齐市2024年政府工作报告\n二、2024年工作安排\n实施喀什路南延、伊宁路西延等主干道项目。\n",
    );
    for name in ["喀什路南延", "伊宁路西延"] {
        let l = located
            .iter()
            .find(|l| l.project.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        // the plan's city, never the namesake 喀什 or 伊宁
        assert_eq!(l.location.located_by, LocatedBy::Document, "{name}");
        assert!(
            l.location
                .county_codes
                .iter()
                .all(|c| c.to_string().starts_with("6501")),
            "{name}: {:?}",
            l.location.county_codes
        );
        assert_eq!(
            l.location.prefecture.map(|p| p.to_string()).as_deref(),
            Some("650100"),
            "{name}"
        );
    }
    let located = locate_text("塔城地区旅游发展规划\n建设塔斯特至托里县林场旅游道路。\n");
    let codes = codes_of(&located, "塔斯特至托里县林场旅游道路");
    assert!(codes.contains(&"654224".to_string()), "{codes:?}");
}

/// Issue 25: a district is named by its stem (独山子大峡谷, 白碱滩三平镇, 高昌故城), except where the
/// stem is also a mountain range, a word or a river that runs on past it (天山, 新市, 头屯河).
#[test]
fn districts_are_found_by_their_stems_where_the_stem_names_only_them() {
    let located = locate_text(
        "克拉玛依市2022年政府工作报告\n推进独山子大峡谷、乌尔禾通用机场、白碱滩物流园建设。\n",
    );
    assert_eq!(codes_of(&located, "独山子大峡谷"), ["650202"]);
    assert_eq!(codes_of(&located, "白碱滩物流园"), ["650204"]);
    let located = locate_text("昌吉州2022年政府工作报告\n推进天山大峡谷景区、头屯河水库建设。\n");
    for name in ["天山大峡谷景区", "头屯河水库"] {
        let codes = codes_of(&located, name);
        assert!(!codes.contains(&"650102".to_string()), "{name}: {codes:?}");
        assert!(!codes.contains(&"650106".to_string()), "{name}: {codes:?}");
    }
}

/// Issue 25: 吐鲁番市 and 哈密市 are today's prefecture-level cities; that they were once the
/// county-level cities now called 高昌区 and 伊州区 does not make their reports 高昌区's, nor
/// put a 鄯善 site of 吐鲁番市's report in 高昌区.
#[test]
fn a_units_own_name_wins_over_another_units_former_name() {
    let gaz = Gazetteer::embedded().unwrap();
    for (title, code) in [
        ("吐鲁番市2023年政府工作报告", "650400"),
        ("哈密市国民经济和社会发展第十四个五年规划纲要", "650500"),
        ("吐鲁番市高昌区2023年政府工作报告", "650402"),
    ] {
        let doc =
            planmap::model::Document::from_bytes("p.txt", format!("{title}\n").as_bytes()).unwrap();
        let unit = planmap::geocode::plan_unit(&gaz, &doc).unwrap();
        assert_eq!(unit.code, code, "{title}");
    }
    let located = locate_text("吐鲁番市2023年政府工作报告\n推进鲁克沁郡王府保护性修缮。\n");
    assert_eq!(codes_of(&located, "鲁克沁郡王府"), ["650421"]);
}

/// A city with districts builds most of what its report names without a place in its central
/// district (a plaza and a park in 乌鲁木齐's 天山区): the plan's unit with that district as a guess,
/// drawn at the city's seat and marked a document-level, prefecture-precision guess. A prefecture
/// without districts (a 地区, a 州) keeps the prefecture alone.
#[test]
fn a_citys_own_projects_are_guessed_in_its_central_district() {
    let located = locate_text(
        "乌鲁木齐市2021年政府工作报告\n二、2021年工作安排\n推进南门文化广场、红山公园改造提升。\n",
    );
    for name in ["南门文化广场", "红山公园"] {
        let l = located
            .iter()
            .find(|l| l.project.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert_eq!(codes_of(&located, name), ["650102"], "{name}");
        assert_eq!(l.location.located_by, LocatedBy::Document, "{name}");
        assert_eq!(l.location.precision, Precision::Prefecture, "{name}");
        assert!(l.location.confidence < 0.5, "{name}");
    }
    let located = locate_text(
        "昌吉回族自治州2021年政府工作报告\n二、2021年工作安排\n加快南门文化广场等项目建设。\n",
    );
    assert!(codes_of(&located, "南门文化广场").is_empty());
}

/// A street named after a city (奇台路, 喀什东路 in another city) is no evidence of where a
/// project beside it lies; the place itself is.
#[test]
fn a_street_named_after_a_place_does_not_place_a_project() {
    let plan = |line: &str| {
        locate_text(&format!(
            "昌吉回族自治州2021年政府工作报告\n二、2021年工作安排\n{line}\n"
        ))
    };
    assert_eq!(
        codes_of(&plan("在奇台建设丝路云谷产业园。"), "丝路云谷产业园"),
        ["652325"]
    );
    for line in [
        "在奇台路以北建设丝路云谷产业园。",
        "在哈密大道以北建设丝路云谷产业园。",
    ] {
        assert!(codes_of(&plan(line), "丝路云谷产业园").is_empty(), "{line}");
    }
    // a city's avenue works are the city's, not the namesake's in a sibling item
    let located = locate_text(
        "乌鲁木齐市2021年政府工作报告\n二、2021年工作安排\n城北主干道南延、喀什路东延（一期）、卫星路南延等项目建成通车。\n",
    );
    for name in ["城北主干道南延", "喀什路东延", "卫星路南延"] {
        let codes = codes_of(&located, name);
        assert!(
            codes.iter().all(|c| c.starts_with("6501")),
            "{name}: {codes:?}"
        );
    }
}

/// Issue 30: towns, townships, 团场 and farms, lakes, reservoirs and landmarks, with the county
/// each is filed under in the gazetteer's own sources (china-division's township list; the
/// hand-entered landmarks), each named in a regional plan: the project lies in that county.
const PLACES_AND_COUNTIES: &[(&str, &str)] = &[
    ("布扎克乡", "653221"),
    ("排先拜巴扎镇", "652925"),
    ("希吾勒乡", "653226"),
    ("六工镇", "652301"),
    ("西北湾镇", "652325"),
    ("博格达尔镇", "652723"),
    ("策勒镇", "653225"),
    ("可可托海镇", "654322"),
    ("大丰镇", "652323"),
    ("西湖镇", "654202"),
    ("依格孜也尔乡", "653123"),
    ("伊吾镇", "650522"),
    ("青得里街道", "652701"),
    ("阿热吾斯塘镇", "654021"),
    ("塔什科瑞克乡", "654002"),
    ("北五岔镇", "652324"),
    ("霍什拉甫乡", "653125"),
    ("精河镇", "652722"),
    ("夏孜盖乡", "654226"),
    ("吉里于孜镇", "654021"),
    ("二十里店镇", "652323"),
    ("汗德尕特蒙古族乡", "654301"),
    ("也门勒乡", "654201"),
    ("依盖尔其镇", "653125"),
    ("五工台镇", "652323"),
    ("阔斯特克镇", "654321"),
    ("喀拉通克镇", "654322"),
    ("达里雅布依乡", "653226"),
    ("佃坝镇", "652301"),
    ("一六八团", "654221"),
    ("六十九团", "654022"),
    ("阿克达拉牧场", "653022"),
    ("一八三团", "654323"),
    ("一四四团", "654203"),
    ("三十四团", "652823"),
    ("六十一团", "654004"),
    ("一五零团", "652324"),
    ("六十六团", "654023"),
    ("一零六团", "652323"),
    ("萨尔也木勒牧场", "654221"),
    ("布斯屯格牧场", "654226"),
    ("一六一团", "654225"),
    ("八家户农场", "652722"),
    ("147团", "652324"),
    ("托木尔峰", "652922"),
    ("神木园", "652922"),
    ("罗布人村寨", "652823"),
    ("库鲁斯台草原", "654201"),
    ("果子沟", "654023"),
    ("苏公塔", "650402"),
    ("大西海子", "652823"),
    ("博斯腾湖", "652829"),
    ("吐峪沟", "650421"),
    ("蘑菇湖", "659001"),
    ("尼雅遗址", "653227"),
    ("禾角克", "654224"),
    ("淖毛湖", "650522"),
    ("乌鲁瓦提", "653221"),
    ("东道海子", "650109"),
    ("赛里木湖", "652701"),
    ("卡拉贝利", "653024"),
    ("江布拉克", "652325"),
];

#[test]
fn places_below_the_county_resolve_to_their_counties() {
    let mut text = String::from("新疆维吾尔自治区2021年政府工作报告\n二、2021年工作安排\n");
    for (place, _) in PLACES_AND_COUNTIES {
        text.push_str(&format!("建设{place}光伏电站。\n"));
    }
    let located = locate_text(&text);
    let mut at_site = 0;
    for (place, county) in PLACES_AND_COUNTIES {
        let name = format!("{place}光伏电站");
        assert_eq!(codes_of(&located, &name), [*county], "{name}");
        let l = located.iter().find(|l| l.project.name == name).unwrap();
        assert_eq!(l.location.located_by, LocatedBy::Name, "{name}");
        if l.location.precision == Precision::Site {
            at_site += 1;
        }
    }
    assert!(PLACES_AND_COUNTIES.len() >= 60);
    // a place with a point (a township GeoNames places, a lake) draws the project there
    assert!(at_site >= 30, "{at_site} at their site");
}

/// A township name two counties share (铁厂沟镇 in 米东区 and in 托里县) is read in a county's
/// own plan as that county's.
#[test]
fn a_county_plan_keeps_a_township_namesake_at_home() {
    for (title, county) in [
        ("托里县2021年政府工作报告", "654224"),
        ("乌鲁木齐市米东区2021年政府工作报告", "650109"),
    ] {
        let located = locate_text(&format!(
            "{title}\n二、2021年工作安排\n建设铁厂沟镇光伏电站。\n"
        ));
        assert_eq!(codes_of(&located, "铁厂沟镇光伏电站"), [county], "{title}");
    }
}

/// 精河县城区至八家户农场公路: the farm is 精河's (八家户农场, filed under 652722), not the
/// 八家户 street of 乌鲁木齐; the road stays inside the county.
#[test]
fn a_farm_named_in_a_county_plan_is_the_countys() {
    let located = locate_text(
        "精河县国民经济和社会发展第十四个五年规划纲要\n二、交通\n建设精河县城区至八家户农场公路。\n",
    );
    let road = located
        .iter()
        .find(|l| l.project.name.contains("八家户农场"))
        .expect("the road is found");
    assert_eq!(codes_of(&located, &road.project.name), ["652722"]);
}

/// A township named after its county (托里县铁厂沟镇物流中心) places the project at the township,
/// a site, not at the county's seat.
#[test]
fn a_township_inside_the_county_named_beside_it_is_the_site() {
    let gaz = Gazetteer::embedded().unwrap();
    let located = locate_text(
        "塔城地区2021年政府工作报告\n二、2021年工作安排\n建设托里县铁厂沟镇物流中心。\n",
    );
    let l = located
        .iter()
        .find(|l| l.project.name.contains("铁厂沟镇物流中心"))
        .expect("found");
    assert_eq!(codes_of(&located, &l.project.name), ["654224"]);
    assert_eq!(l.location.precision, Precision::Site);
    let Some(Geometry::Point(p)) = l.location.geometry else {
        panic!("a point")
    };
    let seat = gaz.unit("654224".parse().unwrap()).unwrap().seat;
    assert!(p != seat, "drawn at the township, not the seat");
    assert_eq!(
        gaz.county_at(p).map(|u| u.code.to_string()).as_deref(),
        Some("654224")
    );
}

/// In a prefecture's plan, a place of another prefecture written beside a project (乌鲁木齐's
/// 南山 as the first of 昌吉州's scenic roads) does not place the projects after it; the plan's
/// own prefecture stands. Named in the project's own name, it still places it.
#[test]
fn a_prefectures_plan_does_not_take_context_from_another_prefecture() {
    let located = locate_text(
        "昌吉回族自治州2021年政府工作报告\n二、2021年工作安排\n全力推进南山伴行、百里丹霞、车师古道、北部沙漠四条旅游风景道建设。\n",
    );
    for name in ["百里丹霞风景道", "车师古道风景道"] {
        let l = located
            .iter()
            .find(|l| l.project.name == name)
            .unwrap_or_else(|| panic!("{name}"));
        assert!(
            l.location
                .county_codes
                .iter()
                .all(|c| c.prefecture().to_string() == "652300"),
            "{name}: {:?}",
            l.location.county_codes
        );
        assert_eq!(
            l.location.prefecture.map(|p| p.to_string()).as_deref(),
            Some("652300")
        );
    }
    assert_eq!(codes_of(&located, "南山伴行风景道"), ["650121"]);
}
