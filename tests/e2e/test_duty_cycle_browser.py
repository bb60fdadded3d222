"""One whole duty cycle in a real browser, as the three people who do it, and what a browser shows when refused.

The office opens the year's cycle and gives 县生态环境局's item its instructions; the unit's liaison
finds the item on the board and submits a report with a PDF; the inspector returns it with reasons
and a new deadline; the liaison reports again with a photo; the inspector accepts. Every step goes
through the pages (login, forms, buttons, file inputs); the ORM only checks what was stored.

The end state is photographed for the README (docs/screenshots/) and kept in pytest's temporary test-results/.
"""

import os
import shutil
import struct
import zlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from departments.models import Unit
from departments.roles import CrossUnitRole
from workflows import cycles, services
from workflows.models import DutyItem, Evidence, Report

SCREENSHOTS_DIR = settings.BASE_DIR / "docs" / "screenshots"

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48


def png_bytes(width=4, height=4, rgb=(0x4C, 0xAF, 0x50)):
    """A real (tiny, green) PNG image."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture
def people(plan, make_user):
    own = Unit.objects.get(name="县生态环境局")
    return SimpleNamespace(
        own=own,
        office=make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE, first_name="县府办督查员"),
        liaison=make_user("liaison", unit=own, first_name="生态环境局联络员"),
        inspector=make_user("inspector", cross_role=CrossUnitRole.INSPECTOR, first_name="督导检查员"),
        tax_liaison=make_user("tax-liaison", unit=Unit.objects.get(name="县税务局"), first_name="税务局联络员"),
    )


def cycle_year(plan):
    """This year, unless the plan no longer allows it (a cycle may be opened up to its target year + 1)."""
    return min(timezone.localdate().year, plan.target_year + 1)


def shows_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def test_a_whole_cycle_with_one_rework_as_office_liaison_and_inspector(
    plan, people, log_in, live_server, tmp_path, results_dir
):
    year = cycle_year(plan)
    preview = cycles.preview_cycle(plan, year=year)

    # 1. The office previews and opens the year's cycle, then gives 县生态环境局's item its instructions.
    office = log_in(people.office)
    office.goto(f"/plans/{plan.pk}/open-cycle/")
    office.locator("#id_year").fill(str(year))
    office.get_by_role("button", name="预览", exact=True).click()
    expect(office.locator("#preview")).to_contain_text(
        f"将为 {preview.unit_count} 个单位新建 {preview.item_count} 项任务"
    )
    office.get_by_role("button", name="确认开启").click()
    shows_message(office, f"{year}年度已开启：新建 {preview.item_count} 项任务")
    expect(office).to_have_url(f"{live_server.url}/board/")

    item = DutyItem.objects.get(unit=people.own, period__year=year)
    assert item.stage == DutyItem.Stage.SIGNING  # handed over: waiting for the unit to sign for it
    assert item.assignee == people.liaison  # the unit's only liaison
    item_url = item.get_absolute_url()
    first_deadline = item.deadline

    office.goto(item_url)
    assign = office.locator("#assign")
    # Left unchanged, so no reason is needed. A date input only shows an ISO value: a localised one
    # (2026/12/31) is dropped, and the required, empty field then stops the form from being sent.
    expect(
        assign.locator("input[name=deadline]"),
        "the deadline's date input must be prefilled with an ISO date (YYYY-MM-DD)",
    ).to_have_value(first_deadline.isoformat())
    assign.locator("textarea[name=instructions]").fill("请附现场照片")
    assign.get_by_role("button", name="保存交办信息").click()
    shows_message(office, "交办信息已保存。")
    expect(office.locator("#summary")).to_contain_text("请附现场照片")
    item.refresh_from_db()
    assert (item.instructions, item.deadline, item.stage) == ("请附现场照片", first_deadline, DutyItem.Stage.SIGNING)

    # 2. The liaison finds the item on the board, opens it and submits a report with a PDF.
    liaison = log_in(people.liaison)
    liaison.goto("/board/")
    row = liaison.locator("tbody tr").filter(has=liaison.locator(f'a[href="{item_url}"]'))
    expect(row).to_contain_text(item.title)
    expect(row).to_contain_text("待签收")
    row.get_by_role("link", name=item.title).click()
    expect(liaison).to_have_url(f"{live_server.url}{item_url}")
    expect(liaison.get_by_role("heading", level=1)).to_contain_text(item.title)
    expect(liaison.locator("#summary")).to_contain_text("请附现场照片")
    # 签收: one click, on the timeline with the time.
    liaison.locator("#sign").get_by_role("button", name="签收", exact=True).click()
    shows_message(liaison, "已签收，请按期办理。")
    expect(liaison.locator("#sign")).to_have_count(0)
    expect(liaison.locator("#timeline")).to_contain_text("已签收")
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.REPORTING
    assert item.signed_at is not None

    report_pdf = tmp_path / "整治情况报告.pdf"
    report_pdf.write_bytes(PDF_BYTES)
    report = liaison.locator("#report")
    report.locator("textarea[name=text]").fill("已完成河道整治，附整治情况报告。")
    report.locator("input[type=file]").set_input_files(report_pdf)
    report.get_by_role("button", name="提交检查", exact=True).click()
    shows_message(liaison, "已提交检查。")
    expect(liaison.locator("#summary")).to_contain_text("待检查")
    expect(liaison.locator("#report")).to_have_count(0)
    expect(liaison.locator("#timeline")).to_contain_text("整治情况报告.pdf")
    item.refresh_from_db()
    assert (item.stage, item.reworks) == (DutyItem.Stage.INSPECTING, 0)
    assert list(Evidence.objects.filter(report__item=item).values_list("original_name", flat=True)) == [
        "整治情况报告.pdf"
    ]

    # 3. The inspector returns it: reasons and a new deadline two weeks from today.
    new_deadline = timezone.localdate() + timedelta(days=14)
    inspector = log_in(people.inspector)
    inspector.goto(item_url)
    inspect = inspector.locator("#inspect")
    inspect.locator("select[name=verdict]").select_option(label="退回整改")
    inspect.locator("textarea[name=reasons]").fill("缺少现场照片")
    inspect.locator("input[name=new_deadline]").fill(new_deadline.isoformat())
    inspect.get_by_role("button", name="提交检查结论").click()
    shows_message(inspector, "已退回整改。")
    expect(inspector.locator("#summary")).to_contain_text("办理中")
    expect(inspector.locator("#summary")).to_contain_text(
        f"{new_deadline.year}年{new_deadline.month}月{new_deadline.day}日"
    )
    expect(inspector.locator("#timeline")).to_contain_text("缺少现场照片")
    expect(inspector.locator("#inspect")).to_have_count(0)
    item.refresh_from_db()
    assert (item.stage, item.reworks, item.deadline) == (DutyItem.Stage.REPORTING, 1, new_deadline)

    # 4. The liaison sees why, adds the photo and submits again.
    liaison.goto(item_url)
    expect(liaison.locator("#timeline")).to_contain_text("退回整改")
    expect(liaison.locator("#timeline")).to_contain_text("缺少现场照片")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(png_bytes())
    report = liaison.locator("#report")
    report.locator("textarea[name=text]").fill("已补充现场照片")
    report.locator("input[type=file]").set_input_files(photo)
    report.get_by_role("button", name="提交检查", exact=True).click()
    shows_message(liaison, "已提交检查。")
    expect(liaison.locator("#timeline")).to_contain_text("现场照片.png")
    item.refresh_from_db()
    assert (item.stage, item.reworks) == (DutyItem.Stage.INSPECTING, 1)

    # 5. The inspector accepts: the item is closed.
    inspector.goto(item_url)
    inspect = inspector.locator("#inspect")
    inspect.locator("select[name=verdict]").select_option(label="通过，办结")
    inspect.get_by_role("button", name="提交检查结论").click()
    shows_message(inspector, "检查通过，任务已办结。")
    expect(inspector.locator("#summary")).to_contain_text("已办结")
    item.refresh_from_db()
    assert (item.stage, item.reworks) == (DutyItem.Stage.CLOSED, 1)
    assert item.closed_at is not None
    assert Report.objects.filter(item=item, kind=Report.Kind.SUBMISSION).count() == 2

    # The liaison's board and the item's timeline, for the README and as test artifacts.
    liaison.goto("/board/")
    row = liaison.locator("tbody tr").filter(has=liaison.locator(f'a[href="{item_url}"]'))
    expect(row).to_contain_text("已办结")
    board_png = results_dir / "board.png"
    liaison.screenshot(path=board_png)

    liaison.goto(item_url)
    timeline = liaison.locator("#timeline")
    for text in ("交办", "提交检查", "退回整改", "缺少现场照片", "已补充现场照片", "通过", "整治情况报告.pdf"):
        expect(timeline).to_contain_text(text)
    expect(liaison.locator("#summary")).to_contain_text("已办结")
    timeline_png = results_dir / "item-timeline.png"
    liaison.screenshot(path=timeline_png, full_page=True)

    if os.environ.get("UPDATE_SCREENSHOTS"):  # `UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(board_png, SCREENSHOTS_DIR / "board.png")
        shutil.copyfile(timeline_png, SCREENSHOTS_DIR / "item-timeline.png")


def test_another_units_liaison_gets_404_and_a_refused_upload_keeps_the_text(plan, people, log_in):
    services.open_cycle(people.office, plan, year=cycle_year(plan))
    item = DutyItem.objects.get(unit=people.own, period__year=cycle_year(plan))
    item_url = item.get_absolute_url()

    # 县税务局 has no part in this item: its liaison is told it does not exist.
    stranger = log_in(people.tax_liaison)
    response = stranger.goto(item_url)
    assert response is not None
    assert response.status == 404
    expect(stranger.locator("body")).to_contain_text("未找到")
    expect(stranger.locator("body")).not_to_contain_text(item.title)
    expect(stranger.locator("#report")).to_have_count(0)

    # An executable renamed .pdf is refused; what the liaison typed is still there.
    liaison = log_in(people.liaison)
    liaison.goto(item_url)
    report = liaison.locator("#report")
    typed = "已完成河道整治，附检查报告。\n第二段：整改台账已建立。"
    report.locator("textarea[name=text]").fill(typed)
    report.locator("input[type=file]").set_input_files(
        files=[{"name": "检查报告.pdf", "mimeType": "application/pdf", "buffer": EXE_BYTES}]
    )
    report.get_by_role("button", name="提交检查", exact=True).click()
    errors = liaison.locator("#report .errorlist").first
    expect(errors).to_contain_text("文件“检查报告.pdf”的扩展名是 PDF，但内容是可执行程序，不能上传")
    expect(errors).to_contain_text("附件需要重新选择")
    expect(liaison.locator("#report textarea[name=text]")).to_have_value(typed)
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.SIGNING  # a refused report signs nothing either
    assert not Report.objects.filter(item=item).exists()
    assert not Evidence.objects.filter(report__item=item).exists()
