"""The board: each unit sees its own items with their traffic lights, the office sees every unit, the inspectors
their queue; the office's bulk actions go through the services; every list costs the same number of queries
whatever its length. Dates are Asia/Shanghai dates."""

from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import openpyxl
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from departments.models import Membership
from workflows import services
from workflows.models import DutyItem, ItemEvent

from ..conftest import year_period
from .board_fixtures import make_item, make_items

pytestmark = pytest.mark.django_db

MINE, MATRIX, INSPECTION, EXPORT, BULK = "board:mine", "board:matrix", "board:inspection", "board:export", "board:bulk"
ROLES = ["government_office", "inspector", "plan_office", "assessment_reader", "administrator"]
LIAISONS = ["own_liaison", "cooperating_liaison", "stranger_liaison", "no_unit"]


@pytest.fixture
def cycle(plan, personas):
    return services.open_cycle(personas["government_office"], plan, year=2026)


@pytest.fixture
def own_items(personas, units):
    """Three ad-hoc items of the own unit, assigned by the office: waiting to be signed for (待签收)."""
    deadline = timezone.localdate() + timedelta(days=10)
    return [
        services.create_ad_hoc_item(personas["government_office"], unit=units["own"], title=title, deadline=deadline)
        for title in ["整治校园周边环境", "开展环保进校园", "创建绿色学校"]
    ]


def listed(response):
    """Every item the list holds, on every page."""
    return set(response.context["page_obj"].paginator.object_list.values_list("pk", flat=True))


def get(client, user, name=MINE, **params):
    client.force_login(user)
    return client.get(reverse(name), params)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# --- who sees what ------------------------------------------------------------------------------------------------


def visible_to(unit):
    return set(DutyItem.objects.filter(Q(unit=unit) | Q(cooperating_units=unit)).values_list("pk", flat=True))


def test_a_liaison_sees_the_items_their_unit_owns_or_cooperates_on_and_no_other(client, personas, units, cycle):
    own, cooperating, stranger = units["own"], units["cooperating"], units["stranger"]
    owned_by_own = set(DutyItem.objects.filter(unit=own).values_list("pk", flat=True))
    assert owned_by_own
    assert DutyItem.objects.filter(unit=own, cooperating_units=cooperating).exists()

    assert listed(get(client, personas["own_liaison"])) == visible_to(own)
    cooperating_sees = listed(get(client, personas["cooperating_liaison"]))
    assert cooperating_sees == visible_to(cooperating)
    assert owned_by_own & cooperating_sees  # as a cooperating unit
    stranger_sees = listed(get(client, personas["stranger_liaison"]))
    assert stranger_sees == visible_to(stranger)
    assert not owned_by_own & stranger_sees
    assert not set(DutyItem.objects.filter(unit=stranger).values_list("pk", flat=True)) & listed(
        get(client, personas["own_liaison"])
    )
    assert listed(get(client, personas["no_unit"])) == set()


def test_the_office_roles_see_every_item(client, personas, cycle):
    for role in ROLES:
        assert listed(get(client, personas[role])) == set(DutyItem.objects.values_list("pk", flat=True))


def test_filtering_on_another_units_items_still_shows_nothing(client, personas, units, cycle):
    liaison = personas["own_liaison"]
    stranger = units["stranger"]
    response = get(client, liaison, unit=stranger.pk)
    assert listed(response) == set()
    assert "筛选条件有误" in response.content.decode()
    for params in [{"q": stranger.name}, {"q": "县税务局"}, {"unit": 999999}, {"template": 999999}]:
        assert not listed(get(client, liaison, **params)) & set(
            DutyItem.objects.filter(unit=stranger).values_list("pk", flat=True)
        )
    # The office does see that unit's items through the same filter.
    office = get(client, personas["government_office"], unit=stranger.pk)
    assert listed(office) == set(DutyItem.objects.filter(unit=stranger).values_list("pk", flat=True))


# Who gets which page, anonymous users included, is asked of every persona in tests/project/test_permission_table.py.


# --- traffic lights, order, filters, counts -----------------------------------------------------------------------


def lights_of(response):
    return {item.pk: item.light for item in response.context["page_obj"]}


