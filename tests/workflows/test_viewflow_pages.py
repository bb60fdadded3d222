"""viewflow's pages (/workflow/) for the roles that see them: no action button a viewer cannot use, every card and
list row names the item (title, unit, period, deadline), and the process panel shows one status — the item's.

Liaisons never get in (403 on every viewflow page: tests/project/test_permission_table.py); here they are checked
on the pages under test too.
"""

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from workflows import services
from workflows.models import DutyItem

pytestmark = pytest.mark.django_db

TITLE = "校园周边环境整治"
DEADLINE = "截止 2030年1月1日"


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def item(office, units):
    return services.create_ad_hoc_item(office, unit=units["own"], title=TITLE, deadline=date(2030, 1, 1))


@pytest.fixture
def plan_item(office, plan, units):
    services.open_cycle(office, plan, year=2026)
    return DutyItem.objects.filter(unit=units["own"], period__year=2026).select_related("period").first()


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def detail_url(item):
    return reverse("duty:process_detail", kwargs={"process_pk": item.pk})


def cancel_url(item):
    return reverse("duty:process_cancel", kwargs={"process_pk": item.pk})


def panel(html):
    """The process panel (viewflow's process_data), after the task table."""
    return html.split('class="vf-list__table"', 1)[1]


def test_the_office_sees_no_cancel_button_it_could_not_use(client, office, item):
    html = page(client, office, detail_url(item))
    assert cancel_url(item) not in html
    assert client.get(cancel_url(item)).status_code == 403  # what the button led to


def test_whoever_may_cancel_sees_the_button(client, item):
    """The companion: the check the cancel view enforces (the flow's manage permission) shows the button."""
    admin = get_user_model().objects.create_superuser("root", password="pw-for-tests")
    html = page(client, admin, detail_url(item))
    assert cancel_url(item) in html
    assert client.get(cancel_url(item)).status_code == 200


@pytest.mark.parametrize("persona", ["own_liaison", "cooperating_liaison", "stranger_liaison"])
def test_liaisons_get_no_process_page_and_no_button(client, personas, item, persona):
    client.force_login(personas[persona])
    response = client.get(detail_url(item))
    assert response.status_code == 403
    assert cancel_url(item) not in response.content.decode()


def test_the_process_page_names_the_item_and_each_step(client, office, plan_item):
    html = page(client, office, detail_url(plan_item))
    heading = html.split('<h1 class="vf-card__title">', 1)[1].split("</h1>", 1)[0]
    assert plan_item.title in heading
    assert str(plan_item.unit) in heading
    assert "2026年度" in heading
    assert "截止 2026年12月31日" in heading
    assert ">签收<" in html  # the step awaiting the unit, by its title


def test_the_process_panel_shows_one_status_the_items(client, office, item):
    html = panel(page(client, office, detail_url(item)))
    status_rows = html.count('vf-list__table-header-text">状态</th>')
    assert status_rows == 1
    row = html.split('vf-list__table-header-text">状态</th>', 1)[1].split("</tr>", 1)[0]
    assert item.get_stage_display() in row
    assert "新建" not in row  # viewflow's own process status (NEW), which contradicted it


def test_lists_name_the_item(client, office, item):
    for name in ["duty:task_list", "duty:process_list", "duty:index"]:
        html = page(client, office, reverse(name))
        assert f"{TITLE} · {item.unit} · 临时任务 · {DEADLINE}" in html, name
        assert f"#{item.pk}/" in html or f">{item.pk}<" in html, name


def test_lists_name_a_plan_items_period(client, office, plan_item):
    items = DutyItem.objects.filter(period=plan_item.period).select_related("unit")
    for name in ["duty:task_list", "duty:process_list"]:
        html = page(client, office, reverse(name))
        named = [item for item in items if f"{item.title} · {item.unit} · 2026年度 · 截止 2026年12月31日" in html]
        assert named, name


def test_the_dashboards_cards_name_the_item(client, office, item):
    html = page(client, office, reverse("duty:index"))
    card = html.split(f"#{item.pk}/", 1)[1].split('class="mdc-card"', 1)[0]
    assert f"{TITLE} · {item.unit} · 临时任务 · {DEADLINE}" in card


def test_the_inspectors_queue_names_the_item(client, personas, item):
    services.submit_report(personas["own_liaison"], item, text="已整治")
    html = page(client, personas["inspector"], reverse("duty:queue"))
    assert f"{TITLE} · {item.unit} · 临时任务 · {DEADLINE}" in html


def add_items(office, units, count, prefix):
    for index in range(count):
        unit = units[("own", "cooperating", "stranger")[index % 3]]
        services.create_ad_hoc_item(office, unit=unit, title=f"{prefix}{index}", deadline=date(2030, 1, 1))


@pytest.mark.parametrize("name", ["duty:task_list", "duty:process_list", "duty:inbox", "duty:queue", "duty:archive"])
def test_the_lists_cost_the_same_queries_for_2_and_8_items(client, office, units, count_queries, name):
    url = reverse(name)
    client.force_login(office)
    add_items(office, units, 2, "任务")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add_items(office, units, 6, "更多任务")
    many = count_queries(lambda: client.get(url))
    assert few == many


def test_the_dashboards_summaries_cost_no_query_per_card(client, office, units, count_queries):
    """The item, unit, period and owner each card names come with the column, and whether the viewer may take a
    unit's task is asked of the access module (``flows.UnitStep``), not of guardian per card (viewflow's two
    queries per card, LIBRARY-NOTES §3)."""
    url = reverse("duty:index")
    client.force_login(office)
    add_items(office, units, 2, "任务")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    add_items(office, units, 6, "更多任务")
    many = count_queries(lambda: client.get(url))
    assert many == few


@pytest.mark.parametrize("name", ["duty:inbox", "duty:queue", "duty:archive", "duty:task_list", "duty:process_list"])
def test_list_columns_are_headed_in_chinese(client, office, item, name):
    """viewflow heads a column with its attribute's English name unless the view labels it (Brief, Active tasks)."""
    html = page(client, office, reverse(name))
    headers = re.findall(r"<th[^>]*>\s*(?:<[^>]+>\s*)*([^<]+?)\s*<", html)
    assert headers, name
    assert not [header for header in headers if re.search(r"[A-Za-z]{3,}", header)], (name, headers)
