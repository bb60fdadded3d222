"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

A test asks for ``log_in`` and gets one logged-in page per user, each in its own browser
context (its own cookies), all sharing one browser per module. Screenshots a test takes, and
one per open page when a test fails, go to ``test-results/`` in pytest's temporary folder (the
path is printed when a test fails), never into the source tree.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from workflows.models import Plan

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1280, "height": 900}
PASSWORD = "pw-for-tests"  # what tests/conftest.py's make_user gives everyone

# The test machine may be slow (2 cores, a cold Chromium): wait generously before failing.
ACTION_TIMEOUT_MS = 30_000
NAVIGATION_TIMEOUT_MS = 60_000
expect.set_options(timeout=ACTION_TIMEOUT_MS)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell in teardown whether the test failed."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium: apt-get install chromium fonts-noto-cjk")
    # Playwright's sync API runs an event loop in the main thread, and Django refuses ORM calls while one runs
    # ("You cannot call this from an async context") unless DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only
    # while the browser lives, not at import: a session-wide setting would leak into the subprocesses other
    # tests start (``manage.py check --deploy`` fails with async.E001 when it sees the variable).
    with pytest.MonkeyPatch.context() as env, sync_playwright() as playwright:
        env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def plan(transactional_db):
    """The shipped plan, committed (the live server reads it from another connection): the baseline every test
    starts from (tests/conftest.py)."""
    return Plan.objects.get(doc_number="奉节府办发〔2021〕100号")


@pytest.fixture(scope="session")
def results_dir(tmp_path_factory):
    """Where screenshots go: pytest's temporary folder (its last three runs are kept), not the source tree."""
    folder = tmp_path_factory.getbasetemp() / "test-results"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture
def log_in(browser, live_server, results_dir, request):
    """``log_in(user)``: a fresh browser context for ``user``, logged in through the real login page; its page."""
    contexts = []

    def log_in_as(user):
        context = browser.new_context(
            base_url=live_server.url, viewport=VIEWPORT, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(ACTION_TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        contexts.append((user.get_username(), context))
        page = context.new_page()
        page.goto("/login/")
        page.locator("#id_username").fill(user.get_username())
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page).not_to_have_url(re.compile(r"/login/"))
        expect(page.locator(".site-user")).to_contain_text(user.get_full_name() or user.get_username())
        return page

    yield log_in_as

    report = getattr(request.node, "rep_call", None)
    failed = report is not None and report.failed
    for username, context in contexts:
        if failed:
            for number, page in enumerate(context.pages):
                path = results_dir / f"{request.node.name}-{username}-{number}-failure.png"
                try:
                    page.screenshot(path=path, full_page=True)
                    print(f"screenshot of {username}'s page: {path}")
                except Exception as error:  # a crashed page must not hide the test's own failure
                    print(f"could not screenshot {username}'s page: {error}")
        context.close()
