"""The annual assessment in a real browser: the organisation department computes, reads and publishes the ranking;
a unit's liaison then finds its own score and explanation, and nothing more.

The year is tests/assessments' hand-computed one (5 units, 30 items, circulars; 2025, as of 31 Dec), so the
figures checked here are the ones worked out by hand in tests/assessments/test_scoring.py. The charts are
checked as the browser sees them: each SVG <img> must have decoded (naturalWidth > 0).

The ranking page and its on-time-rate chart are photographed for the README (docs/screenshots/).
"""

import os
import shutil

from django.conf import settings
from playwright.sync_api import expect

from assessments.models import AssessmentRun
from assessments.services import publish, start_run
from tests.assessments import conftest as assessment_fixtures
from tests.assessments.conftest import AS_OF, YEAR

SCREENSHOTS_DIR = settings.BASE_DIR / "docs" / "screenshots"
RANKING = ["县人力社保局", "县城管局", "县教委", "县生态环境局", "县财政局"]
ECOLOGY_LINE = "「事项21」逾期275天×0.2分，封顶5分（牵头，权重1）"

# tests/assessments' hand-computed year, made visible to this package: pytest looks fixtures up by name in the
# test module, and a conftest's fixtures reach only the tests below its own folder.
assessment_year = assessment_fixtures.assessment_year
fixture_units = assessment_fixtures.fixture_units


def ranking_names(page):
    return page.locator("#ranking tbody tr td:nth-child(2)")


def test_the_department_computes_reads_and_publishes_the_ranking(
    plan, assessment_year, personas, log_in, live_server, results_dir
):
    department = log_in(personas["assessment_reader"])

    # 1. From the nav to the form; compute 2025 as of 31 December.
    department.locator(".site-nav").get_by_role("link", name="年度考核").click()
    expect(department.get_by_role("heading", level=1)).to_have_text("年度考核")
    start = department.locator("#start-run")
    start.locator("#id_year").fill(str(YEAR))
    start.locator("#id_as_of").fill(AS_OF.isoformat())
    start.get_by_role("button", name="计算（生成或更新草稿）").click()

    run = AssessmentRun.objects.get(year=YEAR)
    run_url = f"{live_server.url}{run.get_absolute_url()}"
    expect(department).to_have_url(run_url)
    expect(department.locator(".messages")).to_contain_text("2025年度考核已计算（草稿）")
    expect(department.locator("#run-status")).to_have_text("草稿")
    expect(ranking_names(department)).to_have_text(RANKING)
    first = department.locator("#ranking tbody tr").first
    expect(first.locator("td").nth(2)).to_have_text("99.97")

    # 2. Only the units below 80.
    department.locator("#ranking #id_below").fill("80")
    department.get_by_role("button", name="筛选").click()
    expect(department.locator("#ranking tbody tr")).to_have_count(3)
    expect(ranking_names(department)).to_have_text(["县教委", "县生态环境局", "县财政局"])

    # 3. One unit's explanation, and back.
    department.locator("#ranking").get_by_role("link", name="县生态环境局").click()
    expect(department.get_by_role("heading", level=1)).to_contain_text("县生态环境局：2025年度考核得分说明")
    expect(department.locator("#unit-score")).to_have_text("71.40")
    expect(department.locator("#lines")).to_contain_text(ECOLOGY_LINE)
    department.get_by_role("link", name="← 返回").click()
    expect(department).to_have_url(run_url)
    expect(ranking_names(department)).to_have_count(5)

    # 4. Publish, through the confirm() dialog.
    department.once("dialog", lambda dialog: dialog.accept())
    department.locator("#publish").click()
    expect(department.locator(".messages")).to_contain_text("考核结果已发布")
    expect(department.locator("#run-status")).to_have_text("已发布")
    expect(department.locator("#publish")).to_have_count(0)
    run.refresh_from_db()
    assert run.status == AssessmentRun.Status.PUBLISHED

    # 5. The three charts are SVGs the browser actually decoded.
    department.reload()  # a clean page (no message) for the screenshots
    charts = department.locator("#charts img")
    expect(charts).to_have_count(3)
    department.wait_for_function(
        "() => [...document.querySelectorAll('#charts img')].every(img => img.complete)", timeout=60_000
    )
    loaded = department.evaluate(
        "() => [...document.querySelectorAll('#charts img')].map(img => "
        "({src: img.getAttribute('src'), width: img.naturalWidth, height: img.naturalHeight}))"
    )
    assert [chart["src"].rsplit("/", 1)[-1] for chart in loaded] == ["on-time.svg", "scores.svg", "overdue-trend.svg"]
    assert all(chart["width"] > 0 and chart["height"] > 0 for chart in loaded), loaded

    ranking_png = results_dir / "assessment-ranking.png"
    department.screenshot(path=ranking_png, full_page=True)
    chart_png = results_dir / "assessment-chart.png"
    department.locator("#charts figure").filter(has=department.locator('img[alt="各单位按时完成率"]')).screenshot(
        path=chart_png
    )
    if os.environ.get("UPDATE_SCREENSHOTS"):  # `UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ranking_png, SCREENSHOTS_DIR / "assessment-ranking.png")
        shutil.copyfile(chart_png, SCREENSHOTS_DIR / "assessment-chart.png")


def test_a_liaison_sees_its_own_published_score_but_not_the_ranking(
    plan, assessment_year, fixture_units, personas, make_user, log_in
):
    department = personas["assessment_reader"]
    run = publish(department, start_run(department, YEAR, AS_OF))
    liaison = log_in(make_user("ecology", unit=fixture_units["U4"]))

    liaison.goto("/")
    liaison.locator("#own-assessment-link").click()
    own = liaison.locator("#own-scores tbody tr")
    expect(own).to_have_count(1)
    expect(own).to_contain_text("县生态环境局")
    expect(own).to_contain_text("71.40")
    expect(own).to_contain_text("第4名")
    own.get_by_role("link", name="得分说明").click()
    expect(liaison.get_by_role("heading", level=1)).to_contain_text("县生态环境局：2025年度考核得分说明")
    expect(liaison.locator("#unit-score")).to_have_text("71.40")
    expect(liaison.locator("#lines")).to_contain_text(ECOLOGY_LINE)

    response = liaison.goto(run.get_absolute_url())
    assert response is not None
    assert response.status == 404
    expect(liaison.locator("body")).to_contain_text("未找到")
    expect(liaison.locator("body")).not_to_contain_text("县人力社保局")
