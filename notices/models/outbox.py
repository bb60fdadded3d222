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
from workflows.models import DutyItem

from .ladder import Rung
from .office import Circular, Urging


class Notice(models.Model):
    """The outbox: one row per thing to tell, written in the transaction that decided it."""

    class Kind(models.TextChoices):
        RUNG = "rung", _("Deadline reminder")
        URGING = "urging", _("Urging")
        CIRCULAR = "circular", _("Circular")
        ASSIGNED = "assigned", _("New work handed over")
        SIGNING = "signing", _("Hand-back or signature")
        RETURNED = "returned", _("Returned for rework")
        ACCEPTED = "accepted", _("Accepted and closed")
        DEADLINE = "deadline", _("Deadline changed")
        EXTENSION = "extension", _("Extension request")
        REASSIGNED = "reassigned", _("Reassigned")
        SUBMITTED = "submitted", _("Submitted for inspection")
        INSTRUCTION = "instruction", _("Instruction (批示)")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    item = models.ForeignKey(
        DutyItem, verbose_name=_("item"), null=True, blank=True, on_delete=models.CASCADE, related_name="notices"
    )
    rung = models.ForeignKey(Rung, verbose_name=_("rung"), null=True, blank=True, on_delete=models.PROTECT)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    occurrence = models.PositiveSmallIntegerField(_("occurrence"), default=1)
    # No index of their own: unique_urging_notice and unique_circular_notice begin with them (and, partial, hold no
    # row of the other kinds: an index on the column would take a NULL entry for every deadline reminder).
    urging = models.ForeignKey(
        Urging, verbose_name=_("urging"), null=True, blank=True, on_delete=models.CASCADE, db_index=False
    )
    circular = models.ForeignKey(
        Circular, verbose_name=_("circular"), null=True, blank=True, on_delete=models.CASCADE, db_index=False
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    events = models.ManyToManyField(
        "workflows.ItemEvent",
        verbose_name=_("timeline events"),
        through="NoticeSource",
        blank=True,
        related_name="+",
        help_text=_("The timeline lines this notice tells of (several for a digest)."),
    )
    # Indexed only where False (notice_unplanned_idx): the planner looks for those, and the sweep writes its own
    # notices planned already, so its INSERT has one index fewer to fill.
    recipients_planned = models.BooleanField(_("recipients planned"), default=False)
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
        indexes = [
            models.Index(
                fields=["recipients_planned"],
                condition=models.Q(recipients_planned=False),
                name="notice_unplanned_idx",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.item_id:
            return reverse("workflows:item_detail", args=[self.item_id])
        if self.circular_id:
            return reverse("notices:circular_detail", args=[self.circular_id])
        # Digests of several items: the hand-overs to the unit's board, the submissions to the inspection queue.
        if self.kind == self.Kind.ASSIGNED:
            return reverse("board:mine")
        if self.kind == self.Kind.SUBMITTED:
            return reverse("board:inspection")
        return reverse("notices:inbox")


class NoticeSource(models.Model):
    """Which notice told of a timeline event: each event is told once (unique), so a second pass writes nothing."""

    notice = models.ForeignKey(Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="sources")
    event = models.OneToOneField(
        "workflows.ItemEvent", verbose_name=_("timeline event"), on_delete=models.CASCADE, related_name="notice_source"
    )

    class Meta:
        verbose_name = _("notice source")
        verbose_name_plural = _("notice sources")

    def __str__(self):
        return f"{self.notice_id} ← {self.event_id}"


class Delivery(models.Model):
    """One notice to one person through one channel, with its status the office can see."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        HELD = "held", _("Held for the daily digest")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    # No index of its own: unique_delivery begins with it. Every index is filled once per delivery, and the sweep
    # writes six deliveries a notice.
    notice = models.ForeignKey(
        Notice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="deliveries", db_index=False
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    channel = models.CharField(_("channel"), max_length=20)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)  # in delivery_queue_idx
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    digest_on = models.DateField(
        _("sent in the digest of"), null=True, blank=True, help_text=_("Set when it went out in a daily digest.")
    )

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


class NoticePreference(models.Model):
    """How a person wants one kind of notice: at once, or gathered into one daily digest (in-app and email)."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", _("At once")
        DIGEST = "digest", _("In the daily digest")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="notice_preferences"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Notice.Kind.choices)
    mode = models.CharField(_("when"), max_length=10, choices=Mode.choices)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.mode}"