def test_lights_follow_the_deadline_and_the_stage(client, personas, units, settings):
    settings.TASKBOARD_WARNING_DAYS = 7
    own = units["own"]
    red = make_item(own, days=-1)
    due_today = make_item(own, days=0)
    in_a_week = make_item(own, days=7)
    green = make_item(own, days=8)
    closed = make_item(own, days=-30, stage=DutyItem.Stage.CLOSED)
    withdrawn = make_item(own, days=3, stage=DutyItem.Stage.WITHDRAWN)
    inspecting_late = make_item(own, days=-2, stage=DutyItem.Stage.INSPECTING)

    response = get(client, personas["own_liaison"])
    assert lights_of(response) == {
        red.pk: "red",
        inspecting_late.pk: "red",
        due_today.pk: "yellow",
        in_a_week.pk: "yellow",
        green.pk: "green",
        closed.pk: "grey",
        withdrawn.pk: "grey",
    }
    page = response.content.decode()
    for label in ["正常", "临期", "逾期", "已结束"]:
        assert label in page


def test_the_warning_window_is_a_setting(client, personas, units, settings):
    settings.TASKBOARD_WARNING_DAYS = 14
    item = make_item(units["own"], days=10)
    assert lights_of(get(client, personas["own_liaison"])) == {item.pk: "yellow"}


def test_lights_and_dates_are_those_of_shanghai_not_utc(client, personas, units):
    # 2026-11-28 16:30 UTC is already 2026-11-29 00:30 in Shanghai.
    with time_machine.travel(datetime(2026, 11, 28, 16, 30, tzinfo=UTC), tick=False):
        assert timezone.localdate() == date(2026, 11, 29)
        item = make_item(units["own"], days=-1)
        assert item.deadline == date(2026, 11, 28)  # "today" by the UTC calendar, yesterday in Fengjie
        response = get(client, personas["own_liaison"])
        assert lights_of(response) == {item.pk: "red"}
        assert "2026年11月28日" in response.content.decode()


def test_red_comes_first_then_yellow_green_grey_then_the_deadline(client, personas, units):
    own = units["own"]
    grey = make_item(own, days=-9, stage=DutyItem.Stage.CLOSED)
    green_late, green_early = make_item(own, days=30), make_item(own, days=20)
    yellow = make_item(own, days=2)
    red_late, red_early = make_item(own, days=-1), make_item(own, days=-5)
    order = [item.pk for item in get(client, personas["own_liaison"]).context["page_obj"]]
    assert order == [red_early.pk, red_late.pk, yellow.pk, green_early.pk, green_late.pk, grey.pk]


def test_the_list_is_paginated_by_25(client, personas, units):
    for n in range(30):
        make_item(units["own"], days=n)
    first = get(client, personas["own_liaison"])
    assert len(first.context["page_obj"]) == 25
    assert first.context["page_obj"].paginator.count == 30
    second = get(client, personas["own_liaison"], page=2)
    assert len(second.context["page_obj"]) == 5


def test_each_filter(client, personas, units, plan, cycle):
    liaison = personas["own_liaison"]
    own, cooperating = units["own"], units["cooperating"]
    mine = DutyItem.objects.filter(Q(unit=own) | Q(cooperating_units=own)).distinct()
    other_period = year_period(plan, 2027)
    later = make_item(own, days=40, period=other_period, title="下一年度的任务")
    closed = make_item(own, days=-3, stage=DutyItem.Stage.CLOSED, title="已办结的任务")
    overdue = make_item(own, days=-3, title="已逾期的任务")
    helped = make_item(cooperating, days=60, cooperating=[own], title="我们配合的任务")
    ids = lambda qs: set(qs.values_list("pk", flat=True))  # noqa: E731

    assert listed(get(client, liaison, period=cycle.period.pk)) == ids(mine.filter(period=cycle.period))
    assert listed(get(client, liaison, period=other_period.pk)) == {later.pk}
    # Every other filter over every period ("全部"): without one, the board shows the period in progress.
    assert listed(get(client, liaison, period="", stage="closed")) == {closed.pk}
    assert listed(get(client, liaison, period="", light="red")) == {overdue.pk}
    assert listed(get(client, liaison, period="", light="grey")) == {closed.pk}
    template = DutyItem.objects.filter(unit=own, period=cycle.period).first().template
    assert listed(get(client, liaison, period="", template=template.pk)) == ids(mine.filter(template=template))
    assert listed(get(client, liaison, period="", unit=own.pk)) == ids(mine.filter(unit=own))
    assert listed(get(client, liaison, period="", cooperating="on")) == {helped.pk}
    assert listed(get(client, liaison, period="", unit=cooperating.pk)) == {helped.pk}
    # Text search: an item's title, its clause's text, its owner unit's name.
    assert listed(get(client, liaison, period="", q="下一年度")) == {later.pk}
    words = template.text[5:15]
    found = listed(get(client, liaison, period="", q=words))
    assert template.pk in set(DutyItem.objects.filter(pk__in=found).values_list("template", flat=True))
    assert listed(get(client, liaison, period="", q=cooperating.name)) == {helped.pk}
    # Filters combine.
    assert listed(get(client, liaison, period="", unit=own.pk, light="red", stage="reporting")) == {overdue.pk}


