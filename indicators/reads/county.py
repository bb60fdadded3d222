"""County-level indicators: the catalogue's targets that are not per school, entered per year or computed.

``county_rows(year)`` is what the dashboard and the self-evaluation report show; ``enterable(user)`` the
measures a person may enter (the write is ``services.county.enter_county_figure``). Which unit enters which
indicator is not in the catalogue: it is read from the plan's Annex 2 duty templates (``DUTY_OF_CODE``: the
first active clause whose text matches gives its lead unit); an indicator no clause matches is entered by
the plan office only. The plan office may enter every one.

A county-level target the plan sets per stage (就近划片入学比例: 小学 100%, 初中 ≥ 95%) is one measure per stage:
its scope — the key of its ``CountyFigure`` — is the stage's name (小学, 初中). The training-funds target is per
school: its row is the rate of schools meeting it, computed from their figures (``computation.training_funds``).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum

from departments import access
from workflows.models import DutyTemplate
from workflows.plan_import.types import STAGE_LABELS

from ..computation.catalogue import COEFFICIENT, TRAINING_SHARE, Threshold, current_plan
from ..computation.frame import year_columns
from ..computation.training_funds import BUDGET, TRAINING, county_rate, school_training_funds
from ..models import CountyFigure, Indicator, SchoolYearFigures

PLAN_OFFICE_NAME = "领导小组办公室"
TWO = Decimal("0.01")

# Annex 2 clause text → the unit responsible for the code's figure (its lead unit).
DUTY_OF_CODE = {
    "teacher_pay_vs_civil_servants": r"(?<!配合做好)教师工资",  # 县人力社保局: 落实教师工资政策
    "training_360_hours_rate": r"教师队伍",  # 县教委: 优化教师队伍结构
    "rotation_rate": r"教师均衡配置",
    "key_teacher_rotation_share": r"教师均衡配置",
    "certification_rate": r"教师队伍",
    "training_budget_share": r"教师队伍",
    "nearby_enrolment_rate": r"合理配置教育资源",
    "high_school_quota_share": r"合理配置教育资源",
    "migrant_children_public_rate": r"合理配置教育资源",
    "junior_retention_rate": r"牵头做好创建",
    "quality_monitoring_level": r"素质教育",
    "quality_difference_rate": r"素质教育",
    "disabled_enrolment_rate": r"残疾儿童入学",  # 县残联
    "social_recognition_rate": r"定期督导",  # 县政府教育督导室
    "education_spending": r"两个只增不减",  # 县财政局
    "education_spending_per_student": r"两个只增不减",
    "special_school_funding_per_student": r"生均公用经费标准",  # 县财政局: 核定并执行生均公用经费标准
}

# Codes the schools' figures already give for the county: Σ numerator / Σ denominator × 100 over every part.
COMPUTED = {
    "training_360_hours_rate": ("trained_teachers", "full_time_teachers"),
    "certification_rate": ("certified_teachers", "full_time_teachers"),
    "rotation_rate": ("rotated_teachers", "rotation_eligible_teachers"),
    "key_teacher_rotation_share": ("rotated_key_teachers", "rotated_teachers"),
}

# Codes checked per school whose county row is the rate of schools meeting the target (computed, never entered).
SCHOOL_RATE = {TRAINING_SHARE}

# The "两个只增不减" rule (section 四（三）, Annex 2 县财政局): each amount not below the previous year's.
FUNDING = {
    "education_spending": ("一般公共预算教育支出逐年只增不减", "万元"),
    "education_spending_per_student": ("按在校学生人数平均的一般公共预算教育支出逐年只增不减", "元"),
}
FUNDING_SENTENCE = re.compile(r"[^。\n]*两个只增不减[^。\n]*。?")


@dataclass(frozen=True)
class CountyRow:
    """One county-level indicator of a year, as the dashboard and the self-evaluation report show it."""

    code: str
    scope: str
    name: str  # with the scope, e.g. 就近划片入学比例（城区）
    value: Decimal | None  # None: not entered (or no school figures to compute from)
    value_label: str  # "96.50%", or "—"
    threshold_label: str  # "≥ 95%", or "不低于上年（2024年：1200万元）"
    passed: bool | None  # None: no value (or, for the spending rule, no previous year)
    source_sentence: str
    responsible_unit: str  # the unit's name, or 领导小组办公室
    computed: bool  # True: computed from the schools' figures, not entered
    basis: str  # how it was computed, or who entered it when (and the note)
    unit_of_measure: str = ""
    previous_value: Decimal | None = None  # the spending rule: the previous year's amount

    @property
    def key(self):
        return f"{self.code}|{self.scope}"


@dataclass(frozen=True)
class Measure:
    """A county-level figure to show: a catalogue row, or one amount of the spending rule."""

    code: str
    scope: str
    name: str
    comparison: str
    threshold: Decimal | None
    unit: str
    source: str

    @property
    def key(self):
        return f"{self.code}|{self.scope}"

    @property
    def label(self):
        return f"{self.name}（{self.scope}）" if self.scope else self.name

    @property
    def computed(self):
        return self.code in COMPUTED or self.school_rate

    @property
    def school_rate(self):
        return self.code in SCHOOL_RATE

    @property
    def funding(self):
        return self.code in FUNDING


def measures(plan=None):
    """The county-level measures of ``plan`` (default: the latest): catalogue rows, then the spending rule."""
    plan = plan or current_plan()
    if plan is None:
        return []
    rows = (
        Indicator.objects.filter(plan=plan)
        .filter(Q(level=Indicator.Level.COUNTY) | Q(stage=Indicator.Stage.COUNTY))
        .exclude(code=COEFFICIENT)
        .order_by("order")
    )
    rows = list(rows)
    stages_of = {}
    for row in rows:
        stages_of.setdefault(row.code, set()).add(row.stage)
    found = [
        Measure(
            row.code,
            _scope(row, several_stages=len(stages_of[row.code]) > 1),
            row.name,
            row.comparison,
            row.threshold,
            row.unit_of_measure,
            row.source_sentence,
        )
        for row in rows
    ]
    sentence = FUNDING_SENTENCE.search(plan.source_text)
    source = sentence.group(0).strip() if sentence else ""
    found += [Measure(code, "", name, "gte", None, unit, source) for code, (name, unit) in FUNDING.items()]
    return found


def _scope(row, *, several_stages):
    """The measure's scope: the row's own, with the stage's name first when the code has a row per stage."""
    stage = STAGE_LABELS.get(row.stage, "") if several_stages and row.stage != Indicator.Stage.COUNTY else ""
    return "·".join(part for part in (stage, row.scope) if part)


