"""The plan's progress after a simulated year, as the government office and the leadership group open it: from
the menu to the page, the year's row and the charts, on a phone (390 px) and a laptop (1366 px)."""

from datetime import date

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from departments.roles import CrossUnitRole
from simulation.engine import simulate
from workflows.models import DutyItem


@pytest.fixture
def simulated_year(plan, make_user, tmp_path):
    office = make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE, first_name="督查员", last_name="王")
    leader = make_user("leader", cross_role=CrossUnitRole.LEADERSHIP, first_name="组长", last_name="李")
    with override_settings(MEDIA_ROOT=str(tmp_path)):
        result = simulate(start=date(2022, 1, 1), end=date(2023, 1, 31), seed=9, schools=6, plan=plan)
    return office, leader, result


# PostgreSQL: on SQLite the live server's threads share one in-memory connection, and the page's charts, asked for
# side by side, deadlock it (a limit of the test server, not of the page: the quick start's SQLite file serves them).
@pytest.mark.postgres
@pytest.mark.parametrize("width", [390, 1366])
def test_the_office_and_the_leader_open_the_plans_progress_from_the_menu(simulated_year, log_in, width, results_dir):
    office, leader, _result = simulated_year
    due_in_2022 = DutyItem.objects.filter(deadline__year=2022).exclude(stage=DutyItem.Stage.WITHDRAWN).count()
    for person in (office, leader):
        page = log_in(person)
        page.set_viewport_size({"width": width, "height": 844})
        page.goto("/")
        toggle = page.locator("label.menu-toggle")
        if toggle.is_visible():
            toggle.click()
        page.locator(".site-nav").get_by_role("link", name="实施进度", exact=True).click()
        expect(page.locator("h1")).to_have_text("方案实施进度")
        row = page.locator("tr", has_text="2022年").first
        expect(row).to_contain_text(str(due_in_2022))
        expect(row).not_to_contain_text("暂无记录")
        charts = page.locator("#charts img")
        expect(charts).to_have_count(4 if person == office else 3)  # the average score is the office's to see
        for chart in charts.all():
            chart.scroll_into_view_if_needed()
            expect(chart).to_have_js_property("complete", True)
            assert chart.evaluate("node => node.naturalWidth") > 0, "a chart did not load"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=results_dir / f"progress-{person.username}-{width}.png", full_page=True)
