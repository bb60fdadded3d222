"""The working-day calendar: China's statutory holidays and the weekends worked in their place (调休).

A day is a working day when it is Monday to Friday, unless a ``CalendarDay`` says otherwise. Only the
exceptions are stored; ``CoveredYear`` says which years the office has loaded or checked, so that a
deadline counted in working days in a year nobody has covered yet is flagged rather than silently
counted on weekdays alone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An exception to Monday-to-Friday: a holiday on a weekday, or a weekend day worked (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: a weekend day worked (调休). Unticked: a holiday or a day off.")
    )
    name = models.CharField(_("name"), max_length=50, blank=True, help_text=_("E.g. 春节, 国庆节调休."))

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}".strip()


class CoveredYear(models.Model):
    """A year whose holidays and 调休 days are in the calendar (loaded from a package or entered by the office)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("loaded by"), null=True, blank=True, on_delete=models.SET_NULL
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    class Meta:
        verbose_name = _("covered year")
        verbose_name_plural = _("covered years")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