def test_light_counts_follow_the_other_filters_but_not_the_light_filter(client, personas, units):
    own = units["own"]
    for days in (-2, -1, 1, 20, 21, 22):
        make_item(own, days=days, title="甲类")
    make_item(own, days=-1, stage=DutyItem.Stage.CLOSED, title="甲类")
    make_item(own, days=-1, title="乙类")
    expected = {"red": 2, "yellow": 1, "green": 3, "grey": 1}
    for params in [{"q": "甲类"}, {"q": "甲类", "light": "red"}, {"q": "甲类", "light": "grey"}]:
        response = get(client, personas["own_liaison"], **params)
        assert {light["key"]: light["count"] for light in response.context["lights"]} == expected
        assert [light["key"] for light in response.context["lights"]] == ["red", "yellow", "green", "grey"]
    assert 'data-light="red">2<' in response.content.decode()
    assert len(response.context["page_obj"]) == 1  # the list itself is filtered by the light


# --- the office's matrix ------------------------------------------------------------------------------------------


def test_matrix_counts_each_units_items_per_stage_and_the_overdue(client, personas, units, plan, cycle):
    own, stranger = units["own"], units["stranger"]
    period = cycle.period
    own_count = DutyItem.objects.filter(unit=own, period=period).count()
    make_item(own, days=-2, period=period, stage=DutyItem.Stage.INSPECTING)
    make_item(own, days=-2, period=period, stage=DutyItem.Stage.CLOSED)
    make_item(own, days=-2, period=period)
    make_item(stranger, days=-9)  # no period: not in the matrix

    response = get(client, personas["government_office"], MATRIX)
    assert response.context["period"] == period  # the latest, by default
    rows = {row["unit_id"]: row for row in response.context["table"]}
    assert rows[own.pk]["counts"] == {
        "assigning": 0,
        "signing": own_count,  # a cycle's items wait to be signed for
        "handed_back": 0,
        "reporting": 1,
        "inspecting": 1,
        "closed": 1,
        "withdrawn": 0,
    }
    assert rows[own.pk]["overdue"] == 2
    assert rows[own.pk]["total"] == own_count + 3
    assert response.context["totals"]["total"] == DutyItem.objects.filter(period=period).count()
    page = response.content.decode()
    link = f"{reverse(MINE)}?unit={own.pk}&amp;stage=inspecting&amp;period={period.pk}"
    assert link in page
    # The link leads to exactly those items.
    followed = get(client, personas["government_office"], unit=own.pk, stage="inspecting", period=period.pk)
    assert len(listed(followed)) == 1
    overdue = get(client, personas["government_office"], unit=own.pk, light="red", period=period.pk)
    assert len(listed(overdue)) == 2


def test_matrix_shows_a_chosen_period_and_refuses_an_unknown_one(client, personas, units, plan, cycle):
    earlier = year_period(plan, 2025)
    make_item(units["stranger"], period=earlier)
    response = get(client, personas["assessment_reader"], MATRIX, period=earlier.pk)
    assert [row["unit_id"] for row in response.context["table"]] == [units["stranger"].pk]
    unknown = get(client, personas["assessment_reader"], MATRIX, period=999999)
    assert unknown.status_code == 200
    assert unknown.context["table"] == []
    assert "没有这个周期" in unknown.content.decode()


def test_matrix_without_any_period(client, personas):
    response = get(client, personas["government_office"], MATRIX)
    assert response.status_code == 200
    assert "还没有开启任何周期" in response.content.decode()


# --- the inspection queue -----------------------------------------------------------------------------------------


def test_inspection_queue_holds_submitted_items_oldest_first(client, personas, own_items):
    liaison = personas["own_liaison"]
    first, second, _still_in_progress = own_items
    with time_machine.travel(timezone.now() - timedelta(days=2)):
        services.submit_report(liaison, second, text="已完成")
    services.submit_report(liaison, first, text="已完成")
    response = get(client, personas["inspector"], INSPECTION)
    assert [item.pk for item in response.context["page_obj"]] == [second.pk, first.pk]
    assert first.get_absolute_url() in response.content.decode()


# --- bulk actions -------------------------------------------------------------------------------------------------


def post_bulk(client, user, **data):
    client.force_login(user)
    return client.post(reverse(BULK), data)


