"""How one year's duty work is scored."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from workflows.models import DutyItem

from .common import POINTS


class ScoringScheme(models.Model):
    """How one year's duty work is scored. The defaults are argued in the README ("Annual assessment")."""

    year = models.PositiveSmallIntegerField(_("assessment year"), unique=True)
    base_score = models.DecimalField(_("base score"), default=Decimal("100"), **POINTS)
    on_time_weight = models.DecimalField(
        _("points for on-time completion"),
        default=Decimal("30"),
        help_text=_("All lost when no item was done on time; each item not done on time costs its share."),
        **POINTS,
    )
    per_overdue_day = models.DecimalField(_("deduction per overdue day"), default=Decimal("0.2"), **POINTS)
    overdue_cap_per_item = models.DecimalField(_("overdue deduction cap per item"), default=Decimal("5"), **POINTS)
    per_rework = models.DecimalField(_("deduction per rework"), default=Decimal("1"), **POINTS)
    per_urging = models.DecimalField(
        _("deduction per urging"),
        default=Decimal("0"),
        help_text=_("0: urgings are counted and shown but cost nothing (the lateness behind them is deducted)."),
        **POINTS,
    )
    per_criticism = models.DecimalField(_("deduction per criticism in a circular"), default=Decimal("3"), **POINTS)
    per_praise = models.DecimalField(_("bonus per praise in a circular"), default=Decimal("2"), **POINTS)
    lead_weight = models.DecimalField(
        _("weight of lead duties"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    cooperating_weight = models.DecimalField(
        _("weight of cooperating duties"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.3"),
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("0: cooperating units are not scored on items they only cooperate on."),
    )

    class LatenessFrom(models.TextChoices):
        APPROVED = "approved", _("The deadline in force (after approved extensions)")
        ORIGINAL = "original", _("The deadline before any approved extension")

    lateness_from = models.CharField(
        _("lateness counted from"), max_length=10, choices=LatenessFrom.choices, default=LatenessFrom.APPROVED
    )
    count_signing_time = models.BooleanField(
        _("count the time to sign"),
        default=False,
        help_text=_("Deduct for each day an item waited to be signed for beyond the days allowed."),
    )
    signing_days_allowed = models.PositiveSmallIntegerField(_("days allowed to sign"), default=2)
    per_late_signing_day = models.DecimalField(_("deduction per day signed late"), default=Decimal("0.1"), **POINTS)
    count_plan_duties = models.BooleanField(_("count plan duties"), default=True)
    count_ad_hoc = models.BooleanField(_("count ad-hoc tasks"), default=True)
    count_rectifications = models.BooleanField(_("count rectification items"), default=True)
    periods = models.ManyToManyField(
        "workflows.Period",
        verbose_name=_("periods counted"),
        blank=True,
        help_text=_("Empty: every period whose items fall due in the year."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")
        ordering = ["-year"]
        permissions = [("manage_assessment", _("Can edit schemes, run and publish the assessment"))]

    def __str__(self):
        return f"{self.year}年度考核评分办法"

    def counted_kinds(self):
        kinds = (
            (DutyItem.Kind.DUTY, self.count_plan_duties),
            (DutyItem.Kind.AD_HOC, self.count_ad_hoc),
            (DutyItem.Kind.RECTIFICATION, self.count_rectifications),
        )
        return [kind for kind, counted in kinds if counted]