def responsible_units(plan=None):
    """{code: Unit} from Annex 2 (one query); codes no clause matches are missing (the plan office enters them)."""
    plan = plan or current_plan()
    templates = list(
        DutyTemplate.objects.filter(plan=plan, active=True).select_related("lead_unit").order_by("paragraph", "clause")
    )
    units = {}
    for code, pattern in DUTY_OF_CODE.items():
        match = next((t for t in templates if re.search(pattern, t.text)), None)
        if match is not None:
            units[code] = match.lead_unit
    return units


def computed_values(year):
    """{code: (value %, numerator, denominator)} from the sums of the year's school figures (one query)."""
    fields = {name for pair in COMPUTED.values() for name in pair}
    sums = SchoolYearFigures.objects.filter(year=year).aggregate(**{name: Sum(name) for name in fields})
    values = {}
    for code, (numerator, denominator) in COMPUTED.items():
        top, bottom = sums[numerator], sums[denominator]
        value = (top / bottom * 100).quantize(TWO) if top is not None and bottom else None
        values[code] = (value, top, bottom)
    return values


def compare(value, comparison, threshold):
    return {"gte": value >= threshold, "lte": value <= threshold, "lt": value < threshold}.get(
        comparison, value == threshold
    )


def _number(value, unit=""):
    if value is None:
        return "—"
    return f"{value.quantize(TWO).normalize():f}{unit}"


def _threshold_label(measure):
    return f"{Indicator.Comparison(measure.comparison).label} {measure.threshold.normalize():f}{measure.unit}"


