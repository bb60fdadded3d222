"""General vocabulary of county education plans: the same in every county.

Nothing here names a particular county, unit list, number or date. It holds

* the values of the model choices the parser emits (as plain strings, so the
  parser stays importable without Django);
* how unit names are compared and classified (``unit_key``, ``unit_kind``);
* the function terms documents use for a department (教育 → 县教委 / 县教育局);
  (how a clause's parties are resolved to member units is ``parties``);
* the national 优质均衡 indicator catalogue, as keyword rules;
* the punctuation helper both parts of the parser split text with.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

# --- model choice values -------------------------------------------------------------------------

PARTY_COMMITTEE = "party_committee"
GOVERNMENT_DEPARTMENT = "government_department"
GOVERNMENT_OFFICE = "government_office"
SUPERVISION_OFFICE = "supervision_office"
EDUCATION_COMMISSION = "education_commission"
TOWNSHIP = "township"
PEOPLES_ORGANISATION = "peoples_organisation"
COLLECTIVE = "collective"

LEADER, DEPUTY, MEMBER, OFFICE, OFFICE_DIRECTOR = "leader", "deputy", "member", "office", "office_director"

PRIMARY, JUNIOR, NINE_YEAR, SPECIAL, COUNTY = "primary", "junior", "nine_year", "special", "county"
GTE, LTE, LT, EQ = "gte", "lte", "lt", "eq"
SCHOOL_LEVEL, COUNTY_LEVEL = "school", "county"

# --- unit names ----------------------------------------------------------------------------------

# First matching rule wins; anything else is a government department.
UNIT_KIND_RULES = (
    (COLLECTIVE, r"^各"),
    (PEOPLES_ORGANISATION, r"残联|妇联|团[县区市旗]委|总工会|科协|工商联|红十字会|关工委"),
    (SUPERVISION_OFFICE, r"教育督导"),
    (GOVERNMENT_OFFICE, r"政府办公室|政府办$"),
    (EDUCATION_COMMISSION, r"教委|教育局|教育委员会|教育和体育局|教育体育局|教体局"),
    (PARTY_COMMITTEE, r"^[县区市州旗]委|编办|组织部|宣传部|统战部|政法委"),
    (TOWNSHIP, r"(乡|镇|街道)(人民政府|政府|办事处)?$"),
)


def unit_kind(name):
    """The ``Unit.Kind`` value for a unit name, by the general rules above."""
    for kind, pattern in UNIT_KIND_RULES:
        if re.search(pattern, name):
            return kind
    return GOVERNMENT_DEPARTMENT


def unit_key(text):
    """Compare unit names loosely: 各乡镇人民政府（街道办事处） ≡ 各乡镇（街道） ≡ 乡镇（街道）."""
    key = re.sub(r"\s", "", text).replace("(", "（").replace(")", "）")
    key = re.sub(r"(人民)?政府(?=（|$)", "", key)
    key = key.replace("人民政府", "政府").replace("办事处", "")
    return key.removeprefix("各")


# Function terms a clause uses for a department → fragments of that department's name.
FUNCTION_TERMS = {
    "教育": ("教委", "教育局", "教育委员会", "教体局", "教育和体育局", "教育体育局"),
    "财政": ("财政",),
    "发改": ("发展改革", "发改"),
    "发展改革": ("发展改革", "发改"),
    "人社": ("人力社保", "人力资源", "人社"),
    "人力社保": ("人力社保", "人力资源", "人社"),
    "城市管理": ("城管", "城市管理"),
    "城管": ("城管", "城市管理"),
    "市场监督": ("市场监管", "市场监督"),
    "市场监管": ("市场监管", "市场监督"),
    "机构编制": ("编办", "编委"),
    "编制": ("编办", "编委"),
    "组织": ("组织部",),
    "宣传": ("宣传部",),
    "政法": ("政法委",),
    "公安": ("公安",),
    "民政": ("民政",),
    "司法": ("司法",),
    "自然资源": ("自然资源", "规划"),
    "规划": ("规划", "自然资源"),
    "生态环境": ("生态环境", "环保"),
    "环保": ("生态环境", "环保"),
    "住建": ("住房城乡建", "住建"),
    "住房城乡建设": ("住房城乡建", "住建"),
    "交通": ("交通",),
    "农业农村": ("农业农村",),
    "农业": ("农业",),
    "文化旅游": ("文化旅游", "文旅"),
    "文旅": ("文化旅游", "文旅"),
    "卫生健康": ("卫生健康", "卫健"),
    "卫健": ("卫生健康", "卫健"),
    "审计": ("审计",),
    "统计": ("统计",),
    "乡村振兴": ("乡村振兴", "扶贫"),
    "扶贫": ("乡村振兴", "扶贫"),
    "税务": ("税务",),
    "残联": ("残联",),
    "妇联": ("妇联",),
    "应急管理": ("应急管理",),
    "医疗保障": ("医疗保障", "医保"),
    "医保": ("医疗保障", "医保"),
    "督导": ("教育督导",),
}

# --- indicators ----------------------------------------------------------------------------------

STAGE_WORDS = re.compile(r"中小学|小学|初中|九年一贯制|特殊教育|特教|教学点")
STAGE_OF_WORD = {
    "中小学": (PRIMARY, JUNIOR),
    "小学": (PRIMARY,),
    "教学点": (PRIMARY,),
    "初中": (JUNIOR,),
    "九年一贯制": (NINE_YEAR,),
    "特殊教育": (SPECIAL,),
    "特教": (SPECIAL,),
}
SCOPE_WORDS = re.compile(r"城区|城镇|镇区|县城|乡镇|农村|乡村")

# Longest alternatives first: 不低于 before 低于, 小于或等于 before 小于.
COMPARATOR_OF_WORD = {
    "大于或等于": GTE,
    "小于或等于": LTE,
    "不低于": GTE,
    "不少于": GTE,
    "不小于": GTE,
    "不高于": LTE,
    "不超过": LTE,
    "不多于": LTE,
    "不大于": LTE,
    "低于": LT,
    "小于": LT,
    "达到": EQ,
}
COMPARISON_OF_SUFFIX = {"以上": GTE, "及以上": GTE, "以下": LTE, "以内": LTE}
ROMAN_NUMERALS = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5}
MEASURE_UNITS = "%|％|平方米|㎡|元|人|间|级|个|所|学时|名|倍"
UNIT_SPELLING = {"％": "%", "㎡": "平方米"}


@dataclass(frozen=True)
class IndicatorTerm:
    """A national indicator, recognised when every ``required`` pattern and no ``excluded`` one matches."""

    code: str
    name: str
    required: tuple[str, ...]
    level: str
    stage: str | None = None  # None: the stage(s) the sentence names
    excluded: str = ""
    unit: str = ""  # when the sentence gives none


def _term(code, name, required, level, stage=None, excluded="", unit=""):
    return IndicatorTerm(code, name, tuple(required), level, stage, excluded, unit)


S, C = SCHOOL_LEVEL, COUNTY_LEVEL
INDICATOR_TERMS = (
    _term("teachers_above_degree_per_100", "每百名学生拥有高于规定学历教师数", ["每百名学生", "学历"], S),
    _term("key_teachers_per_100", "每百名学生拥有县级以上骨干教师数", ["每百名学生", "骨干教师"], S),
    _term("pe_art_teachers_per_100", "每百名学生拥有体育、艺术专任教师数", ["每百名学生", "体育|艺术"], S),
    _term("teaching_room_area_per_student", "生均教学及辅助用房面积", ["生均", "用房"], S),
    _term("sports_area_per_student", "生均体育运动场馆面积", ["生均", "运动场"], S),
    _term("equipment_value_per_student", "生均教学仪器设备值", ["生均", "仪器设备"], S),
    _term("multimedia_rooms_per_100", "每百名学生拥有网络多媒体教室数", ["每百名学生", "多媒体"], S),
    _term("difference_coefficient", "校际差异系数", ["差异系数"], C),
    _term("music_rooms_per_12_classes", "每12个班级配备音乐专用教室数", ["班级", "音乐", "教室"], S, excluded="面积"),
    _term("art_rooms_per_12_classes", "每12个班级配备美术专用教室数", ["班级", "美术", "教室"], S, excluded="面积"),
    _term("music_room_area", "每间音乐专用教室面积", ["音乐", "教室", "面积"], S),
    _term("art_room_area", "每间美术专用教室面积", ["美术", "教室", "面积"], S),
    _term("school_size", "学校规模", ["规模"], S, excluded="班"),
    _term("class_size", "班级学生数", ["班级学生数|班额"], S),
    # A county figure: the county's special school(s) funded per student (entered per year, not per school part).
    _term("special_school_funding_per_student", "特殊教育学校生均公用经费", ["特殊教育|特教", "公用经费"], C),
    _term("teacher_pay_vs_civil_servants", "教师平均工资收入水平不低于当地公务员", ["教师", "工资", "公务员"], C, C),
    _term("training_360_hours_rate", "教师5年360学时培训完成率", ["学时", "培训"], C, C),
    _term("rotation_rate", "交流轮岗教师比例", ["交流|轮岗", "比例"], C, C, excluded="骨干"),
    _term("key_teacher_rotation_share", "骨干教师占交流轮岗教师比例", ["骨干教师", "交流|轮岗"], C, C),
    _term("certification_rate", "专任教师持有教师资格证上岗率", ["教师资格"], C, C),
    _term("nearby_enrolment_rate", "就近划片入学比例", ["就近", "入学"], C, C),
    _term("high_school_quota_share", "优质高中招生名额分配比例", ["名额分配|指标到校|招生名额"], C, C),
    _term("migrant_children_public_rate", "随迁子女在公办学校和政府购买服务的民办学校就读比例", ["随迁子女"], C, C),
    _term("junior_retention_rate", "初中三年巩固率", ["巩固率"], C, JUNIOR),
    _term("disabled_enrolment_rate", "残疾儿童少年入学率", ["残疾", "入学率"], C, C),
    _term("training_budget_share", "教师培训经费占学校年度公用经费预算总额比例", ["培训经费"], S, C),
    _term("quality_monitoring_level", "国家义务教育质量监测学生学业水平", ["学业水平|质量监测"], C, C, unit="级"),
    _term("quality_difference_rate", "国家义务教育质量监测校际差异率", ["差异率"], C, C),
    _term("social_recognition_rate", "社会认可度", ["认可度|满意度"], C, C),
)


@dataclass(frozen=True)
class IndicatorPattern:
    """A national indicator whose sentence has its own form (no comparator word, or no number)."""

    code: str
    name: str
    regex: re.Pattern
    comparison: str
    unit: str
    level: str
    stage: str | None  # None: the stage the ``scope`` group names
    threshold: Decimal | None = None  # None: the ``value`` group


INDICATOR_PATTERNS = (
    IndicatorPattern(
        "teacher_pay_vs_civil_servants",
        "教师平均工资收入水平不低于当地公务员",
        re.compile(r"教师[^，,；;。\d]*?工资[^，,；;。\d]*?(?:不低于|不少于)(?:当地|同级)*公务员[^，,；;。\d]*?工资"),
        GTE,
        "%",
        C,
        C,
        Decimal(100),
    ),
)


@dataclass(frozen=True)
class RulePattern:
    """A rule of the plan that is not a target (how funds are set), e.g. the funding floor of small schools."""

    code: str
    name: str  # {students}: the number the sentence gives
    regex: re.Pattern  # groups: ``scope`` (whom it applies to), ``value`` (the number of students)


RULE_PATTERNS = (
    RulePattern(
        "funding_floor_students",
        "按{students}名学生核定公用经费",
        re.compile(r"(?P<scope>不足(?P<value>\d+)名学生的[^，,；;。]*?)按(?P=value)名学生核定(?:生均)?公用经费"),
    ),
)

# --- punctuation ---------------------------------------------------------------------------------

OPENING, CLOSING = "（(“‘《", "）)”’》"


def split_outside_brackets(text, separators):
    """Split at ``separators`` not inside brackets or quotes: [(piece, separator or "")], pieces verbatim."""
    pieces, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char in OPENING:
            depth += 1
        elif char in CLOSING:
            depth = max(depth - 1, 0)
        elif char in separators and depth == 0:
            pieces.append((text[start:index], char))
            start = index + 1
    if start < len(text):
        pieces.append((text[start:], ""))
    return pieces
