"""Which figures each indicator is computed from, and its thresholds, read from the plan's indicator catalogue.

The codes are those ``workflows.plan_import`` gives the national terms (vocabulary.INDICATOR_TERMS);
no threshold is written here: a plan whose catalogue lacks one is reported, not guessed.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Subquery

from workflows.models import Plan

from ..models import Indicator

PRIMARY, JUNIOR, NINE_YEAR = Indicator.Stage.PRIMARY, Indicator.Stage.JUNIOR, Indicator.Stage.NINE_YEAR
COUNTY = Indicator.Stage.COUNTY


@dataclass(frozen=True)
class ResourceIndicator:
    """One of the 7 resource indicators: Σ ``numerator`` figures / students (× 100 when ``per_100``)."""

    code: str
    name: str
    numerator: tuple[str, ...]
    per_100: bool
    unit: str

    @property
    def factor(self):
        return 100 if self.per_100 else 1


RESOURCE_INDICATORS = (
    ResourceIndicator(
        "teachers_above_degree_per_100", "每百名学生拥有高于规定学历教师数", ("teachers_above_degree",), True, "人"
    ),
    ResourceIndicator("key_teachers_per_100", "每百名学生拥有县级以上骨干教师数", ("key_teachers",), True, "人"),
    ResourceIndicator(
        "pe_art_teachers_per_100",
        "每百名学生拥有体育、艺术（美术、音乐）专任教师数",
        ("pe_teachers", "music_teachers", "art_teachers"),
        True,
        "人",
    ),
    ResourceIndicator(
        "teaching_room_area_per_student", "生均教学及辅助用房面积", ("teaching_room_area",), False, "平方米"
    ),
    ResourceIndicator("sports_area_per_student", "生均体育运动场馆面积", ("sports_area",), False, "平方米"),
    ResourceIndicator("equipment_value_per_student", "生均教学仪器设备值", ("equipment_value",), False, "元"),
    ResourceIndicator("multimedia_rooms_per_100", "每百名学生拥有网络多媒体教室数", ("multimedia_rooms",), True, "间"),
)
RESOURCE_CODES = tuple(indicator.code for indicator in RESOURCE_INDICATORS)
INDICATOR_BY_CODE = {indicator.code: indicator for indicator in RESOURCE_INDICATORS}
COEFFICIENT = "difference_coefficient"
CLASS_SIZE, SCHOOL_SIZE = "class_size", "school_size"
MUSIC_ROOMS, ART_ROOMS = "music_rooms_per_12_classes", "art_rooms_per_12_classes"
MUSIC_AREA, ART_AREA = "music_room_area", "art_room_area"
TRAINING_SHARE = "training_budget_share"  # per school, over the whole school (computation.training_funds)

# (code, stage) pairs the computation needs from the catalogue.
REQUIRED = (
    [(code, stage) for code in RESOURCE_CODES for stage in (PRIMARY, JUNIOR)]
    + [(code, stage) for code in (COEFFICIENT, CLASS_SIZE, MUSIC_ROOMS, ART_ROOMS, MUSIC_AREA, ART_AREA)
       for stage in (PRIMARY, JUNIOR)]
    + [(SCHOOL_SIZE, PRIMARY), (SCHOOL_SIZE, JUNIOR), (SCHOOL_SIZE, NINE_YEAR)]
)  # fmt: skip
# Pairs loaded when the catalogue has them; a plan without one simply has no such check.
OPTIONAL = [(TRAINING_SHARE, COUNTY)]


@dataclass(frozen=True)
class Threshold:
    comparison: str  # an Indicator.Comparison value
    value: Decimal

    def label(self):
        return f"{Indicator.Comparison(self.comparison).label} {self.value.normalize():f}"


class CatalogueIncomplete(Exception):
    """The plan's catalogue lacks thresholds the computation needs. ``missing``: [(code, stage)]."""

    def __init__(self, plan, missing):
        self.missing = missing
        names = "、".join(f"{code}（{stage}）" for code, stage in missing)
        super().__init__(f"方案“{plan}”的指标目录缺少以下阈值：{names}")


def current_plan():
    return Plan.objects.current()


def load_thresholds(plan=None):
    """{(code, stage): Threshold} for every pair in REQUIRED (and those of OPTIONAL the catalogue has), from
    ``plan`` (default: the latest plan). One query."""
    latest = Plan.objects.order_by("-issued_on", "-pk").values("pk")[:1]
    codes = {code for code, _stage in REQUIRED + OPTIONAL}
    rows = Indicator.objects.filter(plan=plan or Subquery(latest), scope="", code__in=codes).values_list(
        "code", "stage", "comparison", "threshold"
    )
    thresholds = {(code, stage): Threshold(comparison, threshold) for code, stage, comparison, threshold in rows}
    missing = [pair for pair in REQUIRED if pair not in thresholds]
    if missing:
        raise CatalogueIncomplete(plan or current_plan() or "（无）", missing)
    return thresholds
