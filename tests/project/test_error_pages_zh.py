"""Chinese wherever a person can land: the error pages also in the quick start (DEBUG on), the API's errors as JSON
for every path, download names in Chinese with an ASCII fallback, and a favicon."""

import json
from datetime import date
from unittest import mock

import pytest
from django.contrib.staticfiles import finders
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.services.tokens import issue_token
from workflows import services
from workflows.models import Evidence

TECHNICAL_404 = "Using the URLconf"  # what Django's technical 404 page says before listing every URL pattern


@pytest.fixture
def stranger_item(personas, units):
    return services.create_ad_hoc_item(
        personas["government_office"], unit=units["stranger"], title="落实教育收费减免", deadline=date(2030, 1, 1)
    )


@pytest.fixture
def quick_start(settings):
    """``make demo``: DEBUG on, TECHNICAL_ERROR_PAGES left at its default."""
    settings.DEBUG = True
    settings.TECHNICAL_ERROR_PAGES = False
    return settings


def test_the_quick_start_shows_the_products_404_for_another_units_item(client, personas, stranger_item, quick_start):
    client.force_login(personas["own_liaison"])
    response = client.get(stranger_item.get_absolute_url())
    assert response.status_code == 404
    page = response.content.decode()
    assert "其他单位的任务和材料只对有关单位可见" in page
    assert TECHNICAL_404 not in page
    assert "Traceback" not in page


def test_the_quick_start_shows_the_products_404_for_an_unknown_address(client, personas, quick_start):
    client.force_login(personas["own_liaison"])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "未找到" in response.content.decode()
    assert TECHNICAL_404 not in response.content.decode()
    # CommonMiddleware still adds the missing slash of an address that exists.
    assert client.get("/board").status_code == 301


def test_a_developer_may_ask_for_djangos_technical_pages(client, personas, stranger_item, quick_start):
    """The companion check: the setting really switches, so the two tests above can fail."""
    quick_start.TECHNICAL_ERROR_PAGES = True
    client.force_login(personas["own_liaison"])
    assert TECHNICAL_404 in client.get("/no-such-page/").content.decode()


def test_the_quick_start_shows_the_products_500(client, personas, stranger_item, quick_start):
    client.force_login(personas["government_office"])
    with mock.patch("workflows.views.items.render_item", side_effect=RuntimeError("boom")):
        response = client.get(stranger_item.get_absolute_url())
    assert response.status_code == 500
    assert "系统出错" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_production_pages_are_chinese(client, personas, stranger_item):
    client.force_login(personas["own_liaison"])
    assert "未找到" in client.get(stranger_item.get_absolute_url()).content.decode()
    assert "未找到" in client.get("/no-such-page/").content.decode()


def api_error(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    message = json.loads(response.content)["error"]
    assert any("\u4e00" <= character <= "\u9fff" for character in message), message
    return message


@pytest.mark.parametrize("debug", [False, True])
def test_every_api_path_answers_json_in_chinese(client, personas, settings, debug):
    settings.DEBUG = debug
    key = issue_token(personas["assessment_reader"], "测试")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    api_error(client.get("/api/assessments/abc/"), 401)  # no token
    assert "没有这个接口" in api_error(client.get("/api/assessments/abc/", **bearer), 404)
    assert "没有这个接口" in api_error(client.get("/api/assessments/2025/x/", **bearer), 404)
    assert "还没有发布" in api_error(client.get("/api/assessments/2025/", **bearer), 404)
    api_error(client.post("/api/assessments/", **bearer), 405)
    for path in ["/api/", "/api/other/", "/api/assessments"]:
        response = client.get(path, **bearer)
        if response.status_code == 301:  # the missing slash, added by CommonMiddleware
            response = client.get(response.url, **bearer)
            assert response.status_code == 200
            continue
        assert "没有这个接口" in api_error(response, 404), path


def test_the_figures_template_has_a_chinese_name_and_an_ascii_one(client, personas):
    client.force_login(personas["plan_office"])
    response = client.get(reverse("indicators:figures_template"), {"year": 2026})
    assert response["Content-Disposition"] == (
        "attachment; filename=\"2026-school-figures.xlsx\"; filename*=UTF-8''"
        "2026%E5%B9%B4%E5%AD%A6%E6%A0%A1%E6%95%B0%E6%8D%AE%E6%A8%A1%E6%9D%BF.xlsx"  # 2026年学校数据模板.xlsx
    )


def test_evidence_keeps_its_chinese_name_with_an_ascii_fallback(client, personas, units):
    item = services.create_ad_hoc_item(
        personas["government_office"], unit=units["own"], title="校园周边环境整治", deadline=date(2030, 1, 1)
    )
    pdf = SimpleUploadedFile("整治报告.pdf", b"%PDF-1.4\n%%EOF\n")
    services.submit_report(personas["own_liaison"], item, text="已整治", files=[pdf])
    evidence = Evidence.objects.get(report__item=item)
    client.force_login(personas["own_liaison"])
    disposition = client.get(evidence.get_absolute_url())["Content-Disposition"]
    assert disposition == (
        f"attachment; filename=\"file-{evidence.pk}.pdf\"; filename*=UTF-8''"
        "%E6%95%B4%E6%B2%BB%E6%8A%A5%E5%91%8A.pdf"  # 整治报告.pdf
    )


@pytest.mark.django_db
def test_the_favicon_is_served_to_everyone(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("/favicon.ico")
    assert response.url.startswith("/static/")
    assert finders.find("favicon.ico")
    assert finders.find("favicon.svg")
    with open(finders.find("favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file


def test_the_403_page_says_why_when_the_reason_was_written_for_the_person(rf):
    """``access.require``'s message reaches the page; a PermissionDenied raised elsewhere (Django's, a library's,
    often English or technical) does not."""
    from django.core.exceptions import PermissionDenied

    from departments import access
    from pages.errors import permission_denied

    refused = permission_denied(rf.get("/board/"), access.Refused("只有县政府办公室可以起草和发布通报。"))
    assert refused.status_code == 403
    assert "只有县政府办公室可以起草和发布通报。" in refused.content.decode()
    other = permission_denied(rf.get("/board/"), PermissionDenied("CSRF token missing"))
    assert "CSRF" not in other.content.decode()
    assert "您没有权限进行此操作" in other.content.decode()
    api = permission_denied(rf.get("/api/assessments/"), access.Refused("该令牌已撤销。"))
    assert json.loads(api.content) == {"error": "该令牌已撤销。"}
