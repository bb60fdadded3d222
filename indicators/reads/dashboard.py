"""What the indicators dashboard shows for a year and a stage, read from the stored values (``services.store``).

Schools × the 7 resource indicators with their marks, each school's resource-standard result, the
coefficients against their threshold and their mean, the county-level indicators, and the trend since
the first stored year, how many of the year's school parts have reported (``reads.reporting``: until all have,
every verdict is provisional), and whether the year is being recomputed (``StaleYear``: a rule, a threshold or a
school's type changed and a worker has not yet stored the year again). A fixed number of queries whatever the
number of schools (see test_dashboard).
"""

from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Collate

from ..computation.catalogue import INDICATOR_BY_CODE, RESOURCE_CODES
from ..models import CoefficientValue, EvaluationRule, IndicatorValue, SchoolPart, Stage, StaleYear
from .county import county_rows
from .reporting import reporting, reporting_by_year

REACHED, BELOW, BELOW_FLOOR = "reached", "below", "below_floor"
PER_PAGE = 100  # school parts per page of the table
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
    """The years with stored values, oldest first (one query). A skip scan along ``unique_indicator_value`` (year
    first): one index probe per year, where ``DISTINCT year`` read all 350,000 values of 5,000 parts × 10 years."""
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(  # the table's name is the model's own; no value comes from outside
            f"WITH RECURSIVE years(year) AS (SELECT MIN(year) FROM {table} UNION ALL "  # noqa: S608
            f"SELECT (SELECT MIN(year) FROM {table} WHERE year > years.year) FROM years WHERE years.year IS NOT NULL) "
            "SELECT year FROM years WHERE year IS NOT NULL ORDER BY year"
        )
        return [year for (year,) in cursor.fetchall()]


def _rules():
    rules = {rule.year: rule for rule in EvaluationRule.objects.all()}
    return lambda year: rules.get(year) or rules.get(None) or EvaluationRule()


def school_table(year, stage, township, page):
    """The ``page``-th page of the stage's school parts with stored values, by township and school name (code-point
    order), each a SchoolRow: a Paginator page whose ``object_list`` are the rows (three queries: the count, the
    page's parts, their values). 5,000 parts are not one page: the counts of the whole stage come from ``trend``."""
    parts = SchoolPart.objects.filter(stage=stage).filter(
        Exists(IndicatorValue.objects.filter(part=OuterRef("pk"), year=year))
    )
    if township is not None:
        parts = parts.filter(school__township=township)
    parts = parts.order_by(
        _code_points(Coalesce("school__township__name", Value(""))), _code_points("school__unit__name"), "pk"
    ).values_list("pk", "school_id", "school__unit__name", "school__township__name")
    page = Paginator(parts, PER_PAGE).get_page(page)
    rows = {pk: SchoolRow(profile_id, name, township_name or "", [None] * len(RESOURCE_CODES))
            for pk, profile_id, name, township_name in page.object_list}  # fmt: skip
    values = IndicatorValue.objects.filter(year=year, part_id__in=list(rows)).values_list(
        "part_id", "code", "value", "threshold", "reached", "below_floor"
    )
    position = {code: index for index, code in enumerate(RESOURCE_CODES)}
    for part_id, code, value, threshold, reached, below_floor in values:
        row = rows[part_id]
        mark = REACHED if reached else BELOW_FLOOR if below_floor else BELOW
        if code in position:
            row.cells[position[code]] = Cell(float(value), float(threshold), mark)
        row.reached_count += reached
        row.below_floor_count += below_floor
    page.object_list = list(rows.values())
    return page


def _code_points(expression):
    """Ordered by code point (as Python sorts strings), not by the database's locale."""
    collation = {"postgresql": "C", "sqlite": "BINARY"}.get(connection.vendor)
    return Collate(expression, collation) if collation else expression


def mark_passes(rows, rule):
    for row in rows:
        row.passes = row.reached_count >= rule.min_reached and row.below_floor_count == 0
    return rows


