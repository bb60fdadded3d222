"""How many of a year's school parts have reported their figures: "N of M school parts reported".

A year is complete when every school part that exists for it has figures: M counts the parts of active schools,
and the parts of schools no longer active that still have figures for the year (so N ≤ M). Until a year is
complete, what the pages and the self-evaluation report derive from it — a school's pass or fail against the
others, "x/y 所学校达标", the coefficients and the county's verdicts — is provisional (暂定): a part that has not
reported may change every one of them.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from ..models import SchoolPart, SchoolYearFigures

PROVISIONAL = "暂定"


@dataclass(frozen=True)
class Reporting:
    year: int
    reported: int  # parts with figures for the year
    expected: int  # parts that exist for the year

    @property
    def complete(self):
        return self.expected > 0 and self.reported >= self.expected

    @property
    def provisional(self):
        return not self.complete

    @property
    def missing(self):
        return max(self.expected - self.reported, 0)

    @property
    def mark(self):
        """What follows a verdict derived from the whole year: “（暂定）” until every part has reported."""
        return f"（{PROVISIONAL}）" if self.provisional else ""

    @property
    def text(self):
        """“已报送 3/13 个学校学段的数据”, and what that means when the year is incomplete."""
        counted = f"{self.year}年已报送 {self.reported}/{self.expected} 个学校学段的数据"
        if self.complete:
            return counted + "（全部报送）。"
        return (
            f"{counted}，还有 {self.missing} 个未报送：数据不完整，达标判断、差异系数和县级结论均为暂定结果，"
            "全部学段报送后才作为结论。"
        )


def reporting_by_year(years):
    """{year: Reporting} for each of ``years`` (three queries, whatever their number): the dashboard's trend."""
    years = list(years)
    if not years:
        return {}
    figures = SchoolYearFigures.objects.filter(year__in=years).order_by()  # Meta.ordering's part would join 3 tables
    reported = dict(figures.values("year").annotate(n=Count("pk")).values_list("year", "n"))
    active = SchoolPart.objects.filter(school__unit__active=True).count()
    inactive = SchoolPart.objects.filter(school__unit__active=False).values("pk")  # few: a semi-join, not 3 joins
    gone = dict(figures.filter(part__in=inactive).values("year").annotate(n=Count("pk")).values_list("year", "n"))
    return {year: Reporting(year, reported.get(year, 0), active + gone.get(year, 0)) for year in years}


def reporting(year):
    """The ``Reporting`` of ``year`` (one query): each part once, with an index probe for its figures of the year
    (not a join of every part to every year's figures)."""
    has_figures = Exists(SchoolYearFigures.objects.filter(part=OuterRef("pk"), year=year))
    counts = SchoolPart.objects.annotate(has_figures=has_figures).aggregate(
        reported=Count("pk", filter=Q(has_figures=True)),
        expected=Count("pk", filter=Q(school__unit__active=True) | Q(has_figures=True)),
    )
    return Reporting(year=year, reported=counts["reported"], expected=counts["expected"])
