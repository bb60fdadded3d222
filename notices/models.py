"""The escalation ladder, the outbox of notices, their deliveries, urgings (催办) and circulars (通报).

Exactly once: a notice is keyed on (item, rung, deadline, occurrence) and a delivery on
(notice, recipient, channel) by unique constraints in the database, so a sweep or a
dispatch that runs twice, or in two workers at once, cannot write a second row.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from departments.models import Unit
from workflows.models import DutyItem, Period

from .querysets import CircularQuerySet


class Rung(models.Model):
    """One step of the ladder: when (days from the deadline), whom, how often, and through which channels."""

    name = models.CharField(_("name"), max_length=50)
    offset_days = models.SmallIntegerField(
        _("days from the deadline"), help_text=_("Negative: before the deadline; 0: on the deadline day.")
    )
    repeat_every_days = models.PositiveSmallIntegerField(
        _("repeat every (days)"), null=True, blank=True, help_text=_("Empty: once. Else again every N days.")
    )
    notify_liaisons = models.BooleanField(_("the unit's liaisons"), default=True)
    notify_unit_leaders = models.BooleanField(_("the unit's leaders"), default=False)
    notify_government_office = models.BooleanField(_("the government office"), default=False)
    notify_leadership_office = models.BooleanField(_("the leadership group's office"), default=False)
    marks_circular_candidate = models.BooleanField(
        _("marks the item for a circular"), default=False, help_text=_("通报候选：listed when a circular is drafted.")
    )
    in_app = models.BooleanField(_("in-app notice"), default=True)
    email = models.BooleanField(_("email"), default=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("escalation rung")
        verbose_name_plural = _("escalation ladder")
        ordering = ["offset_days", "pk"]

    def __str__(self):
        return self.name

    @property
    def before_deadline(self):
        return self.offset_days < 0

    def channels(self):
        return [code for code, on in (("in_app", self.in_app), ("email", self.email)) if on]


class Urging(models.Model):
    """催办: the government office presses one item, several items, or every open item of a unit."""

    message = models.TextField(_("message"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("urging")
        verbose_name_plural = _("urgings")
        ordering = ["-created_at"]

    def __str__(self):
        return self.message[:40]


class Circular(models.Model):
    """通报: praise units that did well, name those that are slow with a deadline to rectify."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    title = models.CharField(_("title"), max_length=200)
    period = models.ForeignKey(Period, verbose_name=_("period"), on_delete=models.PROTECT, related_name="circulars")
    summary = models.TextField(_("summary"), blank=True)
    praised_units = models.ManyToManyField(Unit, verbose_name=_("units praised"), blank=True, related_name="+")
    rectification_deadline = models.DateField(_("rectification deadline"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = CircularQuerySet.as_manager()

    class Meta:
        verbose_name = _("circular")
        verbose_name_plural = _("circulars")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:circular_detail", args=[self.pk])


class Criticism(models.Model):
    """A unit named in a circular, with its overdue items and the rectification item it gets on publishing."""

    circular = models.ForeignKey(
        Circular, verbose_name=_("circular"), on_delete=models.CASCADE, related_name="criticisms"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    items = models.ManyToManyField(DutyItem, verbose_name=_("overdue items"), related_name="criticisms")
    rectification_item = models.OneToOneField(
        DutyItem,
        verbose_name=_("rectification item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criticism_of",
    )

    class Meta:
        verbose_name = _("criticism")
        verbose_name_plural = _("criticisms")
        ordering = ["unit__name"]
        constraints = [models.UniqueConstraint(fields=["circular", "unit"], name="unique_criticism_per_unit")]

    def __str__(self):
        return f"{self.circular} · {self.unit}"


class Notice(models.Model):
    """The outbox: one row per thing to tell, written in the transaction that decided it."""

    class Kind(models.TextChoices):
        RUNG = "rung", _("Deadline reminder")
        URGING = "urging", _("Urging")
        CIRCULAR = "circular", _("Circular")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    item = models.ForeignKey(
        DutyItem, verbose_name=_("item"), null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    rung = models.ForeignKey(Rung, verbose_name=_("rung"), null=True, blank=True, on_delete=models.PROTECT)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=1)
    urging = models.ForeignKey(Urging, verbose_name=_("urging"), null=True, blank=True, on_delete=models.CASCADE)
    circular = models.ForeignKey(Circular, verbose_name=_("circular"), null=True, blank=True, on_delete=models.CASCADE)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    recipients_planned = models.BooleanField(_("recipients planned"), default=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "rung", "deadline", "occurrence"],
                condition=models.Q(rung__isnull=False),
                name="unique_notice_per_rung_occurrence",
            ),
            models.UniqueConstraint(
                fields=["circular", "unit"], condition=models.Q(circular__isnull=False), name="unique_circular_notice"
            ),
            models.UniqueConstraint(
                fields=["urging", "item"], condition=models.Q(urging__isnull=False), name="unique_urging_notice"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.item_id:
            return reverse("workflows:item_detail", args=[self.item_id])
        if self.circular_id:
            return reverse("notices:circular_detail", args=[self.circular_id])
        return reverse("notices:inbox")


class Delivery(models.Model):
    """One notice to one person through one channel, with its status the office can see."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "recipient", "channel"], name="unique_delivery"),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="delivery_queue_idx")]

    def __str__(self):
        return f"{self.notice} → {self.recipient} ({self.channel})"
