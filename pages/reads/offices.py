"""The plan office's open work (school figures still missing, rectification items open) and the organisation
department's assessment state. A fixed number of queries whatever the number of schools, items or runs."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from assessments.models import AssessmentRun
from indicators.models import SchoolPart, SchoolProfile, Shortfall
from workflows.models import DutyItem
from workflows.periods import last_complete_year

from .common import visible_items

FEW_SCHOOLS = 5


def figures_year(today=None):
    """The year whose school figures are being entered: last year's (the import page's default)."""
    return last_complete_year(today or timezone.localdate())


@dataclass
class PlanOfficeWork:
    year: int
    schools: int  # active schools
    missing: int  # of which some stage has no figures for the year
    missing_names: list  # the first few, by name
    rectification_open: int
    rectification_overdue: int


def plan_office_work(user, today=None):
    """Four queries."""
    today = today or timezone.localdate()
    year = figures_year(today)
    schools = SchoolProfile.objects.for_user(user).filter(unit__active=True)
    without = SchoolPart.objects.filter(school__in=schools.values("pk")).exclude(figures__year=year)
    missing = schools.filter(pk__in=without.values("school_id"))
    raised = visible_items(user).filter(pk__in=Shortfall.objects.values("item_id"), stage__in=DutyItem.OPEN_STAGES)
    rectification = raised.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=today)))
    return PlanOfficeWork(
        year=year,
        schools=schools.count(),
        missing=missing.count(),
        missing_names=list(missing.order_by("unit__name").values_list("unit__name", flat=True)[:FEW_SCHOOLS]),
        rectification_open=rectification["open"],
        rectification_overdue=rectification["overdue"],
    )


@dataclass
class AssessmentYear:
    year: int
    published: AssessmentRun | None
    draft: AssessmentRun | None

    @property
    def state(self):
        if self.published:
            return "published"
        return "draft" if self.draft else "none"


def assessment_work(user, today=None):
    """This year's and last year's assessment (the one usually run now): published, a draft, or not started.
    One query."""
    this_year = (today or timezone.localdate()).year
    years = [this_year, this_year - 1]
    runs = AssessmentRun.objects.for_user(user).filter(
        year__in=years, status__in=[AssessmentRun.Status.PUBLISHED, AssessmentRun.Status.DRAFT]
    )
    by_year = {year: AssessmentYear(year, None, None) for year in years}
    for run in runs:
        setattr(by_year[run.year], run.status, run)
    return list(by_year.values())
