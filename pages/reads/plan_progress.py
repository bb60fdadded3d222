"""The plan's progress over its life, one row per year (方案实施进度): what the government office, the leadership
group and the plan office read to see how the plan went (``access.sees_plan_progress``).

The years run from the plan's first phase or period (the earlier) to its target year. Each figure keeps the
definition the rest of Taskboard gives it:

- **Items** (到期任务): the plan's duty items (of its templates or periods) and the rectification items (整改, which
  name no plan), not withdrawn, whose deadline in force falls in the year. Ad-hoc tasks are not the plan's.
- **On time / late**: the judgement of the annual assessment and of the self-evaluation report's completion table
  (``assessments.computation.facts``, ``indicators.report.completion``): closed with the accepted submission on or
  before the deadline, in Asia/Shanghai dates, is on time; closed after it is late (逾期完成); still open (awaiting
  inspection included) after the deadline is overdue (逾期未完成), as the boards count it (``deadline < today``).
  An open item not yet past its deadline is neither.
- **Returned** (退回整改): inspections of those items returned for rework, in the year they were made.
- **Extensions** (延期申请): extension requests on those items asked in the year, and how many were approved.
- **Urgings** (催办): the office's urgings in the year (an urging names a unit or items, never a plan: every one).
- **Circulars** (通报): circulars of the plan's periods published in the year.
- **Average score**: the mean score of the units ranked (an item judged) in the year's published assessment; None
  while none is published, and not read at all for a person who may not see every unit's result.
- **Schools meeting the standard** (资源配置达标) and **difference coefficients** per stage: the indicators
  dashboard's trend (``indicators.reads.dashboard.trends``) from the stored values; None for a year with none.

A fixed number of queries whatever the number of years, items or schools (tests/pages/test_plan_progress.py).
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, Min, Q
from django.db.models.functions import Coalesce, ExtractYear, TruncDate
from django.utils import timezone

from assessments.models import AssessmentRun
from indicators.models import EvaluationRule, Stage
from indicators.reads.dashboard import coefficient_table, trends
from notices.models import Circular, Urging
from workflows.models import DutyItem, ExtensionRequest, Inspection

STAGES = (Stage.PRIMARY, Stage.JUNIOR)
STAGE_NAMES = {Stage.PRIMARY: "小学", Stage.JUNIOR: "初中"}


@dataclass(frozen=True)
class StandardCell:
    label: str
    value: "StageStandard | None"


@dataclass(frozen=True)
class StageStandard:
    """One stage's schools and coefficients in a year, as the indicators dashboard stores them."""

    passing: int  # school parts meeting the resource standard (达标)
    schools: int  # school parts with stored values
    coefficients: int  # coefficients stored (of the 7 resource indicators)
    coefficients_reached: int  # of which within the threshold
    coefficient_mean: float | None
    threshold: float | None  # the stage's coefficient threshold (≤ 0.50 primary, ≤ 0.45 junior)
    provisional: bool  # not every school part has reported the year's figures (暂定)

    @property
    def passing_share(self):
        return self.passing / self.schools if self.schools else None


COUNTS = (
    "items", "on_time", "done_late", "overdue", "returned", "extensions", "extensions_approved", "urgings", "circulars",
)  # fmt: skip


@dataclass
class YearProgress:
    """One year of the plan. The counts are None in a year with nothing recorded (the page shows "—", not 0)."""

    year: int
    items: int | None = 0
    on_time: int | None = 0
    done_late: int | None = 0  # closed after the deadline
    overdue: int | None = 0  # still open after the deadline
    returned: int | None = 0
    extensions: int | None = 0
    extensions_approved: int | None = 0
    urgings: int | None = 0
    circulars: int | None = 0
    average_score: float | None = None  # None: no published assessment of the year (or not shown to this person)
    primary: StageStandard | None = None
    junior: StageStandard | None = None

    @property
    def late(self):
        return None if self.overdue is None else self.done_late + self.overdue

    @property
    def on_time_rate(self):
        """On time among the items judged so far (on time or late), or None before any."""
        judged = (self.on_time or 0) + (self.late or 0)
        return self.on_time / judged if judged else None

    @property
    def standards(self):
        """[(stage name, StageStandard or None)], primary first: the page's columns."""
        return [StandardCell(STAGE_NAMES[stage], getattr(self, stage.value)) for stage in STAGES]

    @property
    def is_blank(self):
        """Nothing at all recorded in the year: no work, no published assessment, no school figures."""
        return self.items is None and self.average_score is None and self.primary is None and self.junior is None

    def blank_if_idle(self):
        """Make every count None when none of the year's items, returns, extensions, urgings or circulars exist."""
        if not any(getattr(self, name) for name in COUNTS):
            for name in COUNTS:
                setattr(self, name, None)


def plan_years(plan):
    """The plan's years: from its first phase or period (the earlier; the year it was issued if it has neither)
    to its target year. One query."""
    first = plan.__class__.objects.filter(pk=plan.pk).aggregate(
        phase=Min("phases__starts_on"), period=Min("periods__starts_on")
    )
    starts = [day.year for day in first.values() if day is not None] or [plan.issued_on.year]
    return list(range(min(min(starts), plan.target_year), plan.target_year + 1))


