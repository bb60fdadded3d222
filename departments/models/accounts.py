"""What the people's accounts need beyond Django's user: a password to change at the next login, and the record
of every password another person reset."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PasswordChangeRequired(models.Model):
    """The person must choose their own password before anything else: their password was generated (an import)
    or reset by someone else. Removed when they change it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    since = models.DateTimeField(_("since"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("password change required")
        verbose_name_plural = _("password changes required")

    def __str__(self):
        return f"{self.user} · {self.reason}"


class PasswordReset(models.Model):
    """One reset of a unit person's password by the plan office or an administrator: who, whose, when."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reset by"), on_delete=models.PROTECT, related_name="+"
    )
    reset_at = models.DateTimeField(_("reset at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password reset")
        verbose_name_plural = _("password resets")
        ordering = ["-reset_at", "-pk"]

    def __str__(self):
        return f"{self.person} · {self.reset_at:%Y-%m-%d %H:%M}"