def coefficient_table(stage):
    """{year: {code: CoefficientValue}} of the stage, every stored year (one query)."""
    table = {}
    for value in CoefficientValue.objects.filter(stage=stage):
        table.setdefault(value.year, {})[value.code] = value
    return table


def trend(stage, township, coefficients, rule_of):
    """Per stored year: schools passing, schools, and each coefficient (two queries with the reporting counts)."""
    return trends([stage], township, {stage: coefficients}, rule_of)[stage]


def trends(stages, township, coefficients, rule_of):
    """{stage: ``trend``} of each of ``stages`` (``coefficients``: {stage: ``coefficient_table``}), read together:
    one pass over the stored values and one reading of the reporting counts for every stage (two queries).

    The database counts each part's marks (every part's, or the township's), then how many parts of each stage have
    each (year, reached, below the floor): a handful of rows per year, whatever the number of schools. The parts'
    stage is joined to the 50,000 per-part counts, not to the 350,000 values (which sorted on disk for two stages)."""
    values = IndicatorValue.objects.all()
    if township is not None:
        values = values.filter(part__in=SchoolPart.objects.filter(school__township=township).values("pk"))
    per_part = (
        values.values("year", "part_id")
        .annotate(reached=Count("pk", filter=Q(reached=True)), below=Count("pk", filter=Q(below_floor=True)))
        .order_by()
    )
    sql, params = per_part.query.sql_with_params()
    part_table = connection.ops.quote_name(SchoolPart._meta.db_table)
    wanted = ", ".join(["%s"] * len(stages))
    with connection.cursor() as cursor:
        cursor.execute(  # the subquery is Django's own and the table the model's, the values bound as parameters
            "SELECT part.stage, per_part.year, per_part.reached, per_part.below, COUNT(*) "  # noqa: S608
            f"FROM ({sql}) AS per_part INNER JOIN {part_table} AS part ON part.id = per_part.part_id "
            f"WHERE part.stage IN ({wanted}) GROUP BY 1, 2, 3, 4 ORDER BY 1, 2",
            [*params, *(str(stage) for stage in stages)],
        )
        marks = cursor.fetchall()
    years = {stage: {} for stage in stages}
    for stage, year, reached, below, parts in marks:
        rule = rule_of(year)
        counts = years[stage].setdefault(year, [0, 0])
        counts[0] += parts if reached >= rule.min_reached and below == 0 else 0
        counts[1] += parts
    reported = reporting_by_year({year for by_year in years.values() for year in by_year})
    return {
        stage: [
            {
                "year": year,
                "passing": passing,
                "total": total,
                "coefficients": [coefficients[stage].get(year, {}).get(code) for code in RESOURCE_CODES],
                "reporting": reported[year],
            }
            for year, (passing, total) in sorted(years[stage].items())
        ]
        for stage in stages
    }


def dashboard(year, stage, township=None, page=1):
    """Everything the dashboard page shows for ``year`` and ``stage`` (a ``Stage`` value), of one township if given;
    the ``page``-th page of its schools (a bad page number is the nearest page)."""
    rule_of = _rules()
    rule = rule_of(year)
    table = school_table(year, stage, township, page)
    coefficients = coefficient_table(stage)
    points = trend(stage, township, coefficients, rule_of)
    this_year = next((point for point in points if point["year"] == year), {"passing": 0, "total": 0})
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
        "schools": mark_passes(table.object_list, rule),
        "page_obj": table,
        "passing": this_year["passing"],
        "school_count": this_year["total"],
        "coefficients": cvs,
        "coefficient_mean": sum(stored) / len(stored) if stored else None,
        "coefficient_threshold": next((cv.threshold for cv in stored_cvs(cvs)), None),
        "coefficients_reached": sum(cv.reached for cv in stored_cvs(cvs)),
        "trend": points,
        "county": county_rows(year),
        "recomputing": is_being_recomputed(year),
        "reporting": reporting(year),  # until every part has reported, every verdict above is provisional
    }


def is_being_recomputed(year):
    """The year's stored values are stale: a worker is to compute them again (one query)."""
    return StaleYear.objects.filter(year=year).exists()


def stored_cvs(cvs):
    return [cv for cv in cvs if cv is not None]
