"""The board's 导出 in a real browser, one click: a short filtered list downloads at once; a long one (above
TASKBOARD_EXPORT_SYNC_ROWS) lands on the job's progress page, which follows the job as the worker writes it and
shows its state once, then its download. A double click starts one job. The live server sends the task to a broker
no worker reads here: the test runs what the worker would (``run_export``). Pages photographed at 390 and 1366 px.
"""

from types import SimpleNamespace

import openpyxl
import pytest
from playwright.sync_api import expect

from board import services
from board.models import BoardExport
from departments.models import Unit
from departments.roles import CrossUnitRole
from workflows.models import DutyItem

from ..board.board_fixtures import make_item


@pytest.fixture
def board(plan, make_user):
    """Six items of 县生态环境局 and three of 县城管局 (no period: the board shows them all); the office sees all."""
    own, other = Unit.objects.get(name="县生态环境局"), Unit.objects.get(name="县城管局")
    for n in range(6):
        make_item(own, title=f"生态环境任务 {n}", days=n - 2)
    for n in range(3):
        make_item(other, title=f"城管任务 {n}")
    office = make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE, first_name="县府办督查员")
    return SimpleNamespace(
        own=own, office=office, own_ids=set(DutyItem.objects.filter(unit=own).values_list("pk", flat=True))
    )


def filter_by_unit(page, unit):
    page.goto("/board/")
    page.locator("#board-filters select[name=unit]").select_option(label=unit.short_name or unit.name)
    page.locator("#board-filters").get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(6)


def test_a_short_list_downloads_in_one_click(board, log_in, settings):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 100
    page = log_in(board.office)
    filter_by_unit(page, board.own)
    with page.expect_download() as download:
        page.locator("#export-button").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:  # Playwright's file has no extension
        sheet = openpyxl.load_workbook(handle).active
    assert {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)} == board.own_ids
    expect(page.locator("h1")).to_have_text("任务看板")  # still on the board
    assert not BoardExport.objects.exists()


@pytest.mark.postgres  # two POSTs side by side: the live server's threads need a real database
@pytest.mark.parametrize("width", [390, 1366])
def test_a_long_list_starts_the_job_in_one_click_and_its_page_follows_it(board, log_in, settings, results_dir, width):
    settings.TASKBOARD_EXPORT_SYNC_ROWS = 5
    page = log_in(board.office)
    page.set_viewport_size({"width": width, "height": 844})
    filter_by_unit(page, board.own)
    expect(page.locator("#light-counts #export-button")).to_be_visible()  # beside the lights (a <p> would split)
    page.screenshot(path=results_dir / f"export-board-{width}.png", full_page=True)
    page.locator("#export-button").dblclick()  # an impatient double click
    expect(page.locator("h1")).to_have_text("导出任务清单")
    expect(page.locator("#report-state")).to_have_text("排队中")
    job = BoardExport.objects.get()
    assert page.url.endswith(f"/board/export/{job.pk}/")
    assert set(job.item_ids) == board.own_ids
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    assert services.run_export(job.pk) == BoardExport.Status.DONE  # what the worker does
    expect(page.locator("#report-state")).to_have_text("已完成")  # the page polls its status
    expect(page.locator("#report-step")).to_have_text("已写入 6 项任务")
    expect(page.locator("#report-download")).to_be_visible()
    assert page.locator("#report-status").inner_text().count("已完成") == 1
    page.screenshot(path=results_dir / f"export-done-{width}.png", full_page=True)
    with page.expect_download() as download:
        page.locator("#report-download-link").click()
    assert download.value.suggested_filename == job.filename
