"""The indicators dashboard in a real browser: the plan office reads the primary and junior tables, checks the
charts decoded, turns the year's shortfalls into rectification items from the 问题清单, and finds them in the ledger.

The county is tests/indicators' hand-computed one (10 schools, 2025), stored as the app stores it after an import
(``store_year``), so the figures checked here are the ones tests/indicators/test_dashboard.py and
test_rectification.py work out: primary 4/7 schools pass, junior 4/5; 8 schools fall short. The charts are
checked as the browser sees them: each SVG <img> must have decoded (naturalWidth > 0).

The primary dashboard is photographed for the README (docs/screenshots/) with ``UPDATE_SCREENSHOTS=1``.
"""

import os
import re
import shutil
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from indicators.services.store import store_year
from tests.indicators import conftest as indicator_fixtures
from tests.indicators.conftest import YEAR
from tests.indicators.test_rectification import EXPECTED
from workflows.models import DutyItem

SCREENSHOTS_DIR = settings.BASE_DIR / "docs" / "screenshots"
PRIMARY_SCHOOLS = ["小学一", "小学二", "小学三", "小学四", "九年一贯制", "教学点", "特殊教育学校"]
JUNIOR_SCHOOLS = ["九年一贯制", "初中一", "初中二", "初中三", "特殊教育学校"]
CHART_COUNT = 8  # the coefficients' trend, then one chart per resource indicator

# tests/indicators' hand-computed county, made visible to this package (a conftest's fixtures reach only the
# tests below its own folder).
township = indicator_fixtures.township
county = indicator_fixtures.county


@pytest.fixture
def stored(county):
    """The county's 2025 values computed and stored, as an import's confirmation does."""
    store_year(YEAR)
    return county


def school_names(page):
    return page.locator("#schools tbody tr td:first-child")


def wait_for_charts(page):
    """Scroll every chart into view (most are loading="lazy") and wait until the browser has decoded each one."""
    charts = page.locator("#charts img")
    expect(charts).to_have_count(CHART_COUNT)
    for index in range(CHART_COUNT):
        charts.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('#charts img')].every(img => img.complete)", timeout=60_000
    )
    return page.evaluate(
        "() => [...document.querySelectorAll('#charts img')].map(img => "
        "({src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight}))"
    )


def test_the_plan_office_reads_the_dashboard_and_raises_the_shortfalls(
    stored, personas, log_in, live_server, results_dir
):
    office = log_in(personas["plan_office"])

    # 1. From the nav to the dashboard: the latest year, primary schools.
    office.locator(".site-nav").get_by_role("link", name="指标看板").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("义务教育优质均衡指标看板")
    expect(office.locator("#schools h2")).to_have_text(f"{YEAR}年小学资源配置指标")
    expect(school_names(office)).to_have_count(len(PRIMARY_SCHOOLS))
    assert sorted(school_names(office).all_inner_texts()) == sorted(PRIMARY_SCHOOLS)
    expect(office.locator("#passing strong")).to_have_text("4/7")
    row = office.locator("#schools tbody tr").filter(has=office.get_by_role("link", name="小学二", exact=True))
    expect(row).to_contain_text("2.25 未达标")
    expect(row.locator("td").last).to_have_text("达标")
    expect(office.locator("#cv-row")).to_contain_text("0.352 达标")

    primary_png = results_dir / "indicators-dashboard.png"
    primary_charts = wait_for_charts(office)
    assert all(chart["width"] > 0 for chart in primary_charts), primary_charts
    office.evaluate("() => window.scrollTo(0, 0)")
    # The first screen (table, marks, CV row), copied to the README at the end if the whole story passed.
    office.screenshot(path=primary_png, clip={"x": 0, "y": 0, "width": 1280, "height": 1500}, full_page=True)

    # 2. The junior stage: 5 schools, 4 pass (初中一 does not); the coefficient row against 0.45.
    office.get_by_label("学段").select_option(label="初中")
    office.get_by_role("button", name="查看").click()
    expect(office).to_have_url(re.compile(r"stage=junior"))
    expect(office.locator("#schools h2")).to_have_text(f"{YEAR}年初中资源配置指标")
    expect(school_names(office)).to_have_count(len(JUNIOR_SCHOOLS))
    assert sorted(school_names(office).all_inner_texts()) == sorted(JUNIOR_SCHOOLS)
    expect(office.locator("#passing strong")).to_have_text("4/5")
    failing = office.locator("#schools tbody tr").filter(has=office.get_by_role("link", name="初中一", exact=True))
    expect(failing.locator("td").last).to_have_text("未达标")
    cv_row = office.locator("#cv-row")
    expect(cv_row).to_be_visible()
    expect(cv_row).to_contain_text("标准 ≤ 0.45")
    expect(cv_row).to_contain_text("0.225 达标")

    # 3. Every chart is an SVG the browser actually decoded, drawn for the junior stage.
    charts = wait_for_charts(office)
    assert "cv-trend" in charts[0]["src"], charts
    assert all("stage=junior" in chart["src"] for chart in charts), charts
    assert all(chart["width"] > 0 and chart["height"] > 0 for chart in charts), charts

    # 4. To the 问题清单: 8 schools, 30 problems; a deadline 60 days on, confirmed.
    office.locator("#rectification-links").get_by_role("link", name=re.compile("问题清单")).click()
    expect(office.get_by_role("heading", level=1)).to_have_text(f"问题清单 · {YEAR}年")
    expect(office.locator("#shortfall-preview h2")).to_contain_text("将为 8 所学校生成整改任务，共 30 个问题")
    deadline = timezone.localdate() + timedelta(days=60)
    office.locator("#raise").get_by_label("整改期限").fill(deadline.isoformat())
    office.get_by_role("button", name="确认生成（8 项整改任务）").click()

    # 5. The ledger: one open row per school that falls short, owned by 县教委 (no school has a liaison).
    expect(office).to_have_url(re.compile(rf"/ledger/\?year={YEAR}$"))
    expect(office.get_by_role("heading", level=1)).to_have_text("问题台账")
    expect(office.locator(".messages")).to_contain_text(f"已为 {len(EXPECTED)} 所学校生成整改任务。")
    rows = office.locator("table tbody tr")
    expect(rows).to_have_count(len(EXPECTED))
    expect(rows.locator("td:nth-child(2)")).to_have_text(sorted(EXPECTED))
    expect(rows.locator("td:nth-child(3)")).to_have_text(["县教委"] * len(EXPECTED))
    expect(rows.locator("td:nth-child(5)")).to_have_text(
        [f"{deadline.year}年{deadline.month}月{deadline.day}日"] * len(EXPECTED)
    )
    expect(rows.locator("td:nth-child(6)")).to_have_text(["待签收"] * len(EXPECTED))
    school_row = rows.filter(has=office.locator("td:nth-child(2)", has_text=re.compile("^小学二$")))
    expect(school_row.locator("td:nth-child(4)")).to_have_text("；".join(EXPECTED["小学二"]))

    # 6. One item's page, from the ledger.
    item = DutyItem.objects.get(kind=DutyItem.Kind.RECTIFICATION, title__contains="小学二")
    school_row.get_by_role("link", name=f"#{item.pk}").click()
    expect(office).to_have_url(f"{live_server.url}{item.get_absolute_url()}")
    expect(office.get_by_role("heading", level=1)).to_have_text(f"整改：小学二{YEAR}年度办学条件问题")
    expect(office.locator("#summary")).to_contain_text(EXPECTED["小学二"][0])

    if os.environ.get("UPDATE_SCREENSHOTS"):  # `UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(primary_png, SCREENSHOTS_DIR / "indicators-dashboard.png")
