"""Built-in reference data: Shanxi's counties (GB/T 2260), universities, majors, courses.

Loaded into a new database by ``ensure_reference_data``; the province's packages may add
more later.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zikao_desk.db import Database
from zikao_desk.models import County, Course, Level, Major, University

CITIES: dict[str, str] = {
    "1401": "太原市",
    "1402": "大同市",
    "1403": "阳泉市",
    "1404": "长治市",
    "1405": "晋城市",
    "1406": "朔州市",
    "1407": "晋中市",
    "1408": "运城市",
    "1409": "忻州市",
    "1410": "临汾市",
    "1411": "吕梁市",
}

_COUNTIES_TEXT = """
140105 小店区 140106 迎泽区 140107 杏花岭区 140108 尖草坪区 140109 万柏林区 140110 晋源区
140121 清徐县 140122 阳曲县 140123 娄烦县 140181 古交市
140212 新荣区 140213 平城区 140214 云冈区 140215 云州区 140221 阳高县 140222 天镇县
140223 广灵县 140224 灵丘县 140225 浑源县 140226 左云县
140302 城区 140303 矿区 140311 郊区 140321 平定县 140322 盂县
140403 潞州区 140404 上党区 140405 屯留区 140406 潞城区 140423 襄垣县 140425 平顺县
140426 黎城县 140427 壶关县 140428 长子县 140429 武乡县 140430 沁县 140431 沁源县
140502 城区 140521 沁水县 140522 阳城县 140524 陵川县 140525 泽州县 140581 高平市
140602 朔城区 140603 平鲁区 140621 山阴县 140622 应县 140623 右玉县 140681 怀仁市
140702 榆次区 140703 太谷区 140721 榆社县 140722 左权县 140723 和顺县 140724 昔阳县
140725 寿阳县 140727 祁县 140728 平遥县 140729 灵石县 140781 介休市
140802 盐湖区 140821 临猗县 140822 万荣县 140823 闻喜县 140824 稷山县 140825 新绛县
140826 绛县 140827 垣曲县 140828 夏县 140829 平陆县 140830 芮城县 140881 永济市 140882 河津市
140902 忻府区 140921 定襄县 140922 五台县 140923 代县 140924 繁峙县 140925 宁武县
140926 静乐县 140927 神池县 140928 五寨县 140929 岢岚县 140930 河曲县 140931 保德县
140932 偏关县 140981 原平市
141002 尧都区 141021 曲沃县 141022 翼城县 141023 襄汾县 141024 洪洞县 141025 古县
141026 安泽县 141027 浮山县 141028 吉县 141029 乡宁县 141030 大宁县 141031 隰县
141032 永和县 141033 蒲县 141034 汾西县 141081 侯马市 141082 霍州市
141102 离石区 141121 文水县 141122 交城县 141123 兴县 141124 临县 141125 柳林县
141126 石楼县 141127 岚县 141128 方山县 141129 中阳县 141130 交口县 141181 孝义市 141182 汾阳市
"""


def _parse_counties() -> list[tuple[str, str, str]]:
    words = _COUNTIES_TEXT.split()
    pairs = zip(words[0::2], words[1::2], strict=True)
    return [(code, name, CITIES[code[:4]]) for code, name in pairs]


COUNTIES: list[tuple[str, str, str]] = _parse_counties()  # (code, name, city)
TAIYUAN_COUNTIES = [c for c in COUNTIES if c[0].startswith("1401")]

# Region codes that appear on ID cards: the counties, plus city-level codes.
KNOWN_REGION_CODES: frozenset[str] = frozenset(
    [c[0] for c in COUNTIES] + [f"{p}00" for p in CITIES] + [f"{p}01" for p in CITIES]
)

UNIVERSITIES: list[tuple[str, str]] = [
    ("10108", "山西大学"),
    ("10109", "太原科技大学"),
    ("10110", "中北大学"),
    ("10112", "太原理工大学"),
    ("10113", "山西农业大学"),
    ("10114", "山西医科大学"),
    ("10118", "山西师范大学"),
    ("10119", "太原师范学院"),
    ("10125", "山西财经大学"),
]

# (code, name, level)
MAJORS: list[tuple[str, str, Level]] = [
    ("120203K", "会计学", Level.BACHELOR),
    ("030101K", "法学", Level.BACHELOR),
    ("050101", "汉语言文学", Level.BACHELOR),
    ("120206", "人力资源管理", Level.BACHELOR),
    ("080901", "计算机科学与技术", Level.BACHELOR),
    ("040106", "学前教育", Level.BACHELOR),
    ("120201K", "工商管理", Level.BACHELOR),
    ("101101", "护理学", Level.BACHELOR),
    ("530302", "大数据与会计", Level.ASSOCIATE),
    ("570102K", "学前教育", Level.ASSOCIATE),
    ("520201", "护理", Level.ASSOCIATE),
    ("530605", "市场营销", Level.ASSOCIATE),
    ("510201", "计算机应用技术", Level.ASSOCIATE),
    ("A030106", "法律", Level.ASSOCIATE),
    ("B020106", "会计", Level.BACHELOR),
]

# (code, name, credits)
COURSES: list[tuple[str, str, int]] = [
    ("00015", "英语（二）", 14),
    ("03708", "中国近现代史纲要", 2),
    ("03709", "马克思主义基本原理概论", 4),
    ("00009", "政治经济学（财经类）", 6),
    ("00041", "基础会计学", 5),
    ("00051", "管理系统中计算机应用", 3),
    ("00054", "管理学原理", 6),
    ("00067", "财务管理学", 6),
    ("00070", "政府与事业单位会计", 5),
    ("00144", "企业管理概论", 5),
    ("00146", "中国税制", 5),
    ("00149", "国际贸易理论与实务", 6),
    ("00150", "金融理论与实务", 6),
    ("00155", "中级财务会计", 6),
    ("00157", "管理会计（一）", 4),
    ("00159", "高级财务会计", 6),
    ("00160", "审计学", 4),
    ("00161", "财务报表分析（一）", 5),
    ("00162", "会计制度设计", 5),
    ("00227", "公司法", 4),
    ("00230", "合同法", 4),
    ("00233", "税法", 4),
    ("00242", "民法学", 6),
    ("00246", "国际经济法概论", 6),
    ("00249", "国际私法", 4),
    ("00257", "票据法", 3),
    ("00258", "保险法", 3),
    ("00260", "刑事诉讼法学", 5),
    ("00261", "行政法学", 5),
    ("00262", "法律文书写作", 4),
    ("00384", "学前心理学", 4),
    ("00385", "学前卫生学", 4),
    ("02997", "护理学基础", 5),
    ("02998", "内科护理学（一）", 6),
    ("02142", "数据结构导论", 4),
    ("02331", "数据结构", 4),
    ("04741", "计算机网络原理", 4),
]

# Practical courses and old-plan courses that candidates bring as 实践课考核卡.
OLD_PLAN_COURSES: list[tuple[str, str, int]] = [
    ("00040", "法学概论", 5),
    ("00043", "经济法概论（财经类）", 5),
    ("00058", "市场营销学", 5),
    ("00185", "商品流通概论", 4),
    ("00186", "国际商务谈判", 4),
]


def ensure_reference_data(session: Session) -> None:
    """Insert the built-in reference rows that are missing (idempotent)."""
    have = set(session.scalars(select(County.code)))
    session.add_all(County(code=c, name=n, city_name=city) for c, n, city in COUNTIES if c not in have)
    have = set(session.scalars(select(University.code)))
    session.add_all(University(code=c, name=n) for c, n in UNIVERSITIES if c not in have)
    have_majors = {(code, level) for code, level in session.execute(select(Major.code, Major.level))}
    session.add_all(Major(code=c, name=n, level=lvl) for c, n, lvl in MAJORS if (c, lvl) not in have_majors)
    have = set(session.scalars(select(Course.code)))
    session.add_all(
        Course(code=c, name=n, credits=cr) for c, n, cr in COURSES + OLD_PLAN_COURSES if c not in have
    )
    session.flush()


def open_and_prepare(db: Database) -> None:
    """Bring the schema up to date and make sure the built-in reference rows exist:
    what every entry point does before the first user action."""
    db.upgrade()
    with db.write() as session:
        ensure_reference_data(session)
