"""Working days across the 2026 National Day: the holiday week (1–7 October) is skipped and the weekends worked in
its place (Sunday 20 September, Saturday 10 October) count; the countdown of an item counts them where its limit
was given in working days, calendar days otherwise."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from workdays import services
from workdays.calendar import WorkCalendar
from workflows.countdown import countdown
from workflows.models import DutyItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(personas):
    services.load_statutory_calendar(personas["government_office"], [2026])
    return WorkCalendar.load()


def test_add_working_days_skips_the_holiday_and_counts_the_worked_saturday(calendar):
    # Tue 29 Sep → Wed 30 Sep (1), [1–7 Oct off], Thu 8 (2), Fri 9 (3), Sat 10 worked (4), Mon 12 (5).
    assert calendar.add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 12)
    assert calendar.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert calendar.add_working_days(date(2026, 10, 9), 1) == date(2026, 10, 10)  # the 调休 Saturday
    assert calendar.add_working_days(date(2026, 9, 18), 1) == date(2026, 9, 20)  # the 调休 Sunday


def test_working_days_between_across_the_holiday(calendar):
    assert calendar.working_days_between(date(2026, 9, 29), date(2026, 10, 12)) == 5
    assert calendar.working_days_between(date(2026, 9, 30), date(2026, 10, 7)) == 0
    assert calendar.working_days_between(date(2026, 9, 18), date(2026, 9, 21)) == 2  # Sun 20 worked, Mon 21
    assert calendar.working_days_between(date(2026, 10, 12), date(2026, 9, 29)) == 0


def test_without_the_calendar_only_weekends_are_skipped():
    empty = WorkCalendar.load()
    assert empty.add_working_days(date(2026, 9, 29), 5) == date(2026, 10, 6)
    assert empty.uncovered_years(date(2026, 1, 1), date(2027, 1, 1)) == [2026, 2027]


def item(deadline, *, working_days=None, stage=DutyItem.Stage.REPORTING):
    return DutyItem(deadline=deadline, working_days=working_days, stage=stage)


@pytest.mark.parametrize(
    ("today", "days", "label", "state"),
    [
        (date(2026, 9, 29), 5, "剩余 5 个工作日", "later"),
        (date(2026, 10, 3), 4, "剩余 4 个工作日", "later"),  # Thu 8, Fri 9, Sat 10 (worked), Mon 12
        (date(2026, 10, 12), 0, "今天到期", "today"),
        (date(2026, 10, 14), -2, "逾期 2 个工作日", "overdue"),
    ],
)
def test_countdown_in_working_days(calendar, today, days, label, state):
    value = countdown(item(date(2026, 10, 12), working_days=5), today=today, calendar=calendar)
    assert (value.days, value.label, value.state) == (days, label, state)


@pytest.mark.parametrize(
    ("today", "label", "state"),
    [
        (date(2026, 9, 29), "剩余 13 天", "later"),
        (date(2026, 10, 12), "今天到期", "today"),
        (date(2026, 10, 15), "逾期 3 天", "overdue"),
    ],
)
def test_countdown_in_calendar_days_ignores_the_holiday(calendar, today, label, state):
    value = countdown(item(date(2026, 10, 12)), today=today, calendar=calendar)
    assert (value.label, value.state, value.working) == (label, state, False)


def test_no_countdown_once_the_unit_has_handed_in(calendar):
    for stage in [DutyItem.Stage.INSPECTING, DutyItem.Stage.CLOSED, DutyItem.Stage.WITHDRAWN]:
        assert countdown(item(date(2026, 10, 12), working_days=5, stage=stage), calendar=calendar) is None


def test_the_tag_loads_the_calendar_once_per_request(calendar, django_assert_num_queries, time_machine):
    time_machine.move_to(date(2026, 9, 29))
    items = [item(date(2026, 10, 12), working_days=5) for _n in range(20)]
    template = Template("{% load countdown %}{% for item in items %}{% countdown item %}|{% endfor %}")
    request = RequestFactory().get("/")
    with django_assert_num_queries(2):  # the days, the covered years
        html = template.render(Context({"items": items, "request": request}))
    assert html.count('<span class="countdown countdown--later">剩余 5 个工作日</span>') == 20