def test_the_office_extends_deadlines_with_one_reason(client, personas, own_items):
    new = timezone.localdate() + timedelta(days=30)
    response = post_bulk(
        client,
        personas["government_office"],
        action="extend",
        items=[item.pk for item in own_items],
        new_deadline=new.isoformat(),
        reason="县政府统一安排延期",
        querystring="stage=reporting&page=1",
    )
    assert response.status_code == 302
    assert response.url == f"{reverse(MINE)}?stage=reporting&page=1"
    assert {item.deadline for item in DutyItem.objects.filter(pk__in=[i.pk for i in own_items])} == {new}
    events = ItemEvent.objects.filter(kind=ItemEvent.Kind.DEADLINE_CHANGED, item__in=own_items)
    assert events.count() == 3
    assert {e.text for e in events} == {"县政府统一安排延期"}
    assert any("3 项任务" in m for m in messages_of(response))


def test_the_office_reassigns_to_a_liaison_of_the_unit(client, personas, units, own_items, make_user):
    colleague = make_user("colleague", unit=units["own"], first_name="小王")
    refused = post_bulk(
        client, personas["plan_office"], action="reassign", items=[i.pk for i in own_items], assignee=colleague.pk
    )
    assert refused.status_code == 403  # the plan office opens cycles; it does not run the office's bulk tools
    response = post_bulk(
        client, personas["government_office"], action="reassign", items=[i.pk for i in own_items], assignee=colleague.pk
    )
    assert response.status_code == 302
    assert set(DutyItem.objects.filter(pk__in=[i.pk for i in own_items]).values_list("assignee", flat=True)) == {
        colleague.pk
    }
    assert any("3 项任务改由小王办理" in m for m in messages_of(response))


@pytest.mark.parametrize(
    ("ticked", "fields", "message"),
    [
        (False, {"action": "extend", "days": 30, "reason": "统一延期"}, "请至少选择一项任务"),
        (True, {"action": "extend", "days": 30, "reason": "  "}, "须说明理由"),
        (True, {"action": "extend", "days": -1, "reason": "统一延期"}, "不能早于今天"),
        (True, {"action": "extend", "reason": "统一延期"}, "请填写新的截止日期"),
        (True, {"action": "reassign", "assignee": "stranger_liaison"}, "不是以下单位的联络员"),
        (True, {"action": "reassign"}, "请选择新的经办人"),
    ],
)
def test_bulk_errors_are_shown_and_nothing_is_lost(client, personas, own_items, ticked, fields, message):
    data = {"action": fields["action"], "reason": fields.get("reason", ""), "querystring": "stage=signing"}
    if ticked:
        data["items"] = [item.pk for item in own_items[:2]]
    if "days" in fields:
        data["new_deadline"] = (timezone.localdate() + timedelta(days=fields["days"])).isoformat()
    if "assignee" in fields:
        data["assignee"] = personas[fields["assignee"]].pk
    before = {item.pk: (item.deadline, item.assignee_id) for item in own_items}

    response = post_bulk(client, personas["government_office"], **data)

    assert response.status_code == 200
    assert any(message in m for m in messages_of(response)), messages_of(response)
    page = response.content.decode()
    for item in own_items[:2] if ticked else []:  # the ticks are kept ...
        assert f'value="{item.pk}" aria-label="选择 {item.title}" checked' in page
    assert f'value="{own_items[2].pk}" aria-label="选择 {own_items[2].title}">' in page
    if data["reason"].strip():  # ... and so is what was typed
        assert f'value="{data["reason"]}"' in page
    assert response.context["filter_params"]["stage"] == "signing"  # the same list, filtered as before
    assert {i.pk: (i.deadline, i.assignee_id) for i in DutyItem.objects.filter(pk__in=before)} == before


def test_closed_items_cannot_be_extended(client, personas, units):
    closed = make_item(units["own"], stage=DutyItem.Stage.CLOSED)
    response = post_bulk(
        client,
        personas["government_office"],
        action="extend",
        items=[closed.pk],
        new_deadline=(timezone.localdate() + timedelta(days=5)).isoformat(),
        reason="延期",
    )
    assert response.status_code == 200
    assert any("已结束" in m for m in messages_of(response))


@pytest.mark.parametrize("persona", [*LIAISONS, "inspector", "assessment_reader", "administrator"])
def test_bulk_actions_are_refused_to_everyone_but_the_office(client, personas, own_items, persona):
    data = {
        "action": "extend",
        "items": [item.pk for item in own_items],
        "new_deadline": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "reason": "延期",
    }
    assert post_bulk(client, personas[persona], **data).status_code == 403
    assert "bulk-form" not in get(client, personas[persona]).content.decode()
    assert not ItemEvent.objects.filter(kind=ItemEvent.Kind.DEADLINE_CHANGED).exists()


