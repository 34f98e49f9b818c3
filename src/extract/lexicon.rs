//! The rules of extraction, written as data: which words end a project's name and what category
//! they give, which words bound a name on its left, and which modifiers say "a class, not a thing".

use crate::model::Category;

/// A word that ends a project's name ("type word"), with the category it gives.
/// Longer words win over their suffixes (国家湿地公园 over 公园) because the matcher is
/// leftmost-longest and the list is searched as a whole.
pub const TYPE_WORDS: &[(&str, Category)] = &[
    // railway
    ("高速铁路", Category::Railway),
    ("城际铁路", Category::Railway),
    ("铁路专用线", Category::Railway),
    ("专用线", Category::Railway),
    ("铁路", Category::Railway),
    ("高铁站", Category::Railway),
    ("火车站", Category::Railway),
    ("高铁", Category::Railway),
    ("第二双线", Category::Railway),
    ("增建二线", Category::Railway),
    ("大通道", Category::Railway),
    // urban rail
    ("轨道交通", Category::UrbanRail),
    ("地铁", Category::UrbanRail),
    ("轻轨", Category::UrbanRail),
    ("快速公交", Category::UrbanRail),
    // highway
    ("高速公路", Category::Highway),
    ("一级公路", Category::Highway),
    ("二级公路", Category::Highway),
    ("旅游公路", Category::Highway),
    ("旅游道路", Category::Highway),
    ("过境公路", Category::Highway),
    ("公路", Category::Highway),
    ("连接线", Category::Highway),
    ("环城路", Category::Highway),
    ("快速路", Category::Highway),
    ("隧道", Category::Highway),
    ("大桥", Category::Highway),
    // airport
    ("军民合用机场", Category::Airport),
    ("通用机场", Category::Airport),
    ("国际机场", Category::Airport),
    ("机场", Category::Airport),
    ("航空口岸", Category::Airport),
    // water
    ("水库", Category::Reservoir),
    ("水利枢纽", Category::Water),
    ("引水工程", Category::Water),
    ("调水工程", Category::Water),
    ("供水工程", Category::Water),
    ("灌区", Category::Water),
    ("防洪工程", Category::Water),
    ("污水处理厂", Category::Water),
    ("污水厂", Category::Water),
    ("水厂", Category::Water),
    ("水源地", Category::Water),
    ("综合治理工程", Category::Water),
    ("综合治理", Category::Water),
    ("综合整治", Category::Water),
    ("生态修复工程", Category::Water),
    ("渠首", Category::Water),
    ("干渠", Category::Water),
    // parks and protected areas
    ("国家公园", Category::Park),
    ("森林公园", Category::Park),
    ("湿地公园", Category::Park),
    ("地质公园", Category::Park),
    ("沙漠公园", Category::Park),
    ("主题公园", Category::Park),
    ("滨河公园", Category::Park),
    ("公园", Category::Park),
    ("自然保护区", Category::ProtectedArea),
    ("生态保护区", Category::ProtectedArea),
    ("文化生态保护区", Category::ProtectedArea),
    ("保护区", Category::ProtectedArea),
    ("风景名胜区", Category::ProtectedArea),
    // scenic
    ("风景区", Category::Scenic),
    ("景区", Category::Scenic),
    ("旅游区", Category::Scenic),
    ("度假区", Category::Scenic),
    ("风情园", Category::Scenic),
    ("风情街", Category::Scenic),
    ("风情小镇", Category::Scenic),
    ("文化小镇", Category::Scenic),
    ("啤酒小镇", Category::Scenic),
    ("特色小镇", Category::Scenic),
    ("旅游廊道", Category::Scenic),
    ("滑雪场", Category::Scenic),
    ("遗址", Category::Scenic),
    ("古城", Category::Scenic),
    ("街区", Category::Scenic),
    ("美食城", Category::Scenic),
    ("大峡谷", Category::Scenic),
    // industrial parks and zones
    ("工业园区", Category::IndustrialPark),
    ("工业园", Category::IndustrialPark),
    ("化工园区", Category::IndustrialPark),
    ("化工园", Category::IndustrialPark),
    ("产业园区", Category::IndustrialPark),
    ("产业园", Category::IndustrialPark),
    ("物流园区", Category::IndustrialPark),
    ("物流园", Category::IndustrialPark),
    ("物流港", Category::IndustrialPark),
    ("物流中心", Category::IndustrialPark),
    ("经济技术开发区", Category::IndustrialPark),
    ("经济开发区", Category::IndustrialPark),
    ("开发区", Category::IndustrialPark),
    ("高新技术产业开发区", Category::IndustrialPark),
    ("高新区", Category::IndustrialPark),
    ("综合保税区", Category::IndustrialPark),
    ("保税区", Category::IndustrialPark),
    ("保税物流中心", Category::IndustrialPark),
    ("边境经济合作区", Category::IndustrialPark),
    ("合作区", Category::IndustrialPark),
    ("合作中心", Category::IndustrialPark),
    ("试验区", Category::IndustrialPark),
    ("示范区", Category::IndustrialPark),
    ("加工区", Category::IndustrialPark),
    ("工贸区", Category::IndustrialPark),
    ("新区", Category::IndustrialPark),
    ("软件园", Category::IndustrialPark),
    ("科技园区", Category::IndustrialPark),
    ("云计算基地", Category::IndustrialPark),
    ("云计算中心", Category::IndustrialPark),
    ("数据中心", Category::IndustrialPark),
    ("临空经济示范区", Category::IndustrialPark),
    // ports
    ("口岸", Category::Port),
    ("陆路港", Category::Port),
    ("国际陆港", Category::Port),
    ("陆港", Category::Port),
    ("集装箱中心站", Category::Port),
    ("互市贸易区", Category::Port),
    ("互市交易中心", Category::Port),
    ("交易中心", Category::Port),
    // energy
    ("输变电工程", Category::Energy),
    ("输变电", Category::Energy),
    ("输电工程", Category::Energy),
    ("输电线路工程", Category::Energy),
    ("输电线路", Category::Energy),
    ("送出工程", Category::Energy),
    ("直流输电工程", Category::Energy),
    ("水电站", Category::Energy),
    ("电站", Category::Energy),
    ("电厂", Category::Energy),
    ("热电厂", Category::Energy),
    ("热电", Category::Energy),
    ("发电项目", Category::Energy),
    ("风电项目", Category::Energy),
    ("风电基地", Category::Energy),
    ("风电场", Category::Energy),
    ("光伏产业园", Category::Energy),
    ("光伏基地", Category::Energy),
    ("光伏电站", Category::Energy),
    ("发电基地", Category::Energy),
    ("煤电基地", Category::Energy),
    ("煤电外送基地", Category::Energy),
    ("煤电一体化项目", Category::Energy),
    ("变电站", Category::Energy),
    ("火电", Category::Energy),
    // pipelines
    ("天然气管道", Category::Pipeline),
    ("输气管道", Category::Pipeline),
    ("输油管道", Category::Pipeline),
    ("煤制气管道", Category::Pipeline),
    ("管道", Category::Pipeline),
    ("管线", Category::Pipeline),
    // mining
    ("煤田", Category::Mining),
    ("矿区", Category::Mining),
    ("煤矿", Category::Mining),
    ("铜矿", Category::Mining),
    ("金矿", Category::Mining),
    ("铁矿", Category::Mining),
    ("油田", Category::Mining),
    ("气田", Category::Mining),
    ("矿山", Category::Mining),
];

