"""Writes to the working-day calendar: loading a year from the package, the office's own days, marking a year
covered. Each is one transaction, authorised with ``departments.access.maintains_calendar``.

``by=None`` is the command line (``manage.py load_workdays``): whoever runs management commands already holds the
database, as with ``migrate``. Every web caller passes the signed-in person, who is refused unless they keep the
calendar.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from departments import access

from . import statutory
from .models import CalendarDay, CoveredYear

REFUSED = "只有县政府办公室可以维护工作日历。"
OFFICE_CHECKED = "县政府办公室核对"
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years the calendar accepts


@dataclass
class LoadResult:
    loaded: dict = field(default_factory=dict)  # year → days written (created or changed); 0 when already loaded
    refused: dict = field(default_factory=dict)  # year → why it was not loaded (Chinese)


def _authorise(by):
    if by is not None:
        access.require(access.maintains_calendar(by), REFUSED)


def check_year(year):
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(f"年份须在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。")
    return year


@transaction.atomic
def load_statutory_calendar(by, years):
    """Write the statutory holidays and 调休 days of ``years`` from the package and mark those years covered.

    Idempotent: a day already as the package says is not written again, nor a year already covered by it. Days the
    office added that the package does not name are kept. A year the package does not cover is refused with a
    message and nothing is written for it.
    """
    _authorise(by)
    result = LoadResult()
    for year in sorted(set(years)):
        check_year(year)
        if not statutory.covers(year):
            result.refused[year] = statutory.uncovered_message(year)
            continue
        result.loaded[year] = _write_days(statutory.exceptions_of(year))
        covered = CoveredYear.objects.filter(year=year).first()
        if covered is None or covered.source != statutory.SOURCE:
            CoveredYear.objects.update_or_create(year=year, defaults={"source": statutory.SOURCE, "loaded_by": by})
    return result


def _write_days(days):
    existing = CalendarDay.objects.in_bulk([day.date for day in days], field_name="date")
    new, changed = [], []
    for day in days:
        row = existing.get(day.date)
        if row is None:
            new.append(CalendarDay(date=day.date, is_workday=day.is_workday, name=day.name))
        elif (row.is_workday, row.name) != (day.is_workday, day.name):
            row.is_workday, row.name = day.is_workday, day.name
            changed.append(row)
    CalendarDay.objects.bulk_create(new)
    CalendarDay.objects.bulk_update(changed, ["is_workday", "name"])
    return len(new) + len(changed)


@transaction.atomic
def save_day(by, day, *, is_workday, name=""):
    """Add (or correct) one day: a holiday on a weekday, or a weekend day worked (调休)."""
    _authorise(by)
    if not isinstance(day, date):
        raise ValidationError("请填写日期。")
    check_year(day.year)
    name = (name or "").strip()
    if len(name) > CalendarDay._meta.get_field("name").max_length:
        raise ValidationError("名称不能超过 50 个字。")
    weekend = day.weekday() >= 5
    if is_workday and not weekend:
        raise ValidationError(f"{day:%Y年%m月%d日}是工作日（周一至周五），无需登记为调休上班。")
    if not is_workday and weekend:
        raise ValidationError(f"{day:%Y年%m月%d日}是周末，本来就不上班，无需登记为放假。")
    row, _created = CalendarDay.objects.update_or_create(date=day, defaults={"is_workday": is_workday, "name": name})
    return row


@transaction.atomic
def remove_day(by, day):
    """Take a day out of the calendar: it becomes what Monday-to-Friday says again."""
    _authorise(by)
    deleted, _per_model = CalendarDay.objects.filter(date=day).delete()
    if not deleted:
        raise ValidationError("日历中没有这一天，无需删除。")


@transaction.atomic
def mark_year_covered(by, year):
    """The office has checked ``year``'s days against the State Council's notice: counting no longer warns."""
    _authorise(by)
    check_year(year)
    covered, _created = CoveredYear.objects.update_or_create(
        year=year, defaults={"source": OFFICE_CHECKED, "loaded_by": by}
    )
    return covered