def test_the_office_gets_checkboxes_only_for_open_items(client, personas, units):
    open_item, closed = make_item(units["own"]), make_item(units["own"], stage=DutyItem.Stage.CLOSED)
    page = get(client, personas["government_office"]).content.decode()
    assert "bulk-form" in page
    assert f'name="items" value="{open_item.pk}"' in page
    assert f'name="items" value="{closed.pk}"' not in page


def test_only_liaisons_are_offered_as_assignees(client, personas, units, make_user):
    make_user("leader", unit=units["own"], role=Membership.Role.LEADER)
    form = get(client, personas["government_office"]).context["bulk_form"]
    offered = set(form.fields["assignee"].queryset.values_list("username", flat=True))
    assert offered == {"own", "cooperating", "stranger"}


# --- export -------------------------------------------------------------------------------------------------------


def read_back(response):
    return openpyxl.load_workbook(BytesIO(response.content))


def test_export_holds_the_filtered_list_on_every_page(client, personas, units):
    own = units["own"]
    for n in range(30):
        make_item(own, days=n - 3, title=f"任务{n}", cooperating=[units["cooperating"]])
    make_item(own, days=5, stage=DutyItem.Stage.CLOSED)
    with time_machine.travel(datetime(2026, 11, 28, 16, 30, tzinfo=UTC)):  # 29 November in Shanghai
        response = get(client, personas["own_liaison"], EXPORT, stage="reporting")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E4%BB%BB%E5%8A%A1%E6%B8%85%E5%8D%95-20261129.xlsx" in disposition  # 任务清单-20261129

    sheet = read_back(response).active
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["编号", "信号灯", "任务"]
    assert "截止日期" in headers
    assert "承办单位" in headers
    assert sheet.max_row - 1 == 30  # every page, and only what the filter keeps
    assert sheet.freeze_panes == "A2"
    deadline = sheet.cell(row=2, column=headers.index("截止日期") + 1)
    assert deadline.is_date
    first = DutyItem.objects.get(pk=sheet.cell(row=2, column=1).value)
    assert deadline.value.date() == first.deadline
    assert sheet.cell(row=2, column=headers.index("配合单位") + 1).value == str(units["cooperating"])
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width


def test_export_follows_the_same_rules_as_the_list(client, personas, units):
    make_item(units["own"], title="本单位任务")
    make_item(units["stranger"], title="其他单位任务")
    liaison_rows = list(
        read_back(get(client, personas["own_liaison"], EXPORT)).active.iter_rows(min_row=2, values_only=True)
    )
    assert [row[2] for row in liaison_rows] == ["本单位任务"]
    office_rows = list(
        read_back(get(client, personas["government_office"], EXPORT)).active.iter_rows(min_row=2, values_only=True)
    )
    assert len(office_rows) == 2
    refused = get(client, personas["own_liaison"], EXPORT, unit=units["stranger"].pk)
    assert refused.status_code == 302
    assert refused.url.startswith(reverse(MINE))


def test_export_writes_text_as_text_never_as_a_formula(client, personas, units):
    make_item(units["own"], title='=HYPERLINK("http://example.com","点我")')
    cell = read_back(get(client, personas["own_liaison"], EXPORT)).active.cell(row=2, column=3)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


# --- a constant number of queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("own_liaison", MINE),
        ("government_office", MINE),
        ("government_office", MATRIX),
        ("inspector", INSPECTION),
        ("own_liaison", EXPORT),
        ("government_office", EXPORT),
    ],
)
def test_every_list_costs_the_same_queries_for_10_and_500_items(
    client, personas, units, plan, count_queries, persona, name
):
    period = year_period(plan, 2026)
    owners = [units["own"], units["cooperating"]]
    spread = {"period": period, "assignee": personas["own_liaison"], "cooperating": [units["stranger"]]}
    make_items(10, owners, **spread)
    client.force_login(personas[persona])
    url = reverse(name)

    def fetch():
        assert client.get(url).status_code == 200

    fetch()  # warm the caches (content types, sessions) once
    at_10 = count_queries(fetch)
    make_items(490, owners, **spread)
    at_500 = count_queries(fetch)
    print(f"{name} as {persona}: {at_10} queries at 10 items, {at_500} at 500")
    assert at_10 == at_500
