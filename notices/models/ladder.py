"""The escalation ladder: when (days from the deadline), whom, how often and through which channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Rung(models.Model):
    """One step of the ladder: when (days from the deadline), whom, how often, and through which channels."""

    class Applies(models.TextChoices):
        DEADLINE = "deadline", _("Items not yet submitted, counted from the deadline")
        UNSIGNED = "unsigned", _("Items not yet signed for, counted from the hand-over")

    name = models.CharField(_("name"), max_length=50)
    applies_to = models.CharField(_("applies to"), max_length=10, choices=Applies.choices, default=Applies.DEADLINE)
    offset_days = models.SmallIntegerField(
        _("days from the deadline"),
        help_text=_(
            "Negative: before the deadline; 0: on the deadline day. For unsigned items: days after the hand-over."
        ),
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

    # What the office sets on a rung, in the order its page and the admin show it.
    SETTINGS = (
        "name",
        "applies_to",
        "offset_days",
        "repeat_every_days",
        "notify_liaisons",
        "notify_unit_leaders",
        "notify_government_office",
        "notify_leadership_office",
        "marks_circular_candidate",
        "in_app",
        "email",
        "active",
    )

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
