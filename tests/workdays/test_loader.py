"""Seeding the calendar from chinese-calendar: the exceptions to Monday-to-Friday with Chinese names, the year
marked covered, idempotent; a year the package does not hold is refused with a message and nothing is written."""

from datetime import UTC, date, datetime
from io import StringIO

import chinese_calendar
import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from workdays import services, statutory
from workdays.calendar import WorkCalendar
from workdays.models import CalendarDay, CoveredYear

pytestmark = pytest.mark.django_db


def test_2026_national_day_is_1_to_7_october_and_its_worked_weekends_come_from_the_package(personas):
    office = personas["government_office"]
    result = services.load_statutory_calendar(office, [2026])
    assert result.loaded == {2026: CalendarDay.objects.filter(date__year=2026).count()}
    assert result.refused == {}

    calendar = WorkCalendar.load()
    assert all(not calendar.is_workday(date(2026, 10, day)) for day in range(1, 8))
    stored = dict(CalendarDay.objects.filter(date__month=10, date__day__lte=7).values_list("date", "name"))
    # Only the weekdays are stored: 3 and 4 October are a weekend anyway.
    assert stored == {date(2026, 10, day): "国庆节" for day in (1, 2, 5, 6, 7)}

    worked = {day for day in chinese_calendar.workdays if day.year == 2026 and day.weekday() >= 5}
    assert worked  # the package's 调休 weekends of 2026
    assert set(CalendarDay.objects.filter(is_workday=True).values_list("date", flat=True)) == worked
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).name == "国庆节调休"
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节"
    names = set(CalendarDay.objects.filter(is_workday=False).values_list("name", flat=True))
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"}

    covered = CoveredYear.objects.get(year=2026)
    assert covered.source == "chinese-calendar 1.11.0"
    assert covered.loaded_by == office


def test_loading_again_writes_nothing(personas):
    office = personas["government_office"]
    services.load_statutory_calendar(office, [2026])
    before = list(CalendarDay.objects.values_list("date", "is_workday", "name"))
    loaded_at = CoveredYear.objects.get(year=2026).loaded_at

    with CaptureQueriesContext(connection) as queries:
        again = services.load_statutory_calendar(office, [2026])
    assert again.loaded == {2026: 0}
    assert not [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert list(CalendarDay.objects.values_list("date", "is_workday", "name")) == before
    assert CoveredYear.objects.get(year=2026).loaded_at == loaded_at


def test_loading_corrects_the_packages_days_and_keeps_the_offices_own(personas):
    office = personas["government_office"]
    services.load_statutory_calendar(office, [2026])
    CalendarDay.objects.filter(date=date(2026, 10, 1)).update(name="改错的名字")
    services.save_day(office, date(2026, 11, 2), is_workday=False, name="县里放假")
    result = services.load_statutory_calendar(office, [2026])
    assert result.loaded == {2026: 1}
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2026, 11, 2)).name == "县里放假"


def test_a_year_the_package_does_not_hold_is_refused_with_a_message_and_nothing_written(personas):
    result = services.load_statutory_calendar(personas["government_office"], [2027])
    assert result.loaded == {}
    assert "2027年的法定节假日安排不在 chinese-calendar 1.11.0 的数据范围内" in result.refused[2027]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CoveredYear.objects.filter(year=2027).exists()


def test_only_the_office_loads_the_calendar(personas):
    for persona in ["own_liaison", "inspector", "plan_office", "administrator"]:
        with pytest.raises(PermissionDenied):
            services.load_statutory_calendar(personas[persona], [2026])
    assert not CalendarDay.objects.exists()


def test_the_command_loads_the_years_it_can_and_says_why_not_the_others():
    out, err = StringIO(), StringIO()
    call_command("load_workdays", "--year", "2025", "--year", "2027", stdout=out, stderr=err)
    assert "2025年：已载入工作日历" in out.getvalue()
    assert "2027年的法定节假日安排不在" in err.getvalue()
    assert CoveredYear.objects.get(year=2025).loaded_by is None
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    # Again: nothing new.
    out = StringIO()
    call_command("load_workdays", "--year", "2025", stdout=out, stderr=StringIO())
    assert "新写入或更正 0 天" in out.getvalue()


def test_the_command_fails_when_no_year_could_be_loaded():
    err = StringIO()
    with pytest.raises(CommandError, match="没有载入任何年份"):
        call_command("load_workdays", "--year", "2027", stdout=StringIO(), stderr=err)
    assert "2027年" in err.getvalue()
    assert not CoveredYear.objects.exists()


def test_the_command_refuses_a_year_out_of_range():
    with pytest.raises(CommandError, match="年份须在"):
        call_command("load_workdays", "--year", "99999", stdout=StringIO(), stderr=StringIO())


def test_the_package_range():
    assert statutory.covered_years(2003, 2027) == list(range(2004, 2027))
    assert statutory.chinese_name("Mid-autumn Festival") == "中秋节"


def test_load_demo_loads_the_covered_years_from_the_plans_start(plan, personas):
    from demo.data import _load_calendar

    with time_machine.travel(datetime(2026, 12, 3, 4, tzinfo=UTC)):
        _load_calendar(plan, personas["government_office"])
    start = min([plan.issued_on, *plan.phases.values_list("starts_on", flat=True)]).year
    assert set(CoveredYear.objects.values_list("year", flat=True)) == set(range(start, 2027))
    assert CalendarDay.objects.filter(date=date(2026, 10, 1), is_workday=False).exists()
