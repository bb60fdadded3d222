"""延期申请 and 批示 through the services: who may ask, decide and instruct; what the item and its timeline record."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from departments.models import Membership
from workflows import services
from workflows.models import DutyItem, ExtensionAttachment, ExtensionRequest, ItemEvent

pytestmark = pytest.mark.django_db

DEADLINE = date(2030, 1, 1)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name="说明.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def office(personas):
    return personas["government_office"]


@pytest.fixture
def item(office, units):
    return services.create_ad_hoc_item(
        office, unit=units["own"], title="校舍维修", deadline=DEADLINE, cooperating_units=[units["cooperating"]]
    )


def ask(personas, item, days=30, **kwargs):
    kwargs.setdefault("reason", "汛期无法施工")
    return services.request_extension(
        personas["own_liaison"], item, requested_deadline=DEADLINE + timedelta(days=days), **kwargs
    )


def stored_files(root):
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


def test_the_owner_liaison_asks_with_a_file(item, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request = ask(personas, item, files=[pdf()])
    assert (request.status, request.current_deadline, request.requested_deadline) == (
        ExtensionRequest.Status.PENDING,
        DEADLINE,
        DEADLINE + timedelta(days=30),
    )
    assert (request.unit, request.requested_by) == (item.unit, personas["own_liaison"])
    attachment = request.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("说明.pdf", "application/pdf")
    assert stored_files(tmp_path) == {attachment.file.name}
    event = item.events.get(kind=ItemEvent.Kind.EXTENSION_REQUESTED)
    assert (event.old_deadline, event.new_deadline) == (DEADLINE, DEADLINE + timedelta(days=30))
    assert "汛期无法施工" in event.text
    item.refresh_from_db()
    assert item.deadline == DEADLINE  # unchanged until the office approves


@pytest.mark.parametrize(
    "persona", ["cooperating_liaison", "stranger_liaison", "no_unit", "government_office", "inspector", "leadership"]
)
def test_only_the_owner_liaison_asks(item, personas, persona):
    with pytest.raises(PermissionDenied):
        services.request_extension(
            personas[persona], item, requested_deadline=DEADLINE + timedelta(days=9), reason="理由"
        )
    assert not ExtensionRequest.objects.exists()


def test_a_request_is_refused_with_a_clear_message(item, personas):
    with pytest.raises(ValidationError, match="说明理由"):
        ask(personas, item, reason=" ")
    with pytest.raises(ValidationError, match="须晚于当前截止日期"):
        ask(personas, item, days=0)
    ask(personas, item)
    with pytest.raises(ValidationError, match="已有一份待审批的延期申请"):
        ask(personas, item, days=60)
    assert ExtensionRequest.objects.count() == 1


def test_a_refused_file_writes_nothing(item, personas, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("说明.pdf", b"MZ" + b"\x00" * 100)
    with pytest.raises(ValidationError, match=r"说明\.pdf"):
        ask(personas, item, files=[pdf("好的.pdf"), fake])
    assert not ExtensionRequest.objects.exists()
    assert not ExtensionAttachment.objects.exists()
    assert stored_files(tmp_path) == set()


def test_a_failed_request_removes_the_files_it_stored(item, personas, settings, tmp_path, monkeypatch):
    from workflows.services import extensions

    settings.MEDIA_ROOT = tmp_path

    def broken(**kwargs):
        raise ValidationError("写入失败")

    monkeypatch.setattr(extensions.ItemEvent.objects, "create", broken)
    with pytest.raises(ValidationError):
        ask(personas, item, files=[pdf()])
    assert stored_files(tmp_path) == set()
    assert not ExtensionRequest.objects.exists()


def test_no_request_once_submitted_or_while_handed_back(item, personas):
    services.hand_back_item(personas["own_liaison"], item, reason="不属于本单位")
    with pytest.raises(ValidationError, match="不能进行此操作"):
        ask(personas, item)
    services.resolve_hand_back(personas["government_office"], item)
    services.submit_report(personas["own_liaison"], item, text="已完成")
    with pytest.raises(ValidationError, match="不能进行此操作"):
        ask(personas, item)


def test_the_office_approves_and_the_deadline_moves(item, personas, office):
    request = ask(personas, item)
    services.decide_extension(office, request, approve=True)
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.deadline == DEADLINE + timedelta(days=30)
    assert (request.status, request.decided_by) == (ExtensionRequest.Status.APPROVED, office)
    event = item.events.get(kind=ItemEvent.Kind.EXTENSION_APPROVED)
    assert (event.old_deadline, event.new_deadline, event.actor) == (DEADLINE, DEADLINE + timedelta(days=30), office)
    assert "汛期无法施工" in event.text
    with pytest.raises(ValidationError, match="已经审批过"):
        services.decide_extension(office, request, approve=False, reason="再议")
    ask(personas, item, days=60)  # a new request is possible once the last one is decided


def test_the_office_rejects_with_a_reason(item, personas, office):
    request = ask(personas, item)
    with pytest.raises(ValidationError, match="说明理由"):
        services.decide_extension(office, request, approve=False)
    services.decide_extension(office, request, approve=False, reason="工期充足")
    item.refresh_from_db()
    request.refresh_from_db()
    assert item.deadline == DEADLINE
    assert (request.status, request.decision_reason) == (ExtensionRequest.Status.REJECTED, "工期充足")
    assert "工期充足" in item.events.get(kind=ItemEvent.Kind.EXTENSION_REJECTED).text


@pytest.mark.parametrize("persona", ["own_liaison", "inspector", "plan_office", "leadership", "assessment_reader"])
def test_only_the_office_decides(item, personas, persona):
    request = ask(personas, item)
    with pytest.raises(PermissionDenied):
        services.decide_extension(personas[persona], request, approve=True)
    request.refresh_from_db()
    assert request.status == ExtensionRequest.Status.PENDING


# --- 批示 ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Membership.Role.LEADER, Membership.Role.HEAD])
def test_the_owner_units_leaders_and_heads_instruct(item, units, make_user, role):
    leader = make_user("leader", unit=units["own"], role=role)
    event = services.give_instruction(leader, item, text="请加快进度，月底前完成")
    assert (event.kind, event.actor, event.text) == (ItemEvent.Kind.INSTRUCTION, leader, "请加快进度，月底前完成")


def test_the_leadership_group_instructs_on_every_units_items(item, personas, units, office):
    other = services.create_ad_hoc_item(office, unit=units["stranger"], title="税费减免", deadline=DEADLINE)
    for target in (item, other):
        services.give_instruction(personas["leadership"], target, text="高度重视")
    assert ItemEvent.objects.filter(kind=ItemEvent.Kind.INSTRUCTION).count() == 2


@pytest.mark.parametrize(
    "persona", ["own_liaison", "cooperating_liaison", "government_office", "inspector", "plan_office", "no_unit"]
)
def test_others_do_not_instruct(item, personas, persona):
    with pytest.raises(PermissionDenied):
        services.give_instruction(personas[persona], item, text="批示")
    assert not ItemEvent.objects.filter(kind=ItemEvent.Kind.INSTRUCTION).exists()


def test_another_units_leader_does_not_instruct(item, units, make_user):
    leader = make_user("leader", unit=units["cooperating"], role=Membership.Role.LEADER)
    with pytest.raises(PermissionDenied):
        services.give_instruction(leader, item, text="批示")


def test_an_instruction_needs_text(item, personas):
    with pytest.raises(ValidationError, match="批示内容"):
        services.give_instruction(personas["leadership"], item, text="  ")
    assert DutyItem.objects.get(pk=item.pk).events.filter(kind=ItemEvent.Kind.INSTRUCTION).count() == 0
