"""The home page reads on a phone: at 390 and 360 px wide nothing is wider than the screen (no sideways scroll),
for a person holding every role with rows in every section. Rendered by the test client, laid out by Chromium."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from departments import access
from departments.models import Membership
from departments.roles import CrossUnitRole
from departments.services import add_member, grant_role

from .test_home_todo import grow

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium"),
]
TOO_WIDE = """Array.from(document.querySelectorAll('body *'))
  .filter(element => element.getBoundingClientRect().right > window.innerWidth + 1)
  .map(element => element.tagName + '.' + element.className)"""


def test_nothing_is_wider_than_a_phone(client, personas, units):
    from playwright.sync_api import sync_playwright

    grow(3, units, personas)
    person = personas["own_liaison"]
    add_member(person, units["own"], Membership.Role.LEADER)
    for role in CrossUnitRole:
        grant_role(person, role)
    access.forget(person)
    client.force_login(person)
    html = client.get(reverse("home")).content.decode()
    css = (Path(settings.BASE_DIR) / "static" / "site.css").read_text(encoding="utf-8")
    html = html.replace("</head>", f"<style>{css}</style></head>")  # the page's own stylesheet, inline
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox"])
        try:
            for width in (390, 360):
                page = browser.new_page(viewport={"width": width, "height": 800})
                page.set_content(html)
                assert page.locator("#todo-liaison").is_visible()
                assert page.evaluate("document.documentElement.scrollWidth") == width
                assert page.evaluate(TOO_WIDE) == []
        finally:
            browser.close()