def plan_items(plan):
    """The plan's duty items and the rectification items, not withdrawn (of any year)."""
    mine = Q(kind=DutyItem.Kind.DUTY) & (Q(template__plan=plan) | Q(period__plan=plan))
    return DutyItem.objects.filter(mine | Q(kind=DutyItem.Kind.RECTIFICATION)).exclude(stage=DutyItem.Stage.WITHDRAWN)


def _year_of(field):
    return ExtractYear(field, tzinfo=timezone.get_default_timezone())


def _by_year(rows, years, **counts):
    """{year: {name: n}} from ``rows`` annotated with ``year``, for the years asked."""
    grouped = rows.order_by().filter(year__in=years).values("year").annotate(**counts)
    return {row.pop("year"): row for row in grouped}


def _items_by_year(items, years, today):
    done_on = TruncDate(Coalesce("submitted_at", "closed_at"), tzinfo=timezone.get_default_timezone())
    closed = Q(stage=DutyItem.Stage.CLOSED)
    rows = items.annotate(year=ExtractYear("deadline"), done_on=done_on)
    return _by_year(
        rows,
        years,
        items=Count("pk"),
        on_time=Count("pk", filter=closed & Q(done_on__lte=F("deadline"))),
        done_late=Count("pk", filter=closed & (Q(done_on__gt=F("deadline")) | Q(done_on__isnull=True))),
        overdue=Count("pk", filter=Q(stage__in=DutyItem.OPEN_STAGES, deadline__lt=today)),
    )


def _activity_by_year(items, plan, years):
    """Returns, extensions, urgings and circulars per year: four queries."""
    of_items = Q(item__in=items.values("pk"))
    returned = Inspection.objects.filter(of_items, verdict=Inspection.Verdict.RETURNED)
    approved = Q(status=ExtensionRequest.Status.APPROVED)
    circulars = Circular.objects.filter(period__plan=plan, status=Circular.Status.PUBLISHED)
    return [
        _by_year(returned.annotate(year=_year_of("created_at")), years, returned=Count("pk")),
        _by_year(
            ExtensionRequest.objects.filter(of_items).annotate(year=_year_of("created_at")),
            years,
            extensions=Count("pk"),
            extensions_approved=Count("pk", filter=approved),
        ),
        _by_year(Urging.objects.annotate(year=_year_of("created_at")), years, urgings=Count("pk")),
        _by_year(circulars.annotate(year=_year_of("published_at")), years, circulars=Count("pk")),
    ]


def average_scores(years):
    """{year: mean score of the ranked units} of the published assessments of ``years``. One query."""
    runs = AssessmentRun.objects.filter(status=AssessmentRun.Status.PUBLISHED, year__in=years)
    averages = runs.annotate(average=Avg("scores__score", filter=Q(scores__rank__isnull=False)))
    return {year: float(average) for year, average in averages.values_list("year", "average") if average is not None}


def _rule_of():
    """The evaluation rule of a year (its own row, else the default), as the indicators dashboard reads it."""
    rules = {rule.year: rule for rule in EvaluationRule.objects.all()}
    return lambda year: rules.get(year) or rules.get(None) or EvaluationRule()


def _standard(point):
    stored = [cv for cv in point["coefficients"] if cv is not None]
    return StageStandard(
        passing=point["passing"],
        schools=point["total"],
        coefficients=len(stored),
        coefficients_reached=sum(cv.reached for cv in stored),
        coefficient_mean=sum(float(cv.coefficient) for cv in stored) / len(stored) if stored else None,
        threshold=float(stored[0].threshold) if stored else None,
        provisional=point["reporting"].provisional,
    )


def standards_by_year(years):
    """{stage: {year: StageStandard}} for the years with stored indicator values. Seven queries: both stages' trends
    are read in one pass over the stored values."""
    rule_of = _rule_of()
    wanted = set(years)
    points = trends(STAGES, None, {stage: coefficient_table(stage) for stage in STAGES}, rule_of)
    return {
        stage: {point["year"]: _standard(point) for point in points[stage] if point["year"] in wanted}
        for stage in STAGES
    }


def yearly_progress(plan, *, today=None, with_scores=True):
    """[YearProgress] of the plan, one per year of ``plan_years``, oldest first. ``with_scores`` False leaves the
    average scores out (None) for a person who may not read every unit's assessment result."""
    today = today or timezone.localdate()
    years = plan_years(plan)
    rows = {year: YearProgress(year) for year in years}
    items = plan_items(plan)
    counted = [_items_by_year(items, years, today), *_activity_by_year(items, plan, years)]
    for by_year in counted:
        for year, counts in by_year.items():
            for name, value in counts.items():
                setattr(rows[year], name, value)
    for year, average in (average_scores(years) if with_scores else {}).items():
        rows[year].average_score = average
    for stage, by_year in standards_by_year(years).items():
        for year, standard in by_year.items():
            setattr(rows[year], stage.value, standard)
    for row in rows.values():
        row.blank_if_idle()
    return list(rows.values())
