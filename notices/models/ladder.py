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


class LadderMark(models.Model):
    """Where the sweep left an item: the day it can next reach something new on its current deadline.

    Not a record of what was sent (the outbox's unique key is): only a skip-list, so that a sweep looks at the
    items due for something and not at the whole backlog again (``notices.services.marks``). A mark holds only
    while the item keeps ``deadline`` and the ladder keeps the settings ``ladder`` is the fingerprint of.
    """

    item = models.OneToOneField(
        "workflows.DutyItem", verbose_name=_("item"), primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    ladder = models.CharField(_("ladder fingerprint"), max_length=16)
    checked_on = models.DateField(_("looked at on"))
    next_on = models.DateField(_("next looked at on"), null=True, blank=True, help_text=_("Empty: never again."))

    class Meta:
        verbose_name = _("ladder mark")
        verbose_name_plural = _("ladder marks")

    def __str__(self):
        return f"{self.item_id} → {self.next_on or '-'}"
