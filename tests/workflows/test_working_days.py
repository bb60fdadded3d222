"""Deadlines in working days (5个工作日内) across the National Day holiday and its 调休 Saturday.

The calendar of this test: 2026-10-01 (Thu) to 10-07 (Wed) are holidays, Saturday 10-10 is worked. Handed over on
Tuesday 2026-09-29, five working days are 9-30, 10-08, 10-09, 10-10 (the worked Saturday) and 10-12: due Monday
2026-10-12. Counting Monday to Friday alone would have given Tuesday 10-06, in the middle of the holiday.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from workdays.models import CalendarDay, CoveredYear
from workflows import cycles, services
from workflows.countdown import countdown
from workflows.models import DutyItem, DutyTemplate

pytestmark = pytest.mark.django_db

HANDED_OVER = date(2026, 9, 29)
DUE = date(2026, 10, 12)


def on(day):
    return time_machine.travel(datetime.combine(day, time(9), tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)


@pytest.fixture
def national_day():
    CalendarDay.objects.bulk_create(
        [CalendarDay(date=date(2026, 10, day), is_workday=False, name="国庆节") for day in range(1, 8)]
        + [CalendarDay(date=date(2026, 10, 10), is_workday=True, name="国庆节调休")]
    )
    CoveredYear.objects.create(year=2026, source="测试")


@pytest.fixture
def office(personas):
    return personas["government_office"]


def test_an_ad_hoc_item_in_working_days_skips_the_holiday_and_counts_the_worked_saturday(national_day, office, units):
    with on(HANDED_OVER):
        item = services.create_ad_hoc_item(office, unit=units["own"], title="五日内报送", working_days=5)
        assert (item.deadline, item.working_days) == (DUE, 5)
        assert countdown(item).label == "剩余 5 个工作日"
    with on(date(2026, 10, 9)):  # Friday after the holiday: the worked Saturday and Monday are left
        assert countdown(DutyItem.objects.get(pk=item.pk)).label == "剩余 2 个工作日"


def test_without_the_calendar_weekdays_alone_count(office, units):
    with on(HANDED_OVER):
        item = services.create_ad_hoc_item(office, unit=units["own"], title="五日内报送", working_days=5)
    assert item.deadline == date(2026, 10, 6)


def test_a_date_or_working_days_exactly_one(office, units):
    with pytest.raises(ValidationError, match="二选一"):
        services.create_ad_hoc_item(office, unit=units["own"], title="两者皆无")
    with pytest.raises(ValidationError, match="二选一"):
        services.create_ad_hoc_item(
            office, unit=units["own"], title="两者都填", deadline=date(2030, 1, 1), working_days=5
        )
    with pytest.raises(ValidationError, match="工作日"):
        services.create_ad_hoc_item(office, unit=units["own"], title="零天", working_days=0)
    assert not DutyItem.objects.exists()


def test_a_template_in_working_days_opens_items_due_that_many_working_days_after_hand_over(
    national_day, plan, office, units
):
    template = DutyTemplate.objects.filter(lead_unit=units["own"]).order_by("paragraph", "clause").first()
    template.working_days = 5
    template.save()
    with on(HANDED_OVER):
        preview = cycles.preview_cycle(plan, year=2026)
        planned = [p for p in preview.planned if p.template == template]
        assert [(p.deadline, p.working_days) for p in planned] == [(DUE, 5)]
        assert not any("工作日历尚未覆盖" in warning for warning in preview.warnings)
        services.open_cycle(office, plan, year=2026)
    item = DutyItem.objects.get(template=template)
    assert (item.deadline, item.working_days) == (DUE, 5)
    other = DutyItem.objects.exclude(template=template).first()
    assert (other.deadline, other.working_days) == (date(2026, 12, 31), None)  # the due rule, as before


def test_the_preview_warns_when_the_calendar_does_not_cover_the_years(plan, units):
    template = DutyTemplate.objects.filter(lead_unit=units["own"]).first()
    template.working_days = 20
    template.save()
    with on(date(2026, 12, 20)):  # 20 working days run into 2027
        preview = cycles.preview_cycle(plan, year=2026)
    assert any("工作日历尚未覆盖2026年、2027年" in warning for warning in preview.warnings)


def test_the_office_form_takes_working_days_and_warns_of_uncovered_years(client, office, units):
    client.force_login(office)
    with on(HANDED_OVER):
        response = client.post(
            reverse("workflows:item_create"),
            {"unit": units["own"].pk, "kind": "ad_hoc", "title": "五日内报送", "working_days": "5"},
            follow=True,
        )
    assert response.status_code == 200
    item = DutyItem.objects.get(title="五日内报送")
    assert item.working_days == 5
    texts = [str(message) for message in response.context["messages"]]
    assert any("5个工作日内" in text for text in texts)
    assert any("工作日历尚未覆盖2026年" in text for text in texts)


@pytest.mark.parametrize(
    "fields",
    [{}, {"deadline": "2030-01-01", "working_days": "5"}, {"working_days": "-3"}, {"working_days": "abc"}],
    ids=["neither", "both", "negative", "not a number"],
)
def test_the_office_form_refuses_a_bad_time_limit(client, office, units, fields):
    client.force_login(office)
    response = client.post(
        reverse("workflows:item_create"), {"unit": units["own"].pk, "kind": "ad_hoc", "title": "时限", **fields}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not DutyItem.objects.exists()


def test_an_approved_extension_keeps_counting_in_working_days(national_day, office, personas, units):
    with on(HANDED_OVER):
        item = services.create_ad_hoc_item(office, unit=units["own"], title="五日内报送", working_days=5)
        request = services.request_extension(
            personas["own_liaison"], item, requested_deadline=DUE + timedelta(days=1), reason="材料未齐"
        )
        services.decide_extension(office, request, approve=True)
        item.refresh_from_db()
        assert countdown(item).label == "剩余 6 个工作日"
