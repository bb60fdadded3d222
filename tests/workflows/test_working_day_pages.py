"""The working-day steps on the item page, through the test client: 签收, 退回交办 and its resolution, 延期申请 and
its decision, 批示, the countdown, the office's 待审批 page and the board's filter of pending extension requests."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from departments.models import Membership
from workflows import services
from workflows.models import DutyItem, ExtensionRequest, HandBack, ItemEvent

pytestmark = pytest.mark.django_db

DEADLINE = date(2030, 1, 1)
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def item(office, units):
    return services.create_ad_hoc_item(
        office, unit=units["own"], title="校园周边整治", deadline=DEADLINE, cooperating_units=[units["cooperating"]]
    )


def url(name, item):
    return reverse(f"workflows:{name}", args=[item.pk])


def steps_of(client, user, item):
    client.force_login(user)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    return response.context["steps"], response.content.decode()


def test_the_owner_liaison_sees_sign_and_hand_back_others_do_not(client, personas, item):
    steps, body = steps_of(client, personas["own_liaison"], item)
    assert all(steps[step] for step in ["sign", "hand_back", "request_extension", "report"])
    assert url("item_sign", item) in body
    assert "countdown" in body  # the countdown next to the deadline
    for persona in ["cooperating_liaison", "government_office", "inspector", "leadership"]:
        steps, body = steps_of(client, personas[persona], item)
        assert not any(steps[step] for step in ["sign", "hand_back", "request_extension"]), persona
        assert url("item_sign", item) not in body


def test_one_click_sign(client, personas, item):
    client.force_login(personas["own_liaison"])
    response = client.post(url("item_sign", item))
    assert response.status_code == 302
    assert response.url == item.get_absolute_url()
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.REPORTING
    response = client.post(url("item_sign", item))  # signed already: the page says so, and stays usable
    assert response.status_code == 400
    assert "不能进行此操作" in response.content.decode()


def test_a_refused_post_shows_the_item_page_not_a_post_only_url(client, personas, item):
    client.force_login(personas["own_liaison"])
    response = client.post(url("item_hand_back", item), {"reason": ""})
    assert response.status_code == 400
    assert response.templates[0].name == "workflows/item_detail.html"
    assert "此字段为必填项" in response.content.decode() or "必填" in response.content.decode()


def test_hand_back_then_the_office_reassigns_through_the_pages(client, personas, units, item, office):
    client.force_login(personas["own_liaison"])
    assert client.post(url("item_hand_back", item), {"reason": "属城管局职责"}).status_code == 302
    item.refresh_from_db()
    assert item.stage == DutyItem.Stage.HANDED_BACK

    steps, body = steps_of(client, office, item)
    assert steps["resolve_hand_back"]
    assert "属城管局职责" in body
    steps, _body = steps_of(client, personas["own_liaison"], item)
    assert not steps["resolve_hand_back"]
    assert not steps["report"]

    client.force_login(personas["own_liaison"])
    assert client.post(url("item_resolve_hand_back", item), {"new_unit": units["stranger"].pk}).status_code == 403
    client.force_login(office)
    response = client.post(url("item_resolve_hand_back", item), {"new_unit": units["stranger"].pk, "note": "改派"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.unit, item.stage) == (units["stranger"], DutyItem.Stage.SIGNING)
    assert item.hand_backs.get().resolution == HandBack.Resolution.REASSIGNED


def test_extension_request_and_approval_through_the_pages(client, personas, item, office):
    client.force_login(personas["own_liaison"])
    upload = SimpleUploadedFile("说明.pdf", PDF)
    response = client.post(
        url("item_request_extension", item),
        {"requested_deadline": "2030-02-01", "reason": "汛期停工", "files": [upload]},
    )
    assert response.status_code == 302
    request = ExtensionRequest.objects.get(item=item)
    attachment = request.attachments.get()

    steps, body = steps_of(client, personas["own_liaison"], item)
    assert not steps["request_extension"]
    assert not steps["decide_extension"]
    assert "等待县政府办公室审批" in body
    download = reverse("workflows:extension_attachment_download", args=[attachment.pk])
    assert client.get(download).status_code == 200
    client.force_login(personas["stranger_liaison"])
    assert client.get(download).status_code == 404

    steps, body = steps_of(client, office, item)
    assert steps["decide_extension"]
    client.force_login(office)
    response = client.post(
        url("item_decide_extension", item), {"request": request.pk, "decision": "reject", "reason": ""}
    )
    assert response.status_code == 400  # a rejection needs a reason: the page says so
    response = client.post(url("item_decide_extension", item), {"request": request.pk, "decision": "approve"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.deadline == date(2030, 2, 1)

    _steps, body = steps_of(client, personas["own_liaison"], item)
    assert "同意" in body or "Approved" in body  # the last request's status


def test_deciding_another_items_request_is_refused(client, personas, units, item, office):
    other = services.create_ad_hoc_item(office, unit=units["stranger"], title="其他任务", deadline=DEADLINE)
    request = services.request_extension(
        personas["stranger_liaison"], other, requested_deadline=DEADLINE + timedelta(days=5), reason="理由"
    )
    client.force_login(office)
    response = client.post(url("item_decide_extension", item), {"request": request.pk, "decision": "approve"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING


def test_leaders_instruct_through_the_page(client, personas, units, item, make_user):
    leader = make_user("leader", unit=units["own"], role=Membership.Role.HEAD)
    steps, _body = steps_of(client, leader, item)
    assert steps["instruct"]
    steps, _body = steps_of(client, personas["leadership"], item)
    assert steps["instruct"]
    steps, _body = steps_of(client, personas["own_liaison"], item)
    assert not steps["instruct"]

    client.force_login(leader)
    assert client.post(url("item_instruct", item), {"text": "抓紧落实"}).status_code == 302
    client.force_login(personas["own_liaison"])
    assert client.post(url("item_instruct", item), {"text": "越权批示"}).status_code == 403
    assert list(item.events.filter(kind=ItemEvent.Kind.INSTRUCTION).values_list("text", flat=True)) == ["抓紧落实"]
    _steps, body = steps_of(client, personas["cooperating_liaison"], item)
    assert "抓紧落实" in body  # on the timeline for everyone who sees the item


def make_waiting(office, personas, units, count):
    """``count`` items of the own unit with a pending extension request and as many handed back."""
    for n in range(count):
        asked = services.create_ad_hoc_item(office, unit=units["own"], title=f"延期{n}", deadline=DEADLINE)
        services.request_extension(
            personas["own_liaison"], asked, requested_deadline=DEADLINE + timedelta(days=9), reason="理由"
        )
        handed = services.create_ad_hoc_item(office, unit=units["own"], title=f"退回{n}", deadline=DEADLINE)
        services.hand_back_item(personas["own_liaison"], handed, reason="不属于本单位")


def test_the_pending_requests_page_lists_both_in_a_fixed_number_of_queries(client, personas, units, office):
    client.force_login(office)
    page = reverse("workflows:pending_requests")
    make_waiting(office, personas, units, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        response = client.get(page)
    assert (len(response.context["extensions"]), len(response.context["hand_backs"])) == (2, 2)
    assert "延期0" in response.content.decode()
    assert "退回1" in response.content.decode()
    make_waiting(office, personas, units, 6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page)
    assert (len(response.context["extensions"]), len(response.context["hand_backs"])) == (8, 8)
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_pending_requests_page_is_the_offices_and_linked_from_the_board(client, personas):
    page = reverse("workflows:pending_requests")
    client.force_login(personas["government_office"])
    assert page in client.get(reverse("board:mine")).content.decode()
    for persona in ["own_liaison", "inspector", "plan_office", "leadership"]:
        client.force_login(personas[persona])
        assert client.get(page).status_code == 403, persona
        assert page not in client.get(reverse("board:mine")).content.decode()


def test_the_board_filters_items_with_a_pending_extension_request(client, personas, units, item, office):
    other = services.create_ad_hoc_item(office, unit=units["own"], title="无申请", deadline=DEADLINE)
    decided = services.create_ad_hoc_item(office, unit=units["own"], title="已审批", deadline=DEADLINE)
    services.request_extension(
        personas["own_liaison"], item, requested_deadline=DEADLINE + timedelta(days=9), reason="理由"
    )
    request = services.request_extension(
        personas["own_liaison"], decided, requested_deadline=DEADLINE + timedelta(days=9), reason="理由"
    )
    services.decide_extension(office, request, approve=False, reason="不同意")
    for persona in ["government_office", "own_liaison"]:
        client.force_login(personas[persona])
        response = client.get(reverse("board:mine"), {"pending_extension": "on"})
        listed = set(response.context["page_obj"].paginator.object_list.values_list("pk", flat=True))
        assert listed == {item.pk}, persona
        everything = client.get(reverse("board:mine"))
        assert {item.pk, other.pk, decided.pk} <= set(
            everything.context["page_obj"].paginator.object_list.values_list("pk", flat=True)
        )
