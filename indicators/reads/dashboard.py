"""What the indicators dashboard shows for a year and a stage, read from the stored values (``services.store``).

Schools × the 7 resource indicators with their marks, each school's resource-standard result, the
coefficients against their threshold and their mean, the county-level indicators, and the trend since
the first stored year, how many of the year's school parts have reported (``reads.reporting``: until all have,
every verdict is provisional), and whether the year is being recomputed (``StaleYear``: a rule, a threshold or a
school's type changed and a worker has not yet stored the year again). A fixed number of queries whatever the
number of schools (see test_dashboard).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from ..computation.catalogue import INDICATOR_BY_CODE, RESOURCE_CODES
from ..models import CoefficientValue, EvaluationRule, IndicatorValue, Stage, StaleYear
from .county import county_rows
from .reporting import reporting, reporting_by_year

REACHED, BELOW, BELOW_FLOOR = "reached", "below", "below_floor"
MARK_TEXT = {REACHED: "达标", BELOW: "未达标", BELOW_FLOOR: "低于标准85%"}


@dataclass
class SchoolRow:
    profile_id: int
    name: str
    township: str
    cells: list = field(default_factory=list)  # one Cell per RESOURCE_CODES, None where nothing is stored
    reached_count: int = 0
    below_floor_count: int = 0
    passes: bool = False


@dataclass(frozen=True)
class Cell:
    value: float
    threshold: float
    mark: str  # REACHED, BELOW or BELOW_FLOOR

    @property
    def text(self):
        return MARK_TEXT[self.mark]


def stored_years():
    return list(IndicatorValue.objects.order_by("year").values_list("year", flat=True).distinct())


def _rules():
    rules = {rule.year: rule for rule in EvaluationRule.objects.all()}
    return lambda year: rules.get(year) or rules.get(None) or EvaluationRule()


def _filtered(queryset, stage, township):
    queryset = queryset.filter(part__stage=stage)
    return queryset.filter(part__school__township=township) if township is not None else queryset


def school_rows(year, stage, township, rule):
    """One SchoolRow per school part of the stage with stored values (one query), by school name."""
    values = _filtered(IndicatorValue.objects.filter(year=year), stage, township).values_list(
        "part_id", "part__school_id", "part__school__unit__name", "part__school__township__name",
        "code", "value", "threshold", "reached", "below_floor",
    )  # fmt: skip
    rows, position = {}, {code: index for index, code in enumerate(RESOURCE_CODES)}
    for part_id, profile_id, name, township_name, code, value, threshold, reached, below_floor in values:
        row = rows.get(part_id)
        if row is None:
            row = rows[part_id] = SchoolRow(profile_id, name, township_name or "", [None] * len(RESOURCE_CODES))
        mark = REACHED if reached else BELOW_FLOOR if below_floor else BELOW
        if code in position:
            row.cells[position[code]] = Cell(float(value), float(threshold), mark)
        row.reached_count += reached
        row.below_floor_count += below_floor
    for row in rows.values():
        row.passes = row.reached_count >= rule.min_reached and row.below_floor_count == 0
    return sorted(rows.values(), key=lambda row: (row.township, row.name))


def coefficient_table(stage):
    """{year: {code: CoefficientValue}} of the stage, every stored year (one query)."""
    table = {}
    for value in CoefficientValue.objects.filter(stage=stage):
        table.setdefault(value.year, {})[value.code] = value
    return table


def trend(stage, township, coefficients, rule_of):
    """Per stored year: schools passing, schools, and each coefficient (one query)."""
    parts = (
        _filtered(IndicatorValue.objects.all(), stage, township)
        .values("year", "part_id")
        .annotate(reached=Count("pk", filter=Q(reached=True)), below=Count("pk", filter=Q(below_floor=True)))
        .order_by("year")
    )
    years = {}
    for row in parts:
        rule = rule_of(row["year"])
        counts = years.setdefault(row["year"], [0, 0])
        counts[0] += row["reached"] >= rule.min_reached and row["below"] == 0
        counts[1] += 1
    reported = reporting_by_year(years)
    return [
        {
            "year": year,
            "passing": passing,
            "total": total,
            "coefficients": [coefficients.get(year, {}).get(code) for code in RESOURCE_CODES],
            "reporting": reported[year],
        }
        for year, (passing, total) in sorted(years.items())
    ]


def dashboard(year, stage, township=None):
    """Everything the dashboard page shows for ``year`` and ``stage`` (a ``Stage`` value), of one township if given."""
    rule_of = _rules()
    rule = rule_of(year)
    schools = school_rows(year, stage, township, rule)
    coefficients = coefficient_table(stage)
    current = coefficients.get(year, {})
    cvs = [current.get(code) for code in RESOURCE_CODES]
    stored = [cv.coefficient for cv in cvs if cv is not None]
    return {
        "year": year,
        "stage": stage,
        "stage_label": Stage(stage).label,
        "township": township,
        "rule": rule,
        "floor_percent": f"{rule.floor_ratio * 100:.0f}",
        "indicators": [INDICATOR_BY_CODE[code] for code in RESOURCE_CODES],
        "schools": schools,
        "passing": sum(row.passes for row in schools),
        "coefficients": cvs,
        "coefficient_mean": sum(stored) / len(stored) if stored else None,
        "coefficient_threshold": next((cv.threshold for cv in stored_cvs(cvs)), None),
        "coefficients_reached": sum(cv.reached for cv in stored_cvs(cvs)),
        "trend": trend(stage, township, coefficients, rule_of),
        "county": county_rows(year),
        "recomputing": is_being_recomputed(year),
        "reporting": reporting(year),  # until every part has reported, every verdict above is provisional
    }


def is_being_recomputed(year):
    """The year's stored values are stale: a worker is to compute them again (one query)."""
    return StaleYear.objects.filter(year=year).exists()


def stored_cvs(cvs):
    return [cv for cv in cvs if cv is not None]
