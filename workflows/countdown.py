"""The countdown of an item's deadline: 剩余 N 天 / 今天到期 / 逾期 N 天, in working days where the item's
time limit was given in working days (``DutyItem.working_days``), else in calendar days.

Shown only while the owner unit still owes the work (``DutyItem.WORKING_STAGES``): an item awaiting
inspection, closed or withdrawn has none.
"""

from dataclasses import dataclass

from django.utils import timezone

from workdays.calendar import WorkCalendar

from .models import DutyItem


@dataclass(frozen=True)
class Countdown:
    days: int  # > 0: days left; 0: due today; < 0: days overdue
    working: bool  # counted in working days

    @property
    def state(self):
        """For the page's colour: ``later``, ``today`` or ``overdue``."""
        if self.days < 0:
            return "overdue"
        return "today" if self.days == 0 else "later"

    @property
    def label(self):
        unit = "个工作日" if self.working else "天"
        if self.days > 0:
            return f"剩余 {self.days} {unit}"
        if self.days == 0:
            return "今天到期"
        return f"逾期 {-self.days} {unit}"

    def __str__(self):
        return self.label


def countdown(item, *, today=None, calendar=None):
    """The item's countdown, or None when it has none. ``calendar``: a loaded WorkCalendar, to share one page-wide
    (loaded here only for an item counted in working days)."""
    if item.stage not in DutyItem.WORKING_STAGES:
        return None
    today = today or timezone.localdate()
    working = bool(item.working_days)
    if working:
        calendar = calendar or WorkCalendar.load()
        if item.deadline >= today:
            days = calendar.working_days_between(today, item.deadline)
        else:
            days = -calendar.working_days_between(item.deadline, today)
    else:
        days = (item.deadline - today).days
    return Countdown(days=days, working=working)
