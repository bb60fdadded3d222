"""Circular candidates and the items of a circular at scale: the overdue dashboard, the draft and the printed
circular name each unit's first few items and count the rest, which are listed page by page; drafting still names
every candidate of each ticked unit; each page costs the same queries for a handful of items and for many.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notices.models import Circular, Notice, Rung
from notices.reads import CANDIDATES_SHOWN, by_top_rung, top_rungs_of
from notices.views.circulars import CIRCULAR_ITEMS_SHOWN
from workflows.models import DutyItem

from ..board.board_fixtures import make_item
from .test_pages import make_period, rung_notice

pytestmark = pytest.mark.django_db

OFFICE = "government_office"


def today():
    return timezone.localdate()


@pytest.fixture
def period(plan):
    return make_period(plan, today().year)


@pytest.fixture
def escalation():
    return Rung.objects.get(name="逾期7天升级")


def add_candidates(unit, count, escalation, period, start=0):
    """``count`` items of ``unit`` 8 days overdue and more, each marked for a circular (the escalation rung)."""
    items = [
        make_item(unit, days=-8 - n, title=f"{unit.short_name or unit.name}候选{n:03d}", period=period)
        for n in range(start, start + count)
    ]
    Notice.objects.bulk_create(rung_notice(item, escalation) for item in items)
    return items


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


# --- the overdue dashboard ------------------------------------------------------------------------------------------


def test_the_dashboard_names_a_units_first_candidates_and_links_to_the_rest(
    client, personas, units, period, escalation
):
    items = add_candidates(units["own"], CANDIDATES_SHOWN + 5, escalation, period)
    add_candidates(units["cooperating"], 2, escalation, period)
    client.force_login(personas[OFFICE])
    response = page(client, reverse("notices:overdue"))
    groups = {group.unit: group for group in response.context["candidates"]}
    own = groups[units["own"]]
    assert own.count == CANDIDATES_SHOWN + 5
    assert own.more == 5
    oldest_first = sorted(items, key=lambda item: (item.deadline, item.pk))
    assert [item.pk for item in own.items] == [item.pk for item in oldest_first[:CANDIDATES_SHOWN]]
    assert groups[units["cooperating"]].count == 2
    assert groups[units["cooperating"]].more == 0
    assert response.context["candidate_count"] == CANDIDATES_SHOWN + 7
    html = response.content.decode()
    assert f"?candidates=1&amp;unit={units['own'].pk}#overdue-list" in html
    assert "另有 5 项" in html
    assert oldest_first[-1].title not in html.split('id="candidates"')[1].split("</section>")[0]


def test_the_list_narrows_to_a_units_candidates_page_by_page(client, personas, units, period, escalation):
    items = add_candidates(units["own"], 30, escalation, period)
    make_item(units["own"], days=-3, title="逾期未到通报级别", period=period)  # overdue, not a candidate
    add_candidates(units["cooperating"], 3, escalation, period)
    client.force_login(personas[OFFICE])
    first = page(client, reverse("notices:overdue"), candidates=1, unit=units["own"].pk)
    assert first.context["page_obj"].paginator.count == 30
    second = page(client, reverse("notices:overdue"), candidates=1, unit=units["own"].pk, page=2)
    listed = [item.pk for item in first.context["page_obj"]] + [item.pk for item in second.context["page_obj"]]
    assert sorted(listed) == sorted(item.pk for item in items)
    assert "（通报候选）" in first.content.decode()

    unit_only = page(client, reverse("notices:overdue"), unit=units["own"].pk)
    assert unit_only.context["page_obj"].paginator.count == 31  # every overdue item of the unit
    other_period = page(client, reverse("notices:overdue"), period=make_period(period.plan, 2020).pk)
    assert other_period.context["page_obj"].paginator.count == 0
    nonsense = page(client, reverse("notices:overdue"), unit="x", period="-1", candidates="yes")
    assert nonsense.context["page_obj"].paginator.count == 34  # bad filters are ignored


def test_the_pagers_count_without_filters_is_the_buckets_sum(client, personas, units, period, escalation):
    add_candidates(units["own"], 4, escalation, period)
    client.force_login(personas[OFFICE])
    response = page(client, reverse("notices:overdue"))
    assert response.context["page_obj"].paginator.count == sum(n for _k, _l, n in response.context["buckets"]) == 4
    bucket = page(client, reverse("notices:overdue"), bucket="8-14")
    assert bucket.context["page_obj"].paginator.count == 4


def test_the_highest_rung_is_read_along_the_ladder(units, period, escalation):
    """The page's rungs (one query for the page) and the table's counts (one aggregate) agree with the ladder."""
    due, repeat = Rung.objects.get(name="到期未完成"), Rung.objects.get(name="逾期催报")
    items = [make_item(units["own"], days=-20 - n, title=f"阶梯{n}", period=period) for n in range(3)]
    Notice.objects.bulk_create(
        [
            rung_notice(items[0], due),
            rung_notice(items[0], repeat, occurrence=1),
            rung_notice(items[0], repeat, occurrence=2),
            rung_notice(items[1], escalation),
            rung_notice(items[1], due),
        ]
    )
    assert top_rungs_of(item.pk for item in items) == {items[0].pk: "逾期催报", items[1].pk: "逾期7天升级"}
    overdue = DutyItem.objects.filter(pk__in=[item.pk for item in items])
    table = [(rung.name if rung else None, n) for rung, n in by_top_rung(overdue, total=3)]
    assert table == [("逾期7天升级", 1), ("逾期催报", 1), (None, 1)]


def test_no_items_give_an_empty_table_not_an_error():
    """A set Django knows is empty compiles to no SQL: the table is empty rather than a server error."""
    assert by_top_rung(DutyItem.objects.none(), total=0) == []
    assert by_top_rung(DutyItem.objects.filter(pk__in=[]), total=0) == []


@pytest.mark.parametrize(
    "params", [{}, {"candidates": "1", "unit": "own"}, {"bucket": "8-14"}, {"page": "2", "candidates": "1"}]
)
def test_the_dashboard_and_its_filters_cost_the_same_queries_for_few_and_many(
    client, personas, units, period, escalation, count_queries, params
):
    params = {key: units[value].pk if value == "own" else value for key, value in params.items()}
    add_candidates(units["own"], 3, escalation, period)
    add_candidates(units["cooperating"], 28, escalation, period)
    client.force_login(personas[OFFICE])

    def fetch():
        page(client, reverse("notices:overdue"), **params)

    fetch()
    few = count_queries(fetch)
    add_candidates(units["own"], 40, escalation, period, start=100)
    add_candidates(units["stranger"], 12, escalation, period)
    assert count_queries(fetch) == few


# --- drafting a circular ------------------------------------------------------------------------------------------


def test_the_draft_shows_each_units_first_candidates_and_names_them_all(client, personas, units, period, escalation):
    items = add_candidates(units["own"], CANDIDATES_SHOWN + 3, escalation, period)
    client.force_login(personas[OFFICE])
    response = page(client, reverse("notices:circular_create"), period=period.pk)
    group = response.context["form"].candidates[units["own"]]
    assert (group.count, len(group.items), group.more) == (CANDIDATES_SHOWN + 3, CANDIDATES_SHOWN, 3)
    html = response.content.decode()
    assert "另有 3 项" in html
    assert f"?candidates=1&amp;unit={units['own'].pk}&amp;period={period.pk}#overdue-list" in html

    posted = client.post(
        reverse("notices:circular_create"),
        {
            "period": period.pk,
            "title": "关于推进情况的通报",
            "rectification_deadline": (today() + timedelta(days=10)).isoformat(),
            "criticised": [units["own"].pk],
        },
    )
    assert posted.status_code == 302
    criticism = Circular.objects.get().criticisms.get()
    assert criticism.unit == units["own"]
    assert set(criticism.items.values_list("pk", flat=True)) == {item.pk for item in items}


def test_the_draft_page_costs_the_same_queries_for_few_and_many_candidates(
    client, personas, units, period, escalation, count_queries
):
    add_candidates(units["own"], 2, escalation, period)
    client.force_login(personas[OFFICE])
    url = reverse("notices:circular_create") + f"?period={period.pk}"
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add_candidates(units["own"], 30, escalation, period, start=100)
    add_candidates(units["cooperating"], 15, escalation, period)
    assert count_queries(lambda: client.get(url)) == few


# --- the printed circular -----------------------------------------------------------------------------------------


def draft_naming(client, units, period):
    response = client.post(
        reverse("notices:circular_create"),
        {
            "period": period.pk,
            "title": "关于推进情况的通报",
            "rectification_deadline": (today() + timedelta(days=10)).isoformat(),
            "criticised": [units["own"].pk, units["cooperating"].pk],
        },
    )
    assert response.status_code == 302
    return Circular.objects.get()


def test_the_circular_prints_a_units_first_items_and_lists_all_on_demand(client, personas, units, period, escalation):
    items = add_candidates(units["own"], CIRCULAR_ITEMS_SHOWN + 4, escalation, period)
    add_candidates(units["cooperating"], 2, escalation, period)
    client.force_login(personas[OFFICE])
    circular = draft_naming(client, units, period)

    html = page(client, circular.get_absolute_url()).content.decode()
    criticised = html.split('id="criticised"')[1].split("</section>")[0]
    oldest_first = sorted(items, key=lambda item: (item.deadline, item.pk))
    for item in oldest_first[:CIRCULAR_ITEMS_SHOWN]:
        assert item.title in criticised
    assert oldest_first[-1].title not in criticised
    assert "另有 4 项" in criticised
    assert f"?unit={units['own'].pk}#criticised" in criticised
    assert f"（{CIRCULAR_ITEMS_SHOWN + 4} 项）" in criticised

    expanded = page(client, circular.get_absolute_url(), unit=units["own"].pk)
    criticised = expanded.content.decode().split('id="criticised"')[1].split("</section>")[0]
    for item in items:
        assert item.title in criticised
    assert "另有" not in criticised.split(str(units["cooperating"]))[0]
    assert expanded.context["page_obj"].paginator.count == CIRCULAR_ITEMS_SHOWN + 4


def test_the_circular_costs_the_same_queries_for_few_and_many_items(
    client, personas, units, period, escalation, count_queries
):
    add_candidates(units["own"], 2, escalation, period)
    add_candidates(units["cooperating"], 1, escalation, period)
    client.force_login(personas[OFFICE])
    few_circular = draft_naming(client, units, period)
    few = count_queries(lambda: client.get(few_circular.get_absolute_url()))
    few_expanded = count_queries(lambda: client.get(few_circular.get_absolute_url(), {"unit": units["own"].pk}))
    Circular.objects.all().delete()
    add_candidates(units["own"], CIRCULAR_ITEMS_SHOWN + 10, escalation, period, start=100)
    many_circular = draft_naming(client, units, period)
    assert count_queries(lambda: client.get(many_circular.get_absolute_url())) == few
    expanded = count_queries(lambda: client.get(many_circular.get_absolute_url(), {"unit": units["own"].pk}))
    assert expanded == few_expanded
    assert DutyItem.objects.filter(criticisms__circular=many_circular).count() == CIRCULAR_ITEMS_SHOWN + 13
