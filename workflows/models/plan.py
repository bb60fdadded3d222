"""The plan as data: the document, its phases, leadership group and duty templates.

The plan's numeric targets (its indicator catalogue) live with the indicators (``indicators.models.Indicator``)."""

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Unit


class PlanQuerySet(models.QuerySet):
    def current(self):
        """The plan in force: the latest issued (then the latest imported); None before any import."""
        return self.order_by("-issued_on", "-pk").first()


# The county (or district, city, banner) whose government issued the plan: 奉节县 of 奉节县人民政府办公室.
COUNTY_OF_ISSUER = re.compile(r"^(.+?[县区市旗])人民政府")


class Plan(models.Model):
    doc_number = models.CharField(_("document number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuing office"), max_length=100)
    issued_on = models.DateField(_("issued on"))
    supersedes = models.CharField(_("supersedes"), max_length=64, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    source_text = models.TextField(_("source text"), help_text=_("The document as imported, for traceability."))
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-issued_on"]

    def __str__(self):
        return f"{self.title}（{self.doc_number}）"

    def get_absolute_url(self):
        return reverse("plan_detail", args=[self.pk])

    @property
    def county_name(self):
        """The county the plan is for, read from its issuer (奉节县人民政府办公室 → 奉节县); "" if it names none."""
        match = COUNTY_OF_ISSUER.match(self.issuer)
        return match.group(1) if match else ""


class Phase(models.Model):
    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="phases")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="unique_phase_order"),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.name


class LeadershipPosition(models.Model):
    """A seat in the plan's leadership group (Annex 1)."""

    class Position(models.TextChoices):
        LEADER = "leader", _("Group leader")
        DEPUTY = "deputy", _("Deputy group leader")
        MEMBER = "member", _("Member unit")
        OFFICE = "office", _("Group office")
        OFFICE_DIRECTOR = "office_director", _("Office director")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="positions")
    position = models.CharField(_("position"), max_length=16, choices=Position.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    holder = models.CharField(_("holder"), max_length=100, help_text=_("As the document names it."))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="positions"
    )

    class Meta:
        verbose_name = _("leadership group position")
        verbose_name_plural = _("leadership group positions")
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="unique_position_order")]

    def __str__(self):
        return f"{self.get_position_display()}：{self.holder}"


class DutyTemplate(models.Model):
    """One duty clause of Annex 2: the unit that leads it, the units it names, and its cadence."""

    class Form(models.TextChoices):
        """How the document assigned the duty (workflows.plan_import.tags)."""

        ANNEX = "annex", _("Annex paragraph")
        INLINE_TAG = "inline_tag", _("Tag after the task")
        RANKING_LIST = "ranking_list", _("Ranked unit list after the task")

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        YEARLY = "yearly", _("Yearly")
        HALF_YEARLY = "half_yearly", _("Half-yearly")
        QUARTERLY = "quarterly", _("Quarterly")
        MONTHLY = "monthly", _("Monthly")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="duty_templates")
    lead_unit = models.ForeignKey(
        Unit, verbose_name=_("lead unit"), on_delete=models.PROTECT, related_name="led_duty_templates"
    )
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name=_("cooperating units"), blank=True, related_name="cooperating_duty_templates"
    )
    paragraph = models.PositiveSmallIntegerField(
        _("paragraph"), help_text=_("The duty's paragraph in document order (a tagged line, or an Annex 2 paragraph).")
    )
    clause = models.PositiveSmallIntegerField(_("clause"), help_text=_("Clause within the paragraph, from 1."))
    place = models.CharField(_("place in the document"), max_length=40, blank=True, help_text=_("E.g. 附件2-3.1."))
    source_form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.ANNEX)
    text = models.TextField(_("clause text"), help_text=_("Verbatim from the document."))
    unresolved_mentions = models.CharField(
        _("unresolved mentions"),
        max_length=500,
        blank=True,
        help_text=_("Parties the clause names that are not member units (schools, or units outside the group)."),
    )
    retired_on = models.DateField(
        _("retired on"),
        null=True,
        blank=True,
        help_text=_("Set by the import when a new version of the document no longer has this duty (items are kept)."),
    )
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices, default=Cadence.YEARLY)
    due_month = models.PositiveSmallIntegerField(
        _("due month"), default=12, help_text=_("For yearly duties: the month the report is due.")
    )
    due_day = models.PositiveSmallIntegerField(_("due day"), default=31, help_text=_("Day of the month it is due."))
    working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("E.g. 5 for 5个工作日内: items are due that many working days after they are handed over."),
    )
    evidence_hint = models.CharField(_("evidence hint"), max_length=200, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("duty template")
        verbose_name_plural = _("duty templates")
        ordering = ["plan", "paragraph", "clause"]
        constraints = [
            # Retired templates keep the position they had; only the document's current duties are unique by it.
            models.UniqueConstraint(
                fields=["plan", "paragraph", "clause"],
                condition=models.Q(retired_on__isnull=True),
                name="unique_duty_position",
            ),
            models.CheckConstraint(
                condition=models.Q(due_month__gte=1, due_month__lte=12), name="duty_due_month_valid"
            ),
            models.CheckConstraint(condition=models.Q(due_day__gte=1, due_day__lte=31), name="duty_due_day_valid"),
        ]

    def __str__(self):
        return f"{self.position_label} {self.lead_unit}：{self.text[:30]}"

    @property
    def position_label(self):
        return self.place or f"附件2-{self.paragraph}.{self.clause}"
