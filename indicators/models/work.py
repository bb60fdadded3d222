"""What the plan office and the units do with the figures: shortfalls raised into rectification items, the
county-level figures units enter, and the self-evaluation reports generated from it all."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from outputs.jobs import FileJob
from workflows.models import Plan

from ..querysets import SelfEvaluationReportQuerySet
from .schools import SchoolPart, SchoolProfile


class Shortfall(models.Model):
    """One thing a school fell short of in a year, raised into a rectification item (整改) of the duty flow.

    ``stage`` is the part's stage for an indicator or a class size, "" for a whole-school check (size,
    music and art rooms). The no-duplicate rule (``services/rectification.py``) keys on (school, stage,
    code): at most one row per year — the database refuses a second — and none while an earlier year's
    row of the same key is in an item that is still open.
    """

    school = models.ForeignKey(
        SchoolProfile, verbose_name=_("school"), on_delete=models.PROTECT, related_name="shortfalls"
    )
    part = models.ForeignKey(
        SchoolPart, verbose_name=_("school part"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.CharField(_("stage"), max_length=8, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    code = models.SlugField(_("indicator code"), max_length=64)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    threshold = models.DecimalField(_("threshold"), max_digits=16, decimal_places=4)
    gap = models.DecimalField(_("gap"), max_digits=16, decimal_places=4)
    below_floor = models.BooleanField(_("below the floor"), default=False)
    text = models.CharField(_("text"), max_length=300, help_text=_("The line as written into the item."))
    item = models.ForeignKey(
        "workflows.DutyItem", verbose_name=_("item"), on_delete=models.PROTECT, related_name="shortfalls"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised at"), auto_now_add=True)

    class Meta:
        verbose_name = _("shortfall")
        verbose_name_plural = _("shortfalls")
        ordering = ["-year", "school", "stage", "pk"]
        permissions = [("raise_shortfalls", _("Can turn a year's shortfalls into rectification items"))]
        constraints = [
            models.UniqueConstraint(fields=["school", "stage", "code", "year"], name="unique_shortfall_per_year")
        ]
        indexes = [models.Index(fields=["school", "stage", "code"], name="shortfall_key_idx")]

    def __str__(self):
        return f"{self.school} {self.year} {self.text}"


class CountyFigure(models.Model):
    """A county-wide figure of one year that no school's figures give (teacher pay, enrolment rates, spending…).

    Keyed by the catalogue's (code, scope), not by an ``Indicator`` row: the figures outlive a
    re-imported or newer plan, and the "两个只增不减" spending rule has no catalogue row (it is a
    year-over-year rule of section 四, not a number of sections 二–三). ``reads.county`` says
    which codes are entered, by which unit, and which are computed from the schools' figures instead.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    code = models.SlugField(_("indicator code"), max_length=64)
    scope = models.CharField(_("scope"), max_length=50, blank=True)
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.CharField(_("note"), max_length=200, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("county figure")
        verbose_name_plural = _("county figures")
        ordering = ["-year", "code", "scope"]
        constraints = [models.UniqueConstraint(fields=["year", "code", "scope"], name="unique_county_figure")]

    def __str__(self):
        return f"{self.year} {self.code}{self.scope} = {self.value}"


def county_name():
    """The county of the plan in force (奉节县 for 奉节县人民政府办公室's plan); "" before any plan, or when its
    issuer names no county. One query."""
    plan = Plan.objects.current()
    return plan.county_name if plan else ""


def report_title(year):
    """E.g. 奉节县义务教育优质均衡发展2025年度自评报告. The county is the plan's: another county's plan gets its own."""
    return f"{county_name()}义务教育优质均衡发展{year}年度自评报告"


def report_path(report, filename):
    return f"self-evaluation-reports/{report.year}/{filename}"


class SelfEvaluationReport(FileJob):
    """One generation of a year's self-evaluation report (自评报告): a job a Celery worker runs, and its DOCX.

    The job's life (queued, running with progress, done or failed, stuck) is ``outputs.jobs``'s, shared with the
    board's large exports. At most one job per year is queued or running (a partial unique constraint); the file
    lives under MEDIA_ROOT and is served only through a view that checks the permission.
    """

    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    file = models.FileField(_("file"), upload_to=report_path, blank=True, max_length=200)

    objects = SelfEvaluationReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("self-evaluation report")
        verbose_name_plural = _("self-evaluation reports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_self_evaluation_report_per_year",
            ),
        ]

    def __str__(self):
        return f"{self.year}年度自评报告（{self.get_status_display()}）"

    @property
    def filename(self):
        """The report's title as the file's name (one query: the county of the plan in force)."""
        return f"{report_title(self.year)}.docx"
