"""Working days: Monday to Friday, except the holidays and 调休 days of ``CalendarDay``.

Load the exceptions once (``WorkCalendar.load()``: one query) and ask it as often as needed, so that a page
listing many items counts their working days without a query per item.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from .models import CalendarDay, CoveredYear


@dataclass
class WorkCalendar:
    exceptions: dict = field(default_factory=dict)  # date → is_workday
    covered: frozenset = frozenset()

    @classmethod
    def load(cls):
        return cls(
            exceptions=dict(CalendarDay.objects.values_list("date", "is_workday")),
            covered=frozenset(CoveredYear.objects.values_list("year", flat=True)),
        )

    def is_workday(self, day):
        if day in self.exceptions:
            return self.exceptions[day]
        return day.weekday() < 5

    def add_working_days(self, start, count):
        """The ``count``-th working day after ``start`` (``start`` itself not counted): 5个工作日内 from a hand-over."""
        day = start
        remaining = count
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def working_days_between(self, start, end):
        """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
        if end <= start:
            return 0
        return sum(1 for offset in range(1, (end - start).days + 1) if self.is_workday(start + timedelta(days=offset)))

    def is_covered(self, year):
        return year in self.covered

    def uncovered_years(self, start, end):
        """Years between two dates whose holidays nobody has loaded: their working days count weekdays only."""
        return [year for year in range(start.year, end.year + 1) if year not in self.covered]


def uncovered_warning(years):
    """The Chinese warning shown where working days are counted in years the calendar does not cover."""
    if not years:
        return ""
    listed = "、".join(f"{year}年" for year in years)
    return f"工作日历尚未覆盖{listed}的法定节假日和调休安排，这些年份暂按周一至周五计算工作日。"
