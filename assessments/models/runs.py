"""Scoring schemes, assessment runs and their frozen results.

A run copies everything it shows — the scheme's parameters, unit names, item titles,
circular titles — into its own rows, so a published run never changes when items,
units or the scheme are edited later. Published runs are only ever superseded.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Unit
from workflows.models import DutyItem

from ..querysets import AssessmentRunQuerySet, UnitScoreQuerySet
from .common import POINTS, RANK_ORDER
from .schemes import ScoringScheme


class AssessmentRun(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    scheme = models.ForeignKey(ScoringScheme, verbose_name=_("scoring scheme"), on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField(_("assessment year"), db_index=True)
    as_of = models.DateField(_("as of"), help_text=_("Items due by this date are judged; open ones are late to it."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    parameters = models.JSONField(_("scheme parameters used"), default=dict)
    monthly_overdue = models.JSONField(_("overdue items at each month end"), default=list)
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("supersedes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = AssessmentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment run")
        verbose_name_plural = _("assessment runs")
        ordering = ["-year", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["year"], condition=models.Q(status="draft"), name="one_draft_per_year"),
            models.UniqueConstraint(
                fields=["year"], condition=models.Q(status="published"), name="one_published_run_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year}年度考核（{self.get_status_display()}，截至{self.as_of:%Y年%m月%d日}）"

    def get_absolute_url(self):
        return reverse("assessments:run_detail", args=[self.pk])

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT


class UnitScore(models.Model):
    """One unit's result in a run: the counts, the score and the rank. The lines explain the score."""

    run = models.ForeignKey(AssessmentRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="scores")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(_("unit name"), max_length=100)
    unit_kind = models.CharField(_("unit kind"), max_length=32)
    items_due = models.PositiveIntegerField(_("items due"))
    lead_items_due = models.PositiveIntegerField(_("lead items due"))
    done_on_time = models.PositiveIntegerField(_("done on time"))
    done_late = models.PositiveIntegerField(_("done late"))
    still_overdue = models.PositiveIntegerField(_("still overdue"))
    overdue_days = models.PositiveIntegerField(_("overdue days"))
    reworks = models.PositiveIntegerField(_("reworks"))
    urgings = models.PositiveIntegerField(_("urgings received"))
    criticisms = models.PositiveIntegerField(_("criticisms in circulars"))
    praises = models.PositiveIntegerField(_("praises in circulars"))
    on_time_rate = models.DecimalField(_("on-time rate"), max_digits=5, decimal_places=4, null=True)
    deductions = models.DecimalField(_("deductions"), **POINTS)
    bonuses = models.DecimalField(_("bonuses"), **POINTS)
    score = models.DecimalField(_("score"), **POINTS)
    rank = models.PositiveSmallIntegerField(
        _("rank"), null=True, blank=True, help_text=_("Empty: no item was judged, the unit is not ranked.")
    )

    objects = UnitScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit score")
        verbose_name_plural = _("unit scores")
        ordering = ["run", RANK_ORDER, "unit_name"]
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="one_score_per_unit_per_run")]

    def __str__(self):
        return f"{self.unit_name} {self.score}"

    @property
    def on_time_percent(self):
        """87.3 for a rate of 0.8730; None when nothing was judged."""
        return None if self.on_time_rate is None else (self.on_time_rate * 100).quantize(Decimal("0.1"))


class ScoreLine(models.Model):
    """One deduction or bonus, naming the item (or circular) it comes from."""

    class Kind(models.TextChoices):
        NOT_ON_TIME = "not_on_time", _("Not done on time")
        OVERDUE_DAYS = "overdue_days", _("Overdue days")
        REWORK = "rework", _("Returned for rework")
        URGING = "urging", _("Urged")
        CRITICISM = "criticism", _("Named in a circular")
        PRAISE = "praise", _("Praised in a circular")
        LATE_SIGNING = "late_signing", _("Signed for late")

    # No database constraint: a run's lines (hundreds of thousands for a large year) are written by one COPY in
    # the transaction that creates their scores, and deleted with them (runs._delete_results); PostgreSQL would
    # check every one of them at commit, 15 % of the run's time. The ORM's CASCADE still applies.
    score = models.ForeignKey(
        UnitScore,
        verbose_name=_("unit score"),
        on_delete=models.CASCADE,
        db_constraint=False,
        related_name="lines",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    # A link for the reader, not a constraint: a published run is a frozen record (item_title keeps the name),
    # and a database foreign key would make saving a large run lock every item it names (FOR KEY SHARE checks).
    item = models.ForeignKey(
        DutyItem,
        verbose_name=_("item"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    item_title = models.CharField(_("item"), max_length=200, blank=True)
    role = models.CharField(_("role on the item"), max_length=12, blank=True)
    circular_title = models.CharField(_("circular"), max_length=200, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=9, decimal_places=2)
    points = models.DecimalField(_("points"), help_text=_("Negative: a deduction."), **POINTS)
    explanation = models.CharField(_("explanation"), max_length=300)

    class Meta:
        verbose_name = _("score line")
        verbose_name_plural = _("score lines")
        ordering = ["score", "points", "pk"]

    def __str__(self):
        return self.explanation