/// Words that end a name's left edge: a name starts after the last of them before its type word.
/// Verbs and function words that plans wrap around projects.
pub const LEFT_BOUNDARIES: &[&str] = &[
    "加快推进", "积极推进", "加快建设", "重点建设", "加快实施", "全力打造", "积极引入", "继续做好",
    "充分发挥", "主动融入", "力争早日启动", "推进", "加快", "建设", "新建", "改建", "扩建", "改扩建",
    "续建", "迁建", "实施", "启动", "开工", "抓好", "支持", "建成", "推动", "围绕", "发挥", "做好",
    "加强", "积极", "重点", "力争", "实现", "利用", "开展", "包括", "依托", "打造", "完成", "以及",
    "完善", "提升", "打通", "谋划", "规划", "争取", "申报", "创建", "争创", "培育", "发展", "做大做强",
    "做强", "做大", "整合", "引导", "鼓励", "促进", "保障", "配合", "协调", "落实", "形成", "构建",
    "构筑", "参与", "融入", "服务", "连接", "对接", "衔接", "延伸至", "延伸", "覆盖", "开通", "开辟",
    "已", "有", "和", "与", "及", "或", "等", "运行", "开行", "探索", "建立", "封关", "的", "在", "为", "向", "对", "把", "是", "从", "让", "被", "该",
    "各", "了", "也", "并", "及其", "同时", "其中", "提高", "截止", "截至", "入驻", "拓展", "加大", "加大力度",
    "列入", "切实", "消除", "严格", "推行", "淘汰", "立足", "恢复", "联通", "扩大", "继续", "改观", "外距",
    "即", "保持", "全面", "确保", "力求", "大力", "着力", "努力", "加速", "优化", "强化", "深化", "带动",
    "全区", "我区", "我市", "我县", "全州", "全地区", "地区", "全市", "全县", "区域", "境内",
    "一批", "一个", "两个", "三个", "四个", "五个", "多个", "若干", "一带一路", "打造成",
];

