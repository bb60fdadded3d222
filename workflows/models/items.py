"""Periods and the duty items viewflow drives through assign → report → inspect → close, with their history."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process

from departments.models import Unit

from ..querysets import DutyItemQuerySet
from .plan import DutyTemplate, Phase, Plan


class Period(models.Model):
    """A span of the plan for which duties are handed out: a calendar year, or one of the plan's phases."""

    class Kind(models.TextChoices):
        YEAR = "year", _("Year")
        PHASE = "phase", _("Phase")

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="periods")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    phase = models.ForeignKey(Phase, verbose_name=_("phase"), null=True, blank=True, on_delete=models.PROTECT)
    label = models.CharField(_("label"), max_length=50)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("opened by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened at"), auto_now_add=True)

    class Meta:
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "year"], condition=models.Q(kind="year"), name="unique_year_period"
            ),
            models.UniqueConstraint(
                fields=["plan", "phase"], condition=models.Q(kind="phase"), name="unique_phase_period"
            ),
        ]

    def __str__(self):
        return self.label


# DutyItem.OPEN_STAGES and FINISHED_STAGES, for its indexes (a Meta cannot name its model's attributes).
OPEN = ("assigning", "signing", "handed_back", "reporting", "inspecting")
FINISHED = ("closed", "withdrawn")


class DutyItem(Process):
    """One unit's duty for one period (or an ad-hoc task): a viewflow process with real foreign keys."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("Plan duty")
        AD_HOC = "ad_hoc", _("Ad-hoc task")
        RECTIFICATION = "rectification", _("Rectification")

    class Stage(models.TextChoices):
        ASSIGNING = "assigning", _("Being assigned")
        SIGNING = "signing", _("Awaiting signature")
        HANDED_BACK = "handed_back", _("Handed back to the office")
        REPORTING = "reporting", _("In progress")
        INSPECTING = "inspecting", _("Awaiting inspection")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    OPEN_STAGES = (Stage.ASSIGNING, Stage.SIGNING, Stage.HANDED_BACK, Stage.REPORTING, Stage.INSPECTING)
    FINISHED_STAGES = (Stage.CLOSED, Stage.WITHDRAWN)  # every stage not open
    # Stages in which the owner unit still owes the work (the deadline ladder runs, the countdown shows).
    WORKING_STAGES = (Stage.ASSIGNING, Stage.SIGNING, Stage.HANDED_BACK, Stage.REPORTING)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DUTY)
    template = models.ForeignKey(
        DutyTemplate, verbose_name=_("duty template"), null=True, blank=True, on_delete=models.PROTECT
    )
    period = models.ForeignKey(Period, verbose_name=_("period"), null=True, blank=True, on_delete=models.PROTECT)
    occurrence = models.PositiveSmallIntegerField(
        _("occurrence"), default=1, help_text=_("For duties due several times a period: which time.")
    )
    unit = models.ForeignKey(Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="items")
    cooperating_units = models.ManyToManyField(
        Unit, verbose_name=_("cooperating units"), blank=True, related_name="cooperating_items"
    )
    title = models.CharField(_("title"), max_length=200)
    instructions = models.TextField(_("instructions"), blank=True)
    deadline = models.DateField(_("deadline"), db_index=True)
    working_days = models.PositiveSmallIntegerField(
        _("time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Set when the deadline was given as working days (e.g. 5个工作日内): the countdown counts them."),
    )
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_items",
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices, default=Stage.ASSIGNING, db_index=True)
    reworks = models.PositiveSmallIntegerField(_("reworks"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DutyItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("duty item")
        verbose_name_plural = _("duty items")
        permissions = [
            ("assign_item", _("Can assign, extend, reassign, withdraw and urge items, and issue circulars")),
            ("open_cycle", _("Can open a period's cycle")),
            ("inspect_item", _("Can inspect reports")),
            ("give_instruction", _("Can give instructions (批示) on every unit's items")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["template", "period", "unit", "occurrence"],
                condition=models.Q(template__isnull=False),
                name="unique_item_per_template_period_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "stage", "deadline"], name="item_board_idx"),
            # The board reads each light in deadline order: open items (red, yellow, green) and finished ones
            # (grey); with the period and the unit after them, the open items' counts come from the index alone.
            models.Index(
                fields=["deadline", "process_ptr", "period", "unit"],
                condition=models.Q(stage__in=OPEN),
                name="item_open_idx",
            ),
            models.Index(
                fields=["deadline", "process_ptr", "period", "unit"],
                condition=models.Q(stage__in=FINISHED),
                name="item_finished_idx",
            ),
            # A period's light counts and its unit × stage matrix (督办看板), from the index alone.
            models.Index(fields=["period", "unit", "stage", "deadline", "process_ptr"], name="item_period_idx"),
        ]

    def __str__(self):
        return f"{self.unit} · {self.title}"

    def get_absolute_url(self):
        return reverse("workflows:item_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.stage in self.OPEN_STAGES


class Report(models.Model):
    """What a unit wrote on an item: a progress note, a cooperating unit's contribution, or a submission."""

    class Kind(models.TextChoices):
        PROGRESS = "progress", _("Progress note")
        CONTRIBUTION = "contribution", _("Contribution")
        SUBMISSION = "submission", _("Submitted for inspection")

    item = models.ForeignKey(DutyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__isnull=True) | models.Q(progress__lte=100), name="report_progress_max_100"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit}"


def evidence_path(evidence, filename):
    return f"evidence/{evidence.report.item_id}/{evidence.report_id}/{filename}"


class Evidence(models.Model):
    report = models.ForeignKey(Report, verbose_name=_("report"), on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind_label = models.CharField(_("file type"), max_length=50)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("workflows:evidence_download", args=[self.pk])


class Inspection(models.Model):
    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for rework")

    item = models.ForeignKey(DutyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="inspections")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("inspector"), on_delete=models.PROTECT)
    verdict = models.CharField(_("verdict"), max_length=10, choices=Verdict.choices)
    reasons = models.TextField(_("reasons"), blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_verdict_display()} · {self.item_id}"


class ItemEvent(models.Model):
    """One line of an item's timeline. Written by the service that made the change, in its transaction."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Opened")
        ASSIGNED = "assigned", _("Handed over")
        PROGRESS = "progress", _("Progress noted")
        CONTRIBUTION = "contribution", _("Contribution added")
        SUBMITTED = "submitted", _("Submitted for inspection")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for rework")
        DEADLINE_CHANGED = "deadline_changed", _("Deadline changed")
        REASSIGNED = "reassigned", _("Reassigned")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        URGED = "urged", _("Urged")
        CIRCULATED = "circulated", _("Named in a circular")
        SIGNED = "signed", _("Signed for")
        HANDED_BACK = "handed_back", _("Handed back to the office")
        HANDBACK_RESOLVED = "handback_resolved", _("Hand-back resolved")
        EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
        EXTENSION_APPROVED = "extension_approved", _("Extension approved")
        EXTENSION_REJECTED = "extension_rejected", _("Extension rejected")
        INSTRUCTION = "instruction", _("Instruction")

    item = models.ForeignKey(DutyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("text"), blank=True)
    report = models.ForeignKey(Report, verbose_name=_("report"), null=True, on_delete=models.CASCADE, related_name="+")
    old_deadline = models.DateField(_("old deadline"), null=True, blank=True)
    new_deadline = models.DateField(_("new deadline"), null=True, blank=True)
    created_at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("item event")
        verbose_name_plural = _("item events")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.item_id}"
