"""What the audit trail keeps besides auditlog's changes (``auditlog.LogEntry``): logins and denied accesses.

Written by ``audit.services`` only (from the login signals and ``audit.middleware``), read by the trail's pages,
deleted by the retention purge. Nobody edits a row: the model has no add, change or delete permission.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessEvent(models.Model):
    class Kind(models.TextChoices):
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        DENIED = "denied", _("Access denied")
        UNLOCKED = "unlocked", _("Lockout lifted")

    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(
        _("username"), max_length=150, blank=True, help_text=_("As typed, for a failed login; kept if the person goes.")
    )
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    method = models.CharField(_("method"), max_length=8, blank=True)
    path = models.CharField(_("path"), max_length=255, blank=True)
    status = models.PositiveSmallIntegerField(_("status code"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("access event")
        verbose_name_plural = _("access events")
        ordering = ["-at", "-pk"]
        default_permissions = ()
        permissions = [
            ("read_audit_trail", _("Can read the audit trail")),
            ("unlock_logins", _("Can lift login lockouts")),
        ]
        indexes = [models.Index(fields=["kind", "at"], name="audit_event_kind_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
