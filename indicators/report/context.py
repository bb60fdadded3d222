"""What every section of the report reads: the year, its computed indicators, the thresholds, the rule.

Loaded once per report (three queries: ``compute_year``); a section that needs more reads it itself.
"""

from dataclasses import dataclass, field

from django.utils import timezone

from ..computation.catalogue import COEFFICIENT, JUNIOR, PRIMARY, RESOURCE_INDICATORS, current_plan, load_thresholds
from ..computation.compute import YearResult, compute_year
from ..models import FundingRule, SchoolYearFigures
from ..reads.reporting import Reporting, reporting

STAGES = (PRIMARY, JUNIOR)
STAGE_NAMES = {PRIMARY: "小学", JUNIOR: "初中"}
# Short names and units for table headers and chart labels; the full names are in RESOURCE_INDICATORS.
SHORT_NAMES = {
    "teachers_above_degree_per_100": ("高于规定学历教师数", "人/百生"),
    "key_teachers_per_100": ("县级及以上骨干教师数", "人/百生"),
    "pe_art_teachers_per_100": ("体育艺术专任教师数", "人/百生"),
    "teaching_room_area_per_student": ("生均教学及辅助用房面积", "平方米"),
    "sports_area_per_student": ("生均体育运动场馆面积", "平方米"),
    "equipment_value_per_student": ("生均教学仪器设备值", "元"),
    "multimedia_rooms_per_100": ("网络多媒体教室数", "间/百生"),
}
if set(SHORT_NAMES) != {indicator.code for indicator in RESOURCE_INDICATORS}:
    raise ImportError("SHORT_NAMES must name every resource indicator of the catalogue")


class ReportError(Exception):
    """The report cannot be written; the message (Chinese) is shown to the user as it is."""


@dataclass
class ReportContext:
    year: int
    result: YearResult
    thresholds: dict
    as_of: object = field(default_factory=timezone.localdate)
    funding_rules: list = field(default_factory=list)  # the plan's FundingRule rows (e.g. the 100-student floor)
    reporting: Reporting | None = None  # how many parts reported: until all have, every verdict is provisional

    @property
    def mark(self):
        """“（暂定）” after each verdict of an incomplete year, else nothing."""
        return self.reporting.mark if self.reporting else ""

    @property
    def rule(self):
        return self.result.rule

    def parts(self, stage):
        """The stage's parts (resource standard per part), by school name."""
        parts = self.result.parts
        return parts[parts["stage"] == stage].sort_values(["school_name", "part_id"])

    def values(self, stage):
        values = self.result.values
        return values[values["stage"] == stage]

    def coefficients(self, stage):
        coefficients = self.result.coefficients
        return coefficients[coefficients["stage"] == stage] if len(coefficients) else coefficients

    def coefficient_threshold(self, stage):
        return float(self.thresholds[(COEFFICIENT, stage)].value)

    def stages(self):
        """The stages that have figures this year."""
        present = set(self.result.parts["stage"])
        return [stage for stage in STAGES if stage in present]


def load_context(year):
    """The context of ``year``; ``ReportError`` if the year has no figures (CatalogueIncomplete passes through)."""
    if not SchoolYearFigures.objects.filter(year=year).exists():
        raise ReportError(f"{year}年度还没有学校数据，请先导入学校年度数据再生成自评报告。")
    thresholds = load_thresholds()
    result = compute_year(year, thresholds=thresholds)
    plan = current_plan()
    rules = list(FundingRule.objects.filter(plan=plan)) if plan else []
    return ReportContext(
        year=year, result=result, thresholds=thresholds, funding_rules=rules, reporting=reporting(year)
    )