def county_rows(year, *, plan=None):
    """The county-level indicators of ``year``: a list of ``CountyRow``, in the catalogue's order.

    Each row: ``name`` (with its scope), ``value`` (Decimal or None) and ``value_label``, ``threshold_label``,
    ``passed`` (True / False / None when there is no value), ``source_sentence`` (the plan's clause),
    ``responsible_unit`` (name of the unit that enters it, or 领导小组办公室), ``computed`` (True when the
    schools' figures give it: 360-hour training, certification, rotation rate, key teachers' share of the
    rotated; the rate of schools meeting the training-funds share) and ``basis`` (how it was computed, or who
    entered it and when). The two "两个只增不减" rows compare the year with the previous year:
    ``previous_value`` holds that year's amount and ``passed`` is None while either year is missing. Five
    queries, whatever the number of schools.
    """
    plan = plan or current_plan()
    found = measures(plan)
    if not found:
        return []
    units = responsible_units(plan)
    entered = {
        (figure.code, figure.scope, figure.year): figure
        for figure in CountyFigure.objects.filter(year__in=[year, year - 1]).select_related("entered_by")
    }
    computed = computed_values(year)
    if any(measure.school_rate for measure in found):
        computed.update(_school_rates(year, found))
    return [_row(measure, year, entered, computed, units) for measure in found]


def _school_rates(year, found):
    """{code: (rate %, basis)} of the per-school checks, from the two amounts of the year's figures (one query)."""
    frame = year_columns(year, [BUDGET, TRAINING])
    rates = {}
    for measure in found:
        if not measure.school_rate:
            continue
        schools = school_training_funds(frame, Threshold(measure.comparison, measure.threshold))
        rate, met, short, unreported = county_rate(schools)
        if rate is None:
            rates[measure.code] = (None, "该年度没有学校填报年度公用经费预算总额和教师培训经费")
            continue
        basis = (
            f"由各学校数据计算：{len(schools)}所学校中{met}所达到标准（{_threshold_label(measure)}），{short}所未达到"
        )
        if unreported:
            basis += f"，{unreported}所未填报年度公用经费预算总额或教师培训经费（计为未达到）"
        rates[measure.code] = (rate, basis)
    return rates


def _row(measure, year, entered, computed, units):
    unit = units.get(measure.code)
    previous = None
    if measure.school_rate:
        value, basis = computed[measure.code]
    elif measure.computed:
        value, top, bottom = computed[measure.code]
        numerator, denominator = (_label(name) for name in COMPUTED[measure.code])
        basis = f"由各学校学段数据计算：{numerator}合计 {_number(top)} ÷ {denominator}合计 {_number(bottom)}"
        basis = basis if value is not None else "该年度没有可计算的学校数据"
    else:
        figure = entered.get((measure.code, measure.scope, year))
        value, basis = (figure.value if figure else None), _entered_basis(figure)
    if measure.funding:
        before = entered.get((measure.code, measure.scope, year - 1))
        previous = before.value if before else None
        threshold_label = f"不低于上年（{year - 1}年：{_number(previous, measure.unit)}）"
        passed = None if value is None or previous is None else value >= previous
        if value is not None and previous is None:
            basis += f"；{year - 1}年未填报，无法比较"
    elif measure.school_rate:  # every school must meet it: the rate of those that do must be 100 %
        threshold_label = f"= 100%（每所学校 {_threshold_label(measure)}）"
        passed = None if value is None else value == 100
    else:
        threshold_label = _threshold_label(measure)
        passed = None if value is None else compare(value, measure.comparison, measure.threshold)
    return CountyRow(
        code=measure.code,
        scope=measure.scope,
        name=f"{measure.label}达标的学校比例" if measure.school_rate else measure.label,
        value=value,
        value_label=_number(value, "%" if measure.school_rate else measure.unit),
        threshold_label=threshold_label,
        passed=passed,
        source_sentence=measure.source,
        responsible_unit=unit.name if unit else PLAN_OFFICE_NAME,
        computed=measure.computed,
        basis=basis,
        unit_of_measure=measure.unit,
        previous_value=previous,
    )


def _label(field_name):
    return SchoolYearFigures._meta.get_field(field_name).verbose_name


def _entered_basis(figure):
    if figure is None:
        return "未填报"
    who = figure.entered_by.get_full_name() or figure.entered_by.get_username() if figure.entered_by else "—"
    text = f"{who} 填报"
    return f"{text}（{figure.note}）" if figure.note else text


# --- who enters what --------------------------------------------------------------


def enterable(user, plan=None):
    """The measures ``user`` may enter: all but the computed ones for the plan office, else their units' ones."""
    if not user.is_authenticated:
        return []
    plan = plan or current_plan()
    candidates = [measure for measure in measures(plan) if not measure.computed]
    if access.enters_every_county_figure(user):  # the plan office (and the administrator)
        return candidates
    own = access.acting_unit_ids(user)
    if not own:
        return []
    units = responsible_units(plan)
    return [measure for measure in candidates if measure.code in units and units[measure.code].pk in own]
