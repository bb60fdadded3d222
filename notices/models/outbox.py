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