/// Modifiers that make a name generic when nothing else is left beside them:
/// "支线机场", "大中型山区水库", "物流园区", "通用航空机场" are classes, not projects.
pub const GENERIC_WORDS: &[&str] = &[
    "支线", "干线", "通用", "航空", "大中型", "中小型", "大型", "中型", "小型", "山区", "平原", "控制性",
    "重点", "骨干", "主要", "现代", "现代化", "特色", "物流", "工业", "产业", "农业", "生态", "城市", "城镇",
    "农村", "县级", "县域", "乡镇", "各类", "新型", "综合", "国家级", "自治区级", "地州级", "国家", "国际",
    "民用", "区域", "边境", "沿边", "相关", "配套", "沿线", "周边", "本地", "已有", "现有", "主题", "示范",
    "专业", "专用", "高标准", "标准化", "智慧", "数字", "文化", "旅游", "休闲", "高效", "节水", "清洁",
    "新能源", "可再生", "能源", "电力", "电网", "煤炭", "煤电", "火电", "风电", "光伏", "水电", "热电",
    "天然气", "油气", "石油", "化工", "加工", "商贸", "贸易", "进出口", "出口", "口岸", "陆路", "航空",
    "货运", "客运", "公共", "市政", "城区", "老城区", "新城区", "一类", "二类", "千伏", "万千瓦", "百万千瓦",
    "千万千瓦", "级", "高速", "普通", "国省", "国道", "省道", "县乡", "乡村", "农田", "水利", "防洪", "抗旱",
    "应急", "饮水", "污水", "供水", "灌溉", "高新技术", "经济技术", "经济", "技术", "科技", "创新", "创业",
    "孵化", "双创", "电子商务", "跨境", "保税", "临空", "空港", "铁路", "公路", "机场", "运输", "交通",
    "园区", "基地", "中心", "片区", "集中", "集聚", "循环", "低碳", "绿色", "安全", "保护", "治理", "修复",
    "自然", "地质", "湿地", "森林", "沙漠", "草原", "风景", "名胜", "景观", "游客", "服务", "体验", "康养",
    "全域", "精品", "品牌", "星级", "A级", "4A级", "5A级", "4A", "5A", "高等级", "快速", "城际", "双线",
    "复线", "二线", "电气化", "扩能", "改造", "升级", "提质", "增效", "大", "中", "小", "新", "老", "各",
    "等", "其他", "我国", "全国", "全疆", "疆内", "疆外", "南疆", "北疆", "东疆", "天山北坡", "一体化",
    "中心城市", "城市群", "都市圈", "首府", "地区", "工矿", "矿产", "资源", "优势", "合作", "开放",
    "环境", "饮用水", "饮用", "水源", "集中式", "燃煤", "节能", "环保", "部分", "历史", "动植物", "农产品",
    "畜产品", "饲草料", "生产", "重要", "粮食", "进口", "指定", "红色", "快递", "汽车", "边贸", "互市",
    "自驾", "民族", "团结", "全国", "标准", "战略性", "千亿元", "枢纽型", "枢纽", "融合", "航班", "定期",
    "境外", "互联互通", "一条", "涵养区", "涵养", "项目", "工程", "一级", "二级", "改", "三大", "两大",
    "交易", "市场", "设施", "基础", "小城镇", "基础设施", "查验", "地上", "截止", "年底", "国省干线",
    "一期", "二期", "三期", "以上", "以下", "三级", "四级", "哈国", "自治区", "新疆", "中亚", "丝绸之路",
    "经济带", "核心区", "地下", "污染", "水污染", "地下水", "超采区", "火险区", "先导区", "先导", "战略",
    "外送", "送出", "坑口", "千瓦", "万吨", "亿元", "大通道", "通道", "枢纽站", "站", "市", "县", "区",
];

/// A name that starts with a count is a number of things, not one: 5座水库, 4800公里农村公路.
pub const COUNT_WORDS: &[&str] = &[
    "个", "座", "条", "处", "家", "项", "批", "公里", "万亩", "亿元", "万千瓦", "千米", "大",
];

/// Boundaries that may also stand inside an unknown name (察和特, 和静): when the name they leave
/// is generic, the scanner looks past them.
pub const WEAK_BOUNDARIES: &[&str] = &["和", "与", "及", "或", "有", "在"];

/// Words that, right after a type word, show it was only part of a longer word (机场集团,
/// 铁路局, 公路网): no name ends there.
pub const CONTINUATIONS: &[&str] = &[
    "集团", "局", "公司", "股份", "管理", "经济", "运输", "网", "运营", "沿线", "枢纽站",
];

/// Whole names that are organisations or programmes, never projects.
pub const NOT_PROJECTS: &[&str] = &[
    "铁路局", "机场集团", "管理局", "公司", "集团", "委员会", "办公室", "领导小组", "指挥部", "协会", "学校",
    "医院", "大学", "学院",
];

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

/// Qualifiers allowed right after a type word, still part of the name (乌苏化工园区西区, 一号线).
pub const TRAILING_QUALIFIERS: &[&str] = &[
    "西区", "东区", "南区", "北区", "一期", "二期", "三期", "四期", "一号线", "二号线", "三号线", "四号线",
    "五号线", "1号线", "2号线", "3号线", "4号线",
];

/// Words that show an enumeration item is a project of its own kind, not a bare place that shares
/// the next name's type word.
pub const NOT_ITEMS: &[&str] = &["工程", "项目", "建设", "改造", "升级"];
