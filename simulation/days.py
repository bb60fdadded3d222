"""Which simulated days things happen on: the county's working days, and the first working day on or after a date."""

from datetime import date, timedelta


class Days:
    """Working-day questions on the county's calendar (``workdays.calendar.WorkCalendar``)."""

    def __init__(self, calendar):
        self.calendar = calendar

    def is_workday(self, day):
        return self.calendar.is_workday(day)

    def first_workday_from(self, day):
        while not self.calendar.is_workday(day):
            day += timedelta(days=1)
        return day

    def is_first_workday_from(self, day, month, day_of_month=1):
        """Whether ``day`` is the first working day on or after ``day_of_month`` of ``month`` in its year."""
        return day == self.first_workday_from(date(day.year, month, day_of_month))


def days_between(start, end):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
