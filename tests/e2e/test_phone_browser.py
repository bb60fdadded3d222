"""A liaison's and an inspector's whole flow on a phone (390×844) and on a laptop (1366×768): home, the menu,
board, item, a report with a photo, the inspection, the inbox — and no page wider than the screen.

Each page is photographed (test-results/, in pytest's temporary folder); the phone pictures are copied for the
README (docs/screenshots/phone-*.png) with ``UPDATE_SCREENSHOTS=1``.
"""

import io
import os
import re
import shutil
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from departments.models import Unit
from departments.roles import CrossUnitRole
from workflows import services
from workflows.models import DutyItem, Evidence

SCREENSHOTS_DIR = settings.BASE_DIR / "docs" / "screenshots"
PHONE, LAPTOP = (390, 844), (1366, 768)
README_PICTURES = {"phone-liaison-board-390.png", "phone-liaison-item-390.png", "phone-inspector-queue-390.png"}


@pytest.fixture
def people(plan, make_user):
    own = Unit.objects.get(name="县生态环境局")
    return SimpleNamespace(
        own=own,
        office=make_user("office", cross_role=CrossUnitRole.GOVERNMENT_OFFICE, first_name="督查员", last_name="王"),
        liaison=make_user("liaison", unit=own, first_name="伟", last_name="张"),
        # A long name, as the demo's are (县市场监管局 联络员): a timeline entry's who-and-when must still wrap.
        inspector=make_user(
            "inspector", cross_role=CrossUnitRole.INSPECTOR, first_name="县政府教育督导室督导检查员", last_name="欧阳"
        ),
    )


@pytest.fixture
def item(plan, people):
    year = min(timezone.localdate().year, plan.target_year + 1)
    period = services.open_cycle(people.office, plan, year=year).period
    return DutyItem.objects.filter(unit=people.own, period=period).order_by("deadline", "pk").first()


def photo():
    """A small JPEG, as a phone's camera would give (the evidence check reads its content, not its name)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 40, 30)).save(buffer, format="JPEG")
    return {"name": "现场照片.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


class Walk:
    """One person's pages at one size: each is checked for width and photographed."""

    def __init__(self, page, size, role, results_dir):
        self.page, self.width, self.role, self.results_dir = page, size[0], role, results_dir
        page.set_viewport_size({"width": size[0], "height": size[1]})
        self.shots = []

    def check(self, name):
        self.page.wait_for_load_state("load")
        width = self.page.evaluate("document.documentElement.scrollWidth")
        assert width <= self.width, f"{self.role} {name}: the page is {width} px wide at {self.width} px"
        path = self.results_dir / f"phone-{self.role}-{name}-{self.width}.png"
        self.page.screenshot(path=path, full_page=True)
        self.shots.append(path)

    def open_item(self, link_area, item):
        """Click the item's link and wait until its page is the one shown (the click only starts the navigation)."""
        link_area.get_by_role("link", name=item.title).first.click()
        expect(self.page).to_have_url(re.compile(rf"/items/{item.pk}/$"))
        expect(self.page.locator("h1")).to_be_visible()

    def go_by_menu(self, link):
        """Follow a link of the header's menu, opening the menu first where it is folded (a phone)."""
        toggle = self.page.locator("label.menu-toggle")
        if toggle.is_visible():
            expect(self.page.locator(".site-nav")).to_be_hidden()
            toggle.click()
        self.page.locator(".site-nav").get_by_role("link", name=link, exact=True).click()


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390", "1366"])
def test_liaison_and_inspector_flows_fit_the_screen(size, people, item, log_in, results_dir):
    # The liaison: home, the board through the menu, the item, a report with a photo, the inbox.
    liaison = Walk(log_in(people.liaison), size, "liaison", results_dir)
    page = liaison.page
    page.goto("/")
    expect(page.locator(".site-user")).to_contain_text("张伟")  # 姓名, in Chinese order
    liaison.check("home")
    liaison.go_by_menu("任务看板")
    expect(page.locator("h1")).to_have_text("任务看板")
    liaison.check("board")
    liaison.open_item(page, item)
    liaison.check("item")
    report = page.locator("#report")
    report.locator("textarea[name=text]").fill("已完成校园周边环境整治，附现场照片。")
    file_input = report.locator("input[type=file]")
    assert "image/*" in file_input.get_attribute("accept")  # a phone offers its camera
    file_input.set_input_files(photo())
    report.get_by_role("button", name="提交检查", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("已提交检查。")
    assert Evidence.objects.filter(report__item=item).count() == 1
    liaison.check("item-submitted")
    page.goto("/notices/")
    liaison.check("inbox")

    # The inspector: home, 待检查 through the menu, the item, 通过, the inbox.
    inspector = Walk(log_in(people.inspector), size, "inspector", results_dir)
    page = inspector.page
    page.goto("/")
    inspector.check("home")
    inspector.go_by_menu("待检查")
    expect(page.locator("#inspection-queue")).to_contain_text(item.title[:12])
    inspector.check("queue")
    inspector.open_item(page.locator("#inspection-queue"), item)
    inspector.check("item")
    inspect = page.locator("#inspect")
    expect(inspect.locator("input[name=new_deadline]")).to_be_hidden()  # shown for a return only
    inspect.locator("select[name=verdict]").select_option("return")
    expect(inspect.locator("input[name=new_deadline]")).to_be_visible()
    inspect.locator("select[name=verdict]").select_option("accept")
    expect(inspect.locator("input[name=new_deadline]")).to_be_hidden()
    inspect.get_by_role("button", name="提交检查结论").click()
    expect(page.locator(".messages")).to_be_visible()
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.CLOSED
    inspector.check("item-closed")
    page.goto("/notices/")
    inspector.check("inbox")

    if os.environ.get("UPDATE_SCREENSHOTS") and size == PHONE:
        SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
        for path in (*liaison.shots, *inspector.shots):
            if path.name in README_PICTURES:
                shutil.copy(path, SCREENSHOTS_DIR / path.name)
