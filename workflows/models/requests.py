"""What a unit asks of the office on an item: more time (延期申请) or to take it back (退回交办)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from departments.models import Unit

from .items import DutyItem


class ExtensionRequest(models.Model):
    """延期申请: the owner unit asks for a later deadline with a reason; the office approves or rejects it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    item = models.ForeignKey(
        DutyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="extension_requests"
    )
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    current_deadline = models.DateField(_("deadline when asked"))
    requested_deadline = models.DateField(_("requested deadline"))
    reason = models.TextField(_("reason"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(status="pending"), name="one_pending_extension_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item_id} → {self.requested_deadline}"


def extension_attachment_path(attachment, filename):
    return f"extensions/{attachment.request.item_id}/{attachment.request_id}/{filename}"


class ExtensionAttachment(models.Model):
    """A file given with an extension request (checked like evidence)."""

    request = models.ForeignKey(
        ExtensionRequest, verbose_name=_("extension request"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=extension_attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    kind_label = models.CharField(_("file type"), max_length=50)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("extension request file")
        verbose_name_plural = _("extension request files")
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class HandBack(models.Model):
    """退回交办: the unit says an item is not its duty; the office reassigns it to another unit or confirms it."""

    class Resolution(models.TextChoices):
        PENDING = "pending", _("Pending")
        REASSIGNED = "reassigned", _("Reassigned to another unit")
        CONFIRMED = "confirmed", _("Confirmed as the unit's duty")

    item = models.ForeignKey(DutyItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="hand_backs")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    handed_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("handed back by"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    resolution = models.CharField(
        _("resolution"), max_length=10, choices=Resolution.choices, default=Resolution.PENDING
    )
    new_unit = models.ForeignKey(
        Unit, verbose_name=_("new unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolution_note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("handed back at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("hand-back")
        verbose_name_plural = _("hand-backs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(resolution="pending"), name="one_pending_hand_back_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item_id} · {self.get_resolution_display()}"
