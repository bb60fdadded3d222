"""An item's page and its step endpoints through the test client: who sees what, and bad input losing nothing."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from workflows import services
from workflows.models import DutyItem, Evidence, ItemEvent, Report

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def item(plan, personas, units):
    services.open_cycle(personas["government_office"], plan, year=2026)
    return DutyItem.objects.get(unit=units["own"], period__year=2026)


def page(client, user, item):
    client.force_login(user)
    return client.get(item.get_absolute_url())


# Who may open an item (own, cooperating, stranger unit, the cross-unit roles): tests/project/test_permission_table.py.


def test_owner_sees_the_report_form_cooperating_unit_the_contribution_form(client, personas, item):
    owner = page(client, personas["own_liaison"], item).context["steps"]
    assert owner["report"]
    assert not owner["contribute"]
    assert not owner["inspect"]
    assert not owner["assign"]
    cooperating = page(client, personas["cooperating_liaison"], item).context["steps"]
    assert cooperating["contribute"]
    assert not cooperating["report"]
    office = page(client, personas["government_office"], item).context["steps"]
    assert office["assign"]
    assert office["withdraw"]
    assert not office["report"]


def test_report_with_a_file_then_inspector_returns_then_accepts(client, personas, item):
    client.force_login(personas["own_liaison"])
    upload = SimpleUploadedFile("检查报告.pdf", PDF)
    response = client.post(
        reverse("workflows:item_report", args=[item.pk]), {"text": "已完成整治", "submit": "1", "files": [upload]}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.INSPECTING

    client.force_login(personas["inspector"])
    new_deadline = timezone.localdate() + timedelta(days=15)
    client.post(
        reverse("workflows:item_inspect", args=[item.pk]),
        {"verdict": "return", "reasons": "缺少照片", "new_deadline": new_deadline.isoformat()},
    )
    item.refresh_from_db()
    assert (item.stage, item.reworks, item.deadline) == (DutyItem.Stage.REPORTING, 1, new_deadline)

    client.force_login(personas["own_liaison"])
    client.post(reverse("workflows:item_report", args=[item.pk]), {"text": "已补充照片", "submit": "1"})
    client.force_login(personas["inspector"])
    client.post(reverse("workflows:item_inspect", args=[item.pk]), {"verdict": "accept", "reasons": ""})
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.CLOSED

    timeline = page(client, personas["own_liaison"], item).content.decode()
    for text in ["已完成整治", "缺少照片", "已补充照片", "检查报告.pdf", "退回整改", "通过"]:
        assert text in timeline


def test_a_rejected_upload_keeps_what_the_user_typed(client, personas, item):
    client.force_login(personas["own_liaison"])
    fake = SimpleUploadedFile("报告.pdf", b"MZ" + b"\x00" * 100)
    response = client.post(
        reverse("workflows:item_report", args=[item.pk]),
        {"text": "这段很长的办理情况不能丢", "progress": "80", "submit": "1", "files": [fake]},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "这段很长的办理情况不能丢" in body
    assert 'value="80"' in body
    assert "报告.pdf" in body
    assert "重新选择" in body
    assert not Report.objects.filter(item=item).exists()
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.SIGNING


def test_steps_of_others_are_refused_on_the_server(client, personas, item):
    client.force_login(personas["cooperating_liaison"])
    response = client.post(reverse("workflows:item_report", args=[item.pk]), {"text": "越权提交", "submit": "1"})
    assert response.status_code == 403
    client.force_login(personas["own_liaison"])
    response = client.post(reverse("workflows:item_inspect", args=[item.pk]), {"verdict": "accept"})
    assert response.status_code == 403
    response = client.post(reverse("workflows:item_withdraw", args=[item.pk]), {"reason": "不做了"})
    assert response.status_code == 403
    client.force_login(personas["stranger_liaison"])
    response = client.post(reverse("workflows:item_report", args=[item.pk]), {"text": "x", "submit": "1"})
    assert response.status_code == 404
    assert not Report.objects.filter(item=item).exists()


def test_evidence_is_downloadable_only_by_those_who_see_the_item(client, personas, item):
    services.submit_report(personas["own_liaison"], item, text="完成", files=[SimpleUploadedFile("证明.pdf", PDF)])
    evidence = Evidence.objects.get(report__item=item)
    url = evidence.get_absolute_url()
    for persona, status in [("own_liaison", 200), ("cooperating_liaison", 200), ("inspector", 200)]:
        client.force_login(personas[persona])
        response = client.get(url)
        assert response.status_code == status
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    client.force_login(personas["stranger_liaison"])
    assert client.get(url).status_code == 404


def test_office_withdraws_with_a_reason(client, personas, item):
    client.force_login(personas["government_office"])
    response = client.post(reverse("workflows:item_withdraw", args=[item.pk]), {"reason": ""})
    assert response.status_code == 400
    client.post(reverse("workflows:item_withdraw", args=[item.pk]), {"reason": "任务已合并"})
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.WITHDRAWN
    assert item.events.filter(kind=ItemEvent.Kind.WITHDRAWN, text="任务已合并").exists()


def test_office_opens_a_cycle_with_a_preview(client, personas, plan):
    client.force_login(personas["government_office"])
    url = reverse("workflows:open_cycle", args=[plan.pk])
    preview = client.post(url, {"year": "2027", "preview": "1"})
    assert "将为" in preview.content.decode()
    assert not DutyItem.objects.exists()
    client.post(url, {"year": "2027", "open": "1"})
    assert DutyItem.objects.filter(period__year=2027).exists()
    client.force_login(personas["own_liaison"])
    assert client.get(url).status_code == 403


def test_item_page_query_count_does_not_grow_with_history(client, personas, item, count_queries):
    liaison = personas["own_liaison"]
    services.save_progress(liaison, item, text="一", files=[SimpleUploadedFile("a.pdf", PDF)])
    client.force_login(liaison)
    small = count_queries(lambda: client.get(item.get_absolute_url()))
    for n in range(15):
        services.save_progress(liaison, item, text=f"进展{n}", files=[SimpleUploadedFile(f"{n}.pdf", PDF)])
        services.add_contribution(personas["cooperating_liaison"], item, text=f"配合{n}")
    large = count_queries(lambda: client.get(item.get_absolute_url()))
    assert large == small


def test_form_labels_end_with_a_full_width_colon(client, personas, item):
    body = page(client, personas["own_liaison"], item).content.decode()
    assert "办理情况：</label>" in body
    assert "办理情况:</label>" not in body
