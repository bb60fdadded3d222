"""The countdown wherever a deadline shows outside the item page: the board's rows, its export (倒计时), the unit
page's open items. The working-day calendar is loaded once per page, so a list of items counted in working days
still costs the same queries whatever its length."""

from datetime import UTC, datetime
from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from workdays import services as calendar_services
from workflows.models import DutyItem

from ..conftest import year_period
from .board_fixtures import make_item, make_items

pytestmark = pytest.mark.django_db

# Tuesday 29 September 2026, 10:00 in Shanghai: the National Day holiday (1–7 October) ahead.
BEFORE_NATIONAL_DAY = datetime(2026, 9, 29, 2, tzinfo=UTC)


@pytest.fixture
def traveller():
    with time_machine.travel(BEFORE_NATIONAL_DAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def calendar(personas, traveller):
    calendar_services.load_statutory_calendar(personas["government_office"], [2026])


@pytest.fixture
def items(units, calendar):
    """Due Monday 12 October: 5 working days, or 13 calendar days; one overdue; one awaiting inspection."""
    own = units["own"]
    return {
        "working": make_item(own, days=13, title="五个工作日内报送", working_days=5),
        "calendar": make_item(own, days=13, title="按日历日报送"),
        "overdue": make_item(own, days=-2, title="已逾期任务"),
        "today": make_item(own, days=0, title="今天到期任务", working_days=3),
        "inspecting": make_item(own, days=13, title="待检查任务", stage=DutyItem.Stage.INSPECTING, working_days=5),
    }


EXPECTED = {
    "五个工作日内报送": "剩余 5 个工作日",
    "按日历日报送": "剩余 13 天",
    "已逾期任务": "逾期 2 天",
    "今天到期任务": "今天到期",
    "待检查任务": None,
}


def test_the_board_rows_show_the_countdown(client, personas, items):
    client.force_login(personas["own_liaison"])
    page = client.get(reverse("board:mine")).content.decode()
    assert '<span class="countdown countdown--later">剩余 5 个工作日</span>' in page
    assert '<span class="countdown countdown--later">剩余 13 天</span>' in page
    assert '<span class="countdown countdown--overdue">逾期 2 天</span>' in page
    assert '<span class="countdown countdown--today">今天到期</span>' in page
    assert page.count('class="countdown ') == 4  # none for the item awaiting inspection


def test_the_export_has_a_countdown_column(client, personas, items):
    client.force_login(personas["own_liaison"])
    response = client.get(reverse("board:export"))
    sheet = openpyxl.load_workbook(BytesIO(response.content)).active
    headers = [cell.value for cell in sheet[1]]
    assert headers.index("倒计时") == headers.index("截止日期") + 1
    rows = {row[2]: row[headers.index("倒计时")] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows == {title: label for title, label in EXPECTED.items()}


def test_the_unit_page_lists_its_open_items_with_their_countdown(client, personas, units, items):
    client.force_login(personas["own_liaison"])
    page = client.get(units["own"].get_absolute_url()).content.decode()
    assert "在办任务" in page
    for title in ["五个工作日内报送", "按日历日报送", "已逾期任务", "今天到期任务"]:
        assert title in page
    assert "待检查任务" not in page  # the unit has handed it in
    assert "剩余 5 个工作日" in page


@pytest.mark.parametrize(
    ("persona", "page"),
    [
        ("own_liaison", "board:mine"),
        ("government_office", "board:mine"),
        ("own_liaison", "board:export"),
        ("government_office", "board:export"),
        ("own_liaison", "unit_detail"),
    ],
)
def test_items_in_working_days_cost_the_same_queries_for_10_and_200(
    client, personas, units, plan, calendar, count_queries, persona, page
):
    period = year_period(plan, 2026)
    owners = [units["own"], units["cooperating"]]
    make_items(10, owners, period=period, assignee=personas["own_liaison"])
    DutyItem.objects.update(working_days=5)
    client.force_login(personas[persona])
    url = units["own"].get_absolute_url() if page == "unit_detail" else reverse(page)

    def fetch():
        assert client.get(url).status_code == 200

    fetch()
    at_10 = count_queries(fetch)
    make_items(190, owners, period=period, assignee=personas["own_liaison"])
    DutyItem.objects.update(working_days=5)
    at_200 = count_queries(fetch)
    assert at_10 == at_200
