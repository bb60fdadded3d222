"""The office's calendar page: a year's days, adding and removing one, loading the year, marking it checked, the
warning for a year nobody covered. Only the office (the other personas' statuses: tests/project/
test_permission_table.py)."""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from workdays import services
from workdays.models import CalendarDay, CoveredYear

pytestmark = pytest.mark.django_db

PAGE = reverse("workdays:calendar")


@pytest.fixture
def office(client, personas):
    client.force_login(personas["government_office"])
    return personas["government_office"]


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_uncovered_year_shows_the_warning_and_no_load_button(client, office):
    page = client.get(PAGE, {"year": 2027}).content.decode()
    assert "工作日历尚未覆盖2027年的法定节假日和调休安排" in page
    assert reverse("workdays:load") not in page
    assert "不含2027年的数据" in page


def test_loading_a_year_from_the_page(client, office):
    page = client.get(PAGE, {"year": 2026}).content.decode()
    assert "工作日历尚未覆盖2026年" in page
    assert reverse("workdays:load") in page
    response = client.post(reverse("workdays:load"), {"year": 2026})
    assert response.status_code == 302
    assert response.url == f"{PAGE}?year=2026"
    assert CoveredYear.objects.get(year=2026).loaded_by == office
    page = client.get(response.url).content.decode()
    assert "工作日历尚未覆盖" not in page
    assert "2026年已覆盖" in page
    for text in ["2026年10月1日", "国庆节调休", "星期六"]:
        assert text in page


def test_loading_a_year_the_package_lacks_is_refused_on_the_page(client, office):
    response = client.post(reverse("workdays:load"), {"year": 2027})
    assert response.status_code == 400
    assert "不在 chinese-calendar 1.11.0 的数据范围内" in response.content.decode()
    assert not CoveredYear.objects.exists()


def test_adding_a_holiday_and_a_worked_weekend_then_marking_the_year_checked(client, office):
    response = client.post(reverse("workdays:add_day"), {"date": "2027-10-01", "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 302
    assert "已登记 2027年10月01日 为放假（国庆节）。" in messages_of(response)
    client.post(reverse("workdays:add_day"), {"date": "2027-09-26", "kind": "worked", "name": "国庆节调休"})
    assert dict(CalendarDay.objects.values_list("date", "is_workday")) == {
        date(2027, 10, 1): False,
        date(2027, 9, 26): True,
    }
    response = client.post(reverse("workdays:mark_covered"), {"year": 2027})
    assert response.status_code == 302
    covered = CoveredYear.objects.get(year=2027)
    assert (covered.source, covered.loaded_by) == ("县政府办公室核对", office)
    assert "工作日历尚未覆盖" not in client.get(PAGE, {"year": 2027}).content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"date": "2027-10-02", "kind": "holiday"}, "是周末，本来就不上班"),  # a Saturday
        ({"date": "2027-10-08", "kind": "worked"}, "是工作日（周一至周五）"),
        ({"date": "2027-02-30", "kind": "holiday"}, "日期格式不对"),
        ({"date": "", "kind": "holiday"}, "请填写日期"),
        ({"date": "2027-10-08", "kind": "other"}, "请选择放假或调休上班"),
        ({"date": "1900-10-08", "kind": "holiday"}, "年份须在"),
    ],
)
def test_a_wrong_day_is_answered_on_the_form_and_nothing_written(client, office, fields, message):
    response = client.post(reverse("workdays:add_day"), {**fields, "name": "某节"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_removing_a_day(client, office, personas):
    services.save_day(office, date(2027, 10, 1), is_workday=False, name="国庆节")
    page = client.get(PAGE, {"year": 2027}).content.decode()
    assert reverse("workdays:remove_day") in page
    response = client.post(reverse("workdays:remove_day"), {"date": "2027-10-01", "year": 2027})
    assert response.status_code == 302
    assert not CalendarDay.objects.exists()
    response = client.post(reverse("workdays:remove_day"), {"date": "2027-10-01", "year": 2027})
    assert response.status_code == 400
    assert "日历中没有这一天" in response.content.decode()


def test_a_bad_year_in_the_address_shows_this_year_with_the_error(client, office):
    response = client.get(PAGE, {"year": "abc"})
    assert response.status_code == 200
    assert "年份须是整数" in response.content.decode()


@pytest.mark.parametrize("persona", ["own_liaison", "inspector", "plan_office", "assessment_reader", "administrator"])
def test_only_the_office_keeps_the_calendar(client, personas, persona):
    client.force_login(personas[persona])
    assert client.get(PAGE).status_code == 403
    for name, data in [
        ("workdays:add_day", {"date": "2027-10-01", "kind": "holiday"}),
        ("workdays:mark_covered", {"year": 2027}),
        ("workdays:load", {"year": 2026}),
    ]:
        assert client.post(reverse(name), data).status_code == 403
    assert not CalendarDay.objects.exists()
    assert not CoveredYear.objects.exists()


def test_the_board_links_the_office_to_the_calendar(client, office, personas):
    assert PAGE in client.get(reverse("board:mine")).content.decode()
    client.force_login(personas["own_liaison"])
    assert PAGE not in client.get(reverse("board:mine")).content.decode()


def test_the_page_costs_the_same_queries_for_few_and_many_days(client, office, count_queries):
    url = f"{PAGE}?year=2026"
    client.get(url)
    services.save_day(office, date(2026, 3, 2), is_workday=False, name="一天")
    few = count_queries(lambda: client.get(url))
    services.load_statutory_calendar(office, [2026])
    many = count_queries(lambda: client.get(url))
    assert few == many
