"""The working day in a real browser: a liaison's to-do list, 签收, a 延期申请 the office approves, the notices each
side gets, and an inspector's return raising the liaison's unread count.

Between steps the test runs what the Celery worker would (``notify_events`` then ``dispatch_deliveries``): the
live server enqueues those tasks on a broker no worker reads here. The liaison's home page is photographed at desktop
and phone widths (kept in test-results/; copied for the README, docs/screenshots/, with ``UPDATE_SCREENSHOTS=1``).
"""

import os
import re
import shutil
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from departments.models import Unit
from departments.roles import CrossUnitRole
from notices.models import Notice
from notices.services import dispatch_deliveries, notify_events
from workflows import services
from workflows.models import DutyItem, ExtensionRequest

SCREENSHOTS_DIR = settings.BASE_DIR / "docs" / "screenshots"


@pytest.fixture
def people(plan, make_user):
    own = Unit.objects.get(name="县生态环境局")
    return SimpleNamespace(
        own=own,
        office=make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE, first_name="县府办督查员"),
        liaison=make_user("liaison", unit=own, first_name="生态环境局联络员"),
        inspector=make_user("inspector", cross_role=CrossUnitRole.INSPECTOR, first_name="督导检查员"),
    )


@pytest.fixture
def opened(plan, people):
    """This year's cycle, opened by the office (while the plan allows it): 县生态环境局's item waits to be signed."""
    year = min(timezone.localdate().year, plan.target_year + 1)
    period = services.open_cycle(people.office, plan, year=year).period
    item = DutyItem.objects.filter(unit=people.own, period=period).order_by("deadline", "pk").first()
    return SimpleNamespace(period=period, item=item)


def worker_runs():
    """What the worker does after each step: the timeline's notices, then their delivery."""
    notify_events()
    while dispatch_deliveries().claimed:
        pass


def unread(page):
    """The header's unread count (0 when no badge is shown)."""
    page.reload()
    badge = page.locator("#unread-badge")
    if not badge.count():
        return 0
    return int(re.match(r"\d+", badge.inner_text()).group())


def shows_message(page, text):
    expect(page.locator(".messages")).to_contain_text(text)


def chinese_date(day):
    return f"{day.year}年{day.month}月{day.day}日"


def test_sign_ask_for_time_approved_then_returned_each_side_told(people, opened, log_in, live_server, results_dir):
    item, period = opened.item, opened.period
    item_url = item.get_absolute_url()
    worker_runs()

    # 1. The liaison's home page is a to-do list: the new item is to be signed for, with its countdown.
    liaison = log_in(people.liaison)
    liaison.goto("/")
    todo = liaison.locator("#todo-liaison")
    expect(todo.locator("#count-to-sign")).to_have_text(str(DutyItem.objects.filter(unit=people.own).count()))
    expect(todo).to_contain_text(item.title)
    expect(todo.locator(".countdown").first).to_be_visible()
    assert unread(liaison) >= 1  # the cycle's digest of new work: one notice for the unit, not one per item
    digest = Notice.objects.get(kind=Notice.Kind.ASSIGNED, unit=people.own)
    assert period.label in digest.title
    liaison.set_viewport_size({"width": 1366, "height": 900})
    liaison.screenshot(path=results_dir / "working-day-home-1366.png", full_page=True)
    liaison.set_viewport_size({"width": 390, "height": 844})
    liaison.screenshot(path=results_dir / "working-day-home-390.png", full_page=True)
    assert liaison.evaluate("document.documentElement.scrollWidth") <= 390
    liaison.set_viewport_size({"width": 1366, "height": 900})

    # 2. 签收, one click, then a 延期申请 with a reason.
    liaison.goto(item_url)
    liaison.locator("#sign").get_by_role("button", name="签收", exact=True).click()
    shows_message(liaison, "已签收，请按期办理。")
    asked = item.deadline + timedelta(days=20)
    form = liaison.locator("#request-extension")
    form.locator("input[name=requested_deadline]").fill(asked.isoformat())
    form.locator("textarea[name=reason]").fill("汛期施工受阻，需顺延")
    form.get_by_role("button", name="提交延期申请").click()
    shows_message(liaison, "延期申请已提交，等待县政府办公室审批。")
    worker_runs()

    # 3. The office is told, finds the request and approves it.
    office = log_in(people.office)
    assert unread(office) >= 1
    office.goto("/notices/")
    expect(office.locator("main")).to_contain_text("延期")
    office.goto(item_url)
    decide = office.locator("#decide-extension")
    expect(decide).to_contain_text("汛期施工受阻，需顺延")
    expect(decide).to_contain_text(chinese_date(asked))
    decide.locator("select[name=decision]").select_option("approve")
    decide.get_by_role("button", name="提交审批结论").click()
    shows_message(office, f"已同意延期至 {asked:%Y年%m月%d日}。")
    assert ExtensionRequest.objects.get(item=item).status == ExtensionRequest.Status.APPROVED
    before_approval = unread(liaison)
    worker_runs()

    # 4. The liaison sees the new deadline and the notice that says so.
    assert unread(liaison) == before_approval + 1
    liaison.goto(item_url)
    expect(liaison.locator("#deadline")).to_contain_text(chinese_date(asked))
    liaison.goto("/notices/")
    expect(liaison.locator("main")).to_contain_text("延期")
    expect(liaison.locator("main")).to_contain_text(period.label)

    # 5. The liaison submits; the inspector returns it; the liaison's unread count goes up by the return.
    liaison.goto(item_url)
    report = liaison.locator("#report")
    report.locator("textarea[name=text]").fill("整治已完成")
    report.get_by_role("button", name="提交检查", exact=True).click()
    shows_message(liaison, "已提交检查。")
    worker_runs()
    before_return = unread(liaison)
    inspector = log_in(people.inspector)
    inspector.goto(item_url)
    inspect = inspector.locator("#inspect")
    inspect.locator("select[name=verdict]").select_option(label="退回整改")
    inspect.locator("textarea[name=reasons]").fill("缺少现场照片")
    inspect.locator("input[name=new_deadline]").fill((timezone.localdate() + timedelta(days=7)).isoformat())
    inspect.get_by_role("button", name="提交检查结论").click()
    shows_message(inspector, "已退回整改。")
    worker_runs()
    assert unread(liaison) == before_return + 1
    liaison.goto("/notices/")
    expect(liaison.locator("main")).to_contain_text("缺少现场照片")

    if os.environ.get("UPDATE_SCREENSHOTS"):  # `UPDATE_SCREENSHOTS=1 make test` refreshes the README's pictures
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        for width in (1366, 390):
            name = f"working-day-home-{width}.png"
            shutil.copy(results_dir / name, SCREENSHOTS_DIR / name)
